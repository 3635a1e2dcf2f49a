"""How fast the plan recomputes: the playground's budget is 50 ms for a 24-month, 6-stage plan.

Run on demand (never part of `make test`):

    .venv/bin/python bench/bench_plan.py                 # the bundled sample
    .venv/bin/python bench/bench_plan.py --leads 1000000 # a synthetic engagement (generated once)

Times, on one engagement: (a) estimating the plan's inputs from the data once
(`workbook.analysis.plan.estimate_plan_inputs`: rates, lag distributions, deal size, open pipeline),
(b) recomputing a 24-month plan with a 6-month ramp from those inputs
(`workbook.analysis.plan.compute_plan`, what each slider move of the playground calls), with and
without the frames the playground's table shows, (c) the same with 2,000 simulated draws,
(d) the chart the playground redraws. Prints best and median of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace
from pathlib import Path

from workbook.analysis.journeys import build_journeys
from workbook.analysis.plan import compute_plan, estimate_plan_inputs
from workbook.intake.engagement import load_engagement

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "data_samples" / "acme_industrial"
BUDGET_MS = 50.0


def engagement_dir(n_leads: int | None, seed: int) -> Path:
    if not n_leads:
        return SAMPLE
    from workbook.synthetic import generate_engagement, write_engagement

    directory = HERE / "_data" / f"leads_{n_leads}"
    if not (directory / "data" / "leads.csv").exists():
        started = time.perf_counter()
        write_engagement(generate_engagement(n_leads=n_leads, seed=seed), directory)
        print(f"generated {n_leads:,} leads in {time.perf_counter() - started:.1f} s")
    return directory


def timed(repeat: int, func) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return min(times) * 1e3, statistics.median(times) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=0, help="synthetic engagement size")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()

    directory = engagement_dir(args.leads, args.seed)
    engagement = load_engagement(directory)
    journeys = build_journeys(engagement)
    print(
        f"engagement: {directory.name}, {len(journeys.leads):,} leads, {len(journeys.stages)} stages"
    )

    best, median = timed(3, lambda: estimate_plan_inputs(engagement, journeys))
    print(f"estimate inputs once             best {best:8.1f} ms  median {median:8.1f} ms")
    inputs = estimate_plan_inputs(engagement, journeys)
    settings = replace(inputs.base, period_months=24, ramp_months=6)
    plan = compute_plan(inputs, settings)
    print(f"plan: {len(plan.months)} months on the grid, {plan.period_months} planned")

    rows = {
        "recompute the plan": lambda: compute_plan(inputs, settings),
        "recompute + table frames": lambda: (
            compute_plan(inputs, settings).stage_frame(),
            compute_plan(inputs, settings).schedule_frame(),
        ),
        "recompute with 2,000 draws": lambda: compute_plan(inputs, settings, simulate=2000),
    }
    for label, func in rows.items():
        best, median = timed(args.repeat, func)
        verdict = "ok" if median < BUDGET_MS else "OVER BUDGET"
        print(
            f"{label:32s} best {best:8.2f} ms  median {median:8.2f} ms  ({verdict}, budget {BUDGET_MS:.0f} ms)"
        )

    from workbook.deliverables.plots.plan import plan_volume_chart

    schedule = plan.schedule_frame()
    best, median = timed(5, lambda: plan_volume_chart(schedule, stages=plan.stages))
    print(f"{'redraw the chart (for reference)':32s} best {best:8.1f} ms  median {median:8.1f} ms")


if __name__ == "__main__":
    main()
