"""The tag scan that finds an article page's feed and attachment links without parsing it: it must find
what lxml finds, on hand-made edge cases and on every corpus page."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from parsel import Selector

from spiders.news import FEED_TYPES, maybe_attachment
from spiders.rawlinks import iter_feed_links, scan

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

PAGE = """<!DOCTYPE html><html><head>
<LINK REL="alternate" TYPE="application/rss+xml" href="/feed.xml?a=1&amp;b=2">
<link rel='alternate' hreflang='fr' href='/fr/'>
<link rel="stylesheet alternate" type="application/atom+xml" href=/atom>
<link rel="icon" href="/favicon.png">
</head><body>
<a title="a > b" href="/files/report.PDF">report</a>
<a href='/photos/big.jpg?w=1200'>photo</a>
<a class=x href=/docs/budget.xlsx>budget</a>
<a href="/news/2026/11/story.html">not an attachment</a>
<img src="/img/inline.jpg">
<script>var s = "<a href=\\"https:\\/\\/example.org\\/x.pdf\\">x</a>";</script>
<a href="/pdf-archive/">a folder, not a PDF</a>
<a href
</body></html>"""


def lxml_links(text: str) -> tuple[list[str], set[str]]:
    tree = Selector(text=text, type="html").root
    feeds = [link.attrib["href"] for link in tree.xpath("//link[@rel='alternate']")
             if (link.attrib.get("type") or "").lower() in FEED_TYPES and link.attrib.get("href")]
    return feeds, {h.strip() for h in tree.xpath("//a/@href") if maybe_attachment(h.strip())}


def raw_links(text: str) -> tuple[list[str], set[str]]:
    alternates, hrefs = scan(text)
    return list(iter_feed_links(alternates, FEED_TYPES)), {h.strip() for h in hrefs if maybe_attachment(h.strip())}


def test_edge_cases():
    feeds, attachments = raw_links(PAGE)
    assert feeds == ["/feed.xml?a=1&b=2", "/atom"]  # unescaped; rel is a token list
    assert attachments == {"/files/report.PDF", "/photos/big.jpg?w=1200", "/docs/budget.xlsx"}
    # lxml agrees on the attachments; its XPath matches rel="alternate" only literally.
    assert lxml_links(PAGE)[1] == attachments


def test_unclosed_tag_does_not_hang():
    text = "<a href='x.pdf' " + "title=\"" * 5000 + "'" * 5000
    assert scan(text) == ([], [])


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not beside the project")
def test_same_links_as_lxml_on_every_corpus_page():
    pages = sorted(CORPUS.glob("*/html/*.html.gz"))
    assert len(pages) > 500
    differing = []
    for path in pages:
        text = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        if raw_links(text) != lxml_links(text):
            differing.append(path.name)
    assert differing == []


def test_bytes_in_the_page_encoding():
    page = '<a title="Résumé" href="/dossiers/été.pdf">x</a><link rel=alternate type=application/rss+xml href="/flux">'
    for encoding in ("cp1252", "utf-8", "utf-16", "iso-8859-15"):
        alternates, hrefs = scan(page.encode(encoding), encoding)
        assert hrefs == ["/dossiers/été.pdf"], encoding
        assert [a["href"] for a in alternates] == ["/flux"], encoding
