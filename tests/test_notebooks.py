"""The phase notebooks: hygiene, headless execution with papermill, and the reports they make."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import nbformat
import pytest

from tests.conftest import (
    NOTEBOOKS_DIR,
    SAMPLE_DIR,
    assert_report_sections,
    execute_notebook,
    outputs_text,
    write_engagement,
)
from workbook.cli import main
from workbook.intake.engagement import load_engagement

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
PHASE_PARAMETERS = {
    "engagement_dir",
    "as_of",
    "language",
    "seed",
    "interactive",
    "engagement_snapshot",
}


def test_there_is_a_kickoff_notebook():
    assert NOTEBOOKS_DIR / "00_kickoff.ipynb" in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_hygiene(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    cells = nb["cells"]
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged parameters"
    for cell in cells:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name}: committed outputs"
            assert cell.get("execution_count") is None, f"{path.name}: execution count"
    # the parameters cell holds annotated literals only, each with a help comment
    source = "".join(tagged[0]["source"])
    tree = ast.parse(source)
    names = set()
    for node in tree.body:
        assert isinstance(node, ast.AnnAssign), "parameters are `name: type = default  # help`"
        ast.literal_eval(node.value)
        names.add(node.target.id)
    assert all("#" in line for line in source.splitlines() if line.strip())
    assert names == PHASE_PARAMETERS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_defines_no_business_logic(path: Path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            tree = ast.parse(cell.source)
            assert not any(isinstance(n, ast.FunctionDef | ast.ClassDef) for n in ast.walk(tree)), (
                f"{path.name}: define functions in workbook/, not in notebooks"
            )


def visible_text(html: str) -> str:
    html = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'src="data:image/png;base64,[^"]*"', " ", html)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.notebook
def test_kickoff_on_the_sample_shows_every_section_with_its_meaning(tmp_path):
    nb = execute_notebook("00_kickoff.ipynb", tmp_path, engagement_dir=str(SAMPLE_DIR))
    text = outputs_text(nb)
    assert_report_sections(
        text,
        (  # headings state their findings; their anchors stay (summary links to them)
            'id="executive-summary"',
            '<h2 id="agenda">Agenda: two days with 6 stakeholders</h2>',
            '<h2 id="inventory">Data: 100.0% of 120,915 rows are usable</h2>',
            '<h2 id="funnel">Funnel today: the weakest step is Inquiry → MQL, 23.6% move on</h2>',
            '<h2 id="mix">',
            '<h2 id="spend">',
            '<h2 id="content">',
            '<h2 id="hypotheses">4 hypotheses to test by the mid-point</h2>',
        ),
        meanings=7,
        figures=5,
    )
    audit = load_engagement(SAMPLE_DIR).audit
    read = sum(c.read for c in audit.rows.values())
    used = sum(c.used for c in audit.rows.values())
    assert f"{used:,} of {read:,} rows are usable" in text
    # the planted story shows up: the poor-return channel and the content gap
    assert re.search(r"Paid social takes \d+\.\d% of spend but sources \d+\.\d% of won deals", text)
    assert "Economic buyer × Decision: no asset" in text
    assert "@" not in visible_text(text)


@pytest.mark.notebook
def test_kickoff_in_french_uses_french_words_and_numbers(tmp_path):
    engagement = write_engagement(tmp_path / "tiny")
    nb = execute_notebook(
        "00_kickoff.ipynb", tmp_path, engagement_dir=str(engagement), language="fr"
    )
    text = outputs_text(nb)
    assert (
        '<h2 id="inventory">Données\u00a0: 100,0\u202f% des 22 lignes sont exploitables</h2>'
        in text
    )
    assert "Ce que cela signifie" in text
    assert "21\u202f500\u202f€" in text  # total spend, French typography
    # the tables too: the funnel's pass-through rates (5 of 6 inquiries reached MQL)
    assert '<td class="num">83,3\u202f%</td>' in text
    assert '<td class="num">83.3%</td>' not in text
    assert "What this means" not in text
    # the data-quality messages are French too
    assert "le lead a atteint une étape suivante sans date de passage en MQL" in text


@pytest.mark.notebook
def test_workbook_run_writes_a_code_free_html_report(tmp_path, capsys):
    engagement = write_engagement(tmp_path / "tiny")
    out = tmp_path / "reports"
    code = main(["run", str(engagement), "--phase", "kickoff", "--out", str(out), "--quiet"])
    assert code == 0
    report = out / "tiny-test-co" / "00_kickoff.html"
    html = report.read_text(encoding="utf-8")
    assert "Tiny Test Co" in html
    assert "from workbook" not in html and "show.show_" not in html  # no code
    assert not re.search(r"<script[^>]+src=", html)  # self-contained
    assert "ann@alpha.example" not in html.lower()
    published = sorted(p.name for p in (out / "tiny-test-co").iterdir())
    assert published == [
        ".workbook-client",
        "00_kickoff.html",
        "00_kickoff.pptx",
        "figures.json",
        "tiny-test-co-key-tables.xlsx",
    ]


def test_workbook_run_on_bad_input_exits_1_before_running_anything(tmp_path, capsys):
    engagement = write_engagement(tmp_path / "bad", {"data/leads.csv": "lead_id\nL1\n"})
    out = tmp_path / "reports"
    code = main(["run", str(engagement), "--phase", "kickoff", "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    assert "leads.csv, column created_at" in err
    assert "Traceback" not in err
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.notebook
def test_midpoint_on_a_six_lead_engagement_still_renders_every_section(tmp_path):
    engagement = write_engagement(tmp_path / "tiny")
    nb = execute_notebook("01_midpoint_insights.ipynb", tmp_path, engagement_dir=str(engagement))
    text = outputs_text(nb)
    assert_report_sections(
        # headings state findings, so their words change with the data; their anchors do not
        text,
        ('<h2 id="scorecard">', '<h2 id="next-steps">'),
        meanings=10,
    )
