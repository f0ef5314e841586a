"""Leftover .open WARC files: cut after the last complete record, closed, renamed; kill -9 end to end."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from archive.repair import repair_directory, repair_file
from archive.warcreader import iter_records, read_record
from archive.warcwriter import HttpExchange, WarcWriter
from conftest import NEWSARCHIVE

WARCIO = Path(sys.executable).parent / "warcio"
PAGE = b"<html><body>" + b"<p>Paragraph of an archived page.</p>" * 200 + b"</body></html>"


def warcio_check(path: Path) -> None:
    check = subprocess.run([str(WARCIO), "check", "-v", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def leftover(tmp_path: Path, pages: int, cut: int) -> Path:
    """A WARC file as a killed crawl leaves it: ``.open``, its last record cut ``cut`` bytes short."""
    writer = WarcWriter(tmp_path, hostname="test")
    for n in range(pages):
        writer.write_exchange(HttpExchange(url=f"http://example.org/{n}", status=200, body=PAGE,
                                           response_headers=[("Content-Type", "text/html")]))
    path = tmp_path / (writer.current_filename + ".open")
    writer._file.close()  # the process dies: no close(), no rename
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.truncate(size - cut)
    return path


def test_repair_cuts_after_last_complete_record(tmp_path):
    path = leftover(tmp_path, pages=3, cut=50)
    logged = []
    [result] = repair_directory(tmp_path, log=logged.append)
    fixed = tmp_path / path.name.removesuffix(".open")
    assert not path.exists() and fixed.exists() and result.renamed_to == fixed
    assert "repaired" in logged[0] and path.name in logged[0]
    warcio_check(fixed)
    kinds = [record.rec_type for _, _, record in iter_records(fixed)]
    # warcinfo + 3 responses with 2 requests; the third request was cut off.
    assert kinds == ["warcinfo", "response", "request", "response", "request", "response"]
    assert result.cut_bytes > 0


def test_file_ending_on_a_record_boundary_is_kept_whole(tmp_path):
    path = leftover(tmp_path, pages=2, cut=0)
    size = path.stat().st_size
    result = repair_file(path)
    assert result.cut_bytes == 0 and result.kept_bytes == size


def test_file_still_being_written_is_left_alone(tmp_path):
    writer = WarcWriter(tmp_path, hostname="test")
    writer.write_exchange(HttpExchange(url="http://example.org/", status=200, body=PAGE, response_headers=[]))
    open_path = tmp_path / (writer.current_filename + ".open")
    assert repair_directory(tmp_path, log=lambda m: None) == []
    assert open_path.exists()
    writer.close()


def test_kill_9_mid_crawl_then_next_crawl_repairs(demo_site, tmp_path):
    slow = [f"{demo_site}/_slow/{20 + n}" for n in range(3)]
    proc = subprocess.Popen([str(NEWSARCHIVE), "crawl", demo_site + "/", *slow, "--archive-dir", str(tmp_path),
                             "--no-throttle", "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    db_path = tmp_path / "archive.db"
    deadline = time.time() + 60
    try:
        while time.time() < deadline:  # mid-run: articles stored, slow pages still pending
            time.sleep(0.3)
            if db_path.exists():
                with sqlite3.connect(db_path) as db:
                    try:
                        if db.execute("select count(*) from articles").fetchone()[0] >= 2:
                            break
                    except sqlite3.OperationalError:
                        pass
        assert proc.poll() is None, "the crawl ended before it could be killed"
        # The whole job at once, extraction workers included (as the OOM killer or a lost machine would).
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(10)
    assert list((tmp_path / "warc").glob("*.open")), "no .open file left by the killed crawl"
    again = subprocess.run([str(NEWSARCHIVE), "crawl", demo_site + "/robots.txt", "--archive-dir", str(tmp_path),
                            "--no-throttle"], capture_output=True, text=True, timeout=120)
    assert "leftover WARC file from an interrupted crawl: repaired" in again.stderr, again.stderr[-3000:]
    assert not list((tmp_path / "warc").glob("*.open"))
    for path in sorted((tmp_path / "warc").glob("*.warc.gz")):
        warcio_check(path)
    with sqlite3.connect(db_path) as db:
        rows = db.execute("select url, warc_filename, warc_offset, warc_length, warc_record_id from articles").fetchall()
        pointers = db.execute("select warc_filename, warc_offset, warc_length, warc_record_id from captures "
                              "where warc_filename is not null").fetchall()
    assert len(rows) >= 2
    for url, filename, offset, length, record_id in rows:
        record = read_record(tmp_path / "warc", filename, offset, length)
        assert record.url == url and record.record_id == record_id
    for filename, offset, length, record_id in pointers:
        assert read_record(tmp_path / "warc", filename, offset, length).record_id == record_id


def test_a_kill_at_any_byte_leaves_a_repairable_file(tmp_path):
    """Cut a finished file at many points (as a kill -9 mid-write would) and repair each copy: the
    result always reads to the end, with every record that was complete before the cut."""
    source = leftover(tmp_path / "src", pages=3, cut=0)
    data = source.read_bytes()
    ends = [offset + length for offset, length, _ in
            ((o, n, r) for o, n, r in iter_records(source.with_name(source.name)))]
    assert ends[-1] == len(data)
    for cut in range(1, len(data), max(1, len(data) // 60)):
        folder = tmp_path / f"cut{cut}"
        folder.mkdir()
        copy = folder / source.name
        copy.write_bytes(data[:cut])
        result = repair_file(copy)
        complete = [end for end in ends if end <= cut]
        if not complete:
            assert result.renamed_to is None and not list(folder.iterdir())
            continue
        assert result.kept_bytes == complete[-1] and result.records == len(complete)
        assert [off for off, _, _ in iter_records(result.renamed_to)][-1] < complete[-1]
    repaired = next(tmp_path.glob("cut*/*.warc.gz"))
    warcio_check(repaired)
