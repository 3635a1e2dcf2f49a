"""The Excel workbook of an engagement's key tables: one formatted sheet per table.

:func:`write_key_tables` writes the tables of
:func:`workbook.deliverables.key_tables.build_key_tables` with openpyxl through
:class:`pandas.ExcelWriter`, atomically (a temporary file renamed into place). Every sheet has
a title row naming the client and the as-of date, a bold header row that stays frozen while
scrolling, an auto-filter, column widths that fit the content, and number formats by kind
(:func:`workbook.deliverables.key_tables.number_formats`): whole numbers, one or two decimals,
percentages, money in the engagement's currency, months and dates in the report's language.
Every number is stored rounded as the reports print it, and as a number, so Excel shows it
with the reader's own separators.

Every text cell is stored as text (:func:`_store_text_as_text`, the one pass over every cell of
every sheet): a client name or a channel that starts with ``=`` is never a formula, ``#N/A``
never an error value, and no e-mail address is written. Control characters an xlsx file
cannot hold are left out of every text first (:func:`_printable_tables`).

The names of :mod:`workbook.deliverables.key_tables` are importable from here too.
"""

from __future__ import annotations

import dataclasses
import os
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbook.deliverables.key_tables import (
    KINDS,
    PHASE_TABLES,
    KeyTable,
    KeyTables,
    build_key_tables,
    number_formats,
    redact_personal_data,
)
from workbook.deliverables.notebook import PhaseOutputs
from workbook.i18n import format_date, text
from workbook.i18n.privacy import redact_emails
from workbook.intake.engagement import Engagement

#: Row of the title, the subtitle, and the header (1-based); data start below the header.
TITLE_ROW, SUBTITLE_ROW, HEADER_ROW = 1, 2, 4
#: Column widths, in characters.
MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH = 8, 80
HEADER_FILL = "DDE3EA"
#: First characters that make a spreadsheet read typed text as a formula (OWASP's list for
#: CSV injection): such text cells also carry Excel's "quote prefix", so editing one in
#: Excel keeps it text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def money_format(currency: str, language: str) -> str:
    """Excel number format for amounts: ``"€"#,##0`` in English, ``#,##0 "€"`` in French.

    Examples
    --------
    >>> money_format("EUR", "fr")
    '#,##0 "€"'
    >>> money_format("CHF", "en")
    '"CHF "#,##0'
    """
    return number_formats(language, currency)["money"]


