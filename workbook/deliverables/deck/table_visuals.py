"""The charts and tables drawn from the tables the phases saved (``ctx.finish(tables=...)``):
channel attribution, the KPI scorecard, plan volumes, the budget mix, the tornado, the
content matrix. Their columns are :data:`workbook.deliverables.deck.phase_tables.DECK_TABLES`.

A builder returns a :class:`~workbook.deliverables.deck.charts.ChartVisual` or a
:class:`~workbook.deliverables.deck.tables.TableVisual` holding the table's values as they
are, or None when there is nothing to draw.
"""

from __future__ import annotations

import pandas as pd

from workbook.deliverables.deck.charts import ChartVisual
from workbook.deliverables.deck.tables import TableVisual
from workbook.deliverables.deck.visuals import ChartRequest, chart_value, ladder_steps
from workbook.deliverables.table_columns import table_columns
from workbook.i18n import catalogue_keys, format_month, pretty, stage_label, text


def attribution(request: ChartRequest) -> ChartVisual | None:
    """Each model's share of won deals by channel (table ``attribution``)."""
    frame = request.table
    models = [
        c for c in frame.columns if c != "channel" and pd.api.types.is_numeric_dtype(frame[c])
    ]
    if "channel" not in frame or not models or frame.empty:
        return None
    words = catalogue_keys(request.language)
    return ChartVisual(
        "bar",
        text("mid.chart.attribution", request.language),
        tuple(pretty(c, request.language) for c in frame["channel"]),
        tuple(
            (
                words.get(f"mid.model.{m}", pretty(m, request.language)),
                tuple(chart_value(v) for v in frame[m]),
            )
            for m in models
        ),  # fmt: skip
        "rate",
    )


def scorecard(request: ChartRequest) -> TableVisual | None:
    """The KPI scorecard (table ``scorecard``: ``kpi``, ``figure``, ``detail``, as text)."""
    if "kpi" not in request.table:
        return None
    return TableVisual(
        text("mid.scorecard", request.language),
        request.table,
        table_columns("scorecard", request.language),
    )


def plan_volumes(request: ChartRequest) -> ChartVisual | None:
    """Leads one stage needs each month against today's run-rate (table ``plan_schedule``).

    The stage is the one the figure's key names (``plan.totals.mql``), else the first.
    """
    frame = request.table
    stages = list(dict.fromkeys(frame["stage"]))
    named = [part for part in request.key.split(".") if part in stages]
    stage = named[-1] if named else stages[0]
    part = frame.loc[frame["stage"] == stage]
    language = request.language
    name = stage_label(stage, language)
    return ChartVisual(
        "line",
        text("deck.chart.plan", language, stage=name),
        tuple(format_month(pd.Timestamp(m), language) for m in part["month"]),
        (
            (text("deck.series.needed", language), tuple(chart_value(v) for v in part["gross"])),
            (
                text("plan.legend.run_rate", language),
                tuple(chart_value(v) for v in part["run_rate"]),
            ),
        ),
        "count",
    )


#: The budget chart's (today, plan) columns: shares of spend when priced, else of leads.
BUDGET_MIXES = (
    ("today_spend_share", "plan_budget_share"),
    ("today_lead_share", "plan_lead_share"),
)


def budget_mix(request: ChartRequest) -> ChartVisual | None:
    """Each channel's share today beside its share in the plan (table ``budget``,
    :func:`workbook.analysis.reconcile.mix_comparison`): of spend and budget when both are
    known, else of leads."""
    frame = request.table

    def known(column: str) -> bool:
        return column in frame and bool(frame[column].notna().any())

    today, plan = next((m for m in BUDGET_MIXES if all(map(known, m))), BUDGET_MIXES[-1])
    language = request.language
    series = tuple(
        (text(f"final.col.{c}", language), tuple(chart_value(v) for v in frame[c]))
        for c in (today, plan)
    )
    if all(v is None for _, values in series for v in values):
        return None
    return ChartVisual(
        "bar",
        text("deck.chart.budget", language),
        tuple(pretty(c, language) for c in frame["channel"]),
        series,
        "rate",
    )


def tornado(request: ChartRequest) -> ChartVisual | None:
    """The first-stage total at each assumption's low and high value (table ``tornado``)."""
    frame = request.table
    if frame.empty:
        return None
    language = request.language
    pairs = [a.split(".", 1)[1] for a in frame["assumption"] if a.startswith("conversion.")]
    ordered = ladder_steps(pairs)
    steps = {pair: (a, b) for pair, a, b in ordered}
    labels = []
    for assumption in frame["assumption"]:
        pair = assumption.split(".", 1)[-1]
        if assumption == "avg_deal_size":
            labels.append(text("plan.assumption.avg_deal_size", language))
        elif pair in steps:
            a, b = steps[pair]
            labels.append(
                text(
                    "plan.assumption.conversion",
                    language,
                    from_stage=stage_label(a, language),
                    to_stage=stage_label(b, language),
                )
            )
        else:
            labels.append(pretty(assumption, language))
    first = ordered[0][1] if ordered else None
    title = (
        text("plan.chart.tornado", language, first_stage=stage_label(first, language))
        if first
        else text("final.quant.tornado", language)
    )
    return ChartVisual(
        "tornado",
        title,
        tuple(labels),
        (
            (
                text("plan.legend.low", language),
                tuple(chart_value(v) for v in frame["total_at_low"]),
            ),
            (
                text("plan.legend.high", language),
                tuple(chart_value(v) for v in frame["total_at_high"]),
            ),
        ),  # fmt: skip
        "count",
        base=chart_value(frame["base_total"].iloc[0]),
    )


def content_matrix(request: ChartRequest) -> TableVisual | None:
    """Assets per persona (rows) and buying stage (columns) (table ``content_matrix``)."""
    frame = request.table
    if "persona" in frame.columns:
        frame = frame.set_index("persona")
    language = request.language
    shown = frame.rename_axis("persona").reset_index()
    columns = {"persona": (text("label.persona", language), "pretty")}
    columns.update({stage: (pretty(stage, language), "int") for stage in frame.columns})
    return TableVisual(text("deck.chart.content", language), shown, columns)


__all__ = [
    "BUDGET_MIXES",
    "attribution",
    "budget_mix",
    "content_matrix",
    "plan_volumes",
    "scorecard",
    "tornado",
]
