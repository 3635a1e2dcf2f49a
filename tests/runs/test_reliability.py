"""Reliability of production runs: nothing half-written, whatever goes wrong.

A batch with a notebook cell that raises, a missing data file and a kernel killed mid-run; a
worker process killed mid-run; SIGTERM during ``workbook run`` and during a batch; the same
input run twice; hostile client names; many kernels started in parallel.

Runs use the fixture phase notebook of tests/runs/test_batch.py (about a second each) except the
determinism test, which runs the real kickoff notebook.
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import openpyxl
import psutil
import pytest

from tests.conftest import NOTEBOOKS_DIR, write_engagement
from tests.runs.test_batch import (
    kickoff_batch,
    make_engagement,
    make_notebooks_dir,
    phase_notebook,
    temporary_entries,
)
from workbook.deliverables import excel
from workbook.runs.pipeline import run_reports
from workbook.runs.runner import NotebookRunError, execute_notebook, record_failure

pytestmark = pytest.mark.notebook

PYTHON = Path(sys.executable)
PREVIOUS_HTML = "previous report, must survive"
PREVIOUS_XLSX = b"previous workbook, must survive"


def seed_previous_reports(out: Path, slug: str) -> Path:
    """Reports of an earlier run in ``out/<slug>/``."""
    folder = out / slug
    folder.mkdir(parents=True)
    (folder / "00_kickoff.html").write_text(PREVIOUS_HTML, encoding="utf-8")
    (folder / f"{slug}-key-tables.xlsx").write_bytes(PREVIOUS_XLSX)
    return folder


def previous_reports_intact(folder: Path) -> bool:
    return (folder / "00_kickoff.html").read_text(encoding="utf-8") == PREVIOUS_HTML and (
        folder / f"{folder.name}-key-tables.xlsx"
    ).read_bytes() == PREVIOUS_XLSX


def wait_for(predicate, *, timeout_seconds: float = 60, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def sleeping_cells_running(out: Path, count: int) -> bool:
    """True once ``count`` staged notebooks are executing their marker (sleeping) cell."""
    running = 0
    for path in out.glob(".*.run-*/executed/*.ipynb"):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        statuses = [c.get("metadata", {}).get("papermill", {}).get("status") for c in nb["cells"]]
        running += "running" in statuses
    return running >= count


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def all_gone(processes: list[psutil.Process]) -> bool:
    return not [p for p in processes if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


# --- a batch where things go wrong ------------------------------------------------------------


@pytest.fixture(scope="module")
def mixed_batch(tmp_path_factory):
    """Two good engagements and three broken ones, on two local worker processes."""
    base = tmp_path_factory.mktemp("mixed")
    notebooks = make_notebooks_dir(base)
    out = base / "out"
    seed_previous_reports(out, "alpha-corp")
    (out / "alpha-corp" / "failed").mkdir()
    (out / "alpha-corp" / "failed" / "error.txt").write_text("old failure", encoding="utf-8")
    for slug in ("raising-co", "missing-data-co", "killed-kernel-co"):
        seed_previous_reports(out, slug)
    folders = [
        make_engagement(base, "alpha", client="Alpha Corp"),
        make_engagement(base, "bravo", client="Bravo SA", language="fr"),
        make_engagement(base, "raising", client="Raising Co", markers={"RAISE": ""}),
        make_engagement(base, "missing", client="Missing Data Co", files={"data/leads.csv": None}),
        make_engagement(base, "killed", client="Killed Kernel Co", markers={"KILL_KERNEL": ""}),
    ]
    result = kickoff_batch(folders, out_dir=out, notebooks_dir=notebooks)
    return result, out, folders


def test_batch_completes_the_good_engagements_despite_the_broken_ones(mixed_batch):
    result, out, folders = mixed_batch
    assert [(row.engagement_dir, row.client_slug, row.status) for row in result.rows] == [
        (folders[0], "alpha-corp", "succeeded"),
        (folders[1], "bravo-sa", "succeeded"),
        (folders[2], "raising-co", "failed"),
        (folders[3], "missing-data-co", "failed"),
        (folders[4], "killed-kernel-co", "failed"),
    ]
    assert result.exit_code == 1
    for slug in ("alpha-corp", "bravo-sa"):
        assert sorted(p.name for p in (out / slug).iterdir()) == [
            ".workbook-client",
            "00_kickoff.html",
            f"{slug}-key-tables.xlsx",
        ]  # alpha's stale failed/ is gone, its old report replaced
    html = (out / "alpha-corp" / "00_kickoff.html").read_text(encoding="utf-8")
    assert "report for alpha as of 2026-06-30 in en" in html
    assert openpyxl.load_workbook(out / "bravo-sa" / "bravo-sa-key-tables.xlsx").sheetnames[:2] == [
        "Sommaire",
        "Audit des données",
    ]
    text = result.to_text()
    assert "2 succeeded, 3 failed" in text
    assert str(out / "raising-co" / "failed") in text


def test_cell_that_raises_is_recorded_with_the_notebook_up_to_that_cell(mixed_batch):
    result, out, _ = mixed_batch
    row = result.rows[2]
    # Cells: 0 markdown, 1 parameters (In [1]), injected parameters (In [2]), 2 markdown, 3.
    assert row.reason == (
        "kickoff: 00_kickoff.ipynb, cell 3 (In [3]): ValueError: planted failure in raising"
    )
    failed = out / "raising-co" / "failed"
    assert row.failure_dir == failed
    assert sorted(p.name for p in failed.iterdir()) == ["00_kickoff.ipynb", "error.txt"]
    partial = nbformat.read(failed / "00_kickoff.ipynb", as_version=4)
    assert "papermill-error-cell-tag" in partial.cells[0].metadata.get("tags", [])
    assert "ValueError: planted failure in raising" in (failed / "error.txt").read_text("utf-8")
    assert previous_reports_intact(out / "raising-co")


def test_missing_data_file_is_recorded_before_any_notebook_runs(mixed_batch):
    result, out, folders = mixed_batch
    row = result.rows[3]
    assert row.reason.startswith("leads.csv: not found in ")
    failed = out / "missing-data-co" / "failed"
    assert [p.name for p in failed.iterdir()] == ["error.txt"]  # no notebook ran
    error_text = (failed / "error.txt").read_text(encoding="utf-8")
    assert error_text.startswith("Run failed before any notebook ran: leads.csv: not found")
    assert f"workbook validate {folders[3]}" in error_text
    assert previous_reports_intact(out / "missing-data-co")


def test_kernel_killed_mid_run_fails_only_its_engagement(mixed_batch):
    result, out, _ = mixed_batch
    row = result.rows[4]
    # The kernel may die before it reports the cell's execution count: "(In [3])" is optional.
    assert re.fullmatch(
        r"kickoff: 00_kickoff\.ipynb, cell 3( \(In \[3\]\))?: DeadKernelError: Kernel died",
        row.reason,
    ), row.reason
    assert "DeadKernelError" in (out / "killed-kernel-co" / "failed" / "error.txt").read_text(
        "utf-8"
    )
    assert previous_reports_intact(out / "killed-kernel-co")


def test_no_temporary_folder_or_file_is_left_in_out(mixed_batch):
    _, out, _ = mixed_batch
    assert temporary_entries(out) == []
    assert sorted(p.name for p in out.iterdir()) == [
        "alpha-corp",
        "bravo-sa",
        "killed-kernel-co",
        "missing-data-co",
        "raising-co",
    ]


def test_worker_process_killed_mid_run_fails_only_its_engagement(tmp_path):
    # The KILL_WORKER notebook kills its kernel's parent: the pool worker. The pool breaks;
    # both jobs in flight are re-run alone in a new pool: the good one succeeds, the killer
    # breaks the pool again and is failed; the engagement still queued runs normally.
    notebooks = make_notebooks_dir(tmp_path)
    folders = [
        make_engagement(tmp_path, "alpha", client="Alpha"),
        make_engagement(tmp_path, "killer", client="Killer", markers={"KILL_WORKER": ""}),
        make_engagement(tmp_path, "bravo", client="Bravo"),
    ]
    result = kickoff_batch(folders, out_dir=tmp_path / "out", notebooks_dir=notebooks)
    assert [row.status for row in result.rows] == ["succeeded", "failed", "succeeded"]
    assert result.rows[1].reason.startswith("the worker process running it died (")
    assert (tmp_path / "out" / "alpha" / "00_kickoff.html").is_file()
    assert (tmp_path / "out" / "bravo" / "00_kickoff.html").is_file()
    killer = tmp_path / "out" / "killer"
    assert sorted(p.name for p in killer.iterdir()) == [".workbook-client", "failed"]
    error_text = (killer / "failed" / "error.txt").read_text(encoding="utf-8")
    assert error_text.startswith(f"Run failed: {result.rows[1].reason}")
    assert temporary_entries(tmp_path / "out") == []


def test_key_tables_failure_publishes_nothing_and_is_recorded(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("workbook could not be written")

    monkeypatch.setattr(excel, "write_key_tables", broken)
    notebooks = make_notebooks_dir(tmp_path)
    folder = make_engagement(tmp_path, "acme", client="Acme")
    seed_previous_reports(tmp_path / "out", "acme")
    with pytest.raises(RuntimeError, match="could not be written"):
        run_reports(folder, phases=["kickoff"], out_dir=tmp_path / "out", notebooks_dir=notebooks)
    report_dir = tmp_path / "out" / "acme"
    assert previous_reports_intact(report_dir)
    assert (report_dir / "failed" / "error.txt").read_text(encoding="utf-8") == (
        "Run failed: RuntimeError: workbook could not be written\n"
    )
    assert temporary_entries(tmp_path / "out") == []


def test_recording_an_early_failure_replaces_failed_and_keeps_reports(tmp_path):
    report_dir = seed_previous_reports(tmp_path / "out", "acme")
    (report_dir / "failed").mkdir()
    (report_dir / "failed" / "00_kickoff.ipynb").write_text("{}", encoding="utf-8")
    failed = record_failure(tmp_path / "out", "acme", "Run failed: leads.csv: not found")
    assert failed == (tmp_path / "out" / "acme" / "failed").resolve()
    assert [p.name for p in failed.iterdir()] == ["error.txt"]
    assert (failed / "error.txt").read_text("utf-8") == "Run failed: leads.csv: not found\n"
    assert previous_reports_intact(report_dir)
    assert temporary_entries(tmp_path / "out") == []
    with pytest.raises(ValueError, match="not a slug"):
        record_failure(tmp_path / "out", "../acme", "x")


# --- interrupted runs ---------------------------------------------------------------------------


def sigterm_mid_run(
    command: list[str],
    *,
    out: Path,
    notebooks_running: int,
    timeout_seconds: float,
    env: dict[str, str] | None = None,
) -> tuple[int, str, list[psutil.Process]]:
    """Start ``command``, send it SIGTERM once ``notebooks_running`` fixture notebooks sleep
    mid-run under ``out``, and wait for it to exit.

    Returns its exit code, its stderr and the processes that descended from it at SIGTERM.
    """
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        wait_for(
            lambda: sleeping_cells_running(out, notebooks_running),
            what=f"{notebooks_running} notebook(s) to be mid-run",
        )
        children = descendants(process.pid)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=timeout_seconds)
    finally:
        if process.poll() is None:
            process.kill()
    return process.returncode, stderr, children


def test_sigterm_during_workbook_run_keeps_previous_reports_and_leaves_nothing_behind(tmp_path):
    notebooks = make_notebooks_dir(tmp_path)
    folder = make_engagement(tmp_path, "acme", client="Acme", markers={"SLEEP": "120"})
    out = tmp_path / "out"
    report_dir = seed_previous_reports(out, "acme")
    command = [str(PYTHON), "-m", "workbook", "run", str(folder), "--phase", "kickoff"]
    returncode, stderr, children = sigterm_mid_run(
        [*command, "--out", str(out), "--quiet"],
        out=out,
        notebooks_running=1,
        timeout_seconds=30,
        env={**os.environ, "WORKBOOK_NOTEBOOKS": str(notebooks)},
    )
    assert children, "the kernel should be running"
    assert returncode == 130
    assert "interrupted; no report was half-written" in stderr
    assert "Traceback" not in stderr
    assert previous_reports_intact(report_dir)
    assert sorted(p.name for p in report_dir.iterdir()) == [
        "00_kickoff.html",
        "acme-key-tables.xlsx",
    ]
    assert temporary_entries(out) == [] and sorted(p.name for p in out.iterdir()) == ["acme"]
    wait_for(lambda: all_gone(children), timeout_seconds=15, what="the kernel to exit")


BATCH_SCRIPT = textwrap.dedent(
    """
    import signal, sys
    from workbook.runs.batch import run_batch

    def on_sigterm(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        run_batch(sys.argv[3:], out_dir=sys.argv[1], notebooks_dir=sys.argv[2], workers=2,
                  phases=["kickoff"], progress=False)
    except KeyboardInterrupt:
        sys.exit(130)
    """
)


def test_sigterm_during_a_batch_stops_every_worker_and_leaves_nothing_behind(tmp_path):
    notebooks = make_notebooks_dir(tmp_path)
    folders = [
        make_engagement(tmp_path, name, client=name, markers={"SLEEP": "120"})
        for name in ("alpha", "bravo", "charlie")
    ]
    out = tmp_path / "out"
    for slug in ("alpha", "bravo", "charlie"):
        seed_previous_reports(out, slug)
    returncode, stderr, children = sigterm_mid_run(
        [str(PYTHON), "-c", BATCH_SCRIPT, str(out), str(notebooks), *map(str, folders)],
        out=out,
        notebooks_running=2,
        timeout_seconds=60,
    )
    assert returncode == 130, stderr
    for slug in ("alpha", "bravo", "charlie"):
        assert previous_reports_intact(out / slug)
        assert not (out / slug / "failed").exists()
    assert temporary_entries(out) == []
    wait_for(lambda: all_gone(children), timeout_seconds=20, what="workers and kernels to exit")


# --- determinism and names ---------------------------------------------------------------------


def normalised_html(path: Path) -> str:
    """The report without anything that may legitimately change between runs (timestamps)."""
    html = path.read_text(encoding="utf-8")
    return re.sub(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?", "", html)


def test_running_twice_on_the_same_input_gives_the_same_reports_and_tables(tmp_path):
    folder = write_engagement(tmp_path / "tiny")
    with cf.ThreadPoolExecutor(2) as pool:
        runs = [
            pool.submit(
                run_reports,
                folder,
                phases=["kickoff"],
                out_dir=tmp_path / name,
                notebooks_dir=NOTEBOOKS_DIR,
            )
            for name in ("first", "second")
        ]
        results = [run.result() for run in runs]
    first, second = (tmp_path / name / "tiny-test-co" for name in ("first", "second"))
    assert [p.name for p in results[0].reports] == [
        "00_kickoff.html",
        "00_kickoff.pptx",
        "figures.json",
        "tiny-test-co-key-tables.xlsx",
    ]
    assert (first / "figures.json").read_bytes() == (second / "figures.json").read_bytes()
    assert normalised_html(first / "00_kickoff.html") == normalised_html(second / "00_kickoff.html")

    def sheets(path: Path) -> dict[str, list[tuple]]:
        book = openpyxl.load_workbook(path)
        return {s.title: list(s.iter_rows(values_only=True)) for s in book.worksheets}

    first_sheets = sheets(first / "tiny-test-co-key-tables.xlsx")
    assert first_sheets == sheets(second / "tiny-test-co-key-tables.xlsx")
    # and the values are the tiny engagement's: 6 leads entered, 5 reached MQL
    assert first_sheets["Funnel counts"][4][:4] == ("Inquiry", "MQL", 6, 5)


def test_hostile_client_names_stay_inside_out(tmp_path):
    notebooks = make_notebooks_dir(tmp_path)
    work = tmp_path / "work"
    cases = [
        ("etc", "../../etc", "etc"),
        ("ab", "a/b", "a-b"),
        ("unicode", "Ünïcode SA ☃", "unicode-sa"),
        ("Empty Client", "", "empty-client"),  # invalid yaml: slug from the folder name
        ("device", "CON", "con-engagement"),
    ]
    folders = [make_engagement(work, folder, client=client) for folder, client, _ in cases]
    out = tmp_path / "deep" / "out"
    result = kickoff_batch(folders, out_dir=out, notebooks_dir=notebooks)
    assert [row.client_slug for row in result.rows] == [slug for *_, slug in cases]
    assert [row.status for row in result.rows] == ["succeeded"] * 3 + ["failed", "succeeded"]
    assert result.rows[3].reason == "engagement.yaml, key client: required: the client's name"
    assert sorted(p.name for p in out.iterdir()) == sorted(slug for *_, slug in cases)
    for path in out.rglob("*"):
        assert path.resolve().is_relative_to(out.resolve()), path
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep", "notebooks", "work"]
    assert sorted(p.name for p in (tmp_path / "deep").iterdir()) == ["out"]
    assert (out / "empty-client" / "failed" / "error.txt").is_file()


# --- many kernels in parallel ------------------------------------------------------------------


def test_many_parallel_notebook_runs_never_fail_to_start_a_kernel(tmp_path):
    # 24 runs on 2 worker processes, with no retry: one failed kernel start fails the test
    # (with TCP transport about 1 start in 30-120 failed; see FIELD-NOTES).
    notebook = tmp_path / "tiny.ipynb"
    nbformat.write(phase_notebook(), notebook)
    engagements = [tmp_path / f"e{i:02d}" for i in range(24)]
    for folder in engagements:
        folder.mkdir()
    context = multiprocessing.get_context("forkserver")
    with cf.ProcessPoolExecutor(2, mp_context=context) as pool:
        runs = {
            pool.submit(
                execute_notebook,
                notebook,
                tmp_path / "executed" / f"{folder.name}.ipynb",
                parameters={"engagement_dir": str(folder), "as_of": "2026-06-30"},
                cwd=tmp_path,
                retries=0,
            ): folder.name
            for folder in engagements
        }
        failures, outputs = [], {}
        for run in cf.as_completed(runs):
            try:
                outputs[runs[run]] = run.result()
            except NotebookRunError as error:
                failures.append(f"{runs[run]}: {error}")
    assert failures == []
    for name, nb in outputs.items():
        printed = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
        assert printed == f"report for {name} as of 2026-06-30 in \n"
