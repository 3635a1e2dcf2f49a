"""Small vectorised helpers the frames are drawn with: probabilities, categories, lags,
labels, ids, dates and the month calendar with its lead-volume weights.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_ANNUAL_GROWTH = 1.40  # lead volume growth per year
_SEASON = np.array([0.95, 1.0, 1.08, 1.05, 1.02, 0.97, 0.85, 0.55, 1.08, 1.12, 1.08, 0.80])
# Share of leads per first-touch channel at the start and at the end of the period:
# paid social is scaled up over the two years.
_CHANNEL_SHARE_START = np.array([0.13, 0.18, 0.14, 0.10, 0.15, 0.13, 0.10, 0.07])
_CHANNEL_SHARE_END = np.array([0.11, 0.16, 0.28, 0.08, 0.13, 0.11, 0.08, 0.05])


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p: float) -> float:
    return float(np.log(p / (1.0 - p)))


def calibrated_probability(eta: np.ndarray, target_rate: float) -> np.ndarray:
    """Probabilities ``expit(a + eta)`` with the intercept ``a`` set so they average ``target_rate``.

    Newton's method on the intercept; ``eta`` holds each row's logit effects. A target of 0
    or less (possible for a handful of leads, where hand-raisers alone exceed the step's
    rate) gives 0 everywhere, and one of 1 or more gives 1.

    Examples
    --------
    >>> calibrated_probability(np.zeros(2), -0.1).tolist(), calibrated_probability(np.zeros(2), 1.0).tolist()
    ([0.0, 0.0], [1.0, 1.0])
    """
    if eta.size == 0:
        return eta.astype(float)
    if not 0.0 < target_rate < 1.0:
        return np.full(eta.shape, 1.0 if target_rate >= 1.0 else 0.0)
    a = _logit(target_rate) - float(np.mean(eta))
    for _ in range(50):
        p = _expit(a + eta)
        gap = float(p.mean()) - target_rate
        if abs(gap) < 1e-12:
            break
        a -= gap / max(float(np.mean(p * (1.0 - p))), 1e-12)
    return _expit(a + eta)


def draw_categories(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One category index per row of a (rows, categories) probability matrix."""
    cumulative = np.cumsum(probabilities, axis=1)
    cumulative /= cumulative[:, -1:]
    u = rng.random(len(probabilities))
    return np.minimum((u[:, None] > cumulative).sum(axis=1), probabilities.shape[1] - 1)


def lognormal_days(
    rng: np.random.Generator, size: int, median_days: float, sigma: float
) -> np.ndarray:
    """Whole days (>= 1) from a lognormal with the given median and log standard deviation."""
    return np.maximum(1.0, np.rint(median_days * np.exp(sigma * rng.standard_normal(size))))


def labels(codes: np.ndarray, names: tuple[str, ...] | list[str]) -> pd.Series:
    """Category codes as a string Series of their names (code -1 = missing)."""
    return pd.Series(pd.array(list(names), dtype="str").take(codes, allow_fill=True))


def padded_ids(prefix: str, numbers: np.ndarray, width: int) -> pd.Series:
    """``prefix`` + zero-padded numbers, as a string Series (``ACC00042``)."""
    return prefix + pd.Series(numbers, dtype="int64").astype("str").str.zfill(width)


def to_dates(days: np.ndarray) -> pd.Series:
    """Days since 1970-01-01 (float, NaN = missing) as a datetime Series (NaT = missing)."""
    out = np.full(days.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    known = ~np.isnan(days)
    out[known] = days[known].astype("int64").astype("datetime64[D]")
    return pd.Series(out.astype("datetime64[s]"))


def lead_ids(numbers: np.ndarray, n_leads: int) -> pd.Series:
    """Lead ids ``L000042`` of lead numbers (1-based), padded to fit ``n_leads`` (6 digits at least).

    Examples
    --------
    >>> lead_ids(np.array([1, 42]), 20_000).tolist()
    ['L000001', 'L000042']
    """
    return padded_ids("L", numbers, max(6, len(str(n_leads))))


def _month_calendar(as_of: np.datetime64, months: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First day (days since epoch), length in days (cut at as_of) and calendar month (0-11)."""
    last = as_of.astype("datetime64[M]")
    starts = np.arange(last - (months - 1), last + 1)
    first_day = starts.astype("datetime64[D]")
    next_first = (starts + 1).astype("datetime64[D]")
    end = np.minimum(next_first, as_of + 1)
    length = (end - first_day).astype("int64")
    calendar_month = starts.astype("int64") % 12
    return first_day.astype("int64"), length, calendar_month


def month_weights(
    as_of: np.datetime64, months: int, *, annual_growth: float = _ANNUAL_GROWTH
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The last ``months`` calendar months up to ``as_of`` and their relative volume.

    Parameters
    ----------
    as_of : numpy.datetime64
        Snapshot day; its month is the last one, cut at ``as_of``.
    months : int
        Number of calendar months.
    annual_growth : float
        Volume growth per year (1.40: leads; opportunities without a lead grow more slowly).

    Returns
    -------
    first_day : ndarray of int64
        First day of each month, in days since 1970-01-01.
    length_days : ndarray of int64
        Days of each month up to ``as_of``.
    weight : ndarray of float
        Growth x seasonality x length in months: proportional to the volume of each month.

    Examples
    --------
    >>> first_day, length_days, weight = month_weights(np.datetime64("2026-09-15"), 2)
    >>> length_days.tolist()
    [31, 15]
    """
    first_day, length, calendar_month = _month_calendar(as_of, months)
    weight = annual_growth ** (np.arange(months) / 12.0) * _SEASON[calendar_month] * length / 30.44
    return first_day, length, weight


def channel_share(progress: np.ndarray) -> np.ndarray:
    """Channel mix (rows, channels) at a point 0..1 through the period."""
    return _CHANNEL_SHARE_START + np.outer(progress, _CHANNEL_SHARE_END - _CHANNEL_SHARE_START)


def observed(days: np.ndarray, as_of_int: float) -> np.ndarray:
    """Latent days with those after as_of (not reached yet) set to NaN."""
    return np.where(days <= as_of_int, days, np.nan)
