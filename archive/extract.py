"""Clean article text and metadata from one HTML page (trafilatura plus what the page declares).

Pure and picklable: the crawler calls :func:`extract_article` in worker processes, ``reindex`` and
``reextract`` call it on bodies read back from WARC records. Same input, same output.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field, replace

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.metadata import extract_metadata
from trafilatura.xml import xmltotxt

from archive import pagetree, stoplists
from archive.boilerplate import MAX_LEARNED_WORDS, block_key, clean_blocks, normalize_block
from archive.bylines import author_names
from archive.dates import iso_date
from archive.headline import headline, site_names
from archive.httpbody import to_text
from archive.pagemeta import PageMeta, normalize_language, page_metadata
from archive.profiles import SiteProfile, profile_for
from archive.scripts import UNSPACED

# Bump when extraction output changes, so `reextract` knows which rows are stale.
# 2: trafilatura's fast path, site profiles, generic and site-learned boilerplate blocks dropped.
# 3: boilerplate containers pruned by class/id word, more generic patterns, closing credits, the declared
#    articleBody when extraction found another block.
# 4: more link-list labels ("You might like", "Trending this week") and furniture ("Newsletter", "Stay
#    connected", "Terms of Use and Privacy Policy"); site learning's threshold capped at 50 pages.
# 5: ``language`` identified from the text (archive/language.py), the declaration in ``declared_language``;
#    ``published`` and ``modified`` as ISO 8601 whatever shape the page declared (archive/dates.py);
#    ``title`` unescaped, without the site's name, whole when the declared one was cut (archive/headline.py);
#    ``authors`` names only (archive/bylines.py).
# 6: ``word_count`` counts each character of Chinese, Japanese, Thai, Lao, Khmer and Burmese text (a short
#    Chinese story was under MIN_ARTICLE_WORDS); pages nested past 255 elements read whole (huge_tree).
EXTRACTOR_VERSION = f"6+trafilatura-{trafilatura.__version__}"

# A page whose clean text is shorter than this is not stored as an article (reason "no-article-text").
# 40 words keeps the shortest real briefs in the NAEB corpus (the smallest ground-truth body there
# has 53 words) while section fronts and video pages, whose extracted text is a few teaser lines, fall below.
MIN_ARTICLE_WORDS = 40

# Words, for word_count and MIN_ARTICLE_WORDS: runs of \w, except in the scripts written without spaces
# between words (Thai, Lao, Myanmar, Khmer, Hiragana, Katakana, Han), where each character counts, as
# the length of Chinese and Japanese text is given in characters. A run of \w there is a whole clause:
# a 211-character Chinese story counted 14 "words" and was no article.
_WORD_RE = re.compile(f"[{UNSPACED}]|[^\\W{UNSPACED}]+")  # archive/scripts.py
# Captions: figcaption, the "caption" class token, schema.org caption, WordPress's, and the Daily Mail's
# "imageCaption"/"image-caption" paragraphs (as fields: NAEB F1 +0.0007, precision +0.002; AEB unchanged).
# One walk over the page (a union of one path per kind walked it five times: 1.2 ms a page, this 0.6).
_CAPTION_XPATH = (
    "//*[self::figcaption[ancestor::figure] or @itemprop='caption' or (contains(@class, 'aption') and ("
    "contains(concat(' ', normalize-space(@class), ' '), ' caption ') or contains(@class, 'wp-caption-text')"
    " or ((self::p or self::span or self::div) and (contains(@class, 'imageCaption') or contains(@class, 'image-caption')))))]"
)
_CAPTIONS = etree.XPath(_CAPTION_XPATH)

# Before any page: else trafilatura keeps a tuple of every justext stopword (archive/stoplists.py).
stoplists.release()


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
    # Keys (archive.boilerplate.block_key) of every block extraction found, before site-learned
    # boilerplate was dropped: what the main process counts to learn the site's boilerplate.
    blocks: list[str] = field(default_factory=list)
    # Which profile's rules applied (``default`` when none).
    profile: str = "default"

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


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def well_formed(article: Article) -> Article:
    """The article with no lone surrogate in its strings: JSON-LD may escape one (``"headline": "\\ud800"``),
    and such a string cannot be encoded to UTF-8, so SQLite refused the row and the crawl logged a
    traceback. Each becomes U+FFFD, as a bad byte does in decoding."""
    changes = {}
    for name, value in article.as_dict().items():
        if isinstance(value, str) and _SURROGATE_RE.search(value):
            changes[name] = _SURROGATE_RE.sub("\ufffd", value)
        elif isinstance(value, list) and any(isinstance(v, str) and _SURROGATE_RE.search(v) for v in value):
            changes[name] = [_SURROGATE_RE.sub("\ufffd", v) if isinstance(v, str) else v for v in value]
    return replace(article, **changes) if changes else article


def count_words(text: str) -> int:
    return len(_WORD_RE.findall(text))


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


# Character references to characters XML does not allow (C0 controls but tab and line ends, U+FFFE,
# U+FFFF): lxml's HTML parser puts them in the tree as they are, and trafilatura, which copies the text
# into XML elements, then discards the whole page ("All strings must be XML compatible"): one "&#x1;" in
# a story lost its text. They are dropped, as pagetree drops the raw characters.
_XML_INVALID_REF_RE = re.compile(
    r"&#(?:[xX]0*(?:[1-8bBcCeEfF]|1[0-9a-fA-F]|[fF]{3}[eEfF])(?![0-9a-fA-F])"
    r"|0*(?:[1-8]|1[124-9]|2[0-9]|3[01]|6553[45])(?![0-9]));?"
)


def parse_html(body: bytes | str, content_type: str | None = None) -> lxml_html.HtmlElement | None:
    """Decode (best effort) and parse; ``None`` for bodies that are not HTML at all."""
    text = to_text(body, content_type)[0] if isinstance(body, bytes) else body
    if not text or text.isspace():  # not text.strip(): that copies the page when it ends with a newline
        return None
    if _XML_INVALID_REF_RE.search(text):  # rare: the page is copied only then
        text = _XML_INVALID_REF_RE.sub("", text)
    return pagetree.parse(text)  # trafilatura's load_html, without its copies of the page


def lead_image_caption(tree, meta: PageMeta, nodes: list | None = None) -> str | None:
    """The caption of the lead image: a ``figcaption``/``.caption`` near the declared og:image, else
    the first caption in the page's article container."""
    image_key = None
    if meta.image:
        image_key = re.sub(r"_w\d+.*$|\.[a-z]{3,4}$", "", meta.image.rsplit("/", 1)[-1])[:24]
    first = None
    for node in _CAPTIONS(tree) if nodes is None else nodes:
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


