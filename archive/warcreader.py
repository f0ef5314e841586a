"""Read records back from the archive: one record by pointer, or every record of a file."""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord, ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeaders

from archive.httpbody import decode_content
from archive.warcwriter import FILENAME_RE

OPEN_SUFFIX = ".open"


class RecordNotFound(LookupError):
    """The pointer does not lead to a readable record."""


@dataclass
class StoredResponse:
    """A response record read back: the HTTP part decoded, the raw bytes kept."""

    url: str
    record_id: str
    warc_date: str
    rec_type: str
    status: int | None
    headers: list[tuple[str, str]]
    raw_body: bytes  # as stored: still content-encoded

    def header(self, name: str) -> str | None:
        name = name.lower()
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return None

    @property
    def content_type(self) -> str | None:
        return self.header("Content-Type")

    @property
    def body(self) -> bytes:
        """The entity body with its Content-Encoding undone (what a browser would render)."""
        return decode_content(self.raw_body, self.header("Content-Encoding"))


def resolve_path(warc_dir: str | os.PathLike[str], filename: str) -> Path:
    """The file a pointer names; a file still being written carries the ``.open`` suffix."""
    base = Path(warc_dir)
    name = Path(filename).name  # pointers never reach outside the WARC directory
    for candidate in (base / name, base / (name + OPEN_SUFFIX)):
        if candidate.exists():
            return candidate
    raise RecordNotFound(f"WARC file {name} not found in {base}")


def warc_files(warc_dir: str | os.PathLike[str]) -> list[Path]:
    """Closed WARC files in write order (serial), then any other ``*.warc.gz`` by name."""

    def key(path: Path) -> tuple:
        match = FILENAME_RE.match(path.name)
        return (0, match["prefix"], int(match["serial"]), path.name) if match else (1, "", 0, path.name)

    return sorted(Path(warc_dir).glob("*.warc.gz"), key=key)


def _to_stored(record: ArcWarcRecord) -> StoredResponse:
    http = record.http_headers
    status = None
    if http is not None and record.rec_type in ("response", "revisit"):
        try:
            status = int(http.get_statuscode())
        except (TypeError, ValueError):
            status = None
    return StoredResponse(
        url=record.rec_headers.get_header("WARC-Target-URI"),
        record_id=record.rec_headers.get_header("WARC-Record-ID"),
        warc_date=record.rec_headers.get_header("WARC-Date"),
        rec_type=record.rec_type,
        status=status,
        headers=list(http.headers) if http is not None else [],
        raw_body=record.raw_stream.read(),  # payload as stored: content-encoding kept
    )


def read_record(warc_dir: str | os.PathLike[str], filename: str, offset: int, length: int | None = None) -> StoredResponse:
    """Read the single record at ``offset`` of ``filename`` (one gzip member)."""
    path = resolve_path(warc_dir, filename)
    with open(path, "rb") as handle:
        handle.seek(offset)
        data = handle.read(length) if length else None
        stream = handle if data is None else BytesIO(data)
        try:
            for record in ArchiveIterator(stream, no_record_parse=False):
                return _to_stored(record)
        except Exception as exc:  # warcio raises several kinds on a bad member
            raise RecordNotFound(f"no readable WARC record at {path.name}:{offset}: {exc}") from exc
    raise RecordNotFound(f"no WARC record at {path.name}:{offset}")


