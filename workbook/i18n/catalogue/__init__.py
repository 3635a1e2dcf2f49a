"""The text catalogue, one module per report; :mod:`workbook.i18n` merges them.

Each module defines ``TEXT = {"en": {...}, "fr": {...}}``. Keys are unique across modules
(``tests/i18n/test_i18n.py`` checks both languages hold the same keys and placeholders).
"""

from workbook.i18n.catalogue import (
    common,
    deck,
    excel,
    findings_final,
    findings_kickoff,
    findings_midpoint,
    kickoff,
    labels,
    midpoint,
    plan,
    problems,
    spend,
    strategy,
    summary,
    thin,
)

MODULES = (
    common,
    kickoff,
    midpoint,
    plan,
    strategy,
    excel,
    problems,
    spend,
    thin,
    labels,
    summary,
    findings_kickoff,
    findings_midpoint,
    findings_final,
    deck,
)
