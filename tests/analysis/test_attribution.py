"""Tests for workbook.analysis.attribution: rule-based and Markov removal-effect channel attribution."""

from __future__ import annotations

from random import Random

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.analysis.attribution import ATTRIBUTION_MODELS, attribute, touch_order


def _touches(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    lead_ids, days, channels = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "lead_id": lead_ids,
            "touched_at": pd.to_datetime(list(days), format="ISO8601"),
            "channel": channels,
        }
    )


def _credit(
    model: str, touches: pd.DataFrame, outcomes: pd.Series | pd.DataFrame, **options: float
) -> pd.DataFrame:
    """One model's columns of :func:`attribute`, without the ``<model>_`` prefix."""
    credit = attribute(touches, outcomes, models=[model], **options)
    return credit.rename(columns=lambda column: column.removeprefix(f"{model}_"))


# Hand case. a: webinar > event > email > paid_search (won 1000), b: event > webinar (won 500),
# c: seo (won 200), d: webinar (not converted).
HAND_TOUCHES = _touches(
    [
        ("a", "2026-01-01", "webinar"),
        ("a", "2026-01-05", "event"),
        ("a", "2026-01-09", "email"),
        ("a", "2026-01-20", "paid_search"),
        ("b", "2026-02-01", "event"),
        ("b", "2026-02-03 10:00", "webinar"),
        ("c", "2026-03-01", "seo"),
        ("d", "2026-03-02", "webinar"),
    ]
)
HAND_OUTCOMES = pd.DataFrame(
    {
        "lead_id": ["a", "b", "c", "d"],
        "converted": [True, True, True, False],
        "revenue": [1000.0, 500.0, 200.0, 0.0],
    }
)
CHANNELS = ["email", "event", "paid_search", "seo", "webinar"]

# Markov example: C1 > C2 > C3 converts, C1 does not, C2 > C3 does not.
MARKOV_TOUCHES = _touches(
    [
        ("a", "2026-01-01", "C1"),
        ("a", "2026-01-02", "C2"),
        ("a", "2026-01-03", "C3"),
        ("b", "2026-01-01", "C1"),
        ("c", "2026-01-01", "C2"),
        ("c", "2026-01-02", "C3"),
    ]
)
MARKOV_OUTCOMES = pd.Series({"a": True, "b": False, "c": False})


def test_first_touch_credits_each_converted_lead_to_its_earliest_channel() -> None:
    credit = _credit("first_touch", HAND_TOUCHES, HAND_OUTCOMES)
    assert credit.index.tolist() == CHANNELS
    # a -> webinar, b -> event, c -> seo; d did not convert.
    assert credit["converted"].tolist() == [0.0, 1.0, 0.0, 1.0, 1.0]
    assert credit["revenue"].tolist() == [0.0, 500.0, 0.0, 200.0, 1000.0]


def test_last_touch_credits_each_converted_lead_to_its_latest_channel() -> None:
    credit = _credit("last_touch", HAND_TOUCHES, HAND_OUTCOMES)
    # a -> paid_search, b -> webinar, c -> seo.
    assert credit["converted"].tolist() == [0.0, 0.0, 1.0, 1.0, 1.0]
    assert credit["revenue"].tolist() == [0.0, 0.0, 1000.0, 200.0, 500.0]


def test_linear_splits_each_converted_lead_evenly() -> None:
    credit = _credit("linear", HAND_TOUCHES, HAND_OUTCOMES)
    # a: 1/4 each of 4 channels; b: 1/2 event, 1/2 webinar; c: seo.
    assert credit["converted"].tolist() == pytest.approx([0.25, 0.75, 0.25, 1.0, 0.75])
    assert credit["revenue"].tolist() == pytest.approx([250.0, 500.0, 250.0, 200.0, 500.0])


