"""The final report's sheets written from what its notebook saved: today's and the plan's budget
mix, the scoring model and its weights, the hand-off SLAs and the merge review with its lead ids.

The strategy build (:func:`workbook.deliverables.strategy.build_strategy`) is slow on a large
engagement and the final notebook already runs it, so these sheets are never recomputed here:
they are written from the tables the final notebook saved
(:func:`workbook.deliverables.final_tables.final_tables`, read back as ``phase_tables`` of
:func:`workbook.deliverables.key_tables.build_key_tables`), keyed by :data:`PHASE_TABLES`.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping

import pandas as pd

from workbook.deliverables.key_tables.frame import Column, KeyTable, make_table, spec_columns
from workbook.deliverables.strategy_text import feature_label
from workbook.deliverables.table_columns import labelled, table_columns
from workbook.i18n import CATALOGUE, text

#: The tables of :func:`workbook.deliverables.final_tables.final_tables` these sheets read, and
#: the sheet each one gives: ``budget`` (today's mix beside the plan's) -> ``budget_mix``,
#: ``scoring_summary`` (``measure``, ``value`` rows) -> ``scoring_model``, ``scoring_weights``
#: (:func:`workbook.deliverables.strategy_text.weights_table`) -> ``scoring_weights``, ``sla``
#: -> ``sla``, ``merge_review`` (every group with its lead ids) -> ``merge_review``.
PHASE_TABLES = ("budget", "scoring_summary", "scoring_weights", "sla", "merge_review")

#: How each measure of the scoring summary is shown (``strategy.metric.<key>`` -> kind).
_METRIC_KINDS = {
    "threshold": "float2",
    "precision": "percent",
    "recall": "percent",
    "flagged": "percent",
    "base_rate": "percent",
    "auc": "float2",
    "holdout": "int",
}
#: The merge review's columns: the report's review table's, with the account and every id.
_REVIEW = (
    ("review_kind", "strategy.label.review_kind", "text"),
    ("account_id", "strategy.label.account", "text"),
    ("company", "strategy.label.company", "text"),
    ("lead_ids", "strategy.label.lead_ids", "text"),
    ("lead_count", "strategy.label.lead_count", "int"),
    ("hot_leads", "strategy.label.hot_leads", "int"),
    ("keep_lead_id", "strategy.label.keep", "text"),
)


def strategy_tables(
    phase_tables: Mapping[str, pd.DataFrame] | None, language: str
) -> tuple[list[KeyTable], tuple[str, ...]]:
    """The final notebook's sheets from its saved tables (budget mix first), and the note saying
    why they are left out when it saved none (the final phase did not run)."""
    saved = {k: phase_tables[k] for k in PHASE_TABLES if phase_tables and k in phase_tables}
    if not saved:
        return [], (text("xlsx.note.no_strategy", language),)
    # saved table -> (sheet, its columns)
    sheets = {
        "budget": ("budget_mix", lambda f: spec_columns(f, table_columns("budget_mix", language))),
        "scoring_summary": ("scoring_model", lambda f: _measures(f, language)),
        "scoring_weights": (
            "scoring_weights",
            lambda f: spec_columns(
                _weights_in_words(f, language), table_columns("score_weights", language)
            ),
        ),
        "sla": ("sla", lambda f: spec_columns(f, table_columns("sla", language))),
        "merge_review": (
            "merge_review",
            lambda f: spec_columns(_review_in_words(f, language), labelled(_REVIEW, language)),
        ),
    }
    tables = []
    for name, frame in saved.items():
        key, columns = sheets[name]
        empty = key == "merge_review" and not len(frame)
        tables.append(
            make_table(
                key,
                language,
                columns(frame),
                about=text(f"xlsx.about.{key}", language),
                notes=(text("xlsx.note.no_review", language),) if empty else (),
            )
        )
    return tables, ()


def _measures(summary: pd.DataFrame, language: str) -> list[Column]:
    """The scoring summary's ``measure``, ``value`` rows as one row, a column per measure,
    each shown as its kind (:data:`_METRIC_KINDS`; a measure not listed: whole when whole)."""
    columns: list[Column] = []
    for measure, value in zip(summary["measure"], summary["value"], strict=True):
        kind = _metric_kind(str(measure), language)
        if kind is None:
            kind = "int" if float(value).is_integer() else "float2"
        columns.append((str(measure), kind, [value]))
    return columns


def _metric_kind(measure: str, language: str) -> str | None:
    """The kind of the measure whose ``strategy.metric.<key>`` text reads ``measure`` (its
    placeholders, a month or a stage, match anything); None for another measure."""
    for key, kind in _METRIC_KINDS.items():
        template = CATALOGUE[language].get(f"strategy.metric.{key}", "")
        pattern = "".join(
            re.escape(literal) + (".+" if field is not None else "")
            for literal, field, _, _ in string.Formatter().parse(template)
        )
        if template and re.fullmatch(pattern, measure):
            return kind
    return None


def _weights_in_words(weights: pd.DataFrame, language: str) -> pd.DataFrame:
    """``weights`` as the report shows them: a model's raw ``feature``, ``weight`` frame gets
    the report's words (:func:`workbook.deliverables.strategy_text.weights_table` already has)."""
    if "effect" in weights:
        return weights
    weight = weights["weight"].to_numpy(float)
    return pd.DataFrame(
        {
            "feature": [feature_label(str(f), language) for f in weights["feature"]],
            "weight": weight,
            "effect": [
                text("strategy.weights.up" if w > 0 else "strategy.weights.down", language)
                for w in weight
            ],
        }
    )


def _review_in_words(review: pd.DataFrame, language: str) -> pd.DataFrame:
    """The review kinds in words (``same_email`` -> "Same e-mail: merge"); a review saved in
    words already (:func:`workbook.deliverables.final_tables.merge_review_export`, its headers
    the report's) stays as it is."""
    if "review_kind" not in review:
        return review
    labels = CATALOGUE[language]
    kinds = [
        labels.get(f"strategy.review.kind.{k}", k) if isinstance(k, str) else k
        for k in review["review_kind"]
    ]
    return review.assign(review_kind=kinds)
