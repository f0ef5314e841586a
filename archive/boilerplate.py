"""Boilerplate blocks: the generic patterns every site shares, and what each site's pages teach us.

A *block* is one line of extracted text (a paragraph, list item, caption or heading). Its *key* is a
short hash of its normalised words, so a block is recognised whatever its markup or spacing.

Two kinds of rule drop blocks from ``text``:

- generic patterns (:data:`GENERIC_BLOCK_PATTERNS`), true on any news site: "Advertisement",
  newsletter boxes, "Read more: …" teasers, copyright lines;
- site-learned keys: a block that recurs on many pages of the same site (legal notice, "Sign up"
  box, a bylines box, a related-links list) is boilerplate *for that site*. Learning is per site in
  the SQLite tables ``boilerplate_pages`` and ``boilerplate_blocks`` (see :class:`SiteBoilerplate`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archive.profiles import SiteProfile

_WORD_RE = re.compile(r"\w+")


def normalize_block(text: str) -> str:
    """The block's words, NFKC-normalised and casefolded, one space apart (markup, punctuation and
    spacing do not make two copies of a block differ)."""
    return " ".join(_WORD_RE.findall(unicodedata.normalize("NFKC", text).casefold()))


def block_key(text: str) -> str:
    """A 16-hex-digit key of the block's normalised words (blake2b, 64 bits: collisions within one
    site are negligible)."""
    return hashlib.blake2b(normalize_block(text).encode(), digest_size=8).hexdigest()


# Generic boilerplate: blocks that are page furniture on any news site. Each pattern is matched against
# the whole block (whitespace collapsed, case-insensitive). Evidence: the lines trafilatura 2.3.1 keeps
# on the AEB and NAEB corpora (../shared/corpus) that are not in their ground truth, grouped by shape.

# A block that is only a furniture label: "Advertisement", "Share this article", "Related stories",
# "Thanks for signing up!" (an ad slot, a share bar, a heading of a link list).
FURNITURE_LABEL = re.compile(
    r"(?:advertisement|advertising|sponsored(?: content)?|story continues below(?: advertisement)?"
    r"|article continues (?:below|after)(?: this)? (?:ad|advertisement)|continue reading(?: below)?"
    r"|share|share this(?: article| story| post)?|tweet|email|print|comments?|tags?"
    r"|related(?: articles| stories| content| coverage| posts)?|recommended(?: for you)?"
    r"|you may also like|you might also like|most popular|most read|trending(?: now)?"
    r"|don'?t miss|read next|up next|more from .{1,40}|follow us(?: on .{1,30})?"
    r"|thanks for signing up!?|sign up for other newsletters)[.!:…]*",
    re.I,
)
# A teaser: a label and a colon, then a headline ("READ MORE: …", "Related: …", "Also: …"), at most
# TEASER_MAX_WORDS words (a sentence of the story that starts with "More:" is longer).
TEASER = re.compile(
    r"(?:read more|read also|also read|related|related content|related article|related story"
    r"|recommended|see also|more|must read|required reading|don'?t miss|read next|also|watch|listen)"
    r"\s*[:|]\s*\S.*",
    re.I,
)
TEASER_MAX_WORDS = 30
# Newsletter and subscription boxes, copyright lines; only blocks of at most PROMO_MAX_WORDS words
# (a story about newsletters has longer paragraphs).
PROMO = re.compile(
    r".*(?:(?:sign up for|subscribe to) (?:our|the|\S+['’]s)? ?.{0,40}newsletters?|thanks for signing up"
    r"|keep an eye on your inbox|click here to (?:subscribe|sign up|get|read|download)"
    r"|all rights reserved).*|(?:©|copyright ©?|\(c\)) ?\d{4}.*",
    re.I,
)
PROMO_MAX_WORDS = 40
GENERIC_BLOCK_PATTERNS: tuple[tuple[re.Pattern, int], ...] = (
    (FURNITURE_LABEL, 8),
    (TEASER, TEASER_MAX_WORDS),
    (PROMO, PROMO_MAX_WORDS),
)


def is_generic_boilerplate(line: str) -> bool:
    text = " ".join(line.split())
    words = len(text.split())
    return any(words <= limit and pattern.fullmatch(text) for pattern, limit in GENERIC_BLOCK_PATTERNS)


def clean_blocks(
    lines: Sequence[str],
    keys: Sequence[str],
    *,
    fields: Iterable[str] = (),
    learned: frozenset[str] | set[str] = frozenset(),
    profile: SiteProfile | None = None,
) -> list[str]:
    """The lines that are body text: not a field of its own (title, caption: ``fields`` keys), not
    site-learned boilerplate (``learned`` keys), not dropped by the site's profile or a generic pattern."""
    fields = set(fields)
    kept = []
    for line, key in zip(lines, keys, strict=True):
        if key in fields or key in learned:
            continue
        if profile is not None and profile.drops_block(line):
            continue
        if is_generic_boilerplate(line):
            continue
        kept.append(line)
    return kept
