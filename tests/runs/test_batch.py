"""Tests for workbook.runs.batch: many engagements, a summary, one failure never stopping the others.

Orchestration is tested with a stub job on a thread pool (no kernel); the runs that execute
notebooks (marked ``notebook``) use a one-cell fixture phase notebook written at test time,
whose behaviour each engagement picks with a marker file (RAISE, KILL_KERNEL, KILL_WORKER,
SLEEP). tests/runs/test_reliability.py uses the same helpers.
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import openpyxl
import pytest

from tests.conftest import TINY_YAML, boom_error, python3_notebook, write_engagement
from workbook.deliverables import reports
from workbook.intake.problems import EngagementError, Problem
from workbook.runs import batch
from workbook.runs.batch import BatchResult, BatchRow, failure_reason, run_batch
from workbook.runs.folders import CLIENT_MARKER
from workbook.runs.runner import UnknownParameterError

PYTHON = Path(sys.executable)
DASK = PYTHON.parent / "dask"

PARAMETERS_SOURCE = """\
engagement_dir: str = ""  # engagement folder
as_of: str = ""  # snapshot date, ISO
language: str = ""  # report language
seed: int = 7  # random seed
interactive: bool = False  # sliders in JupyterLab"""

MARKER_CELL = """\
import os
from pathlib import Path

folder = Path(engagement_dir)
if (folder / "RAISE").exists():
    raise ValueError("planted failure in " + folder.name)
if (folder / "KILL_KERNEL").exists():
    os.kill(os.getpid(), 9)
if (folder / "KILL_WORKER").exists():
    os.kill(os.getppid(), 9)
if (folder / "SLEEP").exists():
    import time

    time.sleep(float((folder / "SLEEP").read_text()))
print(f"report for {folder.name} as of {as_of} in {language}")"""


# --- helpers shared with tests/runs/test_reliability.py ------------------------------------------


def phase_notebook(*, parameters: str = PARAMETERS_SOURCE) -> nbformat.NotebookNode:
    """A phase notebook that runs in about a second and obeys the engagement's marker files."""
    return python3_notebook(
        [
            nbformat.v4.new_markdown_cell("# Fixture phase"),
            nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}),
            nbformat.v4.new_markdown_cell("## Findings"),
            nbformat.v4.new_code_cell(MARKER_CELL),
        ]
    )


def make_notebooks_dir(base: Path, *, phases: tuple[str, ...] = ("kickoff",), **kwargs) -> Path:
    """A notebooks folder holding the fixture notebook under each phase's file name."""
    from workbook.runs.runner import PHASE_NOTEBOOKS

    folder = base / "notebooks"
    folder.mkdir(parents=True, exist_ok=True)
    for phase in phases:
        nbformat.write(phase_notebook(**kwargs), folder / PHASE_NOTEBOOKS[phase])
    return folder


def make_engagement(
    base: Path,
    folder: str,
    *,
    client: str,
    language: str = "en",
    markers: dict[str, str] | None = None,
    files: dict[str, str | None] | None = None,
) -> Path:
    """The tiny engagement in ``base/folder`` under another client name, with marker files."""
    yaml = TINY_YAML.replace("client: Tiny Test Co", f"client: {json.dumps(client)}")
    yaml = yaml.replace("language: en", f"language: {language}")
    directory = write_engagement(base / folder, {"engagement.yaml": yaml, **(files or {})})
    for name, content in (markers or {}).items():
        (directory / name).write_text(content, encoding="utf-8")
    return directory


def kickoff_batch(folders: list[Path], *, out_dir: Path, notebooks_dir: Path) -> BatchResult:
    """The kickoff phase of every folder, on two local worker processes, without progress."""
    return run_batch(
        folders,
        out_dir=out_dir,
        notebooks_dir=notebooks_dir,
        workers=2,
        phases=["kickoff"],
        progress=False,
    )


def temporary_entries(out: Path) -> list[str]:
    """Hidden entries (temporary folders and files) anywhere under ``out``.

    The client folders' ``.workbook-client`` (whose reports they hold) is not temporary.
    """
    return sorted(str(p.relative_to(out)) for p in out.rglob(".*") if p.name != CLIENT_MARKER)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- the summary and the reasons -------------------------------------------------------------


