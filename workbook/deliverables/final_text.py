"""What the final report's quantitative section says: its sentences, labels and figure tables,
in the report's language, from one :class:`workbook.deliverables.final.FinalQuantReport`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from workbook.analysis.plan import (
    month_index,
)
from workbook.deliverables.thin_data import channel_recorded
from workbook.i18n import (
    NOT_RECORDED,
    channels_phrase,
    format_money,
    format_month,
    format_number,
    format_percent,
    formatters,
    pretty,
    stage_label,
    text,
)

if TYPE_CHECKING:
    from workbook.deliverables.final import FinalQuantReport


def month_label(label: str, language: str) -> str:
    """A plan month (``2027-01``) as the reader reads it (``Jan 2027``)."""
    index = month_index(label)
    return format_month(pd.Timestamp(year=index // 12, month=index % 12 + 1, day=1), language)


def tornado_labels(frame: pd.DataFrame, *, stages: tuple[str, ...], language: str) -> list[str]:
    """Readable names of the tornado's assumptions (``avg_deal_size``, ``conversion.a_b``)."""
    labels = []
    for assumption in frame["assumption"]:
        if assumption == "avg_deal_size":
            labels.append(text("plan.assumption.avg_deal_size", language))
        else:
            labels.append(pair_label(assumption.split(".", 1)[1], language, stages))
    return labels


def pair_label(pair: str, language: str, stages: tuple[str, ...]) -> str:
    """``inquiry_mql`` -> ``Inquiry → MQL rate`` (stage names may hold underscores)."""
    names = {f"{a}_{b}": (a, b) for a, b in zip(stages[:-1], stages[1:], strict=True)}
    a, b = names.get(pair, (pair, ""))
    return text(
        "plan.assumption.conversion",
        language,
        from_stage=stage_label(a, language),
        to_stage=stage_label(b, language),
    )


