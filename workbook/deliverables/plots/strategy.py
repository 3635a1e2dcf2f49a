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

from workbook.deliverables.plots.palette import (
    ACCENT,
    BAD,
    FILL_BAD,
    FILL_GOOD,
    FILL_UNKNOWN,
    GOOD,
    INK,
    INK_SOFT,
    MUTED,
    PALETTE,
    SEQUENTIAL,
    WARN,
)
from workbook.deliverables.plots.style import (
    MAX_WIDTH,
    SMALL,
    house_style,
    legend_below,
    new_figure,
    number_axis,
    percent_formatter,
    style_axes,
    wrap_text,
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

#: Width of an average character, in ems, to wrap text to a width.
_EM_PER_CHAR = 0.58


@house_style
def tracks_grid_chart(
    tracks: pd.DataFrame, *, language: str = "en", wrap_chars: int | None = None
) -> Figure:
    """The conversation-track architecture: personas x buying stages, the buyer's question in
    each cell, gaps in red.

    Parameters
    ----------
    tracks : DataFrame
        :attr:`workbook.analysis.content.ContentReport.tracks`: ``persona``, ``buying_stage``,
        ``question``, ``asset_count``, ``status``.
    wrap_chars : int, optional
        Line width of the questions; default what a cell holds at the report's width.

    Without a content inventory (``status`` missing) every cell is neutral and shows the
    question alone: coverage is not known.
    """
    personas = list(pd.unique(tracks["persona"]))
    stages = list(pd.unique(tracks["buying_stage"]))
    cell_points = (MAX_WIDTH - 1.4) * 72 / max(len(stages), 1) * 0.88
    wrap_chars = wrap_chars or max(12, int(cell_points / (SMALL * _EM_PER_CHAR)))
    questions = [wrap_text(str(q), wrap_chars) for q in tracks["question"]]
    lines = max([q.count("\n") + 1 for q in questions] or [1])
    row_height = (lines + 2.2) * SMALL * 1.3 / 72 + 0.2
    fig, ax = new_figure(height=0.9 + row_height * len(personas))
    ax.set_xlim(-0.5, len(stages) - 0.5)
    ax.set_ylim(len(personas) - 0.5, -0.5)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    for row, question in zip(tracks.itertuples(index=False), questions, strict=True):
        i, j = personas.index(row.persona), stages.index(row.buying_stage)
        gap = row.status == "gap"
        known = isinstance(row.status, str)
        ax.add_patch(
            matplotlib.patches.FancyBboxPatch(
                (j - 0.47, i - 0.45),
                0.94,
                0.9,
                boxstyle="round,pad=0,rounding_size=0.04",
                facecolor=(FILL_BAD if gap else FILL_GOOD) if known else FILL_UNKNOWN,
                edgecolor=(BAD if gap else GOOD) if known else MUTED,
                linewidth=2 if gap else 0.8,
            )
        )
        ax.text(
            j,
            i - 0.38 if known else i,
            question,
            ha="center",
            va="top" if known else "center",
            fontsize=SMALL,
            color=INK,
        )
        if not known:
            continue
        ax.text(
            j,
            i + 0.38,
            text(
                f"strategy.chart.tracks.{row.status}",
                language,
                assets=format_number(int(row.asset_count), language),
            ),
            ha="center",
            va="bottom",
            fontsize=SMALL,
            color=INK,
            fontweight="bold" if gap else "normal",
        )
    ax.set_xticks(range(len(stages)), [pretty(s, language) for s in stages])
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(personas)), [wrap_text(pretty(p, language), 12) for p in personas])
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
    image = ax.imshow(values, cmap=SEQUENTIAL, vmin=0, vmax=max(values.max(), 0.01), aspect="auto")
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            best = values[i, j] > 0 and values[i, j] == values[:, j].max()
            ax.text(
                j,
                i,
                format_percent(values[i, j], language, decimals=0),
                ha="center",
                va="center",
                fontsize=SMALL,
                color="white" if values[i, j] > values.max() / 2 else INK,
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
    fig, ax = new_figure(height=0.42 * len(roadmap) + 2.0)
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
    ax.set_yticks(
        y,
        [wrap_text(textwrap.shorten(str(t), 76, placeholder="…"), 40) for t in roadmap["task"]],
    )
    ax.invert_yaxis()
    last = max(months(roadmap["end"].max()), 1)
    ticks = np.arange(0, last + 1, max(1, (last + 1) // 12))
    ax.set_xticks(
        ticks, [format_month(start + pd.DateOffset(months=int(m)), language) for m in ticks]
    )
    ax.tick_params(axis="x", labelrotation=30, labelrotation_mode="xtick", labelsize=SMALL)
    ax.tick_params(axis="y", labelsize=SMALL)
    ax.set_xlim(-0.3, last + 0.5)
    legend_below(fig)
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
    fig, ax = new_figure(height=4)
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
        color=INK,
        fontsize=SMALL,
        va="top",
    )  # fmt: skip
    ax.set_xlabel(text("strategy.chart.scores.x", language))
    ax.set_ylabel(text("strategy.chart.scores.y", language))
    number_axis(ax, language, percent=True)
    number_axis(ax, language, axis="x")
    ax.legend(loc="upper right")
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
        ax.text(0.01, base_rate, text("strategy.chart.pr.chance", language), ha="left",
                va="bottom", fontsize=SMALL, color=INK_SOFT)  # fmt: skip
    ax.scatter([recall], [precision], color=WARN, s=70, zorder=3)
    ax.annotate(
        text("strategy.chart.threshold", language,
             threshold=format_number(threshold, language, decimals=2)),
        (recall, precision),
        textcoords="offset points",
        xytext=(8, 8),
        fontsize=SMALL,
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

    The assets that stand out are numbered on the chart and named, by title, in a key below.

    Parameters
    ----------
    assets : DataFrame
        :attr:`workbook.analysis.content.ContentPerformance.assets`: ``views``, ``lift``,
        ``verdict``, ``asset_id``, ``title``. Assets without a verdict (``too_few``) are left
        out.
    """
    shown = assets.loc[(assets["verdict"] != "too_few") & assets["lift"].notna()]
    named = shown.loc[shown["verdict"] != "average"].sort_values("lift", ascending=False)
    key_rows = int(np.ceil(len(named) / 2))
    fig, (ax, key) = new_figure(
        height=4.6 + 0.22 * key_rows, nrows=2, height_ratios=[4.2, 0.05 + 0.22 * key_rows]
    )
    style_axes(ax)
    colors = {"moves_buyers": ACCENT, "average": MUTED, "collects_views": BAD}
    for verdict, color in colors.items():
        part = shown.loc[shown["verdict"] == verdict]
        if len(part) == 0:
            continue
        ax.scatter(part["views"].fillna(0).clip(lower=1), part["lift"], color=color, s=40,
                   label=text(f"strategy.verdict.{verdict}", language), zorder=3)  # fmt: skip
    names = []
    for number, row in enumerate(named.itertuples(index=False), start=1):
        ax.annotate(str(number), (max(row.views or 1, 1), row.lift), fontsize=SMALL,
                    fontweight="bold", textcoords="offset points", xytext=(4, 3))  # fmt: skip
        title = row.title if pd.notna(row.title) and str(row.title) else row.asset_id
        names.append(f"{number}. {textwrap.shorten(pretty(title, language), 48, placeholder='…')}")
    key.set_axis_off()
    for i, name in enumerate(names):
        key.text(0.5 * (i // max(key_rows, 1)), 1 - (i % max(key_rows, 1)) / max(key_rows, 1),
                 name, fontsize=SMALL, va="top", transform=key.transAxes)  # fmt: skip
    ax.axhline(1.0, color=INK_SOFT, linewidth=1, linestyle="--")
    if len(shown) == 0:
        ax.text(0.5, 0.5, text("strategy.verdict.too_few", language), transform=ax.transAxes,
                ha="center", va="center", color=INK_SOFT)  # fmt: skip
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(
        matplotlib.ticker.FuncFormatter(lambda v, _: format_number(v, language))
    )
    number_axis(ax, language)
    ax.set_xlabel(text("strategy.chart.performance.x", language))
    ax.set_ylabel(text("strategy.chart.performance.y", language))
    if len(shown):
        ax.legend()
    ax.set_title(text("strategy.chart.performance", language))
    return fig
