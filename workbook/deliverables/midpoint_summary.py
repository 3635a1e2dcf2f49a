"""The mid-point's executive summary: the kickoff hypotheses answered, then the findings.

Rules (tested in tests/deliverables/test_midpoint_summary.py):

Hypotheses (:func:`answer_hypotheses`), each answered with its figure:

- "step X -> Y is the main leak": ``supported`` when X -> Y is the leak to fix
  (:func:`workbook.analysis.leaks.leak_to_fix`: the step whose losses cost the most won
  deals), ``refuted`` when another step is, ``open`` when the step's rate rests on too
  little data (:func:`workbook.analysis.evidence.evidence_grade`).
- "channel C takes more spend than it brings": ``supported`` when the channel advice
  (:func:`workbook.analysis.channel_advice.channel_advice`) is ``review``, ``refuted`` when
  it is ``keep`` or ``grow``, ``open`` when there is too little data.
- content gaps, duplicates and engagement.yaml's own hypotheses: ``open`` (the mid-point's
  data do not test them; the final report's content plan and the merge rules do).

Findings (:func:`midpoint_findings`), at most five, ranked by
:func:`workbook.deliverables.summary.top_findings` (money at stake, too little data last):

- the leak to fix: at stake the revenue its losses cost over the KPI window (the leads the
  step lost in the window x the share of passers that win x the window's average
  marketing-sourced won deal, never more than the window's leads could have brought), or
  the won deals lost when no amount is known;
- the channels to grow: at stake the won revenue their leads brought in the window;
- the channels to review: at stake their spend in the window;
- unit economics (LTV:CAC): at stake the marketing spend of the window;
- marketing's win rate below the other new-business sources': at stake the deals the gap
  costs (closed marketing opportunities x the gap x the average marketing deal);
- the stuck opportunities: at stake their amount;
- the best first-touch return resting on too little data: said, never acted on.

The decision's wording follows the figure's grade: an ``indicative`` figure is a direction
to confirm; a ``too_little_data`` one asks for more data, never for a budget move.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from workbook.analysis.baseline import Hypothesis
from workbook.analysis.evidence import evidence_grade
from workbook.analysis.numbers import finite_or_none
from workbook.deliverables.kickoff import hypotheses_table
from workbook.deliverables.midpoint_facts import (
    advice_reason,
    format_ratio,
    other_new_business_win_rate,
    step_label,
    window_words,
)
from workbook.deliverables.midpoint_register import step_key
from workbook.deliverables.summary import SUMMARY_ID, Finding, summary_html, top_findings
from workbook.i18n import (
    channels_phrase,
    formatters,
    label_list,
    pretty,
    sentence_case,
    text,
)

if TYPE_CHECKING:
    from workbook.deliverables.midpoint import MidpointReport

__all__ = [
    "HypothesisAnswer",
    "answer_hypotheses",
    "midpoint_findings",
    "midpoint_summary_html",
    "show_midpoint_summary",
    "window_words",
]

#: Anchors of the report's sections, the summary's links.
SECTIONS = {
    "scorecard": "scorecard",
    "leaks": "leaks",
    "levers": "levers",
    "sources": "sources",
    "attribution": "attribution",
    "stuck_opportunities": "stuck-opportunities",
    "hypotheses": SUMMARY_ID,
}


@dataclass(frozen=True)
class HypothesisAnswer:
    """A kickoff hypothesis and what the mid-point's data say about it."""

    hypothesis: str
    verdict: str  # supported | refuted | open
    evidence: str
    section: str


def _step_grade(report: MidpointReport, a: str, b: str) -> str:
    """Evidence grade of a funnel step's rate (``too_little_data`` for an unknown step)."""
    rows = report.kpis.funnel
    row = rows.loc[(rows["from"].astype(str) == a) & (rows["to"].astype(str) == b)]
    if not len(row):
        return "too_little_data"
    r = row.iloc[0]
    return evidence_grade(
        int(r["entered"]),
        low=finite_or_none(r["rate_lower"]),
        high=finite_or_none(r["rate_upper"]),
        value=finite_or_none(r["rate"]),
        rate=True,
    )


