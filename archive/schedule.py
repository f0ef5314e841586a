"""Recapture decisions for incremental runs: is an archived article worth fetching again?

Pure functions over ``archive.db``; no Scrapy. A URL not yet archived (no ``articles`` row, no settled
capture, see ``SETTLED_REASONS`` and ``GONE_STATUSES``, no redirect to an archived URL) is always
fetched. An archived one is fetched again only when

- the sitemap ``lastmod`` / feed ``updated`` that lists it now is newer than its last capture, or
- it is due: a recapture point (``first capture + delay``, delays from ``NEWSARCHIVE_RECAPTURE_AFTER``,
  default ``1h,1d,7d``) has passed and no capture was made since that point. After the last point, never.

Run state lives here, in the archive, not in a Scrapy ``JOBDIR``: a reused JOBDIR's seen-set would drop
the seeds of the next run.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, replace
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
    """What the archive holds for a URL: its first and latest settling capture.

    ``url`` is the URL whose captures these are: the one asked about, or, when that one last answered
    with a redirect, the archived URL the redirect led to (``redirected_at``: when it answered so).
    """

    url: str
    first_fetched_at: str
    fetched_at: str
    sitemap_lastmod: str | None
    redirected_at: str | None = None


# Captures that settled what a URL is without making it an article: an article-shaped page with too
# little text (a photo gallery, a video page), a PDF or image, a page archived with --no-extract. They
# follow the same schedule as articles instead of being fetched again every run. A 304 counts too: a
# page listed in a sitemap is recaptured with a conditional request, and the spider then parses the
# archived copy again (crawler/conditional.py).
SETTLED_REASONS = ("no-article-text", "not-html", "article-not-extracted")
# Answers that settle a page request (an article candidate or an attachment) too: the page is gone, and a
# sitemap that keeps listing a deleted article must not bring it back every run. Not for seeds, sitemaps,
# feeds or listings (the caller says which, ``page``): one of those that is gone today may come back.
# 5xx, 429 and network errors settle nothing: they are transient, and retried every run.
GONE_STATUSES = (404, 410)
# A page request robots.txt refused is settled the same way (asked again on the schedule, not every run,
# which added a capture row per run and per refused link): the reason crawler/fetcherrors.py records for
# Scrapy's refusal.
ROBOTS_REFUSED = "ignored: Forbidden by robots.txt"
# Redirect hops followed through the archive (Scrapy's REDIRECT_MAX_TIMES, the most a crawl follows).
MAX_REDIRECT_HOPS = 20

_SETTLED = (
    f"(status in (200, 304) and reason in ({', '.join('?' * len(SETTLED_REASONS))}))"
    f" or (? and (status in ({', '.join(map(str, GONE_STATUSES))}) or reason = '{ROBOTS_REFUSED}'))"
)  # parameters: SETTLED_REASONS, then page (0 or 1)
# One pass over the URL's captures (index on url, fetched_at): its settling captures, its latest redirect.
_CAPTURES_SQL = (
    f"select min(fetched_at) filter (where {_SETTLED}), max(fetched_at) filter (where {_SETTLED}), "
    "max(fetched_at) filter (where redirect_to is not null), min(fetched_at) filter (where redirect_to is not null)"
    " from captures where url = ?"
)


def previous_capture(conn: sqlite3.Connection, url: str, *, page: bool = False) -> PreviousCapture | None:
    """What the archive holds for ``url``; None when the URL was never archived (or settled).

    Its ``articles`` row and its settled captures (404/410 ones too when ``page``), the latest of them
    deciding when it was last captured; or, when its latest answer was a redirect (``captures.redirect_to``)
    to a URL the archive holds, that URL's (which decides its schedule: a redirect is due when its
    target is); for a page request whose redirect led to an answered URL that settles nothing (a
    listing), the redirect's own captures. Index lookups, cheap on any archive size.
    """
    return _previous(conn, url, page, ())


def _previous(conn: sqlite3.Connection, url: str, page: bool, hops: tuple[str, ...]) -> PreviousCapture | None:
    article = conn.execute(
        "select first_fetched_at, fetched_at, sitemap_lastmod from articles where url = ?", [url]
    ).fetchone()
    settled = [*SETTLED_REASONS, int(page)]
    first, last, redirected, first_redirect = conn.execute(_CAPTURES_SQL, [*settled, *settled, url]).fetchone()
    own = None
    if article is not None:
        # A later settling capture (the article was deleted: 404) counts as its latest capture.
        own = PreviousCapture(url, article[0] or article[1], max(article[1], last or ""), article[2])
    elif first:
        own = PreviousCapture(url, first, last, None)
    if redirected is None or (own is not None and redirected <= own.fetched_at):
        return own
    target_url = _redirect_to(conn, url, redirected)
    hops = (*hops, url)
    if target_url in hops or len(hops) > MAX_REDIRECT_HOPS:  # a loop, or a chain no crawl follows
        return own
    target = _previous(conn, target_url, page, hops)
    if target is not None:
        return replace(target, redirected_at=redirected)
    if page and own is None and _answered(conn, target_url):
        # A page that redirects to something the archive holds but does not settle (a deleted story
        # sent to the front page or its section, which are fetched every run anyway): the redirect
        # follows the schedule by its own captures. A target that failed (5xx, network) settles nothing.
        return PreviousCapture(url, first_redirect, redirected, None, redirected_at=redirected)
    return own


def _redirect_to(conn: sqlite3.Connection, url: str, at: str) -> str:
    """Where ``url``'s redirect captured at ``at`` sent the crawler (``captures.redirect_to``)."""
    (target,) = conn.execute(
        "select redirect_to from captures where url = ? and fetched_at = ? and redirect_to is not null", [url, at]
    ).fetchone()
    return target


def _answered(conn: sqlite3.Connection, url: str) -> bool:
    """The archive holds a 2xx answer of ``url``."""
    return conn.execute(
        "select 1 from captures where url = ? and status between 200 and 299 limit 1", [url]
    ).fetchone() is not None


# A page requisite (image, stylesheet, script, font) is fetched once, ever: embeds are versioned by URL
# in practice (a changed image or stylesheet gets a new URL, ``logo.v2.png``, ``site.css?v=123``), so one
# that answered 2xx is never asked for again. One that answered 404/410 follows the schedule as a
# page does (``previous_capture(page=True)``); 5xx, 429 and network errors settle nothing.
_REQUISITE_SQL = (
    "select max(fetched_at) filter (where status between 200 and 299 and warc_record_id is not null), "
    "max(fetched_at) filter (where redirect_to is not null) from captures where url = ?"
)


def requisite_archived(conn: sqlite3.Connection, url: str) -> bool:
    """``url`` answered 2xx once (a response or revisit record), or last redirected to a URL that did."""
    hops: tuple[str, ...] = ()
    while len(hops) <= MAX_REDIRECT_HOPS and url not in hops:
        archived, redirected = conn.execute(_REQUISITE_SQL, [url]).fetchone()
        if archived:
            return True
        if redirected is None:
            return False
        hops = (*hops, url)
        url = _redirect_to(conn, url, redirected)
    return False


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
