"""Clean text for extraction while remembering where every character came from.

Scraped pages carry pinyin after characters (進(jìn)), full-width forms and
traditional script. Extraction wants one clean simplified string; provenance wants
offsets into the *original* input. :class:`MappedText` carries both: every clean
character knows the half-open range of source characters it was made from, and each
step here (``str -> str`` on the text) composes that map instead of losing it.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import opencc

# Pinyin syllables written in brackets straight after a Han character (a run of them
# when a page annotates twice: 進(jìn)(jìn)). Letters only, with tone marks; real
# brackets (亮风台(云南)) hold Han characters and never match.
_PINYIN = re.compile(
    r"(?<=[\u3400-\u9fff])(?:[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}[)）])+"
)
# Characters that carry no text: zero-width and bidi controls, the BOM, soft hyphen.
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufffe]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


@dataclass(frozen=True)
class MappedText:
    """A string plus, per character, the ``[start, end)`` source range it derives from."""

    text: str
    starts: array
    ends: array

    @classmethod
    def identity(cls, text: str, offset: int = 0) -> MappedText:
        """The text as its own source, optionally shifted by ``offset``."""
        n = len(text)
        return cls(text, array("l", range(offset, offset + n)), array("l", range(offset + 1, offset + n + 1)))

    @classmethod
    def concat(cls, parts: Iterable[MappedText]) -> MappedText:
        """Join mapped pieces; each keeps its own source positions."""
        parts = list(parts)
        starts, ends = array("l"), array("l")
        for p in parts:
            starts.extend(p.starts)
            ends.extend(p.ends)
        return cls("".join(p.text for p in parts), starts, ends)

    def __len__(self) -> int:
        return len(self.text)

    def slice(self, start: int, end: int) -> MappedText:
        """The mapped sub-string ``[start, end)``."""
        return MappedText(self.text[start:end], self.starts[start:end], self.ends[start:end])

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source range covering the clean range ``[start, end)`` (end > start)."""
        if end <= start:
            raise ValueError(f"empty span {start}:{end}")
        return self.starts[start], self.ends[end - 1]

    def rewrite(self, pieces: Iterable[tuple[str, int, int]]) -> MappedText:
        """Build a new text from ``(new_text, old_start, old_end)`` pieces in order.

        Each new character inherits the source range of the old range it replaces;
        when a piece keeps its length, characters map one to one.
        """
        out, starts, ends = [], array("l"), array("l")
        for new, a, b in pieces:
            if not new:
                continue
            out.append(new)
            if len(new) == b - a:
                starts.extend(self.starts[a:b])
                ends.extend(self.ends[a:b])
            else:
                s, e = self.starts[a], self.ends[b - 1] if b > a else self.starts[a]
                starts.extend([s] * len(new))
                ends.extend([e] * len(new))
        return MappedText("".join(out), starts, ends)


def _sub(mt: MappedText, pattern: re.Pattern[str], repl: str = "") -> MappedText:
    """Replace every match of ``pattern`` (its replacement maps to the matched range)."""
    pieces, last = [], 0
    for m in pattern.finditer(mt.text):
        pieces.append((mt.text[last:m.start()], last, m.start()))
        pieces.append((repl, m.start(), m.end()))
        last = m.end()
    if not pieces:
        return mt
    pieces.append((mt.text[last:], last, len(mt.text)))
    return mt.rewrite(pieces)


def strip_pinyin(mt: MappedText) -> MappedText:
    """Drop pinyin annotations such as ``(jìn)`` written after Han characters."""
    return _sub(mt, _PINYIN)


def strip_invisible(mt: MappedText) -> MappedText:
    """Drop zero-width, bidi-control and lone-surrogate characters that split names."""
    return _sub(_sub(mt, _INVISIBLE), _SURROGATE)


def nfkc(mt: MappedText) -> MappedText:
    """Unicode NFKC per character, folding full-width letters, digits and punctuation."""
    text = mt.text
    if unicodedata.is_normalized("NFKC", text):
        return mt
    table = {ord(c): n for c in set(text) if (n := unicodedata.normalize("NFKC", c)) != c}
    # Characters that keep their length map one to one, so runs of them are one piece.
    resized = "".join(chr(o) for o, n in table.items() if len(n) != 1)
    pieces, last = [], 0
    for i in (m.start() for m in re.finditer(f"[{re.escape(resized)}]", text)) if resized else ():
        pieces += [(text[last:i].translate(table), last, i), (table[ord(text[i])], i, i + 1)]
        last = i + 1
    pieces.append((text[last:].translate(table), last, len(text)))
    return mt.rewrite(pieces)


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional to simplified script with OpenCC's phrase-aware t2s tables."""
    return _converter().convert(text)


def simplify(mt: MappedText) -> MappedText:
    """Convert to simplified script line by line, keeping the map exact.

    OpenCC converts phrases; when a line changes length the line falls back to
    character-by-character conversion so that offsets still map one to one.
    """
    pieces, pos = [], 0
    for line in mt.text.splitlines(keepends=True):
        conv = to_simplified(line)
        if len(conv) != len(line):
            conv = "".join(c2 if len(c2 := to_simplified(c)) == 1 else c for c in line)
        pieces.append((conv, pos, pos + len(line)))
        pos += len(line)
    return mt.rewrite(pieces)


def normalise(mt: MappedText) -> MappedText:
    """The whole clean-up: invisible characters, NFKC, pinyin, then simplified script.

    Pinyin goes after NFKC, because NFKC can make an annotation: full-width letters
    (進(ｊìｎ)), a compatibility ideograph before the bracket, ⒜ for (a). Running the
    clean-up again on its output changes nothing.
    """
    return simplify(strip_pinyin(nfkc(strip_invisible(mt))))


def normalise_text(text: str) -> str:
    """:func:`normalise` for a bare string (labels, queries), without the map."""
    return normalise(MappedText.identity(text)).text
