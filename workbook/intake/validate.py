"""Apply the schema's rules to raw tables: parse, quarantine, warn, account for every row.

Each row read is either used or quarantined, and every quarantined row is named by an error
(or, for touches of unknown leads, a warning). Cross-file checks (opportunities whose lead is
unknown, spend channels no lead has, ...) are warnings: the data stays usable.

See Also
--------
workbook.intake.schema.column_rules : the rules applied here.
workbook.intake.engagement.load_engagement : reads the files and calls :func:`validate_tables`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workbook import textkeys
from workbook.intake.config import EngagementConfig
from workbook.intake.io import RawTable
from workbook.intake.problems import Audit, EngagementError, Problem, RowCount, rows_from_mask
from workbook.intake.schema import OPTIONAL_FILES, ColumnRule, column_rules, lead_stage_columns

#: Text columns normalised to keys (lower case, spaces to underscores) so that
#: ``Paid Search`` in one file matches ``paid_search`` in another.
KEY_COLUMNS = frozenset(
    {"source_channel", "channel", "persona", "segment", "buying_stage", "format"}
)

DAY_FIRST_FORMATS = ("%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d.%m.%Y", "%d-%m-%Y")


def with_columns(frame: pd.DataFrame, columns: Mapping[str, object]) -> pd.DataFrame:
    """``frame`` with ``columns`` added or replaced, without copying any of them.

    pandas copies every array set into a frame (``frame[col] = values``); for the fresh
    arrays of a million rows built here that copy, and the memory it maps, is pure cost.
    The arrays must not be changed afterwards.

    Examples
    --------
    >>> with_columns(pd.DataFrame({"a": [1, 2]}), {"b": np.array([3, 4])}).to_dict("list")
    {'a': [1, 2], 'b': [3, 4]}
    """
    merged = {name: frame[name] for name in frame.columns}
    merged |= {
        name: values
        if isinstance(values, pd.Series)
        else pd.Series(values, index=frame.index, copy=False)
        for name, values in columns.items()
    }
    return pd.DataFrame(merged, index=frame.index, copy=False)


def normalise_header(name: str) -> str:
    """Header to contract form: ``" Lead ID "`` -> ``lead_id``.

    Examples
    --------
    >>> normalise_header(" Created At ")
    'created_at'
    """
    return "_".join(str(name).strip().lower().replace("-", " ").split())


#: pandas' default text dtype (Arrow-backed, NaN for missing), what CSV columns are read as.
TEXT_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)


def as_text(series: pd.Series) -> pd.Series:
    """A column as pandas' fast ``str`` dtype (already text from CSV; typed from xlsx)."""
    if series.dtype == TEXT_DTYPE:
        return series
    return series.astype(TEXT_DTYPE).where(series.notna())


def per_unique(series: pd.Series, func, *, coded: bool = False) -> pd.Series:
    """Apply a Python function to each distinct value only (fast on low-cardinality columns).

    ``func`` maps a str to a str or None; missing values stay missing. With ``coded`` the
    result is a Categorical of the distinct results (as :class:`pandas.Categorical`).
    """
    if coded:
        codes, texts = textkeys.dictionary_codes(_arrow_text(series), narrow=True)
        # distinct texts may clean to the same value, or to None (missing: code -1)
        new_code, distinct = pd.factorize(pd.Series([func(v) for v in texts], dtype=object))
        if not np.array_equal(new_code, np.arange(len(texts))):  # else every code stands
            codes = np.append(new_code, -1).astype(codes.dtype)[codes]  # code -1 reads -1
        categories = pd.Index(distinct, dtype=TEXT_DTYPE)
        return pd.Series(pd.Categorical.from_codes(codes, categories), index=series.index)
    return per_distinct(series, func)[0]


def per_distinct(series: pd.Series, func) -> tuple[pd.Series, set]:
    """:func:`per_unique` (not coded), and the set of the values it gives (None: missing).

    Examples
    --------
    >>> out, values = per_distinct(pd.Series(["A", None, "b "]), lambda v: v.strip().lower())
    >>> out.tolist(), sorted(values, key=str)
    (['a', nan, 'b'], [None, 'a', 'b'])
    """
    text = _arrow_text(series)
    distinct = pc.unique(text).drop_null().to_pylist()
    cleaned = {value: func(value) for value in distinct}
    values = set(cleaned.values()) | ({None} if text.null_count else set())
    if all(cleaned[value] == value for value in distinct):  # already clean (the usual case)
        return as_text(series), values
    codes, texts = textkeys.dictionary_codes(text)
    mapped = pa.array([cleaned[value] for value in texts], type=pa.string())
    out = pc.take(mapped, pa.array(codes, mask=codes < 0))
    return pd.Series(pd.array(out, dtype=TEXT_DTYPE), index=series.index), values


