"""Charts of the mid-point insights report.

The funnel's charts are in :mod:`workbook.deliverables.plots.funnel`. Each function takes what
:mod:`workbook.analysis.kpis`, :mod:`workbook.deliverables.midpoint` or
:mod:`workbook.analysis.benchmarks` returned and gives back a matplotlib ``Figure`` with a title,
labelled axes and units; words come from the text catalogue.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from workbook.deliverables.midpoint_facts import step_label
from workbook.deliverables.plots.palette import (
    ACCENT,
    BAD,
    GOOD,
    INK,
    INK_SOFT,
    MUTED,
    PALETTE,
    RANGE,
    SEQUENTIAL,
    WARN,
)
from workbook.deliverables.plots.style import (
    SMALL,
    figure_title,
    house_style,
    legend_below,
    new_figure,
    number_axis,
    percent_axis,
    percent_formatter,
    style_axes,
)
from workbook.i18n import format_month, format_number, format_percent, pretty, stage_label, text

__all__ = [
    "attribution_chart",
    "benchmark_chart",
    "channel_return_chart",
    "cohort_heatmap",
    "lift_trend_chart",
    "win_rate_chart",
]


@house_style
def win_rate_chart(by_source: pd.DataFrame, *, language: str = "en") -> Figure:
    """Win rate by source with Wilson intervals (:func:`workbook.analysis.kpis.source_outcomes`)."""
    data = by_source.loc[by_source["closed_count"] > 0]
    fig, ax = new_figure(height=4)
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
    ax.errorbar(x, rate, yerr=np.clip(err, 0, None), fmt="none", ecolor=INK, capsize=4)
    for xx, r in zip(x, rate, strict=True):
        ax.text(xx + 0.32, r, format_percent(r, language), fontsize=SMALL, va="center")
    ax.set_xticks(
        x,
        [
            f"{pretty(s, language)}\n"
            + text("mid.label.n_closed", language, count=format_number(int(c), language))
            for s, c in zip(data.index, data["closed_count"], strict=True)
        ],
    )
    ax.set_ylim(0, 1)
    percent_axis(ax, language)
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
    fig, ax = new_figure(height=4.6)
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
        label = "ROI " + format_number(roi, language, decimals=1) if np.isfinite(roi) else ""
        ax.text(xx, max(s, r) + top * 0.02, label, ha="center", fontsize=SMALL)
    ax.set_xticks(x, [pretty(c, language) for c in channels["channel"]])
    ax.tick_params(axis="x", labelrotation=30, labelrotation_mode="xtick", labelsize=SMALL)
    ax.set_ylim(0, top * 1.15)
    number_axis(ax, language)
    ax.set_xlabel(text("mid.axis.channel", language))
    ax.set_ylabel(text("mid.axis.money", language, currency=currency))
    ax.legend(loc="upper right")
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
    fig, ax = new_figure(height=0.6 * len(shares) + 1.8)
    style_axes(ax, grid="x")
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
    ax.set_yticks(y, [pretty(c, language) for c in shares["channel"]])
    percent_axis(ax, language, axis="x")
    ax.set_xlabel(text("mid.axis.won_share", language))
    ax.set_ylabel(text("mid.axis.channel", language))
    legend_below(fig)
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
    fig, ax = new_figure(height=0.3 * len(cohort) + 1.9)
    ax.grid(False)
    ax.add_patch(
        matplotlib.patches.Rectangle(
            (-0.5, -0.5),
            values.shape[1],
            values.shape[0],
            fill=False,
            hatch="///",
            edgecolor=RANGE,
            linewidth=0,
            zorder=0,
        )
    )
    cmap = matplotlib.colormaps[SEQUENTIAL].with_extremes(bad=(1, 1, 1, 0))
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
                        fontsize=SMALL,
                        color="white" if values[i, j] > vmax / 2 else INK,
                    )
    ax.set_xticks(range(values.shape[1]), [str(c) for c in cohort.columns])
    ax.set_yticks(range(values.shape[0]), [format_month(m, language) for m in cohort.index])
    ax.tick_params(labelsize=SMALL)
    ax.set_xlabel(text("mid.axis.months_since_entry", language))
    ax.set_ylabel(text("mid.axis.cohort", language))
    bar = fig.colorbar(image, ax=ax, shrink=0.8)
    bar.set_label(text("mid.axis.cohort_share", language, stage=stage_label(stage, language)))
    bar.ax.yaxis.set_major_formatter(percent_formatter(language))
    ax.set_title(text("mid.chart.cohort", language, stage=stage_label(stage, language)))
    return fig


#: Whether a higher figure is better, per benchmark metric.
_HIGHER_IS_BETTER = {"conversion_rate": True, "cycle_days": False}


def _verdict(metric: str, position: str) -> str:
    """``better``, ``within`` or ``worse`` than the public range (empty: no client figure):
    above the range is better for a rate, worse for a cycle length."""
    if position in ("", "within"):
        return position
    return "better" if (position == "above") == _HIGHER_IS_BETTER[metric] else "worse"


@house_style
def benchmark_chart(comparison: pd.DataFrame, *, language: str = "en") -> Figure:
    """Each public range (grey line, typical value as a tick) and the client (dot): rates on
    top, cycle lengths below. The dot is green when the client does better than the range,
    red when worse: a rate above its range is better, a cycle length above it is worse.

    Parameters
    ----------
    comparison : DataFrame
        :func:`workbook.analysis.benchmarks.compare_to_benchmarks` (the quality of each
        source is in the report's table beside the chart).
    """
    metrics = [m for m in ("conversion_rate", "cycle_days") if (comparison["metric"] == m).any()]
    counts = [int((comparison["metric"] == m).sum()) for m in metrics] or [1]
    fig, axes = new_figure(
        height=0.34 * sum(counts) + 1.5 * len(counts) + 0.8,
        nrows=len(counts),
        height_ratios=[c + 1.5 for c in counts],
    )
    axes = np.atleast_1d(axes).ravel()
    colors = {"worse": BAD, "within": ACCENT, "better": GOOD, "": MUTED}
    for ax, metric in zip(axes, metrics, strict=False):
        style_axes(ax, grid="x")
        rows = comparison.loc[comparison["metric"] == metric].reset_index(drop=True)
        y = np.arange(len(rows))[::-1]
        ax.hlines(y, rows["low"], rows["high"], color=RANGE, linewidth=5)
        ax.plot(rows["typical"], y, "|", color=INK_SOFT, markersize=10)
        verdicts = [_verdict(metric, p) for p in rows["position"]]
        ax.scatter(rows["client"], y, color=[colors[v] for v in verdicts], zorder=3, s=40)
        labels = [
            f"{step_label(a, b, language)} · {pretty(seg, language)}"
            for a, b, seg in zip(rows["from_stage"], rows["to_stage"], rows["segment"], strict=True)
        ]
        ax.set_yticks(y, labels, fontsize=SMALL)
        ax.set_ylim(-0.7, len(rows) - 0.3)
        if metric == "conversion_rate":
            ax.set_xlim(0, 1)
            percent_axis(ax, language, axis="x")
            ax.set_xlabel(text("mid.axis.rate", language))
        else:
            ax.set_xlim(left=0)
            number_axis(ax, language, axis="x", count=True)
            ax.set_xlabel(text("mid.axis.days", language))
        ax.set_title(text(f"mid.chart.bench.{metric}", language), fontsize=10)
    handles = [
        matplotlib.lines.Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            color=colors[v],
            label=text(f"mid.chart.bench.{v}", language),
        )
        for v in ("better", "within", "worse")
    ]
    handles.append(
        matplotlib.lines.Line2D(
            [], [], color=RANGE, linewidth=5, label=text("mid.legend.range", language)
        )
    )
    legend_below(fig, handles, [h.get_label() for h in handles])
    figure_title(fig, text("mid.chart.benchmarks", language))
    return fig


@house_style
def lift_trend_chart(monthly: pd.DataFrame, *, currency: str, language: str = "en") -> Figure:
    """Won revenue per month, marketing-sourced stacked under the rest, and marketing's share.

    Parameters
    ----------
    monthly : DataFrame
        :func:`workbook.analysis.kpis.lift_by_month`.
    """
    fig, ax = new_figure(height=4.2)
    style_axes(ax)
    x = np.arange(len(monthly))
    marketing = monthly["marketing_won_revenue"].to_numpy(float)
    other = monthly["won_revenue"].to_numpy(float) - marketing
    ax.bar(x, marketing, color=ACCENT, label=text("mid.legend.marketing_revenue", language))
    ax.bar(
        x, other, bottom=marketing, color=MUTED, label=text("mid.legend.other_revenue", language)
    )
    ticks = x[:: max(1, int(np.ceil(len(x) / 6)))]
    ax.set_xticks(ticks, [format_month(monthly["month"].iloc[i], language) for i in ticks])
    ax.tick_params(axis="x", labelsize=SMALL)
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
    percent_axis(share_ax, language)
    share_ax.set_ylabel(text("mid.axis.marketing_share", language))
    handles = ax.get_legend_handles_labels()
    extra = share_ax.get_legend_handles_labels()
    ax.legend(handles[0] + extra[0], handles[1] + extra[1], loc="upper left")
    ax.set_title(text("mid.chart.trend", language))
    return fig
