"""The generator's entry point: one seeded draw of a whole engagement."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from workbook.synthetic.content import content_frame, draw_content
from workbook.synthetic.leads import draw_accounts, draw_leads, leads_frame, simulate_journeys
from workbook.synthetic.revenue import draw_opportunities, draw_spend
from workbook.synthetic.touches import draw_touches


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

    accounts = draw_accounts(rng, n_leads)
    leads = draw_leads(rng, n_leads, months, as_of_day, accounts)
    journeys = simulate_journeys(rng, leads)
    opportunities = draw_opportunities(rng, leads, journeys, accounts, months, as_of_day)
    spend = draw_spend(rng, n_leads, months, as_of_day)
    content = draw_content(rng, as_of_day)
    touches, views = draw_touches(rng, leads, journeys, content, as_of_int)
    return {
        "leads": leads_frame(leads, journeys, accounts, as_of_int),
        "opportunities": opportunities,
        "spend": spend,
        "content": content_frame(content, views),
        "touches": touches,
    }
