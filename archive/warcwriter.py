"""Write HTTP exchanges to rotating, crash-safe WARC/1.1 files.

One gzip member per record, so ``(filename, offset, length)`` reads back exactly one record. Files are
named ``PREFIX-YYYYmmddHHMMSSfff-SERIAL-HOST.warc.gz`` and written as ``NAME.open`` until closed; the
serial continues across restarts. Each file starts with a ``warcinfo`` record (see ``warcinfo_fields``).
Follows ../shared/guide/warc.md.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import os
import re
import socket
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive import __version__

WARC_VERSION = "WARC/1.1"
OPEN_SUFFIX = ".open"
# Heritrix and browsertrix rotate at 1 GB: big enough to keep file counts low, small enough to move.
DEFAULT_MAX_SIZE = 10**9
HEADER_CAPTURE_NOTE = (
    "HTTP headers as parsed by Twisted: transfer-coding removed (body de-chunked), connection-control "
    "headers (Transfer-Encoding, Connection, Keep-Alive) absent, header names title-cased, reason phrase "
    "regenerated from the status code; body stored as received, still content-encoded. Request headers "
    "as sent by Scrapy plus Host."
)
# Each record is one gzip member, compressed at a level chosen per record (warcio would use 9 for all):
# - a payload that arrived compressed (any Content-Encoding but identity, or a compressed media type)
#   does not shrink (ratio 1.000 on the bench pages) yet costs ~0.5 ms of CPU per 40 kB page at every
#   level, so its record is written as stored deflate blocks (level 0: still a valid gzip member that
#   every WARC reader decompresses; the record's few hundred bytes of headers stay uncompressed);
# - anything else at zlib's default 6: on 300 kB of HTML, 2.6 ms against 4.1-4.9 ms at level 9 for a
#   file 0.5% larger (bench/, corpus pages).
GZIP_LEVEL = 6
STORED_LEVEL = 0
COMPRESSED_TYPES = re.compile(
    r"^(?:image/(?!svg|bmp|x-icon|vnd\.microsoft\.icon|tiff)|video/|audio/(?!wav|x-wav)|font/woff"
    r"|application/(?:zip|gzip|x-gzip|x-7z-compressed|x-rar|zstd|x-bzip2|x-xz|vnd\.openxmlformats|epub))",
    re.I,
)
FILENAME_RE = re.compile(r"^(?P<prefix>.+)-(?P<ts>\d{17})-(?P<serial>\d{5})-(?P<host>[^/]+)\.warc\.gz$")

REVISIT_IDENTICAL = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
REVISIT_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
# The ``metadata`` record (application/warc-fields) the crawl writes about each parsed capture, with
# WARC-Refers-To the capture: what became of it, so archive/reindex.py can rebuild from WARC alone.
OUTCOME_FIELD = "newsarchive-outcome"  # a captures.reason, or ARTICLE_CANDIDATE
ARTICLE_CANDIDATE = "article-candidate"  # plus "discovered-via" and "listing" (JSON of the listing hints)
REQUISITE = "requisite"  # a page's embed (image, stylesheet, script, font), plus EMBEDDED_BY_FIELD
EMBEDDED_BY_FIELD = "embedded-by"  # the page (or stylesheet) that embedded it: captures.embedded_by


@dataclass(frozen=True)
class HttpExchange:
    """One network fetch as the crawler saw it: what was sent and what arrived."""

    url: str
    status: int
    body: bytes
    response_headers: list[tuple[str, str]]
    method: str = "GET"
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    request_body: bytes = b""
    protocol: str = "HTTP/1.1"
    reason: str = ""
    started_at: datetime | None = None
    ip_address: str | None = None
    truncated: str | None = None  # "length", "disconnect" or "time" (WARC-Truncated)


@dataclass(frozen=True)
class RecordLocation:
    """Where a record lives: enough to read it back without scanning the file."""

    filename: str  # final name (without ".open"), relative to the WARC directory
    offset: int
    length: int
    record_id: str
    warc_date: str
    payload_digest: str | None = None
    # For a revisit: the response record that holds the body. Article rows point there, so the text
    # and `show --html` are always read from a record that really has the payload.
    original: RecordLocation | None = None

    @property
    def body_location(self) -> RecordLocation:
        """The record that holds the payload: the original for a revisit, else this record."""
        return self.original or self


def payload_digest(body: bytes) -> str:
    """``sha1:`` + base32, as warcio writes ``WARC-Payload-Digest`` (over the stored entity body)."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def warc_date(moment: datetime) -> str:
    """WARC/1.1 allows sub-second precision; keep milliseconds like browsertrix."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def new_record_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


def _standard_reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def gzip_level(headers: list[tuple[str, str]]) -> int:
    """The gzip level for a record whose HTTP payload has these headers (see ``GZIP_LEVEL``)."""
    for name, value in headers:
        lowered = name.lower()
        if lowered == "content-encoding" and value.strip().lower() not in ("", "identity"):
            return STORED_LEVEL
        if lowered == "content-type" and COMPRESSED_TYPES.match(value.strip()):
            return STORED_LEVEL
    return GZIP_LEVEL


def request_line_target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class WarcWriter:
    """Append HTTP exchanges to WARC files in ``directory``, rotating at ``max_size`` bytes.

    ``clock`` and ``make_record_id`` can be replaced so tests produce byte-identical files.
    """

    def __init__(
        self,
        directory: str | os.PathLike[str],
        *,
        prefix: str = "newsarchive",
        max_size: int = DEFAULT_MAX_SIZE,
        info: dict[str, str] | None = None,
        hostname: str | None = None,
        clock: Callable[[], datetime] | None = None,
        make_record_id: Callable[[], str] = new_record_id,
    ) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.max_size = max_size
        self.info = dict(info or {})
        self.hostname = re.sub(r"[^A-Za-z0-9.-]", "_", hostname or socket.gethostname())
        self.clock = clock or (lambda: datetime.now(UTC))
        self.make_record_id = make_record_id
        self._file = None
        self._writer: WARCWriter | None = None
        self._buffer = BytesIO()
        self._name: str | None = None
        self._serial = self._last_serial()
        self.files_written: list[str] = []

    # -- files ------------------------------------------------------------------------------------
    def _last_serial(self) -> int:
        serials = [-1]
        for path in self.directory.iterdir():
            match = FILENAME_RE.match(path.name.removesuffix(OPEN_SUFFIX))
            if match and match["prefix"] == self.prefix:
                serials.append(int(match["serial"]))
        return max(serials)

    @property
    def current_filename(self) -> str | None:
        return self._name

    def _open(self) -> None:
        self._serial += 1
        stamp = self.clock().astimezone(UTC)
        ts = stamp.strftime("%Y%m%d%H%M%S") + f"{stamp.microsecond // 1000:03d}"
        self._name = f"{self.prefix}-{ts}-{self._serial:05d}-{self.hostname}.warc.gz"
        self._file = open(self.directory / (self._name + OPEN_SUFFIX), "xb")  # noqa: SIM115 (kept open)
        # Held while the file is written; the kernel drops it when the process dies, so
        # archive.repair can tell a leftover of a killed crawl from a file another crawl still writes.
        fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        # warcio serialises each record into a buffer; _write compresses it as one gzip member.
        self._writer = WARCWriter(self._buffer, gzip=False, warc_version=WARC_VERSION)
        fields = {
            "software": f"newsarchive/{__version__} (warcio, Scrapy)",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "hostname": self.hostname,
            "http-header-capture": HEADER_CAPTURE_NOTE,
            **self.info,
        }
        record = self._writer.create_warcinfo_record(self._name, fields)
        record.rec_headers.replace_header("WARC-Record-ID", self.make_record_id())
        record.rec_headers.replace_header("WARC-Date", warc_date(self.clock()))
        self._write(record)
        self.files_written.append(self._name)

    def _ensure_open(self) -> None:
        if self._file is not None and self._file.tell() >= self.max_size:
            self.close()
        if self._file is None:
            self._open()

    def close(self) -> None:
        """Close the current file and drop its ``.open`` suffix (only closed files lose it)."""
        if self._file is None:
            return
        self._file.flush()
        os.fsync(self._file.fileno())
        # Renamed while still locked, so a repair never sees a closed file under its ".open" name.
        os.replace(self.directory / (self._name + OPEN_SUFFIX), self.directory / self._name)
        self._file.close()
        self._file = self._writer = None

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- records ----------------------------------------------------------------------------------
    def _write(self, record, level: int = GZIP_LEVEL) -> tuple[int, int]:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.write_record(record)
        compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS | 16)
        member = compressor.compress(self._buffer.getvalue()) + compressor.flush()
        offset = self._file.tell()
        self._file.write(member)
        return offset, len(member)

    def _location(self, record, offset: int, length: int) -> RecordLocation:
        headers = record.rec_headers
        return RecordLocation(
            filename=self._name,
            offset=offset,
            length=length,
            record_id=headers.get_header("WARC-Record-ID"),
            warc_date=headers.get_header("WARC-Date"),
            payload_digest=headers.get_header("WARC-Payload-Digest"),
        )

    def _request_record(self, ex: HttpExchange, date: str, response_id: str):
        host = urlsplit(ex.url).netloc
        headers = list(ex.request_headers)
        if not any(name.lower() == "host" for name, _ in headers):
            headers.insert(0, ("Host", host))
        if ex.request_body and not any(name.lower() == "content-length" for name, _ in headers):
            headers.append(("Content-Length", str(len(ex.request_body))))
        http_headers = StatusAndHeaders(
            f"{ex.method} {request_line_target(ex.url)} HTTP/1.1", headers, is_http_request=True
        )
        return self._writer.create_warc_record(
            ex.url,
            "request",
            payload=BytesIO(ex.request_body),
            length=len(ex.request_body),
            http_headers=http_headers,
            warc_headers_dict={
                "WARC-Record-ID": self.make_record_id(),
                "WARC-Date": date,
                "WARC-Concurrent-To": response_id,
            },
        )

    def _response_headers(self, ex: HttpExchange, rec_type: str, extra: dict[str, str]) -> dict[str, str]:
        headers = {"WARC-Record-ID": self.make_record_id(), "WARC-Date": warc_date(ex.started_at or self.clock())}
        if ex.ip_address:
            headers["WARC-IP-Address"] = ex.ip_address
        if ex.protocol.upper().startswith("HTTP/2") or ex.protocol.lower() == "h2":
            headers["WARC-Protocol"] = "h2"
        if ex.truncated:
            headers["WARC-Truncated"] = ex.truncated
        headers.update(extra)
        return headers

    def _status_and_headers(self, ex: HttpExchange) -> StatusAndHeaders:
        protocol = "HTTP/1.1" if ex.protocol.lower() in ("", "h2", "http/2", "http/2.0") else ex.protocol
        reason = ex.reason or _standard_reason(ex.status)
        return StatusAndHeaders(f"{ex.status} {reason}".rstrip(), ex.response_headers, protocol=protocol)

    def write_exchange(self, ex: HttpExchange, digest: str | None = None) -> RecordLocation:
        """Write a ``response`` record and its ``request`` record; return where the response is.
        ``digest``: the body's ``payload_digest()`` when the caller has it already."""
        self._ensure_open()
        rec_headers = self._response_headers(ex, "response", {"WARC-Payload-Digest": digest} if digest else {})
        response = self._writer.create_warc_record(
            ex.url,
            "response",
            payload=BytesIO(ex.body),
            length=len(ex.body),
            http_headers=self._status_and_headers(ex),
            warc_headers_dict=rec_headers,
        )
        return self._write_pair(ex, response)

    def write_revisit(
        self,
        ex: HttpExchange,
        *,
        profile: str,
        refers_to: str,
        refers_to_uri: str,
        refers_to_date: str,
        payload_digest: str | None,
    ) -> RecordLocation:
        """Write a ``revisit`` record (HTTP headers only) and its ``request`` record."""
        self._ensure_open()
        extra = {
            "WARC-Profile": profile,
            "WARC-Refers-To": refers_to,
            "WARC-Refers-To-Target-URI": refers_to_uri,
            "WARC-Refers-To-Date": refers_to_date,
        }
        if payload_digest:
            extra["WARC-Payload-Digest"] = payload_digest
        revisit = self._writer.create_warc_record(
            ex.url,
            "revisit",
            payload=BytesIO(b""),
            length=0,
            http_headers=self._status_and_headers(ex),
            warc_headers_dict=self._response_headers(ex, "revisit", extra),
        )
        return self._write_pair(ex, revisit)

    def _write_pair(self, ex: HttpExchange, response) -> RecordLocation:
        response_id = response.rec_headers.get_header("WARC-Record-ID")
        date = response.rec_headers.get_header("WARC-Date")
        level = gzip_level(ex.response_headers) if response.rec_type == "response" else GZIP_LEVEL
        offset, length = self._write(response, level)
        self._write(self._request_record(ex, date, response_id))
        # Flushed per exchange: a killed crawl loses at most the record being written, and any
        # database row written after this call points at bytes that are already in the file.
        self._file.flush()
        return self._location(response, offset, length)

    def write_metadata(self, url: str, refers_to: str, content: bytes, content_type: str) -> RecordLocation:
        """Write a ``metadata`` record about an earlier record (e.g. extraction outcome)."""
        self._ensure_open()
        record = self._writer.create_warc_record(
            url,
            "metadata",
            payload=BytesIO(content),
            length=len(content),
            warc_content_type=content_type,
            warc_headers_dict={
                "WARC-Record-ID": self.make_record_id(),
                "WARC-Date": warc_date(self.clock()),
                "WARC-Refers-To": refers_to,
            },
        )
        offset, length = self._write(record)
        self._file.flush()
        return self._location(record, offset, length)
