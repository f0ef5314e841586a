"""What a page embeds (its requisites): the images, stylesheets, scripts and fonts a replay needs.

Read from the page's lxml tree (``page_requisites``), from the attributes a byte scan read without a tree
(``requisites_of``, spiders/rawlinks.py: the same rules), and from a stylesheet's text (``css_requisites``),
as Heritrix's ``ExtractorHTML``/``ExtractorCSS`` and browsertrix-crawler capture them. What counts:

- ``<img>``: ``src``, the largest candidate of ``srcset``, and the lazy-load attributes ``data-src``,
  ``data-lazy-src`` and ``data-srcset`` (largest candidate);
- ``<picture><source srcset>`` (largest candidate; also its ``data-srcset``);
- ``<link href>`` whose ``rel`` is ``stylesheet`` (also ``alternate stylesheet``), an icon (``icon``,
  ``shortcut icon``, ``apple-touch-icon``, ``mask-icon``…), ``preload`` of a style, script, font or
  image, or ``modulepreload``; hints that fetch nothing a page shows (``prefetch``, ``preconnect``,
  ``dns-prefetch``, ``manifest``) are left out;
- ``<script src>``; ``<video poster>``;
- ``url(…)`` and ``@import`` in the page's ``<style>`` elements and ``style`` attributes.

Left out on purpose: ``<video src>``, ``<audio src>`` and their ``<source src>`` (media files run to
hundreds of MB, and nothing tells their size before the fetch), ``<iframe>``/``<object>``/``<embed>``
(documents of their own, not embeds of this one). Only ``http``/``https`` URLs are kept: ``data:``,
``blob:``, ``javascript:`` and the like are skipped; fragments are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from urllib.parse import urljoin

# A hostile page must not flood the scheduler. 300: the heaviest corpus page embeds ~150 resources.
MAX_REQUISITES_PER_PAGE = 300
MAX_REQUISITES_PER_STYLESHEET = 300

LINK_RELS = frozenset({"stylesheet", "icon", "apple-touch-icon", "apple-touch-icon-precomposed", "mask-icon",
                       "modulepreload"})
PRELOAD_AS = frozenset({"style", "script", "font", "image"})
IMG_URL_ATTRS = ("src", "data-src", "data-lazy-src")
SRCSET_ATTRS = ("srcset", "data-srcset")

_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.S)
# url(x), url('x'), url("x"); @import "x" / @import 'x' (``@import url(x)`` is caught by the first).
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.I)
_CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)
_DESCRIPTOR = re.compile(r"^(\d+(?:\.\d+)?)([wx])$", re.I)


# The HTML standard's srcset tokens, by regular expression (the character loop it describes cost 40% of
# the rules' time on the corpus pages): a URL is a run of non-space characters after spaces and commas;
# its descriptors run to the next comma, unless the URL itself ended with one.
_SRCSET_URL = re.compile(r"[\s,]*(\S*)")
_SRCSET_DESCRIPTORS = re.compile(r"[^,]*,?")


def largest_candidate(srcset: str) -> str | None:
    """The URL of the largest candidate of a ``srcset`` (by width ``w``, else density ``x``; a candidate
    without a descriptor is ``1x``), parsed as the HTML standard says: a URL is a run of non-space
    characters (it may hold commas, as image-CDN URLs do), trailing commas end it."""
    if "(" in srcset:  # descriptors with parentheses (future syntax) may hold commas: the full algorithm
        return _largest(_standard_candidates(srcset))
    return _largest(_candidates(srcset))


def _largest(candidates: Iterable[tuple[str, str]]) -> str | None:
    best, best_key = None, None
    for url, descriptors in candidates:
        key = (0, 1.0)  # no descriptor: 1x
        for token in descriptors.split():
            match = _DESCRIPTOR.match(token)
            if match:
                key = (1 if match[2].lower() == "w" else 0, float(match[1]))
        if best_key is None or key > best_key:
            best, best_key = url, key
    return best


def _candidates(srcset: str) -> Iterator[tuple[str, str]]:
    """(URL, descriptors) of each candidate, by regular expression (no parentheses in ``srcset``)."""
    pos, n = 0, len(srcset)
    while pos < n:
        match = _SRCSET_URL.match(srcset, pos)
        url, pos = match[1], match.end()
        descriptors = ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            found = _SRCSET_DESCRIPTORS.match(srcset, pos)
            descriptors, pos = found[0].rstrip(","), found.end()
        if url:
            yield url, descriptors


def _standard_candidates(text: str) -> Iterator[tuple[str, str]]:
    """(URL, descriptors) of each candidate, character by character as the HTML standard describes it."""
    pos, n = 0, len(text)
    while pos < n:
        while pos < n and (text[pos].isspace() or text[pos] == ","):
            pos += 1
        start = pos
        while pos < n and not text[pos].isspace():
            pos += 1
        url = text[start:pos]
        descriptors = ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            start, depth = pos, 0
            while pos < n and (text[pos] != "," or depth):
                depth += {"(": 1, ")": -1}.get(text[pos], 0)
                pos += 1
            descriptors = text[start:pos].strip()
        if url:
            yield url, descriptors


def resolve(base: str, value: str | None) -> str | None:
    """An absolute http(s) URL without fragment, or None (``data:``, ``javascript:``, empty…)."""
    if not value:
        return None
    value = value.strip()
    if not value or value.startswith(("data:", "#")):
        return None
    try:
        url = urljoin(base, value).split("#", 1)[0]
    except ValueError:  # an invalid IPv6 literal and the like
        return None
    scheme, colon, _ = url.partition(":")
    return url if colon and scheme.lower() in ("http", "https") else None


def css_urls(text: str) -> Iterator[str]:
    """Raw ``url(…)`` and ``@import`` targets of a stylesheet, in order, comments skipped."""
    text = _CSS_COMMENT.sub(" ", text)
    found = [(m.start(), m[1] if m[1] is not None else m[2] if m[2] is not None else m[3])
             for m in _CSS_URL.finditer(text)]
    found += [(m.start(), m[1] if m[1] is not None else m[2]) for m in _CSS_IMPORT.finditer(text)]
    for _, value in sorted(found):
        yield value


def css_requisites(text: str, base: str) -> list[str]:
    """Absolute URLs a stylesheet loads (fonts, background images, imported stylesheets)."""
    return _unique((resolve(base, value) for value in css_urls(text)), MAX_REQUISITES_PER_STYLESHEET)


def _link_wanted(attrs: Mapping[str, str]) -> bool:
    rels = set((attrs.get("rel") or "").lower().split())
    if rels & LINK_RELS or any(rel.endswith("icon") for rel in rels):
        return True
    return "preload" in rels and (attrs.get("as") or "").lower() in PRELOAD_AS


# What the rules read of an element, whoever collected it (an lxml tree here, spiders/rawlinks.py's byte
# scan for an article page): its tag (lower-case), its attributes, whether it is inside a ``<picture>``
# (read for a ``<source>`` only) and its text (for a ``<style>``).
Element = tuple[str, Mapping[str, str], bool, str]


def _tree_elements(tree) -> Iterator[Element]:
    for element in tree.iter("img", "source", "link", "script", "video", "style"):
        tag = element.tag
        if tag == "source":
            # inside a <picture>: libxml2 (2.14) knows no void <source>, so a picture's second source
            # nests in its first; any picture ancestor makes it the picture's, as in a browser
            yield tag, element.attrib, any(a.tag == "picture" for a in element.iterancestors("picture")), ""
        else:
            yield tag, element.attrib, False, (element.text or "") if tag == "style" else ""


def _raw_values(elements: Iterable[Element], style_attributes: Iterable[str]) -> Iterator[tuple[str | None, bool]]:
    """(raw URL, is a stylesheet) for each embed of the page: its elements' in document order, then its
    ``style`` attributes' in document order."""
    for tag, attrs, in_picture, text in elements:
        if tag == "img":
            for attr in IMG_URL_ATTRS:
                yield attrs.get(attr), False
        if tag in ("img", "source"):
            if tag == "source" and not in_picture:
                continue  # <video>/<audio> sources: left out (see the module docstring)
            for attr in SRCSET_ATTRS:
                if attrs.get(attr):
                    yield largest_candidate(attrs[attr]), False
        elif tag == "link" and _link_wanted(attrs):
            yield attrs.get("href"), "stylesheet" in (attrs.get("rel") or "").lower().split()
        elif tag == "script":
            yield attrs.get("src"), False
        elif tag == "video":
            yield attrs.get("poster"), False
        elif tag == "style":
            for value in css_urls(text):
                yield value, False
    for style in style_attributes:
        if "url(" in style:
            for value in css_urls(style):
                yield value, False


