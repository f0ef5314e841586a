"""A small news site in a temp folder whose content a test changes between runs (served by siteserver).

``ChangingSite(root)`` writes a front page, a sitemap (with each article's ``lastmod``) and robots.txt
from ``site.articles``; ``publish()`` rewrites them after a test edits, adds or removes an article.
``fetched(log)`` reads the paths a siteserver ``--log`` file recorded.
"""

from __future__ import annotations

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

    @property
    def path(self) -> str:
        return f"/{self.day}/{self.slug}.html"

    def page(self) -> str:
        t = html.escape(self.title)
        paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in self.body)
        return (
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{t} | Changing Times</title>"
            '<meta property="og:type" content="article">'
            f'<meta property="og:title" content="{t}">'
            '<meta property="article:published_time" content="2026-11-20T08:00:00+00:00">'
            f"</head><body><main><article><h1>{t}</h1>\n{paras}\n</article></main></body></html>\n"
        )


@dataclass
class ChangingSite:
    root: Path
    articles: dict[str, Story] = field(default_factory=dict)
    extra_links: list[str] = field(default_factory=list)  # e.g. "/_slow/3" to keep a crawl busy

    def add(self, n: int, slug: str | None = None, **kw) -> Story:
        story = Story(slug or f"story-number-{n}-of-the-changing-times", f"Story {n} headline", paragraphs(n), **kw)
        self.articles[story.slug] = story
        return story

    def publish(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        for old in self.root.rglob("*.html"):
            old.unlink()
        for story in self.articles.values():
            target = self.root / story.path.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(story.page(), "utf-8")
        links = [s.path for s in self.articles.values()] + self.extra_links
        items = "\n".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
        (self.root / "index.html").write_text(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Changing Times</title>"
            '<meta property="og:type" content="website"></head>'
            f"<body><h1>Changing Times</h1><ul>\n{items}\n</ul></body></html>\n",
            "utf-8",
        )
        urls = "\n".join(
            f"<url><loc>{{{{BASE}}}}{s.path}</loc><lastmod>{s.lastmod}</lastmod></url>"
            for s in self.articles.values()
        )
        (self.root / "sitemap.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}\n</urlset>\n',
            "utf-8",
        )
        (self.root / "robots.txt").write_text("User-agent: *\nDisallow:\n\nSitemap: {{BASE}}/sitemap.xml\n", "utf-8")


def fetched(log: Path, since: int = 0) -> list[str]:
    """Paths requested (GET) in the siteserver log, from line ``since`` on."""
    if not log.exists():
        return []
    lines = log.read_text("utf-8").splitlines()[since:]
    return [line.split("\t")[1] for line in lines if line.startswith("GET\t")]


def log_lines(log: Path) -> int:
    return len(log.read_text("utf-8").splitlines()) if log.exists() else 0
