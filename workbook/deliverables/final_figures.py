"""The final report's figures register.

:func:`register_final_figures` adds every headline figure the final report shows to the run's
register (:mod:`workbook.deliverables.register`), under these keys:

- ``plan.totals.<stage>``, ``plan.net_totals.<stage>``, ``plan.bands.p10.<first stage>``,
  ``plan.bands.p90.<first stage>``, ``plan.pipeline_credit.revenue``/``won``,
  ``plan.assumptions.avg_deal_size``, ``plan.assumptions.conversion.<pair>``: the paths
  ``workbook plan --json`` prints, with the plan's window (its revenue period);
- ``plan.budget.*`` (``total``, ``net_total``, ``cost_per_lead``, ``cac``, ``ltv``, ``ltv_cac``,
  ``payback_months``): the PLANNED unit economics, plan window;
- ``kpis.ltv_cac.cac``, ``kpis.ltv_cac.ratio``: TODAY's, the paths ``workbook kpis --json``
  prints, KPI window (the mid-point registers the same keys from the same function);
- ``plan.assumptions.lag_days.<pair>``: the plan's lags, median days among the leads that
  moved on (KPI window), not the SLA's median wait (``final.sla.<pair>.median_days``: every
  lead acted on, late ones included);
- ``score.threshold``, ``score.auc``, ``score.precision_at_threshold``,
  ``score.recall_at_threshold``: as ``workbook score --json`` prints them;
- ``validate.duplicates.leads``: the kickoff's figure (None without an e-mail column), when
  the merge review counts the same; else ``final.review.duplicates``;
- ``final.*``: the rest (first month of need, scoring, SLA, merge review, accounts, recycling).
  The executive summary registers the figures it quotes on top of these
  (:func:`workbook.deliverables.final_summary.final_findings`).

Each figure carries its count and, where it has one, its interval and evidence grade
(:func:`workbook.analysis.evidence.evidence_grade`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from workbook.analysis.evidence import evidence_grade
from workbook.deliverables.final_facts import (
    FinalFacts,
    first_days_volume,
    first_days_window,
    kpi_window,
    plan_window,
    review_counts,
    today_cac_on_plan_channels,
    unfunded_spend,
)
from workbook.i18n import stage_label, text

if TYPE_CHECKING:
    from workbook.analysis.kpis import KpiReport
    from workbook.deliverables.register import FigureRegister
    from workbook.deliverables.strategy import StrategyReport

__all__ = ["register_final_figures"]


def _pair_count(kpis: KpiReport) -> int | None:
    """The fewest leads any of the plan's rates rests on (its weakest evidence)."""
    entered = kpis.funnel["entered"].to_numpy(float)
    return int(np.nanmin(entered)) if len(entered) else None


