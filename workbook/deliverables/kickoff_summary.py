"""The kickoff's section headings and its executive summary.

The figures are in the run's register first
(:func:`workbook.deliverables.kickoff_figures.register_kickoff_figures`);
:func:`kickoff_headings` gives each section a heading that states its
finding; :func:`kickoff_findings` chooses, by explicit rules, the findings that open the
report: the data's readiness and the hypotheses to test by the mid-point.

See Also
--------
workbook.deliverables.kickoff.build_kickoff : the figures.
workbook.deliverables.summary : :class:`Finding`, :func:`top_findings`, the summary's HTML.
"""

from __future__ import annotations

import pandas as pd

from workbook.analysis.evidence import evidence_grade
from workbook.deliverables.kickoff import KickoffReport
from workbook.deliverables.kickoff_figures import data_window, spend_window, weakest_step
from workbook.deliverables.kickoff_words import trend_heading
from workbook.deliverables.register import FigureRegister
from workbook.deliverables.summary import MAX_FINDINGS, Finding, top_findings
from workbook.deliverables.thin_data import channel_recorded, one_step
from workbook.i18n import (
    format_money,
    format_month,
    format_number,
    format_percent,
    join_words,
    pretty,
    sentence_case,
    stage_label,
    text,
)

#: The largest spend share from which one channel's spend is a concentration.
SPEND_CONCENTRATION = 0.30
#: Without spend, the lead share from which one channel's leads are a concentration.
LEAD_CONCENTRATION = 0.35


def _form(key: str, count: int, language: str, **values: object) -> str:
    """``key.none`` / ``key.one`` / ``key.some`` for ``count``."""
    form = "none" if count == 0 else "one" if count == 1 else "some"
    return text(f"{key}.{form}", language, count=format_number(count, language), **values)


def kickoff_headings(
    report: KickoffReport, *, language: str = "en", currency: str = "EUR"
) -> dict[str, str]:
    """Each section's heading, stating its finding, by the section's anchor.

    Anchors (stable, whatever the words): ``agenda``, ``inventory``, ``issues``, ``funnel``,
    ``trend``, ``mix``, ``spend``, ``content``, ``hypotheses``.
    """
    pct = lambda v: format_percent(v, language)  # noqa: E731
    audit = report.audit_summary
    read, used = int(audit["read"].sum()), int(audit["used"].sum())
    heads = {
        "agenda": _form("kickoff.head.agenda", len(report.stakeholders), language),
        "inventory": text(
            "kickoff.head.inventory",
            language,
            share=pct(used / read if read else 0.0),
            read=format_number(read, language),
        ),
        "issues": _form("kickoff.head.issues", len(report.issues), language),
    }
    counts, weakest = report.stage_counts, weakest_step(report)
    if weakest is None and len(counts) and counts["entered"].iloc[0] > 0:
        weakest = counts.iloc[0]  # too few leads to call a step the weakest: the first one
    if weakest is None:
        heads["funnel"] = text("kickoff.head.funnel.empty", language)
    else:
        lone = one_step([*counts["from"], counts["to"].iloc[-1]]) or weakest_step(report) is None
        heads["funnel"] = text(
            "kickoff.head.funnel.one_step" if lone else "kickoff.head.funnel",
            language,
            from_stage=stage_label(weakest["from"], language),
            to_stage=stage_label(weakest["to"], language),
            rate=pct(float(weakest["naive_rate"])),
        )
    heads["trend"] = trend_heading(
        report.trend, str(report.entries_by_month.columns[0]), language=language
    )
    mix = report.channel_mix
    heads["mix"] = (
        text(
            "kickoff.head.mix",
            language,
            channel=sentence_case(pretty(mix["channel"].iloc[0], language), language),
            share=pct(float(mix["lead_share"].iloc[0])),
        )
        if channel_recorded(mix["channel"])
        else text("kickoff.head.mix.none", language)
    )
    spend = report.spend_by_month
    if spend is None or not len(spend):
        heads["spend"] = text("kickoff.head.spend.none", language)
    else:
        totals = spend.sum()
        heads["spend"] = text(
            "kickoff.head.spend",
            language,
            total=format_money(float(totals.sum()), currency, language),
            first=format_month(spend.index[0], language),
            last=format_month(spend.index[-1], language),
            share=pct(float(totals.iloc[0] / totals.sum()) if totals.sum() else 0.0),
            channel=sentence_case(pretty(totals.index[0], language), language),
        )
    if report.content_gaps is None or report.content_by_format is None:
        heads["content"] = text("kickoff.head.content.missing", language)
    else:
        heads["content"] = _form(
            "kickoff.head.content",
            len(report.content_gaps),
            language,
            assets=format_number(int(report.content_by_format["assets"].sum()), language),
            gaps=format_number(len(report.content_gaps), language),
            min=format_number(report.min_assets, language),
        )
    count = len(report.hypotheses) + len(report.extra_hypotheses)
    heads["hypotheses"] = _form("kickoff.head.hypotheses", count, language)
    return heads


