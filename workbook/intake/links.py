"""Links between files: opportunities and touches to their leads, the stage ladder, channels.

A lead's opportunity stages come from its linked opportunities; an empty stage takes the
next set date (a skipped stage); a touch of an unknown lead cannot be used. Each check warns
through the file's :class:`workbook.intake.problems.FileCheck`.

See Also
--------
workbook.intake.validate.validate_files : runs these checks after each file is parsed.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workbook.intake.config import EngagementConfig
from workbook.intake.problems import FileCheck
from workbook.intake.schema import lead_stage_columns
from workbook.intake.text import TEXT_DTYPE, arrow_text, is_in, positions_in


def with_columns(frame: pd.DataFrame, columns: Mapping[str, object]) -> pd.DataFrame:
    """``frame`` with ``columns`` added or replaced, without copying any of them.

    pandas copies every array set into a frame (``frame[col] = values``); for the fresh
    arrays of a million rows built here that copy, and the memory it maps, is pure cost.
    The arrays must not be changed afterwards.

    Examples
    --------
    >>> with_columns(pd.DataFrame({"a": [1, 2]}), {"b": np.array([3, 4])}).to_dict("list")
    {'a': [1, 2], 'b': [3, 4]}
    """
    merged = {name: frame[name] for name in frame.columns}
    merged |= {
        name: values
        if isinstance(values, pd.Series)
        else pd.Series(values, index=frame.index, copy=False)
        for name, values in columns.items()
    }
    return pd.DataFrame(merged, index=frame.index, copy=False)


def backfill_rows(values: np.ndarray) -> np.ndarray:
    """Fill each NaT with the next non-NaT value to its right, row by row.

    Parameters
    ----------
    values : ndarray of datetime64, shape (rows, stages)

    Examples
    --------
    >>> d = np.array([["2026-01-01", "NaT", "2026-01-09"]], dtype="datetime64[D]")
    >>> backfill_rows(d)[0].astype(str).tolist()
    ['2026-01-01', '2026-01-09', '2026-01-09']
    """
    k = values.shape[1]
    valid = ~np.isnat(values)
    # only rows with a gap (an empty stage before a set one) need filling: usually a few
    later_set = np.flip(np.logical_or.accumulate(np.flip(valid, axis=1), axis=1), axis=1)
    rows = np.flatnonzero((~valid & later_set).any(axis=1))
    if len(rows) == 0:
        return values
    sub = values[rows]
    position = np.where(valid[rows], np.arange(k), k)
    nearest = np.minimum.accumulate(position[:, ::-1], axis=1)[:, ::-1]
    padded = np.concatenate([sub, np.full((len(sub), 1), np.datetime64("NaT"), sub.dtype)], 1)
    out = values.copy()
    out[rows] = np.take_along_axis(padded, nearest, axis=1)
    return out


def lead_stage_checks(
    leads: pd.DataFrame, check: FileCheck, config: EngagementConfig
) -> pd.DataFrame:
    """Backfill skipped stages and lift out-of-order dates, warning about each.

    Works column by column on int64 views (NaT is the smallest int64, so a running maximum
    skips it): a handful of vectorised passes over the stage ladder, no 2-D copies.
    """
    cols = ["created_at", *lead_stage_columns(config.stages), "opportunity_at", "won_at"]
    nat = np.iinfo(np.int64).min
    raw = [leads[c].to_numpy("datetime64[ns]").view("int64") for c in cols]
    # backfill: an empty stage takes the next set date to its right
    filled = list(raw)
    for j in range(len(cols) - 2, -1, -1):
        gap = (raw[j] == nat) & (filled[j + 1] != nat)
        if gap.any():  # only then a new column
            filled[j] = np.where(gap, filled[j + 1], raw[j])
    changed: dict[str, np.ndarray] = {}
    running = np.full(len(leads), nat)
    for j, col in enumerate(cols):
        skipped = (raw[j] == nat) & (filled[j] != nat)
        check.warn(col, skipped, "skipped_stage", column=col, stage=col.removesuffix("_at"))
        backwards = (filled[j] < running) & (filled[j] != nat)
        check.warn(col, backwards, "stage_backwards", column=col)
        np.maximum(running, filled[j], out=running)
        fixed = np.where(filled[j] == nat, nat, running) if backwards.any() else filled[j]
        if fixed is not raw[j]:
            changed[col] = fixed.view("datetime64[ns]")
    disq = leads["disqualified_at"].to_numpy("datetime64[ns]")
    created = changed.get("created_at", leads["created_at"].to_numpy("datetime64[ns]"))
    early = disq < created  # NaT compares False
    check.warn("disqualified_at", early, "disqualified_before_created")
    if early.any():
        changed["disqualified_at"] = np.where(early, created, disq)
    return with_columns(leads, changed) if changed else leads


def link_opportunities(leads: pd.DataFrame, opportunities: pd.DataFrame) -> pd.DataFrame:
    """Add each lead's opportunity stages from its linked opportunities.

    ``opportunity_at`` is the earliest linked ``created_at``; ``won_at`` the earliest
    ``closed_at`` of a won one; ``lost_at`` the latest ``closed_at`` when every linked
    opportunity was lost; ``won_amount`` the sum of won amounts; ``opportunity_id`` the first.
    """
    linked = opportunities.loc[opportunities["lead_id"].notna()]
    # each linked opportunity's lead (numbered by first appearance): numpy sums by lead
    group, lead_ids = pd.factorize(linked["lead_id"])
    n_leads = len(lead_ids)
    status = linked["status"]
    won = status.eq("won").to_numpy(bool)
    lost = status.eq("lost").to_numpy(bool)
    created = linked["created_at"].to_numpy("datetime64[ns]").view(np.int64)
    closed = linked["closed_at"].to_numpy("datetime64[ns]").view(np.int64)
    nat, last = np.iinfo(np.int64).min, np.iinfo(np.int64).max  # NaT reads as the least
    dated = closed != nat

    def earliest(values: np.ndarray) -> np.ndarray:  # by lead; NaT where none
        out = np.full(n_leads, last)
        np.minimum.at(out, group, values)
        return np.where(out == last, nat, out).view("datetime64[ns]")

    aggregated: dict[str, np.ndarray] = {
        "opportunity_at": earliest(np.where(created != nat, created, last)),
        "won_at": earliest(np.where(won & dated, closed, last)),
    }
    lost_at = np.full(n_leads, nat)
    np.maximum.at(lost_at, group, np.where(lost & dated, closed, nat))
    any_not_lost = np.zeros(n_leads, dtype=bool)
    np.logical_or.at(any_not_lost, group, ~lost)
    aggregated["lost_at"] = np.where(any_not_lost, nat, lost_at).view("datetime64[ns]")
    amount = linked["amount"].to_numpy(float)
    aggregated["won_amount"] = np.bincount(
        group, weights=np.where(won & ~np.isnan(amount), amount, 0.0), minlength=n_leads
    )
    # the first opportunity of each lead: the earliest created, then the first in the file
    by_creation = np.argsort(np.where(created != nat, created, last), kind="stable")
    first = np.full(n_leads, len(group))
    np.minimum.at(first, group[by_creation], np.arange(len(group)))
    first_ids = pc.take(arrow_text(linked["opportunity_id"]), by_creation[first])
    position = positions_in(lead_ids, leads["lead_id"])  # a left join on lead_id
    linked_row = position >= 0
    rows = np.flatnonzero(linked_row)
    of_row = position[rows]
    columns: dict[str, object] = {}
    for col in ("opportunity_at", "won_at", "lost_at"):
        values = np.full(len(leads), np.datetime64("NaT"), "datetime64[ns]")
        values[rows] = aggregated[col][of_row]
        columns[col] = values
    amount = np.zeros(len(leads))
    amount[rows] = aggregated["won_amount"][of_row]
    columns["won_amount"] = amount
    ids = pc.take(first_ids, pa.array(position, mask=~linked_row))
    columns["opportunity_id"] = pd.Series(pd.array(ids, dtype=TEXT_DTYPE), index=leads.index)
    return with_columns(leads, columns)


def converted_leads(
    leads: pd.DataFrame, used: np.ndarray, opportunities: pd.DataFrame
) -> pd.DataFrame:
    """Opportunities whose ``lead_id`` is empty take the lead that names them.

    A leads export may link the other way round: a lead's ``opportunity_id`` is the
    opportunity it converted into (Salesforce's "Converted Opportunity ID").

    Examples
    --------
    >>> leads = pd.DataFrame({"lead_id": ["L1", "L2"], "opportunity_id": ["O2", None]})
    >>> opps = pd.DataFrame({"opportunity_id": ["O1", "O2"], "lead_id": ["L9", None]})
    >>> converted_leads(leads, np.array([True, True]), opps)["lead_id"].tolist()
    ['L9', 'L1']
    """
    named = leads["opportunity_id"].notna().to_numpy(bool) & np.asarray(used, bool)
    if not named.any():
        return opportunities
    converted = leads.loc[named]
    row = positions_in(converted["opportunity_id"], opportunities["opportunity_id"])
    adopt = (row >= 0) & opportunities["lead_id"].isna().to_numpy(bool)
    if not adopt.any():
        return opportunities
    lead_id = opportunities["lead_id"].astype(TEXT_DTYPE)  # a copy
    lead_id.iloc[np.flatnonzero(adopt)] = converted["lead_id"].to_numpy()[row[adopt]]
    return opportunities.assign(lead_id=lead_id)


def leads_from_opportunities(opportunities: pd.DataFrame) -> pd.DataFrame:
    """One journey per opportunity, for a ladder that starts at ``opportunity``.

    Without a leads file each opportunity is its own "lead": ``lead_id`` is the
    ``opportunity_id``, ``created_at`` the opportunity's, its channel the opportunity's
    ``source_channel`` (missing when the export has none), its stages linked as a lead's
    (:func:`link_opportunities`).

    Examples
    --------
    >>> opps = pd.DataFrame({"opportunity_id": ["O1"], "lead_id": [None], "account_id": ["A"],
    ...     "created_at": pd.to_datetime(["2026-01-05"]), "closed_at": pd.to_datetime(["2026-03-01"]),
    ...     "status": ["won"], "amount": [900.0], "sourced_by": ["sales"],
    ...     "source_channel": ["event"], "source_row": [1]})
    >>> leads = leads_from_opportunities(opps)
    >>> leads[["lead_id", "source_channel", "sourced_by", "won_amount"]].to_dict("records")
    [{'lead_id': 'O1', 'source_channel': 'event', 'sourced_by': 'sales', 'won_amount': 900.0}]
    >>> str(leads.loc[0, "won_at"].date())
    '2026-03-01'
    """
    index = pd.RangeIndex(len(opportunities))
    ids = pd.Series(opportunities["opportunity_id"].to_numpy(), index=index, dtype=TEXT_DTYPE)
    no_date = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    no_text = pd.Series(pd.NA, index=index, dtype=TEXT_DTYPE)

    def column(name: str) -> pd.Series:
        if name not in opportunities:
            return no_text
        return pd.Series(opportunities[name].to_numpy(), index=index, dtype=TEXT_DTYPE)

    leads = pd.DataFrame(
        {
            "lead_id": ids,
            "created_at": opportunities["created_at"].to_numpy("datetime64[ns]"),
            "disqualified_at": no_date,
            "source_channel": column("source_channel"),
            "sourced_by": column("sourced_by"),
            "persona": no_text,
            "segment": no_text,
            "account_id": column("account_id"),
            "company": no_text,
            "email": no_text,
            "source_row": opportunities["source_row"].to_numpy(),
        },
        index=index,
    )
    return link_opportunities(leads, opportunities.assign(lead_id=ids.to_numpy()))


def opportunity_lead_warnings(
    opportunities: pd.DataFrame, check: FileCheck, lead_ids: pd.Series
) -> None:
    """Warn about used opportunities whose ``lead_id`` is not a used lead's."""
    lead_id = opportunities["lead_id"]
    # the opportunities' ids are the fewer: they are hashed, and the leads' ids probe them
    first_rows = positions_in(lead_id, lead_ids)
    linked = is_in(lead_id, lead_id.iloc[first_rows[first_rows >= 0]])
    unknown = lead_id.notna().to_numpy(bool) & ~linked & ~check.quarantine
    check.warn("lead_id", unknown, "opportunity_unknown_lead")


def touch_checks(
    touches: pd.DataFrame,
    check: FileCheck,
    lead_ids: pd.Series,
    asset_ids: pd.Series | None,
) -> np.ndarray:
    """Quarantine the touches of unknown leads (a warning); warn about unknown assets.

    Without ``asset_ids`` the assets are not checked.

    Returns
    -------
    ndarray of int64
        Each touch's row in ``lead_ids`` (-1 for an unknown lead), for
        :func:`touch_leads_coded`.
    """
    lead_rows = positions_in(lead_ids, touches["lead_id"])
    orphan = (lead_rows < 0) & ~check.quarantine
    if orphan.any():
        check.warn("lead_id", orphan, "touch_unknown_lead")
        check.quarantine |= orphan
    if asset_ids is not None:
        asset = touches["asset_id"]
        no_asset = asset.notna().to_numpy(bool) & ~is_in(asset, asset_ids)
        check.warn("asset_id", no_asset & ~check.quarantine, "touch_unknown_asset")
    return lead_rows


def touch_leads_coded(lead_rows: np.ndarray, lead_ids: pd.Series) -> pd.Categorical:
    """The touches' ``lead_id`` as a Categorical over the used leads' ids, in their order.

    Validation matches every touch to its lead once; analyses then match the distinct leads
    only (:func:`workbook.intake.text.positions_in` on a Categorical), not millions of touches
    again.

    Examples
    --------
    >>> touch_leads_coded(np.array([1, 0, 1]), pd.Series(["L1", "L2"])).tolist()
    ['L2', 'L1', 'L2']
    """
    return pd.Categorical.from_codes(
        lead_rows, dtype=pd.CategoricalDtype(pd.Index(lead_ids).rename(None))
    )


def channel_warnings(
    leads: pd.DataFrame,
    leads_check: FileCheck,
    spend: pd.DataFrame,
    spend_check: FileCheck,
) -> None:
    """Spend on channels no used lead came from, and used leads' channels with no spend."""
    channels = leads["source_channel"][~leads_check.quarantine]
    lead_channels = set(channels.dropna().unique().tolist())
    no_leads = (~spend["channel"].isin(lead_channels) & spend["channel"].notna()).to_numpy(bool)
    spend_check.warn(
        "channel",
        no_leads & ~spend_check.quarantine,
        "spend_channel_without_leads",
        channels=", ".join(sorted(lead_channels)[:12]),
    )
    spend_channels = set(spend["channel"].dropna().tolist())
    unspent = sorted(lead_channels - spend_channels)
    if unspent:
        leads_check.warn(
            "source_channel", None, "channels_without_spend", channels=", ".join(unspent)
        )
