"""Thin data worded as it is (issue 16 review, items 7, 8, 9 and 4).

An opportunities-only export (``stages: [opportunity, won]``, no leads file, no channel, no
e-mail, no spend, content or touches), a ``[mql, won]`` export, and a CRM preset's
``sourced_by: {value: marketing}``: the reports say what the data cannot show in one plain
sentence (English and French), and never give advice that needs a stage, a channel, an
e-mail or a measured source the export does not have.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import TINY_LEADS, TINY_OPPS, TINY_YAML, write_engagement
from workbook.deliverables.kickoff import build_kickoff, kickoff_sentences
from workbook.deliverables.midpoint import build_midpoint
from workbook.deliverables.midpoint_tables import (
    executive_table,
    midpoint_next_steps,
    scorecard_table,
)
from workbook.deliverables.midpoint_text import midpoint_sentences
from workbook.deliverables.strategy import build_strategy
from workbook.deliverables.strategy_text import strategy_sentences
from workbook.deliverables.thin_data import (
    assumed_columns,
    assumed_sentence,
    channel_recorded,
    emails_provided,
    one_step,
)
from workbook.intake.engagement import load_engagement

NO_OPTIONAL = {"data/spend.csv": None, "data/content.csv": None, "data/touches.csv": None}


def opportunities_only(directory: Path) -> Path:
    """``[opportunity, won]``: the tiny opportunities alone (no channel, no e-mail)."""
    return write_engagement(
        directory,
        {
            "engagement.yaml": TINY_YAML + "stages: [opportunity, won]\n",
            "data/leads.csv": None,
            **NO_OPTIONAL,
        },
    )


def mql_won(directory: Path) -> Path:
    """``[mql, won]``: each tiny lead entering at MQL, won on its deal's close."""
    leads = pd.read_csv(pd.io.common.StringIO(TINY_LEADS), dtype=str)
    leads = leads.drop(columns=["mql_at", "sal_at", "sql_at"])
    return write_engagement(
        directory,
        {
            "engagement.yaml": TINY_YAML + "stages: [mql, won]\n",
            "data/leads.csv": leads.to_csv(index=False),
            **NO_OPTIONAL,
        },
    )


def sourced_by_assumed(directory: Path) -> Path:
    """The tiny engagement with sourced_by set in engagement.yaml, as the CRM presets do."""
    frame = pd.read_csv(pd.io.common.StringIO(TINY_OPPS), dtype=str).drop(columns="sourced_by")
    leads = pd.read_csv(pd.io.common.StringIO(TINY_LEADS), dtype=str).drop(columns="sourced_by")
    yaml = TINY_YAML + (
        "columns:\n"
        "  leads:\n"
        "    sourced_by: {value: marketing}\n"
        "  opportunities:\n"
        "    sourced_by: {value: marketing}\n"
    )
    return write_engagement(
        directory,
        {
            "engagement.yaml": yaml,
            "data/leads.csv": leads.to_csv(index=False),
            "data/opportunities.csv": frame.to_csv(index=False),
        },
    )


@pytest.fixture(scope="module")
def opponly(tmp_path_factory):
    return load_engagement(opportunities_only(tmp_path_factory.mktemp("opponly")))


@pytest.fixture(scope="module")
def mqlwon(tmp_path_factory):
    return load_engagement(mql_won(tmp_path_factory.mktemp("mqlwon")))


@pytest.fixture(scope="module")
def assumed(tmp_path_factory):
    return load_engagement(sourced_by_assumed(tmp_path_factory.mktemp("assumed")))


def test_the_helpers_read_the_thin_cases(opponly, mqlwon, assumed):
    assert one_step(opponly.config.stages) and one_step(mqlwon.config.stages)
    assert not one_step(("lead", "mql", "won"))
    assert not channel_recorded(pd.Series(["not_recorded"] * 3))
    assert channel_recorded(pd.Series(["not_recorded", "webinar"]))
    assert not emails_provided(opponly) and emails_provided(mqlwon)
    assert assumed_columns(assumed) == {"sourced_by": "marketing"}
    assert assumed_columns(mqlwon) == {}
    assert assumed_sentence({}, language="en") is None


