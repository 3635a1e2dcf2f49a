"""The `workbook` command: help, scaffolding, exit codes, JSON only on stdout."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from workbook.cli import main
from workbook.intake.engagement import audit_engagement
from workbook.intake.schema import DATA_FILES


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for command in ("validate", "run", "new"):
        assert command in out


def test_new_scaffolds_a_commented_template_and_empty_files_with_headers(tmp_path, capsys):
    target = tmp_path / "clients" / "acme"
    assert main(["new", str(target)]) == 0
    text = (target / "engagement.yaml").read_text()
    assert "# " in text and "client:" in text
    config = yaml.safe_load(text)
    assert config["client"] == "New Client"
    for stem in DATA_FILES:
        header = (target / "data" / f"{stem}.csv").read_text().strip()
        assert header.count(",") >= 2
    # the template itself is valid: only the empty required files are reported (empty spend,
    # content and touches files mean "not provided": CONTRACT section 3)
    errors = audit_engagement(target).to_dict()["errors"]
    assert {e["file"] for e in errors} == {"leads.csv", "opportunities.csv"}
    assert all("no data rows" in e["message"] for e in errors)
    out = capsys.readouterr().out
    assert "optional" in out.lower() and all(f"{stem}.csv" in out for stem in ("spend", "content"))


def test_new_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    (tmp_path / "x.txt").write_text("keep me")
    assert main(["new", str(tmp_path)]) == 1
    assert "not empty" in capsys.readouterr().err
    assert (tmp_path / "x.txt").read_text() == "keep me"


def run_command(*args: str) -> subprocess.CompletedProcess:
    """``workbook ARGS`` in a new process, as a user runs it (stdout and stderr as text)."""
    return subprocess.run(
        [sys.executable, "-m", "workbook", *args], capture_output=True, text=True, check=False
    )


def test_console_script_prints_json_only_on_stdout(tiny_dir):
    result = run_command("validate", str(tiny_dir), "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["ok"] is True


def test_kpis_json_has_every_key_of_the_contract(tiny_dir, capsys):
    assert main(["kpis", str(tiny_dir), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {
        "client", "as_of", "currency", "funnel", "velocity", "lift", "quality",
        "conversion", "health", "levers", "ltv_cac",
    }  # fmt: skip
    assert data["as_of"] == "2026-06-30" and data["currency"] == "EUR"
    assert [f["from"] for f in data["funnel"]] == ["inquiry", "mql", "sal", "sql", "opportunity"]


def test_figure_commands_print_what_a_fully_audited_load_gives(tiny_dir, capsys):
    # the commands skip the warning-only checks no figure reads; the tiny engagement has a
    # repeated e-mail and a skipped stage (a warning the health KPIs do read)
    from workbook.analysis.content import build_content_report
    from workbook.analysis.kpis import compute_kpis
    from workbook.analysis.plan import build_plan
    from workbook.intake.engagement import load_engagement

    full = load_engagement(tiny_dir)
    assert full.audit.duplicates == {"leads": 1}
    for command, expected in (
        ("kpis", compute_kpis(full).to_dict()),
        ("plan", build_plan(full).to_dict()),
        ("content", build_content_report(full).to_dict()),
    ):
        assert main([command, str(tiny_dir), "--json"]) == 0
        assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(expected)), command


def test_kpis_text_output_reads_as_a_table(tiny_dir, capsys):
    assert main(["kpis", str(tiny_dir)]) == 0
    out = capsys.readouterr().out
    assert "inquiry -> mql" in out and "LTV:CAC" in out


def test_kpis_without_spend_print_null_and_say_not_provided(tmp_path, capsys):
    # CONTRACT section 3: spend not provided is null, never 0 (tests/analysis/test_analysis_without_spend.py)
    from tests.conftest import write_engagement

    directory = write_engagement(tmp_path / "e", {"data/spend.csv": None})
    assert main(["kpis", str(directory), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ltv_cac"]["spend"] is None and data["ltv_cac"]["cac"] is None
    assert data["ltv_cac"]["ltv"] == 250_000.0
    assert [(c["spend"], c["cac"], c["roi"]) for c in data["levers"]["channels"]] == [
        (None, None, None)
    ]
    assert main(["kpis", str(directory)]) == 0
    out = capsys.readouterr().out
    assert "CAC, ratio and payback: spend not provided" in out and "CAC 0" not in out


def test_plan_json_keeps_the_contract_keys(tiny_dir, capsys):
    assert main(["plan", str(tiny_dir), "--json", "--simulate", "50"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"stages", "months", "required", "totals", "revenue", "assumptions", "bands"} <= set(
        data
    )
    assert sum(data["revenue"]) == pytest.approx(1_000_000)


def test_plan_with_an_unknown_scenario_names_the_key_and_exits_1(tiny_dir, capsys):
    assert main(["plan", str(tiny_dir), "--scenario", "nope"]) == 1
    err = capsys.readouterr().err
    assert "engagement.yaml, key scenarios" in err


def test_plan_simulate_must_not_be_negative(tiny_dir, capsys):
    assert main(["plan", str(tiny_dir), "--simulate", "-1"]) == 2


def test_content_json_keeps_the_contract_keys(tiny_dir, capsys):
    assert main(["content", str(tiny_dir), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"matrix", "gaps", "tracks", "untagged", "stale"}
    assert data["untagged"] == ["A4"] and data["stale"] == ["A2"]
    assert len(data["tracks"]) == 3 * 4


def test_score_on_too_little_history_says_what_is_missing(tiny_dir, capsys):
    assert main(["score", str(tiny_dir), "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err and "workbook score:" in captured.err


def test_score_out_writes_every_lead_score_and_json_keeps_the_contract_keys(tmp_path, capsys):
    import pandas as pd

    from workbook.synthetic import generate_engagement
    from workbook.synthetic import write_engagement as write_synthetic

    directory = write_synthetic(generate_engagement(n_leads=4000, seed=5), tmp_path / "e")
    out = tmp_path / "scores.csv"
    assert main(["score", str(directory), "--json", "--out", str(out)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {
        "target", "auc", "holdout", "threshold", "precision_at_threshold",
        "recall_at_threshold", "weights", "accounts",
    }  # fmt: skip
    assert data["target"] == "sql" and 0.5 < data["auc"] <= 1
    scores = pd.read_csv(out, dtype={"lead_id": str})
    assert list(scores.columns) == ["lead_id", "score"]
    leads = pd.read_csv(directory / "data" / "leads.csv", dtype={"lead_id": str})
    assert set(scores["lead_id"]) == set(leads["lead_id"])
    assert scores["score"].between(0, 1).all()


def test_importing_the_cli_leaves_the_environment_unchanged() -> None:
    # nothing is set at import time: not in the command, not in the kernels it starts
    script = (
        "import json, os; before = dict(os.environ); import workbook.cli; "
        "print(json.dumps(dict(os.environ) == before))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "true"


def test_figure_commands_print_their_whole_output(tiny_dir) -> None:
    result = run_command("kpis", str(tiny_dir), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["currency"] == "EUR"
    assert result.stderr == ""


def test_the_command_exits_1_for_input_with_errors(tmp_path) -> None:
    # CONTRACT section 2: exit 1 when the input has errors
    from tests.conftest import TINY_LEADS, write_engagement

    leads = TINY_LEADS.replace("L2,2026-01-06,", "L2,not a date,", 1)
    directory = write_engagement(tmp_path / "e", {"data/leads.csv": leads})
    result = run_command("validate", str(directory), "--json")
    assert result.returncode == 1, result.stderr
    audit = json.loads(result.stdout)
    assert audit["ok"] is False and audit["errors"][0]["row"] == 2


def test_a_reader_that_leaves_early_is_not_an_error(tmp_path) -> None:
    # `workbook validate DIR --json | head -c 10`: the reader leaves after 10 bytes of an
    # output larger than the pipe holds (a repeated e-mail on 2,000 leads: 1,000 records)
    from tests.conftest import TINY_LEADS, write_engagement

    repeats = "".join(
        f"R{i},2026-01-05,,,,,webinar,marketing,,,,,ann@alpha.example\n" for i in range(2000)
    )
    directory = write_engagement(tmp_path / "e", {"data/leads.csv": TINY_LEADS + repeats})
    command = subprocess.Popen(
        [sys.executable, "-m", "workbook", "validate", str(directory), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert command.stdout is not None and command.stderr is not None
    command.stdout.read(10)
    command.stdout.close()
    stderr = command.stderr.read().decode()
    assert command.wait(timeout=60) == 0
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr


def test_main_returns_its_exit_code_to_python_callers(tiny_dir, capsys) -> None:
    # main(argv) from Python (tests, notebooks) returns; it never ends the caller's process
    assert main(["validate", str(tiny_dir), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
