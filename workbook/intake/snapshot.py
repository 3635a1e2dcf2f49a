"""A snapshot of a validated engagement: written once per run, read by each phase kernel.

``workbook run`` loads and validates the engagement once, saves it here into the run's hidden
folder, and every phase notebook reads the snapshot instead of validating the raw files again
(:func:`workbook.deliverables.notebook.start`).

A snapshot is a folder: one Parquet file per data frame of the :class:`Engagement` and one
pickle of everything else (the typed configuration, the audit, the dates, the frames'
dtypes). Fields are saved generically (:func:`dataclasses.fields`), so a field added to the
Engagement is saved without a change here. Parquet gives back the dtypes validation produces
exactly: ``str``, ``float64``, ``int64``, ``datetime64[ns]`` (and ``[ms]``, ``[us]``) and
Categorical columns with their categories and order; :func:`load_engagement_snapshot` checks
every frame's dtypes against those saved and raises rather than return different ones.

The snapshot is a private file of one run, read by the same version of the workbook: it is
not an exchange format, and the pickle is only ever read from a folder the run made itself.

See Also
--------
workbook.intake.engagement.load_engagement : what a snapshot saves the result of.
"""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pandas as pd

from workbook.intake.engagement import Engagement

#: File of the fields that are not data frames, and of the frames' dtypes.
FIELDS_FILE = "fields.pickle"


class SnapshotError(ValueError):
    """A snapshot cannot be read back as the engagement it was saved from."""


def save_engagement_snapshot(engagement: Engagement, folder: str | Path) -> Path:
    """Save a loaded engagement into ``folder`` (created; must not hold a snapshot yet).

    Parameters
    ----------
    engagement : Engagement
        As :func:`workbook.intake.engagement.load_engagement` returns it.
    folder : str or Path
        Folder to create.

    Returns
    -------
    Path
        The folder, to pass to :func:`load_engagement_snapshot`.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=False)
    fields: dict[str, object] = {}
    dtypes: dict[str, pd.Series] = {}
    for field in dataclasses.fields(engagement):
        value = getattr(engagement, field.name)
        if isinstance(value, pd.DataFrame):
            value.to_parquet(folder / f"{field.name}.parquet", engine="pyarrow")
            dtypes[field.name] = value.dtypes
        else:
            fields[field.name] = value
    with open(folder / FIELDS_FILE, "wb") as file:
        pickle.dump({"fields": fields, "dtypes": dtypes}, file, protocol=pickle.HIGHEST_PROTOCOL)
    return folder


def load_engagement_snapshot(folder: str | Path) -> Engagement:
    """Read back the engagement :func:`save_engagement_snapshot` saved into ``folder``.

    Parameters
    ----------
    folder : str or Path
        A folder written by :func:`save_engagement_snapshot`.

    Returns
    -------
    Engagement
        Equal to the saved one: same frames, dtypes, configuration and audit.

    Raises
    ------
    FileNotFoundError
        ``folder`` holds no snapshot.
    SnapshotError
        A frame came back with other dtypes than it was saved with.
    """
    folder = Path(folder)
    with open(folder / FIELDS_FILE, "rb") as file:
        saved = pickle.load(file)  # noqa: S301 - a file this run wrote into its own folder
    values = dict(saved["fields"])
    for name, dtypes in saved["dtypes"].items():
        frame = pd.read_parquet(folder / f"{name}.parquet", engine="pyarrow")
        if not frame.dtypes.equals(dtypes):
            changed = [
                f"{column}: {dtypes[column]} -> {frame.dtypes.get(column)}"
                for column in dtypes.index
                if column not in frame.dtypes or frame.dtypes[column] != dtypes[column]
            ]
            raise SnapshotError(f"{folder}: {name} changed dtypes ({'; '.join(changed)})")
        values[name] = frame
    return Engagement(**values)
