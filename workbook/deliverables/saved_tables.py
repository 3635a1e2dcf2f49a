"""The tables the kickoff and mid-point notebooks save for the run (``ctx.finish(tables=...)``).

The Excel workbook of key tables (:mod:`workbook.deliverables.key_tables`) and the decks
(:mod:`workbook.deliverables.deck`) read what the phase notebooks saved and the run's figures
register, never recomputing a figure: the tables are the frames the reports show, by name
(a name is unique across phases). The final notebook's are
:func:`workbook.deliverables.final_tables.final_tables`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from workbook.deliverables.midpoint_facts import attribution_shares
from workbook.deliverables.midpoint_register import scorecard_keys
from workbook.deliverables.midpoint_tables import scorecard_table

if TYPE_CHECKING:
    from workbook.deliverables.kickoff import KickoffReport
    from workbook.deliverables.midpoint import MidpointReport

__all__ = ["KPI_SETTINGS", "kickoff_saved_tables", "midpoint_saved_tables"]

#: The columns of the mid-point's one-row ``kpi_settings`` table: how its KPIs were computed.
KPI_SETTINGS = ("horizon_days", "confidence_level", "window_start", "as_of", "spend_provided")


def kickoff_saved_tables(report: KickoffReport) -> dict[str, pd.DataFrame]:
    """What the kickoff notebook saves: its data issues, the funnel as exported, the channel
    mix and, with a content inventory, the content gaps.

    Returns
    -------
    dict
        ``kickoff_data_issues``, ``kickoff_stage_counts``, ``kickoff_channel_mix`` and
        ``kickoff_content_gaps`` (only when content was provided).
    """
    tables = {
        "kickoff_data_issues": report.issues,
        "kickoff_stage_counts": report.stage_counts,
        "kickoff_channel_mix": report.channel_mix,
    }
    if report.content_gaps is not None:
        tables["kickoff_content_gaps"] = report.content_gaps
    return tables


def midpoint_saved_tables(
    report: MidpointReport, *, language: str, currency: str
) -> dict[str, pd.DataFrame]:
    """What the mid-point notebook saves: the scorecard as shown, with the register key of each
    row's figure (``figure_key``, None for a row whose figure is words), the channel advice,
    the stuck opportunities, the KPI funnel, velocity and channels, the attribution shares
    (with touches) and ``kpi_settings`` (:data:`KPI_SETTINGS`, one row).

    Examples
    --------
    >>> from workbook.deliverables.midpoint import build_midpoint
    >>> from workbook.intake.engagement import load_engagement
    >>> report = build_midpoint(load_engagement("data_samples/acme_industrial"))
    >>> tables = midpoint_saved_tables(report, language="en", currency="EUR")
    >>> tables["scorecard"]["figure_key"].iloc[0]
    'kpis.lift.won_revenue_share'
    >>> int(tables["kpi_settings"].loc[0, "horizon_days"])  # engagement.yaml's
    365
    """
    k = report.kpis
    scorecard = scorecard_table(report, language=language, currency=currency)
    keys = scorecard_keys(report)
    if len(keys) != len(scorecard):  # the rows changed: the workbook shows the words
        keys = [None] * len(scorecard)
    scorecard["figure_key"] = pd.Series(keys, index=scorecard.index, dtype=object)
    tables = {
        "scorecard": scorecard,
        "channel_advice": report.channel_advice,
        "stuck_opportunities": report.stuck_opportunities,
        "kpi_funnel": k.funnel,
        "kpi_velocity": k.velocity,
        "kpi_channels": k.channels,
        "kpi_settings": pd.DataFrame(
            {
                "horizon_days": [int(k.horizon_days)],
                "confidence_level": [float(k.confidence_level)],
                "window_start": [pd.Timestamp(k.window_start)],
                "as_of": [pd.Timestamp(k.as_of)],
                "spend_provided": [bool(k.spend_provided)],
            }
        ),
    }
    shares = attribution_shares(k.attribution)
    if shares is not None:
        tables["attribution"] = shares
    return tables
