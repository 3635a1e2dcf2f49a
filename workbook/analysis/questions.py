"""The buyer dialogue logic: the question a buyer asks at each buying stage, per persona.

Crossed with the personas, the buying stages give the conversation tracks of the plan
(DOMAIN.md, "Buyer dialogue logic"): one question per persona x buying stage, answered by the
content mapped to that cell. :data:`DEFAULT_QUESTIONS` is the default bank, in English and
French, for the contract's default personas and buying stages; engagement.yaml overrides any
of it under ``content.questions`` (:mod:`workbook.intake.sections.questions`, parsed with the
rest of the file into :class:`~workbook.intake.sections.questions.QuestionOverrides`).

A question is looked up in this order: the persona's own override, the ``default`` override,
the bank's question for the persona, the bank's generic question for the buying stage, and,
for a buying stage the bank does not know, a generic sentence naming persona and stage.

See Also
--------
workbook.analysis.content.build_content_report : the conversation tracks built from these questions.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import pandas as pd

from workbook.i18n import check_language, pretty
from workbook.intake.config import EngagementConfig
from workbook.intake.sections.questions import ANY_PERSONA, QUESTIONS_KEY, QuestionOverrides

_BANK: dict[str, dict[str, dict[str, str]]] = {
    "economic_buyer": {
        "awareness": {
            "en": "Is this problem costing us enough to act on it now?",
            "fr": "Ce problème nous coûte-t-il assez pour agir dès maintenant ?",
        },
        "consideration": {
            "en": "Which approaches could solve it, and what would each cost and return?",
            "fr": "Quelles approches pourraient le résoudre, et que coûterait et rapporterait chacune ?",
        },
        "decision": {
            "en": "What return will we get, how fast, and what is the risk if it fails?",
            "fr": "Quel retour obtiendrons-nous, en combien de temps, et quel est le risque en cas d'échec ?",
        },
        "retention": {
            "en": "Are we getting the value we paid for, and what should we invest in next?",
            "fr": "Obtenons-nous la valeur payée, et dans quoi investir ensuite ?",
        },
    },
    "technical_evaluator": {
        "awareness": {
            "en": "What is changing in this technology, and does it apply to our sites?",
            "fr": "Qu'est-ce qui change dans cette technologie, et cela s'applique-t-il à nos sites ?",
        },
        "consideration": {
            "en": "Will it integrate with our systems and meet our security requirements?",
            "fr": "S'intégrera-t-il à nos systèmes et respectera-t-il nos exigences de sécurité ?",
        },
        "decision": {
            "en": "Can we prove it works on our own data before we commit?",
            "fr": "Pouvons-nous prouver qu'il fonctionne sur nos propres données avant de nous engager ?",
        },
        "retention": {
            "en": "How do we get the most from the platform and keep it running well?",
            "fr": "Comment tirer le meilleur de la plateforme et la maintenir en bon état ?",
        },
    },
    "end_user": {
        "awareness": {
            "en": "Is there a better way to do my daily work?",
            "fr": "Existe-t-il une meilleure façon de faire mon travail au quotidien ?",
        },
        "consideration": {
            "en": "Will it be easy to use, and will it really make my job easier?",
            "fr": "Sera-t-il simple à utiliser, et me facilitera-t-il vraiment le travail ?",
        },
        "decision": {
            "en": "How much training and change will it take for my team?",
            "fr": "Combien de formation et de changement cela demandera-t-il à mon équipe ?",
        },
        "retention": {
            "en": "How can I get more done with it, and where do I find help?",
            "fr": "Comment en faire davantage avec, et où trouver de l'aide ?",
        },
    },
    ANY_PERSONA: {
        "awareness": {
            "en": "Do we have a problem worth solving, and how do others deal with it?",
            "fr": "Avons-nous un problème qui mérite d'être résolu, et comment les autres le traitent-ils ?",
        },
        "consideration": {
            "en": "What are our options, and how do they compare?",
            "fr": "Quelles sont nos options, et comment se comparent-elles ?",
        },
        "decision": {
            "en": "Why this supplier, and how do we justify the purchase?",
            "fr": "Pourquoi ce fournisseur, et comment justifier l'achat ?",
        },
        "retention": {
            "en": "How do we get the full value of what we bought?",
            "fr": "Comment tirer toute la valeur de ce que nous avons acheté ?",
        },
    },
}

#: The default question bank: persona (or ``default``) -> buying stage -> language -> text.
DEFAULT_QUESTIONS: Mapping[str, Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {
        persona: MappingProxyType({s: MappingProxyType(q) for s, q in stages.items()})
        for persona, stages in _BANK.items()
    }
)

#: For a buying stage the bank does not know: a sentence naming persona and stage.
GENERIC_QUESTION: Mapping[str, str] = MappingProxyType(
    {
        "en": "What does the {persona} need to know at the {buying_stage} stage?",
        "fr": "Que doit savoir le profil « {persona} » à l'étape « {buying_stage} » ?",
    }
)


def buyer_question(
    persona: str,
    buying_stage: str,
    *,
    language: str = "en",
    overrides: QuestionOverrides | None = None,
) -> tuple[str, str]:
    """The buyer's question for one persona x buying-stage cell, and where it came from.

    Parameters
    ----------
    persona, buying_stage : str
    language : {"en", "fr"}
    overrides : QuestionOverrides, optional
        engagement.yaml's ``content.questions``.

    Returns
    -------
    question : str
    source : {"override", "bank", "generic"}
        engagement.yaml, the default bank, or the generic sentence.

    Examples
    --------
    >>> buyer_question("end_user", "decision")[0]
    'How much training and change will it take for my team?'
    >>> cfo = QuestionOverrides({"cfo": {"decision": {"en": "Why now?"}}})
    >>> buyer_question("cfo", "decision", overrides=cfo)
    ('Why now?', 'override')
    """
    check_language(language)
    found = (
        overrides.question(persona, buying_stage, language=language)
        if overrides is not None
        else None
    )
    if found:
        return found, "override"
    for who in (persona, ANY_PERSONA):
        sentence = DEFAULT_QUESTIONS.get(who, {}).get(buying_stage, {}).get(language)
        if sentence:
            return sentence, "bank"
    template = GENERIC_QUESTION[language]
    shown = {"persona": pretty(persona, language), "buying_stage": pretty(buying_stage, language)}
    return template.format(**shown), "generic"


def question_bank(config: EngagementConfig, *, language: str | None = None) -> pd.DataFrame:
    """The buyer's question for every persona x buying stage of an engagement.

    Parameters
    ----------
    config : EngagementConfig
    language : {"en", "fr"}, optional
        Defaults to engagement.yaml's ``language``.

    Returns
    -------
    DataFrame
        One row per cell, personas then buying stages in engagement.yaml's order: ``persona``,
        ``buying_stage``, ``question``, ``source`` (override | bank | generic).
    """
    language = check_language(language or config.language)
    rows = [
        (
            persona,
            stage,
            *buyer_question(persona, stage, language=language, overrides=config.questions),
        )
        for persona in config.personas
        for stage in config.buying_stages
    ]
    return pd.DataFrame(rows, columns=["persona", "buying_stage", "question", "source"])


__all__ = [
    "ANY_PERSONA",
    "DEFAULT_QUESTIONS",
    "GENERIC_QUESTION",
    "QUESTIONS_KEY",
    "buyer_question",
    "question_bank",
]
