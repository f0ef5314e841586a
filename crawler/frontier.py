"""The crawl's pending requests: in memory while they are few, on disk past that.

A big news site's sitemap index lists every article it ever published (hundreds of sitemaps of up to
50,000 URLs), and sitemaps are fetched before the articles they list. Held in Scrapy's memory queues,
500,000 pending requests took a crawl to 1.5 GB before it had archived its first article, and memory
grows with the index (``make bench-frontier``). A Scrapy ``JOBDIR`` would put them on disk, but its seen-set outlives the run and would
skip the seeds next time (run state lives in ``archive.db``).

:class:`SpillingQueue` is the scheduler's memory queue (``SCHEDULER_MEMORY_QUEUE``): one per priority
level and download slot (host), first in first out. Up to ``NEWSARCHIVE_FRONTIER_MEMORY`` requests,
counted over all of a crawl's queues, wait in memory; past that a queue puts the requests pushed to it
in a disk queue under ``DIR/frontier/`` (queuelib's ``FifoDiskQueue``, as under Scrapy's
``PickleFifoDiskQueue``, the queue ``JOBDIR`` uses), until that has been emptied again. The order stays first in first out: once requests
wait on disk, newer ones queue behind them there. A small crawl never touches the disk. The folder is
removed when its queue empties or the crawl ends (Scrapy never closes its memory queues, so
``crawler.runstate`` removes what is left when the engine stops); a crawl that was killed leaves its
folders to the next run, which removes them when it starts (it holds the archive's lock then).
"""

from __future__ import annotations

import logging
import pickle
import shutil
import tempfile
import weakref
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from queuelib import FifoDiskQueue
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.utils.request import request_from_dict

logger = logging.getLogger(__name__)

FRONTIER_SUBDIR = "frontier"
# Pending requests a crawl keeps in memory (~2.4 kB each by make bench-frontier: ~24 MB) before newer ones
# wait on disk. An hourly run of a few sites never gets there; an index of a site's whole history does.
DEFAULT_MEMORY_REQUESTS = 10_000


@dataclass
class _Budget:
    """What all the queues of one crawl share (Scrapy makes one per priority level and download slot)."""

    in_memory: int = 0  # requests held in memory, over all the queues
    warned: bool = False  # a request that cannot be stored on disk was reported


_budgets: weakref.WeakKeyDictionary[Crawler, _Budget] = weakref.WeakKeyDictionary()


def frontier_dir(archive_dir: str | Path) -> Path:
    return Path(archive_dir) / FRONTIER_SUBDIR


def remove_leftovers(archive_dir: str | Path) -> int:
    """Remove the disk queues a crawl left (requests still pending when it stopped, or a killed crawl's);
    call only while holding the archive's lock."""
    root = frontier_dir(archive_dir)
    if not root.is_dir():
        return 0
    left = [path for path in root.iterdir() if path.is_dir()]
    for path in left:
        shutil.rmtree(path, ignore_errors=True)
    return len(left)


def _method_name(spider: Spider, method) -> str | None:
    """The name under which ``method`` is a method of ``spider``. ``Request.to_dict`` finds it by listing
    every member of the spider (``inspect.getmembers``, which evaluates its properties): ~100 µs a
    request, a fifth of the CPU of a crawl putting half a million requests on disk (cProfile)."""
    if method is None:
        return None
    name = getattr(method, "__name__", "")
    if getattr(getattr(spider, name, None), "__func__", None) is getattr(method, "__func__", _method_name):
        return name
    raise ValueError(f"{method!r} is not a method of {spider!r}")


