"""Headless execution of the phase notebooks, and publication of their client reports.

:func:`execute_notebook` runs one parameterized notebook with papermill on a ``python3``
kernel whose sockets are unix sockets in a private temporary folder (:class:`IpcKernelManager`):
the default TCP transport loses about one kernel start in 30-120 to a port race when
notebooks run in parallel. A failed kernel start is retried once; a cell that raises is not.

:func:`run_engagement` executes the phase notebooks of one engagement (kickoff, mid-point,
final) and publishes their reports into ``OUT/<client-slug>/`` only when every phase
succeeded (with any extra file, such as the Excel key tables, written into the same staging
folder by its ``extra_files`` callback). A failure leaves the published reports untouched and
writes ``OUT/<client-slug>/failed/`` instead: the executed notebook up to the failing cell and
``error.txt``. :func:`record_failure` writes that folder for a failure before any notebook ran.
The files are moved into place with SIGINT and SIGTERM held back, so an interruption never
publishes half of them.

The kernel gets its working directory at launch: this module never changes the calling
process's working directory (papermill's ``cwd=`` would ``os.chdir`` the whole process), so
parallel runs in worker processes or Dask worker threads do not interfere that way.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import tempfile
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any

try:  # POSIX: a run locks its hidden folder, so the next run knows when it was killed
    import fcntl
except ImportError:  # pragma: no cover - Windows: hidden folders of killed runs stay
    fcntl = None

import nbformat
import papermill
from jupyter_client.kernelspec import NoSuchKernel
from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import DeadKernelError
from papermill.exceptions import PapermillExecutionError, strip_color
from traitlets import Unicode, default
from traitlets.config import Config

from workbook.deliverables import reports
from workbook.i18n import LANGUAGES, text

#: Phase name -> notebook file name, in engagement order.
PHASE_NOTEBOOKS: Mapping[str, str] = MappingProxyType(
    {
        "kickoff": "00_kickoff.ipynb",
        "midpoint": "01_midpoint_insights.ipynb",
        "final": "02_final_strategy.ipynb",
    }
)

#: Report formats :func:`run_engagement` can write.
REPORT_FORMATS = ("html", "pdf", "ipynb")

#: Environment given to every kernel, on top of the caller's environment. tqdm is silenced
#: (tqdm.auto with ipywidgets can trip nbclient). Matplotlib is pinned to the inline
#: backend: it renders with Agg, never opens a window, and turns each figure into a PNG
#: output; ``MPLBACKEND=Agg`` itself would silently drop every figure from the report,
#: and a GUI backend inherited from the caller's shell would fail without a display.
KERNEL_ENVIRONMENT: Mapping[str, str] = MappingProxyType(
    {"TQDM_DISABLE": "1", "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
)

#: Windows device names: a folder of that name is unusable there.
_RESERVED_NAMES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
#: Latin letters that Unicode decomposition does not reduce to ASCII.
_ASCII_FOLDING = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "TH",
    }
)
SLUG_MAX_LENGTH = 60
SLUG_FALLBACK = "engagement"


def _restore_exception(cls: type[BaseException], args: tuple, state: dict) -> BaseException:
    """Rebuild an exception whose ``__init__`` takes keyword arguments (for pickling)."""
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class UnknownParameterError(ValueError):
    """Parameters were passed that the notebook's ``parameters`` cell does not declare.

    Attributes
    ----------
    notebook_path : Path
        The notebook.
    unknown : tuple of str
        The names passed but not declared, sorted.
    valid : tuple of str
        The names the notebook declares, in cell order.
    """

    def __init__(self, notebook_path: Path, unknown: Sequence[str], valid: Sequence[str]):
        self.notebook_path = Path(notebook_path)
        self.unknown = tuple(sorted(unknown))
        self.valid = tuple(valid)
        declared = ", ".join(self.valid) if self.valid else "none (no cell tagged 'parameters')"
        super().__init__(
            f"{self.notebook_path.name}: unknown parameter(s) {', '.join(self.unknown)}; "
            f"the notebook declares: {declared}"
        )

    def __reduce__(self):
        return _restore_exception, (type(self), self.args, dict(self.__dict__))


class NotebookRunError(Exception):
    """A notebook could not be executed to the end.

    Either a cell raised (``cell_index`` is set) or the kernel could not start or died
    (``cell_index`` may be None).

    Attributes
    ----------
    notebook_path : Path
        The input notebook.
    cell_index : int or None
        0-based index of the failing cell in the input notebook, as its author sees it
        (papermill's injected-parameters cell not counted).
    execution_count : int or None
        The failing cell's ``In [n]`` number in the executed notebook.
    error_name, error_message : str
        Exception class name and message, e.g. ``"ValueError"``, ``"boom"``.
    cell_source : str
        Source of the failing cell ("" when unknown).
    traceback_text : str
        The kernel's traceback without terminal colours ("" when unknown).
    notebook : nbformat.NotebookNode or None
        The executed notebook up to the failing cell, with papermill's error banner.
    output_path : Path or None
        Where that notebook was written.
    phase : str or None
        Engagement phase (set by :func:`run_engagement`).
    """

    def __init__(
        self,
        *,
        notebook_path: Path,
        error_name: str,
        error_message: str,
        cell_index: int | None = None,
        execution_count: int | None = None,
        cell_source: str = "",
        traceback_text: str = "",
        notebook: nbformat.NotebookNode | None = None,
        output_path: Path | None = None,
        phase: str | None = None,
    ):
        self.notebook_path = Path(notebook_path)
        self.error_name = error_name
        self.error_message = error_message
        self.cell_index = cell_index
        self.execution_count = execution_count
        self.cell_source = cell_source
        self.traceback_text = traceback_text
        self.notebook = notebook
        self.output_path = None if output_path is None else Path(output_path)
        self.phase = phase
        super().__init__(self.summary())

    def __reduce__(self):
        return _restore_exception, (type(self), self.args, dict(self.__dict__))

    def __str__(self) -> str:
        return self.summary()

    def summary(self) -> str:
        """One line: notebook, cell and error, e.g. ``00_kickoff.ipynb, cell 3 (In [2]): ValueError: boom``."""
        where = self.notebook_path.name
        if self.cell_index is not None:
            where += f", cell {self.cell_index}"
            if self.execution_count is not None:
                where += f" (In [{self.execution_count}])"
        error = (
            f"{self.error_name}: {self.error_message}" if self.error_message else self.error_name
        )
        return f"{where}: {error}"

    def report_text(self) -> str:
        """The full plain-text account written to ``failed/error.txt``."""
        lines = [f"Notebook run failed: {self.summary()}", ""]
        if self.phase:
            lines.append(f"phase: {self.phase}")
        lines.append(f"notebook: {self.notebook_path}")
        if self.cell_index is not None:
            count = "" if self.execution_count is None else f" (In [{self.execution_count}])"
            lines.append(f"cell: {self.cell_index}{count}")
        lines.append(f"error: {self.error_name}: {self.error_message}".rstrip(": "))
        if self.cell_source:
            lines += ["", "cell source:", *("    " + s for s in self.cell_source.splitlines())]
        if self.traceback_text:
            lines += ["", "traceback:", self.traceback_text]
        return "\n".join(lines) + "\n"


class IpcKernelManager(AsyncKernelManager):
    """Kernel manager on the IPC (unix socket) transport, files in a private folder.

    The connection file and the five sockets live in ``connection_dir``, or in a private
    temporary folder removed at cleanup when that is empty. Every kernel also gets
    :data:`KERNEL_ENVIRONMENT`. Pass the class to nbclient or papermill as
    ``kernel_manager_class``; set the folder through traitlets config
    (``Config({"IpcKernelManager": {"connection_dir": ...}})``).
    """

    connection_dir = Unicode(
        "", config=True, help="Folder for the connection file and sockets (private if empty)."
    )

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc"

    @default("cache_ports")
    def _default_cache_ports(self) -> bool:
        return False

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.transport = "ipc"
        self._owned_dir: str | None = None
        directory = self.connection_dir
        if not directory:
            directory = self._owned_dir = tempfile.mkdtemp(prefix="wbk-kernel-")
        stem = os.path.join(directory, f"kernel-{uuid.uuid4().hex[:12]}")
        self.connection_file = f"{stem}.json"
        self.ip = f"{stem}-ipc"
        self.kernel_log_path = Path(f"{stem}.log")
        self._kernel_log: IO[bytes] | None = None

    async def start_kernel(self, **kwargs: Any) -> None:
        """Start the kernel with :data:`KERNEL_ENVIRONMENT` added to its environment.

        The kernel process's own stdout and stderr (not the notebook's outputs) go to
        ``kernel_log_path`` instead of the caller's terminal.
        """
        env = dict(kwargs.pop("env", None) or os.environ)
        env.update(KERNEL_ENVIRONMENT)
        if self._kernel_log is None:
            self._kernel_log = open(self.kernel_log_path, "ab")  # noqa: SIM115 (closed at cleanup)
        kwargs.setdefault("stdout", self._kernel_log)
        kwargs.setdefault("stderr", self._kernel_log)
        await super().start_kernel(env=env, **kwargs)

    async def cleanup_resources(self, restart: bool = False) -> None:
        """Remove the connection file and sockets, and the private folder if owned."""
        await super().cleanup_resources(restart=restart)
        if restart:
            return
        if self._kernel_log is not None:
            self._kernel_log.close()
            self._kernel_log = None
        if self._owned_dir:
            shutil.rmtree(self._owned_dir, ignore_errors=True)
            self._owned_dir = None


def check_notebook_parameters(
    input_path: Path, parameters: Mapping[str, Any]
) -> dict[str, dict[str, Any]]:
    """Check parameter names against the notebook's ``parameters`` cell.

    Parameters
    ----------
    input_path : Path
        The notebook.
    parameters : Mapping
        Parameter name -> value to inject.

    Returns
    -------
    dict
        What :func:`papermill.inspect_notebook` reports: name -> ``{"name",
        "inferred_type_name", "default", "help"}``, in cell order.

    Raises
    ------
    UnknownParameterError
        When a name is not declared (papermill itself would only log a warning).
    """
    declared = papermill.inspect_notebook(str(input_path))
    unknown = [name for name in parameters if name not in declared]
    if unknown:
        raise UnknownParameterError(Path(input_path), unknown, list(declared))
    return declared


def execute_notebook(
    input_path: Path,
    output_path: Path,
    *,
    parameters: Mapping[str, Any],
    cwd: Path,
    kernel_name: str = "python3",
    progress_bar: bool | Mapping[str, Any] = False,
    retries: int = 1,
    timeout_seconds: int | None = 1800,
) -> nbformat.NotebookNode:
    """Execute one notebook headlessly with papermill.

    The kernel runs in ``cwd`` on the IPC transport (:class:`IpcKernelManager`) with
    :data:`KERNEL_ENVIRONMENT`; the calling process's working directory is not changed.
    The executed notebook is saved to ``output_path`` after every cell.

    Parameters
    ----------
    input_path : Path
        The notebook to run.
    output_path : Path
        Where the executed notebook is written; its folder is created if needed.
    parameters : Mapping
        Values for the names of the cell tagged ``parameters`` (``os.PathLike`` values are
        passed as strings).
    cwd : Path
        Working directory of the kernel.
    kernel_name : str, optional
        Kernel to run; ``"python3"`` whatever the notebook's metadata says.
    progress_bar : bool or Mapping, optional
        papermill's per-cell progress bar: off, on, or tqdm settings.
    retries : int, optional
        How many more attempts after a failed kernel start. A cell that raises is never
        retried.
    timeout_seconds : int or None, optional
        Longest run of a single cell, in seconds; None for no limit.

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook.

    Raises
    ------
    UnknownParameterError
        A parameter name is not declared in the notebook (checked before any kernel starts).
    NotebookRunError
        A cell raised or timed out, or the kernel could not start after the retries.

    See Also
    --------
    run_engagement : runs the phase notebooks of an engagement and publishes reports.
    """
    input_path = Path(input_path).resolve()
    output_path = Path(output_path).resolve()
    cwd = Path(cwd).resolve()
    if not input_path.is_file():
        raise FileNotFoundError(f"{input_path}: no such notebook")
    if not cwd.is_dir():
        raise NotADirectoryError(f"{cwd}: working directory does not exist")
    values = {
        name: os.fspath(value) if isinstance(value, os.PathLike) else value
        for name, value in parameters.items()
    }
    check_notebook_parameters(input_path, values)
    output_path.parent.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="wbk-kernel-") as connection_dir:
        config = Config({"IpcKernelManager": {"connection_dir": connection_dir}})
        attempt = 0
        while True:
            kernel_started: list[bool] = []
            try:
                return papermill.execute_notebook(
                    str(input_path),
                    str(output_path),
                    parameters=values,
                    kernel_name=kernel_name,
                    progress_bar=progress_bar,
                    log_output=False,
                    execution_timeout=timeout_seconds,
                    kernel_manager_class=IpcKernelManager,
                    config=config,
                    resources={"metadata": {"path": str(cwd)}},
                    on_notebook_start=_recorder(kernel_started),
                )
            except PapermillExecutionError as error:
                raise _cell_error(error, input_path, output_path) from error
            except Exception as error:
                start_failed = not kernel_started and not isinstance(error, NoSuchKernel)
                if start_failed and attempt < retries:
                    attempt += 1
                    continue
                kernel_died = start_failed or isinstance(error, DeadKernelError)
                kernel_log = _kernel_log_tail(Path(connection_dir)) if kernel_died else ""
                raise _other_error(
                    error, input_path, output_path, start_failed=start_failed, kernel_log=kernel_log
                ) from error


def _recorder(record: list[bool]) -> Callable[..., None]:
    """nbclient hook recording that the kernel started and answered (cells may now run)."""

    def on_notebook_start(**_: Any) -> None:
        record.append(True)

    return on_notebook_start


def _kernel_log_tail(connection_dir: Path, *, line_count: int = 20) -> str:
    """Last lines of the most recent kernel process log in ``connection_dir``."""
    logs = sorted(connection_dir.glob("*.log"), key=lambda path: path.stat().st_mtime)
    if not logs:
        return ""
    text = logs[-1].read_text(encoding="utf-8", errors="replace")
    return "\n".join(strip_color(text).strip().splitlines()[-line_count:])


def _read_notebook(path: Path) -> nbformat.NotebookNode | None:
    try:
        return nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        return None


def _input_cell_index(nb: nbformat.NotebookNode | None, executed_index: int) -> int:
    """Map papermill's index (executed notebook, no banner) to the input notebook's index."""
    if nb is None:
        return executed_index
    cells = [
        cell
        for cell in nb.cells
        if "papermill-error-cell-tag" not in cell.get("metadata", {}).get("tags", [])
    ]
    injected = sum(
        "injected-parameters" in cell.get("metadata", {}).get("tags", [])
        for cell in cells[:executed_index]
    )
    return executed_index - injected


def _cell_error(
    error: PapermillExecutionError, input_path: Path, output_path: Path
) -> NotebookRunError:
    notebook = _read_notebook(output_path)
    return NotebookRunError(
        notebook_path=input_path,
        error_name=str(error.ename),
        error_message=str(error.evalue),
        cell_index=_input_cell_index(notebook, error.cell_index),
        execution_count=error.exec_count,
        cell_source=str(error.source),
        traceback_text=strip_color("\n".join(error.traceback or [])),
        notebook=notebook,
        output_path=output_path,
    )


def _other_error(
    error: Exception,
    input_path: Path,
    output_path: Path,
    *,
    start_failed: bool,
    kernel_log: str,
) -> NotebookRunError:
    """A failure that is not a cell's exception: kernel start, cell timeout, dead kernel."""
    notebook = None if start_failed else _read_notebook(output_path)
    cell_index = execution_count = None
    source = ""
    if notebook is not None:
        # The failing cell is the last one papermill started.
        for index, cell in enumerate(notebook.cells):
            if cell.get("metadata", {}).get("papermill", {}).get("start_time"):
                cell_index = _input_cell_index(notebook, index)
                execution_count = cell.get("execution_count")
                source = cell.source
    lines = (str(error).strip() or repr(error)).splitlines()
    message = lines[0]
    if start_failed:
        message = f"the kernel did not start: {message}"
    details = "\n".join(lines[1:]).strip()
    if kernel_log:
        details = f"{details}\n\nkernel process log (last lines):\n{kernel_log}".strip()
    return NotebookRunError(
        notebook_path=input_path,
        error_name=type(error).__name__,
        error_message=message,
        cell_index=cell_index,
        execution_count=execution_count,
        cell_source=source,
        traceback_text=details,
        notebook=notebook,
        output_path=output_path if notebook is not None else None,
    )


