"""Loopback HTTP/1.1 server for the fixture sites under tests/sites/.

CLI:  python tests/siteserver.py ROOT [--host 127.0.0.1] [--port 0] [--log FILE] [--quiet]
      prints one line ``PORT <n>`` to stdout once listening.
API:  ``serve(root, host, port)`` (blocking) and ``running(root) -> base_url`` (subprocess).

Behaviour paths (bounded): /_slow/N, /_status/CODE, /_drop, /_huge/N, /_redirect/N.
Text bodies get ``{{BASE}}`` replaced by ``http://HOST:PORT``; gzip when accepted; ``NAME.gz`` files
are served as ``application/gzip`` files (``sitemap.xml.gz``), ``{{BASE}}`` replaced inside;
ETag/Last-Modified with 304s; ``NAME.headers`` sidecars override headers (and ``Status:``).
"""
from __future__ import annotations

import argparse
import contextlib
import email.utils
import gzip
import hashlib
import html
import mimetypes
import os
import re
import selectors
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".css": "text/css; charset=utf-8",
    ".js": "application/javascript",
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".gz": "application/gzip",
}
TEXT_MARKERS = ("text/", "xml", "json", "javascript")
HIDDEN_SUFFIXES = (".headers",)
HIDDEN_NAMES = {"EXPECTED.json"}
MAX_SLOW, MAX_HUGE, MAX_REDIRECTS = 30.0, 50_000_000, 50


def small_page(title: str, text: str = "") -> bytes:
    t = html.escape(title)
    body = f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title></head>"
    return (body + f"<body><h1>{t}</h1><p>{html.escape(text)}</p></body></html>\n").encode()


def read_sidecar(path: Path) -> tuple[int, list[tuple[str, str]]]:
    """Parse ``NAME.headers``: raw ``Header: value`` lines; ``Status: NNN`` sets the status."""
    status, headers = 200, []
    side = path.with_name(path.name + ".headers")
    if side.is_file():
        for line in side.read_text("utf-8").splitlines():
            if ":" not in line or line.lstrip().startswith("#"):
                continue
            name, value = (s.strip() for s in line.split(":", 1))
            if name.lower() == "status":
                status = int(value.split()[0])
            else:
                headers.append((name, value))
    return status, headers


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "LoopbackSiteServer/1.0"
    server: SiteServer

    # -- plumbing -------------------------------------------------------------------
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        code_s = str(getattr(code, "value", code))
        self.log_message('"%s" %s %s', self.requestline, code_s, size)
        if self.server.log_path:
            inm = self.headers.get("If-None-Match", "-") if self.headers else "-"
            line = f"{self.command}\t{self.path}\t{code_s}\t{inm}\n"
            with self.server.log_lock, open(self.server.log_path, "a", encoding="utf-8") as fh:
                fh.write(line)

    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        if host in ("0.0.0.0", "::", ""):
            return "http://" + (self.headers.get("Host") or f"127.0.0.1:{port}")
        return f"http://[{host}]:{port}" if ":" in str(host) else f"http://{host}:{port}"

    def send(self, status: int, body: bytes, headers: list[tuple[str, str]] | None = None,
             ctype: str = "text/html; charset=utf-8") -> None:
        hdrs = list(headers or [])
        if not any(k.lower() == "content-type" for k, _ in hdrs) and status not in (204, 304):
            hdrs.append(("Content-Type", ctype))
        if status in (204, 304) or status < 200:
            body = b""
        self.send_response(status)
        for k, v in hdrs:
            self.send_header(k, v)
        if status not in (204, 304):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def redirect(self, location: str, status: int = 302) -> None:
        self.send(status, small_page("Moved", location), [("Location", location)])

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path) or "/"
        try:
            if path.startswith("/_"):
                if self.behaviour(path):
                    return
            self.serve_file(path)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    # -- failure behaviours -----------------------------------------------------------
    def behaviour(self, path: str) -> bool:
        parts = path.strip("/").split("/")
        name, arg = parts[0], (parts[1] if len(parts) > 1 else "")
        if name == "_slow" and re.fullmatch(r"\d+(\.\d+)?", arg or "1"):
            secs = min(float(arg or 1), MAX_SLOW)
            time.sleep(secs)
            self.send(200, small_page("Slow page", f"Waited {secs:g} seconds."))
        elif name == "_status" and arg.isdigit() and 200 <= int(arg) <= 599:
            code = int(arg)
            extra = [("Location", "/")] if code in (301, 302, 303, 307, 308) else []
            if code in (429, 503):
                extra.append(("Retry-After", "1"))
            self.send(code, small_page(f"Status {code}", "Behaviour page."), extra)
        elif name == "_drop":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write((b"<html><body><p>" + b"x" * 100)[:100])
            self.wfile.flush()
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(2)
        elif name == "_huge" and arg.isdigit():
            self.stream_huge(min(int(arg), MAX_HUGE))
        elif name == "_redirect" and arg.isdigit():
            n = min(int(arg), MAX_REDIRECTS)
            self.redirect(f"/_redirect/{n - 1}" if n > 1 else "/")
        else:
            return False
        return True

    def stream_huge(self, n: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(n))
        self.end_headers()
        if self.command == "HEAD":
            return
        head = b"<!DOCTYPE html><html><head><title>Huge</title></head><body>\n"
        chunk = b"<p>" + b"All work and no play makes a very large page. " * 20 + b"</p>\n"
        sent, first = 0, True
        while sent < n:
            block = (head + chunk * 64) if first else chunk * 64
            first = False
            block = block[: n - sent]
            self.wfile.write(block)
            sent += len(block)

    # -- static files ------------------------------------------------------------------
    def resolve(self, path: str) -> Path | None:
        root: Path = self.server.root
        target = (root / path.lstrip("/")).resolve()
        if target != root and root not in target.parents:
            return None
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file() or target.name in HIDDEN_NAMES or target.name.endswith(HIDDEN_SUFFIXES):
            return None
        return target

    def serve_file(self, path: str) -> None:
        root: Path = self.server.root
        raw = (root / path.lstrip("/")).resolve()
        inside = raw == root or root in raw.parents
        if inside and raw.is_dir() and not path.endswith("/") and (raw / "index.html").is_file():
            self.redirect(path + "/", 301)
            return
        target = self.resolve(path)
        if target is None:
            self.send(404, small_page("404 Not Found", f"No such page: {path}"))
            return
        status, side = read_sidecar(target)
        if 300 <= status < 400 and any(k.lower() == "location" for k, _ in side):
            self.send(status, small_page("Moved"), side)
            return
        ctype = CONTENT_TYPES.get(target.suffix.lower()) or mimetypes.guess_type(target.name)[0]
        ctype = next((v for k, v in side if k.lower() == "content-type"), ctype or "application/octet-stream")
        body = target.read_bytes()
        is_text = any(m in ctype.lower() for m in TEXT_MARKERS)
        if is_text:
            body = body.replace(b"{{BASE}}", self.base_url().encode("ascii"))
        elif target.suffix.lower() == ".gz":
            body = gzip.compress(gzip.decompress(body).replace(b"{{BASE}}", self.base_url().encode("ascii")), mtime=0)
        mtime = int(target.stat().st_mtime)
        tag = hashlib.sha1(body).hexdigest()[:20]
        headers = [(k, v) for k, v in side if k.lower() != "content-type"]
        headers += [("Content-Type", ctype), ("Last-Modified", email.utils.formatdate(mtime, usegmt=True))]
        gz = is_text and "gzip" in self.headers.get("Accept-Encoding", "").lower()
        headers.append(("ETag", f'"{tag}-gz"' if gz else f'"{tag}"'))
        if is_text:
            headers.append(("Vary", "Accept-Encoding"))
        if status == 200 and self.not_modified(tag, mtime):
            self.send(304, b"", headers)
            return
        if gz:
            body = gzip.compress(body, mtime=0)
            headers.append(("Content-Encoding", "gzip"))
        self.send(status, body, headers)

    def not_modified(self, tag: str, mtime: int) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = {t.strip().removeprefix("W/").strip('"').removesuffix("-gz") for t in inm.split(",")}
            return "*" in tags or tag in tags
        ims = self.headers.get("If-Modified-Since")
        if ims:
            with contextlib.suppress(TypeError, ValueError, IndexError, OverflowError):
                return mtime <= email.utils.parsedate_to_datetime(ims).timestamp()
        return False


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, root: str | os.PathLike[str], host: str, port: int, log_path: str | None = None):
        self.root = Path(root).resolve()
        self.log_path = log_path
        self.log_lock = threading.Lock()
        super().__init__((host, port), Handler)


