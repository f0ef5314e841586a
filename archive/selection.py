"""A selection of the archive as new WARC files: the records of chosen articles, copied byte for byte.

The crawler writes every site it fetches into the same files, so a package "for one site" made of whole
files would carry the other sites' captures too. A selection (``export-wacz --site``/``--since``) is
written as new files made of exactly these records:

- every capture of each selected article's URL fetched on or after ``since`` (all of them without
  ``since``), and the capture the article's stored text came from, whenever it was made (so each page of
  the package has its record even when the published date is later than the last fetch); of each, the
  ``response`` or ``revisit`` record, the ``request`` record sent for it (``WARC-Concurrent-To``) and the
  crawl's ``metadata`` record about it (``WARC-Refers-To``);
- for each of those revisits, the original record it refers to (``WARC-Refers-To``, else
  ``WARC-Refers-To-Target-URI`` + ``WARC-Refers-To-Date``), wherever it is: another file, another URL, a
  capture before ``since``. That record only; archive/dedup.py never refers to another revisit;
- the page requisites of each selected article (its images, stylesheets, scripts; archive/requisites.py),
  read from its stored page: every ``requisite`` capture of those URLs, whenever and whichever page
  first embedded it (a site's stylesheet is captured once, for the first page that embedded it), and
  the requisites those stylesheets loaded (``captures.embedded_by``); with their request and metadata
  records, as for the articles;
- first in each file, a new ``warcinfo`` record saying that the file is a selection, by which filter,
  from which source files.

Each source record is one gzip member (archive/warcwriter.py), so it is copied as the member's raw bytes:
the digests, and even the compressed bytes, are the crawler's.

How: ``captures`` in ``archive.db`` names the response and revisit records (id, file, offset); their ids
go into a temporary SQLite table (on disk, not a Python set), so memory does not grow with the number of
records. The named files are then read once each, in write order, one gzip member at a time
(:func:`archive.warcreader.scan_records`: damage is a :class:`BadSpot` and reading goes on past it); a
request or metadata record is taken by its link to a chosen capture. The metadata record is written once
the page is parsed, so after a rotation it can be in a later file: after each named file, the later files
of the same crawl (``isPartOf`` of their ``warcinfo``) are read too. Chosen records that no readable file
held are reported (``missing``).
"""

from __future__ import annotations

import os
import re
import socket
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from lxml import etree
from lxml import html as lxml_html
from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from archive import __version__
from archive.dedup import warc_date_to_fetched_at
from archive.requisites import page_requisites
from archive.search import day_or_time, when_condition
from archive.warcreader import BadSpot, RecordNotFound, read_headers, read_record, scan_records, warc_files
from archive.warcwriter import DEFAULT_MAX_SIZE, OPEN_SUFFIX, WARC_VERSION, new_record_id, warc_date

PREFIX = "newsarchive-selection"
CONFORMS_TO = "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
DESCRIPTION = (
    "A selection from a newsarchive archive, not a crawl: every capture (request, response or revisit, "
    "metadata) of the selected article URLs and of the page requisites their pages embed, and the original record each revisit refers to, each record "
    "copied byte for byte (the same gzip member) from the source files listed here."
)
CHOSEN = "temp.selection_records"  # record_id, role ('capture' or 'original'), where archive.db says it is
_COPY_CHUNK = 1 << 20


@dataclass
class SelectionReport:
    files: list[Path] = field(default_factory=list)  # the new WARC files, in order
    records: int = 0  # records copied (the warcinfo records not counted)
    source_files: list[str] = field(default_factory=list)  # source files that gave at least one record
    bad_spots: list[BadSpot] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # chosen records no readable source file held


def article_filter(site: str | None, since: str | None) -> tuple[str, list[str]]:
    """The SQL condition on ``articles a`` for ``--site``/``--since``, and its parameters.

    ``since`` compares with the published date, the fetch date when there is none (as ``export``)."""
    where, params = [], []
    if site:  # the site and its subdomains, as `export --site` and `search --site`
        site = site.lower().removeprefix("www.")
        where.append("(a.site = ? or a.site like '%.' || ?)")
        params += [site, site]
    if since:
        params.append(day_or_time(since, "--since"))
        where.append(when_condition("coalesce(a.published, a.fetched_at)", ">=", params[-1], "?"))
    return " and ".join(where) or "1", params


def filter_label(site: str | None, since: str | None) -> str:
    """The selection as its options: ``--site rferl.org --since 2026-11-01``."""
    return " ".join(part for part in (f"--site {site}" if site else "", f"--since {since}" if since else "") if part)


