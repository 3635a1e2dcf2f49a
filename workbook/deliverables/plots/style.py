"""The house style every chart uses, and the helpers to draw in it.

Each chart function (in the sibling modules) takes the frame an analysis returned and gives
back a matplotlib ``Figure`` with a title, labelled axes and units; words come from
:mod:`workbook.i18n`. Nothing here computes a figure the analyses did not.

Legibility: the reports embed each chart as a PNG saved at :data:`DPI` and shown at most as
wide as the report's column (:data:`REPORT_COLUMN_PX`, ``templates/report.css``). A chart no
wider than :data:`MAX_WIDTH` inches is shown at its own pixel size, so a text of ``s`` points
reads as ``s * DPI / 96`` CSS points (:func:`displayed_points`); :func:`new_figure` never makes
a wider one, and no chart writes smaller than :data:`SMALL` points.
"""

from __future__ import annotations

import functools
import re
import textwrap
from collections.abc import Callable
from typing import ParamSpec

import matplotlib
import numpy as np

matplotlib.use("Agg", force=False)

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.ticker import Formatter, MaxNLocator  # noqa: E402

from workbook.deliverables.plots.palette import GRID, INK, PALETTE  # noqa: E402
from workbook.i18n import format_money, format_number, format_percent  # noqa: E402

P = ParamSpec("P")

#: Resolution the reports save charts at (:func:`workbook.deliverables.display.figure_html`).
DPI = 110
#: Width of the report's column in CSS pixels in a 1280 px window: ``main.wb-report`` is at
#: most 1000 px wide with 1.5rem (24 px) of padding each side (``templates/report.css``).
REPORT_COLUMN_PX = 952
#: The widest chart (inches) the column shows at its own size, never scaled down.
MAX_WIDTH = REPORT_COLUMN_PX / DPI
#: The smallest text a chart writes (points): annotations, cell labels, small legends.
SMALL = 9.0
#: The smallest text a reader may see, in CSS points (a CSS inch is 96 px).
MIN_DISPLAYED_POINTS = 9.0

STYLE = {
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "figure.titlesize": 12,
    "figure.titleweight": "bold",
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": SMALL,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": GRID,
    "text.color": INK,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "legend.frameon": False,
    "figure.constrained_layout.use": True,
    "text.parse_math": False,  # a value holding "$" (a channel "$x$") is text, not TeX
}


def displayed_points(
    size_points: float,
    figure_width: float,
    *,
    dpi: float = DPI,
    column_px: float = REPORT_COLUMN_PX,
) -> float:
    """How large a text of ``size_points`` reads in the report, in CSS points.

    The PNG is ``figure_width * dpi`` pixels wide and shown at that size, or scaled down to
    the column when wider (``max-width: 100%``); a CSS point is 96/72 CSS pixels.

    Parameters
    ----------
    size_points : float
        The text's size in the figure (matplotlib points).
    figure_width : float
        The figure's width in inches.
    dpi : float
        Resolution the PNG is saved at.
    column_px : float
        Width of the report's column (CSS pixels).

    Examples
    --------
    >>> round(displayed_points(9, 8), 2)  # 880 px wide: shown at its own size
    10.31
    >>> round(displayed_points(8, 10), 2)  # 1100 px shown at 952: scaled by 0.865
    7.93
    """
    scale = min(1.0, column_px / (figure_width * dpi))
    return size_points * dpi / 96 * scale


