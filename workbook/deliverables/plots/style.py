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

matplotlib.use("Agg", force=False)

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

P = ParamSpec("P")

from workbook.i18n import (  # noqa: E402
    format_number,
    format_percent,
)

PALETTE: tuple[str, ...] = (
    "#1f4e79",  # deep blue: the client's main series
    "#2e86ab",
    "#f18f01",  # orange: what needs attention
    "#6c9a8b",
    "#c73e1d",  # red: gaps, leaks
    "#8e7dbe",
    "#a3a3a3",
    "#3b8d5a",
)
ACCENT, WARN, BAD, MUTED = PALETTE[0], PALETTE[2], PALETTE[4], PALETTE[6]

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
    "grid.color": "#e6e6e6",
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "legend.frameon": False,
    "figure.constrained_layout.use": True,
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


def style_axes(ax) -> None:
    for key, value in (("top", False), ("right", False)):
        ax.spines[key].set_visible(value)
    ax.grid(True, axis="y", color="#e6e6e6")
    ax.set_axisbelow(True)


def number_axis(ax, language: str, *, axis: str = "y", percent: bool = False) -> None:
    if percent:
        fmt = FuncFormatter(lambda v, _: format_percent(v, language, decimals=0))
    else:
        fmt = FuncFormatter(lambda v, _: format_number(v, language))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def percent_axis(ax, language: str, *, axis: str = "y", top: float | None = None) -> None:
    """Percent tick labels; one decimal when the axis tops out below 5 %."""
    if top is not None and top < 0.05:
        fmt = FuncFormatter(lambda v, _: format_percent(v, language, decimals=1))
        (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)
        return
    number_axis(ax, language, axis=axis, percent=True)
