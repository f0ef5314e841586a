"""Keep the crawl process's memory to what it holds.

Three things made the crawl process grow past what it uses (5,000-page bench crawl: peaks 185-210 MB):

* ``response.text`` decodes the whole body and keeps the result on the response (Scrapy's
  MetaRefreshMiddleware reads it for every HTML page, the spider parses it). A ``str`` takes 1, 2 or 4
  bytes a character, so a 300 kB page in a non-Latin script costs ~1.2 MB, and Scrapy keeps the response
  until every item of its callback has left the pipelines, i.e. until its article is extracted. With
  extraction the slowest stage, ~40 responses wait at a time (32 downloads in flight plus Scrapy's 5 MB
  of bodies in the scraper). :class:`DropDecodedText` drops the text once the callback's output is
  exhausted: nothing reads it after that, and if something did, it would be decoded again (same result,
  more CPU), so it cannot change what is archived.
* glibc keeps freed memory in its heap when live chunks sit between the free ones (parsed pages, bodies
  and the scheduler's requests come and go in every order), so the resident set stays at its highest.
  :class:`ReleaseFreeMemory` hands the free pages back every second from a thread of its own
  (``malloc_trim``, a few ms of a GIL-free C call; archive/heap.py does it in the extraction
  workers after each page). It also fixes glibc's mmap threshold (large bodies and texts get pages
  of their own, given back when freed) and limits it to 2 malloc arenas, each of which would keep free
  memory of its own (archive/heap.py, ``tune_malloc``; the workers do the same).
* Scrapy's MetaRefreshMiddleware looks for ``<meta http-equiv="refresh">`` in the first 4,096
  characters of a page, but reads them as ``response.text[:4096]``: the whole body decoded (and kept),
  for every HTML page, as soon as it is downloaded. 16-32 pages arrive at once on a fast site, so their
  texts piled up before the spider saw any (~25 MB at the peaks of the bench crawl).
  :class:`HeadMetaRefresh` is that middleware deciding from the first bytes of the body only, decoded
  as Scrapy would decode them: same encoding, same first 4,096 characters, same result.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterable, Iterator

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.utils import response as response_utils

from archive.heap import release_free_memory, tune_malloc
from archive.metarefresh import HEAD_BYTES, meta_refresh

TRIM_INTERVAL = 1.0  # seconds


def drop_decoded_text(response) -> None:
    # Scrapy's TextResponse.text cache (scrapy/http/response/text.py); a no-op attribute if that changes.
    if isinstance(response, TextResponse):
        response._cached_ubody = None


class DropDecodedText:
    """Spider middleware, closest to the spider: runs when the callback has yielded everything."""

    def process_spider_output(self, response, result: Iterable) -> Iterator:
        yield from result
        drop_decoded_text(response)

    async def process_spider_output_async(self, response, result: AsyncIterator) -> AsyncIterator:
        async for obj in result:
            yield obj
        drop_decoded_text(response)


class ReleaseFreeMemory:
    """Extension: ``malloc_trim`` every :data:`TRIM_INTERVAL` seconds while the spider runs."""

    def __init__(self, interval: float = TRIM_INTERVAL) -> None:
        self.interval = interval
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None
        self.trims = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReleaseFreeMemory:
        tune_malloc()  # now, before the crawl starts its threads
        ext = cls()
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def _run(self) -> None:
        while not self.stop.wait(self.interval) and release_free_memory():
            self.trims += 1

    def spider_opened(self, spider) -> None:
        self.thread = threading.Thread(target=self._run, name="release-free-memory", daemon=True)
        self.thread.start()

    def spider_closed(self, spider) -> None:
        self.stop.set()


def meta_refresh_of_head(response: HtmlResponse, ignore_tags) -> tuple[None, None] | tuple[float, str]:
    """``scrapy.utils.response.get_meta_refresh(response)``, decoding only the head of the body."""
    # Declared (BOM, header, <meta charset> in the first 4 kB) or, when none is, inferred by Scrapy
    # from the whole body, which then keeps the text: the head is read from it.
    encoding = response.encoding
    head = response._cached_ubody if response._cached_ubody is not None else response.body[:HEAD_BYTES]
    # The reading of the head that also gives the archive's captures.redirect_to (archive/metarefresh.py).
    return meta_refresh(head, response.url, encoding, ignore_tags)


class HeadMetaRefresh(MetaRefreshMiddleware):
    """Downloader middleware in place of Scrapy's MetaRefreshMiddleware (same settings, same redirects)."""

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if isinstance(response, HtmlResponse) and response not in response_utils._metaref_cache:
            # Scrapy's get_meta_refresh, which the parent calls, answers from this cache.
            # (A refresh to javascript: is none: meta_refresh says so, where Scrapy's fails the fetch.)
            response_utils._metaref_cache[response] = meta_refresh_of_head(response, self._ignore_tags)
        return super().process_response(request, response)
