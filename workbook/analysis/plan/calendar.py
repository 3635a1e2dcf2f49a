"""Months as integers, the revenue ramp and the reverse-funnel totals: the plan's arithmetic."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

#: Average days in a calendar month (365.25 / 12).
DAYS_PER_MONTH: float = 365.25 / 12


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


def month_start(index: int) -> pd.Timestamp:
    return pd.Timestamp(year=index // 12, month=index % 12 + 1, day=1)


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


__all__ = [
    "DAYS_PER_MONTH",
    "month_index",
    "month_label",
    "month_start",
    "ramp_weights",
    "revenue_schedule",
    "reverse_funnel_totals",
]
