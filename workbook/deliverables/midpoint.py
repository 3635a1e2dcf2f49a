"""The mid-point insights report: every figure it shows and the sentences that explain them.

:func:`build_midpoint` computes (on top of :func:`workbook.analysis.kpis.compute_kpis`);
:func:`midpoint_sentences` (:mod:`workbook.deliverables.midpoint_text`) turns the results into
the "what this means" sentences in the report's language; the ``*_table`` functions
(:mod:`workbook.deliverables.midpoint_tables`) give the stakeholder views (executive,
marketing operations, sales) drawn from the same figures. All are importable from here. The
notebook only displays.

See Also
--------
workbook.analysis.kpis : the funnel and the six outcome KPIs.
workbook.analysis.benchmarks : the illustrative public benchmarks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbook.analysis.baseline import Hypothesis, baseline_hypotheses
from workbook.analysis.benchmarks import compare_to_benchmarks
from workbook.analysis.channel_advice import attribution_shares, channel_advice
from workbook.analysis.journeys import Journeys, journeys_for
from workbook.analysis.kpis import KpiReport, cohort_conversion, compute_kpis, lift_by_month
from workbook.analysis.leaks import leak_costs, leak_to_fix
from workbook.deliverables.thin_data import assumed_columns
from workbook.intake.benchmarks import load_benchmarks
from workbook.intake.coverage import DataCoverage
from workbook.intake.engagement import Engagement

__all__ = [
    "MidpointReport",
    "build_midpoint",
    "funnel_shape",
    "stuck_opportunities",
    "stuck_threshold_days",
]

#: A funnel is a "pint glass" when every step between the first qualification and the
#: opportunity keeps at least this share of the leads entering it; else a "martini glass".
PINT_GLASS_RATE = 0.5


@dataclass(frozen=True)
class MidpointReport:
    """Everything the mid-point report shows.

    Attributes
    ----------
    kpis : KpiReport
    shape : DataFrame
        :func:`funnel_shape`.
    glass : str
        ``pint`` or ``martini``.
    cohort : DataFrame
        :func:`workbook.analysis.kpis.cohort_conversion` towards ``cohort_stage``.
    cohort_stage : str
    lift_by_month : DataFrame
        :func:`workbook.analysis.kpis.lift_by_month` over twice the KPI window.
    benchmarks : DataFrame
        :func:`workbook.analysis.benchmarks.compare_to_benchmarks`.
    stuck_opportunities : DataFrame
        :func:`stuck_opportunities`.
    biggest_leak : tuple or None
        ``(from, to, leakage)`` of the leak to fix: the step whose losses cost the most won
        deals (:func:`workbook.analysis.leaks.leak_to_fix`), not merely the leakiest.
    window_months : int
    stuck_threshold_days : float or None
        The age past which an open opportunity is stuck (:func:`stuck_threshold_days`).
    coverage : DataCoverage or None
        ``Engagement.coverage`` (the cohort sentence names the
        months it covers when a file stops early or starts late).
    assumed : dict
        The quoted columns set to one value in engagement.yaml
        (:func:`workbook.deliverables.thin_data.assumed_columns`): the shares they give are
        assumptions, not findings.
    leaks : DataFrame
        :func:`workbook.analysis.leaks.leak_costs`, its money over the KPI window: the leads
        leaving each step in it (:func:`window_exits`) at the window's average
        marketing-sourced won deal.
    channel_advice : DataFrame
        :func:`workbook.analysis.channel_advice.channel_advice` over the KPI window.
    hypotheses : list of Hypothesis
        The kickoff's hypotheses (:func:`workbook.analysis.baseline.baseline_hypotheses`),
        which the mid-point answers.
    data_start : Timestamp or None
        The first lead's creation date: the funnel rates, velocity, stuck leads and the
        leaks' ranking rest on every lead from it to the snapshot date.
    """

    kpis: KpiReport
    shape: pd.DataFrame
    glass: str
    cohort: pd.DataFrame
    cohort_stage: str
    lift_by_month: pd.DataFrame
    benchmarks: pd.DataFrame
    stuck_opportunities: pd.DataFrame
    biggest_leak: tuple[str, str, float] | None
    window_months: int
    assumed: dict[str, str] = field(default_factory=dict)  # thin_data.assumed_columns
    stuck_threshold_days: float | None = None
    coverage: DataCoverage | None = None
    leaks: pd.DataFrame = field(default_factory=pd.DataFrame)
    channel_advice: pd.DataFrame = field(default_factory=pd.DataFrame)
    hypotheses: list[Hypothesis] = field(default_factory=list)
    data_start: pd.Timestamp | None = None


def funnel_shape(funnel: pd.DataFrame, *, pint_glass_rate: float = PINT_GLASS_RATE) -> pd.DataFrame:
    """The funnel as a glass: the expected share of first-stage leads reaching each stage.

    Parameters
    ----------
    funnel : DataFrame
        :func:`workbook.analysis.kpis.funnel_rates`.
    pint_glass_rate : float
        Threshold of :data:`PINT_GLASS_RATE`.

    Returns
    -------
    DataFrame
        One row per stage: ``stage``, ``reach_share`` (0..1: product of the censoring-aware
        step rates up to the stage; 1 for the first), ``step_rate`` (the rate into the stage;
        NaN for the first) and ``qualified_step`` (bool: a step between the first
        qualification and the opportunity, the steps the glass shape is judged on).
        ``attrs["glass"]`` is ``pint`` or ``martini``.
    """
    rates = funnel["rate"].to_numpy(float)
    stages = [*funnel["from"].astype(str), str(funnel["to"].iloc[-1])]
    reach = np.concatenate(([1.0], np.cumprod(np.nan_to_num(rates, nan=0.0))))
    # steps after the first one and before the last one (the opportunity's win/loss)
    qualified = np.zeros(len(stages), dtype=bool)
    qualified[2:-1] = True
    if not qualified.any():
        qualified[1:] = True
    out = pd.DataFrame(
        {
            "stage": stages,
            "reach_share": reach,
            "step_rate": np.concatenate(([np.nan], rates)),
            "qualified_step": qualified,
        }
    )
    judged = out.loc[out["qualified_step"], "step_rate"].to_numpy(float)
    judged = judged[~np.isnan(judged)]
    pint = judged.size > 0 and bool((judged >= pint_glass_rate).all())
    out.attrs["glass"] = "pint" if pint else "martini"
    return out


def stuck_opportunities(
    opportunities: pd.DataFrame, *, as_of: pd.Timestamp, threshold_days: float | None
) -> pd.DataFrame:
    """Opportunities open at ``as_of`` for longer than ``threshold_days``, oldest first.

    Parameters
    ----------
    opportunities : DataFrame
        All opportunities, whatever their source and whether or not they have a lead.
    as_of : Timestamp
    threshold_days : float or None
        Usually :func:`stuck_threshold_days`, the 90th-percentile time a won deal took to
        close; None gives no rows.

    Returns
    -------
    DataFrame
        ``opportunity_id``, ``account_id``, ``sourced_by``, ``product``, ``amount``
        (currency), ``age_days`` (days open at ``as_of``). No personal field.
    """
    columns = ["opportunity_id", "account_id", "sourced_by", "product", "amount", "age_days"]
    if threshold_days is None or not np.isfinite(threshold_days):
        return pd.DataFrame(columns=columns)
    as_of = pd.Timestamp(as_of)
    created = opportunities["created_at"]
    closed = opportunities["closed_at"]
    still_open = opportunities["status"].eq("open") | (closed > as_of)
    open_at = (still_open & (created <= as_of)).fillna(False).to_numpy(bool)
    frame = opportunities.loc[open_at].copy()
    frame["age_days"] = (as_of - frame["created_at"]).dt.days.astype(float)
    frame = frame.loc[frame["age_days"].to_numpy() > threshold_days]
    for col in columns:
        if col not in frame:
            frame[col] = pd.NA
    return (
        frame[columns]
        .sort_values(["age_days", "amount"], ascending=[False, False], kind="stable")
        .reset_index(drop=True)
    )


def stuck_threshold_days(engagement: Engagement, kpis: KpiReport) -> float | None:
    """Days by which 90% of won deals closed: past them an open opportunity is stuck.

    With an ``opportunity`` stage, its p90 time to won (``kpis.stuck``, censoring-aware).
    Without one (``[mql, won]``: the ladder's last step starts at the lead, not at the deal),
    the 90th percentile of ``closed_at - created_at`` over the opportunities won by
    ``as_of``, so that the deals' own age is compared with the deals' own time to win.

    Returns
    -------
    float or None
        None when no deal was won (no opportunity is called stuck then).
    """
    if "opportunity" in engagement.config.stages:
        value = kpis.stuck.set_index("stage")["threshold_days"].get("opportunity", np.nan)
        return float(value) if np.isfinite(value) else None
    opps = engagement.opportunities
    as_of = engagement.as_of_timestamp
    won = opps.loc[(opps["status"] == "won") & (opps["closed_at"] <= as_of)]
    days = (won["closed_at"] - won["created_at"]).dt.days.dropna().to_numpy(float)
    return float(np.quantile(days, 0.9)) if len(days) else None


def window_exits(
    journeys: Journeys, funnel: pd.DataFrame, window_start: pd.Timestamp
) -> tuple[np.ndarray, np.ndarray]:
    """Per funnel step, the leads that left its first stage in the KPI window
    (``window_start`` to the snapshot date) without moving on, and those that left it either
    way (lost or moved on): what the leak's money is counted over. (:func:`build_midpoint`
    counts the step into won on the marketing-sourced opportunities closed in the window,
    the population of the window's win rate and average deal.)

    Returns
    -------
    tuple of ndarray
        ``(lost, decided)``, one count per row of ``funnel``.
    """
    steps = journeys.steps
    left_at = steps["entered_at"] + pd.to_timedelta(steps["duration_days"], unit="D")
    in_window = left_at.between(pd.Timestamp(window_start), pd.Timestamp(journeys.as_of))
    decided = in_window & steps["outcome"].isin(["advanced", "exited"])
    lost = in_window & steps["outcome"].eq("exited")
    stage = steps["stage"].astype(str)
    names = funnel["from"].astype(str)
    count = lambda mask: stage[mask].value_counts().reindex(names, fill_value=0)  # noqa: E731
    return count(lost).to_numpy(float), count(decided).to_numpy(float)


def build_midpoint(
    engagement: Engagement,
    journeys: Journeys | None = None,
    *,
    confidence_level: float = 0.95,
    cohort_stage: str | None = None,
    cohort_months: int = 12,
    benchmarks: pd.DataFrame | None = None,
) -> MidpointReport:
    """Compute every figure of the mid-point report.

    Parameters
    ----------
    engagement : Engagement
    journeys : Journeys, optional
        Built from ``engagement`` when not given.
    confidence_level : float
        Of every interval and band.
    cohort_stage : str, optional
        Stage the cohort heatmap tracks; default ``sql`` (else the last stage).
    cohort_months : int
        Columns of the cohort heatmap (months since entering the funnel).
    benchmarks : DataFrame, optional
        :func:`workbook.intake.benchmarks.load_benchmarks`; the bundled file by default.
    """
    journeys = journeys_for(engagement, journeys)
    kpis = compute_kpis(engagement, journeys, confidence_level=confidence_level)
    stages = journeys.stages
    stage = cohort_stage or ("sql" if "sql" in stages[1:] else stages[-1])
    shape = funnel_shape(kpis.funnel)
    threshold = stuck_threshold_days(engagement, kpis)
    coverage = engagement.coverage
    window_months = engagement.config.window_months
    window_lost, window_decided = window_exits(journeys, kpis.funnel, kpis.window_start)
    src = kpis.by_source
    if (
        len(kpis.funnel)
        and str(kpis.funnel["from"].iloc[-1]) == "opportunity"
        and ("marketing" in src.index)
    ):
        # the step into won counts the KPI window's own opportunities, those its win rate and
        # average deal rest on: marketing-sourced, closed in the window
        closed = float(src.loc["marketing", "closed_count"])
        window_lost[-1] = closed - float(src.loc["marketing", "won_count"])
        window_decided[-1] = closed
    leaks = leak_costs(
        kpis.funnel,
        avg_won_amount=kpis.economics.avg_won_amount,
        window_lost=window_lost,
        window_decided=window_decided,
    )
    leak = leak_to_fix(leaks)
    return MidpointReport(
        kpis=kpis,
        shape=shape,
        glass=shape.attrs["glass"],
        cohort=cohort_conversion(
            journeys,
            to_stage=stage,
            max_months=cohort_months,
            coverage=coverage,
        ),
        cohort_stage=stage,
        lift_by_month=lift_by_month(
            engagement.opportunities, end=engagement.as_of_timestamp, months=2 * window_months
        ),
        benchmarks=compare_to_benchmarks(
            load_benchmarks() if benchmarks is None else benchmarks,
            journeys,
            horizon_days=kpis.horizon_days,
            curves=kpis.curves,
            confidence_level=confidence_level,
        ),
        stuck_opportunities=stuck_opportunities(
            engagement.opportunities,
            as_of=engagement.as_of_timestamp,
            threshold_days=threshold,
        ),
        biggest_leak=None
        if leak is None
        else (str(leak["from"]), str(leak["to"]), float(1.0 - leak["rate"])),
        window_months=window_months,
        assumed=assumed_columns(engagement),
        stuck_threshold_days=threshold,
        coverage=coverage,
        leaks=leaks,
        channel_advice=channel_advice(kpis.channels, attribution_shares(kpis.attribution)),
        hypotheses=baseline_hypotheses(engagement, journeys),
        data_start=_first_lead(journeys),
    )


def _first_lead(journeys: Journeys) -> pd.Timestamp | None:
    """The earliest date a lead entered the funnel; None without leads."""
    first = journeys.steps["entered_at"].min() if len(journeys.steps) else pd.NaT
    return None if pd.isna(first) else pd.Timestamp(first)
