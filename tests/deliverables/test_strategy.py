"""The final report's building blocks: tables, sentences in both languages, charts."""

from __future__ import annotations

import string

import pandas as pd
import pytest
from matplotlib.figure import Figure

from tests.conftest import SAMPLE_DIR, write_engagement
from workbook.analysis.journeys import build_journeys
from workbook.deliverables import plots
from workbook.deliverables.strategy import REVIEW_MONTHS, build_strategy, channel_model
from workbook.deliverables.strategy_text import (
    feature_label,
    plan_table,
    review_table,
    stages_table,
    strategy_sentences,
    weights_table,
)
from workbook.i18n import CATALOGUE
from workbook.i18n.catalogue import strategy as strategy_catalogue
from workbook.intake.engagement import load_engagement

SENTENCE_KEYS = {
    "tracks", "content", "plan", "performance", "tagging", "channels", "framework", "scoring",
    "weights", "sla", "recycling", "review", "accounts", "process", "organisation",
    "technology", "roadmap",
}  # fmt: skip


@pytest.fixture(scope="module")
def sample():
    engagement = load_engagement(SAMPLE_DIR)
    journeys = build_journeys(engagement)
    return engagement, journeys, build_strategy(engagement, journeys)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    engagement = load_engagement(write_engagement(tmp_path_factory.mktemp("s") / "tiny"))
    return engagement, build_strategy(engagement)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_strategy_text_has_a_french_version_with_the_same_placeholders():
    en, fr = strategy_catalogue.TEXT["en"], strategy_catalogue.TEXT["fr"]
    assert en.keys() == fr.keys()
    for key, english in en.items():
        assert fr[key].strip(), key
        assert placeholders(english) == placeholders(fr[key]), key
    assert all(key in CATALOGUE["fr"] for key in en)  # registered in workbook.i18n.catalogue


@pytest.mark.parametrize("language", ["en", "fr"])
def test_sentences_say_something_for_every_building_block(sample, language):
    _, _, report = sample
    means = strategy_sentences(report, language=language, currency="EUR")
    assert set(means) == SENTENCE_KEYS
    for key, sentence in means.items():
        assert sentence and "{" not in sentence and "nan" not in sentence.lower(), key
    if language == "fr":
        assert "AUC 0,9" in means["scoring"]
        assert "MQL → SAL" in means["sla"]


def test_sample_sentences_carry_the_sample_figures(sample):
    _, _, report = sample
    means = strategy_sentences(report, language="en", currency="EUR")
    assert means["content"].startswith("3 of 12 cells hold fewer than 2 assets")
    assert "Economic buyer × decision" in means["plan"]
    assert "12 conversation tracks" in means["tracks"]
    assert "MQL → SAL" in means["sla"]  # the planted leak is the slowest hand-off


def test_tracks_table_has_a_row_per_persona_and_a_column_per_buying_stage(sample):
    engagement, _, report = sample
    table = report.tracks_table
    assert table.columns.tolist() == ["persona", *engagement.config.buying_stages]
    assert table["persona"].tolist() == ["Economic buyer", "Technical evaluator", "End user"]
    assert table.loc[0, "decision"].endswith("(gap, assets: 0)")


def test_channel_model_shares_sum_to_one_per_buying_stage(sample):
    _, _, report = sample
    shares = report.channel_model
    assert shares.sum(axis=0).round(9).tolist() == [1.0, 1.0, 1.0, 1.0]
    assert report.channel_touches.to_numpy().sum() > 0
    # decision content reaches buyers through paid search more than other stages' content
    assert shares.loc["paid_search", "decision"] == shares.loc["paid_search"].max()


def test_channel_model_counts_only_tagged_touches_of_leads_still_in_the_funnel():
    context = pd.DataFrame(
        {
            "channel": ["email", "email", "webinar", "webinar", "email"],
            "buying_stage": ["awareness", "awareness", "decision", None, "decision"],
            "active": [True, True, True, True, False],
        }
    )
    shares, counts = channel_model(context, buying_stages=("awareness", "decision"))
    assert counts.to_dict() == {"awareness": {"email": 2, "webinar": 0},
                                "decision": {"email": 0, "webinar": 1}}  # fmt: skip
    assert shares.loc["webinar", "decision"] == 1.0