def test_kickoff_opportunities_only_says_no_channel_no_email_and_one_step(opponly):
    report = build_kickoff(opponly)
    assert report.duplicates is None  # not looked for, not 0
    en = kickoff_sentences(report, language="en", currency="EUR")
    fr = kickoff_sentences(report, language="fr", currency="EUR")
    assert en["mix"] == (
        "No channel was recorded in the export, so leads cannot be shown by channel. "
        "50.0% of leads are marketing-sourced."
    )
    assert fr["mix"].startswith("Aucun canal n'est renseigné dans l'export")
    assert "Not recorded" not in en["mix"] and "Non renseigné" not in fr["mix"]
    assert en["inventory"].startswith(
        "4 of 4 rows are usable (100.0%). No row had to be set aside, and no warning needs a"
        " look; the export has no e-mail to find duplicate leads with."
    )
    assert "repeat an earlier lead's e-mail" not in en["inventory"]
    assert "l'export n'a pas d'e-mail pour repérer les leads en double" in fr["inventory"]
    assert en["funnel"].startswith("Of 4 leads that entered Opportunity, 50.0% reached Won")
    assert "records this one step only" in en["funnel"]
    assert "weakest step" not in en["funnel"]
    assert "n'enregistre que cette étape" in fr["funnel"] and "plus faible" not in fr["funnel"]


def test_kickoff_with_channels_and_emails_keeps_its_findings(mqlwon):
    en = kickoff_sentences(build_kickoff(mqlwon), language="en", currency="EUR")
    assert (
        en["mix"]
        == "Webinar brings the most leads (50.0% of all); 83.3% of leads are marketing-sourced."
    )
    assert "1 lead repeats an earlier lead's e-mail and goes to the merge review" in en["inventory"]


@pytest.mark.parametrize("case", ["opponly", "mqlwon"])
def test_midpoint_one_step_ladder_gives_no_glass_and_no_hand_off_advice(case, request):
    engagement = request.getfixturevalue(case)
    report = build_midpoint(engagement)
    first = "Opportunity" if case == "opponly" else "MQL"
    en = midpoint_sentences(report, language="en", currency="EUR")
    fr = midpoint_sentences(report, language="fr", currency="EUR")
    assert en["shape"].startswith(f"The export records one step, {first} → Won: about ")
    assert "cannot be read" in en["shape"] and "martini glass:" not in en["shape"]
    assert "Qualifying earlier" not in en["shape"]
    assert (
        "L'export n'enregistre qu'une étape" in fr["shape"]
        and "Qualifier plus tôt" not in fr["shape"]
    )
    assert f"of the leads that enter {first} never reach Won" in en["leakage"]
    assert "hand-off" not in en["leakage"] and "after qualification" not in en["leakage"]
    assert en["operations"].startswith(f"The export records one step, {first} → Won, so which")
    assert "fix the" not in en["operations"]
    assert "critères de passage" not in fr["leakage"]
    steps = midpoint_next_steps(report, language="en")
    assert steps[0] == (
        f"Record the stages between {first} and Won in the CRM, so the next analysis can "
        "show where leads are lost."
    )
    assert not any("hand-off criteria" in step for step in steps)
    scorecard = scorecard_table(report, language="en", currency="EUR")
    health = scorecard.loc[scorecard["kpi"].str.startswith("Health"), "detail"].iloc[0]
    assert health.startswith(f"{first} → Won, the only step recorded; ")


def test_midpoint_without_any_channel_shows_no_not_recorded_channel(opponly):
    report = build_midpoint(opponly)
    en = midpoint_sentences(report, language="en", currency="EUR")
    assert en["levers"] == (
        "No channel was recorded in the export, so leads cannot be shown by channel. "
        "No marketing spend was provided: cost per lead, CAC and LTV:CAC need it."
    )
    assert "Not recorded" not in " ".join(en.values())


