"""Meta-refresh redirects: a page that answers 200 with ``<meta http-equiv="refresh" content="0; url=…">``.

Scrapy's MetaRefreshMiddleware follows such a page to its target (crawler/memory.py ``HeadMetaRefresh``,
which reads only the head of the body). The archive records the target in ``captures.redirect_to`` as it
records an HTTP redirect's ``Location`` (archive.store ``redirect_target``), so archive.schedule settles
the page by its target instead of fetching it every run. :func:`capture_redirect` gives that column from
what a WARC record holds (URL, status, headers, body still content-encoded): the crawl calls it at
capture time, ``reindex`` on the record, so both write the same value.

The answer is Scrapy's (``scrapy.utils.response.get_meta_refresh`` and the middleware's rules), without
Scrapy: an HTML response (Scrapy's response-type rules), the first :data:`HEAD_CHARS` characters of the
body decoded with the encoding Scrapy would use, ``<base href>`` and relative URLs resolved as the
middleware's request resolves them (so ``redirect_to`` equals the ``url`` of the target's capture), a
delay under the crawl's ``METAREFRESH_MAXDELAY``, tags in ``METAREFRESH_IGNORE_TAGS`` skipped. Cheap on
the pages without one, nearly all: :data:`SCAN_BYTES` of the body are inflated and looked at for the
bytes ``refresh`` (~50 µs a page on the corpus pages, gzip, against the milliseconds of extracting them);
only a page that has them is decoded and parsed, and only one of those that declares no charset (Scrapy
then infers it from the whole body) is inflated whole.
"""

from __future__ import annotations

import codecs
import mimetypes
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from charset_normalizer import from_bytes
from w3lib import html as w3lib_html
from w3lib.encoding import (
    html_body_declared_encoding,
    html_to_unicode,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)
from w3lib.url import safe_url_string

from archive.httpbody import decode_content, text_codec
from archive.store import REDIRECT_STATUSES, redirect_target

HEAD_CHARS = 4096  # what scrapy.utils.response.get_meta_refresh reads of a page
# Enough bytes for HEAD_CHARS characters in any encoding (at most 4 bytes a character), with room to
# spare so that a character cut at the end of the slice is far past them.
HEAD_BYTES = 8 * HEAD_CHARS
# The bytes of HEAD_CHARS characters in an ASCII-compatible encoding (at most 4 bytes a character): where
# a refresh must be spelt out for a page to have one. Looked at in every HTML page, so no more.
SCAN_BYTES = 4 * HEAD_CHARS
# What is inflated first: enough for a head of mostly ASCII markup, as news pages in any script start.
SCAN_START = 2 * HEAD_CHARS
# Scrapy's defaults for METAREFRESH_MAXDELAY and METAREFRESH_IGNORE_TAGS. The WARC files do not record
# the settings a crawl ran with, so `reindex` assumes these.
MAX_DELAY = 100.0  # seconds; a longer delay is no redirect
IGNORE_TAGS = ("noscript",)

# scrapy.responsetypes: the media types Scrapy makes an HtmlResponse of (the only responses its
# MetaRefreshMiddleware looks at), and the others it gives a class of their own (not HTML either).
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "application/vnd.wap.xhtml+xml"})
TEXT_TYPES = frozenset({
    "application/atom+xml", "application/rdf+xml", "application/rss+xml", "application/xml", "text/xml",
    "application/json", "application/x-json", "application/json-amazonui-streaming",
    "application/javascript", "application/x-javascript",
})
_ASCII = bytes(range(128))
_BINARY_BYTES = re.compile(b"[\x01-\x08\x0b\x0c\x0e-\x1f]")  # scrapy.utils.python.binary_is_text


@dataclass(frozen=True)
class RefreshRules:
    """The crawl's meta-refresh settings (Scrapy's names): which refreshes its middleware follows."""

    max_delay: float = MAX_DELAY  # METAREFRESH_MAXDELAY
    ignore_tags: tuple[str, ...] = IGNORE_TAGS  # METAREFRESH_IGNORE_TAGS


