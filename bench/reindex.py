"""`newsarchive reindex` vs a single-process loop (warcio read + plain trafilatura), same WARC files.

    make bench-reindex                       # every corpus page once
    .venv/bin/python bench/reindex.py --repeat 2 --rounds 2

Builds an archive in bench/out/reindex/ from the corpus pages in ../shared/corpus/*/html/*.html.gz (read
there, not copied): each page becomes a gzip-encoded `response` record, its `request` record, and the
`metadata` record a crawl writes for an article candidate. Then, in one run, side by side:

- reference: one process, warcio's ArchiveIterator over the files, `trafilatura.bare_extraction`
  (with metadata) on every response body;
- ours: `newsarchive reindex --workers 0` (one extraction process per core, SQLite rows written).

Both are timed wall-clock as subprocesses (interpreter start and imports included). Prints articles/s
of each and the ratio; the issue's target is >= 1.7x on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.warcwriter import ARTICLE_CANDIDATE, OUTCOME_FIELD, HttpExchange, WarcWriter  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
OUT = ROOT / "bench" / "out" / "reindex"
BIN = Path(sys.executable).parent

REFERENCE = r'''
import sys, time
import trafilatura
from warcio.archiveiterator import ArchiveIterator
start = time.perf_counter()
articles = 0
for path in sys.argv[1:]:
    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type != "response":
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            body = record.content_stream().read()
            document = trafilatura.bare_extraction(body, url=url, with_metadata=True)
            if document is not None and (document.text or "").strip():
                articles += 1
print(articles)
'''


def build(repeat: int) -> tuple[Path, int]:
    pages = sorted(CORPUS.glob("*/html/*.html.gz"))
    if not pages:
        raise SystemExit(f"no corpus pages in {CORPUS}")
    shutil.rmtree(OUT, ignore_errors=True)
    warc_dir = OUT / "warc"
    count = 0
    with WarcWriter(warc_dir, prefix="bench", hostname="bench", max_size=50_000_000,
                    info={"isPartOf": "bench-reindex"}) as writer:
        for round_ in range(repeat):
            for path in pages:
                raw = path.read_bytes()  # gzip already: stored content-encoded, as a crawl stores it
                url = f"https://{path.parent.parent.name}.bench.example/{round_}/{path.name.split('.')[0]}.html"
                location = writer.write_exchange(HttpExchange(
                    url=url, status=200, body=raw,
                    response_headers=[("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"),
                                      ("Content-Length", str(len(raw)))],
                    request_headers=[("Accept-Encoding", "gzip, deflate, br")],
                ))
                fields = f"{OUTCOME_FIELD}: {ARTICLE_CANDIDATE}\r\ndiscovered-via: sitemap\r\n".encode()
                writer.write_metadata(url, location.record_id, fields, "application/warc-fields")
                count += 1
    return OUT, count


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str]) -> tuple[float, float, str]:
    """Wall-clock seconds, CPU seconds (the process and its workers) and stdout of one run."""
    cpu, start = _cpu(), time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:3])} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return seconds, _cpu() - cpu, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="write the corpus this many times (as new URLs)")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each side; the best is reported")
    parser.add_argument("--workers", type=int, default=0, help="reindex --workers (0 = one per core)")
    args = parser.parse_args()
    archive, pages = build(args.repeat)
    files = [str(p) for p in sorted((archive / "warc").glob("*.warc.gz"))]
    print(f"{pages} corpus pages in {len(files)} WARC file(s), {os.cpu_count()} cores")
    print(f"load average before: {os.getloadavg()[0]:.1f} (other processes on these cores slow the "
          "parallel side most)")
    ours, ref, ratios = [], [], []
    for round_ in range(args.rounds):
        seconds, cpu, out = timed([str(BIN / "python"), "-c", REFERENCE, *files])
        ref.append((int(out.split()[-1]) / seconds, seconds, int(out.split()[-1]), cpu))
        (archive / "archive.db").unlink(missing_ok=True)
        seconds, cpu, out = timed([str(BIN / "newsarchive"), "reindex", "--archive-dir", str(archive), "-q",
                                   "--workers", str(args.workers)])
        articles = int(out.split(" captures, ")[1].split()[0])
        ours.append((articles / seconds, seconds, articles, cpu))
        ratios.append(ours[-1][0] / ref[-1][0])
        print(f"round {round_ + 1}: reference {ref[-1][0]:.1f}/s, reindex {ours[-1][0]:.1f}/s, "
              f"ratio {ratios[-1]:.2f}x")
    best_ref, best_ours = max(ref), max(ours)
    print(f"reference (1 process, warcio + trafilatura.bare_extraction): {best_ref[2]} articles in "
          f"{best_ref[1]:.1f} s = {best_ref[0]:.1f} articles/s ({best_ref[3]:.1f} CPU s)")
    print(f"newsarchive reindex (workers={args.workers or os.cpu_count()}, SQLite rows written): {best_ours[2]} "
          f"articles in {best_ours[1]:.1f} s = {best_ours[0]:.1f} articles/s ({best_ours[3]:.1f} CPU s)")
    print(f"ratio of the best runs: {best_ours[0] / best_ref[0]:.2f}x; median of rounds: "
          f"{statistics.median(ratios):.2f}x (target >= 1.7x)")


if __name__ == "__main__":
    main()
