"""The quantitative model: a time-phased reverse-funnel plan over the stage lag distributions.

From the revenue target, work backwards: won deals = revenue / average deal size, and each
earlier stage's total = the next stage's total / the conversion rate between them (the
"inverted funnel" of the strategy). Then phase it in time: a lead entering a stage in month
``m`` reaches the next stage spread over the following months according to the lag
distribution estimated from the data, so the monthly schedule is found by working back
through those distributions (a non-negative deconvolution).

The model, in the order :func:`compute_plan` applies it
-------------------------------------------------------
1. **Revenue schedule** (:func:`revenue_schedule`): ``targets.period_months`` months from
   ``targets.period_start``; month ``i`` (0-based) of the ramp runs at ``(i + 1) /
   (ramp_months + 1)`` of the full run-rate, full run-rate from month ``ramp_months`` on
   (a linear ramp; ``ramp_months = 0`` is flat). Scaled to sum exactly to the target.
2. **Totals** (:func:`reverse_funnel_totals`): ``won = revenue / avg_deal_size``, each earlier
   stage ``= next / rate``. Rates: an ``assumptions.conversion`` override wins, else the
   censoring-aware ``rate`` of :func:`workbook.analysis.kpis.funnel_rates` (within ``horizon_days``).
3. **Lag distributions** (:func:`monthly_lag_pmf`): for each stage pair, the time to convert
   among leads converting within the horizon, ``pmf(t) = dCIF(t) / CIF(horizon)``, binned to
   months assuming entries spread evenly over their month: a lag of ``x`` months (``x = days /
   30.4375``) lands ``1 - frac(x)`` in month ``floor(x)`` after entry and ``frac(x)`` one month
   later. An ``assumptions.lag_days`` override is a point mass at that many days.
   Conversions after ``horizon_days`` are not in the rate, so they are not in the lag
   distribution either: the pmf sums to 1 and nothing is truncated there.
4. **Schedule** (:func:`time_phased_requirement`): the leads entering the first stage each
   month are the one decision; every later stage follows from them through the lags and rates.
   They are found by non-negative least squares (:func:`scipy.optimize.nnls`) so that the
   won deals of every plan month match the revenue schedule, regularised towards the
   lag-shifted target (which makes a pure shift exact and keeps volumes from oscillating).
   The grid starts ``lead_months`` before ``period_start``: the 99th percentile of the
   summed stage lags (first stage to won), so the first planned wins have their leads;
   ``months`` then drops the leading months where nothing is needed, keeping one.
5. **Required vs gross**: a lead entering a stage in month ``m`` serves the plan only when its
   eventual win lands inside the plan period; the share of its wins that does is
   ``in_plan_share[m]``. ``required[stage][m] = gross[stage][m] * in_plan_share[m]`` is the
   plan's own cohort: it sums exactly to ``totals[stage]`` (the deconvolved volumes are
   rescaled so that the period's expected wins equal ``totals.won``). ``gross`` is what must
   enter that month for the plan to hold *and* the funnel to keep running after it; the
   difference (``carry_over``) is next period's pipeline. ``required.won`` is the revenue
   schedule divided by the deal size.

What a CMO asks first: :attr:`PlanReport.first_landing_month` (the month by which 10% of the
wins of new leads entering the funnel the month after ``as_of`` have closed),
:attr:`PlanReport.out_of_reach_share` (the share of the plan's first-stage cohort that should
have entered before that month), :attr:`PlanReport.pipeline_credit` (expected won revenue in
the plan period from marketing-sourced leads and opportunities still open at ``as_of``,
each weighted by its conditional probability of converting given its age,
:func:`conditional_conversion_probability`) and the gap against today's run-rate
(:meth:`PlanReport.schedule_frame`).

``scenarios:`` in engagement.yaml (:func:`parse_scenarios`) is a list of named overrides::

    scenarios:
      - name: conservative            # required, unique
        description: Lower win rate   # optional text
        targets: {revenue: 5000000, ramp_months: 6}     # revenue, period_start, period_months, ramp_months
        assumptions:                                    # as the top-level assumptions: section
          avg_deal_size: 42000
          conversion: {opportunity_won: 0.22}
          lag_days: {opportunity_won: 90}
        budget: {mix: {webinar: 0.6, events: 0.4}}     # as the top-level budget: section

A scenario starts from engagement.yaml's targets and assumptions and overrides only what it
names.

See Also
--------
workbook.analysis.kpis.funnel_rates : the rates used.
workbook.analysis.kpis.stage_curves : the cumulative incidence curves the lags come from.
workbook.analysis.budget : the budget, CAC and LTV:CAC the plan implies.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from workbook.analysis.journeys import Journeys, build_journeys
from workbook.analysis.kpis import funnel_rates, stage_curves
from workbook.analysis.survival import CumulativeIncidence
from workbook.intake.config import (
    CONFIG_FILE,
    EngagementConfig,
    closest_key,
    pair_overrides,
    unknown_key_problem,
)
from workbook.intake.engagement import Engagement
from workbook.intake.problems import Problem

__all__ = [
    "DAYS_PER_MONTH",
    "PlanError",
    "PlanInputs",
    "PlanReport",
    "PlanSettings",
    "Requirement",
    "Scenario",
    "all_cause_survival",
    "apply_scenario",
    "beta_parameters",
    "build_plan",
    "compare_scenarios",
    "compute_plan",
    "conditional_conversion_probability",
    "estimate_plan_inputs",
    "lag_kernels",
    "lead_time_months",
    "month_label",
    "monthly_lag_pmf",
    "open_pipeline_landing",
    "parse_scenarios",
    "plan_settings",
    "point_mass_lag_pmf",
    "ramp_weights",
    "revenue_schedule",
    "reverse_funnel_totals",
    "simulate_totals",
    "time_phased_requirement",
    "tornado",
]

#: Average days in a calendar month (365.25 / 12).
DAYS_PER_MONTH: float = 365.25 / 12
#: ``months`` reaches back far enough to hold this share of the first-stage-to-won lag.
LEAD_TIME_COVERAGE: float = 0.99
#: First landing month: when this share of the wins of the first new leads has closed.
LANDING_SHARE: float = 0.10
#: Months of history averaged for today's run-rate.
RUN_RATE_MONTHS: int = 6
#: Swing applied to an overridden assumption in the tornado (relative, +/-).
OVERRIDE_SWING: float = 0.10
#: Central interval of the bands and the tornado: 10th and 90th percentiles.
BAND_QUANTILES: tuple[float, float] = (0.10, 0.90)

_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
SCENARIO_KEYS: tuple[str, ...] = ("name", "description", "targets", "assumptions", "budget")
SCENARIO_TARGET_KEYS: tuple[str, ...] = ("revenue", "period_start", "period_months", "ramp_months")
SCENARIO_ASSUMPTION_KEYS: tuple[str, ...] = ("avg_deal_size", "conversion", "lag_days")


class PlanError(ValueError):
    """The plan cannot be computed from these inputs; the message says how to fix it.

    Attributes
    ----------
    problems : tuple of Problem
        One per thing to fix, each naming ``engagement.yaml`` and the key concerned.
    """

    def __init__(self, problems: Sequence[Problem] | str):
        if isinstance(problems, str):
            problems = (Problem(CONFIG_FILE, None, problems),)
        self.problems = tuple(problems)
        super().__init__("; ".join(p.describe() for p in self.problems))


# --- months --------------------------------------------------------------------------------


def month_index(value: str | dt.date | pd.Timestamp) -> int:
    """``2027-01`` -> ``2027 * 12 + 0``: months as consecutive integers."""
    if isinstance(value, str):
        year, month = value.split("-")[:2]
        return int(year) * 12 + int(month) - 1
    return value.year * 12 + value.month - 1


def month_label(index: int) -> str:
    """The ``YYYY-MM`` string of a month index (inverse of :func:`month_index`).

    Examples
    --------
    >>> month_label(2027 * 12)
    '2027-01'
    """
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _month_start(index: int) -> pd.Timestamp:
    return pd.Timestamp(year=index // 12, month=index % 12 + 1, day=1)


# --- pure building blocks ------------------------------------------------------------------


def ramp_weights(period_months: int, ramp_months: int) -> np.ndarray:
    """Relative run-rate of each plan month under a linear ramp.

    Parameters
    ----------
    period_months : int
        Months in the plan, >= 1.
    ramp_months : int
        Months before full run-rate, 0..period_months (0 = flat).

    Returns
    -------
    numpy.ndarray of float, shape (period_months,)
        ``min((i + 1) / (ramp_months + 1), 1)`` for month ``i`` (0-based).

    Examples
    --------
    >>> ramp_weights(6, 3).tolist()
    [0.25, 0.5, 0.75, 1.0, 1.0, 1.0]
    """
    if period_months < 1:
        raise ValueError(f"period_months must be >= 1, got {period_months}")
    if not 0 <= ramp_months <= period_months:
        raise ValueError(f"ramp_months must be in 0..{period_months}, got {ramp_months}")
    months = np.arange(1, period_months + 1, dtype=float)
    return np.minimum(months / (ramp_months + 1), 1.0)


def revenue_schedule(revenue: float, *, period_months: int, ramp_months: int = 0) -> np.ndarray:
    """Planned won revenue per month: a linear ramp summing exactly to ``revenue``.

    Parameters
    ----------
    revenue : float
        The period's target, in the engagement's currency, > 0.
    period_months, ramp_months : int
        See :func:`ramp_weights`.

    Returns
    -------
    numpy.ndarray of float, shape (period_months,)
        Money per month; the last month absorbs the rounding so the sum is exact.

    Examples
    --------
    >>> revenue_schedule(1400.0, period_months=4, ramp_months=1).tolist()
    [200.0, 400.0, 400.0, 400.0]
    """
    weights = ramp_weights(period_months, ramp_months)
    schedule = revenue * weights / weights.sum()
    schedule[-1] = revenue - math.fsum(schedule[:-1])
    return schedule


def reverse_funnel_totals(won_count: float, conversion_rates: Sequence[float]) -> np.ndarray:
    """Work back from won deals through the stage conversion rates.

    Parameters
    ----------
    won_count : float
        Deals to win (revenue / average deal size).
    conversion_rates : sequence of float, length S - 1
        Rate of each adjacent stage pair, first stage first, each in (0, 1].

    Returns
    -------
    numpy.ndarray of float, shape (S,)
        Leads that must enter each stage, first stage first; the last is ``won_count``.

    Examples
    --------
    2,000,000 of revenue at 75,000 a deal, 20% of SQLs won:

    >>> reverse_funnel_totals(2_000_000 / 75_000, [0.20]).round(2).tolist()
    [133.33, 26.67]
    """
    rates = np.asarray(conversion_rates, dtype=float)
    if np.any(~np.isfinite(rates)) or np.any(rates <= 0) or np.any(rates > 1):
        raise ValueError(f"conversion rates must be in (0, 1], got {rates.tolist()}")
    suffix = np.cumprod(rates[::-1])[::-1]  # product of the rates from each stage to won
    return float(won_count) / np.concatenate((suffix, [1.0]))


def monthly_lag_pmf(
    time_days: np.ndarray, incidence: np.ndarray, *, horizon_days: float
) -> np.ndarray:
    """Monthly distribution of the time to convert, among leads converting within the horizon.

    Parameters
    ----------
    time_days, incidence : numpy.ndarray, shape (m,)
        A cumulative incidence step function (:class:`~workbook.analysis.survival.CumulativeIncidence`).
    horizon_days : float
        Conversions after this many days are not counted (they are not in the rate either).

    Returns
    -------
    numpy.ndarray of float, shape (k,)
        ``pmf[d]``: probability that a converting lead entering in some month converts
        ``d`` months later, with entries spread evenly over their month (a lag of ``x``
        months puts ``1 - frac(x)`` in month ``floor(x)``, ``frac(x)`` in the next). Sums
        to 1; empty when nothing converts within the horizon.

    Examples
    --------
    Half convert after 0 days, half after 45.65625 days (1.5 months):

    >>> monthly_lag_pmf(np.array([0.0, 45.65625]), np.array([0.3, 0.6]), horizon_days=365).tolist()
    [0.5, 0.25, 0.25]
    """
    time_days = np.asarray(time_days, dtype=float)
    incidence = np.asarray(incidence, dtype=float)
    keep = time_days <= horizon_days
    jumps = np.diff(np.concatenate(([0.0], incidence[keep])))
    total = jumps.sum()
    if not total > 0:
        return np.zeros(0)
    return _bin_lags(time_days[keep], jumps / total)


def _bin_lags(lag_days: np.ndarray, mass: np.ndarray) -> np.ndarray:
    months = np.asarray(lag_days, dtype=float) / DAYS_PER_MONTH
    whole = np.floor(months).astype(np.int64)
    frac = months - whole
    pmf = np.bincount(whole, weights=mass * (1.0 - frac), minlength=int(whole.max()) + 2)
    pmf += np.bincount(whole + 1, weights=mass * frac, minlength=len(pmf))
    last = np.flatnonzero(pmf > 0)
    return pmf[: last[-1] + 1] if len(last) else pmf[:1]


def point_mass_lag_pmf(lag_days: float) -> np.ndarray:
    """Monthly pmf of a fixed lag (an ``assumptions.lag_days`` override).

    Examples
    --------
    >>> point_mass_lag_pmf(0).tolist(), point_mass_lag_pmf(DAYS_PER_MONTH).tolist()
    ([1.0], [0.0, 1.0])
    """
    if not lag_days >= 0:
        raise ValueError(f"lag_days must be >= 0, got {lag_days}")
    return _bin_lags(np.array([float(lag_days)]), np.array([1.0]))


def lag_kernels(lag_pmfs: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Distribution of the summed lags from each stage to the last one.

    Parameters
    ----------
    lag_pmfs : sequence of numpy.ndarray, length S - 1
        Monthly lag pmf of each adjacent stage pair.

    Returns
    -------
    list of numpy.ndarray, length S
        ``kernels[s]``: pmf of the months from entering stage ``s`` to entering the last
        stage, among leads that get there; ``kernels[-1] == [1.0]``.
    """
    kernels = [np.array([1.0])]
    for pmf in reversed(lag_pmfs):
        kernels.append(np.convolve(pmf, kernels[-1]))
    return kernels[::-1]


