"""Rule-based attribution: first touch, last touch, linear and position-based (U-shaped).

Each model gives every touch of a converted lead a weight, the weights of a lead summing to
1, and adds the weights up by channel: the credits of a model sum to the converted leads that
have at least one touch (and, with revenue, to their revenue).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.analysis.attribution.paths import ConvertedTouches, TouchPaths


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
    """First touch: each converted lead is credited to its earliest touch's channel."""
    return (won.position == 0).astype(float)


def last_touch_weight(won: ConvertedTouches) -> np.ndarray:
    """Last touch: each converted lead is credited to its latest touch's channel."""
    return (won.position == won.touch_count - 1).astype(float)


def linear_weight(won: ConvertedTouches) -> np.ndarray:
    """Linear: each of a converted lead's k touches earns 1/k of it.

    Repeated touches count separately: a path webinar, webinar, event credits webinar 2/3.
    """
    return 1.0 / won.touch_count


def position_based_weight(
    won: ConvertedTouches, *, first_share: float, last_share: float
) -> np.ndarray:
    """Position-based (U-shaped), 40/20/40 with the default shares.

    With three or more touches the first earns ``first_share``, the last ``last_share`` and
    the touches between share the rest equally. A single touch earns everything; with two,
    the shares are rescaled to sum to 1 (50/50 by default).

    Raises
    ------
    ValueError
        When a share is outside 0..1, or they sum to 0 or to more than 1.
    """
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


def rule_credit(
    paths: TouchPaths, model: str, *, first_share: float, last_share: float
) -> pd.DataFrame:
    """The credit of a rule-based model: ``first_touch``, ``last_touch``, ``linear`` or
    ``position_based`` (which reads ``first_share`` and ``last_share``)."""
    won = paths.converted
    if model == "position_based":
        weight = position_based_weight(won, first_share=first_share, last_share=last_share)
    else:
        weight = RULE_WEIGHTS[model](won)
    return credit_frame(paths, weight)


#: The weights of the rule-based models that take no option.
RULE_WEIGHTS = {
    "first_touch": first_touch_weight,
    "last_touch": last_touch_weight,
    "linear": linear_weight,
}
