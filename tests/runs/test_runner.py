"""Tests for workbook.runs.runner: headless notebook execution, all-or-nothing reports, slugs.

Notebook-executing tests (marked ``notebook``) start about six kernels in all (~2 s each).
"""

from __future__ import annotations

import json
import pickle
import re
import shutil
from pathlib import Path

import nbformat
import papermill
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import boom_error
from workbook.deliverables import reports
from workbook.runs import runner
from workbook.runs.runner import (
    IpcKernelManager,
    NotebookRunError,
    UnknownParameterError,
    execute_notebook,
    find_phase_notebooks,
    remove_abandoned_staging,
    run_engagement,
    slugify,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks"
OK_NOTEBOOK = FIXTURES / "report_ok.ipynb"
BOOM_NOTEBOOK = FIXTURES / "raises_boom.ipynb"


def _stream_text(nb: nbformat.NotebookNode) -> str:
    return "".join(
        output.get("text", "")
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream"
    )


def _tags(cell: nbformat.NotebookNode) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _notebooks_dir(tmp_path: Path, **phase_files: Path) -> Path:
    """A notebooks folder holding the given fixture under each phase's file name."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for phase, source in phase_files.items():
        shutil.copyfile(source, folder / runner.PHASE_NOTEBOOKS[phase])
    return folder


# --- execute_notebook -------------------------------------------------------------------


@pytest.fixture(scope="module")
def executed_ok(tmp_path_factory):
    """The OK fixture executed once with parameters; the kernel runs in a folder with a space."""
    base = tmp_path_factory.mktemp("executed")
    work_dir = base / "work dir"
    work_dir.mkdir()
    output_path = base / "out" / "executed.ipynb"
    nb = execute_notebook(
        OK_NOTEBOOK,
        output_path,
        parameters={"as_of": "2026-09-30", "engagement_dir": base / "acme"},
        cwd=work_dir,
    )
    return nb, output_path, work_dir, base


@pytest.mark.notebook
def test_parameters_are_injected_and_visible_in_the_executed_notebook(executed_ok):
    nb, output_path, _, base = executed_ok
    injected = [cell for cell in nb.cells if "injected-parameters" in _tags(cell)]
    assert len(injected) == 1
    assert 'as_of = "2026-09-30"' in injected[0].source
    # Path values reach the notebook as plain strings.
    assert f'engagement_dir = "{base / "acme"}"' in injected[0].source
    assert "as_of=2026-09-30\n" in _stream_text(nb)
    saved = nbformat.read(output_path, as_version=4)
    assert "as_of=2026-09-30\n" in _stream_text(saved)


@pytest.mark.notebook
def test_kernel_runs_in_the_given_working_directory(executed_ok):
    nb, _, work_dir, _ = executed_ok
    assert f"kernel cwd={work_dir.resolve()}\n" in _stream_text(nb)


@pytest.mark.notebook
def test_matplotlib_figure_becomes_a_png_output(executed_ok):
    # MPLBACKEND=Agg would leave this cell without output; the inline backend renders a PNG.
    nb, *_ = executed_ok
    figure_outputs = [
        output
        for cell in nb.cells
        if cell.cell_type == "code" and "plt.subplots" in cell.source
        for output in cell.outputs
    ]
    assert len(figure_outputs) == 1
    assert figure_outputs[0].data["image/png"].startswith("iVBORw0KGgo")  # PNG signature


def test_unknown_parameter_is_rejected_before_any_kernel_starts(tmp_path, monkeypatch):
    def no_kernel(*args, **kwargs):
        raise AssertionError("papermill must not run with an unknown parameter")

    monkeypatch.setattr(papermill, "execute_notebook", no_kernel)
    with pytest.raises(UnknownParameterError) as caught:
        execute_notebook(
            OK_NOTEBOOK,
            tmp_path / "out.ipynb",
            parameters={"as_of": "2026-09-30", "clinet": "Acme"},
            cwd=tmp_path,
        )
    error = caught.value
    assert error.unknown == ("clinet",)
    assert error.valid == ("engagement_dir", "as_of")
    assert "clinet" in str(error) and "engagement_dir, as_of" in str(error)
    assert not (tmp_path / "out.ipynb").exists()


def test_errors_survive_pickling_across_worker_processes():
    unknown = UnknownParameterError(Path("nb.ipynb"), ["b", "a"], ["as_of"])
    restored = pickle.loads(pickle.dumps(unknown))
    assert (restored.unknown, restored.valid, str(restored)) == (
        ("a", "b"),
        ("as_of",),
        str(unknown),
    )
    failed = boom_error("nb.ipynb", notebook=nbformat.v4.new_notebook())
    restored = pickle.loads(pickle.dumps(failed))
    assert str(restored) == "nb.ipynb, cell 3 (In [4]): ValueError: boom"
    assert restored.cell_index == 3 and restored.notebook.nbformat == 4


@pytest.mark.notebook
def test_cell_error_gives_cell_index_error_and_partial_notebook_without_retry(
    tmp_path, monkeypatch
):
    calls = []
    real_execute = papermill.execute_notebook

    def counting_execute(*args, **kwargs):
        calls.append(1)
        return real_execute(*args, **kwargs)

    monkeypatch.setattr(papermill, "execute_notebook", counting_execute)
    output_path = tmp_path / "boom.ipynb"
    with pytest.raises(NotebookRunError) as caught:
        execute_notebook(BOOM_NOTEBOOK, output_path, parameters={}, cwd=tmp_path)
    error = caught.value
    assert len(calls) == 1  # a cell error is never retried
    # Cells of raises_boom.ipynb: 0 markdown, 1 parameters, 2 print, 3 raise, 4 print.
    assert (error.cell_index, error.error_name, error.error_message) == (3, "ValueError", "boom")
    assert error.cell_source == 'raise ValueError("boom")'
    assert "ValueError: boom" in error.traceback_text and "\x1b[" not in error.traceback_text
    assert error.output_path == output_path.resolve()
    # The partial notebook carries papermill's banner and stops at the failing cell.
    assert "papermill-error-cell-tag" in _tags(error.notebook.cells[0])
    assert "before the failure\n" in _stream_text(error.notebook)
    assert "never reached" not in _stream_text(error.notebook)
    assert str(error) == "raises_boom.ipynb, cell 3 (In [3]): ValueError: boom"


def _failing_start(starts: list[dict], *, failures: int):
    """A start_kernel that fails ``failures`` times, recording the manager's connection setup."""
    real_start = IpcKernelManager.start_kernel

    async def start_kernel(self, **kwargs):
        starts.append(
            {
                "transport": self.transport,
                "connection_file": self.connection_file,
                "ip": self.ip,
            }
        )
        if len(starts) <= failures:
            raise RuntimeError("Kernel died before replying to kernel_info")
        await real_start(self, **kwargs)

    return start_kernel


def test_kernel_start_failing_twice_raises_with_no_cell_and_leaves_no_files(tmp_path, monkeypatch):
    starts: list[dict] = []
    monkeypatch.setattr(IpcKernelManager, "start_kernel", _failing_start(starts, failures=9))
    with pytest.raises(NotebookRunError) as caught:
        execute_notebook(OK_NOTEBOOK, tmp_path / "out.ipynb", parameters={}, cwd=tmp_path)
    error = caught.value
    assert len(starts) == 2  # the first attempt and one retry
    assert error.cell_index is None and error.notebook is None
    assert error.error_message == (
        "the kernel did not start: Kernel died before replying to kernel_info"
    )
    # IPC transport, connection file and sockets in one private folder, removed afterwards.
    folder = Path(starts[0]["connection_file"]).parent
    assert {s["transport"] for s in starts} == {"ipc"}
    assert all(Path(s["ip"]).parent == folder for s in starts)
    assert folder.name.startswith("wbk-kernel-") and not folder.exists()


def test_retries_zero_means_a_single_kernel_start(tmp_path, monkeypatch):
    starts: list[dict] = []
    monkeypatch.setattr(IpcKernelManager, "start_kernel", _failing_start(starts, failures=9))
    with pytest.raises(NotebookRunError):
        execute_notebook(
            OK_NOTEBOOK, tmp_path / "out.ipynb", parameters={}, cwd=tmp_path, retries=0
        )
    assert len(starts) == 1


@pytest.mark.notebook
def test_kernel_start_failure_is_retried_and_the_run_goes_on(tmp_path, monkeypatch):
    starts: list[dict] = []
    monkeypatch.setattr(IpcKernelManager, "start_kernel", _failing_start(starts, failures=1))
    with pytest.raises(NotebookRunError) as caught:  # the retry runs the cells: boom
        execute_notebook(BOOM_NOTEBOOK, tmp_path / "out.ipynb", parameters={}, cwd=tmp_path)
    assert len(starts) == 2
    assert caught.value.error_message == "boom"


# --- find_phase_notebooks ----------------------------------------------------------------


def test_find_phase_notebooks_lists_existing_phases_in_engagement_order(tmp_path):
    for name in ("02_final_strategy.ipynb", "00_kickoff.ipynb", "03_extra.ipynb"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    found = find_phase_notebooks(tmp_path)
    assert list(found.items()) == [
        ("kickoff", tmp_path / "00_kickoff.ipynb"),
        ("final", tmp_path / "02_final_strategy.ipynb"),
    ]


# --- run_engagement ----------------------------------------------------------------------


@pytest.mark.notebook
def test_successful_run_publishes_reports_and_leaves_no_temporary_folder(tmp_path):
    notebooks = _notebooks_dir(tmp_path, kickoff=OK_NOTEBOOK)
    out_dir = tmp_path / "out"
    report_dir = out_dir / "acme-industrial"
    (report_dir / "failed").mkdir(parents=True)
    (report_dir / "failed" / "error.txt").write_text("old failure", encoding="utf-8")
    (report_dir / "02_final_strategy.html").write_text("earlier final", encoding="utf-8")
    abandoned = out_dir / ".acme-industrial.run-killed"  # what a SIGKILLed run leaves
    (abandoned / "executed").mkdir(parents=True)
    _age(abandoned)

    result = run_engagement(
        tmp_path / "engagement",
        phases=["all"],
        out_dir=out_dir,
        client_slug="acme-industrial",
        client_name="Acme Industrial",
        parameters={"as_of": "2026-09-30"},
        notebooks_dir=notebooks,
    )

    assert result.phases_run == ("kickoff",)
    assert result.phases_skipped == ("midpoint", "final")
    assert result.report_paths == (report_dir / "00_kickoff.html",)
    assert sorted(p.name for p in out_dir.iterdir()) == ["acme-industrial"]
    assert sorted(p.name for p in report_dir.iterdir()) == [
        ".workbook-client",  # whose reports the folder holds: client_name
        "00_kickoff.html",
        "02_final_strategy.html",
    ]  # the stale failed/ is gone, the other phase's report is kept
    assert (report_dir / "02_final_strategy.html").read_text(encoding="utf-8") == "earlier final"
    html = (report_dir / "00_kickoff.html").read_text(encoding="utf-8")
    assert "<title>Acme Industrial — Kickoff: the week-zero baseline</title>" in html
    assert "Data as of 2026-09-30" in html and "as_of=2026-09-30" in html
    payload = json.loads(json.dumps(result.to_dict()))
    assert payload["phases_run"] == ["kickoff"] and payload["execute_seconds"]["kickoff"] > 0


@pytest.mark.notebook
def test_failed_phase_leaves_published_reports_untouched_and_fills_failed(tmp_path):
    notebooks = _notebooks_dir(tmp_path, kickoff=OK_NOTEBOOK, midpoint=BOOM_NOTEBOOK)
    out_dir = tmp_path / "out"
    report_dir = out_dir / "acme"
    (report_dir / "failed").mkdir(parents=True)
    (report_dir / "failed" / "old.txt").write_text("from an earlier run", encoding="utf-8")
    (report_dir / "00_kickoff.html").write_text("previous kickoff report", encoding="utf-8")

    with pytest.raises(NotebookRunError) as caught:
        run_engagement(
            tmp_path / "engagement",
            phases=["kickoff", "midpoint"],
            out_dir=out_dir,
            client_slug="acme",
            parameters={"as_of": "2026-09-30"},
            notebooks_dir=notebooks,
        )

    error = caught.value
    assert error.phase == "midpoint"
    assert error.output_path == report_dir / "failed" / "01_midpoint_insights.ipynb"
    assert sorted(p.name for p in out_dir.iterdir()) == ["acme"]
    assert sorted(p.name for p in report_dir.iterdir()) == ["00_kickoff.html", "failed"]
    assert (report_dir / "00_kickoff.html").read_text(encoding="utf-8") == (
        "previous kickoff report"
    )
    failed = report_dir / "failed"
    assert sorted(p.name for p in failed.iterdir()) == ["01_midpoint_insights.ipynb", "error.txt"]
    partial = nbformat.read(failed / "01_midpoint_insights.ipynb", as_version=4)
    assert "papermill-error-cell-tag" in _tags(partial.cells[0])
    assert "before the failure\n" in _stream_text(partial)
    error_text = (failed / "error.txt").read_text(encoding="utf-8")
    assert "phase: midpoint" in error_text
    assert "cell: 3 (In [4])" in error_text  # In [2] is the injected parameters cell
    assert "error: ValueError: boom" in error_text


def test_interrupted_run_removes_its_temporary_folder_and_touches_nothing(tmp_path, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "execute_notebook", interrupted)
    notebooks = _notebooks_dir(tmp_path, kickoff=OK_NOTEBOOK)
    out_dir = tmp_path / "out"
    (out_dir / "acme").mkdir(parents=True)
    (out_dir / "acme" / "00_kickoff.html").write_text("kept", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        run_engagement(
            tmp_path,
            phases=["kickoff"],
            out_dir=out_dir,
            client_slug="acme",
            parameters={},
            notebooks_dir=notebooks,
        )
    assert sorted(p.name for p in out_dir.iterdir()) == ["acme"]
    assert [p.name for p in (out_dir / "acme").iterdir()] == ["00_kickoff.html"]
    assert (out_dir / "acme" / "00_kickoff.html").read_text(encoding="utf-8") == "kept"


@pytest.mark.parametrize(
    ("options", "error_type", "message"),
    [
        ({"client_slug": "../acme"}, ValueError, "not a slug"),
        ({"phases": ["kickof"]}, ValueError, "unknown phase"),
        ({"formats": ("docx",)}, ValueError, "unknown report format"),
        ({"parameters": {"clinet": "x"}}, UnknownParameterError, "clinet"),
        ({"formats": ("html", "pdf")}, reports.PdfUnavailableError, "chromium"),
    ],
)
def test_bad_options_fail_before_anything_is_written(
    tmp_path, monkeypatch, options, error_type, message
):
    monkeypatch.setattr(reports.shutil, "which", lambda name: None)
    notebooks = _notebooks_dir(tmp_path, kickoff=OK_NOTEBOOK)
    arguments = {
        "phases": ["kickoff"],
        "out_dir": tmp_path / "out",
        "client_slug": "acme",
        "parameters": {},
        "notebooks_dir": notebooks,
        **options,
    }
    with pytest.raises(error_type, match=message):
        run_engagement(tmp_path, **arguments)
    assert not (tmp_path / "out").exists()


def test_missing_notebooks_are_reported_with_the_expected_names(tmp_path):
    with pytest.raises(FileNotFoundError, match="01_midpoint_insights.ipynb"):
        run_engagement(
            tmp_path,
            phases=["midpoint"],
            out_dir=tmp_path / "out",
            client_slug="acme",
            parameters={},
            notebooks_dir=tmp_path,
        )


# --- slugify -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Acme Industrial", "acme-industrial"),
        ("../../etc", "etc"),
        ("Ünïcode SA", "unicode-sa"),
        ("  ", "engagement"),
        ("", "engagement"),
        (".", "engagement-cdb4ee2a"),  # no letter or digit: the hash of the name
        ("..", "engagement-5ec1f7e7"),
        ("a/b\\c", "a-b-c"),
        ("CON", "con-engagement"),
        ("com1", "com1-engagement"),
        ("Müller & Söhne GmbH", "muller-sohne-gmbh"),
        ("Straße Ærø", "strasse-aero"),
        ("日本株式会社", "engagement-453f2680"),
        ("Газпром", "gazprom"),
        ("Αθήνα Ναυτιλιακή", "athina-naytiliaki"),
        ("--a----b--", "a-b"),
        ("x" * 100, "x" * 51 + "-09ecb6eb"),  # cut: 51 characters and the hash
        ("y" * 59 + " tail", "y" * 51 + "-4ab6f644"),
    ],
)
def test_slugify_makes_hostile_names_safe(name, expected):
    assert slugify(name) == expected


@given(st.text())
def test_slugify_result_is_a_safe_single_folder_name(name):
    slug = slugify(name)
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug)
    assert "--" not in slug and not slug.endswith("-") and len(slug) <= 60
    assert slug not in {"con", "prn", "aux", "nul"}
    base = Path("/srv/reports")
    assert (base / slug).resolve().parent == base.resolve()
    assert slugify(slug) == slug


