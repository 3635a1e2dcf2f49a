"""The phase decks (issue 18): workbook.deliverables.deck.write_deck.

A deck opens with python-pptx; slide 1 names the client, the phase and the as-of date; slide 2
is the executive summary (the findings' headlines, in the report's order); each finding has its
slide with its sentence as the title and a native chart holding the register's values; the
appendix closes it. A client's template keeps its theme and size, and a template that lacks a
layout gives a deck and a warning. French decks are French.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import pandas as pd
import pytest
from pptx import Presentation
from pptx.util import Emu

from workbook.deliverables.deck import write_deck
from workbook.deliverables.deck.template import open_template
from workbook.deliverables.notebook import PhaseOutputs
from workbook.deliverables.register import FigureRegister
from workbook.deliverables.summary import Finding

AS_OF = dt.date(2026, 9, 30)
RATES = {"inquiry_mql": 0.2437, "mql_sal": 0.4554, "sal_sql": 0.5981, "sql_opportunity": 0.5428,
         "opportunity_won": 0.2825}  # fmt: skip
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")


def _outputs(*, scorecard: bool = True) -> PhaseOutputs:
    register = FigureRegister()
    for pair, rate in RATES.items():
        register.add(f"kpis.funnel.{pair}.rate", rate, unit="rate", label="Step rate",
                     count=4727, window="2025-10-01/2026-09-30", grade="solid")  # fmt: skip
    register.add("kpis.ltv_cac.ratio", 20.9, unit="ratio", label="LTV:CAC", count=155,
                 grade="indicative")  # fmt: skip
    register.add("plan.totals.inquiry", 11749.2, unit="count", label="Inquiries the plan needs")
    findings = [
        Finding(
            "Sales accept 45.5% of MQLs",
            "The biggest leak.",
            "Agree an acceptance SLA.",
            "leaks",
            "kpis.funnel.mql_sal.rate",
            900.0,
        ),  # fmt: skip
        Finding(
            "LTV:CAC is 20.9",
            "Room to spend.",
            "Raise the budget.",
            "kpis",
            "kpis.ltv_cac.ratio",
            500.0,
            "indicative",
        ),  # fmt: skip
        Finding(
            "The plan needs 11,749 inquiries",
            "Twice today's pace.",
            "Fund the top.",
            "plan",
            "plan.totals.inquiry",
            300.0,
        ),  # fmt: skip
    ]
    tables = {}
    if scorecard:
        tables["scorecard"] = pd.DataFrame(
            {"kpi": ["LTV:CAC"], "figure": ["20.9"], "detail": ["CAC €11,985"]}
        )
    return PhaseOutputs(register=register, summaries={"midpoint": findings}, tables=tables)


def _texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def _write(tmp_path, name="deck.pptx", **options):
    settings = {"client": "ACME Industrial", "as_of": AS_OF, "language": "en",
                "currency": "EUR", **options}  # fmt: skip
    outputs = settings.pop("outputs", None) or _outputs()
    result = write_deck("midpoint", outputs, tmp_path / name, **settings)
    return result, Presentation(str(result.path))


def test_the_deck_opens_with_title_summary_one_slide_per_finding_and_the_appendix(tmp_path):
    result, deck = _write(tmp_path)
    slides = list(deck.slides)
    assert result.slide_count == len(slides) == 1 + 1 + 3 + 1
    assert _texts(slides[0]) == ["ACME Industrial", "Mid-point insights\nData as of 2026-09-30"]
    ranked = [f.headline for f in _outputs().summaries["midpoint"]]  # the report's order
    assert slides[1].shapes.title.text == "Executive summary"
    body = next(s for s in slides[1].placeholders if s.placeholder_format.idx == 1)
    bold = [p.text for p in body.text_frame.paragraphs if p.runs[0].font.bold]
    assert bold == ranked == ["Sales accept 45.5% of MQLs", "LTV:CAC is 20.9",
                              "The plan needs 11,749 inquiries"]  # fmt: skip
    assert [s.shapes.title.text for s in slides[2:5]] == ranked
    assert slides[-1].shapes.title.text == "Appendix: method and data notes"
    appendix = "\n".join(_texts(slides[-1]))
    assert "Step rate: 45.5% (from 2025-10-01 to 2026-09-30; based on 4,727; solid)" in appendix
    assert "LTV:CAC: 20.9 (based on 155; indicative)" in appendix


def test_a_findings_chart_is_a_native_chart_holding_the_registers_values(tmp_path):
    _, deck = _write(tmp_path)
    slide = list(deck.slides)[2]
    [chart] = [shape.chart for shape in slide.shapes if shape.has_chart]
    [series] = chart.plots[0].series
    assert list(series.values) == list(RATES.values())
    assert list(chart.plots[0].categories)[1] == "MQL → SAL"
    takeaway = "\n".join(_texts(slide))
    assert "What it means: The biggest leak." in takeaway
    assert "Decision asked: Agree an acceptance SLA." in takeaway
    assert "Evidence: solid, based on 4,727" in takeaway
    # the scorecard finding shows the saved scorecard as a native table
    [table] = [shape.table for shape in list(deck.slides)[3].shapes if shape.has_table]
    assert [table.cell(1, j).text for j in range(3)] == ["LTV:CAC", "20.9", "CAC €11,985"]


def test_a_finding_whose_table_was_not_saved_keeps_its_words_and_the_run_is_told(tmp_path):
    result, deck = _write(tmp_path, outputs=_outputs(scorecard=False))
    slide = list(deck.slides)[3]
    assert not any(shape.has_chart or shape.has_table for shape in slide.shapes)
    assert "Decision asked: Raise the budget." in "\n".join(_texts(slide))
    assert result.warnings == (
        "no chart for figure kpis.ltv_cac.ratio: no phase saved a table 'scorecard'",
        "no chart for figure plan.totals.inquiry: no phase saved a table 'plan_schedule'",
    )


def test_the_deck_carries_no_developer_text(tmp_path):
    _, deck = _write(tmp_path)
    for slide in deck.slides:
        for words in _texts(slide):
            assert not SNAKE.search(words), words
            assert not re.search(r"\bNone\b|\bnan\b", words), words


def _template(tmp_path, *, drop: tuple[str, ...] = ()) -> str:
    """A client template: 16:9, Georgia headings, an example slide, ``drop`` layouts removed."""
    template = Presentation()
    template.slide_width, template.slide_height = Emu(12192000), Emu(6858000)
    template.slides.add_slide(template.slide_layouts[0]).shapes.title.text = "Example"
    for name in drop:
        layout = next(x for x in template.slide_layouts if x.name == name)
        template.slide_layouts.remove(layout)
    plain = tmp_path / "plain.pptx"
    template.save(str(plain))
    path = tmp_path / "template.pptx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "ppt/theme/theme1.xml":
                data = data.replace(b'<a:majorFont><a:latin typeface="Calibri"',
                                    b'<a:majorFont><a:latin typeface="Georgia"')  # fmt: skip
            target.writestr(item, data)
    return path


def test_a_client_template_keeps_its_theme_and_size_and_drops_its_example_slides(tmp_path):
    result, deck = _write(tmp_path, template=_template(tmp_path))
    assert [w for w in result.warnings if "template" in w] == []
    assert (deck.slide_width, deck.slide_height) == (12192000, 6858000)
    assert result.slide_count == 6
    assert list(deck.slides)[0].shapes.title.text == "ACME Industrial"
    with zipfile.ZipFile(result.path) as saved:
        theme = saved.read("ppt/theme/theme1.xml")
    assert b'<a:majorFont><a:latin typeface="Georgia"' in theme
    # the chart fits the wider slide
    [chart] = [s for s in list(deck.slides)[2].shapes if s.has_chart]
    assert chart.left + chart.width <= deck.slide_width


def test_layouts_are_found_by_placeholder_types_not_position_or_name(tmp_path):
    template = Presentation()
    for k, layout in enumerate(template.slide_layouts):
        layout.name = f"Mise en page {k}"
    order = template.slide_layouts.element  # the title slide's layout moves last
    first = order[0]
    order.remove(first)
    order.append(first)
    assert template.slide_layouts[0].name == "Mise en page 1"
    reordered = tmp_path / "reordered.pptx"
    template.save(str(reordered))
    layouts = open_template(reordered).layouts
    assert {role: layout.name for role, layout in layouts.items()} == {
        "title": "Mise en page 0",
        "content": "Mise en page 1",  # an object placeholder beats a section header's text
        "title_only": "Mise en page 5",
    }


def test_a_template_without_a_title_only_layout_gives_a_deck_and_a_warning(tmp_path):
    path = _template(tmp_path, drop=("Title Only",))
    result, deck = _write(tmp_path, template=path)
    [warning] = [w for w in result.warnings if "template" in w]
    assert warning.startswith(f"{path}: has no title only (a title and no other placeholder)")
    assert "'Title and Content' layout" in warning
    slide = list(deck.slides)[2]
    assert slide.slide_layout.name == "Title and Content"
    assert any(shape.has_chart for shape in slide.shapes)
    assert "Decision asked: Agree an acceptance SLA." in "\n".join(_texts(slide))


def test_an_unreadable_template_gives_way_to_the_built_in_one_with_a_warning(tmp_path):
    broken = tmp_path / "template.pptx"
    broken.write_bytes(b"not a presentation")
    result, deck = _write(tmp_path, template=broken)
    assert result.warnings[0].startswith(f"{broken}: cannot be read as a PowerPoint file")
    assert result.slide_count == 6 and deck.slide_width == 9144000


def test_a_french_deck_has_french_words_and_number_formats(tmp_path):
    _, deck = _write(tmp_path, language="fr")
    slides = list(deck.slides)
    assert _texts(slides[0]) == [
        "ACME Industrial",
        "Enseignements de mi-parcours\nDonnées au 30/09/2026",
    ]
    assert slides[1].shapes.title.text == "Synthèse"
    assert slides[-1].shapes.title.text == "Annexe\u00a0: méthode et notes sur les données"
    appendix = "\n".join(_texts(slides[-1]))
    assert (
        "Step rate\u00a0: 45,5\u202f% (du 01/10/2025 au 30/09/2026\u00a0; sur 4\u202f727\u00a0; solide)"
        in appendix
    )
    [chart] = [s.chart for s in slides[2].shapes if s.has_chart]
    assert list(chart.plots[0].categories) == [
        "Demande → MQL", "MQL → SAL", "SAL → SQL", "SQL → Opportunité", "Opportunité → Gagné"
    ]  # fmt: skip
    assert chart.plots[0].data_labels.number_format == '0.0"\u202f"%'
    assert chart.value_axis.tick_labels.number_format == '0"\u202f"%'
    assert "Décision demandée\u00a0: Agree an acceptance SLA." in "\n".join(_texts(slides[2]))


def test_a_failed_write_leaves_the_previous_deck_and_no_partial_file(tmp_path, monkeypatch):
    path = tmp_path / "deck.pptx"
    path.write_bytes(b"previous deck")

    def broken_save(self, file):
        open(file, "wb").write(b"half a deck")
        raise OSError("disk full")

    monkeypatch.setattr("pptx.presentation.Presentation.save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        _write(tmp_path)
    assert path.read_bytes() == b"previous deck"
    assert [p.name for p in tmp_path.iterdir()] == ["deck.pptx"]


def test_an_unknown_phase_is_refused():
    with pytest.raises(ValueError, match="phase must be one of kickoff, midpoint, final"):
        write_deck("closing", _outputs(), "x.pptx", client="A", as_of=AS_OF, language="en",
                   currency="EUR")  # fmt: skip


def test_the_kickoff_appendix_says_its_shares_are_as_exported(tmp_path):
    outputs = _outputs()
    kickoff = PhaseOutputs(outputs.register, {"kickoff": outputs.summaries["midpoint"]}, {})
    result = write_deck("kickoff", kickoff, tmp_path / "k.pptx", client="A", as_of=AS_OF,
                        language="en", currency="EUR")  # fmt: skip
    slides = list(Presentation(str(result.path)).slides)
    assert _texts(slides[0])[1] == "Kickoff: the week-zero baseline\nData as of 2026-09-30"
    appendix = "\n".join(_texts(slides[-1]))
    assert "Kickoff shares are counted as the data was exported" in appendix
    assert "Conversion rates count a lead still open" not in appendix
