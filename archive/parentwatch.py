"""Worker processes end with the crawl that started them, even when it is killed with SIGKILL.

A worker left behind when the crawl dies without closing its pool (SIGKILL, OOM killer) would keep memory
and the crawl's stdout/stderr open (a cron job's mail, a test's pipe, never closes). The crawl's pool
(archive/workerpool.py) ends its workers by closing their task pipes, which a dead crawl does too; this is
the second guard, for any pool: ``init_worker``, run first in each worker (archive/heap.py
``init_extraction_worker``), starts a daemon thread that checks every second that the crawl's process
still exists and ends the worker when it does not. It also makes workers ignore SIGINT:
Ctrl-C in a terminal reaches the whole process group, and the crawl, which shuts down gracefully, still
needs its workers for the pages in flight.
"""

from __future__ import annotations

import os
import signal
import threading
import time


def alive(pid: int) -> bool:
    """The process exists and is not a zombie (dead, waiting for its parent to reap it)."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):  # PermissionError: the pid was reused by another user
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):  # no /proc (not Linux): kill(pid, 0) is all we know
        return True


def _watch(pid: int, interval: float) -> None:
    while alive(pid):
        time.sleep(interval)
    os._exit(0)


def exit_with_parent(pid: int, interval: float = 1.0) -> None:
    threading.Thread(target=_watch, args=(pid, interval), name="exit-with-parent", daemon=True).start()


def init_worker(pid: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_with_parent(pid)