def _leak_row(report: MidpointReport) -> pd.Series | None:
    top = report.leaks.loc[report.leaks["rank"] == 1] if len(report.leaks) else report.leaks
    return top.iloc[0] if len(top) else None


def _answer(
    report: MidpointReport, hypothesis: Hypothesis, *, language: str, currency: str
) -> tuple[str, str, str]:
    """``(verdict, evidence sentence, section)`` of one kickoff hypothesis."""
    n, pct, money = formatters(language, currency)
    values = hypothesis.values
    if hypothesis.key == "hypothesis.weakest_step":
        a, b = str(values["from_stage"]), str(values["to_stage"])
        leak = _leak_row(report)
        rows = report.leaks.set_index(["from", "to"])
        if (
            leak is None
            or _step_grade(report, a, b) == "too_little_data"
            or (a, b) not in rows.index
        ):
            return "open", text("mid.h.open_data", language), SECTIONS["leaks"]
        own = rows.loc[(a, b)]
        verdict = "supported" if (str(leak["from"]), str(leak["to"])) == (a, b) else "refuted"
        return (
            verdict,
            text(
                f"mid.h.leak.{verdict}",
                language,
                step=step_label(a, b, language),
                rate=pct(finite_or_none(own["rate"])),
                leak=step_label(str(leak["from"]), str(leak["to"]), language),
                won=n(finite_or_none(leak["won_lost"])),
            ),
            SECTIONS["leaks"],
        )
    if hypothesis.key == "hypothesis.channel_return":
        channel = str(values["channel"])
        advice = report.channel_advice.set_index(report.channel_advice["channel"].astype(str))
        if channel not in advice.index or advice.loc[channel, "advice"] == "too_little_data":
            return "open", text("mid.h.open_data", language), SECTIONS["levers"]
        row = advice.loc[channel]
        verdict = "supported" if row["advice"] == "review" else "refuted"
        return (
            verdict,
            text(
                f"mid.h.channel.{verdict}",
                language,
                channel=sentence_case(pretty(channel, language), language),
                share=pct(finite_or_none(row["spend_share"])),
                window=window_words(report, language),
                low=pct(finite_or_none(row["credit_low"])),
                high=pct(finite_or_none(row["credit_high"])),
                advice=text(f"advice.{row['advice']}", language),
            ),
            SECTIONS["levers"],
        )
    if hypothesis.key == "hypothesis.duplicates":
        return "open", text("mid.h.duplicates", language), SECTIONS["hypotheses"]
    if hypothesis.key == "hypothesis.content_gap":
        return "open", text("mid.h.content", language), SECTIONS["hypotheses"]
    return "open", text("mid.h.open_data", language), SECTIONS["hypotheses"]


def answer_hypotheses(
    report: MidpointReport,
    extra: tuple[str, ...] = (),
    *,
    language: str = "en",
    currency: str = "EUR",
) -> list[HypothesisAnswer]:
    """The kickoff's hypotheses (and engagement.yaml's ``extra`` ones) answered (module rules).

    Returns
    -------
    list of HypothesisAnswer
        In the kickoff's order, engagement.yaml's own last; text in ``language``.
    """
    words = hypotheses_table(report.hypotheses, extra, language=language)["hypothesis"]
    answers = []
    for i, sentence in enumerate(words):
        if i < len(report.hypotheses):
            verdict, evidence, section = _answer(
                report, report.hypotheses[i], language=language, currency=currency
            )
        else:
            verdict, evidence, section = "open", text("mid.h.own", language), SECTIONS["hypotheses"]
        answers.append(HypothesisAnswer(str(sentence), verdict, evidence, section))
    return answers


