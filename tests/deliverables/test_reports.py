"""Tests for workbook.deliverables.reports: self-contained client HTML and PDF through Chromium."""

from __future__ import annotations

import re
import shutil
import stat
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from workbook.deliverables import reports
from workbook.deliverables.reports import (
    PdfExportError,
    PdfUnavailableError,
    client_facing_notebook,
    html_to_pdf,
    notebook_to_html,
)
from workbook.runs.runner import execute_notebook

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks"
# The classic 1x1 transparent PNG.
TINY_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
TABLE_HTML = (
    "<table class='dataframe'><thead><tr><th>channel</th><th>spend</th><th>roi</th></tr></thead>"
    "<tbody><tr><td>webinar</td><td>120 000,5</td><td>4.08</td></tr>"
    "<tr><td>event</td><td>9,500</td><td>-12%</td></tr></tbody></table>"
)
REMOTE_SCRIPT = '<script src="https://cdn.plot.ly/plotly-2.min.js"></script><div>chart</div>'


def _code(source: str, outputs: list, tags: tuple[str, ...] = ()) -> nbformat.NotebookNode:
    cell = new_code_cell(source, outputs=outputs, execution_count=1)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def _stream(text: str, name: str = "stdout") -> nbformat.NotebookNode:
    return new_output("stream", name=name, text=text)


def _sample_notebook() -> nbformat.NotebookNode:
    """An executed-looking notebook built by hand: no kernel needed."""
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Kickoff\n\nWhat the funnel says."),
            _code('as_of = "2026-09-30"', [], tags=("parameters",)),
            new_markdown_cell("## Funnel overview"),
            _code(
                "SECRET_CODE = summary()\nprint(SECRET_CODE)",
                [_stream("visible result\n"), _stream("UserWarning: noisy\n", name="stderr")],
            ),
            new_markdown_cell("### Channel detail"),
            _code(
                "channel_table",
                [new_output("execute_result", data={"text/html": TABLE_HTML}, execution_count=1)],
            ),
            _code(
                "fig",
                [
                    new_output(
                        "display_data", data={"image/png": TINY_PNG, "text/plain": "<Figure>"}
                    )
                ],
            ),
            _code("plotly_chart", [new_output("display_data", data={"text/html": REMOTE_SCRIPT})]),
            _code("print('internal')", [_stream("internal note\n")], tags=("remove_cell",)),
            _code("noisy()", [_stream("hidden output\n")], tags=("remove_output",)),
            new_markdown_cell("## Conclusions\n\nInline math $x^2$ stays as text."),
        ]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


@pytest.fixture(scope="module")
def sample_html() -> str:
    return notebook_to_html(
        _sample_notebook(), title="Acme <Industrial>: Kickoff", subtitle="As of 2026-09-30"
    )


def test_report_shows_outputs_but_no_code_prompts_or_stderr(sample_html):
    assert "visible result" in sample_html
    for hidden in ("SECRET_CODE", "summary()", "channel_table", "UserWarning", "In&nbsp;[", "Out["):
        assert hidden not in sample_html
    soup = BeautifulSoup(sample_html, "html.parser")
    assert not soup.select(".jp-InputPrompt, .jp-OutputPrompt, .jp-CodeMirrorEditor")


def test_cells_tagged_remove_cell_or_remove_output_show_nothing(sample_html):
    assert "internal note" not in sample_html
    assert "hidden output" not in sample_html


def test_report_loads_nothing_from_the_network(sample_html):
    assert not re.search(r"<script[^>]*\bsrc=", sample_html)
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']?(https?:)?//""", sample_html)
    for cdn in ("cdnjs", "unpkg", "require.js", "MathJax", "mermaid", "cdn.plot.ly"):
        assert cdn not in sample_html
    assert "chart" in sample_html  # the output itself is kept, only its remote script goes
    assert "$x^2$" in sample_html  # no MathJax: LaTeX stays as source text


