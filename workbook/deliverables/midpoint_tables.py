"""The mid-point report's tables: the scorecard, the stakeholder views (executive, marketing
operations, sales), the benchmarks, and the next steps, drawn from one
:class:`workbook.deliverables.midpoint.MidpointReport`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from workbook.analysis.numbers import finite_or_none
from workbook.deliverables.display import NOT_APPLICABLE
from workbook.deliverables.midpoint_facts import (
    RENEWAL_SOURCES,
    advice_reason,
    advised_channels,
    advised_labels,
    best_and_worst_channels,
    channels_recorded,
    format_ratio,
    marketing_share_trend,
    other_new_business_win_rate,
    row_number,
    step_label,
    top_revenue_channel,
)
from workbook.deliverables.table_columns import table_columns
from workbook.deliverables.thin_data import one_step
from workbook.i18n import (
    channels_phrase,
    format_money,
    format_number,
    format_percent,
    pretty,
    sentence_case,
    stage_label,
    text,
)

if TYPE_CHECKING:
    from workbook.deliverables.midpoint import MidpointReport


def scorecard_table(report: MidpointReport, *, language: str, currency: str) -> pd.DataFrame:
    """The six outcome KPIs (and LTV:CAC) as one scorecard, formatted for the reader.

    Returns
    -------
    DataFrame
        One row per KPI: ``kpi`` (its name), ``figure`` (the headline number) and ``detail``
        (what goes with it), all text in ``language``.
    """
    k = report.kpis
    pct = lambda v: format_percent(v, language)  # noqa: E731
    money = lambda v: format_money(v, currency, language)  # noqa: E731
    days = lambda v: format_number(v, language)  # noqa: E731
    src = k.by_source
    marketing = src.loc["marketing"] if "marketing" in src.index else None
    other_rate = other_new_business_win_rate(src)
    first_won = k.velocity.iloc[0]
    # the step into won: opportunity -> won, or the ladder's last lead stage -> won
    last_step = k.velocity.iloc[-1]
    leak = report.biggest_leak
    best, worst = best_and_worst_channels(k.channels)
    rows = [
        (
            "lift",
            pct(k.lift.won_revenue_share),
            text("mid.score.lift.detail", language, count_share=pct(k.lift.won_count_share)),
        )
        if "sourced_by" not in report.assumed  # else the lift restates engagement.yaml
        else ("lift", text("thin.assumed.cell", language), ""),
        (
            "quality",
            money(row_number(marketing, "avg_won_amount")),
            text("mid.score.quality.detail", language, ltv=money(k.economics.ltv)),
        ),
        (
            "conversion",
            pct(row_number(marketing, "win_rate")),
            text("mid.score.conversion.detail", language, other_rate=pct(other_rate))
            if other_rate is not None
            else text("mid.score.conversion.detail_alone", language),
        ),
        (
            "health",
            pct(leak[2]) if leak else "-",
            text(
                "thin.mid.health_one_step"
                if one_step(report.shape["stage"])
                else "mid.score.health.detail",
                language,
                step=step_label(leak[0], leak[1], language) if leak else "-",
                stuck=format_number(int(k.stuck["stuck_count"].sum()), language),
            ),
        ),
        _levers_row(report, best, worst, language=language, currency=currency),
        (
            "velocity",
            text("mid.days", language, days=days(finite_or_none(first_won["median_days"]))),
            text(
                "mid.score.velocity.detail",
                language,
                step=step_label(str(last_step["from"]), str(last_step["to"]), language),
                opp_days=days(finite_or_none(last_step["median_days"])),
            ),
        ),
        (
            "ltv_cac",
            format_ratio(k.economics.ratio, language),
            text(
                "mid.score.ltv_cac.detail",
                language,
                cac=money(k.economics.cac),
                payback=format_number(k.economics.payback_months, language, decimals=1),
            ),
        )
        if k.spend_provided
        else (
            "ltv_cac",
            text("spend.not_provided", language),
            text("spend.missing.ltv_cac_detail", language, ltv=money(k.economics.ltv)),
        ),
    ]
    return pd.DataFrame(
        [(text(f"mid.kpi.{key}", language), figure, detail) for key, figure, detail in rows],
        columns=["kpi", "figure", "detail"],
    )


def _levers_row(
    report: MidpointReport,
    best: pd.Series | None,
    worst: pd.Series | None,
    *,
    language: str,
    currency: str,
) -> tuple[str, str, str]:
    """The scorecard's levers row; without spend, what spend would show and what exists."""
    if not report.kpis.spend_provided:
        top = top_revenue_channel(report.kpis.channels)
        detail = (
            text(
                "spend.missing.levers_detail",
                language,
                channel=sentence_case(pretty(top["channel"], language), language),
                revenue=format_money(float(top["won_revenue"]), currency, language),
            )
            if top is not None
            else text("spend.missing", language)
        )
        return "levers", text("spend.not_provided", language), detail
    if best is None or worst is None:
        recorded = channels_recorded(report.kpis.channels)
        why = "mid.levers.none" if recorded else "mid.levers.not_recorded"
        return "levers", text("mid.levers.unmeasured", language), text(why, language)
    return (
        "levers",
        advised_channels(
            report, "grow", language, empty=text("mid.levers.grow_none", language), opening=True
        ),
        text(
            "mid.score.levers.detail",
            language,
            review=advised_channels(report, "review", language),
            thin=advised_channels(report, "too_little_data", language),
        ),
    )


