"""Tests for workbook.analysis.survival: Aalen-Johansen cumulative incidence."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from workbook.analysis.survival import CumulativeIncidence, cumulative_incidence

# Published competing-risks teaching example (1 = won, 2 = lost, 0 = still open).
# Hand computation: at t=3, 7 at risk, S(1-) = 10/11, CIF = 10/11 * 2/7 = 20/77 = 0.2597;
# t=5: + 40/77 * 2/4 -> 40/77 = 0.5195; t=6: + 20/77 * 1/2 -> 50/77 = 0.6494.
EXAMPLE_TIMES = np.array([1, 5, 3, 6, 1, 3, 2, 5, 2, 3, 6], dtype=float)
EXAMPLE_EVENTS = np.array([0, 1, 1, 1, 2, 1, 0, 1, 0, 2, 2])


def _brute_force_delta_variance(
    durations: np.ndarray, events: np.ndarray, event_of_interest: int = 1
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The Marubini-Valsecchi delta-method variance, written as the double sum it is."""
    times = np.unique(durations[events > 0])
    incidence, survival_before, at_risk, d_all, d_one = [], [], [], [], []
    survival, running = 1.0, 0.0
    for t in times:
        n_j = float(np.sum(durations >= t))
        d_j = float(np.sum((durations == t) & (events > 0)))
        d1_j = float(np.sum((durations == t) & (events == event_of_interest)))
        survival_before.append(survival)
        running += survival * d1_j / n_j
        incidence.append(running)
        survival *= 1.0 - d_j / n_j
        at_risk.append(n_j)
        d_all.append(d_j)
        d_one.append(d1_j)
    variances = []
    for k in range(len(times)):
        total = 0.0
        for j in range(k + 1):
            n_j, d_j, d1_j = at_risk[j], d_all[j], d_one[j]
            a_j = d_j / (n_j * (n_j - d_j)) if n_j > d_j else 0.0
            gap = incidence[k] - incidence[j]
            total += gap**2 * a_j
            total += survival_before[j] ** 2 * d1_j * (n_j - d1_j) / n_j**3
            total -= 2.0 * gap * survival_before[j] * d1_j / n_j**2
        variances.append(total)
    return times, np.array(incidence), np.sqrt(np.maximum(variances, 0.0))


def test_cumulative_incidence_matches_published_example() -> None:
    cif = cumulative_incidence(EXAMPLE_TIMES, EXAMPLE_EVENTS)
    assert cif.time_days.tolist() == [0.0, 1.0, 3.0, 5.0, 6.0]
    assert cif.at([3, 5, 6]) == pytest.approx([0.2597, 0.5195, 0.6494], abs=5e-5)
    assert cif.at([3, 5, 6]) == pytest.approx([20 / 77, 40 / 77, 50 / 77], rel=1e-12)
    # Censorings at t=2 are at risk at t=2 and gone at t=3; the loss at t=1 is an event.
    assert cif.at_risk_count.tolist() == [11, 11, 7, 4, 2]
    assert cif.event_count.tolist() == [0, 0, 2, 2, 1]
    assert cif.competing_event_count.tolist() == [0, 1, 1, 0, 1]


def test_one_minus_kaplan_meier_overstates_the_published_example() -> None:
    # Same example, losses treated as censored: 1 - KM = 0.2857, 0.6429, 0.8214 (published),
    # checked with scipy's Kaplan-Meier.
    naive = stats.ecdf(
        stats.CensoredData(
            uncensored=EXAMPLE_TIMES[EXAMPLE_EVENTS == 1],
            right=EXAMPLE_TIMES[EXAMPLE_EVENTS != 1],
        )
    )
    assert naive.cdf.evaluate([3, 5, 6]) == pytest.approx([0.2857, 0.6429, 0.8214], abs=5e-5)
    cif = cumulative_incidence(EXAMPLE_TIMES, EXAMPLE_EVENTS)
    assert np.all(cif.at([3, 5, 6]) < naive.cdf.evaluate([3, 5, 6]))


def test_competing_event_incidence_of_published_example() -> None:
    # Lost: t=1: 1/11; t=3: + 10/11 * 1/7 = 10/77 -> 17/77; t=6: + 20/77 * 1/2 -> 27/77.
    lost = cumulative_incidence(EXAMPLE_TIMES, EXAMPLE_EVENTS, event_of_interest=2)
    assert lost.at([1, 3, 5, 6]) == pytest.approx([7 / 77, 17 / 77, 17 / 77, 27 / 77])
    won = cumulative_incidence(EXAMPLE_TIMES, EXAMPLE_EVENTS)
    # Nobody is left at risk after t=6: won + lost = 1.
    assert won.at(6) + lost.at(6) == pytest.approx(1.0)


