"""Find article URLs in robots.txt, sitemaps (including Google News sitemaps) and RSS/Atom feeds.

Pure parsing over bytes, no Scrapy: Scrapy's ``SitemapSpider`` drops the ``news:`` fields, so sitemaps
are read here with namespaces; feeds go through feedparser, which copes with the broken feeds real
sites publish and says when it had to (``bozo``).
"""

from __future__ import annotations

import gzip
import re
import zlib
from dataclasses import dataclass, field

import feedparser
from lxml import etree

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
# A sitemap may hold 50,000 URLs and 50 MB uncompressed (sitemaps.org); allow some slack, no more.
MAX_SITEMAP_BYTES = 100 * 1024 * 1024

_ROOT_RE = re.compile(rb"<(?:[A-Za-z0-9_-]+:)?(urlset|sitemapindex|rss|feed|RDF|html)\b", re.I)


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


def sniff_kind(body: bytes, content_type: str | None = None) -> str:
    """``sitemap``, ``feed``, ``html`` or ``other``, from the document's root element (a gzip file
    is looked into first)."""
    head = _head(body)
    match = _ROOT_RE.search(head)
    if match:
        root = match.group(1).lower()
        if root in (b"urlset", b"sitemapindex"):
            return "sitemap"
        if root in (b"rss", b"feed", b"rdf"):
            return "feed"
        return "html"
    if body[:2] == GZIP_MAGIC:
        return "other"  # a gzip file of something else (or a broken one)
    ctype = (content_type or "").lower()
    if "html" in ctype:
        return "html"
    if "rss" in ctype or "atom" in ctype:
        return "feed"
    if "xml" in ctype:
        return "sitemap"
    return "other"


def robots_sitemaps(body: bytes) -> list[str]:
    """``Sitemap:`` lines of a robots.txt."""
    urls = []
    for line in body.decode("utf-8", "replace").splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            urls.append(value.strip())
    return urls


def _child_text(node, tag: str) -> str | None:
    found = node.find(tag)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def parse_sitemap(body: bytes) -> Listing:
    """Parse a sitemap or sitemap index. Broken XML is read as far as it goes (``warning`` set);
    a document with nothing readable raises :class:`MalformedDocument`."""
    body = maybe_gunzip(body)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    warning = None
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        warning = f"malformed-xml: {exc}"
        recovering = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
        try:
            root = etree.fromstring(body, recovering) if body.strip() else None
        except etree.XMLSyntaxError:
            root = None
        if root is None:
            raise MalformedDocument("malformed-xml", str(exc)) from exc
    kind = etree.QName(root).localname.lower()
    if kind not in ("urlset", "sitemapindex"):
        raise MalformedDocument("not-a-sitemap", f"root element <{kind}>")
    child = "url" if kind == "urlset" else "sitemap"
    ns = root.nsmap.get(None) or SITEMAP_NS
    entries = []
    for node in root.iter(f"{{{ns}}}{child}", child):
        loc = _child_text(node, f"{{{ns}}}loc") or _child_text(node, "loc")
        if not loc:
            continue
        entry = Entry(url=loc, lastmod=_child_text(node, f"{{{ns}}}lastmod") or _child_text(node, "lastmod"))
        news = node.find(f"{{{NEWS_NS}}}news")
        if news is not None:
            entry.title = _child_text(news, f"{{{NEWS_NS}}}title")
            entry.published = _child_text(news, f"{{{NEWS_NS}}}publication_date")
            publication = news.find(f"{{{NEWS_NS}}}publication")
            if publication is not None:
                entry.language = _child_text(publication, f"{{{NEWS_NS}}}language")
        entries.append(entry)
    if warning and not entries:
        raise MalformedDocument("malformed-xml", warning)
    return Listing(kind=kind, entries=entries, warning=warning)


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


def parse_feed(body: bytes, url: str = "", content_type: str | None = None) -> Listing:
    """Parse RSS 0.9x/1.0/2.0 or Atom. Broken feeds are read as far as feedparser can."""
    body = maybe_gunzip(body)
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
    if parsed.bozo:
        detail = str(parsed.get("bozo_exception", "unknown error"))
        if not entries:
            raise MalformedDocument("malformed-feed", detail)
        warning = f"malformed-feed: {detail}"
    return Listing(kind="feed", entries=entries, warning=warning)
