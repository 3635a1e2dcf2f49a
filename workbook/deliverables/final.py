"""The quantitative section of the final strategy report, and the playground's controls.

:func:`build_final_quant` computes every figure of the section (the plan with its bands,
the gap against today's run-rate, the tornado, the budget and LTV:CAC, the scenarios);
:func:`final_quant_sentences` (:mod:`workbook.deliverables.final_text`) turns them into the
"what this means" sentences in the report's language. The notebook only displays.

:func:`playground_controls` and :func:`show_playground_plan`
(:mod:`workbook.deliverables.playground`) are the display glue of
``notebooks/playground.ipynb``. Both modules' names are importable from here.

See Also
--------
workbook.analysis.plan : the model.
workbook.analysis.budget : what it costs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from workbook.analysis.budget import BudgetReport, build_budget, engagement_costs
from workbook.analysis.channel_advice import attribution_shares, channel_advice
from workbook.analysis.journeys import Journeys, journeys_for
from workbook.analysis.kpis import KpiReport, compute_kpis
from workbook.analysis.plan import (
    PlanInputs,
    PlanReport,
    apply_scenario,
    compute_plan,
    estimate_plan_inputs,
    tornado,
)
from workbook.i18n import (
    text,
)
from workbook.intake.engagement import Engagement

__all__ = [
    "FinalQuantReport",
    "assumptions_table",
    "build_final_quant",
    "gap_summary",
    "scenario_table",
]


@dataclass(frozen=True)
class FinalQuantReport:
    """Everything the quantitative section of the final report shows.

    Attributes
    ----------
    inputs : PlanInputs
        What the data says (reused by the playground).
    plan : PlanReport
        engagement.yaml's plan, with bands when ``simulate`` > 0.
    schedule : DataFrame
        :meth:`PlanReport.schedule_frame`.
    stages : DataFrame
        :meth:`PlanReport.stage_frame`.
    revenue : DataFrame
        :meth:`PlanReport.revenue_frame`.
    assumptions : DataFrame
        :func:`assumptions_table`.
    gap : DataFrame
        :func:`gap_summary`.
    tornado : DataFrame
        :func:`workbook.analysis.plan.tornado`.
    budget : BudgetReport
        Today's mix moved towards the channels :attr:`advice` asks to grow
        (:func:`workbook.analysis.advised_mix.advised_mix`) unless engagement.yaml sets one.
    scenarios : DataFrame
        :func:`scenario_table` (the base plan first).
    simulate : int
        Draws behind the bands.
    advice : DataFrame
        The mid-point's channel advice over the KPI window
        (:func:`workbook.analysis.channel_advice.channel_advice`) the budget follows.
    kpis : KpiReport
        Today's KPIs over the KPI window (:func:`workbook.analysis.kpis.compute_kpis`, as the
        mid-point computes them): what the advice reads, and the final report's "today".
    """

    inputs: PlanInputs
    plan: PlanReport
    schedule: pd.DataFrame
    stages: pd.DataFrame
    revenue: pd.DataFrame
    assumptions: pd.DataFrame
    gap: pd.DataFrame
    tornado: pd.DataFrame
    budget: BudgetReport
    scenarios: pd.DataFrame
    simulate: int
    advice: pd.DataFrame | None = None
    kpis: KpiReport | None = None


def assumptions_table(plan: PlanReport, *, language: str | None = None) -> pd.DataFrame:
    """One row per stage pair: the rate and lag the plan used and where each came from.

    Parameters
    ----------
    plan : PlanReport
    language : str, optional
        When given, ``rate_from`` and ``lag_from`` are the catalogue's words for the
        sources instead of ``override`` / ``data``.

    Returns
    -------
    DataFrame
        ``from``, ``to``, ``rate`` (0..1), ``rate_from``, ``lag_days`` (median or
        override), ``lag_from`` (override | data).
    """

    def source(kind: str) -> str:
        return text(f"plan.source.{kind}", language) if language else kind

    rows = []
    for k, (a, b) in enumerate(zip(plan.stages[:-1], plan.stages[1:], strict=True)):
        pair = f"{a}_{b}"
        rows.append(
            {
                "from": a,
                "to": b,
                "rate": float(plan.conversion[k]),
                "rate_from": source(plan.sources[f"conversion.{pair}"]),
                "lag_days": float(plan.lag_days[k]),
                "lag_from": source(plan.sources[f"lag_days.{pair}"]),
            }
        )
    return pd.DataFrame(rows)


def gap_summary(plan: PlanReport) -> pd.DataFrame:
    """Per stage, the plan's monthly need in the period against today's run-rate.

    Returns
    -------
    DataFrame
        ``stage``, ``run_rate`` (per month), ``mean_required`` (the stage's plan total spread
        over the plan's months: ``mean_required x period_months`` is the total the plan
        section shows), ``peak_required``, ``peak_month`` (Timestamp), ``lift`` (``peak /
        run_rate``; NaN when the run-rate is 0), ``months_above`` (plan months whose need
        exceeds today's run-rate), ``max_gap`` (largest ``gross - run_rate`` from the first
        month new leads can enter).
    """
    schedule = plan.schedule_frame()
    # a need in a month already past can no longer be met: peaks and gaps from the first
    # month new leads can enter
    first_new = pd.Period(plan.first_new_month, freq="M").to_timestamp()
    rows = []
    for k, stage in enumerate(plan.stages):
        part = schedule.loc[(schedule["stage"] == stage) & (schedule["month"] >= first_new)]
        if not len(part):  # the whole schedule lies in the past
            part = schedule.loc[schedule["stage"] == stage]
        inside = part.loc[part["in_period"]]
        peak_at = part["gross"].idxmax()
        run_rate = float(part["run_rate"].iloc[0])
        peak = float(part.loc[peak_at, "gross"])
        rows.append(
            {
                "stage": stage,
                "run_rate": run_rate,
                "mean_required": float(plan.totals[k]) / plan.period_months,
                "peak_required": peak,
                "peak_month": part.loc[peak_at, "month"],
                "lift": peak / run_rate if run_rate > 0 else float("nan"),
                "months_above": int((inside["gap"] > 0).sum()),
                "max_gap": float(part["gap"].max()),
            }
        )
    return pd.DataFrame(rows)


def scenario_table(
    plans: list[PlanReport], budgets: list[BudgetReport], descriptions: Mapping[str, str]
) -> pd.DataFrame:
    """Scenarios side by side.

    Returns
    -------
    DataFrame
        One row per plan: ``scenario`` (None for the base plan), ``description``,
        ``revenue``, ``avg_deal_size``, ``won``, ``first_total`` (first-stage total),
        ``net_first_total``, ``first_landing_month``, ``out_of_reach_share``, ``budget``,
        ``cac``, ``ltv_cac``, ``healthy``.
    """
    rows = []
    for plan, budget in zip(plans, budgets, strict=True):
        rows.append(
            {
                "scenario": plan.scenario,
                "description": descriptions.get(plan.scenario or "", ""),
                "revenue": plan.target_revenue,
                "avg_deal_size": plan.avg_deal_size,
                "won": float(plan.totals[-1]),
                "first_total": float(plan.totals[0]),
                "net_first_total": float(plan.net_totals[0])
                if plan.net_totals is not None
                else float("nan"),
                "first_landing_month": plan.first_landing_month,
                "out_of_reach_share": plan.out_of_reach_share,
                "budget": budget.total,
                "cac": budget.economics.cac,
                "ltv_cac": budget.economics.ratio,
                "healthy": budget.economics.healthy,
            }
        )
    return pd.DataFrame(rows)


def build_final_quant(
    engagement: Engagement,
    journeys: Journeys | None = None,
    *,
    simulate: int = 2000,
    seed: int = 7,
) -> FinalQuantReport:
    """Compute every figure of the final report's quantitative section.

    Parameters
    ----------
    engagement : Engagement
    journeys : Journeys, optional
        Built from ``engagement`` when not given.
    simulate : int
        Draws for the uncertainty bands (0: none).
    seed : int
        Seed of the draws.

    Raises
    ------
    workbook.analysis.plan.PlanError
        When the plan cannot be computed (missing target, unusable assumption, a budget mix
        the data cannot price); the message says what to add to engagement.yaml.
    """
    journeys = journeys_for(engagement, journeys)
    inputs = estimate_plan_inputs(engagement, journeys)
    plan = compute_plan(inputs, simulate=simulate, seed=seed)
    costs = engagement_costs(engagement, journeys)  # once, shared by every scenario
    kpis = compute_kpis(engagement, journeys)  # the mid-point's channel advice, same inputs
    advice = channel_advice(kpis.channels, attribution_shares(kpis.attribution))
    budget = build_budget(
        engagement, plan, journeys, settings=engagement.config.budget, costs=costs, advice=advice
    )
    plans, budgets = [plan], [budget]
    for scenario in inputs.scenarios:
        scenario_plan = compute_plan(inputs, apply_scenario(inputs.base, scenario))
        plans.append(scenario_plan)
        budgets.append(
            build_budget(
                engagement,
                scenario_plan,
                journeys,
                settings=scenario.budget,
                costs=costs,
                advice=advice,
            )
        )
    descriptions = {s.name: s.description for s in inputs.scenarios}
    return FinalQuantReport(
        inputs=inputs,
        plan=plan,
        schedule=plan.schedule_frame(),
        stages=plan.stage_frame(),
        revenue=plan.revenue_frame(),
        assumptions=assumptions_table(plan),
        gap=gap_summary(plan),
        tornado=tornado(inputs),
        budget=budget,
        scenarios=scenario_table(plans, budgets, descriptions),
        simulate=int(simulate),
        advice=advice,
        kpis=kpis,
    )
