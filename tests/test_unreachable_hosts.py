"""A page embeds an image on a host that cannot be reached: the run's log says so in one line, without a
traceback (Scrapy's robots.txt middleware logged one at ERROR for every such host, into cron mail), and
the failed fetches are in ``captures``."""

from __future__ import annotations

from browsing import db_rows

from conftest import newsarchive
from siteserver import free_port, running

WORDS = "The council met on Tuesday and voted on the budget after a long debate about schools and roads. " * 6


def test_an_embed_on_an_unreachable_host_is_a_warning_line_and_a_capture(tmp_path):
    gone = f"http://127.0.0.1:{free_port()}"  # nothing listens there: connection refused
    page = tmp_path / "site" / "2026" / "11" / "27" / "a-story-with-a-picture-from-elsewhere" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Story</title></head><body>'
                    f'<article><h1>Story</h1><img src="{gone}/picture.jpg"><p>{WORDS}</p></article></body></html>')
    archive = tmp_path / "archive"
    with running(tmp_path / "site", quiet=True) as base:
        result = newsarchive("crawl", base + "/2026/11/27/a-story-with-a-picture-from-elsewhere/",
                             "--archive-dir", archive, "--no-throttle", "-q")
    log = "".join(path.read_text() for path in (archive / "logs").glob("*.log"))
    assert "Traceback" not in log and "Traceback" not in result.stderr
    assert f"WARNING: robots.txt not fetched for <GET {gone}/picture.jpg>" in log
    failed = {row["url"] for row in db_rows(archive, "select url from captures where error is not null")}
    assert f"{gone}/robots.txt" in failed
    assert db_rows(archive, "select count(*) as n from articles")[0]["n"] == 1
