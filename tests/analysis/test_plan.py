"""The reverse-funnel plan: arithmetic, lag shifting, consistency, overrides, pipeline, bands."""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLE_DIR, TINY_OPPS, TINY_YAML, write_engagement
from workbook.analysis.journeys import build_journeys
from workbook.analysis.kpis import compute_kpis
from workbook.analysis.plan import (
    DAYS_PER_MONTH,
    PlanError,
    PlanSettings,
    apply_scenario,
    beta_parameters,
    build_plan,
    compute_plan,
    conditional_conversion_probability,
    estimate_plan_inputs,
    find_scenario,
    monthly_lag_pmf,
    open_pipeline_landing,
    point_mass_lag_pmf,
    ramp_weights,
    revenue_schedule,
    reverse_funnel_totals,
    time_phased_requirement,
    tornado,
)
from workbook.analysis.survival import cumulative_incidence
from workbook.intake.engagement import load_engagement
from workbook.intake.sections.scenarios import Scenario

STAGES = ("inquiry", "mql", "sal", "sql", "opportunity", "won")
PAIRS = ("inquiry_mql", "mql_sal", "sal_sql", "sql_opportunity", "opportunity_won")


@pytest.fixture(scope="module")
def sample():
    engagement = load_engagement(SAMPLE_DIR)
    journeys = build_journeys(engagement)
    return engagement, journeys, estimate_plan_inputs(engagement, journeys)


def tiny(tmp_path: Path, extra_yaml: str = "", files: dict | None = None):
    directory = write_engagement(
        tmp_path / "tiny", {"engagement.yaml": TINY_YAML + extra_yaml, **(files or {})}
    )
    return load_engagement(directory)


# --- published arithmetic ------------------------------------------------------------------


def test_two_million_at_75000_a_deal_is_26_67_deals_and_133_3_sqls():
    # issue 4, item 8: 2,000,000 / 75,000 = 26.67 deals; / 0.20 (SQL to won) = 133.3 SQLs
    totals = reverse_funnel_totals(2_000_000 / 75_000, [0.20])
    assert totals[1] == pytest.approx(26.67, abs=0.005)
    assert totals[0] == pytest.approx(133.3, abs=0.05)


def test_1000_inquiries_through_the_published_rates_make_15_3_customers():
    # issue 4, item 8: 1,000 inquiries x 0.10 x 0.85 x 0.60 x 0.30 = 15.3 customers;
    # working back from 15.3 customers gives the 1,000 inquiries again
    rates = [0.10, 0.85, 0.60, 0.30]
    assert 1000 * math.prod(rates) == pytest.approx(15.3)
    totals = reverse_funnel_totals(15.3, rates)
    assert totals.tolist() == pytest.approx([1000.0, 100.0, 85.0, 51.0, 15.3])


def test_reverse_funnel_rejects_rates_outside_zero_one():
    with pytest.raises(ValueError, match="conversion rates"):
        reverse_funnel_totals(10, [0.5, 0.0])
    with pytest.raises(ValueError, match="conversion rates"):
        reverse_funnel_totals(10, [1.2])


# --- revenue ramp --------------------------------------------------------------------------


def test_linear_ramp_weights_reach_full_run_rate_after_ramp_months():
    # ramp_months = 3: a quarter, a half, three quarters, then full
    assert ramp_weights(6, 3).tolist() == [0.25, 0.5, 0.75, 1.0, 1.0, 1.0]
    assert ramp_weights(4, 0).tolist() == [1.0] * 4


def test_revenue_schedule_of_the_sample_target_rises_then_holds():
    # 6,000,000 over 12 months, ramp 3: weights sum to 0.25 + 0.5 + 0.75 + 9 = 10.5
    schedule = revenue_schedule(6_000_000, period_months=12, ramp_months=3)
    full = 6_000_000 / 10.5
    assert schedule[:4].tolist() == pytest.approx([full / 4, full / 2, full * 3 / 4, full])
    assert math.fsum(schedule) == 6_000_000