def lead_time_months(kernel: np.ndarray, *, coverage: float = LEAD_TIME_COVERAGE) -> int:
    """Months of lead time that hold ``coverage`` of a lag distribution.

    Examples
    --------
    >>> lead_time_months(np.array([0.0, 0.5, 0.495, 0.005]))
    2
    """
    cumulative = np.cumsum(kernel)
    return int(np.searchsorted(cumulative, coverage * cumulative[-1] - 1e-12))


@dataclass(frozen=True)
class Requirement:
    """A time-phased requirement on a month grid (see :func:`time_phased_requirement`).

    Attributes
    ----------
    gross : numpy.ndarray, shape (S, n)
        Leads that must enter each stage each month for the plan to hold and the funnel to
        keep running after it; the last row is the won schedule itself.
    required : numpy.ndarray, shape (S, n)
        The plan's own cohort: ``gross * in_plan_share``; row ``s`` sums to the stage's total.
    in_plan_share : numpy.ndarray, shape (S, n)
        Share of the wins of a lead entering stage ``s`` in month ``m`` that land inside the
        plan period.
    lead_months : int
        Months of the grid before the first plan month.
    fit_error_share : float
        Largest monthly gap between the wins the volumes produce and the schedule, as a
        share of the largest planned month (0 for a pure shift).
    """

    gross: np.ndarray
    required: np.ndarray
    in_plan_share: np.ndarray
    lead_months: int
    fit_error_share: float


