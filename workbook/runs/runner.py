"""Execute the phase notebooks of one engagement and publish their client reports.

:func:`run_engagement` executes the phase notebooks of one engagement (kickoff, mid-point,
final) with :func:`workbook.runs.execute.execute_notebook` and publishes their reports into
``OUT/<client-slug>/`` only when every phase succeeded (with any extra file, such as the
Excel key tables, written into the same staging folder by its ``extra_files`` callback). A
failure leaves the published reports untouched and writes ``OUT/<client-slug>/failed/``
instead: the executed notebook up to the failing cell and ``error.txt``
(:mod:`workbook.runs.publish`; :func:`record_failure` writes that folder for a failure before
any notebook ran).

The names of the run's parts (kernel manager, execution, errors, slugs, publication) are
importable from here too.
"""

from __future__ import annotations

import concurrent.futures as cf
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import papermill

from workbook.deliverables import reports
from workbook.deliverables.notebook import PHASE_OUTPUTS
from workbook.deliverables.register import FIGURES_NAME, merge_saved_registers
from workbook.i18n import LANGUAGES, text
from workbook.runs.errors import NotebookRunError, UnknownParameterError
from workbook.runs.execute import check_notebook_parameters, execute_notebook
from workbook.runs.kernel import KERNEL_ENVIRONMENT, IpcKernelManager, stop_running_kernels
from workbook.runs.publish import (
    ABANDONED_AFTER_SECONDS,
    STAGING_KINDS,
    publish_reports,
    record_failure,
    record_run_failure,
    remove_abandoned_staging,
    signals_deferred,
    staging_folder,
    write_phase_reports,
)
from workbook.runs.slugs import slugify

#: Phase name -> notebook file name, in engagement order.
PHASE_NOTEBOOKS: Mapping[str, str] = MappingProxyType(
    {
        "kickoff": "00_kickoff.ipynb",
        "midpoint": "01_midpoint_insights.ipynb",
        "final": "02_final_strategy.ipynb",
    }
)

#: Report formats :func:`run_engagement` can write.
REPORT_FORMATS = ("html", "pdf", "ipynb")

#: The notebook parameter that receives the path of the run's engagement snapshot.
SNAPSHOT_PARAMETER = "engagement_snapshot"
#: Name of the engagement snapshot in the run's hidden folder.
SNAPSHOT_NAME = "engagement-snapshot"


def find_phase_notebooks(notebooks_dir: Path) -> dict[str, Path]:
    """Phase notebooks present in ``notebooks_dir``, in engagement order.

    Parameters
    ----------
    notebooks_dir : Path
        Folder holding ``00_kickoff.ipynb``, ``01_midpoint_insights.ipynb``,
        ``02_final_strategy.ipynb`` (any of them may be missing).

    Returns
    -------
    dict
        Phase name (``kickoff``, ``midpoint``, ``final``) -> notebook path, only for the
        notebooks that exist.
    """
    folder = Path(notebooks_dir)
    return {
        phase: folder / name for phase, name in PHASE_NOTEBOOKS.items() if (folder / name).is_file()
    }