@settings(max_examples=60, deadline=None)
@given(
    revenue=st.floats(1e3, 1e9),
    period=st.integers(1, 36),
    ramp_share=st.floats(0, 1),
)
def test_ramp_sums_to_the_target_and_never_falls(revenue, period, ramp_share):
    ramp = int(round(ramp_share * period))
    schedule = revenue_schedule(revenue, period_months=period, ramp_months=ramp)
    assert math.fsum(schedule) == pytest.approx(revenue, rel=1e-12)
    assert np.all(np.diff(schedule) >= -1e-6 * revenue)
    assert np.all(schedule > 0)


# --- lag distributions ---------------------------------------------------------------------


def test_monthly_lag_pmf_spreads_each_lag_between_two_months_and_ignores_the_horizon_tail():
    # CIF jumps: 0.3 at day 0, 0.3 at 1.5 months, 0.4 at day 400 (beyond a 365-day horizon).
    # Among conversions within the horizon: half at 0 months, half at 1.5 months, which an
    # entry spread evenly over its month lands half in month +1 and half in month +2.
    time_days = np.array([0.0, 1.5 * DAYS_PER_MONTH, 400.0])
    incidence = np.array([0.3, 0.6, 1.0])
    pmf = monthly_lag_pmf(time_days, incidence, horizon_days=365)
    assert pmf.tolist() == pytest.approx([0.5, 0.25, 0.25])


def test_point_mass_lag_of_whole_months_lands_in_one_month():
    assert point_mass_lag_pmf(0).tolist() == [1.0]
    assert point_mass_lag_pmf(2 * DAYS_PER_MONTH).tolist() == pytest.approx([0.0, 0.0, 1.0])
    # 45 days = 1.478 months: 52.2% one month later, 47.8% two months later
    assert point_mass_lag_pmf(45).tolist() == pytest.approx(
        [0.0, 2 - 45 / DAYS_PER_MONTH, 45 / DAYS_PER_MONTH - 1]
    )


def test_a_one_month_lag_shifts_the_schedule_back_exactly_one_month():
    # won schedule 1, 2, 3 deals; opportunity -> won at 50% with a lag of exactly one month:
    # opportunities needed one month earlier, twice as many
    won = np.array([1.0, 2.0, 3.0])
    result = time_phased_requirement(won, [0.5], [point_mass_lag_pmf(DAYS_PER_MONTH)])
    assert result.lead_months == 1
    assert result.required[0].tolist() == pytest.approx([2.0, 4.0, 6.0, 0.0])
    assert result.required[1].tolist() == pytest.approx([0.0, 1.0, 2.0, 3.0])
    assert result.fit_error_share == pytest.approx(0.0, abs=1e-9)
    # the gross volume keeps the funnel running after the plan: month 4 feeds the next period
    assert result.gross[0].tolist() == pytest.approx([2.0, 4.0, 6.0, 6.0])


def test_a_known_two_month_spread_is_deconvolved_and_its_cohort_share_is_exact():
    # 4 deals a month for 6 months; half the converting leads take one month, half two months,
    # 50% convert. A flat entry of 8 a month from two months before the plan holds it exactly.
    won = np.full(6, 4.0)
    pmf = np.array([0.0, 0.5, 0.5])
    result = time_phased_requirement(won, [0.5], [pmf])
    assert result.lead_months == 2
    assert result.gross[0].tolist() == pytest.approx([8.0] * 8, rel=1e-6)
    produced = 0.5 * np.convolve(result.gross[0], pmf)[:8]
    assert produced[2:].tolist() == pytest.approx(won.tolist(), rel=1e-6)
    # share of an entry's wins inside the plan: month -2 -> only its 2-month lag (0.5);
    # month -1 -> both; the last plan month -> none; the one before -> its 1-month lag (0.5)
    share = result.in_plan_share[0]
    assert share.tolist() == pytest.approx([0.5, 1, 1, 1, 1, 1, 0.5, 0.0])
    assert result.required[0].sum() == pytest.approx(won.sum() / 0.5)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    stages=st.integers(2, 6),
    periods=st.integers(1, 24),
    ramp_share=st.floats(0, 1),
)
def test_required_volumes_are_non_negative_and_sum_to_the_reverse_funnel_totals(
    seed, stages, periods, ramp_share
):
    rng = np.random.default_rng(seed)
    rates = rng.uniform(0.05, 1.0, size=stages - 1)
    pmfs = [rng.dirichlet(np.ones(rng.integers(1, 8))) for _ in range(stages - 1)]
    won = revenue_schedule(100.0, period_months=periods, ramp_months=int(ramp_share * periods))
    result = time_phased_requirement(won, rates, pmfs)
    totals = reverse_funnel_totals(won.sum(), rates)
    assert np.all(result.required >= -1e-12)
    assert np.all(result.gross >= result.required - 1e-9)
    assert result.required.sum(axis=1).tolist() == pytest.approx(totals.tolist(), rel=1e-9)


