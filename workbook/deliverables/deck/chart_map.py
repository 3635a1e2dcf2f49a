"""Which chart or table a finding's slide shows, and its data: one table, :data:`CHARTS`.

A finding names its figure's register key (:attr:`workbook.deliverables.summary.Finding.figure`).
The longest prefix of :data:`CHARTS` that the key starts with picks a builder and, for the
charts drawn from a table a phase saved (``ctx.finish(tables=...)``), that table's name
(its columns: :data:`workbook.deliverables.deck.phase_tables.DECK_TABLES`). A builder
returns the visual holding the register's or the table's values as they are (nothing is
recomputed), or None when the data is not there: the slide then shows the finding's words
only, and :func:`visual_for` says why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from workbook.deliverables.deck.charts import ChartVisual
from workbook.deliverables.deck.table_visuals import (
    attribution,
    budget_mix,
    content_matrix,
    plan_volumes,
    scorecard,
    tornado,
)
from workbook.deliverables.deck.tables import TableVisual
from workbook.deliverables.deck.visuals import (
    ChartRequest,
    channel_figures,
    funnel_rates,
    leakage,
    naive_funnel,
    sla_compliance,
    velocity,
)
from workbook.deliverables.notebook import PhaseOutputs

Visual = ChartVisual | TableVisual


@dataclass(frozen=True)
class ChartSource:
    """One row of :data:`CHARTS`: figure keys starting with ``prefix`` (and ending with
    ``suffix``) show ``build``'s visual, drawn from the saved table ``table`` (None: from the
    register)."""

    prefix: str
    build: Callable[[ChartRequest], Visual | None]
    table: str | None = None
    suffix: str = ""


#: The finding's figure key prefix -> its visual; the longest matching prefix (and suffix)
#: wins.
CHARTS: tuple[ChartSource, ...] = (
    ChartSource("kpis.funnel.", naive_funnel, suffix=".naive_rate"),  # the kickoff's
    ChartSource("kickoff.mix.", channel_figures),
    ChartSource("kickoff.spend.", channel_figures),
    ChartSource("kpis.funnel.", funnel_rates),
    ChartSource("kpis.health.leakage.", leakage),
    ChartSource("kpis.velocity.", velocity),
    ChartSource("kpis.channels.", channel_figures),
    ChartSource("kpis.levers.channels.", channel_figures),
    ChartSource("kpis.attribution.", attribution, "attribution"),
    ChartSource("midpoint.attribution.", attribution, "attribution"),
    ChartSource("kpis.lift.", scorecard, "scorecard"),
    ChartSource("kpis.quality.", scorecard, "scorecard"),
    ChartSource("kpis.conversion.", scorecard, "scorecard"),
    ChartSource("kpis.ltv_cac.", scorecard, "scorecard"),
    ChartSource("kpis.cac.", scorecard, "scorecard"),
    ChartSource("midpoint.scorecard.", scorecard, "scorecard"),
    ChartSource("plan.", plan_volumes, "plan_schedule"),
    ChartSource("final.plan.", plan_volumes, "plan_schedule"),
    ChartSource("plan.budget.", budget_mix, "budget"),
    ChartSource("final.budget.", budget_mix, "budget"),
    ChartSource("final.sla.", sla_compliance),
    ChartSource("final.tornado.", tornado, "tornado"),
    ChartSource("plan.tornado.", tornado, "tornado"),
    ChartSource("content.", content_matrix, "content_matrix"),
    ChartSource("kickoff.content.", content_matrix, "content_matrix"),
    ChartSource("final.content.", content_matrix, "content_matrix"),
)


def chart_source(key: str, sources: Iterable[ChartSource] = CHARTS) -> ChartSource | None:
    """The row of ``sources`` whose prefix (and suffix) match ``key`` longest; None if none."""
    matches = [s for s in sources if key.startswith(s.prefix) and key.endswith(s.suffix)]
    return max(matches, key=lambda s: len(s.prefix) + len(s.suffix)) if matches else None


def visual_for(
    key: str, outputs: PhaseOutputs, *, language: str, currency: str
) -> tuple[Visual | None, str | None]:
    """The visual of a finding's figure and, when its data was missing, why (for the run).

    Returns
    -------
    (Visual or None, str or None)
        None and no reason for a figure no chart shows; None and a reason when the chart's
        table or figures are not in ``outputs``.
    """
    source = chart_source(key)
    if source is None:
        return None, None
    table = None
    if source.table is not None:
        table = outputs.tables.get(source.table)
        if table is None or len(table) == 0:
            return None, f"no chart for figure {key}: no phase saved a table {source.table!r}"
    elif key not in outputs.register:
        return None, f"no chart for figure {key}: it is not in the figures register"
    request = ChartRequest(key, source.prefix, outputs, table, language, currency)
    try:
        visual = source.build(request)
    except KeyError as missing:
        return None, f"no chart for figure {key}: table {source.table!r} has no column {missing}"
    if visual is None:
        return None, f"no chart for figure {key}: its data holds no value to draw"
    return visual, None


__all__ = ["CHARTS", "ChartSource", "Visual", "chart_source", "visual_for"]
