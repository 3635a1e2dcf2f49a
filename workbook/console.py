"""Plain-text tables the ``workbook`` command prints without ``--json``.

Analyses return result objects; this module only renders them for a terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from workbook.i18n import text
from workbook.intake.problems import Audit

if TYPE_CHECKING:
    from workbook.analysis.content import ContentReport
    from workbook.analysis.scoring import ScoreReport


def format_table(rows: Sequence[Sequence[object]], headers: Sequence[str]) -> str:
    """A plain text table; numbers right-aligned with thousands separators.

    Examples
    --------
    >>> print(format_table([["leads.csv", 1200]], ["file", "read"]))
    file        read
    leads.csv  1,200
    """

    def cell(value: object) -> str:
        if value is None:
            return "-"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, int):
            return f"{value:,}"
        if isinstance(value, float):
            return f"{value:,.3f}" if abs(value) < 1 else f"{value:,.1f}"
        return str(value)

    text = [[cell(v) for v in row] for row in rows]
    numeric = [
        all(isinstance(row[i], int | float) or row[i] is None for row in rows) if rows else False
        for i in range(len(headers))
    ]
    widths = [max([len(h), *(len(r[i]) for r in text)]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if numeric[i] else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    return "\n".join([line(list(headers)), *(line(r) for r in text)])


def render_audit(audit: Audit) -> str:
    """The readable form of ``validate``."""
    out = []
    rows = [[f"{name}", c.read, c.used, c.quarantined] for name, c in audit.rows.items()]
    out.append(format_table(rows, ["file", "read", "used", "quarantined"]))
    dup = audit.duplicates.get("leads", 0)
    if dup:
        out.append(
            f"\nDuplicates: {dup:,} leads repeat the e-mail of an earlier lead (review list)."
        )
    return "\n".join(out)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _money(value: float | None, currency: str) -> str:
    return "-" if value is None else f"{value:,.0f} {currency}"


def _unit_economics_line(ltv: dict, currency: str) -> str:
    """The LTV:CAC line; says the spend was not provided rather than showing 0 or ``-``."""
    if ltv["spend"] is None:
        return (
            f"LTV:CAC: LTV {_money(ltv['ltv'], currency)}; CAC, ratio and payback: "
            f"{text('spend.not_provided')}"
        )
    ratio, payback = ltv["ratio"], ltv["payback_months"]
    return (
        f"LTV:CAC: CAC {_money(ltv['cac'], currency)}, LTV {_money(ltv['ltv'], currency)}, "
        f"ratio {ratio if ratio is None else round(ratio, 1)}, "
        f"payback {payback if payback is None else round(payback, 1)} months"
    )


def render_kpis(data: dict) -> str:
    """The readable form of ``kpis``: funnel, velocity, and one line per KPI.

    Without spend (``ltv_cac.spend`` null) the levers table leaves out spend, CAC and ROI and
    a sentence says the spend was not provided.
    """
    cur = data["currency"]
    out = [f"{data['client']}: funnel and KPIs as of {data['as_of']} (money in {cur})", ""]
    out.append(
        format_table(
            [
                [
                    f"{f['from']} -> {f['to']}",
                    f["entered"],
                    f["converted"],
                    _pct(f["rate"]),
                    _pct(f["naive_rate"]),
                    f["median_days"],
                ]
                for f in data["funnel"]
            ],
            ["step", "entered", "converted", "rate", "naive rate", "median days"],
        )
    )
    out += ["", "Velocity (median days):"]
    out.append(
        format_table(
            [[k, v.get("median_days"), v.get("p75_days")] for k, v in data["velocity"].items()],
            ["step", "median", "p75"],
        )
    )
    lift, ltv = data["lift"], data["ltv_cac"]
    out += [
        "",
        f"Lift: marketing sourced {_pct(lift['won_revenue_share'])} of won revenue, "
        f"{_pct(lift['won_count_share'])} of won deals",
        "Quality (mean won amount): "
        + ", ".join(f"{s} {_money(v, cur)}" for s, v in data["quality"]["avg_won_amount"].items()),
        "Conversion (win rate): "
        + ", ".join(f"{s} {_pct(v)}" for s, v in data["conversion"]["win_rate"].items()),
        "Health (leakage): "
        + ", ".join(f"{k} {_pct(v)}" for k, v in data["health"]["leakage"].items()),
        "Stuck leads: " + ", ".join(f"{k} {v:,}" for k, v in data["health"]["stuck"].items()),
        _unit_economics_line(ltv, cur),
        "",
        "Levers (first touch, KPI window):",
    ]
    channels = data["levers"]["channels"]
    if ltv["spend"] is None:
        out.append(text("spend.missing.levers"))
        out.append(
            format_table(
                [[c["channel"], c["leads"], c["won_count"], c["won_revenue"]] for c in channels],
                ["channel", "leads", "won", "won revenue"],
            )
        )
        return "\n".join(out)
    out.append(
        format_table(
            [
                [c["channel"], c["spend"], c["won_count"], c["won_revenue"], c["cac"], c["roi"]]
                for c in channels
            ],
            ["channel", "spend", "won", "won revenue", "CAC", "ROI"],
        )
    )
    return "\n".join(out)


def render_plan(report) -> str:
    """The readable form of ``plan``: one row per stage, then the CMO's first questions."""
    data = report.to_dict()
    frame = report.stage_frame()
    rows = [
        [
            r.stage,
            round(float(r.total), 1),
            None if r.net_total != r.net_total else round(float(r.net_total), 1),
            None if r.p10 != r.p10 else round(float(r.p10), 1),
            None if r.p90 != r.p90 else round(float(r.p90), 1),
            round(float(r.run_rate), 1),
            round(float(r.peak_required), 1),
            None if r.rate != r.rate else f"{100 * r.rate:.1f}% ({r.rate_from})",
        ]
        for r in frame.itertuples()
    ]
    out = [
        f"Reverse-funnel plan: {data['months'][0]} to {data['months'][-1]}",
        "",
        format_table(
            rows,
            ["stage", "total", "net of pipeline", "p10", "p90", "run-rate/mo", "peak/mo", "rate"],
        ),
        "",
        f"Average deal size: {data['assumptions']['avg_deal_size']:,.0f} "
        f"({data['assumptions']['from']['avg_deal_size']})",
        f"First month new leads can bring revenue: {report.first_landing_month}",
        f"Share of the target out of reach given lead times: {100 * report.out_of_reach_share:.1f}%",
    ]
    credit = data.get("pipeline_credit")
    if credit:
        out.append(
            f"Pipeline already in flight: {credit['revenue']:,.0f} expected revenue, "
            f"{credit['won']:.1f} deals"
        )
    return "\n".join(out)


