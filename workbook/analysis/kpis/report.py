"""Every KPI of an engagement at once: :func:`compute_kpis` and its :class:`KpiReport`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from workbook.analysis.journeys import Journeys, journeys_for
from workbook.analysis.kpis.funnel import (
    first_won_key,
    funnel_rates,
    journey_curve,
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
from workbook.analysis.kpis.sources import (
    Lift,
    closed_in_window,
    kpi_window,
    marketing_lift,
    source_outcomes,
    source_win_curves,
)
from workbook.analysis.numbers import finite_or_none
from workbook.analysis.survival import CumulativeIncidence
from workbook.intake.engagement import Engagement


@dataclass(frozen=True)
class KpiReport:
    """The funnel and the six outcome KPIs of an engagement (CONTRACT ``kpis --json``).

    Attributes
    ----------
    client, currency : str
    as_of : datetime.date
    window_start : Timestamp
        First day of the KPI window (its last day is ``as_of``).
    horizon_days : int
    confidence_level : float
    funnel : DataFrame
        :func:`funnel_rates`.
    velocity : DataFrame
        :func:`velocity_table`.
    curves : dict
        ``(from, to)`` -> cumulative incidence for every adjacent pair and first stage to won.
    lift : Lift
    by_source : DataFrame
        :func:`source_outcomes`: quality and conversion by ``sourced_by``.
    source_curves : dict
        ``sourced_by`` -> cumulative incidence of winning from SQL.
    stuck : DataFrame
        :func:`stuck_leads`.
    skipped : DataFrame
        :func:`skipped_stage_counts`.
    skipped_leads, recycled_leads : int
    channels : DataFrame
        :func:`channel_levers`.
    attribution : DataFrame or None
        :func:`touch_attribution`.
    economics : UnitEconomics
    """

    client: str
    as_of: dt.date
    currency: str
    window_start: pd.Timestamp
    horizon_days: int
    confidence_level: float
    funnel: pd.DataFrame
    velocity: pd.DataFrame
    curves: dict[tuple[str, str], CumulativeIncidence] = field(repr=False)
    lift: Lift
    by_source: pd.DataFrame
    source_curves: dict[str, CumulativeIncidence] = field(repr=False)
    stuck: pd.DataFrame
    skipped: pd.DataFrame
    skipped_leads: int
    recycled_leads: int
    channels: pd.DataFrame
    attribution: pd.DataFrame | None
    economics: UnitEconomics

    @property
    def spend_provided(self) -> bool:
        """Whether the client provided marketing spend (else every figure needing it is None)."""
        return self.economics.spend is not None

    @property
    def leakage(self) -> pd.Series:
        """``<from>_<to>`` -> 1 - rate (NaN where no lead entered)."""
        keys = self.funnel["from"].astype(str) + "_" + self.funnel["to"].astype(str)
        return pd.Series(1.0 - self.funnel["rate"].to_numpy(float), index=keys.to_numpy())

    def to_dict(self) -> dict[str, Any]:
        """The contract's ``kpis --json`` object: plain JSON-able Python, None for undefined.

        Exactly the contract's top-level keys. Inside them, beyond the contract's own keys:
        ``funnel[]`` adds ``rate_lower``/``rate_upper`` (band of ``rate``),
        ``naive_lower``/``naive_upper`` (Wilson), ``p75_days``, ``p90_days``;
        ``velocity[pair]`` holds ``rate``, ``median_days``, ``p75_days``, ``p90_days``,
        ``within_<n>_days``; ``lift`` adds counts and revenues; ``quality`` adds
        ``median_won_amount`` and ``won_count`` by source; ``conversion`` adds
        ``win_rate_lower``/``win_rate_upper``, ``closed_count`` and ``sql_won_rate`` (win
        incidence from SQL within the horizon) by source; ``health`` adds
        ``stuck_threshold_days``, ``open``, ``skipped`` (by stage), ``skipped_leads`` and
        ``recycled_leads``; ``levers.channels[]`` adds ``leads`` and ``levers.attribution`` is
        None without touches, else ``{"models": [...], "channels": [{"channel", "<model>_won",
        "<model>_won_revenue", ..., "markov_removal_effect"}]}``; ``ltv_cac`` adds ``spend``,
        ``won_count`` and ``avg_won_amount``. Rates are 0..1, money in ``currency``, days floats.
        Without spend (CONTRACT section 3) every figure that needs it is None, never 0:
        ``levers.channels[].spend``/``cac``/``roi`` and ``ltv_cac``'s ``spend``, ``cac``,
        ``ratio`` and ``payback_months``.
        """
        by_source = self.by_source
        sources = [str(s) for s in by_source.index]

        def per_source(col: str) -> dict[str, float | None]:
            return {
                s: finite_or_none(v) for s, v in zip(sources, by_source[col].tolist(), strict=True)
            }

        funnel = [
            {
                "from": str(row["from"]),
                "to": str(row["to"]),
                "entered": int(row["entered"]),
                "converted": int(row["converted"]),
                "rate": finite_or_none(row["rate"]),
                "naive_rate": finite_or_none(row["naive_rate"]),
                "median_days": finite_or_none(row["median_days"]),
                "rate_lower": finite_or_none(row["rate_lower"]),
                "rate_upper": finite_or_none(row["rate_upper"]),
                "naive_lower": finite_or_none(row["naive_lower"]),
                "naive_upper": finite_or_none(row["naive_upper"]),
                "p75_days": finite_or_none(row["p75_days"]),
                "p90_days": finite_or_none(row["p90_days"]),
            }
            for row in self.funnel.to_dict("records")
        ]
        velocity_cols = [c for c in self.velocity.columns if c not in ("key", "from", "to")]
        velocity = {
            str(row["key"]): {c: finite_or_none(row[c]) for c in velocity_cols}
            for row in self.velocity.to_dict("records")
        }
        stuck = self.stuck
        health = {
            "leakage": {k: finite_or_none(v) for k, v in self.leakage.items()},
            "stuck": {
                str(s): int(c) for s, c in zip(stuck["stage"], stuck["stuck_count"], strict=True)
            },
            "stuck_threshold_days": {
                str(s): finite_or_none(v)
                for s, v in zip(stuck["stage"], stuck["threshold_days"], strict=True)
            },
            "open": {
                str(s): int(c) for s, c in zip(stuck["stage"], stuck["open_count"], strict=True)
            },
            "skipped": {
                str(s): int(c)
                for s, c in zip(self.skipped["stage"], self.skipped["skipped_count"], strict=True)
            },
            "skipped_leads": int(self.skipped_leads),
            "recycled_leads": int(self.recycled_leads),
        }
        channels = [
            {
                "channel": str(row["channel"]),
                "spend": finite_or_none(row["spend"]),
                "won_count": int(row["won_count"]),
                "won_revenue": float(row["won_revenue"]),
                "cac": finite_or_none(row["cac"]),
                "roi": finite_or_none(row["roi"]),
                "leads": int(row["leads"]),
            }
            for row in self.channels.to_dict("records")
        ]
        attribution = None
        if self.attribution is not None:
            attribution = {
                "models": [
                    c.removesuffix("_won") for c in self.attribution.columns if c.endswith("_won")
                ],
                "channels": [
                    {"channel": str(channel), **{k: finite_or_none(v) for k, v in row.items()}}
                    for channel, row in self.attribution.to_dict("index").items()
                ],
            }
        quality = {
            "avg_won_amount": per_source("avg_won_amount"),
            "median_won_amount": per_source("median_won_amount"),
            "won_count": {s: int(v) for s, v in zip(sources, by_source["won_count"], strict=True)},
            "ltv": finite_or_none(self.economics.ltv),
        }
        conversion = {
            "win_rate": per_source("win_rate"),
            "win_rate_lower": per_source("win_rate_lower"),
            "win_rate_upper": per_source("win_rate_upper"),
            "closed_count": {
                s: int(v) for s, v in zip(sources, by_source["closed_count"], strict=True)
            },
        }
        if "sql_won_rate" in by_source:
            conversion["sql_won_rate"] = per_source("sql_won_rate")
        return {
            "client": self.client,
            "as_of": self.as_of.isoformat(),
            "currency": self.currency,
            "funnel": funnel,
            "velocity": velocity,
            "lift": self.lift.to_dict(),
            "quality": quality,
            "conversion": conversion,
            "health": health,
            "levers": {"channels": channels, "attribution": attribution},
            "ltv_cac": self.economics.to_dict(),
        }


def compute_kpis(
    engagement: Engagement,
    journeys: Journeys | None = None,
    *,
    confidence_level: float = 0.95,
) -> KpiReport:
    """The funnel and the six outcome KPIs of an engagement, per CONTRACT ``kpis --json``.

    Parameters
    ----------
    engagement, journeys
        As :func:`~workbook.analysis.journeys.journeys_for`.
    confidence_level : float
        Of every interval (Wilson for proportions, log(-log) bands for incidences).

    Returns
    -------
    KpiReport
        ``to_dict()`` is the JSON object ``workbook kpis --json`` prints.

    See Also
    --------
    workbook.deliverables.midpoint.build_midpoint : the mid-point report built on it.
    """
    journeys = journeys_for(engagement, journeys)
    config = engagement.config
    horizon = int(config.horizon_days)
    start, end = kpi_window(engagement)
    curves: dict[tuple[str, str], CumulativeIncidence] = dict(
        stage_curves(journeys, confidence_level=confidence_level)
    )
    first_won = first_won_key(journeys)
    cif = journey_curve(journeys, *first_won, confidence_level=confidence_level)
    if cif is not None:
        curves[first_won] = cif
    funnel = funnel_rates(
        journeys, horizon_days=horizon, confidence_level=confidence_level, curves=curves
    )
    velocity = velocity_table(
        journeys, horizon_days=horizon, curves=curves, confidence_level=confidence_level
    )
    closed = closed_in_window(engagement.opportunities, start=start, end=end)
    source_curves = source_win_curves(journeys, from_stage="sql", confidence_level=confidence_level)
    by_source = source_outcomes(
        closed, win_curves=source_curves, horizon_days=horizon, confidence_level=confidence_level
    )
    skipped = skipped_stage_counts(engagement)
    spend = engagement.spend if engagement.has("spend") else None
    return KpiReport(
        client=config.client,
        as_of=engagement.as_of,
        currency=config.currency,
        window_start=start,
        horizon_days=horizon,
        confidence_level=float(confidence_level),
        funnel=funnel,
        velocity=velocity,
        curves=curves,
        lift=marketing_lift(closed),
        by_source=by_source,
        source_curves=source_curves,
        stuck=stuck_leads(journeys, funnel),
        skipped=skipped,
        skipped_leads=int(skipped.attrs["skipped_leads"]),
        recycled_leads=int(journeys.leads["recycled"].sum()),
        channels=channel_levers(
            closed,
            spend,
            engagement.leads,
            start=start,
            end=end,
            coverage=engagement.coverage,
        ),
        attribution=touch_attribution(engagement.touches, journeys, start=start),
        economics=unit_economics(
            closed,
            spend,
            start=start,
            end=end,
            gross_margin=config.economics.gross_margin,
            annual_churn=config.economics.annual_churn,
        ),
    )
