"""Exact matching of text ids without hashing texts.

Arrow hashes a column of text at roughly 100 to 200 ns a row on a million distinct ids: each
row is a cache miss plus a byte comparison. CRM ids are short (``L0000001``, 18-character
Salesforce ids, numeric HubSpot ids), and this module matches them through integers instead:

- **Words.** A text of at most :data:`MAX_BYTES` bytes (:data:`MAX_EVEN_BYTES` when all
  have one length, as GUIDs do) is packed, zero-padded, into
  ``ceil(bytes / 8)`` 64-bit words (:func:`pack_texts`). One word is the key itself; several
  are mixed into one 64-bit hash, and every match found through a hash is confirmed word by
  word. Hashing words is two to three times faster than hashing texts.
- **Numbers.** One-word ids made of fixed characters and decimal digits (``L0000057``,
  ``ACC00024``) are read as numbers, eight bytes at a time (:class:`DecimalLayout`). When the
  numbers are dense, a plain array indexed by number gives each id's row, with no hashing.
- **Decimal numbers.** Ids made only of digits, without a leading zero (``57``, ``1203``:
  HubSpot's, or any integer key), whatever their length, are read as the integers they
  spell (:func:`decimal_numbers`), which they match one to one; then as above.
- **Hashes of long texts.** Longer texts (e-mails) get a 64-bit hash of all their bytes
  (:func:`text_hashes`); only the rows whose hash repeats are compared as texts.

Results are always exact, and the same as matching the texts: a collision, however unlikely,
makes :func:`positions` return None (the caller then matches the texts themselves), and
:func:`repeats` compares as texts every row its hash cannot tell apart. Texts that cannot be
packed (longer than :data:`MAX_BYTES`, containing a NUL byte, or of uneven length with
non-ASCII characters) are matched as texts too.

Large temporaries are avoided: the work goes chunk by chunk as Arrow read the column, or in
blocks of :data:`_BLOCK` rows, because on small machines mapping fresh memory costs as much
as computing with it.

See Also
--------
workbook.intake.validate.positions_in : the id matching every check and analysis calls.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: Longest text (in UTF-8 bytes) packed into words (18-character Salesforce ids fit); longer
#: ones, e-mails for instance, are matched as text.
MAX_BYTES = 24
#: Longest text packed when every text of the column has the same length, so that none
#: needs padding (GUIDs: 36 bytes).
MAX_EVEN_BYTES = 40
#: Below this many distinct candidates a text hash table stays in the CPU cache: packing
#: would cost more than it saves.
MIN_TABLE_ROWS = 1 << 16
#: Rows a vectorised step takes at a time, so that its temporaries stay in the CPU cache.
_BLOCK = 1 << 16

_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)
_SEED = np.uint64(0x9E3779B97F4A7C15)
_WORD_PRIME = np.uint64(0x9E3779B97F4A7C15 | 1)  # odd: multiplying by it loses nothing


@dataclass(frozen=True)
class PackedText:
    """Texts packed into 64-bit words (zero-padded), a row of words per text.

    Attributes
    ----------
    matrix : ndarray of uint64, shape (texts, words)
        ``matrix[i, j]`` holds bytes ``8j`` to ``8j + 7`` of text ``i``.
    valid : ndarray of bool
        False where the text is missing (its words are zero).
    """

    matrix: np.ndarray
    valid: np.ndarray

    @property
    def words(self) -> tuple[np.ndarray, ...]:
        """One array per word: ``words[j]`` is word ``j`` of every text."""
        return tuple(self.matrix[:, j] for j in range(self.matrix.shape[1]))

    def word(self, j: int) -> np.ndarray:
        """Word ``j`` of every text; zero beyond the longest text."""
        if j < self.matrix.shape[1]:
            return self.matrix[:, j]
        return np.zeros(len(self.valid), np.uint64)

    def keys(self, width: int) -> np.ndarray:
        """One uint64 per text over ``width`` words: the word itself, or their hash.

        Hashed in blocks of :data:`_BLOCK` texts, so that the temporaries stay in cache.
        """
        if width == 1:
            return self.word(0)
        words = [self.word(j) for j in range(width)]
        out = np.empty(len(self.valid), np.uint64)
        for start in range(0, len(out), _BLOCK):
            block = slice(start, start + _BLOCK)
            key = words[0][block] ^ _SEED
            for word in words[1:]:
                key = _fold(key, word[block])
            out[block] = _mix(key)
        return out


def _fold(key: np.ndarray, word: np.ndarray) -> np.ndarray:
    """One more 64-bit word into a running hash: xor, then multiply (wrapping)."""
    with np.errstate(over="ignore"):
        return (key ^ word) * _WORD_PRIME


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, in place on a fresh array."""
    with np.errstate(over="ignore"):  # multiplications wrap modulo 2**64 on purpose
        h ^= h >> np.uint64(30)
        h *= _MIX_1
        h ^= h >> np.uint64(27)
        h *= _MIX_2
        h ^= h >> np.uint64(31)
    return h


