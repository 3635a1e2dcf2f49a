"""The content marketing model: matrix, gaps, conversation tracks, performance and plan.

:func:`build_content_report` gives everything ``workbook content`` and the final report show:

- the persona x buying-stage **matrix** (zeros included) and its **gaps** (cells with fewer
  than ``content.min_assets_per_cell`` assets);
- one **conversation track** per cell: the buyer's question at that step
  (:mod:`workbook.analysis.questions`), the assets that answer it, covered or gap;
- **untagged** and **stale** assets;
- when touches exist, the **performance** of each asset and cell: the leads it touched and
  how many of them later progressed, the pipeline and revenue it influenced, and a verdict
  separating content that moves buyers from content that only collects views;
- the **content plan**: gaps ranked by business impact, each with a suggested format, and
  suggested tags for untagged assets (clearly marked as suggestions).

``ContentReport.to_dict()`` is the contract's ``content --json`` object, exactly.

One module per concern: :mod:`~workbook.analysis.content.matrix` (matrix, gaps, tracks),
:mod:`~workbook.analysis.content.performance` (touches in context, performance),
:mod:`~workbook.analysis.content.plan` (the plan, formats, tag suggestions) and
:mod:`~workbook.analysis.content.report` (:func:`build_content_report`).

See Also
--------
workbook.intake.schema.column_rules : the content file's columns.
workbook.analysis.questions : the buyer's question of each conversation track.
workbook.deliverables.strategy : the final report's building blocks built on this module.
"""

from workbook.analysis.content.matrix import (
    TRACK_STATUSES,
    content_gaps,
    content_matrix,
    conversation_tracks,
    stale_assets,
    untagged_assets,
)
from workbook.analysis.content.performance import (
    VERDICTS,
    ContentPerformance,
    content_performance,
    touches_in_context,
)
from workbook.analysis.content.plan import (
    DEFAULT_FORMATS,
    FALLBACK_FORMAT,
    buying_stage_feeds,
    content_plan,
    persona_revenue_share,
    suggest_tags,
    suggested_formats,
)
from workbook.analysis.content.report import (
    ContentReport,
    build_content_report,
    stage_leakage,
)

__all__ = [
    "DEFAULT_FORMATS",
    "FALLBACK_FORMAT",
    "TRACK_STATUSES",
    "VERDICTS",
    "ContentPerformance",
    "ContentReport",
    "build_content_report",
    "buying_stage_feeds",
    "content_gaps",
    "content_matrix",
    "content_performance",
    "content_plan",
    "conversation_tracks",
    "persona_revenue_share",
    "stage_leakage",
    "stale_assets",
    "suggest_tags",
    "suggested_formats",
    "touches_in_context",
    "untagged_assets",
]
