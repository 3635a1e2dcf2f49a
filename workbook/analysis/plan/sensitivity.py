"""Which assumption moves the plan most (the tornado), and the plan under each scenario."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from workbook.analysis.plan.calendar import reverse_funnel_totals
from workbook.analysis.plan.compute import check_targets, compute_plan, resolve_assumptions
from workbook.analysis.plan.inputs import PlanInputs
from workbook.analysis.plan.report import PlanReport
from workbook.analysis.plan.settings import PlanSettings, apply_scenario
from workbook.analysis.plan.uncertainty import BAND_QUANTILES

#: Swing applied to an overridden assumption in the tornado (relative, +/-).
OVERRIDE_SWING: float = 0.10


def tornado(
    inputs: PlanInputs,
    settings: PlanSettings | None = None,
    *,
    override_swing: float = OVERRIDE_SWING,
) -> pd.DataFrame:
    """Which assumption moves the required first-stage volume most.

    Each assumption is set to a low and a high value, the others held: a data-estimated
    rate to the 10th and 90th percentiles of its Beta (:func:`beta_parameters`), the
    data's average deal size to its mean -/+ 1.2816 standard errors, an overridden value
    to -/+ ``override_swing`` of itself. Lags do not change totals and are left out.

    Returns
    -------
    DataFrame
        ``assumption`` (``avg_deal_size`` or ``conversion.<pair>``), ``source`` (override |
        data), ``base_value``, ``low_value``, ``high_value``, ``total_at_low``,
        ``total_at_high`` (first-stage totals), ``base_total``, ``swing`` (absolute
        difference), largest swing first.
    """
    settings = settings or inputs.base
    target, _ = check_targets(inputs, settings)
    deal, rates, _, _, sources = resolve_assumptions(inputs, settings)
    from scipy import stats  # when first needed: its import takes most of a second

    z = float(stats.norm.ppf(BAND_QUANTILES[1]))

    def first_total(deal_size: float, rate_values: np.ndarray) -> float:
        return float(reverse_funnel_totals(target / deal_size, rate_values)[0])

    base_total = first_total(deal, rates)
    rows = []
    if sources["avg_deal_size"] == "data" and inputs.deal_size_count > 1:
        se = inputs.deal_size_sd / math.sqrt(inputs.deal_size_count)
        low, high = max(deal - z * se, deal * 0.01), deal + z * se
    else:
        low, high = deal * (1 - override_swing), deal * (1 + override_swing)
    rows.append(
        (
            "avg_deal_size",
            sources["avg_deal_size"],
            deal,
            low,
            high,
            first_total(low, rates),
            first_total(high, rates),
        )
    )
    for k, pair in enumerate(inputs.pairs):
        source = sources[f"conversion.{pair}"]
        params = inputs.beta[k] if source == "data" else None
        if params is not None:
            low, high = (float(v) for v in stats.beta.ppf(BAND_QUANTILES, *params))
        else:
            low, high = rates[k] * (1 - override_swing), min(rates[k] * (1 + override_swing), 1.0)
        at_low, at_high = rates.copy(), rates.copy()
        at_low[k], at_high[k] = max(low, 1e-9), high
        rows.append(
            (
                f"conversion.{pair}",
                source,
                rates[k],
                low,
                high,
                first_total(deal, at_low),
                first_total(deal, at_high),
            )
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "assumption",
            "source",
            "base_value",
            "low_value",
            "high_value",
            "total_at_low",
            "total_at_high",
        ],
    )
    frame["base_total"] = base_total
    frame["swing"] = (frame["total_at_low"] - frame["total_at_high"]).abs()
    return frame.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


def compare_scenarios(inputs: PlanInputs, *, include_base: bool = True) -> list[PlanReport]:
    """The plan under engagement.yaml's settings and under each scenario.

    Returns
    -------
    list of PlanReport
        The base plan first (``scenario`` None) when ``include_base``, then each scenario
        in the order of engagement.yaml.
    """
    plans = [compute_plan(inputs)] if include_base else []
    for scenario in inputs.scenarios:
        plans.append(compute_plan(inputs, apply_scenario(inputs.base, scenario)))
    return plans


__all__ = ["OVERRIDE_SWING", "compare_scenarios", "tornado"]
