"""``columns:`` and ``values:``: how a client's exports map onto the contract's columns and values.

``columns:`` maps, per data file, a contract column to the export's own header; ``values:``
maps, per data file and column, the export's values to the contract's (Salesforce's
``Closed Won`` to ``won``). Both are parsed once, into one :class:`FileMapping` per file.

Examples
--------
>>> mappings, problems = parse_mappings(
...     {"leads": {"lead_id": "Record ID"}},
...     {"opportunities": {"status": {" Closed Won ": "won"}}},
...     stages=("inquiry", "mql", "opportunity", "won"),
... )
>>> mappings["leads"].headers, mappings["opportunities"].values, problems
({'lead_id': 'Record ID'}, {'status': {'closed won': 'won'}}, [])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from workbook.intake.keys import CONFIG_FILE, unknown_key_problem
from workbook.intake.problems import Problem
from workbook.intake.schema import column_rules


@dataclass(frozen=True)
class FileMapping:
    """How one data file's export maps onto the contract.

    Attributes
    ----------
    headers : dict of str to str
        Contract column -> the export's header (matched whatever its case and surrounding
        spaces).
    values : dict of str to dict of str to str
        Contract column -> {the export's value, lower-cased and stripped -> contract value}.
    """

    headers: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)


def _section(
    raw: Mapping | None, key: str, stages: tuple[str, ...], problems: list[Problem]
) -> dict[str, dict]:
    """One of ``columns:`` or ``values:``, checked: file -> contract column -> target."""
    out: dict[str, dict] = {}
    for file, mapping in (raw or {}).items():
        if mapping is None:
            continue
        known = [rule.name for rule in column_rules(file, stages)]
        clean: dict = {}
        for name, target in mapping.items():
            where = f"{key}.{file}.{name}"
            if name not in known:
                problems.append(unknown_key_problem(f"{key}.{file}", name, known))
            elif key == "columns" and (
                not isinstance(target, str | int) or isinstance(target, bool)
            ):
                problems.append(Problem(CONFIG_FILE, where, "must be the export's header"))
            elif key == "columns":
                clean[name] = str(target)
            elif not isinstance(target, Mapping):
                problems.append(
                    Problem(CONFIG_FILE, where, "must map the export's values to contract values")
                )
            else:
                clean[name] = {str(k).strip().lower(): str(v) for k, v in target.items()}
        out[file] = clean
    return out


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
        Unknown contract columns (with the closest one), headers that are not text, value maps
        that are not mappings; each names its key path.
    """
    problems: list[Problem] = []
    headers = _section(columns, "columns", stages, problems)
    value_maps = _section(values, "values", stages, problems)
    mappings = {
        file: FileMapping(headers=headers.get(file, {}), values=value_maps.get(file, {}))
        for file in {**headers, **value_maps}
    }
    return mappings, problems


__all__ = ["FileMapping", "parse_mappings"]