def _arrow_text(series: pd.Series) -> pa.Array | pa.ChunkedArray:
    """A column as Arrow text, zero-copy: in chunks as read (combining would copy it)."""
    return pa.array(as_text(series))


def _needs_trim(text: pa.Array | pa.ChunkedArray) -> bool:
    """Whether any text may have surrounding white space or be blank (a cheap, safe test).

    Looks at the first and last byte of each text: a control character or space (byte 32 or
    below), or any non-ASCII byte (Unicode spaces such as U+00A0 are multi-byte), says "maybe".
    """
    for chunk in text.chunks if isinstance(text, pa.ChunkedArray) else [text]:
        if len(chunk) == 0:
            continue
        offsets, data = textkeys.text_buffers(chunk)
        lengths = np.diff(offsets)
        empty = lengths == 0
        if empty.any() and (empty & chunk.is_valid().to_numpy(zero_copy_only=False)).any():
            return True  # present but blank
        width = int(lengths.max())
        text_bytes = data[offsets[0] : offsets[-1]]
        if width == 0:
            continue
        if len(text_bytes) == width * int(np.count_nonzero(~empty)):  # ids of one width
            table = text_bytes.reshape(-1, width)
            edges = (table[:, 0], table[:, -1])
        else:
            starts, ends = offsets[:-1][~empty], offsets[1:][~empty]
            edges = (data[starts], data[ends - 1])
        if any(edge.min() <= 32 or edge.max() >= 0x80 for edge in edges):
            return True
    return False


def trimmed_text(series: pd.Series) -> pd.Series:
    """Text without surrounding spaces; blank cells missing.

    Examples
    --------
    >>> trimmed_text(pd.Series([" L1 ", "", "  ", None, "L2"])).tolist()
    ['L1', nan, nan, nan, 'L2']
    """
    array = _arrow_text(series)
    if not _needs_trim(array):  # the usual export: nothing to copy
        return as_text(series)
    trimmed = pc.utf8_trim_whitespace(array)
    blank = pc.equal(pc.binary_length(trimmed), 0)
    if pc.any(blank).as_py():  # rare: only then pay for a masked copy
        trimmed = pc.if_else(blank, pa.scalar(None, trimmed.type), trimmed)
    return pd.Series(pd.array(trimmed, dtype=TEXT_DTYPE), index=series.index)


def normalise_key(value: str) -> str | None:
    """``" Paid Search "`` -> ``"paid_search"``; empty -> None."""
    key = "_".join(str(value).strip().lower().replace("-", " ").split())
    return key or None


def to_key(series: pd.Series) -> pd.Series:
    """Text to a comparable key: stripped, lower case, inner spaces as underscores."""
    return per_unique(series, normalise_key)


def positions_in(ids, keys) -> np.ndarray:
    """Row of each of ``keys`` in ``ids`` (its first row), -1 where absent or missing.

    Short ids are matched as 64-bit words (:func:`workbook.textkeys.positions`), others as
    text; either way a hash join that builds its table on the smaller side.

    Examples
    --------
    >>> positions_in(["a", "b", "a"], ["b", None, "z", "a"]).tolist()
    [1, -1, -1, 0]
    """
    values = _arrow_text(pd.Series(ids))
    wanted = _arrow_text(pd.Series(keys))
    found = textkeys.positions(values, wanted)
    return found if found is not None else textkeys.index_positions(values, wanted)


def is_in(series: pd.Series, values) -> np.ndarray:
    """Whether each value of ``series`` is among ``values`` (missing -> False).

    Examples
    --------
    >>> is_in(pd.Series(["a", None, "c", "a"]), ["a", "b"]).tolist()
    [True, False, False, True]
    """
    return positions_in(values, series) >= 0


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


def _rows(mask: np.ndarray) -> str:
    count = int(np.count_nonzero(mask))
    return f"{count:,} row" + ("" if count == 1 else "s")


def _sample(series: pd.Series, mask: np.ndarray, n: int = 3) -> str:
    if not mask.any():  # the usual case: no error to illustrate, no 5M-row selection
        return ""
    shown = as_text(series[mask]).head(n).tolist()
    return ", ".join(f"'{v}'" for v in shown)


