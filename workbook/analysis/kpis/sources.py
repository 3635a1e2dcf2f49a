"""The KPI window, and what it holds by source: lift, quality, win rates.

The **KPI window** is ``window_months`` calendar months up to and including as_of's month,
cut at ``as_of``: lift, quality and win rates read opportunities closed (``closed_at``)
inside it, whether or not the opportunity has a lead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbook.analysis.intervals import proportion_intervals
from workbook.analysis.journeys import Journeys
from workbook.analysis.kpis.funnel import journey_outcomes
from workbook.analysis.numbers import json_fields
from workbook.analysis.survival import CumulativeIncidence, cumulative_incidence
from workbook.intake.engagement import Engagement

#: Order in which ``sourced_by`` values are listed (others follow alphabetically).
SOURCE_ORDER: tuple[str, ...] = ("marketing", "sales", "partner", "referral", "renewal")


def kpi_window(engagement: Engagement) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of the KPI window (both included).

    ``window_months`` calendar months up to and including as_of's month, cut at ``as_of``.
    """
    return engagement.window_start, engagement.as_of_timestamp


def closed_in_window(
    opportunities: pd.DataFrame, *, start: pd.Timestamp, end: pd.Timestamp
) -> pd.DataFrame:
    """Opportunities won or lost with ``closed_at`` in ``[start, end]``.

    Parameters
    ----------
    opportunities : DataFrame
        ``status``, ``closed_at`` (datetime64), ``amount``, ``sourced_by``, ...
    start, end : Timestamp
        Window bounds, both included.

    Returns
    -------
    DataFrame
        The rows kept, index reset.
    """
    closed = opportunities["closed_at"]
    keep = (
        opportunities["status"].isin(["won", "lost"]).to_numpy(bool)
        & (closed >= start).fillna(False).to_numpy(bool)
        & (closed <= end).fillna(False).to_numpy(bool)
    )
    return opportunities.loc[keep].reset_index(drop=True)


