"""The kickoff ("week zero") report: every figure it shows and the sentences that explain them.

:func:`build_kickoff` computes; :func:`kickoff_sentences` turns the results into the "what
this means" sentences in the report's language. The notebook only displays.

See Also
--------
workbook.analysis.baseline : the descriptive figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from workbook.analysis.baseline import (
    Hypothesis,
    audit_summary,
    baseline_hypotheses,
    channel_mix,
    spend_by_month,
    stage_counts,
    stage_entries_by_month,
)
from workbook.analysis.content import content_gaps, content_matrix, stale_assets, untagged_assets
from workbook.analysis.journeys import Journeys, journeys_for
from workbook.deliverables.kickoff_words import (
    MonthlyTrend,
    client_issues,
    monthly_trend,
    trend_sentence,
)
from workbook.deliverables.thin_data import (
    assumed_columns,
    assumed_sentence,
    channel_recorded,
    emails_provided,
    one_step,
)
from workbook.i18n import (
    format_date,
    format_money,
    format_month,
    format_number,
    format_percent,
    formatters,
    join_words,
    pretty,
    sentence_case,
    stage_label,
    text,
)
from workbook.intake.coverage import DataCoverage, FileCoverage, covered_months, stage_files
from workbook.intake.engagement import Engagement

AGENDA: tuple[tuple[str, str, str], ...] = (
    ("agenda.day1", "agenda.s1", "agenda.everyone"),
    ("agenda.day1", "agenda.s2", "agenda.marketing_sales"),
    ("agenda.day1", "agenda.s3", "agenda.marketing_sales"),
    ("agenda.day2", "agenda.s4", "agenda.ops_tech"),
    ("agenda.day2", "agenda.s5", "agenda.marketing"),
    ("agenda.day2", "agenda.s6", "agenda.everyone"),
)


#: A step needs this many leads entered to be called the weakest (as the hypotheses do).
MIN_STEP_LEADS = 30

#: The optional files, in the order the inventory names those not provided.
OPTIONAL_FILES_SHOWN: tuple[str, ...] = ("spend", "content", "touches")


@dataclass(frozen=True)
class KickoffReport:
    """Everything the kickoff report shows.

    ``spend_by_month`` is None when the client provided no spend (nothing is charted, a
    sentence says so).
    """

    audit_summary: pd.DataFrame
    issues: pd.DataFrame
    stage_counts: pd.DataFrame
    entries_by_month: pd.DataFrame
    channel_mix: pd.DataFrame
    spend_by_month: pd.DataFrame | None
    content_matrix: pd.DataFrame | None  # None: no content inventory provided
    content_by_format: pd.DataFrame | None
    untagged: list[str] | None
    stale: list[str] | None
    hypotheses: list[Hypothesis]
    stakeholders: pd.DataFrame
    duplicates: int | None  # None: the export has no e-mail to find duplicates with
    warnings_count: int
    coverage: DataCoverage | None = None
    not_provided: tuple[str, ...] = ()  # optional files the client did not provide
    assumed: dict[str, str] = field(default_factory=dict)  # thin_data.assumed_columns
    file_stems: tuple[str, ...] = ()  # the data files of audit_summary's rows, in order
    leads: int = 0  # journeys analysed (leads, or opportunities on an opportunity ladder)
    trend: MonthlyTrend | None = None  # entries at the first stage, complete months
    content_gaps: pd.DataFrame | None = None  # None: no content inventory provided
    min_assets: int = 2  # engagement.yaml's content.min_assets_per_cell
    skipped_stage: dict[str, int] = field(default_factory=dict)  # stage -> leads without its date
    extra_hypotheses: tuple[str, ...] = ()  # engagement.yaml's own hypotheses


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
    coverage = engagement.coverage
    content = engagement.content
    has_content = engagement.has("content")  # else every content figure is None
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
    entries = stage_entries_by_month(journeys, coverage=coverage)
    first = journeys.stages[0]
    complete = (
        covered_months(coverage, stage_files(first, journeys.stages), complete=True)
        if coverage is not None
        else entries.index.to_period("M")
    )
    matrix = (
        content_matrix(content, personas=config.personas, buying_stages=config.buying_stages)
        if has_content
        else None
    )
    skipped: dict[str, int] = {}
    for problem in engagement.audit.warnings:
        if problem.code == "skipped_stage" and problem.values:
            stage = str(problem.values.get("stage"))
            skipped[stage] = skipped.get(stage, 0) + len(problem.rows)
    return KickoffReport(
        audit_summary=inventory_table(engagement, coverage, language=language),
        issues=client_issues(engagement.audit, language=language),
        stage_counts=stage_counts(journeys),
        entries_by_month=entries,
        channel_mix=channel_mix(journeys),
        spend_by_month=spend_by_month(engagement.spend) if engagement.has("spend") else None,
        content_matrix=matrix,
        content_by_format=by_format if has_content else None,
        untagged=untagged_assets(content) if has_content else None,
        stale=stale_assets(
            content, as_of=engagement.as_of_timestamp, stale_months=config.stale_months
        )
        if has_content
        else None,
        hypotheses=baseline_hypotheses(engagement, journeys),
        stakeholders=stakeholders,
        duplicates=engagement.audit.duplicates.get("leads", 0)
        if emails_provided(engagement)
        else None,
        warnings_count=len(engagement.audit.warnings),
        coverage=coverage,
        not_provided=tuple(f for f in OPTIONAL_FILES_SHOWN if not engagement.has(f)),
        assumed=assumed_columns(engagement),
        file_stems=tuple(engagement.audit.rows),
        leads=len(journeys.leads),
        trend=monthly_trend(entries[first], complete),
        content_gaps=None
        if matrix is None
        else content_gaps(matrix, min_assets=config.min_assets_per_cell),
        min_assets=config.min_assets_per_cell,
        skipped_stage=skipped,
        extra_hypotheses=tuple(config.hypotheses),
    )


def date_range_text(cover: FileCoverage | None, language: str = "en") -> str:
    """A file's date range in words: ``Jan 2025 – Sep 2026`` (``no dates`` without any)."""
    if cover is None or cover.first is None or cover.last is None:
        return text("kickoff.inventory.no_dates", language)
    return text(
        "kickoff.inventory.range",
        language,
        first=format_month(cover.first, language),
        last=format_month(cover.last, language),
    )


