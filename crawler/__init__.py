"""Scrapy glue: settings, the WARC-capturing extension, the extraction pipeline, the `newsarchive` command."""
