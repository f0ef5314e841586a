"""Scrapy settings for newsarchive. Each value says why it was chosen.

Settings of our own are namespaced ``NEWSARCHIVE_*`` and listed in the README ("Settings"); a test
checks that every one is documented there.
"""

from __future__ import annotations

import os

from scrapy.settings import default_settings as scrapy_defaults

from archive.heap import DEFAULT_EXTRACT_MEMORY_MB

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
# `scrapy crawl` exits 4 when another crawl holds the archive's lock, like `newsarchive crawl`.
COMMANDS_MODULE = "crawler.crawl"

# --- newsarchive ------------------------------------------------------------------------------
# Where the archive lives (archive.db, warc/, logs/). Env var so cron/scrapyd jobs need no flags.
NEWSARCHIVE_ARCHIVE_DIR = os.environ.get("NEWSARCHIVE_ARCHIVE_DIR", "data")
# Contact URL or address put in the User-Agent, so site operators can reach whoever runs the crawl.
NEWSARCHIVE_CONTACT = os.environ.get("NEWSARCHIVE_CONTACT", "https://github.com/newsarchive/newsarchive")
# Who runs the crawl, written into every warcinfo record ("operator").
NEWSARCHIVE_OPERATOR = os.environ.get("NEWSARCHIVE_OPERATOR", "")
# WARC file prefix and rotation size (1 GB, as Heritrix and browsertrix do).
NEWSARCHIVE_WARC_PREFIX = "newsarchive"
NEWSARCHIVE_WARC_MAX_SIZE = 10**9
# Extraction worker processes; trafilatura costs 30-50 ms CPU a page, so it must not run on the
# reactor thread. 0 = one per core.
NEWSARCHIVE_EXTRACT_WORKERS = 0
# Seconds one page may take in an extraction worker; past it that worker alone is killed and replaced
# (the other pages in flight go on) and the capture is recorded as `extract-timeout`.
NEWSARCHIVE_EXTRACT_TIMEOUT = 120
# MB of data (heap and private mappings) each extraction worker may use; 0 = no cap. A hostile page (a
# megabyte of links: ~500 MB in trafilatura's trees) fails alone as extract-memory instead of taking
# the machine's memory; one process extracting all 602 corpus pages peaks at 80 MB.
NEWSARCHIVE_EXTRACT_MEMORY = DEFAULT_EXTRACT_MEMORY_MB
# Set by `--no-extract`: archive only (WARC + captures); text comes later from `reextract`/`reindex`.
NEWSARCHIVE_EXTRACT = True
# How deep to follow links from a front-page seed (seed = 0, sections = 1, their articles = 2).
NEWSARCHIVE_MAX_DEPTH = 2
# Follow links found on article pages too (off: on a news site they lead into the whole back catalogue).
NEWSARCHIVE_FOLLOW_ARTICLE_LINKS = False
# Only take sitemap/feed entries published or modified on or after this ISO date ("" = all).
NEWSARCHIVE_SITEMAP_SINCE = ""
# Incremental runs: an archived article (or a page settled otherwise: no article text, gone with 404/410,
# redirecting to an archived URL) is fetched again only when its sitemap/feed date is newer than the
# stored capture or a recapture is due. Delays after the first capture (s, m, h, d, w), then never:
# most corrections land within the first day; a week catches late updates. "" = never recapture.
NEWSARCHIVE_RECAPTURE_AFTER = "1h,1d,7d"
# False: fetch every discovered article again, archived or not (a full re-crawl).
NEWSARCHIVE_INCREMENTAL = True
# False for a site whose sitemap/feed dates change without the page changing (some CMSs stamp every
# entry with the generation time): then only the recapture schedule brings archived articles back.
NEWSARCHIVE_TRUST_LASTMOD = True

# Archive what each parsed page embeds (images incl. the largest srcset candidate and lazy-load
# attributes, stylesheets and the fonts/images they load, scripts, icons: spiders/requisites.py), on any
# host, one hop from the page: without them a replay shows unstyled text and broken images. Each is
# fetched once, ever, once it answered 2xx (embeds are versioned by URL). False: pages only.
NEWSARCHIVE_PAGE_REQUISITES = True

# Payloads at least this big (bytes) that are already archived are written as revisit records. 1 KB:
# below that a revisit record (~the same size) saves nothing and tiny bodies collide across URLs.
NEWSARCHIVE_DEDUP_MIN_SIZE = 1024
# Seeds, sitemaps, feeds and the pages they list are recrawled with If-None-Match/If-Modified-Since.
NEWSARCHIVE_CONDITIONAL_REQUESTS = True
# Bodies past this size are kept up to it with WARC-Truncated: length (0 = never cut). 100 MB: ten
# times the largest news page or PDF in our corpus, and a bound on the memory a body takes.
NEWSARCHIVE_MAX_RESPONSE_SIZE = 100_000_000
# Scrapy's own cap would drop the whole download; crawler/truncation.py cuts instead.
DOWNLOAD_MAXSIZE = 0
# A body that inflates past this many bytes (a decompression bomb: a few kB of gzip that decode to
# gigabytes) is archived as it arrived but never decoded or parsed; its capture's reason is
# ``decoded-too-large``. 100 MB: thirty times the largest decoded news page in our corpus.
NEWSARCHIVE_MAX_DECODED_SIZE = 100_000_000
# Bytes of a page the spider parses into a tree (fronts, sections): links past them are not read; the page
# is archived whole (spiders/news.py DEFAULT_MAX_PARSE_SIZE: a 31 MB page of links took the crawl to 545 MB).
NEWSARCHIVE_MAX_PARSE_SIZE = 8 * 1024 * 1024
# A connection that drops mid-body still delivers what arrived (WARC-Truncated: disconnect).
DOWNLOAD_FAIL_ON_DATALOSS = False

