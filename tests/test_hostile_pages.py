"""Hostile and broken article pages through a real crawl: wrong, contradictory and impossible charsets,
bad bytes, control characters, JSON-LD that cannot be read or stored, and bodies that are no page at all.

Each page gets a capture with a reason; articles only where the text is real, in the right characters;
the crawl exits 0 with no traceback in its log, and its WARC file passes ``warcio check``."""

from __future__ import annotations

import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from browsing import db_rows

from archive.extract import extract_article
from archive.httpbody import text_codec, to_text
from conftest import newsarchive
from siteserver import running

WARCIO = Path(sys.executable).parent / "warcio"
# Each page's text is its own (a number in it): the same paragraph on several pages of the site would be
# learned as its boilerplate (archive/boilerplate.py) and dropped.
RU = ("Городской совет собрался во вторник вечером и проголосовал за ремонт старой набережной до зимы, "
      "после того как инженеры предупредили о трёх новых трещинах у паромного причала. ") * 3
EN = ("The harbour council met on Tuesday evening and voted to repair the old sea wall before winter, "
      "after engineers warned that the spring storms had opened three new cracks near the ferry landing. ") * 3
FR = "Le café de la gare a fermé ses portes après quarante années de service, a déclaré le maire du village. " * 5
_numbers = iter(range(1000))


def ru() -> str:
    return f"{RU}Выпуск {next(_numbers)}."


def en() -> str:
    return f"{EN}Issue {next(_numbers)}."


