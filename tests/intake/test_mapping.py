"""columns: and values: as real exports need them (CONTRACT section 3): constants, blanks,
values whatever their case, scaled numbers, and mappings that cannot apply named by key."""

from __future__ import annotations

import pytest

from tests.conftest import TINY_LEADS, TINY_OPPS, TINY_YAML, write_engagement
from workbook.intake.engagement import audit_engagement, load_engagement
from workbook.intake.problems import EngagementError
from workbook.intake.sections.mapping import parse_mappings


def engagement_with(tmp_path, mapping_yaml: str, **files):
    return write_engagement(tmp_path / "e", {"engagement.yaml": TINY_YAML + mapping_yaml, **files})


def config_errors(folder) -> dict[str, str]:
    with pytest.raises(EngagementError) as caught:
        load_engagement(folder)
    return {p.column: p.message for p in caught.value.problems if p.file == "engagement.yaml"}


def test_a_column_the_export_lacks_takes_one_value_for_every_row(tmp_path):
    # a closed-deals export: no status column, every row is a won deal
    opps = "opportunity_id,lead_id,created_at,closed_at,amount,sourced_by\nO1,L1,2026-02-01,2026-04-01,50000,marketing\nO2,,2026-02-15,2026-05-15,80000,sales\n"
    folder = engagement_with(
        tmp_path,
        "columns:\n  opportunities:\n    status: {value: Won}\n",
        **{"data/opportunities.csv": opps},
    )
    engagement = load_engagement(folder)
    assert engagement.opportunities["status"].tolist() == ["won", "won"]
    assert engagement.audit.rows["opportunities"].quarantined == 0


def test_blank_cells_take_the_value_mapped_to_the_empty_key(tmp_path):
    leads = TINY_LEADS.replace(
        "L2,2026-01-06,2026-01-16,,,2026-02-01,paid_social",
        "L2,2026-01-06,2026-01-16,,,2026-02-01,",
    )
    leads = leads.replace("L6,2026-06-20,,,,,webinar", "L6,2026-06-20,,,,,N/A")
    for key in ('""', "~", "N/A"):
        folder = engagement_with(
            tmp_path,
            f"values:\n  leads:\n    source_channel: {{{key}: Other Sources}}\n",
            **{"data/leads.csv": leads},
        )
        engagement = load_engagement(folder)
        channel = engagement.leads.set_index("lead_id")["source_channel"]
        assert channel["L2"] == "other_sources" and channel["L6"] == "other_sources", key
        assert engagement.audit.rows["leads"].quarantined == 0


def test_a_blank_required_cell_without_a_mapping_is_still_an_error_at_its_row(tmp_path):
    leads = TINY_LEADS.replace(
        "L2,2026-01-06,2026-01-16,,,2026-02-01,paid_social",
        "L2,2026-01-06,2026-01-16,,,2026-02-01,",
    )
    audit = audit_engagement(engagement_with(tmp_path, "", **{"data/leads.csv": leads})).to_dict()
    assert [(e["row"], e["column"]) for e in audit["errors"]] == [(2, "source_channel")]


def test_values_match_whatever_their_case_and_surrounding_spaces(tmp_path):
    opps = TINY_OPPS.replace(",won,", ",  CLOSED won ,").replace(",lost,", ",Closed Lost,")
    folder = engagement_with(
        tmp_path,
        "values:\n  opportunities:\n    status: {Closed Won: won, ' closed lost ': lost}\n",
        **{"data/opportunities.csv": opps},
    )
    status = load_engagement(folder).opportunities.set_index("opportunity_id")["status"]
    assert status.to_dict() == {"O1": "won", "O2": "lost", "O3": "won", "O4": "open"}


def test_a_number_column_is_scaled_as_it_is_read(tmp_path):
    opps = TINY_OPPS.replace("amount", "MRR")
    folder = engagement_with(
        tmp_path,
        "columns:\n  opportunities:\n    amount: {header: mrr, scale: 12}\n",
        **{"data/opportunities.csv": opps},
    )
    amount = load_engagement(folder).opportunities.set_index("opportunity_id")["amount"]
    assert amount.to_dict() == {"O1": 600000.0, "O2": 360000.0, "O3": 960000.0, "O4": 480000.0}


