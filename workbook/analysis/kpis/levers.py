"""The levers: first-touch return per channel, multi-touch attribution and unit economics.

They read opportunities closed (``closed_at``) and spend (``month``) inside the KPI window.

See Also
--------
workbook.analysis.attribution.attribute : the multi-touch models of the levers KPI.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbook.analysis.attribution import ATTRIBUTION_MODELS, attribute
from workbook.analysis.journeys import Journeys
from workbook.analysis.kpis.sources import spend_in_window
from workbook.analysis.numbers import json_fields
from workbook.i18n import NOT_RECORDED
from workbook.intake.coverage import DataCoverage, covered_months
from workbook.intake.text import as_text, is_in, positions_in

_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class UnitEconomics:
    """LTV:CAC and CAC payback of marketing-sourced business (CONTRACT ``ltv_cac``).

    Attributes
    ----------
    cac, ltv : float or None
        Currency. ``cac`` = spend / won_count; ``ltv`` = avg_won_amount x gross_margin /
        annual_churn.
    ratio : float or None
        ltv / cac.
    payback_months : float or None
        cac / (avg_won_amount x gross_margin / 12).
    spend : float or None
        All marketing spend in the window (currency); None when the client provided no
        spend (CONTRACT section 3), and then ``cac``, ``ratio`` and ``payback_months`` are
        None too (``ltv`` needs no spend).
    won_count : int
        Marketing-sourced opportunities won in the window.
    avg_won_amount : float or None
        Their mean amount (currency).
    """

    cac: float | None
    ltv: float | None
    ratio: float | None
    payback_months: float | None
    spend: float | None
    won_count: int
    avg_won_amount: float | None

    def to_dict(self) -> dict[str, Any]:
        return json_fields(self)


def unit_economics(
    closed: pd.DataFrame,
    spend: pd.DataFrame | None,
    *,
    start: pd.Timestamp,
    end: pd.Timestamp,
    gross_margin: float,
    annual_churn: float,
) -> UnitEconomics:
    """CAC, LTV, LTV:CAC and CAC payback of marketing-sourced wins in the window.

    Parameters
    ----------
    closed : DataFrame
        Opportunities closed in the window (:func:`closed_in_window`).
    spend : DataFrame or None
        ``month`` (month start), ``amount``; filtered to the window here. None when the
        client provided no spend: every figure that needs it is None, never 0.
    start, end : Timestamp
        The KPI window.
    gross_margin, annual_churn : float
        Fractions 0..1 (engagement.yaml ``economics``).

    Returns
    -------
    UnitEconomics

    Examples
    --------
    >>> closed = pd.DataFrame({"status": ["won"], "amount": [50000.0],
    ...                        "sourced_by": ["marketing"]})
    >>> spend = pd.DataFrame({"month": pd.to_datetime(["2026-01-01"]), "amount": [25000.0]})
    >>> e = unit_economics(closed, spend, start=pd.Timestamp("2025-07-01"),
    ...                    end=pd.Timestamp("2026-06-30"), gross_margin=0.75, annual_churn=0.15)
    >>> e.cac, e.ltv, e.ratio, e.payback_months
    (25000.0, 250000.0, 10.0, 8.0)
    >>> e = unit_economics(closed, None, start=pd.Timestamp("2025-07-01"),
    ...                    end=pd.Timestamp("2026-06-30"), gross_margin=0.75, annual_churn=0.15)
    >>> e.spend, e.cac, e.ltv, e.ratio, e.payback_months
    (None, None, 250000.0, None, None)
    """
    total_spend = (
        float(spend_in_window(spend, start=start, end=end)["amount"].sum())
        if spend is not None
        else None
    )
    won = closed["status"].eq("won").to_numpy(bool) & closed["sourced_by"].eq("marketing").to_numpy(
        bool
    )
    amounts = closed["amount"].to_numpy(float)[won]
    count = int(won.sum())
    avg = float(amounts.mean()) if count else None
    cac = total_spend / count if count and total_spend is not None else None
    ltv = avg * gross_margin / annual_churn if avg is not None and annual_churn > 0 else None
    ratio = ltv / cac if ltv is not None and cac else None
    monthly_margin = avg * gross_margin / 12 if avg is not None else None
    payback = cac / monthly_margin if cac is not None and monthly_margin else None
    return UnitEconomics(
        spend=total_spend,
        won_count=count,
        avg_won_amount=avg,
        cac=cac,
        ltv=ltv,
        ratio=ratio,
        payback_months=payback,
    )


def covered_window(
    coverage: DataCoverage | None,
    *,
    start: pd.Timestamp,
    end: pd.Timestamp,
    stems: Sequence[str] = ("spend", "leads"),
) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The KPI window narrowed to the calendar months every file of ``stems`` covers.

    Spend per lead, or per channel's leads, is only a cost where both files cover the same
    months: 12 months of spend over 6 months of leads doubles it (CONTRACT section 3).

    Parameters
    ----------
    coverage : DataCoverage or None
        ``Engagement.coverage``.
    start, end : Timestamp
        The KPI window.
    stems : sequence of str
        The files the figure reads.

    Returns
    -------
    tuple of Timestamp or None
        ``(start, end)``: from the first covered month's first day (or ``start``) to the last
        covered month's end (or ``end``); ``start > end`` when no month of the window is
        covered. None when no file of ``stems`` stops early or starts late: the window stands.

    Examples
    --------
    >>> from workbook.intake.coverage import FileCoverage
    >>> leads = FileCoverage("leads", "leads.csv", "created_at", 900, pd.Timestamp("2024-10-01"),
    ...     pd.Timestamp("2026-03-30"), stops_early=True,
    ...     covered_from=pd.Timestamp("2024-10-01"), covered_to=pd.Timestamp("2026-03-30"))
    >>> coverage = DataCoverage(pd.Timestamp("2026-09-30"), (leads,))
    >>> start, end = covered_window(coverage, start=pd.Timestamp("2025-10-01"),
    ...                             end=pd.Timestamp("2026-09-30"))
    >>> str(start.date()), str(end.date())
    ('2025-10-01', '2026-03-31')
    """
    if coverage is None or not any(
        cover is not None and cover.limited for cover in map(coverage.get, stems)
    ):
        return None
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    months = covered_months(coverage, stems)
    months = months[(months >= start.to_period("M")) & (months <= end.to_period("M"))]
    if not len(months):
        return start, start - pd.Timedelta(days=1)
    return max(start, months[0].start_time), min(end, months[-1].end_time)


