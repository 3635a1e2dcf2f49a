"""The mid-point's executive summary, registered figures, headings and reconciled advice
(workbook.deliverables.midpoint_summary, midpoint_register, midpoint_headings), on the sample."""

from __future__ import annotations

import re

import pytest

from tests.conftest import SAMPLE_DIR
from workbook.deliverables.midpoint import build_midpoint
from workbook.deliverables.midpoint_facts import format_ratio
from workbook.deliverables.midpoint_headings import ANCHORS, midpoint_headings
from workbook.deliverables.midpoint_register import register_midpoint
from workbook.deliverables.midpoint_summary import (
    answer_hypotheses,
    midpoint_findings,
    midpoint_summary_html,
)
from workbook.deliverables.midpoint_text import midpoint_sentences
from workbook.deliverables.register import FigureRegister
from workbook.i18n import text
from workbook.intake.engagement import load_engagement


@pytest.fixture(scope="module")
def sample():
    engagement = load_engagement(SAMPLE_DIR)
    return engagement, build_midpoint(engagement)


def test_the_leak_to_fix_is_opportunity_to_won_everywhere(sample):
    _, report = sample
    # opportunity -> won loses 71.7% of 647 (464 deals); MQL -> SAL 54.5% of 4,727 (236 deals)
    assert report.biggest_leak[:2] == ("opportunity", "won")
    assert report.biggest_leak[2] == pytest.approx(0.717, abs=0.001)
    findings = midpoint_findings(report, language="en", currency="EUR")
    assert findings[0].section == "leaks"
    assert findings[0].figure == "kpis.health.leakage.opportunity_won"
    assert "Opportunity → Won" in findings[0].headline and "464" in findings[0].headline
    # the money over the KPI window only: the 233 marketing opportunities closed lost from
    # Oct 2025 to Sep 2026 (330 closed, 97 won) at the window's average deal (50,160), never
    # the 464 deals of 24 months (23.3M, more than all 13.19M won in the window)
    assert findings[0].impact == pytest.approx(233 * 50_160.46, rel=1e-6)
    assert findings[0].impact < 13_191_589 < 464 * 50_160
    assert "From Oct 2025 to Sep 2026, 233 opportunities were lost" in findings[0].consequence
    assert "€11,687,388" in findings[0].consequence and "€1,168,739" in findings[0].consequence
    leak = report.leaks.set_index("from").loc["opportunity"]
    assert leak["revenue_lost"] <= leak["revenue_cap"] == pytest.approx(330 * 50_160.46)
    means = midpoint_sentences(report, language="en", currency="EUR")
    assert "the leak to fix is Opportunity → Won" in means["leakage"]
    heads = midpoint_headings(report, language="en", currency="EUR")
    assert heads["leakage"] == "The leak to fix: Opportunity → Won, about 464 won deals lost"


def test_findings_are_three_to_five_ranked_by_money_at_stake(sample):
    _, report = sample
    findings = midpoint_findings(report, language="en", currency="EUR")
    assert 3 <= len(findings) <= 5
    impacts = [f.impact for f in findings if f.grade != "too_little_data"]
    assert impacts == sorted(impacts, reverse=True)
    # no channel to grow: none has MIN_COUNT (30) won deals of its own; Organic's return is
    # said last, as too little data
    assert [f.section for f in findings] == [
        "leaks",
        "scorecard",
        "levers",
        "stuck-opportunities",
        "levers",
    ]
    assert findings[-1].grade == "too_little_data" and "Organic" in findings[-1].headline
    # the review finding never says cut; an indicative figure is a direction to confirm
    review = findings[2]
    assert "Paid social and Events" in review.headline and "do not cut" in review.decision
    assert review.grade == "indicative" and "direction to confirm" in review.decision