def _period(window: tuple[pd.Timestamp, pd.Timestamp] | None, language: str) -> str:
    """``Oct 2024 to Sep 2026``: a window's months in words (empty without a window)."""
    if window is None:
        return ""
    first, last = (format_month(day, language) for day in window)
    return text("kickoff.window", language, first=first, last=last)


def _hypothesis_names(report: KickoffReport, language: str) -> list[str]:
    """Each hypothesis in a few words, for the summary's list."""
    names = []
    for h in report.hypotheses:
        values = dict(h.values)
        key = f"kickoff.finding.hyp.{h.key.removeprefix('hypothesis.')}"
        for part in ("from_stage", "to_stage"):
            if part in values:
                values[part] = stage_label(values[part], language)
        if "channel" in values:
            values["channel"] = sentence_case(pretty(values["channel"], language), language)
        names.append(text(key, language, **values))
    if report.extra_hypotheses:
        names.append(_form("kickoff.finding.hyp.extra", len(report.extra_hypotheses), language))
    return names


def kickoff_findings(
    report: KickoffReport, register: FigureRegister, *, language: str = "en", currency: str = "EUR"
) -> list[Finding]:
    """The kickoff's executive summary: the data's readiness, then the hypotheses.

    Each rule gives at most one finding, quoting the register's figures and naming its key;
    its ``impact`` is the number of records (rows or leads) it concerns:

    1. **Rows set aside**: some rows could not be used. Impact: the rows set aside. The file
       with the most, and the decision to correct and resend it before week 2.
    2. **Files not provided** (spend, content, touches): the figures they block. Impact: every
       lead analysed (none of them has those figures). Decision: export them before week 2.
    3. **Missing stage dates**: leads that reached a later stage with no date for a stage
       (the stage with the most). Impact: those leads. Decision: export the dates before week 3.
    4. **Duplicate leads**: leads repeating an earlier lead's e-mail. Impact: those leads.
       A leads export without any e-mail cannot be checked: impact, every lead.
    5. **Weakest step as exported**: the lowest share moving on among steps with at least
       :data:`~workbook.deliverables.kickoff_figures.MIN_STEP_LEADS` leads entered. Impact: the leads that did not move on.
    6. **Concentration in one channel**: with spend, the channel whose spend share exceeds
       its share of won deals by more than 5 points (the hypothesis), else the largest
       spender when its share is at least :data:`SPEND_CONCENTRATION`; without spend, the
       largest source of leads when it brings at least :data:`LEAD_CONCENTRATION` of them.
       Impact: that channel's leads. No budget move is asked on kickoff data.
    7. **Content gaps**: persona and buying stage pairs below the minimum. Impact: the
       assets still needed.
    8. **Ready**: no row set aside and every file provided. Impact: 0.

    Findings 1-8 are ranked by :func:`~workbook.deliverables.summary.top_findings` (impact,
    too little data last) and the first four kept; the hypotheses to test by the mid-point
    always close the summary (a fifth finding). Without hypotheses, five are kept.

    Parameters
    ----------
    report : KickoffReport
        :func:`workbook.deliverables.kickoff.build_kickoff`.
    register : FigureRegister
        Holding the kickoff's figures
        (:func:`workbook.deliverables.kickoff_figures.register_kickoff_figures`).
    language : {"en", "fr"}
    currency : str
        The engagement's currency, for the money quoted.

    Returns
    -------
    list of Finding
        In the order the summary shows them, at most :data:`MAX_FINDINGS`.
    """
    n = lambda v: format_number(v, language)  # noqa: E731
    pct = lambda v: format_percent(v, language)  # noqa: E731
    money = lambda v: format_money(v, currency, language)  # noqa: E731
    value = register.value
    found: list[Finding] = []
    read, quarantined = int(value("kickoff.rows.read")), int(value("kickoff.rows.quarantined"))
    leads = int(value("kickoff.leads"))
    period = _period(data_window(report), language)
    if quarantined:  # rule 1
        audit = report.audit_summary
        worst = audit.loc[audit["quarantined"].idxmax()]
        found.append(
            Finding(
                headline=text(
                    "kickoff.finding.set_aside",
                    language,
                    count=n(quarantined),
                    read=n(read),
                    share=pct(quarantined / read),
                ),
                consequence=text(
                    "kickoff.finding.set_aside.consequence",
                    language,
                    file=worst["file"],
                    rows=n(int(worst["quarantined"])),
                ),
                decision=text("kickoff.finding.set_aside.decision", language, file=worst["file"]),
                section="issues",
                figure="kickoff.rows.quarantined",
                impact=float(quarantined),
                grade=evidence_grade(read),
            )
        )
    if report.not_provided:  # rule 2
        files = join_words(
            [text(f"kickoff.inventory.file.{f}", language) for f in report.not_provided], language
        )
        blocks = join_words(
            [text(f"kickoff.finding.blocks.{f}", language) for f in report.not_provided], language
        )
        found.append(
            Finding(
                headline=text("kickoff.finding.not_provided", language, files=files),
                consequence=text(
                    "kickoff.finding.not_provided.consequence",
                    language,
                    blocks=blocks,
                    leads=n(leads),
                ),
                decision=text(
                    "kickoff.finding.not_provided.decision", language, files=files, period=period
                ),
                section="inventory",
                figure="kickoff.files.not_provided",
                impact=float(leads),
                grade=evidence_grade(leads),
            )
        )
    if report.skipped_stage:  # rule 3
        stage, rows = max(report.skipped_stage.items(), key=lambda item: item[1])
        label = stage_label(stage, language)
        found.append(
            Finding(
                headline=text(
                    "kickoff.finding.stage_dates" + (".one" if rows == 1 else ""),
                    language,
                    count=n(rows),
                    share=pct(rows / leads if leads else 0.0),
                    stage=label,
                ),
                consequence=text("kickoff.finding.stage_dates.consequence", language, stage=label),
                decision=text("kickoff.finding.stage_dates.decision", language, stage=label),
                section="issues",
                figure=f"kickoff.stage_dates.{stage}.missing",
                impact=float(rows),
                grade=evidence_grade(leads),
            )
        )
    if report.duplicates:  # rule 4
        duplicates = int(value("validate.duplicates.leads"))
        share = pct(duplicates / leads if leads else 0.0)
        found.append(
            Finding(
                headline=text(
                    "kickoff.finding.duplicates" + (".one" if duplicates == 1 else ""),
                    language,
                    count=n(duplicates),
                    share=share,
                ),
                consequence=text("kickoff.finding.duplicates.consequence", language, share=share),
                decision=text("kickoff.finding.duplicates.decision", language),
                section="issues",
                figure="validate.duplicates.leads",
                impact=float(duplicates),
                grade=evidence_grade(leads),
            )
        )
    elif report.duplicates is None and report.entries_by_month.columns[0] != "opportunity":
        found.append(
            Finding(  # rule 4 on a ladder with leads whose export has no e-mail
                headline=text("kickoff.finding.no_email", language),
                consequence=text("kickoff.finding.no_email.consequence", language, leads=n(leads)),
                decision=text("kickoff.finding.no_email.decision", language),
                section="inventory",
                figure="validate.duplicates.leads",
                impact=float(leads),
                grade=evidence_grade(leads),
            )
        )
    weakest = weakest_step(report)
    if weakest is not None:  # rule 5
        key = f"kpis.funnel.{weakest['from']}_{weakest['to']}"
        figure = register[f"{key}.naive_rate"]
        entered, converted = int(value(f"{key}.entered")), int(value(f"{key}.converted"))
        names = {
            "from_stage": stage_label(weakest["from"], language),
            "to_stage": stage_label(weakest["to"], language),
        }
        lone = len(report.stage_counts) == 1
        found.append(
            Finding(
                headline=text(
                    "kickoff.finding.weakest.one_step" if lone else "kickoff.finding.weakest",
                    language,
                    rate=pct(float(figure.value)),
                    entered=n(entered),
                    **names,
                ),
                consequence=text(
                    "kickoff.finding.weakest.consequence",
                    language,
                    lost=n(entered - converted),
                    **names,
                ),
                decision=text("kickoff.finding.weakest.decision", language, **names),
                section="funnel",
                figure=f"{key}.naive_rate",
                impact=float(entered - converted),
                grade=figure.grade or "indicative",
            )
        )
    found.extend(_concentration(report, register, language=language, money=money, pct=pct, n=n))
    gaps = report.content_gaps
    if gaps is not None and len(gaps):  # rule 7
        emptiest = gaps.loc[gaps["assets"].idxmin()]
        needed = int(value("kickoff.content.needed"))
        assets = int(value("kickoff.content.assets"))
        found.append(
            Finding(
                headline=text(
                    "kickoff.finding.content",
                    language,
                    gaps=n(len(gaps)),
                    min=n(report.min_assets),
                    persona=sentence_case(pretty(emptiest["persona"], language), language),
                    buying_stage=sentence_case(
                        pretty(emptiest["buying_stage"], language), language
                    ),
                    assets=n(int(emptiest["assets"])),
                ),
                consequence=text("kickoff.finding.content.consequence", language, needed=n(needed)),
                decision=text("kickoff.finding.content.decision", language),
                section="content",
                figure="content.gaps",
                impact=float(needed),
                grade=evidence_grade(assets),
            )
        )
    if not quarantined and not report.not_provided:  # rule 8
        found.append(
            Finding(
                headline=text("kickoff.finding.ready", language, read=n(read)),
                consequence=text("kickoff.finding.ready.consequence", language),
                decision=text("kickoff.finding.ready.decision", language),
                section="inventory",
                figure="kickoff.rows.usable_share",
                impact=0.0,
                grade=evidence_grade(read),
            )
        )
    names = _hypothesis_names(report, language)
    if not names:
        return top_findings(found, limit=MAX_FINDINGS)
    count = int(value("kickoff.hypotheses.count"))
    one = ".one" if count == 1 else ""
    closing = Finding(
        headline=text(
            "kickoff.finding.hypotheses",
            language,
            count=n(count),
            names=join_words(names, language),
        )
        if count > 1
        else text("kickoff.finding.hypotheses.one", language, names=join_words(names, language)),
        consequence=text(f"kickoff.finding.hypotheses{one}.consequence", language),
        decision=text(f"kickoff.finding.hypotheses{one}.decision", language),
        section="hypotheses",
        figure="kickoff.hypotheses.count",
        impact=0.0,
        grade="indicative",
    )
    return [*top_findings(found, limit=MAX_FINDINGS - 1), closing]


