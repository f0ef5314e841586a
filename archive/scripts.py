"""Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer, Hiragana, Katakana and Han.

In them a run of ``\\w`` is a whole clause, not a word: ``archive/extract.py`` counts their characters
as words, and ``archive/search.py`` searches them as substrings (FTS5's unicode61 tokenizer indexes
such a clause as one token, so a word inside it was never found).
"""

from __future__ import annotations

import re

UNSPACED = ("\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
            "\U00020000-\U0003134f")
UNSPACED_RE = re.compile(f"[{UNSPACED}]")
