"""The display glue of ``notebooks/playground.ipynb``: sliders whose every move recomputes
the plan with :func:`workbook.analysis.plan.compute_plan` from inputs estimated once.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from workbook.analysis.plan import (
    PlanInputs,
    PlanReport,
    PlanSettings,
    compute_plan,
)
from workbook.deliverables.final_text import month_label, pair_label
from workbook.deliverables.table_columns import table_columns
from workbook.i18n import (
    format_percent,
    text,
)


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
    # every slider: recompute on release, one width for the description and the bar
    common = {
        "continuous_update": False,
        "style": {"description_width": "16em"},
        "layout": widgets.Layout(width="42em"),
    }
    controls: dict[str, Any] = {
        key: widgets.FloatSlider(
            value=start[key],
            min=start[key] * 0.25,
            max=start[key] * 3,
            step=max(start[key] / 100, 1.0),
            description=text(label, language, currency=currency),
            readout_format=",.0f",
            **common,
        )
        for key, label in (("revenue", "playground.revenue"), ("avg_deal_size", "playground.deal"))
    }
    controls["ramp_months"] = widgets.IntSlider(
        value=start["ramp_months"],
        min=0,
        max=inputs.base.period_months,
        description=text("playground.ramp", language),
        **common,
    )
    for k, pair in enumerate(inputs.pairs):
        controls[f"rate_{k}"] = widgets.FloatSlider(
            value=start[f"rate_{k}"],
            min=0.01,
            max=1.0,
            step=0.005,
            description=pair_label(pair, language, inputs.stages),
            readout_format=".1%",
            **common,
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
        table_columns("playground_plan", language),
        language=language,
        currency=currency,
    )
    show.show_text(
        text(
            "playground.summary",
            language,
            landing=month_label(plan.first_landing_month, language),
            share=format_percent(plan.out_of_reach_share, language),
        )
    )
    show.show_figure(
        plan_volume_chart(plan.schedule_frame(), stages=plan.stages, language=language),
        alt=text("plan.chart.volumes", language),
    )
    return plan
