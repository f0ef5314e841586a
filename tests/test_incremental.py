"""Incremental runs against a site that changes between runs: what the second run fetches, what it keeps."""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import UTC, datetime, timedelta

from changingsite import ChangingSite, Story, fetched, log_lines

from conftest import newsarchive
from siteserver import running

SEED_PATHS = {"/", "/robots.txt", "/sitemap.xml"}


def rows(db_path, sql, *args):
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, args)]
    finally:
        conn.close()


def crawl(base, archive, *extra):
    seeds = (base + "/", base + "/sitemap.xml")  # a front page and a sitemap, refetched every run
    return newsarchive("crawl", *seeds, "--archive-dir", archive, "--no-throttle", "-q", *extra)


def articles_fetched(paths):
    """Article paths in fetch order; a path twice would mean a duplicate fetch."""
    return sorted(p for p in paths if p.endswith(".html"))


def test_second_run_fetches_seeds_new_and_changed_only(tmp_path):
    site = ChangingSite(tmp_path / "site")
    a, b, c = site.add(1), site.add(2), site.add(3)
    # Article-shaped, too little text to be an article: settled by its first capture, not fetched hourly.
    gallery = Story("photo-gallery-of-the-week", "Photos of the week", ["Twelve photographs."])
    site.articles[gallery.slug] = gallery
    site.publish()
    archive, log = tmp_path / "archive", tmp_path / "server.log"
    with running(site.root, log=log, quiet=True) as base:
        crawl(base, archive)
        first = set(fetched(log))
        assert first == SEED_PATHS | {a.path, b.path, c.path, gallery.path}

        # Between runs: A is corrected (and the sitemap says so), D is published, C is taken down.
        a.title = "Story 1 headline, corrected"
        a.body = [a.body[0], "A paragraph added after publication, with the council's reply in full.", *a.body[1:]]
        # Edited after our capture; sitemap dates have whole seconds, so round up past the capture.
        a.lastmod = (datetime.now(UTC) + timedelta(seconds=1)).isoformat(timespec="seconds")
        d = site.add(4)
        del site.articles[c.slug]
        site.publish()

        mark = log_lines(log)
        result = crawl(base, archive)
        second = fetched(log, mark)
    assert set(second) == SEED_PATHS | {a.path, d.path}
    assert articles_fetched(second) == sorted([a.path, d.path]), "B (unchanged), C (gone), the gallery: not fetched"
    assert "1 new articles, 1 updated (1 new versions), 2 archived skipped" in result.stdout  # B, the gallery

    db = archive / "archive.db"
    crawls = rows(db, "select * from crawls order by started_at")
    assert [r["status"] for r in crawls] == ["finished", "finished"]
    assert [(r["articles_new"], r["articles_updated"], r["versions_new"]) for r in crawls] == [(3, 0, 0), (1, 1, 1)]
    assert len(json.loads(crawls[1]["seeds"])) == 2

    articles = {r["url"].removeprefix(base): r for r in rows(db, "select * from articles")}
    assert set(articles) == {a.path, b.path, c.path, d.path}, "a removed article stays in the archive"
    assert articles[a.path]["title"] == "Story 1 headline, corrected"
    assert articles[a.path]["crawl_id"] == crawls[1]["id"]
    assert articles[a.path]["first_fetched_at"] < articles[a.path]["fetched_at"]
    assert articles[b.path]["crawl_id"] == crawls[0]["id"]

    versions = rows(db, "select * from article_versions where url = ? order by version", base + a.path)
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[0]["title"] == "Story 1 headline" and versions[0]["diff"] is None
    assert versions[1]["crawl_id"] == crawls[1]["id"]
    assert versions[1]["warc_record_id"] == articles[a.path]["warc_record_id"]
    diff = versions[1]["diff"]
    assert "-title: Story 1 headline\n+title: Story 1 headline, corrected" in diff
    assert "+A paragraph added after publication, with the council's reply in full." in diff
    # Unchanged and new articles: exactly one version each.
    counts = {r["url"].removeprefix(base): r["n"] for r in rows(db, "select url, count(*) n from article_versions group by url")}
    assert counts == {a.path: 2, b.path: 1, c.path: 1, d.path: 1}

    shown = newsarchive("versions", base + a.path, "--archive-dir", archive).stdout
    assert "version 1" in shown and "version 2" in shown
    assert "+title: Story 1 headline, corrected" in shown
    missing = newsarchive("versions", base + "/nope.html", "--archive-dir", archive, check=False)
    assert missing.returncode == 1 and "not in the archive" in missing.stderr


