"""The job a batch worker runs: one engagement's reports, never raising for a failed run.

A job takes the same path as ``workbook run``: :func:`workbook.runs.pipeline.prepare_reports`
(load and validate once) then :func:`workbook.runs.pipeline.write_reports`. Its failure is
recorded in ``OUT/<slug>/failed/`` (the executed notebook up to the failing cell and
``error.txt``; for a failure before any notebook ran, ``error.txt`` alone) and the published
reports of that client are left as they were.
"""

from __future__ import annotations

import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from workbook.intake.problems import EngagementError
from workbook.runs.folders import PublishError
from workbook.runs.outcomes import BatchRow, failure_reason
from workbook.runs.pipeline import prepare_reports, write_reports
from workbook.runs.publish import record_failure


@dataclass(frozen=True)
class BatchJob:
    """What a worker needs to produce one engagement's reports (picklable; paths absolute)."""

    engagement_dir: Path
    client_slug: str
    out_dir: Path
    notebooks_dir: Path
    phases: tuple[str, ...]
    language: str | None = None
    seed: int = 7
    pdf: bool = False
    key_tables: bool = True
    decks: bool = True
    #: ``client`` of engagement.yaml (None when it cannot be read): whose folder it is.
    client: str | None = None


def _failure_text(error: BaseException, engagement_dir: Path) -> str:
    """``error.txt`` for a failure before any notebook ran."""
    lines = [f"Run failed before any notebook ran: {failure_reason(error)}", ""]
    lines.append(f"engagement: {engagement_dir}")
    if isinstance(error, EngagementError):
        lines += ["", "problems:", *(f"  - {p.describe()}" for p in error.problems)]
        lines += ["", f"Fix them, then check with: workbook validate {engagement_dir}"]
    else:
        lines += ["", f"error: {type(error).__name__}: {error}"]
    return "\n".join(lines) + "\n"


_IN_POOL_WORKER = False


def pool_worker_init() -> None:
    """Local pool workers ignore SIGINT between jobs (no traceback when Ctrl-C hits them idle)."""
    global _IN_POOL_WORKER
    _IN_POOL_WORKER = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _interrupt_once(signum: int, frame: object) -> None:
    """SIGINT in a running job: one KeyboardInterrupt, then ignore more (let cleanup finish)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def run_engagement_job(job: BatchJob) -> BatchRow:
    """Produce one engagement's reports; what a worker runs. Never raises for a failed run.

    Failures during the run are recorded by :func:`workbook.runs.runner.run_engagement`; any
    other failure (the engagement cannot be loaded, a data file is missing) is written to
    ``OUT/<slug>/failed/error.txt`` here. An interruption
    (KeyboardInterrupt) is not caught: the run's temporary folder is removed and the
    interruption propagates.

    Parameters
    ----------
    job : BatchJob

    Returns
    -------
    BatchRow
    """
    handle_sigint = _IN_POOL_WORKER and threading.current_thread() is threading.main_thread()
    if handle_sigint:
        signal.signal(signal.SIGINT, _interrupt_once)
    started = time.perf_counter()

    def failed(error: BaseException, failure_dir: Path | None) -> BatchRow:
        return BatchRow(
            engagement_dir=job.engagement_dir,
            client_slug=job.client_slug,
            status="failed",
            duration_seconds=time.perf_counter() - started,
            reason=failure_reason(error),
            failure_dir=failure_dir,
        )

    client = job.client

    def record(error: BaseException) -> Path | None:
        """``failed/error.txt``; None when the folder cannot or must not be written."""
        try:
            return record_failure(
                job.out_dir,
                job.client_slug,
                _failure_text(error, job.engagement_dir),
                client=client,
            )
        except (OSError, PublishError):
            return None

    error_file = job.out_dir / job.client_slug / "failed" / "error.txt"
    try:
        try:
            prepared = prepare_reports(
                job.engagement_dir,
                language=job.language,
                seed=job.seed,
                client_slug=job.client_slug,
            )
        except Exception as error:
            return failed(error, record(error))
        client = prepared.engagement.config.client
        previous_record = _file_identity(error_file)
        try:
            result = write_reports(
                prepared,
                phases=job.phases,
                out_dir=job.out_dir,
                progress=False,
                pdf=job.pdf,
                notebooks_dir=job.notebooks_dir,
                key_tables=job.key_tables,
                decks=job.decks,
                phase_workers=1,  # the batch's workers already fill the cores
            )
        except Exception as error:
            recorded = _file_identity(error_file) not in (None, previous_record)
            return failed(error, error_file.parent if recorded else record(error))
        return BatchRow(
            engagement_dir=job.engagement_dir,
            client_slug=job.client_slug,
            status="succeeded",
            duration_seconds=time.perf_counter() - started,
            report_paths=result.reports,
            notes=result.notes,
        )
    finally:
        if handle_sigint:
            signal.signal(signal.SIGINT, signal.SIG_IGN)


def _file_identity(path: Path) -> tuple[int, int] | None:
    """Inode and modification time: tells a freshly written ``error.txt`` from an old one."""
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_ino, status.st_mtime_ns


# --- the batch ---------------------------------------------------------------------------------
