"""Boilerplate blocks: the generic patterns every site shares, and what each site's pages teach us.

A *block* is one line of extracted text (a paragraph, list item, caption or heading). Its *key* is a
short hash of its normalised words, so a block is recognised whatever its markup or spacing.

Two kinds of rule drop blocks from ``text``:

- generic patterns (:data:`GENERIC_BLOCK_PATTERNS`), true on any news site: "Advertisement",
  newsletter boxes, "Read more: …" teasers, copyright lines;
- site-learned keys: a block that recurs on many pages of the same site (legal notice, "Sign up"
  box, a bylines box, a related-links list) is boilerplate *for that site*. Learning is per site in
  the SQLite tables ``boilerplate_blocks`` and ``boilerplate_page_blocks`` (see :class:`SiteBoilerplate`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
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
# The labels that head a list of links to other stories ("Related stories", "Most read in Music",
# "Read more:", "From the December 23rd 2023 edition", the print issue's table of contents):
_LINK_LIST_LABELS = (
    r"related(?: articles| stories| content| coverage| posts)?|recommended(?: for you)?"
    r"|you may also like|you might also like|you might like|trending(?: now| this week| today)?"
    r"|(?:.{1,40}['’]s )?most (?:popular|read)(?: stories| articles| news)?(?: of \d{4}| this week| today)?"
    r"|top (?:reads|stories) (?:on|from) .{1,40}|most read in .{1,30}"
    r"|read more (?:on|about|from) .{1,40}|people are also reading|you might be interested in"
    r"|don'?t miss|read next|up next|more from .{1,40}|from the .{1,30} edition|top \d+ right now"
    r"|read more|read also|explore more|see more|more stories|more news|more must-reads from .{1,40}"
)
FURNITURE_LABEL = re.compile(
    r"(?:advertisement|advertising|sponsored(?: content)?|story continues below(?: advertisement)?"
    r"|article continues (?:below|after)(?: this)? (?:ad|advertisement)|continue reading(?: below)?"
    r"|share|share this(?: article| story| post)?|tweet|email|print|comments?|tags?"
    rf"|{_LINK_LIST_LABELS}"
    r"|get the .{1,40} newsletter|why you can trust .{1,30}|like what you['’]re reading\??"
    r"|tell us what you think|stay connected|newsletters?|terms of use and privacy policy"
    r"|discover stories from this section.*"
    # picture and video credits ("[Image via MEGA/WENN]", "Video by MEGA Media.")
    r"|\[?(?:image|images|photo|photos|video|footage) (?:via|by|courtesy of|credit) .{1,60}?\]?"
    r"|follow us(?: on .{1,30})?|thanks for signing up!?|sign up for other newsletters"
    r"|filed under: .{1,60}|posted (?:on )?(?:\S+ ){0,4}by [\w .'’-]{1,40}"
    # engagement counters run into the byline ("Daisy-Mae SchmittDec 05, 20232 Shares1530 Views")
    r"|.{0,60}\d ?shares? ?[\d,.]+ ?views?"
    # gallery counters ("3 of 57") and credit lines ("Gallery Credit: Jane Doe")
    r"|\d+ of \d+|(?:gallery |photo |image |lead image )?credits?: .{1,60})[.!:…]*",
    re.I,
)
LINK_LIST_LABEL = re.compile(rf"(?:{_LINK_LIST_LABELS})[.!:…]*", re.I)
# A teaser: a label and a colon, then a headline ("READ MORE: …", "Related: …", "Also: …"), at most
# TEASER_MAX_WORDS words (a sentence of the story that starts with "More:" is longer).
TEASER = re.compile(
    r"[\[(]?(?:(?:read more|read also|also read|related|related content|related article|related story"
    r"|recommended|see also|see more|more|must read|required reading|don'?t miss|read next|next|also|watch|watch more"
    r"|listen)"
    r"\s*[:|]|(?:read more|also read|read also)\s*[-–—])\s*\S.*",
    re.I,
)
TEASER_MAX_WORDS = 30
# Newsletter and subscription boxes, copyright lines; only blocks of at most PROMO_MAX_WORDS words
# (a story about newsletters has longer paragraphs).
PROMO = re.compile(
    r".*(?:(?:sign up for|subscribe to) (?:our|the|\S+['’]s)? ?.{0,40}newsletters?"
    r"|thanks for signing up|thank you for (?:signing up|subscribing)"
    r"|keep an eye on your inbox|(?:delivered|straight|right|direct) to your inbox"
    r"|click here to (?:subscribe|sign up|get|read|download)|by clicking here"
    # podcast and app promotion ("Listen and subscribe wherever you get your podcasts")
    r"|wherever you get your podcasts|(?:install|download) the .{1,30} app(?: for free| now| today)?[.!]?$"
    r"|be the first to get breaking news"
    # paywall and membership asks ("Our journalism needs your support. Please subscribe today")
    r"|our journalism needs your support|please subscribe today|start your .{0,40}subscription today"
    # widgets that did not load: a login prompt, an age gate, an error box
    r"|please log in again\. the login page will open|please enter your date of birth to view"
    r"|by clicking ['‘’]?enter['‘’]?,? you agree to|oops!? ?something went wrong"
    r"|waiting for your permission to load|an error has occurred,? please try again"
    # reprint notices and sharing asks ("This copy is for your personal, non-commercial use only.")
    r"|for your personal,? non-commercial use only|share it with a friend|click here for more information"
    r"|subscribe to (?:the|our) .{1,40} channel|not a subscriber to .{1,40}\?"
    r"|for more .{1,60} coverage, visit \S+|(?:go|click) here for more .{1,60}"
    r"|(?:listen to .{1,40} on|also available on) (?:spotify|apple podcasts|google podcasts)"
    # the comment-policy note under a story
    r"|comments (?:on this (?:piece|article|story|post) )?are (?:pre-?)?moderated"
    r"|this content can also be viewed on the site it originates from"
    # the newsletter a story was sent in ("You're reading the Today's Opinions newsletter. Sign up to get
    # it in your inbox.", "This article was featured in the One Story to Read Today newsletter.")
    r"|you['’]re reading the .{1,60} newsletter|this article was featured in the .{1,60} newsletter"
    r"|sign up to get .{1,60} in your inbox"
    r"|all rights reserved"
    # affiliate disclosures ("We may earn a commission when you buy through links on our site")
    r"|affiliate (?:commission|partnership|link|program)s?|we (?:may )?(?:earn|receive|get) (?:a |an )?(?:small )?"
    r"(?:affiliate )?(?:commission|compensation|payments? from)|independently selected by our editors"
    r"|products are hand-?picked by"
    r").*|(?:©|copyright ©?|\(c\)) ?\d{4}.*",
    re.I,
)
# 45: the longest newsletter box seen (Tom's Hardware's "Join the experts who read … straight to your
# inbox.") has 42 words.
PROMO_MAX_WORDS = 45
# How to reach the reporter ("Jane Doe can be reached at jdoe@example.com", "Contact reporter Jane Doe
# at …"): a field of the byline.
CONTACT = re.compile(
    r"(?:[•·*-] ?)?(?:.{0,80}\bcan be reached (?:at|by|on)\b.*|contact (?:the )?(?:reporter|writer|author) .*"
    r"|(?:email|e-mail) (?:the )?(?:reporter|author|writer)\b.*"
    # the newsroom's tip line ("Have a tip? Send it to us! Email …", "Contact us at letters@time.com")
    r"|(?:have|got) a (?:news )?tip\b.*|contact us at \S+@\S+"
    # "Write to Al Root at allen.root@dowjones.com", "Email Tariq Malik at tmalik@space.com or follow him …"
    r"|(?:write to|email) (?:\S+ ){1,4}at \S+@\S+.*|.{0,80}\bemail us at \S+@\S+.*)",
    re.I,
)
CONTACT_MAX_WORDS = 40
# Notes about the story rather than the story: the print-edition line ("This article appeared in the
# Leaders section of the print edition under the headline …"), the review process ("This article has been
# reviewed according to Science X's editorial process …"), an investment disclosure ("The author or
# authors do not own shares in any securities mentioned in this article"). At most NOTE_MAX_WORDS words.
# Not where the story first ran ("Originally published on Live Science."): that is provenance, and AEB's
# ground truth keeps it (dropping it too: AEB F1 -0.0001, NAEB +0.0001).
STORY_NOTE = re.compile(
    r"this (?:article|story) appeared in the .{1,60} print edition.*"
    r"|.*\breviewed according to .{1,40} editorial process.*"
    r"|.*\b(?:do|does) not (?:own|hold) (?:shares|positions?) in (?:any )?(?:of )?(?:the )?(?:securities|stocks|companies)"
    r" mentioned.*",
    re.I,
)
NOTE_MAX_WORDS = 45
# A disclaimer under an advice column ("Dear Therapist is for informational purposes only, does not
# constitute medical advice, …"), at most DISCLAIMER_MAX_WORDS words.
DISCLAIMER = re.compile(
    r".*\b(?:(?:is|are) (?:provided )?for (?:general )?informational purposes only"
    r"|does not constitute (?:medical|legal|financial|investment|professional) advice)\b.*",
    re.I,
)
DISCLAIMER_MAX_WORDS = 90
# Paper references under a science story ("More information: J. Doe et al, Title, Journal (2023)",
# "Journal information: Science", "Provided by University of X").
# The reference on a line of its own counts too ("Zhizhi Sheng et al, Mimicking polar bear hairs in aerogel
# fibers, Science (2023). DOI: 10.1126/science.adm8388").
CITATION = re.compile(r"(?:more information|journal information|provided by)\s*:?\s.*|.*\bet al\b.*\bdoi\b.*", re.I)
CITATION_MAX_WORDS = 80
# Markup shown as text: an embed whose HTML the page escaped ("<a href="https://twitter.com/hashtag/…">").
MARKUP = re.compile(r"<(?:a|blockquote|div|iframe|img|p|script|span)\b[^>]*>.*", re.I)
MARKUP_MAX_WORDS = 200
GENERIC_BLOCK_PATTERNS: tuple[tuple[re.Pattern, int], ...] = (
    (FURNITURE_LABEL, 8),
    (TEASER, TEASER_MAX_WORDS),
    (PROMO, PROMO_MAX_WORDS),
    (CONTACT, CONTACT_MAX_WORDS),
    (STORY_NOTE, NOTE_MAX_WORDS),
    (DISCLAIMER, DISCLAIMER_MAX_WORDS),
    (CITATION, CITATION_MAX_WORDS),
    (MARKUP, MARKUP_MAX_WORDS),
)
# After a furniture label ("More Must-Reads From TIME", "Related", "Read more:") the list items that
# follow (``- headline`` lines of at most LINK_ITEM_MAX_WORDS words) are that label's link list. After a
# link-list label (LINK_LIST_LABEL) so are the headlines that follow it as lines of their own (at most
# LINK_ITEM_MAX_WORDS words, not ending a sentence with "." or "!"): on AEB+NAEB, 43 such lines with
# 257 4-grams, 7 of them in the ground truth (AEB F1 +0.0009, NAEB +0.0002).
LINK_ITEM_MAX_WORDS = 25
_SENTENCE_END_RE = re.compile(r"[.!][\"'”’)\]]*$")


def _headline_like(line: str) -> bool:
    text = line.strip()
    return (
        len(text.split()) <= LINK_ITEM_MAX_WORDS
        and not text.startswith("|")
        and _SENTENCE_END_RE.search(text) is None
    )


# An author's bio among the last BIO_TAIL_LINES lines of the text ("Jane Doe is a senior editor at …"):
# a field of the byline, not article text.
AUTHOR_BIO = re.compile(
    r"[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){0,3} (?:(?:is|was|has been|covers|writes)\b.{0,120}"
    # the role in any case ("Rose is a Senior Editor at ELLE …")
    r"\b(?i:writer|editor|reporter|correspondent|journalist|contributor|columnist|producer|author|intern"
    r"|freelancer|analyst)\b.*|(?:writes|reports) (?:about|on) .*)"
)
BIO_TAIL_LINES, BIO_MAX_WORDS = 3, 70
# Credits and notes that close a story: who contributed ("Associated Press writer Jim Salter contributed to
# this report.", "Reporting by Pavel Polityuk; Editing by Kirsten Donovan", "Contributing: …", "Includes
# information from The Associated Press"), where a press release came from ("Materials provided by …"),
# the agency's standards line, the editing note under an interview, "Follow … on Instagram", production
# credits of a photo shoot ("Makeup Artist: Jane Doe"), the first-published stamp. Fields of the byline
# and the dateline, not text: dropped among the last BIO_TAIL_LINES lines and as a run at the very end,
# never inside the story (a listicle credits each of its sections: "—Reporting by Nate Berg"). On
# AEB+NAEB this drops 47 credit lines and 15 bios; 2 and 1 of them are in the ground truth.
CLOSING_CREDIT = re.compile(
    r"(?:[-—–] ?)?(?:.{0,120}\bcontributed(?: reporting)?(?: to (?:this|the) (?:report|story|article))?"
    r"|contributing: .*|(?:additional )?reporting by .*|includes information from .*|materials? provided by .*"
    r"|our standards: .*|(?:this|the) (?:interview|conversation)s? (?:has|have) been (?:lightly )?(?:edited|condensed)"
    r"(?: and (?:edited|condensed))? for .*|reviews have been edited for .*"
    r"|[*•]? ?follow (?:\S+ ){1,6}on (?:instagram|facebook|twitter|x|snapchat|tiktok|threads|youtube)\b.*"
    r"|this (?:story|article) was (?:originally|first) published (?:on )?\w+\.? \d.*"
    r"|this (?:episode|segment|video|podcast) was (?:produced|edited|reported) by .*"
    r"|source: .{1,80}"
    # masthead and shoot credits: a role, a colon, the names ("Makeup Artist: …", "Copy Editors: …")
    r"|(?:[\w&'’-]+ ){0,3}(?:editors?|editor-in-chief|director|manager|producer|stylist|photographer|designer"
    r"|assistant|artist|retouching|styling|hair|makeup|grooming|manicure|nails|illustration|set design|casting)"
    r": .{1,80})[.]?",
    re.I,
)
CREDIT_MAX_WORDS = 40


def _closing(line: str) -> bool:
    text = " ".join(line.split())
    words = len(text.split())
    return (words <= BIO_MAX_WORDS and AUTHOR_BIO.fullmatch(text) is not None) or (
        words <= CREDIT_MAX_WORDS and CLOSING_CREDIT.fullmatch(text) is not None
    )


# A line that is only a date or time stamp ("9/26/2023 8:59 AM PT", "Saturday 23 December 2023 05:39,
# UK", "Updated: Dec. 21, 2023"): the page's dateline, already in ``published``/``modified``.
_DATE_WORDS = frozenset(
    "january february march april may june july august september october november december jan feb mar apr"
    " jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday mon tue wed"
    " thu fri sat sun am pm a m p gmt utc bst cet et pt ct mt est edt pst pdt cst cdt uk updated published"
    " posted last report on at by".split()
)
DATE_LINE_MAX_WORDS = 12


def is_date_line(text: str) -> bool:
    words = _WORD_RE.findall(text.casefold())
    if not words or len(words) > DATE_LINE_MAX_WORDS or not any(w.isdigit() for w in words):
        return False
    return all(w.isdigit() or w in _DATE_WORDS or (w[:-2].isdigit() and w[-2:] in ("st", "nd", "rd", "th")) for w in words)


# The same patterns without re.IGNORECASE, matched against the lowercased block: six times faster (a
# case-insensitive alternation gets no first-character optimisation in ``re``).
_LOWERCASE_PATTERNS = tuple((re.compile(pattern.pattern), limit) for pattern, limit in GENERIC_BLOCK_PATTERNS)


def is_generic_boilerplate(line: str) -> bool:
    text = " ".join(line.split())
    words = len(text.split())
    if is_date_line(text):
        return True
    lower = text.lower()
    return any(words <= limit and pattern.fullmatch(lower) for pattern, limit in _LOWERCASE_PATTERNS)


def clean_blocks(
    lines: Sequence[str],
    keys: Sequence[str],
    *,
    fields: Iterable[str] = (),
    once: Mapping[str, int] | None = None,
    learned: frozenset[str] | set[str] = frozenset(),
    profile: SiteProfile | None = None,
) -> list[str]:
    """The lines that are body text: not a field of its own (title, byline: ``fields`` keys; captions:
    ``once``, a key and how many copies of it to drop), not site-learned boilerplate (``learned``
    keys), not dropped by the site's profile or a generic pattern."""
    fields = set(fields)
    once = dict(once or {})
    kept = []
    in_link_list = headlines = False
    for line, key in zip(lines, keys, strict=True):
        if in_link_list and line.startswith("- ") and len(line.split()) <= LINK_ITEM_MAX_WORDS + 1:
            continue
        if headlines and _headline_like(line):
            continue
        in_link_list = headlines = False
        if key in fields or key in learned:
            continue
        if once.get(key):
            once[key] -= 1
            continue
        if profile is not None and profile.drops_block(line):
            continue
        if is_generic_boilerplate(line):
            text = " ".join(line.split())
            in_link_list = FURNITURE_LABEL.fullmatch(text) is not None
            headlines = LINK_LIST_LABEL.fullmatch(text) is not None
            continue
        kept.append(line)
    end = len(kept)
    while end and _closing(kept[end - 1]):  # the closing run
        end -= 1
    tail = end - BIO_TAIL_LINES
    return [line for i, line in enumerate(kept[:end]) if not (i >= tail and _closing(line))]