def register_final_figures(
    register: FigureRegister, facts: FinalFacts, *, language: str
) -> FigureRegister:
    """Add every headline figure of the final report to ``register`` (keys: module docstring).

    Returns
    -------
    FigureRegister
        ``register``, for chaining.
    """
    quant, strategy, kpis = facts.quant, facts.strategy, facts.kpis
    plan = quant.plan
    window, today = plan_window(quant), kpi_window(kpis)
    t = lambda key, **v: text(key, language, **v)  # noqa: E731
    count = _pair_count(kpis)
    first = plan.stages[0]
    for k, stage in enumerate(plan.stages):
        low = high = None
        if plan.bands is not None:
            low, high = float(plan.bands["p10"][k]), float(plan.bands["p90"][k])
        total = float(plan.totals[k])
        label = t("final.fig.total", stage=stage_label(stage, language))
        register.add(
            f"plan.totals.{stage}",
            total,
            unit="count",
            label=label,
            window=window,
            count=count,
            low=low,
            high=high,
            grade=evidence_grade(count, low=low, high=high, value=total),
        )
        if plan.net_totals is not None:
            register.add(
                f"plan.net_totals.{stage}",
                float(plan.net_totals[k]),
                unit="count",
                label=t("final.fig.net_total", stage=stage_label(stage, language)),
                window=window,
            )
    if plan.bands is not None:
        for band in ("p10", "p90"):
            register.add(
                f"plan.bands.{band}.{first}",
                float(plan.bands[band][0]),
                unit="count",
                label=t(f"final.fig.{band}", stage=stage_label(first, language)),
                window=window,
            )
    if plan.pipeline_credit is not None:
        register.add(
            "plan.pipeline_credit.revenue",
            float(plan.pipeline_credit["revenue"]),
            unit="money",
            label=t("final.fig.pipeline_revenue"),
            window=window,
        )
        register.add(
            "plan.pipeline_credit.won",
            float(plan.pipeline_credit["won"]),
            unit="count",
            label=t("final.fig.pipeline_won"),
            window=window,
        )
    register.add(
        "plan.assumptions.avg_deal_size",
        float(plan.avg_deal_size),
        unit="money",
        label=t("plan.assumption.avg_deal_size"),
        window=today,
    )
    for k, pair in enumerate(plan.pairs):
        a, b = plan.stages[k], plan.stages[k + 1]
        register.add(
            f"plan.assumptions.conversion.{pair}",
            float(plan.conversion[k]),
            unit="rate",
            label=t(
                "plan.assumption.conversion",
                from_stage=stage_label(a, language),
                to_stage=stage_label(b, language),
            ),
            window=today,
        )
        # the plan's lag: median days among the leads that moved on (``plan --json``'s
        # assumptions.lag_days); the SLA's median wait (final.sla.*) counts every lead acted on
        register.add(
            f"plan.assumptions.lag_days.{pair}",
            float(plan.lag_days[k]),
            unit="days",
            label=t(
                "final.fig.lag_days",
                from_stage=stage_label(a, language),
                to_stage=stage_label(b, language),
            ),
            window=today,
        )
    register.add(
        "final.plan.need_start",
        f"{facts.need_start:%Y-%m-%d}",
        unit="date",
        label=t("final.fig.need_start"),
    )
    register.add(
        "final.plan.out_of_reach_share",
        float(plan.out_of_reach_share),
        unit="rate",
        label=t("final.figure.out_of_reach"),
        window=window,
    )
    gap = quant.gap.iloc[0]
    register.add(
        f"final.plan.run_rate.{first}",
        float(gap["run_rate"]),
        unit="count",
        label=t("final.fig.run_rate", stage=stage_label(first, language)),
        window=today,
    )
    register.add(
        f"final.plan.peak.{first}",
        float(gap["peak_required"]),
        unit="count",
        label=t("final.fig.peak", stage=stage_label(first, language)),
        window=f"{pd.Timestamp(gap['peak_month']):%Y-%m-%d}/"
        f"{pd.Timestamp(gap['peak_month']) + pd.offsets.MonthEnd(0):%Y-%m-%d}",
    )
    leads, start, end = first_days_volume(quant.schedule, stage=first, start=facts.need_start)
    register.add(
        f"final.plan.first_days.{first}",
        leads,
        unit="count",
        label=t("final.fig.first_days", stage=stage_label(first, language)),
        window=first_days_window(start, end),
    )
    _register_budget(register, facts, language=language, window=window, today=today)
    _register_content(register, strategy, language=language)
    _register_operations(register, strategy, language=language, today=today, facts=facts)
    if facts.scoring_fit is not None and strategy.scoring is not None:
        fit, score = facts.scoring_fit, strategy.scoring
        holdout = int(score.holdout_leads)
        printed = score.to_dict()  # the values `workbook score --json` prints, as printed
        holdout_window = f"{pd.Timestamp(score.holdout_from):%Y-%m-%d}/{kpis.as_of.isoformat()}"
        for key, value, unit, label in (
            ("score.threshold", printed["threshold"], "ratio", "final.fig.threshold"),
            ("final.scoring.flagged_share", fit.flagged_share, "rate", "final.fig.flagged"),
            ("score.precision_at_threshold", printed["precision_at_threshold"], "rate",
             "strategy.metric.precision"),
            ("score.recall_at_threshold", printed["recall_at_threshold"], "rate",
             "strategy.metric.recall"),
            ("score.auc", printed["auc"], "ratio", "final.fig.auc"),
            ("final.scoring.matching_threshold", fit.matching_threshold, "ratio",
             "final.fig.matching"),
            ("final.scoring.matching_precision", fit.matching_precision, "rate",
             "final.fig.matching_precision"),
        ):  # fmt: skip
            if value is None or not np.isfinite(float(value)):
                register.add(key, None, unit=unit, label=t(label))  # no figure, no grade
                continue
            register.add(
                key,
                float(value),
                unit=unit,
                label=t(label),
                window=holdout_window,  # measured on the holdout's leads
                count=holdout,
                grade=evidence_grade(holdout, value=float(value), rate=unit == "rate"),
            )
    return register