def final_quant_sentences(
    report: FinalQuantReport, *, language: str, currency: str
) -> dict[str, str]:
    """The "what this means" sentence of each quantitative finding, in ``language``.

    Returns
    -------
    dict
        Keys ``plan``, ``assumptions``, ``volumes``, ``landing``, ``reach``, ``pipeline``,
        ``revenue``, ``bands``, ``tornado``, ``budget``, ``ltv_cac``, ``scenarios``.
    """
    n, pct, money = formatters(language, currency)
    plan = report.plan
    first, won = plan.stages[0], plan.stages[-1]
    out: dict[str, str] = {}
    out["plan"] = text(
        "final.quant.plan.means",
        language,
        revenue=money(plan.target_revenue),
        months=n(plan.period_months),
        start=month_label(plan.period_start, language),
        won=n(plan.totals[-1]),
        deal=money(plan.avg_deal_size),
        total=n(plan.totals[0]),
        first_stage=stage_label(first, language),
        ramp=n(plan.ramp_months),
    )
    overrides = sum(v == "override" for v in plan.sources.values())
    out["assumptions"] = text(
        "final.quant.assumptions.means" if overrides else "final.quant.assumptions.means.data_only",
        language,
        data=n(len(plan.sources) - overrides),
        overrides=n(overrides),
    )
    gap = report.gap
    lifts = gap.loc[gap["lift"].notna() & (gap["stage"] != won)]
    if len(lifts):
        worst = lifts.loc[lifts["lift"].idxmax()]
        first_row = gap.iloc[0]
        out["volumes"] = text(
            "final.quant.volumes.means",
            language,
            peak=n(first_row["peak_required"]),
            first_stage=stage_label(first, language),
            peak_month=format_month(first_row["peak_month"], language),
            run_rate=n(first_row["run_rate"]),
            worst_stage=stage_label(worst["stage"], language),
            worst_lift=format_number(worst["lift"], language, decimals=1),
            months=n(int(worst["months_above"])),
            period=n(plan.period_months),
        )
    else:
        out["volumes"] = text("final.quant.volumes.no_run_rate", language)
    run_rate_months = report.inputs.run_rate_months  # a file stops early or starts late
    if len(lifts) and run_rate_months is not None:
        out["volumes"] += " " + _months_sentence(
            "final.quant.run_rate.months", run_rate_months, language
        )
    landing_gap = month_index(plan.first_landing_month) - month_index(plan.period_start)
    key = "final.quant.landing.in_time" if landing_gap <= 0 else "final.quant.landing.late"
    out["landing"] = text(
        key,
        language,
        first_new=month_label(plan.first_new_month, language),
        landing=month_label(plan.first_landing_month, language),
        start=month_label(plan.period_start, language),
        months=n(landing_gap),
    )
    if plan.out_of_reach_share > 0.005:
        out["reach"] = text(
            "final.quant.reach.means",
            language,
            share=pct(plan.out_of_reach_share),
            revenue=money(plan.out_of_reach_share * plan.target_revenue),
            first_new=month_label(plan.first_new_month, language),
        )
    else:
        out["reach"] = text(
            "final.quant.reach.none",
            language,
            first_new=month_label(plan.first_new_month, language),
        )
    inputs = report.inputs
    if plan.pipeline_credit is not None and plan.net_totals is not None:
        credit = plan.pipeline_credit
        # the ladder's open journeys: leads and opportunities, leads only ([mql, won]) or
        # opportunities only ([opportunity, won])
        has_opportunity, has_leads = "opportunity" in plan.stages, plan.stages[0] != "opportunity"
        out["pipeline"] = text(
            "final.quant.pipeline.means"
            if has_opportunity and has_leads
            else "final.quant.pipeline.leads_only"
            if has_leads
            else "final.quant.pipeline.opportunities_only",
            language,
            leads=n(inputs.open_leads),
            opportunities=n(inputs.open_opportunities),
            revenue=money(credit["revenue"]),
            share=pct(credit["revenue"] / plan.target_revenue),
            won=format_number(credit["won"], language, decimals=1),
            net=n(plan.net_totals[0]),
            first_stage=stage_label(first, language),
        )
        if plan.sources.get("pipeline_amount") == "avg_deal_size":  # open deals with no amount
            deal_of = text(
                "final.quant.pipeline.deal_override"
                if plan.sources.get("avg_deal_size") == "override"
                else "final.quant.pipeline.deal_data",
                language,
                deal=money(plan.avg_deal_size),
            )
            count = inputs.open_without_amount
            out["pipeline"] += " " + text(
                "final.quant.pipeline.unpriced_one"
                if count == 1
                else "final.quant.pipeline.unpriced",
                language,
                count=n(count),
                deal_of=deal_of,
            )
    else:
        out["pipeline"] = text("final.quant.pipeline.none", language)
    out["revenue"] = text(
        "final.quant.revenue.means",
        language,
        full=money(float(plan.revenue.max())),
        ramp=n(plan.ramp_months),
    )
    if plan.bands is not None:
        out["bands"] = text(
            "final.quant.bands.means",
            language,
            low=n(plan.bands["p10"][0]),
            high=n(plan.bands["p90"][0]),
            first_stage=stage_label(first, language),
            draws=n(report.simulate),
        )
    else:
        out["bands"] = text("final.quant.bands.none", language)
    top = report.tornado.iloc[0]
    out["tornado"] = text(
        "final.quant.tornado.means",
        language,
        assumption=tornado_labels(report.tornado.iloc[:1], stages=plan.stages, language=language)[
            0
        ],
        low=n(min(top["total_at_low"], top["total_at_high"])),
        high=n(max(top["total_at_low"], top["total_at_high"])),
        first_stage=stage_label(first, language),
    )
    budget = report.budget
    # not priced though spend was provided: no lead's channel was recorded to price it with
    no_channel = not budget.priced and bool(budget.costs["spend"].notna().any())
    if budget.priced:
        out["budget"] = text(
            {"data": "final.quant.budget.means", "advice": "final.quant.budget.advice"}.get(
                budget.mix_from, "final.quant.budget.mix"
            ),
            language,
            budget=money(budget.total),
            cpi=money(budget.blended_cost_per_inquiry),
            net=money(budget.net_total) if budget.net_total is not None else money(budget.total),
            top_channel=channels_phrase(
                [pretty(budget.allocation["channel"].iloc[0], language)], language
            ),
            top_share=pct(
                budget.allocation["budget"].iloc[0] / budget.total if budget.total else 0
            ),
        )
        if budget.cost_months is not None:  # spend or leads do not cover the whole window
            out["budget"] += " " + _months_sentence(
                "final.quant.costs.months", budget.cost_months, language
            )
    else:  # no spend provided: the plan in leads by channel, not money
        top_channel = str(budget.allocation["channel"].iloc[0])
        out["budget"] = text(
            "final.quant.budget.no_channel"
            if no_channel
            else "spend.missing.budget"
            if top_channel != NOT_RECORDED
            else "spend.missing.budget_total",
            language,
            total=n(float(budget.allocation["inquiries"].sum())),
            first_stage=stage_label(first, language),
            top_channel=channels_phrase(
                [pretty(budget.allocation["channel"].iloc[0], language)], language
            ),
            top_share=pct(float(budget.allocation["share"].iloc[0])),
        )
        if not channel_recorded(budget.allocation["channel"]):  # no table by channel is shown
            out["budget"] += " " + text("thin.channel.none", language)
    economics = budget.economics
    if not budget.priced:
        out["ltv_cac"] = text(
            "final.quant.ltv_cac.no_channel" if no_channel else "spend.missing.ltv_cac",
            language,
            ltv=money(economics.ltv),
        )
    elif economics.ratio is not None:
        verdict = (
            "final.quant.ltv_cac.healthy" if economics.healthy else "final.quant.ltv_cac.unhealthy"
        )
        out["ltv_cac"] = text(
            verdict,
            language,
            cac=money(economics.cac),
            ltv=money(economics.ltv),
            ratio=format_number(economics.ratio, language, decimals=1),
            line=format_number(economics.healthy_ratio, language, decimals=0),
            payback=format_number(economics.payback_months, language, decimals=1),
        )
    else:
        out["ltv_cac"] = text("final.quant.ltv_cac.free", language, ltv=money(economics.ltv))
    scenarios = report.scenarios
    if len(scenarios) > 1:
        low = scenarios.loc[scenarios["first_total"].idxmin()]
        high = scenarios.loc[scenarios["first_total"].idxmax()]
        base = text("plan.scenario.base", language)
        volumes = {
            "count": n(len(scenarios) - 1),
            "low": n(low["first_total"]),
            "low_name": low["scenario"] or base,
            "high": n(high["first_total"]),
            "high_name": high["scenario"] or base,
            "first_stage": stage_label(first, language),
        }
        if scenarios["budget"].isna().any():  # no spend: the scenarios' budgets are unknown
            out["scenarios"] = text("spend.missing.scenarios", language, **volumes)
        else:
            out["scenarios"] = text(
                "final.quant.scenarios.means",
                language,
                **volumes,
                budget_low=money(scenarios["budget"].min()),
                budget_high=money(scenarios["budget"].max()),
            )
    else:
        out["scenarios"] = text("final.quant.scenarios.none", language)
    return out


