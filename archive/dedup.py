"""Deduplication: which earlier ``response`` record already holds a payload.

A fetch whose payload digest was archived before (in this crawl or any earlier crawl of the same
archive) is written as a ``revisit`` record (profile identical-payload-digest) that refers to the
*original response*, never to another revisit: the lookup only ever returns rows with
``warc_type = 'response'`` that were not truncated. Payloads under ``min_size`` bytes are always stored
in full (a revisit record costs about as much as a tiny payload, and tiny payloads such as empty
bodies and one-line redirects collide across unrelated URLs).

The lookup reads ``captures`` (indexed on ``payload_digest``), so it works across runs without a
separate index file. Conditional requests (``If-None-Match``/``If-Modified-Since``) use
:func:`previous_capture` for the validators of the last capture of a URL.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from archive.warcwriter import RecordLocation, warc_date

# Heritrix's and browsertrix's default is to deduplicate everything; 1 KB keeps empty bodies, 304-ish
# stubs and short redirect pages in full, where a revisit record (≈ the same size) would save nothing.
DEFAULT_MIN_SIZE = 1024


def fetched_at_to_warc_date(fetched_at: str) -> str:
    """``captures.fetched_at`` (ISO, microseconds, Z) → ``WARC-Date`` (milliseconds, Z)."""
    moment = datetime.fromisoformat(fetched_at.replace("Z", "+00:00"))
    return warc_date(moment.astimezone(UTC))


def warc_date_to_fetched_at(value: str) -> str:
    """``WARC-Date`` → the ``captures.fetched_at`` format (``%Y-%m-%dT%H:%M:%S.%fZ``)."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _location(row: sqlite3.Row | tuple) -> RecordLocation:
    filename, offset, length, record_id, fetched_at, digest = row
    return RecordLocation(
        filename=filename,
        offset=offset,
        length=length,
        record_id=record_id,
        warc_date=fetched_at_to_warc_date(fetched_at),
        payload_digest=digest,
    )


def original_response(db: sqlite3.Connection, digest: str) -> tuple[RecordLocation, str] | None:
    """The first complete ``response`` record with this payload digest, and its URL."""
    row = db.execute(
        """select warc_filename, warc_offset, warc_length, warc_record_id, fetched_at, payload_digest, url
           from captures
           where payload_digest = ? and warc_type = 'response' and truncated is null
             and warc_filename is not null
           order by id limit 1""",
        [digest],
    ).fetchone()
    return (_location(row[:6]), row[6]) if row else None


@dataclass(frozen=True)
class PreviousCapture:
    """The last complete capture of a URL: its validators and the response that holds its body."""

    url: str
    etag: str | None
    last_modified: str | None
    original: RecordLocation
    original_url: str
    # Where the archived copy sends the crawler (its meta refresh: a 304 is answered with that copy).
    redirect_to: str | None = None


def previous_capture(db: sqlite3.Connection, url: str) -> PreviousCapture | None:
    """Validators for a conditional request to ``url`` (the newest 200 capture that has one)."""
    row = db.execute(
        """select etag, last_modified, payload_digest, redirect_to from captures
           where url = ? and status = 200 and truncated is null and warc_filename is not null
             and (etag is not null or last_modified is not null)
           order by id desc limit 1""",
        [url],
    ).fetchone()
    if row is None or not row[2]:
        return None
    found = original_response(db, row[2])
    if found is None:
        return None
    return PreviousCapture(url=url, etag=row[0], last_modified=row[1], original=found[0], original_url=found[1],
                           redirect_to=row[3])


class Deduplicator:
    """Decides, for one payload, whether an earlier response record already holds it."""

    def __init__(self, db: sqlite3.Connection, *, min_size: int = DEFAULT_MIN_SIZE) -> None:
        self.db = db
        self.min_size = min_size

    def original_for(self, digest: str, size: int, truncated: str | None = None) -> tuple[RecordLocation, str] | None:
        """``(location, url)`` of the record to refer to, or ``None`` to store the payload in full."""
        if truncated or size < self.min_size:
            return None
        return original_response(self.db, digest)
