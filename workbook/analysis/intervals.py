"""Confidence intervals of proportions (Wilson), and the normal quantile every band uses.

See Also
--------
scipy.stats.binomtest : the Wilson interval used by :func:`proportion_interval`.
workbook.analysis.survival.cumulative_incidence : the censoring-aware rate and its band.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import numpy.typing as npt

__all__ = ["proportion_interval", "proportion_intervals", "two_sided_z"]


def two_sided_z(confidence_level: float) -> float:
    """The standard normal quantile of a two-sided interval at ``confidence_level``.

    From the standard library's :class:`statistics.NormalDist` (``scipy.stats.norm.ppf``'s
    value to within 1e-15; importing scipy.stats would take most of a second).

    Examples
    --------
    >>> round(two_sided_z(0.95), 6)
    1.959964
    """
    if not 0.0 < confidence_level < 1.0:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level!r}")
    return NormalDist().inv_cdf(0.5 + confidence_level / 2.0)


def proportion_interval(
    successes: int, trials: int, *, confidence_level: float = 0.95
) -> tuple[float, float] | tuple[None, None]:
    """Wilson score interval of a proportion, delegated to :func:`scipy.stats.binomtest`.

    Parameters
    ----------
    successes : int
        Count of successes (e.g. converted leads), 0 <= successes <= trials.
    trials : int
        Count of trials (e.g. leads that entered the stage), >= 0.
    confidence_level : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    tuple of (float, float), or (None, None)
        Lower and upper bounds in [0, 1]; ``(None, None)`` when ``trials`` is 0.

    See Also
    --------
    proportion_intervals : the same for arrays of groups.
    workbook.analysis.survival.cumulative_incidence : the censoring-aware rate.

    Examples
    --------
    >>> [round(x, 4) for x in proportion_interval(8, 10)]
    [0.4902, 0.9433]
    """
    k, n = int(successes), int(trials)
    if k != successes or n != trials:
        raise ValueError("successes and trials must be whole numbers")
    if n < 0 or k < 0 or k > n:
        raise ValueError(f"need 0 <= successes <= trials, got {k} of {n}")
    two_sided_z(confidence_level)
    if n == 0:
        return None, None
    from scipy import stats  # imported when first needed: it takes most of a second

    interval = stats.binomtest(k, n).proportion_ci(
        confidence_level=confidence_level, method="wilson"
    )
    return float(interval.low), float(interval.high)


def proportion_intervals(
    successes: npt.ArrayLike, trials: npt.ArrayLike, *, confidence_level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    r"""Wilson score intervals for many groups at once (closed form, vectorised).

    Parameters
    ----------
    successes, trials : array_like of int, same shape
        Counts per group, 0 <= successes <= trials.
    confidence_level : float, default 0.95
        Confidence level of the intervals.

    Returns
    -------
    lower, upper : numpy.ndarray of float
        Bounds in [0, 1], the input's shape; NaN where ``trials`` is 0 (convert to ``None``
        before JSON).

    Notes
    -----
    With :math:`\hat p = k / n` and :math:`z` the two-sided normal quantile,

    .. math:: \frac{k + z^2/2}{n + z^2} \pm \frac{z}{n + z^2}\sqrt{\frac{k (n-k)}{n} + \frac{z^2}{4}},

    the interval :func:`scipy.stats.binomtest` gives with ``method="wilson"`` (no continuity
    correction); the test suite checks the two agree.

    See Also
    --------
    proportion_interval : one group, through scipy.
    """
    z = two_sided_z(confidence_level)
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    if k.shape != n.shape:
        raise ValueError("successes and trials must have the same shape")
    if np.any(n < 0) or np.any(k < 0) or np.any(k > n):
        raise ValueError("need 0 <= successes <= trials in every group")
    z2 = z * z
    with np.errstate(divide="ignore", invalid="ignore"):
        center = (k + z2 / 2.0) / (n + z2)
        half = z / (n + z2) * np.sqrt(k * (n - k) / n + z2 / 4.0)
        lower = np.where(k == 0, 0.0, np.clip(center - half, 0.0, 1.0))
        upper = np.where(k == n, 1.0, np.clip(center + half, 0.0, 1.0))
    empty = n == 0
    return np.where(empty, np.nan, lower), np.where(empty, np.nan, upper)