def without_blocks(article: Article, keys: frozenset[str] | set[str]) -> Article:
    """The article with the text lines whose block key is in ``keys`` dropped (what extraction with
    those keys as ``boilerplate`` would have given)."""
    lines = [line for line in article.text.split("\n") if block_key(line) not in keys]
    text = "\n".join(lines).strip()
    return replace(article, text=text, word_count=count_words(text))


def _first_text(tree, xpath: str | None) -> str | None:
    if not xpath:
        return None
    for value in tree.xpath(xpath):
        text = value if isinstance(value, str) else value.text_content()
        text = " ".join(str(text).split())
        if text:
            return text
    return None


def _body_lines(document) -> list[str]:
    """The extracted text, one block a line, without the page's ``h1`` headings: on article pages
    the ``h1`` is the headline (a field of its own, ``title``), even when it differs in wording from
    the declared ``og:title``. Calibrated on AEB+NAEB: 196 of 208 ``h1`` blocks in trafilatura's
    output there are not article text."""
    body = document.body
    h1s = body.xpath(".//head[@rend='h1']") if body is not None else []
    if h1s:
        for node in h1s:
            parent, tail = node.getparent(), node.tail
            previous = node.getprevious()
            if tail and tail.strip():  # keep text that followed the heading
                if previous is not None:
                    previous.tail = (previous.tail or "") + tail
                else:
                    parent.text = (parent.text or "") + tail
            parent.remove(node)
        text = xmltotxt(body, False)
    else:
        text = document.text
    return [line for line in (text or "").strip().split("\n") if line.strip()]


