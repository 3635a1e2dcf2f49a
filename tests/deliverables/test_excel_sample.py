"""The key-tables workbook of the bundled sample holds the reports' own numbers.

Every sheet is checked against the function the report uses for the same table or chart
(mid-point scorecard and attribution, the final report's plan volume chart, budget, LTV:CAC,
budget mix, scoring, SLAs, merge review), and every cell against the decimals its format
shows. The budget mix, scoring, SLA and merge review sheets come from the tables the final
notebook saves (``final_tables``); every sheet reads the run's saved outputs, built here as the
notebooks build them (``tests.conftest.phase_outputs``).
"""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest

from tests.conftest import SAMPLE_DIR, phase_outputs
from tests.deliverables.test_excel import table_rows
from workbook.analysis.journeys import build_journeys
from workbook.deliverables import excel, plots
from workbook.deliverables.display import FORMATTERS
from workbook.deliverables.excel import write_key_tables
from workbook.deliverables.final import build_final_quant
from workbook.deliverables.final_facts import final_facts
from workbook.deliverables.final_tables import budget_mix_table
from workbook.deliverables.final_text import budget_figures
from workbook.deliverables.key_tables import build_key_tables, plan_chart_series, rounded
from workbook.deliverables.midpoint import build_midpoint
from workbook.deliverables.midpoint_facts import attribution_shares, format_ratio
from workbook.deliverables.midpoint_tables import scorecard_table
from workbook.deliverables.strategy import build_strategy
from workbook.deliverables.strategy_text import weights_table
from workbook.i18n import (
    CATALOGUE,
    format_money,
    format_month,
    format_number,
    format_percent,
    pretty,
    stage_label,
    text,
)
from workbook.intake.engagement import load_engagement

SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
PLACEHOLDER = re.compile(r"\b(None|nan|NaN|null|inf)\b")


@pytest.fixture(scope="module")
def sample():
    engagement = load_engagement(SAMPLE_DIR)
    return engagement, build_journeys(engagement)


@pytest.fixture(scope="module")
def strategy(sample):
    engagement, journeys = sample
    return build_strategy(engagement, journeys, language="en", seed=7)


@pytest.fixture(scope="module")
def quant(sample):
    engagement, journeys = sample
    return build_final_quant(engagement, journeys, simulate=2000, seed=7)  # as the notebook


def saved_outputs(sample, quant, strategy, language: str):
    """What the phase notebooks save under ``workbook run``, as they compute it."""
    engagement, journeys = sample
    return phase_outputs(engagement, journeys, language=language, quant=quant, strategy=strategy)


@pytest.fixture(scope="module")
def books(sample, quant, strategy, tmp_path_factory):
    engagement, journeys = sample
    folder = tmp_path_factory.mktemp("sample-books")
    out = {}
    for language in ("en", "fr"):
        path = write_key_tables(
            engagement,
            folder / f"{language}.xlsx",
            language=language,
            saved=saved_outputs(sample, quant, strategy, language),
        )
        out[language] = openpyxl.load_workbook(path)
    return out


def rows(book, key: str, language: str = "en") -> list[tuple]:
    """Header and data rows of the sheet of that key."""
    return table_rows(book[text(f"xlsx.sheet.{key}", language)])


def cell_texts(book):
    """(sheet, header, value) of every text cell, sheet names included."""
    for sheet in book.worksheets:
        yield sheet.title, "", sheet.title
        headers = [c.value for c in sheet[excel.HEADER_ROW]]
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    header = headers[cell.column - 1] if cell.column <= len(headers) else ""
                    yield sheet.title, header if cell.row > excel.HEADER_ROW else "", cell.value


