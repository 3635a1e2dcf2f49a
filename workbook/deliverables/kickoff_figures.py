"""The kickoff's headline figures, added to the run's register (``ctx.register``).

Every figure the kickoff shows is registered once, with its unit, window, label and, where it
rests on a count, its evidence grade; the summary and the headings quote the register.

See Also
--------
workbook.deliverables.register : the register.
workbook.deliverables.kickoff_summary : the headings and the executive summary.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from scipy import stats

from workbook.analysis.evidence import evidence_grade
from workbook.deliverables.kickoff import MIN_STEP_LEADS, KickoffReport
from workbook.deliverables.register import FigureRegister
from workbook.deliverables.thin_data import channel_recorded
from workbook.i18n import pretty, stage_label, text


def iso_window(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """An ISO 8601 interval ``YYYY-MM-DD/YYYY-MM-DD``."""
    return f"{start:%Y-%m-%d}/{end:%Y-%m-%d}"


def data_window(report: KickoffReport) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The kickoff's window: from the data's first date to the snapshot date (None: no dates)."""
    coverage = report.coverage
    if coverage is None or coverage.data_start is None:
        return None
    return coverage.data_start.normalize(), coverage.as_of.normalize()


def spend_window(report: KickoffReport) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The months the spend covers: first month's first day to last month's last day."""
    spend = report.spend_by_month
    if spend is None or not len(spend):
        return None
    return spend.index[0], spend.index[-1] + pd.offsets.MonthEnd(0)


def weakest_step(report: KickoffReport) -> pd.Series | None:
    """The step with the lowest share moving on, among steps with :data:`MIN_STEP_LEADS`
    leads entered (the criterion the hypotheses use); None when no step has enough."""
    counts = report.stage_counts
    eligible = counts.loc[(counts["entered"] >= MIN_STEP_LEADS) & counts["naive_rate"].notna()]
    if not len(eligible):
        return None
    return eligible.loc[eligible["naive_rate"].astype(float).idxmin()]


def wilson_interval(converted: int, entered: int) -> tuple[float | None, float | None]:
    """The 95% Wilson interval of ``converted / entered`` (None, None without any entered)."""
    if not entered:
        return None, None
    ci = stats.binomtest(int(converted), int(entered)).proportion_ci(method="wilson")
    return float(ci.low), float(ci.high)


def register_kickoff_figures(
    report: KickoffReport, register: FigureRegister, *, language: str = "en"
) -> FigureRegister:
    """Add every headline figure of the kickoff to ``register`` (and return it).

    Keys: the row accounting per file and the duplicates under ``workbook validate --json``'s
    paths (``validate.rows.leads.read``, ``validate.duplicates.leads``: None without e-mail),
    each step's entered, converted and naive rate (with its Wilson interval and evidence
    grade) under ``workbook kpis --json``'s (``kpis.funnel.mql_sal.naive_rate``: the same
    counts), the untagged, stale assets and gap cells counted under ``workbook content
    --json``'s lists (``content.gaps``); everything else under ``kickoff.*``: the rows of all
    files and the usable share, the leads analysed, the
    monthly trend of the first stage, the channel mix and the spend by channel over the
    data's months (the mid-point's spend shares cover its KPI window, under other keys),
    content, issues, files not provided, missing stage dates and hypotheses. A figure that
    needs a file not provided is None (``kickoff.spend.total``, ``kickoff.content.assets``).
    """

    def add(key: str, value: Any, unit: str, label: str, /, **options: Any) -> None:
        words = options.pop("words", {})
        register.add(key, value, unit=unit, label=text(label, language, **words), **options)

    window = data_window(report)
    iso = iso_window(*window) if window else None
    audit = report.audit_summary
    for stem, row in zip(report.file_stems, audit.to_dict("records"), strict=True):
        for part in ("read", "used", "quarantined"):
            add(f"validate.rows.{stem}.{part}", int(row[part]), "count",
                f"kickoff.fig.rows.{part}", words={"file": row["file"]})  # fmt: skip
    read, used = int(audit["read"].sum()), int(audit["used"].sum())
    for part, value in (("read", read), ("used", used), ("quarantined", read - used)):
        add(f"kickoff.rows.{part}", value, "count", f"kickoff.fig.rows_total.{part}")
    add("kickoff.rows.usable_share", used / read if read else None, "rate",
        "kickoff.fig.usable_share", count=read, grade=evidence_grade(read))  # fmt: skip
    emails = report.duplicates is not None  # else no e-mail to find duplicates with: None
    add("validate.duplicates.leads", report.duplicates, "count", "kickoff.fig.duplicates",
        count=report.leads if emails else None,
        grade=evidence_grade(report.leads) if emails else None)  # fmt: skip
    add("kickoff.duplicates.share",
        report.duplicates / report.leads if emails and report.leads else None, "rate",
        "kickoff.fig.duplicates_share", count=report.leads if emails else None,
        grade=evidence_grade(report.leads) if emails else None)  # fmt: skip
    add("kickoff.leads", report.leads, "count", "kickoff.fig.leads", window=iso)
    for step in report.stage_counts.to_dict("records"):
        key = f"kpis.funnel.{step['from']}_{step['to']}"  # the same counts as `kpis --json`
        words = {
            "from_stage": stage_label(step["from"], language),
            "to_stage": stage_label(step["to"], language),
        }
        entered, converted = int(step["entered"]), int(step["converted"])
        add(
            f"{key}.entered",
            entered,
            "count",
            "kickoff.fig.funnel.entered",
            window=iso,
            words=words,
        )
        add(
            f"{key}.converted",
            converted,
            "count",
            "kickoff.fig.funnel.converted",
            window=iso,
            words=words,
        )
        low, high = wilson_interval(converted, entered)
        rate = None if pd.isna(step["naive_rate"]) else float(step["naive_rate"])
        grade = evidence_grade(entered, low=low, high=high, value=rate, rate=True)
        add(f"{key}.naive_rate", rate, "rate", "kickoff.fig.funnel.naive_rate", window=iso,
            words=words, count=entered, low=low, high=high, grade=grade)  # fmt: skip
    trend, stage = report.trend, str(report.entries_by_month.columns[0])
    if trend is not None:
        span = iso_window(trend.first_month, trend.last_month + pd.offsets.MonthEnd(0))
        words = {"stage": stage_label(stage, language), "span": trend.span}
        for part, unit in (("first_average", "count"), ("last_average", "count"),
                           ("change", "rate"), ("low", "count"), ("high", "count")):  # fmt: skip
            add(f"kickoff.trend.{stage}.{part}", getattr(trend, part), unit,
                f"kickoff.fig.trend.{part}", window=span, words=words, count=trend.compared,
                grade=evidence_grade(trend.compared))  # fmt: skip
    mix = report.channel_mix
    if channel_recorded(mix["channel"]):
        total = int(mix["leads"].sum())
        grade = evidence_grade(total)
        for row in mix.to_dict("records"):
            words = {"channel": pretty(row["channel"], language)}
            key = f"kickoff.mix.{row['channel']}"
            add(
                f"{key}.leads",
                int(row["leads"]),
                "count",
                "kickoff.fig.mix.leads",
                window=iso,
                words=words,
            )
            add(f"{key}.lead_share", float(row["lead_share"]), "rate", "kickoff.fig.mix.lead_share",
                window=iso, words=words, count=total, grade=grade)  # fmt: skip
        marketing = float((mix["leads"] * mix["marketing_share"]).sum() / total) if total else None
        add("kickoff.mix.marketing_share", marketing, "rate", "kickoff.fig.mix.marketing_share",
            window=iso, count=total, grade=grade)  # fmt: skip
    spend, spent = report.spend_by_month, spend_window(report)
    s_iso = iso_window(*spent) if spent else None
    totals = spend.sum() if spend is not None else None
    grand = None if totals is None else float(totals.sum())
    add("kickoff.spend.total", grand, "money", "kickoff.fig.spend.total", window=s_iso)
    add("kickoff.spend.months", None if spend is None else len(spend), "months",
        "kickoff.fig.spend.months", window=s_iso)  # fmt: skip
    for channel, amount in totals.items() if totals is not None else ():
        words = {"channel": pretty(channel, language)}
        add(f"kickoff.spend.{channel}.amount", float(amount), "money", "kickoff.fig.spend.amount",
            window=s_iso, words=words)  # fmt: skip
        add(f"kickoff.spend.{channel}.share", float(amount) / grand if grand else None, "rate",
            "kickoff.fig.spend.share", window=s_iso, words=words)  # fmt: skip
    content, gaps = report.content_by_format, report.content_gaps
    add("kickoff.content.assets", None if content is None else int(content["assets"].sum()),
        "count", "kickoff.fig.content.assets")  # fmt: skip
    for part, value in (  # `workbook content --json` lists these: the figure is their count
        ("untagged", None if report.untagged is None else len(report.untagged)),
        ("stale", None if report.stale is None else len(report.stale)),
        ("gaps", None if gaps is None else len(gaps)),
    ):
        add(f"content.{part}", value, "count", f"kickoff.fig.content.{part}")
    add("kickoff.content.needed", None if gaps is None else int(gaps["needed"].sum()), "count",
        "kickoff.fig.content.needed")  # fmt: skip
    add("kickoff.issues.count", len(report.issues), "count", "kickoff.fig.issues")
    add("kickoff.files.not_provided", len(report.not_provided), "count", "kickoff.fig.not_provided")
    for skipped, rows in report.skipped_stage.items():
        words = {"stage": stage_label(skipped, language)}
        add(f"kickoff.stage_dates.{skipped}.missing", rows, "count", "kickoff.fig.skipped_stage",
            words=words, count=report.leads, grade=evidence_grade(report.leads))  # fmt: skip
        add(f"kickoff.stage_dates.{skipped}.missing_share",
            rows / report.leads if report.leads else None, "rate",
            "kickoff.fig.skipped_stage_share", words=words, count=report.leads,
            grade=evidence_grade(report.leads))  # fmt: skip
    _register_won_shares(report, register, language=language, window=iso)
    count = len(report.hypotheses) + len(report.extra_hypotheses)
    add("kickoff.hypotheses.count", count, "count", "kickoff.fig.hypotheses")
    return register


def _register_won_shares(
    report: KickoffReport, register: FigureRegister, *, language: str, window: str | None
) -> None:
    """The channel share of won deals the spend hypothesis quotes (``kickoff.won.<channel>``),
    graded on that channel's won deals (its count), with its Wilson interval."""
    gap = next((h for h in report.hypotheses if h.key == "hypothesis.channel_return"), None)
    if gap is None:
        return
    channel = str(gap.values["channel"])
    won, total = int(gap.values.get("won", 0)), int(gap.values.get("won_total", 0))
    low, high = wilson_interval(won, total)
    share = float(gap.values["won_share"])
    words = {"channel": pretty(channel, language)}
    register.add(f"kickoff.won.{channel}.count", won, unit="count", window=window,
                 label=text("kickoff.fig.won.count", language, **words))  # fmt: skip
    register.add(f"kickoff.won.{channel}.share", share, unit="rate", window=window, count=won,
                 low=low, high=high, grade=evidence_grade(won, low=low, high=high, value=share, rate=True),
                 label=text("kickoff.fig.won.share", language, **words))  # fmt: skip


__all__ = [
    "MIN_STEP_LEADS",
    "data_window",
    "iso_window",
    "register_kickoff_figures",
    "spend_window",
    "weakest_step",
    "wilson_interval",
]
