"""crawler/decompression.py: large bodies are inflated on a thread, with exactly Scrapy's results."""

from __future__ import annotations

import asyncio
import gzip
import sqlite3
import sys
import threading
import zlib

import brotli
import pytest
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator

from conftest import NEWSARCHIVE, ROOT, newsarchive
from crawler.decompression import THREADED_MIN_BYTES, ThreadedHttpCompression
from siteserver import running

sys.path.insert(0, str(ROOT / "bench"))
from measure import MB, run_measured  # noqa: E402

PAGE = ("<html><body>" + "".join(f"<p>Paragraph {i * 7919 % 100003}: the council met again.</p>" for i in range(6000))
        + "</body></html>").encode()
GZ = gzip.compress(PAGE)


def encoded(body: bytes, encoding: str) -> Response:
    return Response("http://example.org/a/1.html", body=body,
                    headers={"Content-Encoding": encoding, "Content-Type": "text/html; charset=utf-8"})


def outcome(middleware, response: Response, **meta):
    request = Request(response.url, meta=meta)
    try:
        result = middleware.process_response(request, response)
        if asyncio.iscoroutine(result):
            result = asyncio.run(result)
    except IgnoreRequest:
        return "ignored"
    return type(result), result.body, result.headers.getlist("Content-Encoding")


@pytest.fixture
def both():
    crawler = get_crawler(settings_dict={"DOWNLOAD_MAXSIZE": 10_000_000, "NEWSARCHIVE_MAX_DECODED_SIZE": 10_000_000})
    return ThreadedHttpCompression.from_crawler(crawler), HttpCompressionMiddleware.from_crawler(crawler)


CASES = {  # body, Content-Encoding
    "gzip": (GZ, "gzip"),
    "x-gzip": (GZ, "x-gzip"),
    "truncated gzip": (GZ[: len(GZ) // 2], "gzip"),
    "bad crc": (GZ[:-8] + b"\0\0\0\0" + GZ[-4:], "gzip"),
    "two members": (GZ + gzip.compress(b"<p>more</p>" * 2000), "gzip"),
    "deflate": (zlib.compress(PAGE), "deflate"),
    "br": (brotli.compress(PAGE), "br"),
    "unknown after gzip": (GZ, "x-unknown, gzip"),
    "small": (gzip.compress(b"<p>tiny</p>"), "gzip"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_same_result_as_scrapy(both, name):
    threaded, plain = both  # each gets its own response: Scrapy's middleware edits the headers in place
    mine, scrapys = outcome(threaded, encoded(*CASES[name])), outcome(plain, encoded(*CASES[name]))
    assert mine == scrapys
    if name in ("gzip", "x-gzip", "deflate", "br", "unknown after gzip"):
        assert mine[1] == PAGE


def test_size_limit_is_still_scrapys(both):
    threaded, plain = both
    response = encoded(GZ, "gzip")
    assert outcome(threaded, response, download_maxsize=len(PAGE) - 1) == "ignored"
    assert outcome(plain, response, download_maxsize=len(PAGE) - 1) == "ignored"
    assert outcome(threaded, response, download_maxsize=len(PAGE))[1] == PAGE


def test_large_gzip_is_inflated_off_the_calling_thread(both):
    threaded, _ = both
    threads = []
    original = threaded._decode_on_thread

    def spy(*args):
        threads.append(threading.get_ident())
        return original(*args)

    threaded._decode_on_thread = spy
    cls, body, _ = outcome(threaded, encoded(GZ, "gzip"))
    assert cls is HtmlResponse and body == PAGE
    assert len(GZ) >= THREADED_MIN_BYTES and threads and threads[0] != threading.get_ident()
    assert threaded._ready == {}  # nothing left behind


# -- decompression bombs, in a real crawl -------------------------------------------------------------
BOMB_DECODED = 400 * 1024 * 1024  # a 400 MB page of one letter: ~400 kB of gzip on the wire
BOMB_LIMIT = 5_000_000


def test_a_decompression_bomb_is_archived_as_sent_and_never_inflated(tmp_path):
    """A page whose gzip body inflates to 400 MB, linked from a front page: the crawl neither inflates it
    nor parses it (its memory stays far below the bomb's size), the WARC record keeps the gzip body as
    sent, the capture says ``decoded-too-large``, and the rest of the site is archived."""
    site = tmp_path / "site"
    (site / "2026" / "11" / "28").mkdir(parents=True)
    story = "<p>" + "The council met on Monday and voted to rebuild the harbour wall before winter. " * 12 + "</p>"
    (site / "index.html").write_text('<html><body><a href="/2026/11/28/bomb-story.html">a</a>'
                                     '<a href="/2026/11/28/harbour-story.html">b</a></body></html>')
    (site / "2026/11/28/harbour-story.html").write_text(f"<html><head><title>Harbour</title></head><body><article>"
                                                        f"<h1>Harbour wall</h1>{story}</article></body></html>")
    chunk = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"<html><body><p>" + b"A" * (1024 * 1024 - 15)
    bomb = b"".join([chunk.compress(block)] + [chunk.compress(b"A" * 1024 * 1024) for _ in range(399)] + [chunk.flush()])
    (site / "2026/11/28/bomb-story.html").write_bytes(bomb)
    (site / "2026/11/28/bomb-story.html.headers").write_text("Content-Encoding: gzip\nContent-Type: application/octet-stream\n")
    archive_dir = tmp_path / "archive"
    with running(site, quiet=True) as base:
        measured = run_measured([str(NEWSARCHIVE), "crawl", f"{base}/", "--archive-dir", str(archive_dir), "--no-throttle",
                                 "-s", f"NEWSARCHIVE_MAX_DECODED_SIZE={BOMB_LIMIT}"], tmp_path / "crawl.log")
    assert measured.returncode == 0, (tmp_path / "crawl.log").read_text()[-3000:]
    # The whole process tree (crawler + extraction workers) stays below the bomb's decoded size.
    assert measured.peak_rss < BOMB_DECODED, f"peak RSS {measured.peak_rss / MB:.0f} MB"
    conn = sqlite3.connect(archive_dir / "archive.db")
    reasons = dict(conn.execute("select url, reason from captures where url like '%/2026/%'").fetchall())
    assert {url.rsplit("/", 1)[1]: reason for url, reason in reasons.items()} == {
        "bomb-story.html": "decoded-too-large", "harbour-story.html": "article"}
    (warc,) = (archive_dir / "warc").glob("*.warc.gz")
    with open(warc, "rb") as fh:
        bodies = [r.raw_stream.read() for r in ArchiveIterator(fh)
                  if r.rec_type == "response" and r.rec_headers.get_header("WARC-Target-URI").endswith("bomb-story.html")]
    assert bodies == [bomb]
    # reindex, from the WARC files alone, says the same of it (the crawl wrote a metadata record)
    (archive_dir / "archive.db").rename(tmp_path / "crawled.db")
    for name in ("archive.db-wal", "archive.db-shm"):
        (archive_dir / name).unlink(missing_ok=True)
    newsarchive("reindex", "--archive-dir", archive_dir, "-q")
    rebuilt = sqlite3.connect(archive_dir / "archive.db")
    assert rebuilt.execute("select reason from captures where url like '%bomb-story.html'").fetchall() == [
        ("decoded-too-large",)]
