"""Real CRMs' ladders end to end (CONTRACT section 3, issue 16 item 2).

Three engagements drawn by the synthetic generator and reshaped as the CRMs export them:

``opportunity_won``
    ``[opportunity, won]``: an opportunities-only CRM, no leads file, no channel column.
``mql_won``
    ``[mql, won]``: a closed-deals export, each lead entering at MQL, won on its deal's close.
``five_stages``
    ``[lead, mql, sql, opportunity, won]``: no sales-acceptance stage.

Spend and content are kept, so what is checked is the ladder alone. A third of the open
deals have no amount yet (item 3). Every command answers (exit 0, or a refusal in words),
and the three reports and the workbook name no stage the ladder lacks and show no
``None``, ``nan`` or ``-`` standing for a figure.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from workbook.cli import main
from workbook.synthetic import generate_engagement
from workbook.synthetic import write_engagement as write_synthetic
from workbook.synthetic.engagement_yaml import sample_config

LADDERS = {
    "opportunity_won": ("opportunity", "won"),
    "mql_won": ("mql", "won"),
    "five_stages": ("lead", "mql", "sql", "opportunity", "won"),
}
#: How each stage reads in the English reports (a stage outside the ladder must not appear).
STAGE_WORDS = {
    "inquiry": r"\bInquir(y|ies)\b",
    "mql": r"\bMQLs?\b",
    "sal": r"\bSALs?\b",
    "sql": r"\bSQLs?\b",
    "opportunity": r"\bOpportunity\b",
}
#: What stands for a missing figure: None, nan, NaT anywhere; a dash in a sentence.
PLACEHOLDER = re.compile(r"\bNone\b|\bnan\b|\bNaN\b|\bNaT\b|(: | of |, | is | at )-( |[,.;)]|$)")


def ladder_case(name: str, directory: Path, *, n_leads: int = 1500, seed: int = 3) -> Path:
    """A synthetic engagement reshaped to the ladder ``name`` (see the module docstring)."""
    frames = generate_engagement(n_leads=n_leads, seed=seed)
    opportunities = frames["opportunities"].copy()
    open_rows = np.flatnonzero(opportunities["status"].eq("open").to_numpy())
    opportunities.loc[opportunities.index[open_rows[::3]], "amount"] = np.nan
    leads = frames["leads"]
    out = {"opportunities": opportunities, "spend": frames["spend"], "content": frames["content"]}
    if name == "mql_won":
        # every lead of the export entered at MQL: its creation is its MQL date
        out["leads"] = leads.drop(columns=["mql_at", "sal_at", "sql_at"])
        out["touches"] = frames["touches"]
    elif name == "five_stages":
        out["leads"] = leads.drop(columns=["sal_at"])
        out["touches"] = frames["touches"]
    config = sample_config()
    config["stages"] = list(LADDERS[name])
    return write_synthetic(out, directory, config=config)


@pytest.fixture(scope="module", params=list(LADDERS))
def case(request, tmp_path_factory) -> tuple[str, Path]:
    directory = ladder_case(request.param, tmp_path_factory.mktemp(request.param) / "e")
    return request.param, directory


@pytest.fixture(scope="module")
def reports(case, tmp_path_factory) -> tuple[str, dict[str, str]]:
    """Every phase run once per ladder; the text of the three reports and of the workbook."""
    name, directory = case
    out = tmp_path_factory.mktemp(f"{name}_out")
    assert main(["run", str(directory), "--phase", "all", "--out", str(out), "--quiet"]) == 0
    texts = {path.name: html_text(path) for path in sorted(out.rglob("*.html"))}
    for path in out.rglob("*.xlsx"):
        texts[path.name] = workbook_text(path)
    assert len(texts) == 4
    return name, texts


def html_text(path: Path) -> str:
    """What a reader sees of a report: its text, one line per element, no scripts or images."""
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", path.read_text("utf-8"), flags=re.S)
    page = re.sub(r'<img[^>]*\balt="([^"]*)"[^>]*>', r"\n\1\n", page)  # a chart's words
    page = re.sub(r"<[^>]+>", "\n", page)
    return "\n".join(line.strip() for line in html.unescape(page).splitlines() if line.strip())


def workbook_text(path: Path) -> str:
    """Every non-empty cell of the workbook, one per line."""
    book = load_workbook(path, read_only=True)
    cells = (
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None and str(value).strip()
    )
    return "\n".join(cells)


@pytest.mark.parametrize("command", ["validate", "kpis", "plan", "content", "score"])
def test_each_command_answers_on_the_ladder(case, command, capsys):
    name, directory = case
    code = main([command, str(directory), "--json"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "internal error" not in captured.err
    if code != 0:  # a refusal says in words what is missing, naming the command
        assert command == "score" and f"workbook {command}:" in captured.err
        return
    data = json.loads(captured.out)
    stages = LADDERS[name]
    if command == "kpis":
        assert [(row["from"], row["to"]) for row in data["funnel"]] == list(
            zip(stages[:-1], stages[1:], strict=True)
        )
        assert set(data["velocity"]) == {f"{stages[0]}_won"} | {
            f"{a}_{b}" for a, b in zip(stages[:-1], stages[1:], strict=True)
        }
    if command == "plan":
        assert data["stages"] == list(stages)
        assert set(data["assumptions"]["conversion"]) == {
            f"{a}_{b}" for a, b in zip(stages[:-1], stages[1:], strict=True)
        }
        # a step the data does not have is never a sure thing of no time
        assert all(0 < rate < 1 for rate in data["assumptions"]["conversion"].values())
    if command == "score":
        assert data["target"] in stages[1:]
    if command == "validate":
        assert data["ok"] is True


def test_the_reports_name_only_the_ladders_stages_and_show_no_placeholder(reports):
    name, texts = reports
    stages = LADDERS[name]
    for file, content in texts.items():
        for stage, words in STAGE_WORDS.items():
            if stage not in stages:
                found = [line for line in content.splitlines() if re.search(words, line)]
                assert not found, (file, stage, found[:3])
        bad = [line for line in content.splitlines() if PLACEHOLDER.search(line)]
        assert not bad, (file, bad[:5])
        assert "100.0%, 0 days" not in content and "100%, 0 days" not in content


def test_a_ladder_without_any_channel_says_so_and_shows_no_not_recorded_channel(reports):
    name, texts = reports
    kickoff, midpoint = texts["00_kickoff.html"], texts["01_midpoint_insights.html"]
    if name == "opportunity_won":
        # no opportunity carries a channel: one sentence says so, no "Not recorded" channel
        # stands alone in a chart, a table, the demand process or the workbook
        assert "No channel was recorded in the export, so leads cannot be shown" in kickoff
        assert "Not recorded brings the most leads" not in kickoff
        assert "No lead's first-touch channel was recorded" in midpoint  # spend was provided
        assert "No channel recorded in the export" in texts["02_final_strategy.html"]
        for file, content in texts.items():
            assert "Not recorded" not in content, file
    else:
        assert "No channel was recorded in the export" not in kickoff
        assert "Not recorded" not in midpoint


def test_stuck_deals_without_amount_say_so_and_the_sum_covers_the_priced_ones(tmp_path):
    from dataclasses import replace

    import pandas as pd

    from tests.conftest import write_engagement
    from workbook.deliverables.display import table_html
    from workbook.deliverables.midpoint import build_midpoint, stuck_opportunities
    from workbook.deliverables.midpoint_text import midpoint_sentences
    from workbook.deliverables.table_columns import table_columns
    from workbook.intake.engagement import load_engagement

    report = build_midpoint(load_engagement(write_engagement(tmp_path / "e")))
    opportunities = pd.DataFrame(
        {
            "opportunity_id": ["O7", "O8", "O9"],
            "account_id": ["A1", "A2", "A3"],
            "sourced_by": ["marketing"] * 3,
            "product": ["Core"] * 3,
            "created_at": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]),
            "closed_at": pd.NaT,
            "status": ["open"] * 3,
            "amount": [40_000.0, float("nan"), 12_500.0],
        }
    )
    stuck = stuck_opportunities(opportunities, as_of=pd.Timestamp("2026-06-30"), threshold_days=59)
    assert stuck["opportunity_id"].tolist() == ["O7", "O8", "O9"]  # oldest first
    report = replace(report, stuck_opportunities=stuck)
    en = midpoint_sentences(report, language="en", currency="EUR")["stuck_opportunities"]
    fr = midpoint_sentences(report, language="fr", currency="EUR")["stuck_opportunities"]
    assert en.startswith("3 open opportunities have been open longer than 59 days")
    assert "; 2 of them have an amount, worth €52,500 together (the amount of the others" in en
    assert "2 d'entre elles ont un montant, 52\u202f500\u202f€ au total" in fr
    for language, words in (("en", "amount not set"), ("fr", "montant non renseigné")):
        shown = table_html(stuck, table_columns("stuck_opportunities", language), language=language)
        assert shown.count(words) == 1 and ">-<" not in shown


def test_a_channel_not_recorded_reads_so_in_both_languages_and_keeps_its_deals(tmp_path):
    from workbook.analysis.kpis import compute_kpis
    from workbook.deliverables.display import table_html
    from workbook.deliverables.kickoff import build_kickoff, kickoff_sentences
    from workbook.deliverables.table_columns import table_columns
    from workbook.intake.engagement import load_engagement

    engagement = load_engagement(ladder_case("opportunity_won", tmp_path / "e", n_leads=400))
    channels = compute_kpis(engagement).channels.set_index("channel")
    closed = engagement.opportunities
    won = closed.loc[
        (closed["status"] == "won")
        & closed["closed_at"].between(engagement.window_start, engagement.as_of_timestamp)
    ]
    # every won deal of the window is counted, under "not recorded", its spend unknown
    assert channels.loc["not_recorded", "won_count"] == len(won) > 0
    assert np.isnan(channels.loc["not_recorded", "spend"])
    # with no channel recorded at all, no channel's return can be measured
    assert channels["roi"].isna().all() and channels["cac"].isna().all()
    for language, words in (("en", "Not recorded"), ("fr", "Non renseigné")):
        shown = table_html(
            channels.reset_index(), table_columns("kpi_channels", language), language=language
        )
        assert words in shown and "ROI" not in shown  # an empty column is left out
    # no deal has a channel: the kickoff says so in one sentence, naming no "Non renseigné"
    # channel (when only some lack one, the label stands as one channel among others)
    report = build_kickoff(engagement, language="fr")
    mix = kickoff_sentences(report, language="fr", currency="EUR")["mix"]
    assert mix.startswith(
        "Aucun canal n'est renseigné dans l'export\u00a0: les leads ne peuvent pas être "
        "présentés par canal. "
    )
    assert "Non renseigné apporte" not in mix


def test_content_credits_an_unpriced_deal_at_the_average_won_amount(tmp_path):
    from tests.conftest import TINY_OPPS, TINY_TOUCHES, TINY_YAML, write_engagement
    from workbook.analysis.content.report import build_content_report
    from workbook.intake.engagement import load_engagement

    # [mql, won]: no opportunity stage, so a deal is dated by its own created_at
    leads = "lead_id,created_at,source_channel\nL1,2026-01-05,webinar\nL2,2026-01-06,events\n"
    leads += "L3,2026-02-01,webinar\nL4,2026-02-10,events\nL5,2026-03-01,events\n"
    opps = TINY_OPPS.replace("open,40000,", "open,,")  # L4's open deal O4 has no amount yet
    touches = TINY_TOUCHES.replace("L4,2026-02-12,paid_search,", "L4,2026-02-12,paid_search,A1")
    directory = write_engagement(
        tmp_path / "e",
        {
            "engagement.yaml": TINY_YAML + "stages: [mql, won]\n",
            "data/leads.csv": leads,
            "data/opportunities.csv": opps,
            "data/touches.csv": touches,
        },
    )
    performance = build_content_report(load_engagement(directory)).performance
    assets = performance.assets.set_index("asset_id")
    # A1: L2 (no deal) and L4, whose O4 (created 03-15, after the touch) is valued at the
    # average won amount, (50,000 + 80,000) / 2; A2, A3: L1's O1 (50,000, won 04-01)
    assert assets.loc["A1", "influenced_pipeline"] == 65_000
    assert assets.loc[["A2", "A3"], "influenced_pipeline"].tolist() == [50_000, 50_000]
    assert assets.loc[["A2", "A3"], "influenced_revenue"].tolist() == [50_000, 50_000]
    assert assets.loc["A1", "influenced_revenue"] == 0
