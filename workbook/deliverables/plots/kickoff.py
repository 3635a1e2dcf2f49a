"""Charts of the kickoff report."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from workbook.deliverables.plots.palette import (
    ACCENT,
    BAD,
    INK,
    INK_SOFT,
    MUTED,
    PALETTE,
    SEQUENTIAL,
)
from workbook.deliverables.plots.style import (
    SMALL,
    house_style,
    legend_below,
    new_figure,
    number_axis,
    small_multiples,
    style_axes,
)
from workbook.i18n import format_month, format_number, format_percent, pretty, stage_label, text

__all__ = [
    "bar_chart",
    "channel_mix_chart",
    "content_heatmap",
    "funnel_chart",
    "spend_chart",
    "stage_entries_chart",
]


@house_style
def stage_entries_chart(entries: pd.DataFrame, *, language: str = "en") -> Figure:
    """Small multiples: leads entering each stage per month.

    Parameters
    ----------
    entries : DataFrame
        :func:`workbook.analysis.baseline.stage_entries_by_month`.
    """
    stages = list(entries.columns)
    fig, axes = small_multiples(
        len(stages),
        panel_height=2.6,
        ylabel=text("label.leads", language),
        title=text("label.leads_per_month", language),
        sharex=True,
    )
    x = np.arange(len(entries))
    ticks = x[:: max(1, int(np.ceil(len(x) / 4)))]
    for ax, stage in zip(axes, stages, strict=False):
        style_axes(ax)
        ax.bar(x, entries[stage].to_numpy(), color=ACCENT, width=0.8)
        ax.set_title(stage_label(stage, language), fontsize=10)
        ax.set_xticks(
            ticks, [format_month(entries.index[i], language).replace(" ", "\n") for i in ticks]
        )
        ax.tick_params(labelsize=SMALL)
        number_axis(ax, language, count=True)
    return fig


@house_style
def funnel_chart(
    counts: pd.DataFrame, *, language: str = "en", rate_col: str = "naive_rate"
) -> Figure:
    """Horizontal bars of leads entering each stage; between two bars, the share of leads that
    pass the step (the lowest in red).

    Parameters
    ----------
    counts : DataFrame
        Columns ``from``, ``to``, ``entered``, ``converted`` and ``rate_col``, one row per
        adjacent stage pair (:func:`workbook.analysis.baseline.stage_counts`).
    """
    stages = [*counts["from"].tolist(), counts["to"].iloc[-1]]
    entered = [*counts["entered"].tolist(), int(counts["converted"].iloc[-1])]
    fig, ax = new_figure(height=0.6 * len(stages) + 1.2)
    style_axes(ax)
    ax.grid(False)
    y = np.arange(len(stages))[::-1]
    ax.barh(y, entered, color=ACCENT, height=0.65)
    weakest = counts[rate_col].astype(float).idxmin() if counts[rate_col].notna().any() else None
    top = max(entered) if entered else 1
    for i, (yy, n) in enumerate(zip(y, entered, strict=True)):
        ax.text(n + top * 0.01, yy, format_number(n, language), va="center", fontsize=SMALL)
        if i < len(counts):
            rate = counts[rate_col].iloc[i]
            ax.text(
                -top * 0.02,
                yy - 0.5,
                text("label.chart.pass", language, rate=format_percent(rate, language)),
                va="center",
                ha="right",
                fontsize=SMALL,
                color=BAD if i == weakest else INK_SOFT,
                fontweight="bold" if i == weakest else "normal",
            )
    ax.set_yticks(y, [stage_label(s, language) for s in stages])
    ax.set_xlim(-top * 0.2, top * 1.15)
    ax.set_xlabel(text("label.leads", language))
    number_axis(ax, language, axis="x", count=True)
    # the rates sit left of zero: no negative tick, and the axis line starts at zero
    ticks = ax.xaxis.get_major_locator().tick_values(0, top * 1.15)
    ax.set_xticks([t for t in ticks if 0 <= t <= top * 1.15])
    ax.spines["bottom"].set_bounds(0, top * 1.15)
    ax.set_title(text("kickoff.funnel", language))
    return fig


@house_style
def channel_mix_chart(mix: pd.DataFrame, *, language: str = "en") -> Figure:
    """Horizontal bars: leads per first-touch channel (:func:`workbook.analysis.baseline.channel_mix`)."""
    fig, ax = new_figure(height=0.4 * len(mix) + 1.4)
    style_axes(ax, grid="x")
    order = mix.iloc[::-1]
    ax.barh([pretty(c, language) for c in order["channel"]], order["leads"], color=ACCENT)
    for y, (n, share) in enumerate(zip(order["leads"], order["lead_share"], strict=True)):
        ax.text(n, y, f"  {format_percent(share, language)}", va="center", fontsize=SMALL)
    ax.set_xlim(0, float(order["leads"].max() or 1) * 1.12)
    ax.set_xlabel(text("label.leads", language))
    ax.set_ylabel(text("label.channel", language))
    number_axis(ax, language, axis="x", count=True)
    ax.set_title(text("kickoff.mix", language))
    return fig


@house_style
def spend_chart(
    pivot: pd.DataFrame, *, currency: str, language: str = "en", max_channels: int = 7
) -> Figure:
    """Stacked monthly spend by channel (:func:`workbook.analysis.baseline.spend_by_month`)."""
    data = pivot.copy()
    if data.shape[1] > max_channels:
        keep = list(data.columns[: max_channels - 1])
        data[text("label.other", language)] = data.drop(columns=keep).sum(axis=1)
        data = data[[*keep, text("label.other", language)]]
    fig, ax = new_figure(height=4.4)
    style_axes(ax)
    x = np.arange(len(data))
    bottom = np.zeros(len(data))
    other = text("label.other", language)
    for i, col in enumerate(data.columns):
        ax.bar(
            x,
            data[col],
            bottom=bottom,
            label=pretty(col, language),
            color=MUTED if col == other else PALETTE[i % len(PALETTE)],
        )
        bottom += data[col].to_numpy()
    ticks = x[:: max(1, int(np.ceil(len(x) / 6)))]
    ax.set_xticks(ticks, [format_month(data.index[i], language) for i in ticks])
    ax.set_xlabel(text("label.month", language))
    ax.set_ylabel(text("label.spend", language, currency=currency))
    number_axis(ax, language)
    legend_below(fig)
    ax.set_title(text("kickoff.spend", language))
    return fig


@house_style
def content_heatmap(
    matrix: pd.DataFrame, *, min_assets: int, language: str = "en", title: str | None = None
) -> Figure:
    """Persona x buying-stage asset counts; cells below ``min_assets`` outlined in red."""
    fig, ax = new_figure(8, 0.6 * len(matrix) + 1.8)
    ax.grid(False)
    values = matrix.to_numpy()
    image = ax.imshow(values, cmap=SEQUENTIAL, vmin=0, vmax=max(1, values.max()), aspect="auto")
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            gap = values[i, j] < min_assets
            ax.text(
                j,
                i,
                format_number(values[i, j], language),
                ha="center",
                va="center",
                color=BAD if gap else ("white" if values[i, j] > values.max() / 2 else INK),
                fontweight="bold" if gap else "normal",
            )
            if gap:
                ax.add_patch(
                    matplotlib.patches.Rectangle(
                        (j - 0.48, i - 0.48), 0.96, 0.96, fill=False, edgecolor=BAD, linewidth=2
                    )
                )
    ax.set_xticks(range(values.shape[1]), [pretty(c, language) for c in matrix.columns])
    ax.set_yticks(range(values.shape[0]), [pretty(r, language) for r in matrix.index])
    ax.set_xlabel(text("label.buying_stage", language))
    ax.set_ylabel(text("label.persona", language))
    bar = fig.colorbar(image, ax=ax, label=text("label.assets", language), shrink=0.8)
    number_axis(bar.ax, language, count=True)
    ax.set_title(title or text("kickoff.content", language))
    return fig


@house_style
def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    language: str = "en",
    percent: bool = False,
    count: bool = False,
    highlight: Sequence[bool] | None = None,
) -> Figure:
    """A plain vertical bar chart in the house style (``count``: whole-number ticks)."""
    fig, ax = new_figure(height=4)
    style_axes(ax)
    colors = [BAD if h else ACCENT for h in (highlight or [False] * len(values))]
    ax.bar(list(labels), list(values), color=colors)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    number_axis(ax, language, percent=percent, count=count)
    ax.tick_params(axis="x", labelrotation=30, labelrotation_mode="xtick")
    return fig
