"""The kickoff's sheets: the data audit, its issues, the funnel as exported, the content gaps."""

from __future__ import annotations

from workbook.analysis.baseline import audit_issues, audit_summary, stage_counts
from workbook.analysis.content import content_gaps, content_matrix
from workbook.analysis.journeys import Journeys
from workbook.deliverables.key_tables.frame import KeyTable, field_label, make_table, spec_columns
from workbook.deliverables.kickoff_words import issue_words
from workbook.deliverables.table_columns import table_columns
from workbook.i18n import text
from workbook.intake.engagement import Engagement


def data_tables(engagement: Engagement, journeys: Journeys, language: str) -> list[KeyTable]:
    """Data audit, its issues, and the funnel counts as exported (the kickoff's tables)."""
    summary = audit_summary(engagement.audit, engagement.files)
    issues = audit_issues(engagement.audit, language=language)
    # the messages in the client's words, as the kickoff report shows them (same rows)
    words = issue_words(engagement.audit, language=language)
    issues["message"] = issues["message"].map(lambda m: words.get(m, m))
    counts = stage_counts(journeys)
    stages = tuple(engagement.config.stages)
    t = text
    return [
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
        make_table(
            "funnel_counts",
            language,
            spec_columns(counts, table_columns("stage_counts", language)),
            about=t("xlsx.about.funnel_counts", language),
        ),
    ]


def content_tables(engagement: Engagement, language: str) -> list[KeyTable]:
    """The content gaps (:func:`workbook.analysis.content.content_gaps`); without an inventory
    the sheet is empty and says why."""
    config = engagement.config
    matrix = content_matrix(
        engagement.content, personas=config.personas, buying_stages=config.buying_stages
    )
    gaps = content_gaps(matrix, min_assets=config.min_assets_per_cell)
    notes: tuple[str, ...] = ()
    if not engagement.has("content"):  # no inventory: no gap, the sheet says why
        gaps, notes = gaps.iloc[:0], (text("missing.content", language),)
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
