"""Reading data files: Arrow's reader, called directly, gives what pandas' Arrow engine gave."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbook.io import NA_TEXTS, _read_csv_arrow, _read_csv_with, is_ascii, read_table

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


def test_ascii_only_files_skip_the_utf8_check_and_others_keep_it(tmp_path):
    plain = write_csv(tmp_path / "plain.csv", [["id", "city"], ["1", "Lyon"]])
    assert is_ascii(plain)
    accented = tmp_path / "accented.csv"
    accented.write_bytes("id,city\n1,Besançon\n".encode("cp1252"))
    assert not is_ascii(accented)
    assert not is_ascii(accented, chunk=3)  # found in a later chunk too
    with pytest.raises(Exception, match="(?i)utf-?8"):  # Arrow still checks: not silently read
        _read_csv_arrow(accented, ",", "utf-8")
    raw = read_table(accented)
    assert raw.encoding == "cp1252" and raw.frame.loc[0, "city"] == "Besançon"


def test_text_cells_keep_pandas_text_dtype_and_missing_values(tmp_path):
    path = write_csv(tmp_path / "t.csv", [["id", "amount"], ["007", "N/A"], ["8", ""]])
    frame = read_table(path).frame
    assert frame["id"].tolist() == ["007", "8"]  # leading zeros kept: read as text
    assert frame["amount"].isna().all()
    assert all(str(dtype) == "str" for dtype in frame.dtypes)
