"""Labels inside a French sentence start in lower case (workbook.i18n.sentence_case), and the
final report's French sentences use it where a channel goes mid-sentence."""

from __future__ import annotations

from workbook.i18n import pretty, sentence_case


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
