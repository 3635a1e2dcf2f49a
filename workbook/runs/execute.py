"""Headless execution of one parameterized notebook with papermill.

:func:`execute_notebook` runs a notebook on a ``python3`` kernel whose sockets are unix
sockets in a private temporary folder (:class:`workbook.runs.kernel.IpcKernelManager`). A
failed kernel start is retried once; a cell that raises is not. Failures become
:class:`workbook.runs.errors.NotebookRunError`, naming the cell as the notebook's author sees
it.

The kernel gets its working directory at launch: this module never changes the calling
process's working directory (papermill's ``cwd=`` would ``os.chdir`` the whole process), so
parallel runs in worker processes or Dask worker threads do not interfere that way.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import nbformat
import papermill
from jupyter_client.kernelspec import NoSuchKernel
from nbclient.exceptions import DeadKernelError
from papermill.exceptions import PapermillExecutionError, strip_color
from traitlets.config import Config

from workbook.runs.errors import NotebookRunError, UnknownParameterError
from workbook.runs.kernel import IpcKernelManager


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
