"""Keep oversize and cut-off responses instead of losing them (``WARC-Truncated``).

Scrapy's ``DOWNLOAD_MAXSIZE`` cancels an oversize download and nothing reaches the archive. Instead,
this extension counts bytes at the ``bytes_received`` signal and, past ``NEWSARCHIVE_MAX_RESPONSE_SIZE``,
stops the download with ``StopDownload(fail=False)``: Scrapy then delivers what arrived, the archive
extension keeps the first ``limit`` bytes and writes ``WARC-Truncated: length``. A connection that drops
mid-body (``DOWNLOAD_FAIL_ON_DATALOSS = False``) arrives with the ``dataloss`` flag and is written with
``WARC-Truncated: disconnect``. Both are recorded in ``captures.truncated``.
"""

from __future__ import annotations

import logging

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured, StopDownload
from scrapy.http import Response

logger = logging.getLogger(__name__)

META_TRUNCATED = "warc_truncated"  # request.meta: the WARC-Truncated reason, set by this extension
META_TRUNCATE_AT = "warc_truncate_at"  # request.meta: keep this many body bytes
META_RECEIVED = "_bytes_received"


class TruncationExtension:
    """Stops a download at ``NEWSARCHIVE_MAX_RESPONSE_SIZE`` bytes of body and marks it truncated."""

    def __init__(self, crawler: Crawler, limit: int) -> None:
        self.limit = limit
        crawler.signals.connect(self.bytes_received, signal=signals.bytes_received)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TruncationExtension:
        limit = crawler.settings.getint("NEWSARCHIVE_MAX_RESPONSE_SIZE")
        if limit <= 0:
            raise NotConfigured("NEWSARCHIVE_MAX_RESPONSE_SIZE is 0: responses are never cut")
        return cls(crawler, limit)

    def bytes_received(self, data: bytes, request: Request, spider=None) -> None:
        # Keyed by the request object: retries and redirects copy meta, and must count afresh.
        owner, received = request.meta.get(META_RECEIVED, (None, 0))
        received = (received if owner == id(request) else 0) + len(data)
        request.meta[META_RECEIVED] = (id(request), received)
        if received > self.limit:
            request.meta[META_TRUNCATED] = "length"
            request.meta[META_TRUNCATE_AT] = self.limit
            logger.warning("%s is larger than %d bytes: archived truncated (WARC-Truncated: length)",
                           request.url, self.limit)
            raise StopDownload(fail=False)


def truncation_of(response: Response, request: Request) -> tuple[bytes, str | None]:
    """The body to archive and its ``WARC-Truncated`` value (``None`` when complete)."""
    body = response.body
    reason = request.meta.get(META_TRUNCATED)
    if reason == "length" and "download_stopped" in response.flags:
        return body[: request.meta.get(META_TRUNCATE_AT, len(body))], "length"
    if "dataloss" in response.flags:
        return body, "disconnect"
    return body, None
