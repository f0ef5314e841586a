"""What keeps the crawl's memory down (crawler/memory.py, archive/heap.py, archive/workerpool.py,
archive/pagetree.py, archive/stoplists.py) must not change what a crawl does: the worker pool behaves as
the ProcessPoolExecutor it replaced, the meta-refresh check gives Scrapy's answers, a response's text is
still there if read again, a page's tree is trafilatura's, justext's stoplist is the same set."""

from __future__ import annotations

import asyncio
import gzip
import os
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import CancelledError
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import poolfuncs
import pytest
import trafilatura.external
from justext.core import define_stoplist
from justext.utils import get_stoplist, get_stoplists
from lxml import etree
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.response import get_meta_refresh
from scrapy.utils.test import get_crawler
from trafilatura.utils import load_html, repair_faulty_html

from archive import heap, pagetree, stoplists
from archive.extract import extract_article, parse_html
from archive.httpbody import to_text
from archive.parentwatch import alive
from archive.warcwriter import RecordLocation
from archive.workerpool import TaskTimeout, WorkerPool
from conftest import SHARED
from crawler.items import ArticlePage
from crawler.memory import DropDecodedText, HeadMetaRefresh, meta_refresh_of_head
from crawler.pipelines import ArticlePipeline
from crawler.run import build_settings

TESTS = Path(__file__).parent