class _FileCheck:
    """Collects a file's problems and quarantine mask while its columns are parsed."""

    def __init__(self, raw: RawTable):
        self.file = raw.file
        self.n = len(raw.frame)
        self.quarantine = np.zeros(self.n, bool)
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = list(raw.notes)

    def error(self, column: str | None, mask: np.ndarray, code: str, /, **values) -> None:
        """Quarantine the rows of ``mask`` with the catalogue's ``problem.<code>`` sentence."""
        mask = np.asarray(mask, bool)
        if mask.any():
            self.quarantine |= mask
            self.errors.append(
                Problem.coded(self.file, column, code, rows_from_mask(mask), **values)
            )

    def warn(self, column: str | None, mask: np.ndarray | None, code: str, /, **values) -> None:
        """Warn about the rows of ``mask`` (the whole file when None); nothing is quarantined."""
        if mask is None:
            self.warnings.append(Problem.coded(self.file, column, code, **values))
            return
        mask = np.asarray(mask, bool)
        if mask.any():
            self.warnings.append(
                Problem.coded(self.file, column, code, rows_from_mask(mask), **values)
            )


def _locate_columns(
    raw: RawTable, rules: tuple[ColumnRule, ...], mapping: Mapping[str, str]
) -> dict[str, str]:
    """Contract name -> the file's header, raising for missing required columns."""
    by_normal = {normalise_header(h): h for h in raw.frame.columns}
    by_lower = {str(h).strip().lower(): h for h in raw.frame.columns}
    found: dict[str, str] = {}
    missing: list[Problem] = []
    for rule in rules:
        if rule.name in mapping:
            header = by_lower.get(mapping[rule.name].strip().lower())
            if header is None:
                missing.append(
                    Problem(
                        raw.file,
                        rule.name,
                        f"engagement.yaml maps {rule.name} to the header '{mapping[rule.name]}', "
                        f"which is not in the file (headers: {', '.join(map(str, raw.frame.columns))})",
                    )
                )
                continue
            found[rule.name] = header
        elif rule.name in by_normal:
            found[rule.name] = by_normal[rule.name]
        elif rule.required:
            stem = raw.file.rsplit(".", 1)[0]
            missing.append(
                Problem(
                    raw.file,
                    rule.name,
                    f"required column '{rule.name}' is missing (headers: "
                    f"{', '.join(map(str, raw.frame.columns))}); rename it, or map your header "
                    f"in engagement.yaml under columns: {stem}: {rule.name}: <your header>",
                )
            )
    if missing:
        raise EngagementError(missing)
    return found


