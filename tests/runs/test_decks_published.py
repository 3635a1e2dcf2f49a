"""``workbook run`` writes a deck per phase beside its report (issue 18): in the engagement's
``template.pptx`` when it has one, never with ``--no-deck``, all-or-nothing like the reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu

from tests.conftest import NOTEBOOKS_DIR, write_engagement
from workbook.cli import main
from workbook.runs.pipeline import run_reports

pytestmark = pytest.mark.notebook


def _client_template(path: Path) -> Path:
    """A 4:3 template whose theme font is Georgia: what the client's decks must keep."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(9144000), Emu(6858000)
    for layout in deck.slide_master.slide_layouts:
        for shape in layout.placeholders:
            for paragraph in shape.text_frame.paragraphs:
                paragraph.font.name = "Georgia"
    deck.save(str(path))
    return path


def test_the_engagements_template_gives_the_decks_their_size_and_layouts(tmp_path):
    folder = write_engagement(tmp_path / "tiny")
    _client_template(folder / "template.pptx")
    result = run_reports(folder, phases=["kickoff"], out_dir=tmp_path / "out",
                         notebooks_dir=NOTEBOOKS_DIR, key_tables=False)  # fmt: skip
    deck_path = result.run.report_dir / "00_kickoff.pptx"
    assert [p.name for p in result.reports] == [
        "00_kickoff.html",
        "00_kickoff.pptx",
        "figures.json",
    ]
    deck = Presentation(str(deck_path))
    assert (deck.slide_width, deck.slide_height) == (9144000, 6858000)
    fonts = {
        paragraph.font.name
        for layout in deck.slide_master.slide_layouts
        for shape in layout.placeholders
        for paragraph in shape.text_frame.paragraphs
    }
    assert "Georgia" in fonts
    assert len(deck.slides) >= 4  # title, summary, findings, appendix


def test_no_deck_writes_the_reports_only(tmp_path, capsys):
    folder = write_engagement(tmp_path / "tiny")
    out = tmp_path / "out"
    code = main(
        ["run", str(folder), "--phase", "kickoff", "--out", str(out), "--no-deck", "--quiet"]
    )
    assert code == 0
    published = sorted(p.name for p in (out / "tiny-test-co").iterdir())
    assert not [name for name in published if name.endswith(".pptx")]
    assert "00_kickoff.html" in published
