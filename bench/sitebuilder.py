"""Build the benchmark site: N unique article pages made from the corpus pages in ../shared/corpus.

    python bench/sitebuilder.py OUT_DIR --pages 5000

The corpus is read where it lies (never copied into the project). Copy ``n`` of corpus page ``n % len``
gets a unique ``<meta name="bench-copy">`` and a unique paragraph injected before the first ``<p>`` of
the page (so inside the article body on most pages): every body, payload digest and extracted text
differs, so no deduplication (revisit records, text hashes) can skip work.

Pages are stored gzip-compressed (``OUT_DIR/pages/NNNNN.html.gz``, level 6 as a typical web server
sends them) so the bench server only copies bytes; ``OUT_DIR/manifest.json`` lists the URL path of each.
Sitemaps and link index pages are made by the server for any prefix of the list (``/sitemap-N.xml``,
``/index-N.html``), because their absolute URLs need the server's port.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
CORPUS_SETS = ("aeb", "naeb")
GZIP_LEVEL = 6  # nginx/Apache deployments commonly use 5-6; level 9 costs CPU for ~1% smaller files
FIRST_DAY = date(2026, 1, 1)

_FIRST_P = re.compile(rb"<p[\s>]", re.I)
_BODY = re.compile(rb"<body[^>]*>", re.I)
_HEAD = re.compile(rb"<head[^>]*>", re.I)


def corpus_pages(corpus: Path = CORPUS) -> list[Path]:
    pages = sorted(p for name in CORPUS_SETS for p in (corpus / name / "html").glob("*.html.gz"))
    if not pages:
        raise SystemExit(f"no corpus pages in {corpus}/{{{','.join(CORPUS_SETS)}}}/html: is ../shared there?")
    return pages


def page_path(n: int) -> str:
    """An article-shaped URL path (date path), one calendar day per 20 pages."""
    day = FIRST_DAY + timedelta(days=n // 20)
    return f"/news/{day:%Y/%m/%d}/story-{n:05d}.html"


def unique_copy(html: bytes, n: int, source: str) -> bytes:
    """The page with a unique id in its head and a unique paragraph in its body."""
    token = f"{n:05d}-{source[:12]}"
    paragraph = (
        f'<p id="bench-copy-{n}">Benchmark copy {token}: this paragraph makes page {n} unique, so its '
        f"payload digest and its extracted text differ from every other copy of the same source page.</p>"
    ).encode()
    meta = f'<meta name="bench-copy" content="{token}">'.encode()
    head = _HEAD.search(html)
    if head:
        html = html[: head.end()] + meta + html[head.end() :]
    anchor = _FIRST_P.search(html) or _BODY.search(html)
    if anchor is None:
        return html + paragraph
    at = anchor.start() if anchor.group(0)[:2].lower() == b"<p" else anchor.end()
    return html[:at] + paragraph + html[at:]


def build_site(out_dir: Path, pages: int, corpus: Path = CORPUS) -> Path:
    """Write ``pages`` unique pages and the manifest; reuse a complete earlier build of the same size."""
    out_dir = Path(out_dir)
    manifest = out_dir / "manifest.json"
    if manifest.exists():
        known = json.loads(manifest.read_text())
        if len(known["pages"]) >= pages:
            return out_dir
    sources = corpus_pages(corpus)
    raw = [gzip.decompress(p.read_bytes()) for p in sources]
    for path, body in zip(sources, raw, strict=True):
        try:  # the server declares charset=utf-8 for every page
            body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SystemExit(f"{path} is not UTF-8 ({exc}); bench/server.py would mislabel it") from exc
    (out_dir / "pages").mkdir(parents=True, exist_ok=True)
    entries = []
    for n in range(pages):
        source = sources[n % len(sources)].name.removesuffix(".html.gz")
        name = f"{n:05d}.html.gz"
        body = unique_copy(raw[n % len(sources)], n, source)
        (out_dir / "pages" / name).write_bytes(gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0))
        entries.append({"path": page_path(n), "file": name, "lastmod": (FIRST_DAY + timedelta(days=n // 20)).isoformat()})
    manifest.write_text(json.dumps({"pages": entries, "sources": len(sources)}))
    return out_dir


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--pages", type=int, default=5000)
    args = ap.parse_args(argv)
    build_site(args.out_dir, args.pages)
    print(f"{args.pages} pages in {args.out_dir}")


if __name__ == "__main__":
    main()
