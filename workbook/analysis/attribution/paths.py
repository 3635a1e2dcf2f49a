"""Touch paths: every touch as integer codes, in path order (by lead, then time, then channel).

The models of :mod:`workbook.analysis.attribution` read nothing else. Leads and channels are
numbered with :func:`pandas.factorize` and the touches put in path order with
:func:`numpy.lexsort`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Per-lead outcomes: a frame with lead ids, or a boolean Series indexed by lead id.
Outcomes = pd.DataFrame | pd.Series


@dataclass(frozen=True)
class ConvertedTouches:
    """The touches of converted leads in path order (by lead, then time, then channel name).

    ``channel`` and ``lead`` are codes; ``position`` is the 0-based rank of the touch within
    its lead and ``touch_count`` the lead's number of touches. The rule-based models need
    nothing else: a touch of a lead that did not convert earns nothing.
    """

    channel: np.ndarray
    lead: np.ndarray
    position: np.ndarray
    touch_count: np.ndarray


@dataclass(frozen=True)
class TouchPaths:
    """Touches as integer codes, ready for the models.

    ``channel_names`` are sorted and the channel codes index them. ``lead_converted`` and
    ``lead_revenue`` (0 unless converted) are per lead code, True or non-zero only for
    touched leads. ``converted`` holds the converted leads' touches in path order; ``lead``
    and ``channel`` every touch in path order (lead codes nondecreasing), which only the
    Markov model needs: None when the paths were built without them.
    """

    channel_names: np.ndarray
    lead_converted: np.ndarray
    lead_revenue: np.ndarray | None
    converted: ConvertedTouches
    lead: np.ndarray | None = None
    channel: np.ndarray | None = None


def _time_key(times: pd.Series) -> np.ndarray:
    """Sort key that orders touches in time (datetimes, numbers or other sortables)."""
    if isinstance(times.dtype, pd.DatetimeTZDtype):
        times = times.dt.tz_convert("UTC").dt.tz_localize(None)
    if pd.api.types.is_datetime64_any_dtype(times.dtype):
        return times.to_numpy(dtype="datetime64[ns]").view(np.int64)
    if pd.api.types.is_numeric_dtype(times.dtype) and not pd.api.types.is_bool_dtype(times.dtype):
        return times.to_numpy(dtype=float)
    return pd.factorize(times, sort=True)[0]


def touch_order(lead: np.ndarray, time: np.ndarray, channel: np.ndarray) -> np.ndarray:
    """The permutation that sorts touches by lead, then time, then channel.

    ``np.lexsort((channel, time, lead))``: stable, so touches equal on all three keep their
    order.

    Examples
    --------
    >>> touch_order(np.array([1, 0, 1, 0]), np.array([5, 9, 2, 9]), np.array([0, 1, 0, 0]))
    array([3, 1, 2, 0])
    """
    return np.lexsort((channel, time, lead))


def _channel_codes(channels: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Channel codes in order of channel name, and the names (texts) of the channels present.

    The column is factorized once (a Categorical through its codes); its few distinct values
    are then read as text and numbered by name.

    Examples
    --------
    >>> codes, names = _channel_codes(pd.Series(["seo", "email", "seo"]))
    >>> codes.tolist(), names.tolist()
    ([1, 0, 1], ['email', 'seo'])
    """
    codes, distinct = pd.factorize(channels)
    by_name, names = pd.factorize(pd.Index(distinct).astype(str), sort=True)
    return by_name[codes], np.asarray(names, dtype=object)


