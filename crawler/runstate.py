"""What an unattended run needs around the crawl: the archive lock, a log file, abandoned runs closed.

An extension placed before ``ArchiveExtension``, so it runs however the crawl is started
(``newsarchive crawl``, ``scrapy crawl``, a scrapyd job):

- takes ``DIR/crawl.lock`` before anything is written (``crawler.lock``); a second run on the same
  archive logs one error, "another crawl is running on DIR (lock held by PID …)", and closes before its
  first request with the finish reason ``archive-locked``, the archive untouched (:class:`Refused`);
- writes the run's log, at INFO or finer whatever the console shows, to ``DIR/logs/<crawl id>.log``, and
  gzips the logs of earlier runs;
- marks ``crawls`` rows still ``running`` as ``interrupted`` (their process died without closing them:
  SIGKILL, OOM, reboot), which is safe because we hold the lock.
"""

from __future__ import annotations

import gzip
import logging
import shutil
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, NotConfigured
from scrapy.utils.log import _get_formatter
from scrapy.utils.misc import load_object

from archive import __version__
from archive.store import utcnow
from crawler import frontier, lock
from crawler.archiving import ArchiveContext
from crawler.logformat import UnreachableRobots

logger = logging.getLogger(__name__)
LOGS_SUBDIR = "logs"
LOCKED = "archive-locked"  # finish reason of a run refused by the archive's lock


def _level(value) -> int:
    """``LOG_LEVEL`` as a number (Scrapy accepts a name or a number)."""
    if isinstance(value, int):
        return value
    number = logging.getLevelName(str(value).upper())
    return number if isinstance(number, int) else logging.INFO


def compress_old_logs(logs_dir: Path, keep: Path) -> int:
    """gzip the logs of earlier runs (all finished: we hold the lock); an hourly job makes 8,760 a year."""
    done = 0
    for path in sorted(logs_dir.glob("*.log")):
        if path == keep:
            continue
        target = path.with_name(path.name + ".gz")
        with open(path, "rb") as src, gzip.open(target.with_name(target.name + ".tmp"), "wb") as dst:
            shutil.copyfileobj(src, dst)
        target.with_name(target.name + ".tmp").replace(target)
        path.unlink()
        done += 1
    return done


def close_abandoned_crawls(db, now: str) -> int:
    """Runs still marked ``running`` while we hold the lock died uncleanly; record them as interrupted."""
    with db.conn:
        cursor = db.execute(
            """update crawls set status = 'interrupted',
                 finish_reason = 'killed: the run ended without closing (found by a later run)',
                 ended_at = coalesce((select max(fetched_at) from captures c where c.crawl_id = crawls.id), ?),
                 pages_fetched = (select count(*) from captures c where c.crawl_id = crawls.id and status is not null),
                 fetch_errors = (select count(*) from captures c where c.crawl_id = crawls.id and error is not null),
                 bytes_received = (select coalesce(sum(bytes), 0) from captures c where c.crawl_id = crawls.id)
               where status = 'running'""",
            [now],
        )
        return cursor.rowcount


class Refused:
    """Stands in for :class:`RunState` when another crawl holds the archive's lock.

    Built before any component that opens the archive: it logs the one error line and marks the
    crawler (:meth:`ArchiveContext.refuse`), so those components switch themselves off, and it closes
    the spider as ``archive-locked`` when it opens, before any request. No traceback: that is what a
    cron mail or a scrapyd log shows. ``scrapy crawl`` then exits 4, as ``newsarchive crawl`` does
    (crawler/crawl.py)."""

    def __init__(self, crawler: Crawler, error: lock.LockHeld) -> None:
        self.error = error
        ArchiveContext.refuse(crawler, error)
        logger.error("%s; this run did nothing", error)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    def spider_opened(self, spider) -> None:
        raise CloseSpider(LOCKED)


class RunLogFile(logging.FileHandler):
    """The run's log file, in the archive folder. When it cannot be written (the disk is full) it stops
    trying, instead of printing a "Logging error" traceback for every later line; the console log and
    the crawl's exit status still say what happened."""

    failed = False

    def emit(self, record: logging.LogRecord) -> None:
        if not self.failed:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        self.failed = True


class RunState:
    def __init__(self, crawler: Crawler, archive_dir: str) -> None:
        self.archive_dir = archive_dir  # locked by from_crawler
        self.context = ArchiveContext.of(crawler)
        self.log_path = Path(archive_dir) / LOGS_SUBDIR / f"{self.context.crawl_id}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.handler = RunLogFile(self.log_path, encoding="utf-8")
        self.handler.setFormatter(_get_formatter(self.handler, crawler.settings))
        self.handler.setLevel(min(logging.INFO, _level(crawler.settings.get("LOG_LEVEL", "INFO"))))
        root = logging.getLogger()
        root.addHandler(self.handler)
        if root.level > self.handler.level or root.level == logging.NOTSET:
            root.setLevel(self.handler.level)
        network_errors = tuple(load_object(e) if isinstance(e, str) else e
                               for e in crawler.settings.getlist("RETRY_EXCEPTIONS"))
        self.robots_filter = UnreachableRobots(network_errors)
        logging.getLogger(UnreachableRobots.LOGGER).addFilter(self.robots_filter)
        if crawler.settings.get("JOBDIR"):
            logger.warning(
                "JOBDIR is set (%s): its seen-set drops every URL of earlier runs, seeds included, on the next "
                "run; newsarchive keeps run state in archive.db, so leave JOBDIR unset",
                crawler.settings.get("JOBDIR"),
            )
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)
        # Which code runs matters when jobs are deployed (a scrapyd egg, a venv): say where it came from.
        code = Path(__file__).resolve().parent.parent
        logger.info("crawl %s: log file %s; newsarchive %s from %s", self.context.crawl_id, self.log_path,
                    __version__, code)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunState | Refused:
        archive_dir = crawler.settings.get("NEWSARCHIVE_ARCHIVE_DIR")
        if not archive_dir:
            raise NotConfigured("NEWSARCHIVE_ARCHIVE_DIR is not set")
        try:
            lock.acquire(archive_dir)  # before anything opens the archive
        except lock.LockHeld as exc:
            return Refused(crawler, exc)
        return cls(crawler, archive_dir)

    def spider_opened(self, spider) -> None:
        # Connected before ArchiveExtension's handler, so this runs before its `crawls` row exists.
        closed = close_abandoned_crawls(self.context.store.db, utcnow())
        compress_old_logs(self.log_path.parent, keep=self.log_path)
        if removed := frontier.remove_leftovers(self.archive_dir):
            logger.info("removed %d queue folder(s) of pending requests an earlier run left", removed)
        if closed:
            logger.warning("%d earlier run(s) had ended without closing; recorded as interrupted", closed)

    def engine_stopped(self) -> None:
        # After spider_closed: the WARC files are closed and the `crawls` row is final.
        logging.getLogger().removeHandler(self.handler)
        logging.getLogger(UnreachableRobots.LOGGER).removeFilter(self.robots_filter)
        try:
            self.handler.close()
        except OSError:  # the disk is full: the log file keeps what it had
            pass
        frontier.remove_leftovers(self.archive_dir)  # requests still pending when the crawl stopped
        lock.release(self.archive_dir)