def channel_levers(
    closed: pd.DataFrame,
    spend: pd.DataFrame | None,
    leads: pd.DataFrame,
    *,
    start: pd.Timestamp,
    end: pd.Timestamp,
    coverage: DataCoverage | None = None,
) -> pd.DataFrame:
    """First-touch return per channel over the KPI window.

    Parameters
    ----------
    closed : DataFrame
        Opportunities closed in the window (``status``, ``amount``, ``lead_id``).
    spend : DataFrame or None
        ``month``, ``channel``, ``amount``; filtered to the window here. None when the
        client provided no spend: ``spend``, ``cac`` and ``roi`` are NaN (not 0) and the
        channels are those with won deals, most won revenue first.
    leads : DataFrame
        ``lead_id`` (unique), ``source_channel``, ``created_at``.
    start, end : Timestamp
        The KPI window.
    coverage : DataCoverage, optional
        When the spend or the leads file stops early or starts late, spend, leads and won
        deals are read over the months both cover only (:func:`covered_window`), and
        ``attrs["months"]`` holds that span's first and last month (``YYYY-MM``).

    Returns
    -------
    DataFrame
        One row per channel with spend or won deals in the window (most spend first):
        ``channel``, ``spend`` (currency), ``leads`` (leads created in the window),
        ``won_count``, ``won_revenue`` (won opportunities whose lead has that
        ``source_channel``), ``cac`` (spend / won_count, NaN when no win), ``roi``
        ((won_revenue - spend) / spend, NaN without spend). Leads whose channel was not
        recorded count under :data:`~workbook.i18n.NOT_RECORDED` (spend NaN); when no lead's
        channel was recorded, ``cac`` and ``roi`` are NaN throughout.
    """
    window = covered_window(coverage, start=start, end=end) if spend is not None else None
    if window is not None:
        start, end = window
        closed_at = closed["closed_at"]
        closed = closed.loc[
            ((closed_at >= start) & (closed_at <= end)).fillna(False).to_numpy(bool)
        ]
    if spend is None:
        spend_by = pd.Series(dtype=float)
    else:
        window_spend = spend_in_window(spend, start=start, end=end)
        spend_by = window_spend.groupby(window_spend["channel"].astype(str))["amount"].sum()
    won = closed.loc[closed["status"].eq("won").to_numpy(bool)]
    # the few leads with a won deal first (a look-up in the small set), then their rows
    won_leads = leads.loc[is_in(leads["lead_id"], won["lead_id"]), ["lead_id", "source_channel"]]
    position = positions_in(won_leads["lead_id"], won["lead_id"])
    found = position >= 0
    # a lead whose channel was not recorded stays in the totals, under NOT_RECORDED
    won_channel = as_text(won_leads["source_channel"]).fillna(NOT_RECORDED).iloc[position[found]]
    credited = won_channel.notna().to_numpy(bool)
    won_frame = pd.DataFrame(
        {
            "channel": won_channel.to_numpy(object)[credited].astype(str),
            "amount": won["amount"].to_numpy(float)[found][credited],
        }
    )
    won_by = won_frame.groupby("channel")["amount"].agg(["size", "sum"])
    created = leads["created_at"]
    in_window = ((created >= start) & (created <= end)).fillna(False).to_numpy(bool)
    leads_by = as_text(leads["source_channel"]).fillna(NOT_RECORDED)[in_window].value_counts()
    channels = sorted(set(spend_by.index) | set(won_by.index))
    out = pd.DataFrame({"channel": channels})
    # a channel without spend rows spent 0; without a spend file its spend is unknown (NaN)
    fill = 0.0 if spend is not None else np.nan
    out["spend"] = spend_by.reindex(channels, fill_value=fill).to_numpy(float)
    # what was spent to bring leads whose channel was not recorded is unknown
    out.loc[out["channel"] == NOT_RECORDED, "spend"] = np.nan
    out["leads"] = leads_by.reindex(channels, fill_value=0).to_numpy("int64")
    out["won_count"] = won_by["size"].reindex(channels, fill_value=0).to_numpy("int64")
    out["won_revenue"] = won_by["sum"].reindex(channels, fill_value=0.0).to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["cac"] = np.where(out["won_count"] > 0, out["spend"] / out["won_count"], np.nan)
        out["roi"] = np.where(
            out["spend"] > 0, (out["won_revenue"] - out["spend"]) / out["spend"], np.nan
        )
    if len(leads) and as_text(leads["source_channel"]).isna().all():
        # no lead's channel was recorded: what each channel's spend returned is unknown
        out[["cac", "roi"]] = np.nan
    order = ["spend" if spend is not None else "won_revenue", "channel"]
    out = out.sort_values(order, ascending=[False, True], kind="stable").reset_index(drop=True)
    if window is not None:
        out.attrs["months"] = (f"{window[0]:%Y-%m}", f"{window[1]:%Y-%m}")
    return out