class RequestsOnDisk:
    """A FIFO of requests on disk: each stored as ``Request.to_dict`` stores it (callbacks by name),
    pickled, in queuelib's chunk files, as Scrapy's ``PickleFifoDiskQueue`` does."""

    def __init__(self, spider: Spider, path: Path) -> None:
        self.spider = spider
        self.queue = FifoDiskQueue(str(path))

    def push(self, request: Request) -> None:
        """Raises ValueError for a request that cannot be stored (a callback that is no spider method,
        something in ``meta`` pickle cannot write), as Scrapy's disk queues do."""
        # Request.to_dict's dict (Request.attributes are the keyword arguments request_from_dict gives back).
        data = {"callback": _method_name(self.spider, request.callback),
                "errback": _method_name(self.spider, request.errback), "headers": dict(request.headers)}
        for name in request.attributes:
            data.setdefault(name, getattr(request, name))
        if type(request) is not Request:
            data["_class"] = f"{type(request).__module__}.{type(request).__name__}"
        try:
            blob = pickle.dumps(data, protocol=4)
        except (pickle.PicklingError, AttributeError, TypeError) as exc:
            raise ValueError(str(exc)) from exc
        self.queue.push(blob)

    def pop(self) -> Request | None:
        return self._request(self.queue.pop())

    def peek(self) -> Request | None:
        return self._request(self.queue.peek())

    def _request(self, blob: bytes | None) -> Request | None:
        return None if blob is None else request_from_dict(pickle.loads(blob), spider=self.spider)

    def __len__(self) -> int:
        return len(self.queue)

    def close(self) -> None:
        self.queue.close()


class SpillingQueue:
    """A FIFO of requests kept in memory while the crawl's queues hold under ``limit`` there, else on disk."""

    def __init__(self, crawler: Crawler, key: str, limit: int, directory: Path) -> None:
        self.crawler = crawler
        self.key = key
        self.limit = limit
        self.directory = directory
        self.budget = _budgets.setdefault(crawler, _Budget())
        self.memory: deque[Request] = deque()
        self.disk: RequestsOnDisk | None = None  # while requests wait on disk
        self.disk_path: Path | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, key: str, *args, **kwargs) -> SpillingQueue:
        settings = crawler.settings
        limit = settings.getint("NEWSARCHIVE_FRONTIER_MEMORY", DEFAULT_MEMORY_REQUESTS)
        return cls(crawler, key, limit, frontier_dir(settings.get("NEWSARCHIVE_ARCHIVE_DIR")))

    def push(self, request: Request) -> None:
        if self.disk is None and self.budget.in_memory < self.limit:
            self._keep(request)
            return
        try:
            if self.disk is None:
                self._open_disk()
            self.disk.push(request)
        except (ValueError, OSError) as exc:  # a request pickle cannot store; a full or read-only disk
            if not self.budget.warned:
                logger.warning("a request cannot wait on disk (%s): %s; such requests stay in memory", request, exc)
                self.budget.warned = True
            self._keep(request)

    def _keep(self, request: Request) -> None:
        self.memory.append(request)
        self.budget.in_memory += 1

    def pop(self) -> Request | None:
        if self.memory:
            self.budget.in_memory -= 1
            return self.memory.popleft()
        if self.disk is None:
            return None
        request = self.disk.pop()
        if not len(self.disk):
            self._close_disk()
        return request

    def peek(self) -> Request | None:
        if self.memory:
            return self.memory[0]
        return self.disk.peek() if self.disk is not None else None

    def __len__(self) -> int:
        return len(self.memory) + (len(self.disk) if self.disk is not None else 0)

    def close(self) -> None:
        self.budget.in_memory -= len(self.memory)
        self.memory.clear()
        self._close_disk()

    def _open_disk(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = "priority" + self.key.replace("/", "_") + "-"
        self.disk_path = Path(tempfile.mkdtemp(prefix=name, dir=self.directory))
        self.disk = RequestsOnDisk(self.crawler.spider, self.disk_path / "queue")
        logger.info("over %d requests pending: newer ones wait on disk in %s", self.limit, self.disk_path)

    def _close_disk(self) -> None:
        if self.disk is not None:
            self.disk.close()
            self.disk = None
        if self.disk_path is not None:
            shutil.rmtree(self.disk_path, ignore_errors=True)
            self.disk_path = None
