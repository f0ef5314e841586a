"""Page requisites: what an archived page embeds (images, stylesheets and the fonts and images they load,
scripts) is archived too, on any host, once; pywb replays the page with them from the archive alone."""

from __future__ import annotations

import contextlib
import random
import subprocess
import sys
import time
import urllib.request
import zipfile
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from browsing import db_rows
from changingsite import fetched, log_lines, paragraphs
from lxml import html as lxml_html
from warcio.archiveiterator import ArchiveIterator

from archive.requisites import css_requisites, largest_candidate, page_requisites
from conftest import newsarchive, wb_manager
from siteserver import free_port, running, stop_process

WARCIO = Path(sys.executable).parent / "warcio"
ARTICLE = "/2026/11/20/harbour-lights-return.html"
# Path on the first host -> body. Each body differs (no revisit records) and is over 1 kB where it matters.
FILES = {
    "/img/lead.jpg": b"\xff\xd8\xff\xe0lead-small" + bytes(range(256)) * 5,
    "/img/lead-320.jpg": b"\xff\xd8\xff\xe0lead-320" + bytes(range(255, -1, -1)) * 5,
    "/img/lead-1280.jpg": b"\xff\xd8\xff\xe0lead-1280" + bytes(range(0, 256, 3)) * 20,
    "/img/lead-640.jpg": b"\xff\xd8\xff\xe0lead-640" + bytes(range(1, 256, 2)) * 11,
    "/img/lazy.jpg": b"\xff\xd8\xff\xe0lazy" + bytes(range(0, 256, 5)) * 30,
    "/img/bg.png": b"\x89PNG\r\n\x1a\nbackground" + bytes(range(7, 256, 7)) * 40,
    "/fonts/serif.woff2": b"wOF2font" + bytes(range(2, 256, 4)) * 30,
    "/css/site.css": (b"/* url(/img/commented-out.png) */\n"
                      b"@font-face{font-family:S;src:url(\"../fonts/serif.woff2\") format(\"woff2\")}\n"
                      b".hero{background:#fff url(../img/bg.png) no-repeat}\n"
                      b".dot{background:url(data:image/png;base64,iVBORw0KGgo=)}\n"),
    "/js/app.js": b"document.documentElement.className = 'js';\n",
}
EMBEDS = ["/img/lead.jpg", "/img/lead-1280.jpg", "/img/lazy.jpg", "/css/site.css", "/js/app.js",
          "/fonts/serif.woff2", "/img/bg.png"]
NOT_EMBEDS = ["/img/lead-320.jpg", "/img/lead-640.jpg", "/img/commented-out.png"]
CDN_FILES = {"/cdn/photo.jpg": b"\xff\xd8\xff\xe0cdn-photo" + bytes(range(3, 256, 3)) * 25}


def article_page(cdn: str) -> str:
    paras = "\n".join(f"<p>{p}</p>" for p in paragraphs(7, 4))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Harbour lights return</title>
