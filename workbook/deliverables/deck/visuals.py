"""What a finding's chart is drawn from (:class:`ChartRequest`), and the charts drawn from the
figures register: a figure and its siblings (the same figure of every funnel step, of every
channel).

A builder returns a :class:`~workbook.deliverables.deck.charts.ChartVisual` holding the
register's values as they are (nothing is recomputed), or None when there is nothing to draw.
The charts drawn from the phases' saved tables are in
:mod:`workbook.deliverables.deck.table_visuals`; which finding shows which chart is
:data:`workbook.deliverables.deck.chart_map.CHARTS`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from workbook.deliverables.deck.charts import ChartVisual
from workbook.deliverables.midpoint_facts import step_label
from workbook.deliverables.notebook import PhaseOutputs
from workbook.deliverables.register import Figure
from workbook.i18n import pretty, text

#: A channel figure's last key part -> the catalogue key of its name on a chart.
METRIC_WORDS = {"roi": "mid.col.roi", "cac": "mid.col.cac", "spend": "mid.col.spend",
                "won_count": "mid.col.won", "won_revenue": "mid.col.won_revenue",
                "amount": "mid.col.spend", "share": "deck.series.spend_share",
                "lead_share": "deck.series.lead_share"}  # fmt: skip
#: Register units a chart can show, and the chart unit that formats them.
_CHART_UNIT = {"rate": "rate", "money": "money", "count": "count", "days": "days",
               "ratio": "ratio", "months": "ratio"}  # fmt: skip


@dataclass(frozen=True)
class ChartRequest:
    """What a builder gets: the finding's figure key, the prefix that matched, the data."""

    key: str
    prefix: str
    outputs: PhaseOutputs
    table: pd.DataFrame | None
    language: str
    currency: str


def ladder_steps(pairs: Iterable[str]) -> list[tuple[str, str, str]]:
    """Stage pairs (``mql_sal``) in funnel order, as ``(pair, from, to)``.

    Stage names may hold underscores, so a pair is split by walking back from a last
    stage: the pair ending in ``_won`` gives the stage before it, and so on. The last stage
    is the one that gives the longest chain (``won`` for a whole funnel; the last step's for
    a part of it, such as the hand-over steps of the service levels). A pair that is not a
    step of that chain (``inquiry_won``, the whole funnel) is left out.

    Examples
    --------
    >>> [p for p, _, _ in ladder_steps(["sql_won", "mql_sql", "marketing_lead_mql"])]
    ['marketing_lead_mql', 'mql_sql', 'sql_won']
    >>> ladder_steps(["inquiry_won", "inquiry_opportunity", "opportunity_won"])[0][1:]
    ('inquiry', 'opportunity')
    >>> [p for p, _, _ in ladder_steps(["mql_sal", "inquiry_mql"])]
    ['inquiry_mql', 'mql_sal']
    """
    pairs = set(pairs)
    ends = sorted({p[k + 1 :] for p in pairs for k, c in enumerate(p) if c == "_"})
    chains = [_walk_back(pairs, end) for end in ["won", *ends]]
    return max(chains, key=len, default=[])


def _walk_back(pairs: set[str], last: str) -> list[tuple[str, str, str]]:
    """The chain of steps ending in stage ``last``, first step first."""
    left = set(pairs)
    steps: list[tuple[str, str, str]] = []
    stage = last
    while True:
        ending = f"_{stage}"
        candidates = sorted(p for p in left if p.endswith(ending) and len(p) > len(ending))
        if not candidates:
            break

        def continues(pair: str, ending: str = ending) -> bool:
            before = pair[: -len(ending)]
            return any(q.endswith(f"_{before}") for q in left if q != pair)

        pair = max(candidates, key=continues)  # the first of those that continue
        left.discard(pair)
        steps.append((pair, pair[: -len(ending)], stage))
        stage = pair[: -len(ending)]
    return steps[::-1]


def siblings(figures: Iterable[Figure], key: str, prefix: str) -> dict[str, Figure]:
    """The figures whose key is ``key`` with another member after ``prefix``.

    ``kpis.funnel.mql_sal.rate`` with prefix ``kpis.funnel.`` gives every
    ``kpis.funnel.<pair>.rate``, by pair, in the register's order.
    """
    member, dot, suffix = key[len(prefix) :].partition(".")
    out = {}
    for figure in figures:
        if figure.key.startswith(prefix):
            name, d, s = figure.key[len(prefix) :].partition(".")
            if (d, s) == (dot, suffix):
                out[name] = figure
    return out


