"""What an article page links to, read without building its tree: announced feeds and attachment links.

The spider needs only two things from a page it already knows is an article (by its URL): the feeds it
announces (``<link rel="alternate" type="application/rss+xml" href=…>``) and links to attachments (PDFs,
images, office files). Parsing a 300 kB news page with lxml for those took 1.3 ms, the largest single
cost of an archive-only crawl (bench/); scanning its tags with regular expressions, as Heritrix's
``ExtractorHTML`` does, takes a third of that. Listings, front pages and pages that must declare what
they are still get lxml's tree (spiders/news.py).

Tags are matched with their quoted attribute values (so a ``>`` inside a quoted title does not end the
tag); attribute values are HTML-unescaped. Like a parser (lxml/libxml2 2.14 and browsers tokenize HTML
the same way here), the scan skips comments (``<!-- … -->``, also ended by ``--!>``; ``<!-->`` is an
empty one; unclosed, the rest of the page) and the text of ``<script>`` and ``<style>`` up to their end
tag (unclosed, the rest of the page; ``<script …/>`` closes itself, as in libxml2), in the same pass: one regular expression matches either a block
to skip or a tag to read, so a link written in a comment or built by a script costs no fetch. An href
with a backslash is skipped too (markup escaped in a string: ``<a href=\\"https:\\/\\/…\\">``).
Not skipped as a parser would: a ``<script>`` written inside a script's ``<!--`` (HTML's "double-escaped"
state, which libxml2 follows), and the text of ``<textarea>``, ``<title>`` and ``<xmp>``; the corpus
pages need neither.
"""

from __future__ import annotations

import codecs
import html
import re
from collections.abc import Iterator

from spiders.urlshapes import ATTACHMENT_EXTENSIONS

# The scan runs on the raw bytes (no decoding of the whole page) when the page's encoding writes ASCII
# as ASCII and never uses the bytes of `<>"'=\-!/` inside a multi-byte character; other pages are
# re-encoded to UTF-8 first.
ASCII_SAFE_ENCODINGS = frozenset(
    {"utf-8", "ascii", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",
     "cp1258", "koi8-r", "koi8-u", "euc_jp", "euc_kr", "gb2312", "gbk", "gb18030"}
    | {f"iso8859-{n}" for n in range(1, 17)}
)
# At each `<`, one of: an `<a …>`/`<link …>` start tag (name and attributes), or a block to skip, its
# groups empty: a comment, or a script or style element up to its end tag. Possessive quantifiers, so
# nothing unclosed can backtrack. Case spelled out in classes: with re.IGNORECASE the engine scans for
# `<` half as fast (bench/). The lookahead turns most tags (`div`, `p`, end tags) away in one test; with
# it the skipping costs ~15% more than the tag scan alone did (this expression alone, mean over the
# 602 corpus pages: 0.19 ms a page against 0.17).
_ATTRS = rb"""(?:[^>"']++|"[^"]*+"|'[^']*+')*+"""
_SCRIPT, _STYLE = rb"[sS][cC][rR][iI][pP][tT]", rb"[sS][tT][yY][lL][eE]"
TAG = re.compile(
    rb"<(?=[aAlL!sS])(?:"
    rb"([aA]|[lL][iI][nN][kK])\s(" + _ATTRS + rb")>"
    rb"|!--(?:-?>|(?:[^-]++|-(?!-!?>))*+(?:--!?>)?+)"  # `<!-->` is empty; `--!>` ends one too
    # `<script …/>` closes itself in libxml2 (browsers ignore the slash)
    rb"|" + _SCRIPT + rb"(?=[\s/>])" + _ATTRS + rb">(?:(?<=/>)|(?:[^<]++|<(?!/" + _SCRIPT + rb"[\s/>]))*+)"
    rb"|" + _STYLE + rb"(?=[\s/>])" + _ATTRS + rb">(?:(?<=/>)|(?:[^<]++|<(?!/" + _STYLE + rb"[\s/>]))*+)"
    rb")"
)
ATTRIBUTE = re.compile(rb"""([^\s=/>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
# Cheap test on a whole `<a>` tag before its attributes are read: could one of them name an attachment?
# (urlshapes' extensions, anywhere in the tag instead of at the end of a path).
ATTACHMENT_HINT = re.compile(ATTACHMENT_EXTENSIONS.pattern.removesuffix("$").encode() + rb"(?![a-z0-9])", re.I)


def attributes(tag_body: bytes, encoding: str = "utf-8") -> dict[str, str]:
    """The attributes of a start tag (first occurrence wins, as in browsers), names lower-cased."""
    found: dict[str, str] = {}
    for match in ATTRIBUTE.finditer(tag_body):
        name = match.group(1).decode("latin-1").lower()
        if name not in found:
            value = next(v for v in match.group(2, 3, 4) if v is not None).decode(encoding, "replace")
            found[name] = html.unescape(value) if "&" in value else value
    return found


def scan(body: bytes | str, encoding: str = "utf-8") -> tuple[list[dict[str, str]], list[str]]:
    """``(alternate links, candidate attachment hrefs)`` of an HTML page, in document order.

    ``body`` is the page as bytes in ``encoding`` (or already decoded text). Alternate links are the
    attribute dicts of ``<link>`` tags whose ``rel`` includes ``alternate``; candidate hrefs are the raw
    ``href`` values of ``<a>`` tags that mention an attachment extension (the caller resolves and tests
    them, as it does hrefs from a tree)."""
    if isinstance(body, str):
        body, encoding = body.encode("utf-8", "surrogatepass"), "utf-8"
    else:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            name = ""
        if name not in ASCII_SAFE_ENCODINGS:
            body, encoding = body.decode(name or "utf-8", "replace").encode("utf-8"), "utf-8"
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
