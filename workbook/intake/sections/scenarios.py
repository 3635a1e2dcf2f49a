"""engagement.yaml's ``scenarios:``: named overrides of the plan's targets, assumptions and budget.

.. code-block:: yaml

    scenarios:
      - name: conservative            # required, unique
        description: Lower win rate   # optional text
        targets: {revenue: 5000000, ramp_months: 6}     # revenue, period_start, period_months, ramp_months
        assumptions:                                    # as the top-level assumptions: section
          avg_deal_size: 42000
          conversion: {opportunity_won: 0.22}
          lag_days: {opportunity_won: 90}
        budget: {mix: {webinar: 0.6, events: 0.4}}     # as the top-level budget: section

A scenario starts from engagement.yaml's targets and assumptions and overrides only what it
names; its budget starts from the top-level ``budget:`` section.

See Also
--------
workbook.analysis.plan.apply_scenario : the plan settings of a scenario.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from workbook.intake.keys import (
    CONFIG_FILE,
    MAX_MONTHS,
    amount,
    as_month,
    pair_overrides,
    section_mapping,
    stage_pairs,
    unknown_key_problem,
    whole_number,
)
from workbook.intake.problems import Problem
from workbook.intake.sections.budget import BudgetSettings, parse_budget

SCENARIO_KEYS: tuple[str, ...] = ("name", "description", "targets", "assumptions", "budget")
SCENARIO_TARGET_KEYS: tuple[str, ...] = ("revenue", "period_start", "period_months", "ramp_months")
SCENARIO_ASSUMPTION_KEYS: tuple[str, ...] = ("avg_deal_size", "conversion", "lag_days")


@dataclass(frozen=True)
class Scenario:
    """One entry of ``scenarios:``: a name and the overrides it applies.

    Attributes
    ----------
    name : str
    description : str
    revenue : float or None
        Target revenue (currency); None keeps engagement.yaml's.
    period_start : str or None
        ``YYYY-MM``; None keeps engagement.yaml's.
    period_months, ramp_months : int or None
        None keeps engagement.yaml's.
    avg_deal_size : float or None
    conversion, lag_days : mapping
        ``<from>_<to>`` -> rate in (0, 1] / days >= 0.
    budget : BudgetSettings
        The top-level ``budget:`` section with the scenario's own on top.
    """

    name: str
    description: str = ""
    revenue: float | None = None
    period_start: str | None = None
    period_months: int | None = None
    ramp_months: int | None = None
    avg_deal_size: float | None = None
    conversion: Mapping[str, float] = field(default_factory=dict)
    lag_days: Mapping[str, float] = field(default_factory=dict)
    budget: BudgetSettings = field(default_factory=BudgetSettings)


def unnamed_scenarios(raw: Sequence[object] | None) -> list[Problem]:
    """One problem per entry of ``scenarios:`` that is not a section with a ``name:``.

    :func:`workbook.intake.config.parse_config` checks this with the file's keys and types,
    before it parses the scenarios.
    """
    return [
        Problem(CONFIG_FILE, f"scenarios[{i}]", "each needs a name and its overrides")
        for i, entry in enumerate(raw or (), start=1)
        if not isinstance(entry, Mapping) or not str(entry.get("name") or "").strip()
    ]


def _targets(raw: Mapping, where: str, problems: list[Problem]) -> dict[str, Any]:
    targets: dict[str, Any] = {}
    for key, value in raw.items():
        at = f"{where}.{key}"
        if key not in SCENARIO_TARGET_KEYS:
            problems.append(unknown_key_problem(where, key, SCENARIO_TARGET_KEYS))
        elif key == "period_start":
            month = as_month(value)
            if month is not None:
                targets[key] = month
            else:
                problems.append(
                    Problem(
                        CONFIG_FILE,
                        at,
                        f"must be a month like '2027-01' (from 1980-01 to 2099-12), got {value!r}",
                    )
                )
        elif key == "revenue":
            revenue = amount(value, at, problems)
            if revenue is not None:
                targets[key] = revenue
        else:
            least = 1 if key == "period_months" else 0
            months = whole_number(
                raw, key, -1, where=where, minimum=least, maximum=MAX_MONTHS, problems=problems
            )
            if months >= 0:
                targets[key] = months
    return targets


def _scenario(
    entry: Mapping, where: str, pairs: Sequence[str], budget: BudgetSettings
) -> tuple[Scenario, list[Problem]]:
    problems: list[Problem] = [
        unknown_key_problem(where, key, SCENARIO_KEYS) for key in entry if key not in SCENARIO_KEYS
    ]
    targets = _targets(
        section_mapping(entry, "targets", where, problems), f"{where}.targets", problems
    )
    assumptions = section_mapping(entry, "assumptions", where, problems)
    problems.extend(
        unknown_key_problem(f"{where}.assumptions", key, SCENARIO_ASSUMPTION_KEYS)
        for key in assumptions
        if key not in SCENARIO_ASSUMPTION_KEYS
    )
    deal = assumptions.get("avg_deal_size")
    if deal is not None:
        deal = amount(deal, f"{where}.assumptions.avg_deal_size", problems)
    conversion = pair_overrides(
        assumptions.get("conversion"),
        f"{where}.assumptions.conversion",
        pairs,
        problems,
        rate=True,
    )
    lags = pair_overrides(
        assumptions.get("lag_days"), f"{where}.assumptions.lag_days", pairs, problems, rate=False
    )
    own_budget, budget_problems = parse_budget(
        section_mapping(entry, "budget", where, problems), where=f"{where}.budget", base=budget
    )
    problems.extend(budget_problems)
    description = entry.get("description")
    if description is not None and not isinstance(description, str):
        problems.append(Problem(CONFIG_FILE, f"{where}.description", "must be text"))
    scenario = Scenario(
        name=str(entry["name"]).strip(),
        description=str(description or ""),
        revenue=targets.get("revenue"),
        period_start=targets.get("period_start"),
        period_months=targets.get("period_months"),
        ramp_months=targets.get("ramp_months"),
        avg_deal_size=float(deal) if deal is not None else None,
        conversion=conversion,
        lag_days=lags,
        budget=own_budget,
    )
    return scenario, problems


def parse_scenarios(
    raw: Sequence[object] | None,
    *,
    stages: Sequence[str],
    budget: BudgetSettings | None = None,
) -> tuple[tuple[Scenario, ...], list[Problem]]:
    """Validate the ``scenarios:`` list of engagement.yaml (schema in the module docstring).

    Parameters
    ----------
    raw : sequence or None
        The list as read.
    stages : sequence of str
        The funnel ladder (for ``<from>_<to>`` keys).
    budget : BudgetSettings, optional
        The top-level ``budget:`` section, which each scenario's ``budget:`` overrides.

    Returns
    -------
    scenarios : tuple of Scenario
        The named entries, in the order of the file.
    problems : list of Problem
        Every problem, each naming its key path: entries without a name, unknown keys (with
        the closest valid one), wrong types, values out of range, repeated names, an invalid
        ``budget:`` section.

    Examples
    --------
    >>> (s,), problems = parse_scenarios(
    ...     [{"name": "big", "targets": {"revenue": 9e6}}], stages=("lead", "opportunity", "won"))
    >>> s.name, s.revenue, s.period_months, problems
    ('big', 9000000.0, None, [])
    """
    pairs = stage_pairs(stages)
    budget = budget or BudgetSettings()
    problems = unnamed_scenarios(raw)
    scenarios: list[Scenario] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw or (), start=1):
        where = f"scenarios[{i}]"
        if not isinstance(entry, Mapping) or not str(entry.get("name") or "").strip():
            continue  # reported by unnamed_scenarios
        name = str(entry["name"]).strip()
        if name in seen:
            problems.append(
                Problem(
                    CONFIG_FILE, f"{where}.name", f"'{name}' is used twice: names must be unique"
                )
            )
        seen.add(name)
        scenario, found = _scenario(entry, where, pairs, budget)
        problems.extend(found)
        scenarios.append(scenario)
    return tuple(scenarios), problems


__all__ = [
    "SCENARIO_ASSUMPTION_KEYS",
    "SCENARIO_KEYS",
    "SCENARIO_TARGET_KEYS",
    "Scenario",
    "parse_scenarios",
    "unnamed_scenarios",
]
