"""Ids matched the way the analyses match them: the rows a Python dict gives, whatever the ids.

The analyses find a touch's or an opportunity's lead with
:func:`workbook.intake.text.positions_in` (one :func:`pyarrow.compute.index_in`); these are
the properties the hand-rolled id hashing it replaced was checked against.
"""

from __future__ import annotations

import uuid

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.analysis.journeys import journeys_from_leads
from workbook.intake.text import positions_in

# short and long, ASCII and not, blanks, a NUL, prefixes of each other, leading zeros
TEXTS = st.one_of(
    st.none(),
    st.sampled_from(["", "a", "a\0", "ab", "7", "007", "L0000001", "00Q5e00000AbCdEfGh", "é"]),
    st.text(alphabet="aZ09 é-\u00a0", max_size=20),
    st.text(alphabet="x", min_size=23, max_size=42),
)


def first_row_reference(values, wanted):
    """Row of each wanted text's first appearance in ``values`` (-1: absent or missing)."""
    first: dict[str, int] = {}
    for row, value in enumerate(values):
        if value is not None:
            first.setdefault(value, row)
    return [-1 if w is None else first.get(w, -1) for w in wanted]


@given(values=st.lists(TEXTS, max_size=40), wanted=st.lists(TEXTS, max_size=40))
@settings(max_examples=300, deadline=None)
def test_positions_are_the_first_rows_a_python_dict_gives(values, wanted):
    assert positions_in(values, wanted).tolist() == first_row_reference(values, wanted)


@pytest.mark.parametrize("dtype", [pa.string(), pa.large_string()])
def test_positions_in_a_long_id_column_in_chunks_whatever_its_arrow_type(dtype):
    rng = np.random.default_rng(3)
    ids = np.array([f"00Q{n:015d}" for n in rng.permutation(50_000)], dtype=object)
    ids[::97] = None
    probe = rng.integers(0, len(ids) + 2_000, 80_000)
    wanted = np.array([ids[p] if p < len(ids) else f"X{p}" for p in probe], dtype=object)
    chunked = pa.chunked_array([ids[:20_000], ids[20_000:]], type=dtype)
    column = pd.Series(pd.arrays.ArrowExtensionArray(chunked))
    found = positions_in(column, pd.Series(wanted))
    assert found.tolist() == first_row_reference(ids.tolist(), wanted.tolist())


def test_a_leading_zero_makes_another_id():
    assert positions_in(["7", "8", "007"], ["007", "7", "07", None]).tolist() == [2, 0, -1, -1]


def test_guids_match_exactly_and_case_matters():
    guids = [str(uuid.UUID(int=n * 7919 + 12345)) for n in range(300)]
    unknown = str(uuid.UUID(int=1))
    wanted = [guids[5], unknown, guids[299], guids[5].upper(), None]
    assert positions_in(guids, wanted).tolist() == [5, -1, 299, -1, -1]


def test_journey_steps_carry_the_ids_of_their_leads_as_texts():
    ids = ["007", "7", str(uuid.UUID(int=3)), "é-1"]
    day = pd.Timestamp("2026-01-05")
    leads = pd.DataFrame(
        {
            "lead_id": ids,
            "created_at": [day] * 4,
            "mql_at": [day + pd.Timedelta(days=3), pd.NaT, day, pd.NaT],
            "sal_at": pd.NaT,
            "sql_at": pd.NaT,
            "disqualified_at": pd.NaT,
        }
    )
    journeys = journeys_from_leads(
        leads, stages=("inquiry", "mql", "opportunity", "won"), as_of=pd.Timestamp("2026-02-01")
    )
    steps = journeys.steps
    assert steps["lead_id"].tolist() == [*ids, "007", str(uuid.UUID(int=3))]
    assert steps["lead_id"].tolist() == [ids[i] for i in steps["lead_index"]]