# When the fast path's text looks like a menu, trafilatura's full path (its second-opinion extractors,
# ~1.4x the fast path's CPU, on those pages only) gets a second look. Menu-like: more than
# MENU_LINE_SHARE of at least MENU_MIN_LINES lines are under SHORT_LINE_WORDS words (an AEB page's
# fast-path text was 850 lines, 842 of them one-word menu entries). A second trigger on short texts
# (< 250 words, full path kept when 1.5x longer) was tried and lowered NAEB F1 by 0.005: not used.
MENU_LINE_SHARE, MENU_MIN_LINES, SHORT_LINE_WORDS = 0.6, 20, 5


def _bare(source, url: str, prune, *, fast: bool):
    return trafilatura.bare_extraction(
        source,
        url=url,
        fast=fast,
        with_metadata=False,
        include_comments=False,
        include_tables=True,
        prune_xpath=prune,
    )


def _menu_share(text: str) -> float:
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < MENU_MIN_LINES:
        return 0.0
    return sum(1 for line in lines if len(line.split()) < SHORT_LINE_WORDS) / len(lines)


def _doubtful(document) -> bool:
    text = (document.text or "") if document is not None else ""
    return _menu_share(text) > MENU_LINE_SHARE


def _better(second, first) -> bool:
    if second is None or not (second.text or "").strip():
        return False
    if first is None or not (first.text or "").strip():
        return True
    return _menu_share(second.text) < _menu_share(first.text)


# Where a page names its author when it declares none in its metadata: schema.org microdata, rel=author
# links, and byline/author classes. One XPath (trafilatura's own author search costs ~5 ms a page).
_BYLINE_XPATH = (
    "(//*[@itemprop='author']//*[@itemprop='name'] | //*[@itemprop='author' and not(*)] | //a[@rel='author']"
    " | //*[@class and not(self::body or self::html or self::article or self::main)"
    " and (contains(@class, 'byline') or contains(@class, 'author-name') or contains(@class, 'author__name'))])"
)
_BYLINE_PREFIX_RE = re.compile(r"^(?:by|von|par|por|di|door)\s+", re.I)


def _byline(tree) -> str | None:
    for node in tree.xpath(_BYLINE_XPATH)[:3]:
        text = _BYLINE_PREFIX_RE.sub("", " ".join(node.text_content().split())).strip(" ,|")
        if 3 <= len(text) <= 80 and " " in text:
            return re.sub(r"\s+(?:and|&|und|et|y|e)\s+", "; ", text)
    return None


# Boilerplate containers that trafilatura's own filters miss (its comment filter wants a class or id
# *starting* with "comment"): a div, section, aside or list whose class or id has one of
# BOILERPLATE_CONTAINER_WORDS as a token ("-" and "_" separate tokens), pruned before extraction.
# Evidence, the 4-gram shingles of those elements that reached our text on AEB+NAEB before they were
# pruned, in the ground truth / not in it: comment(s) (reader comments: "xenforo-comment-widget",
# "article-reader-comments"; all of the elements) 148 / 15,900; disclosure (affiliate and editorial
# disclosures) 0 / 495; newsletter (sign-up boxes) 0 / 142; promo 18 / 181; bio (author bio boxes)
# 7 / 340; sources (a fact-check's source list) 91 / 3,767; headlines (a list of other stories) 2 / 240;
# cta (call-to-action boxes) 0 / 75. Not used: tweet/twitter embeds (AEB's ground truth keeps them:
# 952 / 586), sidebar (20,105 / 9,689), paywall (16,625 / 5,276), modal (722 / 465), summary,
# description. One walk over those tags with one regular expression: ~0.3 ms a page (the same test as
# an XPath costs ~1.9 ms).
BOILERPLATE_CONTAINER_WORDS = (
    "comment", "comments", "disclosure", "newsletter", "promo", "bio", "sources", "headlines", "cta",
)
_CONTAINER_TAGS = ("div", "section", "aside", "ul", "ol")
_CONTAINER_RE = re.compile(rf"(?:^|[\s_-])(?:{'|'.join(BOILERPLATE_CONTAINER_WORDS)})(?:[\s_-]|$)", re.I)