def test_strategy_opportunities_only_says_what_cannot_be_counted(opponly):
    report = build_strategy(opponly, language="en")
    assert report.scoring is None  # four deals: too few for a model
    en = strategy_sentences(report, language="en", currency="EUR")
    fr = strategy_sentences(report, language="fr", currency="EUR")
    assert en["recycling"] == (
        "The export has no lead stage before Opportunity, so no lead can be counted as "
        "disqualified or recycled."
    )
    assert "leads were disqualified" not in en["recycling"]
    assert fr["recycling"].startswith("L'export n'a pas d'étape de lead avant Opportunité")
    assert en["review"] == "The export has no e-mail to find duplicate leads with."
    assert "with a hot one" not in en["accounts"]
    assert "0 groups of leads share an e-mail" not in en["review"]
    checklist = report.technology.set_index("item")["evidence"]
    assert checklist["Opportunities linked to their originating lead"] == (
        "No leads file: no lead to link opportunities to"
    )
    assert checklist["Duplicate leads merged"] == "The export has no e-mail to find duplicates with"
    status = report.technology.set_index("item")["status"]
    assert status["Opportunities linked to their originating lead"] == "todo"
    process = report.process_model.set_index("stage")["channels"]
    assert process["Opportunity"] == "No channel recorded in the export"


def test_strategy_with_emails_but_no_score_says_hot_leads_need_the_score(mqlwon):
    report = build_strategy(mqlwon, language="en")
    assert report.scoring is None
    en = strategy_sentences(report, language="en", currency="EUR")
    assert en["review"].startswith("One group of 2 leads shares an e-mail: merge them into ")
    assert en["accounts"] == "Account signals need the scoring model."  # no score, no hot lead
    evidence = report.technology.set_index("item")["evidence"]
    assert evidence["Duplicate leads merged"] == "1 duplicate leads"


def test_a_sourced_by_set_in_engagement_yaml_is_an_assumption_not_a_finding(assumed):
    kickoff = kickoff_sentences(build_kickoff(assumed), language="en", currency="EUR")
    assert kickoff["mix"] == (
        "Webinar brings the most leads (50.0% of all). Every lead and deal was taken as "
        "sourced by Marketing: the export does not say who sourced them, so this is an "
        "assumption, and the marketing-sourced shares and lift are not findings."
    )
    assert "100.0% of leads are marketing-sourced" not in kickoff["mix"]
    fr = kickoff_sentences(build_kickoff(assumed), language="fr", currency="EUR")
    assert "l'export ne dit pas qui les a générés" in fr["mix"]
    report = build_midpoint(assumed)
    assert report.assumed == {"sourced_by": "marketing"}
    en = midpoint_sentences(report, language="en", currency="EUR")
    for key in ("scorecard", "executive", "trend", "sources", "sales"):
        assert "the export does not say who sourced them" in en[key], key
        assert "sourced 100.0%" not in en[key]
    scorecard = scorecard_table(report, language="en", currency="EUR")
    lift = scorecard.loc[scorecard["kpi"].str.startswith("Lift")].iloc[0]
    assert lift["figure"] == "assumed, not measured" and lift["detail"] == ""
    executive = executive_table(report, language="en", currency="EUR").set_index("measure")
    assert executive.loc["Share of won revenue sourced by marketing", "figure"] == (
        "assumed, not measured"
    )
    assert executive.loc["Won revenue in the window (all sources)", "figure"] == "€130,000"


def test_a_feature_no_lead_varies_in_gets_no_weight_and_every_pass_is_said(tmp_path):
    from dataclasses import replace

    from tests.runs.test_ladders import ladder_case
    from workbook.analysis.scoring import build_scoring
    from workbook.deliverables.strategy_text import weights_table

    engagement = load_engagement(ladder_case("opportunity_won", tmp_path / "e", n_leads=5000))
    scoring = build_scoring(engagement)
    # no channel, persona or segment in an opportunities export: one value for every deal
    features = set(scoring.weights["feature"])
    assert features and all(f.startswith("sourced_by=") for f in features), features
    shown = weights_table(scoring, language="en")
    assert not shown.to_string().count("Not recorded")
    some = replace(scoring, flagged_share=0.5)  # a threshold that holds some deals back
    report = replace(build_strategy(engagement, language="en"), scoring=some)
    en = strategy_sentences(report, language="en", currency="EUR")["scoring"]
    assert en.startswith("The model ranks opportunities (AUC ")
    assert "helps sales prioritise open deals; it does not filter leads." in en
    everyone = replace(report, scoring=replace(scoring, flagged_share=1.0))
    en = strategy_sentences(everyone, language="en", currency="EUR")["scoring"]
    assert "every lead passes: the score cannot yet hold leads back from sales" in en
    assert "Fewer but better leads reach sales" not in en
