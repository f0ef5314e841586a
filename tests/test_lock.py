"""One crawl per archive; interrupted and killed crawls leave a whole archive the next run completes."""

from __future__ import annotations

import gzip
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from changingsite import ChangingSite

from conftest import NEWSARCHIVE, ROOT, lock_held, newsarchive
from crawler import lock
from siteserver import running

N_ARTICLES = 10  # enough that a signal sent after the first stored article lands mid-run, even on a busy machine
# One request at a time, half a second apart, at most two handed to the downloader (a graceful stop
# finishes those): the crawl is mid-run long enough to signal it.
SLOW = ("-s", "DOWNLOAD_DELAY=0.5", "-s", "DOWNLOAD_DELAY_JITTER=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS=2")


def count(db_path, sql, *args):
    if not db_path.exists():
        return 0
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
    try:
        return conn.execute(sql, args).fetchone()[0]
    except sqlite3.OperationalError:  # tables not created yet
        return 0
    finally:
        conn.close()


def start_crawl(base, archive, *extra) -> subprocess.Popen:
    return subprocess.Popen(
        [str(NEWSARCHIVE), "crawl", base + "/", "--archive-dir", str(archive), "-q", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )


def wait_for(predicate, proc, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert proc.poll() is None, f"crawl ended early: {proc.communicate()}"
        assert time.monotonic() < deadline, "timed out waiting for the crawl"
        time.sleep(0.05)


@pytest.fixture
def site(tmp_path):
    site = ChangingSite(tmp_path / "site", extra_links=["/_slow/4"])
    for n in range(1, N_ARTICLES + 1):
        site.add(n)
    site.publish()
    with running(site.root, quiet=True) as base:
        yield base


def warc_check(archive):
    files = sorted((archive / "warc").iterdir())
    assert files and not [f.name for f in files if f.name.endswith(".open")], files
    warcio = os.path.join(os.path.dirname(sys.executable), "warcio")
    for f in files:
        subprocess.run([warcio, "check", str(f)], check=True, capture_output=True)


def test_lock_is_exclusive_across_processes_and_reentrant_within_one(tmp_path):
    with lock_held(tmp_path) as holder:
        with pytest.raises(lock.LockHeld, match=rf"another crawl is running on {tmp_path} \(lock held by PID {holder.pid}\)"):
            lock.acquire(tmp_path)
        assert lock.holder(tmp_path) == str(holder.pid)
    # The kernel dropped the dead holder's lock: no stale-lock cleanup needed.
    assert lock.holder(tmp_path) is None
    lock.acquire(tmp_path)
    lock.acquire(tmp_path)  # the CLI and the extension both take it in one process
    lock.release(tmp_path)
    assert lock.holder(tmp_path) == str(os.getpid()), "still held after one of two releases"
    lock.release(tmp_path)
    assert lock.holder(tmp_path) is None


def files_of(archive) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(archive)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(archive.rglob("*")) if p.is_file()}


def scrapy_crawl(archive, seed) -> subprocess.CompletedProcess:
    """`scrapy crawl news` from the project folder (scrapy.cfg), as cron or a shell would run it."""
    env = {k: v for k, v in os.environ.items() if k != "NEWSARCHIVE_ARCHIVE_DIR"}
    return subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "scrapy"), "crawl", "news", "-a", f"seeds={seed}",
         "-s", f"NEWSARCHIVE_ARCHIVE_DIR={archive}", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
         "-s", "NEWSARCHIVE_EXTRACT_WORKERS=1"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_scrapy_crawl_refused_by_the_lock_logs_one_line_and_touches_nothing(archive_copy, demo_site):
    archive = archive_copy
    with lock_held(archive) as holder:
        before = files_of(archive)
        refused = scrapy_crawl(archive, demo_site + "/")
        assert files_of(archive) == before, "the refused run touched the archive"
    assert "Traceback" not in refused.stderr, refused.stderr[-3000:]
    message = f"another crawl is running on {archive.resolve()} (lock held by PID {holder.pid}); this run did nothing"
    errors = [line for line in refused.stderr.splitlines() if " ERROR: " in line]
    assert len(errors) == 1 and errors[0].endswith(message), errors
    assert "Spider closed (archive-locked)" in refused.stderr
    assert refused.returncode == 4, "the same exit code as `newsarchive crawl`"
    assert count(archive / "archive.db", "select count(*) from crawls") == 1

    # Counter-case: the same command with the lock free crawls, and changes the archive.
    free = scrapy_crawl(archive, demo_site + "/")
    assert free.returncode == 0 and "Traceback" not in free.stderr, free.stderr[-3000:]
    assert "Spider closed (finished)" in free.stderr
    assert count(archive / "archive.db", "select count(*) from crawls where status = 'finished'") == 2
    assert files_of(archive) != before