<meta property="og:type" content="article">
<meta property="article:published_time" content="2026-11-20T08:00:00+00:00">
<link rel="stylesheet" href="/css/site.css">
<script src="/js/app.js"></script>
</head><body><main><article><h1>Harbour lights return</h1>
<img src="/img/lead.jpg" srcset="/img/lead-320.jpg 320w, /img/lead-1280.jpg 1280w, /img/lead-640.jpg 640w" alt="">
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/img/lazy.jpg" alt="">
<img src="{cdn}/cdn/photo.jpg" alt="">
<img src="{cdn}/private/hidden.jpg" alt="">
<img src="/img/missing.jpg" alt="">
<img src="/_status/503" alt="">
{paras}
</article></main></body></html>
"""


def write_site(root: Path, cdn: str, lastmod: str) -> None:
    for path, body in FILES.items():
        (root / path.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        (root / path.lstrip("/")).write_bytes(body)
    (root / ARTICLE.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
    (root / ARTICLE.lstrip("/")).write_text(article_page(cdn), "utf-8")
    (root / "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Harbour Times</title>'
        '<meta property="og:type" content="website"><link rel="stylesheet" href="/css/site.css"></head>'
        f'<body><h1>Harbour Times</h1><a href="{ARTICLE}">Harbour lights return</a></body></html>\n', "utf-8")
    (root / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{{{{BASE}}}}{ARTICLE}</loc><lastmod>{lastmod}</lastmod></url></urlset>\n", "utf-8")
    (root / "robots.txt").write_text("User-agent: *\nDisallow:\n\nSitemap: {{BASE}}/sitemap.xml\n", "utf-8")


def write_cdn(root: Path) -> None:
    for path, body in CDN_FILES.items():
        (root / path.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        (root / path.lstrip("/")).write_bytes(body)
    (root / "private").mkdir(exist_ok=True)
    (root / "private" / "hidden.jpg").write_bytes(b"never fetched")
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", "utf-8")


rows = db_rows


def crawl(base: str, archive: Path, *args: str) -> str:
    return newsarchive("crawl", base + "/", "--archive-dir", archive, "--no-throttle", "-q", *args).stdout


@contextlib.contextmanager
def served(tmp: Path, lastmod: str = "2026-11-20T08:00:00+00:00"):
    """The site on 127.0.0.1 and its image host on 127.0.0.2, running; yields (site folder, its base URL,
    the image host's base URL, the two request logs)."""
    site, cdn = tmp / "site", tmp / "cdn"
    site.mkdir()
    cdn.mkdir()
    write_cdn(cdn)
    log, cdn_log = tmp / "site.log", tmp / "cdn.log"
    with running(cdn, log=cdn_log, quiet=True, host="127.0.0.2") as cdn_base, \
            running(site, log=log, quiet=True) as base:
        write_site(site, cdn_base, lastmod)
        yield site, base, cdn_base, log, cdn_log


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """Two crawls of a site whose article embeds everything, with an image on a second host (127.0.0.2);
    between them the sitemap lists the article as changed, so the second run fetches it again."""
    tmp = tmp_path_factory.mktemp("requisites")
    archive = tmp / "archive"
    with served(tmp) as (site, base, cdn_base, log, cdn_log):
        crawl(base, archive)
        first, first_cdn = fetched(log), fetched(cdn_log)
        mark, cdn_mark = log_lines(log), log_lines(cdn_log)
        changed = datetime.now(UTC) + timedelta(hours=1)  # newer than the capture, within a day of now
        write_site(site, cdn_base, changed.strftime("%Y-%m-%dT%H:%M:%S+00:00"))
        summary = crawl(base, archive)
        second, second_cdn = fetched(log, mark), fetched(cdn_log, cdn_mark)
    return {"base": base, "cdn": cdn_base, "archive": archive, "first": first, "first_cdn": first_cdn,
            "second": second, "second_cdn": second_cdn, "tmp": tmp, "summary": summary}


def test_every_embed_is_archived_once_with_the_page_that_embedded_it(two_runs):
    base, cdn, archive = two_runs["base"], two_runs["cdn"], two_runs["archive"]
    first, first_cdn = two_runs["first"], two_runs["first_cdn"]
    for path in EMBEDS:
        assert first.count(path) == 1, (path, first)
    for path in NOT_EMBEDS:
        assert path not in first, path
    assert first.count("/img/missing.jpg") == 1
    assert first.count("/_status/503") == 3  # Scrapy's RETRY_TIMES = 2 within the run
    assert first_cdn == ["/robots.txt", "/cdn/photo.jpg"]  # /private/ is disallowed by that host's robots.txt
    captures = rows(archive, "select * from captures where reason = 'requisite' and warc_record_id is not null "
                             "and crawl_id = (select id from crawls order by started_at limit 1)")
    got = {c["url"]: c for c in captures}
    page, stylesheet = base + ARTICLE, base + "/css/site.css"
    expected = {base + p: page for p in ["/img/lead.jpg", "/img/lead-1280.jpg", "/img/lazy.jpg", "/js/app.js",
                                         "/img/missing.jpg", "/_status/503"]}
    expected |= {base + "/fonts/serif.woff2": stylesheet, base + "/img/bg.png": stylesheet,
                 cdn + "/cdn/photo.jpg": page, stylesheet: base + "/"}  # the front page embeds it first
    assert {url: c["embedded_by"] for url, c in got.items()} == expected
    assert all(c["warc_type"] == "response" for c in captures)
    assert [c["status"] for c in captures if c["url"].endswith("/_status/503")] == [503] * 3
    assert got[base + "/img/missing.jpg"]["status"] == 404
    forbidden = rows(archive, "select reason, embedded_by, warc_record_id from captures where url like '%hidden.jpg'")
    # refused by robots.txt in the first run, then settled (asked again on the schedule, not every run)
    assert forbidden == [{"reason": "ignored: Forbidden by robots.txt", "embedded_by": page, "warc_record_id": None}]
    # Never extracted, never an article: the one article is the page.
    assert [r["url"] for r in rows(archive, "select url from articles")] == [page]

    # Each is a response record in the WARC files, with the body as served, and a metadata record.
    bodies, outcomes = {}, {}
    for path in sorted((archive / "warc").glob("*.warc.gz")):
        check = subprocess.run([str(WARCIO), "check", "-v", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type == "response":
                    bodies.setdefault(record.rec_headers.get_header("WARC-Target-URI"), record.content_stream().read())
                elif record.rec_type == "metadata":
                    outcomes[record.rec_headers.get_header("WARC-Refers-To")] = record.content_stream().read().decode()
    for path in EMBEDS:
        if path != "/css/site.css":  # served gzip-encoded: content_stream decodes it
            assert bodies[base + path] == FILES[path], path
    assert bodies[cdn + "/cdn/photo.jpg"] == CDN_FILES["/cdn/photo.jpg"]
    for c in captures:
        assert f"newsarchive-outcome: requisite\r\nembedded-by: {c['embedded_by']}\r\n" == outcomes[c["warc_record_id"]]
    assert not any(url.startswith("data:") for url in bodies)


def test_second_run_fetches_no_archived_embed_again(two_runs):
    second, second_cdn = two_runs["second"], two_runs["second_cdn"]
    # The article was listed as changed, so it was fetched again and its embeds found again ...
    assert ARTICLE in second
    # ... but those archived with a 2xx, the 404 and the one robots.txt refused (settled like a page) are
    # not asked for again; the 503 settles nothing and is asked for again (three times: retries).
    assert [p for p in second if p not in ("/robots.txt", "/", "/sitemap.xml", ARTICLE)] == ["/_status/503"] * 3
    assert second_cdn == []  # not even the image host's robots.txt: nothing is asked of that host
    archive = two_runs["archive"]
    (crawl_row,) = rows(archive, "select id from crawls order by started_at desc limit 1")
    again = rows(archive, "select url, status from captures where reason = 'requisite' and crawl_id = ?",
                 [crawl_row["id"]])
    assert {r["status"] for r in again} == {503} and len(again) == 3
    # The summary counts them apart from the pages (the article itself was due: listed as changed):
    # every embed of the two pages fetched again (the front page and the article) that the first run
    # asked for, but the 503; what the stylesheet loads is not asked for at all, the stylesheet being archived.
    base = two_runs["base"]
    (first,) = rows(archive, "select count(distinct url) as n from captures where embedded_by in (?, ?)"
                             " and url not like '%/_status/503' and crawl_id != ?",
                    [base + "/", base + ARTICLE, crawl_row["id"]])
    assert f"0 archived skipped (and {first['n']} archived page requisites)" in two_runs["summary"]


def test_reindex_rebuilds_requisite_captures(two_runs, tmp_path):
    import shutil

    archive = tmp_path / "archive"
    shutil.copytree(two_runs["archive"], archive, ignore=shutil.ignore_patterns("*.lock", "logs"))
    sql = ("select url, status, reason, embedded_by, warc_record_id from captures "
           "where warc_record_id is not null order by id")
    before = rows(archive, sql)
    newsarchive("reindex", "--archive-dir", archive, "-q")
    after = rows(archive, sql)
    assert after == before
    # Run 1: 10 URLs, the 503 one three times (retries); run 2: the 503 one three times.
    assert sum(r["reason"] == "requisite" for r in after) == 12 + 3


def test_page_requisites_off_fetches_no_embed(tmp_path):
    with served(tmp_path) as (_, base, _, log, cdn_log):
        crawl(base, tmp_path / "archive", "-s", "NEWSARCHIVE_PAGE_REQUISITES=False")
    assert sorted(set(fetched(log))) == ["/", ARTICLE, "/robots.txt", "/sitemap.xml"]
    assert fetched(cdn_log) == []
    assert rows(tmp_path / "archive", "select count(*) as n from captures where reason = 'requisite'")[0]["n"] == 0
    assert len(rows(tmp_path / "archive", "select url from articles")) == 1


def test_pywb_replays_the_page_with_its_image_and_stylesheet(tools, two_runs, tmp_path):
    """The site servers are stopped by now: pywb serves the embeds from the WARC files alone."""
    base, cdn, archive = two_runs["base"], two_runs["cdn"], two_runs["archive"]
    (capture,) = rows(archive, "select fetched_at from captures where url = ? order by id limit 1", [base + ARTICLE])
    timestamp = "".join(ch for ch in capture["fetched_at"] if ch.isdigit())[:14]
    root = tmp_path / "pywb"
    root.mkdir()
    wb_manager(tools, root, "init", "coll")
    warcs = sorted(str(p) for p in (archive / "warc").glob("*.warc.gz"))
    wb_manager(tools, root, "add", "coll", *warcs)
    port = free_port()
    server = subprocess.Popen([str(tools / "wayback"), "-p", str(port), "-b", "127.0.0.1"], cwd=root,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def get(url: str) -> tuple[int, bytes]:
        deadline = time.time() + 30
        while True:
            try:
                with urllib.request.urlopen(url, timeout=10) as answer:
                    return answer.status, answer.read()
            except urllib.error.HTTPError as exc:
                return exc.code, b""
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.3)

    try:
        replay = f"http://127.0.0.1:{port}/coll/{timestamp}"
        status, page = get(f"{replay}mp_/{base}{ARTICLE}")
        assert status == 200 and b"Harbour lights return" in page
        # pywb rewrote the embeds to point into the archive.
        assert f"/coll/{timestamp}im_/{base}/img/lead.jpg".encode() in page
        assert f"/coll/{timestamp}cs_/{base}/css/site.css".encode() in page
        assert get(f"{replay}im_/{base}/img/lead.jpg") == (200, FILES["/img/lead.jpg"])
        assert get(f"{replay}im_/{cdn}/cdn/photo.jpg") == (200, CDN_FILES["/cdn/photo.jpg"])
        status, css = get(f"{replay}cs_/{base}/css/site.css")
        assert status == 200 and b"@font-face" in css and b"serif.woff2" in css
        assert get(f"{replay}id_/{base}/fonts/serif.woff2") == (200, FILES["/fonts/serif.woff2"])
        # Counter-case: an image that was never archived is not served.
        assert get(f"{replay}im_/{base}/img/lead-320.jpg")[0] == 404
    finally:
        stop_process(server)


def test_site_wacz_packages_the_requisites_of_its_pages(tools, two_runs, tmp_path):
    """``export-wacz --site``: the article's records and those of everything its page embeds, on any
    host (the CDN image), including the stylesheet the front page embedded first and what it loads."""
    base, cdn, archive = two_runs["base"], two_runs["cdn"], two_runs["archive"]
    out = tmp_path / "site.wacz"
    newsarchive("export-wacz", out, "--archive-dir", archive, "--site", "127.0.0.1")
    check = subprocess.run([str(tools / "wacz"), "validate", "-f", str(out)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    responses = []
    with zipfile.ZipFile(out) as zf:
        for name in zf.namelist():
            if name.startswith("archive/"):
                for record in ArchiveIterator(BytesIO(zf.read(name))):
                    if record.rec_type in ("response", "revisit"):
                        responses.append(record.rec_headers.get_header("WARC-Target-URI"))
    expected = {base + ARTICLE, cdn + "/cdn/photo.jpg", base + "/img/missing.jpg"} | {base + p for p in EMBEDS}
    assert set(responses) == expected | {base + "/_status/503"}
    assert responses.count(base + "/_status/503") == 6  # three a run, both runs
    assert responses.count(base + ARTICLE) == 2  # its capture in each run (a 304 revisit in the second)
    # Counter-case: requisites are not packaged by URL alone; the front page is no selected article.
    assert base + "/" not in responses


# -- what counts as a requisite (spiders/requisites.py) -------------------------------------------------
def test_largest_srcset_candidate():
    assert largest_candidate("a.jpg 320w, b.jpg 1280w, c.jpg 640w") == "b.jpg"
    assert largest_candidate("a.jpg, b.jpg 2x, c.jpg 1.5x") == "b.jpg"
    assert largest_candidate("https://cdn.example/w_100,h_50/a.jpg 100w, https://cdn.example/w_900,h_450/a.jpg 900w") \
        == "https://cdn.example/w_900,h_450/a.jpg"
    assert largest_candidate("only.jpg") == "only.jpg"
    assert largest_candidate("  ,  ") is None


def test_page_requisites_attributes():
    page = """<html><head><base href="https://news.example/a/">
    <link rel="stylesheet" href="s.css"><link rel="alternate stylesheet" href="alt.css">
    <link rel="shortcut icon" href="/favicon.ico"><link rel="apple-touch-icon" href="/touch.png">
    <link rel="preload" as="font" href="/f.woff2"><link rel="preload" as="fetch" href="/data.json">
    <link rel="prefetch" href="/next.html"><link rel="alternate" href="/feed.rss"><link rel="canonical" href="/x">
    <script src="app.js"></script><script>var x = "<img src='/in-script.png'>";</script>
    <style>@import "print.css"; .h{background:url('/bg.png')}</style></head><body>
    <!-- <img src="/commented.png"> -->
    <img src="i.jpg" data-srcset="lazy-1.jpg 1x, lazy-2.jpg 2x" data-lazy-src="ll.jpg">
    <picture><source srcset="p-small.webp 400w, p-big.webp 1600w"><img src="p.jpg"></picture>
    <video poster="poster.jpg" src="movie.mp4"><source src="movie.webm"></video>
    <audio><source src="a.mp3"></audio>
    <div style="background-image: url(hero.jpg)"></div>
    <img src="data:image/png;base64,AAAA"><img src="javascript:void(0)"><img src="https://cdn.example/x.jpg#frag">
    </body></html>"""
    tree = lxml_html.fromstring(page)
    got = page_requisites(tree, "https://news.example/a/story.html")
    base = "https://news.example"
    assert got == [
        (f"{base}/a/s.css", True), (f"{base}/a/alt.css", True), (f"{base}/favicon.ico", False),
        (f"{base}/touch.png", False), (f"{base}/f.woff2", False), (f"{base}/a/app.js", False),
        (f"{base}/a/print.css", False), (f"{base}/bg.png", False),
        (f"{base}/a/i.jpg", False), (f"{base}/a/ll.jpg", False), (f"{base}/a/lazy-2.jpg", False),
        (f"{base}/a/p-big.webp", False), (f"{base}/a/p.jpg", False), (f"{base}/a/poster.jpg", False),
        ("https://cdn.example/x.jpg", False), (f"{base}/a/hero.jpg", False),
    ]


def test_css_requisites():
    css = """/* @import "skipped.css"; url(skipped.png) */
    @import url("reset.css"); @import 'theme.css';
    @font-face { src: url(../fonts/a.woff2) format("woff2"), url( '../fonts/a.woff' ) format("woff"); }
    .x { background: url(data:image/png;base64,AAAA), url("img/x.png"); }"""
    assert css_requisites(css, "https://news.example/css/site.css") == [
        "https://news.example/css/reset.css", "https://news.example/css/theme.css",
        "https://news.example/fonts/a.woff2", "https://news.example/fonts/a.woff",
        "https://news.example/css/img/x.png",
    ]


def test_srcset_by_regular_expression_is_the_standards_algorithm():
    """largest_candidate tokenizes by regular expression; the character-by-character algorithm of the HTML
    standard (kept for descriptors with parentheses) must give the same answer on any srcset."""
    from archive.requisites import _largest, _standard_candidates

    rng = random.Random(1)
    pieces = ["a", "/", ".", ",", " ", "\t", "\n", "1", "0", "w", "x", "h", ".5", ",,", "img.jpg", "?q=1,2",
              "\u00a0", "\x1c", "https://cdn.example/i/w_300,h_200/p.jpg", "640w", "2x"]
    for _ in range(20_000):
        srcset = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert largest_candidate(srcset) == _largest(_standard_candidates(srcset)), srcset
