"""Tell article URLs from section, tag, author and utility URLs by their shape.

URL shape is only the first half of the decision; the page's own declarations (og:type, JSON-LD) and
the length of its extracted text make the other half (see ``spiders.news``).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from courlan import is_navigation_page, is_not_crawlable

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


def looks_like_article(url: str) -> bool:
    path = urlsplit(url).path
    if not path or path == "/" or MEDIA_EXTENSIONS.search(path):
        return False
    if is_navigation_page(url) or NON_ARTICLE_SEGMENTS.search(path):
        return False
    return any(p.search(path) for p in ARTICLE_URL_PATTERNS)


def worth_following(url: str) -> bool:
    """A same-site link worth fetching at all: not a login page, a share link, or a media file other
    than an attachment (see ``is_attachment``)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    if (MEDIA_EXTENSIONS.search(parts.path) and not is_attachment(url)) or is_not_crawlable(url):
        return False
    return not re.search(r"(?:^|&)(?:share|utm_[a-z]+|replytocom|print)=", parts.query)


def is_attachment(url: str) -> bool:
    return bool(ATTACHMENT_EXTENSIONS.search(urlsplit(url).path))
