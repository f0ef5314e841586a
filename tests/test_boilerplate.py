"""Site-level boilerplate learning: the thresholds on a real SQLite archive, and in a real crawl."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from archive.boilerplate import (
    MAX_THRESHOLD_PAGES,
    MIN_PAGES,
    MIN_SHARE,
    SiteBoilerplate,
    block_key,
    learning_threshold,
)
from archive.store import ArchiveStore
from conftest import newsarchive
from siteserver import running

PROMO = "The Harbour Courier is funded by its readers: become a member today and get our weekly harbour digest."
QUOTE = ("\"We will rebuild the pier before the winter storms, whatever it costs,\" the mayor told the council "
         "on Tuesday, to applause from the fishermen in the gallery.")


@pytest.fixture
def learner(tmp_path):
    store = ArchiveStore(tmp_path)
    yield SiteBoilerplate(store.db)
    store.close()


def keys(*texts: str) -> list[str]:
    return [block_key(t) for t in texts]


def test_block_on_min_pages_becomes_boilerplate_once(learner):
    promo = block_key(PROMO)
    for n in range(1, MIN_PAGES):
        assert learner.observe("example.org", f"https://example.org/{n}", keys(f"story {n}", PROMO), [PROMO]) == []
    assert learner.known("example.org") == frozenset()
    assert learner.observe("example.org", "https://example.org/x", keys("story x", PROMO), [PROMO]) == [promo]
    assert learner.known("example.org") == {promo}
    assert learner.observe("example.org", "https://example.org/y", keys("story y", PROMO), [PROMO]) == []
    row = learner.db.execute(
        "select pages, sample, learned_at is not null from boilerplate_blocks where site = ? and block = ?",
        ["example.org", promo],
    ).fetchone()
    assert row == (MIN_PAGES + 1, PROMO, 1)
    # other sites learn nothing from it
    assert learner.known("other.org") == frozenset()


def test_quote_in_two_stories_is_kept(learner):
    for n in range(10):
        texts = [f"paragraph of story {n}"] + ([QUOTE] if n in (3, 7) else [])
        learner.observe("example.org", f"https://example.org/{n}", keys(*texts), texts)
    assert block_key(QUOTE) not in learner.known("example.org")


def test_recapture_of_the_same_page_is_not_counted_twice(learner):
    for _ in range(MIN_PAGES + 2):
        learner.observe("example.org", "https://example.org/same", keys(PROMO), [PROMO])
    assert learner.known("example.org") == frozenset()
    assert learner.db.execute("select pages from boilerplate_sites where site = 'example.org'").fetchone()[0] == 1


def test_share_threshold_on_a_large_site(learner):
    """A quote on MIN_PAGES (and then twice that) pages of a site already known by many pages: under
    MIN_SHARE of them, so it stays; the counter-case, furniture on every page, is learned."""
    pages = int(MIN_PAGES / MIN_SHARE) * 4
    for n in range(pages):
        texts = [f"story {n}", PROMO] + ([QUOTE] if n >= pages - 2 * MIN_PAGES else [])
        learner.observe("big.org", f"https://big.org/{n}", keys(*texts), texts)
    assert block_key(QUOTE) not in learner.known("big.org")
    assert block_key(PROMO) in learner.known("big.org")


def test_new_furniture_on_a_site_archived_for_months_is_learned_after_max_threshold_pages(learner):
    """A site already known by 2,000 pages (5% of it = 100 pages) starts printing a new box: it is learned
    on its MAX_THRESHOLD_PAGES-th page, not its 100th; a quote on fewer pages than that stays."""
    assert learning_threshold(2000) == MAX_THRESHOLD_PAGES < MIN_SHARE * 2000
    assert learning_threshold(10) == MIN_PAGES and learning_threshold(400) == 20
    for n in range(2000):
        learner.observe("big.org", f"https://big.org/old/{n}", keys(f"story {n}"), [f"story {n}"])
    learned_at = None
    for n in range(1, MAX_THRESHOLD_PAGES + 1):
        texts = [f"new story {n}", PROMO] + ([QUOTE] if n < MAX_THRESHOLD_PAGES else [])
        if learner.observe("big.org", f"https://big.org/new/{n}", keys(*texts), texts):
            learned_at = learned_at or n
    assert learned_at == MAX_THRESHOLD_PAGES
    assert block_key(PROMO) in learner.known("big.org") and block_key(QUOTE) not in learner.known("big.org")


def test_archives_with_the_first_page_table_layout_are_converted(tmp_path):
    """archive.db files made before the compact layout kept (site, url, block hex) rows in
    boilerplate_pages: opening the archive converts them, and learning goes on from the same counts."""
    conn = sqlite3.connect(tmp_path / "archive.db")
    conn.execute("create table boilerplate_pages (site text not null, url text not null, block text not null,"
                 " primary key (site, url, block)) without rowid")
    conn.execute("create table boilerplate_sites (site text primary key, pages integer, learned integer)")
    conn.execute("create table boilerplate_blocks (site text, block text, pages integer, first_seen text,"
                 " learned_at text, sample text, primary key (site, block))")
    promo = block_key(PROMO)
    for n in range(MIN_PAGES - 1):
        url = f"https://example.org/{n}"
        for key in keys(f"story {n}", PROMO):
            conn.execute("insert into boilerplate_pages values ('example.org', ?, ?)", [url, key])
            conn.execute("insert into boilerplate_blocks (site, block, pages) values ('example.org', ?, 1)"
                         " on conflict(site, block) do update set pages = pages + 1", [key])
    conn.execute("insert into boilerplate_sites values ('example.org', ?, 0)", [MIN_PAGES - 1])
    conn.commit()
    conn.close()
    store = ArchiveStore(tmp_path)
    try:
        names = set(store.db.table_names())
        assert "boilerplate_pages" not in names and {"boilerplate_urls", "boilerplate_page_blocks"} <= names
        learner = SiteBoilerplate(store.db)
        assert learner.pages_with("example.org", [promo]) == [f"https://example.org/{n}" for n in range(MIN_PAGES - 1)]
        # a page counted before the conversion is not counted again; the next new page makes MIN_PAGES
        assert learner.observe("example.org", "https://example.org/0", keys("story 0", PROMO), [PROMO]) == []
        assert learner.observe("example.org", "https://example.org/new", keys("story new", PROMO), [PROMO]) == [promo]
    finally:
        store.close()


# -- in a real crawl: learned during the crawl, earlier articles cleaned again from their WARC records -----
def _site(root: Path, n: int = 6) -> None:
    links = []
    for i in range(n):
        path = f"2026/11/{10 + i}/harbour-story-{i}.html"
        links.append(f'<li><a href="/{path}">Harbour story {i}</a></li>')
        words = " ".join(f"word{i}x{j}" for j in range(12))
        paragraphs = "".join(
            f"<p>Harbour story {i}, paragraph {j}: the fishing fleet of the town met on day {j} to discuss "
            f"the repairs, {words}, and agreed on a plan that the council will vote on next month.</p>"
            for j in range(6)
        )
        quote = f"<p>{QUOTE}</p>" if i in (1, 4) else ""
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(
            f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Harbour story {i}</title>
<meta property="og:type" content="article"><meta property="og:title" content="Harbour story {i}">
<meta property="article:published_time" content="2026-11-{10 + i}T08:00:00Z"></head>
<body><header><a href="/">The Harbour Courier</a></header><main><article><h1>Harbour story {i}</h1>
{paragraphs[: len(paragraphs) // 2]}{quote}<div class="box"><p>{PROMO}</p></div>{paragraphs[len(paragraphs) // 2 :]}
</article></main></body></html>""",
            encoding="utf-8",
        )
    (root / "index.html").write_text(
        f"<!DOCTYPE html><html><head><title>The Harbour Courier</title></head><body><ul>{''.join(links)}</ul></body></html>",
        encoding="utf-8",
    )
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")


def crawl_promo_site(tmp_path: Path) -> Path:
    """Serve the six-page promo-box site (``_site``) and crawl it; return the archive folder."""
    site_root = tmp_path / "site"
    site_root.mkdir()
    _site(site_root)
    archive = tmp_path / "archive"
    with running(site_root, quiet=True) as base:
        newsarchive("crawl", base + "/", "--archive-dir", archive, "--no-throttle", "-q")
    return archive


def test_crawl_learns_site_boilerplate_and_cleans_stored_articles(tmp_path):
    archive = crawl_promo_site(tmp_path)
    conn = sqlite3.connect(archive / "archive.db")
    texts = dict(conn.execute("select url, text from articles"))
    assert len(texts) == 6
    assert not [url for url, text in texts.items() if "become a member today" in text]
    with_quote = [url for url, text in texts.items() if "rebuild the pier" in text]
    assert sorted(u.rsplit("/", 1)[-1] for u in with_quote) == ["harbour-story-1.html", "harbour-story-4.html"]
    learned = conn.execute("select sample from boilerplate_blocks where learned_at is not null").fetchall()
    assert (PROMO,) in learned
    assert conn.execute("select pages from boilerplate_sites").fetchone()[0] == 6
