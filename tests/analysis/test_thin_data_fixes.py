"""Thin data, read honestly: the pipeline credit and stuck deals of a ladder without an
opportunity stage, open deals without an amount, and figures over the months the data covers.

The [mql, won] engagement: the tiny engagement's opportunities with six leads whose ``mql``
date is their creation. L1 wins on O1's close (2026-04-01, 86 days), L5's only deal is lost
(2026-05-01, 61 days); L2, L3, L4 (O4 open) and L6 (2026-05-01) are open MQLs at as_of
(2026-06-30). The MQL -> won curve: at 61 days one exit of 5 at risk (S = 0.8), at 86 days
one win of 4 at risk (F = 0.8 x 1/4 = 0.2), nothing after. An open MQL older than 86 days
has no chance left; L6 (60 days) has 0.2, landing 26 days after as_of (July 2026).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.conftest import TINY_OPPS, TINY_YAML, write_engagement
from workbook.analysis.budget import engagement_costs
from workbook.analysis.journeys import build_journeys
from workbook.analysis.kpis import compute_kpis
from workbook.analysis.plan import build_plan, estimate_plan_inputs
from workbook.deliverables.final import build_final_quant
from workbook.deliverables.final_text import final_quant_sentences
from workbook.deliverables.midpoint import build_midpoint
from workbook.deliverables.midpoint_text import midpoint_sentences
from workbook.intake.engagement import load_engagement

MQL_LEADS = (
    "lead_id,created_at,source_channel\n"
    "L1,2026-01-05,webinar\nL2,2026-01-06,events\nL3,2026-02-01,webinar\n"
    "L4,2026-02-10,events\nL5,2026-03-01,events\nL6,2026-05-01,webinar\n"
)
#: The plan starts the month after as_of, so July's expected win is inside it.
JULY_START = TINY_YAML.replace("period_start: 2027-01", "period_start: 2026-07")


@pytest.fixture(scope="module")
def mql_won(tmp_path_factory):
    folder = write_engagement(
        tmp_path_factory.mktemp("mqlwon"),
        {"engagement.yaml": JULY_START + "stages: [mql, won]\n", "data/leads.csv": MQL_LEADS},
    )
    return load_engagement(folder)


def test_mql_won_credits_the_open_mqls_not_the_open_deals(mql_won):
    inputs = estimate_plan_inputs(mql_won)
    # L2, L3, L4, L6 are open MQLs; O4 (open, €40,000) is not credited as a deal
    assert inputs.open_counts.tolist() == [4]
    assert (inputs.open_leads, inputs.open_opportunities, inputs.open_without_amount) == (4, 0, 0)
    np.testing.assert_allclose(inputs.landing_count[0], [0.0, 0.2])  # L6's 0.2, in July
    np.testing.assert_allclose(inputs.landing_amount[0], [0.0, 0.0])  # leads carry no amount
    plan = build_plan(mql_won)
    # valued at the average marketing-sourced won deal (O1, €50,000): 0.2 x 50,000
    assert plan.pipeline_credit == pytest.approx({"revenue": 10_000.0, "won": 0.2})
    assert "pipeline_amount" not in plan.sources


def test_mql_won_pipeline_sentence_names_only_the_open_leads(mql_won):
    report = build_final_quant(mql_won)
    en = final_quant_sentences(report, language="en", currency="EUR")["pipeline"]
    fr = final_quant_sentences(report, language="fr", currency="EUR")["pipeline"]
    assert en.startswith(
        "The marketing-sourced leads open today (4) are expected to bring €10,000 inside the "
        "plan period (1.0% of the target, 0.2 deals)"
    )
    assert "opportunities" not in en and "without an amount" not in en
    assert fr.startswith("Les leads d'origine marketing ouverts aujourd'hui (4) devraient apporter")


def test_mql_won_stuck_deals_are_judged_on_the_deals_own_time_to_win(mql_won):
    report = build_midpoint(mql_won)
    # won deals took 59 (O1) and 89 days (O3): the 90th percentile is 59 + 0.9 x 30 = 86
    # (L1's 86 days from MQL to won, by coincidence: the next test tells them apart);
    # O4 (107 days open) is stuck
    assert report.stuck_threshold_days == pytest.approx(86.0)
    assert report.stuck_opportunities["opportunity_id"].tolist() == ["O4"]
    en = midpoint_sentences(report, language="en", currency="EUR")["stuck_opportunities"]
    assert en.startswith(
        "1 open opportunity worth €40,000 has been open longer than 86 days, the time by "
        "which 90% of won deals closed"
    )


def test_mql_won_threshold_is_not_the_lead_to_won_time(tmp_path):
    # O1 now opened 10 days before its win: won deals took 10 and 89 days (p90 81.1), while
    # L1 still took 86 days from MQL to won
    opps = TINY_OPPS.replace("O1,L1,ACC1,2026-02-01", "O1,L1,ACC1,2026-03-22")
    folder = write_engagement(
        tmp_path / "e",
        {
            "engagement.yaml": JULY_START + "stages: [mql, won]\n",
            "data/leads.csv": MQL_LEADS,
            "data/opportunities.csv": opps,
        },
    )
    report = build_midpoint(load_engagement(folder))
    assert report.kpis.stuck["threshold_days"].iloc[-1] == pytest.approx(86.0)  # MQL -> won
    assert report.stuck_threshold_days == pytest.approx(10 + 0.9 * 79)


def test_the_default_ladder_keeps_the_opportunity_to_won_threshold(tmp_path):
    report = build_midpoint(load_engagement(write_engagement(tmp_path / "e")))
    assert report.stuck_threshold_days == pytest.approx(59.0)  # O1: opportunity -> won


@pytest.mark.parametrize(
    ("assumptions", "en_clause", "fr_clause"),
    [
        (
            "",
            "1 open deal without an amount is valued at the average won deal (€50,000).",
            "1 affaire ouverte sans montant est valorisée au montant moyen des affaires "
            "gagnées (50\u202f000\u202f€).",
        ),
        (
            "assumptions:\n  avg_deal_size: 60000\n",
            "1 open deal without an amount is valued at the average deal size agreed for this "
            "engagement (€60,000).",
            "1 affaire ouverte sans montant est valorisée au montant moyen d'affaire convenu "
            "pour cette mission (60\u202f000\u202f€).",
        ),
    ],
)
def test_open_deals_without_an_amount_are_said_to_be_valued_at_the_deal_size(
    tmp_path, assumptions, en_clause, fr_clause
):
    opps = TINY_OPPS.replace("O4,L4,ACC3,2026-03-15,,open,40000,", "O4,L4,ACC3,2026-06-10,,open,,")
    folder = write_engagement(
        tmp_path / "e",
        {"engagement.yaml": JULY_START + assumptions, "data/opportunities.csv": opps},
    )
    report = build_final_quant(load_engagement(folder))
    assert report.plan.sources["pipeline_amount"] == "avg_deal_size"
    assert report.inputs.open_without_amount == 1
    en = final_quant_sentences(report, language="en", currency="EUR")["pipeline"]
    fr = final_quant_sentences(report, language="fr", currency="EUR")["pipeline"]
    assert en.startswith("The marketing-sourced leads (2) and opportunities (1) open today")
    assert en.endswith(en_clause)
    assert fr.endswith(fr_clause)


def test_priced_open_deals_add_no_clause(tmp_path):
    report = build_final_quant(load_engagement(write_engagement(tmp_path / "e")))
    en = final_quant_sentences(report, language="en", currency="EUR")["pipeline"]
    assert "pipeline_amount" not in report.plan.sources and "without an amount" not in en


# leads stop on 2025-12-10, spend (webinar, €1,000 a month) and opportunities run to as_of
# (2026-06-30); the KPI window is Jul 2025 .. Jun 2026


def test_cost_per_lead_reads_the_months_both_spend_and_leads_cover(stopped):
    engagement, journeys = stopped
    costs = engagement_costs(engagement, journeys)
    # Jul..Dec 2025: 6 x €1,000 over 5 x 10 + 10 (December to the 10th) = 60 inquiries;
    # the whole window would be €12,000 over the same 60 leads, twice the cost
    assert costs[["channel", "spend", "inquiries"]].values.tolist() == [["webinar", 6000.0, 60]]
    assert costs["cost_per_inquiry"].tolist() == [100.0]
    assert costs.attrs["months"] == ("2025-07", "2025-12")


def test_channel_levers_read_the_months_both_spend_and_leads_cover(stopped):
    engagement, journeys = stopped
    channels = compute_kpis(engagement, journeys).channels
    # won deals closed Jul..Dec 2025: June's to November's leads (opened the next month's
    # 28th, won 30 days later): 6 of €1,000
    row = channels.iloc[0]
    assert (row["spend"], row["leads"], row["won_count"], row["cac"]) == (6000.0, 60, 6, 1000.0)
    assert channels.attrs["months"] == ("2025-07", "2025-12")


def test_reports_name_the_months_a_run_rate_a_cost_or_a_cohort_reads(stopped):
    engagement, journeys = stopped
    assert estimate_plan_inputs(engagement, journeys).run_rate_months == ("2025-06", "2025-11")
    final = build_final_quant(engagement, journeys)
    assert final.budget.cost_months == ("2025-07", "2025-12")
    en = final_quant_sentences(final, language="en", currency="EUR")
    fr = final_quant_sentences(final, language="fr", currency="EUR")
    assert "against 10 today" in en["volumes"]
    assert en["volumes"].endswith(
        "Today's run-rate is the average of Jun 2025 to Nov 2025, the last complete months the "
        "data covers."
    )
    assert fr["volumes"].endswith(
        "Le rythme actuel est la moyenne des mois juin 2025 à nov. 2025, les derniers mois "
        "complets que couvrent les données."
    )
    assert "(€100 a lead on average)" in en["budget"]
    assert en["budget"].endswith(
        "The cost per lead reads Jul 2025 to Dec 2025 only, the months both the spend and the "
        "leads cover."
    )
    mid = midpoint_sentences(build_midpoint(engagement, journeys), language="en", currency="EUR")
    assert mid["cohort"].endswith(
        "The data covers Jan 2025 to Dec 2025 only: a cohort is observed up to Dec 2025, not to "
        "the snapshot date."
    )
    assert mid["levers"].endswith(
        "Spend, leads and won deals by channel are read over Jul 2025 to Dec 2025 only, the "
        "months both the spend and the leads cover."
    )


def test_a_fully_covered_engagement_names_no_months(tmp_path):
    engagement = load_engagement(write_engagement(tmp_path / "e"))
    final = build_final_quant(engagement)
    assert final.inputs.run_rate_months is None and final.budget.cost_months is None
    en = final_quant_sentences(final, language="en", currency="EUR")
    mid = midpoint_sentences(build_midpoint(engagement), language="en", currency="EUR")
    words = ("the data covers", "the months both", "last complete months")
    for sentence in (en["volumes"], en["budget"], mid["cohort"], mid["levers"]):
        assert not any(w in sentence.lower() for w in words)
    assert compute_kpis(engagement).channels.attrs == {}
    assert pd.Series(engagement_costs(engagement, build_journeys(engagement)).attrs).empty
