"""Tests for workbook.analysis.kpis: the funnel, velocity and the six outcome KPIs (CONTRACT kpis --json).

Most expectations are computed by hand on the tiny engagement of tests/conftest.py
(as_of 2026-06-30, KPI window 2025-07-01..2026-06-30, horizon 365 days):

- L1 inquiry 01-05, mql 01-10, sal 01-12, sql 01-20, opportunity 02-01 (O1), won 04-01 (50000);
- L2 inquiry 01-06, mql 01-16, disqualified 02-01;
- L3 inquiry 02-01, mql 02-11, sal 02-15, open;
- L4 inquiry 02-10, mql empty (skipped: passes mql on 02-20), sal 02-20, sql 03-01,
  opportunity 03-15 (O4 open);
- L5 (sourced by sales) inquiry 03-01, mql 03-05, sal 03-06, sql 03-10, opportunity 03-20 (O2),
  lost 05-01;
- L6 inquiry 06-20, open;
- O3: sales, no lead, won 05-15 (80000). Spend in the window: 21500.50.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from tests.conftest import (
    TINY_OPPS,
    TINY_SPEND,
    write_engagement,
    write_french_engagement,
)
from workbook.analysis.journeys import build_journeys, journeys_from_leads
from workbook.analysis.kpis import (
    channel_levers,
    closed_in_window,
    cohort_conversion,
    compute_kpis,
    funnel_rates,
    journey_outcomes,
    lift_by_month,
    marketing_lift,
    source_outcomes,
    stage_curves,
    touch_attribution,
    unit_economics,
)
from workbook.intake.config import EngagementConfig
from workbook.intake.coverage import data_coverage
from workbook.intake.engagement import Engagement, load_engagement
from workbook.intake.problems import Audit

STAGES = ("inquiry", "mql", "sal", "sql", "opportunity", "won")
AS_OF = pd.Timestamp("2026-06-30")

CONTRACT_KEYS = {
    "client",
    "as_of",
    "currency",
    "funnel",
    "velocity",
    "lift",
    "quality",
    "conversion",
    "health",
    "levers",
    "ltv_cac",
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    engagement = load_engagement(write_engagement(tmp_path_factory.mktemp("kpis") / "tiny"))
    return engagement, compute_kpis(engagement)


def funnel_row(report, a: str, b: str) -> pd.Series:
    f = report.funnel
    return f.loc[(f["from"] == a) & (f["to"] == b)].iloc[0]


# --- reference values ------------------------------------------------------------------------

# Competing-risks example of issue 3 (a classic textbook case, e.g. Pintilie 2006, ch. 4):
# times and events (1 = won, 2 = lost, 0 = still open at as_of) of 11 opportunities.
CR_TIMES = [1, 5, 3, 6, 1, 3, 2, 5, 2, 3, 6]
CR_EVENTS = [0, 1, 1, 1, 2, 1, 0, 1, 0, 2, 2]


def opportunity_leads(times, events, *, as_of=AS_OF) -> pd.DataFrame:
    """Leads that all reached the opportunity stage, won/lost/open after ``times`` days."""
    n = len(times)
    times = np.asarray(times, dtype=int)
    events = np.asarray(events)
    day = pd.to_timedelta(times, unit="D")
    # open leads entered ``times`` days before as_of; the others on 2026-01-01
    entered = pd.Series(np.where(events == 0, as_of - day, pd.Timestamp("2026-01-01")))
    entered = pd.to_datetime(entered)
    end = entered + day
    nat = pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
    return pd.DataFrame(
        {
            "lead_id": [f"L{i}" for i in range(n)],
            "created_at": entered,
            "mql_at": entered,
            "sal_at": entered,
            "sql_at": entered,
            "opportunity_at": entered,
            "won_at": end.where(events == 1, nat),
            "lost_at": end.where(events == 2, nat),
            "disqualified_at": nat,
            "won_amount": np.where(events == 1, 1000.0, 0.0),
            "source_channel": "webinar",
            "sourced_by": "marketing",
        }
    )


def test_opportunity_to_won_rate_matches_the_published_competing_risks_example():
    journeys = journeys_from_leads(
        opportunity_leads(CR_TIMES, CR_EVENTS), stages=STAGES, as_of=AS_OF
    )
    curve = stage_curves(journeys)[("opportunity", "won")]
    # cumulative incidence of winning at t = 3, 5, 6 (issue 3): 0.2597, 0.5195, 0.6494
    assert [round(float(curve.at(t)), 4) for t in (3, 5, 6)] == [0.2597, 0.5195, 0.6494]
    row = funnel_rates(journeys, horizon_days=365).iloc[-1]
    assert row["rate"] == pytest.approx(0.6494, abs=1e-4)
    assert row["naive_rate"] == pytest.approx(5 / 11)
    # 1 - Kaplan-Meier with losses treated as censored over-states it: 0.2857, 0.6429, 0.8214
    won = np.asarray(CR_EVENTS) == 1
    times = np.asarray(CR_TIMES, dtype=float)
    km = stats.ecdf(stats.CensoredData(uncensored=times[won], right=times[~won]))
    assert [round(float(km.cdf.evaluate(t)), 4) for t in (3, 5, 6)] == [0.2857, 0.6429, 0.8214]
    assert row["rate"] < km.cdf.evaluate(6)


def test_markov_attribution_matches_the_published_example_and_ignores_later_touches():
    # Issue 3: paths C1>C2>C3 (won), C1 (not), C2>C3 (not): removal effects 0.5, 1, 1,
    # credit 0.2 / 0.4 / 0.4 (the absorbing-chain formula, Anderl et al. 2016).
    leads = opportunity_leads([10, 10, 10], [1, 2, 2])
    leads["lead_id"] = ["a", "b", "c"]
    journeys = journeys_from_leads(leads, stages=STAGES, as_of=AS_OF)
    touches = pd.DataFrame(
        {
            "lead_id": ["a", "a", "a", "b", "c", "c", "a", "b"],
            "touched_at": pd.to_datetime(
                [
                    "2025-12-01",
                    "2025-12-02",
                    "2025-12-03",
                    "2025-12-01",
                    "2025-12-01",
                    "2025-12-02",
                    "2026-03-01",  # after a was won (2026-01-11): cannot have influenced it
                    "2026-03-01",  # after b was lost
                ]
            ),
            "channel": ["C1", "C2", "C3", "C1", "C2", "C3", "C4", "C4"],
        }
    )
    credit = touch_attribution(touches, journeys, start=pd.Timestamp("2025-07-01"))
    assert credit.index.tolist() == ["C1", "C2", "C3"]
    assert credit["markov_removal_effect"].round(6).tolist() == [0.5, 1.0, 1.0]
    assert credit["markov_won"].round(6).tolist() == [0.2, 0.4, 0.4]
    assert credit["markov_won_revenue"].round(6).tolist() == [200.0, 400.0, 400.0]
    assert credit["first_touch_won"].tolist() == [1.0, 0.0, 0.0]
    assert credit["last_touch_won"].tolist() == [0.0, 0.0, 1.0]
    assert credit["position_based_won"].round(6).tolist() == [0.4, 0.2, 0.4]


@pytest.mark.parametrize("cut", [False, True])
def test_touch_attribution_matches_touches_joined_to_their_leads_by_id(tmp_path, cut):
    from workbook.analysis.attribution import attribute
    from workbook.synthetic import generate_engagement
    from workbook.synthetic import write_engagement as write_synthetic

    folder = write_synthetic(generate_engagement(n_leads=3000, seed=5), tmp_path / "e")
    engagement = load_engagement(folder)
    if cut:  # an earlier snapshot: the journeys leave out the leads created after it
        engagement = load_engagement(folder, as_of=engagement.as_of - dt.timedelta(days=75))
    journeys = build_journeys(engagement)
    assert (len(journeys.leads) < len(engagement.leads)) == cut
    start = engagement.window_start
    got = touch_attribution(engagement.touches, journeys, start=start)
    # the same population read plainly: a pandas join on the ids, each lead's outcome day
    leads = journeys.leads
    won_at, exit_at = leads["won_at"], leads["exit_at"]
    outcome = won_at.fillna(exit_at).fillna(journeys.as_of)
    in_play = outcome >= start
    won = in_play & (won_at >= start)
    frame = pd.DataFrame(
        {
            "lead_id": leads["lead_id"].astype(object),
            "deadline": (outcome + pd.Timedelta(days=1)).where(in_play),
            "converted": won,
            "revenue": leads["won_amount"].where(won, 0.0).fillna(0.0),
        }
    )
    touches = engagement.touches.assign(lead_id=engagement.touches["lead_id"].astype(object))
    joined = touches.merge(frame, on="lead_id", how="inner")
    joined = joined.loc[joined["touched_at"] < joined["deadline"]]
    expected = attribute(joined, frame).rename(
        columns=lambda c: c.replace("_converted", "_won").replace("_revenue", "_won_revenue")
    )
    assert got["linear_won"].sum() > 0
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12, atol=1e-9)


def test_touch_attribution_is_none_without_touches(tiny):
    engagement, _ = tiny
    journeys = journeys_from_leads(engagement.leads, stages=STAGES, as_of=AS_OF)
    assert touch_attribution(None, journeys, start=engagement.window_start) is None


# --- every KPI on the tiny engagement, by hand ---------------------------------------------


def test_tiny_funnel_rates_naive_rates_and_medians(tiny):
    _, report = tiny
    # inquiry -> mql: 5 of 6 move on at 4, 5, 10, 10, 10 days; L6 open 10 days (tied: at risk)
    # CIF: 1/6 at 4, 2/6 at 5, 2/6 + (4/6)(3/4) = 5/6 at 10; median = first t with CIF >= 5/12
    row = funnel_row(report, "inquiry", "mql")
    assert (row["entered"], row["converted"]) == (6, 5)
    assert row["rate"] == pytest.approx(5 / 6)
    assert row["naive_rate"] == pytest.approx(5 / 6)
    assert row["median_days"] == 10.0
    # mql -> sal: L4 0 d, L5 1 d, L1 2 d, L3 4 d advance, L2 disqualified at 16 d: 0.8
    row = funnel_row(report, "mql", "sal")
    assert row["rate"] == pytest.approx(0.8)
    assert (row["median_days"], row["p75_days"], row["p90_days"]) == (1.0, 2.0, 4.0)
    # sal -> sql: 4, 8, 9 days advance; L3 open 135 days: 0.75
    assert funnel_row(report, "sal", "sql")["rate"] == pytest.approx(0.75)
    assert funnel_row(report, "sql", "opportunity")["rate"] == pytest.approx(1.0)
    # opportunity -> won: L5 lost at 42 d (S = 2/3), L1 won at 59 d (F = 2/3 * 1/2), L4 open
    row = funnel_row(report, "opportunity", "won")
    assert row["rate"] == pytest.approx(1 / 3)
    assert row["median_days"] == 59.0


def test_tiny_rates_carry_wilson_intervals_and_bands(tiny):
    _, report = tiny
    row = funnel_row(report, "mql", "sal")
    ci = stats.binomtest(4, 5).proportion_ci(method="wilson")
    assert (row["naive_lower"], row["naive_upper"]) == pytest.approx((ci.low, ci.high))
    assert row["rate_lower"] < row["rate"] < row["rate_upper"]
    win = report.by_source.loc["sales"]
    ci = stats.binomtest(1, 2).proportion_ci(method="wilson")
    assert (win["win_rate_lower"], win["win_rate_upper"]) == pytest.approx((ci.low, ci.high))


def test_tiny_velocity_first_stage_to_won_uses_exits_anywhere_as_competing(tiny):
    engagement, report = tiny
    v = report.velocity.set_index("key")
    assert v.index[0] == "inquiry_won"
    # L6 censored at 10; L2 exits at 26 (S 4/5), L5 at 61 (S 3/5); L1 won at 86: F = 3/5 * 1/3
    assert v.loc["inquiry_won", "rate"] == pytest.approx(0.2)
    assert v.loc["inquiry_won", "median_days"] == 86.0
    assert v.loc["inquiry_won", "within_60_days"] == 0.0
    assert v.loc["inquiry_won", "within_90_days"] == 1.0
    # opportunity -> won: the only win took 59 days
    assert v.loc["opportunity_won", ["within_30_days", "within_60_days"]].tolist() == [0.0, 1.0]
    assert v.loc["mql_sal", "median_days"] == 1.0  # same as the funnel's median
    outcomes = journey_outcomes(
        journeys_from_leads(engagement.leads, stages=STAGES, as_of=AS_OF), "inquiry", "won"
    )
    assert sorted(zip(outcomes["duration_days"], outcomes["event"], strict=True)) == [
        (10.0, 0),
        (26.0, 2),
        (61.0, 2),
        (86.0, 1),
        (140.0, 0),
        (149.0, 0),
    ]


def test_tiny_lift_quality_and_win_rates(tiny):
    _, report = tiny
    out = report.to_dict()
    # won in the window: O1 marketing 50000, O3 sales (no lead) 80000; O2 sales lost
    assert out["lift"]["won_revenue_share"] == pytest.approx(50000 / 130000)
    assert out["lift"]["won_count_share"] == 0.5
    assert out["quality"]["avg_won_amount"] == {"marketing": 50000.0, "sales": 80000.0}
    assert out["quality"]["median_won_amount"] == {"marketing": 50000.0, "sales": 80000.0}
    assert out["conversion"]["win_rate"] == {"marketing": 1.0, "sales": 0.5}
    # from SQL: marketing L1 won at 71 d, L4 open -> 0.5; sales L5 lost -> 0
    assert out["conversion"]["sql_won_rate"] == {"marketing": 0.5, "sales": 0.0}


def test_tiny_health_leakage_stuck_skipped_and_recycled(tiny):
    _, report = tiny
    health = report.to_dict()["health"]
    assert health["leakage"] == pytest.approx(
        {
            "inquiry_mql": 1 / 6,
            "mql_sal": 0.2,
            "sal_sql": 0.25,
            "sql_opportunity": 0.0,
            "opportunity_won": 2 / 3,
        }
    )
    # p90 thresholds: inquiry 10 d (L6 open exactly 10 d: not stuck), sal 9 d (L3 open 135 d),
    # opportunity 59 d (L4 open 107 d)
    assert health["stuck"] == {"inquiry": 0, "mql": 0, "sal": 1, "sql": 0, "opportunity": 1}
    assert health["stuck_threshold_days"]["sal"] == 9.0
    assert health["skipped"]["mql"] == 1 and health["skipped_leads"] == 1
    assert health["recycled_leads"] == 0


def test_tiny_levers_by_first_touch_channel(tiny):
    _, report = tiny
    channels = {c["channel"]: c for c in report.to_dict()["levers"]["channels"]}
    assert set(channels) == {"webinar", "paid_social", "paid_search", "events"}
    assert channels["webinar"] == {
        "channel": "webinar",
        "spend": 10000.0,
        "won_count": 1,
        "won_revenue": 50000.0,
        "cac": 10000.0,
        "roi": 4.0,
        "leads": 3,
    }
    # no win: cac is null, roi = -1; O3 (no lead) is credited to no channel
    assert channels["paid_search"]["spend"] == 2500.5
    assert channels["paid_search"]["cac"] is None and channels["paid_search"]["roi"] == -1.0
    assert sum(c["won_count"] for c in channels.values()) == 1


def test_tiny_attribution_counts_touches_before_the_outcome_only(tiny):
    _, report = tiny
    credit = report.attribution
    # L1 (won): webinar then email; L2: paid_social; L4: paid_search
    assert credit.loc["webinar", "first_touch_won"] == 1.0
    assert credit.loc["email", "last_touch_won"] == 1.0
    assert credit.loc["email", "linear_won_revenue"] == 25000.0
    assert credit.loc[["paid_social", "paid_search"], "markov_won"].tolist() == [0.0, 0.0]


def test_tiny_ltv_cac_and_payback(tiny):
    _, report = tiny
    e = report.to_dict()["ltv_cac"]
    # spend 21500.50 / 1 marketing win; LTV 50000 * 0.75 / 0.15; payback 21500.5 / (50000*0.75/12)
    assert e["cac"] == pytest.approx(21500.5)
    assert e["ltv"] == pytest.approx(250000.0)
    assert e["ratio"] == pytest.approx(250000 / 21500.5)
    assert e["payback_months"] == pytest.approx(21500.5 / 3125.0)


def test_kpis_json_has_the_contract_keys_and_plain_values(tiny):
    _, report = tiny
    out = report.to_dict()
    assert out.keys() == CONTRACT_KEYS  # exactly the contract's top-level keys
    assert (out["client"], out["as_of"], out["currency"]) == ("Tiny Test Co", "2026-06-30", "EUR")
    assert {"from", "to", "entered", "converted", "rate", "naive_rate", "median_days"} <= set(
        out["funnel"][0]
    )
    assert set(out["velocity"]) == {
        "inquiry_won",
        "inquiry_mql",
        "mql_sal",
        "sal_sql",
        "sql_opportunity",
        "opportunity_won",
    }
    assert {"median_days", "p75_days", "within_30_days"} <= set(out["velocity"]["mql_sal"])
    assert set(out["lift"]) >= {"won_revenue_share", "won_count_share"}
    assert set(out["ltv_cac"]) >= {"cac", "ltv", "ratio", "payback_months"}
    assert set(out["levers"]["channels"][0]) >= {"channel", "spend", "won_count", "won_revenue"}
    text = json.dumps(out, allow_nan=False)  # no NaN anywhere
    assert json.loads(text) == out
    assert "@" not in text


def test_a_french_style_export_gives_identical_kpis(tmp_path):
    english = compute_kpis(load_engagement(write_engagement(tmp_path / "en"))).to_dict()
    french_dir = write_french_engagement(tmp_path / "fr")
    french = compute_kpis(load_engagement(french_dir)).to_dict()
    assert json.dumps(french, sort_keys=True) == json.dumps(english, sort_keys=True)


def test_window_excludes_opportunities_and_spend_outside_it(tmp_path):
    base = compute_kpis(load_engagement(write_engagement(tmp_path / "base"))).to_dict()
    opps = TINY_OPPS + (
        "O5,,ACC8,2025-03-01,2025-06-30,won,99000,marketing,Core\n"  # day before the window
        "O6,,ACC8,2026-05-01,2026-07-01,won,77000,marketing,Core\n"  # day after as_of
        "O7,,ACC8,2025-03-01,2025-06-15,lost,10000,sales,Core\n"
    )
    spend = TINY_SPEND + "2025-06,webinar,90000\n2026-07,webinar,90000\n"
    shifted = compute_kpis(
        load_engagement(
            write_engagement(
                tmp_path / "shifted",
                {"data/opportunities.csv": opps, "data/spend.csv": spend},
            )
        )
    ).to_dict()
    for key in ("lift", "quality", "conversion", "ltv_cac"):
        assert shifted[key] == base[key], key
    assert shifted["levers"]["channels"] == base["levers"]["channels"]
    # O5 closed on the first window day instead counts
    inside = opps.replace("2025-06-30,won,99000", "2025-07-01,won,99000")
    moved = compute_kpis(
        load_engagement(write_engagement(tmp_path / "inside", {"data/opportunities.csv": inside}))
    ).to_dict()
    assert moved["lift"]["won_count"] == 3
    assert moved["quality"]["avg_won_amount"]["marketing"] == pytest.approx((50000 + 99000) / 2)


def test_lift_by_month_and_cohorts_on_the_tiny_engagement(tiny):
    engagement, _ = tiny
    monthly = lift_by_month(engagement.opportunities, end=AS_OF, months=12).set_index("month")
    assert len(monthly) == 12
    assert monthly.loc["2026-04-01", "won_revenue_share"] == 1.0  # O1
    assert monthly.loc["2026-05-01", "won_revenue_share"] == 0.0  # O3 (sales)
    assert np.isnan(monthly.loc["2026-06-01", "won_revenue_share"])
    journeys = journeys_from_leads(engagement.leads, stages=STAGES, as_of=AS_OF)
    cohort = cohort_conversion(journeys, to_stage="sql", max_months=6)
    # Jan: L1 (sql after 15 d), L2 (never); Feb: L3 (never), L4 (19 d); Mar: L5 (9 d)
    assert cohort.loc["2026-01-01", 1] == 0.5
    assert cohort.loc["2026-02-01", 1] == 0.5
    assert cohort.loc["2026-03-01", 1] == 1.0
    # January's cohort has been observed 150 days after its last day: 4 months, not 5
    assert not np.isnan(cohort.loc["2026-01-01", 4]) and np.isnan(cohort.loc["2026-01-01", 5])
    assert cohort.loc["2026-06-01"].isna().all()  # June: not observed for a full month yet
    assert cohort.attrs["entered"].tolist() == [2, 2, 1, 1]


# --- building blocks --------------------------------------------------------------------------


def test_unit_economics_is_none_without_marketing_wins():
    closed = pd.DataFrame({"status": ["won"], "amount": [10.0], "sourced_by": ["sales"]})
    spend = pd.DataFrame({"month": pd.to_datetime(["2026-01-01"]), "amount": [5.0]})
    e = unit_economics(
        closed,
        spend,
        start=pd.Timestamp("2025-07-01"),
        end=AS_OF,
        gross_margin=0.75,
        annual_churn=0.15,
    )
    assert (e.spend, e.won_count) == (5.0, 0)
    assert (e.cac, e.ltv, e.ratio, e.payback_months) == (None, None, None, None)


def test_channel_levers_roi_is_null_without_spend():
    closed = pd.DataFrame(
        {"status": ["won"], "amount": [100.0], "sourced_by": ["marketing"], "lead_id": ["L1"]}
    )
    leads = pd.DataFrame(
        {
            "lead_id": ["L1"],
            "source_channel": ["organic"],
            "created_at": pd.to_datetime(["2026-01-01"]),
        }
    )
    spend = pd.DataFrame(
        {"month": pd.to_datetime(["2026-01-01"]), "channel": ["webinar"], "amount": [50.0]}
    )
    out = channel_levers(closed, spend, leads, start=pd.Timestamp("2025-07-01"), end=AS_OF)
    rows = out.set_index("channel")
    assert np.isnan(rows.loc["organic", "roi"]) and rows.loc["organic", "cac"] == 0.0
    assert np.isnan(rows.loc["webinar", "cac"]) and rows.loc["webinar", "roi"] == -1.0


# --- properties -------------------------------------------------------------------------------

OPPORTUNITIES = st.lists(
    st.tuples(
        st.sampled_from(["won", "lost", "open"]),
        st.integers(min_value=-800, max_value=200),  # closed_at, days from as_of
        st.floats(min_value=0, max_value=1e6, allow_nan=False),
        st.sampled_from(["marketing", "sales", "partner", "renewal"]),
    ),
    max_size=30,
)


def opportunities_frame(rows) -> pd.DataFrame:
    status, offset, amount, source = zip(*rows, strict=True) if rows else ([], [], [], [])
    closed = AS_OF + pd.to_timedelta(list(offset), unit="D")
    return pd.DataFrame(
        {
            "status": list(status),
            "closed_at": pd.Series(closed).where(pd.Series(list(status)) != "open"),
            "amount": list(amount),
            "sourced_by": list(source),
        }
    )


@given(OPPORTUNITIES, OPPORTUNITIES)
@settings(deadline=None)  # timing is bench/'s business; a loaded machine is not a failure
def test_only_opportunities_closed_in_the_window_count(inside_rows, other_rows):
    start = pd.Timestamp("2025-07-01")
    frame = opportunities_frame(inside_rows + other_rows)
    closed = closed_in_window(frame, start=start, end=AS_OF)
    assert closed["status"].isin(["won", "lost"]).all()
    assert ((closed["closed_at"] >= start) & (closed["closed_at"] <= AS_OF)).all()
    # adding opportunities outside the window changes nothing
    outside = frame.loc[(frame["closed_at"] < start) | (frame["closed_at"] > AS_OF)]
    doubled = pd.concat([frame, outside], ignore_index=True)
    again = closed_in_window(doubled, start=start, end=AS_OF)
    assert marketing_lift(again) == marketing_lift(closed)
    pd.testing.assert_frame_equal(source_outcomes(again), source_outcomes(closed))
    lift = marketing_lift(closed)
    for share in (lift.won_revenue_share, lift.won_count_share):
        assert share is None or 0.0 <= share <= 1.0
    rates = source_outcomes(closed)["win_rate"].dropna()
    assert ((rates >= 0) & (rates <= 1)).all()


def random_engagement(seed: int, n: int) -> Engagement:
    """A validated-looking engagement drawn at random: ordered stage dates, exits, deals."""
    rng = np.random.default_rng(seed)
    created = AS_OF - pd.to_timedelta(rng.integers(0, 500, n), unit="D")
    gaps = rng.integers(0, 60, (n, 5))
    reach = rng.integers(0, 6, n)  # last stage index reached
    dates = {}
    current = pd.Series(created)
    columns = ["mql_at", "sal_at", "sql_at", "opportunity_at", "won_at"]
    for k, col in enumerate(columns):
        current = current + pd.to_timedelta(gaps[:, k], unit="D")
        dates[col] = current.where(reach > k)
    last = pd.Series(created)
    for col in columns:
        last = dates[col].fillna(last)
    exit_after = last + pd.to_timedelta(rng.integers(0, 90, n), unit="D")
    exits = rng.random(n) < 0.5
    in_opp = reach >= 4
    won = reach == 5
    disqualified = exit_after.where(exits & ~in_opp)
    lost = exit_after.where(exits & in_opp & ~won)
    leads = pd.DataFrame(
        {
            "lead_id": [f"L{i}" for i in range(n)],
            "created_at": created,
            "mql_at": dates["mql_at"],
            "sal_at": dates["sal_at"],
            "sql_at": dates["sql_at"],
            "disqualified_at": disqualified,
            "source_channel": rng.choice(["webinar", "events", "paid_search"], n),
            "sourced_by": rng.choice(["marketing", "sales"], n),
            "source_row": np.arange(1, n + 1),
            "opportunity_at": dates["opportunity_at"],
            "won_at": dates["won_at"],
            "lost_at": lost,
            "won_amount": np.where(won, rng.integers(1, 100, n) * 1000.0, 0.0),
            "opportunity_id": [f"O{i}" if r >= 4 else None for i, r in enumerate(reach)],
        }
    )
    has_opp = leads["opportunity_at"].notna()
    opps = leads.loc[has_opp]
    opportunities = pd.DataFrame(
        {
            "opportunity_id": opps["opportunity_id"].to_numpy(),
            "lead_id": opps["lead_id"].to_numpy(),
            "created_at": opps["opportunity_at"].to_numpy(),
            "closed_at": opps["won_at"].fillna(opps["lost_at"]).to_numpy(),
            "status": np.where(
                opps["won_at"].notna(), "won", np.where(opps["lost_at"].notna(), "lost", "open")
            ),
            "amount": np.where(opps["won_at"].notna(), opps["won_amount"], 5000.0),
            "sourced_by": opps["sourced_by"].to_numpy(),
        }
    )
    months = pd.period_range(AS_OF - pd.Timedelta(days=500), AS_OF, freq="M").to_timestamp()
    spend = pd.DataFrame(
        {
            "month": np.repeat(months, 2),
            "channel": np.tile(["webinar", "events"], len(months)),
            "amount": rng.integers(0, 5000, 2 * len(months)).astype(float),
        }
    )
    return Engagement(
        path=Path("."),
        config=EngagementConfig(client="Random"),
        leads=leads,
        opportunities=opportunities,
        spend=spend,
        content=pd.DataFrame(),
        touches=None,
        audit=Audit(),
        as_of=AS_OF.date(),
        files={"leads": "leads.csv"},
        provided=frozenset({"leads", "opportunities", "spend"}),
        coverage=data_coverage(
            {"leads": leads, "opportunities": opportunities, "spend": spend}, AS_OF.date()
        ),
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32 - 1), st.integers(min_value=1, max_value=120))
def test_every_rate_is_a_fraction_and_leakage_is_one_minus_the_rate(seed, n):
    out = compute_kpis(random_engagement(seed, n)).to_dict()
    json.dumps(out, allow_nan=False)
    for row in out["funnel"]:
        for key in ("rate", "naive_rate", "rate_lower", "rate_upper", "naive_lower"):
            assert row[key] is None or 0.0 <= row[key] <= 1.0
        if row["rate"] is not None:
            assert row["rate_lower"] <= row["rate"] + 1e-12 <= row["rate_upper"] + 2e-12
            leak = out["health"]["leakage"][f"{row['from']}_{row['to']}"]
            assert leak == pytest.approx(1.0 - row["rate"])
        assert row["converted"] <= row["entered"]
    for v in out["velocity"].values():
        for key in ("rate", "within_30_days", "within_60_days", "within_90_days"):
            assert v[key] is None or 0.0 <= v[key] <= 1.0
        if v["median_days"] is not None:
            assert v["median_days"] <= v["p75_days"] <= v["p90_days"]
    for rates in (out["conversion"]["win_rate"], out["conversion"]["sql_won_rate"]):
        assert all(r is None or 0.0 <= r <= 1.0 for r in rates.values())
    for share in out["lift"]["won_revenue_share"], out["lift"]["won_count_share"]:
        assert share is None or 0.0 <= share <= 1.0
    open_count = out["health"]["open"]
    assert all(out["health"]["stuck"][s] <= open_count[s] for s in open_count)


def test_kpi_report_is_frozen(tiny):
    _, report = tiny
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.client = "x"  # type: ignore[misc]
    assert isinstance(report.as_of, dt.date)
