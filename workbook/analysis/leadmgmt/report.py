"""The lead management framework of an engagement, defined and measured."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from workbook.analysis.journeys import journeys_for
from workbook.analysis.leadmgmt.framework import (
    recycle_summary,
    sla_compliance,
    stage_definitions,
)
from workbook.analysis.leadmgmt.review import merge_review
from workbook.analysis.numbers import json_records, json_scalar
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
        return {
            "stages": json_records(self.stages),
            "sla": json_records(self.sla),
            "recycling": json_records(self.recycling),
            "recycled_leads": int(self.recycled_leads),
            "review": json_records(self.review),
            "threshold": json_scalar(self.threshold),
        }


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
    engagement, journeys
        As :func:`~workbook.analysis.journeys.journeys_for`.
    scoring : ScoreReport, optional
        Its scores and threshold decide which warm leads are hot in the review list.
    language : {"en", "fr"}, optional
        engagement.yaml's by default.
    """
    settings = engagement.config.lead_management
    journeys = journeys_for(engagement, journeys)
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