def test_title_page_escapes_the_title_and_shows_the_subtitle(sample_html):
    soup = BeautifulSoup(sample_html, "html.parser")
    assert soup.title.string == "Acme <Industrial>: Kickoff"
    assert soup.select_one("header.wb-title-page h1").get_text() == "Acme <Industrial>: Kickoff"
    assert soup.select_one(".wb-subtitle").get_text() == "As of 2026-09-30"
    assert "<Industrial>" not in sample_html  # escaped, not markup


def test_table_of_contents_links_every_h2_and_h3_in_order(sample_html):
    soup = BeautifulSoup(sample_html, "html.parser")
    nav = soup.select_one("nav.wb-toc")
    assert nav.select_one(".wb-toc-title").get_text() == "Contents"
    links = [(a["href"], a.get_text()) for a in nav.select("a")]
    assert links == [
        ("#Funnel-overview", "Funnel overview"),
        ("#Channel-detail", "Channel detail"),
        ("#Conclusions", "Conclusions"),
    ]
    for href, _ in links:
        assert soup.find(id=href[1:]).name in {"h2", "h3"}
    # h3 entries nest under their h2.
    nested = nav.select("ol > li > ol > li > a")
    assert [a.get_text() for a in nested] == ["Channel detail"]
    assert not soup.select("a.anchor-link")


def test_figures_are_embedded_as_png_data(sample_html):
    soup = BeautifulSoup(sample_html, "html.parser")
    sources = [img["src"] for img in soup.find_all("img")]
    assert sources == [f"data:image/png;base64,{TINY_PNG}"]


def test_numbers_in_tables_are_marked_for_right_alignment(sample_html):
    soup = BeautifulSoup(sample_html, "html.parser")
    table = soup.find("table")
    numeric = [cell.get_text() for cell in table.select("td.wb-num")]
    assert numeric == ["120 000,5", "4.08", "9,500", "-12%"]
    headers = {th.get_text(): "wb-num" in th.get("class", []) for th in table.select("thead th")}
    assert headers == {"channel": False, "spend": True, "roi": True}


def test_stylesheet_is_inline_readable_and_print_friendly(sample_html):
    soup = BeautifulSoup(sample_html, "html.parser")
    css = "".join(style.get_text() for style in soup.find_all("style"))
    assert len(soup.find_all("style")) == 1  # one stylesheet, not JupyterLab's
    assert "max-width: 1000px" in css
    assert "sans-serif" in css
    print_rules = css[css.index("@media print") :]
    assert "h2 { break-before: page; }" in print_rules


def test_language_sets_html_lang_and_the_contents_label():
    html = notebook_to_html(_sample_notebook(), title="Acme", language="fr")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "fr"
    assert soup.select_one(".wb-toc-title").get_text() == "Sommaire"
    assert not soup.select(".wb-subtitle")


def test_duplicate_headings_get_distinct_anchors():
    nb = new_notebook(cells=[new_markdown_cell("## Results"), new_markdown_cell("## Results")])
    soup = BeautifulSoup(notebook_to_html(nb, title="t"), "html.parser")
    hrefs = [a["href"] for a in soup.select("nav.wb-toc a")]
    assert hrefs == ["#Results", "#Results-2"]
    assert [h["id"] for h in soup.find_all("h2")] == ["Results", "Results-2"]


def test_report_without_headings_has_no_contents_block():
    nb = new_notebook(cells=[new_markdown_cell("Just a sentence.")])
    html = notebook_to_html(nb, title="t")
    assert "wb-toc" not in BeautifulSoup(html, "html.parser").body.decode()


def test_client_facing_copy_leaves_the_input_notebook_unchanged():
    nb = _sample_notebook()
    before = nbformat.writes(nb)
    clean = client_facing_notebook(nb)
    assert nbformat.writes(nb) == before
    # Kept: 3 markdown headings + intro, funnel stdout, table, figure, remote-script output.
    assert [c.cell_type for c in clean.cells].count("code") == 4
    assert all(
        out.get("name") != "stderr"
        for c in clean.cells
        if c.cell_type == "code"
        for out in c.outputs
    )


