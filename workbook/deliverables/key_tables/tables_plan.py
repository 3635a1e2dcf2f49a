"""The final report's plan and budget sheets: stage totals, the monthly volumes its chart plots,
the budget by channel and LTV:CAC.

Each reads :func:`workbook.deliverables.final.build_final_quant`, as the final report does:
the monthly sheet is :func:`plan_chart_series` of ``quant.schedule``, the frame the report's
plan volume chart (:func:`workbook.deliverables.plots.plan.plan_volume_chart`) draws, and the
budget sheets show the figures of ``quant.budget`` that the report's budget table and
:func:`workbook.deliverables.final_text.budget_figures` show.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from workbook.deliverables.final import FinalQuantReport
from workbook.deliverables.final_tables import first_open_month, upcoming_schedule
from workbook.deliverables.final_text import budget_figures
from workbook.deliverables.key_tables.frame import Column, KeyTable, make_table, spec_columns
from workbook.deliverables.table_columns import table_columns
from workbook.deliverables.thin_data import channel_recorded
from workbook.i18n import format_money, format_month, text

#: The columns of :func:`plan_chart_series`: what the plan volume chart draws per stage panel.
CHART_SERIES = ("stage", "month", "required", "carry_over", "run_rate")


def plan_chart_series(schedule: pd.DataFrame, *, as_of: dt.date) -> pd.DataFrame:
    """The plan volume chart's series, without the months already over at ``as_of``.

    Parameters
    ----------
    schedule : DataFrame
        :meth:`workbook.analysis.plan.PlanReport.schedule_frame` (``quant.schedule``): the
        frame :func:`workbook.deliverables.plots.plan.plan_volume_chart` draws.
    as_of : datetime.date
        The data's snapshot date: the months over by then are left out, as the report's
        chart does (:func:`workbook.deliverables.final_tables.upcoming_schedule`: one rule).

    Returns
    -------
    DataFrame
        :data:`CHART_SERIES`: per stage (the plan's order) and month (Timestamp, first day),
        the bar ``required`` (leads for this plan), the bar stacked on it ``carry_over``
        (leads converting outside the plan period) and the line ``run_rate`` (today's entries
        per month).
    """
    return upcoming_schedule(schedule, as_of=as_of)[list(CHART_SERIES)]


def plan_tables(
    quant: FinalQuantReport, *, as_of: dt.date, currency: str, language: str
) -> list[KeyTable]:
    """The plan's stage totals, its monthly volumes, the budget by channel and LTV:CAC."""
    t = text
    stages = quant.stages.assign(
        rate_from=[
            t(f"plan.source.{s}", language) if s in ("data", "override") else None
            for s in quant.stages["rate_from"].astype(object)
        ]
    )
    shown = table_columns("plan_stages", language)
    run_rate = table_columns("playground_plan", language)["run_rate"]
    totals = make_table(
        "plan_totals",
        language,
        [
            *spec_columns(stages, {k: v for k, v in shown.items() if k != "rate"}),
            (run_rate[0], run_rate[1], stages["run_rate"]),
            *spec_columns(stages, {"rate": shown["rate"]}),
            (t("plan.label.rate_from", language), "text", stages["rate_from"]),
        ],
        about=t(
            "xlsx.about.plan_totals",
            language,
            target=format_money(quant.plan.target_revenue, currency, language),
        ),
    )
    return [
        totals,
        _monthly(quant, as_of=as_of, language=language),
        *_budget(quant, currency=currency, language=language),
    ]


def _monthly(quant: FinalQuantReport, *, as_of: dt.date, language: str) -> KeyTable:
    """The plan volume chart's numbers, one row per stage and month not over at ``as_of``."""
    t = text
    series = plan_chart_series(quant.schedule, as_of=as_of)
    past = len(quant.schedule) - len(series)
    first = first_open_month(as_of)
    return make_table(
        "plan_monthly",
        language,
        [
            (t("label.stage", language), "stage", series["stage"]),
            (t("label.month", language), "month", series["month"]),
            (t("plan.legend.required", language), "int", series["required"]),
            (t("plan.legend.carry_over", language), "int", series["carry_over"]),
            (t("plan.legend.run_rate", language), "int", series["run_rate"]),
        ],
        about=t("xlsx.about.plan_monthly", language),
        notes=(t("xlsx.note.past_months", language, month=format_month(first, language)),)
        if past
        else (),
    )


def _budget(quant: FinalQuantReport, *, currency: str, language: str) -> list[KeyTable]:
    """The budget by channel (the report's table) and its headline figures with LTV:CAC."""
    budget = quant.budget
    notes = () if budget.priced else (text("spend.missing", language),)
    tables = []
    allocation = budget.allocation
    if channel_recorded(allocation["channel"]):  # as the report: no table of "Not recorded"
        spec = table_columns("budget_allocation", language, spend=budget.priced)
        tables.append(
            make_table(
                "budget",
                language,
                spec_columns(allocation, spec),
                about=text("xlsx.about.budget", language),
                notes=notes,
            )
        )
    tables.append(
        make_table(
            "ltv_cac",
            language,
            budget_figure_columns(quant, currency=currency, language=language),
            about=text("xlsx.about.ltv_cac", language),
            notes=notes,
        )
    )
    return tables


def budget_figure_columns(quant: FinalQuantReport, *, currency: str, language: str) -> list[Column]:
    """The figures of :func:`workbook.deliverables.final_text.budget_figures` as numbers, one
    column each under the report's own label: without spend, only the LTV."""
    budget = quant.budget
    economics = budget.economics
    labels = budget_figures(quant, language=language, currency=currency)["figure"].tolist()
    figures: list[tuple[str, float | None]] = (
        [
            ("money", budget.total),
            ("money", budget.net_total),
            ("money", budget.blended_cost_per_inquiry),
            ("money", economics.cac),
            ("money", economics.ltv),
            ("float", economics.ratio),
            ("float", economics.payback_months),
        ]
        if budget.priced
        else [("money", economics.ltv)]
    )
    if len(labels) != len(figures):
        raise ValueError(f"budget_figures gives {len(labels)} figures, the sheet {len(figures)}")
    return [(label, kind, [value]) for label, (kind, value) in zip(labels, figures, strict=True)]
