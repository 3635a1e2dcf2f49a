"""The deck's charts and tables (issue 18): each builder of workbook.deliverables.deck.visuals,
fed the tables the phases save, shaped as the real ones (built on the tiny engagement and saved
and read back through ctx.finish / read_phase_outputs), draws a native python-pptx chart or
table whose data is the register's or the table's values."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from pptx import Presentation
from pptx.util import Inches

from tests.conftest import write_engagement
from workbook.analysis.content.matrix import content_matrix
from workbook.analysis.reconcile import mix_comparison
from workbook.deliverables.deck import CHARTS, DECK_TABLES, write_deck
from workbook.deliverables.deck.chart_map import chart_source, visual_for
from workbook.deliverables.deck.charts import Box, ChartVisual, add_chart, series_values
from workbook.deliverables.deck.formats import chart_number_format
from workbook.deliverables.deck.sections import section_findings
from workbook.deliverables.deck.tables import TableVisual, add_table, cell_texts
from workbook.deliverables.deck.visuals import ladder_steps
from workbook.deliverables.final import build_final_quant
from workbook.deliverables.midpoint import build_midpoint
from workbook.deliverables.midpoint_facts import attribution_shares
from workbook.deliverables.midpoint_tables import scorecard_table
from workbook.deliverables.notebook import NotebookContext, PhaseOutputs, read_phase_outputs
from workbook.deliverables.register import FigureRegister
from workbook.intake.engagement import load_engagement

BOX = Box(int(Inches(0.5)), int(Inches(1.5)), int(Inches(9)), int(Inches(5)))
NNBSP = "\u202f"


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


def _deck_columns(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Only the columns DECK_TABLES promises (proves the builders need no other)."""
    columns = DECK_TABLES[name][0]
    if name in ("attribution", "budget"):  # every model column; one mix may be missing
        return frame
    return frame[list(columns)] if columns else frame


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """The tiny engagement's figures and tables, saved by two phases and read back."""
    root = tmp_path_factory.mktemp("deck")
    engagement = load_engagement(write_engagement(root / "tiny"))
    midpoint = build_midpoint(engagement)
    quant = build_final_quant(engagement, simulate=0)
    mid = _context(root / "phase-outputs")
    for row in midpoint.kpis.funnel.itertuples(index=False):
        pair = f"{row[0]}_{row[1]}"
        mid.register.add(f"kpis.funnel.{pair}.rate", row.rate, unit="rate", label="Rate")
        mid.register.add(
            f"kpis.velocity.{pair}.median_days", row.median_days, unit="days", label="Days"
        )
        mid.register.add(f"kpis.health.leakage.{pair}", 1 - row.rate, unit="rate", label="Lost")
    for row in midpoint.kpis.channels.itertuples(index=False):
        roi = None if pd.isna(row.roi) else row.roi
        mid.register.add(f"kpis.channels.{row.channel}.roi", roi, unit="ratio", label="ROI")
    mid.register.add("kpis.ltv_cac.ratio", midpoint.kpis.economics.ratio, unit="ratio", label="L")
    tables = {
        "scorecard": scorecard_table(midpoint, language="en", currency="EUR"),
        "attribution": attribution_shares(midpoint.kpis.attribution),
    }
    mid.finish("midpoint", tables={k: _deck_columns(k, v) for k, v in tables.items()})
    final = _context(root / "phase-outputs")
    final.register.add("plan.totals.mql", float(quant.plan.totals[1]), unit="count", label="M")
    final.register.add("final.tornado.swing", float(quant.tornado["swing"].iloc[0]),
                       unit="count", label="Swing")  # fmt: skip
    matrix = content_matrix(
        engagement.content,
        personas=engagement.config.personas,
        buying_stages=engagement.config.buying_stages,
    )
    tables = {
        "plan_schedule": quant.schedule,
        "budget": mix_comparison(quant.budget.costs, quant.budget.allocation),
        "tornado": quant.tornado,
        "content_matrix": matrix,
    }
    final.finish("final", tables={k: _deck_columns(k, v) for k, v in tables.items()})
    return read_phase_outputs(root / "phase-outputs"), midpoint, quant, matrix


