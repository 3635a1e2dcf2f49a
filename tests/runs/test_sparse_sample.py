"""The second bundled sample, the sparse client, through every phase (issue 16, item 7).

Leads and opportunities only, the ladder ``[lead, mql, opportunity, won]``, no spend, no
content, no touches: every phase runs, each report says what was not provided, and nothing
stands in for a figure that could not be computed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import NOTEBOOKS_DIR
from workbook.cli import main
from workbook.runs.pipeline import run_reports

SPARSE = Path(__file__).resolve().parents[2] / "data_samples" / "sparse_client"
SLUG = "nordwind-logistics-software"
PHASES = ("00_kickoff", "01_midpoint_insights", "02_final_strategy")


def report_text(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sparse") / "out"
    run_reports(SPARSE, out_dir=out, notebooks_dir=NOTEBOOKS_DIR)
    return out / SLUG


def test_every_phase_and_the_key_tables_are_written(published):
    assert sorted(p.name for p in published.iterdir()) == sorted(
        [
            ".workbook-client",
            *(f"{phase}.html" for phase in PHASES),
            *(f"{phase}.pptx" for phase in PHASES),
            "figures.json",
            f"{SLUG}-key-tables.xlsx",
        ]
    )


@pytest.mark.parametrize("phase", PHASES)
def test_no_report_stands_in_a_placeholder_or_a_stage_the_ladder_lacks(published, phase):
    text = report_text(published / f"{phase}.html")
    assert "Nordwind Logistics Software" in text
    for placeholder in (r"\bNone\b", r"\bnan\b", r"\bNaN\b", r"\binf\b", r"\bnull\b"):
        assert not re.search(placeholder, text), (phase, placeholder)
    # the client's ladder is lead, mql, opportunity, won: no inquiry, SAL or SQL step
    for stage in (r"\bSAL\b", r"\bSQL\b", r"\bInquiry\b"):
        assert not re.search(stage, text), (phase, stage)
    assert not re.search(r"\b0 spent\b|CAC (of )?[£€$]?0\b", text)


def test_each_report_says_what_was_not_provided(published):
    kickoff = report_text(published / "00_kickoff.html")
    assert "No marketing spend was provided" in kickoff
    assert "No content inventory was provided" in kickoff
    midpoint = report_text(published / "01_midpoint_insights.html")
    assert "No marketing spend was provided: CAC, LTV:CAC and payback need it" in midpoint
    final = report_text(published / "02_final_strategy.html")
    assert "the plan is sized in leads, not money" in final
    assert "No content inventory was provided" in final


def test_the_key_tables_hold_no_placeholder(published):
    book = openpyxl.load_workbook(published / f"{SLUG}-key-tables.xlsx", read_only=True)
    cells = [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    assert cells and not [c for c in cells if c.strip().lower() in {"none", "nan", "-", "inf"}]
    assert any("No marketing spend was provided" in c for c in cells)


def test_the_json_of_every_command_gives_null_not_zero_for_spend(capsys):
    assert main(["kpis", str(SPARSE), "--json"]) == 0
    kpis = json.loads(capsys.readouterr().out)
    assert kpis["ltv_cac"]["cac"] is None and kpis["ltv_cac"]["spend"] is None
    assert kpis["ltv_cac"]["ltv"] > 0
    assert [(row["from"], row["to"]) for row in kpis["funnel"]] == [
        ("lead", "mql"),
        ("mql", "opportunity"),
        ("opportunity", "won"),
    ]
    assert main(["content", str(SPARSE), "--json"]) == 0
    content = json.loads(capsys.readouterr().out)
    assert content["matrix"] is None and content["gaps"] is None
    for command in ("validate", "plan", "score"):
        assert main([command, str(SPARSE), "--json"]) == 0, command
        json.loads(capsys.readouterr().out)
