"""Find article URLs in robots.txt, sitemaps (including Google News sitemaps), RSS/Atom feeds and JSON Feeds.

Pure parsing over bytes, no Scrapy: Scrapy's ``SitemapSpider`` drops the ``news:`` fields, so sitemaps
are read here with namespaces; feeds go through feedparser, which copes with the broken feeds real
sites publish and says when it had to (``bozo``); JSON Feeds (jsonfeed.org 1 and 1.1) through ``json``.
Entities are never expanded from outside the document: lxml is told not to resolve them, feedparser
drops the DOCTYPE's external and nested entity declarations, and expat (2.4+) stops an entity bomb.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

import feedparser
from lxml import etree

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
# A sitemap may hold 50,000 URLs and 50 MB uncompressed (sitemaps.org); allow some slack, no more.
MAX_SITEMAP_BYTES = 100 * 1024 * 1024
# Entries read from one sitemap or sitemap index: the protocol's cap on both (sitemaps.org: 50,000 URLs,
# 50,000 sitemaps). Past it the rest of the document is not even parsed: an 800,000-URL (117 MB) sitemap
# took 4.5 s and 700 MB to read whole; the first 50,000 take 0.25 s (by hand, spiders/discovery.py).
MAX_SITEMAP_ENTRIES = 50_000
# Entries read from one feed. Feeds carry the latest items (tens, a few hundred); a site's history is in
# its sitemaps. feedparser takes ~165 µs an item of the reactor's time (a 100,000-item, 19 MB RSS feed:
# 16.5 s and 230 MB, by hand), so 5,000 items is under a second.
MAX_FEED_ENTRIES = 5_000

_ROOT_RE = re.compile(rb"<(?:[A-Za-z0-9_-]+:)?(urlset|sitemapindex|rss|feed|RDF|html)\b", re.I)
_JSON_FEED_RE = re.compile(rb'"version"\s*:\s*"https?://jsonfeed\.org/version/')
# The end of an RSS item or an Atom entry, to cut a feed after MAX_FEED_ENTRIES of them.
_ITEM_END_RE = re.compile(rb"</(?:[A-Za-z0-9_.-]+:)?(?:item|entry)\s*>")


class MalformedDocument(ValueError):
    """The sitemap or feed could not be parsed; ``reason`` is what goes into ``captures``."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


@dataclass
class Entry:
    """One URL a sitemap or feed lists, with what it says about it."""

    url: str
    lastmod: str | None = None
    title: str | None = None
    published: str | None = None
    language: str | None = None


@dataclass
class Listing:
    kind: str  # "urlset", "sitemapindex" or "feed"
    entries: list[Entry] = field(default_factory=list)
    warning: str | None = None  # set when the document was broken but partly readable
    capped: bool = False  # it listed more than MAX_SITEMAP_ENTRIES / MAX_FEED_ENTRIES: the first ones were read


GZIP_MAGIC = b"\x1f\x8b"


def maybe_gunzip(body: bytes, limit: int = MAX_SITEMAP_BYTES) -> bytes:
    """Sitemaps are often served as ``.xml.gz`` files (not Content-Encoding): inflate them, to at most
    ``limit`` bytes."""
    if body[:2] != GZIP_MAGIC:
        return body
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, limit)
    except (zlib.error, OSError, EOFError, gzip.BadGzipFile) as exc:
        raise MalformedDocument("malformed-gzip", str(exc)) from exc


SNIFF_BYTES = 2048


def _head(body: bytes) -> bytes:
    """The first SNIFF_BYTES of the document, inflated when it is a gzip file (``sitemap.xml.gz``
    served as ``application/gzip``, not as a Content-Encoding, which the download already decoded)."""
    try:
        return maybe_gunzip(body[: SNIFF_BYTES * 64], SNIFF_BYTES)[:SNIFF_BYTES]
    except MalformedDocument:
        return b""