@pytest.mark.notebook
def test_executed_fixture_renders_as_a_client_report(tmp_path):
    nb = execute_notebook(
        FIXTURES / "report_ok.ipynb",
        tmp_path / "executed.ipynb",
        parameters={"as_of": "2026-09-30"},
        cwd=tmp_path,
    )
    html = notebook_to_html(nb, title="Fixture — Kickoff", subtitle="As of 2026-09-30")
    soup = BeautifulSoup(html, "html.parser")
    assert "as_of=2026-09-30" in html
    for hidden in ("plt.subplots", "snapshot_label", "noisy diagnostic", "kernel cwd="):
        assert hidden not in html
    assert [a["href"] for a in soup.select("nav.wb-toc a")] == [
        "#Funnel-overview",
        "#Conversion-chart",
        "#Conclusions",
    ]
    images = [img["src"] for img in soup.find_all("img")]
    assert len(images) == 1 and images[0].startswith("data:image/png;base64,iVBORw0KGgo")
    assert not re.search(r"<script[^>]*\bsrc=", html)


# --- PDF ---------------------------------------------------------------------------------


def test_pdf_without_chromium_says_which_package_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(reports.shutil, "which", lambda name: None)
    (tmp_path / "r.html").write_text("<html></html>", encoding="utf-8")
    with pytest.raises(PdfUnavailableError, match="Debian's chromium package"):
        html_to_pdf(tmp_path / "r.html", tmp_path / "r.pdf")
    assert not (tmp_path / "r.pdf").exists()


def _fake_chromium(tmp_path: Path, body: str) -> Path:
    """A stand-in chromium: a shell script that logs its arguments and runs ``body``."""
    script = tmp_path / "fake-chromium"
    script.write_text(
        '#!/bin/sh\nprintf "%s\\n" "$@" > "$(dirname "$0")/args.txt"\n' + body, encoding="utf-8"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_pdf_export_runs_chromium_headless_with_a_throwaway_profile(tmp_path, monkeypatch):
    writer = 'for a in "$@"; do case "$a" in --print-to-pdf=*) printf "%%PDF-1.4 fake" > "${a#*=}";; esac; done\n'
    script = _fake_chromium(tmp_path, writer)
    monkeypatch.setattr(reports.shutil, "which", lambda name: str(script))
    html = tmp_path / "report.html"
    html.write_text("<html><body>hi</body></html>", encoding="utf-8")
    pdf = html_to_pdf(html, tmp_path / "pdf" / "report.pdf")
    assert pdf == (tmp_path / "pdf" / "report.pdf").resolve()
    assert pdf.read_bytes() == b"%PDF-1.4 fake"
    args = (tmp_path / "args.txt").read_text(encoding="utf-8").splitlines()
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"):
        assert flag in args
    assert any(a.startswith("--user-data-dir=") for a in args)
    assert args[-1] == html.resolve().as_uri()
    assert sorted(p.name for p in pdf.parent.iterdir()) == ["report.pdf"]  # no partial file


def test_pdf_export_failure_is_reported_and_leaves_no_partial_file(tmp_path, monkeypatch):
    script = _fake_chromium(tmp_path, 'echo "GPU process crashed" >&2\nexit 3\n')
    monkeypatch.setattr(reports.shutil, "which", lambda name: str(script))
    html = tmp_path / "report.html"
    html.write_text("<html></html>", encoding="utf-8")
    with pytest.raises(PdfExportError, match=r"exit code 3\): GPU process crashed"):
        html_to_pdf(html, tmp_path / "out" / "report.pdf")
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.skipif(
    not any(shutil.which(name) for name in reports.CHROMIUM_NAMES),
    reason="no system Chromium (apt-get install chromium)",
)
def test_pdf_export_with_the_system_chromium(tmp_path):
    html = tmp_path / "report.html"
    html.write_text(notebook_to_html(_sample_notebook(), title="Acme"), encoding="utf-8")
    pdf = html_to_pdf(html, tmp_path / "report.pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
