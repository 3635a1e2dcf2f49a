"""What a plan is computed with: engagement.yaml's targets and assumptions, and a scenario's.

See Also
--------
workbook.intake.sections.scenarios : the ``scenarios:`` section, parsed into :class:`Scenario`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from workbook.intake.config import EngagementConfig
from workbook.intake.keys import CONFIG_FILE, closest_key
from workbook.intake.problems import Problem
from workbook.intake.sections.scenarios import Scenario


class PlanError(ValueError):
    """The plan cannot be computed from these inputs; the message says how to fix it.

    Attributes
    ----------
    problems : tuple of Problem
        One per thing to fix, each naming ``engagement.yaml`` and the key concerned.
    """

    def __init__(self, problems: Sequence[Problem] | str):
        if isinstance(problems, str):
            problems = (Problem(CONFIG_FILE, None, problems),)
        self.problems = tuple(problems)
        super().__init__("; ".join(p.describe() for p in self.problems))


@dataclass(frozen=True)
class PlanSettings:
    """The targets and overrides a plan is computed with.

    ``avg_deal_size`` None means "from the data"; ``conversion`` and ``lag_days`` hold only
    overrides, keyed ``<from>_<to>``.
    """

    revenue: float | None
    period_start: str | None
    period_months: int = 12
    ramp_months: int = 0
    avg_deal_size: float | None = None
    conversion: Mapping[str, float] = field(default_factory=dict)
    lag_days: Mapping[str, float] = field(default_factory=dict)
    scenario: str | None = None


def plan_settings(config: EngagementConfig) -> PlanSettings:
    """engagement.yaml's targets and assumptions as :class:`PlanSettings`."""
    return PlanSettings(
        revenue=config.targets.revenue,
        period_start=config.targets.period_start,
        period_months=config.targets.period_months,
        ramp_months=config.targets.ramp_months,
        avg_deal_size=config.assumptions.avg_deal_size,
        conversion=dict(config.assumptions.conversion),
        lag_days=dict(config.assumptions.lag_days),
    )


def apply_scenario(settings: PlanSettings, scenario: Scenario) -> PlanSettings:
    """The settings with a scenario's overrides on top (what it names wins)."""
    s = scenario
    return replace(
        settings,
        revenue=s.revenue if s.revenue is not None else settings.revenue,
        period_start=s.period_start if s.period_start is not None else settings.period_start,
        period_months=s.period_months if s.period_months is not None else settings.period_months,
        ramp_months=s.ramp_months if s.ramp_months is not None else settings.ramp_months,
        avg_deal_size=s.avg_deal_size if s.avg_deal_size is not None else settings.avg_deal_size,
        conversion={**settings.conversion, **s.conversion},
        lag_days={**settings.lag_days, **s.lag_days},
        scenario=s.name,
    )


def find_scenario(scenarios: Sequence[Scenario], name: str) -> Scenario:
    """The scenario called ``name``.

    Raises
    ------
    PlanError
        When there is none, naming the closest and the available ones.
    """
    for scenario in scenarios:
        if scenario.name == name:
            return scenario
    names = [s.name for s in scenarios]
    if not names:
        fix = "engagement.yaml has no scenarios: section; add one (see the plan documentation)"
    else:
        hint = closest_key(name, names)
        fix = (f"did you mean '{hint}'? " if hint else "") + f"available: {', '.join(names)}"
    raise PlanError([Problem(CONFIG_FILE, "scenarios", f"no scenario named '{name}': {fix}")])


__all__ = ["PlanError", "PlanSettings", "apply_scenario", "find_scenario", "plan_settings"]
