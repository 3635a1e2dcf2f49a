"""The leak to fix: funnel steps ranked by the won deals (and revenue) their losses cost.

One rule, used by the mid-point's leak chart, its text and its executive summary (and by any
later report that names "the leak"): a step's losses are the leads that entered it and did
not move on, ``entered x (1 - rate)``; each of them would have been won with the probability
that a lead passing the step goes on to win, the product of the rates of the steps after it
(1 for the step into won). Their cost is ``lost x win probability after the step`` won
deals. Ranking by that cost puts every step on
one scale: 464 deals lost at opportunity -> won (71.7% of 647) weigh more than 237 lost at
MQL -> SAL (54.5% of 4,727, of whom only 9% would have been won).

The money at stake is counted over ONE window, the KPI window, like the average deal it is
priced at: the leads the step lost in the window (``window_lost``, e.g. the opportunities
closed lost in the last 12 months) times the win probability after the step, times the
window's average won deal. It never exceeds ``revenue_cap``: the leads that left the step in
the window either way (``window_decided``: lost or moved on) times the same probability and
deal, the won revenue they would have brought had the step lost none of them. Without the
window's counts no money is counted.

The first step of a ladder of three stages or more (``inquiry -> mql``) is not ranked: losing
unqualified inquiries is what qualification is for, and those leads would not have been won
at the qualified leads' rate. A one-step ladder ranks its only step.

Examples
--------
>>> import pandas as pd
>>> funnel = pd.DataFrame({"from": ["inquiry", "mql", "opportunity"],
...                        "to": ["mql", "opportunity", "won"],
...                        "entered": [1000, 200, 50], "rate": [0.2, 0.25, 0.4]})
>>> costs = leak_costs(funnel, avg_won_amount=10_000.0,
...                    window_lost=[400, 75, 12], window_decided=[500, 100, 20])
>>> costs[["from", "won_lost", "revenue_lost", "revenue_cap"]].round(1).to_dict("list")
... # doctest: +NORMALIZE_WHITESPACE
{'from': ['inquiry', 'mql', 'opportunity'], 'won_lost': [80.0, 60.0, 30.0],
 'revenue_lost': [400000.0, 300000.0, 120000.0], 'revenue_cap': [500000.0, 400000.0, 200000.0]}
>>> leak_to_fix(costs)["from"]
'mql'
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["leak_costs", "leak_to_fix"]


def leak_costs(
    funnel: pd.DataFrame,
    *,
    avg_won_amount: float | None = None,
    window_lost: Sequence[float] | np.ndarray | None = None,
    window_decided: Sequence[float] | np.ndarray | None = None,
) -> pd.DataFrame:
    """What each funnel step's losses cost, in won deals and revenue (rule: module docstring).

    Parameters
    ----------
    funnel : DataFrame
        :func:`workbook.analysis.kpis.funnel_rates` (``from``, ``to``, ``entered``, ``rate``),
        adjacent steps in ladder order, the last one into won.
    avg_won_amount : float, optional
        The average won deal of the window (currency); None (or not finite) when unknown:
        ``revenue_lost`` is then NaN (the ranking rests on the won deals lost alone).
    window_lost, window_decided : sequence of float, optional
        Per step, the leads that left it in the window the money is counted over (the KPI
        window) without moving on, and those that left it either way; None counts no money.

    Returns
    -------
    DataFrame
        One row per step, ladder order: ``from``, ``to``, ``entered`` (leads), ``rate``
        (0..1), ``lost`` (leads, ``entered x (1 - rate)``), ``win_after`` (0..1, the share
        of leads passing the step that go on to win), ``won_lost`` (won deals),
        ``window_lost`` and ``window_decided`` (leads, as given), ``window_won_lost`` (won
        deals its losses cost in the window), ``revenue_lost`` (currency, in the window),
        ``revenue_cap`` (the won revenue the window's decided leads would bring with no loss
        at the step: ``revenue_lost`` never exceeds it), ``ranked`` (bool, the step is compared)
        and ``rank`` (1 = the leak to fix; 0 for steps not ranked or without a rate).
    """
    rates = funnel["rate"].to_numpy(float)
    entered = funnel["entered"].to_numpy(float)
    lost = entered * (1.0 - rates)
    # the rates after each step: reversed cumulative product, shifted by one
    after = np.concatenate((np.cumprod(np.nan_to_num(rates[::-1], nan=0.0))[::-1][1:], [1.0]))
    won_lost = lost * after
    nothing = np.full(len(funnel), np.nan)
    w_lost = nothing if window_lost is None else np.asarray(window_lost, dtype=float)
    w_decided = nothing if window_decided is None else np.asarray(window_decided, dtype=float)
    w_decided = np.fmax(w_decided, w_lost)
    window_won_lost = w_lost * after
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
            "window_lost": w_lost,
            "window_decided": w_decided,
            "window_won_lost": window_won_lost,
            "revenue_lost": window_won_lost * amount,
            "revenue_cap": w_decided * after * amount,
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