def test_summary_lists_every_engagement_with_status_duration_and_reason():
    rows = (
        BatchRow(Path("clients/acme"), "acme", "succeeded", 12.34),
        BatchRow(
            Path("clients/beta"),
            "beta",
            "failed",
            3.0,
            reason="kickoff: 00_kickoff.ipynb, cell 3 (In [4]): ValueError: boom",
            failure_dir=Path("out/beta/failed"),
        ),
    )
    text = BatchResult(rows, Path("out"), 15.04, executor="2 local worker processes").to_text()
    assert text.splitlines() == [
        "engagement    client  status     duration  reason",
        "clients/acme  acme    succeeded    12.3 s",
        "clients/beta  beta    failed        3.0 s  kickoff: 00_kickoff.ipynb, cell 3 (In [4]): "
        "ValueError: boom",
        "",
        "1 succeeded, 1 failed in 15.0 s. Reports in out/<client>/.",
        "Failure records (error.txt, and the notebook up to the failing cell):",
        "  out/beta/failed",
    ]


def test_exit_code_is_one_when_any_engagement_failed_else_zero():
    ok = BatchRow(Path("a"), "a", "succeeded", 1.0)
    bad = BatchRow(Path("b"), "b", "failed", 1.0, reason="x")
    assert BatchResult((ok, ok), Path("o"), 1.0).exit_code == 0
    assert BatchResult((ok, bad), Path("o"), 1.0).exit_code == 1
    payload = json.loads(json.dumps(BatchResult((ok, bad), Path("o"), 1.0).to_dict()))
    assert (payload["succeeded"], payload["failed"]) == (1, 1)
    assert payload["engagements"][1] == {
        "engagement_dir": "b",
        "client_slug": "b",
        "status": "failed",
        "duration_seconds": 1.0,
        "reason": "x",
        "report_paths": [],
        "failure_dir": None,
        "notes": [],
    }


def test_failure_reason_is_one_line_for_each_kind_of_error():
    problems = [
        Problem("leads.csv", "created_at", "not a date", (3, 7)),
        Problem("spend.csv", None, "not found"),
        Problem("content.csv", None, "not found"),
    ]
    assert failure_reason(EngagementError(problems)) == (
        "leads.csv, column created_at, rows 3, 7: not a date (and 2 more problems)"
    )
    assert failure_reason(boom_error("00_kickoff.ipynb", phase="kickoff")) == (
        "kickoff: 00_kickoff.ipynb, cell 3 (In [4]): ValueError: boom"
    )
    assert failure_reason(OSError("disk full\nerrno 28")) == "OSError: disk full"
    assert failure_reason(KeyError()) == "KeyError"


# --- orchestration, with a stub job on threads -----------------------------------------------


@pytest.fixture
def stub_job(monkeypatch):
    """Replace the worker's job: fails for folders named 'bad*', raises for 'crash*'."""
    calls = []

    def job(job: batch.BatchJob) -> BatchRow:
        calls.append(job)
        name = job.engagement_dir.name
        if name.startswith("crash"):
            raise RuntimeError(f"unexpected crash in {name}")
        status = "failed" if name.startswith("bad") else "succeeded"
        reason = "leads.csv: not found" if status == "failed" else ""
        return BatchRow(job.engagement_dir, job.client_slug, status, 0.5, reason=reason)

    monkeypatch.setattr(batch, "run_engagement_job", job)
    return calls


def test_rows_come_back_in_the_order_given_whatever_the_finishing_order(tmp_path, stub_job, capsys):
    notebooks = make_notebooks_dir(tmp_path)
    folders = [
        make_engagement(tmp_path, name, client=client)
        for name, client in [("good1", "Alpha"), ("bad1", "Bravo"), ("crash1", "Charlie")]
    ]
    with cf.ThreadPoolExecutor(3) as pool:
        result = run_batch(
            folders,
            out_dir=tmp_path / "out",
            notebooks_dir=notebooks,
            executor=pool,
            phases=["kickoff"],
            progress=True,
        )
    assert [(r.engagement_dir, r.client_slug, r.status) for r in result.rows] == [
        (folders[0], "alpha", "succeeded"),
        (folders[1], "bravo", "failed"),
        (folders[2], "charlie", "failed"),
    ]
    assert result.rows[2].reason == "RuntimeError: unexpected crash in crash1"
    assert result.exit_code == 1 and result.executor == "ThreadPoolExecutor"
    # Each job got absolute paths and the batch-wide options.
    assert {job.phases for job in stub_job} == {("kickoff",)}
    assert all(job.engagement_dir.is_absolute() and job.out_dir.is_absolute() for job in stub_job)
    # One overall bar on stderr, nothing on stdout.
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "engagements" in captured.err and "3/3" in captured.err


