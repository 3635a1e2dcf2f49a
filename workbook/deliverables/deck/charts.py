"""Native, editable PowerPoint charts: python-pptx chart objects holding their data.

A chart is described by a :class:`ChartVisual` (categories, named series, the unit of its
numbers) and drawn by :func:`add_chart` into a box of a slide. The chart keeps its data in
the deck (PowerPoint's "Edit Data" opens it), takes its colours and fonts from the template's
theme, and formats its numbers with :func:`workbook.deliverables.deck.formats.chart_number_format`.

Kinds: ``bar`` (horizontal clustered bars, first category on top), ``column`` (vertical
clustered columns), ``line`` (one line per series, e.g. months), ``tornado`` (horizontal
bars for the low and the high value of each assumption, drawn from ``base``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from pptx.chart.data import CategoryChartData
from pptx.enum.chart import (
    XL_AXIS_CROSSES,
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.dml import MSO_LINE
from pptx.util import Emu, Pt

from workbook.deliverables.deck.formats import chart_number_format
from workbook.deliverables.excel import FORMULA_TRIGGERS

#: The kinds of chart :func:`add_chart` draws.
CHART_KINDS = ("bar", "column", "line", "tornado")
#: Data labels are written on bars when a chart has at most this many categories.
MAX_LABELLED_CATEGORIES = 12
#: Past this many categories, axis labels are smaller and side-by-side bars go unlabelled.
CROWDED_CATEGORIES = 5
#: Space between two categories' bars, in % of a bar's width (thick bars hold their labels).
BAR_GAP = 60

_TYPES = {
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "tornado": XL_CHART_TYPE.BAR_CLUSTERED,
}


@dataclass(frozen=True)
class Box:
    """Where a shape goes on a slide, in EMU (914400 per inch)."""

    left: int
    top: int
    width: int
    height: int


@dataclass(frozen=True)
class ChartVisual:
    """A chart to draw: its data and how to read it.

    Attributes
    ----------
    kind : str
        One of :data:`CHART_KINDS`.
    title : str
        What the chart shows, in the deck's language.
    categories : tuple of str
        Category labels, in reading order (first on top for bars, first on the left else).
    series : tuple of (str, tuple of float or None)
        Each series' name and its values, one per category; None leaves a gap (a figure
        that could not be measured is never drawn as 0).
    unit : str
        ``rate``, ``count``, ``money``, ``days`` or ``ratio``: how the numbers are formatted.
    base : float or None
        ``tornado`` only: the value the bars start from (the plan's base total).
    """

    kind: str
    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]
    unit: str
    base: float | None = None


#: Put before a label that a spreadsheet would read as a formula: invisible, and it makes the
#: label text in the chart's embedded workbook (python-pptx writes it with xlsxwriter, which
#: stores a string starting with ``=`` as a live formula).
WORD_JOINER = "\u2060"


def as_text(label: str) -> str:
    """``label`` as a chart's workbook holds it: never a formula (CONTRACT section 4).

    >>> as_text("=1+2") == WORD_JOINER + "=1+2", as_text("Webinar")
    (True, 'Webinar')
    """
    label = str(label)
    return WORD_JOINER + label if label.startswith(FORMULA_TRIGGERS) else label


def chart_data(visual: ChartVisual, *, number_format: str) -> CategoryChartData:
    """The python-pptx chart data of ``visual`` (categories and series, in order); a label
    from the data that looks like a formula stays text (:func:`as_text`)."""
    data = CategoryChartData(number_format=number_format)
    data.categories = [as_text(category) for category in visual.categories]
    for name, values in visual.series:
        data.add_series(as_text(name), list(values), number_format=number_format)
    return data


def add_chart(
    shapes,
    visual: ChartVisual,
    box: Box,
    *,
    language: str,
    currency: str,
    font_size: int = 12,
):
    """Draw ``visual`` as a native chart into ``box`` of a slide's ``shapes``.

    Parameters
    ----------
    shapes : pptx.shapes.shapetree.SlideShapes
        ``slide.shapes``.
    visual : ChartVisual
    box : Box
    language : {"en", "fr"}
        Of the number formats.
    currency : str
    font_size : int
        Points, of the axis, legend and data labels (the title is 2 points larger).

    Returns
    -------
    pptx.chart.chart.Chart
        The chart (``shape.has_chart`` is True for its frame).

    Raises
    ------
    ValueError
        ``visual.kind`` is not one of :data:`CHART_KINDS`.
    """
    if visual.kind not in CHART_KINDS:
        raise ValueError(f"chart kind must be one of {', '.join(CHART_KINDS)}")
    number_format = chart_number_format(visual.unit, language=language, currency=currency)
    frame = shapes.add_chart(
        _TYPES[visual.kind],
        Emu(box.left),
        Emu(box.top),
        Emu(box.width),
        Emu(box.height),
        chart_data(visual, number_format=number_format),
    )
    chart = frame.chart
    chart.font.size = Pt(font_size)
    chart.has_title = True
    chart.chart_title.text_frame.text = visual.title
    chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(font_size + 2)
    chart.has_legend = len(visual.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    value_axis = chart.value_axis
    value_axis.has_major_gridlines = True
    value_axis.tick_labels.number_format = chart_number_format(
        visual.unit, language=language, currency=currency, axis=True
    )
    value_axis.tick_labels.number_format_is_linked = False
    if visual.kind in ("bar", "column"):
        chart.plots[0].gap_width = BAR_GAP
    if visual.kind in ("bar", "tornado"):
        # first category on top, the value axis still at the bottom, the names at the left
        # edge (not over a negative bar, nor over the tornado's bars around its base)
        chart.category_axis.reverse_order = True
        chart.category_axis.crosses = XL_AXIS_CROSSES.MAXIMUM
        chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    if visual.kind == "tornado":
        _as_tornado(chart, visual)
    elif visual.kind == "line":
        _as_lines(chart)
    if len(visual.categories) > CROWDED_CATEGORIES:
        chart.category_axis.tick_labels.font.size = Pt(font_size - 2)
    if _labelled(visual):
        _label_values(chart, number_format)
    return chart


def _as_tornado(chart, visual: ChartVisual) -> None:
    """Low and high bars on one row per assumption, both drawn from the base value."""
    plot = chart.plots[0]
    plot.overlap = 100
    plot.gap_width = 40
    if visual.base is None:
        return
    chart.value_axis.crosses_at = float(visual.base)
    values = [v for _, series in visual.series for v in series if v is not None]
    low, high = min([*values, visual.base]), max([*values, visual.base])
    span = high - low
    if span > 0:  # the axis around the bars, not from 0
        step = 10 ** math.floor(math.log10(span / 2))
        chart.value_axis.minimum_scale = math.floor((low - 0.2 * span) / step) * step
        chart.value_axis.maximum_scale = math.ceil((high + 0.2 * span) / step) * step


def _as_lines(chart) -> None:
    """Smooth-free lines; the second series (the reference, e.g. today's run-rate) dashed."""
    for k, series in enumerate(chart.plots[0].series):
        series.smooth = False
        series.format.line.width = Pt(2.25)
        if k > 0:
            series.format.line.dash_style = MSO_LINE.DASH


def _labelled(visual: ChartVisual) -> bool:
    """Whether bars carry their values: not lines, not crowded, not side by side when many
    (a tornado's two bars point apart, so their labels never meet)."""
    if visual.kind == "line" or len(visual.categories) > MAX_LABELLED_CATEGORIES:
        return False
    side_by_side = len(visual.series) > 1 and visual.kind != "tornado"
    return not side_by_side or len(visual.categories) <= CROWDED_CATEGORIES


def _label_values(chart, number_format: str) -> None:
    plot = chart.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = number_format
    labels.number_format_is_linked = False
    labels.show_value = True
    labels.position = XL_LABEL_POSITION.OUTSIDE_END


def series_values(chart) -> list[tuple[str, tuple[float | None, ...]]]:
    """Each series' name and values as the deck holds them (what a test compares)."""
    return [(series.name, tuple(series.values)) for series in chart.plots[0].series]


def categories_of(chart) -> Sequence[str]:
    """The chart's category labels, in order."""
    return list(chart.plots[0].categories)


__all__ = [
    "CHART_KINDS",
    "Box",
    "ChartVisual",
    "add_chart",
    "categories_of",
    "chart_data",
    "series_values",
]
