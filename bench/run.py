"""`make bench`: crawl throughput, memory and search latency, side by side with the references.

    python bench/run.py [--pages 1000] [--big-pages 5000] [--rounds 3] [--articles 100000]
                        [--latency-ms 20] [--results bench/RESULTS.md] [--tiny] [--out bench/out] [--keep]

1. ``bench/sitebuilder.py`` makes ``max(pages, big-pages)`` unique pages from the corpus; ``bench/server.py``
   serves them on loopback, gzip-compressed, with a sitemap and a link index for any prefix of them.
2. Five crawlers fetch the same ``pages`` pages, in alternation (A B C D E, A B C D E, ...) so the
   machine's drift cancels: plain Scrapy fetch-only, plain Scrapy + ``trafilatura.extract`` writing
   JSON lines, ``wget --recursive --warc-file``, ``newsarchive crawl --no-throttle`` (WARC +
   extraction + SQLite/FTS) and ``newsarchive crawl --no-throttle --no-extract`` (WARC + captures).
   pages/s = pages / (exit of the command - its first page request as seen by the server), so
   interpreter start-up is left out but everything a tool does after its last fetch (extraction
   still queued, commits, closing files) is counted. Peak RSS: sum over the command's process tree
   (bench/measure.py). Every run is checked for completeness (each page fetched once; rows, lines or
   records for each) and the bench fails if one lost pages: a fast crawler that drops pages wins nothing.
3. The archive-only comparison again with the server answering each request after ``latency-ms``
   (default 20 ms, a nearby site's time to first byte): on loopback with no latency, one connection at
   a time is no handicap and the fastest client wins; over a network, waiting is most of a fetch and
   concurrency decides. Both tables are printed; the loopback one is the headline.
4. ``newsarchive crawl`` on ``big-pages`` pages: peak RSS, and its ratio to the ``pages`` crawl.
5. Search latency on ``articles`` generated articles (bench/searchbench.py).

The figures are medians over the rounds; ratios are project ÷ reference.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from measure import MB, Measured, run_measured  # noqa: E402
from searchbench import build_db  # noqa: E402
from searchbench import measure as measure_search  # noqa: E402
from sitebuilder import build_site  # noqa: E402

PY = sys.executable
NEWSARCHIVE = str(Path(sys.executable).parent / "newsarchive")

TARGETS = {
    "full ÷ scrapy+trafilatura": 1.6,
    "no-extract ÷ scrapy fetch-only": 0.8,
    "no-extract ÷ wget": 1.5,
}


@dataclass
class Variant:
    key: str
    label: str
    runs: list[dict] = field(default_factory=list)

    def median(self, name: str) -> float:
        return statistics.median(r[name] for r in self.runs)


def fetch_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as resp:
        return json.loads(resp.read())


def check_tools() -> None:
    if shutil.which("wget") is None:
        raise SystemExit("bench: wget is missing; install it with `apt-get install wget` (.ci/run does)")


class Server:
    def __init__(self, site_dir: Path, log: Path) -> None:
        self.log = open(log, "wb")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen([PY, str(BENCH / "server.py"), str(site_dir)], stdout=subprocess.PIPE,
                                     stderr=self.log)
        line = self.proc.stdout.readline().decode().strip()
        if not line.startswith("PORT "):
            raise SystemExit(f"bench server did not start: {line!r}; see {log}")
        self.base = f"http://127.0.0.1:{int(line.split()[1])}"

    def reset(self, latency_ms: float = 0.0) -> None:
        fetch_json(self.base + f"/_bench/reset?latency_ms={latency_ms:g}")

    def stats(self) -> dict:
        return fetch_json(self.base + "/_bench/stats")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
        self.log.close()


def command(key: str, base: str, pages: int, out: Path) -> list[str]:
    sitemap = f"{base}/sitemap-{pages}.xml"
    if key == "scrapy-fetch":
        return [PY, str(BENCH / "refspiders.py"), "fetch", sitemap]
    if key == "scrapy-trafilatura":
        return [PY, str(BENCH / "refspiders.py"), "extract", sitemap, str(out / "items.jsonl")]
    if key == "wget":
        return ["wget", "--recursive", "--level=1", "--no-directories", "--delete-after", "--compression=gzip",
                "--no-verbose", f"--directory-prefix={out / 'files'}", f"--warc-file={out / 'wget'}",
                f"{base}/index-{pages}.html"]
    # No page requisites: the corpus pages embed files on internet hosts this machine cannot reach, and
    # the references (plain Scrapy, wget without --page-requisites) fetch no embeds: the same work.
    crawl = [NEWSARCHIVE, "crawl", sitemap, "--archive-dir", str(out), "--no-throttle", "--quiet",
             "-s", "NEWSARCHIVE_PAGE_REQUISITES=False"]
    return crawl + (["--no-extract"] if key == "newsarchive-no-extract" else [])


def db_count(out: Path, sql: str) -> int:
    conn = sqlite3.connect(f"file:{out / 'archive.db'}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def check_output(key: str, out: Path, pages: int, measured: Measured, served: dict) -> dict:
    """What the run produced; raises when a page was lost."""
    problems = []
    if measured.returncode != 0:
        problems.append(f"exit code {measured.returncode}")
    if served["pages_served"] != pages:
        problems.append(f"server served {served['pages_served']} of {pages} pages")
    produced: dict = {}
    if key == "scrapy-trafilatura":
        lines = (out / "items.jsonl").read_text().splitlines() if (out / "items.jsonl").exists() else []
        produced["output"] = f"{len(lines)} JSON lines, {sum(1 for ln in lines if json.loads(ln)['article'])} with text"
        if len(lines) != pages:
            problems.append(f"{len(lines)} JSON lines for {pages} pages")
    elif key == "wget":
        warc = out / "wget.warc.gz"
        produced["output"] = f"WARC {warc.stat().st_size // MB if warc.exists() else 0} MB"
        if not warc.exists():
            problems.append("no WARC file")
    elif key.startswith("newsarchive"):
        captures = db_count(out, "select count(*) from captures where url like '%/news/%' and status = 200")
        articles = db_count(out, "select count(*) from articles")
        size = sum(p.stat().st_size for p in (out / "warc").glob("*.warc.gz")) // MB
        produced["output"] = f"{captures} captures, {articles} articles, WARC {size} MB"
        if captures != pages:
            problems.append(f"{captures} page captures for {pages} pages")
        if key == "newsarchive" and articles < pages * 0.9:
            problems.append(f"only {articles} articles from {pages} pages")
    else:
        produced["output"] = "nothing kept"
    if problems:
        raise SystemExit(f"bench: {key} lost work: {'; '.join(problems)}; log: {measured.log}")
    return produced


def run_one(server: Server, key: str, pages: int, work: Path, keep: bool, latency_ms: float = 0.0) -> dict:
    out = work / key
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    server.reset(latency_ms)
    measured = run_measured(command(key, server.base, pages, out), out.parent / f"{key}.log", cwd=out)
    served = server.stats()
    result = check_output(key, out, pages, measured, served)
    first = served["first_page_at"]
    result.update(
        seconds=measured.ended - first,
        wall=measured.seconds,
        pages_per_s=pages / (measured.ended - first),
        peak_rss_mb=measured.peak_rss / MB,
        cpu_ms_per_page=measured.cpu_seconds * 1000 / pages,
        peak_pss_mb=measured.peak_pss / MB,
        processes=measured.peak_processes,
        requests=served["requests"],
    )
    if not keep:
        shutil.rmtree(out, ignore_errors=True)
    return result


# The archive-only comparison, repeated against a server with latency.
NETWORK_VARIANTS = ("scrapy-fetch", "wget", "newsarchive-no-extract")

VARIANTS = [
    ("scrapy-fetch", "plain Scrapy, fetch only"),
    ("scrapy-trafilatura", "plain Scrapy + trafilatura.extract → JSON lines"),
    ("wget", "wget --recursive --warc-file"),
    ("newsarchive", "newsarchive crawl --no-throttle (WARC + extraction + SQLite/FTS)"),
    ("newsarchive-no-extract", "newsarchive crawl --no-throttle --no-extract (WARC + captures)"),
]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1024**3)
    return (f"{os.cpu_count()} cores (nproc), {cpu}, {mem} GB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")


def report(args, variants: dict[str, Variant], network: dict[str, Variant], big: dict, small_rss: float,
           search: dict, load: str) -> str:
    out = [f"Machine: {machine()}; load average (1 min) {load}: other jobs share these cores, which is "
           "why the runs alternate and ratios, not absolute rates, are the result.", "",
           f"Command: `{' '.join(['python bench/run.py', *sys.argv[1:]])}`; {args.pages} pages, "
           f"{args.rounds} round(s) in alternation, medians.", ""]
    out += ["| crawler | pages/s | s (from 1st page) | CPU ms/page (tree) | peak RSS MB (tree) | peak PSS MB "
            "| output (last run) |", "|---|---:|---:|---:|---:|---:|---|"]
    # CPU includes each command's start-up (imports, worker pool): ~1-2 ms a page at 1,000 pages.
    for v in variants.values():
        out.append(f"| {v.label} | {v.median('pages_per_s'):.1f} | {v.median('seconds'):.1f} | "
                   f"{v.median('cpu_ms_per_page'):.1f} | "
                   f"{v.median('peak_rss_mb'):.0f} | {v.median('peak_pss_mb'):.0f} | {v.runs[-1]['output']} |")
    rate = {k: v.median("pages_per_s") for k, v in variants.items()}
    ratios = {
        "full ÷ scrapy+trafilatura": rate["newsarchive"] / rate["scrapy-trafilatura"],
        "no-extract ÷ scrapy fetch-only": rate["newsarchive-no-extract"] / rate["scrapy-fetch"],
        "no-extract ÷ wget": rate["newsarchive-no-extract"] / rate["wget"],
    }
    out += ["", "| ratio (project ÷ reference) | measured | target | met |", "|---|---:|---:|---|"]
    out += ratio_rows(ratios)
    if network:
        out += ["", f"Network-bound: the same site answering every request after {args.latency_ms:g} ms "
                f"(`--latency-ms`), {args.rounds} round(s) in alternation, medians.", "",
                "| crawler | pages/s | CPU ms/page (tree) | peak RSS MB (tree) |", "|---|---:|---:|---:|"]
        for v in network.values():
            out.append(f"| {v.label} | {v.median('pages_per_s'):.1f} | {v.median('cpu_ms_per_page'):.1f} | "
                       f"{v.median('peak_rss_mb'):.0f} |")
        net = {k: v.median("pages_per_s") for k, v in network.items()}
        out += ["", f"| ratio at {args.latency_ms:g} ms latency | measured | target | met |", "|---|---:|---:|---|"]
        out += ratio_rows({name: net["newsarchive-no-extract"] / net[ref] for name, ref in
                           (("no-extract ÷ scrapy fetch-only", "scrapy-fetch"), ("no-extract ÷ wget", "wget"))})
    growth = big["peak_rss_mb"] / small_rss
    out += ["", "| memory | measured | target | met |", "|---|---:|---:|---|",
            f"| peak RSS, {args.big_pages}-page crawl (tree) | {big['peak_rss_mb']:.0f} MB | ≤ 300 MB | "
            f"{'yes' if big['peak_rss_mb'] <= 300 else 'NO'} |",
            f"| peak PSS, {args.big_pages}-page crawl (tree) | {big['peak_pss_mb']:.0f} MB | | |",
            f"| RSS {args.big_pages} ÷ RSS {args.pages} pages (peaks) | {growth:.2f}× | ≤ 1.2× | "
            f"{'yes' if growth <= 1.2 else 'NO'} |",
            f"| {args.big_pages}-page crawl | {big['pages_per_s']:.1f} pages/s, {big['output']} | | |"]
    out += ["", f"| search ({search['articles']:,} articles, {search['queries']} queries × 3) | measured | target | met |",
            "|---|---:|---:|---|",
            f"| p50 | {search['p50_ms']:.1f} ms | | |",
            f"| p95 | {search['p95_ms']:.1f} ms | ≤ 20 ms | {'yes' if search['p95_ms'] <= 20 else 'NO'} |",
            f"| max | {search['max_ms']:.1f} ms | | |",
            f"| slowest queries (median ms) | {'; '.join(f'`{q}` {ms}' for q, ms in search['slowest'])} | | |",
            f"| Chinese/Japanese query, substring scan (median) | {search['unspaced_median_ms']:.1f} ms | | |"]
    return "\n".join(out) + "\n"


def run_rounds(server: Server, variants: dict[str, Variant], args, work: Path, latency_ms: float = 0.0) -> None:
    """``args.rounds`` rounds of every variant in turn (A B C, A B C, ...), each run added to its variant."""
    condition = f" at {latency_ms:g} ms latency" if latency_ms else ""
    for round_no in range(args.rounds):
        for key, variant in variants.items():
            result = run_one(server, key, args.pages, work, args.keep, latency_ms)
            variant.runs.append(result)
            print(f"round {round_no + 1}/{args.rounds} {key}{condition}: {result['pages_per_s']:.1f} pages/s, "
                  f"{result['cpu_ms_per_page']:.1f} CPU ms/page, "
                  f"peak RSS {result['peak_rss_mb']:.0f} MB, {result['output']}", flush=True)


def ratio_rows(ratios: dict[str, float]) -> list[str]:
    """Markdown rows: each ratio against its target in ``TARGETS``."""
    return [f"| {name} | {value:.2f}× | ≥ {TARGETS[name]}× | {'yes' if value >= TARGETS[name] else 'NO'} |"
            for name, value in ratios.items()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--big-pages", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--latency-ms", type=float, default=20.0,
                    help="server latency of the network-bound archive-only comparison (0: skip it)")
    ap.add_argument("--out", type=Path, default=BENCH / "out")
    ap.add_argument("--results", type=Path, help="write the table (markdown) to this file")
    ap.add_argument("--keep", action="store_true", help="keep each run's output (archives, WARC files)")
    ap.add_argument("--tiny", action="store_true", help="every benchmark once, at tiny size (the test suite)")
    args = ap.parse_args(argv)
    if args.tiny:
        args.pages, args.big_pages, args.rounds, args.articles, args.queries = 20, 40, 1, 1000, 24
        args.latency_ms = min(args.latency_ms, 5.0)
    check_tools()
    args.out = args.out.resolve()  # the commands run with their output folder as cwd
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    load_before = os.getloadavg()[0]
    site_dir = build_site(args.out / "site", max(args.pages, args.big_pages))
    work = args.out / "runs"
    server = Server(site_dir, args.out / "server.log")
    variants = {key: Variant(key, label) for key, label in VARIANTS}
    try:
        run_rounds(server, variants, args, work)
        network = {key: Variant(key, variants[key].label) for key in NETWORK_VARIANTS} if args.latency_ms else {}
        run_rounds(server, network, args, work / "network", args.latency_ms)
        big = run_one(server, "newsarchive", args.big_pages, work / "big", args.keep)
        print(f"{args.big_pages} pages newsarchive: {big['pages_per_s']:.1f} pages/s, "
              f"peak RSS {big['peak_rss_mb']:.0f} MB", flush=True)
    finally:
        server.stop()
    search_dir = args.out / f"search-{args.articles}"
    build_db(search_dir, args.articles)
    search = measure_search(search_dir, args.queries)
    load = f"{load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    table = report(args, variants, network, big, variants["newsarchive"].median("peak_rss_mb"), search, load)
    print()
    print(table)
    print(f"(bench took {time.monotonic() - t0:.0f} s)")
    if args.results:
        header = "# Benchmark results\n\nMade by `make bench` (bench/run.py); see README, \"Performance\".\n\n"
        args.results.write_text(header + table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
