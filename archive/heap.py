"""glibc heap settings and trimming, for the crawl process and its extraction workers.

Extraction workers hand the memory of each page back to the system once the page is done.

Extracting one page builds several lxml trees (the page, trafilatura's cleaned copy, its output) in
libxml2's malloc'ed memory, tens of MB for a large page. When they are freed, glibc keeps most of that
memory in its heap, in free chunks between live ones that it cannot hand back by shrinking the heap, so
a worker's resident set grows to its largest pages and stays there (2 workers, 5,000-page bench crawl:
~88 MB each, of which ~40 MB is what the imports take). ``malloc_trim(0)`` after each task returns the
free pages inside the heap too (``madvise``); it costs ~0.2 ms a page against 15-50 ms of extraction.
Elsewhere than glibc (musl, macOS) it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

M_MMAP_THRESHOLD, M_ARENA_MAX = -3, -8  # mallopt parameters (malloc.h)
# Allocations from this size up get pages of their own (mmap), returned to the system when freed.
# glibc's default starts at 128 kB but rises to the size of the largest mmap'ed block freed so far
# (up to 32 MB): after one 11 MB decoded page, every body and text below that size came from the
# heap, where freed blocks stay resident between live ones. A fixed threshold stops that rise.
# 5,000-page bench crawl: crawl process p99 147 -> 126 MB, extraction workers p100 104 -> 90 MB,
# CPU per page unchanged.
MMAP_THRESHOLD = 256 * 1024
_libc: ctypes.CDLL | None = None
_looked_up = False


def _glibc() -> ctypes.CDLL | None:
    global _libc, _looked_up
    if not _looked_up:
        _looked_up = True
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt"):
                _libc = libc
        except OSError:
            _libc = None
    return _libc


def release_free_memory() -> bool:
    """Give the free pages of the malloc heap back to the system; False when there is no malloc_trim."""
    libc = _glibc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True


def tune_malloc(arenas: int = 2, mmap_threshold: int = MMAP_THRESHOLD) -> bool:
    """A fixed :data:`MMAP_THRESHOLD`, and at most ``arenas`` malloc arenas (glibc's default is 8 a
    core). Each thread that allocates gets an arena of its own up to that limit, and each arena keeps
    its own free memory: the crawl process has a dozen threads (Twisted's thread pool, the workers'
    feed threads) that allocate a few large buffers now and then (bodies pickled for a worker). Call
    before threads start. False where this is not glibc."""
    libc = _glibc()
    if libc is None:
        return False
    return libc.mallopt(M_MMAP_THRESHOLD, mmap_threshold) == 1 and libc.mallopt(M_ARENA_MAX, arenas) == 1


# What an extraction worker may use by default (the crawl's NEWSARCHIVE_EXTRACT_MEMORY, reindex's workers):
# a hostile page (200,000 links: ~720 MB) fails alone; one process extracting all 602 corpus pages peaks
# at 80 MB.
DEFAULT_EXTRACT_MEMORY_MB = 2048


def limit_memory(max_bytes: int | None) -> bool:
    """Cap this process's data (its heap and private writable mappings: ``RLIMIT_DATA``) at ``max_bytes``:
    an allocation past it fails, which Python and lxml raise as MemoryError. Address space merely
    reserved (glibc's arenas) and shared libraries do not count. None: no cap. False where the platform
    has no such limit."""
    if not max_bytes:
        return True
    try:
        import resource
    except ImportError:  # not POSIX
        return False
    resource.setrlimit(resource.RLIMIT_DATA, (max_bytes, max_bytes))
    return True


def init_extraction_worker(crawl_pid: int, max_memory: int | None = None) -> None:
    """What each extraction worker runs first: :func:`tune_malloc`, :func:`limit_memory` (a hostile page
    fails alone instead of taking the machine's memory), then :func:`archive.parentwatch.init_worker`
    (ignore Ctrl-C, exit with the crawl)."""
    from archive.parentwatch import init_worker

    tune_malloc()
    limit_memory(max_memory)
    init_worker(crawl_pid)


def then_release(func: Callable[..., T], *args) -> T:
    """``func(*args)``, then :func:`release_free_memory` (what the crawl's workers run for each page)."""
    try:
        return func(*args)
    finally:
        release_free_memory()
