"""Funnel conversion with censoring, velocity and the six outcome KPIs.

Rates follow CONTRACT.md: the probability that a lead which entered stage ``a`` reaches the
next stage ``b`` within ``horizon_days`` is the Aalen-Johansen cumulative incidence of
advancing, with exit (disqualified, or lost after the opportunity stage) as the competing
outcome and leads still open at ``as_of`` censored.

The KPIs read two populations:

- the **journeys** (every lead created on or before ``as_of``): funnel rates, velocity,
  stuck leads, cohorts, the win incidence from SQL;
- the **KPI window** (``window_months`` calendar months up to and including as_of's month,
  cut at ``as_of``): lift, quality, win rates, levers and LTV:CAC read opportunities closed
  (``closed_at``) and spend (``month``) inside it, whether or not the opportunity has a lead.

:func:`compute_kpis` computes everything; the other functions are its building blocks and
take plain frames, so they can be tested and reused on their own.

See Also
--------
workbook.analysis.survival.cumulative_incidence : the estimator.
workbook.analysis.journeys.Journeys : the ``leads`` and ``steps`` tables read here.
workbook.analysis.attribution.attribute : the multi-touch models of the levers KPI.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from workbook import textkeys
from workbook.analysis.attribution import (
    ATTRIBUTION_MODELS,
    attribute_coded,
    channel_codes_by_name,
    sorted_by_path,
)
from workbook.analysis.baseline import stage_counts
from workbook.analysis.journeys import Journeys, build_journeys
from workbook.analysis.survival import (
    CumulativeIncidence,
    cumulative_incidence,
    proportion_intervals,
)
from workbook.intake.engagement import Engagement
from workbook.intake.validate import as_text, positions_in

__all__ = [
    "SOURCE_ORDER",
    "WITHIN_DAYS",
    "GroupedTouches",
    "KpiReport",
    "Lift",
    "UnitEconomics",
    "channel_levers",
    "closed_in_window",
    "cohort_conversion",
    "compute_kpis",
    "funnel_rates",
    "group_touches",
    "journey_curve",
    "journey_outcomes",
    "kpi_window",
    "lift_by_month",
    "marketing_lift",
    "skipped_stage_counts",
    "source_outcomes",
    "source_win_curves",
    "stage_curves",
    "stuck_leads",
    "touch_attribution",
    "unit_economics",
    "velocity_table",
]

#: Order in which ``sourced_by`` values are listed (others follow alphabetically).
SOURCE_ORDER: tuple[str, ...] = ("marketing", "sales", "partner", "referral", "renewal")
#: Days for the velocity shares ``within_<n>_days``.
WITHIN_DAYS: tuple[int, ...] = (30, 60, 90)
_DAY = np.timedelta64(1, "D")


# --- funnel -----------------------------------------------------------------------------------


def stage_curves(
    journeys: Journeys, *, confidence_level: float = 0.95
) -> dict[tuple[str, str], CumulativeIncidence]:
    """Cumulative incidence of reaching the next stage, for every adjacent stage pair.

    Parameters
    ----------
    journeys : Journeys
    confidence_level : float
        Of the pointwise bands.

    Returns
    -------
    dict
        ``(from, to)`` -> :class:`~workbook.analysis.survival.CumulativeIncidence` over days since
        entering ``from``. Pairs no lead entered are left out.

    See Also
    --------
    journey_curve : the same for any two stages (e.g. first stage to won).
    """
    curves: dict[tuple[str, str], CumulativeIncidence] = {}
    steps = journeys.steps  # each stage's steps read in place (journeys.step copies them)
    stage_index = steps["stage_index"].to_numpy()
    durations = steps["duration_days"].to_numpy(float)
    events = steps["event"].to_numpy()
    for k, (a, b) in enumerate(journeys.pairs):
        rows = stage_index == k
        if not rows.any():
            continue
        curves[(a, b)] = cumulative_incidence(
            durations[rows], events[rows], event_of_interest=1, confidence_level=confidence_level
        )
    return curves


def funnel_rates(
    journeys: Journeys,
    *,
    horizon_days: int = 365,
    confidence_level: float = 0.95,
    curves: dict[tuple[str, str], CumulativeIncidence] | None = None,
) -> pd.DataFrame:
    """Stage-to-stage conversion, censoring-aware, with the naive rate beside it.

    Parameters
    ----------
    journeys : Journeys
    horizon_days : int
        Conversion within this many days of entering the stage.
    confidence_level : float
    curves : dict, optional
        :func:`stage_curves` already computed.

    Returns
    -------
    DataFrame
        One row per adjacent pair: ``from``, ``to``, ``entered``, ``converted`` (observed, at
        any time), ``rate`` (cumulative incidence at ``horizon_days``, 0..1), ``rate_lower``,
        ``rate_upper`` (pointwise band), ``naive_rate`` (``converted / entered``),
        ``naive_lower``, ``naive_upper`` (Wilson), ``median_days`` (median time to convert
        among converters within the horizon), ``p75_days``, ``p90_days``.
        Rates are NaN where no lead entered.

    See Also
    --------
    velocity_table : the times to convert in more detail.
    """
    curves = (
        curves if curves is not None else stage_curves(journeys, confidence_level=confidence_level)
    )
    table = stage_counts(journeys)
    rate, lower, upper, median, p75, p90 = ([] for _ in range(6))
    for a, b in zip(table["from"], table["to"], strict=True):
        cif = curves.get((a, b))
        if cif is None:
            for column in (rate, lower, upper, median, p75, p90):
                column.append(float("nan"))
            continue
        rate.append(float(cif.at(horizon_days)))
        band = cif.band_at(horizon_days)
        lower.append(band[0])
        upper.append(band[1])
        for column, q in ((median, 0.5), (p75, 0.75), (p90, 0.9)):
            value = cif.quantile_time_days(q, horizon_days=horizon_days)
            column.append(float("nan") if value is None else float(value))
    table["rate"] = rate
    table["rate_lower"] = lower
    table["rate_upper"] = upper
    table["naive_rate"] = table["naive_rate"].astype(float)
    naive_lower, naive_upper = proportion_intervals(
        table["converted"].to_numpy(),
        table["entered"].to_numpy(),
        confidence_level=confidence_level,
    )
    table["naive_lower"] = naive_lower
    table["naive_upper"] = naive_upper
    table["median_days"] = median
    table["p75_days"] = p75
    table["p90_days"] = p90
    return table


def journey_outcomes(
    journeys: Journeys, from_stage: str, to_stage: str, *, leads_mask: np.ndarray | None = None
) -> pd.DataFrame:
    """Time from one stage to a later one, coded for competing-risks analysis.

    Parameters
    ----------
    journeys : Journeys
    from_stage, to_stage : str
        Stages of the ladder, ``from_stage`` before ``to_stage`` (e.g. ``inquiry`` and
        ``won``).
    leads_mask : ndarray of bool, shape (len(journeys.leads),), optional
        Only these leads (e.g. one source).

    Returns
    -------
    DataFrame
        One row per lead that entered ``from_stage``: ``lead_index`` (row of
        ``journeys.leads``), ``event`` (1 reached ``to_stage``, 2 left the funnel on the way:
        disqualified or lost, 0 still open at ``as_of``) and ``duration_days`` (float >= 0:
        days from entering ``from_stage`` to that event, or to ``as_of``).

    Notes
    -----
    For adjacent stages this is exactly ``journeys.step(from_stage)``.
    """
    stages = journeys.stages
    if stages.index(from_stage) >= stages.index(to_stage):
        raise ValueError(f"{from_stage!r} must come before {to_stage!r} in {stages}")
    leads = journeys.leads
    start = leads[f"{from_stage}_at"].to_numpy("datetime64[ns]")
    keep = ~np.isnat(start)
    if leads_mask is not None:
        keep &= np.asarray(leads_mask, dtype=bool)
    idx = np.flatnonzero(keep)
    t0 = start[idx]
    reached = leads[f"{to_stage}_at"].to_numpy("datetime64[ns]")[idx]
    exited = leads["exit_at"].to_numpy("datetime64[ns]")[idx]
    advanced = ~np.isnat(reached)
    left = ~advanced & ~np.isnat(exited)
    end = np.where(advanced, reached, np.where(left, exited, journeys.as_of.to_datetime64()))
    return pd.DataFrame(
        {
            "lead_index": idx,
            "event": np.where(advanced, 1, np.where(left, 2, 0)).astype("int8"),
            "duration_days": np.maximum((end - t0) / _DAY, 0.0),
        }
    )


def journey_curve(
    journeys: Journeys,
    from_stage: str,
    to_stage: str,
    *,
    leads_mask: np.ndarray | None = None,
    confidence_level: float = 0.95,
) -> CumulativeIncidence | None:
    """Cumulative incidence of reaching ``to_stage`` from ``from_stage``, exits competing.

    Returns
    -------
    CumulativeIncidence or None
        None when no lead entered ``from_stage``.

    See Also
    --------
    journey_outcomes : the durations and events estimated.
    """
    outcomes = journey_outcomes(journeys, from_stage, to_stage, leads_mask=leads_mask)
    if len(outcomes) == 0:
        return None
    return cumulative_incidence(
        outcomes["duration_days"].to_numpy(float),
        outcomes["event"].to_numpy(),
        event_of_interest=1,
        confidence_level=confidence_level,
    )


def _first_won_key(journeys: Journeys) -> tuple[str, str]:
    return (journeys.stages[0], journeys.stages[-1])


def velocity_table(
    journeys: Journeys,
    *,
    horizon_days: int = 365,
    within_days: Sequence[int] = WITHIN_DAYS,
    curves: Mapping[tuple[str, str], CumulativeIncidence] | None = None,
    confidence_level: float = 0.95,
) -> pd.DataFrame:
    """Days to move between stages: every adjacent pair, and the first stage to won.

    Parameters
    ----------
    journeys : Journeys
    horizon_days : int
        Only conversions within this many days count (as for the funnel rates).
    within_days : sequence of int
        Days for the ``within_<n>_days`` shares.
    curves : mapping, optional
        ``(from, to)`` -> cumulative incidence already computed; missing ones are computed.
    confidence_level : float

    Returns
    -------
    DataFrame
        One row per pair, the first-to-won pair first: ``key`` (``<from>_<to>``), ``from``,
        ``to``, ``rate`` (0..1, cumulative incidence at the horizon), ``median_days``,
        ``p75_days``, ``p90_days`` (quantiles of the time to convert among leads converting
        within the horizon, censoring-aware) and ``within_<n>_days`` (0..1: the share of
        those converters that converted within ``n`` days). NaN where nothing converted.

    See Also
    --------
    funnel_rates : the same median for adjacent pairs.
    """
    curves = dict(curves or {})
    pairs = [_first_won_key(journeys), *journeys.pairs]
    records = []
    for a, b in pairs:
        cif = curves.get((a, b))
        if cif is None:
            cif = journey_curve(journeys, a, b, confidence_level=confidence_level)
        record: dict[str, Any] = {"key": f"{a}_{b}", "from": a, "to": b}
        rate = float(cif.at(horizon_days)) if cif is not None else float("nan")
        record["rate"] = rate
        for name, q in (("median_days", 0.5), ("p75_days", 0.75), ("p90_days", 0.9)):
            value = cif.quantile_time_days(q, horizon_days=horizon_days) if cif else None
            record[name] = float("nan") if value is None else float(value)
        for n in within_days:
            share = float("nan")
            if cif is not None and rate > 0:
                share = min(1.0, float(cif.at(min(n, horizon_days))) / rate)
            record[f"within_{n}_days"] = share
        records.append(record)
    return pd.DataFrame.from_records(records)


# --- the KPI window ---------------------------------------------------------------------------


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


def _spend_in_window(
    spend: pd.DataFrame, *, start: pd.Timestamp, end: pd.Timestamp
) -> pd.DataFrame:
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
        return {
            "won_revenue_share": _num(self.won_revenue_share),
            "won_count_share": _num(self.won_count_share),
            "won_count": int(self.won_count),
            "won_revenue": float(self.won_revenue),
            "marketing_won_count": int(self.marketing_won_count),
            "marketing_won_revenue": float(self.marketing_won_revenue),
        }


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
    # the sources of these leads only (taken in order: journey_outcomes keeps the leads')
    sources = textkeys.take(as_text(journeys.leads["sourced_by"]), outcomes["lead_index"])
    codes, texts = textkeys.dictionary_codes(sources)
    names = list(texts) if "marketing" in texts else [*texts, "marketing"]
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


@dataclass(frozen=True)
class UnitEconomics:
    """LTV:CAC and CAC payback of marketing-sourced business (CONTRACT ``ltv_cac``).

    Attributes
    ----------
    spend : float
        All marketing spend in the window (currency).
    won_count : int
        Marketing-sourced opportunities won in the window.
    avg_won_amount : float or None
        Their mean amount (currency).
    cac, ltv : float or None
        Currency. ``cac`` = spend / won_count; ``ltv`` = avg_won_amount x gross_margin /
        annual_churn.
    ratio : float or None
        ltv / cac.
    payback_months : float or None
        cac / (avg_won_amount x gross_margin / 12).
    """

    spend: float
    won_count: int
    avg_won_amount: float | None
    cac: float | None
    ltv: float | None
    ratio: float | None
    payback_months: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "cac": _num(self.cac),
            "ltv": _num(self.ltv),
            "ratio": _num(self.ratio),
            "payback_months": _num(self.payback_months),
            "spend": float(self.spend),
            "won_count": int(self.won_count),
            "avg_won_amount": _num(self.avg_won_amount),
        }


def unit_economics(
    closed: pd.DataFrame,
    spend: pd.DataFrame,
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
    spend : DataFrame
        ``month`` (month start), ``amount``; filtered to the window here.
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
    """
    total_spend = float(_spend_in_window(spend, start=start, end=end)["amount"].sum())
    won = closed["status"].eq("won").to_numpy(bool) & closed["sourced_by"].eq("marketing").to_numpy(
        bool
    )
    amounts = closed["amount"].to_numpy(float)[won]
    count = int(won.sum())
    avg = float(amounts.mean()) if count else None
    cac = total_spend / count if count else None
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


