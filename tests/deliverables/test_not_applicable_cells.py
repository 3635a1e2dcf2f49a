"""A figure that does not apply to a row reads "not applicable" ("sans objet"), one that cannot
be measured "not measurable" (workbook.deliverables.display, midpoint_tables.sales_table); and
the mid-point's French funnel-shape sentences say "1,0 % des leads"."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.conftest import SAMPLE_DIR
from workbook.deliverables.display import NOT_APPLICABLE, table_html
from workbook.deliverables.midpoint import build_midpoint
from workbook.deliverables.midpoint_headings import midpoint_headings
from workbook.deliverables.midpoint_tables import sales_table
from workbook.deliverables.midpoint_text import midpoint_sentences
from workbook.deliverables.table_columns import table_columns
from workbook.intake.engagement import load_engagement


def _cells(html: str) -> list[str]:
    return re.findall(r"<td[^>]*>([^<]*)</td>", html)


def test_a_marked_row_reads_not_applicable_and_an_unmarked_missing_figure_not_measurable():
    frame = pd.DataFrame({"source": ["a", "b", "c"], "rate": [0.5, None, None]})
    frame.attrs[NOT_APPLICABLE] = {"rate": [False, False, True]}
    columns = {"source": ("Source", "text"), "rate": ("Rate", "percent")}
    assert _cells(table_html(frame, columns)) == [
        "a", "50.0%", "b", "not measurable", "c", "not applicable",
    ]  # fmt: skip
    assert _cells(table_html(frame, columns, language="fr"))[3::2] == [
        "non mesurable", "sans objet",
    ]  # fmt: skip


@pytest.fixture(scope="module")
def sample_midpoint():
    return build_midpoint(load_engagement(SAMPLE_DIR))


def test_a_renewals_win_from_sql_does_not_apply(sample_midpoint):
    sales = sales_table(sample_midpoint)
    assert sales["sourced_by"].tolist()[-1] == "renewal"
    assert sales.attrs[NOT_APPLICABLE] == {"sql_won_rate": [False] * 4 + [True]}
    for language, words in (("en", "not applicable"), ("fr", "sans objet")):
        html = table_html(sales, table_columns("source_outcomes", language), language=language)
        last_row = html.split("<tr>")[-1]
        assert _cells(last_row)[-1] == words
        assert "measur" not in html and "mesurable" not in html


def test_the_french_funnel_shape_says_a_percentage_of_leads(sample_midpoint):
    french = midpoint_sentences(sample_midpoint, language="fr", currency="EUR")["shape"]
    assert "environ 1,0\u202f% des leads entrés en Demande devraient atteindre Gagné" in french
    heads = midpoint_headings(sample_midpoint, language="fr", currency="EUR")
    assert "1,0\u202f% des leads entrés en Demande atteignent Gagné" in heads["shape"]
    assert "pour 100" not in french + heads["shape"]
