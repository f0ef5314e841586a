"""A small, fast loopback HTTP/1.1 server for the benchmark site built by ``bench/sitebuilder.py``.

    python bench/server.py SITE_DIR [--port 0]     # prints "PORT <n>" once listening

Why not tests/siteserver.py: it compresses every response on the fly at gzip level 9 (several ms of
CPU per 300 kB page), which on a 2-core machine would take CPU from the crawler being measured. Here
pages are stored compressed and sent as they are (decompressed only for a client that does not accept
gzip), with keep-alive, on one asyncio thread.

Paths: ``/news/...`` the pages; ``/sitemap-N.xml`` a sitemap of the first N pages; ``/index-N.html``
one page linking them (for ``wget --recursive``); ``/robots.txt`` allows everything and names no
sitemap (so a crawler seeded with one sitemap finds no other). Control: ``/_bench/stats`` (JSON: pages
served, first and last page request on the ``time.monotonic()`` clock, which is system-wide on Linux,
so the runner can compare it with its own) and ``/_bench/reset[?latency_ms=N]``: with a latency, every
response waits N ms before it is sent, as a distant site's time to first byte would (the other requests
on other connections go on meanwhile).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import html
import json
import time
from pathlib import Path

ROBOTS = b"User-agent: *\nDisallow:\n"
# Every corpus page is UTF-8 (bench/sitebuilder.py checks); real news sites say so in the header, and without
# it Scrapy falls back to charset_normalizer, which would dominate a fetch-only profile.
PAGE_TYPE = "text/html; charset=utf-8"


class Site:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        manifest = json.loads((self.root / "manifest.json").read_text())
        self.entries = manifest["pages"]
        self.files = {e["path"]: self.root / "pages" / e["file"] for e in self.entries}
        self.reset()

    def reset(self, latency_ms: float = 0.0) -> None:
        self.latency = latency_ms / 1000
        self.served: set[str] = set()
        self.page_requests = 0
        self.requests = 0
        self.bytes_sent = 0
        self.first_page_at: float | None = None
        self.last_page_at: float | None = None

    def stats(self) -> dict:
        return {
            "pages_served": len(self.served),
            "page_requests": self.page_requests,
            "requests": self.requests,
            "bytes_sent": self.bytes_sent,
            "first_page_at": self.first_page_at,
            "last_page_at": self.last_page_at,
        }

    def count(self, n_text: str) -> int | None:
        return int(n_text) if n_text.isdigit() and 0 < int(n_text) <= len(self.entries) else None

    def sitemap(self, base: str, n: int) -> bytes:
        lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
        for e in self.entries[:n]:
            lines.append(f"<url><loc>{base}{e['path']}</loc><lastmod>{e['lastmod']}</lastmod></url>")
        lines.append("</urlset>\n")
        return "\n".join(lines).encode()

    def index(self, n: int) -> bytes:
        links = "\n".join(f'<li><a href="{html.escape(e["path"])}">Story {i}</a></li>' for i, e in enumerate(self.entries[:n]))
        return f"<!DOCTYPE html><html><head><title>Index</title></head><body><ul>\n{links}\n</ul></body></html>\n".encode()


def response(status: int, body: bytes, ctype: str, *, gzipped: bool = False, head: bool = False) -> bytes:
    reason = {200: "OK", 404: "Not Found"}.get(status, "OK")
    lines = [f"HTTP/1.1 {status} {reason}", f"Content-Type: {ctype}", f"Content-Length: {len(body)}"]
    if gzipped:
        lines.append("Content-Encoding: gzip")
    lines.append("Vary: Accept-Encoding")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (b"" if head else body)


async def handle(site: Site, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    host, port = writer.get_extra_info("sockname")[:2]
    base = f"http://{host}:{port}"
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            lines = head.decode("latin-1").split("\r\n")
            method, target = (lines[0].split(" ") + ["", ""])[:2]
            headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)}
            accepts_gzip = "gzip" in headers.get("accept-encoding", "").lower()
            path, _, query = target.partition("?")
            is_head = method == "HEAD"
            site.requests += 1
            if path in site.files:
                now = time.monotonic()
                if site.first_page_at is None:
                    site.first_page_at = now
                site.page_requests += 1
                site.served.add(path)
                body = site.files[path].read_bytes()
                if accepts_gzip:
                    out = response(200, body, PAGE_TYPE, gzipped=True, head=is_head)
                else:
                    out = response(200, gzip.decompress(body), PAGE_TYPE, head=is_head)
            elif path.startswith("/sitemap-") and path.endswith(".xml") and site.count(path[9:-4]):
                body = site.sitemap(base, site.count(path[9:-4]))
                out = response(200, gzip.compress(body, 6) if accepts_gzip else body, "application/xml",
                               gzipped=accepts_gzip, head=is_head)
            elif path.startswith("/index-") and path.endswith(".html") and site.count(path[7:-5]):
                out = response(200, site.index(site.count(path[7:-5])), "text/html; charset=utf-8", head=is_head)
            elif path == "/robots.txt":
                out = response(200, ROBOTS, "text/plain", head=is_head)
            elif path == "/_bench/stats":
                out = response(200, json.dumps(site.stats()).encode(), "application/json")
            elif path == "/_bench/reset":
                latency = query.removeprefix("latency_ms=")
                site.reset(float(latency) if latency.replace(".", "", 1).isdigit() else 0.0)
                out = response(200, b"{}", "application/json")
            else:
                out = response(404, b"<html><body>not found</body></html>", "text/html", head=is_head)
            if site.latency and not path.startswith("/_bench/"):
                await asyncio.sleep(site.latency)
            site.bytes_sent += len(out)
            writer.write(out)
            await writer.drain()
            if path in site.files:
                site.last_page_at = time.monotonic()
            if headers.get("connection", "").lower() == "close":
                return
    finally:
        writer.close()


async def serve(root: Path, host: str, port: int) -> None:
    site = Site(root)
    server = await asyncio.start_server(lambda r, w: handle(site, r, w), host, port, backlog=256)
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site_dir", type=Path)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args(argv)
    try:
        asyncio.run(serve(args.site_dir, args.host, args.port))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
