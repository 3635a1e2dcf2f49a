"""``workbook run``: from an engagement folder to its client reports.

Loads and validates the engagement first (so bad input fails in a second, with file, column
and rows, before any kernel starts), then executes the phase notebooks with papermill and
publishes their reports all-or-nothing (:func:`workbook.runner.run_engagement`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workbook.engagement import load_engagement
from workbook.i18n import format_date, text
from workbook.runner import NotebookRunError, RunResult, run_engagement, slugify

PACKAGE_ROOT = Path(__file__).resolve().parent
#: The phase notebooks: ``$WORKBOOK_NOTEBOOKS`` or the repository's ``notebooks/``.
NOTEBOOKS_DIR = Path(os.environ.get("WORKBOOK_NOTEBOOKS", PACKAGE_ROOT.parent / "notebooks"))
SAMPLE_ENGAGEMENT = PACKAGE_ROOT.parent / "data_samples" / "acme_industrial"


@dataclass(frozen=True)
class ReportsResult:
    """What ``workbook run`` produced, and notes for the user (skipped phases, quarantine)."""

    run: RunResult
    notes: tuple[str, ...]

    @property
    def reports(self) -> tuple[Path, ...]:
        return self.run.report_paths


def run_reports(
    engagement_dir: str | Path | None = None,
    *,
    phases: Sequence[str] = ("kickoff", "midpoint", "final"),
    out_dir: str | Path = "reports",
    as_of: str | dt.date | None = None,
    language: str | None = None,
    seed: int = 7,
    progress: bool = False,
    pdf: bool = False,
    notebooks_dir: Path = NOTEBOOKS_DIR,
) -> ReportsResult:
    """Execute the phase notebooks on an engagement and write its reports.

    Parameters
    ----------
    engagement_dir : str or Path, optional
        The engagement folder; the bundled sample when None.
    phases : sequence of str
        Among ``kickoff``, ``midpoint``, ``final``; phases whose notebook does not exist yet
        are skipped with a note.
    out_dir : str or Path
        Reports go to ``out_dir/<client-slug>/``.
    as_of : str or date, optional
        Snapshot date; default engagement.yaml's, else the latest date in the data.
    language : {"en", "fr"}, optional
        Report language; default engagement.yaml's.
    seed : int
        Seed of anything simulated.
    progress : bool
        Show papermill's per-cell progress bar (on stderr).
    pdf : bool
        Also print each report to PDF (needs Chromium).

    Returns
    -------
    ReportsResult

    Raises
    ------
    workbook.problems.EngagementError
        The engagement cannot be analysed (nothing is run).
    workbook.runner.NotebookRunError
        A notebook failed; previous reports are left intact, the failure is in ``failed/``.
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
    parameters = {
        "engagement_dir": str(engagement_dir.resolve()),
        "as_of": engagement.as_of.isoformat(),
        "language": lang,
        "seed": int(seed),
    }
    formats = ("html", "pdf") if pdf else ("html",)
    result = run_engagement(
        engagement_dir,
        phases=list(phases),
        out_dir=Path(out_dir),
        client_slug=slugify(config.client),
        parameters=parameters,
        notebooks_dir=notebooks_dir,
        formats=formats,
        progress_bar=progress,
        client_name=config.client,
        language=lang,
        subtitle=text("subtitle", lang, as_of=format_date(engagement.as_of, lang)),
    )
    for phase in result.phases_skipped:
        notes.append(f"note: phase '{phase}' skipped: its notebook does not exist yet")
    return ReportsResult(run=result, notes=tuple(notes))


__all__ = ["NOTEBOOKS_DIR", "NotebookRunError", "ReportsResult", "SAMPLE_ENGAGEMENT", "run_reports"]
