"""``workbook new``: a fresh engagement folder, from the general template or a CRM preset."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from workbook.intake.io import write_text_atomically
from workbook.intake.presets import PRESETS, preset_text
from workbook.intake.problems import EngagementError, Problem
from workbook.intake.schema import (
    DATA_FILES,
    DEFAULT_STAGES,
    OPTIONAL_FILES,
    column_rules,
)


def template_text() -> str:
    """The commented ``engagement.yaml`` template."""
    return resources.files("workbook").joinpath("templates/engagement.yaml").read_text("utf-8")


def scaffold_engagement(directory: str | Path, *, preset: str | None = None) -> list[Path]:
    """Create an engagement folder.

    Without ``preset``: ``engagement.yaml`` and ``data/*.csv`` with the contract's headers
    only. With a CRM ``preset`` (:data:`workbook.intake.presets.PRESETS`): the preset's
    ``engagement.yaml`` and an empty ``data/`` folder, for the CRM's exports as they come
    (no header-only files: they would stand where the exports go).

    Parameters
    ----------
    directory : str or Path
        Must not exist, or be empty.
    preset : str, optional
        ``hubspot``, ``hubspot-fr`` or ``salesforce``.

    Returns
    -------
    list of Path
        The files and folders written.

    Raises
    ------
    EngagementError
        When the folder already holds files (nothing is overwritten).
    KeyError
        For a ``preset`` that is not one.
    """
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise EngagementError(
            [Problem(str(directory), None, "already exists and is not empty: choose a new folder")]
        )
    if preset is not None:
        text = preset_text(preset)
        written = [write_text_atomically(directory / "engagement.yaml", text)]
        data = directory / "data"
        data.mkdir(parents=True, exist_ok=True)
        return [*written, data]
    written = [write_text_atomically(directory / "engagement.yaml", template_text())]
    for stem in DATA_FILES:
        header = ",".join(rule.name for rule in column_rules(stem, DEFAULT_STAGES))
        written.append(write_text_atomically(directory / "data" / f"{stem}.csv", header + "\n"))
    return written


def next_steps(directory: str | Path, *, preset: str | None = None) -> str:
    """What to do after :func:`scaffold_engagement`, for the console.

    Says where the client's exports go, which files are optional and what happens without
    them.

    Examples
    --------
    >>> print(next_steps("acme", preset="salesforce"))  # doctest: +NORMALIZE_WHITESPACE
    Next: put the client's exports in acme/data/:
      the leads report as acme/data/leads.csv
      the opportunities report as acme/data/opportunities.csv
    Optional: content.csv, spend.csv, touches.csv (absent or header-only means not provided:
    the figures that need them are left out, and the reports say so).
    Then check acme/engagement.yaml (its CHECK lines) and run 'workbook validate acme'.
    """
    directory = Path(directory)
    data = directory / "data"
    optional = ", ".join(f"{stem}.csv" for stem in sorted(OPTIONAL_FILES))
    note = (
        f"Optional: {optional} (absent or header-only means not provided:\n"
        "the figures that need them are left out, and the reports say so)."
    )
    if preset is None:
        return (
            f"Next: edit {directory / 'engagement.yaml'}, put the client's exports in {data}/\n"
            f"(or map their headers under columns:).\n{note}\n"
            f"Then run 'workbook validate {directory}'."
        )
    exports = PRESETS[preset].exports
    lines = [f"Next: put the client's exports in {data}/:"]
    lines += [f"  {export} as {data / f'{stem}.csv'}" for stem, export in exports.items()]
    lines += [
        note,
        f"Then check {directory / 'engagement.yaml'} (its CHECK lines) and run "
        f"'workbook validate {directory}'.",
    ]
    return "\n".join(lines)
