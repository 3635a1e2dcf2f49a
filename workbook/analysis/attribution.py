"""Channel attribution from lead touch paths: rule-based models and a Markov removal effect.

Every model shares out each converted lead (and, when given, its revenue) among the channels
of the lead's touches, so each model's credits add up to the converted leads that have at
least one touch. Leads with no touch are not part of any model; a touched lead missing from
the outcomes counts as not converted.

Pass only the touches that can have influenced the outcome (for instance, touches before the
opportunity was created): the models do not know when a lead converted.

All models are vectorised: the touches are put in path order (by lead, time and channel)
once, by a counting sort on the leads (:func:`touch_order`), then ``bincount`` passes; the
rule-based models read only the converted leads' touches, and only the Markov model loops,
once per channel.

See Also
--------
attribute : all models side by side, one row per channel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook.textkeys import code_dtype

try:  # pandas' counting sort (private, but stable for years); numpy's radix sort otherwise
    from pandas._libs.algos import groupsort_indexer as _groupsort_indexer
except ImportError:  # pragma: no cover - depends on the pandas installed
    _groupsort_indexer = None

__all__ = [
    "ATTRIBUTION_MODELS",
    "attribute",
    "attribute_coded",
    "channel_codes_by_name",
    "first_touch",
    "last_touch",
    "linear",
    "markov_removal_effect",
    "position_based",
    "sorted_by_path",
    "touch_order",
]

#: Model names accepted by :func:`attribute`, in their default order.
ATTRIBUTION_MODELS: tuple[str, ...] = (
    "first_touch",
    "last_touch",
    "linear",
    "position_based",
    "markov",
)

#: When more touches than this share are out of time order within their lead once grouped
#: by lead, :func:`touch_order` sorts every touch by time first.
RESORT_SHARE = 1 / 64

Outcomes = pd.DataFrame | pd.Series


@dataclass(frozen=True)
class _ConvertedTouches:
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
class _TouchPaths:
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
    converted: _ConvertedTouches
    lead: np.ndarray | None = None
    channel: np.ndarray | None = None


def _time_key(times: pd.Series) -> np.ndarray:
    """Integer sort key that orders touches in time (datetimes, numbers or other sortables)."""
    if isinstance(times.dtype, pd.DatetimeTZDtype):
        times = times.dt.tz_convert("UTC").dt.tz_localize(None)
    if pd.api.types.is_datetime64_any_dtype(times.dtype):
        return times.to_numpy(dtype="datetime64[ns]").view(np.int64)
    if pd.api.types.is_numeric_dtype(times.dtype) and not pd.api.types.is_bool_dtype(times.dtype):
        return times.to_numpy(dtype=float)
    return pd.factorize(times, sort=True)[0]


def touch_order(lead: np.ndarray, time: np.ndarray, channel: np.ndarray) -> np.ndarray:
    """The permutation that sorts touches by lead, then time, then channel.

    The same as ``np.lexsort((channel, time, lead))``, in linear passes where it can: a
    stable counting sort on the lead codes keeps each lead's touches in file order, which is
    time order when the export is sorted by time (as CRM exports usually are); the few
    leads whose touches are then out of order (ties in time, channels not in order) are
    sorted on their own. An export in no time order is sorted by time first.

    Parameters
    ----------
    lead, channel : ndarray of int
        Non-negative codes.
    time : ndarray
        Integer (datetime64 as int64) or float sort keys.

    Examples
    --------
    >>> touch_order(np.array([1, 0, 1, 0]), np.array([5, 9, 2, 9]), np.array([0, 1, 0, 0]))
    array([3, 1, 2, 0])
    """
    return sorted_by_path(lead, time, channel)[0]


def sorted_by_path(
    lead: np.ndarray, time: np.ndarray, channel: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`touch_order`, and the leads, times and channels in that order.

    Each is gathered once: the sort checks its work on them.
    """
    lead = np.asarray(lead, dtype=np.int64)
    channel = _codes(channel)
    time = np.asarray(time)
    n = len(lead)
    if n == 0 or lead.min() < 0 or channel.min() < 0 or time.dtype.kind not in "iuf":
        order = np.lexsort((channel, time, lead))
        return order, lead[order], time[order], channel[order]
    order, sorted_lead = _grouped(lead)
    sorted_time, sorted_channel = time[order], channel[order]
    # within a lead (kept in file order), a touch out of place is earlier than the one
    # before it, or at the same time with a channel earlier in name
    same_lead = sorted_lead[1:] == sorted_lead[:-1]
    previous_time, this_time = sorted_time[:-1], sorted_time[1:]
    out_of_place = (this_time < previous_time) | (
        (this_time == previous_time) & (sorted_channel[1:] < sorted_channel[:-1])
    )
    misplaced = np.flatnonzero(same_lead & out_of_place)
    if misplaced.size == 0:
        return order, sorted_lead, sorted_time, sorted_channel
    if misplaced.size > RESORT_SHARE * n:  # not in time order: sort by time, then by lead
        by_time = _time_then_channel_order(time, channel)
        order = by_time[_grouped(lead[by_time])[0]]
        return order, sorted_lead, time[order], channel[order]  # the same leads, sorted
    # the touches of the leads out of place are contiguous: sort those alone, stably
    flagged = np.zeros(int(lead.max()) + 1, dtype=bool)
    flagged[sorted_lead[misplaced]] = True
    rows = np.flatnonzero(flagged[sorted_lead])
    moved = rows[np.lexsort((sorted_channel[rows], sorted_time[rows], sorted_lead[rows]))]
    order[rows] = order[moved]
    sorted_time[rows] = sorted_time[moved]
    sorted_channel[rows] = sorted_channel[moved]
    return order, sorted_lead, sorted_time, sorted_channel