def spend_in_window(spend: pd.DataFrame, *, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Spend rows whose ``month`` is in ``[start, end]``."""
    month = spend["month"]
    keep = ((month >= start) & (month <= end)).fillna(False).to_numpy(bool)
    return spend.loc[keep]


@dataclass(frozen=True)
class Lift:
    """Share of won business sourced by marketing (CONTRACT ``lift``).

    Attributes
    ----------
    won_revenue_share, won_count_share : float or None
        0..1; None when nothing was won in the window.
    won_count, marketing_won_count : int
    won_revenue, marketing_won_revenue : float
        In the engagement's currency.
    """

    won_revenue_share: float | None
    won_count_share: float | None
    won_count: int
    won_revenue: float
    marketing_won_count: int
    marketing_won_revenue: float

    def to_dict(self) -> dict[str, Any]:
        return json_fields(self)


def marketing_lift(closed: pd.DataFrame) -> Lift:
    """Lift: the share of won revenue and won deals sourced by marketing.

    Parameters
    ----------
    closed : DataFrame
        Opportunities closed in the window (:func:`closed_in_window`).

    Returns
    -------
    Lift

    Examples
    --------
    >>> closed = pd.DataFrame({"status": ["won", "won", "lost"], "amount": [30.0, 10.0, 5.0],
    ...                        "sourced_by": ["marketing", "sales", "marketing"]})
    >>> lift = marketing_lift(closed)
    >>> lift.won_revenue_share, lift.won_count_share
    (0.75, 0.5)
    """
    won = closed.loc[closed["status"].eq("won").to_numpy(bool)]
    marketing = won["sourced_by"].eq("marketing").to_numpy(bool)
    amount = won["amount"].to_numpy(float)
    count, revenue = len(won), float(amount.sum())
    m_count, m_revenue = int(marketing.sum()), float(amount[marketing].sum())
    return Lift(
        won_revenue_share=m_revenue / revenue if revenue > 0 else None,
        won_count_share=m_count / count if count else None,
        won_count=count,
        won_revenue=revenue,
        marketing_won_count=m_count,
        marketing_won_revenue=m_revenue,
    )


def lift_by_month(
    opportunities: pd.DataFrame, *, end: pd.Timestamp, months: int = 24
) -> pd.DataFrame:
    """Won business per calendar month, and the share of it sourced by marketing.

    Parameters
    ----------
    opportunities : DataFrame
        All opportunities (``status``, ``closed_at``, ``amount``, ``sourced_by``).
    end : Timestamp
        ``as_of``: the last month is its month, cut at it.
    months : int
        How many calendar months to show.

    Returns
    -------
    DataFrame
        One row per month (``month``: month start), oldest first: ``won_count``,
        ``won_revenue``, ``marketing_won_count``, ``marketing_won_revenue``,
        ``won_revenue_share`` (0..1, NaN when nothing was won that month).
    """
    first = (pd.Timestamp(end).to_period("M") - (months - 1)).to_timestamp()
    closed = closed_in_window(opportunities, start=first, end=end)
    won = closed.loc[closed["status"].eq("won").to_numpy(bool)]
    month = won["closed_at"].dt.to_period("M").dt.to_timestamp()
    marketing = won["sourced_by"].eq("marketing").to_numpy(bool)
    frame = pd.DataFrame(
        {
            "month": month.to_numpy(),
            "won_count": 1,
            "won_revenue": won["amount"].to_numpy(float),
            "marketing_won_count": marketing.astype(int),
            "marketing_won_revenue": np.where(marketing, won["amount"].to_numpy(float), 0.0),
        }
    )
    index = pd.period_range(first, end, freq="M").to_timestamp()
    out = frame.groupby("month").sum().reindex(index, fill_value=0)
    out.index.name = "month"
    out = out.reset_index()
    for col in ("won_count", "marketing_won_count"):
        out[col] = out[col].astype("int64")
    revenue = out["won_revenue"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["won_revenue_share"] = np.where(
            revenue > 0, out["marketing_won_revenue"].to_numpy(float) / revenue, np.nan
        )
    return out


def _ordered_sources(values: Sequence[str]) -> list[str]:
    present = {str(v) for v in values}
    known = [s for s in SOURCE_ORDER if s in present]
    return known + sorted(present - set(SOURCE_ORDER))


def source_win_curves(
    journeys: Journeys, *, from_stage: str = "sql", confidence_level: float = 0.95
) -> dict[str, CumulativeIncidence]:
    """Cumulative incidence of winning from ``from_stage``, by the lead's ``sourced_by``.

    Every lead of the snapshot that reached ``from_stage``; leaving the funnel on the way
    (disqualified, lost) competes, open leads are censored at ``as_of``.

    Returns
    -------
    dict
        ``sourced_by`` -> :class:`~workbook.analysis.survival.CumulativeIncidence` (marketing first);
        empty when ``from_stage`` is not a stage before the last.
    """
    curves: dict[str, CumulativeIncidence] = {}
    if from_stage not in journeys.stages[:-1]:
        return curves
    # every lead's outcome once; each source's curve reads its leads' rows, in the same order
    outcomes = journey_outcomes(journeys, from_stage, journeys.stages[-1])
    # every lead's source coded once (missing: -1); these leads' codes read in their order
    codes, texts = pd.factorize(journeys.leads["sourced_by"])
    codes = codes[outcomes["lead_index"].to_numpy()]
    names = [str(t) for t in texts]
    if "marketing" not in names:
        names.append("marketing")
    lead_group = np.where(codes >= 0, codes, names.index("marketing"))  # missing: marketing
    durations = outcomes["duration_days"].to_numpy(float)
    events = outcomes["event"].to_numpy()
    present = np.flatnonzero(np.bincount(lead_group, minlength=len(names)))
    for name in _ordered_sources([names[k] for k in present]):
        rows = lead_group == names.index(name)
        if rows.any():
            curves[name] = cumulative_incidence(
                durations[rows],
                events[rows],
                event_of_interest=1,
                confidence_level=confidence_level,
            )
    return curves


def source_outcomes(
    closed: pd.DataFrame,
    *,
    win_curves: Mapping[str, CumulativeIncidence] | None = None,
    horizon_days: int = 365,
    confidence_level: float = 0.95,
) -> pd.DataFrame:
    """Quality and conversion by source: win rates, deal sizes, win incidence from SQL.

    Parameters
    ----------
    closed : DataFrame
        Opportunities closed in the window (:func:`closed_in_window`), all sources:
        ``status``, ``amount``, ``sourced_by``.
    win_curves : mapping, optional
        :func:`source_win_curves`; adds the ``sql_*`` columns.
    horizon_days : int
        Where the win incidence is read.
    confidence_level : float
        Of the Wilson intervals.

    Returns
    -------
    DataFrame
        Index ``sourced_by`` (marketing first, then sales, partner, referral, renewal),
        columns ``closed_count``, ``won_count``, ``lost_count``, ``win_rate`` (won / closed,
        0..1), ``win_rate_lower``, ``win_rate_upper`` (Wilson), ``won_revenue``,
        ``avg_won_amount``, ``median_won_amount`` (currency) and, with ``win_curves``,
        ``sql_entered`` (leads), ``sql_won_rate`` (0..1, at the horizon),
        ``sql_won_lower``, ``sql_won_upper``. NaN where undefined.

    Examples
    --------
    >>> closed = pd.DataFrame({"status": ["won", "lost", "won"], "amount": [10.0, 5.0, 30.0],
    ...                        "sourced_by": ["sales", "marketing", "marketing"]})
    >>> source_outcomes(closed)[["win_rate", "avg_won_amount"]].to_dict("index")
    {'marketing': {'win_rate': 0.5, 'avg_won_amount': 30.0}, 'sales': {'win_rate': 1.0, 'avg_won_amount': 10.0}}
    """
    status = closed["status"].astype(str).to_numpy()
    won = status == "won"
    frame = pd.DataFrame(
        {
            "sourced_by": closed["sourced_by"].astype(str).to_numpy(),
            "won": won,
            "lost": status == "lost",
            "won_amount": np.where(won, closed["amount"].to_numpy(float), np.nan),
        }
    )
    grouped = frame.groupby("sourced_by")
    table = pd.DataFrame(
        {
            "closed_count": grouped.size(),
            "won_count": grouped["won"].sum(),
            "lost_count": grouped["lost"].sum(),
            "won_revenue": grouped["won_amount"].sum(),
            "avg_won_amount": grouped["won_amount"].mean(),
            "median_won_amount": grouped["won_amount"].median(),
        }
    )
    curves = dict(win_curves or {})
    order = _ordered_sources([*table.index.tolist(), *curves])
    table = table.reindex(order)
    for col in ("closed_count", "won_count", "lost_count"):
        table[col] = table[col].fillna(0).astype("int64")
    table["won_revenue"] = table["won_revenue"].fillna(0.0).astype(float)
    closed_count = table["closed_count"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        table["win_rate"] = np.where(
            closed_count > 0, table["won_count"].to_numpy() / closed_count, np.nan
        )
    lower, upper = proportion_intervals(
        table["won_count"].to_numpy(), closed_count, confidence_level=confidence_level
    )
    table["win_rate_lower"] = lower
    table["win_rate_upper"] = upper
    if win_curves is not None:
        entered, rate, low, high = [], [], [], []
        for source in order:
            cif = curves.get(source)
            entered.append(int(cif.at_risk_count[0]) if cif is not None else 0)
            rate.append(float(cif.at(horizon_days)) if cif is not None else np.nan)
            band = cif.band_at(horizon_days) if cif is not None else (np.nan, np.nan)
            low.append(band[0])
            high.append(band[1])
        table["sql_entered"] = np.asarray(entered, dtype="int64")
        table["sql_won_rate"] = rate
        table["sql_won_lower"] = low
        table["sql_won_upper"] = high
    table.index.name = "sourced_by"
    return table
