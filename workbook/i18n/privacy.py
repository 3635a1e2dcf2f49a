"""E-mail addresses never reach a reader: the one pattern and the one replacement.

Every text a client reads (report tables and sentences, the Excel workbook, the data-issues
table whose messages quote raw cell values) passes through :func:`redact_emails` before it
is shown. It lives here, in the words-and-formats layer, so that every layer can import it
(:func:`workbook.i18n.pretty` too: it reads its word from the catalogue module, not from
:mod:`workbook.i18n`); the personal *columns*, dropped whole, are
:data:`workbook.intake.schema.PII_COLUMNS`.

The consultant's own terminal (``workbook validate``, its ``--json``) keeps the raw values: it
is where the consultant finds and fixes the rows, and it is not a deliverable.
"""

from __future__ import annotations

import re

from workbook.i18n.catalogue.common import TEXT

#: An e-mail address inside any text: ``name@domain.tld``, stopped by spaces, quotes,
#: brackets and the punctuation that surrounds a quoted value (``'a@b.example'``).
EMAIL_PATTERN = re.compile(r"[^\s@<>()\[\],;:\"']+@[^\s@<>()\[\],;:\"']+\.[A-Za-z]{2,}")


def email_replacement(language: str = "en") -> str:
    """What stands in for an e-mail address: ``[e-mail removed]`` / ``[e-mail retiré]``.

    Examples
    --------
    >>> email_replacement("fr")
    '[e-mail retiré]'
    """
    if language not in TEXT:
        raise ValueError(f"language must be one of {tuple(TEXT)}, got {language!r}")
    return TEXT[language]["label.email_removed"]


def redact_emails(text: str, language: str = "en") -> str:
    """``text`` with every e-mail address replaced by :func:`email_replacement`.

    Parameters
    ----------
    text : str
        Any text about to be shown to a client.
    language : {"en", "fr"}
        Of the replacement.

    Returns
    -------
    str
        The same text when it holds no ``@`` (the common case, checked first).

    Examples
    --------
    >>> redact_emails("cannot read the date ('i.moretti5@acme.example')")
    "cannot read the date ('[e-mail removed]')"
    >>> redact_emails("no address here")
    'no address here'
    """
    if "@" not in text:
        return text
    return EMAIL_PATTERN.sub(email_replacement(language), text)


__all__ = ["EMAIL_PATTERN", "email_replacement", "redact_emails"]
