"""The colours every chart draws with: the client's series, attention, gaps, the rest.

The series colours are Okabe and Ito's palette for colour-blind readers (Okabe, M. and Ito, K.,
2008, "Color Universal Design", https://jfly.uni-koeln.de/color/): every pair stays apart for
the three common colour-vision deficiencies, and there is a single dark blue, so no two
series look alike. :mod:`workbook.deliverables.plots.style` sets them as matplotlib's colour
cycle; charts name the roles below rather than colours.
"""

from __future__ import annotations

BLUE = "#0072B2"
ORANGE = "#E69F00"
BLUISH_GREEN = "#009E73"
VERMILLION = "#D55E00"
SKY_BLUE = "#56B4E9"
REDDISH_PURPLE = "#CC79A7"
YELLOW = "#F0E442"

#: The series colours, in the order charts use them (yellow, the faintest on white, last).
PALETTE: tuple[str, ...] = (
    BLUE,
    ORANGE,
    BLUISH_GREEN,
    VERMILLION,
    SKY_BLUE,
    REDDISH_PURPLE,
    YELLOW,
)
#: The client's main series.
ACCENT = BLUE
#: What needs attention (a median, a run-rate, a threshold to watch).
WARN = ORANGE
#: Gaps, leaks, a figure worse than its reference.
BAD = VERMILLION
#: A figure better than its reference, a covered cell.
GOOD = BLUISH_GREEN
#: The rest: "other", raw figures beside corrected ones, the base scenario.
MUTED = "#BBBBBB"
#: A lighter shade of the main series: what carries over to the next period.
LIGHT = SKY_BLUE
#: Text and thin reference lines on white.
INK = "#222222"
#: Secondary text (notes on a chart) and reference marks; still 5.7:1 on white.
INK_SOFT = "#595959"
#: Public ranges drawn behind the client's figure.
RANGE = "#C8C8C8"
#: Grid lines behind the data.
GRID = "#E6E6E6"
#: Cell fills of the conversation grid: covered, a gap, coverage unknown.
FILL_GOOD, FILL_BAD, FILL_UNKNOWN = "#DDF0E9", "#F9E1D2", "#F2F2F2"
#: The colour map of every heatmap (one hue, light to dark: readable without colour vision).
SEQUENTIAL = "Blues"

__all__ = [
    "ACCENT",
    "BAD",
    "BLUE",
    "BLUISH_GREEN",
    "FILL_BAD",
    "FILL_GOOD",
    "FILL_UNKNOWN",
    "GOOD",
    "GRID",
    "INK",
    "INK_SOFT",
    "LIGHT",
    "MUTED",
    "ORANGE",
    "PALETTE",
    "RANGE",
    "REDDISH_PURPLE",
    "SEQUENTIAL",
    "SKY_BLUE",
    "VERMILLION",
    "WARN",
    "YELLOW",
]
