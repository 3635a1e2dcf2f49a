"""What thin data cannot support, so the reports do not state it as a finding.

Three cases the reports word differently (issue 16 review): no journey carries a channel
(an opportunities-only export without one), a ladder of one step (``[opportunity, won]``,
``[mql, won]``), and a column the reports quote that was set to one value in engagement.yaml
(``columns: {sourced_by: {value: marketing}}``) rather than read from the export.

See Also
--------
workbook.intake.config.FileMapping.constants : the columns set to one value.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from workbook.i18n import NOT_RECORDED, pretty, sentence_case, text
from workbook.intake.engagement import Engagement

#: A qualification score that lets this share of leads through or more filters nothing.
ALL_PASS_SHARE = 0.995

#: The columns whose values the reports quote as findings (sourced share, lift).
QUOTED_COLUMNS: tuple[str, ...] = ("sourced_by",)


def channel_recorded(channels: pd.Series) -> bool:
    """Whether at least one journey's channel was recorded (not :data:`NOT_RECORDED`).

    >>> channel_recorded(pd.Series(["not_recorded", "webinar"]))
    True
    >>> channel_recorded(pd.Series(["not_recorded"]))
    False
    """
    values = channels.dropna().astype(str)
    return bool((values != NOT_RECORDED).any())


def one_step(stages: Sequence[str]) -> bool:
    """Whether the ladder has a single step (``[opportunity, won]``, ``[mql, won]``)."""
    return len(stages) == 2


def assumed_columns(engagement: Engagement) -> dict[str, str]:
    """The quoted columns set to one value in engagement.yaml, with that value.

    Returns
    -------
    dict
        ``{column: value}``, e.g. ``{"sourced_by": "marketing"}`` for the CRM presets;
        empty when every quoted column was read from the export.
    """
    found: dict[str, str] = {}
    for file in ("leads", "opportunities"):
        constants = engagement.config.mapping(file).constants
        for column in QUOTED_COLUMNS:
            if column in constants and column not in found:
                found[column] = str(constants[column])
    return found


def assumed_sentence(assumed: dict[str, str], *, language: str) -> str | None:
    """One sentence saying which quoted columns were assumed in engagement.yaml; None if none.

    >>> assumed_sentence({"sourced_by": "marketing"}, language="en")[:43]
    'Every lead and deal was taken as sourced by'
    """
    if "sourced_by" not in assumed:
        return None
    value = sentence_case(pretty(assumed["sourced_by"], language), language)
    return text("thin.assumed.sourced_by", language, value=value)


def emails_provided(engagement: Engagement) -> bool:
    """Whether any lead carries an e-mail (else duplicates cannot be looked for)."""
    leads = engagement.leads
    return "email" in leads and bool(leads["email"].notna().any())