# -- site-level learning ---------------------------------------------------------------------------
# A block is boilerplate for a site once it has been seen on at least MIN_PAGES distinct pages of the
# site AND on at least MIN_SHARE of the site's pages seen so far.
# MIN_PAGES = 3: a quote or a paragraph of background legitimately repeated in two stories (a running
# story's "what we know" paragraph, a quote used twice) is never removed; page furniture (legal notice,
# newsletter box, "Read more" list) is on every page, so three pages of a site are enough to learn it.
# MIN_SHARE = 0.05: on a large site, text recurring on 3 or 4 of a thousand pages is quoted text, not
# furniture; furniture sits on most pages of its section, and a section is rarely under 5% of a crawl.
# MAX_THRESHOLD_PAGES = 50: the share threshold stops growing there. A crawl runs for months, and new
# furniture (a new legal notice, a new newsletter box) appears only on the pages published after it:
# without a cap, on a site archived at 100,000 pages it would need 5,000 new pages (months of a daily
# paper) before it is learned, polluting every one of them meanwhile. Text on 50 distinct pages of a site
# (and at most MAX_LEARNED_WORDS words) is furniture, not a quote.
MIN_PAGES = 3
MIN_SHARE = 0.05
MAX_THRESHOLD_PAGES = 50
# Blocks longer than this are never learned: boilerplate boxes are short paragraphs (the RFE/RL legal
# notice, the longest furniture paragraph we know, has 52 words); a long paragraph seen on several
# pages is a syndicated or updated story's body, which must stay.
MAX_LEARNED_WORDS = 80

