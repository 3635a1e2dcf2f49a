"""Cell parsing: dates, trimmed text, and coded columns cleaned once per distinct value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.intake.parse import parse_dates, per_unique, trimmed_text
from workbook.intake.text import normalise_key


@given(
    texts=st.lists(
        st.one_of(st.none(), st.text(alphabet=" \t\u00a0\u3000\x1faé", max_size=6)), max_size=30
    )
)
@settings(max_examples=200, deadline=None)
def test_trimmed_text_trims_unicode_white_space_and_makes_blanks_missing(texts):
    full = pc.utf8_trim_whitespace(pa.array(texts, pa.large_string())).to_pylist()
    expected = [None if t is None or t == "" else t for t in full]
    got = trimmed_text(pd.Series(texts, dtype=object)).tolist()
    assert [None if pd.isna(g) else g for g in got] == expected


@pytest.mark.parametrize(
    ("texts", "keep_time", "expected"),
    [
        (["2026-03-01", None], False, ["2026-03-01T00:00", "NaT"]),  # read as dates
        (["2026-03-01 13:45", "2026-03-02"], False, ["2026-03-01T00:00", "2026-03-02T00:00"]),
        (["2026-03-01 13:45", "2026-03-02"], True, ["2026-03-01T13:45", "2026-03-02T00:00"]),
        ([" 2026-03-01 ", "01/03/2026"], False, ["2026-03-01T00:00", "2026-03-01T00:00"]),
    ],
)
def test_parse_dates_floors_dates_and_keeps_times_only_when_asked(texts, keep_time, expected):
    parsed = parse_dates(pd.Series(texts, dtype=object), keep_time=keep_time)
    assert parsed.values.to_numpy("datetime64[m]").astype(str).tolist() == expected
    assert not parsed.unreadable.any()


def test_coded_columns_clean_each_distinct_value_into_one_category() -> None:
    raw = pd.Series(
        ["Paid Search", " paid search", None, "  ", "Email", "Paid Search"], dtype="str"
    )
    coded = per_unique(raw, normalise_key, coded=True)
    assert isinstance(coded.dtype, pd.CategoricalDtype)
    assert coded.cat.categories.tolist() == ["paid_search", "email"]  # merged, in first order
    assert coded.astype(object).tolist() == [
        "paid_search",
        "paid_search",
        np.nan,
        np.nan,
        "email",
        "paid_search",
    ]
    assert per_unique(raw, normalise_key).astype(object).tolist() == coded.astype(object).tolist()
    empty = per_unique(pd.Series([None, None], dtype="str"), normalise_key, coded=True)
    assert empty.isna().all() and len(empty.cat.categories) == 0
