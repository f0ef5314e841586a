"""Hostile and unusual sitemaps, feeds and robots.txt, crawled for real on loopback.

Entity attacks (XXE, billion laughs) leave nothing of the local disk anywhere; loops, nesting and floods
end at the limits spiders/discovery.py, spiders/news.py and crawler/robots.py name, recorded in
``captures``; a JSON Feed is read like RSS/Atom. Requests are counted in the loopback server's log.
"""

from __future__ import annotations

import gzip
from collections import Counter

from browsing import db_rows
from changingsite import fetched

from conftest import newsarchive
from crawler.robots import MAX_ROBOTS_BYTES
from siteserver import running
from spiders.discovery import MAX_FEED_ENTRIES, MAX_SITEMAP_ENTRIES
from spiders.news import MAX_SITEMAP_NESTING

WORDS = "The council met on Tuesday and voted on the budget after a long debate about schools and roads. " * 8
STORIES = ("/2026/11/27/json-feed-story/", "/2026/11/27/rss-story/", "/2026/11/27/atom-story/",
           "/2026/11/27/sitemap-story/", "/2026/11/27/past-the-sitemap-cap/", "/2026/11/27/past-the-feed-cap/",
           "/2026/11/27/past-the-robots-cap/")
CHAIN = 12  # nested sitemap indexes, each listing the next
XML = '<?xml version="1.0"?>'
SM = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def index(*paths: str) -> str:
    return XML + f"<sitemapindex {SM}>" + "".join(f"<sitemap><loc>{{{{BASE}}}}{p}</loc></sitemap>" for p in paths) + "</sitemapindex>"


