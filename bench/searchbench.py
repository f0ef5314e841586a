"""FTS search latency on a large archive made from the corpus text.

    python bench/searchbench.py OUT_DIR --articles 100000 --queries 200

Articles are generated from the ground-truth bodies and titles of the AEB and NAEB corpora
(../shared/corpus): each article is a random title and 4-14 random paragraphs from the pool, on one
of 40 sites, published on a random day of 2015-2026. The database is made by the project's own
``ArchiveStore`` (same schema, indexes, FTS5 tokenizer and triggers); rows go in with one
``insert_all`` per batch instead of ``save_article``'s commit per row, so 100,000 articles take a
minute rather than many. Queries are what a researcher types, drawn from the corpus titles with a
fixed seed: single words, two words, a phrase, a prefix, and the same with ``--site`` and ``--since``
filters; each is timed through ``archive.search.search`` (the function ``newsarchive search`` calls)
on a read-only connection, after one untimed pass so the page cache is warm.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from archive.search import search
from archive.store import ARTICLE_COLUMNS, ArchiveStore

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
SITES = [f"news{i:02d}.example" for i in range(40)]
BATCH = 2000
# Words too common to be what anyone searches for alone (they would only measure the worst case).
STOP = set("that this with from have were which their there about would after been they them what when "
           "said also more will into than other could some these those over just like most only".split())


def corpus_text(corpus: Path = CORPUS) -> tuple[list[str], list[str]]:
    """(titles, paragraphs) of the corpus ground truth."""
    titles, paragraphs = [], []
    for doc in json.loads((corpus / "naeb" / "articles.json").read_text()).values():
        titles.append(doc["title"])
        paragraphs += [p.strip() for p in doc["articleBody"].split("\n") if len(p.strip()) > 40]
    for doc in json.loads((corpus / "aeb" / "ground-truth.json").read_text()).values():
        paragraphs += [p.strip() for p in doc["articleBody"].split("\n") if len(p.strip()) > 40]
    if not titles or not paragraphs:
        raise SystemExit(f"no ground truth text under {corpus}")
    return titles, paragraphs


def article_rows(n: int, titles: list[str], paragraphs: list[str], seed: int = 7):
    rng = random.Random(seed)
    for i in range(n):
        site = SITES[i % len(SITES)]
        text = "\n".join(rng.sample(paragraphs, rng.randint(4, 14)))
        day = f"{rng.randint(2015, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        url = f"https://{site}/{day.replace('-', '/')}/story-{i}.html"
        row = dict.fromkeys(ARTICLE_COLUMNS)
        row.update(
            url=url, canonical_url=url, site=site, title=rng.choice(titles), authors="[]", published=day,
            language="en", tags="[]", text=text, word_count=len(re.findall(r"\w+", text)), status=200,
            fetched_at=f"{day}T12:00:00.000000Z", first_fetched_at=f"{day}T12:00:00.000000Z",
            discovered_via="sitemap", warc_filename="bench.warc.gz", warc_offset=i * 1000, warc_length=1000,
            warc_record_id=f"<urn:uuid:bench-{i}>", crawl_id="bench", extractor_version="bench",
        )
        yield row


def build_db(out_dir: Path, n: int) -> Path:
    """An archive of ``n`` generated articles in ``out_dir`` (reused when it already has them)."""
    store = ArchiveStore(out_dir)
    try:
        have = store.db["articles"].count
        if have != n:
            titles, paragraphs = corpus_text()
            store.db.execute("delete from articles")
            store.db["articles"].insert_all(article_rows(n, titles, paragraphs), batch_size=BATCH)
            store.db.conn.commit()
            store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    return out_dir


@dataclass
class Query:
    text: str
    site: str | None = None
    since: str | None = None

    def label(self) -> str:
        return self.text + (f" --site {self.site}" if self.site else "") + (f" --since {self.since}" if self.since else "")


def make_queries(n: int, titles: list[str], seed: int = 11) -> list[Query]:
    rng = random.Random(seed)
    words = sorted({w.lower() for t in titles for w in re.findall(r"[A-Za-z]{5,}", t)} - STOP)
    bigrams = sorted({m for t in titles for m in re.findall(r"\b[A-Za-z]{4,} [A-Za-z]{4,}\b", t)})
    queries = []
    for i in range(n):
        kind = i % 6
        if kind == 0:
            q = Query(rng.choice(words))
        elif kind == 1:
            q = Query(f"{rng.choice(words)} {rng.choice(words)}")
        elif kind == 2:
            q = Query(f'"{rng.choice(bigrams)}"')
        elif kind == 3:
            q = Query(rng.choice(words)[:4] + "*")
        elif kind == 4:
            q = Query(rng.choice(words), site=rng.choice(SITES))
        else:
            q = Query(rng.choice(words), since=f"{rng.randint(2016, 2026)}-01-01")
        queries.append(q)
    return queries


UNSPACED_QUERIES = ("供水", "北京 管道", "政府", "東京", "水道工事")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def measure(archive_dir: Path, n_queries: int, passes: int = 3) -> dict:
    titles, _ = corpus_text()
    queries = make_queries(n_queries, titles)
    store = ArchiveStore(archive_dir, read_only=True)
    try:
        hits = [len(search(store.db, q.text, site=q.site, since=q.since)) for q in queries]  # warm-up
        times = []
        for _ in range(passes):
            for q in queries:
                t0 = time.perf_counter()
                search(store.db, q.text, site=q.site, since=q.since)
                times.append((time.perf_counter() - t0) * 1000)
        # Queries in scripts without spaces are substring scans (archive/search.py): no index, every article
        # read. The generated articles are English, so these find nothing, but read as much as any would.
        unspaced = []
        for _ in range(passes):
            for text in UNSPACED_QUERIES:
                t0 = time.perf_counter()
                search(store.db, text)
                unspaced.append((time.perf_counter() - t0) * 1000)
        articles = store.db["articles"].count
    finally:
        store.close()
    per_query = [statistics.median(times[i::len(queries)]) for i in range(len(queries))]
    slowest = sorted(range(len(queries)), key=lambda i: -per_query[i])[:3]
    return {
        "articles": articles,
        "queries": len(queries),
        "timed": len(times),
        "with_hits": sum(1 for h in hits if h),
        "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
        "max_ms": max(times),
        "slowest": [(queries[i].label(), round(per_query[i], 1)) for i in slowest],
        "unspaced_median_ms": statistics.median(unspaced),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=200)
    args = ap.parse_args(argv)
    t0 = time.monotonic()
    build_db(args.out_dir, args.articles)
    print(f"built in {time.monotonic() - t0:.0f} s")
    print(json.dumps(measure(args.out_dir, args.queries), indent=1))


if __name__ == "__main__":
    main()