def page(text: str, head: str = '<meta charset="utf-8">', lang: str = "en") -> str:
    return (f'<!DOCTYPE html><html lang="{lang}"><head>{head}<title>Story</title></head><body><article>'
            f"<h1>Story headline here</h1><p>{text}</p></article></body></html>")


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    pixels = zlib.compress(bytes(range(256)) * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", bytes.fromhex("00000040000000400802000000")) + chunk(b"IDAT", pixels)


def russian() -> str:
    return page(ru(), head="", lang="ru")


# slug -> (body, Content-Type, the reason its capture gets, a phrase its article text holds)
PAGES = {
    # Charsets Python knows by name but cannot read a page with: Scrapy's response.text raised, in the
    # header case before the response was archived (no capture at all), and extraction raised.
    **{
        f"header-says-charset-{name}-of-a-story": (
            russian().encode("cp1251"), f"text/html; charset={name}", "article", "Городской совет собрался")
        for name in ("base64", "rot13", "undefined", "idna")
    },
    "meta-says-charset-hex-of-a-story": (
        page(ru(), head='<meta charset="hex">', lang="ru").encode("cp1251"), "text/html", "article", "проголосовал за ремонт"),
    # A server's default charset before a page in another one that says so.
    "header-latin1-meta-cyrillic-story": (
        page(ru(), head='<meta charset="windows-1251">', lang="ru").encode("cp1251"), "text/html; charset=iso-8859-1",
        "article", "Городской совет собрался"),
    # UTF-8 but for one stray byte: it was read as windows-1252 whole.
    "utf8-story-with-one-stray-byte": (
        russian().encode().replace("совет".encode(), b"\xd0" + "совет".encode(), 1), "text/html; charset=utf-8",
        "article", "вторник вечером"),
    "utf8-french-story-with-a-latin1-byte": (
        page(FR).encode().replace(b"gare", b"g\xe9are", 1), "text/html; charset=utf-8", "article", "Le café de la"),
    # JSON-LD that cannot be read (nested past Python's recursion limit) or stored (a lone surrogate).
    "json-ld-nested-deep-story-here": (
        page(en(), head='<script type="application/ld+json">' + "[" * 100_000 + "]" * 100_000 + "</script>").encode(),
        "text/html; charset=utf-8", "article", "harbour council met"),
    "json-ld-lone-surrogate-story-here": (
        page(en(), head='<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Sea wall \\ud800 vote",'
             ' "author": {"name": "Ann \\udfff Lee"}, "datePublished": "2026-11-27"}</script>').encode(),
        "text/html; charset=utf-8", "article", "harbour council met"),
    # A character reference to a control character: trafilatura discarded the whole page.
    "control-character-reference-story": (
        page(en().replace("council", "coun&#x1;cil", 1)).encode(), "text/html; charset=utf-8", "article", "harbour council met"),
    # A body its Content-Encoding does not describe: the siteserver gzips the page once and the header names
    # gzip twice. Scrapy's decompression raised: a traceback and no reason.
    "a-story-that-says-it-is-gzip-twice": (page(en()).encode(), "text/html; charset=utf-8\nContent-Encoding: gzip",
                                           "undecodable: BadGzipFile", None),
    # Already fine: kept so that they stay so.
    "utf16-story-with-a-bom-and-no-charset": (("\ufeff" + russian()).encode("utf-16-le"), "text/html", "article",
                                              "Городской совет собрался"),
    "windows-1251-story-with-only-meta": (
        page(ru(), head='<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">', lang="ru").encode("cp1251"),
        "text/html", "article", "Городской совет собрался"),
    "nul-and-control-bytes-in-a-story": (page(en().replace("wall", "wa\x00ll\x07\x1b", 1)).encode(), "text/html", "article",
                                         "the old sea wall"),
    "an-empty-answer-for-a-story": (b"", "text/html", "no-article-text", None),
    "a-png-image-served-as-a-story": (png(), "text/html", "not-html", None),  # its signature says so
    "a-story-of-only-html-comments": (f"<!-- {en()} -->\n".encode() * 20, "text/html", "no-article-text", None),
    "a-story-of-only-script-elements": (f"<html><body><script>var s = '{en()}';</script></body></html>".encode(),
                                        "text/html", "no-article-text", None),
}


def write_site(root: Path) -> list[str]:
    paths = []
    for slug, (body, content_type, _, _) in PAGES.items():
        folder = root / "2026" / "11" / "27" / slug
        folder.mkdir(parents=True)
        (folder / "index.html").write_bytes(body)
        (folder / "index.html.headers").write_text(f"Content-Type: {content_type}\n", "utf-8")
        paths.append(f"/2026/11/27/{slug}/")
    links = "".join(f'<a href="{path}">{path}</a>' for path in paths)
    (root / "index.html").write_text(f'<html><head><meta charset="utf-8"><title>Front</title></head><body>{links}</body></html>')
    return paths


def test_hostile_article_pages_are_archived_with_a_reason_and_readable_text(tmp_path):
    paths = write_site(tmp_path / "site")
    archive = tmp_path / "archive"
    with running(tmp_path / "site", quiet=True) as base:
        newsarchive("crawl", base + "/", "--archive-dir", archive, "--no-throttle", "-q")
    captures = {row["url"].removeprefix(base): row for row in db_rows(archive, "select url, status, reason from captures")}
    articles = {row["url"].removeprefix(base): row for row in db_rows(archive, "select url, title, authors, text from articles")}
    for path, (slug, (_, _, reason, phrase)) in zip(paths, PAGES.items(), strict=True):
        assert path in captures, f"{slug}: no capture"
        assert (captures[path]["status"], captures[path]["reason"]) == (200, reason), slug
        if phrase is None:
            assert path not in articles, slug
        else:
            assert phrase in articles[path]["text"], (slug, articles[path]["text"][:200])
    surrogate = articles["/2026/11/27/json-ld-lone-surrogate-story-here/"]
    assert (surrogate["title"], surrogate["authors"]) == ("Sea wall \ufffd vote", '["Ann \ufffd Lee"]')
    log = "\n".join(path.read_text("utf-8") for path in (archive / "logs").glob("*.log"))
    assert "Traceback" not in log and "ERROR" not in log, log[-3000:]
    for path in (archive / "warc").glob("*.warc.gz"):
        check = subprocess.run([str(WARCIO), "check", "-v", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr


def test_charsets_that_read_no_text_are_no_declaration():
    assert [text_codec(name) for name in ("windows-1251", "UTF8", "latin1", "koi8-r")] == [
        "cp1251", "utf-8", "iso8859-1", "koi8-r"]
    assert [text_codec(name) for name in ("base64", "rot13", "hex", "zlib", "undefined", "idna", "bogus", "")] == [None] * 8
    body = russian().encode("cp1251")
    assert to_text(body, "text/html; charset=base64") == to_text(body, "text/html")


@pytest.mark.parametrize("bad", [b"\xff", b"\xd0", b"\xe2\x80"])
def test_a_utf8_page_with_a_few_bad_bytes_is_read_as_utf8(bad):
    body = russian().encode().replace(b" ", b" " + bad, 1)
    text, encoding = to_text(body, "text/html")
    assert encoding == "utf-8" and RU[:100] in text.replace("\ufffd", "")
    # A page in a legacy encoding has next to no valid UTF-8 sequences: it is not read as UTF-8.
    assert to_text(russian().encode("cp1251"), "text/html")[1] != "utf-8"
    assert to_text(page(FR).encode("latin-1"), "text/html") == (page(FR), "cp1252")


def test_extraction_of_a_lone_surrogate_gives_storable_strings():
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Bad \\ud83d", "keywords": "a,\\udc00"}</script>'
    article = extract_article(page(en(), head=head).encode(), "https://example.org/2026/11/27/a-story-of-many-words/")
    assert article.title == "Bad \ufffd"
    for value in article.as_dict().values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                item.encode("utf-8")  # raises on a lone surrogate


def test_a_wall_every_article_url_answers_with_is_no_article_once_learned(tmp_path):
    """A consent wall (or a soft 404) served with 200 for every article URL: once its text is learned as
    the site's boilerplate, the pages that follow are no articles, not articles with no text."""
    wall = ("We value your privacy. We and our partners store and access information on your device, such as "
            "cookies, and process personal data.</p><p>Our partners use it for personalised advertising and "
            "content, for measurement and for audience research and product development.</p><p>You may "
            "accept, or manage your choices at any time, including your right to object to legitimate interest.")
    slugs = [f"story-number-{n}-behind-the-consent-wall" for n in range(6)]
    for slug in slugs:
        folder = tmp_path / "site" / "2026" / "11" / "27" / slug
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(page(wall), "utf-8")
    links = "".join(f'<a href="/2026/11/27/{slug}/">{slug}</a>' for slug in slugs)
    (tmp_path / "site" / "index.html").write_text(f"<html><body>{links}</body></html>", "utf-8")
    archive = tmp_path / "archive"
    with running(tmp_path / "site", quiet=True) as base:
        # One extraction worker: the pages are learned from in the order they come back.
        newsarchive("crawl", base + "/", "--archive-dir", archive, "--no-throttle", "-q",
                    "-s", "NEWSARCHIVE_EXTRACT_WORKERS=1")
    reasons = [row["reason"] for row in db_rows(archive, "select reason from captures where url like '%consent-wall%'")]
    assert sorted(reasons) == ["article"] * 2 + ["no-article-text"] * 4, reasons
    assert db_rows(archive, "select url, word_count from articles where word_count < 40") == []
    newsarchive("reindex", "--archive-dir", archive, "--quiet")  # the same from the WARC file alone
    rebuilt = [row["reason"] for row in db_rows(archive, "select reason from captures where url like '%consent-wall%'")]
    assert sorted(rebuilt) == sorted(reasons)
    assert db_rows(archive, "select url, word_count from articles where word_count < 40") == []


def test_a_page_that_needs_more_memory_than_a_worker_may_use_fails_alone(tmp_path):
    """200,000 links (4.7 MB): extracting the page takes a process to ~720 MB. With each extraction worker
    capped at 400 MB (NEWSARCHIVE_EXTRACT_MEMORY) that page is recorded as extract-memory; the story next
    to it is stored, and the crawl ends normally."""
    site = tmp_path / "site"
    links = "".join(f'<a href="/t{i}">t</a>' for i in range(200_000))
    pages = {"/2026/11/27/a-page-of-two-hundred-thousand-links/": f"<p>{en()}</p><div>{links}</div>",
             "/2026/11/27/an-ordinary-story-next-to-it/": f"<p>{en()}</p>"}
    for path, body in pages.items():
        page = site / path.strip("/") / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Story</title></head>'
                        f"<body><article><h1>Story</h1>{body}</article></body></html>", "utf-8")
    archive = tmp_path / "archive"
    with running(site, quiet=True) as base:
        newsarchive("crawl", *(base + path for path in pages), "--archive-dir", archive, "--no-throttle", "-q",
                    "-s", "NEWSARCHIVE_EXTRACT_MEMORY=400", "-s", "NEWSARCHIVE_PAGE_REQUISITES=False")
    reasons = {row["url"].removeprefix(base): row["reason"]
               for row in db_rows(archive, "select url, reason from captures where url like '%/2026/%'")}
    assert reasons == {"/2026/11/27/a-page-of-two-hundred-thousand-links/": "extract-memory",
                       "/2026/11/27/an-ordinary-story-next-to-it/": "article"}
    # reindex rebuilds the same outcome from the WARC file, its workers capped the same way
    newsarchive("reindex", "--archive-dir", archive, "--quiet", "--extract-memory", "400")
    rebuilt = {row["url"].removeprefix(base): row["reason"]
               for row in db_rows(archive, "select url, reason from captures where url like '%/2026/%'")}
    assert rebuilt == reasons


@pytest.mark.parametrize("depth", [300, 1500])
def test_a_story_after_hundreds_of_unclosed_tags_is_read(depth):
    """libxml2 stops at an element nested 256 deep unless told otherwise (huge_tree), and the rest of the
    page was lost: a story after 300 unclosed <font> tags was no article at all."""
    page = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Story</title></head><body>'
            + "<font>" * depth + f"<article><h1>Story</h1><p>{en()}</p><p>The end of the story.</p></article>"
            + "</body></html>")
    article = extract_article(page.encode(), "http://127.0.0.1/2026/11/27/a-story-after-sloppy-markup/")
    assert article is not None and article.text.endswith("The end of the story.")


def test_a_short_chinese_or_japanese_story_is_an_article_and_its_length_counts_characters():
    """Chinese and Japanese put no spaces between words: a run of \\w was a whole clause, so this 74-character
    Chinese story counted 7 words, under MIN_ARTICLE_WORDS (40): no article. Each character counts now."""
    zh = ("北京市政府周二宣布，将在明年春季之前完成对老城区供水管网的全面改造工程。"
          "市政官员表示，这项工程涉及超过三百公里的管道，预计总投资约为四十亿元人民币。")
    ja = "東京都は火曜日、来年の春までに旧市街の水道管網の全面的な改修工事を完了すると発表した。"
    for lang, text in (("zh", zh), ("ja", ja)):
        page = (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>新闻</title></head><body>'
                f"<article><h1>新闻</h1><p>{text}</p></article></body></html>")
        article = extract_article(page.encode(), f"http://127.0.0.1/2026/11/27/{lang}-story-about-water-pipes/")
        assert article is not None and article.text == text
        punctuation = sum(1 for c in text if c in "，。、")
        assert article.word_count == len(text) - punctuation


def test_a_huge_section_page_is_read_to_its_first_megabytes(tmp_path):
    """A section page is parsed into a tree in the crawl's own process (~15 times its size): past
    NEWSARCHIVE_MAX_PARSE_SIZE only its first bytes are read for links; the page is archived whole."""
    site = tmp_path / "site"
    stories = [f"/2026/11/27/story-number-{n}-linked-from-a-huge-section/" for n in range(2)]
    for path in stories:
        folder = site / path.strip("/")
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(page(f"<p>{en()}</p>"), "utf-8")
    filler = "<p>" + "Teaser text of another story. " * 2000 + "</p>"  # ~60 kB
    (site / "section").mkdir()
    (site / "section" / "index.html").write_text(
        f'<html><body><a href="{stories[0]}">first</a>{filler}<a href="{stories[1]}">past the limit</a></body></html>')
    archive = tmp_path / "archive"
    with running(site, quiet=True) as base:
        newsarchive("crawl", base + "/section/", "--archive-dir", archive, "--no-throttle", "-q",
                    "-s", "NEWSARCHIVE_MAX_PARSE_SIZE=20000")
    fetched = {row["url"].removeprefix(base) for row in db_rows(archive, "select url from captures")}
    assert stories[0] in fetched and stories[1] not in fetched
    assert db_rows(archive, "select reason from captures where url like '%/section/'") == [{"reason": "listing"}]
    log = "".join(path.read_text() for path in (archive / "logs").glob("*.log"))
    assert "its links are read from its first 0.0 MB" in log
