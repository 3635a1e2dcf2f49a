"""The colours every chart draws with: the client's series, attention, gaps, the rest.

:mod:`workbook.deliverables.plots.style` sets them as matplotlib's colour cycle.
"""

from __future__ import annotations

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
#: Grid lines behind the data.
GRID = "#e6e6e6"

__all__ = ["ACCENT", "BAD", "GRID", "MUTED", "PALETTE", "WARN"]
