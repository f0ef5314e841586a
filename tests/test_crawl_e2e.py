"""End to end: `newsarchive crawl` in a subprocess over the loopback demo site, then check the archive."""

from __future__ import annotations

import gzip
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.extract import EXTRACTOR_VERSION
from archive.search import search
from archive.store import ArchiveStore
from archive.warcreader import read_record
from conftest import ROOT, SITES, newsarchive

EXPECTED = json.loads((SITES / "demo" / "EXPECTED.json").read_text())
WARCIO = Path(sys.executable).parent / "warcio"


def rows(archive_dir: Path, sql: str, params=()) -> list[dict]:
    conn = sqlite3.connect(archive_dir / "archive.db")
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def warc_files(archive_dir: Path) -> list[Path]:
    return sorted((archive_dir / "warc").glob("*.warc.gz"))


def test_crawl_exits_zero_and_prints_summary(demo_archive):
    _, result = demo_archive
    assert result.returncode == 0
    assert "11 new articles" in result.stdout
    # Articles linked from several pages are fetched once; a first crawl has nothing "archived" to skip.
    assert "0 archived skipped" in result.stdout


def test_every_warc_file_passes_warcio_check(demo_archive):
    archive_dir, _ = demo_archive
    files = warc_files(archive_dir)
    assert files, "no WARC file written"
    assert not list((archive_dir / "warc").glob("*.open")), "a closed crawl left an .open file"
    for path in files:
        check = subprocess.run([str(WARCIO), "check", "-v", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        assert "digest pass" in check.stdout


def test_warc_records_are_faithful(demo_archive, demo_site):
    archive_dir, _ = demo_archive
    types, gzip_bodies, first_types = [], 0, []
    requests = {}
    for path in warc_files(archive_dir):
        with open(path, "rb") as handle:
            for index, record in enumerate(ArchiveIterator(handle)):
                headers = record.rec_headers
                if index == 0:
                    first_types.append(record.rec_type)
                    info = record.content_stream().read().decode()
                    assert "isPartOf:" in info and "http-header-capture:" in info and "robots: obey" in info
                types.append(record.rec_type)
                assert headers.protocol == "WARC/1.1"
                if record.rec_type == "response":
                    assert headers.get_header("WARC-IP-Address") == "127.0.0.1"
                    assert headers.get_header("WARC-Payload-Digest").startswith("sha1:")
                    assert headers.get_header("WARC-Block-Digest").startswith("sha1:")
                    if record.http_headers.get_header("Content-Encoding") == "gzip":
                        raw = record.raw_stream.read()
                        body = raw[raw.index(b"\r\n\r\n") + 4 :] if b"\r\n\r\n" in raw[:4096] else raw
                        gzip_bodies += 1
                        assert gzip.decompress(body)  # stored as received: still gzip
                elif record.rec_type == "request":
                    requests[headers.get_header("WARC-Concurrent-To")] = record
                    statusline = record.http_headers.protocol + " " + record.http_headers.statusline
                    assert statusline.startswith("GET /") and statusline.endswith("HTTP/1.1")
                    assert record.http_headers.get_header("Host") == urlsplit(demo_site).netloc
                    assert "gzip" in record.http_headers.get_header("Accept-Encoding")
                    assert "zstd" not in record.http_headers.get_header("Accept-Encoding")
                    assert re.match(r"newsarchive/\S+ \(\+\S+\)$", record.http_headers.get_header("User-Agent"))
    assert set(first_types) == {"warcinfo"}
    assert types.count("response") == types.count("request") >= 25
    assert gzip_bodies >= 10, "the site gzips text: raw bodies must be kept compressed"
    # Robots.txt, sitemaps, feeds, redirects, errors, binaries: every kind of response is archived.
    urls = {r["url"] for r in rows(archive_dir, "select url from captures where warc_record_id is not null")}
    for path in ["/robots.txt", "/sitemap_index.xml", "/sitemap-news.xml", "/feed.rss", "/atom.xml",
                 "/broken-feed.rss", "/sitemap-broken.xml", "/report.pdf", "/photo.jpg",
                 *EXPECTED["redirects"]]:
        assert demo_site + path in urls, path


def test_article_rows_point_at_their_records(demo_archive, demo_site):
    archive_dir, _ = demo_archive
    articles = rows(archive_dir, "select * from articles")
    assert {urlsplit(a["url"]).path for a in articles} == set(EXPECTED["articles"])
    for article in articles:
        record = read_record(archive_dir / "warc", article["warc_filename"], article["warc_offset"], article["warc_length"])
        assert record.rec_type == "response"
        assert record.record_id == article["warc_record_id"]
        assert record.url == article["url"]
        first_paragraph = EXPECTED["articles"][urlsplit(article["url"]).path]["paragraphs"][0]
        encoding = EXPECTED["articles"][urlsplit(article["url"]).path].get("encoding") or "utf-8"
        assert first_paragraph.split()[3] in record.body.decode(encoding)


def test_metadata_and_text(demo_archive):
    archive_dir, _ = demo_archive
    by_path = {urlsplit(a["url"]).path: a for a in rows(archive_dir, "select * from articles")}
    for path, expected in EXPECTED["articles"].items():
        row = by_path[path]
        assert row["title"] == expected["title"]
        assert row["language"] == expected["language"]
        assert (row["published"] or "")[:10] == expected["published"]
        assert expected["author"] in json.loads(row["authors"])
        assert row["image_caption"] == expected["caption"]
        assert not row["text"].startswith(expected["title"])
        assert expected["caption"] not in row["text"]
        for paragraph in expected["paragraphs"]:
            assert " ".join(paragraph.split()) in " ".join(row["text"].split())
        for junk in EXPECTED["boilerplate"]:
            assert junk not in row["text"], (path, junk)


def test_wrong_charset_page_is_decoded(demo_archive):
    archive_dir, _ = demo_archive
    row = rows(archive_dir, "select text from articles where url like '%latin1.html'")[0]
    assert "déjà vu" in row["text"] and "Café Marchand" in row["text"]


def test_news_sitemap_fields_are_kept(demo_archive, demo_site):
    archive_dir, _ = demo_archive
    # This article is listed only in the Google News sitemap.
    (row,) = rows(archive_dir, "select * from articles where url like '%library-seed-lending-drawer.html'")
    assert row["discovered_via"] == "sitemap"
    assert row["listed_in"] == demo_site + "/sitemap-news.xml"
    assert row["sitemap_lastmod"] == "2026-11-24T08:15:00+00:00"
    assert row["listed_published"] == "2026-11-24T08:15:00+00:00"
    assert row["listed_title"] == "Library’s seed-lending drawer outgrows its cabinet"
    assert row["listed_language"] == "en"


def test_non_articles_and_robots(demo_archive, demo_site):
    archive_dir, _ = demo_archive
    stored = {urlsplit(r["url"]).path for r in rows(archive_dir, "select url from articles")}
    assert not stored & set(EXPECTED["non_articles"])
    binaries = rows(archive_dir, "select url, reason from captures where url like '%.pdf' or url like '%.jpg'")
    # Linked attachments are fetched as pages (not-html); the images the pages embed as their requisites.
    images = {f"/img/{p.name}": "requisite" for p in (SITES / "demo" / "img").glob("*.jpg")}
    assert len(images) == 11
    assert {urlsplit(r["url"]).path: r["reason"] for r in binaries} == {
        "/report.pdf": "not-html", "/photo.jpg": "not-html", **images}
    assert len(binaries) == 13  # each fetched once
    # The disallowed page was never fetched: recorded as skipped, absent from every WARC file.
    skipped = rows(archive_dir, "select reason, warc_record_id from captures where url like '%/private/%'")
    assert skipped and all(r["warc_record_id"] is None and "robots" in r["reason"] for r in skipped)
    for path in warc_files(archive_dir):
        assert EXPECTED["disallowed_canary"].encode() not in gzip.open(path).read()


def test_page_requisites_are_archived_once_each(demo_archive, demo_site):
    """Every image and the stylesheet the demo pages embed: one response each, with the page that
    embedded it first; none of them is an article or parsed for one."""
    archive_dir, _ = demo_archive
    captures = rows(archive_dir, "select url, status, warc_type, embedded_by from captures where reason = 'requisite'")
    embeds = {f"/img/{p.name}" for p in (SITES / "demo" / "img").iterdir()} | {"/static/site.css"}
    assert sorted(urlsplit(c["url"]).path for c in captures) == sorted(embeds)  # 11 photos, the logo, the CSS
    assert all(c["status"] == 200 and c["warc_type"] == "response" for c in captures)
    pages = {r["url"] for r in rows(archive_dir, "select url from captures where reason in ('article', 'listing')")}
    assert all(c["embedded_by"] in pages for c in captures), captures
    assert not rows(archive_dir, "select url from articles where url like '%.jpg' or url like '%.css'")


def test_malformed_xml_is_recorded_and_crawl_goes_on(demo_archive):
    archive_dir, _ = demo_archive
    reasons = {urlsplit(r["url"]).path: r["reason"] for r in rows(archive_dir, "select url, reason from captures")}
    assert reasons["/broken-feed.rss"] == "malformed-feed"
    assert reasons["/sitemap-broken.xml"] == "malformed-xml"


def test_crawl_row(demo_archive, demo_site):
    archive_dir, _ = demo_archive
    (crawl,) = rows(archive_dir, "select * from crawls")
    assert crawl["status"] == "finished" and crawl["finish_reason"] == "finished"
    assert json.loads(crawl["seeds"]) == [demo_site + "/"]
    assert crawl["articles_new"] == len(EXPECTED["articles"])
    assert crawl["pages_fetched"] >= 25 and crawl["ended_at"] > crawl["started_at"]
    assert json.loads(crawl["warc_files"]) == [p.name for p in warc_files(archive_dir)]


def test_full_text_search_finds_each_article_by_a_phrase(demo_archive):
    archive_dir, _ = demo_archive
    store = ArchiveStore(archive_dir, read_only=True)
    for path, expected in EXPECTED["articles"].items():
        hits = search(store.db, f'"{expected["phrase"]}"')
        assert hits and urlsplit(hits[0].url).path == path, expected["phrase"]
    # FTS syntax from a user never raises.
    for hostile in ['"unbalanced', "NEAR(", "((", "*", "a AND", 'x" OR "']:
        search(store.db, hostile)


def test_search_show_stats_commands(demo_archive):
    archive_dir, _ = demo_archive
    path, expected = next(iter(EXPECTED["articles"].items()))
    out = newsarchive("search", f'"{expected["phrase"]}"', "--archive-dir", archive_dir, "--json").stdout
    hit = json.loads(out.splitlines()[0])
    assert urlsplit(hit["url"]).path == path and "[" in hit["snippet"]
    shown = newsarchive("show", hit["url"], "--archive-dir", archive_dir).stdout
    assert expected["title"] in shown and "offset" in shown and expected["paragraphs"][0][:40] in shown
    html = newsarchive("show", hit["url"], "--archive-dir", archive_dir, "--html").stdout
    assert "<html" in html.lower()
    stats = newsarchive("stats", "--archive-dir", archive_dir).stdout
    assert f"{len(EXPECTED['articles'])} articles" in stats
    # the latest run, as an operator checking last night's cron job reads it
    (latest,) = [line for line in stats.splitlines() if line.startswith("  2") and " finished " in line]
    assert f"{len(EXPECTED['articles'])} new, 0 updated" in latest and "(ran " in latest
    numbers = json.loads(newsarchive("stats", "--archive-dir", archive_dir, "--json").stdout)
    assert numbers["recent_crawls"][0]["status"] == "finished"
    assert "http 404" in {row["reason"] for row in numbers["reasons"]}  # an error answer by its status
    languages = {row["language"]: row["articles"] for row in numbers["per_language"]}
    assert sum(languages.values()) == len(EXPECTED["articles"]) and "fr" in languages
    assert f"languages: en {languages['en']}, fr {languages['fr']}" in stats
    assert numbers["per_extractor"] == [{"extractor_version": EXTRACTOR_VERSION, "articles": len(EXPECTED["articles"])}]
    assert "extracted by:" not in stats  # one extractor made every row
    missing = newsarchive("show", "http://nowhere.invalid/x", "--archive-dir", archive_dir, check=False)
    assert missing.returncode == 1 and "not in the archive" in missing.stderr


def test_gzip_file_sitemaps_are_read(tmp_path):
    """``sitemap.xml.gz`` served as a gzip file (``application/gzip``, no Content-Encoding: the bytes
    on the wire are the gzip file itself) is a sitemap: its articles are archived, and its WARC record
    keeps the gzip file as served."""
    import shutil

    from siteserver import running

    site = tmp_path / "site"
    shutil.copytree(SITES / "demo", site)
    news = site / "sitemap-news.xml"
    (site / "sitemap-news.xml.gz").write_bytes(gzip.compress(news.read_bytes()))
    news.unlink()
    index = site / "sitemap_index.xml"
    index.write_text(index.read_text().replace("/sitemap-news.xml<", "/sitemap-news.xml.gz<"))
    listed = re.findall(r"<loc>\{\{BASE\}\}(/[^<]+)</loc>", gzip.decompress((site / "sitemap-news.xml.gz").read_bytes()).decode())
    archive_dir = tmp_path / "archive"
    with running(site, quiet=True) as base:
        newsarchive("crawl", f"{base}/sitemap_index.xml", "--archive-dir", archive_dir, "--no-throttle", "-q")
    (capture,) = rows(archive_dir, "select reason, content_type from captures where url like '%sitemap-news.xml.gz'")
    assert capture["reason"] == "urlset" and capture["content_type"].startswith("application/gzip")
    archived = {urlsplit(row["url"]).path for row in rows(archive_dir, "select url from articles")}
    assert listed and set(listed) <= archived


def test_unreachable_seed_fails_with_one_line(tmp_path):
    result = newsarchive("crawl", "http://127.0.0.1:9/", "--archive-dir", tmp_path, "--no-throttle", "-q", check=False)
    assert result.returncode == 1
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("error: seed")]
    assert len(lines) == 1 and "http://127.0.0.1:9/" in lines[0]
    (crawl,) = rows(tmp_path, "select status, failed_seeds from crawls")
    assert crawl["status"] == "failed" and "http://127.0.0.1:9/" in json.loads(crawl["failed_seeds"])
    assert rows(tmp_path, "select error from captures where error is not null")


@pytest.mark.parametrize("seed", ["example.org", "ftp://example.org/", "not a url"])
def test_bad_seed_url_is_a_usage_error(tmp_path, seed):
    result = newsarchive("crawl", seed, "--archive-dir", tmp_path, check=False)
    assert result.returncode == 2 and "not an http(s) URL" in result.stderr
    assert not (tmp_path / "archive.db").exists()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [(["--spider", "nosuch"], 2, "unknown spider 'nosuch'; the spiders are news, rferl"),
     (["--max-pages", "-1"], 2, "-1 is not in the range"),
     (["--set", "CONCURRENT_REQUESTS=many"], 1,
      "the crawl could not start: ValueError: invalid literal for int() with base 10: 'many'; nothing was archived")],
)
def test_crawl_that_cannot_start_says_why(tmp_path, args, code, message):
    """An unknown spider, a bad option, a setting Scrapy cannot read: one error line and an exit code for
    cron, no "Unhandled error in Deferred", no crawl recorded. (Port 9: nothing is fetched anyway.)"""
    result = newsarchive("crawl", "http://127.0.0.1:9/", "--archive-dir", tmp_path, *args, check=False)
    assert result.returncode == code, result.stderr[-2000:]
    assert message in result.stderr
    assert "Unhandled error in Deferred" not in result.stderr
    if (tmp_path / "archive.db").exists():
        assert not rows(tmp_path, "select id from crawls")


