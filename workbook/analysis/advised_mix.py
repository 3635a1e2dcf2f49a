"""The plan's channel mix when the channel advice finds a channel to grow (issue 17).

The plan's budget starts from today's channel mix at today's cost per lead
(:func:`workbook.analysis.budget.plan_budget`): each channel's share of the plan's budget is
then its share of today's spend among the channels the plan funds. When the channel advice
(:func:`workbook.analysis.channel_advice.channel_advice`) asks to grow a channel, one rule
moves budget to it:

1. A channel advised to **grow** gets its share of the budget raised by :data:`GROW_STEP`
   (a fifth) of that share.
2. What it gains is taken from the channels advised to **keep**, in proportion to their
   shares of the budget, and none of them gives more than :data:`MAX_KEEP_CUT` (a quarter)
   of its share: when the raises would need more, every raise is scaled down by the same
   factor. A channel to **review** keeps its share until the review is done (the advice
   never cuts a channel on its own), and so does a channel with **too little data** or no
   advice.
3. The plan's leads are unchanged: each channel's leads are its new share of the budget over
   its cost per lead, scaled so that the channels with a cost bring the same share of the
   plan's leads as today (a channel whose leads cost nothing, organic, keeps today's share
   of leads). The budget is what those leads cost at today's prices, so it moves with the
   cost per lead of the channels that gain and give.

Nothing moves (:func:`advised_mix` returns None, the plan keeps today's mix) when no channel
of the mix is advised to grow, when no channel is advised to keep (the budget is never taken
from nothing), or when the mix is not priced (no spend provided).

See Also
--------
workbook.analysis.budget.build_budget : applies the rule when engagement.yaml sets no mix.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["GROW_STEP", "MAX_KEEP_CUT", "advised_mix"]

#: A channel advised to grow gets its share of the budget raised by this fraction of it.
GROW_STEP = 0.20
#: A channel advised to keep gives at most this fraction of its share of the budget.
MAX_KEEP_CUT = 0.25


def advised_mix(
    allocation: pd.DataFrame,
    advice: pd.DataFrame,
    *,
    step: float = GROW_STEP,
    max_cut: float = MAX_KEEP_CUT,
) -> pd.Series | None:
    """The plan's shares of leads by channel after moving budget to the channels to grow.

    Parameters
    ----------
    allocation : DataFrame
        :func:`workbook.analysis.budget.plan_budget` under today's mix: ``channel``,
        ``share`` (0..1 of the plan's leads), ``cost_per_inquiry`` (currency).
    advice : DataFrame
        :func:`workbook.analysis.channel_advice.channel_advice`: ``channel`` and ``advice``
        (``grow``, ``keep``, ``review``, ``too_little_data``). Channels it does not list
        keep their share.
    step : float
        See :data:`GROW_STEP`.
    max_cut : float
        See :data:`MAX_KEEP_CUT`.

    Returns
    -------
    Series or None
        Share of the plan's leads (0..1, summing to 1) by channel, in ``allocation``'s
        order, for ``plan_budget``'s ``mix``; None when nothing moves (module docstring).

    Examples
    --------
    Three channels at 100, 50 and 20 a lead bringing 40%, 40% and 20% of 100 leads cost
    4,000, 2,000 and 400 (62.5%, 31.25% and 6.25% of the budget). Webinar, to grow, gains a
    fifth of its share (6.25% -> 7.5%); events, to keep, give those 1.25 points; paid
    search, to review, keeps its share:

    >>> allocation = pd.DataFrame({"channel": ["events", "paid_search", "webinar"],
    ...                            "share": [0.4, 0.4, 0.2],
    ...                            "cost_per_inquiry": [100.0, 50.0, 20.0]})
    >>> advice = pd.DataFrame({"channel": ["events", "paid_search", "webinar"],
    ...                        "advice": ["keep", "review", "grow"]})
    >>> shares = advised_mix(allocation, advice)
    >>> budget = shares * allocation.set_index("channel")["cost_per_inquiry"]
    >>> (budget / budget.sum()).round(4).to_dict()
    {'events': 0.6125, 'paid_search': 0.3125, 'webinar': 0.075}
    >>> advised_mix(allocation, advice.assign(advice="keep")) is None
    True
    """
    channels = allocation["channel"].astype(str).to_numpy()
    share = allocation["share"].to_numpy(float)
    cost = allocation["cost_per_inquiry"].to_numpy(float)
    if not np.isfinite(cost).all():
        return None  # not priced: no budget share to move
    given = advice.set_index(advice["channel"].astype(str))["advice"]
    kind = pd.Series(channels).map(given).fillna("").to_numpy(str)
    budget = share * cost
    total = budget.sum()
    if total <= 0:
        return None
    budget_share = budget / total
    grow = (kind == "grow") & (budget_share > 0)
    keep = (kind == "keep") & (budget_share > 0)
    if not grow.any() or not keep.any():
        return None
    raise_ = step * budget_share[grow].sum()
    raise_ = min(raise_, max_cut * budget_share[keep].sum())
    factor = raise_ / (step * budget_share[grow].sum())
    new = budget_share.copy()
    new[grow] *= 1.0 + step * factor
    new[keep] *= 1.0 - raise_ / budget_share[keep].sum()
    priced = cost > 0
    leads = np.where(priced, new / np.where(priced, cost, 1.0), 0.0)
    leads = np.where(priced, leads / leads.sum() * share[priced].sum(), share)
    return pd.Series(leads, index=channels, name="share")
