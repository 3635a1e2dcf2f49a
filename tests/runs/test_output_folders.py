"""Output folders (issue 19, items 3, 17, 18): client slugs that never collide, a client
folder that is never written by another client, and output folders that cannot be written.

Tests run as root here, and root ignores permissions: a folder that cannot be written is made
by a regular file standing where the folder should be, or by an ``OSError`` raised at the
write (ENOSPC, EACCES) with monkeypatch.
"""

from __future__ import annotations

import concurrent.futures as cf
import errno
import hashlib
import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import write_engagement
from tests.runs.test_batch import make_engagement, make_notebooks_dir
from workbook.cli import main
from workbook.intake import io
from workbook.runs import batch, folders, pipeline
from workbook.runs.folders import (
    CLIENT_MARKER,
    ClientFolderError,
    OutputFolderError,
    check_client_folder,
    folder_owner,
)
from workbook.runs.outcomes import BatchRow
from workbook.runs.pipeline import engagement_slug, prepare_reports, run_reports
from workbook.runs.publish import publish_reports, record_failure
from workbook.runs.runner import NotebookRunError
from workbook.runs.slugs import client_name_hash, slugify

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def sha8(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]


# --- item 3: slugs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Acme Industrial", "acme-industrial"),  # README and tests rely on it
        ("Müller & Söhne GmbH", "muller-sohne-gmbh"),
        ("Газпром", "gazprom"),
        ("Объединённая Компания", "obedinyonnaya-kompaniya"),
        ("Київстар", "kiyivstar"),
        ("Ελληνική Εταιρεία", "elliniki-etaireia"),
        ("日本株式会社", f"engagement-{sha8('日本株式会社')}"),
        ("شركة أرامكو", f"engagement-{sha8('شركة أرامكو')}"),
        ("Acme 株式会社", f"acme-{sha8('Acme 株式会社')}"),
        ("!!!", f"engagement-{sha8('!!!')}"),
        ("Ünïcode SA ☃", "unicode-sa"),  # a symbol is a separator, like punctuation
    ],
)
def test_slugs_transliterate_and_end_with_the_name_hash_when_letters_are_lost(name, expected):
    assert slugify(name) == expected
    assert slugify(expected) == expected


def test_different_clients_get_different_folders_whatever_the_alphabet_or_length():
    long_prefix = "Acme Holdings International Manufacturing and Distribution Group "
    names = [
        "日本株式会社",
        "中国银行",
        "中国建设银行",
        "شركة أرامكو",
        "شركة سابك",
        "Газпром",
        "Роснефть",
        "Ελληνική Εταιρεία",
        "Αθήνα Ναυτιλιακή",
        "!!!",
        "???",
        long_prefix + "Europe",
        long_prefix + "Asia",
    ]
    slugs = [slugify(name) for name in names]
    assert len(set(slugs)) == len(names)
    assert slugs[-2:] == [
        f"acme-holdings-international-manufacturing-and-distr-{sha8(long_prefix + 'Europe')}",
        f"acme-holdings-international-manufacturing-and-distr-{sha8(long_prefix + 'Asia')}",
    ]
    assert all(SLUG.match(slug) and len(slug) <= 60 for slug in slugs)


def test_the_hash_is_of_the_name_without_surrounding_spaces_as_engagement_yaml_reads_it():
    assert client_name_hash("  日本  ") == sha8("日本")
    assert slugify("  日本  ") == slugify("日本") == f"engagement-{sha8('日本')}"


@given(st.lists(st.text("日本中国银行株式会社شركةأرامكو!?#", min_size=1), min_size=2, unique=True))
def test_names_spelled_without_ascii_letters_never_share_a_slug(names):
    slugs = [slugify(name) for name in names]
    assert len(set(slugs)) == len(names)
    assert all(SLUG.match(slug) and slugify(slug) == slug for slug in slugs)


def test_workbook_run_and_batch_use_the_same_slug(tmp_path):
    for index, client in enumerate(["  日本株式会社  ", "Газпром", "!!!", "Acme Industrial"]):
        folder = make_engagement(tmp_path, f"e{index}", client=client)
        assert engagement_slug(folder) == prepare_reports(folder).client_slug == slugify(client)


