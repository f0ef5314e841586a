"""Keep the crawl process's memory to what it holds.

Two things made the crawl process grow past what it uses (5,000-page bench crawl: peaks 185-210 MB):

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
  (``malloc_trim``, a few ms of a GIL-free C call; archive/workermem.py does it in the extraction
  workers after each page).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterable, Iterator

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import TextResponse

from archive.workermem import release_free_memory

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
