"""Accounts, leads and their latent journeys through the funnel, and the leads frame.

The planted story lives here: the ``mql -> sal`` leak, paid social's poor conversion,
hand-raisers who skip MQL, and about 1.5 % of leads registering twice.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from workbook.synthetic.draws import (
    calibrated_probability,
    channel_share,
    draw_categories,
    labels,
    lead_ids,
    lognormal_days,
    month_weights,
    observed,
    padded_ids,
    to_dates,
)
from workbook.synthetic.vocabulary import (
    CHANNELS,
    COMPANY_FORMS,
    COMPANY_PREFIXES,
    COMPANY_SECTORS,
    FRAME_COLUMNS,
    LAST_NAMES,
    PERSONAS,
    SEGMENTS,
    SOURCES,
    STEPS,
    TARGET_RATES,
)

# Logit effects on each step's conversion (rows: STEPS).
_CHANNEL_EFFECT = np.array(
    [
        [0.7, 0.2, -1.0, 0.4, -0.2, 0.3, 0.0, 0.9],
        [0.5, 0.1, -0.8, 0.2, -0.4, 0.2, -0.1, 0.8],
        [0.3, 0.1, -0.4, 0.1, -0.2, 0.1, 0.0, 0.4],
        [0.2, 0.0, -0.3, 0.1, -0.1, 0.1, 0.0, 0.3],
        [0.3, 0.0, -0.4, 0.1, -0.1, 0.1, 0.0, 0.4],
    ]
)
_PERSONA_EFFECT = np.array(
    [[0.2, 0.2, -0.3], [0.3, 0.1, -0.4], [0.4, 0.0, -0.3], [0.3, 0.1, -0.3], [0.3, 0.1, -0.2]]
)
_SEGMENT_EFFECT = np.array(
    [[0.1, 0.1, -0.1], [0.3, 0.1, -0.2], [0.2, 0.1, -0.1], [0.1, 0.1, -0.1], [-0.1, 0.1, 0.0]]
)
_INTENT_EFFECT = np.array([0.8, 0.6, 0.7, 0.4, 0.3])  # per sd of the latent buying intent
# Hand-raisers (demo requests) go straight to sales: sal_at set, mql_at empty.
_HAND_RAISER_SHARE = 0.03
_HAND_RAISER_CHANNEL_EFFECT = np.array([0.8, 0.3, -1.0, 0.6, -0.5, 0.6, 0.0, 0.5])

# Days between stages: lognormal (median, log sd).
_LAG = {
    "inquiry_mql": (12.0, 0.8),
    "mql_sal": (8.0, 0.7),
    "inquiry_sal": (4.0, 0.7),  # hand-raisers
    "sal_sql": (20.0, 0.6),
    "sql_opportunity": (15.0, 0.6),
    "opportunity_won": (70.0, 0.5),
    "opportunity_lost": (55.0, 0.6),
}
# Days from the last stage reached to disqualification, by the stage the lead failed to leave.
_DQ_LAG = {"inquiry": (45.0, 0.7), "mql": (10.0, 0.7), "sal": (25.0, 0.6), "sql": (20.0, 0.6)}
_SEGMENT_SPEED = np.array([1.25, 1.0, 0.8])  # cycle-time multiplier from sal on

_ACCOUNTS_PER_LEAD = 0.15
_SEGMENT_SHARE = np.array([0.12, 0.33, 0.55])
_SEGMENT_LEADS = np.array([4.0, 2.0, 1.0])  # relative leads per account
_PERSONA_SHARE = np.array([[0.30, 0.40, 0.30], [0.25, 0.40, 0.35], [0.22, 0.38, 0.40]])
_DUPLICATE_SHARE = 0.015


def draw_accounts(rng: np.random.Generator, n_leads: int) -> dict[str, Any]:
    """Accounts: segment, lead propensity, id, company name and e-mail domain."""
    n = max(20, round(n_leads * _ACCOUNTS_PER_LEAD))
    segment = rng.choice(len(SEGMENTS), size=n, p=_SEGMENT_SHARE)
    propensity = np.exp(rng.standard_normal(n)) * _SEGMENT_LEADS[segment]
    combos = len(COMPANY_PREFIXES) * len(COMPANY_SECTORS) * len(COMPANY_FORMS)
    pick = rng.choice(combos, size=n, replace=n > combos)
    prefix, rest = np.divmod(pick, len(COMPANY_SECTORS) * len(COMPANY_FORMS))
    sector, form = np.divmod(rest, len(COMPANY_FORMS))
    prefixes = labels(prefix, COMPANY_PREFIXES)
    sectors = labels(sector, COMPANY_SECTORS)
    numbers = np.arange(1, n + 1)
    company = prefixes + " " + sectors + " " + labels(form, COMPANY_FORMS)
    domain = (
        prefixes.str.lower()
        + "-"
        + sectors.str.lower()
        + pd.Series(numbers).astype("str")
        + ".example"
    )
    return {
        "segment": segment,
        "propensity": propensity,
        "id": padded_ids("ACC", numbers, max(5, len(str(n)))),
        "company": company,
        "domain": domain,
    }


def draw_leads(
    rng: np.random.Generator,
    n: int,
    months: int,
    as_of: np.datetime64,
    accounts: dict[str, Any],
) -> dict[str, Any]:
    """Lead attributes, in creation order; duplicates copy an earlier lead's person."""
    first_day, length, weight = month_weights(as_of, months)
    month = rng.choice(months, size=n, p=weight / weight.sum())
    created = np.sort(first_day[month] + np.floor(rng.random(n) * length[month]))
    month = np.searchsorted(first_day, created, side="right") - 1
    progress = month / max(months - 1, 1)

    channel = draw_categories(rng, channel_share(progress))
    account = rng.choice(
        len(accounts["segment"]), size=n, p=accounts["propensity"] / accounts["propensity"].sum()
    )
    persona = draw_categories(rng, _PERSONA_SHARE[accounts["segment"][account]])

    # ~1.5 % re-register: same person (account, persona, e-mail up to case and spaces).
    duplicate = rng.random(n) < _DUPLICATE_SHARE
    duplicate[0] = False
    originals = np.flatnonzero(~duplicate)
    dup_rows = np.flatnonzero(duplicate)
    earlier = np.searchsorted(originals, dup_rows)  # originals before each duplicate (>= 1)
    source = originals[np.floor(rng.random(dup_rows.size) * earlier).astype("int64")]
    account[dup_rows] = account[source]
    persona[dup_rows] = persona[source]

    partner = channel == CHANNELS.index("partner_referral")
    events = channel == CHANNELS.index("events")
    u = rng.random(n)
    sourced_by = np.where(  # codes in SOURCES
        partner,
        np.where(u < 0.7, 2, 3),
        np.where(u < np.where(events, 0.15, 0.05), 1, 0),
    )

    initials = np.array(list("abcdefghijklmnopqrstuvwxyz"))[rng.integers(0, 26, n)]
    last_names = np.array(LAST_NAMES)[rng.integers(0, len(LAST_NAMES), n)]
    email = (
        pd.Series(initials)
        + "."
        + pd.Series(last_names)
        + pd.Series(np.arange(1, n + 1)).astype("str")
        + "@"
        + accounts["domain"].take(account).reset_index(drop=True)
    )
    email = _duplicate_emails(rng, email, dup_rows, source)
    return {
        "n": n,
        "created": created,
        "channel": channel,
        "persona": persona,
        "segment": accounts["segment"][account],
        "account": account,
        "sourced_by": sourced_by,
        "email": email,
        "intent": rng.standard_normal(n),
    }


