"""Numbers as JSON holds them: one helper for every ``to_dict`` of the analyses."""

from __future__ import annotations

import math

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
