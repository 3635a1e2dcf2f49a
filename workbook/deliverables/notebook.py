"""What every phase notebook does first: load the engagement and set the report language.

Under ``workbook run`` the engagement was loaded and validated once, before any kernel
started: the notebook reads that snapshot. Opened by hand (JupyterLab), it loads the folder.

See Also
--------
workbook.intake.engagement.load_engagement
workbook.intake.snapshot.load_engagement_snapshot
workbook.analysis.journeys.build_journeys
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from workbook.analysis.journeys import Journeys, build_journeys
from workbook.deliverables.register import FIGURES_NAME, FigureRegister, merge_saved_registers
from workbook.deliverables.summary import Finding, findings_from_json
from workbook.i18n import check_language, set_labels, text
from workbook.intake.engagement import Engagement, load_engagement
from workbook.intake.snapshot import load_engagement_snapshot

#: Folder of the run's hidden folder where each phase saves its outputs (:meth:`NotebookContext.finish`).
PHASE_OUTPUTS = "phase-outputs"
#: Name of a phase's saved executive summary.
SUMMARY_NAME = "summary.json"
#: Name of a phase's saved section headings (the findings each section states).
SECTIONS_NAME = "sections.json"


@dataclass(frozen=True)
class Section:
    """A report section as the deck shows it: its key, the finding its heading states, and
    the takeaway under its chart ("what this means")."""

    key: str
    title: str
    takeaway: str = ""


@dataclass(frozen=True)
class NotebookContext:
    """The loaded engagement and the report's settings, as a notebook uses them."""

    engagement: Engagement
    journeys: Journeys
    language: str
    currency: str
    seed: int
    text: Callable[..., str]
    #: The figures this phase shows (:mod:`workbook.deliverables.register`).
    register: FigureRegister = field(default_factory=FigureRegister)
    #: Where :meth:`finish` saves the phase's outputs; None outside ``workbook run``.
    outputs_dir: Path | None = None

    def finish(
        self,
        phase: str,
        *,
        summary: Sequence[Finding] = (),
        tables: Mapping[str, pd.DataFrame] | None = None,
        sections: Mapping[str, object] | None = None,
        takeaways: Mapping[str, str] | None = None,
    ) -> Path | None:
        """Save the phase's figures, summary and shown tables for the run's publication.

        Under ``workbook run`` they go to ``<run folder>/phase-outputs/<phase>/``
        (:data:`PHASE_OUTPUTS`): the run merges the phases' figures into ``figures.json``,
        and the Excel workbook and the decks read them. Opened by hand, nothing is written.
        ``sections`` maps a section's key to its heading (the finding it states; a string or
        an object with a ``title``) and
        ``takeaways`` a section's key to its "what this means" sentence: the decks give the
        sections with a chart their own slide.

        Returns
        -------
        Path or None
            The folder written, or None when the notebook is not part of a run.
        """
        if self.outputs_dir is None:
            return None
        folder = self.outputs_dir / phase
        folder.mkdir(parents=True, exist_ok=True)
        self.register.save(folder / FIGURES_NAME)
        (folder / SUMMARY_NAME).write_text(
            json.dumps([f.to_json() for f in summary], ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
        shown = [
            {
                "key": key,
                "title": title if isinstance(title, str) else str(title.title),  # a heading
                "takeaway": str((takeaways or {}).get(key) or ""),
            }
            for key, title in (sections or {}).items()
        ]
        (folder / SECTIONS_NAME).write_text(
            json.dumps(shown, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        for name, frame in (tables or {}).items():
            frame.to_pickle(folder / f"{name}.pkl")
        return folder


@dataclass(frozen=True)
class PhaseOutputs:
    """What the phases of a run saved (:meth:`NotebookContext.finish`), read back together."""

    #: The phases' figures merged (:func:`workbook.deliverables.register.merge_registers`).
    register: FigureRegister
    #: Each phase's executive summary, by phase.
    summaries: Mapping[str, list[Finding]]
    #: The tables the phases showed, by name (a name is unique across phases).
    tables: Mapping[str, pd.DataFrame]
    #: Each phase's sections, by phase, in the report's order.
    sections: Mapping[str, list[Section]] = field(default_factory=dict)


def read_phase_outputs(folder: str | Path) -> PhaseOutputs:
    """Read what the phases saved in ``folder/<phase>/``; empty when nothing was.

    Raises
    ------
    workbook.deliverables.register.FigureConflictError
        Two phases gave one figure two values.
    """
    folder = Path(folder)
    register = merge_saved_registers(folder) or FigureRegister()
    summaries: dict[str, list[Finding]] = {}
    tables: dict[str, pd.DataFrame] = {}
    sections: dict[str, list[Section]] = {}
    for phase_dir in sorted(p for p in folder.glob("*") if p.is_dir()):
        saved_sections = phase_dir / SECTIONS_NAME
        if saved_sections.exists():
            sections[phase_dir.name] = [
                Section(**item) for item in json.loads(saved_sections.read_text(encoding="utf-8"))
            ]
        summary = phase_dir / SUMMARY_NAME
        if summary.exists():
            summaries[phase_dir.name] = findings_from_json(
                json.loads(summary.read_text(encoding="utf-8"))
            )
        for path in sorted(phase_dir.glob("*.pkl")):
            tables[path.stem] = pd.read_pickle(path)
    return PhaseOutputs(register=register, summaries=summaries, tables=tables, sections=sections)


def start(
    engagement_dir: str | Path,
    *,
    as_of: str = "",
    language: str = "",
    seed: int = 7,
    snapshot: str | Path = "",
) -> NotebookContext:
    """Load an engagement for a phase notebook, or read the run's snapshot of it.

    Parameters
    ----------
    engagement_dir : str or Path
        The engagement folder.
    as_of : str
        Snapshot date ``YYYY-MM-DD``; empty keeps engagement.yaml's (or the data's latest).
    language : str
        ``en`` or ``fr``; empty keeps engagement.yaml's.
    seed : int
        Seed for anything simulated.
    snapshot : str or Path
        The snapshot ``workbook run`` saved of the validated engagement
        (:func:`workbook.intake.snapshot.save_engagement_snapshot`): read instead of the
        folder's files. Empty loads ``engagement_dir``.

    Raises
    ------
    workbook.intake.problems.EngagementError
        When the engagement cannot be analysed (the message names file, column, rows).
    ValueError
        ``as_of`` differs from the snapshot's.
    """
    if snapshot:
        engagement = load_engagement_snapshot(snapshot)
        if as_of and dt.date.fromisoformat(as_of) != engagement.as_of:
            raise ValueError(
                f"as_of {as_of} differs from the snapshot's ({engagement.as_of.isoformat()})"
            )
    else:
        engagement = load_engagement(engagement_dir, as_of=as_of or None)
    lang = check_language(language or engagement.config.language)
    set_labels(engagement.config.labels)  # engagement.yaml's labels: for this kernel's tables
    return NotebookContext(
        engagement=engagement,
        journeys=build_journeys(engagement),
        language=lang,
        currency=engagement.config.currency,
        seed=int(seed),
        text=functools.partial(_text, language=lang),
        outputs_dir=Path(snapshot).parent / PHASE_OUTPUTS if snapshot else None,
    )


def _text(key: str, /, language: str, **values: object) -> str:
    return text(key, language, **values)
