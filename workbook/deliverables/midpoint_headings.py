"""The mid-point report's section headings, each stating its section's finding.

The words change with the data; the anchors (:data:`ANCHORS`) do not, so the executive
summary links to them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbook.analysis.numbers import finite_or_none
from workbook.deliverables.midpoint_facts import (
    advised_channels,
    attribution_shares,
    format_ratio,
    row_number,
    step_label,
    top_revenue_channel,
)
from workbook.deliverables.thin_data import one_step
from workbook.i18n import (
    channels_phrase,
    formatters,
    pretty,
    sentence_case,
    stage_label,
    text,
)

if TYPE_CHECKING:
    from workbook.deliverables.midpoint import MidpointReport

__all__ = ["ANCHORS", "midpoint_headings"]

#: Section -> stable anchor id of its heading.
ANCHORS = {
    "scorecard": "scorecard",
    "shape": "funnel-shape",
    "rates": "rates",
    "leakage": "leaks",
    "stuck": "stuck",
    "velocity": "velocity",
    "sources": "sources",
    "levers": "levers",
    "attribution": "attribution",
    "cohort": "cohorts",
    "benchmarks": "benchmarks",
    "audiences": "audiences",
    "exec": "executive-view",
    "ops": "operations-view",
    "sales": "sales-view",
    "stuck_opportunities": "stuck-opportunities",
    "conclusions": "next-steps",
}


def midpoint_headings(report: MidpointReport, *, language: str, currency: str) -> dict[str, str]:
    """Each section's heading in ``language``: its finding where the data give one, else
    the section's topic (the :data:`ANCHORS` keys)."""
    n, pct, money = formatters(language, currency)
    k = report.kpis
    out = _audience_headings(report, language=language, currency=currency)
    out["stuck_opportunities"] = text("mid.sales.intro", language)
    share = pct(k.lift.won_revenue_share)
    out["scorecard"] = (
        text(
            "mid.head.scorecard",
            language,
            share=share,
            ratio=format_ratio(k.economics.ratio, language),
        )
        if k.spend_provided and finite_or_none(k.economics.ratio) is not None
        else text("mid.head.scorecard_no_spend", language, share=share)
    )
    if "sourced_by" in report.assumed:  # the lift restates engagement.yaml
        out["scorecard"] = text("mid.scorecard", language)
    shape = report.shape
    first, last = (stage_label(str(shape["stage"].iloc[i]), language) for i in (0, -1))
    per_hundred = n(100 * float(shape["reach_share"].iloc[-1]), decimals=1)
    out["shape"] = (
        text("mid.shape", language)
        if one_step(shape["stage"])
        else text(
            f"mid.head.shape.{report.glass}",
            language,
            per_hundred=per_hundred,
            first=first,
            last=last,
        )
    )
    funnel = k.funnel
    gap = (funnel["rate"] - funnel["naive_rate"]).abs()
    out["rates"] = text("mid.rates", language)
    if gap.notna().any():
        row = funnel.loc[gap.idxmax()]
        step = step_label(str(row["from"]), str(row["to"]), language)
        out["rates"] = text(
            "mid.head.rates", language, step=step, rate=pct(finite_or_none(row["rate"]))
        )
    leak = report.leaks.loc[report.leaks["rank"] == 1] if len(report.leaks) else report.leaks
    out["leakage"] = text("mid.leakage", language)
    if len(leak):
        row = leak.iloc[0]
        out["leakage"] = text(
            "mid.head.leaks",
            language,
            step=step_label(str(row["from"]), str(row["to"]), language),
            won=n(finite_or_none(row["won_lost"])),
        )
    stuck = k.stuck
    out["stuck"] = text("mid.stuck", language)
    if len(stuck) and int(stuck["stuck_count"].sum()):
        worst = stuck.loc[stuck["stuck_count"].idxmax()]
        out["stuck"] = text(
            "mid.head.stuck",
            language,
            stuck=n(int(stuck["stuck_count"].sum())),
            stage=stage_label(str(worst["stage"]), language),
        )
    velocity = k.velocity
    steps = velocity.iloc[1:] if len(velocity) > 1 else velocity
    out["velocity"] = text("mid.velocity", language)
    if steps["median_days"].notna().any() and finite_or_none(velocity["median_days"].iloc[0]):
        slow = steps.loc[steps["median_days"].idxmax()]
        out["velocity"] = text(
            "mid.head.velocity",
            language,
            days=n(finite_or_none(velocity["median_days"].iloc[0])),
            first=stage_label(str(velocity["from"].iloc[0]), language),
            step=step_label(str(slow["from"]), str(slow["to"]), language),
        )
    src = k.by_source
    marketing = src.loc["marketing"] if "marketing" in src.index else None
    m_rate = row_number(marketing, "win_rate")
    out["sources"] = (
        text("mid.head.sources", language, m_rate=pct(m_rate))
        if m_rate is not None and "sourced_by" not in report.assumed
        else text("mid.sources", language)
    )
    grow, review = (advised_channels(report, a, language) for a in ("grow", "review"))
    none = text("mid.head.none", language)
    out["levers"] = text("mid.head.levers_plain", language)
    if k.spend_provided and len(report.channel_advice):
        key = (
            "mid.head.levers"
            if grow != none
            else "mid.head.levers_review"
            if review != none
            else "mid.head.levers_thin"
        )
        out["levers"] = text(key, language, grow=grow, review=review)
    elif (top := top_revenue_channel(k.channels)) is not None:
        out["levers"] = text(
            "mid.head.levers_no_spend",
            language,
            channel=sentence_case(pretty(top["channel"], language), language),
            revenue=money(float(top["won_revenue"])),
        )
    shares = attribution_shares(k.attribution)
    out["attribution"] = text(
        "mid.attribution" if k.attribution is not None else "mid.head.attribution_none", language
    )
    if shares is not None and len(shares) and shares.iloc[:, 1:].notna().any().any():
        values = shares.set_index("channel")
        channel = str((values.max(axis=1) - values.min(axis=1)).idxmax())
        out["attribution"] = text(
            "mid.head.attribution",
            language,
            channel=channels_phrase([pretty(channel, language)], language),
            low=pct(float(values.loc[channel].min())),
            high=pct(float(values.loc[channel].max())),
        )
    out["cohort"] = text("mid.cohort", language)
    cohort = report.cohort
    for months in (3, 2, 1):
        if months in cohort.columns and cohort[months].notna().sum() >= 6:
            observed = cohort[months].dropna()
            out["cohort"] = text(
                "mid.head.cohort",
                language,
                stage=stage_label(report.cohort_stage, language),
                rate=f"{pct(float(observed.min()))} – {pct(float(observed.max()))}",
                months=n(months),
            )
            break
    counts = report.benchmarks["position"].value_counts()
    total = int(counts.sum())
    out["benchmarks"] = (
        text(
            "mid.head.benchmarks", language, within=n(int(counts.get("within", 0))), total=n(total)
        )
        if total
        else text("mid.benchmarks", language)
    )
    return out


