"""Which content moves buyers: each touch in its lead's journey, and each asset's record.

See Also
--------
workbook.analysis.intervals.proportion_intervals : the Wilson intervals of the verdicts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from workbook.analysis.intervals import proportion_intervals
from workbook.analysis.journeys import Journeys
from workbook.intake.text import arrow_text, positions_in

#: Verdicts of :func:`content_performance` on an asset.
VERDICTS: tuple[str, ...] = ("moves_buyers", "collects_views", "average", "too_few")


def touches_in_context(
    touches: pd.DataFrame, journeys: Journeys, content: pd.DataFrame
) -> pd.DataFrame:
    """Each touch with its lead's journey and its asset's tags.

    Parameters
    ----------
    touches : DataFrame
        ``lead_id``, ``touched_at``, ``channel``, ``asset_id`` (may be empty).
    journeys : Journeys
    content : DataFrame
        The inventory: ``asset_id``, ``persona``, ``buying_stage``, ``format``.

    Returns
    -------
    DataFrame
        One row per touch of a lead in ``journeys`` on or before ``as_of``: ``lead_index``
        (row of ``journeys.leads``), ``touched_day`` (the touch's date, midnight), ``channel``,
        ``asset_id``, ``asset_persona``, ``buying_stage``, ``format`` (empty when the touch
        has no asset or the asset is untagged), ``lead_persona``, ``stage_index`` (the funnel
        stage the lead was in that day: the last stage entered on or before it),
        ``last_stage_index`` (the furthest stage the lead reached by ``as_of``) and ``active``
        (the lead had not left the funnel yet: no exit, or the touch on or before its day).

    Notes
    -----
    Vectorised: one pass over the touches, one comparison per stage with the stage dates;
    text columns are taken in Arrow, never as Python objects.
    """
    leads = journeys.leads
    position = positions_in(leads["lead_id"], touches["lead_id"])
    day = touches["touched_at"].dt.floor("D")
    keep = np.flatnonzero((position >= 0) & (day <= journeys.as_of).to_numpy(bool))
    position = position[keep]
    day_values = day.to_numpy("datetime64[ns]")[keep]
    entered = np.zeros(len(keep), dtype="int64")
    for stage in journeys.stages:
        entered += leads[f"{stage}_at"].to_numpy("datetime64[ns]")[position] <= day_values
    exit_at = leads["exit_at"].to_numpy("datetime64[ns]")[position]
    active = np.isnat(exit_at) | (day_values <= exit_at)
    asset = touches["asset_id"].iloc[keep]
    tag_row = positions_in(content["asset_id"], asset)  # -1: no asset, or not in the inventory
    return pd.DataFrame(
        {
            "lead_index": position.astype("int64"),
            "touched_day": day_values,
            "channel": _text_at(touches["channel"], keep),
            "asset_id": _text_at(touches["asset_id"], keep),
            "asset_persona": _text_at(content["persona"], tag_row),
            "buying_stage": _text_at(content["buying_stage"], tag_row),
            "format": _text_at(content["format"], tag_row),
            "lead_persona": _text_at(leads["persona"], position),
            "stage_index": np.maximum(entered - 1, 0),
            "last_stage_index": leads["last_stage"].cat.codes.to_numpy("int64")[position],
            "active": active,
        }
    )


def _text_at(values: pd.Series, rows: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``values`` at ``rows`` as pandas' ``"string"`` dtype (missing where ``rows`` is -1).

    An Arrow ``take`` (of a categorical's categories by its codes), so no Python string is
    made.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = np.append(values.cat.codes.to_numpy("int64"), -1)
        rows = codes[rows]  # row -1 takes the appended -1 (missing)
        values = pd.Series(values.cat.categories)
    taken = arrow_text(values).take(pa.array(rows, mask=rows < 0))
    return pd.array(taken, dtype="string")


@dataclass(frozen=True)
class ContentPerformance:
    """Which content moves buyers, per asset and per persona x buying-stage cell.

    Attributes
    ----------
    assets : DataFrame
        One row per asset of the inventory: ``asset_id``, ``title``, ``format``, ``persona``,
        ``buying_stage``, ``views``, ``touches``, ``touched_leads``, ``progressed_leads``,
        ``progressed_rate`` (0..1, NaN when untouched), ``rate_lower``, ``rate_upper``
        (Wilson), ``baseline_rate`` (the same rate over every asset of its buying stage),
        ``lift`` (rate / baseline), ``influenced_pipeline`` and ``influenced_revenue`` (in the
        engagement's currency), ``verdict`` (:data:`VERDICTS`). Sorted by verdict, then lift.
    cells : DataFrame
        One row per persona x buying stage: ``persona``, ``buying_stage``, ``touched_leads``,
        ``progressed_leads``, ``progressed_rate``, ``influenced_pipeline``,
        ``influenced_revenue``.
    lag_days : int
        Touches of the last ``lag_days`` before ``as_of`` are left out (their leads have
        not had time to progress).
    min_leads : int
        Below this many touched leads, an asset's verdict is ``too_few``.
    """

    assets: pd.DataFrame
    cells: pd.DataFrame
    lag_days: int
    min_leads: int


def content_performance(
    context: pd.DataFrame,
    journeys: Journeys,
    content: pd.DataFrame,
    opportunities: pd.DataFrame,
    *,
    personas: tuple[str, ...],
    buying_stages: tuple[str, ...],
    lag_days: int = 90,
    min_leads: int = 20,
    confidence_level: float = 0.95,
) -> ContentPerformance:
    """Leads each asset touched, how many later progressed, and what they were worth.

    Parameters
    ----------
    context : DataFrame
        :func:`touches_in_context`.
    journeys : Journeys
    content : DataFrame
        The inventory.
    opportunities : DataFrame
        ``opportunity_id``, ``amount``, ``status``, ``created_at``: a lead's opportunity.
    personas, buying_stages : tuple of str
    lag_days : int
        Only touches at least this many days before ``as_of`` count.
    min_leads : int
        Fewest touched leads for a verdict.
    confidence_level : float
        Of the Wilson interval of each asset's progression rate.

    Returns
    -------
    ContentPerformance

    Notes
    -----
    A lead *progressed* after an asset when, by ``as_of``, it reached a stage beyond the one it
    was in on the day it first touched the asset. Influence is not attribution: every asset a
    lead touched before its opportunity was created is credited with the whole opportunity
    amount (``influenced_pipeline``), and every asset touched before the win with the won
    amount (``influenced_revenue``). An open opportunity without an amount is valued at the
    average won amount (none when nothing was won); without an opportunity stage in the
    ladder, the opportunity's ``created_at`` dates it. The verdict compares an asset with the other assets of
    its buying stage: ``moves_buyers`` when the lower Wilson bound of its rate is above the
    stage's baseline, ``collects_views`` when the upper bound is below it, ``average``
    otherwise, ``too_few`` under ``min_leads`` touched leads.

    See Also
    --------
    touches_in_context, workbook.analysis.intervals.proportion_intervals
    """
    cutoff = journeys.as_of - pd.Timedelta(days=lag_days)
    used = context["asset_id"].notna() & (context["touched_day"] <= cutoff)
    # only the columns grouped below: no copy of the touches' text columns
    ctx = context.loc[used, ["asset_id", "lead_index", "touched_day", "stage_index",
                             "last_stage_index"]]  # fmt: skip
    pairs = (
        ctx.groupby(["asset_id", "lead_index"], sort=False, observed=True)
        .agg(
            first_day=("touched_day", "min"),
            stage_index=("stage_index", "min"),
            last_stage_index=("last_stage_index", "first"),
            touches=("touched_day", "size"),
        )
        .reset_index()
    )
    leads = journeys.leads
    by_id = opportunities.set_index("opportunity_id")
    amount = leads["opportunity_id"].map(by_id["amount"]).astype(float).to_numpy()
    # an open deal without an amount is valued at the average won amount, as the plan's
    # pipeline credit values it; a lead without a deal adds nothing
    unpriced = leads["opportunity_id"].notna().to_numpy(bool) & np.isnan(amount)
    won_amounts = opportunities.loc[opportunities["status"] == "won", "amount"].astype(float)
    average_won = float(won_amounts.mean()) if won_amounts.notna().any() else 0.0
    amount = np.where(unpriced, average_won, np.nan_to_num(amount, nan=0.0))
    rows = pairs["lead_index"].to_numpy()
    first = pairs["first_day"].to_numpy("datetime64[ns]")
    if "opportunity_at" in leads:
        opp_at = leads["opportunity_at"].to_numpy("datetime64[ns]")[rows]
    else:  # a ladder without an opportunity stage ([mql, won]): the deal's creation date
        created = leads["opportunity_id"].map(by_id["created_at"]).to_numpy("datetime64[ns]")
        opp_at = np.where(created > journeys.as_of.to_datetime64(), np.datetime64("NaT"), created)[
            rows
        ]
    won_at = leads["won_at"].to_numpy("datetime64[ns]")[rows]
    pairs["progressed"] = pairs["stage_index"] < pairs["last_stage_index"]
    pairs["pipeline"] = np.where(~np.isnat(opp_at) & (opp_at >= first), amount[rows], 0.0)
    pairs["revenue"] = np.where(
        ~np.isnat(won_at) & (won_at >= first), leads["won_amount"].to_numpy(float)[rows], 0.0
    )
    per_asset = pairs.groupby("asset_id", observed=True).agg(
        touches=("touches", "sum"),
        touched_leads=("lead_index", "size"),
        progressed_leads=("progressed", "sum"),
        influenced_pipeline=("pipeline", "sum"),
        influenced_revenue=("revenue", "sum"),
    )
    inventory = content[["asset_id", "title", "format", "persona", "buying_stage", "views"]]
    assets = inventory.merge(per_asset, left_on="asset_id", right_index=True, how="left")
    for col in ("touches", "touched_leads", "progressed_leads"):
        assets[col] = assets[col].fillna(0).astype("int64")
    for col in ("influenced_pipeline", "influenced_revenue"):
        assets[col] = assets[col].fillna(0.0).astype(float)
    n = assets["touched_leads"].to_numpy()
    k = assets["progressed_leads"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        assets["progressed_rate"] = np.where(n > 0, k / np.maximum(n, 1), np.nan)
    lower, upper = proportion_intervals(k, n, confidence_level=confidence_level)
    assets["rate_lower"], assets["rate_upper"] = lower, upper
    stage_key = assets["buying_stage"].fillna("")
    totals = assets.groupby(stage_key)[["touched_leads", "progressed_leads"]].transform("sum")
    overall = k.sum() / n.sum() if n.sum() else np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        baseline = np.where(
            (totals["touched_leads"] > 0) & assets["buying_stage"].notna(),
            totals["progressed_leads"] / totals["touched_leads"].clip(lower=1),
            overall,
        )
        assets["baseline_rate"] = baseline
        assets["lift"] = assets["progressed_rate"] / assets["baseline_rate"]
    verdict = np.select(
        [n < min_leads, lower > baseline, upper < baseline],
        ["too_few", "moves_buyers", "collects_views"],
        default="average",
    )
    assets["verdict"] = pd.Categorical(verdict, categories=list(VERDICTS))
    assets = assets.sort_values(
        ["verdict", "lift", "touched_leads"], ascending=[True, False, False], kind="stable"
    ).reset_index(drop=True)

    tags = content.set_index("asset_id")[["persona", "buying_stage"]]
    cell_pairs = pairs.join(tags, on="asset_id").dropna(subset=["persona", "buying_stage"])
    # a lead touched by two assets of one cell counts once in the cell
    by_lead = cell_pairs.groupby(["persona", "buying_stage", "lead_index"], observed=True).agg(
        progressed=("progressed", "max"), pipeline=("pipeline", "max"), revenue=("revenue", "max")
    )
    cells = (
        by_lead.groupby(level=["persona", "buying_stage"], observed=True)
        .agg(
            touched_leads=("progressed", "size"),
            progressed_leads=("progressed", "sum"),
            influenced_pipeline=("pipeline", "sum"),
            influenced_revenue=("revenue", "sum"),
        )
        .reindex(pd.MultiIndex.from_product([personas, buying_stages]))
    )
    cells.index.names = ["persona", "buying_stage"]
    cells = cells.reset_index()
    for col in ("touched_leads", "progressed_leads"):
        cells[col] = cells[col].fillna(0).astype("int64")
    for col in ("influenced_pipeline", "influenced_revenue"):
        cells[col] = cells[col].fillna(0.0).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        cells["progressed_rate"] = np.where(
            cells["touched_leads"] > 0,
            cells["progressed_leads"] / cells["touched_leads"].clip(lower=1),
            np.nan,
        )
    return ContentPerformance(assets=assets, cells=cells, lag_days=lag_days, min_leads=min_leads)
