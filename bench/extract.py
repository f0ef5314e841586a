"""Extraction benchmark: this project's extraction against plain trafilatura, side by side, in one run.

    make bench-extract                       # both corpora
    .venv/bin/python bench/extract.py --corpus naeb --limit 40 --json

Corpora (read in place, never copied): ``../shared/corpus/aeb`` (ground-truth.json, html/<id>.html.gz)
and ``../shared/corpus/naeb`` (articles.json, html/<id>.html.gz).

Scorer (issue 3): word 4-gram shingles of the NFKC-casefolded ``\\w+`` tokens, counted as multisets;
per page P = overlap/predicted, R = overlap/truth, F1 = 2PR/(P+R); the figures printed are the means
over pages of P, R and of the per-page F1 (this definition reproduces the issue's 0.943 AEB / 0.900
NAEB for plain trafilatura 2.3.1; the F1 of the mean P and mean R is printed too, as "F1(P̄,R̄)").
A page with no 4-gram predicted has P = 0 (1 if the truth has none either); with none in the truth, R = 1.

"plain trafilatura" is ``trafilatura.extract(html_bytes, url=url)`` with its defaults. "newsarchive" is
``archive.extract.extract_article`` with the site's learned boilerplate: the pages of one site are
extracted in order as a crawl would see them, counting blocks in a real (in-memory) SQLite
``SiteBoilerplate``; when a block becomes boilerplate, the site's pages already extracted are cleaned
of it. CPU is process time per page (extraction only; both systems get the same bytes), measured
alternately page by page so both see the same machine state.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sqlite3
import statistics
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlite_utils  # noqa: E402
import trafilatura  # noqa: E402

from archive.boilerplate import SiteBoilerplate, ensure_boilerplate_schema  # noqa: E402
from archive.extract import EXTRACTOR_VERSION, extract_article, without_blocks  # noqa: E402

CORPUS_DIR = ROOT.parent / "shared" / "corpus"
_TOKEN_RE = re.compile(r"\w+")


# -- scorer ----------------------------------------------------------------------------------------
def shingles(text: str, n: int = 4) -> Counter:
    words = _TOKEN_RE.findall(unicodedata.normalize("NFKC", text or "").casefold())
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def score(predicted: str, truth: str) -> tuple[float, float, float]:
    """(P, R, F1) of one page."""
    pred, true = shingles(predicted), shingles(truth)
    overlap = sum((pred & true).values())
    n_pred, n_true = sum(pred.values()), sum(true.values())
    precision = overlap / n_pred if n_pred else (1.0 if not n_true else 0.0)
    recall = overlap / n_true if n_true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


# A diagnostic, not the score: NAEB's truth is often cut short (a paywalled or paged body: Forbes, Vanity
# Fair, the LA Times stop after a few paragraphs), so whole paragraphs of the article count against
# precision. This is the precision if the truth had every prose paragraph it lacks: a line of the
# prediction with under half its shingles in the truth, of PROSE_WORDS words or more, that ends a sentence.
PROSE_WORDS = 20


def precision_with_missing_prose(predicted: str, truth: str) -> float:
    true, pred = shingles(truth), shingles(predicted)
    for line in predicted.split("\n"):
        line_shingles = shingles(line)
        n = sum(line_shingles.values())
        if (n and sum((line_shingles & true).values()) < n / 2 and len(_TOKEN_RE.findall(line)) >= PROSE_WORDS
                and line.rstrip()[-1:] in '.!?"\u201d\u2019)'):
            true = true + line_shingles
    n_pred = sum(pred.values())
    return sum((pred & true).values()) / n_pred if n_pred else (1.0 if not true else 0.0)


# -- corpora ---------------------------------------------------------------------------------------
@dataclass
class Page:
    id: str
    url: str
    site: str
    truth: str
    html: bytes
    # NAEB's title, authors ("A, B") and date (YYYY-MM-DD) for the page; AEB has none.
    meta_truth: dict | None = None


def load_corpus(name: str, corpus_dir: Path = CORPUS_DIR) -> list[Page]:
    base = corpus_dir / name
    if name == "aeb":
        entries = json.loads((base / "ground-truth.json").read_text())
        sites = {k: (urlsplit(v["url"]).hostname or "").removeprefix("www.") for k, v in entries.items()}
    elif name == "naeb":
        entries = json.loads((base / "articles.json").read_text())
        sites = {k: urlsplit(v["site"]).hostname or v["site"] for k, v in entries.items()}
    else:
        raise SystemExit(f"unknown corpus {name!r} (aeb, naeb)")
    pages = []
    for key, entry in entries.items():
        html = gzip.decompress((base / "html" / f"{key}.html.gz").read_bytes())
        meta = {k: entry[k] for k in ("title", "authors", "date")} if name == "naeb" else None
        pages.append(Page(key, entry["url"], sites[key], entry["articleBody"], html, meta))
    return pages


# -- the two systems -------------------------------------------------------------------------------
@dataclass
class Run:
    texts: dict[str, str] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)  # seconds per page
    meta: dict[str, PageFields] = field(default_factory=dict)  # pages with a meta_truth only


@dataclass
class PageFields:
    title: str | None
    authors: list[str]
    date: str | None


def run_both(pages: list[Page]) -> tuple[Run, Run]:
    plain, ours = Run(), Run()
    db = sqlite_utils.Database(sqlite3.connect(":memory:"))
    ensure_boilerplate_schema(db)
    learner = SiteBoilerplate(db)
    by_site: dict[str, list[Page]] = defaultdict(list)
    for page in pages:
        by_site[page.site].append(page)
    articles = {}
    flip = False
    for site, site_pages in by_site.items():
        for page in site_pages:
            order = ("ours", "plain") if flip else ("plain", "ours")
            flip = not flip
            for system in order:
                start = time.process_time()
                if system == "plain":
                    plain.texts[page.id] = trafilatura.extract(page.html, url=page.url) or ""
                    plain.cpu[page.id] = time.process_time() - start
                    continue
                article = extract_article(page.html, page.url, None, None, learner.known(site))
                if article is not None:
                    learned = learner.observe(site, page.url, article.blocks, article.text.split("\n"))
                    if learned:
                        article = without_blocks(article, frozenset(learned))
                        for other in site_pages:
                            if other.id in articles:
                                articles[other.id] = without_blocks(articles[other.id], learner.known(site))
                    articles[page.id] = article
                ours.cpu[page.id] = time.process_time() - start
    for page in pages:
        article = articles.get(page.id)
        ours.texts[page.id] = article.text if article is not None else ""
        if page.meta_truth is not None:
            ours.meta[page.id] = (PageFields(article.title, article.authors, article.published) if article is not None
                                  else PageFields(None, [], None))
            # Plain trafilatura's metadata, as `extract(..., with_metadata=True)` gives it; not timed (the
            # issue's "plain trafilatura" extracts the text only).
            doc = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True)
            plain.meta[page.id] = PageFields(doc.title, (doc.author or "").split("; "), doc.date) if doc else \
                PageFields(None, [], None)
    return plain, ours


# -- metadata (NAEB): title, authors, date against the corpus's own ----------------------------------
def _words(text: str | None) -> str:
    return " ".join(_TOKEN_RE.findall(unicodedata.normalize("NFKC", text or "").casefold()))


def author_names(authors: str | list[str]) -> set[str]:
    """The names, each as its words: NAEB writes "A, B" (or "A and B"); we keep a list."""
    parts = authors if isinstance(authors, list) else re.split(r"\s*(?:,|;|&|\band\b)\s*", authors or "")
    return {_words(part) for part in parts if _words(part)}


def score_meta(pages: list[Page], run: Run) -> dict | None:
    """Share of pages whose title (same words), date (same day) and authors (same set of names, over the
    pages whose truth names any) equal the corpus's."""
    judged = [p for p in pages if p.meta_truth is not None]
    if not judged:
        return None
    with_authors = [p for p in judged if p.meta_truth["authors"]]
    return {
        "pages": len(judged),
        "title": sum(_words(run.meta[p.id].title) == _words(p.meta_truth["title"]) for p in judged) / len(judged),
        "date": sum((run.meta[p.id].date or "")[:10] == p.meta_truth["date"][:10] for p in judged) / len(judged),
        "authors": sum(author_names(run.meta[p.id].authors) == author_names(p.meta_truth["authors"])
                       for p in with_authors) / max(len(with_authors), 1),
        "authors_pages": len(with_authors),
    }


