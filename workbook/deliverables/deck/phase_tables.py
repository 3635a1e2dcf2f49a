"""The tables the phase notebooks save for the decks (``ctx.finish(tables=...)``).

:data:`DECK_TABLES` names each table a deck chart reads and the columns it needs; the
builders of :mod:`workbook.deliverables.deck.table_visuals` read nothing else. A table a phase did not
save leaves its finding's slide with the finding's words only.
"""

from __future__ import annotations

from collections.abc import Mapping

#: Table name -> (the columns the deck reads, where the table comes from).
DECK_TABLES: Mapping[str, tuple[tuple[str, ...], str]] = {
    "scorecard": (
        ("kpi", "figure", "detail"),
        "workbook.deliverables.midpoint_tables.scorecard_table (text, formatted)",
    ),
    "attribution": (
        ("channel",),
        "workbook.deliverables.midpoint_facts.attribution_shares: channel, then one share "
        "(0..1) column per model",
    ),
    "plan_schedule": (
        ("month", "stage", "gross", "run_rate"),
        "FinalQuantReport.schedule (PlanReport.schedule_frame)",
    ),
    "budget": (
        (
            "channel",
            "today_spend_share",
            "plan_budget_share",
            "today_lead_share",
            "plan_lead_share",
        ),
        "workbook.analysis.reconcile.mix_comparison(budget.costs, budget.allocation)",
    ),  # fmt: skip
    "tornado": (
        ("assumption", "total_at_low", "total_at_high", "base_total"),
        "FinalQuantReport.tornado (workbook.analysis.plan.tornado)",
    ),
    "content_matrix": (
        (),
        "workbook.analysis.content.matrix.content_matrix: index persona, one count column "
        "per buying stage",
    ),
}


__all__ = ["DECK_TABLES"]
