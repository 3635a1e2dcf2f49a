"""Every chart of the reports, drawn on the bundled sample in English and French, is legible
in the report at a 1280 px window: no text under 9 points as shown, nothing drawn outside
the figure (titles included), whole-number ticks on counts, tick labels that read their tick,
and colours that stay apart for colour-blind readers.

The report shows each PNG (saved at ``style.DPI``) at its own size, or scaled down to the
report's column (``style.REPORT_COLUMN_PX``, from templates/report.css) when wider; a CSS point
is 96/72 CSS pixels (:func:`workbook.deliverables.plots.style.displayed_points`).
"""

from __future__ import annotations

import io
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.text import Text
from matplotlib.ticker import FixedLocator

from tests.conftest import ROOT, SAMPLE_DIR
from workbook.deliverables.plots import palette, style

LANGUAGES = ("en", "fr")


@pytest.fixture(scope="module")
def sample():
    """The bundled sample's kickoff, mid-point, strategy and plan, as the notebooks build them."""
    from workbook.analysis.journeys import build_journeys
    from workbook.deliverables.final import build_final_quant
    from workbook.deliverables.kickoff import build_kickoff
    from workbook.deliverables.midpoint import build_midpoint
    from workbook.deliverables.strategy import build_strategy
    from workbook.intake.engagement import load_engagement

    engagement = load_engagement(SAMPLE_DIR)
    journeys = build_journeys(engagement)
    return {
        "engagement": engagement,
        "kickoff": {lang: build_kickoff(engagement, journeys, language=lang) for lang in LANGUAGES},
        "midpoint": build_midpoint(engagement, journeys),
        "strategy": {
            lang: build_strategy(engagement, journeys, language=lang, seed=7) for lang in LANGUAGES
        },
        "quant": build_final_quant(engagement, journeys, simulate=200, seed=7),
    }


def chart_makers(data, language: str) -> dict:
    """Every chart the three reports show (and the two the playground and tests use), with
    the arguments the notebooks give them."""
    from workbook.deliverables import plots
    from workbook.deliverables.final_text import tornado_labels
    from workbook.deliverables.midpoint_facts import attribution_shares
    from workbook.i18n import pretty, text

    engagement, mid, quant = data["engagement"], data["midpoint"], data["quant"]
    kick, strategy = data["kickoff"][language], data["strategy"][language]
    kpis, score, plan = mid.kpis, data["strategy"][language].scoring, quant.plan
    currency, lang = engagement.config.currency, language
    min_assets = engagement.config.min_assets_per_cell
    return {
        "funnel": lambda: plots.funnel_chart(kick.stage_counts, language=lang),
        "stage_entries": lambda: plots.stage_entries_chart(kick.entries_by_month, language=lang),
        "channel_mix": lambda: plots.channel_mix_chart(kick.channel_mix, language=lang),
        "spend": lambda: plots.spend_chart(kick.spend_by_month, currency=currency, language=lang),
        "content_kickoff": lambda: plots.content_heatmap(
            kick.content_matrix, min_assets=min_assets, language=lang
        ),
        "glass": lambda: plots.funnel_glass_chart(mid.shape, language=lang),
        "rates": lambda: plots.rates_chart(kpis.funnel, language=lang),
        "leakage": lambda: plots.leakage_chart(
            kpis.funnel, highlight=mid.biggest_leak, language=lang
        ),
        "leak_cost": lambda: plots.leak_cost_chart(mid.leaks, language=lang),
        "velocity": lambda: plots.velocity_curves_chart(
            kpis.curves, kpis.velocity, horizon_days=kpis.horizon_days, language=lang
        ),
        "win_rate": lambda: plots.win_rate_chart(kpis.by_source, language=lang),
        "sql_won": lambda: plots.incidence_curves_chart(
            {pretty(s, lang): c for s, c in kpis.source_curves.items()},
            horizon_days=kpis.horizon_days,
            title=text("mid.chart.sql_won", lang),
            language=lang,
        ),
        "channel_return": lambda: plots.channel_return_chart(
            kpis.channels, currency=currency, language=lang
        ),
        "attribution": lambda: plots.attribution_chart(
            attribution_shares(kpis.attribution), language=lang
        ),
        "cohort": lambda: plots.cohort_heatmap(mid.cohort, stage=mid.cohort_stage, language=lang),
        "benchmarks": lambda: plots.benchmark_chart(mid.benchmarks, language=lang),
        "lift_trend": lambda: plots.lift_trend_chart(
            mid.lift_by_month, currency=currency, language=lang
        ),
        "tracks": lambda: plots.tracks_grid_chart(strategy.content.tracks, language=lang),
        "content_final": lambda: plots.content_heatmap(
            strategy.content.matrix,
            min_assets=min_assets,
            language=lang,
            title=text("strategy.chart.content", lang),
        ),
        "content_performance": lambda: plots.content_performance_chart(
            strategy.content.performance.assets, language=lang
        ),
        "channel_stage": lambda: plots.channel_stage_heatmap(strategy.channel_model, language=lang),
        "precision_recall": lambda: plots.precision_recall_chart(
            score.curve,
            threshold=score.threshold,
            precision=score.precision_at_threshold,
            recall=score.recall_at_threshold,
            base_rate=score.holdout_base_rate,
            language=lang,
        ),
        "score_distribution": lambda: plots.score_distribution_chart(
            score.holdout, threshold=score.threshold, target="sql", language=lang
        ),
        "plan_volume": lambda: plots.plan_volume_chart(
            quant.schedule, stages=plan.stages, language=lang
        ),
        "plan_revenue": lambda: plots.plan_revenue_chart(
            quant.revenue, currency=currency, language=lang
        ),
        "tornado": lambda: plots.tornado_chart(
            quant.tornado,
            labels=tornado_labels(quant.tornado, stages=plan.stages, language=lang),
            first_stage=plan.stages[0],
            language=lang,
        ),
        "budget": lambda: plots.budget_chart(
            quant.budget.allocation,
            ltv_cac=quant.budget.economics.ratio,
            healthy_ratio=quant.budget.economics.healthy_ratio,
            currency=currency,
            language=lang,
        ),
        "scenarios": lambda: plots.scenario_chart(
            quant.scenarios, first_stage=plan.stages[0], currency=currency, language=lang
        ),
        "roadmap": lambda: plots.roadmap_chart(strategy.roadmap, language=lang),
        "bar": lambda: plots.bar_chart(
            ["a", "b"], [3, 1], title="t", xlabel="x", ylabel="y", count=True, language=lang
        ),
    }


