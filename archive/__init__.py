"""newsarchive's core: WARC writing and reading, text extraction, the SQLite store.

Nothing here imports Scrapy: the same code serves a live crawl and a rebuild from WARC files.
"""

__version__ = "0.1.0"