def executive_table(report: MidpointReport, *, language: str, currency: str) -> pd.DataFrame:
    """The executive page: lift, quality, LTV:CAC and the lift trend, formatted.

    Returns
    -------
    DataFrame
        ``measure`` and ``figure`` (text in ``language``). Without spend provided, CAC,
        LTV:CAC and payback are left out (the executive sentence says why).
    """
    k = report.kpis
    pct = lambda v: format_percent(v, language)  # noqa: E731
    money = lambda v: format_money(v, currency, language)  # noqa: E731
    recent, before = marketing_share_trend(report)
    marketing = k.by_source.loc["marketing"] if "marketing" in k.by_source.index else None
    rows = [
        ("mid.exec.won_revenue", money(k.lift.won_revenue)),
        ("mid.exec.revenue_share", pct(k.lift.won_revenue_share)),
        ("mid.exec.count_share", pct(k.lift.won_count_share)),
        ("mid.exec.avg_deal", money(row_number(marketing, "avg_won_amount"))),
        ("mid.exec.median_deal", money(row_number(marketing, "median_won_amount"))),
        ("mid.exec.ltv", money(k.economics.ltv)),
        ("mid.exec.cac", money(k.economics.cac)),
        ("mid.exec.ratio", format_ratio(k.economics.ratio, language)),
        ("mid.exec.payback", format_number(k.economics.payback_months, language, decimals=1)),
        ("mid.exec.share_recent", pct(recent)),
        ("mid.exec.share_before", pct(before)),
    ]
    if not k.spend_provided:
        needs_spend = {"mid.exec.cac", "mid.exec.ratio", "mid.exec.payback"}
        rows = [row for row in rows if row[0] not in needs_spend]
    if "sourced_by" in report.assumed:  # marketing's shares restate engagement.yaml
        assumed = text("thin.assumed.cell", language)
        shares = {"mid.exec.revenue_share", "mid.exec.count_share"}
        shares |= {"mid.exec.share_recent", "mid.exec.share_before"}
        rows = [(key, assumed if key in shares else figure) for key, figure in rows]
    half = max(1, report.window_months // 2)
    return pd.DataFrame(
        [(text(key, language, months=half), figure) for key, figure in rows],
        columns=["measure", "figure"],
    )


def operations_table(report: MidpointReport) -> pd.DataFrame:
    """The marketing-operations page: each step's rate, leakage, speed and stuck leads.

    Returns
    -------
    DataFrame
        One row per adjacent pair: ``from``, ``to``, ``entered``, ``rate``, ``rate_lower``,
        ``rate_upper``, ``leakage`` (1 - rate), ``median_days``, ``p75_days``, ``open_count``
        and ``stuck_count`` (of ``from``).
    """
    k = report.kpis
    out = k.funnel[
        ["from", "to", "entered", "rate", "rate_lower", "rate_upper", "median_days", "p75_days"]
    ].copy()
    out.insert(6, "leakage", 1.0 - out["rate"].to_numpy(float))
    stuck = k.stuck.set_index("stage")
    out["open_count"] = out["from"].map(stuck["open_count"]).fillna(0).astype("int64")
    out["stuck_count"] = out["from"].map(stuck["stuck_count"]).fillna(0).astype("int64")
    return out


def sales_table(report: MidpointReport) -> pd.DataFrame:
    """The sales page: win rates by source with their intervals, deal sizes, win from SQL.

    Returns
    -------
    DataFrame
        :func:`workbook.analysis.kpis.source_outcomes` with ``sourced_by`` as a column. A
        renewal (:data:`~workbook.deliverables.midpoint_facts.RENEWAL_SOURCES`) comes from no
        lead, so its win from SQL does not apply: ``attrs[display.NOT_APPLICABLE]`` marks
        those rows and the cell reads "not applicable" (not "not measurable").
    """
    table = report.kpis.by_source.reset_index()
    if "sql_won_rate" in table and table["sql_won_rate"].isna().all():
        # no SQL stage in the ladder (or nobody reached it): no "won from SQL" column
        table = table.drop(columns=[c for c in table if c.startswith("sql_")])
    if "sql_won_rate" in table:
        renewal = table["sourced_by"].astype(str).isin(RENEWAL_SOURCES).tolist()
        table.attrs[NOT_APPLICABLE] = {"sql_won_rate": renewal}
    return table


def benchmark_table(report: MidpointReport, *, language: str) -> pd.DataFrame:
    """The benchmark comparison as display-ready text (rates and days formatted per row).

    Returns
    -------
    DataFrame
        ``step`` (From → To), ``metric``, ``segment``, ``range`` (low – high), ``typical``,
        ``client``, ``position``, ``source``, ``quality``: all text in ``language``.
    """
    bench = report.benchmarks

    def fmt(metric: str, value: float) -> str:
        if metric == "conversion_rate":
            return format_percent(finite_or_none(value), language)
        return format_number(finite_or_none(value), language)

    records = []
    for row in bench.to_dict("records"):
        metric = row["metric"]
        records.append(
            {
                "step": step_label(row["from_stage"], row["to_stage"], language),
                "metric": text(f"mid.metric.{metric}", language),
                "segment": pretty(row["segment"], language),
                "range": f"{fmt(metric, row['low'])} – {fmt(metric, row['high'])}",
                "typical": fmt(metric, row["typical"]),
                "client": fmt(metric, row["client"]),
                "position": text(f"mid.position.{row['position']}", language)
                if row["position"]
                else "",
                "source": row["source"],
                "quality": text(f"mid.quality.{row['quality']}", language),
            }
        )
    columns = [
        "step",
        "metric",
        "segment",
        "range",
        "typical",
        "client",
        "position",
        "source",
        "quality",
    ]
    return pd.DataFrame.from_records(records, columns=columns)


def midpoint_next_steps(report: MidpointReport, *, language: str) -> list[str]:
    """The conclusions: what to do between the mid-point and the final strategy.

    Returns
    -------
    list of str
        Sentences in ``language``, the most urgent first.
    """
    k = report.kpis
    steps = []
    leak = report.biggest_leak
    stages = report.shape["stage"]
    if one_step(stages):  # no hand-off to agree inside one step: record the stages between
        first, last = (stage_label(str(stages.iloc[i]), language) for i in (0, -1))
        steps.append(text("thin.mid.next_one_step", language, first=first, last=last))
    elif leak:
        steps.append(text("mid.next.leak", language, step=step_label(leak[0], leak[1], language)))
    grow, review = (advised_labels(report, a, language) for a in ("grow", "review"))
    if not k.spend_provided:
        steps.append(text("spend.missing.next", language))
    elif grow and review:
        steps.append(
            text(
                "mid.next.spend",
                language,
                worst=channels_phrase(review, language, of=True),
                best=channels_phrase(grow, language),
            )
        )
    steps.append(
        text(
            "mid.next.stuck.one" if len(report.stuck_opportunities) == 1 else "mid.next.stuck",
            language,
            count=format_number(len(report.stuck_opportunities), language),
        )
    )
    if k.skipped_leads:
        steps.append(
            text("mid.next.data", language, skipped=format_number(k.skipped_leads, language))
        )
    return steps


def channel_advice_table(report: MidpointReport, *, language: str, currency: str) -> pd.DataFrame:
    """The levers table: each channel's spend, share of spend, won deals, ROI, the share of
    won deals the attribution models credit it with, and the advice with its reason.

    Returns
    -------
    DataFrame
        One row per channel with spend (channels not recorded left out), text columns
        formatted for ``language``; shown with ``table_columns("channel_advice")``.
    """
    advice = report.channel_advice
    advice = advice.loc[advice["spend"].fillna(0) > 0]
    pct = lambda v: format_percent(v, language)  # noqa: E731
    rows = []
    for row in advice.to_dict("records"):
        credit = (
            pct(row["credit_low"])
            if abs(row["credit_high"] - row["credit_low"]) < 1e-12
            else f"{pct(row['credit_low'])} – {pct(row['credit_high'])}"
        )
        rows.append(
            {
                "channel": row["channel"],
                "spend": row["spend"],
                "spend_share": row["spend_share"],
                "won_count": row["won_count"],
                "roi": format_ratio(row["roi"], language),
                "credit": credit,
                "advice": text(f"advice.{row['advice']}", language),
                "reason": _capitalised(advice_reason(row, language)),
            }
        )
    return pd.DataFrame.from_records(rows, columns=list(table_columns("channel_advice", language)))


def _capitalised(sentence: str) -> str:
    """``sentence`` with its first letter in capitals (a table cell reads as a sentence)."""
    return sentence[:1].upper() + sentence[1:]
