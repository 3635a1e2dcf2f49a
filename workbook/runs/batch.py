"""``workbook batch``: every engagement's reports, in parallel, one failure never stopping the others.

:func:`run_batch` sends one job per engagement (:func:`workbook.runs.jobs.run_engagement_job`,
the same path as ``workbook run``) to a :class:`concurrent.futures.Executor`: a local
process pool by default, or a Dask distributed cluster (``Client(address).get_executor()``).
Each job returns a :class:`workbook.runs.outcomes.BatchRow` and never raises for a failed
engagement: its failure is recorded in ``OUT/<slug>/failed/`` and the published reports of
that client are left as they were.

Two engagements of one batch never write to the same folder: the first (in the order given)
owns ``OUT/<slug>/``; any later one with the same client slug fails at once, writing nothing.

Workers need the engagement folders, the notebooks and ``OUT`` at the same paths as the
process calling :func:`run_batch` (a shared filesystem): true for the local pool and for a
Dask cluster on one machine or on machines mounting the same share.

A worker process of the local pool that dies (out of memory, killed) breaks the pool; the
batch then starts a new pool and re-runs the engagements it was running, each alone, so the
one that kills its worker fails and the others are not blamed.
"""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import datetime as dt
import multiprocessing
import os
import shutil
import signal
import sys
import time
from collections import deque
from collections.abc import Sequence
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from workbook.i18n import LANGUAGES
from workbook.runs.folders import PublishError, check_output_folder
from workbook.runs.jobs import BatchJob, pool_worker_init, run_engagement_job
from workbook.runs.outcomes import STATUSES, BatchResult, BatchRow, failure_reason
from workbook.runs.pipeline import (
    NOTEBOOKS_DIR,
    engagement_client,
    engagement_slug,
    notebook_parameters,
)
from workbook.runs.runner import (
    PHASE_NOTEBOOKS,
    check_notebook_parameters,
    find_phase_notebooks,
    record_failure,
    selected_phases,
)

#: Modules the local pool's fork server imports once, so that its workers start warm (the
#: Excel tables need the KPIs and the plan, and the plan scipy's optimize and stats, which
#: the modules import only when first needed: over a second a worker otherwise).
WORKER_PRELOAD = (
    "workbook.runs.batch",
    "workbook.deliverables.excel",
    "workbook.analysis.kpis",
    "workbook.analysis.plan",
    "scipy.linalg",
    "scipy.optimize",
    "scipy.stats",
)
#: Seconds to wait for a Dask scheduler to answer, and for a first worker to join it.
SCHEDULER_TIMEOUT_SECONDS = 20
#: Reason of an engagement whose client slug an earlier engagement of the batch has.
DUPLICATE_REASON = (
    "client slug '{slug}' is already used by {other} in this batch; give each engagement a "
    "distinct client name (nothing was written for this one)"
)


class SchedulerError(RuntimeError):
    """The Dask scheduler cannot be reached, or no worker is connected to it."""


def _check_notebooks(notebooks_dir: Path, phases: Sequence[str]) -> None:
    """Batch-wide checks, once, before anything runs: notebooks exist and take the parameters."""
    available = find_phase_notebooks(notebooks_dir)
    present = [phase for phase in phases if phase in available]
    if not present:
        expected = ", ".join(PHASE_NOTEBOOKS[phase] for phase in phases)
        raise FileNotFoundError(f"{notebooks_dir}: no phase notebook found (expected {expected})")
    example = notebook_parameters(notebooks_dir, as_of=dt.date(2000, 1, 1), language="en", seed=7)
    for phase in present:
        check_notebook_parameters(available[phase], example)