def parse_table(
    raw: RawTable,
    file: str,
    config: EngagementConfig,
) -> tuple[pd.DataFrame, _FileCheck]:
    """Parse one raw table by its column rules.

    Returns
    -------
    frame : DataFrame
        Every contract column (absent optional ones filled with their default or missing),
        typed, plus ``source_row`` (1-based data row). All rows, quarantined ones included.
    check : _FileCheck
        Problems and the quarantine mask.
    """
    rules = column_rules(file, config.stages)
    check = _FileCheck(raw)
    if check.n == 0 and file not in OPTIONAL_FILES:
        raise EngagementError(
            [Problem(raw.file, None, "has a header but no data rows: export the data into it")]
        )
    headers = _locate_columns(raw, rules, config.columns.get(file, {}))
    value_maps = config.values.get(file, {})
    out: dict[str, pd.Series] = {}
    index = pd.RangeIndex(check.n)
    for rule in rules:
        if rule.name not in headers:
            if rule.kind in ("date", "datetime", "month"):
                out[rule.name] = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
            elif rule.kind == "number":
                out[rule.name] = pd.Series(np.nan, index=index, dtype="float64")
            else:
                out[rule.name] = pd.Series(rule.default, index=index, dtype=TEXT_DTYPE)
            continue
        raw_col = raw.frame[headers[rule.name]].reset_index(drop=True)
        name = rule.name
        if rule.kind in ("date", "datetime"):
            parsed = parse_dates(raw_col, keep_time=rule.kind == "datetime")
            check.error(
                name,
                parsed.unreadable,
                "unreadable_date",
                sample=_sample(raw_col, parsed.unreadable),
            )
            if parsed.iso.any() and parsed.day_first.any():
                minority = (
                    parsed.day_first if parsed.day_first.sum() <= parsed.iso.sum() else parsed.iso
                )
                check.error(
                    name,
                    minority,
                    "mixed_dates",
                    iso_count=int(parsed.iso.sum()),
                    day_first_count=int(parsed.day_first.sum()),
                    sample=_sample(raw_col, minority),
                )
            col = parsed.values
            blank = ~(parsed.iso | parsed.day_first | parsed.unreadable)
        elif rule.kind == "month":
            col, bad = parse_months(raw_col)
            blank = col.isna().to_numpy() & ~bad
            check.error(name, bad, "unreadable_month", sample=_sample(raw_col, bad))
        elif rule.kind == "number":
            col, bad = parse_numbers(raw_col, decimal_comma=raw.decimal_comma)
            blank = col.isna().to_numpy() & ~bad
            check.error(name, bad, "not_a_number", sample=_sample(raw_col, bad))
            if rule.minimum is not None:
                low = (col < rule.minimum).fillna(False).to_numpy(bool)
                check.error(
                    name,
                    low,
                    "below_minimum",
                    minimum=f"{rule.minimum:g}",
                    sample=_sample(raw_col, low),
                )
        else:
            low_cardinality = rule.kind == "category" or name in KEY_COLUMNS
            if low_cardinality:
                mapping = value_maps.get(name, {})

                def clean(value: str, mapping=mapping, kind=rule.kind, col=name):
                    text = str(value).strip()
                    text = mapping.get(text.lower(), text)
                    if kind == "category":
                        return text.lower() or None
                    return normalise_key(text) if col in KEY_COLUMNS else (text or None)

                if rule.coded:
                    col, values = per_unique(raw_col, clean, coded=True), None
                else:
                    col, values = per_distinct(raw_col, clean)
            else:
                col = trimmed_text(raw_col)
                if name in value_maps:
                    col = per_unique(col, lambda v, m=value_maps[name]: m.get(str(v).lower(), v))
            blank = col.isna().to_numpy() if rule.non_empty else None
            if rule.kind == "category":
                if rule.default is not None:
                    col = col.fillna(rule.default)
                    if values is not None and None in values:
                        values = (values - {None}) | {rule.default}
                if values is not None and values <= {None, *(rule.allowed or ())}:
                    bad = np.zeros(check.n, dtype=bool)  # every distinct value is allowed
                else:
                    bad = (col.notna() & ~col.isin(rule.allowed or ())).to_numpy(bool)
                check.error(
                    name,
                    bad,
                    "unknown_value",
                    sample=_sample(raw_col, bad),
                    allowed=", ".join(rule.allowed or ()),
                )
        if rule.non_empty:
            check.error(name, blank, "empty_required", column=name)
        out[name] = col
    out["source_row"] = pd.Series(np.arange(1, check.n + 1), index=index, copy=False)
    frame = pd.DataFrame(out, index=index, copy=False)  # fresh columns: no copies
    for rule in rules:
        if rule.unique:
            ids = frame[rule.name]
            dup = textkeys.repeats(_arrow_text(ids))
            if dup.any():
                first_row = (
                    pd.Series(np.arange(1, check.n + 1)).groupby(ids.to_numpy()).transform("min")
                )
                shown = list(zip(ids[dup], first_row[dup], strict=True))[:3]
                check.error(
                    rule.name,
                    dup,
                    "duplicate_id",
                    column=rule.name,
                    examples=", ".join(f"'{i}'" for i, _ in shown),
                    first_rows=", ".join(str(int(r)) for _, r in shown),
                )
    return frame, check


def backfill_rows(values: np.ndarray) -> np.ndarray:
    """Fill each NaT with the next non-NaT value to its right, row by row.

    Parameters
    ----------
    values : ndarray of datetime64, shape (rows, stages)

    Examples
    --------
    >>> d = np.array([["2026-01-01", "NaT", "2026-01-09"]], dtype="datetime64[D]")
    >>> backfill_rows(d)[0].astype(str).tolist()
    ['2026-01-01', '2026-01-09', '2026-01-09']
    """
    k = values.shape[1]
    valid = ~np.isnat(values)
    # only rows with a gap (an empty stage before a set one) need filling: usually a few
    later_set = np.flip(np.logical_or.accumulate(np.flip(valid, axis=1), axis=1), axis=1)
    rows = np.flatnonzero((~valid & later_set).any(axis=1))
    if len(rows) == 0:
        return values
    sub = values[rows]
    position = np.where(valid[rows], np.arange(k), k)
    nearest = np.minimum.accumulate(position[:, ::-1], axis=1)[:, ::-1]
    padded = np.concatenate([sub, np.full((len(sub), 1), np.datetime64("NaT"), sub.dtype)], 1)
    out = values.copy()
    out[rows] = np.take_along_axis(padded, nearest, axis=1)
    return out


