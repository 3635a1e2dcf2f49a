"""The ``workbook`` command: parses arguments, calls one function, prints a table or JSON.

Exit codes (CONTRACT section 2): 0 success, 1 the input has errors (for ``batch``: at least
one engagement failed), 2 bad usage. Bad input never prints a Python traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from workbook import __version__
from workbook.problems import Audit, EngagementError, Problem

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_ENGAGEMENT = REPO_ROOT / "data_samples" / "acme_industrial"


class UsageError(Exception):
    """Bad usage that argparse cannot detect (exit 2)."""


# --- output helpers ------------------------------------------------------------------------
def print_json(obj: object) -> None:
    """One JSON object on stdout and nothing else."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False) + "\n")


def format_table(rows: Sequence[Sequence[object]], headers: Sequence[str]) -> str:
    """A plain text table; numbers right-aligned with thousands separators.

    Examples
    --------
    >>> print(format_table([["leads.csv", 1200]], ["file", "read"]))
    file       read
    leads.csv  1,200
    """

    def cell(value: object) -> str:
        if value is None:
            return "-"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, int):
            return f"{value:,}"
        if isinstance(value, float):
            return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
        return str(value)

    text = [[cell(v) for v in row] for row in rows]
    numeric = [
        all(isinstance(row[i], int | float) or row[i] is None for row in rows) if rows else False
        for i in range(len(headers))
    ]
    widths = [max([len(h), *(len(r[i]) for r in text)]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if numeric[i] else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    return "\n".join([line(list(headers)), *(line(r) for r in text)])


def print_problems(problems: Sequence[Problem], *, title: str, stream=None) -> None:
    stream = stream or sys.stdout
    if not problems:
        return
    print(f"{title} ({len(problems)}):", file=stream)
    for problem in problems:
        print(f"  - {problem.describe()}", file=stream)


def render_audit(audit: Audit) -> str:
    """The readable form of ``validate``."""
    out = []
    rows = [[f"{name}", c.read, c.used, c.quarantined] for name, c in audit.rows.items()]
    out.append(format_table(rows, ["file", "read", "used", "quarantined"]))
    dup = audit.duplicates.get("leads", 0)
    if dup:
        out.append(
            f"\nDuplicates: {dup:,} leads repeat the e-mail of an earlier lead (review list)."
        )
    return "\n".join(out)


# --- commands ------------------------------------------------------------------------------
def cmd_validate(args: argparse.Namespace) -> int:
    from workbook.engagement import audit_engagement

    audit = audit_engagement(args.dir)
    if args.json:
        print_json(audit.to_dict())
    else:
        print(render_audit(audit))
        print()
        print_problems(audit.errors, title="Errors")
        print_problems(audit.warnings, title="Warnings")
        if audit.ok:
            print("OK: no errors." + (" Read the warnings above." if audit.warnings else ""))
        else:
            quarantined = audit.quarantined_count
            print(
                f"{len(audit.errors)} error(s); {quarantined:,} row(s) quarantined. Fix what is "
                "named above in the export and run 'workbook validate' again."
            )
    return EXIT_OK if audit.ok else EXIT_INPUT


def cmd_new(args: argparse.Namespace) -> int:
    from workbook.scaffold import scaffold_engagement

    written = scaffold_engagement(args.dir)
    for path in written:
        print(f"created {path}")
    print(
        f"\nNext: edit {Path(args.dir) / 'engagement.yaml'}, put the client's exports in "
        f"{Path(args.dir) / 'data'}/, then run 'workbook validate {args.dir}'."
    )
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from workbook.pipeline import run_reports
    from workbook.reports import PdfExportError
    from workbook.runner import NotebookRunError, UnknownParameterError

    phases = ["kickoff", "midpoint", "final"] if args.phase == "all" else [args.phase]
    try:
        result = run_reports(
            args.dir or SAMPLE_ENGAGEMENT,
            phases=phases,
            out_dir=Path(args.out),
            as_of=args.as_of,
            language=args.language,
            seed=args.seed,
            progress=not args.quiet,
            pdf=args.pdf,
        )
    except NotebookRunError as exc:
        print(f"workbook run: {exc}", file=sys.stderr)
        if exc.output_path:
            print(f"The notebook up to the failing cell is in {exc.output_path}", file=sys.stderr)
        return EXIT_INPUT
    except (UnknownParameterError, PdfExportError, FileNotFoundError) as exc:
        raise UsageError(str(exc)) from None
    for note in result.notes:
        print(note, file=sys.stderr)
    for path in result.reports:
        print(f"wrote {path}")
    return EXIT_OK


# --- parser --------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbook",
        description=(
            "Demand Workbook: audit a client's CRM exports, compute the funnel and the six "
            "outcome KPIs, plan the reverse funnel, find content gaps, and produce the "
            "engagement's client reports."
        ),
        epilog="Exit codes: 0 success, 1 the input has errors, 2 bad usage. "
        "See README.md for the engagement folder format.",
    )
    parser.add_argument("--version", action="version", version=f"workbook {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser(
        "validate",
        help="audit the data: errors, warnings, duplicates, row accounting",
        description="Audit an engagement's data: every error names the file, column and rows; "
        "every row read is either used or quarantined. Exit 1 when there are errors.",
    )
    p.add_argument("dir", metavar="DIR", help="engagement folder")
    p.add_argument("--json", action="store_true", help="print one JSON object (CONTRACT.md)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "new",
        help="scaffold a new engagement folder with templates",
        description="Create DIR with a commented engagement.yaml and empty data files with "
        "their headers.",
    )
    p.add_argument("dir", metavar="DIR", help="folder to create (must not exist or be empty)")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser(
        "run",
        help="execute the phase notebooks and write client-ready reports",
        description="Execute the phase notebooks on DIR with papermill and write HTML reports "
        "(no code) into OUT/<client-slug>/. Reports are replaced only when every phase "
        "succeeded.",
    )
    p.add_argument(
        "dir",
        metavar="DIR",
        nargs="?",
        default=None,
        help="engagement folder (default: the sample)",
    )
    p.add_argument(
        "--phase",
        choices=["kickoff", "midpoint", "final", "all"],
        default="all",
        help="which phase report(s) to produce (default: all)",
    )
    p.add_argument(
        "--out", default="reports", metavar="OUT", help="output folder (default: reports)"
    )
    p.add_argument("--as-of", default=None, metavar="DATE", help="snapshot date, e.g. 2026-09-30")
    p.add_argument("--language", choices=["en", "fr"], default=None, help="report language")
    p.add_argument("--seed", type=int, default=7, help="random seed (default: 7)")
    p.add_argument("--pdf", action="store_true", help="also print each report to PDF (Chromium)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_run)
    return parser


def _on_sigterm(signum, frame):  # pragma: no cover - exercised by the SIGTERM test
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``workbook`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if threading_is_main():
        signal.signal(signal.SIGTERM, _on_sigterm)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except EngagementError as exc:
        print(f"workbook {args.command}: the input has errors:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem.describe()}", file=sys.stderr)
        return EXIT_INPUT
    except UsageError as exc:
        print(f"workbook {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"workbook {args.command}: interrupted; no report was half-written.", file=sys.stderr)
        return 130
    except Exception as exc:  # an internal error, not bad input
        if args.debug or os.environ.get("WORKBOOK_DEBUG"):
            traceback.print_exc()
        print(
            f"workbook {args.command}: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in the workbook, not in your data; run again with --debug and "
            "report the output.",
            file=sys.stderr,
        )
        return EXIT_INPUT


def threading_is_main() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
