"""Which sheets the key-tables workbook holds, on the tiny engagement of tests/conftest.py.

The workbook reads what the phase notebooks saved (the figures register and their tables,
``phase_outputs`` computes them as the notebooks do), never recomputing: a phase that did not
run leaves its sheets out and the contents sheet says why. Hand-computed values are derived
in each comment.
"""

from __future__ import annotations

import dataclasses

import openpyxl
import pandas as pd
import pytest

from tests.conftest import TINY_YAML, phase_outputs, write_engagement
from workbook.deliverables.excel import write_key_tables
from workbook.deliverables.final_tables import (
    first_open_month,
    merge_review_export,
    sla_table,
    upcoming_schedule,
)
from workbook.deliverables.key_tables import PHASE_TABLES, build_key_tables
from workbook.deliverables.notebook import PhaseOutputs
from workbook.deliverables.register import FigureRegister
from workbook.deliverables.strategy import build_strategy
from workbook.i18n import format_month, text
from workbook.intake.engagement import load_engagement


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    engagement = load_engagement(write_engagement(tmp_path_factory.mktemp("sheets") / "tiny"))
    return engagement, build_strategy(engagement, language="en", seed=7)


def only(tables: dict[str, pd.DataFrame]) -> PhaseOutputs:
    """A run's saved outputs holding only these tables (an empty register)."""
    return PhaseOutputs(register=FigureRegister(), summaries={}, tables=tables)


def saved(strategy, language: str = "en") -> PhaseOutputs:
    """Two of the tables the final notebook saves (workbook.deliverables.final_tables.final_tables);
    the tiny engagement has too few leads to score."""
    assert strategy.scoring is None
    lm = strategy.lead_management
    return only(
        {
            "sla": sla_table(lm.sla),
            "merge_review": merge_review_export(lm.review, language=language),
        }
    )


def test_the_phase_tables_the_workbook_reads():
    assert PHASE_TABLES == ("budget", "scoring_summary", "scoring_weights", "sla", "merge_review")


def test_without_the_final_notebooks_tables_their_sheets_are_left_out_and_said_so(tiny):
    engagement, _ = tiny
    for outputs in (None, only({}), only({"kpi_funnel": pd.DataFrame()})):
        tables = build_key_tables(engagement, outputs, language="fr")
        assert not {"scoring_model", "scoring_weights", "sla", "merge_review"} & set(tables.keys)
        assert text("xlsx.note.no_strategy", "fr") in tables.notes
        assert tables.sheet("contents").notes == tables.notes


def test_the_sla_sheet_gives_each_hand_off_its_compliance(tiny):
    engagement, strategy = tiny
    tables = build_key_tables(engagement, saved(strategy), language="en")
    assert "scoring_model" not in tables.keys
    assert text("xlsx.note.no_strategy", "en") not in tables.notes
    sla = tables.sheet("sla").frame
    # MQL -> SAL within 2 days: L1 (2 days), L4 (no MQL date: same day), L5 (1 day) are in
    # time, L2 (disqualified after 16 days) and L3 (4 days) are not: 3 of 5, 60%.
    assert sla.iloc[0].tolist() == ["MQL", "SAL", 2, 5, 3, 2, 0, 0.6, 2.0]
    assert list(sla.columns[:3]) == ["From", "To", "SLA (days)"]
    # SQL -> opportunity within 30 days: L1, L4 and L5 all are
    assert sla.iloc[2, :8].tolist() == ["SQL", "Opportunity", 30, 3, 3, 0, 0, 1.0]


def test_the_merge_review_sheet_lists_the_lead_ids_the_report_leaves_out(tiny, tmp_path):
    engagement, strategy = tiny
    path = write_key_tables(
        engagement, tmp_path / "k.xlsx", language="fr", saved=saved(strategy, "fr")
    )
    sheet = openpyxl.load_workbook(path)[text("xlsx.sheet.merge_review", "fr")]
    # L1 (ann@alpha.example) and L4 ( Ann@Alpha.example) share an address: keep L1, the more
    # advanced (won); both companies listed
    assert [c.value for c in sheet[5]] == [
        text("strategy.review.kind.same_email", "fr"),
        "Alpha / Gamma",
        "L1, L4",
        2,
        0,
        "L1",
    ]
    assert all("@" not in str(c.value) for row in sheet.iter_rows() for c in row)


def test_the_analysis_review_frame_gives_the_same_sheet_with_the_accounts(tiny):
    engagement, strategy = tiny
    review = strategy.lead_management.review  # as the analysis gives it: kinds as keys
    sheet = build_key_tables(engagement, only({"merge_review": review}), language="en")
    frame = sheet.sheet("merge_review").frame
    assert frame.iloc[0].tolist() == [
        "Same e-mail: merge", "ACC1 / ACC3", "Alpha / Gamma", "L1, L4", 2, 0, "L1",
    ]  # fmt: skip


def test_an_empty_merge_review_says_there_is_nothing_to_review(tiny):
    engagement, strategy = tiny
    review = strategy.lead_management.review.iloc[:0]
    tables = build_key_tables(engagement, only({"merge_review": review}), language="en")
    sheet = tables.sheet("merge_review")
    assert len(sheet.frame) == 0 and sheet.notes == (text("xlsx.note.no_review", "en"),)


