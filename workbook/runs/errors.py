"""The errors of a notebook run: an undeclared parameter, a cell or a kernel that failed.

Both exceptions pickle with their attributes, so a batch's worker processes (or Dask workers)
can send them back whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import nbformat


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