def wait_until(condition, what: str, limit: float = 60.0) -> None:
    """Polls ``condition`` (no timing is asserted: ``limit`` only keeps a broken test from hanging)."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting for {what}")
        time.sleep(0.05)


# -- the worker pool ----------------------------------------------------------------------------------


def test_pool_returns_results_and_exceptions_like_an_executor():
    with WorkerPool(2) as pool:
        futures = [pool.submit(poolfuncs.square, n) for n in range(50)]
        assert [f.result() for f in futures] == [n * n for n in range(50)]
        with pytest.raises(ValueError, match="bad page"):
            pool.submit(poolfuncs.fail, "bad page").result()
        with pytest.raises(Exception, match="pickle"):  # a task that cannot be sent fails alone
            pool.submit(lambda: None).result()
        with pytest.raises(RuntimeError, match="could not send its result"):
            pool.submit(poolfuncs.unpicklable_result).result()
        # The pool is still whole after all that.
        assert pool.submit(poolfuncs.square, 7).result() == 49
        assert len(set(pool.pids)) == 2 and os.getpid() not in pool.pids
    with pytest.raises(RuntimeError, match="after shutdown"):
        pool.submit(poolfuncs.square, 1)


def test_workers_are_fresh_processes_without_helper_processes():
    import psutil

    with WorkerPool(2) as pool:
        pool.submit(poolfuncs.square, 1).result()
        children = psutil.Process().children(recursive=True)
        worker_children = [c for c in children if c.pid in pool.pids]
        assert len(worker_children) == 2
        # No forkserver or resource tracker beside them (what ProcessPoolExecutor needed).
        names = " ".join(" ".join(c.cmdline()) for c in children)
        assert "forkserver" not in names and "resource_tracker" not in names


def test_a_dead_worker_breaks_the_pool_and_fails_every_pending_task(tmp_path):
    pool = WorkerPool(2)
    try:
        flag = tmp_path / "never"
        running = pool.submit(poolfuncs.wait_for_file, str(flag))  # keeps the other worker busy
        dying = pool.submit(poolfuncs.die, 3)
        queued = [pool.submit(poolfuncs.square, n) for n in range(5)]
        for future in (dying, running, *queued):
            with pytest.raises(BrokenProcessPool):
                future.result(timeout=60)
        with pytest.raises(BrokenProcessPool, match="exit code 3"):
            pool.submit(poolfuncs.square, 1)
        wait_until(lambda: not any(alive(pid) for pid in pool.pids), "the other worker to be stopped")
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def test_shutdown_runs_queued_tasks_or_cancels_them(tmp_path):
    pool = WorkerPool(1)
    futures = [pool.submit(poolfuncs.square, n) for n in range(20)]
    pool.shutdown(wait=True)
    assert [f.result() for f in futures] == [n * n for n in range(20)]
    assert not any(alive(pid) for pid in pool.pids)

    pool = WorkerPool(1)
    flag = tmp_path / "go"
    first = pool.submit(poolfuncs.wait_for_file, str(flag))
    wait_until(lambda: first.running(), "the first task to start")
    rest = [pool.submit(poolfuncs.square, n) for n in range(5)]
    pool.shutdown(wait=False, cancel_futures=True)
    flag.touch()
    assert first.result(timeout=60) == str(flag)
    for future in rest:
        with pytest.raises(CancelledError):
            future.result()
    pool.shutdown(wait=True)
    assert not any(alive(pid) for pid in pool.pids)


def test_a_stuck_task_times_out_alone_and_its_worker_is_replaced(tmp_path):
    """The pool's timeout: the stuck task fails with TaskTimeout and its worker is killed and replaced;
    the task running on the other worker at that moment finishes on it, and queued tasks all run."""
    pool = WorkerPool(2, timeout=4.0)
    try:
        first = set(pool.pids)
        flag = tmp_path / "go"
        stuck = pool.submit(poolfuncs.wait_for_file, str(tmp_path / "never"))  # one worker takes it,
        warm = pool.submit(poolfuncs.sleep_then_pid, 2.0)  # the other this, then (the only one free)
        in_flight = pool.submit(poolfuncs.pid_when_file, str(flag))  # this one, 2 s into the stuck one's 4
        queued = [pool.submit(poolfuncs.square, n) for n in range(10)]
        with pytest.raises(TaskTimeout, match="ran over 4 s"):
            stuck.result(timeout=60)
        flag.touch()  # the stuck task's worker is killed by now; this one runs on
        other = warm.result(timeout=60)
        assert in_flight.result(timeout=60) == other, "the task in flight on the other worker finished there"
        assert [f.result(timeout=60) for f in queued] == [n * n for n in range(10)]
        (killed,) = first - {other}
        assert not alive(killed)
        assert other in pool.pids and killed not in pool.pids and len(set(pool.pids)) == 2
        assert all(alive(pid) for pid in pool.pids)
        # The pool is whole: both workers, the new one too, take tasks.
        flags = [tmp_path / f"f{n}" for n in range(2)]
        both = [pool.submit(poolfuncs.pid_when_file, str(f)) for f in flags]
        wait_until(lambda: all(f.running() for f in both), "both workers to take a task")
        for f in flags:
            f.touch()
        assert {f.result(timeout=60) for f in both} == set(pool.pids)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def test_a_result_arriving_as_the_timeout_runs_out_is_taken_or_timed_out_never_both():
    """Tasks that take about the timeout: each future is resolved once, by a result or by TaskTimeout,
    and the pool goes on (a future resolved twice would kill the thread feeding the worker)."""
    pool = WorkerPool(1, timeout=0.05)
    try:
        seconds = [0.03, 0.04, 0.045, 0.05, 0.055, 0.06] * 2  # the longest surely time out
        futures = [pool.submit(poolfuncs.sleep_then_pid, s) for s in seconds]
        outcomes = []
        for future in futures:
            try:
                outcomes.append(future.result(timeout=60))
            except TaskTimeout:
                outcomes.append("timeout")
        assert outcomes[5] == outcomes[11] == "timeout", outcomes
        assert all(o == "timeout" or isinstance(o, int) for o in outcomes), outcomes
        assert pool.submit(poolfuncs.square, 3).result(timeout=60) == 9
        assert len(pool.pids) == 1
    finally:
        pool.shutdown(wait=True)


def test_workers_exit_when_their_owner_is_killed(tmp_path):
    """No parent watch needed: the owner's death closes the workers' task pipes (SIGKILL, OOM killer)."""
    owner_code = textwrap.dedent(
        f"""
        import sys, time
        sys.path[:0] = [{str(TESTS)!r}]
        from archive.workerpool import TaskTimeout, WorkerPool
        import poolfuncs
        pool = WorkerPool(2)
        print(" ".join(str(pool.submit(poolfuncs.pid).result()) for _ in range(4)), flush=True)
        print(" ".join(map(str, pool.pids)), flush=True)
        time.sleep(600)
        """
    )
    owner = subprocess.Popen([sys.executable, "-c", owner_code], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    try:
        owner.stdout.readline()
        pids = [int(p) for p in owner.stdout.readline().split()]
        assert len(pids) == 2 and all(alive(pid) for pid in pids)
        owner.send_signal(signal.SIGKILL)
        owner.wait()
        wait_until(lambda: not any(alive(pid) for pid in pids), "the workers of a killed owner to exit")
    finally:
        if owner.poll() is None:
            owner.kill()
            owner.wait()
        owner.stdout.close()


class NoBoilerplate:
    def known(self, site):
        return frozenset()


def one_worker_pipeline(workers: int = 1, timeout: float | None = None) -> ArticlePipeline:
    pipeline = ArticlePipeline.__new__(ArticlePipeline)
    pipeline.workers, pipeline._boilerplate, pipeline.timeout = workers, NoBoilerplate(), timeout
    pipeline.max_memory = None
    pipeline.pool = pipeline._new_pool()
    return pipeline


def article_page(n: int = 0) -> ArticlePage:
    html = "<html><head><title>T</title></head><body><article>" + "<p>Word " * 200 + "</article></body></html>"
    return ArticlePage(url=f"http://example.org/news/{n}.html", body=html.encode(), content_type="text/html",
                       status=200, location=RecordLocation("f.warc.gz", 0, 1, f"<urn:uuid:{n}>", "2026-01-01T00:00:00Z"),
                       fetched_at="2026-01-01T00:00:00Z")


def test_pipeline_starts_a_new_pool_when_a_worker_died():
    item = article_page()
    pipeline = one_worker_pipeline()
    try:
        old = pipeline.pool
        old.submit(poolfuncs.square, 2).result()
        (pid,) = old.pids
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda: not alive(pid), "the worker to die")
        article = asyncio.run(pipeline._run_extract(item))
        assert article is not None and article.word_count >= 200
        assert pipeline.pool is not old and pipeline.pool.pids != [pid]
    finally:
        pipeline.close_spider()


def test_pages_in_flight_when_a_worker_dies_share_one_new_pool(tmp_path):
    """Every page waiting on a broken pool gets BrokenProcessPool at once: one new pool, every page
    extracted on it (a second restart would cancel the retries sent to the first new pool)."""
    pipeline = one_worker_pipeline()
    pools = []
    new_pool = pipeline._new_pool
    pipeline._new_pool = lambda: pools.append(new_pool()) or pools[-1]
    try:
        old = pipeline.pool
        old.submit(poolfuncs.wait_for_file, str(tmp_path / "never"))  # keeps the only worker busy
        (pid,) = old.pids

        async def three_pages_then_kill():
            tasks = [asyncio.ensure_future(pipeline._run_extract(article_page(n))) for n in range(3)]
            await asyncio.sleep(0)  # each has submitted its page and waits behind the busy worker
            os.kill(pid, signal.SIGKILL)
            return await asyncio.gather(*tasks)

        articles = asyncio.run(three_pages_then_kill())
        assert all(a is not None and a.word_count >= 200 for a in articles)
        assert len(pools) == 1 and pipeline.pool is pools[0]
    finally:
        pipeline.close_spider()


def test_a_page_stuck_in_a_worker_times_out_and_the_worker_is_replaced(tmp_path):
    """NEWSARCHIVE_EXTRACT_TIMEOUT: a task that never ends (here: waits for a file nobody writes) is given
    up, its worker killed, and the next page runs on the same pool's new worker."""
    from crawler.pipelines import ExtractionTimeout

    pipeline = one_worker_pipeline(timeout=3.0)  # over the warm-up (trafilatura's import) on a busy machine
    try:
        pool = pipeline.pool
        (pid,) = pool.pids
        with pytest.raises(ExtractionTimeout):
            asyncio.run(pipeline._in_pool("http://example.org/stuck", poolfuncs.wait_for_file, str(tmp_path / "never")))
        wait_until(lambda: not alive(pid), "the stuck worker to be killed")
        assert pipeline.pool is pool and pool.pids != [pid]
        assert asyncio.run(pipeline._in_pool("http://example.org/next", poolfuncs.square, 7)) == 49
    finally:
        pipeline.close_spider()