def _decision(key: str, grade: str, language: str, **values: object) -> str:
    """The decision asked, worded by the figure's grade."""
    if grade == "too_little_data":
        return text("mid.f.wait", language)
    sentence = text(key, language, **values)
    return sentence + " " + text("mid.f.confirm", language) if grade == "indicative" else sentence


def _sentence(words: str) -> str:
    """``words`` as a sentence: first letter in capitals, a full stop at the end."""
    words = words[:1].upper() + words[1:]
    return words if words.endswith(".") else words + "."


def _worst_grade(grades: list[str]) -> str:
    order = ("too_little_data", "indicative", "solid")
    return min(grades, key=order.index) if grades else "too_little_data"


def _about(value: float | None) -> float | None:
    """``value`` to three significant figures (an estimate is not precise to the euro)."""
    if value is None or value == 0:
        return value
    return float(f"{value:.3g}")


def _leak_finding(report: MidpointReport, language: str, currency: str) -> Finding | None:
    n, pct, money = formatters(language, currency)
    leak = _leak_row(report)
    if leak is None:
        return None
    a, b = str(leak["from"]), str(leak["to"])
    step = step_label(a, b, language)
    # the money over the KPI window, at the window's average deal (leaks module docstring)
    revenue = finite_or_none(leak["revenue_lost"])
    window_won = finite_or_none(leak["window_won_lost"])
    grade = _step_grade(report, a, b)
    into_won = b == str(report.kpis.funnel["to"].iloc[-1])
    return Finding(
        headline=text(
            "mid.f.leak",
            language,
            step=step,
            leak=pct(1.0 - float(leak["rate"])),
            entered=n(float(leak["entered"])),
            won=n(float(leak["won_lost"])),
        ),
        consequence=text(
            "mid.f.leak.volume"
            if revenue is None
            else ("mid.f.leak.money_won" if into_won else "mid.f.leak.money"),
            language,
            window=window_words(report, language),
            lost=n(finite_or_none(leak["window_lost"])),
            won=n(window_won),
            revenue=money(revenue),
            avg=money(report.kpis.economics.avg_won_amount),
            tenth=money(None if revenue is None else revenue / 10),
            tenth_won=n(None if window_won is None else window_won / 10),
        ),
        decision=_decision(
            "mid.f.leak.decide_won" if into_won else "mid.f.leak.decide",
            grade,
            language,
            step=step,
            leak=pct(1.0 - float(leak["rate"])),
        ),  # fmt: skip
        section=SECTIONS["leaks"],
        # the headline's figure (the deck draws the leakage chart from it); the money at
        # stake is registered under midpoint.leaks.<step>.revenue_lost
        figure=f"kpis.health.leakage.{step_key(a, b)}",
        impact=float(revenue if revenue is not None else (window_won or 0.0)),
        grade=grade,
    )


