"""The final report's section headings: each states its finding, each has a stable anchor.

:func:`final_headings` gives every section of the final report a heading that says what the
section found (with its figure), in the report's language, and an anchor id that does not
change with the data (:data:`ANCHORS`), for the executive summary's links
(:func:`workbook.deliverables.summary.show_summary`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from workbook.deliverables import display
from workbook.deliverables.final_facts import review_counts
from workbook.deliverables.final_text import tornado_labels
from workbook.deliverables.strategy_text import channel_leaders, feature_label
from workbook.i18n import (
    channels_phrase,
    format_month,
    format_number,
    formatters,
    join_words,
    ladder_key,
    lower_label,
    pretty,
    stage_label,
    text,
)

if TYPE_CHECKING:
    from workbook.deliverables.final_facts import FinalFacts

__all__ = ["ANCHORS", "FinalHeadings", "Heading", "final_headings"]

#: Section key -> anchor id of its heading (stable whatever the data).
ANCHORS: dict[str, str] = {
    "tracks": "tracks",
    "content": "content",
    "plan": "content-plan",
    "performance": "content-performance",
    "tagging": "tagging",
    "channels": "channels",
    "framework": "framework",
    "scoring": "scoring",
    "weights": "scoring-weights",
    "sla": "sla",
    "recycling": "recycling",
    "accounts": "accounts",
    "review": "merge-review",
    "process": "process",
    "quant": "plan",
    "quant.plan": "plan-stages",
    "assumptions": "plan-assumptions",
    "volumes": "plan-volumes",
    "reach": "plan-reach",
    "pipeline": "plan-pipeline",
    "bands": "plan-bands",
    "tornado": "plan-tornado",
    "budget": "budget",
    "ltv_cac": "ltv-cac",
    "scenarios": "scenarios",
    "organisation": "organisation",
    "technology": "technology",
    "roadmap": "roadmap",
}


@dataclass(frozen=True)
class Heading:
    """A section heading: its title (a finding) and its anchor id."""

    title: str
    anchor: str


class FinalHeadings(Mapping[str, Heading]):
    """The final report's headings by section key; :meth:`show` displays one."""

    def __init__(self, headings: Mapping[str, Heading]) -> None:
        self._headings = dict(headings)

    def __getitem__(self, key: str) -> Heading:
        return self._headings[key]

    def __iter__(self):
        return iter(self._headings)

    def __len__(self) -> int:
        return len(self._headings)

    def show(self, key: str, *, level: int = 2) -> None:
        """Display section ``key``'s heading with its anchor."""
        heading = self._headings[key]
        display.show_heading(heading.title, level=level, anchor=heading.anchor)


def final_headings(facts: FinalFacts, *, language: str, currency: str) -> FinalHeadings:
    """Every section's heading, stating its finding (see the module docstring)."""
    titles = {**_strategy_titles(facts, language=language, currency=currency)}
    titles.update(_quant_titles(facts, language=language, currency=currency))
    return FinalHeadings({k: Heading(v, ANCHORS[k]) for k, v in titles.items()})