def test_every_finding_figure_is_registered_with_one_value(sample):
    _, report = sample
    register = register_midpoint(report, FigureRegister(), language="en")
    findings = midpoint_findings(report, language="en", currency="EUR")
    assert all(f.figure in register for f in findings)
    assert register.value("kpis.funnel.mql_sal.rate") == pytest.approx(0.4554, abs=1e-4)
    rate = register["kpis.funnel.opportunity_won.rate"]
    assert rate.count == 647 and rate.low < rate.value < rate.high and rate.grade == "solid"
    assert register.value("kpis.ltv_cac.ratio") == pytest.approx(20.93, abs=0.01)
    assert register["kpis.ltv_cac.ratio"].window == "2025-10-01/2026-09-30"
    assert register["kpis.levers.channels.organic.roi"].grade == "too_little_data"
    assert register.value("midpoint.levers.spend_share.paid_social") == pytest.approx(
        0.38, abs=0.001
    )
    assert register.value("midpoint.levers.advice.organic") == "too little data"
    assert register.value("midpoint.stuck_opportunities.count") == 7
    # every figure the summary quotes is registered, with its window
    kpi, data = "2025-10-01/2026-09-30", "2024-10-01/2026-09-30"
    for key, value, window in (
        ("midpoint.stuck_opportunities.threshold_days", 143, data),
        ("midpoint.stuck_opportunities.amount", 509_780.83, data),
        ("midpoint.stuck_leads.count", 652, data),
        ("midpoint.levers.review.spend_share", 0.5869, kpi),
        ("midpoint.levers.review.spend", 682_324.86, kpi),
        ("midpoint.leaks.opportunity_won.window_lost", 233, kpi),
        ("midpoint.leaks.opportunity_won.revenue_lost", 11_687_388, kpi),
        ("midpoint.leaks.opportunity_won.revenue_tenth", 1_168_739, kpi),
        ("midpoint.leaks.opportunity_won.won_lost", 464.2, data),
        ("kpis.funnel.opportunity_won.rate", 0.2825, data),
        ("kpis.velocity.inquiry_won.median_days", 135, data),
        ("kpis.health.leakage.opportunity_won", 0.7175, data),
        ("kpis.health.stuck.inquiry", 620, data),
    ):
        assert register.value(key) == pytest.approx(value, abs=1e-4 * max(1, value)), key
        assert register[key].window == window, key
    # channel advice graded on the won deals it rests on: Email (4) and Webinar (26) are
    # too little data, Paid social's review rests on all 115 won deals credited
    for channel, count in (("email", 4), ("webinar", 26)):
        advice = register[f"midpoint.levers.advice.{channel}"]
        assert (advice.value, advice.count, advice.grade) == (
            "too little data", count, "too_little_data")  # fmt: skip
    social = register["midpoint.levers.advice.paid_social"]
    assert (social.value, social.count, social.grade) == ("review", 115, "indicative")
    # registering twice from the same report is the same figures (no conflict)
    register_midpoint(report, register, language="en")


def test_the_kickoff_hypotheses_are_answered_with_their_figure(sample):
    engagement, report = sample
    answers = answer_hypotheses(report, engagement.config.hypotheses, language="en")
    verdicts = [a.verdict for a in answers]
    # inquiry -> MQL (kickoff's weakest raw step) is not the leak to fix; paid social is reviewed
    assert verdicts == ["refuted", "supported", "open", "open"]
    assert "Opportunity → Won" in answers[0].evidence and "24.4%" in answers[0].evidence
    assert "38.0% of spend" in answers[1].evidence and "Oct 2025" in answers[1].evidence


def test_the_summary_opens_with_the_hypotheses_and_links_to_sections(sample):
    engagement, report = sample
    findings = midpoint_findings(report, language="fr", currency="EUR")
    answers = answer_hypotheses(report, engagement.config.hypotheses, language="fr")
    html = midpoint_summary_html(findings, answers, language="fr")
    assert html.startswith('<section id="executive-summary"')
    assert html.index("hypothèses du lancement") < html.index("Ce qui compte le plus")
    assert "Infirmée" in html and "Confirmée" in html
    links = set(re.findall(r'href="#([\w-]+)"', html))
    assert links <= set(ANCHORS.values())
    assert "11\u202f687\u202f388\u202f€" in html and "23\u202f300\u202f000" not in html


def test_organic_high_roi_is_never_the_basis_of_advice(sample):
    _, report = sample
    advice = report.channel_advice.set_index("channel")
    assert advice.loc["organic", "advice"] == "too_little_data"
    assert advice.loc["paid_social", "advice"] == "review"
    means = midpoint_sentences(report, language="en", currency="EUR")
    assert "Webinar, Email and Organic" in means["levers"]
    assert "to grow" not in means["levers"]  # Webinar (26 won deals) is never "grow"
    assert "too little data to judge" in means["levers"]
    heads = midpoint_headings(report, language="en", currency="EUR")
    assert heads["levers"] == (
        "Channels: Paid social and Events to review; none has enough won deals to grow"
    )
    assert "shift budget" not in " ".join(means.values())


def test_ratios_always_show_one_decimal():
    # one formatter for the mid-point, the final and Excel: LTV:CAC 20.9, ROI 15.5, 8.0
    assert format_ratio(20.93, "en") == "20.9"
    assert format_ratio(15.47, "en") == "15.5"
    assert format_ratio(7.97, "en") == "8.0"
    assert format_ratio(85.4, "fr") == "85,4"
    assert format_ratio(2.146, "fr") == "2,1"
    assert format_ratio(-0.72, "en") == "-0.7"
    assert format_ratio(None, "en") == "not measurable"


def test_stuck_opportunities_sentence_reconciles_with_the_stuck_leads_table(sample):
    _, report = sample
    means = midpoint_sentences(report, language="en", currency="EUR")
    # 7 open opportunities of every source; the stuck-leads table counts the 5 from leads
    assert means["stuck_opportunities"].startswith("7 open opportunities")
    assert "counts 5 of them at its Opportunity row" in means["stuck_opportunities"]
    assert "moved on within 365 days" in means["velocity"]


def test_cohort_sentence_compares_three_cohorts_with_three_and_gives_the_range(sample):
    _, report = sample
    means = midpoint_sentences(report, language="en", currency="EUR")
    assert "first three observed cohorts (Oct 2024 onwards)" in means["cohort"]
    assert "between 4.4% and 8.2%" in means["cohort"]