def _draw(visual):
    """The native shape of ``visual`` on a fresh slide, read back from the saved deck."""
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    if isinstance(visual, ChartVisual):
        return add_chart(slide.shapes, visual, BOX, language="en", currency="EUR")
    return add_table(slide.shapes, visual, BOX, language="en", currency="EUR")


def _values(values):
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in values]


def test_ladder_steps_order_pairs_and_split_stage_names_holding_underscores():
    steps = ladder_steps(["sql_won", "marketing_lead_sql", "inquiry_marketing_lead"])
    assert steps == [
        ("inquiry_marketing_lead", "inquiry", "marketing_lead"),
        ("marketing_lead_sql", "marketing_lead", "sql"),
        ("sql_won", "sql", "won"),
    ]
    # the whole-funnel pair (first stage -> won) is not a step
    assert [p for p, _, _ in ladder_steps(["mql_won", "inquiry_mql", "inquiry_won"])] == [
        "inquiry_mql",
        "mql_won",
    ]


def test_the_funnel_chart_holds_the_registers_rates_in_funnel_order(saved):
    outputs, midpoint, _, _ = saved
    visual, missing = visual_for("kpis.funnel.mql_sal.rate", outputs, language="en",
                                 currency="EUR")  # fmt: skip
    assert missing is None
    chart = _draw(visual)
    assert list(chart.plots[0].categories) == [
        "Inquiry → MQL", "MQL → SAL", "SAL → SQL", "SQL → Opportunity", "Opportunity → Won"
    ]  # fmt: skip
    [(name, values)] = series_values(chart)
    assert name == "Conversion rate"
    assert list(values) == pytest.approx(midpoint.kpis.funnel["rate"].tolist())
    assert chart.plots[0].data_labels.number_format == "0.0%"


@pytest.mark.parametrize(
    ("key", "column", "series"),
    [
        ("kpis.velocity.sal_sql.median_days", "median_days", "Median days"),
        ("kpis.health.leakage.mql_sal", "rate", "Lost at this step"),
    ],
)
def test_velocity_and_leakage_charts_hold_the_registers_figures(saved, key, column, series):
    outputs, midpoint, _, _ = saved
    visual, _ = visual_for(key, outputs, language="en", currency="EUR")
    [(name, values)] = series_values(_draw(visual))
    expected = midpoint.kpis.funnel[column].to_numpy(float)
    assert name == series
    assert list(values) == pytest.approx(list(1 - expected if column == "rate" else expected))


def test_the_channel_chart_ranks_the_registers_figures_and_leaves_out_unmeasured_ones(saved):
    outputs, midpoint, _, _ = saved
    channels = midpoint.kpis.channels.dropna(subset=["roi"]).sort_values("roi", ascending=False)
    visual, _ = visual_for("kpis.channels.webinar.roi", outputs, language="en", currency="EUR")
    chart = _draw(visual)
    [(name, values)] = series_values(chart)
    assert name == "ROI (×)"
    assert list(values) == pytest.approx(channels["roi"].tolist())
    assert len(list(chart.plots[0].categories)) == len(channels)


def test_the_attribution_chart_has_one_series_per_model_with_the_tables_shares(saved):
    outputs, midpoint, _, _ = saved
    shares = attribution_shares(midpoint.kpis.attribution)
    visual, _ = visual_for("kpis.attribution.webinar", outputs, language="en", currency="EUR")
    chart = _draw(visual)
    held = dict(series_values(chart))
    assert list(held) == ["First touch", "Last touch", "Linear", "Position-based (40/20/40)",
                          "Markov (removal effect)"]  # fmt: skip
    assert _values(held["First touch"]) == pytest.approx(_values(shares["first_touch"].tolist()))
    assert list(chart.plots[0].categories)[0] == "Webinar"


