"""Regenerate the fixture sites tests/sites/demo/ and tests/sites/pangea/ (and their EXPECTED.json).

    python tests/sites/build_fixtures.py

The generated files are committed; edit the texts in demo_content.py / pangea_content.py
(or the templates here) and re-run this script rather than editing the HTML by hand.
Standard library only. Output is deterministic (no timestamps from the clock).
"""
from __future__ import annotations

import json
import re
import shutil
import struct
import zlib
from datetime import datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path
from typing import Any

import demo_content
import pangea_content

HERE = Path(__file__).resolve().parent
DEMO = HERE / "demo"
PANGEA = HERE / "pangea"


# ----------------------------------------------------------------------------------------------
# small helpers
# ----------------------------------------------------------------------------------------------
def e(s: str) -> str:
    """Escape text content (quotes left alone so the raw HTML still contains the prose)."""
    return escape(s, quote=False)


def a(s: str) -> str:
    """Escape an attribute value."""
    return escape(s, quote=True)


def smart_quotes(s: str) -> str:
    s = re.sub(r'(^|[\s(\[«—-])"', "\\1\u201c", s)
    s = s.replace('"', "\u201d")
    s = re.sub(r"(^|[\s(\[\u201c])'", "\\1\u2018", s)
    return s.replace("'", "\u2019")


def para_html(text: str, links: dict[str, str]) -> str:
    out = e(text)
    for phrase, href in links.items():
        ep = e(phrase)
        if ep in out:
            out = out.replace(ep, f'<a href="{a(href)}">{ep}</a>', 1)
    return out


def write(path: Path, data: str | bytes, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))


def rfc822(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso))


def human_date(iso: str, lang: str = "en") -> str:
    d = datetime.fromisoformat(iso)
    if lang == "fr":
        months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                  "octobre", "novembre", "décembre"]
        return f"{d.day} {months[d.month - 1]} {d.year}"
    return f"{d.day} {d.strftime('%B')} {d.year}"


