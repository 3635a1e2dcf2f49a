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
from workbook.deliverables.plots.palette import ACCENT, BAD, MUTED, PALETTE, WARN
from workbook.deliverables.plots.style import (
    figure_title,
    house_style,
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
    ax.set_xticks(x, [pretty(s, language) for s in data.index])
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
    ax.set_xticks(x, [pretty(c, language) for c in channels["channel"]])
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
    bar.ax.yaxis.set_major_formatter(percent_formatter(language))
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
        style_axes(ax, grid="x")
        rows = comparison.loc[comparison["metric"] == metric].reset_index(drop=True)
        y = np.arange(len(rows))[::-1]
        ax.hlines(y, rows["low"], rows["high"], color="#b0b0b0", linewidth=5)
        ax.plot(rows["typical"], y, "|", color="#555555", markersize=10)
        ax.scatter(rows["client"], y, color=[colors[p] for p in rows["position"]], zorder=3, s=36)
        labels = [
            f"{step_label(a, b, language)} · {seg} [{text(f'mid.quality.{q}', language)}]"
            for a, b, seg, q in zip(
                rows["from_stage"], rows["to_stage"], rows["segment"], rows["quality"], strict=True
            )
        ]
        ax.set_yticks(y, labels, fontsize=7)
        if metric == "conversion_rate":
            ax.set_xlim(0, 1)
            percent_axis(ax, language, axis="x")
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
    percent_axis(share_ax, language)
    share_ax.set_ylabel(text("mid.axis.marketing_share", language))
    handles = ax.get_legend_handles_labels()
    extra = share_ax.get_legend_handles_labels()
    ax.legend(handles[0] + extra[0], handles[1] + extra[1], loc="upper left", fontsize=8)
    ax.set_title(text("mid.chart.trend", language))
    return fig
