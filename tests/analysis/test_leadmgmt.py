"""The lead management framework: definitions, SLA compliance, recycling, merge review.

Expected values are computed by hand from the tiny engagement of tests/conftest.py.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from tests.conftest import TINY_LEADS, TINY_YAML, write_engagement
from workbook.analysis.journeys import build_journeys, journeys_from_leads
from workbook.analysis.leadmgmt import (
    DEFAULT_SLA_DAYS,
    build_lead_management,
    merge_review,
    normalised_email,
    recycle_summary,
    sla_compliance,
    stage_definitions,
)
from workbook.analysis.leadmgmt.review import WHITESPACE
from workbook.i18n import CATALOGUE
from workbook.intake.engagement import load_engagement
from workbook.intake.problems import EngagementError
from workbook.intake.sections.lead_management import parse_lead_management

STAGES = ("inquiry", "mql", "sal", "sql", "opportunity", "won")

# Three more leads: L7 and L8 at account ACC1 (Alpha) arrive in June, L8 reaches MQL: two
# warm leads and a hot one at one account. L9 is disqualified as an MQL on 03-05 and comes
# back to reach SAL on 04-01: a recycled lead.
MORE_LEADS = (
    "L7,2026-06-01,,,,,webinar,marketing,end_user,smb,ACC1,Alpha,eve@alpha.example\n"
    "L8,2026-06-10,2026-06-15,,,,webinar,marketing,end_user,smb,ACC1,Alpha,fay@alpha.example\n"
    "L9,2026-02-20,2026-03-01,2026-04-01,,2026-03-05,events,marketing,end_user,smb,ACC5,Epsilon,"
    "gus@epsilon.example\n"
)


@pytest.fixture
def tiny(tmp_path):
    engagement = load_engagement(write_engagement(tmp_path / "tiny"))
    return engagement, build_journeys(engagement)


@pytest.fixture
def bigger(tmp_path):
    engagement = load_engagement(
        write_engagement(tmp_path / "bigger", {"data/leads.csv": TINY_LEADS + MORE_LEADS})
    )
    return engagement, build_journeys(engagement)


# --- SLA compliance --------------------------------------------------------------------------


def test_sla_compliance_counts_leads_acted_on_within_the_agreed_days(tiny):
    _, journeys = tiny
    sla = sla_compliance(journeys, sla_days={"mql_sal": 2, "sal_sql": 14}).set_index("from")
    # mql -> sal, 2 days: L1 01-10 -> 01-12 (2 days, within), L2 01-16 -> disqualified 02-01
    # (16, breached), L3 02-11 -> 02-15 (4, breached), L4 skipped MQL: entered it on its SAL
    # day 02-20 (0, within), L5 03-05 -> 03-06 (1, within).
    mql = sla.loc["mql"]
    assert (mql["entered"], mql["within_sla"], mql["breached"], mql["pending"]) == (5, 3, 2, 0)
    assert mql["compliance_rate"] == pytest.approx(3 / 5)
    assert mql["median_response_days"] == 2.0  # median of 2, 16, 4, 0, 1
    # sal -> sql, 14 days: L1 8 days, L4 9, L5 4 within; L3 still waiting since 02-15 at as_of
    # 06-30 (135 days): breached.
    sal = sla.loc["sal"]
    assert (sal["entered"], sal["within_sla"], sal["breached"], sal["pending"]) == (4, 3, 1, 0)
    assert sal["compliance_rate"] == pytest.approx(0.75)
    assert sal["median_response_days"] == 8.0


def test_a_lead_still_inside_its_sla_is_pending_not_breached(tiny):
    engagement, _ = tiny
    journeys = journeys_from_leads(
        engagement.leads, stages=STAGES, as_of=pd.Timestamp("2026-02-16")
    )
    sla = sla_compliance(journeys, sla_days={"sal_sql": 14}).iloc[0]
    # At 02-16: L1 went sal -> sql in 8 days; L3 entered SAL on 02-15, 1 day ago.
    assert (sla["within_sla"], sla["breached"], sla["pending"]) == (1, 0, 1)
    assert sla["compliance_rate"] == 1.0


def test_sla_compliance_can_be_limited_to_leads_entering_since_a_day(tiny):
    _, journeys = tiny
    sla = sla_compliance(journeys, sla_days={"mql_sal": 2}, since=pd.Timestamp("2026-02-01"))
    # only L3 (02-11, breached), L4 (02-20, within) and L5 (03-05, within)
    assert sla.iloc[0][["entered", "within_sla", "breached"]].tolist() == [3, 2, 1]


# --- recycling -------------------------------------------------------------------------------


def test_recycle_summary_counts_disqualified_recycled_and_due_leads(bigger):
    _, journeys = bigger
    rec = recycle_summary(journeys, nurture_days=90).set_index("stage")
    # L2: disqualified 02-01 as an MQL, never back; cooling-off over on 05-02 < as_of 06-30.
    # L9: disqualified 03-05 as an MQL, reached SAL on 04-01: recycled.
    assert rec.loc["mql", "disqualified"] == 2
    assert rec.loc["mql", "recycled"] == 1
    assert rec.loc["mql", "due_for_nurture"] == 1
    assert rec.loc["mql", "cooling_off"] == 0
    assert rec.loc["inquiry", ["disqualified", "due_for_nurture"]].tolist() == [0, 0]
    assert not rec.loc["inquiry", "recycles"] and rec.loc["sql", "recycles"]
    assert list(rec.index) == ["inquiry", "mql", "sal", "sql"]
    longer = recycle_summary(journeys, nurture_days=200).set_index("stage")
    assert longer.loc["mql", ["due_for_nurture", "cooling_off"]].tolist() == [0, 1]


# --- the merge review list -------------------------------------------------------------------


def test_leads_sharing_an_email_up_to_case_and_spaces_are_listed_for_a_merge(tiny):
    engagement, journeys = tiny
    review = merge_review(engagement.leads, journeys)
    # L1 ann@alpha.example and L4 " Ann@Alpha.example"; keep L1, which went further (won).
    assert review.to_dict("records") == [
        {
            "review_kind": "same_email",
            "lead_ids": "L1, L4",
            "lead_count": 2,
            "account_id": "ACC1 / ACC3",
            "company": "Alpha / Gamma",
            "hot_leads": 0,
            "keep_lead_id": "L1",
        }
    ]


def test_an_account_with_several_warm_leads_is_listed_with_its_hot_ones(bigger):
    engagement, journeys = bigger
    review = merge_review(engagement.leads, journeys, engaged_days=90)
    account = review.loc[review["review_kind"] == "same_account"]
    # warm since 04-01: L7 (inquiry 06-01) and L8 (MQL 06-15) at ACC1; L8 reached MQL: hot.
    assert account[["account_id", "company", "lead_ids", "lead_count", "hot_leads"]].to_dict(
        "records"
    ) == [{"account_id": "ACC1", "company": "Alpha", "lead_ids": "L7, L8", "lead_count": 2,
           "hot_leads": 1}]  # fmt: skip
    scores = pd.DataFrame({"lead_id": ["L7", "L8"], "score": [0.9, 0.1]})
    scored = merge_review(engagement.leads, journeys, scores=scores, threshold=0.5)
    assert scored.loc[scored["review_kind"] == "same_account", "hot_leads"].tolist() == [1]
    three = merge_review(engagement.leads, journeys, min_warm_leads=3)
    assert (three["review_kind"] == "same_account").sum() == 0


def test_the_review_list_never_shows_an_email_address(bigger):
    engagement, journeys = bigger
    report = build_lead_management(engagement, journeys)
    text = json.dumps(report.to_dict(), allow_nan=False)
    assert "@" not in text
    assert not report.review.astype(str).apply(lambda c: c.str.contains("@")).to_numpy().any()


def test_emails_compare_case_and_space_insensitively():
    emails = pd.Series(["Ann@X.example ", " ann@x.example", "a nn@x.example", "", None])
    assert normalised_email(emails).tolist()[:3] == ["ann@x.example"] * 3
    assert normalised_email(emails).isna().tolist()[3:] == [True, True]


def test_emails_lose_every_character_python_counts_as_whitespace():
    # the Arrow pattern removes exactly what re.sub(r"\s+", "", ...) removes, no more
    everything = [chr(i) for i in range(0x110000) if not 0xD800 <= i <= 0xDFFF]
    spaces = pd.Series(everything, dtype="str").str.fullmatch(WHITESPACE)
    assert [c for c, space in zip(everything, spaces, strict=True) if space] == [
        c for c in everything if re.fullmatch(r"\s", c)
    ]
    emails = pd.Series(["A\u00a0nn@X.example\u3000", "\u2028", "\u200bann@x.example"])
    assert normalised_email(emails).tolist() == ["ann@x.example", pd.NA, "\u200bann@x.example"]


# L10 to L12 share an e-mail: L11 has no account; L10 and L12 share ACC9 (Zeta).
SHARED_EMAIL = (
    "L10,2026-06-01,,,,,webinar,marketing,end_user,smb,ACC9,Zeta,zed@zeta.example\n"
    "L11,2026-06-02,2026-06-05,,,,webinar,marketing,end_user,smb,,,ZED@zeta.example \n"
    "L12,2026-06-03,,,,,webinar,marketing,end_user,smb,ACC9,Zeta Ltd,zed@zeta.example\n"
)


def test_a_merge_group_names_each_account_and_company_once_oldest_first(tmp_path):
    engagement = load_engagement(
        write_engagement(tmp_path / "shared", {"data/leads.csv": TINY_LEADS + SHARED_EMAIL})
    )
    review = merge_review(engagement.leads, build_journeys(engagement))
    group = review.loc[review["lead_ids"].str.startswith("L10")]
    # the lead without an account adds none; ACC9 is named once; L11 went furthest (MQL)
    assert group.drop(columns="hot_leads").to_dict("records") == [
        {
            "review_kind": "same_email",
            "lead_ids": "L10, L11, L12",
            "lead_count": 3,
            "account_id": "ACC9",
            "company": "Zeta / Zeta Ltd",
            "keep_lead_id": "L11",
        },
        {  # warm leads of one account: L11 has none
            "review_kind": "same_account",
            "lead_ids": "L10, L12",
            "lead_count": 2,
            "account_id": "ACC9",
            "company": "Zeta / Zeta Ltd",
            "keep_lead_id": "",
        },
    ]
    assert str(review["lead_ids"].dtype) == "str"


# --- definitions and engagement.yaml ---------------------------------------------------------


def test_default_definitions_exist_for_every_default_stage_in_english_and_french():
    for language in ("en", "fr"):
        table = stage_definitions(STAGES, language=language)
        assert table["stage"].tolist() == list(STAGES)
        assert table["definition"].str.len().gt(10).all()
        assert table["exit_criteria"].str.len().gt(10).all()
        assert (table["source"] == "default").all()
    fr = stage_definitions(STAGES, language="fr").set_index("stage")
    assert "BANT" in fr.loc["sql", "definition"]
    assert fr.loc["sql", "definition"] == CATALOGUE["fr"]["lm.stage.sql.definition"]
    assert stage_definitions(STAGES).set_index("stage").loc["mql", "sla_days"] == 2.0


def test_a_custom_stage_gets_a_generic_definition_to_agree_at_the_workshop():
    table = stage_definitions(("lead", "deal", "opportunity", "won"), language="en")
    # stages are named by their human label; a stage without one, by its name
    assert table.loc[0, "definition"] == (
        "A lead at the Lead stage: definition to agree at the workshop."
    )
    assert (
        table.loc[1, "exit_criteria"]
        == "Criteria to pass to Opportunity: to agree at the workshop."
    )
    assert table.loc[1, "definition"].startswith("A lead at the deal stage")


def test_engagement_yaml_overrides_definitions_sla_recycling_and_accounts(tmp_path):
    yaml = TINY_YAML + (
        "lead_management:\n"
        "  stages:\n"
        "    mql:\n"
        "      definition: {en: Score 60 or more, fr: Score de 60 ou plus}\n"
        "      owner: sales_development\n"
        "  sla_days: {mql_sal: 1}\n"
        "  recycle: {nurture_days: 30, from_stages: [mql]}\n"
        "  accounts: {engaged_days: 30, min_warm_leads: 3}\n"
    )
    engagement = load_engagement(write_engagement(tmp_path / "e", {"engagement.yaml": yaml}))
    report = build_lead_management(engagement, language="fr")
    mql = report.stages.set_index("stage").loc["mql"]
    assert (mql["definition"], mql["owner"], mql["source"]) == (
        "Score de 60 ou plus", "sales_development", "engagement.yaml"
    )  # fmt: skip
    assert report.settings.sla_days == {"mql_sal": 1, "sal_sql": 14, "sql_opportunity": 30}
    assert report.settings.recycle_from == ("mql",)
    assert (report.settings.nurture_days, report.settings.engaged_days) == (30, 30)
    assert report.settings.min_warm_leads == 3


def test_invalid_lead_management_keys_are_errors_naming_the_engagement_yaml_key(tmp_path):
    yaml = TINY_YAML + (
        "lead_management:\n"
        "  sla_dayz: {mql_sal: 1}\n"
        "  stages: {mqll: {definition: x}}\n"
        "  recycle: {nurture_days: -3}\n"
    )
    # reported when the engagement is loaded, so `workbook validate` shows it up front
    with pytest.raises(EngagementError) as info:
        load_engagement(write_engagement(tmp_path / "e", {"engagement.yaml": yaml}))
    found = {p.column: p.message for p in info.value.problems}
    assert found["lead_management.sla_dayz"] == "unknown key 'sla_dayz': did you mean 'sla_days'?"
    assert "did you mean 'mql'" in found["lead_management.stages.mqll"]
    assert "whole number >= 0" in found["lead_management.recycle.nurture_days"]
    assert all(p.file == "engagement.yaml" for p in info.value.problems)


def test_sla_pairs_must_be_adjacent_stages():
    settings, problems = parse_lead_management(
        {"sla_days": {"mql_sql": 3, "sal_sql": "soon"}}, stages=STAGES
    )
    assert [p.column for p in problems] == [
        "lead_management.sla_days.mql_sql",
        "lead_management.sla_days.sal_sql",
    ]
    assert settings.sla_days == dict(DEFAULT_SLA_DAYS)  # wrong values keep the defaults


def test_the_framework_report_is_plain_json(tiny):
    engagement, journeys = tiny
    payload = build_lead_management(engagement, journeys).to_dict()
    json.dumps(payload, allow_nan=False)
    assert set(payload) == {"stages", "sla", "recycling", "recycled_leads", "review", "threshold"}
    assert payload["threshold"] is None
    # the KPI window starts 2025-07-01, so every tiny lead counts
    assert [s["compliance_rate"] for s in payload["sla"]] == [0.6, 0.75, 1.0]
