"""What an article page links to, read without building its tree: announced feeds and attachment links.

The spider needs only two things from a page it already knows is an article (by its URL): the feeds it
announces (``<link rel="alternate" type="application/rss+xml" href=…>``) and links to attachments (PDFs,
images, office files). Parsing a 300 kB news page with lxml for those took 1.3 ms, the largest single
cost of an archive-only crawl (bench/); scanning its tags with regular expressions, as Heritrix's
``ExtractorHTML`` does, takes a third of that. Listings, front pages and pages that must declare what
they are still get lxml's tree (spiders/news.py).

Tags are matched with their quoted attribute values (so a ``>`` inside a quoted title does not end the
tag); attribute values are HTML-unescaped. Unlike a parser, the scan does not skip comments and
``<script>`` text. Markup inside JavaScript strings is escaped (``<a href=\\"https:\\/\\/…\\">``), and an href
with a backslash is skipped (on the 602 corpus pages that leaves the scan's feeds and attachment links
identical to lxml's); a link written plainly in a comment or script is found, which costs at most one
extra fetch of a same-site attachment.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

# `<a …>` and `<link …>` start tags; possessive quantifiers, so a tag that never closes cannot backtrack.
TAG = re.compile(r"""<(a|link)\s((?:[^>"']++|"[^"]*+"|'[^']*+')*+)>""", re.I)
ATTRIBUTE = re.compile(r"""([^\s=/>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
# Cheap test on a whole `<a>` tag before its attributes are read: could one of them name an attachment?
ATTACHMENT_HINT = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|odt|csv|jpe?g|png|gif|webp)(?![a-z0-9])", re.I)


def attributes(tag_body: str) -> dict[str, str]:
    """The attributes of a start tag (first occurrence wins, as in browsers), names lower-cased."""
    found: dict[str, str] = {}
    for match in ATTRIBUTE.finditer(tag_body):
        name = match.group(1).lower()
        if name not in found:
            value = next(v for v in match.group(2, 3, 4) if v is not None)
            found[name] = html.unescape(value) if "&" in value else value
    return found


def scan(text: str) -> tuple[list[dict[str, str]], list[str]]:
    """``(alternate links, candidate attachment hrefs)`` of an HTML page, in document order.

    Alternate links are the attribute dicts of ``<link>`` tags whose ``rel`` includes ``alternate``;
    candidate hrefs are the raw ``href`` values of ``<a>`` tags that mention an attachment extension
    (the caller resolves and tests them, as it does hrefs from a tree)."""
    alternates: list[dict[str, str]] = []
    hrefs: list[str] = []
    for match in TAG.finditer(text):
        body = match.group(2)
        if match.group(1) in ("a", "A"):
            if ATTACHMENT_HINT.search(body) and (href := attributes(body).get("href")) and "\\" not in href:
                hrefs.append(href)
        elif "alternate" in body.lower():
            attrs = attributes(body)
            if "alternate" in attrs.get("rel", "").lower().split():
                alternates.append(attrs)
    return alternates, hrefs


def iter_feed_links(alternates: list[dict[str, str]], feed_types: tuple[str, ...]) -> Iterator[str]:
    for attrs in alternates:
        if attrs.get("type", "").strip().lower() in feed_types and attrs.get("href"):
            yield attrs["href"]
