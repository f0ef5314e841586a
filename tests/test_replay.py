"""The archive replays in standard tools: pywb serves an archived article; the WACZ export validates.

pywb and wacz live in their own venv (the ``tools`` fixture of conftest.py runs `make tools`).
"""

from __future__ import annotations

import html
import json
import re
import sqlite3
import subprocess
import time
import urllib.request
import zipfile

from conftest import newsarchive, wb_manager
from siteserver import free_port, stop_process


def plain_phrase(text: str) -> str:
    """Six consecutive plain words of the article (no quotes or entities that HTML may escape)."""
    for line in text.split("\n"):
        match = re.search(r"(?:\b[A-Za-z]{3,}\b ){5}[A-Za-z]{3,}\b", line)
        if match:
            return match.group(0)
    raise AssertionError("no plain phrase in the article text")


def test_pywb_replays_an_archived_article(tools, archive_copy, tmp_path):
    db = sqlite3.connect(archive_copy / "archive.db")
    url, text, fetched_at = db.execute(
        "select a.url, a.text, c.fetched_at from articles a join captures c on c.warc_record_id = a.warc_record_id "
        "order by a.word_count desc limit 1"
    ).fetchone()
    timestamp = re.sub(r"\D", "", fetched_at)[:14]
    root = tmp_path / "pywb"
    root.mkdir()
    wb_manager(tools, root, "init", "coll")
    warcs = sorted(str(p) for p in (archive_copy / "warc").glob("*.warc.gz"))
    wb_manager(tools, root, "add", "coll", *warcs)
    # The same archive as a WACZ package, in a second collection.
    wacz = tmp_path / "demo.wacz"
    newsarchive("export-wacz", wacz, "--archive-dir", archive_copy)
    wb_manager(tools, root, "init", "pkg")
    wb_manager(tools, root, "add", "--unpack-wacz", "pkg", str(wacz))
    port = free_port()
    server = subprocess.Popen([str(tools / "wayback"), "-p", str(port), "-b", "127.0.0.1"], cwd=root,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        replay = f"http://127.0.0.1:{port}/coll/{timestamp}/{url}"
        deadline, body, status = time.time() + 30, "", None
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(replay, timeout=10) as answer:
                    status, body = answer.status, answer.read().decode("utf-8", "replace")
                break
            except OSError:
                time.sleep(0.3)
        assert status == 200, f"pywb did not serve {replay}"
        assert f"{timestamp}mp_/{url}" in body or url in body  # the replay frame around the page
        # The page itself, as pywb rewrote it for replay (the frame's content), from both collections.
        for collection in ("coll", "pkg"):
            content = f"http://127.0.0.1:{port}/{collection}/{timestamp}mp_/{url}"
            with urllib.request.urlopen(content, timeout=10) as answer:
                assert answer.status == 200
                page = answer.read().decode("utf-8", "replace")
            visible = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
            assert plain_phrase(text) in visible, content
    finally:
        stop_process(server)


def test_export_wacz_validates(tools, archive_copy, tmp_path):
    out = tmp_path / "demo.wacz"
    result = newsarchive("export-wacz", out, "--archive-dir", archive_copy)
    assert "pages" in result.stdout
    check = subprocess.run([str(tools / "wacz"), "validate", "-f", str(out)], capture_output=True, text=True)
    assert check.returncode == 0 and "Validation succeeded" in check.stdout, check.stdout + check.stderr
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        pages = [json.loads(line) for line in zf.read("pages/pages.jsonl").decode().splitlines()]
        assert all(zf.getinfo(n).compress_type == zipfile.ZIP_STORED for n in names if n.startswith("archive/"))
    assert "indexes/index.cdx" in names and "datapackage-digest.json" in names
    n_articles = sqlite3.connect(archive_copy / "archive.db").execute("select count(*) from articles").fetchone()[0]
    assert pages[0]["format"] == "json-pages-1.0" and len(pages) - 1 == n_articles
    assert all(p["url"] and p["ts"] and p["text"] for p in pages[1:])


def test_export_wacz_site_filter_and_a_tampered_package_fails(tools, archive_copy, tmp_path):
    out = tmp_path / "none.wacz"
    late = newsarchive("export-wacz", out, "--archive-dir", archive_copy, "--since", "2999-01-01", check=False)
    assert late.returncode == 1 and "no article matches --since 2999-01-01" in late.stderr and not out.exists()
    site = newsarchive("export-wacz", tmp_path / "site.wacz", "--archive-dir", archive_copy, "--site", "127.0.0.1")
    n_articles = sqlite3.connect(archive_copy / "archive.db").execute("select count(*) from articles").fetchone()[0]
    assert f"{n_articles} pages" in site.stdout
    other = newsarchive("export-wacz", tmp_path / "other.wacz", "--archive-dir", archive_copy, "--site", "example.org",
                        check=False)
    assert other.returncode == 1 and "no article matches --site example.org" in other.stderr
    assert not (tmp_path / "other.wacz").exists()
    # Counter-case: the validator really checks hashes.
    good = tmp_path / "all.wacz"
    newsarchive("export-wacz", good, "--archive-dir", archive_copy)
    bad = tmp_path / "bad.wacz"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "pages/pages.jsonl":
                data = data.replace(b'"text": "', b'"text": "tampered ', 1)
            dst.writestr(item, data)
    check = subprocess.run([str(tools / "wacz"), "validate", "-f", str(bad)], capture_output=True, text=True)
    assert check.returncode != 0