def test_a_batch_of_non_latin_clients_writes_each_into_its_own_folder(tmp_path, monkeypatch):
    def job(job: batch.BatchJob) -> BatchRow:
        return BatchRow(job.engagement_dir, job.client_slug, "succeeded", 0.1)

    monkeypatch.setattr(batch, "run_engagement_job", job)
    clients = ["日本株式会社", "中国银行", "!!!", "???", "Газпром"]
    engagements = [
        make_engagement(tmp_path, f"e{index}", client=name) for index, name in enumerate(clients)
    ]
    with cf.ThreadPoolExecutor(2) as pool:
        result = batch.run_batch(
            engagements,
            out_dir=tmp_path / "out",
            notebooks_dir=make_notebooks_dir(tmp_path),
            executor=pool,
            phases=["kickoff"],
            progress=False,
        )
    assert [row.status for row in result.rows] == ["succeeded"] * 5
    assert [row.client_slug for row in result.rows] == [slugify(name) for name in clients]
    assert result.rows[0].client_slug == f"engagement-{sha8('日本株式会社')}"


# --- item 3: a client folder holds one client's reports ------------------------------------------


def test_the_first_write_records_the_client_and_the_same_client_may_write_again(tmp_path):
    out = tmp_path / "out"
    record_failure(out, "acme-industrial", "first failure", client="Acme Industrial")
    assert (out / "acme-industrial" / CLIENT_MARKER).read_text(encoding="utf-8") == (
        "Acme Industrial\n"
    )
    # case and spacing do not make another client
    record_failure(out, "acme-industrial", "second failure", client="ACME  industrial")
    assert (out / "acme-industrial" / "failed" / "error.txt").read_text() == "second failure\n"
    assert folder_owner(out / "acme-industrial") == "Acme Industrial"


def test_another_client_with_the_same_slug_is_refused_and_nothing_is_lost(tmp_path):
    out = tmp_path / "out"
    record_failure(out, "acme-industrial", "Acme's failure", client="Acme Industrial")
    with pytest.raises(ClientFolderError) as caught:
        record_failure(out, "acme-industrial", "other failure", client="Acme-Industrial")
    folder = out.resolve() / "acme-industrial"
    assert str(caught.value) == (
        f"{folder} holds the reports of client 'Acme Industrial', not of 'Acme-Industrial'; "
        "nothing was written there. Give this client a distinct name (engagement.yaml, key "
        "client) or publish into another folder (option --out); if 'Acme Industrial' is "
        f"really the same client, delete {folder / CLIENT_MARKER}."
    )
    assert (folder / "failed" / "error.txt").read_text() == "Acme's failure\n"
    # a client whose engagement.yaml cannot be read never writes into a claimed folder
    with pytest.raises(ClientFolderError, match="client is unknown"):
        record_failure(out, "acme-industrial", "unreadable yaml", client=None)
    assert (folder / "failed" / "error.txt").read_text() == "Acme's failure\n"


def test_publishing_into_another_clients_folder_moves_nothing(tmp_path):
    report_dir = tmp_path / "out" / "acme"
    report_dir.mkdir(parents=True)
    (report_dir / CLIENT_MARKER).write_text("Acme\n", encoding="utf-8")
    (report_dir / "00_kickoff.html").write_text("Acme's report", encoding="utf-8")
    built = tmp_path / "staging" / "report"
    built.mkdir(parents=True)
    (built / "00_kickoff.html").write_text("ACME! report", encoding="utf-8")
    with pytest.raises(ClientFolderError, match="'Acme', not of 'ACME!'"):
        publish_reports(built, report_dir=report_dir, staging=tmp_path / "staging", client="ACME!")
    assert (report_dir / "00_kickoff.html").read_text() == "Acme's report"
    assert (built / "00_kickoff.html").read_text() == "ACME! report"


def test_the_claim_works_without_hard_links(tmp_path, monkeypatch):
    def no_links(source, target):
        raise OSError(errno.EPERM, "Operation not permitted", str(source))

    monkeypatch.setattr(folders.os, "link", no_links)
    record_failure(tmp_path / "out", "beta", "failure", client="Beta")
    assert folder_owner(tmp_path / "out" / "beta") == "Beta"
    with pytest.raises(ClientFolderError):
        record_failure(tmp_path / "out", "beta", "failure", client="Beta!")


def test_a_folder_published_before_the_marker_existed_is_anybodys(tmp_path):
    (tmp_path / "acme").mkdir()
    check_client_folder(tmp_path / "acme", "Whoever")  # no marker: no error
    assert folder_owner(tmp_path / "acme") is None