def test_the_workbook_has_every_sheet_of_the_reports(books):
    keys = [
        "contents", "data_audit", "data_issues", "funnel_counts", "scorecard", "kpi_funnel",
        "kpi_velocity", "kpi_channels", "attribution", "plan_totals", "plan_monthly", "budget",
        "ltv_cac", "budget_mix", "content_gaps", "scoring_model", "scoring_weights", "sla",
        "merge_review",
    ]  # fmt: skip
    for language, book in books.items():
        assert book.sheetnames == [text(f"xlsx.sheet.{k}", language) for k in keys]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_number_holds_more_decimals_than_its_format_shows(books, language):
    checked = 0
    for sheet in books[language].worksheets:
        for row in sheet.iter_rows(min_row=excel.HEADER_ROW + 1):
            for cell in row:
                if isinstance(cell.value, bool) or not isinstance(cell.value, int | float):
                    continue
                fmt = cell.number_format
                decimals = len(re.search(r"0(?:\.(0+))?", fmt).group(1) or "")
                decimals += 2 if fmt.endswith("%") else 0
                assert round(cell.value, decimals) == cell.value, (sheet.title, cell.coordinate)
                checked += 1
    assert checked > 500


def test_plan_counts_are_whole_as_the_report_shows_them(books, quant):
    totals = {row[0]: row for row in rows(books["en"], "plan_totals")[1:]}
    # the sample's plan: 11,749.2 inquiries and 119.6 deals to win, shown 11,749 and 120
    assert quant.stages["total"].iloc[0] == pytest.approx(11749.215, abs=1e-3)
    assert quant.stages["total"].iloc[-1] == pytest.approx(119.616, abs=1e-3)
    assert totals["Inquiry"][1] == 11749 and totals["Won"][1] == 120
    assert totals["Inquiry"][-2] == 0.244  # conversion to MQL: 24.4%


def test_the_monthly_sheet_is_the_plan_volume_chart_from_the_as_of_month(
    books, sample, quant, strategy
):
    engagement, _ = sample
    series = plan_chart_series(quant.schedule, as_of=engagement.as_of)
    sheet = rows(books["en"], "plan_monthly")
    assert sheet[0] == (
        "Stage",
        "Month",
        text("plan.legend.required", "en"),
        text("plan.legend.carry_over", "en"),
        text("plan.legend.run_rate", "en"),
    )
    expected = [
        (
            stage_label(s, "en"),
            m.to_pydatetime(),
            rounded(r, "int"),
            rounded(c, "int"),
            rounded(q, "int"),
        )
        for s, m, r, c, q in series.itertuples(index=False, name=None)
    ]
    assert sheet[1:] == expected
    # as_of 2026-09-30: the plan's months start in July 2026, July to September are over
    months = {row[1] for row in sheet[1:]}
    assert min(months) == pd.Timestamp("2026-10-01") and max(months) == pd.Timestamp("2027-12-01")
    assert pd.Timestamp("2026-07-01") in set(quant.schedule["month"])
    note = text("xlsx.note.past_months", "en", month=format_month(pd.Timestamp("2026-10-01")))
    final = phase_outputs(*sample, phases=("final",), quant=quant, strategy=strategy)
    assert build_key_tables(engagement, final, language="en").sheet("plan_monthly").notes == (note,)

    # and they are the bars and line the final report draws
    figure = plots.plan_volume_chart(quant.schedule, stages=quant.plan.stages, language="en")
    by_stage = {row: [] for row in quant.plan.stages}
    for row in sheet[1:]:
        by_stage[next(s for s in quant.plan.stages if stage_label(s, "en") == row[0])].append(row)
    for ax, stage in zip(figure.axes, quant.plan.stages, strict=False):
        heights = [patch.get_height() for patch in ax.patches]
        n = len(heights) // 2  # the plan's bars, then the carry-over stacked on them
        shown = len(by_stage[stage])
        assert [rounded(h, "int") for h in heights[n - shown : n]] == [
            row[2] for row in by_stage[stage]
        ]
        assert [rounded(h, "int") for h in heights[2 * n - shown :]] == [
            row[3] for row in by_stage[stage]
        ]
        line = next(
            line
            for line in ax.get_lines()
            if line.get_label() == text("plan.legend.run_rate", "en")
        )
        assert {row[4] for row in by_stage[stage]} == {rounded(line.get_ydata()[0], "int")}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_scorecard_sheet_is_the_mid_point_scorecard(books, sample, language):
    engagement, journeys = sample
    report = build_midpoint(engagement, journeys)
    table = scorecard_table(report, language=language, currency="EUR")
    sheet = rows(books[language], "scorecard", language)[1:]
    assert [(kpi, detail) for kpi, _, detail in sheet] == list(
        zip(table["kpi"], table["detail"], strict=True)
    )
    # each figure is a number in its cell (not text), read as the report prints it
    shown = {
        "percent": lambda v: format_percent(v, language),
        "money": lambda v: format_money(v, "EUR", language),
        "days": lambda v: text("mid.days", language, days=format_number(v, language)),
        "float": lambda v: format_ratio(v, language),
    }
    kinds = ["percent", "money", "percent", "percent", "text", "days", "float"]
    formats = excel.number_formats(language, "EUR")
    book = books[language][text("xlsx.sheet.scorecard", language)]
    for offset, ((_, figure, _), kind, words) in enumerate(
        zip(sheet, kinds, table["figure"], strict=True)
    ):
        cell = book.cell(excel.HEADER_ROW + 1 + offset, 2)
        if kind == "text":
            assert figure == words and isinstance(figure, str)
            continue
        assert isinstance(figure, int | float), (kind, figure)
        assert shown[kind](figure) == words and cell.number_format == formats[kind]
    assert sheet[0][1] == 0.369 and sheet[6][1] == round(report.kpis.economics.ratio, 1)


