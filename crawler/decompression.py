"""Scrapy's ``HttpCompressionMiddleware``, with large bodies decompressed on a worker thread.

Decoding a gzip/deflate/brotli body is the largest single cost Scrapy itself spends on a news page
(~0.5-0.8 ms of CPU for a 40 kB gzip page that inflates to 300 kB, bench/), and Scrapy does it on the
reactor thread, where it holds up every other fetch. zlib and brotli release the GIL while they
inflate, so on a thread the work runs on another core while the reactor goes on.

Everything else is Scrapy's own code path: the body is decoded on the thread, then ``process_response``
runs as usual and finds the result ready (so its size limits, warnings, stats and response class are
unchanged). A plain single-member gzip body is inflated in one zlib call (which holds no GIL at all;
Scrapy's chunked ``GzipFile`` loop takes the GIL back between chunks and so stalls the reactor thread);
anything else (brotli, deflate, several encodings) by the middleware's own ``_handle_encoding``. A
body the thread cannot decode cleanly (truncated, bad CRC, over the size limit, several gzip members)
is left to Scrapy's code path to decode, or raise and report, as it always does. The WARC record is not affected: it is written at
``response_downloaded``, before any middleware, from the body as it arrived.

Decoding is bounded by ``NEWSARCHIVE_MAX_DECODED_SIZE`` (Scrapy bounds it by ``DOWNLOAD_MAXSIZE``, which
newsarchive sets to 0 because it cuts oversize downloads instead of dropping them): without a bound, a
1.8 kB response (gzip inside gzip) inflated to 1 GB and the crawl's resident memory reached 4.2 GB. A body
past the bound is dropped after its WARC record, with the capture's reason ``decoded-too-large``.
"""

from __future__ import annotations

import asyncio
import zlib

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

from crawler.archiving import WRITE_ERRORS, ArchiveContext, location_of
from crawler.items import CaptureOutcome

REASON_TOO_LARGE = "decoded-too-large"
REASON_UNDECODABLE = "undecodable"

# Below this many (still encoded) bytes, handing the body to a thread costs more than inflating it.
THREADED_MIN_BYTES = 8 * 1024


class ThreadedHttpCompression(HttpCompressionMiddleware):
    def __init__(self, *args, crawler: Crawler | None = None, **kwargs) -> None:
        super().__init__(*args, crawler=crawler, **kwargs)
        self.crawler = crawler
        if crawler is not None:
            self._max_size = crawler.settings.getint("NEWSARCHIVE_MAX_DECODED_SIZE")
        # id(body) -> (body, decoded result): filled on the thread's return, taken at once by
        # _handle_encoding in the same reactor step (the body is alive meanwhile, so ids cannot clash).
        self._ready: dict[int, tuple[bytes, tuple[bytes, list[bytes]]]] = {}

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        encodings = response.headers.getlist("Content-Encoding")
        body = response.body
        if request.method != "HEAD" and encodings and len(body) >= THREADED_MIN_BYTES:
            max_size = request.meta.get("download_maxsize", self._max_size)
            decoded = await asyncio.to_thread(self._decode_on_thread, body, encodings, max_size)
            if decoded is not None:
                self._ready[id(body)] = (body, decoded)
        try:
            return super().process_response(request, response)
        except IgnoreRequest:  # the only one Scrapy's middleware raises: decoded past the bound
            self._record(request, REASON_TOO_LARGE)
            raise
        except Exception as exc:  # noqa: BLE001 (BadGzipFile, zlib.error, brotli.error...: a bad page must not stop the crawl)
            # A body its Content-Encoding does not describe (a plain page sent with "gzip"): a browser shows
            # an error too. Archived as sent; the capture says why it went no further.
            reason = f"{REASON_UNDECODABLE}: {type(exc).__name__}"
            self._record(request, reason)
            raise IgnoreRequest(f"{reason} ({exc})") from None
        finally:
            self._ready.pop(id(body), None)

    def _record(self, request: Request, reason: str) -> None:
        location = location_of(request)
        if self.crawler is None or location is None:
            return
        try:
            context = ArchiveContext.of(self.crawler)
        except NotConfigured:  # the run was refused the archive: nothing to record
            return
        try:
            context.store.set_capture_reason(location.record_id, reason)
            # ...and a metadata record saying so, the last word on this capture for `reindex`
            context.note_item(CaptureOutcome(location=location, reason=reason))
        except WRITE_ERRORS as exc:
            context.stop_writing(exc, f"recording {request.url} as {reason}")

    def _decode_on_thread(self, body: bytes, encodings: list[bytes], max_size: int):
        """The decoded body and the encodings left, or None to let Scrapy's own path decode it."""
        if [e.strip().lower() for e in encodings] in ([b"gzip"], [b"x-gzip"]):
            inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
            try:
                decoded = inflater.decompress(body, max_size + 1 if max_size else 0)
            except zlib.error:
                return None
            if inflater.eof and not inflater.unused_data and not (max_size and len(decoded) > max_size):
                return decoded, []
            return None
        try:
            return HttpCompressionMiddleware._handle_encoding(self, body, encodings, max_size)
        except Exception:  # noqa: BLE001 (decoded again on the reactor, where Scrapy reports it its own way)
            return None

    def _handle_encoding(self, body: bytes, content_encoding: list[bytes], max_size: int):
        ready = self._ready.pop(id(body), None)
        if ready is not None and ready[0] is body:
            return ready[1]
        return super()._handle_encoding(body, content_encoding, max_size)
