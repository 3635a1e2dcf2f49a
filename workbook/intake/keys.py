"""Key paths of ``engagement.yaml`` and the problems that name them.

Every section parser of :mod:`workbook.intake.config` and :mod:`workbook.intake.sections`
reports a problem against the key path it concerns (``scenarios[2].budget.mix.webinar``),
and an unknown key with the closest valid one.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Iterable, Mapping, Sequence

from workbook.intake.problems import Problem
from workbook.intake.text import normalise_key

CONFIG_FILE = "engagement.yaml"

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

#: Bounds of the size-like settings: a plan, window or ramp of at most ten years...
MAX_MONTHS = 120
#: ... a horizon, lag, SLA or nurture delay of at most ten years ...
MAX_DAYS = 3650
#: ... at most this many scenarios, assets per cell or warm leads per account ...
MAX_SCENARIOS = 50
MAX_COUNT = 1000
#: ... and money (a revenue target, a deal size, a cost) below a thousand trillion.
MAX_MONEY = 1e15
#: The days a snapshot or a plan can start on: the plausible range of the data's dates
#: (:data:`workbook.intake.parse.EARLIEST_DATE` to :data:`~workbook.intake.parse.LATEST_DATE`).
FIRST_DAY = dt.date(1980, 1, 1)
LAST_DAY = dt.date(2099, 12, 31)


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


def as_date(value: object, where: str, problems: list[Problem]) -> dt.date | None:
    """A date as written in YAML (a date, or text like ``2026-09-30``) from :data:`FIRST_DAY`
    to :data:`LAST_DAY`; None and a problem naming ``where`` when it is not.

    Examples
    --------
    >>> found = []
    >>> as_date("2026-09-30", "as_of", found), as_date("2026-02-30", "as_of", found)
    (datetime.date(2026, 9, 30), None)
    >>> as_date(dt.date(9999, 12, 31), "as_of", found)
    >>> [p.message for p in found]
    ["must be a date like 2026-09-30 (a day of the calendar), got '2026-02-30'", 'must be a date from 1980-01-01 to 2099-12-31, got 9999-12-31']
    """
    if isinstance(value, dt.datetime):
        day: dt.date | None = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            day = None
    if day is None:
        message = f"must be a date like 2026-09-30 (a day of the calendar), got {value!r}"
    elif not FIRST_DAY <= day <= LAST_DAY:
        message = f"must be a date from {FIRST_DAY} to {LAST_DAY}, got {day}"
    else:
        return day
    problems.append(Problem(CONFIG_FILE, where, message))
    return None


def as_month(value: object) -> str | None:
    """``YYYY-MM`` from a month as written in YAML (text or a date), or None.

    Examples
    --------
    >>> as_month("2027-01"), as_month(dt.date(2027, 4, 1)), as_month("2027-13")
    ('2027-01', '2027-04', None)
    >>> as_month("9999-12"), as_month("1066-10")  # outside FIRST_DAY..LAST_DAY
    (None, None)
    """
    if isinstance(value, dt.date):
        text = f"{value.year:04d}-{value.month:02d}"
    else:
        text = str(value).strip()
    if not _MONTH.match(text) or not FIRST_DAY.year <= int(text[:4]) <= LAST_DAY.year:
        return None
    return text


def is_number(value: object) -> bool:
    """A finite int or float that is not a YAML yes/no (``.inf`` and ``.nan`` are not numbers).

    Examples
    --------
    >>> is_number(3), is_number(0.5), is_number(True), is_number(float("inf"))
    (True, True, False, False)
    """
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and (isinstance(value, int) or math.isfinite(value))
    )


def whole_number(
    section: Mapping,
    key: str,
    default: int,
    *,
    where: str,
    minimum: int,
    maximum: int,
    problems: list[Problem],
) -> int:
    """``section[key]``: a whole number from ``minimum`` to ``maximum``; else ``default`` and
    a problem naming ``<where>.<key>`` (``default`` when the key is absent).

    Examples
    --------
    >>> found = []
    >>> whole_number({"period_months": 100000}, "period_months", 12, where="targets",
    ...              minimum=1, maximum=MAX_MONTHS, problems=found)
    12
    >>> found[0].column, found[0].message
    ('targets.period_months', 'must be a whole number from 1 to 120, got 100000')
    """
    value = section.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        at = f"{where}.{key}" if where else key
        problems.append(
            Problem(
                CONFIG_FILE,
                at,
                f"must be a whole number from {minimum} to {maximum}, got {value!r}",
            )
        )
        return default
    return int(value)


def amount(value: object, where: str, problems: list[Problem]) -> float | None:
    """``value`` as money above 0 and below :data:`MAX_MONEY`; None and a problem when it is not.

    Examples
    --------
    >>> found = []
    >>> amount(5e6, "targets.revenue", found), amount(float("inf"), "targets.revenue", found)
    (5000000.0, None)
    >>> found[0].message
    'must be a number above 0 and below 1e+15, got inf'
    """
    if is_number(value) and 0 < value < MAX_MONEY:  # type: ignore[operator]
        return float(value)  # type: ignore[arg-type]
    problems.append(
        Problem(
            CONFIG_FILE, where, f"must be a number above 0 and below {MAX_MONEY:g}, got {value!r}"
        )
    )
    return None


def name_key(value: object) -> str | None:
    """A name of engagement.yaml (persona, buying stage, stage, channel) as the data's values
    are compared: :func:`workbook.intake.text.normalise_key` (reports show its human label).

    Examples
    --------
    >>> name_key("Economic Buyer"), name_key(" paid-search "), name_key(["a"])
    ('economic_buyer', 'paid_search', None)
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return normalise_key(str(value))


