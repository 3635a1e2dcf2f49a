"""What the final report's building-block sections say: their sentences and display tables.

Each takes the :class:`workbook.deliverables.strategy.StrategyReport` (or one of its parts)
and the report's language; the notebook only displays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from workbook.analysis.content import ContentReport
from workbook.analysis.leadmgmt import LeadManagementReport
from workbook.analysis.scoring import ScoreReport
from workbook.analysis.scoring.features import parse_feature
from workbook.deliverables.final_facts import review_counts
from workbook.deliverables.operating_model import owner_label
from workbook.deliverables.thin_data import ALL_PASS_SHARE
from workbook.i18n import (
    NOT_RECORDED,
    format_month,
    format_number,
    formatters,
    join_words,
    ladder_key,
    lower_label,
    pretty,
    sentence_case,
    stage_label,
    text,
)
from workbook.intake.schema import lead_stages

if TYPE_CHECKING:
    from workbook.deliverables.strategy import StrategyReport


def _content_sentences(
    content: ContentReport,
    matrix: pd.DataFrame,
    gaps_table: pd.DataFrame,
    *,
    language: str,
    currency: str,
) -> dict[str, str]:
    """The sentences of the content sections (``tracks``, ``content``, ``plan``,
    ``performance``, ``tagging``) when the client provided a content inventory: its
    ``matrix`` and ``gaps_table``."""
    n, pct, money = formatters(language, currency)
    cell = lambda p, b: f"{pretty(p, language)} × {lower_label(pretty(b, language))}"  # noqa: E731
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
    if len(gaps_table):
        worst = gaps_table.sort_values("assets", kind="stable").iloc[0]
        out["content"] = text(
            "strategy.content.means",
            language,
            gaps=n(len(gaps_table)),
            cells=n(int(matrix.size)),
            minimum=n(content.min_assets_per_cell),
            worst=cell(worst["persona"], worst["buying_stage"]),
            assets=n(int(worst["assets"])),
        )
    else:
        out["content"] = text(
            "strategy.content.means.none", language, minimum=n(content.min_assets_per_cell)
        )
    if content.plan is not None and len(content.plan):
        top = content.plan.iloc[0]
        out["plan"] = text(
            "strategy.plan.means",
            language,
            cell=cell(top["persona"], top["buying_stage"]),
            stage=stage_label(str(top["funnel_stage"]), language),
            leakage=pct(float(top["leakage_rate"])),
            share=pct(float(top["persona_revenue_share"])),
            format=lower_label(pretty(top["suggested_format"], language)),
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
            best=_title(best),
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
        untagged=n(len(content.untagged or [])),
        stale=n(len(content.stale or [])),
    )
    return out


#: A scoring model's holdout AUC from which the report says it ranks leads "well".
GOOD_AUC = 0.75


def channel_leaders(shares: pd.DataFrame, counts: pd.DataFrame) -> list[tuple[str, str, float]]:
    """The channel that stands out at each buying stage, against its share of all touches.

    Among the channels carrying at least 5% of a buying stage's touches, the one whose share
    there is largest relative to its share of all touches.

    Returns
    -------
    list of tuple
        ``(buying_stage, channel, share of the stage's touches)``, in the stages' order;
        empty without touches.
    """
    if not len(shares) or shares.to_numpy().sum() <= 0:
        return []
    overall = counts.sum(axis=1) / counts.to_numpy().sum()
    lift = shares.div(overall.replace(0, np.nan), axis=0).where(shares >= 0.05)
    out = []
    for b in shares.columns:
        if lift[b].notna().any():
            channel = lift[b].astype(float).idxmax()
            out.append((str(b), str(channel), float(shares.loc[channel, b])))
    return out


def _title(asset: pd.Series | None) -> str:
    """An asset as readers know it: its title (its id only when it has none)."""
    if asset is None:
        return ""
    title = asset.get("title")
    return f"“{title}”" if isinstance(title, str) and title.strip() else str(asset["asset_id"])


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
    content = report.content
    tracks = content.tracks
    out: dict[str, str] = {}

    if not content.provided or content.matrix is None or content.gaps is None:
        # no content inventory (CONTRACT section 3): say so, invent no gap
        out["tracks"] = text("strategy.tracks.means.no_content", language, tracks=n(len(tracks)))
        for key in ("content", "plan", "performance", "tagging"):
            out[key] = text(f"strategy.{key}.means.no_content", language)
    else:
        out.update(
            _content_sentences(
                content, content.matrix, content.gaps, language=language, currency=currency
            )
        )

    shares, counts = report.channel_model, report.channel_touches
    leading = channel_leaders(shares, counts)
    if leading:
        leaders = [
            text(
                "strategy.channels.pair",
                language,
                buying_stage=lower_label(pretty(b, language)),
                channel=sentence_case(pretty(c, language), language),
                share=pct(share),
            )
            for b, c, share in leading
        ]
        out["channels"] = text(
            "strategy.channels.means", language, pairs=join_words(leaders, language)
        )
    elif report.touches_provided and not content.provided:
        out["channels"] = text("strategy.channels.means.no_content", language)
    else:
        out["channels"] = text("strategy.channels.means.none", language)

    lm = report.lead_management
    custom = int((lm.stages["source"] != "default").sum())
    out["framework"] = text(
        "strategy.framework.means" if custom else "strategy.framework.means.standard",
        language,
        stages=n(len(lm.stages)),
        custom=n(custom),
    )
    sc = report.scoring
    if sc is not None:
        lift = sc.lift_at_threshold
        no_lead_stage = bool(report.stages) and not lead_stages(report.stages)
        out["scoring"] = text(
            "thin.strategy.all_pass"  # a threshold every lead passes filters nothing
            if sc.flagged_share >= ALL_PASS_SHARE
            else "thin.strategy.opportunities"  # [opportunity, won]: the leads are deals
            if no_lead_stage
            else ladder_key("strategy.scoring.means", sc.stages),
            language,
            target=stage_label(sc.target, language),
            auc=format_number(sc.auc, language, decimals=2),
            # an AUC under GOOD_AUC ranks leads, but not well enough to say "well"
            quality=text(
                "final.scoring.quality.good"
                if sc.auc >= GOOD_AUC
                else "final.scoring.quality.fair",
                language,
            ),
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
        if not sc.uses_touches:
            out["weights"] += " " + text("strategy.weights.no_touches", language)
        counts = review_counts(report.lead_management.review)  # one source with the review
        out["accounts"] = text(
            "strategy.accounts.means",
            language,
            accounts=n(counts["accounts"]),
            hot=n(counts["hot_accounts"]),
            days=n(sc.engaged_days),
        )
    else:
        # the client reads one plain sentence; report.scoring_error (its counts and the fix in
        # engagement.yaml) is for the consultant, as `workbook score` prints it
        out["scoring"] = text("strategy.scoring.means.none", language)
        out["weights"] = out["scoring"]
        counts = review_counts(report.lead_management.review)
        out["accounts"] = (
            text("final.accounts.no_score", language, accounts=n(counts["accounts"]))
            if counts["accounts"]
            else text("strategy.accounts.means.none", language)
        )
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
            median=n(round(float(worst_sla["median_response_days"]))),
        )
    else:
        out["sla"] = text("strategy.sla.means.none", language)
    rec = lm.recycling
    no_lead_stage = bool(report.stages) and not lead_stages(report.stages)
    out["recycling"] = text(
        "thin.strategy.no_lead_stage"
        if no_lead_stage
        else "strategy.recycling.means"
        if lm.recycled_leads
        else "final.recycling.none_back",
        language,
        first=stage_label(report.stages[0], language) if report.stages else "-",
        disqualified=n(int(rec["disqualified"].sum())),
        recycled=n(int(lm.recycled_leads)),
        due=n(int(rec["due_for_nurture"].sum())),
        days=n(lm.settings.nurture_days),
    )
    counts = review_counts(lm.review)
    review_key = (
        "final.review.no_email"
        if not report.emails_provided
        else "final.review.means.none"
        if not counts["groups"]
        else "final.review.means.one"
        if counts["groups"] == 1
        else "final.review.means"
    )
    out["review"] = text(
        review_key,
        language,
        groups=n(counts["groups"]),
        duplicates=n(counts["duplicates"]),
        leads=n(counts["grouped_leads"]),
    )
    out["process"] = text("strategy.process.means", language, stages=n(len(report.process_model)))
    if not report.touches_provided:
        out["process"] += " " + text("strategy.process.no_touches", language)
    out["organisation"] = text("strategy.organisation.means", language)
    todo = report.technology.loc[report.technology["status"] == "todo"]
    out["technology"] = text(
        "strategy.technology.means",
        language,
        ok=n(int((report.technology["status"] == "ok").sum())),
        total=n(len(report.technology)),
        todo=join_words([str(t).lower() for t in todo["item"].head(3)], language) or "-",
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
    if not content.provided:
        out["roadmap"] += " " + text("strategy.roadmap.no_content", language)
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
    >>> feature_label("touches_channel_=paid")  # any value a channel holds
    'Touches (via =paid)'
    """
    parts = parse_feature(feature)
    if parts.kind == "attribute":
        value = parts.value
        return text(
            "strategy.feature.value",
            language,
            name=text(f"strategy.feature.{parts.name}", language),
            # a lead attribute the data did not record (scoring calls it "unknown")
            value=pretty(NOT_RECORDED if value == "unknown" else value, language),
        )
    if parts.kind == "other":
        return pretty(feature, language)
    qualifiers = []
    if parts.kind == "channel":
        channel = sentence_case(pretty(parts.value, language), language)
        qualifiers.append(text("strategy.feature.via", language, channel=channel))
    elif parts.kind == "buying_stage":
        qualifiers.append(lower_label(pretty(parts.value, language)))
    if parts.recent_days is not None:
        qualifiers.append(text("strategy.feature.recent", language, days=parts.recent_days))
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


def plan_table(content: ContentReport, *, language: str = "en") -> pd.DataFrame | None:
    """The ranked content plan for display: words instead of keys (None without a content
    inventory: there is no plan to show)."""
    plan = content.plan
    if plan is None:
        return None
    return pd.DataFrame(
        {
            "rank": plan["rank"].to_numpy(),
            "cell": [
                f"{pretty(p, language)} × {lower_label(pretty(b, language))}"
                for p, b in zip(plan["persona"], plan["buying_stage"], strict=True)
            ],
            "needed": plan["needed"].to_numpy(),
            "funnel_stage": [stage_label(str(s), language) for s in plan["funnel_stage"]],
            "leakage_rate": plan["leakage_rate"].to_numpy(float),
            "persona_revenue_share": plan["persona_revenue_share"].to_numpy(float),
            "impact_score": plan["impact_score"].to_numpy(float),
            "suggested_format": [pretty(f, language) for f in plan["suggested_format"]],
        }
    )


def stages_table(lead_management: LeadManagementReport, *, language: str = "en") -> pd.DataFrame:
    """The lead-management stages for display: stage, owner, definition, exit criteria, SLA
    (text: the days, or words saying none was agreed)."""
    s = lead_management.stages
    return pd.DataFrame(
        {
            "stage": [stage_label(x, language) for x in s["stage"]],
            "owner": [owner_label(o, language) for o in s["owner"]],
            "definition": s["definition"].to_numpy(object),
            "exit_criteria": s["exit_criteria"].to_numpy(object),
            # a stage without an agreed SLA says so, in words
            "sla_days": [
                format_number(d, language) if pd.notna(d) else text("final.sla.none", language)
                for d in s["sla_days"]
            ],
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