def write_site(root, secret) -> None:
    for path in STORIES:
        page = root / path.strip("/") / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{path}</title>'
                        f'<meta property="og:type" content="article"></head><body><article><h1>{path}</h1>'
                        f"<p>{WORDS}</p><p>{path}</p></article></body></html>", "utf-8")
    feeds = [("application/feed+json", "/feed.json"), ("application/feed+json", "/broken.json"),
             ("application/rss+xml", "/xxe.rss"), ("application/atom+xml", "/xxe.atom"),
             ("application/rss+xml", "/laughs.rss"), ("application/rss+xml", "/big.rss")]
    (root / "index.html").write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Front</title>'
        + "".join(f'<link rel="alternate" type="{t}" href="{h}">' for t, h in feeds) + "</head><body></body></html>")
    (root / "feed.json").write_text(
        '\ufeff{"version": "https://jsonfeed.org/version/1.1", "title": "J", "language": "de", "items": ['
        '{"id": "1", "url": " {{BASE}}/2026/11/27/json-feed-story/?utm_source=json ", "title": "Aus dem JSON Feed",'
        ' "date_published": "2026-11-27T10:00:00+02:00", "date_modified": "2026-11-27T12:30:00+02:00",'
        ' "external_url": "{{BASE}}/2026/11/27/external-url-is-not-the-item/"},'
        ' {"id": "2", "external_url": "{{BASE}}/2026/11/27/only-an-external-url/"},'
        ' {"id": "3", "url": "mailto:desk@example.org"}, {"id": "4", "url": "https://elsewhere.example/a/"},'
        ' "not an item", {"id": "5", "url": 5}]}', "utf-8")
    (root / "broken.json").write_text('{"version": "https://jsonfeed.org/version/1", "items": [', "utf-8")
    entity = f'<!ENTITY x SYSTEM "{secret.as_uri()}">'
    (root / "xxe.rss").write_text(
        f'{XML}<!DOCTYPE rss [\n{entity}\n]><rss version="2.0"><channel><title>T&x;</title>'
        "<item><title>RSS &x;</title><link>{{BASE}}/2026/11/27/rss-story/</link><description>&x;</description></item>"
        "<item><link>javascript:alert(1)</link></item><item><link>http://bücher.example/a/</link></item>"
        "</channel></rss>", "utf-8")
    (root / "xxe.atom").write_text(
        f'{XML}<!DOCTYPE feed [{entity}]><feed xmlns="http://www.w3.org/2005/Atom" xml:base="{{{{BASE}}}}/2026/11/">'
        '<title>&x;</title><entry><title>Atom &x;</title><link href="27/atom-story/"/><summary>&x;</summary>'
        "</entry></feed>", "utf-8")
    laughs = '<!ENTITY a "lollollollol">' + "".join(f'<!ENTITY {chr(98 + i)} "{f"&{chr(97 + i)};" * 10}">' for i in range(9))
    (root / "laughs.rss").write_text(f"{XML}<!DOCTYPE rss [{laughs}]><rss version=\"2.0\"><channel><item>"
                                     "<title>&j;</title><link>{{BASE}}/2026/11/27/rss-story/</link></item></channel></rss>")
    items = "".join(f"<item><link>https://elsewhere.example/{n}/</link></item>" for n in range(MAX_FEED_ENTRIES))
    (root / "big.rss").write_text(f'{XML}<rss version="2.0"><channel><title>Big</title>{items}'
                                  "<item><link>{{BASE}}/2026/11/27/past-the-feed-cap/</link></item></channel></rss>")
    urls = "".join(f"<url><loc>https://elsewhere.example/{n}/</loc></url>" for n in range(MAX_SITEMAP_ENTRIES))
    (root / "big.xml").write_text(f"{XML}<urlset {SM}>{urls}"
                                  "<url><loc>{{BASE}}/2026/11/27/past-the-sitemap-cap/</loc></url></urlset>")
    (root / "xxe.xml").write_text(f'{XML}<!DOCTYPE urlset [{entity}]><urlset {SM}><url><loc>'
                                  "{{BASE}}/2026/11/27/sitemap-story/&x;</loc></url></urlset>")
    (root / "self.xml").write_text(index("/self.xml", "/xxe.xml"))
    (root / "ping.xml").write_text(index("/pong.xml"))
    (root / "pong.xml").write_text(index("/ping.xml"))
    (root / "chain").mkdir()
    for n in range(CHAIN):
        (root / "chain" / f"{n}.xml").write_text(index(f"/chain/{n + 1}.xml"))
    sitemaps = ["/self.xml", "/ping.xml", "/chain/0.xml", "/big.xml"] * 50  # each line 50 times
    robots = "User-agent: *\nAllow: /\n" + "".join(f"Sitemap: {{{{BASE}}}}{p}\n" for p in sitemaps)
    robots += "# padding\n" * (MAX_ROBOTS_BYTES // 10) + "Sitemap: {{BASE}}/2026/11/27/past-the-robots-cap/\n"
    (root / "robots.txt").write_text(robots)


def test_hostile_discovery_documents(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("LOCAL-DISK-SECRET-4f1c9")
    write_site(tmp_path / "site", secret)
    archive, log = tmp_path / "archive", tmp_path / "server.log"
    with running(tmp_path / "site", log=log, quiet=True) as base:
        result = newsarchive("crawl", base + "/", "--archive-dir", archive, "--no-throttle")
    requests = Counter(fetched(log))
    # Loops: each index once; nesting: the seed-level index and MAX_SITEMAP_NESTING below it, no more.
    assert requests["/self.xml"] == requests["/ping.xml"] == requests["/pong.xml"] == requests["/robots.txt"] == 1
    assert [n for n in range(CHAIN) if requests[f"/chain/{n}.xml"]] == list(range(MAX_SITEMAP_NESTING + 1))
    # Floods: what lies past each cap is not requested; the document says why.
    for path in ("/2026/11/27/past-the-sitemap-cap/", "/2026/11/27/past-the-feed-cap/",
                 "/2026/11/27/past-the-robots-cap/", "/2026/11/27/external-url-is-not-the-item/",
                 "/2026/11/27/only-an-external-url/"):
        assert not requests[path], path
    assert not [p for p in requests if "javascript" in p or "mailto" in p]
    reasons = {row["url"].removeprefix(base): row["reason"]
               for row in db_rows(archive, "select url, reason from captures")}
    assert reasons["/big.xml"] == reasons["/big.rss"] == "too-many-entries"
    assert reasons[f"/chain/{MAX_SITEMAP_NESTING}.xml"] == "sitemaps-nested-too-deep"
    assert reasons["/chain/0.xml"] == reasons["/self.xml"] == "sitemapindex"
    assert reasons["/feed.json"] == "feed" and reasons["/broken.json"] == "malformed-feed"
    assert reasons["/xxe.rss"] in ("feed", "malformed-feed") and reasons["/xxe.xml"] == "urlset"
    # The JSON Feed's item: its url, title, dates (as UTC, like RSS/Atom) and the feed's language.
    rows = {row["url"].removeprefix(base): row for row in db_rows(archive, "select * from articles")}
    assert set(rows) == {"/2026/11/27/json-feed-story/", "/2026/11/27/rss-story/", "/2026/11/27/atom-story/",
                         "/2026/11/27/sitemap-story/"}
    json_row = rows["/2026/11/27/json-feed-story/"]
    assert (json_row["discovered_via"], json_row["listed_in"]) == ("feed", base + "/feed.json")
    assert (json_row["listed_title"], json_row["listed_published"], json_row["listed_language"]) == (
        "Aus dem JSON Feed", "2026-11-27T08:00:00Z", "de")
    assert json_row["sitemap_lastmod"] == "2026-11-27T10:30:00Z"
    # Nothing of the local disk anywhere: database, WARC records, logs.
    token = b"LOCAL-DISK-SECRET"
    assert token.decode() not in result.stdout + result.stderr
    for path in archive.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert token not in (gzip.decompress(data) if path.name.endswith(".gz") else data), path
