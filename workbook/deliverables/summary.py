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

import dataclasses
import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from IPython.display import HTML, display

from workbook.analysis.evidence import evidence_grade
from workbook.deliverables.register import FigureRegister
from workbook.i18n import format_money, format_number, format_percent, text

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
    count : int or None
        How many records the figure rests on; shown in the evidence tag when known.
    low, high : float or None
        The figure's interval, shown in the evidence tag when both are known.
    unit : str or None
        The unit of ``low`` and ``high`` (``rate``, ``count``, ``money``, ``ratio``, ``days``,
        as in the register); an interval of another or no unit is not shown.

    :func:`finding_evidence` gives ``count``, ``low``, ``high``, ``unit`` and ``grade`` from
    the register's figure.
    """

    headline: str
    consequence: str
    decision: str
    section: str
    figure: str
    impact: float
    grade: str = "solid"
    count: int | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None

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


def finding_evidence(register: FigureRegister, key: str) -> dict[str, Any]:
    """The evidence of figure ``key`` for a :class:`Finding`: its count, interval, unit, grade.

    Spread it into the finding (``Finding(..., **finding_evidence(register, key))``). The
    grade is the register's, else graded from the count and interval
    (:func:`workbook.analysis.evidence.evidence_grade`); a key not in the register has no
    evidence: no count, no interval, ``too_little_data``.

    Examples
    --------
    >>> register = FigureRegister()
    >>> _ = register.add("kpis.funnel.sql_opportunity.rate", 0.283, unit="rate", label="SQL",
    ...                  count=647, low=0.245, high=0.321, grade="solid")
    >>> finding_evidence(register, "kpis.funnel.sql_opportunity.rate")
    {'count': 647, 'low': 0.245, 'high': 0.321, 'unit': 'rate', 'grade': 'solid'}
    >>> finding_evidence(register, "kpis.missing")["grade"]
    'too_little_data'
    """
    if key not in register:
        return {"count": None, "low": None, "high": None, "unit": None, "grade": "too_little_data"}
    figure = register[key]
    numeric = isinstance(figure.value, int | float) and not isinstance(figure.value, bool)
    grade = figure.grade or evidence_grade(
        figure.count,
        low=figure.low,
        high=figure.high,
        value=float(figure.value) if numeric else None,
    )
    return {
        "count": figure.count,
        "low": figure.low,
        "high": figure.high,
        "unit": figure.unit,
        "grade": grade,
    }


def _bound(value: float, unit: str, language: str, currency: str) -> str | None:
    """One end of an interval, formatted as the sentences format its unit."""
    if unit == "rate":
        return format_percent(value, language)
    if unit == "money":
        return format_money(value, currency, language)
    if unit == "count":
        return format_number(value, language)
    if unit == "ratio":
        return format_number(value, language, decimals=1)
    if unit == "days":
        return text("deck.days", language, days=format_number(value, language))
    return None


def evidence_words(finding: Finding, *, language: str = "en", currency: str = "EUR") -> str:
    """The evidence tag of a finding: ``Evidence: solid, based on 647, 24.5% to 32.1%``.

    The count and the interval are shown when the finding carries them (an interval only
    for a rate, count, money, ratio or days figure with both ends known).

    Examples
    --------
    >>> f = Finding("h", "", "", "s", "k", 1.0, count=647, low=0.245, high=0.321, unit="rate")
    >>> evidence_words(f)
    'Evidence: solid, based on 647, 24.5% to 32.1%'
    >>> evidence_words(f, language="fr") == (
    ...     "Fiabilité\u00a0: solide, sur 647, de 24,5\u202f% à 32,1\u202f%")
    True
    """
    words = [grade_label(finding.grade, language)]
    if finding.count is not None:
        words.append(text("grade.count", language, count=format_number(finding.count, language)))
    if finding.low is not None and finding.high is not None and finding.unit:
        low = _bound(float(finding.low), finding.unit, language, currency)
        high = _bound(float(finding.high), finding.unit, language, currency)
        if low is not None and high is not None:
            words.append(text("grade.interval", language, low=low, high=high))
    return f"{text('grade.title', language)} {', '.join(words)}"


def with_evidence(findings: Sequence[Finding], register: FigureRegister) -> list[Finding]:
    """The findings with the count, interval and unit of their figure from the register, so
    their evidence tag shows what the grade rests on; a finding keeps its own grade, and one
    whose figure is not registered is left as it is.

    Examples
    --------
    >>> register = FigureRegister()
    >>> _ = register.add("kpis.x", 0.3, unit="rate", label="x", count=647, low=0.25, high=0.32)
    >>> [f.count for f in with_evidence([Finding("a", "", "", "s", "kpis.x", 1.0)], register)]
    [647]
    """
    out = []
    for finding in findings:
        if finding.figure in register:
            evidence = finding_evidence(register, finding.figure)
            evidence.pop("grade")
            finding = dataclasses.replace(finding, **evidence)
        out.append(finding)
    return out


def summary_html(
    findings: Sequence[Finding],
    *,
    language: str = "en",
    currency: str = "EUR",
    preamble: str = "",
) -> str:
    """The executive summary as HTML, in ``<section id="executive-summary">``.

    Each finding's evidence tag shows its grade, count and interval (:func:`evidence_words`;
    money in ``currency``). ``preamble`` is HTML shown between the title and the findings
    (the mid-point's answers to the kickoff hypotheses); the caller escapes its text.
    """
    title = html.escape(text("summary.title", language))
    if not findings:
        body = f"<p>{html.escape(text('summary.none', language))}</p>"
    else:
        items = []
        for finding in findings:
            evidence = evidence_words(finding, language=language, currency=currency)
            parts = [
                f'<p class="wb-finding"><strong>{html.escape(finding.headline)}</strong> '
                f'<span class="wb-grade wb-grade-{html.escape(finding.grade)}">'
                f"{html.escape(evidence)}</span></p>"
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


def show_summary(
    findings: Sequence[Finding], *, language: str = "en", currency: str = "EUR"
) -> None:
    """Display :func:`summary_html` in the notebook."""
    display(HTML(summary_html(findings, language=language, currency=currency)))


def findings_from_json(items: Iterable[Mapping[str, Any]]) -> list[Finding]:
    """The findings saved with a run (:meth:`Finding.to_json`)."""
    return [Finding(**item) for item in items]


__all__ = [
    "MAX_FINDINGS",
    "MIN_FINDINGS",
    "SUMMARY_ID",
    "Finding",
    "evidence_words",
    "finding_evidence",
    "findings_from_json",
    "grade_label",
    "show_summary",
    "summary_html",
    "top_findings",
    "with_evidence",
]
