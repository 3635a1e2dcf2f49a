"""How long `workbook run --phase all` takes, against the floor of the notebook machinery.

Run on demand (never part of `make test`):

    .venv/bin/python bench/bench_run.py                          # 20k and 1M leads
    .venv/bin/python bench/bench_run.py --sizes 20000 --json run.json

Generates each synthetic engagement (seeded; leads, touches, spend, content, opportunities and
engagement.yaml's revenue target, so the final phase builds its plan and strategy in full) under
bench/_data/ once, with bench_validate.py's ``ensure_data``. Then, in the same run:

(a) the floor: three ``papermill`` command-line runs, one after the other, of a two-cell
    notebook that imports pandas and matplotlib; the best of ``--repeat`` rounds;
(b) ``workbook run DIR --phase all --out TMP`` as a fresh process, with its decks and Excel,
    for each size (the best of ``--runs``). Peak memory: psutil polls the whole process tree
    (the command and its kernels) every 0.2 s; the peak is the largest sum of the resident
    sets seen at once (shared library pages counted in every process), and each process's own
    peak (``VmHWM``) is kept too. The executed notebooks, which the run deletes, are copied
    from its hidden folder once papermill has stopped writing them: papermill records each
    cell's seconds in ``metadata.papermill.duration``;
(c) the same run in this process (:func:`workbook.runs.pipeline.run_reports`), with timers
    wrapped around its publishing steps (snapshot, HTML export, figures.json merge, Excel,
    decks, publication): a step the code no longer has is left out.

Prints, per size: the floor, the run, run/floor, the peak, against the targets (20k at most
1.5x the floor, 1M at most 4x, peak under 3 GB); then the notebook cells by time, with the
first line of their source, and the publishing steps. ``--json FILE`` writes every figure.
The machine's load average is recorded before each measurement (the machine is shared).
With ``PYTHONPATH`` and ``WORKBOOK_NOTEBOOKS`` set, the kernels use them too: the bench
prints where a kernel imports workbook from.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import nbformat
import psutil
from bench_validate import ensure_data  # the same cached engagements as the other benches

#: Targets of issue 20: run / floor per size, and the peak memory of the run.
TARGET_RATIO = {20_000: 1.5, 1_000_000: 4.0}
TARGET_PEAK_GB = 3.0
#: Publishing steps timed in process: (label, module, attribute).
STEPS = (
    ("load + validate", "workbook.runs.pipeline", "prepare_reports"),
    ("snapshot", "workbook.intake.snapshot", "save_engagement_snapshot"),
    ("execute notebook", "workbook.runs.runner", "execute_notebook"),
    ("HTML export", "workbook.deliverables.reports", "notebook_to_html"),
    ("figures.json merge", "workbook.runs.runner", "merge_saved_registers"),
    ("Excel key tables", "workbook.deliverables.excel", "write_key_tables"),
    ("decks", "workbook.runs.pipeline", "write_phase_decks"),
    ("publish", "workbook.runs.runner", "publish_reports"),
)
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def load() -> str:
    """The 1, 5 and 15 minute load averages, as uptime prints them."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def write_notebook(path: Path, sources: list[str]) -> Path:
    cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC}), path)
    return path


def floor_seconds(base: Path, repeat: int) -> list[float]:
    """Seconds of three papermill command runs of the two-cell notebook, per round."""
    papermill = str(Path(sys.executable).with_name("papermill"))
    notebook = write_notebook(
        base / "floor.ipynb", ["import pandas as pd", "import matplotlib.pyplot as plt"]
    )
    rounds = []
    for _ in range(repeat):
        started = time.perf_counter()
        for index in range(3):
            out = str(base / f"floor-{index}.ipynb")
            subprocess.run(
                [papermill, str(notebook), out, "--cwd", str(base)],
                check=True,
                capture_output=True,
            )
        rounds.append(time.perf_counter() - started)
    return rounds