def capture_since(since: str) -> str:
    """``since`` in the form of ``captures.fetched_at`` (UTC, microseconds, ``Z``), so that comparing the
    strings compares the times; a day stays ``YYYY-MM-DD``, which sorts before every time of that day."""
    value = day_or_time(since, "--since")
    if len(value) == 10:
        return value
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:  # a time without an offset is taken as UTC, as WARC-Date is
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def choose_records(conn: sqlite3.Connection, warc_dir: Path, *, site: str | None, since: str | None) -> list[str]:
    """Fill :data:`CHOSEN` with the captures of the selected articles and the originals of their revisits.
    Returns the revisits whose original cannot be named (no ``WARC-Refers-To`` and no matching capture)."""
    conn.execute("PRAGMA temp_store = FILE")  # temporary tables on disk, whatever the build's default
    conn.execute(f"drop table if exists {CHOSEN}")
    conn.execute(
        f"create table {CHOSEN} (record_id text primary key, role text not null, url text, filename text, "
        "offset integer, length integer, warc_type text, found integer)"
    )
    where, params = article_filter(site, since)
    when = ""
    if since:
        when = " and (c.fetched_at >= ? or c.fetched_at = a.fetched_at)"
        params = [*params, capture_since(since)]
    conn.execute(
        f"insert or ignore into {CHOSEN} (record_id, role, url, filename, offset, length, warc_type) "
        "select c.warc_record_id, 'capture', c.url, c.warc_filename, c.warc_offset, c.warc_length, c.warc_type "
        "from articles a join captures c on c.url = a.url "
        f"where {where} and c.warc_record_id is not null and c.warc_filename is not null{when}",
        params,
    )
    _choose_requisites(conn, warc_dir, *article_filter(site, since))
    return _choose_originals(conn, warc_dir)


def _choose_requisites(conn: sqlite3.Connection, warc_dir: Path, where: str, params: list[str]) -> None:
    """Add the requisite captures of the selected articles' pages to :data:`CHOSEN`: the URLs each stored
    page embeds (read from its record), then what the stylesheets among them loaded (``embedded_by``)."""
    if "embedded_by" not in {row[1] for row in conn.execute("pragma table_info(captures)")}:
        return  # an archive.db from before page requisites (opened read-only, so not migrated): none
    conn.execute("drop table if exists temp.selection_requisites")
    conn.execute("create table temp.selection_requisites (url text primary key)")
    pages = conn.execute(
        f"select a.url, a.warc_filename, a.warc_offset, a.warc_length from articles a "
        f"where {where} and a.warc_filename is not null", params,
    )
    for url, filename, offset, length in pages:
        try:
            body = read_record(warc_dir, filename, offset, length).body
            tree = lxml_html.document_fromstring(body)
        except (RecordNotFound, OSError, ValueError, etree.ParserError):
            continue  # reading the file reports the damage, and the page's record as missing
        conn.executemany("insert or ignore into temp.selection_requisites values (?)",
                         [(embed,) for embed, _ in page_requisites(tree, url)])
    choose = (
        f"insert or ignore into {CHOSEN} (record_id, role, url, filename, offset, length, warc_type) "
        "select c.warc_record_id, 'capture', c.url, c.warc_filename, c.warc_offset, c.warc_length, c.warc_type "
        "from temp.selection_requisites s join captures c on c.url = s.url "
        "where c.reason = 'requisite' and c.warc_record_id is not null and c.warc_filename is not null"
    )
    conn.execute(choose)
    # One more hop: the fonts, images and imports of those stylesheets (the crawl follows no further).
    conn.execute(
        "insert or ignore into temp.selection_requisites select c.url from temp.selection_requisites s "
        "join captures c on c.embedded_by = s.url where c.reason = 'requisite'"
    )
    conn.execute(choose)


