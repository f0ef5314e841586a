"""The WARC writer on its own: deterministic output, rotation, naming, read-back by pointer."""

from __future__ import annotations

import gzip
import itertools
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from archive.warcreader import iter_records, read_record
from archive.warcwriter import FILENAME_RE, HttpExchange, WarcWriter

WARCIO = Path(sys.executable).parent / "warcio"
HTML = "<html><body><p>Les élections ont eu lieu dimanche.</p></body></html>".encode()


def fixed_writer(directory: Path, **kwargs) -> WarcWriter:
    counter = itertools.count(1)
    return WarcWriter(
        directory,
        hostname="testhost",
        clock=lambda: datetime(2026, 11, 28, 12, 0, 0, 123000, tzinfo=UTC),
        make_record_id=lambda: f"<urn:uuid:00000000-0000-0000-0000-{next(counter):012d}>",
        info={"isPartOf": "test-crawl"},
        **kwargs,
    )


def exchange(url: str = "http://example.org/a/story/12345.html?x=1", body: bytes = HTML, **kwargs) -> HttpExchange:
    gz = gzip.compress(body, mtime=0)
    return HttpExchange(
        url=url,
        status=200,
        body=gz,
        response_headers=[("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"),
                          ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"), ("Content-Length", str(len(gz)))],
        request_headers=[("User-Agent", "newsarchive-test"), ("Accept-Encoding", "gzip, deflate, br")],
        started_at=datetime(2026, 11, 28, 12, 0, 0, 500000, tzinfo=UTC),
        ip_address="127.0.0.1",
        **kwargs,
    )


def test_output_is_deterministic_and_valid(tmp_path):
    outputs = []
    for run in ("one", "two"):
        directory = tmp_path / run
        with fixed_writer(directory) as writer:
            writer.write_exchange(exchange())
        (path,) = directory.iterdir()
        outputs.append(path.read_bytes())
        assert path.name == "newsarchive-20261128120000123-00000-testhost.warc.gz"
        check = subprocess.run([str(WARCIO), "check", "-v", str(path)], capture_output=True, text=True)
        assert check.returncode == 0 and check.stdout.count("digest pass") == 3, check.stdout
    assert outputs[0] == outputs[1]


def test_records_keep_what_the_server_sent(tmp_path):
    with fixed_writer(tmp_path) as writer:
        location = writer.write_exchange(exchange())
    path = next(tmp_path.iterdir())
    with open(path, "rb") as handle:
        records = list(ArchiveIterator(handle))
    assert [r.rec_type for r in records] == ["warcinfo", "response", "request"]
    response, request = records[1], records[2]
    assert response.rec_headers.get_header("WARC-IP-Address") == "127.0.0.1"
    assert response.rec_headers.get_header("WARC-Date") == "2026-11-28T12:00:00.500Z"
    assert response.http_headers.statusline == "200 OK"
    assert [v for k, v in response.http_headers.headers if k == "Set-Cookie"] == ["a=1", "b=2"]
    assert request.rec_headers.get_header("WARC-Concurrent-To") == response.rec_headers.get_header("WARC-Record-ID")
    assert request.rec_headers.get_header("WARC-Date") == response.rec_headers.get_header("WARC-Date")
    assert request.http_headers.protocol == "GET"
    assert request.http_headers.statusline == "/a/story/12345.html?x=1 HTTP/1.1"
    assert request.http_headers.get_header("Host") == "example.org"
    # Read back by pointer: one gzip member, body still gzip, decoded on demand.
    stored = read_record(tmp_path, location.filename, location.offset, location.length)
    assert stored.record_id == location.record_id and stored.raw_body[:2] == b"\x1f\x8b"
    assert stored.body == HTML
    with open(path, "rb") as handle:
        handle.seek(location.offset)
        assert gzip.decompress(handle.read(location.length)).startswith(b"WARC/1.1\r\n")


def test_open_suffix_until_closed_and_serial_continues(tmp_path):
    writer = fixed_writer(tmp_path)
    writer.write_exchange(exchange())
    assert [p.name.endswith(".warc.gz.open") for p in tmp_path.iterdir()] == [True]
    # A pointer to a file still being written resolves to the .open file.
    first = next(iter_records(next(tmp_path.iterdir())))
    assert first[2].rec_type == "warcinfo"
    writer.close()
    assert [p.name.endswith(".warc.gz") for p in tmp_path.iterdir()] == [True]
    with fixed_writer(tmp_path) as again:
        again.write_exchange(exchange())
    serials = sorted(FILENAME_RE.match(p.name)["serial"] for p in tmp_path.iterdir())
    assert serials == ["00000", "00001"]


def test_rotation_at_max_size_starts_each_file_with_warcinfo(tmp_path):
    with fixed_writer(tmp_path, max_size=2000) as writer:
        locations = [writer.write_exchange(exchange(body=HTML * (i + 1))) for i in range(6)]
    files = sorted(tmp_path.iterdir())
    assert len(files) >= 3
    for path in files:
        with open(path, "rb") as handle:
            assert next(iter(ArchiveIterator(handle))).rec_type == "warcinfo"
    for location in locations:
        assert read_record(tmp_path, location.filename, location.offset, location.length).body.startswith(b"<html>")


def test_truncated_and_h2_flags(tmp_path):
    with fixed_writer(tmp_path) as writer:
        writer.write_exchange(exchange(truncated="length", protocol="h2"))
    with open(next(tmp_path.iterdir()), "rb") as handle:
        response = list(ArchiveIterator(handle))[1]
    assert response.rec_headers.get_header("WARC-Truncated") == "length"
    assert response.rec_headers.get_header("WARC-Protocol") == "h2"


def test_compressed_payloads_are_stored_and_plain_ones_deflated(tmp_path):
    """A gzip-encoded body gains nothing from a second deflate: its record is a stored gzip member
    (same bytes, valid gzip); an identity-encoded page is deflated. Both read back and pass `warcio check`."""
    page = ("<html><body>" + "<p>Le conseil municipal a voté le budget.</p>" * 400 + "</body></html>").encode()
    plain = HttpExchange(url="http://example.org/a/plain.html", status=200, body=page,
                         response_headers=[("Content-Type", "text/html; charset=utf-8")])
    with fixed_writer(tmp_path) as writer:
        encoded_at = writer.write_exchange(exchange(body=page))
        plain_at = writer.write_exchange(plain)
        photo_at = writer.write_exchange(HttpExchange(
            url="http://example.org/photo.jpg", status=200, body=bytes(range(256)) * 200,
            response_headers=[("Content-Type", "image/jpeg")]))
    (path,) = tmp_path.iterdir()
    data = path.read_bytes()
    encoded_member = data[encoded_at.offset:encoded_at.offset + encoded_at.length]
    encoded_raw = gzip.decompress(encoded_member)
    assert encoded_at.length > len(encoded_raw)  # stored: no smaller than what it holds
    photo_raw = gzip.decompress(data[photo_at.offset:photo_at.offset + photo_at.length])
    assert photo_at.length > len(photo_raw)  # a JPEG is stored too
    plain_raw = gzip.decompress(data[plain_at.offset:plain_at.offset + plain_at.length])
    assert plain_at.length < len(plain_raw) / 10  # repetitive HTML: deflated
    assert gzip.decompress(read_record(tmp_path, encoded_at.filename, encoded_at.offset).raw_body) == page
    assert read_record(tmp_path, plain_at.filename, plain_at.offset, plain_at.length).raw_body == page
    check = subprocess.run([str(WARCIO), "check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
