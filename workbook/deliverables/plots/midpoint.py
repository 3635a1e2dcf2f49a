"""Charts of the mid-point insights report.

Each function takes what :mod:`workbook.analysis.kpis`, :mod:`workbook.deliverables.midpoint` or
:mod:`workbook.analysis.benchmarks` returned and gives back a matplotlib ``Figure`` with a title,
labelled axes and units; words come from the text catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from workbook.analysis.survival import CumulativeIncidence
from workbook.deliverables.plots.style import (
    ACCENT,
    BAD,
    MUTED,
    PALETTE,
    WARN,
    house_style,
    new_figure,
    number_axis,
    style_axes,
)
from workbook.i18n import format_month, format_number, format_percent, pretty, stage_label, text

__all__ = [
    "attribution_chart",
    "benchmark_chart",
    "channel_return_chart",
    "cohort_heatmap",
    "funnel_glass_chart",
    "incidence_curves_chart",
    "leakage_chart",
    "lift_trend_chart",
    "rates_chart",
    "velocity_curves_chart",
    "win_rate_chart",
]


def _step_name(a: str, b: str, language: str) -> str:
    return f"{stage_label(a, language)} → {stage_label(b, language)}"


def _percent_axis(ax, language: str, *, axis: str = "y", top: float | None = None) -> None:
    """Percent tick labels; one decimal when the axis tops out below 5 %."""
    if top is not None and top < 0.05:
        fmt = FuncFormatter(lambda v, _: format_percent(v, language, decimals=1))
        (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)
        return
    number_axis(ax, language, axis=axis, percent=True)


@house_style
def funnel_glass_chart(shape: pd.DataFrame, *, language: str = "en") -> Figure:
    """The funnel drawn as a glass: bar width = expected share of first-stage leads reaching
    each stage (:func:`workbook.deliverables.midpoint.funnel_shape`)."""
    fig, ax = new_figure(9, 0.6 * len(shape) + 1.4)
    ax.grid(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    y = np.arange(len(shape))[::-1]
    widths = shape["reach_share"].to_numpy(float)
    step = shape["step_rate"].to_numpy(float)
    colors = [
        BAD if (q and r < 0.5) else ACCENT
        for q, r in zip(shape["qualified_step"], np.nan_to_num(step, nan=1.0), strict=True)
    ]
    ax.barh(y, widths, left=-widths / 2, color=colors, height=0.7)
    for yy, w, r in zip(y, widths, step, strict=True):
        ax.text(0.52, yy, format_percent(w, language), va="center", fontsize=9)
        if np.isfinite(r):
            ax.text(
                -0.52,
                yy + 0.5,
                f"↓ {format_percent(r, language)}",
                va="center",
                ha="right",
                fontsize=8,
                color="#333333",
            )
    ax.set_yticks(y, [stage_label(s, language) for s in shape["stage"]])
    ax.set_xlim(-0.75, 0.75)
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
    fig, ax = new_figure(9, 4.2)
    style_axes(ax)
    x = np.arange(len(funnel))
    for offset, (col, low, high, key, color) in zip(
        (-0.12, 0.12),
        (
            ("rate", "rate_lower", "rate_upper", "mid.legend.rate", ACCENT),
            ("naive_rate", "naive_lower", "naive_upper", "mid.legend.naive", MUTED),
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
        x, [_step_name(a, b, language) for a, b in zip(funnel["from"], funnel["to"], strict=True)]
    )
    ax.tick_params(axis="x", labelsize=8)
    ax.set_ylim(0, 1)
    _percent_axis(ax, language)
    ax.set_xlabel(text("mid.axis.step", language))
    ax.set_ylabel(text("mid.axis.rate", language))
    ax.legend(loc="upper left", fontsize=8)
    ax.set_title(text("mid.chart.rates", language))
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
    fig, ax = new_figure(9, 0.5 * len(funnel) + 1.6)
    style_axes(ax)
    ax.grid(True, axis="x", color="#e6e6e6")
    ax.grid(False, axis="y")
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
        ecolor="#333333",
        capsize=3,
    )
    for yy, v in zip(y, leak, strict=True):
        ax.text(
            min(np.nan_to_num(v) + 0.02, 0.98),
            yy + 0.32,
            format_percent(v, language),
            fontsize=8,
            va="center",
        )
    ax.set_yticks(
        y, [_step_name(a, b, language) for a, b in zip(funnel["from"], funnel["to"], strict=True)]
    )
    ax.set_xlim(0, 1)
    _percent_axis(ax, language, axis="x")
    ax.set_xlabel(text("mid.axis.leakage", language))
    ax.set_ylabel(text("mid.axis.step", language))
    ax.set_title(text("mid.chart.leakage", language))
    return fig


def _draw_curve(ax, cif: CumulativeIncidence, *, horizon_days: float, color: str, label: str):
    t = cif.time_days
    keep = t <= horizon_days
    times = np.append(t[keep], horizon_days)
    values = np.append(cif.incidence[keep], cif.at(horizon_days))
    lower = np.append(cif.lower[keep], cif.band_at(horizon_days)[0])
    upper = np.append(cif.upper[keep], cif.band_at(horizon_days)[1])
    ax.fill_between(times, lower, upper, step="post", color=color, alpha=0.18, linewidth=0)
    ax.step(times, values, where="post", color=color, label=label, linewidth=1.6)


@house_style
def incidence_curves_chart(
    curves: Mapping[str, CumulativeIncidence],
    *,
    horizon_days: float,
    title: str,
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
    """
    fig, ax = new_figure(9, 4.2)
    style_axes(ax)
    for i, (label, cif) in enumerate(curves.items()):
        _draw_curve(
            ax, cif, horizon_days=horizon_days, color=PALETTE[i % len(PALETTE)], label=label
        )
    ax.set_xlim(0, horizon_days)
    ax.set_ylim(bottom=0)
    _percent_axis(ax, language, top=ax.get_ylim()[1])
    ax.set_xlabel(text("mid.axis.days_since_entry", language))
    ax.set_ylabel(text("mid.axis.cumulative_incidence", language))
    if curves:
        ax.legend(loc="upper left", fontsize=8)
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
    cols = 3
    nrows = max(1, int(np.ceil(len(rows) / cols)))
    fig, axes = new_figure(10, 2.8 * nrows, nrows=nrows, ncols=cols, sharey=False)
    axes = np.atleast_1d(axes).ravel()
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
                fontsize=7,
                color=WARN,
            )
        ax.set_xlim(0, horizon_days)
        ax.set_ylim(bottom=0)
        _percent_axis(ax, language, top=ax.get_ylim()[1])
        ax.set_title(_step_name(row["from"], row["to"], language), fontsize=9)
        ax.set_xlabel(text("mid.axis.days_since_entry", language), fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in axes[len(rows) :]:
        ax.set_visible(False)
    for ax in axes[::cols]:
        ax.set_ylabel(text("mid.axis.cumulative_incidence", language), fontsize=8)
    fig.suptitle(text("mid.chart.velocity", language), x=0.01, ha="left", fontweight="bold")
    return fig


@house_style
def win_rate_chart(by_source: pd.DataFrame, *, language: str = "en") -> Figure:
    """Win rate by source with Wilson intervals (:func:`workbook.analysis.kpis.source_outcomes`)."""
    data = by_source.loc[by_source["closed_count"] > 0]
    fig, ax = new_figure(9, 4)
    style_axes(ax)
    x = np.arange(len(data))
    rate = data["win_rate"].to_numpy(float)
    err = np.vstack(
        [
            rate - data["win_rate_lower"].to_numpy(float),
            data["win_rate_upper"].to_numpy(float) - rate,
        ]
    )
    colors = [ACCENT if s == "marketing" else MUTED for s in data.index]
    ax.bar(x, rate, color=colors, width=0.6)
    ax.errorbar(x, rate, yerr=np.clip(err, 0, None), fmt="none", ecolor="#333333", capsize=4)
    for xx, r, c in zip(x, rate, data["closed_count"], strict=True):
        ax.text(
            xx,
            0.01,
            text("mid.label.n_closed", language, count=format_number(int(c), language)),
            ha="center",
            va="bottom",
            fontsize=7,
            color="white",
        )
        ax.text(xx + 0.32, r, format_percent(r, language), fontsize=8, va="center")
    ax.set_xticks(x, [pretty(s) for s in data.index])
    ax.set_ylim(0, 1)
    _percent_axis(ax, language)
    ax.set_xlabel(text("mid.axis.source", language))
    ax.set_ylabel(text("mid.axis.win_rate", language))
    ax.set_title(text("mid.chart.win_rate", language))
    return fig


@house_style
def channel_return_chart(channels: pd.DataFrame, *, currency: str, language: str = "en") -> Figure:
    """Spend against first-touch won revenue per channel, ROI written above each pair.

    Parameters
    ----------
    channels : DataFrame
        :func:`workbook.analysis.kpis.channel_levers`.
    """
    fig, ax = new_figure(10, 4.4)
    style_axes(ax)
    x = np.arange(len(channels))
    spend = channels["spend"].to_numpy(float)
    revenue = channels["won_revenue"].to_numpy(float)
    ax.bar(x - 0.2, spend, width=0.4, color=WARN, label=text("mid.legend.spend", language))
    ax.bar(
        x + 0.2, revenue, width=0.4, color=ACCENT, label=text("mid.legend.won_revenue", language)
    )
    top = max(float(np.nanmax(np.r_[spend, revenue, 1.0])), 1.0)
    for xx, roi, s, r in zip(x, channels["roi"], spend, revenue, strict=True):
        label = "ROI " + format_number(roi, language, decimals=1) if np.isfinite(roi) else "-"
        ax.text(xx, max(s, r) + top * 0.02, label, ha="center", fontsize=8)
    ax.set_xticks(x, [pretty(c) for c in channels["channel"]])
    ax.tick_params(axis="x", labelrotation=20, labelsize=8)
    ax.set_ylim(0, top * 1.15)
    number_axis(ax, language)
    ax.set_xlabel(text("mid.axis.channel", language))
    ax.set_ylabel(text("mid.axis.money", language, currency=currency))
    ax.legend(loc="upper right", fontsize=8)
    ax.set_title(text("mid.chart.channel_return", language))
    return fig


@house_style
def attribution_chart(shares: pd.DataFrame, *, language: str = "en") -> Figure:
    """Share of won deals credited to each channel, one bar per attribution model.

    Parameters
    ----------
    shares : DataFrame
        :func:`workbook.deliverables.midpoint.attribution_shares`.
    """
    models = [c for c in shares.columns if c != "channel"]
    fig, ax = new_figure(10, 0.55 * len(shares) + 1.8)
    style_axes(ax)
    ax.grid(True, axis="x", color="#e6e6e6")
    ax.grid(False, axis="y")
    y = np.arange(len(shares))[::-1]
    height = 0.8 / max(1, len(models))
    for i, model in enumerate(models):
        ax.barh(
            y + 0.4 - height * (i + 0.5),
            np.nan_to_num(shares[model].to_numpy(float)),
            height=height,
            color=PALETTE[i % len(PALETTE)],
            label=text(f"mid.model.{model}", language),
        )
    ax.set_yticks(y, [pretty(c) for c in shares["channel"]])
    _percent_axis(ax, language, axis="x")
    ax.set_xlabel(text("mid.axis.won_share", language))
    ax.set_ylabel(text("mid.axis.channel", language))
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(text("mid.chart.attribution", language))
    return fig


@house_style
def cohort_heatmap(cohort: pd.DataFrame, *, stage: str, language: str = "en") -> Figure:
    """Monthly entry cohorts x months since entry: share reaching ``stage``; hatched cells
    are not observed yet (censored).

    Parameters
    ----------
    cohort : DataFrame
        :func:`workbook.analysis.kpis.cohort_conversion`.
    """
    values = cohort.to_numpy(float)
    fig, ax = new_figure(10, 0.28 * len(cohort) + 1.8)
    ax.grid(False)
    ax.add_patch(
        matplotlib.patches.Rectangle(
            (-0.5, -0.5),
            values.shape[1],
            values.shape[0],
            fill=False,
            hatch="///",
            edgecolor="#c8c8c8",
            linewidth=0,
            zorder=0,
        )
    )
    cmap = matplotlib.colormaps["Blues"].with_extremes(bad=(1, 1, 1, 0))
    vmax = float(np.nanmax(values)) if np.isfinite(values).any() else 1.0
    image = ax.imshow(
        np.ma.masked_invalid(values), cmap=cmap, vmin=0, vmax=max(vmax, 1e-9), aspect="auto"
    )
    if values.shape[0] * values.shape[1] <= 400:
        for i in range(values.shape[0]):
            for j in range(values.shape[1]):
                if np.isfinite(values[i, j]):
                    ax.text(
                        j,
                        i,
                        format_percent(values[i, j], language, decimals=0),
                        ha="center",
                        va="center",
                        fontsize=6,
                        color="white" if values[i, j] > vmax / 2 else "#222222",
                    )
    ax.set_xticks(range(values.shape[1]), [str(c) for c in cohort.columns])
    ax.set_yticks(range(values.shape[0]), [format_month(m, language) for m in cohort.index])
    ax.tick_params(axis="y", labelsize=7)
    ax.set_xlabel(text("mid.axis.months_since_entry", language))
    ax.set_ylabel(text("mid.axis.cohort", language))
    bar = fig.colorbar(image, ax=ax, shrink=0.8)
    bar.set_label(text("mid.axis.cohort_share", language, stage=stage_label(stage, language)))
    bar.ax.yaxis.set_major_formatter(
        FuncFormatter(lambda v, _: format_percent(v, language, decimals=0))
    )
    ax.set_title(text("mid.chart.cohort", language, stage=stage_label(stage, language)))
    return fig


@house_style
def benchmark_chart(comparison: pd.DataFrame, *, language: str = "en") -> Figure:
    """Each public range (grey line, typical value as a tick) and the client (dot): rates on
    the left, cycle lengths on the right.

    Parameters
    ----------
    comparison : DataFrame
        :func:`workbook.analysis.benchmarks.compare_to_benchmarks`.
    """
    metrics = [m for m in ("conversion_rate", "cycle_days") if (comparison["metric"] == m).any()]
    fig, axes = new_figure(
        10,
        0.32 * max(len(comparison), 4) + 1.8,
        ncols=max(1, len(metrics)),
        width_ratios=[2, 1][: max(1, len(metrics))] if len(metrics) == 2 else None,
    )
    axes = np.atleast_1d(axes).ravel()
    colors = {"below": BAD, "within": ACCENT, "above": "#3b8d5a", "": MUTED}
    for ax, metric in zip(axes, metrics, strict=False):
        style_axes(ax)
        ax.grid(True, axis="x", color="#e6e6e6")
        ax.grid(False, axis="y")
        rows = comparison.loc[comparison["metric"] == metric].reset_index(drop=True)
        y = np.arange(len(rows))[::-1]
        ax.hlines(y, rows["low"], rows["high"], color="#b0b0b0", linewidth=5)
        ax.plot(rows["typical"], y, "|", color="#555555", markersize=10)
        ax.scatter(rows["client"], y, color=[colors[p] for p in rows["position"]], zorder=3, s=36)
        labels = [
            f"{_step_name(a, b, language)} · {seg} [{text(f'mid.quality.{q}', language)}]"
            for a, b, seg, q in zip(
                rows["from_stage"], rows["to_stage"], rows["segment"], rows["quality"], strict=True
            )
        ]
        ax.set_yticks(y, labels, fontsize=7)
        if metric == "conversion_rate":
            ax.set_xlim(0, 1)
            _percent_axis(ax, language, axis="x")
            ax.set_xlabel(text("mid.axis.rate", language))
        else:
            ax.set_xlim(left=0)
            number_axis(ax, language, axis="x")
            ax.set_xlabel(text("mid.axis.days", language))
        ax.set_title(text(f"mid.chart.bench.{metric}", language), fontsize=10)
    handles = [
        matplotlib.lines.Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            color=colors[p],
            label=f"{text('mid.legend.client', language)}: {text(f'mid.position.{p}', language)}",
        )
        for p in ("below", "within", "above")
    ]
    handles.append(
        matplotlib.lines.Line2D(
            [], [], color="#b0b0b0", linewidth=5, label=text("mid.legend.range", language)
        )
    )
    fig.legend(handles=handles, loc="outside lower center", ncols=4, fontsize=8)
    fig.suptitle(text("mid.chart.benchmarks", language), x=0.01, ha="left", fontweight="bold")
    return fig


