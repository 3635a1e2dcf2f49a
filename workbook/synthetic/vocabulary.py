"""The generator's vocabulary: channels, personas, stages, the frames' columns, made-up names.

These are the words the synthetic frames are written in (and the contract's column order);
the numbers that shape the story sit next to the code that draws each frame.
"""

from __future__ import annotations

from collections.abc import Mapping

CHANNELS: tuple[str, ...] = (
    "webinar",
    "paid_search",
    "paid_social",
    "events",
    "content_syndication",
    "organic",
    "email",
    "partner_referral",
)
PERSONAS: tuple[str, ...] = ("economic_buyer", "technical_evaluator", "end_user")
SEGMENTS: tuple[str, ...] = ("enterprise", "mid_market", "smb")
BUYING_STAGES: tuple[str, ...] = ("awareness", "consideration", "decision", "retention")
PRODUCTS: tuple[str, ...] = ("Core", "Analytics", "IoT Suite")
#: ``sourced_by`` values; leads use the first four.
SOURCES: tuple[str, ...] = ("marketing", "sales", "partner", "referral", "renewal")
STEPS: tuple[str, ...] = ("inquiry_mql", "mql_sal", "sal_sql", "sql_opportunity", "opportunity_won")

#: Naive conversion rates the sample is calibrated to (converted / entered, uncensored).
TARGET_RATES: Mapping[str, float] = {
    "inquiry_mql": 0.25,
    "mql_sal": 0.45,
    "sal_sql": 0.60,
    "sql_opportunity": 0.55,
    "opportunity_won": 0.28,
}

#: Columns of each frame, in the contract's order.
FRAME_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "leads": (
        "lead_id",
        "created_at",
        "mql_at",
        "sal_at",
        "sql_at",
        "disqualified_at",
        "source_channel",
        "sourced_by",
        "persona",
        "segment",
        "account_id",
        "company",
        "email",
    ),
    "opportunities": (
        "opportunity_id",
        "lead_id",
        "account_id",
        "created_at",
        "closed_at",
        "status",
        "amount",
        "sourced_by",
        "product",
    ),
    "spend": ("month", "channel", "amount"),
    "content": (
        "asset_id",
        "title",
        "format",
        "persona",
        "buying_stage",
        "channel",
        "published_at",
        "views",
    ),
    "touches": ("lead_id", "touched_at", "channel", "asset_id"),
}

# Made-up names: every company and person is fictional (e-mails use ``.example``).
COMPANY_PREFIXES = (
    "Nordwind", "Alpenrand", "Rheinfeld", "Baltica", "Iberon", "Lumetra", "Vectis", "Atlantor",
    "Heliad", "Orionis", "Castellan", "Stahlberg", "Falkner", "Brennwald", "Meridane", "Polaris",
    "Tessaro", "Corvane", "Ardenne", "Silvaro", "Grauholz", "Kestrel", "Lindqvist", "Marisol",
    "Novacor", "Ostrava", "Pyrene", "Quadrant", "Rosenau", "Sundby",
)  # fmt: skip
COMPANY_SECTORS = (
    "Logistics", "Metalworks", "Plastics", "Packaging", "Automotive", "Foods", "Chemicals",
    "Energy", "Machinery", "Pharma", "Textiles", "Aerospace", "Robotics", "Components",
    "Castings", "Hydraulics", "Paper", "Glassworks", "Electronics", "Water",
)  # fmt: skip
COMPANY_FORMS = ("GmbH", "SA", "SAS", "AG", "Ltd", "BV", "SpA", "AB", "Oy", "Inc")
LAST_NAMES = (
    "martin", "bernard", "dubois", "durand", "leroy", "moreau", "schmidt", "mueller", "weber",
    "fischer", "rossi", "russo", "bianchi", "garcia", "lopez", "fernandez", "smith", "jones",
    "taylor", "brown", "jansen", "devries", "nowak", "kowalski", "novak", "horvat", "nielsen",
    "hansen", "lindberg", "virtanen", "silva", "santos", "murphy", "kelly", "peeters", "janssens",
    "wagner", "becker", "ricci", "moretti",
)  # fmt: skip