def test_workbook_run_refuses_another_clients_folder_before_any_notebook(tmp_path, capsys):
    engagement = make_engagement(tmp_path, "acme", client="Acme-Industrial")
    folder = tmp_path / "out" / "acme-industrial"
    folder.mkdir(parents=True)
    (folder / CLIENT_MARKER).write_text("Acme Industrial\n", encoding="utf-8")
    (folder / "00_kickoff.html").write_text("Acme Industrial's report", encoding="utf-8")
    code = main(["run", str(engagement), "--out", str(tmp_path / "out"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(
        f"workbook run: {folder.resolve()} holds the reports of client 'Acme Industrial', not "
        "of 'Acme-Industrial'; nothing was written there."
    )
    assert "internal error" not in err
    assert sorted(p.name for p in folder.iterdir()) == [CLIENT_MARKER, "00_kickoff.html"]
    assert (folder / "00_kickoff.html").read_text() == "Acme Industrial's report"


def test_batch_reports_the_refused_engagement_and_publishes_the_others(tmp_path):
    notebooks = make_notebooks_dir(tmp_path)
    refused = make_engagement(tmp_path, "acme", client="Acme-Industrial")
    other = make_engagement(tmp_path, "beta", client="Beta")
    folder = tmp_path / "out" / "acme-industrial"
    folder.mkdir(parents=True)
    (folder / CLIENT_MARKER).write_text("Acme Industrial\n", encoding="utf-8")
    (folder / "00_kickoff.html").write_text("Acme Industrial's report", encoding="utf-8")
    with cf.ThreadPoolExecutor(1) as pool:
        result = batch.run_batch(
            [refused, other],
            out_dir=tmp_path / "out",
            notebooks_dir=notebooks,
            executor=pool,
            phases=["kickoff"],
            progress=False,
        )
    assert [row.status for row in result.rows] == ["failed", "succeeded"]
    assert result.rows[0].reason.startswith(
        f"{folder.resolve()} holds the reports of client 'Acme Industrial', not of "
        "'Acme-Industrial'; nothing was written there."
    )
    assert result.rows[0].failure_dir is None
    assert sorted(p.name for p in folder.iterdir()) == [CLIENT_MARKER, "00_kickoff.html"]
    assert folder_owner(tmp_path / "out" / "beta") == "Beta"
    assert (tmp_path / "out" / "beta" / "00_kickoff.html").is_file()
    assert result.exit_code == 1


# --- item 17: an output folder that cannot be written -----------------------------------------


@pytest.mark.parametrize("under", [False, True])
def test_workbook_run_into_a_file_says_it_is_not_a_folder(tmp_path, capsys, under):
    blocking = tmp_path / "reports"
    blocking.write_text("a file, not a folder", encoding="utf-8")
    out = blocking / "sub" if under else blocking
    code = main(["run", str(write_engagement(tmp_path / "e")), "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    assert err == (
        f"workbook run: cannot write into the output folder {out}: {blocking} is a file, not a "
        "folder; remove that file or choose another folder (option --out). Nothing was "
        "published; earlier reports are as they were.\n"
    )
    assert blocking.read_text() == "a file, not a folder"


def test_workbook_batch_into_a_file_fails_before_anything_runs(tmp_path, capsys):
    blocking = tmp_path / "reports"
    blocking.write_text("x", encoding="utf-8")
    code = main(["batch", str(write_engagement(tmp_path / "e")), "--out", str(blocking)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(
        f"workbook batch: cannot write into the output folder {blocking}: {blocking} is a file"
    )
    assert "internal error" not in err


def test_a_read_only_output_folder_is_permission_denied(tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"

    def denied(*, prefix, dir):
        raise PermissionError(errno.EACCES, "Permission denied", str(Path(dir) / prefix))

    monkeypatch.setattr(folders.tempfile, "mkdtemp", denied)
    code = main(["run", str(write_engagement(tmp_path / "e")), "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(
        f"workbook run: cannot write into the output folder {out}: permission denied "
        f"({out / 'tiny-test-co'}); make it writable or choose another folder (option --out)."
    )


@pytest.mark.parametrize(
    ("error", "problem"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
        (OSError(errno.EROFS, "Read-only file system"), "it is on a read-only file system"),
    ],
)
def test_a_full_or_read_only_disk_during_the_run_is_named(
    tmp_path, capsys, monkeypatch, error, problem
):
    def fails(*args, **kwargs):
        raise error

    monkeypatch.setattr(pipeline, "run_engagement", fails)
    out = tmp_path / "out"
    code = main(["run", str(write_engagement(tmp_path / "e")), "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(f"workbook run: cannot write into the output folder {out}: {problem}")
    assert "internal error" not in err


def test_a_notebook_that_cannot_be_saved_on_a_full_disk_is_a_folder_error(tmp_path, monkeypatch):
    def fails(*args, **kwargs):
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as cause:
            raise NotebookRunError(
                notebook_path=Path("00_kickoff.ipynb"), error_name="OSError", error_message="x"
            ) from cause

    monkeypatch.setattr(pipeline, "run_engagement", fails)
    with pytest.raises(OutputFolderError, match="the disk is full"):
        run_reports(write_engagement(tmp_path / "e"), out_dir=tmp_path / "out")


@pytest.mark.notebook
def test_disk_full_while_writing_a_report_keeps_the_previous_reports(tmp_path, monkeypatch):
    from workbook.runs import runner

    engagement = write_engagement(tmp_path / "e")
    out = tmp_path / "out"
    previous = out / "tiny-test-co" / "00_kickoff.html"
    previous.parent.mkdir(parents=True)
    previous.write_text("last week's report", encoding="utf-8")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(runner, "write_phase_reports", full)
    with pytest.raises(OutputFolderError) as caught:
        run_reports(
            engagement,
            out_dir=out,
            phases=["kickoff"],
            notebooks_dir=make_notebooks_dir(tmp_path),
            key_tables=False,
        )
    assert caught.value.problem == "the disk is full (no space left on device)"
    assert previous.read_text() == "last week's report"
    recorded = (out / "tiny-test-co" / "failed" / "error.txt").read_text()
    assert recorded.startswith("Run failed in phase kickoff: OSError: [Errno 28] No space left")
    assert [p.name for p in out.iterdir()] == ["tiny-test-co"]  # no hidden folder left


def test_an_error_about_another_folder_is_not_blamed_on_the_output_folder(tmp_path):
    elsewhere = PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "data.csv"))
    assert folders.output_folder_error(elsewhere, tmp_path / "out") is None
    missing = FileNotFoundError(errno.ENOENT, "No such file", str(tmp_path / "out" / "x"))
    assert folders.output_folder_error(missing, tmp_path / "out") is None


# --- items 17 and 18: score --out --------------------------------------------------------------


def test_score_out_refuses_a_missing_folder_and_creates_nothing(tiny_dir, tmp_path, capsys):
    target = tmp_path / "nonexistent" / "dir" / "s.csv"
    assert main(["score", str(tiny_dir), "--out", str(target)]) == 2
    assert capsys.readouterr().err == (
        f"workbook score: --out {target}: the folder {target.parent} does not exist; create "
        "it first or choose another path\n"
    )
    assert not (tmp_path / "nonexistent").exists()


def test_score_out_refuses_a_folder_as_the_file(tiny_dir, tmp_path, capsys):
    assert main(["score", str(tiny_dir), "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"workbook score: --out {tmp_path}: {tmp_path} is a folder; give a file name, e.g. "
        f"{tmp_path / 'scores.csv'}\n"
    )


def test_score_out_under_a_file_says_it_is_not_a_folder(tiny_dir, tmp_path, capsys):
    blocking = tmp_path / "notes.txt"
    blocking.write_text("x", encoding="utf-8")
    assert main(["score", str(tiny_dir), "--out", str(blocking / "s.csv")]) == 1
    assert capsys.readouterr().err == (
        f"workbook score: cannot write into the output folder {blocking}: {blocking} is a "
        "file, not a folder; remove that file or choose another path (option --out). Nothing "
        "was written.\n"
    )


@pytest.mark.parametrize(
    ("kind", "problem"),
    [
        (errno.ENOSPC, "the disk is full (no space left on device)"),
        (errno.EACCES, "permission denied ({tmp}/.s.csv.tmp)"),
    ],
)
def test_score_out_on_a_full_or_read_only_folder_says_so(
    tiny_dir, tmp_path, capsys, monkeypatch, kind, problem
):
    from workbook.analysis import scoring

    scores = pd.DataFrame({"lead_id": ["L1"], "score": [0.5]})
    monkeypatch.setattr(scoring, "build_scoring", lambda *a, **k: SimpleNamespace(scores=scores))

    def fails(path, text):
        if kind == errno.ENOSPC:
            raise OSError(kind, "No space left on device")
        raise PermissionError(kind, "Permission denied", str(path.parent / ".s.csv.tmp"))

    monkeypatch.setattr(io, "write_text_atomically", fails)
    assert main(["score", str(tiny_dir), "--out", str(tmp_path / "s.csv")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        f"workbook score: cannot write into the output folder {tmp_path}: "
        + problem.format(tmp=tmp_path)
    )
    assert err.endswith("(option --out). Nothing was written.\n")
    assert "internal error" not in err and not (tmp_path / "s.csv").exists()