# --- hidden folders of killed runs ---------------------------------------------------------


def _age(folder: Path, seconds: float = 3600) -> None:
    import os
    import time

    old = time.time() - seconds
    os.utime(folder, (old, old))


def test_only_unlocked_old_hidden_folders_of_the_client_are_removed(tmp_path):
    made = {}
    for name in (
        ".acme.run-dead",  # old, unlocked: a killed run
        ".acme.failed-dead",  # old, unlocked: a killed record_failure
        ".acme.run-young",  # unlocked but just made: its run may not have locked it yet
        ".beta.run-dead",  # another client's
        "acme",  # the published reports
    ):
        made[name] = tmp_path / name
        made[name].mkdir()
        if name != ".acme.run-young":
            _age(made[name])
    with runner.staging_folder(tmp_path, "acme", "run") as live:  # a long run in progress
        _age(live)
        removed = remove_abandoned_staging(tmp_path, "acme")
        assert sorted(p.name for p in removed) == [".acme.failed-dead", ".acme.run-dead"]
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            [live.name, ".acme.run-young", ".beta.run-dead", "acme"]
        )
    assert not live.exists()  # the run removes its own folder as it ends


def test_the_folder_of_a_killed_run_is_removed_once_its_process_is_gone(tmp_path):
    import signal
    import subprocess
    import sys

    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from workbook.runs import runner\n"
            "with runner.staging_folder(Path(sys.argv[1]), 'acme', 'run') as folder:\n"
            "    print(folder, flush=True); time.sleep(60)",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        folder = Path(child.stdout.readline().strip())
        assert folder.parent == tmp_path and folder.name.startswith(".acme.run-")
        _age(folder)
        assert remove_abandoned_staging(tmp_path, "acme") == []  # its run is alive
        child.send_signal(signal.SIGKILL)  # no clean-up code runs
        child.wait(timeout=30)
    finally:
        child.kill()
        child.stdout.close()
    assert remove_abandoned_staging(tmp_path, "acme") == [folder]
    assert not folder.exists()
