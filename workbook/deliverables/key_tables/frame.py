"""One sheet of the key-tables workbook: its frame, its column kinds, and how cells are rounded.

A :class:`KeyTable` holds display-ready values: every number rounded to the decimals the
reports show for its kind (:data:`DECIMALS`), every data value (channel, stage, persona)
already in words in the report's language. :func:`make_table` builds one from ``(header,
kind, values)`` columns, where the kind is one of the reports' display kinds
(:data:`workbook.deliverables.display.FORMATTERS`): the Excel cell holds the number the
report prints, and Excel's number format (:func:`number_formats`) shows it the same way.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from workbook.i18n import CATALOGUE, CURRENCY_SYMBOLS, NNBSP, pretty, stage_label, text
from workbook.i18n.privacy import EMAIL_PATTERN, email_replacement
from workbook.intake.schema import PII_COLUMNS

#: The kinds of an Excel column; every one but ``text`` is a number or a date.
KINDS = ("text", "int", "float", "float2", "percent", "money", "month", "date", "days")
#: Decimals kept in a cell, per kind, as the reports print them
#: (:func:`workbook.i18n.format_number`, ``format_percent``, ``format_money``): a percentage
#: is stored as a fraction, so one decimal of a percent is three of the fraction.
DECIMALS: Mapping[str, int] = {
    "int": 0,
    "float": 1,
    "float2": 2,
    "percent": 3,
    "money": 0,
    "days": 0,
}
#: The reports' display kinds (:data:`workbook.deliverables.display.FORMATTERS`) -> Excel kind.
DISPLAY_KINDS: Mapping[str, str] = {
    "text": "text",
    "pretty": "text",
    "stage": "text",
    "int": "int",
    "count": "int",
    "float": "float",
    "float2": "float2",
    "money": "money",
    "amount": "money",
    "percent": "percent",
    "date": "date",
    "month": "month",
    "days": "days",
}
#: Display kinds of a figure: a column of them with no figure at all is left out.
_FIGURE_KINDS = frozenset({"int", "float", "float2", "money", "percent"})
#: Excel's limit on sheet names.
SHEET_NAME_MAX_LENGTH = 31
EMAIL_REPLACEMENT = email_replacement("en")


def number_formats(language: str, currency: str) -> dict[str, str]:
    """Excel number format of each kind in ``language``.

    Numbers are stored as numbers, so Excel shows the thousands and decimal separators of the
    reader's settings; what a language changes is where the currency symbol goes, the space
    before ``%`` and the month names and date order.

    Examples
    --------
    >>> number_formats("fr", "EUR")["money"], number_formats("en", "EUR")["percent"]
    ('#,##0 "€"', '0.0%')
    """
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    french = language == "fr"
    before, _, after = text("mid.days", language, days="\x00").partition("\x00")
    days = "".join((f'"{before}"' if before else "", "#,##0", f'"{after}"' if after else ""))
    if french:
        money = f'#,##0 "{symbol}"'
    else:
        money = f'"{symbol} "#,##0' if len(symbol) > 1 else f'"{symbol}"#,##0'
    return {
        "text": "General",
        "int": "#,##0",
        "float": "#,##0.0",
        "float2": "#,##0.00",
        "percent": f'0.0"{NNBSP}"%' if french else "0.0%",
        "money": money,
        "month": "[$-40C]mmm yyyy" if french else "mmm yyyy",
        "date": "dd/mm/yyyy" if french else "yyyy-mm-dd",
        "days": days,  # whole days, the unit in the reader's words: 135 days
    }


def rounded(value: Any, kind: str) -> Any:
    """``value`` as the cell of a ``kind`` column holds it: None when missing, whole numbers as
    ``int``, other numbers rounded to :data:`DECIMALS`, months and dates as datetimes.

    Rounding is the one :func:`round` and the report's ``f"{value:.{decimals}f}"`` share
    (the nearest representable value, ties to even), so the cell and the report's text show
    the same digits.

    Examples
    --------
    >>> rounded(11749.215, "int"), rounded(119.6, "int"), rounded(0.243712, "percent")
    (11749, 120, 0.244)
    >>> rounded(float("nan"), "float") is None
    True
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if kind in ("month", "date"):
        stamp = pd.Timestamp(value)
        return None if pd.isna(stamp) else stamp.to_pydatetime()
    if kind == "text":
        return None if isinstance(value, float) and math.isnan(value) else value
    number = pd.to_numeric(value, errors="coerce")
    if pd.isna(number) or not math.isfinite(float(number)):
        return None
    decimals = DECIMALS[kind]
    if decimals == 0:
        return int(round(float(number)))
    if kind == "percent":  # the report rounds the percentage, not the fraction
        return round(round(100 * float(number), decimals - 2) / 100, decimals)
    return round(float(number), decimals)


