"""engagement.yaml's ``labels:`` in force: pretty and stage_label read them first, in both
languages, fall back to the catalogue, and never leak from one engagement to another."""

from __future__ import annotations

import contextvars
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import (
    TINY_YAML,
    execute_notebook,
    outputs_text,
    phase_outputs,
    write_engagement,
)
from workbook.deliverables.excel import write_key_tables
from workbook.deliverables.notebook import start
from workbook.i18n import pretty, set_labels, stage_label, use_labels
from workbook.i18n.overrides import labels_in_force, reset_labels

LABELS = {
    "paid_search": {"en": "Search ads", "fr": "Annonces de recherche"},
    "webinar": {"fr": "Séminaire en ligne"},  # English keeps the catalogue's
    "key_accounts": {"en": "Key accounts", "fr": "Grands comptes"},  # not in the catalogue
    "mql": {"en": "Marketing lead", "fr": "Lead marketing"},
}
LABELS_YAML = (
    "labels:\n"
    "  Paid Search: {en: Search ads, fr: Annonces de recherche}\n"
    "  mql: {en: Marketing lead, fr: Lead marketing}\n"
)


def labelled_engagement(folder: Path, labels_yaml: str = LABELS_YAML) -> Path:
    return write_engagement(folder, {"engagement.yaml": TINY_YAML + labels_yaml})


def sheet_strings(path: Path) -> set[str]:
    """Every text cell of an Excel workbook."""
    book = openpyxl.load_workbook(path, read_only=True)
    return {
        cell
        for sheet in book
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
    }


# --- pretty and stage_label -----------------------------------------------------------------


def test_pretty_reads_the_engagements_label_first_in_both_languages():
    with use_labels(LABELS):
        assert pretty("paid_search") == "Search ads"
        assert pretty("paid_search", "fr") == "Annonces de recherche"
        assert pretty("key_accounts", "fr") == "Grands comptes"
        # a language the label leaves out, and a value it does not name: the catalogue's
        assert (pretty("webinar"), pretty("webinar", "fr")) == ("Webinar", "Séminaire en ligne")
        assert (pretty("paid_social"), pretty("paid_social", "fr")) == (
            "Paid social",
            "Réseaux sociaux payants",
        )
        # values are compared as engagement.yaml's names are
        assert pretty("Paid Search") == "Search ads"
        assert pretty(None, "fr") == "Non renseigné"


def test_stage_label_reads_the_engagements_label_first_in_both_languages():
    with use_labels(LABELS):
        assert (stage_label("mql"), stage_label("mql", "fr")) == (
            "Marketing lead",
            "Lead marketing",
        )
        assert (stage_label("sal"), stage_label("won", "fr")) == ("SAL", "Gagné")
        assert pretty("mql", "fr") == "Lead marketing"


def test_outside_the_block_the_catalogue_labels_come_back():
    before = (pretty("paid_search"), pretty("paid_search", "fr"), stage_label("mql"))
    assert before == ("Paid search", "Recherche payante", "MQL")
    with use_labels(LABELS):
        pass
    assert (pretty("paid_search"), pretty("paid_search", "fr"), stage_label("mql")) == before
    assert dict(labels_in_force()) == {}


def test_nested_blocks_and_errors_restore_the_labels_in_force_before():
    with use_labels({"events": {"en": "Trade fairs"}}):
        with use_labels({"events": {"en": "Conferences"}}):
            assert pretty("events") == "Conferences"
        assert pretty("events") == "Trade fairs"
        with pytest.raises(RuntimeError), use_labels({"events": {"en": "Shows"}}):
            raise RuntimeError("a table failed")
        assert pretty("events") == "Trade fairs"
    assert pretty("events") == "Events"


def test_labels_in_force_are_a_copy_of_the_callers_mapping():
    mine = {"events": {"en": "Trade fairs"}}
    with use_labels(mine):
        mine["events"]["en"] = "Changed later"
        mine["organic"] = {"en": "Added later"}
        assert (pretty("events"), pretty("organic")) == ("Trade fairs", "Organic")


