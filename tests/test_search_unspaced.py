"""Search in scripts written without spaces (archive/scripts.py): FTS5's unicode61 tokenizer indexes a
whole Chinese clause as one token, so a word inside it was never found; such queries are substring
searches over the title and the text."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

from browsing import serving

from conftest import newsarchive
from siteserver import running

STORIES = {
    "zh": ("北京供水管网改造", "北京市政府周二宣布，将在明年春季之前完成对老城区供水管网的全面改造工程。"
           "市政官员表示，这项工程涉及超过三百公里的管道，预计总投资约为四十亿元人民币。"),
    "ja": ("東京の水道工事", "東京都は火曜日、来年の春までに旧市街の水道管網の全面的な改修工事を完了すると発表した。"
           "市の職員によると、この工事は三百キロ以上の配管に及ぶという。"),
    "en": ("Harbour wall repairs", "The harbour council met on Tuesday evening and voted to repair the old sea "
           "wall before winter, after engineers warned that the spring storms had opened three new cracks near "
           "the ferry landing and the fish market. Work starts in March, and the road along the quay stays open.")
}


def test_a_word_inside_a_chinese_or_japanese_clause_is_found(tmp_path):
    for lang, (title, text) in STORIES.items():
        page = tmp_path / "site" / "2026" / "11" / "27" / f"{lang}-story-about-water-and-walls" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
                        f"</head><body><article><h1>{title}</h1><p>{text}</p></article></body></html>", "utf-8")
    archive = tmp_path / "archive"
    with running(tmp_path / "site", quiet=True) as base:
        newsarchive("crawl", *(f"{base}/2026/11/27/{lang}-story-about-water-and-walls/" for lang in STORIES),
                    "--archive-dir", archive, "--no-throttle", "-q")

    def hits(query: str, *options: str) -> list[dict]:
        output = newsarchive("search", query, "--archive-dir", archive, "--json", *options).stdout
        return [json.loads(line) for line in output.splitlines()]  # JSON lines

    (zh,) = hits("供水")  # two characters inside the clause 对老城区供水管网的全面改造工程
    assert zh["url"].endswith("/zh-story-about-water-and-walls/") and "[供水]" in zh["snippet"]
    assert [h["url"].split("/")[-2] for h in hits("水道")] == ["ja-story-about-water-and-walls"]
    assert len(hits("北京 管道")) == 1 and hits("北京 配管") == []  # every term must occur
    assert hits("供水", "--site", "example.org") == [] and len(hits("供水", "--language", "zh")) == 1
    exported = newsarchive("export", "--archive-dir", archive, "--query", "供水").stdout.splitlines()
    assert [json.loads(line)["title"] for line in exported] == ["北京供水管网改造"]  # export --query alike
    (en,) = hits("storms")  # other scripts still go through the FTS5 index, ranked
    assert en["url"].endswith("/en-story-about-water-and-walls/") and en["rank"] != 0

    # Datasette's search box (newsarchive serve) reads such a query the same way
    with serving(archive) as served:
        def box(query: str) -> list[str]:
            url = served + "/archive/articles.json?" + urllib.parse.urlencode({"_shape": "array", "_search": query})
            with urllib.request.urlopen(url, timeout=30) as response:
                return [row["title"] for row in json.loads(response.read())]

        assert box("供水") == ["北京供水管网改造"] and box("水道") == ["東京の水道工事"]
        assert box("北京 配管") == [] and box("storms") == ["Harbour wall repairs"]