def _duplicate_emails(
    rng: np.random.Generator, email: pd.Series, rows: np.ndarray, source: np.ndarray
) -> pd.Series:
    """Give each duplicate row its source's e-mail, changed in case and/or stray spaces."""
    if rows.size == 0:
        return email
    base = email.take(source).reset_index(drop=True)
    variant = rng.integers(0, 5, rows.size)
    candidates = [
        base.str.upper(),
        " " + base,
        base + " ",
        base.str.capitalize(),
        base.str.upper() + "  ",
    ]
    changed = candidates[0].copy()
    for k in range(1, len(candidates)):
        changed = changed.where(variant != k, candidates[k])
    out = email.copy()
    out.iloc[rows] = changed.to_numpy()
    return out


def simulate_journeys(rng: np.random.Generator, leads: dict[str, Any]) -> dict[str, Any]:
    """Latent (uncensored) stage days of every lead; censoring at as_of comes later.

    Each step passes with a probability from channel, persona, segment and buying intent,
    calibrated so the naive rates match :data:`TARGET_RATES` (hand-raisers, who skip MQL,
    count as reaching mql and sal on the same day, as the contract reads them).
    """
    n = leads["n"]
    created = leads["created"]
    channel, persona, segment = leads["channel"], leads["persona"], leads["segment"]
    intent = leads["intent"]
    eta = (
        _CHANNEL_EFFECT[:, channel]
        + _PERSONA_EFFECT[:, persona]
        + _SEGMENT_EFFECT[:, segment]
        + _INTENT_EFFECT[:, None] * intent
    )
    u = rng.random((len(STEPS) + 1, n))
    speed = _SEGMENT_SPEED[segment]
    lag = {key: lognormal_days(rng, n, *params) for key, params in _LAG.items()}
    for key in ("sal_sql", "sql_opportunity", "opportunity_won", "opportunity_lost"):
        lag[key] = np.maximum(1.0, np.rint(lag[key] * speed))
    dq_lag = {key: lognormal_days(rng, n, *params) for key, params in _DQ_LAG.items()}

    hand_raiser = u[-1] < calibrated_probability(
        _HAND_RAISER_CHANNEL_EFFECT[channel] + 0.8 * intent, _HAND_RAISER_SHARE
    )
    h = float(hand_raiser.mean())
    mql_target = TARGET_RATES["inquiry_mql"]
    # the scored steps make up what hand-raisers do not (a handful of leads can leave nothing)
    rate_inquiry_mql = (mql_target - h) / (1.0 - h) if h < 1.0 else 0.0
    rate_mql_sal = (
        (mql_target * TARGET_RATES["mql_sal"] - h) / (mql_target - h) if h < mql_target else 0.0
    )

    def step(entered: np.ndarray, k: int, target: float) -> np.ndarray:
        passed = np.zeros(n, dtype=bool)
        rows = np.flatnonzero(entered)
        passed[rows] = u[k, rows] < calibrated_probability(eta[k, rows], target)
        return passed

    to_mql = step(~hand_raiser, 0, rate_inquiry_mql)
    to_sal_scored = step(to_mql, 1, rate_mql_sal)
    in_sal = hand_raiser | to_sal_scored
    in_sql = step(in_sal, 2, TARGET_RATES["sal_sql"])
    in_opp = step(in_sql, 3, TARGET_RATES["sql_opportunity"])
    won = step(in_opp, 4, TARGET_RATES["opportunity_won"])

    nan = np.full(n, np.nan)
    mql = np.where(to_mql, created + lag["inquiry_mql"], nan)
    sal = np.where(
        hand_raiser, created + lag["inquiry_sal"], np.where(in_sal, mql + lag["mql_sal"], nan)
    )
    sql = np.where(in_sql, sal + lag["sal_sql"], nan)
    opp = np.where(in_opp, sql + lag["sql_opportunity"], nan)
    closed = np.where(won, opp + lag["opportunity_won"], opp + lag["opportunity_lost"])
    dq = np.select(
        [
            ~hand_raiser & ~to_mql,
            to_mql & ~in_sal,
            in_sal & ~in_sql,
            in_sql & ~in_opp,
        ],
        [
            created + dq_lag["inquiry"],
            mql + dq_lag["mql"],
            sal + dq_lag["sal"],
            sql + dq_lag["sql"],
        ],
        default=np.nan,
    )
    return {
        "mql": mql,
        "sal": sal,
        "sql": sql,
        "opp": opp,
        "closed": closed,
        "won": won,
        "dq": dq,
        "hand_raiser": hand_raiser,
    }


def leads_frame(
    leads: dict[str, Any], journeys: dict[str, Any], accounts: dict[str, Any], as_of_int: float
) -> pd.DataFrame:
    """The leads frame: stage dates seen at ``as_of`` (later ones empty), labels and ids."""
    n = leads["n"]
    account = leads["account"]
    return pd.DataFrame(
        {
            "lead_id": lead_ids(np.arange(1, n + 1), n),
            "created_at": to_dates(leads["created"]),
            "mql_at": to_dates(observed(journeys["mql"], as_of_int)),
            "sal_at": to_dates(observed(journeys["sal"], as_of_int)),
            "sql_at": to_dates(observed(journeys["sql"], as_of_int)),
            "disqualified_at": to_dates(observed(journeys["dq"], as_of_int)),
            "source_channel": labels(leads["channel"], CHANNELS),
            "sourced_by": labels(leads["sourced_by"], SOURCES),
            "persona": labels(leads["persona"], PERSONAS),
            "segment": labels(leads["segment"], SEGMENTS),
            "account_id": accounts["id"].take(account).reset_index(drop=True),
            "company": accounts["company"].take(account).reset_index(drop=True),
            "email": leads["email"],
        },
        columns=list(FRAME_COLUMNS["leads"]),
    )
