"""The plain-Scrapy references the project is measured against (no newsarchive code at all).

    python bench/refspiders.py fetch SITEMAP_URL            # fetch every sitemap URL, keep nothing
    python bench/refspiders.py extract SITEMAP_URL OUT.jsonl  # trafilatura.extract in the callback

Both use Scrapy's own ``SitemapSpider`` and the concurrency `newsarchive crawl --no-throttle` uses
(32 requests, 16 per host, no delay, no AutoThrottle, robots.txt obeyed), so the only difference is
what happens to each page. The ``extract`` reference is how a Scrapy user would add trafilatura: in
the callback, on the reactor thread, JSON output with metadata, written by Scrapy's feed exporter.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# Run as a script, bench/ comes first on sys.path, where a bench named like a library (bench/incremental.py
# vs Twisted's `incremental`) would shadow it: these references import only installed packages.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import trafilatura  # noqa: E402
from scrapy.crawler import CrawlerProcess  # noqa: E402
from scrapy.spiders import SitemapSpider  # noqa: E402

SETTINGS = {
    "ROBOTSTXT_OBEY": True,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "COOKIES_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
    "FEED_EXPORT_ENCODING": "utf-8",
}


class FetchOnly(SitemapSpider):
    name = "fetch_only"

    def parse(self, response):
        return None


class TrafilaturaJsonl(SitemapSpider):
    name = "trafilatura_jsonl"

    def parse(self, response):
        extracted = trafilatura.extract(response.text, url=response.url, output_format="json", with_metadata=True)
        yield {"url": response.url, "article": json.loads(extracted) if extracted else None}


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("fetch", "extract") or (argv[0] == "extract" and len(argv) < 3):
        print(__doc__, file=sys.stderr)
        return 2
    mode, sitemap = argv[0], argv[1]
    settings = dict(SETTINGS)
    if mode == "extract":
        settings["FEEDS"] = {argv[2]: {"format": "jsonlines", "overwrite": True}}
    process = CrawlerProcess(settings)
    spider = FetchOnly if mode == "fetch" else TrafilaturaJsonl
    process.crawl(spider, sitemap_urls=[sitemap])
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
