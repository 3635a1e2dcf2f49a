"""Deliverables of a client who provided no marketing spend (issue 16 item 1, CONTRACT
section 3): every section, chart, sentence, table and sheet that needs spend says so in one
plain sentence (English and French) and shows nothing invented (no chart of zeros, no
"0 spent", no CAC of 0); what needs no spend still shows.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tests.conftest import execute_notebook, outputs_text, phase_outputs, write_engagement
from workbook.analysis.journeys import build_journeys
from workbook.deliverables import plots
from workbook.deliverables.excel import write_key_tables
from workbook.deliverables.final import build_final_quant
from workbook.deliverables.final_text import budget_figures, final_quant_sentences
from workbook.deliverables.kickoff import build_kickoff, kickoff_sentences
from workbook.deliverables.midpoint import build_midpoint
from workbook.deliverables.midpoint_facts import top_revenue_channel
from workbook.deliverables.midpoint_tables import (
    executive_table,
    midpoint_next_steps,
    scorecard_table,
)
from workbook.deliverables.midpoint_text import midpoint_sentences
from workbook.deliverables.operating_model import technology_checklist
from workbook.deliverables.strategy import build_strategy
from workbook.deliverables.table_columns import table_columns
from workbook.i18n import format_money, format_number, text
from workbook.intake.engagement import load_engagement

LANGUAGES = ("en", "fr")
#: How each language's notice starts, inside a longer sentence.
NOTICE = {"en": "no marketing spend was provided", "fr": "aucune dépense marketing n'a été fournie"}
#: What an invented spend figure looks like in a report (the bug of issue 16).
INVENTED = (
    re.compile(r"\bspent over\b|dépensés sur"),  # "€0 spent over 1 months"
    re.compile(r"CAC (of )?(€|EUR)\s?\d|CAC (de )?\d[\d\u202f\s,]*\u202f€"),
    re.compile(r"costs (€|EUR)\s?0 to acquire"),
)


@pytest.fixture(scope="module")
def no_spend(tmp_path_factory):
    """The tiny engagement (tests/conftest.py) without spend.csv, and its journeys."""
    directory = write_engagement(
        tmp_path_factory.mktemp("nospend") / "tiny", {"data/spend.csv": None}
    )
    engagement = load_engagement(directory)
    return engagement, build_journeys(engagement)


def assert_nothing_invented(report_text: str) -> None:
    for pattern in INVENTED:
        assert not pattern.search(report_text), pattern.pattern


@pytest.mark.parametrize("language", LANGUAGES)
def test_kickoff_says_no_spend_was_provided_and_charts_nothing(no_spend, language):
    engagement, journeys = no_spend
    report = build_kickoff(engagement, journeys, language=language)
    assert report.spend_by_month is None
    sentences = kickoff_sentences(report, language=language, currency="EUR")
    assert sentences["spend"] == text("spend.missing.kickoff", language)
    assert_nothing_invented(" ".join(sentences.values()))


@pytest.mark.parametrize("language", LANGUAGES)
def test_midpoint_says_what_spend_would_show_and_keeps_what_exists(no_spend, language):
    engagement, journeys = no_spend
    report = build_midpoint(engagement, journeys)
    assert not report.kpis.spend_provided
    score = scorecard_table(report, language=language, currency="EUR").set_index("kpi")
    not_provided = text("spend.not_provided", language)
    levers = score.loc[text("mid.kpi.levers", language)]
    ltv_cac = score.loc[text("mid.kpi.ltv_cac", language)]
    assert (levers["figure"], ltv_cac["figure"]) == (not_provided, not_provided)
    # the webinar lead L1 won O1 at 50,000; LTV = 50,000 x 0.75 / 0.15
    money = {"en": ("€50,000", "€250,000"), "fr": ("50\u202f000\u202f€", "250\u202f000\u202f€")}
    won, ltv = money[language]
    assert levers["detail"] == text(
        "spend.missing.levers_detail",
        language,
        channel={"en": "Webinar", "fr": "webinaire"}[language],  # mid-sentence
        revenue=won,
    )
    assert ltv_cac["detail"] == text("spend.missing.ltv_cac_detail", language, ltv=ltv)
    executive = executive_table(report, language=language, currency="EUR")
    measures = executive["measure"].tolist()
    for key in ("mid.exec.cac", "mid.exec.ratio", "mid.exec.payback"):
        assert text(key, language) not in measures
    assert executive.set_index("measure").loc[text("mid.exec.ltv", language), "figure"] == ltv
    steps = midpoint_next_steps(report, language=language)
    assert text("spend.missing.next", language) in steps
    sentences = midpoint_sentences(report, language=language, currency="EUR")
    assert sentences["levers"] == text("spend.missing.levers", language)
    for key in ("scorecard", "executive", "operations"):
        assert NOTICE[language] in sentences[key], key
    assert_nothing_invented(" ".join([*sentences.values(), *steps]))
    # the levers table keeps the leads, won deals and revenue, and no spend, CAC or ROI
    columns = table_columns("kpi_channels", language, spend=report.kpis.spend_provided)
    assert list(columns) == ["channel", "leads", "won_count", "won_revenue"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_final_budget_is_the_plan_s_leads_by_channel_not_money(no_spend, language):
    engagement, journeys = no_spend
    quant = build_final_quant(engagement, journeys, simulate=0, seed=7)
    budget = quant.budget
    assert not budget.priced
    sentences = final_quant_sentences(quant, language=language, currency="EUR")
    first = budget.allocation.iloc[0]
    assert first["channel"] == "webinar"  # 3 of the 5 marketing-sourced inquiries
    assert sentences["budget"] == text(
        "spend.missing.budget",
        language,
        total=format_number(float(budget.allocation["inquiries"].sum()), language),
        first_stage=text("stage.inquiry", language),
        top_channel={"en": "Webinar", "fr": "le canal webinaire"}[language],  # mid-sentence
        top_share={"en": "60.0%", "fr": "60,0\u202f%"}[language],
    )
    ltv = format_money(budget.economics.ltv, "EUR", language)
    assert sentences["ltv_cac"] == text("spend.missing.ltv_cac", language, ltv=ltv)
    figures = budget_figures(quant, language=language, currency="EUR")
    assert figures["figure"].tolist() == [text("plan.label.ltv", language)]
    assert list(table_columns("budget_allocation", language, spend=budget.priced)) == [
        "channel",
        "share",
        "inquiries",
    ]
    assert "budget" not in table_columns("scenarios", language, spend=False)
    assert_nothing_invented(" ".join(sentences.values()))


def test_scenario_chart_without_budgets_draws_only_the_leads():
    scenarios = pd.DataFrame(
        {"scenario": [None, "cheap"], "first_total": [100.0, 80.0], "budget": [None, None]}
    )
    fig = plots.scenario_chart(scenarios, first_stage="inquiry", currency="EUR")
    assert len(fig.axes) == 1
    titles = [fig.axes[0].get_title(loc=loc) for loc in ("left", "center")]
    assert text("plan.chart.scenarios", "en", first_stage="Inquiry") in titles
    priced = scenarios.assign(budget=[1000.0, 800.0])
    assert len(plots.scenario_chart(priced, first_stage="inquiry", currency="EUR").axes) == 2


def test_technology_checklist_does_not_score_campaign_naming_against_no_spend(no_spend):
    engagement, journeys = no_spend
    strategy = build_strategy(engagement, journeys, language="fr", seed=7)
    checklist = technology_checklist(
        engagement, strategy.content, strategy.scoring, language="fr"
    ).set_index("item")
    naming = checklist.loc[text("strategy.tech.naming", "fr")]
    assert naming["evidence"] == text("spend.missing.naming", "fr")
    assert naming["status"] == "todo"


@pytest.mark.parametrize("language", LANGUAGES)
def test_excel_channel_sheet_has_the_notice_instead_of_spend_figures(no_spend, tmp_path, language):
    engagement, journeys = no_spend
    saved = phase_outputs(engagement, journeys, language=language, phases=("midpoint",))
    path = write_key_tables(engagement, tmp_path / "book.xlsx", language=language, saved=saved)
    book = openpyxl.load_workbook(path)
    sheet = book[text("xlsx.sheet.kpi_channels", language)]
    rows = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    header = next(row for row in rows if row and row[0] == text("label.channel", language))
    # the report's own columns (table_columns), no spend, CAC or ROI
    assert header == [
        label for label, _ in table_columns("kpi_channels", language, spend=False).values()
    ]
    assert [{"en": "Webinar", "fr": "Webinaire"}[language], 3, 1, 50000] in rows
    # the notice is the one line under the table
    assert rows[-1] == [text("spend.missing.excel", language)]


def report_text(name: str, tmp_path: Path, engagement_dir: Path) -> str:
    return outputs_text(execute_notebook(name, tmp_path, engagement_dir=str(engagement_dir)))


@pytest.mark.notebook
def test_each_phase_report_says_no_spend_was_provided(tmp_path):
    directory = write_engagement(tmp_path / "tiny", {"data/spend.csv": None})
    kickoff = report_text("00_kickoff.ipynb", tmp_path, directory)
    assert '<h2 id="spend">Spend: not provided</h2>' in kickoff
    assert text("spend.missing.kickoff", "en") in kickoff
    midpoint = report_text("01_midpoint_insights.ipynb", tmp_path, directory)
    assert text("spend.missing.levers", "en") in midpoint
    assert text("spend.missing.next", "en") in midpoint
    assert text("mid.chart.channel_return", "en") not in midpoint  # no chart of spend
    final = report_text("02_final_strategy.ipynb", tmp_path, directory)
    assert '<h3 id="budget">The plan in leads: ' in final  # the heading states the finding
    assert "No marketing spend was provided, so the plan is sized in leads, not money" in final
    assert "No marketing spend was provided: the plan's CAC, LTV:CAC and CAC payback" in final
    assert text("plan.chart.budget", "en") not in final  # no budget chart
    for report in (kickoff, midpoint, final):
        assert_nothing_invented(report)


def test_the_top_revenue_channel_is_never_the_channel_the_data_did_not_record():
    channels = pd.DataFrame(
        {"channel": ["not_recorded", "webinar", "events"], "won_revenue": [900.0, 100.0, 0.0]}
    )
    assert top_revenue_channel(channels)["channel"] == "webinar"
    assert top_revenue_channel(channels.iloc[[0, 2]]) is None
