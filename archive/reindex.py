"""Rebuild ``archive.db`` from the WARC files alone.

The WARC files are the archive; the database is an index of them. ``reindex`` reads every closed
``*.warc.gz`` file in serial order and rebuilds:

- ``crawls``: one row per ``isPartOf`` of the ``warcinfo`` records (times from the records; seeds,
  settings and fetch errors are not in the WARC and stay empty);
- ``captures``: one row per ``response``/``revisit`` record (``fetched_at`` is the record's
  ``WARC-Date``, as in a crawl; ``reason``, and ``embedded_by`` for a page requisite, from the crawl's
  ``metadata`` record about it; ``redirect_to`` from a 3xx response's ``Location`` or a page's meta refresh,
  read with Scrapy's default ``METAREFRESH_*`` settings, archive/metarefresh.py);
- ``articles`` (and ``article_versions``): every capture the crawl took for an article candidate (its
  ``metadata`` record says ``newsarchive-outcome: article-candidate`` with how it was discovered and what
  the listing said) is extracted again with :func:`archive.extract.extract_article`, the same call a crawl
  makes, in a process pool across all cores, and stored with :meth:`ArchiveStore.save_article`, so the
  rows are the ones the crawl produced. The per-site boilerplate learning of the crawl pipeline
  (archive/boilerplate.py) is replayed in the same order, re-cleaning stored pages as it learns. A
  revisit's article row points at the original response.

Damage (a corrupt or cut gzip member, an unparseable record) is reported with file and offset; the
readable records before and after it are used. The new database is built aside
(``archive.reindexed.db``) and swapped in with one ``rename`` only when every file read cleanly (or
when forced); the previous database is kept as ``archive.db.before-reindex``.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from archive.boilerplate import SiteBoilerplate
from archive.dedup import warc_date_to_fetched_at
from archive.extract import MIN_ARTICLE_WORDS, Article, Hints, extract_article, without_blocks
from archive.heap import DEFAULT_EXTRACT_MEMORY_MB, limit_memory
from archive.httpbody import decode_content
from archive.metarefresh import capture_redirect
from archive.reextract import extract_from_record, update_article
from archive.store import DB_NAME, REDIRECT_STATUSES, WARC_SUBDIR, ArchiveStore, site_of
from archive.warcreader import BadSpot, RecordNotFound, read_record, scan_records, warc_files
from archive.warcwriter import (
    ARTICLE_CANDIDATE,
    EMBEDDED_BY_FIELD,
    OPEN_SUFFIX,
    OUTCOME_FIELD,
    REVISIT_NOT_MODIFIED,
    RecordLocation,
)

# Tasks queued ahead of the workers (bounds memory: a task may carry a page body).
QUEUE_AHEAD = 64
RECENT_BODIES = 256
REINDEXED_NAME = "archive.reindexed.db"
BACKUP_NAME = DB_NAME + ".before-reindex"


@dataclass
class ReindexReport:
    files: int = 0
    records: int = 0
    captures: int = 0
    candidates: int = 0
    articles: int = 0
    seconds: float = 0.0
    bad_spots: list[BadSpot] = field(default_factory=list)
    skipped_open: list[str] = field(default_factory=list)
    swapped: bool = False
    database: Path | None = None

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


@dataclass
class _Capture:
    row: dict
    location: RecordLocation
    profile: str | None = None
    refers_to: str | None = None


@dataclass
class _Task:
    """One article candidate, handed to a worker: where its body is and what the crawl knew."""

    warc_dir: str
    body: RecordLocation
    url: str
    hints: dict
    capture_index: int
    # The stored body and its headers when the scan already holds them (responses); a revisit's body
    # is read back from its original record by the worker.
    raw: bytes | None = None
    content_type: str | None = None
    content_encoding: str | None = None


def _fields(raw: bytes) -> dict[str, str]:
    fields = {}
    for line in raw.decode("utf-8", "replace").splitlines():
        name, sep, value = line.partition(":")
        if sep:
            fields[name.strip()] = value.strip()
    return fields


def _extract(task: _Task) -> tuple[int, Article | None, str | None]:
    """Worker: read the body back from its record and extract it (same call as a crawl)."""
    try:
        if task.raw is not None:
            body, content_type = decode_content(task.raw, task.content_encoding), task.content_type
        else:
            stored = read_record(task.warc_dir, task.body.filename, task.body.offset, task.body.length)
            body, content_type = stored.body, stored.content_type
        article = extract_article(body, task.url, content_type, Hints.from_listing(task.hints))
        return task.capture_index, article, None
    except RecordNotFound as exc:
        return task.capture_index, None, f"unreadable: {exc}"
    except MemoryError:  # past the worker's cap (limit_memory), as a crawl records it
        return task.capture_index, None, "extract-memory"
    except Exception as exc:  # noqa: BLE001 (one bad page must not stop a rebuild)
        return task.capture_index, None, f"extract-error: {type(exc).__name__}"


class _Scanner:
    """Pass over the WARC files: collects captures, crawls and outcomes; yields article tasks."""

    def __init__(self, warc_dir: Path, report: ReindexReport, progress: Callable[[str], object]) -> None:
        self.warc_dir = warc_dir
        self.report = report
        self.progress = progress
        self.captures: list[_Capture] = []
        self.by_record: dict[str, int] = {}  # record id -> index in captures
        self.crawls: dict[str, dict] = {}
        # Raw bodies of recent responses, until their metadata record (a few records later) is read.
        self.recent_bodies: dict[int, bytes] = {}

    def tasks(self) -> Iterator[_Task]:
        for path in warc_files(self.warc_dir):
            self.report.files += 1
            crawl_id = None
            for item in scan_records(path):
                if isinstance(item, BadSpot):
                    self.report.bad_spots.append(item)
                    self.progress(f"damaged WARC: {item}")
                    continue
                offset, length, record = item
                self.report.records += 1
                headers = record.rec_headers
                rec_type = record.rec_type
                if rec_type == "warcinfo":
                    info = _fields(record.raw_stream.read())
                    crawl_id = info.get("isPartOf") or path.name
                    self._crawl(crawl_id, headers.get_header("WARC-Date"), path.name)
                elif rec_type in ("response", "revisit"):
                    self._capture(path.name, offset, length, record, crawl_id)
                elif rec_type == "request":
                    index = self.by_record.get(headers.get_header("WARC-Concurrent-To") or "")
                    if index is not None and record.http_headers is not None:
                        self.captures[index].row["method"] = record.http_headers.protocol
                elif rec_type == "metadata":
                    task = self._metadata(record)
                    if task is not None:
                        yield task
            self.progress(f"read {path.name}: {len(self.captures)} captures so far")

    def _crawl(self, crawl_id: str, date: str, filename: str) -> None:
        row = self.crawls.setdefault(
            crawl_id,
            {"id": crawl_id, "started_at": warc_date_to_fetched_at(date), "status": "finished",
             "finish_reason": "reindexed", "articles_new": 0, "articles_updated": 0, "warc_files": []},
        )
        row["warc_files"].append(filename)

    def _capture(self, filename: str, offset: int, length: int, record, crawl_id: str | None) -> None:
        headers, http = record.rec_headers, record.http_headers
        body = record.raw_stream.read() if record.rec_type == "response" else b""  # still content-encoded
        url = headers.get_header("WARC-Target-URI")
        fetched_at = warc_date_to_fetched_at(headers.get_header("WARC-Date"))
        status = None
        if http is not None:
            try:
                status = int(http.get_statuscode())
            except (TypeError, ValueError):
                status = None
        location = RecordLocation(
            filename=filename, offset=offset, length=length,
            record_id=headers.get_header("WARC-Record-ID"), warc_date=headers.get_header("WARC-Date"),
            payload_digest=headers.get_header("WARC-Payload-Digest"),
        )
        header = http.get_header if http is not None else (lambda name: None)
        row = {
            "crawl_id": crawl_id, "url": url, "method": "GET", "fetched_at": fetched_at, "status": status,
            "content_type": header("Content-Type"), "bytes": len(body) if record.rec_type == "response" else None,
            "truncated": headers.get_header("WARC-Truncated"), "warc_type": record.rec_type,
            "reason": "robots" if urlsplit(url).path == "/robots.txt" else None,
            "warc_filename": filename, "warc_offset": offset, "warc_length": length,
            "warc_record_id": location.record_id, "payload_digest": location.payload_digest,
            "etag": header("ETag"), "last_modified": header("Last-Modified"),
            "redirect_to": capture_redirect(url, status, header, body),
            "embedded_by": None,  # a page requisite's, from the crawl's metadata record about it
            "_content_encoding": header("Content-Encoding"),
        }
        if record.rec_type == "response":
            self.recent_bodies[len(self.captures)] = body
            while len(self.recent_bodies) > RECENT_BODIES:
                self.recent_bodies.pop(next(iter(self.recent_bodies)))
        if record.rec_type == "revisit":
            # As the crawl counted it: the payload received (identical to the original's), or none (304).
            original = self.by_record.get(headers.get_header("WARC-Refers-To") or "")
            not_modified = headers.get_header("WARC-Profile") == REVISIT_NOT_MODIFIED
            row["bytes"] = 0
            if not not_modified and original is not None:
                row["bytes"] = self.captures[original].row["bytes"]
            if original is not None and row["redirect_to"] is None and self.captures[original].row.get("_refresh"):
                row["redirect_to"] = self._refresh_of_revisit(url, status, header, self.captures[original], not_modified)
        elif row["redirect_to"] is not None and not (status in REDIRECT_STATUSES and header("Location")):
            row["_refresh"] = True  # a meta refresh: a revisit of this body reads it again (its URL may differ)
        self.by_record[location.record_id] = len(self.captures)
        self.captures.append(
            _Capture(row, location, headers.get_header("WARC-Profile"), headers.get_header("WARC-Refers-To"))
        )
        if crawl_id in self.crawls:
            self.crawls[crawl_id]["ended_at"] = fetched_at

    def _refresh_of_revisit(
        self, url: str, status: int | None, header, original: _Capture, not_modified: bool
    ) -> str | None:
        """A revisit's meta refresh, read from its original's body (the same payload) against the
        revisit's own URL; for a 304, as the crawl read it, from the archived response it went on with."""
        body = original.location
        try:
            stored = read_record(self.warc_dir, body.filename, body.offset, body.length)
        except RecordNotFound:
            return None
        if not_modified:
            return capture_redirect(url, stored.status, stored.header, stored.raw_body)
        return capture_redirect(url, status, header, stored.raw_body)

    def _metadata(self, record) -> _Task | None:
        index = self.by_record.get(record.rec_headers.get_header("WARC-Refers-To") or "")
        if index is None:
            return None
        fields = _fields(record.raw_stream.read())
        outcome = fields.get(OUTCOME_FIELD)
        if not outcome:
            return None
        capture = self.captures[index]
        if outcome != ARTICLE_CANDIDATE:
            capture.row["reason"] = outcome
            capture.row["embedded_by"] = fields.get(EMBEDDED_BY_FIELD) or capture.row["embedded_by"]
            return None
        body = capture.location
        if capture.row["warc_type"] == "revisit":
            original = self.by_record.get(capture.refers_to or "")
            if original is None:
                capture.row["reason"] = "revisit-original-missing"
                return None
            body = self.captures[original].location
            if capture.profile == REVISIT_NOT_MODIFIED:
                capture.row["_article_status"] = self.captures[original].row["status"]  # the body the spider parsed
        capture.row["discovered_via"] = fields.get("discovered-via")
        self.report.candidates += 1
        hints = json.loads(fields["listing"]) if fields.get("listing") else {}
        capture.row["_hints"] = hints
        raw = self.recent_bodies.pop(index, None) if body is capture.location else None
        return _Task(str(self.warc_dir), body, capture.row["url"], hints, index, raw,
                     capture.row["content_type"], capture.row.pop("_content_encoding", None))