def _months_sentence(key: str, months: tuple[str, str], language: str) -> str:
    """The sentence naming the months a figure reads (``YYYY-MM`` first and last)."""
    first, last = months
    return text(key, language, first=month_label(first, language), last=month_label(last, language))


def reach_figures(report: FinalQuantReport, *, language: str, currency: str) -> pd.DataFrame:
    """What a CMO asks first, as readable figures: when revenue can land, what is out of reach.

    Returns
    -------
    DataFrame
        ``figure`` (label) and ``value`` (formatted text), one row each: first month new leads
        can enter, first landing month, plan start, out-of-reach share, pipeline credit
        (revenue and deals), first-stage leads still needed after it.
    """
    plan = report.plan
    first = stage_label(plan.stages[0], language)
    rows = [
        (text("final.figure.first_new", language), month_label(plan.first_new_month, language)),
        (text("final.figure.landing", language), month_label(plan.first_landing_month, language)),
        (text("final.figure.start", language), month_label(plan.period_start, language)),
        (
            text("final.figure.out_of_reach", language),
            format_percent(plan.out_of_reach_share, language),
        ),
    ]
    if plan.pipeline_credit is not None and plan.net_totals is not None:
        rows += [
            (
                text("final.figure.pipeline_revenue", language),
                format_money(plan.pipeline_credit["revenue"], currency, language),
            ),
            (
                text("final.figure.pipeline_won", language),
                format_number(plan.pipeline_credit["won"], language, decimals=1),
            ),
            (
                text("final.figure.net_total", language, first_stage=first),
                format_number(plan.net_totals[0], language),
            ),
        ]
    return pd.DataFrame(rows, columns=["figure", "value"])


def budget_figures(report: FinalQuantReport, *, language: str, currency: str) -> pd.DataFrame:
    """The budget's headline figures as readable text: budget, net budget, CAC, LTV, LTV:CAC.

    Returns
    -------
    DataFrame
        ``figure`` and ``value`` (formatted text). Without spend provided (the budget not
        priced) only the LTV: the other figures need spend, and the sentence says so.
    """
    budget = report.budget
    economics = budget.economics
    money = lambda v: format_money(v, currency, language)  # noqa: E731
    if not budget.priced:
        return pd.DataFrame(
            [(text("plan.label.ltv", language), money(economics.ltv))], columns=["figure", "value"]
        )
    rows = [
        (text("plan.label.budget", language), money(budget.total)),
        (text("plan.label.net_budget", language), money(budget.net_total)),
        (text("plan.label.blended_cpi", language), money(budget.blended_cost_per_inquiry)),
        (text("final.fig.planned_cac", language), money(economics.cac)),
        (text("plan.label.ltv", language), money(economics.ltv)),
        (
            text("final.fig.planned_ltv_cac", language),
            format_number(economics.ratio, language, decimals=1),
        ),
        (
            text("final.fig.payback", language),
            format_number(economics.payback_months, language, decimals=1),
        ),
    ]
    return pd.DataFrame(rows, columns=["figure", "value"])
