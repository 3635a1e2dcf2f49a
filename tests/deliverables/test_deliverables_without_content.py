"""CONTRACT section 3 in the deliverables: a client without a content inventory or touches.

Every section that needs what was not provided says so in one sentence (en, fr) and shows
nothing invented: no content gap, no content plan, no stale or untagged count, no channel
model. The plan and the strategy still work on what exists.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import (
    SAMPLE_DIR,
    execute_notebook,
    outputs_text,
    phase_outputs,
    write_engagement,
)
from workbook.analysis.journeys import build_journeys
from workbook.analysis.scoring import build_scoring
from workbook.console import render_score_text
from workbook.deliverables import plots
from workbook.deliverables.excel import write_key_tables
from workbook.deliverables.key_tables import build_key_tables
from workbook.deliverables.kickoff import build_kickoff, kickoff_sentences
from workbook.deliverables.strategy import build_strategy
from workbook.deliverables.strategy_text import plan_table, strategy_sentences
from workbook.i18n import text
from workbook.intake.engagement import load_engagement

CONTENT_HEADER = "asset_id,title,format,persona,buying_stage,channel,published_at,views\n"


@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    """The tiny engagement with a header-only content file and no touches."""
    d = write_engagement(
        tmp_path_factory.mktemp("b") / "e",
        {"data/content.csv": CONTENT_HEADER, "data/touches.csv": None},
    )
    engagement = load_engagement(d)
    return engagement, build_strategy(engagement)


def sample_copy(folder: Path, *, content: bool, touches: bool) -> Path:
    """The bundled sample, its content inventory header-only and/or its touches left out."""
    shutil.copytree(SAMPLE_DIR, folder)
    if not content:
        (folder / "data" / "content.csv").write_text(CONTENT_HEADER, encoding="utf-8")
    if not touches:
        (folder / "data" / "touches.csv").unlink()
    return folder


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_content_section_says_no_inventory_was_provided(bare, language):
    engagement, report = bare
    means = strategy_sentences(report, language=language, currency="EUR")
    for key in ("content", "plan", "performance", "tagging"):
        assert means[key] == text(f"strategy.{key}.means.no_content", language)
    assert means["tracks"] == text("strategy.tracks.means.no_content", language, tracks="12")
    assert means["channels"] == text("strategy.channels.means.none", language)
    assert means["process"].endswith(text("strategy.process.no_touches", language))
    assert means["roadmap"].endswith(text("strategy.roadmap.no_content", language))
    if language == "en":
        assert means["content"].startswith("No content inventory was provided:")
        assert means["channels"].startswith("No touches were provided:")
    else:
        assert means["content"].startswith("Aucun inventaire des contenus n'a été fourni :")
        assert means["channels"].startswith("Aucune interaction n'a été fournie :")


def test_no_gap_and_no_content_plan_is_invented(bare):
    _, report = bare
    content = report.content
    assert content.matrix is None and content.gaps is None and content.plan is None
    assert plan_table(content) is None
    assert set(content.tracks["status"].map(repr)) == {"None"}
    # the tracks table shows the buyer's question alone, never "gap"
    cells = report.tracks_table.drop(columns="persona").to_numpy().ravel().tolist()
    assert cells[0] == "Is this problem costing us enough to act on it now?"
    assert not any("gap" in c for c in cells)
    # the roadmap's content workstream is building the inventory, nothing to produce
    tasks = report.roadmap.loc[report.roadmap["workstream"] == "content", "task"].tolist()
    assert tasks == ["Build and tag the content inventory"]


def test_checklist_and_process_say_what_was_not_provided(bare):
    _, report = bare
    tech = report.technology.set_index("item")
    for item in ("tagging", "fresh"):
        row = tech.loc[text(f"strategy.tech.{item}", "en")]
        assert (row["status"], row["evidence"]) == ("todo", "No content inventory provided")
    for item in ("touches", "touch_assets"):
        row = tech.loc[text(f"strategy.tech.{item}", "en")]
        assert (row["status"], row["evidence"]) == ("todo", "No touches provided")
    assert report.process_model["content"].tolist() == [
        "Awareness: no content inventory provided",  # inquiry
        "Consideration: no content inventory provided",  # mql
        "Consideration: no content inventory provided",  # sal
        "Decision: no content inventory provided",  # sql
        "Decision: no content inventory provided",  # opportunity
        "Retention: no content inventory provided",  # won
    ]


def test_the_tracks_chart_shows_the_questions_without_coverage(bare):
    _, report = bare
    fig = plots.tracks_grid_chart(report.content.tracks, language="en")
    words = [t.get_text() for t in fig.axes[0].texts]
    assert len(words) == 12  # one question per cell, no "gap, assets: 0" line
    assert not any("gap" in w or "assets" in w for w in words)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_kickoff_says_no_inventory_and_suggests_no_content_gap(bare, language):
    engagement, _ = bare
    report = build_kickoff(engagement, language=language)
    assert report.content_matrix is None and report.content_by_format is None
    assert report.untagged is None and report.stale is None
    assert "hypothesis.content_gap" not in [h.key for h in report.hypotheses]
    means = kickoff_sentences(report, language=language, currency="EUR")
    assert means["content"] == text("kickoff.content.means.none", language)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_excel_content_sheet_says_no_inventory_was_provided(bare, tmp_path, language):
    engagement, _ = bare
    saved = phase_outputs(engagement, language=language, phases=("kickoff",))
    tables = build_key_tables(engagement, saved, language=language)
    sheet = tables.sheet("content_gaps")
    assert len(sheet.frame) == 0
    assert sheet.notes == (text("missing.content", language),)
    path = write_key_tables(engagement, tmp_path / "k.xlsx", language=language, saved=saved)
    cells = [
        c for row in openpyxl.load_workbook(path)[sheet.title].iter_rows(values_only=True)
        for c in row if c is not None
    ]  # fmt: skip
    assert text("missing.content", language) in cells


def test_with_an_inventory_the_excel_content_sheet_lists_the_gaps(tmp_path):
    engagement = load_engagement(write_engagement(tmp_path / "e"))
    saved = phase_outputs(engagement, phases=("kickoff",))
    sheet = build_key_tables(engagement, saved, language="en").sheet("content_gaps")
    # 12 cells, A1 (economic buyer x awareness), A2 (x decision), A3 (technical x
    # consideration) tagged: every cell holds fewer than 2 assets
    assert len(sheet.frame) == 12 and sheet.notes == ()


def test_without_touches_but_with_content_performance_and_channels_say_touches(tmp_path):
    engagement = load_engagement(write_engagement(tmp_path / "e", {"data/touches.csv": None}))
    report = build_strategy(engagement)
    means = strategy_sentences(report, language="en", currency="EUR")
    assert report.content.provided and report.content.performance is None
    assert means["performance"] == text("strategy.performance.means.none", "en")
    assert means["performance"].startswith("No touches were provided:")
    assert means["channels"] == text("strategy.channels.means.none", "en")
    assert "No content inventory" not in means["roadmap"]


def test_the_weights_sentence_says_the_score_has_no_touches(tmp_path):
    folder = sample_copy(tmp_path / "s", content=True, touches=False)
    engagement = load_engagement(folder)
    journeys = build_journeys(engagement)
    scoring = build_scoring(engagement, journeys)
    assert not scoring.uses_touches
    assert not any(f.startswith("touches") for f in scoring.weights["feature"])
    assert text("strategy.weights.no_touches", "en") in render_score_text(scoring).splitlines()
    report = build_strategy(engagement, journeys, scoring=scoring)
    means = strategy_sentences(report, language="en", currency="EUR")
    assert means["weights"].endswith(text("strategy.weights.no_touches", "en"))
    with_touches = dataclasses.replace(
        report, scoring=dataclasses.replace(scoring, uses_touches=True)
    )
    assert (
        "No touches"
        not in strategy_sentences(with_touches, language="en", currency="EUR")["weights"]
    )


def test_touches_without_an_inventory_give_no_buying_stage_features(tmp_path):
    folder = sample_copy(tmp_path / "s", content=False, touches=True)
    engagement = load_engagement(folder)
    scoring = build_scoring(engagement)
    assert scoring.uses_touches
    features = set(scoring.weights["feature"])
    assert any(f.startswith("touches_channel_") for f in features)
    assert not any(f.startswith(("touches_awareness", "touches_decision")) for f in features)


@pytest.mark.notebook
@pytest.mark.parametrize("language", ["en", "fr"])
def test_reports_without_content_or_touches_say_so_and_invent_nothing(tmp_path, language):
    folder = sample_copy(tmp_path / "s", content=False, touches=False)
    runs = {
        name: execute_notebook(name, tmp_path, engagement_dir=str(folder), language=language)
        for name in ("00_kickoff.ipynb", "02_final_strategy.ipynb")
    }
    for nb in runs.values():
        assert not any(o.output_type == "error" for c in nb.cells for o in c.get("outputs", []))
    kickoff = outputs_text(runs["00_kickoff.ipynb"])
    assert text("kickoff.head.content.missing", language) in kickoff  # the section stays
    assert text("kickoff.content.means.none", language) in kickoff
    hypotheses = kickoff.split('<h2 id="hypotheses">')[-1]
    assert "× " not in hypotheses  # no "Economic buyer × Awareness: 0 assets" gap
    final = outputs_text(runs["02_final_strategy.ipynb"])
    for key in ("content", "plan", "performance", "tagging"):
        assert text(f"strategy.{key}.means.no_content", language) in final, key
    assert text("strategy.channels.means.none", language) in final
    assert text("strategy.roadmap.no_content", language) in final
    assert text("strategy.weights.no_touches", language) in final
    assert text("strategy.chart.tracks", language) in final  # the buyer's questions stay
    assert text("strategy.chart.content", language) not in final  # no matrix of zeros
    assert text("strategy.tech.evidence.no_content", language) in final
