"""Lead scoring: the probability that an inquiry reaches the target stage within the horizon.

The scoring model of the lead management framework (DOMAIN.md) and ``workbook score``
(CONTRACT.md): a regularised logistic regression, calibrated (Platt sigmoid), over what was
known about each lead *before* its outcome:

- **attributes**: ``source_channel``, ``persona``, ``segment``, ``sourced_by``;
- **touches** (when the engagement has them): counts of touches, in total and in the last
  ``recent_days`` before the lead's cut-off, by buying stage of the asset touched and by
  touch channel.

Leakage
-------
Each lead's touches are cut at one moment, and only touches strictly before it count:

- a lead that reached the target within the horizon: the day it reached it (a touch on that
  day or later never feeds the model);
- any other lead: the earliest of the day it left the funnel (disqualified, or lost), the end
  of its horizon (``inquiry + horizon_days``), and the end of the ``as_of`` day.

No feature measures the window itself (lead age, days to cut-off), so the different cut-offs
of converters and non-converters cannot be read back as the outcome; touches after each
lead's outcome are ignored by construction (``tests/analysis/test_scoring.py`` checks that adding them
does not raise the holdout AUC).

Holdout
-------
Only *matured* leads train or test the model: those whose inquiry is at least
``maturity_days`` (default ``horizon_days``) before ``as_of``, so their outcome within the
horizon is known. The most recent ``holdout_share`` of them, from a month boundary on, is the
holdout; older ones train. AUC, the threshold's precision and recall are measured on the
holdout; the threshold itself is chosen on out-of-fold predictions of the training leads
(the one maximising F1), so the holdout figures are honest.

Scores
------
``ScoreReport.scores`` holds every lead's score in 0..1, from the same model refitted on all
matured leads, with touches cut at the lead's scoring moment: the day it reached the target
(at any time), else the day it left the funnel, else ``as_of`` (a live lead's current score).

See Also
--------
workbook.analysis.leadmgmt : the framework the score belongs to (stages, SLA, merge review).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from workbook.analysis.journeys import Journeys
    from workbook.intake.engagement import Engagement

#: Lead attributes the model reads (missing values become ``unknown``).
ATTRIBUTE_FEATURES: tuple[str, ...] = ("source_channel", "persona", "segment", "sourced_by")
#: Most touch channels given their own feature; rarer ones only count in the totals.
MAX_TOUCH_CHANNELS = 12


class ScoringError(ValueError):
    """The engagement's data cannot support a scoring model; the message says how to fix it."""


def default_target(stages: tuple[str, ...]) -> str:
    """The stage the model predicts by default: ``sql`` when the ladder has it, else the last
    stage recorded on the lead (the one before ``opportunity``), else the second stage.

    Examples
    --------
    >>> default_target(("inquiry", "mql", "sal", "sql", "opportunity", "won"))
    'sql'
    >>> default_target(("inquiry", "mql", "opportunity", "won"))
    'mql'
    """
    if "sql" in stages[1:]:
        return "sql"
    from workbook.intake.schema import lead_stages

    lead = lead_stages(stages)
    return lead[-1] if len(lead) > 1 else stages[1]


