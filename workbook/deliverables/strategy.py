"""The final report's building blocks of the plan (DOMAIN.md, "The building blocks").

:func:`build_strategy` assembles, from one engagement:

- the **conversation-track architecture** (one buyer question per persona x buying stage);
- the **content marketing model**: matrix, gaps, ranked content plan, performance;
- the **engagement-channel model**: which channel serves which buying stage, from touches;
- the **lead management framework**: stages, exit criteria, scoring model and threshold,
  SLA compliance, recycling, account signals and the merge review;
- the **demand process model**: per funnel stage, owner, channels, content and exit criteria;
- the **organisation** (who does what at each stage) and **technology** checklists;
- the **implementation roadmap** of the straw-man plan, as Gantt data.

The pieces are computed in :mod:`workbook.deliverables.operating_model`;
:func:`strategy_sentences` gives the "what this means" sentence of each, in the report's
language, and the ``*_table`` functions their display tables
(:mod:`workbook.deliverables.strategy_text`). All are importable from here. The notebook only
displays.

See Also
--------
workbook.analysis.content, workbook.analysis.scoring, workbook.analysis.leadmgmt : the computations.
workbook.deliverables.plots.strategy : the charts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from workbook.analysis.content import ContentReport, build_content_report, touches_in_context
from workbook.analysis.journeys import journeys_for
from workbook.analysis.leadmgmt import LeadManagementReport, build_lead_management
from workbook.analysis.scoring import ScoreReport, ScoringError, build_scoring
from workbook.deliverables.operating_model import (
    REVIEW_MONTHS,
    ROLES,
    WORKSTREAMS,
    channel_model,
    implementation_roadmap,
    organisation_checklist,
    owner_label,
    plan_start_month,
    process_model,
    technology_checklist,
    tracks_table,
)
from workbook.deliverables.thin_data import emails_provided
from workbook.i18n import (
    check_language,
)

if TYPE_CHECKING:
    from workbook.analysis.journeys import Journeys
    from workbook.intake.engagement import Engagement


@dataclass(frozen=True)
class StrategyReport:
    """Everything the final report's building-block sections show.

    Attributes
    ----------
    content : ContentReport
    scoring : ScoreReport or None
        None when the data cannot support a model (``scoring_error`` says why).
    scoring_error : str or None
    lead_management : LeadManagementReport
    tracks_table : DataFrame
        ``persona`` then one column per buying stage: the question and its coverage, as text.
    channel_model : DataFrame
        Touch channels x buying stages: share (0..1) of each buying stage's touches (of
        tagged assets, by leads still in the funnel) made through each channel; columns sum
        to 1. Empty without touches.
    channel_touches : DataFrame
        The same as counts.
    process_model : DataFrame
        ``stage``, ``owner``, ``channels``, ``content``, ``exit_criteria`` (text).
    organisation : DataFrame
        ``stage`` and one column per role of :data:`ROLES` (text).
    technology : DataFrame
        ``area``, ``item``, ``status`` (ok | todo), ``evidence`` (text).
    roadmap : DataFrame
        ``workstream``, ``task`` (text), ``start``, ``end`` (month starts, end exclusive),
        ``milestone`` (bool: a review point, ``start == end``).
    plan_start : Timestamp
        First month of the roadmap: the ``start`` given to :func:`build_strategy` (the final
        report gives the plan's first month of need,
        :func:`workbook.analysis.reconcile.first_month_of_need`), else
        ``targets.period_start``, else the month after as_of.
    language : str
    touches_provided : bool
        Whether the client provided touches (``engagement.has("touches")``); without them
        the channel model is empty and the sections say so.
    stages : tuple of str
        The engagement's ladder; without a lead stage (``[opportunity, won]``) no lead can be
        disqualified or recycled, and the sections say so.
    emails_provided : bool
        Whether the audit could look for duplicate e-mails (the export has e-mails).
    """

    content: ContentReport
    scoring: ScoreReport | None
    scoring_error: str | None
    lead_management: LeadManagementReport
    tracks_table: pd.DataFrame
    channel_model: pd.DataFrame
    channel_touches: pd.DataFrame
    process_model: pd.DataFrame
    organisation: pd.DataFrame
    technology: pd.DataFrame
    roadmap: pd.DataFrame
    plan_start: pd.Timestamp
    language: str
    touches_provided: bool = True
    stages: tuple[str, ...] = ()  # the engagement's ladder
    emails_provided: bool = True  # else the export has no e-mail to find duplicates with


def build_strategy(
    engagement: Engagement,
    journeys: Journeys | None = None,
    *,
    language: str | None = None,
    seed: int = 7,
    content: ContentReport | None = None,
    scoring: ScoreReport | None = None,
    lead_management: LeadManagementReport | None = None,
    start: pd.Timestamp | None = None,
    ramp_months: int | None = None,
) -> StrategyReport:
    """Compute every building block of the final report.

    Parameters
    ----------
    engagement : Engagement
    journeys : Journeys, optional
        Built from ``engagement`` when not given.
    language : {"en", "fr"}, optional
        engagement.yaml's by default.
    seed : int
        Of the scoring model's folds.
    content, scoring, lead_management : optional
        Already-built parts (built here when not given). When the data cannot support a
        scoring model, ``scoring`` is None and ``scoring_error`` says why.
    start : Timestamp, optional
        First month of the roadmap: the month the plan first needs new leads
        (:func:`workbook.analysis.reconcile.first_month_of_need`); default
        :func:`plan_start_month`.
    ramp_months : int, optional
        Months the roadmap gives the demand ramp-up; default ``targets.ramp_months``.
    """
    journeys = journeys_for(engagement, journeys)
    config = engagement.config
    language = check_language(language or config.language)
    scoring_error = None
    if scoring is None:
        try:
            scoring = build_scoring(engagement, journeys, seed=seed)
        except ScoringError as exc:
            scoring_error = str(exc)
    lead_management = lead_management or build_lead_management(
        engagement, journeys, scoring=scoring, language=language
    )
    context = None  # the touches in context, computed once (after scoring: less held at once)
    if engagement.touches is not None and len(engagement.touches):
        context = touches_in_context(engagement.touches, journeys, engagement.content)
        shares, counts = channel_model(context, buying_stages=config.buying_stages)
    else:
        shares = counts = pd.DataFrame(columns=list(config.buying_stages))
    content = content or build_content_report(
        engagement, journeys, language=language, context=context
    )
    technology = technology_checklist(engagement, content, scoring, language=language)
    period_start = plan_start_month(engagement)
    start = period_start if start is None else pd.Timestamp(start)
    review_offset = max(0, (period_start.year - start.year) * 12 + period_start.month - start.month)
    return StrategyReport(
        content=content,
        scoring=scoring,
        scoring_error=scoring_error,
        lead_management=lead_management,
        tracks_table=tracks_table(content.tracks, language=language),
        channel_model=shares,
        channel_touches=counts,
        process_model=process_model(
            lead_management,
            content,
            engagement.content,
            stages=config.stages,
            context=context,
            journeys=journeys,
            language=language,
        ),
        organisation=organisation_checklist(config.stages, language=language),
        technology=technology,
        roadmap=implementation_roadmap(
            content,
            scoring,
            technology,
            start=start,
            ramp_months=config.targets.ramp_months if ramp_months is None else int(ramp_months),
            review_offset=review_offset,
            language=language,
        ),
        plan_start=start,
        language=language,
        touches_provided=engagement.touches is not None and len(engagement.touches) > 0,
        stages=config.stages,
        emails_provided=emails_provided(engagement),
    )


__all__ = [
    "REVIEW_MONTHS",
    "ROLES",
    "WORKSTREAMS",
    "StrategyReport",
    "build_strategy",
    "channel_model",
    "implementation_roadmap",
    "organisation_checklist",
    "owner_label",
    "plan_start_month",
    "process_model",
    "technology_checklist",
    "tracks_table",
]