# --- conditional conversion and pipeline credit --------------------------------------------


def test_conditional_conversion_probability_of_a_lead_still_open_matches_the_hand_computation():
    # durations 1, 2, 3, 4 with events converted, exited, converted, open.
    # KM all-cause: S(1) = 3/4, S(2) = 1/2, S(3) = 1/4; CIF of converting: F(1) = 1/4,
    # F(3) = 1/4 + S(2) * 1/2 = 1/2. A lead open at 1.5 days: (F(h) - F(1.5)) / S(1.5)
    # = (1/2 - 1/4) / (3/4) = 1/3, i.e. survives the exit at 2 (2/3), then converts (1/2).
    cif = cumulative_incidence([1, 2, 3, 4], [1, 2, 1, 0])
    p = conditional_conversion_probability(cif, [0.0, 1.5, 2.5, 3.5, 400.0], horizon_days=365)
    assert p.tolist() == pytest.approx([0.5, 1 / 3, 0.5, 0.0, 0.0])


def test_open_pipeline_lands_in_the_month_its_conversion_is_expected():
    # opportunities closing after 20 days (one won, one lost), 50 days (won), one open at 80.
    # F(20) = 1/4, S(20) = 1/2; F(50) = 1/2, S(50) = 1/4. An opportunity open for 30 days at
    # 2026-09-30 wins with (1/2 - 1/4) / (1/2) = 1/2, on day 50, i.e. 20 days later: October.
    cif = cumulative_incidence([20, 20, 50, 80], [1, 2, 1, 0])
    landing = open_pipeline_landing(
        cif,
        np.array([30.0]),
        np.array([100_000.0]),
        horizon_days=365,
        as_of=np.datetime64("2026-09-30").astype(object),
    )
    assert landing.tolist() == pytest.approx([0.0, 50_000.0])


def test_pipeline_credit_of_a_hand_made_engagement(tmp_path):
    # Tiny engagement with O4 (L4, marketing, 40,000) opened on 2026-06-10: 20 days old at
    # as_of 2026-06-30. Opportunity -> won: L5 lost at 42 days, L1 won at 59 days, L4 open at
    # 20: F(h) = 1/2 and S(20) = 1, so O4 wins with probability 1/2, on day 59, i.e. 39 days
    # after as_of: 2026-08-08. The other open marketing leads (L3 at sal for 135 days, L6 at
    # inquiry for 10 days) are past every conversion their stage has seen: probability 0.
    opps = TINY_OPPS.replace("O4,L4,ACC3,2026-03-15", "O4,L4,ACC3,2026-06-10")
    engagement = tiny(tmp_path, files={"data/opportunities.csv": opps})
    inputs = estimate_plan_inputs(engagement)
    base = replace(inputs.base, period_start="2026-08", period_months=12, ramp_months=0)
    plan = compute_plan(inputs, base)
    assert plan.pipeline_credit == pytest.approx({"revenue": 20_000.0, "won": 0.5})
    assert plan.revenue_frame().set_index("month").loc["2026-08-01", "pipeline"] == pytest.approx(
        20_000.0
    )
    assert plan.net_totals is not None
    assert plan.net_totals.tolist() == pytest.approx((plan.totals * (1 - 0.02)).tolist())
    # a plan starting after August gets no credit from it
    later = compute_plan(inputs, replace(base, period_start="2026-09"))
    assert later.pipeline_credit == pytest.approx({"revenue": 0.0, "won": 0.0})


