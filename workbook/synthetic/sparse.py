"""A sparse client: what many real clients have, a CRM's leads and opportunities and nothing else.

:func:`sparse_client` derives it from a small :func:`workbook.synthetic.generate_engagement`
draw: no spend, no content inventory, no touches; a shorter ladder ``[lead, mql, opportunity,
won]`` (the CRM records no sales acceptance or qualification); a few open opportunities
without an amount yet. The bundled ``data_samples/sparse_client`` is written from it, and
``make test`` runs it through every phase, so the whole product keeps working on thin data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from workbook.synthetic.engagement_yaml import sample_config
from workbook.synthetic.generate import generate_engagement
from workbook.synthetic.vocabulary import FRAME_COLUMNS

#: The sparse client's ladder: lead stages kept by the CRM, then the deal.
SPARSE_STAGES: tuple[str, ...] = ("lead", "mql", "opportunity", "won")
#: The sample's lead columns the sparse CRM does not export.
_NOT_EXPORTED = frozenset({"sal_at", "sql_at", "email"})


def sparse_client(*, n_leads: int = 3_000, seed: int = 11) -> tuple[dict[str, pd.DataFrame], dict]:
    """The frames and the ``engagement.yaml`` content of the sparse sample client.

    Parameters
    ----------
    n_leads : int
        Leads drawn.
    seed : int
        Random seed: the same arguments give the same frames.

    Returns
    -------
    frames : dict of str to DataFrame
        ``leads`` and ``opportunities`` only.
    config : dict
        engagement.yaml content: client Nordwind Logistics Software, GBP, the sparse ladder.

    Examples
    --------
    >>> frames, config = sparse_client(n_leads=300)
    >>> sorted(frames), config["stages"]
    (['leads', 'opportunities'], ['lead', 'mql', 'opportunity', 'won'])
    >>> bool(frames["opportunities"].query("status != 'open'")["amount"].notna().all())
    True
    """
    frames = generate_engagement(n_leads=n_leads, seed=seed)
    leads = frames["leads"]
    # the CRM keeps no sal/sql dates: a lead that went straight to sales was an mql that day
    mql = leads["mql_at"].fillna(leads["sal_at"]).fillna(leads["sql_at"])
    kept = [c for c in FRAME_COLUMNS["leads"] if c not in _NOT_EXPORTED]
    leads = leads.assign(mql_at=mql)[kept]
    opportunities = frames["opportunities"].copy()
    rng = np.random.default_rng(seed)
    open_rows = np.flatnonzero(opportunities["status"].eq("open").to_numpy())
    unpriced = rng.choice(open_rows, size=len(open_rows) // 4, replace=False)
    opportunities.loc[opportunities.index[unpriced], "amount"] = np.nan
    config: dict[str, Any] = sample_config()
    config.update(
        client="Nordwind Logistics Software",
        currency="GBP",
        stages=list(SPARSE_STAGES),
        targets={
            "revenue": 1_500_000,
            "period_start": "2027-01",
            "period_months": 12,
            "ramp_months": 2,
        },
    )
    config["as_of"] = dt.date(2026, 9, 30)
    config.pop("content", None)
    config.pop("stakeholders", None)
    return {"leads": leads, "opportunities": opportunities}, config
