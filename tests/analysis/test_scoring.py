"""Lead scoring: signal, determinism, probabilities, the contract's JSON and no leakage."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

from tests.conftest import TINY_TOUCHES, write_engagement
from workbook.analysis.journeys import build_journeys
from workbook.analysis.scoring import (
    ScoringError,
    build_scoring,
    default_target,
    lead_features,
    scoring_moments,
)
from workbook.intake.engagement import load_engagement
from workbook.synthetic import generate_engagement, sample_config
from workbook.synthetic import write_engagement as write_generated


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A generated engagement whose touches carry a known signal: leads that reach SQL read
    decision content in the 30 days before (workbook.synthetic.touches.draw_touches)."""
    config = sample_config()
    config["client"] = "Generated Signal Co"
    folder = write_generated(
        generate_engagement(n_leads=4000, seed=11), tmp_path_factory.mktemp("g"), config=config
    )
    engagement = load_engagement(folder)
    journeys = build_journeys(engagement)
    return engagement, journeys, build_scoring(engagement, journeys, seed=7)


def test_a_known_touch_signal_scores_well_above_chance(generated):
    _, _, report = generated
    assert report.uses_touches
    assert report.auc > 0.65
    assert report.precision_at_threshold > 2 * report.holdout_base_rate
    weights = report.weights.set_index("feature")["weight"]
    assert weights["touches_decision_30d"] > 0  # the planted signal pushes the score up


def test_every_lead_gets_a_score_between_zero_and_one(generated):
    _, journeys, report = generated
    scores = report.scores
    assert scores["lead_id"].tolist() == journeys.leads["lead_id"].tolist()
    assert scores["score"].notna().all()
    assert scores["score"].between(0.0, 1.0).all()
    assert 0.0 < report.threshold < 1.0


def test_the_same_seed_gives_the_same_model(generated):
    engagement, journeys, report = generated
    again = build_scoring(engagement, journeys, seed=7)
    assert again.to_dict() == report.to_dict()
    np.testing.assert_array_equal(again.scores["score"], report.scores["score"])


def test_the_holdout_is_the_most_recent_matured_cohorts(generated):
    _, journeys, report = generated
    inquiry = journeys.leads["inquiry_at"]
    holdout = report.holdout
    assert holdout["inquiry_at"].min() >= report.holdout_from
    assert holdout["inquiry_at"].max() <= report.matured_before
    # matured: inquiry at least horizon_days (365) before as_of 2026-09-30
    assert report.matured_before == pd.Timestamp("2025-09-30")
    assert report.train_leads + report.holdout_leads == int(
        (inquiry <= report.matured_before).sum()
    )
    assert report.holdout_from.day == 1  # cut at a month boundary
    assert report.holdout_leads == len(holdout)


def test_touches_after_each_leads_outcome_do_not_raise_the_holdout_auc(generated):
    engagement, journeys, report = generated
    leads = journeys.leads
    # The outcome moment: the day the lead reached SQL, else the day it left the funnel.
    outcome = leads["sql_at"].fillna(leads["exit_at"])
    reached = leads["sql_at"].notna().to_numpy()
    decision_asset = engagement.content.loc[
        engagement.content["buying_stage"] == "decision", "asset_id"
    ].iloc[0]
    rows = np.flatnonzero(outcome.notna().to_numpy() & reached)
    # six decision-stage touches in the days after the outcome, only for leads that reached
    # SQL: a model reading them would separate the classes almost perfectly.
    lead_rows = np.repeat(rows, 6)
    when = outcome.to_numpy("datetime64[ns]")[lead_rows] + np.tile(
        np.arange(1, 7) * np.timedelta64(1, "D") + np.timedelta64(10, "h"), len(rows)
    )
    keep = when <= engagement.as_of_timestamp.to_datetime64()
    extra = pd.DataFrame(
        {
            "lead_id": leads["lead_id"].to_numpy()[lead_rows][keep],
            "touched_at": when[keep],
            "channel": "webinar",
            "asset_id": decision_asset,
            "source_row": -1,
        }
    )
    assert len(extra) > 100
    leaky = dataclasses.replace(
        engagement, touches=pd.concat([engagement.touches, extra], ignore_index=True)
    )
    leaky_report = build_scoring(leaky, journeys, seed=7)
    assert leaky_report.auc <= report.auc + 1e-12
    assert leaky_report.to_dict() == report.to_dict()
    # ... whereas touches cut at as_of for every lead would have seen them:
    as_of_cut = np.full(len(leads), np.datetime64("2026-10-01"), "datetime64[ns]")
    naive = lead_features(journeys, as_of_cut, touches=leaky.touches, content=leaky.content,
                          buying_stages=("decision",))  # fmt: skip
    clean = lead_features(journeys, as_of_cut, touches=engagement.touches,
                          content=engagement.content, buying_stages=("decision",))  # fmt: skip
    added = naive["touches_decision"] - clean["touches_decision"]
    assert added[reached].mean() > 4 and added[~reached].sum() == 0


def test_without_touches_the_model_reads_attributes_only(generated):
    engagement, journeys, _ = generated
    report = build_scoring(dataclasses.replace(engagement, touches=None), journeys, seed=7)
    assert not report.uses_touches
    assert all("=" in f for f in report.weights["feature"])
    assert 0.5 < report.auc < 0.9


