"""Charts of the quantitative model (final report and playground)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from workbook.deliverables.plots.palette import ACCENT, BAD, GOOD, INK, LIGHT, MUTED, WARN
from workbook.deliverables.plots.style import (
    SMALL,
    house_style,
    legend_below,
    new_figure,
    number_axis,
    small_multiples,
    style_axes,
    wrap_text,
)
from workbook.i18n import (
    format_money,
    format_month,
    format_number,
    pretty,
    stage_label,
    text,
)

__all__ = [
    "budget_chart",
    "plan_revenue_chart",
    "plan_volume_chart",
    "scenario_chart",
    "tornado_chart",
]


def _month_ticks(ax, months: Sequence[pd.Timestamp], language: str, *, every: int = 0) -> None:
    x = np.arange(len(months))
    step = every or max(1, int(np.ceil(len(months) / 5)))
    ticks = x[::step]
    labels = [format_month(pd.Timestamp(months[i]), language) for i in ticks]
    if not every:
        labels = [label.replace(" ", "\n") for label in labels]
    ax.set_xticks(ticks, labels)
    ax.tick_params(axis="x", labelsize=SMALL)


@house_style
def plan_volume_chart(
    schedule: pd.DataFrame,
    *,
    stages: Sequence[str],
    language: str = "en",
    period_start: pd.Timestamp | None = None,
) -> Figure:
    """Small multiples: leads each stage needs per month, stacked, against today's run-rate.

    Parameters
    ----------
    schedule : DataFrame
        :meth:`workbook.analysis.plan.PlanReport.schedule_frame`: ``month``, ``stage``,
        ``required``, ``carry_over``, ``run_rate``, ``in_period``.
    stages : sequence of str
        Panel order.
    period_start : Timestamp, optional
        Marked with a dotted line; default the first month with ``in_period``.
    """
    cols = 3 if len(stages) > 4 else 2
    fig, axes = small_multiples(
        len(stages),
        cols=cols,
        panel_height=2.7,
        extra_height=0.6,
        ylabel=text("plan.axis.leads_per_month", language),
        title=text("plan.chart.volumes", language),
        sharex=True,
    )
    for ax in axes[len(stages) - cols : len(stages)]:
        ax.set_xlabel(text("label.month", language))
    months = pd.to_datetime(schedule.loc[schedule["stage"] == stages[0], "month"]).tolist()
    if period_start is None:
        inside = schedule.loc[(schedule["stage"] == stages[0]) & schedule["in_period"], "month"]
        period_start = pd.Timestamp(inside.iloc[0]) if len(inside) else None
    x = np.arange(len(months))
    for ax, stage in zip(axes, stages, strict=False):
        style_axes(ax)
        part = schedule.loc[schedule["stage"] == stage]
        required = part["required"].to_numpy(float)
        carry = part["carry_over"].to_numpy(float)
        ax.bar(x, required, color=ACCENT, width=0.8, label=text("plan.legend.required", language))
        ax.bar(
            x,
            carry,
            bottom=required,
            color=LIGHT,
            width=0.8,
            label=text("plan.legend.carry_over", language),
        )
        ax.axhline(
            float(part["run_rate"].iloc[0]),
            color=WARN,
            linestyle="--",
            linewidth=1.5,
            label=text("plan.legend.run_rate", language),
        )
        if period_start is not None and period_start in months:
            ax.axvline(months.index(period_start) - 0.5, color=MUTED, linestyle=":", linewidth=1)
        ax.set_title(stage_label(stage, language), fontsize=10)
        top = max(float((required + carry).max()), float(part["run_rate"].iloc[0]), 1.0)
        ax.set_ylim(0, top * 1.12)
        number_axis(ax, language, count=True)
        ax.tick_params(axis="y", labelsize=SMALL)
        _month_ticks(ax, months, language)
    handles, labels = axes[0].get_legend_handles_labels()
    legend_below(fig, handles, labels)
    return fig


@house_style
def plan_revenue_chart(revenue: pd.DataFrame, *, currency: str, language: str = "en") -> Figure:
    """Planned revenue per plan month, its 10th-90th percentile band and the pipeline's part.

    Parameters
    ----------
    revenue : DataFrame
        :meth:`workbook.analysis.plan.PlanReport.revenue_frame`: ``month``, ``revenue``, ``p10``,
        ``p90``, ``pipeline``; months without planned revenue are left out.
    """
    data = revenue.loc[revenue["revenue"] > 0].reset_index(drop=True)
    fig, ax = new_figure(height=4.4)
    style_axes(ax)
    x = np.arange(len(data))
    ax.bar(
        x, data["revenue"], color=ACCENT, width=0.75, label=text("plan.legend.revenue", language)
    )
    ax.bar(
        x,
        data["pipeline"],
        color=GOOD,
        width=0.4,
        label=text("plan.legend.pipeline", language),
    )
    if data["p10"].notna().all() and len(data):
        ax.errorbar(
            x,
            data["revenue"],
            yerr=[
                (data["revenue"] - data["p10"]).clip(lower=0),
                (data["p90"] - data["revenue"]).clip(lower=0),
            ],
            fmt="none",
            ecolor=WARN,
            elinewidth=2,
            capsize=4,
            label=text("plan.legend.band", language),
        )
    _month_ticks(ax, data["month"].tolist(), language, every=max(1, int(np.ceil(len(data) / 6))))
    ax.set_xlabel(text("label.month", language))
    ax.set_ylabel(text("plan.axis.revenue", language, currency=currency))
    number_axis(ax, language, currency=currency)
    legend_below(fig)
    ax.set_title(text("plan.chart.revenue", language))
    return fig


@house_style
def tornado_chart(
    tornado: pd.DataFrame,
    *,
    labels: Sequence[str],
    first_stage: str,
    language: str = "en",
) -> Figure:
    """Horizontal bars: the first-stage total with each assumption at its low and high value.

    Parameters
    ----------
    tornado : DataFrame
        :func:`workbook.analysis.plan.tornado` (largest swing first): ``total_at_low``,
        ``total_at_high``, ``base_total``.
    labels : sequence of str
        Readable assumption names, same order
        (:func:`workbook.deliverables.final.tornado_labels`).
    first_stage : str
    """
    fig, ax = new_figure(height=0.6 * len(tornado) + 1.8)
    style_axes(ax, grid="x")
    base = float(tornado["base_total"].iloc[0])
    y = np.arange(len(tornado))[::-1]
    low = tornado["total_at_low"].to_numpy(float)
    high = tornado["total_at_high"].to_numpy(float)
    ax.barh(
        y, low - base, left=base, color=BAD, height=0.6, label=text("plan.legend.low", language)
    )
    ax.barh(
        y,
        high - base,
        left=base,
        color=ACCENT,
        height=0.6,
        label=text("plan.legend.high", language),
    )
    ax.axvline(base, color=INK, linewidth=1)
    for yy, a, b in zip(y, low, high, strict=True):
        for v in (a, b):
            ax.text(
                v,
                yy,
                f" {format_number(v, language)} ",
                va="center",
                ha="left" if v >= base else "right",
                fontsize=SMALL,
            )
    ax.set_yticks(y, [wrap_text(str(label), 28) for label in labels])
    span = max(np.abs(low - base).max(), np.abs(high - base).max(), 1.0)
    ax.set_xlim(base - span * 1.35, base + span * 1.35)
    ax.set_xlabel(text("plan.axis.leads", language, first_stage=stage_label(first_stage, language)))
    number_axis(ax, language, axis="x", count=True)
    legend_below(fig)
    ax.set_title(
        text("plan.chart.tornado", language, first_stage=stage_label(first_stage, language))
    )
    return fig


@house_style
def budget_chart(
    allocation: pd.DataFrame,
    *,
    ltv_cac: float | None,
    healthy_ratio: float,
    currency: str,
    language: str = "en",
) -> Figure:
    """Two panels: the plan's budget by channel, and its LTV:CAC against the healthy line.

    Parameters
    ----------
    allocation : DataFrame
        :func:`workbook.analysis.budget.plan_budget`: ``channel``, ``budget``.
    ltv_cac : float or None
        The implied ratio (None: CAC of 0, nothing to draw).
    healthy_ratio : float
        The line (3).
    """
    fig, (left, right) = new_figure(
        height=0.38 * len(allocation) + 2.6, ncols=2, gridspec_kw={"width_ratios": [2.2, 1]}
    )
    style_axes(left, grid="x")
    order = allocation.iloc[::-1]
    left.barh([pretty(c, language) for c in order["channel"]], order["budget"], color=ACCENT)
    left.set_xlabel(text("plan.axis.budget", language, currency=currency))
    left.set_ylabel(text("label.channel", language))
    number_axis(left, language, axis="x", currency=currency)
    left.tick_params(axis="x", labelrotation=30, labelrotation_mode="xtick")
    left.set_title(text("plan.chart.budget", language), fontsize=10)
    style_axes(right)
    value = float(ltv_cac) if ltv_cac is not None else 0.0
    color = ACCENT if value >= healthy_ratio else BAD
    right.bar([text("plan.label.ltv_cac", language)], [value], color=color, width=0.5)
    right.axhline(
        healthy_ratio,
        color=WARN,
        linestyle="--",
        label=text(
            "plan.legend.healthy",
            language,
            line=format_number(healthy_ratio, language),
        ),
    )
    right.text(0, value, format_number(value, language, decimals=1), ha="center", va="bottom")
    right.set_ylim(0, max(value, healthy_ratio) * 1.25)
    right.set_ylabel(text("plan.axis.ratio", language))
    number_axis(right, language)
    right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12))
    right.set_title(text("plan.chart.ltv_cac", language), fontsize=10)
    return fig


@house_style
def scenario_chart(
    scenarios: pd.DataFrame,
    *,
    first_stage: str,
    currency: str,
    language: str = "en",
) -> Figure:
    """Two panels, one bar per scenario: first-stage leads needed, and budget.

    Parameters
    ----------
    scenarios : DataFrame
        :func:`workbook.deliverables.final.scenario_table`: ``scenario`` (None = base plan),
        ``first_total``, ``budget``, ``ltv_cac``. When a budget is unknown (no spend
        provided) the budget panel is left out: only the leads are drawn.
    """
    names = [
        s if isinstance(s, str) and s else text("plan.scenario.base", language)
        for s in scenarios["scenario"]
    ]
    priced = bool(pd.to_numeric(scenarios["budget"], errors="coerce").notna().all())
    if priced:
        fig, (left, right) = new_figure(height=4.4, ncols=2)
    else:
        fig, left = new_figure(6, 4.4)
        right = None
    colors = [MUTED if s is None else ACCENT for s in scenarios["scenario"]]
    panels = [
        (
            left,
            "first_total",
            text("plan.chart.scenarios", language, first_stage=stage_label(first_stage, language)),
        )
    ]
    if right is not None:
        panels.append((right, "budget", text("plan.chart.scenarios_budget", language)))
    for ax, column, title in panels:
        style_axes(ax)
        values = scenarios[column].to_numpy(float)
        ax.bar(names, values, color=colors)
        for i, v in enumerate(values):
            shown = (
                format_money(v, currency, language)
                if column == "budget"
                else format_number(v, language)
            )
            ax.text(i, v, shown, ha="center", va="bottom", fontsize=SMALL)
        ax.set_xlabel(text("plan.label.scenario", language))
        ax.set_xticks(range(len(names)), [wrap_text(n, 14) for n in names])
        ax.tick_params(axis="x", labelsize=SMALL)
        ax.set_title(title, fontsize=10)
    left.set_ylabel(
        text("plan.axis.leads", language, first_stage=stage_label(first_stage, language))
    )
    number_axis(left, language, count=True)
    if right is not None:
        right.set_ylabel(text("plan.axis.budget", language, currency=currency))
        number_axis(right, language, currency=currency)
    return fig