def kernel_workbook(base: Path) -> str:
    """Where a kernel started as the run starts them imports workbook from."""
    from workbook.runs.execute import execute_notebook

    notebook = write_notebook(base / "where.ipynb", ["import workbook\nprint(workbook.__file__)"])
    nb = execute_notebook(notebook, base / "where-out.ipynb", parameters={}, cwd=base)
    return nb.cells[0].outputs[0]["text"].strip()


def _vm_hwm(pid: int) -> int | None:
    """Peak resident set of a process so far, in bytes (``VmHWM``), or None when it ended."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _process_name(proc: psutil.Process) -> str:
    """``kernel <pid>`` for a notebook kernel, else the program's name and first argument."""
    argv = proc.cmdline()
    if any("ipykernel" in arg for arg in argv):
        return f"kernel {proc.pid}"
    return " ".join(Path(arg).name for arg in argv[1:3])


def run_command(argv: list[str], out_dir: Path, poll: float = 0.2) -> dict[str, Any]:
    """Run ``argv``, polling its process tree for memory and copying the executed notebooks.

    Returns the wall seconds, the peak of the summed resident sets, each process's own peak,
    and the executed notebooks (name -> NotebookNode) found in the run's hidden folder.
    """
    copies = out_dir.parent / f"{out_dir.name}-executed"
    copies.mkdir()
    seen: dict[Path, float] = {}  # notebook -> mtime at the previous poll
    copied: dict[Path, float] = {}  # notebook -> mtime of the copy
    peaks: dict[int, tuple[str, int]] = {}
    peak_sum = 0
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    root = psutil.Process(process.pid)
    while process.poll() is None:
        with contextlib.suppress(psutil.Error):
            tree = [root, *root.children(recursive=True)]
            total = 0
            for proc in tree:
                with contextlib.suppress(psutil.Error):
                    total += proc.memory_info().rss
                    hwm = _vm_hwm(proc.pid)
                    if hwm is not None:
                        peaks[proc.pid] = (_process_name(proc), hwm)
            peak_sum = max(peak_sum, total)
        for path in out_dir.glob(".*.run-*/executed/*.ipynb"):
            with contextlib.suppress(OSError):
                mtime = path.stat().st_mtime
                # copy once papermill stopped writing it (unchanged since the last poll)
                if seen.get(path) == mtime and copied.get(path) != mtime:
                    shutil.copyfile(path, copies / path.name)
                    copied[path] = mtime
                seen[path] = mtime
        time.sleep(poll)
    seconds = time.perf_counter() - started
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode:
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}):\n{stderr[-3000:]}")
    notebooks = {}
    for path in sorted(copies.glob("*.ipynb")):
        with contextlib.suppress(ValueError, OSError):
            notebooks[path.name] = nbformat.read(path, as_version=4)
    return {
        "seconds": seconds,
        "peak_gb": peak_sum / 1e9,
        "process_peaks_gb": sorted(
            ((name, hwm / 1e9) for name, hwm in peaks.values()), key=lambda p: -p[1]
        ),
        "notebooks": notebooks,
    }


def cell_times(notebooks: dict[str, nbformat.NotebookNode]) -> list[dict[str, Any]]:
    """Every code cell's seconds (papermill's metadata), with its first line of source."""
    cells = []
    for name, nb in notebooks.items():
        for index, cell in enumerate(nb.cells):
            duration = cell.get("metadata", {}).get("papermill", {}).get("duration")
            if cell.cell_type != "code" or duration is None:
                continue
            first = next((line for line in cell.source.splitlines() if line.strip()), "")
            cells.append(
                {"notebook": name, "cell": index, "seconds": duration, "source": first[:70]}
            )
    return cells