def _channel_findings(report: MidpointReport, language: str, currency: str) -> list[Finding]:
    n, pct, money = formatters(language, currency)
    k = report.kpis
    advice = report.channel_advice
    if not k.spend_provided or not len(advice):
        return []
    window = window_words(report, language)
    revenue = k.channels.set_index(k.channels["channel"].astype(str))["won_revenue"]
    found = []
    grow = advice.loc[advice["advice"] == "grow"]
    # the channel named first: the one whose leads brought the most won revenue
    grow = grow.iloc[revenue.reindex(grow["channel"].astype(str)).fillna(0).argsort()[::-1]]
    if len(grow):
        top = grow.iloc[0]
        found.append(
            Finding(
                headline=text(
                    "mid.f.grow",
                    language,
                    channel=channels_phrase([pretty(top["channel"], language)], language),
                    share=pct(float(top["spend_share"])),
                    low=pct(float(top["credit_low"])),
                    high=pct(float(top["credit_high"])),
                    roi=format_ratio(top["roi"], language),
                    window=window,
                ),
                consequence=text(
                    "mid.f.grow.money",
                    language,
                    revenue=money(float(revenue.reindex(grow["channel"].astype(str)).sum())),
                    won=n(int(grow["won_count"].sum())),
                ),
                decision=_decision(
                    "mid.f.grow.decide",
                    _worst_grade(list(grow["grade"])),
                    language,
                    channels=channels_phrase(
                        [pretty(c, language) for c in grow["channel"]], language
                    ),
                ),  # fmt: skip
                section=SECTIONS["levers"],
                figure=f"kpis.levers.channels.{top['channel']}.roi",
                impact=float(revenue.reindex(grow["channel"].astype(str)).sum()),
                grade=_worst_grade(list(grow["grade"])),
            )
        )
    review = advice.loc[advice["advice"] == "review"]
    if len(review):
        top = review.iloc[0]
        labels = [pretty(c, language) for c in review["channel"]]
        found.append(
            Finding(
                headline=text(
                    "mid.f.review" + (".one" if len(review) == 1 else ""),
                    language,
                    channels=label_list(labels, language),
                    share=pct(float(review["spend_share"].sum())),
                    window=window,
                    channel=channels_phrase([pretty(top["channel"], language)], language),
                    high=pct(float(top["credit_high"])),
                    own=pct(float(top["spend_share"])),
                ),
                consequence=text(
                    "mid.f.review.money", language, spend=money(float(review["spend"].sum()))
                ),
                decision=_decision(
                    "mid.f.review.decide",
                    _worst_grade(list(review["grade"])),
                    language,
                    channels=channels_phrase(labels, language, of=True),
                ),  # fmt: skip
                section=SECTIONS["levers"],
                figure=f"kpis.levers.channels.{top['channel']}.spend",
                impact=float(review["spend"].sum()),
                grade=_worst_grade(list(review["grade"])),
            )
        )
    spent = advice.loc[advice["spend"] > 0].dropna(subset=["roi"])
    if len(spent):
        best = spent.loc[spent["roi"].idxmax()]
        if best["advice"] == "too_little_data":
            found.append(
                Finding(
                    headline=text(
                        "mid.f.thin_best",
                        language,
                        channel=pretty(best["channel"], language),
                        roi=format_ratio(best["roi"], language),
                        spend=money(float(best["spend"])),
                        won=n(int(best["won_count"])),
                    ),
                    consequence=_sentence(advice_reason(best, language)),
                    decision=text("mid.f.wait", language),
                    section=SECTIONS["levers"],
                    figure=f"kpis.levers.channels.{best['channel']}.roi",
                    impact=float(revenue.get(str(best["channel"]), 0.0)),
                    grade="too_little_data",
                )
            )
    return found


def _economics_finding(report: MidpointReport, language: str, currency: str) -> Finding | None:
    n, pct, money = formatters(language, currency)
    e = report.kpis.economics
    if not report.kpis.spend_provided or finite_or_none(e.ratio) is None:
        return None
    grade = evidence_grade(e.won_count)
    healthy = float(e.ratio) >= 3
    return Finding(
        headline=text(
            "mid.f.ltv_cac",
            language,
            ratio=format_ratio(e.ratio, language),
            cac=money(e.cac),
            ltv=money(e.ltv),
            won=n(e.won_count),
        ),
        consequence=text(
            "mid.f.ltv_cac.money",
            language,
            spend=money(e.spend),
            window=window_words(report, language),
            payback=format_ratio(e.payback_months, language),
        ),
        decision=_decision(
            "mid.f.ltv_cac.decide" if healthy else "mid.f.ltv_cac.decide_weak", grade, language
        ),
        section=SECTIONS["scorecard"],
        figure="kpis.ltv_cac.ratio",
        impact=float(e.spend or 0.0),
        grade=grade,
    )


