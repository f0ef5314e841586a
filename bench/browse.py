"""`make bench-browse`: export and Datasette page times, side by side with the references.

    python bench/browse.py [--articles 20000] [--rounds 3] [--requests 5] [--out bench/out/browse]

The archive is ``bench/searchbench.py``'s: ``articles`` generated from the corpus ground truth, made by
the project's own ``ArchiveStore`` (schema, indexes, FTS5 triggers).

1. Export, in alternation (A B C D, A B C D, ...) so the machine's drift cancels:
   ``newsarchive export --format jsonl|csv`` against ``sqlite-utils rows --nl|--csv`` (the reference:
   the same rows, streamed by the library the store is built on). Wall time of the command and peak RSS
   of its process tree (bench/measure.py); each run is checked for completeness (one line per article).
2. Pages: ``newsarchive serve`` (plugin, metadata: sort by published, three facets, safe search)
   against plain ``datasette archive.db`` (the reference: what a researcher gets by pointing Datasette
   at the file), both running at once on loopback; each page requested alternately from one then the
   other, after one untimed request each. Pages: the articles table, a word search, a phrase search,
   the JSON of a search, and an article's row page.

Ratios are project / reference (above 1: the project is slower or bigger).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from measure import MB, run_measured  # noqa: E402  (bench/ is not a package)
from searchbench import build_db, corpus_text  # noqa: E402

BIN = Path(sys.executable).parent


def export_commands(archive_dir: Path, fmt: str) -> dict[str, list[str]]:
    db = str(archive_dir / "archive.db")
    return {
        f"newsarchive export --format {fmt}": [str(BIN / "newsarchive"), "export", "--archive-dir", str(archive_dir),
                                               "--format", fmt],
        f"sqlite-utils rows --{'nl' if fmt == 'jsonl' else 'csv'}": [str(BIN / "sqlite-utils"), "rows", db, "articles",
                                                                     "--nl" if fmt == "jsonl" else "--csv"],
    }


def count_records(log: Path, fmt: str) -> int:
    if fmt == "jsonl":
        with open(log, "rb") as handle:
            return sum(1 for line in handle if line.startswith(b"{"))
    import csv

    with open(log, encoding="utf-8", newline="") as handle:
        rows = sum(1 for row in csv.reader(handle) if row and row[0].startswith("https://"))
    return rows


def bench_export(archive_dir: Path, out: Path, articles: int, rounds: int) -> list[dict]:
    results = []
    for fmt in ("jsonl", "csv"):
        commands = export_commands(archive_dir, fmt)
        runs: dict[str, list] = {name: [] for name in commands}
        for r in range(rounds):
            for name, cmd in commands.items():
                log = out / f"export-{fmt}-{r}-{name.split()[0]}.out"
                measured = run_measured(cmd, log, cwd=ROOT)
                if measured.returncode != 0:
                    raise SystemExit(f"{name} failed, see {log}")
                found = count_records(log, fmt)
                if found != articles:
                    raise SystemExit(f"{name} wrote {found} of {articles} articles, see {log}")
                runs[name].append(measured)
                log.unlink()  # hundreds of MB each
        (project, ref) = commands
        row = {"format": fmt}
        for name in commands:
            row[name] = {
                "seconds": statistics.median(m.seconds for m in runs[name]),
                "peak_rss_mb": statistics.median(m.peak_rss for m in runs[name]) / MB,
            }
        row["time_ratio"] = row[project]["seconds"] / row[ref]["seconds"]
        row["rss_ratio"] = row[project]["peak_rss_mb"] / row[ref]["peak_rss_mb"]
        results.append(row)
    return results


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(cmd: list[str], port: int, log: Path) -> subprocess.Popen:
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{cmd[0]} exited {proc.returncode}, see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=2):
                return proc
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"{cmd[0]} did not answer within 60 s, see {log}")


def timed_get(url: str) -> tuple[float, int]:
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as err:
        err.read()
        status = err.code
    return (time.perf_counter() - t0) * 1000, status


def pages(archive_dir: Path) -> list[tuple[str, str]]:
    titles, _ = corpus_text()
    rng = random.Random(5)
    words = [w.lower() for t in titles for w in re.findall(r"[A-Za-z]{6,}", t)]
    word = rng.choice(words)
    phrase = next(m for t in rng.sample(titles, len(titles)) for m in re.findall(r"\b[A-Za-z]{4,} [A-Za-z]{4,}\b", t))
    import sqlite3

    conn = sqlite3.connect(f"file:{archive_dir / 'archive.db'}?mode=ro", uri=True)
    url = conn.execute("select url from articles order by rowid limit 1 offset 1000").fetchone()[0]
    conn.close()
    from datasette.utils import tilde_encode

    tilde = tilde_encode(url)
    q = urllib.parse.urlencode
    return [
        ("articles table", "/archive/articles"),
        (f"search {word}", "/archive/articles?" + q({"_search": word})),
        (f'search "{phrase}"', "/archive/articles?" + q({"_search": f'"{phrase}"'})),
        (f"search {word} .json", "/archive/articles.json?" + q({"_search": word, "_size": 100})),
        ("row page", "/archive/articles/" + tilde),
    ]


def bench_pages(archive_dir: Path, out: Path, requests: int) -> list[dict]:
    ours, ref = free_port(), free_port()
    servers = {
        "newsarchive serve": (
            [str(BIN / "newsarchive"), "serve", "--archive-dir", str(archive_dir), "--port", str(ours)], ours),
        "datasette archive.db": (
            [str(BIN / "datasette"), "serve", str(archive_dir / "archive.db"), "--port", str(ref)], ref),
    }
    procs = [start(cmd, port, out / f"{name.split()[0]}.log") for name, (cmd, port) in servers.items()]
    try:
        results = []
        for label, path in pages(archive_dir):
            times: dict[str, list[float]] = {name: [] for name in servers}
            statuses: dict[str, set[int]] = {name: set() for name in servers}
            for _, port in servers.values():
                timed_get(f"http://127.0.0.1:{port}{path}")  # untimed: page cache, first-query work
            for _ in range(requests):
                for name, (_, port) in servers.items():
                    ms, status = timed_get(f"http://127.0.0.1:{port}{path}")
                    times[name].append(ms)
                    statuses[name].add(status)
            row = {"page": label, "path": path}
            for name in servers:
                row[name] = {"median_ms": statistics.median(times[name]), "status": sorted(statuses[name])}
            row["ratio"] = row["newsarchive serve"]["median_ms"] / row["datasette archive.db"]["median_ms"]
            results.append(row)
        return results
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(10)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--requests", type=int, default=5)
    ap.add_argument("--out", type=Path, default=BENCH / "out" / "browse")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    archive_dir = args.out / "archive"
    t0 = time.monotonic()
    build_db(archive_dir, args.articles)
    size_mb = (archive_dir / "archive.db").stat().st_size / MB
    print(f"archive: {args.articles} articles, {size_mb:.0f} MB ({time.monotonic() - t0:.0f} s to build)")

    exports = bench_export(archive_dir, args.out, args.articles, args.rounds)
    print(f"\nexport of {args.articles} articles, median of {args.rounds} rounds (ratio = newsarchive / sqlite-utils)")
    for row in exports:
        (project, ref) = [k for k in row if k not in ("format", "time_ratio", "rss_ratio")]
        print(f"  {row['format']:<5}  {project}: {row[project]['seconds']:.2f} s, {row[project]['peak_rss_mb']:.0f} MB"
              f"   {ref}: {row[ref]['seconds']:.2f} s, {row[ref]['peak_rss_mb']:.0f} MB"
              f"   time ×{row['time_ratio']:.2f}, peak RSS ×{row['rss_ratio']:.2f}")

    page_rows = bench_pages(archive_dir, args.out, args.requests)
    print(f"\npages, median of {args.requests} requests (ratio = newsarchive serve / datasette archive.db)")
    for row in page_rows:
        ours, ref = row["newsarchive serve"], row["datasette archive.db"]
        print(f"  {row['page'][:40]:<40} {ours['median_ms']:7.0f} ms {ours['status']}   {ref['median_ms']:7.0f} ms "
              f"{ref['status']}   ×{row['ratio']:.2f}")
    (args.out / "results.json").write_text(json.dumps({"exports": exports, "pages": page_rows}, indent=2))
    print(f"\nresults: {args.out / 'results.json'}")


if __name__ == "__main__":
    main()