def _choose_originals(conn: sqlite3.Connection, warc_dir: Path) -> list[str]:
    conn.execute("drop table if exists temp.selection_originals")
    conn.execute("create table temp.selection_originals (record_id text primary key)")
    unnamed = []
    revisits = conn.execute(
        f"select record_id, url, filename, offset, length from {CHOSEN} where warc_type = 'revisit' "
        "order by filename, offset"
    )
    for record_id, url, filename, offset, length in revisits:
        try:
            headers = read_headers(warc_dir / Path(filename).name, offset, length)
        except (RecordNotFound, OSError):
            continue  # reading the file reports the damage, and the revisit as missing
        target = headers.get_header("WARC-Refers-To")
        uri, date = headers.get_header("WARC-Refers-To-Target-URI"), headers.get_header("WARC-Refers-To-Date")
        if not target and uri and date:
            row = conn.execute(
                "select warc_record_id from captures where url = ? and fetched_at = ? and warc_type = 'response' "
                "and warc_record_id is not null order by id limit 1",
                [uri, warc_date_to_fetched_at(date)],
            ).fetchone()
            target = row[0] if row else None
        if target:
            conn.execute("insert or ignore into temp.selection_originals values (?)", [target])
        else:
            unnamed.append(f"the original of revisit {record_id} ({url}): no WARC-Refers-To, no capture of {uri} at {date}")
    # An original archive.db does not know keeps no file: reading cannot find it, and it is reported missing.
    conn.execute(
        f"insert or ignore into {CHOSEN} (record_id, role, url, filename, offset, length, warc_type) "
        "select o.record_id, 'original', c.url, c.warc_filename, c.warc_offset, c.warc_length, c.warc_type "
        "from temp.selection_originals o left join captures c on c.warc_record_id = o.record_id "
        "order by c.warc_filename is null"
    )
    return unnamed


def crawl_of(path: Path) -> str | None:
    """The crawl that wrote a file: ``isPartOf`` of its first record, the crawl's ``warcinfo``."""
    try:
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type != "warcinfo":
                    return None
                for line in record.content_stream().read().decode("utf-8", "replace").splitlines():
                    name, _, value = line.partition(":")
                    if name.strip() == "isPartOf":
                        return value.strip() or None
                return None
    except Exception:  # noqa: BLE001 (warcio raises several kinds on a bad member; reading reports it)
        return None
    return None


def files_to_read(conn: sqlite3.Connection, warc_dir: Path) -> list[Path]:
    """The closed files holding chosen records and, after each, the files the same crawl wrote later (a
    request or metadata record can follow its response past a rotation), in write order."""
    named = {Path(row[0]).name for row in conn.execute(f"select distinct filename from {CHOSEN} where filename is not null")}
    missing = sorted(name for name in named if not (warc_dir / name).exists())
    if missing:
        open_ones = [name for name in missing if (warc_dir / (name + OPEN_SUFFIX)).exists()]
        hint = " (still open: a crawl is running or was killed; the next crawl repairs it)" if open_ones else ""
        raise FileNotFoundError(f"WARC files not found in {warc_dir}: {', '.join(missing[:5])}{hint}")
    chosen: list[Path] = []
    following: str | None = None  # the crawl whose later files are read too; "" unknown: the next file only
    for path in warc_files(warc_dir):  # a crawl's files are consecutive: crawls hold the archive's lock
        if path.name in named:
            chosen.append(path)
            following = crawl_of(path) or ""
        elif following is not None and (following == "" or crawl_of(path) == following):
            chosen.append(path)
            following = following or None
        else:
            following = None
    return chosen