def _strategy_titles(facts: FinalFacts, *, language: str, currency: str) -> dict[str, str]:
    n, pct, money = formatters(language, currency)
    t = lambda key, **v: text(key, language, **v)  # noqa: E731
    strategy = facts.strategy
    content = strategy.content
    out: dict[str, str] = {}
    tracks = content.tracks
    if content.provided and "status" in tracks and tracks["status"].notna().any():
        gaps = int((tracks["status"] == "gap").sum())
        out["tracks"] = t(
            "final.h.tracks" if gaps else "final.h.tracks.none",
            covered=n(int((tracks["status"] == "covered").sum())),
            tracks=n(len(tracks)),
            gaps=n(gaps),
        )
    else:
        out["tracks"] = t("final.h.tracks.no_content", tracks=n(len(tracks)))
    if content.provided and content.gaps is not None and content.matrix is not None:
        gaps_table = content.gaps
        out["content"] = (
            t("final.h.content", gaps=n(len(gaps_table)), cells=n(int(content.matrix.size)))
            if len(gaps_table)
            else t("final.h.content.none")
        )
    else:
        out["content"] = t("final.h.content.no_content")
    if content.plan is not None and len(content.plan):
        top = content.plan.iloc[0]
        out["plan"] = t(
            "final.h.plan",
            cell=f"{pretty(top['persona'], language)} × {lower_label(pretty(top['buying_stage'], language))}",
        )
    else:
        out["plan"] = t("final.h.plan.none")
    perf = content.performance
    if perf is not None:
        verdicts = perf.assets["verdict"]
        out["performance"] = t(
            "final.h.performance",
            movers=n(int((verdicts == "moves_buyers").sum())),
            viewers=n(int((verdicts == "collects_views").sum())),
        )
    else:
        out["performance"] = t("final.h.performance.none")
    suggestions = content.tag_suggestions
    out["tagging"] = (
        t("final.h.tagging", assets=n(len(suggestions)))
        if suggestions is not None and len(suggestions)
        else t("final.h.tagging.none")
    )
    leading = channel_leaders(strategy.channel_model, strategy.channel_touches)
    if leading:
        out["channels"] = t(
            "final.h.channels",
            pairs=join_words(
                [
                    t(
                        "final.h.channels.pair",
                        channel=pretty(c, language),
                        buying_stage=lower_label(pretty(b, language)),
                    )
                    for b, c, _ in leading
                ],
                language,
            ),
        )
    else:
        out["channels"] = t("final.h.channels.none")
    lm = strategy.lead_management
    out["framework"] = t("final.h.framework", stages=n(len(lm.stages)))
    score = strategy.scoring
    if score is not None:
        out["scoring"] = t(
            ladder_key("final.h.scoring", score.stages),
            threshold=format_number(score.threshold, language, decimals=2),
            flagged=pct(score.flagged_share),
            precision=pct(score.precision_at_threshold),
            target=stage_label(score.target, language),
        )
        top = score.weights.iloc[0] if len(score.weights) else None
        out["weights"] = (
            t(
                "final.h.weights.up" if top["weight"] > 0 else "final.h.weights.down",
                feature=feature_label(str(top["feature"]), language),
            )
            if top is not None
            else t("final.h.weights.none")
        )
    else:
        out["scoring"] = t("final.h.scoring.none")
        out["weights"] = t("final.h.weights.none")
    sla = lm.sla.dropna(subset=["compliance_rate"])
    if len(sla):
        worst = sla.sort_values("compliance_rate", kind="stable").iloc[0]
        out["sla"] = t(
            "final.h.sla",
            rate=pct(float(worst["compliance_rate"])),
            from_stage=stage_label(str(worst["from"]), language),
            to_stage=stage_label(str(worst["to"]), language),
            days=n(int(worst["sla_days"])),
        )
    else:
        out["sla"] = t("final.h.sla.none")
    due = int(lm.recycling["due_for_nurture"].sum()) if len(lm.recycling) else 0
    out["recycling"] = t("final.h.recycling", due=n(due)) if due else t("final.h.recycling.none")
    counts = review_counts(lm.review)
    out["accounts"] = (
        t("final.h.accounts.none")
        if not counts["accounts"]
        else t("final.h.accounts", accounts=n(counts["accounts"]), hot=n(counts["hot_accounts"]))
        if score is not None  # without a score no lead is called hot
        else t("final.h.accounts.no_score", accounts=n(counts["accounts"]))
    )
    out["review"] = (
        t("final.h.review.no_email")
        if not strategy.emails_provided
        else t("final.h.review", groups=n(counts["groups"]), duplicates=n(counts["duplicates"]))
        if counts["groups"]
        else t("final.h.review.none")
    )
    out["process"] = _process_heading(strategy.process_model, language=language)
    out["organisation"] = _organisation_heading(lm.stages, language=language)
    tech = strategy.technology
    out["technology"] = t(
        "final.h.technology",
        ok=n(int((tech["status"] == "ok").sum())),
        total=n(len(tech)),
    )
    out["roadmap"] = t(
        "final.h.roadmap",
        start=format_month(strategy.plan_start, language),
    )
    return out


