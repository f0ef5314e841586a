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