def inventory_table(
    engagement: Engagement, coverage: DataCoverage, *, language: str = "en"
) -> pd.DataFrame:
    """The data inventory: :func:`~workbook.analysis.baseline.audit_summary` plus ``dates``.

    ``dates`` is each file's date range (:func:`date_range_text`) in ``language``.
    """
    summary = audit_summary(engagement.audit, engagement.files)
    by_file = {cover.file: cover for cover in coverage.files}
    summary["dates"] = [date_range_text(by_file.get(f), language) for f in summary["file"]]
    return summary


def coverage_sentences(coverage: DataCoverage | None, *, language: str) -> list[str]:
    """One sentence per file that stops early or starts late, saying what that means."""
    if coverage is None:
        return []
    sentences = []
    for cover in coverage.limited:
        if cover.stops_early and cover.covered_from is not None:
            months = round((coverage.as_of - cover.last).days / (365.25 / 12))
            sentences.append(
                text(
                    "kickoff.inventory.stops_early",
                    language,
                    file=cover.file,
                    last=format_date(cover.last, language),
                    months=format_number(months, language),
                    as_of=format_date(coverage.as_of, language),
                    first_month=format_month(cover.covered_from, language),
                    last_month=format_month(cover.last, language),
                )
            )
        if cover.starts_late and coverage.data_start is not None:
            months = round((cover.first - coverage.data_start).days / (365.25 / 12))
            sentences.append(
                text(
                    "kickoff.inventory.starts_late",
                    language,
                    file=cover.file,
                    first=format_date(cover.first, language),
                    months=format_number(months, language),
                    others_first=format_date(coverage.data_start, language),
                )
            )
    return sentences