@dataclass(frozen=True)
class ScoreReport:
    """The lead-scoring model and what it says (see the module docstring).

    Attributes
    ----------
    target : str
        The stage predicted.
    auc : float
        Area under the ROC curve on the holdout (0.5 = chance).
    holdout_from : Timestamp
        First inquiry day of the holdout cohorts.
    holdout_leads, train_leads : int
    matured_before : Timestamp
        Leads with an inquiry on or before this day have matured.
    threshold : float
        Recommended MQL score (0..1): a lead at or above it goes to sales, after the human check.
    precision_at_threshold, recall_at_threshold : float
        On the holdout: share of leads at or above the threshold that reached the target, and
        share of the leads that reached it which were at or above it.
    holdout_base_rate : float
        Share of holdout leads that reached the target.
    flagged_share : float
        Share of holdout leads at or above the threshold.
    weights : DataFrame
        ``feature``, ``weight``: change in the log-odds of reaching the target for one
        standard deviation more of a (log) touch count, or for having an attribute value;
        sorted by absolute weight.
    accounts : DataFrame
        ``account_id``, ``company``, ``engaged_leads``, ``hot_leads``: accounts with at least
        two engaged leads (open, active in the last ``engaged_days``), hottest first.
    scores : DataFrame
        ``lead_id``, ``score`` (0..1) for every lead.
    holdout : DataFrame
        ``lead_id``, ``inquiry_at``, ``score``, ``reached`` for the holdout leads.
    curve : DataFrame
        ``threshold``, ``precision``, ``recall`` on the holdout (at most 200 points).
    horizon_days, maturity_days, engaged_days : int
    uses_touches : bool
        False when the engagement has no touches (attributes only).
    """

    target: str
    auc: float
    holdout_from: pd.Timestamp
    holdout_leads: int
    train_leads: int
    matured_before: pd.Timestamp
    threshold: float
    precision_at_threshold: float
    recall_at_threshold: float
    holdout_base_rate: float
    flagged_share: float
    weights: pd.DataFrame
    accounts: pd.DataFrame
    scores: pd.DataFrame
    holdout: pd.DataFrame
    curve: pd.DataFrame
    horizon_days: int
    maturity_days: int
    engaged_days: int
    uses_touches: bool

    @property
    def lift_at_threshold(self) -> float | None:
        """Precision at the threshold over the holdout's base rate (how much richer MQLs are)."""
        if not self.holdout_base_rate:
            return None
        return self.precision_at_threshold / self.holdout_base_rate

    def to_dict(self) -> dict[str, Any]:
        """The contract's ``score --json`` object."""
        return {
            "target": self.target,
            "auc": _round(self.auc),
            "holdout": {
                "from": self.holdout_from.strftime("%Y-%m-%d"),
                "leads": int(self.holdout_leads),
            },
            "threshold": _round(self.threshold),
            "precision_at_threshold": _round(self.precision_at_threshold),
            "recall_at_threshold": _round(self.recall_at_threshold),
            "weights": [
                {"feature": str(f), "weight": _round(w)}
                for f, w in zip(self.weights["feature"], self.weights["weight"], strict=True)
            ],
            "accounts": [
                {"account_id": str(a), "engaged_leads": int(e), "hot_leads": int(h)}
                for a, e, h in zip(
                    self.accounts["account_id"],
                    self.accounts["engaged_leads"],
                    self.accounts["hot_leads"],
                    strict=True,
                )
            ],
        }


def _round(value: float | None, digits: int = 4) -> float | None:
    if value is None or not np.isfinite(value):
        return None
    return round(float(value), digits)


# --- moments and features --------------------------------------------------------------------


def scoring_moments(journeys: Journeys, *, target: str, horizon_days: int) -> pd.DataFrame:
    """Outcome and touch cut-offs of every lead.

    Parameters
    ----------
    journeys : Journeys
    target : str
        A stage of the ladder after the first.
    horizon_days : int

    Returns
    -------
    DataFrame
        One row per lead of ``journeys.leads`` (same order): ``inquiry_at``, ``target_at``,
        ``reached`` (reached the target within ``horizon_days`` of the inquiry),
        ``train_cutoff`` (touches strictly before it describe the lead for training: the
        target day when reached, else the earliest of exit, horizon end and the end of the
        as_of day) and ``score_cutoff`` (the target day when reached at any time, else the
        exit day, else the end of the as_of day).
    """
    leads = journeys.leads
    first = journeys.stages[0]
    inquiry = leads[f"{first}_at"]
    target_at = leads[f"{target}_at"]
    horizon = pd.Timedelta(days=horizon_days)
    reached = (target_at.notna() & (target_at - inquiry <= horizon)).to_numpy(bool)
    end_of_as_of = journeys.as_of.normalize() + pd.Timedelta(days=1)
    exit_at = leads["exit_at"]
    not_reached_cut = pd.concat(
        [exit_at, inquiry + horizon, pd.Series(end_of_as_of, index=leads.index)], axis=1
    ).min(axis=1)
    train_cutoff = np.where(
        reached, target_at.to_numpy("datetime64[ns]"), not_reached_cut.to_numpy("datetime64[ns]")
    )
    score_cutoff = np.where(
        target_at.notna(),
        target_at.to_numpy("datetime64[ns]"),
        exit_at.fillna(end_of_as_of).to_numpy("datetime64[ns]"),
    )
    return pd.DataFrame(
        {
            "inquiry_at": inquiry.to_numpy("datetime64[ns]"),
            "target_at": target_at.to_numpy("datetime64[ns]"),
            "reached": reached,
            "train_cutoff": train_cutoff,
            "score_cutoff": score_cutoff,
        },
        index=leads.index,
    )