def _register_budget(
    register: FigureRegister, facts: FinalFacts, *, language: str, window: str, today: str
) -> None:
    """The planned budget and unit economics (plan window) and today's (KPI window)."""
    quant, kpis = facts.quant, facts.kpis
    plan, budget = quant.plan, quant.budget
    t = lambda key, **v: text(key, language, **v)  # noqa: E731
    leads = int(budget.costs["inquiries"].sum())
    scale = None
    if plan.bands is not None and plan.totals[0] > 0:
        scale = (float(plan.bands["p10"][0]), float(plan.bands["p90"][0]))
        scale = (scale[0] / float(plan.totals[0]), scale[1] / float(plan.totals[0]))
    economics = budget.economics

    def add(key: str, value: float | None, unit: str, label: str, inverse: bool = False):
        low = high = None
        if value is not None and scale is not None:
            low, high = (
                (value / scale[1], value / scale[0])
                if inverse
                else (
                    value * scale[0],
                    value * scale[1],
                )
            )
        register.add(
            key,
            value,
            unit=unit,
            label=label,
            window=window,
            count=leads if value is not None else None,
            low=low,
            high=high,  # a figure the data cannot give has no grade
            grade=evidence_grade(leads, low=low, high=high, value=value)
            if value is not None
            else None,
        )

    add("plan.budget.total", budget.total, "money", t("final.fig.budget"))
    add("plan.budget.net_total", budget.net_total, "money", t("final.fig.net_budget"))
    register.add(  # a price per lead: the plan's volume bands do not move it
        "plan.budget.cost_per_lead",
        budget.blended_cost_per_inquiry,
        unit="money",
        label=t("plan.label.blended_cpi"),
        window=window,
    )
    add("plan.budget.cac", economics.cac, "money", t("final.fig.planned_cac"))
    add("plan.budget.ltv_cac", economics.ratio, "ratio", t("final.fig.planned_ltv_cac"), True)
    add("plan.budget.payback_months", economics.payback_months, "months", t("final.fig.payback"))
    register.add(
        "plan.budget.ltv", float(economics.ltv), unit="money", label=t("plan.label.ltv"),
        window=today,
    )  # fmt: skip
    today_economics = kpis.economics
    won = int(today_economics.won_count or 0)
    for key, value, unit, label in (
        ("kpis.ltv_cac.cac", today_economics.cac, "money", "final.fig.today_cac"),
        ("kpis.ltv_cac.ratio", today_economics.ratio, "ratio", "final.fig.today_ltv_cac"),
    ):
        register.add(
            key,
            value,
            unit=unit,
            label=t(label),
            window=today,
            count=won,
            grade=evidence_grade(won, value=value) if value is not None else None,
        )
    same = today_cac_on_plan_channels(facts)
    if same is not None and unfunded_spend(facts)[0] > 0:
        register.add(
            "final.budget.today_cac_plan_channels",
            same,
            unit="money",
            label=t("final.fig.today_cac_same"),
            window=today,
            count=won,
            grade=evidence_grade(won, value=same),
        )


