"""Funnel health: leads stuck in a stage, and leads whose export skipped one."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.analysis.journeys import Journeys
from workbook.intake.engagement import Engagement


def stuck_leads(journeys: Journeys, funnel: pd.DataFrame) -> pd.DataFrame:
    """Leads sitting in a stage for longer than its 90th-percentile time to convert.

    Parameters
    ----------
    journeys : Journeys
    funnel : DataFrame
        :func:`funnel_rates` (its ``p90_days`` is the threshold).

    Returns
    -------
    DataFrame
        One row per stage except the last: ``stage``, ``open_count`` (leads in the stage at
        ``as_of``, open, not disqualified), ``threshold_days`` (the stage's p90 time to
        convert, NaN when nobody converted), ``stuck_count`` (open leads in the stage for
        more than ``threshold_days``; 0 without a threshold), ``stuck_share`` (0..1 of the
        open ones, NaN without open leads).
    """
    steps = journeys.steps
    is_open = steps["event"].to_numpy() == 0
    stage = steps["stage_index"].to_numpy()[is_open].astype(np.intp)  # codes of the ladder
    stages = list(journeys.stages[:-1])
    threshold = pd.Series(
        funnel["p90_days"].to_numpy(float), index=funnel["from"].astype(str).to_numpy()
    )
    limit = threshold.reindex(stages).to_numpy(float)
    stuck = steps["duration_days"].to_numpy(float)[is_open] > limit[stage]  # NaN -> False
    out = pd.DataFrame(
        {
            "stage": stages,
            "open_count": np.bincount(stage, minlength=len(stages)).astype("int64"),
            "threshold_days": limit,
            "stuck_count": np.bincount(stage[stuck], minlength=len(stages)).astype("int64"),
        }
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        out["stuck_share"] = np.where(
            out["open_count"] > 0, out["stuck_count"] / out["open_count"], np.nan
        )
    return out


def skipped_stage_counts(engagement: Engagement) -> pd.DataFrame:
    """Leads whose export skipped a stage: an empty ``<stage>_at`` with a later stage set.

    Counted from the audit's warnings (validation backfills such dates and names their
    rows), restricted to leads of the snapshot (created on or before ``as_of``) whose
    backfilled date for the stage is on or before ``as_of``.

    Returns
    -------
    DataFrame
        One row per stage after the first: ``stage``, ``skipped_count`` (leads). The frame's
        ``attrs["skipped_leads"]`` holds how many distinct leads skipped at least one stage.
    """
    leads = engagement.leads
    stages = engagement.config.stages
    file = engagement.files.get("leads", "leads.csv")
    as_of = engagement.as_of_timestamp
    rows = leads["source_row"].to_numpy()
    in_snapshot = (leads["created_at"] <= as_of).fillna(False).to_numpy(bool)
    any_skip = np.zeros(len(leads), dtype=bool)
    counts = []
    for stage in stages[1:]:
        col = f"{stage}_at"
        flagged = [
            np.asarray(p.rows, dtype=np.int64)
            for p in engagement.audit.warnings
            if p.file == file and p.column == col and p.code == "skipped_stage"
        ]
        mask = np.zeros(len(leads), dtype=bool)
        if flagged and col in leads:
            reached = (leads[col] <= as_of).fillna(False).to_numpy(bool)
            mask = np.isin(rows, np.concatenate(flagged)) & in_snapshot & reached
        any_skip |= mask
        counts.append(int(mask.sum()))
    out = pd.DataFrame({"stage": list(stages[1:]), "skipped_count": counts})
    out.attrs["skipped_leads"] = int(any_skip.sum())
    return out