def test_position_based_gives_40_20_40_and_handles_one_and_two_touches() -> None:
    credit = _credit("position_based", HAND_TOUCHES, HAND_OUTCOMES)
    # a: webinar 0.4, event 0.1, email 0.1, paid_search 0.4; b: 0.5 / 0.5; c: seo 1.
    assert credit["converted"].tolist() == pytest.approx([0.1, 0.6, 0.4, 1.0, 0.9])
    assert credit["revenue"].tolist() == pytest.approx([100.0, 350.0, 400.0, 200.0, 650.0])


def test_position_based_with_custom_shares() -> None:
    credit = _credit("position_based", HAND_TOUCHES, HAND_OUTCOMES, first_share=0.6, last_share=0.2)
    # a: webinar 0.6, event 0.1, email 0.1, paid_search 0.2; b (two touches, rescaled
    # 0.6:0.2): event 0.75, webinar 0.25; c: seo 1.
    assert credit["converted"].tolist() == pytest.approx([0.1, 0.85, 0.2, 1.0, 0.85])
    with pytest.raises(ValueError, match="first_share"):
        _credit("position_based", HAND_TOUCHES, HAND_OUTCOMES, first_share=0.7, last_share=0.5)
    with pytest.raises(ValueError, match="first_share"):
        _credit("position_based", HAND_TOUCHES, HAND_OUTCOMES, first_share=0.0, last_share=0.0)


def test_markov_removal_effect_matches_the_textbook_example() -> None:
    # P(conv) = 2/3 * 1/2 * 1 * 1/2 + 1/3 * 1 * 1/2 = 1/3. Without C1: 1/6 -> effect 0.5;
    # without C2 or C3: 0 -> effect 1. Normalised: 0.2, 0.4, 0.4.
    credit = _credit("markov", MARKOV_TOUCHES, MARKOV_OUTCOMES)
    assert credit.index.tolist() == ["C1", "C2", "C3"]
    assert credit["removal_effect"].tolist() == pytest.approx([0.5, 1.0, 1.0])
    assert credit["converted"].tolist() == pytest.approx([0.2, 0.4, 0.4])
    assert "revenue" not in credit.columns


def test_markov_handles_a_path_that_revisits_a_channel() -> None:
    # A > B > A converts, B does not. start: A 1/2, B 1/2; A: B 1/2, conv 1/2; B: A 1/2,
    # null 1/2. p_A = 2/3, p_B = 1/3, P = 1/2. Without A: 0 (effect 1); without B:
    # p_A = 1/2, P = 1/4 (effect 1/2). Credit 2/3, 1/3.
    touches = _touches(
        [
            ("x", "2026-01-01", "A"),
            ("x", "2026-01-02", "B"),
            ("x", "2026-01-03", "A"),
            ("y", "2026-01-01", "B"),
        ]
    )
    outcomes = pd.DataFrame({"lead_id": ["x", "y"], "converted": [True, False]})
    credit = _credit("markov", touches, outcomes)
    assert credit["removal_effect"].tolist() == pytest.approx([1.0, 0.5])
    assert credit["converted"].tolist() == pytest.approx([2 / 3, 1 / 3])


def test_markov_collapses_consecutive_repeats_but_linear_counts_them() -> None:
    repeated = _touches(
        [
            ("a", "2026-01-01", "C1"),
            ("a", "2026-01-02", "C1"),
            ("a", "2026-01-03", "C2"),
            ("a", "2026-01-04", "C2"),
            ("a", "2026-01-05", "C3"),
            ("b", "2026-01-01", "C1"),
            ("b", "2026-01-02", "C1"),
            ("c", "2026-01-01", "C2"),
            ("c", "2026-01-02", "C3"),
        ]
    )
    expected = _credit("markov", MARKOV_TOUCHES, MARKOV_OUTCOMES)
    got = _credit("markov", repeated, MARKOV_OUTCOMES)
    pd.testing.assert_frame_equal(got, expected)
    # Linear: a's five touches earn 1/5 each: C1 2/5, C2 2/5, C3 1/5.
    assert _credit("linear", repeated, MARKOV_OUTCOMES)["converted"].tolist() == pytest.approx(
        [0.4, 0.4, 0.2]
    )