def capture_redirect(
    url: str,
    status: int | None,
    header: Callable[[str], str | bytes | None],
    body: bytes,
    refresh: RefreshRules | None = RefreshRules(),
) -> str | None:
    """``captures.redirect_to``: where this answer sends the crawler, or None.

    An HTTP redirect (a 3xx with ``Location``, which Scrapy's RedirectMiddleware follows before any
    meta refresh is looked at), else the page's meta refresh when ``refresh`` (None: the crawl had
    ``METAREFRESH_ENABLED`` off) says the middleware follows it. ``header(name)`` gives a response
    header (bytes are read as Latin-1, as HTTP headers are, but ``Location`` is passed on as it is, to
    be decoded as Scrapy decodes it); ``body`` is as received (still content-encoded).
    """
    location = header("Location")
    if status in REDIRECT_STATUSES and location:
        return redirect_target(url, status, location)
    if refresh is None or not body:
        return None

    def text(name: str) -> str | None:
        value = header(name)
        return value.decode("latin-1") if isinstance(value, bytes) else value

    return refresh_target(url, text("Content-Type"), text("Content-Encoding"), body, refresh,
                          content_disposition=text("Content-Disposition"))


def refresh_target(
    url: str,
    content_type: str | None,
    content_encoding: str | None,
    body: bytes,
    rules: RefreshRules = RefreshRules(),
    *,
    content_disposition: str | None = None,
) -> str | None:
    """The absolute URL a page's meta refresh sends Scrapy's MetaRefreshMiddleware to, as the URL of the
    request it makes; None when the middleware would not redirect (no refresh in the head, a delay of
    ``rules.max_delay`` or more, not HTML, a target that is not http(s))."""
    head = scan_head(body, content_encoding)
    if not is_html(content_type, url, head, content_disposition):
        return None
    early = read_bom(head)[0] or http_content_type_encoding(content_type or "")
    if (early is None or _byte_scannable(early)) and b"refresh" not in head.lower():
        # Most pages. A <meta> whose attributes say "refresh" in an ASCII-compatible encoding (the
        # declared one, or those Scrapy infers: ASCII, UTF-8, a guess) has those bytes in the head.
        return None
    head = head_of(body, content_encoding)
    # Declared, or (rarely: a page that mentions "refresh" and declares no charset) inferred by Scrapy
    # from the whole body.
    encoding = declared_encoding(head, content_type) or inferred_encoding(decode_content(body, content_encoding))
    interval, target = meta_refresh(head, url, encoding, rules.ignore_tags)
    if target is None or interval >= rules.max_delay:
        return None
    return safe_url_string(target, "utf-8")  # as scrapy.Request sets its url


def meta_refresh(
    head: bytes | str, url: str, encoding: str, ignore_tags: Iterable[str]
) -> tuple[None, None] | tuple[float, str]:
    """``scrapy.utils.response.get_meta_refresh`` of a response whose body starts with ``head`` (the
    first bytes of the decoded body, at least :data:`HEAD_BYTES` of them when there are more, or the
    decoded text), ``url`` and ``encoding`` being the response's; but a target that is not http(s)
    ("url=javascript:go()") is no refresh: Scrapy's middleware would make a request of it and fail the
    fetch ("Missing scheme"), and the page is a page (crawler/memory.py and ``redirect_to`` both read it so)."""
    if isinstance(head, bytes):
        head = html_to_unicode(f"charset={encoding}", head[:HEAD_BYTES])[1]
    head = head[:HEAD_CHARS]
    base_url = w3lib_html.get_base_url(head, url, encoding)
    interval, target = w3lib_html.get_meta_refresh(head, base_url, encoding, ignore_tags=ignore_tags)
    if target is None or urlsplit(target).scheme not in ("http", "https"):
        return None, None
    return interval, target


def head_of(body: bytes, content_encoding: str | None, size: int = HEAD_BYTES) -> bytes:
    """The first ``size`` bytes of ``body`` with its Content-Encoding undone, inflating no more."""
    return decode_content(body, content_encoding, limit=size)


def scan_head(body: bytes, content_encoding: str | None) -> bytes:
    """The first bytes of the decoded body that hold its first :data:`HEAD_CHARS` characters if it is in
    an ASCII-compatible encoding: :data:`SCAN_START` bytes when few of them are past ASCII (a character
    of up to 4 bytes has at least one such byte), else :data:`SCAN_BYTES`."""
    head = head_of(body, content_encoding, SCAN_START)
    if len(head) < SCAN_START or SCAN_START - 3 * len(head.translate(None, _ASCII)) - 3 > HEAD_CHARS:
        return head
    return head_of(body, content_encoding, SCAN_BYTES)


