"""Read records back from the archive: one record by pointer, or every record of a file."""

from __future__ import annotations

import os
from io import BytesIO
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from archive.httpbody import decode_content

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


def iter_records(path: str | os.PathLike[str]) -> Iterator[tuple[int, int, StoredResponse]]:
    """Yield ``(offset, length, record)`` for every record of one WARC file."""
    with open(path, "rb") as handle:
        iterator = ArchiveIterator(handle)
        for record in iterator:
            stored = _to_stored(record)
            offset = iterator.get_record_offset()
            iterator.read_to_end()
            yield offset, iterator.get_record_length(), stored