def test_the_attribution_sheet_is_the_mid_point_shares(books, sample):
    engagement, journeys = sample
    shares = attribution_shares(build_midpoint(engagement, journeys).kpis.attribution)
    sheet = rows(books["fr"], "attribution", "fr")
    assert sheet[0] == (
        "Canal",
        *(text(f"mid.model.{m}", "fr") for m in shares.columns[1:]),
    )
    assert sheet[1:] == [
        (pretty(row[0], "fr"), *(rounded(v, "percent") for v in row[1:]))
        for row in shares.itertuples(index=False, name=None)
    ]
    # each model's shares add up to one (to the rounding of each cell)
    for column in range(1, len(sheet[0])):
        assert sum(row[column] for row in sheet[1:]) == pytest.approx(1, abs=0.005)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_budget_and_ltv_cac_are_the_final_reports_figures(books, quant, language):
    allocation = quant.budget.allocation
    budget = rows(books[language], "budget", language)
    assert [row[0] for row in budget[1:]] == [pretty(c, language) for c in allocation["channel"]]
    assert [row[-1] for row in budget[1:]] == [rounded(b, "money") for b in allocation["budget"]]
    figures = rows(books[language], "ltv_cac", language)
    shown = dict(budget_figures(quant, language=language, currency="EUR").values.tolist())
    assert list(figures[0]) == list(shown)
    kinds = ["money"] * 5 + ["float"] * 2  # budget, net, cost per lead, CAC, LTV; ratio, payback
    for header, value, kind in zip(figures[0], figures[1], kinds, strict=True):
        assert FORMATTERS[kind](value, language, "EUR") == shown[header], header
    # the sample's plan: CAC €10,014 and LTV:CAC 25.0, whole money and one decimal
    assert figures[1][3] == 10014 and figures[1][5] == 25.0