# --- health -----------------------------------------------------------------------------------


def stuck_leads(journeys: Journeys, funnel: pd.DataFrame) -> pd.DataFrame:
    """Leads sitting in a stage for longer than its 90th-percentile time to convert.

    Parameters
    ----------
    journeys : Journeys
    funnel : DataFrame
        :func:`funnel_rates` (its ``p90_days`` is the threshold).

    Returns
    -------
    DataFrame
        One row per stage except the last: ``stage``, ``open_count`` (leads in the stage at
        ``as_of``, open, not disqualified), ``threshold_days`` (the stage's p90 time to
        convert, NaN when nobody converted), ``stuck_count`` (open leads in the stage for
        more than ``threshold_days``; 0 without a threshold), ``stuck_share`` (0..1 of the
        open ones, NaN without open leads).
    """
    steps = journeys.steps
    is_open = steps["event"].to_numpy() == 0
    stage = steps["stage_index"].to_numpy()[is_open].astype(np.intp)  # codes of the ladder
    stages = list(journeys.stages[:-1])
    threshold = pd.Series(
        funnel["p90_days"].to_numpy(float), index=funnel["from"].astype(str).to_numpy()
    )
    limit = threshold.reindex(stages).to_numpy(float)
    stuck = steps["duration_days"].to_numpy(float)[is_open] > limit[stage]  # NaN -> False
    out = pd.DataFrame(
        {
            "stage": stages,
            "open_count": np.bincount(stage, minlength=len(stages)).astype("int64"),
            "threshold_days": limit,
            "stuck_count": np.bincount(stage[stuck], minlength=len(stages)).astype("int64"),
        }
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        out["stuck_share"] = np.where(
            out["open_count"] > 0, out["stuck_count"] / out["open_count"], np.nan
        )
    return out


#: How validation words the warning about a skipped stage (workbook.intake.validate).


def skipped_stage_counts(engagement: Engagement) -> pd.DataFrame:
    """Leads whose export skipped a stage: an empty ``<stage>_at`` with a later stage set.

    Counted from the audit's warnings (validation backfills such dates and names their
    rows), restricted to leads of the snapshot (created on or before ``as_of``) whose
    backfilled date for the stage is on or before ``as_of``.

    Returns
    -------
    DataFrame
        One row per stage after the first: ``stage``, ``skipped_count`` (leads). The frame's
        ``attrs["skipped_leads"]`` holds how many distinct leads skipped at least one stage.
    """
    leads = engagement.leads
    stages = engagement.config.stages
    file = engagement.files.get("leads", "leads.csv")
    as_of = engagement.as_of_timestamp
    rows = leads["source_row"].to_numpy()
    in_snapshot = (leads["created_at"] <= as_of).fillna(False).to_numpy(bool)
    any_skip = np.zeros(len(leads), dtype=bool)
    counts = []
    for stage in stages[1:]:
        col = f"{stage}_at"
        flagged = [
            np.asarray(p.rows, dtype=np.int64)
            for p in engagement.audit.warnings
            if p.file == file and p.column == col and p.code == "skipped_stage"
        ]
        mask = np.zeros(len(leads), dtype=bool)
        if flagged and col in leads:
            reached = (leads[col] <= as_of).fillna(False).to_numpy(bool)
            mask = np.isin(rows, np.concatenate(flagged)) & in_snapshot & reached
        any_skip |= mask
        counts.append(int(mask.sum()))
    out = pd.DataFrame({"stage": list(stages[1:]), "skipped_count": counts})
    out.attrs["skipped_leads"] = int(any_skip.sum())
    return out


# --- levers -----------------------------------------------------------------------------------


def channel_levers(
    closed: pd.DataFrame,
    spend: pd.DataFrame,
    leads: pd.DataFrame,
    *,
    start: pd.Timestamp,
    end: pd.Timestamp,
) -> pd.DataFrame:
    """First-touch return per channel over the KPI window.

    Parameters
    ----------
    closed : DataFrame
        Opportunities closed in the window (``status``, ``amount``, ``lead_id``).
    spend : DataFrame
        ``month``, ``channel``, ``amount``; filtered to the window here.
    leads : DataFrame
        ``lead_id`` (unique), ``source_channel``, ``created_at``.
    start, end : Timestamp
        The KPI window.

    Returns
    -------
    DataFrame
        One row per channel with spend or won deals in the window (most spend first):
        ``channel``, ``spend`` (currency), ``leads`` (leads created in the window),
        ``won_count``, ``won_revenue`` (won opportunities whose lead has that
        ``source_channel``), ``cac`` (spend / won_count, NaN when no win), ``roi``
        ((won_revenue - spend) / spend, NaN without spend).
    """
    window_spend = _spend_in_window(spend, start=start, end=end)
    spend_by = window_spend.groupby(window_spend["channel"].astype(str))["amount"].sum()
    won = closed.loc[closed["status"].eq("won").to_numpy(bool)]
    position = positions_in(leads["lead_id"], won["lead_id"])
    found = position >= 0
    won_channel = np.full(len(position), None, dtype=object)
    won_channel[found] = textkeys.take(leads["source_channel"], position[found]).to_pylist()
    credited = pd.notna(won_channel)
    won_frame = pd.DataFrame(
        {
            "channel": won_channel[credited].astype(str),
            "amount": won["amount"].to_numpy(float)[credited],
        }
    )
    won_by = won_frame.groupby("channel")["amount"].agg(["size", "sum"])
    created = leads["created_at"]
    in_window = ((created >= start) & (created <= end)).fillna(False).to_numpy(bool)
    codes, names = textkeys.dictionary_codes(as_text(leads["source_channel"]))
    counted = np.bincount(codes[in_window & (codes >= 0)], minlength=len(names))
    leads_by = pd.Series(counted, index=pd.Index(names, dtype=object))
    channels = sorted(set(spend_by.index) | set(won_by.index))
    out = pd.DataFrame({"channel": channels})
    out["spend"] = spend_by.reindex(channels, fill_value=0.0).to_numpy(float)
    out["leads"] = leads_by.reindex(channels, fill_value=0).to_numpy("int64")
    out["won_count"] = won_by["size"].reindex(channels, fill_value=0).to_numpy("int64")
    out["won_revenue"] = won_by["sum"].reindex(channels, fill_value=0.0).to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["cac"] = np.where(out["won_count"] > 0, out["spend"] / out["won_count"], np.nan)
        out["roi"] = np.where(
            out["spend"] > 0, (out["won_revenue"] - out["spend"]) / out["spend"], np.nan
        )
    return out.sort_values(
        ["spend", "channel"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


@dataclass(frozen=True)
class GroupedTouches:
    """An engagement's usable touches in path order (by lead, then time, then channel name).

    The slow part of attribution, a sort of millions of touches, done once and without the
    journeys: :func:`compute_kpis` groups the touches while the journeys are built.

    Attributes
    ----------
    lead_row : ndarray of int64
        Row of each touch's lead in the leads frame the touches were matched against
        (``Engagement.leads``); nondecreasing.
    touched_at : ndarray of int64
        The touch's date-time, as nanoseconds since 1970.
    channel : ndarray of int
        Codes into ``channel_names``, in the narrowest integer type that holds them.
    channel_names : ndarray of str
        Sorted.
    """

    lead_row: np.ndarray
    touched_at: np.ndarray
    channel: np.ndarray
    channel_names: np.ndarray


def group_touches(
    touches: pd.DataFrame | None, lead_ids: pd.Series, lead_rows: np.ndarray | None = None
) -> GroupedTouches | None:
    """The touches in path order, matched to the leads whose ids are ``lead_ids``.

    Parameters
    ----------
    touches : DataFrame or None
        ``lead_id``, ``touched_at``, ``channel``; None when the engagement has none.
    lead_ids : Series
        The leads' ids (``Engagement.leads["lead_id"]``).
    lead_rows : ndarray of int, optional
        Each touch's row in ``lead_ids`` (``Engagement.touch_lead_rows``). Spares matching
        the ids again; a spread of 1,024 touches is checked against the ids before it is
        trusted, and the ids are matched when it does not fit.

    Returns
    -------
    GroupedTouches or None
        None without touches. Touches with an empty cell or an unknown lead are left out.
    """
    if touches is None or len(touches) == 0:
        return None
    rows = _lead_rows_of(touches, lead_ids, lead_rows)
    touched = touches["touched_at"].to_numpy("datetime64[ns]").view(np.int64)
    codes, names = _channel_codes(touches["channel"])
    usable = rows >= 0
    for column in ("lead_id", "touched_at", "channel"):
        if touches[column].hasnans:  # validated touches have none: no 5M-row frame of flags
            usable &= touches[column].notna().to_numpy(bool)
    if not usable.all():
        rows, touched, codes = rows[usable], touched[usable], codes[usable]
    codes, names = channel_codes_by_name(codes, names)
    _, rows, touched, codes = sorted_by_path(rows, touched, codes)
    return GroupedTouches(lead_row=rows, touched_at=touched, channel=codes, channel_names=names)


def _channel_codes(channel: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of a channel column (-1: missing) and the names they index.

    Validated touches keep their channels as a Categorical: its codes, as they are.
    Otherwise Arrow's dictionary of the texts: hashing or copying 5M texts is the slow part.
    """
    if isinstance(channel.dtype, pd.CategoricalDtype):
        return channel.cat.codes.to_numpy(), np.asarray(channel.cat.categories, dtype=object)
    return textkeys.dictionary_codes(as_text(channel))


def _lead_rows_of(
    touches: pd.DataFrame, lead_ids: pd.Series, lead_rows: np.ndarray | None
) -> np.ndarray:
    """Row of each touch's lead in ``lead_ids``, -1 where it is not there."""
    if lead_rows is not None and len(lead_rows) == len(touches):
        rows = np.asarray(lead_rows, dtype=np.int64)
        probe = np.unique(np.linspace(0, len(touches) - 1, min(len(touches), 1024)).astype(int))
        sample = rows[probe]
        if np.all((sample >= 0) & (sample < len(lead_ids))):
            # textkeys.take: iloc would first join the 5M ids' chunks into one
            expected = textkeys.take(lead_ids, sample).to_pylist()
            if textkeys.take(touches["lead_id"], probe).to_pylist() == expected:
                return rows
    return positions_in(lead_ids, touches["lead_id"])


def touch_attribution(
    touches: pd.DataFrame | None,
    journeys: Journeys,
    *,
    start: pd.Timestamp,
    models: Sequence[str] = ATTRIBUTION_MODELS,
    lead_rows: np.ndarray | None = None,
    grouped: GroupedTouches | None = None,
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
    journeys : Journeys
    start : Timestamp
        First day of the KPI window.
    models : sequence of str
        Models of :func:`workbook.analysis.attribution.attribute`.
    lead_rows : ndarray of int, optional
        ``Engagement.touch_lead_rows``: each touch's row in the leads frame the journeys were
        built from. Spares matching the touches' lead ids again; without it (or when it does
        not fit these touches) they are matched by id.
    grouped : GroupedTouches, optional
        :func:`group_touches` of these touches against the leads frame the journeys were
        built from: spares the sort (``lead_rows`` is then not read). Without the journeys'
        ``source_rows`` it cannot be mapped, and the touches are grouped again.

    Returns
    -------
    DataFrame or None
        None without touches. Otherwise one row per channel touched (index ``channel``):
        ``<model>_won`` (won deals credited, float; each model sums to the touched leads won),
        ``<model>_won_revenue`` (currency) and, with Markov, ``markov_removal_effect`` (0..1).
    """
    if touches is None or len(touches) == 0:
        return None
    position = None if grouped is None else _journey_rows(grouped.lead_row, journeys)
    if grouped is None or position is None:  # grouped here, against the journeys' leads
        grouped = group_touches(
            touches, journeys.leads["lead_id"], _journey_rows(lead_rows, journeys)
        )
        position = grouped.lead_row
    leads = journeys.leads
    won_at = leads[f"{journeys.stages[-1]}_at"].to_numpy("datetime64[ns]")
    exit_at = leads["exit_at"].to_numpy("datetime64[ns]")
    as_of = journeys.as_of.to_datetime64()
    outcome = np.where(~np.isnat(won_at), won_at, np.where(~np.isnat(exit_at), exit_at, as_of))
    start64 = pd.Timestamp(start).to_datetime64()
    in_play = outcome >= start64
    converted = in_play & ~np.isnat(won_at) & (won_at >= start64)
    # a touch counts before the end of its lead's outcome day; not at all for a lead out of
    # play or not in the journeys (position -1 reads the last slot)
    deadline = np.full(len(leads) + 1, np.iinfo(np.int64).min)
    deadline[:-1][in_play] = (outcome[in_play] + _DAY).view(np.int64)
    keep = grouped.touched_at < deadline[position]
    if not keep.any():
        return None
    amount = leads["won_amount"].to_numpy(float)
    credit = attribute_coded(
        position[keep],
        None,  # in path order already: times are not needed
        grouped.channel[keep],
        grouped.channel_names,
        converted,
        np.where(converted & ~np.isnan(amount), amount, 0.0),
        models=models,
        ordered=True,  # a subset of grouped touches is still in path order
    )
    renamed = {}
    for model in models:
        renamed[f"{model}_converted"] = f"{model}_won"
        renamed[f"{model}_revenue"] = f"{model}_won_revenue"
    credit = credit.rename(columns=renamed)
    credit.index = credit.index.astype(str)
    return credit


def _journey_rows(rows: np.ndarray | None, journeys: Journeys) -> np.ndarray | None:
    """Rows of the leads frame the journeys came from, as rows of ``journeys.leads`` (-1: none).

    Keeps the order: the journeys keep the frame's leads in the frame's order.
    """
    source = journeys.source_rows
    if rows is None or source is None:
        return None
    rows = np.asarray(rows, dtype=np.int64)
    highest = int(rows.max(initial=-1))
    if highest < len(source) and source[-1:].sum() == len(source) - 1:
        return rows  # every lead of the frame is in the journeys, in order
    size = max(highest, int(source.max(initial=-1))) + 1
    remap = np.full(size + 1, -1, dtype=np.int64)  # the last slot answers -1
    remap[source] = np.arange(len(source))
    return remap[rows]


# --- cohorts ----------------------------------------------------------------------------------


def cohort_conversion(journeys: Journeys, *, to_stage: str, max_months: int = 12) -> pd.DataFrame:
    """Share of each monthly entry cohort reaching ``to_stage`` within k months of entering.

    Parameters
    ----------
    journeys : Journeys
    to_stage : str
        A stage after the first.
    max_months : int
        Columns 1..max_months.

    Returns
    -------
    DataFrame
        Index ``cohort`` (month start of entering the first stage), oldest first; columns
        ``1..max_months`` (int): the share (0..1) of the cohort that reached ``to_stage``
        within that many months (k x 30.44 days) of entering. NaN where the cohort has not
        been observed that long (its last day plus k months is after ``as_of``): the cells
        censoring hides. ``attrs["entered"]`` is a Series of cohort sizes.
    """
    leads = journeys.leads
    first = journeys.stages[0]
    entered_at = leads[f"{first}_at"]
    cohort = entered_at.dt.to_period("M").dt.to_timestamp()
    reached_days = (leads[f"{to_stage}_at"] - entered_at).dt.total_seconds().to_numpy() / 86400.0
    months = np.arange(1, max_months + 1)
    month_days = 365.25 / 12
    # reached within k months: k-th column counts leads with 0 <= days <= k * month_days
    bins = np.searchsorted(months * month_days, reached_days, side="left") + 1  # 1..max+1
    bins = np.where(np.isnan(reached_days), max_months + 1, bins)
    frame = pd.DataFrame({"cohort": cohort.to_numpy(), "bin": bins})
    counts = pd.crosstab(frame["cohort"], frame["bin"]).reindex(
        columns=range(1, max_months + 2), fill_value=0
    )
    entered = counts.sum(axis=1)
    cumulative = counts[list(months)].cumsum(axis=1).to_numpy(float)
    share = cumulative / entered.to_numpy(float)[:, None]
    cohort_end = (counts.index + pd.offsets.MonthEnd(0)).to_numpy("datetime64[ns]")
    observed_days = (journeys.as_of.to_datetime64() - cohort_end) / _DAY
    observable = observed_days[:, None] >= months[None, :] * month_days
    share = np.where(observable, share, np.nan)
    out = pd.DataFrame(share, index=counts.index, columns=list(months))
    out.index.name = "cohort"
    out.columns.name = "months"
    out.attrs["entered"] = entered.rename("entered")
    return out


# --- everything -------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiReport:
    """The funnel and the six outcome KPIs of an engagement (CONTRACT ``kpis --json``).

    Attributes
    ----------
    client, currency : str
    as_of : datetime.date
    window_start : Timestamp
        First day of the KPI window (its last day is ``as_of``).
    horizon_days : int
    confidence_level : float
    funnel : DataFrame
        :func:`funnel_rates`.
    velocity : DataFrame
        :func:`velocity_table`.
    curves : dict
        ``(from, to)`` -> cumulative incidence for every adjacent pair and first stage to won.
    lift : Lift
    by_source : DataFrame
        :func:`source_outcomes`: quality and conversion by ``sourced_by``.
    source_curves : dict
        ``sourced_by`` -> cumulative incidence of winning from SQL.
    stuck : DataFrame
        :func:`stuck_leads`.
    skipped : DataFrame
        :func:`skipped_stage_counts`.
    skipped_leads, recycled_leads : int
    channels : DataFrame
        :func:`channel_levers`.
    attribution : DataFrame or None
        :func:`touch_attribution`.
    economics : UnitEconomics
    """

    client: str
    as_of: dt.date
    currency: str
    window_start: pd.Timestamp
    horizon_days: int
    confidence_level: float
    funnel: pd.DataFrame
    velocity: pd.DataFrame
    curves: dict[tuple[str, str], CumulativeIncidence] = field(repr=False)
    lift: Lift
    by_source: pd.DataFrame
    source_curves: dict[str, CumulativeIncidence] = field(repr=False)
    stuck: pd.DataFrame
    skipped: pd.DataFrame
    skipped_leads: int
    recycled_leads: int
    channels: pd.DataFrame
    attribution: pd.DataFrame | None
    economics: UnitEconomics

    @property
    def leakage(self) -> pd.Series:
        """``<from>_<to>`` -> 1 - rate (NaN where no lead entered)."""
        keys = self.funnel["from"].astype(str) + "_" + self.funnel["to"].astype(str)
        return pd.Series(1.0 - self.funnel["rate"].to_numpy(float), index=keys.to_numpy())

    def to_dict(self) -> dict[str, Any]:
        """The contract's ``kpis --json`` object: plain JSON-able Python, None for undefined.

        Exactly the contract's top-level keys. Inside them, beyond the contract's own keys:
        ``funnel[]`` adds ``rate_lower``/``rate_upper`` (band of ``rate``),
        ``naive_lower``/``naive_upper`` (Wilson), ``p75_days``, ``p90_days``;
        ``velocity[pair]`` holds ``rate``, ``median_days``, ``p75_days``, ``p90_days``,
        ``within_<n>_days``; ``lift`` adds counts and revenues; ``quality`` adds
        ``median_won_amount`` and ``won_count`` by source; ``conversion`` adds
        ``win_rate_lower``/``win_rate_upper``, ``closed_count`` and ``sql_won_rate`` (win
        incidence from SQL within the horizon) by source; ``health`` adds
        ``stuck_threshold_days``, ``open``, ``skipped`` (by stage), ``skipped_leads`` and
        ``recycled_leads``; ``levers.channels[]`` adds ``leads`` and ``levers.attribution`` is
        None without touches, else ``{"models": [...], "channels": [{"channel", "<model>_won",
        "<model>_won_revenue", ..., "markov_removal_effect"}]}``; ``ltv_cac`` adds ``spend``,
        ``won_count`` and ``avg_won_amount``. Rates are 0..1, money in ``currency``, days floats.
        """
        by_source = self.by_source
        sources = [str(s) for s in by_source.index]

        def per_source(col: str) -> dict[str, float | None]:
            return {s: _num(v) for s, v in zip(sources, by_source[col].tolist(), strict=True)}

        funnel = [
            {
                "from": str(row["from"]),
                "to": str(row["to"]),
                "entered": int(row["entered"]),
                "converted": int(row["converted"]),
                "rate": _num(row["rate"]),
                "naive_rate": _num(row["naive_rate"]),
                "median_days": _num(row["median_days"]),
                "rate_lower": _num(row["rate_lower"]),
                "rate_upper": _num(row["rate_upper"]),
                "naive_lower": _num(row["naive_lower"]),
                "naive_upper": _num(row["naive_upper"]),
                "p75_days": _num(row["p75_days"]),
                "p90_days": _num(row["p90_days"]),
            }
            for row in self.funnel.to_dict("records")
        ]
        velocity_cols = [c for c in self.velocity.columns if c not in ("key", "from", "to")]
        velocity = {
            str(row["key"]): {c: _num(row[c]) for c in velocity_cols}
            for row in self.velocity.to_dict("records")
        }
        stuck = self.stuck
        health = {
            "leakage": {k: _num(v) for k, v in self.leakage.items()},
            "stuck": {
                str(s): int(c) for s, c in zip(stuck["stage"], stuck["stuck_count"], strict=True)
            },
            "stuck_threshold_days": {
                str(s): _num(v)
                for s, v in zip(stuck["stage"], stuck["threshold_days"], strict=True)
            },
            "open": {
                str(s): int(c) for s, c in zip(stuck["stage"], stuck["open_count"], strict=True)
            },
            "skipped": {
                str(s): int(c)
                for s, c in zip(self.skipped["stage"], self.skipped["skipped_count"], strict=True)
            },
            "skipped_leads": int(self.skipped_leads),
            "recycled_leads": int(self.recycled_leads),
        }
        channels = [
            {
                "channel": str(row["channel"]),
                "spend": float(row["spend"]),
                "won_count": int(row["won_count"]),
                "won_revenue": float(row["won_revenue"]),
                "cac": _num(row["cac"]),
                "roi": _num(row["roi"]),
                "leads": int(row["leads"]),
            }
            for row in self.channels.to_dict("records")
        ]
        attribution = None
        if self.attribution is not None:
            attribution = {
                "models": [
                    c.removesuffix("_won") for c in self.attribution.columns if c.endswith("_won")
                ],
                "channels": [
                    {"channel": str(channel), **{k: _num(v) for k, v in row.items()}}
                    for channel, row in self.attribution.to_dict("index").items()
                ],
            }
        quality = {
            "avg_won_amount": per_source("avg_won_amount"),
            "median_won_amount": per_source("median_won_amount"),
            "won_count": {s: int(v) for s, v in zip(sources, by_source["won_count"], strict=True)},
            "ltv": _num(self.economics.ltv),
        }
        conversion = {
            "win_rate": per_source("win_rate"),
            "win_rate_lower": per_source("win_rate_lower"),
            "win_rate_upper": per_source("win_rate_upper"),
            "closed_count": {
                s: int(v) for s, v in zip(sources, by_source["closed_count"], strict=True)
            },
        }
        if "sql_won_rate" in by_source:
            conversion["sql_won_rate"] = per_source("sql_won_rate")
        return {
            "client": self.client,
            "as_of": self.as_of.isoformat(),
            "currency": self.currency,
            "funnel": funnel,
            "velocity": velocity,
            "lift": self.lift.to_dict(),
            "quality": quality,
            "conversion": conversion,
            "health": health,
            "levers": {"channels": channels, "attribution": attribution},
            "ltv_cac": self.economics.to_dict(),
        }


def compute_kpis(
    engagement: Engagement,
    journeys: Journeys | None = None,
    *,
    confidence_level: float = 0.95,
) -> KpiReport:
    """The funnel and the six outcome KPIs of an engagement, per CONTRACT ``kpis --json``.

    Parameters
    ----------
    engagement : Engagement
    journeys : Journeys, optional
        Built from ``engagement`` when not given.
    confidence_level : float
        Of every interval (Wilson for proportions, log(-log) bands for incidences).

    Returns
    -------
    KpiReport
        ``to_dict()`` is the JSON object ``workbook kpis --json`` prints.

    See Also
    --------
    workbook.deliverables.midpoint.build_midpoint : the mid-point report built on it.
    """
    window = kpi_window(engagement)
    with ThreadPoolExecutor(1, thread_name_prefix="workbook-kpis") as background:
        # attribution sorts millions of touches (numpy releases the GIL): on a worker, which
        # groups them while this thread builds the journeys, then credits the channels
        # while this one computes the other KPIs
        grouped = background.submit(
            group_touches,
            engagement.touches,
            engagement.leads["lead_id"],
            engagement.touch_lead_rows,
        )
        journeys = journeys if journeys is not None else build_journeys(engagement)
        attribution = background.submit(
            lambda: touch_attribution(
                engagement.touches, journeys, start=window[0], grouped=grouped.result()
            )
        )
        return _kpi_report(
            engagement, journeys, window, attribution, confidence_level=confidence_level
        )


def _kpi_report(
    engagement: Engagement,
    journeys: Journeys,
    window: tuple[pd.Timestamp, pd.Timestamp],
    attribution: Future,
    *,
    confidence_level: float,
) -> KpiReport:
    config = engagement.config
    horizon = int(config.horizon_days)
    start, end = window
    curves: dict[tuple[str, str], CumulativeIncidence] = dict(
        stage_curves(journeys, confidence_level=confidence_level)
    )
    first_won = _first_won_key(journeys)
    cif = journey_curve(journeys, *first_won, confidence_level=confidence_level)
    if cif is not None:
        curves[first_won] = cif
    funnel = funnel_rates(
        journeys, horizon_days=horizon, confidence_level=confidence_level, curves=curves
    )
    velocity = velocity_table(
        journeys, horizon_days=horizon, curves=curves, confidence_level=confidence_level
    )
    closed = closed_in_window(engagement.opportunities, start=start, end=end)
    source_curves = source_win_curves(journeys, from_stage="sql", confidence_level=confidence_level)
    by_source = source_outcomes(
        closed, win_curves=source_curves, horizon_days=horizon, confidence_level=confidence_level
    )
    skipped = skipped_stage_counts(engagement)
    return KpiReport(
        client=config.client,
        as_of=engagement.as_of,
        currency=config.currency,
        window_start=start,
        horizon_days=horizon,
        confidence_level=float(confidence_level),
        funnel=funnel,
        velocity=velocity,
        curves=curves,
        lift=marketing_lift(closed),
        by_source=by_source,
        source_curves=source_curves,
        stuck=stuck_leads(journeys, funnel),
        skipped=skipped,
        skipped_leads=int(skipped.attrs["skipped_leads"]),
        recycled_leads=int(journeys.leads["recycled"].sum()),
        channels=channel_levers(closed, engagement.spend, engagement.leads, start=start, end=end),
        attribution=attribution.result(),
        economics=unit_economics(
            closed,
            engagement.spend,
            start=start,
            end=end,
            gross_margin=config.economics.gross_margin,
            annual_churn=config.economics.annual_churn,
        ),
    )


def _num(value: object) -> float | None:
    """A JSON number: None for missing or non-finite values, Python float otherwise."""
    if value is None or value is pd.NA:
        return None
    number = float(value)  # type: ignore[arg-type]
    return number if math.isfinite(number) else None
