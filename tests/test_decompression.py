"""crawler/decompression.py: large bodies are inflated on a thread, with exactly Scrapy's results."""

from __future__ import annotations

import asyncio
import gzip
import threading
import zlib

import brotli
import pytest
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.test import get_crawler

from crawler.decompression import THREADED_MIN_BYTES, ThreadedHttpCompression

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
    crawler = get_crawler(settings_dict={"DOWNLOAD_MAXSIZE": 10_000_000})
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
