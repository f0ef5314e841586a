"""Scheduling through scrapyd, for real: deploy the project's egg, schedule the news spider, read the archive."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from changingsite import ChangingSite

from conftest import ROOT, lock_held
from siteserver import free_port, running, stop_process

BIN = os.path.dirname(sys.executable)
PROJECT_FILES = ("archive", "crawler", "spiders", "pyproject.toml", "setup.py", "scrapy.cfg", "README.md")


def api(base: str, endpoint: str, data: list[tuple[str, str]] | None = None) -> dict:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(f"{base}/{endpoint}", data=body, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture
def scrapyd(tmp_path):
    """A real scrapyd on loopback, with its eggs, logs and queue in a temp folder."""
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        f"bind_address = 127.0.0.1\nhttp_port = {port}\npoll_interval = 0.2\nmax_proc = 1\n"
        f"eggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\ndbs_dir = {home / 'dbs'}\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "NEWSARCHIVE_ARCHIVE_DIR"}
    proc = subprocess.Popen(
        [os.path.join(BIN, "scrapyd"), "--pidfile", str(home / "scrapyd.pid")],
        cwd=home, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if api(base, "daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                pass
            assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "scrapyd did not start"
            time.sleep(0.2)
        yield base, home
    finally:
        stop_process(proc)
        proc.stderr.close()


def deploy(base: str, tmp_path: Path) -> None:
    # Deploy from a copy of the project, so the build files scrapyd-deploy writes stay out of the repo.
    project = tmp_path / "project"
    project.mkdir()
    for name in PROJECT_FILES:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, project / name)
    cfg = (project / "scrapy.cfg").read_text()
    (project / "scrapy.cfg").write_text(cfg.replace("http://127.0.0.1:6800/", base + "/"))
    deploy = subprocess.run(
        [os.path.join(BIN, "scrapyd-deploy")], cwd=project, capture_output=True, text=True, timeout=60
    )
    assert deploy.returncode == 0, deploy.stderr
    assert '"status": "ok"' in deploy.stdout and '"spiders": ' in deploy.stdout, deploy.stdout
    assert "news" in api(base, "listspiders.json?project=newsarchive")["spiders"]


def run_job(base: str, seed: str, archive: Path) -> str:
    """Schedule the news spider on ``archive`` and wait for the job to finish; returns its id."""
    job = api(base, "schedule.json", [
        ("project", "newsarchive"), ("spider", "news"), ("seeds", seed),
        ("setting", f"NEWSARCHIVE_ARCHIVE_DIR={archive}"),
        ("setting", "AUTOTHROTTLE_ENABLED=False"), ("setting", "DOWNLOAD_DELAY=0"),
        ("setting", "NEWSARCHIVE_EXTRACT_WORKERS=1"),
    ])
    assert job["status"] == "ok", job
    deadline = time.monotonic() + 40
    while not any(j["id"] == job["jobid"] for j in api(base, "listjobs.json?project=newsarchive")["finished"]):
        assert time.monotonic() < deadline, "the scrapyd job did not finish"
        time.sleep(0.3)
    return job["jobid"]


def test_scrapyd_deploy_schedule_and_archive(scrapyd, tmp_path):
    base, home = scrapyd
    deploy(base, tmp_path)
    site = ChangingSite(tmp_path / "site")
    for n in range(1, 4):
        site.add(n)
    site.publish()
    archive = tmp_path / "archive"
    with running(site.root, quiet=True) as site_url:
        job = run_job(base, site_url + "/", archive)

    log = next((home / "logs").rglob(f"{job}.log")).read_text()
    assert "Traceback" not in log and " ERROR: " not in log, log[-3000:]
    # Unattended: no telnet console, no remote-control server (Scrapy lists the extensions it enabled).
    assert "crawler.runstate.RunState" in log and "TelnetConsole" not in log and "RemoteControl" not in log
    # The job ran the deployed egg's code, not this checkout's.
    assert f"from {home / 'eggs' / 'newsarchive'}" in log, [line for line in log.splitlines() if "newsarchive 0" in line]
    conn = sqlite3.connect(archive / "archive.db")
    try:
        crawls = conn.execute("select spider, status, articles_new, seeds from crawls").fetchall()
        assert crawls == [("news", "finished", 3, json.dumps([site_url + "/"]))]
        assert conn.execute("select count(*) from articles").fetchone()[0] == 3
        (crawl_id,) = conn.execute("select id from crawls").fetchone()
    finally:
        conn.close()
    assert (archive / "logs" / f"{crawl_id}.log").exists(), "the run's own log under the archive dir"
    warcs = list((archive / "warc").iterdir())
    assert warcs and all(w.name.endswith(".warc.gz") for w in warcs)
    for warc in warcs:
        subprocess.run([os.path.join(BIN, "warcio"), "check", str(warc)], check=True, capture_output=True)


def test_scrapyd_job_refused_by_the_lock_logs_one_line_and_touches_nothing(scrapyd, tmp_path):
    base, home = scrapyd
    deploy(base, tmp_path)
    archive = tmp_path / "archive"
    with lock_held(archive) as holder:
        job = run_job(base, "http://127.0.0.1:9/", archive)  # never fetched
    log = next((home / "logs").rglob(f"{job}.log")).read_text()
    assert "Traceback" not in log, log[-3000:]
    errors = [line for line in log.splitlines() if " ERROR: " in line]
    assert len(errors) == 1, errors
    assert errors[0].endswith(f"another crawl is running on {archive} (lock held by PID {holder.pid}); this run did nothing")
    assert "Spider closed (archive-locked)" in log
    assert [p.name for p in archive.iterdir()] == ["crawl.lock"], "no archive.db, warc/ or logs/"


def test_systemd_units_and_cron_line(tmp_path):
    deploy = ROOT / "deploy"
    service, timer = (deploy / "newsarchive.service").read_text(), (deploy / "newsarchive.timer").read_text()
    for line in ("OnCalendar=hourly", "Persistent=true", "RandomizedDelaySec=", "Unit=newsarchive.service"):
        assert line in timer
    assert "KillMode=mixed" in service and "KillSignal=SIGTERM" in service
    cron = [line for line in (deploy / "crontab").read_text().splitlines() if line and not line.startswith("#")]
    job = [line for line in cron if "=" not in line.split()[0]]
    assert len(job) == 1 and len(job[0].split()) > 5 and "newsarchive crawl" in job[0]
    assert "flock" not in job[0], "the lock is built in"
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze not installed")
    # Verify the units as shipped, with the install path pointing at this checkout's command.
    for name, text in (("newsarchive.service", service), ("newsarchive.timer", timer)):
        (tmp_path / name).write_text(text.replace("/opt/newsarchive/.venv/bin/newsarchive", str(Path(BIN) / "newsarchive")))
    result = subprocess.run([analyze, "verify", *(str(tmp_path / n) for n in ("newsarchive.service", "newsarchive.timer"))],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "newsarchive" not in result.stderr, result.stderr
