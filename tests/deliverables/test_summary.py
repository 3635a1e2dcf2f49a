"""The executive summary: ranked findings, rendered first with id="executive-summary"."""

from bs4 import BeautifulSoup

from workbook.deliverables.register import FigureRegister
from workbook.deliverables.summary import (
    MAX_FINDINGS,
    SUMMARY_ID,
    Finding,
    evidence_words,
    finding_evidence,
    findings_from_json,
    summary_html,
    top_findings,
)


def _finding(name, impact, grade="solid"):
    return Finding(
        headline=f"{name} <b>matters</b>",
        consequence=f"{name} costs money",
        decision=f"Decide on {name}",
        section=f"sec-{name}",
        figure=f"kpis.{name}",
        impact=impact,
        grade=grade,
    )


def test_findings_rank_by_impact_with_too_little_data_last_and_at_most_five():
    findings = [_finding(str(i), impact=i) for i in range(8)]
    findings.append(_finding("huge", impact=1e9, grade="too_little_data"))
    kept = top_findings(findings)
    assert len(kept) == MAX_FINDINGS
    assert [f.figure for f in kept] == ["kpis.7", "kpis.6", "kpis.5", "kpis.4", "kpis.3"]
    assert top_findings([findings[-1], findings[0]])[-1].grade == "too_little_data"


def test_summary_html_has_the_contract_id_links_and_escaped_words_in_french():
    soup = BeautifulSoup(
        summary_html([_finding("leak", 10, "indicative")], language="fr"), "html.parser"
    )
    section = soup.find(id=SUMMARY_ID)
    assert section is not None and section.find("h2").get_text() == "Synthèse"
    item = section.find("li")
    assert "leak <b>matters</b>" in item.get_text()  # data text stays text
    assert item.find("b") is None
    assert "indicatif" in item.get_text() and "Décision demandée" in item.get_text()
    assert item.find("a")["href"] == "#sec-leak"


def test_an_empty_summary_says_so_and_findings_round_trip_through_json():
    soup = BeautifulSoup(summary_html([], language="en"), "html.parser")
    assert "Nothing in this phase's data calls for a decision" in soup.get_text()
    finding = _finding("x", 3.5)
    assert findings_from_json([finding.to_json()]) == [finding]


def test_the_evidence_tag_shows_count_and_interval_in_each_language():
    finding = Finding(
        "Opportunities convert", "", "", "sec", "kpis.funnel.sql_opportunity.rate", 1.0,
        count=647, low=0.245, high=0.321, unit="rate",
    )  # fmt: skip
    english = BeautifulSoup(summary_html([finding]), "html.parser").find(class_="wb-grade")
    assert english.get_text() == "Evidence: solid, based on 647, 24.5% to 32.1%"
    french = BeautifulSoup(summary_html([finding], language="fr"), "html.parser")
    assert french.find(class_="wb-grade").get_text() == (
        "Fiabilité\u00a0: solide, sur 647, de 24,5\u202f% à 32,1\u202f%"
    )


def test_a_money_interval_is_in_the_reports_currency_and_no_evidence_shows_the_grade_only():
    money = Finding(
        "Leak", "", "", "sec", "midpoint.leak.value", 5.0, grade="indicative",
        count=1234, low=120000.0, high=250000.0, unit="money",
    )  # fmt: skip
    tag = evidence_words(money, language="en", currency="USD")
    assert tag == "Evidence: indicative, based on 1,234, $120,000 to $250,000"
    assert evidence_words(_finding("x", 1.0)) == "Evidence: solid"
    text_unit = Finding("h", "", "", "s", "k", 1.0, count=3, low=1.0, high=2.0, unit="text")
    assert evidence_words(text_unit) == "Evidence: solid, based on 3"  # no interval to show


def test_finding_evidence_reads_the_register_and_the_finding_round_trips():
    register = FigureRegister()
    register.add(
        "kpis.funnel.sql_opportunity.rate", 0.283, unit="rate", label="SQL to opportunity",
        count=647, low=0.245, high=0.321, grade="solid",
    )  # fmt: skip
    register.add("kpis.roi.webinar", 15.5, unit="ratio", label="ROI", count=4)  # no grade given
    evidence = finding_evidence(register, "kpis.funnel.sql_opportunity.rate")
    assert evidence == {"count": 647, "low": 0.245, "high": 0.321, "unit": "rate", "grade": "solid"}
    assert finding_evidence(register, "kpis.roi.webinar")["grade"] == "too_little_data"
    assert finding_evidence(register, "kpis.absent") == {
        "count": None, "low": None, "high": None, "unit": None, "grade": "too_little_data"
    }  # fmt: skip
    finding = Finding("h", "c", "d", "s", "kpis.funnel.sql_opportunity.rate", 2.0, **evidence)
    assert findings_from_json([finding.to_json()]) == [finding]
    assert findings_from_json([_finding("old", 1.0).to_json()])[0].count is None
