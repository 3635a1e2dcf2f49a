"""An engagement's key tables, computed for the Excel workbook (pure: no I/O).

:func:`build_key_tables` gives the tables with headers, data values and notes in the report's
language, every number rounded as the reports show it, and a kind per column that says how it
is formatted: :func:`workbook.deliverables.excel.write_key_tables` writes them.

The sheets reuse the functions the reports use, so a figure has the same value in both:

- the kickoff's: the data audit and its issues, the funnel as exported, the content gaps
  (:mod:`~workbook.deliverables.key_tables.tables_data`);
- the mid-point's: the KPI scorecard, funnel, velocity, channels and attribution
  (:mod:`~workbook.deliverables.key_tables.tables_kpis`,
  :func:`workbook.deliverables.midpoint.build_midpoint`);
- the final report's plan and budget: stage totals, the monthly volumes its chart plots, the
  budget by channel and LTV:CAC (:mod:`~workbook.deliverables.key_tables.tables_plan`,
  :func:`workbook.deliverables.final.build_final_quant`), only with ``targets.revenue`` in
  engagement.yaml;
- the final report's scoring, SLAs and merge review
  (:mod:`~workbook.deliverables.key_tables.tables_strategy`), from the tables the final
  notebook saved: never recomputed here.

No personal field of the data (:data:`workbook.intake.schema.PII_COLUMNS`) is ever kept, and
any text that looks like an e-mail address is replaced. The sheet titles and headers live in
:mod:`workbook.i18n.catalogue.excel` (keys of the shared catalogue are used where they exist).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from workbook.analysis.journeys import Journeys, journeys_for
from workbook.analysis.plan import PlanError
from workbook.deliverables.final import build_final_quant
from workbook.deliverables.key_tables.frame import (
    DECIMALS,
    DISPLAY_KINDS,
    EMAIL_REPLACEMENT,
    KINDS,
    SHEET_NAME_MAX_LENGTH,
    KeyTable,
    KeyTables,
    field_label,
    make_table,
    number_formats,
    redact_personal_data,
    rounded,
)
from workbook.deliverables.key_tables.tables_data import content_tables, data_tables
from workbook.deliverables.key_tables.tables_kpis import kpi_tables
from workbook.deliverables.key_tables.tables_plan import plan_chart_series, plan_tables
from workbook.deliverables.key_tables.tables_strategy import PHASE_TABLES, strategy_tables
from workbook.deliverables.midpoint import build_midpoint
from workbook.i18n import check_language, text, use_labels
from workbook.intake.engagement import Engagement

__all__ = [
    "DECIMALS",
    "DISPLAY_KINDS",
    "EMAIL_REPLACEMENT",
    "KINDS",
    "PHASE_TABLES",
    "SHEET_NAME_MAX_LENGTH",
    "KeyTable",
    "KeyTables",
    "build_key_tables",
    "field_label",
    "number_formats",
    "plan_chart_series",
    "redact_personal_data",
    "rounded",
]


def build_key_tables(
    engagement: Engagement,
    journeys: Journeys | None = None,
    *,
    language: str,
    phase_tables: Mapping[str, pd.DataFrame] | None = None,
) -> KeyTables:
    """Every key table of an engagement, ready to write (no I/O).

    Parameters
    ----------
    engagement : Engagement
    journeys : Journeys, optional
        Built from ``engagement`` when not given.
    language : {"en", "fr"}
        Of sheet names, headers, data values and notes.
    phase_tables : mapping of str to DataFrame, optional
        The tables the phase notebooks saved, by name; the ones read are
        :data:`PHASE_TABLES` (the final notebook's budget mix, scoring, SLA and merge review,
        :func:`workbook.deliverables.final_tables.final_tables`), others are ignored. Without them those sheets are left out and the contents sheet says why.

    Returns
    -------
    KeyTables
        Sheets in order: ``contents``, ``data_audit``, ``data_issues``, ``funnel_counts``,
        ``scorecard``, ``kpi_funnel``, ``kpi_velocity``, ``kpi_channels``, ``attribution``
        (with touches), then ``plan_totals``, ``plan_monthly``, ``budget`` (when a channel
        was recorded), ``ltv_cac`` and ``budget_mix`` (from ``phase_tables``) when
        engagement.yaml has a revenue target and the plan can be computed, then
        ``content_gaps``, then ``scoring_model``, ``scoring_weights``, ``sla`` and
        ``merge_review`` from ``phase_tables``. A sheet left out is named in
        :attr:`KeyTables.notes`, with why.

    Raises
    ------
    ValueError
        Unknown ``language``.

    See Also
    --------
    write_key_tables : writes them to an ``.xlsx`` file.
    """
    check_language(language)
    with use_labels(engagement.config.labels):  # engagement.yaml's labels, for every value
        return _build(engagement, journeys_for(engagement, journeys), language, phase_tables)


def _build(
    engagement: Engagement,
    journeys: Journeys,
    language: str,
    phase_tables: Mapping[str, pd.DataFrame] | None,
) -> KeyTables:
    """:func:`build_key_tables`, the labels in force."""
    config = engagement.config
    tables = data_tables(engagement, journeys, language)
    kpis, kpi_notes = kpi_tables(build_midpoint(engagement, journeys), language)
    tables += kpis
    notes = list(kpi_notes)
    final, final_notes = strategy_tables(phase_tables, language)
    if config.targets.revenue is None:
        notes.append(text("xlsx.note.no_targets", language))
    else:
        try:
            quant = build_final_quant(engagement, journeys, simulate=0)
        except PlanError:  # the reason is configuration, for the consultant: not in the workbook
            notes.append(text("xlsx.note.plan_error", language))
        else:
            tables += plan_tables(
                quant, as_of=engagement.as_of, currency=config.currency, language=language
            )
            tables += [table for table in final if table.key == "budget_mix"]
    tables += content_tables(engagement, language)
    tables += [table for table in final if table.key != "budget_mix"]
    notes += final_notes
    contents = make_table(
        "contents",
        language,
        [
            (text("xlsx.col.sheet", language), "text", [table.title for table in tables]),
            (text("xlsx.col.shows", language), "text", [table.about for table in tables]),
        ],
        about="",
        notes=tuple(notes),
    )
    return KeyTables(
        client=config.client,
        as_of=engagement.as_of,
        currency=config.currency,
        language=language,
        tables=(contents, *tables),
        notes=tuple(notes),
    )