def serve(root: str | os.PathLike[str], host: str = "127.0.0.1", port: int = 0,
          log_path: str | None = None) -> None:
    """Serve ROOT forever; prints ``PORT <n>`` once listening."""
    server = SiteServer(root, host, port, log_path)
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def free_port() -> int:
    """A loopback port nobody listens on right now (for servers that cannot report their own)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    """Terminate a server subprocess; kill it if it has not exited within ``timeout`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@contextlib.contextmanager
def running(root: str | os.PathLike[str], log: str | os.PathLike[str] | None = None,
            quiet: bool = False, timeout: float = 15.0, host: str = "127.0.0.1") -> Iterator[str]:
    """Run the server in a subprocess; yield ``http://HOST:PORT``; stop it on exit. Another loopback
    address (``127.0.0.2``) gives a second site with a host name of its own."""
    cmd = [sys.executable, str(Path(__file__).resolve()), str(root), "--host", host, "--port", "0"]
    if log is not None:
        cmd += ["--log", str(log)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL if quiet else None)
    try:
        assert proc.stdout is not None
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        if not sel.select(timeout):
            raise RuntimeError(f"siteserver did not report its port within {timeout}s")
        line = proc.stdout.readline().decode().strip()
        if not line.startswith("PORT "):
            raise RuntimeError(f"siteserver failed to start: {line!r} (exit {proc.poll()})")
        yield f"http://{host}:{int(line.split()[1])}"
    finally:
        stop_process(proc, 5)
        if proc.stdout:
            proc.stdout.close()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--log", help="append METHOD PATH STATUS IF-NONE-MATCH lines here")
    ap.add_argument("--quiet", action="store_true", help="no request lines on stderr")
    args = ap.parse_args(argv)
    if not Path(args.root).is_dir():
        ap.error(f"not a directory: {args.root}")
    if args.quiet:
        Handler.log_message = lambda self, format, *a: None  # type: ignore[method-assign]
    serve(args.root, args.host, args.port, args.log)


if __name__ == "__main__":
    main()
