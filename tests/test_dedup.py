"""Revisit records: identical payloads across crawls of one archive, 304s to conditional requests."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from archive.warcreader import read_record
from archive.warcwriter import REVISIT_IDENTICAL, REVISIT_NOT_MODIFIED
from conftest import NEWSARCHIVE, newsarchive

WARCIO = Path(sys.executable).parent / "warcio"


def records(archive_dir: Path) -> list[dict]:
    out = []
    for path in sorted((archive_dir / "warc").glob("*.warc.gz")):
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                h = record.rec_headers
                out.append({
                    "type": record.rec_type, "id": h.get_header("WARC-Record-ID"), "url": h.get_header("WARC-Target-URI"),
                    "profile": h.get_header("WARC-Profile"), "refers_to": h.get_header("WARC-Refers-To"),
                    "refers_to_uri": h.get_header("WARC-Refers-To-Target-URI"),
                    "refers_to_date": h.get_header("WARC-Refers-To-Date"), "date": h.get_header("WARC-Date"),
                    "digest": h.get_header("WARC-Payload-Digest"),
                    "status": record.http_headers.get_statuscode() if record.http_headers else None,
                    "request_inm": record.http_headers.get_header("If-None-Match") if record.http_headers else None,
                })
    return out


def crawl_twice(site: str, archive_dir: Path, *extra: str) -> None:
    for _ in range(2):
        # Incremental mode off: the articles are fetched again, so their payloads repeat.
        newsarchive("crawl", site + "/", "--archive-dir", archive_dir, "--no-throttle", "-q",
                    "-s", "NEWSARCHIVE_INCREMENTAL=False", *extra)


def test_second_crawl_writes_revisits_that_refer_to_responses(demo_site, tmp_path):
    crawl_twice(demo_site, tmp_path)
    recs = records(tmp_path)
    by_id = {r["id"]: r for r in recs}
    identical = [r for r in recs if r["type"] == "revisit" and r["profile"] == REVISIT_IDENTICAL]
    assert len(identical) >= 2, "recrawled articles were not deduplicated"
    for revisit in [r for r in recs if r["type"] == "revisit"]:
        original = by_id[revisit["refers_to"]]
        assert original["type"] == "response", "a revisit refers to another revisit"
        assert revisit["refers_to_uri"] == original["url"]
        assert revisit["refers_to_date"] == original["date"]
        assert revisit["digest"] == original["digest"]
    # The seed was fetched conditionally and its 304 archived as server-not-modified.
    not_modified = [r for r in recs if r["type"] == "revisit" and r["profile"] == REVISIT_NOT_MODIFIED]
    assert any(r["url"] == demo_site + "/" and r["status"] == "304" for r in not_modified)
    assert any(r["type"] == "request" and r["url"] == demo_site + "/" and r["request_inm"] for r in recs)
    # Small payloads (robots.txt) are always stored in full.
    assert all(r["type"] == "response" for r in recs if r["url"] == demo_site + "/robots.txt" and r["type"] != "request")
    for path in sorted((tmp_path / "warc").glob("*.warc.gz")):
        check = subprocess.run([str(WARCIO), "check", "-v", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr

    db = sqlite3.connect(tmp_path / "archive.db")
    crawls = db.execute("select status, failed_seeds, articles_updated from crawls order by started_at").fetchall()
    assert crawls[-1][0] == "finished" and crawls[-1][1] == "{}", "a 304 on the seed counted as a failure"
    assert crawls[-1][2] >= 2, "pages served as revisits were not extracted again"
    # Sitemaps and feeds too; a 304 is parsed from the archived copy, so discovery goes on.
    not_modified_rows = db.execute("select url, reason from captures where status = 304").fetchall()
    assert any(url != demo_site + "/" for url, _ in not_modified_rows), not_modified_rows
    assert all(reason for _, reason in not_modified_rows), not_modified_rows
    kinds = dict(db.execute("select warc_type, count(*) from captures group by 1").fetchall())
    assert kinds.get("revisit", 0) >= 3
    # Article rows point at a record that holds the body, and it reads back as the page.
    rows = db.execute("select url, warc_filename, warc_offset, warc_length, warc_record_id, crawl_id from articles").fetchall()
    assert rows
    second_crawl = db.execute("select id from crawls order by started_at desc limit 1").fetchone()[0]
    assert any(row[5] == second_crawl for row in rows)
    for url, filename, offset, length, record_id, _ in rows:
        record = read_record(tmp_path / "warc", filename, offset, length)
        assert record.rec_type == "response" and record.record_id == record_id
        assert b"<html" in record.body.lower()
        shown = subprocess.run([str(NEWSARCHIVE), "show", url, "--html", "--archive-dir", str(tmp_path)],
                               capture_output=True, check=True)
        assert shown.stdout == record.body


def test_min_size_setting_turns_identical_payload_revisits_off(demo_site, tmp_path):
    crawl_twice(demo_site, tmp_path, "-s", "NEWSARCHIVE_DEDUP_MIN_SIZE=1000000000")
    recs = records(tmp_path)
    assert not [r for r in recs if r["type"] == "revisit" and r["profile"] == REVISIT_IDENTICAL]


def test_reindex_and_cdxj_of_an_archive_with_revisits(demo_site, tmp_path):
    crawl_twice(demo_site, tmp_path)
    db = sqlite3.connect(tmp_path / "archive.db")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    query = "select * from articles order by url"
    before = db.execute(query).fetchall()
    captures = ("select url, status, warc_type, warc_record_id, fetched_at, reason, bytes, truncated, payload_digest, "
                "etag, last_modified from captures where warc_record_id is not null order by id")
    before_captures = db.execute(captures).fetchall()
    db.close()
    assert any(t == "revisit" for _, _, t, *_ in before_captures)
    newsarchive("reindex", "--archive-dir", tmp_path, "-q")
    db = sqlite3.connect(tmp_path / "archive.db")
    assert db.execute(query).fetchall() == before
    assert db.execute(captures).fetchall() == before_captures
    files = sorted(str(p) for p in (tmp_path / "warc").glob("*.warc.gz"))
    reference = subprocess.run([str(WARCIO.parent / "cdxj-indexer"), "--sort", *files], capture_output=True,
                               text=True, check=True).stdout
    ours = newsarchive("cdxj", "--archive-dir", tmp_path).stdout
    assert ours == reference and "warc/revisit" in ours


def test_truncated_and_small_payloads_are_never_dedup_originals(tmp_path):
    from archive.dedup import Deduplicator
    from archive.store import ArchiveStore
    from archive.warcwriter import RecordLocation, payload_digest

    store = ArchiveStore(tmp_path)
    body = b"x" * 5000
    digest = payload_digest(body)

    def capture(record_id: str, truncated: str | None) -> None:
        location = RecordLocation("f.warc.gz", 0, 10, record_id, "2026-11-28T12:00:00.000Z", digest)
        store.add_capture(crawl_id="c", url="http://example.org/", fetched_at="2026-11-28T12:00:00.000000Z",
                          status=200, warc_type="response", truncated=truncated, location=location)

    dedup = Deduplicator(store.db.conn, min_size=1024)
    capture("<urn:uuid:cut>", "length")
    assert dedup.original_for(digest, len(body)) is None, "a truncated record cannot stand for the payload"
    capture("<urn:uuid:whole>", None)
    found, url = dedup.original_for(digest, len(body))
    assert found.record_id == "<urn:uuid:whole>" and url == "http://example.org/"
    assert found.warc_date == "2026-11-28T12:00:00.000Z"
    assert dedup.original_for(digest, 1000) is None  # under the minimum size
    assert dedup.original_for(digest, len(body), truncated="length") is None
    store.close()