def _register_content(register: FigureRegister, strategy: StrategyReport, *, language: str) -> None:
    """Conversation tracks, content gaps, content that moves buyers, technology (as_of)."""
    t = lambda key: text(key, language)  # noqa: E731
    content = strategy.content
    tracks = content.tracks
    if content.provided and "status" in tracks and tracks["status"].notna().any():
        register.add("final.content.tracks", len(tracks), unit="count", label=t("final.fig.tracks"))
        register.add(
            "final.content.tracks_answered",
            int((tracks["status"] == "covered").sum()),
            unit="count",
            label=t("final.fig.tracks_answered"),
        )
    if content.provided and content.gaps is not None:
        register.add("content.gaps", len(content.gaps), unit="count", label=t("final.fig.gaps"))
    if content.performance is not None:
        verdicts = content.performance.assets["verdict"]
        register.add(
            "final.content.movers",
            int((verdicts == "moves_buyers").sum()),
            unit="count",
            label=t("final.fig.movers"),
        )
    tech = strategy.technology
    register.add(
        "final.technology.in_place",
        int((tech["status"] == "ok").sum()),
        unit="count",
        label=t("final.fig.tech_ok"),
        count=len(tech),
    )


def _register_operations(
    register: FigureRegister,
    strategy: StrategyReport,
    *,
    language: str,
    today: str,
    facts: FinalFacts,
) -> None:
    """SLA, merge review, accounts and recycling figures (KPI window or as_of)."""
    t = lambda key, **v: text(key, language, **v)  # noqa: E731
    lm = strategy.lead_management
    for row in lm.sla.to_dict("records"):
        rate, median = float(row["compliance_rate"]), float(row["median_response_days"])
        if not np.isfinite(rate):
            continue
        pair = f"{row['from']}_{row['to']}"
        acted = int(row["within_sla"] + row["breached"])
        names = {
            "from_stage": stage_label(str(row["from"]), language),
            "to_stage": stage_label(str(row["to"]), language),
        }
        register.add(
            f"final.sla.{pair}.compliance_rate",
            rate,
            unit="rate",
            label=t("final.fig.sla", **names),
            window=today,
            count=acted,
            grade=evidence_grade(acted, value=rate, rate=True),
        )
        if np.isfinite(median):
            register.add(
                f"final.sla.{pair}.median_days",
                round(median),
                unit="days",
                label=t("final.fig.sla_days", **names),
                window=today,
                count=acted,
            )
    counts = review_counts(lm.review)
    for key, label in (
        ("accounts", "final.fig.accounts"),
        ("hot_accounts", "final.fig.hot_accounts"),
    ):
        register.add(f"final.review.{key}", counts[key], unit="count", label=t(label))
    # without an e-mail column duplicates were not looked for: no figure, not 0
    duplicates = facts.duplicates
    emails = duplicates is not None
    register.add(
        "final.review.groups",
        counts["groups"] if emails else None,
        unit="count",
        label=t("final.fig.groups"),
    )
    if not emails or counts["duplicates"] == duplicates:  # the kickoff's figure: its key
        register.add(  # as the kickoff registers it: count and grade too
            "validate.duplicates.leads",
            duplicates,
            unit="count",
            label=t("kickoff.fig.duplicates"),
            count=facts.leads if emails else None,
            grade=evidence_grade(facts.leads) if emails else None,
        )
    else:  # the merge review counts among the leads it reviews: its own figure
        register.add(
            "final.review.duplicates",
            counts["duplicates"],
            unit="count",
            label=t("final.fig.duplicates"),
        )
    rec = lm.recycling
    register.add(
        "final.recycling.disqualified",
        int(rec["disqualified"].sum()),
        unit="count",
        label=t("final.fig.disqualified"),
        window=today,
    )
    register.add(
        "final.recycling.due_for_nurture",
        int(rec["due_for_nurture"].sum()),
        unit="count",
        label=t("final.fig.due"),
    )
