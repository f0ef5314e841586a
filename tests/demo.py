"""`make demo`: serve the bundled news sites on 127.0.0.1, crawl them, show what was archived.

Runs the real `newsarchive` command, exactly as a user would.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from siteserver import running

SITES = Path(__file__).parent / "sites"
BIN = Path(sys.executable).parent


def run(*args: str) -> int:
    print(f"\n$ newsarchive {' '.join(args)}", flush=True)
    return subprocess.run([str(BIN / "newsarchive"), *args]).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--archive-dir", default="data/demo")
    options = parser.parse_args()
    archive = Path(options.archive_dir)
    if archive.exists():
        shutil.rmtree(archive)  # the demo always starts from an empty archive
    with running(SITES / "demo", quiet=True) as gazette, running(SITES / "pangea", quiet=True) as pangea:
        print(f"Serving The Loopback Gazette at {gazette}/ and an RFE/RL (Pangea CMS) replica at {pangea}/")
        if run("crawl", f"{gazette}/", "--archive-dir", str(archive), "--no-throttle", "--quiet"):
            return 1
        if run("crawl", f"{pangea}/", "--spider", "rferl", "--archive-dir", str(archive), "--no-throttle", "--quiet"):
            return 1
    run("stats", "--archive-dir", str(archive))
    print("\nWARC files:")
    for path in sorted((archive / "warc").glob("*.warc.gz")):
        print(f"  {path}  ({path.stat().st_size:,} bytes)")
    run("search", '"missile defense"', "--archive-dir", str(archive), "--limit", "3")
    run("search", "glacier OR flood", "--archive-dir", str(archive), "--limit", "3")
    print(f"\nArchive in {archive}/ — try: .venv/bin/newsarchive search 'ferry' --archive-dir {archive}")
    print(f"Browse it in Datasette: .venv/bin/newsarchive serve --archive-dir {archive}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
