"""engagement.yaml's ``labels:``: the client's own words for data values, per language.

.. code-block:: yaml

    labels:
      partner_referral: {en: Partner referral, fr: Recommandation partenaire}
      webinar: Web seminar          # one text: the same label in every language
      Key Accounts: {fr: Grands comptes}   # a language left out keeps the catalogue's label

A key is any value the data or engagement.yaml holds (a channel, persona, buying stage,
source, format, stakeholder function, segment or stage), compared as the data's values are
(:func:`workbook.intake.keys.name_key`: ``Partner Referral`` is ``partner_referral``). A
label replaces the catalogue's (:mod:`workbook.i18n.catalogue.labels`) or adds one where the
catalogue has none.

See Also
--------
workbook.i18n.overrides : puts these labels in force while reports are built.
workbook.i18n.pretty, workbook.i18n.stage_label : the functions that show them.
"""

from __future__ import annotations

from collections.abc import Mapping

from workbook.intake.keys import CONFIG_FILE, name_keys
from workbook.intake.problems import Problem
from workbook.intake.schema import LANGUAGES

#: Where the labels live in engagement.yaml.
LABELS_KEY = "labels"
#: How to write a label, ending every problem's message.
LABEL_FIX = (
    f"write the label as text (the same in every language) or as {{{', '.join(LANGUAGES)}}} "
    "texts, e.g. {en: Partner referral, fr: Recommandation partenaire}"
)


def _label_texts(label: object, key: str, problems: list[Problem]) -> dict[str, str]:
    """``{language: label}`` of one value's label, appending its problems."""
    if isinstance(label, str):
        if label.strip():
            return {language: label.strip() for language in LANGUAGES}
        problems.append(Problem(CONFIG_FILE, key, f"the label is empty: {LABEL_FIX}"))
        return {}
    if not isinstance(label, Mapping):
        problems.append(Problem(CONFIG_FILE, key, f"got {label!r}: {LABEL_FIX}"))
        return {}
    if not label:
        problems.append(Problem(CONFIG_FILE, key, f"no language given: {LABEL_FIX}"))
        return {}
    texts: dict[str, str] = {}
    for language, words in label.items():
        where = f"{key}.{language}"
        if language not in LANGUAGES:
            problems.append(
                Problem(
                    CONFIG_FILE,
                    where,
                    f"unknown language {language!r}: use {' or '.join(LANGUAGES)}",
                )
            )
        elif not isinstance(words, str) or not words.strip():
            problems.append(
                Problem(CONFIG_FILE, where, f"must be the label as text, got {words!r}")
            )
        else:
            texts[language] = words.strip()
    return texts


def parse_labels(raw: object) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """Read engagement.yaml's ``labels:`` section.

    Parameters
    ----------
    raw : mapping or None
        The section as read: value -> label text, or -> {language: label text}.

    Returns
    -------
    labels : dict
        Value key (:func:`workbook.intake.keys.name_key`) -> language -> label, for the valid
        entries; a language the entry leaves out is absent. Empty without a section.
    problems : list of Problem
        Each naming its key (``labels.<value>`` or ``labels.<value>.<language>``) and how to
        write the label.

    Examples
    --------
    >>> labels, problems = parse_labels({"Partner Referral": {"fr": "Recommandation"}})
    >>> labels, problems
    ({'partner_referral': {'fr': 'Recommandation'}}, [])
    >>> parse_labels({"webinar": {"de": "Webinar"}})[1][0].column
    'labels.webinar.de'
    """
    problems: list[Problem] = []
    if raw is None:
        return {}, problems
    if not isinstance(raw, Mapping):
        return {}, [
            Problem(
                CONFIG_FILE,
                LABELS_KEY,
                f"must map data values to their labels, got {raw!r}: e.g. labels: "
                "{partner_referral: {en: Partner referral, fr: Recommandation partenaire}}",
            )
        ]
    labels: dict[str, dict[str, str]] = {}
    for value, label in name_keys(raw, LABELS_KEY, problems, what="data value").items():
        texts = _label_texts(label, f"{LABELS_KEY}.{value}", problems)
        if texts:
            labels[value] = texts
    return labels, problems


__all__ = ["LABELS_KEY", "parse_labels"]