def agenda_table(
    language: str = "en", *, stages: tuple[str, ...] = ("inquiry", "mql", "sal", "sql", "won")
) -> pd.DataFrame:
    """The two-day kickoff agenda: day, session, who attends.

    ``stages`` is the engagement's ladder: the funnel session names its stages before won.
    """
    names = ", ".join(stage_label(stage, language) for stage in stages[:-1])
    return pd.DataFrame(
        [
            (text(d, language), text(s, language, stages=names), text(w, language))
            for d, s, w in AGENDA
        ],
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
            if key in values:  # the channel opens its sentence, the others are inside one
                label = pretty(values[key], language)
                values[key] = label if key == "channel" else sentence_case(label, language)
        if "duplicates" in values:
            values["duplicates"] = format_number(values["duplicates"], language)
        if "assets" in values:  # "no asset", "1 asset", "3 assets"
            values["assets"] = _counted("hypothesis.assets", int(values["assets"]), language)
        rows.append((text(h.key, language, **values), text(f"{h.key}.test", language)))
    rows.extend((item, "") for item in extra)
    return pd.DataFrame(rows, columns=["hypothesis", "how_to_test"])


def _counted(key: str, count: int, language: str) -> str:
    """The ``key.none`` / ``key.one`` / ``key.some`` phrase for ``count``: "no row", not "0 rows"."""
    form = "none" if count == 0 else "one" if count == 1 else "some"
    return text(f"{key}.{form}", language, count=format_number(count, language))


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
            "kickoff.inventory.means"
            if report.duplicates is not None
            else "thin.kickoff.no_email",  # no e-mail in the export: duplicates not looked for
            language,
            used=n(used),
            read=n(read),
            share=pct(used / read if read else 0.0),
            set_aside=_counted("kickoff.set_aside", int(audit["quarantined"].sum()), language),
            warnings=_counted("kickoff.warnings", int(report.warnings_count), language),
            duplicates=_counted("kickoff.duplicates", int(report.duplicates or 0), language),
        )
    }
    limits = coverage_sentences(report.coverage, language=language)
    if report.not_provided:
        names = [text(f"kickoff.inventory.file.{f}", language) for f in report.not_provided]
        limits.append(
            text("kickoff.inventory.not_provided", language, files=join_words(names, language))
        )
    if limits:
        out["inventory"] = " ".join([out["inventory"], *limits])
    counts = report.stage_counts
    eligible = counts.loc[counts["entered"] > 0]
    # the heading's rule: the weakest among steps with enough leads, else the first step
    enough = eligible.loc[(eligible["entered"] >= MIN_STEP_LEADS) & eligible["naive_rate"].notna()]
    if len(eligible):
        weakest = (
            enough.loc[enough["naive_rate"].astype(float).idxmin()]
            if len(enough)
            else eligible.iloc[0]
        )
        out["funnel"] = text(
            "kickoff.funnel.means" if len(enough) else "kickoff.funnel.means.few",
            language,
            minimum=n(MIN_STEP_LEADS),
            entered=n(int(weakest["entered"])),
            weakest_from=stage_label(weakest["from"], language),
            weakest_to=stage_label(weakest["to"], language),
            weakest_rate=pct(float(weakest["naive_rate"])),
        )
        if one_step([*counts["from"], counts["to"].iloc[-1]]):  # no weakest of one step
            out["funnel"] = text(
                "thin.kickoff.funnel_one_step",
                language,
                entered=n(int(weakest["entered"])),
                from_stage=stage_label(weakest["from"], language),
                to_stage=stage_label(weakest["to"], language),
                rate=pct(float(weakest["naive_rate"])),
            )
    # averages of the first and last complete months, and the range: not two months picked
    first_stage = str(report.entries_by_month.columns[0])
    out["funnel_months"] = trend_sentence(report.trend, first_stage, language=language)
    mix = report.channel_mix
    total_leads = mix["leads"].sum()
    marketing = (mix["leads"] * mix["marketing_share"]).sum()
    out["mix"] = text(
        "kickoff.mix.means",
        language,
        top_channel=sentence_case(pretty(mix["channel"].iloc[0], language), language),
        top_share=pct(float(mix["lead_share"].iloc[0])),
        sourced_share=pct(marketing / total_leads if total_leads else 0.0),
    )
    recorded = channel_recorded(mix["channel"])  # else no journey has a channel: no mix
    share = pct(marketing / total_leads if total_leads else 0.0)
    sourced = text("thin.channel.sourced", language, sourced_share=share)
    # a sourced share restating engagement.yaml is no finding
    assumed = assumed_sentence(report.assumed, language=language)
    if not recorded or assumed is not None:
        top = text(
            "thin.channel.top",
            language,
            top_channel=pretty(mix["channel"].iloc[0], language),
            top_share=pct(float(mix["lead_share"].iloc[0])),
        )
        first = top if recorded else text("thin.channel.none", language)
        out["mix"] = " ".join([first, sourced if assumed is None else assumed])
    spend = report.spend_by_month
    if spend is None:
        out["spend"] = text("spend.missing.kickoff", language)
    else:
        totals = spend.sum()
        out["spend"] = text(
            "kickoff.spend.means",
            language,
            total=format_money(float(totals.sum()), currency, language),
            months=n(len(spend)),
            first=format_month(spend.index[0], language),
            last=format_month(spend.index[-1], language),
            top_channel=sentence_case(pretty(totals.index[0], language), language),
            top_share=pct(float(totals.iloc[0] / totals.sum()) if totals.sum() else 0.0),
        )
    if report.content_by_format is None:
        out["content"] = text("kickoff.content.means.none", language)
    else:
        out["content"] = text(
            "kickoff.content.means",
            language,
            assets=n(int(report.content_by_format["assets"].sum())),
            untagged=n(len(report.untagged or [])),
            stale=n(len(report.stale or [])),
        )
    return out
