"""The promises of CONTRACT section 4 on real runs (issue 17, "Done when").

The bundled sample, in English and in French, through every phase: ``figures.json`` holds one
entry per figure with its unit, window and label, from every phase; every report opens with
its executive summary, whose findings each link to a section of the same report and carry an
evidence grade; French reports carry no English sentence and no snake_case. Each phase has its
deck, whose slide 2 is the report's summary and whose charts are native charts holding the
register's values (issue 18). The sparse
sample's run is checked the same way in ``tests/runs/test_sparse_sample.py``.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pptx import Presentation

from tests.conftest import NOTEBOOKS_DIR
from workbook.deliverables.register import UNITS
from workbook.runs.pipeline import run_reports

pytestmark = pytest.mark.notebook

SAMPLE = Path(__file__).resolve().parents[2] / "data_samples" / "acme_industrial"
PHASES = ("00_kickoff", "01_midpoint_insights", "02_final_strategy")
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
#: Words of English sentences that no French sentence uses.
ENGLISH = re.compile(
    r"\b(the|and|with|which|from|this|that|these|those|were|was|are|is|of|to|by|per|"
    r"month|months|days|spend|deal|deals|won|lost|share|rate|what|when|not)\b"
)


#: Values of the sample's data a French report quotes as they are: stakeholder roles typed in
#: English in engagement.yaml, file names.
DATA_WORDS = re.compile(r"Head of \w+|VP \w+|Chief \w+ Officer|\b\w+\.(csv|xlsx)\b|“[^”]*”|«[^»]*»")


@pytest.fixture(scope="module", params=["en", "fr"])
def published(request, tmp_path_factory) -> tuple[str, Path]:
    root = tmp_path_factory.mktemp(f"sample-{request.param}")
    folder = root / "acme"
    shutil.copytree(SAMPLE, folder)
    if request.param == "fr":
        config = folder / "engagement.yaml"
        config.write_text(
            re.sub(r"(?m)^language: .*$", "language: fr", config.read_text(encoding="utf-8")),
            encoding="utf-8",
        )
    result = run_reports(folder, out_dir=root / "out", notebooks_dir=NOTEBOOKS_DIR)
    return request.param, result.run.report_dir


def visible(path: Path) -> BeautifulSoup:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["style", "script"]):
        tag.decompose()
    return soup


def test_figures_json_has_one_entry_per_figure_from_every_phase(published):
    _, report_dir = published
    figures = json.loads((report_dir / "figures.json").read_text(encoding="utf-8"))["figures"]
    keys = [figure["key"] for figure in figures]
    assert len(keys) == len(set(keys)) and len(keys) >= 30
    for figure in figures:
        assert set(figure) >= {"key", "value", "unit", "window", "label"}, figure
        assert figure["unit"] in UNITS and figure["label"], figure
        assert not isinstance(figure["value"], float) or figure["value"] == figure["value"]
    prefixes = {key.split(".")[0] for key in keys}
    assert {"kickoff", "kpis", "plan"} <= prefixes
    # the command's figures keep the command's JSON paths
    assert "kpis.ltv_cac.ratio" in keys


@pytest.mark.parametrize("phase", PHASES)
def test_each_report_opens_with_its_executive_summary(published, phase):
    _, report_dir = published
    soup = visible(report_dir / f"{phase}.html")
    main = soup.find("main")
    summary = main.find(id="executive-summary")
    assert summary is not None
    first_heading = main.find(["h2", "h3"])
    assert summary.find("h2") is first_heading  # nothing comes before it
    findings = summary.find("ol").find_all("li", recursive=False)
    assert 3 <= len(findings) <= 5, phase
    for finding in findings:
        assert re.search(r"\d", finding.find("strong").get_text()), finding.get_text()
        anchor = finding.find("a")["href"].lstrip("#")
        assert soup.find(id=anchor) is not None, (phase, anchor)
        assert finding.find(class_=re.compile("wb-grade")) is not None


@pytest.mark.parametrize("phase", PHASES)
def test_reports_hold_no_developer_text_and_french_ones_no_english(published, phase):
    language, report_dir = published
    main = visible(report_dir / f"{phase}.html").find("main")
    lines = [" ".join(t.split()) for t in main.stripped_strings]
    snake = [line for line in lines if SNAKE.search(line)]
    assert snake == [], snake[:5]
    if language == "fr":  # the report's own words: data values (roles, file names) may be English
        shown = [
            " ".join(tag.get_text(" ").split())
            for tag in main.find_all(["p", "li", "h2", "h3", "th", "caption"])
        ]
        english = [line for line in shown if ENGLISH.search(DATA_WORDS.sub("", line))]
        assert english == [], english[:10]


DECKS = {"00_kickoff": "kickoff", "01_midpoint_insights": "midpoint", "02_final_strategy": "final"}


@pytest.mark.parametrize("phase", PHASES)
def test_each_phase_has_its_deck_whose_summary_is_the_reports(published, phase):
    language, report_dir = published
    deck = Presentation(str(report_dir / f"{phase}.pptx"))
    slides = list(deck.slides)
    title_words = " ".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    assert "Acme Industrial" in title_words
    summary = visible(report_dir / f"{phase}.html").find(id="executive-summary")
    headlines = [
        li.find("strong").get_text() for li in summary.find("ol").find_all("li", recursive=False)
    ]
    slide_two = " ".join(s.text_frame.text for s in slides[1].shapes if s.has_text_frame)
    for headline in headlines:
        assert headline in slide_two  # slide 2 is the report's executive summary
    # one slide per finding, titled with its sentence, then the appendix
    titles = [s.shapes.title.text_frame.text for s in slides[2 : 2 + len(headlines)]]
    assert titles == headlines
    if language == "fr":
        assert "Synthèse" in slide_two


@pytest.mark.parametrize("phase", ["00_kickoff", "01_midpoint_insights"])
def test_deck_charts_are_native_and_hold_the_registers_values(published, phase):
    _, report_dir = published
    figures = json.loads((report_dir / "figures.json").read_text(encoding="utf-8"))["figures"]
    registered = {round(f["value"], 9) for f in figures if isinstance(f["value"], int | float)}
    charts = [
        shape.chart
        for slide in Presentation(str(report_dir / f"{phase}.pptx")).slides
        for shape in slide.shapes
        if shape.has_chart
    ]
    assert charts, phase
    for chart in charts:
        for series in chart.plots[0].series:
            values = [v for v in series.values if v is not None]
            assert values and all(round(v, 9) in registered for v in values), series.name
