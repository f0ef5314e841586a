"""Incremental runs and URLs that never became an article: pages gone (404/410), moved (a redirect), failing.

A sitemap keeps listing a deleted article and an old URL that redirects; a cron job must not fetch them
every hour for months. Requests are counted in the loopback server's log, not in crawler stats.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from browsing import db_rows
from changingsite import ChangingSite, fetched, log_lines

from conftest import newsarchive
from siteserver import running

GONE, WITHDRAWN, FAILING = "/2026/11/20/deleted-story.html", "/2026/11/20/withdrawn-story.html", "/_status/503"
MOVED = "/2026/11/20/old-slug-of-a-story.html"
# Asked for every run whatever they answered: seeds (one of them gone), a sitemap robots.txt names, a
# sitemap and a feed that are gone, a listing that is gone.
EVERY_RUN = {"/", "/sitemap.xml", "/gone-seed.xml", "/robots.txt", "/sitemap-index.xml", "/sitemap-gone.xml",
             "/feed-gone.xml", "/section/gone/"}
SCHEDULE = ("-s", "NEWSARCHIVE_RECAPTURE_AFTER=8s,1d")  # 8 s: the next run decides well before it


def crawl(base, archive):
    seeds = (base + "/", base + "/sitemap.xml", base + "/gone-seed.xml")
    return newsarchive("crawl", *seeds, "--archive-dir", archive, "--no-throttle", "-q", *SCHEDULE)


def skipped(result) -> int:
    return int(re.search(r"(\d+) archived skipped", result.stdout)[1])


def test_gone_and_moved_pages_follow_the_schedule_discovery_and_errors_do_not(tmp_path):
    site = ChangingSite(tmp_path / "site")
    a = site.add(1)
    moved = site.add(2, slug="new-slug-of-a-story", listed=False)  # reached only through MOVED
    site.redirects[MOVED] = moved.path
    site.statuses[WITHDRAWN] = 410
    site.sitemap_extra.update({GONE: None, WITHDRAWN: None, FAILING: None, MOVED: None})
    site.feeds.append("/feed-gone.xml")
    site.extra_links.append("/section/gone/")
    site.robots_sitemaps.append("/sitemap-index.xml")
    site.publish()
    (site.root / "sitemap-index.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>{{BASE}}/sitemap-gone.xml</loc></sitemap></sitemapindex>\n", "utf-8",
    )
    archive, log = tmp_path / "archive", tmp_path / "server.log"
    with running(site.root, log=log, quiet=True) as base:
        crawl(base, archive)
        first_done = time.monotonic()
        first = Counter(fetched(log))
        assert set(first) == EVERY_RUN | {a.path, GONE, WITHDRAWN, FAILING, MOVED, moved.path}
        assert first[FAILING] == 3, "a 503 is retried within the run (RETRY_TIMES = 2)"

        mark = log_lines(log)
        second = crawl(base, archive)
        assert set(fetched(log, mark)) == EVERY_RUN | {FAILING}, "gone and moved pages wait for the schedule"
        assert skipped(second) == 4  # A, GONE, WITHDRAWN, MOVED (its target is not listed: not counted)

        # Between runs, A is deleted; the sitemap still lists it.
        del site.articles[a.slug]
        site.sitemap_extra[a.path] = a.lastmod
        site.publish()
        time.sleep(max(0.0, 8.2 - (time.monotonic() - first_done)))
        mark = log_lines(log)
        due = crawl(base, archive)
        assert Counter(fetched(log, mark)) - Counter(EVERY_RUN) == Counter(
            {a.path: 1, GONE: 1, WITHDRAWN: 1, MOVED: 1, moved.path: 1, FAILING: 3}
        ), "due 8 s after their first capture: each asked for once; the redirect's target with it"
        assert skipped(due) == 0

        mark = log_lines(log)
        after = crawl(base, archive)
        assert set(fetched(log, mark)) == EVERY_RUN | {FAILING}, "the next point is a day away, A's 404 included"
        assert skipped(after) == 4  # A (now gone), GONE, WITHDRAWN, MOVED

        # A sitemap date newer than the last capture brings a gone page and a redirect back at once.
        stamp = (datetime.now(UTC) + timedelta(seconds=1)).isoformat(timespec="seconds")
        site.sitemap_extra.update({GONE: stamp, MOVED: stamp})
        site.publish()
        mark = log_lines(log)
        listed = crawl(base, archive)
        assert set(fetched(log, mark)) == EVERY_RUN | {FAILING, GONE, MOVED, moved.path}
        assert skipped(listed) == 2  # A, WITHDRAWN

    redirects = db_rows(archive, "select url, status, redirect_to from captures where redirect_to is not null")
    assert {(r["url"], r["status"], r["redirect_to"]) for r in redirects} == {(base + MOVED, 301, base + moved.path)}
    assert len(redirects) == 3  # runs 1, 3 and 5
    assert [r["url"] for r in db_rows(archive, "select url from articles order by url")] == sorted([base + a.path, base + moved.path])


def test_what_settles_a_url(tmp_path):
    """``previous_capture`` over a real archive.db: which captures settle a URL, for which requests."""
    from archive.schedule import previous_capture
    from archive.store import ArchiveStore

    store = ArchiveStore(tmp_path)
    t = [f"2026-11-20T08:0{i}:00.000000Z" for i in range(6)]

    def capture(path, at, status, reason=None, to=None):
        store.add_capture(crawl_id="c1", url="http://example.org" + path, fetched_at=at, status=status,
                          reason=reason, redirect_to=to and "http://example.org" + to)

    def article(path, at):
        store.db["articles"].insert({"url": "http://example.org" + path, "site": "example.org", "text": "Story.",
                                     "fetched_at": at, "first_fetched_at": at})

    def previous(path, page=True):
        return previous_capture(store.db.conn, "http://example.org" + path, page=page)

    capture("/gone.html", t[0], 404)
    capture("/gone.html", t[2], 410)
    assert previous("/gone.html", page=False) is None, "a seed, sitemap, feed or listing that is gone may come back"
    assert (previous("/gone.html").first_fetched_at, previous("/gone.html").fetched_at) == (t[0], t[2])
    # robots.txt refused it: settled for a page request, asked again on the schedule (not every run)
    store.add_capture(crawl_id="c1", url="http://example.org/private/p.html", fetched_at=t[1],
                      reason="ignored: Forbidden by robots.txt")
    assert previous("/private/p.html").fetched_at == t[1] and previous("/private/p.html", page=False) is None
    capture("/failing.html", t[0], 503)
    store.add_capture(crawl_id="c1", url="http://example.org/down.html", fetched_at=t[0], error="TimeoutError")
    assert previous("/failing.html") is None and previous("/down.html") is None, "transient: retried every run"

    # Recaptured through a conditional request: the 304 carries the reason of the archived copy it re-parsed.
    capture("/report.pdf", t[0], 200, "not-html")
    capture("/report.pdf", t[3], 304, "not-html")
    assert previous("/report.pdf").fetched_at == t[3]

    # An archived article deleted later: its 404 is its latest capture (for a page request only).
    article("/deleted.html", t[0])
    capture("/deleted.html", t[0], 200, "article")
    capture("/deleted.html", t[4], 404)
    assert (previous("/deleted.html").first_fetched_at, previous("/deleted.html").fetched_at) == (t[0], t[4])
    assert previous("/deleted.html", page=False).fetched_at == t[0]

    # Redirects: settled by the target's captures, through a chain; not by a listing, not in a loop.
    capture("/a.html", t[1], 301, to="/b.html")
    capture("/b.html", t[1], 302, to="/c.html")
    article("/c.html", t[2])
    found = previous("/a.html")
    assert (found.url, found.fetched_at, found.redirected_at) == ("http://example.org/c.html", t[2], t[1])
    capture("/old-section", t[1], 301, to="/section/")
    capture("/section/", t[1], 200, "listing")
    assert previous("/old-section", page=False) is None, "a listing that moved is fetched every run"
    # A page sent to a listing (a deleted story redirected to its section): its own redirects decide.
    capture("/old-section", t[3], 301, to="/section/")
    found = previous("/old-section")
    assert (found.url, found.first_fetched_at, found.fetched_at) == ("http://example.org/old-section", t[1], t[3])
    capture("/to-failing.html", t[1], 301, to="/failing.html")
    assert previous("/to-failing.html") is None, "its target answered 503: retried every run"
    capture("/x.html", t[1], 301, to="/y.html")
    capture("/y.html", t[1], 301, to="/x.html")
    assert previous("/x.html") is None
    # A URL that redirected once and is an article again since: its own capture decides.
    capture("/back.html", t[0], 301, to="/c.html")
    article("/back.html", t[3])
    assert previous("/back.html").url == "http://example.org/back.html"
    # An archived article that now redirects to another archived one: the target decides.
    article("/renamed.html", t[0])
    capture("/renamed.html", t[5], 301, to="/c.html")
    assert previous("/renamed.html").url == "http://example.org/c.html"
    store.close()


def test_a_skipped_url_that_a_redirect_led_to_is_not_counted_as_skipped(tmp_path):
    """The summary's "archived skipped": a listed article not due, but fetched after all because a due
    redirect led to it, was fetched; and a redirect settled by its target counts as archived."""
    from scrapy import Request
    from scrapy.utils.test import get_crawler

    from archive.store import ArchiveStore
    from crawler.incremental import META_KIND, RecaptureFilter

    store = ArchiveStore(tmp_path)
    earlier = (datetime.now(UTC) - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    for path in ("/b.html", "/d.html"):
        store.db["articles"].insert({"url": "http://example.org" + path, "site": "example.org", "text": "Story.",
                                     "fetched_at": earlier, "first_fetched_at": earlier})
    store.add_capture(crawl_id="c0", url="http://example.org/a.html", fetched_at=earlier, status=301,
                      redirect_to="http://example.org/b.html")
    store.close()
    crawler = get_crawler(settings_dict={"NEWSARCHIVE_ARCHIVE_DIR": str(tmp_path), "NEWSARCHIVE_RECAPTURE_AFTER": "1h"})
    middleware = RecaptureFilter.from_crawler(crawler)
    page = {META_KIND: "article"}
    assert not middleware.wanted(Request("http://example.org/a.html", meta=page))
    assert not middleware.wanted(Request("http://example.org/b.html", meta=page))
    assert not middleware.wanted(Request("http://example.org/d.html", meta=page))
    # B is fetched by this run all the same (a redirect to it, followed in the downloader).
    context = middleware.context
    context.store.add_capture(crawl_id=context.crawl_id, url="http://example.org/b.html",
                              fetched_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"), status=200)
    middleware.spider_closed(None)
    assert crawler.stats.get_value("newsarchive/recapture/skipped") == 2  # A and D
    context.store.close()


def test_archives_made_before_redirect_targets_get_the_column(tmp_path):
    from archive.store import ArchiveStore

    store = ArchiveStore(tmp_path)
    store.db.execute("alter table captures drop column redirect_to")  # as archives made before it
    store.close()
    store = ArchiveStore(tmp_path)
    assert "redirect_to" in store.db["captures"].columns_dict
    store.close()


REFRESHED = "/old.html"  # a 200 page whose meta refresh sends the crawler to an article


def test_a_meta_refresh_follows_the_schedule_of_its_target_like_a_redirect(tmp_path):
    site = ChangingSite(tmp_path / "site")
    a = site.add(1)
    new = site.add(2, slug="new", listed=False)  # reached only through the refresh
    site.refreshes[REFRESHED] = f"0; url={new.path.lstrip('/')}"  # relative, as old CMSs write them
    site.sitemap_extra[REFRESHED] = None
    site.publish()
    archive, log = tmp_path / "archive", tmp_path / "server.log"
    watched = (REFRESHED, new.path)
    with running(site.root, log=log, quiet=True) as base:
        crawl(base, archive)
        first_done = time.monotonic()
        assert [fetched(log).count(path) for path in watched] == [1, 1]

        mark = log_lines(log)
        second = crawl(base, archive)
        assert [fetched(log, mark).count(path) for path in watched] == [0, 0], "settled by its target"
        assert skipped(second) == 2  # A and the refreshing page

        time.sleep(max(0.0, 8.2 - (time.monotonic() - first_done)))
        mark = log_lines(log)
        crawl(base, archive)
        assert [fetched(log, mark).count(path) for path in watched] == [1, 1], "due with its target, 8 s on"

        mark = log_lines(log)
        after = crawl(base, archive)
        assert [fetched(log, mark).count(path) for path in watched] == [0, 0], "the next point is a day away"
        assert skipped(after) == 2

    refreshes = db_rows(archive, "select status, warc_type, redirect_to, reason from captures where url = ? "
                        "order by fetched_at", [base + REFRESHED])
    # Listed in the sitemap, it is recaptured with a conditional request: the 304 sends the crawler on
    # with the archived copy (crawler/conditional.py), so it redirects as that copy does. reindex reads
    # that from the body of the response record the revisit record refers to.
    assert [(r["status"], r["warc_type"], r["redirect_to"]) for r in refreshes] == [
        (200, "response", base + new.path), (304, "revisit", base + new.path)]
    targets = db_rows(archive, "select distinct url from captures where url in (select redirect_to from captures)")
    assert [r["url"] for r in targets] == [base + new.path], "redirect_to is the url of the target's capture"
    assert {r["url"] for r in db_rows(archive, "select url from articles")} == {base + a.path, base + new.path}

    columns = "url, fetched_at, status, warc_type, redirect_to, reason"
    before = db_rows(archive, f"select {columns} from captures order by fetched_at, url")
    newsarchive("reindex", "--archive-dir", archive, "--workers", "1", "-q")
    assert db_rows(archive, f"select {columns} from captures order by fetched_at, url") == before
