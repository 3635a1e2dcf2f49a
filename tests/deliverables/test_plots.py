"""The plots package exposes every chart of every report module, each listed once."""

from __future__ import annotations

import inspect

import matplotlib
import matplotlib.collections
import matplotlib.colors
import matplotlib.text
import numpy as np
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


def _texts(fig) -> list[str]:
    fig.draw_without_rendering()
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_visible()]


@pytest.mark.parametrize(
    ("language", "passed", "lost"),
    [("en", ["23.6% pass", "21.2% pass"], ["76.4% lost", "78.8% lost"]),
     ("fr", ["23,6\u202f% passent", "21,2\u202f% passent"],
      ["76,4\u202f% perdus", "78,8\u202f% perdus"])],
)  # fmt: skip
def test_step_rates_read_as_pass_through_and_losses_as_lost(language, passed, lost):
    import pandas as pd

    from workbook.deliverables.plots.funnel import funnel_glass_chart, leakage_chart
    from workbook.deliverables.plots.palette import BAD

    counts = pd.DataFrame(
        {"from": ["lead", "mql"], "to": ["mql", "won"], "entered": [1000, 236],
         "converted": [236, 50], "naive_rate": [0.236, 50 / 236]}
    )  # fmt: skip
    fig = kickoff.funnel_chart(counts, language=language)
    shown = _texts(fig)
    assert [s for s in shown if s in passed] == passed
    assert not [s for s in shown if "↓" in s]
    (weakest,) = [t for t in fig.axes[0].texts if t.get_text() == passed[1]]  # 21.2% < 23.6%
    assert matplotlib.colors.to_hex(weakest.get_color()) == BAD.lower()

    shape = pd.DataFrame(
        {"stage": ["lead", "mql", "won"], "reach_share": [1.0, 0.236, 0.05],
         "step_rate": [np.nan, 0.236, 50 / 236], "qualified_step": [False, False, True]}
    )  # fmt: skip
    assert [s for s in _texts(funnel_glass_chart(shape, language=language)) if s in passed] == (
        passed
    )
    rates = pd.DataFrame(
        {"from": ["lead", "mql"], "to": ["mql", "won"], "rate": [0.236, 0.212],
         "rate_lower": [0.2, 0.18], "rate_upper": [0.26, 0.25]}
    )  # fmt: skip
    assert [s for s in _texts(leakage_chart(rates, language=language)) if s in lost] == lost


def test_benchmark_colours_follow_whether_a_higher_figure_is_better():
    # a rate above its range is good news; a sales cycle above its range (slower) is bad news
    import pandas as pd

    from workbook.deliverables.plots.palette import ACCENT, BAD, GOOD

    comparison = pd.DataFrame(
        [("conversion_rate", "mql", "sql", "B2B", 0.2, 0.4, 0.3, 0.55, "above"),
         ("conversion_rate", "mql", "sql", "SaaS", 0.2, 0.4, 0.3, 0.15, "below"),
         ("cycle_days", "opportunity", "won", "SMB", 20, 30, 25, 73.0, "above"),
         ("cycle_days", "opportunity", "won", "Mid-market", 30, 90, 60, 74.0, "within"),
         ("cycle_days", "opportunity", "won", "Enterprise", 90, 180, 135, 75.0, "below")],
        columns=["metric", "from_stage", "to_stage", "segment", "low", "high", "typical",
                 "client", "position"],
    )  # fmt: skip
    comparison["quality"] = "low"
    fig = midpoint.benchmark_chart(comparison, language="en")
    colours = {}
    for ax in fig.axes:
        for points in ax.collections:
            if isinstance(points, matplotlib.collections.PathCollection):
                for (client, _), colour in zip(
                    points.get_offsets(), points.get_facecolors(), strict=True
                ):
                    colours[float(client)] = matplotlib.colors.to_hex(colour)
    assert colours == {
        0.55: GOOD.lower(),
        0.15: BAD.lower(),
        73.0: BAD.lower(),  # slower than the range
        74.0: ACCENT.lower(),
        75.0: GOOD.lower(),  # faster than the range
    }
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[:3] == [
        "Client: better than the range",
        "Client: within the range",
        "Client: worse than the range",
    ]
    assert "shorter is better" in fig.axes[1].get_title(loc="left")


def test_the_glass_paints_the_step_the_report_names_as_the_leak_to_fix():
    import pandas as pd

    from workbook.deliverables.plots.funnel import funnel_glass_chart
    from workbook.deliverables.plots.palette import ACCENT, BAD

    shape = pd.DataFrame(
        {"stage": ["lead", "mql", "sql", "won"], "reach_share": [1.0, 0.3, 0.12, 0.03],
         "step_rate": [np.nan, 0.3, 0.4, 0.25], "qualified_step": [False, False, True, False]}
    )  # fmt: skip

    def bar_colours(fig):
        return [matplotlib.colors.to_hex(b.get_facecolor()) for b in fig.axes[0].patches]

    # by default the qualified step under half (mql -> sql) is red
    assert bar_colours(funnel_glass_chart(shape)) == [ACCENT.lower()] * 2 + [BAD.lower()] + [
        ACCENT.lower()
    ]
    # the report's leak to fix (sql -> won, 75% lost) wins: the same step as the leakage chart
    fig = funnel_glass_chart(shape, highlight=("sql", "won", 0.75))
    assert bar_colours(fig) == [ACCENT.lower()] * 3 + [BAD.lower()]
    (label,) = [t for t in fig.axes[0].texts if t.get_text() == "25.0% pass"]
    assert matplotlib.colors.to_hex(label.get_color()) == BAD.lower()


def test_each_column_of_small_multiples_shows_its_months():
    # four stages on three columns: MQL and Opportunity have no panel below them, so their
    # own month labels are shown (sharex would hide them)
    import pandas as pd

    months = pd.date_range("2025-10-01", periods=12, freq="MS")
    entries = pd.DataFrame(
        {s: np.arange(12.0) for s in ("lead", "mql", "opportunity", "won")}, index=months
    )
    fig = kickoff.stage_entries_chart(entries, language="en")
    fig.draw_without_rendering()
    shown = [
        [t.get_text() for t in ax.get_xticklabels() if t.get_visible() and t.get_text()]
        for ax in fig.axes[:4]
    ]
    months_shown = ["Oct\n2025", "Jan\n2026", "Apr\n2026", "Jul\n2026"]
    assert shown == [[], months_shown, months_shown, months_shown]
