"""Numbers on slides: a register figure as text, and the number format of a native chart.

Text on a slide goes through :mod:`workbook.i18n` (``12,3 %``, ``1 234 €`` in French). A
chart's numbers are formatted by PowerPoint from an Excel number format code, so they stay
live when the chart's data is edited. French codes spell the French separators out (a narrow
no-break space between thousands, before ``%`` and ``€``), so a French deck groups its
thousands the French way whatever the language of the computer that opens it; the decimal
mark of a rate or a ratio is the viewer's (a comma in a French PowerPoint).
"""

from __future__ import annotations

import datetime as dt

from workbook.deliverables.register import Figure
from workbook.i18n import (
    CURRENCY_SYMBOLS,
    NNBSP,
    format_date,
    format_money,
    format_number,
    format_percent,
    pretty,
    text,
)

#: The kinds of number a chart shows (a register unit, or ``count`` for volumes).
CHART_UNITS = ("rate", "count", "money", "days", "ratio")


def _fr_thousands(suffix: str = "") -> str:
    """A French integer format: ``1 234 567`` (narrow no-break spaces), ``suffix`` after it."""
    space = f'"{NNBSP}"'
    return f"[>=1000000]#{space}###{space}##0{suffix};[>=1000]#{space}##0{suffix};0{suffix}"


def chart_number_format(
    unit: str, *, language: str, currency: str = "EUR", axis: bool = False
) -> str:
    """The Excel number format code of a chart's data labels (or of its value axis).

    Parameters
    ----------
    unit : str
        One of :data:`CHART_UNITS`; rates are fractions (``0.25`` shows ``25%``).
    language : {"en", "fr"}
    currency : str
        ISO code of the engagement's currency.
    axis : bool
        The value axis's format: whole rates and ratios (``20%``, not ``20.0%``).

    Examples
    --------
    >>> chart_number_format("rate", language="en"), chart_number_format("count", language="en")
    ('0.0%', '#,##0')
    >>> chart_number_format("rate", language="fr") == '0.0"\u202f"%'
    True
    """
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    french = language == "fr"
    decimals = "" if axis else ".0"
    if unit == "rate":  # one decimal on the bars, as the sentences say them
        return f'0{decimals}"{NNBSP}"%' if french else f"0{decimals}%"
    if unit == "money":
        if french:
            return _fr_thousands(f'"{NNBSP}{symbol}"')
        return f'"{symbol}"#,##0' if len(symbol) == 1 else f'"{symbol} "#,##0'
    if unit == "ratio":
        return f"0{decimals}"
    if unit in ("count", "days"):
        return _fr_thousands() if french else "#,##0"
    raise ValueError(f"chart unit must be one of {', '.join(CHART_UNITS)}, got {unit!r}")


def format_figure(figure: Figure, *, language: str, currency: str) -> str:
    """A register figure as a sentence shows it, by its unit.

    Examples
    --------
    >>> f = Figure("kpis.funnel.mql_sal.rate", 0.455, unit="rate", window=None, label="MQL")
    >>> format_figure(f, language="fr", currency="EUR") == "45,5\u202f%"
    True
    """
    value = figure.value
    if value is None:
        return text("label.not_measurable", language)
    if figure.unit == "rate":
        return format_percent(float(value), language)
    if figure.unit == "money":
        return format_money(float(value), currency, language)
    if figure.unit == "days":
        return text("deck.days", language, days=format_number(float(value), language))
    if figure.unit in ("ratio", "months"):
        return format_number(float(value), language, decimals=1)
    if figure.unit == "count":
        return format_number(float(value), language)
    if figure.unit == "date":
        return format_date(dt.date.fromisoformat(str(value)[:10]), language)
    return pretty(value, language)


def format_window(window: str | None, *, language: str) -> str | None:
    """An ISO interval ``2025-12-01/2026-11-30`` as ``from 2025-12-01 to 2026-11-30``.

    Examples
    --------
    >>> format_window("2025-12-01/2026-11-30", language="fr")
    'du 01/12/2025 au 30/11/2026'
    """
    if not window or "/" not in window:
        return None
    start, end = (dt.date.fromisoformat(part[:10]) for part in window.split("/", 1))
    return text(
        "deck.appendix.window",
        language,
        start=format_date(start, language),
        end=format_date(end, language),
    )


__all__ = ["CHART_UNITS", "chart_number_format", "format_figure", "format_window"]
