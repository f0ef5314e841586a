"""``published``/``modified`` as ISO 8601 whatever shape pages declare, and filters that compare instants."""

from __future__ import annotations

import pytest

from archive.dates import iso_date
from archive.export import iter_articles
from archive.extract import parse_html
from archive.pagemeta import page_metadata
from archive.search import search
from archive.store import ArchiveStore

# Every non-ISO shape the corpus's pages declare (../shared/corpus), and the ISO shapes that sort apart.
SHAPES = {
    "November 19, 2019, 07:47 PM EST": "2019-11-19T19:47:00-05:00",  # crn.com
    "19 Nov 2019 07:09 GMT": "2019-11-19T07:09:00+00:00",  # aljazeera.com
    "Mon, 18 Nov 2019 16:07:38 -0600": "2019-11-18T16:07:38-06:00",  # nbcdfw.com
    "November 19, 2019": "2019-11-19",  # profootballtalk
    "Tue Nov 19 2019 03:05:46 GMT+0000": "2019-11-19T03:05:46+00:00",  # forbes.com (JavaScript's Date)
    "November 20, 2019 12:32": "2019-11-20T12:32:00",  # no offset given: none invented
    "12/20/2023 20:41:43": "2023-12-20T20:41:43",  # hotair.com, townhall.com: month first
    "12/21/2023 4:30:26 PM": "2023-12-21T16:30:26",  # redstate.com
    "Sat, 23 Dec 2023 05:42:00 PST": "2023-12-23T05:42:00-08:00",  # inquirer.net
    "2023-12-22T15:55:11.647030Z EST": "2023-12-22T15:55:11+00:00",  # Hearst: UTC, then a stray zone name
    "2023-12-22 23:21:43 -0600": "2023-12-22T23:21:43-06:00",  # rivals.com
    "Fri, 12/22/2023 - 05:00": "2023-12-22T05:00:00",  # topgear.com (Drupal): the dash is no offset
    "2019-11-19T19:47:00+0100": "2019-11-19T19:47:00+01:00",
    "2023-12-22T15:55Z": "2023-12-22T15:55:00+00:00",
    "2023-12-22T10:00:00.000+00:00": "2023-12-22T10:00:00+00:00",
    "2023-12-22": "2023-12-22",
    # dateutil reads "GMT+3" the POSIX way (three hours behind); pages mean ahead.
    "Tue Nov 19 2019 03:05:46 GMT+0300": "2019-11-19T03:05:46+03:00",
    "Tue Nov 19 2019 03:05:46 GMT-0500 (Eastern Standard Time)": "2019-11-19T03:05:46-05:00",
}


@pytest.mark.parametrize("declared", sorted(SHAPES))
def test_declared_shapes_become_iso(declared):
    assert iso_date(declared) == SHAPES[declared]


@pytest.mark.parametrize("value", ["", None, "Tuesday", "November 2019", "Updated 2 hours ago", "0001-01-01",
                                   "garbage 12", "1700000000", "9999-12-31"])
def test_what_is_no_date_gives_none(value):
    assert iso_date(value) is None


def test_the_first_declared_value_that_is_a_date_wins():
    html = b"""<html><head>
      <script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "Updated 2 hours ago"}</script>
      <meta property="article:published_time" content="Sat, 23 Dec 2023 05:42:00 PST">
      <meta property="article:modified_time" content="12/24/2023 08:00:00">
      </head><body><p>x</p></body></html>"""
    meta = page_metadata(parse_html(html, "text/html"), "http://example.org/a")
    assert (meta.published, meta.modified) == ("2023-12-23T05:42:00-08:00", "2023-12-24T08:00:00")


@pytest.fixture
def store(tmp_path):
    store = ArchiveStore(tmp_path)
    rows = {  # published as pages declare them, in three offsets: 09:30Z, 10:15Z, 10:45Z
        "a": "2026-11-21T10:30:00+01:00", "b": "2026-11-21T05:15:00-05:00", "c": "2026-11-21T10:45:00Z",
    }
    for name, published in rows.items():
        store.db["articles"].insert({"url": f"http://x.test/{name}", "site": "x.test", "title": f"flood {name}",
                                     "text": "flood waters", "published": published, "fetched_at": "2026-11-28T00:00:00Z"})
    yield store
    store.close()


def test_a_time_filter_compares_instants_not_text(store):
    def exported(**filters):
        return sorted(row[columns.index("url")][-1] for columns, row in iter_articles(store.db.conn, **filters))

    assert exported(since="2026-11-21T10:00:00Z") == ["b", "c"]  # as text, "a" (10:30+01:00) would pass
    assert exported(until="2026-11-21T10:00:00Z") == ["a"]
    assert exported(since="2026-11-21") == ["a", "b", "c"]  # a day: the publisher's day
    assert sorted(hit.url[-1] for hit in search(store.db, "flood", since="2026-11-21T10:00:00+00:00")) == ["b", "c"]


def test_a_long_value_is_no_date():
    assert iso_date("2023-12-22 " + "x" * 200) is None
    assert iso_date("1 " * 100_000) is None
