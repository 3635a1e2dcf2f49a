"""Stage conversion with censoring: competing-risks cumulative incidence.

A lead that entered funnel stage A either advanced to stage B (the event of interest), left the
funnel (disqualified, opportunity lost: the competing event), or is still open at the snapshot
date (censored). The probability of reaching B within a horizon is the cumulative incidence
function (CIF) of the event of interest, estimated here with the exact Aalen-Johansen
estimator. ``1 - Kaplan-Meier`` with the competing event treated as censoring over-states it,
because a lead that was disqualified can never convert later.

Everything is plain numpy: one sort (``np.unique``) and a handful of ``bincount``/``cumsum``
passes, so a million leads take a fraction of a second.

See Also
--------
scipy.stats.ecdf : Kaplan-Meier, the estimator this module's CIF reduces to without
    competing events.
workbook.analysis.intervals.proportion_intervals : the interval of a naive rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from workbook.analysis.intervals import two_sided_z
from workbook.analysis.numbers import read_only

__all__ = ["CumulativeIncidence", "cumulative_incidence"]

#: Tolerance when comparing a CIF value with a share of another one (quantile times).
_QUANTILE_TOLERANCE = 1e-12


@dataclass(frozen=True, eq=False)
class CumulativeIncidence:
    """The estimated cumulative incidence of one event type, a right-continuous step function.

    Row ``i`` of every array describes the interval ``[time_days[i], time_days[i + 1])``.
    The arrays are read-only.

    Attributes
    ----------
    time_days : numpy.ndarray of float, shape (m,)
        0.0 followed by the distinct times (days since entering the stage) at which any event,
        of interest or competing, was observed, ascending. When events happened at time 0 the
        first row already includes them.
    incidence : numpy.ndarray of float, shape (m,)
        Estimated probability (0..1) that the event of interest has happened by ``time_days``.
        Nondecreasing.
    lower, upper : numpy.ndarray of float, shape (m,)
        Pointwise confidence band from the delta-method variance on the log(-log) scale
        (Choudhury 2002). Always within [0, 1] and containing ``incidence``; it collapses to
        the estimate where the estimate is exactly 0 or 1.
    lower_linear, upper_linear : numpy.ndarray of float, shape (m,)
        The plain Wald band ``incidence -/+ z * standard_error`` clipped to [0, 1].
    standard_error : numpy.ndarray of float, shape (m,)
        Delta-method standard error of ``incidence`` (Marubini & Valsecchi 1995).
    at_risk_count : numpy.ndarray of int, shape (m,)
        Leads still at risk just before ``time_days`` (open, not yet converted or lost; those
        censored at that very time are counted as at risk).
    event_count, competing_event_count : numpy.ndarray of int, shape (m,)
        Events of interest, and competing events, observed at ``time_days``.
    confidence_level : float
        Confidence level of both bands.
    event_of_interest : int
        The event code estimated.
    max_duration_days : float
        Largest observed duration (event or censored); 0.0 without data. Beyond it the step
        function is only carried forward, not estimated.
    """

    time_days: np.ndarray
    incidence: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    lower_linear: np.ndarray
    upper_linear: np.ndarray
    standard_error: np.ndarray
    at_risk_count: np.ndarray
    event_count: np.ndarray
    competing_event_count: np.ndarray
    confidence_level: float
    event_of_interest: int
    max_duration_days: float

    @overload
    def at(self, t_days: float) -> float: ...

    @overload
    def at(self, t_days: npt.ArrayLike) -> float | np.ndarray: ...

    def band_at(self, t_days: float) -> tuple[float, float]:
        """The pointwise confidence band (log(-log) transform) at ``t_days``.

        Returns
        -------
        (lower, upper) : tuple of float
        """
        return (
            float(_step_at(self.time_days, self.lower, t_days)),
            float(_step_at(self.time_days, self.upper, t_days)),
        )

    def at(self, t_days: npt.ArrayLike) -> float | np.ndarray:
        """Evaluate the estimated cumulative incidence at ``t_days``.

        Parameters
        ----------
        t_days : float or array_like of float
            Days since entering the stage. Negative times give 0; times past the last event
            give the last value (carried forward); NaN gives NaN.

        Returns
        -------
        float or numpy.ndarray
            A float for a scalar input, otherwise an array of the input's shape.

        Examples
        --------
        >>> cif = cumulative_incidence([1, 2, 2, 4], [1, 2, 1, 0])
        >>> cif.at(1.5), cif.at([0, 2, 10]).tolist()
        (0.25, [0.0, 0.5, 0.5])
        """
        return _step_at(self.time_days, self.incidence, t_days)

    def quantile_time_days(self, quantile: float, *, horizon_days: float) -> float | None:
        """Time by which a share ``quantile`` of the leads converting within the horizon did so.

        The smallest ``t`` with ``CIF(t) >= quantile * CIF(horizon_days)``: a quantile of the
        time to the event among those who experience it within the horizon, with censored
        leads handled by the CIF rather than dropped.

        Parameters
        ----------
        quantile : float
            In (0, 1]; 0.5 is the median, 0.9 the 90th percentile.
        horizon_days : float
            Only events up to this many days count (may be ``numpy.inf``).

        Returns
        -------
        float or None
            Days; ``None`` when no event of interest happens within the horizon.

        See Also
        --------
        median_time_days : the 0.5 quantile.
        """
        if not 0.0 < quantile <= 1.0:
            raise ValueError(f"quantile must be in (0, 1], got {quantile!r}")
        if np.isnan(horizon_days):
            raise ValueError("horizon_days must not be NaN")
        incidence_at_horizon = float(self.at(horizon_days))
        if incidence_at_horizon <= 0.0:
            return None
        target = quantile * incidence_at_horizon - _QUANTILE_TOLERANCE
        index = int(np.searchsorted(self.incidence, target, side="left"))
        return float(self.time_days[index])

    def median_time_days(self, *, horizon_days: float) -> float | None:
        """Median days to the event among leads that experience it within the horizon.

        :meth:`quantile_time_days` at 0.5: the smallest ``t`` with ``CIF(t) >=
        CIF(horizon_days) / 2``, in days; None when no event of interest happens within
        ``horizon_days`` (which may be ``numpy.inf``).

        Examples
        --------
        >>> cif = cumulative_incidence([1, 2, 3, 4], [1, 1, 1, 1])
        >>> cif.median_time_days(horizon_days=365), cif.median_time_days(horizon_days=3)
        (2.0, 2.0)
        """
        return self.quantile_time_days(0.5, horizon_days=horizon_days)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able Python: lists of floats and ints, no numpy scalars, no NaN."""
        return {
            "time_days": self.time_days.tolist(),
            "incidence": self.incidence.tolist(),
            "lower": self.lower.tolist(),
            "upper": self.upper.tolist(),
            "lower_linear": self.lower_linear.tolist(),
            "upper_linear": self.upper_linear.tolist(),
            "standard_error": self.standard_error.tolist(),
            "at_risk_count": self.at_risk_count.tolist(),
            "event_count": self.event_count.tolist(),
            "competing_event_count": self.competing_event_count.tolist(),
            "confidence_level": float(self.confidence_level),
            "event_of_interest": int(self.event_of_interest),
            "max_duration_days": float(self.max_duration_days),
        }


