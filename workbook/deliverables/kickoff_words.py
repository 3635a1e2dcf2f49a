"""The kickoff's words for what the data shows: column labels, data issues, the monthly trend.

A client reads "MQL date", not ``mql_at``; "the lead reached a later stage without an MQL
date", not the validator's message; and a trend from averages of complete months with their
range, not two months picked from a noisy series.

See Also
--------
workbook.deliverables.kickoff : the report these words serve.
workbook.intake.coverage.covered_months : which months are complete.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from workbook.analysis.baseline import audit_issues
from workbook.analysis.evidence import MIN_COUNT
from workbook.i18n import (
    CATALOGUE,
    check_language,
    format_month,
    format_number,
    format_percent,
    join_words,
    pretty,
    stage_label,
    text,
)
from workbook.i18n.privacy import redact_emails
from workbook.intake.problems import Audit, Problem

#: Complete months averaged at each end of the series to describe its trend.
TREND_MONTHS = 3
#: A change smaller than this (as a fraction, either way) reads "stayed about the same".
FLAT_CHANGE = 0.05
#: Fewer entries than this in the months compared: too few to read a trend
#: (:data:`workbook.analysis.evidence.MIN_COUNT`).
MIN_TREND_ENTRIES = MIN_COUNT


def column_label(column: str | None, *, language: str = "en") -> str:
    """A data column as the client knows it: ``mql_at`` -> ``MQL date``, ``email`` -> ``E-mail``.

    A ``<stage>_at`` column is its stage's date; a column the catalogue does not name is shown
    with its underscores as spaces; no column is an empty cell.

    Examples
    --------
    >>> column_label("mql_at"), column_label("source_channel", language="fr")
    ('MQL date', "Canal d'origine")
    >>> column_label("buying_stage"), column_label(None)
    ('Buying stage', '')
    """
    if not column:
        return ""
    key = f"kickoff.column.{column}"
    if key in CATALOGUE[check_language(language)]:
        return text(key, language)
    if column.endswith("_at"):
        stage = column.removesuffix("_at")
        return text("kickoff.column.stage_at", language, stage=stage_label(stage, language))
    words = column.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def issue_message(problem: Problem, *, language: str = "en") -> str:
    """A data issue in the client's words (``kickoff.issue.<code>``), else its own message.

    The validator's messages name columns as the export spells them (``mql_at``); the client
    report names them with :func:`column_label`.
    """
    key = f"kickoff.issue.{problem.code}"
    if problem.code is None or key not in CATALOGUE[check_language(language)]:
        return problem.text(language)
    values = dict(problem.values or {})
    if "column" in values:
        values["column"] = column_label(str(values["column"]), language=language)
    if "stage" in values:
        values["stage"] = stage_label(str(values["stage"]), language)
    if "channels" in values:  # a list of raw channel names, as the validator joins them
        names = [pretty(c.strip(), language) for c in str(values["channels"]).split(",")]
        values["channels"] = join_words(names, language)
    return text(key, language, **values)


def issue_words(audit: Audit, *, language: str = "en") -> dict[str, str]:
    """Each validator message of ``audit`` (as :func:`~workbook.analysis.baseline.audit_issues`
    shows it) -> the same issue in the client's words (:func:`issue_message`); e-mail
    addresses removed from both."""
    problems: Iterable[Problem] = [*audit.errors, *audit.warnings]
    return {
        redact_emails(p.text(language), language): redact_emails(
            issue_message(p, language=language), language
        )
        for p in problems
    }


def client_issues(audit: Audit, *, language: str = "en") -> pd.DataFrame:
    """The data issues to resolve with the client, in the client's words.

    :func:`workbook.analysis.baseline.audit_issues` (same rows, same order) with each
    ``column`` shown by :func:`column_label` and each ``message`` by :func:`issue_message`.
    """
    issues = audit_issues(audit, language=language)
    words = issue_words(audit, language=language)
    issues["message"] = issues["message"].map(lambda m: words.get(m, m))
    issues["column"] = issues["column"].map(lambda c: column_label(c, language=language))
    return issues


@dataclass(frozen=True)
class MonthlyTrend:
    """How a monthly count moved over the complete months the data covers.

    Attributes
    ----------
    months : int
        Complete months in the series.
    first_average, last_average : float
        Mean of the first and of the last ``span`` complete months.
    span : int
        Months averaged at each end (:data:`TREND_MONTHS`, fewer on a short series).
    change : float or None
        ``last_average / first_average - 1``; None when the first average is 0.
    low, high : float
        The lowest and highest complete month.
    low_month, high_month, first_month, last_month : Timestamp
        When they were; the first and last complete months.
    compared : int
        Entries in the months compared (both ends): the trend's evidence.
    """

    months: int
    first_average: float
    last_average: float
    span: int
    change: float | None
    low: float
    high: float
    low_month: pd.Timestamp
    high_month: pd.Timestamp
    first_month: pd.Timestamp
    last_month: pd.Timestamp
    compared: int = 0


def monthly_trend(counts: pd.Series, complete: pd.PeriodIndex) -> MonthlyTrend | None:
    """The trend of a monthly count: the first and last three complete months, and the range.

    Two months picked from a noisy series say little; averaging three months at each end,
    and giving the lowest and highest month, says how much it moved and how much it varies.

    Parameters
    ----------
    counts : Series
        Index month start (Timestamp), values counts (NaN: no data that month).
    complete : PeriodIndex
        The complete months the data covers
        (:func:`workbook.intake.coverage.covered_months` with ``complete=True``).

    Returns
    -------
    MonthlyTrend or None
        None with fewer than two complete months.

    Examples
    --------
    >>> months = pd.period_range("2026-01", "2026-06", freq="M")
    >>> counts = pd.Series([10.0, 20, 30, 30, 40, 50], index=months.to_timestamp())
    >>> trend = monthly_trend(counts, months)
    >>> trend.first_average, trend.last_average, round(trend.change, 2), trend.low, trend.high
    (20.0, 40.0, 1.0, 10.0, 50.0)
    """
    series = counts.reindex(complete.to_timestamp()).dropna()
    if len(series) < 2:
        return None
    span = min(TREND_MONTHS, len(series) // 2)
    first = float(series.iloc[:span].mean())
    last = float(series.iloc[-span:].mean())
    return MonthlyTrend(
        months=len(series),
        first_average=first,
        last_average=last,
        span=span,
        change=last / first - 1 if first else None,
        low=float(series.min()),
        high=float(series.max()),
        low_month=series.idxmin(),
        high_month=series.idxmax(),
        first_month=series.index[0],
        last_month=series.index[-1],
        compared=int(series.iloc[:span].sum() + series.iloc[-span:].sum()),
    )


def _months(first: pd.Timestamp, last: pd.Timestamp, language: str) -> str:
    """``Oct 2024`` or ``Oct 2024 – Dec 2024``."""
    if first == last:
        return format_month(first, language)
    return text(
        "kickoff.inventory.range",
        language,
        first=format_month(first, language),
        last=format_month(last, language),
    )


def _average(value: float, language: str) -> str:
    """A monthly average: one decimal under 10 (``1.7``), whole above (``612``)."""
    return format_number(value, language, decimals=1 if abs(value) < 10 else 0)


def trend_direction(trend: MonthlyTrend) -> str:
    """``up``, ``down`` or ``flat`` (a change within :data:`FLAT_CHANGE` either way), or
    ``thin`` when the months compared hold fewer than :data:`MIN_TREND_ENTRIES` entries."""
    if trend.compared < MIN_TREND_ENTRIES:
        return "thin"
    if trend.change is None or trend.change > FLAT_CHANGE:
        return "up"
    return "down" if trend.change < -FLAT_CHANGE else "flat"


def trend_sentence(trend: MonthlyTrend | None, stage: str, *, language: str = "en") -> str:
    """The trend of entries at ``stage`` in words, with the months compared and the range."""
    label = stage_label(stage, language)
    if trend is None:
        return text("kickoff.trend.few", language, stage=label)
    offset = pd.DateOffset(months=trend.span - 1)
    return text(
        f"kickoff.trend.{trend_direction(trend)}",
        language,
        stage=label,
        change=format_percent(abs(trend.change or 0.0), language, decimals=0),
        first=_average(trend.first_average, language),
        first_months=_months(trend.first_month, trend.first_month + offset, language),
        last=_average(trend.last_average, language),
        last_months=_months(trend.last_month - offset, trend.last_month, language),
        low=format_number(trend.low, language),
        low_month=format_month(trend.low_month, language),
        high=format_number(trend.high, language),
        high_month=format_month(trend.high_month, language),
        months=format_number(trend.months, language),
    )


def trend_heading(trend: MonthlyTrend | None, stage: str, *, language: str = "en") -> str:
    """The heading of the monthly chart, stating the trend: "Entries at Inquiry: up 60%"."""
    label = stage_label(stage, language)
    if trend is None:
        return text("kickoff.head.trend.few", language, stage=label)
    return text(
        f"kickoff.head.trend.{trend_direction(trend)}",
        language,
        stage=label,
        change=format_percent(abs(trend.change or 0.0), language, decimals=0),
    )


__all__ = [
    "FLAT_CHANGE",
    "MIN_TREND_ENTRIES",
    "TREND_MONTHS",
    "MonthlyTrend",
    "client_issues",
    "column_label",
    "issue_message",
    "issue_words",
    "monthly_trend",
    "trend_direction",
    "trend_heading",
    "trend_sentence",
]
