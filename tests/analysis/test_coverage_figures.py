"""Run-rates, monthly trends and cohorts use only the months the data covers.

The engagement: a leads export taken on 2025-12-10 (nothing after it, stage dates included),
opportunities and spend that run to as_of (2026-06-30). Ten leads are created on days 1..10
of every month of 2025 (to the 10th in December); the first four of each month become MQLs
3 days later, the first two SALs 8 days later and SQLs 40 days later; the first lead of each
month Jan..Oct gets an opportunity on the 28th of the next month, won 30 days later.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import write_engagement
from workbook.analysis.baseline import stage_entries_by_month, stage_run_rate
from workbook.analysis.kpis import cohort_conversion
from workbook.analysis.plan import estimate_plan_inputs

EXPORT_DAY = pd.Timestamp("2025-12-10")


def _day(value: pd.Timestamp) -> str:
    return "" if value > EXPORT_DAY else value.date().isoformat()


def stopping_leads_export() -> tuple[str, str]:
    leads = ["lead_id,created_at,mql_at,sal_at,sql_at,source_channel,sourced_by"]
    opps = ["opportunity_id,lead_id,created_at,closed_at,status,amount,sourced_by"]
    for month in pd.period_range("2025-01", "2025-12", freq="M"):
        for k in range(10):
            created = month.start_time + pd.Timedelta(days=k)
            if created > EXPORT_DAY:
                break
            lead_id = f"L{month}-{k}"
            mql = _day(created + pd.Timedelta(days=3)) if k < 4 else ""
            sal = _day(created + pd.Timedelta(days=8)) if k < 2 else ""
            sql = _day(created + pd.Timedelta(days=40)) if k < 2 else ""
            leads.append(f"{lead_id},{created.date()},{mql},{sal},{sql},webinar,marketing")
        if month <= pd.Period("2025-10", "M"):
            opened = (month + 1).start_time + pd.Timedelta(days=27)
            won = opened + pd.Timedelta(days=30)
            opps.append(f"O{month},L{month}-0,{opened.date()},{won.date()},won,1000,marketing")
    for month in pd.period_range("2025-12", "2026-06", freq="M"):  # deals without a lead
        opened = month.start_time + pd.Timedelta(days=14)
        opps.append(f"N{month},,{opened.date()},,open,500,sales")
    return "\n".join(leads) + "\n", "\n".join(opps) + "\n"


def write_stopped_engagement(folder: Path) -> Path:
    """The engagement of this module: leads stop on 2025-12-10, the rest runs to as_of."""
    leads, opps = stopping_leads_export()
    spend = "month,channel,amount\n" + "".join(
        f"{m},webinar,1000\n" for m in pd.period_range("2025-01", "2026-06", freq="M")
    )
    files = {"data/leads.csv": leads, "data/opportunities.csv": opps, "data/spend.csv": spend}
    return write_engagement(folder, {**files, "data/touches.csv": None})


@pytest.fixture(scope="module")
def stopped_covered(stopped):
    """The shared ``stopped`` engagement (tests/conftest.py) with its coverage."""
    engagement, journeys = stopped
    return engagement, journeys, engagement.coverage


def test_the_leads_file_is_found_to_stop_on_its_last_creation(stopped_covered):
    engagement, _, coverage = stopped_covered
    assert engagement.as_of.isoformat() == "2026-06-30"
    assert [f.stem for f in coverage.limited] == ["leads"]
    assert coverage.get("leads").covered_to == EXPORT_DAY
    assert coverage.warnings[0].message.startswith("dates run from 2025-01-01 to 2025-12-10")


def test_monthly_entries_after_the_leads_stop_are_no_data_not_zero(stopped_covered):
    _, journeys, coverage = stopped_covered
    entries = stage_entries_by_month(journeys, coverage=coverage)
    assert entries.index[0] == pd.Timestamp("2025-01-01")
    assert entries.index[-1] == pd.Timestamp("2026-06-01")
    assert entries.loc["2025-12-01", "inquiry"] == 10.0  # December is covered to the 10th
    assert entries.loc["2025-06-01", ["inquiry", "mql", "sal", "sql"]].tolist() == [10, 4, 2, 2]
    assert entries.loc["2026-01-01":, "inquiry"].isna().all()
    assert entries.loc["2026-01-01":, "won"].isna().all()  # won reads leads and opportunities
    # without the coverage, the same months read 0 (the failure this fixes)
    assert stage_entries_by_month(journeys).loc["2026-01-01":, "inquiry"].eq(0).all()


def test_the_run_rate_averages_the_last_complete_months_the_data_covers(stopped_covered):
    engagement, journeys, coverage = stopped_covered
    # leads cover Jan..Dec 10, 2025: the last six complete months are Jun..Nov 2025
    expected = [10.0, 4.0, 2.0, 2.0, 1.0, 1.0]
    np.testing.assert_allclose(stage_run_rate(journeys, coverage=coverage), expected)
    np.testing.assert_allclose(estimate_plan_inputs(engagement, journeys).run_rate, expected)
    # over the six months to as_of (Jan..Jun 2026) the leads file holds nothing
    np.testing.assert_allclose(stage_run_rate(journeys), [0.0] * 6)


def test_a_run_rate_needs_a_complete_covered_month(stopped_covered):
    _, journeys, coverage = stopped_covered
    rates = stage_run_rate(journeys, months=12, coverage=coverage)
    # Jan..Nov 2025: 11 complete months; inquiries 10 a month; SQLs from February on
    assert rates[0] == pytest.approx(10.0)
    assert rates[3] == pytest.approx(20 / 11)


def test_cohorts_are_observed_only_up_to_the_leads_stop(stopped_covered):
    _, journeys, coverage = stopped_covered
    covered = cohort_conversion(journeys, to_stage="sql", coverage=coverage)
    everything = cohort_conversion(journeys, to_stage="sql")
    # January's cohort ends Jan 31: 313 days to Dec 10 = 10 whole months observed
    assert covered.loc["2025-01-01", 2] == pytest.approx(0.2)
    assert covered.loc["2025-01-01"].notna().sum() == 10
    assert everything.loc["2025-01-01"].notna().sum() == 12
    # November's cohort: its SQLs would fall after the export; no data, not 0 %
    assert covered.loc["2025-11-01"].isna().all()
    assert everything.loc["2025-11-01", 2] == 0.0
    observed = covered.notna().to_numpy()
    pd.testing.assert_frame_equal(covered.where(observed), everything.where(observed))