def _outcome_arrays(
    outcomes: Outcomes,
    lead_ids: pd.Index,
    *,
    lead_id_col: str,
    converted_col: str,
    revenue_col: str | None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Converted flag and revenue for each touched lead (in ``lead_ids`` order)."""
    if isinstance(outcomes, pd.Series):
        outcome_ids = outcomes.index
        converted = outcomes
        revenue = None
    else:
        missing = [c for c in (lead_id_col, converted_col) if c not in outcomes.columns]
        if missing:
            raise ValueError(f"outcomes lacks column(s) {missing}")
        outcome_ids = pd.Index(outcomes[lead_id_col])
        converted = outcomes[converted_col]
        has_revenue = revenue_col is not None and revenue_col in outcomes.columns
        revenue = outcomes[revenue_col] if has_revenue else None
    if outcome_ids.has_duplicates:
        duplicated = outcome_ids[outcome_ids.duplicated()].unique()[:5].tolist()
        raise ValueError(f"outcomes has duplicate lead ids, e.g. {duplicated}")
    position = outcome_ids.get_indexer(lead_ids)
    found = position >= 0
    converted_flags = converted.astype("boolean").fillna(False).to_numpy(dtype=bool)
    lead_converted = np.zeros(len(lead_ids), dtype=bool)
    lead_converted[found] = converted_flags[position[found]]
    if revenue is None:
        return lead_converted, None
    revenue_values = pd.to_numeric(revenue).astype(float).fillna(0.0).to_numpy(dtype=float)
    lead_revenue = np.zeros(len(lead_ids), dtype=float)
    lead_revenue[found] = revenue_values[position[found]]
    return lead_converted, lead_revenue


def touch_paths(
    touches: pd.DataFrame,
    outcomes: Outcomes,
    *,
    lead_id_col: str,
    touched_at_col: str,
    channel_col: str,
    converted_col: str,
    revenue_col: str | None,
    every_path: bool = True,
) -> TouchPaths:
    """The touches of ``touches`` as paths, each lead's outcome beside it.

    Without ``every_path`` only the converted leads' touches are put in order (enough for
    the rule-based models).

    Raises
    ------
    ValueError
        When a column is missing or a cell of ``touches`` is empty (naming the rows).
    """
    missing = [c for c in (lead_id_col, touched_at_col, channel_col) if c not in touches.columns]
    if missing:
        raise ValueError(f"touches lacks column(s) {missing}")
    for column in (lead_id_col, touched_at_col, channel_col):
        empty = touches[column].isna().to_numpy()
        if empty.any():
            rows = (np.flatnonzero(empty)[:5] + 1).tolist()
            raise ValueError(f"touches column {column!r} is empty on rows {rows} (1-based)")

    lead, lead_ids = pd.factorize(touches[lead_id_col])
    channel, channel_names = _channel_codes(touches[channel_col])
    time = _time_key(touches[touched_at_col])
    lead_converted, lead_revenue = _outcome_arrays(
        outcomes,
        pd.Index(lead_ids),
        lead_id_col=lead_id_col,
        converted_col=converted_col,
        revenue_col=revenue_col,
    )
    if lead_revenue is not None:
        lead_revenue = np.where(lead_converted, lead_revenue, 0.0)
    counts = np.bincount(lead, minlength=len(lead_ids))
    if every_path:
        order = touch_order(lead, time, channel)
    else:  # the rule-based models alone: only the converted leads' touches are sorted
        won = np.flatnonzero(lead_converted[lead])
        order = won[touch_order(lead[won], time[won], channel[won])]
    path_lead, path_channel = lead[order], channel[order]
    won = np.flatnonzero(lead_converted[path_lead])
    won_lead, won_channel = path_lead[won], path_channel[won]
    index = np.arange(won_lead.size)
    first = np.ones(won_lead.size, dtype=bool)  # first touch of its lead
    np.not_equal(won_lead[1:], won_lead[:-1], out=first[1:])
    position = index - np.maximum.accumulate(np.where(first, index, 0))
    return TouchPaths(
        channel_names=channel_names,
        lead_converted=lead_converted,
        lead_revenue=lead_revenue,
        converted=ConvertedTouches(
            channel=won_channel,
            lead=won_lead,
            position=position,
            touch_count=counts[won_lead],
        ),
        lead=path_lead if every_path else None,
        channel=path_channel if every_path else None,
    )