# ----------------------------------------------------------------------------------------------
# tiny binary files: baseline greyscale JPEG (flat 8x8 blocks), PNG, one-page PDF
# ----------------------------------------------------------------------------------------------
def tiny_jpeg(width: int, height: int, shade: Any) -> bytes:
    """Baseline JPEG, one grey component; each 8x8 block is flat (DC only). shade(bx, by) -> 0..255."""
    dc_bits = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    dc_vals = list(range(12))
    codes: dict[int, tuple[int, int]] = {}
    code, k = 0, 0
    for length, count in enumerate(dc_bits, start=1):
        for _ in range(count):
            codes[dc_vals[k]] = (code, length)
            code, k = code + 1, k + 1
        code <<= 1
    bits: list[int] = []

    def put(value: int, n: int) -> None:
        bits.extend((value >> (n - 1 - i)) & 1 for i in range(n))

    prev = 0
    for by in range((height + 7) // 8):
        for bx in range((width + 7) // 8):
            dc = 8 * (int(shade(bx, by)) - 128)
            diff, prev = dc - prev, dc
            cat = abs(diff).bit_length()
            put(*codes[cat])
            if cat:
                put(diff if diff > 0 else diff + (1 << cat) - 1, cat)
            put(0, 1)  # AC table holds a single symbol (EOB) coded as "0"
    bits.extend([1] * (-len(bits) % 8))
    data = bytearray()
    for i in range(0, len(bits), 8):
        byte = int("".join(map(str, bits[i:i + 8])), 2)
        data.append(byte)
        if byte == 0xFF:
            data.append(0)

    def seg(marker: int, payload: bytes) -> bytes:
        return struct.pack(">HH", marker, len(payload) + 2) + payload

    out = b"\xff\xd8"
    out += seg(0xFFE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    out += seg(0xFFDB, b"\x00" + b"\x01" * 64)
    out += seg(0xFFC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
    out += seg(0xFFC4, b"\x00" + bytes(dc_bits) + bytes(dc_vals))
    out += seg(0xFFC4, b"\x10" + bytes([1] + [0] * 15) + b"\x00")
    out += seg(0xFFDA, b"\x01\x01\x00\x00\x3f\x00")
    return out + bytes(data) + b"\xff\xd9"


def tiny_png(width: int, height: int, rgb: Any) -> bytes:
    raw = b"".join(b"\x00" + b"".join(bytes(rgb(x, y)) for x in range(width)) for y in range(height))

    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def tiny_pdf(lines: list[str]) -> bytes:
    text = "BT /F1 16 Tf 72 720 Td 20 TL " + " ".join(f"({ln}) Tj T*" for ln in lines) + " ET"
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = "%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n"
    out += "".join(f"{off:010d} 00000 n \n" for off in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode("ascii")


def photo(seed: int) -> bytes:
    return tiny_jpeg(64, 40, lambda bx, by: (40 + 22 * by + 9 * ((bx + seed) % 8) + 7 * seed) % 220 + 20)


# ----------------------------------------------------------------------------------------------
# demo site: The Loopback Gazette
# ----------------------------------------------------------------------------------------------
SITE = "The Loopback Gazette"
NAV = [("/", "Home"), ("/world/", "World"), ("/science/", "Science"), ("/tag/climate/", "Climate"),
       ("/about/", "About")]
NEWSLETTER_TITLE = "Get the Loopback Gazette morning briefing"
NEWSLETTER_TEXT = "One email, every weekday at 7am: the stories you need, read by our editors first."
FOOTER_COPY = "\u00a9 2026 The Loopback Gazette. All rights reserved."
FOOTER_COPY_HTML = FOOTER_COPY.replace("\u00a9", "&copy;")
AD_TEXT = "Advertisement"
SHARE_TEXT = "Share this story"

ART = {x["path"]: x for x in demo_content.ARTICLES}
P = {  # short names for the article paths
    "river": "/2026/11/27/river-towns-rebuild-after-floods.html",
    "ice": "/2026/11/26/glaciers-ice-core-archive.html",
    "ferry": "/2026/11/25/night-ferry-returns-to-saltmarsh-crossing.html",
    "seeds": "/2026/11/24/library-seed-lending-drawer.html",
    "moths": "/2026/11/23/migrating-moths-magnetic-compass.html",
    "bus": "/2026/11/22/harbour-road-bus-lanes-made-permanent.html",
    "marche": "/2026/11/21/marche-couvert-saint-aubin-rouvre.html",
    "carrow": "/2026/11/20/last-keepers-of-carrow-point-weather-station.html",
    "cafe": "/2026/11/19/latin1.html",
    "port": "/world/port-ellery-dock-strike-ends-12345.html",
    "serra": "/world/serra-alta-pass-avalanche-galleries-67890.html",
}
FRONT = [P[k] for k in ("river", "ice", "ferry", "marche", "carrow", "cafe")]
SECTIONS = {
    "world": ("World", "News from the valley, the coast and further afield.",
              [P["river"], P["marche"], P["port"], P["serra"]]),
    "science": ("Science", "Research, weather and the natural world.", [P["ice"], P["carrow"]]),
}
TAG = ("climate", "Climate", [P["river"], P["ice"], P["carrow"], P["serra"]])
AUTHOR = ("jane-doe", "Jane Doe", [P["river"], P["ice"], P["carrow"], P["serra"]])
NEWS_SITEMAP = [P[k] for k in ("river", "ice", "ferry", "seeds", "carrow")]
RSS_FEED = [P[k] for k in ("river", "ice", "ferry", "bus", "marche")]
ATOM_FEED = [P[k] for k in ("ice", "moths", "carrow")]
SHORT_REDIRECT = ("/2026/11/20/carrow-point.html", P["carrow"])
PRIVATE = "/private/staff-rota.html"
NON_ARTICLES = ["/", "/world/", "/science/", "/tag/climate/", "/author/jane-doe/", "/about/"]
PAGES_SITEMAP = NON_ARTICLES + [P["marche"], P["cafe"]]


def img_path(path: str) -> str:
    return "/img/" + path.rsplit("/", 1)[1].replace(".html", ".jpg")


def demo_text(art: dict[str, Any], s: str) -> str:
    return s if art.get("encoding") == "iso-8859-1" else smart_quotes(s)


def demo_head(title: str, description: str, path: str, og_type: str, lang: str = "en",
              charset: bool = True, extra: str = "") -> str:
    meta_charset = '<meta charset="utf-8">\n' if charset else ""
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
{meta_charset}<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<meta name="description" content="{a(description)}">
<link rel="canonical" href="{{{{BASE}}}}{path}">
<meta property="og:site_name" content="{SITE}">
<meta property="og:type" content="{og_type}">
<meta property="og:title" content="{a(title.split(' | ')[0])}">
<meta property="og:url" content="{{{{BASE}}}}{path}">
{extra}<link rel="stylesheet" href="/static/site.css">
<link rel="icon" href="/img/logo.png">
<link rel="alternate" type="application/rss+xml" title="{SITE} - Latest" href="/feed.rss">
<link rel="alternate" type="application/atom+xml" title="{SITE} - Atom" href="/atom.xml">
</head>
"""


def demo_header(current: str = "") -> str:
    active = ' class="active"'
    items = "\n".join(f'      <li{active if href == current else ""}><a href="{href}">{label}</a></li>'
                      for href, label in NAV)
    return f"""<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
  <div class="masthead"><a class="logo" href="/"><img src="/img/logo.png" alt="" width="32" height="32"> {SITE}</a>
  <p class="tagline">Local news, carefully kept.</p></div>
  <nav class="main-nav" aria-label="Sections">
    <ul>
{items}
    </ul>
  </nav>
  <form class="search" action="/search" method="get"><input type="search" name="q" placeholder="Search the Gazette"></form>
</header>
"""


def demo_newsletter() -> str:
    return f"""<aside class="newsletter" id="newsletter">
  <h2>{NEWSLETTER_TITLE}</h2>
  <p>{NEWSLETTER_TEXT}</p>
  <form action="/newsletter/subscribe" method="post"><input type="email" name="email" placeholder="you@example.org"> <button type="submit">Sign up</button></form>
</aside>
"""


def demo_footer() -> str:
    return f"""<footer class="site-footer">
  <nav aria-label="Footer"><ul><li><a href="/about/">About us</a></li><li><a href="/about/#contact">Contact</a></li><li><a href="/feed.rss">RSS</a></li><li><a href="/atom.xml">Atom</a></li></ul></nav>
  <p class="copyright">{FOOTER_COPY_HTML}</p>
</footer>
</body>
</html>
"""


def byline(art: dict[str, Any]) -> str:
    if art["author"] == AUTHOR[1]:
        return f'<a rel="author" href="/author/{AUTHOR[0]}/">{e(art["author"])}</a>'
    return f'<span class="author">{e(art["author"])}</span>'


def demo_article(art: dict[str, Any]) -> str:
    path, lang = art["path"], art["lang"]
    title = demo_text(art, art["title"])
    section = art["section"]
    ld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "description": demo_text(art, art["description"]),
        "datePublished": art["published"],
        "dateModified": art["modified"],
        "author": {"@type": "Person", "name": art["author"]},
        "inLanguage": lang,
        "image": ["{{BASE}}" + img_path(path)],
        "mainEntityOfPage": "{{BASE}}" + path,
        "publisher": {"@type": "NewsMediaOrganization", "name": SITE,
                      "logo": {"@type": "ImageObject", "url": "{{BASE}}/img/logo.png"}},
    }
    if art["author"] == AUTHOR[1]:
        ld["author"]["url"] = "{{BASE}}/author/jane-doe/"
    if section:
        ld["articleSection"] = SECTIONS[section][0]
    if art["tags"]:
        ld["keywords"] = art["tags"]
    extra = (f'<meta property="article:published_time" content="{art["published"]}">\n'
             f'<meta property="article:modified_time" content="{art["modified"]}">\n'
             f'<meta name="author" content="{a(art["author"])}">\n'
             f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>\n')
    latin = art.get("encoding") == "iso-8859-1"
    head = demo_head(f"{title} | {SITE}", demo_text(art, art["description"]), path, "article", lang,
                     charset=not latin, extra=extra)
    paras = [para_html(demo_text(art, p), art["links"]) for p in art["paragraphs"]]
    body_parts = []
    for i, p in enumerate(paras):
        body_parts.append(f"    <p>{p}</p>")
        if i == 2:
            body_parts.append(f'    <div class="ad-slot" aria-hidden="true"><span>{AD_TEXT}</span></div>')
    related = "\n".join(f'      <li><a href="{r}">{e(demo_text(ART[r], ART[r]["title"]))}</a></li>'
                        for r in art["related"])
    kicker = (f'<p class="kicker"><a href="/{section}/">{SECTIONS[section][0]}</a></p>' if section
              else '<p class="kicker">Local</p>')
    tags = "".join(f' <a class="tag" href="/tag/{t}/">{t.title()}</a>' for t in art["tags"])
    by = "Par" if lang == "fr" else "By"
    return head + demo_header() + f"""<main id="main">
<article class="story">
  <header class="story-header">
    {kicker}
    <h1 class="headline">{e(title)}</h1>
    <p class="byline">{by} {byline(art)} <span class="sep">|</span> <time datetime="{art["published"]}">{human_date(art["published"], lang)}</time></p>
  </header>
  <figure class="lead-image">
    <img src="{img_path(path)}" alt="{a(demo_text(art, art["caption"]))}" width="640" height="400">
    <figcaption>{e(demo_text(art, art["caption"]))}</figcaption>
  </figure>
  <div class="share-tools"><span>{SHARE_TEXT}</span> <a href="mailto:?subject={a(title)}">Email</a> <a href="#newsletter">Save</a></div>
  <div class="story-body">
{chr(10).join(body_parts)}
  </div>
  <p class="tags">{tags}</p>
  <aside class="related">
    <h2>Related stories</h2>
    <ul>
{related}
    </ul>
  </aside>
</article>
{demo_newsletter()}</main>
""" + demo_footer()


def teaser(path: str) -> str:
    art = ART[path]
    t = demo_text(art, art["title"])
    return (f'  <li class="teaser"><a href="{path}"><img src="{img_path(path)}" alt="" width="160" height="100">'
            f'<h3>{e(t)}</h3></a><p>{e(demo_text(art, art["description"]))}</p>'
            f'<p class="meta">{e(art["author"])} | {human_date(art["published"], art["lang"])}</p></li>')


def listing(path: str, title: str, intro: str, items: list[str], extra_html: str = "") -> str:
    head = demo_head(f"{title} | {SITE}", intro, path, "website")
    teasers = "\n".join(teaser(p) for p in items)
    return head + demo_header(path) + f"""<main id="main" class="listing">
<h1>{e(title)}</h1>
<p class="intro">{e(intro)}</p>
<ul class="teasers">
{teasers}
</ul>
{extra_html}{demo_newsletter()}</main>
""" + demo_footer()


def build_demo() -> dict[str, Any]:
    if DEMO.exists():
        shutil.rmtree(DEMO)
    DEMO.mkdir()
    for art in demo_content.ARTICLES:
        enc = art.get("encoding", "utf-8")
        write(DEMO / art["path"].lstrip("/"), demo_article(art), enc)
        if enc != "utf-8":
            write(DEMO / (art["path"].lstrip("/") + ".headers"),
                  "# served without any charset: the bytes are ISO-8859-1 and nothing says so\n"
                  "Content-Type: text/html\n")
        write(DEMO / img_path(art["path"]).lstrip("/"), photo(len(art["title"]) % 9))

    # front page
    head_extra = '<link rel="alternate" type="application/rss+xml" title="Old feed" href="/broken-feed.rss">\n'
    front_teasers = "\n".join(teaser(p) for p in FRONT)
    front = demo_head(f"{SITE} | Local news, carefully kept", "Local news from the Wend valley and the coast.",
                      "/", "website", extra=head_extra) + demo_header("/") + f"""<main id="main" class="front">
<h1 class="visually-hidden">{SITE}</h1>
<section class="top-stories">
<h2>Top stories</h2>
<ul class="teasers">
{front_teasers}
</ul>
</section>
<section class="more">
<h2>More from the Gazette</h2>
<ul>
  <li><a href="/world/">World</a> and <a href="/science/">Science</a> sections</li>
  <li>Everything tagged <a href="/tag/climate/">climate</a></li>
  <li>Columns by <a href="/author/jane-doe/">Jane Doe</a></li>
  <li><a href="/about/">About the Gazette</a></li>
  <li><a href="{PRIVATE}">Staff rota (internal)</a></li>
  <li>Feeds: <a href="/feed.rss">RSS</a>, <a href="/atom.xml">Atom</a>, <a href="/broken-feed.rss">old RSS feed</a></li>
</ul>
</section>
{demo_newsletter()}</main>
""" + demo_footer()
    write(DEMO / "index.html", front)

    for slug, (title, intro, items) in SECTIONS.items():
        extra = ""
        if slug == "science":
            extra = (f'<p class="short-link">Also: <a href="{SHORT_REDIRECT[0]}">the weather station '
                     f'at Carrow Point</a></p>\n')
        write(DEMO / slug / "index.html", listing(f"/{slug}/", title, intro, items, extra))
    write(DEMO / "tag" / TAG[0] / "index.html",
          listing(f"/tag/{TAG[0]}/", f"Tag: {TAG[1]}", "Stories about weather, water and a warming world.", TAG[2]))
    write(DEMO / "author" / AUTHOR[0] / "index.html",
          listing(f"/author/{AUTHOR[0]}/", AUTHOR[1],
                  "Jane Doe covers the environment and the valley towns for the Gazette.", AUTHOR[2]))
    about_html = demo_head(f"About us | {SITE}", "Who we are and how to reach us.", "/about/", "website") + \
        demo_header("/about/") + f"""<main id="main" class="page">
<h1>About the Gazette</h1>
<p>{SITE} is a small, independent newsroom covering the Wend valley and the coast. It exists only on a loopback interface.</p>
<h2 id="contact">Contact</h2>
<p>Write to the newsdesk at newsdesk@loopback-gazette.example.</p>
{demo_newsletter()}</main>
""" + demo_footer()
    write(DEMO / "about" / "index.html", about_html)
    private_html = demo_head(f"Staff rota | {SITE}", "Internal page.", PRIVATE, "website") + demo_header() + \
        """<main id="main" class="page"><h1>Staff rota (internal)</h1>
<p>This page is disallowed in robots.txt. A polite crawler never fetches it: the words PRIVATE-ROTA-CANARY must never reach an archive.</p>
</main>
""" + demo_footer()
    write(DEMO / PRIVATE.lstrip("/"), private_html)
    write(DEMO / SHORT_REDIRECT[0].lstrip("/"), '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
          "<title>Moved</title></head><body><p>Moved.</p></body></html>\n")
    write(DEMO / (SHORT_REDIRECT[0].lstrip("/") + ".headers"), f"Status: 301\nLocation: {SHORT_REDIRECT[1]}\n")

    write(DEMO / "static" / "site.css",
          "body{font-family:Georgia,serif;max-width:46rem;margin:auto;padding:1rem;color:#222}\n"
          ".main-nav ul,.site-footer ul{list-style:none;display:flex;gap:1rem;padding:0}\n"
          ".ad-slot{background:#eee;height:90px}.visually-hidden{position:absolute;left:-9999px}\n")
    write(DEMO / "img" / "logo.png", tiny_png(32, 32, lambda x, y: (20 + 6 * x, 60 + 5 * y, 140)))
    write(DEMO / "photo.jpg", photo(3))
    write(DEMO / "report.pdf", tiny_pdf(["Wend Valley flood assessment", "612 homes and 87 businesses flooded",
                                         "Initial findings, November 2026"]))

    write(DEMO / "robots.txt", f"""# robots.txt for {SITE}
User-agent: *
Disallow: /private/
Disallow: /search

Sitemap: {{{{BASE}}}}/sitemap_index.xml
""")
    write(DEMO / "sitemap_index.xml", """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>{{BASE}}/sitemap-news.xml</loc><lastmod>2026-11-27T11:05:00+00:00</lastmod></sitemap>
  <sitemap><loc>{{BASE}}/sitemap-pages.xml</loc><lastmod>2026-11-27T11:05:00+00:00</lastmod></sitemap>
  <sitemap><loc>{{BASE}}/sitemap-broken.xml</loc><lastmod>2026-11-01T00:00:00+00:00</lastmod></sitemap>
</sitemapindex>
""")
    news_urls = []
    for p in NEWS_SITEMAP:
        art = ART[p]
        news_urls.append(f"""  <url>
    <loc>{{{{BASE}}}}{p}</loc>
    <lastmod>{art["modified"]}</lastmod>
    <news:news>
      <news:publication>
        <news:name>{SITE}</news:name>
        <news:language>{art["lang"]}</news:language>
      </news:publication>
      <news:publication_date>{art["published"]}</news:publication_date>
      <news:title>{e(demo_text(art, art["title"]))}</news:title>
    </news:news>
  </url>""")
    write(DEMO / "sitemap-news.xml", '<?xml version="1.0" encoding="UTF-8"?>\n'
          '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"\n'
          '        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' + "\n".join(news_urls) +
          "\n</urlset>\n")
    page_urls = []
    for p in PAGES_SITEMAP:
        lastmod = ART[p]["modified"] if p in ART else "2026-11-27T11:05:00+00:00"
        freq = "" if p in ART else "\n    <changefreq>hourly</changefreq>"
        page_urls.append(f"  <url>\n    <loc>{{{{BASE}}}}{p}</loc>\n    <lastmod>{lastmod}</lastmod>{freq}\n  </url>")
    write(DEMO / "sitemap-pages.xml", '<?xml version="1.0" encoding="UTF-8"?>\n'
          '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(page_urls) + "\n</urlset>\n")
    write(DEMO / "sitemap-broken.xml", """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url>
    <loc>{{BASE}}/2026/10/01/an-article-that-was-never-written.html</loc>
    <lastmod>2026-10-01</lastmod>
  <url>
    <loc>{{BASE}}/2026/10/02/truncated
""")
    items = []
    for p in RSS_FEED:
        art = ART[p]
        items.append(f"""    <item>
      <title>{e(demo_text(art, art["title"]))}</title>
      <link>{{{{BASE}}}}{p}</link>
      <guid isPermaLink="true">{{{{BASE}}}}{p}</guid>
      <pubDate>{rfc822(art["published"])}</pubDate>
      <dc:creator>{e(art["author"])}</dc:creator>
      <description>{e(demo_text(art, art["description"]))}</description>
    </item>""")
    write(DEMO / "feed.rss", f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>{SITE}</title>
    <link>{{{{BASE}}}}/</link>
    <atom:link href="{{{{BASE}}}}/feed.rss" rel="self" type="application/rss+xml"/>
    <description>Latest stories from {SITE}</description>
    <language>en</language>
    <lastBuildDate>{rfc822("2026-11-27T11:05:00+00:00")}</lastBuildDate>
{chr(10).join(items)}
  </channel>
</rss>
""")
    entries = []
    for p in ATOM_FEED:
        art = ART[p]
        entries.append(f"""  <entry>
    <title>{e(demo_text(art, art["title"]))}</title>
    <link rel="alternate" type="text/html" href="{{{{BASE}}}}{p}"/>
    <id>{{{{BASE}}}}{p}</id>
    <published>{art["published"]}</published>
    <updated>{art["modified"]}</updated>
    <author><name>{e(art["author"])}</name></author>
    <summary>{e(demo_text(art, art["description"]))}</summary>
  </entry>""")
    write(DEMO / "atom.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>{SITE}: science and features</title>
  <link rel="self" href="{{{{BASE}}}}/atom.xml"/>
  <link rel="alternate" href="{{{{BASE}}}}/"/>
  <id>{{{{BASE}}}}/atom.xml</id>
  <updated>2026-11-26T09:00:00+00:00</updated>
{chr(10).join(entries)}
</feed>
""")
    write(DEMO / "broken-feed.rss", """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>The Loopback Gazette (old feed)</title>
    <item>
      <title>Fish & chips shop <b>wins award</title>
      <link>{{BASE}}/2026/09/01/fish-and-chips.html
    </item>
""")
    return demo_expected()


def demo_expected() -> dict[str, Any]:
    found: dict[str, list[str]] = {p: [] for p in ART}

    def mark(paths: list[str], how: str) -> None:
        for p in paths:
            if how not in found[p]:
                found[p].append(how)

    mark(FRONT, "front-page")
    for slug, (_, _, items) in SECTIONS.items():
        mark(items, f"section:/{slug}/")
    mark([SHORT_REDIRECT[1]], "redirect:" + SHORT_REDIRECT[0])
    mark(TAG[2], f"tag:/tag/{TAG[0]}/")
    mark(AUTHOR[2], f"author:/author/{AUTHOR[0]}/")
    mark(NEWS_SITEMAP, "sitemap:/sitemap-news.xml")
    mark([p for p in PAGES_SITEMAP if p in ART], "sitemap:/sitemap-pages.xml")
    mark(RSS_FEED, "feed:/feed.rss")
    mark(ATOM_FEED, "feed:/atom.xml")
    for art in demo_content.ARTICLES:
        for r in art["related"]:
            mark([r], "related:" + art["path"])
    articles = {}
    for art in demo_content.ARTICLES:
        paras = [demo_text(art, p) for p in art["paragraphs"]]
        articles[art["path"]] = {
            "title": demo_text(art, art["title"]),
            "published": art["published"][:10],
            "published_datetime": art["published"],
            "modified_datetime": art["modified"],
            "language": art["lang"],
            "author": art["author"],
            "section": SECTIONS[art["section"]][0] if art["section"] else None,
            "tags": art["tags"],
            "phrase": demo_text(art, art["phrase"]),
            "caption": demo_text(art, art["caption"]),
            "encoding": art.get("encoding", "utf-8"),
            "word_count": sum(len(p.split()) for p in paras),
            "discovered_via": found[art["path"]],
            "paragraphs": paras,
        }
    return {
        "site": SITE,
        "articles": articles,
        "non_articles": NON_ARTICLES,
        "disallowed": [PRIVATE],
        "disallowed_canary": "PRIVATE-ROTA-CANARY",
        "robots_disallow": ["/private/", "/search"],
        "redirects": {SHORT_REDIRECT[0]: SHORT_REDIRECT[1]},
        "sitemap_index": "/sitemap_index.xml",
        "sitemaps": {"/sitemap-news.xml": NEWS_SITEMAP, "/sitemap-pages.xml": PAGES_SITEMAP},
        "feeds": {"/feed.rss": RSS_FEED, "/atom.xml": ATOM_FEED},
        "broken_xml": ["/broken-feed.rss", "/sitemap-broken.xml"],
        "binary": {"/report.pdf": "application/pdf", "/photo.jpg": "image/jpeg"},
        "boilerplate": [NEWSLETTER_TITLE, NEWSLETTER_TEXT, FOOTER_COPY, "Related stories", "Skip to content",
                        SHARE_TEXT, AD_TEXT, "Local news, carefully kept", "Search the Gazette"],
    }


# ----------------------------------------------------------------------------------------------
# Pangea (RFE/RL) replica
# ----------------------------------------------------------------------------------------------
PANGEA_SITE = "RFE/RL"
PANGEA_NAV = [("/", "Home"), ("/z/566", "NATO"), ("/z/17357", "Georgia"), ("/z/17356", "Armenia"),
              ("/z/17358", "Kazakhstan"), ("/z/17359", "Tajikistan"), ("/z/17360", "Moldova"),
              ("/p/5981.html", "About Us")]
LEGAL_PAGE = "/p/8999.html"
PANGEA_FOOTER_COPY = "© 2026 RFE/RL, Inc. | All Rights Reserved."
PART = {x["path"]: x for x in pangea_content.ARTICLES}
FEED_PATH = "/api/zrqiteuuir"


def pangea_img(art: dict[str, Any], size: str) -> str:
    return f"/img/{art['image']}_{size}.jpg"


def pangea_author_url(name: str) -> str:
    slug = name.lower().replace(" ", "-")
    return f"/author/{slug}/{zlib.crc32(slug.encode()) % 36 ** 5:05x}.html"


def pangea_iso(s: str) -> str:
    return datetime.strptime(s, "%Y-%m-%d %H:%M:%SZ").strftime("%Y-%m-%dT%H:%M:%S+00:00")


def pangea_head(title: str, description: str, path: str, og_type: str, extra: str = "") -> str:
    return f"""<html lang="en" dir="ltr" class="no-js"><head>
<script type="text/javascript">
//a general 'js' detection, must be on top level in <head>, due to CSS performance
document.documentElement.className = "js";
var cacheBuster = "137";
var appBaseUrl = "/";
var imgEnhancerBreakpoints = [0, 144, 256, 408, 650, 1023, 1597];
var isLoggingEnabled = false;
var pwaEnabled = false;
var swCacheDisabled;
</script>
<meta charset="utf-8">
<title>{e(title)}</title>
<meta name="title" content="{a(title)}">
<meta name="description" content="{a(description)}">
<meta name="keywords" content="RFE/RL, Radio Free Europe, Radio Liberty">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<link href="{{{{BASE}}}}{path}" rel="canonical">
<meta name="apple-mobile-web-app-title" content="RFE/RL">
<meta name="apple-mobile-web-app-status-bar-style" content="black">
<meta content="{a(title)}" property="og:title">
<meta content="{a(description)}" property="og:description">
<meta content="{og_type}" property="og:type">
<meta content="{{{{BASE}}}}{path}" property="og:url">
<meta content="RFE/RL" property="og:site_name">
<meta content="summary_large_image" name="twitter:card">
<meta content="@RFERL" name="twitter:site">
{extra}<link href="/Content/responsive/RFE/en-US/RFE-en-US.css?&amp;av=7.35.0.0&amp;cb=137" rel="stylesheet">
<link rel="alternate" type="application/rss+xml" title="RFE/RL - Top Stories [RSS]" href="{FEED_PATH}">
<link rel="sitemap" type="application/rss+xml" href="/sitemap.xml">
</head>
"""


def pangea_top(page_type: str, title: str, record_id: str, body_class: str) -> str:
    utag = json.dumps({"entity": "RFE", "language": "English", "language_service": "RFERL English",
                       "short_language_service": "ENG", "property_id": "414", "platform": "Responsive",
                       "page_title": title, "page_type": page_type, "content_type": page_type,
                       "article_uid": record_id}, ensure_ascii=False)
    nav = "\n".join(f'<li class=" item">\n<a class="handler" href="{h}">{t}</a> </li>' for h, t in PANGEA_NAV)
    return f"""<body class="{body_class}">
<!--Analytics tag js version start-->
<script type="text/javascript">
var utag_data={utag};
</script>
<!--Analytics tag js version end-->
<!--*** Accessibility links - For ScreenReaders only ***-->
<section>
<div class="sr-only">
<h2>Accessibility links</h2>
<ul>
<li><a href="#content" data-disable-smooth-scroll="1">Skip to main content</a></li>
<li><a href="#navigation" data-disable-smooth-scroll="1">Skip to main Navigation</a></li>
<li><a href="#txtHeaderSearch" data-disable-smooth-scroll="1">Skip to Search</a></li>
</ul>
</div>
</section>
<div dir="ltr">
<div id="page">
<aside>
<div class="c-lightbox overlay-modal">
<div class="c-lightbox__intro">
<h2 class="c-lightbox__intro-title"></h2>
<button class="btn btn--rounded c-lightbox__btn c-lightbox__intro-next" title="Next">
<span class="ico ico--rounded ico-chevron-forward"></span>
<span class="sr-only">Next</span>
</button>
</div>
</div>
<div class="print-dialogue">
<div class="container">
<h3 class="print-dialogue__title section-head">Print Options:</h3>
<div class="print-dialogue__buttons">
<button class="btn btn--secondary close-button" type="button" title="Cancel"><span class="btn__text ">Cancel</span></button>
<button class="btn btn-cust-print m-l-sm" type="button" title="Print"><span class="btn__text ">Print</span></button>
</div>
</div>
</div> </aside>
<div class="hdr">
<div class="hdr-nav-frag">
<div class="container">
<a href="/" id="logo">
<img src="/Content/responsive/RFE/en-US/img/logo-compact.svg" class="small" alt="logo-compact">
<img src="/Content/responsive/RFE/en-US/img/logo.svg" class="big" alt="logo">
</a>
<ul class="compact-actions">
<li class="action action-srch">
<a href="/s" title="toggle search input"><span class="sr-only access-help-text">toggle search input</span><span class="ico ico-search"></span></a>
</li>
<li class="action action-menu">
<a href="/navigation.html" title="toggle main navigation" class="link-js"><span class="sr-only access-help-text">toggle main navigation</span><span class="ico ico-menu"></span></a>
</li>
</ul>
<div class="actions">
<div class="pnl-srch-top collapsed">
<form action="/s" id="form-headerSearch" method="get" role="search"><div class="srch-elem">
<ul class="form__list">
<li class="form__group m-tb-0">
<span class="input-wrap">
<label for="txtHeaderSearch" class="form__label sr-only">Search</label>
<input type="text" id="txtHeaderSearch" name="k" placeholder="Search" accesskey="s" value="" class="form__input analyticstag-event">
</span>
<button title="Search" type="submit" class="btn btn-srch analyticstag-event">
<span class="ico ico-search"></span>
<span class="text">Search</span>
</button>
</li>
</ul>
</div></form>
</div>
</div>
</div>
</div>
<div class="nav-hdr-outer-container">
<div class="container" id="nav-hdr-container">
<div class="navigation collapsed" id="navigation">
<div class="menu">
<ul class="items">
{nav}
</ul>
</div>
</div>
</div>
</div>
<div class="c-hlights c-hlights--breaking c-hlights--no-item js-hidden" data-hlight-display="mobile,desktop">
<div class="c-hlights__wrap container p-0">
<div class="c-hlights__nav">
<a role="button" href="#" title="Previous"><span class="ico ico-chevron-backward m-0"></span><span class="sr-only">Previous</span></a>
<a role="button" href="#" title="Next"><span class="ico ico-chevron-forward m-0"></span><span class="sr-only">Next</span></a>
</div>
<input class="switcher-controller" id="more-less-1" type="checkbox">
<span class="c-hlights__label">
<span class="">Breaking News</span>
<span class="switcher-trigger">
<label for="more-less-1" class="switcher-trigger__label switcher-trigger__label--more p-b-0" title="Show more"><span class="ico ico-chevron-down"></span></label>
<label for="more-less-1" class="switcher-trigger__label switcher-trigger__label--less p-b-0" title="Show less"><span class="ico ico-chevron-up"></span></label>
</span>
</span>
<ul class="c-hlights__items switcher-target">
</ul>
</div>
</div>
</div>
"""


def pangea_footer() -> str:
    return f"""<div class="back-to-top-nav disabled visible-xs">
<div class="container"><div class="row"><div class="col-xs-12">
<a title="Back to top" class="back-to-top-link" href="#page"><span class="ico ico-chevron-up"></span><span class="text">Back to top</span></a>
</div></div></div>
</div>
<footer role="contentinfo">
<div id="foot" class="foot">
<div class="container">
<div class="foot-nav collapsed" id="foot-nav">
<div class="menu">
<ul class="items">
<li class="socials block-socials">
<span class="handler" id="socials-handler">
Follow Us
</span>
<div class="inner">
<ul class="subitems follow">
<li><a href="https://www.facebook.com/rferl" title="Follow us on Facebook" class="btn btn--rounded btn-facebook" target="_blank"><span class="ico ico-facebook-alt ico--rounded"></span></a></li>
<li><a href="https://twitter.com/RFERL" title="Follow us on Twitter" class="btn btn--rounded btn-twitter" target="_blank"><span class="ico ico-twitter ico--rounded"></span></a></li>
<li><a href="{FEED_PATH}" title="RSS" class="btn btn--rounded btn-rss"><span class="ico ico-rss ico--rounded"></span></a></li>
</ul>
</div>
</li>
<li class="block-primary collapsed collapsible item">
<span class="handler">
Info
<span title="close tab" class="ico ico-chevron-up"></span><span title="open tab" class="ico ico-chevron-down"></span>
</span>
<div class="inner">
<ul class="subitems">
<li class="subitem"><a class="handler" href="/p/5981.html">About RFE/RL</a></li>
<li class="subitem"><a class="handler" href="{LEGAL_PAGE}">Terms Of Use</a></li>
<li class="subitem"><a class="handler" href="/p/5981.html">Contact Us</a></li>
</ul>
</div>
</li>
</ul>
</div>
</div>
<div class="foot__item foot__item--copyrights">
<p class="copyright">{PANGEA_FOOTER_COPY}</p>
</div>
</div>
</div>
</footer> </div>
</div>
<script type="text/javascript">
var bar_data = {{"apiId": "0", "apiType": "1", "isEmbedded": "0", "culture": "en-US", "cookieName": "cmsLoggedIn"}};
</script>
</body></html>
"""


def also_read(target: dict[str, Any]) -> str:
    return f"""<div class="wsw__embed">
<div class="media-block also-read" >
<a href="{target["path"]}" title="{a(target["title"])}" class="img-wrap img-wrap--size-3 also-read__img">
<span class="thumb thumb16_9"><img src="{pangea_img(target, "w250_r1_s")}" alt="" /></span>
</a>
<div class="media-block__content also-read__body also-read__body--h">
<a href="{target["path"]}" title="{a(target["title"])}">
<span class="also-read__text--label">Read more</span>
<h4 class="media-block__title media-block__title--size-3">{e(target["title"])}</h4>
</a>
</div>
</div>
</div>"""


def notice_markup(art: dict[str, Any]) -> str:
    """Half the articles carry the legal notice as plain body paragraphs, half in an embed box."""
    return "plain-paragraphs" if pangea_content.ARTICLES.index(art) % 2 == 0 else "embed-box"


def pangea_article(art: dict[str, Any], others: list[dict[str, Any]]) -> str:
    path, rid, title, caption = art["path"], art["id"], art["title"], art["caption"]
    iso = pangea_iso(art["published"])
    author_ld: dict[str, Any] = ({"@type": "Person", "name": art["author"]} if art["author"]
                                 else {"@type": "Organization", "name": "RFE/RL"})
    ld = {
        "@context": "https://schema.org", "@type": "NewsArticle",
        "mainEntityOfPage": "{{BASE}}" + path, "url": "{{BASE}}" + path,
        "headline": title, "description": art["description"], "keywords": art["keywords"],
        "author": author_ld, "datePublished": art["published"], "dateModified": art["modified"],
        "inLanguage": "en-US",
        "publisher": {"logo": {"width": 512, "height": 220, "@type": "ImageObject",
                               "url": "{{BASE}}/Content/responsive/RFE/en-US/img/logo.png"},
                      "@type": "NewsMediaOrganization", "url": "{{BASE}}",
                      "sameAs": ["https://www.facebook.com/rferl", "https://twitter.com/RFERL"],
                      "name": "RFE/RL", "alternateName": ""},
        "image": {"width": 1080, "height": 608, "@type": "ImageObject",
                  "url": "{{BASE}}" + pangea_img(art, "w1200_r1")},
        "name": title,
    }
    extra = (f'<meta content="{{{{BASE}}}}{pangea_img(art, "w1200_r1")}" property="og:image">\n'
             '<meta content="1200" property="og:image:width">\n<meta content="675" property="og:image:height">\n'
             f'<meta content="{iso}" property="article:published_time">\n'
             f'<meta content="{a(art["keywords"])}" name="news_keywords">\n'
             f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>\n')
    head = pangea_head(title, art["description"], path, "article", extra)
    top = pangea_top("article", title, rid, "pg-article print-lay-article js-article-page nojs-images ")
    cat_name, cat_href = art["category"]
    author_html = ""
    if art["author"]:
        author_html = f"""<div class="links">
<ul class="links__list links__list--column">
<li class="links__item"><a class="links__item-link" href="{pangea_author_url(art["author"])}" title="{a(art["author"])}">{e(art["author"])}</a></li>
</ul>
</div>
"""
    paras: list[str] = []
    for i, p in enumerate(art["paragraphs"]):
        if p.startswith("With reporting by") or p.startswith("Based on reporting by"):
            paras.append(f"<p><em>{e(p)}</em></p>")
        else:
            paras.append(f"<p>{e(p)}</p>")
        if art["also_read_after"] is not None and i + 1 == art["also_read_after"]:
            paras.append(also_read(others[0]))
    legal = pangea_content.LEGAL_NOTICE
    notice = f"""<p>{e(legal[0])}</p>
<p>{e(legal[1])}</p>
<p><a href="{LEGAL_PAGE}" target="_blank">{e(legal[2])}</a></p>"""
    if notice_markup(art) == "embed-box":
        notice = f'<div class="wsw__embed">\n<div class="c-box c-box--undesirable">\n{notice}\n</div>\n</div>'
    else:  # pasted into the body as plain paragraphs, as the seed text suggests: hard for extractors
        notice = f'<p>&nbsp;</p>\n{notice}'

    related = "\n".join(f"""<li class="col-xs-12 col-sm-6 col-md-12 col-lg-12 mb-grid">
<div class="media-block ">
<a href="{o["path"]}" class="img-wrap img-wrap--t-spac img-wrap--size-4 img-wrap--float" title="{a(o["title"])}">
<div class="thumb thumb16_9"><img data-src="{pangea_img(o, "w250_r1_s")}" src="" alt="{a(o["title"])}" /></div>
</a>
<div class="media-block__content media-block__content--h">
<a href="{o["path"]}"><h4 class="media-block__title media-block__title--size-4" title="{a(o["title"])}">
{e(o["title"])}
</h4></a>
</div>
</div>
</li>""" for o in others[:3])
    return head + top + f"""<div id="content">
<main class="container">
<div class="hdr-container">
<div class="row">
<div class="col-category col-xs-12 col-md-2 pull-left"> <div class="category">
<a class="" href="{cat_href}">{e(cat_name)}</a> </div>
</div><div class="col-title col-xs-12 col-md-10 pull-right"> <h1 class="title pg-title">
{e(title)}
</h1>
</div><div class="col-publishing-details col-xs-12 col-sm-12 col-md-2 pull-left"> <div class="publishing-details ">
{author_html}<div class="published">
<span class="date" >
<time pubdate="pubdate" datetime="{iso}">
{datetime.fromisoformat(iso).strftime("%B %d, %Y %H:%M")} GMT
</time>
</span>
</div>
</div>
</div><div class="col-lg-12 separator"> <div class="separator">
<hr class="title-line" />
</div>
</div><div class="col-multimedia col-xs-12 col-md-10 pull-right"> <div class="cover-media">
<div class="media-pholder media-pholder--image">
<div class="media-pholder__caption" aria-hidden="true">{e(caption)}</div>
</div>
<figure class="media-image js-media-expand">
<div class="img-wrap">
<div class="thumb thumb16_9">
<noscript class="nojs-img"><img src="{pangea_img(art, "w1200_r1")}" alt="{a(caption)}" /></noscript>
<img data-src="{pangea_img(art, "w250_r1_s")}" src="" alt="{a(caption)}" />
</div>
<span class="ico ico-fullscreen ico--media-expand ico--rounded"></span>
</div>
<figcaption>
<span class="caption">{e(caption)}</span>
</figcaption>
</figure>
</div>
</div><div class="col-xs-12 col-md-2 pull-left article-share pos-rel"> <div class="share--box">
<div class="sticky-share-container" style="display:none">
<div class="container">
<a href="/" id="logo-sticky-share">&nbsp;</a>
<div class="pg-title pg-title--sticky-share">
{e(title)}
</div>
</div>
</div>
<div class="links">
<p class="buttons link-content-sharing p-0 ">
<button class="btn btn--link btn-content-sharing p-t-0 " id="btnContentSharing" value="text" role="Button" type="" title="switch to more sharing options">
<span class="ico ico-share ico--l"></span>
<span class="btn__text ">Share</span>
</button>
</p>
</div>
</div>
</div>
</div>
</div>
<div class="body-container">
<div class="row">
<div class="col-xs-12 col-sm-12 col-md-10 col-lg-10 pull-right">
<div class="row">
<div class="col-xs-12 col-sm-12 col-md-8 col-lg-8 pull-left bottom-offset content-offset">
<div id="article-content" class="content-floated-wrap fb-quotable">
<div class="wsw">
{chr(10).join(paras)}
{notice}
</div>
</div>
</div>
<div class="col-xs-12 col-sm-12 col-md-4 col-lg-4 pull-left design-top-offset"> <div class="media-block-wrap">
<h2 class="section-head">Related</h2>
<div class="row">
<ul>
{related}
</ul>
</div>
</div>
<div class="region">
<div class="media-block-wrap most-popular numbered" id="wrowblock-6661_21" data-area-id="R1_1">
<h2 class="section-head">
Most Popular </h2>
<ul class="inner">
<li class="col-xs-12"><div class="media-block size-4"><div class="content"><span class="number">1</span>
<a href="{others[-1]["path"]}" title="{a(others[-1]["title"])}"><h4 class="media-block__title">{e(others[-1]["title"])}</h4></a></div></div></li>
</ul>
</div>
</div>
</div>
</div>
</div>
</div>
</div>
</main>
</div>
""" + pangea_footer()


def pangea_simple(path: str, title: str, body_html: str, og_type: str = "website") -> str:
    return (pangea_head(title, title, path, og_type) + pangea_top("section", title, "0", "pg-section ")
            + f'<div id="content">\n<main class="container">\n{body_html}\n</main>\n</div>\n' + pangea_footer())


def media_blocks(items: list[dict[str, Any]]) -> str:
    return "\n".join(f"""<li class="col-xs-12 col-sm-6 col-md-4">
<div class="media-block ">
<a href="{x["path"]}" class="img-wrap img-wrap--t-spac img-wrap--size-2" title="{a(x["title"])}">
<div class="thumb thumb16_9"><img src="{pangea_img(x, "w250_r1_s")}" alt="{a(x["title"])}" /></div>
</a>
<div class="media-block__content">
<span class="date">{datetime.fromisoformat(pangea_iso(x["published"])).strftime("%B %d, %Y")}</span>
<a href="{x["path"]}" title="{a(x["title"])}"><h4 class="media-block__title media-block__title--size-2">{e(x["title"])}</h4></a>
<a href="{x["path"]}"><p class="perex perex--mb perex--size-2">{e(x["description"])}</p></a>
</div>
</div>
</li>""" for x in items)


def build_pangea() -> dict[str, Any]:
    if PANGEA.exists():
        shutil.rmtree(PANGEA)
    PANGEA.mkdir()
    arts = pangea_content.ARTICLES
    for i, art in enumerate(arts):
        others = [arts[(i + k) % len(arts)] for k in range(1, len(arts))]
        write(PANGEA / art["path"].lstrip("/"), pangea_article(art, others))
        for n, size in enumerate(("w250_r1_s", "w1200_r1")):
            write(PANGEA / pangea_img(art, size).lstrip("/"), photo(i + n))
    newest = sorted(arts, key=lambda x: x["published"], reverse=True)
    listings: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    for href, name in PANGEA_NAV[1:-1]:
        listings[href] = (name, [x for x in newest if x["category"][1] == href])
    for x in newest:
        if x["author"]:
            listings[pangea_author_url(x["author"])] = (x["author"], [x])
    for href, (name, items) in listings.items():
        if not href.endswith(".html"):  # Pangea section URLs have no extension: say what they are
            write(PANGEA / (href.lstrip("/") + ".headers"), "Content-Type: text/html; charset=utf-8\n")
        write(PANGEA / href.lstrip("/"),
              pangea_simple(href, name, f'<h1 class="title pg-title">{e(name)}</h1>\n'
                            f'<div class="media-block-wrap"><div class="row"><ul>\n{media_blocks(items)}\n'
                            "</ul></div></div>"))
    write(PANGEA / "p" / "5981.html", pangea_simple("/p/5981.html", "About RFE/RL",
          '<h1 class="title pg-title">About RFE/RL</h1>\n<div class="wsw">\n<p>This is a local replica of a '
          "Pangea CMS site, built for crawler tests. Nothing here is served from the real site.</p>\n</div>"))
    blocks = media_blocks(newest)
    write(PANGEA / "index.html", pangea_simple("/", "RFE/RL", f"""<h1 class="sr-only">Radio Free Europe/Radio Liberty</h1>
<div class="media-block-wrap">
<h2 class="section-head">Top Stories</h2>
<div class="row"><ul>
{blocks}
</ul></div>
</div>
<p class="more"><a href="{LEGAL_PAGE}">RFE/RL and the Russian &ldquo;undesirable organization&rdquo; law</a></p>"""))
    write(PANGEA / LEGAL_PAGE.lstrip("/"), pangea_simple(LEGAL_PAGE, "Undesirable Organization: What It Means",
          '<h1 class="title pg-title">Undesirable Organization: What It Means</h1>\n<div class="wsw">\n'
          "<p>This fixture page stands in for the explanatory page linked from every article's legal notice.</p>\n"
          "</div>"))
    write(PANGEA / "robots.txt", """User-agent: *
Disallow: /s
Disallow: /Content/
Disallow: /navigation.html

Sitemap: {{BASE}}/sitemap.xml
""")
    urls = [("/", "2026-11-27T15:11:08+00:00"), (LEGAL_PAGE, "2026-01-15T10:00:00+00:00")]
    urls += [(x["path"], pangea_iso(x["modified"])) for x in arts]
    write(PANGEA / "sitemap.xml", '<?xml version="1.0" encoding="utf-8"?>\n'
          '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' +
          "".join(f"<url><loc>{{{{BASE}}}}{p}</loc><lastmod>{m}</lastmod></url>\n" for p, m in urls) +
          "</urlset>\n")
    items = "".join(f"""<item>
<title>{e(x["title"])}</title>
<description>{e(x["description"])}</description>
<link>{{{{BASE}}}}{x["path"]}</link>
<guid>{{{{BASE}}}}{x["path"]}</guid>
<pubDate>{format_datetime(datetime.fromisoformat(pangea_iso(x["published"])))}</pubDate>
<category>{e(x["category"][0])}</category>
<dc:creator>{e(x["author"] or "RFE/RL")}</dc:creator>
<enclosure url="{{{{BASE}}}}{pangea_img(x, "w1200_r1")}" length="1" type="image/jpeg" />
</item>
""" for x in sorted(arts, key=lambda x: x["published"], reverse=True))
    write(PANGEA / FEED_PATH.lstrip("/"), f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>RFE/RL - Top Stories</title>
<link>{{{{BASE}}}}/</link>
<description>Radio Free Europe/Radio Liberty</description>
<language>en-US</language>
<copyright>{PANGEA_FOOTER_COPY}</copyright>
<ttl>60</ttl>
<lastBuildDate>Fri, 27 Nov 2026 15:11:08 +0000</lastBuildDate>
<generator>Pangea CMS</generator>
<atom:link href="{{{{BASE}}}}{FEED_PATH}" rel="self" type="application/rss+xml"/>
{items}</channel>
</rss>
""")
    write(PANGEA / (FEED_PATH.lstrip("/") + ".headers"), "Content-Type: application/rss+xml; charset=utf-8\n")
    assets = PANGEA / "Content" / "responsive" / "RFE" / "en-US"
    write(assets / "RFE-en-US.css", "body{margin:0}\n")
    for name in ("logo.svg", "logo-compact.svg"):
        write(assets / "img" / name, '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
              '<rect width="120" height="40" fill="#1f2a44"/><text x="10" y="27" fill="#fff">RFE/RL</text></svg>\n')
    write(assets / "img" / "logo.png", tiny_png(32, 32, lambda x, y: (31, 42, 68)))
    return {
        "site": PANGEA_SITE,
        "feed": FEED_PATH,
        "sitemap": "/sitemap.xml",
        "articles": {x["path"]: {
            "id": x["id"],
            "title": x["title"],
            "author": x["author"],
            "published_datetime": pangea_iso(x["published"]),
            "language": "en",
            "caption": x["caption"],
            "caption_occurrences_in_html_text": 2,
            "legal_notice_markup": notice_markup(x),
            "paragraphs": list(x["paragraphs"]),
        } for x in arts},
        "non_articles": ["/", LEGAL_PAGE, "/p/5981.html", *listings],
        "boilerplate": ["Accessibility links", "Skip to main content", "Skip to main Navigation", "Skip to Search",
                        "Breaking News", *pangea_content.LEGAL_NOTICE, "undesirable organization",
                        "you could face fines or imprisonment", "Read more", "Most Popular", "Follow Us",
                        "Print Options", "Back to top", "All Rights Reserved"],
    }


def main() -> None:
    demo = build_demo()
    write(DEMO / "EXPECTED.json", json.dumps(demo, ensure_ascii=False, indent=1) + "\n")
    pangea = build_pangea()
    write(PANGEA / "EXPECTED.json", json.dumps(pangea, ensure_ascii=False, indent=1) + "\n")
    n_demo = sum(1 for p in DEMO.rglob("*") if p.is_file())
    n_pangea = sum(1 for p in PANGEA.rglob("*") if p.is_file())
    print(f"demo: {n_demo} files, {len(demo['articles'])} articles; pangea: {n_pangea} files, "
          f"{len(pangea['articles'])} articles")


if __name__ == "__main__":
    main()