def _text_array(values) -> pa.Array | pa.ChunkedArray:
    """Texts as Arrow, chunks kept as they are (combining millions of texts copies them)."""
    if isinstance(values, pa.Array | pa.ChunkedArray):
        return values
    try:
        return pa.array(values, pa.large_string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # not texts
        return pa.array([], pa.null())


def _chunks(array: pa.Array | pa.ChunkedArray) -> list[pa.Array]:
    return array.chunks if isinstance(array, pa.ChunkedArray) else [array]


def _is_text(array: pa.Array | pa.ChunkedArray) -> bool:
    return pa.types.is_string(array.type) or pa.types.is_large_string(array.type)


def pack_texts(values) -> PackedText | None:
    """Pack texts of at most :data:`MAX_BYTES` bytes into 64-bit words.

    Texts all of one length (missing ones aside) may have up to :data:`MAX_EVEN_BYTES`.

    Works chunk by chunk: the only large allocation is the words themselves.

    Parameters
    ----------
    values : Arrow array or chunked array, Series or list of str
        Missing values allowed.

    Returns
    -------
    PackedText or None
        None when a text is too long, contains a NUL byte, or the values are not text.

    Examples
    --------
    >>> packed = pack_texts(["ab", None, "abcdefghij"])
    >>> len(packed.words), packed.valid.tolist()
    (2, [True, False, True])
    """
    array = _text_array(values)
    if not _is_text(array):
        return None
    chunks = [chunk for chunk in _chunks(array) if len(chunk)]
    width, even = 0, True
    for chunk in chunks:
        offsets, _ = text_buffers(chunk)
        lengths = np.diff(offsets)
        if chunk.null_count:  # missing texts have no length of their own
            lengths = lengths[chunk.is_valid().to_numpy(zero_copy_only=False)]
        if len(lengths) == 0:
            continue
        width = max(width, int(lengths.max()))
        even = even and int(lengths.min()) == width
    if width > (MAX_EVEN_BYTES if even else MAX_BYTES):
        return None
    n_words = max(1, -(-width // 8))
    matrix = np.zeros((len(array), n_words), np.uint64)
    as_bytes = matrix.view(np.uint8)  # row i: the 8 * n_words bytes of text i
    valid = np.ones(len(array), bool)
    row = 0
    for chunk in chunks:
        rows = slice(row, row + len(chunk))
        row += len(chunk)
        if chunk.null_count:
            valid[rows] = chunk.is_valid().to_numpy(zero_copy_only=False)
            chunk = chunk.fill_null("")
        offsets, data = text_buffers(chunk)
        text_bytes = data[offsets[0] : offsets[-1]]
        if len(text_bytes) == 0:
            continue
        if text_bytes.min() == 0:  # a NUL byte inside a text would look like padding
            return None
        if len(text_bytes) != width * len(chunk):  # uneven lengths: pad with NUL bytes
            chunk = pc.utf8_rpad(chunk, width, "\0")
            offsets, data = text_buffers(chunk)
            text_bytes = data[offsets[0] : offsets[-1]]
            if len(text_bytes) != width * len(chunk):  # multi-byte characters
                return None
        as_bytes[rows, :width] = text_bytes.reshape(len(chunk), width)
    # byte order is irrelevant: words are only compared and hashed
    return PackedText(matrix, valid)


def text_buffers(array: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The offsets and UTF-8 bytes of a string array, zero-copy (text ``i`` is
    ``data[offsets[i]:offsets[i + 1]]``)."""
    offset_type = np.int64 if pa.types.is_large_string(array.type) else np.int32
    size = np.dtype(offset_type).itemsize
    buffers = array.buffers()
    offsets = np.frombuffer(buffers[1], offset_type, len(array) + 1, array.offset * size)
    data = np.frombuffer(buffers[2], np.uint8) if buffers[2] is not None else np.zeros(0, np.uint8)
    return offsets, data


def take(values, positions) -> pa.ChunkedArray:
    """The texts at ``positions`` (0-based rows; missing texts stay missing), chunk by chunk.

    Arrow's own take on a column in chunks, which pandas' ``iloc`` calls, first joins every
    chunk into one, copying the whole column into fresh memory: 140 ms to take 1,024 of 5M
    ids. This filters each chunk when the positions are in order, and otherwise takes from each
    chunk its own rows; only many rows out of order are taken from the joined chunks.

    Parameters
    ----------
    values : Arrow array or chunked array, Series or list of str
    positions : array of int
        Rows to take, in any order, repeats allowed.

    Returns
    -------
    pyarrow.ChunkedArray
        One text per position, in the order of ``positions``.

    Raises
    ------
    IndexError
        When a position is negative or beyond the last row.

    Examples
    --------
    >>> chunked = pa.chunked_array([["a", "b"], [None, "d"]])
    >>> take(chunked, [3, 0, 2, 3]).to_pylist()
    ['d', 'a', None, 'd']
    """
    array = _text_array(values)
    positions = np.asarray(positions, dtype=np.int64)
    if len(positions) and (positions.min() < 0 or positions.max() >= len(array)):
        raise IndexError(f"positions must lie in [0, {len(array)})")
    chunks = _chunks(array)
    if len(chunks) == 1:
        return pa.chunked_array([chunks[0].take(positions)], array.type)
    if np.all(positions[1:] > positions[:-1]):  # each once, in order: a filter, by chunk
        if len(positions) == len(array):  # every row: the column itself
            return pa.chunked_array(array)
        keep = np.zeros(len(array), dtype=bool)
        keep[positions] = True
        return pa.chunked_array(array).filter(pa.array(keep))
    if 8 * len(positions) > len(array):  # many: joining the chunks costs the least
        return pa.chunked_array(array).take(positions)
    starts = np.cumsum([0] + [len(chunk) for chunk in chunks])
    chunk_of = np.searchsorted(starts, positions, side="right") - 1
    chunk_of = chunk_of.astype(code_dtype(len(chunks)))
    order = None
    if not np.all(chunk_of[1:] >= chunk_of[:-1]):  # out of order: grouped by chunk first
        order = np.argsort(chunk_of, kind="stable")  # a radix sort of small integers
        positions, chunk_of = positions[order], chunk_of[order]
    bounds = np.searchsorted(chunk_of, np.arange(len(chunks) + 1))
    parts = [
        chunks[c].take(positions[bounds[c] : bounds[c + 1]] - starts[c])
        for c in range(len(chunks))
        if bounds[c] < bounds[c + 1]
    ]
    if order is None:
        return pa.chunked_array(parts, array.type)
    taken = pa.concat_arrays(parts)
    back = np.empty_like(order)
    back[order] = np.arange(len(order))
    return pa.chunked_array([taken.take(back)], array.type)


def byte_flags(values, table: np.ndarray) -> int:
    """The bitwise OR of ``table[b]`` over every byte ``b`` of every text.

    A one-pass, copy-free test of what a column contains: with a 256-entry table giving 1 to
    upper-case ASCII letters and 2 to the space, the result says whether lowering or removing
    spaces would change anything.

    Examples
    --------
    >>> table = np.zeros(256, np.uint8); table[ord("A")] = 1; table[ord(" ")] = 2
    >>> byte_flags(["ab", None, "a b"], table), byte_flags(["A", "a b"], table)
    (2, 3)
    """
    flags = 0
    looked_up = np.empty(_BLOCK * 16, table.dtype)
    for chunk in _chunks(_text_array(values)):
        offsets, data = text_buffers(chunk)
        text_bytes = data[offsets[0] : offsets[-1]]
        for start in range(0, len(text_bytes), len(looked_up)):
            block = text_bytes[start : start + len(looked_up)]
            np.take(table, block, out=looked_up[: len(block)])
            flags |= int(np.bitwise_or.reduce(looked_up[: len(block)]))
    return flags


def _arrow_keys(packed: PackedText, width: int) -> pa.Array:
    keys = packed.keys(width)
    return pa.array(keys, mask=None if packed.valid.all() else ~packed.valid)


def index_positions(values: pa.Array, wanted: pa.Array) -> np.ndarray:
    """Row of each of ``wanted`` in ``values`` (first row), -1 where absent or missing.

    A hash join in Arrow that builds its table on the smaller side: a few won deals' ids are
    hashed and a million leads probe them, rather than the other way round. Works on any
    hashable Arrow type (text or the 64-bit keys of :func:`positions`).
    """
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(wanted, pa.ChunkedArray) and 2 * len(wanted) < len(values):
        wanted = wanted.combine_chunks()
    if 2 * len(wanted) >= len(values):
        found = pc.index_in(wanted, value_set=values, skip_nulls=True)
        return np.asarray(found.fill_null(-1), dtype=np.int64)
    encoded = pc.dictionary_encode(wanted)  # missing keys stay missing
    code = np.asarray(
        pc.index_in(values, value_set=encoded.dictionary).fill_null(-1), dtype=np.int64
    )
    rows = np.flatnonzero(code >= 0)
    row_of_code = np.full(len(encoded.dictionary) + 1, len(values), dtype=np.int64)
    np.minimum.at(row_of_code, code[rows], rows)  # the first row of each code
    row_of_code[row_of_code == len(values)] = -1  # the last cell answers missing keys
    return row_of_code[np.asarray(encoded.indices.fill_null(-1), dtype=np.int64)]


# --- ids made of fixed characters and decimal digits (``L0000057``, ``ACC00024``) ---------
# Such ids map to integers one to one, and a million of them usually fill a range not much
# wider than a million: a plain array indexed by that integer then finds each id's row
# without hashing. Eight bytes are decoded at once (SWAR), in blocks that stay in cache.
_ASCII_ZERO = np.uint64(0x3030303030303030)
_HIGH_NIBBLES = np.uint64(0xF0F0F0F0F0F0F0F0)
_LOW_NIBBLES = np.uint64(0x0F0F0F0F0F0F0F0F)
_SIXES = np.uint64(0x0606060606060606)
#: A table indexed by id number may be this many times wider than the ids are many.
MAX_SPREAD = 4


@dataclass(frozen=True)
class DecimalLayout:
    """Which bytes of one-word ids are the same in all of them, and which are digits."""

    fixed_mask: np.uint64
    fixed_bits: np.uint64
    digit_mask: np.uint64
    scale: np.uint64  # 10 to the number of fixed bytes after the last digit (padding)

    @classmethod
    def of(cls, words: np.ndarray) -> DecimalLayout | None:
        """The layout every id follows, or None (a byte neither fixed nor always a digit)."""
        if len(words) == 0:
            return None
        by_position = np.ascontiguousarray(words).view(np.uint8).reshape(-1, 8).T.copy()
        low, high = by_position.min(axis=1), by_position.max(axis=1)
        fixed = low == high
        digit = ~fixed & (low >= ord("0")) & (high <= ord("9"))
        if not (fixed | digit).all():
            return None

        def word(byte_values) -> np.uint64:
            return np.asarray(byte_values, np.uint8).view(np.uint64)[0]

        digits_at = np.flatnonzero(digit)
        trailing = 7 - int(digits_at[-1]) if len(digits_at) else 0
        return cls(
            fixed_mask=word(np.where(fixed, 0xFF, 0)),
            fixed_bits=word(np.where(fixed, low, 0)),
            digit_mask=word(np.where(digit, 0xFF, 0)),
            scale=np.uint64(10**trailing),
        )

    def numbers(self, words: np.ndarray) -> np.ndarray:
        """The number each id reads as (its digits in order), -1 where it does not fit."""
        out = np.empty(len(words), np.int64)
        with np.errstate(over="ignore"):
            for start in range(0, len(words), _BLOCK):
                block = words[start : start + _BLOCK]
                fits = (block & self.fixed_mask) == self.fixed_bits
                # fixed bytes read as '0'; every byte must then be an ASCII digit
                text = (block & self.digit_mask) | (_ASCII_ZERO & ~self.digit_mask)
                fits &= (text & _HIGH_NIBBLES) == (_ASCII_ZERO & _HIGH_NIBBLES)
                fits &= ((text + _SIXES) & _HIGH_NIBBLES) == (_ASCII_ZERO & _HIGH_NIBBLES)
                # eight digits to a number, first character most significant
                value = ((text & _LOW_NIBBLES) * np.uint64(2561)) >> np.uint64(8)
                value = ((value & np.uint64(0x00FF00FF00FF00FF)) * np.uint64(6553601)) >> np.uint64(
                    16
                )
                value = (
                    (value & np.uint64(0x0000FFFF0000FFFF)) * np.uint64(42949672960001)
                ) >> np.uint64(32)
                value //= self.scale
                out[start : start + len(block)] = np.where(fits, value.astype(np.int64), -1)
        return out


def _first_rows(numbers: np.ndarray) -> tuple[np.ndarray, int] | None:
    """A table of the first row of each number (-1: none) and the smallest number, or None.

    ``numbers`` are >= 0, or -1 for rows without one. None when they spread over more than
    :data:`MAX_SPREAD` times as many values as there are rows (the table would not pay).
    """
    present = numbers[numbers >= 0]
    if len(present) == 0 or len(numbers) >= 2**31 - 1:
        return None
    low, high = int(present.min()), int(present.max())
    if high - low + 1 > MAX_SPREAD * len(numbers) + _BLOCK:
        return None
    # int32 rows: half the memory a lookup wanders through, so more of it stays in cache
    table = np.full(high - low + 2, len(numbers), np.int32)  # the last cell: "not there"
    rows = np.flatnonzero(numbers >= 0)
    np.minimum.at(table, numbers[rows] - low, rows.astype(np.int32))  # first row of each
    table[table == len(numbers)] = -1
    return table, low


def _looked_up(first_rows: tuple[np.ndarray, int], numbers: np.ndarray) -> np.ndarray:
    """Each number's row in a :func:`_first_rows` table (-1: not there, or no number)."""
    table, low = first_rows
    last = np.uint64(len(table) - 1)  # numbers outside the table (or -1) read this cell: -1
    out = np.empty(len(numbers), np.int64)
    found = np.empty(min(_BLOCK, len(numbers)), np.int32)
    with np.errstate(over="ignore"):
        for start in range(0, len(numbers), _BLOCK):
            cell = (numbers[start : start + _BLOCK] - low).astype(np.uint64)  # below: huge
            np.minimum(cell, last, out=cell)
            np.take(table, cell, out=found[: len(cell)])
            out[start : start + len(cell)] = found[: len(cell)]
    return out


def _layout_numbers(packed: PackedText) -> tuple[DecimalLayout, np.ndarray] | None:
    """The layout of one-word ids and the number of each (-1: missing); or None."""
    words = packed.word(0)
    valid_words = words if packed.valid.all() else words[packed.valid]
    layout = DecimalLayout.of(valid_words)
    if layout is None:
        return None
    numbers = layout.numbers(words)
    numbers[~packed.valid] = -1
    return layout, numbers


def _number_table(packed: PackedText) -> tuple[DecimalLayout, tuple[np.ndarray, int]] | None:
    """The layout of one-word ids and the :func:`_first_rows` table of their numbers; or None."""
    read = _layout_numbers(packed)
    if read is None:
        return None
    layout, numbers = read
    first_rows = _first_rows(numbers)
    return None if first_rows is None else (layout, first_rows)


def _numbered_positions(table_of_values, packed_wanted: PackedText) -> np.ndarray:
    layout, first_rows = table_of_values
    numbers = layout.numbers(packed_wanted.word(0))
    numbers[~packed_wanted.valid] = -1
    return _looked_up(first_rows, numbers)


#: Most digits of an id read as a decimal number (a signed 64-bit integer holds 18).
MAX_DIGITS = 18


def decimal_numbers(values) -> np.ndarray | None:
    """The number each text spells, when every present text is a plain decimal number.

    Plain: ASCII digits only, at most :data:`MAX_DIGITS`, and no leading zero unless the
    text is ``0``. Such texts and their numbers match one to one (``7`` and ``007`` would
    not: a leading zero sends the column down the other paths). Missing texts read -1.

    Returns
    -------
    ndarray of int64 or None
        None when a present text is not a plain decimal number, or the values are not text.

    Examples
    --------
    >>> decimal_numbers(["57", None, "1203", "0"]).tolist()
    [57, -1, 1203, 0]
    >>> decimal_numbers(["57", "057"]) is None, decimal_numbers(["5a"]) is None
    (True, True)
    """
    array = _text_array(values)
    if not _is_text(array):
        return None
    out = np.empty(len(array), np.int64)
    row = 0
    for chunk in _chunks(array):
        rows = slice(row, row + len(chunk))
        row += len(chunk)
        if len(chunk) == 0:
            continue
        offsets, data = text_buffers(chunk)
        lengths = np.diff(offsets)
        present = None if chunk.null_count == 0 else chunk.is_valid().to_numpy(False)
        present_lengths = lengths if present is None else lengths[present]
        if len(present_lengths) and (
            present_lengths.min() < 1 or present_lengths.max() > MAX_DIGITS
        ):
            return None
        text_bytes = data[offsets[0] : offsets[-1]]  # a missing text's bytes, if any, too
        if len(text_bytes) and np.subtract(text_bytes, ord("0"), dtype=np.uint8).max() > 9:
            return None
        longer = lengths > 1 if present is None else (lengths > 1) & present
        if (data[offsets[:-1][longer]] == ord("0")).any():  # a leading zero
            return None
        numbers = pc.cast(chunk, pa.int64())
        if numbers.null_count:
            numbers = numbers.fill_null(-1)
        out[rows] = np.asarray(numbers)
    return out


def _decimal_positions(values, wanted) -> np.ndarray | None:
    """:func:`positions` for ids that are plain decimal numbers on both sides; else None."""
    numbers_of_values = decimal_numbers(values)
    if numbers_of_values is None:
        return None
    numbers_wanted = decimal_numbers(wanted)
    if numbers_wanted is None:
        return None
    first_rows = _first_rows(numbers_of_values)
    if first_rows is not None:
        return _looked_up(first_rows, numbers_wanted)
    return index_positions(  # spread too wide for a table: hash the numbers, not the texts
        pa.array(numbers_of_values, mask=numbers_of_values < 0),
        pa.array(numbers_wanted, mask=numbers_wanted < 0),
    )


def positions(values, wanted, *, min_table_rows: int | None = None) -> np.ndarray | None:
    """Row of each of ``wanted`` in ``values`` (its first row), -1 where absent or missing.

    Parameters
    ----------
    values, wanted : Arrow array or chunked array, Series or list of str
    min_table_rows : int, optional
        Smallest side worth packing (default :data:`MIN_TABLE_ROWS`).

    Returns
    -------
    ndarray of int64 or None
        None when the texts cannot be packed, two different texts share a hash, or the
        smaller side has fewer than :data:`MIN_TABLE_ROWS` rows: match the texts themselves
        then (:func:`index_positions`).

    Examples
    --------
    >>> positions(["a", "b", "a"], ["b", None, "z", "a"], min_table_rows=0).tolist()
    [1, -1, -1, 0]
    """
    if min_table_rows is None:
        min_table_rows = MIN_TABLE_ROWS
    if min(len(values), len(wanted)) < min_table_rows:
        return None
    found = _decimal_positions(values, wanted)
    if found is not None:
        return found
    packed_values, packed_wanted = pack_texts(values), pack_texts(wanted)
    if packed_values is None or packed_wanted is None:
        return None
    width = max(packed_values.matrix.shape[1], packed_wanted.matrix.shape[1])
    if width == 1:
        numbered = _number_table(packed_values)
        if numbered is not None:
            return _numbered_positions(numbered, packed_wanted)
    found = index_positions(_arrow_keys(packed_values, width), _arrow_keys(packed_wanted, width))
    if width > 1 and not _same_words(packed_values, packed_wanted, found):
        return None  # two different texts share a hash
    return found


def _same_words(values: PackedText, wanted: PackedText, found: np.ndarray) -> bool:
    """Whether every text of ``wanted`` has the words of the text of ``values`` it was matched to.

    Compares whole rows of words, a block of matches at a time: one random read of each
    matched text, not one per word. Beyond the narrower side's words, the wider side's must
    be zero (padding).
    """
    matched = np.flatnonzero(found >= 0)
    rows = found[matched]
    common = min(values.matrix.shape[1], wanted.matrix.shape[1])
    for start in range(0, len(matched), _BLOCK):
        at = matched[start : start + _BLOCK]
        got = np.take(values.matrix, rows[start : start + _BLOCK], axis=0)  # whole rows
        if at[-1] - at[0] == len(at) - 1:  # consecutive texts matched (usual): a plain slice
            expected = wanted.matrix[at[0] : at[-1] + 1]
        else:
            expected = np.take(wanted.matrix, at, axis=0)
        if got.shape[1] != expected.shape[1]:  # different widths: compare the common words
            if got[:, common:].any() or expected[:, common:].any():
                return False
            got, expected = got[:, :common], expected[:, :common]
        if not np.array_equal(got, expected):
            return False
    return True


def repeats(values, *, min_table_rows: int | None = None) -> np.ndarray:
    """Whether each text already appeared on an earlier row (missing: False).

    Short texts are packed into words (:func:`pack_texts`). Longer ones (e-mails) are first
    told apart by a 64-bit hash (:func:`text_hashes`): only the rows whose hash repeats are
    compared as texts. Small columns, and anything else, go through Arrow's dictionary
    encoding, which numbers the distinct texts in order of first appearance: a row repeats
    when its number is not above every number before it.

    Parameters
    ----------
    values : Arrow array or chunked array, Series or list of str
    min_table_rows : int, optional
        Below this many rows, texts are hashed as they are (default :data:`MIN_TABLE_ROWS`).

    Returns
    -------
    ndarray of bool

    Examples
    --------
    >>> repeats(["a", "b", "a", None, None], min_table_rows=0).tolist()
    [False, False, True, False, False]
    >>> repeats(["ann@alpha.example", "bob@beta.example", "ann@alpha.example"]).tolist()
    [False, False, True]
    """
    if min_table_rows is None:
        min_table_rows = MIN_TABLE_ROWS
    array = _text_array(values)
    if len(array) >= min_table_rows and _is_text(array):
        numbers = decimal_numbers(array)
        if numbers is not None:
            return _number_repeats(numbers)
        packed = pack_texts(array)
        found = _packed_repeats(packed) if packed is not None else None
        return found if found is not None else _hashed_repeats(array)
    return _dictionary_repeats(array)


def code_dtype(n_codes: int) -> np.dtype:
    """The narrowest signed integer for codes -1..n_codes-1: millions of rows read faster.

    Examples
    --------
    >>> code_dtype(0), code_dtype(127), code_dtype(128), code_dtype(40_000)
    (dtype('int8'), dtype('int8'), dtype('int16'), dtype('int32'))
    """
    for dtype in (np.int8, np.int16, np.int32):
        if n_codes <= np.iinfo(dtype).max:
            return np.dtype(dtype)
    return np.dtype(np.int64)


def dictionary_codes(values, *, narrow: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Codes 0..k-1 numbering the distinct texts in order of first appearance, and the texts.

    Arrow's dictionary encoding, chunk by chunk as read (its chunks share one numbering): no
    copy of millions of texts. Missing values get -1. The codes are int64, or with ``narrow``
    the narrowest signed integer type that holds them (one byte a row for a few channels),
    written chunk by chunk.

    Examples
    --------
    >>> codes, texts = dictionary_codes(["b", None, "a", "b"])
    >>> codes.tolist(), texts.tolist()
    ([0, -1, 1, 0], ['b', 'a'])
    >>> dictionary_codes(["b", None, "a", "b"], narrow=True)[0].dtype
    dtype('int8')
    """
    encoded = _chunks(pc.dictionary_encode(_text_array(values)))
    if not encoded:
        return np.zeros(0, np.int8 if narrow else np.int64), np.array([], dtype=object)
    texts = np.asarray(encoded[-1].dictionary.to_pylist(), dtype=object)
    dtype = code_dtype(len(texts)) if narrow else np.dtype(np.int64)
    codes = np.empty(sum(len(c) for c in encoded), dtype)
    row = 0
    for chunk in encoded:
        indices = chunk.indices if chunk.null_count == 0 else chunk.indices.fill_null(-1)
        codes[row : row + len(chunk)] = np.asarray(indices)  # fits: fewer codes than dtype holds
        row += len(chunk)
    return codes, texts


def _dictionary_repeats(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    if len(array) == 0:
        return np.zeros(0, bool)
    codes, _ = dictionary_codes(array)
    seen = np.maximum.accumulate(codes)
    return (codes >= 0) & (codes <= np.concatenate([[-1], seen[:-1]]))


def _number_repeats(numbers: np.ndarray) -> np.ndarray:
    """Whether each number (>= 0; -1: missing) appeared on an earlier row."""
    first_rows = _first_rows(numbers)
    if first_rows is None:  # too spread for a table
        return _repeated_keys(numbers, numbers >= 0, keep="first")
    first = _looked_up(first_rows, numbers)
    return (first >= 0) & (first != np.arange(len(first)))


def _packed_repeats(packed: PackedText) -> np.ndarray | None:
    if packed.matrix.shape[1] > 1:
        return None  # hashed words: let the caller compare the texts the hash groups
    read = _layout_numbers(packed)
    if read is not None:  # ids read as numbers, each once
        return _number_repeats(read[1])
    # the word is the text: repeated words are repeated texts
    return _repeated_keys(packed.word(0), packed.valid, keep="first")


def _repeated_keys(keys: np.ndarray, valid: np.ndarray, *, keep) -> np.ndarray:
    """pandas' duplicated on 64-bit keys (its integer hash table), missing rows left out."""
    if valid.all():
        return pd.Series(keys, copy=False).duplicated(keep=keep).to_numpy()
    repeated = np.zeros(len(keys), bool)
    repeated[valid] = pd.Series(keys[valid], copy=False).duplicated(keep=keep).to_numpy()
    return repeated


def text_hashes(values) -> tuple[np.ndarray, np.ndarray]:
    """A 64-bit hash of each text, over all its bytes read 8 at a time.

    Equal texts have equal hashes; different texts almost always differ (a collision is
    caught by whoever compares the texts afterwards).

    Returns
    -------
    hashes : ndarray of uint64
    valid : ndarray of bool
        False where the text is missing.

    Examples
    --------
    >>> hashes, valid = text_hashes(["ann@alpha.example", "ann@alpha.example", "a", None])
    >>> bool(hashes[0] == hashes[1]), bool(hashes[0] == hashes[2]), valid.tolist()
    (True, False, [True, True, True, False])
    """
    array = _text_array(values)
    hashes = np.zeros(len(array), np.uint64)
    valid = np.ones(len(array), bool)
    row = 0
    for chunk in _chunks(array):
        rows = slice(row, row + len(chunk))
        row += len(chunk)
        if chunk.null_count:
            valid[rows] = chunk.is_valid().to_numpy(zero_copy_only=False)
        hashes[rows] = _chunk_hashes(chunk)
    return hashes, valid


def _chunk_hashes(chunk: pa.Array) -> np.ndarray:
    offsets, data = text_buffers(chunk)
    body = np.zeros(int(offsets[-1] - offsets[0]) + 8, np.uint8)
    body[:-8] = data[offsets[0] : offsets[-1]]
    # windows[i]: the 8 bytes from byte i on (unaligned reads of the same memory, no copy)
    windows = np.ndarray((len(body) - 7,), np.uint64, body, 0, (1,))
    lengths = np.diff(offsets).astype(np.int64)
    starts = offsets[:-1] - offsets[0]
    key = lengths.astype(np.uint64) ^ _SEED
    shortest = int(lengths.min()) if len(lengths) else 0
    longest = int(lengths.max()) if len(lengths) else 0
    for start in range(0, longest, 8):  # word after word
        if start + 8 <= shortest:  # every text has the whole word
            key = _fold(key, windows[starts + start])
            continue
        left = lengths - start  # some texts end within (or before) this word
        word = windows[np.minimum(starts + start, len(windows) - 1)]
        bits = np.clip(left, 0, 7).astype(np.uint64) * np.uint64(8)
        word &= np.where(left >= 8, ~np.uint64(0), (np.uint64(1) << bits) - np.uint64(1))
        key = np.where(left > 0, _fold(key, word), key)
    return _mix(key)  # spread every bit over the whole key


def _hashed_repeats(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    keys, valid = text_hashes(array)
    # every row whose hash another row shares: compared as texts
    candidates = np.flatnonzero(_repeated_keys(keys, valid, keep=False))
    repeated = np.zeros(len(keys), bool)
    if len(candidates):
        subset = pc.take(array, pa.array(candidates))
        repeated[candidates[_dictionary_repeats(subset)]] = True
    return repeated