def test_markov_credits_revenue_by_the_same_shares() -> None:
    outcomes = pd.DataFrame(
        {"lead_id": ["a", "b", "c"], "converted": [True, False, False], "revenue": [900.0, 5, 7]}
    )
    credit = _credit("markov", MARKOV_TOUCHES, outcomes)
    # Only the converted lead's revenue is shared: 0.2, 0.4, 0.4 of 900.
    assert credit["revenue"].tolist() == pytest.approx([180.0, 360.0, 360.0])


def test_attribute_puts_every_model_side_by_side() -> None:
    result = attribute(HAND_TOUCHES, HAND_OUTCOMES)
    assert result.index.name == "channel"
    assert result.index.tolist() == CHANNELS
    assert result.columns.tolist() == [f"{m}_converted" for m in ATTRIBUTION_MODELS] + [
        f"{m}_revenue" for m in ATTRIBUTION_MODELS
    ] + ["markov_removal_effect"]
    assert result["linear_converted"].tolist() == pytest.approx([0.25, 0.75, 0.25, 1.0, 0.75])
    assert result["position_based_revenue"].tolist() == pytest.approx(
        [100.0, 350.0, 400.0, 200.0, 650.0]
    )
    for model in ATTRIBUTION_MODELS:
        assert result[f"{model}_converted"].sum() == pytest.approx(3.0)
        assert result[f"{model}_revenue"].sum() == pytest.approx(1700.0)
    pd.testing.assert_series_equal(
        result["markov_removal_effect"],
        _credit("markov", HAND_TOUCHES, HAND_OUTCOMES)["removal_effect"],
        check_names=False,
    )


def test_rule_models_alone_give_what_they_give_beside_markov() -> None:
    # without Markov only the converted leads' touches are sorted
    rules = [m for m in ATTRIBUTION_MODELS if m != "markov"]
    alone = attribute(HAND_TOUCHES, HAND_OUTCOMES, models=rules)
    beside = attribute(HAND_TOUCHES, HAND_OUTCOMES)
    pd.testing.assert_frame_equal(alone, beside[alone.columns])


def test_attribute_with_chosen_models_and_no_revenue() -> None:
    outcomes = HAND_OUTCOMES.drop(columns="revenue")
    result = attribute(HAND_TOUCHES, outcomes, models=("last_touch", "first_touch"))
    assert result.columns.tolist() == ["last_touch_converted", "first_touch_converted"]
    assert result["last_touch_converted"].tolist() == [0.0, 0.0, 1.0, 1.0, 1.0]
    ignored = attribute(HAND_TOUCHES, HAND_OUTCOMES, models=["linear"], revenue_col=None)
    assert ignored.columns.tolist() == ["linear_converted"]
    with pytest.raises(ValueError, match="unknown attribution model"):
        attribute(HAND_TOUCHES, HAND_OUTCOMES, models=["time_decay"])


def test_unordered_input_gives_the_same_result_as_ordered() -> None:
    shuffled = HAND_TOUCHES.sample(frac=1.0, random_state=7).reset_index(drop=True)
    assert shuffled["lead_id"].tolist() != HAND_TOUCHES["lead_id"].tolist()
    reordered_outcomes = HAND_OUTCOMES.iloc[::-1].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        attribute(shuffled, reordered_outcomes), attribute(HAND_TOUCHES, HAND_OUTCOMES)
    )


def test_simultaneous_touches_are_ordered_by_channel_name() -> None:
    touches = _touches([("a", "2026-01-01", "webinar"), ("a", "2026-01-01", "event")])
    outcomes = pd.Series({"a": True})
    assert _credit("first_touch", touches, outcomes)["converted"].tolist() == [1.0, 0.0]
    assert _credit("last_touch", touches, outcomes)["converted"].tolist() == [0.0, 1.0]


