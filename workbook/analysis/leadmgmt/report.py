"""The lead management framework of an engagement, defined and measured."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from workbook.analysis.leadmgmt.framework import (
    recycle_summary,
    sla_compliance,
    stage_definitions,
)
from workbook.analysis.leadmgmt.review import merge_review
from workbook.i18n import check_language
from workbook.intake.sections.lead_management import LeadManagementSettings

if TYPE_CHECKING:
    from workbook.analysis.journeys import Journeys
    from workbook.analysis.scoring import ScoreReport
    from workbook.intake.engagement import Engagement


@dataclass(frozen=True)
class LeadManagementReport:
    """The lead management framework of an engagement, defined and measured.

    Attributes
    ----------
    settings : LeadManagementSettings
    stages : DataFrame
        :func:`stage_definitions`, in the report's language.
    sla : DataFrame
        :func:`sla_compliance` over the KPI window.
    recycling : DataFrame
        :func:`recycle_summary` over the KPI window.
    recycled_leads : int
        Leads that came back after a disqualification (all time).
    review : DataFrame
        :func:`merge_review`.
    threshold : float or None
        The scoring model's MQL threshold, when a model was available.
    language : str
    """

    settings: LeadManagementSettings
    stages: pd.DataFrame
    sla: pd.DataFrame
    recycling: pd.DataFrame
    recycled_leads: int
    review: pd.DataFrame
    threshold: float | None
    language: str

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able view (NaN as None); the review list carries ids, never e-mails."""

        def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
            out = []
            for row in frame.to_dict("records"):
                out.append({k: _plain(v) for k, v in row.items()})
            return out

        return {
            "stages": records(self.stages),
            "sla": records(self.sla),
            "recycling": records(self.recycling),
            "recycled_leads": int(self.recycled_leads),
            "review": records(self.review),
            "threshold": _plain(self.threshold),
        }


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value) if np.isfinite(value) else None
    return value


def build_lead_management(
    engagement: Engagement,
    journeys: Journeys | None = None,
    *,
    scoring: ScoreReport | None = None,
    language: str | None = None,
) -> LeadManagementReport:
    """The lead management framework: definitions, SLA, recycling and the merge review.

    Parameters
    ----------
    engagement : Engagement
    journeys : Journeys, optional
        Built from ``engagement`` when not given.
    scoring : ScoreReport, optional
        Its scores and threshold decide which warm leads are hot in the review list.
    language : {"en", "fr"}, optional
        engagement.yaml's by default.
    """
    from workbook.analysis.journeys import build_journeys

    settings = engagement.config.lead_management
    journeys = journeys if journeys is not None else build_journeys(engagement)
    language = check_language(language or engagement.config.language)
    since = engagement.window_start
    last_touch = None
    if engagement.touches is not None and len(engagement.touches):
        from workbook.analysis.scoring import last_touch_by_lead

        last_touch = last_touch_by_lead(journeys, engagement.touches)
    return LeadManagementReport(
        settings=settings,
        stages=stage_definitions(engagement.config.stages, settings, language=language),
        sla=sla_compliance(journeys, sla_days=settings.sla_days, since=since),
        recycling=recycle_summary(
            journeys,
            nurture_days=settings.nurture_days,
            recycle_from=settings.recycle_from,
            since=since,
        ),
        recycled_leads=int(journeys.leads["recycled"].sum()),
        review=merge_review(
            engagement.leads,
            journeys,
            engaged_days=settings.engaged_days,
            min_warm_leads=settings.min_warm_leads,
            scores=scoring.scores if scoring is not None else None,
            threshold=scoring.threshold if scoring is not None else None,
            last_touch=last_touch,
        ),
        threshold=scoring.threshold if scoring is not None else None,
        language=language,
    )


__all__ = ["LeadManagementReport", "build_lead_management"]