def _lead_stage_checks(
    leads: pd.DataFrame, check: _FileCheck, config: EngagementConfig
) -> pd.DataFrame:
    """Backfill skipped stages and lift out-of-order dates, warning about each.

    Works column by column on int64 views (NaT is the smallest int64, so a running maximum
    skips it): a handful of vectorised passes over the stage ladder, no 2-D copies.
    """
    cols = ["created_at", *lead_stage_columns(config.stages), "opportunity_at", "won_at"]
    nat = np.iinfo(np.int64).min
    raw = [leads[c].to_numpy("datetime64[ns]").view("int64") for c in cols]
    # backfill: an empty stage takes the next set date to its right
    filled = list(raw)
    for j in range(len(cols) - 2, -1, -1):
        gap = (raw[j] == nat) & (filled[j + 1] != nat)
        if gap.any():  # only then a new column
            filled[j] = np.where(gap, filled[j + 1], raw[j])
    changed: dict[str, np.ndarray] = {}
    running = np.full(len(leads), nat)
    for j, col in enumerate(cols):
        skipped = (raw[j] == nat) & (filled[j] != nat)
        check.warn(col, skipped, "skipped_stage", column=col, stage=col.removesuffix("_at"))
        backwards = (filled[j] < running) & (filled[j] != nat)
        check.warn(col, backwards, "stage_backwards", column=col)
        np.maximum(running, filled[j], out=running)
        fixed = np.where(filled[j] == nat, nat, running) if backwards.any() else filled[j]
        if fixed is not raw[j]:
            changed[col] = fixed.view("datetime64[ns]")
    disq = leads["disqualified_at"].to_numpy("datetime64[ns]")
    created = changed.get("created_at", leads["created_at"].to_numpy("datetime64[ns]"))
    early = disq < created  # NaT compares False
    check.warn("disqualified_at", early, "disqualified_before_created")
    if early.any():
        changed["disqualified_at"] = np.where(early, created, disq)
    return with_columns(leads, changed) if changed else leads


def link_opportunities(leads: pd.DataFrame, opportunities: pd.DataFrame) -> pd.DataFrame:
    """Add each lead's opportunity stages from its linked opportunities.

    ``opportunity_at`` is the earliest linked ``created_at``; ``won_at`` the earliest
    ``closed_at`` of a won one; ``lost_at`` the latest ``closed_at`` when every linked
    opportunity was lost; ``won_amount`` the sum of won amounts; ``opportunity_id`` the first.
    """
    linked = opportunities.loc[opportunities["lead_id"].notna()]
    # each linked opportunity's lead (numbered by first appearance): numpy sums by lead
    group, lead_ids = pd.factorize(linked["lead_id"])
    n_leads = len(lead_ids)
    status = linked["status"]
    won = status.eq("won").to_numpy(bool)
    lost = status.eq("lost").to_numpy(bool)
    created = linked["created_at"].to_numpy("datetime64[ns]").view(np.int64)
    closed = linked["closed_at"].to_numpy("datetime64[ns]").view(np.int64)
    nat, last = np.iinfo(np.int64).min, np.iinfo(np.int64).max  # NaT reads as the least
    dated = closed != nat

    def earliest(values: np.ndarray) -> np.ndarray:  # by lead; NaT where none
        out = np.full(n_leads, last)
        np.minimum.at(out, group, values)
        return np.where(out == last, nat, out).view("datetime64[ns]")

    aggregated: dict[str, np.ndarray] = {
        "opportunity_at": earliest(np.where(created != nat, created, last)),
        "won_at": earliest(np.where(won & dated, closed, last)),
    }
    lost_at = np.full(n_leads, nat)
    np.maximum.at(lost_at, group, np.where(lost & dated, closed, nat))
    any_not_lost = np.zeros(n_leads, dtype=bool)
    np.logical_or.at(any_not_lost, group, ~lost)
    aggregated["lost_at"] = np.where(any_not_lost, nat, lost_at).view("datetime64[ns]")
    amount = linked["amount"].to_numpy(float)
    aggregated["won_amount"] = np.bincount(
        group, weights=np.where(won & ~np.isnan(amount), amount, 0.0), minlength=n_leads
    )
    # the first opportunity of each lead: the earliest created, then the first in the file
    by_creation = np.argsort(np.where(created != nat, created, last), kind="stable")
    first = np.full(n_leads, len(group))
    np.minimum.at(first, group[by_creation], np.arange(len(group)))
    first_ids = textkeys.take(_arrow_text(linked["opportunity_id"]), by_creation[first])
    # a left join on lead_id, hashing the few linked ids and probing the many leads
    position = positions_in(pd.Series(lead_ids), leads["lead_id"])
    linked_row = position >= 0
    rows = np.flatnonzero(linked_row)
    of_row = position[rows]
    columns: dict[str, object] = {}
    for col in ("opportunity_at", "won_at", "lost_at"):
        values = np.full(len(leads), np.datetime64("NaT"), "datetime64[ns]")
        values[rows] = aggregated[col][of_row]
        columns[col] = values
    amount = np.zeros(len(leads))
    amount[rows] = aggregated["won_amount"][of_row]
    columns["won_amount"] = amount
    ids = pc.take(first_ids, pa.array(position, mask=~linked_row))
    columns["opportunity_id"] = pd.Series(pd.array(ids, dtype=TEXT_DTYPE), index=leads.index)
    return with_columns(leads, columns)


