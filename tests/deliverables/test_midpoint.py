"""Tests for the mid-point report: workbook.deliverables.midpoint, workbook.analysis.benchmarks, the mid-point charts,
its catalogue and notebooks/01_midpoint_insights.ipynb (executed headlessly on the sample)."""

from __future__ import annotations

import ast
import html
import json
import re
import string
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from tests.conftest import (
    NOTEBOOKS_DIR,
    SAMPLE_DIR,
    execute_notebook,
    outputs_text,
    write_engagement,
)
from workbook.analysis.benchmarks import compare_to_benchmarks
from workbook.analysis.journeys import build_journeys
from workbook.deliverables import plots
from workbook.deliverables.midpoint import build_midpoint, funnel_shape, stuck_opportunities
from workbook.deliverables.midpoint_facts import attribution_shares, step_label
from workbook.deliverables.midpoint_headings import ANCHORS
from workbook.deliverables.midpoint_tables import (
    benchmark_table,
    executive_table,
    midpoint_next_steps,
    operations_table,
    sales_table,
    scorecard_table,
)
from workbook.deliverables.midpoint_text import midpoint_sentences
from workbook.i18n import pretty, text
from workbook.i18n.catalogue import midpoint as midpoint_catalogue
from workbook.intake.benchmarks import load_benchmarks
from workbook.intake.engagement import load_engagement

NOTEBOOK = NOTEBOOKS_DIR / "01_midpoint_insights.ipynb"
KICKOFF = NOTEBOOKS_DIR / "00_kickoff.ipynb"


@pytest.fixture(scope="module")
def tiny_report(tmp_path_factory):
    engagement = load_engagement(write_engagement(tmp_path_factory.mktemp("mid") / "tiny"))
    return engagement, build_midpoint(engagement)


# --- figures -----------------------------------------------------------------------------------


def test_funnel_shape_multiplies_the_step_rates_and_names_the_glass():
    funnel = pd.DataFrame(
        {
            "from": ["inquiry", "mql", "sal", "sql", "opportunity"],
            "to": ["mql", "sal", "sql", "opportunity", "won"],
            "rate": [0.2, 0.4, 0.6, 0.5, 0.25],
        }
    )
    shape = funnel_shape(funnel)
    assert shape["reach_share"].round(6).tolist() == [1.0, 0.2, 0.08, 0.048, 0.024, 0.006]
    # judged on mql->sal, sal->sql, sql->opportunity: 0.4 < 0.5 -> martini
    assert shape["qualified_step"].tolist() == [False, False, True, True, True, False]
    assert shape.attrs["glass"] == "martini"
    funnel["rate"] = [0.05, 0.7, 0.6, 0.5, 0.1]  # qualify hard at the top, keep the rest
    assert funnel_shape(funnel).attrs["glass"] == "pint"


def test_tiny_midpoint_is_a_pint_glass_with_one_stuck_opportunity(tiny_report):
    _, report = tiny_report
    # qualified steps 0.8, 0.75, 1.0 (tests/analysis/test_kpis.py): all keep at least half
    assert report.glass == "pint"
    assert report.shape["reach_share"].iloc[-1] == pytest.approx(5 / 6 * 0.8 * 0.75 * 1.0 / 3)
    # the leak to fix (workbook.analysis.leaks): opportunity -> won loses 2 of 3 opportunities,
    # each a won deal, more than sal -> sql's 25% of 4 leads x 1 x 1/3 won after it
    assert report.biggest_leak == ("opportunity", "won", pytest.approx(2 / 3))
    # O4 open since 2026-03-15 (107 days) > 59 days, the opportunity stage's p90 time to win
    opps = report.stuck_opportunities
    assert opps["opportunity_id"].tolist() == ["O4"]
    assert opps["age_days"].tolist() == [107.0]
    assert "email" not in opps.columns


