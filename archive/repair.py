"""Repair WARC files a killed crawl left behind (``NAME.warc.gz.open``).

The writer flushes after every request/response pair and holds an exclusive ``flock`` on the file it
writes; the kernel drops that lock when the process dies, however it dies. So an ``.open`` file whose
lock can be taken is a leftover: it is cut after its last complete record (one gzip member holding one
whole record, Content-Length checked), flushed to disk, and renamed to ``NAME.warc.gz``. Database rows
are written only after their record is flushed, so no row points into the part that is cut. A file
with no complete record at all (killed while writing its ``warcinfo``) is removed. An ``.open`` file
whose lock is held belongs to a running crawl and is left alone.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from archive.warcreader import OPEN_SUFFIX, BadSpot, scan_members


@dataclass(frozen=True)
class Repair:
    """What was done to one leftover file."""

    path: Path  # the file as found (with ".open")
    records: int  # complete records kept
    kept_bytes: int
    cut_bytes: int
    reason: str | None  # why the tail was cut (None when the file ended on a record boundary)
    renamed_to: Path | None  # None when the file held no complete record and was removed

    def __str__(self) -> str:
        if self.renamed_to is None:
            return f"removed {self.path.name}: no complete WARC record in it ({self.reason})"
        cut = f", cut {self.cut_bytes} bytes at offset {self.kept_bytes} ({self.reason})" if self.cut_bytes else ""
        return f"repaired {self.path.name}: kept {self.records} records ({self.kept_bytes} bytes){cut}; now {self.renamed_to.name}"


def repair_file(path: str | os.PathLike[str]) -> Repair | None:
    """Repair one ``.open`` file; ``None`` when another process still writes it."""
    path = Path(path)
    with open(path, "r+b") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None
        size = os.fstat(handle.fileno()).st_size
        kept, records, reason = 0, 0, None
        for item in scan_members(path):
            if isinstance(item, BadSpot):
                reason = item.reason
                break
            offset, length, _ = item
            if offset != kept:  # never happens without a BadSpot first; kept for safety
                break
            kept, records = offset + length, records + 1
        if kept < size:
            handle.truncate(kept)
        handle.flush()
        os.fsync(handle.fileno())
        if kept == 0:
            path.unlink()
            return Repair(path, 0, 0, size, reason or "empty file", None)
        target = path.with_name(path.name.removesuffix(OPEN_SUFFIX))
        os.replace(path, target)  # while still locked: nobody sees a half-repaired file
        return Repair(path, records, kept, size - kept, reason, target)


def repair_directory(warc_dir: str | os.PathLike[str], log: Callable[[str], object] = print) -> list[Repair]:
    """Repair every leftover ``.open`` file in ``warc_dir``; each repair is logged through ``log``."""
    warc_dir = Path(warc_dir)
    if not warc_dir.is_dir():
        return []
    done = []
    for path in sorted(warc_dir.glob("*" + OPEN_SUFFIX)):
        result = repair_file(path)
        if result is not None:
            log(f"leftover WARC file from an interrupted crawl: {result}")
            done.append(result)
    return done