def test_second_engagement_with_the_same_client_slug_fails_and_runs_nothing(tmp_path, stub_job):
    notebooks = make_notebooks_dir(tmp_path)
    first = make_engagement(tmp_path, "acme", client="Acme Industrial")
    second = make_engagement(tmp_path, "acme-copy", client="ACME  industrial!")
    other = make_engagement(tmp_path, "beta", client="Beta")
    with cf.ThreadPoolExecutor(2) as pool:
        result = run_batch(
            [first, second, other],
            out_dir=tmp_path / "out",
            notebooks_dir=notebooks,
            executor=pool,
            progress=False,
        )
    assert [r.status for r in result.rows] == ["succeeded", "failed", "succeeded"]
    assert result.rows[1].client_slug == "acme-industrial"
    assert result.rows[1].reason == (
        f"client slug 'acme-industrial' is already used by {first} in this batch; give each "
        "engagement a distinct client name (nothing was written for this one)"
    )
    assert [job.engagement_dir.name for job in stub_job] == ["acme", "beta"]


def test_slug_comes_from_the_folder_name_when_engagement_yaml_is_unreadable(tmp_path, stub_job):
    notebooks = make_notebooks_dir(tmp_path)
    broken = make_engagement(
        tmp_path, "Gamma Ltd", client="x", files={"engagement.yaml": "client: [unclosed\n"}
    )
    missing = tmp_path / "No Such Folder"
    with cf.ThreadPoolExecutor(2) as pool:
        result = run_batch(
            [broken, missing],
            out_dir=tmp_path / "out",
            notebooks_dir=notebooks,
            executor=pool,
            progress=False,
        )
    assert [r.client_slug for r in result.rows] == ["gamma-ltd", "no-such-folder"]


@pytest.mark.parametrize(
    ("options", "error_type", "message"),
    [
        ({"engagement_dirs": []}, ValueError, "no engagement"),
        ({"phases": ["kickof"]}, ValueError, "unknown phase"),
        ({"workers": 0}, ValueError, "workers"),
        ({"language": "de"}, ValueError, "language"),
        ({"phases": ["final"]}, FileNotFoundError, "02_final_strategy.ipynb"),
        ({"pdf": True}, reports.PdfUnavailableError, "chromium"),
        ({"notebook_parameters": 'engagement_dir: str = ""  # x'}, UnknownParameterError, "seed"),
    ],
)
def test_bad_options_fail_before_anything_runs_or_is_written(
    tmp_path, monkeypatch, stub_job, options, error_type, message
):
    monkeypatch.setattr(reports.shutil, "which", lambda name: None)
    parameters = options.pop("notebook_parameters", PARAMETERS_SOURCE)
    notebooks = make_notebooks_dir(tmp_path, parameters=parameters)
    arguments = {
        "engagement_dirs": [make_engagement(tmp_path, "acme", client="Acme")],
        "out_dir": tmp_path / "out",
        "notebooks_dir": notebooks,
        "phases": ["kickoff"],
        "progress": False,
        **options,
    }
    with pytest.raises(error_type, match=message):
        run_batch(**arguments)
    assert stub_job == []
    assert not (tmp_path / "out").exists()


def test_unreachable_scheduler_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "SCHEDULER_TIMEOUT_SECONDS", 1)
    notebooks = make_notebooks_dir(tmp_path)
    with pytest.raises(batch.SchedulerError, match="cannot reach the Dask scheduler"):
        run_batch(
            [make_engagement(tmp_path, "acme", client="Acme")],
            out_dir=tmp_path / "out",
            notebooks_dir=notebooks,
            scheduler=f"tcp://127.0.0.1:{free_port()}",
            progress=False,
        )
    assert not (tmp_path / "out").exists()


