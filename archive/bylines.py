"""Author names (``articles.authors``) out of what pages put where a name should be.

Pages name their authors in metadata (JSON-LD ``author``, ``article:author``) or in a byline element,
and both often carry more than names. On NAEB's 383 pages that name authors (``../shared/corpus/naeb``;
``make bench-extract`` prints the share whose names equal the truth's), the byline or metadata said:
- a date or time after the name (``Eric Berger - Dec 21, 2023 1:00 pm UTC``, ``Written by Ike Allen
  Published on December 21, 2023``, a template's ``Month Day, Year, Hour:Minute AMPM Timezone``) or
  before it (``December 22, 2023 5:00 AM ET By Eric McDaniel``);
- a lead-in (``By``, ``Written by``, ``View all posts by``, ``Reviews by``), a role (``, Columnist``,
  ``, Seattle Times staff reporter``, ``Chief Technology Officer and Head of Reality Labs``), a
  button's text (``Link Copied``, ``Comments``, ``Sponsored``), an e-mail address;
- the publication instead of a person, or after the person (``Terry Pluto, cleveland.com``);
- HTML escaped twice (``James O&#039;Neil``), a name twice.
:func:`author_names` keeps the names. The split into several names is on ``,``, ``;``, ``|``, `` and ``
and ``&`` between names; a part that is a role or the site is dropped, not kept as a name.
"""

from __future__ import annotations

import html
import re

from archive.boilerplate import normalize_block
from archive.headline import is_site_name

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
# Where the name ends: a date, a time, "Published", "Updated", a template placeholder ("Month Day").
_TAIL = re.compile(
    rf"\s*(?:[-–—|•·,]\s*)?(?:\b(?:published|posted|updated|last updated|modified)\b|\b{_MONTH}\.?\s+\d"
    rf"|\b\d{{1,2}}\s+{_MONTH}\b|\d{{1,2}}[:/.]\d\d|\bmonth day\b|\[month\]|\d{{4}}).*$",
    re.I,
)
# A date or time before the name, up to "By".
_LEADING_DATE = re.compile(rf"^.*?(?:\b{_MONTH}\.?\s+\d|\d{{1,2}}:\d\d).*?\b[Bb][Yy]\s+", re.I | re.S)
_LEAD_IN = re.compile(
    r"^(?:(?:view all posts|more stories|articles|posts|stories|reviews?|written|words|story|photos?"
    r"|posted|reporting|report|text|analysis|opinion|commentary|interview) by|by|von|par|por|di|door|author:)\s+",
    re.I,
)
_GLUED_BY = re.compile(r"^By(?=[A-Z][a-z])")  # "ByFiona Leishman" (not "Byron")
_EMAIL = re.compile(r"\S+@\S+")
_BUTTONS = re.compile(r"\s*\b(?:link copied|copy link|comments?|sponsored|follow|twitter|email|bio)\s*$", re.I)
_SPLIT = re.compile(r"\s*(?:[,;|]|\s(?:and|&|und|et|y|e)\s)\s*")
# Words that make a part a role or an affiliation, not a name.
# ("Slate Staff", "Science X staff" are bylines of their own: kept whole.)
_ROLE = re.compile(
    r"\b(?:staff (?:reporter|writer|editor)|reporter|writer|editor(?:-at-large)?|columnist|contributor"
    r"|correspondent|officer|head of|journalist|author|producer|photographer|critic|intern|freelance"
    r"|contributing|senior|chief|director|executive|is a)\b",
    re.I,
)
# Letters after a name (``Lauren Manaker MS, RDN, LD``, ``Ph.D.``) and a station's call sign are not
# names; an all-capital part stays when it is the only name (``AFP``).
_CREDENTIAL = re.compile(r"^(?:[A-Z]{2,4}|Ph\.?\s?D\.?|M\.?D\.?|Jr\.?|Sr\.?)$")
_TRAILING_CREDENTIALS = re.compile(r"(?:\s+(?!(?:II|III|IV|VI|VII)\b)(?:[A-Z]{2,4}|Ph\.?D\.?))+$")
_DOMAIN = re.compile(r"\b\w+\.(?:com|org|net|gov|edu|co\.uk|ca)\b", re.I)  # "NJ Advance Media for NJ.com"
MAX_NAME_WORDS = 5
# A byline longer than this is no byline (the longest in the corpus, with a name, a date and "Last
# Updated", has 78 characters); the rest is not read, so a hostile page's megabyte "author" costs no time
# (the date pattern's search grows with the square of the length: 5 s for 60 kB before this cap).
MAX_BYLINE_CHARS = 500
MAX_BYLINES = 20  # "John Aubrey Douglass", "Laura May Randell": a longer part is a sentence


def author_names(found: list[str], site_names: set[str] = frozenset()) -> list[str]:
    """The person (or agency) names in ``found`` (byline or metadata strings), in order, once each.

    ``site_names``: the site's names as :func:`archive.headline.site_names` gives them (lowercase
    words); a part that is one of them is the publication, not an author."""
    names: list[str] = []
    for raw in found[:MAX_BYLINES]:
        raw = raw[:MAX_BYLINE_CHARS]
        text = " ".join(html.unescape(raw).split()) if "&" in raw else " ".join(raw.split())
        text = _EMAIL.sub("", text)
        text = _LEADING_DATE.sub("", text).strip()
        text = _TAIL.sub("", _lead_in_off(text)).strip()
        for index, part in enumerate(_SPLIT.split(text)):
            part = _BUTTONS.sub("", _lead_in_off(part.strip(" -–—|•·:"))).strip(" -–—|•·:")
            if _DOMAIN.search(part):
                continue
            role = _ROLE.search(part)
            if role and index == 0 and len(part[: role.start()].split()) >= 2:
                # "Jon Talton Columnist", "Saima Sidik Author Saima Sidik is a science journalist",
                # "Bob Condotta Seattle Times staff reporter" (and the site's name goes below)
                part = part[: role.start()].strip()
            elif role:  # "Executive Content Editor"; after a name, an affiliation: ", AP Sports Writer"
                continue
            part = _without_trailing_site(_once(part), site_names)
            if re.search(r"[a-z]", part):
                trimmed = _TRAILING_CREDENTIALS.sub("", part)
                part = trimmed if len(trimmed.split()) >= 2 else part
            if not part or len(part.split()) > MAX_NAME_WORDS:
                continue
            if is_site_name(part, site_names):
                continue
            if not any(normalize_block(part) == normalize_block(seen) for seen in names):
                names.append(part)
    people = [name for name in names if not _CREDENTIAL.match(name)]
    return people or names


def _once(part: str) -> str:
    """"Associated Press Associated Press" (a byline and its screen-reader copy) → once."""
    words = part.split()
    half = len(words) // 2
    return " ".join(words[:half]) if half and len(words) % 2 == 0 and words[:half] == words[half:] else part


def _without_trailing_site(part: str, site_names: set[str]) -> str:
    """"Bob Condotta Seattle Times" on seattletimes.com → "Bob Condotta"."""
    words = part.split()
    for k in (3, 2, 1):
        if len(words) - k >= 2 and is_site_name(" ".join(words[-k:]), site_names):
            return " ".join(words[:-k])
    return part


def _lead_in_off(text: str) -> str:
    return _GLUED_BY.sub("", _LEAD_IN.sub("", text))


