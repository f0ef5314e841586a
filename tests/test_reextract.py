"""A real crawl of the Pangea replica (clean text on the first pass), then `newsarchive reextract`."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from archive.boilerplate import BOILERPLATE_TABLES
from archive.extract import EXTRACTOR_VERSION
from conftest import SITES, newsarchive

EXPECTED = json.loads((SITES / "pangea" / "EXPECTED.json").read_text())
FORBIDDEN = ("Accessibility links", "Skip to main content", "Breaking News", "undesirable organization",
             "fines or imprisonment", "click here")
WARCIO = Path(sys.executable).parent / "warcio"


@pytest.fixture(scope="module")
def pangea_archive(pangea_site, tmp_path_factory):
    archive = tmp_path_factory.mktemp("pangea-archive")
    newsarchive("crawl", pangea_site + "/", "--archive-dir", archive, "--no-throttle", "-q")
    return archive


def articles(archive: Path) -> dict[str, dict]:
    conn = sqlite3.connect(archive / "archive.db")
    conn.row_factory = sqlite3.Row
    try:
        return {"/" + r["url"].split("/", 3)[3]: dict(r) for r in conn.execute("select * from articles")}
    finally:
        conn.close()


def warc_digests(archive: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((archive / "warc").glob("*.warc.gz"))}


def test_crawled_pangea_articles_are_clean(pangea_archive):
    rows = articles(pangea_archive)
    assert set(rows) == set(EXPECTED["articles"])
    for path, expected in EXPECTED["articles"].items():
        row = rows[path]
        for phrase in FORBIDDEN:
            assert phrase.lower() not in row["text"].lower(), (path, phrase)
        kept = [p for p in expected["paragraphs"] if p in row["text"]]
        assert len(kept) / len(expected["paragraphs"]) >= 0.98, path
        assert row["image_caption"] == expected["caption"]
        assert expected["caption"] not in row["text"]
        assert row["title"] == expected["title"] and not row["text"].startswith(expected["title"])
        assert row["extractor_version"] == EXTRACTOR_VERSION


def test_reextract_restores_rows_from_warc_records(pangea_archive):
    before = articles(pangea_archive)
    digests = warc_digests(pangea_archive)
    conn = sqlite3.connect(pangea_archive / "archive.db")
    with conn:
        conn.execute("update articles set text = 'stale text', word_count = 2, extractor_version = '0-old'")
    conn.close()
    result = newsarchive("reextract", "--archive-dir", pangea_archive, "--site", "127.0.0.1", "--stale", "-q")
    assert "6 articles re-extracted" in result.stdout
    after = articles(pangea_archive)
    for path, row in after.items():
        assert row["text"] == before[path]["text"] and row["word_count"] == before[path]["word_count"]
        assert row["extractor_version"] == EXTRACTOR_VERSION
        assert row["warc_record_id"] == before[path]["warc_record_id"]
    # the raw captures are only read
    assert warc_digests(pangea_archive) == digests
    for name in digests:
        subprocess.run([str(WARCIO), "check", str(pangea_archive / "warc" / name)], check=True, capture_output=True)
    # the FTS index follows the rows
    conn = sqlite3.connect(pangea_archive / "archive.db")
    hits = conn.execute("select count(*) from articles_fts where articles_fts match 'stale'").fetchone()[0]
    conn.close()
    assert hits == 0
    # nothing stale left: a second --stale run has nothing to do
    again = newsarchive("reextract", "--archive-dir", pangea_archive, "--stale", "-q")
    assert again.stdout.startswith("0 articles re-extracted, 0 unchanged")


def test_reextract_errors_say_what_to_do(tmp_path, pangea_archive):
    missing = newsarchive("reextract", "--archive-dir", tmp_path / "nothing", check=False)
    assert missing.returncode == 1 and "run `newsarchive crawl" in missing.stderr
    unknown = newsarchive("reextract", "--archive-dir", pangea_archive, "--site", "example.org", check=False)
    assert unknown.returncode == 1 and "newsarchive stats" in unknown.stderr


def test_reextract_learns_boilerplate_on_an_archive_that_never_learned(tmp_path):
    """Rows made before learning existed (no boilerplate_* rows): reextract learns the site's promo box
    as it goes and removes it from the rows it wrote before learning it; the quote in two stories stays."""
    from test_boilerplate import PROMO, crawl_promo_site

    archive = crawl_promo_site(tmp_path)
    conn = sqlite3.connect(archive / "archive.db")
    with conn:
        for table in BOILERPLATE_TABLES:
            conn.execute(f"delete from {table}")
        conn.execute("update articles set text = text || char(10) || ?, extractor_version = '1-old'", [PROMO])
    conn.close()
    result = newsarchive("reextract", "--archive-dir", archive, "-q")
    assert "6 articles re-extracted" in result.stdout and "1 boilerplate blocks learned" in result.stdout
    conn = sqlite3.connect(archive / "archive.db")
    texts = [r[0] for r in conn.execute("select text from articles")]
    conn.close()
    assert len(texts) == 6 and not [t for t in texts if "become a member today" in t]
    assert sum("rebuild the pier" in t for t in texts) == 2


def test_a_crawl_warns_when_articles_were_extracted_by_an_older_extractor(tmp_path, pangea_site, pangea_archive):
    """Their next recapture would be compared with the older extractor's text: the crawl says so and
    names the command; after `reextract --stale` (which also re-cleans the version rows) it is quiet."""
    import shutil

    archive = tmp_path / "archive"
    shutil.copytree(pangea_archive, archive)
    conn = sqlite3.connect(archive / "archive.db")
    with conn:
        conn.execute("update articles set extractor_version = '4+old'")
        conn.execute("update article_versions set extractor_version = '4+old'")
    conn.close()
    first = newsarchive("crawl", pangea_site + "/", "--archive-dir", archive, "--no-throttle", "-q")
    assert "warning: 6 archived articles were extracted by an older extractor (6 by 4+old)" in first.stderr
    assert "newsarchive reextract --stale" in first.stderr
    stats = newsarchive("stats", "--archive-dir", archive).stdout
    assert "extracted by: 4+old 6" in stats and "reextract --stale" in stats
    # --no-extract stores no text, so there is nothing to compare: no warning
    quiet = newsarchive("crawl", pangea_site + "/", "--archive-dir", archive, "--no-throttle", "-q", "--no-extract")
    assert "older extractor" not in quiet.stderr
    newsarchive("reextract", "--archive-dir", archive, "--stale", "-q")
    conn = sqlite3.connect(archive / "archive.db")
    made_by = {r[0] for r in conn.execute(
        "select v.extractor_version from article_versions v join articles a"
        " on a.url = v.url and a.warc_record_id = v.warc_record_id")}
    conn.close()
    assert made_by == {EXTRACTOR_VERSION}
    again = newsarchive("crawl", pangea_site + "/", "--archive-dir", archive, "--no-throttle", "-q")
    assert "older extractor" not in again.stderr
