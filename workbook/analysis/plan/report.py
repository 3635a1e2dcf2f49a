"""A computed plan and its JSON and frames."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbook.analysis.numbers import finite_list, finite_or_none
from workbook.analysis.plan.calendar import month_index, month_start


@dataclass(frozen=True)
class PlanReport:
    """A computed plan. :meth:`to_dict` is the contract's ``plan --json`` object.

    Attributes
    ----------
    stages : tuple of str
    months : tuple of str
        ``YYYY-MM``, from ``lead_months`` before ``period_start`` to the period's last month.
    required : numpy.ndarray, shape (S, n)
        The plan's cohort entering each stage each month; rows sum to ``totals``.
    gross : numpy.ndarray, shape (S, n)
        What must enter each month for the plan to hold with the funnel running on after it
        (``required`` + next period's pipeline).
    totals : numpy.ndarray, shape (S,)
    revenue : numpy.ndarray, shape (n,)
        Planned won revenue per month (0 before ``period_start``).
    period_start : str
    period_months, ramp_months : int
    lead_months : int
    avg_deal_size : float
    conversion : numpy.ndarray, shape (S - 1,)
    lag_days : numpy.ndarray, shape (S - 1,)
        Median lag (data) or the override, in days.
    sources : dict
        ``avg_deal_size``, ``conversion.<pair>``, ``lag_days.<pair>`` -> override | data.
    first_landing_month : str
        ``YYYY-MM``: by then :data:`LANDING_SHARE` of the wins of the first new leads (those
        entering the month after ``as_of``) have closed.
    first_new_month : str
        The month after ``as_of``: the first month new leads can enter.
    out_of_reach_share : float
        Share of the plan's first-stage cohort (and so, in expectation, of its target) that
        should have entered before ``first_new_month``.
    pipeline_credit : dict or None
        ``{"revenue", "won"}``: expected won revenue and deals inside the plan period from
        the marketing-sourced leads and opportunities open at ``as_of``; None without any.
    pipeline_revenue : numpy.ndarray, shape (n,)
        That credit by month.
    net_totals : numpy.ndarray or None
        ``totals`` scaled by the share of the target the pipeline does not cover.
    bands : dict or None
        ``{"p10": array (S,), "p90": array (S,)}`` of the stage totals (with ``simulate``).
    revenue_bands : dict or None
        ``{"p10", "p90"}`` arrays (n,): the revenue the planned volumes bring when the
        data-estimated rates are drawn from their Betas.
    run_rate : numpy.ndarray, shape (S,)
        Today's marketing-sourced entries per month.
    fit_error_share : float
        See :class:`Requirement`.
    scenario : str or None
    """

    stages: tuple[str, ...]
    months: tuple[str, ...]
    required: np.ndarray
    gross: np.ndarray
    totals: np.ndarray
    revenue: np.ndarray
    period_start: str
    period_months: int
    ramp_months: int
    lead_months: int
    avg_deal_size: float
    conversion: np.ndarray
    lag_days: np.ndarray
    sources: dict[str, str]
    first_landing_month: str
    first_new_month: str
    out_of_reach_share: float
    pipeline_credit: dict[str, float] | None
    pipeline_revenue: np.ndarray
    net_totals: np.ndarray | None
    bands: dict[str, np.ndarray] | None
    revenue_bands: dict[str, np.ndarray] | None
    run_rate: np.ndarray
    fit_error_share: float
    scenario: str | None = None

    @property
    def pairs(self) -> tuple[str, ...]:
        return tuple(f"{a}_{b}" for a, b in zip(self.stages[:-1], self.stages[1:], strict=True))

    @property
    def target_revenue(self) -> float:
        return float(math.fsum(self.revenue))

    def to_dict(self) -> dict[str, Any]:
        """The contract's ``plan --json`` object: plain floats, lists and dicts, no NaN."""
        out: dict[str, Any] = {
            "stages": list(self.stages),
            "months": list(self.months),
            "required": {
                s: finite_list(row) for s, row in zip(self.stages, self.required, strict=True)
            },
            "totals": dict(zip(self.stages, finite_list(self.totals), strict=True)),
            "revenue": finite_list(self.revenue),
            "assumptions": {
                "avg_deal_size": finite_or_none(self.avg_deal_size),
                "conversion": dict(zip(self.pairs, finite_list(self.conversion), strict=True)),
                "lag_days": dict(zip(self.pairs, finite_list(self.lag_days), strict=True)),
                "from": dict(self.sources),
            },
        }
        if self.pipeline_credit is not None and self.net_totals is not None:
            out["pipeline_credit"] = {k: finite_or_none(v) for k, v in self.pipeline_credit.items()}
            out["net_totals"] = dict(zip(self.stages, finite_list(self.net_totals), strict=True))
        if self.bands is not None:
            out["bands"] = {
                q: dict(zip(self.stages, finite_list(values), strict=True))
                for q, values in self.bands.items()
            }
        return out

    def schedule_frame(self) -> pd.DataFrame:
        """One row per month and stage: the plan against today's run-rate.

        Returns
        -------
        DataFrame
            ``month`` (Timestamp, first day), ``stage``, ``required`` (the plan's cohort),
            ``carry_over`` (entering now, converting outside the plan period: after it, next
            period's pipeline; before it, earlier wins), ``gross``
            (``required + carry_over``), ``run_rate`` (today's entries per month), ``gap``
            (``gross - run_rate``: positive = more than today), ``in_period`` (bool).
        """
        n, s = len(self.months), len(self.stages)
        first = month_index(self.months[0])
        month = [month_start(first + i) for i in range(n)]
        start = month_index(self.period_start)
        frame = pd.DataFrame(
            {
                "month": np.tile(np.array(month, dtype="datetime64[ns]"), s),
                "stage": np.repeat(np.array(self.stages, dtype=object), n),
                "required": self.required.ravel(),
                "carry_over": (self.gross - self.required).clip(min=0).ravel(),
                "gross": np.maximum(self.gross, self.required).ravel(),
                "run_rate": np.repeat(self.run_rate, n),
            }
        )
        frame["gap"] = frame["gross"] - frame["run_rate"]
        frame["in_period"] = np.tile(np.arange(first, first + n) >= start, s)
        return frame

    def stage_frame(self) -> pd.DataFrame:
        """One row per stage: totals, net totals, bands, run-rate and the peak monthly need.

        Returns
        -------
        DataFrame
            ``stage``, ``total``, ``net_total``, ``p10``, ``p90`` (NaN without them),
            ``run_rate`` (per month), ``peak_required`` (largest monthly ``gross``),
            ``peak_vs_run_rate`` (ratio; NaN when the run-rate is 0), ``rate`` (to the next
            stage, NaN for the last) and ``rate_from`` (override | data).
        """
        nan = np.full(len(self.stages), np.nan)
        peak = np.maximum(self.gross, self.required).max(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(self.run_rate > 0, peak / self.run_rate, np.nan)
        return pd.DataFrame(
            {
                "stage": list(self.stages),
                "total": self.totals,
                "net_total": self.net_totals if self.net_totals is not None else nan,
                "p10": self.bands["p10"] if self.bands else nan,
                "p90": self.bands["p90"] if self.bands else nan,
                "run_rate": self.run_rate,
                "peak_required": peak,
                "peak_vs_run_rate": ratio,
                "rate": np.append(self.conversion, np.nan),
                "rate_from": [self.sources[f"conversion.{p}"] for p in self.pairs] + [None],
            }
        )

    def revenue_frame(self) -> pd.DataFrame:
        """One row per month: planned revenue, its band, and the in-flight pipeline's share.

        Returns
        -------
        DataFrame
            ``month`` (Timestamp), ``revenue``, ``p10``, ``p90`` (NaN without simulation),
            ``pipeline`` (expected revenue from the pipeline open at ``as_of``).
        """
        first = month_index(self.months[0])
        nan = np.full(len(self.months), np.nan)
        return pd.DataFrame(
            {
                "month": [month_start(first + i) for i in range(len(self.months))],
                "revenue": self.revenue,
                "p10": self.revenue_bands["p10"] if self.revenue_bands else nan,
                "p90": self.revenue_bands["p90"] if self.revenue_bands else nan,
                "pipeline": self.pipeline_revenue,
            }
        )


__all__ = ["PlanReport"]
