"""The text catalogue and locale-aware number formats."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from workbook.i18n import (
    CATALOGUE,
    format_money,
    format_number,
    format_percent,
    pretty,
    stage_label,
    text,
)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_english_and_french_catalogues_hold_the_same_keys_and_placeholders():
    assert CATALOGUE["en"].keys() == CATALOGUE["fr"].keys()
    for key, english in CATALOGUE["en"].items():
        assert placeholders(english) == placeholders(CATALOGUE["fr"][key]), key


def test_french_numbers_use_narrow_spaces_and_decimal_commas():
    assert format_number(1234567.891, "fr", decimals=2) == "1\u202f234\u202f567,89"
    assert format_money(1234.5, "EUR", "fr", decimals=1) == "1\u202f234,5\u202f€"
    assert format_percent(0.123, "fr") == "12,3\u202f%"


def test_english_numbers():
    assert format_money(-48000, "USD", "en") == "-$48,000"
    assert format_money(1000, "SEK", "en") == "SEK 1,000"
    assert format_percent(0.5, "en", decimals=0) == "50%"
    assert format_number(None) == "not measurable" == format_percent(None)
    assert format_money(float("nan"), "EUR", "fr") == "non mesurable"


def test_text_fills_placeholders_and_stage_labels_translate():
    assert text("subtitle", "en", as_of="2026-09-30") == "Data as of 2026-09-30"
    assert stage_label("opportunity", "fr") == "Opportunité"
    assert stage_label("nurture", "fr") == "nurture"
    assert pretty("roi_calculator") == "ROI calculator"


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_french_and_english_formats_carry_the_same_digits(value):
    en = format_number(value, "en", decimals=2).replace(",", "")
    fr = format_number(value, "fr", decimals=2).replace("\u202f", "").replace(",", ".")
    assert en == fr