def read_headers(path: str | os.PathLike[str], offset: int, length: int | None = None) -> StatusAndHeaders:
    """The WARC headers of the single record at ``offset`` of ``path`` (its block is not parsed)."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        stream = BytesIO(handle.read(length)) if length else handle
        try:
            for record in ArchiveIterator(stream, no_record_parse=True):
                return record.rec_headers
        except Exception as exc:  # warcio raises several kinds on a bad member
            raise RecordNotFound(f"no readable WARC record at {Path(path).name}:{offset}: {exc}") from exc
    raise RecordNotFound(f"no WARC record at {Path(path).name}:{offset}")


def iter_records(path: str | os.PathLike[str]) -> Iterator[tuple[int, int, StoredResponse]]:
    """Yield ``(offset, length, record)`` for every record of one WARC file."""
    with open(path, "rb") as handle:
        iterator = ArchiveIterator(handle)
        for record in iterator:
            stored = _to_stored(record)
            offset = iterator.get_record_offset()
            iterator.read_to_end()
            yield offset, iterator.get_record_length(), stored


# -- scanning whole files, damage included -------------------------------------------------------
_CHUNK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b\x08"


@dataclass(frozen=True)
class BadSpot:
    """Where a WARC file stops being readable, and why."""

    filename: str
    offset: int
    reason: str

    def __str__(self) -> str:
        return f"{self.filename} at offset {self.offset}: {self.reason}"


def _next_member(handle, start: int) -> int | None:
    """Offset of the next gzip member header at or after ``start`` (to read on past a damaged one)."""
    handle.seek(start)
    carry = b""
    position = start
    while True:
        block = handle.read(_CHUNK)
        if not block:
            return None
        data = carry + block
        found = data.find(_GZIP_MAGIC)
        if found >= 0:
            return position - len(carry) + found
        carry = data[-(len(_GZIP_MAGIC) - 1) :]
        position += len(block)


def check_record_bytes(raw: bytes) -> str | None:
    """Why the decompressed member ``raw`` is not one complete WARC record (``None`` when it is)."""
    if not raw.startswith(b"WARC/"):
        return "not a WARC record (no WARC/ version line)"
    end = raw.find(b"\r\n\r\n")
    if end < 0:
        return "WARC headers cut short"
    length = None
    for line in raw[:end].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            try:
                length = int(value.strip())
            except ValueError:
                return "bad Content-Length"
    if length is None:
        return "no Content-Length"
    block_end = end + 4 + length
    if len(raw) < block_end + 4 or raw[block_end : block_end + 4] != b"\r\n\r\n":
        return f"record block shorter than its Content-Length {length}"
    return None


def scan_members(path: str | os.PathLike[str]) -> Iterator[tuple[int, int, bytes] | BadSpot]:
    """Every gzip member of a ``.warc.gz`` file: ``(offset, length, decompressed bytes)`` for a complete
    member holding one complete record, a :class:`BadSpot` for damage. After damage, reading resumes
    at the next gzip member header, so the readable records past it are used too."""
    name = Path(path).name
    with open(path, "rb") as handle:
        offset = 0
        resyncing = False  # a false start found while looking for the next member is not news
        pending = handle.read(_CHUNK)
        while pending:
            decompressor = zlib.decompressobj(31)
            out: list[bytes] = []
            consumed = 0
            data = pending
            problem = None
            try:
                while True:
                    out.append(decompressor.decompress(data))
                    if decompressor.eof:
                        consumed += len(data) - len(decompressor.unused_data)
                        pending = decompressor.unused_data
                        break
                    consumed += len(data)
                    data = handle.read(_CHUNK)
                    if not data:
                        problem = "gzip member cut short (file ends inside a record)"
                        break
            except zlib.error as exc:
                problem = f"corrupt gzip data ({exc})"
            if problem is None:
                raw = b"".join(out)
                problem = check_record_bytes(raw)
                if problem is None:
                    resyncing = False
                    yield offset, consumed, raw
                    offset += consumed
                    if not pending:
                        pending = handle.read(_CHUNK)
                    continue
            if not resyncing:
                yield BadSpot(name, offset, problem)
            resyncing = True
            resume = _next_member(handle, offset + 1)
            if resume is None:
                return
            offset = resume
            handle.seek(offset)
            pending = handle.read(_CHUNK)


def parse_member(raw: bytes) -> ArcWarcRecord:
    """One decompressed record (from :func:`scan_members`) parsed by warcio."""
    return ArcWarcRecordLoader().parse_record_stream(BytesIO(raw), known_format="warc")


def scan_records(path: str | os.PathLike[str]) -> Iterator[tuple[int, int, ArcWarcRecord] | BadSpot]:
    """Like :func:`scan_members`, with each record parsed; unparseable records become a ``BadSpot``."""
    name = Path(path).name
    for item in scan_members(path):
        if isinstance(item, BadSpot):
            yield item
            continue
        offset, length, raw = item
        try:
            yield offset, length, parse_member(raw)
        except Exception as exc:  # noqa: BLE001 (warcio raises several kinds on a bad record)
            yield BadSpot(name, offset, f"unparseable record ({type(exc).__name__}: {exc})")


def stored_from(record: ArcWarcRecord) -> StoredResponse:
    """A parsed record as a :class:`StoredResponse` (its payload read)."""
    return _to_stored(record)
