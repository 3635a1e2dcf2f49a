"""The final report's budget when the channel advice finds a channel to grow: the sample's
facts with a hand-built advice frame (the sample itself has no channel to grow), the mix
table, the budget sentences and the process heading, in English and French."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from tests.conftest import SAMPLE_DIR
from workbook.analysis.budget import build_budget
from workbook.analysis.journeys import build_journeys
from workbook.analysis.reconcile import demand_ramp_months, first_month_of_need, mix_comparison
from workbook.deliverables.final import build_final_quant
from workbook.deliverables.final_facts import final_facts
from workbook.deliverables.final_figures import register_final_figures
from workbook.deliverables.final_headings import _process_heading, final_headings
from workbook.deliverables.final_summary import final_findings
from workbook.deliverables.final_tables import (
    budget_mix_table,
    mix_conflicts,
    reconciled_sentences,
)
from workbook.deliverables.final_text import final_quant_sentences
from workbook.deliverables.register import FigureRegister
from workbook.deliverables.strategy import build_strategy
from workbook.i18n import format_money, format_percent
from workbook.intake.engagement import load_engagement

ADVICE = {
    "webinar": "grow",
    "paid_search": "keep",
    "content_syndication": "keep",
    "paid_social": "review",
    "events": "too_little_data",
    "email": "too_little_data",
    "organic": "too_little_data",
    "partner_referral": "too_little_data",
}


@pytest.fixture(scope="module")
def facts():
    engagement = load_engagement(SAMPLE_DIR)
    journeys = build_journeys(engagement)
    quant = build_final_quant(engagement, journeys, simulate=0, seed=7)
    strategy = build_strategy(
        engagement,
        journeys,
        language="en",
        start=first_month_of_need(quant.plan),
        ramp_months=demand_ramp_months(quant.plan),
    )
    today = final_facts(engagement, journeys, quant=quant, strategy=strategy)
    advice = pd.DataFrame({"channel": list(ADVICE), "advice": list(ADVICE.values())})
    budget = build_budget(engagement, quant.plan, journeys, costs=quant.budget.costs, advice=advice)
    grown = replace(
        today,
        quant=replace(quant, budget=budget, advice=advice),
        advice=advice,
        mix=mix_comparison(budget.costs, budget.allocation),
    )
    return today, grown


def test_the_sample_has_no_channel_to_grow_so_its_budget_keeps_todays_mix(facts):
    today, _ = facts
    assert not (today.advice["advice"] == "grow").any()
    assert today.quant.budget.mix_from == "data" and today.quant.budget.today_total is None


def test_a_channel_to_grow_gains_a_fifth_of_its_share_from_the_channels_to_keep(facts):
    today, grown = facts
    before = budget_mix_table(today, language="en").set_index("channel")
    after = budget_mix_table(grown, language="en").set_index("channel")
    share = after["plan_budget_share"]
    assert share.sum() == pytest.approx(1.0)
    assert share["webinar"] == pytest.approx(1.2 * before.loc["webinar", "plan_budget_share"])
    for kept in ("paid_social", "events", "email", "organic"):  # review, too little data
        assert share[kept] == pytest.approx(before.loc[kept, "plan_budget_share"])
    cut = (
        1
        - share[["paid_search", "content_syndication"]]
        / before.loc[["paid_search", "content_syndication"], "plan_budget_share"]
    )
    assert cut["paid_search"] == pytest.approx(cut["content_syndication"])  # pro rata
    assert 0 < cut["paid_search"] <= 0.25
    plan = grown.quant.plan
    assert grown.quant.budget.allocation["inquiries"].sum() == pytest.approx(plan.totals[0])
    assert grown.quant.budget.today_total == pytest.approx(today.quant.budget.total)
    assert mix_conflicts(grown).empty
    assert after.loc["webinar", "advice"] == "Grow"


def test_the_budget_sentences_state_the_rule_and_what_moved(facts):
    _, grown = facts
    budget = grown.quant.budget
    table = budget_mix_table(grown, language="en").set_index("channel")
    sentence = reconciled_sentences(grown, language="en", currency="EUR")["budget_mix"]
    assert sentence.startswith(
        "The plan starts from today's channel mix at today's cost per lead and moves budget "
        "to the channels the mid-point advised to grow: each gets a fifth more of its share"
    )
    assert (
        "The share of the budget of Webinar, to grow, rises from "
        f"{format_percent(table.loc['webinar', 'today_spend_share'])} to "
        f"{format_percent(table.loc['webinar', 'plan_budget_share'])}, taken from Paid search "
        f"and Content syndication; at today's cost per lead the plan costs "
        f"{format_money(budget.total, 'EUR')}, against "
        f"{format_money(budget.today_total, 'EUR')} with today's mix."
    ) in sentence
    assert "not yet in these figures" not in sentence
    french = reconciled_sentences(grown, language="fr", currency="EUR")["budget_mix"]
    assert "La part du budget du canal webinaire, à renforcer, passe de" in french
    assert "prise sur les canaux recherche payante et syndication de contenus\u00a0;" in french
    # webinar under review, yet the plan gives it 5 points more of the budget than today
    review = grown.advice["advice"].where(grown.advice["channel"] != "webinar", "review")
    more = grown.mix["change"].where(grown.mix["channel"] != "webinar", 0.05)
    conflict = replace(
        grown, advice=grown.advice.assign(advice=review), mix=grown.mix.assign(change=more)
    )
    english = reconciled_sentences(conflict, language="en", currency="EUR")["budget_mix"]
    assert "It gives Webinar a larger share of budget than today, although" in english
    french = reconciled_sentences(conflict, language="fr", currency="EUR")["budget_mix"]
    assert (
        "Dans ce mix, la part du budget du canal webinaire est plus grande qu'aujourd'hui, alors "
        "que le rapport de mi-parcours demandait d'abord une revue" in french
    )
    means = final_quant_sentences(grown.quant, language="en", currency="EUR")["budget"]
    assert means.startswith(
        "At today's cost per lead, with more budget on the channels the mid-point advised to "
        f"grow (the mix below says how much), the plan costs {format_money(budget.total, 'EUR')}"
    )


def test_the_process_heading_names_the_stages_no_channel_reaches(facts):
    today, _ = facts
    english = final_headings(today, language="en", currency="EUR")["process"].title
    assert english == (
        "Each of the 6 stages has an owner, but no channel reaches leads at SQL and "
        "Opportunity in the data"
    )
    process = pd.DataFrame({"stage": ["Lead", "MQL"], "channels": ["Webinaire", "E-mail"]})
    assert _process_heading(process, language="fr") == (
        "Chacune des 2 étapes a un responsable et un canal qui touche ses leads"
    )
    process.loc[1, "channels"] = "Aucun canal ne l'atteint dans les données"
    assert _process_heading(process, language="fr") == (
        "Chacune des 2 étapes a un responsable, mais aucun canal ne touche les leads en MQL "
        "dans les données"
    )


def test_french_sentences_name_channels_in_lower_case_mid_sentence(facts):
    today, _ = facts
    register = register_final_figures(FigureRegister(), today, language="fr")
    findings = final_findings(today, register, language="fr", currency="EUR")
    (budget,) = [f for f in findings if f.section == "budget"]
    assert "\u202f€ avec le canal recommandation de partenaire, que le plan ne finance pas)" in (
        budget.headline
    )
    assert "; le canal réseaux sociaux payants en prend la plus grande part (" in (
        budget.consequence
    )
    sentence = reconciled_sentences(today, language="fr", currency="EUR")["budget_mix"]
    assert "une revue des canaux réseaux sociaux payants et événements\u00a0:" in sentence
    # a channel opening a sentence keeps its capital
    assert " Recommandation de partenaire\u00a0: des dépenses aujourd'hui" in sentence
