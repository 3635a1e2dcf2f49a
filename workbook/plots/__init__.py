"""Every chart of the reports, in one style (:mod:`workbook.plots.style`).

Each function takes the frame an analysis returned and gives back a matplotlib ``Figure``
with a title, labelled axes and units; words come from :mod:`workbook.i18n`. Nothing here
computes a figure the analyses did not. One module per report: ``kickoff``, ...
"""

from workbook.plots.kickoff import (
    bar_chart,
    channel_mix_chart,
    content_heatmap,
    funnel_chart,
    spend_chart,
    stage_entries_chart,
)
from workbook.plots.style import STYLE, house_style, new_figure

__all__ = [
    "STYLE",
    "bar_chart",
    "channel_mix_chart",
    "content_heatmap",
    "funnel_chart",
    "house_style",
    "new_figure",
    "spend_chart",
    "stage_entries_chart",
]
