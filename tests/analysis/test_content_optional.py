"""CONTRACT section 3 for the content model: no content inventory, no touches.

Without an inventory nothing is invented: the matrix, gaps, untagged and stale assets, the
content plan and performance are None (JSON null), the buyer's questions stay. The tiny
engagement of tests/conftest.py has 3 default personas x 4 default buying stages = 12 tracks.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import SAMPLE_DIR, write_engagement
from workbook.analysis.baseline import baseline_hypotheses
from workbook.analysis.content import build_content_report
from workbook.analysis.journeys import build_journeys
from workbook.cli import main
from workbook.console import render_content_text
from workbook.i18n import text
from workbook.intake.engagement import load_engagement

CONTENT_HEADER = "asset_id,title,format,persona,buying_stage,channel,published_at,views\n"


@pytest.fixture(scope="module")
def no_content(tmp_path_factory):
    """The tiny engagement without content.csv (its touches stay)."""
    d = write_engagement(tmp_path_factory.mktemp("c") / "e", {"data/content.csv": None})
    return load_engagement(d)


def test_without_an_inventory_every_content_figure_is_none(no_content):
    report = build_content_report(no_content)
    assert not report.provided
    assert report.matrix is None and report.gaps is None and report.plan is None
    assert report.untagged is None and report.stale is None
    assert report.tag_suggestions is None
    assert report.performance is None  # touches exist, but not the assets they name
    # the buyer's questions stay: 12 cells, the bank's question, no coverage
    assert len(report.tracks) == 12
    first = report.tracks.iloc[0]
    assert (first["persona"], first["buying_stage"]) == ("economic_buyer", "awareness")
    assert first["question"] == "Is this problem costing us enough to act on it now?"
    assert first["status"] is None and first["assets"] is None


def test_content_json_gives_null_for_what_needs_the_inventory(no_content):
    data = build_content_report(no_content).to_dict()
    assert data["matrix"] is None and data["gaps"] is None
    assert data["untagged"] is None and data["stale"] is None
    assert len(data["tracks"]) == 12
    assert {(t["assets"], t["status"]) for t in data["tracks"]} == {(None, None)}
    assert data["tracks"][5]["question"] == (
        "Will it integrate with our systems and meet our security requirements?"
    )


@pytest.mark.parametrize("how", ["absent", "header only"])
def test_workbook_content_json_is_null_when_content_is_absent_or_header_only(tmp_path, capsys, how):
    d = write_engagement(
        tmp_path / "e", {"data/content.csv": None if how == "absent" else CONTENT_HEADER}
    )
    assert main(["content", str(d), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["matrix"] is None and data["gaps"] is None
    assert data["untagged"] is None and data["stale"] is None
    assert [t["status"] for t in data["tracks"]] == [None] * 12


def test_workbook_content_text_says_no_inventory_and_marks_no_gap(tmp_path, capsys):
    d = write_engagement(tmp_path / "e", {"data/content.csv": CONTENT_HEADER})
    assert main(["content", str(d)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == text("missing.content", "en")
    assert out.splitlines()[0].startswith("No content inventory was provided:")
    assert "gap" not in out.lower().replace("the gaps by persona", "")
    assert "Content plan" not in out and "Content matrix" not in out
    assert "How much training and change will it take for my team?" in out


def test_the_text_of_a_report_with_an_inventory_is_unchanged(tmp_path):
    report = build_content_report(load_engagement(write_engagement(tmp_path / "e")))
    assert report.provided
    out = render_content_text(report)
    assert out.startswith("Content matrix (assets per persona x buying stage; * = fewer than 2)")
    assert "Untagged assets (1): A4" in out and "(1): A2" in out


def test_the_samples_content_json_keeps_its_figures():
    data = build_content_report(load_engagement(SAMPLE_DIR)).to_dict()
    assert list(data) == ["matrix", "gaps", "tracks", "untagged", "stale"]
    assert data["matrix"]["economic_buyer"]["decision"] == 0  # the sample's planted gap
    assert len(data["gaps"]) >= 1 and len(data["untagged"]) == 5 and len(data["stale"]) == 6
    assert {t["status"] for t in data["tracks"]} <= {"covered", "gap"}


def test_no_content_gap_hypothesis_without_an_inventory(no_content, tmp_path):
    keys = [h.key for h in baseline_hypotheses(no_content, build_journeys(no_content))]
    assert keys == ["hypothesis.channel_return", "hypothesis.duplicates"]
    full = load_engagement(write_engagement(tmp_path / "full"))
    keys = [h.key for h in baseline_hypotheses(full, build_journeys(full))]
    assert keys == ["hypothesis.channel_return", "hypothesis.content_gap", "hypothesis.duplicates"]