def _learn(store: ArchiveStore, boilerplate: SiteBoilerplate, warc_dir: Path, article: Article) -> Article:
    """The crawl pipeline's boilerplate step, in the same order: count the page's blocks for its site;
    when some become boilerplate, re-clean the stored pages that hold them (from their WARC records)."""
    site = site_of(article.url)
    learned = boilerplate.observe(site, article.url, article.blocks, article.text.split("\n"))
    known = boilerplate.known(site)
    for url in boilerplate.pages_with(site, learned):
        row = store.article(url) if url != article.url else None
        if row is None or row.get("warc_filename") is None:
            continue
        try:
            cleaned = extract_from_record(warc_dir, row, known)
        except Exception:  # noqa: BLE001 (as in the crawl: a page that no longer extracts keeps its row)
            continue
        if cleaned is not None and cleaned.word_count >= MIN_ARTICLE_WORDS:
            update_article(store.db, row["url"], cleaned)
    return without_blocks(article, known) if known.intersection(article.blocks) else article


def _save(store: ArchiveStore, scanner: _Scanner, index: int, article: Article | None, error: str | None,
          counts: dict[str, dict[str, int]], report: ReindexReport, boilerplate: SiteBoilerplate) -> str:
    """Store one extracted candidate as the pipeline does; return the capture's reason."""
    capture = scanner.captures[index]
    row = capture.row
    if error is not None or article is None or article.word_count < MIN_ARTICLE_WORDS:
        return error or "no-article-text"
    article = _learn(store, boilerplate, scanner.warc_dir, article)
    if article.word_count < MIN_ARTICLE_WORDS:  # all but a few words the site's boilerplate, as in a crawl
        return "no-article-text"
    hints = row.get("_hints") or {}
    body = capture.location
    if row["warc_type"] == "revisit":
        body = scanner.captures[scanner.by_record[capture.refers_to]].location
    outcome = store.save_article(
        article,
        location=replace(capture.location, original=None if body is capture.location else body),
        crawl_id=row["crawl_id"],
        fetched_at=row["fetched_at"],
        status=row.get("_article_status") or row["status"] or 200,
        discovered_via=row.get("discovered_via"),
        sitemap_lastmod=hints.get("lastmod"),
        listing=hints,
    )
    per_crawl = counts.setdefault(row["crawl_id"] or "", {"articles_new": 0, "articles_updated": 0})
    per_crawl["articles_new" if outcome == "new" else "articles_updated"] += 1
    report.articles += 1
    return "article"