@dataclass(frozen=True)
class DrawnText:
    """A text as the PNG drew it: its string, size (points) and box (pixels)."""

    text: str
    size: float
    box: object


@dataclass(frozen=True)
class Rendered:
    fig: object
    texts: list[DrawnText]
    language: str = "en"

    @property
    def min_displayed_points(self) -> float:
        width = self.fig.get_figwidth()
        return min(style.displayed_points(t.size, width) for t in self.texts)


def render(fig, language: str = "en") -> Rendered:
    """Save ``fig`` as the report does and record every text actually drawn (as the last of
    savefig's passes drew it: a laid-out figure is drawn once to lay it out, then painted)."""
    drawn: dict[int, DrawnText] = {}
    original = Text.draw

    def recording(self, renderer):
        if self.get_visible() and self.get_text().strip():
            drawn[id(self)] = DrawnText(
                self.get_text(), self.get_fontsize(), self.get_window_extent(renderer)
            )
        return original(self, renderer)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Text, "draw", recording)
        fig.savefig(io.BytesIO(), format="png", dpi=style.DPI)
    return Rendered(fig, list(drawn.values()), language)


@pytest.fixture(scope="module", params=LANGUAGES)
def charts(request, sample) -> dict[str, Rendered]:
    makers = chart_makers(sample, request.param)
    return {name: render(make(), request.param) for name, make in makers.items()}


def test_the_column_width_is_the_report_stylesheets():
    css = (ROOT / "workbook" / "templates" / "report.css").read_text()
    block = re.search(r"main\.wb-report\s*\{([^}]*)\}", css).group(1)
    max_width = float(re.search(r"max-width:\s*([\d.]+)px", block).group(1))
    side_rem = float(re.search(r"padding:\s*[\d.]+rem\s+([\d.]+)rem", block).group(1))
    root_px = float(re.search(r"html\s*\{\s*font-size:\s*([\d.]+)px", css).group(1))
    assert style.REPORT_COLUMN_PX == max_width - 2 * side_rem * root_px == 952
    assert style.MAX_WIDTH == pytest.approx(952 / 110)


def test_displayed_points_follow_the_pixels_the_reader_sees():
    # 8 in at 110 dpi = 880 px, shown as is: 9 pt * 110/96 = 10.3125 CSS points
    assert style.displayed_points(9, 8) == pytest.approx(10.3125)
    # 10 in = 1100 px squeezed into 952: 8 pt reads 8 * 110/96 * 952/1100 = 7.93
    assert style.displayed_points(8, 10) == pytest.approx(7.9333, abs=1e-4)