def test_leads_without_touches_are_ignored_and_unknown_leads_did_not_convert() -> None:
    outcomes = pd.concat(
        [
            HAND_OUTCOMES,
            pd.DataFrame({"lead_id": ["z"], "converted": [True], "revenue": [99999.0]}),
        ],
        ignore_index=True,
    )
    with_untouched = attribute(HAND_TOUCHES, outcomes)
    pd.testing.assert_frame_equal(with_untouched, attribute(HAND_TOUCHES, HAND_OUTCOMES))
    # Lead "a" missing from the outcomes: its touches stay in the Markov paths, not converted.
    without_a = attribute(HAND_TOUCHES, HAND_OUTCOMES[HAND_OUTCOMES["lead_id"] != "a"])
    assert without_a["first_touch_converted"].tolist() == [0.0, 1.0, 0.0, 1.0, 0.0]
    assert without_a["markov_converted"].sum() == pytest.approx(2.0)


def test_no_conversion_gives_zero_credit_and_undefined_removal_effects() -> None:
    outcomes = pd.Series({"a": False, "b": False, "c": False})
    result = attribute(MARKOV_TOUCHES, outcomes)
    converted = [f"{m}_converted" for m in ATTRIBUTION_MODELS]
    assert (result[converted].to_numpy() == 0.0).all()
    assert result["markov_removal_effect"].isna().all()


def test_empty_touches_give_an_empty_frame() -> None:
    empty = HAND_TOUCHES.iloc[:0]
    result = attribute(empty, HAND_OUTCOMES)
    assert len(result) == 0
    assert "markov_converted" in result.columns


def test_missing_converted_and_revenue_values_count_as_false_and_zero() -> None:
    outcomes = pd.DataFrame(
        {
            "lead_id": ["a", "b", "c"],
            "converted": pd.array([True, None, True], dtype="boolean"),
            "revenue": [np.nan, 10.0, 20.0],
        }
    )
    result = attribute(MARKOV_TOUCHES, outcomes, models=["first_touch"])
    # a (C1, no revenue) and c (C2, 20) converted; b's unknown outcome is not a conversion.
    assert result["first_touch_converted"].tolist() == [1.0, 1.0, 0.0]
    assert result["first_touch_revenue"].tolist() == [0.0, 20.0, 0.0]


def test_numeric_touch_order_and_custom_column_names() -> None:
    touches = pd.DataFrame(
        {"who": ["a", "a", "b"], "step": [2, 1, 1], "medium": ["event", "webinar", "event"]}
    )
    outcomes = pd.DataFrame({"who": ["a", "b"], "won": [True, True], "amount": [10.0, 30.0]})
    result = attribute(
        touches,
        outcomes,
        models=["first_touch"],
        lead_id_col="who",
        touched_at_col="step",
        channel_col="medium",
        converted_col="won",
        revenue_col="amount",
    )
    assert result["first_touch_converted"].tolist() == [1.0, 1.0]
    assert result["first_touch_revenue"].tolist() == [30.0, 10.0]


def test_invalid_frames_are_rejected_with_the_column_named() -> None:
    with pytest.raises(ValueError, match="channel"):
        attribute(HAND_TOUCHES.drop(columns="channel"), HAND_OUTCOMES)
    with pytest.raises(ValueError, match="converted"):
        attribute(HAND_TOUCHES, HAND_OUTCOMES.drop(columns="converted"))
    broken = HAND_TOUCHES.copy()
    broken.loc[3, "touched_at"] = pd.NaT
    with pytest.raises(ValueError, match=r"touched_at.*\[4\]"):
        attribute(broken, HAND_OUTCOMES)
    duplicated = pd.concat([HAND_OUTCOMES, HAND_OUTCOMES.iloc[:1]], ignore_index=True)
    with pytest.raises(ValueError, match="duplicate"):
        attribute(HAND_TOUCHES, duplicated)


touch_rows = st.lists(
    st.tuples(st.integers(0, 7), st.integers(0, 5), st.sampled_from(["w", "x", "y", "z"])),
    min_size=1,
    max_size=40,
)


