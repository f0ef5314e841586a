"""Tell article URLs from section, tag, author and utility URLs by their shape.

URL shape is only the first half of the decision; the page's own declarations (og:type, JSON-LD) and
the length of its extracted text make the other half (see ``spiders.news``).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from courlan import is_navigation_page, is_not_crawlable
from w3lib.url import url_query_cleaner

# Article URL shapes seen across the AEB/NAEB corpora (../shared/corpus) and common news CMSs.
ARTICLE_URL_PATTERNS = [
    re.compile(p)
    for p in (
        r"/(?:19|20)\d{2}/[01]?\d/[0-3]?\d/",  # /2026/11/27/slug  (WordPress, most newspapers)
        r"/(?:19|20)\d{2}[-/][01]\d[-/][0-3]\d[-/]",  # /2026-11-27- or /2026/11/27-
        r"/a/[^/]+/\d{5,}\.html$",  # Pangea CMS (rferl.org, polygraph.info, voanews.com)
        r"/a/\d{5,}\.html$",  # Pangea short form
        r"[-_/](?:a|n|id)?\d{6,}(?:\.s?html?|/)?$",  # ends with a long numeric id
        r"/[^/]*\d{5,}[^/]*\.s?html?$",  # a long id inside an .html name
        r"/[a-z0-9]+(?:-[a-z0-9]+){4,}(?:\.s?html?|/)?$",  # a slug of five words or more
        r"/(?:article|articles|story|stories)/[^/]+",
    )
]
# Path segments that mark listing, profile and utility pages even when courlan lets them through.
NON_ARTICLE_SEGMENTS = re.compile(
    r"/(?:tag|tags|topic|topics|author|authors|byline|category|categories|section|sections|page|search|"
    r"about|contact|subscribe|newsletter|newsletters|login|account|privacy|terms|cookies|feed|rss|api|"
    r"video|videos|gallery|galleries|podcast|podcasts|live|programs?|z|p)(?:/|$)",
    re.I,
)
# Documents a news article links to as part of its content (reports, court filings): archived, never
# extracted as articles.
# Linked (not embedded) images count too: "see the photo" links are part of the story.
ATTACHMENT_EXTENSIONS = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|odt|csv|jpe?g|png|gif|webp)$", re.I)
MEDIA_EXTENSIONS = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|ico|bmp|tiff?|mp3|mp4|m4a|webm|avi|mov|wav|ogg|pdf|zip|gz|tgz|rar|7z|"
    r"exe|dmg|iso|docx?|xlsx?|pptx?|css|js|json|woff2?|ttf|eot)$",
    re.I,
)
# Query parameters that say who sent the reader (a campaign, an ad click, a newsletter, a share button),
# never which page: feeds and newsletters add them (`?utm_source=rss`), so without them one article
# reached from a feed and from a front page would be fetched, archived and stored twice. Exact names
# (and the `utm_` family) only: courlan's tracker pattern also takes parameters such as `gallery` or
# `source`, which some sites use to choose a page.
TRACKING_PARAMETER = re.compile(
    r"utm_\w+|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|yclid|twclid|igshid|mc_cid|mc_eid|_ga|_gl|"
    r"mkt_tok|xtor|at_medium|at_campaign|smid|ocid",
    re.I,
)


def without_tracking(url: str) -> str:
    """``url`` without tracking query parameters (``TRACKING_PARAMETER``) and without its fragment
    (never sent to the server); the other parameters stay as written, in their order."""
    url = url.split("#", 1)[0]
    if "?" not in url:
        return url
    query = urlsplit(url).query
    names = {pair.split("=", 1)[0] for pair in query.split("&")}
    tracking = [name for name in names if TRACKING_PARAMETER.fullmatch(name)]
    if not tracking:
        return url
    return url_query_cleaner(url, tracking, remove=True, unique=False, keep_fragments=False)


def looks_like_article(url: str) -> bool:
    path = urlsplit(url).path
    if not path or path == "/" or MEDIA_EXTENSIONS.search(path):
        return False
    if is_navigation_page(url) or NON_ARTICLE_SEGMENTS.search(path):
        return False
    return any(p.search(path) for p in ARTICLE_URL_PATTERNS)


def worth_following(url: str) -> bool:
    """A same-site link worth fetching at all: not a login page, a share link, a reply-to-comment or
    print version, or a media file other than an attachment (see ``is_attachment``). Tracking
    parameters are no reason to skip a link: the spider drops them (``without_tracking``)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    if (MEDIA_EXTENSIONS.search(parts.path) and not is_attachment(url)) or is_not_crawlable(url):
        return False
    return not re.search(r"(?:^|&)(?:share|replytocom|print)=", parts.query)


def is_attachment(url: str) -> bool:
    return bool(ATTACHMENT_EXTENSIONS.search(urlsplit(url).path))
