"""Package the archive as a WACZ file (Web Archive Collection Zipped), for ReplayWeb.page and pywb.

Layout (WACZ spec; ``wacz_version`` 1.1.1, the version ``wacz validate`` checks; ``pages.jsonl`` with
the ``title`` and ``text`` fields of WACZ 1.2)::

    archive/*.warc.gz            the WARC files, stored uncompressed in the zip (they are gzip already)
    indexes/index.cdx            sorted CDXJ lines over those files (archive/cdxj.py), the name the
                                 WACZ spec gives an uncompressed index
    pages/pages.jsonl            one page per article: url, ts (WARC-Date of the record that holds
                                 the body), title, text
    datapackage.json             every file above with its sha256 and size
    datapackage-digest.json      sha256 of datapackage.json

Without a filter, every closed WARC file is included whole. ``site`` and ``since`` select articles
(``since`` compares with the published date, or the fetch date when none), and the package then holds
new WARC files made of exactly their records (archive/selection.py): every capture of each selected URL
fetched on or after ``since`` and the capture its text came from (request, response or revisit, metadata),
the original record of each revisit, and a ``warcinfo`` record first naming the filter and the source
files; each record copied byte for byte. Other sites' captures that shared the source files are not in
the package, and the index and pages describe the new files. Pages are streamed from one cursor.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from archive import __version__
from archive.cdxj import write_cdxj
from archive.dedup import fetched_at_to_warc_date
from archive.selection import article_filter, copy_selection, filter_label
from archive.store import ArchiveStore
from archive.warcreader import BadSpot
from archive.warcwriter import DEFAULT_MAX_SIZE

WACZ_VERSION = "1.1.1"
PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "Articles", "hasText": True}


@dataclass
class WaczReport:
    path: Path
    pages: int = 0
    warc_files: list[str] = field(default_factory=list)  # the WARC files in the package
    bad_spots: list[BadSpot] = field(default_factory=list)
    # With a selection: the records copied, the archive's files they came from, and the chosen records
    # no readable file held (archive/selection.py).
    records: int = 0
    source_files: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return "sha256:" + digest.hexdigest(), path.stat().st_size


def _pages(conn: sqlite3.Connection, where: str, params: list[str]) -> Iterator[dict]:
    sql = (
        "select a.url, a.title, a.text, coalesce(c.fetched_at, a.fetched_at) as record_at "
        "from articles a left join captures c on c.warc_record_id = a.warc_record_id "
        f"where {where} group by a.url order by a.url"
    )
    for url, title, text, record_at in conn.execute(sql, params):
        ts = fetched_at_to_warc_date(record_at).replace(".000Z", "Z")
        yield {"url": url, "ts": ts, "title": title or "", "text": text}


def export_wacz(
    archive_dir: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    site: str | None = None,
    since: str | None = None,
    max_warc_size: int = DEFAULT_MAX_SIZE,
) -> WaczReport:
    """Write ``out`` (a ``.wacz``); written to a temporary name and renamed when complete.

    With ``site``/``since`` the WARC files are new ones, rotated at ``max_warc_size`` bytes."""
    store = ArchiveStore(archive_dir, read_only=True)
    out = Path(out)
    report = WaczReport(out)
    try:
        conn = store.db.conn
        where, params = article_filter(site, since)
        selected = bool(site or since)
        if selected and not conn.execute(f"select count(*) from articles a where {where}", params).fetchone()[0]:
            # A WACZ must hold at least one WARC file: an empty selection is an error, not an empty package.
            raise LookupError(f"no article matches {filter_label(site, since)}")
        with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
            tmp = Path(tmp)
            if selected:
                (tmp / "warc").mkdir()
                picked = copy_selection(conn, store.warc_dir, tmp / "warc", site=site, since=since,
                                        max_size=max_warc_size)
                warc_paths = picked.files
                report.bad_spots, report.missing = picked.bad_spots, picked.missing
                report.records, report.source_files = picked.records, picked.source_files
            else:
                warc_paths = sorted(store.warc_dir.glob("*.warc.gz"))
            report.warc_files = [path.name for path in warc_paths]
            with open(tmp / "index.cdx", "w", encoding="utf-8") as index:
                report.bad_spots += write_cdxj(warc_paths, index)
            with open(tmp / "pages.jsonl", "w", encoding="utf-8") as pages:
                pages.write(json.dumps(PAGES_HEADER) + "\n")
                for page in _pages(conn, where, params):
                    pages.write(json.dumps(page, ensure_ascii=False) + "\n")
                    report.pages += 1
            _package(out, site, [(f"archive/{path.name}", path) for path in warc_paths], tmp)
    finally:
        store.close()
    return report


def _package(out: Path, site: str | None, warcs: list[tuple[str, Path]], tmp: Path) -> None:
    """Zip the WARC files, index and pages with their datapackage, as ``out.partial`` renamed to ``out``."""
    members = [*warcs, ("indexes/index.cdx", tmp / "index.cdx"), ("pages/pages.jsonl", tmp / "pages.jsonl")]
    resources = []
    for arcname, path in members:
        digest, size = _sha256(path)
        resources.append({"name": Path(arcname).name, "path": arcname, "hash": digest, "bytes": size})
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    title = f"newsarchive: {site}" if site else "newsarchive"
    package = {
        "profile": "data-package",
        "resources": resources,
        "wacz_version": WACZ_VERSION,
        "software": f"newsarchive {__version__}",
        "created": now,
        "title": title,
    }
    package_bytes = json.dumps(package, indent=2).encode("utf-8")
    digest = {"path": "datapackage.json", "hash": "sha256:" + hashlib.sha256(package_bytes).hexdigest()}
    partial = out.with_name(out.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        for arcname, path in members:
            # WARCs stored (not deflated): replay tools seek into them by offset.
            compress = zipfile.ZIP_STORED if arcname.startswith("archive/") else zipfile.ZIP_DEFLATED
            zf.write(path, arcname, compress_type=compress)
        zf.writestr("datapackage.json", package_bytes, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("datapackage-digest.json", json.dumps(digest), compress_type=zipfile.ZIP_DEFLATED)
    os.replace(partial, out)
