"""Fit, evaluate and apply the lead-scoring model: :func:`build_scoring` and its report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbook.analysis.journeys import Journeys, journeys_for
from workbook.analysis.numbers import rounded_or_none
from workbook.analysis.scoring.accounts import account_signals
from workbook.analysis.scoring.features import (
    ATTRIBUTE_FEATURES,
    default_target,
    last_touch_by_lead,
    lead_features_at,
    scoring_moments,
    top_touch_channels,
)
from workbook.analysis.scoring.model import (
    best_f1_threshold,
    make_model,
    model_weights,
    precision_recall_table,
)
from workbook.intake.engagement import Engagement
from workbook.intake.schema import lead_stages


class ScoringError(ValueError):
    """The engagement's data cannot support a scoring model; the message says how to fix it."""


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
    stages : tuple of str
        The ladder the model was trained on.
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
    stages: tuple[str, ...] = ()

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
            "auc": rounded_or_none(self.auc),
            "holdout": {
                "from": self.holdout_from.strftime("%Y-%m-%d"),
                "leads": int(self.holdout_leads),
            },
            "threshold": rounded_or_none(self.threshold),
            "precision_at_threshold": rounded_or_none(self.precision_at_threshold),
            "recall_at_threshold": rounded_or_none(self.recall_at_threshold),
            "weights": [
                {"feature": str(f), "weight": rounded_or_none(w)}
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
    engagement, journeys
        As :func:`~workbook.analysis.journeys.journeys_for`.
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

    config = engagement.config
    journeys = journeys_for(engagement, journeys)
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
        has_content = engagement.has("content")  # touches by buying stage need the inventory
        touch_args = {
            "touches": touches,
            "content": engagement.content if has_content else None,
            "buying_stages": config.buying_stages if has_content else (),
            "touch_channels": top_touch_channels(touches),
            "recent_days": recent_days,
        }
    train_x, score_x = lead_features_at(
        journeys,
        (moments["train_cutoff"].to_numpy(), moments["score_cutoff"].to_numpy()),
        **touch_args,
    )
    # an attribute with one value for every lead (no channel in the export, sourced_by set
    # in engagement.yaml) tells leads apart in nothing: it gets no weight to show
    attribute_cols = [c for c in ATTRIBUTE_FEATURES if train_x[c].nunique() > 1]
    count_cols = [c for c in train_x.columns if c not in ATTRIBUTE_FEATURES]
    if not attribute_cols and not count_cols:
        raise ScoringError(
            "no feature tells leads apart: every lead has the same "
            + ", ".join(ATTRIBUTE_FEATURES)
            + " and no touches were provided. Fix: map source_channel, persona or segment "
            "in engagement.yaml (columns:), or provide touches.csv"
        )

    matured_before = journeys.as_of.normalize() - pd.Timedelta(days=maturity_days)
    inquiry = moments["inquiry_at"]
    matured = (inquiry <= matured_before).to_numpy(bool)
    y_all = moments["reached"].to_numpy(bool)
    # the file the journeys come from: leads, or opportunities without a lead stage
    source = "leads.csv" if lead_stages(journeys.stages) else "opportunities.csv"
    first = journeys.stages[0]
    entered = "have an inquiry" if first == "inquiry" else f"entered at {first}"
    fix = (
        f"add older rows to {source}, or shorten analysis.horizon_days in engagement.yaml "
        f"(leads mature once they {entered.replace('have', 'had')} horizon_days before as_of)"
    )
    n_matured, pos_matured = int(matured.sum()), int(y_all[matured].sum())
    if n_matured < 4 * min_positives or pos_matured < min_positives + max(2, min_positives // 4):
        raise ScoringError(
            f"too few matured leads to fit a scoring model: {n_matured:,} leads {entered} "
            f"on or before {matured_before:%Y-%m-%d} ({maturity_days} days before "
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
    model = make_model(
        attribute_cols,
        count_cols,
        inverse_regularization=inverse_regularization,
        seed=seed,
        folds=folds,
    )
    x_train, y_fit = train_x.loc[is_train], y_all[is_train]
    out_of_fold = cross_val_predict(
        clone(model),
        x_train,
        y_fit,
        cv=StratifiedKFold(folds, shuffle=True, random_state=seed + 1),
        method="predict_proba",
    )[:, 1]
    threshold = best_f1_threshold(y_fit, out_of_fold)
    fitted = clone(model).fit(x_train, y_fit)
    x_hold = train_x.loc[is_holdout]
    p_hold = fitted.predict_proba(x_hold)[:, 1]
    auc = float(roc_auc_score(y_hold, p_hold))
    flagged = p_hold >= threshold
    precision = float(y_hold[flagged].mean()) if flagged.any() else 0.0
    recall = float(flagged[y_hold].mean())

    final = clone(model).fit(train_x.loc[matured], y_all[matured])
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
        weights=model_weights(final),
        accounts=account_signals(
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
        curve=precision_recall_table(y_hold, p_hold),
        horizon_days=int(horizon_days),
        maturity_days=maturity_days,
        engaged_days=int(engaged_days),
        uses_touches=bool(uses_touches),
        stages=tuple(journeys.stages),
    )
