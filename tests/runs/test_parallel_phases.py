"""Phases of one run at the same time (issue 20): they overlap, and a failure stops the others.

Each fixture notebook appends ``start`` and ``end`` lines with its phase and the time to a log
file; the tests read the order of those lines, never how long anything took.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from pathlib import Path

import nbformat
import pytest

from tests.conftest import python3_notebook
from workbook.runs import runner
from workbook.runs.kernel import IpcKernelManager, stop_running_kernels
from workbook.runs.runner import NotebookRunError, run_engagement, usable_cores


def logging_notebook(phase: str, *, seconds: float, fail: bool = False) -> nbformat.NotebookNode:
    """A phase notebook that logs its start, sleeps, then logs its end (or raises)."""
    parameters = nbformat.v4.new_code_cell('log = ""', metadata={"tags": ["parameters"]})
    body = (
        "import time\n"
        f"with open(log, 'a') as f: f.write(f'start {phase} {{time.time()}}\\n')\n"
        f"time.sleep({seconds})\n"
        + ("raise ValueError('boom')\n" if fail else "")
        + f"with open(log, 'a') as f: f.write(f'end {phase} {{time.time()}}\\n')\n"
    )
    return python3_notebook([parameters, nbformat.v4.new_code_cell(body)])


def notebooks(tmp_path: Path, **phases: nbformat.NotebookNode) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for phase, nb in phases.items():
        nbformat.write(nb, folder / runner.PHASE_NOTEBOOKS[phase])
    return folder


def events(log: Path) -> list[tuple[str, str, float]]:
    lines = log.read_text(encoding="utf-8").split("\n")
    return [(kind, phase, float(t)) for kind, phase, t in (x.split() for x in lines if x)]


def run(tmp_path: Path, folder: Path, log: Path, **options):
    return run_engagement(
        tmp_path / "engagement",
        phases=["all"],
        out_dir=tmp_path / "out",
        client_slug="acme",
        parameters={"log": str(log)},
        notebooks_dir=folder,
        **options,
    )


@pytest.mark.notebook
def test_two_phases_run_at_the_same_time_and_both_are_published(tmp_path):
    log = tmp_path / "log.txt"
    folder = notebooks(
        tmp_path,
        kickoff=logging_notebook("kickoff", seconds=2),
        midpoint=logging_notebook("midpoint", seconds=2),
    )
    result = run(tmp_path, folder, log, phase_workers=2)
    assert result.phases_run == ("kickoff", "midpoint")  # engagement order, whatever ran first
    kinds = [kind for kind, _, _ in events(log)]
    assert kinds == ["start", "start", "end", "end"]  # each started before either ended
    assert sorted(p.name for p in (tmp_path / "out" / "acme").iterdir()) == [
        "00_kickoff.html",
        "01_midpoint_insights.html",
    ]


@pytest.mark.notebook
def test_one_worker_runs_the_phases_one_after_the_other_in_engagement_order(tmp_path):
    log = tmp_path / "log.txt"
    folder = notebooks(
        tmp_path,
        kickoff=logging_notebook("kickoff", seconds=0.5),
        midpoint=logging_notebook("midpoint", seconds=0.5),
    )
    run(tmp_path, folder, log, phase_workers=1)
    assert [(kind, phase) for kind, phase, _ in events(log)] == [
        ("start", "kickoff"),
        ("end", "kickoff"),
        ("start", "midpoint"),
        ("end", "midpoint"),
    ]


@pytest.mark.notebook
def test_a_failing_phase_stops_the_phase_running_beside_it(tmp_path):
    log = tmp_path / "log.txt"
    folder = notebooks(
        tmp_path,
        kickoff=logging_notebook("kickoff", seconds=120),  # would outlast the test
        midpoint=logging_notebook("midpoint", seconds=1, fail=True),
    )
    with pytest.raises(NotebookRunError) as caught:
        run(tmp_path, folder, log, phase_workers=2)
    assert caught.value.phase == "midpoint"
    assert [(kind, phase) for kind, phase, _ in events(log)] in (
        [("start", "kickoff"), ("start", "midpoint")],
        [("start", "midpoint"), ("start", "kickoff")],
    )  # the kickoff's kernel was stopped: it never ended
    failed = tmp_path / "out" / "acme" / "failed"
    assert sorted(p.name for p in failed.iterdir()) == ["01_midpoint_insights.ipynb", "error.txt"]
    assert "phase: midpoint" in (failed / "error.txt").read_text(encoding="utf-8")
    assert not list(IpcKernelManager.running)  # every kernel cleaned up


def test_only_the_kernels_of_the_given_threads_are_stopped_with_their_process_group(tmp_path):
    # two stand-in kernels, each a shell in its own session with a child: the one started from
    # this thread is killed with its child, the other run's is left alone
    class Provisioner:
        def __init__(self):
            self.process = subprocess.Popen(["sh", "-c", "sleep 60 & wait"], start_new_session=True)

    mine = IpcKernelManager(connection_dir=str(tmp_path))
    other = IpcKernelManager(connection_dir=str(tmp_path))
    mine.provisioner, other.provisioner = Provisioner(), Provisioner()
    mine.started_in, other.started_in = threading.get_ident(), -1
    IpcKernelManager.running.update([mine, other])
    try:
        assert stop_running_kernels({threading.get_ident()}) == 1
        assert mine.provisioner.process.wait(timeout=10) == -signal.SIGKILL
        assert other.provisioner.process.poll() is None
    finally:
        IpcKernelManager.running.discard(mine)
        IpcKernelManager.running.discard(other)
        os.killpg(other.provisioner.process.pid, signal.SIGKILL)
        other.provisioner.process.wait(timeout=10)


def test_usable_cores_is_at_least_one():
    assert usable_cores() >= 1


def test_a_batch_job_runs_its_phases_one_at_a_time(tmp_path, monkeypatch):
    # a batch's workers already fill the cores: each engagement's phases run one after another
    from tests.conftest import write_engagement
    from workbook.runs import jobs

    seen = {}

    def write_reports(prepared, **options):
        seen.update(options)
        raise RuntimeError("stop here")

    monkeypatch.setattr(jobs, "write_reports", write_reports)
    job = jobs.BatchJob(
        engagement_dir=write_engagement(tmp_path / "tiny"),
        client_slug="tiny-test-co",
        out_dir=tmp_path / "out",
        notebooks_dir=tmp_path,
        phases=("kickoff",),
    )
    row = jobs.run_engagement_job(job)
    assert row.status == "failed" and seen["phase_workers"] == 1