def test_an_open_opportunity_without_amount_is_valued_at_the_average_deal_size(tmp_path):
    # the same engagement as above, O4's amount left empty (an open deal not yet priced): it
    # is kept, and valued at the data's average deal size (O1, the marketing win in the
    # window: 50,000), so it lands 0.5 x 50,000; `from` says so
    opps = TINY_OPPS.replace("O4,L4,ACC3,2026-03-15,,open,40000", "O4,L4,ACC3,2026-06-10,,open,")
    engagement = tiny(tmp_path, files={"data/opportunities.csv": opps})
    assert engagement.audit.rows["opportunities"].quarantined == 0
    # it counts wherever a count is used: L1 (won), L5 (lost) and L4 (open) entered the step
    funnel = compute_kpis(engagement).to_dict()["funnel"]
    assert [(f["entered"], f["converted"]) for f in funnel if f["from"] == "opportunity"] == [
        (3, 1)
    ]
    inputs = estimate_plan_inputs(engagement)
    assert inputs.avg_deal_size == 50_000.0 and inputs.open_without_amount == 1
    base = replace(inputs.base, period_start="2026-08", period_months=12, ramp_months=0)
    plan = compute_plan(inputs, base)
    assert plan.pipeline_credit == pytest.approx({"revenue": 25_000.0, "won": 0.5})
    assert plan.to_dict()["assumptions"]["from"]["pipeline_amount"] == "avg_deal_size"
    # with every amount given, `from` says nothing of it
    priced = compute_plan(estimate_plan_inputs(tiny(tmp_path / "priced")), base)
    assert "pipeline_amount" not in priced.to_dict()["assumptions"]["from"]


# --- the plan on engagements ---------------------------------------------------------------


def test_overrides_are_honoured_and_from_says_which(tmp_path):
    engagement = tiny(
        tmp_path,
        "assumptions:\n  avg_deal_size: 40000\n  conversion: {opportunity_won: 0.5}\n"
        "  lag_days: {opportunity_won: 30}\n",
    )
    plan = build_plan(engagement).to_dict()
    assumptions = plan["assumptions"]
    assert assumptions["avg_deal_size"] == 40000.0
    assert assumptions["conversion"]["opportunity_won"] == 0.5
    assert assumptions["lag_days"]["opportunity_won"] == 30.0
    assert assumptions["from"]["avg_deal_size"] == "override"
    assert assumptions["from"]["conversion.opportunity_won"] == "override"
    assert assumptions["from"]["lag_days.opportunity_won"] == "override"
    assert assumptions["from"]["conversion.inquiry_mql"] == "data"
    assert assumptions["from"]["lag_days.sal_sql"] == "data"
    # 1,000,000 / 40,000 = 25 deals; / 0.5 = 50 opportunities
    assert plan["totals"]["won"] == pytest.approx(25.0)
    assert plan["totals"]["opportunity"] == pytest.approx(50.0)


def test_data_deal_size_is_the_mean_marketing_sourced_win_in_the_window(tmp_path):
    # O1 (marketing, 50,000) is the only marketing win; O3 (sales, 80,000) is left out
    plan = build_plan(tiny(tmp_path))
    assert plan.avg_deal_size == 50_000.0
    assert plan.sources["avg_deal_size"] == "data"
    assert plan.totals[-1] == pytest.approx(1_000_000 / 50_000)