def test_a_stuck_page_fails_alone_and_the_pages_beside_it_run_once(tmp_path):
    """Two workers, one page stuck: it fails with the timeout; the others, extracted on the other worker
    while it was stuck and on its replacement after, each run once (no retry) on the same pool."""
    from crawler.pipelines import ExtractionTimeout

    pipeline = one_worker_pipeline(workers=2, timeout=3.0)
    pools = []
    new_pool = pipeline._new_pool
    pipeline._new_pool = lambda: pools.append(new_pool()) or pools[-1]
    log = tmp_path / "ran"
    try:
        async def pages():
            stuck = asyncio.ensure_future(pipeline._in_pool(
                "http://example.org/stuck", poolfuncs.wait_for_file, str(tmp_path / "never")))
            await asyncio.sleep(0)  # submitted first: a worker takes it as soon as it is warm
            others = [pipeline._in_pool(f"http://example.org/{n}", poolfuncs.logged, str(log), n, 0.25)
                      for n in range(20)]  # 5 s of work: the stuck page's worker is killed midway
            return await asyncio.gather(stuck, *others, return_exceptions=True)

        stuck, *others = asyncio.run(pages())
        assert isinstance(stuck, ExtractionTimeout)
        assert others == list(range(20))
        assert sorted(int(line) for line in log.read_text().split()) == list(range(20)), "each ran once"
        assert pools == [], "no new pool"
        assert asyncio.run(pipeline._in_pool("http://example.org/next", poolfuncs.square, 7)) == 49
    finally:
        pipeline.close_spider()


