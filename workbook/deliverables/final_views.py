"""What each section of the final report shows, given what the client's data supports.

The final notebook narrates; these functions decide. Each returns the charts and tables a
section shows, as a list of :class:`Block` (empty when the data supports none: the
section's sentence then says why), and :func:`show_blocks` displays them:

- :func:`budget_blocks`: the budget chart when the plan is priced (spend provided), the
  allocation table when lead channels were recorded;
- :func:`mix_blocks`: today's mix beside the plan's, when lead channels were recorded;
- :func:`plan_stages_blocks`: the stage totals, the last stage's conversion "not applicable"
  (there is no next stage to convert to);
- :func:`sla_blocks`: the SLA table, when a lead entered a stage with an agreed SLA;
- :func:`scenario_blocks`: the scenarios chart and table, when scenarios were defined.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from workbook.deliverables import display as show
from workbook.deliverables import plots
from workbook.deliverables.final_tables import budget_mix_table, sla_table
from workbook.deliverables.table_columns import table_columns
from workbook.deliverables.thin_data import channel_recorded
from workbook.i18n import format_percent, text

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from workbook.deliverables.final import FinalQuantReport
    from workbook.deliverables.final_facts import FinalFacts

__all__ = [
    "Block",
    "budget_blocks",
    "mix_blocks",
    "plan_stages_blocks",
    "scenario_blocks",
    "show_blocks",
    "sla_blocks",
]


@dataclass(frozen=True)
class Block:
    """One chart (``figure``) or one table (``frame`` with its ``columns``) of a section."""

    figure: Any = None
    frame: pd.DataFrame | None = None
    columns: Mapping[str, tuple[str, str]] | None = None


def show_blocks(blocks: Sequence[Block], *, language: str, currency: str) -> None:
    """Display a section's charts and tables in order."""
    for block in blocks:
        if block.figure is not None:
            show.show_figure(block.figure)
        else:
            show.show_table(block.frame, block.columns, language=language, currency=currency)


def budget_blocks(quant: FinalQuantReport, *, language: str, currency: str) -> list[Block]:
    """The budget chart (priced plans only) and the allocation table (channels recorded)."""
    budget = quant.budget
    blocks = []
    if budget.priced:
        blocks.append(
            Block(
                figure=plots.budget_chart(
                    budget.allocation,
                    ltv_cac=budget.economics.ratio,
                    healthy_ratio=budget.economics.healthy_ratio,
                    currency=currency,
                    language=language,
                )
            )
        )
    if channel_recorded(budget.allocation["channel"]):  # else the sentence says none was
        blocks.append(
            Block(
                frame=budget.allocation,
                columns=table_columns("budget_allocation", language, spend=budget.priced),
            )
        )
    return blocks


def mix_blocks(facts: FinalFacts, *, language: str) -> list[Block]:
    """Today's mix beside the plan's, when lead channels were recorded."""
    budget = facts.quant.budget
    if not channel_recorded(budget.allocation["channel"]):
        return []
    return [
        Block(
            frame=budget_mix_table(facts, language=language),
            columns=table_columns("budget_mix", language, spend=budget.priced),
        )
    ]


def plan_stages_blocks(stages: pd.DataFrame, *, language: str) -> list[Block]:
    """The stage totals; the last stage converts to no next stage: "not applicable", never
    "not measurable"."""
    rates = [
        format_percent(rate, language) if k < len(stages) - 1 else text("final.not_applicable", language)
        for k, rate in enumerate(stages["rate"])
    ]  # fmt: skip
    columns = dict(table_columns("plan_stages", language))
    columns["rate"] = (columns["rate"][0], "text")
    return [Block(frame=stages.assign(rate=rates), columns=columns)]


def sla_blocks(sla: pd.DataFrame, *, language: str) -> list[Block]:
    """The SLA table; none (not an empty header) when no lead entered a stage with an SLA."""
    if not len(sla):
        return []
    return [Block(frame=sla_table(sla), columns=table_columns("sla", language))]


def scenario_blocks(
    quant: FinalQuantReport, *, first_stage: str, language: str, currency: str
) -> list[Block]:
    """The scenarios side by side, when engagement.yaml defines any."""
    scenarios = quant.scenarios
    if len(scenarios) <= 1:
        return []
    return [
        Block(
            figure=plots.scenario_chart(
                scenarios, first_stage=first_stage, currency=currency, language=language
            )
        ),
        Block(
            frame=scenarios.fillna({"scenario": text("plan.scenario.base", language)}),
            columns=table_columns("scenarios", language, spend=quant.budget.priced),
        ),
    ]