def test_the_scorecard_is_a_native_table_of_the_saved_scorecards_cells(saved):
    outputs, midpoint, _, _ = saved
    visual, _ = visual_for("kpis.ltv_cac.ratio", outputs, language="en", currency="EUR")
    table = _draw(visual)
    card = scorecard_table(midpoint, language="en", currency="EUR")
    assert [table.cell(0, j).text for j in range(3)] == ["KPI", "Figure", "Detail"]
    assert [table.cell(i + 1, 1).text for i in range(len(card))] == card["figure"].tolist()
    assert table.cell(len(card), 0).text == "LTV:CAC"


def test_the_plan_chart_shows_the_keys_stage_needed_each_month_against_its_run_rate(saved):
    outputs, _, quant, _ = saved
    visual, _ = visual_for("plan.totals.mql", outputs, language="en", currency="EUR")
    chart = _draw(visual)
    mql = quant.schedule.loc[quant.schedule["stage"] == "mql"]
    held = dict(series_values(chart))
    assert list(held["Needed for the plan"]) == pytest.approx(mql["gross"].tolist())
    assert list(held["Today's run-rate"]) == pytest.approx(mql["run_rate"].tolist())
    assert list(chart.plots[0].categories)[0] == "Aug 2026"
    assert chart.chart_title.text_frame.text.startswith("Leads needed entering MQL")


def test_the_budget_chart_sets_todays_mix_beside_the_plans(saved):
    outputs, _, quant, _ = saved
    mix = mix_comparison(quant.budget.costs, quant.budget.allocation)
    visual, _ = visual_for("plan.budget.net_total", outputs, language="en", currency="EUR")
    held = dict(series_values(_draw(visual)))
    today = "Today: share of spend on the plan's channels"
    assert list(held) == [today, "Plan: share of budget"]
    assert _values(held[today]) == pytest.approx(_values(mix["today_spend_share"].tolist()))
    assert _values(held["Plan: share of budget"]) == pytest.approx(
        _values(mix["plan_budget_share"].tolist())
    )


def test_without_spend_the_budget_chart_compares_shares_of_leads(saved):
    outputs, _, quant, _ = saved
    mix = mix_comparison(quant.budget.costs, quant.budget.allocation)
    unpriced = mix.assign(today_spend_share=float("nan"), plan_budget_share=float("nan"))
    leads = type(outputs)(outputs.register, {}, {"budget": unpriced})
    visual, _ = visual_for("plan.budget.net_total", leads, language="fr", currency="EUR")
    assert [name for name, _ in visual.series] == [
        "Aujourd'hui\u00a0: part des leads",
        "Plan\u00a0: part des leads",
    ]
    assert visual.series[1][1] == pytest.approx(tuple(mix["plan_lead_share"]))


def test_the_tornado_draws_low_and_high_totals_from_the_base_total(saved):
    outputs, _, quant, _ = saved
    visual, _ = visual_for("final.tornado.swing", outputs, language="en", currency="EUR")
    chart = _draw(visual)
    held = dict(series_values(chart))
    low = held["Assumption at its low value"]
    assert list(low) == pytest.approx(quant.tornado["total_at_low"].tolist())
    high = held["Assumption at its high value"]
    assert list(high) == pytest.approx(quant.tornado["total_at_high"].tolist())
    assert chart.value_axis.crosses_at == pytest.approx(quant.tornado["base_total"].iloc[0])
    assert list(chart.plots[0].categories)[0] == "Opportunity → Won rate"
    assert chart.chart_title.text_frame.text == "What moves the leads needed at Inquiry most"


def test_the_content_matrix_is_a_native_table_of_counts_by_persona_and_buying_stage(saved):
    outputs, _, _, matrix = saved
    visual, _ = visual_for("content.gaps", outputs, language="en", currency="EUR")
    table = _draw(visual)
    header = [table.cell(0, j).text for j in range(len(matrix.columns) + 1)]
    assert header == ["Persona", "Awareness", "Consideration", "Decision", "Retention"]
    assert table.cell(1, 0).text == "Economic buyer"
    assert [table.cell(1, j + 1).text for j in range(4)] == [str(v) for v in matrix.iloc[0]]