def test_point_mass_lags_give_the_first_landing_month_and_the_out_of_reach_share(tmp_path):
    # every lag 0 except opportunity -> won at exactly two months; as_of 2026-06-30, so new
    # leads enter from 2026-07 and first win in 2026-09. A flat plan from 2026-08 needs the
    # leads of its August wins in June: 1 month of 12 is out of reach.
    engagement = tiny(tmp_path)
    inputs = estimate_plan_inputs(engagement)
    lags = {pair: 0.0 for pair in PAIRS} | {"opportunity_won": 2 * DAYS_PER_MONTH}
    settings_ = replace(
        inputs.base,
        period_start="2026-08",
        ramp_months=0,
        lag_days=lags,
        conversion={pair: 0.5 for pair in PAIRS},
    )
    plan = compute_plan(inputs, settings_)
    assert plan.first_new_month == "2026-07"
    assert plan.first_landing_month == "2026-09"
    assert plan.out_of_reach_share == pytest.approx(1 / 12)
    assert plan.months[0] == "2026-06"
    assert plan.required[0][0] == pytest.approx(plan.totals[0] / 12)


def test_missing_target_is_a_plan_error_that_says_how_to_fix_it(tmp_path):
    engagement = tiny(tmp_path)
    inputs = estimate_plan_inputs(engagement)
    with pytest.raises(PlanError, match=r"targets\.revenue.*add it to engagement\.yaml"):
        compute_plan(inputs, replace(inputs.base, revenue=None))


def test_a_stage_no_lead_ever_left_needs_an_override(tmp_path):
    # no opportunity ever won or lost and no lag: the plan asks for both overrides by name
    opps = (
        "opportunity_id,lead_id,account_id,created_at,closed_at,status,amount,sourced_by,product\n"
    )
    opps += "O4,L4,ACC3,2026-03-15,,open,40000,marketing,Core\n"
    engagement = tiny(
        tmp_path, "assumptions:\n  avg_deal_size: 40000\n", {"data/opportunities.csv": opps}
    )
    with pytest.raises(PlanError) as error:
        build_plan(engagement)
    columns = {p.column for p in error.value.problems}
    assert columns == {
        "assumptions.conversion.opportunity_won",
        "assumptions.lag_days.opportunity_won",
    }
    assert "set assumptions.conversion.opportunity_won" in str(error.value)


SCENARIOS = """\
scenarios:
  - name: conservative
    description: Lower win rate and a longer ramp
    targets: {revenue: 800000, ramp_months: 6}
    assumptions:
      conversion: {opportunity_won: 0.25}
  - name: bigger deals
    assumptions: {avg_deal_size: 100000}
"""


def test_a_scenario_applies_its_overrides_on_top_of_engagement_yaml(tmp_path):
    engagement = tiny(tmp_path, SCENARIOS)
    conservative = build_plan(engagement, scenario="conservative")
    assert conservative.scenario == "conservative"
    assert conservative.target_revenue == pytest.approx(800_000)
    assert conservative.ramp_months == 6
    # 800,000 / 50,000 (data deal size) = 16 deals; / 0.25 = 64 opportunities
    assert conservative.totals[-2:].tolist() == pytest.approx([64.0, 16.0])
    assert conservative.sources["conversion.opportunity_won"] == "override"
    bigger = build_plan(engagement, scenario="bigger deals")
    assert bigger.totals[-1] == pytest.approx(10.0)


def test_an_unknown_scenario_is_a_plan_error_naming_the_closest(tmp_path):
    engagement = tiny(tmp_path, SCENARIOS)
    with pytest.raises(
        PlanError, match="no scenario named 'conservativ'.*did you mean 'conservative'"
    ):
        build_plan(engagement, scenario="conservativ")
    with pytest.raises(PlanError, match="has no scenarios"):
        find_scenario((), "anything")


