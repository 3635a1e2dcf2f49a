"""The synthetic engagement generator and writer (workbook.synthetic).

Generations are small so the file stays fast: 2,000 leads for the structure, 10,000 (0.1 s)
for the planted story, checked with margins wide enough for that size.
"""

from __future__ import annotations

import datetime as dt
import runpy
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.intake.config import parse_config
from workbook.intake.engagement import load_engagement
from workbook.intake.schema import DATA_FILES, column_rules
from workbook.synthetic import (
    FRAME_COLUMNS,
    engagement_yaml_text,
    format_dates,
    generate_engagement,
    sample_config,
    write_engagement,
)

AS_OF = pd.Timestamp("2026-09-30")
N_LEADS = 2_000
N_STORY_LEADS = 10_000
STAGE_COLUMNS = ("created_at", "mql_at", "sal_at", "sql_at")


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return generate_engagement(n_leads=N_LEADS, seed=7)


@pytest.fixture(scope="module")
def story() -> dict[str, pd.DataFrame]:
    return generate_engagement(n_leads=N_STORY_LEADS, seed=7)


def _leads_with_opportunity_dates(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    leads = frames["leads"].copy()
    opps = frames["opportunities"].dropna(subset=["lead_id"]).set_index("lead_id")
    leads["opportunity_at"] = leads["lead_id"].map(opps["created_at"])
    leads["won_at"] = leads["lead_id"].map(opps["closed_at"].where(opps["status"] == "won"))
    # The contract: an empty stage with a later one set was passed on the later date.
    leads["mql_at"] = leads["mql_at"].fillna(leads["sal_at"])
    return leads


def test_the_same_seed_gives_identical_frames_and_another_seed_different_ones():
    first = generate_engagement(n_leads=300, seed=11)
    again = generate_engagement(n_leads=300, seed=11)
    other = generate_engagement(n_leads=300, seed=12)
    for name in DATA_FILES:
        pd.testing.assert_frame_equal(first[name], again[name])
    assert not first["leads"]["created_at"].equals(other["leads"]["created_at"])


#: Contract columns for other exports' shapes, not drawn: the link from a lead to the
#: opportunity it converted into (Salesforce), an opportunity's own channel (no leads file).
NOT_DRAWN = {("leads", "opportunity_id"), ("opportunities", "source_channel")}


def test_frames_carry_exactly_the_contract_columns_in_order(frames):
    assert sorted(frames) == sorted(DATA_FILES)
    for name in DATA_FILES:
        contract = tuple(
            rule.name for rule in column_rules(name) if (name, rule.name) not in NOT_DRAWN
        )
        assert tuple(frames[name].columns) == contract == FRAME_COLUMNS[name], name


def test_sizes_scale_with_the_number_of_leads(frames):
    assert len(frames["leads"]) == N_LEADS
    assert frames["leads"]["lead_id"].is_unique
    assert frames["leads"]["lead_id"].iloc[[0, -1]].tolist() == ["L000001", "L002000"]
    assert len(frames["content"]) == 60
    assert len(frames["spend"]) == 24 * 8  # 24 months x 8 channels
    assert 4.0 <= len(frames["touches"]) / N_LEADS <= 6.0
    assert frames["opportunities"]["opportunity_id"].is_unique


def test_stage_dates_are_in_order_and_never_after_as_of(frames):
    leads = frames["leads"]
    for earlier, later in zip(STAGE_COLUMNS[:-1], STAGE_COLUMNS[1:], strict=True):
        both = leads[earlier].notna() & leads[later].notna()
        assert (leads.loc[both, later] >= leads.loc[both, earlier]).all(), (earlier, later)
    # a later stage implies the earlier ones, except the planted MQL skips
    assert (leads["sql_at"].isna() | leads["sal_at"].notna()).all()
    assert (leads["sal_at"].isna() | leads["created_at"].notna()).all()
    last_stage = leads[list(STAGE_COLUMNS)].max(axis=1)
    dq = leads["disqualified_at"].notna()
    assert (leads.loc[dq, "disqualified_at"] > last_stage[dq]).all()
    date_columns = [*STAGE_COLUMNS, "disqualified_at"]
    assert (leads[date_columns].max() <= AS_OF).all()
    opps = frames["opportunities"]
    assert opps["created_at"].max() <= AS_OF and opps["closed_at"].max() <= AS_OF
    assert (opps["closed_at"].dropna() >= opps.loc[opps["closed_at"].notna(), "created_at"]).all()
    assert frames["touches"]["touched_at"].max() < AS_OF + pd.Timedelta(days=1)
    assert frames["content"]["published_at"].max() <= AS_OF


def test_about_three_percent_of_leads_skip_mql(story):
    leads = story["leads"]
    skipped = leads["mql_at"].isna() & leads["sal_at"].notna()
    assert 0.02 <= skipped.mean() <= 0.04


def test_opportunities_link_to_existing_leads_after_their_sql_date(frames):
    leads = frames["leads"].set_index("lead_id")
    opps = frames["opportunities"]
    linked = opps.dropna(subset=["lead_id"])
    assert linked["lead_id"].isin(leads.index).all()
    assert linked["lead_id"].is_unique  # one opportunity per lead at most
    lead = leads.loc[linked["lead_id"]]
    assert (linked["created_at"].to_numpy() >= lead["sql_at"].to_numpy()).all()
    assert (linked["sourced_by"].to_numpy() == lead["sourced_by"].to_numpy()).all()
    assert (linked["account_id"].to_numpy() == lead["account_id"].to_numpy()).all()
    # closed_at is empty exactly when the opportunity is still open
    assert (opps["closed_at"].isna() == (opps["status"] == "open")).all()
    assert set(opps["status"]) == {"open", "won", "lost"}
    # lead-less opportunities come from sales (most), partners, referrals and renewals
    unlinked = opps.loc[opps["lead_id"].isna(), "sourced_by"]
    assert set(unlinked) <= {"sales", "partner", "referral", "renewal"}
    assert unlinked.value_counts().index[0] == "sales"


def test_about_a_third_of_opportunities_are_sales_sourced(story):
    opps = story["opportunities"]
    assert 0.30 <= (opps["sourced_by"] == "sales").mean() <= 0.42
    assert set(opps.loc[opps["lead_id"].isna(), "sourced_by"]) == {
        "sales",
        "partner",
        "referral",
        "renewal",
    }


def test_amounts_are_non_negative_cents_with_the_planted_medians(story):
    opps = story["opportunities"]
    assert (opps["amount"] >= 0).all()
    np.testing.assert_allclose(opps["amount"], opps["amount"].round(2))
    median = opps.groupby("sourced_by")["amount"].median()
    # each source's median is pinned to its target (first-year contract value, EUR); an even
    # count averages the two middle amounts, hence the tolerance
    assert median["marketing"] == pytest.approx(40_000, rel=0.03)
    assert median["sales"] == pytest.approx(55_000, rel=0.03)
    assert median["renewal"] == pytest.approx(30_000, rel=0.10)


def test_content_has_the_planted_gaps_untagged_and_stale_assets(frames):
    content = frames["content"]
    tagged = content.dropna(subset=["persona", "buying_stage"])
    matrix = pd.crosstab(tagged["persona"], tagged["buying_stage"])
    matrix = matrix.reindex(
        index=sample_config()["personas"], columns=sample_config()["buying_stages"], fill_value=0
    )
    assert matrix.loc["economic_buyer", "decision"] == 0
    assert matrix.loc["technical_evaluator", "retention"] == 1
    assert matrix.loc["end_user", "consideration"] == 1
    assert int((matrix < 2).to_numpy().sum()) == 3  # no other gap
    assert (content["persona"].isna() | content["buying_stage"].isna()).sum() == 5
    stale = content["published_at"] < AS_OF - pd.DateOffset(months=18)
    assert stale.sum() == 6
    assert content["asset_id"].tolist()[:3] == ["A001", "A002", "A003"]
    assert content["title"].is_unique
    assert (content["views"] >= 0).all()


def test_duplicate_emails_repeat_an_earlier_lead_up_to_case_and_spaces(story):
    email = story["leads"]["email"]
    key = email.str.strip().str.lower()
    repeated = key.duplicated()
    assert 0.01 <= repeated.mean() <= 0.02
    first_seen = email.groupby(key).transform("first")
    assert (email[repeated] != first_seen[repeated]).all()  # differs in case or spaces
    assert key.str.endswith(".example").all()
    assert (email[~repeated] == key[~repeated]).all()  # originals are clean


def test_mql_to_sal_is_the_leaky_step_among_mature_leads(story):
    leads = _leads_with_opportunity_dates(story)
    mature = leads.loc[leads["created_at"] <= AS_OF - pd.Timedelta(days=365)]
    ladder = ["created_at", "mql_at", "sal_at", "sql_at", "opportunity_at"]
    rates = {
        f"{a}->{b}": mature[b].notna().sum() / mature[a].notna().sum()
        for a, b in zip(ladder[:-1], ladder[1:], strict=True)
    }
    # planted: inquiry->mql ~0.25, mql->sal ~0.45, sal->sql ~0.60, sql->opportunity ~0.55
    assert rates["mql_at->sal_at"] == pytest.approx(0.45, abs=0.05)
    assert rates["sal_at->sql_at"] == pytest.approx(0.60, abs=0.07)
    assert rates["created_at->mql_at"] == pytest.approx(0.25, abs=0.025)
    leakiest = min(rates, key=lambda k: rates[k] if k != "created_at->mql_at" else 1.0)
    assert leakiest == "mql_at->sal_at"


def test_paid_social_leads_convert_far_less_than_webinar_leads(story):
    leads = story["leads"]
    reached_sql = leads["sql_at"].notna().groupby(leads["source_channel"]).mean()
    assert reached_sql["paid_social"] * 3 < reached_sql["webinar"]
    spend = story["spend"].groupby("channel")["amount"].sum()
    assert spend.idxmax() == "paid_social"
    assert spend.idxmin() == "organic"


def test_touches_before_sql_are_busier_and_more_decision_stage(story):
    leads = story["leads"][["lead_id", "created_at", "sql_at", "disqualified_at"]]
    content = story["content"]
    decision = set(content.loc[content["buying_stage"] == "decision", "asset_id"])
    touches = story["touches"].merge(leads, on="lead_id")
    assert (touches["touched_at"] >= touches["created_at"]).all()
    # the moment that decides: SQL for leads that reached it, else disqualification or as_of
    touches["cut"] = touches["sql_at"].fillna(touches["disqualified_at"]).fillna(AS_OF)
    before = touches.loc[touches["touched_at"] < touches["cut"]]
    last_30 = before.loc[before["touched_at"] >= before["cut"] - pd.Timedelta(days=30)]
    reached = before.groupby("lead_id")["sql_at"].first().notna()
    n_30 = last_30.groupby("lead_id").size().reindex(reached.index, fill_value=0)
    n_decision = (
        before.loc[before["asset_id"].isin(decision)]
        .groupby("lead_id")
        .size()
        .reindex(reached.index, fill_value=0)
    )
    assert n_30[reached].mean() > 1.5 * n_30[~reached].mean()
    assert n_decision[reached].mean() > 2.5 * n_decision[~reached].mean()
    # some touches come after the lead's outcome
    assert (touches["touched_at"] >= touches["cut"] + pd.Timedelta(days=1)).mean() > 0.03


@settings(max_examples=12, deadline=None)
@given(n_leads=st.integers(1, 400), seed=st.integers(0, 2**32 - 1), months=st.integers(1, 30))
def test_any_generation_keeps_dates_ordered_and_within_as_of(n_leads, seed, months):
    frames = generate_engagement(n_leads=n_leads, months=months, seed=seed)
    leads = frames["leads"]
    assert len(leads) == n_leads
    first_month = (AS_OF.to_period("M") - (months - 1)).to_timestamp()
    assert leads["created_at"].min() >= first_month
    dates = leads[[*STAGE_COLUMNS, "disqualified_at"]]
    assert (dates.max(axis=1) <= AS_OF).all()
    filled = dates[list(STAGE_COLUMNS)].bfill(axis=1)  # a skipped mql takes the sal date
    assert (filled.diff(axis=1).iloc[:, 1:].fillna(pd.Timedelta(0)) >= pd.Timedelta(0)).all().all()
    opps = frames["opportunities"]
    assert opps["lead_id"].dropna().isin(leads["lead_id"]).all()


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="n_leads"):
        generate_engagement(n_leads=0)
    with pytest.raises(ValueError, match="as_of"):
        generate_engagement(n_leads=10, as_of="30/09/2026")


