"""An engagement's key tables, computed for the Excel workbook (pure: no I/O).

:func:`build_key_tables` gives the tables with headers, stage names and notes in the report's
language, and a kind per column (:data:`KINDS`) that says how it is formatted:
:func:`workbook.deliverables.excel.write_key_tables` writes them.

The sheets: a contents sheet, the data audit and its issues, the funnel as exported (the
kickoff's counts), and when they can be computed the KPI funnel, velocity and channels
(:func:`workbook.analysis.kpis.compute_kpis`), the plan's stage totals and monthly requirement
(:func:`workbook.analysis.plan.build_plan`, only with ``targets.revenue`` in engagement.yaml) and
the content gaps. No personal field of the data (:data:`workbook.intake.schema.PII_COLUMNS`) is
ever kept, and any text that looks like an e-mail address is replaced.

The sheet titles and headers live in :mod:`workbook.i18n.catalogue.excel` (keys of the shared
catalogue are used where they exist).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from workbook.analysis.baseline import audit_issues, audit_summary, stage_counts
from workbook.analysis.content import content_matrix
from workbook.analysis.journeys import Journeys, journeys_for
from workbook.analysis.numbers import finite_list
from workbook.deliverables.midpoint_facts import channels_recorded
from workbook.i18n import (
    CURRENCY_SYMBOLS,
    NOT_RECORDED,
    check_language,
    format_date,
    pretty,
    stage_label,
    text,
)
from workbook.i18n.privacy import EMAIL_PATTERN, email_replacement
from workbook.intake.engagement import Engagement
from workbook.intake.schema import PII_COLUMNS

#: Column kinds and their Excel number formats (money is built per currency and language).
NUMBER_FORMATS: Mapping[str, str] = {
    "text": "General",
    "int": "#,##0",
    "count": "#,##0",
    "days": "#,##0.0",
    "percent": "0.0%",
    "ratio": "0.00",
    "month": "mmm yyyy",
}
KINDS = (*NUMBER_FORMATS, "money")
#: Excel's limit on sheet names.
SHEET_NAME_MAX_LENGTH = 31
EMAIL_REPLACEMENT = email_replacement("en")


def _t(key: str, language: str, /, **values: object) -> str:
    """Text ``key`` in ``language``: this module's :data:`TEXT`, else the shared catalogue."""
    return text(key, language, **values)


@dataclass(frozen=True)
class KeyTable:
    """One sheet: a display-ready table.

    Attributes
    ----------
    key : str
        Stable identifier (``data_audit``, ``funnel_counts``, ...).
    title : str
        Sheet name in the report language (at most 31 characters).
    about : str
        One sentence: what the table shows (listed on the contents sheet).
    frame : DataFrame
        Columns are the headers shown; values are raw numbers (rates as fractions 0..1,
        money in the engagement's currency, months as first-day timestamps) or text.
    kinds : tuple of str
        One of :data:`KINDS` per column: how it is formatted.
    notes : tuple of str
        Lines written under the table.
    """

    key: str
    title: str
    about: str
    frame: pd.DataFrame
    kinds: tuple[str, ...]
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if len(self.kinds) != self.frame.shape[1]:
            raise ValueError(
                f"{self.key}: {self.frame.shape[1]} columns but {len(self.kinds)} kinds"
            )
        unknown = sorted(set(self.kinds) - set(KINDS))
        if unknown:
            raise ValueError(f"{self.key}: unknown column kinds {unknown}")
        if len(self.title) > SHEET_NAME_MAX_LENGTH:
            raise ValueError(f"{self.key}: sheet name {self.title!r} is over 31 characters")


@dataclass(frozen=True)
class KeyTables:
    """Every key table of an engagement, in sheet order, and what the sheets are about.

    Attributes
    ----------
    client, currency, language : str
    as_of : datetime.date
    tables : tuple of KeyTable
        The contents sheet first.
    notes : tuple of str
        Tables left out, and why (also written on the contents sheet).
    """

    client: str
    as_of: dt.date
    currency: str
    language: str
    tables: tuple[KeyTable, ...] = field(default_factory=tuple)
    notes: tuple[str, ...] = ()

    def sheet(self, key: str) -> KeyTable:
        """The table of that key."""
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(table.key for table in self.tables)


