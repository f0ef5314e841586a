"""Shared fixtures: loopback fixture sites (real HTTP in a subprocess) and the real `newsarchive` command."""

from __future__ import annotations

import contextlib
import fcntl
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from siteserver import running

TESTS = Path(__file__).parent
ROOT = TESTS.parent
SITES = TESTS / "sites"
SHARED = ROOT.parent / "shared"
NEWSARCHIVE = Path(sys.executable).parent / "newsarchive"
TOOLS = ROOT / ".venv-tools" / "bin"


def newsarchive(*args: str, check: bool = True, timeout: float = 300, **kwargs) -> subprocess.CompletedProcess:
    """Run the installed `newsarchive` command; output captured as text."""
    result = subprocess.run(
        [str(NEWSARCHIVE), *map(str, args)], capture_output=True, text=True, timeout=timeout, **kwargs
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"newsarchive {' '.join(map(str, args))} exited {result.returncode}\n"
            f"stdout:\n{result.stdout[-3000:]}\nstderr:\n{result.stderr[-6000:]}"
        )
    return result


@contextlib.contextmanager
def lock_held(archive) -> Iterator[subprocess.Popen]:
    """Another process holding the archive's lock, as a running crawl does; killed on leaving."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from crawler import lock; lock.acquire(sys.argv[1]); "
         "print('held', flush=True); time.sleep(60)", str(archive)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


@pytest.fixture(scope="session")
def demo_site():
    """The Loopback Gazette (tests/sites/demo) on 127.0.0.1; yields its base URL."""
    with running(SITES / "demo", quiet=True) as base:
        yield base


@pytest.fixture(scope="session")
def pangea_site():
    """A local replica of an RFE/RL (Pangea CMS) site; yields its base URL."""
    with running(SITES / "pangea", quiet=True) as base:
        yield base


@pytest.fixture(scope="session")
def demo_archive(demo_site, tmp_path_factory):
    """One crawl of the demo site, shared by the tests that only read the archive it made."""
    archive_dir = tmp_path_factory.mktemp("demo-archive")
    result = newsarchive("crawl", demo_site + "/", "--archive-dir", archive_dir, "--no-throttle")
    return archive_dir, result


@pytest.fixture()
def archive_copy(demo_archive, tmp_path) -> Path:
    """A private copy of the demo crawl's archive, for tests that rebuild or rewrite it."""
    source, _ = demo_archive
    target = tmp_path / "archive"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.lock", "logs"))
    return target


def columns_after_reopening_without(archive_dir: Path, table: str, column: str) -> set[str]:
    """An archive made before ``table.column`` existed (made now, the column dropped), opened again:
    the columns ``ArchiveStore`` leaves ``table`` with."""
    import sqlite3

    from archive.store import ArchiveStore

    ArchiveStore(archive_dir).close()
    conn = sqlite3.connect(archive_dir / "archive.db")
    with conn:
        conn.execute(f"alter table {table} drop column {column}")
    conn.close()
    store = ArchiveStore(archive_dir)
    try:
        return set(store.db[table].columns_dict)
    finally:
        store.close()


def wb_manager(tools: Path, root: Path, *args: str) -> None:
    """Run pywb's ``wb-manager`` in ``root``; its output is in the failure message."""
    done = subprocess.run([str(tools / "wb-manager"), *map(str, args)], cwd=root, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, f"wb-manager {' '.join(map(str, args))} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"


@pytest.fixture(scope="session")
def tools() -> Path:
    """pywb and wacz, in a venv of their own (`make tools` → .venv-tools, ~20 s the first time, then
    cached): pywb's brotlipy would clobber the brotli module Scrapy needs in .venv."""
    # One `make tools` at a time: on a fresh checkout the test workers (pytest -n 2) would otherwise both
    # build .venv-tools, one of them using a half-installed venv.
    with open(ROOT / ".venv-tools.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        made = subprocess.run(["make", "-s", "-C", str(ROOT), "tools"], capture_output=True, text=True, timeout=600)
    assert made.returncode == 0, f"`make tools` failed:\n{made.stdout[-2000:]}\n{made.stderr[-4000:]}"
    return TOOLS