def time_phased_requirement(
    won_by_month: np.ndarray,
    conversion_rates: Sequence[float],
    lag_pmfs: Sequence[np.ndarray],
    *,
    lead_months: int | None = None,
    smoothing: float = 0.1,
) -> Requirement:
    r"""Monthly volumes per stage that deliver a schedule of won deals, through lag distributions.

    Parameters
    ----------
    won_by_month : numpy.ndarray, shape (P,)
        Deals to win in each plan month (>= 0, not all 0).
    conversion_rates : sequence of float, length S - 1
        Rate of each adjacent stage pair, in (0, 1].
    lag_pmfs : sequence of numpy.ndarray, length S - 1
        Monthly lag pmf of each pair (:func:`monthly_lag_pmf`, :func:`point_mass_lag_pmf`).
    lead_months : int, optional
        Months before the plan the grid starts; default :func:`lead_time_months` of the
        first-stage-to-won lag.
    smoothing : float
        Weight of the pull towards the lag-shifted target (relative to the fit).

    Returns
    -------
    Requirement
        On a grid of ``lead_months + P`` months, the plan period last.

    Notes
    -----
    With :math:`K` the first-stage-to-won lag pmf and :math:`R` the product of the rates,
    the wins of month :math:`t` are :math:`R \sum_d K_d x_{t-d}` for first-stage entries
    :math:`x \ge 0`. :math:`x` minimises

    .. math:: \lVert R (K * x) - y \rVert^2 + \lambda^2 \lVert x - \tilde x \rVert^2,

    over the plan months, where :math:`\tilde x_m = \sum_d K_d \, y_{m+d} / R` is the target
    shifted back by the lag (``y`` continued at its last month's level after the plan, the
    funnel running continuously, and its first ramp step continued backwards until it
    reaches 0 before it) and :math:`\lambda` is ``smoothing`` (both terms scaled to the
    largest planned month). A pure shift is reproduced exactly; a spread lag with a
    steep ramp is matched within ``fit_error_share``. Later stages follow by convolving
    with each pair's pmf and rate. Finally all volumes are rescaled so that the expected
    wins inside the plan equal ``sum(y)``, which makes each ``required`` row sum to the
    reverse-funnel total exactly.
    """
    y = np.asarray(won_by_month, dtype=float)
    rates = np.asarray(conversion_rates, dtype=float)
    if len(lag_pmfs) != len(rates):
        raise ValueError("one lag pmf per conversion rate")
    if y.ndim != 1 or len(y) == 0 or np.any(y < 0) or not y.sum() > 0:
        raise ValueError("won_by_month must be non-negative with a positive sum")
    kernels = lag_kernels(lag_pmfs)
    suffix = np.concatenate((np.cumprod(rates[::-1])[::-1], [1.0]))
    lead = lead_time_months(kernels[0]) if lead_months is None else int(lead_months)
    periods = len(y)
    n = lead + periods

    from scipy import linalg, optimize  # when first needed: scipy's import is slow

    kernel0 = kernels[0]
    column = np.zeros(n)
    column[: min(n, len(kernel0))] = kernel0[:n]
    conv = linalg.toeplitz(column, np.zeros(n))  # (n, n): conv @ x = K * x on the grid
    fit_rows = conv[lead:]
    scale = y.max()
    slope = y[1] - y[0] if periods > 1 else 0.0
    before = np.maximum(y[0] - slope * np.arange(lead, 0, -1), 0.0)  # the ramp continued back
    extended = np.concatenate((before, y, np.full(len(kernel0), y[-1])))
    shifted = np.lib.stride_tricks.sliding_window_view(extended, len(kernel0))[:n] @ kernel0
    design = np.vstack((fit_rows, smoothing * np.eye(n)))
    target = np.concatenate((y, smoothing * shifted)) / scale
    solution, _ = optimize.nnls(design, target)
    produced = fit_rows @ solution * scale  # wins per plan month, in units of R * x
    fit_error = float(np.abs(produced - y).max() / scale)
    entries = solution * scale * (y.sum() / produced.sum()) / suffix[0]

    stages = len(rates) + 1
    gross = np.zeros((stages, n))
    gross[0] = entries
    for s, (rate, pmf) in enumerate(zip(rates, lag_pmfs, strict=True)):
        gross[s + 1] = rate * np.convolve(gross[s], pmf)[:n]
    in_period = np.zeros(n + max(len(k) for k in kernels))
    in_period[lead:n] = 1.0
    share = np.empty((stages, n))
    for s, kernel in enumerate(kernels):
        window = np.lib.stride_tricks.sliding_window_view(in_period, len(kernel))[:n]
        share[s] = window @ kernel
    required = gross * share
    required[-1] = np.concatenate((np.zeros(lead), y))
    gross[-1] = required[-1]  # the last stage is the schedule itself
    for array in (gross, required, share):
        array.setflags(write=False)
    return Requirement(
        gross=gross,
        required=required,
        in_plan_share=share,
        lead_months=lead,
        fit_error_share=fit_error,
    )


