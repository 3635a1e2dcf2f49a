"""Everything the plan reads from the data, estimated once: rates, lags, deal size, pipeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook.analysis.baseline import stage_run_rate
from workbook.analysis.journeys import Journeys, journeys_for
from workbook.analysis.kpis import funnel_rates, stage_curves
from workbook.analysis.numbers import read_only
from workbook.analysis.plan.lags import monthly_lag_pmf
from workbook.analysis.plan.pipeline import open_pipeline_landing
from workbook.analysis.plan.settings import PlanSettings, plan_settings
from workbook.analysis.plan.uncertainty import beta_parameters
from workbook.analysis.survival import CumulativeIncidence
from workbook.intake.coverage import DataCoverage, covered_months, stage_files
from workbook.intake.engagement import Engagement
from workbook.intake.sections.scenarios import Scenario

#: Months of history averaged for today's run-rate.
RUN_RATE_MONTHS: int = 6


@dataclass(frozen=True)
class PlanInputs:
    """Everything the plan reads from the data, estimated once (the slow part).

    :func:`compute_plan` turns these plus :class:`PlanSettings` into a plan in about a
    millisecond, which is what the playground's sliders call.

    Attributes
    ----------
    stages : tuple of str
    pairs : tuple of str
        ``<from>_<to>`` keys.
    as_of : datetime.date
    horizon_days : int
    rates : numpy.ndarray, shape (S - 1,)
        Data conversion rates (``funnel_rates``' ``rate``; NaN where no lead entered).
    beta : tuple
        Beta parameters per pair (:func:`beta_parameters`) or None.
    lag_pmfs : tuple
        Data monthly lag pmf per pair (empty where nothing converted).
    median_lag_days : numpy.ndarray, shape (S - 1,)
        ``funnel_rates``' ``median_days`` (NaN where nothing converted).
    entered : numpy.ndarray of int, shape (S - 1,)
    avg_deal_size : float or None
        Mean won amount of marketing-sourced wins in the KPI window (falls back to every
        win in the window, then every win to ``as_of``); None without any win.
    deal_size_sd : float
        Standard deviation of those amounts; ``deal_size_count`` how many.
    deal_size_basis : str
        ``marketing_window``, ``all_window``, ``all`` or ``none``.
    run_rate : numpy.ndarray, shape (S,)
        Marketing-sourced leads entering each stage per month, mean of the last
        :data:`RUN_RATE_MONTHS` complete months to ``as_of`` that the data covers
        (:func:`~workbook.analysis.baseline.stage_run_rate`); NaN without any.
    landing_count, landing_amount : tuple of numpy.ndarray
        Per pair, the open marketing-sourced pipeline's expected conversions to the next
        stage by calendar month from ``as_of`` (:func:`open_pipeline_landing`). The
        ``opportunity -> won`` step (when the ladder has it) counts the open opportunities
        and carries their amounts; every lead stage (``[mql, won]``'s ``mql`` included)
        counts the leads open in it, with zero amounts (the plan values them at its deal
        size).
    open_without_amount : int
        Open opportunities without an amount in the pipeline credit, valued at the plan's
        average deal size (``avg_deal_size``: the data's, or engagement.yaml's when set);
        0 without an ``opportunity`` stage (no opportunity is credited as such then).
    landing_unpriced : tuple of numpy.ndarray
        Per pair, the expected wins by month of those open opportunities without an amount
        (``landing_amount`` leaves them out; the plan values them at its deal size). Empty
        tuple: none.
    open_counts : numpy.ndarray of int, shape (S - 1,)
        Per stage before won, the open marketing-sourced journeys credited from it: open
        opportunities at ``opportunity``, open leads at each lead stage.
    run_rate_months : tuple of str or None
        First and last month (``YYYY-MM``) the first stage's run-rate averages, when a file
        it reads stops early or starts late (the reports name them); None otherwise.
    base : PlanSettings
        engagement.yaml's targets and assumptions.
    scenarios : tuple of Scenario
        engagement.yaml's ``scenarios:``.
    """

    stages: tuple[str, ...]
    pairs: tuple[str, ...]
    as_of: dt.date
    horizon_days: int
    rates: np.ndarray
    beta: tuple[tuple[float, float] | None, ...]
    lag_pmfs: tuple[np.ndarray, ...]
    median_lag_days: np.ndarray
    entered: np.ndarray
    avg_deal_size: float | None
    deal_size_sd: float
    deal_size_count: int
    deal_size_basis: str
    run_rate: np.ndarray
    landing_count: tuple[np.ndarray, ...]
    landing_amount: tuple[np.ndarray, ...]
    open_counts: np.ndarray
    base: PlanSettings
    scenarios: tuple[Scenario, ...]
    open_without_amount: int = 0
    landing_unpriced: tuple[np.ndarray, ...] = ()
    run_rate_months: tuple[str, str] | None = None

    @property
    def open_opportunities(self) -> int:
        """Open opportunities credited (0 when the ladder has no ``opportunity`` stage)."""
        if "opportunity" not in self.stages:
            return 0
        return int(self.open_counts[self.stages.index("opportunity")])

    @property
    def open_leads(self) -> int:
        """Open leads credited, summed over the lead stages."""
        return int(self.open_counts.sum()) - self.open_opportunities


def _deal_size_estimate(engagement: Engagement) -> tuple[float | None, float, int, str]:
    opps = engagement.opportunities
    as_of = engagement.as_of_timestamp
    won = opps.loc[
        (opps["status"] == "won") & opps["closed_at"].notna() & (opps["closed_at"] <= as_of)
    ]
    in_window = won["closed_at"] >= engagement.window_start
    marketing = won["sourced_by"] == "marketing"
    for basis, mask in (
        ("marketing_window", in_window & marketing),
        ("all_window", in_window),
        ("all", pd.Series(True, index=won.index)),
    ):
        amounts = won.loc[mask, "amount"].to_numpy(float)
        if len(amounts):
            sd = float(amounts.std(ddof=1)) if len(amounts) > 1 else 0.0
            return float(amounts.mean()), sd, len(amounts), basis
    return None, 0.0, 0, "none"


def _standard_error_at(cif: CumulativeIncidence, t_days: float) -> float:
    index = int(np.searchsorted(cif.time_days, t_days, side="right")) - 1
    return float(cif.standard_error[max(index, 0)])


def estimate_plan_inputs(
    engagement: Engagement,
    journeys: Journeys | None = None,
    *,
    curves: Mapping[tuple[str, str], CumulativeIncidence] | None = None,
    run_rate_months: int = RUN_RATE_MONTHS,
) -> PlanInputs:
    """Estimate from the data everything the plan needs (rates, lags, deal size, pipeline).

    Parameters
    ----------
    engagement, journeys
        As :func:`~workbook.analysis.journeys.journeys_for`.
    curves : mapping, optional
        :func:`workbook.analysis.kpis.stage_curves` already computed.
    run_rate_months : int
        Complete months averaged for today's run-rate.

    Returns
    -------
    PlanInputs
    """
    config = engagement.config
    journeys = journeys_for(engagement, journeys)
    curves = dict(curves) if curves is not None else stage_curves(journeys)
    horizon = config.horizon_days
    table = funnel_rates(journeys, horizon_days=horizon, curves=curves)
    stages = tuple(config.stages)
    pairs = config.stage_pairs
    rates = table["rate"].to_numpy(float)
    entered = table["entered"].to_numpy(np.int64)
    medians = table["median_days"].to_numpy(float)

    beta: list[tuple[float, float] | None] = []
    pmfs: list[np.ndarray] = []
    landing_count: list[np.ndarray] = []
    landing_amount: list[np.ndarray] = []
    open_counts = np.zeros(len(pairs), dtype=np.int64)
    steps = journeys.steps
    marketing_leads = (journeys.leads["sourced_by"].fillna("marketing") == "marketing").to_numpy(
        bool
    )
    opps = engagement.opportunities
    as_of_ts = engagement.as_of_timestamp
    open_opps = opps.loc[
        (opps["sourced_by"] == "marketing")
        & (opps["created_at"] <= as_of_ts)
        & ((opps["status"] == "open") | (opps["closed_at"] > as_of_ts))
    ]
    deal, deal_sd, deal_n, deal_basis = _deal_size_estimate(engagement)
    # an open opportunity without an amount lands apart (landing_unpriced): the plan values
    # it at its average deal size, which the data may not give (no won deal)
    open_amounts = open_opps["amount"].to_numpy(float)
    no_amount = np.isnan(open_amounts)
    open_amounts = np.where(no_amount, 0.0, open_amounts)
    landing_unpriced: list[np.ndarray] = []
    for k, (a, b) in enumerate(zip(stages[:-1], stages[1:], strict=True)):
        cif = curves.get((a, b))
        if cif is None:
            beta.append(None)
            pmfs.append(np.zeros(0))
            landing_count.append(np.zeros(1))
            landing_amount.append(np.zeros(1))
            landing_unpriced.append(np.zeros(1))
            continue
        beta.append(beta_parameters(rates[k], _standard_error_at(cif, horizon), int(entered[k])))
        pmfs.append(monthly_lag_pmf(cif.time_days, cif.incidence, horizon_days=horizon))
        if a == "opportunity":  # the open deals themselves, with their amounts
            ages = ((as_of_ts - open_opps["created_at"]).dt.days).to_numpy(float)
            amounts = open_amounts
            unpriced = no_amount.astype(float)
        else:  # the leads open at this lead stage ([mql, won]: the open MQLs)
            step = steps.loc[(steps["stage"] == a) & (steps["event"] == 0)]
            step = step.loc[marketing_leads[step["lead_index"].to_numpy()]]
            ages = step["duration_days"].to_numpy(float)
            amounts = np.zeros(len(ages))
            unpriced = np.zeros(len(ages))
        open_counts[k] = len(ages)
        landing_count.append(
            open_pipeline_landing(
                cif, ages, np.ones(len(ages)), horizon_days=horizon, as_of=engagement.as_of
            )
        )
        landing_amount.append(
            open_pipeline_landing(cif, ages, amounts, horizon_days=horizon, as_of=engagement.as_of)
        )
        landing_unpriced.append(
            open_pipeline_landing(cif, ages, unpriced, horizon_days=horizon, as_of=engagement.as_of)
        )

    coverage = engagement.coverage
    run_rate = stage_run_rate(journeys, months=run_rate_months, coverage=coverage)
    landings = (*landing_count, *landing_amount, *landing_unpriced)
    read_only(rates, entered, medians, open_counts, run_rate, *pmfs, *landings)
    return PlanInputs(
        stages=stages,
        pairs=pairs,
        as_of=engagement.as_of,
        horizon_days=horizon,
        rates=rates,
        beta=tuple(beta),
        lag_pmfs=tuple(pmfs),
        median_lag_days=medians,
        entered=entered,
        avg_deal_size=deal,
        deal_size_sd=deal_sd,
        deal_size_count=deal_n,
        deal_size_basis=deal_basis,
        run_rate=run_rate,
        landing_count=tuple(landing_count),
        landing_amount=tuple(landing_amount),
        open_counts=open_counts,
        base=plan_settings(config),
        scenarios=config.scenarios,
        open_without_amount=int(no_amount.sum()) if "opportunity" in stages else 0,
        landing_unpriced=tuple(landing_unpriced),
        run_rate_months=_run_rate_months(coverage, stages, as_of=as_of_ts, months=run_rate_months),
    )


def _run_rate_months(
    coverage: DataCoverage, stages: tuple[str, ...], *, as_of: pd.Timestamp, months: int
) -> tuple[str, str] | None:
    """The months the first stage's run-rate averages, when its files' coverage is limited.

    The window of :func:`~workbook.analysis.baseline.stage_run_rate`: the last ``months``
    complete months to ``as_of`` that the files the stage reads cover.
    """
    stems = stage_files(stages[0], stages)
    if not any(cover is not None and cover.limited for cover in map(coverage.get, stems)):
        return None
    last = as_of.to_period("M")
    if as_of.normalize() != last.to_timestamp(how="end").normalize():
        last = last - 1  # as_of's month is not complete
    covered = covered_months(coverage, stems, complete=True)
    window = covered[covered <= last][-months:]
    return (str(window[0]), str(window[-1])) if len(window) else None


__all__ = ["RUN_RATE_MONTHS", "PlanInputs", "estimate_plan_inputs"]