def _step_at(time_days: np.ndarray, values: np.ndarray, t_days: npt.ArrayLike) -> Any:
    t = np.asarray(t_days, dtype=float)
    index = np.searchsorted(time_days, t, side="right") - 1
    out = np.where(index >= 0, values[np.maximum(index, 0)], 0.0)
    out = np.where(np.isnan(t), np.nan, out)
    if out.ndim == 0:
        return float(out)
    return out


def _validated_inputs(
    duration_days: npt.ArrayLike, event: npt.ArrayLike, event_of_interest: int
) -> tuple[np.ndarray, np.ndarray]:
    durations = np.asarray(duration_days, dtype=float)
    events = np.asarray(event)
    if durations.ndim != 1 or events.ndim != 1:
        raise ValueError("duration_days and event must be one-dimensional")
    if durations.shape != events.shape:
        raise ValueError(
            f"duration_days and event differ in length ({durations.size} vs {events.size})"
        )
    if not np.all(np.isfinite(durations)):
        raise ValueError("duration_days must be finite (no NaN or infinity)")
    if durations.size and durations.min() < 0:
        raise ValueError("duration_days must be >= 0")
    if events.dtype.kind not in "biu":
        events_float = events.astype(float)
        if not np.all(np.isfinite(events_float)) or np.any(events_float != np.round(events_float)):
            raise ValueError("event must hold integer codes (0 = censored)")
        events = events_float
    events = events.astype(np.int64)
    if events.size and events.min() < 0:
        raise ValueError("event codes must be >= 0 (0 = censored)")
    if int(event_of_interest) != event_of_interest or event_of_interest <= 0:
        raise ValueError(f"event_of_interest must be a positive integer, got {event_of_interest!r}")
    return durations, events