def test_step_function_is_right_continuous_and_carried_forward() -> None:
    cif = cumulative_incidence(EXAMPLE_TIMES, EXAMPLE_EVENTS)
    assert cif.at(-1.0) == 0.0
    assert cif.at(2.999) == 0.0
    assert cif.at(3.0) == pytest.approx(20 / 77)
    assert cif.at(1000.0) == pytest.approx(50 / 77)
    assert isinstance(cif.at(3), float)
    values = cif.at(np.array([[0.0, 3.0], [5.5, np.nan]]))
    assert values.shape == (2, 2)
    assert values[0].tolist() == pytest.approx([0.0, 20 / 77])
    assert values[1, 0] == pytest.approx(40 / 77)
    assert np.isnan(values[1, 1])


def test_standard_error_matches_the_delta_method_double_sum() -> None:
    rng = np.random.default_rng(20260930)
    durations = rng.integers(0, 25, size=300).astype(float)
    events = rng.choice([0, 1, 2, 3], size=300, p=[0.3, 0.3, 0.3, 0.1])
    cif = cumulative_incidence(durations, events)
    times, incidence, standard_error = _brute_force_delta_variance(durations, events)
    assert cif.time_days.tolist() == times.tolist()  # events at t=0 exist: no extra 0 row
    assert cif.incidence == pytest.approx(incidence, rel=1e-12)
    assert cif.standard_error == pytest.approx(standard_error, rel=1e-9, abs=1e-12)

    small = cumulative_incidence(EXAMPLE_TIMES, EXAMPLE_EVENTS)
    _, _, small_se = _brute_force_delta_variance(EXAMPLE_TIMES, EXAMPLE_EVENTS)
    assert small.standard_error[1:] == pytest.approx(small_se, rel=1e-12, abs=1e-15)


def test_standard_error_reduces_to_greenwood_without_competing_events() -> None:
    # scipy's linear band on 1 - KM uses Greenwood's variance.
    rng = np.random.default_rng(3)
    durations = rng.integers(1, 40, size=250).astype(float)
    events = rng.choice([0, 1], size=250)
    cif = cumulative_incidence(durations, events)
    km = stats.ecdf(
        stats.CensoredData(uncensored=durations[events == 1], right=durations[events == 0])
    )
    band = km.cdf.confidence_interval(confidence_level=0.95, method="linear")
    assert cif.incidence == pytest.approx(km.cdf.evaluate(cif.time_days), abs=1e-12)
    assert cif.lower_linear == pytest.approx(
        np.clip(band.low.evaluate(cif.time_days), 0, 1), abs=1e-12
    )
    assert cif.upper_linear == pytest.approx(
        np.clip(band.high.evaluate(cif.time_days), 0, 1), abs=1e-12
    )


def test_standard_error_agrees_with_the_spread_over_simulated_samples() -> None:
    # Exponential cause-specific hazards 0.02 (won) and 0.01 (lost), uniform censoring on
    # [0, 100]: CIF_won(30) = (2/3)(1 - exp(-0.9)) = 0.3956.
    rng = np.random.default_rng(11)
    true_incidence = (2 / 3) * (1 - np.exp(-0.03 * 30))
    estimates, errors, covered = [], [], 0
    for _ in range(400):
        latent = rng.exponential(1 / 0.03, 300)
        kind = np.where(rng.random(300) < 2 / 3, 1, 2)
        censor = rng.uniform(0, 100, 300)
        cif = cumulative_incidence(np.minimum(latent, censor), np.where(latent <= censor, kind, 0))
        index = np.searchsorted(cif.time_days, 30.0, side="right") - 1
        estimates.append(cif.incidence[index])
        errors.append(cif.standard_error[index])
        covered += cif.lower[index] <= true_incidence <= cif.upper[index]
    assert np.mean(estimates) == pytest.approx(true_incidence, abs=0.005)
    assert np.mean(errors) == pytest.approx(np.std(estimates), rel=0.15)
    assert 0.90 <= covered / 400 <= 0.98


def test_no_censoring_gives_the_plain_empirical_proportion() -> None:
    rng = np.random.default_rng(5)
    durations = rng.integers(0, 30, size=500).astype(float)
    events = rng.choice([1, 2], size=500)
    cif = cumulative_incidence(durations, events)
    grid = np.arange(-1, 32, 0.5)
    empirical = ((durations[None, :] <= grid[:, None]) & (events == 1)).mean(axis=1)
    assert cif.at(grid) == pytest.approx(empirical, abs=1e-12)


