"""The inventory as a persona x buying-stage matrix: counts, gaps, conversation tracks.

Also the assets to fix first: untagged ones (no persona or no buying stage) and stale ones.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Track statuses.
TRACK_STATUSES: tuple[str, ...] = ("covered", "gap")


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


def content_gaps(matrix: pd.DataFrame, *, min_assets: int = 2) -> pd.DataFrame:
    """Cells of the content matrix with fewer than ``min_assets`` assets.

    Parameters
    ----------
    matrix : DataFrame
        :func:`content_matrix`: personas x buying stages, integer counts.
    min_assets : int
        engagement.yaml's ``content.min_assets_per_cell``.

    Returns
    -------
    DataFrame
        ``persona``, ``buying_stage``, ``assets`` (in the cell) and ``needed`` (assets still
        to produce to reach ``min_assets``: ``min_assets - assets``), in matrix order.

    Examples
    --------
    >>> m = pd.DataFrame([[0, 3]], index=["cfo"], columns=["awareness", "decision"])
    >>> content_gaps(m, min_assets=2).to_dict("records")
    [{'persona': 'cfo', 'buying_stage': 'awareness', 'assets': 0, 'needed': 2}]
    """
    long = matrix.stack().rename("assets").reset_index()
    long.columns = ["persona", "buying_stage", "assets"]
    gaps = long.loc[long["assets"] < min_assets].reset_index(drop=True)
    gaps["assets"] = gaps["assets"].astype("int64")
    gaps["needed"] = (min_assets - gaps["assets"]).astype("int64")
    return gaps


def conversation_tracks(
    content: pd.DataFrame,
    questions: pd.DataFrame,
    *,
    min_assets: int = 2,
    asset_col: str = "asset_id",
) -> pd.DataFrame:
    """One conversation track per persona x buying stage: question, assets, status.

    Parameters
    ----------
    content : DataFrame
        The inventory: ``asset_id``, ``persona``, ``buying_stage``.
    questions : DataFrame
        :func:`workbook.analysis.questions.question_bank`: one row per cell, in engagement.yaml's order.
    min_assets : int
        A cell with fewer assets is a ``gap``, else ``covered``.

    Returns
    -------
    DataFrame
        ``persona``, ``buying_stage``, ``question``, ``assets`` (tuple of asset ids, inventory
        order), ``asset_count``, ``status`` (covered | gap); one row per row of ``questions``.
    """
    tagged = content.loc[content["persona"].notna() & content["buying_stage"].notna()]
    cells = {  # one entry per cell (few), not per asset
        (str(persona), str(stage)): tuple(str(i) for i in ids)
        for (persona, stage), ids in tagged.groupby(["persona", "buying_stage"], sort=False)[
            asset_col
        ]
    }
    tracks = questions[["persona", "buying_stage", "question"]].reset_index(drop=True)
    tracks["assets"] = [
        cells.get((str(p), str(s)), ())
        for p, s in zip(tracks["persona"], tracks["buying_stage"], strict=True)
    ]
    tracks["asset_count"] = tracks["assets"].map(len).astype("int64")
    tracks["status"] = np.where(tracks["asset_count"] >= min_assets, "covered", "gap")
    return tracks
