"""Charts of the final report's building blocks (:mod:`workbook.deliverables.strategy`).

The content heatmap is :func:`workbook.deliverables.plots.kickoff.content_heatmap` (gaps outlined), reused
with the final report's title.
"""

from __future__ import annotations

import textwrap

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from workbook.deliverables.plots.palette import ACCENT, BAD, MUTED, PALETTE, WARN
from workbook.deliverables.plots.style import (
    house_style,
    new_figure,
    number_axis,
    percent_formatter,
    style_axes,
)
from workbook.i18n import format_month, format_number, format_percent, pretty, stage_label, text

__all__ = [
    "channel_stage_heatmap",
    "content_performance_chart",
    "precision_recall_chart",
    "roadmap_chart",
    "score_distribution_chart",
    "tracks_grid_chart",
]

_COVERED, _GAP, _UNKNOWN = "#e3efe6", "#f6dcd5", "#f2f2f2"


@house_style
def tracks_grid_chart(
    tracks: pd.DataFrame, *, language: str = "en", wrap_chars: int = 30
) -> Figure:
    """The conversation-track architecture: personas x buying stages, the buyer's question in
    each cell, gaps in red.

    Parameters
    ----------
    tracks : DataFrame
        :attr:`workbook.analysis.content.ContentReport.tracks`: ``persona``, ``buying_stage``,
        ``question``, ``asset_count``, ``status``.
    wrap_chars : int
        Line width of the questions.

    Without a content inventory (``status`` missing) every cell is neutral and shows the
    question alone: coverage is not known.
    """
    personas = list(pd.unique(tracks["persona"]))
    stages = list(pd.unique(tracks["buying_stage"]))
    fig, ax = new_figure(2.0 + 2.9 * len(stages), 0.9 + 1.55 * len(personas))
    ax.set_xlim(-0.5, len(stages) - 0.5)
    ax.set_ylim(len(personas) - 0.5, -0.5)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    for row in tracks.itertuples(index=False):
        i, j = personas.index(row.persona), stages.index(row.buying_stage)
        gap = row.status == "gap"
        known = isinstance(row.status, str)
        ax.add_patch(
            matplotlib.patches.FancyBboxPatch(
                (j - 0.47, i - 0.45),
                0.94,
                0.9,
                boxstyle="round,pad=0,rounding_size=0.04",
                facecolor=(_GAP if gap else _COVERED) if known else _UNKNOWN,
                edgecolor=(BAD if gap else "#9bbfa5") if known else MUTED,
                linewidth=1.5 if gap else 0.8,
            )
        )
        ax.text(
            j,
            i - 0.08 if known else i,
            textwrap.fill(str(row.question), wrap_chars),
            ha="center",
            va="center",
            fontsize=8,
            color="#222222",
        )
        if not known:
            continue
        ax.text(
            j,
            i + 0.34,
            text(
                f"strategy.chart.tracks.{row.status}",
                language,
                assets=format_number(int(row.asset_count), language),
            ),
            ha="center",
            va="center",
            fontsize=8,
            color=BAD if gap else "#2f6b3f",
            fontweight="bold",
        )
    ax.set_xticks(range(len(stages)), [pretty(s, language) for s in stages])
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(personas)), [pretty(p, language) for p in personas])
    ax.tick_params(length=0)
    ax.set_title(text("strategy.chart.tracks", language))
    return fig


@house_style
def channel_stage_heatmap(shares: pd.DataFrame, *, language: str = "en") -> Figure:
    """The engagement-channel model: share of each buying stage's touches by channel.

    Parameters
    ----------
    shares : DataFrame
        :attr:`workbook.deliverables.strategy.StrategyReport.channel_model`: channels x buying stages,
        columns summing to 1.
    """
    fig, ax = new_figure(8, 0.45 * max(len(shares), 1) + 1.9)
    ax.grid(False)
    values = shares.to_numpy(float) if len(shares) else np.zeros((1, shares.shape[1]))
    image = ax.imshow(values, cmap="Blues", vmin=0, vmax=max(values.max(), 0.01), aspect="auto")
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            best = values[i, j] > 0 and values[i, j] == values[:, j].max()
            ax.text(
                j,
                i,
                format_percent(values[i, j], language, decimals=0),
                ha="center",
                va="center",
                fontsize=8,
                color="white" if values[i, j] > values.max() / 2 else "#222222",
                fontweight="bold" if best else "normal",
            )
    ax.set_xticks(range(shares.shape[1]), [pretty(c, language) for c in shares.columns])
    ax.set_yticks(range(len(shares)), [pretty(r, language) for r in shares.index])
    ax.set_xlabel(text("label.buying_stage", language))
    ax.set_ylabel(text("label.channel", language))
    fig.colorbar(
        image,
        ax=ax,
        label=text("strategy.chart.channels.share", language),
        shrink=0.8,
        format=percent_formatter(language),
    )
    ax.set_title(text("strategy.chart.channels", language))
    return fig


