"""The house style every chart uses, and the helpers to draw in it.

Each chart function (in the sibling modules) takes the frame an analysis returned and gives back a matplotlib ``Figure``
with a title, labelled axes and units; words come from :mod:`workbook.i18n`. Nothing here
computes a figure the analyses did not.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec

import matplotlib
import numpy as np

matplotlib.use("Agg", force=False)

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

P = ParamSpec("P")

from workbook.deliverables.plots.palette import GRID, PALETTE  # noqa: E402
from workbook.i18n import (  # noqa: E402
    format_number,
    format_percent,
)

STYLE = {
    "figure.dpi": 110,
    "savefig.dpi": 110,
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": GRID,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "legend.frameon": False,
    "figure.constrained_layout.use": True,
    "text.parse_math": False,  # a value holding "$" (a channel "$x$") is text, not TeX
}


def house_style(func: Callable[P, Figure]) -> Callable[P, Figure]:
    """Draw inside the house style without changing matplotlib's global settings."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Figure:
        with plt.rc_context(STYLE):
            return func(*args, **kwargs)

    return wrapper


def new_figure(width: float = 9.0, height: float = 4.2, **kwargs) -> tuple[Figure, object]:
    """A figure (not registered with pyplot's global state, so never leaked or shown twice)."""
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.subplots(**kwargs)


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
    width: float = 10.0,
    extra_height: float = 0.0,
    ylabel_size: float | None = None,
    **kwargs,
) -> tuple[Figure, np.ndarray]:
    """A titled figure of ``count`` panels, ``cols`` a row, and its axes as a flat array.

    The panels left over in the last row are hidden and the first column's y axes labelled
    ``ylabel``; ``kwargs`` go to :meth:`matplotlib.figure.Figure.subplots` (``sharex`` ...).
    """
    rows = max(1, int(np.ceil(count / cols)))
    fig, axes = new_figure(
        width, panel_height * rows + extra_height, nrows=rows, ncols=cols, **kwargs
    )
    axes = np.atleast_1d(axes).ravel()
    for ax in axes[count:]:
        ax.set_visible(False)
    size = {} if ylabel_size is None else {"fontsize": ylabel_size}
    for ax in axes[::cols]:
        ax.set_ylabel(ylabel, **size)
    figure_title(fig, title)
    return fig, axes


def figure_title(fig: Figure, title: str) -> None:
    """A figure's title, left-aligned and bold like the axes' titles."""
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")


def percent_formatter(language: str, *, decimals: int = 0) -> FuncFormatter:
    """Tick labels as percentages in ``language``."""
    return FuncFormatter(lambda v, _: format_percent(v, language, decimals=decimals))


def number_axis(
    ax, language: str, *, axis: str = "y", percent: bool = False, count: bool = False
) -> None:
    """Tick labels in the report's number format; ``count`` puts ticks on whole numbers
    only (leads, deals: no 0, 0, 1, 1, 2 from rounded halves)."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    if percent:
        fmt = percent_formatter(language)
    else:
        fmt = FuncFormatter(lambda v, _: format_number(v, language))
    if count:
        target.set_major_locator(MaxNLocator(integer=True))
    target.set_major_formatter(fmt)


def percent_axis(ax, language: str, *, axis: str = "y", top: float | None = None) -> None:
    """Percent tick labels; one decimal when the axis tops out below 5 %."""
    if top is not None and top < 0.05:
        (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(
            percent_formatter(language, decimals=1)
        )
        return
    number_axis(ax, language, axis=axis, percent=True)
