"""The mid-point's sheets: the KPI scorecard, funnel, velocity, channels and attribution.

Each reads :func:`workbook.deliverables.midpoint.build_midpoint`, as the mid-point report
does, and the scorecard and attribution sheets are that report's own tables
(:func:`workbook.deliverables.midpoint_tables.scorecard_table`,
:func:`workbook.deliverables.midpoint_facts.attribution_shares`).
"""

from __future__ import annotations

import re

from workbook.deliverables.key_tables.frame import Column, KeyTable, make_table, spec_columns
from workbook.deliverables.midpoint import MidpointReport
from workbook.deliverables.midpoint_facts import attribution_shares, channels_recorded
from workbook.deliverables.midpoint_tables import scorecard_table
from workbook.deliverables.table_columns import (
    STEP,
    attribution_columns,
    labelled,
    table_columns,
)
from workbook.i18n import NOT_RECORDED, format_date, format_percent, text

#: What a scorecard cell reads when the report's table has no figure for it.
_NO_FIGURE = "-"


def _step(frame, language: str, *, counts: bool = False) -> list[Column]:
    """A funnel step's stages and, with ``counts``, the leads that entered it and converted."""
    columns = spec_columns(frame, labelled(STEP, language))
    if counts:
        columns += [
            (text("label.entered", language), "int", frame["entered"]),
            (text("label.converted", language), "int", frame["converted"]),
        ]
    return columns


def kpi_tables(report: MidpointReport, language: str) -> tuple[list[KeyTable], tuple[str, ...]]:
    """The scorecard, KPI funnel, velocity, channels and attribution sheets, and the notes of
    the sheets left out."""
    kpis = report.kpis
    t = text
    horizon = int(kpis.horizon_days)
    funnel, velocity, channels = kpis.funnel, kpis.velocity, kpis.channels
    within = [c for c in velocity.columns if re.fullmatch(r"within_\d+_days", str(c))]
    level = format_percent(kpis.confidence_level, language, decimals=0)
    rate_header = t("xlsx.col.rate", language, horizon=horizon)
    tables = [
        _scorecard(report, language),
        make_table(
            "kpi_funnel",
            language,
            [
                *_step(funnel, language, counts=True),
                (rate_header, "percent", funnel["rate"]),
                (t("xlsx.col.rate_lower", language), "percent", funnel["rate_lower"]),
                (t("xlsx.col.rate_upper", language), "percent", funnel["rate_upper"]),
                (t("label.naive_rate", language), "percent", funnel["naive_rate"]),
                # whole days, as the report's tables show them
                (t("xlsx.col.median_days", language), "int", funnel["median_days"]),
            ],
            about=t("xlsx.about.kpi_funnel", language, horizon=horizon, level=level),
        ),
        make_table(
            "kpi_velocity",
            language,
            [
                *_step(velocity, language),
                (rate_header, "percent", velocity["rate"]),
                (t("xlsx.col.median_days", language), "int", velocity["median_days"]),
                (t("xlsx.col.p75_days", language), "int", velocity["p75_days"]),
                (t("xlsx.col.p90_days", language), "int", velocity["p90_days"]),
                *(
                    (
                        t("xlsx.col.within_days", language, days=int(c.split("_")[1])),
                        "percent",
                        velocity[c],
                    )
                    for c in within
                ),
            ],
            about=t("xlsx.about.kpi_velocity", language),
        ),
    ]
    # without spend provided: no spend, CAC or ROI column, and a note says why
    spend = kpis.spend_provided
    recorded = channels_recorded(channels)
    if not recorded:  # no lead has a channel: no row for "Not recorded", a note says so
        channels = channels.loc[channels["channel"].astype(str) != NOT_RECORDED]
    channel_columns: list[tuple[str, str, object, bool]] = [
        (t("label.channel", language), "pretty", channels["channel"], False),
        (t("xlsx.col.spend", language), "money", channels["spend"], True),
        (t("label.leads", language), "int", channels["leads"], False),
        (t("xlsx.col.won_count", language), "int", channels["won_count"], False),
        (t("xlsx.col.won_revenue", language), "money", channels["won_revenue"], False),
        (t("xlsx.col.cac", language), "money", channels["cac"], True),
        (t("xlsx.col.roi", language), "float", channels["roi"], True),
    ]
    tables.append(
        make_table(
            "kpi_channels",
            language,
            [(h, k, v) for h, k, v, needs_spend in channel_columns if spend or not needs_spend],
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


def _scorecard(report: MidpointReport, language: str) -> KeyTable:
    """The mid-point report's scorecard, row for row (its figures are the report's text)."""
    frame = scorecard_table(report, language=language, currency=report.kpis.currency)
    # a figure the report could not give reads "not measurable", never a lone dash
    frame = frame.replace({_NO_FIGURE: text("label.not_measurable", language)})
    return make_table(
        "scorecard",
        language,
        spec_columns(frame, table_columns("scorecard", language)),
        about=text("xlsx.about.scorecard", language),
    )
