"""Shared fixtures: a tiny hand-made engagement whose every figure can be computed by hand."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "data_samples" / "acme_industrial"
NOTEBOOKS_DIR = ROOT / "notebooks"

os.environ.setdefault("MPLBACKEND", "Agg")

TINY_YAML = """\
client: Tiny Test Co
currency: EUR
language: en
as_of: 2026-06-30
analysis:
  window_months: 12
  horizon_days: 365
targets:
  revenue: 1000000
  period_start: 2027-01
  period_months: 12
  ramp_months: 3
economics:
  gross_margin: 0.75
  annual_churn: 0.15
"""

# 6 leads. L1 goes all the way to won; L2 is disqualified at mql; L3 is open at sal;
# L4 skips mql (empty mql_at, sal set); L5 reaches opportunity and loses; L6 is a fresh inquiry.
TINY_LEADS = """\
lead_id,created_at,mql_at,sal_at,sql_at,disqualified_at,source_channel,sourced_by,persona,segment,account_id,company,email
L1,2026-01-05,2026-01-10,2026-01-12,2026-01-20,,webinar,marketing,economic_buyer,enterprise,ACC1,Alpha,ann@alpha.example
L2,2026-01-06,2026-01-16,,,2026-02-01,paid_social,marketing,end_user,smb,ACC2,Beta,bob@beta.example
L3,2026-02-01,2026-02-11,2026-02-15,,,webinar,marketing,technical_evaluator,mid_market,ACC1,Alpha,cat@alpha.example
L4,2026-02-10,,2026-02-20,2026-03-01,,paid_search,marketing,economic_buyer,enterprise,ACC3,Gamma, Ann@Alpha.example
L5,2026-03-01,2026-03-05,2026-03-06,2026-03-10,,events,sales,end_user,smb,ACC4,Delta,dan@delta.example
L6,2026-06-20,,,,,webinar,marketing,,,,,
"""

TINY_OPPS = """\
opportunity_id,lead_id,account_id,created_at,closed_at,status,amount,sourced_by,product
O1,L1,ACC1,2026-02-01,2026-04-01,won,50000,marketing,Core
O2,L5,ACC4,2026-03-20,2026-05-01,lost,30000,sales,Core
O3,,ACC9,2026-02-15,2026-05-15,won,80000,sales,Analytics
O4,L4,ACC3,2026-03-15,,open,40000,marketing,Core
"""

TINY_SPEND = """\
month,channel,amount
2026-01,webinar,10000
2026-01,paid_social,5000
2026-02,paid_search,2500.50
2026-03,events,4000
"""

TINY_CONTENT = """\
asset_id,title,format,persona,buying_stage,channel,published_at,views
A1,Buyer guide,whitepaper,economic_buyer,awareness,organic,2026-01-01,100
A2,ROI calculator,roi_calculator,economic_buyer,decision,webinar,2024-01-01,50
A3,Tech deep dive,webinar,technical_evaluator,consideration,webinar,2025-11-01,300
A4,Untagged blog,blog,,,organic,2026-02-01,20
"""

TINY_TOUCHES = """\
lead_id,touched_at,channel,asset_id
L1,2026-01-06 10:00:00,webinar,A3
L1,2026-01-15,email,A2
L2,2026-01-07,paid_social,A1
L4,2026-02-12,paid_search,
"""


def write_engagement(directory: Path, files: dict[str, str | bytes | None] | None = None) -> Path:
    """Write the tiny engagement to ``directory``, replacing or removing files by name.

    ``files`` maps a relative path (``engagement.yaml``, ``data/leads.csv``) to its text,
    bytes, or None to leave it out.
    """
    contents: dict[str, str | bytes | None] = {
        "engagement.yaml": TINY_YAML,
        "data/leads.csv": TINY_LEADS,
        "data/opportunities.csv": TINY_OPPS,
        "data/spend.csv": TINY_SPEND,
        "data/content.csv": TINY_CONTENT,
        "data/touches.csv": TINY_TOUCHES,
    }
    contents.update(files or {})
    for rel, text in contents.items():
        if text is None:
            continue
        path = directory / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return directory


def to_french(text: str) -> bytes:
    """A French-style export: semicolons, day-first dates, decimal commas, BOM."""
    import io

    import pandas as pd

    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    for col in frame.columns:
        if col.endswith("_at"):
            parsed = pd.to_datetime(frame[col], errors="coerce", format="mixed")
            frame[col] = parsed.dt.strftime("%d/%m/%Y").fillna("")
        if col in ("amount", "views"):
            frame[col] = frame[col].str.replace(".", ",", regex=False)
    return b"\xef\xbb\xbf" + frame.to_csv(index=False, sep=";").encode("utf-8")


def write_french_engagement(directory: Path) -> Path:
    """The tiny engagement with every data file exported French-style (:func:`to_french`)."""
    data = {
        "leads": TINY_LEADS,
        "opportunities": TINY_OPPS,
        "spend": TINY_SPEND,
        "content": TINY_CONTENT,
        "touches": TINY_TOUCHES,
    }
    return write_engagement(
        directory, {f"data/{name}.csv": to_french(text) for name, text in data.items()}
    )


@pytest.fixture(scope="module")
def stopped(tmp_path_factory):
    """The engagement whose leads export stops on 2025-12-10 while the rest runs to as_of
    2026-06-30 (tests/analysis/test_coverage_figures.py), loaded, with its journeys."""
    from tests.analysis.test_coverage_figures import write_stopped_engagement
    from workbook.analysis.journeys import build_journeys
    from workbook.intake.engagement import load_engagement

    engagement = load_engagement(write_stopped_engagement(tmp_path_factory.mktemp("stopped")))
    return engagement, build_journeys(engagement)


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    """A folder holding the tiny engagement."""
    return write_engagement(tmp_path / "tiny")


def python3_notebook(cells: list) -> nbformat.NotebookNode:
    """A notebook of ``cells`` on the ``python3`` kernel (papermill reads its language there)."""
    return nbformat.v4.new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )


def boom_error(notebook_name: str, **fields):
    """The NotebookRunError of a ``ValueError: boom`` raised in cell 3 (In [4]) of a notebook."""
    from workbook.runs.runner import NotebookRunError

    return NotebookRunError(
        notebook_path=Path(notebook_name),
        error_name="ValueError",
        error_message="boom",
        cell_index=3,
        execution_count=4,
        **fields,
    )


def execute_notebook(name: str, tmp_path: Path, **parameters):
    """Execute ``notebooks/<name>`` headlessly the way production does (IPC kernel, retry).

    Returns the executed notebook.
    """
    from workbook.runs.runner import execute_notebook as run

    out = tmp_path / f"executed_{name}"
    run(NOTEBOOKS_DIR / name, out, parameters=parameters, cwd=NOTEBOOKS_DIR, timeout_seconds=300)
    return nbformat.read(out, as_version=4)


def outputs_text(nb) -> str:
    """Everything a notebook displayed (streams, HTML, Markdown, plain text), unescaped."""
    import html

    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append(out.get("text", ""))
            for mime, data in out.get("data", {}).items():
                if mime in ("text/html", "text/markdown", "text/plain"):
                    parts.append(data if isinstance(data, str) else "".join(data))
    return html.unescape("\n".join(parts))


def assert_report_sections(
    text: str, headings: tuple[str, ...], *, meanings: int, figures: int = 0
) -> None:
    """A report's ``text`` shows every heading, at least ``meanings`` "What this means"
    sentences and at least ``figures`` embedded charts."""
    missing = [heading for heading in headings if heading not in text]
    assert not missing, f"headings missing: {missing}"
    assert text.count("What this means:") >= meanings
    assert text.count("data:image/png;base64") >= figures


def phase_outputs(
    engagement,
    journeys=None,
    *,
    language: str = "en",
    phases: tuple[str, ...] = ("kickoff", "midpoint", "final"),
    seed: int = 7,
    quant=None,
    strategy=None,
):
    """What the phase notebooks save under ``workbook run`` (``ctx.finish``), computed as their
    cells compute it: the figures register and the tables, for the Excel workbook and decks.

    ``quant`` and ``strategy`` may be passed when a test module built them already (as the
    final notebook builds them: ``simulate=2000``, the plan's first month of need)."""
    from workbook.analysis.journeys import journeys_for
    from workbook.i18n import use_labels

    journeys = journeys_for(engagement, journeys)
    with use_labels(engagement.config.labels):  # as the notebook context sets them
        return _phase_outputs(engagement, journeys, language, phases, seed, quant, strategy)


def _phase_outputs(engagement, journeys, language, phases, seed, quant, strategy):
    """:func:`phase_outputs`, the engagement's labels in force."""
    from workbook.analysis.reconcile import demand_ramp_months, first_month_of_need
    from workbook.deliverables.final import build_final_quant
    from workbook.deliverables.final_facts import final_facts
    from workbook.deliverables.final_figures import register_final_figures
    from workbook.deliverables.final_summary import final_findings
    from workbook.deliverables.final_tables import final_tables
    from workbook.deliverables.kickoff import build_kickoff
    from workbook.deliverables.kickoff_figures import register_kickoff_figures
    from workbook.deliverables.midpoint import build_midpoint
    from workbook.deliverables.midpoint_register import register_midpoint
    from workbook.deliverables.notebook import PhaseOutputs
    from workbook.deliverables.register import FigureRegister
    from workbook.deliverables.saved_tables import kickoff_saved_tables, midpoint_saved_tables
    from workbook.deliverables.strategy import build_strategy

    currency = engagement.config.currency
    register, tables = FigureRegister(), {}
    if "kickoff" in phases:
        report = build_kickoff(engagement, journeys, language=language)
        register_kickoff_figures(report, register, language=language)
        tables.update(kickoff_saved_tables(report))
    if "midpoint" in phases:
        report = build_midpoint(engagement, journeys)
        register_midpoint(report, register, language=language)
        tables.update(midpoint_saved_tables(report, language=language, currency=currency))
    if "final" in phases:
        quant = quant or build_final_quant(engagement, journeys, simulate=2000, seed=seed)
        strategy = strategy or build_strategy(
            engagement,
            journeys,
            language=language,
            seed=seed,
            start=first_month_of_need(quant.plan),
            ramp_months=demand_ramp_months(quant.plan),
        )
        facts = final_facts(engagement, journeys, quant=quant, strategy=strategy)
        register_final_figures(register, facts, language=language)
        final_findings(facts, register, language=language, currency=currency)
        tables.update(final_tables(facts, language=language))
    return PhaseOutputs(register=register, summaries={}, tables=tables)
