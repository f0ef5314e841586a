"""A site's whole sitemap index at once: peak memory with pending requests on disk vs all in memory
(``make bench-frontier``).

    python bench/frontier.py [--sitemaps 20] [--per-sitemap 25000] [--articles 200] [--rounds 1]

Serves, on loopback, a sitemap index of ``--sitemaps`` sitemaps of ``--per-sitemap`` article URLs each
(what a big news site's index of its whole history looks like) and small article pages. Sitemaps are
fetched before the articles they list, so the crawl holds every listed URL as a pending request before
it archives its first article. Each run is ``newsarchive crawl --no-extract`` stopped after the index,
the sitemaps and ``--articles`` articles (``CLOSESPIDER_PAGECOUNT``); two variants, in alternation:

- newsarchive: pending requests past ``NEWSARCHIVE_FRONTIER_MEMORY`` wait on disk (crawler/frontier.py);
- reference: ``-s SCHEDULER_MEMORY_QUEUE=scrapy.squeues.FifoMemoryQueue``, Scrapy's memory queue: every
  pending request in memory, as the crawl did before.

Prints peak RSS (the crawl's process tree), wall time and the ratios newsarchive ÷ reference.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from measure import MB, run_measured  # noqa: E402

NEWSARCHIVE = Path(sys.executable).parent / "newsarchive"
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
ARTICLE = ("<!doctype html><html><head><meta charset=utf-8><title>Story</title></head><body><article>"
           "<h1>Story</h1>" + "<p>Words of the story, sentence after sentence, as a news page has them.</p>" * 20
           + "</article></body></html>").encode()
VARIANTS = {
    "newsarchive": [],
    "reference": ["-s", "SCHEDULER_MEMORY_QUEUE=scrapy.squeues.FifoMemoryQueue"],
}


def serve(sitemaps: int, per_sitemap: int) -> None:
    """The site: ``/sitemap.xml`` (the index), ``/sitemap-N.xml``, articles; prints ``PORT n``."""
    pages: dict[str, tuple[bytes, str]] = {"/robots.txt": (b"User-agent: *\nDisallow:\n", "text/plain")}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            body, content_type = pages.get(self.path, (ARTICLE, "text/html; charset=utf-8"))
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    pages["/sitemap.xml"] = (
        f"<?xml version='1.0'?><sitemapindex xmlns='{NS}'>".encode()
        + b"".join(f"<sitemap><loc>{base}/sitemap-{i}.xml</loc></sitemap>".encode() for i in range(sitemaps))
        + b"</sitemapindex>", "application/xml")
    for i in range(sitemaps):
        pages[f"/sitemap-{i}.xml"] = (
            f"<?xml version='1.0'?><urlset xmlns='{NS}'>".encode()
            + b"".join(f"<url><loc>{base}/2026/11/28/story-{i}-{j}-of-the-whole-archive</loc></url>".encode()
                       for j in range(per_sitemap))
            + b"</urlset>", "application/xml")
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


def crawl(base: str, archive: Path, stop_after: int, extra: list[str], log: Path) -> dict:
    shutil.rmtree(archive, ignore_errors=True)
    cmd = [str(NEWSARCHIVE), "crawl", f"{base}/sitemap.xml", "--archive-dir", str(archive), "--no-throttle",
           "--no-extract", "--quiet", "-s", "NEWSARCHIVE_PAGE_REQUISITES=False",
           "-s", f"CLOSESPIDER_PAGECOUNT={stop_after}", *extra]
    measured = run_measured(cmd, log)
    conn = sqlite3.connect(archive / "archive.db")
    try:
        fetched = conn.execute("select count(*) from captures where status = 200").fetchone()[0]
    finally:
        conn.close()
    if measured.returncode != 0 or fetched < stop_after:
        raise SystemExit(f"bench-frontier: {' '.join(extra) or 'newsarchive'} exited {measured.returncode}, "
                         f"{fetched} of {stop_after} pages fetched; log: {log}")
    spilled = "wait on disk" in "".join(p.read_text() for p in (archive / "logs").glob("*.log"))
    return {"rss": measured.peak_rss / MB, "wall": measured.seconds, "fetched": fetched, "spilled": spilled}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sitemaps", type=int, default=20)
    ap.add_argument("--per-sitemap", type=int, default=25_000)
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--tiny", action="store_true", help="3 sitemaps of 400 URLs, 100 requests in memory (tests)")
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    extra: list[str] = []
    if args.tiny:
        args.sitemaps, args.per_sitemap, args.articles, args.rounds = 3, 400, 20, 1
        extra = ["-s", "NEWSARCHIVE_FRONTIER_MEMORY=100"]
    if args.serve:
        serve(args.sitemaps, args.per_sitemap)
        return
    server = subprocess.Popen([sys.executable, __file__, "--serve", "--sitemaps", str(args.sitemaps),
                               "--per-sitemap", str(args.per_sitemap)], stdout=subprocess.PIPE, text=True)
    work = Path(tempfile.mkdtemp(prefix="bench-frontier-"))
    try:
        match = re.match(r"PORT (\d+)", server.stdout.readline())
        if not match:
            raise SystemExit("bench-frontier: the site did not start")
        base = f"http://127.0.0.1:{match[1]}"
        stop_after = 2 + args.sitemaps + args.articles  # the index, robots.txt is not counted, the sitemaps
        runs: dict[str, list[dict]] = {name: [] for name in VARIANTS}
        for round_ in range(args.rounds):
            order = list(VARIANTS) if round_ % 2 == 0 else list(reversed(VARIANTS))
            for name in order:
                runs[name].append(crawl(base, work / name, stop_after, VARIANTS[name] + extra,
                                        work / f"{name}-{round_}.log"))
        listed = args.sitemaps * args.per_sitemap
        print(f"bench-frontier: a sitemap index of {args.sitemaps} sitemaps × {args.per_sitemap:,} URLs "
              f"({listed:,} pending requests), stopped after {args.articles} articles; {args.rounds} round(s), "
              f"medians; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
        print(f"{'crawl':<58} {'peak RSS MB':>11} {'wall s':>7}  requests waited on disk")
        medians = {}
        for name, label in (("newsarchive", "newsarchive (pending requests past the limit on disk)"),
                            ("reference", "reference (Scrapy's FifoMemoryQueue: all in memory)")):
            rss = statistics.median(r["rss"] for r in runs[name])
            wall = statistics.median(r["wall"] for r in runs[name])
            medians[name] = (rss, wall)
            print(f"{label:<58} {rss:>11.0f} {wall:>7.1f}  {'yes' if runs[name][-1]['spilled'] else 'no'}")
        ours, ref = medians["newsarchive"], medians["reference"]
        print(f"ratio newsarchive ÷ reference: peak RSS {ours[0] / ref[0]:.2f}×, wall {ours[1] / ref[1]:.2f}×")
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
