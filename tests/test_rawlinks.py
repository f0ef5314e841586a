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


FEED = '<link rel="alternate" type="application/rss+xml" href="/{}.xml">'


@pytest.mark.parametrize("page, feeds, attachments", [
    pytest.param('<!-- <a href="/old.pdf">old</a> ' + FEED.format("old") + ' --><a href="/new.pdf">new</a>',
                 [], {"/new.pdf"}, id="comment"),
    pytest.param('<!-- a -- b - c --><a href="/after.pdf">x</a><!----><a href="/2.pdf">x</a>',
                 [], {"/after.pdf", "/2.pdf"}, id="dashes inside a comment, an empty comment"),
    pytest.param('<!--><a href="/1.pdf">x</a><!---><a href="/2.pdf">x</a>',
                 [], {"/1.pdf", "/2.pdf"}, id="<!--> and <!---> close at once"),
    pytest.param('<!-- x --!><a href="/1.pdf">x</a>', [], {"/1.pdf"}, id="--!> closes a comment"),
    pytest.param('<a href="/before.pdf">x</a><!-- <a href="/in.pdf">x</a> ' + FEED.format("in"),
                 [], {"/before.pdf"}, id="unterminated comment: the rest of the page"),
    pytest.param('<script>document.write(\'<a href="/js.pdf">x</a>\'); if (a<b) {}</script><a href="/1.pdf">x</a>',
                 [], {"/1.pdf"}, id="script"),
    pytest.param('<SCRIPT type="text/template" data-x="a>b"><a href="/t.pdf">x</a></div></SCRIPT >'
                 '<A HREF="/1.pdf">x</A>', [], {"/1.pdf"}, id="uppercase script, > in an attribute"),
    pytest.param('<script>x = "</scripts><a href=/s.pdf>"</script><a href="/1.pdf">x</a>',
                 [], {"/1.pdf"}, id="script ends at </script only"),
    pytest.param('<script src="/app.js"/><a href="/1.pdf">x</a></script><style/><a href="/2.pdf">x</a>',
                 [], {"/1.pdf", "/2.pdf"}, id="<script/> closes itself in libxml2"),
    pytest.param('<a href="/before.pdf">x</a><script>var a = "<a href=/s.pdf>";',
                 [], {"/before.pdf"}, id="unterminated script: the rest of the page"),
    pytest.param('<style>/* <a href="/css.pdf"> */ ' + FEED.format("css") + '</style><a href="/1.pdf">x</a>'
                 + FEED.format("real"), ["/real.xml"], {"/1.pdf"}, id="style"),
    pytest.param('<STYLE media="print">a{}</Style><LINK rel="alternate" TYPE="application/rss+xml" HREF="/1.xml">',
                 ["/1.xml"], set(), id="uppercase style and link"),
    pytest.param('<scripts><a href="/1.pdf">x</a></scripts><styles><a href="/2.pdf">x</a></styles>',
                 [], {"/1.pdf", "/2.pdf"}, id="other tags that start like script or style"),
])
def test_comments_scripts_and_styles_are_skipped_as_lxml_skips_them(page, feeds, attachments):
    assert raw_links(page) == (feeds, attachments)
    assert lxml_links(page) == (feeds, attachments)


def test_unclosed_tag_does_not_hang():
    text = "<a href='x.pdf' " + "title=\"" * 5000 + "'" * 5000
    assert scan(text) == ([], [])
    for text in ("<!--" + "-" * 10000, "<!--" + "--!" * 5000, "<script>" + "</scrip" * 5000, "<style>" + "<" * 10000):
        assert scan(text + '<a href="/x.pdf">') == ([], [])


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
