"""The quantitative model: a time-phased reverse-funnel plan over the stage lag distributions.

From the revenue target, work backwards: won deals = revenue / average deal size, and each
earlier stage's total = the next stage's total / the conversion rate between them (the
"inverted funnel" of the strategy). Then phase it in time: a lead entering a stage in month
``m`` reaches the next stage spread over the following months according to the lag
distribution estimated from the data, so the monthly schedule is found by working back
through those distributions (a non-negative deconvolution).

The model, in the order :func:`compute_plan` applies it
-------------------------------------------------------
1. **Revenue schedule** (:func:`revenue_schedule`): ``targets.period_months`` months from
   ``targets.period_start``; month ``i`` (0-based) of the ramp runs at ``(i + 1) /
   (ramp_months + 1)`` of the full run-rate, full run-rate from month ``ramp_months`` on
   (a linear ramp; ``ramp_months = 0`` is flat). Scaled to sum exactly to the target.
2. **Totals** (:func:`reverse_funnel_totals`): ``won = revenue / avg_deal_size``, each earlier
   stage ``= next / rate``. Rates: an ``assumptions.conversion`` override wins, else the
   censoring-aware ``rate`` of :func:`workbook.analysis.kpis.funnel_rates` (within ``horizon_days``).
3. **Lag distributions** (:func:`monthly_lag_pmf`): for each stage pair, the time to convert
   among leads converting within the horizon, ``pmf(t) = dCIF(t) / CIF(horizon)``, binned to
   months assuming entries spread evenly over their month: a lag of ``x`` months (``x = days /
   30.4375``) lands ``1 - frac(x)`` in month ``floor(x)`` after entry and ``frac(x)`` one month
   later. An ``assumptions.lag_days`` override is a point mass at that many days.
   Conversions after ``horizon_days`` are not in the rate, so they are not in the lag
   distribution either: the pmf sums to 1 and nothing is truncated there.
4. **Schedule** (:func:`time_phased_requirement`): the leads entering the first stage each
   month are the one decision; every later stage follows from them through the lags and rates.
   They are found by non-negative least squares (:func:`scipy.optimize.nnls`) so that the
   won deals of every plan month match the revenue schedule, regularised towards the
   lag-shifted target (which makes a pure shift exact and keeps volumes from oscillating).
   The grid starts ``lead_months`` before ``period_start``: the 99th percentile of the
   summed stage lags (first stage to won), so the first planned wins have their leads;
   ``months`` then drops the leading months where nothing is needed, keeping one.
5. **Required vs gross**: a lead entering a stage in month ``m`` serves the plan only when its
   eventual win lands inside the plan period; the share of its wins that does is
   ``in_plan_share[m]``. ``required[stage][m] = gross[stage][m] * in_plan_share[m]`` is the
   plan's own cohort: it sums exactly to ``totals[stage]`` (the deconvolved volumes are
   rescaled so that the period's expected wins equal ``totals.won``). ``gross`` is what must
   enter that month for the plan to hold *and* the funnel to keep running after it; the
   difference (``carry_over``) is next period's pipeline. ``required.won`` is the revenue
   schedule divided by the deal size.

What a CMO asks first: :attr:`PlanReport.first_landing_month` (the month by which 10% of the
wins of new leads entering the funnel the month after ``as_of`` have closed),
:attr:`PlanReport.out_of_reach_share` (the share of the plan's first-stage cohort that should
have entered before that month), :attr:`PlanReport.pipeline_credit` (expected won revenue in
the plan period from marketing-sourced leads and opportunities still open at ``as_of``,
each weighted by its conditional probability of converting given its age,
:func:`conditional_conversion_probability`) and the gap against today's run-rate
(:meth:`PlanReport.schedule_frame`).

A scenario of engagement.yaml's ``scenarios:`` (:mod:`workbook.intake.sections.scenarios`)
starts from its targets and assumptions and overrides only what it names
(:func:`apply_scenario`).

The package, by concern: :mod:`~workbook.analysis.plan.calendar` (months, ramp, totals),
:mod:`~workbook.analysis.plan.lags`, :mod:`~workbook.analysis.plan.requirement` (the
deconvolution), :mod:`~workbook.analysis.plan.pipeline` (the open pipeline),
:mod:`~workbook.analysis.plan.uncertainty` (Betas, draws), :mod:`~workbook.analysis.plan.settings`
(targets, overrides, scenarios), :mod:`~workbook.analysis.plan.inputs` (what the data says),
:mod:`~workbook.analysis.plan.compute` (the plan), :mod:`~workbook.analysis.plan.report` and
:mod:`~workbook.analysis.plan.sensitivity` (tornado, scenarios compared).

See Also
--------
workbook.analysis.kpis.funnel_rates : the rates used.
workbook.analysis.kpis.stage_curves : the cumulative incidence curves the lags come from.
workbook.analysis.budget : the budget, CAC and LTV:CAC the plan implies.
"""

from workbook.analysis.plan.calendar import (
    DAYS_PER_MONTH,
    month_index,
    month_label,
    ramp_weights,
    revenue_schedule,
    reverse_funnel_totals,
)
from workbook.analysis.plan.compute import build_plan, compute_plan
from workbook.analysis.plan.inputs import PlanInputs, estimate_plan_inputs
from workbook.analysis.plan.lags import (
    lag_kernels,
    lead_time_months,
    monthly_lag_pmf,
    point_mass_lag_pmf,
)
from workbook.analysis.plan.pipeline import (
    all_cause_survival,
    conditional_conversion_probability,
    open_pipeline_landing,
)
from workbook.analysis.plan.report import PlanReport
from workbook.analysis.plan.requirement import Requirement, time_phased_requirement
from workbook.analysis.plan.sensitivity import compare_scenarios, tornado
from workbook.analysis.plan.settings import (
    PlanError,
    PlanSettings,
    apply_scenario,
    find_scenario,
    plan_settings,
)
from workbook.analysis.plan.uncertainty import beta_parameters, simulate_totals

__all__ = [
    "DAYS_PER_MONTH",
    "PlanError",
    "PlanInputs",
    "PlanReport",
    "PlanSettings",
    "Requirement",
    "all_cause_survival",
    "apply_scenario",
    "beta_parameters",
    "build_plan",
    "compare_scenarios",
    "compute_plan",
    "conditional_conversion_probability",
    "estimate_plan_inputs",
    "find_scenario",
    "lag_kernels",
    "lead_time_months",
    "month_index",
    "month_label",
    "monthly_lag_pmf",
    "open_pipeline_landing",
    "plan_settings",
    "point_mass_lag_pmf",
    "ramp_weights",
    "revenue_schedule",
    "reverse_funnel_totals",
    "simulate_totals",
    "time_phased_requirement",
    "tornado",
]
