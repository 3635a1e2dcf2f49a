"""The plan: targets and assumptions resolved, phased in time, with pipeline credit and bands."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from workbook.analysis.journeys import Journeys
from workbook.analysis.numbers import read_only
from workbook.analysis.plan.calendar import (
    month_index,
    month_label,
    revenue_schedule,
    reverse_funnel_totals,
)
from workbook.analysis.plan.inputs import PlanInputs, estimate_plan_inputs
from workbook.analysis.plan.lags import lag_kernels, lead_time_months, point_mass_lag_pmf
from workbook.analysis.plan.report import PlanReport
from workbook.analysis.plan.requirement import Requirement, time_phased_requirement
from workbook.analysis.plan.settings import PlanError, PlanSettings, apply_scenario, find_scenario
from workbook.analysis.plan.uncertainty import BAND_QUANTILES, simulate_totals
from workbook.intake.engagement import Engagement
from workbook.intake.keys import CONFIG_FILE
from workbook.intake.problems import Problem

#: First landing month: when this share of the wins of the first new leads has closed.
LANDING_SHARE: float = 0.10


def resolve_assumptions(
    inputs: PlanInputs, settings: PlanSettings
) -> tuple[float, np.ndarray, list[np.ndarray], np.ndarray, dict[str, str]]:
    problems: list[Problem] = []
    sources: dict[str, str] = {}
    where = "assumptions" if settings.scenario is None else f"scenario '{settings.scenario}'"
    if settings.avg_deal_size is not None:
        deal = float(settings.avg_deal_size)
        sources["avg_deal_size"] = "override"
    elif inputs.avg_deal_size is not None:
        deal = inputs.avg_deal_size
        sources["avg_deal_size"] = "data"
    else:
        deal = float("nan")
        problems.append(
            Problem(
                CONFIG_FILE,
                "assumptions.avg_deal_size",
                "no won opportunity to estimate the average deal size from: set "
                "assumptions.avg_deal_size in engagement.yaml",
            )
        )
    rates = np.empty(len(inputs.pairs))
    lags = np.empty(len(inputs.pairs))
    pmfs: list[np.ndarray] = []
    for k, pair in enumerate(inputs.pairs):
        if pair in settings.conversion:
            rates[k] = settings.conversion[pair]
            sources[f"conversion.{pair}"] = "override"
        else:
            rates[k] = inputs.rates[k]
            sources[f"conversion.{pair}"] = "data"
            if not (np.isfinite(rates[k]) and 0 < rates[k] <= 1):
                problems.append(
                    Problem(
                        CONFIG_FILE,
                        f"assumptions.conversion.{pair}",
                        f"the data gives no usable {pair.replace('_', ' to ')} rate "
                        f"({int(inputs.entered[k])} leads entered, none converted within "
                        f"{inputs.horizon_days} days): set assumptions.conversion.{pair} "
                        "in engagement.yaml",
                    )
                )
        if pair in settings.lag_days:
            lags[k] = settings.lag_days[pair]
            pmfs.append(point_mass_lag_pmf(lags[k]))
            sources[f"lag_days.{pair}"] = "override"
        else:
            lags[k] = inputs.median_lag_days[k]
            pmfs.append(inputs.lag_pmfs[k])
            sources[f"lag_days.{pair}"] = "data"
            if len(inputs.lag_pmfs[k]) == 0:
                problems.append(
                    Problem(
                        CONFIG_FILE,
                        f"assumptions.lag_days.{pair}",
                        f"no lead converted {pair.replace('_', ' to ')} in the data, so its "
                        f"lag is unknown: set assumptions.lag_days.{pair} in engagement.yaml",
                    )
                )
    if problems:
        if where != "assumptions":
            problems = [replace(p, message=f"{p.message} (in {where})") for p in problems]
        raise PlanError(problems)
    if inputs.open_without_amount:  # valued at the data's average deal size
        sources["pipeline_amount"] = "avg_deal_size"
    return deal, rates, pmfs, lags, sources


def check_targets(inputs: PlanInputs, settings: PlanSettings) -> tuple[float, int]:
    suffix = "" if settings.scenario is None else f" (scenario '{settings.scenario}')"
    if settings.revenue is None:
        raise PlanError(
            [
                Problem(
                    CONFIG_FILE,
                    "targets.revenue",
                    "missing: the plan starts from the revenue demand marketing must source; "
                    "add it to engagement.yaml, e.g. targets: {revenue: 6000000, "
                    f"period_start: '2027-01', period_months: 12, ramp_months: 3}}{suffix}",
                )
            ]
        )
    if not settings.revenue > 0:
        raise PlanError([Problem(CONFIG_FILE, "targets.revenue", f"must be above 0{suffix}")])
    if settings.period_months < 1:
        raise PlanError(
            [Problem(CONFIG_FILE, "targets.period_months", f"must be at least 1{suffix}")]
        )
    if not 0 <= settings.ramp_months <= settings.period_months:
        raise PlanError(
            [
                Problem(
                    CONFIG_FILE,
                    "targets.ramp_months",
                    f"must be between 0 and period_months ({settings.period_months}){suffix}",
                )
            ]
        )
    start = (
        month_index(settings.period_start)
        if settings.period_start
        else month_index(inputs.as_of) + 1
    )
    return float(settings.revenue), start


def compute_plan(
    inputs: PlanInputs,
    settings: PlanSettings | None = None,
    *,
    simulate: int = 0,
    seed: int | np.random.Generator | None = 7,
    smoothing: float = 0.1,
) -> PlanReport:
    """The plan for given targets and overrides, from inputs estimated once.

    Parameters
    ----------
    inputs : PlanInputs
        :func:`estimate_plan_inputs`.
    settings : PlanSettings, optional
        Default ``inputs.base`` (engagement.yaml's targets and assumptions).
    simulate : int
        Draws of the data-estimated rates for the bands; 0 = no bands.
    seed : int, Generator or None
        Seeds the draws: the same seed gives the same bands.
    smoothing : float
        See :func:`time_phased_requirement`.

    Returns
    -------
    PlanReport

    Raises
    ------
    PlanError
        Missing target, or an assumption neither overridden nor estimable from the data.
    """
    settings = settings or inputs.base
    target, start = check_targets(inputs, settings)
    deal, rates, pmfs, lags, sources = resolve_assumptions(inputs, settings)
    periods = settings.period_months
    revenue_plan = revenue_schedule(target, period_months=periods, ramp_months=settings.ramp_months)
    won_plan = revenue_plan / deal
    totals = reverse_funnel_totals(target / deal, rates)
    requirement = _trim_leading_zeros(
        time_phased_requirement(won_plan, rates, pmfs, smoothing=smoothing)
    )
    lead = requirement.lead_months
    first = start - lead
    n = lead + periods
    months = tuple(month_label(first + i) for i in range(n))
    revenue = np.concatenate((np.zeros(lead), revenue_plan))

    kernels = lag_kernels(pmfs)
    first_new = month_index(inputs.as_of) + 1
    landing = first_new + lead_time_months(kernels[0], coverage=LANDING_SHARE)
    before = np.arange(first, first + n) < first_new
    out_of_reach = float(requirement.required[0][before].sum() / totals[0]) if totals[0] else 0.0

    credit, pipeline_revenue = _pipeline_credit(
        inputs, rates=rates, pmfs=pmfs, deal=deal, first=first, start=start, n=n, periods=periods
    )
    net_totals = None
    if credit is not None:
        remaining = max(0.0, 1.0 - credit["revenue"] / target)
        net_totals = totals * remaining

    bands = revenue_bands = None
    if simulate > 0:
        beta = [
            inputs.beta[k] if sources[f"conversion.{p}"] == "data" else None
            for k, p in enumerate(inputs.pairs)
        ]
        draws = simulate_totals(target / deal, rates, beta, draws=int(simulate), rng=seed)
        low, high = BAND_QUANTILES
        bands = {
            "p10": np.quantile(draws, low, axis=0),
            "p90": np.quantile(draws, high, axis=0),
        }
        # the planned first-stage volumes, pushed through the drawn rates: revenue scales
        # with the product of the rates (the lags do not move)
        ratio = totals[0] / draws[:, 0]
        revenue_bands = {
            "p10": revenue * np.quantile(ratio, low),
            "p90": revenue * np.quantile(ratio, high),
        }

    run_rate = np.array(inputs.run_rate, dtype=float)
    read_only(
        totals,
        revenue,
        rates,
        lags,
        pipeline_revenue,
        run_rate,
        net_totals,
        *(bands or {}).values(),
        *(revenue_bands or {}).values(),
    )
    return PlanReport(
        stages=inputs.stages,
        months=months,
        required=requirement.required,
        gross=requirement.gross,
        totals=totals,
        revenue=revenue,
        period_start=month_label(start),
        period_months=periods,
        ramp_months=settings.ramp_months,
        lead_months=lead,
        avg_deal_size=deal,
        conversion=rates,
        lag_days=lags,
        sources=sources,
        first_landing_month=month_label(landing),
        first_new_month=month_label(first_new),
        out_of_reach_share=out_of_reach,
        pipeline_credit=credit,
        pipeline_revenue=pipeline_revenue,
        net_totals=net_totals,
        bands=bands,
        revenue_bands=revenue_bands,
        run_rate=run_rate,
        fit_error_share=requirement.fit_error_share,
        scenario=settings.scenario,
    )


def _trim_leading_zeros(requirement: Requirement) -> Requirement:
    """Drop grid months before the first volume, keeping one empty month in front."""
    volume = np.maximum(requirement.gross, requirement.required).max(axis=0)
    busy = np.flatnonzero(volume > 1e-9 * volume.max())
    cut = max(int(busy[0]) - 1, 0) if len(busy) else 0
    if cut == 0:
        return requirement
    arrays = [
        a[:, cut:].copy()
        for a in (requirement.gross, requirement.required, requirement.in_plan_share)
    ]
    read_only(*arrays)
    return replace(
        requirement,
        gross=arrays[0],
        required=arrays[1],
        in_plan_share=arrays[2],
        lead_months=requirement.lead_months - cut,
    )


def _pipeline_credit(
    inputs: PlanInputs,
    *,
    rates: np.ndarray,
    pmfs: list[np.ndarray],
    deal: float,
    first: int,
    start: int,
    n: int,
    periods: int,
) -> tuple[dict[str, float] | None, np.ndarray]:
    """Expected wins and revenue in the plan months from the pipeline open at ``as_of``."""
    by_month = np.zeros(n)
    if int(inputs.open_counts.sum()) == 0:
        return None, by_month
    kernels = lag_kernels(pmfs)
    suffix = np.concatenate((np.cumprod(rates[::-1])[::-1], [1.0]))
    as_of_month = month_index(inputs.as_of)
    wins_total = np.zeros(0)
    money_total = np.zeros(0)
    for k in range(len(inputs.pairs)):
        data_rate = inputs.rates[k]
        scale = rates[k] / data_rate if data_rate > 0 else 0.0
        downstream = kernels[k + 1] * suffix[k + 1]
        wins = np.convolve(inputs.landing_count[k] * scale, downstream)
        if inputs.stages[k] == "opportunity":  # open deals: their amounts
            money = inputs.landing_amount[k] * scale
            if inputs.landing_unpriced:  # open deals without an amount: the plan's deal size
                money = _add(money, inputs.landing_unpriced[k] * scale * deal)
        else:
            money = wins * deal
        wins_total = _add(wins_total, wins)
        money_total = _add(money_total, money)
    offsets = as_of_month + np.arange(len(wins_total))
    in_period = (offsets >= start) & (offsets < start + periods)
    grid = offsets - first
    inside = (grid >= 0) & (grid < n)
    np.add.at(by_month, grid[inside & in_period], money_total[inside & in_period])
    credit = {
        "revenue": float(money_total[in_period].sum()),
        "won": float(wins_total[in_period].sum()),
    }
    return credit, by_month


def _add(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.zeros(max(len(a), len(b)))
    out[: len(a)] += a
    out[: len(b)] += b
    return out


def build_plan(
    engagement: Engagement,
    journeys: Journeys | None = None,
    *,
    scenario: str | None = None,
    simulate: int = 0,
    seed: int = 7,
) -> PlanReport:
    """The reverse-funnel plan of an engagement (``workbook plan``).

    Parameters
    ----------
    engagement, journeys
        As :func:`~workbook.analysis.journeys.journeys_for`.
    scenario : str, optional
        Name of a ``scenarios:`` entry whose overrides apply on top of engagement.yaml's.
    simulate : int
        Draws for the ``bands`` (0: none).
    seed : int
        Seed of the draws.

    Returns
    -------
    PlanReport
        ``to_dict()`` is the contract's ``plan --json`` object.

    Raises
    ------
    PlanError
        Missing target, unknown scenario, or an assumption the data cannot give and
        engagement.yaml does not override.

    See Also
    --------
    estimate_plan_inputs, compute_plan : the two halves, for repeated plans.
    """
    inputs = estimate_plan_inputs(engagement, journeys)
    settings = inputs.base
    if scenario:
        settings = apply_scenario(settings, find_scenario(inputs.scenarios, scenario))
    return compute_plan(inputs, settings, simulate=simulate, seed=seed)


__all__ = ["LANDING_SHARE", "build_plan", "check_targets", "compute_plan", "resolve_assumptions"]