def summarize(pages: list[Page], run: Run) -> dict:
    scores = [score(run.texts[p.id], p.truth) for p in pages]
    n = len(scores)
    precision = sum(s[0] for s in scores) / n
    recall = sum(s[1] for s in scores) / n
    return {
        "pages": n,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(sum(s[2] for s in scores) / n, 4),
        "f1_of_means": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        "precision_with_missing_prose": round(
            sum(precision_with_missing_prose(run.texts[p.id], p.truth) for p in pages) / n, 4),
        "median_ms": round(statistics.median(run.cpu.values()) * 1000, 2),
        "cpu_s": round(sum(run.cpu.values()), 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", action="append", choices=["aeb", "naeb"], help="default: both")
    parser.add_argument("--corpus-dir", type=Path, default=CORPUS_DIR)
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages of each corpus")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of the table")
    parser.add_argument("--worst", type=int, default=0, metavar="N",
                        help="also list the N pages where this project's precision is lowest")
    args = parser.parse_args(argv)
    results, worst = {}, []
    for name in args.corpus or ["aeb", "naeb"]:
        if not (args.corpus_dir / name).is_dir():
            raise SystemExit(f"corpus {name} not found in {args.corpus_dir}")
        pages = load_corpus(name, args.corpus_dir)
        if args.limit:
            pages = pages[: args.limit]
        plain, ours = run_both(pages)
        a, b = summarize(pages, plain), summarize(pages, ours)
        results[name] = {"plain": a, "newsarchive": b, "cpu_ratio": round(b["cpu_s"] / a["cpu_s"], 3)}
        if (meta_plain := score_meta(pages, plain)) is not None:
            results[name]["metadata"] = {"plain": meta_plain, "newsarchive": score_meta(pages, ours)}
        if args.worst:
            worst += lowest_precision(name, pages, plain, ours, args.worst)
    if args.json:
        print(json.dumps({"extractor_version": EXTRACTOR_VERSION, "corpora": results, "worst": worst}, indent=2))
        return 0
    print(f"extraction benchmark: plain trafilatura {trafilatura.__version__} vs newsarchive {EXTRACTOR_VERSION}")
    print(f"{'corpus':<6} {'system':<20} {'pages':>5} {'P':>6} {'R':>6} {'F1':>6} {'F1(P̄,R̄)':>9} {'ms/page':>8}")
    for name, result in results.items():
        for system in ("plain", "newsarchive"):
            r = result[system]
            label = "plain trafilatura" if system == "plain" else "newsarchive"
            print(
                f"{name:<6} {label:<20} {r['pages']:>5} {r['precision']:>6.3f} {r['recall']:>6.3f} {r['f1']:>6.3f}"
                f" {r['f1_of_means']:>9.3f} {r['median_ms']:>8.1f}"
            )
        print(f"{name:<6} CPU newsarchive / plain trafilatura: {result['cpu_ratio']:.2f}x")
        print(f"{name:<6} P if the truth had the prose paragraphs it lacks (diagnostic): plain trafilatura "
              f"{result['plain']['precision_with_missing_prose']:.3f}, newsarchive "
              f"{result['newsarchive']['precision_with_missing_prose']:.3f}")
    for name, result in results.items():
        if "metadata" not in result:
            continue
        n = result["metadata"]["plain"]
        print(f"\nmetadata, {name} ({n['pages']} pages; authors on the {n['authors_pages']} that name any): "
              "share equal to the corpus's")
        print(f"{'system':<20} {'title':>6} {'date':>6} {'authors':>8}")
        for system in ("plain", "newsarchive"):
            m = result["metadata"][system]
            label = "plain trafilatura" if system == "plain" else "newsarchive"
            print(f"{label:<20} {m['title']:>6.3f} {m['date']:>6.3f} {m['authors']:>8.3f}")
    for row in worst:
        print(f"{row['corpus']:<6} P {row['precision']:.2f} R {row['recall']:.2f} (plain P {row['plain_precision']:.2f})"
              f" {row['words']} words, truth {row['truth_words']}; mean-P loss {row['loss']:.4f}  {row['url']}")
    return 0


def lowest_precision(corpus: str, pages: list[Page], plain: Run, ours: Run, n: int) -> list[dict]:
    """The ``n`` pages with our lowest precision, and what each costs the corpus's mean precision."""
    rows = []
    for page in pages:
        precision, recall, _ = score(ours.texts[page.id], page.truth)
        rows.append({
            "corpus": corpus, "url": page.url, "precision": precision, "recall": recall,
            "plain_precision": score(plain.texts[page.id], page.truth)[0],
            "words": len(ours.texts[page.id].split()), "truth_words": len(page.truth.split()),
            "loss": (1 - precision) / len(pages),
        })
    return sorted(rows, key=lambda r: r["precision"])[:n]


if __name__ == "__main__":
    sys.exit(main())
