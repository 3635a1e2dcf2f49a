"""engagement.yaml's ``lead_management:``: stage definitions, SLA, recycling, account review.

Every key is optional; the defaults are shown.

.. code-block:: yaml

    lead_management:
      stages:                    # any stage of engagement.yaml's ladder
        mql:
          definition: An inquiry whose fit and engagement ...   # text, or {en: ..., fr: ...}
          exit_criteria: Score at or above the MQL threshold ...
          owner: marketing       # who works leads at this stage (marketing, sales, ...)
      sla_days:                  # <from>_<to> of adjacent stages: days the next team has to
        mql_sal: 2               # act on a lead that entered <from> (accept or reject)
        sal_sql: 14
        sql_opportunity: 30
      recycle:
        nurture_days: 90         # a disqualified lead returns to nurture after this many days
        from_stages: [mql, sal, sql]   # the stages whose disqualified leads are recycled
      accounts:
        engaged_days: 90         # an open lead active this recently is warm
        min_warm_leads: 2        # accounts with this many warm leads go to the review list

See Also
--------
workbook.analysis.leadmgmt : the framework measured from the data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from workbook.intake.keys import (
    CONFIG_FILE,
    MAX_COUNT,
    MAX_DAYS,
    name_key,
    name_keys,
    stage_pairs,
    unknown_key_problem,
)
from workbook.intake.problems import Problem
from workbook.intake.schema import LANGUAGES

SECTION = "lead_management"
SECTION_KEYS: tuple[str, ...] = ("stages", "sla_days", "recycle", "accounts")
STAGE_KEYS: tuple[str, ...] = ("definition", "exit_criteria", "owner")
RECYCLE_KEYS: tuple[str, ...] = ("nurture_days", "from_stages")
ACCOUNT_KEYS: tuple[str, ...] = ("engaged_days", "min_warm_leads")

#: Days the next team has to act on a lead that entered a stage (``<from>_<to>``).
DEFAULT_SLA_DAYS: Mapping[str, int] = {"mql_sal": 2, "sal_sql": 14, "sql_opportunity": 30}
DEFAULT_NURTURE_DAYS = 90
DEFAULT_RECYCLE_FROM: tuple[str, ...] = ("mql", "sal", "sql")
DEFAULT_ENGAGED_DAYS = 90
DEFAULT_MIN_WARM_LEADS = 2


@dataclass(frozen=True)
class LeadManagementSettings:
    """engagement.yaml's ``lead_management`` with the defaults filled in.

    Attributes
    ----------
    stages : dict
        Stage -> {"definition", "exit_criteria": text or {language: text}, "owner": str};
        only what engagement.yaml gives (defaults come from the catalogue).
    sla_days : dict
        ``<from>_<to>`` -> days.
    nurture_days : int
    recycle_from : tuple of str
    engaged_days, min_warm_leads : int
    """

    stages: dict[str, dict[str, Any]] = field(default_factory=dict)
    sla_days: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_SLA_DAYS))
    nurture_days: int = DEFAULT_NURTURE_DAYS
    recycle_from: tuple[str, ...] = DEFAULT_RECYCLE_FROM
    engaged_days: int = DEFAULT_ENGAGED_DAYS
    min_warm_leads: int = DEFAULT_MIN_WARM_LEADS


_Default = TypeVar("_Default", int, None)


def _whole_number(
    section: Mapping,
    key: str,
    default: _Default,
    *,
    where: str,
    minimum: int,
    problems: list[Problem],
    maximum: int = MAX_DAYS,
) -> int | _Default:
    """``section[key]``, a whole number from ``minimum`` to ``maximum``; ``default`` when it is
    absent or wrong (a problem named ``<where>.<key>`` says so)."""
    if key not in section:
        return default
    value = section[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        problems.append(
            Problem(
                CONFIG_FILE, f"{where}.{key}", f"must be a whole number >= {minimum}, got {value!r}"
            )
        )
        return default
    if value > maximum:
        problems.append(
            Problem(
                CONFIG_FILE,
                f"{where}.{key}",
                f"must be a whole number from {minimum} to {maximum}, got {value!r}",
            )
        )
        return default
    return int(value)


def _stage_texts(
    raw: Mapping, stages: tuple[str, ...], problems: list[Problem]
) -> dict[str, dict[str, Any]]:
    stage_texts: dict[str, dict[str, Any]] = {}
    for stage, spec in name_keys(raw, f"{SECTION}.stages", problems, what="stage").items():
        where = f"{SECTION}.stages.{stage}"
        if stage not in stages:
            problems.append(unknown_key_problem(f"{SECTION}.stages", stage, stages, what="stage"))
            continue
        if not isinstance(spec, Mapping):
            problems.append(
                Problem(CONFIG_FILE, where, "must hold definition, exit_criteria and/or owner")
            )
            continue
        clean: dict[str, Any] = {}
        for key, value in spec.items():
            if key not in STAGE_KEYS:
                problems.append(unknown_key_problem(where, key, STAGE_KEYS, what="key"))
            elif key == "owner":
                if not isinstance(value, str) or not value.strip():
                    problems.append(Problem(CONFIG_FILE, f"{where}.owner", "must be a team name"))
                else:
                    clean["owner"] = value.strip()
            elif isinstance(value, str) and value.strip():
                clean[key] = value.strip()
            elif (
                isinstance(value, Mapping)
                and value
                and all(
                    lang in LANGUAGES and isinstance(v, str) and v.strip()
                    for lang, v in value.items()
                )
            ):
                clean[key] = {lang: v.strip() for lang, v in value.items()}
            else:
                problems.append(
                    Problem(
                        CONFIG_FILE,
                        f"{where}.{key}",
                        f"must be text, or texts per language ({', '.join(LANGUAGES)})",
                    )
                )
        stage_texts[stage] = clean
    return stage_texts


def _mapping_of(raw: Mapping, key: str, problems: list[Problem]) -> Mapping:
    """``raw[key]`` when it is a section (empty when absent); a problem when it is not."""
    section = raw.get(key) or {}
    if not isinstance(section, Mapping):
        problems.append(Problem(CONFIG_FILE, f"{SECTION}.{key}", "must be a section"))
        return {}
    return section


def _subsection(raw: Mapping, key: str, keys: tuple[str, ...], problems: list[Problem]) -> Mapping:
    section = _mapping_of(raw, key, problems)
    for name in section:
        if name not in keys:
            problems.append(unknown_key_problem(f"{SECTION}.{key}", name, keys, what="key"))
    return section


def _recycle(
    raw: Mapping, stages: tuple[str, ...], problems: list[Problem]
) -> tuple[int, tuple[str, ...]]:
    recycle = _subsection(raw, "recycle", RECYCLE_KEYS, problems)
    nurture_days = _whole_number(
        recycle,
        "nurture_days",
        DEFAULT_NURTURE_DAYS,
        where=f"{SECTION}.recycle",
        minimum=0,
        problems=problems,
    )
    recycle_from = tuple(s for s in DEFAULT_RECYCLE_FROM if s in stages)
    if "from_stages" in recycle:
        given = recycle["from_stages"]
        if not isinstance(given, list) or not given:
            problems.append(
                Problem(CONFIG_FILE, f"{SECTION}.recycle.from_stages", "must be a list of stages")
            )
        else:
            keys = [name_key(s) for s in given]
            bad = [s for s, k in zip(given, keys, strict=True) if k not in stages]
            for s in bad:
                problems.append(
                    unknown_key_problem(f"{SECTION}.recycle.from_stages", s, stages, what="stage")
                )
            if not bad:
                recycle_from = tuple(str(k) for k in keys)
    return nurture_days, recycle_from


def _accounts(raw: Mapping, problems: list[Problem]) -> tuple[int, int]:
    accounts = _subsection(raw, "accounts", ACCOUNT_KEYS, problems)
    where = f"{SECTION}.accounts"
    engaged_days = _whole_number(
        accounts, "engaged_days", DEFAULT_ENGAGED_DAYS, where=where, minimum=1, problems=problems
    )
    min_warm = _whole_number(
        accounts,
        "min_warm_leads",
        DEFAULT_MIN_WARM_LEADS,
        where=where,
        minimum=2,
        maximum=MAX_COUNT,
        problems=problems,
    )
    return engaged_days, min_warm


def parse_lead_management(
    raw: object, *, stages: tuple[str, ...]
) -> tuple[LeadManagementSettings, list[Problem]]:
    """Read engagement.yaml's ``lead_management`` section (see the module docstring).

    Parameters
    ----------
    raw : mapping or None
        The section as read.
    stages : tuple of str
        The funnel ladder of engagement.yaml.

    Returns
    -------
    settings : LeadManagementSettings
        Defaults wherever the section is silent or wrong.
    problems : list of Problem
        Each names its engagement.yaml key (``lead_management.sla_days.mql_sal``...) and, for
        an unknown key, the closest valid one.

    Examples
    --------
    >>> s, p = parse_lead_management({"sla_days": {"mql_sal": 1}}, stages=("inquiry", "mql", "sal"))
    >>> s.sla_days, p
    ({'mql_sal': 1}, [])
    >>> _, p = parse_lead_management({"sla_dayz": {}}, stages=("inquiry", "mql"))
    >>> p[0].column, p[0].message
    ('lead_management.sla_dayz', "unknown key 'sla_dayz': did you mean 'sla_days'?")
    """
    pairs = stage_pairs(stages)
    sla = {k: v for k, v in DEFAULT_SLA_DAYS.items() if k in pairs}
    problems: list[Problem] = []
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        return LeadManagementSettings(sla_days=sla), [
            Problem(CONFIG_FILE, SECTION, "must be a section of key: value lines")
        ]
    for key in raw:
        if key not in SECTION_KEYS:
            problems.append(unknown_key_problem(SECTION, key, SECTION_KEYS, what="key"))
    stage_texts = _stage_texts(_mapping_of(raw, "stages", problems), stages, problems)
    where = f"{SECTION}.sla_days"
    sla_days = name_keys(_mapping_of(raw, "sla_days", problems), where, problems, what="stage pair")
    for pair in sla_days:
        if pair not in pairs:
            problems.append(unknown_key_problem(where, pair, pairs, what="stage pair"))
            continue
        value = _whole_number(sla_days, pair, None, where=where, minimum=0, problems=problems)
        if value is not None:
            sla[pair] = value
    nurture_days, recycle_from = _recycle(raw, stages, problems)
    engaged_days, min_warm = _accounts(raw, problems)
    settings = LeadManagementSettings(
        stages=stage_texts,
        sla_days=sla,
        nurture_days=nurture_days,
        recycle_from=recycle_from,
        engaged_days=engaged_days,
        min_warm_leads=min_warm,
    )
    return settings, problems


__all__ = [
    "DEFAULT_ENGAGED_DAYS",
    "DEFAULT_MIN_WARM_LEADS",
    "DEFAULT_NURTURE_DAYS",
    "DEFAULT_RECYCLE_FROM",
    "DEFAULT_SLA_DAYS",
    "LeadManagementSettings",
    "parse_lead_management",
]
