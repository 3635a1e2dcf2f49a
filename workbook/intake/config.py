"""The typed, validated content of ``engagement.yaml``.

:func:`parse_config` turns the YAML mapping into a frozen :class:`EngagementConfig`, with the
contract's defaults, and reports every problem at once: unknown keys (with the closest valid
key), wrong types, values out of range.

See Also
--------
workbook.intake.schema.CONFIG_KEYS : every key the file accepts.
workbook.intake.sections : the sections analyses read (scenarios, budget, lead management,
    questions), each parsed once into a frozen value.
workbook.intake.io.read_yaml : reads the file (and reports YAML syntax errors with their line).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from workbook.intake.keys import (
    CONFIG_FILE,
    MAX_COUNT,
    MAX_DAYS,
    MAX_MONTHS,
    MAX_SCENARIOS,
    amount,
    as_date,
    as_month,
    closest_key,
    name_key,
    pair_overrides,
    stage_pairs,
    unknown_key_problem,
    whole_number,
)
from workbook.intake.problems import Problem
from workbook.intake.schema import (
    ANY_LIST,
    ANY_MAPPING,
    CONFIG_KEYS,
    DATA_FILES,
    DEFAULT_BUYING_STAGES,
    DEFAULT_PERSONAS,
    DEFAULT_STAGES,
    LANGUAGES,
    STAKEHOLDER_KEYS,
)
from workbook.intake.sections import (
    BudgetSettings,
    LeadManagementSettings,
    QuestionOverrides,
    Scenario,
    parse_budget,
    parse_labels,
    parse_lead_management,
    parse_question_overrides,
    parse_scenarios,
    unnamed_scenarios,
)
from workbook.intake.sections.mapping import FileMapping, parse_mappings


@dataclass(frozen=True)
class Stakeholder:
    """A person at the kickoff: name, role (title) and function (sales, marketing, ...)."""

    name: str
    role: str = ""
    function: str = ""


@dataclass(frozen=True)
class Targets:
    """What demand marketing must source: revenue over a plan period with a ramp-up."""

    revenue: float | None = None
    period_start: str | None = None  # "YYYY-MM"
    period_months: int = 12
    ramp_months: int = 0


@dataclass(frozen=True)
class Economics:
    """Unit economics for LTV: gross margin and annual churn, both fractions 0..1."""

    gross_margin: float = 0.75
    annual_churn: float = 0.15


@dataclass(frozen=True)
class Assumptions:
    """Overrides of what the data says. Keys of the dicts are ``<from>_<to>`` stage pairs."""

    avg_deal_size: float | None = None
    conversion: dict[str, float] = field(default_factory=dict)
    lag_days: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class EngagementConfig:
    """Everything ``engagement.yaml`` says, with the contract's defaults filled in.

    ``mappings`` holds, per data file, how the export's headers and values map to the
    contract's (``columns:`` and ``values:``, :meth:`mapping`). ``questions`` (``content.questions``),
    ``scenarios``, ``budget`` and ``lead_management`` are parsed by
    :mod:`workbook.intake.sections`; ``labels`` (value -> language -> label, from ``labels:``)
    by :mod:`workbook.intake.sections.labels`.
    """

    client: str
    currency: str = "EUR"
    language: str = "en"
    as_of: dt.date | None = None
    stages: tuple[str, ...] = DEFAULT_STAGES
    buying_stages: tuple[str, ...] = DEFAULT_BUYING_STAGES
    personas: tuple[str, ...] = DEFAULT_PERSONAS
    window_months: int = 12
    horizon_days: int = 365
    targets: Targets = field(default_factory=Targets)
    economics: Economics = field(default_factory=Economics)
    assumptions: Assumptions = field(default_factory=Assumptions)
    min_assets_per_cell: int = 2
    stale_months: int = 18
    questions: QuestionOverrides = field(default_factory=QuestionOverrides)
    mappings: dict[str, FileMapping] = field(default_factory=dict)
    stakeholders: tuple[Stakeholder, ...] = ()
    hypotheses: tuple[str, ...] = ()
    scenarios: tuple[Scenario, ...] = ()
    budget: BudgetSettings = field(default_factory=BudgetSettings)
    lead_management: LeadManagementSettings = field(default_factory=LeadManagementSettings)
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def mapping(self, file: str) -> FileMapping:
        """How the export of data file ``file`` (a stem: ``leads``) maps to the contract."""
        return self.mappings.get(file, FileMapping())

    @property
    def stage_pairs(self) -> tuple[str, ...]:
        """``<from>_<to>`` keys of adjacent stages, e.g. ``inquiry_mql``."""
        return stage_pairs(self.stages)


def _type_ok(value: object, expected: object) -> bool:
    if expected == ANY_MAPPING:
        return isinstance(value, Mapping)
    if expected == ANY_LIST:
        return isinstance(value, list)
    if expected == "date":
        return isinstance(value, dt.date | str)
    if expected == "month":
        return isinstance(value, str | dt.date)
    if isinstance(value, bool):  # YAML yes/no must not pass as a number
        return False
    return isinstance(value, expected)  # type: ignore[arg-type]


def _type_name(expected: object) -> str:
    names = {
        ANY_MAPPING: "a mapping (key: value lines)",
        ANY_LIST: "a list",
        "date": "a date like 2026-09-30",
        "month": "a month like 2027-01",
        int: "a whole number",
        str: "text",
        (int, float): "a number",
    }
    return names.get(expected, str(expected))  # type: ignore[call-overload]


def check_keys(raw: Mapping, spec: Mapping = CONFIG_KEYS, path: str = "") -> list[Problem]:
    """Problems with unknown keys and wrong types, recursively, against ``spec``."""
    problems: list[Problem] = []
    for key, value in raw.items():
        where = f"{path}.{key}" if path else str(key)
        if key not in spec:
            problems.append(unknown_key_problem(path, key, list(spec)))
            continue
        expected = spec[key]
        if value is None:
            continue
        if isinstance(expected, Mapping):
            if not isinstance(value, Mapping):
                problems.append(
                    Problem(CONFIG_FILE, where, "must be a section of key: value lines")
                )
            else:
                problems.extend(check_keys(value, expected, where))
        elif not _type_ok(value, expected):
            problems.append(
                Problem(CONFIG_FILE, where, f"must be {_type_name(expected)}, got {value!r}")
            )
    return problems


def _name_list(
    raw: Mapping, key: str, default: tuple[str, ...], problems: list[Problem]
) -> tuple[str, ...]:
    """The names listed under ``key``, as the data's values are compared (:func:`name_key`:
    ``Economic Buyer`` is ``economic_buyer``); ``default`` when absent or wrong."""
    value = raw.get(key)
    if value is None:
        return default
    keys = [name_key(v) for v in value]
    if len(keys) == 0 or any(k is None for k in keys):
        problems.append(Problem(CONFIG_FILE, key, "must be a non-empty list of names"))
        return default
    names = tuple(k for k in keys if k is not None)
    if len(set(names)) != len(names):
        problems.append(
            Problem(
                CONFIG_FILE,
                key,
                f"names must not repeat once case, spaces and underscores are ignored: {value}",
            )
        )
    return names


def ladder_error(stages: tuple[str, ...]) -> str | None:
    """What is wrong with a stage ladder, or None (CONTRACT section 3).

    It ends with ``won``; ``opportunity``, when present, comes just before it; zero or more
    lead stages come first.

    Examples
    --------
    >>> [ladder_error(s) for s in [("opportunity", "won"), ("mql", "won"), DEFAULT_STAGES]]
    [None, None, None]
    >>> ladder_error(("mql", "opportunity"))
    "must end with won (e.g. [opportunity, won], [mql, won] or the default [inquiry, mql, sal, sql, opportunity, won]); got ['mql', 'opportunity']"
    """
    examples = (
        "(e.g. [opportunity, won], [mql, won] or the default "
        f"[{', '.join(DEFAULT_STAGES)}]); got {list(stages)}"
    )
    if len(stages) < 2 or stages[-1] != "won":
        return f"must end with won {examples}"
    if "won" in stages[:-1]:
        return f"won must be the last stage only {examples}"
    if "opportunity" in stages and stages.index("opportunity") != len(stages) - 2:
        return f"opportunity, when present, must come just before won {examples}"
    return None


def parse_config(raw: Mapping | None) -> tuple[EngagementConfig | None, list[Problem]]:
    """Validate an ``engagement.yaml`` mapping and fill in the contract's defaults.

    Parameters
    ----------
    raw : mapping or None
        What ``yaml.safe_load`` returned.

    Returns
    -------
    config : EngagementConfig or None
        None when an error prevents building it.
    problems : list of Problem
        Every error found (unknown keys with the closest valid key, types, ranges). The
        sections of :mod:`workbook.intake.sections` (``scenarios``, ``budget``,
        ``lead_management``, ``content.questions``) are parsed once the rest of the file
        holds, so their problems are reported when there is no other.
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        return None, [Problem(CONFIG_FILE, None, "must be a mapping of key: value lines")]
    problems = check_keys(raw)
    if not str(raw.get("client") or "").strip():
        problems.append(Problem(CONFIG_FILE, "client", "required: the client's name"))
    typed_ok = not problems

    stages = _name_list(raw, "stages", DEFAULT_STAGES, problems)
    ladder_problem = ladder_error(stages)
    if ladder_problem:
        problems.append(Problem(CONFIG_FILE, "stages", ladder_problem))
    buying_stages = _name_list(raw, "buying_stages", DEFAULT_BUYING_STAGES, problems)
    personas = _name_list(raw, "personas", DEFAULT_PERSONAS, problems)
    if not typed_ok:
        return None, problems

    language = str(raw.get("language") or "en").strip().lower()
    if language not in LANGUAGES:
        problems.append(Problem(CONFIG_FILE, "language", f"must be one of {list(LANGUAGES)}"))
    currency = str(raw.get("currency") or "EUR").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        problems.append(Problem(CONFIG_FILE, "currency", "must be an ISO 4217 code like EUR"))
    as_of = None
    if raw.get("as_of") is not None:
        as_of = as_date(raw["as_of"], "as_of", problems)

    analysis = raw.get("analysis") or {}
    window_months = whole_number(
        analysis,
        "window_months",
        12,
        where="analysis",
        minimum=1,
        maximum=MAX_MONTHS,
        problems=problems,
    )
    horizon_days = whole_number(
        analysis,
        "horizon_days",
        365,
        where="analysis",
        minimum=1,
        maximum=MAX_DAYS,
        problems=problems,
    )

    t = raw.get("targets") or {}
    period_start = None
    if t.get("period_start") is not None:
        period_start = as_month(t["period_start"])
        if period_start is None:
            problems.append(
                Problem(
                    CONFIG_FILE,
                    "targets.period_start",
                    "must be a month like '2027-01' (from 1980-01 to 2099-12), "
                    f"got {t['period_start']!r}",
                )
            )
    months = {"where": "targets", "maximum": MAX_MONTHS, "problems": problems}
    targets = Targets(
        revenue=amount(t["revenue"], "targets.revenue", problems)
        if t.get("revenue") is not None
        else None,
        period_start=period_start,
        period_months=whole_number(t, "period_months", 12, minimum=1, **months),
        ramp_months=whole_number(t, "ramp_months", 0, minimum=0, **months),
    )
    if not 0 <= targets.ramp_months <= targets.period_months:
        problems.append(
            Problem(CONFIG_FILE, "targets.ramp_months", "must be between 0 and period_months")
        )

    e = raw.get("economics") or {}
    economics = Economics(
        gross_margin=float(e.get("gross_margin", 0.75)),
        annual_churn=float(e.get("annual_churn", 0.15)),
    )
    for key in ("gross_margin", "annual_churn"):
        if not 0 < getattr(economics, key) <= 1:
            problems.append(
                Problem(CONFIG_FILE, f"economics.{key}", "must be a fraction in (0, 1]")
            )

    pairs = stage_pairs(stages)
    a = raw.get("assumptions") or {}
    assumptions = Assumptions(
        avg_deal_size=amount(a["avg_deal_size"], "assumptions.avg_deal_size", problems)
        if a.get("avg_deal_size") is not None
        else None,
        conversion=pair_overrides(
            a.get("conversion"), "assumptions.conversion", pairs, problems, rate=True
        ),
        lag_days=pair_overrides(
            a.get("lag_days"), "assumptions.lag_days", pairs, problems, rate=False
        ),
    )

    c = raw.get("content") or {}
    min_assets = whole_number(
        c,
        "min_assets_per_cell",
        2,
        where="content",
        minimum=1,
        maximum=MAX_COUNT,
        problems=problems,
    )
    stale_months = whole_number(
        c, "stale_months", 18, where="content", minimum=1, maximum=MAX_MONTHS, problems=problems
    )

    stakeholders = []
    for i, person in enumerate(raw.get("stakeholders") or [], start=1):
        if not isinstance(person, Mapping) or not str(person.get("name") or "").strip():
            problems.append(
                Problem(CONFIG_FILE, f"stakeholders[{i}]", "each needs name, role, function")
            )
            continue
        for key in person:
            if key not in STAKEHOLDER_KEYS:
                problems.append(unknown_key_problem(f"stakeholders[{i}]", key, STAKEHOLDER_KEYS))
        stakeholders.append(
            Stakeholder(
                name=str(person["name"]).strip(),
                role=str(person.get("role") or "").strip(),
                function=str(person.get("function") or "").strip(),
            )
        )

    problems.extend(unnamed_scenarios(raw.get("scenarios")))
    if len(raw.get("scenarios") or ()) > MAX_SCENARIOS:
        problems.append(
            Problem(
                CONFIG_FILE,
                "scenarios",
                f"at most {MAX_SCENARIOS} scenarios, got {len(raw['scenarios'])}: keep the ones "
                "the client will compare",
            )
        )
    mappings, found = parse_mappings(raw.get("columns"), raw.get("values"), stages=stages)
    problems.extend(found)
    if problems:
        return None, problems

    # the sections analyses read, once the keys, types and ladders they rest on hold
    budget, budget_problems = parse_budget(raw.get("budget"))
    scenarios, problems = parse_scenarios(raw.get("scenarios"), stages=stages, budget=budget)
    problems.extend(budget_problems)
    lead_management, found = parse_lead_management(raw.get("lead_management"), stages=stages)
    problems.extend(found)
    questions, found = parse_question_overrides(
        c.get("questions"), personas=personas, buying_stages=buying_stages
    )
    problems.extend(found)
    labels, found = parse_labels(raw.get("labels"))
    problems.extend(found)
    config = EngagementConfig(
        client=str(raw["client"]).strip(),
        currency=currency,
        language=language,
        as_of=as_of,
        stages=stages,
        buying_stages=buying_stages,
        personas=personas,
        window_months=window_months,
        horizon_days=horizon_days,
        targets=targets,
        economics=economics,
        assumptions=assumptions,
        min_assets_per_cell=min_assets,
        stale_months=stale_months,
        questions=questions,
        mappings=mappings,
        stakeholders=tuple(stakeholders),
        hypotheses=tuple(str(h) for h in raw.get("hypotheses") or ()),
        scenarios=scenarios,
        budget=budget,
        lead_management=lead_management,
        labels=labels,
    )
    return (None if problems else config), problems


__all__ = [
    "CONFIG_FILE",
    "DATA_FILES",
    "Assumptions",
    "BudgetSettings",
    "Economics",
    "EngagementConfig",
    "LeadManagementSettings",
    "QuestionOverrides",
    "Scenario",
    "Stakeholder",
    "Targets",
    "check_keys",
    "closest_key",
    "pair_overrides",
    "parse_config",
    "unknown_key_problem",
]
