"""How much a headline figure can be trusted: its evidence grade.

Every headline figure carries the count it rests on and, when it has one, its interval; the
grade turns them into a plain tag that the reports' wording follows:

- ``too_little_data``: fewer than :data:`MIN_COUNT` records, or an interval so wide the
  figure says little (a rate's half-width above :data:`INDICATIVE_RATE_HALF_WIDTH`, another
  figure's relative half-width above :data:`INDICATIVE_RELATIVE_HALF_WIDTH`). The reports show
  the figure but recommend nothing on it.
- ``solid``: at least :data:`SOLID_COUNT` records and a narrow interval (a rate within
  :data:`SOLID_RATE_HALF_WIDTH` either side, another figure within
  :data:`SOLID_RELATIVE_HALF_WIDTH` of its value), or no interval and at least
  :data:`SOLID_COUNT` records.
- ``indicative``: everything in between: a direction, to be confirmed.

Examples
--------
>>> evidence_grade(1200, low=0.21, high=0.25, value=0.23, rate=True)
'solid'
>>> evidence_grade(60, low=0.10, high=0.32, value=0.2, rate=True)
'indicative'
>>> evidence_grade(12, value=0.5, rate=True)
'too_little_data'
"""

from __future__ import annotations

import math

#: Fewer records than this: too little data, whatever the interval.
MIN_COUNT = 30
#: At least this many records (and a narrow interval) make a figure solid.
SOLID_COUNT = 100
#: A rate whose interval stays within this many points (as a fraction) either side is solid...
SOLID_RATE_HALF_WIDTH = 0.05
#: ...and beyond this many, too uncertain to act on.
INDICATIVE_RATE_HALF_WIDTH = 0.15
#: Another figure (money, days, ratio) within this share of its value either side is solid...
SOLID_RELATIVE_HALF_WIDTH = 0.25
#: ...and beyond this share, too uncertain to act on.
INDICATIVE_RELATIVE_HALF_WIDTH = 0.75

GRADES = ("solid", "indicative", "too_little_data")


def _finite(value: float | None) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def evidence_grade(
    count: int | None,
    *,
    low: float | None = None,
    high: float | None = None,
    value: float | None = None,
    rate: bool = False,
) -> str:
    """The grade of a figure from its count and interval (rules in the module docstring).

    Parameters
    ----------
    count : int or None
        Records the figure rests on (for a rate, its denominator); None counts as none.
    low, high : float, optional
        The figure's interval; missing bounds mean it has none.
    value : float, optional
        The figure, for the relative width of a figure that is not a rate.
    rate : bool
        The figure is a rate (a fraction 0..1): its interval is judged in points.

    Returns
    -------
    str
        One of :data:`GRADES`.
    """
    if count is None or count < MIN_COUNT or (value is not None and not _finite(value)):
        return "too_little_data"
    if not (_finite(low) and _finite(high)):
        return "solid" if count >= SOLID_COUNT else "indicative"
    half_width = (float(high) - float(low)) / 2
    if not rate:
        if not _finite(value) or value == 0:
            return "indicative"
        half_width /= abs(float(value))
        solid, indicative = SOLID_RELATIVE_HALF_WIDTH, INDICATIVE_RELATIVE_HALF_WIDTH
    else:
        solid, indicative = SOLID_RATE_HALF_WIDTH, INDICATIVE_RATE_HALF_WIDTH
    if half_width > indicative:
        return "too_little_data"
    if count >= SOLID_COUNT and half_width <= solid:
        return "solid"
    return "indicative"


__all__ = [
    "GRADES",
    "INDICATIVE_RATE_HALF_WIDTH",
    "INDICATIVE_RELATIVE_HALF_WIDTH",
    "MIN_COUNT",
    "SOLID_COUNT",
    "SOLID_RATE_HALF_WIDTH",
    "SOLID_RELATIVE_HALF_WIDTH",
    "evidence_grade",
]
