"""Budget of the plan: cost per inquiry by channel, budget for a mix, CAC and LTV:CAC."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import TINY_YAML, write_engagement
from workbook.analysis.budget import (
    blended_cost_per_inquiry,
    build_budget,
    channel_mix,
    cost_per_inquiry,
    plan_budget,
    unit_economics,
)
from workbook.analysis.journeys import build_journeys
from workbook.analysis.plan import PlanError, build_plan
from workbook.intake.engagement import load_engagement


def tiny(tmp_path: Path, extra_yaml: str = ""):
    engagement = load_engagement(
        write_engagement(tmp_path / "tiny", {"engagement.yaml": TINY_YAML + extra_yaml})
    )
    return engagement, build_journeys(engagement)


def tiny_costs(engagement, journeys) -> pd.DataFrame:
    return cost_per_inquiry(
        engagement.spend,
        journeys.leads,
        window_start=engagement.window_start,
        as_of=engagement.as_of_timestamp,
    )


def test_cost_per_inquiry_divides_window_spend_by_marketing_sourced_inquiries(tmp_path):
    # tiny engagement (tests/conftest.py), window 2025-07 .. 2026-06-30. Marketing-sourced
    # inquiries: webinar L1, L3, L6; paid_social L2; paid_search L4 (L5 is sales-sourced).
    # Spend: webinar 10,000; paid_social 5,000; paid_search 2,500.50; events 4,000.
    costs = tiny_costs(*tiny(tmp_path)).set_index("channel")
    assert costs.loc["webinar", "cost_per_inquiry"] == pytest.approx(10_000 / 3)
    assert costs.loc["paid_social", "cost_per_inquiry"] == pytest.approx(5_000.0)
    assert costs.loc["paid_search", "cost_per_inquiry"] == pytest.approx(2_500.50)
    assert np.isnan(costs.loc["events", "cost_per_inquiry"])  # spend, no marketing inquiry
    assert costs["inquiry_share"].to_dict() == pytest.approx(
        {"webinar": 0.6, "paid_social": 0.2, "paid_search": 0.2, "events": 0.0}
    )
    assert costs.loc["events", "spend"] == 4_000.0


def test_spend_and_leads_outside_the_window_are_left_out():
    spend = pd.DataFrame(
        {
            "month": pd.to_datetime(["2025-12-01", "2026-01-01", "2026-07-01"]),
            "channel": ["webinar"] * 3,
            "amount": [1_000.0, 300.0, 5_000.0],
        }
    )
    leads = pd.DataFrame(
        {
            "source_channel": ["webinar"] * 3,
            "inquiry_at": pd.to_datetime(["2025-12-31", "2026-01-15", "2026-01-20"]),
            "sourced_by": ["marketing", "marketing", pd.NA],  # missing counts as marketing
        }
    )
    costs = cost_per_inquiry(
        spend, leads, window_start=pd.Timestamp("2026-01-01"), as_of=pd.Timestamp("2026-06-30")
    )
    assert costs.loc[0, ["spend", "inquiries", "cost_per_inquiry"]].tolist() == [300.0, 2, 150.0]


def test_budget_for_today_s_mix_is_the_inquiries_times_the_blended_cost(tmp_path):
    # blended cost = 0.6 x 3,333.33 + 0.2 x 5,000 + 0.2 x 2,500.50 = 3,500.10 an inquiry
    costs = tiny_costs(*tiny(tmp_path))
    allocation = plan_budget(100, costs)
    assert blended_cost_per_inquiry(allocation) == pytest.approx(3_500.10)
    assert allocation["budget"].sum() == pytest.approx(350_010.0)
    assert allocation.set_index("channel")["inquiries"].to_dict() == pytest.approx(
        {"webinar": 60.0, "paid_social": 20.0, "paid_search": 20.0}
    )
    assert set(allocation["cost_from"]) == {"data"}


def test_a_mix_override_is_normalised_and_a_cost_override_prices_an_unpriced_channel(tmp_path):
    costs = tiny_costs(*tiny(tmp_path))
    allocation = plan_budget(
        200, costs, mix={"webinar": 3, "events": 1}, cost_overrides={"events": 400}
    ).set_index("channel")
    # 150 webinar inquiries at 3,333.33 and 50 events inquiries at 400
    assert allocation["share"].to_dict() == pytest.approx({"webinar": 0.75, "events": 0.25})
    assert allocation["budget"].to_dict() == pytest.approx(
        {"webinar": 500_000.0, "events": 20_000.0}
    )
    assert allocation.loc["events", "cost_from"] == "override"


def test_a_mix_the_data_cannot_price_is_a_plan_error_that_says_how_to_fix_it(tmp_path):
    costs = tiny_costs(*tiny(tmp_path))
    with pytest.raises(PlanError, match=r"budget\.mix\.webinr.*did you mean 'webinar'"):
        channel_mix(costs, {"webinr": 1.0})
    with pytest.raises(PlanError, match=r"set budget\.cost_per_inquiry\.events"):
        plan_budget(100, costs, mix={"events": 1.0})


def test_unit_economics_against_the_healthy_three_times_line():
    # 1,000,000 for 100 deals of 48,000, 75% margin, 15% churn: CAC 10,000, LTV 240,000,
    # ratio 24; payback 10,000 / (48,000 x 0.75 / 12) = 3.33 months
    healthy = unit_economics(1_000_000, 100, 48_000, gross_margin=0.75, annual_churn=0.15)
    assert (healthy.cac, healthy.ltv, healthy.ratio, healthy.healthy) == (
        10_000.0,
        240_000.0,
        24.0,
        True,
    )
    assert healthy.payback_months == pytest.approx(10 / 3)
    # 10,000,000 for 100 deals of 20,000, 50% margin, 50% churn: LTV 20,000 < 3 x CAC 100,000
    poor = unit_economics(10_000_000, 100, 20_000, gross_margin=0.5, annual_churn=0.5)
    assert (poor.ratio, poor.healthy) == (0.2, False)
    free = unit_economics(0.0, 10, 20_000, gross_margin=0.5, annual_churn=0.5)
    assert (free.cac, free.ratio, free.healthy) == (0.0, None, True)
    assert healthy.to_dict()["ratio"] == 24.0


def test_the_top_level_and_a_scenario_budget_price_the_plan(tmp_path):
    engagement, journeys = tiny(
        tmp_path,
        "budget:\n  mix: {webinar: 1}\n  healthy_ltv_cac: 4\n"
        "scenarios:\n  - name: cheap\n    budget: {cost_per_inquiry: {webinar: 50}}\n",
    )
    plan = build_plan(engagement, journeys)
    costs = tiny_costs(engagement, journeys).set_index("channel")["cost_per_inquiry"]
    base = build_budget(engagement, plan, journeys)  # engagement.yaml's budget: section
    assert base.total == pytest.approx(plan.totals[0] * costs["webinar"])
    assert (base.mix_from, base.economics.healthy_ratio) == ("override", 4.0)
    (cheap,) = engagement.config.scenarios
    priced = build_budget(engagement, plan, journeys, settings=cheap.budget)
    # the top level's mix and line, the scenario's cost
    assert priced.total == pytest.approx(plan.totals[0] * 50.0)
    assert priced.allocation["cost_from"].tolist() == ["override"]
    assert priced.economics.healthy_ratio == 4.0


def test_build_budget_implies_cac_and_ltv_from_the_plan(tmp_path):
    engagement, journeys = tiny(tmp_path)
    plan = build_plan(engagement, journeys)
    report = build_budget(engagement, plan, journeys)
    # today's mix: 3,500.10 an inquiry, for the plan's first-stage total
    assert report.total == pytest.approx(plan.totals[0] * 3_500.10)
    assert report.by_month["budget"].sum() == pytest.approx(report.total)
    economics = report.economics
    # LTV = 50,000 (data deal size) x 0.75 / 0.15; CAC = budget / deals
    assert economics.ltv == pytest.approx(250_000.0)
    assert economics.cac == pytest.approx(report.total / plan.totals[-1])
    assert economics.ratio == pytest.approx(economics.ltv / economics.cac)
    assert report.mix_from == "data"
    data = report.to_dict()
    assert data["economics"]["healthy_ratio"] == 3.0
    assert {row["channel"] for row in data["channels"]} == {"webinar", "paid_social", "paid_search"}