# what an e-mail's bytes say about the rewrites it needs (see _email_duplicates)
_UPPER, _SPACE, _NON_ASCII = 1, 2, 4
_EMAIL_BYTES = np.zeros(256, np.uint8)
_EMAIL_BYTES[ord("A") : ord("Z") + 1] = _UPPER
_EMAIL_BYTES[ord(" ")] = _SPACE
_EMAIL_BYTES[0x80:] = _UPPER | _NON_ASCII  # non-ASCII letters may have a lower case


def _email_duplicates(leads: pd.DataFrame, usable: np.ndarray) -> np.ndarray:
    """Leads whose e-mail (case- and space-insensitive) was seen on an earlier row.

    Each rewrite (lower case, spaces out, trim, blanks and quarantined rows out) is skipped
    when it would change nothing: a clean export is hashed as read, without copies.
    """
    email = _arrow_text(leads["email"])
    flags = textkeys.byte_flags(email, _EMAIL_BYTES)
    if flags & _UPPER:
        email = pc.utf8_lower(email) if flags & _NON_ASCII else pc.ascii_lower(email)
    if flags & _SPACE:
        email = pc.replace_substring(email, " ", "")
    if _needs_trim(email):
        email = pc.utf8_trim_whitespace(email)
    keep = pc.and_(pa.array(usable, type=pa.bool_()), pc.not_equal(email, ""))
    if not pc.all(pc.or_kleene(keep, pc.is_null(email))).as_py():
        email = pc.if_else(keep, email, None)
    return textkeys.repeats(email)


def latest_date(frames: Mapping[str, pd.DataFrame]) -> dt.date | None:
    """The latest date anywhere in the data: the default ``as_of``."""
    candidates = []
    for name, frame in frames.items():
        for col in frame.columns:
            if col.endswith("_at") and pd.api.types.is_datetime64_any_dtype(frame[col].dtype):
                if name == "content":
                    continue
                value = frame[col].max()
                if pd.notna(value):
                    candidates.append(value)
    return max(candidates).date() if candidates else None


@dataclass(frozen=True)
class ValidatedTables:
    """Used rows of every file, typed; the audit; and the as-of date in force.

    ``touch_lead_rows`` gives, for each used touch, the row of its lead in
    ``frames["leads"]`` (found while checking that every touch has a known lead, and kept so
    that analyses need not hash millions of ids again); None without touches.
    """

    frames: dict[str, pd.DataFrame]
    audit: Audit
    as_of: dt.date
    touch_lead_rows: np.ndarray | None = None


def _count(check: _FileCheck) -> RowCount:
    quarantined = int(check.quarantine.sum())
    return RowCount(read=check.n, used=check.n - quarantined, quarantined=quarantined)


def _touch_links(
    touches: pd.DataFrame, lead_ids: pd.Series, asset_ids: pd.Series | None
) -> tuple[np.ndarray, np.ndarray | None]:
    """Each touch's position in ``lead_ids`` (-1: unknown lead) and the unknown-asset mask.

    Without ``asset_ids`` the assets are not checked (the mask is None).
    """
    lead_position = positions_in(lead_ids, touches["lead_id"])
    if asset_ids is None:
        return lead_position, None
    asset = touches["asset_id"]
    no_asset = asset.notna().to_numpy(bool) & ~is_in(asset, asset_ids)
    return lead_position, no_asset


def _channel_warnings(
    leads: pd.DataFrame,
    usable_leads: np.ndarray,
    leads_check: _FileCheck,
    spend: pd.DataFrame,
    spend_check: _FileCheck,
) -> None:
    """Spend on channels no lead came from, and lead channels with no spend."""
    channels = (
        leads["source_channel"] if usable_leads.all() else leads["source_channel"][usable_leads]
    )
    lead_channels = set(pc.unique(_arrow_text(channels)).drop_null().to_pylist())
    no_leads = (~spend["channel"].isin(lead_channels) & spend["channel"].notna()).to_numpy(bool)
    spend_check.warn(
        "channel",
        no_leads & ~spend_check.quarantine,
        "spend_channel_without_leads",
        channels=", ".join(sorted(lead_channels)[:12]),
    )
    spend_channels = set(spend["channel"].dropna().tolist())
    unspent = sorted(lead_channels - spend_channels)
    if unspent:
        leads_check.warn(
            "source_channel", None, "channels_without_spend", channels=", ".join(unspent)
        )


