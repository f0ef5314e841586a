"""Turn an HTTP body as received into text: undo Content-Encoding, then find the charset.

Best effort by design: a wrong or missing charset must not lose an article, so decoding never raises.
"""

from __future__ import annotations

import codecs
import re
import zlib

import brotli
from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio

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


# Codecs Python finds by name that cannot read a page: they raise on what is not a host name (idna,
# punycode), on anything (undefined), or read backslashes as escapes. Codecs that are no text encoding at
# all (base64, rot13, hex, zlib...: ``bytes.decode`` raises LookupError) are refused too.
UNREADABLE_CODECS = frozenset({"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape"})


def text_codec(name: str | bytes | None) -> str | None:
    """The codec's canonical name when ``name`` (a declared charset) names a text encoding a page can be
    read with; None otherwise (unknown, or a page's ``charset=base64``/``rot13``/``undefined``)."""
    if not name:
        return None
    try:
        info = codecs.lookup(name.decode("ascii", "ignore") if isinstance(name, bytes) else name)
    except LookupError:
        return None
    if not info._is_text_encoding or info.name in UNREADABLE_CODECS:  # the flag codecs.decode itself reads
        return None
    return info.name


def declared_charsets(body: bytes, content_type: str | None) -> list[str]:
    """The charsets the server and the page itself declare (header first, then ``<meta>``), each once;
    names that are no text encoding are left out."""
    found = []
    if content_type:
        match = _HEADER_CHARSET_RE.search(content_type)
        if match and (name := text_codec(match.group(1))):
            found.append(name)
    match = _META_CHARSET_RE.search(body[:4096])
    if match and (name := text_codec(match.group(1))) and name not in found:
        found.append(name)
    return found


# A page is read as UTF-8, its bad bytes replaced, when it has at least this many valid UTF-8 characters
# past ASCII for each bad sequence: a UTF-8 page with one stray byte (a cut multi-byte character in a
# teaser) was read as windows-1252 whole, every Cyrillic or accented letter as two or three wrong ones.
# A page in a legacy encoding has next to no valid UTF-8 sequences (windows-1251 Russian: a letter byte
# is followed by another letter byte, never a continuation byte), so it stays far below.
MOSTLY_UTF8 = 10
_UTF8_LEADS = bytes(range(0xC2, 0xF5))
_NOT_UTF8_LEADS = bytes(b for b in range(256) if b not in _UTF8_LEADS)
_REPLACEMENT = "\ufffd".encode()


def _mostly_utf8(body: bytes) -> str | None:
    """The page read as UTF-8 with its bad bytes replaced, when few are bad (see MOSTLY_UTF8)."""
    text = body.decode("utf-8", "replace")
    bad = text.count("\ufffd") - body.count(_REPLACEMENT)
    valid = len(body.translate(None, _NOT_UTF8_LEADS)) - bad  # lead bytes, less those of bad sequences
    return text if valid >= MOSTLY_UTF8 * bad else None


# Characters of a page read to choose between a header and a <meta> that disagree.
MESS_SAMPLE = 64 * 1024


def _mess(body: bytes, name: str) -> float:
    return mess_ratio(body[:MESS_SAMPLE].decode(name, "replace"), maximum_threshold=1.0)


def to_text(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode an HTML/XML body; return ``(text, encoding used)``. Never raises.

    Order: byte-order mark; valid UTF-8 (a strong signal, and servers often mislabel UTF-8 as
    Latin-1), or UTF-8 but for a few bad bytes; the declared charset (when the Content-Type header and
    the page's ``<meta>`` disagree, the one charset-normalizer finds less messy reading the page, the
    header on a tie: a server's default ``charset=iso-8859-1`` before a windows-1251 page that says so);
    charset-normalizer's guess; windows-1252 with replacement.
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(name, "replace"), name
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if (text := _mostly_utf8(body)) is not None:
        return text, "utf-8"
    declared = [name for name in declared_charsets(body, content_type) if name != "utf-8"]
    if len(declared) > 1:
        declared.sort(key=lambda name: _mess(body, name))  # stable: the header first on a tie
    for name in declared:
        try:
            return body.decode(name), name
        except UnicodeError:  # UnicodeDecodeError, or a codec that raises its own
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
