"""A researcher's path through `newsarchive serve` in a real browser (Debian's chromium, headless, driven
by Playwright): search a phrase, open the article, open its archived copy, and check that the hostile
page's scripts did not run there, while they do run on the live page."""

from __future__ import annotations

from pathlib import Path

import pytest
from browsing import HOSTILE_PATH, HOSTILE_PHRASE, HOSTILE_TITLE, hostile_archive, serving
from playwright import sync_api as playwright_sync  # requirements-dev.txt

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not CHROMIUM.exists():
    pytest.fail(f"{CHROMIUM} is missing: `apt-get install chromium` (.ci/run does it)", pytrace=False)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with hostile_archive(tmp_path_factory.mktemp("browse")) as (site, archive_dir), serving(archive_dir) as base:
        yield site, base


@pytest.fixture(scope="module")
def browser():
    with playwright_sync.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def test_search_open_article_and_archived_copy_without_running_its_scripts(served, browser, tmp_path):
    site, base = served
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)

    # Search a phrase on the articles table, as a researcher types it.
    page.goto(base + "/archive/articles")
    page.fill("#_search", f'"{HOSTILE_PHRASE}"')
    page.press("#_search", "Enter")
    page.wait_for_load_state("load")
    assert "_search=" in page.url
    rows = page.locator("table.rows-and-columns tbody tr")
    assert rows.count() == 1, page.content()[:2000]
    assert HOSTILE_TITLE in rows.first.inner_text()
    shot = tmp_path / "search.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one (blank 1280x900 is ~5 kB)

    # Open the article's row page, then its archived copy.
    rows.first.locator("td.col-url a").click()
    page.wait_for_load_state("load")
    assert "/archive/articles/" in page.url
    assert page.locator("td.col-title").inner_text().strip() == HOSTILE_TITLE
    assert page.locator("td.col-url a").get_attribute("href") == site + HOSTILE_PATH  # the original URL
    page.locator("td.col-warc_record_id a", has_text="archived copy").click()
    page.wait_for_load_state("load")
    assert "/-/archived/urn:uuid:" in page.url

    # The archived page rendered, and none of its scripts ran.
    headline = page.locator("h1.headline")
    assert headline.is_visible()
    assert headline.inner_text() == HOSTILE_TITLE
    page.wait_for_timeout(500)  # give a script (and the onerror handler, the fetch) time to act
    assert page.title() == f"{HOSTILE_TITLE} | The Loopback Gazette"
    assert page.locator("#pwned").count() == 0
    assert page.locator("#leaked").count() == 0
    assert context.cookies() == []
    # The sandbox gave the page an opaque origin: the archive's cookies and pages are out of its reach.
    assert page.evaluate("window.origin") == "null"
    assert page.evaluate("() => { try { return document.cookie; } catch (e) { return e.name; } }") == "SecurityError"
    context.close()


def test_the_same_page_live_does_run_its_scripts(served, browser):
    """The counter-case: the check above would fail if the archived copy were served unsandboxed."""
    site, _ = served
    context = browser.new_context()
    page = context.new_page()
    page.goto(site + HOSTILE_PATH)
    page.wait_for_selector("#pwned", state="attached", timeout=10_000)
    assert page.title().startswith("PWNED by")  # the inline script, the onerror handler or evil.js
    assert any(cookie["name"] == "archived_script" for cookie in context.cookies())
    context.close()
