"""One crawl at a time per archive: ``DIR/crawl.lock``, held with ``flock`` and holding the PID.

The kernel drops a flock when its process ends, however it ends (SIGKILL, OOM, power loss on reboot),
so a stale lock cannot block the next run: cron and systemd timers need no ``flock -n`` wrapper. The
lock is taken by ``newsarchive crawl`` before Scrapy starts and again (re-entrantly, same process) by the
RunState extension, so ``scrapy crawl`` and scrapyd jobs are covered too (crawler/runstate.py).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

LOCK_NAME = "crawl.lock"
EXIT_LOCKED = 4  # exit code of a run refused by the lock, `newsarchive crawl` and `scrapy crawl` alike


class LockHeld(RuntimeError):
    def __init__(self, archive_dir: Path, pid: str) -> None:
        self.archive_dir, self.pid = archive_dir, pid
        super().__init__(f"another crawl is running on {archive_dir} (lock held by PID {pid or '?'})")


# archive dir (resolved) -> [open lock file, holders]; a process holds each lock once.
_held: dict[Path, list] = {}


def acquire(archive_dir: str | os.PathLike[str]) -> Path:
    """Take the archive's lock or raise ``LockHeld`` at once; re-entrant within one process."""
    key = Path(archive_dir).resolve()
    if key in _held:
        _held[key][1] += 1
        return key
    key.mkdir(parents=True, exist_ok=True)
    handle = open(key / LOCK_NAME, "a+")  # noqa: SIM115 (kept open while the lock is held)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        pid = handle.read().strip()
        handle.close()
        raise LockHeld(key, pid) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    _held[key] = [handle, 1]
    return key


def release(archive_dir: str | os.PathLike[str]) -> None:
    key = Path(archive_dir).resolve()
    entry = _held.get(key)
    if entry is None:
        return
    entry[1] -= 1
    if entry[1] <= 0:
        handle = _held.pop(key)[0]
        handle.seek(0)
        handle.truncate()  # an empty file: nobody holds it
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def holder(archive_dir: str | os.PathLike[str]) -> str | None:
    """PID written in the lock file while a crawl holds it, else None."""
    path = Path(archive_dir) / LOCK_NAME
    if not path.exists():
        return None
    with open(path) as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return handle.read().strip() or "?"
        fcntl.flock(handle, fcntl.LOCK_UN)
    return None
