"""What the plan costs: cost per inquiry by channel, the budget for a channel mix, CAC, LTV:CAC.

The budget rests on today's cost of an inquiry in each channel: the channel's spend in the
KPI window divided by the marketing-sourced inquiries it brought in the same window
(first touch, ``source_channel``). A channel with inquiries but no spend (organic,
referral) costs 0 an inquiry; a channel with spend but no inquiry has no usable cost.

The plan's budget is its first-stage total times the blended cost of an inquiry under a
channel mix: by default today's mix (each channel's share of the window's marketing-sourced
inquiries), moved towards the channels the channel advice asks to grow when it is given
(:func:`workbook.analysis.advised_mix.advised_mix`), or the mix of engagement.yaml's
``budget:`` section (:class:`workbook.intake.sections.budget.BudgetSettings`), or a scenario's.

The implied CAC is the budget over the plan's won deals; LTV is the average deal size x
gross margin / annual churn (as in ``kpis``' ``ltv_cac``); LTV:CAC above 3 is healthy.
Spend is what ``spend.csv`` holds: when it leaves out staff, agencies or tools, so does the CAC.
When the client provided no spend (CONTRACT section 3), nothing is priced from data: cost per
inquiry, budget, CAC, LTV:CAC and payback are None (NaN in frames), never 0, except where
engagement.yaml's ``budget.cost_per_inquiry`` sets a channel's cost; the plan's volumes by
channel still stand.

See Also
--------
workbook.analysis.plan : the required volumes this budget pays for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbook.analysis.advised_mix import advised_mix
from workbook.analysis.journeys import Journeys, journeys_for
from workbook.analysis.kpis.levers import covered_window
from workbook.analysis.numbers import finite_or_none, json_fields, json_records
from workbook.analysis.plan import PlanError, PlanReport
from workbook.i18n import NOT_RECORDED
from workbook.intake.engagement import Engagement
from workbook.intake.keys import CONFIG_FILE, closest_key
from workbook.intake.problems import Problem
from workbook.intake.sections.budget import HEALTHY_LTV_CAC, BudgetSettings

__all__ = [
    "HEALTHY_LTV_CAC",
    "BudgetReport",
    "BudgetSettings",
    "UnitEconomics",
    "blended_cost_per_inquiry",
    "build_budget",
    "channel_mix",
    "cost_per_inquiry",
    "engagement_costs",
    "plan_budget",
    "unit_economics",
]


def cost_per_inquiry(
    spend: pd.DataFrame | None,
    leads: pd.DataFrame,
    *,
    window_start: pd.Timestamp,
    as_of: pd.Timestamp,
    channel_col: str = "source_channel",
    created_col: str = "inquiry_at",
    sourced_col: str = "sourced_by",
) -> pd.DataFrame:
    """Today's cost of a marketing-sourced inquiry in each channel.

    Parameters
    ----------
    spend : DataFrame or None
        ``month`` (Timestamp, first day), ``channel``, ``amount`` (currency). None when the
        client provided no spend: ``spend`` and ``cost_per_inquiry`` are NaN (unknown, not 0).
    leads : DataFrame
        One row per lead: ``channel_col``, ``created_col`` (date it entered the first
        stage), ``sourced_col`` (missing counts as marketing).
    window_start, as_of : Timestamp
        The KPI window: spend months from ``window_start``'s month to ``as_of``'s, leads
        created in ``[window_start, as_of]``.

    Returns
    -------
    DataFrame
        ``channel``, ``spend`` (currency), ``inquiries`` (int), ``cost_per_inquiry``
        (currency; NaN with spend but no inquiry), ``inquiry_share`` (0..1 of the window's
        marketing-sourced inquiries), most inquiries first.

    Examples
    --------
    >>> spend = pd.DataFrame({"month": pd.to_datetime(["2026-01-01"] * 2),
    ...                       "channel": ["webinar", "events"], "amount": [1000.0, 500.0]})
    >>> leads = pd.DataFrame({"source_channel": ["webinar"] * 4 + ["organic"],
    ...                       "inquiry_at": pd.to_datetime(["2026-01-05"] * 5),
    ...                       "sourced_by": ["marketing"] * 5})
    >>> frame = cost_per_inquiry(spend, leads, window_start=pd.Timestamp("2026-01-01"),
    ...                          as_of=pd.Timestamp("2026-01-31"))
    >>> frame[["channel", "cost_per_inquiry"]].values.tolist()
    [['webinar', 250.0], ['organic', 0.0], ['events', nan]]
    >>> cost_per_inquiry(None, leads, window_start=pd.Timestamp("2026-01-01"),
    ...                  as_of=pd.Timestamp("2026-01-31"))["cost_per_inquiry"].tolist()
    [nan, nan]
    """
    window_start, as_of = pd.Timestamp(window_start), pd.Timestamp(as_of)
    if spend is None:
        spent = pd.Series(dtype=float)
    else:
        months = spend["month"]
        in_window = (months >= window_start.to_period("M").to_timestamp()) & (months <= as_of)
        spent = spend.loc[in_window].groupby("channel")["amount"].sum().astype(float)
    created = leads[created_col]
    marketing = leads[sourced_col].fillna("marketing") == "marketing"
    chosen = leads.loc[marketing & (created >= window_start) & (created <= as_of)]
    counts = chosen.groupby(channel_col, observed=True).size()
    channels = spent.index.union(counts.index)
    frame = pd.DataFrame(
        {
            "channel": [str(c) for c in channels],
            "spend": spent.reindex(
                channels, fill_value=0.0 if spend is not None else np.nan
            ).to_numpy(float),
            "inquiries": counts.reindex(channels, fill_value=0).to_numpy(np.int64),
        }
    )
    # what was spent on leads whose channel was not recorded is unknown, not 0
    frame.loc[frame["channel"] == NOT_RECORDED, "spend"] = np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["cost_per_inquiry"] = np.where(
            frame["inquiries"] > 0, frame["spend"] / frame["inquiries"], np.nan
        )
    total = frame["inquiries"].sum()
    frame["inquiry_share"] = frame["inquiries"] / total if total else 0.0
    return frame.sort_values(
        ["inquiries", "spend"], ascending=[False, False], kind="stable"
    ).reset_index(drop=True)


def engagement_costs(engagement: Engagement, journeys: Journeys) -> pd.DataFrame:
    """:func:`cost_per_inquiry` of an engagement over its KPI window (up to ``as_of``).

    Without spend provided (``engagement.has("spend")`` False) every cost is NaN, not 0.
    When the spend or the leads file stops early or starts late, spend and inquiries are
    read over the months of the window both cover only
    (:func:`~workbook.analysis.kpis.levers.covered_window`: 12 months of spend over 6 months
    of leads would double the cost), and ``attrs["months"]`` holds that span's first and
    last month (``YYYY-MM``).
    """
    start, end = engagement.window_start, engagement.as_of_timestamp
    window = (
        covered_window(engagement.coverage, start=start, end=end)
        if engagement.has("spend")
        else None
    )
    frame = cost_per_inquiry(
        engagement.spend if engagement.has("spend") else None,
        journeys.leads,
        window_start=window[0] if window else start,
        as_of=window[1] if window else end,
        created_col=f"{journeys.stages[0]}_at",
    )
    if window is not None:
        frame.attrs["months"] = (f"{window[0]:%Y-%m}", f"{window[1]:%Y-%m}")
    return frame


def channel_mix(
    costs: pd.DataFrame, mix: Mapping[str, float] | None = None, *, where: str = "budget.mix"
) -> pd.Series:
    """Shares of the plan's inquiries by channel, summing to 1.

    Parameters
    ----------
    costs : DataFrame
        :func:`cost_per_inquiry`.
    mix : mapping, optional
        Channel -> share (any scale, normalised). Default: today's ``inquiry_share``.

    Returns
    -------
    Series
        Indexed by channel, channels with a share > 0 only.

    Raises
    ------
    PlanError
        A mix naming a channel the data does not know (with the closest known one).
    """
    if mix is None:
        shares = costs.set_index("channel")["inquiry_share"].astype(float)
        return shares.loc[shares > 0]
    known = costs["channel"].tolist()
    problems = []
    for channel in mix:
        if channel not in known:
            hint = closest_key(channel, known)
            fix = f"did you mean '{hint}'?" if hint else f"known channels: {', '.join(known)}"
            problems.append(
                Problem(
                    CONFIG_FILE,
                    f"{where}.{channel}",
                    f"no spend or inquiry for channel '{channel}' in the data: {fix}",
                )
            )
    if problems:
        raise PlanError(problems)
    shares = pd.Series(mix, dtype=float)
    shares = shares / shares.sum()
    return shares.loc[shares > 0]


def plan_budget(
    inquiries: float,
    costs: pd.DataFrame,
    *,
    mix: Mapping[str, float] | None = None,
    cost_overrides: Mapping[str, float] | None = None,
    where: str = "budget",
) -> pd.DataFrame:
    """The budget that buys ``inquiries`` under a channel mix.

    Parameters
    ----------
    inquiries : float
        First-stage volume to buy (the plan's total, or its net total).
    costs : DataFrame
        :func:`cost_per_inquiry`.
    mix : mapping, optional
        See :func:`channel_mix`.
    cost_overrides : mapping, optional
        Channel -> cost per inquiry replacing today's.

    Returns
    -------
    DataFrame
        ``channel``, ``share`` (0..1), ``inquiries``, ``cost_per_inquiry``, ``cost_from``
        (override | data), ``budget`` (currency), largest budget first. A channel whose cost
        is unknown because no spend was provided (``spend`` NaN in ``costs``) and that has no
        override has NaN ``cost_per_inquiry`` and ``budget``, and the rows go by most
        inquiries.

    Raises
    ------
    PlanError
        A channel of the mix without a usable cost per inquiry (spend but no inquiry) and
        no override.

    Examples
    --------
    >>> costs = pd.DataFrame({"channel": ["a", "b"], "spend": [100.0, 0.0],
    ...                       "inquiries": [10, 10], "cost_per_inquiry": [10.0, 0.0],
    ...                       "inquiry_share": [0.5, 0.5]})
    >>> plan_budget(1000, costs)["budget"].tolist()
    [5000.0, 0.0]
    """
    shares = channel_mix(costs, mix, where=f"{where}.mix")
    overrides = dict(cost_overrides or {})
    today = costs.set_index("channel")["cost_per_inquiry"]
    cost = np.array([overrides.get(c, today.get(c, np.nan)) for c in shares.index], dtype=float)
    # NaN spend: no spend was provided, so the cost is unknown, not an error to fix
    spend_known = costs.set_index("channel")["spend"].notna()
    missing = [
        c
        for c, v in zip(shares.index, cost, strict=True)
        if not np.isfinite(v) and bool(spend_known.get(c, True))
    ]
    if missing:
        raise PlanError(
            [
                Problem(
                    CONFIG_FILE,
                    f"{where}.cost_per_inquiry.{c}",
                    f"channel '{c}' had spend but no marketing-sourced inquiry in the KPI "
                    f"window, so its cost per inquiry is unknown: set {where}.cost_per_inquiry.{c}"
                    " or leave the channel out of the mix",
                )
                for c in missing
            ]
        )
    frame = pd.DataFrame(
        {
            "channel": list(shares.index),
            "share": shares.to_numpy(float),
            "inquiries": shares.to_numpy(float) * float(inquiries),
            "cost_per_inquiry": cost,
            "cost_from": ["override" if c in overrides else "data" for c in shares.index],
        }
    )
    frame["budget"] = frame["inquiries"] * frame["cost_per_inquiry"]
    order = "budget" if frame["budget"].notna().all() else "inquiries"
    return frame.sort_values(order, ascending=False, kind="stable").reset_index(drop=True)


def blended_cost_per_inquiry(allocation: pd.DataFrame) -> float | None:
    """Average cost of an inquiry under the mix of :func:`plan_budget`'s allocation.

    None when a channel of the mix has no known cost (no spend provided, no override).
    """
    cost = allocation["cost_per_inquiry"].to_numpy(float)
    if not np.isfinite(cost).all():
        return None
    return float((allocation["share"].to_numpy(float) * cost).sum())


@dataclass(frozen=True)
class UnitEconomics:
    """The unit economics a budget implies.

    Attributes
    ----------
    cac : float or None
        Budget / won deals (currency); None without deals or without a budget (no spend
        provided).
    ltv : float
        Average deal size x gross margin / annual churn (currency).
    ratio : float or None
        ``ltv / cac``; None when the CAC is 0 or unknown.
    healthy_ratio : float
        The line (3 by default).
    healthy : bool or None
        ``ratio >= healthy_ratio``; True when the CAC is 0.
    payback_months : float or None
        ``cac / (avg_deal_size x gross_margin / 12)``.
    """

    cac: float | None
    ltv: float
    ratio: float | None
    healthy_ratio: float
    healthy: bool | None
    payback_months: float | None

    def to_dict(self) -> dict[str, Any]:
        return json_fields(self)


def unit_economics(
    budget: float | None,
    won_count: float,
    avg_deal_size: float,
    *,
    gross_margin: float,
    annual_churn: float,
    healthy_ratio: float = HEALTHY_LTV_CAC,
) -> UnitEconomics:
    """CAC, LTV, LTV:CAC and CAC payback of a budget that wins ``won_count`` deals.

    Examples
    --------
    A 1,000,000 budget winning 100 deals of 48,000 at 75% margin and 15% churn:

    >>> e = unit_economics(1_000_000, 100, 48_000, gross_margin=0.75, annual_churn=0.15)
    >>> e.cac, e.ltv, e.ratio, e.healthy, round(e.payback_months, 2)
    (10000.0, 240000.0, 24.0, True, 3.33)

    Without a budget (no spend provided) only the LTV is known:

    >>> e = unit_economics(None, 100, 48_000, gross_margin=0.75, annual_churn=0.15)
    >>> e.cac, e.ltv, e.ratio, e.healthy, e.payback_months
    (None, 240000.0, None, None, None)
    """
    ltv = avg_deal_size * gross_margin / annual_churn
    cac = budget / won_count if won_count > 0 and budget is not None else None
    ratio = ltv / cac if cac else None
    healthy = (ratio >= healthy_ratio) if ratio is not None else (True if cac == 0 else None)
    monthly_margin = avg_deal_size * gross_margin / 12
    payback = cac / monthly_margin if cac is not None and monthly_margin > 0 else None
    return UnitEconomics(
        cac=cac,
        ltv=ltv,
        ratio=ratio,
        healthy_ratio=healthy_ratio,
        healthy=healthy,
        payback_months=payback,
    )


@dataclass(frozen=True)
class BudgetReport:
    """The plan's budget.

    Attributes
    ----------
    costs : DataFrame
        :func:`cost_per_inquiry`.
    allocation : DataFrame
        :func:`plan_budget` for the plan's first-stage total.
    total : float or None
        Budget for the gross plan (currency); None when a channel of the mix has no known
        cost (no spend provided and no ``budget.cost_per_inquiry`` override).
    net_total : float or None
        Budget for the first-stage total still needed after the pipeline credit.
    by_month : DataFrame
        ``month`` (Timestamp), ``inquiries`` (the plan's first-stage cohort), ``budget``
        (NaN when ``total`` is None).
    blended_cost_per_inquiry : float or None
    economics : UnitEconomics
        For the gross plan: budget / the plan's won deals.
    mix_from : str
        ``data`` (today's mix), ``advice`` (today's mix moved towards the channels to grow,
        :func:`workbook.analysis.advised_mix.advised_mix`) or ``override``.
    today_total : float or None
        With ``mix_from`` ``advice``: what the plan would cost under today's mix.
    """

    costs: pd.DataFrame
    allocation: pd.DataFrame
    total: float | None
    net_total: float | None
    by_month: pd.DataFrame
    blended_cost_per_inquiry: float | None
    economics: UnitEconomics
    mix_from: str
    today_total: float | None = None

    @property
    def priced(self) -> bool:
        """Whether the budget is known (False: no spend provided, the plan is in leads)."""
        return self.total is not None

    @property
    def cost_months(self) -> tuple[str, str] | None:
        """First and last month (``YYYY-MM``) the costs read when the spend or the leads
        do not cover the whole KPI window (:func:`engagement_costs`); None otherwise."""
        return self.costs.attrs.get("months")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able Python (no NaN)."""
        return {
            "total": finite_or_none(self.total),
            "net_total": finite_or_none(self.net_total),
            "blended_cost_per_inquiry": finite_or_none(self.blended_cost_per_inquiry),
            "mix_from": self.mix_from,
            "channels": json_records(self.allocation),
            "cost_per_inquiry": json_records(self.costs),
            "economics": self.economics.to_dict(),
        }


def build_budget(
    engagement: Engagement,
    plan: PlanReport,
    journeys: Journeys | None = None,
    *,
    settings: BudgetSettings | None = None,
    costs: pd.DataFrame | None = None,
    advice: pd.DataFrame | None = None,
) -> BudgetReport:
    """The budget, CAC and LTV:CAC of a plan.

    Parameters
    ----------
    engagement : Engagement
    plan : PlanReport
    journeys : Journeys, optional
        As :func:`~workbook.analysis.journeys.journeys_for`; read only when ``costs`` is not
        given.
    settings : BudgetSettings, optional
        Default: engagement.yaml's ``budget:`` section (a scenario's: ``scenario.budget``).
    costs : DataFrame, optional
        :func:`cost_per_inquiry` already computed.
    advice : DataFrame, optional
        :func:`workbook.analysis.channel_advice.channel_advice`: without a mix in
        ``settings``, today's mix moves towards the channels to grow
        (:func:`workbook.analysis.advised_mix.advised_mix`; ``mix_from`` ``advice``).

    Raises
    ------
    PlanError
        A mix the data cannot price.
    """
    config = engagement.config
    settings = settings or config.budget
    if costs is None:
        costs = engagement_costs(engagement, journeys_for(engagement, journeys))
    first_total = float(plan.totals[0])
    allocation = plan_budget(
        first_total, costs, mix=settings.mix, cost_overrides=settings.cost_per_inquiry
    )
    mix_from = "override" if settings.mix is not None else "data"
    advised = advised_mix(allocation, advice) if advice is not None and mix_from == "data" else None
    today_total = None
    if advised is not None:
        today_total = float(allocation["budget"].sum())
        allocation = plan_budget(
            first_total, costs, mix=advised.to_dict(), cost_overrides=settings.cost_per_inquiry
        )
        mix_from = "advice"
    blended = blended_cost_per_inquiry(allocation)
    total = float(allocation["budget"].sum()) if blended is not None else None
    net = (
        float(plan.net_totals[0]) * blended
        if plan.net_totals is not None and blended is not None
        else None
    )
    schedule = plan.schedule_frame()
    first = schedule.loc[schedule["stage"] == plan.stages[0], ["month", "required"]]
    by_month = pd.DataFrame(
        {
            "month": first["month"].to_numpy(),
            "inquiries": first["required"].to_numpy(float),
            "budget": first["required"].to_numpy(float)
            * (blended if blended is not None else np.nan),
        }
    )
    economics = unit_economics(
        total,
        float(plan.totals[-1]),
        plan.avg_deal_size,
        gross_margin=config.economics.gross_margin,
        annual_churn=config.economics.annual_churn,
        healthy_ratio=settings.healthy_ltv_cac,
    )
    return BudgetReport(
        costs=costs,
        allocation=allocation,
        total=total,
        net_total=net,
        by_month=by_month,
        blended_cost_per_inquiry=blended,
        economics=economics,
        mix_from=mix_from,
        today_total=today_total,
    )