def test_process_model_has_owner_channels_content_and_exit_criteria_per_stage(sample):
    engagement, _, report = sample
    process = report.process_model
    assert process.columns.tolist() == ["stage", "owner", "channels", "content", "exit_criteria"]
    assert len(process) == len(engagement.config.stages)
    assert process.loc[0, "content"].startswith("Awareness: ")
    assert process.loc[3, "owner"] == "Sales"
    assert "BANT" in process.loc[3, "exit_criteria"]


def test_organisation_and_technology_checklists(sample):
    _, _, report = sample
    assert report.organisation.columns.tolist() == ["stage", "marketing", "sales", "operations"]
    assert report.organisation["sales"].str.len().gt(5).all()
    tech = report.technology.set_index("item")
    # the sample has 5 untagged assets, 6 stale ones and repeated e-mails
    assert tech.loc["Every asset tagged with persona and buying stage", "status"] == "todo"
    assert tech.loc["Touch history exported", "status"] == "ok"
    assert tech.loc["Duplicate leads merged", "status"] == "todo"


def test_roadmap_starts_with_the_plan_and_holds_the_review_points(sample):
    _, _, report = sample
    roadmap = report.roadmap
    assert report.plan_start == pd.Timestamp("2027-01-01")  # targets.period_start
    assert roadmap["start"].min() == report.plan_start
    assert (roadmap["end"] >= roadmap["start"]).all()
    milestones = roadmap.loc[roadmap["milestone"]]
    assert [(m.year - 2027) * 12 + m.month - 1 for m in milestones["start"]] == list(REVIEW_MONTHS)
    content_tasks = roadmap.loc[roadmap["task"].str.startswith("New ")]
    assert len(content_tasks) == 3  # one per planted gap
    assert content_tasks.iloc[0]["task"] == "New demo video ×2 for Economic buyer × decision"


def test_display_tables_show_words_and_never_an_email(sample):
    _, _, report = sample
    assert plan_table(report.content)["cell"].iloc[0] == "Economic buyer × decision"
    assert stages_table(report.lead_management)["owner"].iloc[-1] == "Customer success"
    review = review_table(report.lead_management)
    assert not review.astype(str).apply(lambda c: c.str.contains("@")).to_numpy().any()
    assert len(weights_table(report.scoring)) == 12


def test_feature_labels_read_as_words_in_both_languages():
    assert feature_label("touches_decision_30d") == "Touches (decision, last 30 days)"
    assert feature_label("persona=end_user", "fr") == "Persona\u00a0: Utilisateur final".replace(
        "\u00a0", " "
    )
    assert feature_label("touches_channel_email_30d", "fr") == (
        "Interactions (via e-mail, 30 derniers jours)"
    )


def test_without_enough_history_the_report_says_why_there_is_no_scoring_model(tiny):
    _, report = tiny
    assert report.scoring is None
    assert "too few matured leads" in report.scoring_error
    means = strategy_sentences(report, language="en", currency="EUR")
    assert means["scoring"] == (
        "No lead-scoring model could be built from this data: it holds too few past leads with"
        " a known outcome, or nothing that tells leads apart, to learn from and test a model."
    )
    assert "engagement.yaml" not in means["scoring"]
    assert "Collect touch history for a scoring model" in report.roadmap["task"].tolist()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_building_block_chart_draws_with_a_title(sample, language):
    _, _, report = sample
    sc = report.scoring
    figures = [
        plots.tracks_grid_chart(report.content.tracks, language=language),
        plots.content_heatmap(report.content.matrix, min_assets=2, language=language,
                              title=CATALOGUE[language]["strategy.chart.content"]),
        plots.channel_stage_heatmap(report.channel_model, language=language),
        plots.roadmap_chart(report.roadmap, language=language),
        plots.score_distribution_chart(sc.holdout, threshold=sc.threshold, target=sc.target,
                                       language=language),
        plots.precision_recall_chart(sc.curve, threshold=sc.threshold,
                                     precision=sc.precision_at_threshold,
                                     recall=sc.recall_at_threshold,
                                     base_rate=sc.holdout_base_rate, language=language),
        plots.content_performance_chart(report.content.performance.assets, language=language),
    ]  # fmt: skip
    for fig in figures:
        assert isinstance(fig, Figure)
        assert fig.axes[0].get_title(loc="left")
    assert figures[0].axes[0].get_title(loc="left") == CATALOGUE[language]["strategy.chart.tracks"]
