"""Nothing hostile or personal in the input reaches a deliverable (issue 19, items 1 and 2).

The engagement is the tiny one of tests/conftest.py with three hostile values: a client name
that is an Excel formula, a channel that starts with ``=`` (spend row 2), and an e-mail
address an export shifted into ``mql_at`` (leads row 2, so that row is quarantined and the
data-issues table quotes the address). No cell of the Excel workbook may be a formula, and
the address may appear in no report, no sheet and no label; the consultant's own
``workbook validate`` keeps the raw value (it is not a deliverable).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tests.conftest import (
    TINY_LEADS,
    TINY_SPEND,
    TINY_YAML,
    execute_notebook,
    outputs_text,
    phase_outputs,
    write_engagement,
)
from workbook.analysis.baseline import audit_issues
from workbook.cli import main
from workbook.deliverables import excel
from workbook.deliverables.display import table_html
from workbook.deliverables.excel import write_key_tables
from workbook.deliverables.key_tables import KeyTable, KeyTables
from workbook.deliverables.plots.kickoff import channel_mix_chart
from workbook.i18n import pretty, text
from workbook.i18n.privacy import redact_emails
from workbook.intake.engagement import load_engagement

CLIENT = '=HYPERLINK("http://evil.example","Acme")'
CHANNEL = "=1+2"
ADDRESS = "i.moretti5@acme.example"
LOCAL_PART = "i.moretti5"


def write_hostile_engagement(directory: Path) -> Path:
    yaml = TINY_YAML.replace("client: Tiny Test Co", f"client: '{CLIENT}'")
    # L2's mql_at holds an address (the row is quarantined); its channel and a spend row
    # are the formula-looking channel
    leads = TINY_LEADS.replace(
        "L2,2026-01-06,2026-01-16,,,2026-02-01,paid_social,",
        f"L2,2026-01-06,{ADDRESS},,,2026-02-01,{CHANNEL},",
    )
    spend = TINY_SPEND.replace("paid_social", CHANNEL)
    assert ADDRESS in leads and CHANNEL in spend
    return write_engagement(
        directory, {"engagement.yaml": yaml, "data/leads.csv": leads, "data/spend.csv": spend}
    )


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    return write_hostile_engagement(tmp_path_factory.mktemp("hostile") / "engagement")


@pytest.fixture(scope="module")
def engagement(hostile_dir):
    return load_engagement(hostile_dir)


@pytest.fixture(scope="module")
def xlsx(engagement, tmp_path_factory) -> Path:
    return write_key_tables(
        engagement,
        tmp_path_factory.mktemp("xlsx") / "key-tables.xlsx",
        language="en",
        saved=phase_outputs(engagement),
    )


def sheet_xml(path: Path) -> dict[str, str]:
    """Every part of the xlsx package that holds cell text, by name."""
    with zipfile.ZipFile(path) as package:
        return {
            name: package.read(name).decode("utf-8")
            for name in package.namelist()
            if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml"
        }


# -- item 1: no cell is ever a formula ------------------------------------------------------


def test_the_engagement_really_holds_the_hostile_values(engagement):
    assert engagement.config.client == CLIENT
    assert CHANNEL in set(engagement.spend["channel"].astype(str))


def test_a_client_name_that_is_a_formula_is_plain_text_atop_every_sheet(xlsx):
    book = openpyxl.load_workbook(xlsx)
    assert len(book.worksheets) == 17  # every phase ran: the final adds mix, SLA, review
    for sheet in book.worksheets:
        cell = sheet["A1"]
        assert cell.value == text("xlsx.title", "en", client=CLIENT, sheet=sheet.title)
        assert cell.value.startswith('=HYPERLINK("http://evil.example","Acme")')
        assert cell.data_type == "s", sheet.title
        assert cell.quotePrefix is True, sheet.title  # stays text when edited in Excel


def test_a_channel_that_starts_with_equals_is_plain_text_in_the_channels_sheet(xlsx):
    sheet = openpyxl.load_workbook(xlsx)["KPI - channels"]
    cells = [row[0] for row in sheet.iter_rows(min_row=excel.HEADER_ROW + 1) if row[0].value]
    shown = {cell.value: cell for cell in cells}
    assert CHANNEL in shown
    assert shown[CHANNEL].data_type == "s"
    assert shown[CHANNEL].quotePrefix is True


def test_no_cell_of_any_sheet_is_a_formula_even_in_the_file_itself(xlsx):
    book = openpyxl.load_workbook(xlsx)
    kinds = {
        cell.data_type for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
    }
    assert "f" not in kinds and "e" not in kinds
    parts = sheet_xml(xlsx)
    assert len([name for name in parts if name.startswith("xl/worksheets/sheet")]) == 17
    for name, xml in parts.items():
        assert "<f>" not in xml and "<f " not in xml, name
    # the formula's text is there, as an inline string
    assert (
        '<c r="A1" s="1" t="inlineStr"><is><t>=HYPERLINK("http://evil.example","Acme") - '
        in (parts["xl/worksheets/sheet1.xml"])
    )


def test_every_text_cell_is_text_whatever_its_first_character(tmp_path, monkeypatch):
    typed = [
        "=SUM(1,2)",
        "+33 1 23 45 67 89",
        "-5 leads",
        "@mention",
        "\tindented",
        "#N/A",
        "plain",
    ]
    frame = pd.DataFrame({"Value": typed, "Leads": list(range(len(typed)))})
    tables = KeyTables(
        client="Tiny Test Co",
        as_of=dt.date(2026, 6, 30),
        currency="EUR",
        language="en",
        tables=(KeyTable("data_issues", "Data issues", "", frame, ("text", "int")),),
    )
    monkeypatch.setattr(excel, "build_key_tables", lambda *args, **kwargs: tables)
    path = write_key_tables(object(), tmp_path / "typed.xlsx", language="en")
    sheet = openpyxl.load_workbook(path)["Data issues"]
    rows = list(sheet.iter_rows(min_row=excel.HEADER_ROW + 1, max_row=excel.HEADER_ROW + 7))
    # shown exactly as typed, stored as text; the formula triggers carry the quote prefix
    assert [row[0].value for row in rows] == typed
    assert [row[0].data_type for row in rows] == ["s"] * 7
    assert [row[0].quotePrefix for row in rows] == [True, True, True, True, True, False, False]
    # numbers stay numbers
    assert [row[1].value for row in rows] == list(range(7))
    assert {row[1].data_type for row in rows} == {"n"}


def test_a_control_character_xlsx_cannot_hold_is_left_out_instead_of_failing(tmp_path):
    # openpyxl refuses \x01 in a cell ("cannot be used in worksheets"): the run would fail
    spend = TINY_SPEND.replace("paid_social", "paid_social\x01")
    engagement = load_engagement(
        write_engagement(tmp_path / "engagement", {"data/spend.csv": spend})
    )
    assert "paid_social\x01" in set(engagement.spend["channel"].astype(str))
    saved = phase_outputs(engagement, phases=("midpoint",))
    path = write_key_tables(engagement, tmp_path / "key-tables.xlsx", language="en", saved=saved)
    sheet = openpyxl.load_workbook(path)["KPI - channels"]
    channels = [row[0].value for row in sheet.iter_rows(min_row=excel.HEADER_ROW + 1)]
    assert "Paid social" in channels


# -- item 2: no e-mail address reaches the client --------------------------------------------


def test_the_problem_quoting_the_address_keeps_it_for_the_consultant(engagement):
    (problem,) = [p for p in engagement.audit.errors if p.column == "mql_at"]
    assert problem.rows == (2,)
    assert ADDRESS in problem.message  # workbook validate shows it: see the next test


def test_workbook_validate_in_the_consultants_terminal_shows_the_raw_value(hostile_dir, capsys):
    assert main(["validate", str(hostile_dir)]) == 1
    out = capsys.readouterr()
    assert f"leads.csv, column mql_at, row 2: cannot read the date ('{ADDRESS}')" in (
        out.out + out.err
    )


@pytest.mark.parametrize(
    ("language", "replacement"), [("en", "[e-mail removed]"), ("fr", "[e-mail retiré]")]
)
def test_the_issue_rows_every_report_shows_replace_the_address(engagement, language, replacement):
    issues = audit_issues(engagement.audit, language=language)
    row = issues.loc[issues["column"] == "mql_at"].iloc[0]
    expected = text("problem.unreadable_date", language, sample=f"'{replacement}'")
    assert (row["severity"], row["file"], row["rows"], row["message"]) == (
        "error",
        "leads.csv",
        1,
        expected,
    )
    assert not issues.apply(lambda column: column.astype(str).str.contains("@")).any().any()


def test_the_excel_workbook_holds_no_address_anywhere(xlsx):
    parts = sheet_xml(xlsx)
    assert not any(LOCAL_PART in xml or "@acme.example" in xml for xml in parts.values())
    book = openpyxl.load_workbook(xlsx)
    messages = [str(cell.value) for row in book["Data issues"].iter_rows() for cell in row]
    assert "cannot read the date ('[e-mail removed]')" in messages


def test_a_label_or_table_cell_holding_an_address_shows_the_replacement():
    assert pretty(ADDRESS) == "[e-mail removed]"
    assert pretty(f"via {ADDRESS}", "fr") == "Via [e-mail retiré]"
    frame = pd.DataFrame({"lead_ids": [f"L1, {ADDRESS}"], "company": ["Alpha"]})
    html = table_html(
        frame, {"lead_ids": ("Leads", "text"), "company": ("Company", "text")}, language="fr"
    )
    assert LOCAL_PART not in html and "@" not in html
    assert '<td class="txt">L1, [e-mail retiré]</td>' in html


def test_a_chart_of_a_channel_holding_an_address_labels_it_with_the_replacement():
    mix = pd.DataFrame(
        {
            "channel": [ADDRESS, "webinar"],
            "leads": [3, 2],
            "lead_share": [0.6, 0.4],
            "marketing_share": [1.0, 1.0],
        }
    )
    fig = channel_mix_chart(mix, language="en")
    labels = {label.get_text() for ax in fig.axes for label in ax.get_yticklabels()}
    assert labels == {"[e-mail removed]", "Webinar"}


def test_the_redaction_keeps_the_text_around_the_address():
    assert (
        redact_emails(f"duplicate of <{ADDRESS}>, row 4")
        == "duplicate of <[e-mail removed]>, row 4"
    )
    assert redact_emails("no address, 50% @ risk") == "no address, 50% @ risk"


@pytest.mark.notebook
def test_the_kickoff_report_lists_the_problem_without_the_address(hostile_dir, tmp_path):
    nb = execute_notebook("00_kickoff.ipynb", tmp_path, engagement_dir=str(hostile_dir))
    shown = outputs_text(nb)
    assert LOCAL_PART not in shown and "@acme.example" not in shown
    assert "cannot read the date ('[e-mail removed]')" in shown


def test_narration_and_lists_show_data_values_as_text_never_as_links_or_markup(monkeypatch):
    from workbook.deliverables import display as show

    shown = []
    monkeypatch.setattr(show, "display", shown.append)
    show.show_text("Paid [x](http://evil.example) brings <b>most</b> leads")
    show.show_list(["Shift budget from [x](http://evil.example)", "Fix <script>"])
    html_out = [obj.data for obj in shown]
    assert html_out[0] == (
        "<p>Paid [x](http://evil.example) brings &lt;b&gt;most&lt;/b&gt; leads</p>"
    )
    assert "<li>Fix &lt;script&gt;</li>" in html_out[1] and "<a " not in html_out[1]


def test_a_deck_chart_of_a_formula_looking_channel_holds_no_formula(tmp_path):
    # python-pptx writes a chart's data into an embedded workbook with xlsxwriter, which would
    # store "=1+2" as a live formula: the label is kept as text (CONTRACT section 4)
    from pptx import Presentation
    from pptx.util import Inches

    from workbook.deliverables.deck.charts import Box, ChartVisual, add_chart, categories_of

    visual = ChartVisual(
        title="Spend by channel", categories=(CHANNEL, "Webinar"),
        series=(("Spend", (5000.0, 1000.0)),), unit="money", kind="bar",
    )  # fmt: skip
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    box = Box(int(Inches(0.5)), int(Inches(1)), int(Inches(8)), int(Inches(5)))
    add_chart(slide.shapes, visual, box, language="en", currency="EUR")
    deck.save(str(tmp_path / "deck.pptx"))
    with zipfile.ZipFile(tmp_path / "deck.pptx") as package:
        embedded = [n for n in package.namelist() if n.endswith(".xlsx")]
        assert embedded
        for name in embedded:
            with zipfile.ZipFile(io.BytesIO(package.read(name))) as book:
                sheets = [book.read(n).decode("utf-8") for n in book.namelist() if "sheet" in n]
            assert not any("<f>" in xml or "<f " in xml for xml in sheets), name
    chart = next(
        s for s in Presentation(str(tmp_path / "deck.pptx")).slides[0].shapes if s.has_chart
    )
    assert [c.lstrip("\u2060") for c in categories_of(chart.chart)] == [CHANNEL, "Webinar"]
