"""Client slugs: the safe folder name of a client under the output folder.

Two different clients never share a slug by accident: Greek and Cyrillic names are
transliterated, and a slug that had to drop letters or digits (Chinese, Japanese, Arabic,
Hebrew...), was cut to 60 characters, or came out empty ends with a short hash of the client's
name. Names that differ only in case, accents or punctuation (``Acme Industrial``,
``ACME-Industrial``) still share one; a run refuses to publish into a folder that holds another
client's reports (:func:`workbook.runs.publish.check_client_folder`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

#: Windows device names: a folder of that name is unusable there.
_RESERVED_NAMES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
#: Latin letters that Unicode decomposition does not reduce to ASCII, and the Greek and
#: Cyrillic alphabets (lower case: names are lower-cased first), transliterated the usual way
#: (ELOT 743 for Greek; Russian, Ukrainian, Belarusian, Bulgarian, Serbian, Macedonian letters).
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
        # Greek
        "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th",
        "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p",
        "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps",
        "ω": "o",
        # Cyrillic
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
        "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
        "я": "ya", "є": "ye", "і": "i", "ї": "yi", "ґ": "g", "ў": "u", "ђ": "dj", "ј": "j",
        "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dz", "ѓ": "gj", "ќ": "kj", "ѕ": "dz",
    }
)  # fmt: skip
SLUG_MAX_LENGTH = 60
SLUG_FALLBACK = "engagement"
#: Hex digits of the name's SHA-256 appended to a slug that lost information.
SLUG_HASH_LENGTH = 8


def client_name_hash(name: str) -> str:
    """The first 8 hex digits of the SHA-256 of a client name (surrounding spaces ignored).

    Examples
    --------
    >>> client_name_hash("Acme Industrial")
    '833172cd'
    """
    exact = str(name).strip().encode("utf-8", "surrogatepass")
    return hashlib.sha256(exact).hexdigest()[:SLUG_HASH_LENGTH]


def slugify(name: str) -> str:
    """A safe folder name for a client: lower-case ASCII letters, digits and single dashes.

    Accents are stripped (``Ünïcode SA`` -> ``unicode-sa``), Greek and Cyrillic letters are
    transliterated (``Газпром`` -> ``gazprom``), anything that is not a letter or a digit
    becomes a dash, runs of dashes collapse, and the result never starts or ends with a dash.
    When the slug loses information, it ends with ``-`` and the 8 hex digits of
    :func:`client_name_hash`, so that different names get different folders: letters or
    digits it cannot spell in ASCII (``日本株式会社`` -> ``engagement-<hash>``), a slug longer
    than 60 characters (cut to 51, then the hash), or a name with no letter or digit at all
    (``!!!`` -> ``engagement-<hash>``). A blank name becomes ``engagement``; Windows device
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
    >>> slugify("Αθήνα Ναυτιλιακή")
    'athina-naytiliaki'
    >>> slugify("  ")
    'engagement'
    """
    text = str(name)
    lowered = unicodedata.normalize("NFC", text).lower().translate(_ASCII_FOLDING)
    folded = unicodedata.normalize("NFKD", lowered).translate(_ASCII_FOLDING)
    kept = []
    lost = False
    for char in folded:
        if char.isascii():
            kept.append(char)
            continue
        category = unicodedata.category(char)
        if category.startswith("M"):  # an accent, once decomposed
            continue
        lost = lost or category[0] in "LN"  # a letter or digit not spelled in ASCII
        kept.append("-")
    slug = re.sub(r"[^a-z0-9]+", "-", "".join(kept).lower()).strip("-")
    if not slug and not text.strip():
        return SLUG_FALLBACK
    if lost or not slug or len(slug) > SLUG_MAX_LENGTH:
        base = slug[: SLUG_MAX_LENGTH - SLUG_HASH_LENGTH - 1].rstrip("-") or SLUG_FALLBACK
        return f"{base}-{client_name_hash(text)}"
    if slug in _RESERVED_NAMES:
        return f"{slug}-{SLUG_FALLBACK}"
    return slug
