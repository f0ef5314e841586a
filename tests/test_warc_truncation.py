"""Oversize and cut-off responses are kept, marked WARC-Truncated, instead of being lost."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from conftest import newsarchive

WARCIO = Path(sys.executable).parent / "warcio"
LIMIT = 100_000


def test_huge_and_dropped_responses_are_kept_truncated(demo_site, tmp_path):
    huge, drop = demo_site + "/_huge/400000", demo_site + "/_drop"
    newsarchive("crawl", huge, drop, "--archive-dir", tmp_path, "--no-throttle", "-q",
                "-s", f"NEWSARCHIVE_MAX_RESPONSE_SIZE={LIMIT}", check=False)
    db = sqlite3.connect(tmp_path / "archive.db")
    rows = dict(db.execute("select url, truncated from captures where url in (?, ?)", [huge, drop]).fetchall())
    assert rows == {huge: "length", drop: "disconnect"}
    bodies = {}
    for path in sorted((tmp_path / "warc").glob("*.warc.gz")):
        check = subprocess.run([str(WARCIO), "check", "-v", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type == "response" and record.rec_headers.get_header("WARC-Target-URI") in (huge, drop):
                    url = record.rec_headers.get_header("WARC-Target-URI")
                    bodies[url] = (record.rec_headers.get_header("WARC-Truncated"), record.content_stream().read())
    assert bodies[huge][0] == "length" and len(bodies[huge][1]) == LIMIT
    assert bodies[huge][1].startswith(b"<!DOCTYPE html>")
    assert bodies[drop][0] == "disconnect" and bodies[drop][1].startswith(b"<html><body><p>xxx")


def test_under_the_limit_nothing_is_cut(demo_site, tmp_path):
    huge = demo_site + "/_huge/400000"
    newsarchive("crawl", huge, "--archive-dir", tmp_path, "--no-throttle", "-q",
                "-s", "NEWSARCHIVE_MAX_RESPONSE_SIZE=1000000", check=False)
    db = sqlite3.connect(tmp_path / "archive.db")
    assert db.execute("select truncated, bytes from captures where url = ?", [huge]).fetchall() == [(None, 400000)]