def chart_value(value) -> float | None:
    """A chart value: a finite float, else None (a gap, never 0)."""
    if value is None or value is pd.NA or isinstance(value, str):
        return None
    value = float(value)
    return value if value == value and abs(value) != float("inf") else None


def _steps_chart(request: ChartRequest, *, title: str, series: str) -> ChartVisual | None:
    figures = siblings(request.outputs.register, request.key, request.prefix)
    steps = ladder_steps(figures)
    values = tuple(chart_value(figures[pair].value) for pair, _, _ in steps)
    if not steps or all(v is None for v in values):
        return None
    unit = _CHART_UNIT.get(figures[steps[0][0]].unit)
    if unit is None:
        return None
    return ChartVisual(
        "column",
        text(title, request.language),
        tuple(step_label(a, b, request.language) for _, a, b in steps),
        ((text(series, request.language), values),),
        unit,
    )


def naive_funnel(request: ChartRequest) -> ChartVisual | None:
    """The kickoff's share of leads reaching the next stage (``kpis.funnel.<pair>.naive_rate``)."""
    return _steps_chart(request, title="deck.chart.naive_funnel", series="label.naive_rate")


def sla_compliance(request: ChartRequest) -> ChartVisual | None:
    """Each hand-over step's share handled in time (``final.sla.<pair>.compliance_rate``)."""
    return _steps_chart(request, title="deck.chart.sla", series="deck.series.within_sla")


def funnel_rates(request: ChartRequest) -> ChartVisual | None:
    """Each funnel step's rate (``kpis.funnel.<pair>.rate``), in funnel order."""
    return _steps_chart(request, title="deck.chart.funnel", series="deck.series.rate")


def leakage(request: ChartRequest) -> ChartVisual | None:
    """The leak rule's chart: the won deals each ranked step's losses cost
    (``midpoint.leaks.<pair>.won_lost``, :mod:`workbook.analysis.leaks`), in funnel order, as
    the mid-point report draws it; without them, each step's share of leads lost
    (``kpis.health.leakage.<pair>``). The leak to fix is the step that loses the most won
    deals, not the one losing the largest share of leads."""
    prefix = "midpoint.leaks."
    won_lost = next(
        (
            f.key
            for f in request.outputs.register
            if f.key.startswith(prefix) and f.key.endswith(".won_lost")
        ),
        None,
    )
    if won_lost is not None:
        cost = ChartRequest(
            won_lost, prefix, request.outputs, None, request.language, request.currency
        )
        chart = _steps_chart(cost, title="deck.chart.leak_cost", series="deck.series.won_lost")
        if chart is not None:
            return chart
    return _steps_chart(request, title="deck.chart.leakage", series="deck.series.leakage")


def velocity(request: ChartRequest) -> ChartVisual | None:
    """Median days of each step (``kpis.velocity.<pair>.median_days``), in funnel order."""
    return _steps_chart(request, title="deck.chart.velocity", series="deck.series.median_days")


def channel_figures(request: ChartRequest) -> ChartVisual | None:
    """One figure of every channel (``kpis.channels.<channel>.roi``...), largest first."""
    figures = siblings(request.outputs.register, request.key, request.prefix)
    unit = _CHART_UNIT.get(request.outputs.register[request.key].unit)
    rows = [(name, chart_value(f.value)) for name, f in figures.items()]
    rows = sorted((r for r in rows if r[1] is not None), key=lambda r: -r[1])
    if unit is None or not rows:
        return None
    metric = request.key.rsplit(".", 1)[-1]
    name = text(METRIC_WORDS.get(metric, "label.value"), request.language)
    return ChartVisual(
        "bar",
        text("deck.chart.channels", request.language, metric=name),
        tuple(pretty(channel, request.language) for channel, _ in rows),
        ((name, tuple(v for _, v in rows)),),
        unit,
    )


__all__ = [
    "ChartRequest",
    "channel_figures",
    "chart_value",
    "funnel_rates",
    "ladder_steps",
    "leakage",
    "naive_funnel",
    "siblings",
    "sla_compliance",
    "velocity",
]
