"""`export-wacz --site/--since` packages only the selected records: new WARC files made of every capture
of the selected article URLs (and each revisit's original), copied byte for byte from the archive's files,
which also hold other sites' captures.

Two loopback sites are crawled in one run, so their records share WARC files: the demo site on
127.0.0.1 and the Pangea replica on 127.0.0.2 (another loopback address, so another `site`).
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from changingsite import ChangingSite, Story, paragraphs
from lxml import html as lxml_html
from test_replay import plain_phrase
from warcio.archiveiterator import ArchiveIterator

from archive.requisites import page_requisites
from archive.selection import article_filter
from archive.wacz import export_wacz
from archive.warcwriter import REVISIT_IDENTICAL, REVISIT_NOT_MODIFIED
from conftest import SITES, newsarchive, wb_manager
from siteserver import free_port, running, stop_process

WARCIO = Path(sys.executable).parent / "warcio"
PANGEA_HOST = "127.0.0.2"


@dataclass(frozen=True)
class Rec:
    file: Path
    offset: int
    length: int
    type: str
    id: str
    url: str | None
    concurrent_to: str | None
    refers_to: str | None
    date: str
    profile: str | None
    fields: str  # the block of a warcinfo record


def records(paths) -> list[Rec]:
    out = []
    for path in paths:
        with open(path, "rb") as handle:
            iterator = ArchiveIterator(handle)
            for record in iterator:
                h = record.rec_headers
                block = record.content_stream().read().decode("utf-8", "replace") if record.rec_type == "warcinfo" else ""
                offset = iterator.get_record_offset()
                iterator.read_to_end()
                out.append(Rec(Path(path), offset, iterator.get_record_length(), record.rec_type,
                               h.get_header("WARC-Record-ID"), h.get_header("WARC-Target-URI"),
                               h.get_header("WARC-Concurrent-To"), h.get_header("WARC-Refers-To"),
                               h.get_header("WARC-Date"), h.get_header("WARC-Profile"), block))
    return out


def raw(rec: Rec) -> bytes:
    with open(rec.file, "rb") as handle:
        handle.seek(rec.offset)
        return handle.read(rec.length)


def unpack(wacz: Path, into: Path) -> list[Path]:
    with zipfile.ZipFile(wacz) as zf:
        zf.extractall(into)
    return sorted((into / "archive").glob("*.warc.gz"))


def warcio_check(paths) -> None:
    check = subprocess.run([str(WARCIO), "check", "-v", *map(str, paths)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout[-3000:] + check.stderr[-3000:]
    assert "digest pass" in check.stdout


def wacz_validate(tools: Path, wacz: Path) -> None:
    check = subprocess.run([str(tools / "wacz"), "validate", "-f", str(wacz)], capture_output=True, text=True)
    assert check.returncode == 0 and "Validation succeeded" in check.stdout, check.stdout + check.stderr


def expected_records(db: Path, source: list[Rec], where: str, params=()) -> set[str]:
    """Record ids the package must hold: the response/revisit record of every capture of the article URLs
    ``where`` selects and of the page requisites their stored pages embed (plus what those stylesheets
    loaded), the request and metadata records linked to them, and each revisit's original."""
    conn = sqlite3.connect(db)
    urls = {url for (url,) in conn.execute(f"select url from articles where {where}", params)}
    captures = {rid for url in urls for (rid,) in conn.execute(
        "select warc_record_id from captures where url = ? and warc_record_id is not null", [url])}
    embeds = set()
    for url, record_id in conn.execute(f"select url, warc_record_id from articles where {where}", params):
        try:  # a damaged page: its embeds are unknown (the export cannot read them either)
            page = next(iter(ArchiveIterator(BytesIO(raw(next(r for r in source if r.id == record_id))))))
            tree = lxml_html.fromstring(page.content_stream().read())
        except Exception:  # noqa: BLE001 (warcio raises several kinds on a bad member)
            continue
        embeds |= {embed for embed, _ in page_requisites(tree, url)}
    captures |= {rid for rid, url, embedded_by in conn.execute(
        "select warc_record_id, url, embedded_by from captures where reason = 'requisite' and warc_record_id is not null")
        if url in embeds or embedded_by in embeds}
    by_id = {r.id: r for r in source}
    linked = {r.id for r in source if r.type in ("request", "metadata") and (r.concurrent_to in captures or r.refers_to in captures)}
    originals = {by_id[rid].refers_to for rid in captures if by_id[rid].type == "revisit"}
    return captures | linked | originals


