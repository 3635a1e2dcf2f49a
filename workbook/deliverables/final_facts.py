"""The final report's facts: what its summary, headings, reconciled advice and register read.

:func:`final_facts` gathers, once, the plan and its budget
(:func:`workbook.deliverables.final.build_final_quant`), the building blocks
(:func:`workbook.deliverables.strategy.build_strategy`), today's KPIs
(:func:`workbook.analysis.kpis.compute_kpis`, as the mid-point computes them, so today's CAC
and LTV:CAC have one value in both reports), the mid-point's channel advice
(:func:`workbook.analysis.channel_advice.channel_advice`, same inputs), today's mix beside
the plan's and the scoring threshold against the plan's MQL rate
(:mod:`workbook.analysis.reconcile`). The figures register of the final report is
:mod:`workbook.deliverables.final_figures`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from workbook.analysis.channel_advice import channel_advice
from workbook.analysis.kpis import KpiReport, compute_kpis
from workbook.analysis.plan import month_index
from workbook.analysis.reconcile import (
    ScoringFit,
    first_month_of_need,
    mix_comparison,
    scoring_fit,
)
from workbook.deliverables.midpoint_facts import attribution_shares
from workbook.deliverables.thin_data import emails_provided

if TYPE_CHECKING:
    from workbook.analysis.journeys import Journeys
    from workbook.deliverables.final import FinalQuantReport
    from workbook.deliverables.strategy import StrategyReport
    from workbook.intake.engagement import Engagement

#: "The first 90 days": this many months from the plan's first month of need.
FIRST_DAYS_MONTHS = 3

__all__ = [
    "FIRST_DAYS_MONTHS",
    "FinalFacts",
    "final_facts",
    "first_days_volume",
    "first_days_window",
    "today_cac_on_plan_channels",
    "unfunded_spend",
    "kpi_window",
    "plan_window",
    "review_counts",
]


@dataclass(frozen=True)
class FinalFacts:
    """What the final report's summary, headings and reconciled advice read.

    Attributes
    ----------
    quant : FinalQuantReport
    strategy : StrategyReport
    kpis : KpiReport
        Today's KPIs over the KPI window, as the mid-point computes them.
    advice : DataFrame
        The mid-point's channel advice (:func:`workbook.analysis.channel_advice.channel_advice`).
    mix : DataFrame
        :func:`workbook.analysis.reconcile.mix_comparison`: today's mix beside the plan's.
    scoring_fit : ScoringFit or None
        The scoring threshold against the plan's first-stage rate; None without a model.
    need_start : Timestamp
        :func:`workbook.analysis.reconcile.first_month_of_need`.
    duplicates : int or None
        Leads repeating an earlier lead's e-mail, as ``workbook validate --json`` counts them
        (the kickoff's figure); None when the export has no e-mail to look for them with.
    leads : int
        Leads in the journeys: what the duplicates count rests on (as in the kickoff).
    """

    quant: FinalQuantReport
    strategy: StrategyReport
    kpis: KpiReport
    advice: pd.DataFrame
    mix: pd.DataFrame
    scoring_fit: ScoringFit | None
    need_start: pd.Timestamp
    duplicates: int | None = None
    leads: int = 0


def final_facts(
    engagement: Engagement,
    journeys: Journeys,
    *,
    quant: FinalQuantReport,
    strategy: StrategyReport,
) -> FinalFacts:
    """Gather the final report's facts (see the module docstring)."""
    kpis = quant.kpis if quant.kpis is not None else compute_kpis(engagement, journeys)
    plan = quant.plan
    fit = None
    score = strategy.scoring
    if score is not None and len(plan.conversion) and len(score.holdout):
        fit = scoring_fit(
            score.holdout, threshold=score.threshold, planned_rate=float(plan.conversion[0])
        )
    return FinalFacts(
        quant=quant,
        strategy=strategy,
        kpis=kpis,
        advice=quant.advice
        if quant.advice is not None
        else channel_advice(kpis.channels, attribution_shares(kpis.attribution)),
        mix=mix_comparison(quant.budget.costs, quant.budget.allocation),
        scoring_fit=fit,
        need_start=first_month_of_need(plan),
        duplicates=int(engagement.audit.duplicates.get("leads", 0))
        if emails_provided(engagement)
        else None,
        leads=len(journeys.leads),
    )


def first_days_volume(
    schedule: pd.DataFrame, *, stage: str, start: pd.Timestamp, months: int = FIRST_DAYS_MONTHS
) -> tuple[float, pd.Timestamp, pd.Timestamp]:
    """Leads the plan needs at ``stage`` in its first 90 days of need, and those months.

    Parameters
    ----------
    schedule : DataFrame
        :meth:`workbook.analysis.plan.PlanReport.schedule_frame`.
    stage : str
    start : Timestamp
        The plan's first month of need (:func:`workbook.analysis.reconcile.first_month_of_need`).
    months : int

    Returns
    -------
    tuple
        ``(leads, first month, last month)``: the ``gross`` requirement summed over
        ``months`` months from ``start``.
    """
    part = schedule.loc[schedule["stage"] == stage]
    end = start + pd.DateOffset(months=months - 1)
    month = pd.to_datetime(part["month"])
    return float(part.loc[(month >= start) & (month <= end), "gross"].sum()), start, end


def unfunded_spend(facts: FinalFacts) -> tuple[float, list[str]]:
    """Today's spend on channels the plan does not fund (spend today, no lead in the KPI
    window), and those channels: what today's CAC holds that the plan's CAC does not."""
    mix = facts.mix
    funded = mix["plan_budget"].fillna(0.0) > 0
    unfunded = mix.loc[~funded & (mix["today_spend"].fillna(0.0) > 0)]
    return float(unfunded["today_spend"].sum()), unfunded["channel"].astype(str).tolist()


def today_cac_on_plan_channels(facts: FinalFacts) -> float | None:
    """Today's CAC on the channels the plan funds: today's spend less :func:`unfunded_spend`,
    over today's won customers, to compare like for like with the planned CAC; None without
    spend or won customers."""
    economics = facts.kpis.economics
    if economics.spend is None or not economics.won_count or not facts.quant.budget.priced:
        return None
    return (float(economics.spend) - unfunded_spend(facts)[0]) / int(economics.won_count)


def first_days_window(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """The first 90 days as an ISO interval: ``start``'s first day to ``end``'s last day."""
    return f"{start:%Y-%m-%d}/{end + pd.offsets.MonthEnd(0):%Y-%m-%d}"


def plan_window(quant: FinalQuantReport) -> str:
    """The plan's revenue period as an ISO interval ``YYYY-MM-DD/YYYY-MM-DD``."""
    plan = quant.plan
    start = month_index(plan.period_start)
    first = pd.Timestamp(year=start // 12, month=start % 12 + 1, day=1)
    last = first + pd.DateOffset(months=plan.period_months) - pd.Timedelta(days=1)
    return f"{first:%Y-%m-%d}/{last:%Y-%m-%d}"


def kpi_window(kpis: KpiReport) -> str:
    """The KPI window as an ISO interval (its first day to as_of)."""
    return f"{pd.Timestamp(kpis.window_start):%Y-%m-%d}/{kpis.as_of.isoformat()}"


def review_counts(review: pd.DataFrame) -> dict[str, int]:
    """The merge review's counts, one source for every sentence that quotes them.

    Returns
    -------
    dict
        ``groups`` (groups of leads sharing an e-mail), ``grouped_leads`` (leads in them),
        ``duplicates`` (leads to merge away: each group keeps one), ``accounts`` (accounts
        with several warm leads), ``hot_accounts`` (of them, with a hot lead).
    """
    email = review.loc[review["review_kind"] == "same_email"]
    account = review.loc[review["review_kind"] == "same_account"]
    return {
        "groups": len(email),
        "grouped_leads": int(email["lead_count"].sum()),
        "duplicates": int((email["lead_count"] - 1).sum()),
        "accounts": len(account),
        "hot_accounts": int((account["hot_leads"] > 0).sum()),
    }
