"""Opportunities (with and without a lead) and monthly marketing spend per channel."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from workbook.synthetic.draws import (
    channel_share,
    draw_categories,
    labels,
    lead_ids,
    month_weights,
    observed,
    padded_ids,
    to_dates,
)
from workbook.synthetic.vocabulary import CHANNELS, FRAME_COLUMNS, PRODUCTS, SOURCES

# Spend per expected lead (EUR) and month-to-month noise (log sd) by channel.
_COST_PER_LEAD = np.array([60.0, 90.0, 150.0, 230.0, 55.0, 10.0, 25.0, 150.0])
_SPEND_NOISE = np.array([0.12, 0.10, 0.10, 0.30, 0.15, 0.05, 0.10, 0.20])

# Opportunities without a lead, per opportunity with one, and their sources.
_UNLINKED_PER_LINKED = 1.0
_UNLINKED_SOURCES = np.array([1, 2, 3, 4])  # codes in SOURCES: sales, partner, referral, renewal
_UNLINKED_SOURCE_SHARE = np.array([0.32, 0.06, 0.04, 0.08]) / 0.50
_UNLINKED_WIN_RATE = np.array([0.32, 0.30, 0.40, 0.85])
_UNLINKED_CYCLE = ((80.0, 0.5), (75.0, 0.5), (60.0, 0.5), (30.0, 0.5))
# Median first-year contract value (EUR) by sourced_by (SOURCES order).
_MEDIAN_AMOUNT = np.array([40_000.0, 55_000.0, 45_000.0, 50_000.0, 30_000.0])
_SEGMENT_AMOUNT = np.array([1.8, 1.0, 0.55])
_PRODUCT_AMOUNT = np.array([1.0, 0.8, 1.3])
_PRODUCT_SHARE = np.array([[0.40, 0.25, 0.35], [0.50, 0.30, 0.20], [0.60, 0.30, 0.10]])


def draw_opportunities(
    rng: np.random.Generator,
    leads: dict[str, Any],
    journeys: dict[str, Any],
    accounts: dict[str, Any],
    months: int,
    as_of: np.datetime64,
) -> pd.DataFrame:
    """One opportunity per lead that reached the stage, plus opportunities without a lead."""
    as_of_int = float(as_of.astype("int64"))
    lead_rows = np.flatnonzero(journeys["opp"] <= as_of_int)
    n_linked = lead_rows.size
    n_unlinked = round(n_linked * _UNLINKED_PER_LINKED)

    # Without a lead: sales, partner, referral and renewal opportunities, growing slowly.
    first_day, length, weight = month_weights(as_of, months, annual_growth=1.15)
    month = rng.choice(months, size=n_unlinked, p=weight / weight.sum())
    un_created = first_day[month] + np.floor(rng.random(n_unlinked) * length[month])
    un_source = rng.choice(len(_UNLINKED_SOURCES), size=n_unlinked, p=_UNLINKED_SOURCE_SHARE)
    un_won = rng.random(n_unlinked) < _UNLINKED_WIN_RATE[un_source]
    medians = np.array([m for m, _ in _UNLINKED_CYCLE])[un_source]
    sigmas = np.array([s for _, s in _UNLINKED_CYCLE])[un_source]
    cycle = np.maximum(1.0, np.rint(medians * np.exp(sigmas * rng.standard_normal(n_unlinked))))
    weights = accounts["propensity"] * np.where(accounts["segment"] == 2, 0.5, 1.0)
    un_account = rng.choice(len(weights), size=n_unlinked, p=weights / weights.sum())

    created = np.concatenate([journeys["opp"][lead_rows], un_created])
    closed_latent = np.concatenate([journeys["closed"][lead_rows], un_created + cycle])
    won = np.concatenate([journeys["won"][lead_rows], un_won])
    account = np.concatenate([leads["account"][lead_rows], un_account])
    sourced_by = np.concatenate([leads["sourced_by"][lead_rows], _UNLINKED_SOURCES[un_source]])
    lead_index = np.concatenate([lead_rows, np.full(n_unlinked, -1)])
    order = np.lexsort((lead_index < 0, created))
    created, closed_latent, won = created[order], closed_latent[order], won[order]
    account, sourced_by, lead_index = account[order], sourced_by[order], lead_index[order]

    n = created.size
    closed = observed(closed_latent, as_of_int)
    status = np.where(np.isnan(closed), "open", np.where(won, "won", "lost"))
    segment = accounts["segment"][account]
    product = draw_categories(rng, _PRODUCT_SHARE[segment])
    multiplier = _SEGMENT_AMOUNT[segment] * _PRODUCT_AMOUNT[product]
    median = _MEDIAN_AMOUNT[sourced_by]
    # Keep each source's median at its target whatever its segment and product mix.
    log_amount = np.log(multiplier) + 0.55 * rng.standard_normal(n)
    for source in range(len(SOURCES)):  # each source's median lands on its target
        rows = sourced_by == source
        if rows.any():
            log_amount[rows] -= np.median(log_amount[rows])
    amount = np.round(median * np.exp(log_amount), 2)

    lead_id = lead_ids(lead_index + 1, leads["n"]).where(lead_index >= 0, None)
    return pd.DataFrame(
        {
            "opportunity_id": padded_ids("OPP", np.arange(1, n + 1), max(5, len(str(n)))),
            "lead_id": lead_id,
            "account_id": accounts["id"].take(account).reset_index(drop=True),
            "created_at": to_dates(created),
            "closed_at": to_dates(closed),
            "status": pd.Series(status),
            "amount": amount,
            "sourced_by": labels(sourced_by, SOURCES),
            "product": labels(product, PRODUCTS),
        },
        columns=list(FRAME_COLUMNS["opportunities"]),
    )


def draw_spend(
    rng: np.random.Generator, n_leads: int, months: int, as_of: np.datetime64
) -> pd.DataFrame:
    """Monthly spend per channel: expected leads x cost per lead x noise, in EUR with cents."""
    first_day, _, weight = month_weights(as_of, months)
    expected_leads = n_leads * (weight / weight.sum())[:, None]
    expected_leads = expected_leads * channel_share(np.arange(months) / max(months - 1, 1))
    noise = np.exp(_SPEND_NOISE * rng.standard_normal((months, len(CHANNELS))))
    amount = np.round(expected_leads * _COST_PER_LEAD * noise, 2)
    month_text = first_day.astype("datetime64[D]").astype("datetime64[M]").astype("str")
    return pd.DataFrame(
        {
            "month": pd.Series(np.repeat(month_text, len(CHANNELS))),
            "channel": labels(np.tile(np.arange(len(CHANNELS)), months), CHANNELS),
            "amount": amount.ravel(),
        },
        columns=list(FRAME_COLUMNS["spend"]),
    )