def all_cause_survival(cif: CumulativeIncidence) -> np.ndarray:
    """Probability of still being open (neither converted nor exited) after each time.

    Parameters
    ----------
    cif : CumulativeIncidence

    Returns
    -------
    numpy.ndarray of float, shape (m,)
        Kaplan-Meier survival of all outcomes at ``cif.time_days`` (right-continuous).
    """
    at_risk = cif.at_risk_count.astype(float)
    events = (cif.event_count + cif.competing_event_count).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        hazard = np.where(at_risk > 0, events / at_risk, 0.0)
    return np.cumprod(1.0 - hazard)


def conditional_conversion_probability(
    cif: CumulativeIncidence, age_days: np.ndarray | float, *, horizon_days: float
) -> np.ndarray:
    r"""Probability that a lead still open at ``age_days`` converts within the horizon.

    Parameters
    ----------
    cif : CumulativeIncidence
        Of converting out of the lead's current stage (event 1), exit competing.
    age_days : float or array_like
        Days the lead has spent in its stage so far (it is still open).
    horizon_days : float

    Returns
    -------
    numpy.ndarray of float
        In 0..1, the shape of ``age_days``.

    Notes
    -----
    With :math:`T` the time of leaving the stage for any reason, :math:`F_1` the cumulative
    incidence of converting and :math:`S(a) = P(T > a) = 1 - F_1(a) - F_2(a)` the all-cause
    survival,

    .. math:: P(\text{convert by } h \mid T > a)
              = \frac{P(a < T \le h, \text{convert})}{P(T > a)}
              = \frac{F_1(h) - F_1(a)}{S(a)}

    for :math:`a < h`, and 0 for :math:`a \ge h` or :math:`S(a) = 0`.
    """
    age = np.asarray(age_days, dtype=float)
    survival = all_cause_survival(cif)
    index = np.searchsorted(cif.time_days, age, side="right") - 1
    s_age = survival[np.maximum(index, 0)]
    f_age = cif.incidence[np.maximum(index, 0)]
    f_horizon = float(cif.at(horizon_days))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where((s_age > 0) & (age < horizon_days), (f_horizon - f_age) / s_age, 0.0)
    return np.clip(p, 0.0, 1.0)


def open_pipeline_landing(
    cif: CumulativeIncidence,
    age_days: np.ndarray,
    weights: np.ndarray,
    *,
    horizon_days: float,
    as_of: dt.date,
) -> np.ndarray:
    """Expected conversions of open leads to the next stage, by calendar month from ``as_of``.

    Parameters
    ----------
    cif : CumulativeIncidence
        Of converting out of the leads' current stage.
    age_days : numpy.ndarray of float, shape (n,)
        Days each open lead has spent in the stage at ``as_of``.
    weights : numpy.ndarray of float, shape (n,)
        What each conversion is worth (1 to count leads, the amount for money).
    horizon_days : float
    as_of : datetime.date

    Returns
    -------
    numpy.ndarray of float, shape (k,)
        ``landing[j]``: weighted expected conversions in the ``j``-th calendar month after
        ``as_of``'s month (``j = 0`` is ``as_of``'s month). Sums to
        ``sum(weights * conditional_conversion_probability(...))``.
    """
    ages = np.asarray(age_days, dtype=float)
    if len(ages) == 0:
        return np.zeros(1)
    unique_ages, inverse = np.unique(np.round(ages), return_inverse=True)
    age_weights = np.bincount(inverse, weights=np.asarray(weights, dtype=float))
    keep = (cif.time_days <= horizon_days) & (np.diff(cif.incidence, prepend=0.0) > 0)
    times = cif.time_days[keep]
    jumps = np.diff(cif.incidence, prepend=0.0)[keep]
    survival = all_cause_survival(cif)
    index = np.maximum(np.searchsorted(cif.time_days, unique_ages, side="right") - 1, 0)
    s_age = survival[index]
    live = s_age > 0
    unique_ages, age_weights, s_age = unique_ages[live], age_weights[live], s_age[live]
    if len(unique_ages) == 0 or len(times) == 0:
        return np.zeros(1)
    remaining = times[None, :] - unique_ages[:, None]  # (ages, jumps): days after as_of
    mass = np.where(remaining > 0, jumps[None, :] / s_age[:, None], 0.0) * age_weights[:, None]
    as_of_day = np.datetime64(as_of, "D")
    landing_day = as_of_day + np.round(np.maximum(remaining, 0)).astype("timedelta64[D]")
    offset = landing_day.astype("datetime64[M]").astype(np.int64) - as_of_day.astype(
        "datetime64[M]"
    ).astype(np.int64)
    return np.bincount(offset.ravel(), weights=mass.ravel())


def beta_parameters(rate: float, standard_error: float, entered: int) -> tuple[float, float] | None:
    """Beta distribution centred on a rate, as uncertain as its standard error says.

    The effective count ``n = rate (1 - rate) / se^2 - 1`` (what a plain proportion with
    that standard error would rest on; fewer than ``entered`` when leads are censored),
    kept within ``[1, entered]``; then ``a = rate n``, ``b = (1 - rate) n``, so the mean is
    ``rate`` exactly.

    Returns
    -------
    (a, b) or None
        None when the rate is 0 or 1 or nothing entered: nothing to draw.

    Examples
    --------
    >>> [round(v, 1) for v in beta_parameters(0.2, (0.2 * 0.8 / 101) ** 0.5, 1000)]
    [20.0, 80.0]
    """
    if not 0 < rate < 1 or entered < 1:
        return None
    if standard_error > 0 and math.isfinite(standard_error):
        effective = rate * (1 - rate) / standard_error**2 - 1
    else:
        effective = float(entered)
    effective = min(max(effective, 1.0), float(entered))
    return rate * effective, (1 - rate) * effective


