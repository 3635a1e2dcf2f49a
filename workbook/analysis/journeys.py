"""The journeys table: stage times computed once, read by every analysis.

Two views of the same facts:

``leads``
    One row per lead in the snapshot (created on or before ``as_of``): attributes (a channel
    not recorded is ``"not_recorded"``, :data:`workbook.i18n.NOT_RECORDED`), the
    date it first entered each stage of the ladder (``<stage>_at``: skipped stages already
    backfilled, nothing after ``as_of``), its exit (``exit_at``: disqualified or, after the
    opportunity stage, lost) and whether it was recycled.
``steps``
    One row per lead and stage reached, except the last stage of the ladder: when it entered,
    what happened next (``advanced`` to the next stage, ``exited``, or ``open`` at ``as_of``)
    and after how many days. ``event`` codes it for survival analysis: 1 advanced,
    2 exited (the competing outcome), 0 open (censored).

See Also
--------
workbook.intake.engagement.load_engagement : produces the validated frames read here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook.i18n import NOT_RECORDED
from workbook.intake.engagement import Engagement
from workbook.intake.links import backfill_rows
from workbook.intake.text import as_text

OUTCOMES: tuple[str, ...] = ("open", "advanced", "exited")
ATTRIBUTES: tuple[str, ...] = (
    "source_channel",
    "sourced_by",
    "persona",
    "segment",
    "account_id",
    "company",
)


@dataclass(frozen=True)
class Journeys:
    """The journeys of an engagement's leads (see the module docstring).

    Attributes
    ----------
    stages : tuple of str
        The ladder, e.g. ``("inquiry", "mql", "sal", "sql", "opportunity", "won")``.
    as_of : Timestamp
        Snapshot date; nothing after it is known.
    leads : DataFrame
        ``lead_id``, attributes, ``<stage>_at`` per stage, ``exit_at``, ``disqualified_at``,
        ``lost_at``, ``won_amount``, ``opportunity_id``, ``recycled`` (bool), ``last_stage``.
    steps : DataFrame
        ``lead_index`` (row of ``leads``), ``lead_id``, ``stage``, ``next_stage``,
        ``entered_at``, ``outcome``, ``event`` (int8), ``duration_days`` (float, >= 0).
    """

    stages: tuple[str, ...]
    as_of: pd.Timestamp
    leads: pd.DataFrame
    steps: pd.DataFrame

    def step(self, stage: str) -> pd.DataFrame:
        """The steps out of one stage (leads that entered ``stage``)."""
        return self.steps.loc[self.steps["stage"] == stage]

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        """Adjacent stage pairs of the ladder."""
        return tuple(zip(self.stages[:-1], self.stages[1:], strict=True))


def build_journeys(engagement: Engagement) -> Journeys:
    """Build the journeys table of an engagement.

    Parameters
    ----------
    engagement : Engagement

    Returns
    -------
    Journeys

    Notes
    -----
    Everything dated after ``as_of`` is treated as not yet happened: leads created after it
    are left out, later stage dates are blanked. A lead disqualified before the last stage it
    reached came back into the funnel (``recycled``): its disqualification is not its exit.
    """
    return journeys_from_leads(
        engagement.leads, stages=engagement.config.stages, as_of=engagement.as_of_timestamp
    )


def journeys_for(engagement: Engagement, journeys: Journeys | None = None) -> Journeys:
    """``journeys`` when given, else :func:`build_journeys` of ``engagement``.

    Every analysis and report taking ``(engagement, journeys=None)`` reads its journeys
    through this, so a caller who already built them passes them and none is built twice.

    Parameters
    ----------
    engagement : Engagement
        The validated engagement.
    journeys : Journeys, optional
        Its journeys, already built; built from ``engagement`` when not given.
    """
    return journeys if journeys is not None else build_journeys(engagement)


def journeys_from_leads(
    leads: pd.DataFrame, *, stages: tuple[str, ...], as_of: pd.Timestamp
) -> Journeys:
    """Build journeys from a validated leads frame (with linked opportunity dates).

    Parameters
    ----------
    leads : DataFrame
        As :func:`workbook.intake.engagement.load_engagement` gives it: ``created_at``, the lead
        stage columns, ``opportunity_at``, ``won_at``, ``lost_at``, ``disqualified_at``.
    stages : tuple of str
    as_of : Timestamp

    See Also
    --------
    build_journeys
    """
    as_of = pd.Timestamp(as_of)
    in_snapshot = leads["created_at"] <= as_of
    src = (leads if in_snapshot.all() else leads.loc[in_snapshot]).reset_index(drop=True)
    # the columns are gathered first, then made a frame once, without copies
    out: dict[str, object] = {"lead_id": src["lead_id"]}
    for col in ATTRIBUTES:
        out[col] = src[col] if col in src else pd.Series(pd.NA, index=src.index, dtype="string")
    # a journey whose channel was not recorded (an opportunities-only export without a
    # channel) keeps its place in every channel total, under NOT_RECORDED
    channel = out["source_channel"]
    if channel.isna().any():
        out["source_channel"] = channel.astype("string").fillna(NOT_RECORDED)

    stage_sources = {stages[0]: "created_at"}
    stage_sources |= {s: f"{s}_at" for s in stages[1:]}
    limit = as_of.to_datetime64()

    def capped(col: str) -> np.ndarray:
        """A date column with what is after as_of blanked (not yet happened)."""
        if col not in src:
            return np.full(len(src), np.datetime64("NaT"), "datetime64[ns]")
        values = src[col].to_numpy("datetime64[ns]")
        later = values > limit  # usually none: as_of defaults to the latest date
        return np.where(later, np.datetime64("NaT"), values) if later.any() else values

    # column-major: each stage's dates are one contiguous column of the frame
    dates = np.empty((len(src), len(stages)), dtype="datetime64[ns]", order="F")
    for k, stage in enumerate(stages):
        dates[:, k] = capped(stage_sources[stage])
    # a later stage reached implies the earlier ones (validation backfilled; as_of may cut)
    reached = ~np.isnat(dates)
    if (reached[:, 1:] & ~reached[:, :-1]).any():  # a stage set after an empty one: a gap
        dates = np.asfortranarray(backfill_rows(dates))
        reached = ~np.isnat(dates)
    for k, stage in enumerate(stages):
        out[f"{stage}_at"] = dates[:, k]

    disqualified = capped("disqualified_at")
    lost = capped("lost_at")
    # the stages reached are a prefix of the ladder (no gaps, above): the last is their count
    # less one, found column by column (the dates are column-major)
    last_index = np.maximum(reached.sum(axis=1) - 1, 0)
    last_date = dates[:, 0].copy()
    for k in range(1, len(stages)):
        np.copyto(last_date, dates[:, k], where=reached[:, k])
    # from the opportunity stage on, a lost deal is the exit; without an opportunity stage
    # ([mql, won]: a closed-deals export) a lost deal ends the step into won, and so does a
    # disqualification when no deal was lost
    opp_k = stages.index("opportunity") if "opportunity" in stages else len(stages) - 2
    in_opportunity = last_index >= opp_k
    last_exit = lost if "opportunity" in stages else np.where(np.isnat(lost), disqualified, lost)
    exit_source = np.where(in_opportunity, last_exit, disqualified)
    won_last = last_index == len(stages) - 1
    exits = ~np.isnat(exit_source) & (exit_source >= last_date) & ~won_last
    out["disqualified_at"] = disqualified
    out["lost_at"] = lost
    out["exit_at"] = np.where(exits, exit_source, np.datetime64("NaT"))
    out["recycled"] = (~np.isnat(disqualified)) & (disqualified < last_date) & ~in_opportunity
    out["last_stage"] = pd.Categorical.from_codes(last_index, categories=list(stages))
    out["won_amount"] = (
        src["won_amount"].to_numpy(float) if "won_amount" in src else np.zeros(len(src))
    )
    out["opportunity_id"] = (
        src["opportunity_id"]
        if "opportunity_id" in src
        else pd.Series(pd.NA, index=src.index, dtype="string")
    )
    frame = pd.DataFrame(out, index=src.index, copy=False)

    steps = _steps(frame, dates, last_index, exits, stages=stages, as_of=limit)
    return Journeys(stages=tuple(stages), as_of=as_of, leads=frame, steps=steps)


def _steps(
    leads: pd.DataFrame,
    dates: np.ndarray,
    last_index: np.ndarray,
    exits: np.ndarray,
    *,
    stages: tuple[str, ...],
    as_of: np.datetime64,
) -> pd.DataFrame:
    parts: dict[str, list[np.ndarray]] = {
        "lead_index": [],
        "stage_index": [],
        "entered_at": [],
        "event": [],
        "duration_days": [],
    }
    exit_at = leads["exit_at"].to_numpy("datetime64[ns]")
    day = np.timedelta64(1, "D")
    for k in range(len(stages) - 1):
        entered = dates[:, k]
        idx = np.flatnonzero(~np.isnat(entered))
        t0 = entered[idx]
        t1 = dates[idx, k + 1]
        advanced = ~np.isnat(t1)
        exited = ~advanced & exits[idx] & (last_index[idx] == k)
        end = np.where(advanced, t1, np.where(exited, exit_at[idx], as_of))
        parts["lead_index"].append(idx)
        parts["stage_index"].append(np.full(len(idx), k, dtype="int8"))
        parts["entered_at"].append(t0)
        parts["event"].append(np.where(advanced, 1, np.where(exited, 2, 0)).astype("int8"))
        parts["duration_days"].append(np.maximum((end - t0) / day, 0.0))
    steps = pd.DataFrame(
        {name: np.concatenate(arrays) for name, arrays in parts.items()}, copy=False
    )
    lead_ids = as_text(leads["lead_id"]).array.take(steps["lead_index"].to_numpy())
    steps.insert(1, "lead_id", pd.Series(lead_ids, index=steps.index))
    steps.insert(2, "stage", pd.Categorical.from_codes(steps["stage_index"], list(stages)))
    steps.insert(3, "next_stage", pd.Categorical.from_codes(steps["stage_index"] + 1, list(stages)))
    steps["outcome"] = pd.Categorical.from_codes(steps["event"], list(OUTCOMES))
    return steps
