"""The sections a deck gives a slide of their own, after the summary's findings.

A steering committee sees the charts of :data:`SECTION_CHARTS` whether or not the summary
points to them (the funnel and its leaks, velocity, the scorecard, channel return and
attribution, the plan's volumes against today's run-rate, the budget, the tornado, the content
matrix): each becomes a slide titled with the finding its report heading states, holding the
chart of the figures under :data:`SECTION_CHARTS`' key prefix, and its takeaway. A section
whose chart the summary already showed, or whose data the run did not save, gets none.
"""

from __future__ import annotations

from collections.abc import Collection

from workbook.deliverables.deck.chart_map import ChartSource, chart_source
from workbook.deliverables.notebook import PhaseOutputs
from workbook.deliverables.summary import Finding

#: Per phase, in the report's order: (section key, as ``ctx.finish(sections=...)`` names it;
#: the figure key prefix whose chart the slide shows).
SECTION_CHARTS: dict[str, tuple[tuple[str, str], ...]] = {
    "kickoff": (
        ("funnel", "kpis.funnel.*.naive_rate"),  # a ``*``: the key's prefix and suffix
        ("mix", "kickoff.mix."),
        ("spend", "kickoff.spend."),
        ("content", "kickoff.content."),
    ),
    "midpoint": (
        ("scorecard", "kpis.ltv_cac."),
        ("rates", "kpis.funnel.*.rate"),
        ("leakage", "kpis.health.leakage."),
        ("velocity", "kpis.velocity."),
        ("levers", "kpis.levers.channels."),
        ("attribution", "midpoint.attribution."),
    ),
    "final": (
        ("content", "final.content."),
        ("sla", "final.sla."),
        ("volumes", "plan.totals."),
        ("tornado", "plan.tornado."),
        ("budget", "plan.budget."),
    ),
}


def section_findings(
    phase: str, outputs: PhaseOutputs, *, shown: Collection[ChartSource] = ()
) -> list[Finding]:
    """The sections of ``phase`` that get a slide, as findings (title, takeaway, figure key).

    Parameters
    ----------
    phase : str
    outputs : PhaseOutputs
        What the run saved; ``outputs.sections[phase]`` gives the headings and takeaways.
    shown : collection of ChartSource
        The charts the summary's slides already show: not repeated.

    Returns
    -------
    list of Finding
        In the report's order; ``figure`` is a register key under the section's prefix (the
        first one), or the prefix itself for charts drawn from a saved table.
    """
    saved = {section.key: section for section in outputs.sections.get(phase, [])}
    keys = sorted(figure.key for figure in outputs.register)
    shown = set(shown)
    findings = []
    for key, prefix in SECTION_CHARTS.get(phase, ()):
        section = saved.get(key)
        head, _, tail = prefix.partition("*")
        source = chart_source(head + tail)
        if section is None or source is None or source in shown:
            continue
        figure = next((k for k in keys if k.startswith(head) and k.endswith(tail)), None)
        if figure is None and source.table is None:
            continue  # no figure to draw
        grade = outputs.register[figure].grade if figure else None
        findings.append(
            Finding(
                headline=section.title,
                consequence=section.takeaway,
                decision="",
                section=key,
                figure=figure or prefix,
                impact=0.0,
                grade=grade or "solid",
            )
        )
        shown.add(source)
    return findings


__all__ = ["SECTION_CHARTS", "section_findings"]
