"""The content marketing model: matrix, gaps, conversation tracks, performance and plan.

:func:`build_content_report` gives everything ``workbook content`` and the final report show:

- the persona x buying-stage **matrix** (zeros included) and its **gaps** (cells with fewer
  than ``content.min_assets_per_cell`` assets);
- one **conversation track** per cell: the buyer's question at that step
  (:mod:`workbook.analysis.questions`), the assets that answer it, covered or gap;
- **untagged** and **stale** assets;
- when touches exist, the **performance** of each asset and cell: the leads it touched and
  how many of them later progressed, the pipeline and revenue it influenced, and a verdict
  separating content that moves buyers from content that only collects views;
- the **content plan**: gaps ranked by business impact, each with a suggested format, and
  suggested tags for untagged assets (clearly marked as suggestions).

``ContentReport.to_dict()`` is the contract's ``content --json`` object, exactly.

See Also
--------
workbook.intake.schema.column_rules : the content file's columns.
workbook.analysis.questions : the buyer's question of each conversation track.
workbook.deliverables.strategy : the final report's building blocks built on this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # imported lazily at run time: the kickoff needs none of it
    from workbook.analysis.journeys import Journeys
    from workbook.intake.engagement import Engagement


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


# --- gaps and conversation tracks ------------------------------------------------------------

#: Track statuses.
TRACK_STATUSES: tuple[str, ...] = ("covered", "gap")
#: Verdicts of :func:`content_performance` on an asset.
VERDICTS: tuple[str, ...] = ("moves_buyers", "collects_views", "average", "too_few")
#: Format suggested for a buying stage when the inventory says nothing about it.
DEFAULT_FORMATS: Mapping[str, str] = {
    "awareness": "ebook",
    "consideration": "webinar",
    "decision": "case_study",
    "retention": "checklist",
}
FALLBACK_FORMAT = "whitepaper"


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


# --- touches in context ----------------------------------------------------------------------


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
    Vectorised: one pass over the touches, a 2-D comparison with the stage dates.
    """
    leads = journeys.leads
    position = pd.Index(leads["lead_id"].astype(object)).get_indexer(
        touches["lead_id"].astype(object)
    )
    day = touches["touched_at"].dt.floor("D")
    keep = (position >= 0) & (day <= journeys.as_of).to_numpy(bool)
    position = position[keep]
    day_values = day.to_numpy("datetime64[ns]")[keep]
    dates = np.column_stack([leads[f"{s}_at"].to_numpy("datetime64[ns]") for s in journeys.stages])[
        position
    ]
    entered = (dates <= day_values[:, None]).sum(axis=1)
    exit_at = leads["exit_at"].to_numpy("datetime64[ns]")[position]
    active = np.isnat(exit_at) | (day_values <= exit_at)
    stage_index = np.maximum(entered - 1, 0).astype("int64")
    tags = content.set_index(content["asset_id"].astype(object))[
        ["persona", "buying_stage", "format"]
    ]
    asset = touches["asset_id"].astype(object).to_numpy(object)[keep]
    tag_rows = tags.reindex(pd.Index(asset, dtype=object))
    return pd.DataFrame(
        {
            "lead_index": position.astype("int64"),
            "touched_day": day_values,
            "channel": touches["channel"].to_numpy(object)[keep],
            "asset_id": pd.array(asset, dtype="string"),
            "asset_persona": tag_rows["persona"].to_numpy(object),
            "buying_stage": tag_rows["buying_stage"].to_numpy(object),
            "format": tag_rows["format"].to_numpy(object),
            "lead_persona": leads["persona"].to_numpy(object)[position],
            "stage_index": stage_index,
            "last_stage_index": leads["last_stage"].cat.codes.to_numpy("int64")[position],
            "active": active,
        }
    ).astype({"channel": "string", "asset_persona": "string", "buying_stage": "string",
              "format": "string", "lead_persona": "string"})  # fmt: skip


