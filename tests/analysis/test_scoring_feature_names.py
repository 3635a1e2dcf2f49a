"""Scoring feature names made of any value a user can type (issue 19, item 16).

A touch channel holding ``=`` once stopped the final notebook (``KeyError:
'strategy.feature.touches_channel_paid'``): a feature's name is read back by
:func:`workbook.analysis.scoring.features.parse_feature`, whatever its values hold, and every
label falls back to the human label of the value.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from tests.conftest import SAMPLE_DIR, TINY_TOUCHES, write_engagement
from workbook.analysis.journeys import build_journeys
from workbook.analysis.scoring.features import (
    FeatureName,
    lead_features,
    parse_feature,
    scoring_moments,
)
from workbook.deliverables.strategy import build_strategy
from workbook.deliverables.strategy_text import feature_label, strategy_sentences, weights_table
from workbook.intake.engagement import load_engagement

HOSTILE = ["paid=search", "=webinar", "a=b=c", "{channel}", "100%", "x_30d", "channel_x", "é"]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_touch_channel_feature_reads_back_whatever_the_channel_holds(value):
    parsed = parse_feature(f"touches_channel_{value}")
    if value == "x_30d":  # a channel ending like a recent window reads as one (no crash)
        assert parsed == FeatureName("channel", "touches", "x", 30)
    else:
        assert parsed == FeatureName("channel", "touches", value, None)


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("attribute", ["source_channel", "persona", "segment", "sourced_by"])
def test_an_attribute_value_reads_back_whole_after_the_first_equals(attribute, value):
    assert parse_feature(f"{attribute}={value}") == FeatureName("attribute", attribute, value)


def test_counts_and_unknown_names_read_back():
    assert parse_feature("touches") == FeatureName("touches", "touches")
    assert parse_feature("touches_30d") == FeatureName("touches", "touches", None, 30)
    assert parse_feature("touches_decision") == FeatureName("buying_stage", "touches", "decision")
    assert parse_feature("touches_decision_30d").recent_days == 30
    assert parse_feature("views=3") == FeatureName("other", "views=3")


@pytest.mark.parametrize(
    ("feature", "english", "french"),
    [
        (
            "touches_channel_paid=search",
            "Touches (via Paid=search)",
            "Interactions (via Paid=search)",  # a client's own value keeps its case
        ),
        ("touches_channel_=webinar", "Touches (via =webinar)", "Interactions (via =webinar)"),
        ("touches_channel_{channel}", "Touches (via {channel})", "Interactions (via {channel})"),
        (
            "source_channel=a=b",
            "First-touch channel: A=b",
            "Canal du premier contact : A=b",
        ),
        ("persona=unknown", "Persona: Not recorded", "Persona : Non renseigné"),
        (
            "touches_paid=x_30d",
            "Touches (paid=x, last 30 days)",
            "Interactions (paid=x, 30 derniers jours)",
        ),
        ("views=3", "Views=3", "Views=3"),
    ],
)
def test_every_feature_has_a_label_in_both_languages(feature, english, french):
    assert feature_label(feature) == english
    assert feature_label(feature, "fr").replace("\u00a0", " ") == french


def test_lead_features_of_hostile_channels_are_named_and_read_back(tmp_path):
    touches = TINY_TOUCHES.replace(",webinar,", ",paid=search,").replace(",email,", ",=email,")
    engagement = load_engagement(write_engagement(tmp_path / "t", {"data/touches.csv": touches}))
    journeys = build_journeys(engagement)
    moments = scoring_moments(journeys, target="sql", horizon_days=365)
    x = lead_features(
        journeys,
        moments["train_cutoff"].to_numpy(),
        touches=engagement.touches,
        touch_channels=("paid=search", "=email"),
    )
    x.index = journeys.leads["lead_id"]
    # L1: the webinar touch of 01-06 and the e-mail of 01-15, both before its SQL day 01-20
    assert x.loc["L1", ["touches_channel_paid=search", "touches_channel_=email"]].tolist() == [1, 1]
    assert [parse_feature(c).value for c in x.columns if c.startswith("touches_channel_")] == [
        "paid=search",
        "=email",
    ]


@pytest.fixture(scope="module")
def hostile_sample(tmp_path_factory):
    """The sample engagement whose paid_search and webinar touches read ``paid=search`` and
    ``=webinar``."""
    directory = tmp_path_factory.mktemp("hostile") / "acme"
    shutil.copytree(SAMPLE_DIR, directory)
    touches = directory / "data" / "touches.csv"
    frame = pd.read_csv(touches, dtype=str, keep_default_na=False)
    frame["channel"] = frame["channel"].replace(
        {"paid_search": "paid=search", "webinar": "=webinar"}
    )
    frame.to_csv(touches, index=False)
    engagement = load_engagement(directory)
    return engagement, build_strategy(engagement)


def test_the_final_reports_strategy_text_reads_channels_holding_equals(hostile_sample):
    engagement, report = hostile_sample
    assert {"paid=search", "=webinar"} <= set(engagement.touches["channel"].astype(str))
    features = set(report.scoring.weights["feature"])
    assert {"touches_channel_paid=search", "touches_channel_=webinar"} <= features
    every = len(report.scoring.weights)
    english = weights_table(report.scoring, language="en", top=every)
    french = weights_table(report.scoring, language="fr", top=every)
    assert "Touches (via Paid=search)" in set(english["feature"])
    assert "Interactions (via =webinar)" in set(french["feature"])
    for language in ("en", "fr"):
        sentences = strategy_sentences(report, language=language, currency="EUR")
        assert sentences["scoring"] and sentences["weights"]


def test_a_channel_holding_dollar_signs_is_drawn_as_text_not_tex():
    from workbook.deliverables import plots
    from workbook.deliverables.display import figure_html

    mix = pd.DataFrame(
        {
            "channel": ["$\\frac$", "a$b$c", "webinar"],
            "leads": [3, 2, 1],
            "lead_share": [0.5, 0.3, 0.2],
        }
    )
    fig = plots.channel_mix_chart(mix)
    assert figure_html(fig).startswith('<img class="wb-figure" alt="Where leads come from"')
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["Webinar", "A$b$c", "$\\frac$"]