@house_style
def roadmap_chart(roadmap: pd.DataFrame, *, language: str = "en") -> Figure:
    """The implementation roadmap as a Gantt chart: one bar per task, review points as
    diamonds, coloured by workstream.

    Parameters
    ----------
    roadmap : DataFrame
        :attr:`workbook.deliverables.strategy.StrategyReport.roadmap`.
    """
    fig, ax = new_figure(10, 0.38 * len(roadmap) + 1.6)
    style_axes(ax, grid="x")
    streams = list(pd.unique(roadmap["workstream"]))
    colors = {w: PALETTE[i % len(PALETTE)] for i, w in enumerate(streams)}
    start = roadmap["start"].min()
    months = lambda t: (t.year - start.year) * 12 + (t.month - start.month)  # noqa: E731
    y = np.arange(len(roadmap))
    seen: set[str] = set()
    for k, row in enumerate(roadmap.itertuples(index=False)):
        left, right = months(row.start), months(row.end)
        label = None
        if row.workstream not in seen:
            label = text(f"strategy.roadmap.workstream.{row.workstream}", language)
            seen.add(row.workstream)
        if row.milestone:
            ax.scatter([left], [y[k]], marker="D", s=60, color=colors[row.workstream], label=label,
                       zorder=3)  # fmt: skip
        else:
            ax.barh(y[k], right - left, left=left, height=0.6, color=colors[row.workstream],
                    label=label)  # fmt: skip
    ax.set_yticks(y, [textwrap.shorten(str(t), 60, placeholder="…") for t in roadmap["task"]])
    ax.invert_yaxis()
    last = max(months(roadmap["end"].max()), 1)
    ticks = np.arange(0, last + 1, max(1, (last + 1) // 12))
    ax.set_xticks(
        ticks, [format_month(start + pd.DateOffset(months=int(m)), language) for m in ticks]
    )
    ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    ax.tick_params(axis="y", labelsize=8)
    ax.set_xlim(-0.3, last + 0.5)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title(text("strategy.chart.roadmap", language))
    return fig


@house_style
def score_distribution_chart(
    holdout: pd.DataFrame, *, threshold: float, target: str, language: str = "en", bins: int = 20
) -> Figure:
    """Holdout scores of leads that reached the target and of those that did not, with the
    recommended threshold.

    Parameters
    ----------
    holdout : DataFrame
        :attr:`workbook.analysis.scoring.ScoreReport.holdout`: ``score``, ``reached``.
    threshold : float
    target : str
    """
    fig, ax = new_figure(9, 4)
    style_axes(ax)
    edges = np.linspace(0.0, 1.0, bins + 1)
    reached = holdout["reached"].to_numpy(bool)
    score = holdout["score"].to_numpy(float)
    for mask, color, key in ((~reached, MUTED, "strategy.chart.scores.not"),
                             (reached, ACCENT, "strategy.chart.scores.reached")):  # fmt: skip
        counts, _ = np.histogram(score[mask], bins=edges)
        share = counts / max(mask.sum(), 1)
        ax.step(edges[:-1], share, where="post", color=color, linewidth=2,
                label=text(key, language, target=stage_label(target, language)))  # fmt: skip
    ax.axvline(threshold, color=BAD, linestyle="--", linewidth=1.5)
    ax.text(
        threshold,
        ax.get_ylim()[1] * 0.95,
        " " + text("strategy.chart.threshold", language,
                   threshold=format_number(threshold, language, decimals=2)),
        color=BAD,
        fontsize=8,
        va="top",
    )  # fmt: skip
    ax.set_xlabel(text("strategy.chart.scores.x", language))
    ax.set_ylabel(text("strategy.chart.scores.y", language))
    number_axis(ax, language, percent=True)
    ax.xaxis.set_major_formatter(
        matplotlib.ticker.FuncFormatter(lambda v, _: format_number(v, language, decimals=1))
    )
    ax.legend(fontsize=8)
    ax.set_title(text("strategy.chart.scores", language))
    return fig


@house_style
def precision_recall_chart(
    curve: pd.DataFrame,
    *,
    threshold: float,
    precision: float,
    recall: float,
    base_rate: float | None = None,
    language: str = "en",
) -> Figure:
    """Precision against recall on the holdout, the recommended threshold marked.

    Parameters
    ----------
    curve : DataFrame
        :attr:`workbook.analysis.scoring.ScoreReport.curve`.
    threshold, precision, recall : float
        The recommended threshold and its holdout precision and recall.
    base_rate : float, optional
        Precision of picking leads at random (drawn as a reference line).
    """
    fig, ax = new_figure(7, 4.5)
    style_axes(ax)
    ax.plot(curve["recall"], curve["precision"], color=ACCENT, linewidth=2)
    if base_rate is not None:
        ax.axhline(base_rate, color=MUTED, linestyle=":", linewidth=1.2)
        ax.text(0.99, base_rate, text("strategy.chart.pr.chance", language), ha="right",
                va="bottom", fontsize=8, color=MUTED)  # fmt: skip
    ax.scatter([recall], [precision], color=WARN, s=70, zorder=3)
    ax.annotate(
        text("strategy.chart.threshold", language,
             threshold=format_number(threshold, language, decimals=2)),
        (recall, precision),
        textcoords="offset points",
        xytext=(8, 8),
        fontsize=8,
    )  # fmt: skip
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(text("strategy.chart.pr.recall", language))
    ax.set_ylabel(text("strategy.chart.pr.precision", language))
    number_axis(ax, language, percent=True)
    number_axis(ax, language, axis="x", percent=True)
    ax.set_title(text("strategy.chart.pr", language))
    return fig


@house_style
def content_performance_chart(assets: pd.DataFrame, *, language: str = "en") -> Figure:
    """Views against progression: content that moves buyers versus content that collects views.

    Parameters
    ----------
    assets : DataFrame
        :attr:`workbook.analysis.content.ContentPerformance.assets`: ``views``, ``lift``, ``verdict``,
        ``asset_id``. Assets without a verdict (``too_few``) are left out.
    """
    fig, ax = new_figure(9, 4.5)
    style_axes(ax)
    shown = assets.loc[(assets["verdict"] != "too_few") & assets["lift"].notna()]
    colors = {"moves_buyers": ACCENT, "average": MUTED, "collects_views": BAD}
    for verdict, color in colors.items():
        part = shown.loc[shown["verdict"] == verdict]
        if len(part) == 0:
            continue
        ax.scatter(part["views"].fillna(0).clip(lower=1), part["lift"], color=color, s=40,
                   label=text(f"strategy.verdict.{verdict}", language), zorder=3)  # fmt: skip
        if verdict != "average":
            for row in part.itertuples(index=False):
                ax.annotate(str(row.asset_id), (max(row.views or 1, 1), row.lift), fontsize=7,
                            textcoords="offset points", xytext=(4, 3))  # fmt: skip
    ax.axhline(1.0, color="#555555", linewidth=1, linestyle="--")
    if len(shown) == 0:
        ax.text(0.5, 0.5, text("strategy.verdict.too_few", language), transform=ax.transAxes,
                ha="center", va="center", color=MUTED)  # fmt: skip
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(
        matplotlib.ticker.FuncFormatter(lambda v, _: format_number(v, language))
    )
    ax.set_xlabel(text("strategy.chart.performance.x", language))
    ax.set_ylabel(text("strategy.chart.performance.y", language))
    if len(shown):
        ax.legend(fontsize=8)
    ax.set_title(text("strategy.chart.performance", language))
    return fig
