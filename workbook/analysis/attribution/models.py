"""Every attribution model side by side: :func:`attribute`.

The touches are put in path order once and shared by every model.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from workbook.analysis.attribution.markov import markov_frame
from workbook.analysis.attribution.paths import Outcomes, TouchPaths, touch_paths
from workbook.analysis.attribution.rules import rule_credit

#: Model names accepted by :func:`attribute`, in their default order.
ATTRIBUTION_MODELS: tuple[str, ...] = (
    "first_touch",
    "last_touch",
    "linear",
    "position_based",
    "markov",
)


def attribute(
    touches: pd.DataFrame,
    outcomes: Outcomes,
    *,
    models: Sequence[str] = ATTRIBUTION_MODELS,
    first_share: float = 0.4,
    last_share: float = 0.4,
    lead_id_col: str = "lead_id",
    touched_at_col: str = "touched_at",
    channel_col: str = "channel",
    converted_col: str = "converted",
    revenue_col: str | None = "revenue",
) -> pd.DataFrame:
    """Credit converted leads (and revenue) to channels under several attribution models.

    The touches are sorted once and shared by every model.

    Parameters
    ----------
    touches : pandas.DataFrame
        One row per touch: ``lead_id_col``, ``touched_at_col`` (datetime64, or any sortable
        values) and ``channel_col``; no empty cells. Row order does not matter: touches are
        ordered by time within each lead, ties by channel name.
    outcomes : pandas.DataFrame or pandas.Series
        One row per lead: ``lead_id_col``, ``converted_col`` (bool; missing = False) and
        optionally ``revenue_col`` (float, in the engagement's currency; missing = 0), or a
        boolean Series indexed by lead id. Lead ids must be unique.
    lead_id_col, touched_at_col, channel_col, converted_col : str
        Column names.
    revenue_col : str or None, default "revenue"
        Revenue column of ``outcomes``; revenue is credited only when it is present.
    models : sequence of str, default all of :data:`ATTRIBUTION_MODELS`
        Any of ``"first_touch"``, ``"last_touch"``, ``"linear"``, ``"position_based"``,
        ``"markov"``.
    first_share, last_share : float, default 0.4
        Options of the position-based model.

    Returns
    -------
    pandas.DataFrame
        One row per channel of ``touches`` (index ``channel``, sorted) and, for each model in
        ``models`` order, a column ``<model>_converted`` (converted leads credited; each sums
        to the converted leads with at least one touch), then with revenue a column
        ``<model>_revenue`` per model (each sums to those leads' revenue), then with
        ``"markov"`` the column ``markov_removal_effect`` (0..1, NaN when nothing converted).

    See Also
    --------
    workbook.analysis.attribution.rules : the rule-based models' weights.
    workbook.analysis.attribution.markov.markov_frame : the Markov model.

    Examples
    --------
    >>> touches = pd.DataFrame({
    ...     "lead_id": ["a", "a", "b"],
    ...     "touched_at": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-01-15"]),
    ...     "channel": ["webinar", "event", "event"]})
    >>> outcomes = pd.DataFrame({"lead_id": ["a", "b"], "converted": [True, False]})
    >>> credit = attribute(touches, outcomes, models=["first_touch", "linear"])
    >>> credit.index.tolist(), credit.to_dict("list")
    (['event', 'webinar'], {'first_touch_converted': [0.0, 1.0], 'linear_converted': [0.5, 0.5]})
    """
    chosen = _chosen(models)
    paths = touch_paths(
        touches,
        outcomes,
        lead_id_col=lead_id_col,
        touched_at_col=touched_at_col,
        channel_col=channel_col,
        converted_col=converted_col,
        revenue_col=revenue_col,
        every_path="markov" in chosen,
    )
    return _model_table(paths, chosen, first_share=first_share, last_share=last_share)


def _chosen(models: Sequence[str]) -> list[str]:
    unknown = [m for m in models if m not in ATTRIBUTION_MODELS]
    if unknown:
        raise ValueError(f"unknown attribution model(s) {unknown}; use {list(ATTRIBUTION_MODELS)}")
    return list(dict.fromkeys(models))


def _model_table(
    paths: TouchPaths, chosen: list[str], *, first_share: float, last_share: float
) -> pd.DataFrame:
    frames = {
        model: markov_frame(paths)
        if model == "markov"
        else rule_credit(paths, model, first_share=first_share, last_share=last_share)
        for model in chosen
    }
    result = pd.DataFrame(index=pd.Index(paths.channel_names, name="channel", dtype=str))
    for model in chosen:
        result[f"{model}_converted"] = frames[model]["converted"]
    if paths.lead_revenue is not None:
        for model in chosen:
            result[f"{model}_revenue"] = frames[model]["revenue"]
    if "markov" in frames:
        result["markov_removal_effect"] = frames["markov"]["removal_effect"]
    return result
