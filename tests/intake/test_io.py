"""Reading data files: every cell as text, in any of the encodings and separators exports use."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbook.intake.io import NA_TEXTS, read_csv_cells, read_table

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
    body=st.lists(st.lists(CELLS, min_size=3, max_size=3), min_size=1, max_size=12),
    header=st.sampled_from([["lead_id", "email", "company"], ["a", "a", "b"], ["x", " y ", "z"]]),
    delimiter=st.sampled_from([",", ";"]),
    bom=st.booleans(),
)
@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_every_cell_reads_as_the_text_written_and_na_texts_as_missing(
    tmp_path, body, header, delimiter, bom
):
    path = write_csv(tmp_path / "t.csv", [header, *body], delimiter=delimiter, bom=bom)
    raw = read_table(path)
    assert raw.delimiter == delimiter and raw.encoding == ("utf-8-sig" if bom else "utf-8")
    # pandas numbers a repeated header (a, a.1); read_table strips the spaces around headers
    assert (
        list(raw.frame.columns)
        == {
            "a": ["a", "a.1", "b"],
            "x": ["x", "y", "z"],
            "lead_id": ["lead_id", "email", "company"],
        }[header[0]]
    )
    expected = [[None if cell in NA_TEXTS else cell for cell in row] for row in body]
    expected = [row for row in expected if row != [None] * len(row)]  # empty rows: left out
    got = raw.frame.astype(object).where(raw.frame.notna(), None).to_numpy().tolist()
    assert got == expected
    # the C engine, read when Arrow's cannot (quoted line breaks), reads the same frame
    encoding = "utf-8-sig" if bom else "utf-8"
    c_engine = read_csv_cells(path, delimiter=delimiter, encoding=encoding, engine="c")
    c_engine.columns = [str(c).strip().lstrip("\ufeff") for c in c_engine.columns]
    c_engine = c_engine.dropna(how="all").reset_index(drop=True)
    pd.testing.assert_frame_equal(raw.frame, c_engine)


def test_invalid_utf8_far_down_the_file_is_read_again_in_the_encoding_that_decodes_it(tmp_path):
    accented = tmp_path / "accented.csv"
    accented.write_text("id,city\n1,Besançon\n", encoding="utf-8")
    raw = read_table(accented)
    assert raw.encoding == "utf-8" and raw.frame.loc[0, "city"] == "Besançon"
    # a Windows-1252 byte in a row far down the file (a later block of Arrow's reader)
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"id,city\n" + b"1,Lyon\n" * 300_000 + "2,Besançon\n".encode("cp1252"))
    with pytest.raises(Exception, match="UTF8|utf-8"):  # not silently read as UTF-8
        read_csv_cells(latin, delimiter=",", encoding="utf-8")
    raw = read_table(latin)
    assert raw.encoding == "cp1252" and raw.frame["city"].iloc[-1] == "Besançon"
    assert len(raw.frame) == 300_001


def test_a_semicolon_export_with_a_bom_reads_its_decimal_commas_as_such(tmp_path):
    path = tmp_path / "spend.csv"
    path.write_bytes(b"\xef\xbb\xbfmonth;channel;amount\n2026-01;webinar;2500,50\n")
    raw = read_table(path)
    assert (raw.delimiter, raw.encoding, raw.decimal_comma) == (";", "utf-8-sig", True)
    assert raw.frame.to_dict("list") == {
        "month": ["2026-01"],
        "channel": ["webinar"],
        "amount": ["2500,50"],
    }


def test_quoted_line_breaks_are_read_by_the_c_engine(tmp_path):
    path = tmp_path / "content.csv"
    path.write_text('asset_id,title\nA1,"Buyer\nguide"\nA2,ROI\n', encoding="utf-8")
    assert read_table(path).frame["title"].tolist() == ["Buyer\nguide", "ROI"]


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
