"""The buyer's question per persona x buying stage: the bank, engagement.yaml's overrides, languages."""

from __future__ import annotations

import pytest
import yaml

from workbook.analysis.questions import (
    DEFAULT_QUESTIONS,
    GENERIC_QUESTION,
    buyer_question,
    question_bank,
)
from workbook.intake.config import EngagementConfig, parse_config
from workbook.intake.schema import DEFAULT_BUYING_STAGES, DEFAULT_PERSONAS
from workbook.intake.sections.questions import QuestionOverrides


def config_of(text: str) -> EngagementConfig:
    config, problems = parse_config(yaml.safe_load("client: Acme\n" + text))
    assert problems == []
    return config


def test_the_bank_answers_every_default_cell_in_both_languages():
    config = EngagementConfig(client="Acme")
    for language in ("en", "fr"):
        bank = question_bank(config, language=language)
        assert len(bank) == len(DEFAULT_PERSONAS) * len(DEFAULT_BUYING_STAGES)
        assert set(bank["source"]) == {"bank"}
        for row in bank.itertuples():
            assert row.question == DEFAULT_QUESTIONS[row.persona][row.buying_stage][language]
    en = question_bank(config, language="en")["question"]
    fr = question_bank(config, language="fr")["question"]
    assert (en != fr).all()


def test_rows_follow_engagement_yaml_personas_then_buying_stages():
    config = config_of("personas: [cfo, it_lead]\nbuying_stages: [decision, renewal]\n")
    bank = question_bank(config)
    assert list(zip(bank["persona"], bank["buying_stage"], strict=True)) == [
        ("cfo", "decision"),
        ("cfo", "renewal"),
        ("it_lead", "decision"),
        ("it_lead", "renewal"),
    ]
    # a persona the bank does not know gets its generic question for a known stage ...
    assert bank["question"][0] == DEFAULT_QUESTIONS["default"]["decision"]["en"]
    assert bank["source"].tolist() == ["bank", "generic", "bank", "generic"]
    # ... and, for a stage it does not know, a sentence naming both
    assert bank["question"][1] == GENERIC_QUESTION["en"].format(
        persona="Cfo", buying_stage="Renewal"
    )


OVERRIDES = (
    "content:\n  questions:\n"
    "    economic_buyer:\n"
    "      decision: Why now, and why us?\n"
    "      awareness: {fr: 'Est-ce le moment ?'}\n"
    "    default:\n"
    "      awareness: {en: 'Is it worth it?', fr: 'Cela en vaut-il la peine ?'}\n"
    "      retention: {fr: 'Et après ?'}\n"
)


@pytest.mark.parametrize(
    ("persona", "stage", "language", "expected", "source"),
    [
        # the persona's own text holds in every language
        ("economic_buyer", "decision", "en", "Why now, and why us?", "override"),
        ("economic_buyer", "decision", "fr", "Why now, and why us?", "override"),
        # the persona's own French question; in English, default: answers
        ("economic_buyer", "awareness", "fr", "Est-ce le moment ?", "override"),
        ("economic_buyer", "awareness", "en", "Is it worth it?", "override"),
        # default: applies to the personas without their own
        ("end_user", "awareness", "fr", "Cela en vaut-il la peine ?", "override"),
        # an override only in French leaves the bank's English question
        ("end_user", "retention", "fr", "Et après ?", "override"),
        ("end_user", "retention", "en", DEFAULT_QUESTIONS["end_user"]["retention"]["en"], "bank"),
        # a cell nobody overrides
        ("technical_evaluator", "decision", "fr",
         DEFAULT_QUESTIONS["technical_evaluator"]["decision"]["fr"], "bank"),
    ],
)  # fmt: skip
def test_a_question_comes_from_the_persona_then_default_then_the_bank(
    persona, stage, language, expected, source
):
    config = config_of(OVERRIDES)
    bank = question_bank(config, language=language).set_index(["persona", "buying_stage"])
    assert tuple(bank.loc[(persona, stage), ["question", "source"]]) == (expected, source)
    assert buyer_question(persona, stage, language=language, overrides=config.questions) == (
        expected,
        source,
    )


def test_the_language_defaults_to_engagement_yamls():
    config = config_of("language: fr\n")
    bank = question_bank(config)
    assert bank["question"][0] == DEFAULT_QUESTIONS["economic_buyer"]["awareness"]["fr"]
    with pytest.raises(ValueError, match="language"):
        question_bank(config, language="de")


def test_overrides_answer_only_their_language_and_cell():
    overrides = QuestionOverrides({"cfo": {"decision": {"fr": "Pourquoi nous ?"}}})
    assert overrides.question("cfo", "decision", language="fr") == "Pourquoi nous ?"
    assert overrides.question("cfo", "decision", language="en") is None
    assert overrides.question("cfo", "awareness", language="fr") is None
    assert overrides.question("ceo", "decision", language="fr") is None
