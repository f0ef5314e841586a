"""Extract stored articles again from their WARC records, so better extraction reaches old captures.

The WARC record is the source of truth and is only read. Each article row is re-extracted with the
current code and the site's learned boilerplate; the extraction columns of the row are replaced
(``text``, ``title``, metadata, ``extractor_version``), the fetch and WARC columns stay.

Used by ``newsarchive reextract`` and by the crawl pipeline when a block newly becomes boilerplate.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from archive.boilerplate import SiteBoilerplate, block_key
from archive.extract import EXTRACTOR_VERSION, MIN_ARTICLE_WORDS, Article, Hints, extract_article
from archive.warcreader import RecordNotFound, read_record

# The columns extraction produces; ``reextract`` replaces exactly these.
EXTRACTED_COLUMNS = (
    "canonical_url", "title", "authors", "published", "modified", "language", "description",
    "site_name", "section", "tags", "image", "image_caption", "text", "word_count", "extractor_version",
)


def extract_from_record(
    warc_dir: str | os.PathLike[str],
    row: dict,
    boilerplate: frozenset[str] = frozenset(),
) -> Article | None:
    """Read the row's response record and extract it (pure: safe to run in a worker process).
    Raises :class:`RecordNotFound` when the pointer leads nowhere."""
    record = read_record(warc_dir, row["warc_filename"], row["warc_offset"], row.get("warc_length"))
    hints = Hints(title=row.get("title"), published=row.get("published"), language=row.get("language"))
    return extract_article(record.body, row["url"], record.content_type, hints, boilerplate)


def article_columns(article: Article) -> dict:
    return {
        "canonical_url": article.canonical_url,
        "title": article.title,
        "authors": json.dumps(article.authors, ensure_ascii=False),
        "published": article.published,
        "modified": article.modified,
        "language": article.language,
        "description": article.description,
        "site_name": article.site_name,
        "section": article.section,
        "tags": json.dumps(article.tags, ensure_ascii=False),
        "image": article.image,
        "image_caption": article.image_caption,
        "text": article.text,
        "word_count": article.word_count,
        "extractor_version": article.extractor_version,
    }


def update_article(db, url: str, article: Article) -> None:
    """Replace the extraction columns of one ``articles`` row (the FTS index follows by trigger)."""
    with db.conn:
        db["articles"].update(url, article_columns(article))


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


def _rows(db, site: str | None, stale_only: bool) -> Iterator[dict]:
    where, params = [], []
    if site:
        where.append("site = ?")
        params.append(site.removeprefix("www."))
    if stale_only:
        where.append("coalesce(extractor_version, '') != ?")
        params.append(EXTRACTOR_VERSION)
    sql = "select * from articles" + (" where " + " and ".join(where) if where else "") + " order by site, fetched_at"
    yield from db.query(sql, params)


def reextract(
    db,
    warc_dir: str | os.PathLike[str],
    *,
    site: str | None = None,
    stale_only: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ReextractResult:
    """Re-extract every article (of ``site``; only those of another extractor version with
    ``stale_only``), learning each site's boilerplate as it goes; pages that held a block learned
    later in the run are extracted once more, so every row ends up cleaned of everything learned."""
    learner = SiteBoilerplate(db)
    result = ReextractResult()
    extracted: dict[str, Article] = {}
    rows = {}
    for row in list(_rows(db, site, stale_only)):
        rows[row["url"]] = row
        try:
            article = extract_from_record(warc_dir, row, learner.known(row["site"]))
        except RecordNotFound:
            result.missing.append(row["url"])
            continue
        if article is None or article.word_count < MIN_ARTICLE_WORDS:
            result.too_short += 1
            continue
        learned = learner.observe(row["site"], row["url"], article.blocks, article.text.split("\n"))
        result.learned += len(learned)
        extracted[row["url"]] = article
        if progress:
            progress(row["url"])
    # Second pass: pages extracted before a block of theirs was learned.
    for url, article in extracted.items():
        known = learner.known(rows[url]["site"])
        if any(block_key(line) in known for line in article.text.split("\n")):
            refreshed = extract_from_record(warc_dir, rows[url], known)
            if refreshed is not None and refreshed.word_count >= MIN_ARTICLE_WORDS:
                extracted[url] = refreshed
    for url, article in extracted.items():
        old = rows[url]
        new = article_columns(article)
        if all(old.get(k) == v for k, v in new.items()):
            result.unchanged += 1
            continue
        update_article(db, url, article)
        result.updated += 1
    return result

