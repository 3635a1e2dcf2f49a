"""Stage lag distributions by month: from the cumulative incidence, a fixed lag, their sums."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from workbook.analysis.plan.calendar import DAYS_PER_MONTH

#: ``months`` reaches back far enough to hold this share of the first-stage-to-won lag.
LEAD_TIME_COVERAGE: float = 0.99


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


__all__ = [
    "LEAD_TIME_COVERAGE",
    "lag_kernels",
    "lead_time_months",
    "monthly_lag_pmf",
    "point_mass_lag_pmf",
]