# Which page held which block is kept compactly, since it grows with every page archived: each URL once
# (``boilerplate_urls``), and (url id, block as a 64-bit integer) pairs (``boilerplate_page_blocks``).
# The first layout, (site, url text, block hex) per pair, took ~5 kB a page (a 5,000-page bench crawl:
# 25 MB, a fifth of archive.db); archives made with it are converted when opened.
BOILERPLATE_TABLES = ("boilerplate_sites", "boilerplate_blocks", "boilerplate_urls", "boilerplate_page_blocks")
_CONVERT_BATCH = 50_000


def block_int(key: str) -> int:
    """A block key (16 hex digits) as the signed 64-bit integer SQLite stores in 8 bytes."""
    value = int(key, 16)
    return value - (1 << 64) if value >= 1 << 63 else value


def ensure_boilerplate_schema(db) -> None:
    """Create the learning tables (``db`` is a ``sqlite_utils.Database``); idempotent. Converts the
    first layout's ``boilerplate_pages`` table."""
    names = set(db.table_names())
    if "boilerplate_sites" not in names:
        db["boilerplate_sites"].create({"site": str, "pages": int, "learned": int}, pk="site")
    if "boilerplate_blocks" not in names:
        db["boilerplate_blocks"].create(
            {"site": str, "block": str, "pages": int, "first_seen": str, "learned_at": str, "sample": str},
            pk=("site", "block"),
        )
        db["boilerplate_blocks"].create_index(["site", "learned_at"])
    if "boilerplate_urls" not in names:
        db.execute("create table boilerplate_urls (id integer primary key, site text not null, url text not null unique)")
    if "boilerplate_page_blocks" not in names:
        db.execute(
            "create table boilerplate_page_blocks (url_id integer not null, block integer not null,"
            " primary key (url_id, block)) without rowid"
        )
        db.execute("create index boilerplate_page_blocks_block on boilerplate_page_blocks (block, url_id)")
    if "boilerplate_pages" in names:
        _convert_first_layout(db)


