"""The kickoff's sheets: the data audit, its issues, the funnel as exported, the content gaps.

The data audit and its issues are the validation's record (``engagement.audit``, what the run
validated once); the funnel counts and the content gaps are the tables the kickoff notebook
saved (:func:`workbook.deliverables.saved_tables.kickoff_saved_tables`).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from workbook.analysis.baseline import audit_issues, audit_summary
from workbook.deliverables.key_tables.frame import KeyTable, field_label, make_table, spec_columns
from workbook.deliverables.kickoff_words import issue_words
from workbook.deliverables.table_columns import table_columns
from workbook.i18n import text
from workbook.intake.engagement import Engagement


def data_tables(
    engagement: Engagement, saved: Mapping[str, pd.DataFrame], language: str
) -> list[KeyTable]:
    """Data audit, its issues, and the funnel counts as exported (the kickoff's tables; the
    funnel counts only when the kickoff ran)."""
    summary = audit_summary(engagement.audit, engagement.files)
    issues = audit_issues(engagement.audit, language=language)
    # the messages in the client's words, as the kickoff report shows them (same rows)
    words = issue_words(engagement.audit, language=language)
    issues["message"] = issues["message"].map(lambda m: words.get(m, m))
    stages = tuple(engagement.config.stages)
    t = text
    tables = [
        make_table(
            "data_audit",
            language,
            [
                (t("label.file", language), "text", summary["file"].astype(str)),
                (t("label.rows_read", language), "int", summary["read"]),
                (t("label.rows_used", language), "int", summary["used"]),
                (t("label.rows_quarantined", language), "int", summary["quarantined"]),
                (t("label.errors", language), "int", summary["errors"]),
                (t("label.warnings", language), "int", summary["warnings"]),
            ],
            about=t("xlsx.about.data_audit", language),
        ),
        make_table(
            "data_issues",
            language,
            [
                (
                    t("xlsx.col.severity", language),
                    "text",
                    [t(f"xlsx.severity.{s}", language) for s in issues["severity"]],
                ),
                (t("label.file", language), "text", issues["file"].astype(str)),
                (
                    t("label.column", language),
                    "text",
                    [field_label(c, language, stages=stages) for c in issues["column"]],
                ),
                (t("label.rows", language), "count", issues["rows"]),
                (t("xlsx.col.message", language), "text", issues["message"].astype(str)),
            ],
            about=t("xlsx.about.data_issues", language),
        ),
    ]
    counts = saved.get("kickoff_stage_counts")
    if counts is not None:
        tables.append(
            make_table(
                "funnel_counts",
                language,
                spec_columns(counts, table_columns("stage_counts", language)),
                about=t("xlsx.about.funnel_counts", language),
            )
        )
    return tables


def content_tables(
    engagement: Engagement, saved: Mapping[str, pd.DataFrame], language: str
) -> list[KeyTable]:
    """The content gaps the kickoff saved (``kickoff_content_gaps``); without an inventory
    the sheet is empty and says why; none when the kickoff did not run."""
    config = engagement.config
    if "kickoff_stage_counts" not in saved:  # the kickoff did not run
        return []
    gaps = saved.get("kickoff_content_gaps")
    notes: tuple[str, ...] = ()
    if gaps is None:  # no inventory: no gap, the sheet says why
        gaps = pd.DataFrame({c: [] for c in ("persona", "buying_stage", "assets", "needed")})
        notes = (text("missing.content", language),)
    t = text
    return [
        make_table(
            "content_gaps",
            language,
            [
                (t("label.persona", language), "pretty", gaps["persona"]),
                (t("label.buying_stage", language), "pretty", gaps["buying_stage"]),
                (t("label.assets", language), "int", gaps["assets"]),
                (t("xlsx.col.needed", language), "int", gaps["needed"]),
            ],
            about=t("xlsx.about.content_gaps", language, min_assets=config.min_assets_per_cell),
            notes=notes,
        )
    ]
