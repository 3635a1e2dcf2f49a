"""Tests for workbook.runs.pipeline: ``workbook run`` loads the engagement once, runs the phases
and publishes their reports all-or-nothing.

Most tests use small fixture phase notebooks written at test time (one code cell reading the
engagement as the real notebooks do, through ``workbook.deliverables.notebook.start``); the
load-once test runs the real phase notebooks on the tiny engagement.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest

from tests.conftest import NOTEBOOKS_DIR, python3_notebook, write_engagement
from workbook.intake import io, snapshot
from workbook.intake.problems import EngagementError
from workbook.runs.pipeline import KEY_TABLES_NAME, run_reports
from workbook.runs.runner import PHASE_NOTEBOOKS, SNAPSHOT_PARAMETER, NotebookRunError

pytestmark = pytest.mark.notebook

PARAMETERS_SOURCE = """\
engagement_dir: str = ""  # engagement folder
as_of: str = ""  # snapshot date, ISO
language: str = ""  # report language
seed: int = 7  # random seed
interactive: bool = False  # sliders in JupyterLab
engagement_snapshot: str = ""  # the run's snapshot of the validated engagement"""

READ_CELL = """\
from pathlib import Path

from workbook.deliverables.notebook import start

ctx = start(engagement_dir, as_of=as_of, language=language, seed=seed, snapshot=engagement_snapshot)
if (Path(engagement_dir) / "RAISE_IN_{phase}").exists():
    raise ValueError("planted failure in {phase}")
print("{phase}: " + str(len(ctx.engagement.leads)) + " leads as of " + str(ctx.engagement.as_of)
      + (" from the snapshot" if engagement_snapshot else " from the folder"))"""


def fixture_notebooks(folder: Path) -> Path:
    """The three phase notebooks, each printing what it read (or raising on a marker file)."""
    folder.mkdir(parents=True, exist_ok=True)
    for phase, name in PHASE_NOTEBOOKS.items():
        nb = python3_notebook(
            [
                nbformat.v4.new_markdown_cell(f"# {phase}"),
                nbformat.v4.new_code_cell(PARAMETERS_SOURCE, metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(READ_CELL.replace("{phase}", phase)),
            ]
        )
        nbformat.write(nb, folder / name)
    return folder


def count_table_reads(monkeypatch) -> list[str]:
    """Record the name of every file :func:`workbook.intake.io.read_table` reads in this process."""
    reads: list[str] = []
    original = io.read_table

    def counting_read_table(path, *args, **kwargs):
        reads.append(Path(path).name)
        return original(path, *args, **kwargs)

    for module in list(sys.modules.values()):  # wherever the function was imported by name
        if getattr(module, "__name__", "").startswith("workbook") and (
            getattr(module, "read_table", None) is original
        ):
            monkeypatch.setattr(module, "read_table", counting_read_table)
    return reads


def report_text(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_each_phase_reads_the_snapshot_of_the_engagement_validated_once(tmp_path):
    folder = write_engagement(tmp_path / "tiny")
    out = tmp_path / "out"
    result = run_reports(
        folder,
        phases=["final", "kickoff"],
        out_dir=out,
        notebooks_dir=fixture_notebooks(tmp_path / "notebooks"),
        key_tables=False,
    )
    assert result.run.phases_run == ("kickoff", "final")  # engagement order
    assert [p.name for p in result.reports] == ["00_kickoff.html", "02_final_strategy.html"]
    for phase, path in zip(("kickoff", "final"), result.reports, strict=True):
        assert f"{phase}: 6 leads as of 2026-06-30 from the snapshot" in report_text(path)
    # the snapshot lived in the run's hidden folder and went with it
    assert sorted(p.name for p in out.iterdir()) == ["tiny-test-co"]


def test_a_failing_phase_publishes_nothing_and_keeps_the_previous_reports(tmp_path):
    folder = write_engagement(tmp_path / "tiny")
    notebooks = fixture_notebooks(tmp_path / "notebooks")
    out = tmp_path / "out"
    first = run_reports(folder, out_dir=out, notebooks_dir=notebooks, key_tables=False)
    before = {path.name: path.read_bytes() for path in first.reports}
    assert len(before) == 3

    (folder / "RAISE_IN_final").touch()
    (folder / "data" / "leads.csv").write_text(
        (folder / "data" / "leads.csv").read_text() + "L7,2026-06-21,,,,,webinar,marketing,,,,,\n"
    )
    with pytest.raises(NotebookRunError) as caught:
        run_reports(folder, out_dir=out, notebooks_dir=notebooks, key_tables=False)
    assert caught.value.phase == "final"
    assert "planted failure in final" in str(caught.value)

    report_dir = out / "tiny-test-co"
    # kickoff and midpoint of the failed run (7 leads) succeeded, yet none of them replaced
    # the published ones (6 leads)
    published = {p.name: p.read_bytes() for p in report_dir.iterdir() if p.is_file()}
    assert published == {**before, ".workbook-client": b"Tiny Test Co\n"}
    error = (report_dir / "failed" / "error.txt").read_text()
    assert "phase: final" in error and "ValueError: planted failure in final" in error
    assert sorted(p.name for p in out.iterdir()) == ["tiny-test-co"]  # no hidden folder left


def test_bad_input_fails_before_any_kernel_and_writes_nothing(tmp_path):
    folder = write_engagement(tmp_path / "tiny", {"data/leads.csv": None})
    out = tmp_path / "out"
    with pytest.raises(EngagementError) as caught:
        run_reports(folder, out_dir=out, notebooks_dir=fixture_notebooks(tmp_path / "nb"))
    assert any(problem.file == "leads.csv" for problem in caught.value.problems)
    assert not out.exists()


def test_a_three_phase_run_reads_the_raw_files_once(tmp_path, monkeypatch):
    folder = write_engagement(tmp_path / "tiny")
    data_files = sorted((folder / "data").iterdir())
    reads = count_table_reads(monkeypatch)
    save = snapshot.save_engagement_snapshot

    def save_then_delete_the_raw_files(engagement, path):
        saved = save(engagement, path)
        for file in data_files:  # from here on, only the snapshot holds the data
            file.unlink()
        return saved

    monkeypatch.setattr(snapshot, "save_engagement_snapshot", save_then_delete_the_raw_files)
    out = tmp_path / "out"
    result = run_reports(folder, out_dir=out, notebooks_dir=NOTEBOOKS_DIR)

    # in this process, each data file was read once (besides the bundled benchmarks the
    # Excel workbook's mid-point sheets compare with); the kernels read none (deleted)
    assert sorted(r for r in reads if r != "benchmarks.csv") == sorted(f.name for f in data_files)
    assert not any((folder / "data").iterdir())
    names = [path.name for path in result.reports]
    assert names == [
        "00_kickoff.html",
        "00_kickoff.pptx",
        "01_midpoint_insights.html",
        "01_midpoint_insights.pptx",
        "02_final_strategy.html",
        "02_final_strategy.pptx",
        "figures.json",
        KEY_TABLES_NAME.format(slug="tiny-test-co"),
    ]
    kickoff = report_text(out / "tiny-test-co" / "00_kickoff.html")
    assert "Tiny Test Co" in kickoff
    assert not (out / "tiny-test-co" / "failed").exists()


def test_the_snapshot_parameter_is_declared_by_every_phase_notebook():
    import papermill

    for name in PHASE_NOTEBOOKS.values():
        assert SNAPSHOT_PARAMETER in papermill.inspect_notebook(str(NOTEBOOKS_DIR / name))
