"""The final report's executive summary: the plan, its budget ask and the first 90 days.

:func:`final_findings` turns the :class:`workbook.deliverables.final_facts.FinalFacts` into
the findings that open the final report (:func:`workbook.deliverables.summary.show_summary`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from workbook.analysis.evidence import evidence_grade
from workbook.deliverables.final_facts import (
    FIRST_DAYS_MONTHS,
    first_days_volume,
    first_days_window,
    kpi_window,
    plan_window,
    today_cac_on_plan_channels,
    unfunded_spend,
)
from workbook.deliverables.summary import MAX_FINDINGS, Finding, top_findings
from workbook.i18n import (
    channels_phrase,
    format_month,
    format_number,
    formatters,
    join_words,
    pretty,
    stage_label,
    text,
)

if TYPE_CHECKING:
    from workbook.deliverables.final_facts import FinalFacts
    from workbook.deliverables.register import FigureRegister

__all__ = ["CORE_FINDINGS", "final_findings"]

#: The findings that always open the final report, in this order.
CORE_FINDINGS = ("plan", "budget", "first_days")


def final_findings(
    facts: FinalFacts, register: FigureRegister, *, language: str, currency: str
) -> list[Finding]:
    """The final report's executive summary, by explicit rules.

    Rules
    -----
    1. Three findings always open the summary, in this order (the final report asks the
       client to approve them): **the plan** (the revenue target and the first-stage leads it
       needs against today's run-rate; impact: the target revenue), **its budget ask** (the
       budget after the pipeline credit and the PLANNED CAC and LTV:CAC beside TODAY's;
       impact: the target revenue new demand must bring, i.e. net of the pipeline credit)
       and **the first 90 days** (the leads that must enter in the three months from the
       plan's first month of need and the roadmap's tasks that start then; impact: their
       share of the target revenue).
    2. Up to two more places (five findings in all) go to these candidates, ranked by
       :func:`workbook.deliverables.summary.top_findings` (revenue at stake, too little
       data last):

       - the scoring threshold, when it passes fewer leads than the plan's MQL rate and is
         not consistent with it (:func:`workbook.analysis.reconcile.scoring_fit`): the
         revenue of the target-stage leads it would not pass, ``(1 - recall) x target
         revenue`` (the scoring section states any gap either way);
       - the weakest hand-off SLA (lowest compliance, at most 80%): its breached leads x
         the plan's rates from the hand-off's first stage to won x the average deal;
       - the share of the plan out of reach for new demand, when above 0.5%: that share
         of the target revenue.

    Parameters
    ----------
    facts : FinalFacts
    register : FigureRegister
        Holds the figures (:func:`workbook.deliverables.final_figures.register_final_figures`):
        each finding's ``figure`` is one of its keys and its grade is the figure's.
    language, currency : str

    Returns
    -------
    list of Finding
        Three to five findings.
    """
    core = [
        _plan_finding(facts, register, language=language, currency=currency),
        _budget_finding(facts, register, language=language, currency=currency),
        _first_days_finding(facts, register, language=language, currency=currency),
    ]
    extras = [
        f
        for f in (
            _scoring_finding(facts, register, language=language, currency=currency),
            _sla_finding(facts, register, language=language, currency=currency),
            _reach_finding(facts, register, language=language, currency=currency),
        )
        if f is not None
    ]
    return core + top_findings(extras, limit=MAX_FINDINGS - len(core))


def _quote(
    register: FigureRegister, key: str, value: float, unit: str, label: str, **options
) -> float:
    """Register a figure the summary quotes (its value as computed, before formatting)."""
    if key not in register:
        register.add(key, value, unit=unit, label=label, **options)
    return value


def _grade(register: FigureRegister, key: str) -> str:
    if key in register and register[key].grade:
        return str(register[key].grade)
    return "indicative"


def _plan_finding(
    facts: FinalFacts, register: FigureRegister, *, language: str, currency: str
) -> Finding:
    n, pct, money = formatters(language, currency)
    plan, gap = facts.quant.plan, facts.quant.gap
    first = plan.stages[0]
    row = gap.iloc[0]
    net = float(plan.net_totals[0]) if plan.net_totals is not None else float(plan.totals[0])
    run_total = float(row["run_rate"]) * plan.period_months
    new_revenue = plan.target_revenue - (
        plan.pipeline_credit["revenue"] if plan.pipeline_credit else 0.0
    )
    short = max(0.0, net - run_total)
    window, today = plan_window(facts.quant), kpi_window(facts.kpis)
    short_revenue = short / net * new_revenue if net > 0 else 0.0
    label = lambda key, **v: text(key, language, stage=stage_label(first, language), **v)  # noqa: E731
    _quote(register, "final.plan.target_revenue", float(plan.target_revenue), "money",
           label("final.fig.target"), window=window)  # fmt: skip
    _quote(register, f"final.plan.run_total.{first}", run_total, "count",
           label("final.fig.run_total"), window=today)  # fmt: skip
    if short > 0:
        _quote(register, f"final.plan.short.{first}", short, "count", label("final.fig.short"),
               window=window)  # fmt: skip
        _quote(register, "final.plan.short_revenue", short_revenue, "money",
               label("final.fig.short_revenue"), window=window)  # fmt: skip
    values = {
        "net": n(net),
        "run_total": n(run_total),
        "revenue": money(plan.target_revenue),
        "total": n(plan.totals[0]),
        "first_stage": stage_label(first, language),
        "months": n(plan.period_months),
        "start": format_month(_month(plan.period_start), language),
        "run_rate": n(row["run_rate"]),
        "peak": n(row["peak_required"]),
        "peak_month": format_month(row["peak_month"], language),
        "lift": format_number(row["lift"], language, decimals=1),
        "short": n(short),
        "short_revenue": money(short_revenue),
    }
    key = "final.sum.plan.short" if short > 0 else "final.sum.plan.timing"
    return Finding(
        headline=text("final.sum.plan", language, **values),
        consequence=text(key, language, **values),
        decision=text("final.sum.plan.decision", language, **values),
        section="plan",
        figure=f"plan.totals.{first}",
        impact=float(plan.target_revenue),
        grade=_grade(register, f"plan.totals.{first}"),
    )


def _advice_clause(facts: FinalFacts, language: str) -> str:
    """What the budget does with the channels the mid-point advises on."""
    advice = facts.advice
    if advice is None or not len(advice):
        return ""
    planned = set(facts.quant.budget.allocation["channel"].astype(str))
    names = lambda kind: [  # noqa: E731
        pretty(c, language)
        for c in advice.loc[advice["advice"] == kind, "channel"].astype(str)
        if c in planned
    ]
    review, grow = names("review"), names("grow")
    parts = []
    if review:
        parts.append(
            text(
                "final.sum.budget.review",
                language,
                channels=channels_phrase(review, language, of=True),
            )
        )
    if grow:
        parts.append(
            text("final.sum.budget.grow", language, channels=channels_phrase(grow, language))
        )
    return " ".join(parts)


def _budget_finding(
    facts: FinalFacts, register: FigureRegister, *, language: str, currency: str
) -> Finding:
    n, pct, money = formatters(language, currency)
    plan, budget = facts.quant.plan, facts.quant.budget
    credit = plan.pipeline_credit["revenue"] if plan.pipeline_credit else 0.0
    new_revenue = float(plan.target_revenue - credit)
    if not budget.priced:
        values = {"total": n(plan.totals[0]), "first_stage": stage_label(plan.stages[0], language)}
        return Finding(
            headline=text("final.sum.budget.unpriced", language, **values),
            consequence=text("final.sum.budget.unpriced.consequence", language, **values),
            decision=text("final.sum.budget.unpriced.decision", language),
            section="budget",
            figure=f"plan.totals.{plan.stages[0]}",
            impact=new_revenue,
            grade="too_little_data",
        )
    economics, today = budget.economics, facts.kpis.economics
    top = budget.allocation.iloc[0]
    ask = budget.net_total if budget.net_total is not None else budget.total
    window = plan_window(facts.quant)
    top_share = float(top["budget"]) / budget.total if budget.total else 0.0
    new_won = float(plan.totals[-1] * (new_revenue / plan.target_revenue))
    _quote(register, "final.plan.target_revenue", float(plan.target_revenue), "money",
           text("final.fig.target", language), window=window)  # fmt: skip
    _quote(register, "final.plan.new_revenue", new_revenue, "money",
           text("final.fig.new_revenue", language), window=window)  # fmt: skip
    _quote(register, "final.plan.new_won", new_won, "count",
           text("final.fig.new_won", language), window=window)  # fmt: skip
    _quote(register, f"final.budget.share.{top['channel']}", top_share, "rate",
           text("final.fig.top_share", language, channel=pretty(top["channel"], language)),
           window=window)  # fmt: skip
    values = {
        "budget": money(budget.total),
        "net": money(ask),
        "cac": money(economics.cac),
        "ratio": format_number(economics.ratio, language, decimals=1),
        "today_cac": money(today.cac),
        "today_ratio": format_number(today.ratio, language, decimals=1),
        "won": n(new_won),
        "new_revenue": money(new_revenue),
        "top_channel": channels_phrase([pretty(top["channel"], language)], language),
        "top_share": pct(top_share),
    }
    spent_elsewhere, unfunded = unfunded_spend(facts)
    same_cac = today_cac_on_plan_channels(facts)
    values["same_cac"] = money(same_cac)
    values["unfunded"] = channels_phrase([pretty(c, language) for c in unfunded], language)
    headline_key = (
        "final.sum.budget.no_today"
        if today.ratio is None
        else "final.sum.budget.same"  # today's CAC on the plan's channels: like for like
        if spent_elsewhere > 0 and same_cac is not None
        else "final.sum.budget"
    )
    decision = text("final.sum.budget.decision", language, **values)
    clause = _advice_clause(facts, language)
    return Finding(
        headline=text(headline_key, language, **values),
        consequence=text("final.sum.budget.consequence", language, **values),
        decision=f"{decision} {clause}".strip(),
        section="budget",
        figure="plan.budget.net_total",
        impact=new_revenue,
        grade=_grade(register, "plan.budget.net_total"),
    )


def _first_days_finding(
    facts: FinalFacts, register: FigureRegister, *, language: str, currency: str
) -> Finding:
    n, pct, money = formatters(language, currency)
    plan = facts.quant.plan
    leads, start, end = first_days_volume(
        facts.quant.schedule, stage=plan.stages[0], start=facts.need_start
    )
    # the share of the plan's leads: its first-stage total, the figure the plan section shows
    total = float(plan.totals[0])
    share = leads / total if total > 0 else 0.0
    run_rate = float(facts.quant.gap.iloc[0]["run_rate"])
    first = plan.stages[0]
    window = first_days_window(start, end)
    label = lambda key: text(key, language, stage=stage_label(first, language))  # noqa: E731
    _quote(register, f"final.plan.first_days_share.{first}", share, "rate",
           label("final.fig.first_days_share"), window=window)  # fmt: skip
    _quote(register, "final.plan.first_days_revenue", share * plan.target_revenue, "money",
           label("final.fig.first_days_revenue"), window=window)  # fmt: skip
    _quote(register, f"final.plan.first_days_run_rate.{first}", run_rate * FIRST_DAYS_MONTHS,
           "count", label("final.fig.first_days_run_rate"), window=kpi_window(facts.kpis))  # fmt: skip
    roadmap = facts.strategy.roadmap
    early = roadmap.loc[~roadmap["milestone"] & (roadmap["start"] == roadmap["start"].min())]
    tasks = [str(task)[0].lower() + str(task)[1:] for task in early["task"].head(3)]
    values = {
        "start": format_month(start, language),
        "end": format_month(end, language),
        "leads": n(leads),
        "first_stage": stage_label(plan.stages[0], language),
        "run_rate": n(run_rate * FIRST_DAYS_MONTHS),
        "revenue": money(share * plan.target_revenue),
        "share": pct(share),
        "tasks": join_words(tasks, language),
        "period_start": format_month(_month(plan.period_start), language),
    }
    return Finding(
        headline=text("final.sum.first_days", language, **values),
        consequence=text("final.sum.first_days.consequence", language, **values),
        decision=text("final.sum.first_days.decision", language, **values),
        section="roadmap",
        figure=f"final.plan.first_days.{plan.stages[0]}",
        impact=float(share * plan.target_revenue),
        grade=_grade(register, f"plan.totals.{plan.stages[0]}"),
    )


def _scoring_finding(
    facts: FinalFacts, register: FigureRegister, *, language: str, currency: str
) -> Finding | None:
    fit, score = facts.scoring_fit, facts.strategy.scoring
    if fit is None or score is None or fit.consistent or fit.flagged_share >= fit.planned_rate:
        return None  # a threshold passing more leads than planned does not starve the plan
    n, pct, money = formatters(language, currency)
    plan = facts.quant.plan
    recall = float(score.recall_at_threshold)
    lost = (1.0 - recall) * plan.target_revenue
    needed = plan.totals[0] / recall if recall > 0 else plan.totals[0]
    window = plan_window(facts.quant)
    _quote(register, "final.scoring.revenue_at_stake", float(lost), "money",
           text("final.fig.scoring_lost", language), window=window)  # fmt: skip
    _quote(register, f"final.scoring.needed.{plan.stages[0]}", float(needed), "count",
           text("final.fig.scoring_needed", language, stage=stage_label(plan.stages[0], language)),
           window=window)  # fmt: skip
    values = {
        "threshold": format_number(fit.threshold, language, decimals=2),
        "flagged": pct(fit.flagged_share),
        "planned": pct(fit.planned_rate),
        "recall": pct(recall),
        "target": stage_label(score.target, language),
        "revenue": money(lost),
        "matching": format_number(fit.matching_threshold, language, decimals=2),
        "precision": pct(fit.matching_precision),
        "needed": n(needed),
        "first_stage": stage_label(plan.stages[0], language),
    }
    return Finding(
        headline=text("final.sum.scoring", language, **values),
        consequence=text("final.sum.scoring.consequence", language, **values),
        decision=text("final.sum.scoring.decision", language, **values),
        section="scoring",
        figure="final.scoring.flagged_share",
        impact=float(lost),
        grade=evidence_grade(int(score.holdout_leads), value=fit.flagged_share, rate=True),
    )


def _sla_finding(
    facts: FinalFacts, register: FigureRegister, *, language: str, currency: str
) -> Finding | None:
    sla = facts.strategy.lead_management.sla.dropna(subset=["compliance_rate"])
    sla = sla.loc[sla["compliance_rate"] <= 0.8]
    if not len(sla):
        return None
    worst = sla.sort_values("compliance_rate", kind="stable").iloc[0]
    n, pct, money = formatters(language, currency)
    plan = facts.quant.plan
    stages = list(plan.stages)
    from_stage, to_stage = str(worst["from"]), str(worst["to"])
    if from_stage not in stages:
        return None
    # a lead waiting at the hand-off still has the whole way from its stage to won ahead
    onward = float(np.prod(plan.conversion[stages.index(from_stage) :]))
    breached = int(worst["breached"])
    at_stake = breached * onward * plan.avg_deal_size
    acted = int(worst["within_sla"] + worst["breached"])
    names = {
        "from_stage": stage_label(from_stage, language),
        "to_stage": stage_label(to_stage, language),
    }
    today = kpi_window(facts.kpis)
    _quote(register, f"final.sla.{from_stage}_{to_stage}.breached", breached, "count",
           text("final.fig.sla_breached", language, **names), window=today)  # fmt: skip
    _quote(register, f"final.sla.{from_stage}_{to_stage}.revenue_delayed", float(at_stake),
           "money", text("final.fig.sla_at_stake", language, **names), window=today)  # fmt: skip
    values = {
        "from_stage": stage_label(str(worst["from"]), language),
        "to_stage": stage_label(to_stage, language),
        "rate": pct(float(worst["compliance_rate"])),
        "days": n(int(worst["sla_days"])),
        "median": n(round(float(worst["median_response_days"]))),
        "breached": n(breached),
        "revenue": money(at_stake),
    }
    return Finding(
        headline=text("final.sum.sla", language, **values),
        consequence=text("final.sum.sla.consequence", language, **values),
        decision=text("final.sum.sla.decision", language, **values),
        section="sla",
        figure=f"final.sla.{worst['from']}_{to_stage}.compliance_rate",
        impact=float(at_stake),
        grade=evidence_grade(acted, value=float(worst["compliance_rate"]), rate=True),
    )


def _reach_finding(
    facts: FinalFacts, register: FigureRegister, *, language: str, currency: str
) -> Finding | None:
    plan = facts.quant.plan
    if plan.out_of_reach_share <= 0.005:
        return None
    n, pct, money = formatters(language, currency)
    revenue = plan.out_of_reach_share * plan.target_revenue
    _quote(register, "final.plan.out_of_reach_revenue", float(revenue), "money",
           text("final.fig.reach_revenue", language), window=plan_window(facts.quant))  # fmt: skip
    values = {
        "share": pct(plan.out_of_reach_share),
        "revenue": money(revenue),
        "first_new": format_month(_month(plan.first_new_month), language),
    }
    return Finding(
        headline=text("final.sum.reach", language, **values),
        consequence=text("final.sum.reach.consequence", language, **values),
        decision=text("final.sum.reach.decision", language, **values),
        section="plan-reach",
        figure="final.plan.out_of_reach_share",
        impact=float(revenue),
        grade="indicative",
    )


def _month(label: str) -> pd.Timestamp:
    return pd.Period(label, freq="M").to_timestamp()
