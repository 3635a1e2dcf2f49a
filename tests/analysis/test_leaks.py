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
    assert math.isclose(mql["revenue_lost"], mql["won_lost"] * 50_000.0)
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
    costs = leak_costs(one, avg_won_amount=10_000.0)
    assert costs["rank"].tolist() == [1]
    assert math.isclose(costs["revenue_lost"].iloc[0], 30 * 10_000.0)


def test_no_rate_no_leak():
    empty = pd.DataFrame(
        {"from": ["a", "b"], "to": ["b", "c"], "entered": [0, 0], "rate": [float("nan")] * 2}
    )
    assert leak_to_fix(leak_costs(empty)) is None