def name_keys(
    section: Mapping, where: str, problems: list[Problem], *, what: str = "name"
) -> dict[str, object]:
    """``section`` with its keys normalised by :func:`name_key`; a problem for a key that is
    no name or that names the same thing as another once normalised.

    Examples
    --------
    >>> found = []
    >>> name_keys({"Paid Search": 1, "paid_search": 2, "Events": 3}, "budget.mix", found)
    {'paid_search': 1, 'events': 3}
    >>> found[0].column
    'budget.mix.paid_search'
    """
    out: dict[str, object] = {}
    written: dict[str, object] = {}
    for raw_key, value in section.items():
        key = name_key(raw_key)
        if key is None:
            problems.append(
                Problem(CONFIG_FILE, f"{where}.{raw_key}", f"must be a {what}, got {raw_key!r}")
            )
        elif key in out:
            problems.append(
                Problem(
                    CONFIG_FILE,
                    f"{where}.{raw_key}",
                    f"'{raw_key}' and '{written[key]}' are the same {what} once case, spaces "
                    "and underscores are ignored: keep one",
                )
            )
        else:
            out[key] = value
            written[key] = raw_key
    return out


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
        The mapping as read (None: nothing overridden); its keys are compared after
        :func:`name_key` (``MQL_SAL`` is ``mql_sal``).
    where : str
        Its key path in engagement.yaml, e.g. ``assumptions.conversion``.
    pairs : sequence of str
        Valid ``<from>_<to>`` keys.
    problems : list of Problem
        Appended to, one per invalid entry.
    rate : bool
        Values are conversion rates in (0, 1]; otherwise lags in days from 0 to
        :data:`MAX_DAYS`.

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
    for pair, value in name_keys(section, where, problems, what="stage pair").items():
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
        elif not rate and not 0 <= value <= MAX_DAYS:
            problems.append(
                Problem(CONFIG_FILE, key, f"a lag is days >= 0 and at most {MAX_DAYS}, got {value}")
            )
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
    "MAX_COUNT",
    "MAX_DAYS",
    "MAX_MONEY",
    "MAX_MONTHS",
    "MAX_SCENARIOS",
    "FIRST_DAY",
    "LAST_DAY",
    "amount",
    "as_date",
    "as_month",
    "closest_key",
    "is_number",
    "name_key",
    "name_keys",
    "pair_overrides",
    "section_mapping",
    "stage_pairs",
    "unknown_key_problem",
    "whole_number",
]
