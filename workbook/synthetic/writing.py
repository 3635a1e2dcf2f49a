"""Writing frames as an engagement folder, as a clean English or a French CRM export."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from workbook.synthetic.draws import labels
from workbook.synthetic.engagement_yaml import engagement_yaml_text, sample_config

_DATE_FORMATS = {"en": "%Y-%m-%d", "fr": "%d/%m/%Y"}
_TIMES_OF_DAY = [f"{h:02d}:{m:02d}" for h in range(24) for m in range(60)]


def format_dates(dates: pd.Series, date_format: str) -> pd.Series:
    """Datetimes as text: the date in ``date_format``, then `` HH:MM`` if any value has a time.

    Each distinct day is formatted once with ``strftime`` and spread by position, so five
    million touches format in well under a second. Missing dates become ``""``.

    Parameters
    ----------
    dates : Series of datetime64
    date_format : str
        A ``strftime`` date format, e.g. ``"%d/%m/%Y"``.

    Returns
    -------
    Series of str, same index.

    Examples
    --------
    >>> s = pd.Series(pd.to_datetime(["2026-03-01 14:05", None]))
    >>> format_dates(s, "%d/%m/%Y").tolist()
    ['01/03/2026 14:05', '']
    """
    minutes = dates.to_numpy("datetime64[m]")
    missing = np.isnat(minutes)
    if missing.all():
        return pd.Series("", index=dates.index, dtype="str")
    count = minutes.astype("int64")
    day, minute_of_day = np.divmod(count, 1440)
    first, last = int(day[~missing].min()), int(day[~missing].max())
    if last - first > 200_000:  # centuries apart: not worth a lookup table
        has_time = bool((minute_of_day[~missing] != 0).any())
        text = dates.dt.strftime(date_format + (" %H:%M" if has_time else ""))
        return text.fillna("").astype("str")
    days = pd.Series(np.arange(first, last + 1).astype("datetime64[D]"))
    text = labels(np.where(missing, -1, day - first), days.dt.strftime(date_format).tolist())
    if (minute_of_day[~missing] != 0).any():
        text = text + " " + labels(np.where(missing, -1, minute_of_day), _TIMES_OF_DAY)
    text.index = dates.index
    return text.fillna("")


def _formatted(frame: pd.DataFrame, style: str) -> pd.DataFrame:
    """Every datetime column as text in the style's date format."""
    out = frame.copy()
    for name in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[name]):
            out[name] = format_dates(out[name], _DATE_FORMATS[style])
    return out


def _write_atomically(path: Path, write: Callable[[str], object]) -> Path:
    """Call ``write(tmp_path)`` then move the temporary file onto ``path``."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; these are ordinary data files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_engagement(
    frames: Mapping[str, pd.DataFrame],
    directory: str | os.PathLike[str],
    *,
    style: Literal["en", "fr"] = "en",
    config: Mapping[str, Any] | None = None,
) -> Path:
    """Write frames as an engagement folder: ``engagement.yaml`` and ``data/<name>.csv``.

    Parameters
    ----------
    frames : mapping of str to DataFrame
        As :func:`generate_engagement` returns (any of leads, opportunities, spend, content,
        touches); each is written with its columns as they are.
    directory : path
        The engagement folder; created if missing. Existing files of the same names are
        replaced (each file atomically).
    style : {"en", "fr"}
        ``en``: comma-separated UTF-8, ISO dates (``2026-03-01``), ``.`` decimals.
        ``fr``: a French CRM export: semicolon-separated UTF-8 with BOM, CRLF line ends,
        day-first dates (``01/03/2026``), decimal commas (``48000,5``).
        Touch times are written to the minute (``2026-03-01 14:05``).
    config : mapping, optional
        The engagement.yaml content; default :func:`sample_config`.

    Returns
    -------
    Path
        The engagement folder.

    See Also
    --------
    generate_engagement : draws the frames.
    workbook.intake.io.read_table : reads either style back.
    """
    if style not in _DATE_FORMATS:
        raise ValueError(f"style must be 'en' or 'fr', got {style!r}")
    folder = Path(directory)
    data_dir = folder / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    text = engagement_yaml_text(sample_config() if config is None else config)
    _write_atomically(folder / "engagement.yaml", lambda p: Path(p).write_text(text, "utf-8"))
    options: dict[str, Any] = (
        {"sep": ",", "decimal": ".", "encoding": "utf-8", "lineterminator": "\n"}
        if style == "en"
        else {"sep": ";", "decimal": ",", "encoding": "utf-8-sig", "lineterminator": "\r\n"}
    )
    for name, frame in frames.items():
        table = _formatted(frame, style)
        _write_atomically(
            data_dir / f"{name}.csv",
            lambda p, table=table: table.to_csv(p, index=False, na_rep="", **options),
        )
    return folder
