"""Column names, the stage ladder and the validation rules of an engagement folder.

Everything here is declarative: which files exist, which columns they carry, of which kind,
and which keys `engagement.yaml` accepts. :mod:`workbook.intake.io` applies these rules; nothing
downstream re-validates.

See Also
--------
workbook.intake.io.load_engagement : reads a folder and applies these rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DEFAULT_STAGES: tuple[str, ...] = ("inquiry", "mql", "sal", "sql", "opportunity", "won")
DEFAULT_BUYING_STAGES: tuple[str, ...] = ("awareness", "consideration", "decision", "retention")
DEFAULT_PERSONAS: tuple[str, ...] = ("economic_buyer", "technical_evaluator", "end_user")

LEAD_SOURCES: tuple[str, ...] = ("marketing", "sales", "partner", "referral")
OPPORTUNITY_SOURCES: tuple[str, ...] = ("marketing", "sales", "partner", "referral", "renewal")
OPPORTUNITY_STATUSES: tuple[str, ...] = ("open", "won", "lost")

DATA_FILES: tuple[str, ...] = ("leads", "opportunities", "spend", "content", "touches")
#: Files a client may not have: absent, or a header without rows, means "not provided"
#: (CONTRACT section 3). ``leads`` is optional too when the ladder has no lead stage.
OPTIONAL_FILES: frozenset[str] = frozenset({"spend", "content", "touches"})
DATA_SUFFIXES: tuple[str, ...] = (".csv", ".xlsx", ".parquet")

#: Personal fields: read for de-duplication, never shown in a report.
PII_COLUMNS: frozenset[str] = frozenset({"email"})

ColumnKind = Literal["text", "date", "datetime", "number", "month", "category"]


@dataclass(frozen=True)
class ColumnRule:
    """One column of a data file.

    Attributes
    ----------
    name : str
        Contract column name.
    kind : {"text", "date", "datetime", "number", "month", "category"}
        How the raw text is parsed. ``datetime`` accepts a date or a date and time.
    required : bool
        The column must exist in the file.
    non_empty : bool
        Every row must have a value (a row without one is quarantined).
    unique : bool
        Values must be unique (later repeats are quarantined).
    allowed : tuple of str, optional
        Allowed values of a ``category`` column (compared case-insensitively).
    default : str, optional
        Value used when the column is absent or the cell is empty.
    minimum : float, optional
        Smallest allowed number.
    coded : bool
        A low-cardinality key column kept as a pandas Categorical: integer codes into its
        distinct values (millions of touches' channels: analyses group by the codes).
    """

    name: str
    kind: ColumnKind = "text"
    required: bool = False
    non_empty: bool = False
    unique: bool = False
    allowed: tuple[str, ...] | None = None
    default: str | None = None
    minimum: float | None = None
    coded: bool = False


def lead_stage_columns(stages: tuple[str, ...]) -> tuple[str, ...]:
    """Names of the ``<stage>_at`` columns a leads file carries for a stage ladder.

    One for each stage after the first and before ``opportunity``.

    Examples
    --------
    >>> lead_stage_columns(DEFAULT_STAGES)
    ('mql_at', 'sal_at', 'sql_at')
    """
    return tuple(f"{stage}_at" for stage in lead_stages(stages)[1:])


def lead_stages(stages: tuple[str, ...]) -> tuple[str, ...]:
    """The stages recorded on the lead itself: everything before ``opportunity`` (or ``won``).

    Examples
    --------
    >>> lead_stages(DEFAULT_STAGES)
    ('inquiry', 'mql', 'sal', 'sql')
    >>> lead_stages(("mql", "won")), lead_stages(("opportunity", "won"))
    (('mql',), ())
    """
    end = stages.index("opportunity") if "opportunity" in stages else len(stages) - 1
    return stages[:end]


def required_files(stages: tuple[str, ...]) -> tuple[str, ...]:
    """The data files an engagement with this ladder cannot do without.

    ``opportunities`` always; ``leads`` when the ladder has a lead stage (CONTRACT section 3).

    Examples
    --------
    >>> required_files(DEFAULT_STAGES), required_files(("opportunity", "won"))
    (('leads', 'opportunities'), ('opportunities',))
    """
    return ("leads", "opportunities") if lead_stages(stages) else ("opportunities",)


def column_rules(file: str, stages: tuple[str, ...] = DEFAULT_STAGES) -> tuple[ColumnRule, ...]:
    """The column rules of one data file.

    Parameters
    ----------
    file : str
        One of :data:`DATA_FILES`.
    stages : tuple of str
        The engagement's stage ladder (decides the leads file's ``<stage>_at`` columns).
    """
    if file == "leads":
        return (
            ColumnRule("lead_id", "text", required=True, non_empty=True, unique=True),
            ColumnRule("created_at", "date", required=True, non_empty=True),
            *(ColumnRule(col, "date") for col in lead_stage_columns(stages)),
            ColumnRule("disqualified_at", "date"),
            ColumnRule("source_channel", "text", required=True, non_empty=True),
            ColumnRule("sourced_by", "category", allowed=LEAD_SOURCES, default="marketing"),
            ColumnRule("persona", "text"),
            ColumnRule("segment", "text"),
            ColumnRule("account_id", "text"),
            ColumnRule("company", "text"),
            ColumnRule("email", "text"),
            # the opportunity the lead converted into (Salesforce links this way round): links
            # an opportunity whose own lead_id is empty
            ColumnRule("opportunity_id", "text"),
        )
    if file == "opportunities":
        return (
            ColumnRule("opportunity_id", "text", required=True, non_empty=True, unique=True),
            ColumnRule("lead_id", "text"),
            ColumnRule("account_id", "text"),
            ColumnRule("created_at", "date", required=True, non_empty=True),
            ColumnRule("closed_at", "date"),
            ColumnRule(
                "status", "category", required=True, non_empty=True, allowed=OPPORTUNITY_STATUSES
            ),
            # an open opportunity may have no amount yet (CONTRACT section 3); won and lost
            # ones need theirs (validate._opportunity_checks)
            ColumnRule("amount", "number", required=True, minimum=0.0),
            ColumnRule(
                "sourced_by",
                "category",
                required=True,
                non_empty=True,
                allowed=OPPORTUNITY_SOURCES,
            ),
            ColumnRule("product", "text"),
            # the deal's first-touch channel (a CRM's "Lead Source"): the journey's channel
            # when the ladder starts at opportunity and there is no leads file
            ColumnRule("source_channel", "text"),
        )
    if file == "spend":
        return (
            ColumnRule("month", "month", required=True, non_empty=True),
            ColumnRule("channel", "text", required=True, non_empty=True),
            ColumnRule("amount", "number", required=True, non_empty=True, minimum=0.0),
        )
    if file == "content":
        return (
            ColumnRule("asset_id", "text", required=True, non_empty=True, unique=True),
            ColumnRule("title", "text"),
            ColumnRule("format", "text"),
            ColumnRule("persona", "text"),
            ColumnRule("buying_stage", "text"),
            ColumnRule("channel", "text"),
            ColumnRule("published_at", "date"),
            ColumnRule("views", "number", minimum=0.0),
        )
    if file == "touches":
        return (
            ColumnRule("lead_id", "text", required=True, non_empty=True),
            ColumnRule("touched_at", "datetime", required=True, non_empty=True),
            ColumnRule("channel", "text", required=True, non_empty=True, coded=True),
            ColumnRule("asset_id", "text"),
        )
    raise ValueError(f"unknown data file {file!r}; expected one of {DATA_FILES}")


# --- engagement.yaml ---------------------------------------------------------------------
# A nested description of every key engagement.yaml accepts: a dict is a section whose keys
# are checked; a type (or tuple of types) is a leaf; ``ANY_MAPPING`` is a free-form section
# checked by the code that uses it.
ANY_MAPPING = "any-mapping"
ANY_LIST = "any-list"

CONFIG_KEYS: dict[str, object] = {
    "client": str,
    "currency": str,
    "language": str,
    "as_of": "date",
    "stages": ANY_LIST,
    "buying_stages": ANY_LIST,
    "personas": ANY_LIST,
    "analysis": {"window_months": int, "horizon_days": int},
    "targets": {
        "revenue": (int, float),
        "period_start": "month",
        "period_months": int,
        "ramp_months": int,
    },
    "economics": {"gross_margin": (int, float), "annual_churn": (int, float)},
    "assumptions": {
        "avg_deal_size": (int, float),
        "conversion": ANY_MAPPING,
        "lag_days": ANY_MAPPING,
    },
    "content": {"min_assets_per_cell": int, "stale_months": int, "questions": ANY_MAPPING},
    "columns": {name: ANY_MAPPING for name in DATA_FILES},
    "values": {name: ANY_MAPPING for name in DATA_FILES},
    "stakeholders": ANY_LIST,
    "hypotheses": ANY_LIST,
    "scenarios": ANY_LIST,
    "budget": ANY_MAPPING,
    "lead_management": ANY_MAPPING,
    "labels": ANY_MAPPING,
}

STAKEHOLDER_KEYS: tuple[str, ...] = ("name", "role", "function")
LANGUAGES: tuple[str, ...] = ("en", "fr")
