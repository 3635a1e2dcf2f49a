"""How notebooks show things: headings, sentences, formatted tables and figures.

Notebooks call these so that every report looks the same and every number is formatted for
the report's language. Output is HTML/Markdown for the notebook front-end and the exported
report; figures are embedded as PNG with their title as alternative text.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping, Sequence

import matplotlib
import pandas as pd
from IPython.display import HTML, Markdown, display
from matplotlib.figure import Figure

from workbook.i18n import (
    format_date,
    format_money,
    format_month,
    format_number,
    format_percent,
    pretty,
    stage_label,
    text,
)
from workbook.i18n.privacy import redact_emails

#: How a table column is formatted: kind -> formatter(value, language, currency).
FORMATTERS = {
    "text": lambda v, lang, cur: "" if v is None or v is pd.NA else str(v),
    "pretty": lambda v, lang, cur: pretty(v, lang),
    "stage": lambda v, lang, cur: stage_label(str(v), lang),
    "int": lambda v, lang, cur: format_number(v, lang),
    "float": lambda v, lang, cur: format_number(v, lang, decimals=1),
    "float2": lambda v, lang, cur: format_number(v, lang, decimals=2),
    "money": lambda v, lang, cur: format_money(v, cur, lang),
    # a deal's amount, which an open deal may not have yet
    "amount": lambda v, lang, cur: (
        text("label.amount_not_set", lang) if _clean(v) is None else format_money(v, cur, lang)
    ),
    # a count that does not apply (a problem naming no row) is an empty cell
    "count": lambda v, lang, cur: "" if _clean(v) is None else format_number(v, lang),
    "percent": lambda v, lang, cur: format_percent(v, lang),
    "date": lambda v, lang, cur: format_date(v, lang),
    "month": lambda v, lang, cur: format_month(v, lang),
}
NUMERIC_KINDS = frozenset({"int", "count", "float", "float2", "money", "amount", "percent"})
#: Kinds whose formatter says what a missing value means (else: "not measurable").
_OWN_MISSING = frozenset({"amount", "count"})
#: ``frame.attrs`` key of a table whose figure does not apply to some rows: column -> one
#: bool per row; a missing figure in such a cell reads "not applicable", not "not measurable"
#: (a renewal's win from SQL: renewals do not come from leads).
NOT_APPLICABLE = "not_applicable"


def _clean(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    return value


def shown_columns(
    frame: pd.DataFrame, columns: Mapping[str, tuple[str, str]]
) -> dict[str, tuple[str, str]]:
    """The listed columns a table shows: those the frame has, less the number columns with
    no figure in any row (see :func:`table_html`)."""
    return {
        name: (label, kind)
        for name, (label, kind) in columns.items()
        if name in frame
        and not (len(frame) and kind in NUMERIC_KINDS - _OWN_MISSING and frame[name].isna().all())
    }


def format_cell(value, kind: str, *, language: str = "en", currency: str = "EUR") -> str:
    """One table cell as a reader sees it: formatted by :data:`FORMATTERS`, a missing figure
    in words (never "-" or "nan"), and no e-mail address whatever the column."""
    value = _clean(value)
    shown = (  # a figure that cannot be computed says so, never "-" or "nan"
        text("label.not_measurable", language)
        if value is None and kind in NUMERIC_KINDS - _OWN_MISSING
        else FORMATTERS[kind](value, language, currency)
        if value is not None or kind in _OWN_MISSING
        else ""
    )
    return redact_emails(shown, language)  # whatever the column, no e-mail address


def table_html(
    frame: pd.DataFrame,
    columns: Mapping[str, tuple[str, str]],
    *,
    language: str = "en",
    currency: str = "EUR",
    caption: str | None = None,
) -> str:
    """An HTML table of selected columns, formatted for the report's language.

    Parameters
    ----------
    frame : DataFrame
    columns : mapping
        Column -> (header shown, kind); kinds are the keys of :data:`FORMATTERS`.
        Columns not listed are not shown (so personal fields never leak by accident), nor
        are listed columns the frame does not have (a figure the ladder cannot give), nor a
        number column with no figure in any row (e.g. every channel's ROI when no lead's
        channel was recorded). A missing figure reads "not measurable", or "not applicable"
        in the rows ``frame.attrs[NOT_APPLICABLE]`` marks (:data:`NOT_APPLICABLE`).
    """
    columns = shown_columns(frame, columns)
    head = "".join(
        f'<th class="{"num" if kind in NUMERIC_KINDS else "txt"}">{html.escape(label)}</th>'
        for label, kind in columns.values()
    )
    body = []
    not_applicable = {c: list(rows) for c, rows in frame.attrs.get(NOT_APPLICABLE, {}).items()}
    for i, row in enumerate(frame[list(columns)].itertuples(index=False, name=None)):
        cells = []
        for name, value, (_, kind) in zip(columns, row, columns.values(), strict=True):
            shown = (
                text("label.not_applicable", language)
                if _clean(value) is None and name in not_applicable and not_applicable[name][i]
                else format_cell(value, kind, language=language, currency=currency)
            )
            css = "num" if kind in NUMERIC_KINDS else "txt"
            cells.append(f'<td class="{css}">{html.escape(shown)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        f'<table class="wb-table">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def show_table(frame: pd.DataFrame, columns: Mapping[str, tuple[str, str]], **kwargs) -> None:
    """Display :func:`table_html` in the notebook."""
    display(HTML(table_html(frame, columns, **kwargs)))


def figure_html(fig: Figure, *, alt: str = "") -> str:
    """A figure as an embedded PNG ``<img>`` with alternative text."""
    buffer = io.BytesIO()
    with matplotlib.rc_context({"text.parse_math": False}):  # tick labels drawn now: "$x$" is text
        fig.savefig(buffer, format="png", dpi=110)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    titles = [fig.get_suptitle()] if fig.get_suptitle() else []
    titles += [ax.get_title(loc=loc) for ax in fig.axes for loc in ("left", "center")]
    title = alt or next((t for t in titles if t), "")
    return (
        f'<img class="wb-figure" alt="{html.escape(title)}" '
        f'src="data:image/png;base64,{data}" style="max-width:100%"/>'
    )


def show_figure(fig: Figure, *, alt: str = "") -> None:
    """Display a figure as PNG (works headless and offline)."""
    display(HTML(figure_html(fig, alt=alt)))


def show_heading(title: str, *, level: int = 2, anchor: str = "") -> None:
    """A section heading (``level`` 2 or 3 enter the report's table of contents).

    ``anchor`` gives the heading a stable ``id`` (the executive summary links to it), as the
    heading's words may change with the data: a heading states its section's finding.
    """
    if anchor:
        display(HTML(f'<h{level} id="{html.escape(anchor)}">{html.escape(title)}</h{level}>'))
    else:
        display(Markdown(f"{'#' * level} {title}"))


def show_text(sentence: str) -> None:
    """A paragraph of narration, as escaped text: a value from the data (a channel named
    ``[x](http://...)`` or ``<b>``) never becomes a link or markup in the client's report."""
    display(HTML(f"<p>{html.escape(sentence)}</p>"))


def show_means(sentence: str, *, language: str = "en") -> None:
    """The "what this means" sentence after a chart or table."""
    label = text("label.means", language)
    display(HTML(f'<p class="wb-means"><strong>{label}</strong> {html.escape(sentence)}</p>'))


def show_list(items: Sequence[str]) -> None:
    """A bulleted list of sentences, escaped like :func:`show_text`."""
    display(HTML("<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>"))