@contextlib.contextmanager
def wayback(tools: Path, root: Path, collections: dict[str, Path]):
    """pywb on loopback over one collection per WACZ; yields its base URL."""
    root.mkdir()
    for name, wacz in collections.items():
        wb_manager(tools, root, "init", name)
        wb_manager(tools, root, "add", "--unpack-wacz", name, str(wacz))
    port = free_port()
    server = subprocess.Popen([str(tools / "wayback"), "-p", str(port), "-b", "127.0.0.1"], cwd=root,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=5):
                    break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                assert time.time() < deadline, "pywb did not start"
                time.sleep(0.3)
        yield base
    finally:
        stop_process(server)


def replay(base: str, collection: str, timestamp: str, url: str) -> tuple[int, str]:
    """pywb's rewritten page (``mp_``: without the frame) as visible text, and the status."""
    try:
        with urllib.request.urlopen(f"{base}/{collection}/{timestamp}mp_/{url}", timeout=15) as answer:
            page = answer.read().decode("utf-8", "replace")
            return answer.status, " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def timestamp(fetched_at: str) -> str:
    return re.sub(r"\D", "", fetched_at)[:14]


@pytest.fixture(scope="module")
def two_sites(demo_site, tmp_path_factory):
    """One crawl of both sites into one archive: their records interleave in the same WARC file."""
    archive = tmp_path_factory.mktemp("two-sites")
    with running(SITES / "pangea", quiet=True, host=PANGEA_HOST) as pangea:
        newsarchive("crawl", demo_site + "/", pangea + "/", "--archive-dir", archive, "--no-throttle", "-q")
    return archive


def test_site_selection_packages_exactly_that_sites_captures(tools, two_sites, tmp_path):
    source = records(sorted((two_sites / "warc").glob("*.warc.gz")))
    hosts_per_file = {}
    for r in source:
        if r.url:
            hosts_per_file.setdefault(r.file.name, set()).add(urlsplit(r.url).hostname)
    assert any(hosts >= {"127.0.0.1", PANGEA_HOST} for hosts in hosts_per_file.values()), "the sites share no file"

    out = tmp_path / "pangea.wacz"
    result = newsarchive("export-wacz", out, "--archive-dir", two_sites, "--site", PANGEA_HOST)
    db = two_sites / "archive.db"
    conn = sqlite3.connect(db)
    urls = {url for (url,) in conn.execute("select url from articles where site = ?", [PANGEA_HOST])}
    assert len(urls) >= 5 and f"{len(urls)} pages" in result.stdout
    wacz_validate(tools, out)
    packaged = unpack(out, tmp_path / "unpacked")
    assert packaged and not {p.name for p in packaged} & set(hosts_per_file), "source files were packaged whole"
    warcio_check(packaged)

    inside = records(packaged)
    for path in packaged:  # each new file starts with a warcinfo saying what it is
        first = next(r for r in inside if r.file == path)
        assert first.type == "warcinfo" and first.offset == 0
        assert f"selection: --site {PANGEA_HOST}" in first.fields
        sources = re.findall(r"^source-file: (\S+)", first.fields, re.M)
        assert sources and set(sources) <= set(hosts_per_file)
    body = [r for r in inside if r.type != "warcinfo"]
    expected = expected_records(db, source, "site = ?", [PANGEA_HOST])
    assert {r.id for r in body} == expected
    # Besides the articles' records, those of their page requisites (images, the stylesheet), all on that site.
    by_id = {r.id: r for r in source}
    embeds = {by_id[rid].url for rid in expected if by_id[rid].type in ("response", "revisit")} - urls
    assert len(embeds) >= 5 and {urlsplit(u).hostname for u in embeds} == {PANGEA_HOST}
    assert all(r.url in urls | embeds for r in body), {r.url for r in body} - urls - embeds
    assert len(body) == len({r.id for r in body}), "a record was copied twice"
    for url in urls:  # every article: its response, the request sent for it, the crawl's metadata record
        assert {r.type for r in body if r.url == url} == {"response", "request", "metadata"}, url

    for r in body:
        assert raw(r) == raw(by_id[r.id]), f"{r.type} {r.id} is not the source's bytes"

    with zipfile.ZipFile(out) as zf:
        index = zf.read("indexes/index.cdx").decode().splitlines()
        pages = [json.loads(line) for line in zf.read("pages/pages.jsonl").decode().splitlines()[1:]]
    entries = [json.loads(line.split(" ", 2)[2]) for line in index]
    assert {e["filename"] for e in entries} <= {p.name for p in packaged}
    assert {e["url"] for e in entries} == urls | embeds
    for e in entries:  # the index points into the new files
        rec = next(r for r in body if r.file.name == e["filename"] and r.offset == int(e["offset"]))
        assert rec.length == int(e["length"]) and rec.url == e["url"]
    assert {p["url"] for p in pages} == urls

    # pywb replays a Pangea article from the package; the demo site's articles are not in it, though the
    # whole-archive package (the counter-case) has them.
    whole = tmp_path / "whole.wacz"
    newsarchive("export-wacz", whole, "--archive-dir", two_sites)
    pangea_url, text, fetched_at = conn.execute(
        "select a.url, a.text, a.fetched_at from articles a where site = ? order by word_count desc limit 1",
        [PANGEA_HOST]).fetchone()
    demo_url, demo_at = conn.execute("select url, fetched_at from articles where site = '127.0.0.1' limit 1").fetchone()
    phrase = plain_phrase(text)
    with wayback(tools, tmp_path / "pywb", {"pkg": out, "all": whole}) as base:
        status, visible = replay(base, "pkg", timestamp(fetched_at), pangea_url)
        assert status == 200 and phrase in visible
        assert replay(base, "pkg", timestamp(demo_at), demo_url)[0] == 404
        assert replay(base, "all", timestamp(demo_at), demo_url)[0] == 200


