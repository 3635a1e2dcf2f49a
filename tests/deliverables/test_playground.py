"""The plan playground and the final report's quantitative section, executed headless."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import (
    NOTEBOOKS_DIR,
    SAMPLE_DIR,
    TINY_YAML,
    assert_report_sections,
    execute_notebook,
    outputs_text,
    write_engagement,
)
from workbook.analysis.plan import compute_plan, estimate_plan_inputs
from workbook.deliverables.final import build_final_quant
from workbook.deliverables.playground import playground_settings
from workbook.i18n import format_number
from workbook.intake.engagement import load_engagement

MY_NOTEBOOKS = ("playground.ipynb", "02_final_strategy.ipynb")


def parameters_source(name: str) -> str:
    nb = json.loads((NOTEBOOKS_DIR / name).read_text(encoding="utf-8"))
    (cell,) = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    return "".join(cell["source"])


@pytest.mark.parametrize("name", MY_NOTEBOOKS)
def test_notebook_shares_the_kickoff_parameters_cell_and_is_clean(name):
    nb = json.loads((NOTEBOOKS_DIR / name).read_text(encoding="utf-8"))
    assert parameters_source(name) == parameters_source("00_kickoff.ipynb")
    assert "interactive: bool = False" in parameters_source(name)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
        else:  # narration for analysts only; readers get the catalogue's words
            assert "remove_cell" in cell["metadata"].get("tags", [])


def test_playground_sliders_left_at_the_data_keep_data_and_moved_ones_override(tmp_path):
    engagement = load_engagement(write_engagement(tmp_path / "tiny"))
    inputs = estimate_plan_inputs(engagement)
    rates = {f"rate_{k}": float(r) for k, r in enumerate(inputs.rates)}
    untouched = playground_settings(
        inputs, revenue=1_000_000, avg_deal_size=50_000, ramp_months=3, **rates
    )
    assert untouched.avg_deal_size is None and dict(untouched.conversion) == {}
    moved = playground_settings(
        inputs, revenue=2_000_000, avg_deal_size=60_000, ramp_months=0, **(rates | {"rate_4": 0.4})
    )
    assert moved.avg_deal_size == 60_000 and dict(moved.conversion) == {"opportunity_won": 0.4}
    plan = compute_plan(inputs, moved)
    assert plan.sources["conversion.opportunity_won"] == "override"
    # 2,000,000 / 60,000 = 33.3 deals; / 0.4 = 83.3 opportunities
    assert plan.totals[-2:].tolist() == pytest.approx(
        [2_000_000 / 60_000 / 0.4, 2_000_000 / 60_000]
    )


@pytest.mark.notebook
def test_playground_renders_the_static_plan_headless(tmp_path):
    nb = execute_notebook("playground.ipynb", tmp_path, engagement_dir=str(SAMPLE_DIR))
    text = outputs_text(nb)
    assert "## Plan playground" in text
    assert "open this notebook in JupyterLab with interactive = True" in text
    total = build_final_quant(load_engagement(SAMPLE_DIR), simulate=0).plan.totals[0]
    assert format_number(total) in text  # the first-stage total in the plan table
    assert "Leads needed" in text and "Peak month need" in text
    assert re.search(r"First revenue from new leads: \w{3} \d{4}", text)
    assert text.count("data:image/png;base64") == 1
    assert 'alt="Leads the plan needs each month, by stage' in text


def test_moving_a_slider_recomputes_the_plan_in_place(tiny_dir, monkeypatch):
    """What an analyst sees in JupyterLab: sliders wired to the plan, each move recomputing it.

    Driven in-process: executing widgets under a headless kernel proved flaky (nbclient
    sometimes waits forever for a widget's output), and reports never use that path.
    """
    import ipywidgets as widgets

    from workbook.deliverables import playground

    engagement = load_engagement(tiny_dir)
    inputs = estimate_plan_inputs(engagement)
    controls = playground.playground_controls(inputs, language="en", currency="EUR")
    assert {"revenue", "avg_deal_size", "ramp_months", "rate_0"} <= set(controls)
    assert controls["revenue"].description.startswith("Revenue target (EUR)")
    shown = []
    monkeypatch.setattr("workbook.deliverables.display.display", lambda *objects: None)
    view = widgets.interactive_output(
        lambda **values: shown.append(
            playground.show_playground_plan(inputs, language="en", currency="EUR", **values)
        ),
        controls,
    )
    assert isinstance(view, widgets.Output)
    first = shown[-1].totals.copy()
    controls["revenue"].value = controls["revenue"].value * 2
    assert len(shown) == 2
    assert shown[-1].totals == pytest.approx(first * 2)
    controls["rate_0"].value = 0.5
    assert shown[-1].sources["conversion." + inputs.pairs[0]] == "override"


@pytest.mark.notebook
def test_final_strategy_shows_the_quantitative_model_with_its_meanings(tmp_path):
    nb = execute_notebook("02_final_strategy.ipynb", tmp_path, engagement_dir=str(SAMPLE_DIR))
    text = outputs_text(nb)
    # volumes, revenue, tornado, budget; plus the building blocks' charts (tracks, content,
    # performance, channels, scoring, roadmap)
    assert_report_sections(
        text,
        # each heading states its finding, under a stable anchor (final_headings.ANCHORS)
        tuple(
            f'id="{anchor}"'
            for anchor in (
                "plan",
                "plan-stages",
                "plan-volumes",
                "plan-reach",
                "plan-pipeline",
                "plan-bands",
                "plan-tornado",
                "budget",
                "ltv-cac",
                "scenarios",
                "tracks",
                "framework",
                "roadmap",
            )
        ),  # fmt: skip
        meanings=12,
        figures=10,
    )
    report = build_final_quant(load_engagement(SAMPLE_DIR), simulate=2000, seed=7)
    plan = report.plan
    assert f"takes {format_number(plan.totals[0])} leads entering the Inquiry stage" in text
    assert "can first bring revenue in Jan 2027" in text
    assert re.search(r"\d+\.\d% of the plan's leads \(€[\d,]+ of the target\)", text)
    low, high = (format_number(plan.bands[q][0]) for q in ("p10", "p90"))
    assert f"between {low} and {high} leads entering Inquiry" in text
    assert "LTV:CAC of" in text and "healthy 3× line" in text
    assert "No scenarios were defined for this engagement" in text


SCENARIOS = """\
scenarios:
  - name: prudent
    targets: {revenue: 600000}
    assumptions: {conversion: {opportunity_won: 0.3}}
  - name: webinars only
    budget: {mix: {webinar: 1}}
"""


@pytest.mark.notebook
def test_final_strategy_in_french_compares_the_scenarios(tmp_path):
    engagement = write_engagement(tmp_path / "tiny", {"engagement.yaml": TINY_YAML + SCENARIOS})
    nb = execute_notebook(
        "02_final_strategy.ipynb", tmp_path, engagement_dir=str(engagement), language="fr"
    )
    text = outputs_text(nb)
    assert '<h2 id="plan">L\'objectif de ' in text
    assert "Ce que cela signifie" in text and "What this means" not in text
    assert "Plan de base" in text and "prudent" in text and "webinars only" in text
    assert "Entre le plan de base et 2 scénarios" in text
    assert text.count("data:image/png;base64") >= 5  # the plan's charts and the scenario chart
    assert "1\u202f000\u202f000\u202f€" in text  # the base target, French typography
