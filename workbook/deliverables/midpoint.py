"""The mid-point insights report: every figure it shows and the sentences that explain them.

:func:`build_midpoint` computes (on top of :func:`workbook.analysis.kpis.compute_kpis`);
:func:`midpoint_sentences` turns the results into the "what this means" sentences in the
report's language; the ``*_table`` functions give the stakeholder views (executive,
marketing operations, sales) drawn from the same figures. The notebook only displays.

See Also
--------
workbook.analysis.kpis : the funnel and the six outcome KPIs.
workbook.analysis.benchmarks : the illustrative public benchmarks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook.analysis.benchmarks import compare_to_benchmarks, load_benchmarks
from workbook.analysis.journeys import Journeys, build_journeys
from workbook.analysis.kpis import KpiReport, cohort_conversion, compute_kpis, lift_by_month
from workbook.i18n import (
    format_money,
    format_month,
    format_number,
    format_percent,
    formatters,
    pretty,
    stage_label,
    text,
)
from workbook.intake.engagement import Engagement

__all__ = [
    "MidpointReport",
    "attribution_shares",
    "benchmark_table",
    "build_midpoint",
    "executive_table",
    "funnel_shape",
    "midpoint_next_steps",
    "midpoint_sentences",
    "operations_table",
    "sales_table",
    "scorecard_table",
    "stuck_opportunities",
]

#: A funnel is a "pint glass" when every step between the first qualification and the
#: opportunity keeps at least this share of the leads entering it; else a "martini glass".
PINT_GLASS_RATE = 0.5
#: Sources that are not new business: left out when marketing is compared with "the others".
RENEWAL_SOURCES: tuple[str, ...] = ("renewal",)


@dataclass(frozen=True)
class MidpointReport:
    """Everything the mid-point report shows.

    Attributes
    ----------
    kpis : KpiReport
    shape : DataFrame
        :func:`funnel_shape`.
    glass : str
        ``pint`` or ``martini``.
    cohort : DataFrame
        :func:`workbook.analysis.kpis.cohort_conversion` towards ``cohort_stage``.
    cohort_stage : str
    lift_by_month : DataFrame
        :func:`workbook.analysis.kpis.lift_by_month` over twice the KPI window.
    benchmarks : DataFrame
        :func:`workbook.analysis.benchmarks.compare_to_benchmarks`.
    stuck_opportunities : DataFrame
        :func:`stuck_opportunities`.
    biggest_leak : tuple or None
        ``(from, to, leakage)`` of the leakiest step after qualification.
    window_months : int
    """

    kpis: KpiReport
    shape: pd.DataFrame
    glass: str
    cohort: pd.DataFrame
    cohort_stage: str
    lift_by_month: pd.DataFrame
    benchmarks: pd.DataFrame
    stuck_opportunities: pd.DataFrame
    biggest_leak: tuple[str, str, float] | None
    window_months: int


def funnel_shape(funnel: pd.DataFrame, *, pint_glass_rate: float = PINT_GLASS_RATE) -> pd.DataFrame:
    """The funnel as a glass: the expected share of first-stage leads reaching each stage.

    Parameters
    ----------
    funnel : DataFrame
        :func:`workbook.analysis.kpis.funnel_rates`.
    pint_glass_rate : float
        Threshold of :data:`PINT_GLASS_RATE`.

    Returns
    -------
    DataFrame
        One row per stage: ``stage``, ``reach_share`` (0..1: product of the censoring-aware
        step rates up to the stage; 1 for the first), ``step_rate`` (the rate into the stage;
        NaN for the first) and ``qualified_step`` (bool: a step between the first
        qualification and the opportunity, the steps the glass shape is judged on).
        ``attrs["glass"]`` is ``pint`` or ``martini``.
    """
    rates = funnel["rate"].to_numpy(float)
    stages = [*funnel["from"].astype(str), str(funnel["to"].iloc[-1])]
    reach = np.concatenate(([1.0], np.cumprod(np.nan_to_num(rates, nan=0.0))))
    # steps after the first one and before the last one (the opportunity's win/loss)
    qualified = np.zeros(len(stages), dtype=bool)
    qualified[2:-1] = True
    if not qualified.any():
        qualified[1:] = True
    out = pd.DataFrame(
        {
            "stage": stages,
            "reach_share": reach,
            "step_rate": np.concatenate(([np.nan], rates)),
            "qualified_step": qualified,
        }
    )
    judged = out.loc[out["qualified_step"], "step_rate"].to_numpy(float)
    judged = judged[~np.isnan(judged)]
    pint = judged.size > 0 and bool((judged >= pint_glass_rate).all())
    out.attrs["glass"] = "pint" if pint else "martini"
    return out


def stuck_opportunities(
    opportunities: pd.DataFrame, *, as_of: pd.Timestamp, threshold_days: float | None
) -> pd.DataFrame:
    """Opportunities open at ``as_of`` for longer than ``threshold_days``, oldest first.

    Parameters
    ----------
    opportunities : DataFrame
        All opportunities, whatever their source and whether or not they have a lead.
    as_of : Timestamp
    threshold_days : float or None
        Usually the 90th-percentile time from opportunity to won; None gives no rows.

    Returns
    -------
    DataFrame
        ``opportunity_id``, ``account_id``, ``sourced_by``, ``product``, ``amount``
        (currency), ``age_days`` (days open at ``as_of``). No personal field.
    """
    columns = ["opportunity_id", "account_id", "sourced_by", "product", "amount", "age_days"]
    if threshold_days is None or not np.isfinite(threshold_days):
        return pd.DataFrame(columns=columns)
    as_of = pd.Timestamp(as_of)
    created = opportunities["created_at"]
    closed = opportunities["closed_at"]
    still_open = opportunities["status"].eq("open") | (closed > as_of)
    open_at = (still_open & (created <= as_of)).fillna(False).to_numpy(bool)
    frame = opportunities.loc[open_at].copy()
    frame["age_days"] = (as_of - frame["created_at"]).dt.days.astype(float)
    frame = frame.loc[frame["age_days"].to_numpy() > threshold_days]
    for col in columns:
        if col not in frame:
            frame[col] = pd.NA
    return (
        frame[columns]
        .sort_values(["age_days", "amount"], ascending=[False, False], kind="stable")
        .reset_index(drop=True)
    )


def build_midpoint(
    engagement: Engagement,
    journeys: Journeys | None = None,
    *,
    confidence_level: float = 0.95,
    cohort_stage: str | None = None,
    cohort_months: int = 12,
    benchmarks: pd.DataFrame | None = None,
) -> MidpointReport:
    """Compute every figure of the mid-point report.

    Parameters
    ----------
    engagement : Engagement
    journeys : Journeys, optional
        Built from ``engagement`` when not given.
    confidence_level : float
        Of every interval and band.
    cohort_stage : str, optional
        Stage the cohort heatmap tracks; default ``sql`` (else the last stage).
    cohort_months : int
        Columns of the cohort heatmap (months since entering the funnel).
    benchmarks : DataFrame, optional
        :func:`workbook.analysis.benchmarks.load_benchmarks`; the bundled file by default.
    """
    journeys = journeys if journeys is not None else build_journeys(engagement)
    kpis = compute_kpis(engagement, journeys, confidence_level=confidence_level)
    stages = journeys.stages
    stage = cohort_stage or ("sql" if "sql" in stages[1:] else stages[-1])
    shape = funnel_shape(kpis.funnel)
    threshold = kpis.stuck.set_index("stage")["threshold_days"].get("opportunity", np.nan)
    window_months = engagement.config.window_months
    return MidpointReport(
        kpis=kpis,
        shape=shape,
        glass=shape.attrs["glass"],
        cohort=cohort_conversion(journeys, to_stage=stage, max_months=cohort_months),
        cohort_stage=stage,
        lift_by_month=lift_by_month(
            engagement.opportunities, end=engagement.as_of_timestamp, months=2 * window_months
        ),
        benchmarks=compare_to_benchmarks(
            load_benchmarks() if benchmarks is None else benchmarks,
            journeys,
            horizon_days=kpis.horizon_days,
            curves=kpis.curves,
            confidence_level=confidence_level,
        ),
        stuck_opportunities=stuck_opportunities(
            engagement.opportunities,
            as_of=engagement.as_of_timestamp,
            threshold_days=float(threshold),
        ),
        biggest_leak=_leakiest_step(kpis.funnel, shape),
        window_months=window_months,
    )


# --- tables -----------------------------------------------------------------------------------


def attribution_shares(attribution: pd.DataFrame | None) -> pd.DataFrame | None:
    """Each model's share of won deals credited to each channel.

    Parameters
    ----------
    attribution : DataFrame or None
        :func:`workbook.analysis.kpis.touch_attribution`.

    Returns
    -------
    DataFrame or None
        Columns ``channel`` and one per model (0..1, each summing to 1 when anything was
        won), channels by first-touch share; None without attribution.
    """
    if attribution is None:
        return None
    models = [c.removesuffix("_won") for c in attribution.columns if c.endswith("_won")]
    credit = attribution[[f"{m}_won" for m in models]].to_numpy(float)
    totals = credit.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.where(totals > 0, credit / totals, np.nan)
    out = pd.DataFrame(shares, columns=models)
    out.insert(0, "channel", attribution.index.astype(str).to_numpy())
    order = models[0] if models else "channel"
    return out.sort_values(order, ascending=False, kind="stable").reset_index(drop=True)


def _trend(report: MidpointReport) -> tuple[float | None, float | None]:
    """Marketing's share of won revenue: the last half-window against the half before."""
    monthly = report.lift_by_month
    half = max(1, report.window_months // 2)
    recent, before = monthly.iloc[-half:], monthly.iloc[-2 * half : -half]

    def share(frame: pd.DataFrame) -> float | None:
        revenue = float(frame["won_revenue"].sum())
        return float(frame["marketing_won_revenue"].sum()) / revenue if revenue > 0 else None

    return share(recent), share(before)


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
    other_rate = _other_new_business_win_rate(src)
    first_won = k.velocity.iloc[0]
    opp_won = k.velocity.loc[k.velocity["key"] == "opportunity_won"]
    leak = _biggest_leak(report)
    best, worst = _best_worst_channels(k.channels)
    rows = [
        (
            "lift",
            pct(k.lift.won_revenue_share),
            text("mid.score.lift.detail", language, count_share=pct(k.lift.won_count_share)),
        ),
        (
            "quality",
            money(_get(marketing, "avg_won_amount")),
            text("mid.score.quality.detail", language, ltv=money(k.economics.ltv)),
        ),
        (
            "conversion",
            pct(_get(marketing, "win_rate")),
            text("mid.score.conversion.detail", language, other_rate=pct(other_rate)),
        ),
        (
            "health",
            pct(leak[2]) if leak else "-",
            text(
                "mid.score.health.detail",
                language,
                step=_step(leak[0], leak[1], language) if leak else "-",
                stuck=format_number(int(k.stuck["stuck_count"].sum()), language),
            ),
        ),
        (
            "levers",
            pretty(best["channel"]) if best is not None else "-",
            text(
                "mid.score.levers.detail",
                language,
                roi=format_number(_get(best, "roi"), language, decimals=1),
                worst=pretty(worst["channel"]) if worst is not None else "-",
                worst_roi=format_number(_get(worst, "roi"), language, decimals=1),
            ),
        ),
        (
            "velocity",
            text("mid.days", language, days=days(_nan_none(first_won["median_days"]))),
            text(
                "mid.score.velocity.detail",
                language,
                first=stage_label(str(first_won["from"]), language),
                opp_days=days(_nan_none(opp_won["median_days"].iloc[0])) if len(opp_won) else "-",
            ),
        ),
        (
            "ltv_cac",
            format_number(k.economics.ratio, language, decimals=1),
            text(
                "mid.score.ltv_cac.detail",
                language,
                cac=money(k.economics.cac),
                payback=format_number(k.economics.payback_months, language, decimals=1),
            ),
        ),
    ]
    return pd.DataFrame(
        [(text(f"mid.kpi.{key}", language), figure, detail) for key, figure, detail in rows],
        columns=["kpi", "figure", "detail"],
    )


def executive_table(report: MidpointReport, *, language: str, currency: str) -> pd.DataFrame:
    """The executive page: lift, quality, LTV:CAC and the lift trend, formatted.

    Returns
    -------
    DataFrame
        ``measure`` and ``figure`` (text in ``language``).
    """
    k = report.kpis
    pct = lambda v: format_percent(v, language)  # noqa: E731
    money = lambda v: format_money(v, currency, language)  # noqa: E731
    recent, before = _trend(report)
    marketing = k.by_source.loc["marketing"] if "marketing" in k.by_source.index else None
    rows = [
        ("mid.exec.won_revenue", money(k.lift.won_revenue)),
        ("mid.exec.revenue_share", pct(k.lift.won_revenue_share)),
        ("mid.exec.count_share", pct(k.lift.won_count_share)),
        ("mid.exec.avg_deal", money(_get(marketing, "avg_won_amount"))),
        ("mid.exec.median_deal", money(_get(marketing, "median_won_amount"))),
        ("mid.exec.ltv", money(k.economics.ltv)),
        ("mid.exec.cac", money(k.economics.cac)),
        ("mid.exec.ratio", format_number(k.economics.ratio, language, decimals=1)),
        ("mid.exec.payback", format_number(k.economics.payback_months, language, decimals=1)),
        ("mid.exec.share_recent", pct(recent)),
        ("mid.exec.share_before", pct(before)),
    ]
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
        :func:`workbook.analysis.kpis.source_outcomes` with ``sourced_by`` as a column.
    """
    return report.kpis.by_source.reset_index()


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
            return format_percent(_nan_none(value), language)
        return format_number(_nan_none(value), language)

    records = []
    for row in bench.to_dict("records"):
        metric = row["metric"]
        records.append(
            {
                "step": _step(row["from_stage"], row["to_stage"], language),
                "metric": text(f"mid.metric.{metric}", language),
                "segment": row["segment"],
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
    leak = _biggest_leak(report)
    if leak:
        steps.append(text("mid.next.leak", language, step=_step(leak[0], leak[1], language)))
    best, worst = _best_worst_channels(k.channels)
    if best is not None and worst is not None and best["channel"] != worst["channel"]:
        steps.append(
            text(
                "mid.next.spend",
                language,
                worst=pretty(worst["channel"]),
                best=pretty(best["channel"]),
            )
        )
    steps.append(
        text(
            "mid.next.stuck",
            language,
            count=format_number(len(report.stuck_opportunities), language),
        )
    )
    if k.skipped_leads:
        steps.append(
            text("mid.next.data", language, skipped=format_number(k.skipped_leads, language))
        )
    return steps


# --- sentences --------------------------------------------------------------------------------


def _get(row: pd.Series | None, col: str) -> float | None:
    if row is None:
        return None
    return _nan_none(row[col])


def _nan_none(value: object) -> float | None:
    if value is None or value is pd.NA:
        return None
    number = float(value)  # type: ignore[arg-type]
    return number if np.isfinite(number) else None


def _step(a: str, b: str, language: str) -> str:
    return f"{stage_label(a, language)} → {stage_label(b, language)}"


def _biggest_leak(report: MidpointReport) -> tuple[str, str, float] | None:
    return report.biggest_leak


def _leakiest_step(funnel: pd.DataFrame, shape: pd.DataFrame) -> tuple[str, str, float] | None:
    """The qualified step (see :func:`funnel_shape`) with the largest leakage."""
    judged = shape["qualified_step"].to_numpy(bool)[1:]
    rates = funnel["rate"].to_numpy(float)
    leak = np.where(judged & ~np.isnan(rates), 1.0 - rates, -np.inf)
    if not np.isfinite(leak).any():
        return None
    i = int(np.argmax(leak))
    return str(funnel["from"].iloc[i]), str(funnel["to"].iloc[i]), float(leak[i])


def _other_new_business_win_rate(by_source: pd.DataFrame) -> float | None:
    """Win rate of every source but marketing and renewals, pooled."""
    others = by_source.drop(index=["marketing", *RENEWAL_SOURCES], errors="ignore")
    closed = int(others["closed_count"].sum())
    return int(others["won_count"].sum()) / closed if closed else None


def _best_worst_channels(channels: pd.DataFrame) -> tuple[pd.Series | None, pd.Series | None]:
    spent = channels.loc[channels["spend"] > 0].dropna(subset=["roi"])
    if len(spent) == 0:
        return None, None
    best = spent.loc[spent["roi"].idxmax()]
    worst = spent.loc[spent["roi"].idxmin()]
    return best, worst


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
    out["scorecard"] = text(
        "mid.scorecard.means",
        language,
        share=pct(k.lift.won_revenue_share),
        months=n(report.window_months),
        ratio=format_number(ratio, language, decimals=1),
        verdict=text(
            "mid.verdict.healthy" if ratio is not None and ratio >= 3 else "mid.verdict.weak",
            language,
        ),
    )
    shape = report.shape
    leak = _biggest_leak(report)
    out["shape"] = text(
        f"mid.shape.{report.glass}.means",
        language,
        per_hundred=format_number(100 * float(shape["reach_share"].iloc[-1]), language, decimals=1),
        first=stage_label(str(shape["stage"].iloc[0]), language),
        last=stage_label(str(shape["stage"].iloc[-1]), language),
        step=_step(leak[0], leak[1], language) if leak else "-",
        rate=pct(1.0 - leak[2]) if leak else "-",
    )
    funnel = k.funnel
    gap = (funnel["rate"] - funnel["naive_rate"]).abs()
    if gap.notna().any():
        row = funnel.loc[gap.idxmax()]
        out["rates"] = text(
            "mid.rates.means",
            language,
            step=_step(str(row["from"]), str(row["to"]), language),
            naive=pct(_nan_none(row["naive_rate"])),
            rate=pct(_nan_none(row["rate"])),
            lower=pct(_nan_none(row["rate_lower"])),
            upper=pct(_nan_none(row["rate_upper"])),
        )
    else:
        out["rates"] = text("mid.rates.none", language)
    if leak:
        entered = int(funnel.loc[funnel["from"] == leak[0], "entered"].iloc[0])
        out["leakage"] = text(
            "mid.leakage.means",
            language,
            step=_step(leak[0], leak[1], language),
            leak=pct(leak[2]),
            lost=n(round(entered * leak[2])),
            entered=n(entered),
            stage=stage_label(leak[0], language),
        )
    else:
        out["leakage"] = text("mid.rates.none", language)
    stuck = k.stuck
    worst = stuck.loc[stuck["stuck_count"].idxmax()] if len(stuck) else None
    out["stuck"] = text(
        "mid.stuck.means",
        language,
        stuck=n(int(stuck["stuck_count"].sum())),
        stage=stage_label(str(worst["stage"]), language) if worst is not None else "-",
        count=n(int(worst["stuck_count"])) if worst is not None else "-",
        skipped=n(k.skipped_leads),
        recycled=n(k.recycled_leads),
    )
    velocity = k.velocity
    first_won = velocity.iloc[0]
    steps = velocity.iloc[1:]
    slow = steps.loc[steps["median_days"].idxmax()] if steps["median_days"].notna().any() else None
    out["velocity"] = text(
        "mid.velocity.means",
        language,
        median=n(_nan_none(first_won["median_days"])),
        p75=n(_nan_none(first_won["p75_days"])),
        first=stage_label(str(first_won["from"]), language),
        step=_step(str(slow["from"]), str(slow["to"]), language) if slow is not None else "-",
        days=n(_nan_none(slow["median_days"])) if slow is not None else "-",
    )
    src = k.by_source
    marketing = src.loc["marketing"] if "marketing" in src.index else None
    out["sources"] = text(
        "mid.sources.means",
        language,
        m_rate=pct(_get(marketing, "win_rate")),
        o_rate=pct(_other_new_business_win_rate(src)),
        m_sql=pct(_get(marketing, "sql_won_rate") if "sql_won_rate" in src else None),
        horizon=n(k.horizon_days),
    )
    best, worst_channel = _best_worst_channels(k.channels)
    total_spend = float(k.channels["spend"].sum())
    if best is not None and worst_channel is not None:
        out["levers"] = text(
            "mid.levers.means",
            language,
            best=pretty(best["channel"]),
            roi=format_number(float(best["roi"]), language, decimals=1),
            cac=money(_nan_none(best["cac"])),
            worst=pretty(worst_channel["channel"]),
            share=pct(float(worst_channel["spend"]) / total_spend if total_spend else None),
            worst_roi=format_number(float(worst_channel["roi"]), language, decimals=1),
        )
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
            channel=pretty(channel),
            low=pct(float(values.loc[channel].min())),
            high=pct(float(values.loc[channel].max())),
        )
    else:
        out["attribution"] = text("mid.attribution.none", language)
    out["cohort"] = _cohort_sentence(report, language)
    bench = report.benchmarks
    counts = bench["position"].value_counts()
    out["benchmarks"] = text(
        "mid.benchmarks.means",
        language,
        below=n(int(counts.get("below", 0))),
        within=n(int(counts.get("within", 0))),
        above=n(int(counts.get("above", 0))),
    )
    out["executive"] = text(
        "mid.executive.means",
        language,
        share=pct(k.lift.won_revenue_share),
        avg=money(_get(marketing, "avg_won_amount")),
        ltv=money(k.economics.ltv),
        cac=money(k.economics.cac),
        ratio=format_number(ratio, language, decimals=1),
        payback=format_number(k.economics.payback_months, language, decimals=1),
    )
    recent, before = _trend(report)
    direction = "flat"
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
    out["operations"] = text(
        "mid.operations.means",
        language,
        step=_step(leak[0], leak[1], language) if leak else "-",
        stuck=n(int(stuck["stuck_count"].sum())),
        worst=pretty(worst_channel["channel"]) if worst_channel is not None else "-",
        best=pretty(best["channel"]) if best is not None else "-",
    )
    m_rate = _get(marketing, "win_rate")
    new_business = src.drop(index=list(RENEWAL_SOURCES), errors="ignore")["win_rate"].astype(float)
    best_source = new_business.idxmax() if new_business.notna().any() else None
    out["sales"] = text(
        "mid.sales.means",
        language,
        m_rate=pct(m_rate),
        best=pretty(best_source),
        best_rate=pct(_nan_none(src.loc[best_source, "win_rate"]) if best_source else None),
    )
    opps = report.stuck_opportunities
    threshold = k.stuck.set_index("stage")["threshold_days"].get("opportunity", np.nan)
    if len(opps):
        out["stuck_opportunities"] = text(
            "mid.stuck_opps.means",
            language,
            count=n(len(opps)),
            amount=money(float(opps["amount"].astype(float).sum())),
            days=n(_nan_none(threshold)),
        )
    else:
        out["stuck_opportunities"] = text("mid.stuck_opps.none", language)
    return out


def _cohort_sentence(report: MidpointReport, language: str) -> str:
    cohort = report.cohort
    stage = stage_label(report.cohort_stage, language)
    for k in (3, 2, 1):
        if k not in cohort.columns:
            continue
        observed = cohort[k].dropna()
        if len(observed) >= 2:
            old, new = observed.index[0], observed.index[-1]
            return text(
                "mid.cohort.means",
                language,
                months=format_number(k, language),
                old=format_percent(float(observed.iloc[0]), language),
                old_month=format_month(old, language),
                new=format_percent(float(observed.iloc[-1]), language),
                new_month=format_month(new, language),
                stage=stage,
            )
    return text("mid.cohort.none", language, stage=stage)
