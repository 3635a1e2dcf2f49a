"""Evidence grades: the count and interval a headline figure rests on, as a plain tag."""

import math

import pytest

from workbook.analysis.evidence import MIN_COUNT, SOLID_COUNT, evidence_grade


@pytest.mark.parametrize(
    ("count", "bounds", "value", "rate", "grade"),
    [
        (1200, (0.21, 0.25), 0.23, True, "solid"),  # +-2 points on 1,200
        (1200, (0.10, 0.36), 0.23, True, "indicative"),  # +-13 points
        (1200, (0.02, 0.40), 0.23, True, "too_little_data"),  # +-19 points: says little
        (SOLID_COUNT - 1, (0.22, 0.24), 0.23, True, "indicative"),  # narrow, but few
        (MIN_COUNT - 1, (0.22, 0.24), 0.23, True, "too_little_data"),
        (None, (None, None), 0.23, True, "too_little_data"),
        (500, (None, None), 12000.0, False, "solid"),  # no interval: the count decides
        (50, (None, None), 12000.0, False, "indicative"),
        (500, (9000.0, 15000.0), 12000.0, False, "solid"),  # +-25%
        (500, (6000.0, 18000.0), 12000.0, False, "indicative"),  # +-50%
        (500, (2000.0, 22000.0), 12000.0, False, "too_little_data"),  # +-83%
        (500, (11000.0, 13000.0), math.nan, False, "too_little_data"),  # no figure
    ],
)
def test_grade_follows_count_and_interval(count, bounds, value, rate, grade):
    low, high = bounds
    assert evidence_grade(count, low=low, high=high, value=value, rate=rate) == grade
