"""CONTRACT section 3: only what the ladder needs is required; real CRMs' ladders.

A missing file and a file with a header but no rows both mean "not provided": the
engagement loads, says what it has (``provided``), and keeps typed empty frames.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import TINY_OPPS, TINY_YAML, write_engagement
from workbook.analysis.journeys import build_journeys
from workbook.intake.config import parse_config
from workbook.intake.engagement import load_engagement
from workbook.intake.problems import EngagementError


@pytest.mark.parametrize("how", ["absent", "header only"])
@pytest.mark.parametrize("stem", ["spend", "content", "touches"])
def test_an_optional_file_absent_or_header_only_is_not_provided(tmp_path, stem, how):
    header = {
        "spend": "month,channel,amount",
        "content": "asset_id,title,persona",
        "touches": "lead_id,touched_at,channel",
    }[stem]
    d = write_engagement(tmp_path / "e", {f"data/{stem}.csv": None if how == "absent" else header})
    engagement = load_engagement(d)
    assert not engagement.has(stem)
    assert engagement.provided == {"leads", "opportunities", "spend", "content", "touches"} - {stem}
    assert stem not in engagement.audit.rows and not engagement.audit.errors
    if stem == "touches":
        assert engagement.touches is None
    else:
        frame = getattr(engagement, stem)
        assert len(frame) == 0 and "source_row" in frame
        assert {"spend": "amount", "content": "asset_id"}[stem] in frame


def test_a_spend_file_whose_rows_are_all_quarantined_is_read_but_gives_nothing(tmp_path):
    d = write_engagement(tmp_path / "e", {"data/spend.csv": "month,channel,amount\n2026-13,x,5\n"})
    engagement = load_engagement(d)
    assert not engagement.has("spend")
    count = engagement.audit.rows["spend"]
    assert (count.read, count.used, count.quarantined) == (1, 0, 1)
    assert [e.file for e in engagement.audit.errors] == ["spend.csv"]


def test_a_header_only_opportunities_file_is_still_an_error(tmp_path):
    d = write_engagement(tmp_path / "e", {"data/opportunities.csv": TINY_OPPS.splitlines()[0]})
    with pytest.raises(EngagementError, match="no data rows"):
        load_engagement(d)


def with_stages(stages: str) -> str:
    return TINY_YAML + f"stages: {stages}\n"


def test_an_opportunities_only_ladder_makes_each_opportunity_a_journey(tmp_path):
    opps = TINY_OPPS.replace("product\n", "product,source_channel\n", 1)
    opps = (
        "\n".join(
            line + (",event" if i == 1 else ",") if i else line
            for i, line in enumerate(opps.splitlines())
        )
        + "\n"
    )
    d = write_engagement(
        tmp_path / "e",
        {
            "engagement.yaml": with_stages("[opportunity, won]"),
            "data/leads.csv": None,
            "data/opportunities.csv": opps,
        },
    )
    engagement = load_engagement(d)
    # the touches name leads (L1...), not opportunities: each is set aside with a warning
    assert engagement.provided == {"opportunities", "spend", "content"}
    leads = engagement.leads.set_index("lead_id")
    assert leads.index.tolist() == ["O1", "O2", "O3", "O4"]
    assert leads.loc["O1", "source_channel"] == "event" and pd.isna(
        leads.loc["O2", "source_channel"]
    )
    journeys = build_journeys(engagement)
    assert journeys.stages == ("opportunity", "won")
    outcome = journeys.step("opportunity").set_index("lead_id")["outcome"]
    # O1 and O3 won, O2 lost, O4 still open
    assert outcome.to_dict() == {"O1": "advanced", "O2": "exited", "O3": "advanced", "O4": "open"}
    assert journeys.leads.set_index("lead_id").loc["O3", "won_amount"] == 80000


def test_with_an_opportunities_only_ladder_a_leads_file_is_not_read_and_says_so(tmp_path):
    d = write_engagement(tmp_path / "e", {"engagement.yaml": with_stages("[opportunity, won]")})
    engagement = load_engagement(d)
    assert "leads" not in engagement.audit.rows
    (note,) = [w for w in engagement.audit.warnings if w.code == "leads_not_used"]
    assert note.file == "leads.csv" and "add a lead stage" in note.message


def test_a_closed_deals_ladder_takes_won_from_the_won_opportunity(tmp_path):
    leads = "lead_id,created_at,source_channel\nL1,2026-01-05,webinar\nL2,2026-01-06,events\n"
    leads += "L3,2026-02-01,webinar\nL4,2026-02-10,events\nL5,2026-03-01,events\n"
    d = write_engagement(
        tmp_path / "e", {"engagement.yaml": with_stages("[mql, won]"), "data/leads.csv": leads}
    )
    engagement = load_engagement(d)
    journeys = build_journeys(engagement)
    assert journeys.stages == ("mql", "won")
    steps = journeys.step("mql").set_index("lead_id")
    # L1 won on O1's close date; L5's only deal was lost; L4's deal is open; L2, L3 have none
    assert steps["outcome"].to_dict() == {
        "L1": "advanced",
        "L2": "open",
        "L3": "open",
        "L4": "open",
        "L5": "exited",
    }
    assert (
        steps.loc["L1", "duration_days"]
        == (pd.Timestamp("2026-04-01") - pd.Timestamp("2026-01-05")).days
    )
    assert journeys.leads.set_index("lead_id").loc["L5", "exit_at"] == pd.Timestamp("2026-05-01")


@pytest.mark.parametrize(
    "stages",
    [["opportunity", "won"], ["mql", "won"], ["lead", "mql", "sql", "opportunity", "won"]],
)
def test_the_ladders_real_crms_have_are_accepted(stages):
    config, problems = parse_config({"client": "X", "stages": stages})
    assert problems == [] and config.stages == tuple(stages)


@pytest.mark.parametrize(
    ("stages", "says"),
    [
        (["mql", "opportunity"], "must end with won"),
        (["won"], "must end with won"),
        (["opportunity", "mql", "won"], "just before won"),
        (["won", "mql", "won"], "names must not repeat"),
    ],
)
def test_a_ladder_the_contract_does_not_allow_names_the_key(stages, says):
    _, problems = parse_config({"client": "X", "stages": stages})
    assert [p.column for p in problems] and problems[0].column == "stages"
    assert any(says in p.message for p in problems), problems


def test_a_lead_may_name_the_opportunity_it_converted_into(tmp_path):
    # Salesforce links a converted lead to its opportunity, not the other way round
    leads = "lead_id,created_at,source_channel,opportunity_id\n"
    leads += "L1,2026-01-05,webinar,O3\nL2,2026-01-06,events,\n"
    d = write_engagement(
        tmp_path / "e",
        {
            "engagement.yaml": with_stages("[lead, opportunity, won]"),
            "data/leads.csv": leads,
            "data/touches.csv": None,
        },
    )
    engagement = load_engagement(d)
    opps = engagement.opportunities.set_index("opportunity_id")["lead_id"]
    # O3 had no lead_id and takes L1's; O1 keeps its own (L1 as in the file)
    assert (
        opps["O3"] == "L1"
        and opps["O1"] == "L1"
        and opps.dtype == engagement.leads["lead_id"].dtype
    )
    lead = engagement.leads.set_index("lead_id").loc["L1"]
    assert lead["won_amount"] == 130000 and lead["opportunity_at"] == pd.Timestamp("2026-02-01")
