"""Labels inside a French sentence start in lower case (workbook.i18n.sentence_case), and the
final report's French sentences use it where a channel goes mid-sentence."""

from __future__ import annotations

from workbook.i18n import channels_phrase, label_list, pretty, sentence_case


def test_a_french_label_inside_a_sentence_starts_in_lower_case_acronyms_kept():
    assert sentence_case(pretty("partner_referral", "fr"), "fr") == "recommandation de partenaire"
    assert sentence_case(pretty("paid_social", "fr"), "fr") == "réseaux sociaux payants"
    assert sentence_case("SEO local", "fr") == "SEO local"
    assert sentence_case("LinkedIn Ads", "fr") == "LinkedIn Ads"
    assert sentence_case("E-mail", "fr") == "e-mail"
    assert sentence_case("", "fr") == ""


def test_english_labels_are_left_as_they_are():
    assert sentence_case("Partner referral", "en") == "Partner referral"
    assert sentence_case("Paid social") == "Paid social"


def test_a_list_of_labels_inside_a_french_sentence_is_lower_case_after_its_first_word():
    labels = [pretty("paid_social", "fr"), pretty("events", "fr")]
    assert label_list(labels, "fr") == "réseaux sociaux payants et événements"
    assert label_list(labels, "fr", opening=True) == "Réseaux sociaux payants et événements"
    assert label_list(["SEO local", "E-mail"], "fr") == "SEO local et e-mail"
    assert label_list(["Paid social", "Events"]) == "Paid social and Events"


def test_french_names_channels_with_their_noun_and_article_english_lists_them():
    two = [pretty("paid_social", "fr"), pretty("events", "fr")]
    assert channels_phrase(two, "fr", of=True) == "des canaux réseaux sociaux payants et événements"
    assert channels_phrase(two, "fr") == "les canaux réseaux sociaux payants et événements"
    assert channels_phrase([pretty("webinar", "fr")], "fr", of=True) == "du canal webinaire"
    assert channels_phrase([pretty("webinar", "fr")], "fr") == "le canal webinaire"
    assert channels_phrase(["Paid social", "Events"], "en", of=True) == "Paid social and Events"


def test_a_clients_own_value_or_name_keeps_its_capital_in_french():
    # not a catalogue label: it may be a name (a CRM's own channel, a labels: override)
    assert sentence_case(pretty("Google Ads", "fr"), "fr") == "Google Ads"
    assert sentence_case("Salesforce", "fr") == "Salesforce"
    assert sentence_case(pretty("field_marketing", "fr"), "fr") == "Field marketing"
