"""Numbers as JSON holds them, and arrays frozen for frozen results.

One helper for every ``to_dict`` of the analyses: a missing or non-finite number is ``null``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd


def finite_or_none(value: object) -> float | None:
    """A JSON number: None for missing or non-finite values, a Python float otherwise.

    Examples
    --------
    >>> finite_or_none(0.25), finite_or_none(float("nan")), finite_or_none(None)
    (0.25, None, None)
    """
    if value is None or value is pd.NA:
        return None
    number = float(value)  # type: ignore[arg-type]
    return number if math.isfinite(number) else None


def finite_list(values: Iterable[float] | np.ndarray) -> list[float | None]:
    """:func:`finite_or_none` of each value.

    Examples
    --------
    >>> finite_list(np.array([1.0, np.inf, np.nan]))
    [1.0, None, None]
    """
    return [finite_or_none(v) for v in np.asarray(values, dtype=float).tolist()]


def rounded_or_none(value: object, digits: int = 4) -> float | None:
    """:func:`finite_or_none`, rounded to ``digits`` decimals.

    Examples
    --------
    >>> rounded_or_none(0.123456), rounded_or_none(float("nan"))
    (0.1235, None)
    """
    number = finite_or_none(value)
    return None if number is None else round(number, digits)


def json_scalar(value: Any) -> Any:
    """A cell as JSON holds it: Python bool, int or finite float; None for missing values.

    Anything else (text, dates) is returned as it is.

    Examples
    --------
    >>> json_scalar(np.int64(3)), json_scalar(np.bool_(True)), json_scalar(np.nan)
    (3, True, None)
    """
    if value is None or value is pd.NA:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return finite_or_none(value)
    return value


def json_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts of :func:`json_scalar` cells.

    Examples
    --------
    >>> json_records(pd.DataFrame({"channel": ["seo"], "cost": [np.nan]}))
    [{'channel': 'seo', 'cost': None}]
    """
    return [{k: json_scalar(v) for k, v in row.items()} for row in frame.to_dict("records")]


def json_fields(record: Any) -> dict[str, Any]:
    """A dataclass of scalars as a JSON object: each field, in order, through :func:`json_scalar`.

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class Ratio:
    ...     ratio: float
    ...     count: int
    >>> json_fields(Ratio(float("inf"), np.int64(2)))
    {'ratio': None, 'count': 2}
    """
    return {f.name: json_scalar(getattr(record, f.name)) for f in dataclasses.fields(record)}


def read_only(*arrays: np.ndarray | None) -> None:
    """Make each array (None is skipped) read-only, as a frozen result's arrays are."""
    for array in arrays:
        if array is not None:
            array.setflags(write=False)


__all__ = [
    "finite_list",
    "finite_or_none",
    "json_fields",
    "json_records",
    "json_scalar",
    "read_only",
    "rounded_or_none",
]