def test_a_plan_starting_before_as_of_shows_no_need_for_past_months(tmp_path):
    # as_of 2026-06-30, plan from 2026-07: the first wins need leads entering months earlier,
    # which are over (June too, on its last day); the monthly sheet starts at July 2026
    yaml = TINY_YAML.replace("period_start: 2027-01", "period_start: 2026-07")
    engagement = load_engagement(write_engagement(tmp_path / "e", {"engagement.yaml": yaml}))
    from workbook.deliverables.final import build_final_quant

    schedule = build_final_quant(engagement, simulate=0).schedule
    assert schedule["month"].min() < pd.Timestamp("2026-06-01")
    sheet = build_key_tables(engagement, phase_outputs(engagement), language="en").sheet(
        "plan_monthly"
    )
    months = pd.to_datetime(sheet.frame["Month"])
    assert months.min() == pd.Timestamp("2026-07-01")  # June is over on its last day
    assert sheet.notes == (
        text("xlsx.note.past_months", "en", month=format_month(pd.Timestamp("2026-07-01"))),
    )
    assert sheet.notes[0] == "Months before Jul 2026 are left out: they are already past."
    # the report's volume chart draws the same months: one function decides
    chart = upcoming_schedule(schedule, as_of=engagement.as_of)
    assert list(pd.to_datetime(chart["month"]).unique()) == list(months.unique())


@pytest.mark.parametrize(
    ("as_of", "first"),
    [("2026-09-30", "2026-10-01"), ("2026-09-29", "2026-09-01"), ("2026-12-31", "2027-01-01")],
)
def test_the_plan_months_start_with_the_first_month_not_over(as_of, first):
    schedule = pd.DataFrame(
        {"month": pd.date_range("2026-08-01", periods=6, freq="MS"), "required": range(6)}
    )
    kept = upcoming_schedule(schedule, as_of=pd.Timestamp(as_of).date())
    assert first_open_month(as_of) == pd.Timestamp(first)
    assert kept["month"].min() == pd.Timestamp(first)
    assert kept["required"].tolist() == list(range(6))[-len(kept) :]


def test_without_touches_there_is_no_attribution_sheet_and_a_note_says_why(tmp_path):
    engagement = load_engagement(write_engagement(tmp_path / "e", {"data/touches.csv": None}))
    tables = build_key_tables(engagement, phase_outputs(engagement), language="en")
    assert "attribution" not in tables.keys
    assert tables.notes[0] == "No attribution sheet: no touches were provided."


def test_without_spend_the_budget_sheets_hold_leads_and_the_lifetime_value_only(tmp_path):
    engagement = load_engagement(write_engagement(tmp_path / "e", {"data/spend.csv": None}))
    tables = build_key_tables(engagement, phase_outputs(engagement), language="en")
    budget, figures = tables.sheet("budget"), tables.sheet("ltv_cac")
    assert list(budget.frame.columns) == ["Channel", "Share of leads", "Leads"]
    # LTV = mean marketing-sourced won deal (O1, 50,000) x 0.75 margin / 0.15 churn
    assert figures.frame.to_dict("records") == [{"LTV": 250000}]
    assert budget.notes == figures.notes == (text("spend.missing", "en"),)


def test_the_sheets_of_a_phase_that_did_not_run_are_left_out_and_said_so(tiny):
    engagement, strategy = tiny
    outputs = phase_outputs(engagement, language="fr", phases=("final",), strategy=strategy)
    tables = build_key_tables(engagement, outputs, language="fr")
    assert not {"funnel_counts", "content_gaps", "scorecard", "kpi_funnel"} & set(tables.keys)
    assert {"data_audit", "plan_totals", "plan_monthly", "ltv_cac", "sla"} <= set(tables.keys)
    assert tables.notes[:2] == (
        text("xlsx.note.no_kickoff", "fr"),
        text("xlsx.note.no_midpoint", "fr"),
    )
    assert not any("engagement.yaml" in note for note in tables.notes)  # no configuration text


def test_every_scorecard_and_budget_figure_is_the_registers_value(tiny):
    engagement, strategy = tiny
    outputs = phase_outputs(engagement, strategy=strategy)
    register, shown = outputs.register, outputs.tables["scorecard"]
    tables = build_key_tables(engagement, outputs, language="en")
    figures = tables.sheet("scorecard").frame["Figure"].tolist()
    for key, cell in zip(shown["figure_key"], figures, strict=True):
        if isinstance(key, str) and register.value(key) is not None:
            assert cell == pytest.approx(register.value(key), abs=0.051), key
    assert figures[0] == pytest.approx(register.value("kpis.lift.won_revenue_share"), abs=5e-4)
    ltv = tables.sheet("ltv_cac").frame.iloc[0]
    assert ltv["Budget"] == round(register.value("plan.budget.total"))
    assert ltv["Planned LTV:CAC"] == round(register.value("plan.budget.ltv_cac"), 1)


def test_a_budget_figure_the_data_cannot_give_reads_not_measurable_in_its_column(tiny):
    engagement, strategy = tiny
    outputs = phase_outputs(engagement, phases=("final",), strategy=strategy)
    figures = [f for f in outputs.register if f.key != "plan.budget.payback_months"]
    payback = outputs.register["plan.budget.payback_months"]
    register = FigureRegister([*figures, dataclasses.replace(payback, value=None)])
    tables = build_key_tables(engagement, PhaseOutputs(register, {}, outputs.tables), language="fr")
    row = tables.sheet("ltv_cac").frame.iloc[0]
    assert row[text("final.fig.payback", "fr")] == "non mesurable"
    assert len(row) == 7  # every figure keeps its column
