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

:func:`strategy_sentences` gives the "what this means" sentence of each, in the report's
language. The notebook only displays.

See Also
--------
workbook.analysis.content, workbook.analysis.scoring, workbook.analysis.leadmgmt : the computations.
workbook.deliverables.plots.strategy : the charts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from workbook.analysis.content import ContentReport, build_content_report, touches_in_context
from workbook.analysis.leadmgmt import LeadManagementReport, build_lead_management
from workbook.analysis.scoring import ScoreReport, ScoringError, build_scoring
from workbook.i18n import (
    CATALOGUE,
    check_language,
    format_month,
    format_number,
    formatters,
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
        First month of the roadmap: ``targets.period_start``, else the month after as_of.
    language : str
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


# --- conversation tracks and channels --------------------------------------------------------


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
        ``question`` followed by its coverage (``3 assets`` or ``gap: 1 asset``).
    """
    cells = [
        text(
            f"strategy.track.cell.{status}",
            language,
            question=question,
            assets=format_number(count, language),
        )
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
    grid.index = [pretty(p) for p in grid.index]
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
    used = context.loc[context["buying_stage"].isin(buying_stages) & context["active"]]
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
        active = context.loc[context["active"] & context["channel"].notna()]
        counts = pd.crosstab(active["stage_index"], active["channel"].astype(object))
        for k, stage in enumerate(stages):
            if k in counts.index and counts.loc[k].sum() > 0:
                top = counts.loc[k].sort_values(ascending=False, kind="stable")
                channels[stage] = [str(c) for c in top.index[:channels_per_stage] if top[c] > 0]
    elif journeys is not None:
        first = journeys.leads["source_channel"].dropna().value_counts()
        channels[stages[0]] = [str(c) for c in first.index[:channels_per_stage]]
    rows = []
    for stage in stages:
        bs = in_buying_stage.get(stage)
        if bs is not None:
            formats = content_frame.loc[content_frame["buying_stage"] == bs, "format"].dropna()
            top_formats = [str(f) for f in formats.value_counts().index[:2]]
            content_text = text(
                "strategy.process.content",
                language,
                buying_stage=pretty(bs),
                formats=", ".join(pretty(f).lower() for f in top_formats) or "-",
            )
        else:
            content_text = "-"
        rows.append(
            (
                stage_label(stage, language),
                owner_label(str(definitions.loc[stage, "owner"]), language),
                ", ".join(pretty(c) for c in channels[stage]) or "-",
                content_text,
                str(definitions.loc[stage, "exit_criteria"]),
            )
        )
    return pd.DataFrame(rows, columns=["stage", "owner", "channels", "content", "exit_criteria"])


def owner_label(owner: str, language: str = "en") -> str:
    """A team name as readers see it (``customer_success`` -> ``Customer success``)."""
    return CATALOGUE[check_language(language)].get(f"strategy.owner.{owner}", pretty(owner))


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
    tagged = 1.0 - len(content.untagged) / len(content_frame) if len(content_frame) else 0.0
    spend_channels = set(engagement.spend["channel"].dropna().astype(str))
    lead_channels = set(leads["source_channel"].dropna().astype(str))
    matched = len(spend_channels & lead_channels) / len(spend_channels) if spend_channels else 0.0
    accounts = float(leads["account_id"].notna().mean()) if "account_id" in leads else 0.0
    duplicates = int(engagement.audit.duplicates.get("leads", 0))
    items = [
        ("crm", "stage_dates", len(filled) == len(lead_stage_cols),
         text("strategy.tech.evidence.stage_dates", language, filled=n(len(filled)), total=n(len(lead_stage_cols)))),
        ("crm", "linked_opportunities", linked >= 0.8,
         text("strategy.tech.evidence.share", language, share=pct(linked))),
        ("crm", "accounts", accounts >= 0.9,
         text("strategy.tech.evidence.share", language, share=pct(accounts))),
        ("marketing_automation", "touches", touches is not None and len(touches) > 0,
         text("strategy.tech.evidence.touches", language, touches=n(0 if touches is None else len(touches)))),
        ("marketing_automation", "touch_assets", with_asset >= 0.5,
         text("strategy.tech.evidence.share", language, share=pct(with_asset))),
        ("marketing_automation", "scoring", False,
         text("strategy.tech.evidence.scoring", language,
              threshold=format_number(scoring.threshold, language, decimals=2))
         if scoring is not None else text("strategy.tech.evidence.no_scoring", language)),
        ("cms", "tagging", not content.untagged,
         text("strategy.tech.evidence.share", language, share=pct(tagged))),
        ("cms", "fresh", not content.stale,
         text("strategy.tech.evidence.stale", language, stale=n(len(content.stale)))),
        ("data", "naming", matched >= 1.0,
         text("strategy.tech.evidence.share", language, share=pct(matched))),
        ("data", "duplicates", duplicates == 0,
         text("strategy.tech.evidence.duplicates", language, duplicates=n(duplicates))),
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
    max_content_tasks: int = 4,
    language: str = "en",
) -> pd.DataFrame:
    """The straw-man implementation plan as Gantt data.

    Parameters
    ----------
    content : ContentReport
        Its ranked plan gives one production task per gap (at most ``max_content_tasks``,
        staggered a month apart, the highest impact first).
    scoring : ScoreReport or None
    technology : DataFrame
        :func:`technology_checklist`: its open items size the data workstream.
    start : Timestamp
        First month of the plan.
    ramp_months : int
        ``targets.ramp_months``: the demand ramp-up.
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
                "strategy.roadmap.scoring",
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
    for i, p in enumerate(content.plan.head(max_content_tasks).itertuples(index=False)):
        rows.append(
            (
                "content",
                text(
                    "strategy.roadmap.produce",
                    language,
                    needed=format_number(int(p.needed), language),
                    format=pretty(p.suggested_format).lower(),
                    persona=pretty(p.persona),
                    buying_stage=pretty(p.buying_stage).lower(),
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
                k,
                k,
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


# --- the report ------------------------------------------------------------------------------


def build_strategy(
    engagement: Engagement,
    journeys: Journeys | None = None,
    *,
    language: str | None = None,
    seed: int = 7,
    content: ContentReport | None = None,
    scoring: ScoreReport | None = None,
    lead_management: LeadManagementReport | None = None,
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

    Raises
    ------
    workbook.intake.problems.EngagementError
        When engagement.yaml's ``content.questions`` or ``lead_management`` is invalid.
    """
    from workbook.analysis.journeys import build_journeys

    journeys = journeys if journeys is not None else build_journeys(engagement)
    config = engagement.config
    language = check_language(language or config.language)
    content = content or build_content_report(engagement, journeys, language=language)
    scoring_error = None
    if scoring is None:
        try:
            scoring = build_scoring(engagement, journeys, seed=seed)
        except ScoringError as exc:
            scoring_error = str(exc)
    lead_management = lead_management or build_lead_management(
        engagement, journeys, scoring=scoring, language=language
    )
    context = None
    if engagement.touches is not None and len(engagement.touches):
        context = touches_in_context(engagement.touches, journeys, engagement.content)
        shares, counts = channel_model(context, buying_stages=config.buying_stages)
    else:
        shares = counts = pd.DataFrame(columns=list(config.buying_stages))
    technology = technology_checklist(engagement, content, scoring, language=language)
    start = plan_start_month(engagement)
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
            ramp_months=config.targets.ramp_months,
            language=language,
        ),
        plan_start=start,
        language=language,
    )


def _join(items: list[str], language: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    word = " et " if language == "fr" else " and "
    return ", ".join(items[:-1]) + word + items[-1]


def strategy_sentences(report: StrategyReport, *, language: str, currency: str) -> dict[str, str]:
    """The "what this means" sentence of each building block, in ``language``.

    Returns
    -------
    dict
        Keys ``tracks``, ``content``, ``plan``, ``performance``, ``tagging``, ``channels``,
        ``framework``, ``scoring``, ``sla``, ``recycling``, ``review``, ``accounts``,
        ``process``, ``organisation``, ``technology``, ``roadmap``.
    """
    n, pct, money = formatters(language, currency)
    cell = lambda p, b: f"{pretty(p)} × {pretty(b).lower()}"  # noqa: E731
    content = report.content
    tracks = content.tracks
    out: dict[str, str] = {}

    gaps = tracks.loc[tracks["status"] == "gap"]
    out["tracks"] = text(
        "strategy.tracks.means",
        language,
        tracks=n(len(tracks)),
        covered=n(int((tracks["status"] == "covered").sum())),
        gaps=n(len(gaps)),
    )
    if len(content.gaps):
        worst = content.gaps.sort_values("assets", kind="stable").iloc[0]
        out["content"] = text(
            "strategy.content.means",
            language,
            gaps=n(len(content.gaps)),
            cells=n(int(content.matrix.size)),
            minimum=n(content.min_assets_per_cell),
            worst=cell(worst["persona"], worst["buying_stage"]),
            assets=n(int(worst["assets"])),
        )
    else:
        out["content"] = text(
            "strategy.content.means.none", language, minimum=n(content.min_assets_per_cell)
        )
    if len(content.plan):
        top = content.plan.iloc[0]
        out["plan"] = text(
            "strategy.plan.means",
            language,
            cell=cell(top["persona"], top["buying_stage"]),
            stage=stage_label(str(top["funnel_stage"]), language),
            leakage=pct(float(top["leakage_rate"])),
            share=pct(float(top["persona_revenue_share"])),
            format=pretty(top["suggested_format"]).lower(),
        )
    else:
        out["plan"] = text("strategy.plan.means.none", language)
    perf = content.performance
    if perf is not None:
        a = perf.assets
        movers = a.loc[a["verdict"] == "moves_buyers"]
        viewers = a.loc[a["verdict"] == "collects_views"]
        best = movers.iloc[0] if len(movers) else None
        out["performance"] = text(
            "strategy.performance.means",
            language,
            movers=n(len(movers)),
            viewers=n(len(viewers)),
            best=str(best["asset_id"]) if best is not None else "-",
            best_rate=pct(float(best["progressed_rate"])) if best is not None else "-",
            baseline=pct(float(best["baseline_rate"])) if best is not None else "-",
            views=n(float(viewers["views"].fillna(0).sum())),
            revenue=money(float(movers["influenced_revenue"].sum())),
            lag=n(perf.lag_days),
        )
    else:
        out["performance"] = text("strategy.performance.means.none", language)
    out["tagging"] = text(
        "strategy.tagging.means",
        language,
        untagged=n(len(content.untagged)),
        stale=n(len(content.stale)),
    )

    shares, counts = report.channel_model, report.channel_touches
    if len(shares) and shares.to_numpy().sum() > 0:
        overall = counts.sum(axis=1) / counts.to_numpy().sum()
        # the channel over-represented at each stage, among those carrying 5 % of it or more
        lift = shares.div(overall.replace(0, np.nan), axis=0).where(shares >= 0.05)
        leaders = [
            text(
                "strategy.channels.pair",
                language,
                buying_stage=pretty(b).lower(),
                channel=pretty(lift[b].astype(float).idxmax()),
                share=pct(float(shares.loc[lift[b].astype(float).idxmax(), b])),
            )
            for b in shares.columns
            if lift[b].notna().any()
        ]
        out["channels"] = text("strategy.channels.means", language, pairs=_join(leaders, language))
    else:
        out["channels"] = text("strategy.channels.means.none", language)

    lm = report.lead_management
    out["framework"] = text(
        "strategy.framework.means",
        language,
        stages=n(len(lm.stages)),
        custom=n(int((lm.stages["source"] != "default").sum())),
    )
    sc = report.scoring
    if sc is not None:
        lift = sc.lift_at_threshold
        out["scoring"] = text(
            "strategy.scoring.means",
            language,
            target=stage_label(sc.target, language),
            auc=format_number(sc.auc, language, decimals=2),
            threshold=format_number(sc.threshold, language, decimals=2),
            precision=pct(sc.precision_at_threshold),
            recall=pct(sc.recall_at_threshold),
            flagged=pct(sc.flagged_share),
            lift=format_number(lift, language, decimals=1) if lift else "-",
        )
        top = sc.weights.iloc[0] if len(sc.weights) else None
        out["weights"] = text(
            "strategy.weights.means",
            language,
            feature=feature_label(str(top["feature"]), language) if top is not None else "-",
            direction=text(
                "strategy.weights.up"
                if top is not None and top["weight"] > 0
                else "strategy.weights.down",
                language,
            ),
        )
        hot_accounts = sc.accounts.loc[sc.accounts["hot_leads"] > 0]
        out["accounts"] = text(
            "strategy.accounts.means",
            language,
            accounts=n(len(sc.accounts)),
            hot=n(len(hot_accounts)),
            days=n(sc.engaged_days),
        )
    else:
        out["scoring"] = text(
            "strategy.scoring.means.none", language, reason=report.scoring_error or "-"
        )
        out["weights"] = out["scoring"]
        out["accounts"] = text("strategy.accounts.means.none", language)
    sla = lm.sla.dropna(subset=["compliance_rate"])
    if len(sla):
        worst_sla = sla.sort_values("compliance_rate", kind="stable").iloc[0]
        out["sla"] = text(
            "strategy.sla.means",
            language,
            from_stage=stage_label(str(worst_sla["from"]), language),
            to_stage=stage_label(str(worst_sla["to"]), language),
            days=n(int(worst_sla["sla_days"])),
            rate=pct(float(worst_sla["compliance_rate"])),
            median=format_number(float(worst_sla["median_response_days"]), language, decimals=1),
        )
    else:
        out["sla"] = text("strategy.sla.means.none", language)
    rec = lm.recycling
    out["recycling"] = text(
        "strategy.recycling.means",
        language,
        disqualified=n(int(rec["disqualified"].sum())),
        recycled=n(int(lm.recycled_leads)),
        due=n(int(rec["due_for_nurture"].sum())),
        days=n(lm.settings.nurture_days),
    )
    review = lm.review
    out["review"] = text(
        "strategy.review.means",
        language,
        emails=n(int((review["review_kind"] == "same_email").sum())),
        accounts=n(int((review["review_kind"] == "same_account").sum())),
        hot=n(int(review.loc[review["review_kind"] == "same_account", "hot_leads"].gt(0).sum())),
    )
    out["process"] = text("strategy.process.means", language, stages=n(len(report.process_model)))
    out["organisation"] = text("strategy.organisation.means", language)
    todo = report.technology.loc[report.technology["status"] == "todo"]
    out["technology"] = text(
        "strategy.technology.means",
        language,
        ok=n(int((report.technology["status"] == "ok").sum())),
        total=n(len(report.technology)),
        todo=_join([str(t).lower() for t in todo["item"].head(3)], language) or "-",
    )
    roadmap = report.roadmap
    tasks = roadmap.loc[~roadmap["milestone"]]
    out["roadmap"] = text(
        "strategy.roadmap.means",
        language,
        tasks=n(len(tasks)),
        start=format_month(report.plan_start, language),
        end=format_month(tasks["end"].max() - pd.DateOffset(months=1), language),
    )
    return out


def feature_label(feature: str, language: str = "en") -> str:
    """A scoring feature in words (see :func:`workbook.analysis.scoring.lead_features` for the names).

    Examples
    --------
    >>> feature_label("source_channel=paid_social")
    'First-touch channel: Paid social'
    >>> feature_label("touches_decision_30d")
    'Touches (decision, last 30 days)'
    >>> feature_label("touches_channel_paid_search")
    'Touches (via Paid search)'
    """
    if "=" in feature:
        name, value = feature.split("=", 1)
        return text(
            "strategy.feature.value",
            language,
            name=text(f"strategy.feature.{name}", language),
            value=pretty(value),
        )
    parts = feature.split("_")
    if parts[0] != "touches":
        return pretty(feature)
    rest = parts[1:]
    qualifiers = []
    if rest and rest[-1].endswith("d") and rest[-1][:-1].isdigit():
        days = rest.pop()[:-1]
        qualifiers.append(text("strategy.feature.recent", language, days=days))
    if rest and rest[0] == "channel":
        qualifiers.insert(
            0, text("strategy.feature.via", language, channel=pretty("_".join(rest[1:])))
        )
    elif rest:
        qualifiers.insert(0, pretty("_".join(rest)).lower())
    label = text("strategy.feature.touches", language)
    return f"{label} ({', '.join(qualifiers)})" if qualifiers else label


def weights_table(scoring: ScoreReport, *, language: str = "en", top: int = 12) -> pd.DataFrame:
    """The scoring model's largest weights, in words: ``feature``, ``weight``, ``effect``."""
    weights = scoring.weights.head(top)
    return pd.DataFrame(
        {
            "feature": [feature_label(f, language) for f in weights["feature"]],
            "weight": weights["weight"].to_numpy(float),
            "effect": [
                text("strategy.weights.up" if w > 0 else "strategy.weights.down", language)
                for w in weights["weight"]
            ],
        }
    )


def plan_table(content: ContentReport, *, language: str = "en") -> pd.DataFrame:
    """The ranked content plan for display: words instead of keys."""
    plan = content.plan
    return pd.DataFrame(
        {
            "rank": plan["rank"].to_numpy(),
            "cell": [
                f"{pretty(p)} × {pretty(b).lower()}"
                for p, b in zip(plan["persona"], plan["buying_stage"], strict=True)
            ],
            "needed": plan["needed"].to_numpy(),
            "funnel_stage": [stage_label(str(s), language) for s in plan["funnel_stage"]],
            "leakage_rate": plan["leakage_rate"].to_numpy(float),
            "persona_revenue_share": plan["persona_revenue_share"].to_numpy(float),
            "impact_score": plan["impact_score"].to_numpy(float),
            "suggested_format": [pretty(f) for f in plan["suggested_format"]],
        }
    )


def stages_table(lead_management: LeadManagementReport, *, language: str = "en") -> pd.DataFrame:
    """The lead-management stages for display: stage, owner, definition, exit criteria, SLA."""
    s = lead_management.stages
    return pd.DataFrame(
        {
            "stage": [stage_label(x, language) for x in s["stage"]],
            "owner": [owner_label(o, language) for o in s["owner"]],
            "definition": s["definition"].to_numpy(object),
            "exit_criteria": s["exit_criteria"].to_numpy(object),
            "sla_days": s["sla_days"].to_numpy(float),
        }
    )


def technology_table(technology: pd.DataFrame, *, language: str = "en") -> pd.DataFrame:
    """The technology checklist for display: the status in words."""
    return technology.assign(
        status=[text(f"strategy.status.{s}", language) for s in technology["status"]]
    )


def review_table(
    lead_management: LeadManagementReport, *, language: str = "en", top: int = 15
) -> pd.DataFrame:
    """The merge review list for display (lead ids and companies only, never e-mails)."""
    review = lead_management.review
    email = review.loc[review["review_kind"] == "same_email"].head(top)
    account = review.loc[review["review_kind"] == "same_account"].head(top)
    shown = pd.concat([account, email], ignore_index=True)
    return shown.assign(
        review_kind=[text(f"strategy.review.kind.{k}", language) for k in shown["review_kind"]]
    )[["review_kind", "company", "lead_ids", "lead_count", "hot_leads", "keep_lead_id"]]


__all__ = [
    "REVIEW_MONTHS",
    "ROLES",
    "WORKSTREAMS",
    "StrategyReport",
    "build_strategy",
    "channel_model",
    "feature_label",
    "implementation_roadmap",
    "organisation_checklist",
    "owner_label",
    "plan_start_month",
    "plan_table",
    "process_model",
    "review_table",
    "stages_table",
    "strategy_sentences",
    "technology_checklist",
    "technology_table",
    "tracks_table",
    "weights_table",
]