def test_format_dates_writes_day_first_with_time_only_when_present():
    # reference values written by hand
    with_time = pd.Series(pd.to_datetime(["2026-03-01 14:05", None, "2025-12-31 00:00"]))
    assert format_dates(with_time, "%d/%m/%Y").tolist() == [
        "01/03/2026 14:05",
        "",
        "31/12/2025 00:00",
    ]
    dates_only = pd.Series(pd.to_datetime(["2026-03-01", "2024-02-29"]))
    assert format_dates(dates_only, "%Y-%m-%d").tolist() == ["2026-03-01", "2024-02-29"]


def test_sample_config_yaml_round_trips_with_contract_keys_and_quoted_month():
    config = sample_config()
    text = engagement_yaml_text(config)
    assert text.startswith("# Acme Industrial")
    assert "as_of: 2026-09-30\n" in text
    assert "  period_start: '2027-01'\n" in text
    assert "stages: [inquiry, mql, sal, sql, opportunity, won]\n" in text
    loaded = yaml.safe_load(text)
    assert loaded == config
    assert loaded["as_of"] == dt.date(2026, 9, 30)
    assert list(loaded)[:11] == [
        "client",
        "currency",
        "language",
        "as_of",
        "stages",
        "buying_stages",
        "personas",
        "analysis",
        "targets",
        "economics",
        "content",
    ]
    assert {p["function"] for p in loaded["stakeholders"]} == {
        "executive",
        "sales",
        "product",
        "marketing",
        "operations",
        "technology",
    }
    parsed, problems = parse_config(loaded)
    assert problems == [] and parsed is not None
    assert parsed.targets.period_start == "2027-01" and parsed.targets.revenue == 6_000_000


