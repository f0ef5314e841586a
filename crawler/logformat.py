"""Log formatting for long unattended runs: one line per dropped item instead of a full dump."""

from __future__ import annotations

import logging

from scrapy.logformatter import LogFormatter


class QuietLogFormatter(LogFormatter):
    def scraped(self, item, response, spider):
        entry = super().scraped(item, response, spider)
        entry["level"] = logging.DEBUG
        entry["msg"] = "Stored %(src)s"
        entry["args"] = {"src": response}
        return entry

    def dropped(self, item, exception, response, spider):
        entry = super().dropped(item, exception, response, spider)
        entry["level"] = logging.DEBUG
        entry["msg"] = "Dropped: %(exception)s"
        entry["args"] = {"exception": exception}
        return entry


class UnreachableRobots(logging.Filter):
    """Scrapy's robots.txt middleware logs a host it cannot reach (DNS failure, refused, timeout) at ERROR
    with a traceback. Page requisites are fetched from any host, so one unreachable CDN or ad server put a
    traceback into the log of every run, and into the cron mail of a ``--quiet`` run. Such a record becomes
    one WARNING line; the failed robots.txt fetch is in ``captures`` like any other (crawler/fetcherrors.py).
    Other errors of that middleware keep their level and traceback."""

    LOGGER = "scrapy.downloadermiddlewares.robotstxt"

    def __init__(self, network_errors: tuple[type[BaseException], ...]) -> None:
        super().__init__()
        self.network_errors = network_errors

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if record.levelno >= logging.ERROR and isinstance(error, self.network_errors):
            record.msg = "robots.txt not fetched for %(request)s: %(f_exception)s"  # the same args
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info = record.exc_text = None
        return True