def _write_crawls(store: ArchiveStore, scanner: _Scanner, counts: dict[str, dict[str, int]]) -> None:
    for crawl_id, row in scanner.crawls.items():
        mine = [c.row for c in scanner.captures if c.row["crawl_id"] == crawl_id]
        row = dict(row, pages_fetched=sum(1 for r in mine if r["status"] is not None), fetch_errors=0,
                   bytes_received=sum(r["bytes"] or 0 for r in mine if r["warc_type"] == "response"),
                   warc_files=json.dumps(row["warc_files"]), seeds="[]", failed_seeds="{}",
                   **counts.get(crawl_id, {}))
        store.db["crawls"].insert(row, alter=False)


def reindex(
    archive_dir: str | os.PathLike[str],
    *,
    workers: int = 0,
    force: bool = False,
    progress: Callable[[str], object] = lambda message: None,
    extract_memory_mb: int = DEFAULT_EXTRACT_MEMORY_MB,
) -> ReindexReport:
    """Rebuild ``archive_dir/archive.db`` from ``archive_dir/warc/``. See the module docstring.
    ``extract_memory_mb``: each worker's cap (a page past it is ``extract-memory``, as in a crawl; 0: none)."""
    started = time.perf_counter()
    archive_dir = Path(archive_dir)
    warc_dir = archive_dir / WARC_SUBDIR
    if not warc_dir.is_dir():
        raise FileNotFoundError(f"no WARC folder at {warc_dir}")
    report = ReindexReport()
    report.skipped_open = sorted(p.name for p in warc_dir.glob("*" + OPEN_SUFFIX))
    aside = archive_dir / ".reindex"
    shutil.rmtree(aside, ignore_errors=True)  # a rebuild that was interrupted
    aside.mkdir()
    store = ArchiveStore(aside)
    scanner = _Scanner(warc_dir, report, progress)
    workers = workers or os.cpu_count() or 1
    # A rebuilt file: if this run dies, the next run starts over, so no fsync per article.
    store.db.execute("PRAGMA synchronous=OFF")
    reasons: dict[str, str] = {}
    boilerplate = SiteBoilerplate(store.db)
    counts: dict[str, dict[str, int]] = {}
    ahead = threading.Semaphore(QUEUE_AHEAD)

    def bounded(tasks: Iterator[_Task]) -> Iterator[_Task]:
        for task in tasks:
            ahead.acquire()
            yield task

    done, last = 0, time.perf_counter()
    # fork: workers start with trafilatura already imported (forkserver would import it again in each,
    # about a second per worker); they touch nothing but their task, never the SQLite connection.
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    # Each worker capped as the crawl's are (a hostile page fails alone as extract-memory).
    with context.Pool(workers, initializer=limit_memory, initargs=(extract_memory_mb * 1024 * 1024,)) as pool:
        for index, article, error in pool.imap(_extract, bounded(scanner.tasks()), chunksize=2):
            ahead.release()
            # Saved in capture order while the workers go on: first_fetched_at and versions as in a crawl.
            row = scanner.captures[index].row
            reasons[row["warc_record_id"]] = _save(store, scanner, index, article, error, counts, report, boilerplate)
            done += 1
            if time.perf_counter() - last >= 1.0:
                last = time.perf_counter()
                rate = done / (last - started)
                progress(f"extracted {done} of {report.candidates} article candidates ({rate:.1f}/s)")
    _write_crawls(store, scanner, counts)
    with store.db.conn:
        rows = []
        for capture in scanner.captures:
            row = {k: v for k, v in capture.row.items() if not k.startswith("_") and k != "discovered_via"}
            row["reason"] = reasons.get(row["warc_record_id"], row["reason"])
            rows.append(row)
        store.db["captures"].insert_all(rows, batch_size=500)
    report.captures = len(scanner.captures)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.db.execute("PRAGMA journal_mode=DELETE")
    store.close()
    report.seconds = time.perf_counter() - started
    built = archive_dir / REINDEXED_NAME
    os.replace(aside / DB_NAME, built)
    shutil.rmtree(aside)
    report.database = built
    if report.bad_spots and not force:
        return report
    _swap_in(archive_dir, built)
    report.swapped, report.database = True, archive_dir / DB_NAME
    return report


def _swap_in(archive_dir: Path, built: Path) -> None:
    """Make ``built`` the archive database in one rename; keep the previous one as a backup."""
    current = archive_dir / DB_NAME
    if current.exists():
        # Fold the WAL into the old file first: a stale -wal next to the new file would be replayed on it.
        conn = sqlite3.connect(current)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        backup = archive_dir / BACKUP_NAME
        backup.unlink(missing_ok=True)
        os.link(current, backup)
    for suffix in ("-wal", "-shm"):
        (archive_dir / (DB_NAME + suffix)).unlink(missing_ok=True)
    os.replace(built, current)
