"""The kickoff ("week zero") report: every figure it shows and the sentences that explain them.

:func:`build_kickoff` computes; :func:`kickoff_sentences` turns the results into the "what
this means" sentences in the report's language. The notebook only displays.

See Also
--------
workbook.analysis.baseline : the descriptive figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbook.analysis.baseline import (
    Hypothesis,
    audit_issues,
    audit_summary,
    baseline_hypotheses,
    channel_mix,
    spend_by_month,
    stage_counts,
    stage_entries_by_month,
)
from workbook.analysis.content import content_matrix, stale_assets, untagged_assets
from workbook.analysis.journeys import Journeys, journeys_for
from workbook.i18n import (
    format_money,
    format_month,
    format_number,
    format_percent,
    formatters,
    pretty,
    stage_label,
    text,
)
from workbook.intake.engagement import Engagement

AGENDA: tuple[tuple[str, str, str], ...] = (
    ("agenda.day1", "agenda.s1", "agenda.everyone"),
    ("agenda.day1", "agenda.s2", "agenda.marketing_sales"),
    ("agenda.day1", "agenda.s3", "agenda.marketing_sales"),
    ("agenda.day2", "agenda.s4", "agenda.ops_tech"),
    ("agenda.day2", "agenda.s5", "agenda.marketing"),
    ("agenda.day2", "agenda.s6", "agenda.everyone"),
)


@dataclass(frozen=True)
class KickoffReport:
    """Everything the kickoff report shows."""

    audit_summary: pd.DataFrame
    issues: pd.DataFrame
    stage_counts: pd.DataFrame
    entries_by_month: pd.DataFrame
    channel_mix: pd.DataFrame
    spend_by_month: pd.DataFrame
    content_matrix: pd.DataFrame
    content_by_format: pd.DataFrame
    untagged: list[str]
    stale: list[str]
    hypotheses: list[Hypothesis]
    stakeholders: pd.DataFrame
    duplicates: int
    warnings_count: int


def build_kickoff(
    engagement: Engagement, journeys: Journeys | None = None, *, language: str = "en"
) -> KickoffReport:
    """Compute every figure of the kickoff report.

    Parameters
    ----------
    engagement : Engagement
    journeys : Journeys, optional
        Built from ``engagement`` when not given.
    language : {"en", "fr"}
        Of the data-quality messages.
    """
    journeys = journeys_for(engagement, journeys)
    config = engagement.config
    content = engagement.content
    by_format = (
        content["format"]
        .fillna("-")
        .value_counts()
        .rename_axis("format")
        .reset_index(name="assets")
    )
    stakeholders = pd.DataFrame(
        [(s.name, s.role, s.function) for s in config.stakeholders],
        columns=["name", "role", "function"],
    )
    return KickoffReport(
        audit_summary=audit_summary(engagement.audit, engagement.files),
        issues=audit_issues(engagement.audit, language=language),
        stage_counts=stage_counts(journeys),
        entries_by_month=stage_entries_by_month(journeys),
        channel_mix=channel_mix(journeys),
        spend_by_month=spend_by_month(engagement.spend),
        content_matrix=content_matrix(
            content, personas=config.personas, buying_stages=config.buying_stages
        ),
        content_by_format=by_format,
        untagged=untagged_assets(content),
        stale=stale_assets(
            content, as_of=engagement.as_of_timestamp, stale_months=config.stale_months
        ),
        hypotheses=baseline_hypotheses(engagement, journeys),
        stakeholders=stakeholders,
        duplicates=int(engagement.audit.duplicates.get("leads", 0)),
        warnings_count=len(engagement.audit.warnings),
    )


def agenda_table(language: str = "en") -> pd.DataFrame:
    """The two-day kickoff agenda: day, session, who attends."""
    return pd.DataFrame(
        [(text(d, language), text(s, language), text(w, language)) for d, s, w in AGENDA],
        columns=["day", "session", "who"],
    )


def hypotheses_table(
    hypotheses: list[Hypothesis], extra: tuple[str, ...] = (), *, language: str = "en"
) -> pd.DataFrame:
    """Hypotheses in words, with how each is tested; ``extra`` are engagement.yaml's own."""
    rows = []
    for h in hypotheses:
        values = dict(h.values)
        for key in ("rate", "spend_share", "won_share"):
            if key in values:
                values[key] = format_percent(values[key], language)
        for key in ("from_stage", "to_stage"):
            if key in values:
                values[key] = stage_label(values[key], language)
        for key in ("channel", "persona", "buying_stage"):
            if key in values:
                values[key] = pretty(values[key])
        if "duplicates" in values:
            values["duplicates"] = format_number(values["duplicates"], language)
        rows.append((text(h.key, language, **values), text(f"{h.key}.test", language)))
    rows.extend((item, "") for item in extra)
    return pd.DataFrame(rows, columns=["hypothesis", "how_to_test"])


def kickoff_sentences(report: KickoffReport, *, language: str, currency: str) -> dict[str, str]:
    """The "what this means" sentence of each kickoff finding, in ``language``.

    Returns
    -------
    dict
        Keys ``inventory``, ``funnel``, ``funnel_months``, ``mix``, ``spend``, ``content``.
    """
    n, pct, _ = formatters(language)
    audit = report.audit_summary
    read, used = int(audit["read"].sum()), int(audit["used"].sum())
    out = {
        "inventory": text(
            "kickoff.inventory.means",
            language,
            used=n(used),
            read=n(read),
            share=pct(used / read if read else 0.0),
            quarantined=n(int(audit["quarantined"].sum())),
            warnings=n(report.warnings_count),
            duplicates=n(report.duplicates),
        )
    }
    counts = report.stage_counts
    eligible = counts.loc[counts["entered"] > 0]
    if len(eligible):
        weakest = eligible.loc[eligible["naive_rate"].astype(float).idxmin()]
        out["funnel"] = text(
            "kickoff.funnel.means",
            language,
            entered=n(int(weakest["entered"])),
            weakest_from=stage_label(weakest["from"], language),
            weakest_to=stage_label(weakest["to"], language),
            weakest_rate=pct(float(weakest["naive_rate"])),
        )
    entries = report.entries_by_month
    first_stage = entries.columns[0]
    # compare complete months: the first full month and the month before as_of's
    full = entries.iloc[1:-1] if len(entries) > 2 else entries
    out["funnel_months"] = text(
        "kickoff.funnel_months.means",
        language,
        first=n(int(full[first_stage].iloc[0])),
        first_month=format_month(full.index[0], language),
        last=n(int(full[first_stage].iloc[-1])),
        last_month=format_month(full.index[-1], language),
    )
    mix = report.channel_mix
    total_leads = mix["leads"].sum()
    marketing = (mix["leads"] * mix["marketing_share"]).sum()
    out["mix"] = text(
        "kickoff.mix.means",
        language,
        top_channel=pretty(mix["channel"].iloc[0]),
        top_share=pct(float(mix["lead_share"].iloc[0])),
        sourced_share=pct(marketing / total_leads if total_leads else 0.0),
    )
    spend = report.spend_by_month
    totals = spend.sum()
    out["spend"] = text(
        "kickoff.spend.means",
        language,
        total=format_money(float(totals.sum()), currency, language),
        months=n(len(spend)),
        top_channel=pretty(totals.index[0]),
        top_share=pct(float(totals.iloc[0] / totals.sum()) if totals.sum() else 0.0),
    )
    out["content"] = text(
        "kickoff.content.means",
        language,
        assets=n(int(report.content_by_format["assets"].sum())),
        untagged=n(len(report.untagged)),
        stale=n(len(report.stale)),
    )
    return out
