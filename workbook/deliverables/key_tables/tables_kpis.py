"""The mid-point's sheets: the KPI scorecard, funnel, velocity, channels and attribution.

Each is a table the mid-point notebook saved
(:func:`workbook.deliverables.saved_tables.midpoint_saved_tables`): the report's scorecard,
with each figure read from the run's figures register by its key, the KPI frames and the
attribution shares. Nothing is recomputed here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import pandas as pd

from workbook.deliverables.key_tables.frame import (
    KeyTable,
    make_table,
    rounded,
    spec_columns,
)
from workbook.deliverables.midpoint_facts import channels_recorded
from workbook.deliverables.midpoint_register import SCORECARD_KINDS
from workbook.deliverables.register import FigureRegister
from workbook.deliverables.table_columns import (
    attribution_columns,
    table_columns,
)
from workbook.i18n import NOT_RECORDED, format_date, format_percent, text

#: What a scorecard cell reads when the report's table has no figure for it.
_NO_FIGURE = "-"
#: The mid-point's saved tables these sheets read.
MIDPOINT_TABLES = ("scorecard", "kpi_funnel", "kpi_velocity", "kpi_channels", "kpi_settings")


def kpi_tables(
    saved: Mapping[str, pd.DataFrame], register: FigureRegister, language: str
) -> tuple[list[KeyTable], tuple[str, ...]]:
    """The scorecard, KPI funnel, velocity, channels and attribution sheets, and the notes of
    the sheets left out (all of them when the mid-point did not run). The funnel, velocity
    and channel sheets have the report's columns, headers and decimals
    (:func:`workbook.deliverables.table_columns.table_columns`)."""
    t = text
    if any(name not in saved for name in MIDPOINT_TABLES):
        return [], (t("xlsx.note.no_midpoint", language),)
    settings = saved["kpi_settings"].iloc[0]
    horizon = int(settings["horizon_days"])
    funnel, velocity, channels = saved["kpi_funnel"], saved["kpi_velocity"], saved["kpi_channels"]
    level = format_percent(float(settings["confidence_level"]), language, decimals=0)
    tables = [
        _scorecard(saved["scorecard"], register, language),
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
    spend = bool(settings["spend_provided"])
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
                start=format_date(pd.Timestamp(settings["window_start"]).date(), language),
                end=format_date(pd.Timestamp(settings["as_of"]).date(), language),
            ),
            notes=(() if spend else (t("spend.missing.excel", language),))
            + (() if recorded else (t("thin.channel.none", language),)),
        )
    )
    shares = saved.get("attribution")
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


def _scorecard(shown: pd.DataFrame, register: FigureRegister, language: str) -> KeyTable:
    """The mid-point report's scorecard, row for row: each figure the register's value under
    the row's key (``figure_key``) with its number format (a share, an amount, days, a ratio
    with one decimal), the rest its words."""
    keys = shown["figure_key"].tolist() if "figure_key" in shown else []
    frame = shown.drop(columns=["figure_key"], errors="ignore")
    # a figure the report could not give reads "not measurable", never a lone dash
    frame = frame.replace({_NO_FIGURE: text("label.not_measurable", language)})
    row_kinds: tuple[str, ...] = ()
    if len(keys) == len(frame) == len(SCORECARD_KINDS):  # else the rows changed: words as shown
        values = [register.value(k) if isinstance(k, str) and k in register else None for k in keys]
        cells = [
            rounded(v, kind) if v is not None else None
            for v, kind in zip(values, SCORECARD_KINDS, strict=True)
        ]
        frame["figure"] = [
            c if c is not None else w for c, w in zip(cells, frame["figure"], strict=True)
        ]
        row_kinds = tuple(
            k if c is not None else "text" for c, k in zip(cells, SCORECARD_KINDS, strict=True)
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