def simulate_totals(
    won_count: float,
    conversion_rates: Sequence[float],
    beta: Sequence[tuple[float, float] | None],
    *,
    draws: int,
    rng: np.random.Generator | int | None = None,
) -> np.ndarray:
    """Stage totals with the data-estimated rates drawn from their Beta distributions.

    Parameters
    ----------
    won_count : float
    conversion_rates : sequence of float, length S - 1
        The point estimates (kept fixed where ``beta`` is None: overrides).
    beta : sequence of (a, b) or None, length S - 1
    draws : int
    rng : numpy.random.Generator, int or None
        Seeded generator (an int seeds ``numpy.random.default_rng``).

    Returns
    -------
    numpy.ndarray of float, shape (draws, S)
        Draws are made pair by pair, first pair first: the same seed gives the same numbers.
    """
    rng = np.random.default_rng(rng)
    rates = np.tile(np.asarray(conversion_rates, dtype=float), (draws, 1))
    for k, params in enumerate(beta):
        if params is not None:
            rates[:, k] = rng.beta(params[0], params[1], size=draws)
    rates = np.clip(rates, 1e-12, 1.0)
    suffix = np.cumprod(rates[:, ::-1], axis=1)[:, ::-1]
    return won_count / np.hstack((suffix, np.ones((draws, 1))))


# --- settings, scenarios -------------------------------------------------------------------


@dataclass(frozen=True)
class PlanSettings:
    """The targets and overrides a plan is computed with.

    ``avg_deal_size`` None means "from the data"; ``conversion`` and ``lag_days`` hold only
    overrides, keyed ``<from>_<to>``.
    """

    revenue: float | None
    period_start: str | None
    period_months: int = 12
    ramp_months: int = 0
    avg_deal_size: float | None = None
    conversion: Mapping[str, float] = field(default_factory=dict)
    lag_days: Mapping[str, float] = field(default_factory=dict)
    scenario: str | None = None


def plan_settings(config: EngagementConfig) -> PlanSettings:
    """engagement.yaml's targets and assumptions as :class:`PlanSettings`."""
    return PlanSettings(
        revenue=config.targets.revenue,
        period_start=config.targets.period_start,
        period_months=config.targets.period_months,
        ramp_months=config.targets.ramp_months,
        avg_deal_size=config.assumptions.avg_deal_size,
        conversion=dict(config.assumptions.conversion),
        lag_days=dict(config.assumptions.lag_days),
    )


@dataclass(frozen=True)
class Scenario:
    """One entry of ``scenarios:``: a name and the overrides it applies.

    Attributes
    ----------
    name : str
    description : str
    targets : mapping
        Any of ``revenue``, ``period_start`` (``YYYY-MM``), ``period_months``, ``ramp_months``.
    avg_deal_size : float or None
    conversion, lag_days : mapping
        ``<from>_<to>`` -> rate in (0, 1] / days >= 0.
    budget : mapping
        As the top-level ``budget:`` section (read by :mod:`workbook.analysis.budget`).
    """

    name: str
    description: str = ""
    targets: Mapping[str, Any] = field(default_factory=dict)
    avg_deal_size: float | None = None
    conversion: Mapping[str, float] = field(default_factory=dict)
    lag_days: Mapping[str, float] = field(default_factory=dict)
    budget: Mapping[str, Any] = field(default_factory=dict)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _section(entry: Mapping, key: str, where: str, problems: list[Problem]) -> Mapping:
    value = entry.get(key) or {}
    if not isinstance(value, Mapping):
        problems.append(
            Problem(CONFIG_FILE, f"{where}.{key}", "must be a section of key: value lines")
        )
        return {}
    return value


def _scenario_targets(raw: Mapping, where: str, problems: list[Problem]) -> dict[str, Any]:
    targets: dict[str, Any] = {}
    for key, value in raw.items():
        at = f"{where}.{key}"
        if key not in SCENARIO_TARGET_KEYS:
            problems.append(unknown_key_problem(where, key, SCENARIO_TARGET_KEYS))
        elif key == "period_start":
            month = (
                f"{value.year:04d}-{value.month:02d}"
                if isinstance(value, dt.date)
                else str(value).strip()
            )
            if _MONTH.fullmatch(month):
                targets[key] = month
            else:
                problems.append(
                    Problem(CONFIG_FILE, at, f"must be a month like '2027-01', got {value!r}")
                )
        elif key == "revenue":
            if _is_number(value) and value > 0:
                targets[key] = float(value)
            else:
                problems.append(
                    Problem(CONFIG_FILE, at, f"must be a number above 0, got {value!r}")
                )
        else:
            least = 1 if key == "period_months" else 0
            if isinstance(value, int) and not isinstance(value, bool) and value >= least:
                targets[key] = int(value)
            else:
                problems.append(
                    Problem(CONFIG_FILE, at, f"must be a whole number >= {least}, got {value!r}")
                )
    return targets


def parse_scenarios(raw: Sequence[Any], *, stages: Sequence[str]) -> tuple[Scenario, ...]:
    """Validate the ``scenarios:`` list of engagement.yaml (schema in the module docstring).

    Parameters
    ----------
    raw : sequence
        ``EngagementConfig.scenarios``.
    stages : sequence of str
        The funnel ladder (for ``<from>_<to>`` keys).

    Returns
    -------
    tuple of Scenario

    Raises
    ------
    PlanError
        Listing every problem: unknown keys (with the closest valid one), wrong types,
        values out of range, repeated names, an invalid ``budget:`` section.
    """
    from workbook.analysis.budget import parse_budget  # budget builds on plan: import at call time

    pairs = [f"{a}_{b}" for a, b in zip(stages[:-1], stages[1:], strict=True)]
    problems: list[Problem] = []
    scenarios: list[Scenario] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw or (), start=1):
        where = f"scenarios[{i}]"
        if not isinstance(entry, Mapping) or not str(entry.get("name") or "").strip():
            problems.append(
                Problem(CONFIG_FILE, where, "each scenario needs a name: and its overrides")
            )
            continue
        name = str(entry["name"]).strip()
        if name in seen:
            problems.append(
                Problem(
                    CONFIG_FILE, f"{where}.name", f"'{name}' is used twice: names must be unique"
                )
            )
        seen.add(name)
        problems.extend(
            unknown_key_problem(where, key, SCENARIO_KEYS)
            for key in entry
            if key not in SCENARIO_KEYS
        )
        targets = _scenario_targets(
            _section(entry, "targets", where, problems), f"{where}.targets", problems
        )
        assumptions = _section(entry, "assumptions", where, problems)
        problems.extend(
            unknown_key_problem(f"{where}.assumptions", key, SCENARIO_ASSUMPTION_KEYS)
            for key in assumptions
            if key not in SCENARIO_ASSUMPTION_KEYS
        )
        deal = assumptions.get("avg_deal_size")
        if deal is not None and not (_is_number(deal) and deal > 0):
            problems.append(
                Problem(
                    CONFIG_FILE,
                    f"{where}.assumptions.avg_deal_size",
                    f"must be a number above 0, got {deal!r}",
                )
            )
            deal = None
        conversion = pair_overrides(
            assumptions.get("conversion"),
            f"{where}.assumptions.conversion",
            pairs,
            problems,
            rate=True,
        )
        lags = pair_overrides(
            assumptions.get("lag_days"),
            f"{where}.assumptions.lag_days",
            pairs,
            problems,
            rate=False,
        )
        budget = _section(entry, "budget", where, problems)
        try:
            parse_budget(budget, where=f"{where}.budget")
        except PlanError as error:
            problems.extend(error.problems)
        description = entry.get("description")
        if description is not None and not isinstance(description, str):
            problems.append(Problem(CONFIG_FILE, f"{where}.description", "must be text"))
        scenarios.append(
            Scenario(
                name=name,
                description=str(description or ""),
                targets=targets,
                avg_deal_size=float(deal) if deal is not None else None,
                conversion=conversion,
                lag_days=lags,
                budget=dict(budget),
            )
        )
    if problems:
        raise PlanError(problems)
    return tuple(scenarios)