def _time_then_channel_order(time: np.ndarray, channel: np.ndarray) -> np.ndarray:
    """The stable permutation that sorts by time, then channel: one sort of one key if it can."""
    n_channels = int(channel.max(initial=0)) + 1
    if time.dtype.kind in "iu":
        lowest = int(time.min())
        if (int(time.max()) - lowest + 1) * n_channels < 2**63:
            key = (time.astype(np.int64) - lowest) * n_channels + channel
            return np.argsort(key, kind="stable")
    return np.lexsort((channel, time))


def _grouped(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The stable permutation that sorts non-negative integer codes, and the sorted codes.

    A counting sort: pandas' own (the one behind its ``groupby``) when it is there, else
    numpy's radix sort, 16 bits at a time. Both take linear time.

    Examples
    --------
    >>> order, codes = _grouped(np.array([2, 0, 2, 1, 0]))
    >>> order.tolist(), codes.tolist()
    ([1, 4, 3, 0, 2], [0, 0, 1, 2, 2])
    """
    codes = np.asarray(codes, dtype=np.intp)
    if codes.size == 0:
        return np.zeros(0, dtype=np.intp), codes
    n_groups = int(codes.max()) + 1
    if _groupsort_indexer is not None:
        order, counts = _groupsort_indexer(codes, n_groups)
        # counts[0] counts code -1 (none here); the sorted codes are each code, counts times
        sorted_codes = np.repeat(np.arange(n_groups, dtype=np.int64), counts[1:])
        return np.asarray(order, dtype=np.intp), sorted_codes
    order = None
    passes = max(1, -(-int(codes.max()).bit_length() // 16))
    for k in range(passes):
        digits = codes if order is None else codes[order]
        step = np.argsort(((digits >> (16 * k)) & 0xFFFF).astype(np.uint16), kind="stable")
        order = step if order is None else order[step]
    return order, codes[order].astype(np.int64)


def _lead_codes(ids: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Lead codes 0..k-1 and the lead id of each code.

    Small non-negative integer ids (rows of a leads table) are their own codes; anything
    else is factorized. The order of codes does not matter: only the grouping does.
    """
    values = ids.to_numpy()
    if (
        np.issubdtype(values.dtype, np.integer)
        and len(values)
        and values.min() >= 0
        and values.max() < 4 * len(values) + 1024
    ):
        return values.astype(np.int64), np.arange(int(values.max()) + 1)
    codes, uniques = pd.factorize(ids)
    return codes, np.asarray(uniques)


def _channel_codes(channels: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Channel codes ordered by channel name, and the names (texts)."""
    if isinstance(channels.dtype, pd.CategoricalDtype):  # codes already: no texts to hash
        codes = channels.cat.codes.to_numpy().astype(np.int64)
        names = channels.cat.categories.astype(str)
        if codes.min(initial=0) >= 0 and not names.has_duplicates:
            return channel_codes_by_name(codes, names)
    codes, names = pd.factorize(channels.astype(str), sort=True)
    return codes, np.asarray(names, dtype=object)


def channel_codes_by_name(codes: np.ndarray, names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Codes renumbered in order of name, and the names used, in that order.

    ``codes`` index ``names`` (distinct texts); every code must be >= 0.

    Examples
    --------
    >>> codes, names = channel_codes_by_name(np.array([0, 2, 0]), ["seo", "event", "email"])
    >>> codes.tolist(), names.tolist()
    ([1, 0, 1], ['email', 'seo'])
    """
    names = np.asarray(names, dtype=object)
    if len(set(names.tolist())) != len(names):
        raise ValueError("channel_names must be distinct")
    used = np.flatnonzero(np.bincount(codes, minlength=len(names)) > 0)
    by_name = used[np.argsort(names[used].astype(str), kind="stable")]
    if np.array_equal(by_name, np.arange(len(names))):  # already so: no pass over them
        return codes, names
    new_code = np.full(len(names), -1, dtype=code_dtype(len(by_name)))
    new_code[by_name] = np.arange(len(by_name))
    return new_code[codes], names[by_name]


def _codes(values: np.ndarray) -> np.ndarray:
    """Integer codes as they are (any integer width); anything else as int64."""
    values = np.asarray(values)
    return values if values.dtype.kind in "iu" else values.astype(np.int64)


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
    return lead_converted, np.where(lead_converted, lead_revenue, 0.0)


def _touch_paths(
    touches: pd.DataFrame,
    outcomes: Outcomes,
    *,
    lead_id_col: str,
    touched_at_col: str,
    channel_col: str,
    converted_col: str,
    revenue_col: str | None,
    every_path: bool = True,
) -> _TouchPaths:
    missing = [c for c in (lead_id_col, touched_at_col, channel_col) if c not in touches.columns]
    if missing:
        raise ValueError(f"touches lacks column(s) {missing}")
    for column in (lead_id_col, touched_at_col, channel_col):
        empty = touches[column].isna().to_numpy()
        if empty.any():
            rows = (np.flatnonzero(empty)[:5] + 1).tolist()
            raise ValueError(f"touches column {column!r} is empty on rows {rows} (1-based)")

    lead_codes, lead_ids = _lead_codes(touches[lead_id_col])
    channel_codes, channel_names = _channel_codes(touches[channel_col])
    lead_converted, lead_revenue = _outcome_arrays(
        outcomes,
        pd.Index(lead_ids),
        lead_id_col=lead_id_col,
        converted_col=converted_col,
        revenue_col=revenue_col,
    )
    return _coded_paths(
        lead_codes,
        _time_key(touches[touched_at_col]),
        channel_codes,
        channel_names,
        lead_converted,
        lead_revenue,
        every_path=every_path,
    )


def _coded_paths(
    lead: np.ndarray,
    time: np.ndarray | None,
    channel: np.ndarray,
    channel_names: np.ndarray,
    lead_converted: np.ndarray,
    lead_revenue: np.ndarray | None,
    *,
    every_path: bool = True,
    ordered: bool = False,
) -> _TouchPaths:
    """Touch paths from integer codes, shared by every model of :func:`attribute_coded`.

    ``lead`` holds codes 0..len(lead_converted)-1; ``time`` integer or float sort keys;
    ``channel`` codes into ``channel_names`` (sorted by name). Without ``every_path`` only
    the converted leads' touches are sorted (enough for the rule-based models); with
    ``ordered`` the touches are already in path order and not sorted at all.
    """
    lead = np.asarray(lead, dtype=np.int64)
    channel = _codes(channel)
    counts = np.bincount(lead, minlength=len(lead_converted))
    touched = counts > 0  # integer ids may leave gaps: leads without touches earn nothing
    lead_converted = np.asarray(lead_converted, dtype=bool) & touched
    if lead_revenue is not None:
        lead_revenue = np.where(lead_converted, lead_revenue, 0.0)
    if ordered:
        path_lead, path_channel = lead, channel
    elif every_path:
        _, path_lead, _, path_channel = sorted_by_path(lead, time, channel)
    else:  # the rule-based models alone: only the converted leads' touches are sorted
        won = np.flatnonzero(lead_converted[lead])
        _, path_lead, _, path_channel = sorted_by_path(lead[won], time[won], channel[won])
    won = np.flatnonzero(lead_converted[path_lead])
    won_lead, won_channel = path_lead[won], path_channel[won]
    index = np.arange(won_lead.size)
    first = np.ones(won_lead.size, dtype=bool)  # first touch of its lead
    np.not_equal(won_lead[1:], won_lead[:-1], out=first[1:])
    position = index - np.maximum.accumulate(np.where(first, index, 0))
    return _TouchPaths(
        channel_names=channel_names,
        lead_converted=lead_converted,
        lead_revenue=lead_revenue,
        converted=_ConvertedTouches(
            channel=won_channel,
            lead=won_lead,
            position=position,
            touch_count=counts[won_lead],
        ),
        lead=path_lead if every_path else None,
        channel=path_channel if every_path else None,
    )


def _credit_frame(paths: _TouchPaths, touch_weight: np.ndarray) -> pd.DataFrame:
    """Sum the converted leads' per-touch weights (each lead's summing to 1) by channel."""
    n_channels = len(paths.channel_names)
    won = paths.converted
    columns = {"converted": np.bincount(won.channel, touch_weight, minlength=n_channels)}
    if paths.lead_revenue is not None:
        revenue_weight = touch_weight * paths.lead_revenue[won.lead]
        columns["revenue"] = np.bincount(won.channel, revenue_weight, minlength=n_channels)
    return pd.DataFrame(columns, index=pd.Index(paths.channel_names, name="channel", dtype=str))


def _first_touch_weight(won: _ConvertedTouches) -> np.ndarray:
    return (won.position == 0).astype(float)


def _last_touch_weight(won: _ConvertedTouches) -> np.ndarray:
    return (won.position == won.touch_count - 1).astype(float)


def _linear_weight(won: _ConvertedTouches) -> np.ndarray:
    return 1.0 / won.touch_count


def _position_based_weight(
    won: _ConvertedTouches, *, first_share: float, last_share: float
) -> np.ndarray:
    if not (0.0 <= first_share <= 1.0 and 0.0 <= last_share <= 1.0):
        raise ValueError("first_share and last_share must be in [0, 1]")
    ends_share = first_share + last_share
    if not 0.0 < ends_share <= 1.0 + 1e-12:
        raise ValueError("first_share + last_share must be in (0, 1]")
    k = won.touch_count
    is_first = won.position == 0
    is_last = won.position == k - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        middle = np.maximum(1.0 - ends_share, 0.0) / (k - 2)
    weight = np.where(is_first, first_share, np.where(is_last, last_share, middle))
    two = k == 2
    weight = np.where(two & is_first, first_share / ends_share, weight)
    weight = np.where(two & is_last, last_share / ends_share, weight)
    return np.where(k == 1, 1.0, weight)


def _absorbing_conversion_probability(transient: np.ndarray, absorbing: np.ndarray) -> float:
    """P(start ends in conversion): solve (I - Q) B = R; B[start, conversion]."""
    identity = np.eye(transient.shape[0])
    absorption = np.linalg.solve(identity - transient, absorbing)
    return float(absorption[0, 0])


def _markov_removal_effects(paths: _TouchPaths) -> tuple[np.ndarray, float]:
    """Removal effect per channel and the chain's conversion probability.

    States: 0 = start, 1..m = channels, m+1 = conversion, m+2 = null.
    """
    n_channels = len(paths.channel_names)
    if paths.lead.size == 0:
        return np.zeros(0), 0.0
    n_states = n_channels + 3
    conversion, null = n_channels + 1, n_channels + 2
    # each lead's path with consecutive repeats collapsed: a step is a change of channel
    # within a lead; a path starts at a lead's first touch and ends at its last
    lead, channel = paths.lead, paths.channel
    same_lead = lead[1:] == lead[:-1]
    step = same_lead & (channel[1:] != channel[:-1])
    # channel -> channel: each step's (from, to) pair as one small integer, counted
    pair = channel[:-1].astype(np.int16 if n_channels**2 < 2**15 else np.int64)
    pair *= n_channels
    pair += channel[1:]
    counts = np.zeros((n_states, n_states), dtype=np.int64)  # state = channel + 1
    counts[1 : n_channels + 1, 1 : n_channels + 1] = np.bincount(
        pair[step], minlength=n_channels**2
    ).reshape(n_channels, n_channels)
    # start -> each path's first channel; each path's last channel -> conversion or null
    last = np.flatnonzero(np.append(~same_lead, True))
    first = np.insert(last[:-1] + 1, 0, 0)
    counts[0, 1 : n_channels + 1] += np.bincount(channel[first], minlength=n_channels)
    exits = np.where(paths.lead_converted[lead[last]], conversion, null)
    from_last = channel[last].astype(np.intp) + 1
    counts += np.bincount(from_last * n_states + exits, minlength=n_states**2).reshape(
        n_states, n_states
    )
    counts = counts[: n_channels + 1].astype(float)
    probabilities = counts / counts.sum(axis=1, keepdims=True)
    transient = probabilities[:, : n_channels + 1]
    absorbing = probabilities[:, n_channels + 1 :]

    base = _absorbing_conversion_probability(transient, absorbing)
    if base <= 0.0:
        return np.full(n_channels, np.nan), 0.0
    effects = np.empty(n_channels)
    for code in range(n_channels):
        removed_transient = transient.copy()
        removed_absorbing = absorbing.copy()
        removed_transient[code + 1, :] = 0.0
        removed_absorbing[code + 1, :] = (0.0, 1.0)
        removed = _absorbing_conversion_probability(removed_transient, removed_absorbing)
        effects[code] = 1.0 - removed / base
    return np.clip(effects, 0.0, 1.0), base


def _markov_frame(paths: _TouchPaths) -> pd.DataFrame:
    effects, _ = _markov_removal_effects(paths)
    total = np.nansum(effects)
    share = effects / total if total > 0 else np.zeros_like(effects)
    converted_leads = float(paths.lead_converted.sum())
    columns = {"converted": share * converted_leads}
    if paths.lead_revenue is not None:
        columns["revenue"] = share * float(paths.lead_revenue.sum())
    columns["removal_effect"] = effects
    return pd.DataFrame(columns, index=pd.Index(paths.channel_names, name="channel", dtype=str))


def _rule_model(
    touches: pd.DataFrame,
    outcomes: Outcomes,
    weight_of: Callable[[_ConvertedTouches], np.ndarray],
    *,
    lead_id_col: str,
    touched_at_col: str,
    channel_col: str,
    converted_col: str,
    revenue_col: str | None,
) -> pd.DataFrame:
    paths = _touch_paths(
        touches,
        outcomes,
        lead_id_col=lead_id_col,
        touched_at_col=touched_at_col,
        channel_col=channel_col,
        converted_col=converted_col,
        revenue_col=revenue_col,
        every_path=False,
    )
    return _credit_frame(paths, weight_of(paths.converted))


def first_touch(
    touches: pd.DataFrame,
    outcomes: Outcomes,
    *,
    lead_id_col: str = "lead_id",
    touched_at_col: str = "touched_at",
    channel_col: str = "channel",
    converted_col: str = "converted",
    revenue_col: str | None = "revenue",
) -> pd.DataFrame:
    """First-touch attribution: each converted lead is credited to its earliest touch's channel.

    Parameters
    ----------
    touches : pandas.DataFrame
        One row per touch: ``lead_id_col``, ``touched_at_col`` (datetime64, or any sortable
        values) and ``channel_col``; no empty cells. Row order does not matter: touches are
        ordered by time within each lead, ties by channel name.
    outcomes : pandas.DataFrame or pandas.Series
        One row per lead: ``lead_id_col``, ``converted_col`` (bool; missing = False) and
        optionally ``revenue_col`` (float, in the engagement's currency; missing = 0), or a
        boolean Series indexed by lead id. Lead ids must be unique.
    lead_id_col, touched_at_col, channel_col, converted_col : str
        Column names.
    revenue_col : str or None, default "revenue"
        Revenue column of ``outcomes``; revenue is credited only when it is present.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``channel`` (every channel of ``touches``, sorted), columns ``converted``
        (converted leads credited, float, summing to the converted leads with at least one
        touch) and, with revenue, ``revenue`` (summing to their revenue).

    See Also
    --------
    last_touch, linear, position_based, markov_removal_effect
    attribute : all models at once.
    """
    return _rule_model(
        touches,
        outcomes,
        _first_touch_weight,
        lead_id_col=lead_id_col,
        touched_at_col=touched_at_col,
        channel_col=channel_col,
        converted_col=converted_col,
        revenue_col=revenue_col,
    )


def last_touch(
    touches: pd.DataFrame,
    outcomes: Outcomes,
    *,
    lead_id_col: str = "lead_id",
    touched_at_col: str = "touched_at",
    channel_col: str = "channel",
    converted_col: str = "converted",
    revenue_col: str | None = "revenue",
) -> pd.DataFrame:
    """Last-touch attribution: each converted lead is credited to its latest touch's channel.

    Parameters
    ----------
    touches : pandas.DataFrame
        One row per touch: ``lead_id_col``, ``touched_at_col`` (datetime64, or any sortable
        values) and ``channel_col``; no empty cells. Row order does not matter: touches are
        ordered by time within each lead, ties by channel name.
    outcomes : pandas.DataFrame or pandas.Series
        One row per lead: ``lead_id_col``, ``converted_col`` (bool; missing = False) and
        optionally ``revenue_col`` (float, in the engagement's currency; missing = 0), or a
        boolean Series indexed by lead id. Lead ids must be unique.
    lead_id_col, touched_at_col, channel_col, converted_col : str
        Column names.
    revenue_col : str or None, default "revenue"
        Revenue column of ``outcomes``; revenue is credited only when it is present.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``channel`` (every channel of ``touches``, sorted), columns ``converted``
        (converted leads credited, float, summing to the converted leads with at least one
        touch) and, with revenue, ``revenue`` (summing to their revenue).

    See Also
    --------
    first_touch, linear, position_based, markov_removal_effect
    attribute : all models at once.
    """
    return _rule_model(
        touches,
        outcomes,
        _last_touch_weight,
        lead_id_col=lead_id_col,
        touched_at_col=touched_at_col,
        channel_col=channel_col,
        converted_col=converted_col,
        revenue_col=revenue_col,
    )


def linear(
    touches: pd.DataFrame,
    outcomes: Outcomes,
    *,
    lead_id_col: str = "lead_id",
    touched_at_col: str = "touched_at",
    channel_col: str = "channel",
    converted_col: str = "converted",
    revenue_col: str | None = "revenue",
) -> pd.DataFrame:
    """Linear attribution: each of a converted lead's k touches earns 1/k of it.

    Repeated touches count separately: a path webinar, webinar, event credits webinar 2/3.

    Parameters
    ----------
    touches : pandas.DataFrame
        One row per touch: ``lead_id_col``, ``touched_at_col`` (datetime64, or any sortable
        values) and ``channel_col``; no empty cells. Row order does not matter: touches are
        ordered by time within each lead, ties by channel name.
    outcomes : pandas.DataFrame or pandas.Series
        One row per lead: ``lead_id_col``, ``converted_col`` (bool; missing = False) and
        optionally ``revenue_col`` (float, in the engagement's currency; missing = 0), or a
        boolean Series indexed by lead id. Lead ids must be unique.
    lead_id_col, touched_at_col, channel_col, converted_col : str
        Column names.
    revenue_col : str or None, default "revenue"
        Revenue column of ``outcomes``; revenue is credited only when it is present.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``channel`` (every channel of ``touches``, sorted), columns ``converted``
        (converted leads credited, float, summing to the converted leads with at least one
        touch) and, with revenue, ``revenue`` (summing to their revenue).

    See Also
    --------
    first_touch, last_touch, position_based, markov_removal_effect
    attribute : all models at once.
    """
    return _rule_model(
        touches,
        outcomes,
        _linear_weight,
        lead_id_col=lead_id_col,
        touched_at_col=touched_at_col,
        channel_col=channel_col,
        converted_col=converted_col,
        revenue_col=revenue_col,
    )


def position_based(
    touches: pd.DataFrame,
    outcomes: Outcomes,
    *,
    first_share: float = 0.4,
    last_share: float = 0.4,
    lead_id_col: str = "lead_id",
    touched_at_col: str = "touched_at",
    channel_col: str = "channel",
    converted_col: str = "converted",
    revenue_col: str | None = "revenue",
) -> pd.DataFrame:
    """Position-based (U-shaped) attribution, 40/20/40 by default.

    With three or more touches the first earns ``first_share``, the last ``last_share`` and
    the touches between share the rest equally. A single touch earns everything; with two,
    the shares are rescaled to sum to 1 (50/50 by default).

    Parameters
    ----------
    touches : pandas.DataFrame
        One row per touch: ``lead_id_col``, ``touched_at_col`` (datetime64, or any sortable
        values) and ``channel_col``; no empty cells. Row order does not matter: touches are
        ordered by time within each lead, ties by channel name.
    outcomes : pandas.DataFrame or pandas.Series
        One row per lead: ``lead_id_col``, ``converted_col`` (bool; missing = False) and
        optionally ``revenue_col`` (float, in the engagement's currency; missing = 0), or a
        boolean Series indexed by lead id. Lead ids must be unique.
    lead_id_col, touched_at_col, channel_col, converted_col : str
        Column names.
    revenue_col : str or None, default "revenue"
        Revenue column of ``outcomes``; revenue is credited only when it is present.
    first_share, last_share : float, default 0.4
        Shares (0..1, summing to at most 1 and more than 0) of the first and last touch.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``channel`` (every channel of ``touches``, sorted), columns ``converted``
        (converted leads credited, float, summing to the converted leads with at least one
        touch) and, with revenue, ``revenue`` (summing to their revenue).

    See Also
    --------
    first_touch, last_touch, linear, markov_removal_effect
    attribute : all models at once.
    """

    def weight_of(won: _ConvertedTouches) -> np.ndarray:
        return _position_based_weight(won, first_share=first_share, last_share=last_share)

    return _rule_model(
        touches,
        outcomes,
        weight_of,
        lead_id_col=lead_id_col,
        touched_at_col=touched_at_col,
        channel_col=channel_col,
        converted_col=converted_col,
        revenue_col=revenue_col,
    )


def markov_removal_effect(
    touches: pd.DataFrame,
    outcomes: Outcomes,
    *,
    lead_id_col: str = "lead_id",
    touched_at_col: str = "touched_at",
    channel_col: str = "channel",
    converted_col: str = "converted",
    revenue_col: str | None = "revenue",
) -> pd.DataFrame:
    r"""First-order Markov-chain attribution by removal effect.

    Each lead's time-ordered path, with consecutive repeats of a channel collapsed into one
    step, becomes ``start -> c_1 -> ... -> c_k -> conversion`` (converted lead) or
    ``... -> null``. Transition probabilities are the observed counts of each step divided by
    the counts leaving its state, over all touched leads, converted or not. With :math:`Q` the
    transitions among transient states (start and channels) and :math:`R` those into the
    absorbing states (conversion, null), :math:`(I - Q) B = R` gives the absorption
    probabilities and :math:`P = B_{start, conversion}`.

    The removal effect of channel :math:`c` is :math:`1 - P_{-c} / P`, where :math:`P_{-c}` is
    the conversion probability once every transition out of :math:`c` is redirected to null.
    Credit shares are the removal effects normalised to sum to 1, times the converted leads
    (and their revenue).

    Parameters
    ----------
    touches : pandas.DataFrame
        One row per touch: ``lead_id_col``, ``touched_at_col`` (datetime64, or any sortable
        values) and ``channel_col``; no empty cells. Row order does not matter: touches are
        ordered by time within each lead, ties by channel name.
    outcomes : pandas.DataFrame or pandas.Series
        One row per lead: ``lead_id_col``, ``converted_col`` (bool; missing = False) and
        optionally ``revenue_col`` (float, in the engagement's currency; missing = 0), or a
        boolean Series indexed by lead id. Lead ids must be unique.
    lead_id_col, touched_at_col, channel_col, converted_col : str
        Column names.
    revenue_col : str or None, default "revenue"
        Revenue column of ``outcomes``; revenue is credited only when it is present.
    Returns
    -------
    pandas.DataFrame
        As the rule-based models (``converted``, optionally ``revenue``) plus
        ``removal_effect`` (0..1; NaN for every channel when no touched lead converted, in
        which case all credits are 0).

    References
    ----------
    .. [1] Anderl E., Becker I., von Wangenheim F., Schumann J.H. (2016). Mapping the customer
       journey: lessons learned from graph-based online attribution modeling.
       *International Journal of Research in Marketing* 33(3), 457-474.

    See Also
    --------
    first_touch, last_touch, linear, position_based
    attribute : all models at once.

    Examples
    --------
    Paths C1 > C2 > C3 (converted), C1 (not), C2 > C3 (not): P = 1/3; removing C1 leaves
    1/6, removing C2 or C3 leaves 0.

    >>> touches = pd.DataFrame({
    ...     "lead_id": ["a", "a", "a", "b", "c", "c"],
    ...     "touched_at": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-03",
    ...                                   "2026-01-01", "2026-01-01", "2026-01-02"]),
    ...     "channel": ["C1", "C2", "C3", "C1", "C2", "C3"]})
    >>> outcomes = pd.Series({"a": True, "b": False, "c": False})
    >>> markov_removal_effect(touches, outcomes).round(3).to_dict("list")
    {'converted': [0.2, 0.4, 0.4], 'removal_effect': [0.5, 1.0, 1.0]}
    """
    paths = _touch_paths(
        touches,
        outcomes,
        lead_id_col=lead_id_col,
        touched_at_col=touched_at_col,
        channel_col=channel_col,
        converted_col=converted_col,
        revenue_col=revenue_col,
    )
    return _markov_frame(paths)


def attribute(
    touches: pd.DataFrame,
    outcomes: Outcomes,
    *,
    models: Sequence[str] = ATTRIBUTION_MODELS,
    first_share: float = 0.4,
    last_share: float = 0.4,
    lead_id_col: str = "lead_id",
    touched_at_col: str = "touched_at",
    channel_col: str = "channel",
    converted_col: str = "converted",
    revenue_col: str | None = "revenue",
) -> pd.DataFrame:
    """Credit converted leads (and revenue) to channels under several attribution models.

    The touches are sorted once and shared by every model.

    Parameters
    ----------
    touches : pandas.DataFrame
        One row per touch: ``lead_id_col``, ``touched_at_col`` (datetime64, or any sortable
        values) and ``channel_col``; no empty cells. Row order does not matter: touches are
        ordered by time within each lead, ties by channel name.
    outcomes : pandas.DataFrame or pandas.Series
        One row per lead: ``lead_id_col``, ``converted_col`` (bool; missing = False) and
        optionally ``revenue_col`` (float, in the engagement's currency; missing = 0), or a
        boolean Series indexed by lead id. Lead ids must be unique.
    lead_id_col, touched_at_col, channel_col, converted_col : str
        Column names.
    revenue_col : str or None, default "revenue"
        Revenue column of ``outcomes``; revenue is credited only when it is present.
    models : sequence of str, default all of :data:`ATTRIBUTION_MODELS`
        Any of ``"first_touch"``, ``"last_touch"``, ``"linear"``, ``"position_based"``,
        ``"markov"``.
    first_share, last_share : float, default 0.4
        Options of the position-based model.

    Returns
    -------
    pandas.DataFrame
        One row per channel of ``touches`` (index ``channel``, sorted) and, for each model in
        ``models`` order, a column ``<model>_converted`` (converted leads credited; each sums
        to the converted leads with at least one touch), then with revenue a column
        ``<model>_revenue`` per model (each sums to those leads' revenue), then with
        ``"markov"`` the column ``markov_removal_effect`` (0..1, NaN when nothing converted).

    See Also
    --------
    first_touch, last_touch, linear, position_based, markov_removal_effect

    Examples
    --------
    >>> touches = pd.DataFrame({
    ...     "lead_id": ["a", "a", "b"],
    ...     "touched_at": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-01-15"]),
    ...     "channel": ["webinar", "event", "event"]})
    >>> outcomes = pd.DataFrame({"lead_id": ["a", "b"], "converted": [True, False]})
    >>> credit = attribute(touches, outcomes, models=["first_touch", "linear"])
    >>> credit.index.tolist(), credit.to_dict("list")
    (['event', 'webinar'], {'first_touch_converted': [0.0, 1.0], 'linear_converted': [0.5, 0.5]})
    """
    chosen = _chosen(models)
    paths = _touch_paths(
        touches,
        outcomes,
        lead_id_col=lead_id_col,
        touched_at_col=touched_at_col,
        channel_col=channel_col,
        converted_col=converted_col,
        revenue_col=revenue_col,
        every_path="markov" in chosen,
    )
    return _model_table(paths, chosen, first_share=first_share, last_share=last_share)


def attribute_coded(
    lead: np.ndarray,
    time: np.ndarray | None,
    channel: np.ndarray,
    channel_names: Sequence[str],
    lead_converted: np.ndarray,
    lead_revenue: np.ndarray | None = None,
    *,
    models: Sequence[str] = ATTRIBUTION_MODELS,
    first_share: float = 0.4,
    last_share: float = 0.4,
    ordered: bool = False,
) -> pd.DataFrame:
    """:func:`attribute` for touches already coded as integers (what the KPIs pass).

    Spares hashing millions of lead ids and channel names again when the caller has codes.

    Parameters
    ----------
    lead : ndarray of int
        Per touch, the lead's code: 0..len(lead_converted)-1.
    time : ndarray or None
        Per touch, an integer (datetime64 as int64) or float sort key; not read (may be
        None) when ``ordered``.
    channel : ndarray of int
        Per touch, a code into ``channel_names``.
    channel_names : sequence of str
        Distinct names; any order (ties in time are broken by name, as in :func:`attribute`).
    lead_converted : ndarray of bool
        Per lead code.
    lead_revenue : ndarray of float, optional
        Per lead code; revenue is credited only when given.
    models, first_share, last_share
        As :func:`attribute`.
    ordered : bool, default False
        The touches are already in path order: by lead, then time, then channel name (as
        :func:`touch_order` puts them). Spares the sort.

    Returns
    -------
    pandas.DataFrame
        As :func:`attribute`: one row per channel touched, sorted by name.

    Examples
    --------
    Lead 0 (converted) touched by webinar then event, lead 1 by event:

    >>> credit = attribute_coded(np.array([0, 0, 1]), np.array([1, 2, 1]), np.array([0, 1, 1]),
    ...                          ["webinar", "event"], np.array([True, False]),
    ...                          models=["first_touch", "linear"])
    >>> credit.index.tolist(), credit.to_dict("list")
    (['event', 'webinar'], {'first_touch_converted': [0.0, 1.0], 'linear_converted': [0.5, 0.5]})
    """
    chosen = _chosen(models)
    if time is None and not ordered:
        raise ValueError("time is needed to put touches in path order (or pass ordered=True)")
    codes, names = channel_codes_by_name(_codes(channel), channel_names)
    revenue = None if lead_revenue is None else np.asarray(lead_revenue, dtype=float)
    paths = _coded_paths(
        lead,
        time,
        codes,
        names,
        np.asarray(lead_converted, dtype=bool),
        revenue,
        every_path="markov" in chosen,
        ordered=ordered,
    )
    return _model_table(paths, chosen, first_share=first_share, last_share=last_share)


def _chosen(models: Sequence[str]) -> list[str]:
    unknown = [m for m in models if m not in ATTRIBUTION_MODELS]
    if unknown:
        raise ValueError(f"unknown attribution model(s) {unknown}; use {list(ATTRIBUTION_MODELS)}")
    return list(dict.fromkeys(models))


def _model_table(
    paths: _TouchPaths, chosen: list[str], *, first_share: float, last_share: float
) -> pd.DataFrame:
    weights = {
        "first_touch": _first_touch_weight,
        "last_touch": _last_touch_weight,
        "linear": _linear_weight,
        "position_based": lambda won: _position_based_weight(
            won, first_share=first_share, last_share=last_share
        ),
    }
    frames = {
        model: _markov_frame(paths)
        if model == "markov"
        else _credit_frame(paths, weights[model](paths.converted))
        for model in chosen
    }
    result = pd.DataFrame(index=pd.Index(paths.channel_names, name="channel", dtype=str))
    for model in chosen:
        result[f"{model}_converted"] = frames[model]["converted"]
    if paths.lead_revenue is not None:
        for model in chosen:
            result[f"{model}_revenue"] = frames[model]["revenue"]
    if "markov" in frames:
        result["markov_removal_effect"] = frames["markov"]["removal_effect"]
    return result
