"""``articles.language``: the language of the text (fastText), the page's declaration when unsure."""

from __future__ import annotations

import gzip
import json

import pytest

from archive.extract import extract_article
from archive.language import MIN_CHARS, identify, preferred_code, text_language
from archive.store import extraction_columns
from conftest import SHARED, columns_after_reopening_without

CORPUS = SHARED / "corpus"
FRENCH = ("Le marché couvert de Saint-Aubin rouvre ses portes après trois ans de travaux. Les commerçants "
          "ont retrouvé leurs étals sous la grande halle, et les habitants sont venus nombreux dès l'aube. "
          "Le maire a salué un lieu de vie retrouvé.")
# Corpus pages whose declaration is wrong, and what their text is written in.
MISLABELLED = {
    "https://blog.comwrap.com/comwrap-auf-der-dmexco-2018": ("en", "de"),
    "https://www.businessinsider.com/10-things-in-tech-you-need-to-know-today-november-19-2019-11": ("de", "en"),
    "http://www.politifact.com/factchecks/2023/dec/21/tiktok-posts/un-video-muestra-a-actores-y-no-a-pasajero-de-avio/":
        ("en", "es"),
}


def corpus_pages(urls: set[str]) -> dict[str, bytes]:
    found = {}
    for name, index in (("aeb", "ground-truth.json"), ("naeb", "articles.json")):
        for key, entry in json.loads((CORPUS / name / index).read_text()).items():
            if entry["url"] in urls:
                found[entry["url"]] = gzip.decompress((CORPUS / name / "html" / f"{key}.html.gz").read_bytes())
    return found


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus ../shared/corpus not present")
def test_the_text_decides_when_the_page_declares_the_wrong_language():
    pages = corpus_pages(set(MISLABELLED))
    assert set(pages) == set(MISLABELLED)
    for url, (declared, written_in) in MISLABELLED.items():
        columns = extraction_columns(extract_article(pages[url], url, "text/html"))
        assert (columns["declared_language"], columns["language"]) == (declared, written_in), url


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus ../shared/corpus not present")
def test_a_three_letter_declaration_becomes_the_two_letter_code():
    url = ("https://bleacherreport.com/articles/10101717-dolphins-hc-tyreek-hill-didnt-have-any-ankle-injury-"
           "setbacks-ahead-of-cowboys-game")
    article = extract_article(corpus_pages({url})[url], url, "text/html")
    assert article.language == "eng"  # as the page says it
    columns = extraction_columns(article)
    assert columns["declared_language"] == "en" and columns["language"] == "en"


def test_declaration_stands_for_short_or_unsure_text():
    assert len(FRENCH) >= MIN_CHARS and identify(FRENCH)[0] == "fr" and identify(FRENCH)[1] > 0.9
    assert text_language(FRENCH, "en") == "fr" and text_language(FRENCH, None) == "fr"
    short = "Bonjour."  # fastText says fr, but it is too short to overrule a declaration
    assert len(short) < MIN_CHARS and identify(short)[0] == "fr"
    assert text_language(short, "en") == "en" and text_language(short, None) == "fr"
    unsure = "12345 67890"  # no words fastText is sure of: nothing rather than a guess
    assert identify(unsure)[1] < 0.5
    assert text_language(unsure, None) is None and text_language(unsure, "de") == "de"
    assert text_language("", "ru") == "ru" and text_language(None, None) is None
    assert text_language(FRENCH + "\n" + FRENCH, "eng") == "fr"  # a newline does not trip fastText


def test_preferred_code():
    assert [preferred_code(c) for c in ("eng", "fre", "deu", "iw", "in", "en", "ru", None)] == [
        "en", "fr", "de", "he", "id", "en", "ru", None]


def test_an_archive_made_before_identification_gets_the_column(tmp_path):
    assert "declared_language" in columns_after_reopening_without(tmp_path, "articles", "declared_language")
