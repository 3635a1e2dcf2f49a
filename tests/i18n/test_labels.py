"""Standard data values read as words from the label catalogue, in English and in French."""

from __future__ import annotations

import html
import re

import pytest

from tests.conftest import write_french_engagement
from workbook.cli import main
from workbook.i18n import ACRONYMS, NOT_RECORDED, pretty
from workbook.i18n.catalogue import labels
from workbook.intake.benchmarks import load_benchmarks
from workbook.synthetic.vocabulary import BUYING_STAGES, CHANNELS, PERSONAS, SEGMENTS, SOURCES

FORMATS = (
    "whitepaper",
    "webinar",
    "case_study",
    "blog",
    "ebook",
    "demo_video",
    "roi_calculator",
    "datasheet",
    "checklist",
)
FUNCTIONS = ("executive", "sales", "product", "marketing", "operations", "technology")
PRESET_CHANNELS = (  # HubSpot's and Salesforce's source values, as the presets turn them to keys
    "organic_search",
    "organic_social",
    "social_media",
    "email_marketing",
    "referrals",
    "direct_traffic",
    "offline",
    "other_campaigns",
    "phone_inquiry",
    "web",
    "advertisement",
    "employee_referral",
    "purchased_list",
    "trade_show",
    "other",
    "unknown",
)
STANDARD = tuple(
    dict.fromkeys(
        CHANNELS
        + PRESET_CHANNELS
        + PERSONAS
        + BUYING_STAGES
        + SOURCES
        + FORMATS
        + FUNCTIONS
        + SEGMENTS
        + ("referral",)
    )
)


def prettified(name: str) -> str:
    """What ``pretty`` gave every value before the catalogue: English reports must not change."""
    phrase = " ".join(ACRONYMS.get(w, w) for w in name.replace("_", " ").split(" "))
    return phrase[:1].upper() + phrase[1:]


def test_every_label_has_an_english_and_a_french_word():
    assert labels.TEXT["en"].keys() == labels.TEXT["fr"].keys()
    for language in ("en", "fr"):
        empty = [key for key, word in labels.TEXT[language].items() if not word.strip()]
        assert not empty, f"{language}: {empty}"
        assert all(key.startswith("value.") for key in labels.TEXT[language])


@pytest.mark.parametrize("value", STANDARD)
def test_a_standard_value_has_a_label_in_both_languages(value):
    assert pretty(value, "fr") == labels.TEXT["fr"][f"value.{value}"]
    assert pretty(value, "en") == labels.TEXT["en"][f"value.{value}"] == prettified(value)
    assert "_" not in pretty(value, "fr")


def test_the_benchmarks_segments_read_in_french_and_as_the_file_writes_them_in_english():
    segments = sorted(set(load_benchmarks()["segment"]))
    assert [pretty(s) for s in segments] == segments
    french = {s: pretty(s, "fr") for s in segments}
    assert french["Enterprise"] == "Grands comptes" and french["SMB"] == "PME"
    assert french["B2B (all)"] == "B2B (tous secteurs)"
    assert all(f"value.{s}" in labels.TEXT["fr"] for s in segments)


def test_french_labels_are_french_and_english_ones_unchanged():
    fr = {v: pretty(v, "fr") for v in ("paid_social", "economic_buyer", "consideration")}
    assert fr == {
        "paid_social": "Réseaux sociaux payants",
        "economic_buyer": "Décideur économique",
        "consideration": "Considération",
    }
    assert pretty("roi_calculator", "fr") == "Calculateur de ROI"
    assert pretty("smb", "fr") == "PME" and pretty("smb") == "SMB"
    assert pretty("sales", "fr") == "Ventes" and pretty("whitepaper", "fr") == "Livre blanc"
    assert [pretty(v) for v in ("paid_social", "mid_market", "roi_calculator")] == [
        "Paid social",
        "Mid market",
        "ROI calculator",
    ]
    # the label counts only in the language asked for: English stays the default
    assert pretty("paid_social") == "Paid social"


def test_other_values_are_still_prettified_and_missing_ones_say_not_recorded():
    assert pretty("field_marketing", "fr") == "Field marketing"
    assert pretty("seo_campaign") == "SEO campaign"
    assert pretty(None, "fr") == pretty(float("nan"), "fr") == pretty(NOT_RECORDED, "fr")
    assert pretty(None, "fr") == "Non renseigné" and pretty(None) == "Not recorded"
    assert pretty("via ann@alpha.example", "fr") == "Via [e-mail retiré]"


def visible_words(page: str) -> str:
    """The words a reader sees in an HTML report (no tags, styles, scripts or images)."""
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    body = re.sub(r"data:image/[^\"')]+", " ", body)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.mark.notebook
def test_french_reports_show_french_labels_for_channels_personas_and_stages(tmp_path):
    engagement = write_french_engagement(tmp_path / "tiny")
    out = tmp_path / "reports"
    for phase in ("kickoff", "midpoint"):
        args = ["run", str(engagement), "--phase", phase, "--language", "fr", "--out", str(out)]
        assert main([*args, "--quiet"]) == 0
    folder = out / "tiny-test-co"
    kickoff = visible_words((folder / "00_kickoff.html").read_text(encoding="utf-8"))
    midpoint = visible_words((folder / "01_midpoint_insights.html").read_text(encoding="utf-8"))
    # the kickoff's channel mix, the midpoint's channel return: the tiny data's paid_social leads
    assert "Réseaux sociaux payants" in kickoff and "Réseaux sociaux payants" in midpoint
    # the content gaps (economic_buyer x decision), inside a sentence: in lower case
    assert "(par ex. décideur économique × considération\u00a0: 0)" in kickoff
    # a channel named inside a sentence: lower case, with its noun (sentence_case, issue 17)
    assert (
        "Sources des leads\u00a0: en tête, le canal webinaire avec 50,0\u202f% des leads" in kickoff
    )
    assert "le retour du canal réseaux sociaux payants" in kickoff
    assert "Le crédit dépend du modèle\u00a0: le canal webinaire obtient" in midpoint
    for page in (kickoff, midpoint):
        for english in (
            "Paid social",
            "Paid search",
            "Economic buyer",
            "End user",
            "Consideration",
        ):
            assert english not in page
