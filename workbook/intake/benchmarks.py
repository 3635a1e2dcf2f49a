"""Public B2B funnel benchmarks: reading the bundled file (or another one).

The bundled file ``workbook/data/benchmarks.csv`` holds a few typical B2B stage conversion
rates and cycle lengths gathered from public web pages. **They are illustrative**: see
:mod:`workbook.analysis.benchmarks`, which sets the client's funnel against them.

File columns: ``metric`` (``conversion_rate``: share 0..1 of leads entering ``from_stage``
that reach ``to_stage``; ``cycle_days``: days from ``from_stage`` to ``to_stage``),
``from_stage``, ``to_stage``, ``segment``, ``low``, ``typical``, ``high`` (the range; when
a source gives only a range, ``typical`` is its midpoint), ``source``, ``url``, ``quality``,
``status`` (always ``illustrative``), ``note``.

See Also
--------
workbook.analysis.benchmarks.compare_to_benchmarks : the client's figures against these.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from workbook.intake.io import read_table

__all__ = ["BENCHMARKS_FILE", "METRICS", "load_benchmarks"]

#: The bundled benchmark file (package data).
BENCHMARKS_FILE = Path(__file__).resolve().parents[1] / "data" / "benchmarks.csv"
#: Metrics a benchmark row may hold.
METRICS: tuple[str, ...] = ("conversion_rate", "cycle_days")
_NUMBERS = ("low", "typical", "high")
_TEXTS = ("metric", "from_stage", "to_stage", "segment", "source", "url", "quality", "status")


def load_benchmarks(path: str | Path | None = None) -> pd.DataFrame:
    """Read a benchmark file (by default the bundled, illustrative one).

    Parameters
    ----------
    path : str or Path, optional
        A CSV with the columns described in the module docstring; the bundled file by
        default.

    Returns
    -------
    DataFrame
        One row per benchmark: text columns as ``str``, ``low``/``typical``/``high`` as
        float (rates 0..1, cycle lengths in days).

    Raises
    ------
    ValueError
        When a column is missing, a metric is unknown or a range is not ordered.
    """
    raw = read_table(Path(path) if path is not None else BENCHMARKS_FILE)
    frame = raw.frame
    missing = [c for c in (*_TEXTS, *_NUMBERS, "note") if c not in frame.columns]
    if missing:
        raise ValueError(f"{raw.file}: missing column(s) {missing}")
    out = pd.DataFrame({c: frame[c].astype(str).str.strip() for c in (*_TEXTS, "note")})
    for col in _NUMBERS:
        out[col] = pd.to_numeric(frame[col], errors="raise").astype(float)
    unknown = sorted(set(out["metric"]) - set(METRICS))
    if unknown:
        raise ValueError(f"{raw.file}: unknown metric(s) {unknown}; use {list(METRICS)}")
    unordered = ~((out["low"] <= out["typical"]) & (out["typical"] <= out["high"]))
    if unordered.any():
        rows = (np.flatnonzero(unordered.to_numpy()) + 1).tolist()
        raise ValueError(f"{raw.file}: rows {rows} need low <= typical <= high")
    return out[[*_TEXTS[:4], *_NUMBERS, *_TEXTS[4:], "note"]]
