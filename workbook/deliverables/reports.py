"""Client-ready reports from executed notebooks: self-contained HTML, and PDF through Chromium.

:func:`notebook_to_html` turns an executed notebook into one HTML page with no code, no
prompts, no stderr output (warnings), no cell tagged ``remove_cell``, a title page, a table of
contents and figures embedded as PNG. The page loads nothing from the network: the template
(``workbook/templates/report.html.j2``) replaces the head of nbconvert's "lab" template, which
loaded require.js, MathJax, mermaid.js and the widget manager from a CDN, and any remote
``<script src>`` or stylesheet link an output carried is removed. Math written as LaTeX in
markdown therefore stays as its source text.

:func:`html_to_pdf` prints such a page to PDF with a system Chromium.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import signal
import subprocess
import tempfile
import uuid
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import nbformat
from bs4 import BeautifulSoup, Tag
from nbconvert import HTMLExporter

#: The report template and its stylesheet (package data).
TEMPLATE_FILE = Path(__file__).resolve().parents[1] / "templates" / "report.html.j2"

#: Cells with one of these tags are left out of the report entirely.
REMOVE_CELL_TAGS = frozenset({"remove_cell", "papermill-error-cell-tag"})
#: Cells with one of these tags keep nothing but their (already hidden) input.
REMOVE_OUTPUT_TAGS = frozenset({"remove_output"})

#: Label of the table of contents, by report language; English for other languages.
TOC_LABELS: Mapping[str, str] = MappingProxyType({"en": "Contents", "fr": "Sommaire"})

#: Output types a client may see, best first: PNG before SVG so figures are embedded as PNG,
#: and no JavaScript or widget views (they need a live kernel or a CDN).
DISPLAY_PRIORITY = (
    "text/html",
    "text/markdown",
    "image/png",
    "image/jpeg",
    "image/svg+xml",
    "text/latex",
    "text/plain",
)

#: Chromium executables looked up on PATH, in order.
CHROMIUM_NAMES = ("chromium", "chromium-browser")

_NUMBER = re.compile(
    r"""^[(]?[-+\u2212]?                  # optional parenthesis or sign
        (?:[$\u20ac\u00a3]\s?)?             # optional leading currency symbol
        \d[\d.,\s\u00a0\u202f']*           # digits with group and decimal marks
        (?:\s?(?:%|[kKM]|\u20ac|\$|\u00a3|EUR|USD|GBP|CHF|days?|j))?  # optional unit
        [)]?$""",
    re.VERBOSE,
)
_REMOTE_URL = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)


class PdfExportError(RuntimeError):
    """Chromium could not print the HTML report to PDF."""


class PdfUnavailableError(PdfExportError):
    """No Chromium executable was found, so no PDF can be made."""


def client_facing_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy of ``nb`` holding only what a client may see.

    Drops cells tagged ``remove_cell`` (and papermill's error-banner cells), the outputs of
    cells tagged ``remove_output``, every stderr stream output (warnings, progress bars,
    log lines), and then code cells left without output (their input is never shown).
    The input notebook is not modified.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed notebook (nbformat 4).

    Returns
    -------
    nbformat.NotebookNode
        A deep copy with those cells and outputs removed.

    See Also
    --------
    notebook_to_html : renders the result.
    """
    clean = copy.deepcopy(nb)
    kept = []
    for cell in clean.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & REMOVE_CELL_TAGS:
            continue
        if cell.cell_type == "code":
            if tags & REMOVE_OUTPUT_TAGS:
                cell.outputs = []
            else:
                cell.outputs = [
                    out
                    for out in cell.outputs
                    if not (out.output_type == "stream" and out.get("name") == "stderr")
                ]
            if not cell.outputs:
                continue
        kept.append(cell)
    clean.cells = kept
    return clean


def notebook_to_html(
    nb: nbformat.NotebookNode, *, title: str, subtitle: str = "", language: str = "en"
) -> str:
    """Render an executed notebook as a self-contained, code-free client report.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed notebook (nbformat 4); not modified.
    title : str
        Report title shown on the title page and in the browser tab, e.g.
        ``"Acme Industrial: Kickoff"``. Plain text (HTML-escaped).
    subtitle : str, optional
        Line under the title, e.g. ``"As of 2026-09-30"``; none when empty.
    language : str, optional
        ISO 639-1 code of the report language, written to ``<html lang=...>``
        (``"en"`` or ``"fr"`` in engagements); it also picks the table-of-contents label.

    Returns
    -------
    str
        One HTML document: no code cells' input, no prompts, no stderr outputs, no cells
        tagged ``remove_cell``; a title page, a table of contents linking every h2/h3 of
        the markdown, figures as base64 PNG; no ``<script src>``, stylesheet or font
        loaded from the network.

    See Also
    --------
    client_facing_notebook : what is removed before rendering.
    html_to_pdf : prints the written HTML to PDF.
    """
    exporter = HTMLExporter(
        template_name="lab",
        template_file=str(TEMPLATE_FILE),
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        language_code=language,
    )
    exporter.display_data_priority = list(DISPLAY_PRIORITY)
    resources = {
        "workbook": {
            "title": title,
            "subtitle": subtitle,
            "toc_label": TOC_LABELS.get(language, TOC_LABELS["en"]),
        }
    }
    body, _ = exporter.from_notebook_node(client_facing_notebook(nb), resources=resources)
    return _finish_html(body, toc_label=resources["workbook"]["toc_label"])


def _finish_html(html: str, *, toc_label: str) -> str:
    """Remove network references and anchor glyphs, mark numbers, fill the contents."""
    soup = BeautifulSoup(html, features="html.parser")
    for element in soup.find_all("script", src=True):
        if not element["src"].startswith("data:"):
            element.decompose()
    for element in soup.find_all("link", href=True):
        if _REMOTE_URL.match(element["href"]):
            element.decompose()
    for element in soup.select("a.anchor-link"):
        element.decompose()
    for table in soup.find_all("table"):
        _mark_numeric_cells(table)
    _fill_table_of_contents(soup, toc_label=toc_label)
    return str(soup)


def _is_number(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and _NUMBER.match(stripped) is not None


def _mark_numeric_cells(table: Tag) -> None:
    """Add class ``wb-num`` to numeric cells, and to the headers of all-numeric columns."""
    body_rows = [row for row in table.find_all("tr") if row.find("td")]
    for row in body_rows:
        for cell in row.find_all("td"):
            if _is_number(cell.get_text()):
                cell["class"] = [*cell.get("class", []), "wb-num"]
    has_spans = table.find(attrs={"colspan": True}) or table.find(attrs={"rowspan": True})
    head = table.find("thead")
    if has_spans or head is None or not body_rows:
        return
    header_rows = head.find_all("tr")
    grid = [row.find_all(["th", "td"]) for row in body_rows]
    width = len(header_rows[-1].find_all(["th", "td"])) if header_rows else 0
    for column in range(width):
        cells = [row[column] for row in grid if column < len(row)]
        filled = [cell for cell in cells if cell.get_text().strip()]
        if filled and all("wb-num" in cell.get("class", []) for cell in filled):
            for header_row in header_rows:
                headers = header_row.find_all(["th", "td"])
                if column < len(headers):
                    headers[column]["class"] = [*headers[column].get("class", []), "wb-num"]


def _fill_table_of_contents(soup: BeautifulSoup, *, toc_label: str) -> None:
    """Fill ``nav.wb-toc`` with links to the report's h2/h3 headings (removed if none)."""
    nav = soup.find("nav", class_="wb-toc")
    main = soup.find("main")
    if nav is None or main is None:
        return
    seen: set[str] = {str(tag["id"]) for tag in soup.find_all(id=True)}
    used: set[str] = set()
    entries: list[tuple[str, str, str]] = []
    for heading in main.find_all(["h2", "h3"]):
        if heading.find_parent(["header", "nav"]) is not None:
            continue
        text = " ".join(heading.get_text(" ").split())
        if not text:
            continue
        anchor = str(heading.get("id") or "")
        if not anchor or anchor in used:
            base = anchor or "section"
            number = 2
            while f"{base}-{number}" in seen:
                number += 1
            anchor = f"{base}-{number}"
            heading["id"] = anchor
            seen.add(anchor)
        used.add(anchor)
        entries.append((heading.name, anchor, text))
    if not entries:
        nav.decompose()
        return
    label = soup.new_tag("p", attrs={"class": "wb-toc-title"})
    label.string = toc_label
    nav.append(label)
    top = soup.new_tag("ol")
    nav.append(top)
    current_sub = None
    last_item = None
    for level, anchor, text in entries:
        item = soup.new_tag("li")
        link = soup.new_tag("a", href=f"#{anchor}")
        link.string = text
        item.append(link)
        if level == "h3" and last_item is not None:
            if current_sub is None:
                current_sub = soup.new_tag("ol")
                last_item.append(current_sub)
            current_sub.append(item)
        else:
            top.append(item)
            last_item, current_sub = item, None


def find_chromium() -> str:
    """Return the path of a Chromium executable on PATH.

    Raises
    ------
    PdfUnavailableError
        When neither ``chromium`` nor ``chromium-browser`` is on PATH.
    """
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise PdfUnavailableError(
        "PDF export needs Chromium, and neither 'chromium' nor 'chromium-browser' is on PATH. "
        "Install Debian's chromium package (sudo apt-get install chromium), or open the HTML "
        "report in a browser and print it to PDF; the HTML reports are complete without it."
    )


def html_to_pdf(html_path: Path, pdf_path: Path, *, timeout_seconds: float = 120) -> Path:
    """Print an HTML report to PDF with a headless system Chromium.

    Chromium runs with a throw-away profile, no sandbox, no GPU and no background
    networking; the page's own print CSS applies (page breaks before h2). The PDF is
    written next to ``pdf_path`` first and renamed into place, so a failure never leaves
    a truncated file.

    Parameters
    ----------
    html_path : Path
        An HTML file, e.g. written from :func:`notebook_to_html`.
    pdf_path : Path
        Where to write the PDF; its folder is created if needed.
    timeout_seconds : float, optional
        Chromium is killed after this many seconds.

    Returns
    -------
    Path
        ``pdf_path``.

    Raises
    ------
    PdfUnavailableError
        No ``chromium`` or ``chromium-browser`` on PATH.
    PdfExportError
        Chromium failed, timed out or wrote no PDF.

    See Also
    --------
    notebook_to_html : makes the HTML.
    """
    executable = find_chromium()
    html_path = Path(html_path).resolve()
    pdf_path = Path(pdf_path).resolve()
    if not html_path.is_file():
        raise FileNotFoundError(f"{html_path}: no such HTML report")
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    # Chromium creates the file itself, with the usual permissions (a mkstemp placeholder
    # would make the published PDF readable by its owner only).
    partial = pdf_path.parent / f".{pdf_path.name}.{uuid.uuid4().hex}.tmp"
    try:
        with tempfile.TemporaryDirectory(prefix="wbk-chromium-") as profile_dir:
            command = [
                executable,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-pdf-header-footer",
                f"--user-data-dir={profile_dir}",
                f"--print-to-pdf={partial}",
                html_path.as_uri(),
            ]
            returncode, stderr = _run_killing_group(command, timeout_seconds=timeout_seconds)
        if returncode != 0 or not partial.is_file() or partial.stat().st_size == 0:
            detail = "\n".join(stderr.strip().splitlines()[-5:])
            raise PdfExportError(
                f"Chromium could not print {html_path.name} to PDF (exit code {returncode}): "
                f"{detail or 'no PDF was written'}"
            )
        os.replace(partial, pdf_path)
    finally:
        partial.unlink(missing_ok=True)
    return pdf_path


def _run_killing_group(command: list[str], *, timeout_seconds: float) -> tuple[int, str]:
    """Run ``command`` in its own process group; kill the whole group on timeout or interrupt."""
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        _, stderr = process.communicate(timeout=timeout_seconds)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise PdfExportError(
            f"Chromium did not finish printing within {timeout_seconds:g} s"
        ) from None
    except BaseException:
        _kill_group(process)
        raise
    return process.returncode, stderr or ""


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()
