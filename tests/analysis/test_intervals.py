"""Tests for workbook.analysis.intervals: Wilson intervals and the normal quantile of every band."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from workbook.analysis.intervals import proportion_interval, proportion_intervals, two_sided_z


def test_wilson_interval_matches_known_values() -> None:
    # 8 of 10 at 95%: (0.4902, 0.9433), the textbook Wilson example.
    assert proportion_interval(8, 10) == pytest.approx((0.4902, 0.9433), abs=5e-5)
    # Newcombe (1998), Stat Med 17:857-872, Table I/II, method 3 (score, no continuity
    # correction): 81/263 -> 0.2553-0.3662, 15/148 -> 0.0624-0.1605, 0/20 -> 0-0.1611,
    # 1/29 -> 0.0061-0.1718.
    lower, upper = proportion_intervals([81, 15, 0, 1], [263, 148, 20, 29])
    assert lower == pytest.approx([0.2553, 0.0624, 0.0, 0.0061], abs=5e-5)
    assert upper == pytest.approx([0.3662, 0.1605, 0.1611, 0.1718], abs=5e-5)
    assert proportion_interval(0, 0) == (None, None)


def test_vectorised_wilson_agrees_with_scipy() -> None:
    trials = np.repeat(np.arange(1, 41), 3)
    successes = (trials * np.tile([0.0, 0.37, 1.0], 40)).astype(int)
    for level in (0.8, 0.95, 0.99):
        lower, upper = proportion_intervals(successes, trials, confidence_level=level)
        expected = np.array(
            [
                proportion_interval(k, n, confidence_level=level)
                for k, n in zip(successes, trials, strict=True)
            ]
        )
        assert lower == pytest.approx(expected[:, 0], abs=1e-12)
        assert upper == pytest.approx(expected[:, 1], abs=1e-12)


def test_vectorised_wilson_marks_empty_groups_nan() -> None:
    lower, upper = proportion_intervals(np.array([[0, 3]]), np.array([[0, 4]]))
    assert lower.shape == (1, 2)
    assert np.isnan(lower[0, 0]) and np.isnan(upper[0, 0])
    assert (lower[0, 1], upper[0, 1]) == pytest.approx(proportion_interval(3, 4))


def test_proportion_interval_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError):
        proportion_interval(5, 4)
    with pytest.raises(ValueError):
        proportion_intervals([5], [4])


@given(level=st.floats(min_value=1e-6, max_value=1 - 1e-9))
@settings(max_examples=200, deadline=None)
def test_the_interval_quantile_is_scipys_normal_quantile(level: float) -> None:
    # from the standard library (scipy.special's import costs a fifth of a second)
    expected = stats.norm.ppf(0.5 + level / 2.0)
    assert two_sided_z(level) == pytest.approx(expected, rel=1e-14, abs=1e-15)
