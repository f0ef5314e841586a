"""Extract stored articles again from their WARC records, so better extraction reaches old captures.

The WARC record is the source of truth and is only read. Each article row is re-extracted with the
current code and the site's learned boilerplate; the extraction columns of the row are replaced
(``text``, ``title``, metadata, ``extractor_version``), the fetch and WARC columns stay.

Used by ``newsarchive reextract`` and by the crawl pipeline when a block newly becomes boilerplate.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from archive import versions
from archive.boilerplate import SiteBoilerplate
from archive.extract import (
    EXTRACTOR_VERSION,
    MIN_ARTICLE_WORDS,
    Article,
    Hints,
    extract_article,
    without_blocks,
)
from archive.store import extraction_columns
from archive.warcreader import RecordNotFound, read_record


def extract_from_record(
    warc_dir: str | os.PathLike[str],
    row: dict,
    boilerplate: frozenset[str] = frozenset(),
) -> Article | None:
    """Read the row's response record and extract it (pure: safe to run in a worker process).
    Raises :class:`RecordNotFound` when the pointer leads nowhere."""
    record = read_record(warc_dir, row["warc_filename"], row["warc_offset"], row.get("warc_length"))
    # What the sitemap or feed said about the page (the crawl's hints), else what the row holds.
    hints = Hints(
        title=row.get("listed_title") or row.get("title"),
        published=row.get("listed_published") or row.get("published"),
        language=row.get("listed_language") or row.get("language"),
    )
    return extract_article(record.body, row["url"], record.content_type, hints, boilerplate)


def update_article(db, url: str, article: Article) -> None:
    """Replace the extraction columns of one ``articles`` row (the FTS index follows by trigger)."""
    with db.conn:
        db["articles"].update(url, extraction_columns(article))
        versions.reclean(db, url, db["articles"].get(url)["warc_record_id"], article.title, article.text,
                         article.extractor_version)


@dataclass
class ReextractResult:
    updated: int = 0
    unchanged: int = 0
    too_short: int = 0  # the new extraction found too little text: the row is kept as it was
    missing: list[str] = field(default_factory=list)  # URLs whose WARC record could not be read
    learned: int = 0  # blocks that became boilerplate during the run

    def summary(self) -> str:
        text = (
            f"{self.updated} articles re-extracted, {self.unchanged} unchanged, "
            f"{self.too_short} kept (new extraction too short), {len(self.missing)} WARC records missing; "
            f"{self.learned} boilerplate blocks learned"
        )
        return text


def stale_versions(db) -> dict[str, int]:
    """How many ``articles`` rows each extractor other than this one made (``{"4+trafilatura-2.3.1": 812}``)."""
    rows = db.execute(
        "select coalesce(extractor_version, 'unknown'), count(*) from articles"
        " where coalesce(extractor_version, '') != ? group by 1 order by 2 desc",
        [EXTRACTOR_VERSION],
    )
    return dict(rows.fetchall())


def _urls(db, site: str | None, stale_only: bool) -> list[str]:
    """The URLs to re-extract, site by site (URLs only: rows are read one at a time)."""
    where, params = [], []
    if site:
        where.append("site = ?")
        params.append(site.removeprefix("www."))
    if stale_only:
        where.append("coalesce(extractor_version, '') != ?")
        params.append(EXTRACTOR_VERSION)
    sql = "select url from articles" + (" where " + " and ".join(where) if where else "") + " order by site, fetched_at"
    return [r[0] for r in db.execute(sql, params)]


def reextract(
    db,
    warc_dir: str | os.PathLike[str],
    *,
    site: str | None = None,
    stale_only: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ReextractResult:
    """Re-extract every article (of ``site``; only those of another extractor version with
    ``stale_only``), one row at a time, learning each site's boilerplate as it goes: when a block
    becomes boilerplate, the rows of this run that hold it are extracted again, so every row ends up
    cleaned of everything learned (what the crawl pipeline does, in one process)."""
    learner = SiteBoilerplate(db)
    result = ReextractResult()
    done: set[str] = set()
    for url in _urls(db, site, stale_only):
        row = db["articles"].get(url)
        try:
            article = extract_from_record(warc_dir, row, learner.known(row["site"]))
        except RecordNotFound:
            result.missing.append(url)
            continue
        if article is None or article.word_count < MIN_ARTICLE_WORDS:
            result.too_short += 1
            continue
        learned = learner.observe(row["site"], url, article.blocks, article.text.split("\n"))
        if learned:
            result.learned += len(learned)
            known = learner.known(row["site"])
            article = without_blocks(article, known)
            # rows this run already wrote that hold a newly learned block
            for other in learner.pages_with(row["site"], learned):
                if other in done:
                    _drop_learned(db, other, known)
        if _update(db, row, extraction_columns(article)):
            result.updated += 1
        else:
            result.unchanged += 1
        done.add(url)
        if progress:
            progress(url)
    return result


def _drop_learned(db, url: str, known: frozenset[str]) -> None:
    row = db["articles"].get(url)
    stored = Article(url=url, title=row["title"], text=row["text"], word_count=row["word_count"])
    cleaned = without_blocks(stored, known)
    _update(db, row, {"text": cleaned.text, "word_count": cleaned.word_count})


def _update(db, old: dict, columns: dict) -> bool:
    """Write ``columns`` into the row when they differ from it; say whether they did."""
    if all(old.get(k) == v for k, v in columns.items()):
        return False
    with db.conn:
        db["articles"].update(old["url"], columns)
        new = {**old, **columns}
        versions.reclean(db, old["url"], old["warc_record_id"], new["title"], new["text"], new.get("extractor_version"))
    return True
