"""Reading and writing files: the only module that touches the disk for data.

Formats: CSV (comma, semicolon or tab, detected; UTF-8 with or without BOM, Windows-1252 or
Latin-1), ``.xlsx`` (the sheet named like the file, else the first) and ``.parquet``. Cells
come back as text (or already-typed values for xlsx/parquet); :mod:`workbook.intake.validate`
parses them by the rules of :mod:`workbook.intake.schema`.

See Also
--------
workbook.intake.engagement.load_engagement : reads a whole engagement folder.
"""

from __future__ import annotations

import csv
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from workbook.intake.problems import EngagementError, Problem
from workbook.intake.schema import DATA_SUFFIXES

#: Cell texts read as empty.
NA_TEXTS: tuple[str, ...] = ("", "NULL", "null", "N/A", "n/a", "#N/A", "NaN", "nan", "None")
ENCODINGS: tuple[str, ...] = ("utf-8", "cp1252", "latin-1")
#: yaml.safe_load's loader, in C when PyYAML has libyaml (its wheels do).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class RawTable:
    """A data file as read, before validation.

    Attributes
    ----------
    frame : DataFrame
        One row per data row, in file order; headers as in the file (stripped).
    file : str
        The file's name, as errors name it (``leads.csv``).
    delimiter : str or None
        CSV delimiter detected (None for xlsx/parquet).
    encoding : str or None
        Text encoding detected (None for xlsx/parquet).
    notes : tuple of Problem
        Warnings about how the file was read (e.g. which sheet of a workbook).
    """

    frame: pd.DataFrame
    file: str
    delimiter: str | None = None
    encoding: str | None = None
    notes: tuple[Problem, ...] = ()

    @property
    def decimal_comma(self) -> bool:
        """Semicolon-separated exports (French, German) use a decimal comma."""
        return self.delimiter == ";"


def read_yaml(path: Path) -> object:
    """Read a YAML file, reporting a syntax error with its line.

    Raises
    ------
    EngagementError
        When the file is missing or is not valid YAML.
    """
    name = path.name
    if not path.exists():
        raise EngagementError(
            [Problem(name, None, f"not found in {path.parent}; create it with 'workbook new'")]
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="latin-1")
    try:
        return yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = (mark.line + 1) if mark is not None else None
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise EngagementError(
            [
                Problem(
                    name,
                    None,
                    f"not valid YAML ({what}); check indentation and quoting "
                    "(quote text containing ':' or '#')",
                    (line,) if line else (),
                )
            ]
        ) from None


def find_data_file(data_dir: Path, stem: str) -> Path | None:
    """The file ``<stem>.csv|.xlsx|.parquet`` in ``data_dir``, or None.

    Raises
    ------
    EngagementError
        When more than one format of the same file exists (which one is meant?).
    """
    found = [data_dir / f"{stem}{suffix}" for suffix in DATA_SUFFIXES]
    found = [p for p in found if p.exists()]
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise EngagementError(
            [Problem(found[0].name, None, f"several formats of the same file ({names}): keep one")]
        )
    return found[0] if found else None


def detect_encoding(path: Path) -> str:
    """``utf-8-sig`` (BOM), ``utf-8``, ``cp1252`` or ``latin-1``: the first that decodes."""
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    for encoding in ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"  # decodes any byte string


def detect_delimiter(header_line: str) -> str:
    """The delimiter of a CSV header line: the most frequent of ``,``, ``;`` and tab.

    Examples
    --------
    >>> detect_delimiter("lead_id;created_at;source_channel")
    ';'
    """
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


def _read_csv(path: Path) -> RawTable:
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    header = head.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    if not header.strip().lstrip("\ufeff"):
        raise EngagementError(
            [Problem(path.name, None, "the file is empty: it needs a header row and data rows")]
        )
    delimiter = detect_delimiter(header)
    encoding = "utf-8-sig" if head.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        frame = read_csv_cells(path, delimiter=delimiter, encoding=encoding)
    except Exception:  # noqa: BLE001 - bad UTF-8, ragged rows, quoted newlines: look closer
        encoding = detect_encoding(path)
        try:
            frame = read_csv_cells(path, delimiter=delimiter, encoding=encoding)
        except Exception:  # noqa: BLE001 - the C engine reads more or says why not
            try:
                frame = read_csv_cells(path, delimiter=delimiter, encoding=encoding, engine="c")
            except pd.errors.ParserError as exc:
                raise EngagementError(
                    [Problem(path.name, None, f"cannot be read as CSV ({exc}); check quoting")]
                ) from None
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    return RawTable(frame, path.name, delimiter=delimiter, encoding=encoding)


def _read_xlsx(path: Path, stem: str) -> RawTable:
    try:
        sheets = pd.ExcelFile(path, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for corrupt files
        raise EngagementError(
            [Problem(path.name, None, f"cannot be opened as an Excel workbook ({exc})")]
        ) from None
    names = sheets.sheet_names
    by_lower = {n.strip().lower(): n for n in names}
    sheet = by_lower.get(stem, names[0])
    notes: tuple[Problem, ...] = ()
    if len(names) > 1:
        notes = (
            Problem.coded(
                path.name, None, "workbook_sheets", sheets=len(names), sheet=sheet, stem=stem
            ),
        )
    frame = pd.read_excel(sheets, sheet_name=sheet, dtype=object)
    frame = frame.dropna(how="all")
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.reset_index(drop=True)
    return RawTable(frame, path.name, notes=notes)


def read_csv_cells(
    path: Path, *, delimiter: str, encoding: str, engine: str = "pyarrow"
) -> pd.DataFrame:
    """Every cell of a CSV file as text, :data:`NA_TEXTS` missing: ``pd.read_csv``.

    Parameters
    ----------
    path : Path
    delimiter : str
    encoding : str
        ``utf-8`` (checked: invalid bytes raise), ``utf-8-sig``, ``cp1252`` or ``latin-1``.
    engine : {"pyarrow", "c"}
        pandas' engine: Arrow's multithreaded reader, or the C one (slower; reads quoted
        line breaks and reports malformed rows).
    """
    extra = {"quoting": csv.QUOTE_MINIMAL} if engine == "c" else {}
    return pd.read_csv(
        path,
        sep=delimiter,
        encoding=encoding,
        dtype=str,
        keep_default_na=False,
        na_values=list(NA_TEXTS),
        engine=engine,
        **extra,
    )


def read_table(path: Path) -> RawTable:
    """Read one data file of any supported format.

    Parameters
    ----------
    path : Path
        ``.csv``, ``.xlsx`` or ``.parquet``.

    Returns
    -------
    RawTable

    Raises
    ------
    EngagementError
        When the file is empty or cannot be read at all.
    """
    if path.stat().st_size == 0:
        raise EngagementError(
            [Problem(path.name, None, "the file is empty: it needs a header row and data rows")]
        )
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xlsx":
        return _read_xlsx(path, path.stem.lower())
    if suffix == ".parquet":
        try:
            frame = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises several error types
            raise EngagementError(
                [Problem(path.name, None, f"cannot be read as Parquet ({exc})")]
            ) from None
        frame.columns = [str(c).strip() for c in frame.columns]
        return RawTable(frame.reset_index(drop=True), path.name)
    raise EngagementError([Problem(path.name, None, f"unsupported format; use {DATA_SUFFIXES}")])


def write_text_atomically(path: Path, text: str) -> Path:
    """Write text to ``path`` through a temporary file in the same folder, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_frame_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write a frame as a comma-separated UTF-8 CSV, atomically."""
    return write_text_atomically(path, frame.to_csv(index=False))