def _convert_first_layout(db) -> None:
    conn = db.conn
    with conn:
        conn.execute(
            "insert or ignore into boilerplate_urls (site, url) select distinct site, url from boilerplate_pages"
        )
        rows = conn.execute(
            "select u.id, p.block from boilerplate_pages p join boilerplate_urls u on u.url = p.url"
        )
        while batch := rows.fetchmany(_CONVERT_BATCH):
            conn.executemany(
                "insert or ignore into boilerplate_page_blocks (url_id, block) values (?, ?)",
                [(url_id, block_int(block)) for url_id, block in batch],
            )
        conn.execute("drop table boilerplate_pages")


def learning_threshold(site_pages: int) -> float:
    """On how many distinct pages a block must be seen to be learned, on a site of ``site_pages`` pages."""
    return max(MIN_PAGES, min(MIN_SHARE * site_pages, MAX_THRESHOLD_PAGES))


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class SiteBoilerplate:
    """What the archive learned about each site's boilerplate. Lives in the process that owns the
    SQLite connection; workers get :meth:`known` (a frozenset of keys) with each page."""

    def __init__(self, db) -> None:
        self.db = db
        self._known: dict[str, frozenset[str]] = {}

    def known(self, site: str) -> frozenset[str]:
        """Keys of the blocks learned as boilerplate for ``site``."""
        if site not in self._known:
            rows = self.db.execute(
                "select block from boilerplate_blocks where site = ? and learned_at is not null", [site]
            ).fetchall()
            self._known[site] = frozenset(r[0] for r in rows)
        return self._known[site]

    def observe(self, site: str, url: str, blocks: Sequence[str], texts: Sequence[str] = ()) -> list[str]:
        """Count the blocks of one extracted page (``blocks``: keys of every block extraction found,
        ``Article.blocks``); return the keys that became boilerplate for ``site`` because of it.
        ``texts`` (lines of the page's text) give a sample of each newly learned block."""
        db = self.db
        now = _now()
        with db.conn:
            found = db.execute("select id from boilerplate_urls where url = ?", [url]).fetchone()
            if found is None:
                url_id = db.execute("insert into boilerplate_urls (site, url) values (?, ?)", [site, url]).lastrowid
                db.execute(
                    "insert into boilerplate_sites (site, pages, learned) values (?, 1, 0)"
                    " on conflict(site) do update set pages = pages + 1",
                    [site],
                )
                seen: set[int] = set()
            else:
                url_id = found[0]
                seen = {r[0] for r in db.execute(
                    "select block from boilerplate_page_blocks where url_id = ?", [url_id]
                )}
            fresh = [b for b in dict.fromkeys(blocks) if block_int(b) not in seen]
            db.conn.executemany(
                "insert or ignore into boilerplate_page_blocks (url_id, block) values (?, ?)",
                [(url_id, block_int(b)) for b in fresh],
            )
            db.conn.executemany(
                "insert into boilerplate_blocks (site, block, pages, first_seen) values (?, ?, 1, ?)"
                " on conflict(site, block) do update set pages = pages + 1",
                [(site, b, now) for b in fresh],
            )
            site_pages = db.execute("select pages from boilerplate_sites where site = ?", [site]).fetchone()[0]
            threshold = learning_threshold(site_pages)
            learned = []
            for start in range(0, len(fresh), 500):
                chunk = fresh[start : start + 500]
                marks = ",".join("?" * len(chunk))
                learned += [r[0] for r in db.execute(
                    f"select block from boilerplate_blocks where site = ? and learned_at is null"
                    f" and pages >= ? and block in ({marks})",
                    [site, threshold, *chunk],
                )]
            samples = {block_key(t): " ".join(t.split()) for t in texts}
            learned = [b for b in learned if len(samples.get(b, "").split()) <= MAX_LEARNED_WORDS]
            for key in learned:
                db.execute(
                    "update boilerplate_blocks set learned_at = ?, sample = ? where site = ? and block = ?",
                    [now, samples.get(key), site, key],
                )
            if learned:
                db.execute("update boilerplate_sites set learned = learned + ? where site = ?", [len(learned), site])
                self._known[site] = self.known(site) | frozenset(learned)
        return learned

    def pages_with(self, site: str, blocks: Iterable[str]) -> list[str]:
        """URLs of the site's pages that contain any of ``blocks``."""
        blocks = list(blocks)
        if not blocks:
            return []
        marks = ",".join("?" * len(blocks))
        return [r[0] for r in self.db.execute(
            f"select distinct u.url from boilerplate_page_blocks p join boilerplate_urls u on u.id = p.url_id"
            f" where p.block in ({marks}) and u.site = ? order by u.url",
            [*map(block_int, blocks), site],
        )]