@contextlib.contextmanager
def timed_steps() -> Iterator[dict[str, list[float]]]:
    """Wrap each of :data:`STEPS` with a timer for the duration of the block."""
    times: dict[str, list[float]] = {}
    patched = []
    for label, module_name, attribute in STEPS:
        module = importlib.import_module(module_name)
        original = getattr(module, attribute, None)
        if original is None:
            continue

        def timer(*args: Any, _f: Callable = original, _label: str = label, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return _f(*args, **kwargs)
            finally:
                times.setdefault(_label, []).append(time.perf_counter() - started)

        functools.update_wrapper(timer, original)
        setattr(module, attribute, timer)
        patched.append((module, attribute, original))
    try:
        yield times
    finally:
        for module, attribute, original in patched:
            setattr(module, attribute, original)


def figure_check(path: Path) -> dict[str, int]:
    """How many figures the run registered, how many are null, and the final phase's own.

    The final phase ran in full when its plan (``plan.*``, from the revenue target) and its
    scoring (``final.scoring.*``) figures are there and not null.
    """
    if not path.is_file():
        return {}
    figures = json.loads(path.read_text(encoding="utf-8"))["figures"]
    known = [f for f in figures if f["value"] is not None]
    return {
        "figures": len(figures),
        "null": len(figures) - len(known),
        "plan": sum(f["key"].startswith("plan.") for f in known),
        "final.scoring": sum(f["key"].startswith("final.scoring.") for f in known),
    }


def run_in_process(directory: Path, out_dir: Path) -> dict[str, Any]:
    """The same run in this process, its publishing steps timed; the executed notebooks kept."""
    from workbook.runs import pipeline, runner

    executed: dict[str, nbformat.NotebookNode] = {}
    execute = runner.execute_notebook

    def keep(input_path: Path, output_path: Path, **kwargs: Any) -> nbformat.NotebookNode:
        nb = execute(input_path, output_path, **kwargs)
        executed[Path(output_path).name] = nb
        return nb

    runner.execute_notebook = keep
    try:
        with timed_steps() as steps:
            started = time.perf_counter()
            result = pipeline.run_reports(directory, phases=["all"], out_dir=out_dir)
            seconds = time.perf_counter() - started
    finally:
        runner.execute_notebook = execute
    return {
        "seconds": seconds,
        "figures": figure_check(result.run.report_dir / "figures.json"),
        "steps": {label: sum(times) for label, times in steps.items()},
        "step_calls": {label: len(times) for label, times in steps.items()},
        "execute_seconds": result.run.execute_seconds,
        "notebooks": executed,
    }


def measure(
    directory: Path, base: Path, runs: int, *, in_process: bool = True, keep: Path | None = None
) -> dict[str, Any]:
    workbook = str(Path(sys.executable).with_name("workbook"))
    best = None
    for index in range(runs):
        out = base / f"cli-{directory.name}-{index}"
        loadavg = load()
        run = run_command(
            [workbook, "run", str(directory), "--phase", "all", "--out", str(out)], out
        )
        run["load_before"] = loadavg
        if best is None or run["seconds"] < best["seconds"]:
            best = run
        if keep is not None:  # the register, to compare before and after a change
            keep.mkdir(parents=True, exist_ok=True)
            for figures in out.glob("*/figures.json"):
                shutil.copyfile(figures, keep / f"{directory.name}-figures.json")
    cli_cells = cell_times(best.pop("notebooks"))
    if not in_process:
        return {"cli": best, "cli_cells": cli_cells}
    loadavg = load()
    inproc = run_in_process(directory, base / f"inproc-{directory.name}")
    inproc["load_before"] = loadavg
    in_cells = cell_times(inproc.pop("notebooks"))
    return {"cli": best, "cli_cells": cli_cells, "in_process": inproc, "in_process_cells": in_cells}


def report(sizes: dict[int, dict[str, Any]], floor: float, top: int) -> None:
    print(f"\nfloor (3 papermill command runs of a 2-cell notebook, best): {floor:.2f} s\n")
    print(
        f"{'leads':>10s} {'floor s':>8s} {'run s':>7s} {'run/floor':>9s} {'target':>7s} "
        f"{'peak GB':>8s} {'<3 GB':>6s} {'in-proc s':>9s} {'load before':>16s}"
    )
    for n, r in sizes.items():
        cli = r["cli"]
        ratio = cli["seconds"] / floor
        target = TARGET_RATIO.get(n)
        print(
            f"{n:>10,} {floor:8.2f} {cli['seconds']:7.1f} {ratio:9.2f} "
            f"{'<=' + format(target, '.1f') if target else '-':>7s} {cli['peak_gb']:8.2f} "
            f"{'yes' if cli['peak_gb'] < TARGET_PEAK_GB else 'NO':>6s} "
            f"{r['in_process']['seconds'] if 'in_process' in r else float('nan'):9.1f} "
            f"{cli['load_before']:>16s}"
        )
    for n, r in sizes.items():
        cells = r["cli_cells"] or r.get("in_process_cells", [])
        source = "workbook run" if r["cli_cells"] else "in-process run"
        print(f"\n{n:,} leads: top {top} cells of {len(cells)} ({source}), seconds")
        for cell in sorted(cells, key=lambda c: -c["seconds"])[:top]:
            print(
                f"  {cell['seconds']:7.2f}  {cell['notebook'][:14]:14s} [{cell['cell']:2d}] "
                f"{cell['source']}"
            )
        print(f"  cells sum {sum(c['seconds'] for c in cells):.1f} s")
        print(
            "  process peaks (VmHWM): "
            + "; ".join(f"{gb:.2f} GB {name}" for name, gb in r["cli"]["process_peaks_gb"][:4])
        )
        if "in_process" not in r:
            continue
        inproc = r["in_process"]
        print(
            "  notebook execution in process "
            + ", ".join(f"{k} {v:.1f}" for k, v in inproc["execute_seconds"].items())
        )
        print(f"  figures.json: {inproc['figures']}")
        print(f"{n:,} leads: publishing steps in process (calls), seconds")
        for label, seconds in inproc["steps"].items():
            print(f"  {label:20s} {seconds:7.2f} ({inproc['step_calls'][label]})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of the floor; best counts")
    parser.add_argument("--runs", type=int, default=1, help="workbook runs per size; best counts")
    parser.add_argument("--top", type=int, default=15, help="cells listed per size")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument(
        "--keep", type=Path, default=None, help="copy each run's figures.json into this folder"
    )
    parser.add_argument(
        "--no-in-process",
        action="store_true",
        help="skip the in-process run that times the publishing steps",
    )
    args = parser.parse_args()

    import workbook
    from workbook.runs.pipeline import NOTEBOOKS_DIR

    directories = {n: ensure_data(n, args.seed) for n in args.sizes}
    base = Path(tempfile.mkdtemp(prefix="wbk-bench-run-"))
    try:
        print(f"workbook here: {workbook.__file__}; notebooks: {NOTEBOOKS_DIR}")
        print(f"workbook in a kernel: {kernel_workbook(base)}")
        load_start = load()
        floor_rounds = floor_seconds(base, args.repeat)
        sizes = {
            n: measure(
                directory, base, args.runs, in_process=not args.no_in_process, keep=args.keep
            )
            for n, directory in directories.items()
        }
        floor_rounds += floor_seconds(base, 1)  # once more after the runs: the same drift
        load_end = load()
    finally:
        shutil.rmtree(base, ignore_errors=True)
    floor = min(floor_rounds)
    print(f"load average at start {load_start}, at end {load_end} (2 cores)")
    report(sizes, floor, args.top)
    if args.json:
        figures = {
            "floor_seconds": floor,
            "floor_rounds": floor_rounds,
            "load_start": load_start,
            "load_end": load_end,
            "sizes": {str(n): r for n, r in sizes.items()},
        }
        args.json.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