def _prune_containers(tree) -> None:
    found = [
        node
        for node in tree.iter(*_CONTAINER_TAGS)
        if _CONTAINER_RE.search(node.get("class") or "") or _CONTAINER_RE.search(node.get("id") or "")
    ]
    for node in found:
        if node.getparent() is not None:
            node.drop_tree()  # keeps the tail text


# The body the page declares (schema.org articleBody) replaces the extracted text when extraction found
# another block: the declared body has at least DECLARED_BODY_MIN_WORDS words and the extracted text
# holds under DECLARED_BODY_MIN_SHARE of its word 4-grams (or nothing at all). On AEB+NAEB, 97 pages
# declare a body of 100 words or more; the text extracted from 95 of them holds at least 53% of its
# 4-grams, the other two (tennis.com, whose article is rendered by script: what trafilatura finds is a
# list of related headlines) none. Otherwise the extracted text is kept: declared bodies are often a
# teaser (the first 60 words), and complete ones lose in-body headings and lists (as a filter of the
# extracted text it gained NAEB F1 0.001, see the README).
DECLARED_BODY_MIN_WORDS, DECLARED_BODY_MIN_SHARE = 100, 0.25
_BLOCK_END_RE = re.compile(r"<(?:/p|/h\d|/li|/div|/blockquote|br\s*/?)>", re.I)
_TAG_RE = re.compile(r"<[^>]+>")


def _four_grams(text: str) -> set[tuple[str, ...]]:
    words = normalize_block(text).split()
    return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}


def _declared_body_lines(body: str | None, extracted: str) -> list[str] | None:
    """The declared body's paragraphs, when the extracted text missed it (see above); else ``None``."""
    if not body or len(body.split()) < DECLARED_BODY_MIN_WORDS:
        return None
    if "<" in body:  # some sites declare the body as HTML
        body = html.unescape(_TAG_RE.sub("", _BLOCK_END_RE.sub("\n", body)))
    declared = _four_grams(body)
    if declared and len(declared & _four_grams(extracted)) >= DECLARED_BODY_MIN_SHARE * len(declared):
        return None
    return [" ".join(line.split()) for line in body.split("\n") if line.strip()]


def _body_tree(tree, profile: SiteProfile):
    """What trafilatura gets: the profile's body container alone when it has one, else the page."""
    if profile.body_xpath:
        found = tree.xpath(profile.body_xpath)
        if found:
            root = lxml_html.Element("html")
            body = etree.SubElement(root, "body")
            body.append(lxml_html.fromstring(lxml_html.tostring(found[0])))
            return root
    return tree


