"""An hourly re-run, incremental vs a full re-crawl, side by side (``make bench-incremental``).

    python bench/rerun.py [--pages 500] [--new 10]

Builds the benchmark site (bench/sitebuilder.py, unique corpus pages), serves it with bench/server.py,
and crawls ``/sitemap-N.xml`` once into an archive. Then ``--new`` more pages are published (the
sitemap grows) and the second run is made twice from copies of that archive: the default incremental run
and the reference, ``-s NEWSARCHIVE_INCREMENTAL=False`` (every listed page fetched and extracted again).
Prints wall time, pages requested from the server and CPU seconds (the crawl and its extraction workers)
of each second run, and the ratios.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))
from sitebuilder import build_site  # noqa: E402

NEWSARCHIVE = Path(sys.executable).parent / "newsarchive"


def start_server(site: Path) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, str(BENCH / "server.py"), str(site)], stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    match = re.match(r"PORT (\d+)", line)
    if not match:
        proc.kill()
        raise SystemExit(f"bench server did not start: {line!r}")
    return proc, f"http://127.0.0.1:{match[1]}"


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read() or b"{}")


def crawl(base: str, n: int, archive: Path, *extra: str) -> dict:
    get(base + "/_bench/reset")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    # No page requisites: the corpus pages embed files on internet hosts this machine cannot reach.
    proc = psutil.Popen([str(NEWSARCHIVE), "crawl", f"{base}/sitemap-{n}.xml", "--archive-dir", str(archive),
                         "--no-throttle", "-q", "-s", "NEWSARCHIVE_PAGE_REQUISITES=False", *extra],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers: dict[int, float] = {}  # extraction workers are not our children: sample their CPU time
    while proc.poll() is None:
        try:
            for child in proc.children(recursive=True):
                times = child.cpu_times()
                workers[child.pid] = times.user + times.system
        except psutil.Error:
            pass
        time.sleep(0.1)
    out, err = proc.communicate()
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"crawl failed ({proc.returncode}): {err[-2000:]}")
    own = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    stats = get(base + "/_bench/stats")
    return {"wall": wall, "page_requests": stats["page_requests"], "cpu": own + sum(workers.values()),
            "summary": out.strip()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=500)
    ap.add_argument("--new", type=int, default=10)
    ap.add_argument("--site", type=Path, default=BENCH / "out" / "incremental-site")  # not the shared one
    args = ap.parse_args()
    build_site(args.site, args.pages + args.new)
    server, base = start_server(args.site)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            first = Path(tmp) / "first"
            one = crawl(base, args.pages, first)
            print(f"first run: {one['page_requests']} pages in {one['wall']:.1f} s")
            results = {}
            for name, extra in (("incremental", ()), ("full re-crawl", ("-s", "NEWSARCHIVE_INCREMENTAL=False"))):
                archive = Path(tmp) / name.replace(" ", "-")
                shutil.copytree(first, archive)
                results[name] = crawl(base, args.pages + args.new, archive, *extra)
    finally:
        server.terminate()
        server.wait()
    print(f"second run, {args.pages} archived + {args.new} new pages listed:")
    print(f"{'':<16} {'wall s':>8} {'pages':>7} {'CPU s':>7}")
    for name, r in results.items():
        print(f"{name:<16} {r['wall']:>8.1f} {r['page_requests']:>7} {r['cpu']:>7.1f}")
    inc, ref = results["incremental"], results["full re-crawl"]
    print(f"ratio full / incremental: wall {ref['wall'] / inc['wall']:.1f}x, pages "
          f"{ref['page_requests'] / max(inc['page_requests'], 1):.1f}x, CPU {ref['cpu'] / inc['cpu']:.1f}x")
    print("incremental:", inc["summary"])


if __name__ == "__main__":
    main()
