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

from workbook.analysis.scoring.features import (
    ATTRIBUTE_FEATURES,
    MAX_TOUCH_CHANNELS,
    default_target,
    last_touch_by_lead,
    lead_features,
    scoring_moments,
)
from workbook.analysis.scoring.report import ScoreReport, ScoringError, build_scoring

__all__ = [
    "ATTRIBUTE_FEATURES",
    "MAX_TOUCH_CHANNELS",
    "ScoreReport",
    "ScoringError",
    "build_scoring",
    "default_target",
    "last_touch_by_lead",
    "lead_features",
    "scoring_moments",
]
