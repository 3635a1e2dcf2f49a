"""Id matching: the pyarrow.compute wrappers against plain-Python readings."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.intake.text import is_in, positions_in

ids = st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "c", " d", "é", ""])), max_size=30)


@given(probe=ids, universe=ids)
@settings(max_examples=150, deadline=None)
def test_is_in_agrees_with_a_python_set(probe, universe):
    known = {u for u in universe if u is not None}
    expected = [p is not None and p in known for p in probe]
    assert is_in(pd.Series(probe, dtype=object), universe).tolist() == expected


@given(ids_=ids, keys=ids)
@settings(max_examples=150, deadline=None)
def test_positions_in_gives_the_first_row_of_each_key(ids_, keys):
    first: dict[str, int] = {}
    for row, value in enumerate(ids_):
        if value is not None:
            first.setdefault(value, row)
    expected = [-1 if k is None else first.get(k, -1) for k in keys]
    assert positions_in(pd.Series(ids_, dtype=object), keys).tolist() == expected


@given(
    st.lists(st.sampled_from(["a", "b", "c", "d"]), unique=True),
    st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "c", "d", "e"]))),
    st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f"]), unique=True),
)
@settings(max_examples=80, deadline=None)
def test_categorical_keys_give_the_rows_their_texts_give(ids_, keys, unused):
    # the validated touches' lead_id is a Categorical: matched by its categories, with unused
    # categories and missing values, it must give what matching the texts gives
    categories = list(dict.fromkeys([k for k in keys if k is not None] + unused))
    coded = pd.Categorical(keys, categories=categories)
    assert positions_in(ids_, coded).tolist() == positions_in(ids_, keys).tolist()
    assert positions_in(ids_, pd.Series(coded)).tolist() == positions_in(ids_, keys).tolist()