def render_content_text(report: ContentReport) -> str:
    """The readable plain-text tables ``workbook content DIR`` prints (without ``--json``).

    Sections: the matrix (gaps marked ``*``), the gaps, the conversation tracks, the ranked
    content plan, untagged and stale assets. Without a content inventory: the sentence saying
    so, then the buyer's question of each track.
    """
    matrix = report.matrix
    if not report.provided or matrix is None or report.gaps is None:
        return "\n".join(
            [
                text("missing.content", "en"),
                "",
                "Conversation tracks (the buyer's questions)",
                format_table(
                    [
                        [t.persona, t.buying_stage, t.question]
                        for t in report.tracks.itertuples(index=False)
                    ],
                    ["persona", "buying_stage", "question"],
                ),  # fmt: skip
            ]
        )
    rows = [
        [str(p), *(f"{n}*" if n < report.min_assets_per_cell else str(n) for n in r)]
        for p, r in zip(matrix.index, matrix.to_numpy().tolist(), strict=True)
    ]
    parts = [
        f"Content matrix (assets per persona x buying stage; * = fewer than "
        f"{report.min_assets_per_cell})",
        format_table(rows, ["persona", *map(str, matrix.columns)]),
        "",
        f"Gaps ({len(report.gaps)})",
        format_table(
            [[g.persona, g.buying_stage, int(g.assets), int(g.needed)]
             for g in report.gaps.itertuples(index=False)],
            ["persona", "buying_stage", "assets", "needed"],
        )
        if len(report.gaps)
        else "none",
        "",
        "Conversation tracks",
        format_table(
            [[t.persona, t.buying_stage, t.status, ", ".join(t.assets) or "-", t.question]
             for t in report.tracks.itertuples(index=False)],
            ["persona", "buying_stage", "status", "assets", "question"],
        ),
    ]  # fmt: skip
    if report.plan is not None and len(report.plan):
        parts += [
            "",
            "Content plan (gaps ranked by impact)",
            format_table(
                [[int(p.rank), p.persona, p.buying_stage, int(p.needed), p.funnel_stage,
                  round(float(p.impact_score), 3), p.suggested_format]
                 for p in report.plan.itertuples(index=False)],
                ["rank", "persona", "buying_stage", "needed", "feeds", "impact", "format"],
            ),
        ]  # fmt: skip
    untagged, stale = report.untagged or [], report.stale or []
    parts += [
        "",
        f"Untagged assets ({len(untagged)}): {', '.join(untagged) or 'none'}",
        f"Stale assets, published more than {report.stale_months} months before as_of "
        f"({len(stale)}): {', '.join(stale) or 'none'}",
    ]
    return "\n".join(parts)


def render_score_text(report: ScoreReport, *, max_weights: int = 15, max_accounts: int = 15) -> str:
    """The readable plain text ``workbook score DIR`` prints (without ``--json``)."""
    lift = report.lift_at_threshold
    lines = [
        f"Lead scoring: probability of reaching {report.target} within "
        f"{report.horizon_days} days of the inquiry",
        f"Holdout: {report.holdout_leads:,} leads with an inquiry from "
        f"{report.holdout_from:%Y-%m-%d} to {report.matured_before:%Y-%m-%d} "
        f"(trained on {report.train_leads:,} older leads)",
        f"AUC on the holdout: {report.auc:.3f} (0.5 = chance)",
        f"Recommended MQL threshold: {report.threshold:.3f}: precision "
        f"{report.precision_at_threshold:.1%}, recall {report.recall_at_threshold:.1%}, "
        f"{report.flagged_share:.1%} of leads flagged"
        + (f" ({lift:.1f}x the base rate of {report.holdout_base_rate:.1%})" if lift else ""),
        "",
        # CONTRACT section 3: say what the score could not use
        *([] if report.uses_touches else [text("strategy.weights.no_touches", "en"), ""]),
        "Feature weights (log-odds per standard deviation or per attribute value)",
        format_table(
            [[f, round(float(w), 3)] for f, w in report.weights.head(max_weights).to_numpy()],
            ["feature", "weight"],
        ),
        "",
        f"Accounts with several engaged leads ({len(report.accounts)})",
    ]
    if len(report.accounts):
        lines.append(
            format_table(
                [
                    [a, c, int(e), int(h)]
                    for a, c, e, h in report.accounts.head(max_accounts).to_numpy()
                ],
                ["account_id", "company", "engaged_leads", "hot_leads"],
            )
        )
    else:
        lines.append("none")
    return "\n".join(lines)
