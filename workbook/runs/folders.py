"""Output folders: who a client folder belongs to, and what is wrong with a folder we cannot write.

A client folder is claimed by the first run that writes into it: ``OUT/<slug>/.workbook-client``
records the client's name (:data:`CLIENT_MARKER`), and a run of another client whose name has
the same slug is refused (:class:`ClientFolderError`) before it writes anything there. An
output folder that cannot be written (permission denied, read-only, disk full, a file where a
folder should be) gives an :class:`OutputFolderError` naming it (:func:`output_folder_error`).
Both are :class:`PublishError`: the command says what is wrong and exits 1.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import unicodedata
from pathlib import Path

#: The file in ``OUT/<slug>/`` holding the name of the client whose reports the folder holds.
CLIENT_MARKER = ".workbook-client"
#: What an ``OSError`` of these kinds says about the output folder, and how to fix it.
_FOLDER_PROBLEMS = {
    errno.EACCES: ("permission denied", "make it writable or choose another folder"),
    errno.EPERM: ("permission denied", "make it writable or choose another folder"),
    errno.EROFS: ("it is on a read-only file system", "choose another folder"),
    errno.ENOSPC: ("the disk is full (no space left on device)", "free some space or choose "
                   "another folder"),
    errno.EFBIG: ("a file is too large for its file system", "choose another folder"),
    errno.ENOTDIR: ("not a folder", "remove that file or choose another folder"),
    errno.EEXIST: ("not a folder", "remove that file or choose another folder"),
}  # fmt: skip
if hasattr(errno, "EDQUOT"):  # pragma: no branch - POSIX
    _FOLDER_PROBLEMS[errno.EDQUOT] = (
        "the disk quota is exceeded",
        "free some space or choose another folder",
    )


#: What an :class:`OutputFolderError` of a run says happened to the reports.
PUBLISHED_NOTHING = "Nothing was published; earlier reports are as they were."


class PublishError(Exception):
    """The reports cannot be written where they should go; nothing was published (exit 1)."""


class OutputFolderError(PublishError):
    """The output folder cannot be written: permission denied, read-only, full, not a folder.

    Attributes
    ----------
    folder : Path
        The output folder (``OUT``, or the folder of ``score --out``).
    problem : str
        What is wrong, in a few words (``permission denied``).
    path : Path or None
        The file or folder that could not be written, when known.
    """

    def __init__(
        self,
        folder: Path,
        problem: str,
        remedy: str,
        path: Path | None = None,
        *,
        outcome: str = PUBLISHED_NOTHING,
    ):
        self.folder = Path(folder)
        self.problem = problem
        self.path = None if path is None else Path(path)
        where = f" ({self.path})" if self.path is not None and self.path != self.folder else ""
        super().__init__(
            f"cannot write into the output folder {self.folder}: {problem}{where}; {remedy} "
            f"(option --out). {outcome}"
        )


class ClientFolderError(PublishError):
    """``OUT/<slug>/`` holds the reports of another client whose name has the same slug.

    Attributes
    ----------
    folder : Path
        ``OUT/<slug>``.
    client : str or None
        The client of this run (None: its engagement.yaml could not be read).
    owner : str
        The client recorded in the folder's :data:`CLIENT_MARKER`.
    """

    def __init__(self, folder: Path, *, client: str | None, owner: str):
        self.folder = Path(folder)
        self.client = client
        self.owner = owner
        this = (
            f"not of {client!r}"
            if client is not None
            else "and this engagement's client is unknown (engagement.yaml cannot be read)"
        )
        super().__init__(
            f"{self.folder} holds the reports of client {owner!r}, {this}; nothing was written "
            "there. Give this client a distinct name (engagement.yaml, key client) or publish "
            f"into another folder (option --out); if {owner!r} is really the same client, "
            f"delete {self.folder / CLIENT_MARKER}."
        )


def output_folder_error(
    error: OSError, folder: Path, *, outcome: str = PUBLISHED_NOTHING
) -> OutputFolderError | None:
    """What ``error`` says about the output folder ``folder``, or None if it is not about it.

    An error about the folder has a kind in ``_FOLDER_PROBLEMS`` and names a path inside
    ``folder`` (or the folder itself, or one of its parents), or no path at all (a write
    that ran out of space names none).

    Examples
    --------
    >>> str(output_folder_error(OSError(errno.ENOSPC, "No space left"), Path("/srv/out")))[:70]
    'cannot write into the output folder /srv/out: the disk is full (no spa'
    >>> output_folder_error(FileNotFoundError(2, "No such file", "/data/x.csv"), Path("/out"))
    """
    if error.errno not in _FOLDER_PROBLEMS:
        return None
    folder = Path(os.path.abspath(folder))
    path = Path(os.path.abspath(error.filename)) if error.filename is not None else None
    if path is not None and not (path.is_relative_to(folder) or folder.is_relative_to(path)):
        return None
    problem, remedy = _FOLDER_PROBLEMS[error.errno]
    if error.errno in (errno.ENOTDIR, errno.EEXIST):
        blocking = _first_file_on_the_way(path or folder)
        if blocking is None:
            return None
        return OutputFolderError(
            folder, f"{blocking} is a file, not a folder", remedy, outcome=outcome
        )
    return OutputFolderError(folder, problem, remedy, path, outcome=outcome)


def _first_file_on_the_way(path: Path) -> Path | None:
    """The first existing path in ``path`` and its parents that is not a folder."""
    for candidate in reversed((path, *path.parents)):
        if candidate.exists() and not candidate.is_dir():
            return candidate
    return None


def check_output_folder(
    out_dir: Path, *, client_slug: str | None = None, create: bool = True
) -> Path:
    """Check that the reports can be written into ``out_dir`` (or ``out_dir/<client_slug>``).

    Creates the folder if needed (with ``create``) and makes and removes a hidden folder in
    it. Without ``create`` nothing is left behind: a folder not there yet is checked through
    its nearest existing parent.

    Returns
    -------
    Path
        ``out_dir``, absolute.

    Raises
    ------
    OutputFolderError
        Naming ``out_dir``: it (or the client's folder) is a file or under one, is not
        writable, or is on a full or read-only disk.
    """
    out_dir = Path(out_dir).resolve()
    target = out_dir / client_slug if client_slug else out_dir
    try:
        if create:
            target.mkdir(parents=True, exist_ok=True)
        existing = next(path for path in (target, *target.parents) if path.exists())
        if not existing.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(target))
        try:
            probe = tempfile.mkdtemp(prefix=".workbook-probe-", dir=existing)
        except OSError as error:  # about ``existing``, whatever the probe's name
            raise OSError(error.errno, error.strerror, str(existing)) from error
    except OSError as error:
        problem = output_folder_error(error, out_dir)
        if problem is None:
            raise
        raise problem from error
    with contextlib.suppress(OSError):
        os.rmdir(probe)
    return out_dir


def check_output_file(path: Path) -> Path:
    """Check that ``path`` can be written as a file: its folder exists and it is not a folder.

    Unlike an output folder, the folder of an output file is not created: a mistyped path
    would otherwise leave folders behind (as ``sort -o`` or ``cp`` refuse to).

    Returns
    -------
    Path
        ``path``, absolute.

    Raises
    ------
    OutputFolderError
        A file stands where a folder of the path should be.
    FileNotFoundError
        The folder does not exist (the message says so and names it).
    IsADirectoryError
        ``path`` is a folder.
    """
    path = Path(os.path.abspath(path))
    blocking = _first_file_on_the_way(path.parent)
    if blocking is not None:
        raise OutputFolderError(
            path.parent,
            f"{blocking} is a file, not a folder",
            "remove that file or choose another path",
            outcome="Nothing was written.",
        )
    if not path.parent.is_dir():
        raise FileNotFoundError(
            f"the folder {path.parent} does not exist; create it first or choose another path"
        )
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder; give a file name, e.g. {path / 'scores.csv'}")
    return path


def _same_client(name: str, other: str) -> bool:
    """Whether two client names are one client's: equal but for case and spacing."""

    def key(text: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", text).casefold().split())

    return key(name) == key(other)


def folder_owner(report_dir: Path) -> str | None:
    """The client recorded in ``report_dir/.workbook-client``; None when there is none."""
    try:
        return (Path(report_dir) / CLIENT_MARKER).read_text(encoding="utf-8").rstrip("\n")
    except (FileNotFoundError, NotADirectoryError):
        return None


def check_client_folder(report_dir: Path, client: str | None) -> None:
    """Raise :class:`ClientFolderError` when ``report_dir`` holds another client's reports.

    A folder without :data:`CLIENT_MARKER` (new, or published before the marker existed) is
    nobody's. With ``client`` None (its name is unknown) any claimed folder is refused.
    Client names equal but for case and spacing are one client.
    """
    owner = folder_owner(report_dir)
    if owner is not None and (client is None or not _same_client(client, owner)):
        raise ClientFolderError(Path(report_dir), client=client, owner=owner)


def claim_client_folder(report_dir: Path, client: str | None, *, staging: Path) -> None:
    """Create ``report_dir`` and record ``client`` in it, or check the client it records.

    The marker is written in ``staging`` and hard-linked into place, so two runs of
    different clients cannot both claim the folder and a half-written marker is never read.
    With ``client`` None, only checks (see :func:`check_client_folder`).

    Raises
    ------
    ClientFolderError
        The folder holds another client's reports.
    """
    report_dir.mkdir(parents=True, exist_ok=True)
    if client is None:
        check_client_folder(report_dir, client)
        return
    marker = report_dir / CLIENT_MARKER
    draft = staging / CLIENT_MARKER
    draft.write_text(client + "\n", encoding="utf-8")
    try:
        os.link(draft, marker)
    except FileExistsError:
        pass
    except OSError:  # no hard links on this file system: create it exclusively
        with contextlib.suppress(FileExistsError), open(marker, "x", encoding="utf-8") as fh:
            fh.write(client + "\n")
    check_client_folder(report_dir, client)
