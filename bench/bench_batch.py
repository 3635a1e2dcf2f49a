"""Throughput of `workbook batch` with 1 and 2 workers, and the per-notebook overhead.

Run on demand (never part of `make test`):

    .venv/bin/python bench/bench_batch.py                      # 10 engagements, kickoff
    .venv/bin/python bench/bench_batch.py --phases kickoff midpoint --engagements 6

Makes ``--engagements`` sample-size engagements in a temporary folder (the bundled sample's
engagement.yaml under other client names, its data folder linked, not copied), then times:

(a) a bare kernel: start a ``python3`` kernel with jupyter_client (IPC transport, as the
    runner), wait until it answers, shut it down (the floor of any notebook run);
(b) a trivial one-cell notebook through :func:`workbook.runs.runner.execute_notebook` (papermill,
    the IPC kernel manager): (b) - (a) is papermill's own overhead per notebook;
(c) one engagement through :func:`workbook.runs.pipeline.run_reports` in this (warm) process:
    notebook execution, HTML rendering and the Excel key tables, separately;
(d) :func:`workbook.runs.batch.run_batch` over all engagements with 1, then 2 local workers
    (worker start-up included): wall time, notebooks a minute, and the speed-up; with
    ``--rounds N`` each is run N times, alternating, and the fastest counts (the machine
    may be busy with other work).

Prints a table; ``--json FILE`` also writes the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "data_samples" / "acme_industrial"


def make_engagements(base: Path, count: int) -> list[Path]:
    """``count`` copies of the sample under other client names; data linked, not copied."""
    yaml = (SAMPLE / "engagement.yaml").read_text(encoding="utf-8")
    folders = []
    for index in range(1, count + 1):
        folder = base / f"client_{index:02d}"
        folder.mkdir(parents=True)
        (folder / "engagement.yaml").write_text(
            yaml.replace("client: Acme Industrial", f"client: Acme Industrial {index:02d}"),
            encoding="utf-8",
        )
        os.symlink(SAMPLE / "data", folder / "data", target_is_directory=True)
        folders.append(folder)
    return folders


def bare_kernel_seconds(base: Path, repeat: int) -> list[float]:
    """Start a python3 kernel (IPC transport, as the runner does), wait for it, shut it down."""
    from jupyter_client import KernelManager

    times = []
    for index in range(repeat):
        started = time.perf_counter()
        manager = KernelManager(kernel_name="python3", transport="ipc", ip=str(base / f"k{index}"))
        manager.start_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = manager.client()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        client.stop_channels()
        manager.shutdown_kernel(now=False)
        times.append(time.perf_counter() - started)
    return times


def trivial_notebook_seconds(base: Path, repeat: int) -> list[float]:
    from workbook.runs.runner import execute_notebook

    # papermill reads the language from the kernelspec (tests/conftest.py has the same
    # python3_notebook; a bench run as a script does not import the test suite)
    kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    parameter = nbformat.v4.new_code_cell(
        "x: int = 1  # a parameter", metadata={"tags": ["parameters"]}
    )
    nb = nbformat.v4.new_notebook(
        cells=[parameter, nbformat.v4.new_code_cell("print(x)")],
        metadata={"kernelspec": kernelspec},
    )
    path = base / "trivial.ipynb"
    nbformat.write(nb, path)
    times = []
    for index in range(repeat):
        started = time.perf_counter()
        execute_notebook(path, base / f"trivial-{index}.ipynb", parameters={"x": index}, cwd=base)
        times.append(time.perf_counter() - started)
    return times


def one_engagement(folder: Path, out: Path, phases: list[str]) -> dict[str, float]:
    """Seconds of each part of one run, in this (already warm) process."""
    from workbook.deliverables.excel import write_key_tables
    from workbook.intake.engagement import load_engagement
    from workbook.runs.pipeline import run_reports

    started = time.perf_counter()
    engagement = load_engagement(folder)
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    write_key_tables(engagement, out / "key-tables.xlsx", language="en")
    excel_seconds = time.perf_counter() - started
    result = run_reports(folder, phases=phases, out_dir=out, key_tables=False).run
    return {
        "load": load_seconds,
        "execute": sum(result.execute_seconds.values()),
        "export_html": sum(result.export_seconds.values()),
        "key_tables": excel_seconds,
        "notebooks": len(result.phases_run),
    }


def batch_seconds(folders: list[Path], out: Path, phases: list[str], workers: int) -> tuple:
    from workbook.runs.batch import run_batch

    started = time.perf_counter()
    result = run_batch(folders, out_dir=out, workers=workers, phases=phases, progress=False)
    wall = time.perf_counter() - started
    if result.exit_code:
        raise SystemExit(result.to_text())
    return wall, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engagements", type=int, default=10)
    parser.add_argument("--phases", nargs="+", default=["kickoff"])
    parser.add_argument("--repeat", type=int, default=5, help="runs of (a) and (b)")
    parser.add_argument(
        "--rounds", type=int, default=1, help="batches per worker count; the fastest counts"
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="wbk-bench-batch-"))
    try:
        folders = make_engagements(base / "engagements", args.engagements)
        bare = bare_kernel_seconds(base, args.repeat)
        trivial = trivial_notebook_seconds(base, args.repeat)
        one_engagement(folders[0], base / "warmup", args.phases)  # warm imports and caches
        single = one_engagement(folders[0], base / "single", args.phases)
        runs = {}
        for round_index in range(args.rounds):
            for workers in (1, 2):
                out = base / f"out-{workers}-{round_index}"
                wall, result = batch_seconds(folders, out, args.phases, workers=workers)
                if workers in runs and runs[workers]["wall_seconds"] <= wall:
                    continue
                notebooks = args.engagements * single["notebooks"]
                runs[workers] = {
                    "wall_seconds": wall,
                    "notebooks": notebooks,
                    "notebooks_per_minute": 60 * notebooks / wall,
                    "median_job_seconds": statistics.median(
                        r.duration_seconds for r in result.rows
                    ),
                }
    finally:
        shutil.rmtree(base, ignore_errors=True)

    bare_median, trivial_median = statistics.median(bare), statistics.median(trivial)
    per_notebook = single["execute"] / single["notebooks"]
    figures = {
        "engagements": args.engagements,
        "phases": args.phases,
        "bare_kernel_seconds": bare_median,
        "trivial_notebook_seconds": trivial_median,
        "papermill_overhead_seconds": trivial_median - bare_median,
        "one_engagement": single,
        "sample_notebook_execute_seconds": per_notebook,
        "batch": runs,
        "speed_up_2_workers": runs[1]["wall_seconds"] / runs[2]["wall_seconds"],
    }
    print(f"{args.engagements} sample-size engagements, phases: {' '.join(args.phases)}\n")
    lines = [
        ("(a) bare kernel start + stop", f"{bare_median:.2f} s"),
        ("(b) trivial notebook via execute_notebook", f"{trivial_median:.2f} s"),
        ("    papermill overhead (b) - (a)", f"{trivial_median - bare_median:.2f} s"),
        ("(c) sample engagement: load + validate", f"{single['load']:.2f} s"),
        ("    execute notebook(s)", f"{single['execute']:.2f} s"),
        ("    per notebook, beyond a bare kernel", f"{per_notebook - bare_median:.2f} s"),
        ("    HTML report(s)", f"{single['export_html']:.2f} s"),
        ("    Excel key tables", f"{single['key_tables']:.2f} s"),
    ]
    for workers, run in runs.items():
        lines.append(
            (
                f"(d) batch, {workers} worker{'s' if workers > 1 else ''}",
                f"{run['wall_seconds']:.1f} s, {run['notebooks_per_minute']:.1f} notebooks/min "
                f"(median job {run['median_job_seconds']:.1f} s)",
            )
        )
    lines.append(("    speed-up with 2 workers", f"{figures['speed_up_2_workers']:.2f}x"))
    width = max(len(label) for label, _ in lines)
    for label, value in lines:
        print(f"{label.ljust(width)}  {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
