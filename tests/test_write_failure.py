"""The archive cannot be written (disk full, a file over the size limit): the crawl stops at once with one
error line, what is on disk stays readable, and the next run repairs and completes.

The failure is real: the crawl runs under RLIMIT_FSIZE, so the write that would grow the WARC file past
the limit fails with EFBIG (Python ignores SIGXFSZ), as a full disk fails with ENOSPC. No root, no mount.
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys

from browsing import db_rows

from archive.store import ArchiveStore
from archive.warcreader import read_record
from conftest import NEWSARCHIVE
from siteserver import running

WARCIO = os.path.join(os.path.dirname(sys.executable), "warcio")
ATTACHMENTS, ATTACHMENT_BYTES = 40, 100_000  # 4 MB of incompressible PDFs: the WARC outgrows the limit
FILE_SIZE_LIMIT = 1_500_000


def build_site(root) -> list[str]:
    rng = random.Random(7)
    (root / "files").mkdir(parents=True)
    paths = []
    for i in range(ATTACHMENTS):
        path = f"/files/report-{i:02d}.pdf"
        (root / path.lstrip("/")).write_bytes(b"%PDF-1.4\n" + rng.randbytes(ATTACHMENT_BYTES))
        paths.append(path)
    links = "".join(f'<li><a href="{p}">Report {i}</a></li>' for i, p in enumerate(paths))
    (root / "index.html").write_text(f"<html><body><h1>Reports</h1><ul>{links}</ul></body></html>")
    return paths


def crawl(base: str, archive_dir, *, limit: int | None = None) -> subprocess.CompletedProcess:
    def limited() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [str(NEWSARCHIVE), "crawl", f"{base}/", "--archive-dir", str(archive_dir), "--no-throttle",
         "-s", "CONCURRENT_REQUESTS=4", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2"],
        capture_output=True, text=True, timeout=300, preexec_fn=limited,
    )


def test_a_crawl_that_cannot_write_stops_cleanly_and_the_next_run_completes(tmp_path):
    paths = build_site(tmp_path / "site")
    archive_dir = tmp_path / "archive"
    log = tmp_path / "server.log"
    with running(tmp_path / "site", log=log, quiet=True) as base:
        first = crawl(base, archive_dir, limit=FILE_SIZE_LIMIT)
        requested_first = sum(1 for line in log.read_text().splitlines() if "/files/" in line)

        # Stopped at once, said why in one line, no traceback, exit 1 (failed).
        assert first.returncode == 1, first.stderr[-3000:]
        errors = [line for line in first.stderr.splitlines() if "cannot write to the archive" in line]
        assert len(errors) == 1 and "File too large" in errors[0], first.stderr[-3000:]
        assert "Traceback" not in first.stderr and "Logging error" not in first.stderr
        assert "failed (archive-write-error)" in first.stdout
        # It did not fetch on into the void: after the failure only the requests the downloader already
        # held (at most CONCURRENT_REQUESTS = 4) are completed (and not archived).
        assert 0 < requested_first < ATTACHMENTS // 2
        (run,) = db_rows(archive_dir, "select status, finish_reason from crawls")
        assert (run["status"], run["finish_reason"]) == ("failed", "archive-write-error")
        # Every capture row points at a record that reads back whole.
        store = ArchiveStore(archive_dir, read_only=True)
        try:
            for row in db_rows(archive_dir, "select * from captures where warc_filename is not null"):
                assert read_record(store.warc_dir, row["warc_filename"], row["warc_offset"], row["warc_length"]).body
        finally:
            store.close()

        second = crawl(base, archive_dir)
    assert second.returncode == 0, second.stderr[-3000:]
    archived = {row["url"].split("/", 3)[3] for row in db_rows(
        archive_dir, "select url from captures where status = 200 and url like '%/files/%'")}
    assert archived == {p.lstrip("/") for p in paths}
    warcs = sorted((archive_dir / "warc").iterdir())
    assert warcs and all(p.name.endswith(".warc.gz") for p in warcs)  # the first run's file was closed or repaired
    for path in warcs:
        subprocess.run([WARCIO, "check", str(path)], check=True, capture_output=True)
