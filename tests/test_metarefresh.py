"""``captures.redirect_to`` of a meta refresh (archive/metarefresh.py) is where Scrapy's own middlewares
send the crawler, and ``reindex`` reads the same from the WARC records, revisits included."""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from archive.metarefresh import RefreshRules, capture_redirect
from archive.store import ArchiveStore
from archive.warcwriter import (
    REVISIT_IDENTICAL,
    REVISIT_NOT_MODIFIED,
    HttpExchange,
    WarcWriter,
    payload_digest,
)
from crawler.archiving import refresh_rules

URL = "http://example.org/news/old.html"
FILLER = "<p>" + "Lorem ipsum 😀 Grüße " * 300 + "</p>"


def page(head: str, body: str = FILLER) -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def refresh(content: str) -> str:
    return f'<meta http-equiv="refresh" content="{content}">'


# name: (html, response headers[, url[, encoding of the bytes]]); a Status header is the status
CASES = {
    "relative, utf-8 header": (page(refresh("0; url=new.html")), {"Content-Type": "text/html; charset=utf-8"}),
    "root-relative, no delay given": (page(refresh("url=/moved")), {"Content-Type": "text/html; charset=utf-8"}),
    "scheme-relative": (page(refresh("0;URL='//cdn.example.net/x y.html'")), {"Content-Type": "text/html"}),
    "a delay under the limit": (page(refresh("5; url=new.html")), {"Content-Type": "text/html"}),
    "a delay of the limit": (page(refresh("100; url=new.html")), {"Content-Type": "text/html"}),
    "a reload, no url": (page(refresh("30")), {"Content-Type": "text/html"}),
    "base href": (page('<base href="http://example.org/b/">' + refresh("0; url=x.html")), {"Content-Type": "text/html"}),
    "in noscript": (page(f"<noscript>{refresh('0; url=/no-js')}</noscript>"), {"Content-Type": "text/html"}),
    "in a script": (page(f"<script>var s='{refresh('0; url=/s')}';</script>"), {"Content-Type": "text/html"}),
    "after 8 kB of CJK, within 4096 characters": (page("<title>" + "中" * 2760 + "</title>" + refresh("0; url=/zh")),
                                                   {"Content-Type": "text/html; charset=utf-8"}),
    "after the first 4096 characters": (page("", FILLER * 2 + refresh("0; url=/late")), {"Content-Type": "text/html"}),
    "javascript target": (page(refresh("0; url=javascript:go()")), {"Content-Type": "text/html"}),
    "charset in the page": (page('<meta charset="windows-1252">' + refresh("0; url=/caf\xe9?q=\xe9")),
                            {"Content-Type": "text/html"}, URL, "cp1252"),
    "no charset, not utf-8": (page(refresh("0; url=/n\xfc"), "gr\xfc\xdfe " * 500), {"Content-Type": "text/html"},
                              URL, "cp1252"),
    "no charset, utf-8": (page(refresh("0; url=/n\xfc"), "gr\xfc\xdfe " * 500), {}, URL),
    "utf-16 with a byte-order mark": (page(refresh("0; url=/wide")), {"Content-Type": "text/html"}, URL, "utf-16"),
    "xhtml": (page(refresh("0; url=new.html")), {"Content-Type": "application/xhtml+xml"}),
    "not html": (page(refresh("0; url=new.html")), {"Content-Type": "text/plain"}),
    "no type, an .html url": (page(refresh("0; url=new.html")), {}),
    "no type, sniffed": ("<html><head>" + refresh("0; url=new") + "</head></html>", {}, "http://example.org/old"),
    "no type, not html": ("<p>" + refresh("0; url=new") + "</p>", {}, "http://example.org/old"),
    "an image type, an .html url": (page(refresh("0; url=new.html")), {"Content-Type": "image/png"}),
    "a 404 page": (page(refresh("0; url=/")), {"Content-Type": "text/html", "Status": "404"}),
    "a 301 with Location wins": (page(refresh("0; url=/refresh")),
                                 {"Content-Type": "text/html", "Status": "301", "Location": "/location"}),
    "a 300 without Location": (page(refresh("0; url=/refresh")), {"Content-Type": "text/html", "Status": "300"}),
    "no refresh": (page("<title>t</title>"), {"Content-Type": "text/html; charset=utf-8"}),
}
CODINGS = {
    "identity": lambda b: b,
    "gzip": lambda b: gzip.compress(b, mtime=0),
    "deflate": zlib.compress,
    "br": brotli.compress,
}


def case(name: str) -> tuple[str, int, dict[str, str], str]:
    html, headers, *rest = CASES[name]
    url = rest[0] if rest else URL
    encoding = rest[1] if len(rest) > 1 else "utf-8"
    headers = dict(headers)
    status = int(headers.pop("Status", "200"))
    return html.encode(encoding, "xmlcharrefreplace"), status, headers, url


