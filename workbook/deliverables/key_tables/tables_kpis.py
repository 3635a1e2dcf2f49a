"""The mid-point's sheets: the KPI scorecard, funnel, velocity, channels and attribution.

Each reads :func:`workbook.deliverables.midpoint.build_midpoint`, as the mid-point report
does, and the scorecard and attribution sheets are that report's own tables
(:func:`workbook.deliverables.midpoint_tables.scorecard_table`,
:func:`workbook.deliverables.midpoint_facts.attribution_shares`).
"""

from __future__ import annotations

import dataclasses

from workbook.analysis.numbers import finite_or_none
from workbook.deliverables.key_tables.frame import (
    KeyTable,
    make_table,
    rounded,
    spec_columns,
)
from workbook.deliverables.midpoint import MidpointReport
from workbook.deliverables.midpoint_facts import attribution_shares, channels_recorded, row_number
from workbook.deliverables.midpoint_tables import scorecard_table
from workbook.deliverables.table_columns import (
    attribution_columns,
    table_columns,
)
from workbook.i18n import NOT_RECORDED, format_date, format_percent, text

#: What a scorecard cell reads when the report's table has no figure for it.
_NO_FIGURE = "-"


def kpi_tables(report: MidpointReport, language: str) -> tuple[list[KeyTable], tuple[str, ...]]:
    """The scorecard, KPI funnel, velocity, channels and attribution sheets, and the notes of
    the sheets left out. The funnel, velocity and channel sheets have the report's columns,
    headers and decimals (:func:`workbook.deliverables.table_columns.table_columns`)."""
    kpis = report.kpis
    t = text
    horizon = int(kpis.horizon_days)
    funnel, velocity, channels = kpis.funnel, kpis.velocity, kpis.channels
    level = format_percent(kpis.confidence_level, language, decimals=0)
    tables = [
        _scorecard(report, language),
        make_table(
            "kpi_funnel",
            language,
            spec_columns(funnel, table_columns("kpi_funnel", language)),
            about=t("xlsx.about.kpi_funnel", language, horizon=horizon, level=level),
        ),
        make_table(
            "kpi_velocity",
            language,
            spec_columns(velocity, table_columns("velocity", language)),
            about=t("xlsx.about.kpi_velocity", language),
        ),
    ]
    # without spend provided: no spend, CAC or ROI column, and a note says why
    spend = kpis.spend_provided
    recorded = channels_recorded(channels)
    if not recorded:  # no lead has a channel: no row for "Not recorded", a note says so
        channels = channels.loc[channels["channel"].astype(str) != NOT_RECORDED]
    tables.append(
        make_table(
            "kpi_channels",
            language,
            spec_columns(channels, table_columns("kpi_channels", language, spend=spend)),
            about=t(
                "xlsx.about.kpi_channels" if spend else "spend.excel_about",
                language,
                start=format_date(kpis.window_start.date(), language),
                end=format_date(kpis.as_of, language),
            ),
            notes=(() if spend else (t("spend.missing.excel", language),))
            + (() if recorded else (t("thin.channel.none", language),)),
        )
    )
    shares = attribution_shares(kpis.attribution)
    if shares is None:
        return tables, (t("xlsx.note.no_attribution", language),)
    tables.append(
        make_table(
            "attribution",
            language,
            spec_columns(shares, attribution_columns(shares.columns[1:], language)),
            about=t("xlsx.about.attribution", language),
        )
    )
    return tables, ()


def scorecard_numbers(report: MidpointReport) -> list[tuple[float | None, str]]:
    """Each row's figure of :func:`~workbook.deliverables.midpoint_tables.scorecard_table` as
    a number and its cell kind, in its row order (lift, quality, conversion, health, levers,
    velocity, LTV:CAC); None where the row's figure is words (the levers' channels, a
    figure not measurable or not provided)."""
    k = report.kpis
    marketing = k.by_source.loc["marketing"] if "marketing" in k.by_source.index else None
    leak = report.biggest_leak
    return [
        (None if "sourced_by" in report.assumed else k.lift.won_revenue_share, "percent"),
        (row_number(marketing, "avg_won_amount"), "money"),
        (row_number(marketing, "win_rate"), "percent"),
        (leak[2] if leak else None, "percent"),
        (None, "text"),
        (finite_or_none(k.velocity.iloc[0]["median_days"]) if len(k.velocity) else None, "days"),
        (finite_or_none(k.economics.ratio) if k.spend_provided else None, "float"),
    ]


def _scorecard(report: MidpointReport, language: str) -> KeyTable:
    """The mid-point report's scorecard, row for row: each figure a number with its number
    format (a share, an amount, days, a ratio with one decimal), the rest its words."""
    frame = scorecard_table(report, language=language, currency=report.kpis.currency)
    # a figure the report could not give reads "not measurable", never a lone dash
    frame = frame.replace({_NO_FIGURE: text("label.not_measurable", language)})
    numbers = scorecard_numbers(report)
    row_kinds: tuple[str, ...] = ()
    if len(numbers) == len(frame):  # else the report's rows changed: its words, as shown
        cells = [rounded(v, kind) if v is not None else None for v, kind in numbers]
        frame["figure"] = [
            c if c is not None else w for c, w in zip(cells, frame["figure"], strict=True)
        ]
        row_kinds = tuple(
            k if c is not None else "text" for c, (_, k) in zip(cells, numbers, strict=True)
        )
    table = make_table(
        "scorecard",
        language,
        spec_columns(frame, table_columns("scorecard", language)),
        about=text("xlsx.about.scorecard", language),
    )
    if not row_kinds:
        return table
    header = table_columns("scorecard", language)["figure"][0]
    return dataclasses.replace(table, cell_kinds={header: row_kinds})
