"""Validation of engagement folders, including the bad-input corpus.

Every bad-input test asserts the exact file, row and column the user is told about.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import (
    TINY_LEADS,
    TINY_OPPS,
    TINY_SPEND,
    TINY_TOUCHES,
    TINY_YAML,
    write_engagement,
    write_french_engagement,
)
from workbook.cli import main
from workbook.intake.engagement import audit_engagement, load_engagement
from workbook.intake.problems import EngagementError


def replace_line(text: str, row: int, old: str, new: str) -> str:
    """Replace ``old`` by ``new`` on data row ``row`` (1-based, header excluded)."""
    lines = text.splitlines()
    assert old in lines[row], (old, lines[row])
    lines[row] = lines[row].replace(old, new, 1)
    return "\n".join(lines) + "\n"


def errors_of(directory: Path) -> list[dict]:
    return audit_engagement(directory).to_dict()["errors"]


def only_error(directory: Path) -> dict:
    errors = errors_of(directory)
    assert len(errors) == 1, errors
    return errors[0]


# --- clean data ----------------------------------------------------------------------------
def test_clean_tiny_engagement_validates_with_every_row_used(tiny_dir):
    audit = audit_engagement(tiny_dir).to_dict()
    assert audit["ok"] is True
    assert audit["errors"] == []
    assert audit["rows"]["leads"] == {"read": 6, "used": 6, "quarantined": 0}
    assert audit["rows"]["touches"] == {"read": 4, "used": 4, "quarantined": 0}
    # L4's e-mail " Ann@Alpha.example" repeats L1's ann@alpha.example
    assert audit["duplicates"] == {"leads": 1}


def test_skipped_stage_is_a_warning_and_is_backfilled_with_the_later_date(tiny_dir):
    engagement = load_engagement(tiny_dir)
    warning = [w for w in engagement.audit.to_dict()["warnings"] if w["column"] == "mql_at"]
    assert warning and warning[0]["row"] == 4 and warning[0]["file"] == "leads.csv"
    l4 = engagement.leads.set_index("lead_id").loc["L4"]
    assert l4["mql_at"] == pd.Timestamp("2026-02-20") == l4["sal_at"]


def test_lead_opportunity_stages_come_from_its_linked_opportunity(tiny_dir):
    leads = load_engagement(tiny_dir).leads.set_index("lead_id")
    assert leads.loc["L1", "opportunity_at"] == pd.Timestamp("2026-02-01")
    assert leads.loc["L1", "won_at"] == pd.Timestamp("2026-04-01")
    assert leads.loc["L5", "lost_at"] == pd.Timestamp("2026-05-01")
    assert pd.isna(leads.loc["L5", "won_at"])
    assert pd.isna(leads.loc["L4", "won_at"]) and pd.isna(leads.loc["L4", "lost_at"])


def test_stage_date_earlier_than_the_one_before_is_a_warning_not_a_silent_fix(tmp_path):
    leads = replace_line(TINY_LEADS, 1, "2026-01-12,2026-01-20", "2026-01-12,2026-01-08")
    d = write_engagement(tmp_path / "e", {"data/leads.csv": leads})
    engagement = load_engagement(d)
    warnings = [w for w in engagement.audit.to_dict()["warnings"] if w["column"] == "sql_at"]
    assert [(w["file"], w["row"]) for w in warnings] == [("leads.csv", 1)]
    assert "earlier than the stage before" in warnings[0]["message"]
    assert engagement.leads.loc[0, "sql_at"] == pd.Timestamp("2026-01-12")


def test_cross_file_warnings_name_the_rows(tmp_path):
    opps = TINY_OPPS + "O5,L99,ACC5,2026-03-01,,open,1000,marketing,Core\n"
    spend = TINY_SPEND + "2026-03,radio,700\n"
    touches = TINY_TOUCHES + "L77,2026-01-01,email,A1\n"
    d = write_engagement(
        tmp_path / "e",
        {"data/opportunities.csv": opps, "data/spend.csv": spend, "data/touches.csv": touches},
    )
    audit = audit_engagement(d).to_dict()
    where = {(w["file"], w["column"], w["row"]) for w in audit["warnings"]}
    assert ("opportunities.csv", "lead_id", 5) in where
    assert ("spend.csv", "channel", 5) in where
    assert ("touches.csv", "lead_id", 5) in where
    assert ("content.csv", None, 4) in where  # untagged asset
    # the orphan touch cannot be used: it is quarantined, and accounted for
    assert audit["rows"]["touches"] == {"read": 5, "used": 4, "quarantined": 1}
    assert audit["ok"] is True


def test_a_load_without_the_full_audit_skips_only_the_warnings_no_figure_reads(tmp_path):
    # L4 repeats L1's e-mail; touch 5 names the unknown asset A9, touch 6 the unknown lead L77;
    # O5's lead L99 is unknown; radio has spend but no lead; L1's persona is not in the config
    # and its channel has no spend
    touches = TINY_TOUCHES + "L3,2026-03-01,webinar,A9\nL77,2026-01-01,email,A1\n"
    leads = replace_line(TINY_LEADS, 1, "2026-01-12,2026-01-20", "2026-01-12,2026-01-08")
    leads = replace_line(leads, 1, ",economic_buyer,", ",astronaut,")
    leads = replace_line(leads, 1, ",webinar,", ",trade_show,")  # a channel without spend
    opps = TINY_OPPS + "O5,L99,ACC5,2026-03-01,,open,1000,marketing,Core\n"
    spend = TINY_SPEND + "2026-03,radio,700\n"
    d = write_engagement(
        tmp_path / "e",
        {
            "data/touches.csv": touches,
            "data/leads.csv": leads,
            "data/opportunities.csv": opps,
            "data/spend.csv": spend,
        },
    )
    full = load_engagement(d)
    lean = load_engagement(d, full_audit=False)
    assert full.audit.complete and not lean.audit.complete
    skipped = {
        "duplicate_email",
        "touch_unknown_asset",
        "opportunity_unknown_lead",
        "spend_channel_without_leads",
        "channels_without_spend",
        "persona_not_in_config",
    }
    assert {p.code for p in full.audit.warnings} >= skipped
    assert "skipped_stage" in {p.code for p in lean.audit.warnings}  # the KPIs read it
    assert [p for p in full.audit.warnings if p.code not in skipped] == list(lean.audit.warnings)
    assert full.audit.duplicates == {"leads": 1} and lean.audit.duplicates == {}
    assert lean.audit.errors == full.audit.errors and lean.audit.rows == full.audit.rows
    assert lean.audit.rows["touches"].quarantined == 1  # the unknown lead's touch, either way
    for name in ("leads", "opportunities", "spend", "content", "touches"):
        pd.testing.assert_frame_equal(getattr(lean, name), getattr(full, name))


# --- the bad-input corpus -------------------------------------------------------------------
def test_missing_required_column_names_file_and_column(tmp_path):
    leads = TINY_LEADS.replace("source_channel,", "channel_x,", 1)
    d = write_engagement(tmp_path / "e", {"data/leads.csv": leads})
    error = only_error(d)
    assert (error["file"], error["column"], error["row"]) == ("leads.csv", "source_channel", None)
    assert "columns:" in error["message"]  # says how to map a header
    assert audit_engagement(d).to_dict()["rows"]["leads"] == {
        "read": 6,
        "used": 0,
        "quarantined": 6,
    }


def test_unreadable_date_names_file_row_and_column(tmp_path):
    leads = replace_line(TINY_LEADS, 3, "2026-02-01", "2026-02-31")
    d = write_engagement(tmp_path / "e", {"data/leads.csv": leads})
    error = only_error(d)
    assert (error["file"], error["row"], error["column"]) == ("leads.csv", 3, "created_at")
    assert "2026-02-31" in error["message"]
    assert audit_engagement(d).to_dict()["rows"]["leads"] == {
        "read": 6,
        "used": 5,
        "quarantined": 1,
    }


def test_column_mixing_iso_and_day_first_dates_is_an_error_on_the_rarer_rows(tmp_path):
    leads = replace_line(TINY_LEADS, 2, "2026-01-16", "16/01/2026")
    d = write_engagement(tmp_path / "e", {"data/leads.csv": leads})
    error = only_error(d)
    assert (error["file"], error["row"], error["column"]) == ("leads.csv", 2, "mql_at")
    assert "mixes" in error["message"]


def test_negative_amount_is_quarantined(tmp_path):
    opps = replace_line(TINY_OPPS, 2, ",30000,", ",-30000,")
    d = write_engagement(tmp_path / "e", {"data/opportunities.csv": opps})
    error = only_error(d)
    assert (error["file"], error["row"], error["column"]) == ("opportunities.csv", 2, "amount")
    rows = audit_engagement(d).to_dict()["rows"]["opportunities"]
    assert rows == {"read": 4, "used": 3, "quarantined": 1}


def test_unknown_status_lists_the_allowed_values(tmp_path):
    opps = replace_line(TINY_OPPS, 3, ",won,", ",pending,")
    d = write_engagement(tmp_path / "e", {"data/opportunities.csv": opps})
    error = only_error(d)
    assert (error["file"], error["row"], error["column"]) == ("opportunities.csv", 3, "status")
    assert "open, won, lost" in error["message"]


def test_duplicate_id_keeps_the_first_and_quarantines_the_repeat(tmp_path):
    leads = replace_line(TINY_LEADS, 3, "L3,", "L1,")
    d = write_engagement(tmp_path / "e", {"data/leads.csv": leads})
    error = only_error(d)
    assert (error["file"], error["row"], error["column"]) == ("leads.csv", 3, "lead_id")
    assert "first on row 1" in error["message"]


def test_empty_file_is_an_error_naming_the_file(tmp_path):
    d = write_engagement(tmp_path / "e", {"data/spend.csv": ""})
    error = only_error(d)
    assert (error["file"], error["row"], error["column"]) == ("spend.csv", None, None)
    assert "empty" in error["message"]


def test_malformed_yaml_names_the_line(tmp_path):
    bad = TINY_YAML.replace("  horizon_days: 365", "  horizon_days: [365")
    d = write_engagement(tmp_path / "e", {"engagement.yaml": bad})
    error = only_error(d)
    assert error["file"] == "engagement.yaml"
    assert error["row"] == 8  # the line after the unclosed bracket, where YAML notices
    assert "YAML" in error["message"]


def test_unknown_key_in_engagement_yaml_suggests_the_closest_valid_key(tmp_path):
    bad = TINY_YAML.replace("analysis:", "analysys:")
    d = write_engagement(tmp_path / "e", {"engagement.yaml": bad})
    error = only_error(d)
    assert (error["file"], error["column"]) == ("engagement.yaml", "analysys")
    assert "did you mean 'analysis'" in error["message"]


def test_unknown_nested_key_names_its_path(tmp_path):
    bad = TINY_YAML.replace("  ramp_months: 3", "  ramp_month: 3")
    d = write_engagement(tmp_path / "e", {"engagement.yaml": bad})
    error = only_error(d)
    assert error["column"] == "targets.ramp_month"
    assert "ramp_months" in error["message"]


def test_latin1_file_with_accents_is_read_correctly(tmp_path):
    leads = replace_line(TINY_LEADS, 1, ",Alpha,", ",Société Générale,")
    d = write_engagement(tmp_path / "e", {"data/leads.csv": leads.encode("latin-1")})
    engagement = load_engagement(d)
    assert engagement.audit.ok
    assert engagement.leads.loc[0, "company"] == "Société Générale"


def test_xlsx_with_extra_sheets_reads_the_sheet_named_like_the_file(tmp_path):
    d = write_engagement(tmp_path / "e", {"data/opportunities.csv": None})
    opps = pd.read_csv(pd.io.common.StringIO(TINY_OPPS), dtype=str, keep_default_na=False)
    with pd.ExcelWriter(d / "data" / "opportunities.xlsx", engine="openpyxl") as writer:
        pd.DataFrame({"note": ["exported by CRM"]}).to_excel(
            writer, sheet_name="About", index=False
        )
        opps.to_excel(writer, sheet_name="Opportunities", index=False)
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="Pivot", index=False)
    engagement = load_engagement(d)
    assert engagement.audit.ok
    assert engagement.files["opportunities"] == "opportunities.xlsx"
    assert engagement.opportunities["amount"].sum() == 200000.0
    note = [w for w in engagement.audit.warnings if w.file == "opportunities.xlsx"]
    assert note and "3 sheets" in note[0].message


def test_two_formats_of_the_same_file_is_an_error(tmp_path):
    d = write_engagement(tmp_path / "e")
    pd.read_csv(d / "data" / "spend.csv").to_parquet(d / "data" / "spend.parquet")
    error = only_error(d)
    assert error["file"] == "spend.csv" and "several formats" in error["message"]


def test_missing_required_file_is_named(tmp_path):
    d = write_engagement(tmp_path / "e", {"data/opportunities.csv": None})
    error = only_error(d)
    assert error["file"] == "opportunities.csv" and "not found" in error["message"]


def test_leads_are_required_when_the_ladder_has_a_lead_stage(tmp_path):
    d = write_engagement(tmp_path / "e", {"data/leads.csv": None})
    error = only_error(d)
    assert error["file"] == "leads.csv" and "not found" in error["message"]


def test_won_opportunity_without_close_date_is_quarantined(tmp_path):
    opps = replace_line(TINY_OPPS, 1, ",2026-04-01,", ",,")
    d = write_engagement(tmp_path / "e", {"data/opportunities.csv": opps})
    error = only_error(d)
    assert (error["file"], error["row"], error["column"]) == ("opportunities.csv", 1, "closed_at")


def test_many_bad_rows_are_all_accounted_for_in_one_problem(tmp_path):
    header, *_ = TINY_LEADS.splitlines()
    rows = [f"X{i},not-a-date,,,,,webinar,marketing,,,,," for i in range(1500)]
    d = write_engagement(tmp_path / "e", {"data/leads.csv": "\n".join([header, *rows]) + "\n"})
    with pytest.raises(EngagementError):
        load_engagement(d)
    audit = audit_engagement(d).to_dict()
    # 1,000 per-row records and one summary record for the remaining 500 rows
    created = [e for e in audit["errors"] if e["column"] == "created_at"]
    assert (
        len(created) == 1001 and created[-1]["row"] is None and "500 more" in created[-1]["message"]
    )
    assert audit["rows"]["leads"] == {"read": 1500, "used": 0, "quarantined": 1500}
    assert any(e["message"].startswith("no usable rows") for e in audit["errors"])


# --- formats and locales -------------------------------------------------------------------
def test_french_export_gives_the_same_data_as_the_english_one(tmp_path):
    english = load_engagement(write_engagement(tmp_path / "en"))
    french = load_engagement(write_french_engagement(tmp_path / "fr"))
    assert french.audit.ok
    assert french.spend["amount"].tolist() == [10000.0, 5000.0, 2500.5, 4000.0]
    for name in ("leads", "opportunities", "spend", "content"):
        pd.testing.assert_frame_equal(getattr(english, name), getattr(french, name))


def test_parquet_files_are_read_like_csv(tmp_path):
    d = write_engagement(tmp_path / "e", {"data/leads.csv": None})
    frame = pd.read_csv(pd.io.common.StringIO(TINY_LEADS), dtype=str)
    for col in ("created_at", "mql_at", "sal_at", "sql_at", "disqualified_at"):
        frame[col] = pd.to_datetime(frame[col])
    frame.to_parquet(d / "data" / "leads.parquet")
    engagement = load_engagement(d)
    assert engagement.audit.ok
    assert engagement.leads["created_at"].min() == pd.Timestamp("2026-01-05")


def test_column_mapping_reads_a_hubspot_like_export(tmp_path):
    hubspot = (
        TINY_LEADS.replace("lead_id,", "Record ID,", 1)
        .replace(",created_at,", ",Create Date,", 1)
        .replace(",source_channel,", ",Original Source,", 1)
    )
    yaml_text = TINY_YAML + (
        "columns:\n  leads:\n    lead_id: Record ID\n    created_at: Create Date\n"
        "    source_channel: Original Source\n"
    )
    d = write_engagement(tmp_path / "e", {"engagement.yaml": yaml_text, "data/leads.csv": hubspot})
    engagement = load_engagement(d)
    assert engagement.audit.ok
    assert engagement.leads["lead_id"].tolist()[:2] == ["L1", "L2"]


def test_values_mapping_reads_salesforce_like_statuses(tmp_path):
    sf = TINY_OPPS.replace(",won,", ",Closed Won,").replace(",lost,", ",Closed Lost,")
    yaml_text = TINY_YAML + (
        "values:\n  opportunities:\n    status: {Closed Won: won, Closed Lost: lost}\n"
    )
    d = write_engagement(
        tmp_path / "e", {"engagement.yaml": yaml_text, "data/opportunities.csv": sf}
    )
    engagement = load_engagement(d)
    assert engagement.audit.ok
    assert engagement.opportunities["status"].tolist() == ["won", "lost", "won", "open"]


def test_headers_are_matched_whatever_their_case_and_spacing(tmp_path):
    leads = TINY_LEADS.replace("lead_id,created_at", " Lead ID , Created At", 1)
    d = write_engagement(tmp_path / "e", {"data/leads.csv": leads})
    assert load_engagement(d).audit.ok


# --- the command ---------------------------------------------------------------------------
def test_validate_json_prints_one_json_object_and_exits_0_on_clean_data(tiny_dir, capsys):
    code = main(["validate", str(tiny_dir), "--json"])
    out = capsys.readouterr().out
    assert code == 0
    payload = json.loads(out)
    assert set(payload) == {"ok", "errors", "warnings", "rows", "duplicates"}


def test_validate_exits_1_on_bad_data_without_a_traceback(tmp_path, capsys):
    leads = replace_line(TINY_LEADS, 3, "2026-02-01", "yesterday")
    d = write_engagement(tmp_path / "e", {"data/leads.csv": leads})
    code = main(["validate", str(d)])
    captured = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in captured.out + captured.err
    assert "leads.csv, column created_at, row 3" in captured.out


def test_bad_usage_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["validate"])
    assert exc.value.code == 2


# --- properties ----------------------------------------------------------------------------
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    corrupt=st.lists(
        st.tuples(st.integers(1, 6), st.sampled_from(["date", "id", "channel"])),
        max_size=6,
    )
)
def test_every_row_read_is_used_or_quarantined(tmp_path_factory, corrupt):
    lines = TINY_LEADS.splitlines()
    for row, kind in corrupt:
        cells = lines[row].split(",")
        if kind == "date":
            cells[1] = "31/31/2026"
        elif kind == "id":
            cells[0] = "L1"
        else:
            cells[6] = ""
        lines[row] = ",".join(cells)
    d = write_engagement(tmp_path_factory.mktemp("p"), {"data/leads.csv": "\n".join(lines) + "\n"})
    audit = audit_engagement(d).to_dict()
    for counts in audit["rows"].values():
        assert counts["read"] == counts["used"] + counts["quarantined"]
    bad_rows = {
        e["row"] for e in audit["errors"] if e["file"] == "leads.csv" and e["row"] is not None
    }
    assert audit["rows"]["leads"]["quarantined"] == len(bad_rows)
    assert np.all([isinstance(r, int) for r in bad_rows])


def test_a_french_crm_export_of_a_generated_engagement_reads_identically(tmp_path):
    from workbook.synthetic import generate_engagement
    from workbook.synthetic import write_engagement as write_synthetic

    frames = generate_engagement(n_leads=2000, seed=3)
    english = load_engagement(write_synthetic(frames, tmp_path / "en", style="en"))
    french = load_engagement(write_synthetic(frames, tmp_path / "fr", style="fr"))
    assert french.audit.to_dict() == english.audit.to_dict()
    for name in ("leads", "opportunities", "spend", "content", "touches"):
        pd.testing.assert_frame_equal(getattr(english, name), getattr(french, name))


def test_optional_columns_may_be_absent(tmp_path):
    content = "asset_id,title,persona,buying_stage\nA1,Guide,economic_buyer,awareness\n"
    leads = TINY_LEADS.replace(",persona,segment,account_id,company,email", "", 1)
    leads = "\n".join(",".join(line.split(",")[:8]) for line in leads.splitlines()) + "\n"
    d = write_engagement(tmp_path / "e", {"data/content.csv": content, "data/leads.csv": leads})
    engagement = load_engagement(d)
    assert engagement.audit.ok
    assert engagement.content["views"].isna().all()
    assert engagement.content["published_at"].isna().all()
    assert engagement.leads["email"].isna().all()
    # without an e-mail column, duplicates cannot be looked for: none is counted (not 0)
    assert engagement.audit.duplicates == {}


def test_validate_reports_bad_plan_and_lead_management_sections_up_front(tmp_path):
    bad = TINY_YAML + (
        "scenarios:\n  - name: prudent\n    targets: {revenu: 5}\n"
        "lead_management:\n  sla_day: {mql_sal: 2}\n"
    )
    d = write_engagement(tmp_path / "e", {"engagement.yaml": bad})
    keys = {e["column"] for e in errors_of(d)}
    assert any(k and k.startswith("scenarios[1]") for k in keys), keys
    assert any(k and k.startswith("lead_management") for k in keys), keys


def test_a_messy_export_trims_ids_before_matching_and_counts_each_repeat_once(tmp_path):
    leads = TINY_LEADS + "L2,2026-02-02,,,,,webinar,marketing,,,,,BOB@beta.example\n"
    touches = TINY_TOUCHES + "L77,2026-01-01,email,A1\n L3 ,2026-03-01,webinar,A9\n"
    opps = TINY_OPPS + "O5,L99,ACC5,2026-03-01,,open,1000,marketing,Core\n"
    d = write_engagement(
        tmp_path / "e",
        {"data/leads.csv": leads, "data/touches.csv": touches, "data/opportunities.csv": opps},
    )
    audit = audit_engagement(d).to_dict()
    # " L3 " is L3 once trimmed: only L77's touch has no lead
    unknown_lead = [w for w in audit["warnings"] if w["file"] == "touches.csv"]
    assert [(w["column"], w["row"]) for w in unknown_lead] == [("lead_id", 5), ("asset_id", 6)]
    assert audit["rows"]["touches"] == {"read": 6, "used": 5, "quarantined": 1}
    repeated = [e for e in audit["errors"] if e["column"] == "lead_id"]
    assert [(e["file"], e["row"]) for e in repeated] == [("leads.csv", 7)]  # the second L2
    assert "first on row 2" in repeated[0]["message"]
    # " Ann@Alpha.example" repeats L1's; the second L2 is quarantined: its e-mail is not counted
    assert audit["duplicates"] == {"leads": 1}
    emails = [w["row"] for w in audit["warnings"] if w["column"] == "email"]
    assert emails == [4]
    opportunity = [w for w in audit["warnings"] if w["file"] == "opportunities.csv"]
    assert [(w["column"], w["row"]) for w in opportunity] == [("lead_id", 5)]  # L99


# --- checks on whole files ------------------------------------------------------------------
@st.composite
def emails_and_usable(draw):
    emails = draw(
        st.lists(
            st.one_of(st.none(), st.text(alphabet="aAéÉ .@\t", max_size=5)), min_size=1, max_size=30
        )
    )
    usable = draw(st.lists(st.booleans(), min_size=len(emails), max_size=len(emails)))
    return emails, np.array(usable)


@given(case=emails_and_usable())
@example(case=(["Ann@x", "ann@x", "b c"], np.array([True, True, True])))  # upper case, a space
@settings(max_examples=300, deadline=None)
def test_duplicate_emails_agree_with_a_python_reading(case):
    from workbook.intake.validate import duplicate_emails

    emails, usable = case
    seen: set[str] = set()
    expected = []
    for email, use in zip(emails, usable, strict=True):
        key = None if email is None else email.lower().replace(" ", "").strip()
        expected.append(bool(use and key and key in seen))
        if use and key:
            seen.add(key)
    assert duplicate_emails(pd.Series(emails, dtype=object), usable).tolist() == expected


def test_an_unreadable_touches_file_is_reported_and_the_other_files_still_counted(tmp_path):
    d = write_engagement(tmp_path / "e")
    (d / "data" / "touches.csv").unlink()
    (d / "data" / "touches.xlsx").write_bytes(b"this is not a workbook")
    audit = audit_engagement(d).to_dict()
    assert audit["ok"] is False
    assert [e["file"] for e in audit["errors"]] == ["touches.xlsx"]
    assert "cannot be opened as an Excel workbook" in audit["errors"][0]["message"]
    assert audit["rows"]["leads"] == {"read": 6, "used": 6, "quarantined": 0}


def test_validated_touches_keep_their_channels_as_codes(tiny_dir) -> None:
    touches = load_engagement(tiny_dir).touches
    assert isinstance(touches["channel"].dtype, pd.CategoricalDtype)
    assert touches["channel"].notna().all()


def test_open_opportunities_may_lack_an_amount_and_a_close_date_but_won_and_lost_ones_may_not(
    tmp_path,
):
    # CONTRACT section 3: O4 (open) without amount is kept; O1 (won) without amount is an error
    opps = TINY_OPPS.replace("2026-03-15,,open,40000", "2026-03-15,,open,").replace(
        "2026-04-01,won,50000", "2026-04-01,won,"
    )
    audit = audit_engagement(
        write_engagement(tmp_path / "e", {"data/opportunities.csv": opps})
    ).to_dict()
    assert [(e["file"], e["row"], e["column"]) for e in audit["errors"]] == [
        ("opportunities.csv", 1, "amount")
    ]
    assert audit["errors"][0]["message"] == (
        "status is won or lost but amount is empty: fill in the contract value"
    )
    assert audit["rows"]["opportunities"] == {"read": 4, "used": 3, "quarantined": 1}


def test_validated_touches_name_their_lead_by_the_used_leads_ids_in_order(tmp_path):
    # L2 repeated and L3 with an unreadable date: both quarantined; touches of them too
    leads = (
        TINY_LEADS.replace("L3,2026-02-01", "L3,someday")
        + "L2,2026-01-07,,,,,webinar,marketing,,,,,\n"
    )
    engagement = load_engagement(write_engagement(tmp_path / "e", {"data/leads.csv": leads}))
    lead_id = engagement.touches["lead_id"]
    assert isinstance(lead_id.dtype, pd.CategoricalDtype)
    assert lead_id.cat.categories.equals(pd.Index(engagement.leads["lead_id"]))
    assert lead_id.astype(str).tolist() == ["L1", "L1", "L2", "L4"]
