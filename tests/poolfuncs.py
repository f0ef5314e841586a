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