def test_stuck_opportunities_counts_deals_closed_after_as_of_as_open():
    opportunities = pd.DataFrame(
        {
            "opportunity_id": ["A", "B", "C", "D"],
            "account_id": ["X", "X", "Y", "Z"],
            "created_at": pd.to_datetime(["2026-01-01", "2026-01-01", "2026-06-01", "2026-01-01"]),
            "closed_at": pd.to_datetime([None, "2026-08-01", None, "2026-03-01"]),
            "status": ["open", "won", "open", "lost"],
            "amount": [1.0, 2.0, 3.0, 4.0],
            "sourced_by": ["sales"] * 4,
            "product": ["Core"] * 4,
        }
    )
    out = stuck_opportunities(opportunities, as_of=pd.Timestamp("2026-06-30"), threshold_days=60)
    assert out["opportunity_id"].tolist() == ["B", "A"]  # C is 29 days old, D closed
    assert out["age_days"].tolist() == [180.0, 180.0]
    assert stuck_opportunities(
        opportunities, as_of=pd.Timestamp("2026-06-30"), threshold_days=None
    ).empty


def test_attribution_shares_sum_to_one_per_model(tiny_report):
    _, report = tiny_report
    shares = attribution_shares(report.kpis.attribution)
    assert shares.columns.tolist() == [
        "channel",
        "first_touch",
        "last_touch",
        "linear",
        "position_based",
        "markov",
    ]
    assert np.allclose(shares.iloc[:, 1:].sum(), 1.0)
    assert shares.set_index("channel").loc["webinar", "first_touch"] == 1.0
    assert attribution_shares(None) is None


def test_stakeholder_tables_format_in_the_report_language(tiny_report):
    _, report = tiny_report
    en = scorecard_table(report, language="en", currency="EUR")
    fr = scorecard_table(report, language="fr", currency="EUR")
    assert len(en) == len(fr) == 7
    # lift 50000 / 130000 = 38.5 %; LTV:CAC = 250000 / 21500.5 = 11.6, always one decimal
    # (midpoint_facts.format_ratio: the mid-point, the final and Excel show the same digits)
    assert en.loc[0, "figure"] == "38.5%" and fr.loc[0, "figure"] == "38,5\u202f%"
    assert en.loc[6, "figure"] == "11.6" and fr.loc[6, "figure"] == "11,6"
    execs = executive_table(report, language="fr", currency="EUR")
    assert execs.loc[0, "figure"] == "130\u202f000\u202f€"
    ops = operations_table(report)
    assert ops["leakage"].round(6).tolist() == [0.166667, 0.2, 0.25, 0.0, 0.666667]
    assert ops["stuck_count"].tolist() == [0, 0, 1, 0, 1]
    sales = sales_table(report)
    assert sales["sourced_by"].tolist() == ["marketing", "sales"]
    assert sales["win_rate"].tolist() == [1.0, 0.5]


def test_every_finding_has_a_sentence_in_both_languages(tiny_report):
    _, report = tiny_report
    en = midpoint_sentences(report, language="en", currency="EUR")
    fr = midpoint_sentences(report, language="fr", currency="EUR")
    assert en.keys() == fr.keys()
    assert {"scorecard", "shape", "rates", "leakage", "stuck", "velocity", "sources"} <= en.keys()
    assert {"levers", "attribution", "cohort", "benchmarks", "executive", "sales"} <= en.keys()
    assert "pint glass" in en["shape"] and "verre à bière" in fr["shape"]
    assert "38.5%" in en["scorecard"] and "38,5\u202f%" in fr["scorecard"]
    # the tiny levers: too few won deals for any advice (analysis.channel_advice)
    assert en["levers"].startswith("Advice weighs first-touch return")
    assert "shift budget" not in " ".join(en.values())
    for sentence in fr.values():
        assert not re.search(r"\d\.\d", sentence), sentence  # decimal commas only
        assert "{" not in sentence and "nan" not in sentence.lower()
    steps = midpoint_next_steps(report, language="fr")
    assert steps and all(isinstance(s, str) and s for s in steps)