def _quant_titles(facts: FinalFacts, *, language: str, currency: str) -> dict[str, str]:
    n, pct, money = formatters(language, currency)
    t = lambda key, **v: text(key, language, **v)  # noqa: E731
    quant = facts.quant
    plan, budget = quant.plan, quant.budget
    first = stage_label(plan.stages[0], language)
    out: dict[str, str] = {}
    out["quant"] = t(
        "final.h.quant", revenue=money(plan.target_revenue), total=n(plan.totals[0]),
        first_stage=first,
    )  # fmt: skip
    out["quant.plan"] = t(
        "final.h.quant.plan", won=n(plan.totals[-1]), deal=money(plan.avg_deal_size)
    )
    overrides = sum(v == "override" for v in plan.sources.values())
    out["assumptions"] = (
        t("final.h.assumptions", overrides=n(overrides), total=n(len(plan.sources)))
        if overrides
        else t("final.h.assumptions.data", total=n(len(plan.sources)))
    )
    row = quant.gap.iloc[0]
    out["volumes"] = (
        t(
            "final.h.volumes",
            peak=n(row["peak_required"]),
            first_stage=first,
            peak_month=format_month(row["peak_month"], language),
            lift=format_number(row["lift"], language, decimals=1),
        )
        if pd.notna(row["lift"])
        else t("final.h.volumes.no_run_rate", peak=n(row["peak_required"]), first_stage=first)
    )
    out["reach"] = t(
        "final.h.reach",
        first_new=format_month(_month(plan.first_new_month), language),
        landing=format_month(_month(plan.first_landing_month), language),
    )
    out["pipeline"] = (
        t("final.h.pipeline", revenue=money(plan.pipeline_credit["revenue"]),
          share=pct(plan.pipeline_credit["revenue"] / plan.target_revenue))
        if plan.pipeline_credit is not None
        else t("final.h.pipeline.none")
    )  # fmt: skip
    out["bands"] = (
        t("final.h.bands", low=n(plan.bands["p10"][0]), high=n(plan.bands["p90"][0]),
          first_stage=first)
        if plan.bands is not None
        else t("final.h.bands.none")
    )  # fmt: skip
    out["tornado"] = t(
        "final.h.tornado",
        assumption=tornado_labels(quant.tornado.iloc[:1], stages=plan.stages, language=language)[0],
    )
    if budget.priced:
        top = budget.allocation.iloc[0]
        out["budget"] = t(
            "final.h.budget",
            budget=money(budget.total),
            channel=channels_phrase([pretty(top["channel"], language)], language),
            share=pct(float(top["budget"]) / budget.total if budget.total else 0.0),
        )
        economics = budget.economics
        out["ltv_cac"] = (
            t(
                "final.h.ltv_cac",
                cac=money(economics.cac),
                ratio=format_number(economics.ratio, language, decimals=1),
            )
            if economics.ratio is not None
            else t("final.h.ltv_cac.free")
        )
    else:
        out["budget"] = t("final.h.budget.unpriced", total=n(plan.totals[0]), first_stage=first)
        out["ltv_cac"] = t("final.h.ltv_cac.unpriced", ltv=money(budget.economics.ltv))
    count = len(quant.scenarios) - 1
    out["scenarios"] = (
        t("final.h.scenarios", count=n(count)) if count > 0 else t("final.h.scenarios.none")
    )
    return out


def _month(label: str) -> pd.Timestamp:
    return pd.Period(label, freq="M").to_timestamp()


def _process_heading(process: pd.DataFrame, *, language: str) -> str:
    """Whether a channel reaches leads at every stage of the process model
    (:func:`workbook.deliverables.operating_model.process_model`: ``stage`` and ``channels``
    as readers see them), naming the stages none reaches."""
    none = {text("final.process.no_channel", language), text("thin.channel.none_cell", language)}
    gaps = process.loc[process["channels"].isin(none), "stage"].astype(str).tolist()
    stages = format_number(len(process), language)
    if not gaps:
        return text("final.h.process", language, stages=stages)
    return text("final.h.process.gaps", language, stages=stages, gaps=join_words(gaps, language))


def _organisation_heading(stages: pd.DataFrame, *, language: str) -> str:
    """Who owns the lead until when: the stage sales takes over at, from the framework's
    owners (``stage``, ``owner``); the roles per stage are the table's."""
    owners = stages["owner"].astype(str).tolist()
    names = stages["stage"].astype(str).tolist()
    if "marketing" in owners and "sales" in owners:
        last = max(i for i, o in enumerate(owners) if o == "marketing")
        first = owners.index("sales")
        if first == last + 1:
            return text(
                "final.h.organisation.handoff",
                language,
                last=stage_label(names[last], language),
                first=stage_label(names[first], language),
            )
    return text("final.h.organisation", language, stages=format_number(len(names), language))