# --- real runs --------------------------------------------------------------------------------


@pytest.mark.notebook
@pytest.mark.skipif(
    not any(shutil.which(name) for name in reports.CHROMIUM_NAMES),
    reason="no system Chromium (apt-get install chromium)",
)
def test_pdf_is_published_with_the_html_and_the_excel_workbook(tmp_path):
    notebooks = make_notebooks_dir(tmp_path)
    folder = make_engagement(tmp_path, "acme", client="Acme Industrial")
    with cf.ThreadPoolExecutor(1) as pool:  # any Executor will do; threads start fastest
        result = run_batch(
            [folder],
            out_dir=tmp_path / "out",
            notebooks_dir=notebooks,
            executor=pool,
            phases=["kickoff"],
            pdf=True,
            progress=False,
        )
    assert result.exit_code == 0, result.to_text()
    report_dir = tmp_path / "out" / "acme-industrial"
    assert sorted(p.name for p in report_dir.iterdir()) == [
        CLIENT_MARKER,
        "00_kickoff.html",
        "00_kickoff.pdf",
        "acme-industrial-key-tables.xlsx",
    ]
    assert (report_dir / "00_kickoff.pdf").read_bytes()[:5] == b"%PDF-"
    reports_written = sorted(p for p in report_dir.iterdir() if p.name != CLIENT_MARKER)
    modes = {p.name: p.stat().st_mode & 0o777 for p in reports_written}
    assert len(set(modes.values())) == 1, modes  # the PDF is as readable as the HTML
    assert result.rows[0].report_paths == tuple(reports_written)
    assert temporary_entries(tmp_path / "out") == []


@pytest.fixture
def dask_cluster(tmp_path):
    """A scheduler and two single-threaded workers started as the README says."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path / "dask-logs"
    logs.mkdir()
    commands = [
        [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        [
            *(str(DASK), "worker", address, "--nworkers", "2", "--nthreads", "1"),
            *("--preload", "workbook.runs.batch", "--no-dashboard"),
        ],
    ]
    processes = []
    try:
        for index, command in enumerate(commands):
            log = (logs / f"{index}.log").open("wb")
            processes.append(
                subprocess.Popen(
                    command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
                )
            )
            if index == 0:
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    try:
                        socket.create_connection(("127.0.0.1", port), timeout=1).close()
                        break
                    except OSError:
                        time.sleep(0.2)
        yield address
    finally:
        for process in reversed(processes):
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.mark.notebook
@pytest.mark.skipif(not DASK.exists(), reason="the dask command is not installed")
def test_batch_on_a_dask_cluster_publishes_the_good_engagement_and_records_the_broken_one(
    tmp_path, dask_cluster
):
    notebooks = make_notebooks_dir(tmp_path)
    french = make_engagement(tmp_path, "bravo", client="Bravo SA", language="fr")
    broken = make_engagement(tmp_path, "charlie", client="Charlie", markers={"RAISE": ""})
    result = run_batch(
        [french, broken],
        out_dir=tmp_path / "out",
        notebooks_dir=notebooks,
        scheduler=dask_cluster,
        phases=["kickoff"],
        progress=False,
    )
    assert [r.status for r in result.rows] == ["succeeded", "failed"], result.to_text()
    assert result.executor == f"Dask cluster at {dask_cluster}"
    # Cells: 0 markdown, 1 parameters (In [1]), injected parameters (In [2]), 2 markdown, 3.
    assert result.rows[1].reason == (
        "kickoff: 00_kickoff.ipynb, cell 3 (In [3]): ValueError: planted failure in charlie"
    )
    out = tmp_path / "out"
    html = (out / "bravo-sa" / "00_kickoff.html").read_text(encoding="utf-8")
    assert 'lang="fr"' in html and "report for bravo as of 2026-06-30 in fr" in html
    book = openpyxl.load_workbook(out / "bravo-sa" / "bravo-sa-key-tables.xlsx")
    assert book.sheetnames[0] == "Sommaire"
    assert sorted(p.name for p in (out / "charlie" / "failed").iterdir()) == [
        "00_kickoff.ipynb",
        "error.txt",
    ]
    assert not (out / "charlie" / "00_kickoff.html").exists()
    assert temporary_entries(out) == []
