"""`newsarchive serve`: Datasette over a real crawl (the demo site plus a hostile article), checked through
its HTTP endpoints: metadata, search that never fails, facets, canned queries, and the archived-copy view."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import urllib.error
import urllib.parse
import urllib.request

import pytest
import yaml
from browsing import HOSTILE_PATH, HOSTILE_PHRASE, HOSTILE_TITLE, db_rows, hostile_archive, serving
from datasette.utils import tilde_encode

from archive.datasette_plugin import METADATA_PATH, SERVED_TYPES, parse_id, safe_fts
from archive.store import ArchiveStore
from conftest import newsarchive

HOSTILE_SEARCHES = ['"', '""', "*", "NEAR(", "NEAR(quince", "(quince", "quince)", "(", ")", "-", "AND", "quince OR",
                    "title:", "nosuchcolumn: quince", '"quince', "quince*", "^", "'; drop table articles; --", " "]


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


def get_json(url: str):
    status, _, body = get(url)
    assert status == 200, (url, status, body[:500])
    return json.loads(body)


def q(**params) -> str:
    return urllib.parse.urlencode(params)


EDITED_FROM = "forty-two trees"
EDITED_TO = "forty-three trees"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """The hostile site crawled twice: between the runs the hostile article is edited, so the second
    (full) run records a second version with a diff and revisits for the unchanged pages."""
    root = tmp_path_factory.mktemp("serve")
    with hostile_archive(root) as (site, archive_dir):
        page = root / "site" / HOSTILE_PATH.lstrip("/")
        page.write_text(page.read_text(encoding="utf-8").replace(EDITED_FROM, EDITED_TO), encoding="utf-8")
        newsarchive("crawl", site + "/", "--archive-dir", archive_dir, "--no-throttle", "--quiet",
                    "-s", "NEWSARCHIVE_INCREMENTAL=False")
        yield site, archive_dir


@pytest.fixture(scope="module")
def served(crawled):
    site, archive_dir = crawled
    with serving(archive_dir) as base:
        yield site, archive_dir, base


# -- metadata -------------------------------------------------------------------------------------------
def test_metadata_describes_every_column_of_every_table(tmp_path):
    tables = yaml.safe_load(METADATA_PATH.read_text())["databases"]["archive"]["tables"]
    store = ArchiveStore(tmp_path)  # the schema a crawl creates today
    try:
        for name in ("articles", "captures", "crawls", "article_versions"):
            columns = list(store.db[name].columns_dict)
            described = tables[name]["columns"]
            assert not set(columns) - set(described), f"{name}: undescribed columns"
            assert not set(described) - set(columns), f"{name}: described columns that do not exist"
            assert all(isinstance(text, str) and len(text) > 10 for text in described.values())
    finally:
        store.close()


def test_served_metadata_title_facets_sort_and_search(served):
    _, archive_dir, base = served
    meta = get_json(base + "/-/metadata.json")
    assert meta["title"] == "News archive"
    data = get_json(base + "/archive/articles.json?" + q(_shape="objects", _size=100))
    urls = [row["url"] for row in data["rows"]]
    expected = [r["url"] for r in db_rows(archive_dir, "select url from articles order by published desc")]
    assert urls == expected and len(urls) >= 10  # newest published first
    assert urls[0].endswith(HOSTILE_PATH)  # published 2026-11-28, the newest
    facets = data["facet_results"]
    assert {"site", "language", "published"} <= set(facets)
    assert {r["value"]: r["count"] for r in facets["language"]["results"]} == {
        r["language"]: r["n"] for r in db_rows(archive_dir, "select language, count(*) as n from articles group by 1")
    }
    assert facets["published"]["type"] == "date"


def test_search_phrases_and_fts_syntax(served):
    _, _, base = served

    def search(text: str, **extra) -> list[str]:
        return [r["title"] for r in get_json(base + "/archive/articles.json?" + q(_shape="array", _search=text, **extra))]

    assert search(f'"{HOSTILE_PHRASE}"') == [HOSTILE_TITLE]
    assert search('"ledger orchard quince"') == []  # a phrase is a phrase, not three words
    assert search("ledger orchard quince") == [HOSTILE_TITLE]
    assert search("quinc*") == [HOSTILE_TITLE]  # prefix query
    assert search("NEAR(quince ledger, 3)") == [HOSTILE_TITLE]
    assert search("sandbag OR quince") == search("quince OR sandbag") and len(search("sandbag OR quince")) == 2
    everything = [r["title"] for r in get_json(base + "/archive/articles.json?_shape=array")]
    assert search("") == search("   ") == search("", _searchmode="raw") == everything  # a blank search box
    ranked = get_json(base + "/archive/search.json?" + q(_shape="array", q="quince OR sandbag", site=""))
    assert [r["title"] for r in ranked][0] == HOSTILE_TITLE  # "quince" is in its title: weighted 10x
    assert "[quince]" in ranked[0]["snippet"]
    assert get_json(base + "/archive/search.json?" + q(_shape="array", q="quince", site="elsewhere.org")) == []
    status, _, html = get(base + "/archive/search?" + q(q=HOSTILE_PHRASE, site="127.0.0.1"))
    assert status == 200 and b'href="/-/archived/urn:uuid:' in html
    status, headers, body = get(base + "/archive/articles.csv?" + q(_search=HOSTILE_PHRASE, _size="max"))
    assert status == 200 and headers["content-type"].startswith("text/plain")  # Datasette's CSV, as ever
    assert body.decode().count("\r\n") == 2 and HOSTILE_TITLE in body.decode()


@pytest.mark.parametrize("text", HOSTILE_SEARCHES)
def test_hostile_search_strings_give_results_or_nothing_never_an_error(served, text):
    _, _, base = served
    for mode in ({}, {"_searchmode": "raw"}, {"_searchmode": "escaped"}):
        url = base + "/archive/articles.json?" + q(_shape="array", _search=text, **mode)
        status, _, body = get(url)
        assert status == 200, (text, mode, body[:300])
        assert isinstance(json.loads(body), list)
        status, _, body = get(base + "/archive/articles?" + q(_search=text, **mode))  # the HTML page too
        assert status == 200, (text, mode)
    status, _, body = get(base + "/archive/search.json?" + q(_shape="array", q=text, site=""))  # ranked search
    assert status == 200 and isinstance(json.loads(body), list), (text, body[:300])


def test_safe_fts_keeps_valid_syntax_and_quotes_the_rest():
    assert safe_fts('"a b" OR c*') == '"a b" OR c*'
    assert safe_fts("NEAR(a") == '"NEAR" "a"'
    assert safe_fts('"') == '""'
    assert safe_fts("") == '""'


# -- the archived copy ----------------------------------------------------------------------------------
def test_article_rows_link_to_archived_copy_and_original(served):
    site, archive_dir, base = served
    article = db_rows(archive_dir, "select * from articles where url like ?", ["%" + HOSTILE_PATH])[0]
    status, _, html = get(base + "/archive/articles?" + q(_search=HOSTILE_PHRASE))
    assert status == 200
    record = article["warc_record_id"].strip("<>")
    assert f'href="/-/archived/{record}"'.encode() in html
    assert f'href="{site + HOSTILE_PATH}"'.encode() in html  # canonical_url cell: the original
    crawl = f'href="/archive/crawls/{tilde_encode(article["crawl_id"])}"'
    assert crawl.encode() in html
    assert get(base + f"/archive/crawls/{tilde_encode(article['crawl_id'])}.json")[0] == 200
    # The table view cuts long text; the row page shows all of it.
    status, _, row_page = get(base + "/archive/articles/" + tilde_encode(article["url"]))
    assert status == 200 and article["text"].splitlines()[-1].encode() in row_page
    assert article["text"].splitlines()[-1].encode() not in html


def test_archived_copy_is_the_captured_page_served_sandboxed(served):
    site, archive_dir, base = served
    article = db_rows(archive_dir, "select * from articles where url like ?", ["%" + HOSTILE_PATH])[0]
    status, headers, body = get(base + "/-/archived/" + article["warc_record_id"].strip("<>"))
    assert status == 200
    _, _, live = get(site + HOSTILE_PATH)
    assert body == live  # byte for byte what the site sent (content-encoding undone)
    assert b"<script>" in body and HOSTILE_TITLE.encode() in body
    csp = [d.strip() for d in headers["content-security-policy"].split(";")]
    assert "sandbox" in csp  # no allow-scripts, no allow-same-origin
    assert "allow-" not in headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-type"].startswith("text/html")
    assert "set-cookie" not in headers
    # The same record through its capture id, and with its angle brackets.
    capture = db_rows(archive_dir, "select id from captures where warc_record_id = ?", [article["warc_record_id"]])[0]
    assert get(base + f"/-/archived/{capture['id']}")[2] == body
    assert get(base + "/-/archived/" + urllib.parse.quote(article["warc_record_id"]))[2] == body


def test_archived_copy_of_a_captured_set_cookie_response_sets_no_cookie(served):
    """Captured headers are never replayed: a page that set cookies when crawled sets none here."""
    _, archive_dir, base = served
    for capture in db_rows(archive_dir, "select id from captures where status = 200 and warc_type = 'response' limit 5"):
        status, headers, _ = get(base + f"/-/archived/{capture['id']}")
        assert status == 200
        assert "set-cookie" not in headers and "sandbox" in headers["content-security-policy"]


@pytest.mark.parametrize(
    "raw",
    [
        "urn:uuid:00000000-0000-4000-8000-000000000000",
        "99999999",
        "0",
        "..%2F..%2Farchive.db",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "archive.db",
        "warc",
        "urn:uuid:../../archive.db",
        "1%20or%201=1",
        "x" * 150,
        "-1",
    ],
)
def test_unknown_or_malformed_ids_are_404_without_paths(served, raw):
    _, archive_dir, base = served
    status, headers, body = get(base + "/-/archived/" + raw)
    assert status == 404
    assert str(archive_dir).encode() not in body and b".warc" not in body
    if "/" not in urllib.parse.unquote(raw):  # reached the view (a slash is Datasette's own 404)
        assert "sandbox" in headers["content-security-policy"]


def test_only_inert_content_types_are_served_as_captured():
    for kept in ("text/html; charset=utf-8", "application/pdf", "image/jpeg", "application/rss+xml"):
        assert SERVED_TYPES.match(kept)
    for neutered in ("image/svg+xml", "application/javascript", "text/javascript", "application/x-shockwave-flash",
                     "text/htmlx", "multipart/x-mixed-replace", ""):
        assert not SERVED_TYPES.match(neutered), neutered


def test_parse_id_is_strict():
    assert parse_id("12") == ("capture", 12)
    assert parse_id("<urn:uuid:0a0b0c0d-0000-4000-8000-000000000000>") == (
        "record",
        "<urn:uuid:0a0b0c0d-0000-4000-8000-000000000000>",
    )
    assert parse_id("urn:uuid:0a0b0c0d-0000-4000-8000-000000000000") == parse_id(
        "<urn:uuid:0a0b0c0d-0000-4000-8000-000000000000>"
    )
    for bad in ("<urn:uuid:0a0b0c0d-0000-4000-8000-000000000000", "", "1.5", "../1", "urn:uuid:x", "12a", "1" * 19, "urn:uuid:0a0b0c0d-0000-4000-8000-000000000000/x"):
        assert parse_id(bad) is None


# -- canned queries ---------------------------------------------------------------------------------------
def test_canned_queries(served):
    _, archive_dir, base = served
    per_day = get_json(base + "/archive/articles_per_site_per_day.json?_shape=array")
    assert sum(r["articles"] for r in per_day) == db_rows(archive_dir, "select count(*) as n from articles")[0]["n"]
    assert {"site": "127.0.0.1", "day": "2026-11-28", "articles": 1} in per_day
    failed = {r["failure"]: r for r in get_json(base + "/archive/failed_fetches_by_reason.json?_shape=array")}
    expected_404 = db_rows(archive_dir, "select count(*) as n from captures where status = 404")[0]["n"]
    assert expected_404 > 0 and failed["HTTP 404"]["fetches"] == expected_404
    assert any(name.startswith("ignored:") for name in failed)  # robots.txt kept /private/ out
    edits = get_json(base + "/archive/latest_edits.json?_shape=array")
    edit = next(e for e in edits if e["url"].endswith(HOSTILE_PATH))
    assert edit["version"] == 2 and edit["title"] == HOSTILE_TITLE
    assert "-Volunteers spent the summer" in edit["diff"] and EDITED_FROM in edit["diff"]
    assert "+Volunteers spent the summer" in edit["diff"] and EDITED_TO in edit["diff"]
    assert [e["fetched_at"] for e in edits] == sorted((e["fetched_at"] for e in edits), reverse=True)


def test_articles_per_day_counts_undated_articles_on_their_fetch_day(crawled, tmp_path):
    _, archive_dir = crawled
    sql = yaml.safe_load(METADATA_PATH.read_text())["databases"]["archive"]["queries"]["articles_per_site_per_day"]["sql"]
    reference = """select site, substr(coalesce(published, fetched_at), 1, 10) as day, count(*) as articles
                   from articles group by site, day"""
    src, conn = sqlite3.connect(archive_dir / "archive.db"), sqlite3.connect(tmp_path / "copy.db")
    src.backup(conn)
    src.close()
    with conn:  # some undated articles, one fetched on a day that also has dated ones
        conn.execute("update articles set published = null where rowid % 3 = 0")
        conn.execute("update articles set fetched_at = '2026-11-27T23:00:00Z' where rowid = 3")
    got, expected = conn.execute(sql).fetchall(), conn.execute(reference).fetchall()
    conn.close()
    assert sorted(got) == sorted(expected)
    assert [row[1] for row in got] == sorted((row[1] for row in got), reverse=True)


def test_revisit_records_are_served_with_the_body_they_repeat(served):
    _, archive_dir, base = served
    revisits = db_rows(archive_dir, "select id, url, payload_digest from captures where warc_type = 'revisit'")
    assert revisits, "the second crawl wrote no revisit records"
    for revisit in revisits[:3]:
        status, headers, body = get(base + f"/-/archived/{revisit['id']}")
        assert status == 200, revisit
        original = db_rows(
            archive_dir,
            "select id from captures where payload_digest = ? and warc_type = 'response' order by fetched_at",
            [revisit["payload_digest"]],
        )[0]
        assert body and body == get(base + f"/-/archived/{original['id']}")[2]
        assert "sandbox" in headers["content-security-policy"]


# -- read-only, live, and a damaged archive ---------------------------------------------------------------
@pytest.fixture(scope="module")
def damaged(crawled, tmp_path_factory):
    """A copy of the archive database without its WARC files and without article_versions (an archive
    made before revisions existed), served while a writer adds a row."""
    _, archive_dir = crawled
    copy = tmp_path_factory.mktemp("damaged") / "archive"
    copy.mkdir()
    src = sqlite3.connect(archive_dir / "archive.db")
    dst = sqlite3.connect(copy / "archive.db")
    src.backup(dst)
    src.close()
    dst.execute("drop table article_versions")
    dst.commit()
    dst.close()
    with serving(copy) as base:
        yield copy, base


def test_missing_warc_file_is_a_404_that_names_no_file(damaged):
    copy, base = damaged
    record = db_rows(copy, "select warc_record_id from articles limit 1")[0]["warc_record_id"]
    status, _, body = get(base + "/-/archived/" + record.strip("<>"))
    assert status == 404
    assert b"cannot be read" in body and b".warc" not in body and str(copy).encode() not in body


def test_latest_edits_without_article_versions_is_empty_not_an_error(damaged):
    _, base = damaged
    assert get_json(base + "/archive/latest_edits.json?_shape=array") == []


def test_serve_reads_the_live_database_and_never_writes(damaged):
    copy, base = damaged
    before = get_json(base + "/archive/articles.json?_size=0")["filtered_table_rows_count"]
    conn = sqlite3.connect(copy / "archive.db")
    with conn:
        conn.execute("insert into articles (url, site, title, text) values ('https://late.example/a', 'late.example', 'Late', 'late text')")
    conn.close()
    assert get_json(base + "/archive/articles.json?_size=0")["filtered_table_rows_count"] == before + 1
    status, _, body = get(base + "/archive.json?" + q(sql="delete from articles"))
    assert status == 400  # Datasette runs read-only SQL only
    assert get_json(base + "/archive/articles.json?_size=0")["filtered_table_rows_count"] == before + 1


def test_serve_refuses_a_missing_or_corrupt_archive_or_a_busy_port(crawled, tmp_path):
    result = newsarchive("serve", "--archive-dir", tmp_path / "nothing", "--port", "1", check=False, timeout=60)
    assert result.returncode == 1
    assert "no archive at" in result.stderr and "newsarchive crawl" in result.stderr
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / "archive.db").write_bytes(b"this is not sqlite\x00" * 500)
    result = newsarchive("serve", "--archive-dir", corrupt, "--port", "1", check=False, timeout=60)
    assert result.returncode == 1
    assert "not a readable SQLite archive" in result.stderr
    with socket.socket() as busy:  # a port someone else listens on
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = newsarchive("serve", "--archive-dir", crawled[1], "--port", port, check=False, timeout=60)
    assert result.returncode == 1 and f"cannot listen on 127.0.0.1:{port}" in result.stderr
    other = tmp_path / "other"
    other.mkdir()
    sqlite3.connect(other / "archive.db").execute("create table t (x)").connection.close()
    result = newsarchive("serve", "--archive-dir", other, "--port", "1", check=False, timeout=60)
    assert result.returncode == 1 and "not a newsarchive archive" in result.stderr
    shutil.rmtree(corrupt)
