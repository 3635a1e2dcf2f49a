"""The merge review list before a hand-off: shared e-mails and accounts with several warm leads.

The list shows lead ids and companies, never an e-mail address.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workbook.intake.sections.lead_management import DEFAULT_ENGAGED_DAYS, DEFAULT_MIN_WARM_LEADS
from workbook.intake.text import TEXT_DTYPE, arrow_text, as_text, positions_in

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


#: Python's ``\s`` (every character whose ``str.isspace()`` is true) as an RE2 class, so
#: :func:`pyarrow.compute.replace_substring_regex` removes what ``re.sub(r"\s+", ...)`` would
#: (RE2's own ``\s`` is ASCII only).
WHITESPACE = (
    r"[\t-\r\x{1c}-\x{20}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}"
    r"\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]+"
)


def normalised_email(email: pd.Series) -> pd.Series:
    """E-mail compared case- and space-insensitively (as ``validate`` counts duplicates).

    Examples
    --------
    >>> normalised_email(pd.Series([" Ann@Alpha.example", "ann@alpha.example "])).tolist()
    ['ann@alpha.example', 'ann@alpha.example']
    """
    lower = pc.utf8_lower(arrow_text(email))
    clean = pd.Series(
        pd.array(pc.replace_substring_regex(lower, WHITESPACE, ""), dtype="string"),
        index=email.index,
        name=email.name,
    )
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
        row = positions_in(scores["lead_id"], jl["lead_id"])
        score = np.where(row >= 0, scores["score"].to_numpy(float)[row], np.nan)
        hot = warm & (np.nan_to_num(score, nan=0.0) >= threshold)
    else:
        hot = warm & (stage_codes >= 1)

    base = pd.DataFrame(
        {
            "lead_id": as_text(jl["lead_id"]),
            "account_id": as_text(jl["account_id"]),
            "company": as_text(jl["company"]),
            "stage_code": stage_codes,
            "inquiry_at": inquiry,
            "hot": hot,
            "warm": warm,
        }
    )
    parts = []
    if "email" in leads:
        row = positions_in(leads["lead_id"], jl["lead_id"])
        codes, _ = pd.factorize(normalised_email(leads["email"]))  # missing -> -1
        base["email_key"] = np.where(row >= 0, codes[row], -1)
        dup = base.loc[(base["email_key"] >= 0) & base.duplicated("email_key", keep=False)]
        if len(dup):
            dup = dup.sort_values(["inquiry_at", "lead_id"], kind="stable")
            ranked = dup.sort_values(
                ["stage_code", "inquiry_at", "lead_id"],
                ascending=[False, True, True],
                kind="stable",
            )
            keep = ranked.groupby("email_key", sort=False)["lead_id"].first()
            groups = dup.groupby("email_key", sort=False).agg(
                lead_count=("lead_id", "size"),
                hot_leads=("hot", "sum"),
                first=("inquiry_at", "min"),
            )
            groups["lead_ids"] = _joined(dup["email_key"], dup["lead_id"], ", ", groups.index)
            for column in ("account_id", "company"):
                groups[column] = _joined(dup["email_key"], dup[column], " / ", groups.index)
            groups["keep_lead_id"] = keep.reindex(groups.index)
            groups["review_kind"] = "same_email"
            parts.append(groups.sort_values("first", kind="stable").reset_index(drop=True))
    warm_leads = base.loc[base["warm"] & base["account_id"].notna()]
    if len(warm_leads):
        warm_leads = warm_leads.sort_values(["inquiry_at", "lead_id"], kind="stable")
        accounts = warm_leads.groupby("account_id", sort=True).agg(
            lead_count=("lead_id", "size"),
            hot_leads=("hot", "sum"),
        )
        account = warm_leads["account_id"]
        accounts["lead_ids"] = _joined(account, warm_leads["lead_id"], ", ", accounts.index)
        accounts["company"] = _joined(account, warm_leads["company"], " / ", accounts.index)
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


def _joined(keys: pd.Series, values: pd.Series, separator: str, index: pd.Index) -> pd.Series:
    """The distinct values of each key, in row order, joined by ``separator`` ("" when none).

    One :meth:`pyarrow.Table.group_by` (single-threaded, so rows keep their order) and
    :func:`pyarrow.compute.binary_join`; missing values are left out. Lead ids are distinct
    already, so ``", "``-joined ids list every lead of the key.
    """
    part = pd.DataFrame({"key": keys, "value": values}).dropna().drop_duplicates()
    table = pa.table({"key": part["key"].to_numpy(), "value": arrow_text(part["value"])})
    grouped = table.group_by("key", use_threads=False).aggregate([("value", "list")])
    joined = pd.Series(
        pc.binary_join(grouped["value_list"], pa.scalar(separator, table["value"].type)),
        index=grouped["key"].to_pandas(),
        dtype=TEXT_DTYPE,
    )
    return joined.reindex(index).fillna("")


__all__ = ["REVIEW_COLUMNS", "REVIEW_KINDS", "merge_review", "normalised_email"]