def test_all_censored_gives_zero_incidence_and_no_median() -> None:
    cif = cumulative_incidence([3.0, 5.0, 8.0], [0, 0, 0])
    assert cif.time_days.tolist() == [0.0]
    assert cif.incidence.tolist() == [0.0]
    assert cif.at(100.0) == 0.0
    assert (cif.lower.tolist(), cif.upper.tolist()) == ([0.0], [0.0])
    assert cif.at_risk_count.tolist() == [3]
    assert cif.max_duration_days == 8.0
    assert cif.median_time_days(horizon_days=365) is None


def test_empty_input_gives_zero_incidence() -> None:
    cif = cumulative_incidence([], [])
    assert cif.time_days.tolist() == [0.0]
    assert cif.incidence.tolist() == [0.0]
    assert cif.at_risk_count.tolist() == [0]


def test_only_competing_events_give_zero_incidence() -> None:
    cif = cumulative_incidence([1.0, 2.0, 2.0], [2, 3, 0])
    assert cif.incidence.tolist() == [0.0, 0.0, 0.0]
    assert cif.competing_event_count.tolist() == [0, 1, 1]


def test_band_contains_estimate_and_stays_in_unit_interval() -> None:
    cif = cumulative_incidence(EXAMPLE_TIMES, EXAMPLE_EVENTS)
    for lower, upper in ((cif.lower, cif.upper), (cif.lower_linear, cif.upper_linear)):
        assert np.all((lower >= 0) & (upper <= 1))
        assert np.all((lower <= cif.incidence) & (cif.incidence <= upper))
    # The Wald band leaves [0, 1] at t=3 (0.2597 - 1.96 * 0.157 < 0) and is clipped; the
    # log(-log) band does not need to be.
    assert cif.lower_linear[2] == 0.0
    assert 0.0 < cif.lower[2] < cif.incidence[2]


def test_band_narrows_as_the_sample_grows() -> None:
    small = cumulative_incidence(EXAMPLE_TIMES, EXAMPLE_EVENTS)
    large = cumulative_incidence(np.tile(EXAMPLE_TIMES, 10), np.tile(EXAMPLE_EVENTS, 10))
    assert large.incidence == pytest.approx(small.incidence)
    # Every term of the delta-method variance scales as 1/n when the data are replicated.
    assert large.standard_error == pytest.approx(small.standard_error / np.sqrt(10))
    interior = (small.incidence > 0) & (small.incidence < 1)
    assert np.all((large.upper - large.lower)[interior] < (small.upper - small.lower)[interior])


def test_wider_confidence_level_gives_wider_band() -> None:
    narrow = cumulative_incidence(EXAMPLE_TIMES, EXAMPLE_EVENTS, confidence_level=0.8)
    wide = cumulative_incidence(EXAMPLE_TIMES, EXAMPLE_EVENTS, confidence_level=0.99)
    interior = (narrow.incidence > 0) & (narrow.incidence < 1)
    assert np.all(wide.lower[interior] < narrow.lower[interior])
    assert np.all(wide.upper[interior] > narrow.upper[interior])


def test_median_time_on_hand_cases() -> None:
    # Four leads converting at days 1..4: CIF 0.25, 0.5, 0.75, 1.0; CIF(2) = 0.5 reaches half.
    steady = cumulative_incidence([1, 2, 3, 4], [1, 1, 1, 1])
    assert steady.median_time_days(horizon_days=365) == 2.0
    assert steady.median_time_days(horizon_days=1) == 1.0  # CIF(1)/2 = 0.125 -> day 1
    assert steady.median_time_days(horizon_days=0.5) is None
    assert steady.quantile_time_days(0.75, horizon_days=365) == 3.0
    assert steady.quantile_time_days(1.0, horizon_days=365) == 4.0

    example = cumulative_incidence(EXAMPLE_TIMES, EXAMPLE_EVENTS)
    # CIF(6) = 50/77: half 25/77 is first reached at t=5 (40/77); 90% (45/77) at t=6.
    assert example.median_time_days(horizon_days=365) == 5.0
    assert example.quantile_time_days(0.9, horizon_days=365) == 6.0
    # Horizon 4: CIF(4) = 20/77, all of it reached at t=3.
    assert example.median_time_days(horizon_days=4) == 3.0
    assert example.median_time_days(horizon_days=np.inf) == 5.0


