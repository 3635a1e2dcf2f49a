"""Tests for workbook.deliverables.final and final_text: the final report's quantitative section.

Values on the bundled sample (no overrides, no scenarios: every assumption from the data),
pinned from the report as delivered, plus the identities that tie the tables to the plan;
a copy with a scenario and overrides checks the side-by-side table and the sources.
"""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from tests.conftest import SAMPLE_DIR
from workbook.deliverables.final import assumptions_table, build_final_quant
from workbook.deliverables.final_text import (
    budget_figures,
    final_quant_sentences,
    reach_figures,
    tornado_labels,
)
from workbook.intake.engagement import load_engagement

SCENARIO_YAML = """
scenarios:
  - name: conservative
    description: Lower win rate
    targets: {revenue: 5000000}
    assumptions: {conversion: {opportunity_won: 0.22}}
"""


@pytest.fixture(scope="module")
def sample_quant():
    return build_final_quant(load_engagement(SAMPLE_DIR), simulate=0)


def test_assumptions_are_the_rates_and_lags_the_plan_used_and_where_they_came_from(
    sample_quant,
):
    table = sample_quant.assumptions
    assert list(zip(table["from"], table["to"], strict=True)) == [
        ("inquiry", "mql"),
        ("mql", "sal"),
        ("sal", "sql"),
        ("sql", "opportunity"),
        ("opportunity", "won"),
    ]
    np.testing.assert_allclose(table["rate"], sample_quant.plan.conversion)
    np.testing.assert_allclose(
        table["rate"], [0.243712, 0.455447, 0.598063, 0.542845, 0.282516], atol=5e-7
    )
    assert list(table["lag_days"]) == [11.0, 6.0, 21.0, 15.0, 73.0]
    assert set(table["rate_from"]) == set(table["lag_from"]) == {"data"}
    french = assumptions_table(sample_quant.plan, language="fr")
    assert set(french["rate_from"]) == {"données du client"}


def test_the_gap_compares_each_stages_peak_need_with_todays_run_rate(sample_quant):
    gap = sample_quant.gap.set_index("stage")
    assert list(gap.index) == list(sample_quant.plan.stages)
    inquiry = gap.loc["inquiry"]
    assert inquiry["run_rate"] == pytest.approx(933.0)
    assert inquiry["peak_required"] == pytest.approx(1572.327621, abs=1e-6)
    assert inquiry["peak_month"] == pd.Timestamp("2026-12-01")
    assert inquiry["max_gap"] == pytest.approx(inquiry["peak_required"] - 933.0)
    np.testing.assert_allclose(gap["lift"], gap["peak_required"] / gap["run_rate"])
    assert list(gap["months_above"]) == [12, 12, 12, 12, 12, 9]


def test_the_sentences_quote_the_plans_figures(sample_quant):
    means = final_quant_sentences(sample_quant, language="en", currency="EUR")
    assert means["plan"] == (
        "To source €6,000,000 over 12 months from Jan 2027 (3 months of ramp-up), the plan "
        "needs 120 won deals at €50,160 each, which takes 11,749 leads entering the Inquiry "
        "stage at today's conversion rates."
    )
    assert means["assumptions"].startswith("All 11 assumptions come from the client's data; ")
    assert "1,572 leads a month entering Inquiry (Dec 2026) against 933 today" in means["volumes"]
    assert means["bands"] == (
        "The plan's uncertainty bands (a low and a high case) were not computed for this report."
    )
    assert means["scenarios"].startswith("No scenarios were defined for this engagement, ")
    assert sample_quant.plan.totals[0] == pytest.approx(11749.215276, abs=1e-6)


def test_reach_and_budget_figures_are_formatted_for_the_reader(sample_quant):
    reach = reach_figures(sample_quant, language="en", currency="EUR")
    assert list(reach.columns) == ["figure", "value"]
    assert list(reach["value"]) == [
        "Oct 2026",
        "Jan 2027",
        "Jan 2027",
        "1.8%",
        "€878,479",
        "16.6",
        "10,029",
    ]
    budget = budget_figures(sample_quant, language="en", currency="EUR")
    assert dict(zip(budget["figure"], budget["value"], strict=True)) == {
        "Budget": "€1,197,874",
        "Budget after pipeline credit": "€1,022,489",
        "Average cost per lead": "€102",
        "Planned CAC": "€10,014",
        "LTV": "€250,802",
        "Planned LTV:CAC": "25.0",
        "Planned CAC payback (months)": "3.2",
    }


def test_the_tornado_names_its_assumptions_as_the_reader_does(sample_quant):
    tornado = sample_quant.tornado
    assert tornado["swing"].is_monotonic_decreasing
    labels = tornado_labels(tornado.head(3), stages=sample_quant.plan.stages, language="en")
    assert labels == ["Average deal size", "Opportunity → Won rate", "SQL → Opportunity rate"]


def test_a_scenario_sits_beside_the_base_plan_with_its_overrides(tmp_path):
    folder = tmp_path / "acme"
    shutil.copytree(SAMPLE_DIR, folder)
    with (folder / "engagement.yaml").open("a", encoding="utf-8") as file:
        file.write(SCENARIO_YAML)
    quant = build_final_quant(load_engagement(folder), simulate=0)
    scenarios = quant.scenarios
    assert scenarios["scenario"].isna().tolist() == [True, False]  # the base plan first
    assert scenarios["scenario"].iloc[1] == "conservative"
    assert list(scenarios["description"]) == ["", "Lower win rate"]
    base, conservative = scenarios.iloc[0], scenarios.iloc[1]
    assert base["revenue"] == 6_000_000 and conservative["revenue"] == 5_000_000
    # fewer deals of the same size at a lower win rate: more leads per deal
    assert conservative["won"] == pytest.approx(base["won"] * 5 / 6)
    assert conservative["first_total"] / conservative["won"] > base["first_total"] / base["won"]
    means = final_quant_sentences(quant, language="en", currency="EUR")
    assert "conservative" in means["scenarios"].lower()
