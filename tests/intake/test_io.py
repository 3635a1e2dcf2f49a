"""Reading data files: Arrow's reader, called directly, gives what pandas' Arrow engine gave."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbook.intake.io import NA_TEXTS, _read_csv_arrow, _read_csv_with, check_utf8, read_table

CELLS = st.one_of(
    st.sampled_from([*NA_TEXTS, " ", "a,b", 'say "hi"', "Besançon", "ÉLAN", "x y", "0012"]),
    st.text(alphabet="abcXYZ019 -_@.é", max_size=6),
)


def write_csv(path: Path, rows: list[list[str]], *, delimiter: str = ",", bom: bool = False):
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\n").writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.getvalue().encode("utf-8"))
    return path


@given(
    body=st.lists(st.lists(CELLS, min_size=3, max_size=3), min_size=0, max_size=12),
    header=st.sampled_from([["lead_id", "email", "company"], ["a", "a", "b"], ["x", " y ", "z"]]),
    delimiter=st.sampled_from([",", ";"]),
    bom=st.booleans(),
)
@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_arrow_read_equals_pandas_arrow_engine(tmp_path, body, header, delimiter, bom):
    # an all-empty row is skipped by both readers alike; a one-column file is not made here
    path = write_csv(tmp_path / "t.csv", [header, *body], delimiter=delimiter, bom=bom)
    encoding = "utf-8-sig" if bom else "utf-8"
    ours = _read_csv_arrow(path, delimiter, encoding)
    pandas = _read_csv_with(path, delimiter, encoding, engine="pyarrow")
    pd.testing.assert_frame_equal(ours, pandas)


def test_text_is_checked_as_utf8_after_reading_in_every_chunk(tmp_path):
    accented = tmp_path / "accented.csv"
    accented.write_text("id,city\n1,Besançon\n", encoding="utf-8")
    assert read_table(accented).frame.loc[0, "city"] == "Besançon"  # valid UTF-8: kept
    # a Windows-1252 byte in a row far down the file (a later chunk of Arrow's reader)
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"id,city\n" + b"1,Lyon\n" * 300_000 + "2,Besançon\n".encode("cp1252"))
    with pytest.raises(UnicodeDecodeError, match="city"):  # not silently read as UTF-8
        _read_csv_arrow(latin, ",", "utf-8")
    raw = read_table(latin)
    assert raw.encoding == "cp1252" and raw.frame["city"].iloc[-1] == "Besançon"


def test_check_utf8_reads_bytes_only_of_columns_that_are_not_ascii():
    table = pa.table(
        {
            "ascii": pa.chunked_array([["a", None], ["b"]], pa.large_string()),
            "accent": pa.array(["é", "", "ü"], pa.string()),
            "number": pa.array([1, 2, 3]),
        }
    )
    check_utf8(table)  # no error: valid everywhere
    bad = pa.Array.from_buffers(
        pa.large_string(),
        1,
        [None, pa.py_buffer(np.array([0, 1], np.int64)), pa.py_buffer(b"\xe9")],
    )
    with pytest.raises(UnicodeDecodeError, match="bad"):
        check_utf8(pa.table({"ok": ["x"], "bad": bad}))


def test_text_cells_keep_pandas_text_dtype_and_missing_values(tmp_path):
    path = write_csv(tmp_path / "t.csv", [["id", "amount"], ["007", "N/A"], ["8", ""]])
    frame = read_table(path).frame
    assert frame["id"].tolist() == ["007", "8"]  # leading zeros kept: read as text
    assert frame["amount"].isna().all()
    assert all(str(dtype) == "str" for dtype in frame.dtypes)


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        ("a: 1\nb: [1, 2\nc: 3\n", 3, "did not find expected ',' or ']'"),
        ("a: 1\n  b: 2\n", 2, "mapping values are not allowed"),
    ],
)
def test_a_yaml_syntax_error_names_its_line_and_what_is_wrong(tmp_path, text, line, what):
    from workbook.intake.io import read_yaml
    from workbook.intake.problems import EngagementError

    path = tmp_path / "engagement.yaml"
    path.write_text(text)
    with pytest.raises(EngagementError) as caught:
        read_yaml(path)
    (problem,) = caught.value.problems
    assert problem.file == "engagement.yaml" and problem.rows == (line,)
    assert what in problem.message and "check indentation" in problem.message
