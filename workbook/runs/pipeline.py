"""``workbook run``: from an engagement folder to its client reports.

Loads and validates the engagement once, first (so bad input fails in a second, with file,
column and rows, before any kernel starts), saves a snapshot of the validated engagement into
the run's hidden folder, then executes the phase notebooks with papermill (each reads the
snapshot, never the raw files) and publishes their reports, with the Excel workbook of key
tables, all-or-nothing (:func:`workbook.runs.runner.run_engagement`).

The two halves are separate functions so that a batch can tell a failure before any notebook
ran (:func:`prepare_reports`: bad input, a missing file) from one during the run
(:func:`write_reports`); :func:`run_reports` is both, what ``workbook run`` calls.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbook.deliverables.notebook import PhaseOutputs, read_phase_outputs
from workbook.i18n import format_date, text
from workbook.intake import snapshot
from workbook.intake.config import CONFIG_FILE
from workbook.intake.engagement import Engagement, load_engagement
from workbook.intake.io import read_yaml
from workbook.runs.folders import (
    check_client_folder,
    check_output_folder,
    output_folder_error,
)
from workbook.runs.runner import (
    PHASE_NOTEBOOKS,
    NotebookRunError,
    RunResult,
    run_engagement,
    slugify,
)

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
#: The phase notebooks: ``$WORKBOOK_NOTEBOOKS`` or the repository's ``notebooks/``.
NOTEBOOKS_DIR = Path(os.environ.get("WORKBOOK_NOTEBOOKS", PACKAGE_ROOT.parent / "notebooks"))
SAMPLE_ENGAGEMENT = PACKAGE_ROOT.parent / "data_samples" / "acme_industrial"
#: File name of the Excel workbook of key tables, in ``OUT/<slug>/``.
KEY_TABLES_NAME = "{slug}-key-tables.xlsx"
#: The client's PowerPoint template, in the engagement folder: the decks use its masters,
#: layouts and theme (CONTRACT section 4).
TEMPLATE_NAME = "template.pptx"


@dataclass(frozen=True)
class ReportsResult:
    """What ``workbook run`` produced, and notes for the user (skipped phases, quarantine)."""

    run: RunResult
    notes: tuple[str, ...]

    @property
    def reports(self) -> tuple[Path, ...]:
        return self.run.report_paths


@dataclass(frozen=True)
class PreparedReports:
    """A loaded, validated engagement and the notebook parameters of its reports.

    Attributes
    ----------
    engagement : Engagement
    engagement_dir : Path
        Absolute.
    client_slug : str
        Folder name under the output folder.
    language : str
        Report language (``en`` or ``fr``).
    parameters : dict
        ``engagement_dir``, ``as_of``, ``language``, ``seed``: what every phase notebook gets.
    notes : tuple of str
        For the user (quarantined rows).
    """

    engagement: Engagement
    engagement_dir: Path
    client_slug: str
    language: str
    parameters: dict[str, Any]
    notes: tuple[str, ...]


def notebook_parameters(
    engagement_dir: Path, *, as_of: dt.date, language: str, seed: int
) -> dict[str, Any]:
    """The parameters every phase notebook receives (names fixed by the notebooks' contract)."""
    return {
        "engagement_dir": str(Path(engagement_dir).resolve()),
        "as_of": as_of.isoformat(),
        "language": language,
        "seed": int(seed),
    }


def engagement_client(engagement_dir: str | Path) -> str | None:
    """The ``client`` of an engagement folder's engagement.yaml, as the engagement reads it.

    None when the file cannot be read or names no client. Never raises.

    Examples
    --------
    >>> engagement_client("/nowhere/Acme Corp") is None
    True
    """
    try:
        raw = read_yaml(Path(engagement_dir) / CONFIG_FILE)
        client = raw.get("client") if isinstance(raw, Mapping) else None
    except Exception:  # noqa: BLE001 - any unreadable file: no client
        return None
    if isinstance(client, str | int | float) and str(client).strip():
        return str(client).strip()  # as workbook.intake.config reads it
    return None


def engagement_slug(engagement_dir: str | Path) -> str:
    """The client slug of an engagement folder, even when the folder cannot be analysed.

    The slug of ``client`` in ``engagement.yaml`` when that file can be read and names a
    client (the same as ``workbook run`` uses); otherwise the slug of the folder's name.
    Never raises.

    Examples
    --------
    >>> engagement_slug("/nowhere/Acme Corp")
    'acme-corp'
    """
    client = engagement_client(engagement_dir)
    if client is not None:
        return slugify(client)
    return slugify(Path(engagement_dir).resolve().name)


def prepare_reports(
    engagement_dir: str | Path | None = None,
    *,
    as_of: str | dt.date | None = None,
    language: str | None = None,
    seed: int = 7,
    client_slug: str | None = None,
) -> PreparedReports:
    """Load and validate an engagement and work out its reports' parameters; runs nothing.

    Parameters
    ----------
    engagement_dir : str or Path, optional
        The engagement folder; the bundled sample when None.
    as_of : str or date, optional
        Snapshot date; default engagement.yaml's, else the latest date in the data.
    language : {"en", "fr"}, optional
        Report language; default engagement.yaml's.
    seed : int
        Seed of anything simulated.
    client_slug : str, optional
        Folder name under the output folder; default ``slugify(client)``.

    Returns
    -------
    PreparedReports

    Raises
    ------
    workbook.intake.problems.EngagementError
        The engagement cannot be analysed.
    """
    engagement_dir = Path(engagement_dir or SAMPLE_ENGAGEMENT)
    engagement = load_engagement(engagement_dir, as_of=as_of)
    config = engagement.config
    lang = language or config.language
    notes = []
    if engagement.audit.quarantined_count:
        notes.append(
            f"note: {engagement.audit.quarantined_count:,} row(s) quarantined; see "
            f"'workbook validate {engagement_dir}' (the reports' data audit lists them too)"
        )
    return PreparedReports(
        engagement=engagement,
        engagement_dir=engagement_dir.resolve(),
        client_slug=client_slug or slugify(config.client),
        language=lang,
        parameters=notebook_parameters(
            engagement_dir, as_of=engagement.as_of, language=lang, seed=seed
        ),
        notes=tuple(notes),
    )


def write_reports(
    prepared: PreparedReports,
    *,
    phases: Sequence[str] = ("kickoff", "midpoint", "final"),
    out_dir: str | Path = "reports",
    progress: bool | Mapping[str, Any] = False,
    pdf: bool = False,
    notebooks_dir: Path = NOTEBOOKS_DIR,
    key_tables: bool = True,
    decks: bool = True,
    phase_workers: int | None = None,
) -> ReportsResult:
    """Execute the phase notebooks of a prepared engagement and publish its reports.

    The reports and the Excel workbook of key tables (``<slug>-key-tables.xlsx``, see
    :func:`workbook.deliverables.excel.write_key_tables`) are built in a temporary folder inside
    ``out_dir`` and published together into ``out_dir/<client-slug>/`` only when all of them
    were written. The phase notebooks read the prepared engagement from a snapshot in that
    folder (:mod:`workbook.intake.snapshot`): the raw files are not read again.

    Parameters
    ----------
    prepared : PreparedReports
        From :func:`prepare_reports`.
    phases, out_dir, progress, pdf, notebooks_dir
        As for :func:`run_reports`.
    key_tables : bool
        Also write the Excel workbook of key tables.
    decks : bool
        Also write each phase's PowerPoint deck (``00_kickoff.pptx``...,
        :func:`write_phase_decks`), in the engagement's ``template.pptx`` when it has one.
    phase_workers : int, optional
        Phases run at the same time (:func:`workbook.runs.runner.run_engagement`); default
        one per usable core.

    Returns
    -------
    ReportsResult

    Raises
    ------
    workbook.runs.runner.NotebookRunError
        A notebook failed; previous reports are left intact, the failure is in ``failed/``.
    workbook.runs.folders.ClientFolderError
        ``out_dir/<client-slug>/`` holds another client's reports (nothing is run).
    workbook.runs.folders.OutputFolderError
        ``out_dir`` cannot be written: permission denied, read-only, disk full, a file where
        a folder should be; previous reports are left intact.
    """
    engagement = prepared.engagement
    lang = prepared.language
    slug = prepared.client_slug
    deck_warnings: list[str] = []

    def extra_files(folder: Path, outputs: Path) -> None:
        saved = read_phase_outputs(outputs)
        if key_tables:
            from workbook.deliverables.excel import write_key_tables

            write_key_tables(
                engagement, folder / KEY_TABLES_NAME.format(slug=slug), language=lang, saved=saved
            )
        if decks:
            deck_warnings.extend(
                write_phase_decks(
                    saved,
                    folder,
                    engagement=engagement,
                    language=lang,
                    template=prepared.engagement_dir / TEMPLATE_NAME,
                )
            )

    def save_snapshot(path: Path) -> None:
        snapshot.save_engagement_snapshot(engagement, path)

    out_dir = Path(out_dir)
    try:
        check_client_folder(out_dir / slug, engagement.config.client)
        check_output_folder(out_dir, client_slug=slug)  # before any notebook runs
        result = run_engagement(
            prepared.engagement_dir,
            phases=list(phases),
            out_dir=out_dir,
            client_slug=slug,
            parameters=prepared.parameters,
            notebooks_dir=notebooks_dir,
            formats=("html", "pdf") if pdf else ("html",),
            progress_bar=progress,
            client_name=engagement.config.client,
            language=lang,
            subtitle=text("subtitle", lang, as_of=format_date(engagement.as_of, lang)),
            extra_files=extra_files if key_tables or decks else None,
            snapshot=save_snapshot,
            phase_workers=phase_workers,
        )
    except (OSError, NotebookRunError) as error:
        # A notebook's output that could not be saved is a NotebookRunError caused by it.
        cause = error if isinstance(error, OSError) else error.__cause__
        problem = output_folder_error(cause, out_dir) if isinstance(cause, OSError) else None
        if problem is None:
            raise
        raise problem from error
    notes = list(prepared.notes)
    notes += [f"note: {warning}" for warning in deck_warnings]
    for phase in result.phases_skipped:
        notes.append(f"note: phase '{phase}' skipped: its notebook does not exist yet")
    return ReportsResult(run=result, notes=tuple(notes))


def run_reports(
    engagement_dir: str | Path | None = None,
    *,
    phases: Sequence[str] = ("kickoff", "midpoint", "final"),
    out_dir: str | Path = "reports",
    as_of: str | dt.date | None = None,
    language: str | None = None,
    seed: int = 7,
    progress: bool | Mapping[str, Any] = False,
    pdf: bool = False,
    notebooks_dir: Path = NOTEBOOKS_DIR,
    key_tables: bool = True,
    decks: bool = True,
    client_slug: str | None = None,
    phase_workers: int | None = None,
) -> ReportsResult:
    """Execute the phase notebooks on an engagement and write its reports.

    Parameters
    ----------
    engagement_dir, as_of, language, seed, client_slug
        As for :func:`prepare_reports`.
    phases : sequence of str
        Among ``kickoff``, ``midpoint``, ``final``; phases whose notebook does not exist yet
        are skipped with a note.
    out_dir : str or Path
        Reports go to ``out_dir/<client-slug>/``.
    progress : bool or Mapping
        Show papermill's per-cell progress bar (on stderr), or tqdm settings for it.
    pdf : bool
        Also print each report to PDF (needs Chromium).
    notebooks_dir : Path
        Folder with the phase notebooks.
    key_tables : bool
        Also write ``<client-slug>-key-tables.xlsx``, the Excel workbook of key tables.
    decks : bool
        Also write each phase's editable PowerPoint deck (``<phase>.pptx``).
    phase_workers : int, optional
        Phases run at the same time; default one per usable core (the phases read the
        same snapshot and never each other's results).

    Returns
    -------
    ReportsResult

    Raises
    ------
    workbook.intake.problems.EngagementError
        The engagement cannot be analysed (nothing is run).
    workbook.runs.runner.NotebookRunError
        A notebook failed; previous reports are left intact, the failure is in ``failed/``.
    workbook.deliverables.reports.PdfUnavailableError
        ``pdf`` asked for and no Chromium found (nothing is run).
    workbook.runs.folders.PublishError
        ``out_dir/<client-slug>/`` holds another client's reports, or ``out_dir`` cannot be
        written (see :func:`write_reports`).

    See Also
    --------
    prepare_reports, write_reports : the two halves.
    workbook.runs.batch.run_batch : the same for many engagements.
    """
    prepared = prepare_reports(
        engagement_dir, as_of=as_of, language=language, seed=seed, client_slug=client_slug
    )
    return write_reports(
        prepared,
        phases=phases,
        out_dir=out_dir,
        progress=progress,
        pdf=pdf,
        notebooks_dir=notebooks_dir,
        key_tables=key_tables,
        decks=decks,
        phase_workers=phase_workers,
    )


def write_phase_decks(
    saved: PhaseOutputs,
    folder: Path,
    *,
    engagement: Engagement,
    language: str,
    template: Path | None = None,
) -> list[str]:
    """Write the deck of every phase that saved its outputs, beside its report.

    Parameters
    ----------
    saved : PhaseOutputs
        What the phases of the run saved (:func:`workbook.deliverables.notebook.read_phase_outputs`).
    folder : Path
        The run's staging folder: ``00_kickoff.pptx`` and the others go there, published
        with the reports all-or-nothing.
    engagement : Engagement
    language : str
    template : Path, optional
        The client's ``template.pptx``; used when it exists.

    Returns
    -------
    list of str
        The decks' warnings (a template lacking a layout, a finding without its chart's data).
    """
    from workbook.deliverables.deck import write_deck

    warnings: list[str] = []
    for phase, notebook in PHASE_NOTEBOOKS.items():
        if phase not in saved.summaries:
            continue
        result = write_deck(
            phase,
            saved,
            folder / f"{Path(notebook).stem}.pptx",
            client=engagement.config.client,
            as_of=engagement.as_of,
            language=language,
            currency=engagement.config.currency,
            template=template if template is not None and template.is_file() else None,
        )
        warnings.extend(result.warnings)
    return warnings


__all__ = [
    "KEY_TABLES_NAME",
    "TEMPLATE_NAME",
    "NOTEBOOKS_DIR",
    "NotebookRunError",
    "PreparedReports",
    "ReportsResult",
    "SAMPLE_ENGAGEMENT",
    "engagement_client",
    "engagement_slug",
    "notebook_parameters",
    "prepare_reports",
    "run_reports",
    "write_phase_decks",
    "write_reports",
]
