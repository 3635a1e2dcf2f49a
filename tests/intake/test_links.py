"""Links between files: the stage ladder and opportunities, against row-by-row readings."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbook.intake.config import parse_config
from workbook.intake.links import lead_stage_checks, link_opportunities, with_columns
from workbook.intake.problems import FileCheck


def test_with_columns_shares_the_arrays_it_is_given() -> None:
    # pandas 3 copies an array given to Series() unless told not to: a million-row copy each
    values = np.arange(4)
    out = with_columns(pd.DataFrame({"a": [1, 2, 3, 4]}), {"b": values})
    assert np.shares_memory(out["b"].to_numpy(), values)
    assert out.to_dict("list") == {"a": [1, 2, 3, 4], "b": [0, 1, 2, 3]}


DAY = st.one_of(st.none(), st.integers(0, 40))


@given(rows=st.lists(st.tuples(*[DAY] * 7), min_size=1, max_size=25))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_stage_checks_backfill_and_lift_like_a_row_by_row_reading(rows):
    """Each empty stage takes the next set date; a date earlier than one before is lifted."""
    cols = ["created_at", "mql_at", "sal_at", "sql_at", "opportunity_at", "won_at"]
    origin = pd.Timestamp("2026-01-01")

    def stamp(day):
        return pd.NaT if day is None else origin + pd.Timedelta(days=day)

    frame = pd.DataFrame(
        {
            col: pd.Series([stamp(r[j]) for r in rows], dtype="datetime64[ns]")
            for j, col in enumerate([*cols, "disqualified_at"])
        }
    )
    config = parse_config({"client": "x"})[0]
    check = FileCheck("leads.csv", len(frame))
    out = lead_stage_checks(frame, check, config)

    for i, row in enumerate(rows):
        days = list(row[:6])
        filled = [next((d for d in days[j:] if d is not None), None) for j in range(6)]
        lifted, running = [], None
        for d in filled:
            running = d if running is None or (d is not None and d > running) else running
            lifted.append(None if d is None else running)
        created, disq = lifted[0], row[6]
        if disq is not None and created is not None and disq < created:
            disq = created
        expected = pd.Series([stamp(d) for d in [*lifted, disq]], dtype="datetime64[ns]")
        got = pd.Series([out.loc[i, c] for c in [*cols, "disqualified_at"]], dtype="datetime64[ns]")
        pd.testing.assert_series_equal(got, expected)
    skipped = {w.column for w in check.warnings if w.code == "skipped_stage"}
    expected_skipped = {
        cols[j]
        for row in rows
        for j in range(6)
        if row[j] is None and any(d is not None for d in row[j + 1 : 6])
    }
    assert skipped == expected_skipped


@given(
    opportunities=st.lists(
        st.tuples(
            st.sampled_from(["L1", "L2", "L3", None]),  # the lead (None: not linked)
            st.integers(0, 5),  # created, days after 2026-01-01 (ties on purpose)
            st.sampled_from(["won", "lost", "open"]),
            st.one_of(st.none(), st.integers(5, 9)),  # closed, days
            st.sampled_from([100.0, 250.5, 0.0]),
        ),
        max_size=12,
    )
)
@settings(max_examples=200, deadline=None)
def test_linked_opportunities_give_each_lead_its_stages_like_a_plain_reading(opportunities):
    day = pd.Timestamp("2026-01-01")
    opps = pd.DataFrame(
        {
            "opportunity_id": pd.array([f"O{i}" for i in range(len(opportunities))], "str"),
            "lead_id": pd.array([o[0] for o in opportunities], "str"),
            "created_at": pd.to_datetime([day + pd.Timedelta(days=o[1]) for o in opportunities]),
            "status": pd.array([o[2] for o in opportunities], "str"),
            "closed_at": pd.to_datetime(
                [None if o[3] is None else day + pd.Timedelta(days=o[3]) for o in opportunities]
            ),
            "amount": [o[4] for o in opportunities],
        }
    ).astype({"created_at": "datetime64[ns]", "closed_at": "datetime64[ns]"})
    leads = pd.DataFrame({"lead_id": pd.array(["L2", "L4", "L1", "L2"], "str")})  # L2 twice
    linked = link_opportunities(leads, opps)
    for row, lead in enumerate(leads["lead_id"]):
        mine = [(i, o) for i, o in enumerate(opportunities) if o[0] == lead]
        if not mine:
            assert pd.isna(linked.loc[row, "opportunity_at"]) and pd.isna(linked.loc[row, "won_at"])
            assert pd.isna(linked.loc[row, "lost_at"]) and linked.loc[row, "won_amount"] == 0
            assert pd.isna(linked.loc[row, "opportunity_id"])
            continue
        created = [day + pd.Timedelta(days=o[1]) for _, o in mine]
        assert linked.loc[row, "opportunity_at"] == min(created)
        won = [day + pd.Timedelta(days=o[3]) for _, o in mine if o[2] == "won" and o[3] is not None]
        assert linked.loc[row, "won_at"] == min(won) if won else pd.isna(linked.loc[row, "won_at"])
        lost = [
            day + pd.Timedelta(days=o[3]) for _, o in mine if o[2] == "lost" and o[3] is not None
        ]
        if lost and all(o[2] == "lost" for _, o in mine):
            assert linked.loc[row, "lost_at"] == max(lost)
        else:
            assert pd.isna(linked.loc[row, "lost_at"])
        assert linked.loc[row, "won_amount"] == sum(o[4] for _, o in mine if o[2] == "won")
        first = min(mine, key=lambda io: (io[1][1], io[0]))[0]  # earliest created, then first
        assert linked.loc[row, "opportunity_id"] == f"O{first}"
