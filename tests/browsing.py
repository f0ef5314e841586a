"""Helpers for the browsing tests (test_serve, test_browser): the demo site plus one hostile article,
crawled for real, and `newsarchive serve` running on a free loopback port."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from conftest import NEWSARCHIVE, SITES, newsarchive
from siteserver import free_port, running, stop_process

HOSTILE_PATH = "/2026/11/28/harbour-trust-scripts.html"
HOSTILE_TITLE = "Harbour trust opens its quince orchard ledger to the public"
HOSTILE_PHRASE = "quince orchard ledger"
# What the page's scripts do if they run: retitle the page, add an element, set a cookie, and try to read
# the archive's own pages. The browser test checks none of it happened on the archived copy, and that it
# all happens on the live page (so the check can fail).
HOSTILE_SCRIPT = """
document.title = "PWNED by archived script";
var p = document.createElement("p"); p.id = "pwned"; p.textContent = "the archived script ran";
document.body.appendChild(p);
try { document.cookie = "archived_script=ran; path=/"; } catch (e) {}
try { fetch("/archive.json").then(function (r) { return r.text(); }).then(function (t) {
  var q = document.createElement("p"); q.id = "leaked"; q.textContent = t.slice(0, 40); document.body.appendChild(q);
}); } catch (e) {}
"""
HOSTILE_PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{HOSTILE_TITLE} | The Loopback Gazette</title>
<link rel="canonical" href="{{{{BASE}}}}{HOSTILE_PATH}">
<meta property="og:type" content="article">
<meta property="og:title" content="{HOSTILE_TITLE}">
<meta property="article:published_time" content="2026-11-28T06:00:00+00:00">
<meta name="author" content="Mallory Quill">
<script src="/static/evil.js"></script>
</head>
<body>
<main>
<article>
<h1 class="headline">{HOSTILE_TITLE}</h1>
<p class="byline">By Mallory Quill</p>
<p>The harbour trust has put its quince orchard ledger on display in the old customs house, a bound
volume in which keepers recorded every tree planted along the sea wall since 1911, with the weather on
the day and the name of whoever held the spade.</p>
<p>Volunteers spent the summer transcribing the faded entries. They found that the orchard once held
forty-two trees, that a storm in 1953 took eleven of them in a single night, and that the oldest
surviving tree was planted by a ferry captain who wrote that the fruit was too hard to eat raw.</p>
<p>The trust says visitors may read the ledger on weekday afternoons, and that the transcription will be
published in the spring for anyone who wants to search it.</p>
<img src="/img/missing.jpg" alt="" onerror="document.title = 'PWNED by onerror'">
</article>
</main>
<script>{HOSTILE_SCRIPT}</script>
</body>
</html>
"""


def make_hostile_site(root: Path) -> Path:
    """A copy of the demo site with the hostile article, linked from the front page."""
    site = root / "site"
    shutil.copytree(SITES / "demo", site)
    page = site / HOSTILE_PATH.lstrip("/")
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(HOSTILE_PAGE, encoding="utf-8")
    (site / "static" / "evil.js").write_text('document.title = "PWNED by external script";\n')
    index = site / "index.html"
    html = index.read_text(encoding="utf-8")
    link = f'<li class="teaser"><a href="{HOSTILE_PATH}"><h3>{HOSTILE_TITLE}</h3></a></li>\n'
    index.write_text(html.replace('<ul class="teasers">\n', '<ul class="teasers">\n' + link, 1), encoding="utf-8")
    assert HOSTILE_PATH in index.read_text(encoding="utf-8")
    return site


@contextlib.contextmanager
def hostile_archive(root: Path) -> Iterator[tuple[str, Path]]:
    """Serve the hostile site, crawl it into ``root/archive``; yield (site base URL, archive dir)."""
    site = make_hostile_site(root)
    archive_dir = root / "archive"
    with running(site, quiet=True) as base:
        newsarchive("crawl", base + "/", "--archive-dir", archive_dir, "--no-throttle", "--quiet")
        yield base, archive_dir


def db_rows(archive_dir: Path, sql: str, params=()) -> list[dict]:
    """Rows of a query on ``archive_dir/archive.db``, opened read-only."""
    conn = sqlite3.connect(f"file:{archive_dir / 'archive.db'}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"newsarchive serve exited {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise AssertionError(f"newsarchive serve did not answer {url} within {timeout}s")


@contextlib.contextmanager
def serving(archive_dir: Path) -> Iterator[str]:
    """``newsarchive serve`` in a subprocess on a free loopback port; yields its base URL."""
    port = free_port()
    log_path = archive_dir.parent / f"serve-{port}.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [str(NEWSARCHIVE), "serve", "--archive-dir", str(archive_dir), "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_http(base + "/-/versions.json", proc)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{log_path.read_text(errors='replace')[-3000:]}") from None
        yield base
    finally:
        stop_process(proc)
