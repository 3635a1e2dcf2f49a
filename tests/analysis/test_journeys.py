"""The journeys table: stage dates, outcomes and durations, hand-checked on the tiny engagement."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.analysis.journeys import build_journeys, journeys_from_leads
from workbook.intake.engagement import load_engagement


def steps_of(journeys, lead_id: str) -> list[tuple[str, str, float]]:
    rows = journeys.steps.loc[journeys.steps["lead_id"] == lead_id]
    return [
        (str(s), str(o), float(d))
        for s, o, d in zip(rows["stage"], rows["outcome"], rows["duration_days"], strict=True)
    ]


def test_a_won_lead_advances_through_every_stage_with_day_counts(tiny_dir):
    journeys = build_journeys(load_engagement(tiny_dir))
    # L1: 01-05 inquiry, 01-10 mql, 01-12 sal, 01-20 sql, 02-01 opportunity, 04-01 won
    assert steps_of(journeys, "L1") == [
        ("inquiry", "advanced", 5.0),
        ("mql", "advanced", 2.0),
        ("sal", "advanced", 8.0),
        ("sql", "advanced", 12.0),
        ("opportunity", "advanced", 59.0),
    ]


def test_a_disqualified_lead_exits_at_its_last_stage(tiny_dir):
    journeys = build_journeys(load_engagement(tiny_dir))
    # L2: mql on 01-16, disqualified 02-01: 16 days in mql, then out
    assert steps_of(journeys, "L2") == [("inquiry", "advanced", 10.0), ("mql", "exited", 16.0)]


def test_an_open_lead_is_censored_at_as_of(tiny_dir):
    journeys = build_journeys(load_engagement(tiny_dir))
    # L3 entered sal on 02-15 and is still there on as_of 2026-06-30: 135 days, open
    assert steps_of(journeys, "L3")[-1] == ("sal", "open", 135.0)


def test_a_lost_opportunity_is_the_competing_outcome_of_the_last_step(tiny_dir):
    journeys = build_journeys(load_engagement(tiny_dir))
    assert steps_of(journeys, "L5")[-1] == ("opportunity", "exited", 42.0)
    event = journeys.steps.loc[journeys.steps["lead_id"] == "L5", "event"].iloc[-1]
    assert event == 2


def test_events_after_as_of_have_not_happened_yet(tiny_dir):
    engagement = load_engagement(tiny_dir, as_of="2026-01-15")
    journeys = build_journeys(engagement)
    assert set(journeys.leads["lead_id"]) == {"L1", "L2"}  # created on or before as_of
    l1 = journeys.leads.set_index("lead_id").loc["L1"]
    assert l1["sal_at"] == pd.Timestamp("2026-01-12")
    assert pd.isna(l1["sql_at"]) and pd.isna(l1["won_at"])
    assert steps_of(journeys, "L1")[-1] == ("sal", "open", 3.0)


def test_a_lead_disqualified_then_back_in_the_funnel_is_recycled_not_exited():
    leads = pd.DataFrame(
        {
            "lead_id": ["R1"],
            "created_at": pd.to_datetime(["2026-01-01"]),
            "mql_at": pd.to_datetime(["2026-01-05"]),
            "sal_at": pd.to_datetime(["2026-03-01"]),
            "sql_at": pd.NaT,
            "opportunity_at": pd.NaT,
            "won_at": pd.NaT,
            "lost_at": pd.NaT,
            "disqualified_at": pd.to_datetime(["2026-01-20"]),
            "source_channel": ["webinar"],
        }
    )
    journeys = journeys_from_leads(
        leads,
        stages=("inquiry", "mql", "sal", "sql", "opportunity", "won"),
        as_of=pd.Timestamp("2026-04-01"),
    )
    assert bool(journeys.leads["recycled"].iloc[0])
    assert steps_of(journeys, "R1")[-1] == ("sal", "open", 31.0)


def test_every_lead_has_one_step_per_stage_reached_except_the_last(tiny_dir):
    journeys = build_journeys(load_engagement(tiny_dir))
    reached = journeys.leads[[f"{s}_at" for s in journeys.stages[:-1]]].notna().sum(axis=1)
    per_lead = journeys.steps.groupby("lead_index").size().reindex(range(len(journeys.leads)))
    np.testing.assert_array_equal(per_lead.to_numpy(), reached.to_numpy())
    assert (journeys.steps["duration_days"] >= 0).all()
