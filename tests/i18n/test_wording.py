"""One word for one thing across the catalogue (REVIEW17 item 9)."""

import pytest

from workbook.i18n import CATALOGUE, channels_phrase, lower_label, pretty, text


def test_the_mid_point_is_named_mi_parcours_in_every_french_sentence():
    french = CATALOGUE["fr"]
    stray = {
        k: v for k, v in french.items() if "point d'étape" in v or "rapport intermédiaire" in v
    }
    assert stray == {}
    assert french["final.col.advice"] == "Conseil de mi-parcours"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_advice_words_are_one_set_in_the_mid_point_and_the_final(language):
    for advice in ("grow", "keep", "review", "too_little_data"):
        mid = text(f"advice.{advice}", language)
        final = text(f"final.advice.{advice}", language)
        assert mid.lower() == final.lower(), advice
    assert text("mid.col.advice", "fr") == "Conseil"
    assert "développer" not in " ".join(CATALOGUE["fr"].values())


def test_a_label_inside_a_sentence_keeps_its_acronyms():
    assert lower_label(pretty("roi_calculator", "fr")) == "calculateur de ROI"
    assert lower_label(pretty("roi_calculator", "en")) == "ROI calculator"
    assert lower_label(pretty("demo_video", "fr")) == "vidéo de démonstration"


def test_french_words_that_read_wrong_are_gone():
    assert text("strategy.label.recycled", "fr") == "Recyclés"
    assert text("mid.axis.sql_won", "fr") == "Part des SQL gagnés"
    assert text("strategy.metric.holdout", "fr", start="juil. 2025").endswith(
        "à partir de juil. 2025)"
    )
    assert [text(f"hypothesis.assets.{n}", "fr", count="3") for n in ("none", "one", "some")] == [
        "aucun contenu",
        "1 contenu",
        "3 contenus",
    ]
    shape = text("mid.head.shape.martini", "fr", per_hundred="1,0", first="Demande", last="Gagné")
    assert "1,0\u202f% des leads entrés en Demande" in shape  # not "1,0 pour 100 des leads"


def test_french_channel_lists_read_with_their_articles():
    review, grow = ["Réseaux sociaux payants", "Événements"], ["Webinaire"]
    steps = text(
        "mid.next.spend",
        "fr",
        worst=channels_phrase(review, "fr", of=True),
        best=channels_phrase(grow, "fr"),
    )
    assert steps.startswith(
        "Revoir le rôle des canaux réseaux sociaux payants et événements et tester davantage "
        "de budget sur le canal webinaire au cours des 3 à 6 prochains mois"
    )
    review_sentence = text(
        "final.mix.review", "fr", channels=channels_phrase(review, "fr", of=True)
    )
    assert review_sentence.startswith(
        "Le rapport de mi-parcours demandait une revue des canaux réseaux sociaux payants et "
        "événements\u00a0: jusqu'à cette revue"
    )
    english = text("mid.next.spend", "en", worst=channels_phrase(["Paid social"]), best="Webinar")
    assert english.startswith("Review the role of Paid social and test more budget on Webinar")
