"""The time-phased requirement: monthly volumes per stage that deliver a schedule of wins."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from workbook.analysis.numbers import read_only
from workbook.analysis.plan.lags import lag_kernels, lead_time_months


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
    read_only(gross, required, share)
    return Requirement(
        gross=gross,
        required=required,
        in_plan_share=share,
        lead_months=lead,
        fit_error_share=fit_error,
    )


__all__ = ["Requirement", "time_phased_requirement"]
