"""The CRM presets end to end (issue 16, item 5): ``workbook new --from X`` plus the CRM's
exports as they come runs every command and every phase.

The fixtures hold 40 contacts or leads and 15 deals: too few matured leads for a scoring
model, so ``score`` refuses in words (exit 1) and the reports say why; everything else runs.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import NOTEBOOKS_DIR
from tests.intake.test_presets import engagement_from
from tests.runs.test_sparse_sample import report_text
from workbook.cli import main
from workbook.runs.pipeline import run_reports

PHASES = ("00_kickoff", "01_midpoint_insights", "02_final_strategy")


@pytest.mark.parametrize("preset", ["hubspot", "hubspot-fr", "salesforce"])
def test_a_crm_export_runs_every_command_and_phase(tmp_path, capsys, preset):
    folder = engagement_from(tmp_path, preset)
    for command in ("validate", "kpis", "plan", "content"):
        assert main([command, str(folder), "--json"]) == 0, command
        out = json.loads(capsys.readouterr().out)
        assert out, command
    kpis = (main(["kpis", str(folder), "--json"]), json.loads(capsys.readouterr().out))[1]
    # no spend file: what needs it is null, never 0
    assert kpis["ltv_cac"]["cac"] is None and kpis["ltv_cac"]["spend"] is None
    assert main(["score", str(folder)]) == 1
    refusal = capsys.readouterr().err
    assert "internal error" not in refusal and "lead" in refusal.lower()

    result = run_reports(folder, out_dir=tmp_path / "out", notebooks_dir=NOTEBOOKS_DIR)
    html = {p.stem: report_text(p) for p in result.reports if p.suffix == ".html"}
    assert sorted(html) == list(PHASES)
    language_says = "dépense" if preset == "hubspot-fr" else "No marketing spend was provided"
    assert language_says in html["00_kickoff"] or language_says.lower() in html["00_kickoff"]
    for phase, text in html.items():
        for placeholder in (r"\bNone\b", r"\bnan\b", r"\bNaN\b", r"\bNaT\b"):
            assert not re.search(placeholder, text), (preset, phase, placeholder)
        assert "internal error" not in text
