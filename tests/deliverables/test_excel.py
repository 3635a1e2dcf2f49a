"""Tests for workbook.deliverables.excel: the Excel workbook of key tables (no notebook runs here).

Reference values are hand-computed from the tiny engagement of tests/conftest.py (6 leads,
4 opportunities, 4 spend rows, 4 assets); the derivation is in each comment.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tests.conftest import TINY_YAML, phase_outputs, write_engagement
from workbook.deliverables import excel
from workbook.deliverables.excel import money_format, write_key_tables
from workbook.deliverables.key_tables import (
    EMAIL_REPLACEMENT,
    build_key_tables,
    redact_personal_data,
    tables_data,
)
from workbook.i18n import format_money, text
from workbook.intake.engagement import load_engagement

ENGLISH_SHEETS = [
    "Contents",
    "Data audit",
    "Data issues",
    "Funnel counts",
    "KPI - scorecard",
    "KPI - funnel",
    "KPI - velocity",
    "KPI - channels",
    "KPI - attribution",
    "Plan - totals",
    "Plan - by month",
    "Budget - by channel",
    "Budget - LTV and CAC",
    "Budget - today and plan",
    "Content gaps",
    "Hand-off SLAs",
    "Merge review",
]  # every phase ran (tests.conftest.phase_outputs); too few leads to score: no scoring sheets


@pytest.fixture(scope="module")
def tiny_engagement(tmp_path_factory):
    return load_engagement(write_engagement(tmp_path_factory.mktemp("excel") / "tiny"))


@pytest.fixture(scope="module")
def english_book(tiny_engagement, tmp_path_factory):
    path = tmp_path_factory.mktemp("book") / "tiny-test-co-key-tables.xlsx"
    write_key_tables(tiny_engagement, path, language="en", saved=phase_outputs(tiny_engagement))
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def french_book(tiny_engagement, tmp_path_factory):
    path = tmp_path_factory.mktemp("book-fr") / "tiny-fr.xlsx"
    saved = phase_outputs(tiny_engagement, language="fr")
    write_key_tables(tiny_engagement, path, language="fr", saved=saved)
    return openpyxl.load_workbook(path)


def table_rows(sheet) -> list[tuple]:
    """Header and data rows (from row 4), without the notes under the table."""
    rows = []
    for row in sheet.iter_rows(min_row=excel.HEADER_ROW, values_only=True):
        if all(value is None for value in row):
            break
        rows.append(row)
    return rows


def test_workbook_has_one_sheet_per_key_table_in_order(english_book):
    assert english_book.sheetnames == ENGLISH_SHEETS


def test_every_sheet_has_a_title_row_with_client_and_as_of_and_a_frozen_bold_header(english_book):
    for sheet in english_book.worksheets:
        assert sheet["A1"].value == f"Tiny Test Co - {sheet.title}"
        assert sheet["A1"].font.b
        assert sheet["A2"].value == "Data as of 2026-06-30 · amounts in EUR"
        header = [cell for cell in sheet[excel.HEADER_ROW] if cell.value is not None]
        assert header and all(cell.font.b for cell in header)
        assert sheet.freeze_panes == "A5"  # rows 1-4 (title and header) stay in view
        assert sheet.auto_filter.ref.startswith("A4:")
        widths = [sheet.column_dimensions[cell.column_letter].width for cell in header]
        assert all(excel.MIN_COLUMN_WIDTH <= w <= excel.MAX_COLUMN_WIDTH for w in widths)


def test_data_audit_accounts_for_every_row_of_every_file(english_book):
    # conftest: 6 leads, 4 opportunities, 4 spend rows, 4 assets, 4 touches; none quarantined.
    # Warnings: leads L4 skips mql and repeats Ann's e-mail (2), content A4 is untagged (1).
    assert table_rows(english_book["Data audit"]) == [
        ("File", "Rows read", "Rows used", "Rows quarantined", "Errors", "Warnings"),
        ("leads.csv", 6, 6, 0, 0, 2),
        ("opportunities.csv", 4, 4, 0, 0, 0),
        ("spend.csv", 4, 4, 0, 0, 0),
        ("content.csv", 4, 4, 0, 0, 1),
        ("touches.csv", 4, 4, 0, 0, 0),
    ]


def test_funnel_counts_match_the_hand_counted_tiny_funnel(english_book):
    # inquiry: all 6 leads, 5 reach mql (L6 is fresh); mql: 5, L2 disqualified -> 4 reach sal;
    # sal: 4, L3 still open -> 3 reach sql; sql: 3, all have an opportunity (O1, O4, O2);
    # opportunity: 3, only O1 is won.
    rows = table_rows(english_book["Funnel counts"])
    assert rows[0] == ("From", "To", "Entered", "Reached next stage", "Share reached next stage")
    assert [row[:4] for row in rows[1:]] == [
        ("Inquiry", "MQL", 6, 5),
        ("MQL", "SAL", 5, 4),
        ("SAL", "SQL", 4, 3),
        ("SQL", "Opportunity", 3, 3),
        ("Opportunity", "Won", 3, 1),
    ]
    # 5/6, 4/5, 3/4, 1, 1/3 to one decimal of a percent, as the report shows them
    assert [row[4] for row in rows[1:]] == [0.833, 0.8, 0.75, 1, 0.333]


def test_channel_sheet_has_spend_cac_and_roi_of_the_kpi_window(english_book):
    # Window 2025-07-01..2026-06-30 holds all spend. Won in the window with a known lead:
    # O1 (lead L1, webinar, 50,000). Webinar: CAC = 10,000 / 1; ROI = (50,000 - 10,000) / 10,000.
    rows = {row[0]: row for row in table_rows(english_book["KPI - channels"])[1:]}
    assert rows["Webinar"] == ("Webinar", 10000, 3, 1, 50000, 10000, 4)
    # paid search spent 2,500.50: whole money, as the report shows it (€2,500, ties to even)
    assert rows["Paid search"][1] == 2500 and format_money(2500.5, "EUR", "en") == "€2,500"
    assert rows["Paid social"][5] is None  # no win: CAC undefined, an empty cell


def test_plan_totals_follow_the_reverse_funnel(english_book):
    # won = 1,000,000 / 50,000 (mean marketing-sourced won deal: O1) = 20; each earlier stage
    # divides by its rate: 20 / (1/3) = 60 opportunities, / 1 = 60 SQL, / 0.75 = 80 SAL,
    # / 0.8 = 100 MQL, / (5/6) = 120 inquiries.
    rows = table_rows(english_book["Plan - totals"])[1:]
    assert [row[0] for row in rows] == ["Inquiry", "MQL", "SAL", "SQL", "Opportunity", "Won"]
    assert [row[1] for row in rows] == pytest.approx([120, 100, 80, 60, 60, 20])


def test_content_gaps_list_every_cell_under_the_minimum(english_book):
    # 3 personas x 4 buying stages, min 2 assets: A1, A2, A3 fill one cell each (1 needed),
    # the 9 other cells are empty (2 needed): 3 x 1 + 9 x 2 = 21 assets to produce.
    rows = table_rows(english_book["Content gaps"])[1:]
    assert len(rows) == 12
    assert ("Economic buyer", "Awareness", 1, 1) in rows
    assert ("End user", "Decision", 0, 2) in rows
    assert sum(row[3] for row in rows) == 21


def test_number_formats_follow_the_column_kinds(english_book):
    channels = english_book["KPI - channels"]
    assert channels["B5"].number_format == '"€"#,##0'  # spend
    assert channels["C5"].number_format == "#,##0"  # leads
    assert channels["G5"].number_format == "#,##0.0"  # ROI multiple: one decimal, as the report
    assert english_book["Funnel counts"]["E5"].number_format == "0.0%"
    assert english_book["Plan - by month"]["B5"].number_format == "mmm yyyy"
    assert english_book["KPI - velocity"]["C5"].number_format == "#,##0"  # median days: whole


def test_contents_sheet_links_to_every_other_sheet(english_book):
    contents = english_book["Contents"]
    rows = table_rows(contents)[1:]
    assert [row[0] for row in rows] == ENGLISH_SHEETS[1:]
    assert contents["A5"].hyperlink.location == "'Data audit'!A1"
    assert "€1,000,000" in dict((row[0], row[1]) for row in rows)["Plan - totals"]


def test_french_workbook_uses_french_names_headers_dates_and_money_format(french_book):
    assert french_book.sheetnames[:4] == [
        "Sommaire",
        "Audit des données",
        "Anomalies des données",
        "Entonnoir (effectifs)",
    ]
    funnel = french_book["Entonnoir (effectifs)"]
    assert funnel["A2"].value == "Données au 30/06/2026 · montants en EUR"
    assert table_rows(funnel)[0][:3] == ("De", "Vers", "Entrés")
    assert table_rows(funnel)[1][:2] == ("Demande", "MQL")
    assert french_book["KPI - canaux"]["B5"].number_format == '#,##0 "€"'
    issues = table_rows(french_book["Anomalies des données"])
    assert {row[0] for row in issues[1:]} == {"Avertissement"}


def test_no_email_or_personal_field_appears_in_any_sheet(english_book, french_book):
    # The tiny leads carry ann@alpha.example and three more addresses.
    for book in (english_book, french_book):
        for sheet in book.worksheets:
            headers = [str(c.value or "").lower() for c in sheet[excel.HEADER_ROW]]
            assert not {"email", "e-mail"} & set(headers), sheet.title
            if sheet.title not in ("Merge review", "Revue des doublons"):  # accounts to merge
                assert "company" not in headers and "entreprise" not in headers, sheet.title
            for row in sheet.iter_rows(values_only=True):
                for value in row:
                    assert "@" not in str(value or ""), (sheet.title, value)


def test_redaction_drops_personal_columns_and_masks_addresses_in_text():
    frame = pd.DataFrame(
        {
            "Email": ["ann@alpha.example"],
            "message": ["duplicate of Ann@Alpha.example, see row 4"],
            "rows": [4],
        }
    )
    clean = redact_personal_data(frame)
    assert list(clean.columns) == ["message", "rows"]
    assert clean.loc[0, "message"] == f"duplicate of {EMAIL_REPLACEMENT}, see row 4"
    assert clean.loc[0, "rows"] == 4


def test_audit_message_quoting_an_address_is_masked_in_the_sheet(tiny_engagement, monkeypatch):
    from workbook.analysis import baseline

    def issues_with_address(audit, *, language="en"):
        frame = baseline.audit_issues(audit, language=language)
        frame.loc[0, "message"] = "lead bob@beta.example looks like a test record"
        return frame

    monkeypatch.setattr(tables_data, "audit_issues", issues_with_address)
    tables = build_key_tables(tiny_engagement, language="en")
    messages = tables.sheet("data_issues").frame["Message"].tolist()
    assert messages[0] == f"lead {EMAIL_REPLACEMENT} looks like a test record"


@pytest.mark.parametrize(
    ("currency", "language", "expected"),
    [
        ("EUR", "en", '"€"#,##0'),
        ("EUR", "fr", '#,##0 "€"'),
        ("USD", "en", '"$"#,##0'),
        ("CHF", "en", '"CHF "#,##0'),
        ("SEK", "fr", '#,##0 "SEK"'),
    ],
)
def test_money_format_puts_the_symbol_where_each_language_expects_it(currency, language, expected):
    assert money_format(currency, language) == expected


def test_without_revenue_target_the_plan_sheets_are_left_out_with_a_note(tmp_path):
    yaml = re.sub(r"targets:\n(  .*\n)+", "", TINY_YAML)
    engagement = load_engagement(write_engagement(tmp_path / "t", {"engagement.yaml": yaml}))
    saved = phase_outputs(engagement, phases=("kickoff", "midpoint"))  # no plan, no final
    tables = build_key_tables(engagement, saved, language="en")
    assert "plan_totals" not in tables.keys and "plan_monthly" not in tables.keys
    assert tables.notes == (
        "No plan or budget sheets: no revenue target was set for this engagement.",
        text("xlsx.note.no_strategy", "en"),
    )
    assert "budget" not in tables.keys and "ltv_cac" not in tables.keys
    path = write_key_tables(engagement, tmp_path / "k.xlsx", language="en", saved=saved)
    contents = openpyxl.load_workbook(path)["Contents"]
    cells = [c for row in contents.iter_rows(values_only=True) for c in row if c]
    assert "No plan or budget sheets: no revenue target was set for this engagement." in cells


def test_writing_twice_gives_the_same_sheets(tiny_engagement, tmp_path):
    saved = phase_outputs(tiny_engagement)
    first = write_key_tables(tiny_engagement, tmp_path / "a.xlsx", language="en", saved=saved)
    second = write_key_tables(tiny_engagement, tmp_path / "b.xlsx", language="en", saved=saved)

    def values(path: Path) -> dict[str, list[tuple]]:
        book = openpyxl.load_workbook(path)
        return {s.title: list(s.iter_rows(values_only=True)) for s in book.worksheets}

    assert values(first) == values(second)


def test_failed_write_leaves_the_previous_workbook_and_no_temporary_file(
    tiny_engagement, tmp_path, monkeypatch
):
    path = tmp_path / "key.xlsx"
    path.write_bytes(b"previous workbook")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(excel, "_format_sheet", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        write_key_tables(tiny_engagement, path, language="en")
    assert path.read_bytes() == b"previous workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["key.xlsx"]


def test_workbook_gets_the_same_permissions_as_any_new_file(tiny_engagement, tmp_path):
    # A temporary file from mkstemp is private (0600); the published workbook must not be.
    path = write_key_tables(tiny_engagement, tmp_path / "key.xlsx", language="en")
    plain = tmp_path / "plain.txt"
    plain.write_text("x", encoding="utf-8")
    assert path.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777


def test_unknown_language_is_rejected(tiny_engagement):
    with pytest.raises(ValueError, match="language"):
        build_key_tables(tiny_engagement, language="de")


def test_sheet_names_fit_excel_limits():
    from workbook.i18n.catalogue import excel as excel_text

    for language, catalogue in excel_text.TEXT.items():
        for key, name in catalogue.items():
            if key.startswith("xlsx.sheet."):
                assert len(name) <= 31 and not set(name) & set("[]:*?/\\"), (language, name)
    assert excel_text.TEXT["en"].keys() == excel_text.TEXT["fr"].keys()