def test_selection_files_rotate_each_with_its_warcinfo(two_sites, tmp_path):
    out = tmp_path / "small-files.wacz"
    report = export_wacz(two_sites, out, site="127.0.0.1", max_warc_size=20_000)
    packaged = unpack(out, tmp_path / "unpacked")
    assert len(packaged) >= 3 and [p.name for p in packaged] == sorted(report.warc_files)
    warcio_check(packaged)
    inside = records(packaged)
    for path in packaged:
        mine = [r for r in inside if r.file == path]
        assert mine[0].type == "warcinfo" and all(r.type != "warcinfo" for r in mine[1:])
    source = records(sorted((two_sites / "warc").glob("*.warc.gz")))
    body = {r.id for r in inside if r.type != "warcinfo"}
    assert body == expected_records(two_sites / "archive.db", source, "site = '127.0.0.1'")
    assert report.records == len(body) and not report.missing and not report.bad_spots


def test_records_written_after_a_rotation_are_found(demo_site, tmp_path):
    """A source file per exchange (rotation at 1 byte): a metadata record lands files away from its
    response, in a later file of the same crawl; a second crawl's files come after."""
    archive = tmp_path / "archive"
    with running(SITES / "pangea", quiet=True, host=PANGEA_HOST) as pangea:
        for _ in range(2):
            newsarchive("crawl", demo_site + "/", pangea + "/", "--archive-dir", archive, "--no-throttle", "-q",
                        "-s", "NEWSARCHIVE_WARC_MAX_SIZE=1", "-s", "NEWSARCHIVE_INCREMENTAL=False")
    source = records(sorted((archive / "warc").glob("*.warc.gz")))
    by_id = {r.id: r for r in source}
    expected = expected_records(archive / "archive.db", source, "site = ?", [PANGEA_HOST])
    files = sorted({r.file for r in source})
    far = [r for r in source if r.id in expected and r.type == "metadata"
           and files.index(r.file) > files.index(by_id[r.refers_to].file) + 1]
    assert far, "no metadata record of an article landed two files or more past its response"
    out = tmp_path / "pangea.wacz"
    report = export_wacz(archive, out, site=PANGEA_HOST)
    body = {r.id for r in records(unpack(out, tmp_path / "unpacked")) if r.type != "warcinfo"}
    assert body == expected
    assert len(report.source_files) > 10 and not report.missing and not report.bad_spots


def test_damaged_source_uses_the_readable_records_and_reports_the_rest(two_sites, tmp_path):
    archive = tmp_path / "archive"
    shutil.copytree(two_sites, archive, ignore=shutil.ignore_patterns("*.lock", "logs"))
    source = records(sorted((archive / "warc").glob("*.warc.gz")))
    victim = max((r for r in source if r.type == "response" and urlsplit(r.url).hostname == PANGEA_HOST
                  and "/a/" in r.url), key=lambda r: r.length)
    data = bytearray(victim.file.read_bytes())
    middle = victim.offset + victim.length // 2
    data[middle : middle + 64] = b"\x00" * 64
    victim.file.write_bytes(bytes(data))

    out = tmp_path / "pangea.wacz"
    result = newsarchive("export-wacz", out, "--archive-dir", archive, "--site", PANGEA_HOST, check=False)
    assert result.returncode == 4, result.stderr
    assert f"{victim.file.name} at offset {victim.offset}" in result.stderr
    assert victim.id in result.stderr and "missing" in result.stderr
    packaged = unpack(out, tmp_path / "unpacked")
    warcio_check(packaged)
    body = {r.id for r in records(packaged) if r.type != "warcinfo"}
    expected = expected_records(archive / "archive.db", source, "site = ?", [PANGEA_HOST])
    assert body == expected - {victim.id}, "the readable records around the damage are all there"


