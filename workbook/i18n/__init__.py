"""Every word a report reader sees, in English and French, and locale-aware number formats.

Code asks for text by key (:func:`text`) and formats numbers with :func:`format_number`,
:func:`format_money` and :func:`format_percent`; nothing else in the package hard-codes a
sentence a client reads. French numbers follow French typography: ``1 234,5 €``, ``12,3 %``
(narrow no-break spaces).

Adding a key: add it to both catalogues; ``tests/i18n/test_i18n.py`` checks they hold the same keys
and the same ``{placeholders}``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from functools import partial

from workbook.i18n import catalogue
from workbook.i18n.overrides import override_label
from workbook.i18n.overrides import set_labels as set_labels  # re-exported
from workbook.i18n.overrides import use_labels as use_labels  # re-exported
from workbook.i18n.privacy import redact_emails

LANGUAGES = ("en", "fr")
NNBSP = "\u202f"  # narrow no-break space: French thousands separator and before % and €

#: Words shown in capitals wherever a data key is shown.
ACRONYMS = {w: w.upper() for w in ("roi", "seo", "crm", "mql", "sal", "sql", "smb", "abm", "emea")}

#: The value an attribute takes when the data did not record it (an opportunities-only export
#: without a channel column): kept in every total, shown as "not recorded".
NOT_RECORDED = "not_recorded"

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF", "JPY": "¥"}


def _merge() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {language: {} for language in LANGUAGES}
    for module in catalogue.MODULES:
        for language in LANGUAGES:
            clash = merged[language].keys() & module.TEXT[language].keys()
            if clash:
                raise RuntimeError(f"text keys defined twice: {sorted(clash)}")
            merged[language].update(module.TEXT[language])
    return merged


CATALOGUE: dict[str, dict[str, str]] = _merge()


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
    return language


def text(key: str, language: str = "en", /, **values: object) -> str:
    """The sentence or label ``key`` in ``language``, with ``{placeholders}`` filled.

    Examples
    --------
    >>> text("subtitle", "fr", as_of="30/09/2026")
    'Données au 30/09/2026'
    """
    template = CATALOGUE[check_language(language)][key]
    return template.format(**values) if values else template


def ladder_key(key: str, stages: tuple[str, ...]) -> str:
    """``key``, or its ``.no_mql`` variant when the ladder has no MQL stage to qualify leads
    into (``[opportunity, won]``, ``[mql, won]``): its words name no stage it lacks.

    Examples
    --------
    >>> ladder_key("strategy.heading.scoring", ("opportunity", "won"))
    'strategy.heading.scoring.no_mql'
    """
    return key if "mql" in tuple(stages)[1:] else f"{key}.no_mql"


def stage_label(stage: str, language: str = "en") -> str:
    """Readable name of a funnel stage: the engagement's label (``labels:`` of engagement.yaml,
    :mod:`workbook.i18n.overrides`), else the catalogue's, else the stage itself."""
    overridden = override_label(stage, check_language(language))
    if overridden is not None:
        return overridden
    return CATALOGUE[check_language(language)].get(f"stage.{stage}", stage.replace("_", " "))


def pretty(name: object, language: str = "en") -> str:
    """A data key shown to readers: ``paid_search`` -> ``Paid search`` (``Recherche payante``).

    The engagement's own label comes first (``labels:`` of engagement.yaml, in force through
    :mod:`workbook.i18n.overrides`). A standard value (channel, persona, buying stage, source,
    format, function, segment) reads its ``value.<key>`` label from the catalogue
    (:mod:`workbook.i18n.catalogue.labels`); any other value is prettified. A value the data did not record (:data:`NOT_RECORDED`, None or
    NaN) reads "Not recorded" in ``language``; an e-mail address in a value is replaced
    (:func:`workbook.i18n.privacy.redact_emails`).

    Examples
    --------
    >>> pretty("paid_search"), pretty("paid_search", "fr"), pretty(NOT_RECORDED, "fr")
    ('Paid search', 'Recherche payante', 'Non renseigné')
    >>> pretty("field_marketing", "fr"), pretty("i.moretti5@acme.example")
    ('Field marketing', '[e-mail removed]')
    """
    labels = CATALOGUE[check_language(language)]
    overridden = override_label(name, language)
    if overridden is not None:
        return overridden
    if name is None or (isinstance(name, float) and math.isnan(name)) or name == NOT_RECORDED:
        return labels["label.not_recorded"]
    if isinstance(name, str) and f"value.{name}" in labels:
        return labels[f"value.{name}"]
    shown = redact_emails(str(name), language)
    words = [ACRONYMS.get(w, w) for w in shown.replace("_", " ").strip().split(" ")]
    phrase = " ".join(words)
    return phrase[:1].upper() + phrase[1:]


def lower_label(label: str) -> str:
    """A label as it reads inside a sentence: lower case, acronyms kept (``ROI``, ``LinkedIn``).

    Examples
    --------
    >>> lower_label("Calculateur de ROI"), lower_label("ROI calculator"), lower_label("Paid social")
    ('calculateur de ROI', 'ROI calculator', 'paid social')
    """
    words = str(label).split(" ")
    return " ".join(w if sum(c.isupper() for c in w) > 1 else w.lower() for w in words)


