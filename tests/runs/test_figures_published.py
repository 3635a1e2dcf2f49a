"""``workbook run`` publishes ``figures.json``: the phases' registers merged, one value each.

Fixture phase notebooks register figures and save them with ``ctx.finish`` as the real ones
do; a figure given two values by two phases fails the run and publishes nothing.
"""

from __future__ import annotations

import json

import nbformat
import pytest

from tests.conftest import python3_notebook, write_engagement
from tests.runs.test_pipeline import PARAMETERS_SOURCE
from workbook.deliverables.register import FigureConflictError
from workbook.runs.pipeline import run_reports
from workbook.runs.runner import PHASE_NOTEBOOKS

pytestmark = pytest.mark.notebook

FIGURES_CELL = """\
from workbook.deliverables.notebook import start

ctx = start(engagement_dir, as_of=as_of, language=language, seed=seed, snapshot=engagement_snapshot)
ctx.register.add("kickoff.leads", len(ctx.engagement.leads), unit="count", label="Leads")
ctx.register.add("{phase}.only", {value}, unit="count", label="A figure of {phase}")
ctx.finish("{phase}")"""


def figure_notebooks(folder, values):
    folder.mkdir(parents=True, exist_ok=True)
    for phase, name in PHASE_NOTEBOOKS.items():
        source = FIGURES_CELL.replace("{phase}", phase).replace("{value}", str(values[phase]))
        if phase == "final" and values.get("conflict"):
            source += '\nctx.register.add("midpoint.only", -1, unit="count", label="x")'
            source += '\nctx.finish("final")'
        nb = python3_notebook(
            [
                nbformat.v4.new_markdown_cell(f"# {phase}"),
                nbformat.v4.new_code_cell(PARAMETERS_SOURCE, metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(source),
            ]
        )
        nbformat.write(nb, folder / name)
    return folder


def test_the_phases_figures_are_published_merged_one_entry_per_key(tmp_path):
    folder = write_engagement(tmp_path / "tiny")
    out = tmp_path / "out"
    notebooks = figure_notebooks(tmp_path / "nb", {"kickoff": 1, "midpoint": 2, "final": 3})
    run_reports(folder, out_dir=out, notebooks_dir=notebooks, key_tables=False)
    figures = json.loads((out / "tiny-test-co" / "figures.json").read_text(encoding="utf-8"))
    by_key = {f["key"]: f["value"] for f in figures["figures"]}
    assert by_key == {"kickoff.leads": 6, "kickoff.only": 1, "midpoint.only": 2, "final.only": 3}
    assert len(figures["figures"]) == len(by_key)
    assert set(figures["figures"][0]) >= {"key", "value", "unit", "window", "label"}


def test_a_figure_with_two_values_fails_the_run_and_publishes_nothing(tmp_path):
    folder = write_engagement(tmp_path / "tiny")
    out = tmp_path / "out"
    notebooks = figure_notebooks(
        tmp_path / "nb", {"kickoff": 1, "midpoint": 2, "final": 3, "conflict": True}
    )
    with pytest.raises(FigureConflictError, match="midpoint.only"):
        run_reports(folder, out_dir=out, notebooks_dir=notebooks, key_tables=False)
    report_dir = out / "tiny-test-co"
    assert not (report_dir / "figures.json").exists()
    assert not list(report_dir.glob("*.html"))
    assert "two values" in (report_dir / "failed" / "error.txt").read_text(encoding="utf-8")
