"""engagement.yaml's ``content.questions``: the buyer's question per persona x buying stage.

.. code-block:: yaml

    content:
      questions:
        economic_buyer:                       # a persona of engagement.yaml ...
          decision: What will it cost us, and when does it pay back?   # one text, every language
        default:                              # ... or default: every persona without its own
          awareness:
            en: Is this problem worth solving now?
            fr: Ce problème vaut-il d'être résolu maintenant ?

See Also
--------
workbook.analysis.questions : the default question bank these override.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from workbook.intake.keys import CONFIG_FILE, closest_key, name_keys
from workbook.intake.problems import Problem
from workbook.intake.schema import LANGUAGES

#: Key of engagement.yaml's ``content.questions`` that applies to every persona.
ANY_PERSONA = "default"
#: Where the overrides live in engagement.yaml.
QUESTIONS_KEY = "content.questions"


@dataclass(frozen=True)
class QuestionOverrides:
    """engagement.yaml's own questions.

    Attributes
    ----------
    questions : mapping
        Persona (or :data:`ANY_PERSONA`) -> buying stage -> language -> question. A question
        written as one text holds it for every language.
    """

    questions: Mapping[str, Mapping[str, Mapping[str, str]]] = field(default_factory=dict)

    def question(self, persona: str, buying_stage: str, *, language: str) -> str | None:
        """The persona's own question, else the ``default`` one, in ``language``; or None.

        Examples
        --------
        >>> overrides = QuestionOverrides({"default": {"decision": {"en": "Why us?"}}})
        >>> overrides.question("cfo", "decision", language="en")
        'Why us?'
        >>> overrides.question("cfo", "decision", language="fr") is None
        True
        """
        for who in (persona, ANY_PERSONA):
            found = self.questions.get(who, {}).get(buying_stage, {}).get(language)
            if found:
                return found
        return None


def _question_text(question: object, key: str, problems: list[Problem]) -> dict[str, str]:
    """``{language: text}`` of one question, appending its problems."""
    if isinstance(question, str):
        if question.strip():
            return {language: question.strip() for language in LANGUAGES}
        problems.append(Problem(CONFIG_FILE, key, "the question must not be empty"))
        return {}
    if isinstance(question, Mapping):
        texts = {}
        for language, sentence in question.items():
            if language not in LANGUAGES:
                problems.append(
                    Problem(
                        CONFIG_FILE,
                        f"{key}.{language}",
                        f"unknown language '{language}': use {' or '.join(LANGUAGES)}",
                    )
                )
            elif not isinstance(sentence, str) or not sentence.strip():
                problems.append(
                    Problem(CONFIG_FILE, f"{key}.{language}", "must be the question as text")
                )
            else:
                texts[str(language)] = sentence.strip()
        return texts
    problems.append(
        Problem(
            CONFIG_FILE,
            key,
            f"must be the question as text, or en:/fr: texts; got {question!r}",
        )
    )
    return {}


def parse_question_overrides(
    raw: object,
    *,
    personas: tuple[str, ...],
    buying_stages: tuple[str, ...],
) -> tuple[QuestionOverrides, list[Problem]]:
    """Read engagement.yaml's ``content.questions`` section.

    Parameters
    ----------
    raw : mapping or None
        The section as read: persona (or ``default``) -> buying stage -> text, or
        -> {language: text}. Personas and buying stages are compared as the data's are
        (:func:`workbook.intake.keys.name_key`: ``Economic Buyer`` is ``economic_buyer``).
    personas, buying_stages : tuple of str
        engagement.yaml's personas and buying stages.

    Returns
    -------
    overrides : QuestionOverrides
        The valid questions.
    problems : list of Problem
        Each naming its key; unknown keys come with the closest valid key.

    Examples
    --------
    >>> _, problems = parse_question_overrides(
    ...     {"economic_buyer": {"decison": "Why us?"}},
    ...     personas=("economic_buyer",), buying_stages=("decision",))
    >>> [p.column for p in problems]
    ['content.questions.economic_buyer.decison']
    """
    problems: list[Problem] = []
    if not raw:
        return QuestionOverrides(), problems
    if not isinstance(raw, Mapping):
        return QuestionOverrides(), [
            Problem(CONFIG_FILE, QUESTIONS_KEY, "must map personas to buying stages")
        ]
    valid_personas = (*personas, ANY_PERSONA)
    questions: dict[str, dict[str, dict[str, str]]] = {}
    for persona, stages in name_keys(raw, QUESTIONS_KEY, problems, what="persona").items():
        where = f"{QUESTIONS_KEY}.{persona}"
        if persona not in valid_personas:
            hint = closest_key(str(persona), valid_personas)
            fix = f"did you mean '{hint}'?" if hint else f"valid keys: {', '.join(valid_personas)}"
            problems.append(Problem(CONFIG_FILE, where, f"unknown persona '{persona}': {fix}"))
            continue
        if not isinstance(stages, Mapping):
            problems.append(
                Problem(CONFIG_FILE, where, "must map buying stages to the buyer's question")
            )
            continue
        for stage, question in name_keys(stages, where, problems, what="buying stage").items():
            key = f"{where}.{stage}"
            if stage not in buying_stages:
                hint = closest_key(str(stage), buying_stages)
                fix = (
                    f"did you mean '{hint}'?"
                    if hint
                    else f"valid buying stages: {', '.join(buying_stages)}"
                )
                problems.append(Problem(CONFIG_FILE, key, f"unknown buying stage '{stage}': {fix}"))
                continue
            texts = _question_text(question, key, problems)
            if texts:
                questions.setdefault(str(persona), {})[str(stage)] = texts
    return QuestionOverrides(questions), problems


__all__ = ["ANY_PERSONA", "QUESTIONS_KEY", "QuestionOverrides", "parse_question_overrides"]