def sentence_case(label: str, language: str = "en") -> str:
    """A label as it reads inside a sentence: in French, a label of the catalogue
    (``value.*``: a standard channel, persona, stage...) with its first letter in lower case,
    unless its first word is an acronym or a name with inner capitals (``SEO``,
    ``LinkedIn``); any other label as it is: a client's own value or ``labels:`` override may
    be a name (``Google Ads``, ``Salesforce``). In English every label as it is.

    Examples
    --------
    >>> sentence_case("Recommandation de partenaire", "fr"), sentence_case("Webinaire", "fr")
    ('recommandation de partenaire', 'webinaire')
    >>> sentence_case("Google Ads", "fr"), sentence_case("Partner referral")
    ('Google Ads', 'Partner referral')
    """
    label = str(label)
    first = label.split(" ", 1)[0]
    if language != "fr" or sum(c.isupper() for c in first) > 1:
        return label
    if label not in _catalogue_labels(language):
        return label
    return label[:1].lower() + label[1:]


@functools.cache
def _catalogue_labels(language: str) -> frozenset[str]:
    """The catalogue's value labels in ``language`` (``value.*`` and "not recorded")."""
    labels = CATALOGUE[language]
    return frozenset(
        [v for k, v in labels.items() if k.startswith("value.")] + [labels["label.not_recorded"]]
    )


def label_list(labels: list[str], language: str = "en", *, opening: bool = False) -> str:
    """Labels listed inside a sentence (:func:`join_words`), each in :func:`sentence_case`;
    with ``opening`` the first keeps its capital (the list opens the sentence).

    Examples
    --------
    >>> label_list(["Webinaire", "E-mail"], "fr"), label_list(["Webinaire", "E-mail"], "fr", opening=True)
    ('webinaire et e-mail', 'Webinaire et e-mail')
    """
    shown = [sentence_case(label, language) for label in labels]
    if opening and shown:
        shown[0] = str(labels[0])
    return join_words(shown, language)


def channels_phrase(labels: list[str], language: str = "en", *, of: bool = False) -> str:
    """Channel labels as a sentence names them: in French with their noun and article
    (``le canal webinaire``, ``des canaux webinaire et e-mail`` with ``of``), in English the
    list alone (``Webinar and Email``).

    Examples
    --------
    >>> channels_phrase(["Webinaire", "E-mail"], "fr", of=True), channels_phrase(["Webinar"])
    ('des canaux webinaire et e-mail', 'Webinar')
    """
    number = "one" if len(labels) == 1 else "many"
    key = f"words.channels.{'of' if of else 'the'}.{number}"
    return text(key, language, names=label_list(labels, language))


def join_words(items: list[str], language: str = "en") -> str:
    """Items as a sentence lists them: ``a, b and c`` (``a, b et c`` in French).

    Examples
    --------
    >>> join_words(["spend", "content", "touches"]), join_words(["a", "b"], "fr")
    ('spend, content and touches', 'a et b')
    """
    if len(items) <= 1:
        return "".join(items)
    word = " et " if language == "fr" else " and "
    return ", ".join(items[:-1]) + word + items[-1]


def format_number(value: float | None, language: str = "en", *, decimals: int = 0) -> str:
    """``1,234.5`` in English, ``1 234,5`` in French; ``not measurable`` for a missing value.

    A figure that could not be computed says so in words, never ``-`` or ``nan``.

    Examples
    --------
    >>> format_number(1234.5, "fr", decimals=1) == "1\u202f234,5"
    True
    >>> format_number(1234.5, "en", decimals=1)
    '1,234.5'
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return text("label.not_measurable", language)
    english = f"{value:,.{decimals}f}"
    if check_language(language) == "en":
        return english
    return english.replace(",", NNBSP).replace(".", ",")


def format_money(
    value: float | None, currency: str = "EUR", language: str = "en", *, decimals: int = 0
) -> str:
    """``€1,234`` in English, ``1 234 €`` in French.

    Examples
    --------
    >>> format_money(48000, "EUR", "en")
    '€48,000'
    >>> format_money(48000, "EUR", "fr") == "48\u202f000\u202f€"
    True
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return text("label.not_measurable", language)
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    number = format_number(abs(value), language, decimals=decimals)
    sign = "-" if value < 0 else ""
    if language == "fr":
        return f"{sign}{number}{NNBSP}{symbol}"
    if len(symbol) > 1:
        return f"{sign}{symbol} {number}"
    return f"{sign}{symbol}{number}"


def format_percent(value: float | None, language: str = "en", *, decimals: int = 1) -> str:
    """A fraction as a percentage: ``12.3%`` in English, ``12,3 %`` in French.

    Examples
    --------
    >>> format_percent(0.123)
    '12.3%'
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return text("label.not_measurable", language)
    number = format_number(100 * value, language, decimals=decimals)
    return f"{number}{NNBSP}%" if language == "fr" else f"{number}%"


def formatters(
    language: str, currency: str = "EUR"
) -> tuple[Callable[..., str], Callable[..., str], Callable[..., str]]:
    """:func:`format_number`, :func:`format_percent` and :func:`format_money` bound to a
    language (and currency): the ``n``, ``pct`` and ``money`` of every sentence builder.

    Examples
    --------
    >>> n, pct, money = formatters("fr", "EUR")
    >>> n(1234.5) == format_number(1234.5, "fr"), pct(0.25, decimals=0)
    (True, '25\u202f%')
    """
    return (
        partial(format_number, language=language),
        partial(format_percent, language=language),
        partial(format_money, currency=currency, language=language),
    )


def format_date(value, language: str = "en") -> str:
    """``2026-09-30`` in English reports, ``30/09/2026`` in French ones."""
    if value is None:
        return "-"
    return value.strftime("%d/%m/%Y") if language == "fr" else value.strftime("%Y-%m-%d")


def format_month(value, language: str = "en") -> str:
    """``Sep 2026`` / ``sept. 2026``."""
    fr = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
          "nov.", "déc."]  # fmt: skip
    en = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    names = fr if language == "fr" else en
    return f"{names[value.month - 1]} {value.year}"


def catalogue_keys(language: str) -> Mapping[str, str]:
    return CATALOGUE[check_language(language)]
