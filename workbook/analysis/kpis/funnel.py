"""The funnel: stage-to-stage conversion with censoring, and velocity.

Rates follow CONTRACT.md: the probability that a lead which entered stage ``a`` reaches the
next stage ``b`` within ``horizon_days`` is the Aalen-Johansen cumulative incidence of
advancing, with exit (disqualified, or lost after the opportunity stage) as the competing
outcome and leads still open at ``as_of`` censored. These read the **journeys** (every lead
created on or before ``as_of``).

See Also
--------
workbook.analysis.survival.cumulative_incidence : the estimator.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from workbook.analysis.baseline import stage_counts
from workbook.analysis.intervals import proportion_intervals
from workbook.analysis.journeys import Journeys
from workbook.analysis.survival import CumulativeIncidence, cumulative_incidence

#: Days for the velocity shares ``within_<n>_days``.
WITHIN_DAYS: tuple[int, ...] = (30, 60, 90)
_DAY = np.timedelta64(1, "D")


def stage_curves(
    journeys: Journeys, *, confidence_level: float = 0.95
) -> dict[tuple[str, str], CumulativeIncidence]:
    """Cumulative incidence of reaching the next stage, for every adjacent stage pair.

    Parameters
    ----------
    journeys : Journeys
    confidence_level : float
        Of the pointwise bands.

    Returns
    -------
    dict
        ``(from, to)`` -> :class:`~workbook.analysis.survival.CumulativeIncidence` over days since
        entering ``from``. Pairs no lead entered are left out.

    See Also
    --------
    journey_curve : the same for any two stages (e.g. first stage to won).
    """
    curves: dict[tuple[str, str], CumulativeIncidence] = {}
    steps = journeys.steps  # each stage's steps read in place (journeys.step copies them)
    stage_index = steps["stage_index"].to_numpy()
    durations = steps["duration_days"].to_numpy(float)
    events = steps["event"].to_numpy()
    for k, (a, b) in enumerate(journeys.pairs):
        rows = stage_index == k
        if not rows.any():
            continue
        curves[(a, b)] = cumulative_incidence(
            durations[rows], events[rows], event_of_interest=1, confidence_level=confidence_level
        )
    return curves


def funnel_rates(
    journeys: Journeys,
    *,
    horizon_days: int = 365,
    confidence_level: float = 0.95,
    curves: dict[tuple[str, str], CumulativeIncidence] | None = None,
) -> pd.DataFrame:
    """Stage-to-stage conversion, censoring-aware, with the naive rate beside it.

    Parameters
    ----------
    journeys : Journeys
    horizon_days : int
        Conversion within this many days of entering the stage.
    confidence_level : float
    curves : dict, optional
        :func:`stage_curves` already computed.

    Returns
    -------
    DataFrame
        One row per adjacent pair: ``from``, ``to``, ``entered``, ``converted`` (observed, at
        any time), ``rate`` (cumulative incidence at ``horizon_days``, 0..1), ``rate_lower``,
        ``rate_upper`` (pointwise band), ``naive_rate`` (``converted / entered``),
        ``naive_lower``, ``naive_upper`` (Wilson), ``median_days`` (median time to convert
        among converters within the horizon), ``p75_days``, ``p90_days``.
        Rates are NaN where no lead entered.

    See Also
    --------
    velocity_table : the times to convert in more detail.
    """
    curves = (
        curves if curves is not None else stage_curves(journeys, confidence_level=confidence_level)
    )
    table = stage_counts(journeys)
    rate, lower, upper, median, p75, p90 = ([] for _ in range(6))
    for a, b in zip(table["from"], table["to"], strict=True):
        cif = curves.get((a, b))
        if cif is None:
            for column in (rate, lower, upper, median, p75, p90):
                column.append(float("nan"))
            continue
        rate.append(float(cif.at(horizon_days)))
        band = cif.band_at(horizon_days)
        lower.append(band[0])
        upper.append(band[1])
        for column, q in ((median, 0.5), (p75, 0.75), (p90, 0.9)):
            value = cif.quantile_time_days(q, horizon_days=horizon_days)
            column.append(float("nan") if value is None else float(value))
    table["rate"] = rate
    table["rate_lower"] = lower
    table["rate_upper"] = upper
    table["naive_rate"] = table["naive_rate"].astype(float)
    naive_lower, naive_upper = proportion_intervals(
        table["converted"].to_numpy(),
        table["entered"].to_numpy(),
        confidence_level=confidence_level,
    )
    table["naive_lower"] = naive_lower
    table["naive_upper"] = naive_upper
    table["median_days"] = median
    table["p75_days"] = p75
    table["p90_days"] = p90
    return table


def journey_outcomes(
    journeys: Journeys, from_stage: str, to_stage: str, *, leads_mask: np.ndarray | None = None
) -> pd.DataFrame:
    """Time from one stage to a later one, coded for competing-risks analysis.

    Parameters
    ----------
    journeys : Journeys
    from_stage, to_stage : str
        Stages of the ladder, ``from_stage`` before ``to_stage`` (e.g. ``inquiry`` and
        ``won``).
    leads_mask : ndarray of bool, shape (len(journeys.leads),), optional
        Only these leads (e.g. one source).

    Returns
    -------
    DataFrame
        One row per lead that entered ``from_stage``: ``lead_index`` (row of
        ``journeys.leads``), ``event`` (1 reached ``to_stage``, 2 left the funnel on the way:
        disqualified or lost, 0 still open at ``as_of``) and ``duration_days`` (float >= 0:
        days from entering ``from_stage`` to that event, or to ``as_of``).

    Notes
    -----
    For adjacent stages this is exactly ``journeys.step(from_stage)``.
    """
    stages = journeys.stages
    if stages.index(from_stage) >= stages.index(to_stage):
        raise ValueError(f"{from_stage!r} must come before {to_stage!r} in {stages}")
    leads = journeys.leads
    start = leads[f"{from_stage}_at"].to_numpy("datetime64[ns]")
    keep = ~np.isnat(start)
    if leads_mask is not None:
        keep &= np.asarray(leads_mask, dtype=bool)
    idx = np.flatnonzero(keep)
    t0 = start[idx]
    reached = leads[f"{to_stage}_at"].to_numpy("datetime64[ns]")[idx]
    exited = leads["exit_at"].to_numpy("datetime64[ns]")[idx]
    advanced = ~np.isnat(reached)
    left = ~advanced & ~np.isnat(exited)
    end = np.where(advanced, reached, np.where(left, exited, journeys.as_of.to_datetime64()))
    return pd.DataFrame(
        {
            "lead_index": idx,
            "event": np.where(advanced, 1, np.where(left, 2, 0)).astype("int8"),
            "duration_days": np.maximum((end - t0) / _DAY, 0.0),
        }
    )


def journey_curve(
    journeys: Journeys,
    from_stage: str,
    to_stage: str,
    *,
    leads_mask: np.ndarray | None = None,
    confidence_level: float = 0.95,
) -> CumulativeIncidence | None:
    """Cumulative incidence of reaching ``to_stage`` from ``from_stage``, exits competing.

    Returns
    -------
    CumulativeIncidence or None
        None when no lead entered ``from_stage``.

    See Also
    --------
    journey_outcomes : the durations and events estimated.
    """
    outcomes = journey_outcomes(journeys, from_stage, to_stage, leads_mask=leads_mask)
    if len(outcomes) == 0:
        return None
    return cumulative_incidence(
        outcomes["duration_days"].to_numpy(float),
        outcomes["event"].to_numpy(),
        event_of_interest=1,
        confidence_level=confidence_level,
    )


def first_won_key(journeys: Journeys) -> tuple[str, str]:
    """The first stage of the ladder and the last (won)."""
    return (journeys.stages[0], journeys.stages[-1])


def velocity_table(
    journeys: Journeys,
    *,
    horizon_days: int = 365,
    within_days: Sequence[int] = WITHIN_DAYS,
    curves: Mapping[tuple[str, str], CumulativeIncidence] | None = None,
    confidence_level: float = 0.95,
) -> pd.DataFrame:
    """Days to move between stages: every adjacent pair, and the first stage to won.

    Parameters
    ----------
    journeys : Journeys
    horizon_days : int
        Only conversions within this many days count (as for the funnel rates).
    within_days : sequence of int
        Days for the ``within_<n>_days`` shares.
    curves : mapping, optional
        ``(from, to)`` -> cumulative incidence already computed; missing ones are computed.
    confidence_level : float

    Returns
    -------
    DataFrame
        One row per pair, the first-to-won pair first (once, when it is also the ladder's
        only pair): ``key`` (``<from>_<to>``), ``from``,
        ``to``, ``rate`` (0..1, cumulative incidence at the horizon), ``median_days``,
        ``p75_days``, ``p90_days`` (quantiles of the time to convert among leads converting
        within the horizon, censoring-aware) and ``within_<n>_days`` (0..1: the share of
        those converters that converted within ``n`` days). NaN where nothing converted.

    See Also
    --------
    funnel_rates : the same median for adjacent pairs.
    """
    curves = dict(curves or {})
    first_won = first_won_key(journeys)
    # a two-stage ladder ([opportunity, won]) has one pair: the first-to-won pair itself
    pairs = [first_won, *(pair for pair in journeys.pairs if pair != first_won)]
    records = []
    for a, b in pairs:
        cif = curves.get((a, b))
        if cif is None:
            cif = journey_curve(journeys, a, b, confidence_level=confidence_level)
        record: dict[str, Any] = {"key": f"{a}_{b}", "from": a, "to": b}
        rate = float(cif.at(horizon_days)) if cif is not None else float("nan")
        record["rate"] = rate
        for name, q in (("median_days", 0.5), ("p75_days", 0.75), ("p90_days", 0.9)):
            value = cif.quantile_time_days(q, horizon_days=horizon_days) if cif else None
            record[name] = float("nan") if value is None else float(value)
        for n in within_days:
            share = float("nan")
            if cif is not None and rate > 0:
                share = min(1.0, float(cif.at(min(n, horizon_days))) / rate)
            record[f"within_{n}_days"] = share
        records.append(record)
    return pd.DataFrame.from_records(records)
