"""How long `workbook validate` takes against pandas merely reading the same files.

Run on demand (never part of `make test`):

    .venv/bin/python bench/bench_validate.py --leads 1000000

Generates a synthetic engagement (seeded) under bench/_data/ once, runs each step once
untimed (the first run of a process pays for fresh memory pages: both sides alike), then
times ``--repeat`` rounds, each running in turn: (a) ``pd.read_csv`` of every data file with
pandas' defaults, (b) the full validation (`workbook.intake.engagement.audit_engagement`, what
`workbook validate` runs), and (c) validation plus building the journeys table. Taking the
steps in turn within a round exposes them alike to the machine's drift (a shared 2-core
machine varies by about 20 % from minute to minute); each round starts one step later, so
that no step always follows the same one. Prints the best and the median of each
step, and the ratio (b)/(a) of the bests and the median of the rounds' ratios. With
``--fresh``, also times new processes as a user runs them: Python reading the files with
pandas, against the ``workbook validate`` command.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import pandas as pd

from workbook.analysis.journeys import build_journeys
from workbook.intake.engagement import audit_engagement, load_engagement
from workbook.synthetic import generate_engagement, write_engagement

HERE = Path(__file__).resolve().parent


def ensure_data(n_leads: int, seed: int) -> Path:
    """The cached engagement of ``n_leads`` leads (bench_kpis.py uses the same ones)."""
    directory = HERE / "_data" / f"leads_{n_leads}"
    if not (directory / "data" / "leads.csv").exists():
        started = time.perf_counter()
        frames = generate_engagement(n_leads=n_leads, seed=seed)
        write_engagement(frames, directory)
        print(
            f"generated {n_leads:,} leads in {time.perf_counter() - started:.1f} s -> {directory}"
        )
    return directory


def rounds(repeat: int, steps: dict) -> dict[str, list[float]]:
    """Seconds of each step in each of ``repeat`` rounds, the steps run in turn.

    Each round starts one step later than the one before, so that no step always follows the
    same one: a step that frees a lot of memory slows the step after it.
    """
    times: dict[str, list[float]] = {name: [] for name in steps}
    names = list(steps)
    for round_ in range(repeat):
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            func = steps[name]
            started = time.perf_counter()
            func()
            times[name].append(time.perf_counter() - started)
    return times


READ_ONLY = """
import sys, warnings
from pathlib import Path
import pandas as pd
warnings.simplefilter("ignore")
[pd.read_csv(f) for f in sorted(Path(sys.argv[1], "data").glob("*.csv"))]
"""


def fresh_processes(directory: Path, repeat: int, command: tuple[str, ...] = ("validate",)) -> None:
    """What a user waits for: a new process reading with pandas, or running the command.

    Both include starting Python and importing pandas; the command also imports pyarrow and
    workbook. Every page of memory is fresh, which costs more here than in a warm process.
    ``command`` is the workbook subcommand and its options (bench_kpis.py times ``kpis``).
    The ratio is against plain Python's read.
    """
    workbook = str(Path(sys.executable).with_name("workbook"))
    commands = {
        "python: import pandas, read_csv of every file": [
            sys.executable,
            "-c",
            READ_ONLY,
            str(directory),
        ],
        f"workbook {command[0]} DIR {' '.join(command[1:])}": [workbook, command[0]]
        + [str(directory), *command[1:]],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for round_ in range(repeat):
        # each round starts with the next command: a process runs faster or slower according
        # to the one before it (what memory it left the system, in what pages): 1.3x or 1.6x
        # the read for the same `workbook kpis`, after another `workbook kpis` or after pandas
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            argv = commands[name]
            started = time.perf_counter()
            subprocess.run(argv, check=True, capture_output=True)
            times[name].append(time.perf_counter() - started)
    print(f"\nfresh processes, median of {repeat}:")
    medians = {name: statistics.median(t) for name, t in times.items()}
    for name, seconds in medians.items():
        print(f"  {name:48s} {seconds:6.2f} s")
    read, ran = medians.values()
    print(f"  ratio {ran / read:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument(
        "--fresh", action="store_true", help="also time new processes, as a user runs them"
    )
    args = parser.parse_args()
    warnings.simplefilter("ignore", pd.errors.DtypeWarning)  # pandas guessing mixed columns
    directory = ensure_data(args.leads, args.seed)
    files = sorted((directory / "data").glob("*.csv"))
    sizes = {f.name: f.stat().st_size / 1e6 for f in files}
    rows = {f.name: sum(1 for _ in f.open("rb")) - 1 for f in files}
    for f in files:
        print(f"  {f.name:20s} {rows[f.name]:>10,} rows {sizes[f.name]:8.1f} MB")

    [pd.read_csv(f) for f in files]  # warm-up, untimed
    audit_engagement(directory)
    names = {
        "read": "pandas read_csv of every file",
        "validate": "workbook validate (audit_engagement)",
        "journeys": "validate + build_journeys",
    }
    times = rounds(
        args.repeat,
        {
            "read": lambda: [pd.read_csv(f) for f in files],
            "validate": lambda: audit_engagement(directory),
            "journeys": lambda: build_journeys(load_engagement(directory)),
        },
    )
    best = {name: min(t) for name, t in times.items()}
    median = {name: statistics.median(t) for name, t in times.items()}
    ratios = [v / r for v, r in zip(times["validate"], times["read"], strict=True)]

    tracemalloc.start()
    audit_engagement(directory)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(f"\n{'step':40s} {'best s':>7s} {'median':>7s} {'x read':>7s}")
    for name, label in names.items():
        print(f"{label:40s} {best[name]:7.2f} {median[name]:7.2f} {best[name] / best['read']:7.2f}")
    print(f"\nvalidate / read, median of the {args.repeat} rounds: {statistics.median(ratios):.2f}")
    print(f"peak traced memory of validate: {peak / 1e9:.2f} GB")
    if args.fresh:
        fresh_processes(directory, max(3, args.repeat // 3))


if __name__ == "__main__":
    main()
