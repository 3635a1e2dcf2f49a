"""How long `workbook kpis` takes end to end, against pandas merely reading the same CSVs.

Run on demand (never part of `make test`):

    .venv/bin/python bench/bench_kpis.py                  # 100k and 1M leads
    .venv/bin/python bench/bench_kpis.py --leads 200000

Generates each synthetic engagement (seeded; leads, opportunities, spend, content, touches)
under bench/_data/ once, runs the read and the whole computation once untimed (a process's
first run pays for fresh memory pages, both sides alike), then times ``--repeat`` rounds,
the read and the computation taking turns to go first: (a) ``pd.read_csv`` of every data
file with pandas' defaults (the same baseline as bench_validate.py); (b) ``load_engagement``
(read + validate, without the warning-only checks no figure reads, as the command loads);
(c) ``compute_kpis(engagement)``, the journeys and every KPI including
multi-touch attribution, called as the CLI calls it (it groups the touches while it builds
the journeys); and (b + c), what `workbook kpis` does. Prints the best of each step and the
median over the rounds of (b + c) / (a). With ``--fresh``, also times new processes as a
user runs them: Python importing pandas and reading the files, against the
``workbook kpis DIR --json`` command (which imports more). Peak memory is the maximum
resident set size of a fresh child process running (b + c) once (its ``VmHWM``). Ends with
the 1M / 100k scaling of each step's median (10.0 = linear in leads).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pandas as pd
from bench_validate import ensure_data, fresh_processes  # the same engagements and baseline

from workbook.analysis.kpis import compute_kpis
from workbook.intake.engagement import load_engagement


def _read(files: list[Path], times: dict[str, float]) -> None:
    started = time.perf_counter()
    [pd.read_csv(f) for f in files]
    times["read_csv"] = time.perf_counter() - started


def _compute(directory: Path, times: dict[str, float]) -> None:
    started = time.perf_counter()
    engagement = load_engagement(directory, full_audit=False)  # as the command loads it
    times["load_engagement"] = time.perf_counter() - started
    started = time.perf_counter()
    compute_kpis(engagement)  # as `workbook kpis` calls it: the journeys are built inside
    times["compute_kpis"] = time.perf_counter() - started


def rounds(repeat: int, directory: Path, files: list[Path]) -> list[dict[str, float]]:
    """Seconds of each step in each of ``repeat`` rounds.

    The read and the computation take turns to go first, so that neither always follows the
    other: a step that frees a lot of memory slows the step after it.
    """
    out = []
    for round_ in range(repeat):
        times: dict[str, float] = {}
        if round_ % 2 == 0:
            _read(files, times)
            _compute(directory, times)
        else:
            _compute(directory, times)
            _read(files, times)
        times["total"] = times["load_engagement"] + times["compute_kpis"]
        out.append(times)
    return out


def end_to_end(directory: Path) -> dict:
    """What `workbook kpis DIR --json` computes."""
    engagement = load_engagement(directory, full_audit=False)
    return compute_kpis(engagement).to_dict()


def peak_rss_gb() -> float:
    """This process's peak resident set size in GB.

    ``VmHWM`` of /proc/self/status where available: unlike ``ru_maxrss``, it is not inherited
    from the (large) parent process the child was forked from.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e9
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9  # KiB on Linux


def child_peak_rss_gb(directory: Path) -> float:
    """Peak resident memory (GB) of a fresh process running the whole computation once."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(directory)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def measure(directory: Path, repeat: int) -> dict[str, float]:
    files = sorted((directory / "data").glob("*.csv"))
    [pd.read_csv(f) for f in files]  # warm-up, untimed: the first run of a
    end_to_end(directory)  # process pays for fresh memory pages, both sides alike
    times = rounds(repeat, directory, files)
    engagement = load_engagement(directory)
    result: dict[str, float] = {
        "leads": len(engagement.leads),
        "touches": 0 if engagement.touches is None else len(engagement.touches),
    }
    for step in STEPS:
        result[step] = min(t[step] for t in times)
        result[f"{step}_median"] = statistics.median(t[step] for t in times)
    result["median_ratio"] = statistics.median(t["total"] / t["read_csv"] for t in times)
    result["peak_rss_gb"] = child_peak_rss_gb(directory)
    return result


STEPS = ("read_csv", "load_engagement", "compute_kpis", "total")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=6)
    parser.add_argument(
        "--fresh", action="store_true", help="also time new processes, as a user runs them"
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    warnings.simplefilter("ignore", pd.errors.DtypeWarning)  # pandas guessing mixed columns
    if args.child:
        json.dumps(end_to_end(args.child), allow_nan=False)
        print(peak_rss_gb())
        return

    results = {n: measure(ensure_data(n, args.seed), args.repeat) for n in args.leads}
    header = f"{'leads':>10s} {'touches':>10s} " + " ".join(f"{s:>15s}" for s in STEPS)
    print("best of the rounds, seconds:")
    print(header + f" {'total/read':>10s} {'median':>7s} {'peak GB':>8s}")
    for r in results.values():
        cells = " ".join(f"{r[s]:15.2f}" for s in STEPS)
        print(
            f"{r['leads']:>10,} {r['touches']:>10,} {cells} "
            f"{r['total'] / r['read_csv']:10.2f} {r['median_ratio']:7.2f} {r['peak_rss_gb']:8.2f}"
        )
    print("(median: the median over the rounds of total / read_csv)")
    sizes = sorted(results)
    if len(sizes) >= 2:
        small, large = results[sizes[0]], results[sizes[-1]]
        factor = sizes[-1] / sizes[0]
        print(f"\nscaling {sizes[-1]:,} / {sizes[0]:,} leads (linear = {factor:.1f}), medians:")
        for s in STEPS:
            print(f"  {s:16s} x{large[s + '_median'] / small[s + '_median']:.1f}")
    if args.fresh:
        for n in args.leads:
            print(f"\n{n:,} leads:", end="")
            fresh_processes(ensure_data(n, args.seed), max(3, args.repeat), ("kpis", "--json"))


if __name__ == "__main__":
    main()
