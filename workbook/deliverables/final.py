"""The quantitative section of the final strategy report, and the playground's controls.

:func:`build_final_quant` computes every figure of the section (the plan with its bands,
the gap against today's run-rate, the tornado, the budget and LTV:CAC, the scenarios);
:func:`final_quant_sentences` turns them into the "what this means" sentences in the
report's language. The notebook only displays.

:func:`playground_controls` and :func:`show_playground_plan` are the display glue of
``notebooks/playground.ipynb``: sliders whose every move recomputes the plan with
:func:`workbook.analysis.plan.compute_plan` from inputs estimated once.

See Also
--------
workbook.analysis.plan : the model.
workbook.analysis.budget : what it costs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from workbook.analysis.budget import (
    BudgetReport,
    budget_settings,
    build_budget,
    engagement_costs,
)
from workbook.analysis.journeys import Journeys, build_journeys
from workbook.analysis.plan import (
    PlanInputs,
    PlanReport,
    PlanSettings,
    apply_scenario,
    compute_plan,
    estimate_plan_inputs,
    month_index,
    tornado,
)
from workbook.i18n import (
    format_money,
    format_month,
    format_number,
    format_percent,
    formatters,
    pretty,
    stage_label,
    text,
)
from workbook.intake.engagement import Engagement

__all__ = [
    "FinalQuantReport",
    "assumptions_table",
    "budget_figures",
    "build_final_quant",
    "final_quant_sentences",
    "gap_summary",
    "playground_controls",
    "playground_settings",
    "reach_figures",
    "scenario_table",
    "show_playground_plan",
    "tornado_labels",
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
    scenarios : DataFrame
        :func:`scenario_table` (the base plan first).
    simulate : int
        Draws behind the bands.
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
        ``stage``, ``run_rate`` (per month), ``mean_required`` (mean monthly ``gross`` over
        the plan months), ``peak_required``, ``peak_month`` (Timestamp), ``lift`` (``peak /
        run_rate``; NaN when the run-rate is 0), ``months_above`` (plan months whose need
        exceeds today's run-rate), ``max_gap`` (largest ``gross - run_rate``).
    """
    schedule = plan.schedule_frame()
    rows = []
    for stage in plan.stages:
        part = schedule.loc[schedule["stage"] == stage]
        inside = part.loc[part["in_period"]]
        peak_at = part["gross"].idxmax()
        run_rate = float(part["run_rate"].iloc[0])
        peak = float(part.loc[peak_at, "gross"])
        rows.append(
            {
                "stage": stage,
                "run_rate": run_rate,
                "mean_required": float(inside["gross"].mean()),
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
        When the plan cannot be computed (missing target, unusable assumption, invalid
        ``scenarios:`` or ``budget:``); the message says what to add to engagement.yaml.
    """
    journeys = journeys or build_journeys(engagement)
    inputs = estimate_plan_inputs(engagement, journeys)
    plan = compute_plan(inputs, simulate=simulate, seed=seed)
    costs = engagement_costs(engagement, journeys)  # once, shared by every scenario
    budget = build_budget(
        engagement, plan, journeys, settings=budget_settings(engagement.config), costs=costs
    )
    plans, budgets = [plan], [budget]
    for scenario in inputs.scenarios:
        scenario_plan = compute_plan(inputs, apply_scenario(inputs.base, scenario))
        settings = budget_settings(engagement.config, scenario.budget, scenario=scenario.name)
        plans.append(scenario_plan)
        budgets.append(
            build_budget(engagement, scenario_plan, journeys, settings=settings, costs=costs)
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
    )


def _month(label: str, language: str) -> str:
    index = month_index(label)
    return format_month(pd.Timestamp(year=index // 12, month=index % 12 + 1, day=1), language)


def tornado_labels(frame: pd.DataFrame, *, stages: tuple[str, ...], language: str) -> list[str]:
    """Readable names of the tornado's assumptions (``avg_deal_size``, ``conversion.a_b``)."""
    labels = []
    for assumption in frame["assumption"]:
        if assumption == "avg_deal_size":
            labels.append(text("plan.assumption.avg_deal_size", language))
        else:
            labels.append(_pair_label(assumption.split(".", 1)[1], language, stages))
    return labels


def _pair_label(pair: str, language: str, stages: tuple[str, ...]) -> str:
    """``inquiry_mql`` -> ``Inquiry → MQL rate`` (stage names may hold underscores)."""
    names = {f"{a}_{b}": (a, b) for a, b in zip(stages[:-1], stages[1:], strict=True)}
    a, b = names.get(pair, (pair, ""))
    return text(
        "plan.assumption.conversion",
        language,
        from_stage=stage_label(a, language),
        to_stage=stage_label(b, language),
    )


def final_quant_sentences(
    report: FinalQuantReport, *, language: str, currency: str
) -> dict[str, str]:
    """The "what this means" sentence of each quantitative finding, in ``language``.

    Returns
    -------
    dict
        Keys ``plan``, ``assumptions``, ``volumes``, ``landing``, ``reach``, ``pipeline``,
        ``revenue``, ``bands``, ``tornado``, ``budget``, ``ltv_cac``, ``scenarios``.
    """
    n, pct, money = formatters(language, currency)
    plan = report.plan
    first, won = plan.stages[0], plan.stages[-1]
    out: dict[str, str] = {}
    out["plan"] = text(
        "final.quant.plan.means",
        language,
        revenue=money(plan.target_revenue),
        months=n(plan.period_months),
        start=_month(plan.period_start, language),
        won=n(plan.totals[-1]),
        deal=money(plan.avg_deal_size),
        total=n(plan.totals[0]),
        first_stage=stage_label(first, language),
        ramp=n(plan.ramp_months),
    )
    overrides = sum(v == "override" for v in plan.sources.values())
    out["assumptions"] = text(
        "final.quant.assumptions.means",
        language,
        data=n(len(plan.sources) - overrides),
        overrides=n(overrides),
    )
    gap = report.gap
    lifts = gap.loc[gap["lift"].notna() & (gap["stage"] != won)]
    if len(lifts):
        worst = lifts.loc[lifts["lift"].idxmax()]
        first_row = gap.iloc[0]
        out["volumes"] = text(
            "final.quant.volumes.means",
            language,
            peak=n(first_row["peak_required"]),
            first_stage=stage_label(first, language),
            peak_month=format_month(first_row["peak_month"], language),
            run_rate=n(first_row["run_rate"]),
            worst_stage=stage_label(worst["stage"], language),
            worst_lift=format_number(worst["lift"], language, decimals=1),
            months=n(int(worst["months_above"])),
            period=n(plan.period_months),
        )
    else:
        out["volumes"] = text("final.quant.volumes.no_run_rate", language)
    landing_gap = month_index(plan.first_landing_month) - month_index(plan.period_start)
    key = "final.quant.landing.in_time" if landing_gap <= 0 else "final.quant.landing.late"
    out["landing"] = text(
        key,
        language,
        first_new=_month(plan.first_new_month, language),
        landing=_month(plan.first_landing_month, language),
        start=_month(plan.period_start, language),
        months=n(landing_gap),
    )
    if plan.out_of_reach_share > 0.005:
        out["reach"] = text(
            "final.quant.reach.means",
            language,
            share=pct(plan.out_of_reach_share),
            revenue=money(plan.out_of_reach_share * plan.target_revenue),
            first_new=_month(plan.first_new_month, language),
        )
    else:
        out["reach"] = text(
            "final.quant.reach.none", language, first_new=_month(plan.first_new_month, language)
        )
    inputs = report.inputs
    if plan.pipeline_credit is not None and plan.net_totals is not None:
        credit = plan.pipeline_credit
        out["pipeline"] = text(
            "final.quant.pipeline.means",
            language,
            leads=n(int(inputs.open_counts[:-1].sum())),
            opportunities=n(int(inputs.open_counts[-1])),
            revenue=money(credit["revenue"]),
            share=pct(credit["revenue"] / plan.target_revenue),
            won=format_number(credit["won"], language, decimals=1),
            net=n(plan.net_totals[0]),
            first_stage=stage_label(first, language),
        )
    else:
        out["pipeline"] = text("final.quant.pipeline.none", language)
    out["revenue"] = text(
        "final.quant.revenue.means",
        language,
        full=money(float(plan.revenue.max())),
        ramp=n(plan.ramp_months),
    )
    if plan.bands is not None:
        out["bands"] = text(
            "final.quant.bands.means",
            language,
            low=n(plan.bands["p10"][0]),
            high=n(plan.bands["p90"][0]),
            first_stage=stage_label(first, language),
            draws=n(report.simulate),
        )
    else:
        out["bands"] = text("final.quant.bands.none", language)
    top = report.tornado.iloc[0]
    out["tornado"] = text(
        "final.quant.tornado.means",
        language,
        assumption=tornado_labels(report.tornado.iloc[:1], stages=plan.stages, language=language)[
            0
        ],
        low=n(min(top["total_at_low"], top["total_at_high"])),
        high=n(max(top["total_at_low"], top["total_at_high"])),
        first_stage=stage_label(first, language),
    )
    budget = report.budget
    out["budget"] = text(
        "final.quant.budget.means" if budget.mix_from == "data" else "final.quant.budget.mix",
        language,
        budget=money(budget.total),
        cpi=money(budget.blended_cost_per_inquiry),
        net=money(budget.net_total) if budget.net_total is not None else money(budget.total),
        top_channel=pretty(budget.allocation["channel"].iloc[0]),
        top_share=pct(budget.allocation["budget"].iloc[0] / budget.total if budget.total else 0),
    )
    economics = budget.economics
    if economics.ratio is not None:
        verdict = (
            "final.quant.ltv_cac.healthy" if economics.healthy else "final.quant.ltv_cac.unhealthy"
        )
        out["ltv_cac"] = text(
            verdict,
            language,
            cac=money(economics.cac),
            ltv=money(economics.ltv),
            ratio=format_number(economics.ratio, language, decimals=1),
            line=format_number(economics.healthy_ratio, language, decimals=0),
            payback=format_number(economics.payback_months, language, decimals=1),
        )
    else:
        out["ltv_cac"] = text("final.quant.ltv_cac.free", language, ltv=money(economics.ltv))
    scenarios = report.scenarios
    if len(scenarios) > 1:
        low = scenarios.loc[scenarios["first_total"].idxmin()]
        high = scenarios.loc[scenarios["first_total"].idxmax()]
        base = text("plan.scenario.base", language)
        out["scenarios"] = text(
            "final.quant.scenarios.means",
            language,
            count=n(len(scenarios) - 1),
            low=n(low["first_total"]),
            low_name=low["scenario"] or base,
            high=n(high["first_total"]),
            high_name=high["scenario"] or base,
            first_stage=stage_label(first, language),
            budget_low=money(scenarios["budget"].min()),
            budget_high=money(scenarios["budget"].max()),
        )
    else:
        out["scenarios"] = text("final.quant.scenarios.none", language)
    return out


def reach_figures(report: FinalQuantReport, *, language: str, currency: str) -> pd.DataFrame:
    """What a CMO asks first, as readable figures: when revenue can land, what is out of reach.

    Returns
    -------
    DataFrame
        ``figure`` (label) and ``value`` (formatted text), one row each: first month new leads
        can enter, first landing month, plan start, out-of-reach share, pipeline credit
        (revenue and deals), first-stage leads still needed after it.
    """
    plan = report.plan
    first = stage_label(plan.stages[0], language)
    rows = [
        (text("final.figure.first_new", language), _month(plan.first_new_month, language)),
        (text("final.figure.landing", language), _month(plan.first_landing_month, language)),
        (text("final.figure.start", language), _month(plan.period_start, language)),
        (
            text("final.figure.out_of_reach", language),
            format_percent(plan.out_of_reach_share, language),
        ),
    ]
    if plan.pipeline_credit is not None and plan.net_totals is not None:
        rows += [
            (
                text("final.figure.pipeline_revenue", language),
                format_money(plan.pipeline_credit["revenue"], currency, language),
            ),
            (
                text("final.figure.pipeline_won", language),
                format_number(plan.pipeline_credit["won"], language, decimals=1),
            ),
            (
                text("final.figure.net_total", language, first_stage=first),
                format_number(plan.net_totals[0], language),
            ),
        ]
    return pd.DataFrame(rows, columns=["figure", "value"])


def budget_figures(report: FinalQuantReport, *, language: str, currency: str) -> pd.DataFrame:
    """The budget's headline figures as readable text: budget, net budget, CAC, LTV, LTV:CAC.

    Returns
    -------
    DataFrame
        ``figure`` and ``value`` (formatted text).
    """
    budget = report.budget
    economics = budget.economics
    money = lambda v: format_money(v, currency, language)  # noqa: E731
    rows = [
        (text("plan.label.budget", language), money(budget.total)),
        (text("plan.label.net_budget", language), money(budget.net_total)),
        (text("plan.label.blended_cpi", language), money(budget.blended_cost_per_inquiry)),
        (text("plan.label.cac", language), money(economics.cac)),
        (text("plan.label.ltv", language), money(economics.ltv)),
        (
            text("plan.label.ltv_cac", language),
            format_number(economics.ratio, language, decimals=1)
            if economics.ratio is not None
            else "-",
        ),
        (
            text("plan.label.payback", language),
            format_number(economics.payback_months, language, decimals=1)
            if economics.payback_months is not None
            else "-",
        ),
    ]
    return pd.DataFrame(rows, columns=["figure", "value"])


# --- the playground ------------------------------------------------------------------------


def playground_settings(
    inputs: PlanInputs,
    *,
    revenue: float,
    avg_deal_size: float,
    ramp_months: int,
    **rates: float,
) -> PlanSettings:
    """Settings from the playground's sliders (``rate_0`` ... one per stage pair).

    A slider left at the data's value stays "data" in the plan's ``from``; one moved away
    from it becomes an override.
    """
    base = inputs.base
    conversion = dict(base.conversion)
    for k, pair in enumerate(inputs.pairs):
        value = rates.get(f"rate_{k}")
        if value is None:
            continue
        data = inputs.rates[k]
        if pair in base.conversion or not math.isclose(value, data, rel_tol=0, abs_tol=5e-4):
            conversion[pair] = float(value)
    deal = float(avg_deal_size)
    keep_data = (
        base.avg_deal_size is None
        and inputs.avg_deal_size is not None
        and math.isclose(deal, inputs.avg_deal_size, rel_tol=1e-3)
    )
    return replace(
        base,
        revenue=float(revenue),
        avg_deal_size=None if keep_data else deal,
        ramp_months=min(int(ramp_months), base.period_months),
        conversion=conversion,
    )


def _start_values(inputs: PlanInputs) -> dict[str, float]:
    base = inputs.base
    plan = compute_plan(inputs)
    values: dict[str, float] = {
        "revenue": float(base.revenue or 0.0),
        "avg_deal_size": float(plan.avg_deal_size),
        "ramp_months": int(base.ramp_months),
    }
    for k in range(len(inputs.pairs)):
        values[f"rate_{k}"] = float(plan.conversion[k])
    return values


def playground_controls(inputs: PlanInputs, *, language: str, currency: str) -> dict[str, Any]:
    """ipywidgets sliders for the playground, starting at engagement.yaml's plan.

    Returns
    -------
    dict
        ``revenue``, ``avg_deal_size``, ``ramp_months`` and ``rate_0`` ... (one per stage
        pair) -> slider; pass it to ``ipywidgets.interactive_output`` with
        :func:`show_playground_plan`.
    """
    import ipywidgets as widgets  # optional layer: only the interactive playground needs it

    start = _start_values(inputs)
    style = {"description_width": "16em"}
    layout = widgets.Layout(width="42em")
    revenue = start["revenue"]
    deal = start["avg_deal_size"]
    controls: dict[str, Any] = {
        "revenue": widgets.FloatSlider(
            value=revenue,
            min=revenue * 0.25,
            max=revenue * 3,
            step=max(revenue / 100, 1.0),
            description=text("playground.revenue", language, currency=currency),
            readout_format=",.0f",
            continuous_update=False,
            style=style,
            layout=layout,
        ),
        "avg_deal_size": widgets.FloatSlider(
            value=deal,
            min=deal * 0.25,
            max=deal * 3,
            step=max(deal / 100, 1.0),
            description=text("playground.deal", language, currency=currency),
            readout_format=",.0f",
            continuous_update=False,
            style=style,
            layout=layout,
        ),
        "ramp_months": widgets.IntSlider(
            value=start["ramp_months"],
            min=0,
            max=inputs.base.period_months,
            description=text("playground.ramp", language),
            continuous_update=False,
            style=style,
            layout=layout,
        ),
    }
    for k, pair in enumerate(inputs.pairs):
        controls[f"rate_{k}"] = widgets.FloatSlider(
            value=start[f"rate_{k}"],
            min=0.01,
            max=1.0,
            step=0.005,
            description=_pair_label(pair, language, inputs.stages),
            readout_format=".1%",
            continuous_update=False,
            style=style,
            layout=layout,
        )
    return controls


def show_playground_plan(
    inputs: PlanInputs, *, language: str, currency: str, **values: float
) -> PlanReport:
    """Recompute the plan for the sliders' values and display its table and chart.

    Parameters
    ----------
    inputs : PlanInputs
    language, currency : str
    **values
        ``revenue``, ``avg_deal_size``, ``ramp_months``, ``rate_0`` ...; missing ones keep
        engagement.yaml's plan.

    Returns
    -------
    PlanReport
        The plan displayed.
    """
    from workbook.deliverables import display as show
    from workbook.deliverables.plots.plan import plan_volume_chart

    start = _start_values(inputs)
    merged = {**start, **values}
    rates = {k: v for k, v in merged.items() if k.startswith("rate_")}
    settings = playground_settings(
        inputs,
        revenue=merged["revenue"],
        avg_deal_size=merged["avg_deal_size"],
        ramp_months=int(merged["ramp_months"]),
        **rates,
    )
    plan = compute_plan(inputs, settings)
    show.show_table(
        plan.stage_frame(),
        {
            "stage": (text("label.stage", language), "stage"),
            "total": (text("plan.label.total", language), "int"),
            "net_total": (text("plan.label.net_total", language), "int"),
            "run_rate": (text("plan.label.run_rate", language), "int"),
            "peak_required": (text("plan.label.peak", language), "int"),
            "rate": (text("plan.label.rate", language), "percent"),
        },
        language=language,
        currency=currency,
    )
    show.show_text(
        text(
            "playground.summary",
            language,
            landing=_month(plan.first_landing_month, language),
            share=format_percent(plan.out_of_reach_share, language),
        )
    )
    show.show_figure(
        plan_volume_chart(plan.schedule_frame(), stages=plan.stages, language=language),
        alt=text("plan.chart.volumes", language),
    )
    return plan