def find_phase_notebooks(notebooks_dir: Path) -> dict[str, Path]:
    """Phase notebooks present in ``notebooks_dir``, in engagement order.

    Parameters
    ----------
    notebooks_dir : Path
        Folder holding ``00_kickoff.ipynb``, ``01_midpoint_insights.ipynb``,
        ``02_final_strategy.ipynb`` (any of them may be missing).

    Returns
    -------
    dict
        Phase name (``kickoff``, ``midpoint``, ``final``) -> notebook path, only for the
        notebooks that exist.
    """
    folder = Path(notebooks_dir)
    return {
        phase: folder / name for phase, name in PHASE_NOTEBOOKS.items() if (folder / name).is_file()
    }


def slugify(name: str) -> str:
    """A safe folder name for a client: lower-case ASCII letters, digits and single dashes.

    Accents are stripped (``Ünïcode SA`` -> ``unicode-sa``), everything else becomes a
    dash, runs of dashes collapse, the result is cut to 60 characters, and it never
    starts or ends with a dash. Empty results become ``engagement``; Windows device
    names get a suffix (``CON`` -> ``con-engagement``). The result never contains a path
    separator or dots, so ``directory / slugify(name)`` stays inside ``directory``, and
    ``slugify(slugify(name)) == slugify(name)``.

    Parameters
    ----------
    name : str
        Any text, typically the ``client`` of engagement.yaml.

    Returns
    -------
    str
        Matches ``^[a-z0-9]+(-[a-z0-9]+)*$``, at most 60 characters.

    Examples
    --------
    >>> slugify("Acme Industrial")
    'acme-industrial'
    >>> slugify("../../etc")
    'etc'
    >>> slugify("  ")
    'engagement'
    """
    folded = unicodedata.normalize("NFKD", str(name).translate(_ASCII_FOLDING))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    slug = slug[:SLUG_MAX_LENGTH].rstrip("-")
    if not slug:
        return SLUG_FALLBACK
    if slug in _RESERVED_NAMES:
        return f"{slug}-{SLUG_FALLBACK}"
    return slug


