"""Charts of the funnel in the mid-point insights report: its shape, stage rates, leakage,
cumulative incidence and velocity curves.

Each function takes what :mod:`workbook.analysis.kpis` or :mod:`workbook.deliverables.midpoint`
returned and gives back a matplotlib ``Figure`` with a title, labelled axes and units; words
come from the text catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from workbook.analysis.survival import CumulativeIncidence
from workbook.deliverables.midpoint_facts import step_label
from workbook.deliverables.plots.palette import ACCENT, BAD, INK, INK_SOFT, MUTED, PALETTE, WARN
from workbook.deliverables.plots.style import (
    SMALL,
    house_style,
    new_figure,
    number_axis,
    percent_axis,
    small_multiples,
    style_axes,
)
from workbook.i18n import format_number, format_percent, stage_label, text

__all__ = [
    "funnel_glass_chart",
    "incidence_curves_chart",
    "leak_cost_chart",
    "leakage_chart",
    "rates_chart",
    "velocity_curves_chart",
]


@house_style
def funnel_glass_chart(
    shape: pd.DataFrame, *, highlight: tuple | None = None, language: str = "en"
) -> Figure:
    """The funnel drawn as a glass: bar width = expected share of first-stage leads reaching
    each stage (:func:`workbook.deliverables.midpoint.funnel_shape`); between two stages, the
    share of leads that pass the step.

    Parameters
    ----------
    shape : DataFrame
        :func:`workbook.deliverables.midpoint.funnel_shape`.
    highlight : tuple, optional
        ``(from, to, ...)`` of the step to fix (the report's ``biggest_leak``, as
        :func:`leakage_chart` draws it): its stage and its rate in red. Default: every
        qualified step passing fewer than half of its leads.
    """
    fig, ax = new_figure(height=0.65 * len(shape) + 1.4)
    ax.grid(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    y = np.arange(len(shape))[::-1]
    widths = shape["reach_share"].to_numpy(float)
    step = shape["step_rate"].to_numpy(float)
    stages = shape["stage"].astype(str).tolist()
    if highlight is not None:
        marked = [
            i > 0 and stages[i - 1] == highlight[0] and s == highlight[1]
            for i, s in enumerate(stages)
        ]
    else:
        marked = [
            bool(q and r < 0.5)
            for q, r in zip(shape["qualified_step"], np.nan_to_num(step, nan=1.0), strict=True)
        ]
    ax.barh(y, widths, left=-widths / 2, color=[BAD if m else ACCENT for m in marked], height=0.7)
    for yy, w, r, m in zip(y, widths, step, marked, strict=True):
        ax.text(0.52, yy, format_percent(w, language), va="center", fontsize=SMALL)
        if np.isfinite(r):
            ax.text(
                -0.52,
                yy + 0.5,
                text("label.chart.pass", language, rate=format_percent(r, language)),
                va="center",
                ha="right",
                fontsize=SMALL,
                color=BAD if m else INK_SOFT,
                fontweight="bold" if m else "normal",
            )
    ax.set_yticks(y, [stage_label(s, language) for s in shape["stage"]])
    ax.set_xlim(-0.8, 0.75)
    ax.set_xticks([])
    ax.set_xlabel(text("mid.axis.reach_share", language))
    ax.set_title(text("mid.chart.glass", language))
    return fig


@house_style
def rates_chart(funnel: pd.DataFrame, *, language: str = "en") -> Figure:
    """Each step's censoring-aware rate (with its band) beside the naive rate (Wilson).

    Parameters
    ----------
    funnel : DataFrame
        :func:`workbook.analysis.kpis.funnel_rates`.
    """
    fig, ax = new_figure(height=4.2)
    style_axes(ax)
    x = np.arange(len(funnel))
    for offset, (col, low, high, key, color) in zip(
        (-0.12, 0.12),
        (
            ("rate", "rate_lower", "rate_upper", "mid.legend.rate", ACCENT),
            ("naive_rate", "naive_lower", "naive_upper", "mid.legend.naive", INK_SOFT),
        ),
        strict=True,
    ):
        value = funnel[col].to_numpy(float)
        err = np.vstack([value - funnel[low].to_numpy(float), funnel[high].to_numpy(float) - value])
        ax.errorbar(
            x + offset,
            value,
            yerr=np.nan_to_num(np.clip(err, 0, None)),
            fmt="o",
            color=color,
            capsize=4,
            label=text(key, language),
        )
    ax.set_xticks(
        x, [step_label(a, b, language) for a, b in zip(funnel["from"], funnel["to"], strict=True)]
    )
    ax.tick_params(axis="x", labelsize=SMALL)
    ax.set_xlim(-0.6, len(funnel) - 0.4)  # one step ([opportunity, won]) stays centred
    ax.set_ylim(0, 1)
    percent_axis(ax, language)
    ax.set_xlabel(text("mid.axis.step", language))
    ax.set_ylabel(text("mid.axis.rate", language))
    ax.legend(loc="upper left")
    ax.set_title(text("mid.chart.rates", language))
    return fig


@house_style
def leak_cost_chart(leaks: pd.DataFrame, *, language: str = "en") -> Figure:
    """Won deals each step's losses cost: the leak rule's own measure, drawn as the rule ranks.

    The leak to fix (rank 1 of :func:`workbook.analysis.leaks.leak_costs`) is drawn in red;
    a step the rule does not rank (qualification, the first step) in grey and labelled so,
    the others in blue. Each bar is labelled with its won deals lost and the share of leads
    the step loses, so the chart, the text and the summary read the same figures.

    Parameters
    ----------
    leaks : DataFrame
        :func:`workbook.analysis.leaks.leak_costs`.
    """
    fig, ax = new_figure(height=0.55 * len(leaks) + 1.6)
    style_axes(ax, grid="x")
    won = np.nan_to_num(leaks["won_lost"].to_numpy(float))
    ranked = leaks["ranked"].to_numpy(bool)
    rank = leaks["rank"].to_numpy(int)
    y = np.arange(len(leaks))[::-1]
    colors = [
        MUTED if not r else BAD if k == 1 else ACCENT for r, k in zip(ranked, rank, strict=True)
    ]
    ax.barh(y, won, color=colors, height=0.6)
    top = float(won.max()) if len(won) and won.max() > 0 else 1.0
    for yy, value, rate, is_ranked in zip(y, won, leaks["rate"], ranked, strict=True):
        words = text(
            "mid.chart.leak_cost.label",
            language,
            won=format_number(value, language),
            rate=format_percent(1.0 - float(rate), language),
        )
        if not is_ranked:
            words += "\n" + text("mid.chart.leak_cost.not_ranked", language)
        ax.text(value + top * 0.02, yy, words, fontsize=SMALL, va="center",
                color=INK if is_ranked else INK_SOFT)  # fmt: skip
    ax.set_yticks(
        y, [step_label(a, b, language) for a, b in zip(leaks["from"], leaks["to"], strict=True)]
    )
    ax.set_xlim(0, top * 1.7)
    number_axis(ax, language, axis="x", count=True)
    ax.set_xlabel(text("mid.axis.leak_cost", language))
    ax.set_ylabel(text("mid.axis.step", language))
    ax.set_title(text("mid.chart.leak_cost", language))
    return fig


@house_style
def leakage_chart(
    funnel: pd.DataFrame, *, highlight: tuple | None = None, language: str = "en"
) -> Figure:
    """Share of leads lost at each step (1 - rate), with the band.

    Parameters
    ----------
    funnel : DataFrame
        :func:`workbook.analysis.kpis.funnel_rates`.
    highlight : tuple, optional
        ``(from, to, ...)`` of the step drawn in red (default: the largest leak).
    """
    fig, ax = new_figure(height=0.55 * len(funnel) + 1.6)
    style_axes(ax, grid="x")
    leak = 1.0 - funnel["rate"].to_numpy(float)
    low = 1.0 - funnel["rate_upper"].to_numpy(float)
    high = 1.0 - funnel["rate_lower"].to_numpy(float)
    y = np.arange(len(funnel))[::-1]
    worst = int(np.nanargmax(leak)) if np.isfinite(leak).any() else -1
    if highlight is not None:
        match = np.flatnonzero(
            (funnel["from"].astype(str) == highlight[0]).to_numpy()
            & (funnel["to"].astype(str) == highlight[1]).to_numpy()
        )
        worst = int(match[0]) if len(match) else worst
    colors = [BAD if i == worst else ACCENT for i in range(len(funnel))]
    ax.barh(y, np.nan_to_num(leak), color=colors, height=0.6)
    ax.errorbar(
        np.nan_to_num(leak),
        y,
        xerr=np.nan_to_num(np.clip(np.vstack([leak - low, high - leak]), 0, None)),
        fmt="none",
        ecolor=INK,
        capsize=3,
    )
    for yy, v in zip(y, leak, strict=True):
        ax.text(
            min(np.nan_to_num(v) + 0.02, 0.86),
            yy + 0.36,
            text("label.chart.lost", language, rate=format_percent(v, language)),
            fontsize=SMALL,
            va="center",
        )
    ax.set_yticks(
        y, [step_label(a, b, language) for a, b in zip(funnel["from"], funnel["to"], strict=True)]
    )
    ax.set_xlim(0, 1)
    percent_axis(ax, language, axis="x")
    ax.set_xlabel(text("mid.axis.leakage", language))
    ax.set_ylabel(text("mid.axis.step", language))
    ax.set_title(text("mid.chart.leakage", language))
    return fig


def _draw_curve(
    ax, cif: CumulativeIncidence, *, horizon_days: float, color: str, label: str, band: float = 0.18
):
    t = cif.time_days
    keep = t <= horizon_days
    times = np.append(t[keep], horizon_days)
    values = np.append(cif.incidence[keep], cif.at(horizon_days))
    lower = np.append(cif.lower[keep], cif.band_at(horizon_days)[0])
    upper = np.append(cif.upper[keep], cif.band_at(horizon_days)[1])
    ax.fill_between(times, lower, upper, step="post", color=color, alpha=band, linewidth=0)
    ax.step(times, values, where="post", color=color, label=label, linewidth=1.6)


@house_style
def incidence_curves_chart(
    curves: Mapping[str, CumulativeIncidence],
    *,
    horizon_days: float,
    title: str,
    ylabel: str | None = None,
    language: str = "en",
) -> Figure:
    """Cumulative incidence curves (one per label) with their confidence bands.

    Parameters
    ----------
    curves : mapping
        Legend label -> :class:`~workbook.analysis.survival.CumulativeIncidence`.
    horizon_days : float
        Right end of the x axis.
    title : str
    ylabel : str, optional
        What the curves measure (``Share of SQLs won``); "Share moved on" when not given.
    """
    fig, ax = new_figure(height=4.2)
    style_axes(ax)
    for i, (label, cif) in enumerate(curves.items()):
        _draw_curve(
            ax,
            cif,
            horizon_days=horizon_days,
            color=PALETTE[i % len(PALETTE)],
            label=label,
            band=0.18 if len(curves) == 1 else 0.08,  # overlapping bands stay readable
        )
    ax.set_xlim(0, horizon_days)
    ax.set_ylim(bottom=0)
    percent_axis(ax, language)
    number_axis(ax, language, axis="x", count=True)
    ax.set_xlabel(text("mid.axis.days_since_entry", language))
    ax.set_ylabel(ylabel or text("mid.axis.cumulative_incidence", language))
    if curves:
        ax.legend(loc="upper left")
    ax.set_title(title)
    return fig


@house_style
def velocity_curves_chart(
    curves: Mapping[tuple[str, str], CumulativeIncidence],
    velocity: pd.DataFrame,
    *,
    horizon_days: float,
    language: str = "en",
) -> Figure:
    """Small multiples: for each step, the share of leads having moved on by day t (band
    shaded), the median time among converters marked.

    Parameters
    ----------
    curves : mapping
        ``(from, to)`` -> cumulative incidence (:attr:`workbook.analysis.kpis.KpiReport.curves`).
    velocity : DataFrame
        :func:`workbook.analysis.kpis.velocity_table` (its ``median_days`` is marked).
    """
    rows = [r for r in velocity.to_dict("records") if (r["from"], r["to"]) in curves]
    fig, axes = small_multiples(
        len(rows),
        panel_height=2.8,
        ylabel=text("mid.axis.cumulative_incidence", language),
        title=text("mid.chart.velocity", language),
    )
    for ax, row in zip(axes, rows, strict=False):
        style_axes(ax)
        cif = curves[(row["from"], row["to"])]
        _draw_curve(ax, cif, horizon_days=horizon_days, color=ACCENT, label="")
        median = row["median_days"]
        if np.isfinite(median):
            ax.axvline(median, color=WARN, linestyle="--", linewidth=1)
            ax.text(
                median,
                ax.get_ylim()[1] * 0.05,
                f" {format_number(median, language)} {text('mid.unit.days', language)}",
                fontsize=SMALL,
                color=INK,
            )
        ax.set_xlim(0, horizon_days)
        ax.set_ylim(bottom=0)
        percent_axis(ax, language)
        number_axis(ax, language, axis="x", count=True)
        ax.set_title(step_label(row["from"], row["to"], language), fontsize=10)
        ax.set_xlabel(text("mid.axis.days_since_entry", language), fontsize=SMALL)
        ax.tick_params(labelsize=SMALL)
    return fig
