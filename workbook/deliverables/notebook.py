"""What every phase notebook does first: load the engagement and set the report language.

Under ``workbook run`` the engagement was loaded and validated once, before any kernel
started: the notebook reads that snapshot. Opened by hand (JupyterLab), it loads the folder.

See Also
--------
workbook.intake.engagement.load_engagement
workbook.intake.snapshot.load_engagement_snapshot
workbook.analysis.journeys.build_journeys
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workbook.analysis.journeys import Journeys, build_journeys
from workbook.i18n import check_language, text
from workbook.intake.engagement import Engagement, load_engagement
from workbook.intake.snapshot import load_engagement_snapshot


@dataclass(frozen=True)
class NotebookContext:
    """The loaded engagement and the report's settings, as a notebook uses them."""

    engagement: Engagement
    journeys: Journeys
    language: str
    currency: str
    seed: int
    text: Callable[..., str]


def start(
    engagement_dir: str | Path,
    *,
    as_of: str = "",
    language: str = "",
    seed: int = 7,
    snapshot: str | Path = "",
) -> NotebookContext:
    """Load an engagement for a phase notebook, or read the run's snapshot of it.

    Parameters
    ----------
    engagement_dir : str or Path
        The engagement folder.
    as_of : str
        Snapshot date ``YYYY-MM-DD``; empty keeps engagement.yaml's (or the data's latest).
    language : str
        ``en`` or ``fr``; empty keeps engagement.yaml's.
    seed : int
        Seed for anything simulated.
    snapshot : str or Path
        The snapshot ``workbook run`` saved of the validated engagement
        (:func:`workbook.intake.snapshot.save_engagement_snapshot`): read instead of the
        folder's files. Empty loads ``engagement_dir``.

    Raises
    ------
    workbook.intake.problems.EngagementError
        When the engagement cannot be analysed (the message names file, column, rows).
    ValueError
        ``as_of`` differs from the snapshot's.
    """
    if snapshot:
        engagement = load_engagement_snapshot(snapshot)
        if as_of and dt.date.fromisoformat(as_of) != engagement.as_of:
            raise ValueError(
                f"as_of {as_of} differs from the snapshot's ({engagement.as_of.isoformat()})"
            )
    else:
        engagement = load_engagement(engagement_dir, as_of=as_of or None)
    lang = check_language(language or engagement.config.language)
    return NotebookContext(
        engagement=engagement,
        journeys=build_journeys(engagement),
        language=lang,
        currency=engagement.config.currency,
        seed=int(seed),
        text=functools.partial(_text, language=lang),
    )


def _text(key: str, /, language: str, **values: object) -> str:
    return text(key, language, **values)
