"""The kickoff's register, headings and executive summary: on the sample, the sparse sample,
a French copy and thin engagements; each summary rule checked on the figures it quotes."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import ROOT, SAMPLE_DIR, TINY_LEADS, write_engagement
from workbook.deliverables.kickoff import build_kickoff, kickoff_sentences
from workbook.deliverables.kickoff_figures import register_kickoff_figures
from workbook.deliverables.kickoff_summary import kickoff_findings, kickoff_headings
from workbook.deliverables.kickoff_words import monthly_trend, trend_sentence
from workbook.deliverables.register import FigureRegister
from workbook.deliverables.summary import MAX_FINDINGS
from workbook.i18n import text
from workbook.intake.engagement import audit_engagement, load_engagement

SPARSE_DIR = ROOT / "data_samples" / "sparse_client"
ANCHORS = {"agenda", "inventory", "issues", "funnel", "trend", "mix", "spend", "content"}


def kickoff(directory, language="en"):
    engagement = load_engagement(directory)
    report = build_kickoff(engagement, language=language)
    register = register_kickoff_figures(report, FigureRegister(), language=language)
    currency = engagement.config.currency
    findings = kickoff_findings(report, register, language=language, currency=currency)
    heads = kickoff_headings(report, language=language, currency=currency)
    return report, register, findings, heads


@pytest.fixture(scope="module")
def sample():
    return kickoff(SAMPLE_DIR)


@pytest.fixture(scope="module")
def sparse():
    return kickoff(SPARSE_DIR)


def test_the_register_holds_the_samples_figures_with_the_validate_commands_values(sample):
    _, register, _, _ = sample
    audit = audit_engagement(SAMPLE_DIR).to_dict()  # what `workbook validate --json` prints
    for stem, rows in audit["rows"].items():
        for part in ("read", "used", "quarantined"):
            assert register.value(f"validate.rows.{stem}.{part}") == rows[part]
    assert register.value("validate.duplicates.leads") == audit["duplicates"]["leads"] == 285
    assert register.value("kickoff.rows.read") == 120_915
    assert register.value("kickoff.rows.usable_share") == 1.0
    assert register.value("kickoff.leads") == 20_000


def test_the_funnel_figures_carry_their_interval_and_grade(sample):
    _, register, _, _ = sample
    rate = register["kpis.funnel.inquiry_mql.naive_rate"]
    assert rate.value == pytest.approx(4727 / 20000)
    assert rate.count == 20000 and rate.low < rate.value < rate.high
    assert rate.grade == "solid"
    assert rate.window == "2024-10-01/2026-09-30"  # the data's months, labelled
    assert register.value("kpis.funnel.opportunity_won.converted") == 155


def test_spend_shares_cover_the_datas_months_and_add_up(sample):
    _, register, _, _ = sample
    shares = [
        f for f in register if f.key.startswith("kickoff.spend.") and f.key.endswith(".share")
    ]
    assert len(shares) == 8
    assert sum(f.value for f in shares) == pytest.approx(1.0)
    paid = register["kickoff.spend.paid_social.share"]
    assert paid.value == pytest.approx(654_920.77 / register.value("kickoff.spend.total"))
    assert paid.window == "2024-10-01/2026-09-30"
    assert register.value("kickoff.spend.months") == 24
    assert register.value("kickoff.mix.paid_social.lead_share") == pytest.approx(4325 / 20000)


def test_registering_twice_gives_the_same_values(sample):
    report, register, _, _ = sample
    again = register_kickoff_figures(report, FigureRegister(), language="en")
    assert register.merge(again).to_json() == register.to_json()


def test_the_samples_summary_ranks_the_findings_by_volume_and_closes_on_the_hypotheses(sample):
    _, register, findings, heads = sample
    assert [f.figure for f in findings] == [
        "kpis.funnel.inquiry_mql.naive_rate",  # 15,273 leads did not move on
        "kickoff.stage_dates.mql.missing",  # 586 leads without an MQL date
        "validate.duplicates.leads",  # 285
        "content.gaps",  # 4 assets needed (paid social's 4,325 leads rest on 5 won deals)
        "kickoff.hypotheses.count",  # always last
    ]
    assert [f.impact for f in findings[:3]] == [15273.0, 586.0, 285.0]
    weakest, dates, duplicates, _, hypotheses = findings
    won = register["kickoff.won.paid_social.share"]
    assert (won.count, register.value("kickoff.won.paid_social.count")) == (5, 5)
    assert won.value == pytest.approx(5 / 155) and won.low < won.value < won.high
    assert won.grade == "too_little_data"  # so the spend finding ranks after the others
    assert weakest.headline == (
        "Weakest step as exported: 23.6% of the 20,000 leads that entered Inquiry reached "
        "MQL, the lowest share of any step."
    )
    assert weakest.consequence.startswith("15,273 leads did not move on from Inquiry")
    assert dates.headline == "586 leads (2.9%) reached a later stage with no MQL date."
    assert dates.decision.startswith("Export the missing MQL dates before week 3")
    assert duplicates.headline == "285 leads (1.4%) repeat an earlier lead's e-mail."
    assert hypotheses.headline == (
        "4 hypotheses to test by the mid-point: the Inquiry → MQL leak, the return of Paid "
        "social, the content gaps and the duplicate leads."
    )
    for finding in findings:
        assert finding.figure in register
        assert finding.section in {*heads, "hypotheses"}
        assert finding.consequence and finding.decision


def test_the_sparse_samples_summary_asks_for_the_missing_files_first(sparse):
    _, register, findings, _ = sparse
    assert register.value("kickoff.spend.total") is None  # not provided: null, never 0
    assert register.value("kickoff.content.assets") is None
    assert register.value("validate.duplicates.leads") is None  # no e-mail in the export
    assert register["validate.duplicates.leads"].grade is None  # one key, every engagement
    first = findings[0]
    assert first.figure == "kickoff.files.not_provided" and first.impact == 3000.0
    assert first.headline == (
        "Not provided: marketing spend, the content inventory and lead touches."
    )
    assert first.decision == (
        "Export marketing spend, the content inventory and lead touches for Oct 2024 to "
        "Sep 2026 before week 2, for the mid-point to use."
    )
    assert [f.figure for f in findings[1:]] == [
        "validate.duplicates.leads",  # no e-mail: duplicates cannot be looked for
        "kpis.funnel.mql_opportunity.naive_rate",
        "kickoff.hypotheses.count",
    ]
    assert findings[1].headline == (
        "The leads export has no e-mail, so duplicate leads cannot be found."
    )
    assert findings[1].decision.startswith("Add the e-mail (or another contact key)")
    assert findings[2].headline.startswith("Weakest step as exported: 13.6% of the 700 leads")
    assert findings[3].consequence == (
        "The mid-point report answers it, supported, refuted or still open, with its figure."
    )


def test_the_headings_state_the_findings_in_english_and_french(sample):
    report, _, _, heads = sample
    assert heads == {
        "agenda": "Agenda: two days with 6 stakeholders",
        "inventory": "Data: 100.0% of 120,915 rows are usable",
        "issues": "3 data issues to resolve with the client",
        "funnel": "Funnel today: the weakest step is Inquiry → MQL, 23.6% move on",
        "trend": "Monthly entries at Inquiry: up 60% over the data's months",
        "mix": "Lead sources: Paid social brings the most leads, 21.6%",
        "spend": "Spend: €1,927,787 between Oct 2024 and Sep 2026, 34.0% on Paid social",
        "content": "Content: 60 assets, 3 persona and buying stage pairs with fewer than 2",
        "hypotheses": "4 hypotheses to test by the mid-point",
    }
    fr = kickoff_headings(report, language="fr", currency="EUR")
    assert set(fr) == set(heads)
    assert (
        fr["inventory"] == "Données\u00a0: 100,0\u202f% des 120\u202f915 lignes sont exploitables"
    )
    assert fr["spend"] == (
        "Dépenses\u00a0: 1\u202f927\u202f787\u202f€ entre oct. 2024 et sept. 2026, dont "
        "34,0\u202f% pour le canal réseaux sociaux payants"
    )


def test_a_french_engagement_gets_a_french_summary_with_french_numbers(tmp_path):
    folder = tmp_path / "acme_fr"
    folder.mkdir()
    (folder / "data").symlink_to(SAMPLE_DIR / "data")
    yaml = (SAMPLE_DIR / "engagement.yaml").read_text(encoding="utf-8")
    (folder / "engagement.yaml").write_text(
        yaml.replace("language: en", "language: fr"), encoding="utf-8"
    )
    _, _, findings, _ = kickoff(folder, language="fr")
    assert findings[0].headline == (
        "Étape la plus faible telle qu'exportée\u00a0: 23,6\u202f% des 20\u202f000 leads entrés "
        "en Demande ont atteint MQL, la part la plus basse de toutes les étapes."
    )
    assert findings[1].headline == (
        "586 leads (2,9\u202f%) ont atteint une étape suivante sans date de passage en MQL."
    )
    text = " ".join(f"{f.headline} {f.consequence} {f.decision}" for f in findings)
    assert "_" not in text and " :" not in text and " ;" not in text  # no-break space before
    assert "Inquiry" not in text and "Paid social" not in text


def test_a_tiny_engagement_has_no_weakest_step_and_grades_every_finding_too_little_data(tmp_path):
    _, register, findings, heads = kickoff(write_engagement(tmp_path / "tiny"))
    figures = [f.figure for f in findings]
    assert not any(f.startswith("kpis.funnel.") for f in figures)  # no step has 30 leads
    assert figures[-1] == "kickoff.hypotheses.count"
    assert all(f.grade == "too_little_data" for f in findings[:-1])
    assert "1 lead (16.7%) repeats an earlier lead's e-mail." in [f.headline for f in findings]
    assert heads["funnel"] == "Funnel today: 83.3% of leads entering Inquiry reach MQL"
    assert heads["trend"] == "Monthly entries at Inquiry: too few to read a trend"
    assert len(findings) == MAX_FINDINGS


def test_rows_set_aside_lead_the_summary_with_the_file_to_resend(tmp_path):
    bad = TINY_LEADS + "L7,not a date,,,,,webinar,marketing,,,,,\n"
    _, register, findings, heads = kickoff(
        write_engagement(tmp_path / "bad", {"data/leads.csv": bad})
    )
    assert register.value("validate.rows.leads.quarantined") == 1
    set_aside = next(f for f in findings if f.figure == "kickoff.rows.quarantined")
    assert set_aside.headline == "1 of 23 rows (4.3%) could not be used."
    assert set_aside.decision == (
        "Correct the rows listed in the data issues and send leads.csv again before week 2."
    )
    assert heads["inventory"] == "Data: 95.7% of 23 rows are usable"


def test_without_spend_a_channel_bringing_a_third_of_leads_is_the_concentration(tmp_path):
    _, register, findings, heads = kickoff(
        write_engagement(tmp_path / "e", {"data/spend.csv": None})
    )
    assert heads["spend"] == "Spend: not provided"
    top = next(f for f in findings if f.section == "mix")
    assert top.headline == "Webinar brings 50.0% of leads (3)."  # 3 of 6 leads >= 35%
    assert top.figure == "kickoff.mix.webinar.lead_share"
    missing = next(f for f in findings if f.figure == "kickoff.files.not_provided")
    assert missing.consequence == (
        "This leaves the return on spend (cost per acquisition, ROI, LTV:CAC) unmeasured for "
        "all 6 leads."
    )


def test_when_all_is_provided_and_usable_the_summary_says_the_data_is_ready(tmp_path):
    # no e-mails (no duplicates) and L4's MQL date filled in: nothing to fix in the data
    rows = [line.rsplit(",", 1)[0] + "," for line in TINY_LEADS.splitlines()]
    leads = "\n".join(rows).replace("L4,2026-02-10,,", "L4,2026-02-10,2026-02-12,") + "\n"
    _, _, findings, _ = kickoff(write_engagement(tmp_path / "e", {"data/leads.csv": leads}))
    ready = next(f for f in findings if f.figure == "kickoff.rows.usable_share")
    assert ready.headline == "All 22 rows are usable and every file was provided."
    assert ready.impact == 0.0
    assert [f.figure for f in findings].index("kickoff.rows.usable_share") == len(findings) - 2


def test_the_trend_compares_three_month_averages_and_gives_the_range():
    months = pd.period_range("2025-01", "2025-12", freq="M")
    counts = pd.Series([600.0, 640, 520, 700, 450, 900, 950, 800, 1000, 980, 700, 1270],
                       index=months.to_timestamp())  # fmt: skip
    trend = monthly_trend(counts, months[:-1])  # December is not complete
    assert trend.first_average == pytest.approx(586.6667, rel=1e-4)  # Jan-Mar
    assert trend.last_average == pytest.approx(893.3333, rel=1e-4)  # Sep-Nov
    assert trend.change == pytest.approx(893.3333 / 586.6667 - 1, rel=1e-4)
    assert (trend.low, trend.high) == (450.0, 1000.0)
    assert trend_sentence(trend, "inquiry", language="en").startswith(
        "Monthly entries at Inquiry rose by 52%: from 587 a month on average over "
        "Jan 2025 – Mar 2025 to 893 over Sep 2025 – Nov 2025. Single months ranged from "
        "450 (May 2025) to 1,000 (Sep 2025) over 11 complete months"
    )
    assert monthly_trend(counts, months[:1]) is None


def test_the_samples_trend_sentence_no_longer_picks_two_months(sample):
    report, _, _, _ = sample
    en = kickoff_sentences(report, language="en", currency="EUR")["funnel_months"]
    assert en.startswith(
        "Monthly entries at Inquiry rose by 60%: from 612 a month on average over "
        "Oct 2024 – Dec 2024 to 981 over Jul 2026 – Sep 2026. Single months ranged from "
        "447 (Aug 2025) to 1,268 (Sep 2026)"
    )
    fr = kickoff_sentences(report, language="fr", currency="EUR")["funnel_months"]
    assert fr.startswith("Les entrées mensuelles en Demande ont augmenté de 60\u202f%\u00a0:")
    assert "1\u202f268 (sept. 2026)" in fr


def test_an_opportunities_only_export_asks_only_for_the_missing_files(tmp_path):
    from tests.deliverables.test_thin_data_wording import opportunities_only

    _, register, findings, heads = kickoff(opportunities_only(tmp_path))
    # no lead stage: no e-mail to ask for, no weakest step of one step with 4 deals
    assert [f.figure for f in findings] == ["kickoff.files.not_provided"]
    assert findings[0].grade == "too_little_data"
    assert heads["funnel"] == "Funnel today: 50.0% of leads entering Opportunity reach Won"
    assert heads["mix"] == "Lead sources: no channel was recorded"
    assert heads["hypotheses"] == "No hypothesis to test by the mid-point yet"
    assert not any(f.key.startswith("kickoff.mix.") for f in register)  # no channel recorded


def test_the_kickoff_deck_charts_the_funnel_as_exported_from_the_kpis_keys(sample):
    from workbook.deliverables.deck.chart_map import visual_for
    from workbook.deliverables.deck.sections import section_findings
    from workbook.deliverables.notebook import PhaseOutputs, Section

    _, register, _, _ = sample
    outputs = PhaseOutputs(
        register, {"kickoff": []}, {}, sections={"kickoff": [Section("funnel", "Funnel today")]}
    )
    (funnel,) = section_findings("kickoff", outputs)
    assert funnel.figure == "kpis.funnel.inquiry_mql.naive_rate"  # not .converted, not .rate
    visual, _ = visual_for(funnel.figure, outputs, language="en", currency="EUR")
    assert visual.title == text("deck.chart.naive_funnel", "en")
    assert visual.series[0][1][0] == pytest.approx(4727 / 20000)
