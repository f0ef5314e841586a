"""Tests for the loopback fixture server (tests/siteserver.py) and the fixture sites themselves."""
from __future__ import annotations

import gzip
import http.client
import json
import re
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path

import pytest
from lxml import etree, html

sys.path.insert(0, str(Path(__file__).resolve().parent))
from siteserver import running  # noqa: E402

SITES = Path(__file__).resolve().parent / "sites"
DEMO, PANGEA = SITES / "demo", SITES / "pangea"
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


RAW_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect())


def fetch(url: str, headers: dict[str, str] | None = None, follow: bool = True) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with (OPENER if follow else RAW_OPENER).open(req, timeout=10) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


@pytest.fixture(scope="module")
def log_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("siteserver") / "requests.log"


@pytest.fixture(scope="module")
def base(log_file: Path) -> Iterator[str]:
    with running(DEMO, log=log_file, quiet=True) as url:
        yield url


def test_index_ok(base: str) -> None:
    status, headers, body = fetch(base + "/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert int(headers["content-length"]) == len(body)
    assert b"The Loopback Gazette" in body and b"{{BASE}}" not in body
    assert "last-modified" in headers and headers["etag"].startswith('"')


def test_directory_without_slash_redirects(base: str) -> None:
    status, headers, _ = fetch(base + "/world", follow=False)
    assert status == 301 and headers["location"] == "/world/"


def test_base_placeholder_replaced(base: str) -> None:
    status, headers, body = fetch(base + "/sitemap_index.xml")
    assert status == 200 and headers["content-type"] == "application/xml"
    text = body.decode()
    assert "{{BASE}}" not in text
    assert f"<loc>{base}/sitemap-news.xml</loc>" in text
    _, _, robots = fetch(base + "/robots.txt")
    assert f"Sitemap: {base}/sitemap_index.xml" in robots.decode()


def test_feed_content_types(base: str) -> None:
    assert fetch(base + "/feed.rss")[1]["content-type"] == "application/rss+xml"
    assert fetch(base + "/atom.xml")[1]["content-type"] == "application/xml"  # .xml wins, as on real sites
    assert fetch(base + "/report.pdf")[1]["content-type"] == "application/pdf"
    status, headers, body = fetch(base + "/photo.jpg", {"Accept-Encoding": "gzip"})
    assert headers["content-type"] == "image/jpeg" and "content-encoding" not in headers
    assert body[:2] == b"\xff\xd8" and body[-2:] == b"\xff\xd9"


def test_gzip_when_accepted(base: str) -> None:
    status, headers, body = fetch(base + "/sitemap-news.xml", {"Accept-Encoding": "gzip, deflate"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert int(headers["content-length"]) == len(body)
    text = gzip.decompress(body).decode()
    assert text.startswith("<?xml") and f"{base}/2026/11/27/" in text
    _, plain_headers, plain = fetch(base + "/sitemap-news.xml")
    assert "content-encoding" not in plain_headers and plain.decode() == text


def test_conditional_requests(base: str, log_file: Path) -> None:
    status, headers, _ = fetch(base + "/about/")
    assert status == 200
    status, headers304, body = fetch(base + "/about/", {"If-None-Match": headers["etag"]})
    assert status == 304 and body == b""
    assert fetch(base + "/about/", {"If-None-Match": '"nope"'})[0] == 200
    assert fetch(base + "/about/", {"If-Modified-Since": headers["last-modified"]})[0] == 304
    assert fetch(base + "/about/", {"If-Modified-Since": formatdate(0, usegmt=True)})[0] == 200
    # the gzip variant's ETag validates too
    _, gz_headers, _ = fetch(base + "/about/", {"Accept-Encoding": "gzip"})
    assert fetch(base + "/about/", {"If-None-Match": gz_headers["etag"], "Accept-Encoding": "gzip"})[0] == 304
    time.sleep(0.2)
    lines = log_file.read_text().splitlines()
    assert f"GET\t/about/\t304\t{headers['etag']}" in lines


def test_missing_is_404(base: str) -> None:
    status, headers, body = fetch(base + "/no/such/page.html")
    assert status == 404 and b"404" in body and headers["content-type"].startswith("text/html")
    assert fetch(base + "/EXPECTED.json")[0] == 404
    assert fetch(base + "/2026/11/19/latin1.html.headers")[0] == 404


def test_latin1_sidecar_headers(base: str) -> None:
    status, headers, body = fetch(base + "/2026/11/19/latin1.html")
    assert status == 200 and headers["content-type"] == "text/html"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = body.decode("iso-8859-1")
    assert "café" in text and "déjà" in text and "charset" not in text.lower()


def test_sidecar_redirect(base: str) -> None:
    expected = json.loads((DEMO / "EXPECTED.json").read_text())
    (src, dst), = expected["redirects"].items()
    status, headers, _ = fetch(base + src, follow=False)
    assert status == 301 and headers["location"] == dst


def test_status_behaviour(base: str) -> None:
    status, headers, body = fetch(base + "/_status/503")
    assert status == 503 and b"503" in body and headers["retry-after"] == "1"
    assert fetch(base + "/_status/410")[0] == 410


def test_redirect_chain(base: str, log_file: Path) -> None:
    status, headers, _ = fetch(base + "/_redirect/2", follow=False)
    assert status == 302 and headers["location"] == "/_redirect/1"
    assert fetch(base + "/_redirect/1", follow=False)[1]["location"] == "/"
    req = urllib.request.Request(base + "/_redirect/2")
    with OPENER.open(req, timeout=10) as resp:
        assert resp.status == 200 and resp.url == base + "/"


def test_slow_drop_huge(base: str) -> None:
    t0 = time.monotonic()
    assert fetch(base + "/_slow/0.3")[0] == 200
    assert time.monotonic() - t0 >= 0.3
    status, headers, body = fetch(base + "/_huge/123457")
    assert status == 200 and len(body) == 123457 == int(headers["content-length"])
    req = urllib.request.Request(base + "/_drop")
    with pytest.raises(http.client.IncompleteRead):
        with OPENER.open(req, timeout=10) as resp:
            resp.read()


def test_pangea_feed_sidecar() -> None:
    with running(PANGEA, quiet=True) as url:
        status, headers, body = fetch(url + "/api/zrqiteuuir")
        assert status == 200 and headers["content-type"].startswith("application/rss+xml")
        root = etree.fromstring(body)
        links = [el.text for el in root.iter("link")]
        assert f"{url}/a/nato-chief-says-missile-defense-shield-will-not-threaten-russia/24553530.html" in links
        assert fetch(url + "/z/566")[1]["content-type"] == "text/html; charset=utf-8"


# ---------------------------------------------------------------------------------- fixture files
BROKEN = {DEMO / "broken-feed.rss", DEMO / "sitemap-broken.xml"}
XML_FILES = sorted([*DEMO.glob("*.xml"), *DEMO.glob("*.rss"), *PANGEA.glob("*.xml"), PANGEA / "api" / "zrqiteuuir"])


@pytest.mark.parametrize("path", XML_FILES, ids=lambda p: str(p.relative_to(SITES)))
def test_xml_wellformedness(path: Path) -> None:
    data = path.read_bytes().replace(b"{{BASE}}", b"http://127.0.0.1:8000")
    if path in BROKEN:
        with pytest.raises(etree.XMLSyntaxError):
            etree.fromstring(data)
    else:
        etree.fromstring(data)


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def page_paragraphs(path: Path, encoding: str) -> list[str]:
    doc = html.document_fromstring(path.read_bytes().decode(encoding))
    return [norm(p.text_content()) for p in doc.iter("p")]


@pytest.mark.parametrize("site", [DEMO, PANGEA], ids=["demo", "pangea"])
def test_expected_matches_pages(site: Path) -> None:
    expected = json.loads((site / "EXPECTED.json").read_text("utf-8"))
    for url_path, info in expected["articles"].items():
        file = site / url_path.lstrip("/")
        encoding = info.get("encoding", "utf-8")
        paras = page_paragraphs(file, encoding)
        for para in info["paragraphs"]:
            assert para in paras, (url_path, para[:60])
        raw = file.read_bytes().decode(encoding)
        doc = html.document_fromstring(raw)
        assert doc.find(".//meta[@property='og:type']").get("content") == "article"
        assert norm(doc.find(".//h1").text_content()) == info["title"]
        assert 'NewsArticle"' in raw
        visible = norm(doc.text_content())
        for text in expected["boilerplate"]:
            assert not any(text in p for p in info["paragraphs"]), (url_path, text)
        if site == DEMO:
            assert doc.get("lang") == info["language"]
            assert any(info["phrase"] in p for p in info["paragraphs"])
            assert sum(info["phrase"] in p for a in expected["articles"].values() for p in a["paragraphs"]) == 1
            assert 300 <= info["word_count"] <= 700 or info["word_count"] >= 2000
            assert info["discovered_via"], url_path
        else:
            assert visible.count(info["caption"]) == info["caption_occurrences_in_html_text"]
            for text in ("Accessibility links", "Skip to main content", "Breaking News",
                         "To find out more, click here.", "undesirable organization"):
                assert text in visible
    for url_path in expected["non_articles"]:
        file = site / url_path.lstrip("/")
        file = file / "index.html" if file.is_dir() else file
        raw = file.read_text("utf-8")
        assert 'content="website"' in raw and "NewsArticle" not in raw


def test_demo_variety() -> None:
    expected = json.loads((DEMO / "EXPECTED.json").read_text("utf-8"))
    arts = expected["articles"].values()
    assert len(expected["articles"]) >= 10
    assert any(a["language"] == "fr" for a in arts)
    assert any(a["word_count"] >= 2000 for a in arts)
    assert any(a["encoding"] == "iso-8859-1" for a in arts)
    only_feed = [p for p, a in expected["articles"].items() if all(v.startswith("feed:") for v in a["discovered_via"])]
    only_section = [p for p, a in expected["articles"].items()
                    if all(v.startswith("section:") for v in a["discovered_via"])]
    assert only_feed and only_section
