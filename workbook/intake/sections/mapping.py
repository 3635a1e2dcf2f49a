"""``columns:`` and ``values:``: how a client's exports map onto the contract's columns and values.

``columns:`` says, per data file and contract column, where the column comes from:

- the export's own header: ``lead_id: Record ID`` (matched whatever its case and spaces);
- ``{header: Monthly Revenue, scale: 12}``: a number column, multiplied as it is read
  (monthly revenue x 12 = first-year contract value);
- ``{value: won}``: a column the export lacks, one value for every row (read like a cell).

``values:`` maps, per data file and text column, the export's values to the contract's
(Salesforce's ``Closed Won`` to ``won``), matched whatever their case and surrounding spaces.
The key ``""`` (or ``~``, or any text a file reader takes for an empty cell, such as ``N/A``)
maps the blank cells; the key ``"*"`` maps every other value, one not listed and not blank
(``{Closed Won: won, Closed Lost: lost, "*": open}``: a CRM's many open stages, custom
pipelines included, are open).

Everything is parsed once, into one :class:`FileMapping` per data file; a mapping that
cannot apply (a value map or a scale on a column of the wrong kind, an unknown contract
column, a constant that is not an allowed value) is a configuration error naming its key.

Examples
--------
>>> mappings, problems = parse_mappings(
...     {"leads": {"lead_id": "Record ID"}, "opportunities": {"status": {"value": "won"}}},
...     {
...         "leads": {"source_channel": {" Organic Search ": "organic", "": "unknown"}},
...         "opportunities": {"status": {"Closed Won": "won", "*": "open"}},
...     },
...     stages=("inquiry", "mql", "opportunity", "won"),
... )
>>> mappings["leads"].headers, mappings["leads"].values, mappings["leads"].blanks
({'lead_id': 'Record ID'}, {'source_channel': {'organic search': 'organic'}}, {'source_channel': 'unknown'})
>>> mappings["opportunities"].values
{'status': {'closed won': 'won', '*': 'open'}}
>>> mappings["opportunities"].constants, problems
({'status': 'won'}, [])
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from workbook.intake.io import NA_TEXTS
from workbook.intake.keys import CONFIG_FILE, is_number, unknown_key_problem
from workbook.intake.parse import ANY_VALUE
from workbook.intake.problems import Problem
from workbook.intake.schema import ColumnRule, column_rules

#: Keys of a column given as a section: ``{header: ..., scale: ...}`` or ``{value: ...}``.
COLUMN_KEYS: tuple[str, ...] = ("header", "scale", "value")
_TYPED_KINDS = ("number", "date", "datetime", "month")


@dataclass(frozen=True)
class FileMapping:
    """How one data file's export maps onto the contract.

    Attributes
    ----------
    headers : dict of str to str
        Contract column -> the export's header (matched whatever its case and surrounding
        spaces).
    constants : dict of str to str
        Contract column -> the one value every row takes (a column the export lacks), as the
        text of a cell.
    scales : dict of str to float
        Number column -> the factor its values are multiplied by.
    values : dict of str to dict of str to str
        Text column -> {the export's value, lower-cased and stripped -> contract value};
        the key :data:`~workbook.intake.parse.ANY_VALUE` (``"*"``) holds the value of every
        other non-blank cell.
    blanks : dict of str to str
        Text column -> the value its blank cells take.
    """

    headers: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    scales: dict[str, float] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    blanks: dict[str, str] = field(default_factory=dict)


def _cell_text(value: object) -> str | None:
    """A YAML scalar as the text of a cell (None for a list or a mapping)."""
    if isinstance(value, bool) or isinstance(value, Mapping | list | tuple):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return None if value is None else str(value)


def _allowed_problem(rule: ColumnRule, text: str, where: str) -> Problem | None:
    """A constant or mapped value that a category column would refuse on every row."""
    allowed = rule.allowed or ()
    if rule.kind == "category" and allowed and text.strip().lower() not in allowed:
        return Problem(CONFIG_FILE, where, f"'{text}' is not one of {', '.join(allowed)}")
    return None


def _column_source(
    rule: ColumnRule, target: object, where: str, out: FileMapping, problems: list[Problem]
) -> None:
    """One entry of ``columns.<file>``: a header, or a section with a header/scale or a value."""
    if not isinstance(target, Mapping):
        if not isinstance(target, str | int) or isinstance(target, bool):
            problems.append(Problem(CONFIG_FILE, where, "must be the export's header"))
        else:
            out.headers[rule.name] = str(target)
        return
    for key in target:
        if key not in COLUMN_KEYS:
            problems.append(unknown_key_problem(where, key, COLUMN_KEYS))
    if ("header" in target) == ("value" in target):
        problems.append(
            Problem(
                CONFIG_FILE,
                where,
                "give either header: (the export's) or value: (one for every row)",
            )
        )
        return
    if "value" in target:
        text = _cell_text(target["value"])
        if text is None or not text.strip():
            problems.append(Problem(CONFIG_FILE, f"{where}.value", "must be one value, not empty"))
        elif (problem := _allowed_problem(rule, text, f"{where}.value")) is not None:
            problems.append(problem)
        else:
            out.constants[rule.name] = text
        if "scale" in target:
            problems.append(
                Problem(
                    CONFIG_FILE, f"{where}.scale", "applies to a header's values, not to value:"
                )
            )
        return
    header = target["header"]
    if not isinstance(header, str | int) or isinstance(header, bool):
        problems.append(Problem(CONFIG_FILE, f"{where}.header", "must be the export's header"))
    else:
        out.headers[rule.name] = str(header)
    if "scale" in target:
        scale = target["scale"]
        if rule.kind != "number":
            problems.append(
                Problem(
                    CONFIG_FILE,
                    f"{where}.scale",
                    f"applies to number columns; {rule.name} is not one",
                )
            )
        elif not is_number(scale) or not math.isfinite(float(scale)) or float(scale) <= 0:
            problems.append(
                Problem(CONFIG_FILE, f"{where}.scale", f"must be a positive number, got {scale!r}")
            )
        else:
            out.scales[rule.name] = float(scale)


def _value_map(
    rule: ColumnRule, target: object, where: str, out: FileMapping, problems: list[Problem]
) -> None:
    """One entry of ``values.<file>``: the export's values (and blanks) -> contract values."""
    if rule.kind in _TYPED_KINDS:
        problems.append(
            Problem(
                CONFIG_FILE,
                where,
                f"{rule.name} is a {rule.kind} column: values: maps text values only"
                + (
                    " (to multiply numbers, use columns: ... {header: ..., scale: ...})"
                    if rule.kind == "number"
                    else ""
                ),
            )
        )
        return
    if not isinstance(target, Mapping):
        problems.append(
            Problem(CONFIG_FILE, where, "must map the export's values to contract values")
        )
        return
    clean: dict[str, str] = {}
    seen: dict[str, object] = {}  # each export value (as matched) -> the key that named it
    for key, value in target.items():
        text = _cell_text(value)
        if text is None:
            problems.append(Problem(CONFIG_FILE, f"{where}.{key}", "must be one contract value"))
            continue
        if (problem := _allowed_problem(rule, text, f"{where}.{key}")) is not None:
            problems.append(problem)
            continue
        cell = "" if key is None else str(key).strip()
        matched = "" if cell in NA_TEXTS else cell.lower()
        if matched in seen:  # equal once case and spaces are ignored: one would be lost
            problems.append(
                Problem(
                    CONFIG_FILE,
                    f"{where}.{key}",
                    f"names the same export value as {seen[matched]!r} (values are matched "
                    "whatever their case and spaces; blanks, ~ and N/A all mean the empty "
                    "cell): keep one of them",
                )
            )
            continue
        seen[matched] = key
        if cell in NA_TEXTS:  # read as an empty cell: the blanks' value
            out.blanks[rule.name] = text
        else:
            clean[matched] = text
    if ANY_VALUE in clean and rule.name in out.blanks:
        # blanks are filled before values are mapped: "*" must not map the blanks' value again
        blank = out.blanks[rule.name]
        clean.setdefault(blank.strip().lower(), blank)
    if clean:
        out.values[rule.name] = clean


def parse_mappings(
    columns: Mapping | None, values: Mapping | None, *, stages: tuple[str, ...]
) -> tuple[dict[str, FileMapping], list[Problem]]:
    """Parse ``columns:`` and ``values:`` into one :class:`FileMapping` per data file named.

    Parameters
    ----------
    columns, values : mapping or None
        The two sections as YAML gives them (file names and types already checked).
    stages : tuple of str
        The funnel ladder (it decides the leads' ``<stage>_at`` columns).

    Returns
    -------
    mappings : dict of str to FileMapping
        Data file stem -> its mapping; files not named are absent (see
        :meth:`workbook.intake.config.EngagementConfig.mapping`).
    problems : list of Problem
        Every mapping that cannot apply, naming its key path (``columns.leads.amount.scale``).
    """
    problems: list[Problem] = []
    mappings: dict[str, FileMapping] = {}
    for key, section, entry in (
        ("columns", columns, _column_source),
        ("values", values, _value_map),
    ):
        for file, mapping in (section or {}).items():
            if mapping is None:
                continue
            rules = {rule.name: rule for rule in column_rules(file, stages)}
            out = mappings.setdefault(file, FileMapping())
            for name, target in mapping.items():
                if name not in rules:
                    problems.append(unknown_key_problem(f"{key}.{file}", name, list(rules)))
                    continue
                entry(rules[name], target, f"{key}.{file}.{name}", out, problems)
    return mappings, problems


__all__ = ["COLUMN_KEYS", "FileMapping", "parse_mappings"]
