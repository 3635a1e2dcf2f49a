"""Funnel conversion with censoring, velocity and the six outcome KPIs.

Rates follow CONTRACT.md: the probability that a lead which entered stage ``a`` reaches the
next stage ``b`` within ``horizon_days`` is the Aalen-Johansen cumulative incidence of
advancing, with exit (disqualified, or lost after the opportunity stage) as the competing
outcome and leads still open at ``as_of`` censored.

The KPIs read two populations:

- the **journeys** (every lead created on or before ``as_of``): funnel rates, velocity,
  stuck leads, cohorts, the win incidence from SQL;
- the **KPI window** (``window_months`` calendar months up to and including as_of's month,
  cut at ``as_of``): lift, quality, win rates, levers and LTV:CAC read opportunities closed
  (``closed_at``) and spend (``month``) inside it, whether or not the opportunity has a lead.

One module per concern: :mod:`~workbook.analysis.kpis.funnel` (funnel and velocity),
:mod:`~workbook.analysis.kpis.sources` (the window, lift, quality and win rates by source),
:mod:`~workbook.analysis.kpis.levers` (channel return, attribution, unit economics),
:mod:`~workbook.analysis.kpis.health` (stuck and skipped leads),
:mod:`~workbook.analysis.kpis.cohorts` and :mod:`~workbook.analysis.kpis.report`
(:func:`compute_kpis`, which computes everything). The building blocks take plain frames, so
they can be tested and reused on their own.

See Also
--------
workbook.analysis.survival.cumulative_incidence : the estimator.
workbook.analysis.journeys.Journeys : the ``leads`` and ``steps`` tables read here.
workbook.analysis.attribution.attribute : the multi-touch models of the levers KPI.
"""

from workbook.analysis.kpis.cohorts import cohort_conversion
from workbook.analysis.kpis.funnel import (
    WITHIN_DAYS,
    funnel_rates,
    journey_curve,
    journey_outcomes,
    stage_curves,
    velocity_table,
)
from workbook.analysis.kpis.health import skipped_stage_counts, stuck_leads
from workbook.analysis.kpis.levers import (
    UnitEconomics,
    channel_levers,
    touch_attribution,
    unit_economics,
)
from workbook.analysis.kpis.report import KpiReport, compute_kpis
from workbook.analysis.kpis.sources import (
    SOURCE_ORDER,
    Lift,
    closed_in_window,
    kpi_window,
    lift_by_month,
    marketing_lift,
    source_outcomes,
    source_win_curves,
)

__all__ = [
    "SOURCE_ORDER",
    "WITHIN_DAYS",
    "KpiReport",
    "Lift",
    "UnitEconomics",
    "channel_levers",
    "closed_in_window",
    "cohort_conversion",
    "compute_kpis",
    "funnel_rates",
    "journey_curve",
    "journey_outcomes",
    "kpi_window",
    "lift_by_month",
    "marketing_lift",
    "skipped_stage_counts",
    "source_outcomes",
    "source_win_curves",
    "stage_curves",
    "stuck_leads",
    "touch_attribution",
    "unit_economics",
    "velocity_table",
]
