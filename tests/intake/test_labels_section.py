"""engagement.yaml's ``labels:``: the client's own words for data values, parsed once, errors by key."""

from __future__ import annotations

import pickle

import pytest
import yaml

from tests.conftest import TINY_YAML, write_engagement
from workbook.intake.config import EngagementConfig, parse_config
from workbook.intake.engagement import read_engagement_config
from workbook.intake.problems import EngagementError
from workbook.intake.sections import parse_labels
from workbook.intake.sections.labels import LABEL_FIX


def parsed(text: str) -> tuple[EngagementConfig | None, dict[str, str]]:
    """parse_config of ``client: Acme`` plus ``text``; problems as key path -> message."""
    config, problems = parse_config(yaml.safe_load("client: Acme\n" + text))
    assert all(p.file == "engagement.yaml" for p in problems)
    return config, {p.column: p.message for p in problems}


def test_a_label_is_one_text_for_every_language_or_a_text_per_language():
    config, problems = parsed(
        "labels:\n"
        "  partner_referral: {en: Partner referral, fr: Recommandation partenaire}\n"
        "  webinar: ' Web seminar '\n"
        "  key_accounts: {fr: Grands comptes}\n"
    )
    assert problems == {}
    assert config.labels == {
        "partner_referral": {"en": "Partner referral", "fr": "Recommandation partenaire"},
        "webinar": {"en": "Web seminar", "fr": "Web seminar"},
        "key_accounts": {"fr": "Grands comptes"},  # English keeps the catalogue's
    }


def test_label_keys_are_compared_as_the_datas_values_are():
    config, problems = parsed("labels:\n  Partner Referral: Referral by a partner\n  MQL: Lead\n")
    assert problems == {}
    assert set(config.labels) == {"partner_referral", "mql"}


def test_no_section_an_empty_one_and_the_default_config_give_no_labels():
    assert parsed("")[0].labels == {}
    assert parsed("labels:\n")[0].labels == {}
    assert parsed("labels: {}\n")[0].labels == {}
    assert EngagementConfig(client="Acme").labels == {}
    assert parse_labels(None) == ({}, [])


def test_label_errors_name_their_key_and_say_how_to_write_a_label():
    config, problems = parsed(
        "labels:\n"
        "  webinar: {de: Webinar, fr: Webinaire}\n"
        "  events: 2026\n"
        "  organic: ''\n"
        "  paid_search: {}\n"
        "  paid_social: {en: [Social, ads]}\n"
        "  email: {fr: '  '}\n"
        "  true: x\n"
    )
    assert config is None
    assert problems == {
        "labels.webinar.de": "unknown language 'de': use en or fr",
        "labels.events": f"got 2026: {LABEL_FIX}",
        "labels.organic": f"the label is empty: {LABEL_FIX}",
        "labels.paid_search": f"no language given: {LABEL_FIX}",
        "labels.paid_social.en": "must be the label as text, got ['Social', 'ads']",
        "labels.email.fr": "must be the label as text, got '  '",
        "labels.True": "must be a data value, got True",  # YAML's true is no name
    }
    assert "{en, fr}" in LABEL_FIX and "{en: Partner referral" in LABEL_FIX


def test_two_keys_naming_one_value_are_an_error():
    _, problems = parsed("labels:\n  Paid Search: Search ads\n  paid_search: Ads\n")
    assert problems == {
        "labels.paid_search": (
            "'paid_search' and 'Paid Search' are the same data value once case, spaces and "
            "underscores are ignored: keep one"
        )
    }


def test_a_section_that_is_no_mapping_is_an_error_naming_labels():
    _, problems = parsed("labels: [webinar]\n")
    assert list(problems) == ["labels"]
    labels, found = parse_labels("webinar")
    assert labels == {} and found[0].column == "labels"
    assert "must map data values to their labels" in found[0].message


def test_read_engagement_config_reports_a_bad_label_and_reads_good_ones(tmp_path):
    bad = write_engagement(
        tmp_path / "bad", {"engagement.yaml": TINY_YAML + "labels: {x: {es: y}}\n"}
    )
    with pytest.raises(EngagementError) as error:
        read_engagement_config(bad)
    assert [(p.column, p.message) for p in error.value.problems] == [
        ("labels.x.es", "unknown language 'es': use en or fr")
    ]
    good = write_engagement(
        tmp_path / "good", {"engagement.yaml": TINY_YAML + "labels: {events: Trade fairs}\n"}
    )
    config = read_engagement_config(good)
    assert config.labels == {"events": {"en": "Trade fairs", "fr": "Trade fairs"}}
    # the run's snapshot pickles the configuration: the labels travel with it
    assert pickle.loads(pickle.dumps(config)).labels == config.labels