def test_a_scenario_overrides_only_what_it_names():
    base = PlanSettings(
        revenue=1_000_000.0,
        period_start="2027-01",
        ramp_months=3,
        conversion={"inquiry_mql": 0.3},
        lag_days={"sal_sql": 5.0},
    )
    scenario = Scenario(
        name="short", period_months=6, avg_deal_size=40_000.0, conversion={"mql_sal": 0.5}
    )
    assert apply_scenario(base, scenario) == replace(
        base,
        period_months=6,
        avg_deal_size=40_000.0,
        conversion={"inquiry_mql": 0.3, "mql_sal": 0.5},
        scenario="short",
    )


# --- uncertainty ---------------------------------------------------------------------------


def test_beta_is_centred_on_the_rate_with_the_count_its_standard_error_implies():
    # a plain proportion 0.2 of 101 has se^2 = 0.2 * 0.8 / 101: effective count 100
    a, b = beta_parameters(0.2, math.sqrt(0.2 * 0.8 / 101), 1000)
    assert (a, b) == pytest.approx((20.0, 80.0))
    assert a / (a + b) == pytest.approx(0.2)
    # never more certain than the leads that entered, nothing to draw at 0 or 1
    a, b = beta_parameters(0.5, 1e-9, 40)
    assert a + b == pytest.approx(40.0)
    assert beta_parameters(1.0, 0.0, 10) is None


def test_simulate_is_deterministic_for_a_seed_and_brackets_the_point_estimate(sample):
    _, _, inputs = sample
    first = compute_plan(inputs, simulate=400, seed=11)
    again = compute_plan(inputs, simulate=400, seed=11)
    other = compute_plan(inputs, simulate=400, seed=12)
    assert first.to_dict()["bands"] == again.to_dict()["bands"]
    assert first.to_dict()["bands"] != other.to_dict()["bands"]
    p10, p90 = first.bands["p10"], first.bands["p90"]
    assert np.all(p10[:-1] < first.totals[:-1]) and np.all(first.totals[:-1] < p90[:-1])
    assert p10[-1] == p90[-1] == pytest.approx(first.totals[-1])  # deals follow the deal size only
    revenue = first.revenue_frame()
    inside = revenue["revenue"] > 0
    assert np.all(revenue.loc[inside, "p10"] < revenue.loc[inside, "revenue"])
    assert np.all(revenue.loc[inside, "revenue"] < revenue.loc[inside, "p90"])


def test_overridden_rates_are_not_drawn(tmp_path):
    conversion = ", ".join(f"{p}: 0.5" for p in PAIRS)
    engagement = tiny(tmp_path, f"assumptions:\n  conversion: {{{conversion}}}\n")
    plan = build_plan(engagement, simulate=200)
    assert plan.bands["p10"].tolist() == pytest.approx(plan.totals.tolist())
    assert plan.bands["p90"].tolist() == pytest.approx(plan.totals.tolist())


def test_tornado_ranks_the_assumptions_by_how_far_they_move_the_first_stage(sample):
    _, _, inputs = sample
    frame = tornado(inputs)
    assert set(frame["assumption"]) == {"avg_deal_size", *(f"conversion.{p}" for p in PAIRS)}
    assert frame["swing"].is_monotonic_decreasing
    # a lower rate needs more leads, a higher one fewer
    rates = frame.loc[frame["assumption"] != "avg_deal_size"]
    assert np.all(rates["total_at_low"] > rates["base_total"])
    assert np.all(rates["total_at_high"] < rates["base_total"])
    # the base total is the plan's first-stage total
    assert frame["base_total"].iloc[0] == pytest.approx(compute_plan(inputs).totals[0])


def test_tornado_swings_an_override_by_ten_percent(tmp_path):
    engagement = tiny(tmp_path, "assumptions:\n  avg_deal_size: 40000\n")
    frame = tornado(estimate_plan_inputs(engagement)).set_index("assumption")
    assert frame.loc["avg_deal_size", ["low_value", "high_value"]].tolist() == [36000.0, 44000.0]


# --- the contract's JSON -------------------------------------------------------------------


