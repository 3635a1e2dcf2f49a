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
import io
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import yaml

from workbook.intake.problems import EngagementError, Problem
from workbook.intake.schema import DATA_SUFFIXES
from workbook.intake.text import TEXT_DTYPE, as_text

#: Cell texts read as empty.
NA_TEXTS: tuple[str, ...] = ("", "NULL", "null", "N/A", "n/a", "#N/A", "NaN", "nan", "None")
ENCODINGS: tuple[str, ...] = ("utf-8", "cp1252", "latin-1")
#: A document whose aliases expand to more values than this many per character of the
#: file (plus :data:`YAML_MIN_VALUES`) is refused: the "billion laughs" pattern.
YAML_VALUES_PER_CHAR = 10
YAML_MIN_VALUES = 10_000


class _YamlLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """yaml.safe_load's loader (in C when PyYAML has libyaml, as its wheels do), except that a
    date or a whole number Python cannot hold (``2026-02-30``, 5,000 digits) stays text, for
    the key's own check to name it."""


def _scalar_or_text(constructor):
    def construct(loader, node):
        try:
            return constructor(loader, node)
        except (ValueError, OverflowError):
            return str(node.value)

    return construct


for _tag, _method in (
    ("tag:yaml.org,2002:timestamp", yaml.constructor.SafeConstructor.construct_yaml_timestamp),
    ("tag:yaml.org,2002:int", yaml.constructor.SafeConstructor.construct_yaml_int),
):
    _YamlLoader.add_constructor(_tag, _scalar_or_text(_method))


def expanded_size(node: yaml.Node, *, limit: int) -> int:
    """How many values a composed YAML document holds once every alias is written out.

    PyYAML's composer returns the anchored node itself for each alias (``*name``), so the
    document is a graph whose shared nodes stand for copies; this counts them, each shared
    node once (memoised), stopping above ``limit``. An alias inside the value it names (a
    cycle) expands without end: ``limit + 1``.

    Examples
    --------
    >>> node = yaml.compose("{a: &a [x, x, x], b: [*a, *a, *a]}")
    >>> expanded_size(node, limit=100)  # the mapping, 2 keys, 4 in a, 1 + 3 x 4 in b
    20
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()  # the path from the root: a child among them is a cycle
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        current, children_done = stack.pop()
        key = id(current)
        if isinstance(current, yaml.MappingNode):
            children = [part for pair in current.value for part in pair]
        elif isinstance(current, yaml.SequenceNode):
            children = list(current.value)
        else:
            children = []
        if children_done:
            open_nodes.discard(key)
            sizes[key] = min(limit + 1, 1 + sum(sizes[id(c)] for c in children))
            continue
        if key in sizes:
            continue
        if key in open_nodes or any(id(c) in open_nodes for c in children):
            return limit + 1
        open_nodes.add(key)
        stack.append((current, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes[id(node)]


@dataclass(frozen=True)
class RawTable:
    """A data file as read, before validation.

    Attributes
    ----------
    frame : DataFrame
        One row per data row, in file order, empty rows left out; headers as in the file
        (stripped; pandas numbers a repeated one ``x.1``).
    file : str
        The file's name, as errors name it (``leads.csv``).
    delimiter : str or None
        CSV delimiter detected (None for xlsx/parquet).
    encoding : str or None
        Text encoding detected (None for xlsx/parquet).
    notes : tuple of Problem
        Warnings about how the file was read (e.g. which sheet of a workbook, NUL bytes
        removed).
    headers : tuple of str
        The header cells as written (stripped), repeats included, one per column of
        ``frame``; empty when they are ``frame``'s column names.
    source_rows : ndarray of int, optional
        The data row of each row of ``frame`` as the user counts it in the file: its line
        (its row in a spreadsheet) minus the header's, empty rows counted. None when they
        are 1..n (no empty row was left out).
    """

    frame: pd.DataFrame
    file: str
    delimiter: str | None = None
    encoding: str | None = None
    notes: tuple[Problem, ...] = ()
    headers: tuple[str, ...] = ()
    source_rows: np.ndarray | None = None

    @property
    def decimal_comma(self) -> bool:
        """The file's convention: semicolon-separated exports (French, German) use a decimal
        comma. Only a number column whose values never show their decimal mark (``1.500``)
        follows it (:func:`workbook.intake.parse.parse_numbers` decides per column)."""
        return self.delimiter == ";"

    @property
    def row_numbers(self) -> np.ndarray:
        """The data row (1-based, as in the file) of each row of ``frame``."""
        if self.source_rows is not None:
            return self.source_rows
        return np.arange(1, len(self.frame) + 1)


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
    loader = _YamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        limit = YAML_MIN_VALUES + YAML_VALUES_PER_CHAR * len(text)
        if expanded_size(node, limit=limit) > limit:
            raise EngagementError(
                [
                    Problem(
                        name,
                        None,
                        f"refused: its aliases (*name) expand to over {limit:,} values from "
                        f"{len(text):,} characters, or an alias sits inside the value it "
                        "names; write the values out instead of repeating an alias",
                    )
                ]
            )
        return loader.construct_document(node)
    except RecursionError:
        raise EngagementError(
            [Problem(name, None, "nests sections too deeply to be read; flatten it")]
        ) from None
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
    finally:
        loader.dispose()


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
    text = head.decode(encoding.replace("-sig", ""), errors="replace").lstrip("\ufeff")
    cells = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    headers = tuple(c.strip() for c in cells)
    return RawTable(
        frame,
        path.name,
        delimiter=delimiter,
        encoding=encoding,
        headers=headers if len(headers) == frame.shape[1] else (),
    )


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
    header = pd.read_excel(sheets, sheet_name=sheet, header=None, nrows=1, dtype=object)
    headers = tuple("" if pd.isna(c) else str(c).strip() for c in header.iloc[0].tolist())
    frame.columns = [str(c).strip() for c in frame.columns]
    return RawTable(
        frame,
        path.name,
        notes=notes,
        headers=headers if len(headers) == frame.shape[1] else (),
    )


def read_csv_cells(
    path: Path, *, delimiter: str, encoding: str, engine: str = "pyarrow"
) -> pd.DataFrame:
    """Every cell of a CSV file as text, :data:`NA_TEXTS` missing: ``pd.read_csv``.

    A blank line is a row of missing values, so that the rows after it keep their number.

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
        skip_blank_lines=False,  # a blank line keeps its row number (read_table drops it)
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
        raw = _read_csv(path)
    elif suffix == ".xlsx":
        raw = _read_xlsx(path, path.stem.lower())
    elif suffix == ".parquet":
        try:
            frame = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises several error types
            raise EngagementError(
                [Problem(path.name, None, f"cannot be read as Parquet ({exc})")]
            ) from None
        frame.columns = [str(c).strip() for c in frame.columns]
        raw = RawTable(frame.reset_index(drop=True), path.name)
    else:
        raise EngagementError(
            [Problem(path.name, None, f"unsupported format; use {DATA_SUFFIXES}")]
        )
    return _without_nul_bytes(_without_empty_rows(raw))


