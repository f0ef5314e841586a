"""What an article page links to and embeds, read without building its tree.

The spider needs only a few things from a page it already knows is an article (by its URL): the feeds
it announces (``<link rel="alternate" type="application/rss+xml" href=…>``), links to attachments (PDFs,
images, office files) and, with page requisites on, what it embeds (archive/requisites.py). Parsing a
300 kB news page with lxml for those took 1.3 ms, the largest single cost of an archive-only crawl
(bench/); scanning its tags with regular expressions, as Heritrix's ``ExtractorHTML`` does, takes a third
of that (``scan``, links only). ``scan_page`` reads the embeds in the same pass: the attributes of
``img``, ``source``, ``link``, ``script``, ``video`` and ``base``, the text of ``<style>`` and the
``style`` attribute of any tag, which archive/requisites.py's ``requisites_of`` turns into the URLs
``page_requisites`` finds on lxml's tree, by the same rules (every corpus page: tests/test_rawlinks.py).
Listings, front pages and pages that must declare what they are still get lxml's tree (spiders/news.py).

Tags are matched with their quoted attribute values (so a ``>`` inside a quoted title does not end the
tag; a quote opens a value only after ``=``, as HTML tokenizes it); attribute values are HTML-unescaped.
Like a parser (lxml/libxml2 2.14 and browsers tokenize HTML the same way here), the scan skips comments
(``<!-- … -->``, also ended by ``--!>``; ``<!-->`` is an empty one; unclosed, the rest of the page) and
the text of ``<script>`` and ``<style>`` (and, in ``scan_page``, ``<iframe>``) up to their end tag
(unclosed, the rest of the page; ``<script …/>`` closes itself, as in libxml2; in ``scan_page``, a
``<script>`` written after a ``<!--`` in a script's text, HTML's "double-escaped" state, does not end it
at its ``</script>``), in the same pass: one regular expression matches either a block to skip or a tag
to read, so a link written in a comment or built by a script costs no fetch. An href with a backslash is
skipped too (markup escaped in a string: ``<a href=\\"https:\\/\\/…\\">``). Not skipped as a parser
would: the text of ``<textarea>``, ``<title>``, ``<xmp>``, ``<noembed>`` and ``<noframes>``, and, in
``scan``, that of ``<iframe>`` and the double-escaped state (``scan`` does not read other tags whole, so
an ``<iframe`` written in an attribute value would hide the rest of a page from it); the corpus pages
need none of them.

A ``<source>`` is a ``<picture>``'s when it comes between ``<picture>`` and ``</picture>``, as a browser
sees it (libxml2 2.14 knows no void ``<source>`` and nests a picture's second source in its first;
``page_requisites`` therefore takes any ``<picture>`` ancestor, and the two agree).
"""

from __future__ import annotations

import codecs
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from spiders.urlshapes import ATTACHMENT_EXTENSIONS

# The scan runs on the raw bytes (no decoding of the whole page) when the page's encoding writes ASCII
# as ASCII and never uses the bytes of `<>"'=\-!/` inside a multi-byte character; other pages are
# re-encoded to UTF-8 first.
ASCII_SAFE_ENCODINGS = frozenset(
    {"utf-8", "ascii", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",
     "cp1258", "koi8-r", "koi8-u", "euc_jp", "euc_kr", "gb2312", "gbk", "gb18030"}
    | {f"iso8859-{n}" for n in range(1, 17)}
)
# A quote opens a value only after `=` (a stray `"` elsewhere is part of a name, as HTML tokenizes it).
_ATTRS = rb"""(?:[^>=]++|=\s*+(?:"[^"]*+"|'[^']*+')?+)*+"""


def _either_case(name: bytes) -> bytes:
    """``img`` → ``[iI][mM][gG]``: with re.IGNORECASE the engine scans for `<` half as fast (bench/)."""
    return b"".join(b"[%c%c]" % (c, bytes([c]).upper()[0]) for c in name)


