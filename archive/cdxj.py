"""CDXJ index of WARC files: the SURT-keyed, sorted index pywb and ReplayWeb.page read.

Each line is ``SURT TIMESTAMP {json}`` with the fields and key of ``cdxj-indexer`` (the Webrecorder
tool): ``url``, ``mime`` (``warc/revisit`` for revisits), ``status``, ``digest``, ``length``, ``offset``,
``filename``; records indexed are ``response``, ``revisit``, ``resource`` and ``metadata`` that is not
``application/warc-fields``. Unlike ``cdxj-indexer`` it reads on past damage: the readable records are
indexed and each bad spot is returned with its file and offset.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

import surt
from warcio.timeutils import iso_date_to_timestamp

from archive.warcreader import BadSpot, scan_records

INDEXED_TYPES = ("response", "revisit", "resource", "metadata")
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


def write_cdxj(paths: Iterable[str | os.PathLike[str]], out: TextIO) -> list[BadSpot]:
    """Write the sorted CDXJ index of ``paths`` to ``out``; return the bad spots met."""
    lines: list[str] = []
    bad: list[BadSpot] = []
    for path in paths:
        for item in index_lines(path):
            (bad if isinstance(item, BadSpot) else lines).append(item)
    lines.sort()
    for line in lines:
        out.write(line + "\n")
    return bad
