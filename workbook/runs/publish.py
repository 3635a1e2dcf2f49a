"""Publication all-or-nothing: hidden staging folders, the move into place, ``failed/``.

A run builds its reports in a hidden folder ``OUT/.<slug>.run-*`` (:func:`staging_folder`)
and moves them into ``OUT/<client-slug>/`` only when every one was written, with SIGINT and
SIGTERM held back (:func:`signals_deferred`), so an interruption never publishes half of
them. A failure writes ``OUT/<client-slug>/failed/`` instead, swapped in whole.

Every write into ``OUT/<client-slug>/`` first claims it for the run's client
(:func:`workbook.runs.folders.claim_client_folder`): another client's folder is never written.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

try:  # POSIX: a run locks its hidden folder, so the next run knows when it was killed
    import fcntl
except ImportError:  # pragma: no cover - Windows: hidden folders of killed runs stay
    fcntl = None

import nbformat

from workbook.deliverables import reports
from workbook.runs.errors import NotebookRunError
from workbook.runs.folders import ClientFolderError, claim_client_folder
from workbook.runs.slugs import slugify

#: A hidden run folder younger than this is never removed by another run: it may have been
#: created a moment before its run could lock it.
ABANDONED_AFTER_SECONDS = 60.0
#: The kinds of hidden folder a run works in: ``OUT/.<slug>.<kind>-*``.
STAGING_KINDS = ("run", "failed")


@contextlib.contextmanager
def staging_folder(out_dir: Path, client_slug: str, kind: str) -> Iterator[Path]:
    """A fresh hidden folder ``OUT/.<slug>.<kind>-*``, locked while in use, then removed.

    The lock (``flock``) lasts as long as the process does, however it ends (even SIGKILL
    or the out-of-memory killer): a folder nobody holds belongs to a run that died
    (:func:`remove_abandoned_staging`). On a filesystem without locks, or without POSIX
    locks (Windows), the folder is not locked, and no other run removes it.
    """
    staging = Path(tempfile.mkdtemp(prefix=f".{client_slug}.{kind}-", dir=out_dir))
    lock = None
    try:
        if fcntl is not None:
            lock = os.open(staging, os.O_RDONLY)
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # no locks here: other runs cannot lock it either, and keep it
                os.close(lock)
                lock = None
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if lock is not None:
            os.close(lock)


def remove_abandoned_staging(out_dir: Path, client_slug: str) -> list[Path]:
    """Delete the hidden folders that killed runs of ``client_slug`` left in ``out_dir``.

    A run builds its reports in ``.<slug>.run-*`` (or ``.<slug>.failed-*``) and removes it
    when it ends; a run killed outright (SIGKILL, the out-of-memory killer, a power cut)
    cannot. A folder is removed when no live process holds its lock and it is older than
    :data:`ABANDONED_AFTER_SECONDS`: a run in progress, here or in another process, keeps its
    folder. Without POSIX locks (Windows) nothing is removed.

    Returns
    -------
    list of Path
        The folders removed.
    """
    if fcntl is None:  # pragma: no cover - Windows
        return []
    removed = []
    now = time.time()
    for folder in [
        f for kind in STAGING_KINDS for f in sorted(out_dir.glob(f".{client_slug}.{kind}-*"))
    ]:
        try:
            if not folder.is_dir() or now - folder.stat().st_mtime < ABANDONED_AFTER_SECONDS:
                continue
            descriptor = os.open(folder, os.O_RDONLY)
        except OSError:  # gone meanwhile, or not ours to open
            continue
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # a live run holds it
            continue
        finally:
            os.close(descriptor)  # closing drops a lock taken here
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def write_phase_reports(
    nb: nbformat.NotebookNode,
    *,
    executed_path: Path,
    folder: Path,
    scratch: Path,
    formats: Sequence[str],
    title: str,
    subtitle: str,
    language: str,
) -> None:
    """Write one phase's reports into ``folder`` (the staging area): the one place that writes."""
    stem = executed_path.stem
    html = reports.notebook_to_html(nb, title=title, subtitle=subtitle, language=language)
    html_path = (folder if "html" in formats else scratch) / f"{stem}.html"
    html_path.write_text(html, encoding="utf-8")
    if "pdf" in formats:
        reports.html_to_pdf(html_path, folder / f"{stem}.pdf")
    if "ipynb" in formats:
        shutil.copyfile(executed_path, folder / f"{stem}.ipynb")


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while the reports are moved into place.

    A signal arriving meanwhile stays pending and is delivered (as KeyboardInterrupt, say)
    right after the block, so the set of published files is never cut in half.
    """
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def publish_reports(
    built: Path, *, report_dir: Path, staging: Path, client: str | None = None
) -> tuple[Path, ...]:
    """Move every staged report into ``report_dir``; drop a ``failed/`` left by an earlier run.

    With ``client``, the folder is claimed for it first (:func:`claim_client_folder`): a
    folder holding another client's reports raises :class:`ClientFolderError`, moving nothing.
    """
    if client is not None:
        claim_client_folder(report_dir, client, staging=staging)
    report_dir.mkdir(parents=True, exist_ok=True)
    published = []
    for source in sorted(built.iterdir()):
        target = report_dir / source.name
        os.replace(source, target)
        published.append(target)
    stale = report_dir / "failed"
    if stale.is_dir():
        os.replace(stale, staging / "stale-failed")
    return tuple(published)


def record_run_failure(
    error: Exception,
    *,
    phase: str | None,
    staging: Path,
    report_dir: Path,
    client: str | None = None,
) -> None:
    """Replace ``report_dir/failed/`` with the executed notebook and ``error.txt``.

    With ``client``, nothing is written into a folder that holds another client's reports;
    the failure is then only reported by the caller.
    """
    if client is not None:
        try:
            claim_client_folder(report_dir, client, staging=staging)
        except ClientFolderError:
            return
    fresh = staging / "failed"
    fresh.mkdir()
    target = report_dir / "failed"
    if isinstance(error, NotebookRunError):
        error.phase = phase
        text = error.report_text()
        if error.output_path is not None and error.output_path.is_file():
            kept = fresh / error.output_path.name
            os.replace(error.output_path, kept)
            error.output_path = target / kept.name
    else:
        text = (
            f"Run failed{f' in phase {phase}' if phase else ''}: {type(error).__name__}: {error}\n"
        )
    (fresh / "error.txt").write_text(text, encoding="utf-8")
    swap_failed_folder(fresh, report_dir=report_dir, staging=staging)


def swap_failed_folder(fresh: Path, *, report_dir: Path, staging: Path) -> None:
    """Make ``fresh`` (inside ``staging``) the new ``report_dir/failed/``; the old one goes to staging."""
    target = report_dir / "failed"
    report_dir.mkdir(parents=True, exist_ok=True)
    if target.exists():
        os.replace(target, staging / "previous-failed")
    os.replace(fresh, target)


def record_failure(
    out_dir: Path, client_slug: str, error_text: str, *, client: str | None = None
) -> Path:
    """Write ``out_dir/<client_slug>/failed/error.txt`` for a run that failed before any notebook.

    For failures :func:`run_engagement` cannot record itself because they happen before it
    runs (the engagement cannot be loaded, a data file is missing). The new ``failed/``
    folder is built in a temporary folder inside ``out_dir`` and swapped in with
    ``os.replace``: published reports are never touched, and an interrupted call leaves no
    half-written ``error.txt``.

    Parameters
    ----------
    out_dir : Path
        Output root; created if needed.
    client_slug : str
        Client folder name; must already be a slug.
    error_text : str
        The whole content of ``error.txt``.
    client : str, optional
        The client's name (``client`` of engagement.yaml): the folder is claimed for it. None
        when engagement.yaml cannot be read: nothing is written into a claimed folder.

    Returns
    -------
    Path
        The ``failed/`` folder.

    Raises
    ------
    ClientFolderError
        ``out_dir/<client_slug>/`` holds another client's reports; nothing was written.

    See Also
    --------
    run_engagement : records notebook failures itself.
    """
    out_dir = Path(out_dir).resolve()
    if not client_slug or slugify(client_slug) != client_slug:
        raise ValueError(f"client_slug {client_slug!r} is not a slug; pass slugify(client)")
    out_dir.mkdir(parents=True, exist_ok=True)
    report_dir = out_dir / client_slug
    with staging_folder(out_dir, client_slug, "failed") as staging:
        claim_client_folder(report_dir, client, staging=staging)
        fresh = staging / "failed"
        fresh.mkdir()
        text = error_text if error_text.endswith("\n") else error_text + "\n"
        (fresh / "error.txt").write_text(text, encoding="utf-8")
        swap_failed_folder(fresh, report_dir=report_dir, staging=staging)
    return report_dir / "failed"