def test_second_run_exits_at_once_while_first_holds_the_lock(site, tmp_path):
    archive = tmp_path / "archive"
    first = start_crawl(site, archive, *SLOW)
    try:
        wait_for(lambda: count(archive / "archive.db", "select count(*) from crawls") == 1, first)
        second = newsarchive("crawl", site + "/", "--archive-dir", archive, check=False, timeout=60)
        assert first.poll() is None, "the second run returned while the first was still crawling"
        assert second.returncode == 4
        assert f"another crawl is running on {archive.resolve()} (lock held by PID {first.pid})" in second.stderr
        assert count(archive / "archive.db", "select count(*) from crawls") == 1, "the refused run wrote nothing"
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=60)


@pytest.mark.parametrize("group", [False, True], ids=["SIGTERM to the crawl", "Ctrl-C: SIGINT to its process group"])
def test_signal_closes_gracefully_and_next_run_carries_on(site, tmp_path, group):
    archive = tmp_path / "archive"
    db = archive / "archive.db"
    proc = start_crawl(site, archive, *SLOW)
    wait_for(lambda: count(db, "select count(*) from articles") >= 1, proc)
    if group:  # what a terminal does: the extraction workers get SIGINT too, and must ignore it
        os.killpg(proc.pid, signal.SIGINT)
    else:  # what systemd (KillMode=mixed) and `kill` do
        proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 3, (out, err)
    assert "worker died" not in err and "Traceback" not in err, err[-3000:]
    assert "interrupted" in out
    assert count(db, "select count(*) from crawls where status = 'interrupted' and ended_at is not null") == 1
    stored = count(db, "select count(*) from articles")
    assert 1 <= stored < N_ARTICLES, "the signal should land mid-run"
    warc_check(archive)  # WARC files closed and valid

    newsarchive("crawl", site + "/", "--archive-dir", archive, "--no-throttle", "-q")
    assert count(db, "select count(*) from articles") == N_ARTICLES
    assert count(db, "select count(*) from crawls where status = 'finished'") == 1
    assert count(db, "select count(*) from article_versions") == N_ARTICLES
    warc_check(archive)
    # One log file per run; earlier runs' logs are gzipped.
    logs = sorted(p.name for p in (archive / "logs").iterdir())
    assert len(logs) == 2 and logs[0].endswith(".log.gz") and logs[1].endswith(".log"), logs
    with gzip.open(archive / "logs" / logs[0], "rt") as first_log:
        assert "Received SIG" in first_log.read()


def test_sigkill_mid_run_then_rerun_completes_without_duplicates(site, tmp_path):
    archive = tmp_path / "archive"
    db = archive / "archive.db"
    proc = start_crawl(site, archive, *SLOW)
    wait_for(lambda: count(db, "select count(*) from articles") >= 2, proc)
    proc.kill()
    # Its extraction workers notice and exit too, closing the pipes they inherited (else this hangs),
    # even before the killed process is reaped.
    proc.communicate(timeout=30)
    killed = count(db, "select count(*) from articles")
    assert killed < N_ARTICLES, "the kill should land mid-run"
    assert count(db, "select count(*) from crawls where status = 'running'") == 1

    result = newsarchive("crawl", site + "/", "--archive-dir", archive, "--no-throttle", "-q")
    assert "finished" in result.stdout
    assert count(db, "select count(*) from articles") == N_ARTICLES
    assert count(db, "select count(distinct url) from articles") == N_ARTICLES
    assert count(db, "select count(*) from article_versions") == N_ARTICLES, "no duplicate versions"
    assert count(db, "select count(*) from (select url from article_versions group by url having count(*) > 1)") == 0
    # The killed run is recorded as interrupted by the next one, which holds the lock.
    assert count(db, "select count(*) from crawls where status = 'interrupted' and finish_reason like 'killed%'") == 1
    assert count(db, "select count(*) from crawls where status = 'running'") == 0
    warc_check(archive)  # the killed run's .open file was repaired and closed by the next run
    # Every article row points at a WARC record of a closed file.
    names = {p.name for p in (archive / "warc").iterdir()}
    conn = sqlite3.connect(db)
    for (filename,) in conn.execute("select distinct warc_filename from articles"):
        assert filename in names, f"{filename} not among {sorted(names)}"
    conn.close()
