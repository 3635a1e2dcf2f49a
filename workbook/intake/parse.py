"""Cell parsing: dates, numbers, months and text, each column by its rule of the schema.

Every function reads one raw column (text as read, or values already typed by Excel or
Parquet) and gives the typed column plus masks of the cells it could not read; the caller
quarantines those rows (:class:`workbook.intake.problems.FileCheck`).

See Also
--------
workbook.intake.schema.column_rules : the rules applied here.
workbook.intake.validate.parse_table : parses a whole file with these functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workbook.intake.problems import FileCheck
from workbook.intake.schema import ColumnRule
from workbook.intake.text import TEXT_DTYPE, as_text, normalise_key

#: Text columns normalised to keys (lower case, spaces to underscores) so that
#: ``Paid Search`` in one file matches ``paid_search`` in another.
KEY_COLUMNS = frozenset(
    {"source_channel", "channel", "persona", "segment", "buying_stage", "format"}
)

#: The ``values:`` key that maps every other (non-blank) value of a column
#: (:mod:`workbook.intake.sections.mapping`).
ANY_VALUE = "*"

DAY_FIRST_FORMATS = ("%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d.%m.%Y", "%d-%m-%Y")


def _floor_days(values: np.ndarray) -> np.ndarray:
    """datetime64[ns] floored to midnight (NaT stays NaT)."""
    return values.astype("datetime64[D]").astype("datetime64[ns]")


def _iso_timestamps(raw: pd.Series, *, keep_time: bool) -> np.ndarray | None:
    """datetime64[ns] when every present cell is an ISO 8601 date (or date and time), else None.

    Arrow's C++ parser reads the column as it is; only when that fails is it read again with
    surrounding spaces trimmed. Blank cells are missing already (:data:`workbook.intake.io.NA_TEXTS`).
    Without ``keep_time``, plain dates are read as dates (no time to floor) and date-times
    are floored to midnight.
    """
    text = pa.array(as_text(raw))
    targets = (pa.timestamp("ns"),) if keep_time else (pa.date32(), pa.timestamp("ns"))
    for attempt in (text, None):
        if attempt is None:
            attempt = pc.utf8_trim_whitespace(text)
        for target in targets:
            try:
                cast = pc.cast(attempt, target)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
                continue
            values = np.asarray(cast.to_numpy(zero_copy_only=False))
            if target == pa.date32() or keep_time:
                return values.astype("datetime64[ns]", copy=False)
            return _floor_days(values)
    return None


@dataclass(frozen=True)
class DateParse:
    """Parsed dates and what went wrong (masks aligned with the input)."""

    values: pd.Series  # datetime64[ns], NaT where empty or unreadable
    unreadable: np.ndarray  # present but not a date in any accepted format
    iso: np.ndarray  # read as ISO
    day_first: np.ndarray  # read as day-first


def parse_dates(raw: pd.Series, *, keep_time: bool = False) -> DateParse:
    """Parse ISO (``2026-03-01``) and day-first (``01/03/2026``) dates, vectorised.

    Parameters
    ----------
    raw : Series
        Text, or values already typed by Excel/Parquet.
    keep_time : bool
        Keep the time of day (touches); otherwise dates are floored to midnight.

    Returns
    -------
    DateParse
        ``values`` plus masks of unreadable, ISO and day-first cells.
    """
    n = len(raw)
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        values = raw.dt.tz_localize(None) if getattr(raw.dt, "tz", None) else raw
        values = values.astype("datetime64[ns]")
        iso = values.notna().to_numpy()
        return DateParse(
            values if keep_time else values.dt.normalize(),
            np.zeros(n, bool),
            iso,
            np.zeros(n, bool),
        )
    fast = _iso_timestamps(raw, keep_time=keep_time)
    if fast is not None:  # every value is ISO 8601 (Arrow's C++ parser): no masks needed
        none = np.zeros(n, bool)
        return DateParse(pd.Series(fast, index=raw.index, copy=False), none, ~np.isnat(fast), none)
    text = as_text(raw).str.strip()
    text = text.mask(text == "")
    present = text.notna().to_numpy()
    iso_values = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=True)
    iso_values = iso_values.dt.tz_localize(None).astype("datetime64[ns]")
    iso = iso_values.notna().to_numpy()
    values = iso_values
    day_first = np.zeros(n, bool)
    left = present & ~iso
    if left.any():
        sub = text[left]
        parsed = pd.Series(pd.NaT, index=sub.index, dtype="datetime64[ns]")
        for fmt in DAY_FIRST_FORMATS:
            todo = parsed.isna()
            if not todo.any():
                break
            parsed[todo] = pd.to_datetime(sub[todo], format=fmt, errors="coerce")
        values = values.copy()
        values[left] = parsed
        day_first[left] = parsed.notna().to_numpy()
    unreadable = present & ~iso & ~day_first
    if not keep_time:
        values = values.dt.normalize()
    return DateParse(values, unreadable, iso, day_first)


def parse_numbers(raw: pd.Series, *, decimal_comma: bool) -> tuple[pd.Series, np.ndarray]:
    """Parse numbers written with ``.`` or ``,`` decimals and space/dot/comma thousands.

    A value with both marks takes the last one as decimal; a value with only a comma takes it
    as decimal in a semicolon file and unless it groups thousands (``1,234,567``) otherwise.

    Returns
    -------
    values : Series of float64
    unreadable : ndarray of bool
        Present but not a number.

    Examples
    --------
    >>> v, bad = parse_numbers(pd.Series(["1 234,5", "48000.5", "x"]), decimal_comma=True)
    >>> v.tolist()[:2], bad.tolist()
    ([1234.5, 48000.5], [False, False, True])
    """
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        return raw.astype("float64"), np.zeros(len(raw), bool)
    try:  # fast path: plain numbers only (``48000.5``), parsed by Arrow's C++ reader
        plain = pc.cast(pa.array(as_text(raw)), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        plain = None
    if plain is not None:
        values = np.asarray(plain.to_numpy(zero_copy_only=False), dtype="float64")
        if np.isnan(values).sum() == plain.null_count:  # no 'nan' text read as a number
            return pd.Series(values, index=raw.index, copy=False), np.zeros(len(raw), bool)
    text = as_text(raw).str.replace(r"[\s\u00a0\u202f'€$£]", "", regex=True)
    text = text.mask(text == "")
    present = text.notna().to_numpy()
    last_comma = text.str.rfind(",").fillna(-1).to_numpy()
    last_dot = text.str.rfind(".").fillna(-1).to_numpy()
    thousands_commas = text.str.fullmatch(r"-?\d{1,3}(,\d{3})+").fillna(False).to_numpy(bool)
    comma_decimal = (last_comma > last_dot) & (decimal_comma | ~thousands_commas)
    as_comma = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    as_dot = text.str.replace(",", "", regex=False)
    cleaned = as_comma.where(comma_decimal, as_dot)
    values = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    unreadable = present & values.isna().to_numpy()
    return values, unreadable


def parse_months(raw: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Parse ``YYYY-MM`` (or a full date, or ``MM/YYYY``) to the month's first day."""
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        return raw.dt.to_period("M").dt.to_timestamp().astype("datetime64[ns]"), np.zeros(
            len(raw), bool
        )
    text = as_text(raw).str.strip()
    text = text.mask(text == "")
    present = text.notna().to_numpy()
    values = pd.to_datetime(text, format="%Y-%m", errors="coerce")
    for fmt in ("%m/%Y", "ISO8601", "%d/%m/%Y"):
        todo = values.isna() & text.notna()
        if not todo.any():
            break
        values[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    values = values.dt.to_period("M").dt.to_timestamp().astype("datetime64[ns]")
    return values, present & values.isna().to_numpy()


def trimmed_text(series: pd.Series) -> pd.Series:
    """Text without surrounding white space; blank cells missing.

    Examples
    --------
    >>> trimmed_text(pd.Series([" L1 ", "", "  ", None, "L2"])).tolist()
    ['L1', nan, nan, nan, 'L2']
    """
    text = as_text(series).str.strip()
    return text.mask(text == "")


def per_unique(
    series: pd.Series, func: Callable[[str], str | None], *, coded: bool = False
) -> pd.Series:
    """Apply ``func`` to each distinct value of a column only (its values repeat).

    Parameters
    ----------
    series : Series
        Text, or values already typed (compared as text).
    func : callable
        Maps a text to a text, or to None (missing). Missing values stay missing.
    coded : bool
        Give a :class:`pandas.Categorical` of the distinct results, in order of first
        appearance, instead of text.

    Examples
    --------
    >>> per_unique(pd.Series(["A ", None, "a", "b"]), lambda v: v.strip().lower()).tolist()
    ['a', nan, 'a', 'b']
    """
    codes, distinct = pd.factorize(as_text(series))
    # distinct texts may clean to the same value, or to None (missing: code -1)
    cleaned_codes, cleaned = pd.factorize(pd.Series([func(v) for v in distinct], dtype=object))
    codes = np.append(cleaned_codes, -1)[codes]
    categories = pd.Index(cleaned, dtype=TEXT_DTYPE)
    if coded:
        return pd.Series(pd.Categorical.from_codes(codes, categories), index=series.index)
    values = pc.take(pa.array(categories), pa.array(codes, mask=codes < 0))
    return pd.Series(pd.array(values, dtype=TEXT_DTYPE), index=series.index)


def sample(series: pd.Series, mask: np.ndarray, n: int = 3) -> str:
    """The first ``n`` cells of ``mask``, quoted, for an error message (empty without any).

    Examples
    --------
    >>> sample(pd.Series(["a", "b", "c"]), np.array([False, True, True]))
    "'b', 'c'"
    """
    if not mask.any():
        return ""
    shown = as_text(series[mask]).head(n).tolist()
    return ", ".join(f"'{v}'" for v in shown)


def _date_column(
    raw: pd.Series, rule: ColumnRule, check: FileCheck
) -> tuple[pd.Series, np.ndarray]:
    parsed = parse_dates(raw, keep_time=rule.kind == "datetime")
    check.error(
        rule.name, parsed.unreadable, "unreadable_date", sample=sample(raw, parsed.unreadable)
    )
    if parsed.iso.any() and parsed.day_first.any():
        minority = parsed.day_first if parsed.day_first.sum() <= parsed.iso.sum() else parsed.iso
        check.error(
            rule.name,
            minority,
            "mixed_dates",
            iso_count=int(parsed.iso.sum()),
            day_first_count=int(parsed.day_first.sum()),
            sample=sample(raw, minority),
        )
    return parsed.values, ~(parsed.iso | parsed.day_first | parsed.unreadable)


def _number_column(
    raw: pd.Series, rule: ColumnRule, check: FileCheck, *, decimal_comma: bool
) -> tuple[pd.Series, np.ndarray]:
    col, bad = parse_numbers(raw, decimal_comma=decimal_comma)
    check.error(rule.name, bad, "not_a_number", sample=sample(raw, bad))
    if rule.minimum is not None:
        low = (col < rule.minimum).fillna(False).to_numpy(bool)
        check.error(
            rule.name, low, "below_minimum", minimum=f"{rule.minimum:g}", sample=sample(raw, low)
        )
    return col, col.isna().to_numpy() & ~bad


def _text_column(
    raw: pd.Series, rule: ColumnRule, check: FileCheck, *, value_map: Mapping[str, str]
) -> tuple[pd.Series, np.ndarray]:
    if rule.kind == "category" or rule.name in KEY_COLUMNS:  # a few distinct values
        other = value_map.get(ANY_VALUE)

        def clean(value: str) -> str | None:
            text = str(value).strip()
            text = value_map.get(text.lower(), other if other is not None and text else text)
            if rule.kind == "category":
                return text.lower() or None
            return normalise_key(text)

        col = per_unique(raw, clean, coded=rule.coded)
    else:
        col = trimmed_text(raw)
        if value_map:
            other = value_map.get(ANY_VALUE)
            col = per_unique(col, lambda v: value_map.get(str(v).lower(), other or v))
    blank = col.isna().to_numpy()
    if rule.kind == "category":
        if rule.default is not None:
            col = col.fillna(rule.default)
        allowed = rule.allowed or ()
        bad = (col.notna() & ~col.isin(allowed)).to_numpy(bool)
        check.error(
            rule.name, bad, "unknown_value", sample=sample(raw, bad), allowed=", ".join(allowed)
        )
    return col, blank


def parse_column(
    raw: pd.Series,
    rule: ColumnRule,
    check: FileCheck,
    *,
    decimal_comma: bool = False,
    value_map: Mapping[str, str] | None = None,
) -> pd.Series:
    """Parse one column by its rule, quarantining in ``check`` the rows it cannot use.

    Parameters
    ----------
    raw : Series
        The column as read, indexed 0..n-1.
    rule : ColumnRule
    check : FileCheck
        Receives the errors (unreadable, below the minimum, unknown or missing values).
    decimal_comma : bool
        The file writes decimals with a comma (semicolon-separated exports).
    value_map : mapping of str to str, optional
        The export's values (lower case) -> contract values (``values:`` of engagement.yaml).

    Returns
    -------
    Series
        datetime64[ns] for dates and months, float64 for numbers, text (or a Categorical
        when ``rule.coded``) otherwise.
    """
    if rule.kind in ("date", "datetime"):
        col, blank = _date_column(raw, rule, check)
    elif rule.kind == "month":
        col, bad = parse_months(raw)
        check.error(rule.name, bad, "unreadable_month", sample=sample(raw, bad))
        blank = col.isna().to_numpy() & ~bad
    elif rule.kind == "number":
        col, blank = _number_column(raw, rule, check, decimal_comma=decimal_comma)
    else:
        col, blank = _text_column(raw, rule, check, value_map=value_map or {})
    if rule.non_empty:
        check.error(rule.name, blank, "empty_required", column=rule.name)
    return col
