"""The ``workbook`` command: parses arguments, calls one function, prints a table or JSON.

Exit codes (CONTRACT section 2): 0 success, 1 the input has errors (for ``batch``: at least
one engagement failed), 2 bad usage. Bad input never prints a Python traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from workbook import __version__
from workbook.console import (
    render_audit,
    render_content_text,
    render_kpis,
    render_plan,
    render_score_text,
)
from workbook.intake.problems import EngagementError, Problem

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2
#: Most draws ``plan --simulate`` takes (its p10/p90 bands are steady long before).
MAX_DRAWS = 100_000


class UsageError(Exception):
    """Bad usage that argparse cannot detect (exit 2)."""


# --- output helpers ------------------------------------------------------------------------
def print_json(obj: object) -> None:
    """One JSON object on stdout and nothing else."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False) + "\n")


def print_problems(problems: Sequence[Problem], *, title: str, stream=None) -> None:
    stream = stream or sys.stdout
    if not problems:
        return
    print(f"{title} ({len(problems)}):", file=stream)
    for problem in problems:
        print(f"  - {problem.describe()}", file=stream)


# --- commands ------------------------------------------------------------------------------
def cmd_validate(args: argparse.Namespace) -> int:
    from workbook.intake.engagement import audit_engagement

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


def _load(directory: str):
    """Load an engagement, telling the user on stderr about quarantined rows.

    For the commands that print figures, not the audit: the warning-only checks that no
    figure reads (repeated e-mails, unknown assets...) are left to ``workbook validate``.
    """
    from workbook.intake.engagement import load_engagement

    engagement = load_engagement(directory, full_audit=False)
    quarantined = engagement.audit.quarantined_count
    if quarantined:
        print(
            f"note: {quarantined:,} row(s) quarantined and left out; see "
            f"'workbook validate {directory}'",
            file=sys.stderr,
        )
    return engagement


def cmd_kpis(args: argparse.Namespace) -> int:
    from workbook.analysis.kpis import compute_kpis

    data = compute_kpis(_load(args.dir)).to_dict()
    print_json(data) if args.json else print(render_kpis(data))
    return EXIT_OK


def cmd_plan(args: argparse.Namespace) -> int:
    from workbook.analysis.plan import PlanError, build_plan

    if not 0 <= args.simulate <= MAX_DRAWS:
        raise UsageError(f"--simulate takes a number of draws from 0 to {MAX_DRAWS:,}")
    try:
        report = build_plan(
            _load(args.dir), scenario=args.scenario, simulate=args.simulate, seed=args.seed
        )
    except PlanError as exc:
        raise EngagementError(exc.problems) from None
    print_json(report.to_dict()) if args.json else print(render_plan(report))
    return EXIT_OK


def cmd_content(args: argparse.Namespace) -> int:
    from workbook.analysis.content import build_content_report

    report = build_content_report(_load(args.dir))
    print_json(report.to_dict()) if args.json else print(render_content_text(report))
    return EXIT_OK


def cmd_score(args: argparse.Namespace) -> int:
    from workbook.analysis.scoring import ScoringError, build_scoring
    from workbook.intake.io import write_frame_csv
    from workbook.runs.folders import PublishError, check_output_file, output_folder_error

    try:  # before the model is fitted: a missing folder is not created
        out = check_output_file(Path(args.out)) if args.out else None
    except (FileNotFoundError, IsADirectoryError) as exc:
        raise UsageError(f"--out {args.out}: {exc}") from None
    except PublishError as exc:
        print(f"workbook score: {exc}", file=sys.stderr)
        return EXIT_INPUT
    engagement = _load(args.dir)
    try:
        report = build_scoring(engagement, target=args.target, seed=args.seed)
    except ScoringError as exc:
        print(f"workbook score: {exc}", file=sys.stderr)
        return EXIT_INPUT
    if out is not None:
        try:
            path = write_frame_csv(report.scores, out)
        except OSError as exc:
            problem = output_folder_error(exc, out.parent, outcome="Nothing was written.")
            if problem is None:
                raise
            print(f"workbook score: {problem}", file=sys.stderr)
            return EXIT_INPUT
        print(f"wrote {len(report.scores):,} scores to {path}", file=sys.stderr)
    print_json(report.to_dict()) if args.json else print(render_score_text(report))
    return EXIT_OK