def lead_features(
    journeys: Journeys,
    cutoff: np.ndarray,
    *,
    touches: pd.DataFrame | None = None,
    content: pd.DataFrame | None = None,
    buying_stages: tuple[str, ...] = (),
    touch_channels: tuple[str, ...] = (),
    recent_days: int = 30,
) -> pd.DataFrame:
    """The model's features of every lead, from what was known before ``cutoff``.

    Parameters
    ----------
    journeys : Journeys
    cutoff : ndarray of datetime64, one per lead of ``journeys.leads``
        Only touches strictly before the lead's cut-off count.
    touches : DataFrame, optional
        ``lead_id``, ``touched_at``, ``channel``, ``asset_id``. Without it: attributes only.
    content : DataFrame, optional
        ``asset_id``, ``buying_stage``: the buying stage of each touched asset.
    buying_stages : tuple of str
        One count per buying stage.
    touch_channels : tuple of str
        One count per touch channel listed.
    recent_days : int
        Width of the "recent" window before the cut-off.

    Returns
    -------
    DataFrame
        Index of ``journeys.leads``. Attribute columns (text, ``unknown`` when missing) and,
        with touches, integer counts: ``touches``, ``touches_{recent_days}d``,
        ``touches_<buying_stage>``, ``touches_<buying_stage>_{recent_days}d``,
        ``touches_channel_<channel>``.

    Examples
    --------
    Touches on or after the cut-off are ignored (see ``tests/analysis/test_scoring.py``).
    """
    leads = journeys.leads
    out = pd.DataFrame(index=leads.index)
    for col in ATTRIBUTE_FEATURES:
        values = leads[col] if col in leads else pd.Series(pd.NA, index=leads.index)
        out[col] = values.astype(object).where(values.notna(), "unknown").astype(str)
    if touches is None:
        return out
    n = len(leads)
    position = pd.Index(leads["lead_id"].astype(object)).get_indexer(
        touches["lead_id"].astype(object)
    )
    when = touches["touched_at"].to_numpy("datetime64[ns]")
    ok = position >= 0
    cut = np.full(len(touches), np.datetime64("NaT"), "datetime64[ns]")
    cut[ok] = np.asarray(cutoff, dtype="datetime64[ns]")[position[ok]]
    keep = ok & ~np.isnat(cut) & (when < cut)
    pos = position[keep]
    recent = when[keep] >= cut[keep] - np.timedelta64(recent_days, "D")
    suffix = f"_{recent_days}d"
    out["touches"] = np.bincount(pos, minlength=n)
    out[f"touches{suffix}"] = np.bincount(pos[recent], minlength=n)
    stage = np.full(len(pos), "", dtype=object)
    if content is not None and "asset_id" in touches:
        tags = content.set_index(content["asset_id"].astype(object))["buying_stage"]
        asset = touches["asset_id"].astype(object).to_numpy(object)[keep]
        stage = tags.reindex(pd.Index(asset, dtype=object)).to_numpy(object)
    for bs in buying_stages:
        hit = stage == bs
        out[f"touches_{bs}"] = np.bincount(pos[hit], minlength=n)
        out[f"touches_{bs}{suffix}"] = np.bincount(pos[hit & recent], minlength=n)
    channel = touches["channel"].astype(object).to_numpy(object)[keep]
    for ch in touch_channels:
        out[f"touches_channel_{ch}"] = np.bincount(pos[channel == ch], minlength=n)
    return out


def _top_touch_channels(touches: pd.DataFrame, limit: int = MAX_TOUCH_CHANNELS) -> tuple[str, ...]:
    counts = touches["channel"].dropna().astype(str).value_counts()
    counts = counts.loc[counts >= 20]
    ordered = sorted(counts.index, key=lambda c: (-counts[c], c))
    return tuple(ordered[:limit])


# --- the model -------------------------------------------------------------------------------


def _combine_name(feature: str, category: object) -> str:
    return f"{feature}={category}"


