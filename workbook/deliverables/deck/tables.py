"""Native PowerPoint tables from DataFrames, with the reports' column specs.

A table is described by a :class:`TableVisual`: the frame and its columns as
:func:`workbook.deliverables.table_columns.table_columns` gives them (frame column -> header in
the deck's language, display kind). :func:`add_table` writes every cell as text formatted
as :func:`workbook.deliverables.display.format_cell` does for the HTML reports, so a French
table reads ``12,3 %`` and ``1 234 €``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Pt

from workbook.deliverables.deck.charts import Box
from workbook.deliverables.display import NUMERIC_KINDS, format_cell, shown_columns

#: Columns never get narrower than this share of the table's width.
MIN_COLUMN_SHARE = 0.08
#: Space above and below a cell's text, in points.
CELL_MARGIN_PT = 2
#: A row's height at most, in lines of text (a longer cell makes its row grow).
ROW_LINES = 2.4


@dataclass(frozen=True)
class TableVisual:
    """A table to draw.

    Attributes
    ----------
    title : str
        What the table shows (written above it), in the deck's language.
    frame : DataFrame
        The rows, raw values (numbers as numbers).
    columns : mapping of str to (str, str)
        Frame column -> (header, kind), in display order; kinds are the keys of
        :data:`workbook.deliverables.display.FORMATTERS`.
    """

    title: str
    frame: pd.DataFrame
    columns: Mapping[str, tuple[str, str]]


def shown(visual: TableVisual) -> dict[str, tuple[str, str]]:
    """The columns the table shows (:func:`workbook.deliverables.display.shown_columns`)."""
    return shown_columns(visual.frame, visual.columns)


def cell_texts(visual: TableVisual, *, language: str, currency: str) -> list[list[str]]:
    """The table's text, header row first, as :func:`add_table` writes it.

    Cells read as in the HTML reports (:func:`workbook.deliverables.display.format_cell`):
    a missing figure in words, no e-mail address; columns the frame does not have, or
    number columns with no figure at all, are left out.
    """
    columns = shown(visual)
    rows = [[header for header, _ in columns.values()]]
    for record in visual.frame[list(columns)].itertuples(index=False, name=None):
        rows.append(
            [
                format_cell(value, kind, language=language, currency=currency)
                for value, (_, kind) in zip(record, columns.values(), strict=True)
            ]
        )
    return rows


def add_table(
    shapes,
    visual: TableVisual,
    box: Box,
    *,
    language: str,
    currency: str,
    font_size: int = 11,
):
    """Draw ``visual`` as a native table into ``box`` of a slide's ``shapes``.

    Column widths follow the length of their longest text; numbers are right-aligned.

    Returns
    -------
    pptx.table.Table
        The table (``shape.has_table`` is True for its frame).
    """
    texts = cell_texts(visual, language=language, currency=currency)
    kinds = [kind for _, kind in shown(visual).values()]
    n_rows, n_cols = len(texts), len(texts[0])
    frame = shapes.add_table(
        n_rows, n_cols, Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height)
    )
    table = frame.table
    for j, width in enumerate(_column_widths(texts, box.width)):
        table.columns[j].width = Emu(width)
    # rows no taller than a line and its margins need (a short table stays compact)
    row_height = Emu(max(1, min(box.height // n_rows, int(Pt(font_size * ROW_LINES)))))
    for i, row in enumerate(texts):
        table.rows[i].height = row_height
        for j, value in enumerate(row):
            cell = table.cell(i, j)
            cell.text = value
            cell.margin_top = cell.margin_bottom = Pt(CELL_MARGIN_PT)
            paragraph = cell.text_frame.paragraphs[0]
            if kinds[j] in NUMERIC_KINDS:
                paragraph.alignment = PP_ALIGN.RIGHT
            for run in paragraph.runs:
                run.font.size = Pt(font_size)
                run.font.bold = i == 0
    return table


def _column_widths(texts: list[list[str]], total: int) -> list[int]:
    """Widths proportional to each column's longest text (a floor for short ones)."""
    longest = [max(len(row[j]) for row in texts) for j in range(len(texts[0]))]
    shares = [max(n / max(sum(longest), 1), MIN_COLUMN_SHARE) for n in longest]
    scale = total / sum(shares)
    widths = [int(share * scale) for share in shares]
    widths[-1] += total - sum(widths)
    return widths


__all__ = ["TableVisual", "add_table", "cell_texts"]