def test_sparse_sample_without_spend_still_gets_three_findings():
    engagement = load_engagement(SAMPLE_DIR.parent / "sparse_client")
    report = build_midpoint(engagement)
    findings = midpoint_findings(report, language="en", currency="GBP")
    # no spend: no channel advice nor LTV:CAC; the leak, the win-rate gap and the stuck deals
    assert [f.section for f in findings] == ["leaks", "sources", "stuck-opportunities"]
    gap = findings[1]
    # 45 marketing opportunities closed at 26.7% against 31.7% elsewhere: about 2 more deals
    assert "26.7%" in gap.headline and "31.7%" in gap.headline
    assert "about 2 more won deals" in gap.consequence
    register = register_midpoint(report, FigureRegister(), language="en")
    assert "kpis.ltv_cac.ratio" not in register  # never 0 for a figure that needs spend
    assert all(f.figure in register for f in findings)


def test_french_headings_and_summary_are_french(sample):
    _, report = sample
    heads = midpoint_headings(report, language="fr", currency="EUR")
    assert heads["leakage"] == (
        "La fuite à corriger\u00a0: Opportunité → Gagné, environ 464 affaires gagnées perdues"
    )
    assert heads["scorecard"].endswith("ratio LTV/CAC de 20,9")
    words = " ".join(heads.values())
    for english in ("Won", "Inquiry", "Paid social", "review", "grow"):
        assert english not in words, english
    for finding in midpoint_findings(report, language="fr", currency="EUR"):
        assert not re.search(r"\d\.\d", finding.headline + finding.consequence)


def test_audience_headings_state_their_finding(sample):
    _, report = sample
    heads = midpoint_headings(report, language="en", currency="EUR")
    assert heads["audiences"] == "For every audience, the first move is Opportunity → Won"
    assert heads["exec"] == "Executives: marketing sources 36.9% of won revenue, LTV:CAC 20.9"
    assert heads["ops"] == (
        "Marketing operations: fix Opportunity → Won first, then clear 652 stuck leads"
    )
    assert heads["sales"] == "Sales: 7 open opportunities worth €509,781 have waited too long"
    assert heads["conclusions"] == "Next: fix Opportunity → Won with sales before the final plan"
    fr = midpoint_headings(report, language="fr", currency="EUR")
    assert fr["exec"].endswith("ratio LTV/CAC de 20,9") and "Page direction" not in fr.values()


def test_sparse_headings_state_their_finding_without_spend_or_touches():
    engagement = load_engagement(SAMPLE_DIR.parent / "sparse_client")
    report = build_midpoint(engagement)
    heads = midpoint_headings(report, language="en", currency="GBP")
    assert heads["levers"] == (
        "Organic leads brought the most won revenue (£244,731); without spend, no return "
        "is measured"
    )
    assert heads["attribution"] == "Without touches, only the first touch can be credited"
    topics = {"Attribution models side by side", "Channel return and acquisition cost",
              "The same figures, by audience", "Executive page", "Sales page",
              "Conclusions and next steps"}  # fmt: skip
    assert not topics & set(heads.values())


def test_sales_page_says_marketing_and_partner_cannot_be_told_apart(sample):
    _, report = sample
    # Marketing 29.4% (24.7% - 34.5%) against Partner 29.0% (19.6% - 40.6%): overlapping
    means = midpoint_sentences(report, language="en", currency="EUR")
    assert means["sales"].startswith(
        "Marketing-sourced opportunities win 29.4% of the time and Partner ones 29.0%: "
        "their intervals overlap, so on these deals the two cannot be told apart."
    )
    assert "best-converting" not in means["sales"] and "whether the gap" not in means["sales"]
    plain = " ".join(midpoint_sentences(report, language="en", currency="EUR").values())
    method = " ".join(text(k, "en") for k in ("mid.method",))
    for jargon in ("censoring-corrected", "cumulative incidence"):
        assert jargon not in plain and jargon not in method


def test_leak_chart_plots_the_rules_measure_and_marks_qualification():
    import matplotlib.colors
    import pandas as pd

    from workbook.analysis.leaks import leak_costs
    from workbook.deliverables.plots.funnel import leak_cost_chart
    from workbook.deliverables.plots.palette import BAD, MUTED

    funnel = pd.DataFrame({"from": ["inquiry", "mql", "opportunity"],
                           "to": ["mql", "opportunity", "won"],
                           "entered": [1000, 200, 50], "rate": [0.2, 0.25, 0.4]})  # fmt: skip
    fig = leak_cost_chart(leak_costs(funnel), language="en")
    bars = fig.axes[0].patches
    # won deals lost, ladder order top-down: 80 (not ranked), 60 (the leak to fix), 30
    assert sorted(round(b.get_width()) for b in bars) == [30, 60, 80]
    colours = {round(b.get_width()): matplotlib.colors.to_hex(b.get_facecolor()) for b in bars}
    assert colours[80] == MUTED.lower() and colours[60] == BAD.lower()
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert "80 won deals (80.0% of leads lost)\nqualification, not ranked" in labels
    assert "60 won deals (75.0% of leads lost)" in labels
