"""The figures register: one value per figure, saved and merged across phases."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from workbook.deliverables.notebook import NotebookContext, read_phase_outputs
from workbook.deliverables.register import (
    FIGURES_NAME,
    FigureConflictError,
    FigureRegister,
    merge_registers,
    merge_saved_registers,
)
from workbook.deliverables.summary import Finding


def test_add_returns_the_value_and_keeps_plain_json_types():
    register = FigureRegister()
    assert register.add("kpis.cac.value", np.float64(1234.5), unit="money", label="CAC") == 1234.5
    register.add("kickoff.leads", np.int64(20000), unit="count", label="Leads", count=20000)
    register.add("kpis.ltv_cac.ratio", float("nan"), unit="ratio", label="LTV:CAC")
    data = register.to_json()
    assert [f["key"] for f in data["figures"]] == [
        "kickoff.leads",
        "kpis.cac.value",
        "kpis.ltv_cac.ratio",
    ]
    by_key = {f["key"]: f for f in data["figures"]}
    assert (
        by_key["kickoff.leads"]["value"] == 20000 and type(by_key["kickoff.leads"]["value"]) is int
    )
    assert by_key["kpis.ltv_cac.ratio"]["value"] is None  # not measurable, never NaN
    json.dumps(data, allow_nan=False)  # strict JSON


def test_a_key_given_two_values_is_refused_and_the_same_value_twice_is_fine():
    register = FigureRegister()
    register.add("kpis.cac.value", 11985.0, unit="money", label="CAC")
    register.add("kpis.cac.value", 11985.0 + 1e-12, unit="money", label="CAC")
    assert len(register) == 1
    with pytest.raises(FigureConflictError, match="kpis.cac.value.*11985.0 and 10014.0"):
        register.add("kpis.cac.value", 10014.0, unit="money", label="CAC")
    with pytest.raises(ValueError, match="unit 'euros'"):
        register.add("x", 1, unit="euros", label="x")


def test_two_phases_merge_and_a_conflict_between_them_raises(tmp_path):
    mid, final = FigureRegister(), FigureRegister()
    mid.add(
        "kpis.ltv_cac.ratio", 20.9, unit="ratio", label="LTV:CAC", window="2025-12-01/2026-11-30"
    )
    final.add(
        "kpis.ltv_cac.ratio", 20.9, unit="ratio", label="LTV:CAC", window="2025-12-01/2026-11-30"
    )
    final.add("plan.budget.ltv_cac", 25.0, unit="ratio", label="Planned LTV:CAC")
    merged = merge_registers([mid, final])
    assert (
        merged.value("kpis.ltv_cac.ratio") == 20.9 and merged.value("plan.budget.ltv_cac") == 25.0
    )
    mid.save(tmp_path / "midpoint" / FIGURES_NAME)
    final.save(tmp_path / "final" / FIGURES_NAME)
    assert merge_saved_registers(tmp_path).to_json() == merged.to_json()
    wrong = FigureRegister()
    wrong.add("kpis.ltv_cac.ratio", 25.0, unit="ratio", label="LTV:CAC")
    wrong.save(tmp_path / "kickoff" / FIGURES_NAME)
    with pytest.raises(FigureConflictError, match="kpis.ltv_cac.ratio"):
        merge_saved_registers(tmp_path)
    assert merge_saved_registers(tmp_path / "nothing-here") is None


def test_save_and_load_round_trip(tmp_path):
    register = FigureRegister()
    register.add(
        "kpis.funnel.mql_sal.rate",
        0.455,
        unit="rate",
        label="MQL to SAL",
        count=812,
        low=0.42,
        high=0.49,
        grade="solid",
        window="2025-12-01/2026-11-30",
    )
    path = register.save(tmp_path / FIGURES_NAME)
    loaded = FigureRegister.load(path)
    assert loaded["kpis.funnel.mql_sal.rate"] == register["kpis.funnel.mql_sal.rate"]
    assert not list(tmp_path.glob(".*.tmp"))


def _context(outputs_dir):
    return NotebookContext(
        engagement=None,
        journeys=None,
        language="en",
        currency="EUR",
        seed=7,
        text=str,
        outputs_dir=outputs_dir,
    )


def test_finish_saves_figures_summary_and_tables_for_the_run(tmp_path):
    ctx = _context(tmp_path / "phase-outputs")
    ctx.register.add("final.budget.total", 1_200_000, unit="money", label="Budget")
    finding = Finding("Budget of 1.2M", "", "Approve it", "budget", "final.budget.total", 1.2e6)
    table = pd.DataFrame({"channel": ["events"], "share": [0.4]})
    folder = ctx.finish("final", summary=[finding], tables={"budget": table})
    assert folder == tmp_path / "phase-outputs" / "final"
    outputs = read_phase_outputs(tmp_path / "phase-outputs")
    assert outputs.register.value("final.budget.total") == 1_200_000
    assert outputs.summaries == {"final": [finding]}
    pd.testing.assert_frame_equal(outputs.tables["budget"], table)


def test_finish_outside_a_run_writes_nothing(tmp_path):
    ctx = _context(None)
    ctx.register.add("kickoff.leads", 3, unit="count", label="Leads")
    assert ctx.finish("kickoff") is None
    assert read_phase_outputs(tmp_path).register.to_json() == {"figures": []}
