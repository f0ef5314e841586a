"""Recapture decisions for incremental runs: is an archived article worth fetching again?

Pure functions over ``archive.db``; no Scrapy. A URL not yet archived (no ``articles`` row, no settled
capture, see ``SETTLED_REASONS``) is always fetched. An archived one is fetched again only when

- the sitemap ``lastmod`` / feed ``updated`` that lists it now is newer than its last capture, or
- it is due: a recapture point (``first capture + delay``, delays from ``NEWSARCHIVE_RECAPTURE_AFTER``,
  default ``1h,1d,7d``) has passed and no capture was made since that point. After the last point, never.

Run state lives here, in the archive, not in a Scrapy ``JOBDIR``: a reused JOBDIR's seen-set would drop
the seeds of the next run.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

DEFAULT_SCHEDULE = "1h,1d,7d"
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DELAY = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])")


class ScheduleError(ValueError):
    pass


def parse_schedule(spec: str | list | tuple | None) -> tuple[timedelta, ...]:
    """``"1h,1d,7d"`` → delays after the first capture; ``""`` or ``"never"`` → no recaptures.

    Units: ``s``, ``m``, ``h``, ``d``, ``w`` (seconds make the schedule testable without waiting).
    """
    if spec is None:
        spec = DEFAULT_SCHEDULE
    items = spec if isinstance(spec, (list, tuple)) else str(spec).split(",")
    delays = []
    for item in (str(i).strip().lower() for i in items):
        if not item or item == "never":
            continue
        match = _DELAY.fullmatch(item)
        if not match:
            raise ScheduleError(
                f"bad recapture delay {item!r} in {spec!r}: use numbers with s, m, h, d or w, like \"1h,1d,7d\""
            )
        delays.append(timedelta(seconds=float(match[1]) * _UNITS[match[2]]))
    return tuple(sorted(delays))


def parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 date or date-time (``Z`` or offset; naive means UTC) → aware datetime; else None."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class PreviousCapture:
    """What the archive holds for a URL: its first and latest article capture."""

    url: str
    first_fetched_at: str
    fetched_at: str
    sitemap_lastmod: str | None


# Captures that settled what a URL is without making it an article: an article-shaped page with too
# little text (a photo gallery, a video page), a PDF or image, a page archived with --no-extract. They
# follow the same schedule as articles instead of being fetched again every run.
SETTLED_REASONS = ("no-article-text", "not-html", "article-not-extracted")


def previous_capture(conn: sqlite3.Connection, url: str) -> PreviousCapture | None:
    """What the archive holds for ``url``: its article row, else its settled captures (index lookups,
    cheap on any archive size); None when the URL was never archived."""
    row = conn.execute(
        "select url, first_fetched_at, fetched_at, sitemap_lastmod from articles where url = ?", [url]
    ).fetchone()
    if row is not None:
        return PreviousCapture(row[0], row[1] or row[2], row[2], row[3])
    placeholders = ",".join("?" * len(SETTLED_REASONS))
    first, last = conn.execute(
        f"select min(fetched_at), max(fetched_at) from captures where url = ? and status = 200 "
        f"and reason in ({placeholders})",
        [url, *SETTLED_REASONS],
    ).fetchone()
    return PreviousCapture(url, first, last, None) if first else None


def next_due(previous: PreviousCapture, schedule: tuple[timedelta, ...]) -> datetime | None:
    """The first recapture point after the latest capture, or None when the schedule is spent."""
    first, last = parse_time(previous.first_fetched_at), parse_time(previous.fetched_at)
    if first is None or last is None:
        return None
    for delay in schedule:
        if first + delay > last:
            return first + delay
    return None


def is_due(previous: PreviousCapture, schedule: tuple[timedelta, ...], now: datetime | None = None) -> bool:
    due = next_due(previous, schedule)
    return due is not None and due <= (now or datetime.now(UTC))


# A listed date further ahead than this is a wrong clock or a placeholder, not an edit.
FUTURE_SLACK = timedelta(days=1)


def listed_newer(previous: PreviousCapture, lastmod: str | None, now: datetime | None = None) -> bool:
    """The sitemap/feed date now listed is after our latest capture (the page changed since)."""
    listed, last = parse_time(lastmod), parse_time(previous.fetched_at)
    if listed is None or last is None or listed > (now or datetime.now(UTC)) + FUTURE_SLACK:
        return False
    return listed > last


def fetch_reason(
    previous: PreviousCapture | None,
    *,
    lastmod: str | None = None,
    schedule: tuple[timedelta, ...] = parse_schedule(DEFAULT_SCHEDULE),
    now: datetime | None = None,
) -> str | None:
    """Why to fetch the URL (``new``, ``lastmod``, ``due``) or None to skip it."""
    if previous is None:
        return "new"
    if listed_newer(previous, lastmod, now):
        return "lastmod"
    if is_due(previous, schedule, now):
        return "due"
    return None
