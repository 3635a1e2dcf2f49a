"""The final report's plan and budget sheets: stage totals, the monthly volumes its chart plots,
the budget by channel and LTV:CAC.

Each reads what the final notebook saved (:func:`workbook.deliverables.final_tables.final_tables`)
and the run's figures register, never recomputing the plan: the stage totals are the report's
``quant.stages``, the monthly sheet is :func:`plan_chart_series` of the plan's schedule, the
frame the report's plan volume chart (:func:`workbook.deliverables.plots.plan.plan_volume_chart`)
draws, the budget sheet the report's allocation, and the LTV:CAC sheet the register's
``plan.budget.*`` figures (:data:`BUDGET_FIGURES`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from workbook.deliverables.final_tables import first_open_month, upcoming_schedule
from workbook.deliverables.key_tables.frame import Column, KeyTable, make_table, spec_columns
from workbook.deliverables.register import FigureRegister
from workbook.deliverables.table_columns import table_columns
from workbook.deliverables.thin_data import channel_recorded
from workbook.i18n import format_money, format_month, text

#: The columns of :func:`plan_chart_series`: what the plan volume chart draws per stage panel.
CHART_SERIES = ("stage", "month", "required", "carry_over", "run_rate")
#: The final notebook's saved tables the plan sheets read.
PLAN_TABLES = ("plan_stages", "plan_schedule_all", "budget_allocation")
#: The LTV:CAC sheet: register key, the label the report's budget table gives it, the kind.
BUDGET_FIGURES = (
    ("plan.budget.total", "plan.label.budget", "money"),
    ("plan.budget.net_total", "plan.label.net_budget", "money"),
    ("plan.budget.cost_per_lead", "plan.label.blended_cpi", "money"),
    ("plan.budget.cac", "final.fig.planned_cac", "money"),
    ("plan.budget.ltv", "plan.label.ltv", "money"),
    ("plan.budget.ltv_cac", "final.fig.planned_ltv_cac", "float"),
    ("plan.budget.payback_months", "final.fig.payback", "float"),
)


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
    saved: Mapping[str, pd.DataFrame],
    register: FigureRegister,
    *,
    as_of: dt.date,
    currency: str,
    language: str,
) -> list[KeyTable]:
    """The plan's stage totals, its monthly volumes, the budget by channel and LTV:CAC, from
    the final notebook's saved tables (:data:`PLAN_TABLES`) and the register; none when the
    final phase did not run."""
    if any(name not in saved for name in PLAN_TABLES):
        return []
    t = text
    plan_stages = saved["plan_stages"]
    stages = plan_stages.assign(
        rate_from=[
            t(f"plan.source.{s}", language) if s in ("data", "override") else None
            for s in plan_stages["rate_from"].astype(object)
        ]
    )
    shown = table_columns("plan_stages", language)
    run_rate = table_columns("playground_plan", language)["run_rate"]
    target = (
        register.value("final.plan.target_revenue")
        if "final.plan.target_revenue" in register
        else None
    )
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
            target=format_money(target, currency, language),
        ),
    )
    return [
        totals,
        _monthly(saved["plan_schedule_all"], as_of=as_of, language=language),
        *_budget(saved["budget_allocation"], register, language=language),
    ]


def _monthly(schedule: pd.DataFrame, *, as_of: dt.date, language: str) -> KeyTable:
    """The plan volume chart's numbers, one row per stage and month not over at ``as_of``."""
    t = text
    series = plan_chart_series(schedule, as_of=as_of)
    past = len(schedule) - len(series)
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


def _budget(allocation: pd.DataFrame, register: FigureRegister, *, language: str) -> list[KeyTable]:
    """The budget by channel (the report's table) and its headline figures with LTV:CAC."""
    priced = _figure(register, "plan.budget.total") is not None  # else no spend: leads only
    notes = () if priced else (text("spend.missing", language),)
    tables = []
    if channel_recorded(allocation["channel"]):  # as the report: no table of "Not recorded"
        spec = table_columns("budget_allocation", language, spend=priced)
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
            budget_figure_columns(register, language=language),
            about=text("xlsx.about.ltv_cac", language),
            notes=notes,
        )
    )
    return tables


def budget_figure_columns(register: FigureRegister, *, language: str) -> list[Column]:
    """The register's budget figures (:data:`BUDGET_FIGURES`) as numbers, one column each under
    the label the report's budget table gives it; a figure the data cannot give reads "not
    measurable", as in the report. Without spend (no budget), only the LTV."""
    priced = _figure(register, "plan.budget.total") is not None
    shown = BUDGET_FIGURES if priced else [f for f in BUDGET_FIGURES if f[0] == "plan.budget.ltv"]
    columns: list[Column] = []
    for key, label, kind in shown:
        value = _figure(register, key)
        if value is None:
            columns.append(
                (text(label, language), "text", [text("label.not_measurable", language)])
            )
        else:
            columns.append((text(label, language), kind, [value]))
    return columns


def _figure(register: FigureRegister, key: str) -> float | None:
    """The register's value of ``key``; None when it has none."""
    return register.value(key) if key in register else None