def validate_tables(
    raws: Mapping[str, RawTable | Future],
    config: EngagementConfig,
    *,
    prior_problems: tuple[Problem, ...] = (),
    background: ThreadPoolExecutor | None = None,
    full_audit: bool = True,
) -> ValidatedTables:
    """Parse and cross-check every data file of an engagement.

    Parameters
    ----------
    raws : mapping of str to RawTable or Future
        File stem (``leads``...) to the table as read. ``touches`` may be absent, or a
        future of :func:`workbook.intake.io.read_table` still reading on ``background``.
    config : EngagementConfig
    prior_problems : tuple of Problem
        Fatal problems already found while reading (missing or unreadable files).
    background : ThreadPoolExecutor, optional
        An executor of two threads or more, for the touches and the e-mail check (made here
        when not given).
    full_audit : bool
        False skips the checks that only warn, that no figure reads, and that scan every
        lead or touch: repeated e-mails, touches of unknown assets, opportunities of unknown
        leads, spend channels without leads (and lead channels without spend), personas not
        in the config (``audit.complete`` is then False). The rows used, the quarantine and
        the other warnings are the same.

    Returns
    -------
    ValidatedTables
        ``frames`` keeps only used rows (quarantined ones removed), with ``source_row``.

    Raises
    ------
    EngagementError
        When a file lacks a required column or has no data rows (nothing can be used), or
        ``prior_problems`` is not empty. Its ``audit`` reports every file all the same.
    """
    if background is None:
        with ThreadPoolExecutor(2, thread_name_prefix="workbook-validate") as background:
            return _validate_tables(raws, config, prior_problems, background, full_audit)
    return _validate_tables(raws, config, prior_problems, background, full_audit)


def _parse_when_read(raw: RawTable | Future, file: str, config: EngagementConfig):
    return parse_table(raw.result() if isinstance(raw, Future) else raw, file, config)


