"""What spiders hand to the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field

from archive.warcwriter import RecordLocation


@dataclass
class ArticlePage:
    """A fetched page the spider believes is an article; the pipeline extracts and stores it."""

    url: str
    body: bytes  # decoded of Content-Encoding (the WARC keeps the raw bytes)
    content_type: str | None
    status: int
    location: RecordLocation
    fetched_at: str
    discovered_via: str | None = None
    # What the sitemap or feed that listed the page said: listed_in, lastmod, title, published, language.
    hints: dict = field(default_factory=dict)


@dataclass
class CaptureOutcome:
    """What became of a fetch that is not stored as an article (``not-article``, ``malformed-xml``...)."""

    location: RecordLocation
    reason: str