# --- politeness (the defaults an archivist's crawler owes the sites it visits) ------------------
ROBOTSTXT_OBEY = True
# Protego over the first 500 KiB (RFC 9309 §2.5): a 73 MB robots.txt held the reactor 6.8 s (crawler/robots.py).
ROBOTSTXT_PARSER = "crawler.robots.BoundedRobotParser"
USER_AGENT = f"newsarchive/0.1 (+{NEWSARCHIVE_CONTACT})"
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 1  # one request at a time per host
# Items handled in parallel per response. A page yields one item; Scrapy 2.19 starts this many asyncio
# tasks for every response whatever it yields, and the default 100 cost ~1 ms of reactor time a page
# (bench/, archive-only crawl). Parallelism across pages comes from the responses, not from this.
CONCURRENT_ITEMS = 8
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
RETRY_TIMES = 2
# warcio cannot decode zstd on read; every replay tool understands these three.
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en",
    "Accept-Encoding": "gzip, deflate, br",
}
COOKIES_ENABLED = False  # archives should not depend on a session; also keeps requests replayable

# --- the archive pipeline ----------------------------------------------------------------------
EXTENSIONS = {
    # Before the archive extension: takes DIR/crawl.lock and opens DIR/logs/<crawl id>.log first.
    "crawler.runstate.RunState": 50,
    "crawler.archiving.ArchiveExtension": 100,
    # Cuts oversize bodies at NEWSARCHIVE_MAX_RESPONSE_SIZE instead of dropping them.
    "crawler.truncation.TruncationExtension": 110,
    # Hands freed heap memory back to the system every second (crawler/memory.py).
    "crawler.memory.ReleaseFreeMemory": 120,
}
# Unattended jobs: no telnet console, no remote-control HTTP server that runs Python. Taken out of
# Scrapy's base list rather than set to None here: Scrapy imports every module named in either list,
# and remote_control imports aiohttp's client and server (+10 MB in the crawl process, never used).
EXTENSIONS_BASE = {
    path: order
    for path, order in scrapy_defaults.EXTENSIONS_BASE.items()
    if path not in ("scrapy.extensions.telnet.TelnetConsole", "scrapy.extensions.remote_control.RemoteControl")
}
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
# Incremental runs: drops requests for archived (settled) URLs that are neither changed nor due.
SPIDER_MIDDLEWARES = {
    "crawler.incremental.RecaptureFilter": 950,
    # Responses wait for their article's extraction: their decoded text is dropped first (memory).
    "crawler.memory.DropDecodedText": 990,
}
DOWNLOADER_MIDDLEWARES = {
    # Scrapy's meta-refresh redirects, without decoding each whole page to read its head (crawler/memory.py).
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.memory.HeadMetaRefresh": 580,
    # After decompression (590) and before the meta-refresh reading (580) on the way back: a page that
    # declares charset=base64 is read in a text encoding (crawler/charsets.py).
    "crawler.charsets.TextCharsetOnly": 585,
    # Closest to the downloader: sees every failed attempt before RetryMiddleware swallows it.
    "crawler.fetcherrors.FetchErrorMiddleware": 990,
    # Before HttpCompressionMiddleware (590) on the way back: a 304 is swapped for the archived body.
    "crawler.conditional.ConditionalRequestMiddleware": 950,
    # Scrapy's own decompression, with large bodies inflated on a thread (crawler/decompression.py).
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawler.decompression.ThreadedHttpCompression": 590,
}
ITEM_PIPELINES = {
    "crawler.pipelines.ArticlePipeline": 300,
}
# Scrapy's own seen-set is per run; run state that must last lives in archive.db (no JOBDIR).
DUPEFILTER_CLASS = "scrapy.dupefilters.RFPDupeFilter"
# Let the HTTP cache never serve a page: an archive records what the network sent.
HTTPCACHE_ENABLED = False
# Keep error responses flowing to the archive; spiders see them too, to record seed failures.
HTTPERROR_ALLOW_ALL = False
# Breadth-first: fronts and feeds before the articles they list, so discovery is done early.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
# Pending requests past NEWSARCHIVE_FRONTIER_MEMORY (a crawl's total) wait on disk (crawler/frontier.py): a
# big site's sitemap index lists millions of URLs, and a JOBDIR would keep its seen-set across runs.
SCHEDULER_MEMORY_QUEUE = "crawler.frontier.SpillingQueue"
NEWSARCHIVE_FRONTIER_MEMORY = 10_000

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
LOG_FORMATTER = "crawler.logformat.QuietLogFormatter"
