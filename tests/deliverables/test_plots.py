"""The plots package exposes every chart of every report module, each listed once."""

from __future__ import annotations

import inspect

import pytest

import workbook.deliverables.plots as plots
from workbook.deliverables.plots import kickoff, midpoint, plan, strategy


@pytest.mark.parametrize("module", [kickoff, midpoint, plan, strategy])
def test_each_plot_module_lists_exactly_its_public_charts(module):
    public = {
        name
        for name, obj in vars(module).items()
        if inspect.isfunction(obj)
        and obj.__module__ == module.__name__
        and not name.startswith("_")
    }
    assert set(module.__all__) == public
    for name in module.__all__:
        assert getattr(plots, name) is getattr(module, name)
    assert set(module.__all__) <= set(plots.__all__)


def test_no_chart_name_is_listed_twice():
    assert len(plots.__all__) == len(set(plots.__all__))
