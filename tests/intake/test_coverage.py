"""Coverage: a file whose dates stop well before as_of, or start well after the others, warns."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from tests.conftest import SAMPLE_DIR
from workbook.intake.coverage import (
    STOP_GAP_DAYS,
    DataCoverage,
    FileCoverage,
    covered_months,
    data_coverage,
    silence_pvalue,
    stage_files,
)
from workbook.intake.engagement import load_engagement

AS_OF = dt.date(2026, 9, 30)


def _daily(start: str, end: str, *, every_days: int = 1, column: str = "created_at"):
    return pd.DataFrame({column: pd.date_range(start, end, freq=f"{every_days}D")})


def _monthly_spend(start: str, end: str, channels: int = 1) -> pd.DataFrame:
    months = pd.date_range(start, end, freq="MS")
    return pd.DataFrame(
        {
            "month": months.repeat(channels),
            "channel": [f"c{k}" for k in range(channels)] * len(months),
            "amount": 100.0,
        }
    )


def _frames_of(engagement) -> dict:
    return {stem: getattr(engagement, stem) for stem in engagement.files}


def test_a_leads_export_stopping_six_months_early_warns_with_the_file_and_its_range():
    # 8 leads a day for Oct 2024 .. Mar 2026, nothing in the six months to as_of
    leads = _daily("2024-10-01", "2026-03-31").loc[lambda f: f.index.repeat(8)]
    frames = {
        "leads": leads,
        "opportunities": _daily("2024-10-01", "2026-09-28", every_days=3),
        "spend": _monthly_spend("2024-10-01", "2026-09-01"),
    }
    coverage = data_coverage(frames, AS_OF, files={"leads": "Leads.xlsx"})

    cover = coverage.get("leads")
    assert (cover.first, cover.last) == (pd.Timestamp("2024-10-01"), pd.Timestamp("2026-03-31"))
    assert cover.stops_early and not cover.starts_late
    assert cover.covered_to == pd.Timestamp("2026-03-31")
    assert not coverage.get("opportunities").limited
    assert coverage.get("opportunities").covered_to == pd.Timestamp(AS_OF)
    [warning] = coverage.warnings
    assert (warning.file, warning.column, warning.code) == (
        "Leads.xlsx",
        "created_at",
        "coverage_stops_early",
    )
    # 8 leads a day: 8 x 30.44 = 243.5, rounded to 244 a month; 183 days silent to as_of
    assert warning.message.startswith(
        "dates run from 2024-10-01 to 2026-03-31: nothing in the 183 days before as_of "
        "(2026-09-30), where the file averaged 244 per month"
    )
    assert "les dates vont du 2024-10-01 au 2026-03-31" in warning.text("fr")
    assert warning.to_records() == [
        {"file": "Leads.xlsx", "row": None, "column": "created_at", "message": warning.message}
    ]


def test_a_file_starting_well_after_the_others_warns():
    frames = {
        "leads": _daily("2024-10-01", "2026-09-30"),
        "touches": _daily("2025-06-01", "2026-09-30", column="touched_at"),
    }
    coverage = data_coverage(frames, AS_OF)

    touches = coverage.get("touches")
    assert touches.starts_late and not touches.stops_early
    assert touches.covered_from == pd.Timestamp("2025-06-01")
    assert coverage.get("leads").covered_from == pd.Timestamp("2024-10-01")
    [warning] = coverage.warnings
    assert (warning.file, warning.column, warning.code) == (
        "touches.csv",
        "touched_at",
        "coverage_starts_late",
    )
    assert "they start 243 days after leads.csv (2024-10-01)" in warning.message


def test_a_sparse_file_quiet_for_a_quarter_is_its_pace_not_a_stop():
    # 4 opportunities in Feb-Mar, as_of end of June: p = exp(-4 / 150 * 102) = 0.066
    opportunities = pd.DataFrame(
        {"created_at": pd.to_datetime(["2026-02-01", "2026-02-15", "2026-03-15", "2026-03-20"])}
    )
    leads = _daily("2026-02-01", "2026-06-30")
    coverage = data_coverage({"leads": leads, "opportunities": opportunities}, "2026-06-30")
    assert coverage.warnings == ()
    assert coverage.get("opportunities").covered_to == pd.Timestamp("2026-06-30")


def test_a_monthly_spend_table_missing_its_last_three_months_warns():
    # one row a month: Poisson alone would call 3 silent months of 1 row a month plausible
    # (exp(-21 / 730 * 91) = 0.07); 21 of 24 months held a row, so (3/24)^(91/30.44) < 1%
    frames = {
        "leads": _daily("2024-10-01", "2026-09-30"),
        "spend": _monthly_spend("2024-10-01", "2026-06-01"),
    }
    coverage = data_coverage(frames, AS_OF)
    spend = coverage.get("spend")
    assert spend.last == pd.Timestamp("2026-06-30")  # a spend month runs to its last day
    assert spend.stops_early
    assert [w.code for w in coverage.warnings] == ["coverage_stops_early"]


def test_a_file_two_months_short_of_as_of_is_not_flagged_whatever_its_pace():
    leads = _daily("2024-10-01", "2026-08-01").loc[lambda f: f.index.repeat(50)]
    coverage = data_coverage({"leads": leads}, AS_OF)
    assert (pd.Timestamp(AS_OF) - coverage.get("leads").last).days == STOP_GAP_DAYS
    assert coverage.warnings == ()


def test_the_bundled_sample_is_fully_covered():
    engagement = load_engagement(SAMPLE_DIR, full_audit=False)
    coverage = data_coverage(_frames_of(engagement), engagement.as_of, files=engagement.files)
    assert coverage.warnings == ()
    assert coverage.limited == ()
    leads = coverage.get("leads")
    assert (leads.first, leads.last) == (pd.Timestamp("2024-10-01"), pd.Timestamp("2026-09-30"))
    content = coverage.get("content")
    assert not content.checked and content.covered_to is None
    assert len(covered_months(coverage, ["leads", "opportunities"])) == 24


def test_the_tiny_engagement_is_fully_covered(tiny_dir):
    # its touches stop 138 days before as_of, its opportunities 102 days: 4 rows each
    tiny = load_engagement(tiny_dir)
    coverage = data_coverage(_frames_of(tiny), tiny.as_of, files=tiny.files)
    assert coverage.warnings == ()
    assert coverage.get("touches").last == pd.Timestamp("2026-02-12")
    assert coverage.get("touches").covered_to == pd.Timestamp("2026-06-30")
    assert coverage.data_start == pd.Timestamp("2026-01-01")  # spend's first month


def test_a_file_not_provided_restricts_nothing():
    frames = {"leads": _daily("2025-01-01", "2026-09-30"), "touches": None, "spend": None}
    coverage = data_coverage(frames, AS_OF)
    assert [f.stem for f in coverage.files] == ["leads"]
    assert coverage.span(["leads", "spend"]) == (
        pd.Timestamp("2025-01-01"),
        pd.Timestamp("2026-09-30"),
    )


def test_covered_months_end_at_the_earliest_stop_of_the_files_read():
    leads = FileCoverage(
        "leads",
        "leads.csv",
        "created_at",
        100,
        pd.Timestamp("2025-01-10"),
        pd.Timestamp("2025-06-15"),
        stops_early=True,
        covered_from=pd.Timestamp("2025-01-10"),
        covered_to=pd.Timestamp("2025-06-15"),
    )
    opportunities = FileCoverage(
        "opportunities",
        "opportunities.csv",
        "created_at",
        20,
        pd.Timestamp("2025-01-10"),
        pd.Timestamp("2025-09-30"),
        covered_from=pd.Timestamp("2025-01-10"),
        covered_to=pd.Timestamp("2025-09-30"),
    )
    coverage = DataCoverage(pd.Timestamp("2025-09-30"), (leads, opportunities))
    months = covered_months(coverage, stage_files("won", ("inquiry", "opportunity", "won")))
    assert [str(m) for m in months] == [
        "2025-01",
        "2025-02",
        "2025-03",
        "2025-04",
        "2025-05",
        "2025-06",
    ]
    complete = covered_months(coverage, ["leads"], complete=True)
    assert str(complete[-1]) == "2025-05"  # June is covered to the 15th only
    assert str(covered_months(coverage, ["opportunities"], complete=True)[-1]) == "2025-09"


@pytest.mark.parametrize(
    ("rows", "held", "span_days", "span_months", "silent_days", "expected"),
    [
        # Poisson: exp(-4 / 150 * 102) = 0.0654; monthly: (1 - 2/5) ** (102 / 30.4375) = 0.180
        (4, 2, 150, 5, 102, math.exp(-4 / 150 * 102)),
        # monthly: (1 - 21/24) ** (91 / 30.4375) = 0.0020; Poisson exp(-21/730*91) = 0.073
        (21, 21, 730, 24, 91, (3 / 24) ** (91 / (365.25 / 12))),
    ],
)
def test_silence_pvalue_is_the_smaller_of_the_poisson_and_monthly_readings(
    rows, held, span_days, span_months, silent_days, expected
):
    value = silence_pvalue(
        rows, held, span_days=span_days, span_months=span_months, silent_days=silent_days
    )
    assert value == pytest.approx(expected)


def test_the_coverage_is_found_once_at_validation_and_kept_on_the_engagement(tmp_path):
    # the same object every figure reads, its warnings the audit's
    from tests.conftest import write_engagement
    from workbook.intake.engagement import load_engagement

    engagement = load_engagement(write_engagement(tmp_path / "e"))
    # content's publication dates are shown, not checked
    assert {f.stem for f in engagement.coverage.files} == {
        "leads",
        "opportunities",
        "spend",
        "content",
        "touches",
    }
    assert set(engagement.coverage.warnings) <= set(engagement.audit.warnings)
