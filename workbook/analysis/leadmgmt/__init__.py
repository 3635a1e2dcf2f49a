"""The lead management framework: shared stage definitions, SLA, recycling, merge review.

Marketing and sales agree what each stage means, what a lead must show to pass to the next
one and how fast the next team acts on it (DOMAIN.md, "Lead management framework"). This
package holds the default owners and definitions and measures from the data how the funnel
lives up to engagement.yaml's ``lead_management`` section
(:mod:`workbook.intake.sections.lead_management`, parsed with the rest of the file):

- **SLA compliance**: of the leads that entered a stage, the share the next team acted on
  (advanced or disqualified) within the agreed days (:mod:`~workbook.analysis.leadmgmt.framework`);
- **recycling**: leads disqualified at each stage, those that came back (recycled), and
  those whose cooling-off period is over and should return to nurture;
- the **merge review list** before a hand-off: leads sharing an e-mail (compared case- and
  space-insensitively) and accounts with several warm leads
  (:mod:`~workbook.analysis.leadmgmt.review`). The list shows lead ids and companies, never
  an e-mail address.

:func:`build_lead_management` (:mod:`~workbook.analysis.leadmgmt.report`) puts them together.

See Also
--------
workbook.analysis.scoring : the scoring model behind the MQL threshold.
workbook.deliverables.strategy : the final report's lead-management section.
"""

from workbook.analysis.leadmgmt.framework import (
    DEFAULT_OWNERS,
    recycle_summary,
    sla_compliance,
    stage_definitions,
)
from workbook.analysis.leadmgmt.report import LeadManagementReport, build_lead_management
from workbook.analysis.leadmgmt.review import REVIEW_COLUMNS, merge_review, normalised_email
from workbook.intake.sections.lead_management import DEFAULT_SLA_DAYS, LeadManagementSettings

__all__ = [
    "DEFAULT_OWNERS",
    "DEFAULT_SLA_DAYS",
    "REVIEW_COLUMNS",
    "LeadManagementReport",
    "LeadManagementSettings",
    "build_lead_management",
    "merge_review",
    "normalised_email",
    "recycle_summary",
    "sla_compliance",
    "stage_definitions",
]
