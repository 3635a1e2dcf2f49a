"""The pipeline open at ``as_of``: when and how likely its leads convert."""

from __future__ import annotations

import datetime as dt

import numpy as np

from workbook.analysis.survival import CumulativeIncidence


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


__all__ = ["all_cause_survival", "conditional_conversion_probability", "open_pipeline_landing"]
