"""What the scoring model knows about each lead: its cut-offs and its features.

See Also
--------
workbook.analysis.scoring : the model and its leakage rules.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

from workbook.analysis.journeys import Journeys
from workbook.intake.schema import lead_stages
from workbook.intake.text import positions_in

#: Lead attributes the model reads (missing values become ``unknown``).
ATTRIBUTE_FEATURES: tuple[str, ...] = ("source_channel", "persona", "segment", "sourced_by")
#: Most touch channels given their own feature; rarer ones only count in the totals.
MAX_TOUCH_CHANNELS = 12

_RECENT = re.compile(r"(?:(?P<rest>.*)_)?(?P<days>\d+)d")


class FeatureName(NamedTuple):
    """What a feature of the model is, read back from its name (:func:`parse_feature`).

    Attributes
    ----------
    kind : {"attribute", "touches", "channel", "buying_stage", "other"}
        A lead attribute's value (``persona=end_user``, one-hot), all touches, the touches
        of one channel or of one buying stage, or a name this module does not make.
    name : str
        The attribute (``persona``), ``touches``, or the whole name for ``other``.
    value : str or None
        The attribute's value, the channel or the buying stage, as the data holds it.
    recent_days : int or None
        Only the touches of the last ``recent_days`` days before the cut-off.
    """

    kind: Literal["attribute", "touches", "channel", "buying_stage", "other"]
    name: str
    value: str | None = None
    recent_days: int | None = None


def parse_feature(feature: str) -> FeatureName:
    """What the feature ``feature`` of :func:`lead_features` (or the model's one-hot
    ``<attribute>=<value>``) counts, whatever the values it was made of hold.

    An attribute is named before the first ``=``; a touch count is ``touches``, then
    ``_channel_<channel>`` or ``_<buying stage>``, then ``_<N>d`` for the recent ones.

    Examples
    --------
    >>> parse_feature("source_channel=a=b")
    FeatureName(kind='attribute', name='source_channel', value='a=b', recent_days=None)
    >>> parse_feature("touches_channel_paid=x")
    FeatureName(kind='channel', name='touches', value='paid=x', recent_days=None)
    >>> parse_feature("touches_decision_30d")
    FeatureName(kind='buying_stage', name='touches', value='decision', recent_days=30)
    >>> parse_feature("touches_30d").kind, parse_feature("views").kind
    ('touches', 'other')
    """
    name, equals, value = feature.partition("=")
    if equals and name in ATTRIBUTE_FEATURES:
        return FeatureName("attribute", name, value)
    if feature == "touches" or feature.startswith("touches_"):
        rest, days = feature[len("touches_") :], None
        recent = _RECENT.fullmatch(rest)
        if recent:
            rest, days = recent["rest"] or "", int(recent["days"])
        if rest.startswith("channel_"):
            return FeatureName("channel", "touches", rest[len("channel_") :], days)
        if rest:
            return FeatureName("buying_stage", "touches", rest, days)
        return FeatureName("touches", "touches", None, days)
    return FeatureName("other", feature)


def default_target(stages: tuple[str, ...]) -> str:
    """The stage the model predicts by default: ``sql`` when the ladder has it, else the last
    stage recorded on the lead (the one before ``opportunity``), else the second stage.

    Examples
    --------
    >>> default_target(("inquiry", "mql", "sal", "sql", "opportunity", "won"))
    'sql'
    >>> default_target(("inquiry", "mql", "opportunity", "won"))
    'mql'
    """
    if "sql" in stages[1:]:
        return "sql"
    lead = lead_stages(stages)
    return lead[-1] if len(lead) > 1 else stages[1]


def scoring_moments(journeys: Journeys, *, target: str, horizon_days: int) -> pd.DataFrame:
    """Outcome and touch cut-offs of every lead.

    Parameters
    ----------
    journeys : Journeys
    target : str
        A stage of the ladder after the first.
    horizon_days : int

    Returns
    -------
    DataFrame
        One row per lead of ``journeys.leads`` (same order): ``inquiry_at``, ``target_at``,
        ``reached`` (reached the target within ``horizon_days`` of the inquiry),
        ``train_cutoff`` (touches strictly before it describe the lead for training: the
        target day when reached, else the earliest of exit, horizon end and the end of the
        as_of day) and ``score_cutoff`` (the target day when reached at any time, else the
        exit day, else the end of the as_of day).
    """
    leads = journeys.leads
    first = journeys.stages[0]
    inquiry = leads[f"{first}_at"]
    target_at = leads[f"{target}_at"]
    horizon = pd.Timedelta(days=horizon_days)
    reached = (target_at.notna() & (target_at - inquiry <= horizon)).to_numpy(bool)
    end_of_as_of = journeys.as_of.normalize() + pd.Timedelta(days=1)
    exit_at = leads["exit_at"]
    not_reached_cut = pd.concat(
        [exit_at, inquiry + horizon, pd.Series(end_of_as_of, index=leads.index)], axis=1
    ).min(axis=1)
    train_cutoff = np.where(
        reached, target_at.to_numpy("datetime64[ns]"), not_reached_cut.to_numpy("datetime64[ns]")
    )
    score_cutoff = np.where(
        target_at.notna(),
        target_at.to_numpy("datetime64[ns]"),
        exit_at.fillna(end_of_as_of).to_numpy("datetime64[ns]"),
    )
    return pd.DataFrame(
        {
            "inquiry_at": inquiry.to_numpy("datetime64[ns]"),
            "target_at": target_at.to_numpy("datetime64[ns]"),
            "reached": reached,
            "train_cutoff": train_cutoff,
            "score_cutoff": score_cutoff,
        },
        index=leads.index,
    )


def lead_features(
    journeys: Journeys,
    cutoff: np.ndarray,
    *,
    touches: pd.DataFrame | None = None,
    content: pd.DataFrame | None = None,
    buying_stages: tuple[str, ...] = (),
    touch_channels: tuple[str, ...] = (),
    recent_days: int = 30,
) -> pd.DataFrame:
    """The model's features of every lead, from what was known before ``cutoff``.

    Parameters
    ----------
    journeys : Journeys
    cutoff : ndarray of datetime64, one per lead of ``journeys.leads``
        Only touches strictly before the lead's cut-off count.
    touches : DataFrame, optional
        ``lead_id``, ``touched_at``, ``channel``, ``asset_id``. Without it: attributes only.
    content : DataFrame, optional
        ``asset_id``, ``buying_stage``: the buying stage of each touched asset.
    buying_stages : tuple of str
        One count per buying stage.
    touch_channels : tuple of str
        One count per touch channel listed.
    recent_days : int
        Width of the "recent" window before the cut-off.

    Returns
    -------
    DataFrame
        Index of ``journeys.leads``. Attribute columns (text as Python ``str`` objects,
        ``unknown`` when missing) and, with touches, integer counts: ``touches``,
        ``touches_{recent_days}d``, ``touches_<buying_stage>``,
        ``touches_<buying_stage>_{recent_days}d``, ``touches_channel_<channel>``.

    See Also
    --------
    lead_features_at : the same at several cut-offs, reading the leads and touches once.

    Examples
    --------
    Touches on or after the cut-off are ignored (see ``tests/analysis/test_scoring.py``).
    """
    return lead_features_at(
        journeys,
        (cutoff,),
        touches=touches,
        content=content,
        buying_stages=buying_stages,
        touch_channels=touch_channels,
        recent_days=recent_days,
    )[0]


def lead_features_at(
    journeys: Journeys,
    cutoffs: tuple[np.ndarray, ...],
    *,
    touches: pd.DataFrame | None = None,
    content: pd.DataFrame | None = None,
    buying_stages: tuple[str, ...] = (),
    touch_channels: tuple[str, ...] = (),
    recent_days: int = 30,
) -> list[pd.DataFrame]:
    """:func:`lead_features` at each of ``cutoffs``: the attributes, and each touch's lead,
    buying stage and channel, are read once and shared.

    Parameters
    ----------
    journeys : Journeys
    cutoffs : tuple of ndarray of datetime64, each one per lead of ``journeys.leads``
    touches, content, buying_stages, touch_channels, recent_days
        As :func:`lead_features`.

    Returns
    -------
    list of DataFrame
        One frame per cut-off, as :func:`lead_features` (the attribute columns shared).
    """
    leads = journeys.leads
    attributes = pd.DataFrame(index=leads.index)
    for col in ATTRIBUTE_FEATURES:
        values = leads[col] if col in leads else pd.Series(pd.NA, index=leads.index)
        text = values.astype(object).where(values.notna(), "unknown").astype(str)
        # plain str objects: scikit-learn's encoder reads them without a conversion per fit
        attributes[col] = pd.Series(text.to_numpy(object), index=leads.index, dtype=object)
    if touches is None:
        return [attributes.copy() for _ in cutoffs]
    n = len(leads)
    position = positions_in(leads["lead_id"], touches["lead_id"])
    when = touches["touched_at"].to_numpy("datetime64[ns]")
    ok = position >= 0
    # the buying stage (index in buying_stages, -1 for none) of each touch's asset
    stage = np.full(len(touches), -1, dtype=np.int64)
    if content is not None and "asset_id" in touches and buying_stages:
        asset_row = positions_in(content["asset_id"], touches["asset_id"])
        asset_stage = positions_in(list(buying_stages), content["buying_stage"])
        found = asset_row >= 0
        stage[found] = asset_stage[asset_row[found]]
    channel = positions_in(list(touch_channels), touches["channel"])  # -1: not listed
    suffix = f"_{recent_days}d"
    names = ["touches", f"touches{suffix}"]
    for bs in buying_stages:
        names += [f"touches_{bs}", f"touches_{bs}{suffix}"]
    names += [f"touches_channel_{ch}" for ch in touch_channels]
    frames = []
    for cutoff in cutoffs:
        cut = np.full(len(touches), np.datetime64("NaT"), "datetime64[ns]")
        cut[ok] = np.asarray(cutoff, dtype="datetime64[ns]")[position[ok]]
        keep = ok & ~np.isnat(cut) & (when < cut)
        pos = position[keep]
        recent = when[keep] >= cut[keep] - np.timedelta64(recent_days, "D")
        kept_stage, kept_channel = stage[keep], channel[keep]
        per_stage = [
            (pos[kept_stage == i], recent[kept_stage == i]) for i in range(len(buying_stages))
        ]
        columns = [pos, pos[recent]]
        for stage_pos, stage_recent in per_stage:
            columns += [stage_pos, stage_pos[stage_recent]]
        columns += [pos[kept_channel == i] for i in range(len(touch_channels))]
        # one integer block, column by column (column-major: each column is contiguous)
        counts = np.empty((n, len(names)), dtype=np.int64, order="F")
        for j, lead_rows in enumerate(columns):
            counts[:, j] = np.bincount(lead_rows, minlength=n)
        block = pd.DataFrame(counts, index=leads.index, columns=names, copy=False)
        frames.append(pd.concat([attributes, block], axis=1))
    return frames


def top_touch_channels(touches: pd.DataFrame, limit: int = MAX_TOUCH_CHANNELS) -> tuple[str, ...]:
    """The touch channels with at least 20 touches, most touched first, at most ``limit``."""
    counts = touches["channel"].value_counts()  # categories counted as they are, then named
    counts = counts.groupby(counts.index.astype(str)).sum()
    counts = counts.loc[counts >= 20]
    ordered = sorted(counts.index, key=lambda c: (-counts[c], c))
    return tuple(ordered[:limit])


def last_touch_by_lead(journeys: Journeys, touches: pd.DataFrame) -> np.ndarray:
    """Latest touch of each lead of ``journeys.leads`` on or before as_of (NaT when none)."""
    position = positions_in(journeys.leads["lead_id"], touches["lead_id"])
    when = touches["touched_at"].to_numpy("datetime64[ns]")
    end = (journeys.as_of.normalize() + pd.Timedelta(days=1)).to_datetime64()
    ok = (position >= 0) & ~np.isnat(when) & (when < end)
    latest = pd.Series(when[ok]).groupby(position[ok]).max().reindex(range(len(journeys.leads)))
    return latest.to_numpy("datetime64[ns]")