def test_a_missing_table_or_column_gives_no_chart_and_says_why(saved):
    outputs, _, _, _ = saved
    empty = type(outputs)(register=outputs.register, summaries={}, tables={})
    visual, missing = visual_for("final.budget.total", empty, language="en", currency="EUR")
    assert visual is None
    assert missing == "no chart for figure final.budget.total: no phase saved a table 'budget'"
    wrong = type(outputs)(
        register=outputs.register,
        summaries={},
        tables={"budget": pd.DataFrame({"channel": ["events"], "share": [0.4]})},
    )
    visual, missing = visual_for("final.budget.total", wrong, language="en", currency="EUR")
    assert visual is None and "has no column 'today_lead_share'" in missing
    assert visual_for("kickoff.rows.read", outputs, language="en", currency="EUR") == (None, None)


def test_every_table_a_chart_reads_is_listed_with_its_columns():
    assert {s.table for s in CHARTS if s.table} == set(DECK_TABLES)
    assert chart_source("plan.budget.total").table == "budget"  # the longest prefix wins
    assert chart_source("plan.totals.inquiry").table == "plan_schedule"


def test_a_table_cell_says_not_measurable_rather_than_nan_and_hides_e_mails():
    frame = pd.DataFrame({"channel": ["email", "a.b@acme.example"], "share": [float("nan"), 0.25]})
    columns = {"channel": ("Canal", "pretty"), "share": ("Part", "percent")}
    visual = TableVisual("t", frame, columns)
    assert cell_texts(visual, language="fr", currency="EUR") == [
        ["Canal", "Part"],
        ["E-mail", "non mesurable"],
        ["[e-mail retiré]", "25,0\u202f%"],
    ]


@pytest.mark.parametrize(
    ("unit", "english", "french"),
    [
        ("rate", "0.0%", f'0.0"{NNBSP}"%'),
        ("count", "#,##0", f'[>=1000000]#"{NNBSP}"###"{NNBSP}"##0;[>=1000]#"{NNBSP}"##0;0'),
        ("money", '"€"#,##0', f'[>=1000000]#"{NNBSP}"###"{NNBSP}"##0"{NNBSP}€";'
                              f'[>=1000]#"{NNBSP}"##0"{NNBSP}€";0"{NNBSP}€"'),
    ],
)  # fmt: skip
def test_chart_number_formats_spell_french_separators_out(unit, english, french):
    assert chart_number_format(unit, language="en", currency="EUR") == english
    assert chart_number_format(unit, language="fr", currency="EUR") == french


def _register_outputs(figures: dict[str, tuple[float | None, str]]):
    register = FigureRegister()
    for key, (value, unit) in figures.items():
        register.add(key, value, unit=unit, label="Figure")
    return PhaseOutputs(register=register, summaries={}, tables={})


def test_the_service_level_chart_orders_the_hand_over_steps_it_has():
    outputs = _register_outputs(
        {
            "final.sla.sal_sql.compliance_rate": (0.62, "rate"),
            "final.sla.inquiry_mql.compliance_rate": (0.91, "rate"),
            "final.sla.mql_sal.compliance_rate": (0.74, "rate"),
            "final.sla.mql_sal.median_days": (3.0, "days"),
        }
    )
    visual, _ = visual_for("final.sla.mql_sal.compliance_rate", outputs, language="fr",
                           currency="EUR")  # fmt: skip
    assert visual.categories == ("Demande → MQL", "MQL → SAL", "SAL → SQL")
    assert visual.series == (("Dans le délai convenu", (0.91, 0.74, 0.62)),)


def test_kickoff_channel_shares_chart_every_channel_but_not_the_marketing_total():
    outputs = _register_outputs(
        {
            "kickoff.mix.webinar.lead_share": (0.25, "rate"),
            "kickoff.mix.paid_search.lead_share": (0.6, "rate"),
            "kickoff.mix.events.lead_share": (None, "rate"),
            "kickoff.mix.marketing_share": (0.85, "rate"),
            "kpis.funnel.inquiry_mql.naive_rate": (0.23, "rate"),
            "kpis.funnel.mql_won.naive_rate": (0.1, "rate"),
        }
    )
    visual, _ = visual_for("kickoff.mix.webinar.lead_share", outputs, language="en",
                           currency="EUR")  # fmt: skip
    assert visual.categories == ("Paid search", "Webinar")  # largest first, unmeasured out
    assert visual.series == (("Share of leads", (0.6, 0.25)),)
    assert visual.title == "Share of leads by channel"
    funnel, _ = visual_for("kpis.funnel.mql_won.naive_rate", outputs, language="en",
                           currency="EUR")  # fmt: skip
    assert funnel.categories == ("Inquiry → MQL", "MQL → Won")
    assert funnel.series == (("Share reached next stage", (0.23, 0.1)),)


