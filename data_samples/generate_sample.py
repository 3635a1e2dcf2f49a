"""Regenerate the bundled sample engagement (Acme Industrial) from its seed.

    python data_samples/generate_sample.py                   # data_samples/acme_industrial
    python data_samples/generate_sample.py --style fr --out /tmp/acme_fr
    python data_samples/generate_sample.py --leads 1000000 --out /tmp/acme_1m
    python data_samples/generate_sample.py --sparse            # data_samples/sparse_client

The data is synthetic (:mod:`workbook.synthetic`): the same arguments give the same files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from workbook.synthetic import generate_engagement, write_engagement
from workbook.synthetic.sparse import sparse_client

DEFAULT_OUT = Path(__file__).resolve().parent / "acme_industrial"
SPARSE_OUT = Path(__file__).resolve().parent / "sparse_client"


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, generate the engagement and write it; return the exit code."""
    parser = argparse.ArgumentParser(
        description="Write the synthetic Acme Industrial engagement folder."
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help=f"engagement folder (default: {DEFAULT_OUT}, or {SPARSE_OUT} with --sparse)",
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
    parser.add_argument(
        "--sparse",
        action="store_true",
        help="write the sparse client instead (leads and opportunities only, ladder "
        f"[lead, mql, opportunity, won]; 3,000 leads, seed 11, default --out {SPARSE_OUT})",
    )
    args = parser.parse_args(argv)
    if args.leads < 1:
        parser.error("--leads must be at least 1")
    if args.sparse:
        frames, config = sparse_client()
        folder = write_engagement(frames, args.out or SPARSE_OUT, style=args.style, config=config)
    else:
        frames = generate_engagement(n_leads=args.leads, seed=args.seed)
        folder = write_engagement(frames, args.out or DEFAULT_OUT, style=args.style)
    counts = ", ".join(f"{name} {len(frame):,}" for name, frame in frames.items())
    print(f"wrote {folder} ({counts})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
