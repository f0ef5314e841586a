"""A process pool for the crawl's extraction: N fresh Python processes, each fed through a pipe of its own.

Why not ``concurrent.futures.ProcessPoolExecutor``: with a start method that does not fork the crawl
(fork would copy the reactor, its sockets and the open WARC file, and count the crawl's pages in every
worker's resident set) it needs two more processes for the whole crawl, the forkserver and
multiprocessing's resource tracker (for the named semaphores of its queues): ~27 MB of the crawl's
~400 MB peak (bench/, 5,000 pages). Here each worker is ``python -c`` started with ``subprocess``,
reads ``(function, args)`` from its pipe and writes the result back on another; nothing else is shared.

The interface is the part of ``ProcessPoolExecutor`` the crawl uses: :meth:`WorkerPool.submit` returns a
``concurrent.futures.Future`` (await it with ``asyncio.wrap_future``), :meth:`WorkerPool.shutdown`, and
``BrokenProcessPool`` for every pending task once a worker dies (killed, out of memory, a crash in C
code): the owner starts a new pool. A worker ends when its input pipe closes: at shutdown, or when the
process that started it dies, even by SIGKILL, since no other process holds that pipe's write end.
Workers ignore SIGINT (Ctrl-C reaches the whole process group; their owner decides when they stop).

One thing an executor cannot do: give up on a stuck task alone. With ``timeout``, a task that runs
longer than that in its worker fails with :class:`TaskTimeout`, and that worker (only it) is killed and
replaced by a fresh one; the other workers' tasks run on undisturbed and the pool stays whole. The
thread that feeds a worker is the one that waits for its result, up to the timeout, so a result that
arrives as the time runs out is either taken or not, never both.
"""

from __future__ import annotations

import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import Connection

# The worker's first message is the owner's sys.path (what ``-c`` code would not otherwise see: paths
# that tests or the console script added), so it imports the same modules.
_BOOT = (
    "import signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN);"
    "from multiprocessing.connection import Connection;"
    "tasks = Connection(int(sys.argv[1]), writable=False); sys.path[:] = tasks.recv();"
    "from archive.workerpool import serve; serve(tasks, Connection(int(sys.argv[2]), readable=False))"
)


def serve(tasks: Connection, results: Connection) -> None:
    """The worker's loop: run ``(function, args)`` messages until ``None`` or the end of the pipe."""
    while True:
        try:
            data = tasks.recv_bytes()
        except (EOFError, OSError):  # the owner closed the pipe or died
            break
        try:
            message = pickle.loads(data)
            del data  # a page's body: not twice in memory while it is extracted
            if message is None:
                break
            func, args = message
            reply = (True, func(*args))
        except Exception as exc:  # noqa: BLE001 (handed to the caller's future)
            reply = (False, exc)
        try:
            results.send(reply)
        except (BrokenPipeError, ConnectionResetError):
            break
        except Exception as exc:  # noqa: BLE001 (an unpicklable result or exception)
            results.send((False, RuntimeError(f"worker could not send its result back: {exc!r}")))


def _ready() -> None:
    """A worker's first task when the pool has no initializer: its reply says the worker is up, so a
    task's time in the worker does not include the worker's start."""


class TaskTimeout(TimeoutError):
    """A task ran past the pool's timeout in its worker; the worker was killed and replaced."""


class _WorkerGone(Exception):
    pass


class _Worker:
    def __init__(self, initializer: Callable | None, initargs: Sequence) -> None:
        task_read, task_write = os.pipe()
        result_read, result_write = os.pipe()
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", _BOOT, str(task_read), str(result_write)],
                stdin=subprocess.DEVNULL,
                pass_fds=(task_read, result_write),
            )
        except BaseException:
            os.close(task_write)
            os.close(result_read)
            raise
        finally:
            os.close(task_read)
            os.close(result_write)
        self.tasks = Connection(task_write, readable=False)
        self.results = Connection(result_read, writable=False)
        self.tasks.send(list(sys.path))
        self.tasks.send((initializer or _ready, tuple(initargs)))

    def exit_code(self, timeout: float = 1.0) -> int:
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:  # still alive (its initializer failed, or it hangs): it goes
            self.proc.kill()
            return self.proc.wait()

    def close(self) -> None:
        self.tasks.close()
        self.results.close()


