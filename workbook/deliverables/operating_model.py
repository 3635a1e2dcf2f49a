"""The final report's operating model: conversation tracks, channels, demand process,
organisation and technology checklists, and the implementation roadmap.

Pure functions over the analyses' results; :func:`workbook.deliverables.strategy.build_strategy`
assembles them into the :class:`workbook.deliverables.strategy.StrategyReport`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from workbook.analysis.content import ContentReport
from workbook.analysis.leadmgmt import LeadManagementReport
from workbook.analysis.scoring import ScoreReport
from workbook.deliverables.thin_data import emails_provided
from workbook.i18n import (
    CATALOGUE,
    NOT_RECORDED,
    check_language,
    format_number,
    formatters,
    ladder_key,
    lower_label,
    pretty,
    stage_label,
    text,
)

if TYPE_CHECKING:
    from workbook.analysis.journeys import Journeys
    from workbook.intake.engagement import Engagement


#: Roadmap workstreams, in display order.
WORKSTREAMS: tuple[str, ...] = ("lead_management", "content", "channels", "technology", "demand")
#: Review points of the plan, in months from its start (results judged at 3, 6, 12 months).
REVIEW_MONTHS: tuple[int, ...] = (3, 6, 12)
#: Roles of the organisation checklist.
ROLES: tuple[str, ...] = ("marketing", "sales", "operations")


def tracks_table(tracks: pd.DataFrame, *, language: str = "en") -> pd.DataFrame:
    """The conversation-track grid as text: one row per persona, one column per buying stage.

    Parameters
    ----------
    tracks : DataFrame
        :attr:`workbook.analysis.content.ContentReport.tracks`.
    language : {"en", "fr"}

    Returns
    -------
    DataFrame
        ``persona`` (readable) and one column per buying stage (the data key) holding
        ``question`` followed by its coverage (``3 assets`` or ``gap: 1 asset``); the question
        alone when there is no content inventory (status missing).
    """
    cells = [
        text(
            f"strategy.track.cell.{status}",
            language,
            question=question,
            assets=format_number(count, language),
        )
        if isinstance(status, str)
        else str(question)
        for question, count, status in zip(
            tracks["question"], tracks["asset_count"], tracks["status"], strict=True
        )
    ]
    frame = tracks[["persona", "buying_stage"]].assign(cell=cells)
    grid = frame.pivot(index="persona", columns="buying_stage", values="cell")
    grid = grid.reindex(
        index=pd.unique(tracks["persona"]), columns=pd.unique(tracks["buying_stage"])
    )
    grid.columns = [str(c) for c in grid.columns]
    grid.index = [pretty(p, language) for p in grid.index]
    return grid.rename_axis("persona").reset_index()


def channel_model(
    context: pd.DataFrame, *, buying_stages: tuple[str, ...]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Which channel serves which buying stage: touches of tagged assets by channel.

    Parameters
    ----------
    context : DataFrame
        :func:`workbook.analysis.content.touches_in_context`.
    buying_stages : tuple of str

    Returns
    -------
    shares : DataFrame
        Channels (rows, busiest first) x buying stages: share of the buying stage's touches
        through the channel (each column sums to 1, or is 0 when the stage has no touch).
    counts : DataFrame
        The same, as touch counts.

    Notes
    -----
    Only touches of leads still in the funnel (``active``) with a tagged asset count: a
    touch without an asset cannot be placed on the buyer's journey.
    """
    used = context.loc[
        context["buying_stage"].isin(buying_stages) & context["active"], ["channel", "buying_stage"]
    ]
    counts = pd.crosstab(used["channel"].astype(object), used["buying_stage"].astype(object))
    counts = counts.reindex(columns=list(buying_stages), fill_value=0)
    counts = counts.loc[counts.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    counts.index.name, counts.columns.name = "channel", "buying_stage"
    totals = counts.sum(axis=0).replace(0, np.nan)
    shares = counts.div(totals, axis=1).fillna(0.0)
    return shares, counts.astype("int64")


def _buying_stage_of(stages: tuple[str, ...], feeds: pd.DataFrame) -> dict[str, str | None]:
    """For each funnel stage, the buying stage its leads are in: the last buying stage whose
    fed funnel stage is at or before it."""
    position = {s: i for i, s in enumerate(stages)}
    fed = [
        (position[f], b) for b, f in zip(feeds["buying_stage"], feeds["funnel_stage"], strict=True)
    ]
    out: dict[str, str | None] = {}
    for i, stage in enumerate(stages):
        before = [b for p, b in fed if p <= i]
        out[stage] = before[-1] if before else None
    return out


def process_model(
    lead_management: LeadManagementReport,
    content: ContentReport,
    content_frame: pd.DataFrame,
    *,
    stages: tuple[str, ...],
    context: pd.DataFrame | None = None,
    journeys: Journeys | None = None,
    language: str = "en",
    channels_per_stage: int = 2,
) -> pd.DataFrame:
    """The demand process model: per funnel stage, owner, channels, content, exit criteria.

    Parameters
    ----------
    lead_management : LeadManagementReport
    content : ContentReport
    content_frame : DataFrame
        The inventory (formats of the buying stage's assets).
    stages : tuple of str
    context : DataFrame, optional
        :func:`workbook.analysis.content.touches_in_context`: the channels that reach leads in each
        stage most, relative to all touches. Without it, the first stage lists the leading
        first-touch channels and the others none.
    journeys : Journeys, optional
        For the first-touch channels without touches.
    language : {"en", "fr"}
    channels_per_stage : int

    Returns
    -------
    DataFrame
        ``stage``, ``owner``, ``channels``, ``content``, ``exit_criteria`` (readable text).
    """
    definitions = lead_management.stages.set_index("stage")
    in_buying_stage = _buying_stage_of(stages, content.feeds)
    channels: dict[str, list[str]] = {s: [] for s in stages}
    if context is not None and len(context):
        active = context.loc[
            context["active"] & context["channel"].notna(), ["stage_index", "channel"]
        ]
        counts = pd.crosstab(active["stage_index"], active["channel"].astype(object))
        for k, stage in enumerate(stages):
            if k in counts.index and counts.loc[k].sum() > 0:
                top = counts.loc[k].sort_values(ascending=False, kind="stable")
                channels[stage] = [str(c) for c in top.index[:channels_per_stage] if top[c] > 0]
    elif journeys is not None:
        first = journeys.leads["source_channel"].dropna().value_counts()
        # no journey has a channel: the cell says so rather than naming "Not recorded"
        if len(first) and (first.index.astype(str) == NOT_RECORDED).all():
            first = pd.Series([1], index=[text("thin.channel.none_cell", language)])
        channels[stages[0]] = [str(c) for c in first.index[:channels_per_stage]]
    rows = []
    for stage in stages:
        bs = in_buying_stage.get(stage)
        if bs is not None and not content.provided:
            content_text = text(
                "strategy.process.content.none", language, buying_stage=pretty(bs, language)
            )
        elif bs is not None:
            formats = content_frame.loc[content_frame["buying_stage"] == bs, "format"].dropna()
            top_formats = [str(f) for f in formats.value_counts().index[:2]]
            content_text = text(
                "strategy.process.content",
                language,
                buying_stage=pretty(bs, language),
                formats=", ".join(lower_label(pretty(f, language)) for f in top_formats)
                or text("final.process.no_format", language),
            )
        else:
            content_text = text("final.process.no_stage", language)
        rows.append(
            (
                stage_label(stage, language),
                owner_label(str(definitions.loc[stage, "owner"]), language),
                ", ".join(pretty(c, language) for c in channels[stage])
                or text("final.process.no_channel", language),
                content_text,
                str(definitions.loc[stage, "exit_criteria"]),
            )
        )
    return pd.DataFrame(rows, columns=["stage", "owner", "channels", "content", "exit_criteria"])


def owner_label(owner: str, language: str = "en") -> str:
    """A team name as readers see it (``customer_success`` -> ``Customer success``)."""
    return CATALOGUE[check_language(language)].get(
        f"strategy.owner.{owner}", pretty(owner, language)
    )


def organisation_checklist(stages: tuple[str, ...], *, language: str = "en") -> pd.DataFrame:
    """Who does what at each funnel stage: marketing, sales and operations.

    Returns
    -------
    DataFrame
        ``stage`` (readable) and one column per role of :data:`ROLES`; stages without a
        default role description get a generic one to fill in at the workshop.
    """
    catalogue = CATALOGUE[check_language(language)]
    rows = []
    for stage in stages:
        row = [stage_label(stage, language)]
        for role in ROLES:
            key = f"strategy.org.{stage}.{role}"
            row.append(
                catalogue[key]
                if key in catalogue
                else text(
                    f"strategy.org.generic.{role}", language, stage=stage_label(stage, language)
                )
            )
        rows.append(row)
    return pd.DataFrame(rows, columns=["stage", *ROLES])


def technology_checklist(
    engagement: Engagement,
    content: ContentReport,
    scoring: ScoreReport | None,
    *,
    language: str = "en",
) -> pd.DataFrame:
    """The demand technology checklist, each item's status read from the data.

    Returns
    -------
    DataFrame
        ``area`` (crm | marketing_automation | cms | data | analytics, readable), ``item``,
        ``status`` (ok | todo), ``evidence`` (what the data shows), in the report's language.
    """
    n, pct, _ = formatters(language)
    leads, opps, content_frame = engagement.leads, engagement.opportunities, engagement.content
    lead_stage_cols = [f"{s}_at" for s in engagement.config.stages[1:] if f"{s}_at" in leads]
    filled = [c for c in lead_stage_cols if c in leads and leads[c].notna().any()]
    linked = float(opps["lead_id"].notna().mean()) if len(opps) else 0.0
    touches = engagement.touches
    with_asset = (
        float(touches["asset_id"].notna().mean()) if touches is not None and len(touches) else 0.0
    )
    untagged, stale = content.untagged or [], content.stale or []
    tagged = 1.0 - len(untagged) / len(content_frame) if len(content_frame) else 0.0
    no_touches = text("strategy.tech.evidence.no_touches", language)
    no_content = text("strategy.tech.evidence.no_content", language)
    has_touches = touches is not None and len(touches) > 0
    spend_channels = set(engagement.spend["channel"].dropna().astype(str))
    lead_channels = set(leads["source_channel"].dropna().astype(str))
    matched = len(spend_channels & lead_channels) / len(spend_channels) if spend_channels else 0.0
    accounts = float(leads["account_id"].notna().mean()) if "account_id" in leads else 0.0
    # without an e-mail in the export, duplicates cannot be looked for: None, not 0
    duplicates = (
        engagement.audit.duplicates.get("leads", 0) if emails_provided(engagement) else None
    )
    has_leads = engagement.has("leads")  # else each opportunity stands in for its lead
    items = [
        ("crm", "stage_dates", len(filled) == len(lead_stage_cols),
         text("strategy.tech.evidence.stage_dates", language, filled=n(len(filled)), total=n(len(lead_stage_cols)))),
        ("crm", "linked_opportunities", has_leads and linked >= 0.8,
         text("strategy.tech.evidence.share", language, share=pct(linked))
         if has_leads else text("strategy.tech.evidence.no_leads", language)),
        ("crm", "accounts", accounts >= 0.9,
         text("strategy.tech.evidence.share", language, share=pct(accounts))),
        ("marketing_automation", "touches", has_touches,
         text("strategy.tech.evidence.touches", language, touches=n(len(touches)))
         if touches is not None and has_touches else no_touches),
        ("marketing_automation", "touch_assets", with_asset >= 0.5,
         text("strategy.tech.evidence.share", language, share=pct(with_asset))
         if has_touches else no_touches),
        ("marketing_automation", "scoring", False,
         text(ladder_key("strategy.tech.evidence.scoring", scoring.stages), language,
              threshold=format_number(scoring.threshold, language, decimals=2))
         if scoring is not None else text("strategy.tech.evidence.no_scoring", language)),
        ("cms", "tagging", content.provided and not untagged,
         text("strategy.tech.evidence.share", language, share=pct(tagged))
         if content.provided else no_content),
        ("cms", "fresh", content.provided and not stale,
         text("strategy.tech.evidence.stale", language, stale=n(len(stale)))
         if content.provided else no_content),
        ("data", "naming", matched >= 1.0,
         text("strategy.tech.evidence.share", language, share=pct(matched))
         if engagement.has("spend") else text("spend.missing.naming", language)),
        ("data", "duplicates", duplicates == 0,
         text("strategy.tech.evidence.duplicates", language, duplicates=n(duplicates))
         if duplicates is not None else text("strategy.tech.evidence.no_email", language)),
        ("analytics", "dashboard", False, text("strategy.tech.evidence.dashboard", language)),
    ]  # fmt: skip
    return pd.DataFrame(
        [
            (
                text(f"strategy.tech.area.{area}", language),
                text(f"strategy.tech.{item}", language),
                "ok" if ok else "todo",
                evidence,
            )
            for area, item, ok, evidence in items
        ],
        columns=["area", "item", "status", "evidence"],
    )


def plan_start_month(engagement: Engagement) -> pd.Timestamp:
    """First month of the plan: ``targets.period_start``, else the month after ``as_of``."""
    start = engagement.config.targets.period_start
    if start:
        return pd.Period(start, freq="M").to_timestamp()
    return (pd.Timestamp(engagement.as_of).to_period("M") + 1).to_timestamp()


def implementation_roadmap(
    content: ContentReport,
    scoring: ScoreReport | None,
    technology: pd.DataFrame,
    *,
    start: pd.Timestamp,
    ramp_months: int = 0,
    review_offset: int = 0,
    max_content_tasks: int = 4,
    language: str = "en",
) -> pd.DataFrame:
    """The straw-man implementation plan as Gantt data.

    Parameters
    ----------
    content : ContentReport
        Its ranked plan gives one production task per gap (at most ``max_content_tasks``,
        staggered a month apart, the highest impact first). Without a content inventory,
        the content workstream is one task: build it.
    scoring : ScoreReport or None
    technology : DataFrame
        :func:`technology_checklist`: its open items size the data workstream.
    start : Timestamp
        First month of the plan.
    ramp_months : int
        Months of the demand ramp-up.
    review_offset : int
        Months from ``start`` to the plan's revenue period: the review points
        (:data:`REVIEW_MONTHS`) count from there, where results can be judged.
    language : {"en", "fr"}

    Returns
    -------
    DataFrame
        ``workstream`` (key of :data:`WORKSTREAMS`), ``task`` (text), ``start``, ``end``
        (month starts, end exclusive), ``milestone`` (bool).
    """
    month = lambda k: start + pd.DateOffset(months=k)  # noqa: E731
    rows: list[tuple[str, str, int, int, bool]] = [
        ("lead_management", text("strategy.roadmap.definitions", language), 0, 1, False),
        (
            "lead_management",
            text(
                ladder_key("strategy.roadmap.scoring", scoring.stages),
                language,
                threshold=format_number(scoring.threshold, language, decimals=2),
            )
            if scoring is not None
            else text("strategy.roadmap.scoring_data", language),
            1,
            3,
            False,
        ),
        ("lead_management", text("strategy.roadmap.review", language), 1, 4, False),
    ]
    if not content.provided or content.plan is None:
        rows.append(("content", text("strategy.roadmap.inventory", language), 0, 2, False))
    plan = content.plan if content.plan is not None else pd.DataFrame()
    for i, p in enumerate(plan.head(max_content_tasks).itertuples(index=False)):
        rows.append(
            (
                "content",
                text(
                    "strategy.roadmap.produce",
                    language,
                    needed=format_number(int(p.needed), language),
                    format=lower_label(pretty(p.suggested_format, language)),
                    persona=pretty(p.persona, language),
                    buying_stage=lower_label(pretty(p.buying_stage, language)),
                ),
                i,
                i + 2,
                False,
            )
        )
    if content.untagged or content.stale:
        rows.append(("content", text("strategy.roadmap.tagging", language), 0, 2, False))
    rows.append(("channels", text("strategy.roadmap.channels", language), 2, 5, False))
    open_items = int((technology["status"] == "todo").sum())
    rows.append(
        (
            "technology",
            text(
                "strategy.roadmap.technology", language, items=format_number(open_items, language)
            ),
            0,
            3,
            False,
        )
    )
    rows.append(("technology", text("strategy.roadmap.dashboard", language), 1, 3, False))
    if ramp_months > 0:
        rows.append(("demand", text("strategy.roadmap.ramp", language), 0, ramp_months, False))
    for k in REVIEW_MONTHS:
        rows.append(
            (
                "demand",
                text("strategy.roadmap.checkpoint", language, months=format_number(k, language)),
                k + review_offset,
                k + review_offset,
                True,
            )
        )
    frame = pd.DataFrame(
        rows, columns=["workstream", "task", "start_month", "end_month", "milestone"]
    )
    frame["start"] = [month(int(k)) for k in frame["start_month"]]
    frame["end"] = [month(int(k)) for k in frame["end_month"]]
    order = {w: i for i, w in enumerate(WORKSTREAMS)}
    frame = frame.sort_values(
        ["workstream", "start_month"],
        key=lambda s: s.map(order) if s.name == "workstream" else s,
        kind="stable",
    )
    return frame[["workstream", "task", "start", "end", "milestone"]].reset_index(drop=True)