def _is_json(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


# The signatures of files a server may send under text/html (a broken CMS, an image at an article's URL):
# PNG, JPEG, GIF, PDF, ZIP (docx, epub), WebP/WAV (RIFF), MP4/MOV (ftyp at byte 4), Ogg, 7z.
_BINARY_MAGIC_RE = re.compile(rb"\x89PNG\r\n|\xff\xd8\xff|GIF8[79]a|%PDF-|PK\x03\x04|RIFF....(?:WEBP|WAVE)|....ftyp|OggS|"
                              rb"7z\xbc\xaf", re.S)


def sniff_kind(body: bytes, content_type: str | None = None) -> str:
    """``sitemap``, ``feed``, ``html`` or ``other``, from the document's root element (a gzip file
    is looked into first); a JSON Feed by its ``version`` or its ``application/feed+json`` type; a
    file with a binary signature is ``other`` whatever its Content-Type says."""
    if _BINARY_MAGIC_RE.match(body[:16]):
        return "other"
    head = _head(body)
    match = _ROOT_RE.search(head)
    if match:
        root = match.group(1).lower()
        if root in (b"urlset", b"sitemapindex"):
            return "sitemap"
        if root in (b"rss", b"feed", b"rdf"):
            return "feed"
        return "html"
    ctype = (content_type or "").lower()
    if "feed+json" in ctype or (_is_json(head) and _JSON_FEED_RE.search(head)):
        return "feed"
    if body[:2] == GZIP_MAGIC:
        return "other"  # a gzip file of something else (or a broken one)
    if "html" in ctype:
        return "html"
    if "rss" in ctype or "atom" in ctype:
        return "feed"
    if "xml" in ctype:
        return "sitemap"
    return "other"


def robots_sitemaps(body: bytes) -> list[str]:
    """``Sitemap:`` lines of a robots.txt (each once; the caller bounds the body's size)."""
    urls: dict[str, None] = {}
    for line in body.decode("utf-8", "replace").splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            urls[value.strip()] = None
    return list(urls)


def _child_text(node, tag: str) -> str | None:
    found = node.find(tag)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def parse_sitemap(body: bytes, limit: int = MAX_SITEMAP_ENTRIES) -> Listing:
    """Parse a sitemap or sitemap index, its first ``limit`` entries (``capped`` when it has more; the
    rest is not parsed). Broken XML is read as far as it goes (``warning`` set); a document with nothing
    readable raises :class:`MalformedDocument`."""
    body = maybe_gunzip(body)
    try:
        return _read_sitemap(body, limit, recover=False)
    except etree.XMLSyntaxError as exc:
        warning = f"malformed-xml: {exc}"
    try:
        listing = _read_sitemap(body, limit, recover=True) if body.strip() else None
    except etree.XMLSyntaxError:
        listing = None
    if listing is None or not listing.entries:
        raise MalformedDocument("malformed-xml", warning)
    listing.warning = warning
    return listing


def _read_sitemap(body: bytes, limit: int, recover: bool) -> Listing | None:
    """One pass over the document's elements, each ``<url>``/``<sitemap>`` dropped once read: memory
    holds the entries, not the tree. None when no element was found at all."""
    events = etree.iterparse(
        io.BytesIO(body), events=("start", "end"), resolve_entities=False, no_network=True, huge_tree=False,
        recover=recover,
    )
    listing = None
    for event, node in events:
        if listing is None:  # the root element's start
            kind = etree.QName(node).localname.lower()
            if kind not in ("urlset", "sitemapindex"):
                raise MalformedDocument("not-a-sitemap", f"root element <{kind}>")
            listing = Listing(kind=kind)
            child = "url" if kind == "urlset" else "sitemap"
            ns = node.nsmap.get(None) or SITEMAP_NS
            tags = (f"{{{ns}}}{child}", child)
            continue
        if event != "end" or node.tag not in tags:
            continue
        if len(listing.entries) >= limit:
            listing.capped = True
            break
        entry = _sitemap_entry(node, ns)
        if entry is not None:
            listing.entries.append(entry)
        node.clear(keep_tail=True)
        while node.getprevious() is not None:
            del node.getparent()[0]
    return listing


def _sitemap_entry(node, ns: str) -> Entry | None:
    loc = _child_text(node, f"{{{ns}}}loc") or _child_text(node, "loc")
    if not loc:
        return None
    entry = Entry(url=loc, lastmod=_child_text(node, f"{{{ns}}}lastmod") or _child_text(node, "lastmod"))
    news = node.find(f"{{{NEWS_NS}}}news")
    if news is not None:
        entry.title = _child_text(news, f"{{{NEWS_NS}}}title")
        entry.published = _child_text(news, f"{{{NEWS_NS}}}publication_date")
        publication = news.find(f"{{{NEWS_NS}}}publication")
        if publication is not None:
            entry.language = _child_text(publication, f"{{{NEWS_NS}}}language")
    return entry


def _iso(parsed) -> str:
    year, month, day, hour, minute, second = parsed[:6]
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}Z"


