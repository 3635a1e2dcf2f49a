"""Rules that keep the final plan's advice consistent with itself (issue 17, "reconciled advice").

Three checks tie the building blocks of the final report to the quantitative plan:

- **When the roadmap starts**: :func:`first_month_of_need` is the first month the plan needs
  new leads to enter its first stage. Lead times put that month before the plan's revenue
  period (``targets.period_start``): leads must enter months before their deals can close.
  The roadmap starts then, not at the period start.
- **Scoring against the plan's MQL volume**: the plan assumes today's rate from the first
  stage to the next (``inquiry -> mql``); a scoring threshold that passes a much smaller
  share of leads would starve the plan of MQLs. :func:`scoring_fit` compares the two and
  gives the score that would pass the plan's share, with its precision and recall on the
  model's holdout leads. The two agree when the shares differ by at most
  :data:`SCORING_TOLERANCE` of the plan's rate.
- **Today's mix beside the plan's**: :func:`mix_comparison` puts each channel's share of
  today's leads and spend beside its share of the plan's leads and budget.

All are pure functions of already computed results.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook.analysis.plan import PlanReport, month_index

#: A threshold fits the plan when the share of leads it passes is within this share of the
#: plan's first-stage conversion rate (0.25: 24% planned accepts 18% to 30%).
SCORING_TOLERANCE = 0.25

__all__ = [
    "SCORING_TOLERANCE",
    "ScoringFit",
    "demand_ramp_months",
    "first_month_of_need",
    "mix_comparison",
    "scoring_fit",
]


def _month_start(label: str) -> pd.Timestamp:
    index = month_index(label)
    return pd.Timestamp(year=index // 12, month=index % 12 + 1, day=1)


def first_month_of_need(plan: PlanReport) -> pd.Timestamp:
    """The first month the plan needs new leads to enter its first stage.

    The earliest month, from :attr:`PlanReport.first_new_month` (the month after ``as_of``:
    earlier needs can no longer be met) on, whose first-stage requirement is above zero;
    ``first_new_month`` itself when no month needs any.

    Examples
    --------
    A plan whose revenue period starts in Jan 2027 needs its first leads in Oct 2026 when
    the month after as_of is Oct 2026 and lead times are about three months.
    """
    first_new = month_index(plan.first_new_month)
    start = month_index(plan.months[0])
    required = np.asarray(plan.required, dtype=float)[0]
    for offset, volume in enumerate(required):
        if start + offset >= first_new and volume > 0:
            return _month_start(plan.months[offset])
    return _month_start(plan.first_new_month)


def demand_ramp_months(plan: PlanReport) -> int:
    """Months from :func:`first_month_of_need` to the first stage's peak monthly need, both
    included: how long the roadmap gives demand to ramp up (at least 1)."""
    start = month_index(f"{first_month_of_need(plan):%Y-%m}") - month_index(plan.months[0])
    gross = np.maximum(np.asarray(plan.gross, float)[0], np.asarray(plan.required, float)[0])
    if start >= len(gross):
        return 1
    peak = start + int(np.argmax(gross[start:]))
    return max(1, peak - start + 1)


@dataclass(frozen=True)
class ScoringFit:
    """How a scoring threshold's MQL volume compares with the plan's.

    Attributes
    ----------
    threshold : float
        The recommended score (0..1).
    flagged_share : float
        Share of the holdout leads at or above it.
    planned_rate : float
        The plan's conversion from its first stage to the next (0..1).
    matching_threshold : float
        The score that passes ``planned_rate`` of the holdout leads.
    matching_precision, matching_recall : float
        Precision and recall at ``matching_threshold`` on the holdout (NaN when no holdout
        lead reached the target).
    consistent : bool
        ``|flagged_share - planned_rate| <= SCORING_TOLERANCE x planned_rate``.
    """

    threshold: float
    flagged_share: float
    planned_rate: float
    matching_threshold: float
    matching_precision: float
    matching_recall: float
    consistent: bool


def scoring_fit(
    holdout: pd.DataFrame,
    *,
    threshold: float,
    planned_rate: float,
    tolerance: float = SCORING_TOLERANCE,
    score_col: str = "score",
    reached_col: str = "reached",
) -> ScoringFit:
    """Compare the share of leads a threshold passes with the plan's first-stage rate.

    Parameters
    ----------
    holdout : DataFrame
        The scoring model's holdout leads: ``score_col`` (0..1) and ``reached_col`` (bool,
        reached the model's target).
    threshold : float
        The recommended score.
    planned_rate : float
        The plan's conversion rate from its first stage to the next (0..1).
    tolerance : float
        See :data:`SCORING_TOLERANCE`.

    Returns
    -------
    ScoringFit

    Examples
    --------
    >>> holdout = pd.DataFrame({"score": [0.9, 0.8, 0.3, 0.2, 0.1, 0.05, 0.04, 0.03],
    ...                         "reached": [True, True, True, False, False, False, False, False]})
    >>> fit = scoring_fit(holdout, threshold=0.5, planned_rate=0.5)
    >>> fit.flagged_share, fit.matching_threshold, fit.matching_recall, fit.consistent
    (0.25, 0.2, 1.0, False)
    """
    scores = holdout[score_col].to_numpy(float)
    reached = holdout[reached_col].to_numpy(bool)
    flagged = float((scores >= threshold).mean()) if len(scores) else float("nan")
    if len(scores):
        # the smallest score among the planned share of leads with the highest scores
        count = max(1, int(round(planned_rate * len(scores))))
        matching = float(np.sort(scores)[::-1][min(count, len(scores)) - 1])
    else:
        matching = float("nan")
    passed = scores >= matching
    precision = float(reached[passed].mean()) if passed.any() else float("nan")
    recall = float(reached[passed].sum() / reached.sum()) if reached.any() else float("nan")
    consistent = bool(abs(flagged - planned_rate) <= tolerance * planned_rate)
    return ScoringFit(
        threshold=float(threshold),
        flagged_share=flagged,
        planned_rate=float(planned_rate),
        matching_threshold=matching,
        matching_precision=precision,
        matching_recall=recall,
        consistent=consistent,
    )


def mix_comparison(costs: pd.DataFrame, allocation: pd.DataFrame) -> pd.DataFrame:
    """Each channel's share of today's leads and spend beside its share of the plan's.

    Parameters
    ----------
    costs : DataFrame
        :func:`workbook.analysis.budget.cost_per_inquiry`: ``channel``, ``spend``,
        ``inquiries``, ``inquiry_share``.
    allocation : DataFrame
        :func:`workbook.analysis.budget.plan_budget`: ``channel``, ``share``,
        ``inquiries``, ``budget``.

    Returns
    -------
    DataFrame
        ``channel``, ``today_spend`` (currency, NaN when no spend was provided),
        ``today_spend_share``, ``today_lead_share``, ``plan_lead_share``, ``plan_budget``,
        ``plan_budget_share`` (0..1; NaN when the plan is not priced),
        ``today_funded_share`` (today's share of spend among the channels the plan funds:
        a channel with spend but no lead gets no budget, and the others' shares rise by as
        much; NaN for a channel the plan does not fund), ``change`` (``plan_budget_share -
        today_funded_share``, a fraction); the plan's channels first (largest budget first),
        then channels with leads or spend today only.

    Examples
    --------
    >>> costs = pd.DataFrame({"channel": ["a", "b"], "spend": [300.0, 100.0],
    ...                       "inquiries": [10, 30], "inquiry_share": [0.25, 0.75]})
    >>> allocation = pd.DataFrame({"channel": ["a", "b"], "share": [0.5, 0.5],
    ...                            "inquiries": [50.0, 50.0], "budget": [1500.0, 166.7]})
    >>> mix_comparison(costs, allocation)[["channel", "today_spend_share", "plan_budget_share"]].round(2).values.tolist()
    [['a', 0.75, 0.9], ['b', 0.25, 0.1]]
    """
    today = costs.set_index("channel")
    plan = allocation.set_index("channel")
    channels = list(plan.index) + [c for c in today.index if c not in plan.index]
    spend = today["spend"].reindex(channels).astype(float)
    spend_total = spend.sum(min_count=1)
    budget = plan["budget"].reindex(channels).astype(float)
    priced = bool(plan["budget"].notna().all()) and len(plan) > 0
    budget_total = float(plan["budget"].sum()) if priced else float("nan")
    frame = pd.DataFrame(
        {
            "channel": channels,
            "today_spend": spend.to_numpy(),
            "today_spend_share": (spend / spend_total).to_numpy()
            if spend_total and np.isfinite(spend_total)
            else np.nan,
            "today_lead_share": today["inquiry_share"].reindex(channels).fillna(0.0).to_numpy(),
            "plan_lead_share": plan["share"].reindex(channels).fillna(0.0).to_numpy(),
            "plan_budget": budget.fillna(0.0).to_numpy() if priced else np.nan,
            "plan_budget_share": (budget.fillna(0.0) / budget_total).to_numpy()
            if priced and budget_total > 0
            else np.nan,
        }
    )
    funded = frame["plan_budget"].fillna(0.0) > 0 if priced else frame["plan_lead_share"] > 0
    funded_spend = spend.where(funded.to_numpy()).sum(min_count=1)
    frame["today_funded_share"] = (
        (spend / funded_spend).where(funded.to_numpy()).to_numpy()
        if funded_spend and np.isfinite(funded_spend)
        else np.nan
    )
    frame["change"] = frame["plan_budget_share"] - frame["today_funded_share"]
    return frame.reset_index(drop=True)
