"""The deck's storyline, slide by slide.

1. The title slide: the client, the phase, the as-of date.
2. The executive summary: the same findings, in the same order, as the report's summary.
3. One slide per finding: its action title (the finding as a sentence), the chart or table of
   its figure (:mod:`workbook.deliverables.deck.chart_map`) and the takeaway (what it means,
   the decision asked, the evidence).
4. The appendix: how the figures were measured, and each finding's figure with its window,
   its evidence and what it rests on.

Every word comes from the i18n catalogue or from the phase's saved findings and figures;
every number from the figures register or a saved table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Emu, Pt

from workbook.deliverables.deck.charts import Box, ChartVisual, add_chart
from workbook.deliverables.deck.formats import format_figure, format_window
from workbook.deliverables.deck.tables import TableVisual, add_table
from workbook.deliverables.deck.template import (
    BODIES,
    TITLES,
    DeckTemplate,
    content_box,
    place,
    placeholder_of,
)
from workbook.deliverables.register import FigureRegister
from workbook.deliverables.summary import Finding, grade_label
from workbook.i18n import format_date, format_number, text

#: Font sizes, in points: action titles, body text, a takeaway under a chart, captions.
TITLE_PT, BODY_PT, TAKEAWAY_PT, CAPTION_PT = 24, 16, 14, 12
#: Share of a finding slide's free area a chart (a table) takes; the takeaway has the rest.
CHART_SHARE, TABLE_SHARE = 0.72, 0.78
SUBTITLES = frozenset({PP_PLACEHOLDER.SUBTITLE})

#: One paragraph: its text, its outline level (0 or 1) and whether it is bold.
Line = tuple[str, int, bool]
#: Body text size by the length of what a text frame holds: (at most so many characters,
#: points); longer text is set smaller, so a full summary fits without relying on the
#: application to shrink it.
BODY_SIZES = ((400, 20), (800, 18), (1200, BODY_PT))
SMALLEST_PT = 14
#: The method notes of each phase's appendix (catalogue keys, in order).
PHASE_NOTES = {
    "kickoff": ("deck.appendix.as_exported", "deck.appendix.grades"),
    "midpoint": ("deck.appendix.rates", "deck.appendix.grades"),
    "final": ("deck.appendix.rates", "deck.appendix.grades"),
}


def fitting_size(lines: Sequence[Line]) -> int:
    """The body text size (points) for ``lines``: smaller for longer text."""
    length = sum(len(words) for words, _, _ in lines)
    return next((size for most, size in BODY_SIZES if length <= most), SMALLEST_PT)


def write_lines(shape, lines: Sequence[Line], *, size: int | None = None) -> None:
    """Write ``lines`` into a shape's text frame (a placeholder keeps its bullets and fonts;
    the sizes are set so that the text fits: ``size`` points, by default
    :func:`fitting_size`, second-level lines 3 points smaller)."""
    size = size or fitting_size(lines)
    frame = shape.text_frame
    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    for k, (words, level, bold) in enumerate(lines):
        paragraph = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        paragraph.level = level
        run = paragraph.add_run()
        run.text = words
        run.font.size = Pt(size if level == 0 else size - 3)
        run.font.bold = bold


def _text_box(slide, box: Box, lines: Sequence[Line], *, size: int | None = None):
    shape = slide.shapes.add_textbox(Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height))
    write_lines(shape, lines, size=size)
    return shape


def _body(
    slide,
    template: DeckTemplate,
    lines: Sequence[Line],
    *,
    box: Box | None = None,
    size: int | None = None,
):
    """Write ``lines`` into the slide's body placeholder, or a text box where it would be."""
    body = placeholder_of(slide, BODIES)
    if body is None:
        return _text_box(slide, box or content_box(template, slide), lines, size=size)
    if box is not None:
        place(body, box)
    write_lines(body, lines, size=size)
    return body


def _title(slide, words: str, *, size: int | None = None) -> None:
    title = placeholder_of(slide, TITLES)
    title.text_frame.text = words
    title.text_frame.word_wrap = True
    if size is not None:
        title.text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
        for run in title.text_frame.paragraphs[0].runs:
            run.font.size = Pt(size)


def title_slide(
    template: DeckTemplate, *, client: str, phase_title: str, as_of: dt.date, language: str
):
    """Slide 1: the client as the title; the phase and the as-of date beneath."""
    slide = template.presentation.slides.add_slide(template.layouts["title"])
    _title(slide, client)
    lines: list[Line] = [
        (phase_title, 0, False),
        (text("subtitle", language, as_of=format_date(as_of, language)), 0, False),
    ]
    subtitle = placeholder_of(slide, SUBTITLES)
    if subtitle is not None:
        write_lines(subtitle, lines, size=BODY_PT + 4)
    else:
        _body(slide, template, lines)
    return slide


def _evidence(finding: Finding, register: FigureRegister, language: str) -> str:
    """``Evidence: solid, based on 1,234``."""
    words = f"{text('grade.title', language)} {grade_label(finding.grade, language)}"
    figure = register[finding.figure] if finding.figure in register else None
    if figure is not None and figure.count is not None:
        count = format_number(figure.count, language)
        words += f", {text('grade.count', language, count=count)}"
    return words


