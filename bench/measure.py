"""Run a command and sample the memory of its whole process tree.

The crawl's extraction runs in worker processes (children of a forkserver child), so the figure is
the sum of the resident set of the command and all its descendants, sampled every ``interval``
seconds with psutil. Shared pages of forked processes are counted once per process, as ``ps`` and
``top`` count them: an upper bound, never flattering. PSS (proportional, shared pages split between
the processes sharing them) is sampled too when the kernel offers ``smaps_rollup``.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

MB = 1024 * 1024


@dataclass
class Measured:
    cmd: list[str]
    returncode: int
    started: float  # time.monotonic() (system-wide on Linux, comparable with the bench server's clock)
    ended: float
    peak_rss: int  # bytes, sum over the process tree
    peak_pss: int  # bytes, 0 when unavailable
    peak_processes: int
    log: Path
    # User + system CPU of every process of the tree, as last sampled (a process's last ``interval``
    # may be missed). Unlike pages/s it does not depend on what else the machine runs.
    cpu_seconds: float

    @property
    def seconds(self) -> float:
        return self.ended - self.started


def _tree_memory(proc: psutil.Process, cpu: dict[int, float]) -> tuple[int, int, int]:
    """RSS and PSS summed over the tree; ``cpu`` gets each process's CPU seconds so far (by pid)."""
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0, 0, 0
    rss = pss = 0
    for p in procs:
        try:
            rss += p.memory_info().rss
            pss += _pss(p.pid)
            times = p.cpu_times()
            cpu[p.pid] = times.user + times.system
        except psutil.Error:
            continue
    return rss, pss, len(procs)


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run_measured(cmd: list[str], log: Path, *, cwd: Path | None = None, env: dict | None = None,
                 interval: float = 0.1, timeout: float = 3600) -> Measured:
    """Run ``cmd`` (output to ``log``), sampling its tree's memory until it exits."""
    peak_rss = peak_pss = peak_n = 0
    with open(log, "wb") as out:
        cpu: dict[int, float] = {}
        started = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=env)
        watched = psutil.Process(proc.pid)
        while proc.poll() is None:
            rss, pss, n = _tree_memory(watched, cpu)
            peak_rss, peak_pss, peak_n = max(peak_rss, rss), max(peak_pss, pss), max(peak_n, n)
            if time.monotonic() - started > timeout:
                proc.kill()
                proc.wait()
                raise TimeoutError(f"{' '.join(cmd)} ran longer than {timeout} s")
            time.sleep(interval)
        ended = time.monotonic()
    return Measured(cmd, proc.returncode, started, ended, peak_rss, peak_pss, peak_n, log, sum(cpu.values()))
