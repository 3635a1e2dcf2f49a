"""Text columns and ids: the dtype they are read as, keys, and matching ids between files.

Every helper is one library call (pandas' text methods, :func:`pyarrow.compute.index_in`,
:func:`pyarrow.compute.is_in`); analyses use them to match ids the way validation did.

See Also
--------
workbook.intake.validate.validate_files : matches touches and opportunities to leads.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: pandas' default text dtype (Arrow-backed, NaN for missing), what CSV columns are read as.
TEXT_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)


def as_text(series: pd.Series) -> pd.Series:
    """A column as pandas' text dtype (already text from CSV; typed from xlsx or Parquet).

    Examples
    --------
    >>> as_text(pd.Series([7, None], dtype=object)).tolist()
    ['7', nan]
    """
    if series.dtype == TEXT_DTYPE:
        return series
    return series.astype(TEXT_DTYPE).where(series.notna())


def arrow_text(
    values: pd.Series | pd.Index | Sequence[str | None],
) -> pa.Array | pa.ChunkedArray:
    """Values as Arrow text, as pandas holds them (a text column is not copied)."""
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    return pa.array(as_text(series))


def normalise_key(value: str) -> str | None:
    """``" Paid Search "`` -> ``"paid_search"``; empty -> None.

    Examples
    --------
    >>> normalise_key(" Paid-Search "), normalise_key("  ")
    ('paid_search', None)
    """
    key = "_".join(str(value).strip().lower().replace("-", " ").split())
    return key or None


def normalise_header(name: str) -> str:
    """Header to contract form: ``" Lead ID "`` -> ``lead_id``.

    Examples
    --------
    >>> normalise_header(" Created At ")
    'created_at'
    """
    return normalise_key(name) or ""


def positions_in(
    ids: pd.Series | pd.Index | Sequence[str | None],
    keys: pd.Series | pd.Index | Sequence[str | None],
) -> np.ndarray:
    """Row of each of ``keys`` in ``ids`` (its first row), -1 where absent or missing.

    :func:`pyarrow.compute.index_in` with ``ids`` as the value set. Categorical ``keys`` (the
    validated touches' ``lead_id``) are matched by their categories, each once, and their codes
    give every key's row.

    Examples
    --------
    >>> positions_in(["a", "b", "a"], ["b", None, "z", "a"]).tolist()
    [1, -1, -1, 0]
    >>> positions_in(["a", "b"], pd.Categorical(["b", None, "a", "b"])).tolist()
    [1, -1, 0, 1]
    """
    if isinstance(getattr(keys, "dtype", None), pd.CategoricalDtype):
        coded = pd.Series(keys).cat
        rows = np.append(positions_in(ids, coded.categories), -1)  # code -1 (missing) -> -1
        return rows[coded.codes.to_numpy(np.int64)]
    found = pc.index_in(arrow_text(keys), value_set=arrow_text(ids), skip_nulls=True)
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64, copy=False)


def is_in(series: pd.Series, values: pd.Series | pd.Index | Sequence[str | None]) -> np.ndarray:
    """Whether each value of ``series`` is among ``values`` (missing -> False).

    :func:`pyarrow.compute.is_in` (pandas' ``isin`` takes seconds on millions of texts).

    Examples
    --------
    >>> is_in(pd.Series(["a", None, "c", "a"]), ["a", "b"]).tolist()
    [True, False, False, True]
    """
    found = pc.is_in(arrow_text(series), value_set=arrow_text(values), skip_nulls=True)
    return found.to_numpy(zero_copy_only=False)
