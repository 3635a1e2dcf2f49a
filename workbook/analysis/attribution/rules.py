"""Rule-based attribution: first touch, last touch, linear and position-based (U-shaped).

Each model gives every touch of a converted lead a weight, the weights of a lead summing to
1, and adds the weights up by channel: the credits of a model sum to the converted leads that
have at least one touch (and, with revenue, to their revenue).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from workbook.analysis.attribution.paths import ConvertedTouches, Outcomes, TouchPaths, touch_paths


def credit_frame(paths: TouchPaths, touch_weight: np.ndarray) -> pd.DataFrame:
    """Sum the converted leads' per-touch weights (each lead's summing to 1) by channel."""
    n_channels = len(paths.channel_names)
    won = paths.converted
    columns = {"converted": np.bincount(won.channel, touch_weight, minlength=n_channels)}
    if paths.lead_revenue is not None:
        revenue_weight = touch_weight * paths.lead_revenue[won.lead]
        columns["revenue"] = np.bincount(won.channel, revenue_weight, minlength=n_channels)
    return pd.DataFrame(columns, index=pd.Index(paths.channel_names, name="channel", dtype=str))


def first_touch_weight(won: ConvertedTouches) -> np.ndarray:
    return (won.position == 0).astype(float)


def last_touch_weight(won: ConvertedTouches) -> np.ndarray:
    return (won.position == won.touch_count - 1).astype(float)


def linear_weight(won: ConvertedTouches) -> np.ndarray:
    return 1.0 / won.touch_count


def position_based_weight(
    won: ConvertedTouches, *, first_share: float, last_share: float
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


def _rule_model(
    touches: pd.DataFrame,
    outcomes: Outcomes,
    weight_of: Callable[[ConvertedTouches], np.ndarray],
    *,
    lead_id_col: str,
    touched_at_col: str,
    channel_col: str,
    converted_col: str,
    revenue_col: str | None,
) -> pd.DataFrame:
    paths = touch_paths(
        touches,
        outcomes,
        lead_id_col=lead_id_col,
        touched_at_col=touched_at_col,
        channel_col=channel_col,
        converted_col=converted_col,
        revenue_col=revenue_col,
        every_path=False,
    )
    return credit_frame(paths, weight_of(paths.converted))


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
    touches, outcomes, lead_id_col, touched_at_col, channel_col, converted_col, revenue_col
        As :func:`~workbook.analysis.attribution.attribute`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``channel`` (sorted): ``converted`` and, with revenue, ``revenue``.

    See Also
    --------
    last_touch, linear, position_based, markov_removal_effect
    attribute : all models at once.
    """
    return _rule_model(
        touches,
        outcomes,
        first_touch_weight,
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
    touches, outcomes, lead_id_col, touched_at_col, channel_col, converted_col, revenue_col
        As :func:`~workbook.analysis.attribution.attribute`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``channel`` (sorted): ``converted`` and, with revenue, ``revenue``.

    See Also
    --------
    first_touch, linear, position_based, markov_removal_effect
    attribute : all models at once.
    """
    return _rule_model(
        touches,
        outcomes,
        last_touch_weight,
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
    touches, outcomes, lead_id_col, touched_at_col, channel_col, converted_col, revenue_col
        As :func:`~workbook.analysis.attribution.attribute`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``channel`` (sorted): ``converted`` and, with revenue, ``revenue``.

    See Also
    --------
    first_touch, last_touch, position_based, markov_removal_effect
    attribute : all models at once.
    """
    return _rule_model(
        touches,
        outcomes,
        linear_weight,
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
    touches, outcomes, lead_id_col, touched_at_col, channel_col, converted_col, revenue_col
        As :func:`~workbook.analysis.attribution.attribute`.
    first_share, last_share : float, default 0.4
        Shares (0..1, summing to at most 1 and more than 0) of the first and last touch.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``channel`` (sorted): ``converted`` and, with revenue, ``revenue``.

    See Also
    --------
    first_touch, last_touch, linear, markov_removal_effect
    attribute : all models at once.
    """

    def weight_of(won: ConvertedTouches) -> np.ndarray:
        return position_based_weight(won, first_share=first_share, last_share=last_share)

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
