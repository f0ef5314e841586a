"""`make bench` at tiny size, so the benchmark cannot rot. No timing assertions: benchmarks are not tests."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))

from searchbench import build_db  # noqa: E402
from sitebuilder import build_site, corpus_pages  # noqa: E402

from archive.search import TEXT_WEIGHT, TITLE_WEIGHT, search  # noqa: E402
from archive.store import ArchiveStore  # noqa: E402

WARCIO = Path(sys.executable).parent / "warcio"


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    results = out / "RESULTS.md"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--tiny", "--keep", "--out", str(out), "--results", str(results)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, f"bench failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return out, proc.stdout, results.read_text()


def test_every_benchmark_reports_a_row(tiny_run):
    _, stdout, results = tiny_run
    for row in ("plain Scrapy, fetch only", "trafilatura.extract", "wget --recursive --warc-file",
                "newsarchive crawl --no-throttle (WARC", "--no-extract (WARC + captures)",
                "full ÷ scrapy+trafilatura", "no-extract ÷ scrapy fetch-only", "no-extract ÷ wget",
                "peak RSS, 40-page crawl", "RSS 40 ÷ RSS 20 pages", "| p95 |", "nproc",
                "Network-bound: the same site answering every request after 5 ms", "ratio at 5 ms latency"):
        assert row in results, row
        assert row in stdout, row


def test_warc_files_of_the_runs_pass_warcio_check(tiny_run):
    out, _, _ = tiny_run
    files = [out / "runs" / "wget" / "wget.warc.gz", *sorted((out / "runs").glob("newsarchive*/warc/*.warc.gz"))]
    assert len(files) >= 3
    for path in files:
        check = subprocess.run([str(WARCIO), "check", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, f"{path}: {check.stdout}{check.stderr}"


def test_site_copies_are_unique_and_pass_the_article_shape(tmp_path):
    site = build_site(tmp_path / "site", len(corpus_pages()) + 3)
    manifest = json.loads((site / "manifest.json").read_text())
    bodies = [gzip.decompress((site / "pages" / e["file"]).read_bytes()) for e in manifest["pages"]]
    assert len(set(bodies)) == len(bodies)  # copy n and copy n + len(corpus) come from the same page
    first, again = bodies[0], bodies[manifest["sources"]]
    assert b"Benchmark copy 00000-" in first and b"Benchmark copy 00000-" not in again
    from spiders.urlshapes import looks_like_article

    assert all(looks_like_article("http://127.0.0.1:1" + e["path"]) for e in manifest["pages"])


def test_bench_fails_loudly_when_wget_is_missing(tmp_path):
    env = {"PATH": str(tmp_path), "HOME": str(tmp_path)}  # no wget on this PATH
    proc = subprocess.run([sys.executable, str(BENCH / "run.py"), "--tiny", "--out", str(tmp_path / "o")],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode != 0
    assert "wget is missing" in proc.stderr


def test_frontier_bench_runs_both_variants(tmp_path):
    proc = subprocess.run([sys.executable, str(BENCH / "frontier.py"), "--tiny"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = {line.split(" (")[0]: line for line in proc.stdout.splitlines()}
    assert rows["newsarchive"].endswith("yes") and rows["reference"].endswith("no")  # only ours spilled
    assert "ratio newsarchive ÷ reference: peak RSS" in proc.stdout


def test_search_ranks_exactly_as_plain_bm25(tmp_path):
    """search() orders by FTS5's rank column (faster); the hits and their order must be those of
    ordering by the bm25() expression, with and without filters."""
    store = ArchiveStore(build_db(tmp_path / "s", 1500), read_only=True)
    try:
        for query in ("years", "pres*", '"united states"', "election OR vote", "police"):
            for where, filters in (("", {}), (" and articles.site = 'news03.example'", {"site": "news03.example"}),
                                   (" and articles.published >= '2024-01-01'", {"since": "2024-01-01"})):
                plain = [row[0] for row in store.db.execute(
                    "select articles.url from articles_fts join articles on articles.rowid = articles_fts.rowid "
                    f"where articles_fts match ?{where} "
                    f"order by bm25(articles_fts, {TITLE_WEIGHT}, {TEXT_WEIGHT}), articles.rowid limit 20", [query])]
                hits = search(store.db, query, **filters)
                assert plain, (query, filters)
                assert [h.url for h in hits] == plain, (query, filters)
                if not filters:
                    assert any("[" in h.snippet for h in hits), query  # a title-only match has no body snippet
    finally:
        store.close()