def write_key_tables(
    engagement: Engagement,
    path: str | Path,
    *,
    language: str,
    saved: PhaseOutputs | None = None,
) -> Path:
    """Write the engagement's key tables to an Excel workbook, one formatted sheet each.

    The file is written next to ``path`` under a temporary name and renamed into place, so
    a failure or an interruption never leaves a truncated workbook at ``path``.

    Parameters
    ----------
    engagement : Engagement
        The engagement the run validated (configuration and the validation's record).
    path : str or Path
        The ``.xlsx`` file to write; its folder is created if needed; replaced if it exists.
    language : {"en", "fr"}
        Of sheet names, headers and notes.
    saved : PhaseOutputs, optional
        What the run's phase notebooks saved: the figures register and the tables the
        reports showed (:func:`workbook.deliverables.notebook.read_phase_outputs`). The sheets
        of a phase that did not run are left out, and the contents sheet says so.

    Returns
    -------
    Path
        ``path``.

    See Also
    --------
    build_key_tables : the tables written.
    """
    tables = _printable_tables(build_key_tables(engagement, saved, language=language))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # A fresh name, created by the writer with the usual permissions (not mkstemp's 0600).
    partial = path.parent / f".{path.name}.{uuid.uuid4().hex}.tmp"
    try:
        with pd.ExcelWriter(partial, engine="openpyxl") as writer:
            for table in tables.tables:
                table.frame.to_excel(
                    writer, sheet_name=table.title, startrow=HEADER_ROW - 1, index=False
                )
                _format_sheet(writer.sheets[table.title], table, tables)
                _store_text_as_text(writer.sheets[table.title], language=language)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def _format_sheet(sheet: Any, table: KeyTable, tables: KeyTables) -> None:
    """Title rows, header style, frozen header, filter, widths and number formats."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    language = tables.language
    sheet.cell(TITLE_ROW, 1, text("xlsx.title", language, client=tables.client, sheet=table.title))
    sheet.cell(TITLE_ROW, 1).font = Font(bold=True, size=14)
    subtitle = (
        f"{text('subtitle', language, as_of=format_date(tables.as_of, language))}"
        f" · {text('xlsx.amounts', language, currency=tables.currency)}"
    )
    sheet.cell(SUBTITLE_ROW, 1, subtitle)
    sheet.cell(SUBTITLE_ROW, 1).font = Font(italic=True, color="555555")

    row_count, column_count = table.frame.shape
    last_row = HEADER_ROW + row_count
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    header_border = Border(bottom=Side(style="thin", color="888888"))
    formats = number_formats(language, tables.currency)
    for index, (header, kind) in enumerate(zip(table.frame.columns, table.kinds, strict=True)):
        column = index + 1
        cell = sheet.cell(HEADER_ROW, column)
        cell.font = header_font
        cell.fill = header_fill
        cell.border = header_border
        cell.alignment = Alignment(
            horizontal="left" if kind == "text" else "right", vertical="bottom", wrap_text=True
        )
        row_kinds = table.cell_kinds.get(header) or (kind,) * row_count  # a mixed column
        for row, row_kind in enumerate(row_kinds, start=HEADER_ROW + 1):
            sheet.cell(row, column).number_format = formats[row_kind]
        width = max(
            [len(str(header))]
            + [_display_width(value, kind) for value in table.frame.iloc[:, index]]
        )
        sheet.column_dimensions[get_column_letter(column)].width = min(
            MAX_COLUMN_WIDTH, max(MIN_COLUMN_WIDTH, width + 2)
        )
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1).coordinate
    if row_count and column_count:
        sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(column_count)}{last_row}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    if table.key == "contents":
        for offset, title in enumerate(table.frame.iloc[:, 0]):
            cell = sheet.cell(HEADER_ROW + 1 + offset, 1)
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{title}'!A1")
            cell.font = Font(color="1F4E79", underline="single")
    for offset, note in enumerate(table.notes):
        sheet.cell(last_row + 2 + offset, 1, note).font = Font(italic=True)


def _printable_tables(tables: KeyTables) -> KeyTables:
    """``tables`` without the control characters (``\\x01``, ``\\x0b``...) that XML, so an
    xlsx file, cannot hold: openpyxl refuses them. They show nothing, so what a reader sees
    is unchanged."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def printable(value: Any) -> Any:
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

    def table(key_table: KeyTable) -> KeyTable:
        frame = key_table.frame.map(printable).rename(columns=printable)
        notes = tuple(map(printable, key_table.notes))
        return dataclasses.replace(key_table, frame=frame, notes=notes)

    return dataclasses.replace(
        tables,
        client=printable(tables.client),
        tables=tuple(map(table, tables.tables)),
        notes=tuple(map(printable, tables.notes)),
    )


def _store_text_as_text(sheet: Any, *, language: str) -> None:
    """Make every text cell of ``sheet`` plain text: never a formula, never an e-mail address.

    openpyxl stores a string starting with ``=`` as a formula (``data_type`` ``"f"``) and one
    equal to an error code (``#N/A``) as an error. Each string cell gets ``data_type`` ``"s"``
    (written as an inline string, shown exactly as typed and never evaluated) after any e-mail
    address in it is replaced; one starting with a :data:`FORMULA_TRIGGERS` character also
    gets the quote-prefix style, the file-format form of Excel's leading apostrophe: Excel
    hides it and keeps the cell text when it is edited. A literal apostrophe (OWASP's advice
    for CSV) would show in an xlsx cell and change what the client typed.
    """
    for row in sheet.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str):
                continue
            shown = redact_emails(cell.value, language)
            if shown != cell.value:
                cell.value = shown
            cell.data_type = "s"
            if shown.startswith(FORMULA_TRIGGERS):
                cell.quotePrefix = True


def _display_width(value: object, kind: str) -> int:
    """Roughly how many characters a cell shows."""
    if value is None or value is pd.NA or (isinstance(value, float) and not np.isfinite(value)):
        return 0
    if kind == "percent":
        return len(f"{float(value):.1%}") + 1
    if kind in ("month", "date"):
        return 10
    if kind in ("int", "money"):
        return len(f"{float(value):,.0f}") + (2 if kind == "money" else 0)
    if kind in ("float", "float2"):
        return len(f"{float(value):,.2f}")
    return len(str(value))


__all__ = [
    "KINDS",
    "PHASE_TABLES",
    "KeyTable",
    "KeyTables",
    "build_key_tables",
    "money_format",
    "redact_personal_data",
    "write_key_tables",
]