def scrapys_answer(settings: dict, url: str, status: int, headers: dict[str, str], body: bytes) -> str | None:
    """Where Scrapy's own RedirectMiddleware, HttpCompressionMiddleware and MetaRefreshMiddleware (in
    their order) send the request for a response downloaded with these bytes; None: nowhere."""
    crawler = get_crawler(settings_dict=settings)
    request = Request(url)
    raw = Headers(headers)
    response = responsetypes.from_args(headers=raw, url=url, body=body)(
        url=url, status=status, headers=raw, body=body, request=request)
    for component in (RedirectMiddleware, HttpCompressionMiddleware, MetaRefreshMiddleware):
        try:
            response = build_from_crawler(component, crawler).process_response(request, response)
        except ValueError:  # a refresh to javascript:…: "Missing scheme in request url", the fetch fails
            return None
        if isinstance(response, Request):
            return response.url
    return None


@pytest.mark.parametrize("coding", list(CODINGS))
@pytest.mark.parametrize("name", list(CASES))
def test_redirect_to_is_where_scrapys_middlewares_go(name, coding):
    body, status, headers, url = case(name)
    if coding != "identity":
        body, headers = CODINGS[coding](body), {**headers, "Content-Encoding": coding}
    expected = scrapys_answer({}, url, status, headers, body)
    assert capture_redirect(url, status, headers.get, body) == expected
    if name == "relative, utf-8 header":
        assert expected == "http://example.org/news/new.html"  # not a test that passes on two Nones
    if name in ("a delay of the limit", "in noscript", "not html", "after the first 4096 characters"):
        assert expected is None


@pytest.mark.parametrize(("settings", "name"), [
    ({"METAREFRESH_MAXDELAY": 3}, "a delay under the limit"),
    ({"METAREFRESH_MAXDELAY": 200}, "a delay of the limit"),
    ({"METAREFRESH_IGNORE_TAGS": []}, "in noscript"),
    ({"METAREFRESH_IGNORE_TAGS": ["script", "noscript"]}, "in a script"),
    ({"METAREFRESH_ENABLED": False}, "relative, utf-8 header"),
])
def test_the_crawls_meta_refresh_settings_decide_as_they_decide_for_scrapy(settings, name):
    body, status, headers, url = case(name)
    rules = refresh_rules(get_crawler(settings_dict=settings).settings)
    expected = None if settings.get("METAREFRESH_ENABLED") is False else scrapys_answer(settings, url, status, headers, body)
    assert capture_redirect(url, status, headers.get, body, rules) == expected
    # ...and each setting changes the answer: the default rules give another one.
    assert capture_redirect(url, status, headers.get, body, RefreshRules()) != expected


def exchange(url: str, body: bytes, status: int = 200) -> HttpExchange:
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")]
    return HttpExchange(url=url, status=status, body=body if status != 304 else b"", response_headers=headers)


def test_reindex_reads_the_refresh_of_revisits_against_their_own_url(tmp_path):
    """A revisit holds no body: its refresh is read from the original's, resolved against the revisit's URL
    (a relative target differs between URLs with the same bytes). A 304 redirects as its archived copy."""
    from archive.reindex import reindex

    body = gzip.compress(page(refresh("0; url=new.html")).encode(), mtime=0)
    first, second = "http://example.org/a/old.html", "http://example.org/b/old.html"
    writer = WarcWriter(tmp_path / "warc", hostname="test", info={"isPartOf": "c1"})
    original = writer.write_exchange(exchange(first, body))
    for url, profile in ((second, REVISIT_IDENTICAL), (first, REVISIT_NOT_MODIFIED)):
        ex = exchange(url, body, 304 if profile == REVISIT_NOT_MODIFIED else 200)
        writer.write_revisit(ex, profile=profile, refers_to=original.record_id, refers_to_uri=first,
                             refers_to_date=original.warc_date, payload_digest=payload_digest(body))
    writer.close()
    # What the crawl writes at capture time, from the bytes it received (a 304: its archived copy's).
    crawl = [capture_redirect(url, 200, dict(exchange(url, body).response_headers).get, body) for url in (first, second)]
    assert crawl == ["http://example.org/a/new.html", "http://example.org/b/new.html"]

    reindex(tmp_path, workers=1)
    store = ArchiveStore(tmp_path)
    rows = [(r["url"], r["status"], r["warc_type"], r["redirect_to"])
            for r in store.db.query("select * from captures order by id")]
    store.close()
    assert rows == [(first, 200, "response", crawl[0]), (second, 200, "revisit", crawl[1]),
                    (first, 304, "revisit", crawl[0])]


def test_a_refresh_to_javascript_leaves_the_page_a_page():
    """Scrapy's middleware makes a request of "url=javascript:go()" and the fetch fails ("Missing
    scheme"); ours passes the page on, as capture_redirect records no redirect for it."""
    from scrapy.http import HtmlResponse

    from crawler.memory import HeadMetaRefresh

    body, status, headers, url = case("javascript target")
    crawler = get_crawler(settings_dict={})
    request = Request(url)
    response = HtmlResponse(url=url, status=status, headers=headers, body=body, request=request)
    with pytest.raises(ValueError, match="Missing scheme"):
        build_from_crawler(MetaRefreshMiddleware, crawler).process_response(request, response.copy())
    assert build_from_crawler(HeadMetaRefresh, crawler).process_response(request, response) is response
    # an http(s) target still redirects
    body, status, headers, url = case("relative, utf-8 header")
    response = HtmlResponse(url=url, status=status, headers=headers, body=body, request=Request(url))
    followed = build_from_crawler(HeadMetaRefresh, crawler).process_response(Request(url), response)
    assert isinstance(followed, Request) and followed.url == "http://example.org/news/new.html"
