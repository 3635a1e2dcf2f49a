"""Regenerate the bundled sample engagement (Acme Industrial) from its seed.

    python data_samples/generate_sample.py                   # data_samples/acme_industrial
    python data_samples/generate_sample.py --style fr --out /tmp/acme_fr
    python data_samples/generate_sample.py --leads 1000000 --out /tmp/acme_1m

The data is synthetic (:mod:`workbook.synthetic`): the same arguments give the same files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from workbook.synthetic import generate_engagement, write_engagement

DEFAULT_OUT = Path(__file__).resolve().parent / "acme_industrial"


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, generate the engagement and write it; return the exit code."""
    parser = argparse.ArgumentParser(
        description="Write the synthetic Acme Industrial engagement folder."
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="engagement folder (default: %(default)s)"
    )
    parser.add_argument("--seed", type=int, default=7, help="random seed (default: %(default)s)")
    parser.add_argument(
        "--leads", type=int, default=20_000, help="number of leads (default: %(default)s)"
    )
    parser.add_argument(
        "--style",
        choices=("en", "fr"),
        default="en",
        help="en: comma CSV, ISO dates; fr: French CRM export (semicolons, BOM, "
        "day-first dates, decimal commas) (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    if args.leads < 1:
        parser.error("--leads must be at least 1")
    frames = generate_engagement(n_leads=args.leads, seed=args.seed)
    folder = write_engagement(frames, args.out, style=args.style)
    counts = ", ".join(f"{name} {len(frame):,}" for name, frame in frames.items())
    print(f"wrote {folder} ({counts})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
