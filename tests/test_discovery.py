"""Sitemaps, news sitemaps, feeds and robots.txt parsing, and the URL-shape rules."""

from __future__ import annotations

import gzip

import pytest

from spiders.discovery import MalformedDocument, parse_feed, parse_sitemap, robots_sitemaps, sniff_kind
from spiders.urlshapes import is_attachment, looks_like_article, worth_following

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://www.rferl.org/a/nato-shield/24553379.html</loc><lastmod>2012-04-19T18:00:00Z</lastmod>
    <news:news><news:publication><news:name>RFE/RL</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2012-04-19T16:00:00Z</news:publication_date>
      <news:title>NATO Chief Says Missile Shield Will Not Threaten Russia</news:title></news:news></url>
  <url><loc>https://www.rferl.org/a/other/1234567.html</loc></url>
</urlset>"""


def test_news_sitemap_keeps_news_fields():
    listing = parse_sitemap(NEWS_SITEMAP)
    assert listing.kind == "urlset" and listing.warning is None
    first, second = listing.entries
    assert first.url == "https://www.rferl.org/a/nato-shield/24553379.html"
    assert first.lastmod == "2012-04-19T18:00:00Z"
    assert first.published == "2012-04-19T16:00:00Z"
    assert first.title == "NATO Chief Says Missile Shield Will Not Threaten Russia"
    assert first.language == "en"
    assert second.title is None and second.lastmod is None


def test_gzipped_sitemap_index():
    body = gzip.compress(
        b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>https://x.org/s1.xml</loc><lastmod>2026-01-01</lastmod></sitemap></sitemapindex>"
    )
    listing = parse_sitemap(body)
    assert listing.kind == "sitemapindex" and [e.url for e in listing.entries] == ["https://x.org/s1.xml"]


def test_sitemap_without_namespace_and_broken_sitemap():
    plain = parse_sitemap(b"<urlset><url><loc>https://x.org/a</loc></url></urlset>")
    assert [e.url for e in plain.entries] == ["https://x.org/a"]
    partial = parse_sitemap(NEWS_SITEMAP[:-40])  # cut mid-document: what was read is kept
    assert partial.warning and partial.entries[0].title
    for broken in (b"", b"<urlset><url><loc>", b"\x00\x01binary", b"<html><body>not xml</body></html>"):
        with pytest.raises(MalformedDocument):
            parse_sitemap(broken)


def test_sitemap_parser_does_not_expand_entities():
    bomb = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.org/&b;</loc></url></urlset>"""
    try:
        listing = parse_sitemap(bomb)
    except MalformedDocument:
        return
    assert all("aaaaaaaaaa" not in e.url for e in listing.entries)


def test_rss_and_atom_feeds():
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><language>ru</language>
      <item><title>One</title><link>https://x.org/2026/11/27/one.html</link>
      <pubDate>Fri, 27 Nov 2026 10:00:00 GMT</pubDate></item></channel></rss>"""
    listing = parse_feed(rss, "https://x.org/feed", "application/rss+xml")
    (entry,) = listing.entries
    assert entry.url == "https://x.org/2026/11/27/one.html" and entry.title == "One"
    assert entry.published == "2026-11-27T10:00:00Z" and entry.language == "ru" and listing.warning is None
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
      <entry><title>Two</title><link href="/2026/11/26/two.html"/><updated>2026-11-26T08:00:00Z</updated></entry></feed>"""
    (entry,) = parse_feed(atom, "https://x.org/atom.xml", "application/atom+xml").entries
    assert entry.url == "https://x.org/2026/11/26/two.html" and entry.lastmod == "2026-11-26T08:00:00Z"
    with pytest.raises(MalformedDocument):
        parse_feed(b"<rss><channel><item><title>x</ti", "https://x.org/feed")


