"""A page's lxml tree: trafilatura's ``load_html`` for a decoded page, without copies of the page.

trafilatura's ``load_html`` repairs the page string before parsing it, and its repair of a faulty
doctype splits the page at its first line and joins it again (``partition`` then ``+``) whenever the
first 50 characters hold "doctype", that is on nearly every page, whether the doctype needed a
repair or not: two more copies of the whole page, alive together with it. A decoded page takes 1, 2 or
4 bytes a character (one emoji makes it 4), so the largest page of the corpus (2.8 MB of UTF-8, 2.9
million characters, 4 bytes each) took ~35 MB of strings at once. :func:`parse` makes the same
repairs but copies the page only when one of them changes it; the parse is trafilatura's own (same
parser, same fallbacks), and tests/test_memory.py compares the trees with ``load_html``'s. Extracting
that page now peaks 17 MB over the worker's resident set instead of 33 MB; over the 602 corpus pages
one worker's highest resident set went from ~90 to 75 MB.
"""

from __future__ import annotations

import logging

from lxml.html import HtmlElement, HTMLParser, fromstring
from trafilatura.utils import (
    DOCTYPE_TAG,
    FAULTY_HTML,
    INVALID_XML_CHARS,
    fromstring_bytes,
    is_dubious_html,
)

logger = logging.getLogger(__name__)

# trafilatura's HTML_PARSER with ``huge_tree``: without it libxml2 stops at an element nested 256 deep
# and drops the rest of the page, so a story after 255 unclosed <font> or <div> tags (sloppy CMS
# markup) was lost whole ("no-article-text"); with it, up to ~2,000 deep (libxml2's own cap). Same
# tree for every page under that depth (tests/test_memory.py compares with load_html's).
HTML_PARSER = HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                         remove_pis=True, huge_tree=True)


def repair(page: str, beginning: str) -> str:
    """``trafilatura.utils.repair_faulty_html(page, beginning)``: ``page`` itself when nothing changes."""
    if INVALID_XML_CHARS.search(page):
        page = INVALID_XML_CHARS.sub("", page)
    if "doctype" in beginning:
        end = page.find("\n")
        first_line = page if end < 0 else page[:end]
        repaired = DOCTYPE_TAG.sub("", first_line, count=1)
        if end < 0:  # partition found no newline: trafilatura's join adds one
            page = repaired + "\n"
        elif repaired != first_line:
            page = repaired + page[end:]
    for line in page[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            return FAULTY_HTML.sub(r"\1>", page, count=1)
    return page


def parse(page: str) -> HtmlElement | None:
    """``trafilatura.utils.load_html(page)`` for a page already decoded; ``None`` when it is no HTML."""
    beginning = page[:50].lower()
    dubious = is_dubious_html(beginning)
    page = repair(page, beginning)
    tree, from_bytes = None, False
    try:
        tree = fromstring(page, parser=HTML_PARSER)
    except ValueError:  # "Unicode strings with encoding declaration are not supported"
        tree, from_bytes = fromstring_bytes(page), True
    except Exception as exc:  # noqa: BLE001 (as load_html: lxml's errors mean no tree)
        logger.debug("lxml parsing failed: %r", exc)
    if (tree is None or len(tree) < 1) and not from_bytes:
        tree = fromstring_bytes(page)
    if tree is not None and dubious and len(tree) < 2:
        return None
    return tree
