"""Hostile and broken engagement.yaml (issue 19, items 7, 12, 13, 14, 15).

Each case is a configuration error naming its key (or the file), never an internal error:
names written with capitals or spaces match the data, impossible dates, absurd sizes, YAML
aliases that expand without end, and a snapshot date before the data.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import TINY_YAML, write_engagement
from workbook.analysis.content import content_matrix
from workbook.cli import main
from workbook.deliverables.strategy import build_strategy
from workbook.deliverables.strategy_text import plan_table
from workbook.intake.engagement import load_engagement, read_engagement_config
from workbook.intake.io import read_yaml
from workbook.intake.problems import EngagementError
from workbook.intake.schema import DEFAULT_BUYING_STAGES, DEFAULT_PERSONAS, DEFAULT_STAGES

TINY_AS_OF = "as_of: 2026-06-30\n"


def engagement_dir(tmp_path: Path, yaml_text: str) -> Path:
    """The tiny engagement with ``yaml_text`` as its engagement.yaml."""
    return write_engagement(tmp_path / "e", {"engagement.yaml": yaml_text})


def tiny_yaml(extra: str = "", *, as_of: str = "2026-06-30") -> str:
    """The tiny engagement.yaml with another ``as_of`` and ``extra`` lines at the end."""
    return TINY_YAML.replace(TINY_AS_OF, f"as_of: {as_of}\n") + extra


def run_cli(capsys, *argv: str) -> tuple[int, str]:
    """Exit code and stderr of ``workbook ARGV`` (argparse's exits included)."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    err = capsys.readouterr().err
    assert "internal error" not in err
    assert "Traceback" not in err
    return code, err


def config_problems(directory: Path) -> dict[str | None, str]:
    """The problems of reading ``directory``'s engagement.yaml, as key path -> message."""
    with pytest.raises(EngagementError) as caught:
        read_engagement_config(directory)
    assert {p.file for p in caught.value.problems} == {"engagement.yaml"}
    return {p.column: p.message for p in caught.value.problems}


# --- item 7: names are compared after one normalisation ----------------------------------

CAPITALISED = """\
stages: [Inquiry, MQL, SAL, SQL, Opportunity, Won]
personas: [Economic Buyer, Technical Evaluator, End-User]
buying_stages: [Awareness, Consideration, Decision, Retention]
content:
  questions:
    Economic Buyer:
      Decision: Why now?
budget:
  mix: {Paid Search: 2, Webinar: 1}
  cost_per_inquiry: {Paid-Search: 40}
assumptions:
  conversion: {MQL_SAL: 0.5}
  lag_days: {Opportunity_Won: 30}
scenarios:
  - name: big
    budget: {mix: {Paid Social: 1}}
lead_management:
  stages:
    MQL: {owner: marketing}
  sla_days: {MQL_SAL: 3}
  recycle: {from_stages: [MQL, SQL]}
"""


def test_names_written_with_capitals_spaces_or_hyphens_are_the_datas_keys(tmp_path):
    config = read_engagement_config(engagement_dir(tmp_path, tiny_yaml(CAPITALISED)))
    assert config.stages == DEFAULT_STAGES
    assert config.personas == DEFAULT_PERSONAS
    assert config.buying_stages == DEFAULT_BUYING_STAGES
    assert config.questions.question("economic_buyer", "decision", language="en") == "Why now?"
    assert dict(config.budget.mix) == {"paid_search": 2.0, "webinar": 1.0}
    assert dict(config.budget.cost_per_inquiry) == {"paid_search": 40.0}
    assert dict(config.scenarios[0].budget.mix) == {"paid_social": 1.0}
    assert config.assumptions.conversion == {"mql_sal": 0.5}
    assert config.assumptions.lag_days == {"opportunity_won": 30.0}
    assert config.lead_management.stages == {"mql": {"owner": "marketing"}}
    assert config.lead_management.sla_days["mql_sal"] == 3
    assert config.lead_management.recycle_from == ("mql", "sql")


def test_capitalised_personas_match_the_data_and_reports_show_the_human_label(tmp_path):
    capitalised = load_engagement(engagement_dir(tmp_path, tiny_yaml(CAPITALISED)))
    plain = load_engagement(write_engagement(tmp_path / "plain"))
    config = capitalised.config

    def matrix(engagement):
        c = engagement.config
        return content_matrix(
            engagement.content, personas=c.personas, buying_stages=c.buying_stages
        )

    # the same assets fill the same cells: economic_buyer x awareness holds A1, and so on
    assert matrix(capitalised).equals(matrix(plain))
    assert matrix(capitalised).loc["economic_buyer", "awareness"] == 1
    assert not [w for w in capitalised.audit.warnings if "persona not in" in w.message]
    cells = plan_table(build_strategy(capitalised).content)["cell"].tolist()
    assert "Economic buyer × decision" in cells
    assert not any("_" in cell or "Economic Buyer" in cell for cell in cells)
    assert config.personas[0] == "economic_buyer"


@pytest.mark.parametrize(
    ("extra", "key", "message"),
    [
        (
            "personas: [Economic Buyer, economic_buyer]\n",
            "personas",
            "names must not repeat once case, spaces and underscores are ignored: "
            "['Economic Buyer', 'economic_buyer']",
        ),
        (
            "budget:\n  mix: {Paid Search: 1, paid_search: 2}\n",
            "budget.mix.paid_search",
            "'paid_search' and 'Paid Search' are the same channel once case, spaces and "
            "underscores are ignored: keep one",
        ),
        (
            "content:\n  questions:\n    economic buyer: {decision: A}\n    Economic_Buyer: {}\n",
            "content.questions.Economic_Buyer",
            "'Economic_Buyer' and 'economic buyer' are the same persona once case, spaces and "
            "underscores are ignored: keep one",
        ),
        ("personas: [Economic Buyer, [nested]]\n", "personas", "must be a non-empty list of names"),
    ],
)
def test_names_that_repeat_once_normalised_are_an_error_naming_the_key(
    tmp_path, capsys, extra, key, message
):
    directory = engagement_dir(tmp_path, tiny_yaml(extra))
    assert config_problems(directory) == {key: message}
    code, err = run_cli(capsys, "kpis", str(directory))
    assert code == 1
    assert f"engagement.yaml, key {key}: {message}" in err


# --- item 12: a date that is no day of the calendar ---------------------------------------


def test_an_impossible_as_of_in_engagement_yaml_is_an_error_naming_as_of(tmp_path, capsys):
    directory = engagement_dir(tmp_path, tiny_yaml(as_of="2026-02-30"))
    message = "must be a date like 2026-09-30 (a day of the calendar), got '2026-02-30'"
    assert config_problems(directory) == {"as_of": message}
    for command in ("validate", "kpis", "plan", "content", "score"):
        code, err = run_cli(capsys, command, str(directory))
        assert code == 1, command
        if command != "validate":  # validate prints its audit on stdout
            assert f"engagement.yaml, key as_of: {message}" in err


def test_an_impossible_month_or_time_is_an_error_naming_its_key(tmp_path):
    text = tiny_yaml().replace("period_start: 2027-01", "period_start: 2027-02-30")
    directory = engagement_dir(tmp_path, text.replace("2026-06-30", "2026-06-30 25:00"))
    assert config_problems(directory) == {
        "as_of": "must be a date like 2026-09-30 (a day of the calendar), got '2026-06-30 25:00'",
        "targets.period_start": "must be a month like '2027-01' (from 1980-01 to 2099-12), "
        "got '2027-02-30'",
    }


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01", "2300-01-01"])
def test_an_implausible_as_of_is_an_error_naming_as_of(tmp_path, capsys, as_of):
    directory = engagement_dir(tmp_path, tiny_yaml(as_of=as_of))
    message = f"must be a date from 1980-01-01 to 2099-12-31, got {as_of}"
    assert config_problems(directory) == {"as_of": message}
    code, err = run_cli(capsys, "kpis", str(directory))
    assert code == 1
    assert f"engagement.yaml, key as_of: {message}" in err
    code, err = run_cli(capsys, "run", str(write_engagement(tmp_path / "f")), "--as-of", as_of)
    assert code == 2
    assert f"argument --as-of: {message}" in err


def test_an_implausible_plan_start_is_an_error_naming_its_key(tmp_path):
    text = tiny_yaml().replace("period_start: 2027-01", "period_start: 9999-12")
    assert config_problems(engagement_dir(tmp_path, text)) == {
        "targets.period_start": "must be a month like '2027-01' (from 1980-01 to 2099-12), "
        "got '9999-12'"
    }


def test_an_impossible_as_of_flag_is_a_usage_error_naming_it(tmp_path, capsys):
    directory = write_engagement(tmp_path / "e")
    code, err = run_cli(capsys, "run", str(directory), "--as-of", "2026-02-30")
    assert code == 2
    assert (
        "argument --as-of: must be a date like 2026-09-30 (a day of the calendar), "
        "got '2026-02-30'" in err
    )
    with pytest.raises(EngagementError) as caught:
        load_engagement(directory, as_of="2026-02-30")
    assert caught.value.problems[0].describe() == (
        "as_of: must be a date like 2026-09-30 (a day of the calendar), got '2026-02-30'"
    )


# --- item 13: every size-like setting is bounded -----------------------------------------

BOUNDS = [
    (
        "targets:\n  revenue: 1000000\n  period_months: 100000\n",
        "targets.period_months",
        "must be a whole number from 1 to 120, got 100000",
    ),
    (
        "targets:\n  revenue: 1000000\n  ramp_months: 100000\n",
        "targets.ramp_months",
        "must be a whole number from 0 to 120, got 100000",
    ),
    (
        "analysis:\n  window_months: 100000000\n",
        "analysis.window_months",
        "must be a whole number from 1 to 120, got 100000000",
    ),
    (
        "analysis:\n  horizon_days: 100000000\n",
        "analysis.horizon_days",
        "must be a whole number from 1 to 3650, got 100000000",
    ),
    (
        "content:\n  min_assets_per_cell: 1000000000\n",
        "content.min_assets_per_cell",
        "must be a whole number from 1 to 1000, got 1000000000",
    ),
    (
        "content:\n  stale_months: -5\n",
        "content.stale_months",
        "must be a whole number from 1 to 120, got -5",
    ),
    (
        "targets:\n  revenue: .inf\n",
        "targets.revenue",
        "must be a number above 0 and below 1e+15, got inf",
    ),
    (
        "targets:\n  revenue: 1.0e+300\n",
        "targets.revenue",
        "must be a number above 0 and below 1e+15, got 1e+300",
    ),
    (
        "assumptions:\n  avg_deal_size: .nan\n",
        "assumptions.avg_deal_size",
        "must be a number above 0 and below 1e+15, got nan",
    ),
    (
        "assumptions:\n  lag_days: {opportunity_won: 1.0e+300}\n",
        "assumptions.lag_days.opportunity_won",
        "a lag is days >= 0 and at most 3650, got 1e+300",
    ),
    (
        "budget:\n  mix: {webinar: .inf, events: 1}\n",
        "budget.mix.webinar",
        "must be a number >= 0, got inf",
    ),
    (
        "budget:\n  cost_per_inquiry: {webinar: 1.0e+300}\n",
        "budget.cost_per_inquiry.webinar",
        "must be a number >= 0 and below 1e+15, got 1e+300",
    ),
    (
        "scenarios:\n  - name: long\n    targets: {period_months: 100000}\n",
        "scenarios[1].targets.period_months",
        "must be a whole number from 1 to 120, got 100000",
    ),
    (
        "lead_management:\n  sla_days: {mql_sal: 1000000000}\n",
        "lead_management.sla_days.mql_sal",
        "must be a whole number from 0 to 3650, got 1000000000",
    ),
    (
        "lead_management:\n  recycle: {nurture_days: 1000000000}\n",
        "lead_management.recycle.nurture_days",
        "must be a whole number from 0 to 3650, got 1000000000",
    ),
    (
        "lead_management:\n  accounts: {engaged_days: 1000000000, min_warm_leads: 2}\n",
        "lead_management.accounts.engaged_days",
        "must be a whole number from 1 to 3650, got 1000000000",
    ),
    (
        "scenarios:\n" + "".join(f"  - name: s{i}\n" for i in range(51)),
        "scenarios",
        "at most 50 scenarios, got 51: keep the ones the client will compare",
    ),
]


@pytest.mark.parametrize(("extra", "key", "message"), BOUNDS, ids=[key for _, key, _ in BOUNDS])
def test_an_absurd_size_is_an_error_naming_its_key(tmp_path, capsys, extra, key, message):
    text = f"client: Tiny Test Co\n{TINY_AS_OF}{extra}"  # the contract's defaults elsewhere
    directory = engagement_dir(tmp_path, text)
    assert config_problems(directory) == {key: message}
    code, err = run_cli(capsys, "kpis", str(directory))
    assert code == 1
    assert f"engagement.yaml, key {key}: {message}" in err


def test_simulate_and_seed_are_bounded_usage_errors(tmp_path, capsys):
    directory = write_engagement(tmp_path / "e")
    code, err = run_cli(capsys, "plan", str(directory), "--simulate", "1000000000")
    assert code == 2
    assert "workbook plan: --simulate takes a number of draws from 0 to 100,000" in err
    for command in ("plan", "score", "run"):
        code, err = run_cli(capsys, command, str(directory), "--seed", "-1")
        assert code == 2
        assert "argument --seed: must be a whole number from 0 to 4294967295, got '-1'" in err


# --- item 14: aliases that expand far beyond the file ---------------------------------------


def laughs(key: str, *, levels: int = 9) -> str:
    """The "billion laughs": 9 levels of 9 aliases of the level below, the last under ``key``."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]")
    return "\n".join(lines) + f"\n{key}\n"


@pytest.mark.parametrize(
    "key",
    [
        "hypotheses: [*a8, *a8]",
        "client: *a8",
        "stakeholders:\n  - {name: Ann, role: *a8, function: sales}",
        "values:\n  leads: {persona: {cfo: *a8}}",
    ],
)
def test_aliases_expanding_far_beyond_the_file_are_refused(tmp_path, capsys, key):
    text = laughs(key)
    directory = engagement_dir(tmp_path, text)
    with pytest.raises(EngagementError) as caught:
        read_yaml(directory / "engagement.yaml")
    (problem,) = caught.value.problems
    limit = 10_000 + 10 * len(text)
    assert problem.describe() == (
        f"engagement.yaml: refused: its aliases (*name) expand to over {limit:,} values from "
        f"{len(text):,} characters, or an alias sits inside the value it names; write the "
        "values out instead of repeating an alias"
    )
    code, err = run_cli(capsys, "kpis", str(directory))
    assert code == 1
    assert "engagement.yaml: refused: its aliases (*name) expand" in err


def test_an_alias_inside_the_value_it_names_is_refused(tmp_path):
    directory = engagement_dir(tmp_path, tiny_yaml("hypotheses: &h [a, *h]\n"))
    with pytest.raises(EngagementError) as caught:
        read_yaml(directory / "engagement.yaml")
    assert "an alias sits inside the value it names" in caught.value.problems[0].message


def test_aliases_that_repeat_a_section_a_few_times_are_read(tmp_path):
    extra = (
        "budget:\n  mix: &mix {webinar: 2, events: 1}\n"
        "scenarios:\n"
        "  - {name: a, budget: {mix: *mix}}\n"
        "  - {name: b, budget: {mix: *mix}}\n"
    )
    config = read_engagement_config(engagement_dir(tmp_path, tiny_yaml(extra)))
    assert [dict(s.budget.mix) for s in config.scenarios] == [
        {"webinar": 2.0, "events": 1.0},
        {"webinar": 2.0, "events": 1.0},
    ]


# --- item 15: an as_of before the data -----------------------------------------------------


def test_an_as_of_before_every_date_is_an_error_saying_the_datas_range(tmp_path, capsys):
    directory = engagement_dir(tmp_path, tiny_yaml(as_of="2020-01-01"))
    message = (
        "engagement.yaml, key as_of: 2020-01-01 is before the data, whose dates run from "
        "2026-01-05 (the first journey of leads.csv) to 2026-06-20; set as_of to the day the "
        "data was exported"
    )
    with pytest.raises(EngagementError) as caught:
        load_engagement(directory)
    assert [p.describe() for p in caught.value.problems] == [message]
    code, err = run_cli(capsys, "kpis", str(directory))
    assert code == 1
    assert message in err
    with pytest.raises(EngagementError) as caught:  # the same date given to a run
        load_engagement(write_engagement(tmp_path / "plain"), as_of=dt.date(2020, 1, 1))
    assert caught.value.problems[0].column == "as_of"


def test_an_as_of_on_the_first_day_of_the_data_is_accepted(tmp_path):
    engagement = load_engagement(engagement_dir(tmp_path, tiny_yaml(as_of="2026-01-05")))
    assert engagement.as_of == dt.date(2026, 1, 5)
