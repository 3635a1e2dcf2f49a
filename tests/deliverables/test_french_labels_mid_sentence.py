"""French kickoff, mid-point and strategy sentences name a channel, persona or buying stage in
lower case mid-sentence, with its article where French needs one (issue 17, item 6)."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, SAMPLE_DIR
from workbook.deliverables.kickoff import build_kickoff, kickoff_sentences
from workbook.deliverables.kickoff_figures import register_kickoff_figures
from workbook.deliverables.kickoff_summary import kickoff_findings, kickoff_headings
from workbook.deliverables.midpoint import build_midpoint
from workbook.deliverables.midpoint_headings import midpoint_headings
from workbook.deliverables.midpoint_summary import midpoint_findings
from workbook.deliverables.midpoint_tables import scorecard_table
from workbook.deliverables.midpoint_text import midpoint_sentences
from workbook.deliverables.register import FigureRegister
from workbook.deliverables.strategy_text import feature_label
from workbook.intake.engagement import load_engagement


@pytest.fixture(scope="module")
def sample():
    return load_engagement(SAMPLE_DIR)


def test_kickoff_names_the_top_channel_in_lower_case_with_its_noun(sample):
    report = build_kickoff(sample, language="fr")
    heads = kickoff_headings(report, language="fr", currency="EUR")
    assert heads["mix"] == (
        "Sources des leads\u00a0: en tête, le canal réseaux sociaux payants avec 21,6\u202f% des leads"
    )
    assert heads["spend"].endswith("dont 34,0\u202f% pour le canal réseaux sociaux payants")
    words = kickoff_sentences(report, language="fr", currency="EUR")
    assert "la plus grande part va au canal réseaux sociaux payants (34,0\u202f%)" in words["spend"]
    register = register_kickoff_figures(report, FigureRegister(), language="fr")
    findings = kickoff_findings(report, register, language="fr", currency="EUR")
    text = " ".join(f.headline + " " + f.decision for f in findings)
    assert "le retour du canal réseaux sociaux payants" in text
    assert "(par ex. décideur économique × décision\u00a0: 0)" in text


def test_mid_point_review_finding_and_levers_name_channels_mid_sentence(sample):
    report = build_midpoint(sample)
    review = next(
        f for f in midpoint_findings(report, language="fr", currency="EUR")
        if f.headline.startswith("Canaux à revoir")
    )  # fmt: skip
    assert review.headline.startswith(
        "Canaux à revoir, réseaux sociaux payants et événements\u00a0: 58,7\u202f% des dépenses"
    )
    assert "\u00a0; le canal réseaux sociaux payants obtient au plus 17,4\u202f%" in review.headline
    assert review.decision.startswith(
        "Revoir le rôle et le ciblage des canaux réseaux sociaux payants et événements avant"
    )
    heads = midpoint_headings(report, language="fr", currency="EUR")
    assert heads["levers"].startswith(
        "Canaux\u00a0: réseaux sociaux payants et événements à revoir"
    )
    levers = midpoint_sentences(report, language="fr", currency="EUR")["levers"]
    assert "à revoir, réseaux sociaux payants et événements\u00a0; données insuffisantes" in levers


def test_without_spend_the_levers_cell_names_the_top_channel_in_lower_case():
    report = build_midpoint(load_engagement(ROOT / "data_samples" / "sparse_client"))
    table = scorecard_table(report, language="fr", currency="EUR").set_index("kpi")
    detail = table["detail"].iloc[[i for i, k in enumerate(table.index) if "Leviers" in k][0]]
    assert "le ROI des canaux en a besoin\u00a0; " in detail
    channel = detail.split("en a besoin\u00a0; ")[1]
    assert channel[:1].islower(), detail


def test_a_scoring_feature_names_its_channel_in_lower_case_in_french():
    assert feature_label("touches_channel_paid_search", "fr") == (
        "Interactions (via recherche payante)"
    )
    assert feature_label("touches_channel_paid_search") == "Touches (via Paid search)"