# -- heap trimming -------------------------------------------------------------------------------------


def test_then_release_returns_the_result_and_trims(monkeypatch):
    calls = []
    monkeypatch.setattr(heap, "release_free_memory", lambda: calls.append(1) or True)
    assert heap.then_release(poolfuncs.square, 9) == 81
    with pytest.raises(ValueError):
        heap.then_release(poolfuncs.fail, "x")
    assert calls == [1, 1]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_release_free_memory_calls_glibc():
    assert heap.release_free_memory() is True
    assert heap.tune_malloc() is True  # both mallopt calls accepted


# -- the decoded text of responses -----------------------------------------------------------------------


def html_response(body: bytes, content_type: str | None = "text/html; charset=utf-8",
                  url: str = "http://example.org/a/page.html") -> HtmlResponse:
    headers = {"Content-Type": content_type} if content_type else {}
    return HtmlResponse(url, body=body, headers=headers, request=Request(url))


def test_decoded_text_is_dropped_after_the_callback_and_read_again_if_needed():
    body = ("<html><body><p>" + "Grüße 😀 " * 20000 + "</p></body></html>").encode()
    response = html_response(body)
    text = response.text
    out = list(DropDecodedText().process_spider_output(response, iter([1, 2])))
    assert out == [1, 2]
    assert response._cached_ubody is None  # what the middleware is for
    assert response.text == text

    async def outputs():
        yield "item"

    async def run():
        return [x async for x in DropDecodedText().process_spider_output_async(response, outputs())]

    response.text  # noqa: B018 (decoded again)
    assert asyncio.run(run()) == ["item"] and response._cached_ubody is None


# -- meta refresh ------------------------------------------------------------------------------------------

