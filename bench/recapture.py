"""How much the incremental-run decision costs per request on a big archive (``make bench-recapture``).

Builds ``archive.db`` with N article rows (default 100 000) and 2N captures through the real schema
(FTS triggers and indexes included), then times, side by side in one run:

- ``pk lookup``: what ``crawler.incremental.RecaptureFilter`` does, ``archive.schedule.previous_capture``
  (a primary-key query and an index query on ``captures``) plus
  ``archive.schedule.fetch_reason``;
- ``dict (bulk load)``: the alternative, loading url → (first, last, lastmod) for every article once at
  spider open, then a dict lookup per request (load time and memory shown separately);
- the same pk lookup on a 1 000-row archive, to show the cost does not grow with the archive.

Half the looked-up URLs are archived, half are new. Prints µs per decision and the ratios.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

from archive.schedule import PreviousCapture, fetch_reason, parse_schedule, previous_capture
from archive.store import ArchiveStore


def build(path: Path, n: int) -> None:
    store = ArchiveStore(path)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = []
    for i in range(n):
        at = (start + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        rows.append({
            "url": f"https://news.example/2026/{i % 12 + 1:02d}/story-{i}.html", "site": "news.example",
            "title": f"Story {i}", "text": f"Text of story {i}.", "word_count": 4, "fetched_at": at,
            "first_fetched_at": at, "sitemap_lastmod": at,
        })
    # Two captures per article (the article and a listing page), so misses search a real captures index.
    captures = [(r["url"], r["fetched_at"], 200, "article") for r in rows]
    captures += [(f"https://news.example/section/{i}/", r["fetched_at"], 200, "listing") for i, r in enumerate(rows)]
    with store.db.conn:
        store.db["articles"].insert_all(rows, batch_size=5000)
        store.db.conn.executemany(
            "insert into captures (url, fetched_at, status, reason) values (?, ?, ?, ?)", captures
        )
    store.close()


def urls(n: int, k: int) -> list[str]:
    rng = random.Random(5)
    known = [f"https://news.example/2026/{i % 12 + 1:02d}/story-{i}.html" for i in rng.choices(range(n), k=k // 2)]
    new = [f"https://news.example/2026/12/new-{i}.html" for i in range(k - k // 2)]
    out = known + new
    rng.shuffle(out)
    return out


def time_pk(db: Path, todo: list[str], schedule) -> float:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    now = datetime(2027, 1, 1, tzinfo=UTC)
    t = time.perf_counter()
    for url in todo:
        fetch_reason(previous_capture(conn, url), schedule=schedule, now=now)
    elapsed = time.perf_counter() - t
    conn.close()
    return elapsed / len(todo) * 1e6


def time_dict(db: Path, todo: list[str], schedule) -> tuple[float, float, float]:
    now = datetime(2027, 1, 1, tzinfo=UTC)
    tracemalloc.start()
    t = time.perf_counter()
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    known = {
        row[0]: PreviousCapture(row[0], row[1], row[2], row[3])
        for row in conn.execute("select url, first_fetched_at, fetched_at, sitemap_lastmod from articles")
    }
    load = time.perf_counter() - t
    memory = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    conn.close()
    t = time.perf_counter()
    for url in todo:
        fetch_reason(known.get(url), schedule=schedule, now=now)
    return (time.perf_counter() - t) / len(todo) * 1e6, load, memory


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--lookups", type=int, default=20_000)
    args = ap.parse_args()
    schedule = parse_schedule("1h,1d,7d")
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp) / "big", Path(tmp) / "small"
        t = time.perf_counter()
        build(big, args.articles)
        print(f"built {args.articles} article rows in {time.perf_counter() - t:.1f} s")
        build(small, 1000)
        todo_big, todo_small = urls(args.articles, args.lookups), urls(1000, args.lookups)
        time_pk(big / "archive.db", todo_big[:2000], schedule)  # warm the page cache
        pk_big = time_pk(big / "archive.db", todo_big, schedule)
        pk_small = time_pk(small / "archive.db", todo_small, schedule)
        dict_big, load, memory = time_dict(big / "archive.db", todo_big, schedule)
    print(f"{'method':<34} {'µs/decision':>12}")
    print(f"{'pk lookup, ' + format(args.articles, ',') + ' rows':<34} {pk_big:>12.1f}")
    print(f"{'pk lookup, 1,000 rows':<34} {pk_small:>12.1f}")
    print(f"{'dict, ' + format(args.articles, ',') + ' rows':<34} {dict_big:>12.1f}   "
          f"(+ {load * 1000:.0f} ms load, {memory:.0f} MB peak at spider open)")
    print(f"ratio pk {args.articles:,} / pk 1,000 rows: {pk_big / pk_small:.2f}")
    print(f"ratio pk / dict at {args.articles:,} rows: {pk_big / dict_big:.2f}; the dict's load time equals "
          f"{load * 1e6 / max(pk_big - dict_big, 1e-9):,.0f} pk lookups")


if __name__ == "__main__":
    main()