def is_html(content_type: str | None, url: str, head: bytes, content_disposition: str | None = None) -> bool:
    """Scrapy would make an ``HtmlResponse`` of this (decoded) response: ``responsetypes.from_args`` by
    the Content-Type, else a Content-Disposition file name, else the URL's, else the body's first bytes."""
    kind = _kind_of(content_type.split(";")[0].strip().lower()) if content_type is not None else None
    if kind is None and content_disposition:
        kind = _kind_of_name(_disposition_name(content_disposition))
    if kind is None:
        kind = _kind_of_name(url)
    if kind is None:
        kind = _kind_of_body(head[:5000])
    return kind == "html"


def _byte_scannable(encoding: str) -> bool:
    """Text in this encoding that says ``refresh`` has those ASCII bytes, and a character takes at most
    4 bytes (UTF-8, single-byte and CJK multi-byte encodings; not UTF-16/32 or EBCDIC, nor UTF-7 and the
    ISO-2022 family, whose escapes and base64 spell characters in ASCII bytes)."""
    try:
        name = codecs.lookup(encoding).name
        return "refresh".encode(encoding) == b"refresh" and name != "utf-7" and not name.startswith(("iso2022", "hz"))
    except (LookupError, UnicodeError):
        return False


def _kind_of(mimetype: str) -> str | None:
    """``"html"``, ``"text"`` (another class of Scrapy's), or None (a plain Response: look further)."""
    if mimetype in HTML_TYPES:
        return "html"
    if mimetype in TEXT_TYPES or mimetype.startswith("text/"):
        return "text"
    return None


def _disposition_name(content_disposition: str) -> str:
    """``attachment; filename="x.html"`` → ``x.html`` (read as Scrapy reads it; "" when there is none)."""
    try:
        return content_disposition.split(";")[1].split("=")[1].strip("\"'")
    except IndexError:
        return ""


def _kind_of_name(name: str) -> str | None:
    """By a file name or URL, as ``responsetypes.from_filename``."""
    mimetype, encoding = mimetypes.guess_type(name)
    return _kind_of(mimetype) if mimetype and not encoding else None


def _kind_of_body(chunk: bytes) -> str:
    if _BINARY_BYTES.search(chunk):
        return "binary"
    lower = chunk.lower()
    if b"<html>" in lower:
        return "html"
    if b"<?xml" in lower:
        return "text"
    return "html" if b"<!doctype html>" in lower else "text"


def scrapy_declared_encoding(head: bytes, content_type: str | None) -> str | None:
    """The encoding Scrapy reads off a response without inferring it: byte-order mark, Content-Type
    charset, ``<meta charset>`` (or XML declaration) in the first 4 kB, as the first of them names it,
    even a codec that reads no text (``charset=base64``). ``head``: the decoded body's first bytes."""
    return read_bom(head)[0] or http_content_type_encoding(content_type or "") or html_body_declared_encoding(head)


def declared_encoding(head: bytes, content_type: str | None) -> str | None:
    """The encoding a response declares, as Scrapy reads it (:func:`scrapy_declared_encoding`), except that
    a name of a codec that reads no text (archive.httpbody.text_codec) counts as no declaration: the next
    one is taken. crawler/charsets.py gives Scrapy's response of such a page this encoding, else the
    inferred one, as its ``encoding``: Scrapy's own would raise on its first ``response.text``."""
    return (
        read_bom(head)[0]
        or text_codec(http_content_type_encoding(content_type or ""))
        or text_codec(html_body_declared_encoding(head))
    )


def inferred_encoding(body: bytes) -> str:
    """The encoding Scrapy infers for a response that declares none (``TextResponse._body_inferred_encoding``):
    ASCII, else UTF-8, else charset-normalizer's best guess, from the whole decoded body."""
    return _auto_detect(body) or "ascii"  # html_to_unicode's steps past the declarations, Scrapy's default


def _auto_detect(text: bytes) -> str | None:
    for name in ("ascii", "utf-8"):
        try:
            text.decode(name)
        except UnicodeError:
            continue
        return resolve_encoding(name)
    match = from_bytes(text).best()
    return resolve_encoding(match.encoding) if match else None