@settings(max_examples=100, deadline=None)
@given(
    touch_rows,
    st.lists(st.booleans(), min_size=8, max_size=8),
    st.lists(st.floats(0, 1e6), min_size=8, max_size=8),
    st.randoms(use_true_random=False),
)
def test_every_model_credits_exactly_the_touched_conversions(
    rows: list[tuple[int, int, str]], converted: list[bool], revenue: list[float], random: Random
) -> None:
    touches = pd.DataFrame(
        {
            "lead_id": [f"L{r[0]}" for r in rows],
            "touched_at": pd.Timestamp("2026-01-01") + pd.to_timedelta([r[1] for r in rows], "D"),
            "channel": [r[2] for r in rows],
        }
    )
    outcomes = pd.DataFrame(
        {"lead_id": [f"L{i}" for i in range(8)], "converted": converted, "revenue": revenue}
    )
    result = attribute(touches, outcomes)
    touched = outcomes["lead_id"].isin(touches["lead_id"]) & outcomes["converted"]
    for model in ATTRIBUTION_MODELS:
        assert result[f"{model}_converted"].sum() == pytest.approx(touched.sum(), abs=1e-9)
        assert result[f"{model}_revenue"].sum() == pytest.approx(
            outcomes.loc[touched, "revenue"].sum(), rel=1e-9, abs=1e-6
        )
        assert (result[f"{model}_converted"] >= -1e-12).all()
    effects = result["markov_removal_effect"].dropna()
    assert ((effects >= 0) & (effects <= 1)).all()

    order = list(range(len(touches)))
    random.shuffle(order)
    shuffled = attribute(touches.iloc[order].reset_index(drop=True), outcomes)
    pd.testing.assert_frame_equal(shuffled, result, check_exact=False, rtol=1e-12, atol=1e-9)

    # leads as integer rows and channels as categories (what kpis passes) give the same credit
    as_codes = touches.assign(
        lead_id=[r[0] * 3 for r in rows],
        channel=pd.Categorical([r[2] for r in rows], categories=["zz_unused", *"zyxw"]),
    )
    coded = attribute(as_codes, outcomes.assign(lead_id=[i * 3 for i in range(8)]))
    pd.testing.assert_frame_equal(coded, result, check_exact=False, rtol=1e-12, atol=1e-9)


def test_half_a_million_touches_credit_exactly_the_touched_conversions() -> None:
    # speed is measured by bench/bench_kpis.py, never asserted here
    rng = np.random.default_rng(2026)
    n_touches, n_leads = 500_000, 100_000
    touches = pd.DataFrame(
        {
            "lead_id": pd.Series(rng.integers(0, n_leads, n_touches)).map("L{}".format),
            "touched_at": pd.Timestamp("2026-01-01")
            + pd.to_timedelta(rng.integers(0, 365 * 24 * 3600, n_touches), "s"),
            "channel": rng.choice(["webinar", "event", "paid_search", "seo"], n_touches),
        }
    )
    outcomes = pd.DataFrame(
        {
            "lead_id": [f"L{i}" for i in range(n_leads)],
            "converted": rng.random(n_leads) < 0.1,
            "revenue": rng.gamma(2.0, 20000.0, n_leads),
        }
    )
    result = attribute(touches, outcomes)
    touched = outcomes["lead_id"].isin(touches["lead_id"]) & outcomes["converted"]
    assert result["markov_converted"].sum() == pytest.approx(touched.sum())


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([0, 1, 2, 70_000, 2**20 + 3]),
            st.integers(-(2**40), 2**40),
            st.sampled_from(["c0", "c1", "c2", "c3"]),
        ),
        min_size=1,
        max_size=60,
    ),
    st.sampled_from(["no order", "time", "time and channel"]),
)
def test_first_and_last_touch_follow_each_lead_path_sorted_by_time_then_channel(
    rows, presorted
) -> None:
    # integer lead ids of any size, numeric times of either sign, in any file order
    if presorted == "time":
        rows = sorted(rows, key=lambda r: r[1])
    elif presorted == "time and channel":
        rows = sorted(rows, key=lambda r: (r[1], r[2]))
    touches = pd.DataFrame(rows, columns=["lead_id", "touched_at", "channel"])
    leads = sorted({r[0] for r in rows})
    outcomes = pd.Series(True, index=leads)
    credit = attribute(touches, outcomes, models=["first_touch", "last_touch"], revenue_col=None)
    paths: dict[int, list[tuple[int, str]]] = {}
    for lead, time, channel in rows:
        paths.setdefault(lead, []).append((time, channel))
    first = pd.Series([min(p)[1] for p in paths.values()]).value_counts()
    last = pd.Series([max(p)[1] for p in paths.values()]).value_counts()
    channels = credit.index
    assert (
        credit["first_touch_converted"].tolist() == first.reindex(channels, fill_value=0).tolist()
    )
    assert credit["last_touch_converted"].tolist() == last.reindex(channels, fill_value=0).tolist()


