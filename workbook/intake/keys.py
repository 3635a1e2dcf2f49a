"""Key paths of ``engagement.yaml`` and the problems that name them.

Every section parser of :mod:`workbook.intake.config` and :mod:`workbook.intake.sections`
reports a problem against the key path it concerns (``scenarios[2].budget.mix.webinar``),
and an unknown key with the closest valid one.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping, Sequence

from workbook.intake.problems import Problem

CONFIG_FILE = "engagement.yaml"

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def closest_key(key: str, candidates: Sequence[str]) -> str | None:
    """The valid key nearest to a misspelt one, or None.

    Examples
    --------
    >>> closest_key("analysys", ["analysis", "targets"])
    'analysis'
    """
    match = difflib.get_close_matches(str(key), list(candidates), n=1, cutoff=0.5)
    return match[0] if match else None


def unknown_key_problem(
    path: str, key: object, candidates: Iterable[object], *, what: str = "key"
) -> Problem:
    """An engagement.yaml problem for an unknown ``key`` under ``path``, naming the closest
    valid one (or listing them all).

    Examples
    --------
    >>> unknown_key_problem("targets", "ramp_month", ["ramp_months"]).message
    "unknown key 'ramp_month': did you mean 'ramp_months'?"
    """
    names = [str(c) for c in candidates]
    hint = closest_key(str(key), names)
    where = f"{path}.{key}" if path else str(key)
    fix = f"did you mean '{hint}'?" if hint else f"valid {what}s: {', '.join(names)}"
    return Problem(CONFIG_FILE, where, f"unknown {what} '{key}': {fix}")


def as_month(value: object) -> str | None:
    """``YYYY-MM`` from a month as written in YAML (text or a date), or None.

    Examples
    --------
    >>> as_month("2027-01"), as_month(dt.date(2027, 4, 1)), as_month("2027-13")
    ('2027-01', '2027-04', None)
    """
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    text = str(value).strip()
    return text if _MONTH.match(text) else None


def is_number(value: object) -> bool:
    """An int or float that is not a YAML yes/no."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def stage_pairs(stages: Sequence[str]) -> tuple[str, ...]:
    """``<from>_<to>`` keys of adjacent stages, e.g. ``inquiry_mql``."""
    return tuple(f"{a}_{b}" for a, b in zip(stages[:-1], stages[1:], strict=True))


def pair_overrides(
    section: object, where: str, pairs: Sequence[str], problems: list[Problem], *, rate: bool
) -> dict[str, float]:
    """Validate a ``<from>_<to>: value`` mapping (conversion rates or lag days).

    Parameters
    ----------
    section : object
        The mapping as read (None: nothing overridden).
    where : str
        Its key path in engagement.yaml, e.g. ``assumptions.conversion``.
    pairs : sequence of str
        Valid ``<from>_<to>`` keys.
    problems : list of Problem
        Appended to, one per invalid entry.
    rate : bool
        Values are conversion rates in (0, 1]; otherwise lags in days >= 0.

    Returns
    -------
    dict
        The valid entries, as floats.
    """
    out: dict[str, float] = {}
    if section is None:
        return out
    if not isinstance(section, Mapping):
        problems.append(Problem(CONFIG_FILE, where, "must be a mapping of <from>_<to>: value"))
        return out
    for pair, value in section.items():
        key = f"{where}.{pair}"
        if pair not in pairs:
            hint = closest_key(str(pair), list(pairs))
            fix = f"did you mean '{hint}'?" if hint else f"valid keys: {', '.join(pairs)}"
            problems.append(
                Problem(CONFIG_FILE, key, f"'{pair}' is not a pair of adjacent stages: {fix}")
            )
        elif not is_number(value):
            problems.append(Problem(CONFIG_FILE, key, f"must be a number, got {value!r}"))
        elif rate and not 0 < value <= 1:
            problems.append(
                Problem(CONFIG_FILE, key, f"a conversion rate is a fraction in (0, 1], got {value}")
            )
        elif not rate and value < 0:
            problems.append(Problem(CONFIG_FILE, key, f"a lag is days >= 0, got {value}"))
        else:
            out[str(pair)] = float(value)
    return out


def section_mapping(entry: Mapping, key: str, where: str, problems: list[Problem]) -> Mapping:
    """``entry[key]`` when it is a mapping (``{}`` when absent); else a problem and ``{}``."""
    value = entry.get(key) or {}
    if not isinstance(value, Mapping):
        problems.append(
            Problem(CONFIG_FILE, f"{where}.{key}", "must be a section of key: value lines")
        )
        return {}
    return value


__all__ = [
    "CONFIG_FILE",
    "as_month",
    "closest_key",
    "is_number",
    "pair_overrides",
    "section_mapping",
    "stage_pairs",
    "unknown_key_problem",
]