def test_quantile_rejects_out_of_range_share() -> None:
    cif = cumulative_incidence(EXAMPLE_TIMES, EXAMPLE_EVENTS)
    with pytest.raises(ValueError, match="quantile"):
        cif.quantile_time_days(0.0, horizon_days=10)
    with pytest.raises(ValueError, match="quantile"):
        cif.quantile_time_days(1.5, horizon_days=10)


def test_events_at_time_zero_are_counted_in_the_first_row() -> None:
    cif = cumulative_incidence([0.0, 0.0, 1.0, 2.0], [1, 0, 1, 2])
    assert cif.time_days.tolist() == [0.0, 1.0, 2.0]
    # t=0: 1 of 4 converted (the one censored at 0 was at risk); t=1: 2 at risk,
    # + S(0) * 1/2 = 3/4 * 1/2 -> 0.625; t=2: the loss.
    assert cif.incidence.tolist() == pytest.approx([0.25, 0.625, 0.625])
    assert cif.at_risk_count.tolist() == [4, 2, 1]


def test_invalid_inputs_are_rejected() -> None:
    with pytest.raises(ValueError, match=">= 0"):
        cumulative_incidence([-1.0, 2.0], [1, 0])
    with pytest.raises(ValueError, match="finite"):
        cumulative_incidence([np.nan, 2.0], [1, 0])
    with pytest.raises(ValueError, match="length"):
        cumulative_incidence([1.0, 2.0], [1])
    with pytest.raises(ValueError, match="integer"):
        cumulative_incidence([1.0, 2.0], [1.5, 0])
    with pytest.raises(ValueError, match="codes"):
        cumulative_incidence([1.0, 2.0], [-1, 0])
    with pytest.raises(ValueError, match="event_of_interest"):
        cumulative_incidence([1.0], [1], event_of_interest=0)
    with pytest.raises(ValueError, match="confidence_level"):
        cumulative_incidence([1.0], [1], confidence_level=1.0)


def test_result_is_immutable_and_to_dict_is_plain_json() -> None:
    cif = cumulative_incidence(EXAMPLE_TIMES, EXAMPLE_EVENTS)
    assert isinstance(cif, CumulativeIncidence)
    with pytest.raises(ValueError):
        cif.incidence[0] = 1.0
    payload = cif.to_dict()
    assert json.loads(json.dumps(payload, allow_nan=False)) == payload
    assert payload["incidence"][2] == pytest.approx(20 / 77)
    assert payload["at_risk_count"] == [11, 11, 7, 4, 2]
    assert all(type(x) is float for x in payload["upper"])
    assert all(type(x) is int for x in payload["at_risk_count"])


competing_risks_data = st.lists(
    st.tuples(st.integers(0, 15), st.integers(0, 3)), min_size=1, max_size=60
)


@settings(max_examples=150, deadline=None)
@given(competing_risks_data)
def test_incidence_properties_hold_for_any_data(rows: list[tuple[int, int]]) -> None:
    durations = np.array([r[0] for r in rows], dtype=float)
    events = np.array([r[1] for r in rows])
    won = cumulative_incidence(durations, events, event_of_interest=1)
    lost = cumulative_incidence(durations, events, event_of_interest=2)
    other = cumulative_incidence(durations, events, event_of_interest=3)
    for cif in (won, lost, other):
        assert np.all(np.diff(cif.incidence) >= -1e-15)
        assert np.all((cif.incidence >= 0) & (cif.incidence <= 1))
        assert np.all((cif.lower >= 0) & (cif.lower <= cif.incidence))
        assert np.all((cif.upper <= 1) & (cif.upper >= cif.incidence))
        assert np.all((cif.lower_linear <= cif.incidence) & (cif.upper_linear >= cif.incidence))
        assert np.all(np.isfinite(cif.standard_error))
    grid = np.arange(0, 17, dtype=float)
    total = won.at(grid) + lost.at(grid)
    assert np.all(total <= 1 + 1e-12)
    # The CIFs of all event types add up to 1 - all-cause Kaplan-Meier.
    any_event = events > 0
    all_cause = stats.ecdf(
        stats.CensoredData(uncensored=durations[any_event], right=durations[~any_event])
    )
    assert total + other.at(grid) == pytest.approx(all_cause.cdf.evaluate(grid), abs=1e-12)


def test_a_million_rows_with_equal_hazards_split_evenly() -> None:
    # speed is measured by bench/bench_kpis.py, never asserted here
    rng = np.random.default_rng(1)
    durations = np.round(rng.exponential(60.0, 1_000_000))
    events = rng.choice([0, 1, 2], size=1_000_000)
    cif = cumulative_incidence(durations, events)
    assert cif.at(np.inf) == pytest.approx(0.5, abs=0.01)  # equal hazards, no early end