def _validate_tables(
    raws: Mapping[str, RawTable | Future],
    config: EngagementConfig,
    prior_problems: tuple[Problem, ...],
    background: ThreadPoolExecutor,
    full_audit: bool,
) -> ValidatedTables:
    parsed: dict[str, pd.DataFrame] = {}
    checks: dict[str, _FileCheck] = {}
    fatal: list[Problem] = list(prior_problems)
    unusable: dict[str, int] = {}
    # the touches (the largest file, checked against the leads) are parsed and linked on a
    # worker thread while this one parses and checks the leads: Arrow releases the GIL
    touches_parse = (
        background.submit(_parse_when_read, raws["touches"], "touches", config)
        if "touches" in raws
        else None
    )
    email_repeats: Future | None = None
    for file, raw in raws.items():
        if isinstance(raw, Future):
            try:
                raw = raw.result()
            except EngagementError as exc:  # unreadable: reported with the other such files
                fatal[len(prior_problems) : len(prior_problems)] = exc.problems
                continue
        try:
            if file == "touches" and touches_parse is not None:
                parsed[file], checks[file] = touches_parse.result()
            else:
                parsed[file], checks[file] = parse_table(raw, file, config)
            if file == "leads" and full_audit:  # repeated e-mails need only the parsed leads:
                # start now, beside the touches' parsing (their quarantine is final once parsed)
                email_repeats = background.submit(
                    _email_duplicates, parsed[file], ~checks[file].quarantine
                )
        except EngagementError as exc:
            fatal.extend(exc.problems)
            unusable[file] = len(raw.frame)
    if fatal:
        rows = {f: _count(c) for f, c in checks.items()}
        rows |= {f: RowCount(read=n, used=0, quarantined=n) for f, n in unusable.items()}
        audit = Audit(
            errors=(*fatal, *(p for c in checks.values() for p in c.errors)),
            warnings=tuple(p for c in checks.values() for p in c.warnings),
            rows=rows,
        )
        raise EngagementError(fatal, audit=audit)

    leads_check = checks["leads"]
    usable_leads = ~leads_check.quarantine
    # the used leads' ids, in the order of the leads frame returned (lead_id is never empty)
    lead_ids = parsed["leads"]["lead_id"]
    if not usable_leads.all():  # else no copy of a million ids
        lead_ids = lead_ids[usable_leads]
    touch_links = (
        background.submit(
            _touch_links,
            parsed["touches"],
            lead_ids,
            parsed["content"]["asset_id"].dropna() if full_audit else None,
        )
        if "touches" in parsed
        else None
    )
    opps, ocheck = parsed["opportunities"], checks["opportunities"]
    closed_status = opps["status"].isin(["won", "lost"]).to_numpy(bool)
    no_close = closed_status & opps["closed_at"].isna().to_numpy()
    ocheck.error("closed_at", no_close, "closed_without_date")
    open_closed = (
        (opps["status"].eq("open") & opps["closed_at"].notna()).fillna(False).to_numpy(bool)
    )
    ocheck.warn("closed_at", open_closed, "open_with_close_date")
    opps = opps.copy()
    opps.loc[open_closed, "closed_at"] = pd.NaT
    early = (opps["closed_at"] < opps["created_at"]).fillna(False).to_numpy(bool)
    ocheck.warn("closed_at", early, "closed_before_created")
    if full_audit:  # a warning that no figure reads, from a scan of every lead id
        unknown_lead = (
            opps["lead_id"].notna().to_numpy(bool)
            & ~is_in(opps["lead_id"], lead_ids)
            & ~ocheck.quarantine
        )
        ocheck.warn("lead_id", unknown_lead, "opportunity_unknown_lead")
    parsed["opportunities"] = opps
    leads = link_opportunities(parsed["leads"], opps.loc[~ocheck.quarantine])
    leads = _lead_stage_checks(leads, leads_check, config)
    duplicates: dict[str, int] = {}
    if email_repeats is not None:
        dup_email = email_repeats.result()
        leads_check.warn("email", dup_email, "duplicate_email")
        duplicates["leads"] = int(dup_email.sum())
    parsed["leads"] = leads

    if full_audit:  # warnings that no figure reads, from a scan of every lead's channel
        _channel_warnings(leads, usable_leads, leads_check, parsed["spend"], checks["spend"])

    content, ccheck = parsed["content"], checks["content"]
    for col, allowed in (("persona", config.personas), ("buying_stage", config.buying_stages)):
        unknown = (content[col].notna() & ~content[col].isin(allowed)).to_numpy(bool)
        ccheck.warn(col, unknown, "tag_not_in_config", column=col, allowed=", ".join(allowed))
        content[col] = content[col].where(~unknown)
    untagged = (content["persona"].isna() | content["buying_stage"].isna()).to_numpy(bool)
    ccheck.warn(None, untagged & ~ccheck.quarantine, "untagged_asset")
    if full_audit:  # a warning that no figure reads, from a scan of every lead
        persona = leads["persona"]
        unknown_persona = (persona.notna() & ~persona.isin(config.personas)).to_numpy(bool)
        leads_check.warn(
            "persona",
            unknown_persona & usable_leads,
            "persona_not_in_config",
            allowed=", ".join(config.personas),
        )

    if touch_links is not None:
        tcheck = checks["touches"]
        touch_lead_rows, no_asset = touch_links.result()
        orphan = (touch_lead_rows < 0) & ~tcheck.quarantine
        if orphan.any():
            tcheck.warn("lead_id", orphan, "touch_unknown_lead")
            tcheck.quarantine |= orphan
        if no_asset is not None:
            tcheck.warn("asset_id", no_asset & ~tcheck.quarantine, "touch_unknown_asset")

    frames = {
        file: frame.loc[~checks[file].quarantine].reset_index(drop=True)
        if checks[file].quarantine.any()
        else frame
        for file, frame in parsed.items()
    }
    as_of = config.as_of or latest_date(frames) or dt.date.today()
    after = (frames["leads"]["created_at"] > pd.Timestamp(as_of)).to_numpy(bool)
    if after.any():
        leads_check.warnings.append(
            Problem.coded(
                leads_check.file,
                "created_at",
                "created_after_as_of",
                tuple(int(r) for r in frames["leads"]["source_row"].to_numpy()[after]),
                as_of=str(as_of),
            )
        )

    empty_files = [
        Problem.coded(checks[f].file, None, "no_usable_rows")
        for f, frame in frames.items()
        if f not in OPTIONAL_FILES and len(frame) == 0
    ]
    audit = Audit(
        errors=(*(p for c in checks.values() for p in c.errors), *empty_files),
        warnings=tuple(p for c in checks.values() for p in c.warnings),
        rows={file: _count(c) for file, c in checks.items()},
        duplicates=duplicates,
        complete=full_audit,
    )
    if empty_files:
        raise EngagementError(empty_files, audit=audit)
    if touch_links is not None and checks["touches"].quarantine.any():
        touch_lead_rows = touch_lead_rows[~checks["touches"].quarantine]
    return ValidatedTables(
        frames=frames,
        audit=audit,
        as_of=as_of,
        touch_lead_rows=touch_lead_rows if touch_links is not None else None,
    )
