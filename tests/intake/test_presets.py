"""CRM presets (issue 16, CONTRACT section 3): ``workbook new DIR --from hubspot|hubspot-fr|salesforce``
writes an engagement.yaml whose mapping reads the CRM's standard exports as they come.

The fixtures in tests/fixtures/crm/ carry the exports' real headers, values and date formats
(one story told three times: 40 contacts or leads, 15 deals or opportunities). Contact 1828,
Victor Smith, checked by hand in the files: created 2025-08-06 10:50, MQL 2025-08-11, SQL
2025-08-27, his deal 8856 created 2025-09-03 and Closed Won on 2025-11-06 for 12,000.
"""

from __future__ import annotations

import shutil
import tomllib
from fnmatch import fnmatch
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
import yaml

from workbook.cli import main
from workbook.intake.config import parse_config
from workbook.intake.engagement import audit_engagement, load_engagement
from workbook.intake.presets import PRESETS, preset_text
from workbook.intake.scaffold import scaffold_engagement

FIXTURES = Path(__file__).parent.parent / "fixtures" / "crm"
EXPORTS = {
    "hubspot": ("hubspot/contacts.csv", "hubspot/deals.csv"),
    "hubspot-fr": ("hubspot-fr/contacts.csv", "hubspot-fr/deals.csv"),
    "salesforce": ("salesforce/leads_report.csv", "salesforce/opportunities_report.csv"),
}
CLOSED_STAGES = {
    "hubspot": {"closed won": "won", "closed lost": "lost", "*": "open"},
    "hubspot-fr": {"fermé gagné": "won", "fermé perdu": "lost", "*": "open"},
    "salesforce": {"closed won": "won", "closed lost": "lost", "*": "open"},
}


def engagement_from(tmp_path: Path, preset: str) -> Path:
    """``workbook new --from preset`` plus the fixture exports copied in, renamed."""
    folder = tmp_path / preset
    scaffold_engagement(folder, preset=preset)
    leads, opportunities = EXPORTS[preset]
    shutil.copy(FIXTURES / leads, folder / "data" / "leads.csv")
    shutil.copy(FIXTURES / opportunities, folder / "data" / "opportunities.csv")
    return folder


@pytest.mark.parametrize("preset", list(PRESETS))
def test_each_preset_is_a_commented_engagement_yaml_that_parse_config_accepts(preset):
    text = preset_text(preset)
    assert text.count("\n#") >= 10  # commented for a consultant
    config, problems = parse_config(yaml.safe_load(text))
    assert problems == [] and config is not None
    assert config.stages[-2:] == ("opportunity", "won")
    assert config.mapping("opportunities").values["status"] == CLOSED_STAGES[preset]
    assert config.mapping("opportunities").constants == {"sourced_by": "marketing"}


def test_every_preset_ships_as_package_data():
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    shipped = pyproject["tool"]["setuptools"]["package-data"]["workbook"]
    for preset in PRESETS.values():
        assert resources.files("workbook").joinpath(preset.template).is_file(), preset.name
        assert any(fnmatch(preset.template, pattern) for pattern in shipped), preset.name


@pytest.mark.parametrize("preset", ["hubspot", "hubspot-fr"])
def test_hubspot_contacts_and_deals_exports_load_as_they_come(tmp_path, preset):
    engagement = load_engagement(engagement_from(tmp_path, preset))
    audit = engagement.audit
    assert audit.errors == ()
    assert {f: (r.used, r.quarantined) for f, r in audit.rows.items() if r.read} == {
        "leads": (40, 0),
        "opportunities": (15, 0),
    }
    assert engagement.config.stages == ("lead", "mql", "sql", "opportunity", "won")
    victor = engagement.leads.set_index("lead_id").loc["1828"]
    assert victor["created_at"] == pd.Timestamp("2025-08-06")
    assert victor["mql_at"] == pd.Timestamp("2025-08-11")
    assert victor["sql_at"] == pd.Timestamp("2025-08-27")
    assert victor["opportunity_at"] == pd.Timestamp("2025-09-03")
    assert victor["won_at"] == pd.Timestamp("2025-11-06")
    assert victor["won_amount"] == 12000.0
    assert victor["source_channel"] == "organic_social"  # "Social Media" / "Réseaux sociaux"
    opps = engagement.opportunities.set_index("opportunity_id")
    assert opps["status"].value_counts().to_dict() == {"open": 6, "won": 5, "lost": 4}
    # every open stage (custom "Negotiation" included) is open; Victor's " closed won" is won
    assert opps.loc["8856", "status"] == "won" and opps.loc["8834", "status"] == "lost"
    assert opps.loc["8834", "amount"] == 36000.0
    assert opps.loc["8812", "status"] == "open" and pd.isna(opps.loc["8812", "amount"])
    assert opps.loc["8812", "closed_at"] is pd.NaT  # an open deal's expected close date
    # deals link to their contact's Record ID; one with two contacts, two with none
    linked = engagement.leads["opportunity_id"].notna()
    assert int(linked.sum()) == 12
    assert opps.loc["8933", "lead_id"] == "1384;1458"
    channels = engagement.leads["source_channel"].value_counts().to_dict()
    assert channels["organic_search"] == 7 and channels["offline"] == 3
    assert channels["unknown"] == 2  # blank Original Source


