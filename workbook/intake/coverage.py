"""How far each data file's dates reach, and the warning when a file stops early or starts late.

A client's exports are not always taken on the same day: a leads export that stops six months
before the others makes a monthly trend fall to 0, a run-rate average months without data and
a cohort read 0 % where nothing was recorded (CONTRACT section 3, "Coverage is checked").
:func:`data_coverage` finds, for each file, the first and last date of the column that dates
its rows, decides whether the file stops well before ``as_of`` or starts well after the other
files, and says so in a warning naming the file and its date range. Figures then use only the
months a file covers (:func:`covered_months`): the time after a file stopped is no data, not 0.

Which column dates a file's rows (:data:`COVERAGE_COLUMNS`): a lead's and an opportunity's
``created_at`` (a record exists from the day it is created, so a missing month of records is
missing creations), spend's ``month`` (first to last day of the month), a touch's
``touched_at``. Content's ``published_at`` is shown in the inventory but not checked: a
content inventory is a list of assets, not a stream of records.

"Well before" and "well after", so that a file sparse by nature is not flagged:

- **stops early**: its last date is more than :data:`STOP_GAP_DAYS` (60, two months) before
  ``as_of``, *and* a silence that long is unlikely at the file's own pace: its chance is below
  :data:`SILENCE_PVALUE` (1 %) (:func:`silence_pvalue`).
- **starts late**: its first date is more than :data:`START_GAP_DAYS` (90) after the earliest
  first date of the other checked files (a quarter: opportunities naturally start some weeks
  after the leads they come from), and a silence that long is as unlikely.

A file's pace is read over its first date to ``as_of``: ``rows`` rows over those days, and the
share of those calendar months holding at least one row. The chance of a silence of ``d`` days
is the smaller of ``exp(-rows / span_days * d)`` (records arriving independently, as leads or
touches do) and ``(1 - share) ** (d / 30.44)`` (months independently holding a row, as a
monthly spend table does). A leads export of 239 a month silent for six months has a chance of
about 0; four opportunities silent for three months (the tests' tiny engagement) about 7 %.

A file that stops early covers its first date to its last; one that does not covers up to
``as_of``. A file that starts late covers from its first date; one that does not covers from
the earliest date of all checked files (its first rows are its pace, not a late start).

See Also
--------
workbook.intake.validate.validate_files : adds :attr:`DataCoverage.warnings` to the audit.
workbook.intake.engagement.Engagement.coverage : the coverage of a loaded engagement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook.intake.problems import Problem
from workbook.intake.schema import lead_stages

#: The column that dates each file's rows.
COVERAGE_COLUMNS: dict[str, str] = {
    "leads": "created_at",
    "opportunities": "created_at",
    "spend": "month",
    "touches": "touched_at",
    "content": "published_at",
}
#: Files whose coverage is checked (content's publication dates are only shown).
CHECKED_FILES: tuple[str, ...] = ("leads", "opportunities", "spend", "touches")
#: A file whose last date is at most this many days before as_of does not stop early.
STOP_GAP_DAYS: int = 60
#: A file whose first date is at most this many days after the others' does not start late.
START_GAP_DAYS: int = 90
#: A silence whose chance at the file's own pace is below this is not the file's pace.
SILENCE_PVALUE: float = 0.01
#: Mean days per calendar month.
MONTH_DAYS: float = 365.25 / 12


@dataclass(frozen=True)
class FileCoverage:
    """The dates one data file covers.

    Attributes
    ----------
    stem, file : str
        ``leads`` and the file's name as read (``leads.csv``).
    column : str
        The column dating its rows (:data:`COVERAGE_COLUMNS`).
    rows : int
        Rows with a date in ``column``.
    first, last : Timestamp or None
        First and last date (day precision; spend's last month counts to its last day).
        None when no row has a date.
    checked : bool
        False for content: its dates are shown, never checked nor used to restrict figures.
    stops_early, starts_late : bool
        The file stops well before ``as_of`` / starts well after the other files.
    covered_from, covered_to : Timestamp or None
        The span figures may read this file over: ``first`` when it starts late (else the
        earliest date of all checked files) to ``last`` when it stops early (else ``as_of``).
        None for a file that is not checked or has no dated row.
    """

    stem: str
    file: str
    column: str
    rows: int
    first: pd.Timestamp | None
    last: pd.Timestamp | None
    checked: bool = True
    stops_early: bool = False
    starts_late: bool = False
    covered_from: pd.Timestamp | None = None
    covered_to: pd.Timestamp | None = None

    @property
    def limited(self) -> bool:
        """True when the file stops early or starts late."""
        return self.stops_early or self.starts_late


@dataclass(frozen=True)
class DataCoverage:
    """The coverage of every data file of an engagement, and the warnings about it.

    Attributes
    ----------
    as_of : Timestamp
    files : tuple of FileCoverage
        One per file given with rows, in the order given.
    warnings : tuple of Problem
        One per file that stops early or starts late (``coverage_stops_early``,
        ``coverage_starts_late``).
    """

    as_of: pd.Timestamp
    files: tuple[FileCoverage, ...] = ()
    warnings: tuple[Problem, ...] = ()

    def get(self, stem: str) -> FileCoverage | None:
        """The coverage of ``stem`` (None when the file was not given or has no rows)."""
        return next((f for f in self.files if f.stem == stem), None)

    @property
    def limited(self) -> tuple[FileCoverage, ...]:
        """The files that stop early or start late."""
        return tuple(f for f in self.files if f.limited)

    @property
    def data_start(self) -> pd.Timestamp | None:
        """The earliest first date of the checked files (None without any dated row)."""
        firsts = [f.first for f in self.files if f.checked and f.first is not None]
        return min(firsts) if firsts else None

    def span(self, stems: Iterable[str]) -> tuple[pd.Timestamp | None, pd.Timestamp]:
        """The days every file of ``stems`` covers: ``(start, end)``.

        Files not given (or without dated rows) do not restrict it: with none of ``stems``
        given, the span is ``(data_start, as_of)``.
        """
        start, end = self.data_start, self.as_of
        for stem in stems:
            cover = self.get(stem)
            if cover is None or cover.covered_from is None or cover.covered_to is None:
                continue
            start = cover.covered_from if start is None else max(start, cover.covered_from)
            end = min(end, cover.covered_to)
        return start, end


def stage_files(stage: str, stages: tuple[str, ...]) -> tuple[str, ...]:
    """The files a count of leads entering ``stage`` reads.

    A lead stage reads the leads file; ``opportunity`` and ``won`` read the leads file (the
    journeys' rows) and the opportunities file (their dates).

    Examples
    --------
    >>> stage_files("mql", ("inquiry", "mql", "opportunity", "won"))
    ('leads',)
    >>> stage_files("won", ("inquiry", "mql", "opportunity", "won"))
    ('leads', 'opportunities')
    """
    return ("leads",) if stage in lead_stages(stages) else ("leads", "opportunities")


def covered_months(
    coverage: DataCoverage, stems: Iterable[str], *, complete: bool = False
) -> pd.PeriodIndex:
    """The calendar months a figure reading ``stems`` may use.

    Parameters
    ----------
    coverage : DataCoverage
    stems : iterable of str
        The files the figure reads (:func:`stage_files`).
    complete : bool
        Only months covered to their last day (a run-rate's months): the month of the span's
        end is left out unless the span ends on its last day. A span's first month counts as
        covered whatever its first day (an export starts on the day it starts).

    Returns
    -------
    pandas.PeriodIndex
        Monthly periods, oldest first; empty when nothing is covered.

    Examples
    --------
    >>> cover = FileCoverage("leads", "leads.csv", "created_at", 90, pd.Timestamp("2026-01-05"),
    ...     pd.Timestamp("2026-03-20"), stops_early=True,
    ...     covered_from=pd.Timestamp("2026-01-05"), covered_to=pd.Timestamp("2026-03-20"))
    >>> coverage = DataCoverage(pd.Timestamp("2026-09-30"), (cover,))
    >>> [str(m) for m in covered_months(coverage, ["leads"])]
    ['2026-01', '2026-02', '2026-03']
    >>> [str(m) for m in covered_months(coverage, ["leads"], complete=True)]
    ['2026-01', '2026-02']
    """
    start, end = coverage.span(stems)
    if start is None or start > end:
        return pd.PeriodIndex([], freq="M")
    last = end.to_period("M")
    if complete and end.normalize() != last.to_timestamp(how="end").normalize():
        last = last - 1
    return pd.period_range(start.to_period("M"), last, freq="M")


def silence_pvalue(
    rows: int, months_with_rows: int, *, span_days: float, span_months: int, silent_days: float
) -> float:
    """Chance that a file keeping its pace shows no row for ``silent_days`` days.

    The smaller of two readings of its pace: rows arriving independently at
    ``rows / span_days`` a day (Poisson: ``exp(-rate * silent_days)``), and months each holding
    a row with the chance ``months_with_rows / span_months``
    (``(1 - share) ** (silent_days / 30.44)``). The first fits a stream of records (leads,
    touches), the second a monthly table (spend).

    Examples
    --------
    >>> round(silence_pvalue(4, 2, span_days=150, span_months=5, silent_days=102), 3)
    0.066
    >>> silence_pvalue(239 * 18, 18, span_days=730, span_months=24, silent_days=182) < 1e-9
    True
    """
    if rows <= 0 or span_days <= 0 or span_months <= 0:
        return 1.0
    poisson = float(np.exp(-rows / span_days * silent_days))
    share = min(months_with_rows / span_months, 1.0)
    monthly = float((1.0 - share) ** (silent_days / MONTH_DAYS))
    return min(poisson, monthly)


@dataclass(frozen=True)
class _Dates:
    """A file's dating column: its dated rows' count and first and last day."""

    rows: int
    first: pd.Timestamp
    last: pd.Timestamp
    column: pd.Series


def _dates(stem: str, column: pd.Series) -> _Dates | None:
    rows = int(column.count())
    if not rows:
        return None
    first, last = column.min().normalize(), column.max().normalize()
    if stem == "spend":  # a month of spend runs to its last day
        last = last + pd.offsets.MonthEnd(0)
    return _Dates(rows, first, last, column)


def _silence(dates: _Dates, as_of: pd.Timestamp, silent_days: float) -> float:
    """:func:`silence_pvalue` of a silence of ``silent_days`` at the pace of ``dates``.

    Read only for a silence past its threshold (the months holding a row scan the column).
    """
    span_days = float((as_of - dates.first).days + 1)
    first_month, as_of_month = dates.first.to_period("M"), as_of.to_period("M")
    span_months = max(int((as_of_month - first_month).n) + 1, 1)
    values = dates.column.to_numpy("datetime64[ns]")
    months = values[~np.isnat(values)].astype("datetime64[M]")
    held = np.unique(months[months <= as_of.to_datetime64().astype("datetime64[M]")])
    return silence_pvalue(
        dates.rows,
        len(held),
        span_days=max(span_days, 1.0),
        span_months=span_months,
        silent_days=silent_days,
    )


def _per_month(dates: _Dates) -> str:
    """Rows a month from the first date to the last (the pace a warning quotes)."""
    days = float((dates.last - dates.first).days + 1)
    return str(round(dates.rows / days * MONTH_DAYS))


def data_coverage(
    frames: Mapping[str, pd.DataFrame | None],
    as_of: dt.date | pd.Timestamp,
    *,
    files: Mapping[str, str] | None = None,
) -> DataCoverage:
    """The dates each data file covers, and a warning for each that stops early or starts late.

    Parameters
    ----------
    frames : mapping of str to DataFrame or None
        File stem -> validated frame (used rows). Stems without a coverage column, None and
        frames without rows are skipped (a file not provided covers nothing and restricts
        nothing).
    as_of : date or Timestamp
        The snapshot date.
    files : mapping of str to str, optional
        File stem -> the file's name as read (``leads.xlsx``); ``<stem>.csv`` by default.

    Returns
    -------
    DataCoverage
        Its ``warnings`` name the file, its dating column and its date range.

    Examples
    --------
    >>> leads = pd.DataFrame({"created_at": pd.date_range("2025-01-01", "2026-03-31", freq="D")})
    >>> opps = pd.DataFrame({"created_at": pd.date_range("2025-01-01", "2026-09-30", freq="7D")})
    >>> coverage = data_coverage({"leads": leads, "opportunities": opps}, dt.date(2026, 9, 30))
    >>> [(f.stem, f.stops_early) for f in coverage.files]
    [('leads', True), ('opportunities', False)]
    >>> coverage.warnings[0].describe()[:52]
    'leads.csv, column created_at: dates run from 2025-01'
    """
    as_of = pd.Timestamp(as_of).normalize()
    names = dict(files or {})
    found: dict[str, _Dates | None] = {}
    for stem, frame in frames.items():
        column = COVERAGE_COLUMNS.get(stem)
        if frame is None or column is None or column not in frame.columns or not len(frame):
            continue
        found[stem] = _dates(stem, frame[column])
    firsts = {s: d.first for s, d in found.items() if d is not None and s in CHECKED_FILES}
    data_start = min(firsts.values()) if firsts else None
    covers: list[FileCoverage] = []
    warnings: list[Problem] = []
    for stem, dates in found.items():
        file, column = names.get(stem, f"{stem}.csv"), COVERAGE_COLUMNS[stem]
        if dates is None or stem not in CHECKED_FILES:
            first, last = (dates.first, dates.last) if dates is not None else (None, None)
            rows = dates.rows if dates is not None else 0
            covers.append(FileCoverage(stem, file, column, rows, first, last, checked=False))
            continue
        values = {
            "first": dates.first.date().isoformat(),
            "last": dates.last.date().isoformat(),
            "per_month": _per_month(dates),
        }
        stop_days = float((as_of - dates.last).days)
        stops_early = bool(
            stop_days > STOP_GAP_DAYS and _silence(dates, as_of, stop_days) < SILENCE_PVALUE
        )
        if stops_early:
            warnings.append(
                Problem.coded(
                    file,
                    column,
                    "coverage_stops_early",
                    days=str(int(stop_days)),
                    as_of=as_of.date().isoformat(),
                    **values,
                )
            )
        others = {s: f for s, f in firsts.items() if s != stem}
        other = min(others, key=others.get) if others else None
        start_days = float((dates.first - others[other]).days) if other else 0.0
        starts_late = bool(
            start_days > START_GAP_DAYS and _silence(dates, as_of, start_days) < SILENCE_PVALUE
        )
        if starts_late and other is not None:
            warnings.append(
                Problem.coded(
                    file,
                    column,
                    "coverage_starts_late",
                    days=str(int(start_days)),
                    other_file=names.get(other, f"{other}.csv"),
                    other_first=others[other].date().isoformat(),
                    **values,
                )
            )
        covers.append(
            FileCoverage(
                stem,
                file,
                column,
                dates.rows,
                dates.first,
                dates.last,
                stops_early=stops_early,
                starts_late=starts_late,
                covered_from=dates.first if starts_late else data_start,
                covered_to=dates.last if stops_early else as_of,
            )
        )
    return DataCoverage(as_of=as_of, files=tuple(covers), warnings=tuple(warnings))


__all__ = [
    "CHECKED_FILES",
    "COVERAGE_COLUMNS",
    "SILENCE_PVALUE",
    "START_GAP_DAYS",
    "STOP_GAP_DAYS",
    "DataCoverage",
    "FileCoverage",
    "covered_months",
    "data_coverage",
    "silence_pvalue",
    "stage_files",
]
