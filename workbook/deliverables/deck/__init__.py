"""Editable PowerPoint decks, one per phase, in the client's template (issue 18).

:func:`write_deck` builds a phase's deck from what the run saved
(:func:`workbook.deliverables.notebook.read_phase_outputs`): a title slide, the executive
summary, one slide per finding with its native chart or table, and an appendix of method and
data notes. Modules by concern: :mod:`~workbook.deliverables.deck.template` (layouts by
placeholder type), :mod:`~workbook.deliverables.deck.charts` and
:mod:`~workbook.deliverables.deck.tables` (native shapes),
:mod:`~workbook.deliverables.deck.chart_map` (which chart a finding shows, from which data:
:mod:`~workbook.deliverables.deck.visuals`, :mod:`~workbook.deliverables.deck.table_visuals`),
:mod:`~workbook.deliverables.deck.phase_tables` (the tables the phases save for it),
:mod:`~workbook.deliverables.deck.storyline` (the slides), :mod:`~workbook.deliverables.deck.build`.
"""

from workbook.deliverables.deck.build import PHASES, DeckResult, write_deck
from workbook.deliverables.deck.chart_map import CHARTS
from workbook.deliverables.deck.phase_tables import DECK_TABLES

__all__ = ["CHARTS", "DECK_TABLES", "PHASES", "DeckResult", "write_deck"]
