"""The kickoff's data inventory shows each file's date range and says which files stop early."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import SAMPLE_DIR, write_engagement
from workbook.deliverables.kickoff import build_kickoff, kickoff_sentences
from workbook.deliverables.midpoint import build_midpoint
from workbook.deliverables.table_columns import table_columns
from workbook.intake.engagement import load_engagement


def test_the_inventory_shows_each_files_date_range_in_english_and_french(stopped):
    engagement, journeys = stopped
    en = build_kickoff(engagement, journeys, language="en").audit_summary.set_index("file")
    fr = build_kickoff(engagement, journeys, language="fr").audit_summary.set_index("file")
    assert en.loc["leads.csv", "dates"] == "Jan 2025 – Dec 2025"
    assert en.loc["opportunities.csv", "dates"] == "Feb 2025 – Jun 2026"
    assert en.loc["spend.csv", "dates"] == "Jan 2025 – Jun 2026"
    assert en.loc["content.csv", "dates"] == "Jan 2024 – Feb 2026"  # published_at, shown only
    assert fr.loc["leads.csv", "dates"] == "janv. 2025 – déc. 2025"
    assert fr.loc["spend.csv", "dates"] == "janv. 2025 – juin 2026"
    assert table_columns("audit_summary", "fr")["dates"] == ("Dates", "text")


def test_the_inventory_sentence_names_the_file_that_stops_early(stopped):
    engagement, journeys = stopped
    en = kickoff_sentences(
        build_kickoff(engagement, journeys, language="en"), language="en", currency="EUR"
    )
    assert (
        "leads.csv stops on 2025-12-10, 7 months before the snapshot date (2026-06-30): the "
        "months after it are no data, not 0, and run-rates, trends and cohorts use only the "
        "months it covers (Jan 2025 to Dec 2025)."
    ) in en["inventory"]
    fr = kickoff_sentences(
        build_kickoff(engagement, journeys, language="fr"), language="fr", currency="EUR"
    )
    assert (
        "leads.csv s'arrête le 10/12/2025, 7 mois avant la date de l'instantané"
        in (fr["inventory"])
    )
    # the monthly trend compares the complete months the leads cover (Jan to Nov 2025), not
    # the months after the export stopped (no data, not 0)
    trend = build_kickoff(engagement, journeys).trend
    assert (trend.first_month, trend.last_month) == (
        pd.Timestamp("2025-01-01"),
        pd.Timestamp("2025-11-01"),
    )
    assert "Sep 2025 – Nov 2025" in en["funnel_months"]
    assert "Dec 2025" not in en["funnel_months"]


def test_the_sample_inventory_has_full_ranges_and_no_coverage_sentence():
    engagement = load_engagement(SAMPLE_DIR, full_audit=False)
    report = build_kickoff(engagement, language="en")
    summary = report.audit_summary.set_index("file")
    assert summary.loc["leads.csv", "dates"] == "Oct 2024 – Sep 2026"
    assert summary.loc["touches.csv", "dates"] == "Oct 2024 – Sep 2026"
    inventory = kickoff_sentences(report, language="en", currency="EUR")["inventory"]
    assert "stops on" not in inventory and "starts on" not in inventory


def test_the_midpoint_cohorts_stop_where_the_leads_stop(stopped):
    engagement, journeys = stopped
    report = build_midpoint(engagement, journeys)
    assert report.cohort_stage == "sql"
    assert report.cohort.loc["2025-11-01"].isna().all()  # no data, not 0 %
    assert report.cohort.loc["2025-01-01", 2] == pytest.approx(0.2)


def test_the_inventory_names_the_files_not_provided_in_both_languages(tmp_path):
    from workbook.deliverables.kickoff import build_kickoff, kickoff_sentences

    d = write_engagement(tmp_path / "e", {"data/spend.csv": None, "data/touches.csv": None})
    report = build_kickoff(load_engagement(d))
    assert report.not_provided == ("spend", "touches")
    english = kickoff_sentences(report, language="en", currency="EUR")["inventory"]
    assert "Not provided: marketing spend and lead touches;" in english
    french = kickoff_sentences(report, language="fr", currency="EUR")["inventory"]
    assert "Non fournis\u00a0: les dépenses marketing et les interactions des leads" in french
