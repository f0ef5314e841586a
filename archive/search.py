"""Full-text search over ``articles_fts``: ranked, with snippets, safe for any user input."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

import sqlite_utils

from archive.scripts import UNSPACED_RE

# bm25 weights: a match in the title counts ten times a match in the body, as in news search engines.
TITLE_WEIGHT, TEXT_WEIGHT = 10.0, 1.0
SNIPPET_TOKENS = 16


@dataclass
class SearchHit:
    url: str
    site: str
    title: str | None
    published: str | None
    language: str | None
    snippet: str
    rank: float


class FilterError(ValueError):
    """A filter that cannot be applied (a date that is not a date)."""


def day_or_time(value: str, option: str) -> str:
    """``value`` checked as a day (YYYY-MM-DD) or an ISO time, as stored in ``published``/``fetched_at``."""
    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
        datetime.fromisoformat(value.replace("Z", "+00:00"))
        return value
    except ValueError:
        raise FilterError(f"{option} {value!r} is not a date (YYYY-MM-DD) or ISO time") from None


def when_condition(column: str, op: str, value: str, param: str) -> str:
    """SQL comparing ``column`` (ISO 8601 dates and times, archive/dates.py) with a filter ``value`` that
    :func:`day_or_time` checked. A day compares as text: the publisher's own day, whatever its offset.
    A time compares as an instant, offsets honoured (``julianday``; a time with no offset counts as UTC):
    as text, ``10:30+01:00`` would come after ``10:00Z``."""
    if len(value) == 10:
        return f"{column} {op} {param}"
    return f"julianday({column}) {op} julianday({param})"


def quote_query(query: str) -> str:
    """Turn arbitrary text into a safe FTS5 query: every word a quoted term, all required."""
    words = re.findall(r"\w+", query)
    return " ".join(f'"{w}"' for w in words)


def search(
    db: sqlite_utils.Database,
    query: str,
    *,
    site: str | None = None,
    since: str | None = None,
    language: str | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    """Ranked hits. ``query`` may use FTS5 syntax (phrases, OR, NEAR, prefix*); if it is not valid
    FTS5 it is searched as plain words instead, so no query raises; a ``since`` that is not a date
    raises :class:`FilterError`."""
    where, params = [], {"limit": limit}
    if site:
        where.append("(articles.site = :site or articles.site like '%.' || :site)")
        params["site"] = site.removeprefix("www.")
    if since:
        params["since"] = day_or_time(since, "--since")
        where.append(when_condition("coalesce(articles.published, articles.fetched_at)", ">=", params["since"], ":since"))
    if language:
        where.append("articles.language = :language")
        params["language"] = language
    if UNSPACED_RE.search(query):
        return _substring_search(db, query, where, params)
    where.insert(0, "articles_fts match :q")
    # FTS5 orders by its own ``rank`` column (same bm25 weights), so rows come out of the index in rank
    # order: the join and the filters stop once `limit` rows pass, and only those get a snippet.
    # Ordering by a bm25() expression instead made SQLite sort (and snippet) every match first: on a
    # 100,000-article archive (bench/searchbench.py) ~2x slower for words matching most articles, and
    # 1.5-2x slower with a --since filter; --site filters take the same time either way.
    where.append(f"articles_fts.rank match 'bm25({TITLE_WEIGHT}, {TEXT_WEIGHT})'")
    rank = "articles_fts.rank"
    sql = f"""
        select articles.url, articles.site, articles.title, articles.published, articles.language,
               snippet(articles_fts, 1, '[', ']', '…', {SNIPPET_TOKENS}) as snippet,
               {rank} as rank
        from articles_fts join articles on articles.rowid = articles_fts.rowid
        where {' and '.join(where)}
        order by rank limit :limit
    """
    for candidate in dict.fromkeys([query.strip(), quote_query(query)]):
        if not candidate:
            continue
        try:
            rows = db.execute(sql, {**params, "q": candidate}).fetchall()
        except sqlite3.OperationalError:
            continue
        return [SearchHit(*row) for row in rows]
    return []


# Characters of text shown on each side of the first match in a substring search's snippet.
SNIPPET_CHARS = 40


def _substring_search(db: sqlite_utils.Database, query: str, where: list[str], params: dict) -> list[SearchHit]:
    """A query in a script written without spaces (Chinese, Japanese, Thai...: archive/scripts.py): FTS5's
    unicode61 tokenizer indexed each clause of such text as one token, so "供水" found nothing in a story
    about "供水管网". Each ``\\w+`` term of the query must occur in the title or the text, as a substring
    (case-insensitive for ASCII letters); newest first, the snippet the text around the first term found.
    No index: it reads every article the filters leave (see README, "Search")."""
    terms = query_words(query)
    if not terms:
        return []
    where.extend(substring_conditions(query, params, "articles."))
    sql = f"""
        select url, site, title, published, language, text from articles
        where {' and '.join(where)}
        order by coalesce(published, fetched_at) desc, rowid desc limit :limit
    """
    hits = []
    for url, site, title, published, language, text in db.execute(sql, params).fetchall():
        hits.append(SearchHit(url, site, title, published, language, _snippet(text or "", terms), 0.0))
    return hits


def query_words(query: str) -> list[str]:
    """The ``\\w+`` words of a query, each once, in order."""
    return list(dict.fromkeys(re.findall(r"\w+", query)))


def substring_conditions(query: str, params: dict, table: str = "") -> list[str]:
    """SQL conditions (with their ``params``) that each word of ``query`` occurs in the title or the text,
    as a substring, case-insensitive for ASCII letters (``export --query`` and the Datasette plugin too)."""
    conditions = []
    for n, term in enumerate(query_words(query)):
        params[f"t{n}"] = term
        conditions.append(f"instr(lower(coalesce({table}title, '') || char(10) || {table}text), lower(:t{n})) > 0")
    return conditions


def _snippet(text: str, terms: list[str]) -> str:
    lowered = text.lower()
    found = [(at, term) for term in terms if (at := lowered.find(term.lower())) >= 0]
    if not found:  # in the title only
        return text[: 2 * SNIPPET_CHARS] + ("…" if len(text) > 2 * SNIPPET_CHARS else "")
    at, term = min(found)
    start, end = max(0, at - SNIPPET_CHARS), at + len(term) + SNIPPET_CHARS
    return (("…" if start else "") + text[start:at] + "[" + text[at:at + len(term)] + "]"
            + text[at + len(term):end] + ("…" if end < len(text) else ""))
