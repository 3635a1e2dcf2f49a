"""The mid-point's figures register: every headline figure it shows, with its evidence.

Keys follow ``workbook kpis --json`` where the command prints the figure
(``kpis.funnel.mql_sal.rate``, ``kpis.ltv_cac.ratio``, ``kpis.levers.channels.webinar.roi``;
a list of the command is keyed by its item's name), ``midpoint.*`` otherwise. Window
figures carry the KPI window; funnel rates, velocity, stuck leads and the leaks' ranking
(won deals lost) rest on every lead of the data and carry the data's period
(:func:`workbook.deliverables.midpoint_facts.data_window`); the leaks' money is counted over
the KPI window. Every figure the executive summary quotes is here. Each figure has its count and interval where it has one, and its evidence grade.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbook.analysis.evidence import evidence_grade
from workbook.analysis.numbers import finite_or_none
from workbook.deliverables.midpoint_facts import (
    attribution_shares,
    data_window,
    kpi_window,
    step_label,
)
from workbook.deliverables.register import FigureRegister
from workbook.i18n import pretty, text

if TYPE_CHECKING:
    from workbook.deliverables.midpoint import MidpointReport

__all__ = ["SCORECARD_KINDS", "register_midpoint", "scorecard_keys", "step_key"]

#: How each row of the mid-point scorecard's figure is shown, in its row order (lift, quality,
#: conversion, health, levers, velocity, LTV:CAC): a share, an amount, days, a ratio.
SCORECARD_KINDS = ("percent", "money", "percent", "percent", "text", "days", "float")


def step_key(a: str, b: str) -> str:
    return f"{a}_{b}"


def scorecard_keys(report: MidpointReport) -> list[str | None]:
    """The register key of each row's figure of the mid-point scorecard
    (:func:`workbook.deliverables.midpoint_tables.scorecard_table`), in its row order (see
    :data:`SCORECARD_KINDS`); None where the row's figure is words (the levers' channels, a
    lift that restates engagement.yaml, an LTV:CAC without spend) or the data gives none."""
    k = report.kpis
    leak = report.biggest_leak
    sources = set(k.by_source.index)
    marketing = "marketing" in sources
    return [
        None if "sourced_by" in report.assumed else "kpis.lift.won_revenue_share",
        "kpis.quality.avg_won_amount.marketing" if marketing else None,
        "kpis.conversion.win_rate.marketing" if marketing else None,
        f"kpis.health.leakage.{step_key(leak[0], leak[1])}" if leak else None,
        None,
        f"kpis.velocity.{k.velocity.iloc[0]['key']}.median_days" if len(k.velocity) else None,
        "kpis.ltv_cac.ratio" if k.spend_provided else None,
    ]


def register_midpoint(
    report: MidpointReport, register: FigureRegister, *, language: str
) -> FigureRegister:
    """Add every headline figure of the mid-point to ``register`` (``workbook kpis --json``
    paths where the command prints them, ``midpoint.*`` otherwise) and return it."""
    k = report.kpis
    window = kpi_window(report)
    data = data_window(report)
    add = register.add
    for row in k.funnel.to_dict("records"):
        a, b = str(row["from"]), str(row["to"])
        step = step_label(a, b, language)
        key = step_key(a, b)
        rate, low, high = (finite_or_none(row[c]) for c in ("rate", "rate_lower", "rate_upper"))
        grade = evidence_grade(int(row["entered"]), low=low, high=high, value=rate, rate=True)
        add(
            f"kpis.funnel.{key}.rate",
            rate,
            unit="rate",
            label=text("fig.rate", language, step=step),
            window=data,
            count=int(row["entered"]),
            low=low,
            high=high,
            grade=grade,
        )
        add(
            f"kpis.funnel.{key}.entered",
            int(row["entered"]),
            unit="count",
            window=data,
            label=text("fig.entered", language, step=step),
        )
        add(
            f"kpis.funnel.{key}.converted",
            int(row["converted"]),
            unit="count",
            window=data,
            label=text("fig.converted", language, step=step),
        )
        leak = None if rate is None else 1.0 - rate
        add(
            f"kpis.health.leakage.{key}",
            leak,
            unit="rate",
            window=data,
            count=int(row["entered"]),
            low=None if high is None else 1.0 - high,
            high=None if low is None else 1.0 - low,
            label=text("fig.leakage", language, step=step),
            grade=grade,
        )
    converted = {
        step_key(str(r["from"]), str(r["to"])): int(r["converted"])
        for r in k.funnel.to_dict("records")
    }
    won_leads = int(k.funnel["converted"].iloc[-1]) if len(k.funnel) else 0
    for row in k.velocity.to_dict("records"):
        count = converted.get(str(row["key"]), won_leads)
        add(
            f"kpis.velocity.{row['key']}.median_days",
            finite_or_none(row["median_days"]),
            unit="days",
            window=data,
            count=count,
            grade=evidence_grade(count),
            label=text(
                "fig.velocity",
                language,
                step=step_label(str(row["from"]), str(row["to"]), language),
            ),
        )
    lift = k.lift
    add(
        "kpis.lift.won_revenue_share",
        lift.won_revenue_share,
        unit="rate",
        window=window,
        count=lift.won_count,
        grade=evidence_grade(lift.won_count),
        label=text("mid.exec.revenue_share", language),
    )
    add(
        "kpis.lift.won_count_share",
        lift.won_count_share,
        unit="rate",
        window=window,
        count=lift.won_count,
        grade=evidence_grade(lift.won_count),
        label=text("mid.exec.count_share", language),
    )
    for source, row in k.by_source.iterrows():
        name = pretty(source, language)
        closed, won = int(row["closed_count"]), int(row["won_count"])
        low, high = finite_or_none(row["win_rate_lower"]), finite_or_none(row["win_rate_upper"])
        rate = finite_or_none(row["win_rate"])
        add(
            f"kpis.conversion.win_rate.{source}",
            rate,
            unit="rate",
            window=window,
            count=closed,
            low=low,
            high=high,
            grade=evidence_grade(closed, low=low, high=high, value=rate, rate=True),
            label=text("fig.win_rate", language, source=name),
        )
        add(
            f"kpis.quality.avg_won_amount.{source}",
            finite_or_none(row["avg_won_amount"]),
            unit="money",
            window=window,
            count=won,
            grade=evidence_grade(won),
            label=text("fig.avg_won", language, source=name),
        )
    economics = k.economics
    won = economics.won_count
    add(
        "kpis.quality.ltv",
        economics.ltv,
        unit="money",
        window=window,
        count=won,
        grade=evidence_grade(won),
        label=text("mid.exec.ltv", language),
    )
    if k.spend_provided:
        for key, value, unit, label in (
            ("cac", economics.cac, "money", "mid.exec.cac"),
            ("ratio", economics.ratio, "ratio", "mid.exec.ratio"),
            ("payback_months", economics.payback_months, "months", "mid.exec.payback"),
            ("spend", economics.spend, "money", "fig.spend_total"),
        ):
            add(
                f"kpis.ltv_cac.{key}",
                value,
                unit=unit,
                window=window,
                count=won,
                grade=evidence_grade(won),
                label=text(label, language),
            )
    for row in k.stuck.to_dict("records"):
        add(
            f"kpis.health.stuck.{row['stage']}",
            int(row["stuck_count"]),
            unit="count",
            window=data,
            label=text("fig.stuck", language, stage=pretty(row["stage"], language)),
        )
    advice = report.channel_advice
    for row in k.channels.to_dict("records"):
        channel = str(row["channel"])
        name = pretty(channel, language)
        won_count = int(row["won_count"])
        grade = evidence_grade(won_count)
        add(
            f"kpis.levers.channels.{channel}.won_count",
            won_count,
            unit="count",
            window=window,
            label=text("fig.channel_won", language, channel=name),
        )
        if k.spend_provided:
            add(
                f"kpis.levers.channels.{channel}.spend",
                finite_or_none(row["spend"]),
                unit="money",
                window=window,
                label=text("fig.channel_spend", language, channel=name),
            )
            for col, unit in (("roi", "ratio"), ("cac", "money")):
                add(
                    f"kpis.levers.channels.{channel}.{col}",
                    finite_or_none(row[col]),
                    unit=unit,
                    window=window,
                    count=won_count,
                    grade=grade,
                    label=text(f"fig.channel_{col}", language, channel=name),
                )
    for row in advice.to_dict("records"):
        channel, name = str(row["channel"]), pretty(row["channel"], language)
        if k.spend_provided:
            add(
                f"midpoint.levers.spend_share.{channel}",
                finite_or_none(row["spend_share"]),
                unit="rate",
                window=window,
                label=text("fig.spend_share", language, channel=name),
            )
        add(
            f"midpoint.levers.advice.{channel}",
            text(f"advice.{row['advice']}", language),
            unit="text",
            window=window,
            count=int(row["won_basis"]),
            grade=row["grade"],
            label=text("fig.advice", language, channel=name),
        )
    shares = attribution_shares(k.attribution)
    if shares is not None:
        total = int(round(float(k.attribution.iloc[:, 0].sum())))
        for model in shares.columns[1:]:
            for channel, share in zip(shares["channel"], shares[model], strict=True):
                add(
                    f"midpoint.attribution.{model}.{channel}",
                    finite_or_none(share),
                    unit="rate",
                    window=window,
                    count=total,
                    label=text(
                        "fig.attribution",
                        language,
                        channel=pretty(channel, language),
                        model=text(f"mid.model.{model}", language),
                    ),
                )
    _register_leaks(report, register, language=language, window=window, data=data)
    _register_summary(report, register, language=language, window=window, data=data)
    return register


def _register_leaks(
    report: MidpointReport,
    register: FigureRegister,
    *,
    language: str,
    window: str,
    data: str | None,
) -> None:
    """The leaks (:func:`workbook.analysis.leaks.leak_costs`): the ranking's won deals lost
    over the data's period, the money over the KPI window (the summary quotes both)."""
    add = register.add
    for row in report.leaks.loc[report.leaks["ranked"]].to_dict("records"):
        step = step_label(row["from"], row["to"], language)
        key = f"midpoint.leaks.{step_key(row['from'], row['to'])}"
        add(f"{key}.won_lost", finite_or_none(row["won_lost"]), unit="count", window=data,
            label=text("fig.won_lost", language, step=step))  # fmt: skip
        revenue = finite_or_none(row["revenue_lost"])
        for col, unit, label, value in (
            ("window_lost", "count", "fig.window_lost", finite_or_none(row["window_lost"])),
            ("window_won_lost", "count", "fig.window_won_lost",
             finite_or_none(row["window_won_lost"])),
            ("revenue_lost", "money", "fig.revenue_lost", revenue),
            ("revenue_tenth", "money", "fig.revenue_tenth", None if revenue is None else revenue / 10),
            ("revenue_cap", "money", "fig.revenue_cap", finite_or_none(row["revenue_cap"])),
        ):  # fmt: skip
            add(f"{key}.{col}", value, unit=unit, window=window,
                label=text(label, language, step=step))  # fmt: skip