def _without_empty_rows(raw: RawTable) -> RawTable:
    """The table without its empty rows (blank lines, rows of empty cells); the others keep
    their number in the file (:attr:`RawTable.source_rows`)."""
    frame = raw.frame
    if frame.shape[1] == 0 or len(frame) == 0:
        return raw
    first_empty = frame.iloc[:, 0].isna().to_numpy()  # the only candidates: a quick look
    if not first_empty.any():
        return raw
    empty = first_empty.copy()
    empty[first_empty] = frame.loc[first_empty].isna().all(axis=1).to_numpy()
    if not empty.any():
        return raw
    keep = ~empty
    return replace(
        raw,
        frame=frame.loc[keep].reset_index(drop=True),
        source_rows=raw.row_numbers[keep],
    )


def _may_hold_nul(cells: pd.Series) -> bool:
    """Whether a column may hold a NUL byte in its text: for text read from CSV, one look at
    each Arrow data buffer (a byte of a sliced-off value may answer yes; the exact search by
    value follows); any text or mixed column of a workbook or Parquet file."""
    if cells.dtype != TEXT_DTYPE:
        return pd.api.types.is_string_dtype(cells.dtype) or cells.dtype == object
    for chunk in pa.chunked_array(cells).chunks:
        data = chunk.buffers()[2]
        if data is not None and data.size and np.frombuffer(data, np.uint8).min() == 0:
            return True
    return False


def _without_nul_bytes(raw: RawTable) -> RawTable:
    """NUL bytes (invisible) removed from every text cell, with a warning naming the column
    and rows: ``web<NUL>inar`` is ``webinar``, not a new channel."""
    notes: list[Problem] = []
    frame = raw.frame
    for position, column in enumerate(frame.columns):
        cells = frame[column]
        if not _may_hold_nul(cells):
            continue
        text = as_text(cells)
        found = text.str.contains("\x00", regex=False).fillna(False).to_numpy(bool)
        if not found.any():
            continue
        cleaned = text.str.replace("\x00", "", regex=False)
        cleaned = cleaned.mask(cleaned.str.strip() == "")
        if frame is raw.frame:
            frame = frame.copy(deep=False)
        frame[column] = cells.where(~found, cleaned)
        notes.append(
            Problem.coded(
                raw.file,
                raw.headers[position] if raw.headers else str(column),
                "nul_byte",
                tuple(int(r) for r in raw.row_numbers[found]),
            )
        )
    if not notes:
        return raw
    return replace(raw, frame=frame, notes=(*raw.notes, *notes))


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
