"""French kickoff, mid-point, strategy and final sentences name a channel, persona or buying
stage in lower case mid-sentence, with its article where French needs one (issue 17, item 6)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.conftest import ROOT, SAMPLE_DIR
from workbook.analysis.journeys import build_journeys
from workbook.analysis.reconcile import demand_ramp_months, first_month_of_need
from workbook.deliverables.final import build_final_quant
from workbook.deliverables.final_facts import final_facts
from workbook.deliverables.final_figures import register_final_figures
from workbook.deliverables.final_headings import final_headings
from workbook.deliverables.final_summary import final_findings
from workbook.deliverables.final_tables import reconciled_sentences
from workbook.deliverables.final_text import final_quant_sentences
from workbook.deliverables.kickoff import build_kickoff, kickoff_sentences
from workbook.deliverables.kickoff_figures import register_kickoff_figures
from workbook.deliverables.kickoff_summary import kickoff_findings, kickoff_headings
from workbook.deliverables.midpoint import build_midpoint
from workbook.deliverables.midpoint_headings import midpoint_headings
from workbook.deliverables.midpoint_summary import midpoint_findings
from workbook.deliverables.midpoint_tables import scorecard_table
from workbook.deliverables.midpoint_text import midpoint_sentences
from workbook.deliverables.register import FigureRegister
from workbook.deliverables.strategy import build_strategy
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


def test_mid_point_attribution_and_one_channel_findings_name_the_channel_with_its_noun(sample):
    report = build_midpoint(sample)
    heads = midpoint_headings(report, language="fr", currency="EUR")
    assert heads["attribution"] == (
        "Le crédit dépend du modèle\u00a0: le canal e-mail obtient de 5,2\u202f% à 28,7\u202f% "
        "des affaires gagnées"
    )
    words = midpoint_sentences(report, language="fr", currency="EUR")["attribution"]
    assert words.startswith(
        "Le crédit dépend du modèle\u00a0: le canal e-mail obtient entre 5,2\u202f% et 28,7\u202f%"
    )
    english = midpoint_headings(report, language="en", currency="EUR")["attribution"]
    assert english == "Credit depends on the model: Email gets 5.2% to 28.7% of won deals"
    # events to grow: one channel left to review (paid social), one to grow
    advice = report.channel_advice.copy()
    advice.loc[advice["channel"].astype(str) == "events", "advice"] = "grow"
    one = replace(report, channel_advice=advice)
    found = {
        lang: [f.headline for f in midpoint_findings(one, language=lang, currency="EUR")]
        for lang in ("en", "fr")
    }
    (review,) = [h for h in found["en"] if "less credit than" in h]
    assert review.startswith(
        "Paid social takes 38.0% of spend (Oct 2025 to Sep 2026) but earns less credit than its "
        "spend: Paid social gets at most 17.4% of won deals"
    )
    (review,) = [h for h in found["fr"] if "moins de crédit que" in h]
    assert review.startswith(
        "Canal à revoir, réseaux sociaux payants\u00a0: 38,0\u202f% des dépenses "
        "(entre oct. 2025 et sept. 2026), mais moins de crédit que sa dépense\u00a0; le canal "
        "réseaux sociaux payants obtient au plus 17,4\u202f%"
    )
    (grow,) = [h for h in found["fr"] if "obtient de" in h]
    assert grow.startswith("Selon tous les modèles d'attribution, le canal événements obtient de ")


@pytest.fixture(scope="module")
def final(sample):
    journeys = build_journeys(sample)
    quant = build_final_quant(sample, journeys, simulate=0, seed=7)
    strategy = build_strategy(
        sample,
        journeys,
        language="en",
        start=first_month_of_need(quant.plan),
        ramp_months=demand_ramp_months(quant.plan),
    )
    return final_facts(sample, journeys, quant=quant, strategy=strategy)


def test_the_final_budget_names_its_channels_with_their_noun_and_article(final):
    heads = final_headings(final, language="fr", currency="EUR")
    assert heads["budget"].title == (
        "Le plan coûte 1\u202f197\u202f874\u202f€\u00a0; le canal réseaux sociaux payants en "
        "prend 41,5\u202f%"
    )
    english = final_headings(final, language="en", currency="EUR")["budget"].title
    assert english == "The plan costs €1,197,874; Paid social takes 41.5% of it"
    means = final_quant_sentences(final.quant, language="fr", currency="EUR")["budget"]
    assert means.endswith(
        "après le crédit du pipeline ; le canal réseaux sociaux payants en prend la plus grande "
        "part (41,5\u202f%)."
    )
    register = register_final_figures(FigureRegister(), final, language="fr")
    findings = final_findings(final, register, language="fr", currency="EUR")
    (budget,) = [f for f in findings if f.section == "budget"]
    assert budget.decision.endswith(
        "Maintenir la part des canaux réseaux sociaux payants et événements à son niveau actuel "
        "jusqu'à la revue demandée à mi-parcours."
    )
    mix = reconciled_sentences(final, language="fr", currency="EUR")["budget_mix"]
    assert (
        "aucun conseil sur les canaux recherche payante, syndication de contenus, webinaire, "
        "e-mail et trafic organique\u00a0: trop peu de données pour en juger, leur conseil" in mix
    )


def test_one_channel_without_advice_reads_in_the_singular(final):
    advice = final.advice.copy()
    thin = advice["advice"] == "too_little_data"
    advice.loc[thin & (advice["channel"].astype(str) != "email"), "advice"] = "keep"
    one = replace(final, advice=advice)
    english = reconciled_sentences(one, language="en", currency="EUR")["budget_mix"]
    assert (
        "The mid-point could give no advice on Email: too little data to judge it, so its advice "
        "is left blank." in english
    )
    french = reconciled_sentences(one, language="fr", currency="EUR")["budget_mix"]
    assert (
        "aucun conseil sur le canal e-mail\u00a0: trop peu de données pour en juger, son conseil "
        "reste donc vide." in french
    )