def page_requisites(tree, url: str) -> list[tuple[str, bool]]:
    """(absolute URL, is a stylesheet) of everything the page embeds, each once, in document order.

    ``tree`` is the page's lxml HTML tree; relative URLs resolve against ``<base href>`` when the page
    has one."""
    base_hrefs = tree.xpath("//base/@href")[:1]
    styles = (str(style) for style in tree.xpath("//@style[contains(., 'url(')]"))
    return requisites_of(_tree_elements(tree), styles, str(base_hrefs[0]) if base_hrefs else None, url)


def requisites_of(elements: Iterable[Element], style_attributes: Iterable[str], base_href: str | None,
                  url: str) -> list[tuple[str, bool]]:
    """``page_requisites`` of a page read without a tree: its ``img``, ``source``, ``link``, ``script``,
    ``video`` and ``style`` elements in document order (see ``Element``; attribute values unescaped, as a
    parser gives them), the values of its ``style`` attributes in document order, and the ``href`` of its
    first ``<base>`` that has one."""
    base = url
    if base_href is not None:
        base = resolve(url, base_href) or url
    found: dict[str, bool] = {}
    resolved: dict[str | None, str | None] = {}  # a page names the same file many times (src, data-src…)
    for value, stylesheet in _raw_values(elements, style_attributes):
        absolute = resolved[value] if value in resolved else resolved.setdefault(value, resolve(base, value))
        if absolute is None:
            continue
        found[absolute] = found.get(absolute, False) or stylesheet
        if len(found) >= MAX_REQUISITES_PER_PAGE:
            break
    return list(found.items())


def _unique(urls: Iterable[str | None], limit: int) -> list[str]:
    seen: dict[str, None] = {}
    for url in urls:
        if url is not None:
            seen[url] = None
            if len(seen) >= limit:
                break
    return list(seen)
