"""An engagement: its typed configuration, its validated data and the audit of both.

:func:`load_engagement` is the one entry point from a folder to analysable data; nothing
downstream re-validates.

See Also
--------
workbook.analysis.journeys.build_journeys : the one table every analysis reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from workbook.intake.config import CONFIG_FILE, EngagementConfig, parse_config
from workbook.intake.coverage import DataCoverage
from workbook.intake.io import find_data_file, read_yaml
from workbook.intake.keys import as_date
from workbook.intake.problems import Audit, EngagementError, Problem
from workbook.intake.schema import DATA_FILES, DATA_SUFFIXES, required_files
from workbook.intake.validate import validate_files


@dataclass(frozen=True)
class Engagement:
    """A loaded engagement folder.

    Attributes
    ----------
    path : Path
        The engagement folder.
    config : EngagementConfig
    leads, opportunities, spend, content : DataFrame
        Used rows only, typed, contract columns plus ``source_row`` (1-based row in the file).
    touches : DataFrame or None
        None when the engagement has no touches file. Its ``channel`` is a Categorical (codes
        into the distinct channels: millions of touches, a handful of channels), and so is its
        ``lead_id``, over the used leads' ids in the order of ``leads`` (validation matched every
        touch to its lead once; analyses match the distinct leads only).
    audit : Audit
        Errors (quarantined rows), warnings, row accounting and duplicates.
    as_of : datetime.date
        The snapshot date: ``as_of`` of engagement.yaml, else the latest date in the data
        (never the clock's).
    files : dict
        File stem -> the file name read (``leads.csv``, ``spend.xlsx``...).
    provided : frozenset of str
        The files with data rows. A file absent or with a header only was not provided
        (CONTRACT section 3): its frame is empty (``touches`` None), and every figure that
        needs it is None, never 0. Without a leads file (a ladder starting at opportunity)
        ``leads`` holds one journey per opportunity.
    coverage : DataCoverage
        The dates each provided file covers (:mod:`workbook.intake.coverage`), found once at
        validation: figures that count by month take it as ``coverage=`` (the months a file
        does not cover are no data, not 0).
    """

    path: Path
    config: EngagementConfig
    leads: pd.DataFrame
    opportunities: pd.DataFrame
    spend: pd.DataFrame
    content: pd.DataFrame
    touches: pd.DataFrame | None
    audit: Audit
    as_of: dt.date
    files: dict[str, str]
    provided: frozenset[str]
    coverage: DataCoverage

    def has(self, stem: str) -> bool:
        """Whether the client provided ``stem`` (``spend``, ``content``, ``touches``...)."""
        return stem in self.provided

    @property
    def as_of_timestamp(self) -> pd.Timestamp:
        """The snapshot date as a midnight timestamp."""
        return pd.Timestamp(self.as_of)

    @property
    def window_start(self) -> pd.Timestamp:
        """First day of the KPI window: ``window_months`` calendar months up to as_of's month."""
        month = pd.Timestamp(self.as_of).to_period("M") - (self.config.window_months - 1)
        return month.to_timestamp()


def read_engagement_config(directory: Path) -> EngagementConfig:
    """Read and validate ``engagement.yaml`` only, every section included.

    Raises
    ------
    EngagementError
        When the file is missing, not YAML, or has invalid keys or values.
    """
    raw = read_yaml(Path(directory) / CONFIG_FILE)
    config, problems = parse_config(raw)  # type: ignore[arg-type]
    if config is None or problems:
        raise EngagementError(problems, audit=Audit(errors=tuple(problems)))
    return config


def load_engagement(
    directory: str | Path, *, as_of: dt.date | str | None = None, full_audit: bool = True
) -> Engagement:
    """Read, parse and validate an engagement folder (CONTRACT section 1).

    Parameters
    ----------
    directory : str or Path
        Folder with ``engagement.yaml`` and ``data/``.
    as_of : date or str, optional
        Overrides the snapshot date of engagement.yaml.
    full_audit : bool
        False skips the checks that only warn, that no figure reads and that scan every lead
        or touch (repeated e-mails, unknown assets, leads or personas, channels without
        spend: :func:`workbook.intake.validate.validate_files`), for commands that print figures,
        not the audit: the data and every figure are the same, ``audit.complete`` is False.

    Returns
    -------
    Engagement
        Quarantined rows are left out and reported in ``audit``.

    Raises
    ------
    EngagementError
        When the folder cannot be analysed at all: a missing or unreadable file, a missing
        required column, invalid engagement.yaml. ``exc.audit`` reports every file.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise EngagementError(
            [Problem(str(directory), None, "is not a folder; create one with 'workbook new DIR'")]
        )
    config = read_engagement_config(directory)
    if as_of is not None:
        found: list[Problem] = []
        as_of_date = as_date(as_of, "as_of", found)
        if as_of_date is None:  # given by the caller (workbook run --as-of), not the file
            raise EngagementError([Problem("as_of", None, p.message) for p in found])
        config = replace(config, as_of=as_of_date)
    data_dir = directory / "data"
    problems: list[Problem] = []
    notes: list[Problem] = []
    paths: dict[str, Path] = {}
    required = required_files(config.stages)
    for stem in DATA_FILES:
        try:
            path = find_data_file(data_dir, stem)
        except EngagementError as exc:
            problems.extend(exc.problems)
            continue
        if path is None:
            if stem in required:
                tried = ", ".join(f"{stem}{s}" for s in DATA_SUFFIXES)
                problems.append(
                    Problem(f"{stem}.csv", None, f"not found in {data_dir} (looked for {tried})")
                )
            continue
        if stem == "leads" and stem not in required:  # opportunities are the journeys
            notes.append(Problem.coded(path.name, None, "leads_not_used"))
            continue
        paths[stem] = path
    validated = validate_files(
        paths,
        config,
        prior_problems=tuple(problems),
        full_audit=full_audit,
        notes=tuple(notes),
    )
    frames = validated.frames
    return Engagement(
        path=directory,
        config=config,
        leads=frames["leads"],
        opportunities=frames["opportunities"],
        spend=frames["spend"],
        content=frames["content"],
        touches=frames.get("touches"),
        audit=validated.audit,
        as_of=validated.as_of,
        files={stem: path.name for stem, path in paths.items()},
        provided=validated.provided,
        coverage=validated.coverage,
    )


def audit_engagement(directory: str | Path) -> Audit:
    """The audit of an engagement folder, whether or not it can be analysed.

    Never raises for bad input: fatal problems become errors of the returned audit.
    """
    try:
        return load_engagement(directory).audit
    except EngagementError as exc:
        return exc.audit or Audit(errors=exc.problems)
