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

from workbook.plots.midpoint import (  # noqa: E402
    attribution_chart,
    benchmark_chart,
    channel_return_chart,
    cohort_heatmap,
    funnel_glass_chart,
    incidence_curves_chart,
    leakage_chart,
    lift_trend_chart,
    rates_chart,
    velocity_curves_chart,
    win_rate_chart,
)

__all__ += [
    "attribution_chart",
    "benchmark_chart",
    "channel_return_chart",
    "cohort_heatmap",
    "funnel_glass_chart",
    "incidence_curves_chart",
    "leakage_chart",
    "lift_trend_chart",
    "rates_chart",
    "velocity_curves_chart",
    "win_rate_chart",
]

from workbook.plots.plan import (  # noqa: E402
    budget_chart,
    plan_revenue_chart,
    plan_volume_chart,
    scenario_chart,
    tornado_chart,
)

__all__ += [
    "budget_chart",
    "plan_revenue_chart",
    "plan_volume_chart",
    "scenario_chart",
    "tornado_chart",
]

from workbook.plots.strategy import (  # noqa: E402
    channel_stage_heatmap,
    content_performance_chart,
    precision_recall_chart,
    roadmap_chart,
    score_distribution_chart,
    tracks_grid_chart,
)

__all__ += [
    "channel_stage_heatmap",
    "content_performance_chart",
    "precision_recall_chart",
    "roadmap_chart",
    "score_distribution_chart",
    "tracks_grid_chart",
]
