"""The kickoff baseline, hand-computed on the tiny engagement of conftest.py."""

from __future__ import annotations

import pandas as pd
import pytest

from workbook.analysis.baseline import channel_return_gap, stage_counts, stage_entries_by_month
from workbook.analysis.content import content_matrix, stale_assets, untagged_assets
from workbook.analysis.journeys import build_journeys
from workbook.deliverables.kickoff import build_kickoff, hypotheses_table, kickoff_sentences
from workbook.intake.engagement import load_engagement


@pytest.fixture
def tiny(tiny_dir):
    engagement = load_engagement(tiny_dir)
    return engagement, build_journeys(engagement)


def test_stage_counts_are_leads_entering_and_reaching_the_next_stage(tiny):
    _, journeys = tiny
    counts = stage_counts(journeys).set_index("from")
    # inquiry 6 (L1-L6) -> mql 5 (L6 open); mql 5 -> sal 4 (L2 out); sal 4 -> sql 3 (L3 open)
    assert counts["entered"].tolist() == [6, 5, 4, 3, 3]
    assert counts["converted"].tolist() == [5, 4, 3, 3, 1]
    assert counts.loc["opportunity", "naive_rate"] == pytest.approx(1 / 3)


def test_stage_entries_by_month_count_first_entries(tiny):
    _, journeys = tiny
    entries = stage_entries_by_month(journeys)
    assert entries.index[0] == pd.Timestamp("2026-01-01")
    assert entries.index[-1] == pd.Timestamp("2026-06-01")
    assert entries.loc["2026-01-01", "inquiry"] == 2
    assert entries.loc["2026-06-01", "inquiry"] == 1
    assert entries["won"].sum() == 1 and entries.loc["2026-04-01", "won"] == 1


def test_channel_return_gap_compares_spend_share_with_won_share(tiny):
    engagement, journeys = tiny
    gap = channel_return_gap(journeys, engagement.spend).set_index("channel")
    total = 10000 + 5000 + 2500.5 + 4000
    assert gap.loc["paid_social", "spend_share"] == pytest.approx(5000 / total)
    assert gap.loc["paid_social", "won_share"] == 0.0
    assert gap.loc["webinar", "won_share"] == 1.0  # L1 is the only won lead


def test_content_matrix_counts_zeros_and_lists_untagged_and_stale(tiny):
    engagement, _ = tiny
    config = engagement.config
    matrix = content_matrix(
        engagement.content, personas=config.personas, buying_stages=config.buying_stages
    )
    assert matrix.loc["economic_buyer", "awareness"] == 1
    assert matrix.loc["economic_buyer", "decision"] == 1
    assert matrix.loc["end_user"].sum() == 0
    assert matrix.to_numpy().sum() == 3
    assert untagged_assets(engagement.content) == ["A4"]
    # as_of 2026-06-30: 18 months earlier is 2024-12-30; A2 was published 2024-01-01
    assert stale_assets(engagement.content, as_of=engagement.as_of_timestamp) == ["A2"]


def test_kickoff_hypotheses_name_the_poor_return_channel_and_the_content_gap(tiny):
    engagement, journeys = tiny
    report = build_kickoff(engagement, journeys)
    keys = [h.key for h in report.hypotheses]
    assert "hypothesis.channel_return" in keys and "hypothesis.content_gap" in keys
    assert "hypothesis.weakest_step" not in keys  # fewer than 30 leads entered any step
    table = hypotheses_table(report.hypotheses, ("Our own idea.",), language="en")
    assert table["hypothesis"].iloc[0].startswith("Paid social takes 23.3% of spend")
    assert table["hypothesis"].iloc[-1] == "Our own idea."


def test_kickoff_sentences_quote_the_figures(tiny):
    engagement, journeys = tiny
    report = build_kickoff(engagement, journeys)
    en = kickoff_sentences(report, language="en", currency="EUR")
    assert en["spend"] == (
        "€21,500 spent between Jan 2026 and Mar 2026 (3 months); "
        "Webinar takes the largest share (46.5%)."
    )
    assert en["inventory"].startswith("22 of 22 rows are usable (100.0%)")
    fr = kickoff_sentences(report, language="fr", currency="EUR")
    assert fr["spend"].startswith("21\u202f500\u202f€ dépensés entre janv. 2026 et mars 2026")
    assert report.duplicates == 1


def test_data_issues_are_shown_in_the_report_language_with_human_column_names(tiny_dir):
    engagement = load_engagement(tiny_dir)
    fr = build_kickoff(engagement, language="fr").issues.set_index("column")["message"]
    en = build_kickoff(engagement, language="en").issues.set_index("column")["message"]
    # the export's mql_at is the client's "MQL date", in the table and in the message
    assert en["MQL date"] == (
        "the lead reached a later stage with no MQL date: it counts as reaching MQL on the "
        "date of the next stage it reached"
    )
    assert fr["Date de passage en MQL"].startswith(
        "le lead a atteint une étape suivante sans date de passage en MQL\u00a0:"
    )
    assert fr["E-mail"] == (
        "même e-mail qu'un lead précédent (casse et espaces ignorés)\u00a0: à revoir et fusionner"
    )
    assert en[""] == (
        "asset without a persona or a buying stage: it fills no cell of the content matrix"
    )
    for shown in [*en.index, *en, *fr.index, *fr]:
        assert "_" not in shown  # no mql_at, buying_stage, source_channel
