"""The sample client's ``engagement.yaml``: its content and its text."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import numpy as np

from workbook.synthetic.vocabulary import BUYING_STAGES, PERSONAS

_STAKEHOLDERS = (
    {"name": "Claire Dubois", "role": "Chief Executive Officer", "function": "executive"},
    {"name": "Martin Keller", "role": "VP Sales EMEA", "function": "sales"},
    {"name": "Sofia Marchetti", "role": "Head of Product", "function": "product"},
    {"name": "Jonas Lindqvist", "role": "Marketing Director", "function": "marketing"},
    {"name": "Aicha Benali", "role": "Revenue Operations Manager", "function": "operations"},
    {"name": "Tomasz Nowak", "role": "Chief Information Officer", "function": "technology"},
)


def sample_config(*, as_of: str = "2026-09-30") -> dict[str, Any]:
    """The ``engagement.yaml`` content of the bundled sample client, Acme Industrial.

    Parameters
    ----------
    as_of : str
        Snapshot date, ISO ``YYYY-MM-DD``; pass the one given to :func:`generate_engagement`.

    Returns
    -------
    dict
        Keys in the contract's order (client, currency, language, as_of, stages, buying_stages,
        personas, analysis, targets, economics, content) plus ``stakeholders``; ``as_of`` is a
        :class:`datetime.date`, ``targets.period_start`` the text ``'2027-01'``.

    See Also
    --------
    write_engagement : writes it as YAML next to the data.
    workbook.intake.config.parse_config : validates it.
    """
    return {
        "client": "Acme Industrial",
        "currency": "EUR",
        "language": "en",
        "as_of": dt.date.fromisoformat(as_of),
        "stages": ["inquiry", "mql", "sal", "sql", "opportunity", "won"],
        "buying_stages": list(BUYING_STAGES),
        "personas": list(PERSONAS),
        "analysis": {"window_months": 12, "horizon_days": 365},
        "targets": {
            "revenue": 6_000_000,
            "period_start": "2027-01",
            "period_months": 12,
            "ramp_months": 3,
        },
        "economics": {"gross_margin": 0.75, "annual_churn": 0.15},
        "content": {"min_assets_per_cell": 2},
        "stakeholders": [dict(person) for person in _STAKEHOLDERS],
    }


_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_ .,'()&/+-]*$")
_YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}


def _yaml_scalar(value: object, *, flow: bool = False) -> str:
    """One YAML scalar: dates ISO, numbers as Python writes them, text quoted when needed.

    ``flow``: the scalar sits inside ``[...]``, where commas and brackets need quotes too.
    """
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not np.isfinite(value):
            return ".nan" if np.isnan(value) else (".inf" if value > 0 else "-.inf")
        text = repr(value)
        if "e" in text and "." not in text:  # YAML 1.1 floats need a dot: 1.0e-05
            mantissa, exponent = text.split("e")
            text = f"{mantissa}.0e{exponent}"
        return text
    if value is None:
        return "null"
    text = str(value)
    plain = (
        _PLAIN.match(text)
        and text.lower() not in _YAML_WORDS
        and not text.endswith(" ")
        and not (flow and any(c in text for c in ",[]{}"))
    )
    return text if plain else "'" + text.replace("'", "''") + "'"


def _yaml_lines(mapping: Mapping[str, Any], indent: int = 0) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for key, value in mapping.items():
        if isinstance(value, Mapping):
            lines.append(f"{pad}{key}:")
            lines.extend(_yaml_lines(value, indent + 2))
        elif isinstance(value, list | tuple) and any(isinstance(v, Mapping) for v in value):
            lines.append(f"{pad}{key}:")
            for item in value:
                sub = _yaml_lines(item, indent + 4)
                lines.append(f"{pad}  - {sub[0].lstrip()}")
                lines.extend(sub[1:])
        elif isinstance(value, list | tuple):
            items = ", ".join(_yaml_scalar(v, flow=True) for v in value)
            lines.append(f"{pad}{key}: [{items}]")
        else:
            lines.append(f"{pad}{key}: {_yaml_scalar(value)}")
    return lines


def engagement_yaml_text(config: Mapping[str, Any]) -> str:
    """``engagement.yaml`` text for a config mapping: a comment header, keys in given order.

    Lists of names come out in flow style (``[a, b]``), dates as ``2026-09-30`` and month-like
    text quoted (``'2027-01'``), so ``yaml.safe_load`` gives the mapping back.

    Examples
    --------
    >>> print(engagement_yaml_text({"client": "X", "targets": {"period_start": "2027-01"}}))
    ... # doctest: +NORMALIZE_WHITESPACE
    # X: engagement settings (synthetic data written by workbook.synthetic).
    # Every person and company in this engagement is fictional.
    client: X
    targets:
      period_start: '2027-01'
    """
    client = str(config.get("client", "engagement"))
    header = [
        f"# {client}: engagement settings (synthetic data written by workbook.synthetic).",
        "# Every person and company in this engagement is fictional.",
    ]
    return "\n".join(header + _yaml_lines(config)) + "\n"
