"""The merge review list before a hand-off: shared e-mails and accounts with several warm leads.

The list shows lead ids and companies, never an e-mail address.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from workbook.intake.sections.lead_management import DEFAULT_ENGAGED_DAYS, DEFAULT_MIN_WARM_LEADS

if TYPE_CHECKING:
    from workbook.analysis.journeys import Journeys


REVIEW_KINDS: tuple[str, ...] = ("same_email", "same_account")

REVIEW_COLUMNS: tuple[str, ...] = (
    "review_kind",
    "lead_ids",
    "lead_count",
    "account_id",
    "company",
    "hot_leads",
    "keep_lead_id",
)


def normalised_email(email: pd.Series) -> pd.Series:
    """E-mail compared case- and space-insensitively (as ``validate`` counts duplicates).

    Examples
    --------
    >>> normalised_email(pd.Series([" Ann@Alpha.example", "ann@alpha.example "])).tolist()
    ['ann@alpha.example', 'ann@alpha.example']
    """
    clean = email.astype("string").str.lower().str.replace(r"\s+", "", regex=True)
    return clean.mask(clean == "")


def merge_review(
    leads: pd.DataFrame,
    journeys: Journeys,
    *,
    engaged_days: int = DEFAULT_ENGAGED_DAYS,
    min_warm_leads: int = DEFAULT_MIN_WARM_LEADS,
    scores: pd.DataFrame | None = None,
    threshold: float | None = None,
    last_touch: np.ndarray | None = None,
) -> pd.DataFrame:
    """The duplicate/merge review list to work through before handing hot leads to sales.

    Parameters
    ----------
    leads : DataFrame
        The engagement's leads with ``lead_id`` and, when present, ``email`` (read only to
        group; never returned).
    journeys : Journeys
    engaged_days : int
        An open lead (not disqualified, not yet an opportunity) with a stage entered or a
        touch within this many days before ``as_of`` is *warm*.
    min_warm_leads : int
        Accounts with at least this many warm leads are listed.
    scores : DataFrame, optional
        ``lead_id``, ``score`` (:attr:`workbook.analysis.scoring.ScoreReport.scores`).
    threshold : float, optional
        With ``scores``: a warm lead scoring at or above it is *hot*. Without: a warm lead
        that reached the second stage (MQL) is hot.
    last_touch : ndarray of datetime64, optional
        Latest touch of each lead of ``journeys.leads`` (NaT when none).

    Returns
    -------
    DataFrame
        Columns :data:`REVIEW_COLUMNS`: ``review_kind`` (same_email | same_account),
        ``lead_ids`` (comma-separated, oldest first), ``lead_count``, ``account_id``,
        ``company`` (distinct values, `` / ``-separated), ``hot_leads``, ``keep_lead_id``
        (suggested survivor of a merge: the most advanced lead, then the oldest; empty for
        same_account). No e-mail address appears.
    """
    jl = journeys.leads
    stage_codes = jl["last_stage"].cat.codes.to_numpy()
    first = journeys.stages[0]
    inquiry = jl[f"{first}_at"].to_numpy("datetime64[ns]")
    open_lead = jl["exit_at"].isna().to_numpy() & (
        stage_codes
        < (
            journeys.stages.index("opportunity")
            if "opportunity" in journeys.stages
            else len(journeys.stages) - 1  # [mql, won]: a won lead is not open
        )
    )
    dates = np.column_stack([jl[f"{s}_at"].to_numpy("datetime64[ns]") for s in journeys.stages])
    activity = np.where(np.isnat(dates), np.datetime64(0, "ns"), dates).max(axis=1)
    if last_touch is not None:
        activity = np.where(~np.isnat(last_touch) & (last_touch > activity), last_touch, activity)
    since = (journeys.as_of - pd.Timedelta(days=engaged_days)).to_datetime64()
    warm = open_lead & (activity >= since)
    if scores is not None and threshold is not None:
        score = (
            pd.Series(scores["score"].to_numpy(float), index=scores["lead_id"].astype(object))
            .reindex(jl["lead_id"].astype(object))
            .to_numpy()
        )
        hot = warm & (np.nan_to_num(score, nan=0.0) >= threshold)
    else:
        hot = warm & (stage_codes >= 1)

    base = pd.DataFrame(
        {
            "lead_id": jl["lead_id"].astype(object).to_numpy(),
            "account_id": jl["account_id"].astype(object).to_numpy(),
            "company": jl["company"].astype(object).to_numpy(),
            "stage_code": stage_codes,
            "inquiry_at": inquiry,
            "hot": hot,
            "warm": warm,
        }
    )
    parts = []
    if "email" in leads:
        email = normalised_email(leads["email"])
        by_id = pd.Series(email.to_numpy(object), index=leads["lead_id"].astype(object))
        base["email_key"] = by_id.reindex(base["lead_id"]).to_numpy(object)
        dup = base.loc[base["email_key"].notna() & base.duplicated("email_key", keep=False)]
        if len(dup):
            dup = dup.sort_values(["inquiry_at", "lead_id"], kind="stable")
            ranked = dup.sort_values(
                ["stage_code", "inquiry_at", "lead_id"],
                ascending=[False, True, True],
                kind="stable",
            )
            keep = ranked.groupby("email_key", sort=False)["lead_id"].first()
            groups = dup.groupby("email_key", sort=False).agg(
                lead_ids=("lead_id", lambda s: ", ".join(map(str, s))),
                lead_count=("lead_id", "size"),
                account_id=("account_id", _distinct),
                company=("company", _distinct),
                hot_leads=("hot", "sum"),
                first=("inquiry_at", "min"),
            )
            groups["keep_lead_id"] = keep.reindex(groups.index).to_numpy(object)
            groups["review_kind"] = "same_email"
            parts.append(groups.sort_values("first", kind="stable").reset_index(drop=True))
    warm_leads = base.loc[base["warm"] & base["account_id"].notna()]
    if len(warm_leads):
        warm_leads = warm_leads.sort_values(["inquiry_at", "lead_id"], kind="stable")
        accounts = warm_leads.groupby("account_id", sort=True).agg(
            lead_ids=("lead_id", lambda s: ", ".join(map(str, s))),
            lead_count=("lead_id", "size"),
            company=("company", _distinct),
            hot_leads=("hot", "sum"),
        )
        accounts = accounts.loc[accounts["lead_count"] >= min_warm_leads].reset_index()
        accounts["keep_lead_id"] = ""
        accounts["review_kind"] = "same_account"
        accounts = accounts.sort_values(
            ["hot_leads", "lead_count", "account_id"], ascending=[False, False, True], kind="stable"
        )
        parts.append(accounts)
    if not parts:
        return pd.DataFrame(columns=list(REVIEW_COLUMNS))
    review = pd.concat([p[list(REVIEW_COLUMNS)] for p in parts], ignore_index=True)
    review["lead_count"] = review["lead_count"].astype("int64")
    review["hot_leads"] = review["hot_leads"].astype("int64")
    return review


def _distinct(values: pd.Series) -> str:
    seen = [str(v) for v in pd.unique(values.dropna())]
    return " / ".join(seen)


__all__ = ["REVIEW_COLUMNS", "REVIEW_KINDS", "merge_review", "normalised_email"]