@dataclass(frozen=True)
class RunResult:
    """What :func:`run_engagement` produced.

    Attributes
    ----------
    client_slug : str
        Folder name of the client under the output folder.
    report_dir : Path
        ``OUT/<client_slug>``.
    report_paths : tuple of Path
        Every file published, sorted.
    phases_run : tuple of str
        Phases executed, in engagement order.
    phases_skipped : tuple of str
        Phases asked for whose notebook does not exist.
    execute_seconds : dict
        Phase -> wall-clock seconds executing its notebook.
    export_seconds : dict
        Phase -> wall-clock seconds rendering its report(s).
    total_seconds : float
        Wall-clock seconds of the whole run.
    """

    client_slug: str
    report_dir: Path
    report_paths: tuple[Path, ...]
    phases_run: tuple[str, ...]
    phases_skipped: tuple[str, ...]
    execute_seconds: dict[str, float]
    export_seconds: dict[str, float]
    total_seconds: float

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able dict (paths as strings, seconds rounded to ms)."""
        return {
            "client_slug": self.client_slug,
            "report_dir": str(self.report_dir),
            "report_paths": [str(path) for path in self.report_paths],
            "phases_run": list(self.phases_run),
            "phases_skipped": list(self.phases_skipped),
            "execute_seconds": {k: round(float(v), 3) for k, v in self.execute_seconds.items()},
            "export_seconds": {k: round(float(v), 3) for k, v in self.export_seconds.items()},
            "total_seconds": round(float(self.total_seconds), 3),
        }


def selected_phases(phases: Sequence[str] | str) -> list[str]:
    """Phase names in engagement order; ``"all"`` means every phase."""
    requested = [phases] if isinstance(phases, str) else list(phases)
    if "all" in requested:
        return list(PHASE_NOTEBOOKS)
    unknown = [phase for phase in requested if phase not in PHASE_NOTEBOOKS]
    if unknown or not requested:
        raise ValueError(
            f"unknown phase(s) {', '.join(map(repr, unknown)) or '(none given)'}; "
            f"choose from {', '.join(PHASE_NOTEBOOKS)} or all"
        )
    return [phase for phase in PHASE_NOTEBOOKS if phase in requested]


def _phase_parameters(
    notebook: Path, engagement_dir: Path, parameters: Mapping[str, Any]
) -> dict[str, Any]:
    """Parameters for one phase: ``engagement_dir`` added when the notebook declares it."""
    values = dict(parameters)
    declared = papermill.inspect_notebook(str(notebook))
    if "engagement_dir" in declared and "engagement_dir" not in values:
        values["engagement_dir"] = str(engagement_dir)
    check_notebook_parameters(notebook, values)
    return values


def run_engagement(
    engagement_dir: Path,
    *,
    phases: Sequence[str],
    out_dir: Path,
    client_slug: str,
    parameters: Mapping[str, Any],
    notebooks_dir: Path,
    formats: Sequence[str] = ("html",),
    progress_bar: bool | Mapping[str, Any] = False,
    client_name: str | None = None,
    language: str = "en",
    subtitle: str | None = None,
    timeout_seconds: int | None = 1800,
    extra_files: Callable[[Path], object] | None = None,
) -> RunResult:
    """Execute an engagement's phase notebooks and publish their reports all-or-nothing.

    Each phase notebook found in ``notebooks_dir`` is executed (kernel in
    ``notebooks_dir``) into a temporary folder created inside ``out_dir``, and rendered
    there. Only when every phase succeeded are the files moved into
    ``out_dir/<client_slug>/`` (one ``os.replace`` per file, same filesystem), replacing
    the previous reports of those phases; reports of phases not run are kept, and a
    ``failed/`` folder left by an earlier run is removed. When a phase fails nothing in
    ``out_dir/<client_slug>/`` changes except ``failed/``, which then holds the executed
    notebook up to the failing cell (with papermill's error banner) and ``error.txt``.
    The temporary folder is removed in every case, KeyboardInterrupt and SystemExit
    included (turn SIGTERM into one of those in the CLI).

    Parameters
    ----------
    engagement_dir : Path
        The engagement folder; passed, absolute, as the ``engagement_dir`` parameter to
        notebooks that declare it (unless ``parameters`` has one).
    phases : sequence of str
        Among ``kickoff``, ``midpoint``, ``final``, or ``["all"]``; run in that order.
    out_dir : Path
        Output root; created if needed.
    client_slug : str
        Client folder name; must already be a slug (``slugify(client_slug) == client_slug``).
    parameters : Mapping
        Parameters for every phase notebook; every name must be declared by each of them.
    notebooks_dir : Path
        Folder with the phase notebooks (see :func:`find_phase_notebooks`).
    formats : sequence of str, optional
        Any of ``html`` (``<stem>.html``), ``pdf`` (``<stem>.pdf``, needs Chromium, checked
        before anything runs) and ``ipynb`` (the executed notebook ``<stem>.ipynb``).
    progress_bar : bool or Mapping, optional
        papermill's per-cell progress bar.
    client_name : str, optional
        Client name on the title page; defaults to ``client_slug``.
    language : str, optional
        Report language (``en`` or ``fr``): ``<html lang>``, phase titles and labels.
    subtitle : str, optional
        Title-page subtitle; defaults to "As of <as_of>" when ``parameters`` has ``as_of``.
    timeout_seconds : int or None, optional
        Longest run of a single cell, in seconds.
    extra_files : callable, optional
        Called once every phase succeeded, with the staging folder that holds the reports
        about to be published: whatever it writes there (e.g. an Excel workbook) is
        published with them, all-or-nothing. If it raises, nothing is published and the
        error goes to ``failed/error.txt``. Its return value is ignored.

    Returns
    -------
    RunResult
        Published paths, phases run and skipped, and timings.

    Raises
    ------
    ValueError
        Unknown phase or format, or ``client_slug`` not a slug.
    FileNotFoundError
        None of the requested phase notebooks exists.
    UnknownParameterError
        A parameter is not declared by one of the notebooks (checked before running any).
    NotebookRunError
        A notebook failed; ``output_path`` then points into ``failed/``.
    reports.PdfUnavailableError
        ``pdf`` asked for and no Chromium found.

    See Also
    --------
    execute_notebook : runs one notebook.
    slugify : makes ``client_slug``.
    """
    started = time.perf_counter()
    engagement_dir = Path(engagement_dir).resolve()
    notebooks_dir = Path(notebooks_dir).resolve()
    out_dir = Path(out_dir).resolve()
    if not client_slug or slugify(client_slug) != client_slug:
        raise ValueError(f"client_slug {client_slug!r} is not a slug; pass slugify(client)")
    selected = selected_phases(phases)
    unknown_formats = [fmt for fmt in formats if fmt not in REPORT_FORMATS]
    if unknown_formats or not formats:
        raise ValueError(
            f"unknown report format(s) {unknown_formats}; choose from {', '.join(REPORT_FORMATS)}"
        )
    if "pdf" in formats:
        reports.find_chromium()
    available = find_phase_notebooks(notebooks_dir)
    to_run = [phase for phase in selected if phase in available]
    skipped = tuple(phase for phase in selected if phase not in available)
    if not to_run:
        expected = ", ".join(PHASE_NOTEBOOKS[phase] for phase in selected)
        raise FileNotFoundError(f"{notebooks_dir}: no phase notebook found (expected {expected})")
    phase_parameters = {
        phase: _phase_parameters(available[phase], engagement_dir, parameters) for phase in to_run
    }
    language = language if language in LANGUAGES else "en"
    titles = {phase: text(f"title.{phase}", language) for phase in PHASE_NOTEBOOKS}
    if subtitle is None:
        as_of = parameters.get("as_of")
        subtitle = text("subtitle", language, as_of=as_of) if as_of else ""

    report_dir = out_dir / client_slug
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_abandoned_staging(out_dir, client_slug)
    execute_seconds: dict[str, float] = {}
    export_seconds: dict[str, float] = {}
    with _staging_folder(out_dir, client_slug, "run") as staging:
        built = staging / "report"
        executed_dir = staging / "executed"
        built.mkdir()
        executed_dir.mkdir()
        phase = None
        try:
            for phase in to_run:
                notebook_path = available[phase]
                executed_path = executed_dir / notebook_path.name
                clock = time.perf_counter()
                nb = execute_notebook(
                    notebook_path,
                    executed_path,
                    parameters=phase_parameters[phase],
                    cwd=notebooks_dir,
                    progress_bar=(
                        {"desc": f"{phase:>8}", "unit": "cell", **dict(progress_bar)}
                        if isinstance(progress_bar, Mapping)
                        else {"desc": f"{phase:>8}", "unit": "cell"}
                        if progress_bar
                        else False
                    ),
                    timeout_seconds=timeout_seconds,
                )
                execute_seconds[phase] = time.perf_counter() - clock
                clock = time.perf_counter()
                _write_reports(
                    nb,
                    executed_path=executed_path,
                    folder=built,
                    scratch=staging,
                    formats=formats,
                    title=f"{client_name or client_slug} — {titles[phase]}",
                    subtitle=subtitle,
                    language=language,
                )
                export_seconds[phase] = time.perf_counter() - clock
            phase = None
            if extra_files is not None:
                extra_files(built)
        except Exception as error:
            _record_failure(error, phase=phase, staging=staging, report_dir=report_dir)
            raise
        with _signals_deferred():
            report_paths = _publish(built, report_dir=report_dir, staging=staging)
    return RunResult(
        client_slug=client_slug,
        report_dir=report_dir,
        report_paths=report_paths,
        phases_run=tuple(to_run),
        phases_skipped=skipped,
        execute_seconds=execute_seconds,
        export_seconds=export_seconds,
        total_seconds=time.perf_counter() - started,
    )


#: A hidden run folder younger than this is never removed by another run: it may have been
#: created a moment before its run could lock it.
ABANDONED_AFTER_SECONDS = 60.0
#: The kinds of hidden folder a run works in: ``OUT/.<slug>.<kind>-*``.
STAGING_KINDS = ("run", "failed")


@contextlib.contextmanager
def _staging_folder(out_dir: Path, client_slug: str, kind: str) -> Iterator[Path]:
    """A fresh hidden folder ``OUT/.<slug>.<kind>-*``, locked while in use, then removed.

    The lock (``flock``) lasts as long as the process does, however it ends (even SIGKILL
    or the out-of-memory killer): a folder nobody holds belongs to a run that died
    (:func:`remove_abandoned_staging`). On a filesystem without locks, or without POSIX
    locks (Windows), the folder is not locked, and no other run removes it.
    """
    staging = Path(tempfile.mkdtemp(prefix=f".{client_slug}.{kind}-", dir=out_dir))
    lock = None
    try:
        if fcntl is not None:
            lock = os.open(staging, os.O_RDONLY)
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # no locks here: other runs cannot lock it either, and keep it
                os.close(lock)
                lock = None
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if lock is not None:
            os.close(lock)


def remove_abandoned_staging(out_dir: Path, client_slug: str) -> list[Path]:
    """Delete the hidden folders that killed runs of ``client_slug`` left in ``out_dir``.

    A run builds its reports in ``.<slug>.run-*`` (or ``.<slug>.failed-*``) and removes it
    when it ends; a run killed outright (SIGKILL, the out-of-memory killer, a power cut)
    cannot. A folder is removed when no live process holds its lock and it is older than
    :data:`ABANDONED_AFTER_SECONDS`: a run in progress, here or in another process, keeps its
    folder. Without POSIX locks (Windows) nothing is removed.

    Returns
    -------
    list of Path
        The folders removed.
    """
    if fcntl is None:  # pragma: no cover - Windows
        return []
    removed = []
    now = time.time()
    for folder in [
        f for kind in STAGING_KINDS for f in sorted(out_dir.glob(f".{client_slug}.{kind}-*"))
    ]:
        try:
            if not folder.is_dir() or now - folder.stat().st_mtime < ABANDONED_AFTER_SECONDS:
                continue
            descriptor = os.open(folder, os.O_RDONLY)
        except OSError:  # gone meanwhile, or not ours to open
            continue
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # a live run holds it
            continue
        finally:
            os.close(descriptor)  # closing drops a lock taken here
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _write_reports(
    nb: nbformat.NotebookNode,
    *,
    executed_path: Path,
    folder: Path,
    scratch: Path,
    formats: Sequence[str],
    title: str,
    subtitle: str,
    language: str,
) -> None:
    """Write one phase's reports into ``folder`` (the staging area): the one place that writes."""
    stem = executed_path.stem
    html = reports.notebook_to_html(nb, title=title, subtitle=subtitle, language=language)
    html_path = (folder if "html" in formats else scratch) / f"{stem}.html"
    html_path.write_text(html, encoding="utf-8")
    if "pdf" in formats:
        reports.html_to_pdf(html_path, folder / f"{stem}.pdf")
    if "ipynb" in formats:
        shutil.copyfile(executed_path, folder / f"{stem}.ipynb")


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while the reports are moved into place.

    A signal arriving meanwhile stays pending and is delivered (as KeyboardInterrupt, say)
    right after the block, so the set of published files is never cut in half.
    """
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _publish(built: Path, *, report_dir: Path, staging: Path) -> tuple[Path, ...]:
    """Move every staged report into ``report_dir``; drop a ``failed/`` left by an earlier run."""
    report_dir.mkdir(parents=True, exist_ok=True)
    published = []
    for source in sorted(built.iterdir()):
        target = report_dir / source.name
        os.replace(source, target)
        published.append(target)
    stale = report_dir / "failed"
    if stale.is_dir():
        os.replace(stale, staging / "stale-failed")
    return tuple(published)


def _record_failure(
    error: Exception, *, phase: str | None, staging: Path, report_dir: Path
) -> None:
    """Replace ``report_dir/failed/`` with the executed notebook and ``error.txt``."""
    fresh = staging / "failed"
    fresh.mkdir()
    target = report_dir / "failed"
    if isinstance(error, NotebookRunError):
        error.phase = phase
        text = error.report_text()
        if error.output_path is not None and error.output_path.is_file():
            kept = fresh / error.output_path.name
            os.replace(error.output_path, kept)
            error.output_path = target / kept.name
    else:
        text = (
            f"Run failed{f' in phase {phase}' if phase else ''}: {type(error).__name__}: {error}\n"
        )
    (fresh / "error.txt").write_text(text, encoding="utf-8")
    _swap_failed_folder(fresh, report_dir=report_dir, staging=staging)


def _swap_failed_folder(fresh: Path, *, report_dir: Path, staging: Path) -> None:
    """Make ``fresh`` (inside ``staging``) the new ``report_dir/failed/``; the old one goes to staging."""
    target = report_dir / "failed"
    report_dir.mkdir(parents=True, exist_ok=True)
    if target.exists():
        os.replace(target, staging / "previous-failed")
    os.replace(fresh, target)


def record_failure(out_dir: Path, client_slug: str, error_text: str) -> Path:
    """Write ``out_dir/<client_slug>/failed/error.txt`` for a run that failed before any notebook.

    For failures :func:`run_engagement` cannot record itself because they happen before it
    runs (the engagement cannot be loaded, a data file is missing). The new ``failed/``
    folder is built in a temporary folder inside ``out_dir`` and swapped in with
    ``os.replace``: published reports are never touched, and an interrupted call leaves no
    half-written ``error.txt``.

    Parameters
    ----------
    out_dir : Path
        Output root; created if needed.
    client_slug : str
        Client folder name; must already be a slug.
    error_text : str
        The whole content of ``error.txt``.

    Returns
    -------
    Path
        The ``failed/`` folder.

    See Also
    --------
    run_engagement : records notebook failures itself.
    """
    out_dir = Path(out_dir).resolve()
    if not client_slug or slugify(client_slug) != client_slug:
        raise ValueError(f"client_slug {client_slug!r} is not a slug; pass slugify(client)")
    out_dir.mkdir(parents=True, exist_ok=True)
    report_dir = out_dir / client_slug
    with _staging_folder(out_dir, client_slug, "failed") as staging:
        fresh = staging / "failed"
        fresh.mkdir()
        text = error_text if error_text.endswith("\n") else error_text + "\n"
        (fresh / "error.txt").write_text(text, encoding="utf-8")
        _swap_failed_folder(fresh, report_dir=report_dir, staging=staging)
    return report_dir / "failed"
