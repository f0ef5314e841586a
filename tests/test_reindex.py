"""`newsarchive reindex` rebuilds the same rows from WARC alone; `cdxj` matches cdxj-indexer; damage is
reported with file and offset and nothing is overwritten."""

from __future__ import annotations

import hashlib
import io
import sqlite3
import subprocess
import sys
from pathlib import Path

from archive.cdxj import write_cdxj
from conftest import newsarchive

CDXJ_INDEXER = Path(sys.executable).parent / "cdxj-indexer"
CAPTURE_FIELDS = ("url", "status", "warc_type", "warc_filename", "warc_offset", "warc_length", "warc_record_id",
                  "payload_digest", "fetched_at", "truncated", "content_type", "bytes", "crawl_id", "method",
                  "redirect_to", "embedded_by")


def table(path: Path, sql: str) -> list[dict]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql)]
    finally:
        conn.close()


def test_reindex_rebuilds_the_rows_the_crawl_made(archive_copy):
    before_articles = table(archive_copy / "archive.db", "select * from articles order by url")
    before_captures = table(archive_copy / "archive.db", "select * from captures where warc_record_id is not null order by id")
    result = newsarchive("reindex", "--archive-dir", archive_copy, "--workers", "2")
    assert "reindexed" in result.stdout and "articles/s" in result.stdout
    assert "reindex: " in result.stderr  # progress lines
    assert (archive_copy / "archive.db.before-reindex").exists()
    after_articles = table(archive_copy / "archive.db", "select * from articles order by url")
    assert len(after_articles) == len(before_articles) >= 5
    for before, after in zip(before_articles, after_articles, strict=True):
        assert after == before, {k: (before[k], after.get(k)) for k in before if before[k] != after.get(k)}
    learned = "select site, block, pages, learned_at is not null as learned from boilerplate_blocks order by 1, 2"
    assert table(archive_copy / "archive.db", learned) == table(archive_copy / "archive.db.before-reindex", learned)
    after_captures = table(archive_copy / "archive.db", "select * from captures order by id")
    assert len(after_captures) == len(before_captures)
    assert any(c["redirect_to"] for c in before_captures), "the demo site's redirects are recorded"
    assert sum(c["reason"] == "requisite" and c["embedded_by"] is not None for c in before_captures) == 13
    for before, after in zip(before_captures, after_captures, strict=True):
        assert {k: after[k] for k in CAPTURE_FIELDS} == {k: before[k] for k in CAPTURE_FIELDS}
        if before["reason"] in ("article", "no-article-text", "listing", "robots", "urlset", "feed", "not-html",
                                "requisite"):
            assert after["reason"] == before["reason"], after["url"]
    crawls = table(archive_copy / "archive.db", "select id, articles_new from crawls")
    assert crawls and sum(c["articles_new"] for c in crawls) == len(after_articles)


def test_cdxj_is_what_cdxj_indexer_writes(archive_copy, tmp_path):
    ours = newsarchive("cdxj", "--archive-dir", archive_copy).stdout
    files = sorted(str(p) for p in (archive_copy / "warc").glob("*.warc.gz"))
    reference = subprocess.run([str(CDXJ_INDEXER), "--sort", *files], capture_output=True, text=True, check=True)
    assert ours == reference.stdout
    assert ours.count("\n") >= 20
    # An archive too large to sort in memory: sorted in runs of 7 lines, spilled to files and merged.
    merged = io.StringIO()
    assert write_cdxj(files, merged, chunk_lines=7) == []
    assert merged.getvalue() == reference.stdout


def damage(path: Path) -> int:
    """Overwrite 64 bytes in the middle of a WARC file; return where."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = b"\x00" * 64
    path.write_bytes(bytes(data))
    return middle


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_damaged_warc_is_reported_and_nothing_is_overwritten(archive_copy):
    biggest = max((archive_copy / "warc").glob("*.warc.gz"), key=lambda p: p.stat().st_size)
    damage(biggest)
    db = archive_copy / "archive.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = sha(db)
    result = newsarchive("reindex", "--archive-dir", archive_copy, "-q", check=False)
    assert result.returncode == 4, result.stderr
    assert f"{biggest.name} at offset " in result.stderr
    assert sha(db) == before, "archive.db was overwritten from damaged WARC files"
    rebuilt = archive_copy / "archive.reindexed.db"
    assert rebuilt.exists()
    # The records past the damaged spot were read too: most articles are still there.
    original = table(db, "select count(*) as n from articles")[0]["n"]
    assert table(rebuilt, "select count(*) as n from articles")[0]["n"] >= original - 2

    index = newsarchive("cdxj", "--archive-dir", archive_copy, check=False)
    assert index.returncode == 4 and f"{biggest.name} at offset " in index.stderr
    assert index.stdout.count("\n") >= 15

    forced = newsarchive("reindex", "--archive-dir", archive_copy, "-q", "--force", check=False)
    assert forced.returncode == 4 and sha(db) != before


def test_warc_file_cut_short_is_reported_at_its_last_record(archive_copy):
    path = max((archive_copy / "warc").glob("*.warc.gz"), key=lambda p: p.stat().st_size)
    data = path.read_bytes()
    path.write_bytes(data[:-100])
    index = newsarchive("cdxj", "--archive-dir", archive_copy, check=False)
    assert index.returncode == 4
    assert f"{path.name} at offset " in index.stderr and "cut short" in index.stderr
    result = newsarchive("reindex", "--archive-dir", archive_copy, "-q", check=False)
    assert result.returncode == 4 and "cut short" in result.stderr


def test_reindex_refuses_while_a_crawl_holds_the_archive(archive_copy):
    from crawler import lock

    lock.acquire(archive_copy)
    try:
        result = newsarchive("reindex", "--archive-dir", archive_copy, "-q", check=False)
    finally:
        lock.release(archive_copy)
    assert result.returncode != 0 and "another crawl is running" in result.stderr
    assert not (archive_copy / "archive.db.before-reindex").exists()
