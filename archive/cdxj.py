"""CDXJ index of WARC files: the SURT-keyed, sorted index pywb and ReplayWeb.page read.

Each line is ``SURT TIMESTAMP {json}`` with the fields and key of ``cdxj-indexer`` (the Webrecorder
tool): ``url``, ``mime`` (``warc/revisit`` for revisits), ``status``, ``digest``, ``length``, ``offset``,
``filename``; records indexed are ``response``, ``revisit``, ``resource`` and ``metadata`` that is not
``application/warc-fields``. Unlike ``cdxj-indexer`` it reads on past damage: the readable records are
indexed and each bad spot is returned with its file and offset. Memory is bounded whatever the archive's
size: lines are sorted in chunks of SORT_CHUNK_LINES, spilled to temporary files and merged.
"""

from __future__ import annotations

import heapq
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

import surt
from warcio.timeutils import iso_date_to_timestamp

from archive.warcreader import BadSpot, scan_records

INDEXED_TYPES = ("response", "revisit", "resource", "metadata")
# Lines sorted in memory at a time (~300 bytes each, ~100 MB of Python strings): an archive indexed in
# one piece up to this size, in sorted runs merged from temporary files beyond it.
SORT_CHUNK_LINES = 250_000
_MIME_SPLIT = re.compile(r"[;\s]")


def url_key(url: str) -> str:
    """The SURT key, as cdxj-indexer computes it."""
    try:
        return surt.surt(url)
    except Exception:  # noqa: BLE001 (cdxj-indexer falls back to the URL too)
        return url


def _mime(record) -> str | None:
    if record.rec_type == "revisit":
        return "warc/revisit"
    if record.rec_type == "response":
        value = record.http_headers.get_header("Content-Type") if record.http_headers else None
    else:
        value = record.rec_headers.get_header("Content-Type")
    return _MIME_SPLIT.split(value, 1)[0].strip() if value else None


def index_lines(path: str | os.PathLike[str], filename: str | None = None) -> Iterator[str | BadSpot]:
    """CDXJ lines (unsorted, no newline) of one WARC file, and a :class:`BadSpot` for each damage."""
    filename = filename or Path(path).name
    for item in scan_records(path):
        if isinstance(item, BadSpot):
            yield item
            continue
        offset, length, record = item
        headers = record.rec_headers
        if record.rec_type not in INDEXED_TYPES:
            continue
        if record.rec_type in ("resource", "metadata") and headers.get_header("Content-Type") == "application/warc-fields":
            continue
        url = headers.get_header("WARC-Target-URI")
        fields: dict[str, str] = {"url": url}
        mime = _mime(record)
        if mime:
            fields["mime"] = mime
        if record.http_headers is not None and record.rec_type in ("response", "revisit"):
            fields["status"] = record.http_headers.get_statuscode()
        digest = headers.get_header("WARC-Payload-Digest")
        if digest:
            fields["digest"] = digest
        fields.update(length=str(length), offset=str(offset), filename=filename)
        yield f"{url_key(url)} {iso_date_to_timestamp(headers.get_header('WARC-Date'))} {json.dumps(fields)}"


def write_cdxj(
    paths: Iterable[str | os.PathLike[str]], out: TextIO, *, chunk_lines: int = SORT_CHUNK_LINES
) -> list[BadSpot]:
    """Write the sorted CDXJ index of ``paths`` to ``out``; return the bad spots met."""
    bad: list[BadSpot] = []
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="newsarchive-cdxj-") as spill_dir:
        runs: list[Path] = []
        for path in paths:
            for item in index_lines(path):
                if isinstance(item, BadSpot):
                    bad.append(item)
                    continue
                lines.append(item)
                if len(lines) >= chunk_lines:
                    runs.append(_spill(sorted(lines), Path(spill_dir) / f"{len(runs)}.cdxj"))
                    lines = []
        lines.sort()
        if not runs:
            out.writelines(line + "\n" for line in lines)
            return bad
        files = [open(run, encoding="utf-8") for run in runs]  # noqa: SIM115 (closed below)
        try:
            out.writelines(heapq.merge(*files, (line + "\n" for line in lines)))
        finally:
            for fh in files:
                fh.close()
    return bad


def _spill(lines: list[str], path: Path) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        fh.writelines(line + "\n" for line in lines)
    return path
