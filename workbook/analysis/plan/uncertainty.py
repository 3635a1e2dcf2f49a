"""The uncertainty of the data-estimated rates: Beta distributions and drawn stage totals."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

#: Central interval of the bands and the tornado: 10th and 90th percentiles.
BAND_QUANTILES: tuple[float, float] = (0.10, 0.90)


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


__all__ = ["BAND_QUANTILES", "beta_parameters", "simulate_totals"]
