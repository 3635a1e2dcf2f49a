"""The report tables' column specs: one home, every header translated, every spec in use."""

from __future__ import annotations

import ast
import inspect

import nbformat
import pytest

from tests.conftest import NOTEBOOKS_DIR
from workbook.deliverables import final_views, playground
from workbook.deliverables.display import FORMATTERS
from workbook.deliverables.table_columns import (
    TABLES,
    attribution_columns,
    table_columns,
)
from workbook.i18n import CATALOGUE


def table_names_called(source: str) -> list[str]:
    """The literal names passed to ``table_columns(...)`` in ``source``."""
    return [
        node.args[0].value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "table_columns"
        and isinstance(node.args[0], ast.Constant)
    ]


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_header_is_in_both_catalogues_and_every_kind_has_a_formatter(name):
    for column, key, kind in TABLES[name]:
        assert kind in FORMATTERS, f"{name}.{column}: unknown kind {kind}"
        for language in ("en", "fr"):
            assert key in CATALOGUE[language], f"{name}.{column}: no {language} text {key}"
    assert len({column for column, _, _ in TABLES[name]}) == len(TABLES[name])


def test_every_spec_is_shown_somewhere_and_every_name_shown_exists():
    called = table_names_called(inspect.getsource(playground))
    called += table_names_called(inspect.getsource(final_views))  # the final's table views
    for path in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        called += [
            name
            for cell in nb.cells
            if cell.cell_type == "code"
            for name in table_names_called(cell.source)
        ]
    assert set(called) <= set(TABLES)
    assert set(TABLES) <= set(called), "a spec no report shows"


def test_a_column_shown_by_several_tables_has_one_header():
    # the channel levers and the channel advice: same words for the columns both show
    full, advice = table_columns("kpi_channels", "fr"), table_columns("channel_advice", "fr")
    assert [c for c in advice if c in full] == ["channel", "spend", "won_count", "roi"]
    assert all(advice[c][0] == full[c][0] for c in ("channel", "spend", "won_count", "roi"))
    # every funnel-step table starts with the same from/to pair
    for name in ("stage_counts", "kpi_funnel", "velocity", "operations", "plan_assumptions"):
        assert list(table_columns(name, "en").items())[:2] == [
            ("from", ("From", "stage")),
            ("to", ("To", "stage")),
        ]


def test_attribution_columns_put_the_channel_first_then_each_model_in_order():
    columns = attribution_columns(["last_touch", "first_touch"], "en")
    assert list(columns) == ["channel", "last_touch", "first_touch"]
    assert columns["channel"][1] == "pretty"
    assert {kind for _, kind in list(columns.values())[1:]} == {"percent"}
    assert columns["first_touch"][0] == CATALOGUE["en"]["mid.model.first_touch"]
