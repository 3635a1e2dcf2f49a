"""The Excel cells hold the numbers the reports print: rounding and number formats by kind.

The reports format a number with :data:`workbook.deliverables.display.FORMATTERS`; a cell of
the same kind must show the same digits, so the rounded value formatted by the report's own
formatter gives the report's text.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from workbook.deliverables.display import FORMATTERS
from workbook.deliverables.key_tables import (
    DECIMALS,
    DISPLAY_KINDS,
    field_label,
    number_formats,
    rounded,
)
from workbook.deliverables.key_tables.frame import cells
from workbook.i18n import NNBSP

NUMBER_KINDS = ("int", "count", "float", "float2", "money", "amount", "percent")


@pytest.mark.parametrize(
    ("value", "kind", "cell"),
    [
        (11749.215276, "int", 11749),  # the sample's plan: inquiries needed
        (119.61612, "int", 120),  # the sample's plan: deals to win, shown "120"
        (2500.5, "money", 2500),  # ties to even, as f"{2500.5:,.0f}" == "2,500"
        (135.0, "int", 135),  # days: whole, never "135.0"
        (0.243712, "percent", 0.244),  # 24.4%
        (0.0004, "percent", 0.0),
        (85.4321, "float", 85.4),  # ROI multiple
        (0.91873, "float2", 0.92),  # AUC, a score threshold
    ],
)
def test_a_cell_holds_the_value_rounded_as_the_report_prints_it(value, kind, cell):
    shown = rounded(value, DISPLAY_KINDS[kind])
    assert shown == cell and type(shown) is type(cell)
    for language in ("en", "fr"):
        assert FORMATTERS[kind](shown, language, "EUR") == FORMATTERS[kind](value, language, "EUR")


@given(
    value=st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    kind=st.sampled_from(NUMBER_KINDS),
    language=st.sampled_from(["en", "fr"]),
)
def test_the_rounded_cell_and_the_report_show_the_same_digits(value, kind, language):
    if kind == "percent":
        value = value / 1e9  # a fraction, -1..1
    shown = rounded(value, DISPLAY_KINDS[kind])
    # the report prints "-0" for a small negative; the cell holds 0, not a negative zero
    assume(not (math.copysign(1.0, value) < 0 and shown == 0))
    assert FORMATTERS[kind](shown, language, "EUR") == FORMATTERS[kind](value, language, "EUR")
    decimals = DECIMALS[DISPLAY_KINDS[kind]]
    assert round(shown, decimals) == shown
    assert isinstance(shown, int) == (decimals == 0)


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, float("inf"), "n/a"])
def test_a_figure_that_cannot_be_computed_is_an_empty_cell(missing):
    assert rounded(missing, "int") is None
    assert rounded(missing, "percent") is None


def test_data_values_are_shown_in_words_in_the_report_language():
    assert cells(["paid_social", "not_recorded", None], "pretty", "fr") == [
        "Réseaux sociaux payants",
        "Non renseigné",
        "Non renseigné",
    ]
    assert cells(["inquiry", "won", None], "stage", "fr") == ["Demande", "Gagné", None]
    assert cells([pd.Timestamp("2026-09-01")], "month", "en") == [dt.datetime(2026, 9, 1)]


def test_data_file_columns_are_named_in_words():
    stages = ("inquiry", "mql", "sal")
    assert field_label("mql_at", "en", stages=stages) == "MQL date"
    assert field_label("mql_at", "fr", stages=stages) == "Date de passage en MQL"
    assert field_label("created_at", "fr", stages=stages) == "Date de création"
    assert field_label("buying_stage", "en") == "Buying stage"
    assert field_label("some_custom_column", "en") == "Some custom column"
    assert field_label(None, "en") == field_label("", "en") == ""


def test_number_formats_follow_each_language():
    english, french = number_formats("en", "EUR"), number_formats("fr", "EUR")
    assert english["money"] == '"€"#,##0' and french["money"] == '#,##0 "€"'
    assert english["percent"] == "0.0%" and french["percent"] == f'0.0"{NNBSP}"%'
    assert english["month"] == "mmm yyyy" and french["month"] == "[$-40C]mmm yyyy"
    assert english["date"] == "yyyy-mm-dd" and french["date"] == "dd/mm/yyyy"
    # the decimals a format shows are the decimals a cell of that kind keeps
    for kind, decimals in DECIMALS.items():
        fmt = english[kind]
        shown = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0
        assert shown + (2 if fmt.endswith("%") else 0) == decimals, kind
