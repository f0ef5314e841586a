"""Docs that cannot rot: every command, setting and table column is in the README."""

from __future__ import annotations

import re

from archive.store import ArchiveStore
from conftest import ROOT
from crawler import settings
from crawler.cli import cli

README = (ROOT / "README.md").read_text()


def test_every_command_is_documented():
    missing = [name for name in cli.commands if f"newsarchive {name}" not in README]
    assert not missing, f"commands missing from README: {missing}"


def test_every_setting_is_documented():
    ours = [name for name in dir(settings) if name.startswith("NEWSARCHIVE_")]
    ours += re.findall(r"NEWSARCHIVE_[A-Z_]+", (ROOT / "crawler" / "run.py").read_text())
    missing = sorted({name for name in ours if f"`{name}`" not in README})
    assert not missing, f"settings missing from README: {missing}"


def test_every_column_is_documented(tmp_path):
    store = ArchiveStore(tmp_path)
    missing = []
    for table in store.db.table_names():
        if table.startswith("articles_fts") or table.startswith("sqlite_"):
            continue
        assert f"`{table}`" in README, f"table {table} missing from README"
        for column in store.db[table].columns_dict:
            if f"`{column}`" not in README:
                missing.append(f"{table}.{column}")
    assert not missing, f"columns missing from README: {missing}"
