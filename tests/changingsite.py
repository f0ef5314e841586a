"""A small news site in a temp folder whose content a test changes between runs (served by siteserver).

``ChangingSite(root)`` writes a front page, a sitemap (with each article's ``lastmod``) and robots.txt
from ``site.articles``; ``publish()`` rewrites them after a test edits, adds or removes an article.
Besides the articles, the sitemap may list other paths (``sitemap_extra``: pages gone, moved or failing),
``redirects`` and ``statuses`` answer a path with a 301 or another status, ``refreshes`` with a 200 page
whose ``<meta http-equiv="refresh">`` sends the browser (and Scrapy) on, the front page may announce
``feeds``, and robots.txt name more sitemaps (``robots_sitemaps``); a story with ``listed=False`` is served
but neither linked nor listed (reached only through a redirect, say).
``fetched(log)`` reads the paths a siteserver ``--log`` file recorded.
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass, field
from pathlib import Path

WORDS = (
    "harbour council ferry river valley engineers volunteers library market weather station archive "
    "scientists glacier ice bus lanes traffic residents survey chamber budget school teachers museum"
).split()


def paragraphs(seed: int, n: int = 3) -> list[str]:
    """Deterministic filler prose, different per seed, well above the 40-word article minimum."""
    out = []
    for p in range(n):
        words = [WORDS[(seed * 7 + p * 13 + i * (seed % 5 + 1)) % len(WORDS)] for i in range(30)]
        out.append(f"Paragraph {p + 1} of story {seed}: " + " ".join(words).capitalize() + ".")
    return out


@dataclass
class Story:
    slug: str
    title: str
    body: list[str]
    lastmod: str = "2026-11-20T08:00:00+00:00"
    day: str = "2026/11/20"
    listed: bool = True  # on the front page and in the sitemap
    published: str | None = "2026-11-20T08:00:00+00:00"  # article:published_time (None: the page has no date)

    @property
    def path(self) -> str:
        return f"/{self.day}/{self.slug}.html"

    def page(self) -> str:
        t = html.escape(self.title)
        paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in self.body)
        date = f'<meta property="article:published_time" content="{self.published}">' if self.published else ""
        return (
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{t} | Changing Times</title>"
            '<meta property="og:type" content="article">'
            f'<meta property="og:title" content="{t}">{date}'
            f"</head><body><main><article><h1>{t}</h1>\n{paras}\n</article></main></body></html>\n"
        )


@dataclass
class ChangingSite:
    root: Path
    articles: dict[str, Story] = field(default_factory=dict)
    extra_links: list[str] = field(default_factory=list)  # e.g. "/_slow/3" to keep a crawl busy
    sitemap_extra: dict[str, str | None] = field(default_factory=dict)  # path -> lastmod (None: none listed)
    redirects: dict[str, str] = field(default_factory=dict)  # path -> Location, answered with a 301
    statuses: dict[str, int] = field(default_factory=dict)  # path -> status of a small page (410...)
    refreshes: dict[str, str] = field(default_factory=dict)  # path -> content of its meta refresh ("0; url=x")
    feeds: list[str] = field(default_factory=list)  # <link rel="alternate"> feeds of the front page
    robots_sitemaps: list[str] = field(default_factory=list)  # more Sitemap: lines (paths)

    def add(self, n: int, slug: str | None = None, **kw) -> Story:
        story = Story(slug or f"story-number-{n}-of-the-changing-times", f"Story {n} headline", paragraphs(n), **kw)
        self.articles[story.slug] = story
        return story

    def publish(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        for old in [*self.root.rglob("*.html"), *self.root.rglob("*.headers")]:
            old.unlink()
        for story in self.articles.values():
            self.write(story.path, story.page())
        for path, location in self.redirects.items():
            self.write(path, "Moved.\n", f"Status: 301\nLocation: {location}\n")
        for path, content in self.refreshes.items():
            self.write(path, refresh_page(content))
        for path, status in self.statuses.items():
            self.write(path, f"<!DOCTYPE html>\n<html><body><p>Status {status}.</p></body></html>\n", f"Status: {status}\n")
        listed = [s for s in self.articles.values() if s.listed]
        links = [s.path for s in listed] + self.extra_links
        items = "\n".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
        feeds = "".join(f'<link rel="alternate" type="application/rss+xml" href="{href}">' for href in self.feeds)
        (self.root / "index.html").write_text(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Changing Times</title>"
            f'<meta property="og:type" content="website">{feeds}</head>'
            f"<body><h1>Changing Times</h1><ul>\n{items}\n</ul></body></html>\n",
            "utf-8",
        )
        entries = [(s.path, s.lastmod) for s in listed] + list(self.sitemap_extra.items())
        urls = "\n".join(
            f"<url><loc>{{{{BASE}}}}{path}</loc>" + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>"
            for path, lastmod in entries
        )
        (self.root / "sitemap.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}\n</urlset>\n',
            "utf-8",
        )
        sitemaps = "".join(f"Sitemap: {{{{BASE}}}}{path}\n" for path in ["/sitemap.xml", *self.robots_sitemaps])
        (self.root / "robots.txt").write_text(f"User-agent: *\nDisallow:\n\n{sitemaps}", "utf-8")

    def write(self, path: str, text: str, headers: str | None = None) -> None:
        """A file served at ``path``; ``headers``: its siteserver sidecar (``Status:``, ``Location:``)."""
        target = self.root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
        if headers is not None:
            target.with_name(target.name + ".headers").write_text(headers, "utf-8")


def refresh_page(content: str) -> str:
    """A page that moved, as old CMSs leave them: a meta refresh and a few lines for browsers without it.
    Over 1 kB even gzipped (its legacy ids), so an unchanged copy is archived as a revisit record."""
    ids = " ".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(32))
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Moved</title>"
        f'<meta http-equiv="refresh" content="{html.escape(content)}"></head>'
        f"<body><p>This page has moved.</p><p hidden>{ids}</p></body></html>\n"
    )


def fetched(log: Path, since: int = 0) -> list[str]:
    """Paths requested (GET) in the siteserver log, from line ``since`` on."""
    if not log.exists():
        return []
    lines = log.read_text("utf-8").splitlines()[since:]
    return [line.split("\t")[1] for line in lines if line.startswith("GET\t")]


def log_lines(log: Path) -> int:
    return len(log.read_text("utf-8").splitlines()) if log.exists() else 0