FILLER = "<p>" + "Lorem ipsum 😀 Grüße " * 3000 + "</p>"
REFRESH_CASES = {
    "refresh early": ('<html><head><meta http-equiv="refresh" content="0; url=/next.html"></head>'
                      f"<body>{FILLER}</body></html>", "text/html; charset=utf-8"),
    "refresh with delay and base": ('<html><head><base href="http://example.org/b/">'
                                    '<meta http-equiv="Refresh" content="5;URL=\'x.html\'"></head>'
                                    f"<body>{FILLER}</body></html>", "text/html; charset=utf-8"),
    "refresh in a script": ('<html><head><script>var s=\'<meta http-equiv="refresh" content="0; url=/s">\';'
                            f"</script></head><body>{FILLER}</body></html>", "text/html; charset=utf-8"),
    "refresh after the first 4096 characters": (f"<html><body>{FILLER}"
                                                '<meta http-equiv="refresh" content="0; url=/late"></body></html>',
                                                "text/html; charset=utf-8"),
    "charset in the page, not the header": ('<html><head><meta charset="windows-1252">'
                                            '<meta http-equiv="refresh" content="0; url=/caf\xe9"></head>'
                                            "<body>" + "caf\xe9 " * 20000 + "</body></html>", "text/html"),
    "no charset at all": ('<html><head><meta http-equiv="refresh" content="1; url=/n\xfc"></head>'
                          "<body>" + "gr\xfc\xdfe " * 20000 + "</body></html>", None),
    "no refresh": (f"<html><head><title>t</title></head><body>{FILLER}</body></html>", "text/html; charset=utf-8"),
}


@pytest.mark.parametrize("case", list(REFRESH_CASES))
def test_meta_refresh_from_the_head_is_scrapys_answer(case):
    html, content_type = REFRESH_CASES[case]
    encoding = "utf-8" if content_type and "utf-8" in content_type else "windows-1252"
    body = html.encode(encoding, "xmlcharrefreplace")
    ours = meta_refresh_of_head(html_response(body, content_type), ("script", "noscript"))
    assert ours == get_meta_refresh(html_response(body, content_type), ("script", "noscript"))
    if case.startswith("refresh early"):
        assert ours == (0.0, "http://example.org/next.html")


def test_meta_refresh_middleware_redirects_without_decoding_the_page():
    crawler = get_crawler(settings_dict={"METAREFRESH_ENABLED": True})
    middleware = build_from_crawler(HeadMetaRefresh, crawler)
    html, content_type = REFRESH_CASES["refresh early"]
    response = html_response(html.encode(), content_type)
    redirected = middleware.process_response(response.request, response)
    assert isinstance(redirected, Request) and redirected.url == "http://example.org/next.html"
    assert response._cached_ubody is None  # the 300 kB page was not decoded to find that out
    html, content_type = REFRESH_CASES["no refresh"]
    response = html_response(html.encode(), content_type)
    assert middleware.process_response(response.request, response) is response
    assert response._cached_ubody is None


def test_crawl_settings_replace_the_meta_refresh_middleware_and_load_no_remote_control():
    from scrapy.utils.conf import build_component_list

    settings = build_settings(Path("unused"))
    downloader = build_component_list(settings.getwithbase("DOWNLOADER_MIDDLEWARES"))
    assert "crawler.memory.HeadMetaRefresh" in downloader
    assert not any(path.endswith(".MetaRefreshMiddleware") for path in downloader)
    extensions = " ".join(settings.getwithbase("EXTENSIONS"))
    assert "TelnetConsole" not in extensions and "RemoteControl" not in extensions


# -- the page tree -------------------------------------------------------------------------------------------

TREE_CASES = {
    "doctype that needs no repair": "<!DOCTYPE html>\n<html><head><title>T</title></head><body><p>Caf\u00e9 \U0001f600</p></body></html>\n",
    "doctype on a line with the page": '<!DOCTYPE html><html lang="en"><body><p>one line</p></body></html>',
    "faulty xhtml doctype": '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
                            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"/>\n<html><body><p>x</p></body></html>',
    "faulty doctype, no newline": '<!DOCTYPE html PUBLIC "a/b"><html><body><p>x</p></body></html>',
    "self-closing html": "<!doctype html>\n<html/>\n<head></head><body><p>y</p></body>",
    "control characters": "<html><body><p>a\x00b\x01c\x0bd\ufffe e\uffff</p><p>\r\nline</p></body></html>",
    "xml declaration with encoding": '<?xml version="1.0" encoding="iso-8859-1"?><html><body><p>caf\u00e9</p>'
                                     "<p>b</p></body></html>",
    "a fragment": "<p>only a fragment \u00e9</p>",
    "no html at all": "just text \u00e9 and more",
}