def test_robots_and_sniffing():
    robots = b"User-agent: *\nDisallow: /s\nSitemap: https://x.org/sitemap.xml\nsitemap:https://x.org/news.xml\n"
    assert robots_sitemaps(robots) == ["https://x.org/sitemap.xml", "https://x.org/news.xml"]
    assert sniff_kind(NEWS_SITEMAP) == "sitemap"
    assert sniff_kind(b'<?xml version="1.0"?><rss version="2.0">') == "feed"
    assert sniff_kind(b"<!doctype html><html lang=en>") == "html"
    assert sniff_kind(b"%PDF-1.4", "application/pdf") == "other"
    # gzip files: looked into (a sitemap.xml.gz, a feed.xml.gz); anything else gzipped, or a broken gzip, is other
    assert sniff_kind(gzip.compress(NEWS_SITEMAP), "application/gzip") == "sitemap"
    assert sniff_kind(gzip.compress(b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>'), "application/x-gzip") == "feed"
    assert sniff_kind(gzip.compress(b"%PDF-1.4" * 100), "application/gzip") == "other"
    assert sniff_kind(gzip.compress(NEWS_SITEMAP)[:30], "application/xml") == "other"
    feed = gzip.compress(b'<?xml version="1.0"?><rss version="2.0"><channel><item><link>https://x.org/a</link>'
                         b"</item></channel></rss>")
    assert [e.url for e in parse_feed(feed, "https://x.org/feed.xml.gz", "application/gzip").entries] == ["https://x.org/a"]


@pytest.mark.parametrize(
    "url, article",
    [
        ("https://www.rferl.org/a/nato-missile-shield/24553379.html", True),
        ("https://x.org/2026/11/27/river-towns-rebuild.html", True),
        ("https://x.org/world/port-ellery-dock-strike-ends-12345678.html", True),
        ("https://x.org/news/a-long-slug-with-many-words-here", True),
        ("https://x.org/", False),
        ("https://x.org/world/", False),
        ("https://x.org/tag/climate/", False),
        ("https://x.org/author/jane-doe/", False),
        ("https://x.org/category/world/2026/11/27/", False),
        ("https://x.org/page/2", False),
        ("https://x.org/z/17357", False),
        ("https://x.org/photo.jpg", False),
    ],
)
def test_article_url_shapes(url, article):
    assert looks_like_article(url) is article


def test_links_worth_following():
    assert worth_following("https://x.org/world/")
    assert worth_following("https://x.org/report.pdf") and is_attachment("https://x.org/report.pdf")
    assert not worth_following("https://x.org/style.css")
    assert not worth_following("mailto:desk@x.org")
    assert not worth_following("https://x.org/story?share=facebook")


def test_json_feed_items_as_rss_gives_them():
    body = (b'\xef\xbb\xbf{"version": "https://jsonfeed.org/version/1", "language": "fr", "items": ['
            b'{"url": "https://x.org/a", "title": " A ", "date_published": "2026-11-27T10:00:00+02:00"},'
            b'{"url": "https://x.org/b", "language": "en", "date_modified": "2026-11-27T10:00:00Z", "date_published": "bad"},'
            b'{"external_url": "https://y.org/c"}, [], {"url": null}]}')
    assert sniff_kind(body, "application/json") == "feed" and sniff_kind(b"[1]", "application/feed+json") == "feed"
    assert sniff_kind(b'{"items": []}', "application/json") == "other"
    a, b = parse_feed(body, "https://x.org/feed.json", "application/feed+json").entries
    assert (a.url, a.title, a.published, a.lastmod, a.language) == (
        "https://x.org/a", "A", "2026-11-27T08:00:00Z", "2026-11-27T08:00:00Z", "fr")
    assert (b.url, b.published, b.lastmod, b.language) == ("https://x.org/b", None, "2026-11-27T10:00:00Z", "en")
    for broken in (b'{"items": [', b"[1, 2]", b'{"title": "no items"}', b"\xff\xfe\x00garbage", b"[" * 100_000):
        with pytest.raises(MalformedDocument) as caught:
            parse_feed(broken, "https://x.org/feed.json", "application/feed+json")
        assert caught.value.reason == "malformed-feed"


def test_feed_served_with_the_wrong_type_or_charset_is_not_malformed():
    rss = '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><item><title>Été</title>' \
          "<link>https://x.org/a</link></item></channel></rss>"
    for content_type in ("text/html", "text/plain", "text/xml", "text/plain; charset=utf-8"):
        listing = parse_feed(rss.encode("latin-1"), "https://x.org/feed", content_type)
        assert [(e.url, e.title) for e in listing.entries] == [("https://x.org/a", "Été")]
        assert listing.warning is None, content_type


def test_sitemaps_and_feeds_are_read_to_their_caps():
    items = b"".join(b"<item><link>https://x.org/%d</link></item>" % n for n in range(12))
    feed = parse_feed(b'<rss version="2.0"><channel>' + items + b"<language>de</language></channel></rss>",
                      "https://x.org/feed", limit=10)
    assert feed.capped and len(feed.entries) == 10 and feed.warning is None and feed.entries[0].language == "de"
    assert not parse_feed(b'<rss version="2.0"><channel>' + items + b"</channel></rss>", limit=12).capped
    urls = b"".join(b"<url><loc>https://x.org/%d</loc></url>" % n for n in range(12))
    sitemap = parse_sitemap(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + urls + b"</urlset>", 10)
    assert sitemap.capped and [e.url for e in sitemap.entries] == [f"https://x.org/{n}" for n in range(10)]
    assert robots_sitemaps(b"Sitemap: https://x.org/s.xml\n" * 3) == ["https://x.org/s.xml"]


def test_robots_head_and_idn_hosts():
    from crawler.robots import MAX_ROBOTS_BYTES, robots_head
    from spiders.news import NewsSpider

    body = b"User-agent: *\n" + b"# pad\n" * (MAX_ROBOTS_BYTES // 6) + b"Allow: /admin-public/\n"
    assert robots_head(body).endswith(b"# pad") and len(robots_head(body)) <= MAX_ROBOTS_BYTES
    spider = NewsSpider(seeds="http://xn--bcher-kva.example/")
    assert spider.on_site("http://BÜCHER.example/a/été") and spider.on_site("https://www.bücher.example/")
    assert not spider.on_site("http://bucher.example/") and not spider.on_site("javascript:alert(1)")