def test_the_scoring_sheets_are_the_models_figures_and_the_reports_weights(books, strategy):
    score = strategy.scoring
    model = rows(books["en"], "scoring_model")
    holdout = text("strategy.metric.holdout", "en", start=format_month(score.holdout_from))
    # one column per measure the final notebook saved, each rounded as the report shows it
    assert dict(zip(model[0], model[1], strict=True)) == {
        text("strategy.metric.threshold", "en"): round(score.threshold, 2),
        text("strategy.metric.precision", "en"): rounded(score.precision_at_threshold, "percent"),
        text("strategy.metric.recall", "en"): rounded(score.recall_at_threshold, "percent"),
        text("strategy.metric.flagged", "en"): rounded(score.flagged_share, "percent"),
        text("strategy.metric.auc", "en"): round(score.auc, 2),
        holdout: score.holdout_leads,
    }
    weights = weights_table(score, language="fr")
    sheet = rows(books["fr"], "scoring_weights", "fr")
    assert sheet[0] == ("Signal", "Poids dans le score", "Effet")
    assert sheet[1:] == [
        (feature, round(weight, 2), effect)
        for feature, weight, effect in weights.itertuples(index=False, name=None)
    ]


def test_the_sla_sheet_is_the_lead_management_sla_table(books, strategy):
    sla = strategy.lead_management.sla
    sheet = rows(books["en"], "sla")
    assert [row[:3] for row in sheet[1:]] == [
        (stage_label(a, "en"), stage_label(b, "en"), int(d))
        for a, b, d in sla[["from", "to", "sla_days"]].itertuples(index=False, name=None)
    ]
    assert [row[7] for row in sheet[1:]] == [rounded(r, "percent") for r in sla["compliance_rate"]]
    # median days to act in whole days, as the report's table (MQL -> SAL: 8 days)
    assert [row[8] for row in sheet[1:]] == [rounded(d, "int") for d in sla["median_response_days"]]
    assert sheet[1][8] == 8


def test_the_budget_mix_sheet_is_the_final_reports_mix(books, sample, quant, strategy):
    engagement, journeys = sample
    facts = final_facts(engagement, journeys, quant=quant, strategy=strategy)
    mix = budget_mix_table(facts, language="fr")
    sheet = rows(books["fr"], "budget_mix", "fr")
    assert [row[0] for row in sheet[1:]] == [pretty(c, "fr") for c in mix["channel"]]
    assert [row[1] for row in sheet[1:]] == [
        rounded(v, "percent") for v in mix["today_spend_share"]
    ]
    advice = [None if pd.isna(a) or a == "" else a for a in mix["advice"]]  # no advice: blank
    assert [row[-1] for row in sheet[1:]] == advice


def test_the_merge_review_lists_every_group_with_its_lead_ids(books, strategy):
    review = strategy.lead_management.review
    sheet = rows(books["en"], "merge_review")
    assert sheet[0] == ("Review", "Company", "Leads", "Number of leads", "Hot leads", "Keep")
    assert len(sheet) - 1 == len(review)  # every group, not the report's first 15
    assert [row[2] for row in sheet[1:]] == review["lead_ids"].tolist()
    assert {row[0] for row in sheet[1:]} <= {
        text("strategy.review.kind.same_email", "en"),
        text("strategy.review.kind.same_account", "en"),
    }


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_cell_or_sheet_name_is_snake_case_or_a_placeholder(books, language):
    for sheet, header, value in cell_texts(books[language]):
        assert not PLACEHOLDER.search(value), (sheet, value)
        assert value.strip() != "-", (sheet, header)
        # the data issues' messages too: in the client's words, as the kickoff shows them
        assert not SNAKE_CASE.search(value), (sheet, value)


def test_the_french_workbook_holds_no_english_word_of_the_catalogue(books):
    english, french = CATALOGUE["en"], CATALOGUE["fr"]
    only_english = set(english.values()) - set(french.values())  # "LTV:CAC" is both
    leaked = [
        (sheet, value) for sheet, _, value in cell_texts(books["fr"]) if value in only_english
    ]
    assert leaked == []
    channels = rows(books["fr"], "kpi_channels", "fr")
    assert "Réseaux sociaux payants" in {row[0] for row in channels}
    sheet = books["fr"][text("xlsx.sheet.kpi_channels", "fr")]
    assert sheet["B5"].number_format == '#,##0 "€"'
    assert books["fr"][text("xlsx.sheet.plan_monthly", "fr")]["B5"].number_format == (
        "[$-40C]mmm yyyy"
    )