def redact_personal_data(frame: pd.DataFrame, *, language: str = "en") -> pd.DataFrame:
    """Drop personal columns and blank out anything that looks like an e-mail address.

    Parameters
    ----------
    frame : DataFrame
        Any table about to leave the process (report, sheet).
    language : {"en", "fr"}
        Of the text that replaces an address.

    Returns
    -------
    DataFrame
        A copy without the columns of :data:`workbook.intake.schema.PII_COLUMNS` (matched case- and
        space-insensitively), and every e-mail address in a text cell replaced as
        :func:`workbook.i18n.privacy.redact_emails` does.

    Examples
    --------
    >>> frame = pd.DataFrame({"email": ["a@b.example"], "note": ["from Ann <ann@b.example>"]})
    >>> redact_personal_data(frame).to_dict("records")
    [{'note': 'from Ann <[e-mail removed]>'}]
    """
    personal = [c for c in frame.columns if str(c).strip().lower().replace(" ", "_") in PII_COLUMNS]
    clean, replaced = frame.drop(columns=personal), email_replacement(language)
    for column in clean.columns:
        values = clean[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            text_values = values.astype("string")
            if text_values.str.contains("@", regex=False).fillna(False).any():
                clean[column] = text_values.str.replace(EMAIL_PATTERN, replaced, regex=True)
    return clean


def _table(
    key: str,
    language: str,
    columns: Sequence[tuple[str, str, Sequence[Any]]],
    *,
    about: str,
    notes: tuple[str, ...] = (),
) -> KeyTable:
    """A KeyTable from ``(header, kind, values)`` triples, personal data removed."""
    frame = pd.DataFrame({header: list(values) for header, _, values in columns})
    if frame.shape[1] != len(columns):
        raise ValueError(f"{key}: two columns have the same header")
    frame = redact_personal_data(frame, language=language)
    kinds = tuple(kind for header, kind, _ in columns if header in frame.columns)
    return KeyTable(
        key=key,
        title=_t(f"xlsx.sheet.{key}", language),
        about=about,
        frame=frame,
        kinds=kinds,
        notes=notes,
    )


def _floats(values: Any) -> list[float | None]:
    """Plain floats, None for missing (written as empty cells); text that is no number too."""
    return finite_list(pd.to_numeric(pd.Series(values, dtype=object), errors="coerce"))


def _ints(values: Any) -> list[int | None]:
    """Whole numbers; a missing one stays an empty cell."""
    return [None if pd.isna(v) else int(v) for v in values]


def _stages(values: Any, language: str) -> list[str]:
    return [stage_label(str(v), language) for v in values]


def _step_columns(
    steps: pd.DataFrame, language: str, *, counts: bool = False
) -> list[tuple[str, str, list[Any]]]:
    """A funnel step's stages (``from``, ``to``) and, with ``counts``, the leads that entered
    the step and converted."""
    columns: list[tuple[str, str, list[Any]]] = [
        (_t("label.from_stage", language), "text", _stages(steps["from"], language)),
        (_t("label.to_stage", language), "text", _stages(steps["to"], language)),
    ]
    if counts:
        columns += [
            (_t("label.entered", language), "int", _ints(steps["entered"])),
            (_t("label.converted", language), "int", _ints(steps["converted"])),
        ]
    return columns


def _data_tables(engagement: Engagement, journeys: Journeys, language: str) -> list[KeyTable]:
    """Data audit, its issues, and the funnel counts as exported (the kickoff's tables)."""
    summary = audit_summary(engagement.audit, engagement.files)
    issues = audit_issues(engagement.audit, language=language)
    counts = stage_counts(journeys)
    t = _t
    return [
        _table(
            "data_audit",
            language,
            [
                (t("label.file", language), "text", summary["file"].astype(str)),
                (t("label.rows_read", language), "int", _ints(summary["read"])),
                (t("label.rows_used", language), "int", _ints(summary["used"])),
                (t("label.rows_quarantined", language), "int", _ints(summary["quarantined"])),
                (t("label.errors", language), "int", _ints(summary["errors"])),
                (t("label.warnings", language), "int", _ints(summary["warnings"])),
            ],
            about=t("xlsx.about.data_audit", language),
        ),
        _table(
            "data_issues",
            language,
            [
                (
                    t("xlsx.col.severity", language),
                    "text",
                    [t(f"xlsx.severity.{s}", language) for s in issues["severity"]],
                ),
                (t("label.file", language), "text", issues["file"].astype(str)),
                (t("label.column", language), "text", issues["column"].astype(str)),
                (t("label.rows", language), "int", _ints(issues["rows"])),
                (t("xlsx.col.message", language), "text", issues["message"].astype(str)),
            ],
            about=t("xlsx.about.data_issues", language),
        ),
        _table(
            "funnel_counts",
            language,
            [
                *_step_columns(counts, language, counts=True),
                (t("label.naive_rate", language), "percent", _floats(counts["naive_rate"])),
            ],
            about=t("xlsx.about.funnel_counts", language),
        ),
    ]


def _kpi_tables(engagement: Engagement, journeys: Journeys, language: str) -> list[KeyTable]:
    """The KPI funnel, velocity and channels (:func:`workbook.analysis.kpis.compute_kpis`), if it exists."""
    try:
        from workbook.analysis.kpis import compute_kpis
    except ImportError:
        return []
    kpis = compute_kpis(engagement, journeys)
    t = _t
    horizon = int(kpis.horizon_days)
    funnel, velocity, channels = kpis.funnel, kpis.velocity, kpis.channels
    within = [c for c in velocity.columns if re.fullmatch(r"within_\d+_days", str(c))]
    level = f"{kpis.confidence_level:.0%}".replace("%", " %" if language == "fr" else "%")
    # without spend provided: no spend, CAC or ROI column, and a note says why
    spend = kpis.spend_provided
    drop = set() if spend else {t(f"xlsx.col.{c}", language) for c in ("spend", "cac", "roi")}
    recorded = channels_recorded(channels)
    if not recorded:  # no lead has a channel: no row for "Not recorded", a note says so
        channels = channels.loc[channels["channel"].astype(str) != NOT_RECORDED]
    channel_columns = [
        (t("label.channel", language), "text", [pretty(c, language) for c in channels["channel"]]),
        (t("xlsx.col.spend", language), "money", _floats(channels["spend"])),
        (t("label.leads", language), "int", _ints(channels["leads"])),
        (t("xlsx.col.won_count", language), "int", _ints(channels["won_count"])),
        (t("xlsx.col.won_revenue", language), "money", _floats(channels["won_revenue"])),
        (t("xlsx.col.cac", language), "money", _floats(channels["cac"])),
        (t("xlsx.col.roi", language), "ratio", _floats(channels["roi"])),
    ]
    channels_table = _table(
        "kpi_channels",
        language,
        [column for column in channel_columns if column[0] not in drop],
        about=t(
            "xlsx.about.kpi_channels" if spend else "spend.excel_about",
            language,
            start=format_date(kpis.window_start.date(), language),
            end=format_date(kpis.as_of, language),
        ),
        notes=(() if spend else (t("spend.missing.excel", language),))
        + (() if recorded else (t("thin.channel.none", language),)),
    )
    return [
        _table(
            "kpi_funnel",
            language,
            [
                *_step_columns(funnel, language, counts=True),
                (t("xlsx.col.rate", language, horizon=horizon), "percent", _floats(funnel["rate"])),
                (t("xlsx.col.rate_lower", language), "percent", _floats(funnel["rate_lower"])),
                (t("xlsx.col.rate_upper", language), "percent", _floats(funnel["rate_upper"])),
                (t("label.naive_rate", language), "percent", _floats(funnel["naive_rate"])),
                (t("xlsx.col.median_days", language), "days", _floats(funnel["median_days"])),
            ],
            about=t("xlsx.about.kpi_funnel", language, horizon=horizon, level=level),
        ),
        _table(
            "kpi_velocity",
            language,
            [
                *_step_columns(velocity, language),
                (
                    t("xlsx.col.rate", language, horizon=horizon),
                    "percent",
                    _floats(velocity["rate"]),
                ),
                (t("xlsx.col.median_days", language), "days", _floats(velocity["median_days"])),
                (t("xlsx.col.p75_days", language), "days", _floats(velocity["p75_days"])),
                (t("xlsx.col.p90_days", language), "days", _floats(velocity["p90_days"])),
                *(
                    (
                        t("xlsx.col.within_days", language, days=int(c.split("_")[1])),
                        "percent",
                        _floats(velocity[c]),
                    )
                    for c in within
                ),
            ],
            about=t("xlsx.about.kpi_velocity", language),
        ),
        channels_table,
    ]


def _plan_tables(
    engagement: Engagement, journeys: Journeys, language: str
) -> tuple[list[KeyTable], str | None]:
    """The plan's stage totals and monthly requirement, or why there is no plan."""
    if engagement.config.targets.revenue is None:
        return [], _t("xlsx.note.no_targets", language)
    try:
        from workbook.analysis.plan import PlanError, build_plan
    except ImportError:
        return [], None
    try:
        plan = build_plan(engagement, journeys)
    except PlanError as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return [], _t("xlsx.note.plan_error", language, reason=reason)
    t = _t
    stages = plan.stage_frame()
    target = engagement.config.targets.revenue
    symbol = CURRENCY_SYMBOLS.get(engagement.config.currency, engagement.config.currency)
    target_text = (
        f"{target:,.0f}\u202f{symbol}".replace(",", "\u202f")
        if language == "fr"
        else f"{symbol}{target:,.0f}"
    )
    sources = [
        t(f"xlsx.from.{s}", language) if s in ("data", "override") else ""
        for s in stages["rate_from"].astype(object)
    ]
    totals = _table(
        "plan_totals",
        language,
        [
            (t("label.stage", language), "text", _stages(stages["stage"], language)),
            (t("xlsx.col.total", language), "count", _floats(stages["total"])),
            (t("xlsx.col.net_total", language), "count", _floats(stages["net_total"])),
            (t("xlsx.col.run_rate", language), "count", _floats(stages["run_rate"])),
            (t("xlsx.col.peak_required", language), "count", _floats(stages["peak_required"])),
            (t("xlsx.col.next_rate", language), "percent", _floats(stages["rate"])),
            (t("xlsx.col.rate_from", language), "text", sources),
        ],
        about=t("xlsx.about.plan_totals", language, target=target_text),
    )
    months = [pd.Timestamp(f"{m}-01").to_pydatetime() for m in plan.months]
    required = _table(
        "plan_required",
        language,
        [
            (t("label.month", language), "month", months),
            *(
                (stage_label(stage, language), "count", _floats(plan.required[k]))
                for k, stage in enumerate(plan.stages)
            ),
        ],
        about=t("xlsx.about.plan_required", language),
    )
    return [totals, required], None


def _content_tables(engagement: Engagement, language: str) -> list[KeyTable]:
    """The content gaps (:func:`workbook.analysis.content.content_gaps`), if it exists."""
    try:
        from workbook.analysis.content import content_gaps
    except ImportError:
        return []
    config = engagement.config
    matrix = content_matrix(
        engagement.content, personas=config.personas, buying_stages=config.buying_stages
    )
    gaps = content_gaps(matrix, min_assets=config.min_assets_per_cell)
    notes: tuple[str, ...] = ()
    if not engagement.has("content"):  # no inventory: no gap, the sheet says why
        gaps, notes = gaps.iloc[:0], (_t("missing.content", language),)
    t = _t
    return [
        _table(
            "content_gaps",
            language,
            [
                (
                    t("label.persona", language),
                    "text",
                    [pretty(p, language) for p in gaps["persona"]],
                ),
                (
                    t("label.buying_stage", language),
                    "text",
                    [pretty(s, language) for s in gaps["buying_stage"]],
                ),
                (t("label.assets", language), "int", _ints(gaps["assets"])),
                (t("xlsx.col.needed", language), "int", _ints(gaps["needed"])),
            ],
            about=t("xlsx.about.content_gaps", language, min_assets=config.min_assets_per_cell),
            notes=notes,
        )
    ]


def build_key_tables(
    engagement: Engagement, journeys: Journeys | None = None, *, language: str
) -> KeyTables:
    """Every key table of an engagement, ready to write (no I/O).

    Parameters
    ----------
    engagement : Engagement
    journeys : Journeys, optional
        Built from ``engagement`` when not given.
    language : {"en", "fr"}
        Of sheet names, headers, stage names and notes.

    Returns
    -------
    KeyTables
        Sheets in order: ``contents``, ``data_audit``, ``data_issues``, ``funnel_counts``,
        ``kpi_funnel``, ``kpi_velocity``, ``kpi_channels``, then ``plan_totals`` and
        ``plan_required`` when engagement.yaml has a revenue target and the plan can be
        computed (otherwise a note says why), then ``content_gaps``.

    Raises
    ------
    ValueError
        Unknown ``language``.

    See Also
    --------
    write_key_tables : writes them to an ``.xlsx`` file.
    """
    check_language(language)
    journeys = journeys_for(engagement, journeys)
    tables = _data_tables(engagement, journeys, language)
    tables += _kpi_tables(engagement, journeys, language)
    plan_tables, plan_note = _plan_tables(engagement, journeys, language)
    tables += plan_tables
    tables += _content_tables(engagement, language)
    notes = (plan_note,) if plan_note else ()
    contents = _table(
        "contents",
        language,
        [
            (_t("xlsx.col.sheet", language), "text", [table.title for table in tables]),
            (_t("xlsx.col.shows", language), "text", [table.about for table in tables]),
        ],
        about="",
        notes=notes,
    )
    config = engagement.config
    return KeyTables(
        client=config.client,
        as_of=engagement.as_of,
        currency=config.currency,
        language=language,
        tables=(contents, *tables),
        notes=notes,
    )
