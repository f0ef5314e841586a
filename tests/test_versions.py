"""Article revisions in a real archive.db: when a version is added, what it holds, and its diff."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from archive import versions
from archive.extract import Article
from archive.schedule import PreviousCapture, ScheduleError, fetch_reason, next_due, parse_schedule
from archive.store import ArchiveStore
from archive.warcwriter import RecordLocation
from conftest import columns_after_reopening_without

URL = "http://127.0.0.1:1/2026/11/20/story.html"
TEXT = "First paragraph of the story, as published.\nSecond paragraph with the mayor's quote."


def save(store, title, text, n, crawl="c1"):
    article = Article(url=URL, title=title, text=text, word_count=len(text.split()))
    location = RecordLocation(f"f{n}.warc.gz", n * 100, 99, f"<urn:uuid:{n}>", "2026-11-28T00:00:00Z")
    return store.save_article(article, location=location, crawl_id=crawl, fetched_at=f"2026-11-28T0{n}:00:00Z")


@pytest.fixture
def store(tmp_path):
    store = ArchiveStore(tmp_path)
    for crawl in ("c1", "c2", "c3"):
        store.start_crawl(crawl, spider="news", seeds=[], settings={})
    yield store
    store.close()


def test_first_capture_is_version_one_and_unchanged_recaptures_add_nothing(store):
    save(store, "Headline", TEXT, 1)
    # Re-wrapped whitespace and blank lines are not an edit.
    save(store, "  Headline ", TEXT.replace(" ", "  ").replace("\n", "\n\n  "), 2, crawl="c2")
    history = versions.history(store.db, URL)
    assert [(v["version"], v["warc_filename"], v["diff"]) for v in history] == [(1, "f1.warc.gz", None)]
    assert store.article(URL)["warc_filename"] == "f2.warc.gz", "articles holds the latest capture"
    assert store.db["crawls"].get("c2")["versions_new"] == 0


def test_an_edit_adds_a_version_with_a_unified_diff(store):
    save(store, "Headline", TEXT, 1)
    save(store, "Headline, corrected", TEXT.replace("mayor's", "deputy mayor's"), 2, crawl="c2")
    save(store, "Headline, corrected", TEXT.replace("mayor's", "deputy mayor's"), 3, crawl="c3")
    history = versions.history(store.db, URL)
    assert [(v["version"], v["crawl_id"], v["warc_record_id"]) for v in history] == [
        (1, "c1", "<urn:uuid:1>"), (2, "c2", "<urn:uuid:2>")
    ]
    assert history[1]["diff"] == "\n".join([
        "--- version 1 (2026-11-28T01:00:00Z)",
        "+++ version 2 (2026-11-28T02:00:00Z)",
        "@@ -1,4 +1,4 @@",
        "-title: Headline",
        "+title: Headline, corrected",
        " ",
        " First paragraph of the story, as published.",
        "-Second paragraph with the mayor's quote.",
        "+Second paragraph with the deputy mayor's quote.",
    ])
    assert [store.db["crawls"].get(c)["versions_new"] for c in ("c1", "c2", "c3")] == [0, 1, 0]
    assert store.article(URL)["title"] == "Headline, corrected"
    assert store.article(URL)["first_fetched_at"] == "2026-11-28T01:00:00Z"


def test_articles_archived_before_versions_existed_get_their_history_started(store):
    save(store, "Headline", TEXT, 1)
    store.db.execute("delete from article_versions")  # as in an archive made before this table
    save(store, "Headline", TEXT + "\nUpdate: a third paragraph.", 2, crawl="c2")
    history = versions.history(store.db, URL)
    assert [(v["version"], v["warc_filename"]) for v in history] == [(1, "f1.warc.gz"), (2, "f2.warc.gz")]
    assert "+Update: a third paragraph." in history[1]["diff"]


def test_schedule_points_and_reasons():
    assert parse_schedule("1h,1d,7d") == (timedelta(hours=1), timedelta(days=1), timedelta(days=7))
    assert parse_schedule("2s, 30m") == (timedelta(seconds=2), timedelta(minutes=30))
    assert parse_schedule("") == () and parse_schedule("never") == ()
    with pytest.raises(ScheduleError, match="bad recapture delay '1 hour'"):
        parse_schedule("1 hour")

    first = datetime(2026, 11, 1, tzinfo=UTC)
    iso = lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # noqa: E731 (the store's format)
    captured = PreviousCapture(URL, iso(first), iso(first), None)
    schedule = parse_schedule("1h,1d,7d")
    assert fetch_reason(None) == "new"
    assert fetch_reason(captured, schedule=schedule, now=first + timedelta(minutes=59)) is None
    assert fetch_reason(captured, schedule=schedule, now=first + timedelta(minutes=61)) == "due"
    # Last captured on day 3: the next point is day 7 (missed points are not made up one by one).
    later = PreviousCapture(URL, iso(first), iso(first + timedelta(days=3)), None)
    assert next_due(later, schedule) == first + timedelta(days=7)
    spent = PreviousCapture(URL, iso(first), iso(first + timedelta(days=8)), None)
    assert next_due(spent, schedule) is None
    assert fetch_reason(spent, schedule=schedule, now=first + timedelta(days=300)) is None
    # A sitemap/feed date after the last capture brings it back whatever the schedule.
    assert fetch_reason(spent, lastmod="2026-11-09T12:00:00+00:00", schedule=schedule) == "lastmod"
    assert fetch_reason(spent, lastmod="2026-11-08", schedule=schedule) is None
    assert fetch_reason(spent, lastmod="not a date", schedule=schedule) is None
    # A date far in the future is a broken clock, not an edit.
    assert fetch_reason(spent, lastmod="2099-01-01T00:00:00Z", schedule=schedule, now=first + timedelta(days=9)) is None
    assert fetch_reason(spent, lastmod="2026-11-10T12:00:00Z", schedule=schedule, now=first + timedelta(days=9)) == "lastmod"


def test_identical_payload_cleaned_differently_is_not_an_edit(store):
    def save_digest(text, n, crawl):
        article = Article(url=URL, title="Headline", text=text, word_count=len(text.split()))
        location = RecordLocation(f"f{n}.warc.gz", n * 100, 99, f"<urn:uuid:{n}>", "2026-11-28T00:00:00Z",
                                  payload_digest="sha1:SAMEBYTES")
        store.save_article(article, location=location, crawl_id=crawl, fetched_at=f"2026-11-28T0{n}:00:00Z")

    save_digest(TEXT + "\nSign up for our newsletter", 1, "c1")
    # Same bytes from the server; the newsletter line is now known boilerplate and cleaned away.
    save_digest(TEXT, 2, "c2")
    history = versions.history(store.db, URL)
    assert [v["version"] for v in history] == [1]
    assert history[0]["text"] == TEXT, "the version follows the better cleaning of the same capture"
    assert store.db["crawls"].get("c2")["versions_new"] == 0


def test_each_version_names_its_extractor_and_a_reclean_updates_it(store):
    article = Article(url=URL, title="Headline", text=TEXT, word_count=10, extractor_version="4+old")
    location = RecordLocation("f1.warc.gz", 100, 99, "<urn:uuid:1>", "2026-11-28T00:00:00Z")
    store.save_article(article, location=location, crawl_id="c1", fetched_at="2026-11-28T01:00:00Z")
    assert versions.history(store.db, URL)[0]["extractor_version"] == "4+old"
    # the same capture extracted again by another extractor (`reextract`): the version row follows
    versions.reclean(store.db, URL, "<urn:uuid:1>", "Headline", TEXT, "5+new")
    assert [(v["version"], v["extractor_version"]) for v in versions.history(store.db, URL)] == [(1, "5+new")]


def test_an_archive_made_before_extractor_versions_gets_the_column(tmp_path):
    assert "extractor_version" in columns_after_reopening_without(tmp_path, "article_versions", "extractor_version")
