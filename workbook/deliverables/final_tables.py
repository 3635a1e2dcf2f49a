"""The final report's reconciled advice: its display tables, the tables saved for Excel, and
the sentences that tie the building blocks to the plan.

- :func:`budget_mix_table`: today's channel mix beside the plan's, with the mid-point's advice;
- :func:`accounts_table`, :func:`review_table`: the merge review's accounts and duplicate
  groups, by company (no record id in the report: :func:`merge_review_export` keeps the lead
  ids for the Excel workbook);
- :func:`sla_table`, :func:`tag_table`, :func:`scoring_summary`;
- :func:`reconciled_sentences`: the budget against the mid-point's advice, the scoring
  threshold against the plan's MQL rate, the roadmap's start against the plan's need;
- :func:`final_tables`: the tables ``ctx.finish("final", tables=...)`` saves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from workbook.deliverables.final_facts import today_cac_on_plan_channels, unfunded_spend
from workbook.deliverables.strategy_text import weights_table
from workbook.deliverables.thin_data import channel_recorded
from workbook.i18n import (
    NOT_RECORDED,
    channels_phrase,
    format_month,
    format_number,
    formatters,
    join_words,
    lower_label,
    pretty,
    sentence_case,
    stage_label,
    text,
)

if TYPE_CHECKING:
    from workbook.analysis.budget import BudgetReport
    from workbook.analysis.scoring import ScoreReport
    from workbook.deliverables.final_facts import FinalFacts

__all__ = [
    "ADVICE_GIVEN",
    "MIX_TOLERANCE",
    "accounts_table",
    "budget_mix_table",
    "final_tables",
    "merge_review_export",
    "mix_conflicts",
    "reconciled_sentences",
    "review_table",
    "scoring_summary",
    "sla_table",
    "tag_table",
    "first_open_month",
    "upcoming_schedule",
]

#: The mid-point's advice words that are advice (``too_little_data`` is none).
ADVICE_GIVEN = ("grow", "keep", "review")

#: A plan share of budget more than this many points (as a fraction) above today's share of
#: spend among the channels the plan funds, for a channel the mid-point asks to review (or
#: below it for one to grow), contradicts the mid-point's advice.
MIX_TOLERANCE = 0.02


def first_open_month(as_of: object) -> pd.Timestamp:
    """The first month with a day still to come after ``as_of`` (its first day): ``as_of``'s
    month, or the next one when ``as_of`` is its month's last day (that month is over).

    Examples
    --------
    >>> first_open_month("2026-09-30").date(), first_open_month("2026-09-15").date()
    (datetime.date(2026, 10, 1), datetime.date(2026, 9, 1))
    """
    return (pd.Timestamp(as_of) + pd.Timedelta(days=1)).to_period("M").to_timestamp()


def upcoming_schedule(schedule: pd.DataFrame, *, as_of: object) -> pd.DataFrame:
    """The plan schedule from :func:`first_open_month` on: a need in a month already over
    can no longer be met, so the volume chart and the Excel monthly sheet
    (:func:`workbook.deliverables.key_tables.tables_plan.plan_chart_series`) leave it out."""
    first = first_open_month(as_of)
    return schedule.loc[pd.to_datetime(schedule["month"]) >= first].reset_index(drop=True)


def mix_conflicts(facts: FinalFacts, *, tolerance: float = MIX_TOLERANCE) -> pd.DataFrame:
    """Channels whose plan budget share fights the mid-point's advice.

    A channel advised ``review`` whose plan share of budget exceeds today's share of spend
    (among the channels the plan funds) by more than ``tolerance``, or one advised ``grow``
    whose share falls by more than it.

    Returns
    -------
    DataFrame
        Rows of ``facts.mix`` with ``advice``; empty when the plan and the advice agree.
    """
    mix = _with_advice(facts)
    change = mix["change"].astype(float)
    bad = ((mix["advice"] == "review") & (change > tolerance)) | (
        (mix["advice"] == "grow") & (change < -tolerance)
    )
    return mix.loc[bad.fillna(False)].reset_index(drop=True)


def _with_advice(facts: FinalFacts) -> pd.DataFrame:
    advice = facts.advice.set_index(facts.advice["channel"].astype(str))["advice"]
    mix = facts.mix
    return mix.assign(advice=mix["channel"].astype(str).map(advice))


def budget_mix_table(facts: FinalFacts, *, language: str) -> pd.DataFrame:
    """Today's mix beside the plan's, one row per channel, with the mid-point's advice in
    words (:func:`workbook.deliverables.table_columns.table_columns` ``budget_mix``). Leads
    whose channel was not recorded are no channel a budget can go to: they are left out.

    A channel the mid-point could give no advice on (too little data, or no spend to judge
    it by) has a blank advice cell, and the sentence beside the table says so once
    (:func:`reconciled_sentences`); with no advice at all the column is left out.

    Today's share of spend is taken among the channels the plan funds (``today_funded_share``),
    so that it compares like for like with the plan's share of budget; a channel with spend
    today but no budget in the plan is left out (the sentence beside the table names it).
    """
    mix = _with_advice(facts)
    mix = mix.loc[mix["channel"].astype(str) != NOT_RECORDED].reset_index(drop=True)
    if facts.quant.budget.priced:
        mix = mix.loc[mix["plan_budget"].fillna(0.0) > 0].reset_index(drop=True)
        mix = mix.assign(today_spend_share=mix["today_funded_share"])
    advised = mix["advice"].isin(ADVICE_GIVEN)
    if not advised.any():
        return mix.drop(columns="advice")
    return mix.assign(
        advice=[text(f"final.advice.{a}", language) if ok else "" for a, ok in zip(
            mix["advice"], advised, strict=True)]
    )  # fmt: skip


def accounts_table(review: pd.DataFrame, *, scored: bool = True, top: int = 15) -> pd.DataFrame:
    """Accounts with several warm leads, hottest first, by company (no account id); without
    a lead score (``scored`` False) no lead is called hot and the column is left out."""
    account = review.loc[review["review_kind"] == "same_account"].head(top)
    columns = ["company", "lead_count", "hot_leads"] if scored else ["company", "lead_count"]
    return account[columns].reset_index(drop=True)


def review_table(
    review: pd.DataFrame, leads: pd.DataFrame, *, language: str, top: int = 15
) -> pd.DataFrame:
    """The largest groups of leads sharing an e-mail, by company, with the stage of the lead
    to keep (no lead id: :func:`merge_review_export` has them).

    Parameters
    ----------
    review : DataFrame
        :attr:`workbook.analysis.leadmgmt.LeadManagementReport.review`.
    leads : DataFrame
        ``journeys.leads``: ``lead_id`` and ``last_stage``.
    """
    email = review.loc[review["review_kind"] == "same_email"]
    email = email.sort_values("lead_count", ascending=False, kind="stable").head(top)
    stage_of = pd.Series(
        leads["last_stage"].astype(object).to_numpy(), index=leads["lead_id"].astype(object)
    )
    stages = stage_of.reindex(email["keep_lead_id"].astype(object)).to_numpy(object)
    return pd.DataFrame(
        {
            "company": email["company"].to_numpy(object),
            "lead_count": email["lead_count"].to_numpy(),
            "stage": [stage_label(str(s), language) if isinstance(s, str) else "" for s in stages],
        }
    )


def merge_review_export(review: pd.DataFrame, *, language: str) -> pd.DataFrame:
    """The whole merge review with its lead ids, for the Excel workbook (never in the HTML)."""
    return pd.DataFrame(
        {
            text("strategy.label.review_kind", language): [
                text(f"strategy.review.kind.{k}", language) for k in review["review_kind"]
            ],
            text("strategy.label.company", language): review["company"].to_numpy(object),
            text("strategy.label.lead_ids", language): review["lead_ids"].to_numpy(object),
            text("strategy.label.lead_count", language): review["lead_count"].to_numpy(),
            text("strategy.label.hot_leads", language): review["hot_leads"].to_numpy(),
            text("strategy.label.keep", language): review["keep_lead_id"].to_numpy(object),
        }
    )


def sla_table(sla: pd.DataFrame) -> pd.DataFrame:
    """The SLA table with the median days to act in whole days."""
    return sla.assign(median_response_days=sla["median_response_days"].round())


def tag_table(suggestions: pd.DataFrame, inventory: pd.DataFrame, *, language: str) -> pd.DataFrame:
    """The suggested tags in words: the confidence of a tag the asset already had reads
    "already tagged", and ``why`` is a sentence naming the title words, format or channel
    the suggestion rests on (format and channel with their labels in ``language``)."""
    values: dict[str, str] = {}
    for col in ("format", "channel"):
        if col in inventory:
            for v in inventory[col].dropna().astype(str).unique():
                values[v.replace("_", " ").lower()] = v

    def confidence(value: float) -> str:
        if value is None or not np.isfinite(value):
            return text("final.tags.given", language)
        return format_number(value * 100, language, decimals=0) + (
            "\u00a0%" if language == "fr" else "%"
        )

    def why(words: str) -> str:
        title_words, labels = [], []
        for word in [w.strip() for w in str(words).split(",") if w.strip()]:
            if word.lower() in values:
                labels.append(lower_label(pretty(values[word.lower()], language)))
            else:
                title_words.append(f"« {word} »" if language == "fr" else f"“{word}”")
        parts = []
        if title_words:
            parts.append(
                text("final.tags.title", language, words=join_words(title_words, language))
            )
        if labels:
            parts.append(text("final.tags.values", language, values=join_words(labels, language)))
        return join_words(parts, language) if parts else ""

    return pd.DataFrame(
        {
            "title": suggestions["title"].to_numpy(object),
            "persona": suggestions["persona"].to_numpy(object),
            "persona_confidence": [confidence(v) for v in suggestions["persona_confidence"]],
            "buying_stage": suggestions["buying_stage"].to_numpy(object),
            "stage_confidence": [confidence(v) for v in suggestions["stage_confidence"]],
            "why": [(lambda s: s[:1].upper() + s[1:])(why(w)) for w in suggestions["evidence"]],
        }
    )


def scoring_summary(score: ScoreReport, *, language: str) -> pd.DataFrame:
    """Threshold, precision, recall, AUC and holdout size, one row each (``measure``, ``value``)."""
    rows = [
        (text("strategy.metric.threshold", language), float(score.threshold)),
        (text("strategy.metric.precision", language), float(score.precision_at_threshold)),
        (text("strategy.metric.recall", language), float(score.recall_at_threshold)),
        (text("strategy.metric.flagged", language), float(score.flagged_share)),
        (text("strategy.metric.auc", language), float(score.auc)),
        (
            text(
                "strategy.metric.holdout",
                language,
                start=format_month(score.holdout_from, language),
            ),
            float(score.holdout_leads),
        ),
    ]
    return pd.DataFrame(rows, columns=["measure", "value"])


def reconciled_sentences(facts: FinalFacts, *, language: str, currency: str) -> dict[str, str]:
    """The sentences that tie the building blocks to the plan.

    Returns
    -------
    dict
        ``budget_mix`` (the plan's mix against today's and the mid-point's advice),
        ``scoring_fit`` (the threshold against the plan's MQL rate; empty without a model),
        ``roadmap_start`` (the roadmap starts in the plan's first month of need),
        ``ltv_cac_today`` (today's CAC and LTV:CAC beside the planned ones; empty when either
        is unknown).
    """
    n, pct, money = formatters(language, currency)
    out: dict[str, str] = {}
    mix = _with_advice(facts)
    conflicts = mix_conflicts(facts)
    names = lambda rows, of=False: _channel_names(rows, language=language, of=of)  # noqa: E731
    review = mix.loc[mix["advice"] == "review"]
    grow = mix.loc[mix["advice"] == "grow"]
    budget = facts.quant.budget
    key = {"override": "final.mix.override", "advice": "final.mix.advice"}.get(
        budget.mix_from, "final.mix.today"
    )
    parts = [text(key, language)]
    if not budget.priced:
        parts = [text("final.mix.unpriced", language)]
    elif len(conflicts):
        parts.append(text("final.mix.conflict", language, channels=names(conflicts, of=True)))
    elif len(review) or len(grow):
        if len(review):
            labels = [pretty(c, language) for c in review["channel"]]
            of_review = channels_phrase(labels, language, of=True)
            parts.append(text("final.mix.review", language, channels=of_review))
        if len(grow) and budget.mix_from == "advice":  # the rule moved budget to them
            parts.append(_grow_sentence(mix, budget, language=language, currency=currency))
        elif len(grow):  # an agreed mix, or no channel to keep to take budget from
            parts.append(text("final.mix.grow", language, channels=names(grow)))
    else:
        parts.append(text("final.mix.no_advice", language))
    shown = mix.loc[mix["channel"].astype(str) != NOT_RECORDED]
    if budget.priced:  # the rows budget_mix_table shows
        shown = shown.loc[shown["plan_budget"].fillna(0.0) > 0]
    unadvised = shown.loc[~shown["advice"].isin(ADVICE_GIVEN)]
    if len(shown) and len(unadvised) == len(shown):  # no advice at all: no column, one sentence
        parts = [p for p in parts if p != text("final.mix.no_advice", language)]
        parts.append(text("final.mix.no_advice_given", language))
    elif len(unadvised):  # blank cells in the table: say why once
        key = "final.mix.unadvised" + (".one" if len(unadvised) == 1 else "")
        parts.append(text(key, language, channels=names(unadvised)))
    unfunded = mix.loc[(mix["today_spend"].fillna(0.0) > 0) & (mix["plan_lead_share"] <= 0)]
    if budget.priced and len(unfunded):
        starts = join_words([pretty(c, language) for c in unfunded["channel"]], language)
        parts.append(text("final.mix.unfunded", language, channels=starts))  # opens a sentence
    out["budget_mix"] = " ".join(parts)
    fit, score = facts.scoring_fit, facts.strategy.scoring
    if fit is None or score is None:
        out["scoring_fit"] = ""
    else:
        plan = facts.quant.plan
        values = {
            "threshold": format_number(fit.threshold, language, decimals=2),
            "flagged": pct(fit.flagged_share),
            "planned": pct(fit.planned_rate),
            "from_stage": stage_label(plan.stages[0], language),
            "to_stage": stage_label(plan.stages[1], language) if len(plan.stages) > 1 else "",
            "target": stage_label(score.target, language),
            "matching": format_number(fit.matching_threshold, language, decimals=2),
            "precision": pct(fit.matching_precision),
            "recall": pct(fit.matching_recall),
        }
        out["scoring_fit"] = text(
            "final.fit.consistent" if fit.consistent else "final.fit.gap", language, **values
        )
        if not fit.consistent:  # fewer leads than today's MQL rate reach sales, or more
            fewer = fit.flagged_share < fit.planned_rate
            out["scoring_fit"] += " " + text(
                "final.fit.fewer" if fewer else "final.fit.more", language
            )
    today = facts.kpis.economics
    out["ltv_cac_today"] = (
        text(
            "final.ltv_cac.today",
            language,
            cac=money(today.cac),
            ratio=format_number(today.ratio, language, decimals=1),
        )
        if budget.priced and today.ratio is not None
        else ""
    )
    spent_elsewhere, channels = unfunded_spend(facts)
    same_cac = today_cac_on_plan_channels(facts)
    if out["ltv_cac_today"] and spent_elsewhere > 0 and same_cac is not None:
        out["ltv_cac_today"] += " " + text(
            "final.ltv_cac.today.same",
            language,
            same_cac=money(same_cac),
            cac=money(today.cac),
            spend=money(spent_elsewhere),
            channels=join_words(
                [sentence_case(pretty(c, language), language) for c in channels], language
            ),
        )
    plan = facts.quant.plan
    period = pd.Period(plan.period_start, freq="M").to_timestamp()
    months = (period.year - facts.need_start.year) * 12 + period.month - facts.need_start.month
    out["roadmap_start"] = text(
        "final.roadmap.start" if months > 0 else "final.roadmap.start.same",
        language,
        start=format_month(facts.need_start, language),
        period_start=format_month(period, language),
        months=n(months),
    )
    return out


def _channel_names(rows: pd.DataFrame, *, language: str, of: bool = False) -> str:
    """The ``channel`` of ``rows`` as a sentence names them, in ``language``
    (:func:`workbook.i18n.channels_phrase`: ``le canal webinaire``, ``du canal`` with ``of``)."""
    return channels_phrase([pretty(c, language) for c in rows["channel"]], language, of=of)


def _grow_sentence(mix: pd.DataFrame, budget: BudgetReport, *, language: str, currency: str) -> str:
    """How much of the budget :func:`workbook.analysis.advised_mix.advised_mix` moved to the
    channels to grow (``mix``: :func:`_with_advice`), from which channels, and what the plan
    costs against today's mix."""
    _, pct, money = formatters(language, currency)
    grow = mix.loc[mix["advice"] == "grow"]
    donors = mix.loc[(mix["advice"] == "keep") & (mix["change"].astype(float) < 0)]
    names = lambda rows, of=False: _channel_names(rows, language=language, of=of)  # noqa: E731
    return text(
        "final.mix.grow.moved",
        language,
        channels=names(grow, of=True),
        today_share=pct(float(grow["today_funded_share"].sum())),
        plan_share=pct(float(grow["plan_budget_share"].sum())),
        donors=names(donors),
        budget=money(budget.total),
        today_budget=money(budget.today_total),
    )


def final_tables(facts: FinalFacts, *, language: str) -> dict[str, pd.DataFrame]:
    """The tables ``ctx.finish("final", tables=...)`` saves for the Excel workbook.

    Parameters
    ----------
    facts : FinalFacts
    language : str

    Returns
    -------
    dict
        ``scoring_weights``, ``scoring_summary`` (when there is a model), ``sla``,
        ``merge_review`` (with lead ids), ``budget`` (today's and the plan's mix, when
        channels were recorded), for the Excel plan sheets ``plan_stages`` (``quant.stages``),
        ``plan_schedule_all`` (``quant.schedule``, every month) and ``budget_allocation``,
        and for the deck's charts ``plan_schedule`` (the volume chart's months), ``tornado``
        and ``content_matrix`` (when content was provided).
    """
    lm = facts.strategy.lead_management
    quant = facts.quant
    tables = {
        "sla": sla_table(lm.sla),
        "merge_review": merge_review_export(lm.review, language=language),
        "plan_schedule": upcoming_schedule(quant.schedule, as_of=facts.kpis.as_of),
        "plan_schedule_all": quant.schedule,
        "plan_stages": quant.stages,
        "budget_allocation": quant.budget.allocation,
        "tornado": quant.tornado,
    }
    if channel_recorded(facts.mix["channel"]):  # as the report: no mix of "Not recorded"
        tables["budget"] = budget_mix_table(facts, language=language)
    if facts.strategy.content.matrix is not None:
        tables["content_matrix"] = facts.strategy.content.matrix
    score = facts.strategy.scoring
    if score is not None:  # the weights table as the report shows it
        tables["scoring_weights"] = weights_table(score, language=language)
        tables["scoring_summary"] = scoring_summary(score, language=language)
    return tables
