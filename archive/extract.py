"""Clean article text and metadata from one HTML page (trafilatura plus what the page declares).

Pure and picklable: the crawler calls :func:`extract_article` in worker processes, ``reindex`` and
``reextract`` call it on bodies read back from WARC records. Same input, same output.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field

import trafilatura
from lxml import html as lxml_html
from trafilatura.utils import load_html

from archive.httpbody import to_text
from archive.pagemeta import PageMeta, normalize_language, page_metadata

# Bump when extraction output changes, so `reextract` knows which rows are stale.
EXTRACTOR_VERSION = f"1+trafilatura-{trafilatura.__version__}"

# A page whose clean text is shorter than this is not stored as an article (reason "no-article-text").
# 40 words keeps the shortest real briefs in the NAEB corpus (the smallest ground-truth body there
# has 53 words) while section fronts and video pages, whose extracted text is a few teaser lines, fall below.
MIN_ARTICLE_WORDS = 40

_WORD_RE = re.compile(r"\w+")
_CAPTION_XPATH = (
    "//figure//figcaption | //*[contains(concat(' ', normalize-space(@class), ' '), ' caption ')]"
    " | //*[@itemprop='caption'] | //*[contains(@class, 'wp-caption-text')]"
)


@dataclass
class Article:
    """What a researcher gets for one article page."""

    url: str
    title: str | None
    text: str
    word_count: int
    canonical_url: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    description: str | None = None
    site_name: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    image_caption: str | None = None
    page_type: str | None = None
    declares_article: bool = False
    extractor_version: str = EXTRACTOR_VERSION

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Hints:
    """What discovery already knew (news sitemap, feed entry): fills fields the page lacks."""

    title: str | None = None
    published: str | None = None
    language: str | None = None

    @classmethod
    def from_listing(cls, listing: dict) -> Hints:
        return cls(title=listing.get("title"), published=listing.get("published"), language=listing.get("language"))


def count_words(text: str) -> int:
    return len(_WORD_RE.findall(text))


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def parse_html(body: bytes | str, content_type: str | None = None) -> lxml_html.HtmlElement | None:
    """Decode (best effort) and parse; ``None`` for bodies that are not HTML at all."""
    text = to_text(body, content_type)[0] if isinstance(body, bytes) else body
    if not text.strip():
        return None
    return load_html(text)


def lead_image_caption(tree, meta: PageMeta) -> str | None:
    """The caption of the lead image: a ``figcaption``/``.caption`` near the declared og:image, else
    the first caption in the page's article container."""
    image_key = None
    if meta.image:
        image_key = re.sub(r"_w\d+.*$|\.[a-z]{3,4}$", "", meta.image.rsplit("/", 1)[-1])[:24]
    first = None
    for node in tree.xpath(_CAPTION_XPATH):
        caption = " ".join(node.text_content().split())
        if not caption or len(caption) > 600:
            continue
        if first is None:
            first = caption
        if image_key:
            container = node.getparent()
            for _ in range(3):
                if container is None:
                    break
                if any(image_key in (src or "") for src in container.xpath(".//img/@src | .//img/@data-src")):
                    return caption
                container = container.getparent()
    return first


def _drop_lines(text: str, unwanted: set[str]) -> str:
    return "\n".join(line for line in text.split("\n") if _norm(line) not in unwanted)


def extract_article(
    body: bytes | str, url: str, content_type: str | None = None, hints: Hints | None = None
) -> Article | None:
    """Extract one page. ``None`` when the page has no HTML tree or trafilatura finds no main text."""
    tree = parse_html(body, content_type)
    if tree is None:
        return None
    meta = page_metadata(tree, url)
    caption = lead_image_caption(tree, meta)
    document = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, include_comments=False, include_tables=True
    )
    if document is None or not (document.text or "").strip():
        return None
    hints = hints or Hints()
    title = meta.title or document.title or hints.title
    text = document.text.strip()
    # The headline and the caption are fields of their own, not body text.
    unwanted = {_norm(t) for t in (title, document.title, caption) if t}
    text = _drop_lines(text, unwanted).strip()
    authors = meta.authors or [a.strip() for a in (document.author or "").split(";") if a.strip()]
    tags = list(dict.fromkeys(meta.tags + list(document.tags or []) + list(document.categories or [])))
    return Article(
        url=url,
        title=title,
        text=text,
        word_count=count_words(text),
        canonical_url=meta.canonical_url,
        authors=authors,
        published=meta.published or document.date or hints.published,
        modified=meta.modified,
        language=meta.language or normalize_language(document.language) or normalize_language(hints.language),
        description=meta.description or document.description,
        site_name=meta.site_name or document.sitename,
        section=meta.section,
        tags=[t for t in tags if t and t != (meta.site_name or document.sitename)],
        image=meta.image or document.image,
        image_caption=caption,
        page_type=document.pagetype,
        declares_article=meta.declares_article,
    )
