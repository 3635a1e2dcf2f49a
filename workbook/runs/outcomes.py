"""The outcome of a batch: one row per engagement, the totals, and the printed summary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbook.intake.problems import EngagementError
from workbook.runs.errors import NotebookRunError
from workbook.runs.folders import PublishError

#: Statuses of a :class:`BatchRow`.
STATUSES = ("succeeded", "failed")


@dataclass(frozen=True)
class BatchRow:
    """The outcome of one engagement of a batch.

    Attributes
    ----------
    engagement_dir : Path
        As given to :func:`run_batch`.
    client_slug : str
        Its folder under ``OUT``.
    status : {"succeeded", "failed"}
    duration_seconds : float
        Wall-clock time of the job (0 when it never ran).
    reason : str
        Empty when it succeeded; else one line: the first input problem, the notebook
        failure (``phase: notebook, cell n: Error: message``), or ``ExceptionType: message``.
    report_paths : tuple of Path
        Files published into ``OUT/<client_slug>/``.
    failure_dir : Path or None
        ``OUT/<client_slug>/failed/`` when the failure was recorded there.
    notes : tuple of str
        Notes for the user (quarantined rows, skipped phases).
    """

    engagement_dir: Path
    client_slug: str
    status: str
    duration_seconds: float
    reason: str = ""
    report_paths: tuple[Path, ...] = ()
    failure_dir: Path | None = None
    notes: tuple[str, ...] = ()

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able dict."""
        return {
            "engagement_dir": str(self.engagement_dir),
            "client_slug": self.client_slug,
            "status": self.status,
            "duration_seconds": round(float(self.duration_seconds), 3),
            "reason": self.reason or None,
            "report_paths": [str(p) for p in self.report_paths],
            "failure_dir": None if self.failure_dir is None else str(self.failure_dir),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class BatchResult:
    """Every engagement's outcome, in the order given, and the batch's totals.

    Attributes
    ----------
    rows : tuple of BatchRow
    out_dir : Path
    total_seconds : float
        Wall-clock time of the whole batch, worker start-up included.
    executor : str
        ``"2 local worker processes"``, ``"Dask cluster at tcp://..."`` or the executor's type.
    """

    rows: tuple[BatchRow, ...]
    out_dir: Path
    total_seconds: float
    executor: str = ""

    @property
    def succeeded(self) -> tuple[BatchRow, ...]:
        return tuple(row for row in self.rows if row.succeeded)

    @property
    def failed(self) -> tuple[BatchRow, ...]:
        return tuple(row for row in self.rows if not row.succeeded)

    @property
    def exit_code(self) -> int:
        """1 if any engagement failed, else 0 (CONTRACT ``batch``)."""
        return 1 if self.failed else 0

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able dict."""
        return {
            "out_dir": str(self.out_dir),
            "executor": self.executor,
            "succeeded": len(self.succeeded),
            "failed": len(self.failed),
            "total_seconds": round(float(self.total_seconds), 3),
            "engagements": [row.to_dict() for row in self.rows],
        }

    def to_text(self) -> str:
        """The summary printed by ``workbook batch``: one line per engagement, then totals.

        Examples
        --------
        >>> row = BatchRow(Path("clients/acme"), "acme", "succeeded", 12.34)
        >>> print(BatchResult((row,), Path("reports"), 13.0).to_text())
        engagement    client  status     duration  reason
        clients/acme  acme    succeeded    12.3 s
        <BLANKLINE>
        1 succeeded, 0 failed in 13.0 s. Reports in reports/<client>/.
        """
        headers = ("engagement", "client", "status", "duration", "reason")
        lines = [
            (
                str(row.engagement_dir),
                row.client_slug,
                row.status,
                f"{row.duration_seconds:,.1f} s",
                row.reason,
            )
            for row in self.rows
        ]
        widths = [max([len(h), *(len(line[i]) for line in lines)]) for i, h in enumerate(headers)]

        def render(values: Sequence[str]) -> str:
            cells = [
                value.rjust(width) if i == 3 else value.ljust(width)
                for i, (value, width) in enumerate(zip(values, widths, strict=True))
            ]
            return "  ".join(cells).rstrip()

        out = [render(headers), *(render(line) for line in lines), ""]
        out.append(
            f"{len(self.succeeded)} succeeded, {len(self.failed)} failed in "
            f"{self.total_seconds:,.1f} s. Reports in {self.out_dir}/<client>/."
        )
        recorded = [row.failure_dir for row in self.failed if row.failure_dir is not None]
        if recorded:
            out.append("Failure records (error.txt, and the notebook up to the failing cell):")
            out.extend(f"  {path}" for path in recorded)
        return "\n".join(out)


def failure_reason(error: BaseException) -> str:
    """One line saying why an engagement failed.

    Examples
    --------
    >>> failure_reason(ValueError("bad value\\nmore detail"))
    'ValueError: bad value'
    """
    if isinstance(error, EngagementError) and error.problems:
        first = error.problems[0].describe(max_rows=3)
        more = len(error.problems) - 1
        return first + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")
    if isinstance(error, NotebookRunError):
        return f"{error.phase}: {error.summary()}" if error.phase else error.summary()
    if isinstance(error, PublishError):  # says what is wrong with which folder, in full
        return str(error)
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__
