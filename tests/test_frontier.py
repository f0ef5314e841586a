"""Pending requests past NEWSARCHIVE_FRONTIER_MEMORY wait on disk (crawler/frontier.py), nothing lost."""

from __future__ import annotations

import re
import signal
import sqlite3
import subprocess
import time
from datetime import UTC, datetime

from changingsite import fetched
from scrapy import Request, Spider
from scrapy.utils.test import get_crawler

from conftest import NEWSARCHIVE, newsarchive
from crawler.frontier import FRONTIER_SUBDIR, SpillingQueue
from siteserver import running


class QueueSpider(Spider):
    name = "queue-test"

    def parse(self, response):  # pragma: no cover (never called: requests only travel through the queue)
        return []


def queue(tmp_path, limit: int, key: str = "/10") -> SpillingQueue:
    crawler = get_crawler(QueueSpider, {"NEWSARCHIVE_ARCHIVE_DIR": str(tmp_path), "NEWSARCHIVE_FRONTIER_MEMORY": limit})
    crawler.spider = QueueSpider.from_crawler(crawler)
    return SpillingQueue.from_crawler(crawler, key)


def test_requests_past_the_limit_wait_on_disk_first_in_first_out(tmp_path):
    q = queue(tmp_path, limit=5)
    spider = q.crawler.spider
    urls = [f"http://127.0.0.1/a/{i}" for i in range(40)]
    for url in urls[:20]:
        q.push(Request(url, callback=spider.parse, meta={"kind": "article", "hints": {"title": url}}))
    assert len(q) == 20 and len(q.memory) == 5
    assert list((tmp_path / FRONTIER_SUBDIR).iterdir())  # the other 15 are on disk
    popped = [q.pop() for _ in range(8)]  # five from memory, then three from disk
    for url in urls[20:]:  # disk not empty: newer requests queue behind the ones there
        q.push(Request(url, callback=spider.parse))
    while len(q):
        popped.append(q.pop())
    assert [r.url for r in popped] == urls
    assert popped[10].meta["hints"] == {"title": urls[10]} and popped[10].callback == spider.parse
    assert q.pop() is None and q.budget.in_memory == 0
    assert not list((tmp_path / FRONTIER_SUBDIR).iterdir())  # emptied: its folder is gone


def test_the_limit_counts_every_queue_of_the_crawl_and_unstorable_requests_stay_in_memory(tmp_path):
    first = queue(tmp_path, limit=3)
    second = SpillingQueue.from_crawler(first.crawler, "/20")
    for i in range(3):
        first.push(Request(f"http://127.0.0.1/first/{i}", callback=first.crawler.spider.parse))
    second.push(Request("http://127.0.0.1/second/0", callback=first.crawler.spider.parse))
    assert len(second.memory) == 0 and len(second) == 1  # the crawl's budget was spent by the first queue
    second.push(Request("http://127.0.0.1/second/1", callback=lambda response: None))  # not a spider method
    assert [r.url for r in (second.pop(), second.pop())] == ["http://127.0.0.1/second/1", "http://127.0.0.1/second/0"]
    first.close()
    second.close()
    assert first.budget.in_memory == 0 and not list((tmp_path / FRONTIER_SUBDIR).iterdir())


def test_a_crawl_whose_requests_wait_on_disk_archives_the_same_pages(demo_site, demo_archive, tmp_path):
    archive = tmp_path / "archive"
    leftover = archive / FRONTIER_SUBDIR / "priority_-10-killedrun"
    leftover.mkdir(parents=True)
    (leftover / "queue").write_bytes(b"a killed crawl's queue")
    result = newsarchive("crawl", demo_site + "/", "--archive-dir", archive, "--no-throttle",
                         "-s", "NEWSARCHIVE_FRONTIER_MEMORY=2")
    log = "".join(path.read_text() for path in (archive / "logs").glob("*.log"))
    assert "newer ones wait on disk" in log and "cannot wait on disk" not in log
    assert "removed 1 queue folder(s)" in log
    assert not list((archive / FRONTIER_SUBDIR).iterdir())

    def fetched(archive_dir) -> set[tuple[str, int]]:
        conn = sqlite3.connect(archive_dir / "archive.db")
        try:
            return set(conn.execute("select url, status from captures where error is null"))
        finally:
            conn.close()

    reference, _ = demo_archive
    assert fetched(archive) == fetched(reference)
    assert "finished" in result.stdout


def test_a_stopped_crawl_stops_going_through_the_sitemaps_it_downloaded(tmp_path):
    """SIGTERM while big sitemaps are being read: the spider yields no more of their entries (requests that
    would never be sent); before, a stop waited until every downloaded sitemap had been gone through (two
    minutes for 20 sitemaps of 50,000 URLs: a service manager kills a stop that slow)."""
    site = tmp_path / "site"
    site.mkdir()
    count, per_sitemap = 6, 20_000
    (site / "sitemap.xml").write_text(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<sitemap><loc>{{{{BASE}}}}/sitemap-{i}.xml</loc></sitemap>" for i in range(count))
        + "</sitemapindex>", "utf-8")
    for i in range(count):
        (site / f"sitemap-{i}.xml").write_text(
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<url><loc>{{{{BASE}}}}/2026/11/28/story-{i}-{j}-of-the-archive/</loc></url>"
                      for j in range(per_sitemap))
            + "</urlset>", "utf-8")
    archive, log = tmp_path / "archive", tmp_path / "server.log"
    with running(site, log=log, quiet=True) as base:
        crawl = subprocess.Popen([str(NEWSARCHIVE), "crawl", base + "/sitemap.xml", "--archive-dir", str(archive),
                                  "--no-throttle", "--no-extract", "-q"], stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True)
        try:
            while "/sitemap-" not in (log.read_text() if log.exists() else ""):
                assert crawl.poll() is None, crawl.stdout.read()
                time.sleep(0.05)
            crawl.send_signal(signal.SIGTERM)
            output = crawl.communicate(timeout=120)[0]
        finally:
            crawl.kill()
    assert crawl.returncode == 3, output  # interrupted, closed cleanly
    stats = "".join(path.read_text() for path in (archive / "logs").glob("*.log"))
    enqueued = int(re.search(r"'scheduler/enqueued': (\d+)", stats)[1])
    assert enqueued < per_sitemap, enqueued  # not even one whole sitemap's entries after the signal


