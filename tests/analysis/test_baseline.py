"""Tests for workbook.analysis.baseline: the kickoff's funnel as exported and its audit tables.

Expectations are counted by hand on the tiny engagement of tests/conftest.py:

- L1 inquiry, mql, sal, sql, opportunity (O1), won; L2 inquiry, mql, disqualified;
- L3 inquiry, mql, sal, open; L4 inquiry, mql empty (skipped: it passes mql on its sal day),
  sal, sql, opportunity (O4 open); L5 inquiry to opportunity (O2 lost); L6 inquiry.
- Warnings: L4's skipped mql, L4's e-mail " Ann@Alpha.example" (L1's, spaces and case
  aside), the untagged asset A4. No error.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from workbook.analysis.baseline import audit_issues, audit_summary, stage_counts
from workbook.analysis.journeys import build_journeys
from workbook.intake.engagement import load_engagement
from workbook.intake.problems import Audit, Problem, RowCount


@pytest.fixture
def tiny(tiny_dir):
    return load_engagement(tiny_dir)


def test_stage_counts_are_the_leads_entering_each_stage_and_reaching_the_next(tiny):
    counts = stage_counts(build_journeys(tiny))
    assert counts.to_dict("records") == [
        # every lead is an inquiry; all but L6 reach mql (L4 through its skipped stage)
        {"from": "inquiry", "to": "mql", "entered": 6, "converted": 5, "naive_rate": 5 / 6},
        # L2 is disqualified in mql
        {"from": "mql", "to": "sal", "entered": 5, "converted": 4, "naive_rate": 4 / 5},
        # L3 stays in sal
        {"from": "sal", "to": "sql", "entered": 4, "converted": 3, "naive_rate": 3 / 4},
        {"from": "sql", "to": "opportunity", "entered": 3, "converted": 3, "naive_rate": 1.0},
        # O1 won, O2 lost, O4 open
        {"from": "opportunity", "to": "won", "entered": 3, "converted": 1, "naive_rate": 1 / 3},
    ]


def test_a_stage_no_lead_entered_has_no_naive_rate(tiny):
    journeys = build_journeys(tiny)
    early = journeys.steps.loc[journeys.steps["stage"] == "inquiry"]
    counts = stage_counts(dataclasses.replace(journeys, steps=early))
    assert counts["entered"].tolist() == [6, 0, 0, 0, 0]
    assert counts["converted"].tolist() == [5, 0, 0, 0, 0]
    assert counts["naive_rate"].isna().tolist() == [False, True, True, True, True]


def test_audit_summary_accounts_for_every_file_with_its_problems(tiny):
    summary = audit_summary(tiny.audit, tiny.files)
    assert summary.columns.tolist() == [
        "file",
        "read",
        "used",
        "quarantined",
        "errors",
        "warnings",
    ]
    by_file = summary.set_index("file")
    assert by_file["read"].to_dict() == {
        "leads.csv": 6,
        "opportunities.csv": 4,
        "spend.csv": 4,
        "content.csv": 4,
        "touches.csv": 4,
    }
    assert (by_file["used"] == by_file["read"]).all()
    assert by_file["quarantined"].sum() == 0 and by_file["errors"].sum() == 0
    # leads.csv: L4's skipped mql and repeated e-mail; content.csv: the untagged A4
    assert by_file["warnings"].to_dict() == {
        "leads.csv": 2,
        "opportunities.csv": 0,
        "spend.csv": 0,
        "content.csv": 1,
        "touches.csv": 0,
    }


def test_audit_issues_list_the_tiny_engagement_warnings_in_either_language(tiny):
    issues = audit_issues(tiny.audit)
    assert issues[["severity", "file", "column", "rows"]].to_dict("records") == [
        {"severity": "warning", "file": "leads.csv", "column": "mql_at", "rows": 1},
        {"severity": "warning", "file": "leads.csv", "column": "email", "rows": 1},
        {"severity": "warning", "file": "content.csv", "column": "", "rows": 1},
    ]
    assert issues["message"][0].startswith("no mql date although a later stage is dated")
    french = audit_issues(tiny.audit, language="fr")
    assert french["message"][0].startswith("pas de date de passage en mql")
    assert french.drop(columns="message").equals(issues.drop(columns="message"))


def test_audit_issues_put_errors_first_then_the_most_rows_first():
    audit = Audit(
        errors=(
            Problem("Leads.xlsx", "created_at", "unreadable date", rows=(2,)),
            Problem("spend.csv", None, "missing column month"),
            Problem("Leads.xlsx", "lead_id", "empty id", rows=(3, 4, 5)),
        ),
        warnings=(Problem("touches.csv", "lead_id", "unknown lead", rows=tuple(range(1, 10))),),
        rows={"leads": RowCount(read=5, used=1, quarantined=4), "spend": RowCount(0, 0, 0)},
    )
    issues = audit_issues(audit)
    # a file-level problem names no row: its count is missing (an empty cell), not 0
    assert issues[["severity", "message", "rows"]].astype(object).where(
        issues[["severity", "message", "rows"]].notna(), None
    ).to_dict("records") == [
        {"severity": "error", "message": "empty id", "rows": 3},
        {"severity": "error", "message": "unreadable date", "rows": 1},
        {"severity": "error", "message": "missing column month", "rows": None},
        {"severity": "warning", "message": "unknown lead", "rows": 9},
    ]
    summary = audit_summary(audit, {"leads": "Leads.xlsx"})
    # each file named as the user knows it (problems name it so too); a file-level error
    # counts once
    expected = pd.DataFrame(
        {
            "file": ["Leads.xlsx", "spend.csv"],
            "read": [5, 0],
            "used": [1, 0],
            "quarantined": [4, 0],
            "errors": [2, 1],
            "warnings": [0, 0],
        }
    )
    pd.testing.assert_frame_equal(summary, expected)