@pytest.mark.parametrize("profile, seeds, extra", [
    # Found through the front page, conditional requests off: the same payload again.
    (REVISIT_IDENTICAL, ("/",), ("-s", "NEWSARCHIVE_CONDITIONAL_REQUESTS=False")),
    # Listed in the sitemap, fetched again with If-None-Match: a 304.
    (REVISIT_NOT_MODIFIED, ("/sitemap.xml",), ()),
], ids=["identical-payload", "not-modified"])
def test_since_selection_keeps_the_original_of_a_revisit(tools, tmp_path, profile, seeds, extra):
    site = ChangingSite(tmp_path / "site")
    # no date in the page (nor in its URL): `published` stays empty, so --since compares with its fetch date
    story = Story("harbour-ferry-returns", "The harbour ferry returns", paragraphs(7, 12), day="news", published=None)
    site.articles[story.slug] = story
    site.publish()
    archive = tmp_path / "archive"
    # Recapture due one second after the first capture; every payload deduplicated, however small.
    settings = ("-s", "NEWSARCHIVE_RECAPTURE_AFTER=1s", "-s", "NEWSARCHIVE_DEDUP_MIN_SIZE=1", *extra)
    with running(site.root, quiet=True) as base:
        seed_urls = [base + seed for seed in seeds]
        newsarchive("crawl", *seed_urls, "--archive-dir", archive, "--no-throttle", "-q", *settings)
        time.sleep(1.2)
        since = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        newsarchive("crawl", *seed_urls, "--archive-dir", archive, "--no-throttle", "-q", *settings)
    url = base + story.path
    conn = sqlite3.connect(archive / "archive.db")
    assert conn.execute("select published from articles where url = ?", [url]).fetchone() == (None,)
    captures = conn.execute("select warc_type, warc_record_id, warc_filename, fetched_at from captures "
                            "where url = ? order by fetched_at", [url]).fetchall()
    assert [c[0] for c in captures] == ["response", "revisit"]
    (_, original_id, original_file, original_at), (_, revisit_id, revisit_file, revisit_at) = captures
    assert original_at < since <= revisit_at and original_file != revisit_file

    out = tmp_path / "since.wacz"
    result = newsarchive("export-wacz", out, "--archive-dir", archive, "--since", since)
    assert "1 pages" in result.stdout
    wacz_validate(tools, out)
    packaged = unpack(out, tmp_path / "unpacked")
    warcio_check(packaged)
    inside = records(packaged)
    body = {r.id: r for r in inside if r.type != "warcinfo"}
    revisit = body[revisit_id]
    assert revisit.type == "revisit" and revisit.profile == profile and revisit.refers_to == original_id
    assert original_id in body and body[original_id].type == "response", "the revisit's original is missing"
    source = {r.id: r for r in records(sorted((archive / "warc").glob("*.warc.gz")))}
    assert raw(body[original_id]) == raw(source[original_id]) and raw(revisit) == raw(source[revisit_id])
    # Only the original itself comes along from the first crawl: not the request sent for it.
    first_crawl = {r.id for r in source.values() if r.concurrent_to == original_id or r.refers_to == original_id}
    assert not (first_crawl - {revisit_id}) & set(body)
    assert all(r.url == url for r in body.values())
    assert {r.type for r in body.values()} == {"response", "revisit", "request", "metadata"}
    info = next(r for r in inside if r.type == "warcinfo")
    assert f"selection: --since {since}" in info.fields
    assert set(re.findall(r"^source-file: (\S+)", info.fields, re.M)) == {original_file, revisit_file}

    # The package alone replays the page at its pages.jsonl time (the original's), and, for an identical
    # payload, at the revisit's time too: pywb resolves the revisit to the original's payload. (pywb
    # answers a server-not-modified revisit with its 304, so that one is not replayed by itself.)
    with zipfile.ZipFile(out) as zf:
        page = json.loads(zf.read("pages/pages.jsonl").decode().splitlines()[1])
    words = story.body[0].split(":")[1].strip()[:40]
    times = [page["ts"]] + ([timestamp(revisit_at)] if profile == REVISIT_IDENTICAL else [])
    with wayback(tools, tmp_path / "pywb", {"pkg": out}) as base:
        for when in times:
            status, visible = replay(base, "pkg", timestamp(when), url)
            assert status == 200 and words in visible, when


def test_site_filter_takes_subdomains_as_export_does():
    """`--site rferl.org` selects rferl.org and its subdomains (news.rferl.org), not notrferl.org: the same
    rule as `export --site` and `search --site`."""
    conn = sqlite3.connect(":memory:")
    conn.execute("create table articles (url text, site text, published text, fetched_at text)")
    sites = ["rferl.org", "news.rferl.org", "notrferl.org", "rferl.org.evil.example"]
    conn.executemany("insert into articles values (?, ?, null, '2026-11-28')", [(f"https://{s}/a", s) for s in sites])
    for asked in ("rferl.org", "www.rferl.org", "RFERL.org"):
        where, params = article_filter(asked, None)
        found = {row[0] for row in conn.execute(f"select site from articles a where {where}", params)}
        assert found == {"rferl.org", "news.rferl.org"}