_SCRIPT, _STYLE, _PICTURE = _either_case(b"script"), _either_case(b"style"), _either_case(b"picture")
_COMMENT = rb"!--(?:-?>|(?:[^-]++|-(?!-!?>))*+(?:--!?>)?+)"  # `<!-->` is empty; `--!>` ends one too
# `<script …/>` closes itself in libxml2 (browsers ignore the slash)
# A script's text, with HTML's escaped states (which libxml2 follows): after a `<!--`, a `<script>` opens a
# "double-escaped" part that its `</script>` closes without ending the element; `-->` ends both.
_SCRIPT_END = rb"</" + _SCRIPT + rb"[\s/>]"
_SCRIPT_ESCAPED = rb"(?:[^<-]++|-(?!->)|<(?!/?" + _SCRIPT + rb"[\s/>]))*+"
_SCRIPT_TEXT = (
    rb"(?:(?<=/>)|(?:[^<]++|<(?!/" + _SCRIPT + rb"[\s/>]|!--))*+"
    rb"(?:<!--(?:-?>)?+" + _SCRIPT_ESCAPED + rb"(?:<" + _SCRIPT + rb"[\s/>]"
    rb"(?:[^<-]++|-(?!->)|<(?!" + _SCRIPT_END[1:] + rb"))*+(?:" + _SCRIPT_END + rb")?+" + _SCRIPT_ESCAPED + rb")*+"
    rb"(?:-->)?+(?:[^<]++|<(?!/" + _SCRIPT + rb"[\s/>]|!--))*+)*+)"
)
# Without them (``scan``: the escaped states cost a quarter of this expression's time, and no corpus
# page's links need them).
_SCRIPT_TEXT_PLAIN = rb"(?:(?<=/>)|(?:[^<]++|<(?!/" + _SCRIPT + rb"[\s/>]))*+)"
_STYLE_TEXT = rb"(?:(?<=/>)|(?:[^<]++|<(?!/" + _STYLE + rb"[\s/>]))*+)"
_IFRAME = _either_case(b"iframe")
_IFRAME_TEXT = rb"(?:(?<=/>)|(?:[^<]++|<(?!/" + _IFRAME + rb"[\s/>]))*+)"
# At each `<`, one of: an `<a …>`/`<link …>` start tag (name and attributes), or a block to skip, its
# groups empty: a comment, or a script or style element up to its end tag. Possessive quantifiers, so
# nothing unclosed can backtrack. Case spelled out in classes (see _either_case). The lookahead turns
# most tags (`div`, `p`, end tags) away in one test; with it the skipping costs ~15% more than the tag
# scan alone did (this expression alone, mean over the 602 corpus pages: 0.19 ms a page against 0.17).
TAG = re.compile(
    rb"<(?=[aAlL!sS])(?:"
    rb"([aA]|[lL][iI][nN][kK])\s(" + _ATTRS + rb")>"
    rb"|" + _COMMENT
    + rb"|" + _SCRIPT + rb"(?=[\s/>])" + _ATTRS + rb">" + _SCRIPT_TEXT_PLAIN
    + rb"|" + _STYLE + rb"(?=[\s/>])" + _ATTRS + rb">" + _STYLE_TEXT
    + rb")"
)
# The same scan, also reading what a page embeds (archive/requisites.py): the start tags of `img`,
# `source`, `video`, `base` and `picture` (and `</picture>`: is a `<source>` a picture's?),
# of `script` and `iframe` (whose text is still skipped) and `style` (its text read), and, in a group of
# their own, every other start tag with attributes, for its `style` attribute. Groups: name, script,
# style, iframe, attributes, a style's text; another tag's name, its attributes. Reading every tag's
# attributes (~550 more tags a page) costs a third more in this expression (0.56 ms a page against 0.41
# without them, mean over the corpus pages); without them 87 of the 602 pages miss a `style="…url(…)"`.
_NAMED = b"|".join(_either_case(name) for name in (b"a", b"link", b"img", b"source", b"video", b"base",
                                                     b"picture"))
