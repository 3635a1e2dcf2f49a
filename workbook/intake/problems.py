"""Problems found in an engagement's input, and the audit that collects them.

A :class:`Problem` names the file, the column and the 1-based data rows (header excluded)
it concerns, and says how to fix it. :class:`Audit` is what ``workbook validate`` reports.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

#: At most this many per-row entries per problem in the JSON; the rest are summarised.
MAX_ROWS_LISTED = 1000


@dataclass(frozen=True)
class Problem:
    """One error or warning about the input.

    Attributes
    ----------
    file : str
        File name as the user knows it (``leads.csv``, ``engagement.yaml``).
    column : str or None
        Contract column name (or YAML key path) concerned, if any.
    message : str
        What is wrong and how to fix it.
    rows : tuple of int
        1-based data rows (header excluded); empty for a file- or column-level problem.
        For ``engagement.yaml`` these are line numbers.
    code, values : str and dict, optional
        Catalogue key (``problem.<code>``) and the values its sentence quotes, so reports can
        show the message in the report's language.
    """

    file: str
    column: str | None
    message: str
    rows: tuple[int, ...] = ()
    code: str | None = None
    values: dict | None = field(default=None, compare=False)

    @classmethod
    def coded(
        cls, file: str, column: str | None, code: str, rows: tuple[int, ...] = (), /, **values
    ) -> Problem:
        """A problem whose sentence is ``problem.<code>`` of the text catalogue (English here;
        :meth:`text` gives it in another language)."""
        from workbook.i18n import text

        message = text(f"problem.{code}", "en", **values)
        return cls(file, column, message, tuple(rows), code=code, values=dict(values))

    def text(self, language: str = "en") -> str:
        """The message in ``language`` (the English message when it has no catalogue code)."""
        if self.code is None:
            return self.message
        from workbook.i18n import text

        return text(f"problem.{self.code}", language, **(self.values or {}))

    def to_records(self, *, max_rows: int = MAX_ROWS_LISTED) -> list[dict]:
        """Contract JSON records: one per row (``row`` null for file-level problems).

        Past ``max_rows`` rows, one summary record (``row`` null) says how many more.
        """

        def record(row: int | None, message: str) -> dict:
            return {"file": self.file, "row": row, "column": self.column, "message": message}

        if not self.rows:
            return [record(None, self.message)]
        records = [record(int(r), self.message) for r in self.rows[:max_rows]]
        rest = len(self.rows) - max_rows
        if rest > 0:
            records.append(
                record(
                    None,
                    f"{self.message} (and {rest:,} more rows: "
                    f"rows {self.rows[max_rows]}..{self.rows[-1]})",
                )
            )
        return records

    def describe(self, *, max_rows: int = 8) -> str:
        """One readable line: ``leads.csv, column created_at, rows 3, 7: message``."""
        yaml_file = self.file.endswith((".yaml", ".yml"))
        where = [self.file]
        if self.column:
            where.append(f"{'key' if yaml_file else 'column'} {self.column}")
        if self.rows:
            rows = format_rows(self.rows, max_rows=max_rows)
            where.append(rows.replace("row", "line") if yaml_file else rows)
        return f"{', '.join(where)}: {self.message}"


def format_rows(rows: Sequence[int], *, max_rows: int = 8) -> str:
    """``row 4`` / ``rows 3, 7, 9`` / ``rows 3, 7, ... (1,204 rows)``.

    Examples
    --------
    >>> format_rows([3])
    'row 3'
    >>> format_rows(list(range(1, 12)), max_rows=3)
    'rows 1, 2, 3, ... (11 rows)'
    """
    if len(rows) == 1:
        return f"row {rows[0]}"
    shown = ", ".join(str(r) for r in rows[:max_rows])
    if len(rows) > max_rows:
        return f"rows {shown}, ... ({len(rows):,} rows)"
    return f"rows {shown}"


def rows_from_mask(mask: np.ndarray | Iterable[bool]) -> tuple[int, ...]:
    """1-based row numbers where ``mask`` is true."""
    return tuple(int(i) + 1 for i in np.flatnonzero(np.asarray(mask, dtype=bool)))


@dataclass(frozen=True)
class RowCount:
    """Row accounting of one file: ``read == used + quarantined``."""

    read: int
    used: int
    quarantined: int

    def to_dict(self) -> dict[str, int]:
        return {"read": self.read, "used": self.used, "quarantined": self.quarantined}


@dataclass(frozen=True)
class Audit:
    """Everything ``workbook validate`` reports about an engagement's input.

    Attributes
    ----------
    errors, warnings : tuple of Problem
    rows : dict
        File stem -> :class:`RowCount`, for every data file read.
    duplicates : dict
        File stem -> number of duplicate records (``leads``: repeated e-mails).
    complete : bool
        False when the load skipped the checks that only warn, that no figure reads and that
        scan every lead or touch (``load_engagement(..., full_audit=False)``): repeated
        e-mails (``duplicates`` is then empty), unknown assets, leads and personas, channels
        without spend. Errors, quarantine and row counts are complete either way.
    """

    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    rows: dict[str, RowCount] = field(default_factory=dict)
    duplicates: dict[str, int] = field(default_factory=dict)
    complete: bool = True

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    @property
    def quarantined_count(self) -> int:
        return sum(c.quarantined for c in self.rows.values())

    def to_dict(self) -> dict:
        """The contract's ``validate --json`` object."""
        return {
            "ok": self.ok,
            "errors": [rec for p in self.errors for rec in p.to_records()],
            "warnings": [rec for p in self.warnings for rec in p.to_records()],
            "rows": {name: count.to_dict() for name, count in self.rows.items()},
            "duplicates": dict(self.duplicates),
        }