class WorkerPool:
    def __init__(self, workers: int, initializer: Callable | None = None, initargs: Sequence = (),
                 timeout: float | None = None) -> None:
        """``timeout``: seconds a task may run in its worker (counted from when the worker gets it, not
        from ``submit``); past it the task fails with ``TaskTimeout`` and its worker is replaced."""
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._broken: str | None = None
        self._shutdown = False
        self._initializer, self._initargs = initializer, tuple(initargs)
        self._timeout = timeout
        self._workers = [_Worker(initializer, initargs) for _ in range(workers)]
        self._threads = [
            threading.Thread(target=self._feed, args=(n,), name=f"worker-pool-feed-{n}", daemon=True)
            for n in range(workers)
        ]
        for thread in self._threads:
            thread.start()

    @property
    def pids(self) -> list[int]:
        return [w.proc.pid for w in self._workers]

    def submit(self, func: Callable, *args) -> Future:
        with self._lock:
            if self._broken is not None:
                raise BrokenProcessPool(self._broken)
            if self._shutdown:
                raise RuntimeError("cannot schedule new tasks after shutdown")
            future: Future = Future()
            self._queue.put((future, func, args))
            return future

    def _feed(self, slot: int) -> None:
        """One thread a worker slot: hands its worker the next task, waits for its result. Every task
        taken from the queue gets its future resolved, whatever happens to the worker."""
        worker: _Worker | None = self._workers[slot]
        while worker is not None:
            try:
                stuck = self._serve_worker(worker)
            except (_WorkerGone, EOFError, OSError) as exc:
                self._break(worker, exc)
                stuck = None
            if stuck is None:
                # After its last task the worker ends by itself; a broken pool does not wait for it.
                worker.exit_code(timeout=60.0 if self._broken is None else 1.0)
                worker.close()
                return
            # Its task ran out of time: the worker goes, and another takes its slot before the task
            # fails, so whoever sees TaskTimeout finds the pool whole again.
            worker.proc.kill()
            worker.proc.wait()
            worker.close()
            try:
                worker = self._replace(slot)
            finally:
                stuck.set_exception(TaskTimeout(f"the task ran over {self._timeout:g} s; its worker was killed"))

    def _replace(self, slot: int) -> _Worker | None:
        """A fresh worker in ``slot``; None when the pool is broken (then it stays empty)."""
        with self._lock:  # not while the pool breaks: _break kills the workers it sees
            if self._broken is not None:
                return None
            try:
                self._workers[slot] = _Worker(self._initializer, self._initargs)
                return self._workers[slot]
            except OSError as exc:  # no process could be started: as if a worker died
                failed = exc
        self._break(self._workers[slot], failed)
        return None

    def _serve_worker(self, worker: _Worker) -> Future | None:
        """Runs tasks on ``worker`` until an end mark (returns None) or a task that runs past the
        timeout (returns its future, not yet resolved: the worker is replaced first)."""
        ok, value = worker.results.recv()  # the initializer's reply (or _ready's): the worker is up
        if not ok:
            raise _WorkerGone(f"its initializer failed: {value!r}")
        while True:
            task = self._queue.get()
            if task is None:
                worker.tasks.send(None)
                return None
            future, func, args = task
            if not future.set_running_or_notify_cancel():
                continue
            try:
                try:
                    worker.tasks.send((func, args))
                except (EOFError, OSError):
                    raise
                except Exception as exc:  # noqa: BLE001 (the task does not pickle: its own failure)
                    future.set_exception(exc)
                    continue
                if self._timeout is not None and not worker.results.poll(self._timeout):
                    return future
                data = worker.results.recv_bytes()
            except (EOFError, OSError) as exc:
                future.set_exception(BrokenProcessPool("a worker process ended while running this task"))
                raise _WorkerGone("it ended while running a task") from exc
            try:
                ok, value = pickle.loads(data)
            except Exception as exc:  # noqa: BLE001 (a result this process cannot unpickle)
                ok, value = False, exc
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

    def _break(self, worker: _Worker, why: BaseException) -> None:
        """A worker is gone: the pool is broken, tasks still queued fail, the other workers stop."""
        reason = f"a worker process is gone ({why}; exit code {worker.exit_code()})"
        with self._lock:
            if self._broken is not None:
                return
            self._broken = reason
            workers = list(self._workers)  # no slot gets a new worker once the pool is broken
        self._cancel_queued(BrokenProcessPool(self._broken))
        for other in workers:  # their tasks in flight fail with BrokenProcessPool
            if other.proc.poll() is None:
                other.proc.kill()
        for _ in workers:
            self._queue.put(None)

    def _cancel_queued(self, exc: BaseException | None) -> None:
        while True:
            try:
                task = self._queue.get_nowait()
            except queue.Empty:
                return
            if task is None:
                continue
            future = task[0]
            if exc is None:
                future.cancel()
            elif future.set_running_or_notify_cancel():
                future.set_exception(exc)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Like ``Executor.shutdown``: no new tasks; queued ones run unless ``cancel_futures``; the
        workers exit after their last task (``wait``: this call returns when they have)."""
        with self._lock:
            already = self._shutdown
            self._shutdown = True
        if cancel_futures:
            self._cancel_queued(None)  # takes the end marks of an earlier call too: put again below
        if cancel_futures or not already:
            for _ in self._workers:
                self._queue.put(None)  # one end mark a worker; extra ones are never read
        if wait:
            for thread in self._threads:
                thread.join()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown(wait=True)