def apply_scenario(settings: PlanSettings, scenario: Scenario) -> PlanSettings:
    """The settings with a scenario's overrides on top (its own keys win)."""
    targets = dict(scenario.targets)
    return replace(
        settings,
        revenue=targets.get("revenue", settings.revenue),
        period_start=targets.get("period_start", settings.period_start),
        period_months=targets.get("period_months", settings.period_months),
        ramp_months=targets.get("ramp_months", settings.ramp_months),
        avg_deal_size=scenario.avg_deal_size
        if scenario.avg_deal_size is not None
        else settings.avg_deal_size,
        conversion={**settings.conversion, **scenario.conversion},
        lag_days={**settings.lag_days, **scenario.lag_days},
        scenario=scenario.name,
    )


def find_scenario(scenarios: Sequence[Scenario], name: str) -> Scenario:
    """The scenario called ``name``.

    Raises
    ------
    PlanError
        When there is none, naming the closest and the available ones.
    """
    for scenario in scenarios:
        if scenario.name == name:
            return scenario
    names = [s.name for s in scenarios]
    if not names:
        fix = "engagement.yaml has no scenarios: section; add one (see the plan documentation)"
    else:
        hint = closest_key(name, names)
        fix = (f"did you mean '{hint}'? " if hint else "") + f"available: {', '.join(names)}"
    raise PlanError([Problem(CONFIG_FILE, "scenarios", f"no scenario named '{name}': {fix}")])


# --- data ----------------------------------------------------------------------------------


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
        :data:`RUN_RATE_MONTHS` complete months to ``as_of``.
    landing_count, landing_amount : tuple of numpy.ndarray
        Per pair, the open marketing-sourced pipeline's expected conversions to the next
        stage by calendar month from ``as_of`` (:func:`open_pipeline_landing`); amounts only
        for open opportunities (leads are valued at the deal size).
    open_counts : numpy.ndarray of int, shape (S - 1,)
        Open marketing-sourced leads (opportunities for the last pair) per stage.
    base : PlanSettings
        engagement.yaml's targets and assumptions.
    scenarios : tuple of Scenario
    budget_config : mapping
        engagement.yaml's ``budget:`` section.
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
    budget_config: Mapping[str, Any]


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