def test_the_french_hubspot_export_reads_exactly_like_the_english_one(tmp_path):
    english = load_engagement(engagement_from(tmp_path, "hubspot"))
    french = load_engagement(engagement_from(tmp_path, "hubspot-fr"))
    stages = ["lead_id", "created_at", "mql_at", "sql_at", "source_channel", "opportunity_at"]
    pd.testing.assert_frame_equal(english.leads[stages], french.leads[stages])
    deals = ["opportunity_id", "lead_id", "created_at", "closed_at", "status", "amount"]
    pd.testing.assert_frame_equal(english.opportunities[deals], french.opportunities[deals])
    assert french.config.language == "fr"


def test_hubspot_warnings_say_what_the_export_left_out(tmp_path):
    warnings = audit_engagement(engagement_from(tmp_path, "hubspot")).to_dict()["warnings"]
    where = {(w["file"], w["column"]) for w in warnings}
    assert where == {
        ("leads.csv", "mql_at"),  # contact 1384 went to SQL without an MQL date
        ("opportunities.csv", "closed_at"),  # open deals' expected close dates, ignored
        ("opportunities.csv", "lead_id"),  # deal 8933 has two contacts: linked to none
        # the contacts stop on 2025-10-29, 92 days before the last deal closes (as_of)
        ("leads.csv", "created_at"),
    }
    rows = sorted(w["row"] for w in warnings if w["column"] == "closed_at")
    assert rows == [1, 2, 3, 8, 10, 14]


def test_salesforce_leads_and_opportunities_reports_load_as_they_come(tmp_path):
    engagement = load_engagement(engagement_from(tmp_path, "salesforce"))
    assert {f: (r.used, r.quarantined) for f, r in engagement.audit.rows.items() if r.read} == {
        "leads": (40, 0),
        "opportunities": (15, 0),
    }
    assert engagement.config.stages == ("lead", "opportunity", "won")
    # linked from the lead's side (Converted Opportunity ID; no lead_id on opportunities):
    # the 12 converted leads
    victor = engagement.leads.set_index("lead_id").loc["00Q5g0000001A15IAU"]
    assert victor["created_at"] == pd.Timestamp("2025-08-06")  # 06/08/2025, day first
    assert victor["opportunity_at"] == pd.Timestamp("2025-09-03")
    assert victor["won_at"] == pd.Timestamp("2025-11-06")
    assert victor["source_channel"] == "phone_inquiry"
    assert int(engagement.leads["opportunity_at"].notna().sum()) == 12
    opps = engagement.opportunities.set_index("opportunity_id")
    assert opps["status"].value_counts().to_dict() == {"open": 6, "won": 5, "lost": 4}
    assert opps.loc["0065g0000002B00IAU", "amount"] == 8500.0  # "8,500.00"


def test_a_us_month_first_salesforce_report_is_refused_not_misread_where_it_cannot_be_read(
    tmp_path,
):
    # Salesforce writes report dates in the user's locale; month-first (US) is not a format
    # the workbook reads: 3/25/2025 is an error naming the column, as the preset's comment says
    folder = engagement_from(tmp_path, "salesforce")
    leads = (folder / "data" / "leads.csv").read_text().replace('"06/08/2025"', '"8/25/2025"')
    (folder / "data" / "leads.csv").write_text(leads)
    errors = audit_engagement(folder).to_dict()["errors"]
    assert [(e["file"], e["row"], e["column"]) for e in errors] == [("leads.csv", 22, "created_at")]
    assert "8/25/2025" in errors[0]["message"]
    assert "month first" in preset_text("salesforce") or "month-first" in preset_text("salesforce")


def test_workbook_new_from_a_crm_says_what_it_created_and_which_files_are_optional(
    tmp_path, capsys
):
    target = tmp_path / "acme"
    assert main(["new", str(target), "--from", "hubspot"]) == 0
    out = capsys.readouterr().out
    assert f"created {target / 'engagement.yaml'}" in out
    assert f"created {target / 'data'}/" in out
    assert f"the contacts export as {target / 'data' / 'leads.csv'}" in out
    assert f"the deals export as {target / 'data' / 'opportunities.csv'}" in out
    assert "Optional: content.csv, spend.csv, touches.csv" in out
    assert (target / "engagement.yaml").read_text() == preset_text("hubspot")
    assert list((target / "data").iterdir()) == []  # no header-only files where exports go


def test_workbook_new_from_an_unknown_crm_is_a_clear_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["new", str(tmp_path / "acme"), "--from", "nonsense"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "argument --from: invalid choice: 'nonsense'" in err
    assert "'hubspot', 'hubspot-fr', 'salesforce'" in err
    assert not (tmp_path / "acme").exists()


def test_the_cli_offers_exactly_the_presets_there_are(capsys):
    with pytest.raises(SystemExit):
        main(["new", "--help"])
    assert "--from {" + ",".join(PRESETS) + "}" in capsys.readouterr().out