@house_style
def lift_trend_chart(monthly: pd.DataFrame, *, currency: str, language: str = "en") -> Figure:
    """Won revenue per month, marketing-sourced stacked under the rest, and marketing's share.

    Parameters
    ----------
    monthly : DataFrame
        :func:`workbook.analysis.kpis.lift_by_month`.
    """
    fig, ax = new_figure(10, 4.2)
    style_axes(ax)
    x = np.arange(len(monthly))
    marketing = monthly["marketing_won_revenue"].to_numpy(float)
    other = monthly["won_revenue"].to_numpy(float) - marketing
    ax.bar(x, marketing, color=ACCENT, label=text("mid.legend.marketing_revenue", language))
    ax.bar(
        x, other, bottom=marketing, color=MUTED, label=text("mid.legend.other_revenue", language)
    )
    ticks = x[:: max(1, len(x) // 8)]
    ax.set_xticks(ticks, [format_month(monthly["month"].iloc[i], language) for i in ticks])
    ax.tick_params(axis="x", labelsize=8)
    number_axis(ax, language)
    ax.set_xlabel(text("mid.axis.month", language))
    ax.set_ylabel(text("mid.axis.money", language, currency=currency))
    share_ax = ax.twinx()
    share_ax.plot(
        x,
        monthly["won_revenue_share"].to_numpy(float),
        color=WARN,
        marker="o",
        markersize=3,
        label=text("mid.legend.share", language),
    )
    share_ax.set_ylim(0, 1)
    share_ax.spines["top"].set_visible(False)
    share_ax.grid(False)
    _percent_axis(share_ax, language)
    share_ax.set_ylabel(text("mid.axis.marketing_share", language))
    handles = ax.get_legend_handles_labels()
    extra = share_ax.get_legend_handles_labels()
    ax.legend(handles[0] + extra[0], handles[1] + extra[1], loc="upper left", fontsize=8)
    ax.set_title(text("mid.chart.trend", language))
    return fig
