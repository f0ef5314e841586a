"""Metadata a page declares about itself: Open Graph, ``article:*`` meta tags, JSON-LD, ``<html lang>``.

Works on an lxml tree, so the spider can reuse the tree parsel already built, and extraction can reuse
the tree trafilatura gets. Declared metadata is exact where text heuristics guess, so it wins when present.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree

from archive.dates import iso_date

# schema.org types that mean "this page is one article". Calibrated on the AEB/NAEB corpora
# (../shared/corpus): every JSON-LD type seen on their article pages is in this set.
ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "askpublicnewsarticle",
        "blogposting",
        "liveblogposting",
        "report",
        "scholarlyarticle",
        "socialmediaposting",
    }
)
_LANG_RE = re.compile(r"^[A-Za-z]{2,3}")


@dataclass
class PageMeta:
    og_type: str | None = None
    jsonld_types: set[str] = field(default_factory=set)
    title: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    published: str | None = None
    modified: str | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    section: str | None = None
    description: str | None = None
    image: str | None = None
    site_name: str | None = None
    # The schema.org articleBody the page declares (plain text, or HTML on some sites), if any.
    article_body: str | None = None

    @property
    def declares_article(self) -> bool:
        """The page says it is an article (Open Graph or schema.org)."""
        return self.og_type in ("article", "news", "newsarticle") or bool(self.jsonld_types & ARTICLE_TYPES)

    @property
    def declares_non_article(self) -> bool:
        """The page says it is something else (a section front, a profile, a video page...)."""
        return self.og_type not in (None, "", "article", "news", "newsarticle") and not (
            self.jsonld_types & ARTICLE_TYPES
        )


def normalize_language(value: str | None) -> str | None:
    """``en-US`` / ``en_GB`` / ``EN`` → ``en``: the primary subtag researchers filter on."""
    if not value:
        return None
    match = _LANG_RE.match(value.strip())
    return match.group(0).lower() if match else None


def _meta(tree, *names: str) -> str | None:
    return next(_meta_values(tree, *names), None)


def _meta_values(tree, *names: str) -> Iterator[str]:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            values = tree.xpath(f"//meta[@{attr}=$n]/@content", n=name)
            for value in values:
                if value and value.strip():
                    yield value.strip()


def _first_date(jsonld_value, tree, *names: str) -> str | None:
    candidates = itertools.chain([_text(jsonld_value)], _meta_values(tree, *names))
    return next((found for found in map(iso_date, candidates) if found), None)


def _meta_all(tree, name: str) -> list[str]:
    values = tree.xpath("//meta[@property=$n or @name=$n]/@content", n=name)
    return [v.strip() for v in values if v and v.strip()]


def _iter_jsonld(tree):
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(script)
        except (ValueError, TypeError, RecursionError):  # RecursionError: brackets nested thousands deep
            continue
        stack = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                if "@graph" in node:
                    stack.append(node["@graph"])
                yield node


def _types(node: dict) -> set[str]:
    value = node.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return {str(v).rsplit("/", 1)[-1].lower() for v in values if v}


def _names(value) -> list[str]:
    values = value if isinstance(value, list) else [value]
    names = []
    for item in values:
        if isinstance(item, dict):
            item = item.get("name")
        if isinstance(item, str) and item.strip():
            names.append(item.strip())
    return names


def _text(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id")
    return value.strip() if isinstance(value, str) and value.strip() else None


def page_metadata(tree: etree._Element, url: str) -> PageMeta:
    """Read what the page declares. ``tree`` is an lxml HTML tree; nothing is modified."""
    meta = PageMeta()
    og_type = _meta(tree, "og:type")
    meta.og_type = og_type.lower() if og_type else None
    article_node: dict | None = None
    for node in _iter_jsonld(tree):
        types = _types(node)
        meta.jsonld_types |= types
        if article_node is None and types & ARTICLE_TYPES:
            article_node = node
    node = article_node or {}
    body = node.get("articleBody")
    meta.article_body = body if isinstance(body, str) and body.strip() else None

    canonical = tree.xpath('//link[@rel="canonical"]/@href') or [_meta(tree, "og:url") or ""]
    meta.canonical_url = urljoin(url, canonical[0].strip()) if canonical[0].strip() else None
    html_lang = tree.xpath("/html/@lang | /html/@xml:lang")
    meta.language = normalize_language(
        _text(node.get("inLanguage"))
        or (html_lang[0] if html_lang else None)
        or _meta(tree, "og:locale", "content-language", "language", "dc.language")
        or next(iter(tree.xpath('//meta[@http-equiv="content-language" or @http-equiv="Content-Language"]/@content')), None)
    )
    meta.title = _text(node.get("headline")) or _meta(tree, "og:title", "twitter:title")
    # The first declared date that is a date, as ISO 8601 (archive/dates.py).
    meta.published = _first_date(
        node.get("datePublished"), tree, "article:published_time", "datePublished", "pubdate", "publishdate",
        "dc.date", "date",
    )
    meta.modified = _first_date(
        node.get("dateModified"), tree, "article:modified_time", "dateModified", "og:updated_time", "last-modified"
    )
    meta.authors = _names(node.get("author")) or _meta_all(tree, "article:author") or _meta_all(tree, "author")
    meta.authors = [a for a in meta.authors if not a.startswith("http")]
    keywords = node.get("keywords")
    if isinstance(keywords, str):
        keywords = [k for k in keywords.split(",")]
    meta.tags = [t.strip() for t in (_meta_all(tree, "article:tag") or keywords or []) if isinstance(t, str) and t.strip()]
    meta.section = _text(node.get("articleSection")) or _meta(tree, "article:section")
    meta.description = _text(node.get("description")) or _meta(tree, "og:description", "description")
    image = _text(node.get("image")) or _meta(tree, "og:image", "twitter:image")
    meta.image = urljoin(url, image) if image else None
    publisher = node.get("publisher")
    meta.site_name = _meta(tree, "og:site_name") or (_names(publisher) or [None])[0]
    return meta
