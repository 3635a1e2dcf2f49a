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


def test_count_axes_tick_whole_numbers_only():
    # a stage with 0-3 entries a month: ticks 0, 1, 2, 3, never 0.5 shown as "0" or "1"
    import pandas as pd

    months = pd.date_range("2025-10-01", periods=12, freq="MS")
    entries = pd.DataFrame(
        {"lead": [90.0] * 12, "won": [0, 1, 0, 3, 2, 0, 1, 2, 0, 0, 1, 2]}, index=months
    )
    fig = kickoff.stage_entries_chart(entries, language="en")
    for ax in fig.axes[:2]:
        ticks = [t for t in ax.get_yticks() if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
        assert ticks and all(float(t).is_integer() for t in ticks), ticks