def cells(values: Any, kind: str, language: str) -> list[Any]:
    """``values`` of a report column of display ``kind`` as Excel cells (see :func:`rounded`).

    ``pretty`` values (channels, personas...) are shown with :func:`workbook.i18n.pretty`,
    ``stage`` values with :func:`workbook.i18n.stage_label`, both in ``language``.
    """
    shown: Callable[[Any], Any]
    if kind == "pretty":
        shown = lambda v: pretty(v, language)  # noqa: E731
    elif kind == "stage":
        shown = lambda v: None if _missing(v) else stage_label(str(v), language)  # noqa: E731
    else:
        excel_kind = DISPLAY_KINDS[kind]
        shown = lambda v: rounded(v, excel_kind)  # noqa: E731
    return [shown(v) for v in list(values)]


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def field_label(column: object, language: str, *, stages: Sequence[str] = ()) -> str:
    """A data file's column as a reader names it: ``mql_at`` -> ``MQL date``.

    A ``<stage>_at`` column of the ladder is that stage's date; a column the catalogue labels
    (``xlsx.field.<column>``, else ``label.<column>``) reads that label; any other is
    prettified. An empty column stays empty.

    Examples
    --------
    >>> field_label("mql_at", "en", stages=("inquiry", "mql")), field_label("buying_stage", "fr")
    ('MQL date', "Étape d'achat")
    """
    name = "" if _missing(column) else str(column)
    if not name:
        return ""
    labels = CATALOGUE[language]
    if name.endswith("_at") and name.removesuffix("_at") in stages:
        return text("xlsx.field.stage_date", language, stage=stage_label(name[:-3], language))
    for key in (f"xlsx.field.{name}", f"label.{name}"):
        if key in labels:
            return labels[key]
    return pretty(name, language)


@dataclass(frozen=True)
class KeyTable:
    """One sheet: a display-ready table.

    Attributes
    ----------
    key : str
        Stable identifier (``data_audit``, ``plan_monthly``, ...).
    title : str
        Sheet name in the report language (at most 31 characters).
    about : str
        One sentence: what the table shows (listed on the contents sheet).
    frame : DataFrame
        Columns are the headers shown; values are rounded numbers (rates as fractions 0..1,
        money in the engagement's currency, months as first-day datetimes), text, or None
        for an empty cell.
    kinds : tuple of str
        One of :data:`KINDS` per column: how it is formatted.
    notes : tuple of str
        Lines written under the table.
    cell_kinds : mapping of str to tuple of str
        For a column mixing kinds row by row (the scorecard's figures: a share, an amount,
        days), its header -> one of :data:`KINDS` per row: each cell's number format.
    """

    key: str
    title: str
    about: str
    frame: pd.DataFrame
    kinds: tuple[str, ...]
    notes: tuple[str, ...] = ()
    cell_kinds: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if len(self.kinds) != self.frame.shape[1]:
            raise ValueError(
                f"{self.key}: {self.frame.shape[1]} columns but {len(self.kinds)} kinds"
            )
        unknown = sorted(set(self.kinds) - set(KINDS))
        if unknown:
            raise ValueError(f"{self.key}: unknown column kinds {unknown}")
        for header, row_kinds in self.cell_kinds.items():
            if header not in self.frame or len(row_kinds) != len(self.frame):
                raise ValueError(f"{self.key}: cell kinds of {header!r} do not fit the rows")
            unknown += sorted(set(row_kinds) - set(KINDS))
        if unknown:
            raise ValueError(f"{self.key}: unknown cell kinds {unknown}")
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
                redacted = text_values.str.replace(EMAIL_PATTERN, replaced, regex=True)
                clean[column] = redacted.astype(object).where(redacted.notna(), None)
    return clean


#: One column of a sheet: (header, display kind, values).
Column = tuple[str, str, Sequence[Any]]


def make_table(
    key: str,
    language: str,
    columns: Sequence[Column],
    *,
    about: str,
    notes: tuple[str, ...] = (),
) -> KeyTable:
    """A KeyTable from ``(header, display kind, values)`` columns: cells rounded and labelled
    (:func:`cells`), personal data removed, the sheet named ``xlsx.sheet.<key>``."""
    headers = [header for header, _, _ in columns]
    if len(set(headers)) != len(headers):
        raise ValueError(f"{key}: two columns have the same header")
    frame = pd.DataFrame(
        {
            header: pd.Series(cells(values, kind, language), dtype=object)
            for header, kind, values in columns
        }
    )
    frame = redact_personal_data(frame, language=language)
    kinds = tuple(DISPLAY_KINDS[kind] for header, kind, _ in columns if header in frame.columns)
    return KeyTable(
        key=key,
        title=text(f"xlsx.sheet.{key}", language),
        about=about,
        frame=frame,
        kinds=kinds,
        notes=notes,
    )


def spec_columns(frame: pd.DataFrame, spec: Mapping[str, tuple[str, str]]) -> list[Column]:
    """The columns of a report table (:func:`workbook.deliverables.table_columns.table_columns`:
    frame column -> (header, display kind)) that ``frame`` has, in the spec's order.

    A column is found by its frame name, or by its header (a table saved as the report shows
    it). As the report's table (:func:`workbook.deliverables.display.table_html`), a figure
    column with no figure in any row (bands not simulated, spend not provided) is left out.
    """
    columns = []
    for name, (header, kind) in spec.items():
        found = name if name in frame else header if header in frame else None
        if found is None:
            continue
        values = frame[found]
        if not (len(frame) and kind in _FIGURE_KINDS and values.isna().all()):
            columns.append((header, kind, values))
    return columns


__all__ = [
    "DECIMALS",
    "DISPLAY_KINDS",
    "EMAIL_REPLACEMENT",
    "KINDS",
    "SHEET_NAME_MAX_LENGTH",
    "Column",
    "KeyTable",
    "KeyTables",
    "cells",
    "field_label",
    "make_table",
    "number_formats",
    "redact_personal_data",
    "rounded",
    "spec_columns",
]
