"""Client slugs: the safe folder name of a client under the output folder."""

from __future__ import annotations

import re
import unicodedata

#: Windows device names: a folder of that name is unusable there.
_RESERVED_NAMES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
#: Latin letters that Unicode decomposition does not reduce to ASCII.
_ASCII_FOLDING = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "TH",
    }
)
SLUG_MAX_LENGTH = 60
SLUG_FALLBACK = "engagement"


def slugify(name: str) -> str:
    """A safe folder name for a client: lower-case ASCII letters, digits and single dashes.

    Accents are stripped (``Ünïcode SA`` -> ``unicode-sa``), everything else becomes a
    dash, runs of dashes collapse, the result is cut to 60 characters, and it never
    starts or ends with a dash. Empty results become ``engagement``; Windows device
    names get a suffix (``CON`` -> ``con-engagement``). The result never contains a path
    separator or dots, so ``directory / slugify(name)`` stays inside ``directory``, and
    ``slugify(slugify(name)) == slugify(name)``.

    Parameters
    ----------
    name : str
        Any text, typically the ``client`` of engagement.yaml.

    Returns
    -------
    str
        Matches ``^[a-z0-9]+(-[a-z0-9]+)*$``, at most 60 characters.

    Examples
    --------
    >>> slugify("Acme Industrial")
    'acme-industrial'
    >>> slugify("../../etc")
    'etc'
    >>> slugify("  ")
    'engagement'
    """
    folded = unicodedata.normalize("NFKD", str(name).translate(_ASCII_FOLDING))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    slug = slug[:SLUG_MAX_LENGTH].rstrip("-")
    if not slug:
        return SLUG_FALLBACK
    if slug in _RESERVED_NAMES:
        return f"{slug}-{SLUG_FALLBACK}"
    return slug