def _make_model(
    attribute_cols: list[str],
    count_cols: list[str],
    *,
    inverse_regularization: float,
    seed: int,
    folds: int,
):
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

    parts = [
        (
            "attr",
            OneHotEncoder(handle_unknown="ignore", feature_name_combiner=_combine_name),
            attribute_cols,
        )
    ]
    if count_cols:
        parts.append(
            (
                "count",
                Pipeline(
                    [
                        ("log", FunctionTransformer(np.log1p, feature_names_out="one-to-one")),
                        ("scale", StandardScaler()),
                    ]
                ),
                count_cols,
            )
        )
    base = Pipeline(
        [
            ("features", ColumnTransformer(parts, verbose_feature_names_out=False)),
            ("logit", LogisticRegression(C=inverse_regularization, max_iter=2000)),
        ]
    )
    return CalibratedClassifierCV(
        base,
        method="sigmoid",
        cv=StratifiedKFold(folds, shuffle=True, random_state=seed),
        ensemble=False,
    )


def _model_weights(model) -> pd.DataFrame:
    """Weights of the calibrated model's log-odds: the logistic coefficients times the slope
    of the sigmoid calibration (``p = expit(-(a * logit + b))``, so ``-a`` scales them)."""
    fitted = model.calibrated_classifiers_[0]
    base = fitted.estimator
    slope = -float(fitted.calibrators[0].a_)
    names = base.named_steps["features"].get_feature_names_out()
    coef = base.named_steps["logit"].coef_.ravel() * slope
    weights = pd.DataFrame({"feature": [str(n) for n in names], "weight": coef})
    order = np.argsort(-np.abs(coef), kind="stable")
    return weights.iloc[order].reset_index(drop=True)


def _best_f1_threshold(y: np.ndarray, p: np.ndarray) -> float:
    from sklearn.metrics import precision_recall_curve

    precision, recall, thresholds = precision_recall_curve(y, p)
    with np.errstate(divide="ignore", invalid="ignore"):
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    return float(thresholds[int(np.argmax(f1[:-1]))])


def _curve(y: np.ndarray, p: np.ndarray, *, points: int = 200) -> pd.DataFrame:
    from sklearn.metrics import precision_recall_curve

    precision, recall, thresholds = precision_recall_curve(y, p)
    frame = pd.DataFrame(
        {"threshold": thresholds, "precision": precision[:-1], "recall": recall[:-1]}
    )
    if len(frame) > points:
        frame = frame.iloc[np.unique(np.linspace(0, len(frame) - 1, points).astype(int))]
    return frame.reset_index(drop=True)