@pytest.mark.parametrize("case", list(TREE_CASES))
def test_page_tree_and_repair_are_trafilaturas(case):
    page = TREE_CASES[case]
    beginning = page[:50].lower()
    assert pagetree.repair(page, beginning) == repair_faulty_html(page, beginning)
    ours, theirs = pagetree.parse(page), load_html(page)
    assert (ours is None) == (theirs is None)
    if ours is not None:
        assert etree.tostring(ours) == etree.tostring(theirs)


def test_repair_copies_the_page_only_when_it_changes_it():
    page = TREE_CASES["doctype that needs no repair"] * 1000
    beginning = page[:50].lower()
    assert pagetree.repair(page, beginning) is page
    assert repair_faulty_html(page, beginning) is not page  # what the module is for: trafilatura copies it
    faulty = TREE_CASES["faulty xhtml doctype"]
    assert pagetree.repair(faulty, faulty[:50].lower()) != faulty


def test_parse_html_finds_no_tree_in_blank_bodies():
    assert parse_html(b"") is None and parse_html(b" \r\n\t ") is None and parse_html("\u3000\n") is None
    assert parse_html(b"<html><body><p>x</p></body></html>\n") is not None


CORPUS_PAGES = sorted((SHARED / "corpus").glob("*/html/*.html.gz"))
# The three largest (up to 2.8 MB; the largest is 2.9 million characters of 4 bytes each once decoded)
# and every 25th of the others.
TREE_PAGES = sorted(CORPUS_PAGES, key=lambda p: p.stat().st_size)[-3:] + CORPUS_PAGES[::25]


@pytest.mark.skipif(not CORPUS_PAGES, reason="corpus ../shared/corpus not present")
@pytest.mark.parametrize("path", TREE_PAGES, ids=lambda p: p.name[:12])
def test_corpus_page_trees_are_trafilaturas(path):
    page = to_text(gzip.open(path).read(), "text/html")[0]
    assert etree.tostring(pagetree.parse(page)) == etree.tostring(load_html(page))


# -- justext's stoplist ----------------------------------------------------------------------------------------


def test_all_stoplists_make_the_stoplist_trafilatura_made():
    try:
        theirs = tuple({word for language in get_stoplists() for word in get_stoplist(language)})  # jt_stoplist_init
        assert define_stoplist(stoplists.AllStoplists()) == frozenset(w.lower() for w in theirs)
    finally:
        stoplists.release()


JUSTEXT_PAGE = next(iter(sorted((SHARED / "corpus").glob("aeb/html/f6ac15a4d985*.html.gz"))), None)


@pytest.mark.skipif(JUSTEXT_PAGE is None, reason="corpus ../shared/corpus not present")
def test_justexts_stoplist_is_built_for_a_page_and_not_kept(monkeypatch):
    body = gzip.open(JUSTEXT_PAGE).read()
    built = []
    try_justext = trafilatura.external.try_justext

    def spy(*args):
        result = try_justext(*args)
        built.append(define_stoplist.cache_info().currsize)  # the frozenset is there while the page needs it
        return result

    monkeypatch.setattr(trafilatura.external, "try_justext", spy)
    first = extract_article(body, "http://example.org/news/a.html", "text/html")
    assert define_stoplist.cache_info().currsize == 0
    assert isinstance(trafilatura.external.JT_STOPLIST, stoplists.AllStoplists)
    assert extract_article(body, "http://example.org/news/a.html", "text/html") == first  # built again, same
    assert built == [1, 1] and first is not None and first.word_count >= 40