def _plan_jobs(
    engagement_dirs: Sequence[str | Path], template: dict[str, Any]
) -> tuple[list[BatchJob | None], list[BatchRow | None]]:
    """One job per engagement, or a failed row for a duplicate client slug."""
    jobs: list[BatchJob | None] = []
    rows: list[BatchRow | None] = []
    owner: dict[str, Path] = {}
    for given in engagement_dirs:
        folder = Path(given)
        client = engagement_client(folder)
        slug = engagement_slug(folder)  # slugify(client), as workbook run, else the folder's
        if slug in owner:
            jobs.append(None)
            rows.append(
                BatchRow(
                    engagement_dir=folder,
                    client_slug=slug,
                    status="failed",
                    duration_seconds=0.0,
                    reason=DUPLICATE_REASON.format(slug=slug, other=owner[slug]),
                )
            )
            continue
        owner[slug] = folder
        jobs.append(
            BatchJob(engagement_dir=folder.resolve(), client_slug=slug, client=client, **template)
        )
        rows.append(None)
    return jobs, rows


def _connect(scheduler: str) -> Any:
    """A Dask client on ``scheduler`` with at least one worker, or SchedulerError."""
    try:
        from distributed import Client
    except ImportError as error:  # pragma: no cover - distributed is a dependency
        raise SchedulerError(
            "--scheduler needs the 'distributed' package (pip install distributed)"
        ) from error
    try:
        client = Client(scheduler, timeout=SCHEDULER_TIMEOUT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise SchedulerError(
            f"cannot reach the Dask scheduler at {scheduler}: {error}. Start one with "
            f"'dask scheduler' and give its address (tcp://HOST:8786)."
        ) from error
    try:
        client.wait_for_workers(1, timeout=SCHEDULER_TIMEOUT_SECONDS)
    except (TimeoutError, OSError) as error:
        client.close()
        raise SchedulerError(
            f"no Dask worker is connected to {scheduler} after {SCHEDULER_TIMEOUT_SECONDS} s; "
            f"start some with 'dask worker {scheduler} --nworkers 2 --nthreads 1'"
        ) from error
    return client


def _new_pool(workers: int) -> cf.ProcessPoolExecutor:
    """Worker processes forked from a fork server that has already imported the workbook.

    Fork-server workers start clean (no threads or locks inherited from this process) and in
    a fraction of a second once the server runs, instead of ~3 s of imports each.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(WORKER_PRELOAD))
    return cf.ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=pool_worker_init
    )


def _interrupt_pool(pool: cf.ProcessPoolExecutor) -> None:
    """Deliver SIGINT to the pool's workers so running jobs remove their temporary folders."""
    processes = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        try:
            os.kill(process.pid, signal.SIGINT)
        except (ProcessLookupError, AttributeError, TypeError):
            pass


def _remove_orphan_staging(out_dir: Path, slug: str) -> None:
    """Temporary folders a killed worker left for ``slug`` (``.<slug>.run-*``)."""
    for folder in out_dir.glob(f".{slug}.run-*"):
        shutil.rmtree(folder, ignore_errors=True)


def run_batch(
    engagement_dirs: Sequence[str | Path],
    *,
    out_dir: str | Path = "reports",
    workers: int = 2,
    scheduler: str | None = None,
    phases: Sequence[str] = ("kickoff", "midpoint", "final"),
    language: str | None = None,
    seed: int = 7,
    pdf: bool = False,
    decks: bool = True,
    progress: bool = True,
    notebooks_dir: str | Path | None = None,
    executor: cf.Executor | None = None,
) -> BatchResult:
    """Produce the reports of many engagements in parallel; one failure never stops the others.

    Each engagement goes through the same path as ``workbook run``
    (:func:`workbook.runs.pipeline.run_reports`): its reports and Excel workbook are published
    into ``out_dir/<client-slug>/`` all-or-nothing, or its failure is recorded in
    ``out_dir/<client-slug>/failed/``.

    Parameters
    ----------
    engagement_dirs : sequence of str or Path
        Engagement folders.
    out_dir : str or Path
        Output root.
    workers : int
        Local worker processes (ignored with ``scheduler`` or ``executor``). One notebook
        kernel runs per worker: the number of cores is a good choice.
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://HOST:8786``): run the jobs on that cluster.
    phases : sequence of str
        Among ``kickoff``, ``midpoint``, ``final`` (or ``all``); phases whose notebook does
        not exist are skipped with a note.
    language : {"en", "fr"}, optional
        Report language of every engagement; default each engagement.yaml's.
    seed : int
        Seed of anything simulated.
    pdf : bool
        Also print each report to PDF (needs Chromium, checked before anything runs).
    decks : bool
        Also write each phase's PowerPoint deck.
    progress : bool
        Show one progress bar over finished engagements on stderr.
    notebooks_dir : str or Path, optional
        Folder with the phase notebooks; default ``$WORKBOOK_NOTEBOOKS`` or ``notebooks/``.
    executor : concurrent.futures.Executor, optional
        Run the jobs on this executor (left running afterwards) instead of a local pool.

    Returns
    -------
    BatchResult
        One row per engagement in the order given; ``exit_code`` is 1 if any failed.

    Raises
    ------
    ValueError
        No engagement, an unknown phase or language, or ``workers`` < 1 (nothing is run).
    FileNotFoundError
        None of the phase notebooks exists (nothing is run).
    workbook.runs.runner.UnknownParameterError
        A phase notebook does not declare the report parameters (nothing is run).
    workbook.deliverables.reports.PdfUnavailableError
        ``pdf`` and no Chromium on PATH (nothing is run).
    SchedulerError
        The Dask scheduler cannot be reached or has no worker (nothing is run).
    workbook.runs.folders.OutputFolderError
        ``out_dir`` cannot be written (nothing is run). An engagement whose client folder
        holds another client's reports, or whose reports cannot be written, fails alone.
    KeyboardInterrupt
        Interrupted (Ctrl-C, or SIGTERM turned into KeyboardInterrupt): running jobs of the
        local pool are interrupted too and remove their temporary folders; published reports
        are left as they were.

    See Also
    --------
    run_engagement_job : what each worker runs.
    workbook.runs.pipeline.run_reports : one engagement.
    """
    started = time.perf_counter()
    if not engagement_dirs:
        raise ValueError("no engagement folder given")
    if executor is None and scheduler is None and workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
    selected = tuple(selected_phases(phases))
    notebooks = Path(notebooks_dir or NOTEBOOKS_DIR).resolve()
    _check_notebooks(notebooks, selected)
    if pdf:
        from workbook.deliverables.reports import find_chromium

        find_chromium()
    out = check_output_folder(Path(out_dir), create=False)  # created once the jobs can run
    template = {
        "out_dir": out,
        "notebooks_dir": notebooks,
        "phases": selected,
        "language": language,
        "seed": int(seed),
        "pdf": bool(pdf),
        "decks": bool(decks),
    }
    jobs, rows = _plan_jobs(engagement_dirs, template)

    client = None
    own_pool = False
    if executor is not None:
        description = type(executor).__name__
    elif scheduler:
        client = _connect(scheduler)
        executor = client.get_executor(pure=False)
        description = f"Dask cluster at {scheduler}"
    else:
        executor = _new_pool(workers)
        own_pool = True
        description = f"{workers} local worker process{'es' if workers > 1 else ''}"

    from tqdm import tqdm

    bar = tqdm(
        total=len(rows),
        desc="engagements",
        unit="engagement",
        file=sys.stderr,
        disable=not progress,
        dynamic_ncols=True,
    )
    bar.update(sum(row is not None for row in rows))
    capacity = workers if own_pool else len(jobs)
    current = [executor]  # the pool in use: replaced when a worker process dies
    try:
        check_output_folder(out)  # creates it; the executor is shut down if that fails
        _run_jobs(jobs, rows, current, own_pool=own_pool, capacity=capacity, bar=bar)
    except BaseException:
        if own_pool:
            _interrupt_pool(current[0])  # type: ignore[arg-type]
        raise
    finally:
        bar.close()
        if own_pool:
            current[0].shutdown(wait=True, cancel_futures=True)
        elif client is not None:
            current[0].shutdown(wait=False)
            client.close()
    given = [Path(folder) for folder in engagement_dirs]
    return BatchResult(
        rows=tuple(
            dataclasses.replace(row, engagement_dir=given[index])
            for index, row in enumerate(rows)
            if row is not None
        ),
        out_dir=out,
        total_seconds=time.perf_counter() - started,
        executor=description,
    )


def _run_jobs(
    jobs: list[BatchJob | None],
    rows: list[BatchRow | None],
    current: list[cf.Executor],
    *,
    own_pool: bool,
    capacity: int,
    bar: Any,
) -> None:
    """Submit the jobs to ``current[0]`` and fill ``rows`` as they finish.

    With our own pool at most ``capacity`` jobs are in flight. When a worker process dies the
    pool breaks and every job in flight fails with BrokenProcessPool: the pool is replaced (in
    ``current``, so the caller shuts down or interrupts the right one) and
    those jobs (suspects) are re-run one at a time, alone in the pool; a job that breaks the
    pool while alone is failed. With any other executor a job that raises is failed.
    """
    queue = deque(i for i, job in enumerate(jobs) if job is not None)
    suspects: deque[int] = deque()
    in_flight: dict[cf.Future, tuple[int, bool, float]] = {}
    failed_count = 0

    def submit(index: int, *, alone: bool) -> None:
        future = current[0].submit(run_engagement_job, jobs[index])
        in_flight[future] = (index, alone, time.perf_counter())

    def finish(index: int, row: BatchRow) -> None:
        nonlocal failed_count
        rows[index] = row
        failed_count += not row.succeeded
        bar.update(1)
        if failed_count:
            bar.set_postfix(failed=failed_count, refresh=False)

    def collect(future: cf.Future) -> bool:
        """Record a finished future; True when it found the pool broken."""
        index, alone, submitted = in_flight.pop(future)
        job = jobs[index]
        assert job is not None
        try:
            finish(index, future.result())
            return False
        except BrokenProcessPool as error:
            _remove_orphan_staging(job.out_dir, job.client_slug)
            if own_pool and not alone:
                suspects.append(index)
            else:
                reason = f"the worker process running it died ({failure_reason(error)})"
                finish(index, _failed_row(job, reason, time.perf_counter() - submitted))
            return True
        except Exception as error:  # noqa: BLE001 - e.g. Dask's KilledWorker, CancelledError
            _remove_orphan_staging(job.out_dir, job.client_slug)
            reason = failure_reason(error)
            finish(index, _failed_row(job, reason, time.perf_counter() - submitted))
            return False

    while queue or suspects or in_flight:
        if suspects:
            if not in_flight:
                submit(suspects.popleft(), alone=True)
        else:
            while queue and len(in_flight) < capacity:
                submit(queue.popleft(), alone=False)
        done, _ = cf.wait(in_flight, return_when=cf.FIRST_COMPLETED)
        broken = [collect(future) for future in done]
        if any(broken) and own_pool:
            # Every other job in flight fails the same way: collect them, then a fresh pool.
            cf.wait(in_flight)
            for future in list(in_flight):
                collect(future)
            current[0].shutdown(wait=True)
            current[0] = _new_pool(capacity)


def _failed_row(job: BatchJob, reason: str, duration_seconds: float) -> BatchRow:
    """A job that did not report back (e.g. its worker died): record it in ``failed/`` here."""
    text = (
        f"Run failed: {reason}\n\nengagement: {job.engagement_dir}\n\n"
        "The job of this engagement did not report back: its process was killed or ran out of "
        "memory, the cluster lost it, or it raised. Nothing was published for it.\n"
    )
    try:
        failure_dir: Path | None = record_failure(
            job.out_dir, job.client_slug, text, client=job.client
        )
    except (OSError, PublishError):
        failure_dir = None
    return BatchRow(
        engagement_dir=job.engagement_dir,
        client_slug=job.client_slug,
        status="failed",
        duration_seconds=duration_seconds,
        reason=reason,
        failure_dir=failure_dir,
    )


__all__ = [
    "STATUSES",
    "BatchJob",
    "BatchResult",
    "BatchRow",
    "SchedulerError",
    "failure_reason",
    "run_batch",
    "run_engagement_job",
]