def _account_signals(
    journeys: Journeys,
    scores: np.ndarray,
    *,
    target: str,
    threshold: float,
    engaged_days: int,
    last_touch: np.ndarray | None,
) -> pd.DataFrame:
    """Accounts with at least two engaged leads: open, before the target, active lately."""
    leads = journeys.leads
    target_index = journeys.stages.index(target)
    open_before_target = (
        leads["exit_at"].isna().to_numpy()
        & (leads["last_stage"].cat.codes.to_numpy() < target_index)
        & leads["account_id"].notna().to_numpy()
    )
    dates = np.column_stack([leads[f"{s}_at"].to_numpy("datetime64[ns]") for s in journeys.stages])
    activity = np.nanmax(np.where(np.isnat(dates), np.datetime64(0, "ns"), dates), axis=1)
    if last_touch is not None:
        touched = ~np.isnat(last_touch)
        activity = np.where(touched & (last_touch > activity), last_touch, activity)
    since = (journeys.as_of - pd.Timedelta(days=engaged_days)).to_datetime64()
    engaged = open_before_target & (activity >= since)
    frame = pd.DataFrame(
        {
            "account_id": leads["account_id"].to_numpy(object)[engaged],
            "company": leads["company"].to_numpy(object)[engaged],
            "hot": scores[engaged] >= threshold,
        }
    )
    columns = ["account_id", "company", "engaged_leads", "hot_leads"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    accounts = frame.groupby("account_id", sort=True).agg(
        company=("company", "first"), engaged_leads=("hot", "size"), hot_leads=("hot", "sum")
    )
    accounts = accounts.loc[accounts["engaged_leads"] >= 2].reset_index()
    accounts["engaged_leads"] = accounts["engaged_leads"].astype("int64")
    accounts["hot_leads"] = accounts["hot_leads"].astype("int64")
    accounts = accounts.sort_values(
        ["hot_leads", "engaged_leads", "account_id"],
        ascending=[False, False, True],
        kind="stable",
    )
    return accounts[columns].reset_index(drop=True)


def last_touch_by_lead(journeys: Journeys, touches: pd.DataFrame) -> np.ndarray:
    """Latest touch of each lead of ``journeys.leads`` on or before as_of (NaT when none)."""
    position = pd.Index(journeys.leads["lead_id"].astype(object)).get_indexer(
        touches["lead_id"].astype(object)
    )
    when = touches["touched_at"].to_numpy("datetime64[ns]")
    end = (journeys.as_of.normalize() + pd.Timedelta(days=1)).to_datetime64()
    ok = (position >= 0) & ~np.isnat(when) & (when < end)
    latest = pd.Series(when[ok]).groupby(position[ok]).max().reindex(range(len(journeys.leads)))
    return latest.to_numpy("datetime64[ns]")


def build_scoring(
    engagement: Engagement,
    journeys: Journeys | None = None,
    *,
    target: str | None = "sql",
    seed: int = 7,
    maturity_days: int | None = None,
    holdout_share: float = 0.25,
    recent_days: int = 30,
    engaged_days: int = 90,
    inverse_regularization: float = 1.0,
    min_positives: int = 20,
) -> ScoreReport:
    """Fit, evaluate and apply the lead-scoring model of an engagement.

    Parameters
    ----------
    engagement : Engagement
    journeys : Journeys, optional
        Built from ``engagement`` when not given.
    target : str, optional
        The stage to predict: any stage after the first. ``None``, or the default ``sql`` on
        a ladder without it, means :func:`default_target`.
    seed : int
        Seeds the cross-validation folds: the same inputs and seed give the same report.
    maturity_days : int, optional
        A lead's outcome is known once its inquiry is this many days before ``as_of``;
        defaults to ``analysis.horizon_days``. A shorter maturity gives a more recent holdout
        but counts as failures the leads that reach the target later.
    holdout_share : float
        Share (0..1) of the matured leads, the most recent, tested on; cut at a month start.
    recent_days : int
        Window of the "recent touches" features.
    engaged_days : int
        An open lead active (a stage entered, a touch) within this many days before
        ``as_of`` is engaged (account signals).
    inverse_regularization : float
        ``C`` of the L2-regularised logistic regression (smaller = stronger shrinkage).
    min_positives : int
        Fewest leads reaching the target needed in the training cohorts (a quarter of it in
        the holdout).

    Returns
    -------
    ScoreReport
        ``to_dict()`` is the contract's ``score --json`` object; ``scores`` is what
        ``--out`` writes.

    Raises
    ------
    ScoringError
        When ``target`` is not a stage after the first, or too few matured leads (or too few
        of them reaching the target) exist to fit and test a model; the message says which
        and how to fix it.

    See Also
    --------
    scoring_moments : the leakage-free cut-offs.
    lead_features : the features.
    """
    from sklearn.base import clone
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    from workbook.analysis.journeys import build_journeys

    config = engagement.config
    journeys = journeys if journeys is not None else build_journeys(engagement)
    stages = journeys.stages
    if target is None or (target == "sql" and "sql" not in stages):
        target = default_target(stages)
    if target not in stages[1:]:
        raise ScoringError(
            f"target '{target}' is not a stage after '{stages[0]}': "
            f"choose one of {', '.join(stages[1:])} (the stages of engagement.yaml)"
        )
    if not 0 < holdout_share < 1:
        raise ScoringError(f"holdout_share must be between 0 and 1, got {holdout_share}")
    horizon_days = config.horizon_days
    maturity_days = int(maturity_days if maturity_days is not None else horizon_days)
    moments = scoring_moments(journeys, target=target, horizon_days=horizon_days)

    touches = engagement.touches
    uses_touches = touches is not None and len(touches) > 0
    touch_args: dict[str, Any] = {}
    if uses_touches:
        touch_args = {
            "touches": touches,
            "content": engagement.content,
            "buying_stages": config.buying_stages,
            "touch_channels": _top_touch_channels(touches),
            "recent_days": recent_days,
        }
    train_x = lead_features(journeys, moments["train_cutoff"].to_numpy(), **touch_args)
    attribute_cols = list(ATTRIBUTE_FEATURES)
    count_cols = [c for c in train_x.columns if c not in ATTRIBUTE_FEATURES]

    matured_before = journeys.as_of.normalize() - pd.Timedelta(days=maturity_days)
    inquiry = moments["inquiry_at"]
    matured = (inquiry <= matured_before).to_numpy(bool)
    y_all = moments["reached"].to_numpy(bool)
    fix = (
        "add older leads to leads.csv, or shorten analysis.horizon_days in engagement.yaml "
        "(leads mature once their inquiry is horizon_days before as_of)"
    )
    n_matured, pos_matured = int(matured.sum()), int(y_all[matured].sum())
    if n_matured < 4 * min_positives or pos_matured < min_positives + max(2, min_positives // 4):
        raise ScoringError(
            f"too few matured leads to fit a scoring model: {n_matured:,} leads have an "
            f"inquiry on or before {matured_before:%Y-%m-%d} ({maturity_days} days before "
            f"as_of) and {pos_matured:,} of them reached {target}; scoring needs at least "
            f"{4 * min_positives:,} such leads with {min_positives + max(2, min_positives // 4):,} "
            f"reaching {target}. Fix: {fix}"
        )
    cut = inquiry[matured].quantile(1 - holdout_share)
    holdout_from = cut.to_period("M").to_timestamp()
    if holdout_from <= inquiry[matured].min():
        holdout_from = cut.normalize()
    is_holdout = matured & (inquiry >= holdout_from).to_numpy(bool)
    is_train = matured & ~is_holdout
    y_train, y_hold = y_all[is_train], y_all[is_holdout]
    need_hold = max(2, min_positives // 4)
    if (
        y_train.sum() < min_positives
        or (~y_train).sum() < min_positives
        or y_hold.sum() < need_hold
        or (~y_hold).sum() < need_hold
    ):
        raise ScoringError(
            f"the time split leaves too few leads of each outcome: training cohorts (inquiry "
            f"before {holdout_from:%Y-%m-%d}) have {int(y_train.sum()):,} leads reaching "
            f"{target} of {int(is_train.sum()):,}, holdout cohorts {int(y_hold.sum()):,} of "
            f"{int(is_holdout.sum()):,}; needed at least {min_positives} and {need_hold} of "
            f"each outcome. Fix: {fix}"
        )

    folds = 3
    model = _make_model(
        attribute_cols,
        count_cols,
        inverse_regularization=inverse_regularization,
        seed=seed,
        folds=folds,
    )
    x_train, x_hold = train_x.loc[is_train], train_x.loc[is_holdout]
    out_of_fold = cross_val_predict(
        clone(model),
        x_train,
        y_train,
        cv=StratifiedKFold(folds, shuffle=True, random_state=seed + 1),
        method="predict_proba",
    )[:, 1]
    threshold = _best_f1_threshold(y_train, out_of_fold)
    fitted = clone(model).fit(x_train, y_train)
    p_hold = fitted.predict_proba(x_hold)[:, 1]
    auc = float(roc_auc_score(y_hold, p_hold))
    flagged = p_hold >= threshold
    precision = float(y_hold[flagged].mean()) if flagged.any() else 0.0
    recall = float(flagged[y_hold].mean())

    final = clone(model).fit(train_x.loc[matured], y_all[matured])
    score_x = lead_features(journeys, moments["score_cutoff"].to_numpy(), **touch_args)
    scores = np.clip(final.predict_proba(score_x)[:, 1], 0.0, 1.0)
    leads = journeys.leads
    return ScoreReport(
        target=target,
        auc=auc,
        holdout_from=pd.Timestamp(holdout_from),
        holdout_leads=int(is_holdout.sum()),
        train_leads=int(is_train.sum()),
        matured_before=pd.Timestamp(matured_before),
        threshold=threshold,
        precision_at_threshold=precision,
        recall_at_threshold=recall,
        holdout_base_rate=float(y_hold.mean()),
        flagged_share=float(flagged.mean()),
        weights=_model_weights(final),
        accounts=_account_signals(
            journeys,
            scores,
            target=target,
            threshold=threshold,
            engaged_days=engaged_days,
            last_touch=last_touch_by_lead(journeys, touches) if uses_touches else None,
        ),
        scores=pd.DataFrame({"lead_id": leads["lead_id"].to_numpy(), "score": scores}),
        holdout=pd.DataFrame(
            {
                "lead_id": leads["lead_id"].to_numpy()[is_holdout],
                "inquiry_at": inquiry.to_numpy()[is_holdout],
                "score": p_hold,
                "reached": y_hold,
            }
        ),
        curve=_curve(y_hold, p_hold),
        horizon_days=int(horizon_days),
        maturity_days=maturity_days,
        engaged_days=int(engaged_days),
        uses_touches=bool(uses_touches),
    )


__all__ = [
    "ATTRIBUTE_FEATURES",
    "ScoreReport",
    "ScoringError",
    "build_scoring",
    "default_target",
    "last_touch_by_lead",
    "lead_features",
    "scoring_moments",
]
