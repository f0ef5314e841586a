"""The headline (``articles.title``): the declared one, cleaned of what pages add to it for social media.

Pages declare their headline (JSON-LD ``headline``, ``og:title``) for search engines and social media,
and what they declare often is not the headline alone. On NAEB's 421 pages (``../shared/corpus/naeb``,
whose ground truth names each page's title; ``make bench-extract`` prints the share we get right):
- HTML escaped twice (``Don&apos;t``, ``McDonald&#39;s``, ``wasn&#8217;t``): 21 pages;
- the site's name before or after it (``… - ESPN``, ``… | The Daily World``, ``PolitiFact - …``,
  ``… | News | The Harvard Crimson``): 34 pages;
- cut short for a card (``… just weeks before...``, the Daily Mail) while the page's ``<h1>`` has it
  whole: 6 pages.
:func:`headline` undoes each of them. Titles that differ in wording from the page's ``<h1>`` (an SEO
headline next to the displayed one) are kept as declared: which one is "the" headline is the
publisher's choice, and the ``<h1>`` is no more reliable across sites.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from archive.boilerplate import normalize_block

# " - ", " | ", " – ", " — ", " :: ", " · " between the headline and a site's or section's name.
_SEPARATOR = re.compile(r"\s+(?:[-|–—·»]|::)\s+")
_ESCAPED = re.compile(r"&(?:#\d{2,6}|#x[0-9a-fA-F]{2,6}|[a-zA-Z]{2,8});")
_CUT = re.compile(r"(?:\.\.\.|…)$")
# A name before or after the headline is dropped only when the headline left has at least this many
# words ("Lyfe Jennings | Creative Loafing" keeps two; "Review | IGN" stays whole).
MIN_HEADLINE_WORDS = 2
# A host label this long stands for the site when a name after the headline starts with it.
MIN_PREFIX_CHARS = 5
MAX_PREFIXED_NAME_WORDS = 3
_GENERIC_LABELS = frozenset({"com", "org", "net", "edu", "gov", "co", "www", "blogs", "news", "amp"})


def headline(declared: str | None, *, site_name: str | None, section: str | None, url: str,
             h1: str | None = None) -> str | None:
    """``declared`` without double escaping, site and section names, or a cut-short ending."""
    if not declared:
        return declared
    title = " ".join(html.unescape(declared).split()) if _ESCAPED.search(declared) else declared
    title = _without_names(title, _site_names(site_name, url), _words(section))
    if h1 and _CUT.search(title):
        whole = " ".join(h1.split())
        if whole.startswith(_CUT.sub("", title).rstrip()) and len(whole) > len(title) - 3:
            title = whole
    return title


def _words(text: str | None) -> str:
    return normalize_block(text or "")


def is_site_name(text: str, names: set[str]) -> bool:
    """``text`` is one of ``names`` (:func:`site_names`), spaces aside ("The Citizen" for thecitizen.com)."""
    squeezed = _words(text).replace(" ", "")
    return bool(squeezed) and any(squeezed == name.replace(" ", "") for name in names)


def site_names(site_name: str | None, url: str) -> set[str]:
    """What the site calls itself, as lowercase words: ``og:site_name``, its host name and parent
    domains ("n rivals com", "rivals com"), the labels of its host ("espn" for www.espn.co.uk)."""
    labels = (urlsplit(url).hostname or "").lower().removeprefix("www.").split(".")
    names = {_words(site_name)} | {_words(".".join(labels[i:])) for i in range(len(labels) - 1)}
    names.update(label for label in labels[:-1] if len(label) >= 3 and label not in _GENERIC_LABELS)
    return {name for name in names if name}


def _site_names(site_name: str | None, url: str) -> tuple[set[str], set[str]]:
    """:func:`site_names`, and the labels long enough to stand for the site when a name only starts
    with them ("novuslight": "Novus Light Today")."""
    names = site_names(site_name, url)
    return names, {label for label in names if len(label) >= MIN_PREFIX_CHARS and " " not in label}


def _matches_site(segment: str, names: tuple[set[str], set[str]], *, trailing: bool) -> bool:
    """``segment`` is one of the site's names, spaces aside ("The Citizen" for thecitizen.com); after
    the headline, a name and what follows it ("Egotastic! Sports!" for egotasticsports.com)."""
    exact, prefixes = names
    if is_site_name(segment, exact):
        return True
    words = _words(segment)
    squeezed = words.replace(" ", "")
    short = len(words.split()) <= MAX_PREFIXED_NAME_WORDS  # not "comwrap auf der DMEXCO 2018"
    return trailing and bool(squeezed) and short and any(squeezed.startswith(prefix) for prefix in prefixes)


def _without_names(title: str, names: tuple[set[str], set[str]], section: str) -> str:
    """``title`` without the site's name after it (and what follows the name: a tagline) or before
    it, nor the section's name between headline and site ("… | News | The Harvard Crimson")."""
    parts = _SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    start, end = 0, len(parts)
    after = next((i for i in range(1, len(parts)) if _matches_site(parts[i], names, trailing=True)), None)
    if after is not None:
        end = after
        if end > 1 and section and _words(parts[end - 1]) == section:
            end -= 1
    elif _matches_site(parts[0], names, trailing=False):
        start = 1
    if (start, end) == (0, len(parts)) or len(_words(" ".join(parts[start:end])).split()) < MIN_HEADLINE_WORDS:
        return title
    # The separators inside the headline itself stay as the page wrote them.
    return title[_span(title, parts, start)[0]:_span(title, parts, end - 1)[1]]


def _span(title: str, parts: list[str], index: int) -> tuple[int, int]:
    """Where ``parts[index]`` (of ``_SEPARATOR.split(title)``) is in ``title``."""
    position = 0
    for i, part in enumerate(parts):
        position = title.index(part, position)
        if i == index:
            return position, position + len(part)
        position += len(part)
    raise ValueError(index)