def test_sections_with_a_chart_get_their_own_slide_titled_with_the_heading(saved, tmp_path):
    outputs = saved[0]
    sections = {
        "rates": "Opportunity to won converts at 28.3%",
        "velocity": "Won deals take 135 days",
        "stuck": "652 leads are stuck",  # no chart: no slide
    }
    final_sections = {
        "tornado": "Deal size moves the plan most",
        "volumes": "The plan peaks in Dec",
    }
    phase_dir = tmp_path / "outputs"
    mid = _context(phase_dir)
    mid.finish("midpoint", sections=sections, takeaways={"rates": "Sales keep 28% of deals."})
    final = _context(phase_dir)
    final.finish("final", sections=final_sections, tables=dict(outputs.tables))
    saved_sections = read_phase_outputs(phase_dir)
    with_register = PhaseOutputs(
        register=outputs.register,
        summaries={"midpoint": [], "final": []},
        tables=outputs.tables,
        sections=saved_sections.sections,
    )
    found = section_findings("midpoint", with_register)
    assert [(f.headline, f.consequence) for f in found] == [
        ("Opportunity to won converts at 28.3%", "Sales keep 28% of deals."),
        ("Won deals take 135 days", ""),
    ]
    assert found[0].figure.startswith("kpis.funnel.") and found[1].figure.startswith(
        "kpis.velocity."
    )
    # a chart the summary already shows is not repeated
    shown = [chart_source("kpis.funnel.x.rate")]
    assert [f.section for f in section_findings("midpoint", with_register, shown=shown)] == [
        "velocity"
    ]
    result = write_deck("final", with_register, tmp_path / "final.pptx", client="Tiny",
                        as_of=dt.date(2026, 6, 30), language="en", currency="EUR")  # fmt: skip
    slides = list(Presentation(str(result.path)).slides)
    titles = [s.shapes.title.text_frame.text for s in slides if s.shapes.title is not None]
    assert "The plan peaks in Dec" in titles and "Deal size moves the plan most" in titles
    charts = [shape for s in slides for shape in s.shapes if shape.has_chart]
    assert len(charts) == 2  # plan volumes and tornado, native charts


def test_the_leak_finding_draws_the_won_deals_each_step_loses_when_the_register_has_them():
    # The leak to fix is the step whose losses cost the most won deals (workbook.analysis.leaks):
    # the slide's chart shows that measure, not the share of leads lost (which would make the
    # first step, losing 75% of leads, look like the leak).
    register = FigureRegister()
    for pair, lost, won_lost in (("inquiry_mql", 0.75, None), ("mql_sal", 0.55, 12.0),
                                 ("sal_sql", 0.3, 5.0), ("sql_opportunity", 0.2, 3.0),
                                 ("opportunity_won", 0.70, 40.0)):  # fmt: skip
        register.add(f"kpis.health.leakage.{pair}", lost, unit="rate", label="Lost")
        if won_lost is not None:
            register.add(f"midpoint.leaks.{pair}.won_lost", won_lost, unit="count", label="Won")
    outputs = PhaseOutputs(register=register, summaries={}, tables={})
    visual, _ = visual_for("kpis.health.leakage.opportunity_won", outputs, language="en",
                           currency="EUR")  # fmt: skip
    assert (
        visual.title
        == "Won deals lost at each step after qualification: the leak to fix loses the most"
    )
    [(name, values)] = series_values(_draw(visual))
    assert name == "Won deals lost" and list(values) == [12.0, 5.0, 3.0, 40.0]