def test_plan_json_holds_exactly_the_contract_keys_on_the_sample(sample):
    _, _, inputs = sample
    plan = compute_plan(inputs, simulate=200, seed=7)
    data = json.loads(json.dumps(plan.to_dict(), allow_nan=False))
    assert set(data) == {
        "stages", "months", "required", "totals", "revenue", "assumptions",
        "pipeline_credit", "net_totals", "bands",
    }  # fmt: skip
    assert data["stages"] == list(STAGES)
    assert all(re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", m) for m in data["months"])
    assert set(data["required"]) == set(STAGES) == set(data["totals"])
    assert all(len(v) == len(data["months"]) for v in data["required"].values())
    assert len(data["revenue"]) == len(data["months"])
    for stage in STAGES:
        assert sum(data["required"][stage]) == pytest.approx(data["totals"][stage], rel=1e-9)
        assert min(data["required"][stage]) >= 0
    assert math.fsum(data["revenue"]) == pytest.approx(6_000_000, rel=1e-12)
    assert set(data["assumptions"]) == {"avg_deal_size", "conversion", "lag_days", "from"}
    assert (
        set(data["assumptions"]["conversion"]) == set(PAIRS) == set(data["assumptions"]["lag_days"])
    )
    assert set(data["assumptions"]["from"].values()) <= {"override", "data"}
    assert set(data["pipeline_credit"]) == {"revenue", "won"}
    assert set(data["bands"]) == {"p10", "p90"}
    # lead time: volumes start before period_start and revenue only inside the period
    start = data["months"].index("2027-01")
    assert start > 0 and data["months"][-1] == "2027-12"
    assert sum(data["revenue"][:start]) == 0
    assert data["required"]["inquiry"][0] == 0 and data["required"]["inquiry"][1] > 0
    # totals follow the contract's arithmetic
    conversion = data["assumptions"]["conversion"]
    assert data["totals"]["won"] == pytest.approx(6_000_000 / data["assumptions"]["avg_deal_size"])
    assert data["totals"]["sql"] == pytest.approx(
        data["totals"]["opportunity"] / conversion["sql_opportunity"]
    )


def test_rates_and_lags_come_from_the_kpi_estimates(sample):
    from workbook.analysis.kpis import funnel_rates

    engagement, journeys, inputs = sample
    table = funnel_rates(journeys, horizon_days=engagement.config.horizon_days)
    plan = compute_plan(inputs).to_dict()["assumptions"]
    assert [plan["conversion"][p] for p in PAIRS] == pytest.approx(table["rate"].tolist())
    assert [plan["lag_days"][p] for p in PAIRS] == pytest.approx(table["median_days"].tolist())


def test_bands_and_pipeline_keys_appear_only_when_they_apply(tmp_path):
    engagement = tiny(tmp_path)
    plain = build_plan(engagement).to_dict()
    assert "bands" not in plain
    closed = TINY_OPPS.replace(
        "O4,L4,ACC3,2026-03-15,,open", "O4,L4,ACC3,2026-03-15,2026-04-15,lost"
    )
    leads = "\n".join(
        line for line in write_engagement(tmp_path / "x").joinpath("data/leads.csv").read_text().splitlines()
        if not line.startswith(("L3,", "L6,"))
    )  # fmt: skip
    engagement = tiny(
        tmp_path / "closed",
        files={"data/opportunities.csv": closed, "data/leads.csv": leads + "\n"},
    )
    data = build_plan(engagement).to_dict()
    assert "pipeline_credit" not in data and "net_totals" not in data


def test_scenario_settings_merge_conversions_with_the_base(tmp_path):
    engagement = tiny(tmp_path, "assumptions:\n  conversion: {inquiry_mql: 0.3}\n" + SCENARIOS)
    inputs = estimate_plan_inputs(engagement)
    merged = apply_scenario(inputs.base, inputs.scenarios[0])
    assert dict(merged.conversion) == {"inquiry_mql": 0.3, "opportunity_won": 0.25}
    assert merged.period_start == "2027-01" and merged.revenue == 800_000
