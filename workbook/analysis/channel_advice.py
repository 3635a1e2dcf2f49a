"""Channel advice: grow, keep, review or too little data, weighing return, credit and sample.

One rule for every report that advises on the channel mix (the mid-point's levers, the final
budget). For each channel with spend in the window, its share of spend is compared with its
share of won deals as every attribution model credits it (first touch included), each share
with its Wilson interval over all the won deals credited; its first-touch return (ROI) counts
only when it rests on at least ``min_won`` won deals (by default
:data:`workbook.analysis.evidence.MIN_COUNT`, the evidence grades' own floor: a return or an
advice resting on fewer won deals is too little data). In order:

1. ``too_little_data``, reason ``no_spend``: no spend recorded for the channel in the window;
   ``small_spend``: its spend is under ``min_spend_share`` of all spend, too small for its
   return to say what more budget would bring; ``few_won``: fewer than ``min_total_won`` won
   deals were credited to any channel, so no share can be compared.
2. ``review``, reason ``credit_below_spend``: even the model that credits it most gives it a
   share of won deals whose interval lies wholly below its share of spend.
3. ``grow``, reason ``credit_above_spend``: even the model that credits it least gives it a
   share whose interval lies wholly above its share of spend, its first-touch ROI rests on at
   least ``min_won`` won deals and is at least the return of all channels together.
4. ``review``, reason ``negative_return``: its first-touch ROI rests on at least ``min_won``
   won deals and is negative (spend not recovered by the deals its leads brought).
5. ``keep``, reason ``in_line``: the models credit it in line with its spend and its
   first-touch ROI rests on at least ``min_won`` won deals.
6. ``too_little_data``, reason ``return_unmeasured``: fewer than ``min_won`` first-touch won
   deals, so neither its return nor more (or less) budget can be judged on them.

Each advice is graded (:func:`workbook.analysis.evidence.evidence_grade`) on the won deals it
rests on (``won_basis``): a ``review`` for credit below spend on all the won deals credited
(the shares' denominator) and its share's interval; any other advice on the channel's own
first-touch won deals too (the worse of the two grades), so an advice on 4 won deals is never
solid.

A channel is never advised to be cut: ``review`` asks to look at its role (targeting, the
stage it serves) before moving budget, and a ``grow`` is a direction to test. The final plan's
budget follows the advice by one rule (:func:`workbook.analysis.advised_mix.advised_mix`): a
channel to grow gets a fifth more of its share of the budget, taken from the channels to
keep; a channel to review or with too little data keeps today's share.

Examples
--------
>>> import pandas as pd
>>> channels = pd.DataFrame({"channel": ["webinar", "paid_social", "organic"],
...     "spend": [80_000.0, 400_000.0, 5_000.0], "won_count": [60, 15, 25],
...     "won_revenue": [3e6, 5e5, 1e6]})
>>> channels["roi"] = (channels["won_revenue"] - channels["spend"]) / channels["spend"]
>>> advice = channel_advice(channels, None)
>>> advice.set_index("channel")["advice"].to_dict()
{'webinar': 'grow', 'paid_social': 'review', 'organic': 'too_little_data'}
>>> advice.set_index("channel")["grade"].to_dict()
{'webinar': 'indicative', 'paid_social': 'indicative', 'organic': 'too_little_data'}
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.analysis.evidence import MIN_COUNT, evidence_grade
from workbook.analysis.intervals import proportion_intervals

__all__ = ["ADVICE", "REASONS", "attribution_shares", "channel_advice"]

#: The advice a channel can get, from the strongest signal to the weakest.
ADVICE = ("grow", "keep", "review", "too_little_data")
#: Why: one catalogue sentence per reason (``advice.reason.<reason>``).
REASONS = (
    "credit_above_spend",
    "in_line",
    "return_unmeasured",
    "credit_below_spend",
    "negative_return",
    "no_spend",
    "small_spend",
    "few_won",
)


def channel_advice(
    channels: pd.DataFrame,
    attribution_shares: pd.DataFrame | None,
    *,
    min_won: int = MIN_COUNT,
    min_total_won: int = MIN_COUNT,
    min_spend_share: float = 0.02,
    confidence_level: float = 0.95,
) -> pd.DataFrame:
    """Advice per channel: grow, keep, review or too little data (rules: module docstring).

    Parameters
    ----------
    channels : DataFrame
        First-touch levers over one window, one row per channel
        (:func:`workbook.analysis.kpis.channel_levers`): ``channel``, ``spend`` (currency;
        NaN when spend was not provided), ``won_count``, ``won_revenue``, ``roi``. Rows whose channel was not
        recorded should be left out by the caller when they carry no spend.
    attribution_shares : DataFrame or None
        Each model's share of won deals by channel
        (:func:`attribution_shares`): ``channel`` and
        one column per model, 0..1. None without touches: the share of ``won_count`` (first
        touch) stands alone.
    min_won : int
        First-touch won deals a channel's ROI (and any advice but a review on credit) must
        rest on; :data:`workbook.analysis.evidence.MIN_COUNT` by default.
    min_total_won : int
        Won deals credited in all below which no share is compared.
    min_spend_share : float
        Share of spend (0..1) below which a channel's return says nothing about more budget.
    confidence_level : float
        Of the shares' Wilson intervals.

    Returns
    -------
    DataFrame
        One row per channel of ``channels``, order kept: ``channel``, ``advice`` (one of
        :data:`ADVICE`), ``reason`` (one of :data:`REASONS`), ``spend``, ``spend_share``
        (0..1 of the channels' spend in the window), ``won_count``, ``roi``,
        ``credit_low`` and ``credit_high`` (the smallest and largest share of won deals any
        model gives it, 0..1), ``credit_lower`` (lower bound of ``credit_low``'s interval),
        ``credit_upper`` (upper bound of ``credit_high``'s), ``won_total`` (won deals the
        shares rest on), ``won_basis`` (the won deals the advice rests on) and ``grade``
        (:func:`workbook.analysis.evidence.evidence_grade` on them, module docstring).

    See Also
    --------
    workbook.analysis.leaks.leak_costs : the other rule the reports' advice follows.
    """
    frame = channels.reset_index(drop=True)
    names = frame["channel"].astype(str)
    spend = pd.to_numeric(frame["spend"], errors="coerce").to_numpy(float)
    won = frame["won_count"].to_numpy(float)
    roi = pd.to_numeric(frame["roi"], errors="coerce").to_numpy(float)
    total_spend = np.nansum(spend)
    with np.errstate(divide="ignore", invalid="ignore"):
        spend_share = np.where(total_spend > 0, spend / total_spend, np.nan)
    won_total_ft = float(won.sum())
    credit = pd.DataFrame(
        {"first_touch": won / won_total_ft if won_total_ft else np.full(len(won), np.nan)},
        index=names.to_numpy(),
    )
    won_total = won_total_ft
    if attribution_shares is not None and len(attribution_shares):
        models = attribution_shares.set_index(attribution_shares["channel"].astype(str))
        # the models' own first touch replaces the levers' (one first-touch share shown)
        credit = models.drop(columns=["channel"]).reindex(credit.index).fillna(0.0)
    low = credit.min(axis=1).to_numpy(float)
    high = credit.max(axis=1).to_numpy(float)
    n = np.full(len(frame), won_total)
    lower, _ = proportion_intervals(np.clip(low, 0, 1) * n, n, confidence_level=confidence_level)
    _, upper = proportion_intervals(np.clip(high, 0, 1) * n, n, confidence_level=confidence_level)
    revenue = pd.to_numeric(frame["won_revenue"], errors="coerce").to_numpy(float)
    has_spend = np.isfinite(spend) & (spend > 0)
    portfolio_roi = (
        (float(np.nansum(revenue[has_spend])) - total_spend) / total_spend
        if total_spend > 0
        else np.nan
    )
    judged = (won >= min_won) & np.isfinite(roi)
    advice = np.where(judged, "keep", "too_little_data").astype(object)
    reason = np.where(judged, "in_line", "return_unmeasured").astype(object)
    # the rules from the last to the first, so that the first that holds wins
    negative = judged & (roi < 0)
    advice[negative], reason[negative] = "review", "negative_return"
    grow = (lower > spend_share) & judged & (roi >= portfolio_roi)
    advice[grow], reason[grow] = "grow", "credit_above_spend"
    below = upper < spend_share
    advice[below], reason[below] = "review", "credit_below_spend"
    for mask, why in (
        (np.full(len(frame), won_total < min_total_won), "few_won"),
        (~(spend_share >= min_spend_share), "small_spend"),
        (~has_spend, "no_spend"),
    ):
        advice[mask], reason[mask] = "too_little_data", why
    decisive = np.clip(np.where(reason == "credit_below_spend", high, low), 0, 1)
    lo, hi = proportion_intervals(decisive * n, n, confidence_level=confidence_level)
    on_credit = reason == "credit_below_spend"
    won_basis = np.where(on_credit, won_total, won).astype("int64")
    grade = [
        "too_little_data"
        if a == "too_little_data"
        else _worse(
            evidence_grade(int(won_total), low=float(lw), high=float(h), value=float(d), rate=True),
            "solid" if credit_only else evidence_grade(int(own)),
        )
        for a, lw, h, d, credit_only, own in zip(
            advice, lo, hi, decisive, on_credit, won, strict=True
        )
    ]
    out = pd.DataFrame(
        {
            "channel": names.to_numpy(),
            "advice": advice,
            "reason": reason,
            "spend": spend,
            "spend_share": spend_share,
            "won_count": won.astype("int64"),
            "roi": roi,
            "credit_low": low,
            "credit_high": high,
            "credit_lower": lower,
            "credit_upper": upper,
            "won_total": won_total,
            "won_basis": won_basis,
            "grade": grade,
        }
    )
    out.attrs["portfolio_roi"] = portfolio_roi
    return out


def _worse(a: str, b: str) -> str:
    """The weaker of two evidence grades."""
    order = ("too_little_data", "indicative", "solid")
    return a if order.index(a) <= order.index(b) else b


def attribution_shares(attribution: pd.DataFrame | None) -> pd.DataFrame | None:
    """Each model's share of won deals credited to each channel.

    Parameters
    ----------
    attribution : DataFrame or None
        :func:`workbook.analysis.kpis.touch_attribution`.

    Returns
    -------
    DataFrame or None
        Columns ``channel`` and one per model (0..1, each summing to 1 when anything was
        won), channels by first-touch share; None without attribution.
    """
    if attribution is None:
        return None
    models = [c.removesuffix("_won") for c in attribution.columns if c.endswith("_won")]
    credit = attribution[[f"{m}_won" for m in models]].to_numpy(float)
    totals = credit.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.where(totals > 0, credit / totals, np.nan)
    out = pd.DataFrame(shares, columns=models)
    out.insert(0, "channel", attribution.index.astype(str).to_numpy())
    order = models[0] if models else "channel"
    return out.sort_values(order, ascending=False, kind="stable").reset_index(drop=True)
