"""Monthly entry cohorts: the share of each reaching a stage within k months."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.analysis.journeys import Journeys
from workbook.intake.coverage import DataCoverage, stage_files

_DAY = np.timedelta64(1, "D")


def cohort_conversion(
    journeys: Journeys,
    *,
    to_stage: str,
    max_months: int = 12,
    coverage: DataCoverage | None = None,
) -> pd.DataFrame:
    """Share of each monthly entry cohort reaching ``to_stage`` within k months of entering.

    Parameters
    ----------
    journeys : Journeys
    to_stage : str
        A stage after the first.
    max_months : int
        Columns 1..max_months.
    coverage : DataCoverage, optional
        ``Engagement.coverage``. A cohort is observed up to the
        end of what the files it reads cover (the leads file, and the opportunities file for
        ``opportunity`` and ``won``), not up to ``as_of``, and a cohort that starts before they
        cover is not observed at all: a file that stopped early leaves NaN (no data), not 0.
        None observes every cohort up to ``as_of``.

    Returns
    -------
    DataFrame
        Index ``cohort`` (month start of entering the first stage), oldest first; columns
        ``1..max_months`` (int): the share (0..1) of the cohort that reached ``to_stage``
        within that many months (k x 30.44 days) of entering. NaN where the cohort has not
        been observed that long (its last day plus k months is after ``as_of``, or after the
        end of the data's coverage): the cells censoring hides. ``attrs["entered"]`` is a
        Series of cohort sizes.
    """
    leads = journeys.leads
    first = journeys.stages[0]
    entered_at = leads[f"{first}_at"]
    cohort = entered_at.dt.to_period("M").dt.to_timestamp()
    reached_days = (leads[f"{to_stage}_at"] - entered_at).dt.total_seconds().to_numpy() / 86400.0
    months = np.arange(1, max_months + 1)
    month_days = 365.25 / 12
    # reached within k months: k-th column counts leads with 0 <= days <= k * month_days
    bins = np.searchsorted(months * month_days, reached_days, side="left") + 1  # 1..max+1
    bins = np.where(np.isnan(reached_days), max_months + 1, bins)
    frame = pd.DataFrame({"cohort": cohort.to_numpy(), "bin": bins})
    counts = pd.crosstab(frame["cohort"], frame["bin"]).reindex(
        columns=range(1, max_months + 2), fill_value=0
    )
    entered = counts.sum(axis=1)
    cumulative = counts[list(months)].cumsum(axis=1).to_numpy(float)
    share = cumulative / entered.to_numpy(float)[:, None]
    cohort_end = (counts.index + pd.offsets.MonthEnd(0)).to_numpy("datetime64[ns]")
    start, end = None, journeys.as_of
    if coverage is not None:
        stages = journeys.stages
        start, end = coverage.span((*stage_files(first, stages), *stage_files(to_stage, stages)))
    observed_days = (end.to_datetime64() - cohort_end) / _DAY
    observable = observed_days[:, None] >= months[None, :] * month_days
    if start is not None:  # a cohort before the files cover: not observed
        observable &= np.asarray(counts.index >= start.to_period("M").to_timestamp())[:, None]
    share = np.where(observable, share, np.nan)
    out = pd.DataFrame(share, index=counts.index, columns=list(months))
    out.index.name = "cohort"
    out.columns.name = "months"
    out.attrs["entered"] = entered.rename("entered")
    return out
