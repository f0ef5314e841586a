"""Turn an HTTP body as received into text: undo Content-Encoding, then find the charset.

Best effort by design: a wrong or missing charset must not lose an article, so decoding never raises.
"""

from __future__ import annotations

import codecs
import re
import zlib

import brotli
from charset_normalizer import from_bytes

# Refuse to inflate more than this from one body (a "zip bomb" page); what fits is kept.
MAX_DECODED_SIZE = 64 * 1024 * 1024

_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def _inflate(data: bytes, wbits: int, limit: int = MAX_DECODED_SIZE) -> bytes:
    return zlib.decompressobj(wbits).decompress(data, limit)


def decode_content(body: bytes, content_encoding: str | None, limit: int | None = None) -> bytes:
    """Undo ``Content-Encoding`` (gzip, deflate, br; several in order). A broken coding leaves the
    bytes as they are rather than failing: the caller still gets something to look at.

    ``limit``: the caller wants only the first ``limit`` bytes (archive/metarefresh.py reads a page's
    head): the last coding undone inflates no more than that."""
    if not content_encoding:
        return body if limit is None else body[:limit]
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    for index, coding in enumerate(reversed(codings)):
        head = limit if index == len(codings) - 1 else None  # all of an outer coding: the inner one needs it
        try:
            if coding in ("gzip", "x-gzip"):
                body = _inflate(body, 16 + zlib.MAX_WBITS, head or MAX_DECODED_SIZE)
            elif coding == "deflate":
                try:
                    body = _inflate(body, zlib.MAX_WBITS, head or MAX_DECODED_SIZE)
                except zlib.error:  # raw deflate, as some servers send
                    body = _inflate(body, -zlib.MAX_WBITS, head or MAX_DECODED_SIZE)
            elif coding == "br":
                body = brotli.Decompressor().process(body, output_buffer_limit=head) if head else brotli.decompress(body)
            else:
                break
        except (zlib.error, brotli.error, OSError):
            break
    return body if limit is None else body[:limit]


def _usable(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.decode("ascii", "ignore") if isinstance(name, bytes) else name).name
    except LookupError:
        return None


def declared_charset(body: bytes, content_type: str | None) -> str | None:
    """The charset the server or the page itself declares (header first, then ``<meta>``)."""
    if content_type:
        match = _HEADER_CHARSET_RE.search(content_type)
        if match and (name := _usable(match.group(1))):
            return name
    match = _META_CHARSET_RE.search(body[:4096])
    return _usable(match.group(1)) if match else None


def to_text(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode an HTML/XML body; return ``(text, encoding used)``.

    Order: byte-order mark; valid UTF-8 (a strong signal, and servers often mislabel UTF-8 as
    Latin-1); the declared charset; charset-normalizer's guess; windows-1252 with replacement.
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(name, "replace"), name
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared_charset(body, content_type)
    if declared and declared != "utf-8":
        try:
            return body.decode(declared), declared
        except UnicodeDecodeError:
            pass
    guess = _guess(body)
    return body.decode(guess, "replace"), guess


# Legacy single-byte pages are often equally "clean" in several code pages (French text is as valid in
# cp1250 as in cp1252). Within this much chaos of the best guess, prefer windows-1252: the HTML
# standard's fallback for undeclared legacy pages in most locales, and what browsers would show.
CHAOS_TIE = 0.01


def _guess(body: bytes) -> str:
    matches = list(from_bytes(body[:200_000]))
    if not matches:
        return "cp1252"
    least = min(m.chaos for m in matches)
    tied = {m.encoding for m in matches if m.chaos <= least + CHAOS_TIE}
    if "cp1252" in tied:
        return "cp1252"
    return matches[0].encoding  # charset-normalizer sorts its matches best first