def _tallies(
    durations: np.ndarray, events: np.ndarray, event_of_interest: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Distinct times and, at each, leads leaving, events of any type, events of interest."""
    unique_times, inverse = np.unique(durations, return_inverse=True)
    m_all = unique_times.size
    leaving = np.bincount(inverse, minlength=m_all)
    events_all = np.bincount(inverse[events != 0], minlength=m_all)
    events_interest = np.bincount(inverse[events == event_of_interest], minlength=m_all)
    return unique_times, leaving, events_all, events_interest


def cumulative_incidence(
    duration_days: npt.ArrayLike,
    event: npt.ArrayLike,
    *,
    event_of_interest: int = 1,
    confidence_level: float = 0.95,
) -> CumulativeIncidence:
    r"""Aalen-Johansen cumulative incidence of one event type in the presence of competing events.

    Parameters
    ----------
    duration_days : array_like of float, shape (n,)
        Days from entering the stage to the event, or to the snapshot date for open leads.
        Finite and >= 0.
    event : array_like of int, shape (n,)
        0 = censored (still open), ``event_of_interest`` = the event estimated (e.g. 1 =
        advanced to the next stage), any other positive code = a competing event
        (disqualified, lost).
    event_of_interest : int, default 1
        The event code whose cumulative incidence is estimated.
    confidence_level : float, default 0.95
        Confidence level of the pointwise bands.

    Returns
    -------
    CumulativeIncidence
        The step function with its bands, evaluated at 0 and at every distinct event time.

    Notes
    -----
    With distinct event times :math:`t_j` (events of any type), :math:`n_j` leads at risk just
    before :math:`t_j`, :math:`d_{1j}` events of interest and :math:`d_j` events of any type
    at :math:`t_j`, and the all-cause Kaplan-Meier survival
    :math:`S(t_j) = \prod_{i \le j} (1 - d_i / n_i)`,

    .. math:: F_1(t) = \sum_{t_j \le t} S(t_{j-1}) \, d_{1j} / n_j .

    Ties: all events at a tied time (of every type) are processed together, and leads
    censored at :math:`t_j` are still at risk at :math:`t_j`.

    The variance is the delta-method estimator of Marubini & Valsecchi (1995), also given by
    Choudhury (2002) and Pintilie (2006, chapter 4):

    .. math::

        \widehat{\mathrm{Var}}\,F_1(t) = \sum_{t_j \le t} [F_1(t) - F_1(t_j)]^2
            \frac{d_j}{n_j (n_j - d_j)}
          + \sum_{t_j \le t} S(t_{j-1})^2 \frac{d_{1j} (n_j - d_{1j})}{n_j^3}
          - 2 \sum_{t_j \le t} [F_1(t) - F_1(t_j)] \, S(t_{j-1}) \frac{d_{1j}}{n_j^2}

    (the first term's weight is taken as 0 where :math:`n_j = d_j`, where its factor
    :math:`F_1(t) - F_1(t_j)` is 0). Without competing events it reduces to Greenwood's
    formula for :math:`1 - S`. The sums are computed with cumulative sums, so the whole
    curve costs O(n log n).

    The band ``lower``/``upper`` applies the log(-log) transform recommended by
    Choudhury (2002): :math:`F^{\exp(\pm z\,\mathrm{se} / (F \log F))}`, which always lies in
    [0, 1] and contains :math:`F`. ``lower_linear``/``upper_linear`` is the untransformed
    Wald band clipped to [0, 1].

    References
    ----------
    .. [1] Marubini E., Valsecchi M.G. (1995). *Analysing Survival Data from Clinical Trials
       and Observational Studies*. Wiley.
    .. [2] Choudhury J.B. (2002). Non-parametric confidence interval estimation for competing
       risks analysis: application to contraceptive data. *Statistics in Medicine* 21(8),
       1129-1144.
    .. [3] Pintilie M. (2006). *Competing Risks: A Practical Perspective*. Wiley, chapter 4.

    See Also
    --------
    workbook.analysis.intervals.proportion_interval : the interval of the naive
        ``converted / entered`` rate.
    scipy.stats.ecdf : ``1 - Kaplan-Meier``, which over-states the incidence when competing
        events are treated as censored.

    Examples
    --------
    Leads entering a stage: 1 = advanced, 2 = disqualified, 0 = still open.

    >>> cif = cumulative_incidence([1, 5, 3, 6, 1, 3, 2, 5, 2, 3, 6],
    ...                            [0, 1, 1, 1, 2, 1, 0, 1, 0, 2, 2])
    >>> cif.time_days.tolist()
    [0.0, 1.0, 3.0, 5.0, 6.0]
    >>> [round(x, 4) for x in cif.incidence.tolist()]
    [0.0, 0.0, 0.2597, 0.5195, 0.6494]
    """
    z = two_sided_z(confidence_level)
    durations, events = _validated_inputs(duration_days, event, event_of_interest)
    n = durations.size

    unique_times, leaving, events_all, events_interest = _tallies(
        durations, events, event_of_interest
    )
    # At risk just before each unique time: everyone minus those who left at earlier times.
    at_risk_all = n - np.concatenate(([0], np.cumsum(leaving)[:-1]))

    keep = events_all > 0
    times = unique_times[keep]
    at_risk = at_risk_all[keep].astype(np.int64)
    d_all = events_all[keep].astype(np.int64)
    d_interest = events_interest[keep].astype(np.int64)

    n_f = at_risk.astype(float)
    d_f = d_all.astype(float)
    d1_f = d_interest.astype(float)

    survival = np.cumprod(1.0 - d_f / n_f)
    survival_before = np.concatenate(([1.0], survival[:-1]))
    incidence = np.cumsum(survival_before * d1_f / n_f)

    # Delta-method variance, expanded so each term is a cumulative sum over j <= k.
    remaining = n_f - d_f
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(remaining > 0, d_f / (n_f * remaining), 0.0)
    b = survival_before**2 * d1_f * (n_f - d1_f) / n_f**3
    c = survival_before * d1_f / n_f**2
    cum_a = np.cumsum(a)
    cum_fa = np.cumsum(incidence * a)
    cum_ffa = np.cumsum(incidence**2 * a)
    cum_c = np.cumsum(c)
    cum_fc = np.cumsum(incidence * c)
    variance = (
        incidence**2 * cum_a
        - 2.0 * incidence * cum_fa
        + cum_ffa
        + np.cumsum(b)
        - 2.0 * (incidence * cum_c - cum_fc)
    )
    standard_error = np.sqrt(np.maximum(variance, 0.0))

    if times.size == 0 or times[0] > 0.0:
        times = np.concatenate(([0.0], times))
        incidence = np.concatenate(([0.0], incidence))
        standard_error = np.concatenate(([0.0], standard_error))
        at_risk = np.concatenate(([n], at_risk))
        d_interest = np.concatenate(([0], d_interest))
        d_all = np.concatenate(([0], d_all))

    incidence = np.clip(incidence, 0.0, 1.0)
    lower, upper = _loglog_band(incidence, standard_error, z)
    lower_linear = np.clip(incidence - z * standard_error, 0.0, incidence)
    upper_linear = np.clip(incidence + z * standard_error, incidence, 1.0)

    arrays = {
        "time_days": times.astype(float),
        "incidence": incidence,
        "lower": lower,
        "upper": upper,
        "lower_linear": lower_linear,
        "upper_linear": upper_linear,
        "standard_error": standard_error,
        "at_risk_count": at_risk.astype(np.int64),
        "event_count": d_interest.astype(np.int64),
        "competing_event_count": (d_all - d_interest).astype(np.int64),
    }
    read_only(*arrays.values())
    return CumulativeIncidence(
        **arrays,
        confidence_level=float(confidence_level),
        event_of_interest=int(event_of_interest),
        max_duration_days=float(durations.max()) if n else 0.0,
    )


def _loglog_band(
    incidence: np.ndarray, standard_error: np.ndarray, z: float
) -> tuple[np.ndarray, np.ndarray]:
    """Band on the log(-log F) scale, back-transformed: F ** exp(+/- z se / (F log F))."""
    interior = (incidence > 0.0) & (incidence < 1.0)
    safe = np.where(interior, incidence, 0.5)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        scale = np.exp(z * standard_error / (safe * np.abs(np.log(safe))))
        lower = np.where(interior, safe**scale, incidence)
        upper = np.where(interior, safe ** (1.0 / scale), incidence)
    lower = np.clip(np.nan_to_num(lower, nan=0.0), 0.0, incidence)
    upper = np.clip(np.nan_to_num(upper, nan=1.0), incidence, 1.0)
    return lower, upper