def _conversion_finding(report: MidpointReport, language: str, currency: str) -> Finding | None:
    """Marketing's win rate below the other new-business sources': the deals the gap costs."""
    n, pct, money = formatters(language, currency)
    src = report.kpis.by_source
    other = other_new_business_win_rate(src)
    if "marketing" not in src.index or other is None or "sourced_by" in report.assumed:
        return None
    row = src.loc["marketing"]
    rate, closed = finite_or_none(row["win_rate"]), int(row["closed_count"])
    avg = finite_or_none(row["avg_won_amount"])
    if rate is None or rate >= other or not closed:
        return None
    won = closed * (other - rate)
    revenue = _about(won * avg) if avg is not None else None
    low, high = finite_or_none(row["win_rate_lower"]), finite_or_none(row["win_rate_upper"])
    grade = evidence_grade(closed, low=low, high=high, value=rate, rate=True)
    return Finding(
        headline=text(
            "mid.f.conversion",
            language,
            m_rate=pct(rate),
            o_rate=pct(other),
            window=window_words(report, language),
        ),
        consequence=text(
            "mid.f.conversion.money", language, closed=n(closed), won=n(won), revenue=money(revenue)
        ),
        decision=_decision("mid.f.conversion.decide", grade, language),
        section=SECTIONS["sources"],
        figure="kpis.conversion.win_rate.marketing",
        impact=float(revenue if revenue is not None else won),
        grade=grade,
    )


def _stuck_finding(report: MidpointReport, language: str, currency: str) -> Finding | None:
    n, pct, money = formatters(language, currency)
    opps = report.stuck_opportunities
    if not len(opps):
        return None
    amount = float(opps["amount"].astype(float).sum())
    one = ".one" if len(opps) == 1 else ""
    return Finding(
        headline=text(
            f"mid.f.stuck{one}",
            language,
            count=n(len(opps)),
            days=n(finite_or_none(report.stuck_threshold_days)),
        ),
        consequence=text("mid.f.stuck.money", language, amount=money(amount)),
        decision=text(f"mid.f.stuck.decide{one}", language, count=n(len(opps))),
        section=SECTIONS["stuck_opportunities"],
        figure="midpoint.stuck_opportunities.amount",
        impact=amount,
        grade="solid",
    )


def midpoint_findings(
    report: MidpointReport, *, language: str = "en", currency: str = "EUR"
) -> list[Finding]:
    """The mid-point summary's findings, ranked (rules: module docstring), at most five.

    Every figure a finding names is registered by
    :func:`workbook.deliverables.midpoint_register.register_midpoint` under its ``figure``.
    """
    candidates = [
        _leak_finding(report, language, currency),
        *_channel_findings(report, language, currency),
        _economics_finding(report, language, currency),
        _conversion_finding(report, language, currency),
        _stuck_finding(report, language, currency),
    ]
    return top_findings([f for f in candidates if f is not None])


def midpoint_summary_html(
    findings: list[Finding],
    answers: list[HypothesisAnswer],
    *,
    language: str = "en",
    currency: str = "EUR",
) -> str:
    """The executive summary: the kickoff hypotheses answered, then the findings, in
    ``<section id="executive-summary">``."""
    if not answers:
        return summary_html(findings, language=language, currency=currency)
    items = "".join(
        f'<li><strong class="wb-verdict wb-verdict-{html.escape(a.verdict)}">'
        f"{html.escape(text(f'mid.verdict.{a.verdict}', language))}</strong> "
        f"{html.escape(a.hypothesis)} {html.escape(a.evidence)}</li>"
        for a in answers
    )
    block = (
        f"<h3>{html.escape(text('mid.h.title', language))}</h3>"
        f'<ul class="wb-hypotheses">{items}</ul>'
        f"<h3>{html.escape(text('mid.f.title', language))}</h3>"
    )
    return summary_html(findings, language=language, preamble=block, currency=currency)


def show_midpoint_summary(
    findings: list[Finding],
    answers: list[HypothesisAnswer],
    *,
    language: str = "en",
    currency: str = "EUR",
) -> None:
    """Display :func:`midpoint_summary_html` in the notebook."""
    from IPython.display import HTML, display

    display(HTML(midpoint_summary_html(findings, answers, language=language, currency=currency)))
