"""Lead touches (about five per lead) carrying the lead-scoring signal, and asset views."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from workbook.synthetic.draws import draw_categories, labels, lead_ids
from workbook.synthetic.vocabulary import BUYING_STAGES, CHANNELS, FRAME_COLUMNS, PERSONAS

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

_EPOCH_MINUTE = np.datetime64(0, "m")


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


def draw_touches(
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
    stage = draw_categories(rng, mix)
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
    lead_id = lead_ids(np.arange(1, n + 1), n)
    minutes = np.floor(t * 1440.0).astype("int64")
    touches = pd.DataFrame(
        {
            "lead_id": lead_id.take(lead).reset_index(drop=True),
            "touched_at": pd.Series(
                (_EPOCH_MINUTE + minutes.astype("timedelta64[m]")).astype("datetime64[s]")
            ),
            "channel": labels(channel, CHANNELS),
            "asset_id": labels(asset, asset_ids),
        },
        columns=list(FRAME_COLUMNS["touches"]),
    )
    touched = np.bincount(asset[asset >= 0], minlength=content["n"])
    views = np.rint(
        touched * rng.uniform(6.0, 12.0, content["n"]) + np.exp(rng.normal(5.0, 0.8, content["n"]))
    )
    return touches, views
