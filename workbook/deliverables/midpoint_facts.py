"""Small facts the mid-point report's tables and sentences both read.

See Also
--------
workbook.deliverables.midpoint_tables, workbook.deliverables.midpoint_text : their readers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from workbook.analysis.numbers import finite_or_none
from workbook.i18n import NOT_RECORDED, stage_label

if TYPE_CHECKING:
    from workbook.deliverables.midpoint import MidpointReport


#: Sources that are not new business: left out when marketing is compared with "the others".
RENEWAL_SOURCES: tuple[str, ...] = ("renewal",)


def attribution_shares(attribution: pd.DataFrame | None) -> pd.DataFrame | None:
    """Each model's share of won deals credited to each channel.

    Parameters
    ----------
    attribution : DataFrame or None
        :func:`workbook.analysis.kpis.touch_attribution`.

    Returns
    -------
    DataFrame or None
        Columns ``channel`` and one per model (0..1, each summing to 1 when anything was
        won), channels by first-touch share; None without attribution.
    """
    if attribution is None:
        return None
    models = [c.removesuffix("_won") for c in attribution.columns if c.endswith("_won")]
    credit = attribution[[f"{m}_won" for m in models]].to_numpy(float)
    totals = credit.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.where(totals > 0, credit / totals, np.nan)
    out = pd.DataFrame(shares, columns=models)
    out.insert(0, "channel", attribution.index.astype(str).to_numpy())
    order = models[0] if models else "channel"
    return out.sort_values(order, ascending=False, kind="stable").reset_index(drop=True)


def marketing_share_trend(report: MidpointReport) -> tuple[float | None, float | None]:
    """Marketing's share of won revenue: the last half-window against the half before."""
    monthly = report.lift_by_month
    half = max(1, report.window_months // 2)
    recent, before = monthly.iloc[-half:], monthly.iloc[-2 * half : -half]

    def share(frame: pd.DataFrame) -> float | None:
        revenue = float(frame["won_revenue"].sum())
        return float(frame["marketing_won_revenue"].sum()) / revenue if revenue > 0 else None

    return share(recent), share(before)


def row_number(row: pd.Series | None, col: str) -> float | None:
    """``row[col]`` as a finite float; None for no row or a missing value."""
    if row is None:
        return None
    return finite_or_none(row[col])


def step_label(a: str, b: str, language: str) -> str:
    """A funnel step as the reader names it: ``MQL → SAL``."""
    return f"{stage_label(a, language)} → {stage_label(b, language)}"


def other_new_business_win_rate(by_source: pd.DataFrame) -> float | None:
    """Win rate of every source but marketing and renewals, pooled."""
    others = by_source.drop(index=["marketing", *RENEWAL_SOURCES], errors="ignore")
    closed = int(others["closed_count"].sum())
    return int(others["won_count"].sum()) / closed if closed else None


def top_revenue_channel(channels: pd.DataFrame) -> pd.Series | None:
    """The recorded channel whose leads brought the most won revenue; None without any.

    What the levers can still say when no spend was provided.
    """
    recorded = channels["channel"].astype(str) != NOT_RECORDED
    won = channels.loc[(channels["won_revenue"] > 0).to_numpy(bool) & recorded.to_numpy(bool)]
    return won.loc[won["won_revenue"].idxmax()] if len(won) else None


def channels_recorded(channels: pd.DataFrame) -> bool:
    """Whether any lead's first-touch channel was recorded (an opportunities-only export
    may have none: every lead then counts under ``not_recorded``)."""
    recorded = channels.loc[channels["channel"].astype(str) != NOT_RECORDED]
    return bool((recorded["leads"] > 0).any())


def best_and_worst_channels(channels: pd.DataFrame) -> tuple[pd.Series | None, pd.Series | None]:
    """The channels with spend of highest and lowest return; None, None without any."""
    spent = channels.loc[channels["spend"] > 0].dropna(subset=["roi"])
    if len(spent) == 0:
        return None, None
    best = spent.loc[spent["roi"].idxmax()]
    worst = spent.loc[spent["roi"].idxmin()]
    return best, worst
