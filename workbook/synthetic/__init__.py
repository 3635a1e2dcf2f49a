"""Synthetic engagement data: the bundled sample client and benchmark-scale inputs.

:func:`generate_engagement` draws a complete, internally consistent engagement (leads with
their stage dates, opportunities, monthly spend, the content inventory and lead touches) for a
fictional mid-size B2B industrial-software vendor. The data has a story planted in it, so an
analysis can be checked against what it should find:

- the ``mql -> sal`` step leaks: only about 45 % of MQLs are accepted by sales, against about
  25 % inquiry -> mql, 60 % sal -> sql, 55 % sql -> opportunity and 28 % opportunity -> won;
- ``paid_social`` takes a large and growing share of spend for leads that rarely convert,
  while ``webinar`` and ``partner_referral`` return many times their spend;
- the content inventory has gaps (economic_buyer x decision has no asset,
  technical_evaluator x retention and end_user x consideration one each), five untagged assets
  and six stale ones;
- touches carry a lead-scoring signal: leads that reach SQL read more decision-stage content
  and are busier in the 30 days before their SQL date.

Everything is vectorised with numpy (a million leads and about five million touches take
seconds) and seeded: the same arguments always give the same frames.

:func:`write_engagement` writes the frames as an engagement folder, either as a clean English
export or as a French CRM export (semicolons, BOM, day-first dates, decimal commas).

See Also
--------
workbook.intake.engagement.load_engagement : reads the folder this package writes.
workbook.intake.schema.column_rules : the contract's columns the frames carry.

Notes
-----
Modules, in the order the data is drawn: :mod:`.vocabulary` (words and column order),
:mod:`.draws` (vectorised helpers and the calendar), :mod:`.leads` (accounts, leads, journeys),
:mod:`.revenue` (opportunities and spend), :mod:`.content` (the asset inventory),
:mod:`.touches`, :mod:`.generate` (:func:`generate_engagement`), :mod:`.engagement_yaml`
(:func:`sample_config`, :func:`engagement_yaml_text`) and :mod:`.writing`
(:func:`write_engagement`, :func:`format_dates`).
"""

from __future__ import annotations

from workbook.synthetic.engagement_yaml import engagement_yaml_text, sample_config
from workbook.synthetic.generate import generate_engagement
from workbook.synthetic.vocabulary import (
    BUYING_STAGES,
    CHANNELS,
    FRAME_COLUMNS,
    PERSONAS,
    PRODUCTS,
    SEGMENTS,
    SOURCES,
    STEPS,
    TARGET_RATES,
)
from workbook.synthetic.writing import format_dates, write_engagement

__all__ = [
    "BUYING_STAGES",
    "CHANNELS",
    "FRAME_COLUMNS",
    "PERSONAS",
    "PRODUCTS",
    "SEGMENTS",
    "SOURCES",
    "STEPS",
    "TARGET_RATES",
    "engagement_yaml_text",
    "format_dates",
    "generate_engagement",
    "sample_config",
    "write_engagement",
]
