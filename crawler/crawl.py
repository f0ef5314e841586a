"""``scrapy crawl``, exiting 4 when another crawl holds the archive's lock (as ``newsarchive crawl`` does).

Scrapy's own command exits 1 only when a crawl fails to start; a run refused by the lock starts, closes
as ``archive-locked`` (crawler/runstate.py) and would exit 0, which cron and systemd read as success.
Scrapy takes project commands from ``COMMANDS_MODULE`` (crawler/settings.py), named after their module,
so this one replaces ``crawl`` for this project, scrapyd jobs included; everything else is Scrapy's.
"""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.crawler import Crawler
from scrapy.spiders import Spider

from crawler.archiving import ArchiveContext
from crawler.lock import EXIT_LOCKED


class Command(ScrapyCrawl):
    crawler: Crawler | None = None

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        self.crawler = super()._create_crawler(spidercls)
        return self.crawler

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        super().run(args, opts)
        if self.crawler is not None and ArchiveContext.refused(self.crawler) is not None:
            self.exitcode = EXIT_LOCKED
