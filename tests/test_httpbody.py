"""Bodies as received → text: content codings undone, charsets found (or guessed) without raising."""

from __future__ import annotations

import gzip
import zlib

import brotli

from archive.httpbody import decode_content, to_text

TEXT = "Żółw, café, Привет — déjà vu"


def test_content_codings():
    raw = TEXT.encode()
    assert decode_content(gzip.compress(raw), "gzip") == raw
    assert decode_content(zlib.compress(raw), "deflate") == raw
    assert decode_content(zlib.compress(raw)[2:-4], "deflate") == raw  # raw deflate, as some servers send
    assert decode_content(brotli.compress(raw), "br") == raw
    assert decode_content(gzip.compress(brotli.compress(raw)), "br, gzip") == raw
    assert decode_content(raw, None) == raw
    assert decode_content(b"not gzip at all", "gzip") == b"not gzip at all"  # broken coding: bytes kept
    assert decode_content(raw, "zstd") == raw  # unknown coding: left alone


def test_charsets():
    assert to_text(TEXT.encode("utf-8"), "text/html; charset=iso-8859-1") == (TEXT, "utf-8")
    cyrillic = "<html><head><meta charset='windows-1251'></head><body>Новости дня</body></html>"
    assert to_text(cyrillic.encode("cp1251"))[0] == cyrillic
    assert to_text("déjà vu".encode("latin-1"), "text/html") == ("déjà vu", "cp1252")
    text, encoding = to_text(b"\xef\xbb\xbfbom first")
    assert text == "bom first" and encoding == "utf-8"
    assert to_text(bytes(range(256)), "text/html; charset=nonsense")[0]  # never raises



def test_a_limit_gives_the_head_of_the_whole_decoding():
    page = ("<html><head><title>Grüße</title></head><body>" + "<p>harbour ferry 😀</p>" * 4000 + "</body></html>").encode()
    encoded = {
        "gzip": gzip.compress(page), "deflate": zlib.compress(page), "br": brotli.compress(page),
        "identity": page, "": page,
        "gzip, gzip": gzip.compress(gzip.compress(page)),  # the outer coding is undone whole
        "deflate, br": brotli.compress(zlib.compress(page)),
    }
    for coding, body in encoded.items():
        for limit in (1, 4096, 32768, len(page) + 10):
            assert decode_content(body, coding, limit=limit) == decode_content(body, coding)[:limit] == page[:limit], (
                coding, limit)
    assert decode_content(b"not gzip at all", "gzip", limit=3) == b"not"  # a broken coding: the bytes as they are
