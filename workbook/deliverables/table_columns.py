"""The columns each report table shows: one home for every header and format.

A table's spec lists ``(frame column, text key of its header, kind)`` triples in display
order; the kind is a key of :data:`workbook.deliverables.display.FORMATTERS`. The notebooks
and the playground ask :func:`table_columns` for the mapping
:func:`workbook.deliverables.display.show_table` takes, with headers in the report's language::

    show.show_table(kpis.channels, table_columns("kpi_channels", lang), language=lang)

A column shown by several tables (the funnel step, a channel's spend and return) is written
once here and picked by the tables that show it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from workbook.i18n import text

#: One shown column: (frame column, text key of its header, display kind).
Column = tuple[str, str, str]


def _pick(spec: Sequence[Column], *names: str) -> tuple[Column, ...]:
    """The columns of ``spec`` called ``names``, in the order given."""
    by_name = {column[0]: column for column in spec}
    return tuple(by_name[name] for name in names)


#: The funnel step every stage-pair table starts with.
STEP: tuple[Column, ...] = (
    ("from", "label.from_stage", "stage"),
    ("to", "label.to_stage", "stage"),
)
_ENTERED: tuple[Column, ...] = (
    ("entered", "label.entered", "int"),
    ("converted", "label.converted", "int"),
)
_SOURCE_OUTCOMES: tuple[Column, ...] = (
    ("sourced_by", "mid.col.source", "pretty"),
    ("closed_count", "mid.col.closed", "int"),
    ("won_count", "mid.col.won", "int"),
    ("win_rate", "mid.col.win_rate", "percent"),
    ("win_rate_lower", "mid.col.lower", "percent"),
    ("win_rate_upper", "mid.col.upper", "percent"),
    ("avg_won_amount", "mid.col.avg_deal", "money"),
    ("median_won_amount", "mid.col.median_deal", "money"),
    ("sql_won_rate", "mid.col.sql_won_rate", "percent"),
)
_CHANNEL_LEVERS: tuple[Column, ...] = (
    ("channel", "label.channel", "pretty"),
    ("spend", "mid.col.spend", "money"),
    ("leads", "mid.col.leads", "int"),
    ("won_count", "mid.col.won", "int"),
    ("won_revenue", "mid.col.won_revenue", "money"),
    ("cac", "mid.col.cac", "money"),
    ("roi", "mid.col.roi", "float"),
)
_KPI_FUNNEL: tuple[Column, ...] = (
    *STEP,
    *_ENTERED,
    ("rate", "mid.col.rate", "percent"),
    ("rate_lower", "mid.col.lower", "percent"),
    ("rate_upper", "mid.col.upper", "percent"),
    ("naive_rate", "mid.col.naive_rate", "percent"),
)
_STEP_TIMES: tuple[Column, ...] = (
    # whole days, as the sentences say them: "135", not "135.0"
    ("median_days", "mid.col.median_days", "int"),
    ("p75_days", "mid.col.p75_days", "int"),
)
_STUCK: tuple[Column, ...] = (
    ("stage", "label.stage", "stage"),
    ("open_count", "mid.col.open", "int"),
    ("threshold_days", "mid.col.threshold", "int"),  # whole days: "135", not "135.0"
    ("stuck_count", "mid.col.stuck", "int"),
)
_PLAN_STAGES: tuple[Column, ...] = (
    ("stage", "label.stage", "stage"),
    ("total", "plan.label.total", "int"),
    ("net_total", "plan.label.net_total", "int"),
    ("p10", "plan.label.p10", "int"),
    ("p90", "plan.label.p90", "int"),
    ("run_rate", "plan.label.run_rate", "int"),
    ("peak_required", "plan.label.peak", "int"),
    ("rate", "plan.label.rate", "percent"),
)
_FIGURES: tuple[Column, ...] = (
    ("figure", "plan.label.figure", "text"),
    ("value", "plan.label.value", "text"),
)

#: Every report table: name -> its columns in display order.
TABLES: Mapping[str, tuple[Column, ...]] = {
    # kickoff
    "stakeholders": (
        ("name", "label.name", "text"),
        ("role", "label.role", "text"),
        ("function", "label.function", "pretty"),
    ),
    "agenda": (
        ("day", "label.day", "text"),
        ("session", "label.session", "text"),
        ("who", "label.who", "text"),
    ),
    "audit_summary": (
        ("file", "label.file", "text"),
        ("dates", "kickoff.inventory.dates", "text"),
        ("read", "label.rows_read", "int"),
        ("used", "label.rows_used", "int"),
        ("quarantined", "label.rows_quarantined", "int"),
        ("errors", "label.errors", "int"),
        ("warnings", "label.warnings", "int"),
    ),
    "audit_issues": (
        ("file", "label.file", "text"),
        ("column", "label.column", "text"),
        ("rows", "label.rows", "count"),
        ("message", "label.issue", "text"),
    ),
    "stage_counts": (*STEP, *_ENTERED, ("naive_rate", "label.naive_rate", "percent")),
    "content_by_format": (("format", "label.format", "pretty"), ("assets", "label.assets", "int")),
    "hypotheses": (
        ("hypothesis", "label.hypothesis", "text"),
        ("how_to_test", "label.how_to_test", "text"),
    ),
    # mid-point
    "scorecard": (
        ("kpi", "mid.col.kpi", "text"),
        ("figure", "mid.col.figure", "text"),
        ("detail", "mid.col.detail", "text"),
    ),
    "kpi_funnel": _KPI_FUNNEL,
    "stuck": _STUCK,
    "skipped": (("stage", "label.stage", "stage"), ("skipped_count", "mid.col.skipped", "int")),
    "velocity": (
        *STEP,
        *_STEP_TIMES,
        ("within_30_days", "mid.col.within_30", "percent"),
        ("within_60_days", "mid.col.within_60", "percent"),
        ("within_90_days", "mid.col.within_90", "percent"),
    ),
    "source_outcomes": _SOURCE_OUTCOMES,
    "kpi_channels": _CHANNEL_LEVERS,
    "benchmarks": (
        ("step", "mid.col.step", "text"),
        ("metric", "mid.col.metric", "text"),
        ("segment", "mid.col.segment", "text"),
        ("range", "mid.col.range", "text"),
        ("client", "mid.col.client", "text"),
        ("position", "mid.col.position", "text"),
        ("source", "mid.col.reference", "text"),
        ("quality", "mid.col.quality", "text"),
    ),
    "executive": (
        ("measure", "mid.col.measure", "text"),
        ("figure", "mid.col.figure", "text"),
    ),
    "operations": (
        *_pick(_KPI_FUNNEL, "from", "to", "rate"),
        ("leakage", "mid.col.leakage", "percent"),
        *_STEP_TIMES,
        *_pick(_STUCK, "open_count", "stuck_count"),
    ),
    "channel_advice": (
        ("channel", "label.channel", "pretty"),
        ("spend", "mid.col.spend", "money"),
        ("spend_share", "mid.col.spend_share", "percent"),
        ("won_count", "mid.col.won", "int"),
        ("roi", "mid.col.roi", "text"),
        ("credit", "mid.col.credit", "text"),
        ("advice", "mid.col.advice", "text"),
        ("reason", "mid.col.reason", "text"),
    ),
    "sales": _pick(
        _SOURCE_OUTCOMES,
        "sourced_by",
        "closed_count",
        "win_rate",
        "win_rate_lower",
        "win_rate_upper",
        "avg_won_amount",
    ),
    "stuck_opportunities": (
        ("sourced_by", "mid.col.source", "pretty"),
        ("product", "mid.col.product", "pretty"),
        ("amount", "mid.col.amount", "amount"),
        ("age_days", "mid.col.age_days", "int"),
    ),
    # final: building blocks
    "content_plan": (
        ("rank", "strategy.label.rank", "int"),
        ("cell", "strategy.label.cell", "text"),
        ("needed", "strategy.label.needed", "int"),
        ("funnel_stage", "strategy.label.feeds", "text"),
        ("leakage_rate", "strategy.label.leakage", "percent"),
        ("persona_revenue_share", "strategy.label.persona_share", "percent"),
        ("impact_score", "strategy.label.impact", "float2"),
        ("suggested_format", "strategy.label.format", "text"),
    ),
    "tag_suggestions": (
        ("title", "strategy.label.title", "text"),
        ("persona", "strategy.label.suggested_persona", "pretty"),
        ("persona_confidence", "strategy.label.confidence", "text"),
        ("buying_stage", "strategy.label.suggested_stage", "pretty"),
        ("stage_confidence", "strategy.label.confidence", "text"),
        ("why", "final.col.why", "text"),
    ),
    "lead_stages": (
        ("stage", "strategy.label.stage", "text"),
        ("owner", "strategy.label.owner", "text"),
        ("definition", "strategy.label.definition", "text"),
        ("exit_criteria", "strategy.label.exit_criteria", "text"),
        ("sla_days", "strategy.label.sla_days", "text"),
    ),
    "score_weights": (
        ("feature", "strategy.label.feature", "text"),
        ("weight", "strategy.label.weight", "float2"),
        ("effect", "strategy.label.effect", "text"),
    ),
    "sla": (
        ("from", "strategy.label.from", "stage"),
        ("to", "strategy.label.to", "stage"),
        ("sla_days", "strategy.label.sla_days", "int"),
        ("entered", "strategy.label.entered", "int"),
        ("within_sla", "strategy.label.within_sla", "int"),
        ("breached", "strategy.label.breached", "int"),
        ("pending", "strategy.label.pending", "int"),
        ("compliance_rate", "strategy.label.compliance", "percent"),
        ("median_response_days", "strategy.label.median_response", "int"),
    ),
    "recycling": (
        ("stage", "strategy.label.stage", "stage"),
        ("disqualified", "strategy.label.disqualified", "int"),
        ("recycled", "strategy.label.recycled", "int"),
        ("due_for_nurture", "strategy.label.due_for_nurture", "int"),
        ("cooling_off", "strategy.label.cooling_off", "int"),
    ),
    "accounts": (
        ("company", "strategy.label.company", "text"),
        ("lead_count", "strategy.label.engaged_leads", "int"),
        ("hot_leads", "strategy.label.hot_leads", "int"),
    ),
    "review": (
        ("company", "strategy.label.company", "text"),
        ("lead_count", "strategy.label.lead_count", "int"),
        ("stage", "final.col.kept_stage", "text"),
    ),
    "process_model": (
        ("stage", "strategy.label.stage", "text"),
        ("owner", "strategy.label.owner", "text"),
        ("channels", "strategy.label.channels", "text"),
        ("content", "strategy.label.content", "text"),
        ("exit_criteria", "strategy.label.exit_criteria", "text"),
    ),
    "organisation": (
        ("stage", "strategy.label.stage", "text"),
        ("marketing", "strategy.label.marketing", "text"),
        ("sales", "strategy.label.sales", "text"),
        ("operations", "strategy.label.operations", "text"),
    ),
    "technology": (
        ("area", "strategy.label.area", "text"),
        ("item", "strategy.label.item", "text"),
        ("status", "strategy.label.status", "text"),
        ("evidence", "strategy.label.evidence", "text"),
    ),
    # final: the quantitative model (and the playground)
    "plan_stages": _pick(_PLAN_STAGES, "stage", "total", "net_total", "p10", "p90", "rate"),
    "plan_bands": _pick(_PLAN_STAGES, "stage", "p10", "total", "p90"),
    "playground_plan": _pick(
        _PLAN_STAGES, "stage", "total", "net_total", "run_rate", "peak_required", "rate"
    ),
    "plan_assumptions": (
        *STEP,
        *_pick(_PLAN_STAGES, "rate"),
        ("rate_from", "plan.label.rate_from", "text"),
        ("lag_days", "plan.label.lag_days", "int"),
        ("lag_from", "plan.label.lag_from", "text"),
    ),
    "plan_gap": (
        *_pick(_PLAN_STAGES, "stage", "run_rate"),
        ("mean_required", "plan.label.mean_required", "int"),
        *_pick(_PLAN_STAGES, "peak_required"),
        ("peak_month", "plan.label.peak_month", "month"),
        ("lift", "plan.label.lift", "float"),
        ("months_above", "plan.label.months_above", "int"),
    ),
    "plan_reach": _FIGURES,
    "budget_figures": _FIGURES,
    "budget_mix": (
        ("channel", "label.channel", "pretty"),
        ("today_spend_share", "final.col.today_spend_share", "percent"),
        ("today_lead_share", "final.col.today_lead_share", "percent"),
        ("plan_lead_share", "final.col.plan_lead_share", "percent"),
        ("plan_budget_share", "final.col.plan_budget_share", "percent"),
        ("plan_budget", "final.col.plan_budget", "money"),
        ("advice", "final.col.advice", "text"),
    ),
    "budget_allocation": (
        ("channel", "label.channel", "pretty"),
        ("share", "plan.label.share", "percent"),
        ("inquiries", "plan.label.inquiries", "int"),
        ("cost_per_inquiry", "plan.label.cost_per_inquiry", "money"),
        ("budget", "plan.label.budget", "money"),
    ),
    "scenarios": (
        ("scenario", "plan.label.scenario", "text"),
        ("revenue", "plan.label.revenue", "money"),
        ("avg_deal_size", "plan.label.deal_size", "money"),
        ("won", "plan.label.won", "int"),
        ("first_total", "plan.label.first_total", "int"),
        ("out_of_reach_share", "plan.label.out_of_reach", "percent"),
        ("budget", "plan.label.budget", "money"),
        ("ltv_cac", "plan.label.ltv_cac", "float"),
    ),
}


def labelled(spec: Iterable[Column], language: str) -> dict[str, tuple[str, str]]:
    """``spec`` as :func:`workbook.deliverables.display.show_table` takes it: column ->
    (header in ``language``, kind)."""
    return {column: (text(key, language), kind) for column, key, kind in spec}


#: Frame columns whose figures need marketing spend: left out when none was provided.
SPEND_COLUMNS = frozenset(
    {"spend", "cac", "roi", "cost_per_inquiry", "budget", "ltv_cac", "plan_budget"}
)


def table_columns(name: str, language: str, *, spend: bool = True) -> dict[str, tuple[str, str]]:
    """The columns report table ``name`` shows, headers in ``language``.

    Parameters
    ----------
    name : str
        A key of :data:`TABLES` (``kpi_channels``, ``plan_stages``, ...).
    language : {"en", "fr"}
    spend : bool
        False when the client provided no spend (or the budget could not be priced): the
        columns of :data:`SPEND_COLUMNS` are left out rather than shown empty or as 0.

    Returns
    -------
    dict
        Frame column -> (header, kind), in display order.

    Raises
    ------
    KeyError
        Unknown ``name``.

    Examples
    --------
    >>> table_columns("skipped", "en")
    {'stage': ('Stage', 'stage'), 'skipped_count': ('Leads that skipped it', 'int')}
    >>> list(table_columns("kpi_channels", "en", spend=False))
    ['channel', 'leads', 'won_count', 'won_revenue']
    """
    spec = TABLES[name]
    if not spend:
        spec = tuple(column for column in spec if column[0] not in SPEND_COLUMNS)
    return labelled(spec, language)


def attribution_columns(models: Iterable[str], language: str) -> dict[str, tuple[str, str]]:
    """The attribution shares table: the channel, then each model's share of won deals.

    Parameters
    ----------
    models : iterable of str
        The model columns of :func:`workbook.deliverables.midpoint_facts.attribution_shares`.
    language : {"en", "fr"}
    """
    spec = (("channel", "label.channel", "pretty"),)
    spec += tuple((m, f"mid.model.{m}", "percent") for m in models)
    return labelled(spec, language)


__all__ = ["STEP", "TABLES", "Column", "attribution_columns", "labelled", "table_columns"]
