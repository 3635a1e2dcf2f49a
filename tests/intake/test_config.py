"""engagement.yaml parsed once: the contract's defaults, each section's frozen value, errors by key."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import yaml

from tests.conftest import TINY_YAML, write_engagement
from workbook.intake.config import EngagementConfig, Stakeholder, parse_config
from workbook.intake.engagement import read_engagement_config
from workbook.intake.problems import EngagementError
from workbook.intake.schema import DEFAULT_BUYING_STAGES, DEFAULT_PERSONAS, DEFAULT_STAGES
from workbook.intake.sections import (
    BudgetSettings,
    LeadManagementSettings,
    QuestionOverrides,
    Scenario,
    parse_budget,
    parse_scenarios,
)
from workbook.intake.sections.lead_management import DEFAULT_SLA_DAYS

STAGES = DEFAULT_STAGES


def parsed(text: str) -> tuple[EngagementConfig | None, dict[str, str]]:
    """parse_config of ``client: Acme`` plus ``text``; problems as key path -> message."""
    config, problems = parse_config(yaml.safe_load("client: Acme\n" + text))
    assert all(p.file == "engagement.yaml" for p in problems)
    return config, {p.column: p.message for p in problems}


# --- defaults -----------------------------------------------------------------------------


def test_a_file_with_only_the_client_gets_the_contracts_defaults():
    config, problems = parsed("")
    assert problems == {}
    assert config == EngagementConfig(client="Acme")  # the dataclass defaults are the contract's
    assert (config.currency, config.language, config.as_of) == ("EUR", "en", None)
    assert (config.stages, config.buying_stages, config.personas) == (
        DEFAULT_STAGES, DEFAULT_BUYING_STAGES, DEFAULT_PERSONAS
    )  # fmt: skip
    assert (config.window_months, config.horizon_days) == (12, 365)
    assert (config.targets.revenue, config.targets.period_months) == (None, 12)
    assert (config.economics.gross_margin, config.economics.annual_churn) == (0.75, 0.15)
    assert (config.scenarios, config.stakeholders, config.hypotheses) == ((), (), ())
    assert config.budget == BudgetSettings(mix=None, cost_per_inquiry={}, healthy_ltv_cac=3.0)
    lm = config.lead_management
    assert lm.sla_days == dict(DEFAULT_SLA_DAYS) and lm.stages == {}
    assert (lm.nurture_days, lm.recycle_from, lm.engaged_days, lm.min_warm_leads) == (
        90, ("mql", "sal", "sql"), 90, 2
    )  # fmt: skip
    assert config.questions == QuestionOverrides()
    assert config.stage_pairs[0] == "inquiry_mql" and len(config.stage_pairs) == 5


def test_a_shorter_ladder_keeps_only_its_own_default_slas_and_recycling_stages():
    config, problems = parsed("stages: [lead, mql, opportunity, won]\n")
    assert problems == {}
    assert config.lead_management.sla_days == {}  # no default SLA pair is adjacent here
    assert config.lead_management.recycle_from == ("mql",)


def test_the_parsed_config_and_its_sections_are_frozen():
    config, _ = parsed(
        "stakeholders: [{name: Ann}]\nscenarios: [{name: a}]\n"
        "content: {questions: {default: {decision: 'Why?'}}}\n"
    )
    values = [
        (config, "client"),
        (config.stakeholders[0], "name"),
        (config.scenarios[0], "revenue"),
        (config.budget, "mix"),
        (config.lead_management, "nurture_days"),
        (config.questions, "questions"),
    ]
    for value, name in values:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, name, None)


# --- each section, parsed into its value ----------------------------------------------------


def test_scenarios_become_typed_overrides_with_the_top_level_budget_underneath():
    config, problems = parsed(
        "budget: {mix: {webinar: 3, events: 1}, cost_per_inquiry: {events: 300}}\n"
        "scenarios:\n"
        "  - name: later\n"
        "    description: Starts in April\n"
        "    targets: {period_start: 2027-04, period_months: 6, revenue: 5000000}\n"
        "    assumptions: {avg_deal_size: 42000, lag_days: {opportunity_won: 90}}\n"
        "    budget: {cost_per_inquiry: {webinar: 50}, healthy_ltv_cac: 4}\n"
        "  - name: plain\n"
    )
    assert problems == {}
    later, plain = config.scenarios
    assert later == Scenario(
        name="later",
        description="Starts in April",
        revenue=5_000_000.0,
        period_start="2027-04",  # YAML reads 2027-04 as text; a date would give the same
        period_months=6,
        ramp_months=None,
        avg_deal_size=42_000.0,
        conversion={},
        lag_days={"opportunity_won": 90.0},
        budget=BudgetSettings(
            mix={"webinar": 3.0, "events": 1.0},
            cost_per_inquiry={"events": 300.0, "webinar": 50.0},
            healthy_ltv_cac=4.0,
        ),
    )
    assert plain.budget == config.budget  # nothing of its own: the top level's
    assert (plain.revenue, plain.period_start, plain.avg_deal_size) == (None, None, None)


def test_a_scenario_month_may_be_written_as_a_date():
    (scenario,), problems = parse_scenarios(
        [{"name": "x", "targets": {"period_start": dt.date(2027, 4, 1)}}], stages=STAGES
    )
    assert problems == [] and scenario.period_start == "2027-04"


def test_lead_management_keeps_the_defaults_where_it_is_silent():
    config, problems = parsed(
        "lead_management:\n"
        "  stages: {mql: {definition: {en: Score 60+, fr: Score 60+ (fr)}, owner: ' sdr '}}\n"
        "  sla_days: {mql_sal: 1}\n"
        "  recycle: {from_stages: [mql]}\n"
    )
    assert problems == {}
    assert config.lead_management == LeadManagementSettings(
        stages={"mql": {"definition": {"en": "Score 60+", "fr": "Score 60+ (fr)"}, "owner": "sdr"}},
        sla_days={"mql_sal": 1, "sal_sql": 14, "sql_opportunity": 30},
        nurture_days=90,
        recycle_from=("mql",),
        engaged_days=90,
        min_warm_leads=2,
    )


def test_questions_hold_each_language_a_text_applies_to_every_language():
    config, problems = parsed(
        "content:\n  questions:\n"
        "    economic_buyer: {decision: ' Why now? '}\n"
        "    default: {awareness: {fr: 'Pourquoi changer ?'}}\n"
    )
    assert problems == {}
    assert config.questions == QuestionOverrides(
        {
            "economic_buyer": {"decision": {"en": "Why now?", "fr": "Why now?"}},
            "default": {"awareness": {"fr": "Pourquoi changer ?"}},
        }
    )


def test_stakeholders_and_hypotheses_are_typed():
    config, problems = parsed(
        "stakeholders:\n  - {name: ' Ann ', role: CMO, function: marketing}\n  - {name: Bob}\n"
        "hypotheses: [Webinars convert best, 42]\n"
    )
    assert problems == {}
    assert config.stakeholders == (
        Stakeholder("Ann", "CMO", "marketing"),
        Stakeholder("Bob", "", ""),
    )
    assert config.hypotheses == ("Webinars convert best", "42")


def test_columns_and_values_become_one_frozen_mapping_per_file():
    config, problems = parsed(
        "columns:\n  leads: {lead_id: Record ID, source_channel: 7}\n"
        "values:\n  opportunities:\n    status: {' Closed Won ': won, Lost: lost}\n"
    )
    assert problems == {}
    assert config.mapping("leads").headers == {"lead_id": "Record ID", "source_channel": "7"}
    assert config.mapping("opportunities").values == {
        "status": {"closed won": "won", "lost": "lost"}
    }
    assert config.mapping("spend").headers == {} and config.mapping("spend").values == {}
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.mapping("leads").headers = {}  # type: ignore[misc]


def test_mapping_errors_name_their_key():
    _, problems = parsed(
        "columns:\n  leads: {lead_idd: Record ID, created_at: [a]}\n"
        "values:\n  opportunities: {status: won}\n"
    )
    assert problems == {
        "columns.leads.lead_idd": "unknown key 'lead_idd': did you mean 'lead_id'?",
        "columns.leads.created_at": "must be the export's header",
        "values.opportunities.status": "must map the export's values to contract values",
    }


# --- errors, each naming its key path -------------------------------------------------------


def test_scenario_errors_are_all_reported_with_their_key():
    _, problems = parsed(
        "scenarios:\n"
        "  - {name: a, targets: {revenue: -5, ramp_month: 2}, colour: red}\n"
        "  - {name: a, assumptions: {conversion: {inquiry_mq: 0.2, mql_sal: 1.5}}}\n"
        "  - {name: b, assumptions: {lag_days: {sal_sql: -3}, avg_deal_size: big}}\n"
        "  - {name: c, targets: {period_start: '2027-13'}}\n"
        "  - {name: d, budget: {mix: {webinar: -1}}}\n"
        "  - {name: e, targets: [1], description: 5}\n"
    )
    assert "above 0" in problems["scenarios[1].targets.revenue"]
    assert "did you mean 'ramp_months'" in problems["scenarios[1].targets.ramp_month"]
    assert "valid keys: name, description" in problems["scenarios[1].colour"]
    assert "unique" in problems["scenarios[2].name"]
    assert (
        "did you mean 'inquiry_mql'" in problems["scenarios[2].assumptions.conversion.inquiry_mq"]
    )
    assert "(0, 1]" in problems["scenarios[2].assumptions.conversion.mql_sal"]
    assert ">= 0" in problems["scenarios[3].assumptions.lag_days.sal_sql"]
    assert "above 0" in problems["scenarios[3].assumptions.avg_deal_size"]
    assert "2027-01" in problems["scenarios[4].targets.period_start"]
    assert ">= 0" in problems["scenarios[5].budget.mix.webinar"]
    assert "must not all be 0" in problems["scenarios[5].budget.mix"]
    assert problems["scenarios[6].targets"] == "must be a section of key: value lines"
    assert problems["scenarios[6].description"] == "must be text"
    assert len(problems) == 13


def test_budget_errors_are_listed_with_their_key():
    _, problems = parsed("budget: {mix: {webinar: -1}, cost_per_inqury: {}, healthy_ltv_cac: 0}\n")
    assert problems == {
        "budget.mix.webinar": "must be a number >= 0, got -1",
        "budget.mix": "the shares must not all be 0 (they are normalised)",
        "budget.cost_per_inqury": "unknown key 'cost_per_inqury': did you mean 'cost_per_inquiry'?",
        "budget.healthy_ltv_cac": "must be a number above 0, got 0",
    }
    settings, found = parse_budget({"mix": {"webinar": 0}}, where="scenarios[2].budget")
    assert [(p.column, p.message) for p in found] == [
        ("scenarios[2].budget.mix", "the shares must not all be 0 (they are normalised)")
    ]
    assert settings.healthy_ltv_cac == 3.0  # a wrong value never replaces a valid one


def test_lead_management_and_question_errors_name_their_key():
    _, problems = parsed(
        "lead_management:\n"
        "  sla_dayz: {mql_sal: 1}\n"
        "  accounts: {min_warm_leads: 1}\n"
        "content:\n  questions:\n"
        "    economic_buyr: {decision: x}\n"
        "    end_user: {decison: x, awareness: '', retention: {de: x}}\n"
    )
    assert problems == {
        "lead_management.sla_dayz": "unknown key 'sla_dayz': did you mean 'sla_days'?",
        "lead_management.accounts.min_warm_leads": "must be a whole number >= 2, got 1",
        "content.questions.economic_buyr": (
            "unknown persona 'economic_buyr': did you mean 'economic_buyer'?"
        ),
        "content.questions.end_user.decison": (
            "unknown buying stage 'decison': did you mean 'decision'?"
        ),
        "content.questions.end_user.awareness": "the question must not be empty",
        "content.questions.end_user.retention.de": "unknown language 'de': use en or fr",
    }


def test_lead_management_subsections_written_as_lists_are_errors_not_crashes():
    _, problems = parsed("lead_management:\n  stages: [mql, sal]\n  sla_days: [2]\n")
    assert problems == {
        "lead_management.stages": "must be a section",
        "lead_management.sla_days": "must be a section",
    }


def test_sections_are_checked_once_the_rest_of_the_file_holds():
    # a wrong currency is reported alone: the sections rest on a valid file
    _, problems = parsed("currency: euro\nbudget: {mix: {webinar: -1}}\n")
    assert list(problems) == ["currency"]
    # an entry of scenarios: without a name is part of the file's shape
    _, problems = parsed("scenarios: [{description: x}, {name: a, targets: {revenue: -1}}]\n")
    assert problems == {"scenarios[1]": "each needs a name and its overrides"}
    config, problems = parsed("analysys: {window_months: 6}\n")
    assert config is None
    assert problems == {"analysys": "unknown key 'analysys': did you mean 'analysis'?"}


def test_reading_a_folder_raises_every_problem_of_its_engagement_yaml(tmp_path):
    bad = TINY_YAML + "budget: {mix: {webinar: -1}}\nlead_management: {recycle: 3}\n"
    directory = write_engagement(tmp_path / "e", {"engagement.yaml": bad})
    with pytest.raises(EngagementError) as info:
        read_engagement_config(directory)
    assert [p.column for p in info.value.problems] == [
        "budget.mix.webinar",
        "budget.mix",
        "lead_management.recycle",
    ]
    assert info.value.audit.errors == info.value.problems
    good = write_engagement(tmp_path / "g", {"engagement.yaml": TINY_YAML})
    assert read_engagement_config(good).targets.revenue == 1_000_000.0
