"""Pages that declare a charset no text can be read with.

Python knows codecs by names a page may put in its ``charset``: ``base64``, ``rot13``, ``hex``, ``zlib``
(which decode bytes to bytes), ``undefined`` and ``idna`` (which raise on a page). Scrapy takes the
first charset a response declares as its ``encoding`` whatever codec it names, so the first
``response.text`` raised (in Scrapy's MetaRefreshMiddleware, before the spider saw the page): the page
became a download error with a traceback in the log and no outcome. :class:`TextCharsetOnly` gives such
a response the encoding archive/metarefresh.py's ``declared_encoding`` reads: the next declaration
that names a text encoding, else the one Scrapy infers from the body. Extraction decodes the archived
body by the same rule (archive/httpbody.py ``text_codec``).
"""

from __future__ import annotations

from scrapy import Request
from scrapy.http import Response, TextResponse

from archive.httpbody import text_codec
from archive.metarefresh import HEAD_BYTES, declared_encoding, inferred_encoding, scrapy_declared_encoding


class TextCharsetOnly:
    """Downloader middleware, after decompression on the way back (it reads the decoded body)."""

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse):
            return response
        head = response.body[:HEAD_BYTES]
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        scrapys = scrapy_declared_encoding(head, content_type)
        if scrapys is None or text_codec(scrapys) is not None:
            return response  # declares nothing (Scrapy infers one) or a text encoding
        return response.replace(encoding=declared_encoding(head, content_type) or inferred_encoding(response.body))
