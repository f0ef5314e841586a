"""Article revisions: ``article_versions``, one row per distinct version of an article.

Version 1 is the first capture of a URL. A recapture whose title or text differs from the latest
version (after whitespace is normalised, so re-wrapped HTML is not an edit) adds the next version, with
a unified diff against the previous one; an unchanged recapture adds nothing. ``articles`` always holds
the latest capture. Written by ``ArchiveStore.save_article`` in the same transaction as the article row.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

import sqlite_utils

TABLE = "article_versions"
VERSION_COLUMNS: dict[str, type] = {
    "url": str,
    "version": int,
    "fetched_at": str,
    "title": str,
    "text": str,
    "warc_filename": str,
    "warc_offset": int,
    "warc_length": int,
    "warc_record_id": str,
    "crawl_id": str,
    "diff": str,
    # The extractor that made title and text: a version after another extractor's may differ by what
    # the extractor changed, not the publisher (`newsarchive reextract --stale` re-cleans old versions).
    "extractor_version": str,
}
_SPACE = re.compile(r"\s+")


def ensure_table(db: sqlite_utils.Database) -> None:
    if TABLE not in db.table_names():
        db[TABLE].create(VERSION_COLUMNS, pk=("url", "version"))
        db[TABLE].create_index(["crawl_id"])
    elif "extractor_version" not in db[TABLE].columns_dict:  # archives made before it was recorded
        db[TABLE].add_column("extractor_version", str)


def normalise(text: str | None) -> str:
    """Collapse runs of whitespace inside each paragraph and drop empty paragraphs."""
    lines = (_SPACE.sub(" ", line).strip() for line in (text or "").splitlines())
    return "\n".join(line for line in lines if line)


def _lines(title: str | None, text: str | None) -> list[str]:
    return [f"title: {normalise(title)}", "", *normalise(text).splitlines()]


def unified_diff(old: dict[str, Any], new: dict[str, Any]) -> str:
    """Paragraph-level unified diff of title and text between two version rows."""
    return "\n".join(
        difflib.unified_diff(
            _lines(old.get("title"), old.get("text")),
            _lines(new.get("title"), new.get("text")),
            fromfile=f"version {old['version']} ({old['fetched_at']})",
            tofile=f"version {new['version']} ({new['fetched_at']})",
            lineterm="",
        )
    )


def differs(old: dict[str, Any], title: str | None, text: str | None) -> bool:
    return normalise(old.get("title")) != normalise(title) or normalise(old.get("text")) != normalise(text)


def latest(db: sqlite_utils.Database, url: str) -> dict[str, Any] | None:
    rows = list(db.query(f"select * from {TABLE} where url = ? order by version desc limit 1", [url]))
    return rows[0] if rows else None


def stale_latest(db: sqlite_utils.Database, url: str, extractor_version: str, payload_digest: str | None
                 ) -> dict[str, Any] | None:
    """The latest version of ``url`` when another extractor made it (or an unrecorded one: versions
    written before the column existed) and a capture with ``payload_digest`` is about to be compared
    with it; None when they compare like with like already, or the payload is the archived one (then
    :func:`record` re-cleans instead of comparing). Its capture must be extracted again first, or what
    the extractor now does differently would be recorded as the publisher's edit."""
    rows = list(db.query(  # called for every article the crawl stores: the schema is there (ensure_table)
        f"select v.*, a.payload_digest as archived_digest, "
        f"a.listed_title, a.listed_published, a.listed_language, a.published, a.language "
        f"from {TABLE} v join articles a on a.url = v.url where v.url = ? order by v.version desc limit 1",
        [url],
    ))
    if not rows:
        return None
    last = rows[0]
    if payload_digest is not None and last["archived_digest"] == payload_digest:
        return None
    if last["extractor_version"] == extractor_version or not last["warc_filename"]:
        return None
    return last


def history(db: sqlite_utils.Database, url: str) -> list[dict[str, Any]]:
    """Every version of ``url``, oldest first (empty when the URL is not archived)."""
    if TABLE not in db.table_names():
        return []
    return list(db.query(f"select * from {TABLE} where url = ? order by version", [url]))


@dataclass
class Capture:
    """The parts of an article capture a version keeps."""

    url: str
    fetched_at: str
    title: str | None
    text: str
    warc_filename: str | None
    warc_offset: int | None
    warc_length: int | None
    warc_record_id: str | None
    crawl_id: str | None
    extractor_version: str | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Capture:
        return cls(**{name: row.get(name) for name in cls.__dataclass_fields__})


def reclean(db: sqlite_utils.Database, url: str, record_id: str | None, title: str | None, text: str,
            extractor_version: str | None = None) -> None:
    """The same capture was cleaned again (newly learned boilerplate, a new extractor): its version
    row follows, so the next real edit is diffed against text cleaned the same way."""
    if TABLE not in db.table_names() or not record_id:
        return
    rows = list(db.query(f"select * from {TABLE} where url = ? and warc_record_id = ?", [url, record_id]))
    for row in rows:
        changes = {"extractor_version": extractor_version} if extractor_version else {}
        if differs(row, title, text):
            updated = {**row, "title": title, "text": text}
            before = list(db.query(f"select * from {TABLE} where url = ? and version = ?", [url, row["version"] - 1]))
            changes.update(title=title, text=text, diff=unified_diff(before[0], updated) if before else None)
        if any(row.get(name) != value for name, value in changes.items()):
            db[TABLE].update((url, row["version"]), changes)


def record(
    db: sqlite_utils.Database,
    capture: Capture,
    previous_article: dict[str, Any] | None,
    *,
    same_payload: bool = False,
) -> int | None:
    """Add a version for ``capture`` if it is the first or differs from the latest; return its number.

    ``previous_article`` is the ``articles`` row before this capture replaces it: for URLs archived
    before this table existed it becomes version 1, so the history starts at the first capture.
    ``same_payload``: the server sent byte-identical content again, so any difference in text comes
    from our cleaning (boilerplate learned since), not from the publisher: no new version, the latest
    one is re-cleaned instead. Call inside the transaction that writes the article row.
    """
    last = latest(db, capture.url)
    if last is None and previous_article is not None:
        last = {**vars(Capture.from_row(previous_article)), "version": 1, "diff": None}
        db[TABLE].insert(last)
    if last is not None and same_payload:
        reclean(db, capture.url, last["warc_record_id"], capture.title, capture.text, capture.extractor_version)
        return None
    if last is not None and not differs(last, capture.title, capture.text):
        return None
    row: dict[str, Any] = {**vars(capture), "version": (last["version"] + 1) if last else 1, "diff": None}
    if last is not None:
        row["diff"] = unified_diff(last, row)
    db[TABLE].insert(row)
    return row["version"]
