"""A client who provided no marketing spend (issue 16 item 1, CONTRACT section 3).

Every figure that needs spend is None (JSON null), never 0: spend of 0 is a fact, spend not
provided is not. Figures that need no spend (LTV, won deals and revenue by channel, the plan's
volumes) stay.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_DIR, TINY_YAML, write_engagement
from workbook.analysis.baseline import baseline_hypotheses
from workbook.analysis.budget import build_budget, cost_per_inquiry, engagement_costs
from workbook.analysis.journeys import build_journeys
from workbook.analysis.kpis import compute_kpis
from workbook.analysis.plan import build_plan
from workbook.console import render_kpis
from workbook.intake.engagement import load_engagement

#: The two ways a client leaves spend out: no file, or the header ``workbook new`` writes.
NO_SPEND = {"absent": None, "header only": "month,channel,amount\n"}


def without_spend(tmp_path: Path, how: str, extra_yaml: str = ""):
    directory = write_engagement(
        tmp_path / "tiny",
        {"data/spend.csv": NO_SPEND[how], "engagement.yaml": TINY_YAML + extra_yaml},
    )
    return load_engagement(directory)


@pytest.fixture(params=list(NO_SPEND))
def no_spend(request, tmp_path):
    return without_spend(tmp_path, request.param)


def test_the_engagement_knows_spend_was_not_provided(no_spend):
    assert not no_spend.has("spend")
    assert len(no_spend.spend) == 0


def test_kpis_json_is_null_for_every_figure_that_needs_spend(no_spend):
    data = compute_kpis(no_spend).to_dict()
    # tiny engagement (tests/conftest.py): one marketing-sourced win in the window, O1 (L1,
    # webinar) at 50,000; LTV = 50,000 x 0.75 / 0.15 = 250,000 needs no spend and stays
    assert data["ltv_cac"] == {
        "cac": None,
        "ltv": 250_000.0,
        "ratio": None,
        "payback_months": None,
        "spend": None,
        "won_count": 1,
        "avg_won_amount": 50_000.0,
    }
    assert data["quality"]["ltv"] == 250_000.0
    channels = {c["channel"]: c for c in data["levers"]["channels"]}
    assert set(channels) == {"webinar"}  # only channels with won deals: no spend rows to list
    assert channels["webinar"] == {
        "channel": "webinar",
        "spend": None,
        "won_count": 1,
        "won_revenue": 50_000.0,
        "cac": None,
        "roi": None,
        "leads": 3,
    }
    json.dumps(data, allow_nan=False)  # no NaN standing for a figure


def test_the_sample_kpis_are_unchanged(tmp_path):
    # the sample's figures as computed before spend became optional (commit bc7264f)
    data = compute_kpis(load_engagement(SAMPLE_DIR)).to_dict()
    assert data["ltv_cac"] == pytest.approx(
        {
            "avg_won_amount": 50160.46329896908,
            "cac": 11985.310412371135,
            "ltv": 250802.3164948454,
            "payback_months": 3.8230302111639265,
            "ratio": 20.925808999987968,
            "spend": 1162575.11,
            "won_count": 97,
        }
    )
    channels = data["levers"]["channels"]
    assert [c["channel"] for c in channels] == [
        "paid_social",
        "events",
        "paid_search",
        "partner_referral",
        "content_syndication",
        "webinar",
        "email",
        "organic",
    ]
    assert channels[0] == pytest.approx(
        {
            "cac": 110453.08,
            "channel": "paid_social",
            "leads": 2860,
            "roi": -0.7249926620425614,
            "spend": 441812.32,
            "won_count": 4,
            "won_revenue": 121501.63,
        }
    )
    assert channels[-1]["spend"] == pytest.approx(13417.56)


def test_console_says_spend_was_not_provided_rather_than_zero(no_spend):
    text = render_kpis(compute_kpis(no_spend).to_dict())
    assert "LTV:CAC: LTV 250,000 EUR; CAC, ratio and payback: spend not provided" in text
    assert "No marketing spend was provided: spend, CAC and ROI by channel need it" in text
    levers = text.split("Levers (first touch, KPI window):\n")[1].splitlines()
    assert levers[1].split() == ["channel", "leads", "won", "won", "revenue"]
    assert levers[2].split() == ["webinar", "3", "1", "50,000.0"]
    assert "CAC 0" not in text


def test_cost_per_inquiry_without_spend_is_unknown_not_zero(no_spend):
    costs = engagement_costs(no_spend, build_journeys(no_spend)).set_index("channel")
    # marketing-sourced inquiries of the window: webinar L1, L3, L6; paid_social L2;
    # paid_search L4 (tests/conftest.py)
    assert costs["inquiries"].to_dict() == {"webinar": 3, "paid_social": 1, "paid_search": 1}
    assert costs["spend"].isna().all() and costs["cost_per_inquiry"].isna().all()
    leads = build_journeys(no_spend).leads
    direct = cost_per_inquiry(
        None,
        leads,
        window_start=no_spend.window_start,
        as_of=no_spend.as_of_timestamp,
        created_col="inquiry_at",
    )
    assert direct["cost_per_inquiry"].isna().all()


def test_the_budget_without_spend_keeps_the_plan_s_volumes_and_prices_nothing(no_spend):
    journeys = build_journeys(no_spend)
    plan = build_plan(no_spend, journeys)
    budget = build_budget(no_spend, plan, journeys)
    assert not budget.priced
    assert (budget.total, budget.net_total, budget.blended_cost_per_inquiry) == (None, None, None)
    allocation = budget.allocation.set_index("channel")
    # today's mix of marketing-sourced inquiries: webinar 3 of 5, paid_social and paid_search 1
    assert allocation["share"].to_dict() == pytest.approx(
        {"webinar": 0.6, "paid_social": 0.2, "paid_search": 0.2}
    )
    assert allocation["inquiries"].sum() == pytest.approx(plan.totals[0])
    assert allocation["cost_per_inquiry"].isna().all() and allocation["budget"].isna().all()
    assert budget.by_month["budget"].isna().all()
    assert budget.by_month["inquiries"].sum() == pytest.approx(plan.totals[0], rel=1e-6)
    economics = budget.economics
    assert (economics.cac, economics.ratio, economics.healthy, economics.payback_months) == (
        None,
        None,
        None,
        None,
    )
    assert economics.ltv == pytest.approx(plan.avg_deal_size * 0.75 / 0.15)
    data = budget.to_dict()
    assert data["total"] is None and data["economics"]["cac"] is None
    assert all(c["budget"] is None and c["cost_per_inquiry"] is None for c in data["channels"])
    json.dumps(data, allow_nan=False)


def test_a_cost_set_in_engagement_yaml_still_prices_the_plan_without_spend(tmp_path):
    engagement = without_spend(
        tmp_path, "absent", "budget:\n  mix: {webinar: 1}\n  cost_per_inquiry: {webinar: 50}\n"
    )
    journeys = build_journeys(engagement)
    plan = build_plan(engagement, journeys)
    budget = build_budget(engagement, plan, journeys)
    assert budget.priced
    assert budget.total == pytest.approx(plan.totals[0] * 50.0)
    assert budget.economics.cac == pytest.approx(budget.total / plan.totals[-1])


def test_no_spend_hypothesis_is_drawn_without_spend(tmp_path):
    with_spend = load_engagement(write_engagement(tmp_path / "with"))
    keys = [h.key for h in baseline_hypotheses(with_spend, build_journeys(with_spend))]
    assert "hypothesis.channel_return" in keys
    engagement = without_spend(tmp_path, "absent")
    found = [h.key for h in baseline_hypotheses(engagement, build_journeys(engagement))]
    # the same hypotheses but the spend one (no share of 0 spend against won deals)
    assert found == [key for key in keys if key != "hypothesis.channel_return"]
