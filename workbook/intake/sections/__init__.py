"""The sections of ``engagement.yaml`` that analyses read: each parsed once, into a frozen value.

:func:`workbook.intake.config.parse_config` checks the keys and types of the whole file
first; when they hold, it parses these sections, in this order, each reporting every problem
against its key path:

- :mod:`~workbook.intake.sections.scenarios`: ``scenarios:`` -> tuple of :class:`Scenario`;
- :mod:`~workbook.intake.sections.budget`: ``budget:`` -> :class:`BudgetSettings`;
- :mod:`~workbook.intake.sections.lead_management`: ``lead_management:`` ->
  :class:`LeadManagementSettings`;
- :mod:`~workbook.intake.sections.questions`: ``content.questions:`` ->
  :class:`QuestionOverrides`;
- :mod:`~workbook.intake.sections.labels`: ``labels:`` -> value -> language -> label;
- :mod:`~workbook.intake.sections.mapping`: ``columns:`` and ``values:`` -> one
  :class:`FileMapping` per data file (parsed with the rest of the file's keys, since reading
  the data needs them).

Analyses receive these values on :class:`workbook.intake.config.EngagementConfig` and never
read YAML.
"""

from workbook.intake.sections.budget import BudgetSettings, parse_budget
from workbook.intake.sections.labels import parse_labels
from workbook.intake.sections.lead_management import (
    LeadManagementSettings,
    parse_lead_management,
)
from workbook.intake.sections.mapping import FileMapping, parse_mappings
from workbook.intake.sections.questions import QuestionOverrides, parse_question_overrides
from workbook.intake.sections.scenarios import Scenario, parse_scenarios, unnamed_scenarios

__all__ = [
    "BudgetSettings",
    "FileMapping",
    "LeadManagementSettings",
    "QuestionOverrides",
    "Scenario",
    "parse_budget",
    "parse_labels",
    "parse_lead_management",
    "parse_mappings",
    "parse_question_overrides",
    "parse_scenarios",
    "unnamed_scenarios",
]
