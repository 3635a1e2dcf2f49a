"""The leak to fix: steps ranked by the won deals their losses cost (workbook.analysis.leaks)."""

import math

import pandas as pd

from workbook.analysis.leaks import leak_costs, leak_to_fix

# The sample's funnel (corrected rates rounded), hand-computed below.
SAMPLE = pd.DataFrame(
    {
        "from": ["inquiry", "mql", "sal", "sql", "opportunity"],
        "to": ["mql", "sal", "sql", "opportunity", "won"],
        "entered": [20000, 4727, 2121, 1220, 647],
        "rate": [0.244, 0.455, 0.598, 0.543, 0.283],
    }
)


def test_losses_are_weighed_by_the_share_of_passers_that_win():
    costs = leak_costs(SAMPLE, avg_won_amount=50_000.0).set_index(["from", "to"])
    # MQL -> SAL: 4727 x 0.545 lost, x 0.598 x 0.543 x 0.283 won after it
    mql = costs.loc[("mql", "sal")]
    assert math.isclose(mql["lost"], 4727 * 0.545)
    assert math.isclose(mql["win_after"], 0.598 * 0.543 * 0.283)
    assert math.isclose(mql["won_lost"], 4727 * 0.545 * 0.598 * 0.543 * 0.283)
    # the step into won: every lost opportunity is a lost deal
    opp = costs.loc[("opportunity", "won")]
    assert opp["win_after"] == 1.0
    assert math.isclose(opp["won_lost"], 647 * 0.717)


def test_opportunity_to_won_outranks_the_leakier_looking_mql_step():
    # 71.7% of 647 = 464 deals against 54.5% of 4,727 x 9.2% = 237 deals
    costs = leak_costs(SAMPLE, avg_won_amount=50_000.0)
    top = leak_to_fix(costs)
    assert (top["from"], top["to"]) == ("opportunity", "won")
    ranks = costs.set_index("from")["rank"].to_dict()
    assert ranks == {"inquiry": 0, "mql": 2, "sal": 4, "sql": 3, "opportunity": 1}


def test_qualification_is_not_ranked_and_no_amount_ranks_by_deals():
    costs = leak_costs(SAMPLE, avg_won_amount=None)
    assert not costs["ranked"].iloc[0]
    assert costs["revenue_lost"].isna().all()
    assert leak_to_fix(costs)["from"] == "opportunity"


def test_a_one_step_ladder_ranks_its_only_step():
    one = pd.DataFrame({"from": ["opportunity"], "to": ["won"], "entered": [40], "rate": [0.25]})
    costs = leak_costs(one, avg_won_amount=10_000.0, window_lost=[30], window_decided=[40])
    assert costs["rank"].tolist() == [1]
    assert math.isclose(costs["revenue_lost"].iloc[0], 30 * 10_000.0)


# the sample's KPI window (Oct 2025 to Sep 2026): leads that left each step lost, and either way
WINDOW_LOST = [8414, 1515, 486, 316, 278]
WINDOW_DECIDED = [11201, 2765, 1223, 730, 393]


def window_costs(rates=SAMPLE["rate"]):
    return leak_costs(SAMPLE.assign(rate=rates), avg_won_amount=50_160.0,
                      window_lost=WINDOW_LOST, window_decided=WINDOW_DECIDED)  # fmt: skip


def test_the_money_is_counted_over_the_window_at_its_average_deal():
    costs = window_costs().set_index("from")
    opp = costs.loc["opportunity"]
    # 278 opportunities closed lost in the window x the window's average deal
    assert opp["window_won_lost"] == 278
    assert round(opp["revenue_lost"]) == 13_944_480
    mql = costs.loc["mql"]
    assert math.isclose(mql["revenue_lost"], 1515 * 0.598 * 0.543 * 0.283 * 50_160.0)
    # the ranking still rests on every lead's losses, not the window's
    assert leak_to_fix(window_costs())["from"] == "opportunity"


def test_the_money_never_exceeds_the_won_revenue_the_window_could_bring():
    costs = window_costs()
    assert (costs["revenue_lost"] <= costs["revenue_cap"]).all()
    # the cap of the step into won: every opportunity decided in the window won
    assert math.isclose(costs["revenue_cap"].iloc[-1], 393 * 50_160.0)
    # the old rule (24 months of losses at a 12-month deal) gave 464 x 50,160 = 23.3M:
    # more than the window could bring
    assert costs["revenue_lost"].iloc[-1] < 464 * 50_160.0
    assert 464 * 50_160.0 > costs["revenue_cap"].iloc[-1]


def test_without_window_counts_no_money_is_counted():
    costs = leak_costs(SAMPLE, avg_won_amount=50_000.0)
    assert costs["revenue_lost"].isna().all()
    assert math.isclose(costs["won_lost"].iloc[-1], 647 * 0.717)


def test_no_rate_no_leak():
    empty = pd.DataFrame(
        {"from": ["a", "b"], "to": ["b", "c"], "entered": [0, 0], "rate": [float("nan")] * 2}
    )
    assert leak_to_fix(leak_costs(empty)) is None