def _concentration(report, register, *, language, money, pct, n) -> list[Finding]:
    """Rule 6 of :func:`kickoff_findings`: one channel concentrates spend, or leads."""
    mix = report.channel_mix.set_index("channel")
    if report.spend_by_month is not None and len(report.spend_by_month):
        totals = report.spend_by_month.sum()
        gap = next((h for h in report.hypotheses if h.key == "hypothesis.channel_return"), None)
        channel = gap.values["channel"] if gap is not None else totals.index[0]
        share = float(register.value(f"kickoff.spend.{channel}.share") or 0.0)
        if gap is None and share < SPEND_CONCENTRATION:
            return []
        channel_leads = int(mix["leads"].get(channel, 0))
        values = {
            "channel": pretty(channel, language),
            "share": pct(share),
            "amount": money(float(register.value(f"kickoff.spend.{channel}.amount"))),
            "period": _period(spend_window(report), language),
            "leads": n(channel_leads),
            "lead_share": pct(float(mix["lead_share"].get(channel, 0.0))),
        }
        grade = evidence_grade(channel_leads)
        if gap is not None:  # graded on the won deals the channel's share rests on
            won_share = register[f"kickoff.won.{channel}.share"]
            values["won_share"] = pct(float(won_share.value))
            values["won"] = n(int(register.value(f"kickoff.won.{channel}.count")))
            values["won_total"] = n(int(gap.values["won_total"]))
            grade = won_share.grade or grade
        mid_sentence = {**values, "channel": sentence_case(values["channel"], language)}
        return [
            Finding(
                headline=text(
                    "kickoff.finding.spend_gap" if gap is not None else "kickoff.finding.spend_top",
                    language,
                    **values,
                ),
                consequence=text("kickoff.finding.spend.consequence", language, **values),
                decision=text("kickoff.finding.spend.decision", language, **mid_sentence),
                section="spend",
                figure=f"kickoff.spend.{channel}.share",
                impact=float(channel_leads),
                grade=grade,
            )
        ]
    if not channel_recorded(report.channel_mix["channel"]) or not len(mix):
        return []
    channel = mix.index[0]
    share = float(mix["lead_share"].iloc[0])
    if share < LEAD_CONCENTRATION:
        return []
    values = {
        "channel": pretty(channel, language),
        "share": pct(share),
        "leads": n(int(mix["leads"].iloc[0])),
    }
    mid_sentence = {**values, "channel": sentence_case(values["channel"], language)}
    return [
        Finding(
            headline=text("kickoff.finding.lead_top", language, **values),
            consequence=text("kickoff.finding.lead_top.consequence", language, **values),
            decision=text("kickoff.finding.lead_top.decision", language, **mid_sentence),
            section="mix",
            figure=f"kickoff.mix.{channel}.lead_share",
            impact=float(mix["leads"].iloc[0]),
            grade=evidence_grade(int(mix["leads"].sum())),
        )
    ]


__all__ = [
    "LEAD_CONCENTRATION",
    "SPEND_CONCENTRATION",
    "kickoff_findings",
    "kickoff_headings",
]
