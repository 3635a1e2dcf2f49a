"""The final report's executive summary, its figures register, its headings and its reconciled
advice (workbook.deliverables.final_figures, final_summary, final_headings, final_tables and
workbook.analysis.reconcile), on the bundled sample (values pinned from the report)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import SAMPLE_DIR
from workbook.analysis.journeys import build_journeys
from workbook.analysis.reconcile import demand_ramp_months, first_month_of_need, scoring_fit
from workbook.deliverables.final import build_final_quant
from workbook.deliverables.final_facts import final_facts
from workbook.deliverables.final_figures import register_final_figures
from workbook.deliverables.final_headings import ANCHORS, final_headings
from workbook.deliverables.final_summary import CORE_FINDINGS, final_findings
from workbook.deliverables.final_tables import (
    accounts_table,
    budget_mix_table,
    final_tables,
    merge_review_export,
    mix_conflicts,
    reconciled_sentences,
    review_table,
    tag_table,
    upcoming_schedule,
)
from workbook.deliverables.midpoint import build_midpoint
from workbook.deliverables.register import FigureRegister
from workbook.deliverables.strategy import build_strategy
from workbook.deliverables.strategy_text import stages_table, strategy_sentences
from workbook.i18n import join_words, pretty
from workbook.intake.engagement import load_engagement


@pytest.fixture(scope="module")
def sample():
    engagement = load_engagement(SAMPLE_DIR)
    journeys = build_journeys(engagement)
    quant = build_final_quant(engagement, journeys, simulate=200, seed=7)
    strategy = build_strategy(
        engagement,
        journeys,
        language="en",
        start=first_month_of_need(quant.plan),
        ramp_months=demand_ramp_months(quant.plan),
    )
    facts = final_facts(engagement, journeys, quant=quant, strategy=strategy)
    register = register_final_figures(FigureRegister(), facts, language="en")
    return engagement, journeys, facts, register


def test_the_roadmap_starts_in_the_plans_first_month_of_need_not_at_the_period_start(sample):
    _, _, facts, _ = sample
    plan = facts.quant.plan
    assert plan.period_start == "2027-01"
    assert facts.need_start == pd.Timestamp("2026-10-01")  # the month after as_of 2026-09-30
    roadmap = facts.strategy.roadmap
    assert roadmap["start"].min() == facts.need_start == facts.strategy.plan_start
    ramp = roadmap.loc[roadmap["task"] == "Ramp demand to full run-rate"].iloc[0]
    # demand ramps from the first month of need to the first stage's peak (Dec 2026)
    assert ramp["start"] == pd.Timestamp("2026-10-01")
    assert ramp["end"] == pd.Timestamp("2027-01-01")
    assert demand_ramp_months(plan) == 3


def test_planned_and_todays_unit_economics_are_two_keys_and_today_matches_the_midpoint(sample):
    engagement, journeys, facts, register = sample
    assert register.value("plan.budget.cac") == pytest.approx(10014.0, abs=1.0)
    assert register.value("plan.budget.ltv_cac") == pytest.approx(25.0, abs=0.05)
    assert register["plan.budget.cac"].window == "2027-01-01/2027-12-31"
    today = build_midpoint(engagement, journeys).kpis.economics  # the mid-point's figures
    assert register.value("kpis.ltv_cac.cac") == today.cac == pytest.approx(11985.31, abs=0.01)
    assert register.value("kpis.ltv_cac.ratio") == today.ratio == pytest.approx(20.93, abs=0.01)
    assert register["kpis.ltv_cac.ratio"].window == "2025-10-01/2026-09-30"
    assert register["kpis.ltv_cac.cac"].count == 97
    assert "planned" in register["plan.budget.cac"].label.lower()
    assert "today" in register["kpis.ltv_cac.cac"].label.lower()


def test_plan_totals_use_the_plan_command_paths_with_count_interval_and_grade(sample):
    _, _, facts, register = sample
    plan = facts.quant.plan
    for k, stage in enumerate(plan.stages):
        assert register.value(f"plan.totals.{stage}") == pytest.approx(plan.totals[k])
    inquiry = register["plan.totals.inquiry"]
    assert inquiry.value == pytest.approx(11749.2, abs=0.1)
    assert inquiry.low < inquiry.value < inquiry.high
    assert inquiry.grade == "solid"
    assert register.value("plan.pipeline_credit.revenue") == pytest.approx(878479, abs=1)


def test_the_summary_opens_with_the_plan_the_budget_ask_and_the_first_90_days(sample):
    _, _, facts, register = sample
    findings = final_findings(facts, register, language="en", currency="EUR")
    assert 3 <= len(findings) <= 5
    assert [f.section for f in findings[: len(CORE_FINDINGS)]] == ["plan", "budget", "roadmap"]
    plan, budget, first_days = findings[:3]
    assert plan.headline == (
        "The plan: sourcing €6,000,000 over 12 months from Jan 2027 takes 11,749 leads "
        "entering the Inquiry stage."
    )
    assert plan.impact == 6_000_000
    assert "planned CAC of €10,014" in budget.headline
    # today's CAC like for like: without Partner referral's spend, which the plan drops
    assert "20.9 today and a CAC of €10,987 today on the same channels" in budget.headline
    assert "(€11,985 with Partner referral, which the plan does not fund)" in budget.headline
    assert f"Hold the share of {_advised(facts, 'review')} at today's level" in budget.decision
    assert first_days.headline.startswith("The first 90 days, Oct 2026 to Dec 2026: 3,668 leads")
    assert register.value("final.plan.first_days.inquiry") == pytest.approx(3668, abs=1)
    assert register["final.plan.first_days.inquiry"].window == "2026-10-01/2026-12-31"
    assert plan.impact >= budget.impact >= first_days.impact
    extras = findings[3:]
    assert [f.section for f in extras] == ["sla", "scoring"]
    assert extras[0].impact >= extras[1].impact  # ranked by revenue at stake
    for finding in findings:
        assert finding.figure in register
        assert finding.decision and finding.consequence


def test_the_summary_is_french_in_a_french_report(sample):
    _, _, facts, register = sample
    findings = final_findings(facts, register, language="fr", currency="EUR")
    assert findings[0].headline.startswith("Le plan\u00a0: générer 6\u202f000\u202f000\u202f€")
    assert "Valider" in findings[1].decision


def test_the_scoring_threshold_gap_with_the_plans_mql_rate_is_stated(sample):
    _, _, facts, _ = sample
    fit = facts.scoring_fit
    assert fit.flagged_share == pytest.approx(0.0572, abs=1e-4)
    assert fit.planned_rate == pytest.approx(0.2437, abs=1e-4)
    assert not fit.consistent
    sentence = reconciled_sentences(facts, language="en", currency="EUR")["scoring_fit"]
    assert "passes 5.7% of leads, while the plan assumes today's 24.4%" in sentence


def test_scoring_fit_finds_the_score_that_passes_the_plans_share():
    holdout = pd.DataFrame(
        {"score": [0.9, 0.8, 0.3, 0.2, 0.1, 0.05], "reached": [1, 1, 1, 0, 0, 0]}
    ).astype({"reached": bool})
    fit = scoring_fit(holdout, threshold=0.85, planned_rate=0.5)
    assert fit.flagged_share == pytest.approx(1 / 6)
    assert fit.matching_threshold == 0.3  # the 3 highest of 6 pass
    assert (fit.matching_precision, fit.matching_recall) == (1.0, 1.0)
    assert not fit.consistent
    assert scoring_fit(holdout, threshold=0.3, planned_rate=0.5).consistent


def test_accounts_and_review_quote_one_source_and_the_html_tables_hold_no_record_id(sample):
    _, journeys, facts, register = sample
    lm = facts.strategy.lead_management
    means = strategy_sentences(facts.strategy, language="en", currency="EUR")
    heads = final_headings(facts, language="en", currency="EUR")
    assert register.value("final.review.accounts") == 376
    assert register.value("final.review.hot_accounts") == 22
    assert means["accounts"].startswith("376 accounts have several leads active")
    assert "at 22 of them" in means["accounts"]
    assert heads["accounts"].title == "376 accounts have several warm leads; 22 of them a hot one"
    assert register.value("final.review.groups") == 284
    # the kickoff's figure, under its key: one figure, one key
    assert register.value("validate.duplicates.leads") == 285
    assert "final.review.duplicates" not in register
    assert means["review"].startswith("284 groups of leads share an e-mail: 285 duplicate leads")
    shown = pd.concat(
        [accounts_table(lm.review), review_table(lm.review, journeys.leads, language="en")]
    )
    assert not shown.astype(str).apply(lambda c: c.str.contains(r"\bL\d{6}\b|ACC\d")).any().any()
    export = merge_review_export(lm.review, language="en")
    assert export["Leads"].str.contains("L0").any()
    assert len(export) == len(lm.review)


def test_tag_suggestions_say_why_in_words_and_never_not_measurable(sample):
    engagement, _, facts, _ = sample
    suggestions = facts.strategy.content.tag_suggestions
    french = tag_table(suggestions, engagement.content, language="fr")
    assert french.loc[0, "why"] == "Son titre contient « energy » et « plant »"
    assert french.loc[0, "stage_confidence"] == "déjà classé"
    english = tag_table(suggestions, engagement.content, language="en")
    assert english.loc[2, "why"] == "Its format or channel: content syndication and whitepaper"
    assert "not measurable" not in english.to_string()


def test_the_budget_shows_todays_mix_beside_the_plans_and_follows_the_midpoint_advice(sample):
    _, _, facts, _ = sample
    table = budget_mix_table(facts, language="en").set_index("channel")
    assert table["today_spend_share"].sum() == pytest.approx(1.0)
    assert table["plan_budget_share"].sum() == pytest.approx(1.0)
    # partner referral had spend but no marketing-sourced lead: the plan funds it not, and
    # paid social's 38.0% of today's spend is 41.5% of the spend on the channels the plan
    # funds: the table compares like for like (held at today's share, as the advice says)
    assert "partner_referral" not in table.index
    assert facts.mix.set_index("channel").loc["paid_social", "today_spend_share"] == (
        pytest.approx(0.380, abs=1e-3)
    )
    assert table.loc["paid_social", "today_spend_share"] == pytest.approx(0.4146, abs=1e-4)
    assert table.loc["paid_social", "plan_budget_share"] == pytest.approx(0.415, abs=1e-3)
    assert table.loc["paid_social", "advice"] == "Review"
    assert mix_conflicts(facts).empty  # no channel under review gets more than today
    sentence = reconciled_sentences(facts, language="en", currency="EUR")["budget_mix"]
    assert sentence.startswith("The plan keeps today's channel mix: each channel brings")
    review = _advised(facts, "review")  # the mid-point's rule (workbook.analysis.channel_advice)
    assert review  # paid social on the sample
    assert f"The mid-point asked for a review of {review}: the plan gives no more" in sentence
    # a blank advice cell is explained once, for the rows the table shows
    blank = table.loc[table["advice"] == ""].index  # the mid-point's too-little-data channels
    assert len(blank) and "partner_referral" not in blank
    names = join_words([pretty(c, "en") for c in blank], "en")
    assert sentence.count("could give no advice") == 1
    assert f"could give no advice on {names}: too little data" in sentence
    assert sentence.endswith(
        "Partner referral: spend today but no marketing-sourced lead in the KPI window, so no "
        "budget in the plan; the other channels' shares of budget rise by as much."
    )


def _advised(facts, kind: str) -> str:
    """The planned channels the mid-point gives ``kind`` advice, as the sentences name them."""
    planned = set(facts.quant.budget.allocation["channel"])
    names = [
        pretty(c, "en")
        for c in facts.advice.loc[facts.advice["advice"] == kind, "channel"]
        if c in planned
    ]
    return join_words(names, "en")


def test_every_heading_states_a_finding_with_a_stable_anchor_in_both_languages(sample):
    _, _, facts, _ = sample
    english = final_headings(facts, language="en", currency="EUR")
    french = final_headings(facts, language="fr", currency="EUR")
    assert set(english) == set(french) == set(ANCHORS)
    for key in english:
        assert english[key].anchor == french[key].anchor == ANCHORS[key]
        assert english[key].title != french[key].title
    assert english["sla"].title == "Only 15.9% of leads pass from MQL to SAL within the 2-day SLA"
    assert french["roadmap"].title.startswith("La feuille de route démarre en oct. 2026")


def test_the_tables_saved_for_excel_are_the_ones_the_brief_names(sample):
    _, _, facts, _ = sample
    tables = final_tables(facts, language="en")
    assert set(tables) == {
        *("scoring_weights", "scoring_summary", "sla", "merge_review", "budget"),  # Excel
        *("plan_schedule", "tornado", "content_matrix"),  # the deck's charts
        *("plan_stages", "plan_schedule_all", "budget_allocation"),  # Excel's plan sheets
    }
    assert tables["plan_schedule"]["month"].min() >= pd.Timestamp("2026-09-01")
    assert list(tables["sla"]["median_response_days"]) == [8.0, 21.0, 17.0]
    summary = tables["scoring_summary"].set_index("measure")["value"]
    assert summary["Recommended MQL score"] == pytest.approx(0.3176, abs=1e-4)


def test_review_points_count_from_the_revenue_period_and_no_month_already_past_is_shown(sample):
    engagement, _, facts, _ = sample
    roadmap = facts.strategy.roadmap
    reviews = roadmap.loc[roadmap["milestone"], "start"].tolist()
    # 3, 6 and 12 months into the revenue period that starts in Jan 2027
    assert reviews == [
        pd.Timestamp("2027-04-01"),
        pd.Timestamp("2027-07-01"),
        pd.Timestamp("2028-01-01"),
    ]
    shown = upcoming_schedule(facts.quant.schedule, as_of=engagement.as_of)
    # as_of (2026-09-30) is the last day of its month: the first month still open is October
    assert shown["month"].min() == pd.Timestamp("2026-10-01")
    assert facts.quant.gap["peak_month"].min() >= pd.Timestamp("2026-10-01")


def test_tables_say_in_words_what_has_no_figure(sample):
    _, _, facts, _ = sample
    stages = stages_table(facts.strategy.lead_management, language="fr")
    assert list(stages["sla_days"]) == [
        "aucun convenu",
        "2",
        "14",
        "30",
        "aucun convenu",
        "aucun convenu",
    ]
    process = facts.strategy.process_model
    assert "-" not in set(process["channels"]) | set(process["content"])
    assert process.set_index("stage").loc["SQL", "channels"] == "No channel reaches it in the data"


def test_the_first_90_days_share_is_their_leads_over_the_plans_total(sample):
    _, _, facts, register = sample
    findings = final_findings(facts, register, language="en", currency="EUR")
    first_days = findings[2]
    leads = register.value("final.plan.first_days.inquiry")
    total = register.value("plan.totals.inquiry")
    share = register.value("final.plan.first_days_share.inquiry")
    assert share == pytest.approx(leads / total)  # 3,668 / 11,749, not over the gross schedule
    assert share == pytest.approx(0.312, abs=0.001)
    assert "(31.2% of the plan's leads)" in first_days.consequence
    revenue = register.value("final.plan.first_days_revenue")
    assert revenue == pytest.approx(share * 6_000_000)
    assert f"about €{revenue:,.0f} of the target" in first_days.consequence
    assert register["final.plan.first_days_share.inquiry"].window == "2026-10-01/2026-12-31"


def test_the_plan_finding_compares_the_run_rate_with_the_leads_still_needed(sample):
    _, _, facts, register = sample
    plan = final_findings(facts, register, language="en", currency="EUR")[0]
    # 933 a month x 12 = 11,196 covers the 10,029 still needed after the pipeline credit
    assert register.value("final.plan.run_total.inquiry") == pytest.approx(933 * 12)
    assert "10,029 of them are still needed" in plan.consequence
    assert "brings 11,196 in 12 months, enough in volume but not in time" in plan.consequence
    assert register.value("final.plan.target_revenue") == 6_000_000


def test_the_mean_monthly_need_times_the_plan_months_is_the_plan_total(sample):
    _, _, facts, _ = sample
    plan, gap = facts.quant.plan, facts.quant.gap
    means = gap["mean_required"].to_numpy() * plan.period_months
    assert means == pytest.approx(plan.totals)  # 979 a month x 12 = 11,749 at Inquiry
    assert gap["mean_required"].iloc[0] == pytest.approx(11749.2 / 12, abs=0.1)


def test_one_recommended_threshold_and_the_scoring_keys_are_the_score_commands(sample):
    _, _, facts, register = sample
    score = facts.strategy.scoring
    printed = score.to_dict()  # what `workbook score --json` prints
    assert (
        register.value("score.threshold") == printed["threshold"] == pytest.approx(0.32, abs=0.005)
    )
    assert register.value("score.auc") == printed["auc"]
    assert register.value("score.precision_at_threshold") == printed["precision_at_threshold"]
    assert "final.scoring.threshold" not in register and "final.scoring.auc" not in register
    findings = final_findings(facts, register, language="en", currency="EUR")
    scoring = next(f for f in findings if f.section == "scoring")
    assert scoring.decision.startswith("Put lead scoring live at the recommended score of 0.32")
    assert "Start with" not in scoring.decision
    assert register.value("final.scoring.needed.inquiry") == pytest.approx(
        register.value("plan.totals.inquiry") / printed["recall_at_threshold"], rel=0.01
    )
    assert "final.scoring.revenue_at_stake" in register
    sentence = reconciled_sentences(facts, language="en", currency="EUR")["scoring_fit"]
    assert sentence.endswith(
        "Fewer but better leads reach sales: a quieter pipeline for three to six months is normal."
    )
    means = strategy_sentences(facts.strategy, language="en", currency="EUR")["scoring"]
    assert "Fewer but better" not in means  # said once, where the gap is stated


def test_the_sla_wait_and_the_plans_lag_are_two_named_measures_with_windows(sample):
    _, _, facts, register = sample
    assert register.value("final.sla.mql_sal.median_days") == 8
    assert register["final.sla.mql_sal.median_days"].window == "2025-10-01/2026-09-30"
    assert register.value("plan.assumptions.lag_days.mql_sal") == pytest.approx(6, abs=0.5)
    assert register["plan.assumptions.lag_days.mql_sal"].window == "2025-10-01/2026-09-30"
    assert "moved on" in register["plan.assumptions.lag_days.mql_sal"].label
    sla = next(f for f in final_findings(facts, register, language="en", currency="EUR")
               if f.section == "sla")  # fmt: skip
    assert "late ones included, the median wait was 8 days" in sla.headline
    assert "they are not lost" in sla.consequence
    assert register.value("final.sla.mql_sal.breached") == 2317
    assert register["final.sla.mql_sal.revenue_delayed"].unit == "money"


def test_every_figure_the_summary_quotes_is_registered(sample):
    _, _, facts, register = sample
    findings = final_findings(facts, register, language="en", currency="EUR")
    budget = findings[1]
    share = register.value("final.budget.share.paid_social")
    assert share == pytest.approx(0.415, abs=0.001)
    assert "(41.5%)" in budget.consequence
    assert register.value("final.plan.new_won") == pytest.approx(102, abs=0.5)
    assert register.value("final.budget.today_cac_plan_channels") == pytest.approx(10987, abs=1)
    for figure in ("final.plan.first_days_revenue", "final.sla.mql_sal.revenue_delayed",
                   "final.scoring.revenue_at_stake", "final.scoring.matching_threshold"):  # fmt: skip
        assert register[figure].value is not None
    # no grade on a figure the data cannot give
    assert all(f.grade is None for f in register if f.value is None)


def test_the_organisation_heading_states_who_owns_the_lead_until_when(sample):
    _, _, facts, _ = sample
    heads = final_headings(facts, language="en", currency="EUR")
    assert (
        heads["organisation"].title == "Marketing owns the lead up to MQL; sales takes it from SAL"
    )


def test_the_won_stage_converts_to_nothing_not_applicable_not_unmeasurable(sample):
    _, _, facts, _ = sample
    from workbook.deliverables.final_views import plan_stages_blocks

    (block,) = plan_stages_blocks(facts.quant.stages, language="en")
    assert list(block.frame["rate"])[-1] == "not applicable"
    assert list(block.frame["rate"])[0] == "24.4%"
    (block,) = plan_stages_blocks(facts.quant.stages, language="fr")
    assert list(block.frame["rate"])[-1] == "sans objet"


def test_the_sparse_final_gives_no_figure_no_advice_and_no_empty_table_it_cannot_fill():
    from workbook.deliverables.final_views import sla_blocks

    engagement = load_engagement(SAMPLE_DIR.parent / "sparse_client")
    journeys = build_journeys(engagement)
    quant = build_final_quant(engagement, journeys, simulate=200, seed=7)
    strategy = build_strategy(engagement, journeys, language="en")
    facts = final_facts(engagement, journeys, quant=quant, strategy=strategy)
    register = register_final_figures(FigureRegister(), facts, language="en")
    # no e-mail column: duplicates were not looked for, so no figure (not 0) and no grade
    assert facts.duplicates is None
    assert register.value("validate.duplicates.leads") is None
    assert register["validate.duplicates.leads"].grade is None
    assert register.value("final.review.groups") is None
    # no spend: the plan's budget figures are null and ungraded
    assert register.value("plan.budget.cac") is None
    assert register["plan.budget.cac"].grade is None
    # the mid-point could give no channel advice: no column, one sentence
    assert "advice" not in budget_mix_table(facts, language="en")
    sentence = reconciled_sentences(facts, language="en", currency="GBP")["budget_mix"]
    assert sentence.count("could give no channel advice") == 1
    # no lead entered a stage with an agreed SLA: no table, not an empty header
    assert len(strategy.lead_management.sla) == 0
    assert sla_blocks(strategy.lead_management.sla, language="en") == []
