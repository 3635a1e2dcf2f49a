"""Small facts the mid-point report's tables and sentences both read.

See Also
--------
workbook.deliverables.midpoint_tables, workbook.deliverables.midpoint_text : their readers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from workbook.analysis.channel_advice import attribution_shares  # noqa: F401 - re-exported
from workbook.analysis.evidence import MIN_COUNT
from workbook.analysis.numbers import finite_or_none
from workbook.i18n import (
    NOT_RECORDED,
    format_date,
    format_month,
    format_number,
    format_percent,
    label_list,
    pretty,
    stage_label,
    text,
)

if TYPE_CHECKING:
    from workbook.deliverables.midpoint import MidpointReport


#: Sources that are not new business: left out when marketing is compared with "the others".
RENEWAL_SOURCES: tuple[str, ...] = ("renewal",)


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


def marketing_against_best_source(by_source: pd.DataFrame) -> tuple[str, str | None]:
    """How marketing's win rate compares with the best other new-business source's.

    Returns
    -------
    tuple
        ``(verdict, source)``: ``verdict`` is ``tie`` when their Wilson intervals overlap
        (the two cannot be told apart), ``lead`` when marketing's lies wholly above,
        ``behind`` when wholly below, ``alone`` without another source with a win rate
        (``source`` None) and ``unknown`` without marketing's.

    Examples
    --------
    >>> src = pd.DataFrame({"win_rate": [0.294, 0.290, 0.273],
    ...     "win_rate_lower": [0.247, 0.196, 0.222], "win_rate_upper": [0.345, 0.406, 0.332]},
    ...     index=["marketing", "partner", "sales"])
    >>> marketing_against_best_source(src)
    ('tie', 'partner')
    """
    if (
        "marketing" not in by_source.index
        or finite_or_none(by_source.loc["marketing", "win_rate"]) is None
    ):
        return "unknown", None
    others = by_source.drop(index=["marketing", *RENEWAL_SOURCES], errors="ignore")
    others = others.loc[others["win_rate"].astype(float).notna()]
    if not len(others):
        return "alone", None
    best = str(others["win_rate"].astype(float).idxmax())
    m, o = by_source.loc["marketing"], others.loc[best]
    if float(m["win_rate_lower"]) > float(o["win_rate_upper"]):
        return "lead", best
    if float(m["win_rate_upper"]) < float(o["win_rate_lower"]):
        return "behind", best
    return "tie", best


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


def format_ratio(value: float | None, language: str) -> str:
    """A ratio (LTV:CAC, ROI, payback months) always with one decimal: the one formatter
    every report (mid-point, final, Excel) shows ratios with, so a figure reads the same
    everywhere (``20.9``, ``15.5``, ``8.0``).

    Examples
    --------
    >>> format_ratio(20.93, "en"), format_ratio(7.97, "en"), format_ratio(2.146, "fr")
    ('20.9', '8.0', '2,1')
    """
    number = finite_or_none(value)
    if number is None:
        return format_number(None, language)
    return format_number(number, language, decimals=1)


def advice_reason(row: Mapping[str, object], language: str) -> str:
    """Why a channel got its advice (a row of
    :func:`workbook.analysis.channel_advice.channel_advice`), one sentence in ``language``."""
    return text(
        f"advice.reason.{row['reason']}",
        language,
        share=format_percent(finite_or_none(row["spend_share"]), language),
        won=format_number(int(row["won_count"]), language),
        minimum=format_number(MIN_COUNT, language),
    )


def kpi_window(report: MidpointReport) -> str:
    """The KPI window as an ISO 8601 interval, ``2025-10-01/2026-09-30`` (the register's)."""
    k = report.kpis
    return f"{pd.Timestamp(k.window_start):%Y-%m-%d}/{k.as_of.isoformat()}"


def data_window(report: MidpointReport) -> str | None:
    """The data's period as an ISO 8601 interval (first lead to the snapshot date): the
    window of the funnel rates, velocity, stuck leads and the leaks' ranking (every lead)."""
    if report.data_start is None:
        return None
    return f"{pd.Timestamp(report.data_start):%Y-%m-%d}/{report.kpis.as_of.isoformat()}"


def advised_labels(report: MidpointReport, advice: str, language: str) -> list[str]:
    """The labels of the channels given ``advice``
    (:func:`workbook.analysis.channel_advice.channel_advice`), in the table's order."""
    table = report.channel_advice
    if not len(table):
        return []
    return [pretty(c, language) for c in table.loc[table["advice"] == advice, "channel"]]


def advised_channels(
    report: MidpointReport,
    advice: str,
    language: str,
    *,
    empty: str | None = None,
    opening: bool = False,
) -> str:
    """The channels given ``advice`` named for the reader inside a sentence (``Webinar and
    Email``; ``webinaire et e-mail`` in French, first letter kept with ``opening``), or
    ``empty`` (default ``none``)."""
    names = advised_labels(report, advice, language)
    if not names:
        return text("mid.head.none", language) if empty is None else empty
    return label_list(names, language, opening=opening)


def second_leak(report: MidpointReport) -> pd.Series | None:
    """The step ranked second by :func:`workbook.analysis.leaks.leak_costs`; None without one."""
    leaks = report.leaks
    row = leaks.loc[leaks["rank"] == 2] if len(leaks) else leaks
    return row.iloc[0] if len(row) else None


def window_words(report: MidpointReport, language: str) -> str:
    """The KPI window as the reader reads it: ``Oct 2025 to Sep 2026`` when it spans whole
    months (``du 01/10/2025 au 30/09/2026`` in French), else its dates."""
    k = report.kpis
    start, end = pd.Timestamp(k.window_start), pd.Timestamp(k.as_of)
    key = "mid.f.window_months" if start.is_month_start and end.is_month_end else "mid.f.window"
    return text(
        key,
        language,
        start=format_date(start, language),
        end=format_date(end, language),
        start_month=format_month(start, language),
        end_month=format_month(end, language),
    )
