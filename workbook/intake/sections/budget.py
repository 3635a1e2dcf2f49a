"""engagement.yaml's ``budget:`` section (top level, or a scenario's): the channel mix.

.. code-block:: yaml

    budget:
      mix: {webinar: 0.4, paid_search: 0.4, events: 0.2}   # shares, normalised to sum to 1
      cost_per_inquiry: {events: 450}                       # overrides today's cost
      healthy_ltv_cac: 3                                    # the line LTV:CAC is judged against

Every key is optional: without ``mix``, the plan's inquiries follow today's mix of channels.

See Also
--------
workbook.analysis.budget : the budget, CAC and LTV:CAC these settings give a plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from workbook.intake.keys import CONFIG_FILE, MAX_MONEY, closest_key, is_number, name_keys
from workbook.intake.problems import Problem

#: LTV:CAC at or above this is healthy.
HEALTHY_LTV_CAC: float = 3.0
BUDGET_KEYS: tuple[str, ...] = ("mix", "cost_per_inquiry", "healthy_ltv_cac")


@dataclass(frozen=True)
class BudgetSettings:
    """A ``budget:`` section, validated (see the module docstring).

    Attributes
    ----------
    mix : mapping or None
        Channel -> share (any scale: normalised where used); None means today's mix. Channels
        are keys as the data's channels are (``Paid Search`` is ``paid_search``).
    cost_per_inquiry : mapping
        Channel -> cost of an inquiry (currency) replacing today's.
    healthy_ltv_cac : float
        The line LTV:CAC is judged against.
    """

    mix: Mapping[str, float] | None = None
    cost_per_inquiry: Mapping[str, float] = field(default_factory=dict)
    healthy_ltv_cac: float = HEALTHY_LTV_CAC


def parse_budget(
    raw: object, *, where: str = "budget", base: BudgetSettings | None = None
) -> tuple[BudgetSettings, list[Problem]]:
    """Validate a ``budget:`` section (top level or a scenario's).

    Parameters
    ----------
    raw : mapping or None
        The section as read.
    where : str
        Key path for messages, e.g. ``scenarios[2].budget``.
    base : BudgetSettings, optional
        Settings the section overrides (a scenario's budget starts from the top level's).

    Returns
    -------
    settings : BudgetSettings
        ``base`` with the section's valid entries on top.
    problems : list of Problem
        Unknown keys (with the closest valid one), shares or costs that are not numbers
        >= 0, a mix whose shares sum to 0, a ``healthy_ltv_cac`` not above 0.

    Examples
    --------
    >>> settings, problems = parse_budget({"mix": {"webinar": 3, "events": 1}})
    >>> dict(settings.mix), problems
    ({'webinar': 3.0, 'events': 1.0}, [])
    >>> parse_budget({"mix": {"webinar": -1}})[1][0].column
    'budget.mix.webinar'
    """
    base = base or BudgetSettings()
    raw = raw or {}
    if not isinstance(raw, Mapping):
        return base, [Problem(CONFIG_FILE, where, "must be a mapping (mix:, cost_per_inquiry:)")]
    problems: list[Problem] = []
    for key in raw:
        if key not in BUDGET_KEYS:
            hint = closest_key(str(key), BUDGET_KEYS)
            fix = f"did you mean '{hint}'?" if hint else f"valid keys: {', '.join(BUDGET_KEYS)}"
            problems.append(Problem(CONFIG_FILE, f"{where}.{key}", f"unknown key '{key}': {fix}"))

    def numbers(key: str) -> dict[str, float] | None:
        section = raw.get(key)
        if section is None:
            return None
        if not isinstance(section, Mapping):
            problems.append(Problem(CONFIG_FILE, f"{where}.{key}", "must map channel: number"))
            return None
        out = {}
        for channel, value in name_keys(
            section, f"{where}.{key}", problems, what="channel"
        ).items():
            if not is_number(value) or value < 0:  # type: ignore[operator]
                problems.append(
                    Problem(
                        CONFIG_FILE,
                        f"{where}.{key}.{channel}",
                        f"must be a number >= 0, got {value!r}",
                    )
                )
            elif value >= MAX_MONEY:  # type: ignore[operator]
                problems.append(
                    Problem(
                        CONFIG_FILE,
                        f"{where}.{key}.{channel}",
                        f"must be a number >= 0 and below {MAX_MONEY:g}, got {value!r}",
                    )
                )
            else:
                out[str(channel)] = float(value)
        return out

    mix = numbers("mix")
    if mix is not None and not sum(mix.values()) > 0:
        problems.append(
            Problem(
                CONFIG_FILE, f"{where}.mix", "the shares must not all be 0 (they are normalised)"
            )
        )
    costs = numbers("cost_per_inquiry")
    healthy = raw.get("healthy_ltv_cac", base.healthy_ltv_cac)
    if not is_number(healthy) or not healthy > 0:
        problems.append(
            Problem(
                CONFIG_FILE,
                f"{where}.healthy_ltv_cac",
                f"must be a number above 0, got {healthy!r}",
            )
        )
        healthy = base.healthy_ltv_cac
    settings = BudgetSettings(
        mix=mix if mix is not None else base.mix,
        cost_per_inquiry={**base.cost_per_inquiry, **(costs or {})},
        healthy_ltv_cac=float(healthy),
    )
    return settings, problems


__all__ = ["BUDGET_KEYS", "HEALTHY_LTV_CAC", "BudgetSettings", "parse_budget"]
