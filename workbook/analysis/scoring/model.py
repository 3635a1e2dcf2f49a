"""The scoring model: a calibrated logistic regression, its weights, threshold and curve.

scikit-learn is imported when a model is made: the other commands need none of it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _combine_name(feature: str, category: object) -> str:
    return f"{feature}={category}"


def make_model(
    attribute_cols: list[str],
    count_cols: list[str],
    *,
    inverse_regularization: float,
    seed: int,
    folds: int,
):
    """The unfitted model: one-hot attributes and scaled log counts, a logistic regression
    calibrated by a sigmoid over ``folds`` stratified folds (shuffled with ``seed``)."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

    parts = []
    if attribute_cols:
        parts.append(
            (
                "attr",
                OneHotEncoder(handle_unknown="ignore", feature_name_combiner=_combine_name),
                attribute_cols,
            )
        )
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


def model_weights(model) -> pd.DataFrame:
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


def best_f1_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """The score (0..1) at or above which flagging leads gives the best F1 on ``y``."""
    from sklearn.metrics import precision_recall_curve

    precision, recall, thresholds = precision_recall_curve(y, p)
    with np.errstate(divide="ignore", invalid="ignore"):
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    return float(thresholds[int(np.argmax(f1[:-1]))])


def precision_recall_table(y: np.ndarray, p: np.ndarray, *, points: int = 200) -> pd.DataFrame:
    """``threshold``, ``precision``, ``recall`` of the scores ``p`` on ``y``, at most ``points``
    rows (evenly spread)."""
    from sklearn.metrics import precision_recall_curve

    precision, recall, thresholds = precision_recall_curve(y, p)
    frame = pd.DataFrame(
        {"threshold": thresholds, "precision": precision[:-1], "recall": recall[:-1]}
    )
    if len(frame) > points:
        frame = frame.iloc[np.unique(np.linspace(0, len(frame) - 1, points).astype(int))]
    return frame.reset_index(drop=True)