def test_every_chart_is_covered(charts):
    from workbook.deliverables import plots

    covered = {"funnel_chart", "stage_entries_chart", "channel_mix_chart", "spend_chart",
               "content_heatmap", "funnel_glass_chart", "rates_chart", "leakage_chart", "leak_cost_chart",
               "velocity_curves_chart", "win_rate_chart", "incidence_curves_chart",
               "channel_return_chart", "attribution_chart", "cohort_heatmap", "benchmark_chart",
               "lift_trend_chart", "tracks_grid_chart", "content_performance_chart",
               "channel_stage_heatmap", "precision_recall_chart", "score_distribution_chart",
               "plan_volume_chart", "plan_revenue_chart", "tornado_chart", "budget_chart",
               "scenario_chart", "roadmap_chart", "bar_chart"}  # fmt: skip
    charts_listed = {name for name in plots.__all__ if name.endswith(("_chart", "_heatmap"))}
    assert charts_listed == covered
    assert len(charts) == 30


def test_no_chart_is_wider_than_the_report_column(charts):
    widths = {name: r.fig.get_figwidth() * style.DPI for name, r in charts.items()}
    assert max(widths.values()) <= style.REPORT_COLUMN_PX, widths


def test_no_text_reads_under_9_points_in_the_report(charts):
    smallest = {name: round(r.min_displayed_points, 2) for name, r in charts.items()}
    assert min(smallest.values()) >= style.MIN_DISPLAYED_POINTS, smallest
    # every chart draws its labels at SMALL (9 pt) or more: 10.31 CSS points as shown
    assert min(smallest.values()) == pytest.approx(10.31, abs=0.01)


def _inside(box, fig, tolerance: float = 1.0) -> bool:
    frame = fig.bbox
    return (
        box.x0 >= frame.x0 - tolerance
        and box.x1 <= frame.x1 + tolerance
        and box.y0 >= frame.y0 - tolerance
        and box.y1 <= frame.y1 + tolerance
    )


def test_every_title_lies_within_its_figure(charts):
    for name, r in charts.items():
        fig = r.fig
        titles = {fig.get_suptitle()} | {
            ax.get_title(loc=loc) for ax in fig.axes for loc in ("left", "center", "right")
        }
        titles -= {""}
        drawn = [t for t in r.texts if t.text in titles]
        assert len({t.text for t in drawn}) == len(titles), (name, titles)
        for t in drawn:
            assert _inside(t.box, fig), (name, t.text, t.box, fig.bbox)


def test_nothing_is_drawn_outside_the_figure(charts):
    outside = {
        name: [t.text for t in r.texts if not _inside(t.box, r.fig)] for name, r in charts.items()
    }
    assert not any(outside.values()), outside


def test_a_long_title_wraps_to_fit_its_chart(sample):
    from workbook.deliverables import plots

    title = "A title far longer than any chart is wide, " * 6
    fig = plots.incidence_curves_chart(
        sample["midpoint"].kpis.source_curves, horizon_days=365, title=title, language="en"
    )
    r = render(fig)
    shown = fig.axes[0].get_title(loc="left")
    assert shown.count("\n") >= 2 and " ".join(shown.split()) == " ".join(title.split())
    (drawn,) = [t for t in r.texts if t.text == shown]
    assert _inside(drawn.box, fig)


def _ticks_in_view(axis, view: tuple[float, float]) -> list[tuple[float, str]]:
    low, high = sorted(view)
    span = high - low
    return [
        (tick.get_loc(), tick.label1.get_text())
        for tick in axis.get_major_ticks()
        if low - 1e-9 * span <= tick.get_loc() <= high + 1e-9 * span
    ]


#: (chart, axes index, axis) of every axis that counts something: leads, deals, assets, days.
COUNT_AXES = [
    ("funnel", 0, "x"),
    *[("stage_entries", i, "y") for i in range(6)],
    ("channel_mix", 0, "x"),
    ("content_kickoff", 1, "y"),  # the colour bar: assets
    ("content_final", 1, "y"),
    *[("velocity", i, "x") for i in range(6)],  # days
    ("benchmarks", 1, "x"),  # cycle length in days
    *[("plan_volume", i, "y") for i in range(6)],
    ("tornado", 0, "x"),
    ("scenarios", 0, "y"),
    ("bar", 0, "y"),
]


@pytest.mark.parametrize(("chart", "index", "axis"), COUNT_AXES)
def test_count_axes_tick_whole_numbers_at_even_steps(charts, chart, index, axis):
    ax = charts[chart].fig.axes[index]
    ticks = _ticks_in_view(
        ax.xaxis if axis == "x" else ax.yaxis, ax.get_xlim() if axis == "x" else ax.get_ylim()
    )
    values = np.array([v for v, _ in ticks])
    assert len(values) >= 2, ticks
    assert all(float(v).is_integer() for v in values), ticks
    assert len(set(np.round(np.diff(values), 9))) == 1, ticks  # 0, 2, 4: never 0, 2, 5, 8


