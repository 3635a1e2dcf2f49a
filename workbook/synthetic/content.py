"""The content inventory: 60 assets with planted gaps, untagged and stale assets, and titles."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from workbook.synthetic.draws import labels, padded_ids, to_dates
from workbook.synthetic.vocabulary import BUYING_STAGES, COMPANY_PREFIXES, FRAME_COLUMNS, PERSONAS

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


def draw_content(rng: np.random.Generator, as_of: np.datetime64) -> dict[str, Any]:
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
    customers = rng.permutation(len(COMPANY_PREFIXES))
    titles: list[str] = []
    for i, (fmt, (persona, stage)) in enumerate(zip(formats, cells, strict=True)):
        customer = COMPANY_PREFIXES[int(customers[i % len(customers)])]
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


def content_frame(content: dict[str, Any], views: np.ndarray) -> pd.DataFrame:
    """The content frame: the drawn inventory with its ids, labels and ``views`` counts."""
    persona = content["persona"]
    stage = content["stage"]
    return pd.DataFrame(
        {
            "asset_id": padded_ids("A", np.arange(1, content["n"] + 1), 3),
            "title": pd.Series(content["title"]),
            "format": pd.Series(content["format"]),
            "persona": labels(persona, PERSONAS),
            "buying_stage": labels(stage, BUYING_STAGES),
            "channel": pd.Series(content["channel"]),
            "published_at": to_dates(content["published"].astype(float)),
            "views": views.astype("int64"),
        },
        columns=list(FRAME_COLUMNS["content"]),
    )
