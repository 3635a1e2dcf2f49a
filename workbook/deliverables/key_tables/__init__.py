"""An engagement's key tables for the Excel workbook, from what the run's phases saved (no I/O).

:func:`build_key_tables` gives the tables with headers, data values and notes in the report's
language, every number rounded as the reports show it, and a kind per column that says how it
is formatted: :func:`workbook.deliverables.excel.write_key_tables` writes them.

Nothing is computed again here: a figure has one value in the reports, the decks and the
workbook because the workbook reads what the phase notebooks saved
(:class:`workbook.deliverables.notebook.PhaseOutputs`: the run's figures register and the
tables the reports showed) and the validation's record of the data (``engagement.audit``):

- the kickoff's: the data audit and its issues, the funnel as exported, the content gaps
  (:mod:`~workbook.deliverables.key_tables.tables_data`);
- the mid-point's: the KPI scorecard (each figure read from the register by its key), funnel,
  velocity, channels and attribution (:mod:`~workbook.deliverables.key_tables.tables_kpis`);
- the final report's plan and budget: stage totals, the monthly volumes its chart plots, the
  budget by channel and LTV:CAC (the register's ``plan.budget.*``), today's and the plan's mix
  (:mod:`~workbook.deliverables.key_tables.tables_plan`);
- the final report's scoring, SLAs and merge review
  (:mod:`~workbook.deliverables.key_tables.tables_strategy`).

A phase that did not run leaves its sheets out, and the contents sheet says why. No personal
field of the data (:data:`workbook.intake.schema.PII_COLUMNS`) is ever kept, and any text
that looks like an e-mail address is replaced. The sheet titles and headers live in
:mod:`workbook.i18n.catalogue.excel` (keys of the shared catalogue are used where they exist).
"""

from __future__ import annotations

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
from workbook.deliverables.key_tables.tables_kpis import MIDPOINT_TABLES, kpi_tables
from workbook.deliverables.key_tables.tables_plan import (
    BUDGET_FIGURES,
    PLAN_TABLES,
    plan_chart_series,
    plan_tables,
)
from workbook.deliverables.key_tables.tables_strategy import PHASE_TABLES, strategy_tables
from workbook.deliverables.notebook import PhaseOutputs
from workbook.deliverables.register import FigureRegister
from workbook.i18n import check_language, text, use_labels
from workbook.intake.engagement import Engagement

__all__ = [
    "BUDGET_FIGURES",
    "DECIMALS",
    "DISPLAY_KINDS",
    "EMAIL_REPLACEMENT",
    "KINDS",
    "PHASE_TABLES",
    "SHEET_NAME_MAX_LENGTH",
    "KeyTable",
    "KeyTables",
    "MIDPOINT_TABLES",
    "PLAN_TABLES",
    "build_key_tables",
    "field_label",
    "number_formats",
    "plan_chart_series",
    "redact_personal_data",
    "rounded",
]


def build_key_tables(
    engagement: Engagement,
    saved: PhaseOutputs | None = None,
    *,
    language: str,
) -> KeyTables:
    """Every key table of an engagement's run, ready to write (no I/O).

    Parameters
    ----------
    engagement : Engagement
        The engagement the run validated: its configuration (client, currency, labels,
        stages) and the validation's record of the data (``engagement.audit``).
    saved : PhaseOutputs, optional
        What the run's phase notebooks saved
        (:func:`workbook.deliverables.notebook.read_phase_outputs`): the figures register and
        the tables the reports showed (:func:`workbook.deliverables.saved_tables` and
        :func:`workbook.deliverables.final_tables.final_tables`). Without them only the
        data audit and its issues are written, and the contents sheet says why.
    language : {"en", "fr"}
        Of sheet names, headers, data values and notes.

    Returns
    -------
    KeyTables
        Sheets in order: ``contents``, ``data_audit``, ``data_issues``, ``funnel_counts``
        (kickoff), ``scorecard``, ``kpi_funnel``, ``kpi_velocity``, ``kpi_channels``,
        ``attribution`` (mid-point, with touches), then ``plan_totals``, ``plan_monthly``,
        ``budget`` (when a channel was recorded), ``ltv_cac`` and ``budget_mix`` (final),
        then ``content_gaps`` (kickoff), then ``scoring_model``, ``scoring_weights``, ``sla``
        and ``merge_review`` (final). A sheet left out is named in :attr:`KeyTables.notes`,
        with why.

    Raises
    ------
    ValueError
        Unknown ``language``.

    See Also
    --------
    write_key_tables : writes them to an ``.xlsx`` file.
    """
    check_language(language)
    saved = saved or PhaseOutputs(register=FigureRegister(), summaries={}, tables={})
    with use_labels(engagement.config.labels):  # engagement.yaml's labels, for every value
        return _build(engagement, saved, language)


def _build(engagement: Engagement, saved: PhaseOutputs, language: str) -> KeyTables:
    """:func:`build_key_tables`, the labels in force."""
    config = engagement.config
    phase_tables, register = saved.tables, saved.register
    tables = data_tables(engagement, phase_tables, language)
    notes = (
        [] if "kickoff_stage_counts" in phase_tables else [text("xlsx.note.no_kickoff", language)]
    )
    kpis, kpi_notes = kpi_tables(phase_tables, register, language)
    tables += kpis
    notes += kpi_notes
    final, final_notes = strategy_tables(phase_tables, language)
    if config.targets.revenue is None:
        notes.append(text("xlsx.note.no_targets", language))
    else:
        tables += plan_tables(
            phase_tables,
            register,
            as_of=engagement.as_of,
            currency=config.currency,
            language=language,
        )
        tables += [table for table in final if table.key == "budget_mix"]
    tables += content_tables(engagement, phase_tables, language)
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