def summary_slide(
    template: DeckTemplate,
    findings: Sequence[Finding],
    register: FigureRegister,
    *,
    language: str,
):
    """Slide 2: each finding's headline, then the decision asked and its evidence."""
    slide = template.presentation.slides.add_slide(template.layouts["content"])
    _title(slide, text("summary.title", language))
    lines: list[Line] = []
    for finding in findings:
        lines.append((finding.headline, 0, True))
        detail = _evidence(finding, register, language)
        if finding.decision:
            detail = f"{text('summary.decision', language)} {finding.decision} ({detail})"
        lines.append((detail, 1, False))
    if not findings:
        lines.append((text("summary.none", language), 0, False))
    _body(slide, template, lines)
    return slide


def takeaway_lines(finding: Finding, register: FigureRegister, *, language: str) -> list[Line]:
    """What a finding slide says under its chart."""
    lines: list[Line] = []
    if finding.consequence:
        lines.append((f"{text('summary.consequence', language)} {finding.consequence}", 0, False))
    if finding.decision:
        lines.append((f"{text('summary.decision', language)} {finding.decision}", 0, True))
    if finding.figure in register:  # a chart of a saved table (the tornado) has no grade
        lines.append((_evidence(finding, register, language), 1, False))
    return lines


def finding_slide(
    template: DeckTemplate,
    finding: Finding,
    visual: ChartVisual | TableVisual | None,
    register: FigureRegister,
    *,
    language: str,
    currency: str,
):
    """A finding: its sentence as the action title, its chart or table, the takeaway."""
    slide = template.presentation.slides.add_slide(template.layouts["title_only"])
    _title(slide, finding.headline, size=TITLE_PT)
    area = content_box(template, slide)
    lines = takeaway_lines(finding, register, language=language)
    if visual is None:
        _body(slide, template, lines, box=area)
        return slide
    share = CHART_SHARE if isinstance(visual, ChartVisual) else TABLE_SHARE
    chart_height = int(area.height * share)
    drawn = Box(area.left, area.top, area.width, chart_height)
    gap = area.height // 40
    below = Box(
        area.left, area.top + chart_height + gap, area.width, area.height - chart_height - gap
    )
    if isinstance(visual, ChartVisual):
        add_chart(slide.shapes, visual, drawn, language=language, currency=currency)
    else:
        caption_height = int(Pt(CAPTION_PT * 2))
        _text_box(
            slide,
            Box(drawn.left, drawn.top, drawn.width, caption_height),
            [(visual.title, 0, True)],
            size=CAPTION_PT,
        )
        table_box = Box(drawn.left, drawn.top + caption_height, drawn.width,
                        drawn.height - caption_height)  # fmt: skip
        add_table(slide.shapes, visual, table_box, language=language, currency=currency)
    _body(slide, template, lines, box=below, size=TAKEAWAY_PT)
    return slide


def appendix_lines(
    findings: Sequence[Finding],
    register: FigureRegister,
    *,
    phase: str,
    as_of: dt.date,
    language: str,
    currency: str,
) -> list[Line]:
    """The appendix: the method notes, then each finding's figure and what it rests on."""
    lines: list[Line] = [
        (text("deck.appendix.source", language, as_of=format_date(as_of, language)), 0, False),
        *((text(key, language), 0, False) for key in PHASE_NOTES[phase]),
    ]
    keys = list(dict.fromkeys(f.figure for f in findings if f.figure in register))
    if not keys:
        lines.append((text("deck.appendix.no_figures", language), 0, False))
        return lines
    lines.append((text("deck.appendix.figures", language), 0, True))
    for key in keys:
        figure = register[key]
        words = text(
            "deck.appendix.figure",
            language,
            label=figure.label,
            value=format_figure(figure, language=language, currency=currency),
        )
        details = [format_window(figure.window, language=language)]
        if figure.count is not None:
            details.append(
                text("grade.count", language, count=format_number(figure.count, language))
            )
        if figure.grade:
            details.append(grade_label(figure.grade, language))
        details = [d for d in details if d]
        if details:
            words += f" ({text('deck.appendix.separator', language).join(details)})"
        lines.append((words, 1, False))
    return lines


def appendix_slide(
    template: DeckTemplate,
    findings: Sequence[Finding],
    register: FigureRegister,
    *,
    phase: str,
    as_of: dt.date,
    language: str,
    currency: str,
):
    """The last slide: method and data notes."""
    slide = template.presentation.slides.add_slide(template.layouts["content"])
    _title(slide, text("deck.appendix.title", language))
    lines = appendix_lines(
        findings, register, phase=phase, as_of=as_of, language=language, currency=currency
    )
    _body(slide, template, lines)
    return slide


__all__ = [
    "appendix_lines",
    "appendix_slide",
    "finding_slide",
    "summary_slide",
    "takeaway_lines",
    "title_slide",
    "write_lines",
]
