"""`newsarchive export`: articles streamed as JSONL/CSV from a real crawl of the demo site, filters, bad
input, and constant memory on an archive far larger than the memory the export may use."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from browsing import db_rows

from archive.store import ArchiveStore
from conftest import NEWSARCHIVE, ROOT, SITES, newsarchive

EXPECTED = json.loads((SITES / "demo" / "EXPECTED.json").read_text())["articles"]


def articles(archive_dir: Path) -> list[dict]:
    return db_rows(archive_dir, "select * from articles order by rowid")


def export(archive_dir: Path, *args: str) -> list[dict]:
    out = newsarchive("export", "--archive-dir", archive_dir, *args).stdout
    return [json.loads(line) for line in out.splitlines()]


def test_jsonl_is_every_article_with_every_column(demo_archive):
    archive_dir, _ = demo_archive
    stored = articles(archive_dir)
    assert len(stored) >= 10
    exported = export(archive_dir)
    assert [r["url"] for r in exported] == [r["url"] for r in stored]
    for row, out in zip(stored, exported, strict=True):
        assert set(out) == set(row)
        assert out["authors"] == json.loads(row["authors"]) and isinstance(out["authors"], list)
        assert out["tags"] == json.loads(row["tags"])
        assert {k: v for k, v in out.items() if k not in ("authors", "tags")} == {
            k: v for k, v in row.items() if k not in ("authors", "tags")
        }


def test_csv_round_trips_and_writes_the_file_only_when_complete(demo_archive, tmp_path):
    archive_dir, _ = demo_archive
    target = tmp_path / "articles.csv"
    result = newsarchive("export", "--archive-dir", archive_dir, "--format", "csv", "-o", target)
    assert result.stdout == ""
    stored = articles(archive_dir)
    assert f"{len(stored)} articles exported" in result.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"), newline="")))
    assert [r["url"] for r in rows] == [r["url"] for r in stored]
    assert [r["text"] for r in rows] == [r["text"] for r in stored]  # multi-line text survives CSV quoting
    assert list(tmp_path.iterdir()) == [target]  # no .partial left behind


def test_filters_site_dates_and_query(demo_archive):
    archive_dir, _ = demo_archive
    everything = export(archive_dir)
    assert export(archive_dir, "--site", "127.0.0.1") == everything
    assert export(archive_dir, "--site", "rferl.org") == []
    french = export(archive_dir, "--language", "fr")
    assert [r["title"] for r in french] == ["Le marché couvert de Saint-Aubin rouvre après trois ans de travaux"]
    assert len(export(archive_dir, "--language", "en")) == len(everything) - 1
    # --until a day includes that whole day; --since is inclusive.
    day = "2026-11-20"
    until = export(archive_dir, "--until", day)
    since = export(archive_dir, "--since", "2026-11-21")
    assert until and since and len(until) + len(since) == len(everything)
    assert all((r["published"] or r["fetched_at"])[:10] <= day for r in until)
    assert any(r["url"].endswith("/2026/11/20/last-keepers-of-carrow-point-weather-station.html") for r in until)
    window = export(archive_dir, "--since", "2026-11-22", "--until", "2026-11-24")
    assert sorted(r["published"][:10] for r in window) == ["2026-11-22", "2026-11-23", "2026-11-24"]
    # Full-text query: FTS5 syntax when valid.
    floods = "/2026/11/27/river-towns-rebuild-after-floods.html"
    assert EXPECTED[floods]["phrase"] == "sandbag libraries"
    assert [r["url"].removeprefix(r["url"].split("/2026/")[0]) for r in export(archive_dir, "-q", '"sandbag libraries"')] == [floods]
    assert export(archive_dir, "-q", '"libraries sandbag"') == []
    assert len(export(archive_dir, "-q", "sandbag", "--site", "127.0.0.1", "--since", "2026-11-27")) == 1


@pytest.mark.parametrize("query", ['"', "NEAR(", "(sandbag", "sandbag)", "*", "", "-", 'sandbag "libraries'])
def test_hostile_queries_export_results_or_nothing(demo_archive, query):
    archive_dir, _ = demo_archive
    result = newsarchive("export", "--archive-dir", archive_dir, "-q", query, check=False)
    assert result.returncode == 0, result.stderr
    for line in result.stdout.splitlines():
        json.loads(line)
    if "sandbag" in query:
        assert len(result.stdout.splitlines()) == 1


def test_bad_input_is_a_clear_error(demo_archive, tmp_path):
    archive_dir, _ = demo_archive
    result = newsarchive("export", "--archive-dir", archive_dir, "--since", "last tuesday", check=False)
    assert result.returncode == 2 and "--since 'last tuesday' is not a date" in result.stderr
    result = newsarchive("export", "--archive-dir", archive_dir, "--format", "xml", check=False)
    assert result.returncode == 2 and "xml" in result.stderr
    result = newsarchive("export", "--archive-dir", tmp_path / "none", check=False)
    assert result.returncode == 1 and "no archive at" in result.stderr
    target = tmp_path / "kept.jsonl"
    target.write_text("an earlier export\n")
    result = newsarchive("export", "--archive-dir", archive_dir, "--until", "2026-13-01", "-o", target, check=False)
    assert result.returncode == 2
    assert target.read_text() == "an earlier export\n"  # a failed export leaves the old file alone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.jsonl"]


@pytest.mark.parametrize(
    "args",
    [("search", "flood", "--since", "last tuesday"), ("search", "flood", "--limit", "0"),
     ("export-wacz", "{tmp}/out.wacz", "--since", "last tuesday"), ("export-wacz", "{tmp}/no/such/out.wacz"),
     ("cdxj", "-o", "{tmp}/no/such/index.cdxj"), ("export", "-o", "{tmp}/no/such/out.jsonl")],
)
def test_every_command_rejects_bad_options_before_doing_anything(demo_archive, tmp_path, args):
    """A date that is not a date, a limit below 1, an output folder that does not exist: one usage
    line (exit 2), no traceback, no file written."""
    archive_dir, _ = demo_archive
    args = [arg.format(tmp=tmp_path) for arg in args]
    result = newsarchive(*args, "--archive-dir", archive_dir, check=False)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.strip().splitlines()[-1].startswith("Error: ")
    assert not any(tmp_path.iterdir())


def test_stdout_is_utf8_whatever_the_locale(demo_archive):
    archive_dir, _ = demo_archive
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "ascii"}
    out = newsarchive("export", "--archive-dir", archive_dir, "--language", "fr", env=env).stdout
    assert "Le marché couvert" in out


# -- constant memory ------------------------------------------------------------------------------------
BIG_ROWS, BIG_TEXT_BYTES = 1500, 60_000  # ~90 MB of article text
# Peak RSS of the export process itself: VmHWM, which exec resets (ru_maxrss would inherit the peak
# of the pytest process that forked it).
MEASURE = """
import re, sys
from crawler.cli import cli
try:
    cli.main(args=sys.argv[1:], prog_name="newsarchive")