def _register_summary(
    report: MidpointReport,
    register: FigureRegister,
    *,
    language: str,
    window: str,
    data: str | None,
) -> None:
    """The totals the executive summary quotes (channels to grow and review, stuck leads and
    opportunities), each with its window."""
    add = register.add
    k = report.kpis
    advice = report.channel_advice
    if k.spend_provided and len(advice):
        revenue = k.channels.set_index(k.channels["channel"].astype(str))["won_revenue"]
        grow = advice.loc[advice["advice"] == "grow"]
        if len(grow):
            add("midpoint.levers.grow.won_revenue",
                float(revenue.reindex(grow["channel"].astype(str)).sum()), unit="money",
                window=window, label=text("fig.grow_revenue", language))  # fmt: skip
            add("midpoint.levers.grow.won_count", int(grow["won_count"].sum()), unit="count",
                window=window, label=text("fig.grow_won", language))  # fmt: skip
        review = advice.loc[advice["advice"] == "review"]
        if len(review):
            add("midpoint.levers.review.spend", float(review["spend"].sum()), unit="money",
                window=window, label=text("fig.review_spend", language))  # fmt: skip
            add("midpoint.levers.review.spend_share", float(review["spend_share"].sum()),
                unit="rate", window=window, label=text("fig.review_share", language))  # fmt: skip
    add("midpoint.stuck_leads.count", int(k.stuck["stuck_count"].sum()) if len(k.stuck) else 0,
        unit="count", window=data, label=text("fig.stuck_total", language))  # fmt: skip
    add("midpoint.stuck_opportunities.threshold_days",
        finite_or_none(report.stuck_threshold_days), unit="days", window=data,
        label=text("fig.stuck_threshold", language))  # fmt: skip
    opps = report.stuck_opportunities
    add("midpoint.stuck_opportunities.count", len(opps), unit="count", window=data,
        label=text("fig.stuck_opps", language))  # fmt: skip
    add("midpoint.stuck_opportunities.amount", float(opps["amount"].astype(float).sum()),
        unit="money", window=data, label=text("fig.stuck_opps_amount", language))  # fmt: skip
