"""The content marketing model of an engagement at once: :func:`build_content_report`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbook.analysis.content.matrix import (
    content_gaps,
    content_matrix,
    conversation_tracks,
    stale_assets,
    untagged_assets,
)
from workbook.analysis.content.performance import (
    ContentPerformance,
    content_performance,
    touches_in_context,
)
from workbook.analysis.content.plan import (
    buying_stage_feeds,
    content_plan,
    persona_revenue_share,
    suggest_tags,
    suggested_formats,
)
from workbook.analysis.journeys import Journeys, journeys_for
from workbook.analysis.questions import question_bank
from workbook.intake.engagement import Engagement


@dataclass(frozen=True)
class ContentReport:
    """The content marketing model of an engagement (see the module docstring).

    Every figure that needs the inventory is None when the client provided no content
    inventory (CONTRACT section 3; ``provided`` False): matrix, gaps, untagged, stale,
    performance, plan and tag suggestions. The conversation tracks keep the buyer's
    questions (they come from engagement.yaml and the question bank), without assets or
    status.

    Attributes
    ----------
    matrix : DataFrame or None
        Personas x buying stages, asset counts (:func:`content_matrix`).
    gaps : DataFrame or None
        :func:`content_gaps`.
    tracks : DataFrame
        :func:`conversation_tracks`: one per cell. Without an inventory, ``assets``,
        ``asset_count`` and ``status`` are missing (None).
    untagged, stale : list of str or None
        Asset ids, inventory order.
    min_assets_per_cell, stale_months : int
    language : str
        Of the tracks' questions.
    performance : ContentPerformance or None
        None without touches or without an inventory.
    feeds : DataFrame
        :func:`buying_stage_feeds`.
    plan : DataFrame or None
        :func:`content_plan`: the ranked gaps.
    tag_suggestions : DataFrame or None
        :func:`suggest_tags`.
    provided : bool
        Whether the client provided a content inventory (``engagement.has("content")``).
    """

    matrix: pd.DataFrame | None
    gaps: pd.DataFrame | None
    tracks: pd.DataFrame
    untagged: list[str] | None
    stale: list[str] | None
    min_assets_per_cell: int
    stale_months: int
    language: str
    performance: ContentPerformance | None
    feeds: pd.DataFrame
    plan: pd.DataFrame | None
    tag_suggestions: pd.DataFrame | None
    provided: bool = True

    def to_dict(self) -> dict[str, Any]:
        """The contract's ``content --json`` object: matrix, gaps, tracks, untagged, stale.

        Without a content inventory, ``matrix``, ``gaps``, ``untagged`` and ``stale`` are
        null, and so are each track's ``assets`` and ``status`` (its question stays).
        """
        if not self.provided or self.matrix is None or self.gaps is None:
            return {
                "matrix": None,
                "gaps": None,
                "tracks": [
                    {
                        "persona": str(t.persona),
                        "buying_stage": str(t.buying_stage),
                        "question": str(t.question),
                        "assets": None,
                        "status": None,
                    }
                    for t in self.tracks.itertuples(index=False)
                ],
                "untagged": None,
                "stale": None,
            }
        return {
            "matrix": {
                str(persona): {str(stage): int(n) for stage, n in row.items()}
                for persona, row in self.matrix.iterrows()
            },
            "gaps": [
                {
                    "persona": str(g.persona),
                    "buying_stage": str(g.buying_stage),
                    "assets": int(g.assets),
                    "needed": int(g.needed),
                }
                for g in self.gaps.itertuples(index=False)
            ],
            "tracks": [
                {
                    "persona": str(t.persona),
                    "buying_stage": str(t.buying_stage),
                    "question": str(t.question),
                    "assets": [str(a) for a in t.assets],
                    "status": str(t.status),
                }
                for t in self.tracks.itertuples(index=False)
            ],
            "untagged": [str(a) for a in self.untagged or []],
            "stale": [str(a) for a in self.stale or []],
        }


def stage_leakage(
    journeys: Journeys, *, horizon_days: int = 365, annual_churn: float = 0.15
) -> dict[str, float]:
    """Share of each stage's leads that do not reach the next stage within the horizon.

    ``1 - rate`` of :func:`workbook.analysis.kpis.funnel_rates` (censoring-aware); the last stage
    (won) leaks through churn, so it gets ``annual_churn``. Stages no lead entered are absent.
    """
    # imported when called: kpis.funnel imports the baseline, which imports this package
    # (for the content matrix); at the top it would be imported while half-initialised
    from workbook.analysis.kpis.funnel import funnel_rates

    rates = funnel_rates(journeys, horizon_days=horizon_days)
    leakage = {
        str(a): float(1.0 - r)
        for a, r in zip(rates["from"], rates["rate"], strict=True)
        if np.isfinite(r)
    }
    leakage[journeys.stages[-1]] = float(annual_churn)
    return leakage


def _without_inventory(
    engagement: Engagement, questions: pd.DataFrame, *, language: str
) -> ContentReport:
    """The content report of an engagement without a content inventory: the buyer's
    questions only, every figure that needs the inventory None (CONTRACT section 3)."""
    config = engagement.config
    tracks = questions[["persona", "buying_stage", "question"]].reset_index(drop=True)
    tracks = tracks.assign(assets=None, asset_count=None, status=None)
    return ContentReport(
        matrix=None,
        gaps=None,
        tracks=tracks,
        untagged=None,
        stale=None,
        min_assets_per_cell=config.min_assets_per_cell,
        stale_months=config.stale_months,
        language=language,
        performance=None,
        feeds=buying_stage_feeds(config.buying_stages, config.stages),
        plan=None,
        tag_suggestions=None,
        provided=False,
    )


def build_content_report(
    engagement: Engagement,
    journeys: Journeys | None = None,
    *,
    language: str | None = None,
    lag_days: int = 90,
    min_leads: int = 20,
    context: pd.DataFrame | None = None,
) -> ContentReport:
    """Everything ``workbook content`` and the final report's content sections show.

    Parameters
    ----------
    engagement, journeys
        As :func:`~workbook.analysis.journeys.journeys_for`.
    language : {"en", "fr"}, optional
        Of the tracks' questions; engagement.yaml's ``language`` by default.
    lag_days, min_leads : int
        See :func:`content_performance`.
    context : DataFrame, optional
        :func:`touches_in_context` of the engagement's touches, when the caller has it
        already (the final report's strategy build uses it again); computed here otherwise.

    Returns
    -------
    ContentReport
        ``to_dict()`` is the contract's ``content --json`` object. Without a content
        inventory (``engagement.has("content")`` False), every figure that needs it is None.
    """
    config = engagement.config
    journeys = journeys_for(engagement, journeys)
    content = engagement.content
    language = language or config.language
    questions = question_bank(config, language=language)
    if not engagement.has("content"):
        return _without_inventory(engagement, questions, language=language)
    matrix = content_matrix(content, personas=config.personas, buying_stages=config.buying_stages)
    min_assets = config.min_assets_per_cell
    gaps = content_gaps(matrix, min_assets=min_assets)
    tracks = conversation_tracks(content, questions, min_assets=min_assets)
    performance = None
    if engagement.touches is not None and len(engagement.touches):
        if context is None:
            context = touches_in_context(engagement.touches, journeys, content)
        performance = content_performance(
            context,
            journeys,
            content,
            engagement.opportunities,
            personas=config.personas,
            buying_stages=config.buying_stages,
            lag_days=lag_days,
            min_leads=min_leads,
        )
    feeds = buying_stage_feeds(config.buying_stages, config.stages)
    plan = content_plan(
        gaps,
        feeds=feeds,
        leakage=stage_leakage(
            journeys,
            horizon_days=config.horizon_days,
            annual_churn=config.economics.annual_churn,
        ),
        persona_share=persona_revenue_share(journeys, config.personas),
        formats=suggested_formats(
            content, buying_stages=config.buying_stages, performance=performance
        ),
        min_assets=min_assets,
    )
    return ContentReport(
        matrix=matrix,
        gaps=gaps,
        tracks=tracks,
        untagged=untagged_assets(content),
        stale=stale_assets(
            content, as_of=engagement.as_of_timestamp, stale_months=config.stale_months
        ),
        min_assets_per_cell=min_assets,
        stale_months=config.stale_months,
        language=language,
        performance=performance,
        feeds=feeds,
        plan=plan,
        tag_suggestions=suggest_tags(
            content, personas=config.personas, buying_stages=config.buying_stages
        ),
    )