def test_score_json_holds_exactly_the_contract_keys(generated):
    _, _, report = generated
    payload = report.to_dict()
    json.dumps(payload, allow_nan=False)
    assert set(payload) == {"target", "auc", "holdout", "threshold", "precision_at_threshold",
                            "recall_at_threshold", "weights", "accounts"}  # fmt: skip
    assert payload["target"] == "sql"
    assert set(payload["holdout"]) == {"from", "leads"}
    assert payload["holdout"]["from"] == report.holdout_from.strftime("%Y-%m-%d")
    assert all(set(w) == {"feature", "weight"} for w in payload["weights"])
    assert all(set(a) == {"account_id", "engaged_leads", "hot_leads"} for a in payload["accounts"])
    assert all(0 <= payload[k] <= 1 for k in ("auc", "threshold", "precision_at_threshold",
                                               "recall_at_threshold"))  # fmt: skip


def test_accounts_have_several_engaged_leads_hottest_first(generated):
    _, _, report = generated
    accounts = report.accounts
    assert len(accounts) > 0
    assert (accounts["engaged_leads"] >= 2).all()
    assert (accounts["hot_leads"] <= accounts["engaged_leads"]).all()
    assert accounts["hot_leads"].is_monotonic_decreasing


# --- hand-made cases on the tiny engagement (tests/conftest.py) ------------------------------


@pytest.fixture
def tiny(tmp_path):
    touches = TINY_TOUCHES + "L1,2026-01-20 09:00:00,email,A2\n"  # on L1's SQL day: too late
    engagement = load_engagement(write_engagement(tmp_path / "tiny", {"data/touches.csv": touches}))
    return engagement, build_journeys(engagement)


def test_scoring_moments_cut_each_lead_before_its_outcome(tiny):
    _, journeys = tiny
    m = scoring_moments(journeys, target="sql", horizon_days=365).set_index(
        journeys.leads["lead_id"]
    )
    # L1, L4, L5 reached SQL (01-20, 03-01, 03-10); L2 was disqualified 02-01; L3 and L6 are
    # open at as_of 2026-06-30, so they are cut at the end of that day.
    assert m["reached"].to_dict() == {"L1": True, "L2": False, "L3": False, "L4": True,
                                      "L5": True, "L6": False}  # fmt: skip
    expected = {"L1": "2026-01-20", "L2": "2026-02-01", "L3": "2026-07-01", "L4": "2026-03-01",
                "L5": "2026-03-10", "L6": "2026-07-01"}  # fmt: skip
    assert m["train_cutoff"].dt.strftime("%Y-%m-%d").to_dict() == expected
    assert m["score_cutoff"].dt.strftime("%Y-%m-%d").to_dict() == expected


def test_features_count_only_touches_strictly_before_the_cutoff(tiny):
    engagement, journeys = tiny
    m = scoring_moments(journeys, target="sql", horizon_days=365)
    x = lead_features(journeys, m["train_cutoff"].to_numpy(), touches=engagement.touches,
                      content=engagement.content,
                      buying_stages=("awareness", "consideration", "decision"),
                      touch_channels=("email", "webinar"))  # fmt: skip
    x.index = journeys.leads["lead_id"]
    # L1: A3 (consideration, 01-06) and A2 (decision, 01-15) before its SQL day 01-20; the
    # A2 touch on 01-20 itself is left out. L2: A1 (awareness, 01-07) before its exit 02-01.
    # L4: one touch without an asset (02-12) before its SQL day 03-01.
    assert x["touches"].to_dict() == {"L1": 2, "L2": 1, "L3": 0, "L4": 1, "L5": 0, "L6": 0}
    assert x.loc["L1", ["touches_consideration", "touches_decision"]].tolist() == [1, 1]
    assert x.loc["L1", "touches_30d"] == 2
    assert x.loc["L2", "touches_awareness"] == 1
    assert x.loc["L4", ["touches_awareness", "touches_decision"]].tolist() == [0, 0]
    assert x["touches_channel_email"].to_dict()["L1"] == 1  # the 01-15 e-mail, not the 01-20 one
    assert x.loc["L6", "source_channel"] == "webinar" and x.loc["L6", "persona"] == "unknown"


def test_too_few_matured_leads_is_a_scoring_error_that_says_how_to_fix_it(tiny):
    engagement, journeys = tiny
    with pytest.raises(ScoringError) as info:
        build_scoring(engagement, journeys)
    message = str(info.value)
    assert "too few matured leads" in message
    assert "0 leads have an inquiry on or before 2025-06-30" in message
    assert "horizon_days" in message
    assert isinstance(info.value, ValueError)


def test_an_unknown_target_is_a_scoring_error_listing_the_stages(tiny):
    engagement, journeys = tiny
    with pytest.raises(ScoringError, match="mql, sal, sql, opportunity, won"):
        build_scoring(engagement, journeys, target="deal")


def test_the_default_target_falls_back_to_the_last_lead_stage_without_sql():
    assert default_target(("inquiry", "mql", "sal", "sql", "opportunity", "won")) == "sql"
    assert default_target(("inquiry", "mql", "opportunity", "won")) == "mql"
    assert default_target(("inquiry", "opportunity", "won")) == "opportunity"