# --- performance -----------------------------------------------------------------------------


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
        ``opportunity_id``, ``amount``: the pipeline value of a lead's opportunity.
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
    amount (``influenced_revenue``). The verdict compares an asset with the other assets of
    its buying stage: ``moves_buyers`` when the lower Wilson bound of its rate is above the
    stage's baseline, ``collects_views`` when the upper bound is below it, ``average``
    otherwise, ``too_few`` under ``min_leads`` touched leads.

    See Also
    --------
    touches_in_context, workbook.analysis.survival.proportion_intervals
    """
    from workbook.analysis.survival import proportion_intervals

    cutoff = journeys.as_of - pd.Timedelta(days=lag_days)
    ctx = context.loc[context["asset_id"].notna() & (context["touched_day"] <= cutoff)]
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
    amount = (
        leads["opportunity_id"]
        .map(opportunities.set_index("opportunity_id")["amount"])
        .astype(float)
        .fillna(0.0)
        .to_numpy()
    )
    rows = pairs["lead_index"].to_numpy()
    first = pairs["first_day"].to_numpy("datetime64[ns]")
    opp_at = leads["opportunity_at"].to_numpy("datetime64[ns]")[rows]
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


# --- which funnel stage each buying stage feeds ------------------------------------------------


def buying_stage_feeds(buying_stages: tuple[str, ...], stages: tuple[str, ...]) -> pd.DataFrame:
    """The funnel stage each buying stage's content serves, by position on the two ladders.

    The i-th of B buying stages feeds the funnel stage ``floor(i * (S - 1) / (B - 1))`` of the
    S-stage ladder: the first buying stage feeds the first funnel stage, the last one the last
    (with the defaults: awareness -> inquiry, consideration -> mql, decision -> sql,
    retention -> won). Content for a buying stage helps the leads of that funnel stage move
    on, so a gap there weighs as much as that stage leaks.

    Parameters
    ----------
    buying_stages : tuple of str
    stages : tuple of str
        The funnel ladder.

    Returns
    -------
    DataFrame
        ``buying_stage``, ``funnel_stage``.

    Notes
    -----
    Touch data was tried as the basis (the funnel stage where a buying stage's content is read
    most, relative to all content) and rejected: most touches come from first-stage leads and
    post-purchase touches are scarce inside a two-year export, so the mapping it gave was
    unstable. The positional rule is explainable and the same for every engagement.

    Examples
    --------
    >>> buying_stage_feeds(("awareness", "consideration", "decision", "retention"),
    ...                    ("inquiry", "mql", "sal", "sql", "opportunity", "won"))["funnel_stage"].tolist()
    ['inquiry', 'mql', 'sql', 'won']
    """
    b, s = len(buying_stages), len(stages)
    position = [(i * (s - 1)) // (b - 1) if b > 1 else 0 for i in range(b)]
    return pd.DataFrame(
        {"buying_stage": list(buying_stages), "funnel_stage": [stages[p] for p in position]}
    )


# --- the content plan ------------------------------------------------------------------------


def suggested_formats(
    content: pd.DataFrame,
    *,
    buying_stages: tuple[str, ...],
    performance: ContentPerformance | None = None,
    confidence_level: float = 0.95,
) -> pd.DataFrame:
    """The format to produce for each buying stage, and why.

    Parameters
    ----------
    content : DataFrame
        The inventory.
    buying_stages : tuple of str
    performance : ContentPerformance, optional
    confidence_level : float
        Of the Wilson interval that decides whether a format clearly beats its stage.

    Returns
    -------
    DataFrame
        ``buying_stage``, ``format``, ``basis``, in this order of preference:
        ``performance`` (the stage's format whose touched leads progressed most, when the
        lower Wilson bound of its rate beats the stage's baseline), ``default`` (the usual
        format for a known buying stage, :data:`DEFAULT_FORMATS`), ``inventory`` (the
        stage's most common format), else :data:`FALLBACK_FORMAT` (``default``).
    """
    from workbook.analysis.survival import proportion_intervals

    rows = []
    for stage in buying_stages:
        fmt, basis = None, "default"
        if performance is not None:
            a = performance.assets
            rated = a.loc[(a["buying_stage"] == stage) & (a["verdict"] != "too_few")]
            rated = rated.loc[rated["format"].notna()]
            if len(rated):
                by_format = rated.groupby("format")[["progressed_leads", "touched_leads"]].sum()
                baseline = by_format["progressed_leads"].sum() / by_format["touched_leads"].sum()
                lower, _ = proportion_intervals(
                    by_format["progressed_leads"].to_numpy(),
                    by_format["touched_leads"].to_numpy(),
                    confidence_level=confidence_level,
                )
                clear = by_format.index[lower > baseline]
                if len(clear):
                    rate = by_format["progressed_leads"] / by_format["touched_leads"]
                    fmt, basis = str(rate.loc[clear].sort_index().idxmax()), "performance"
        if fmt is None and stage in DEFAULT_FORMATS:
            fmt = DEFAULT_FORMATS[stage]
        if fmt is None:
            formats = content.loc[content["buying_stage"] == stage, "format"].dropna()
            if len(formats):
                counts = formats.value_counts()
                fmt = str(sorted(counts.index[counts == counts.max()])[0])
                basis = "inventory"
        rows.append((stage, fmt or FALLBACK_FORMAT, basis))
    return pd.DataFrame(rows, columns=["buying_stage", "format", "basis"])


def persona_revenue_share(journeys: Journeys, personas: tuple[str, ...]) -> pd.Series:
    """Each persona's share of the won revenue of the engagement's leads (0..1).

    Falls back to the share of leads when no lead has won revenue, and to equal shares when no
    lead carries a persona.
    """
    leads = journeys.leads
    won = leads.groupby("persona")["won_amount"].sum().reindex(list(personas), fill_value=0.0)
    if won.sum() > 0:
        return (won / won.sum()).astype(float)
    count = leads["persona"].value_counts().reindex(list(personas), fill_value=0)
    if count.sum() > 0:
        return (count / count.sum()).astype(float)
    return pd.Series(1.0 / len(personas), index=list(personas))


def content_plan(
    gaps: pd.DataFrame,
    *,
    feeds: pd.DataFrame,
    leakage: Mapping[str, float],
    persona_share: pd.Series,
    formats: pd.DataFrame,
    min_assets: int = 2,
) -> pd.DataFrame:
    """Gaps ranked by business impact, each with a suggested format.

    Parameters
    ----------
    gaps : DataFrame
        :func:`content_gaps`.
    feeds : DataFrame
        :func:`buying_stage_feeds`.
    leakage : mapping
        Funnel stage -> share of its leads that do not reach the next stage (0..1); for the
        last stage, the annual churn.
    persona_share : Series
        :func:`persona_revenue_share`.
    formats : DataFrame
        :func:`suggested_formats`.
    min_assets : int

    Returns
    -------
    DataFrame
        ``rank`` (1 = first to produce), ``persona``, ``buying_stage``, ``assets``,
        ``needed``, ``funnel_stage`` (fed by the buying stage), ``leakage_rate``,
        ``persona_revenue_share``, ``impact_score`` (0..1: leakage x persona share x
        needed / min_assets), ``suggested_format``, ``format_basis``.

    Examples
    --------
    >>> gaps = pd.DataFrame({"persona": ["a", "b"], "buying_stage": ["x", "x"],
    ...                      "assets": [1, 0], "needed": [1, 2]})
    >>> feeds = pd.DataFrame({"buying_stage": ["x"], "funnel_stage": ["mql"]})
    >>> formats = pd.DataFrame({"buying_stage": ["x"], "format": ["blog"], "basis": ["default"]})
    >>> plan = content_plan(gaps, feeds=feeds, leakage={"mql": 0.5},
    ...                     persona_share=pd.Series({"a": 0.8, "b": 0.2}), formats=formats)
    >>> plan[["persona", "impact_score"]].to_dict("records")
    [{'persona': 'a', 'impact_score': 0.2}, {'persona': 'b', 'impact_score': 0.1}]
    """
    plan = gaps.merge(feeds[["buying_stage", "funnel_stage"]], on="buying_stage", how="left")
    plan["leakage_rate"] = plan["funnel_stage"].map(dict(leakage)).astype(float)
    plan["persona_revenue_share"] = plan["persona"].map(persona_share).fillna(0.0).astype(float)
    plan["impact_score"] = (
        plan["leakage_rate"].fillna(0.0)
        * plan["persona_revenue_share"]
        * plan["needed"]
        / max(min_assets, 1)
    ).round(6)
    plan = plan.merge(
        formats.rename(columns={"format": "suggested_format", "basis": "format_basis"}),
        on="buying_stage",
        how="left",
    )
    plan = plan.sort_values("impact_score", ascending=False, kind="stable").reset_index(drop=True)
    plan.insert(0, "rank", np.arange(1, len(plan) + 1, dtype="int64"))
    return plan


def suggest_tags(
    content: pd.DataFrame, *, personas: tuple[str, ...], buying_stages: tuple[str, ...]
) -> pd.DataFrame:
    """Suggested persona and buying stage for untagged assets, from the tagged inventory.

    A small text classifier (multinomial naive Bayes over the words of the title, the format
    and the channel), trained on the assets that carry the tag. Explainable: ``evidence``
    lists the words of the asset that weigh most towards the suggestion.

    Parameters
    ----------
    content : DataFrame
        The inventory: ``asset_id``, ``title``, ``format``, ``channel``, ``persona``,
        ``buying_stage``.
    personas, buying_stages : tuple of str

    Returns
    -------
    DataFrame
        One row per untagged asset: ``asset_id``, ``title``, ``persona``, ``persona_basis``
        (given | suggested | none), ``persona_confidence`` (0..1, NaN when given),
        ``buying_stage``, ``stage_basis``, ``stage_confidence``, ``evidence`` (words). These
        are suggestions for a person to confirm, never applied to the matrix.
    """
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.naive_bayes import MultinomialNB

    columns = ["asset_id", "title", "persona", "persona_basis", "persona_confidence",
               "buying_stage", "stage_basis", "stage_confidence", "evidence"]  # fmt: skip
    untagged = content["persona"].isna() | content["buying_stage"].isna()
    out = content.loc[untagged, ["asset_id", "title", "persona", "buying_stage"]].reset_index(
        drop=True
    )
    if len(out) == 0:
        return pd.DataFrame(columns=columns)

    def document(frame: pd.DataFrame) -> pd.Series:
        parts = [frame["title"].fillna("").astype(str)]
        for col in ("format", "channel"):
            if col in frame:
                parts.append(col + "_" + frame[col].fillna("none").astype(str))
        return pd.concat(parts, axis=1).agg(" ".join, axis=1)

    docs = document(content)
    new_docs = docs.loc[untagged].reset_index(drop=True)
    evidence: list[set[str]] = [set() for _ in range(len(out))]
    for col, valid, basis_col, conf_col in (
        ("persona", personas, "persona_basis", "persona_confidence"),
        ("buying_stage", buying_stages, "stage_basis", "stage_confidence"),
    ):
        given = out[col].notna()
        out[basis_col] = np.where(given, "given", "none")
        out[conf_col] = np.nan
        train = content[col].isin(valid).to_numpy(bool)
        labels = content.loc[train, col].astype(str)
        if labels.nunique() < 2 or given.all():
            continue
        vectorizer = CountVectorizer(
            token_pattern=r"(?u)\b[a-zA-Z][\w-]+\b", lowercase=True, stop_words="english"
        )
        x_train = vectorizer.fit_transform(docs.loc[train])
        model = MultinomialNB(alpha=0.5).fit(x_train, labels)
        todo = np.flatnonzero(~given.to_numpy())
        x_new = vectorizer.transform(new_docs.iloc[todo])
        proba = model.predict_proba(x_new)
        best = proba.argmax(axis=1)
        out.loc[todo, col] = model.classes_[best]
        out.loc[todo, basis_col] = "suggested"
        out.loc[todo, conf_col] = proba[np.arange(len(todo)), best]
        log_prob = model.feature_log_prob_
        weight = log_prob - log_prob.mean(axis=0, keepdims=True)
        words = vectorizer.get_feature_names_out()
        for row, cls in zip(todo, best, strict=True):
            present = x_new[list(todo).index(row)].indices
            if present.size:
                top = present[np.argsort(-weight[cls, present])[:2]]
                evidence[row].update(
                    (w.split("_", 1)[1] if w.startswith(("format_", "channel_")) else w).replace(
                        "_", " "
                    )
                    for w in words[top]
                    if weight[cls, words.tolist().index(w)] > 0
                )
    out["evidence"] = [", ".join(sorted(e)) for e in evidence]
    return out[columns]


# --- the report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContentReport:
    """The content marketing model of an engagement (see the module docstring).

    Attributes
    ----------
    matrix : DataFrame
        Personas x buying stages, asset counts (:func:`content_matrix`).
    gaps : DataFrame
        :func:`content_gaps`.
    tracks : DataFrame
        :func:`conversation_tracks`: one per cell.
    untagged, stale : list of str
        Asset ids, inventory order.
    min_assets_per_cell, stale_months : int
    language : str
        Of the tracks' questions.
    performance : ContentPerformance or None
        None without touches.
    feeds : DataFrame
        :func:`buying_stage_feeds`.
    plan : DataFrame
        :func:`content_plan`: the ranked gaps.
    tag_suggestions : DataFrame
        :func:`suggest_tags`.
    """

    matrix: pd.DataFrame
    gaps: pd.DataFrame
    tracks: pd.DataFrame
    untagged: list[str]
    stale: list[str]
    min_assets_per_cell: int
    stale_months: int
    language: str
    performance: ContentPerformance | None
    feeds: pd.DataFrame
    plan: pd.DataFrame
    tag_suggestions: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """The contract's ``content --json`` object: matrix, gaps, tracks, untagged, stale."""
        return {
            "matrix": {
                str(persona): {str(stage): int(n) for stage, n in row.items()}
                for persona, row in self.matrix.iterrows()
            },
            "gaps": [
                {
                    "persona": str(g.persona),
                    "buying_stage": str(g.buying_stage),
                    "assets": int(g.assets),
                    "needed": int(g.needed),
                }
                for g in self.gaps.itertuples(index=False)
            ],
            "tracks": [
                {
                    "persona": str(t.persona),
                    "buying_stage": str(t.buying_stage),
                    "question": str(t.question),
                    "assets": [str(a) for a in t.assets],
                    "status": str(t.status),
                }
                for t in self.tracks.itertuples(index=False)
            ],
            "untagged": [str(a) for a in self.untagged],
            "stale": [str(a) for a in self.stale],
        }


def stage_leakage(
    journeys: Journeys, *, horizon_days: int = 365, annual_churn: float = 0.15
) -> dict[str, float]:
    """Share of each stage's leads that do not reach the next stage within the horizon.

    ``1 - rate`` of :func:`workbook.analysis.kpis.funnel_rates` (censoring-aware); the last stage
    (won) leaks through churn, so it gets ``annual_churn``. Stages no lead entered are absent.
    """
    from workbook.analysis.kpis import funnel_rates

    rates = funnel_rates(journeys, horizon_days=horizon_days)
    leakage = {
        str(a): float(1.0 - r)
        for a, r in zip(rates["from"], rates["rate"], strict=True)
        if np.isfinite(r)
    }
    leakage[journeys.stages[-1]] = float(annual_churn)
    return leakage


def build_content_report(
    engagement: Engagement,
    journeys: Journeys | None = None,
    *,
    language: str | None = None,
    lag_days: int = 90,
    min_leads: int = 20,
) -> ContentReport:
    """Everything ``workbook content`` and the final report's content sections show.

    Parameters
    ----------
    engagement : Engagement
    journeys : Journeys, optional
        Built from ``engagement`` when not given.
    language : {"en", "fr"}, optional
        Of the tracks' questions; engagement.yaml's ``language`` by default.
    lag_days, min_leads : int
        See :func:`content_performance`.

    Returns
    -------
    ContentReport
        ``to_dict()`` is the contract's ``content --json`` object.

    Raises
    ------
    workbook.intake.problems.EngagementError
        When engagement.yaml's ``content.questions`` is invalid (naming the key).
    """
    from workbook.analysis.journeys import build_journeys
    from workbook.analysis.questions import question_bank

    config = engagement.config
    journeys = journeys if journeys is not None else build_journeys(engagement)
    content = engagement.content
    language = language or config.language
    questions = question_bank(config, language=language)
    matrix = content_matrix(content, personas=config.personas, buying_stages=config.buying_stages)
    min_assets = config.min_assets_per_cell
    gaps = content_gaps(matrix, min_assets=min_assets)
    tracks = conversation_tracks(content, questions, min_assets=min_assets)
    performance = None
    if engagement.touches is not None and len(engagement.touches):
        context = touches_in_context(engagement.touches, journeys, content)
        performance = content_performance(
            context,
            journeys,
            content,
            engagement.opportunities,
            personas=config.personas,
            buying_stages=config.buying_stages,
            lag_days=lag_days,
            min_leads=min_leads,
        )
    feeds = buying_stage_feeds(config.buying_stages, config.stages)
    plan = content_plan(
        gaps,
        feeds=feeds,
        leakage=stage_leakage(
            journeys,
            horizon_days=config.horizon_days,
            annual_churn=config.economics.annual_churn,
        ),
        persona_share=persona_revenue_share(journeys, config.personas),
        formats=suggested_formats(
            content, buying_stages=config.buying_stages, performance=performance
        ),
        min_assets=min_assets,
    )
    return ContentReport(
        matrix=matrix,
        gaps=gaps,
        tracks=tracks,
        untagged=untagged_assets(content),
        stale=stale_assets(
            content, as_of=engagement.as_of_timestamp, stale_months=config.stale_months
        ),
        min_assets_per_cell=min_assets,
        stale_months=config.stale_months,
        language=language,
        performance=performance,
        feeds=feeds,
        plan=plan,
        tag_suggestions=suggest_tags(
            content, personas=config.personas, buying_stages=config.buying_stages
        ),
    )
