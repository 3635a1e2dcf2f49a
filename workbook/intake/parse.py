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

#: The dates a record can plausibly carry: from 1980 (before any CRM or marketing export) to
#: the end of 2099. Earlier dates are typos or placeholders (``0001-01-01``, ``1900-01-01``,
#: the Unix epoch ``1970-01-01``); later ones are "no date" placeholders (``9999-12-31``).
EARLIEST_DATE = np.datetime64("1980-01-01", "us")
LATEST_DATE = np.datetime64("2099-12-31T23:59:59.999999", "us")
#: The range as error messages quote it.
DATE_RANGE_TEXT = {"earliest": "1980-01-01", "latest": "2099-12-31"}

#: Numbers larger than this in absolute value (a million million, in any currency or count)
#: are typos or overflowed exports; so are infinities.
MAX_ABS_NUMBER = 1e12

#: A time of day followed by its UTC offset (``23:30:00-05:00``, ``10:00Z``): the offset is
#: dropped so that the date and time stay as written (local), never moved to UTC.
_UTC_OFFSET = r"^(.*\d[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*(?:Z|UTC|[+-]\d{2}(?::?\d{2})?)$"


def _in_range(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """datetime64 values (any unit) as datetime64[ns], those outside the plausible range NaT.

    Returns
    -------
    values : ndarray of datetime64[ns]
    too_early, too_late : ndarray of bool
        Before :data:`EARLIEST_DATE`, after :data:`LATEST_DATE`.
    """
    too_early = values < EARLIEST_DATE.astype(values.dtype)  # in the values' unit; NaT: False
    too_late = values > LATEST_DATE.astype(values.dtype)
    if too_early.any() or too_late.any():
        values = np.where(too_early | too_late, np.datetime64("NaT"), values)
    return values.astype("datetime64[ns]", copy=False), too_early, too_late


def _iso_timestamps(raw: pd.Series, *, keep_time: bool) -> np.ndarray | None:
    """datetime64 ([D] for plain dates, [ns] or [us] otherwise) when every present cell is an
    ISO 8601 date (or date and time), else None.

    Arrow's C++ parser reads the column as it is; only when that fails is it read again with
    surrounding spaces trimmed. Blank cells are missing already (:data:`workbook.intake.io.NA_TEXTS`).
    Without ``keep_time``, plain dates are read as dates (no time to floor). Days and
    microseconds hold any year, so that dates out of range are found (:func:`_in_range`)
    rather than overflowing nanoseconds.
    """
    text = pa.array(as_text(raw))
    # nanoseconds first (what the frame holds); microseconds for a year they cannot hold
    times = (pa.timestamp("ns"), pa.timestamp("us"))
    targets = times if keep_time else (pa.date32(), *times)
    for attempt in (text, None):
        if attempt is None:
            attempt = pc.utf8_trim_whitespace(text)
        for target in targets:
            try:
                cast = pc.cast(attempt, target)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
                continue
            return np.asarray(cast.to_numpy(zero_copy_only=False))
    return None


@dataclass(frozen=True)
class DateParse:
    """Parsed dates and what went wrong (masks aligned with the input)."""

    values: pd.Series  # datetime64[ns], NaT where empty, unreadable or out of range
    unreadable: np.ndarray  # present but not a date in any accepted format
    iso: np.ndarray  # read as ISO
    day_first: np.ndarray  # read as day-first
    too_early: np.ndarray  # read, but before EARLIEST_DATE (left NaT)
    too_late: np.ndarray  # read, but after LATEST_DATE (left NaT)


def _day_first(text: pd.Series) -> np.ndarray:
    """datetime64[us] of day-first dates (:data:`DAY_FIRST_FORMATS`), NaT where none fits."""
    values = np.full(len(text), np.datetime64("NaT"), "datetime64[us]")
    for fmt in DAY_FIRST_FORMATS:
        todo = np.isnat(values)
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        values[todo] = parsed.to_numpy("datetime64[us]")
    return values


def _iso_local(text: pd.Series) -> np.ndarray:
    """datetime64[us] of ISO 8601 dates, a UTC offset dropped (the time as written)."""
    local = text.str.replace(_UTC_OFFSET, r"\1", regex=True)
    try:
        parsed = pd.to_datetime(local, format="ISO8601", errors="coerce")
    except (ValueError, TypeError):  # an offset of a form the pattern does not know
        parsed = pd.to_datetime(local, format="ISO8601", errors="coerce", utc=True)
        parsed = parsed.dt.tz_localize(None)
    return parsed.to_numpy("datetime64[us]", copy=True)  # written into by the caller


def parse_dates(raw: pd.Series, *, keep_time: bool = False) -> DateParse:
    """Parse ISO (``2026-03-01``) and day-first (``01/03/2026``) dates, vectorised.

    A time with a UTC offset (``2026-03-01T23:30:00-05:00``) keeps its date and time as
    written: the offset is dropped, nothing is moved to UTC (nor to the next day). Dates
    outside :data:`EARLIEST_DATE`..:data:`LATEST_DATE` are flagged and left NaT.

    Parameters
    ----------
    raw : Series
        Text, or values already typed by Excel/Parquet.
    keep_time : bool
        Keep the time of day (touches); otherwise dates are floored to midnight.

    Returns
    -------
    DateParse
        ``values`` plus masks of unreadable, ISO, day-first and out-of-range cells.

    Examples
    --------
    >>> p = parse_dates(pd.Series(["2026-03-01T23:30:00-05:00", "9999-12-31"]), keep_time=True)
    >>> p.values.tolist()[0], p.too_late.tolist()
    (Timestamp('2026-03-01 23:30:00'), [False, True])
    """
    n = len(raw)
    none = np.zeros(n, bool)
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        typed = raw.dt.tz_localize(None) if getattr(raw.dt, "tz", None) else raw  # wall time
        values = typed.to_numpy("datetime64[us]")
        iso, day_first, unreadable = ~np.isnat(values), none, none
    else:
        fast = _iso_timestamps(raw, keep_time=keep_time)
        if fast is not None:  # every value is ISO 8601 (Arrow's C++ parser)
            values, iso, day_first, unreadable = fast, ~np.isnat(fast), none, none
        else:
            text = as_text(raw).str.strip()
            text = text.mask(text == "")
            present = text.notna().to_numpy()
            values = _iso_local(text)
            iso = ~np.isnat(values)
            day_first = np.zeros(n, bool)
            left = present & ~iso
            if left.any():
                values[left] = _day_first(text[left])
                day_first[left] = ~np.isnat(values[left])
            unreadable = present & ~iso & ~day_first
    if not keep_time:
        values = values.astype("datetime64[D]", copy=False)
    values, too_early, too_late = _in_range(values)
    series = pd.Series(values, index=raw.index, copy=False)
    return DateParse(series, unreadable, iso, day_first, too_early, too_late)


#: A number whose only marks group thousands (``1,500``, ``12.345.678``): its decimal mark
#: cannot be told from the value alone.
_GROUPED = {",": r"-?[1-9]\d{0,2}(?:,\d{3})+", ".": r"-?[1-9]\d{0,2}(?:\.\d{3})+"}


@dataclass(frozen=True)
class NumberParse:
    """Parsed numbers and what went wrong (masks aligned with the input)."""

    values: pd.Series  # float64, NaN where empty or unreadable
    unreadable: np.ndarray  # present but not a number
    mixed: np.ndarray  # written with the column's rarer decimal mark
    comma_rows: int = 0  # values whose decimal mark is a comma (1.234,5; 12,5)
    point_rows: int = 0  # values whose decimal mark is a point (1,234.5; 12.5)


def _decimal_marks(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Which values show a decimal comma, and which a decimal point (neither: no telling).

    A value with both marks decimals with the last one; a single mark that does not group
    thousands (``12,5``, ``48000.5``) is the decimal mark; a mark repeated (``1.234.567``)
    groups thousands, so the other one is the decimal mark. ``1,500`` or ``1.500`` alone says
    nothing.
    """
    last_comma = text.str.rfind(",").fillna(-1).to_numpy()
    last_dot = text.str.rfind(".").fillna(-1).to_numpy()
    several_commas = text.str.find(",").fillna(-1).to_numpy() != last_comma
    several_dots = text.str.find(".").fillna(-1).to_numpy() != last_dot
    both = (last_comma >= 0) & (last_dot >= 0)
    only_comma = (last_comma >= 0) & (last_dot < 0)
    only_dot = (last_dot >= 0) & (last_comma < 0)
    comma_grouped = text.str.fullmatch(_GROUPED[","]).fillna(False).to_numpy(bool)
    dot_grouped = text.str.fullmatch(_GROUPED["."]).fillna(False).to_numpy(bool)
    comma = (
        (both & (last_comma > last_dot))
        | (only_comma & ~several_commas & ~comma_grouped)
        | (only_dot & several_dots)
    )
    point = (
        (both & (last_dot > last_comma))
        | (only_dot & ~several_dots & ~dot_grouped)
        | (only_comma & several_commas)
    )
    return comma, point


def parse_numbers(raw: pd.Series, *, decimal_comma: bool) -> NumberParse:
    """Parse numbers written with ``.`` or ``,`` decimals and space/dot/comma thousands.

    The decimal mark is decided for the whole column, from every value that shows it
    (:func:`_decimal_marks`): ``1.500`` beside ``1.234,5`` is one thousand five hundred.
    A column that shows none (only ``1.500``-like values) follows the file's convention,
    ``decimal_comma`` (semicolon-separated exports). When values show both marks, the
    rarer ones are flagged in ``mixed``, each read as written.

    Parameters
    ----------
    raw : Series
        Text, or numbers already typed by Excel/Parquet.
    decimal_comma : bool
        The file's convention, for a column whose values never show their decimal mark.

    Returns
    -------
    NumberParse

    Examples
    --------
    >>> p = parse_numbers(pd.Series(["1 234,5", "1.500", "x"]), decimal_comma=False)
    >>> p.values.tolist()[:2], p.unreadable.tolist()
    ([1234.5, 1500.0], [False, False, True])
    >>> parse_numbers(pd.Series(["1.500", "2.000"]), decimal_comma=True).values.tolist()
    [1500.0, 2000.0]
    """
    n = len(raw)
    none = np.zeros(n, bool)
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        return NumberParse(raw.astype("float64"), none, none)
    arrow = pa.array(as_text(raw))
    try:  # fast path: plain numbers only (``48000.5``), parsed by Arrow's C++ reader
        plain = pc.cast(arrow, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        plain = None
    if plain is not None:
        values = np.asarray(plain.to_numpy(zero_copy_only=False), dtype="float64")
        # no 'nan' text read as a number; in a decimal-comma file, no 1.500 to look at
        grouped = (
            decimal_comma and pc.any(pc.match_substring_regex(arrow, f"^{_GROUPED['.']}$")).as_py()
        )
        if np.isnan(values).sum() == plain.null_count and not grouped:
            return NumberParse(pd.Series(values, index=raw.index, copy=False), none, none)
    text = as_text(raw).str.replace(r"[\s\u00a0\u202f'€$£]", "", regex=True)
    text = text.mask(text == "")
    present = text.notna().to_numpy()
    comma, point = _decimal_marks(text)
    comma_rows, point_rows = int(comma.sum()), int(point.sum())
    column_comma = comma_rows > point_rows or (comma_rows == point_rows and decimal_comma)
    read_comma = comma | (column_comma & ~point)
    as_comma = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    as_dot = text.str.replace(",", "", regex=False)
    cleaned = as_comma.where(read_comma, as_dot)
    values = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    unreadable = present & values.isna().to_numpy()
    mixed = (point if column_comma else comma) & ~unreadable
    return NumberParse(values, unreadable, mixed, comma_rows, point_rows)


def parse_months(raw: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Parse ``YYYY-MM`` (or a full date, or ``MM/YYYY``) to the month's first day.

    Returns
    -------
    values : Series of datetime64[ns]
        NaT where empty, unreadable or out of range.
    unreadable : ndarray of bool
    out_of_range : ndarray of bool
        Read, but outside :data:`EARLIEST_DATE`..:data:`LATEST_DATE`.
    """
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        typed = raw.dt.tz_localize(None) if getattr(raw.dt, "tz", None) else raw
        months = typed.to_numpy("datetime64[M]")
        values, early, late = _in_range(months.astype("datetime64[us]"))
        return pd.Series(values, index=raw.index), np.zeros(len(raw), bool), early | late
    text = as_text(raw).str.strip()
    text = text.mask(text == "")
    present = text.notna().to_numpy()
    months = pd.to_datetime(text, format="%Y-%m", errors="coerce").to_numpy("datetime64[M]")
    for fmt in ("%m/%Y", "ISO8601", "%d/%m/%Y"):
        todo = np.isnat(months) & present
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        months[todo] = parsed.to_numpy("datetime64[M]")
    values, early, late = _in_range(months.astype("datetime64[us]"))
    return pd.Series(values, index=raw.index), present & np.isnat(months), early | late


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
    # a date past the range in an optional column is a "no date" placeholder (9999-12-31):
    # empty, with a warning; elsewhere a date out of range is an error
    placeholder = parsed.too_late if not rule.non_empty else np.zeros(len(raw), bool)
    out = (parsed.too_early | parsed.too_late) & ~placeholder
    check.error(rule.name, out, "date_out_of_range", sample=sample(raw, out), **DATE_RANGE_TEXT)
    check.warn(
        rule.name,
        placeholder,
        "date_placeholder",
        sample=sample(raw, placeholder),
        **DATE_RANGE_TEXT,
    )
    return parsed.values, ~(parsed.iso | parsed.day_first | parsed.unreadable) | placeholder


def _number_column(
    raw: pd.Series, rule: ColumnRule, check: FileCheck, *, decimal_comma: bool
) -> tuple[pd.Series, np.ndarray]:
    parsed = parse_numbers(raw, decimal_comma=decimal_comma)
    bad = parsed.unreadable
    check.error(rule.name, bad, "not_a_number", sample=sample(raw, bad))
    check.error(
        rule.name,
        parsed.mixed,
        "mixed_decimal_marks",
        comma_count=parsed.comma_rows,
        point_count=parsed.point_rows,
        sample=sample(raw, parsed.mixed),
    )
    col = parsed.values
    huge = np.abs(col.to_numpy()) > MAX_ABS_NUMBER  # infinities too; NaN is not
    check.error(rule.name, huge, "number_out_of_range", sample=sample(raw, huge))
    if huge.any():
        col = col.mask(huge)
    if rule.minimum is not None:
        low = (col < rule.minimum).fillna(False).to_numpy(bool)
        check.error(
            rule.name, low, "below_minimum", minimum=f"{rule.minimum:g}", sample=sample(raw, low)
        )
    return col, col.isna().to_numpy() & ~bad & ~huge


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
        col, bad, out = parse_months(raw)
        check.error(rule.name, bad, "unreadable_month", sample=sample(raw, bad))
        check.error(rule.name, out, "date_out_of_range", sample=sample(raw, out), **DATE_RANGE_TEXT)
        blank = col.isna().to_numpy() & ~bad & ~out
    elif rule.kind == "number":
        col, blank = _number_column(raw, rule, check, decimal_comma=decimal_comma)
    else:
        col, blank = _text_column(raw, rule, check, value_map=value_map or {})
    if rule.non_empty:
        check.error(rule.name, blank, "empty_required", column=rule.name)
    return col
