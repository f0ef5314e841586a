"""Revisit records as the writer makes them: headers only, the right profile and references, and
byte-identical output for a fixed clock and record ids."""

from __future__ import annotations

import itertools
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from archive.warcreader import read_record
from archive.warcwriter import (
    REVISIT_IDENTICAL,
    REVISIT_NOT_MODIFIED,
    HttpExchange,
    WarcWriter,
    payload_digest,
)

WARCIO = Path(sys.executable).parent / "warcio"
BODY = b"<html><body>" + b"<p>The same story, fetched twice.</p>" * 60 + b"</body></html>"


def write(directory: Path) -> Path:
    counter = itertools.count(1)
    writer = WarcWriter(directory, hostname="testhost", info={"isPartOf": "test"},
                        clock=lambda: datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC),
                        make_record_id=lambda: f"<urn:uuid:00000000-0000-0000-0000-{next(counter):012d}>")
    headers = [("Content-Type", "text/html"), ("ETag", '"v1"')]
    first = writer.write_exchange(HttpExchange(url="http://example.org/a", status=200, body=BODY,
                                               response_headers=headers))
    same = HttpExchange(url="http://example.org/b", status=200, body=BODY, response_headers=headers)
    writer.write_revisit(same, profile=REVISIT_IDENTICAL, refers_to=first.record_id,
                         refers_to_uri="http://example.org/a", refers_to_date=first.warc_date,
                         payload_digest=payload_digest(BODY))
    not_modified = HttpExchange(url="http://example.org/a", status=304, body=b"", response_headers=[("ETag", '"v1"')],
                                request_headers=[("If-None-Match", '"v1"')])
    writer.write_revisit(not_modified, profile=REVISIT_NOT_MODIFIED, refers_to=first.record_id,
                         refers_to_uri="http://example.org/a", refers_to_date=first.warc_date,
                         payload_digest=first.payload_digest)
    name = writer.current_filename
    writer.close()
    return directory / name


def test_revisit_records_refer_to_the_original(tmp_path):
    path = write(tmp_path / "a")
    check = subprocess.run([str(WARCIO), "check", "-v", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    with open(path, "rb") as handle:
        records = [(r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read()) for r in ArchiveIterator(handle)]
    response = records[1]
    revisits = [r for r in records if r[0] == "revisit"]
    assert [r[1].get_header("WARC-Profile") for r in revisits] == [REVISIT_IDENTICAL, REVISIT_NOT_MODIFIED]
    for _, headers, _http, payload in revisits:
        assert payload == b"", "a revisit carries HTTP headers only"
        assert headers.get_header("WARC-Refers-To") == response[1].get_header("WARC-Record-ID")
        assert headers.get_header("WARC-Refers-To-Target-URI") == "http://example.org/a"
        assert headers.get_header("WARC-Refers-To-Date") == response[1].get_header("WARC-Date")
        assert headers.get_header("WARC-Payload-Digest") == response[1].get_header("WARC-Payload-Digest")
    assert revisits[1][2].get_statuscode() == "304"
    # Our digest is warcio's: the lookup key and the record header agree.
    assert payload_digest(BODY) == response[1].get_header("WARC-Payload-Digest")


def test_revisit_output_is_deterministic(tmp_path):
    assert write(tmp_path / "a").read_bytes() == write(tmp_path / "b").read_bytes()


def test_read_record_on_a_revisit_gives_its_headers_and_no_body(tmp_path):
    path = write(tmp_path / "a")
    with open(path, "rb") as handle:
        iterator = ArchiveIterator(handle)
        offsets = []
        for record in iterator:
            offsets.append((record.rec_type, iterator.get_record_offset()))
    offset = next(o for t, o in offsets if t == "revisit")
    stored = read_record(path.parent, path.name, offset)
    assert stored.rec_type == "revisit" and stored.raw_body == b"" and stored.header("ETag") == '"v1"'