def test_recapture_when_due_then_never(tmp_path):
    """Schedule "8s,1d": not due at once; due after 8 s (an edit found then is a version); then not again."""
    site = ChangingSite(tmp_path / "site")
    a, b = site.add(1), site.add(2)
    site.publish()
    archive, log = tmp_path / "archive", tmp_path / "server.log"
    # 8 s: long enough that the next run decides before it even on a busy machine.
    schedule = ("-s", "NEWSARCHIVE_RECAPTURE_AFTER=8s,1d")
    with running(site.root, log=log, quiet=True) as base:
        crawl(base, archive, *schedule)
        started = time.monotonic()
        mark = log_lines(log)
        crawl(base, archive, *schedule)
        assert set(fetched(log, mark)) == SEED_PATHS, "nothing is due yet"

        b.body = [*b.body[:-1], b.body[-1] + " Correction: the vote was 31 to 19, not 13 to 19."]
        site.publish()  # the sitemap lastmod stays the same: only the schedule brings B back
        time.sleep(max(0.0, 8.2 - (time.monotonic() - started)))
        mark = log_lines(log)
        due = crawl(base, archive, *schedule)
        assert articles_fetched(fetched(log, mark)) == sorted([a.path, b.path])
        assert "0 new articles, 2 updated (1 new versions)" in due.stdout

        mark = log_lines(log)
        crawl(base, archive, *schedule)
        assert set(fetched(log, mark)) == SEED_PATHS, "the next point is a day away"

        # A sitemap that stamps every entry with the current time: trusted, it brings everything back;
        # with NEWSARCHIVE_TRUST_LASTMOD=False only the schedule does.
        for story in (a, b):
            story.lastmod = (datetime.now(UTC) + timedelta(seconds=1)).isoformat(timespec="seconds")
        site.publish()
        mark = log_lines(log)
        crawl(base, archive, *schedule, "-s", "NEWSARCHIVE_TRUST_LASTMOD=False")
        assert articles_fetched(fetched(log, mark)) == []

        # With incremental runs off, everything is fetched again, and unchanged pages add no version.
        mark = log_lines(log)
        crawl(base, archive, "-s", "NEWSARCHIVE_INCREMENTAL=False")
        assert articles_fetched(fetched(log, mark)) == sorted([a.path, b.path])

    db = archive / "archive.db"
    versions = rows(db, "select url, version, diff from article_versions order by url, version")
    assert [(v["url"].removeprefix(base), v["version"]) for v in versions] == [(a.path, 1), (b.path, 1), (b.path, 2)]
    assert "+Paragraph 3 of story 2" in versions[2]["diff"] and "Correction: the vote was 31 to 19" in versions[2]["diff"]
    assert [r["versions_new"] for r in rows(db, "select versions_new from crawls order by started_at")] == [0, 0, 1, 0, 0, 0]


def test_bad_schedule_is_a_usage_error(tmp_path):
    result = newsarchive(
        "crawl", "http://127.0.0.1:9/", "--archive-dir", tmp_path, "-s", "NEWSARCHIVE_RECAPTURE_AFTER=1h,soon",
        check=False,
    )
    assert result.returncode == 2
    assert "bad recapture delay 'soon'" in result.stderr
    assert not (tmp_path / "archive.db").exists()


def test_urls_fetched_by_this_run_are_not_counted_as_archived_skips(tmp_path):
    """A second link to an article this very run fetched is dropped, but it is not an "archived skip"
    (the summary would claim the archive had it before)."""
    from scrapy import Request
    from scrapy.utils.test import get_crawler

    from archive.store import ArchiveStore
    from crawler.incremental import RecaptureFilter

    store = ArchiveStore(tmp_path)
    now = datetime.now(UTC)
    for url, when in (("http://example.org/a/old.html", now - timedelta(minutes=30)),
                      ("http://example.org/a/this-run.html", now + timedelta(seconds=1))):
        stamp = when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        store.db["articles"].insert({"url": url, "site": "example.org", "text": "Story.", "fetched_at": stamp,
                                    "first_fetched_at": stamp})
    store.close()
    crawler = get_crawler(settings_dict={"NEWSARCHIVE_ARCHIVE_DIR": str(tmp_path), "NEWSARCHIVE_RECAPTURE_AFTER": "1h"})
    middleware = RecaptureFilter.from_crawler(crawler)
    assert not middleware.wanted(Request("http://example.org/a/old.html"))  # archived earlier, not due
    assert not middleware.wanted(Request("http://example.org/a/this-run.html"))  # fetched by this run
    assert middleware.wanted(Request("http://example.org/a/new.html"))
    assert middleware.skipped == {"http://example.org/a/old.html"}
    middleware.context.store.close()


def test_an_extractor_upgrade_is_no_revision(tmp_path):
    """Archived by an older extractor that kept the site's name in titles: the recapture after the
    upgrade re-extracts the latest version's capture first, so only the publisher's real edit (story 2)
    becomes a version; story 1, whose bytes changed but not its text, gets none."""
    from archive.extract import EXTRACTOR_VERSION

    site = ChangingSite(tmp_path / "site")
    a, b = site.add(1), site.add(2)
    site.publish()
    archive, log = tmp_path / "archive", tmp_path / "server.log"
    db = archive / "archive.db"
    with running(site.root, log=log, quiet=True) as base:
        crawl(base, archive)
        conn = sqlite3.connect(db)
        with conn:  # what the older extractor stored
            for table in ("articles", "article_versions"):
                conn.execute(f"update {table} set title = title || ' | Changing Times', extractor_version = '4+old'")
        conn.close()
        a.published = b.published = "2026-11-20T09:00:00+00:00"  # new bytes, the same title and text
        b.body = [*b.body[:-1], b.body[-1] + " Correction: the vote was 31 to 19, not 13 to 19."]
        site.publish()
        crawl(base, archive, "-s", "NEWSARCHIVE_INCREMENTAL=False")
    found = rows(db, "select url, version, title, extractor_version, diff from article_versions order by url, version")
    assert [(v["url"].removeprefix(base), v["version"]) for v in found] == [(a.path, 1), (b.path, 1), (b.path, 2)]
    assert {v["title"] for v in found} == {"Story 1 headline", "Story 2 headline"}
    assert {v["extractor_version"] for v in found} == {EXTRACTOR_VERSION}
    assert "Correction: the vote was 31 to 19" in found[2]["diff"] and "title:" not in found[2]["diff"]
