"""Client reports carry no developer text (issue 17, item 5).

The kickoff, mid-point and final reports of the tiny engagement, in English and French, are read
as the client would (HTML and Markdown, tags stripped) and searched for configuration
instructions (``engagement.yaml``, YAML keys), column and key names in snake_case, "log-odds",
and ``None`` / ``nan`` standing for a figure. The kickoff's data-issues table is the one place a
column name may appear: it tells the consultant which column to fix, so its rows are left out.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from tests.conftest import execute_notebook, write_engagement
from workbook.deliverables.kickoff import kickoff_sentences
from workbook.i18n import text

REPORTS = ("00_kickoff.ipynb", "01_midpoint_insights.ipynb", "02_final_strategy.ipynb")
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
EMAIL = re.compile(r"\S+@\S+")
FORBIDDEN = (
    re.compile(r"engagement\.yaml"),
    re.compile(r"[a-z]_at\b"),  # mql_at, won_at, closed_at
    re.compile(r"log-odds|log-cotes"),
    re.compile(r"\bNone\b"),
    re.compile(r"\bnan\b", re.IGNORECASE),
    SNAKE,
)


class _Visible(HTMLParser):
    """The words a reader sees in an HTML fragment, one table row or block per line; the
    rows of a table with a "Column" header (the data-issues table) are skipped."""

    def __init__(self, column_header: str) -> None:
        super().__init__()
        self.lines: list[str] = [""]
        self.hidden = 0
        self.column_header = column_header
        self.issues_table = False
        self.in_table = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        if tag == "table":
            self.in_table += 1
        if tag in ("p", "tr", "li", "div", "br", "h1", "h2", "h3", "h4", "caption"):
            self.lines.append("")
        if tag in ("td", "th"):
            self.lines[-1] += " | "

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden -= 1
        if tag == "table":
            self.in_table -= 1
            self.issues_table = False

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if self.in_table and data.strip() == self.column_header:
            self.issues_table = True  # the consultant's table: column names are the point
        if self.issues_table:
            return
        self.lines[-1] += data


def visible_text(nb, language: str) -> str:
    """Everything a report displays as HTML or Markdown, tags stripped, e-mails left out."""
    parser = _Visible(text("label.column", language))
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            for mime in ("text/html", "text/markdown"):
                data = out.get("data", {}).get(mime)
                if data:
                    parser.feed(data if isinstance(data, str) else "".join(data))
                    parser.lines.append("")
    return EMAIL.sub("", "\n".join(line for line in parser.lines if line.strip()))


def developer_text(report: str) -> list[str]:
    """The lines of ``report`` that carry a forbidden pattern, with the match."""
    return [
        f"{match.group(0)!r} in {line.strip()[:160]!r}"
        for line in report.splitlines()
        for pattern in FORBIDDEN
        if (match := pattern.search(line))
    ]


@pytest.mark.notebook
@pytest.mark.parametrize("language", ["en", "fr"])
def test_reports_carry_no_developer_text(tmp_path, language):
    engagement = write_engagement(tmp_path / "tiny")
    shown = {
        name: visible_text(
            execute_notebook(name, tmp_path, engagement_dir=str(engagement), language=language),
            language,
        )
        for name in REPORTS
    }
    for name, report in shown.items():
        assert len(report) > 2000, name  # the report rendered its sections
        assert developer_text(report) == [], name
    # the sentences rewritten for a client reader are the ones shown
    no_stakeholders = {
        "en": "No stakeholders were named for this engagement yet.",
        "fr": "Aucune partie prenante n'a encore été désignée pour cette mission.",
    }
    no_scenarios = {
        "en": "No scenarios were defined for this engagement, so the plan above is the only case",
        "fr": "Aucun scénario n'a été défini pour cette mission",
    }
    assert no_stakeholders[language] in shown["00_kickoff.ipynb"]
    assert no_scenarios[language] in shown["02_final_strategy.ipynb"]


def test_the_pattern_catches_what_the_issue_saw():
    seen = (
        "engagement.yaml defines no scenarios: add a scenarios: list",
        "empty mql_at but a later stage is set",
        "buying_stage",
        "Weight (log-odds)",
        "Amount | None",
        "ROI | nan",
    )
    assert all(developer_text(line) for line in seen)
    assert developer_text("Inquiry → MQL | 24.4% | No row had to be set aside") == []


@pytest.mark.parametrize(
    ("quarantined", "warnings", "english", "french"),
    [
        (
            0,
            0,
            "No row had to be set aside, and no warning needs a look;",
            "Aucune ligne n'a dû être écartée, et aucun avertissement n'est à examiner",
        ),
        (
            1,
            1,
            "1 row was set aside with its reason, and 1 warning needs a look;",
            "1 ligne a été écartée, avec son motif, et 1 avertissement est à examiner",
        ),
        (
            1200,
            3,
            "1,200 rows were set aside with a reason each, and 3 warnings need a look;",
            "1\u202f200 lignes ont été écartées, chacune avec son motif, et 3 avertissements",
        ),
    ],
)
def test_the_inventory_sentence_says_no_row_rather_than_zero_rows(
    tiny_dir, quarantined, warnings, english, french
):
    from dataclasses import replace

    from workbook.deliverables.kickoff import build_kickoff
    from workbook.intake.engagement import load_engagement

    report = build_kickoff(load_engagement(tiny_dir))
    audit = report.audit_summary.copy()
    audit["quarantined"] = 0
    audit.loc[audit.index[0], "quarantined"] = quarantined
    report = replace(report, audit_summary=audit, warnings_count=warnings)
    assert english in kickoff_sentences(report, language="en", currency="EUR")["inventory"]
    assert french in kickoff_sentences(report, language="fr", currency="EUR")["inventory"]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_days_in_tables_are_whole_days_as_the_sentences_say_them(language):
    from workbook.deliverables.display import table_html
    from workbook.deliverables.table_columns import table_columns

    stuck = pd.DataFrame(
        {
            "stage": ["opportunity"],
            "open_count": [85],
            "threshold_days": [135.0],
            "stuck_count": [5],
        }
    )
    shown = table_html(stuck, table_columns("stuck", language), language=language)
    assert '<td class="num">135</td>' in shown
    assert "135.0" not in shown and "135,0" not in shown
    header = {"en": "Stuck after (days)", "fr": "Bloqué après (jours)"}[language]
    assert header in shown
