"""The bad-input corpus of data files that used to be accepted and misread (issue 19).

Each test asserts the exact file, row and column the user is told about, and the reading
that is kept: dates out of range, decimal marks decided per column, repeated headers,
timestamps with a UTC offset, blank rows, NUL bytes, absurd amounts.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import (
    TINY_CONTENT,
    TINY_LEADS,
    TINY_OPPS,
    TINY_SPEND,
    TINY_TOUCHES,
    write_engagement,
)
from tests.intake.test_validate import errors_of, only_error, replace_line
from workbook.cli import main
from workbook.intake.engagement import audit_engagement, load_engagement
from workbook.intake.parse import parse_numbers


def warnings_of(directory: Path, column: str) -> list[dict]:
    return [w for w in audit_engagement(directory).to_dict()["warnings"] if w["column"] == column]


OUT_OF_RANGE = (
    "date outside 1980-01-01..2099-12-31 ('{value}'): a typo or a placeholder; correct it in "
    "the export, or leave the cell empty if there is no date"
)


# --- 4. dates out of range -------------------------------------------------------------------
@pytest.mark.parametrize("value", ["0001-01-01", "1900-01-01", "1970-01-01", "9999-12-31"])
def test_a_required_date_out_of_range_is_an_error_at_its_row(tmp_path, value):
    leads = replace_line(TINY_LEADS, 2, "2026-01-06", value)
    d = write_engagement(tmp_path / "e", {"data/leads.csv": leads})
    error = only_error(d)
    assert error == {
        "file": "leads.csv",
        "row": 2,
        "column": "created_at",
        "message": OUT_OF_RANGE.format(value=value),
    }
    leads = load_engagement(d).leads
    assert "L2" not in set(leads["lead_id"])  # quarantined, not stored as 1754
    assert leads["created_at"].min() == pd.Timestamp("2026-01-05")


def test_a_far_past_date_in_an_optional_column_is_an_error_too(tmp_path):
    content = replace_line(TINY_CONTENT, 2, "2024-01-01", "0001-01-01")
    d = write_engagement(tmp_path / "e", {"data/content.csv": content})
    error = only_error(d)
    assert (error["file"], error["row"], error["column"]) == ("content.csv", 2, "published_at")
    assert error["message"] == OUT_OF_RANGE.format(value="0001-01-01")


def test_a_no_date_placeholder_in_an_optional_date_is_read_as_empty_with_a_warning(tmp_path):
    leads = replace_line(TINY_LEADS, 2, "2026-02-01", "9999-12-31")  # L2's disqualified_at
    d = write_engagement(tmp_path / "e", {"data/leads.csv": leads})
    assert errors_of(d) == []
    assert warnings_of(d, "disqualified_at") == [
        {
            "file": "leads.csv",
            "row": 2,
            "column": "disqualified_at",
            "message": "date after 2099-12-31 ('9999-12-31'), a \"no date\" placeholder: "
            "read as empty",
        }
    ]
    l2 = load_engagement(d).leads.set_index("lead_id").loc["L2"]
    assert pd.isna(l2["disqualified_at"])


def test_a_month_out_of_range_is_an_error_at_its_row(tmp_path):
    spend = replace_line(TINY_SPEND, 3, "2026-02", "0001-02")
    d = write_engagement(tmp_path / "e", {"data/spend.csv": spend})
    error = only_error(d)
    assert (error["file"], error["row"], error["column"]) == ("spend.csv", 3, "month")
    assert error["message"] == OUT_OF_RANGE.format(value="0001-02")


# --- 5. decimal marks decided per column -----------------------------------------------------
def test_a_thousands_point_beside_a_decimal_comma_reads_as_thousands(tmp_path):
    spend = "month;channel;amount\n2026-01;webinar;1.500\n2026-01;paid_social;1.234,5\n"
    d = write_engagement(tmp_path / "e", {"data/spend.csv": spend})
    assert errors_of(d) == []
    assert load_engagement(d).spend["amount"].tolist() == [1500.0, 1234.5]


@pytest.mark.parametrize(
    ("values", "decimal_comma", "expected"),
    [
        (["1.500", "2.000"], True, [1500.0, 2000.0]),  # a semicolon file's convention
        (["1.500", "2.000"], False, [1.5, 2.0]),  # a comma file's
        (["1.500", "48000.5"], True, [1.5, 48000.5]),  # 48000.5 shows a decimal point
        (["1,500", "12,5"], False, [1.5, 12.5]),  # 12,5 shows a decimal comma
        (["1.234.567", "8"], False, [1234567.0, 8.0]),  # a repeated point groups thousands
    ],
)
def test_the_decimal_mark_is_decided_from_every_value_of_the_column(
    values, decimal_comma, expected
):
    parsed = parse_numbers(pd.Series(values, dtype="str"), decimal_comma=decimal_comma)
    assert parsed.values.tolist() == expected
    assert not parsed.unreadable.any() and not parsed.mixed.any()


def test_a_column_mixing_decimal_marks_is_an_error_naming_the_rarer_rows(tmp_path):
    spend = (
        "month;channel;amount\n"
        "2026-01;webinar;1.234,5\n"
        "2026-01;paid_social;2.500,75\n"
        "2026-02;paid_search;1,234.5\n"
        "2026-03;events;4000\n"
    )
    d = write_engagement(tmp_path / "e", {"data/spend.csv": spend})
    assert only_error(d) == {
        "file": "spend.csv",
        "row": 3,
        "column": "amount",
        "message": "the column writes decimals both with a comma like 1.234,5 (2 rows) and with "
        "a point like 1,234.5 (1 rows); these rows use the rarer mark ('1,234.5'): re-export "
        "the column with one decimal mark",
    }
    assert load_engagement(d).spend["amount"].tolist() == [1234.5, 2500.75, 4000.0]


# --- 6. repeated headers ---------------------------------------------------------------------
@pytest.mark.parametrize("first", ["created_at", "Created At", " CREATED-AT "])
def test_two_headers_naming_one_column_are_an_error_naming_both(tmp_path, first):
    header, body = TINY_LEADS.split("\n", 1)
    header = header.replace("created_at", first, 1).replace(",email", ",created_at")
    d = write_engagement(tmp_path / "e", {"data/leads.csv": f"{header}\n{body}"})
    assert only_error(d) == {
        "file": "leads.csv",
        "row": None,
        "column": "created_at",
        "message": f"two headers name the column created_at: '{first.strip()}' (column 2) and "
        "'created_at' (column 13); which one holds the data cannot be told: rename or delete "
        "one of them",
    }


def test_a_repeated_header_in_a_workbook_is_an_error_naming_both(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "spend"
    sheet.append(["month", "channel", "Amount", "amount"])
    sheet.append(["2026-01", "webinar", 100, 200])
    d = write_engagement(tmp_path / "e", {"data/spend.csv": None})
    book.save(d / "data" / "spend.xlsx")
    error = only_error(d)
    assert (error["file"], error["row"], error["column"]) == ("spend.xlsx", None, "amount")
    assert "'Amount' (column 3) and 'amount' (column 4)" in error["message"]


def test_a_repeated_header_no_rule_reads_is_not_an_error(tmp_path):
    header, body = TINY_OPPS.split("\n", 1)
    header = header.replace("product", "notes")
    body = body.replace("Core", "x").replace("Analytics", "y")
    opps = f"{header},Notes\n" + "".join(f"{line},z\n" for line in body.splitlines())
    d = write_engagement(tmp_path / "e", {"data/opportunities.csv": opps})
    assert errors_of(d) == []


# --- 8. timestamps with a UTC offset ---------------------------------------------------------
def test_a_time_with_a_utc_offset_keeps_the_local_date_and_time_as_written(tmp_path):
    touches = replace_line(TINY_TOUCHES, 1, "2026-01-06 10:00:00", "2026-01-06T23:30:00-05:00")
    leads = replace_line(TINY_LEADS, 3, "2026-02-01", "2026-02-01T23:30:00-05:00")
    d = write_engagement(tmp_path / "e", {"data/touches.csv": touches, "data/leads.csv": leads})
    assert errors_of(d) == []
    engagement = load_engagement(d)
    assert engagement.touches["touched_at"].iloc[0] == pd.Timestamp("2026-01-06 23:30")
    l3 = engagement.leads.set_index("lead_id").loc["L3"]
    assert l3["created_at"] == pd.Timestamp("2026-02-01")  # not 2026-02-02 (UTC)


# --- 9. blank rows keep the row numbers the user sees ---------------------------------------
def test_a_blank_line_before_a_bad_row_does_not_shift_its_row_number(tmp_path):
    lines = TINY_LEADS.splitlines()
    lines.insert(2, "")  # line 3 of the file is blank: L2 is on line 4, data row 3
    leads = "\n".join(lines) + "\n"
    leads = replace_line(leads, 4, "2026-02-01", "garbage")  # L3, line 5 of the file
    d = write_engagement(tmp_path / "e", {"data/leads.csv": leads})
    error = only_error(d)
    assert (error["file"], error["row"], error["column"]) == ("leads.csv", 4, "created_at")
    audit = audit_engagement(d).to_dict()
    assert audit["rows"]["leads"] == {"read": 6, "used": 5, "quarantined": 1}
    rows = load_engagement(d).leads.set_index("lead_id")["source_row"]
    assert rows.to_dict() == {"L1": 1, "L2": 3, "L4": 5, "L5": 6, "L6": 7}


def test_a_repeated_id_after_blank_lines_names_the_rows_as_in_the_file(tmp_path):
    lines = TINY_OPPS.splitlines()
    lines[4] = lines[4].replace("O4", "O1")
    lines[2:2] = ["", ",,,,,,,,"]  # a blank line and a row of empty cells
    d = write_engagement(tmp_path / "e", {"data/opportunities.csv": "\n".join(lines) + "\n"})
    error = only_error(d)
    assert (error["file"], error["row"], error["column"]) == (
        "opportunities.csv",
        6,
        "opportunity_id",
    )
    assert "first on row 1" in error["message"]


def test_a_blank_row_in_a_workbook_keeps_the_row_numbers(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [
        ["month", "channel", "amount"],
        ["2026-01", "webinar", 100],
        [None, None, None],
        ["2026-02", "webinar", "lots"],
    ]:
        sheet.append(row)
    d = write_engagement(tmp_path / "e", {"data/spend.csv": None})
    book.save(d / "data" / "spend.xlsx")
    error = only_error(d)
    assert (error["file"], error["row"], error["column"]) == ("spend.xlsx", 3, "amount")


# --- 10. NUL bytes ---------------------------------------------------------------------------
def test_a_nul_byte_in_a_value_is_removed_with_a_warning(tmp_path):
    leads = replace_line(TINY_LEADS, 3, "webinar", "web\x00inar")
    d = write_engagement(tmp_path / "e", {"data/leads.csv": leads})
    assert errors_of(d) == []
    assert warnings_of(d, "source_channel") == [
        {
            "file": "leads.csv",
            "row": 3,
            "column": "source_channel",
            "message": "NUL bytes (invisible control characters) in the value were removed; "
            "check the export",
        }
    ]
    channels = load_engagement(d).leads.set_index("lead_id")["source_channel"]
    assert channels["L3"] == "webinar"
    assert set(channels) == {"webinar", "paid_social", "paid_search", "events"}


# --- 11. absurd amounts ----------------------------------------------------------------------
@pytest.mark.parametrize("value", ["inf", "-inf", "1e308", "2e12", "Infinity"])
def test_an_absurd_amount_is_an_error_and_kpis_and_plan_still_work(tmp_path, capsys, value):
    opps = replace_line(TINY_OPPS, 2, "30000", value)  # O2, lost
    d = write_engagement(tmp_path / "e", {"data/opportunities.csv": opps})
    assert only_error(d) == {
        "file": "opportunities.csv",
        "row": 2,
        "column": "amount",
        "message": f"not a plausible number ('{value}'): infinite, or larger than 10^12 "
        "(1,000,000,000,000); correct it in the export",
    }
    capsys.readouterr()
    assert main(["kpis", str(d), "--json"]) == 0
    kpis = json.loads(capsys.readouterr().out)
    assert kpis  # valid JSON (no Infinity): the row is quarantined
    assert main(["plan", str(d), "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan
    assert main(["plan", str(d)]) == 0
    assert "internal error" not in capsys.readouterr().err


def test_a_typed_date_out_of_range_in_a_parquet_file_is_an_error_at_its_row(tmp_path):
    leads = pd.read_csv(io.StringIO(TINY_LEADS), dtype=str)
    created = [dt.datetime.fromisoformat(v) for v in leads["created_at"]]
    created[1] = dt.datetime(9999, 12, 31)  # a timestamp[ms] nanoseconds cannot hold
    table = pa.Table.from_pandas(leads.drop(columns="created_at"), preserve_index=False)
    table = table.append_column("created_at", pa.array(created, pa.timestamp("ms")))
    d = write_engagement(tmp_path / "e", {"data/leads.csv": None})
    pq.write_table(table, d / "data" / "leads.parquet")
    error = only_error(d)
    assert (error["file"], error["row"], error["column"]) == ("leads.parquet", 2, "created_at")
    assert error["message"] == OUT_OF_RANGE.format(value="9999-12-31")
