"""Write one phase's deck: :func:`write_deck`.

See Also
--------
workbook.deliverables.deck.storyline : the slides.
workbook.deliverables.deck.chart_map : which chart each finding shows.
workbook.deliverables.deck.template : the client's template.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from workbook.deliverables.deck.chart_map import chart_source, visual_for
from workbook.deliverables.deck.sections import section_findings
from workbook.deliverables.deck.storyline import (
    appendix_slide,
    finding_slide,
    summary_slide,
    title_slide,
)
from workbook.deliverables.deck.template import open_template
from workbook.deliverables.notebook import PhaseOutputs
from workbook.i18n import catalogue_keys, check_language

#: The phases a deck is written for, by the name their notebook saves its outputs under.
PHASES = ("kickoff", "midpoint", "final")


@dataclass(frozen=True)
class DeckResult:
    """A written deck.

    Attributes
    ----------
    path : Path
        The ``.pptx`` file.
    slide_count : int
    warnings : tuple of str
        What the template lacked and which finding got no chart for want of its data, each
        naming what to change; empty when nothing did.
    """

    path: Path
    slide_count: int
    warnings: tuple[str, ...]


def phase_title_key(phase: str) -> str:
    """The catalogue key of a phase's title: ``midpoint`` -> ``title.midpoint``.

    Raises
    ------
    ValueError
        ``phase`` is not one of :data:`PHASES`.
    """
    if phase not in PHASES:
        raise ValueError(f"phase must be one of {', '.join(PHASES)}, got {phase!r}")
    return f"title.{phase}"


def write_deck(
    phase: str,
    outputs: PhaseOutputs,
    path: str | Path,
    *,
    client: str,
    as_of: dt.date,
    language: str,
    currency: str,
    template: str | Path | None = None,
) -> DeckResult:
    """Write the PowerPoint deck of one phase from what the run saved.

    The deck is written to a temporary file beside ``path`` and renamed into place, so an
    interruption never leaves a truncated deck at ``path``.

    Parameters
    ----------
    phase : {"kickoff", "midpoint", "final"}
        Whose findings the deck presents (``outputs.summaries[phase]``).
    outputs : PhaseOutputs
        :func:`workbook.deliverables.notebook.read_phase_outputs`: the register, the
        findings and the tables the phases saved. Every number comes from there.
    path : str or Path
        The ``.pptx`` to write; its folder is created if needed; replaced if it exists.
    client : str
        The client's name (the title slide).
    as_of : date
        The data's as-of date.
    language : {"en", "fr"}
    currency : str
        ISO code of the engagement's currency.
    template : str or Path, optional
        The client's ``template.pptx``; None for the built-in template.

    Returns
    -------
    DeckResult

    Raises
    ------
    ValueError
        Unknown ``phase`` or ``language``.
    """
    language = check_language(language)
    phase_title = catalogue_keys(language)[phase_title_key(phase)]
    deck = open_template(template)
    warnings = list(deck.warnings)
    findings = list(outputs.summaries.get(phase, []))  # the report's summary, in its order
    register = outputs.register
    title_slide(deck, client=client, phase_title=phase_title, as_of=as_of, language=language)
    summary_slide(deck, findings, register, language=language)
    for finding in findings:
        visual, missing = visual_for(finding.figure, outputs, language=language, currency=currency)
        if missing:
            warnings.append(missing)
        finding_slide(deck, finding, visual, register, language=language, currency=currency)
    shown = [source for f in findings if (source := chart_source(f.figure)) is not None]
    for finding in section_findings(phase, outputs, shown=shown):
        visual, _ = visual_for(finding.figure, outputs, language=language, currency=currency)
        if visual is not None:  # a section slide without its chart says nothing new
            finding_slide(deck, finding, visual, register, language=language, currency=currency)
    appendix_slide(
        deck, findings, register, phase=phase, as_of=as_of, language=language, currency=currency
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.parent / f".{path.name}.{uuid.uuid4().hex}.tmp"
    try:
        deck.presentation.save(str(partial))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return DeckResult(
        path=path, slide_count=len(deck.presentation.slides), warnings=tuple(warnings)
    )


__all__ = ["PHASES", "DeckResult", "phase_title_key", "write_deck"]