except SystemExit as exit:
    code = exit.code
status = open("/proc/self/status").read()
print("MAXRSS_KB", re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1), file=sys.stderr)
sys.exit(code)
"""


def make_archive(archive_dir: Path, rows: int) -> None:
    """An archive with the real schema and ``rows`` articles of BIG_TEXT_BYTES of text each. The FTS
    triggers are dropped first: indexing 90 MB would take most of the test's time and export without
    --query never reads the index."""
    store = ArchiveStore(archive_dir)
    db = store.db
    for (name,) in db.execute("select name from sqlite_master where type = 'trigger'").fetchall():
        db.execute(f"drop trigger [{name}]")
    with db.conn:
        db.execute(
            """insert into articles (url, site, title, text, authors, tags, published, fetched_at)
               with recursive n(i) as (select 1 union all select i + 1 from n where i < ?)
               select 'https://big.example/a/' || i, 'big.example', 'Story ' || i, hex(randomblob(?)),
                      '["A. Writer"]', '[]', '2026-11-01', '2026-11-02T00:00:00Z' from n""",
            [rows, BIG_TEXT_BYTES // 2],
        )
    store.close()


def peak_rss_kb(archive_dir: Path, fmt: str) -> tuple[int, int]:
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, "export", "--archive-dir", str(archive_dir), "--format", fmt],
        capture_output=True, cwd=ROOT, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    rss = int(result.stderr.decode().split("MAXRSS_KB")[1].split()[0])
    return rss, result.stdout.count(b"\n")


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_memory_does_not_grow_with_the_archive(tmp_path, fmt):
    small, big = tmp_path / "small", tmp_path / "big"
    make_archive(small, 10)
    make_archive(big, BIG_ROWS)
    data_mb = BIG_ROWS * BIG_TEXT_BYTES / 1e6
    small_rss, small_lines = peak_rss_kb(small, fmt)
    big_rss, big_lines = peak_rss_kb(big, fmt)
    assert (small_lines, big_lines) == ((10, BIG_ROWS) if fmt == "jsonl" else (11, BIG_ROWS + 1))
    growth_mb = (big_rss - small_rss) / 1024
    # Reading all rows at once would add at least data_mb (90 MB); a streaming export adds a few batches.
    print(f"{fmt}: peak RSS {small_rss // 1024} MB for 10 rows, {big_rss // 1024} MB for {BIG_ROWS}")
    assert growth_mb < data_mb / 4, f"peak RSS grew {growth_mb:.0f} MB exporting {data_mb:.0f} MB of text"


def test_a_reader_that_leaves_early_is_no_error(tmp_path):
    """`newsarchive export | head -c 100`: 12 MB of output, far more than a pipe holds."""
    make_archive(tmp_path, 200)
    proc = subprocess.Popen([str(NEWSARCHIVE), "export", "--archive-dir", str(tmp_path), "--format", "csv"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.read(100).startswith(b"url,canonical_url,")
    proc.stdout.close()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and b"Traceback" not in err, err
    assert b"articles exported" not in err  # it stopped early, not after writing everything


def test_reading_commands_do_not_load_the_extractor():
    """`export`, `serve`, `search`, `show` only read the archive: the CLI module and the store must not
    import trafilatura (tens of MB and a noticeable start-up delay for every cron-driven export)."""
    code = "import sys, crawler.cli, archive.store, archive.export; print('trafilatura' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
