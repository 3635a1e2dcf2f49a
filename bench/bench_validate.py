"""How long `workbook validate` takes against pandas merely reading the same files.

Run on demand (never part of `make test`):

    .venv/bin/python bench/bench_validate.py --leads 1000000

Generates a synthetic engagement (seeded) under bench/_data/ once, runs each step once
untimed (the first run of a process pays for fresh memory pages: both sides alike), then
times, best of ``--repeat`` runs each: (a) ``pd.read_csv`` of every data file with pandas' defaults, (b) the
full validation (`workbook.engagement.audit_engagement`, what `workbook validate` runs), and
(c) validation plus building the journeys table. Prints a table and the ratio (b)/(a).
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
import warnings
from pathlib import Path

import pandas as pd

from workbook.engagement import audit_engagement, load_engagement
from workbook.journeys import build_journeys
from workbook.synthetic import generate_engagement, write_engagement

HERE = Path(__file__).resolve().parent


def ensure_data(n_leads: int, seed: int) -> Path:
    directory = HERE / "_data" / f"leads_{n_leads}"
    if not (directory / "data" / "leads.csv").exists():
        started = time.perf_counter()
        frames = generate_engagement(n_leads=n_leads, seed=seed)
        write_engagement(frames, directory)
        print(
            f"generated {n_leads:,} leads in {time.perf_counter() - started:.1f} s -> {directory}"
        )
    return directory


def best_of(repeat: int, func) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
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
    read = best_of(args.repeat, lambda: [pd.read_csv(f) for f in files])
    validate = best_of(args.repeat, lambda: audit_engagement(directory))
    journeys = best_of(args.repeat, lambda: build_journeys(load_engagement(directory)))

    tracemalloc.start()
    audit_engagement(directory)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(f"\n{'step':40s} {'seconds':>8s} {'x read':>7s}")
    for name, seconds in [
        ("pandas read_csv of every file", read),
        ("workbook validate (audit_engagement)", validate),
        ("validate + build_journeys", journeys),
    ]:
        print(f"{name:40s} {seconds:8.2f} {seconds / read:7.2f}")
    print(f"\npeak traced memory of validate: {peak / 1e9:.2f} GB")


if __name__ == "__main__":
    main()