def test_midpoint_catalogue_has_the_same_keys_and_placeholders_in_both_languages():
    def names(template: str) -> set[str]:
        return {n for _, n, _, _ in string.Formatter().parse(template) if n}

    en, fr = midpoint_catalogue.TEXT["en"], midpoint_catalogue.TEXT["fr"]
    assert en.keys() == fr.keys()
    assert all(key.startswith("mid.") for key in en)
    for key in en:
        assert names(en[key]) == names(fr[key]), key
    assert text("mid.chart.cohort", "fr", stage="SQL").startswith("Part de chaque cohorte")


# --- benchmarks --------------------------------------------------------------------------------


def test_bundled_benchmarks_are_sourced_flagged_and_illustrative():
    bench = load_benchmarks()
    assert len(bench) >= 10
    assert (bench["status"] == "illustrative").all()
    assert bench["source"].str.len().gt(0).all()
    assert bench["url"].str.startswith("https://").all()
    assert bench["quality"].isin(["low", "medium", "high"]).all()
    assert ((bench["low"] <= bench["typical"]) & (bench["typical"] <= bench["high"])).all()
    rates = bench.loc[bench["metric"] == "conversion_rate", ["low", "high"]]
    assert ((rates >= 0) & (rates <= 1)).all().all()
    assert set(bench["metric"]) == {"conversion_rate", "cycle_days"}


def test_client_figures_are_placed_against_each_benchmark_range(tiny_report):
    engagement, report = tiny_report
    bench = pd.DataFrame(
        {
            "metric": ["conversion_rate", "conversion_rate", "cycle_days", "conversion_rate"],
            "from_stage": ["inquiry", "mql", "opportunity", "nurture"],
            "to_stage": ["mql", "sql", "won", "won"],
            "segment": ["x"] * 4,
            "low": [0.1, 0.5, 30.0, 0.1],
            "typical": [0.2, 0.6, 60.0, 0.2],
            "high": [0.3, 0.7, 90.0, 0.3],
            "source": ["s"] * 4,
            "url": ["https://example.org"] * 4,
            "quality": ["low"] * 4,
            "status": ["illustrative"] * 4,
            "note": [""] * 4,
        }
    )
    out = compare_to_benchmarks(bench, build_journeys(engagement), horizon_days=365)
    assert len(out) == 3  # "nurture" is not a stage of this ladder
    # inquiry -> mql 5/6 (above 0.3). mql -> sql, exits competing: L5 at 5 d, L4 at 9 d, L1 at
    # 10 d reach sql, L2 exits at 16 d, L3 open: CIF 1/5 + (4/5)(1/4) + (3/5)(1/3) = 0.6 (within).
    # opportunity -> won: median 59 days (within 30..90).
    assert out["client"].round(4).tolist() == [0.8333, 0.6, 59.0]
    assert out["position"].tolist() == ["above", "within", "within"]
    table = benchmark_table(report, language="fr")
    assert {"step", "range", "client", "position", "source", "quality"} <= set(table.columns)
    assert table["quality"].isin(["faible", "moyenne", "élevée"]).all()


# --- charts ------------------------------------------------------------------------------------


def test_every_midpoint_chart_has_a_title_and_labelled_axes(tiny_report):
    _, report = tiny_report
    k = report.kpis
    figures = [
        plots.funnel_glass_chart(report.shape, language="fr"),
        plots.rates_chart(k.funnel, language="fr"),
        plots.leakage_chart(k.funnel, highlight=report.biggest_leak, language="fr"),
        plots.velocity_curves_chart(k.curves, k.velocity, horizon_days=365, language="fr"),
        plots.incidence_curves_chart(
            dict(k.source_curves), horizon_days=365, title="SQL", language="fr"
        ),
        plots.win_rate_chart(k.by_source, language="fr"),
        plots.channel_return_chart(k.channels, currency="EUR", language="fr"),
        plots.attribution_chart(attribution_shares(k.attribution), language="fr"),
        plots.cohort_heatmap(report.cohort, stage=report.cohort_stage, language="fr"),
        plots.benchmark_chart(report.benchmarks, language="fr"),
        plots.lift_trend_chart(report.lift_by_month, currency="EUR", language="fr"),
    ]
    for fig in figures:
        axes = [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]
        title = fig._suptitle.get_text() if fig._suptitle else axes[0].get_title(loc="left")
        assert title, fig
        main = axes[0]
        assert main.get_xlabel() or main.get_ylabel()
    assert "EUR" in figures[6].axes[0].get_ylabel()