def test_mappings_that_cannot_apply_are_configuration_errors_naming_their_key(tmp_path):
    folder = engagement_with(
        tmp_path,
        "columns:\n"
        "  leads:\n"
        "    source_channel: {header: Channel, scale: 2}\n"
        "    persona: {header: Persona, value: end_user}\n"
        "  opportunities:\n"
        "    status: {value: maybe}\n"
        "    amount: {header: Amount, scale: -1, scal: 3}\n"
        "values:\n"
        "  opportunities:\n"
        "    amount: {'1 000': 1000}\n"
        "    created_at: {yesterday: 2026-01-01}\n",
    )
    assert config_errors(folder) == {
        "columns.leads.source_channel.scale": "applies to number columns; source_channel is not one",
        "columns.leads.persona": "give either header: (the export's) or value: (one for every row)",
        "columns.opportunities.status.value": "'maybe' is not one of open, won, lost",
        "columns.opportunities.amount.scal": "unknown key 'scal': did you mean 'scale'?",
        "columns.opportunities.amount.scale": "must be a positive number, got -1",
        "values.opportunities.amount": (
            "amount is a number column: values: maps text values only "
            "(to multiply numbers, use columns: ... {header: ..., scale: ...})"
        ),
        "values.opportunities.created_at": "created_at is a date column: values: maps text values only",
    }


def test_a_mapped_header_the_file_lacks_is_a_configuration_error_naming_the_key(tmp_path):
    folder = engagement_with(tmp_path, "columns:\n  leads:\n    lead_id: Record ID\n")
    errors = config_errors(folder)
    assert list(errors) == ["columns.leads.lead_id"]
    assert errors["columns.leads.lead_id"].startswith("the header 'Record ID' is not in leads.csv")


def test_the_star_key_maps_every_value_not_listed_and_leaves_blanks_alone(tmp_path):
    # a CRM's many open stages (custom pipelines included) are open; closed ones are listed
    opps = (
        TINY_OPPS.replace(",won,50000", ",Closed Won,50000")
        .replace(",lost,", ",Closed Lost,")
        .replace(",won,80000", ",Negotiation/Review,80000")
        .replace(",,open,", ",, ,")
    )
    folder = engagement_with(
        tmp_path,
        "values:\n  opportunities:\n    status: {Closed Won: won, Closed Lost: lost, '*': open}\n",
        **{"data/opportunities.csv": opps},
    )
    audit = audit_engagement(folder).to_dict()
    # O4's blank status is still a blank: "*" is any other value, not an empty cell
    assert [(e["row"], e["column"]) for e in audit["errors"]] == [(4, "status")]
    status = load_engagement(folder).opportunities.set_index("opportunity_id")["status"]
    assert status.to_dict() == {"O1": "won", "O2": "lost", "O3": "open"}


def test_the_star_key_and_the_blank_key_together_cover_every_cell_of_a_key_column(tmp_path):
    leads = TINY_LEADS.replace(
        "L2,2026-01-06,2026-01-16,,,2026-02-01,paid_social",
        "L2,2026-01-06,2026-01-16,,,2026-02-01,",
    )
    folder = engagement_with(
        tmp_path,
        "values:\n  leads:\n    source_channel: {Webinar: events, '': unknown, '*': other}\n",
        **{"data/leads.csv": leads},
    )
    channel = load_engagement(folder).leads.set_index("lead_id")["source_channel"]
    assert channel.to_dict() == {
        "L1": "events",
        "L2": "unknown",
        "L3": "events",
        "L4": "other",
        "L5": "other",
        "L6": "events",
    }


def test_a_star_value_that_is_not_allowed_is_a_configuration_error_naming_its_key(tmp_path):
    folder = engagement_with(
        tmp_path, "values:\n  opportunities:\n    status: {Closed Won: won, '*': pending}\n"
    )
    assert config_errors(folder) == {
        "values.opportunities.status.*": "'pending' is not one of open, won, lost"
    }


@pytest.mark.parametrize(
    ("values", "key", "first"),
    [
        ({"Paid Search": "paid_search", " paid search ": "search"}, " paid search ", "Paid Search"),
        ({"": "unknown", "N/A": "other"}, "N/A", ""),
    ],
)
def test_two_value_keys_that_match_the_same_export_value_are_an_error(values, key, first):
    _, problems = parse_mappings(
        None, {"leads": {"source_channel": values}}, stages=("inquiry", "opportunity", "won")
    )
    (problem,) = problems
    assert problem.column == f"values.leads.source_channel.{key}"
    assert f"same export value as {first!r}" in problem.message
