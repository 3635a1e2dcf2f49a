"""Channel advice weighs return, attribution credit and sample size (analysis.channel_advice)."""

import pandas as pd
import pytest

from workbook.analysis.channel_advice import ADVICE, REASONS, channel_advice

# The sample's first-touch levers over its KPI window and its attribution shares (rounded).
CHANNELS = pd.DataFrame(
    {
        "channel": ["paid_social", "events", "paid_search", "webinar", "email", "organic"],
        "spend": [441812.0, 240513.0, 177468.0, 78561.0, 24275.0, 13418.0],
        "won_count": [4, 13, 21, 26, 4, 23],
        "won_revenue": [121502.0, 756681.0, 978582.0, 1293591.0, 217755.0, 1158767.0],
    }
)
CHANNELS["roi"] = (CHANNELS["won_revenue"] - CHANNELS["spend"]) / CHANNELS["spend"]
SHARES = pd.DataFrame(
    {
        "channel": ["paid_social", "events", "paid_search", "webinar", "email", "organic"],
        "first_touch": [0.03, 0.10, 0.20, 0.22, 0.05, 0.40],
        "last_touch": [0.17, 0.03, 0.10, 0.18, 0.33, 0.19],
        "linear": [0.14, 0.05, 0.12, 0.17, 0.30, 0.22],
    }
)


def advice_by_channel(frame):
    return frame.set_index("channel")[["advice", "reason"]].apply(tuple, axis=1).to_dict()


def test_sample_channels_get_the_documented_advice():
    advice = advice_by_channel(channel_advice(CHANNELS, SHARES))
    # 45% of spend, at most 17% of won deals under any model: review, never cut
    assert advice["paid_social"] == ("review", "credit_below_spend")
    assert advice["events"] == ("review", "credit_below_spend")
    # credited above its spend, but 26 won deals (< MIN_COUNT = 30) do not measure its return
    assert advice["webinar"] == ("too_little_data", "return_unmeasured")
    # ROI 85 on 1.4% of spend: too small to say what more budget would bring
    assert advice["organic"] == ("too_little_data", "small_spend")
    # credited well, but 4 won deals do not measure its own return: no advice on them
    assert advice["email"] == ("too_little_data", "return_unmeasured")
    assert advice["paid_search"] == ("too_little_data", "return_unmeasured")


def test_min_won_defaults_to_the_evidence_floor_and_grades_on_the_deals_it_rests_on():
    out = channel_advice(CHANNELS, SHARES).set_index("channel")
    # Email on 4 won deals and Webinar on 26 are never "solid" nor "grow"
    assert out.loc["email", "grade"] == "too_little_data"
    assert out.loc["webinar", "grade"] == "too_little_data"
    assert out.loc["webinar", "advice"] != "grow"
    assert out.loc["webinar", "won_basis"] == 26
    # a review on credit rests on all 91 won deals credited (the shares' denominator)
    assert out.loc["paid_social", "won_basis"] == 91
    assert out.loc["paid_social", "grade"] == "indicative"
    # with three times the deals (78 won for Webinar) the same shares advise growth,
    # graded on 78 own won deals: indicative, never solid under 100
    more = CHANNELS.assign(
        won_count=CHANNELS["won_count"] * 3, won_revenue=CHANNELS["won_revenue"] * 3
    )
    more["roi"] = (more["won_revenue"] - more["spend"]) / more["spend"]
    grown = channel_advice(more, SHARES).set_index("channel")
    assert tuple(grown.loc["webinar", ["advice", "reason"]]) == ("grow", "credit_above_spend")
    assert grown.loc["webinar", "grade"] == "indicative"
    assert grown.loc["webinar", "won_basis"] == 78


def test_spend_shares_and_credit_range_are_reported():
    out = channel_advice(CHANNELS, SHARES).set_index("channel")
    total = CHANNELS["spend"].sum()
    assert out.loc["paid_social", "spend_share"] == pytest.approx(441812.0 / total)
    assert out.loc["paid_social", "credit_low"] == pytest.approx(0.03)
    assert out.loc["paid_social", "credit_high"] == pytest.approx(0.17)
    assert out["won_total"].iloc[0] == 91
    assert set(out["advice"]) <= set(ADVICE) and set(out["reason"]) <= set(REASONS)
    assert out.loc["organic", "grade"] == "too_little_data"


def test_without_attribution_the_first_touch_share_stands_alone():
    out = channel_advice(CHANNELS, None).set_index("channel")
    assert out.loc["webinar", "credit_low"] == pytest.approx(26 / 91)
    assert out.loc["webinar", "credit_low"] == out.loc["webinar", "credit_high"]


def test_too_few_won_deals_overall_advises_nothing():
    few = CHANNELS.assign(won_count=[1, 2, 3, 4, 1, 2])
    out = channel_advice(few, None)
    assert set(out["advice"]) == {"too_little_data"}
    assert set(out["reason"]) == {"few_won", "small_spend"}


def test_no_spend_is_never_advised_on():
    out = channel_advice(CHANNELS.assign(spend=float("nan"), roi=float("nan")), SHARES)
    assert set(out["reason"]) == {"no_spend"}


def test_a_negative_return_on_enough_deals_is_reviewed_not_cut():
    frame = pd.DataFrame(
        {
            "channel": ["a", "b"],
            "spend": [100_000.0, 100_000.0],
            "won_count": [40, 40],
            "won_revenue": [50_000.0, 900_000.0],
        }
    )
    frame["roi"] = (frame["won_revenue"] - frame["spend"]) / frame["spend"]
    out = channel_advice(frame, None).set_index("channel")
    assert tuple(out.loc["a", ["advice", "reason"]]) == ("review", "negative_return")
    assert tuple(out.loc["b", ["advice", "reason"]]) == ("keep", "in_line")