def test_set_labels_holds_for_the_rest_of_the_context_until_reset():
    def in_fresh_context() -> tuple[str, str]:
        token = set_labels({"events": {"fr": "Salons"}})
        during = pretty("events", "fr")
        reset_labels(token)
        return during, pretty("events", "fr")

    assert contextvars.copy_context().run(in_fresh_context) == ("Salons", "Événements")


# --- no leak between engagements -------------------------------------------------------------


def test_threads_of_one_process_each_see_only_their_own_labels():
    barrier = threading.Barrier(3)

    def report(label: str | None) -> list[str]:
        with use_labels({"events": {"en": label}} if label else None):
            barrier.wait(timeout=10)  # all three blocks are open at once
            seen = [pretty("events")]
            barrier.wait(timeout=10)
        return [*seen, pretty("events")]

    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(report, ["Trade fairs", "Conferences", None]))
    assert results == [["Trade fairs", "Events"], ["Conferences", "Events"], ["Events", "Events"]]
    assert pretty("events") == "Events"


def test_start_puts_the_engagements_labels_in_force_and_the_next_start_replaces_them(tmp_path):
    labelled = labelled_engagement(tmp_path / "labelled")
    plain = write_engagement(tmp_path / "plain")

    def two_notebooks() -> list[str]:
        seen = []
        for folder in (labelled, plain):
            ctx = start(folder, language="fr")
            seen += [pretty("paid_search", ctx.language), stage_label("mql", ctx.language)]
        return seen

    assert contextvars.copy_context().run(two_notebooks) == [
        "Annonces de recherche",
        "Lead marketing",
        "Recherche payante",  # the second engagement has no labels: the catalogue's
        "MQL",
    ]


def test_key_tables_of_two_engagements_written_at_once_each_show_their_labels(tmp_path):
    first = labelled_engagement(tmp_path / "first")
    second = labelled_engagement(
        tmp_path / "second", "labels:\n  paid_search: Sponsored search\n  mql: Qualified lead\n"
    )
    from workbook.intake.engagement import load_engagement

    engagements = [load_engagement(first), load_engagement(second)]
    paths = [tmp_path / "first.xlsx", tmp_path / "second.xlsx"]
    saved = [phase_outputs(e, phases=("kickoff", "midpoint")) for e in engagements]
    with ThreadPoolExecutor(2) as pool:
        list(
            pool.map(
                lambda e, p, s: write_key_tables(e, p, language="en", saved=s),
                engagements,
                paths,
                saved,
            )
        )
    first_cells, second_cells = (sheet_strings(path) for path in paths)
    assert {"Search ads", "Marketing lead"} <= first_cells
    assert {"Sponsored search", "Qualified lead"} <= second_cells
    assert not {"Sponsored search", "Qualified lead", "Paid search"} & first_cells
    assert not {"Search ads", "Marketing lead", "Paid search"} & second_cells
    assert pretty("paid_search") == "Paid search"  # nothing stays in force afterwards


# --- end to end ---------------------------------------------------------------------------------


@pytest.mark.notebook
def test_the_kickoff_report_shows_the_engagements_labels_in_french(tmp_path):
    labels = (
        "labels:\n  paid_social: {en: Social ads, fr: Publicité sociale}\n  mql: Lead marketing\n"
    )
    engagement = labelled_engagement(tmp_path / "tiny", labels)
    nb = execute_notebook(
        "00_kickoff.ipynb", tmp_path, engagement_dir=str(engagement), language="fr"
    )
    text = outputs_text(nb)
    # the hypotheses table and its sentences, and the agenda's funnel stages
    assert '<td class="txt">Publicité sociale\u00a0: 23,3\u202f% des dépenses' in text
    assert "définitions (Demande, Lead marketing, SAL, SQL, Opportunité)" in text
    # the catalogue's labels are replaced, and no raw value shows
    assert "Réseaux sociaux payants" not in text and "MQL" not in text
    assert "paid_social" not in text and "Social ads" not in text
