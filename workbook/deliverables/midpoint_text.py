"""The mid-point report's "what this means" sentences, in the report's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from workbook.analysis.numbers import finite_or_none
from workbook.deliverables.midpoint_facts import (
    advised_channels,
    advised_labels,
    attribution_shares,
    best_and_worst_channels,
    channels_recorded,
    format_ratio,
    marketing_against_best_source,
    marketing_share_trend,
    other_new_business_win_rate,
    row_number,
    second_leak,
    step_label,
    window_words,
)
from workbook.deliverables.thin_data import assumed_sentence, one_step
from workbook.i18n import (
    channels_phrase,
    format_month,
    format_number,
    format_percent,
    formatters,
    pretty,
    stage_label,
    text,
)
from workbook.intake.coverage import stage_files

if TYPE_CHECKING:
    from workbook.deliverables.midpoint import MidpointReport

#: The stuck opportunities the sales page lists (the oldest); the Excel workbook has them all.
STUCK_SHOWN = 15


def midpoint_sentences(report: MidpointReport, *, language: str, currency: str) -> dict[str, str]:
    """The "what this means" sentence of each mid-point finding, in ``language``.

    Returns
    -------
    dict
        Keys ``scorecard``, ``shape``, ``rates``, ``leakage``, ``stuck``, ``velocity``,
        ``sources``, ``levers``, ``attribution``, ``cohort``, ``benchmarks``, ``executive``,
        ``trend``, ``operations``, ``sales``, ``stuck_opportunities``.
    """
    k = report.kpis
    n, pct, money = formatters(language, currency)
    out: dict[str, str] = {}
    ratio = k.economics.ratio
    out["scorecard"] = (
        text(
            "mid.scorecard.means",
            language,
            share=pct(k.lift.won_revenue_share),
            months=n(report.window_months),
            ratio=format_ratio(ratio, language),
            verdict=text(
                "mid.verdict.healthy" if ratio is not None and ratio >= 3 else "mid.verdict.weak",
                language,
            ),
        )
        if k.spend_provided
        else text(
            "spend.missing.scorecard",
            language,
            share=pct(k.lift.won_revenue_share),
            months=n(report.window_months),
        )
    )
    shape = report.shape
    leak = report.biggest_leak
    out["shape"] = text(
        f"mid.shape.{report.glass}.means",
        language,
        per_hundred=format_number(100 * float(shape["reach_share"].iloc[-1]), language, decimals=1),
        first=stage_label(str(shape["stage"].iloc[0]), language),
        last=stage_label(str(shape["stage"].iloc[-1]), language),
        step=step_label(leak[0], leak[1], language) if leak else "-",
        rate=pct(1.0 - leak[2]) if leak else "-",
    )
    single = one_step(shape["stage"])  # [opportunity, won], [mql, won]: no glass, no hand-off
    first, last = (stage_label(str(shape["stage"].iloc[i]), language) for i in (0, -1))
    if single:
        out["shape"] = text(
            "thin.mid.shape_one_step",
            language,
            step=step_label(str(shape["stage"].iloc[0]), str(shape["stage"].iloc[-1]), language),
            per_hundred=format_number(
                100 * float(shape["reach_share"].iloc[-1]), language, decimals=1
            ),
            first=first,
            last=last,
        )
    funnel = k.funnel
    gap = (funnel["rate"] - funnel["naive_rate"]).abs()
    if gap.notna().any():
        row = funnel.loc[gap.idxmax()]
        out["rates"] = text(
            "mid.rates.means",
            language,
            step=step_label(str(row["from"]), str(row["to"]), language),
            naive=pct(finite_or_none(row["naive_rate"])),
            rate=pct(finite_or_none(row["rate"])),
            lower=pct(finite_or_none(row["rate_lower"])),
            upper=pct(finite_or_none(row["rate_upper"])),
        )
    else:
        out["rates"] = text("mid.rates.none", language)
    if leak:
        entered = int(funnel.loc[funnel["from"] == leak[0], "entered"].iloc[0])
        costs = report.leaks.set_index(["from", "to"])
        second = second_leak(report)
        out["leakage"] = text(
            "thin.mid.leakage_one_step"
            if single
            else "mid.leakage.means_won"
            if leak[1] == str(funnel["to"].iloc[-1])
            else "mid.leakage.means",
            language,
            last=last,
            step=step_label(leak[0], leak[1], language),
            leak=pct(leak[2]),
            lost=n(round(entered * leak[2])),
            entered=n(entered),
            stage=stage_label(leak[0], language),
            won=n(finite_or_none(costs.loc[(leak[0], leak[1]), "won_lost"])),
            second=step_label(str(second["from"]), str(second["to"]), language)
            if second is not None
            else text("mid.head.none", language),
            second_won=n(finite_or_none(second["won_lost"]) if second is not None else None),
        )
    else:
        out["leakage"] = text("mid.rates.none", language)
    stuck = k.stuck
    worst = stuck.loc[stuck["stuck_count"].idxmax()] if len(stuck) else None
    out["stuck"] = text(
        "mid.stuck.means" if k.skipped_leads or k.recycled_leads else "mid.stuck.means_clean",
        language,
        stuck=n(int(stuck["stuck_count"].sum())),
        stage=stage_label(str(worst["stage"]), language) if worst is not None else "-",
        count=n(int(worst["stuck_count"])) if worst is not None else "-",
        skipped=n(k.skipped_leads),
        recycled=n(k.recycled_leads),
    )
    velocity = k.velocity
    first_won = velocity.iloc[0]
    # the adjacent steps; a two-stage ladder's only step is the first-to-won one itself
    steps = velocity.iloc[1:] if len(velocity) > 1 else velocity
    slow = steps.loc[steps["median_days"].idxmax()] if steps["median_days"].notna().any() else None
    out["velocity"] = text(
        "mid.velocity.means",
        language,
        median=n(finite_or_none(first_won["median_days"])),
        p75=n(finite_or_none(first_won["p75_days"])),
        first=stage_label(str(first_won["from"]), language),
        step=step_label(str(slow["from"]), str(slow["to"]), language) if slow is not None else "-",
        days=n(finite_or_none(slow["median_days"])) if slow is not None else "-",
    )
    out["velocity"] += " " + text("mid.velocity.median_def", language, horizon=n(k.horizon_days))
    src = k.by_source
    marketing = src.loc["marketing"] if "marketing" in src.index else None
    has_sql = "sql_won_rate" in src and src["sql_won_rate"].notna().any()
    alone = other_new_business_win_rate(src) is None  # no other source closed a deal
    out["sources"] = text(
        "mid.sources.means_alone"
        if alone
        else "mid.sources.means"
        if has_sql
        else "mid.sources.means_no_sql",
        language,
        m_rate=pct(row_number(marketing, "win_rate")),
        o_rate=pct(other_new_business_win_rate(src)),
        m_sql=pct(row_number(marketing, "sql_won_rate") if "sql_won_rate" in src else None),
        horizon=n(k.horizon_days),
    )
    best, worst_channel = best_and_worst_channels(k.channels)
    if not k.spend_provided and not channels_recorded(k.channels):  # no table is shown
        out["levers"] = " ".join(
            [text("thin.channel.none", language), text("spend.missing", language)]
        )
    elif not k.spend_provided:
        out["levers"] = text("spend.missing.levers", language)
    elif best is not None and worst_channel is not None:
        out["levers"] = text(
            "mid.levers.means",
            language,
            window=window_words(report, language),
            groups=("\u00a0; " if language == "fr" else "; ").join(  # advice some channel got
                text(f"mid.levers.group.{advice}", language, channels=channels)
                for advice in ("grow", "keep", "review", "too_little_data")
                if (channels := advised_channels(report, advice, language, empty=""))
            ),
        )
    elif not channels_recorded(k.channels):
        out["levers"] = text("mid.levers.not_recorded", language)
    else:
        out["levers"] = text("mid.levers.none", language)
    shares = attribution_shares(k.attribution)
    if shares is not None and len(shares) and shares.iloc[:, 1:].notna().any().any():
        values = shares.set_index("channel")
        spread = values.max(axis=1) - values.min(axis=1)
        channel = str(spread.idxmax())
        out["attribution"] = text(
            "mid.attribution.means",
            language,
            channel=channels_phrase([pretty(channel, language)], language),
            low=pct(float(values.loc[channel].min())),
            high=pct(float(values.loc[channel].max())),
        )
    else:
        out["attribution"] = text("mid.attribution.none", language)
    out["cohort"] = _cohort_sentence(report, language)
    cohort_months = _covered_span(report, report.cohort_stage, language)
    if cohort_months is not None:  # a file the cohorts read stops early or starts late
        out["cohort"] += " " + text("mid.cohort.months", language, **cohort_months)
    lever_months = k.channels.attrs.get("months")  # spend and leads cover fewer months
    if lever_months is not None and k.spend_provided:
        out["levers"] += " " + text(
            "mid.levers.months",
            language,
            first=_month(lever_months[0], language),
            last=_month(lever_months[1], language),
        )
    bench = report.benchmarks
    counts = bench["position"].value_counts()
    out["benchmarks"] = text(
        "mid.benchmarks.means" if int(counts.sum()) else "mid.benchmarks.none",
        language,
        below=n(int(counts.get("below", 0))),
        within=n(int(counts.get("within", 0))),
        above=n(int(counts.get("above", 0))),
    )
    out["executive"] = (
        text(
            "mid.executive.means",
            language,
            share=pct(k.lift.won_revenue_share),
            avg=money(row_number(marketing, "avg_won_amount")),
            ltv=money(k.economics.ltv),
            cac=money(k.economics.cac),
            ratio=format_ratio(ratio, language),
            payback=format_number(k.economics.payback_months, language, decimals=1),
        )
        if k.spend_provided
        else text(
            "spend.missing.executive",
            language,
            share=pct(k.lift.won_revenue_share),
            avg=money(row_number(marketing, "avg_won_amount")),
            ltv=money(k.economics.ltv),
        )
    )
    recent, before = marketing_share_trend(report)
    direction = "unknown" if recent is None or before is None else "flat"
    if recent is not None and before is not None:
        if recent > before + 0.02:
            direction = "up"
        elif recent < before - 0.02:
            direction = "down"
    out["trend"] = text(
        f"mid.trend.{direction}.means",
        language,
        recent=pct(recent),
        before=pct(before),
        months=n(max(1, report.window_months // 2)),
    )
    monthly = report.lift_by_month.iloc[-report.window_months :]["won_revenue_share"].dropna()
    if len(monthly) >= 2:  # single months swing: say how much, so no month is read alone
        out["trend"] += " " + text(
            "mid.trend.range",
            language,
            low=pct(float(monthly.min())),
            high=pct(float(monthly.max())),
            months=n(len(monthly)),
        )
    grow, review = (advised_labels(report, a, language) for a in ("grow", "review"))
    levers_known = best is not None and worst_channel is not None and bool(grow and review)
    out["operations"] = text(
        "spend.missing.operations"
        if not k.spend_provided
        else "mid.operations.means"
        if levers_known
        else "mid.operations.means_no_levers",
        language,
        step=step_label(leak[0], leak[1], language) if leak else "-",
        stuck=n(int(stuck["stuck_count"].sum())),
        worst=channels_phrase(review, language),
        best=channels_phrase(grow, language),
    )
    if single:
        out["operations"] = text(
            "thin.mid.operations_one_step",
            language,
            step=step_label(leak[0], leak[1], language) if leak else f"{first} → {last}",
            stuck=n(int(stuck["stuck_count"].sum())),
        )
    m_rate = row_number(marketing, "win_rate")
    # marketing against the best other new-business source: a gap only when the intervals
    # say so (marketing_against_best_source)
    verdict, best_source = marketing_against_best_source(src)
    out["sales"] = text(
        {
            "lead": "mid.sales.means_lead",
            "behind": "mid.sales.means",
            "tie": "mid.sales.means_tie",
        }.get(verdict, "mid.sales.means_alone"),
        language,
        m_rate=pct(m_rate),
        best=pretty(best_source, language) if best_source else "",
        best_rate=pct(finite_or_none(src.loc[best_source, "win_rate"]) if best_source else None),
    )
    opps = report.stuck_opportunities
    # when 90% of won deals had closed (midpoint.stuck_threshold_days)
    threshold = report.stuck_threshold_days
    amounts = opps["amount"].astype(float)
    if len(opps):
        # an open deal may have no amount yet: the sum covers those that have one
        priced = int(amounts.notna().sum())
        key = (
            "mid.stuck_opps.means"
            if priced == len(opps)
            else "mid.stuck_opps.means_partial"
            if priced
            else "mid.stuck_opps.means_unpriced"
        )
        out["stuck_opportunities"] = text(
            key + (".one" if len(opps) == 1 else ""),  # one is priced or not, never partly
            language,
            count=n(len(opps)),
            priced=n(priced),
            amount=money(float(amounts.sum())),
            days=n(finite_or_none(threshold)),
        )
        stuck_at = k.stuck.set_index("stage")["stuck_count"]
        if "opportunity" in stuck_at.index and int(stuck_at["opportunity"]) <= len(opps):
            out["stuck_opportunities"] += " " + text(
                "mid.stuck_opps.leads", language, leads=n(int(stuck_at["opportunity"]))
            )
        if len(opps) > STUCK_SHOWN:
            out["stuck_opportunities"] += " " + text(
                "mid.stuck_opps.shown", language, shown=n(STUCK_SHOWN)
            )
    else:
        out["stuck_opportunities"] = text("mid.stuck_opps.none", language)
    assumed = assumed_sentence(report.assumed, language=language)
    if assumed is not None:  # the marketing-sourced shares restate engagement.yaml
        for key in ("executive", "trend", "sources", "sales"):
            out[key] = assumed
        out["scorecard"] = (
            assumed if k.spend_provided else " ".join([assumed, text("spend.missing", language)])
        )
    return out


def _month(label: str, language: str) -> str:
    """``2026-03`` as the reader reads it (``Mar 2026``)."""
    return format_month(pd.Period(label, freq="M").to_timestamp(), language)


def _covered_span(report: MidpointReport, stage: str, language: str) -> dict[str, str] | None:
    """Months a cohort towards ``stage`` is observed over, when its files' coverage is limited.

    Returns
    -------
    dict or None
        ``{"first": ..., "last": ...}`` in the reader's words (``Mar 2026``); None when no
        file it reads (:func:`~workbook.intake.coverage.stage_files`) stops early or starts
        late.
    """
    coverage = report.coverage
    if coverage is None:
        return None
    funnel = report.kpis.funnel
    stages = (*funnel["from"].astype(str), str(funnel["to"].iloc[-1]))
    stems = (*stage_files(stages[0], stages), *stage_files(stage, stages))
    if not any(cover is not None and cover.limited for cover in map(coverage.get, stems)):
        return None
    start, end = coverage.span(stems)
    if start is None or start > end:
        return None
    return {"first": format_month(start, language), "last": format_month(end, language)}


def _cohort_sentence(report: MidpointReport, language: str) -> str:
    """The cohorts' trend, honestly: the first three observed cohorts against the last three
    at the same age (3 months, else 2, else 1), with the range of every observed cohort."""
    cohort = report.cohort
    stage = stage_label(report.cohort_stage, language)
    for k in (3, 2, 1):
        if k not in cohort.columns:
            continue
        observed = cohort[k].dropna()
        if len(observed) >= 6:
            first, last = observed.iloc[:3], observed.iloc[-3:]
            return text(
                "mid.cohort.means",
                language,
                months=format_number(k, language),
                old=format_percent(float(first.mean()), language),
                old_month=format_month(first.index[0], language),
                new=format_percent(float(last.mean()), language),
                new_month=format_month(last.index[-1], language),
                low=format_percent(float(observed.min()), language),
                high=format_percent(float(observed.max()), language),
                stage=stage,
            )
    return text("mid.cohort.none", language, stage=stage)
