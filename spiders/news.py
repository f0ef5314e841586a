"""The generic ``news`` spider: from seed URLs (front pages, sitemaps, feeds) to article pages.

    scrapy crawl news -a seeds=https://example.org/,https://example.org/sitemap.xml
    newsarchive crawl https://example.org/

Discovery: robots.txt ``Sitemap:`` lines, sitemap indexes, (news) sitemaps, RSS/Atom/JSON feeds (also those a
page announces with ``<link rel="alternate">``), and links from front and section pages down to
``NEWSARCHIVE_MAX_DEPTH``. It stays on the seeds' hosts, except for what each parsed page embeds (its
requisites: images, stylesheets and what they load, scripts; archive/requisites.py), taken on any host,
one hop from the page (``NEWSARCHIVE_PAGE_REQUISITES``). A page is an article candidate when its URL
is not a listing/tag/author page and either the page declares itself an article (og:type, JSON-LD)
or its URL has an article shape; the pipeline then keeps it only if enough clean text comes out.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from functools import cached_property
from itertools import islice
from urllib.parse import urljoin, urlsplit, urlunsplit

from courlan import is_navigation_page
from parsel import Selector
from scrapy import Request, Spider, signals
from scrapy.http import Response, TextResponse
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from archive import __version__
from archive.httpbody import decode_content
from archive.pagemeta import page_metadata
from archive.requisites import css_requisites, page_requisites, requisites_of
from crawler.archiving import META_EMBEDDED_BY, META_FETCHED_AT, location_of
from crawler.incremental import META_KIND, REQUISITE_KIND
from crawler.items import ArticlePage, CaptureOutcome
from crawler.robots import MAX_ROBOTS_BYTES, robots_head
from spiders import rawlinks
from spiders.discovery import MalformedDocument, parse_feed, parse_sitemap, robots_sitemaps, sniff_kind
from spiders.urlshapes import (
    ATTACHMENT_EXTENSIONS,
    is_attachment,
    looks_like_article,
    without_tracking,
    worth_following,
)

logger = logging.getLogger(__name__)

# A hostile or huge page must not flood the scheduler: links taken from one page, at most.
MAX_LINKS_PER_PAGE = 2000
MAX_FEED_LINKS_PER_PAGE = 20
# Request priorities: discovery documents first, then listings, then articles, then attachments, then
# page requisites (images, stylesheets, scripts: a crawl's text is archived first), then the back
# catalogue ("backfill", see FRESH_DAYS).
PRIORITY = {"robots": 40, "sitemap": 30, "feed": 30, "listing": 20, "article": 10, "attachment": 0, "requisite": -10,
            "backfill": -20}
# A sitemap entry dated more than FRESH_DAYS ago, or not dated, is the site's back catalogue ("backfill"):
# fetched after the news that feeds, news sitemaps, fresh sitemap entries and front pages lead to, and after
# their attachments and embeds. A first run over a big site's sitemap index (millions of URLs, days at a
# polite pace) would otherwise fetch them in the order the index lists its sitemaps, today's news last.
FRESH_DAYS = 2
# A page the spider parses into a tree (fronts, sections, pages whose URL does not say "article") is read
# to this many bytes (NEWSARCHIVE_MAX_PARSE_SIZE): its lxml tree takes ~15 times its size in the crawl's
# own process (a 31 MB page of links: 545 MB), and a front page is 0.3-3 MB (the corpus's largest: 2.8).
DEFAULT_MAX_PARSE_SIZE = 8 * 1024 * 1024
# Sitemap indexes followed below a seed or robots.txt sitemap: the protocol has none (an index lists
# sitemaps, not indexes), big sites nest a yearly and a monthly index; more is a loop or a trap (a server
# that makes up /sitemap/N+1 for every /sitemap/N). An index this deep is read but not followed.
MAX_SITEMAP_NESTING = 4
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")


def split_seeds(seeds: str | list[str] | None) -> list[str]:
    if not seeds:
        return []
    if isinstance(seeds, str):
        seeds = seeds.replace("\n", ",").split(",")
    return [s.strip() for s in seeds if s and s.strip()]


def maybe_attachment(href: str) -> bool:
    """A cheap first test on a raw href (no URL parsing): could it name an attachment?"""
    return bool(ATTACHMENT_EXTENSIONS.search(href.partition("#")[0].partition("?")[0]))


class LazyPageMeta:
    """``page_metadata(tree, url)``, read on first use: an article-shaped URL decides alone, and reading
    the metadata of every page cost ~1 ms of reactor time a page (bench/, archive-only crawl)."""

    def __init__(self, tree, url: str) -> None:
        self._source = (tree, url)
        self._meta = None

    def __getattr__(self, name: str):
        if self._meta is None:
            self._meta = page_metadata(*self._source)
        return getattr(self._meta, name)


def host_key(url: str) -> str:
    """The host as the crawl compares hosts: lowercase, ASCII (an IDN host in its punycode form, as it is
    requested), without ``www.``."""
    host = (urlsplit(url).hostname or "").lower()
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            pass  # not a valid IDN: compared as written (and never equal to a seed's ASCII host)
    return host.removeprefix("www.")


class NewsSpider(Spider):
    name = "news"

    def __init__(self, seeds: str | list[str] | None = None, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.seeds = split_seeds(seeds) or list(getattr(self, "default_seeds", []))
        if not self.seeds:
            raise ValueError("the news spider needs seeds: -a seeds=https://example.org/,https://example.org/feed")
        self.hosts = {host_key(s) for s in self.seeds}
        self.failed_seeds: dict[str, str] = {}
        self.fetched_seeds: set[str] = set()
        self.robots_read: set[str] = set()  # origins whose robots.txt Sitemap: lines were taken

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        # Scrapy's RobotsTxtMiddleware fetches each robots.txt once (and our WARC extension archives
        # it); its Sitemap: lines are taken from that same response instead of fetching it twice.
        crawler.signals.connect(spider.robots_downloaded, signal=signals.response_downloaded)
        return spider

    @classmethod
    def update_settings(cls, settings) -> None:
        super().update_settings(settings)
        # The User-Agent names whom to contact: rebuilt from NEWSARCHIVE_CONTACT (which may come from
        # -s or the environment) unless USER_AGENT itself was set by the user.
        if (settings.getpriority("USER_AGENT") or 0) <= SETTINGS_PRIORITIES["project"]:
            contact = settings.get("NEWSARCHIVE_CONTACT")
            settings.set("USER_AGENT", f"newsarchive/{__version__} (+{contact})", priority="spider")

    # -- settings ----------------------------------------------------------------------------------
    @property
    def max_depth(self) -> int:
        return self.settings.getint("NEWSARCHIVE_MAX_DEPTH", 2)

    @property
    def follow_article_links(self) -> bool:
        return self.settings.getbool("NEWSARCHIVE_FOLLOW_ARTICLE_LINKS", False)

    @property
    def max_parse_size(self) -> int:
        return self.settings.getint("NEWSARCHIVE_MAX_PARSE_SIZE", DEFAULT_MAX_PARSE_SIZE)

    @property
    def page_requisites(self) -> bool:
        return self.settings.getbool("NEWSARCHIVE_PAGE_REQUISITES", True)

    @property
    def since(self) -> str:
        return self.settings.get("NEWSARCHIVE_SITEMAP_SINCE") or ""

    # -- start -------------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Request]:
        robots_done = set()
        obeying = self.settings.getbool("ROBOTSTXT_OBEY")
        for seed in self.seeds:
            parts = urlsplit(seed)
            origin = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
            if not obeying and origin not in robots_done:
                # Not obeying robots.txt: nobody else fetches it, but its sitemaps are still wanted.
                robots_done.add(origin)
                yield Request(
                    origin + "/robots.txt",
                    callback=self.parse_robots,
                    errback=self.ignore_failure,
                    priority=PRIORITY["robots"],
                    meta={"discovered_via": "robots", "dont_obey_robotstxt": True, META_KIND: "robots"},
                )
            yield Request(
                seed,
                callback=self.parse_seed,
                errback=self.seed_failed,
                priority=PRIORITY["sitemap"],
                meta={"seed": seed, "link_depth": 0, "discovered_via": "seed"},
            )

    # -- callbacks ---------------------------------------------------------------------------------
    def robots_downloaded(self, response: Response, request: Request) -> None:
        if urlsplit(response.url).path != "/robots.txt" or not self.on_site(response.url):
            return
        for sitemap_request in self.parse_robots(response):
            self.crawler.engine.crawl(sitemap_request)

    def parse_robots(self, response: Response) -> Iterator:
        origin = urlunsplit(urlsplit(response.url)[:2] + ("", "", ""))
        if response.status != 200 or origin in self.robots_read:
            return
        self.robots_read.add(origin)
        # At response_downloaded the body is still as sent (maybe gzip): decode it here.
        encoding = response.headers.get("Content-Encoding", b"").decode("latin-1") or None
        body = decode_content(response.body, encoding, MAX_ROBOTS_BYTES + 1)
        if len(body) > MAX_ROBOTS_BYTES:
            logger.warning("robots.txt %s is over %d bytes: the first read (RFC 9309)", response.url, MAX_ROBOTS_BYTES)
        for url in robots_sitemaps(robots_head(body)):
            if self.on_site(url):
                request = self.discovery_request(url, "robots")
                # A sitemap robots.txt itself announces is an invitation, even when a broad rule
                # (Pangea's "Disallow: /s" for search) happens to match its path.
                request.meta["dont_obey_robotstxt"] = True
                yield request

    def parse_seed(self, response: Response) -> Iterator:
        self.fetched_seeds.add(response.meta["seed"])
        yield from self.parse_any(response)

    def parse_any(self, response: Response) -> Iterator:
        """Route a response by what it is, not by what we expected it to be."""
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        kind = sniff_kind(response.body, content_type)
        if kind == "sitemap":
            yield from self.parse_sitemap(response)
        elif kind == "feed":
            yield from self.parse_feed(response)
        elif kind == "html" and isinstance(response, TextResponse):
            yield from self.parse_html(response)
        else:
            yield from self.outcome(response, "not-html")

    def parse_sitemap(self, response: Response) -> Iterator:
        try:
            listing = parse_sitemap(response.body)
        except MalformedDocument as exc:
            logger.warning("unreadable sitemap %s: %s", response.url, exc)
            yield from self.outcome(response, exc.reason)
            return
        if listing.warning:
            logger.warning("broken sitemap %s (read what could be read): %s", response.url, listing.warning)
        nesting = response.meta.get("sitemap_nesting", 0)
        too_deep = listing.kind == "sitemapindex" and nesting >= MAX_SITEMAP_NESTING
        if too_deep:
            logger.warning("sitemap index %s not followed: nested %d indexes deep", response.url, nesting)
        reason = "malformed-xml" if listing.warning else "sitemaps-nested-too-deep" if too_deep else listing.kind
        yield from self.outcome(response, self.capped(response, listing, reason))
        if too_deep:
            return
        for entry in listing.entries:
            if self.closing():
                return
            url = without_tracking(urljoin(response.url, entry.url))
            if not self.on_site(url) or not self.recent(entry.lastmod or entry.published):
                continue
            if listing.kind == "sitemapindex":
                yield self.discovery_request(url, "sitemap", nesting + 1)
            else:
                yield self.page_request(url, "sitemap", entry, listed_in=response.url)

    def parse_feed(self, response: Response) -> Iterator:
        try:
            content_type = response.headers.get("Content-Type", b"").decode("latin-1") or None
            listing = parse_feed(response.body, response.url, content_type)
        except MalformedDocument as exc:
            logger.warning("unreadable feed %s: %s", response.url, exc)
            yield from self.outcome(response, exc.reason)
            return
        yield from self.outcome(response, self.capped(response, listing, "malformed-feed" if listing.warning else "feed"))
        for entry in listing.entries:
            if self.closing():
                return
            url = without_tracking(urljoin(response.url, entry.url))
            if self.on_site(url) and self.recent(entry.lastmod or entry.published):
                yield self.page_request(url, "feed", entry, listed_in=response.url)

    def capped(self, response: Response, listing, reason: str) -> str:
        """``too-many-entries`` for a sitemap or feed that listed more than its first ones, read."""
        if not listing.capped:
            return reason
        logger.warning("%s %s lists more than %d entries: the first ones read", listing.kind, response.url,
                       len(listing.entries))
        return "too-many-entries"

    def parse_html(self, response: TextResponse) -> Iterator:
        depth = response.meta.get("link_depth", self.max_depth)
        is_seed_front = "seed" in response.meta and urlsplit(response.url).path in ("", "/")
        if not is_seed_front and not self.follow_article_links and looks_like_article(response.url):
            # An article by its URL, whatever it declares: only its feed and attachment links (and its
            # embeds) are wanted, and a tag scan finds them without building the page's tree
            # (spiders/rawlinks.py; with requisites off, the scan that reads links only).
            if self.page_requisites:
                page = rawlinks.scan_page(response.body, response.encoding)
                alternates, hrefs = page.alternates, page.hrefs
            else:
                alternates, hrefs = rawlinks.scan(response.body, response.encoding)
            yield from self.article_or_outcome(response, True)
            yield from self.feed_requests(response, rawlinks.iter_feed_links(alternates, FEED_TYPES))
            yield from self.attachments(response, hrefs)
            if self.page_requisites:  # the same rules as page_requisites' on a tree (tests/test_rawlinks.py)
                found = requisites_of(page.elements, page.style_attributes, page.base_href, response.url)
                yield from self.requisite_requests(response, found)
            return
        # A tree of our own rather than ``response.selector``: Scrapy's Selector and its response refer
        # to each other, so each parsed page (MBs of lxml tree) lived until a full gc pass, and 60 of them
        # at once took an archive-only crawl to 400 MB (bench/). This one is freed with the callback.
        tree = Selector(text=self.parse_text(response), type="html", base_url=response.url).root
        meta = LazyPageMeta(tree, response.url)
        article = not is_seed_front and self.is_article(response.url, meta)
        yield from self.article_or_outcome(response, article)
        if self.page_requisites:
            yield from self.requisites(response, tree)
        # Feeds the page announces.
        feed_links = (
            link.attrib.get("href")
            for link in tree.xpath("//link[@rel='alternate']")
            if (link.attrib.get("type") or "").lower() in FEED_TYPES
        )
        yield from self.feed_requests(response, feed_links)
        if article and not self.follow_article_links:
            yield from self.attachments(response, tree.xpath("//a/@href"))
            return
        if depth >= self.max_depth:
            return
        for url in self.links(response, tree.xpath("//a/@href")):
            if self.closing():
                return
            if looks_like_article(url) or is_attachment(url):
                yield self.page_request(url, "link", None, depth=depth + 1)
            else:
                yield Request(
                    url,
                    callback=self.parse_any,
                    priority=PRIORITY["listing"],
                    meta={"link_depth": depth + 1, "discovered_via": "link", META_KIND: "listing"},
                )

    def article_or_outcome(self, response: TextResponse, article: bool) -> Iterator:
        location = location_of(response)
        if article and location is not None:
            yield ArticlePage(
                url=response.url,
                body=response.body,
                content_type=response.headers.get("Content-Type", b"").decode("latin-1") or None,
                status=response.status,
                location=location,
                fetched_at=response.meta.get(META_FETCHED_AT, ""),
                discovered_via=response.meta.get("discovered_via"),
                hints=response.meta.get("hints", {}),
            )
        else:
            yield from self.outcome(response, "listing")

    def requisites(self, response: TextResponse, tree) -> Iterator[Request]:
        """What the page embeds (archive/requisites.py), on any host: one hop from the page."""
        yield from self.requisite_requests(response, page_requisites(tree, response.url))

    def requisite_requests(self, response: TextResponse, found: list[tuple[str, bool]]) -> Iterator[Request]:
        for url, stylesheet in found:
            yield self.requisite_request(url, response.url, hop=1, stylesheet=stylesheet)

    def parse_requisite(self, response: Response) -> Iterator[Request]:
        """A requisite is archived as it arrived (crawler/archiving.py records it); a stylesheet the page
        embeds is read for its fonts, images and imports: one more hop, no further."""
        meta = response.meta
        content_type = response.headers.get("Content-Type", b"").decode("latin-1").lower()
        if meta.get("requisite_hop", 1) > 1 or not (meta.get("requisite_stylesheet") or "css" in content_type):
            return
        text = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
        for url in css_requisites(text, response.url):
            yield self.requisite_request(url, response.url, hop=2)

    def requisite_request(self, url: str, embedded_by: str, hop: int, stylesheet: bool = False) -> Request:
        return Request(
            url,
            callback=self.parse_requisite,
            errback=self.ignore_failure,
            priority=PRIORITY[REQUISITE_KIND],
            meta={
                META_KIND: REQUISITE_KIND,  # crawler/incremental.py: fetched once, ever, when it answers 2xx
                META_EMBEDDED_BY: embedded_by,  # captures.embedded_by
                "discovered_via": REQUISITE_KIND,
                "requisite_hop": hop,
                "requisite_stylesheet": stylesheet,
            },
        )

    def feed_requests(self, response: TextResponse, hrefs: Iterable[str | None]) -> Iterator[Request]:
        for href in islice((h for h in hrefs if h), MAX_FEED_LINKS_PER_PAGE):
            url = response.urljoin(href)
            if self.on_site(url):
                yield self.discovery_request(url, "feed")

    # -- decisions ---------------------------------------------------------------------------------
    def is_article(self, url: str, meta) -> bool:
        if looks_like_article(url):  # whatever the page declares (so its metadata is not even read)
            return True
        if meta.declares_non_article or is_navigation_page(url):
            return False
        return meta.declares_article

    def parse_text(self, response: TextResponse) -> str:
        """The page's text for the spider's tree: its first ``NEWSARCHIVE_MAX_PARSE_SIZE`` bytes when it is
        larger (its WARC record and any extraction keep it whole)."""
        limit = self.max_parse_size
        if not limit or len(response.body) <= limit:
            return response.text
        logger.warning("%s is %.1f MB: its links are read from its first %.1f MB", response.url,
                       len(response.body) / 2**20, limit / 2**20)
        return response.body[:limit].decode(response.encoding, "replace")

    def closing(self) -> bool:
        """The crawl is stopping (SIGINT/SIGTERM, --max-pages, an archive write error): a request yielded
        now would never be sent, and going through a sitemap's 50,000 entries takes seconds, so a stop
        waited minutes for the sitemaps already downloaded (a service manager kills a stop that slow)."""
        crawler = self.crawler
        engine = crawler.engine
        if not crawler.crawling or engine is None or not engine.running:
            return True
        slot = getattr(engine, "_slot", None)  # Scrapy says "closing" only there (and in needs_backout)
        return slot is None or slot.closing is not None

    def on_site(self, url: str) -> bool:
        return host_key(url) in self.hosts and urlsplit(url).scheme in ("http", "https")

    def fresh(self, entry) -> bool:
        """Listed with a date (its own publication date, else lastmod) of the last ``FRESH_DAYS`` days."""
        date = entry.published or entry.lastmod if entry is not None else None
        return bool(date) and date[:10] >= self.fresh_since

    @cached_property
    def fresh_since(self) -> str:
        return (datetime.now(UTC) - timedelta(days=FRESH_DAYS)).date().isoformat()

    def recent(self, date: str | None) -> bool:
        return not self.since or not date or date[:10] >= self.since[:10]

    # -- helpers -----------------------------------------------------------------------------------
    def links(
        self, response: TextResponse, hrefs: Iterable[str], keep: Callable[[str], bool] | None = None
    ) -> list[str]:
        """Same-site links worth following; ``keep`` tests each raw href before it is resolved."""
        seen: dict[str, None] = {}
        # lxml's strings, not one parsel Selector per link: a news page has hundreds of links (bench/).
        for href in islice(hrefs, MAX_LINKS_PER_PAGE * 2):
            if keep is not None and not keep(href.strip()):
                continue
            url = without_tracking(response.urljoin(href.strip()))
            if url and url not in seen and self.on_site(url) and worth_following(url):
                seen[url] = None
            if len(seen) >= MAX_LINKS_PER_PAGE:
                break
        return list(seen)

    def attachments(self, response: TextResponse, hrefs: Iterable[str]) -> Iterator[Request]:
        # Raw hrefs are tested first: resolving every link of every article page just to find the few
        # attachments took more time than the rest of the spider together (bench/, archive-only crawl).
        for url in self.links(response, hrefs, keep=maybe_attachment):
            if is_attachment(url):
                yield self.page_request(url, "attachment", None)

    def discovery_request(self, url: str, via: str, nesting: int = 0) -> Request:
        kind = "feed" if via == "feed" else "sitemap"
        meta = {"discovered_via": via, META_KIND: kind}
        if nesting:
            meta["sitemap_nesting"] = nesting  # sitemap indexes above it (MAX_SITEMAP_NESTING)
        return Request(url, callback=self.parse_any, priority=PRIORITY[kind], meta=meta)

    def page_request(
        self, url: str, via: str, entry, depth: int | None = None, listed_in: str | None = None
    ) -> Request:
        hints = {}
        if entry is not None:
            hints = {
                k: v
                for k, v in (
                    ("listed_in", listed_in),
                    ("title", entry.title),
                    ("published", entry.published),
                    ("language", entry.language),
                    ("lastmod", entry.lastmod),
                )
                if v
            }
        kind = "attachment" if is_attachment(url) else "article"
        priority = PRIORITY[kind]
        if kind == "article" and via == "sitemap" and not self.fresh(entry):
            priority = PRIORITY["backfill"]
        return Request(
            url,
            callback=self.parse_any,
            priority=priority,
            meta={
                "discovered_via": via,
                "hints": hints,
                "link_depth": self.max_depth if depth is None else depth,
                META_KIND: kind,  # crawler/incremental.py: a 404/410 answer settles a page, not a listing
            },
        )

    def outcome(self, response: Response, reason: str) -> list[CaptureOutcome]:
        """Say what became of a fetch (an empty list when the response was not captured)."""
        location = location_of(response)
        return [CaptureOutcome(location=location, reason=reason)] if location is not None else []

    # -- errors ------------------------------------------------------------------------------------
    def seed_failed(self, failure: Failure) -> None:
        request = failure.request
        seed = request.meta.get("seed", request.url)
        if failure.check(HttpError):
            status = failure.value.response.status
            if status == 304:  # not modified since the archived copy (crawler/conditional.py): fetched
                self.fetched_seeds.add(seed)
                logger.info("seed %s not modified since the last capture", seed)
                return
            reason = f"HTTP {status}"
        else:
            reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        self.failed_seeds[seed] = reason
        logger.error("seed %s could not be fetched: %s", seed, reason)

    def ignore_failure(self, failure: Failure) -> None:
        logger.debug("discovery request failed: %s", failure.getErrorMessage())