def _audience_headings(report: MidpointReport, *, language: str, currency: str) -> dict[str, str]:
    """The audience pages' headings (``audiences``, ``exec``, ``ops``, ``sales``,
    ``conclusions``), each stating its page's first finding; the topic without one."""
    n, pct, money = formatters(language, currency)
    k = report.kpis
    out = {key: text(f"mid.{key}", language) for key in ("exec", "ops", "sales", "conclusions")}
    out["audiences"] = text("mid.head.audiences_plain", language)
    leak = report.biggest_leak
    if leak is not None:
        step = step_label(leak[0], leak[1], language)
        out["audiences"] = text("mid.head.audiences", language, step=step)
        out["conclusions"] = text("mid.head.conclusions", language, step=step)
        stuck = int(k.stuck["stuck_count"].sum()) if len(k.stuck) else 0
        out["ops"] = text("mid.head.ops", language, step=step, stuck=n(stuck))
    share = finite_or_none(k.lift.won_revenue_share)
    if share is not None and "sourced_by" not in report.assumed:
        ratio = finite_or_none(k.economics.ratio) if k.spend_provided else None
        out["exec"] = text(
            "mid.head.exec" if ratio is not None else "mid.head.exec_no_spend",
            language,
            share=pct(share),
            ratio=format_ratio(ratio, language),
        )
    opps = report.stuck_opportunities
    src = k.by_source
    m_rate = row_number(src.loc["marketing"] if "marketing" in src.index else None, "win_rate")
    amounts = opps["amount"].astype(float)
    if len(opps) and amounts.notna().all():
        out["sales"] = text(
            "mid.head.sales_stuck.one" if len(opps) == 1 else "mid.head.sales_stuck",
            language,
            count=n(len(opps)),
            amount=money(float(amounts.sum())),
        )
    elif m_rate is not None and "sourced_by" not in report.assumed:
        out["sales"] = text("mid.head.sales", language, m_rate=pct(m_rate))
    return out
