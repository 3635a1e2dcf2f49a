"""Every chart of the reports, in one style (:mod:`workbook.deliverables.plots.style`).

Each function takes the frame an analysis returned and gives back a matplotlib ``Figure``
with a title, labelled axes and units; words come from :mod:`workbook.i18n`. Nothing here
computes a figure the analyses did not. One module per report: ``kickoff``, ``midpoint`` (and
``funnel``, its funnel charts), ``plan`` and ``strategy``; each lists its charts in its
``__all__``, and all of them are available here (``plots.funnel_chart(...)``).
"""

from workbook.deliverables.plots import funnel, kickoff, midpoint, plan, strategy
from workbook.deliverables.plots.funnel import *  # noqa: F403
from workbook.deliverables.plots.kickoff import *  # noqa: F403
from workbook.deliverables.plots.midpoint import *  # noqa: F403
from workbook.deliverables.plots.plan import *  # noqa: F403
from workbook.deliverables.plots.strategy import *  # noqa: F403
from workbook.deliverables.plots.style import STYLE, house_style, new_figure

__all__ = [
    "STYLE",
    "house_style",
    "new_figure",
    *funnel.__all__,
    *kickoff.__all__,
    *midpoint.__all__,
    *plan.__all__,
    *strategy.__all__,
]