def cmd_batch(args: argparse.Namespace) -> int:
    from workbook.deliverables.reports import PdfExportError
    from workbook.runs.batch import SchedulerError, run_batch
    from workbook.runs.folders import PublishError
    from workbook.runs.runner import UnknownParameterError

    try:
        result = run_batch(
            args.dirs, workers=args.workers, scheduler=args.scheduler, **_report_arguments(args)
        )
    except PublishError as exc:  # the output folder cannot be written: nothing ran
        print(f"workbook batch: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except (
        ValueError,
        FileNotFoundError,
        UnknownParameterError,
        PdfExportError,
        SchedulerError,
    ) as exc:
        raise UsageError(str(exc)) from None
    for row in result.rows:
        for note in row.notes:
            print(f"{row.engagement_dir}: {note}", file=sys.stderr)
    print(result.to_text())
    return result.exit_code


def cmd_new(args: argparse.Namespace) -> int:
    from workbook.intake.scaffold import next_steps, scaffold_engagement

    written = scaffold_engagement(args.dir, preset=args.preset)
    for path in written:
        print(f"created {path}{'/' if path.is_dir() else ''}")
    print("\n" + next_steps(args.dir, preset=args.preset))
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from workbook.deliverables.reports import PdfExportError
    from workbook.runs.folders import PublishError
    from workbook.runs.pipeline import run_reports
    from workbook.runs.runner import NotebookRunError, UnknownParameterError

    try:
        result = run_reports(args.dir, as_of=args.as_of, **_report_arguments(args))
    except NotebookRunError as exc:
        print(f"workbook run: {exc}", file=sys.stderr)
        if exc.output_path:
            print(f"The notebook up to the failing cell is in {exc.output_path}", file=sys.stderr)
        return EXIT_INPUT
    except PublishError as exc:  # another client's folder, or one that cannot be written
        print(f"workbook run: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except (UnknownParameterError, PdfExportError, FileNotFoundError) as exc:
        raise UsageError(str(exc)) from None
    for note in result.notes:
        print(note, file=sys.stderr)
    for path in result.reports:
        print(f"wrote {path}")
    return EXIT_OK


# --- parser --------------------------------------------------------------------------------
def seed_number(value: str) -> int:
    """``--seed`` as a whole number from 0 to 2**32 - 1 (what numpy's generators take).

    Examples
    --------
    >>> seed_number("7")
    7
    """
    top = 2**32 - 1
    try:
        seed = int(value)
    except ValueError:
        seed = -1
    if not 0 <= seed <= top:
        raise argparse.ArgumentTypeError(f"must be a whole number from 0 to {top}, got {value!r}")
    return seed


def as_of_date(value: str) -> dt.date:
    """``--as-of`` as a date; a usage error naming it when it is no day of the calendar.

    Examples
    --------
    >>> as_of_date("2026-09-30")
    datetime.date(2026, 9, 30)
    """
    from workbook.intake.keys import as_date

    problems: list[Problem] = []
    day = as_date(value, "--as-of", problems)
    if day is None:
        raise argparse.ArgumentTypeError(problems[0].message)
    return day


def _analysis_parser(sub, name: str, **kwargs) -> argparse.ArgumentParser:
    """A command reading one engagement folder, with a readable table or ``--json``."""
    p = sub.add_parser(name, **kwargs)
    p.add_argument("dir", metavar="DIR", help="engagement folder")
    p.add_argument("--json", action="store_true", help="print one JSON object (CONTRACT.md)")
    return p


def _report_parser(sub, name: str, *, language_help: str, **kwargs) -> argparse.ArgumentParser:
    """A command writing reports (``run``, ``batch``): the options :func:`_report_arguments`
    passes on."""
    p = sub.add_parser(name, **kwargs)
    p.add_argument(
        "--out", default="reports", metavar="OUT", help="output folder (default: reports)"
    )
    p.add_argument(
        "--phase",
        choices=["kickoff", "midpoint", "final", "all"],
        default="all",
        help="which phase report(s) to produce (default: all)",
    )
    p.add_argument("--language", choices=["en", "fr"], default=None, help=language_help)
    p.add_argument("--seed", type=seed_number, default=7, help="random seed (default: 7)")
    p.add_argument("--pdf", action="store_true", help="also print each report to PDF (Chromium)")
    p.add_argument(
        "--no-deck",
        dest="decks",
        action="store_false",
        help="do not write the PowerPoint decks (by default each phase also gets its .pptx, "
        "in the engagement's template.pptx when it has one)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def _report_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """The options of :func:`_report_parser` as keyword arguments of ``run_reports`` and
    ``run_batch``."""
    from workbook.runs.runner import selected_phases

    return {
        "phases": selected_phases(args.phase),
        "out_dir": Path(args.out),
        "language": args.language,
        "seed": args.seed,
        "pdf": args.pdf,
        "decks": args.decks,
        "progress": not args.quiet,
    }


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

    p = _analysis_parser(
        sub,
        "validate",
        help="audit the data: errors, warnings, duplicates, row accounting",
        description="Audit an engagement's data: every error names the file, column and rows; "
        "every row read is either used or quarantined. Exit 1 when there are errors.",
    )
    p.set_defaults(func=cmd_validate)

    p = _analysis_parser(
        sub,
        "kpis",
        help="the funnel and the six outcome KPIs",
        description="Funnel conversion (censoring-aware cumulative incidence within "
        "horizon_days), velocity, lift, quality, conversion, health, levers and LTV:CAC over "
        "the KPI window. Rates are fractions 0..1, money in the engagement's currency.",
    )
    p.set_defaults(func=cmd_kpis)

    p = _analysis_parser(
        sub,
        "plan",
        help="the reverse-funnel plan; with --simulate, uncertainty bands",
        description="Work back from targets.revenue through the stage conversion rates and "
        "lag distributions to the leads each stage needs, month by month. Assumptions not "
        "overridden in engagement.yaml come from the data.",
    )
    p.add_argument(
        "--simulate",
        type=int,
        default=0,
        metavar="N",
        help="draw the data-estimated rates N times from their Beta posteriors: p10/p90 bands",
    )
    p.add_argument("--scenario", default=None, help="apply a named scenario of engagement.yaml")
    p.add_argument(
        "--seed", type=seed_number, default=7, help="seed of the simulation (default: 7)"
    )
    p.set_defaults(func=cmd_plan)

    p = _analysis_parser(
        sub,
        "content",
        help="content matrix, gaps and conversation tracks",
        description="Count assets per persona x buying stage, list the gaps (cells below "
        "content.min_assets_per_cell), one conversation track per cell with the buyer's "
        "question and the assets answering it, and untagged and stale assets.",
    )
    p.set_defaults(func=cmd_content)

    p = _analysis_parser(
        sub,
        "score",
        help="the lead-scoring model of the lead management framework",
        description="Fit a lead-scoring model predicting whether an inquiry reaches the target "
        "stage within horizon_days from what was known before (attributes and earlier "
        "touches); report its holdout AUC, the recommended MQL threshold and account signals.",
    )
    p.add_argument("--out", default=None, metavar="FILE", help="write lead_id,score for every lead")
    p.add_argument("--target", default="sql", help="stage to predict (default: sql)")
    p.add_argument("--seed", type=seed_number, default=7, help="random seed (default: 7)")
    p.set_defaults(func=cmd_score)

    p = _report_parser(
        sub,
        "batch",
        language_help="report language of every engagement (default: each engagement.yaml's)",
        help="run every engagement; one failure never stops the others",
        description="Execute the phase notebooks on every DIR in parallel and write each "
        "client's reports and Excel key tables into OUT/<client-slug>/, all-or-nothing: a "
        "failed engagement keeps its previous reports, and its error (with the notebook up to "
        "the failing cell) goes to OUT/<client-slug>/failed/. Prints a summary; exit 1 if any "
        "engagement failed.",
    )
    p.add_argument("dirs", metavar="DIR", nargs="+", help="engagement folders")
    p.add_argument(
        "--workers",
        type=int,
        default=2,
        metavar="N",
        help="local worker processes, one notebook kernel each (default: 2; use the number of "
        "cores)",
    )
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="run on the Dask cluster whose scheduler is at ADDRESS (tcp://HOST:8786) "
        "instead of local worker processes",
    )
    p.set_defaults(func=cmd_batch)

    p = sub.add_parser(
        "new",
        help="scaffold a new engagement folder with templates",
        description="Create DIR with a commented engagement.yaml and empty data files with "
        "their headers; with --from, an engagement.yaml that reads a CRM's standard exports "
        "as they come.",
    )
    p.add_argument("dir", metavar="DIR", help="folder to create (must not exist or be empty)")
    p.add_argument(
        "--from",
        dest="preset",
        choices=("hubspot", "hubspot-fr", "salesforce"),
        default=None,
        help="map a CRM's exports: hubspot (contacts and deals exports, English headers), "
        "hubspot-fr (the same with French headers), salesforce (leads and opportunities "
        "reports); writes no header-only data files",
    )
    p.set_defaults(func=cmd_new)

    p = _report_parser(
        sub,
        "run",
        language_help="report language (default: engagement.yaml's)",
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
        "--as-of",
        type=as_of_date,
        default=None,
        metavar="DATE",
        help="snapshot date, e.g. 2026-09-30",
    )
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
    except BrokenPipeError:  # output piped into `head` and closed: not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
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
