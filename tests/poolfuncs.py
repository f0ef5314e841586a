"""Functions the worker-pool tests run in worker processes (importable there: tests/ is on sys.path)."""

from __future__ import annotations

import os
import time


def square(x: int) -> int:
    return x * x


def fail(message: str) -> None:
    raise ValueError(message)


def die(code: int) -> None:
    os._exit(code)


def pid() -> int:
    return os.getpid()


def wait_for_file(path: str) -> str:
    """Blocks until ``path`` exists (the test creates it): a task that is surely running meanwhile."""
    while not os.path.exists(path):
        time.sleep(0.01)
    return path


def unpicklable_result() -> object:
    return lambda: None


def sleep_then_pid(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def pid_when_file(path: str) -> int:
    """Like ``wait_for_file``, then says which worker ran it."""
    wait_for_file(path)
    return os.getpid()


def logged(path: str, n: int, seconds: float) -> int:
    """Takes ``seconds``, then appends ``n`` to ``path``: a test counts how many times each task ran."""
    time.sleep(seconds)
    with open(path, "a") as log:
        log.write(f"{n}\n")
    return n