EMBED_TAG = re.compile(
    rb"<(?:"
    rb"(" + _NAMED + rb"|/" + _PICTURE + rb"|(" + _SCRIPT + rb")|(" + _STYLE + rb")|(" + _IFRAME + rb"))"
    rb"(?=[\s/>])(" + _ATTRS + rb")>"
    rb"(?(2)" + _SCRIPT_TEXT + rb"|(?(3)(" + _STYLE_TEXT + rb")|(?(4)" + _IFRAME_TEXT + rb")))"
    rb"|" + _COMMENT
    + rb"|([a-zA-Z][^\s/>]*+)(\s" + _ATTRS + rb")>"
    rb")"
)
ATTRIBUTE = re.compile(rb"""([^\s=/>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
# Cheap test on a whole `<a>` tag before its attributes are read: could one of them name an attachment?
# (urlshapes' extensions, anywhere in the tag instead of at the end of a path).
ATTACHMENT_HINT = re.compile(ATTACHMENT_EXTENSIONS.pattern.removesuffix("$").encode() + rb"(?![a-z0-9])", re.I)


def attributes(tag_body: bytes, encoding: str = "utf-8") -> dict[str, str]:
    """The attributes of a start tag (first occurrence wins, as in browsers), names lower-cased."""
    found: dict[str, str] = {}
    for name, double, single, bare in ATTRIBUTE.findall(tag_body):  # tuples: ~110 tags a page
        name = name.decode("latin-1").lower()
        if name not in found:
            value = (double or single or bare).decode(encoding, "replace")
            found[name] = html.unescape(value) if "&" in value else value
    return found


def _ascii_safe(body: bytes | str, encoding: str) -> tuple[bytes, str]:
    if isinstance(body, str):
        return body.encode("utf-8", "surrogatepass"), "utf-8"
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        name = ""
    if name not in ASCII_SAFE_ENCODINGS:
        return body.decode(name or "utf-8", "replace").encode("utf-8"), "utf-8"
    return body, encoding


def scan(body: bytes | str, encoding: str = "utf-8") -> tuple[list[dict[str, str]], list[str]]:
    """``(alternate links, candidate attachment hrefs)`` of an HTML page, in document order.

    ``body`` is the page as bytes in ``encoding`` (or already decoded text). Alternate links are the
    attribute dicts of ``<link>`` tags whose ``rel`` includes ``alternate``; candidate hrefs are the raw
    ``href`` values of ``<a>`` tags that mention an attachment extension (the caller resolves and tests
    them, as it does hrefs from a tree)."""
    body, encoding = _ascii_safe(body, encoding)
    alternates: list[dict[str, str]] = []
    hrefs: list[str] = []
    for name, tag in TAG.findall(body):  # tuples, not match objects: ~180 tags a page
        if not name:  # a comment, script or style skipped
            continue
        if name in (b"a", b"A"):
            if ATTACHMENT_HINT.search(tag) and (href := attributes(tag, encoding).get("href")) and "\\" not in href:
                hrefs.append(href)
        elif b"alternate" in tag.lower():
            attrs = attributes(tag, encoding)
            if "alternate" in attrs.get("rel", "").lower().split():
                alternates.append(attrs)
    return alternates, hrefs


def iter_feed_links(alternates: list[dict[str, str]], feed_types: tuple[str, ...]) -> Iterator[str]:
    for attrs in alternates:
        if attrs.get("type", "").strip().lower() in feed_types and attrs.get("href"):
            yield attrs["href"]


@dataclass
class Page:
    """What ``scan_page`` read of a page: ``scan``'s links, and what archive/requisites.py's
    ``requisites_of`` needs to find its embeds."""

    alternates: list[dict[str, str]] = field(default_factory=list)
    hrefs: list[str] = field(default_factory=list)
    # (tag, attributes, in a <picture>, text): img, source, link, script, video and style elements
    elements: list[tuple[str, dict[str, str], bool, str]] = field(default_factory=list)
    style_attributes: list[str] = field(default_factory=list)
    base_href: str | None = None


_EMBEDS = frozenset({"img", "source", "link", "script", "video"})


def scan_page(body: bytes | str, encoding: str = "utf-8") -> Page:
    """``scan`` and the page's embeds, in the same pass (``EMBED_TAG``)."""
    body, encoding = _ascii_safe(body, encoding)
    page = Page()
    in_picture = False  # between <picture> and </picture>: a <source> here is the picture's
    for name, _, style, _, tag, text, other, other_tag in EMBED_TAG.findall(body):
        if not name:  # another tag, or a comment skipped
            if other:
                if b"url(" in other_tag or b"url&" in other_tag:  # a style attribute's url(…)?
                    _style_attribute(page, attributes(other_tag, encoding))
            continue
        attrs = None
        if b"url(" in tag or b"url&" in tag:
            attrs = attributes(tag, encoding)
            _style_attribute(page, attrs)
        if name in (b"a", b"A"):
            if ATTACHMENT_HINT.search(tag):
                href = (attrs if attrs is not None else attributes(tag, encoding)).get("href")
                if href and "\\" not in href:
                    page.hrefs.append(href)
            continue
        lower = name.lower().decode("latin-1")
        if lower == "script" and b"src" not in tag.lower():
            pass  # a script's text: nothing to fetch (a style attribute was read above)
        elif lower in _EMBEDS:
            attrs = attrs if attrs is not None else attributes(tag, encoding)
            page.elements.append((lower, attrs, in_picture and lower == "source", ""))
            if lower == "link" and "alternate" in attrs.get("rel", "").lower().split():
                page.alternates.append(attrs)
        elif style:
            attrs = attrs if attrs is not None else attributes(tag, encoding)
            page.elements.append(("style", attrs, False, text.decode(encoding, "replace")))
        elif lower == "base" and page.base_href is None:
            page.base_href = (attrs if attrs is not None else attributes(tag, encoding)).get("href")
        if lower == "picture":
            in_picture = not tag.endswith(b"/")
        elif lower == "/picture":
            in_picture = False
    return page


def _style_attribute(page: Page, attrs: dict[str, str]) -> None:
    if "url(" in attrs.get("style", ""):
        page.style_attributes.append(attrs["style"])
