"""Matching text ids through 64-bit words: always the same answer as matching the texts."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook import textkeys
from workbook.textkeys import MAX_BYTES, PackedText, pack_texts, positions

# short and long, ASCII and not, blanks, a NUL, prefixes of each other: what breaks packing
TEXTS = st.one_of(
    st.none(),
    st.sampled_from(["", "a", "a\0", "ab", "L0000001", "L00000012", "00Q5e00000AbCdEfGh", "é"]),
    st.text(alphabet="aZ09 é-\u00a0", max_size=20),
    st.text(alphabet="x", min_size=MAX_BYTES - 1, max_size=MAX_BYTES + 2),
)


def first_row_reference(values, wanted):
    first: dict[str, int] = {}
    for row, value in enumerate(values):
        if value is not None:
            first.setdefault(value, row)
    return [-1 if w is None else first.get(w, -1) for w in wanted]


def repeats_reference(values):
    """Whether each text appeared on an earlier row (missing: False), read plainly."""
    seen: set[str] = set()
    expected = []
    for value in values:
        expected.append(value is not None and value in seen)
        if value is not None:
            seen.add(value)
    return expected


@given(values=st.lists(TEXTS, max_size=40), wanted=st.lists(TEXTS, max_size=40))
@settings(max_examples=300, deadline=None)
def test_positions_agree_with_a_python_dict_or_decline(values, wanted):
    found = positions(values, wanted, min_table_rows=0)
    if found is not None:  # declined (None) only for texts that cannot be packed
        assert found.tolist() == first_row_reference(values, wanted)
    else:
        assert any(
            v is not None and ("\0" in v or len(v.encode()) > MAX_BYTES or not v.isascii())
            for v in [*values, *wanted]
        )


@pytest.mark.parametrize("dtype", [pa.string(), pa.large_string()])
def test_positions_match_a_million_style_id_column_whatever_its_arrow_type(dtype):
    rng = np.random.default_rng(3)
    ids = np.array([f"00Q{n:015d}" for n in rng.permutation(200_000)], dtype=object)
    ids[::97] = None
    probe = rng.integers(0, len(ids) + 5_000, 300_000)
    wanted = np.array([ids[p] if p < len(ids) else f"X{p}" for p in probe], dtype=object)
    found = positions(pa.array(ids, dtype), pa.array(wanted, dtype))
    assert found is not None
    assert found.tolist() == first_row_reference(ids.tolist(), wanted.tolist())


def test_a_hash_collision_is_caught_and_declined(monkeypatch):
    # every multi-word text hashes alike: the word-by-word check must notice
    monkeypatch.setattr(
        PackedText, "keys", lambda self, width: np.zeros(len(self.valid), np.uint64)
    )
    values = ["customer-0001", "customer-0002"]
    assert positions(values, ["customer-0002"], min_table_rows=0) is None
    # sides of different widths (2 and 3 words): the wider side's extra word must be padding
    assert positions(values, ["customer-0001-extra"], min_table_rows=0) is None
    assert positions(values, ["customer-0001", "customer-0001-extra"], min_table_rows=0) is None
    # single words are the keys themselves: nothing to confirm, nothing to decline
    monkeypatch.undo()
    assert positions(["a", "b"], ["b", "c"], min_table_rows=0).tolist() == [1, -1]


def test_sides_packed_into_different_widths_match_their_common_texts():
    values = ["customer-0001", "b"]  # two words
    wanted = ["customer-0001-extra", "customer-0001", "b", "b" * 20]  # three words
    assert positions(values, wanted, min_table_rows=0).tolist() == [-1, 0, 1, -1]


def test_small_tables_are_left_to_text_hashing():
    assert positions(["a", "b"], ["b"]) is None  # below MIN_TABLE_ROWS: not worth packing


def test_packing_keeps_texts_that_differ_only_in_padding_apart():
    packed = pack_texts(pa.array(["ab", "ab\0"]))
    assert packed is None  # a NUL byte would read as padding: declined
    packed = pack_texts(pa.array(["ab", "abc", None]))
    assert [int(w) for w in packed.words[0]][:2] != [0, 0]
    assert packed.valid.tolist() == [True, True, False]
    assert textkeys.pack_texts(pa.array([1, 2])) is None  # not text


@given(values=st.lists(TEXTS, max_size=40), min_table_rows=st.sampled_from([0, 10**9]))
@settings(max_examples=300, deadline=None)
def test_repeats_flag_each_text_seen_on_an_earlier_row_packed_or_not(values, min_table_rows):
    got = textkeys.repeats(pa.array(values, pa.large_string()), min_table_rows=min_table_rows)
    assert got.tolist() == repeats_reference(values)


def test_texts_sharing_a_hash_are_still_told_apart_by_their_bytes(monkeypatch):
    # every long text hashes alike: only the comparison of the texts separates them
    monkeypatch.setattr(
        textkeys,
        "text_hashes",
        lambda values: (np.zeros(len(values), np.uint64), np.ones(len(values), bool)),
    )
    a, b = "x" * 10 + "a" + "y" * 29, "x" * 10 + "b" + "y" * 29
    assert textkeys.repeats([a, b, a, b, "z" * 40], min_table_rows=0).tolist() == [
        False,
        False,
        True,
        True,
        False,
    ]


@given(texts=st.lists(st.text(alphabet="ab\u00e9", max_size=30), min_size=2, max_size=12))
@settings(max_examples=200, deadline=None)
def test_text_hashes_are_equal_exactly_for_equal_texts(texts):
    hashes, _ = textkeys.text_hashes(pa.chunked_array([texts[:3], texts[3:]], pa.string()))
    for i, a in enumerate(texts):
        for j, b in enumerate(texts):
            if a == b:
                assert hashes[i] == hashes[j]
            else:  # a 64-bit collision among a dozen texts would be a broken hash
                assert hashes[i] != hashes[j]


# ids of fixed characters and digits: matched through their numbers, not hashed
@st.composite
def decimal_ids(draw):
    prefix = draw(st.sampled_from(["L", "AC", "", "00Q", "L-"]))
    width = draw(st.integers(1, 8 - len(prefix)))
    numbers = st.integers(0, min(10**width - 1, 60_000))  # dense enough for a table
    return [f"{prefix}{n:0{width}d}" for n in draw(st.lists(numbers, min_size=1, max_size=30))]


@given(
    values=decimal_ids(),
    others=st.lists(st.one_of(st.none(), st.text("LAC0x19-", max_size=9)), max_size=30),
    data=st.data(),
)
@settings(max_examples=300, deadline=None)
def test_decimal_ids_are_matched_by_number_exactly_like_texts(values, others, data):
    assert textkeys._number_table(pack_texts(values)) is not None  # the path under test
    wanted = data.draw(st.permutations(values + others))
    found = positions(values, wanted, min_table_rows=0)
    assert found is not None and found.tolist() == first_row_reference(values, wanted)
    expected_repeats = [v in values[:i] for i, v in enumerate(values)]
    assert textkeys.repeats(values, min_table_rows=0).tolist() == expected_repeats


def test_dense_decimal_ids_take_the_numbered_path_and_read_their_digits():
    ids = [f"L{n:07d}" for n in range(1, 5001)]
    packed = pack_texts(ids)
    layout = textkeys.DecimalLayout.of(packed.word(0))
    assert layout is not None
    assert layout.numbers(packed.word(0)).tolist() == list(range(1, 5001))
    odd = pack_texts(["L000000x", "X0000001", "L0000001"])
    assert layout.numbers(odd.word(0)).tolist() == [-1, -1, 1]
    assert textkeys._number_table(packed) is not None
    sparse = pack_texts([f"{n:08d}" for n in (1, 99_999_999)] * 10)
    assert textkeys._number_table(sparse) is None  # too spread out: hashed instead
    assert textkeys.DecimalLayout.of(pack_texts(["a1", "b2"]).word(0)) is None


@given(
    values=st.lists(st.one_of(st.none(), st.integers(0, 300).map(str)), max_size=400),
    chunk=st.integers(1, 50),
)
@settings(max_examples=150, deadline=None)
def test_dictionary_codes_number_texts_by_first_appearance_in_any_width(values, chunk):
    # as read: in chunks; up to 301 distinct texts (narrow codes: int8 or int16)
    array = pa.chunked_array(
        [pa.array(values[i : i + chunk], pa.large_string()) for i in range(0, len(values), chunk)],
        type=pa.large_string(),
    )
    first_seen: dict[str, int] = {}
    expected = [-1 if v is None else first_seen.setdefault(v, len(first_seen)) for v in values]
    for narrow in (False, True):
        codes, texts = textkeys.dictionary_codes(array, narrow=narrow)
        assert codes.tolist() == expected
        assert texts.tolist() == list(first_seen)
        if narrow:
            assert codes.dtype == textkeys.code_dtype(len(first_seen))
        else:
            assert codes.dtype == np.int64


@given(
    values=st.lists(TEXTS, min_size=1, max_size=60),
    chunk=st.integers(1, 20),
    data=st.data(),
)
@settings(max_examples=300, deadline=None)
def test_take_gives_the_texts_at_any_positions_of_a_column_in_chunks(values, chunk, data):
    array = pa.chunked_array(
        [pa.array(values[i : i + chunk], pa.large_string()) for i in range(0, len(values), chunk)],
        type=pa.large_string(),
    )
    rows = st.integers(0, len(values) - 1)
    wanted = data.draw(
        st.one_of(
            st.lists(rows, max_size=80),  # any order, repeats: reordered, or the chunks joined
            st.sets(rows).map(sorted),  # each once, in order: filtered chunk by chunk
            st.lists(rows, max_size=80).map(sorted),  # in order, with repeats
            st.lists(rows, max_size=max(1, len(values) // 8 - 1)),  # few: by chunk, reordered
        )
    )
    taken = textkeys.take(array, np.array(wanted, dtype=np.int64))
    assert isinstance(taken, pa.ChunkedArray)
    assert taken.type == pa.large_string()
    assert taken.to_pylist() == [values[row] for row in wanted]


def test_take_refuses_a_position_outside_the_column():
    with pytest.raises(IndexError):
        textkeys.take(["a", "b"], [2])
    with pytest.raises(IndexError):
        textkeys.take(pa.chunked_array([["a"], ["b"]]), [-1])


# plain decimal ids of any length (HubSpot's, integer keys): matched through their numbers
PLAIN_NUMBERS = st.one_of(
    st.integers(0, 3_000),  # dense: a table of first rows
    st.integers(0, 10**18 - 1),  # spread over 18 digits: the numbers are hashed
)
NOT_PLAIN = st.sampled_from(["007", "0", "00", "7 ", " 7", "+7", "-7", "7.0", "1e3", "١٢", "x"])


@given(
    numbers=st.lists(st.one_of(st.none(), PLAIN_NUMBERS), min_size=1, max_size=40),
    others=st.lists(st.one_of(st.none(), PLAIN_NUMBERS.map(str), NOT_PLAIN), max_size=20),
    chunk=st.integers(1, 15),
    data=st.data(),
)
@settings(max_examples=300, deadline=None)
def test_plain_decimal_ids_of_any_length_are_matched_by_number_exactly_like_texts(
    numbers, others, chunk, data
):
    values = [None if n is None else str(n) for n in numbers]
    chunked = pa.chunked_array(
        [pa.array(values[i : i + chunk], pa.large_string()) for i in range(0, len(values), chunk)],
        type=pa.large_string(),
    )
    read = textkeys.decimal_numbers(chunked)
    assert read is not None  # the path under test
    assert read.tolist() == [-1 if n is None else n for n in numbers]
    wanted = data.draw(st.permutations(values + others))
    found = positions(chunked, wanted, min_table_rows=0)
    if found is None:  # declined only where packing declines: non-ASCII texts of uneven length
        assert any(w is not None and not w.isascii() for w in wanted)
    else:
        assert found.tolist() == first_row_reference(values, wanted)
    assert textkeys.repeats(chunked, min_table_rows=0).tolist() == repeats_reference(values)


def test_only_plain_decimal_texts_are_read_as_numbers():
    assert textkeys.decimal_numbers(["0", "10", str(10**18 - 1)]).tolist() == [0, 10, 10**18 - 1]
    for odd in ("007", "", " 7", "7 ", "+7", "-7", "7.0", str(10**18), "١٢"):
        assert textkeys.decimal_numbers(["12", odd]) is None, odd
    assert textkeys.decimal_numbers(pa.array([1, 2])) is None  # not text
    # "7" and "007" are different ids: a leading zero anywhere sends both sides to the texts
    assert positions(["7", "8"], ["007", "7"], min_table_rows=0).tolist() == [-1, 0]


def test_ids_of_one_length_up_to_40_bytes_are_packed_guids_included():
    import uuid

    guids = [str(uuid.UUID(int=n * 7919 + 12345)) for n in range(300)]  # 36 characters each
    packed = pack_texts(guids)
    assert packed is not None and len(packed.words) == 5
    unknown = str(uuid.UUID(int=1))
    wanted = [guids[5], unknown, guids[299], guids[5].upper()]  # all 36 characters too
    assert positions(guids, wanted, min_table_rows=0).tolist() == [5, -1, 299, -1]
    assert positions(guids, [guids[5], None], min_table_rows=0).tolist() == [5, -1]
    assert pack_texts([*guids, guids[0] + "x"]) is None  # uneven and over MAX_BYTES
    assert textkeys.repeats([guids[1], guids[2], guids[1]], min_table_rows=0).tolist() == [
        False,
        False,
        True,
    ]