# --- the notebook ------------------------------------------------------------------------------


def test_midpoint_notebook_hygiene_and_parameters_match_the_kickoff():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    kickoff = nbformat.read(KICKOFF, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"

    def parameters(book):
        cells = [c for c in book.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(cells) == 1
        return cells[0].source

    assert parameters(nb) == parameters(kickoff)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
            tree = ast.parse(cell.source)
            assert not any(isinstance(n, ast.FunctionDef | ast.ClassDef) for n in ast.walk(tree))
        else:
            assert "remove_cell" in cell.metadata.get("tags", [])  # analyst notes only


@pytest.mark.notebook
@pytest.mark.parametrize("language", ["en", "fr"])
def test_midpoint_notebook_runs_headless_on_the_sample(tmp_path: Path, language: str):
    nb = execute_notebook(
        NOTEBOOK.name, tmp_path, engagement_dir=str(SAMPLE_DIR), language=language
    )
    body = outputs_text(nb)
    assert not any(o.output_type == "error" for c in nb.cells for o in c.get("outputs", []))
    assert "@" not in body  # no e-mail address (or any personal field) in the report
    means = text("label.means", language)
    # the executive summary first, then every section under its stable anchor
    assert body.startswith('<section id="executive-summary"')
    for anchor in ANCHORS.values():
        assert f'id="{anchor}"' in body, anchor
    # the audience pages' headings state their finding, not their topic
    step = step_label("opportunity", "won", language)
    for key in ("mid.exec", "mid.ops", "mid.sales", "mid.conclusions"):
        assert f">{text(key, language)}<" not in body, key
    plain = html.unescape(body)
    assert text("mid.head.conclusions", language, step=step) in plain
    assert text("mid.head.audiences", language, step=step) in plain
    # the leak chart plots the rule's measure (won deals lost), not the share of leads lost
    assert text("mid.chart.leak_cost", language) in plain
    assert text("mid.chart.leakage", language) not in plain
    assert (
        text(
            "mid.head.leaks",
            language,
            step=step_label("opportunity", "won", language),
            won="464",
        )
        in body
    )
    assert body.count(means) >= 15  # one "what this means" after each finding
    assert body.count("data:image/png;base64") == 11  # every chart rendered
    if language == "fr":
        assert "Ce que cela signifie" in body
        assert "\u202f%" in body and "\u202f€" in body
        assert "Demande" in body and "Inquiry" not in body
    else:
        assert "What this means" in body
    # the sample's story: paid social takes the most spend for the least return, named in
    # the report's language
    assert pretty("paid_social", language) in body
    if language == "fr":
        assert "Paid social" not in body
    json.dumps(nb.metadata.get("papermill", {}).get("parameters", {}))


@pytest.mark.notebook
def test_sparse_midpoint_leaves_out_an_all_zero_skipped_stage_table(tmp_path: Path):
    # the sparse sample has no lead that skipped a stage: one sentence says so, no table
    engagement = load_engagement(SAMPLE_DIR.parent / "sparse_client")
    assert int(build_midpoint(engagement).kpis.skipped["skipped_count"].sum()) == 0
    nb = execute_notebook(
        NOTEBOOK.name, tmp_path, engagement_dir=str(SAMPLE_DIR.parent / "sparse_client")
    )
    body = html.unescape(outputs_text(nb))
    assert text("mid.col.skipped", "en") not in body
    assert "no lead skipped a stage in the CRM" in body
    for topic in ("Attribution models side by side", "Channel return and acquisition cost",
                  "The same figures, by audience", "Executive page", "Sales page",
                  "Conclusions and next steps"):  # fmt: skip
        assert f">{topic}<" not in body, topic
