"""Lead scoring's features at two cut-offs, built once (issue 20): the same frames as one
cut-off at a time, so the model, its figures and its scores are unchanged.
"""

from __future__ import annotations

import pandas as pd
import pytest

from workbook.analysis.journeys import build_journeys
from workbook.analysis.scoring import lead_features, scoring_moments
from workbook.analysis.scoring.features import lead_features_at, top_touch_channels
from workbook.intake.engagement import load_engagement
from workbook.synthetic import generate_engagement, sample_config
from workbook.synthetic import write_engagement as write_generated


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    config = sample_config()
    config["client"] = "Scoring Features Co"
    folder = write_generated(
        generate_engagement(n_leads=4000, seed=11), tmp_path_factory.mktemp("s"), config=config
    )
    engagement = load_engagement(folder)
    return engagement, build_journeys(engagement)


def test_features_at_several_cutoffs_equal_one_cutoff_at_a_time(generated):
    engagement, journeys = generated
    m = scoring_moments(journeys, target="sql", horizon_days=365)
    args = {
        "touches": engagement.touches,
        "content": engagement.content,
        "buying_stages": engagement.config.buying_stages,
        "touch_channels": top_touch_channels(engagement.touches),
    }
    cutoffs = (m["train_cutoff"].to_numpy(), m["score_cutoff"].to_numpy())
    both = lead_features_at(journeys, cutoffs, **args)
    for cutoff, frame in zip(cutoffs, both, strict=True):
        pd.testing.assert_frame_equal(frame, lead_features(journeys, cutoff, **args))
    assert both[0]["persona"].dtype == object  # str objects: no conversion per fit
    assert (both[0]["touches"] <= both[1]["touches"]).all()  # score cut-off never earlier
    assert int(both[0]["touches"].sum()) > 0


def test_touch_counts_are_the_touches_before_each_leads_cutoff_counted_plainly(generated):
    # independent of the implementation: per lead, its touches before the cut-off, and of
    # those, the ones through each channel counted with a plain pandas groupby
    engagement, journeys = generated
    touches, leads = engagement.touches, journeys.leads
    cutoff = scoring_moments(journeys, target="sql", horizon_days=365)["train_cutoff"].to_numpy()
    channels = top_touch_channels(touches)
    features = lead_features(journeys, cutoff, touches=touches, touch_channels=channels)
    ids = leads["lead_id"].astype(str)
    lead_cutoff = pd.Series(cutoff, index=ids.to_numpy()).reindex(touches["lead_id"].astype(str))
    before = touches.loc[touches["touched_at"].to_numpy() < lead_cutoff.to_numpy()]
    by_lead = before.groupby(before["lead_id"].astype(str)).size()
    assert (by_lead.reindex(ids).fillna(0).to_numpy() == features["touches"].to_numpy()).all()
    channel = channels[0]
    through = before.loc[before["channel"].astype(str) == channel]
    counted = through.groupby(through["lead_id"].astype(str)).size().reindex(ids).fillna(0)
    assert (counted.to_numpy() == features[f"touches_channel_{channel}"].to_numpy()).all()
    assert int(features["touches"].sum()) > 0
