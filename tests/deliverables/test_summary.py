"""The executive summary: ranked findings, rendered first with id="executive-summary"."""

from bs4 import BeautifulSoup

from workbook.deliverables.summary import (
    MAX_FINDINGS,
    SUMMARY_ID,
    Finding,
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
