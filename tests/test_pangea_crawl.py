"""The RFE/RL profile over the local Pangea replica: every article's body archived and searchable."""

from __future__ import annotations

import json
import sqlite3
from urllib.parse import urlsplit

import pytest

from archive.search import search
from archive.store import ArchiveStore
from conftest import SITES, newsarchive

EXPECTED = json.loads((SITES / "pangea" / "EXPECTED.json").read_text())


@pytest.fixture(scope="module")
def pangea_archive(pangea_site, tmp_path_factory):
    archive_dir = tmp_path_factory.mktemp("pangea")
    newsarchive("crawl", pangea_site + "/", "--spider", "rferl", "--archive-dir", archive_dir, "--no-throttle", "-q")
    return archive_dir


def test_rferl_spider_stores_every_article_body(pangea_archive):
    conn = sqlite3.connect(pangea_archive / "archive.db")
    stored = {urlsplit(url).path: (title, text) for url, title, text in conn.execute("select url, title, text from articles")}
    assert set(stored) == set(EXPECTED["articles"])
    for path, expected in EXPECTED["articles"].items():
        title, text = stored[path]
        assert title == expected["title"]
        flat = " ".join(text.split())
        kept = [p for p in expected["paragraphs"] if " ".join(p.split()) in flat]
        assert len(kept) == len(expected["paragraphs"]), (path, set(expected["paragraphs"]) - set(kept))


def test_sections_and_programme_pages_are_not_articles(pangea_archive):
    conn = sqlite3.connect(pangea_archive / "archive.db")
    reasons = dict(conn.execute("select url, reason from captures where url like '%/z/%' or url like '%/p/%'"))
    assert reasons and set(reasons.values()) == {"listing"}
    # The sitemap robots.txt announces is read even though "Disallow: /s" matches its path.
    assert conn.execute("select reason from captures where url like '%/sitemap.xml'").fetchone()[0] == "urlset"


def test_pangea_article_found_by_phrase(pangea_archive):
    store = ArchiveStore(pangea_archive, read_only=True)
    hits = search(store.db, '"missile defense shield" Rasmussen', site="127.0.0.1")
    assert hits and "nato-chief-says-missile-defense" in hits[0].url