def test_archive_folder_that_cannot_be_created_is_a_clear_error(tmp_path):
    (tmp_path / "a-file").write_text("")
    result = newsarchive("crawl", "http://127.0.0.1:9/", "--archive-dir", tmp_path / "a-file" / "archive", check=False)
    assert result.returncode == 1 and "cannot create the archive folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_archive_gives_clear_message(tmp_path):
    result = newsarchive("search", "x", "--archive-dir", tmp_path / "none", check=False)
    assert result.returncode == 1 and "no archive at" in result.stderr


def test_scrapy_crawl_news_is_the_same_spider(demo_site, tmp_path):
    env = {"NEWSARCHIVE_ARCHIVE_DIR": str(tmp_path), "PATH": str(Path(sys.executable).parent)}
    if "PYTHONPATH" in os.environ:  # a checkout run against another's venv: its own code, not the installed one
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    result = subprocess.run(
        [str(Path(sys.executable).parent / "scrapy"), "crawl", "news", "-a", f"seeds={demo_site}/",
         "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
         "-s", "LOG_LEVEL=WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(rows(tmp_path, "select url from articles")) == len(EXPECTED["articles"])


def test_recrawl_of_unchanged_site_records_no_edits(demo_site, tmp_path):
    # Full re-crawl (not incremental): identical pages, but the second run knows the site's learned
    # boilerplate. Cleaning that improves is not an edit by the publisher.
    for _ in range(2):
        newsarchive("crawl", demo_site + "/", "--archive-dir", tmp_path, "--no-throttle", "-q",
                    "-s", "NEWSARCHIVE_INCREMENTAL=0")
    edits = rows(tmp_path, "select url, version from article_versions where version > 1")
    assert edits == []
    latest = rows(tmp_path, "select a.url from articles a join article_versions v on v.url = a.url "
                            "and v.warc_record_id = a.warc_record_id where v.text != a.text")
    assert latest == []


def test_extraction_timeout_is_recorded_and_the_crawl_goes_on(demo_site, tmp_path):
    """Pages over NEWSARCHIVE_EXTRACT_TIMEOUT (here 1 µs): each one's worker killed and replaced, each
    capture says why it has no article, and the crawl still ends normally."""
    archive_dir = tmp_path / "a"
    result = newsarchive("crawl", demo_site + "/", "--archive-dir", archive_dir, "--no-throttle",
                         "-s", "NEWSARCHIVE_EXTRACT_TIMEOUT=0.000001")
    assert result.returncode == 0, result.stderr
    outcomes = [r["reason"] for r in rows(archive_dir, "select reason from captures where reason like 'extract-%' "
                                                       "or reason = 'article'")]
    # All 11 article pages time out, each alone: a timeout no longer kills the other pages' workers
    # (which left pages in flight "extract-error: BrokenProcessPool" when their retry met another
    # timeout). The pool's thread that sent a page decides when its time is up (archive/workerpool.py),
    # and no page's extraction takes less than 1 µs.
    assert outcomes == ["extract-timeout"] * 11, outcomes
    assert rows(archive_dir, "select count(*) as n from articles")[0]["n"] == 0
    assert result.stderr.count("its worker was killed and replaced") == 11, result.stderr[-3000:]
    assert rows(archive_dir, "select status from crawls")[0]["status"] == "finished"
