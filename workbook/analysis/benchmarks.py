"""Public B2B funnel benchmarks, and the client's funnel set against them.

The bundled file ``workbook/data/benchmarks.csv`` holds a few typical B2B stage conversion
rates and cycle lengths gathered from public web pages. **They are illustrative**: public
figures are secondary sources that rarely state their sample or method, use different stage
definitions and vary widely with segment, deal size and sales motion (Forrester's own
guidance is that no single best-in-class waterfall benchmark fits every company). Each row
carries its ``source`` and ``url`` and a ``quality`` flag:

``medium``
    The page names the studies or datasets its ranges come from, without the data.
``low``
    A vendor blog or glossary with no stated source, sample or method.

No row is ``high`` (a published study with its method and sample): read the comparison as
a rough frame for discussion, never as a target.

See Also
--------
workbook.intake.benchmarks.load_benchmarks : reads the file (its columns are described there).
workbook.analysis.kpis.journey_curve : the client's censoring-aware rate between any two stages.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from workbook.analysis.journeys import Journeys
from workbook.analysis.kpis.funnel import journey_curve
from workbook.analysis.survival import CumulativeIncidence

__all__ = ["compare_to_benchmarks"]


def compare_to_benchmarks(
    benchmarks: pd.DataFrame,
    journeys: Journeys,
    *,
    horizon_days: int = 365,
    curves: Mapping[tuple[str, str], CumulativeIncidence] | None = None,
    confidence_level: float = 0.95,
) -> pd.DataFrame:
    """The client's figure for each benchmark row whose stages are in the client's ladder.

    Parameters
    ----------
    benchmarks : DataFrame
        :func:`workbook.intake.benchmarks.load_benchmarks`.
    journeys : Journeys
    horizon_days : int
        Rates are cumulative incidences at this horizon; cycle lengths are the median time
        to convert among leads converting within it (both censoring-aware, exits
        competing), as in :func:`workbook.analysis.kpis.funnel_rates`.
    curves : mapping, optional
        ``(from, to)`` -> cumulative incidence already computed; others are computed.
    confidence_level : float

    Returns
    -------
    DataFrame
        The benchmark rows kept (ladder order of ``from_stage``, then ``to_stage``) with
        ``client`` (the client's rate 0..1 or days; NaN when undefined) and ``position``
        (``below``, ``within`` or ``above`` the ``low``..``high`` range; empty when
        ``client`` is NaN).
    """
    stages = journeys.stages
    rank = {s: i for i, s in enumerate(stages)}
    keep = (
        benchmarks["from_stage"].isin(stages)
        & benchmarks["to_stage"].isin(stages)
        & (benchmarks["from_stage"].map(rank) < benchmarks["to_stage"].map(rank))
    )
    rows = benchmarks.loc[keep.fillna(False).to_numpy(bool)].copy()
    cache = dict(curves or {})
    values = []
    for metric, a, b in zip(rows["metric"], rows["from_stage"], rows["to_stage"], strict=True):
        if (a, b) not in cache:
            cache[(a, b)] = journey_curve(journeys, a, b, confidence_level=confidence_level)
        cif = cache[(a, b)]
        if cif is None:
            values.append(np.nan)
        elif metric == "conversion_rate":
            values.append(float(cif.at(horizon_days)))
        else:
            median = cif.median_time_days(horizon_days=horizon_days)
            values.append(np.nan if median is None else float(median))
    rows["client"] = np.asarray(values, dtype=float)
    client = rows["client"].to_numpy(float)
    rows["position"] = np.select(
        [np.isnan(client), client < rows["low"].to_numpy(), client > rows["high"].to_numpy()],
        ["", "below", "above"],
        default="within",
    )
    rows["_a"] = rows["from_stage"].map(rank)
    rows["_b"] = rows["to_stage"].map(rank)
    rows = rows.sort_values(["metric", "_a", "_b"], kind="stable").drop(columns=["_a", "_b"])
    return rows.reset_index(drop=True)
