"""The plan's mix when the channel advice finds a channel to grow (workbook.analysis.advised_mix,
and build_budget applying it): hand-built advice frames, shares computed by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import TINY_YAML, write_engagement
from workbook.analysis.advised_mix import GROW_STEP, MAX_KEEP_CUT, advised_mix
from workbook.analysis.budget import build_budget
from workbook.analysis.journeys import build_journeys
from workbook.analysis.plan import build_plan
from workbook.intake.engagement import load_engagement

# 100 leads: 40 events at 100, 30 paid search at 50, 20 webinar at 20, 10 organic at 0:
# budget 4,000 + 1,500 + 400 + 0 = 5,900
ALLOCATION = pd.DataFrame(
    {
        "channel": ["events", "paid_search", "webinar", "organic"],
        "share": [0.4, 0.3, 0.2, 0.1],
        "cost_per_inquiry": [100.0, 50.0, 20.0, 0.0],
    }
)


def _advice(**kinds: str) -> pd.DataFrame:
    return pd.DataFrame({"channel": list(kinds), "advice": list(kinds.values())})


def _budget_shares(shares: pd.Series) -> pd.Series:
    budget = shares * ALLOCATION.set_index("channel")["cost_per_inquiry"]
    return budget / budget.sum()


def test_a_channel_to_grow_gains_a_fifth_of_its_budget_share_from_the_channels_to_keep():
    advice = _advice(events="keep", paid_search="review", webinar="grow", organic="too_little_data")
    shares = advised_mix(ALLOCATION, advice)
    assert (GROW_STEP, MAX_KEEP_CUT) == (0.20, 0.25)
    assert shares.index.tolist() == ["events", "paid_search", "webinar", "organic"]
    assert shares.sum() == pytest.approx(1.0)  # the plan's leads are unchanged
    assert shares["organic"] == pytest.approx(0.1)  # free leads keep today's share of leads
    before = {"events": 4000 / 5900, "paid_search": 1500 / 5900, "webinar": 400 / 5900}
    after = _budget_shares(shares)
    gain = 0.2 * before["webinar"]  # 1.36 points
    assert after["webinar"] == pytest.approx(1.2 * before["webinar"])
    assert after["paid_search"] == pytest.approx(before["paid_search"])  # review: kept
    assert after["events"] == pytest.approx(before["events"] - gain)  # the only keep gives
    assert after["organic"] == 0.0


def test_the_channels_to_keep_give_pro_rata_and_never_more_than_a_quarter():
    # events and paid search to keep (4,000 and 1,500 of 5,900), webinar to grow
    shares = advised_mix(ALLOCATION, _advice(events="keep", paid_search="keep", webinar="grow"))
    before = pd.Series({"events": 4000, "paid_search": 1500, "webinar": 400}) / 5900
    after = _budget_shares(shares)
    cut = 0.2 * before["webinar"] / (before["events"] + before["paid_search"])
    assert after["events"] == pytest.approx(before["events"] * (1 - cut))
    assert after["paid_search"] == pytest.approx(before["paid_search"] * (1 - cut))
    # webinar to keep (6.8% of the budget), events to grow (67.8%): a fifth of 67.8% is
    # 13.6 points, but webinar gives at most a quarter of its share, 1.7 points
    capped = _budget_shares(advised_mix(ALLOCATION, _advice(events="grow", webinar="keep")))
    assert capped["webinar"] == pytest.approx(0.75 * 400 / 5900)
    assert capped["events"] == pytest.approx((4000 + 0.25 * 400) / 5900)
    assert capped["paid_search"] == pytest.approx(1500 / 5900)  # no advice: kept


def test_nothing_moves_without_a_channel_to_grow_a_channel_to_keep_or_a_price():
    assert advised_mix(ALLOCATION, _advice(events="keep", webinar="review")) is None
    assert advised_mix(ALLOCATION, _advice(webinar="grow", events="review")) is None  # from nothing
    unpriced = ALLOCATION.assign(cost_per_inquiry=np.nan)
    assert advised_mix(unpriced, _advice(events="keep", webinar="grow")) is None
    assert advised_mix(ALLOCATION, _advice(events="keep", mystery="grow")) is None


def _tiny(tmp_path: Path, extra_yaml: str = ""):
    engagement = load_engagement(
        write_engagement(tmp_path / "tiny", {"engagement.yaml": TINY_YAML + extra_yaml})
    )
    journeys = build_journeys(engagement)
    return engagement, journeys, build_plan(engagement, journeys)


def test_build_budget_moves_the_plans_budget_to_a_channel_to_grow_and_keeps_its_leads(tmp_path):
    # tiny engagement (tests/conftest.py): webinar 60% of leads at 3,333.33, paid social 20%
    # at 5,000, paid search 20% at 2,500.50: 2,000, 1,000 and 500.10 of 3,500.10 a lead
    engagement, journeys, plan = _tiny(tmp_path)
    today = build_budget(engagement, plan, journeys)
    advice = _advice(webinar="keep", paid_social="review", paid_search="grow")
    report = build_budget(engagement, plan, journeys, advice=advice)
    assert report.mix_from == "advice"
    assert report.today_total == pytest.approx(today.total)
    first = float(plan.totals[0])
    assert report.allocation["inquiries"].sum() == pytest.approx(first)  # same leads
    assert report.by_month["budget"].sum() == pytest.approx(report.total)
    shares = report.allocation.set_index("channel")["budget"] / report.total
    assert shares["paid_search"] == pytest.approx(1.2 * 500.10 / 3500.10)
    assert shares["paid_social"] == pytest.approx(1000 / 3500.10)
    assert shares["webinar"] == pytest.approx((2000 - 0.2 * 500.10) / 3500.10)
    # paid search's leads cost less than webinar's: the same leads cost less in all
    assert report.total < today.total
    assert report.economics.cac == pytest.approx(report.total / plan.totals[-1])


def test_no_channel_to_grow_or_an_agreed_mix_leaves_the_budget_as_today(tmp_path):
    engagement, journeys, plan = _tiny(tmp_path)
    today = build_budget(engagement, plan, journeys)
    held = build_budget(
        engagement, plan, journeys, advice=_advice(webinar="keep", paid_search="review")
    )
    pd.testing.assert_frame_equal(held.allocation, today.allocation)
    assert (held.total, held.mix_from, held.today_total) == (today.total, "data", None)
    engagement, journeys, plan = _tiny(tmp_path / "agreed", "budget:\n  mix: {webinar: 1}\n")
    agreed = build_budget(
        engagement, plan, journeys, advice=_advice(webinar="keep", paid_search="grow")
    )
    assert (agreed.mix_from, agreed.allocation["channel"].tolist()) == ("override", ["webinar"])
