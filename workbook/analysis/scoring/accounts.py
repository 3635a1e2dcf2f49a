"""Account signals: accounts with several engaged leads, and how many of them score hot."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.analysis.journeys import Journeys


def account_signals(
    journeys: Journeys,
    scores: np.ndarray,
    *,
    target: str,
    threshold: float,
    engaged_days: int,
    last_touch: np.ndarray | None,
) -> pd.DataFrame:
    """Accounts with at least two engaged leads: open, before the target, active lately."""
    leads = journeys.leads
    target_index = journeys.stages.index(target)
    open_before_target = (
        leads["exit_at"].isna().to_numpy()
        & (leads["last_stage"].cat.codes.to_numpy() < target_index)
        & leads["account_id"].notna().to_numpy()
    )
    dates = np.column_stack([leads[f"{s}_at"].to_numpy("datetime64[ns]") for s in journeys.stages])
    activity = np.nanmax(np.where(np.isnat(dates), np.datetime64(0, "ns"), dates), axis=1)
    if last_touch is not None:
        touched = ~np.isnat(last_touch)
        activity = np.where(touched & (last_touch > activity), last_touch, activity)
    since = (journeys.as_of - pd.Timedelta(days=engaged_days)).to_datetime64()
    engaged = open_before_target & (activity >= since)
    frame = pd.DataFrame(
        {
            "account_id": leads["account_id"].to_numpy(object)[engaged],
            "company": leads["company"].to_numpy(object)[engaged],
            "hot": scores[engaged] >= threshold,
        }
    )
    columns = ["account_id", "company", "engaged_leads", "hot_leads"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    accounts = frame.groupby("account_id", sort=True).agg(
        company=("company", "first"), engaged_leads=("hot", "size"), hot_leads=("hot", "sum")
    )
    accounts = accounts.loc[accounts["engaged_leads"] >= 2].reset_index()
    accounts["engaged_leads"] = accounts["engaged_leads"].astype("int64")
    accounts["hot_leads"] = accounts["hot_leads"].astype("int64")
    accounts = accounts.sort_values(
        ["hot_leads", "engaged_leads", "account_id"],
        ascending=[False, False, True],
        kind="stable",
    )
    return accounts[columns].reset_index(drop=True)
