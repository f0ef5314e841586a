"""justext's stoplist of every language, held by an extraction worker only while a page needs it.

trafilatura's full path (``fast=False``, which :func:`archive.extract.extract_article` takes on pages
whose fast-path text looks like a menu) may ask justext for a second opinion. We give trafilatura no
target language, so justext gets the union of its 100 languages' stoplists: trafilatura builds it once
as a tuple of 154,484 strings (``trafilatura.external.JT_STOPLIST``) and justext's ``define_stoplist``
copies it into a frozenset of the same words lower-cased, cached by that tuple. Both stayed for the
rest of the process: ~31 MB in each extraction worker, after one page of 602 on AEB+NAEB
(aeb f6ac15a4d985; the bench site's pages never reach justext).

:class:`AllStoplists` stands in for the tuple: as ``define_stoplist``'s cache key it is a few bytes, and
iterating it reads the same words from justext's package, so the frozenset is the same.
:func:`release` drops that frozenset after the page. Rebuilding it costs ~65 ms on the next such page
(the tuple and the set took ~85 ms the first time); one worker extracting the 602 corpus pages in order
ends at 49 MB resident instead of 80 MB, with the same articles.
"""

from __future__ import annotations

from collections.abc import Iterator

import justext.core
import trafilatura.external
from justext.utils import get_stoplist, get_stoplists


class AllStoplists:
    """Every word of every justext stoplist, read from the package at each iteration."""

    def __iter__(self) -> Iterator[str]:
        for language in get_stoplists():
            yield from get_stoplist(language)


def release() -> None:
    """Drop justext's cached stoplists; trafilatura's all-languages stoplist becomes an AllStoplists."""
    trafilatura.external.JT_STOPLIST = AllStoplists()
    justext.core.define_stoplist.cache_clear()