@dataclass(frozen=True)
class RunResult:
    """What :func:`run_engagement` produced.

    Attributes
    ----------
    client_slug : str
        Folder name of the client under the output folder.
    report_dir : Path
        ``OUT/<client_slug>``.
    report_paths : tuple of Path
        Every file published, sorted.
    phases_run : tuple of str
        Phases executed, in engagement order.
    phases_skipped : tuple of str
        Phases asked for whose notebook does not exist.
    execute_seconds : dict
        Phase -> wall-clock seconds executing its notebook.
    export_seconds : dict
        Phase -> wall-clock seconds rendering its report(s).
    total_seconds : float
        Wall-clock seconds of the whole run.
    """

    client_slug: str
    report_dir: Path
    report_paths: tuple[Path, ...]
    phases_run: tuple[str, ...]
    phases_skipped: tuple[str, ...]
    execute_seconds: dict[str, float]
    export_seconds: dict[str, float]
    total_seconds: float

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able dict (paths as strings, seconds rounded to ms)."""
        return {
            "client_slug": self.client_slug,
            "report_dir": str(self.report_dir),
            "report_paths": [str(path) for path in self.report_paths],
            "phases_run": list(self.phases_run),
            "phases_skipped": list(self.phases_skipped),
            "execute_seconds": {k: round(float(v), 3) for k, v in self.execute_seconds.items()},
            "export_seconds": {k: round(float(v), 3) for k, v in self.export_seconds.items()},
            "total_seconds": round(float(self.total_seconds), 3),
        }


def selected_phases(phases: Sequence[str] | str) -> list[str]:
    """Phase names in engagement order; ``"all"`` means every phase."""
    requested = [phases] if isinstance(phases, str) else list(phases)
    if "all" in requested:
        return list(PHASE_NOTEBOOKS)
    unknown = [phase for phase in requested if phase not in PHASE_NOTEBOOKS]
    if unknown or not requested:
        raise ValueError(
            f"unknown phase(s) {', '.join(map(repr, unknown)) or '(none given)'}; "
            f"choose from {', '.join(PHASE_NOTEBOOKS)} or all"
        )
    return [phase for phase in PHASE_NOTEBOOKS if phase in requested]


def _phase_parameters(
    notebook: Path, engagement_dir: Path, parameters: Mapping[str, Any]
) -> dict[str, Any]:
    """Parameters for one phase: ``engagement_dir`` added when the notebook declares it."""
    values = dict(parameters)
    declared = papermill.inspect_notebook(str(notebook))
    if "engagement_dir" in declared and "engagement_dir" not in values:
        values["engagement_dir"] = str(engagement_dir)
    check_notebook_parameters(notebook, values)
    return values


def run_engagement(
    engagement_dir: Path,
    *,
    phases: Sequence[str],
    out_dir: Path,
    client_slug: str,
    parameters: Mapping[str, Any],
    notebooks_dir: Path,
    formats: Sequence[str] = ("html",),
    progress_bar: bool | Mapping[str, Any] = False,
    client_name: str | None = None,
    language: str = "en",
    subtitle: str | None = None,
    timeout_seconds: int | None = 1800,
    extra_files: Callable[[Path, Path], object] | None = None,
    snapshot: Callable[[Path], object] | None = None,
    phase_workers: int | None = None,
) -> RunResult:
    """Execute an engagement's phase notebooks and publish their reports all-or-nothing.

    Each phase notebook found in ``notebooks_dir`` is executed (kernel in
    ``notebooks_dir``) into a temporary folder created inside ``out_dir``, and rendered
    there. Only when every phase succeeded are the files moved into
    ``out_dir/<client_slug>/`` (one ``os.replace`` per file, same filesystem), replacing
    the previous reports of those phases; reports of phases not run are kept, and a
    ``failed/`` folder left by an earlier run is removed. When a phase fails nothing in
    ``out_dir/<client_slug>/`` changes except ``failed/``, which then holds the executed
    notebook up to the failing cell (with papermill's error banner) and ``error.txt``.
    The temporary folder is removed in every case, KeyboardInterrupt and SystemExit
    included (turn SIGTERM into one of those in the CLI).

    Parameters
    ----------
    engagement_dir : Path
        The engagement folder; passed, absolute, as the ``engagement_dir`` parameter to
        notebooks that declare it (unless ``parameters`` has one).
    phases : sequence of str
        Among ``kickoff``, ``midpoint``, ``final``, or ``["all"]``.
    out_dir : Path
        Output root; created if needed.
    client_slug : str
        Client folder name; must already be a slug (``slugify(client_slug) == client_slug``).
    parameters : Mapping
        Parameters for every phase notebook; every name must be declared by each of them.
    notebooks_dir : Path
        Folder with the phase notebooks (see :func:`find_phase_notebooks`).
    formats : sequence of str, optional
        Any of ``html`` (``<stem>.html``), ``pdf`` (``<stem>.pdf``, needs Chromium, checked
        before anything runs) and ``ipynb`` (the executed notebook ``<stem>.ipynb``).
    progress_bar : bool or Mapping, optional
        papermill's per-cell progress bar.
    client_name : str, optional
        Client name on the title page; defaults to ``client_slug``. When given, it is
        recorded in ``out_dir/<client_slug>/.workbook-client`` and a folder recording
        another client is never written (:mod:`workbook.runs.folders`).
    language : str, optional
        Report language (``en`` or ``fr``): ``<html lang>``, phase titles and labels.
    subtitle : str, optional
        Title-page subtitle; defaults to "As of <as_of>" when ``parameters`` has ``as_of``.
    timeout_seconds : int or None, optional
        Longest run of a single cell, in seconds.
    extra_files : callable, optional
        Called once every phase succeeded, with the staging folder that holds the reports
        about to be published and the folder where the phases saved their outputs
        (:meth:`workbook.deliverables.notebook.NotebookContext.finish`): whatever it writes there (e.g. an Excel workbook) is
        published with them, all-or-nothing. If it raises, nothing is published and the
        error goes to ``failed/error.txt``. Its return value is ignored.
    snapshot : callable, optional
        Called once before the first phase with a path inside the run's hidden folder
        (:data:`SNAPSHOT_NAME`), where it writes what the phase kernels read instead of the
        raw files (:func:`workbook.intake.snapshot.save_engagement_snapshot`); notebooks that
        declare :data:`SNAPSHOT_PARAMETER` get that path (not called when none does). The path is removed with the hidden folder.
        If it raises, nothing runs and the error goes to ``failed/error.txt``.
    phase_workers : int, optional
        How many phases run at the same time (each phase reads the snapshot, none depends
        on another's results). Default: one per usable core (:func:`usable_cores`), at most
        one per phase; the heaviest phase (final) starts first. ``1`` runs them one after
        the other, in engagement order (a batch does: its workers already fill the cores).
        When a phase fails, or on KeyboardInterrupt, the phases still running are stopped.

    Returns
    -------
    RunResult
        Published paths, phases run and skipped, and timings.

    Raises
    ------
    ValueError
        Unknown phase or format, or ``client_slug`` not a slug.
    FileNotFoundError
        None of the requested phase notebooks exists.
    UnknownParameterError
        A parameter is not declared by one of the notebooks (checked before running any).
    NotebookRunError
        A notebook failed; ``output_path`` then points into ``failed/``.
    reports.PdfUnavailableError
        ``pdf`` asked for and no Chromium found.
    workbook.runs.folders.ClientFolderError
        ``out_dir/<client_slug>/`` holds another client's reports; nothing was published.

    See Also
    --------
    execute_notebook : runs one notebook.
    slugify : makes ``client_slug``.
    """
    started = time.perf_counter()
    engagement_dir = Path(engagement_dir).resolve()
    notebooks_dir = Path(notebooks_dir).resolve()
    out_dir = Path(out_dir).resolve()
    if not client_slug or slugify(client_slug) != client_slug:
        raise ValueError(f"client_slug {client_slug!r} is not a slug; pass slugify(client)")
    selected = selected_phases(phases)
    unknown_formats = [fmt for fmt in formats if fmt not in REPORT_FORMATS]
    if unknown_formats or not formats:
        raise ValueError(
            f"unknown report format(s) {unknown_formats}; choose from {', '.join(REPORT_FORMATS)}"
        )
    if "pdf" in formats:
        reports.find_chromium()
    available = find_phase_notebooks(notebooks_dir)
    to_run = [phase for phase in selected if phase in available]
    skipped = tuple(phase for phase in selected if phase not in available)
    if not to_run:
        expected = ", ".join(PHASE_NOTEBOOKS[phase] for phase in selected)
        raise FileNotFoundError(f"{notebooks_dir}: no phase notebook found (expected {expected})")
    phase_parameters = {
        phase: _phase_parameters(available[phase], engagement_dir, parameters) for phase in to_run
    }
    read_snapshot = [
        phase
        for phase in to_run
        if snapshot is not None
        and SNAPSHOT_PARAMETER in papermill.inspect_notebook(str(available[phase]))
    ]
    language = language if language in LANGUAGES else "en"
    titles = {phase: text(f"title.{phase}", language) for phase in PHASE_NOTEBOOKS}
    if subtitle is None:
        as_of = parameters.get("as_of")
        subtitle = text("subtitle", language, as_of=as_of) if as_of else ""

    report_dir = out_dir / client_slug
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_abandoned_staging(out_dir, client_slug)
    execute_seconds: dict[str, float] = {}
    export_seconds: dict[str, float] = {}
    with staging_folder(out_dir, client_slug, "run") as staging:
        built = staging / "report"
        executed_dir = staging / "executed"
        built.mkdir()
        executed_dir.mkdir()
        phase = None
        try:
            if snapshot is not None and read_snapshot:  # written only for a notebook to read
                snapshot_path = staging / SNAPSHOT_NAME
                snapshot(snapshot_path)
                for reader in read_snapshot:
                    phase_parameters[reader][SNAPSHOT_PARAMETER] = str(snapshot_path)

            def run_phase(phase: str, position: int | None) -> None:
                notebook_path = available[phase]
                executed_path = executed_dir / notebook_path.name
                clock = time.perf_counter()
                nb = execute_notebook(
                    notebook_path,
                    executed_path,
                    parameters=phase_parameters[phase],
                    cwd=notebooks_dir,
                    progress_bar=_phase_progress(progress_bar, phase, position),
                    timeout_seconds=timeout_seconds,
                )
                execute_seconds[phase] = time.perf_counter() - clock
                clock = time.perf_counter()
                write_phase_reports(
                    nb,
                    executed_path=executed_path,
                    folder=built,
                    scratch=staging,
                    formats=formats,
                    title=f"{client_name or client_slug} — {titles[phase]}",
                    subtitle=subtitle,
                    language=language,
                )
                export_seconds[phase] = time.perf_counter() - clock

            workers = min(phase_workers or usable_cores(), len(to_run))
            if workers <= 1:
                for phase in to_run:
                    run_phase(phase, None)
            else:
                _run_phases_together(run_phase, to_run, workers)
            phase = None
            outputs = staging / PHASE_OUTPUTS
            register = merge_saved_registers(outputs)  # two values for one figure: raises
            if register is not None:
                register.save(built / FIGURES_NAME)
            if extra_files is not None:
                extra_files(built, outputs)
        except Exception as error:
            phase = getattr(error, "workbook_phase", phase)  # a phase run with others
            record_run_failure(
                error, phase=phase, staging=staging, report_dir=report_dir, client=client_name
            )
            raise
        with signals_deferred():
            report_paths = publish_reports(
                built, report_dir=report_dir, staging=staging, client=client_name
            )
    return RunResult(
        client_slug=client_slug,
        report_dir=report_dir,
        report_paths=report_paths,
        phases_run=tuple(to_run),
        phases_skipped=skipped,
        execute_seconds=execute_seconds,
        export_seconds=export_seconds,
        total_seconds=time.perf_counter() - started,
    )


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _phase_progress(
    progress_bar: bool | Mapping[str, Any], phase: str, position: int | None
) -> bool | dict[str, Any]:
    """papermill's per-cell bar of one phase, labelled; when phases run together
    (``position`` given) each on its own line, removed when the phase ends."""
    if not progress_bar:
        return False
    settings = dict(progress_bar) if isinstance(progress_bar, Mapping) else {}
    together = {} if position is None else {"position": position, "leave": False}
    return {"desc": f"{phase:>8}", "unit": "cell", **together, **settings}


def _run_phases_together(
    run_phase: Callable[[str, int], None], phases: Sequence[str], workers: int
) -> None:
    """Run ``run_phase`` for every phase on ``workers`` threads (each drives its own kernel
    process), the heaviest first (reverse engagement order: final, mid-point, kickoff).

    Returns when every phase ended. When one raises, the phases not started are cancelled and
    the running kernels stopped, then the error is raised with the phase as
    ``error.workbook_phase``; a KeyboardInterrupt (or SystemExit) stops them all the same.
    """
    order = sorted(phases, key=lambda p: -list(PHASE_NOTEBOOKS).index(p))
    stopping = threading.Event()  # set: a phase not started yet is not started
    threads: set[int] = set()  # the threads driving this run's kernels

    def phase_unless_stopping(phase: str) -> None:
        threads.add(threading.get_ident())
        if not stopping.is_set():
            run_phase(phase, phases.index(phase))

    pool = cf.ThreadPoolExecutor(workers, thread_name_prefix="phase")
    futures = {pool.submit(phase_unless_stopping, phase): phase for phase in order}
    try:
        for future in cf.as_completed(futures):
            error = future.exception()
            if error is not None:
                error.workbook_phase = futures[future]  # type: ignore[attr-defined]
                raise error
    except BaseException:
        stopping.set()
        for future in futures:
            future.cancel()
        while not all(future.done() for future in futures):  # a kernel may be (re)starting
            try:
                stop_running_kernels(threads)
                cf.wait(futures, timeout=0.5)
            except KeyboardInterrupt:  # a second Ctrl-C or SIGTERM: go on stopping them
                continue
        raise
    finally:
        pool.shutdown(wait=True)


__all__ = [
    "ABANDONED_AFTER_SECONDS",
    "KERNEL_ENVIRONMENT",
    "PHASE_NOTEBOOKS",
    "REPORT_FORMATS",
    "SNAPSHOT_NAME",
    "SNAPSHOT_PARAMETER",
    "STAGING_KINDS",
    "IpcKernelManager",
    "NotebookRunError",
    "RunResult",
    "UnknownParameterError",
    "check_notebook_parameters",
    "execute_notebook",
    "find_phase_notebooks",
    "record_failure",
    "remove_abandoned_staging",
    "run_engagement",
    "selected_phases",
    "slugify",
    "staging_folder",
    "usable_cores",
]