class FileCheck:
    """A file's problems and quarantine, collected while its columns are parsed and checked.

    Parameters
    ----------
    file : str
        The file's name, as problems name it (``leads.csv``).
    n_rows : int
        Data rows read.
    notes : sequence of Problem
        Warnings found while reading the file (they come first).
    row_numbers : ndarray of int, optional
        The file's data row of each row checked (empty rows of the file left out of the
        check: :attr:`workbook.intake.io.RawTable.source_rows`); 1..n when None.

    Examples
    --------
    >>> check = FileCheck("leads.csv", 3)
    >>> check.error("created_at", np.array([False, True, False]), "empty_required", column="x")
    >>> check.quarantine.tolist(), check.errors[0].rows, check.count()
    ([False, True, False], (2,), RowCount(read=3, used=2, quarantined=1))
    """

    def __init__(
        self,
        file: str,
        n_rows: int,
        notes: Sequence[Problem] = (),
        *,
        row_numbers: np.ndarray | None = None,
    ):
        self.file = file
        self.n = n_rows
        self.row_numbers = row_numbers
        self.quarantine = np.zeros(n_rows, bool)
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = list(notes)

    def error(self, column: str | None, mask: np.ndarray, code: str, /, **values) -> None:
        """Quarantine the rows of ``mask`` with the catalogue's ``problem.<code>`` sentence."""
        mask = np.asarray(mask, bool)
        if mask.any():
            self.quarantine |= mask
            self.errors.append(Problem.coded(self.file, column, code, self.rows(mask), **values))

    def warn(self, column: str | None, mask: np.ndarray | None, code: str, /, **values) -> None:
        """Warn about the rows of ``mask`` (the whole file when None); nothing is quarantined."""
        if mask is None:
            self.warnings.append(Problem.coded(self.file, column, code, **values))
            return
        mask = np.asarray(mask, bool)
        if mask.any():
            self.warnings.append(Problem.coded(self.file, column, code, self.rows(mask), **values))

    def rows(self, mask: np.ndarray) -> tuple[int, ...]:
        """The file's data rows (1-based) where ``mask`` is true."""
        if self.row_numbers is None:
            return rows_from_mask(mask)
        return tuple(int(r) for r in self.row_numbers[np.asarray(mask, bool)])

    def count(self) -> RowCount:
        """The file's row accounting so far."""
        quarantined = int(self.quarantine.sum())
        return RowCount(read=self.n, used=self.n - quarantined, quarantined=quarantined)


class EngagementError(Exception):
    """The engagement cannot be analysed: a file is missing, unreadable or lacks a column.

    Carries the problems found; ``str()`` lists them readably.
    """

    def __init__(self, problems: Sequence[Problem], audit: Audit | None = None):
        self.problems = tuple(problems)
        self.audit = audit
        super().__init__("\n".join(p.describe() for p in self.problems))
