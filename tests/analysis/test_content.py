"""The content marketing model: matrix, gaps, conversation tracks, performance and plan."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLE_DIR, TINY_YAML, write_engagement
from workbook.analysis.content import (
    build_content_report,
    buying_stage_feeds,
    content_gaps,
    content_matrix,
    content_performance,
    content_plan,
    conversation_tracks,
    suggest_tags,
    touches_in_context,
)
from workbook.analysis.journeys import build_journeys
from workbook.analysis.questions import DEFAULT_QUESTIONS, buyer_question, question_bank
from workbook.console import render_content_text
from workbook.intake.engagement import load_engagement
from workbook.intake.problems import EngagementError

PERSONAS = ("economic_buyer", "technical_evaluator", "end_user")
BUYING_STAGES = ("awareness", "consideration", "decision", "retention")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    engagement = load_engagement(write_engagement(tmp_path_factory.mktemp("c") / "tiny"))
    return engagement, build_content_report(engagement)


@pytest.fixture(scope="module")
def sample():
    engagement = load_engagement(SAMPLE_DIR)
    return engagement, build_content_report(engagement)


# --- the tiny engagement, checked by hand against tests/conftest.py's TINY_CONTENT -----------


def test_tiny_matrix_counts_every_persona_and_buying_stage_zeros_included(tiny):
    _, report = tiny
    # A1 economic_buyer x awareness, A2 economic_buyer x decision, A3 technical_evaluator x
    # consideration; A4 is untagged.
    expected = {p: dict.fromkeys(BUYING_STAGES, 0) for p in PERSONAS}
    expected["economic_buyer"]["awareness"] = 1
    expected["economic_buyer"]["decision"] = 1
    expected["technical_evaluator"]["consideration"] = 1
    assert report.to_dict()["matrix"] == expected


def test_tiny_gaps_are_every_cell_below_two_assets_with_the_shortfall(tiny):
    _, report = tiny
    gaps = report.to_dict()["gaps"]
    assert len(gaps) == 12  # min_assets_per_cell 2: no cell reaches it
    assert gaps[0] == {"persona": "economic_buyer", "buying_stage": "awareness", "assets": 1,
                       "needed": 1}  # fmt: skip
    assert gaps[1] == {"persona": "economic_buyer", "buying_stage": "consideration",
                       "assets": 0, "needed": 2}  # fmt: skip
    assert sum(g["needed"] for g in gaps) == 12 * 2 - 3


def test_tiny_untagged_and_stale_assets_are_found(tiny):
    _, report = tiny
    # A4 has no persona and no buying stage; A2 was published 2024-01-01, more than 18 months
    # before as_of 2026-06-30 (cut-off 2024-12-30); A3 (2025-11-01) is not stale.
    assert report.untagged == ["A4"]
    assert report.stale == ["A2"]


def test_tiny_tracks_are_one_per_cell_with_the_cells_assets_and_status(tiny):
    _, report = tiny
    tracks = report.to_dict()["tracks"]
    assert [(t["persona"], t["buying_stage"]) for t in tracks] == [
        (p, s) for p in PERSONAS for s in BUYING_STAGES
    ]
    by_cell = {(t["persona"], t["buying_stage"]): t for t in tracks}
    assert by_cell[("economic_buyer", "awareness")]["assets"] == ["A1"]
    assert by_cell[("technical_evaluator", "consideration")]["assets"] == ["A3"]
    assert by_cell[("end_user", "retention")]["assets"] == []
    assert {t["status"] for t in tracks} == {"gap"}
    assert by_cell[("end_user", "decision")]["question"] == (
        "How much training and change will it take for my team?"
    )


def test_content_json_holds_exactly_the_contract_keys(tiny):
    _, report = tiny
    payload = report.to_dict()
    json.dumps(payload, allow_nan=False)
    assert set(payload) == {"matrix", "gaps", "tracks", "untagged", "stale"}
    assert all(set(g) == {"persona", "buying_stage", "assets", "needed"} for g in payload["gaps"])
    assert all(
        set(t) == {"persona", "buying_stage", "question", "assets", "status"}
        for t in payload["tracks"]
    )
    assert all(type(n) is int for row in payload["matrix"].values() for n in row.values())


def test_a_lower_minimum_turns_cells_with_one_asset_into_covered_tracks(tmp_path):
    yaml = TINY_YAML + "content:\n  min_assets_per_cell: 1\n"
    engagement = load_engagement(write_engagement(tmp_path / "e", {"engagement.yaml": yaml}))
    payload = build_content_report(engagement).to_dict()
    assert len(payload["gaps"]) == 9
    covered = {(t["persona"], t["buying_stage"]) for t in payload["tracks"]
               if t["status"] == "covered"}  # fmt: skip
    assert covered == {("economic_buyer", "awareness"), ("economic_buyer", "decision"),
                       ("technical_evaluator", "consideration")}  # fmt: skip


def test_performance_credits_each_asset_with_the_leads_that_progressed_after_it(tiny):
    engagement, _ = tiny
    journeys = build_journeys(engagement)
    context = touches_in_context(engagement.touches, journeys, engagement.content)
    # L1 touched A3 on 01-06 while an inquiry and A2 on 01-15 while SAL, then won (O1,
    # 50,000 created 02-01, won 04-01); L2 touched A1 on 01-07 as an inquiry and reached MQL;
    # L4's touch has no asset.
    assert context["stage_index"].tolist() == [0, 2, 0, 0]
    perf = content_performance(context, journeys, engagement.content, engagement.opportunities,
                               personas=PERSONAS, buying_stages=BUYING_STAGES, min_leads=1)  # fmt: skip
    assets = perf.assets.set_index("asset_id")
    assert assets.loc[["A1", "A2", "A3", "A4"], "touched_leads"].tolist() == [1, 1, 1, 0]
    assert assets.loc[["A1", "A2", "A3"], "progressed_leads"].tolist() == [1, 1, 1]
    assert assets.loc[["A2", "A3"], "influenced_pipeline"].tolist() == [50000.0, 50000.0]
    assert assets.loc[["A2", "A3"], "influenced_revenue"].tolist() == [50000.0, 50000.0]
    assert assets.loc["A1", "influenced_pipeline"] == 0.0
    assert assets.loc["A4", "verdict"] == "too_few"
    cells = perf.cells.set_index(["persona", "buying_stage"])
    assert cells.loc[("economic_buyer", "decision"), "touched_leads"] == 1
    assert cells.loc[("end_user", "awareness"), "touched_leads"] == 0


def test_performance_leaves_out_touches_too_recent_to_have_progressed(tiny):
    engagement, _ = tiny
    journeys = build_journeys(engagement)
    context = touches_in_context(engagement.touches, journeys, engagement.content)
    # as_of 2026-06-30 minus 200 days is 2025-12-12: every tiny touch is later.
    perf = content_performance(context, journeys, engagement.content, engagement.opportunities,
                               personas=PERSONAS, buying_stages=BUYING_STAGES, lag_days=200)  # fmt: skip
    assert perf.assets["touched_leads"].sum() == 0


def test_touches_in_context_takes_text_as_strings_missing_where_no_tag(tiny):
    engagement, report = tiny
    journeys = build_journeys(engagement)
    context = touches_in_context(engagement.touches, journeys, engagement.content)
    assert context["channel"].tolist() == ["webinar", "email", "paid_social", "paid_search"]
    assert context["asset_id"].tolist()[:3] == ["A3", "A2", "A1"]
    assert context["buying_stage"].tolist()[:3] == ["consideration", "decision", "awareness"]
    assert context["lead_persona"].tolist()[:3] == ["economic_buyer"] * 2 + ["end_user"]
    # L4's touch has no asset: its asset and tags are missing
    assert context.iloc[3][["asset_id", "asset_persona", "format"]].isna().all()
    text = ["channel", "asset_id", "asset_persona", "buying_stage", "format", "lead_persona"]
    assert {str(context[c].dtype) for c in text} == {"string"}
    # the strategy build hands its context over: the same report as computing it here
    given = build_content_report(engagement, journeys, context=context)
    pd.testing.assert_frame_equal(given.performance.assets, report.performance.assets)
    pd.testing.assert_frame_equal(given.performance.cells, report.performance.cells)


def test_render_content_text_prints_the_matrix_gaps_and_tracks(tiny):
    _, report = tiny
    out = render_content_text(report)
    assert "Gaps (12)" in out
    assert "Untagged assets (1): A4" in out
    assert "economic_buyer" in out and "1*" in out


# --- the bundled sample: its planted story ---------------------------------------------------


def test_sample_finds_the_three_planted_gaps(sample):
    _, report = sample
    gaps = {(g["persona"], g["buying_stage"], g["assets"]) for g in report.to_dict()["gaps"]}
    assert gaps == {("economic_buyer", "decision", 0), ("technical_evaluator", "retention", 1),
                    ("end_user", "consideration", 1)}  # fmt: skip


def test_sample_tracks_place_every_tagged_asset_in_exactly_one_track(sample):
    engagement, report = sample
    tracks = report.to_dict()["tracks"]
    assert len(tracks) == 12
    placed = [a for t in tracks for a in t["assets"]]
    tagged = engagement.content.dropna(subset=["persona", "buying_stage"])["asset_id"].tolist()
    assert sorted(placed) == sorted(tagged)
    assert len(report.untagged) == 5 and len(report.stale) == 6


def test_sample_plan_ranks_the_empty_economic_buyer_decision_cell_first(sample):
    _, report = sample
    plan = report.plan
    assert plan["rank"].tolist() == [1, 2, 3]
    assert (plan.iloc[0]["persona"], plan.iloc[0]["buying_stage"]) == ("economic_buyer", "decision")
    assert plan["impact_score"].is_monotonic_decreasing
    assert plan["suggested_format"].notna().all()


def test_sample_performance_separates_movers_from_view_collectors(sample):
    _, report = sample
    assets = report.performance.assets
    movers = assets.loc[assets["verdict"] == "moves_buyers"]
    viewers = assets.loc[assets["verdict"] == "collects_views"]
    assert len(movers) > 0 and len(viewers) > 0
    assert (movers["rate_lower"] > movers["baseline_rate"]).all()
    assert (viewers["rate_upper"] < viewers["baseline_rate"]).all()
    assert assets["progressed_rate"].dropna().between(0, 1).all()


def test_sample_tag_suggestions_cover_every_untagged_asset(sample):
    _, report = sample
    s = report.tag_suggestions
    assert sorted(s["asset_id"]) == sorted(report.untagged)
    assert s["persona"].isin(PERSONAS).all() and s["buying_stage"].isin(BUYING_STAGES).all()
    assert set(s["persona_basis"]) | set(s["stage_basis"]) <= {"given", "suggested"}


# --- building blocks on hand-made frames -----------------------------------------------------


def test_content_gaps_gives_the_shortfall_of_each_thin_cell():
    matrix = pd.DataFrame([[0, 3], [1, 2]], index=["cfo", "cto"], columns=["aware", "decide"])
    gaps = content_gaps(matrix, min_assets=2)
    assert gaps.to_dict("records") == [
        {"persona": "cfo", "buying_stage": "aware", "assets": 0, "needed": 2},
        {"persona": "cto", "buying_stage": "aware", "assets": 1, "needed": 1},
    ]


@pytest.mark.parametrize("dtype", ["string", "str", object])
def test_tracks_find_the_cells_assets_whatever_the_text_dtype(dtype):
    content = pd.DataFrame(
        {
            "asset_id": pd.array(["A1", "A2", "A3"], dtype=dtype),
            "persona": pd.array(["cfo", "cfo", None], dtype=dtype),
            "buying_stage": pd.array(["aware", "aware", "aware"], dtype=dtype),
        }
    )
    questions = pd.DataFrame({"persona": ["cfo", "cto"], "buying_stage": ["aware", "aware"],
                              "question": ["Q1", "Q2"]})  # fmt: skip
    tracks = conversation_tracks(content, questions, min_assets=2)
    assert tracks["assets"].tolist() == [("A1", "A2"), ()]
    assert tracks["status"].tolist() == ["covered", "gap"]


def test_buying_stages_feed_the_funnel_stage_at_the_same_relative_position():
    feeds = buying_stage_feeds(
        BUYING_STAGES, ("inquiry", "mql", "sal", "sql", "opportunity", "won")
    )
    assert feeds["funnel_stage"].tolist() == ["inquiry", "mql", "sql", "won"]
    assert buying_stage_feeds(("only",), ("inquiry", "won"))["funnel_stage"].tolist() == ["inquiry"]


def test_content_plan_ranks_gaps_by_leakage_times_persona_share_times_shortfall():
    gaps = pd.DataFrame({"persona": ["a", "b", "a"], "buying_stage": ["x", "x", "y"],
                         "assets": [1, 0, 0], "needed": [1, 2, 2]})  # fmt: skip
    feeds = pd.DataFrame({"buying_stage": ["x", "y"], "funnel_stage": ["mql", "won"]})
    formats = pd.DataFrame({"buying_stage": ["x", "y"], "format": ["blog", "checklist"],
                            "basis": ["default", "default"]})  # fmt: skip
    plan = content_plan(gaps, feeds=feeds, leakage={"mql": 0.6, "won": 0.1},
                        persona_share=pd.Series({"a": 0.75, "b": 0.25}), formats=formats)  # fmt: skip
    # impact: a x x 0.6 * 0.75 * 1/2 = 0.225; b x x 0.6 * 0.25 * 2/2 = 0.15;
    # a x y 0.1 * 0.75 * 2/2 = 0.075
    assert plan["impact_score"].tolist() == pytest.approx([0.225, 0.15, 0.075])
    assert plan["persona"].tolist() == ["a", "b", "a"]
    assert plan["suggested_format"].tolist() == ["blog", "blog", "checklist"]


def test_untagged_assets_get_the_persona_of_the_words_they_share():
    content = pd.DataFrame(
        {
            "asset_id": ["A1", "A2", "A3", "A4", "A5"],
            "title": ["The CFO guide to cost", "CFO budget checklist", "Engineer API manual",
                      "Engineer integration spec", "A CFO view of cost"],
            "format": ["ebook", "checklist", "datasheet", "datasheet", "ebook"],
            "channel": ["organic"] * 5,
            "persona": ["cfo", "cfo", "eng", "eng", None],
            "buying_stage": ["aware", "aware", "decide", "decide", "aware"],
        }
    )  # fmt: skip
    s = suggest_tags(content, personas=("cfo", "eng"), buying_stages=("aware", "decide"))
    row = s.iloc[0]
    assert (row["asset_id"], row["persona"], row["persona_basis"]) == ("A5", "cfo", "suggested")
    assert row["stage_basis"] == "given" and np.isnan(row["stage_confidence"])
    assert 0.5 < row["persona_confidence"] <= 1.0
    assert "cfo" in row["evidence"]


# --- the question bank -----------------------------------------------------------------------


def test_every_default_question_exists_in_english_and_french():
    for persona, stages in DEFAULT_QUESTIONS.items():
        for stage, texts in stages.items():
            assert set(texts) == {"en", "fr"}, (persona, stage)
            assert all(t.strip().endswith("?") for t in texts.values()), (persona, stage)
            assert texts["en"] != texts["fr"]


def test_an_unknown_persona_or_buying_stage_falls_back_to_a_generic_question():
    assert buyer_question("cfo", "decision")[1] == "bank"  # the generic decision question
    question, source = buyer_question("cfo", "renewal", language="fr")
    # an unknown value is prettified; a standard one takes its label in the language
    assert source == "generic" and "Cfo" in question and "Renouvellement" in question


def test_engagement_yaml_questions_override_the_bank_per_persona_and_language(tmp_path):
    yaml = TINY_YAML + (
        "content:\n  questions:\n"
        "    economic_buyer:\n      decision: Why now, and why us?\n"
        "    default:\n      awareness:\n        fr: Pourquoi changer ?\n"
    )
    engagement = load_engagement(write_engagement(tmp_path / "e", {"engagement.yaml": yaml}))
    en = question_bank(engagement.config, language="en").set_index(["persona", "buying_stage"])
    fr = question_bank(engagement.config, language="fr").set_index(["persona", "buying_stage"])
    assert en.loc[("economic_buyer", "decision"), "question"] == "Why now, and why us?"
    assert fr.loc[("economic_buyer", "decision"), "question"] == "Why now, and why us?"
    assert fr.loc[("end_user", "awareness"), "question"] == "Pourquoi changer ?"
    assert en.loc[("end_user", "awareness"), "source"] == "bank"  # no English override given
    report = build_content_report(engagement, language="fr")
    assert report.to_dict()["tracks"][0]["question"] == "Pourquoi changer ?"


def test_a_misspelt_question_key_is_an_error_naming_the_engagement_yaml_key(tmp_path):
    yaml = TINY_YAML + "content:\n  questions:\n    economic_buyer:\n      decison: Why us?\n"
    # reported when the engagement is loaded, so `workbook validate` shows it up front
    with pytest.raises(EngagementError) as info:
        load_engagement(write_engagement(tmp_path / "e", {"engagement.yaml": yaml}))
    problem = info.value.problems[0]
    assert problem.file == "engagement.yaml"
    assert problem.column == "content.questions.economic_buyer.decison"
    assert "did you mean 'decision'" in problem.message


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([*PERSONAS, None]),
            st.sampled_from([*BUYING_STAGES, None]),
        ),
        max_size=40,
    ),
    st.integers(min_value=1, max_value=4),
)
def test_tracks_and_gaps_account_for_every_tagged_asset_and_every_cell(tags, minimum):
    content = pd.DataFrame(
        {
            "asset_id": [f"A{i}" for i in range(len(tags))],
            "persona": pd.array([p for p, _ in tags], dtype="string"),
            "buying_stage": pd.array([b for _, b in tags], dtype="string"),
        }
    )
    matrix = content_matrix(content, personas=PERSONAS, buying_stages=BUYING_STAGES)
    questions = pd.DataFrame(
        [(p, b, "?") for p in PERSONAS for b in BUYING_STAGES],
        columns=["persona", "buying_stage", "question"],
    )
    tracks = conversation_tracks(content, questions, min_assets=minimum)
    gaps = content_gaps(matrix, min_assets=minimum)
    tagged = sum(p is not None and b is not None for p, b in tags)
    assert int(matrix.to_numpy().sum()) == tagged == int(tracks["asset_count"].sum())
    assert len(tracks) == len(PERSONAS) * len(BUYING_STAGES)
    assert (tracks["status"] == "gap").sum() == len(gaps)
    assert (gaps["needed"] >= 1).all() and (gaps["assets"] + gaps["needed"] == minimum).all()
