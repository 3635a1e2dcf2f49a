"""The leak to fix: funnel steps ranked by the won deals (and revenue) their losses cost.

One rule, used by the mid-point's leak chart, its text and its executive summary (and by any
later report that names "the leak"): a step's losses are the leads that entered it and did
not move on, ``entered x (1 - rate)``; each of them would have been won with the probability
that a lead passing the step goes on to win, the product of the rates of the steps after it
(1 for the step into won). Their cost is ``lost x win probability after the step`` won
deals, times the average won deal when one is known. Ranking by that cost puts every step on
one scale: 464 deals lost at opportunity -> won (71.7% of 647) weigh more than 237 lost at
MQL -> SAL (54.5% of 4,727, of whom only 9% would have been won).

The first step of a ladder of three stages or more (``inquiry -> mql``) is not ranked: losing
unqualified inquiries is what qualification is for, and those leads would not have been won
at the qualified leads' rate. A one-step ladder ranks its only step.

Examples
--------
>>> import pandas as pd
>>> funnel = pd.DataFrame({"from": ["inquiry", "mql", "opportunity"],
...                        "to": ["mql", "opportunity", "won"],
...                        "entered": [1000, 200, 50], "rate": [0.2, 0.25, 0.4]})
>>> costs = leak_costs(funnel, avg_won_amount=10_000.0)
>>> costs[["from", "won_lost", "revenue_lost", "ranked"]].round(1).to_dict("list")
... # doctest: +NORMALIZE_WHITESPACE
{'from': ['inquiry', 'mql', 'opportunity'], 'won_lost': [80.0, 60.0, 30.0],
 'revenue_lost': [800000.0, 600000.0, 300000.0], 'ranked': [False, True, True]}
>>> leak_to_fix(costs)["from"]
'mql'
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["leak_costs", "leak_to_fix"]


def leak_costs(funnel: pd.DataFrame, *, avg_won_amount: float | None = None) -> pd.DataFrame:
    """What each funnel step's losses cost, in won deals and revenue (rule: module docstring).

    Parameters
    ----------
    funnel : DataFrame
        :func:`workbook.analysis.kpis.funnel_rates` (``from``, ``to``, ``entered``, ``rate``),
        adjacent steps in ladder order, the last one into won.
    avg_won_amount : float, optional
        The average won deal (currency); None (or not finite) when unknown: ``revenue_lost``
        is then NaN and the ranking rests on the won deals lost alone.

    Returns
    -------
    DataFrame
        One row per step, ladder order: ``from``, ``to``, ``entered`` (leads), ``rate``
        (0..1), ``lost`` (leads, ``entered x (1 - rate)``), ``win_after`` (0..1, the share
        of leads passing the step that go on to win), ``won_lost`` (won deals),
        ``revenue_lost`` (currency), ``ranked`` (bool, the step is compared) and ``rank``
        (1 = the leak to fix; 0 for steps not ranked or without a rate).
    """
    rates = funnel["rate"].to_numpy(float)
    entered = funnel["entered"].to_numpy(float)
    lost = entered * (1.0 - rates)
    # the rates after each step: reversed cumulative product, shifted by one
    after = np.concatenate((np.cumprod(np.nan_to_num(rates[::-1], nan=0.0))[::-1][1:], [1.0]))
    won_lost = lost * after
    amount = (
        float(avg_won_amount)
        if avg_won_amount is not None and np.isfinite(avg_won_amount)
        else np.nan
    )
    ranked = np.ones(len(funnel), dtype=bool)
    if len(funnel) >= 2:
        ranked[0] = False
    out = pd.DataFrame(
        {
            "from": funnel["from"].astype(str).to_numpy(),
            "to": funnel["to"].astype(str).to_numpy(),
            "entered": entered,
            "rate": rates,
            "lost": lost,
            "win_after": after,
            "won_lost": won_lost,
            "revenue_lost": won_lost * amount,
            "ranked": ranked,
        }
    )
    score = np.where(ranked & np.isfinite(won_lost), won_lost, np.nan)
    order = pd.Series(score).rank(ascending=False, method="first")
    out["rank"] = order.fillna(0).astype("int64").to_numpy()
    return out


def leak_to_fix(costs: pd.DataFrame) -> pd.Series | None:
    """The step of :func:`leak_costs` whose losses cost the most won deals; None without one.

    Examples
    --------
    >>> leak_to_fix(pd.DataFrame({"from": ["a"], "to": ["b"], "rank": [0]})) is None
    True
    """
    top = costs.loc[costs["rank"] == 1]
    return top.iloc[0] if len(top) else None