def test_french_writer_uses_semicolons_bom_day_first_dates_and_decimal_commas(frames, tmp_path):
    small = {
        "opportunities": pd.DataFrame(
            {
                "opportunity_id": ["O1", "O2"],
                "created_at": pd.to_datetime(["2026-03-01", "2026-03-02"]),
                "closed_at": pd.to_datetime(["2026-04-15", None]),
                "amount": [48000.5, 1234.25],
            }
        ),
        "touches": frames["touches"].head(3),
    }
    folder = write_engagement(small, tmp_path / "fr", style="fr")
    raw = (folder / "data" / "opportunities.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw[3:].decode("utf-8").split("\r\n")
    assert lines[0] == "opportunity_id;created_at;closed_at;amount"
    assert lines[1] == "O1;01/03/2026;15/04/2026;48000,5"
    assert lines[2] == "O2;02/03/2026;;1234,25"
    touch_line = (folder / "data" / "touches.csv").read_bytes()[3:].decode().split("\r\n")[1]
    first = frames["touches"].iloc[0]
    assert touch_line.split(";")[1] == first["touched_at"].strftime("%d/%m/%Y %H:%M")
    assert (folder / "engagement.yaml").read_text(encoding="utf-8").startswith("# Acme")


def test_english_writer_uses_commas_iso_dates_and_points(tmp_path):
    small = {
        "spend": pd.DataFrame({"month": ["2026-03"], "channel": ["webinar"], "amount": [48000.5]}),
        "content": pd.DataFrame(
            {"asset_id": ["A1"], "published_at": pd.to_datetime(["2026-03-01"]), "views": [7]}
        ),
    }
    folder = write_engagement(small, tmp_path / "en", style="en")
    assert (folder / "data" / "spend.csv").read_bytes() == (
        b"month,channel,amount\n2026-03,webinar,48000.5\n"
    )
    assert (folder / "data" / "content.csv").read_bytes() == (
        b"asset_id,published_at,views\nA1,2026-03-01,7\n"
    )


@pytest.mark.parametrize("style", ["en", "fr"])
def test_written_engagement_loads_without_errors_and_counts_the_duplicates(tmp_path, style):
    frames = generate_engagement(n_leads=N_LEADS, seed=3)
    folder = write_engagement(frames, tmp_path / style, style=style)
    engagement = load_engagement(folder)
    audit = engagement.audit.to_dict()
    assert audit["errors"] == []
    for name, frame in frames.items():
        assert audit["rows"][name] == {"read": len(frame), "used": len(frame), "quarantined": 0}
    expected = int(frames["leads"]["email"].str.strip().str.lower().duplicated().sum())
    assert audit["duplicates"]["leads"] == expected
    assert engagement.as_of == dt.date(2026, 9, 30)
    amounts = engagement.opportunities.set_index("opportunity_id")["amount"]
    expected_amounts = frames["opportunities"].set_index("opportunity_id")["amount"]
    np.testing.assert_allclose(amounts.loc[expected_amounts.index], expected_amounts)


def test_bundled_sample_exists_and_matches_the_generator_header():
    folder = Path(__file__).resolve().parents[1] / "data_samples" / "acme_industrial"
    header = (folder / "data" / "leads.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    assert header == ",".join(FRAME_COLUMNS["leads"])
    assert yaml.safe_load((folder / "engagement.yaml").read_text()) == sample_config()
    assert (folder / "data" / "touches.csv").stat().st_size < 8_000_000


def test_the_bundled_sample_is_byte_for_byte_what_generate_sample_writes(tmp_path, capsys):
    # the committed folder is reproducible: same seed, same generator, same bytes
    samples = Path(__file__).resolve().parents[1] / "data_samples"
    script = runpy.run_path(str(samples / "generate_sample.py"))
    assert script["main"](["--out", str(tmp_path / "acme")]) == 0
    assert "leads 20,000" in capsys.readouterr().out
    committed = sorted(
        p.relative_to(samples / "acme_industrial")
        for p in (samples / "acme_industrial").rglob("*")
        if p.is_file()
    )
    written = sorted(
        p.relative_to(tmp_path / "acme") for p in (tmp_path / "acme").rglob("*") if p.is_file()
    )
    assert (
        written
        == committed
        == [Path("data") / f"{name}.csv" for name in sorted(DATA_FILES)] + [Path("engagement.yaml")]
    )
    for relative in committed:
        assert (tmp_path / "acme" / relative).read_bytes() == (
            samples / "acme_industrial" / relative
        ).read_bytes(), relative


def test_yaml_text_quotes_what_yaml_would_misread():
    config = {
        "client": "R&D, Inc: test",
        "hypotheses": ["webinars convert, events do not", "yes", "2027-01"],
        "economics": {"gross_margin": 1e-05, "annual_churn": 0.15},
        "language": "no",
    }
    loaded = yaml.safe_load(engagement_yaml_text(config))
    assert loaded == config


@pytest.mark.filterwarnings("error::RuntimeWarning")
@pytest.mark.parametrize("n_leads", [1, 2, 3, 5, 8])
def test_a_handful_of_leads_generates_cleanly_whatever_the_seed(n_leads):
    # with so few leads the hand-raisers alone can exceed a step's rate: no NaN rates, no error
    for seed in range(40):
        frames = generate_engagement(n_leads=n_leads, seed=seed)
        assert len(frames["leads"]) == n_leads


def test_the_bundled_sparse_client_is_byte_for_byte_what_generate_sample_writes(tmp_path):
    # the second sample: leads and opportunities only, ladder [lead, mql, opportunity, won]
    samples = Path(__file__).resolve().parents[1] / "data_samples"
    script = runpy.run_path(str(samples / "generate_sample.py"))
    assert script["main"](["--sparse", "--out", str(tmp_path / "sparse")]) == 0
    committed = sorted(
        p.relative_to(samples / "sparse_client")
        for p in (samples / "sparse_client").rglob("*")
        if p.is_file()
    )
    assert committed == [
        Path("data/leads.csv"),
        Path("data/opportunities.csv"),
        Path("engagement.yaml"),
    ]
    for relative in committed:
        assert (tmp_path / "sparse" / relative).read_bytes() == (
            samples / "sparse_client" / relative
        ).read_bytes(), relative
    config = yaml.safe_load((samples / "sparse_client" / "engagement.yaml").read_text())
    assert config["stages"] == ["lead", "mql", "opportunity", "won"]
    opportunities = pd.read_csv(samples / "sparse_client" / "data" / "opportunities.csv")
    unpriced = opportunities["amount"].isna()
    assert unpriced.any() and opportunities.loc[unpriced, "status"].eq("open").all()
