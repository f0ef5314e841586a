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

``site`` and ``since`` select articles (``since`` compares with the published date, or the fetch date
when none); the WARC files holding their records are included whole. Without a filter, every closed
WARC file is included.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

from archive import __version__
from archive.cdxj import write_cdxj
from archive.dedup import fetched_at_to_warc_date
from archive.search import day_or_time
from archive.store import ArchiveStore
from archive.warcreader import BadSpot
from archive.warcwriter import OPEN_SUFFIX

WACZ_VERSION = "1.1.1"
PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "Articles", "hasText": True}


@dataclass
class WaczReport:
    path: Path
    pages: int = 0
    warc_files: list[str] = field(default_factory=list)
    bad_spots: list[BadSpot] = field(default_factory=list)


def _sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return "sha256:" + digest.hexdigest(), path.stat().st_size


def _pages(store: ArchiveStore, site: str | None, since: str | None) -> list[dict]:
    where, params = [], []
    if site:
        where.append("a.site = ?")
        params.append(site.lower().removeprefix("www."))
    if since:
        where.append("coalesce(a.published, a.fetched_at) >= ?")
        params.append(day_or_time(since, "--since"))
    sql = (
        "select a.url, a.title, a.text, a.warc_filename, coalesce(c.fetched_at, a.fetched_at) as record_at "
        "from articles a left join captures c on c.warc_record_id = a.warc_record_id "
        + ("where " + " and ".join(where) if where else "")
        + " group by a.url order by a.url"
    )
    return list(store.db.query(sql, params))


def export_wacz(
    archive_dir: str | os.PathLike[str], out: str | os.PathLike[str], *, site: str | None = None, since: str | None = None
) -> WaczReport:
    """Write ``out`` (a ``.wacz``); written to a temporary name and renamed when complete."""
    store = ArchiveStore(archive_dir, read_only=True)
    out = Path(out)
    report = WaczReport(out)
    try:
        rows = _pages(store, site, since)
        warc_dir = store.warc_dir
        if site or since:
            names = sorted({row["warc_filename"] for row in rows if row["warc_filename"]})
        else:
            names = sorted(p.name for p in warc_dir.glob("*.warc.gz"))
    finally:
        store.close()
    if (site or since) and not rows:
        # A WACZ must hold at least one WARC file: an empty selection is an error, not an empty package.
        raise LookupError(f"no article matches{' --site ' + site if site else ''}{' --since ' + since if since else ''}")
    missing = [name for name in names if not (warc_dir / name).exists()]
    if missing:
        open_ones = [name for name in missing if (warc_dir / (name + OPEN_SUFFIX)).exists()]
        hint = " (still open: a crawl is running or was killed; the next crawl repairs it)" if open_ones else ""
        raise FileNotFoundError(f"WARC files not found in {warc_dir}: {', '.join(missing[:5])}{hint}")
    report.warc_files = names
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        tmp = Path(tmp)
        index_text = StringIO()
        report.bad_spots = write_cdxj([warc_dir / name for name in names], index_text)
        (tmp / "index.cdx").write_text(index_text.getvalue(), "utf-8")
        with open(tmp / "pages.jsonl", "w", encoding="utf-8") as pages:
            pages.write(json.dumps(PAGES_HEADER) + "\n")
            for row in rows:
                ts = fetched_at_to_warc_date(row["record_at"]).replace(".000Z", "Z")
                page = {"url": row["url"], "ts": ts, "title": row["title"] or "", "text": row["text"]}
                pages.write(json.dumps(page, ensure_ascii=False) + "\n")
                report.pages += 1
        members = [(f"archive/{name}", warc_dir / name) for name in names]
        members += [("indexes/index.cdx", tmp / "index.cdx"), ("pages/pages.jsonl", tmp / "pages.jsonl")]
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
    return report