def touch_attribution(
    touches: pd.DataFrame | None,
    journeys: Journeys,
    *,
    start: pd.Timestamp,
    models: Sequence[str] = ATTRIBUTION_MODELS,
) -> pd.DataFrame | None:
    """Won deals and revenue credited to touch channels under several attribution models.

    The population is every lead of the snapshot still in play at the window start: won or
    out of the funnel on or after ``start``, or still open at ``as_of``. A lead converts when
    it was won in the window; its revenue is ``won_amount``. Only touches on or before the
    day of the lead's outcome (won, or left the funnel; ``as_of`` for open leads) count: a
    touch after the outcome cannot have influenced it. Dates have day resolution, so a touch
    on the outcome day counts.

    Parameters
    ----------
    touches : DataFrame or None
        ``lead_id``, ``touched_at``, ``channel``; None when the engagement has none.
        Touches of leads not in the journeys, or with an empty cell, are left out.
    journeys : Journeys
    start : Timestamp
        First day of the KPI window.
    models : sequence of str
        Models of :func:`workbook.analysis.attribution.attribute`.

    Returns
    -------
    DataFrame or None
        None without touches. Otherwise one row per channel touched (index ``channel``):
        ``<model>_won`` (won deals credited, float; each model sums to the touched leads won),
        ``<model>_won_revenue`` (currency) and, with Markov, ``markov_removal_effect`` (0..1).
    """
    if touches is None or len(touches) == 0:
        return None
    leads = journeys.leads
    won_at = leads[f"{journeys.stages[-1]}_at"].to_numpy("datetime64[ns]")
    exit_at = leads["exit_at"].to_numpy("datetime64[ns]")
    as_of = journeys.as_of.to_datetime64()
    outcome = np.where(~np.isnat(won_at), won_at, np.where(~np.isnat(exit_at), exit_at, as_of))
    start64 = pd.Timestamp(start).to_datetime64()
    in_play = outcome >= start64
    converted = in_play & ~np.isnat(won_at) & (won_at >= start64)
    # a touch counts before the end of its lead's outcome day; not at all (NaT) for a lead
    # out of play or not in the journeys (row -1 reads the last slot)
    deadline = np.full(len(leads) + 1, np.datetime64("NaT"), dtype="datetime64[ns]")
    deadline[:-1][in_play] = outcome[in_play] + _DAY
    lead_row = positions_in(leads["lead_id"], touches["lead_id"])
    touched_at = touches["touched_at"].to_numpy("datetime64[ns]")
    keep = (touched_at < deadline[lead_row]) & touches["channel"].notna().to_numpy(bool)
    if not keep.any():
        return None
    amount = leads["won_amount"].to_numpy(float)
    credit = attribute(
        pd.DataFrame(
            {
                "lead_row": lead_row[keep],
                "touched_at": touched_at[keep],
                "channel": touches["channel"].array[keep],
            }
        ),
        pd.DataFrame(
            {
                "lead_row": np.arange(len(leads)),
                "converted": converted,
                "revenue": np.where(converted & ~np.isnan(amount), amount, 0.0),
            }
        ),
        models=models,
        lead_id_col="lead_row",
    )
    renamed = {}
    for model in models:
        renamed[f"{model}_converted"] = f"{model}_won"
        renamed[f"{model}_revenue"] = f"{model}_won_revenue"
    credit = credit.rename(columns=renamed)
    credit.index = credit.index.astype(str)
    return credit
