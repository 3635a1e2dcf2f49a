"""The shared stage definitions, and how the funnel lives up to its SLA and recycling rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from workbook.i18n import CATALOGUE, check_language, stage_label, text
from workbook.intake.sections.lead_management import (
    DEFAULT_NURTURE_DAYS,
    DEFAULT_RECYCLE_FROM,
    LeadManagementSettings,
)

if TYPE_CHECKING:
    from workbook.analysis.journeys import Journeys


#: Who works leads at each default stage.
DEFAULT_OWNERS: Mapping[str, str] = {
    "inquiry": "marketing",
    "mql": "marketing",
    "sal": "sales",
    "sql": "sales",
    "opportunity": "sales",
    "won": "customer_success",
}


def _text_in(value: Any, language: str) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return value.get(language) or next(iter(value.values()), None)
    return None


def stage_definitions(
    stages: tuple[str, ...],
    settings: LeadManagementSettings | None = None,
    *,
    language: str = "en",
) -> pd.DataFrame:
    """The shared definition, exit criteria, owner and SLA of every funnel stage.

    Parameters
    ----------
    stages : tuple of str
    settings : LeadManagementSettings, optional
        engagement.yaml's overrides.
    language : {"en", "fr"}

    Returns
    -------
    DataFrame
        ``stage``, ``owner`` (a key such as ``marketing``), ``definition``, ``exit_criteria``,
        ``sla_days`` (days the next team has to act, NaN when no SLA), ``source`` (default |
        engagement.yaml).
    """
    check_language(language)
    settings = settings or LeadManagementSettings()
    catalogue = CATALOGUE[language]
    rows = []
    for i, stage in enumerate(stages):
        given = settings.stages.get(stage, {})
        nxt = stages[i + 1] if i + 1 < len(stages) else None
        texts = {}
        for key, cat in (("definition", "definition"), ("exit_criteria", "exit")):
            own = _text_in(given.get(key), language)
            default_key = f"lm.stage.{stage}.{cat}"
            if own:
                texts[key] = own
            elif default_key in catalogue:
                texts[key] = catalogue[default_key]
            else:
                texts[key] = text(
                    f"lm.stage.generic.{cat}",
                    language,
                    stage=stage_label(stage, language),
                    next=stage_label(nxt, language) if nxt else "",
                )
        sla = settings.sla_days.get(f"{stage}_{nxt}") if nxt else None
        rows.append(
            (
                stage,
                given.get("owner") or DEFAULT_OWNERS.get(stage, "marketing" if i < 2 else "sales"),
                texts["definition"],
                texts["exit_criteria"],
                float(sla) if sla is not None else np.nan,
                "engagement.yaml" if given else "default",
            )
        )
    return pd.DataFrame(
        rows, columns=["stage", "owner", "definition", "exit_criteria", "sla_days", "source"]
    )


def sla_compliance(
    journeys: Journeys,
    *,
    sla_days: Mapping[str, int],
    since: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """How often the next team acted on a lead within the agreed days.

    Parameters
    ----------
    journeys : Journeys
    sla_days : mapping
        ``<from>_<to>`` -> days.
    since : Timestamp, optional
        Only leads that entered ``<from>`` on or after this day (e.g. the KPI window).

    Returns
    -------
    DataFrame
        One row per SLA: ``from``, ``to``, ``sla_days``, ``entered`` (leads that entered
        ``from``), ``within_sla`` (acted on, advanced or disqualified, within ``sla_days``),
        ``breached`` (acted on later, or still waiting past ``sla_days`` at ``as_of``),
        ``pending`` (still waiting, inside the SLA), ``compliance_rate``
        (``within / (within + breached)``, 0..1, NaN when none is due) and
        ``median_response_days`` (among leads acted on).

    Examples
    --------
    See ``tests/analysis/test_leadmgmt.py`` for a hand-computed case.
    """
    rows = []
    for a, b in journeys.pairs:
        key = f"{a}_{b}"
        if key not in sla_days:
            continue
        limit = float(sla_days[key])
        step = journeys.step(a)
        if since is not None:
            step = step.loc[step["entered_at"] >= since]
        days = step["duration_days"].to_numpy(float)
        acted = step["event"].to_numpy() > 0
        within = acted & (days <= limit)
        breached = days > limit  # acted on late, or still waiting past the SLA
        pending = ~acted & (days <= limit)
        due = int(within.sum() + breached.sum())
        rows.append(
            {
                "from": a,
                "to": b,
                "sla_days": int(sla_days[key]),
                "entered": int(len(step)),
                "within_sla": int(within.sum()),
                "breached": int(breached.sum()),
                "pending": int(pending.sum()),
                "compliance_rate": float(within.sum() / due) if due else np.nan,
                "median_response_days": float(np.median(days[acted])) if acted.any() else np.nan,
            }
        )
    columns = ["from", "to", "sla_days", "entered", "within_sla", "breached", "pending",
               "compliance_rate", "median_response_days"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _stage_on(journeys: Journeys, when: np.ndarray) -> np.ndarray:
    """Index of the stage each lead was in on ``when`` (-1 before its first stage or NaT)."""
    dates = np.column_stack(
        [journeys.leads[f"{s}_at"].to_numpy("datetime64[ns]") for s in journeys.stages]
    )
    entered = (dates <= when[:, None]).sum(axis=1) - 1
    return np.where(np.isnat(when), -1, entered)


def recycle_summary(
    journeys: Journeys,
    *,
    nurture_days: int = DEFAULT_NURTURE_DAYS,
    recycle_from: tuple[str, ...] = DEFAULT_RECYCLE_FROM,
    since: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Disqualified, recycled and due-for-recycling leads per stage.

    Parameters
    ----------
    journeys : Journeys
    nurture_days : int
        Cooling-off period before a disqualified lead returns to nurture.
    recycle_from : tuple of str
        Stages whose disqualified leads are recycled.
    since : Timestamp, optional
        Count only disqualifications on or after this day.

    Returns
    -------
    DataFrame
        One row per lead stage (before ``opportunity``): ``stage``, ``recycles``
        (bool: in ``recycle_from``), ``disqualified`` (leads disqualified while in that stage),
        ``recycled`` (of those, leads that came back and reached a later stage),
        ``due_for_nurture`` (disqualified, not back, cooling-off over: to return to
        nurture now), ``cooling_off`` (disqualified less than ``nurture_days`` ago).
    """
    leads = journeys.leads
    disq = leads["disqualified_at"].to_numpy("datetime64[ns]")
    at = _stage_on(journeys, disq)
    came_back = leads["recycled"].to_numpy(bool)
    counted = ~np.isnat(disq)
    if since is not None:
        counted &= disq >= np.datetime64(pd.Timestamp(since).to_datetime64())
    ready = (journeys.as_of - pd.Timedelta(days=nurture_days)).to_datetime64()
    stages = journeys.stages
    # the lead stages: before opportunity, or before won ([mql, won])
    end = stages.index("opportunity") if "opportunity" in stages else len(stages) - 1
    rows = []
    for k, stage in enumerate(stages[:end]):
        here = counted & (at == k)
        waiting = here & ~came_back
        rows.append(
            {
                "stage": stage,
                "recycles": stage in recycle_from,
                "disqualified": int(here.sum()),
                "recycled": int((here & came_back).sum()),
                "due_for_nurture": int((waiting & (disq <= ready)).sum())
                if stage in recycle_from
                else 0,
                "cooling_off": int((waiting & (disq > ready)).sum())
                if stage in recycle_from
                else 0,
            }
        )
    return pd.DataFrame(
        rows,
        columns=["stage", "recycles", "disqualified", "recycled", "due_for_nurture", "cooling_off"],
    )


__all__ = ["DEFAULT_OWNERS", "recycle_summary", "sla_compliance", "stage_definitions"]