def house_style(func: Callable[P, Figure]) -> Callable[P, Figure]:
    """Draw inside the house style without changing matplotlib's global settings; titles too
    long for their chart are wrapped (:func:`fit_titles`)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Figure:
        with plt.rc_context(STYLE):
            fig = func(*args, **kwargs)
            fit_titles(fig)
            return fig

    return wrapper


def new_figure(width: float = MAX_WIDTH, height: float = 4.2, **kwargs) -> tuple[Figure, object]:
    """A figure (not registered with pyplot's global state, so never leaked or shown twice),
    at most :data:`MAX_WIDTH` inches wide so the report never shrinks its text."""
    fig = Figure(figsize=(min(width, MAX_WIDTH), height), layout="constrained")
    return fig, fig.subplots(**kwargs)


def fit_titles(fig: Figure) -> None:
    """Wrap every title onto as many lines as it needs: an axes' title within the axes, the
    figure's title within the figure.

    A title is first wrapped to its column of the grid (so the layout never squeezes the axes
    to make room for it), then, once the figure is laid out, to its axes.
    """
    right = fig.bbox.x1 - 0.01 * fig.bbox.width
    for artist in fig.texts:
        if artist.get_text() and artist.get_text() == fig.get_suptitle():
            _wrap(artist, right - artist.get_window_extent().x0)
    columns = {}
    for ax, artist in _axes_titles(fig):
        spec = ax.get_subplotspec()
        share = 1.0
        if spec is not None:
            ratios = np.asarray(spec.get_gridspec().get_width_ratios(), dtype=float)
            share = ratios[spec.colspan.start : spec.colspan.stop].sum() / ratios.sum()
        columns[artist] = share * fig.bbox.width
        _wrap(artist, 0.96 * columns[artist])
    fig.draw_without_rendering()
    for ax, artist in _axes_titles(fig):
        room = min(ax.get_window_extent().x1, right) - artist.get_window_extent().x0
        _wrap(artist, max(room, 0.5 * columns[artist]))


def _axes_titles(fig: Figure) -> list[tuple[object, Text]]:
    """Each visible axes' title texts (left, centre, right), with their axes."""
    found = []
    for ax in fig.axes:
        titles = {ax.get_title(loc=loc) for loc in ("left", "center", "right")} - {""}
        if not ax.get_visible() or not titles:
            continue
        found += [
            (ax, artist)
            for artist in ax.get_children()
            if isinstance(artist, Text) and artist.get_text() in titles
        ]
    return found


def wrap_text(words: str, width: int) -> str:
    """``words`` on lines of at most ``width`` characters, never starting a line with the
    punctuation French sets after a space (``?``, ``!``, ``:``, ``;``, ``%``, ``»``).

    Examples
    --------
    >>> wrap_text("Que devons-nous investir ensuite ?", 30)
    'Que devons-nous investir\\nensuite\\xa0?'
    """
    glued = re.sub(r" ([?!:;%»])", "\u00a0\\1", " ".join(str(words).split()))
    return textwrap.fill(glued, max(1, width))


def _wrap(artist: Text, width_px: float) -> None:
    words = " ".join(artist.get_text().split())
    chars = len(words)
    for _ in range(8):
        extent = artist.get_window_extent()
        if extent.width <= width_px or chars <= 12:
            return
        chars = min(chars - 1, int(chars * width_px / extent.width))
        artist.set_text(wrap_text(words, max(chars, 12)))


def style_axes(ax, *, grid: str = "y") -> None:
    """No top or right spine, light grid lines behind the data.

    Parameters
    ----------
    grid : {"y", "x"}
        Which values the grid lines mark: ``"x"`` for horizontal bars.
    """
    for key, value in (("top", False), ("right", False)):
        ax.spines[key].set_visible(value)
    ax.grid(True, axis="y", color=GRID)
    ax.set_axisbelow(True)
    if grid == "x":
        ax.grid(True, axis="x", color=GRID)
        ax.grid(False, axis="y")


def small_multiples(
    count: int,
    *,
    panel_height: float,
    ylabel: str,
    title: str,
    cols: int = 3,
    width: float = MAX_WIDTH,
    extra_height: float = 0.0,
    **kwargs,
) -> tuple[Figure, np.ndarray]:
    """A titled figure of ``count`` panels, ``cols`` a row, and its axes as a flat array.

    The panels left over in the last row are hidden, the x tick labels shown under the last
    panel of each column, and the first column's y axes labelled ``ylabel``; ``kwargs`` go to :meth:`matplotlib.figure.Figure.subplots` (``sharex`` ...).
    """
    rows = max(1, int(np.ceil(count / cols)))
    fig, axes = new_figure(
        width, panel_height * rows + extra_height, nrows=rows, ncols=cols, **kwargs
    )
    axes = np.atleast_1d(axes).ravel()
    for ax in axes[count:]:
        ax.set_visible(False)
    for ax in axes[max(0, count - cols) : count]:  # no panel below: its months are shown
        ax.tick_params(axis="x", labelbottom=True)
    for ax in axes[::cols]:
        ax.set_ylabel(ylabel)
    figure_title(fig, title)
    return fig, axes


def legend_below(fig: Figure, handles: list | None = None, labels: list | None = None) -> None:
    """The figure's legend under its charts, in as many columns (up to 4) as its longest label
    leaves room for, so a longer French label never runs off the figure.

    ``handles`` and ``labels`` default to every labelled artist of the figure's axes.
    """
    if handles is None:
        pairs = [ax.get_legend_handles_labels() for ax in fig.axes]
        handles = [h for hs, _ in pairs for h in hs]
        labels = [label for _, ls in pairs for label in ls]
    if not handles:
        return
    line_chars = fig.get_figwidth() * 72 / (SMALL * 0.6)
    longest = max(len(str(label)) for label in labels) + 8  # the handle and the gap
    ncols = int(min(4, len(handles), max(1, line_chars // longest)))
    fig.legend(handles, labels, loc="outside lower center", ncols=ncols)


def figure_title(fig: Figure, title: str) -> None:
    """A figure's title, left-aligned and bold like the axes' titles."""
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")


class ReportFormatter(Formatter):
    """Tick labels in the report's number format, with as many decimals as the ticks need:
    ticks 0, 2.5, 5, 7.5 never read "0, 2, 5, 8" (see :func:`number_axis`).

    Parameters
    ----------
    language : str
    percent : bool
        Values are shares (0..1) shown as percentages.
    currency : str, optional
        Values are money in this currency.
    """

    def __init__(self, language: str, *, percent: bool = False, currency: str | None = None):
        self.language = language
        self.percent = percent
        self.currency = currency
        self.decimals = 0

    def set_locs(self, locs) -> None:
        """Take the ticks about to be labelled, and the decimals their step needs."""
        super().set_locs(locs)
        shown = np.asarray(locs, dtype=float) * (100 if self.percent else 1)
        self.decimals = next(
            (d for d in range(4) if np.allclose(np.round(shown, d), shown, rtol=0, atol=1e-9)), 4
        )

    def __call__(self, x, pos=None) -> str:
        decimals = self.decimals
        if self.percent:
            return format_percent(x, self.language, decimals=decimals)
        if self.currency is not None:
            return format_money(x, self.currency, self.language, decimals=decimals)
        return format_number(x, self.language, decimals=decimals)


def percent_formatter(language: str, *, decimals: int | None = None) -> Formatter:
    """Tick labels as percentages in ``language`` (decimals as the ticks need, by default)."""
    if decimals is None:
        return ReportFormatter(language, percent=True)
    return matplotlib.ticker.FuncFormatter(
        lambda v, _: format_percent(v, language, decimals=decimals)
    )


def number_axis(
    ax,
    language: str,
    *,
    axis: str = "y",
    percent: bool = False,
    count: bool = False,
    currency: str | None = None,
) -> None:
    """Ticks at round steps (1, 2 or 5 times a power of ten) labelled in the report's format.

    Parameters
    ----------
    axis : {"y", "x"}
    percent : bool
        Shares (0..1) shown as percentages.
    count : bool
        Leads, deals, assets: ticks on whole numbers only (no 0, 0, 1, 1, 2 from halves).
    currency : str, optional
        Money in this currency.
    """
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 5, 10], integer=count))
    target.set_major_formatter(ReportFormatter(language, percent=percent, currency=currency))


def percent_axis(ax, language: str, *, axis: str = "y", top: float | None = None) -> None:
    """Percent ticks at round steps, with the decimals a small range needs (``top`` is kept
    for callers that pass the axis' upper limit; the step decides)."""
    number_axis(ax, language, axis=axis, percent=True)