def test_a_sites_back_catalogue_is_fetched_after_its_news(tmp_path):
    """A sitemap index lists the archive's old sitemap before its news sitemap: the news (and the front
    page's stories) are fetched first, the back catalogue (entries dated over FRESH_DAYS ago, or
    undated) after them, one request at a time as a polite crawl of one site goes."""
    today = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    site = tmp_path / "site"
    story = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>A story</title></head><body>'
             f'<article><h1>A story</h1><p>{"Words of the story, one after another, as news pages have them. " * 8}'
             f"</p></article></body></html>")
    old = [f"/2019/03/0{1 + i % 9}/old-story-number-{i}-of-the-back-catalogue/" for i in range(12)]
    undated = [f"/2020/05/05/undated-story-number-{i}-of-the-back-catalogue/" for i in range(3)]
    news = [f"/2026/11/28/fresh-story-number-{i}-of-the-day/" for i in range(4)]
    front = "/2026/11/28/story-the-front-page-leads-with/"
    for path in old + undated + news + [front]:
        page = site / path.strip("/") / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(story, "utf-8")
    (site / "index.html").write_text(f'<!DOCTYPE html><html><body><a href="{front}">lead</a></body></html>', "utf-8")
    sitemap = '<?xml version="1.0"?><{0} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" ' \
              'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{1}</{0}>'
    (site / "sitemap.xml").write_text(sitemap.format("sitemapindex", "".join(
        f"<sitemap><loc>{{{{BASE}}}}/{name}.xml</loc></sitemap>" for name in ("sitemap-old", "sitemap-news"))), "utf-8")
    (site / "sitemap-old.xml").write_text(sitemap.format("urlset", "".join(
        f"<url><loc>{{{{BASE}}}}{path}</loc><lastmod>2019-03-01</lastmod></url>" for path in old)
        + "".join(f"<url><loc>{{{{BASE}}}}{path}</loc></url>" for path in undated)), "utf-8")
    (site / "sitemap-news.xml").write_text(sitemap.format("urlset", "".join(
        f"<url><loc>{{{{BASE}}}}{path}</loc><news:news><news:publication_date>{today}</news:publication_date>"
        "<news:title>Fresh</news:title></news:news></url>" for path in news)), "utf-8")
    archive, log = tmp_path / "archive", tmp_path / "server.log"
    with running(site, log=log, quiet=True) as base:
        newsarchive("crawl", base + "/", base + "/sitemap.xml", "--archive-dir", archive, "--no-throttle", "-q",
                    "-s", "CONCURRENT_REQUESTS=1", "-s", "NEWSARCHIVE_PAGE_REQUISITES=False")
    order = [path for path in fetched(log) if path.startswith("/20")]
    assert sorted(order) == sorted(old + undated + news + [front])
    last_fresh = max(order.index(path) for path in [*news, front])
    # While the news sitemap's entries are still being queued, the idle downloader may take a back catalogue
    # page or two; without the backfill priority all 15 came first (they were listed first).
    assert last_fresh - len(news) <= 2, order


def test_a_request_comes_back_from_disk_as_scrapys_own_serialisation_gives_it(tmp_path):
    from scrapy.http import FormRequest

    from crawler.frontier import RequestsOnDisk
    from spiders.news import NewsSpider

    crawler = get_crawler(NewsSpider, {"NEWSARCHIVE_ARCHIVE_DIR": str(tmp_path)})
    spider = crawler.spider = NewsSpider.from_crawler(crawler, seeds="http://127.0.0.1/")
    disk = RequestsOnDisk(spider, tmp_path / "queue")
    for request in (
        Request("http://127.0.0.1/a?b=1", callback=spider.parse_any, errback=spider.seed_failed, priority=-20,
                headers={"If-None-Match": '"x"'}, cookies={"c": "d"}, dont_filter=True,
                meta={"kind": "article", "hints": {"title": "T", "lastmod": "2026-11-28"}, "link_depth": 2}),
        FormRequest("http://127.0.0.1/form", formdata={"q": "news"}, callback=spider.parse_any),
    ):
        disk.push(request)
        back = disk.pop()
        assert type(back) is type(request)
        assert back.to_dict(spider=spider) == request.to_dict(spider=spider)
    disk.close()


def test_requests_stay_in_memory_when_the_disk_refuses_them(tmp_path):
    (tmp_path / FRONTIER_SUBDIR).write_text("a file where the folder should be")  # mkdir fails: OSError
    q = queue(tmp_path, limit=2)
    urls = [f"http://127.0.0.1/a/{i}" for i in range(5)]
    for url in urls:
        q.push(Request(url, callback=q.crawler.spider.parse))
    assert [q.pop().url for _ in urls] == urls and q.budget.warned