class SelectionWriter:
    """New WARC files of copied records: a ``warcinfo`` record first, naming the filter and the source
    files of that file, then the members as they were; a new file from ``max_size`` bytes on.

    The records go to ``NAME.records`` first, as the source files are known only once they are copied;
    closing a file writes the ``warcinfo`` member and appends them."""

    def __init__(self, directory: Path, selection: str, *, max_size: int = DEFAULT_MAX_SIZE) -> None:
        self.directory = directory
        self.selection = selection
        self.max_size = max_size
        self.hostname = re.sub(r"[^A-Za-z0-9.-]", "_", socket.gethostname())
        self.files: list[Path] = []
        self.source_files: dict[str, None] = {}  # every file copied from, in order (a dict: fast lookups)
        self.records = 0
        self._serial = -1
        self._name: str | None = None
        self._body: BinaryIO | None = None
        self._sources: dict[str, None] = {}  # the files copied from into the current file

    def copy(self, source: BinaryIO, source_name: str, offset: int, length: int) -> None:
        """Append ``length`` bytes of ``source`` from ``offset``: one record's gzip member, unchanged."""
        if self._body is None:
            self._start()
        self._sources.setdefault(source_name)
        self.source_files.setdefault(source_name)
        source.seek(offset)
        remaining = length
        while remaining:
            block = source.read(min(_COPY_CHUNK, remaining))
            if not block:
                raise OSError(f"{source_name} ends inside the record at offset {offset}")
            self._body.write(block)
            remaining -= len(block)
        self.records += 1
        if self._body.tell() >= self.max_size:
            self._finish()

    def close(self) -> list[Path]:
        if self._body is not None:
            self._finish()
        return self.files

    def _start(self) -> None:
        self._serial += 1
        now = datetime.now(UTC)
        stamp = now.strftime("%Y%m%d%H%M%S") + f"{now.microsecond // 1000:03d}"
        self._name = f"{PREFIX}-{stamp}-{self._serial:05d}-{self.hostname}.warc.gz"
        self._body = open(self.directory / (self._name + ".records"), "w+b")  # noqa: SIM115 (kept open)
        self._sources = {}

    def _warcinfo(self) -> bytes:
        fields = [
            ("software", f"newsarchive/{__version__} (export-wacz)"),
            ("format", "WARC File Format 1.1"),
            ("conformsTo", CONFORMS_TO),
            ("description", DESCRIPTION),
            ("selection", self.selection),
            *(("source-file", name) for name in self._sources),
        ]
        content = "".join(f"{name}: {value}\r\n" for name, value in fields).encode("utf-8")
        buffer = BytesIO()
        writer = WARCWriter(buffer, gzip=True, warc_version=WARC_VERSION)  # gzip: one member
        record = writer.create_warc_record(
            "", "warcinfo", payload=BytesIO(content), length=len(content),
            warc_content_type="application/warc-fields",
            warc_headers_dict={"WARC-Record-ID": new_record_id(), "WARC-Date": warc_date(datetime.now(UTC)),
                               "WARC-Filename": self._name},
        )
        writer.write_record(record)
        return buffer.getvalue()

    def _finish(self) -> None:
        body, name = self._body, self._name
        final = self.directory / name
        with open(final, "xb") as out:
            out.write(self._warcinfo())
            body.seek(0)
            while block := body.read(_COPY_CHUNK):
                out.write(block)
        body.close()
        os.unlink(self.directory / (name + ".records"))
        self.files.append(final)
        self._body = self._name = None


def _records(paths: list[Path], report: SelectionReport) -> Iterator[tuple[Path, int, int, object]]:
    for path in paths:
        for item in scan_records(path):
            if isinstance(item, BadSpot):
                report.bad_spots.append(item)
                continue
            yield (path, *item)


def copy_selection(
    conn: sqlite3.Connection,
    warc_dir: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    site: str | None = None,
    since: str | None = None,
    max_size: int = DEFAULT_MAX_SIZE,
) -> SelectionReport:
    """Write the records of the articles ``site``/``since`` select into new WARC files in ``out_dir``.

    ``conn``: the archive database (read-only is enough: the chosen ids go into a TEMP table).
    Raises ``FileNotFoundError`` when a file archive.db names is missing or still open."""
    warc_dir, out_dir = Path(warc_dir), Path(out_dir)
    report = SelectionReport()
    report.missing = choose_records(conn, warc_dir, site=site, since=since)
    paths = files_to_read(conn, warc_dir)
    writer = SelectionWriter(out_dir, filter_label(site, since), max_size=max_size)
    source = source_path = None
    try:
        for path, offset, length, record in _records(paths, report):
            if record.rec_type == "warcinfo":
                continue
            headers = record.rec_headers
            if not _take(conn, record.rec_type, headers):
                continue
            if source_path != path:
                if source is not None:
                    source.close()
                source, source_path = open(path, "rb"), path  # noqa: SIM115 (one source file at a time)
            writer.copy(source, path.name, offset, length)
    finally:
        if source is not None:
            source.close()
        report.files = writer.close()
    report.records = writer.records
    report.source_files = list(writer.source_files)
    report.missing += [
        f"{role} {record_id} ({url}){' in ' + filename if filename else ', not in archive.db'}"
        for record_id, role, url, filename in conn.execute(
            f"select record_id, role, url, filename from {CHOSEN} where found is null order by filename, offset"
        )
    ]
    return report


def _take(conn: sqlite3.Connection, rec_type: str, headers) -> bool:
    """Whether a record read from a source file belongs to the selection (marks chosen records found,
    so a record that is in the archive twice is copied once)."""
    record_id = headers.get_header("WARC-Record-ID")
    row = conn.execute(f"select found from {CHOSEN} where record_id = ?", [record_id]).fetchone()
    if row is not None:
        if row[0]:
            return False
        conn.execute(f"update {CHOSEN} set found = 1 where record_id = ?", [record_id])
        return True
    if rec_type not in ("request", "metadata"):
        return False
    for name in ("WARC-Concurrent-To", "WARC-Refers-To"):
        linked = headers.get_header(name)
        if linked and conn.execute(
            f"select 1 from {CHOSEN} where record_id = ? and role = 'capture'", [linked]
        ).fetchone():
            return True
    return False