def test_touch_order_sorts_by_lead_then_time_then_channel() -> None:
    lead = np.array([1, 0, 1, 0, 1])
    time = np.array([5, 9, 2, 9, 2])
    channel = np.array([0, 1, 3, 0, 1])
    assert touch_order(lead, time, channel).tolist() == [3, 1, 4, 2, 0]


def _markov_by_hand(paths: dict[str, list[str]], converted: set[str]) -> dict[str, float]:
    """Removal effects from transition counts kept in a dict, path by path."""
    channels = sorted({c for path in paths.values() for c in path})
    states = ["start", *channels, "conversion", "null"]
    at = {s: i for i, s in enumerate(states)}
    counts = np.zeros((len(states), len(states)))
    for lead, path in paths.items():
        steps = [path[0]] + [c for prev, c in zip(path, path[1:], strict=False) if c != prev]
        walk = ["start", *steps, "conversion" if lead in converted else "null"]
        for a, b in zip(walk, walk[1:], strict=False):
            counts[at[a], at[b]] += 1
    transient = len(channels) + 1

    def conversion_probability(probabilities: np.ndarray) -> float:
        q, r = probabilities[:transient, :transient], probabilities[:transient, transient:]
        return float(np.linalg.solve(np.eye(transient) - q, r)[0, 0])

    rows = counts[:transient] / counts[:transient].sum(axis=1, keepdims=True)
    base = conversion_probability(rows)
    effects = {}
    for channel in channels:
        removed = rows.copy()
        removed[at[channel]] = 0.0
        removed[at[channel], at["null"]] = 1.0
        effects[channel] = 1.0 - conversion_probability(removed) / base
    return effects


def test_markov_with_hundreds_of_channels_matches_counting_by_hand() -> None:
    # 200 channels: codes wider than a byte, and step pairs beyond 16 bits
    rng = np.random.default_rng(11)
    names = [f"ch{i:03d}" for i in range(200)]
    leads = [f"L{i}" for i in range(400)]
    n = 3000
    touches = pd.DataFrame(
        {
            "lead_id": rng.choice(leads, n),
            "touched_at": pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 90, n), "D"),
            "channel": rng.choice(names[:40] + names, n),  # some channels repeat often
        }
    )
    converted = set(rng.choice(leads, 120, replace=False).tolist())
    outcomes = pd.Series({lead: lead in converted for lead in leads})
    result = _credit("markov", touches, outcomes)
    ordered = touches.sort_values(["lead_id", "touched_at", "channel"], kind="stable")
    paths = ordered.groupby("lead_id")["channel"].apply(list).to_dict()
    expected = _markov_by_hand(paths, converted)
    got = result["removal_effect"].to_dict()
    assert got.keys() == expected.keys()
    for channel, effect in expected.items():
        assert got[channel] == pytest.approx(min(max(effect, 0.0), 1.0), abs=1e-9)
