"""One article, one row: links that differ only by tracking parameters (?utm_source=rss, ?fbclid=…) or
a fragment are one page to the crawl. Requests are counted in the loopback server's log."""

from __future__ import annotations

from collections import Counter

from browsing import db_rows
from changingsite import fetched

from conftest import newsarchive
from siteserver import running
from spiders.urlshapes import without_tracking

STORIES = ("/2026/11/27/first-story-about-tracking-links/", "/2026/11/27/second-story-about-tracking-links/",
           "/2026/11/27/third-story-about-tracking-links/")
WORDS = "The council met on Tuesday and voted on the budget after a long debate about schools and roads. " * 8


def test_without_tracking_keeps_every_other_parameter_as_written():
    assert without_tracking("https://x.org/a/?utm_source=rss&utm_medium=feed") == "https://x.org/a/"
    assert without_tracking("https://x.org/a?id=5&UTM_Campaign=nl&q=a%20b#top") == "https://x.org/a?id=5&q=a%20b"
    assert without_tracking("https://x.org/a?fbclid=IwAR0&gclid=x&mc_cid=1&mc_eid=2") == "https://x.org/a"
    for kept in ("https://x.org/a?gallery=2&source=x", "https://x.org/a?id=1&id=2", "https://x.org/search?q=utm_source"):
        assert without_tracking(kept) == kept


def write_site(root):
    for number, path in enumerate(STORIES, 1):
        page = root / path.strip("/") / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Story {number}</title>'
                        f'<meta property="og:type" content="article"></head><body><article><h1>Story {number}</h1>'
                        f"<p>{WORDS}</p><p>Story number {number}.</p></article></body></html>", "utf-8")
    first, second, third = STORIES
    (root / "index.html").write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Front</title>'
        '<link rel="alternate" type="application/rss+xml" href="/feed.rss"></head><body>'
        f'<a href="{first}">one</a> <a href="{second}?fbclid=IwAR0xyz">two</a> <a href="{first}#comments">one</a>'
        "</body></html>", "utf-8")
    (root / "feed.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title><link>{{BASE}}/</link>'
        f"<item><title>Story 1</title><link>{{{{BASE}}}}{first}?utm_source=rss&amp;utm_medium=feed</link></item>"
        f"<item><title>Story 2</title><link>{{{{BASE}}}}{second}?utm_campaign=newsletter</link></item>"
        "</channel></rss>", "utf-8")
    (root / "sitemap.xml").write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{{{{BASE}}}}{third}?utm_source=sitemap</loc></url><url><loc>{{{{BASE}}}}{first}</loc></url>"
        "</urlset>", "utf-8")


def test_an_article_linked_with_and_without_tracking_parameters_is_fetched_and_stored_once(tmp_path):
    write_site(tmp_path / "site")
    archive, log = tmp_path / "archive", tmp_path / "server.log"
    with running(tmp_path / "site", log=log, quiet=True) as base:
        newsarchive("crawl", base + "/", base + "/sitemap.xml", "--archive-dir", archive, "--no-throttle", "-q")
    requests = Counter(fetched(log))
    assert {path: requests[path] for path in STORIES} == dict.fromkeys(STORIES, 1)
    assert not [path for path in requests if "utm_" in path or "fbclid" in path]
    urls = sorted(row["url"].removeprefix(base) for row in db_rows(archive, "select url from articles"))
    assert urls == sorted(STORIES)
