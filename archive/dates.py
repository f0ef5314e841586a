"""Publication dates as ISO 8601, whatever shape the page declared them in.

``articles.published`` is sorted, faceted by day and filtered (``--since``/``--until``) as text, which is
right only when every value is ISO 8601. Pages declare dates in their own shapes: of the 598 corpus
pages with a date (``../shared/corpus``), 25 are not ISO at all (``November 19, 2019, 07:47 PM EST``,
``12/20/2023 20:41:43``, ``Mon, 18 Nov 2019 16:07:38 -0600``, ``Fri, 12/22/2023 - 05:00``) and 46 more
are ISO in a shape that sorts apart (a space for ``T``, ``+0000`` for ``+00:00``). :func:`iso_date` turns
each into ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS[±HH:MM]``: the publisher's own clock and offset are
kept (a day filter means the publisher's day), fractions of seconds dropped, no offset invented where
the page gave none. A value no parser understands gives None, and extraction then looks for the date
elsewhere (trafilatura's htmldate), as for a page that declares none.

Parsing: ``datetime.fromisoformat`` first (Python 3.11 reads every ISO shape above), then
python-dateutil (installed with htmldate) month first, as US pages write ``12/20/2023``, with the time
zone names US and European news pages print.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, date, datetime, timedelta, timezone

# Zone abbreviations news pages print after a time; dateutil knows only UTC/GMT by itself. Ambiguous
# ones (IST: India or Ireland; CST: US or China) are read the way the US and European press uses them.
_ZONES = {
    name: timezone(timedelta(hours=hours))
    for name, hours in {
        "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3,
        "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    }.items()
}
# "2023-12-22T15:55:11.647030Z EST" (Hearst's sites): an ISO time in UTC with a zone name after it.
_TRAILING_ZONE = re.compile(r"^(\S+(?:Z|[+-]\d\d:?\d\d))\s+[A-Z]{2,5}$")
# "Fri, 12/22/2023 - 05:00" (Drupal): the dash separates day and time, it is no UTC offset.
_DASH_BEFORE_TIME = re.compile(r"\s+-\s+(?=\d{1,2}:\d\d)")
# "GMT+0300", "UTC+2" (JavaScript's Date.toString and others) mean three and two hours ahead of UTC;
# dateutil reads them the POSIX way, behind. The offset alone says it. A zone's name in parentheses after
# it ("(Eastern Standard Time)") adds nothing.
_NAMED_OFFSET = re.compile(r"\b(?:GMT|UTC)\s*(?=[+-]\d)")
_ZONE_IN_PARENTHESES = re.compile(r"\s*\([A-Za-z ]+\)$")
_HAS_TIME = re.compile(r"\d:\d\d")
_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))
# The longest declared date in the corpus has 33 characters ("Tue Nov 19 2019 03:05:46 GMT+0000"; with
# JavaScript's zone name in parentheses such a value has ~60); a longer value is not read as a date.
MAX_CHARS = 100
# Years outside this range are a template's placeholder ("0001-01-01") or a typo, not a publication date.
MIN_YEAR, MAX_YEAR = 1900, 2200


def iso_date(value: str | None) -> str | None:
    """``value`` as ISO 8601 (see the module docstring); None when it is no date."""
    text = " ".join((value or "")[:MAX_CHARS].split())
    if not text or len(value) > MAX_CHARS:
        return None
    parsed = _fromisoformat(text)
    if parsed is None:
        parsed = _dateutil(text)
    if parsed is None:
        return None
    when, with_time = parsed
    if not MIN_YEAR <= when.year <= MAX_YEAR:
        return None
    if not with_time:
        return when.date().isoformat() if isinstance(when, datetime) else when.isoformat()
    if when.tzinfo is not None and when.utcoffset() == timedelta(0):
        when = when.replace(tzinfo=UTC)
    return when.replace(microsecond=0).isoformat()


def _fromisoformat(text: str) -> tuple[datetime | date, bool] | None:
    match = _TRAILING_ZONE.match(text)
    candidate = match.group(1) if match else text
    try:
        if len(candidate) == 10:
            return date.fromisoformat(candidate), False
        return datetime.fromisoformat(candidate), True
    except ValueError:
        return None


def _dateutil(text: str) -> tuple[datetime, bool] | None:
    from dateutil import parser as dateutil_parser  # for the few pages that need it (~4% of the corpus)

    text = _NAMED_OFFSET.sub("", _ZONE_IN_PARENTHESES.sub("", _DASH_BEFORE_TIME.sub(" ", text)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # UnknownTimezoneWarning: the time is kept without an offset
            # dateutil fills what the text lacks from ``default``: parsed with two defaults, a value
            # missing its year, month or day ("Tuesday", "November 2019") comes out twice differently.
            when, other = (dateutil_parser.parse(text, default=default, tzinfos=_ZONES) for default in _DEFAULTS)
    except (ValueError, OverflowError, TypeError):
        return None
    if when.date() != other.date():
        return None
    return when, bool(_HAS_TIME.search(text))
