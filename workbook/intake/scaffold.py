"""``workbook new``: a fresh engagement folder with a commented template and empty data files."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from workbook.intake.io import write_text_atomically
from workbook.intake.problems import EngagementError, Problem
from workbook.intake.schema import DATA_FILES, DEFAULT_STAGES, column_rules


def template_text() -> str:
    """The commented ``engagement.yaml`` template."""
    return resources.files("workbook").joinpath("templates/engagement.yaml").read_text("utf-8")


def scaffold_engagement(directory: str | Path) -> list[Path]:
    """Create an engagement folder: ``engagement.yaml`` and ``data/*.csv`` with headers only.

    Parameters
    ----------
    directory : str or Path
        Must not exist, or be empty.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    EngagementError
        When the folder already holds files (nothing is overwritten).
    """
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise EngagementError(
            [Problem(str(directory), None, "already exists and is not empty: choose a new folder")]
        )
    written = [write_text_atomically(directory / "engagement.yaml", template_text())]
    for stem in DATA_FILES:
        header = ",".join(rule.name for rule in column_rules(stem, DEFAULT_STAGES))
        written.append(write_text_atomically(directory / "data" / f"{stem}.csv", header + "\n"))
    return written
