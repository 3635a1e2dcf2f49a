"""Synthetic engagement data: the bundled sample client and benchmark-scale inputs.

:func:`generate_engagement` draws a complete, internally consistent engagement (leads with
their stage dates, opportunities, monthly spend, the content inventory and lead touches) for a
fictional mid-size B2B industrial-software vendor. The data has a story planted in it, so an
analysis can be checked against what it should find:

- the ``mql -> sal`` step leaks: only about 45 % of MQLs are accepted by sales, against about
  25 % inquiry -> mql, 60 % sal -> sql, 55 % sql -> opportunity and 28 % opportunity -> won;
- ``paid_social`` takes a large and growing share of spend for leads that rarely convert,
  while ``webinar`` and ``partner_referral`` return many times their spend;
- the content inventory has gaps (economic_buyer x decision has no asset,
  technical_evaluator x retention and end_user x consideration one each), five untagged assets
  and six stale ones;
- touches carry a lead-scoring signal: leads that reach SQL read more decision-stage content
  and are busier in the 30 days before their SQL date.

Everything is vectorised with numpy (a million leads and about five million touches take
seconds) and seeded: the same arguments always give the same frames.

:func:`write_engagement` writes the frames as an engagement folder, either as a clean English
export or as a French CRM export (semicolons, BOM, day-first dates, decimal commas).

See Also
--------
workbook.intake.io.load_engagement : reads the folder this module writes.
workbook.intake.schema.column_rules : the contract's columns the frames carry.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

# --- vocabulary ----------------------------------------------------------------------------

CHANNELS: tuple[str, ...] = (
    "webinar",
    "paid_search",
    "paid_social",
    "events",
    "content_syndication",
    "organic",
    "email",
    "partner_referral",
)
PERSONAS: tuple[str, ...] = ("economic_buyer", "technical_evaluator", "end_user")
SEGMENTS: tuple[str, ...] = ("enterprise", "mid_market", "smb")
BUYING_STAGES: tuple[str, ...] = ("awareness", "consideration", "decision", "retention")
PRODUCTS: tuple[str, ...] = ("Core", "Analytics", "IoT Suite")
#: ``sourced_by`` values; leads use the first four.
SOURCES: tuple[str, ...] = ("marketing", "sales", "partner", "referral", "renewal")
STEPS: tuple[str, ...] = ("inquiry_mql", "mql_sal", "sal_sql", "sql_opportunity", "opportunity_won")

#: Naive conversion rates the sample is calibrated to (converted / entered, uncensored).
TARGET_RATES: Mapping[str, float] = {
    "inquiry_mql": 0.25,
    "mql_sal": 0.45,
    "sal_sql": 0.60,
    "sql_opportunity": 0.55,
    "opportunity_won": 0.28,
}

#: Columns of each frame, in the contract's order.
FRAME_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "leads": (
        "lead_id",
        "created_at",
        "mql_at",
        "sal_at",
        "sql_at",
        "disqualified_at",
        "source_channel",
        "sourced_by",
        "persona",
        "segment",
        "account_id",
        "company",
        "email",
    ),
    "opportunities": (
        "opportunity_id",
        "lead_id",
        "account_id",
        "created_at",
        "closed_at",
        "status",
        "amount",
        "sourced_by",
        "product",
    ),
    "spend": ("month", "channel", "amount"),
    "content": (
        "asset_id",
        "title",
        "format",
        "persona",
        "buying_stage",
        "channel",
        "published_at",
        "views",
    ),
    "touches": ("lead_id", "touched_at", "channel", "asset_id"),
}

# --- the story's parameters ----------------------------------------------------------------

_ANNUAL_GROWTH = 1.40  # lead volume growth per year
_SEASON = np.array([0.95, 1.0, 1.08, 1.05, 1.02, 0.97, 0.85, 0.55, 1.08, 1.12, 1.08, 0.80])
# Share of leads per first-touch channel at the start and at the end of the period:
# paid social is scaled up over the two years.
_CHANNEL_SHARE_START = np.array([0.13, 0.18, 0.14, 0.10, 0.15, 0.13, 0.10, 0.07])
_CHANNEL_SHARE_END = np.array([0.11, 0.16, 0.28, 0.08, 0.13, 0.11, 0.08, 0.05])
# Spend per expected lead (EUR) and month-to-month noise (log sd) by channel.
_COST_PER_LEAD = np.array([60.0, 90.0, 150.0, 230.0, 55.0, 10.0, 25.0, 150.0])
_SPEND_NOISE = np.array([0.12, 0.10, 0.10, 0.30, 0.15, 0.05, 0.10, 0.20])

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

_ACCOUNTS_PER_LEAD = 0.15
_SEGMENT_SHARE = np.array([0.12, 0.33, 0.55])
_SEGMENT_LEADS = np.array([4.0, 2.0, 1.0])  # relative leads per account
_PERSONA_SHARE = np.array([[0.30, 0.40, 0.30], [0.25, 0.40, 0.35], [0.22, 0.38, 0.40]])
_DUPLICATE_SHARE = 0.015

# Touches: (awareness, consideration, decision, retention) mix by kind of touch.
_TOUCH_KINDS = ("first", "active", "mql_trigger", "pre_sql", "nurture", "after")
_STAGE_MIX = np.array(
    [
        [0.65, 0.30, 0.05, 0.00],
        [0.45, 0.35, 0.15, 0.05],
        [0.30, 0.50, 0.20, 0.00],
        [0.10, 0.35, 0.55, 0.00],
        [0.70, 0.25, 0.05, 0.00],
        [0.45, 0.30, 0.15, 0.10],
    ]
)
_AFTER_WON_MIX = np.array([0.05, 0.10, 0.15, 0.70])
_TOUCH_CHANNEL_MIX = np.array([0.10, 0.10, 0.10, 0.05, 0.05, 0.15, 0.45, 0.00])
_FIRST_TOUCH_NO_ASSET = np.array([0.15, 0.50, 0.20, 0.80, 0.10, 0.15, 0.15, 0.80])

# Content inventory: assets per persona x buying stage (rows PERSONAS, columns BUYING_STAGES).
_CONTENT_CELLS = np.array([[6, 5, 0, 3], [6, 8, 7, 1], [6, 1, 5, 7]])
# Untagged assets: (persona, buying_stage), None = untagged.
_UNTAGGED = (
    (None, "awareness"),
    (None, "awareness"),
    (None, "consideration"),
    ("technical_evaluator", None),
    ("end_user", None),
)
# Stale assets (published 19-40 months before as_of), chosen outside the gap cells.
_STALE_CELLS = (
    ("economic_buyer", "awareness"),
    ("technical_evaluator", "awareness"),
    ("technical_evaluator", "consideration"),
    ("technical_evaluator", "decision"),
    ("end_user", "decision"),
    ("end_user", "retention"),
)
_STAGE_FORMATS = {
    "awareness": ("blog", "ebook", "whitepaper", "checklist"),
    "consideration": ("webinar", "whitepaper", "datasheet", "demo_video"),
    "decision": ("case_study", "roi_calculator", "demo_video", "datasheet"),
    "retention": ("webinar", "checklist", "blog", "demo_video"),
    None: ("blog", "whitepaper", "datasheet"),
}
_FORMAT_CHANNEL = {
    "whitepaper": "content_syndication",
    "ebook": "content_syndication",
    "webinar": "webinar",
    "blog": "organic",
    "checklist": "organic",
    "case_study": "email",
    "datasheet": "email",
    "demo_video": "paid_social",
    "roi_calculator": "paid_search",
}
_TOPICS = (
    "predictive maintenance",
    "OEE tracking",
    "energy monitoring",
    "shop-floor analytics",
    "IIoT connectivity",
    "MES integration",
    "quality inspection",
    "spare-parts planning",
    "remote asset monitoring",
    "production scheduling",
    "digital twins",
    "OT cybersecurity",
)
_READER = {
    "economic_buyer": "CFO",
    "technical_evaluator": "engineer",
    "end_user": "operator",
    None: "plant manager",
}

_COMPANY_PREFIXES = (
    "Nordwind", "Alpenrand", "Rheinfeld", "Baltica", "Iberon", "Lumetra", "Vectis", "Atlantor",
    "Heliad", "Orionis", "Castellan", "Stahlberg", "Falkner", "Brennwald", "Meridane", "Polaris",
    "Tessaro", "Corvane", "Ardenne", "Silvaro", "Grauholz", "Kestrel", "Lindqvist", "Marisol",
    "Novacor", "Ostrava", "Pyrene", "Quadrant", "Rosenau", "Sundby",
)  # fmt: skip
_COMPANY_SECTORS = (
    "Logistics", "Metalworks", "Plastics", "Packaging", "Automotive", "Foods", "Chemicals",
    "Energy", "Machinery", "Pharma", "Textiles", "Aerospace", "Robotics", "Components",
    "Castings", "Hydraulics", "Paper", "Glassworks", "Electronics", "Water",
)  # fmt: skip
_COMPANY_FORMS = ("GmbH", "SA", "SAS", "AG", "Ltd", "BV", "SpA", "AB", "Oy", "Inc")
_LAST_NAMES = (
    "martin", "bernard", "dubois", "durand", "leroy", "moreau", "schmidt", "mueller", "weber",
    "fischer", "rossi", "russo", "bianchi", "garcia", "lopez", "fernandez", "smith", "jones",
    "taylor", "brown", "jansen", "devries", "nowak", "kowalski", "novak", "horvat", "nielsen",
    "hansen", "lindberg", "virtanen", "silva", "santos", "murphy", "kelly", "peeters", "janssens",
    "wagner", "becker", "ricci", "moretti",
)  # fmt: skip

_STAKEHOLDERS = (
    {"name": "Claire Dubois", "role": "Chief Executive Officer", "function": "executive"},
    {"name": "Martin Keller", "role": "VP Sales EMEA", "function": "sales"},
    {"name": "Sofia Marchetti", "role": "Head of Product", "function": "product"},
    {"name": "Jonas Lindqvist", "role": "Marketing Director", "function": "marketing"},
    {"name": "Aicha Benali", "role": "Revenue Operations Manager", "function": "operations"},
    {"name": "Tomasz Nowak", "role": "Chief Information Officer", "function": "technology"},
)

_EPOCH_MINUTE = np.datetime64(0, "m")


# --- small vectorised helpers ----------------------------------------------------------------


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p: float) -> float:
    return float(np.log(p / (1.0 - p)))


def _calibrated_probability(eta: np.ndarray, target_rate: float) -> np.ndarray:
    """Probabilities ``expit(a + eta)`` with the intercept ``a`` set so they average ``target_rate``.

    Newton's method on the intercept; ``eta`` holds each row's logit effects. A target of 0
    or less (possible for a handful of leads, where hand-raisers alone exceed the step's
    rate) gives 0 everywhere, and one of 1 or more gives 1.

    Examples
    --------
    >>> _calibrated_probability(np.zeros(2), -0.1).tolist(), _calibrated_probability(np.zeros(2), 1.0).tolist()
    ([0.0, 0.0], [1.0, 1.0])
    """
    if eta.size == 0:
        return eta.astype(float)
    if not 0.0 < target_rate < 1.0:
        return np.full(eta.shape, 1.0 if target_rate >= 1.0 else 0.0)
    a = _logit(target_rate) - float(np.mean(eta))
    for _ in range(50):
        p = _expit(a + eta)
        gap = float(p.mean()) - target_rate
        if abs(gap) < 1e-12:
            break
        a -= gap / max(float(np.mean(p * (1.0 - p))), 1e-12)
    return _expit(a + eta)


def _draw_categories(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One category index per row of a (rows, categories) probability matrix."""
    cumulative = np.cumsum(probabilities, axis=1)
    cumulative /= cumulative[:, -1:]
    u = rng.random(len(probabilities))
    return np.minimum((u[:, None] > cumulative).sum(axis=1), probabilities.shape[1] - 1)


