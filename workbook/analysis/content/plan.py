"""The content plan: gaps ranked by business impact, formats to produce, tags to confirm."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from workbook.analysis.content.performance import ContentPerformance
from workbook.analysis.intervals import proportion_intervals
from workbook.analysis.journeys import Journeys

#: Format suggested for a buying stage when the inventory says nothing about it.
DEFAULT_FORMATS: Mapping[str, str] = {
    "awareness": "ebook",
    "consideration": "webinar",
    "decision": "case_study",
    "retention": "checklist",
}
#: Format suggested when neither performance, the defaults nor the inventory name one.
FALLBACK_FORMAT = "whitepaper"


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
