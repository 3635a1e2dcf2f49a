"""The kickoff baseline: the funnel as exported, the source mix, spend, and hypotheses.

Descriptive figures only: rates here are naive (``converted / entered``). Censoring-aware
rates are :mod:`workbook.analysis.kpis`' job, for the mid-point.

See Also
--------
workbook.analysis.journeys.build_journeys : the table read here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook.analysis.content.matrix import content_matrix
from workbook.analysis.journeys import Journeys
from workbook.i18n.privacy import redact_emails
from workbook.intake.coverage import DataCoverage, covered_months, stage_files
from workbook.intake.engagement import Engagement
from workbook.intake.problems import Audit


def audit_summary(audit: Audit, files: dict[str, str]) -> pd.DataFrame:
    """Row accounting per file with its error and warning counts.

    Returns
    -------
    DataFrame
        Columns ``file``, ``read``, ``used``, ``quarantined``, ``errors``, ``warnings``.
    """
    records = []
    for stem, count in audit.rows.items():
        name = files.get(stem, f"{stem}.csv")
        records.append(
            {
                "file": name,
                "read": count.read,
                "used": count.used,
                "quarantined": count.quarantined,
                "errors": sum(p.file == name for p in audit.errors),
                "warnings": sum(p.file == name for p in audit.warnings),
            }
        )
    return pd.DataFrame.from_records(
        records, columns=["file", "read", "used", "quarantined", "errors", "warnings"]
    )


def audit_issues(audit: Audit, *, language: str = "en") -> pd.DataFrame:
    """Every error and warning, one row each, errors first, most rows first.

    The rows every client-facing problem table shows (the kickoff report, the Excel
    workbook): messages quote raw cell values, so any e-mail address in the file name, the
    column or the message is replaced (:func:`workbook.i18n.privacy.redact_emails`). The
    consultant's ``workbook validate`` shows the raw values.

    Returns
    -------
    DataFrame
        Columns ``severity`` (error | warning), ``file``, ``column``, ``rows`` (count of rows
        concerned; missing for a file- or column-level problem, which names no row),
        ``message`` (in ``language``).
    """
    records = [
        {
            "severity": severity,
            "file": redact_emails(p.file, language),
            "column": redact_emails(p.column or "", language),
            "rows": len(p.rows) or None,
            "message": redact_emails(p.text(language), language),
        }
        for severity, problems in (("error", audit.errors), ("warning", audit.warnings))
        for p in problems
    ]
    frame = pd.DataFrame.from_records(
        records, columns=["severity", "file", "column", "rows", "message"]
    ).astype({"rows": "Int64"})
    return frame.sort_values(
        ["severity", "rows"], ascending=[True, False], kind="stable"
    ).reset_index(drop=True)


def stage_counts(journeys: Journeys) -> pd.DataFrame:
    """Leads entering each stage and reaching the next one, as exported (no censoring).

    Returns
    -------
    DataFrame
        One row per adjacent pair: ``from``, ``to``, ``entered`` (leads that entered
        ``from``), ``converted`` (of those, reached ``to``), ``naive_rate`` (0..1).
    """
    steps = journeys.steps
    advanced = (steps["event"] == 1).groupby(steps["stage"], observed=False)
    entered = advanced.size()
    converted = advanced.sum()
    records = []
    for a, b in journeys.pairs:
        n = int(entered.get(a, 0))
        k = int(converted.get(a, 0))
        records.append(
            {"from": a, "to": b, "entered": n, "converted": k, "naive_rate": k / n if n else None}
        )
    return pd.DataFrame.from_records(records)


def stage_entries_by_month(
    journeys: Journeys, *, coverage: DataCoverage | None = None, sourced_by: str | None = None
) -> pd.DataFrame:
    """How many leads first entered each stage in each calendar month.

    Parameters
    ----------
    journeys : Journeys
    coverage : DataCoverage, optional
        ``Engagement.coverage``. A month the files a stage reads do not cover
        (:func:`~workbook.intake.coverage.stage_files`) is NaN for that stage: no data, not 0.
        None counts every month.
    sourced_by : str, optional
        Count only the leads with this ``sourced_by`` (a missing one counts as marketing).

    Returns
    -------
    DataFrame
        Index: month start (Timestamp), every month from the first inquiry to ``as_of``;
        columns: the stages; counts (float: NaN where the data does not cover the month).
    """
    leads = journeys.leads
    start = leads[f"{journeys.stages[0]}_at"].min()
    months = pd.period_range(start, journeys.as_of, freq="M") if pd.notna(start) else None
    index = months.to_timestamp() if months is not None else pd.DatetimeIndex([])
    if sourced_by is not None:
        leads = leads.loc[(leads["sourced_by"].fillna("marketing") == sourced_by).to_numpy(bool)]
    out = {}
    for stage in journeys.stages:
        month = leads[f"{stage}_at"].dt.to_period("M").dt.to_timestamp()
        counts = month.value_counts().reindex(index, fill_value=0).astype("float64")
        if coverage is not None:
            covered = covered_months(coverage, stage_files(stage, journeys.stages))
            counts = counts.where(index.to_period("M").isin(covered))
        out[stage] = counts
    frame = pd.DataFrame(out, index=index)
    frame.index.name = "month"
    return frame


def stage_run_rate(
    journeys: Journeys,
    *,
    months: int = 6,
    coverage: DataCoverage | None = None,
    sourced_by: str | None = "marketing",
) -> np.ndarray:
    """Leads entering each stage per month: the mean of the last ``months`` complete months.

    Parameters
    ----------
    journeys : Journeys
    months : int
        Complete months averaged.
    coverage : DataCoverage, optional
        ``Engagement.coverage``. Each stage averages the last ``months`` complete months
        its files cover (:func:`~workbook.intake.coverage.covered_months`): fewer when fewer
        are covered, and months before a file stopped when it stopped early. None averages
        the last ``months`` complete months to ``as_of``, whatever the data holds.
    sourced_by : str, optional
        Count only leads with this ``sourced_by`` (default marketing); None counts all.

    Returns
    -------
    numpy.ndarray, shape (S,)
        Per stage, leads per month; NaN for a stage without a complete covered month.
    """
    as_of = journeys.as_of
    last = as_of.to_period("M")
    if as_of != last.to_timestamp(how="end").normalize():
        last = last - 1  # as_of's month is not complete
    entries = stage_entries_by_month(journeys, coverage=coverage, sourced_by=sourced_by)
    out = np.full(len(journeys.stages), np.nan)
    for k, stage in enumerate(journeys.stages):
        if coverage is None:
            window = pd.period_range(last - (months - 1), last, freq="M")
        else:
            covered = covered_months(coverage, stage_files(stage, journeys.stages), complete=True)
            window = covered[covered <= last][-months:]
        if len(window):
            counts = entries[stage].reindex(window.to_timestamp(), fill_value=0.0)
            out[k] = float(counts.sum()) / len(window)
    return out


def channel_mix(journeys: Journeys) -> pd.DataFrame:
    """Leads by first-touch channel, with their share and how many are marketing-sourced.

    Returns
    -------
    DataFrame
        Columns ``channel``, ``leads``, ``lead_share`` (0..1), ``marketing_share`` (0..1,
        share of the channel's leads sourced by marketing), most leads first.
    """
    leads = journeys.leads
    marketing = (leads["sourced_by"] == "marketing").groupby(leads["source_channel"], observed=True)
    frame = pd.DataFrame({"leads": marketing.size(), "marketing_share": marketing.mean()})
    frame["lead_share"] = frame["leads"] / frame["leads"].sum()
    frame = frame.sort_values("leads", ascending=False).reset_index(names="channel")
    return frame[["channel", "leads", "lead_share", "marketing_share"]]


def spend_by_month(spend: pd.DataFrame) -> pd.DataFrame:
    """Spend pivoted to months x channels (money in the engagement's currency).

    Returns
    -------
    DataFrame
        Index month start, columns channels ordered by total spend (largest first).
    """
    pivot = spend.pivot_table(
        index="month", columns="channel", values="amount", aggfunc="sum", fill_value=0.0
    )
    order = pivot.sum().sort_values(ascending=False).index
    pivot = pivot[order]
    pivot.columns.name = "channel"
    return pivot


def channel_return_gap(journeys: Journeys, spend: pd.DataFrame) -> pd.DataFrame:
    """Each channel's share of spend against its share of won deals (first touch).

    Returns
    -------
    DataFrame
        Columns ``channel``, ``spend_share``, ``won_share`` (both 0..1), ``won`` (won
        leads), ``gap`` (``spend_share - won_share``), largest gap first.
    """
    spend_total = spend.groupby("channel")["amount"].sum()
    won = journeys.leads.loc[journeys.leads["won_at"].notna()]
    won_count = won.groupby("source_channel", observed=True).size()
    channels = spend_total.index.union(won_count.index)
    spend_share = (spend_total / spend_total.sum()).reindex(channels, fill_value=0.0)
    won_total = won_count.sum()
    won_share = (won_count / won_total if won_total else won_count * 0.0).reindex(
        channels, fill_value=0.0
    )
    frame = pd.DataFrame({"spend_share": spend_share, "won_share": won_share})
    frame["won"] = won_count.reindex(channels, fill_value=0).astype(int)
    frame["gap"] = frame["spend_share"] - frame["won_share"]
    return frame.sort_values("gap", ascending=False).reset_index(names="channel")


@dataclass(frozen=True)
class Hypothesis:
    """A hypothesis to test by the mid-point: a catalogue key and the values it quotes."""

    key: str
    values: dict


def baseline_hypotheses(
    engagement: Engagement, journeys: Journeys, *, max_count: int = 4
) -> list[Hypothesis]:
    """Hypotheses suggested by the baseline, strongest signal first.

    The weakest funnel step (lowest naive rate among steps with at least 30 leads entered),
    the channel whose spend share most exceeds its share of won deals (when spend was
    provided), the emptiest content cell, and duplicate leads when there are any.

    Returns
    -------
    list of Hypothesis
        Values are raw numbers (rates 0..1); the display layer formats them.
    """
    found: list[Hypothesis] = []
    counts = stage_counts(journeys)
    eligible = counts.loc[(counts["entered"] >= 30) & counts["naive_rate"].notna()]
    if len(eligible):
        weakest = eligible.loc[eligible["naive_rate"].astype(float).idxmin()]
        found.append(
            Hypothesis(
                # a ladder of one step has no weakest step, and no hand-off inside it
                "hypothesis.one_step" if len(counts) == 1 else "hypothesis.weakest_step",
                {
                    "from_stage": weakest["from"],
                    "to_stage": weakest["to"],
                    "rate": float(weakest["naive_rate"]),
                },
            )
        )
    # without spend provided there is no spend share to compare (not a share of 0)
    gap = channel_return_gap(journeys, engagement.spend) if engagement.has("spend") else None
    if gap is not None and len(gap) and gap.loc[0, "gap"] > 0.05:
        row = gap.loc[0]
        found.append(
            Hypothesis(
                "hypothesis.channel_return",
                {
                    "channel": row["channel"],
                    "spend_share": float(row["spend_share"]),
                    "won_share": float(row["won_share"]),
                    "won": int(row["won"]),  # the won deals the share rests on
                    "won_total": int(gap["won"].sum()),
                },
            )
        )
    matrix = content_matrix(
        engagement.content,
        personas=engagement.config.personas,
        buying_stages=engagement.config.buying_stages,
    )
    values = matrix.to_numpy()
    # no content inventory provided: no gap to suggest (CONTRACT section 3)
    if (
        engagement.has("content")
        and values.size
        and values.min() < engagement.config.min_assets_per_cell
    ):
        i, j = np.unravel_index(np.argmin(values), values.shape)
        found.append(
            Hypothesis(
                "hypothesis.content_gap",
                {
                    "persona": matrix.index[i],
                    "buying_stage": matrix.columns[j],
                    "assets": int(values[i, j]),
                },
            )
        )
    duplicates = engagement.audit.duplicates.get("leads", 0)
    if duplicates:
        found.append(Hypothesis("hypothesis.duplicates", {"duplicates": int(duplicates)}))
    return found[:max_count]
