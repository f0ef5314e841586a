"""The tag scan that finds an article page's feed and attachment links and its requisites without parsing
it: it must find what lxml finds (page_requisites on lxml's tree, for requisites), on hand-made edge
cases and on every corpus page."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from parsel import Selector

from archive.requisites import page_requisites, requisites_of
from spiders.news import FEED_TYPES, maybe_attachment
from spiders.rawlinks import iter_feed_links, scan, scan_page

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
    pytest.param('<form data-x="" "><a href="/1.pdf">x</a>', [], {"/1.pdf"}, id="a stray quote"),
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


# Page requisites read by the same scan (scan_page), against archive/requisites.py's rules on lxml's tree.
URL = "https://example.org/news/2026/11/29/story.html"


def lxml_requisites(text: str) -> list[tuple[str, bool]]:
    return page_requisites(Selector(text=text, type="html", base_url=URL).root, URL)


def raw_requisites(body: str | bytes, encoding: str = "utf-8") -> list[tuple[str, bool]]:
    page = scan_page(body, encoding)
    return requisites_of(page.elements, page.style_attributes, page.base_href, URL)


def urls(*paths: str) -> list[tuple[str, bool]]:
    return [(f"https://example.org{path.removesuffix(' css')}", path.endswith(" css")) for path in paths]


@pytest.mark.parametrize("page, expected", [
    pytest.param('<IMG SRC="/a.png" DATA-SRC="/b.png"><Link Rel="StyleSheet" HREF="/s.css"><SCRIPT SRC="/app.js">'
                 '</SCRIPT><VIDEO POSTER="/p.jpg" SRC="/v.mp4"></VIDEO>',
                 urls("/a.png", "/b.png", "/s.css css", "/app.js", "/p.jpg"), id="uppercase"),
    pytest.param('<img src="/1.png"><!-- <img src="/c.png"> <script src="/c.js"></script> --><img src="/2.png">'
                 '<!--><img src="/3.png">', urls("/1.png", "/2.png", "/3.png"), id="comments"),
    pytest.param('<img src="/before.png"><!-- <img src="/in.png">', urls("/before.png"), id="unterminated comment"),
    pytest.param('<script src="/a.js" async>document.write(\'<img src="/w.png">\')</script><img src="/1.png">'
                 '<script src="/b.js"/><img src="/2.png">',
                 urls("/a.js", "/1.png", "/b.js", "/2.png"), id="a script's src read, its text skipped"),
    pytest.param('<script src="/a.js">var s = "<img src=/w.png>";', urls("/a.js"), id="unterminated script"),
    pytest.param('<script>/*<!--*/ x = "<script src=/in.js></script><img src=/in.png>"; /*-->*/</script>'
                 '<img src="/1.png">', urls("/1.png"), id="a script double-escaped after <!--"),
    pytest.param('<style>@import "/i.css"; /* url(/c.png) */ a{background:url(\'/bg.png\')} <img src=/no.png>'
                 '</style><div style="background: url(&quot;/d.png&quot;)"></div><p style="color:red">'
                 '<img src="/1.png" style="mask:url(/m.svg)">',
                 urls("/i.css", "/bg.png", "/1.png", "/d.png", "/m.svg"), id="style element and attributes"),
    pytest.param('<style>a{background:url(/s.png)}', urls("/s.png"), id="unterminated style"),
    pytest.param('<picture><source srcset="/a.webp 1x, /a2.webp 2x"><source srcset="/b.webp"><img src="/a.jpg">'
                 '</picture><picture><source srcset="/c.webp"/><source data-srcset="/d.webp"/></picture>'
                 '<picture><noscript><source srcset="/e.webp"></noscript></picture>'
                 '<video><source srcset="/v.webp" src="/v.mp4"></video>',
                 urls("/a2.webp", "/b.webp", "/a.jpg", "/c.webp", "/d.webp", "/e.webp"),
                 id="every <source> in a <picture> (libxml2 nests them), none in a <video>"),
    pytest.param('<iframe src="/frame.html"><img src="/in.png"></iframe><img src="/1.png">'
                 '<iframe style="background:url(/f.png)"><img src="/unclosed.png">',
                 urls("/1.png", "/f.png"), id="an iframe's text is skipped"),
    pytest.param('<head><base href="/static/"><base href="/other/"></head><img src="a.png">'
                 '<link rel="icon" href="//cdn.example.org/i.ico"><img src="data:image/png;base64,AA">',
                 [("https://example.org/static/a.png", False), ("https://cdn.example.org/i.ico", False)],
                 id="<base href>, the first one"),
    pytest.param('<form data-x="" "><img src="/1.png"><link rel=preload as=font href=/f.woff2>'
                 '<link rel=prefetch href=/no.js><link rel="shortcut icon" href=/i.ico>',
                 urls("/1.png", "/f.woff2", "/i.ico"), id="a stray quote, unquoted values"),
])
def test_requisites_as_lxml_reads_them(page, expected):
    assert raw_requisites(page) == expected
    assert lxml_requisites(page) == expected


def test_unclosed_tags_do_not_hang_the_requisites_scan():
    for text in ("<img src='x.png' " + "title=\"" * 5000 + "'" * 5000, "<!--" + "--!" * 5000,
                 "<script><!--" + "<script>" * 5000 + "-" * 5000, "<script><!--<script>" + "</script" * 5000,
                 "<style>" + "<" * 10000, "<iframe>" + "</ifram" * 5000, "<p " + "=\"" * 5000):
        assert raw_requisites(text + '<img src="/x.png">') == lxml_requisites(text + '<img src="/x.png">'), text[:20]


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not beside the project")
def test_same_requisites_as_lxml_on_every_corpus_page():
    pages = sorted(CORPUS.glob("*/html/*.html.gz"))
    assert len(pages) > 500
    differing, found = [], 0
    for path in pages:
        text = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        raw = raw_requisites(text)
        found += len(raw)
        if raw != lxml_requisites(text) or scan(text) != (scan_page(text).alternates, scan_page(text).hrefs):
            differing.append(path.name)
    assert differing == []
    assert found > 20 * len(pages)  # not equal because both found nothing


def test_requisites_in_the_page_encoding():
    page = '<img alt="Été" src="/images/été.png"><div style="background:url(/fonds/thé.png)">'
    for encoding in ("cp1252", "utf-8", "utf-16", "iso-8859-15"):
        assert raw_requisites(page.encode(encoding), encoding) == [
            ("https://example.org/images/été.png", False), ("https://example.org/fonds/thé.png", False)], encoding
