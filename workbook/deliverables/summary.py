"""The executive summary that opens every report: the findings that matter most, ranked.

Each phase turns its results into candidate :class:`Finding` s (``kickoff_findings``,
``midpoint_findings``, ``final_findings`` in the phases' modules); :func:`top_findings` keeps
the ones with the largest impact, by one explicit rule: findings are ranked by
:attr:`Finding.impact` (the money, else the volume, at stake, as the phase defines it), a
finding graded ``too_little_data`` ranks after every finding with enough data, and at most
:data:`MAX_FINDINGS` are kept. :func:`summary_html` renders them first in the report, in an
element with ``id="executive-summary"`` (CONTRACT section 4), each with its figure, its
consequence, the decision asked and a link to its section. The same findings are saved with
the run (``ctx.finish``) for the decks.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from IPython.display import HTML, display

from workbook.i18n import text

#: At most this many findings open a report, at least :data:`MIN_FINDINGS` when there are.
MAX_FINDINGS = 5
MIN_FINDINGS = 3
SUMMARY_ID = "executive-summary"


@dataclass(frozen=True)
class Finding:
    """One finding of the executive summary.

    Attributes
    ----------
    headline : str
        The finding as a sentence, with its figure.
    consequence : str
        What it means in money or volume.
    decision : str
        The decision asked of the client.
    section : str
        Anchor id of the report section that shows the evidence.
    figure : str
        Key of the figure in the run's register (:mod:`workbook.deliverables.register`).
    impact : float
        What is at stake (money, else volume); the ranking key.
    grade : str
        Evidence grade of the figure (:func:`workbook.analysis.evidence.evidence_grade`).
    """

    headline: str
    consequence: str
    decision: str
    section: str
    figure: str
    impact: float
    grade: str = "solid"

    def to_json(self) -> dict[str, Any]:
        """The finding as a JSON object (the decks read it)."""
        return asdict(self)


def top_findings(findings: Iterable[Finding], *, limit: int = MAX_FINDINGS) -> list[Finding]:
    """The findings that open the report: by impact, enough data first, at most ``limit``.

    Examples
    --------
    >>> a = Finding("a", "", "", "s", "k.a", impact=10.0)
    >>> b = Finding("b", "", "", "s", "k.b", impact=99.0, grade="too_little_data")
    >>> c = Finding("c", "", "", "s", "k.c", impact=50.0, grade="indicative")
    >>> [f.headline for f in top_findings([a, b, c])]
    ['c', 'a', 'b']
    """
    ranked = sorted(
        findings, key=lambda f: (f.grade == "too_little_data", -abs(float(f.impact or 0.0)))
    )
    return ranked[:limit]


def grade_label(grade: str, language: str) -> str:
    """The plain tag of an evidence grade: ``solid``, ``indicative``, ``too little data``."""
    return text(f"grade.{grade}", language)


def summary_html(findings: Sequence[Finding], *, language: str = "en", preamble: str = "") -> str:
    """The executive summary as HTML, in ``<section id="executive-summary">``.

    ``preamble`` is HTML shown between the title and the findings (the mid-point's answers to
    the kickoff hypotheses); the caller escapes its text.
    """
    title = html.escape(text("summary.title", language))
    if not findings:
        body = f"<p>{html.escape(text('summary.none', language))}</p>"
    else:
        items = []
        for finding in findings:
            grade = html.escape(grade_label(finding.grade, language))
            parts = [
                f'<p class="wb-finding"><strong>{html.escape(finding.headline)}</strong> '
                f'<span class="wb-grade wb-grade-{html.escape(finding.grade)}">'
                f"{html.escape(text('grade.title', language))} {grade}</span></p>"
            ]
            if finding.consequence:
                parts.append(
                    f"<p><em>{html.escape(text('summary.consequence', language))}</em> "
                    f"{html.escape(finding.consequence)}</p>"
                )
            if finding.decision:
                parts.append(
                    f'<p class="wb-decision"><strong>'
                    f"{html.escape(text('summary.decision', language))}</strong> "
                    f"{html.escape(finding.decision)}</p>"
                )
            parts.append(
                f'<p class="wb-see"><a href="#{html.escape(finding.section)}">'
                f"{html.escape(text('summary.see', language))}</a></p>"
            )
            items.append("<li>" + "".join(parts) + "</li>")
        body = "<ol>" + "".join(items) + "</ol>"
    return (
        f'<section id="{SUMMARY_ID}" class="wb-summary">'
        f'<h2 id="{SUMMARY_ID}-title">{title}</h2>{preamble}{body}</section>'
    )


def show_summary(findings: Sequence[Finding], *, language: str = "en") -> None:
    """Display :func:`summary_html` in the notebook."""
    display(HTML(summary_html(findings, language=language)))


def findings_from_json(items: Iterable[Mapping[str, Any]]) -> list[Finding]:
    """The findings saved with a run (:meth:`Finding.to_json`)."""
    return [Finding(**item) for item in items]


__all__ = [
    "MAX_FINDINGS",
    "MIN_FINDINGS",
    "SUMMARY_ID",
    "Finding",
    "findings_from_json",
    "grade_label",
    "show_summary",
    "summary_html",
    "top_findings",
]
