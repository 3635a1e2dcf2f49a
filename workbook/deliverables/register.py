"""The figures register: every headline figure of a run, one value each.

A phase notebook adds the figures it shows to a :class:`FigureRegister` (``ctx.register``) as
it computes them, and reads them back from there for its sentences; at the end of the
notebook the register is saved into the run's hidden folder
(:meth:`workbook.deliverables.notebook.NotebookContext.finish`). Publication merges the
phases' registers into ``OUT/<client-slug>/figures.json`` (CONTRACT section 4), and the Excel
workbook and the decks read that file. A key added twice with two different values is a
:class:`FigureConflictError`: one figure has one value everywhere.

A figure that a command also prints uses the command's JSON path as its key
(``kpis.funnel.mql_sal.rate``, ``kpis.ltv_cac.ratio``, ``plan.totals.inquiry``). Two figures
measured over different windows are two keys, each with its ``window``.

Examples
--------
>>> register = FigureRegister()
>>> register.add("kpis.cac.value", 11985.2, unit="money", window="2025-12-01/2026-11-30",
...              label="Customer acquisition cost")
11985.2
>>> register.value("kpis.cac.value")
11985.2
>>> register.add("kpis.cac.value", 10014.0, unit="money", label="CAC")
Traceback (most recent call last):
...
workbook.deliverables.register.FigureConflictError: figure 'kpis.cac.value' has two values: 11985.2 and 10014.0
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

#: The units a figure can have: what kind of number its ``value`` is.
UNITS = ("count", "rate", "money", "days", "ratio", "months", "date", "text")
#: Name of the published register in ``OUT/<client-slug>/``.
FIGURES_NAME = "figures.json"


class FigureConflictError(ValueError):
    """One figure key was given two different values in one run."""


@dataclass(frozen=True)
class Figure:
    """One headline figure.

    Attributes
    ----------
    key : str
        Stable identifier (a command's JSON path when the command prints it).
    value : float, int, str or None
        The figure; None when it cannot be measured (the reports say so).
    unit : str
        One of :data:`UNITS`; rates are fractions 0..1, money in the engagement's currency.
    window : str or None
        The period it measures, an ISO 8601 interval ``YYYY-MM-DD/YYYY-MM-DD``, or None.
    label : str
        What it is, in the report's language.
    count : int or None
        How many records it rests on (its evidence).
    low, high : float or None
        Its interval, when it has one.
    grade : str or None
        ``solid``, ``indicative`` or ``too_little_data``
        (:func:`workbook.analysis.evidence.evidence_grade`).
    """

    key: str
    value: float | int | str | None
    unit: str
    window: str | None
    label: str
    count: int | None = None
    low: float | None = None
    high: float | None = None
    grade: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON object of this figure (fields that are None are kept as null)."""
        return asdict(self)


def _plain(value: Any) -> float | int | str | None:
    """A JSON-safe scalar: numpy numbers become Python numbers, NaN and NA become None."""
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, int | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    try:  # pd.NA, pd.NaT
        if value != value or value is None:  # noqa: PLR0124 - NaN-like test
            return None
    except TypeError:
        return None
    return str(value)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float | int):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


class FigureRegister:
    """The figures of one run (or one phase of it), by key; see the module docstring."""

    def __init__(self, figures: Iterable[Figure] = ()) -> None:
        self._figures: dict[str, Figure] = {}
        for figure in figures:
            self._put(figure)

    def _put(self, figure: Figure) -> None:
        known = self._figures.get(figure.key)
        if known is not None and not _same(known.value, figure.value):
            raise FigureConflictError(
                f"figure {figure.key!r} has two values: {known.value!r} and {figure.value!r}"
            )
        if known is None:
            self._figures[figure.key] = figure

    def add(
        self,
        key: str,
        value: Any,
        *,
        unit: str,
        label: str,
        window: str | None = None,
        count: int | None = None,
        low: float | None = None,
        high: float | None = None,
        grade: str | None = None,
    ) -> Any:
        """Register a figure and return its value (as given), so a call can sit in a sentence.

        Raises
        ------
        FigureConflictError
            ``key`` is registered with another value.
        ValueError
            ``unit`` is not one of :data:`UNITS`.
        """
        if unit not in UNITS:
            raise ValueError(f"unit {unit!r} is not one of {', '.join(UNITS)}")
        self._put(
            Figure(
                key=key,
                value=_plain(value),
                unit=unit,
                window=window,
                label=label,
                count=None if count is None else int(count),
                low=_plain(low),
                high=_plain(high),
                grade=grade,
            )
        )
        return value

    def __contains__(self, key: object) -> bool:
        return key in self._figures

    def __getitem__(self, key: str) -> Figure:
        return self._figures[key]

    def __iter__(self) -> Iterator[Figure]:
        return iter(self._figures.values())

    def __len__(self) -> int:
        return len(self._figures)

    def value(self, key: str) -> float | int | str | None:
        """The value registered under ``key`` (KeyError when there is none)."""
        return self._figures[key].value

    def merge(self, other: FigureRegister) -> FigureRegister:
        """A register holding both; a key with two different values raises."""
        return FigureRegister([*self, *other])

    def to_json(self) -> dict[str, list[dict[str, Any]]]:
        """``{"figures": [...]}`` sorted by key."""
        return {"figures": [self._figures[k].to_json() for k in sorted(self._figures)]}

    def save(self, path: str | Path) -> Path:
        """Write the register as JSON (atomically: a temporary file renamed into place)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_name(f".{path.name}.tmp")
        scratch.write_text(
            json.dumps(self.to_json(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        os.replace(scratch, path)
        return path

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FigureRegister:
        """The register of :meth:`to_json`'s output."""
        return cls(Figure(**item) for item in data.get("figures", []))

    @classmethod
    def load(cls, path: str | Path) -> FigureRegister:
        """Read a register written by :meth:`save`."""
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


def merge_registers(registers: Iterable[FigureRegister]) -> FigureRegister:
    """One register of several phases' registers; a key with two values raises."""
    merged = FigureRegister()
    for register in registers:
        merged = merged.merge(register)
    return merged


def merge_saved_registers(folder: str | Path) -> FigureRegister | None:
    """The merged registers saved in ``folder/<phase>/figures.json``; None when none was.

    Raises
    ------
    FigureConflictError
        Two phases gave one figure two values.
    """
    paths = sorted(Path(folder).glob(f"*/{FIGURES_NAME}"))
    if not paths:
        return None
    return merge_registers(FigureRegister.load(path) for path in paths)


__all__ = [
    "FIGURES_NAME",
    "UNITS",
    "Figure",
    "FigureConflictError",
    "FigureRegister",
    "merge_registers",
    "merge_saved_registers",
]