def _lognormal_days(
    rng: np.random.Generator, size: int, median_days: float, sigma: float
) -> np.ndarray:
    """Whole days (>= 1) from a lognormal with the given median and log standard deviation."""
    return np.maximum(1.0, np.rint(median_days * np.exp(sigma * rng.standard_normal(size))))


def _labels(codes: np.ndarray, names: tuple[str, ...] | list[str]) -> pd.Series:
    """Category codes as a string Series of their names (code -1 = missing)."""
    return pd.Series(pd.array(list(names), dtype="str").take(codes, allow_fill=True))


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pd.Series:
    """``prefix`` + zero-padded numbers, as a string Series (``ACC00042``)."""
    return prefix + pd.Series(numbers, dtype="int64").astype("str").str.zfill(width)


def _to_dates(days: np.ndarray) -> pd.Series:
    """Days since 1970-01-01 (float, NaN = missing) as a datetime Series (NaT = missing)."""
    out = np.full(days.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    known = ~np.isnan(days)
    out[known] = days[known].astype("int64").astype("datetime64[D]")
    return pd.Series(out.astype("datetime64[s]"))


def _month_calendar(as_of: np.datetime64, months: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First day (days since epoch), length in days (cut at as_of) and calendar month (0-11)."""
    last = as_of.astype("datetime64[M]")
    starts = np.arange(last - (months - 1), last + 1)
    first_day = starts.astype("datetime64[D]")
    next_first = (starts + 1).astype("datetime64[D]")
    end = np.minimum(next_first, as_of + 1)
    length = (end - first_day).astype("int64")
    calendar_month = starts.astype("int64") % 12
    return first_day.astype("int64"), length, calendar_month


def _channel_share(progress: np.ndarray) -> np.ndarray:
    """Channel mix (rows, channels) at a point 0..1 through the period."""
    return _CHANNEL_SHARE_START + np.outer(progress, _CHANNEL_SHARE_END - _CHANNEL_SHARE_START)


# --- the generator ---------------------------------------------------------------------------


def generate_engagement(
    *,
    n_leads: int = 20_000,
    months: int = 24,
    as_of: str | dt.date = "2026-09-30",
    seed: int = 7,
) -> dict[str, pd.DataFrame]:
    """Draw a synthetic engagement: leads, opportunities, spend, content and touches.

    Parameters
    ----------
    n_leads : int
        Number of leads (inquiries); accounts, opportunities, spend and touches scale with it
        (about 0.15 accounts, 0.08 opportunities and 5 touches per lead). The content inventory
        is always 60 assets.
    months : int
        Length of the history in calendar months, ending with the month of ``as_of``.
    as_of : str or datetime.date
        Snapshot date (ISO ``YYYY-MM-DD`` text): no date in the output falls after it; leads and
        opportunities still in progress stay open.
    seed : int
        Seed of ``np.random.default_rng``: the same arguments give the same frames.

    Returns
    -------
    dict of str to DataFrame
        ``leads``, ``opportunities``, ``spend``, ``content`` and ``touches``, each with exactly
        the contract's columns in the contract's order (:data:`FRAME_COLUMNS`). Dates are
        ``datetime64`` (midnight; ``touched_at`` carries a time of day), missing dates ``NaT``;
        ``spend.month`` is text ``YYYY-MM``; amounts are EUR floats rounded to cents.

    Raises
    ------
    ValueError
        When ``n_leads`` or ``months`` is below 1 or ``as_of`` is not an ISO date.

    See Also
    --------
    write_engagement : writes the frames as an engagement folder.
    sample_config : the engagement.yaml that goes with the bundled sample.

    Examples
    --------
    >>> frames = generate_engagement(n_leads=500, seed=1)
    >>> sorted(frames)
    ['content', 'leads', 'opportunities', 'spend', 'touches']
    >>> len(frames["leads"])
    500
    """
    if n_leads < 1:
        raise ValueError(f"n_leads must be at least 1, got {n_leads}")
    if months < 1:
        raise ValueError(f"months must be at least 1, got {months}")
    try:
        day = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(as_of)
        as_of_day = np.datetime64(day, "D")
    except (TypeError, ValueError):
        raise ValueError(f"as_of must be an ISO date like 2026-09-30, got {as_of!r}") from None
    rng = np.random.default_rng(seed)
    as_of_int = float(as_of_day.astype("int64"))

    accounts = _draw_accounts(rng, n_leads)
    leads = _draw_leads(rng, n_leads, months, as_of_day, accounts)
    journeys = _simulate_journeys(rng, leads)
    opportunities = _draw_opportunities(rng, leads, journeys, accounts, months, as_of_day)
    spend = _draw_spend(rng, n_leads, months, as_of_day)
    content = _draw_content(rng, as_of_day)
    touches, views = _draw_touches(rng, leads, journeys, content, as_of_int)
    return {
        "leads": _leads_frame(leads, journeys, accounts, as_of_int),
        "opportunities": opportunities,
        "spend": spend,
        "content": _content_frame(content, views),
        "touches": touches,
    }


def _draw_accounts(rng: np.random.Generator, n_leads: int) -> dict[str, Any]:
    """Accounts: segment, lead propensity, id, company name and e-mail domain."""
    n = max(20, round(n_leads * _ACCOUNTS_PER_LEAD))
    segment = rng.choice(len(SEGMENTS), size=n, p=_SEGMENT_SHARE)
    propensity = np.exp(rng.standard_normal(n)) * _SEGMENT_LEADS[segment]
    combos = len(_COMPANY_PREFIXES) * len(_COMPANY_SECTORS) * len(_COMPANY_FORMS)
    pick = rng.choice(combos, size=n, replace=n > combos)
    prefix, rest = np.divmod(pick, len(_COMPANY_SECTORS) * len(_COMPANY_FORMS))
    sector, form = np.divmod(rest, len(_COMPANY_FORMS))
    prefixes = _labels(prefix, _COMPANY_PREFIXES)
    sectors = _labels(sector, _COMPANY_SECTORS)
    numbers = np.arange(1, n + 1)
    company = prefixes + " " + sectors + " " + _labels(form, _COMPANY_FORMS)
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
        "id": _ids("ACC", numbers, max(5, len(str(n)))),
        "company": company,
        "domain": domain,
    }


def _draw_leads(
    rng: np.random.Generator,
    n: int,
    months: int,
    as_of: np.datetime64,
    accounts: dict[str, Any],
) -> dict[str, Any]:
    """Lead attributes, in creation order; duplicates copy an earlier lead's person."""
    first_day, length, calendar_month = _month_calendar(as_of, months)
    growth = _ANNUAL_GROWTH ** (np.arange(months) / 12.0)
    weight = growth * _SEASON[calendar_month] * length / 30.44
    month = rng.choice(months, size=n, p=weight / weight.sum())
    created = np.sort(first_day[month] + np.floor(rng.random(n) * length[month]))
    month = np.searchsorted(first_day, created, side="right") - 1
    progress = month / max(months - 1, 1)

    channel = _draw_categories(rng, _channel_share(progress))
    account = rng.choice(
        len(accounts["segment"]), size=n, p=accounts["propensity"] / accounts["propensity"].sum()
    )
    persona = _draw_categories(rng, _PERSONA_SHARE[accounts["segment"][account]])

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
    last_names = np.array(_LAST_NAMES)[rng.integers(0, len(_LAST_NAMES), n)]
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


def _simulate_journeys(rng: np.random.Generator, leads: dict[str, Any]) -> dict[str, Any]:
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
    lag = {key: _lognormal_days(rng, n, *params) for key, params in _LAG.items()}
    for key in ("sal_sql", "sql_opportunity", "opportunity_won", "opportunity_lost"):
        lag[key] = np.maximum(1.0, np.rint(lag[key] * speed))
    dq_lag = {key: _lognormal_days(rng, n, *params) for key, params in _DQ_LAG.items()}

    hand_raiser = u[-1] < _calibrated_probability(
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
        passed[rows] = u[k, rows] < _calibrated_probability(eta[k, rows], target)
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


def _observed(days: np.ndarray, as_of_int: float) -> np.ndarray:
    """Latent days with those after as_of (not reached yet) set to NaN."""
    return np.where(days <= as_of_int, days, np.nan)


def _leads_frame(
    leads: dict[str, Any], journeys: dict[str, Any], accounts: dict[str, Any], as_of_int: float
) -> pd.DataFrame:
    n = leads["n"]
    account = leads["account"]
    return pd.DataFrame(
        {
            "lead_id": _ids("L", np.arange(1, n + 1), max(6, len(str(n)))),
            "created_at": _to_dates(leads["created"]),
            "mql_at": _to_dates(_observed(journeys["mql"], as_of_int)),
            "sal_at": _to_dates(_observed(journeys["sal"], as_of_int)),
            "sql_at": _to_dates(_observed(journeys["sql"], as_of_int)),
            "disqualified_at": _to_dates(_observed(journeys["dq"], as_of_int)),
            "source_channel": _labels(leads["channel"], CHANNELS),
            "sourced_by": _labels(leads["sourced_by"], SOURCES),
            "persona": _labels(leads["persona"], PERSONAS),
            "segment": _labels(leads["segment"], SEGMENTS),
            "account_id": accounts["id"].take(account).reset_index(drop=True),
            "company": accounts["company"].take(account).reset_index(drop=True),
            "email": leads["email"],
        },
        columns=list(FRAME_COLUMNS["leads"]),
    )


def _draw_opportunities(
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
    first_day, length, calendar_month = _month_calendar(as_of, months)
    weight = 1.15 ** (np.arange(months) / 12.0) * _SEASON[calendar_month] * length / 30.44
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
    closed = _observed(closed_latent, as_of_int)
    status = np.where(np.isnan(closed), "open", np.where(won, "won", "lost"))
    segment = accounts["segment"][account]
    product = _draw_categories(rng, _PRODUCT_SHARE[segment])
    multiplier = _SEGMENT_AMOUNT[segment] * _PRODUCT_AMOUNT[product]
    median = _MEDIAN_AMOUNT[sourced_by]
    # Keep each source's median at its target whatever its segment and product mix.
    log_amount = np.log(multiplier) + 0.55 * rng.standard_normal(n)
    for source in range(len(SOURCES)):  # each source's median lands on its target
        rows = sourced_by == source
        if rows.any():
            log_amount[rows] -= np.median(log_amount[rows])
    amount = np.round(median * np.exp(log_amount), 2)

    lead_width = max(6, len(str(leads["n"])))
    lead_id = _ids("L", lead_index + 1, lead_width).where(lead_index >= 0, None)
    return pd.DataFrame(
        {
            "opportunity_id": _ids("OPP", np.arange(1, n + 1), max(5, len(str(n)))),
            "lead_id": lead_id,
            "account_id": accounts["id"].take(account).reset_index(drop=True),
            "created_at": _to_dates(created),
            "closed_at": _to_dates(closed),
            "status": pd.Series(status),
            "amount": amount,
            "sourced_by": _labels(sourced_by, SOURCES),
            "product": _labels(product, PRODUCTS),
        },
        columns=list(FRAME_COLUMNS["opportunities"]),
    )


def _draw_spend(
    rng: np.random.Generator, n_leads: int, months: int, as_of: np.datetime64
) -> pd.DataFrame:
    """Monthly spend per channel: expected leads x cost per lead x noise, in EUR with cents."""
    first_day, length, calendar_month = _month_calendar(as_of, months)
    growth = _ANNUAL_GROWTH ** (np.arange(months) / 12.0)
    weight = growth * _SEASON[calendar_month] * length / 30.44
    expected_leads = n_leads * (weight / weight.sum())[:, None]
    expected_leads = expected_leads * _channel_share(np.arange(months) / max(months - 1, 1))
    noise = np.exp(_SPEND_NOISE * rng.standard_normal((months, len(CHANNELS))))
    amount = np.round(expected_leads * _COST_PER_LEAD * noise, 2)
    month_text = first_day.astype("datetime64[D]").astype("datetime64[M]").astype("str")
    return pd.DataFrame(
        {
            "month": pd.Series(np.repeat(month_text, len(CHANNELS))),
            "channel": _labels(np.tile(np.arange(len(CHANNELS)), months), CHANNELS),
            "amount": amount.ravel(),
        },
        columns=list(FRAME_COLUMNS["spend"]),
    )


def _draw_content(rng: np.random.Generator, as_of: np.datetime64) -> dict[str, Any]:
    """The 60-asset inventory with its planted gaps, untagged and stale assets.

    Returns arrays indexed by asset (sorted by publication day, so A001 is the oldest):
    persona and stage codes (-1 = untagged), format, channel, title and publication day.
    """
    cells = [
        (PERSONAS[p], BUYING_STAGES[s])
        for p in range(len(PERSONAS))
        for s in range(len(BUYING_STAGES))
        for _ in range(_CONTENT_CELLS[p, s])
    ]
    cells += list(_UNTAGGED)
    n = len(cells)
    stale = np.zeros(n, dtype=bool)
    for cell in _STALE_CELLS:
        stale[cells.index(cell)] = True
    as_of_int = int(as_of.astype("int64"))
    age_days = np.where(
        stale,
        rng.uniform(19 * 30.44, 40 * 30.44, n),
        rng.uniform(0.5 * 30.44, 17.5 * 30.44, n),
    )
    published = as_of_int - np.floor(age_days)
    order = np.argsort(published, kind="stable")
    cells = [cells[i] for i in order]
    published = published[order]

    formats = [
        _STAGE_FORMATS[stage][int(k) % len(_STAGE_FORMATS[stage])]
        for (_, stage), k in zip(cells, rng.integers(0, 12, n), strict=True)
    ]
    # Titles: a template per format and buying stage, each topic used once per template.
    topic_order = rng.permutation(len(_TOPICS))
    customers = rng.permutation(len(_COMPANY_PREFIXES))
    titles: list[str] = []
    for i, (fmt, (persona, stage)) in enumerate(zip(formats, cells, strict=True)):
        customer = _COMPANY_PREFIXES[int(customers[i % len(customers)])]
        candidates = (
            _title(fmt, stage, _TOPICS[int(topic_order[(i + k) % len(_TOPICS)])], persona, customer)
            for k in range(len(_TOPICS))
        )
        title = next((t for t in candidates if t not in titles), None)
        titles.append(title or f"{_title(fmt, stage, _TOPICS[0], persona, customer)} ({i + 1})")
    return {
        "n": n,
        "persona": np.array([PERSONAS.index(p) if p else -1 for p, _ in cells]),
        "stage": np.array([BUYING_STAGES.index(s) if s else -1 for _, s in cells]),
        "format": formats,
        "channel": [_FORMAT_CHANNEL[f] for f in formats],
        "title": titles,
        "published": published,
    }


def _title(fmt: str, stage: str | None, topic: str, persona: str | None, customer: str) -> str:
    """A plausible asset title for a format, buying stage, topic, reader and customer name."""
    cap = topic[0].upper() + topic[1:]
    reader = _READER[persona]
    if stage == "retention":
        return {
            "webinar": f"Customer webinar: getting more from {topic}",
            "checklist": f"{cap} health check for existing sites",
            "blog": f"What's new in {topic}: release highlights",
            "demo_video": f"Tips and tricks: {topic} for power users",
        }[fmt]
    if stage == "decision" and fmt == "demo_video":
        return f"Live demo: {topic} on your own plant data"
    if stage == "decision" and fmt == "datasheet":
        return f"{cap}: technical specifications and integration guide"
    return {
        "whitepaper": f"{cap}: from pilot to plant-wide rollout",
        "ebook": f"The {reader}'s guide to {topic}",
        "blog": f"Five signs your plant is ready for {topic}",
        "checklist": f"{cap} readiness checklist for the {reader}",
        "webinar": f"Webinar: {topic} in practice, for the {reader}",
        "datasheet": f"Datasheet: {topic} with the Core platform",
        "demo_video": f"Demo: {topic} in ten minutes",
        "case_study": f"Case study: how {customer} put {topic} to work",
        "roi_calculator": f"{cap} ROI calculator",
    }[fmt]


def _content_frame(content: dict[str, Any], views: np.ndarray) -> pd.DataFrame:
    persona = content["persona"]
    stage = content["stage"]
    return pd.DataFrame(
        {
            "asset_id": _ids("A", np.arange(1, content["n"] + 1), 3),
            "title": pd.Series(content["title"]),
            "format": pd.Series(content["format"]),
            "persona": _labels(persona, PERSONAS),
            "buying_stage": _labels(stage, BUYING_STAGES),
            "channel": pd.Series(content["channel"]),
            "published_at": _to_dates(content["published"].astype(float)),
            "views": views.astype("int64"),
        },
        columns=list(FRAME_COLUMNS["content"]),
    )


def _window_touches(
    rng: np.random.Generator,
    counts: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    kind: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``counts[i]`` touches of lead ``i`` uniformly in ``[start[i], end[i])`` (days)."""
    counts = np.where(np.isnan(start) | np.isnan(end) | (end <= start), 0, counts)
    lead = np.repeat(np.arange(counts.size), counts)
    t = start[lead] + rng.random(lead.size) * (end[lead] - start[lead])
    return lead, t, np.full(lead.size, kind)


def _pick_assets(
    rng: np.random.Generator,
    stage: np.ndarray,
    persona: np.ndarray,
    day: np.ndarray,
    content: dict[str, Any],
) -> np.ndarray:
    """An asset per touch, published by the touch's day: the wanted stage, mostly the lead's
    persona, else any persona; -1 when nothing suitable was published yet."""
    asset = np.full(stage.size, -1)
    pub = content["published"]
    c_stage, c_persona = content["stage"], content["persona"]
    prefer_persona = rng.random(stage.size) < 0.75
    untagged_stage = rng.random(stage.size) < 0.03
    u = rng.random(stage.size)

    def fill(rows: np.ndarray, candidates: np.ndarray) -> None:
        # candidates are sorted by publication day (content is).
        if rows.size == 0 or candidates.size == 0:
            return
        available = np.searchsorted(pub[candidates], day[rows], side="right")
        ok = available > 0
        pick = np.floor(u[rows[ok]] * available[ok]).astype("int64")
        asset[rows[ok]] = candidates[pick]

    for s in range(len(BUYING_STAGES)):
        in_stage = (stage == s) & ~untagged_stage
        for p in range(len(PERSONAS)):
            rows = np.flatnonzero(in_stage & prefer_persona & (persona == p))
            fill(rows, np.flatnonzero((c_stage == s) & (c_persona == p)))
        fill(np.flatnonzero(in_stage & (asset < 0)), np.flatnonzero(c_stage == s))
    fill(np.flatnonzero(untagged_stage), np.flatnonzero(c_stage < 0))
    fill(np.flatnonzero(asset < 0), np.arange(content["n"]))
    return asset


def _draw_touches(
    rng: np.random.Generator,
    leads: dict[str, Any],
    journeys: dict[str, Any],
    content: dict[str, Any],
    as_of_int: float,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Touches of every lead (about five each) and the resulting asset views.

    Kinds: the first touch (the source channel, on the creation day); engagement spread over
    the active life; one touch just before MQL; a burst of mostly decision-stage touches in the
    30 days before SQL; awareness nurture e-mails for leads that never reach SQL; a few touches
    after the outcome. Touched after as_of are dropped (not happened yet).
    """
    n = leads["n"]
    created = leads["created"]
    intent = leads["intent"]
    sql, dq, closed = journeys["sql"], journeys["dq"], journeys["closed"]
    reached_sql = ~np.isnan(sql)
    active_end = np.where(reached_sql, sql, dq)
    outcome = np.where(np.isnan(dq), closed, dq)
    won_after = ~np.isnan(closed) & journeys["won"]

    parts = [
        (np.arange(n), created, np.zeros(n, dtype="int64")),
        _window_touches(
            rng, rng.poisson(2.4 * np.exp(0.35 * intent - 0.06)), created, active_end, 1
        ),
        _window_touches(
            rng,
            np.where(np.isnan(journeys["mql"]), 0, 1),
            np.maximum(created, journeys["mql"] - 3),
            journeys["mql"],
            2,
        ),
        _window_touches(
            rng,
            np.where(reached_sql, rng.poisson(3.0, n), 0),
            np.maximum(created, sql - 30),
            sql,
            3,
        ),
        _window_touches(rng, np.where(reached_sql, 0, rng.poisson(1.0, n)), created, dq, 4),
        _window_touches(rng, rng.poisson(0.5, n), outcome + 1, outcome + 120, 5),
    ]
    lead = np.concatenate([p[0] for p in parts])
    t = np.concatenate([p[1] for p in parts])
    kind = np.concatenate([p[2] for p in parts])
    # Keep the day, move the time of day to (mostly) office hours.
    t = np.floor(t) + np.clip(rng.normal(0.56, 0.12, t.size), 0.26, 0.95)
    keep = t < as_of_int + 1.0
    lead, t, kind = lead[keep], t[keep], kind[keep]
    order = np.argsort(t, kind="stable")
    lead, t, kind = lead[order], t[order], kind[order]
    m = lead.size

    mix = _STAGE_MIX[kind]
    after_won = (kind == 5) & won_after[lead]
    mix[after_won] = _AFTER_WON_MIX
    stage = _draw_categories(rng, mix)
    day = np.floor(t)
    asset = _pick_assets(rng, stage, leads["persona"][lead], day, content)
    source_channel = leads["channel"][lead]
    u = rng.random(m)
    no_asset = np.where(
        kind == 0,
        u < _FIRST_TOUCH_NO_ASSET[source_channel],
        u < np.where(kind == 4, 0.30, 0.15),
    )
    asset[no_asset] = -1

    asset_channel = np.array([CHANNELS.index(c) for c in content["channel"]])
    other = rng.choice(len(CHANNELS), size=m, p=_TOUCH_CHANNEL_MIX)
    u = rng.random(m)
    channel = np.where(
        kind == 0,
        source_channel,
        np.where(
            kind == 4,
            np.where(u < 0.8, CHANNELS.index("email"), other),
            np.where((asset >= 0) & (u < 0.65), asset_channel[np.maximum(asset, 0)], other),
        ),
    )

    asset_ids = [f"A{i:03d}" for i in range(1, content["n"] + 1)]
    lead_ids = _ids("L", np.arange(1, n + 1), max(6, len(str(n))))
    minutes = np.floor(t * 1440.0).astype("int64")
    touches = pd.DataFrame(
        {
            "lead_id": lead_ids.take(lead).reset_index(drop=True),
            "touched_at": pd.Series(
                (_EPOCH_MINUTE + minutes.astype("timedelta64[m]")).astype("datetime64[s]")
            ),
            "channel": _labels(channel, CHANNELS),
            "asset_id": _labels(asset, asset_ids),
        },
        columns=list(FRAME_COLUMNS["touches"]),
    )
    touched = np.bincount(asset[asset >= 0], minlength=content["n"])
    views = np.rint(
        touched * rng.uniform(6.0, 12.0, content["n"]) + np.exp(rng.normal(5.0, 0.8, content["n"]))
    )
    return touches, views


# --- engagement.yaml -------------------------------------------------------------------------


def sample_config(*, as_of: str = "2026-09-30") -> dict[str, Any]:
    """The ``engagement.yaml`` content of the bundled sample client, Acme Industrial.

    Parameters
    ----------
    as_of : str
        Snapshot date, ISO ``YYYY-MM-DD``; pass the one given to :func:`generate_engagement`.

    Returns
    -------
    dict
        Keys in the contract's order (client, currency, language, as_of, stages, buying_stages,
        personas, analysis, targets, economics, content) plus ``stakeholders``; ``as_of`` is a
        :class:`datetime.date`, ``targets.period_start`` the text ``'2027-01'``.

    See Also
    --------
    write_engagement : writes it as YAML next to the data.
    workbook.intake.config.parse_config : validates it.
    """
    return {
        "client": "Acme Industrial",
        "currency": "EUR",
        "language": "en",
        "as_of": dt.date.fromisoformat(as_of),
        "stages": ["inquiry", "mql", "sal", "sql", "opportunity", "won"],
        "buying_stages": list(BUYING_STAGES),
        "personas": list(PERSONAS),
        "analysis": {"window_months": 12, "horizon_days": 365},
        "targets": {
            "revenue": 6_000_000,
            "period_start": "2027-01",
            "period_months": 12,
            "ramp_months": 3,
        },
        "economics": {"gross_margin": 0.75, "annual_churn": 0.15},
        "content": {"min_assets_per_cell": 2},
        "stakeholders": [dict(person) for person in _STAKEHOLDERS],
    }


_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_ .,'()&/+-]*$")
_YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}


def _yaml_scalar(value: object, *, flow: bool = False) -> str:
    """One YAML scalar: dates ISO, numbers as Python writes them, text quoted when needed.

    ``flow``: the scalar sits inside ``[...]``, where commas and brackets need quotes too.
    """
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not np.isfinite(value):
            return ".nan" if np.isnan(value) else (".inf" if value > 0 else "-.inf")
        text = repr(value)
        if "e" in text and "." not in text:  # YAML 1.1 floats need a dot: 1.0e-05
            mantissa, exponent = text.split("e")
            text = f"{mantissa}.0e{exponent}"
        return text
    if value is None:
        return "null"
    text = str(value)
    plain = (
        _PLAIN.match(text)
        and text.lower() not in _YAML_WORDS
        and not text.endswith(" ")
        and not (flow and any(c in text for c in ",[]{}"))
    )
    return text if plain else "'" + text.replace("'", "''") + "'"


def _yaml_lines(mapping: Mapping[str, Any], indent: int = 0) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for key, value in mapping.items():
        if isinstance(value, Mapping):
            lines.append(f"{pad}{key}:")
            lines.extend(_yaml_lines(value, indent + 2))
        elif isinstance(value, list | tuple) and any(isinstance(v, Mapping) for v in value):
            lines.append(f"{pad}{key}:")
            for item in value:
                sub = _yaml_lines(item, indent + 4)
                lines.append(f"{pad}  - {sub[0].lstrip()}")
                lines.extend(sub[1:])
        elif isinstance(value, list | tuple):
            items = ", ".join(_yaml_scalar(v, flow=True) for v in value)
            lines.append(f"{pad}{key}: [{items}]")
        else:
            lines.append(f"{pad}{key}: {_yaml_scalar(value)}")
    return lines


def engagement_yaml_text(config: Mapping[str, Any]) -> str:
    """``engagement.yaml`` text for a config mapping: a comment header, keys in given order.

    Lists of names come out in flow style (``[a, b]``), dates as ``2026-09-30`` and month-like
    text quoted (``'2027-01'``), so ``yaml.safe_load`` gives the mapping back.

    Examples
    --------
    >>> print(engagement_yaml_text({"client": "X", "targets": {"period_start": "2027-01"}}))
    ... # doctest: +NORMALIZE_WHITESPACE
    # X: engagement settings (synthetic data written by workbook.synthetic).
    # Every person and company in this engagement is fictional.
    client: X
    targets:
      period_start: '2027-01'
    """
    client = str(config.get("client", "engagement"))
    header = [
        f"# {client}: engagement settings (synthetic data written by workbook.synthetic).",
        "# Every person and company in this engagement is fictional.",
    ]
    return "\n".join(header + _yaml_lines(config)) + "\n"


# --- writing ---------------------------------------------------------------------------------

_DATE_FORMATS = {"en": "%Y-%m-%d", "fr": "%d/%m/%Y"}
_TIMES_OF_DAY = [f"{h:02d}:{m:02d}" for h in range(24) for m in range(60)]


def format_dates(dates: pd.Series, date_format: str) -> pd.Series:
    """Datetimes as text: the date in ``date_format``, then `` HH:MM`` if any value has a time.

    Each distinct day is formatted once with ``strftime`` and spread by position, so five
    million touches format in well under a second. Missing dates become ``""``.

    Parameters
    ----------
    dates : Series of datetime64
    date_format : str
        A ``strftime`` date format, e.g. ``"%d/%m/%Y"``.

    Returns
    -------
    Series of str, same index.

    Examples
    --------
    >>> s = pd.Series(pd.to_datetime(["2026-03-01 14:05", None]))
    >>> format_dates(s, "%d/%m/%Y").tolist()
    ['01/03/2026 14:05', '']
    """
    minutes = dates.to_numpy("datetime64[m]")
    missing = np.isnat(minutes)
    if missing.all():
        return pd.Series("", index=dates.index, dtype="str")
    count = minutes.astype("int64")
    day, minute_of_day = np.divmod(count, 1440)
    first, last = int(day[~missing].min()), int(day[~missing].max())
    if last - first > 200_000:  # centuries apart: not worth a lookup table
        has_time = bool((minute_of_day[~missing] != 0).any())
        text = dates.dt.strftime(date_format + (" %H:%M" if has_time else ""))
        return text.fillna("").astype("str")
    days = pd.Series(np.arange(first, last + 1).astype("datetime64[D]"))
    text = _labels(np.where(missing, -1, day - first), days.dt.strftime(date_format).tolist())
    if (minute_of_day[~missing] != 0).any():
        text = text + " " + _labels(np.where(missing, -1, minute_of_day), _TIMES_OF_DAY)
    text.index = dates.index
    return text.fillna("")


def _formatted(frame: pd.DataFrame, style: str) -> pd.DataFrame:
    """Every datetime column as text in the style's date format."""
    out = frame.copy()
    for name in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[name]):
            out[name] = format_dates(out[name], _DATE_FORMATS[style])
    return out


def _write_atomically(path: Path, write: Callable[[str], object]) -> Path:
    """Call ``write(tmp_path)`` then move the temporary file onto ``path``."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; these are ordinary data files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_engagement(
    frames: Mapping[str, pd.DataFrame],
    directory: str | os.PathLike[str],
    *,
    style: Literal["en", "fr"] = "en",
    config: Mapping[str, Any] | None = None,
) -> Path:
    """Write frames as an engagement folder: ``engagement.yaml`` and ``data/<name>.csv``.

    Parameters
    ----------
    frames : mapping of str to DataFrame
        As :func:`generate_engagement` returns (any of leads, opportunities, spend, content,
        touches); each is written with its columns as they are.
    directory : path
        The engagement folder; created if missing. Existing files of the same names are
        replaced (each file atomically).
    style : {"en", "fr"}
        ``en``: comma-separated UTF-8, ISO dates (``2026-03-01``), ``.`` decimals.
        ``fr``: a French CRM export: semicolon-separated UTF-8 with BOM, CRLF line ends,
        day-first dates (``01/03/2026``), decimal commas (``48000,5``).
        Touch times are written to the minute (``2026-03-01 14:05``).
    config : mapping, optional
        The engagement.yaml content; default :func:`sample_config`.

    Returns
    -------
    Path
        The engagement folder.

    See Also
    --------
    generate_engagement : draws the frames.
    workbook.intake.io.read_table : reads either style back.
    """
    if style not in _DATE_FORMATS:
        raise ValueError(f"style must be 'en' or 'fr', got {style!r}")
    folder = Path(directory)
    data_dir = folder / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    text = engagement_yaml_text(sample_config() if config is None else config)
    _write_atomically(folder / "engagement.yaml", lambda p: Path(p).write_text(text, "utf-8"))
    options: dict[str, Any] = (
        {"sep": ",", "decimal": ".", "encoding": "utf-8", "lineterminator": "\n"}
        if style == "en"
        else {"sep": ";", "decimal": ",", "encoding": "utf-8-sig", "lineterminator": "\r\n"}
    )
    for name, frame in frames.items():
        table = _formatted(frame, style)
        _write_atomically(
            data_dir / f"{name}.csv",
            lambda p, table=table: table.to_csv(p, index=False, na_rep="", **options),
        )
    return folder


__all__ = [
    "BUYING_STAGES",
    "CHANNELS",
    "FRAME_COLUMNS",
    "PERSONAS",
    "PRODUCTS",
    "SEGMENTS",
    "TARGET_RATES",
    "engagement_yaml_text",
    "format_dates",
    "generate_engagement",
    "sample_config",
    "write_engagement",
]