def extract_article(
    body: bytes | str,
    url: str,
    content_type: str | None = None,
    hints: Hints | None = None,
    boilerplate: frozenset[str] = frozenset(),
) -> Article | None:
    """Extract one page. ``None`` when the page has no HTML tree or trafilatura finds no main text.

    ``boilerplate``: keys of blocks known to be boilerplate on this page's site (learned from its
    other pages, see :mod:`archive.boilerplate`); they are dropped from ``text``.
    """
    tree = parse_html(body, content_type)
    if tree is None:
        return None
    meta = page_metadata(tree, url)
    profile = profile_for(url, meta.site_name)
    caption_nodes = _CAPTIONS(tree)
    caption = _first_text(tree, profile.caption_xpath) or lead_image_caption(tree, meta, caption_nodes)
    # One text per caption element (not again for a caption nested in another: figcaption > .caption).
    nodes = set(caption_nodes)
    captions = [
        " ".join(node.text_content().split())
        for node in caption_nodes
        if not any(parent in nodes for parent in node.iterancestors())
    ]
    # The fast path (no second-opinion extractors): as good or better on both corpora and a third
    # cheaper (bench/extract.py). Page metadata comes from what the page declares; trafilatura's own
    # (htmldate, costly) runs below only when the page declares no title or date.
    source = _body_tree(tree, profile)
    _prune_containers(source)
    prune = list(profile.drop_xpath) or None
    document = _bare(source, url, prune, fast=True)
    if _doubtful(document):
        # The fast path's result looks like a menu: ask trafilatura's full path and keep whichever
        # result looks less like one.
        try:
            second = _bare(source, url, prune, fast=False)
        finally:
            stoplists.release()  # justext's stoplist of every language, if it was built: not kept
        if _better(second, document):
            document = second
    extracted = (document.text or "") if document is not None else ""
    declared = _declared_body_lines(meta.article_body, extracted)
    if declared is None and not extracted.strip():
        return None
    hints = hints or Hints()
    fallback = None
    if not (meta.title and meta.published):
        fallback = extract_metadata(tree, url, extensive=False)
    declared_title = meta.title or (fallback.title if fallback else None) or hints.title
    site_name = meta.site_name or (fallback.sitename if fallback else None)
    title = headline(
        declared_title, site_name=site_name, section=meta.section, url=url,
        h1=_first_text(tree, "//h1") if declared_title and declared_title.endswith(("...", "…")) else None,
    )
    lines = declared if declared is not None else _body_lines(document)
    keys = [block_key(line) for line in lines]
    # The headline and the caption are fields of their own, not body text.
    fields = {block_key(t) for t in (title, declared_title, fallback.title if fallback else None, hints.title) if t}
    # Every image caption on the page, not only the lead one: captions are not body text. Each caption
    # element stands for one copy of its text: a page that repeats a sentence of the story as a caption
    # (the Daily Mail does) keeps the sentence in the story.
    caption_copies = Counter(block_key(text) for text in captions if text)
    if caption and block_key(caption) not in caption_copies:
        fields.add(block_key(caption))
    published = (
        meta.published or iso_date(_first_text(tree, profile.date_xpath)) or iso_date(fallback.date if fallback else None)
    )
    authors = meta.authors or [a for a in [_first_text(tree, profile.author_xpath)] if a]
    if not authors:
        # A byline in the page (one XPath; extract_metadata already looked when it ran).
        found = fallback.author if fallback is not None else _byline(tree)
        authors = [a.strip() for a in (found or "").split(";") if " " in a.strip()]
    # The byline is a field too: a line that is only the author names ("By Jane Doe and John Roe").
    if authors:
        for joined in (" and ".join(authors), ", ".join(authors), *authors):
            fields.update((block_key(joined), block_key("by " + joined)))
    kept = clean_blocks(lines, keys, fields=fields, once=caption_copies, learned=boilerplate, profile=profile)
    text = "\n".join(kept).strip()
    tags = list(dict.fromkeys(meta.tags + (list(fallback.tags or []) + list(fallback.categories or []) if fallback else [])))
    # Names only: no dates, roles or buttons, and not the publisher ("RFE/RL") (archive/bylines.py).
    authors = author_names(authors, site_names(site_name, url))
    return well_formed(Article(
        url=url,
        title=title,
        text=text,
        word_count=count_words(text),
        canonical_url=meta.canonical_url,
        authors=authors,
        published=published or iso_date(hints.published),
        modified=meta.modified,
        language=meta.language
        or normalize_language(fallback.language if fallback else None)
        or normalize_language(hints.language),
        description=meta.description or (fallback.description if fallback else None),
        site_name=site_name,
        section=meta.section,
        tags=[t for t in tags if t and t != site_name],
        image=meta.image or (fallback.image if fallback else None),
        image_caption=caption,
        page_type=fallback.pagetype if fallback else None,
        declares_article=meta.declares_article,
        # Blocks too long to be learned are not counted (keeps the boilerplate_page_blocks table small).
        blocks=list(
            dict.fromkeys(
                k
                for k, line in zip(keys, lines, strict=True)
                if len(line.split()) <= MAX_LEARNED_WORDS and _WORD_RE.search(line)  # no key for "|---|"
            )
        ),
        profile=profile.name,
    ))
