"""RFE/RL (rferl.org) site profile: the Pangea CMS.

Pangea article URLs are ``/a/<slug>/<id>.html`` (or ``/a/<id>.html``); feeds live under ``/api/``;
``/sitemap.xml`` is a sitemap index. Sections are ``/z/<id>``, programmes ``/p/<id>``. Text cleaning
for Pangea pages (skip list, "Breaking News" bar, repeated caption, legal notice) is the ``rferl``
extraction profile's job (archive/profiles.py); this spider only knows where articles are.

    newsarchive crawl --spider rferl https://www.rferl.org/
    scrapy crawl rferl                     # the default seeds below
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from spiders.news import NewsSpider

PANGEA_ARTICLE_RE = re.compile(r"^/a/(?:[^/]+/)?\d{5,}\.html$")
# Pangea's listing pages: sections (/z/), programmes (/p/), authors (/author/), search (/s).
PANGEA_LISTING_RE = re.compile(r"^/(?:z|p|author|s|search)(?:/|$)")


class RferlSpider(NewsSpider):
    name = "rferl"
    default_seeds = [
        "https://www.rferl.org/",
        "https://www.rferl.org/api/",
        "https://www.rferl.org/sitemap.xml",
    ]

    def is_article(self, url: str, meta) -> bool:
        # On a Pangea site the URL says it all: only /a/ pages are articles, whatever og:type says.
        return bool(PANGEA_ARTICLE_RE.match(urlsplit(url).path))