def _feed_date(entry) -> str | None:
    for key in ("updated_parsed", "published_parsed"):
        # dict.get, not entry.get: feedparser maps a missing updated_parsed to published_parsed with a
        # DeprecationWarning; we ask for each key ourselves.
        parsed = dict.get(entry, key)
        if parsed:
            return _iso(parsed)
    return None


# What feedparser calls a bozo feed but read whole: a feed served as text/html or text/plain, or with a
# charset its Content-Type contradicts (text/xml means us-ascii to RFC 3023, whatever the document says).
_WRONG_LABEL = (feedparser.NonXMLContentType, feedparser.CharacterEncodingOverride)


def _first_items(body: bytes, limit: int) -> tuple[bytes, bool]:
    """The feed cut to its first ``limit`` items (what comes after its last item kept: the closing tags),
    and whether it was cut."""
    ends = _ITEM_END_RE.finditer(body)
    cut = last = None
    for count, match in enumerate(ends, 1):
        if count == limit:
            cut = match.end()
        elif count > limit:
            last = match.end()
            for last_match in ends:
                last = last_match.end()
            break
    if last is None:
        return body, False
    return body[:cut] + body[last:], True


def parse_feed(body: bytes, url: str = "", content_type: str | None = None, limit: int = MAX_FEED_ENTRIES) -> Listing:
    """Parse RSS 0.9x/1.0/2.0, Atom or a JSON Feed, its first ``limit`` items. Broken feeds are read as
    far as feedparser can."""
    body = maybe_gunzip(body)
    if _is_json(body[:SNIFF_BYTES]) or "json" in (content_type or "").lower():
        return parse_json_feed(body, limit)
    body, capped = _first_items(body, limit)
    headers = {"content-type": content_type or "application/xml"}
    if "gzip" in headers["content-type"]:
        headers["content-type"] = "application/xml"
    if url:
        headers["content-location"] = url  # resolves relative links in the feed
    parsed = feedparser.parse(body, response_headers=headers)
    language = parsed.feed.get("language")
    entries = []
    for item in parsed.entries:
        link = item.get("link")
        if not link:
            links = [ln.get("href") for ln in item.get("links", []) if ln.get("href")]
            link = links[0] if links else None
        if not link:
            continue
        published = dict.get(item, "published_parsed")
        entries.append(
            Entry(
                url=link.strip(),
                lastmod=_feed_date(item),
                title=item.get("title"),
                published=_iso(published) if published else None,
                language=language,
            )
        )
    warning = None
    if parsed.bozo and not isinstance(parsed.get("bozo_exception"), _WRONG_LABEL):
        detail = str(parsed.get("bozo_exception", "unknown error"))
        if not entries:
            raise MalformedDocument("malformed-feed", detail)
        warning = f"malformed-feed: {detail}"
    return Listing(kind="feed", entries=entries[:limit], warning=warning, capped=capped)


def _rfc3339(value) -> str | None:
    """A JSON Feed date (RFC 3339) as the RSS/Atom path gives it: UTC, ``YYYY-MM-DDTHH:MM:SSZ``."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def parse_json_feed(body: bytes, limit: int = MAX_FEED_ENTRIES) -> Listing:
    """Parse a JSON Feed (https://jsonfeed.org, versions 1 and 1.1): each item's ``url`` (its own page;
    ``external_url`` is the page it is about, elsewhere), ``title``, ``date_published``, ``date_modified``,
    and its ``language`` (1.1), else the feed's."""
    try:
        feed = json.loads(body)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise MalformedDocument("malformed-feed", f"not JSON: {exc}") from exc
    if not isinstance(feed, dict) or not isinstance(feed.get("items"), list):
        raise MalformedDocument("malformed-feed", "not a JSON Feed: no items list")
    language = _text(feed.get("language"))
    entries = []
    for item in feed["items"][:limit]:
        url = _text(item.get("url")) if isinstance(item, dict) else None
        if not url:
            continue
        published = _rfc3339(item.get("date_published"))
        entries.append(
            Entry(
                url=url,
                lastmod=_rfc3339(item.get("date_modified")) or published,
                title=_text(item.get("title")),
                published=published,
                language=_text(item.get("language")) or language,
            )
        )
    return Listing(kind="feed", entries=entries, capped=len(feed["items"]) > limit)