def _run_rate(journeys: Journeys, *, months: int) -> np.ndarray:
    as_of = journeys.as_of
    last = as_of.to_period("M")
    if as_of != last.to_timestamp(how="end").normalize():
        last = last - 1  # as_of's month is not complete
    first = last - (months - 1)
    leads = journeys.leads
    marketing = (leads["sourced_by"].fillna("marketing") == "marketing").to_numpy(bool)
    out = np.zeros(len(journeys.stages))
    for k, stage in enumerate(journeys.stages):
        month = leads[f"{stage}_at"].dt.to_period("M")
        inside = (month >= first) & (month <= last)
        out[k] = float((inside.to_numpy(bool) & marketing).sum()) / months
    return out


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
    engagement : Engagement
    journeys : Journeys, optional
        Built from ``engagement`` when not given.
    curves : mapping, optional
        :func:`workbook.analysis.kpis.stage_curves` already computed.
    run_rate_months : int
        Complete months averaged for today's run-rate.

    Returns
    -------
    PlanInputs

    Raises
    ------
    PlanError
        When the ``scenarios:`` section is invalid.
    """
    config = engagement.config
    journeys = journeys or build_journeys(engagement)
    curves = dict(curves) if curves is not None else stage_curves(journeys)
    horizon = config.horizon_days
    table = funnel_rates(journeys, horizon_days=horizon, curves=curves)
    stages = tuple(config.stages)
    pairs = tuple(f"{a}_{b}" for a, b in zip(stages[:-1], stages[1:], strict=True))
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
    for k, (a, b) in enumerate(zip(stages[:-1], stages[1:], strict=True)):
        cif = curves.get((a, b))
        if cif is None:
            beta.append(None)
            pmfs.append(np.zeros(0))
            landing_count.append(np.zeros(1))
            landing_amount.append(np.zeros(1))
            continue
        beta.append(beta_parameters(rates[k], _standard_error_at(cif, horizon), int(entered[k])))
        pmfs.append(monthly_lag_pmf(cif.time_days, cif.incidence, horizon_days=horizon))
        if b == stages[-1]:
            ages = ((as_of_ts - open_opps["created_at"]).dt.days).to_numpy(float)
            amounts = open_opps["amount"].to_numpy(float)
        else:
            step = steps.loc[(steps["stage"] == a) & (steps["event"] == 0)]
            step = step.loc[marketing_leads[step["lead_index"].to_numpy()]]
            ages = step["duration_days"].to_numpy(float)
            amounts = np.zeros(len(ages))
        open_counts[k] = len(ages)
        landing_count.append(
            open_pipeline_landing(
                cif, ages, np.ones(len(ages)), horizon_days=horizon, as_of=engagement.as_of
            )
        )
        landing_amount.append(
            open_pipeline_landing(cif, ages, amounts, horizon_days=horizon, as_of=engagement.as_of)
        )

    deal, deal_sd, deal_n, deal_basis = _deal_size_estimate(engagement)
    for array in (rates, entered, medians, open_counts, *pmfs, *landing_count, *landing_amount):
        array.setflags(write=False)
    run_rate = _run_rate(journeys, months=run_rate_months)
    run_rate.setflags(write=False)
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
        scenarios=parse_scenarios(config.scenarios, stages=stages),
        budget_config=dict(config.budget),
    )


# --- the plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanReport:
    """A computed plan. :meth:`to_dict` is the contract's ``plan --json`` object.

    Attributes
    ----------
    stages : tuple of str
    months : tuple of str
        ``YYYY-MM``, from ``lead_months`` before ``period_start`` to the period's last month.
    required : numpy.ndarray, shape (S, n)
        The plan's cohort entering each stage each month; rows sum to ``totals``.
    gross : numpy.ndarray, shape (S, n)
        What must enter each month for the plan to hold with the funnel running on after it
        (``required`` + next period's pipeline).
    totals : numpy.ndarray, shape (S,)
    revenue : numpy.ndarray, shape (n,)
        Planned won revenue per month (0 before ``period_start``).
    period_start : str
    period_months, ramp_months : int
    lead_months : int
    avg_deal_size : float
    conversion : numpy.ndarray, shape (S - 1,)
    lag_days : numpy.ndarray, shape (S - 1,)
        Median lag (data) or the override, in days.
    sources : dict
        ``avg_deal_size``, ``conversion.<pair>``, ``lag_days.<pair>`` -> override | data.
    first_landing_month : str
        ``YYYY-MM``: by then :data:`LANDING_SHARE` of the wins of the first new leads (those
        entering the month after ``as_of``) have closed.
    first_new_month : str
        The month after ``as_of``: the first month new leads can enter.
    out_of_reach_share : float
        Share of the plan's first-stage cohort (and so, in expectation, of its target) that
        should have entered before ``first_new_month``.
    pipeline_credit : dict or None
        ``{"revenue", "won"}``: expected won revenue and deals inside the plan period from
        the marketing-sourced leads and opportunities open at ``as_of``; None without any.
    pipeline_revenue : numpy.ndarray, shape (n,)
        That credit by month.
    net_totals : numpy.ndarray or None
        ``totals`` scaled by the share of the target the pipeline does not cover.
    bands : dict or None
        ``{"p10": array (S,), "p90": array (S,)}`` of the stage totals (with ``simulate``).
    revenue_bands : dict or None
        ``{"p10", "p90"}`` arrays (n,): the revenue the planned volumes bring when the
        data-estimated rates are drawn from their Betas.
    run_rate : numpy.ndarray, shape (S,)
        Today's marketing-sourced entries per month.
    fit_error_share : float
        See :class:`Requirement`.
    scenario : str or None
    """

    stages: tuple[str, ...]
    months: tuple[str, ...]
    required: np.ndarray
    gross: np.ndarray
    totals: np.ndarray
    revenue: np.ndarray
    period_start: str
    period_months: int
    ramp_months: int
    lead_months: int
    avg_deal_size: float
    conversion: np.ndarray
    lag_days: np.ndarray
    sources: dict[str, str]
    first_landing_month: str
    first_new_month: str
    out_of_reach_share: float
    pipeline_credit: dict[str, float] | None
    pipeline_revenue: np.ndarray
    net_totals: np.ndarray | None
    bands: dict[str, np.ndarray] | None
    revenue_bands: dict[str, np.ndarray] | None
    run_rate: np.ndarray
    fit_error_share: float
    scenario: str | None = None

    @property
    def pairs(self) -> tuple[str, ...]:
        return tuple(f"{a}_{b}" for a, b in zip(self.stages[:-1], self.stages[1:], strict=True))

    @property
    def target_revenue(self) -> float:
        return float(math.fsum(self.revenue))

    def to_dict(self) -> dict[str, Any]:
        """The contract's ``plan --json`` object: plain floats, lists and dicts, no NaN."""
        out: dict[str, Any] = {
            "stages": list(self.stages),
            "months": list(self.months),
            "required": {s: _floats(self.required[k]) for k, s in enumerate(self.stages)},
            "totals": {s: _float(self.totals[k]) for k, s in enumerate(self.stages)},
            "revenue": _floats(self.revenue),
            "assumptions": {
                "avg_deal_size": _float(self.avg_deal_size),
                "conversion": {
                    p: _float(r) for p, r in zip(self.pairs, self.conversion, strict=True)
                },
                "lag_days": {p: _float(d) for p, d in zip(self.pairs, self.lag_days, strict=True)},
                "from": dict(self.sources),
            },
        }
        if self.pipeline_credit is not None and self.net_totals is not None:
            out["pipeline_credit"] = {k: _float(v) for k, v in self.pipeline_credit.items()}
            out["net_totals"] = {s: _float(self.net_totals[k]) for k, s in enumerate(self.stages)}
        if self.bands is not None:
            out["bands"] = {
                q: {s: _float(values[k]) for k, s in enumerate(self.stages)}
                for q, values in self.bands.items()
            }
        return out

    def schedule_frame(self) -> pd.DataFrame:
        """One row per month and stage: the plan against today's run-rate.

        Returns
        -------
        DataFrame
            ``month`` (Timestamp, first day), ``stage``, ``required`` (the plan's cohort),
            ``carry_over`` (entering now, converting outside the plan period: after it, next
            period's pipeline; before it, earlier wins), ``gross``
            (``required + carry_over``), ``run_rate`` (today's entries per month), ``gap``
            (``gross - run_rate``: positive = more than today), ``in_period`` (bool).
        """
        n, s = len(self.months), len(self.stages)
        first = month_index(self.months[0])
        month = [_month_start(first + i) for i in range(n)]
        start = month_index(self.period_start)
        frame = pd.DataFrame(
            {
                "month": np.tile(np.array(month, dtype="datetime64[ns]"), s),
                "stage": np.repeat(np.array(self.stages, dtype=object), n),
                "required": self.required.ravel(),
                "carry_over": (self.gross - self.required).clip(min=0).ravel(),
                "gross": np.maximum(self.gross, self.required).ravel(),
                "run_rate": np.repeat(self.run_rate, n),
            }
        )
        frame["gap"] = frame["gross"] - frame["run_rate"]
        frame["in_period"] = np.tile(np.arange(first, first + n) >= start, s)
        return frame

    def stage_frame(self) -> pd.DataFrame:
        """One row per stage: totals, net totals, bands, run-rate and the peak monthly need.

        Returns
        -------
        DataFrame
            ``stage``, ``total``, ``net_total``, ``p10``, ``p90`` (NaN without them),
            ``run_rate`` (per month), ``peak_required`` (largest monthly ``gross``),
            ``peak_vs_run_rate`` (ratio; NaN when the run-rate is 0), ``rate`` (to the next
            stage, NaN for the last) and ``rate_from`` (override | data).
        """
        nan = np.full(len(self.stages), np.nan)
        peak = np.maximum(self.gross, self.required).max(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(self.run_rate > 0, peak / self.run_rate, np.nan)
        return pd.DataFrame(
            {
                "stage": list(self.stages),
                "total": self.totals,
                "net_total": self.net_totals if self.net_totals is not None else nan,
                "p10": self.bands["p10"] if self.bands else nan,
                "p90": self.bands["p90"] if self.bands else nan,
                "run_rate": self.run_rate,
                "peak_required": peak,
                "peak_vs_run_rate": ratio,
                "rate": np.append(self.conversion, np.nan),
                "rate_from": [self.sources[f"conversion.{p}"] for p in self.pairs] + [None],
            }
        )

    def revenue_frame(self) -> pd.DataFrame:
        """One row per month: planned revenue, its band, and the in-flight pipeline's share.

        Returns
        -------
        DataFrame
            ``month`` (Timestamp), ``revenue``, ``p10``, ``p90`` (NaN without simulation),
            ``pipeline`` (expected revenue from the pipeline open at ``as_of``).
        """
        first = month_index(self.months[0])
        nan = np.full(len(self.months), np.nan)
        return pd.DataFrame(
            {
                "month": [_month_start(first + i) for i in range(len(self.months))],
                "revenue": self.revenue,
                "p10": self.revenue_bands["p10"] if self.revenue_bands else nan,
                "p90": self.revenue_bands["p90"] if self.revenue_bands else nan,
                "pipeline": self.pipeline_revenue,
            }
        )


def _float(value: float | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _floats(values: np.ndarray) -> list[float | None]:
    return [_float(v) for v in np.asarray(values, dtype=float).tolist()]


def _resolve_assumptions(
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
    return deal, rates, pmfs, lags, sources


def _check_targets(inputs: PlanInputs, settings: PlanSettings) -> tuple[float, int]:
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
    target, start = _check_targets(inputs, settings)
    deal, rates, pmfs, lags, sources = _resolve_assumptions(inputs, settings)
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
    for array in (totals, revenue, rates, lags, pipeline_revenue, run_rate, net_totals,
                  *(bands or {}).values(), *(revenue_bands or {}).values()):  # fmt: skip
        if array is not None:
            array.setflags(write=False)
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
    for array in arrays:
        array.setflags(write=False)
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
        if k == len(inputs.pairs) - 1:
            money = inputs.landing_amount[k] * scale
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
    engagement : Engagement
    journeys : Journeys, optional
        Built from ``engagement`` when not given.
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
        Missing target, unknown scenario, an invalid ``scenarios:`` section, or an
        assumption the data cannot give and engagement.yaml does not override.

    See Also
    --------
    estimate_plan_inputs, compute_plan : the two halves, for repeated plans.
    """
    inputs = estimate_plan_inputs(engagement, journeys)
    settings = inputs.base
    if scenario:
        settings = apply_scenario(settings, find_scenario(inputs.scenarios, scenario))
    return compute_plan(inputs, settings, simulate=simulate, seed=seed)


# --- sensitivity and scenarios -------------------------------------------------------------


def tornado(
    inputs: PlanInputs,
    settings: PlanSettings | None = None,
    *,
    override_swing: float = OVERRIDE_SWING,
) -> pd.DataFrame:
    """Which assumption moves the required first-stage volume most.

    Each assumption is set to a low and a high value, the others held: a data-estimated
    rate to the 10th and 90th percentiles of its Beta (:func:`beta_parameters`), the
    data's average deal size to its mean -/+ 1.2816 standard errors, an overridden value
    to -/+ ``override_swing`` of itself. Lags do not change totals and are left out.

    Returns
    -------
    DataFrame
        ``assumption`` (``avg_deal_size`` or ``conversion.<pair>``), ``source`` (override |
        data), ``base_value``, ``low_value``, ``high_value``, ``total_at_low``,
        ``total_at_high`` (first-stage totals), ``base_total``, ``swing`` (absolute
        difference), largest swing first.
    """
    settings = settings or inputs.base
    target, _ = _check_targets(inputs, settings)
    deal, rates, _, _, sources = _resolve_assumptions(inputs, settings)
    from scipy import stats  # when first needed: its import takes most of a second

    z = float(stats.norm.ppf(BAND_QUANTILES[1]))

    def first_total(deal_size: float, rate_values: np.ndarray) -> float:
        return float(reverse_funnel_totals(target / deal_size, rate_values)[0])

    base_total = first_total(deal, rates)
    rows = []
    if sources["avg_deal_size"] == "data" and inputs.deal_size_count > 1:
        se = inputs.deal_size_sd / math.sqrt(inputs.deal_size_count)
        low, high = max(deal - z * se, deal * 0.01), deal + z * se
    else:
        low, high = deal * (1 - override_swing), deal * (1 + override_swing)
    rows.append(
        (
            "avg_deal_size",
            sources["avg_deal_size"],
            deal,
            low,
            high,
            first_total(low, rates),
            first_total(high, rates),
        )
    )
    for k, pair in enumerate(inputs.pairs):
        source = sources[f"conversion.{pair}"]
        params = inputs.beta[k] if source == "data" else None
        if params is not None:
            low, high = (float(v) for v in stats.beta.ppf(BAND_QUANTILES, *params))
        else:
            low, high = rates[k] * (1 - override_swing), min(rates[k] * (1 + override_swing), 1.0)
        at_low, at_high = rates.copy(), rates.copy()
        at_low[k], at_high[k] = max(low, 1e-9), high
        rows.append(
            (
                f"conversion.{pair}",
                source,
                rates[k],
                low,
                high,
                first_total(deal, at_low),
                first_total(deal, at_high),
            )
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "assumption",
            "source",
            "base_value",
            "low_value",
            "high_value",
            "total_at_low",
            "total_at_high",
        ],
    )
    frame["base_total"] = base_total
    frame["swing"] = (frame["total_at_low"] - frame["total_at_high"]).abs()
    return frame.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


def compare_scenarios(inputs: PlanInputs, *, include_base: bool = True) -> list[PlanReport]:
    """The plan under engagement.yaml's settings and under each scenario.

    Returns
    -------
    list of PlanReport
        The base plan first (``scenario`` None) when ``include_base``, then each scenario
        in the order of engagement.yaml.
    """
    plans = [compute_plan(inputs)] if include_base else []
    for scenario in inputs.scenarios:
        plans.append(compute_plan(inputs, apply_scenario(inputs.base, scenario)))
    return plans