def _number(label: str, language: str) -> float | None:
    """The number a tick label reads in ``language``, or None if it is not one."""
    cleaned = re.sub(r"[\s\u00a0\u202f€£$]|EUR|GBP|USD", "", label).replace("\u2212", "-")
    percent = cleaned.endswith("%")
    cleaned = cleaned.rstrip("%")
    if language == "fr":
        cleaned = cleaned.replace(".", "").replace(",", ".")  # 1 000,5 -> 1000.5
    cleaned = cleaned.replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value / 100 if percent else value


def test_numeric_tick_labels_read_their_tick(charts):
    # a tick at 2.5 leads labelled "2" (format_number rounding) misleads: every numeric label
    # must equal its tick's value
    wrong = []
    for name, r in charts.items():
        for ax in r.fig.axes:
            if not ax.get_visible():
                continue
            for axis, view in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
                if isinstance(axis.get_major_locator(), FixedLocator):
                    continue  # categories (months since entry 1, 2, ...), not values
                for value, label in _ticks_in_view(axis, view):
                    if r.language == "fr" and re.search(r"\d\.\d", label):
                        wrong.append((name, label, "English decimal point"))
                    shown = _number(label, r.language)
                    if shown is not None and not np.isclose(shown, value, rtol=1e-6, atol=1e-9):
                        wrong.append((name, label, value))
    assert not wrong, wrong


# --- colours ------------------------------------------------------------------------------
# Machado, Oliveira and Fernandes (2009), "A physiologically-based model for simulation of
# color vision deficiency", severity 1.0, applied to linear sRGB (the matrices Chrome and
# Firefox DevTools use).
CVD = {
    "normal": np.eye(3),
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
         [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
         [-0.011820, 0.042940, 0.968881]]
    ),
    "tritanopia": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
         [0.004733, 0.691367, 0.303900]]
    ),
}  # fmt: skip


def _lab(color: str, vision: str) -> np.ndarray:
    """CIELAB (D65) of ``color`` as seen with ``vision`` (sRGB and CIE 1976 formulas)."""
    rgb = np.asarray(to_rgb(color))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    linear = np.clip(CVD[vision] @ linear, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ linear  # fmt: skip
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _delta_e(a: str, b: str, vision: str) -> float:
    return float(np.linalg.norm(_lab(a, vision) - _lab(b, vision)))


def test_reference_colour_difference():
    # CIE76 difference of pure red and pure blue, a published value (about 176.3)
    assert _delta_e("#ff0000", "#0000ff", "normal") == pytest.approx(176.3, abs=0.3)


@pytest.mark.parametrize("vision", list(CVD))
def test_series_and_highlight_colours_stay_apart_for_colour_blind_readers(vision):
    colours = [*palette.PALETTE, palette.MUTED]
    pairs = {(a, b): _delta_e(a, b, vision) for a, b in itertools.combinations(colours, 2)}
    assert min(pairs.values()) >= 14, min(pairs.items(), key=lambda kv: kv[1])
    roles = [palette.ACCENT, palette.WARN, palette.BAD, palette.GOOD, palette.MUTED]
    assert len(set(roles)) == len(roles)


def test_no_two_series_colours_are_near_identical_blues():
    blues = [c for c in palette.PALETTE if _lab(c, "normal")[2] < -20]  # b* well below 0: blue
    assert blues == [palette.BLUE, palette.SKY_BLUE]
    assert _delta_e(palette.BLUE, palette.SKY_BLUE, "normal") > 25


def test_every_chart_colour_comes_from_the_palette():
    named = {
        value.lower()
        for name, value in vars(palette).items()
        if name.isupper() and isinstance(value, str) and value.startswith("#")
    }
    plots_dir = Path(palette.__file__).parent
    for module in plots_dir.glob("*.py"):
        if module.name == "palette.py":
            continue
        found = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}\b", module.read_text())}
        assert found <= named, (module.name, found - named)


def test_no_line_of_a_chart_starts_with_punctuation(charts):
    # French sets "?" ":" "%" after a space: a wrapped question must not leave "?" alone
    stray = {
        name: [t.text for t in r.texts if re.search(r"(^|\n)\s*[?!:;%»]", t.text)]
        for name, r in charts.items()
    }
    assert not any(stray.values()), stray
