"""The content inventory: the persona x buying-stage matrix, untagged and stale assets.

See Also
--------
workbook.schema.column_rules : the content file's columns.
"""

from __future__ import annotations

import pandas as pd


def content_matrix(
    content: pd.DataFrame,
    *,
    personas: tuple[str, ...],
    buying_stages: tuple[str, ...],
    persona_col: str = "persona",
    buying_stage_col: str = "buying_stage",
) -> pd.DataFrame:
    """Count assets in every persona x buying-stage cell, zeros included.

    Parameters
    ----------
    content : DataFrame
        One row per asset.
    personas, buying_stages : tuple of str
        The rows and columns, in engagement.yaml's order. Assets tagged otherwise are left out.

    Returns
    -------
    DataFrame
        Index ``personas``, columns ``buying_stages``, integer counts.

    Examples
    --------
    >>> c = pd.DataFrame({"persona": ["a", "a", None], "buying_stage": ["x", "y", "x"]})
    >>> content_matrix(c, personas=("a", "b"), buying_stages=("x", "y")).to_dict()
    {'x': {'a': 1, 'b': 0}, 'y': {'a': 1, 'b': 0}}
    """
    tagged = content.loc[
        content[persona_col].isin(personas) & content[buying_stage_col].isin(buying_stages)
    ]
    counts = pd.crosstab(tagged[persona_col], tagged[buying_stage_col])
    matrix = counts.reindex(index=list(personas), columns=list(buying_stages), fill_value=0)
    matrix.index.name, matrix.columns.name = "persona", "buying_stage"
    return matrix.astype("int64")


def untagged_assets(content: pd.DataFrame, *, asset_col: str = "asset_id") -> list[str]:
    """Assets with no persona or no buying stage, in inventory order."""
    mask = content["persona"].isna() | content["buying_stage"].isna()
    return content.loc[mask, asset_col].astype(str).tolist()


def stale_assets(
    content: pd.DataFrame,
    *,
    as_of: pd.Timestamp,
    stale_months: int = 18,
    asset_col: str = "asset_id",
) -> list[str]:
    """Assets published more than ``stale_months`` months before ``as_of``.

    Examples
    --------
    >>> c = pd.DataFrame({"asset_id": ["A", "B"],
    ...                   "published_at": pd.to_datetime(["2024-01-01", "2026-01-01"])})
    >>> stale_assets(c, as_of=pd.Timestamp("2026-09-30"))
    ['A']
    """
    cutoff = pd.Timestamp(as_of) - pd.DateOffset(months=stale_months)
    mask = (content["published_at"] < cutoff).fillna(False)
    return content.loc[mask, asset_col].astype(str).tolist()
