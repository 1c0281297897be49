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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

import opencc

# Pinyin syllables written in brackets straight after a Han character (a run of them
# when a page annotates twice: 進(jìn)(jìn)). Letters only, with tone marks; real
# brackets (亮风台(云南)) hold Han characters and never match. The pattern opens on the
# bracket and looks back past it for the Han character, so that the search jumps from
# bracket to bracket instead of trying a look-behind at every character.
_TONE_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_PINYIN = re.compile(
    rf"[(（](?<=[\u3400-\u9fff][(（])[{_TONE_LETTERS}]{{1,7}}[)）](?:[(（][{_TONE_LETTERS}]{{1,7}}[)）])*"
)
# Characters that carry no text: zero-width and bidi controls, the BOM, soft hyphen.
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufffe]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# What NFKC may change: ASCII and the CJK unified ideographs (most of an article) have
# no compatibility mapping, so each of them is its own NFKC.
_MAY_FOLD = re.compile(r"[^\x00-\x7f\u4e00-\u9fff]")


_COUNTING = array("l", range(1 << 16))
"""0, 1, 2, …: the maps of texts in the first 64 Ki characters of a source are copied
out of it, in C, instead of being counted out one element at a time."""


def _count(start: int, stop: int) -> array:
    """The offsets ``start, start + 1, …, stop - 1``."""
    if 0 <= start and stop <= len(_COUNTING):
        return _COUNTING[start:stop]
    return array("l", range(start, stop))


@dataclass(frozen=True)
class MappedText:
    """A string plus, per character, the ``[start, end)`` source range it derives from.

    The arrays are never changed in place, so a step that keeps every character in
    its place (NFKC folding, script conversion) hands its result the same map.
    """

    text: str
    starts: array
    ends: array

    @classmethod
    def identity(cls, text: str, offset: int = 0) -> MappedText:
        """The text as its own source, optionally shifted by ``offset``."""
        n = len(text)
        return cls(text, _count(offset, offset + n), _count(offset + 1, offset + n + 1))

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

    def sub(self, pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str] = "") -> MappedText:
        """Replace every match of ``pattern``; ``repl`` is the replacement or a function of the match.

        Text between matches keeps its map, and so does a replacement as long as its
        match (character for character); the characters of any other replacement
        each map to the whole range of the match.
        """
        text, old_starts, old_ends = self.text, self.starts, self.ends
        out, starts, ends, last = [], array("l"), array("l"), 0
        for m in pattern.finditer(text):
            a, b = m.span()
            new = repl if isinstance(repl, str) else repl(m)
            out += (text[last:a], new)
            if len(new) == b - a:
                starts += old_starts[last:b]
                ends += old_ends[last:b]
            else:
                starts += old_starts[last:a]
                ends += old_ends[last:a]
                if new:
                    starts += array("l", [old_starts[a]]) * len(new)
                    ends += array("l", [old_ends[b - 1] if b > a else old_starts[a]]) * len(new)
            last = b
        if not out:
            return self
        out.append(text[last:])
        starts += old_starts[last:]
        ends += old_ends[last:]
        return MappedText("".join(out), starts, ends)


def strip_pinyin(mt: MappedText) -> MappedText:
    """Drop pinyin annotations such as ``(jìn)`` written after Han characters."""
    return mt.sub(_PINYIN)


def strip_invisible(mt: MappedText) -> MappedText:
    """Drop zero-width, bidi-control and lone-surrogate characters that split names."""
    return mt.sub(_INVISIBLE).sub(_SURROGATE)


def nfkc(mt: MappedText) -> MappedText:
    """Unicode NFKC per character, folding full-width letters, digits and punctuation.

    Only the characters that can change are looked up. Those that stay one character
    are replaced throughout, so the map stays one to one; each one that changes length
    maps its expansion onto the character it came from.
    """
    text = mt.text
    if unicodedata.is_normalized("NFKC", text):
        return mt
    table = _folds(text)
    folded = MappedText(_fold_one_to_one(text, table), mt.starts, mt.ends)
    resized = _resized(table)
    return folded.sub(resized, lambda m: table[m.group()]) if resized else folded


def _nfkc_text(text: str) -> str:
    """:func:`nfkc` for a bare string."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    table = _folds(text)
    folded = _fold_one_to_one(text, table)
    resized = _resized(table)
    return resized.sub(lambda m: table[m.group()], folded) if resized else folded


def _folds(text: str) -> dict[str, str]:
    """The characters of ``text`` that NFKC changes, each with what it becomes."""
    return {c: n for c in set(_MAY_FOLD.findall(text)) if (n := unicodedata.normalize("NFKC", c)) != c}


def _fold_one_to_one(text: str, table: dict[str, str]) -> str:
    """``text`` with each character of ``table`` that folds to one character replaced.

    One ``str.replace`` per distinct character: ``str.translate`` looks up every
    character of the text in the table, several times slower on a page.
    """
    for c, n in table.items():
        if len(n) == 1:  # n is its own NFKC, so no replacement feeds another
            text = text.replace(c, n)
    return text


def _resized(table: dict[str, str]) -> re.Pattern[str] | None:
    """A pattern of the characters of ``table`` that fold to more or fewer than one."""
    resized = "".join(c for c, n in table.items() if len(n) != 1)
    return re.compile(f"[{re.escape(resized)}]") if resized else None


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional to simplified script with OpenCC's phrase-aware t2s tables."""
    return _converter().convert(text)


def simplify(mt: MappedText) -> MappedText:
    """Convert to simplified script, keeping the map exact (see :func:`_simplified`)."""
    return MappedText(_simplified(mt.text), mt.starts, mt.ends)


def _simplified(text: str) -> str:
    """Simplified script of the same length as ``text``, line by line.

    One OpenCC call converts the whole text: its phrases hold no line break, so each
    line comes out as it would alone. Only when a line changes length (a phrase of
    another length) are the lines converted one at a time, and such a line falls back
    to character-by-character conversion, so every character keeps its place.
    """
    lines = text.splitlines(keepends=True)
    conv = to_simplified(text)
    if list(map(len, conv.splitlines(keepends=True))) == list(map(len, lines)):
        return conv
    return "".join(map(_simplify_line, lines))


def _simplify_line(line: str) -> str:
    """One line in simplified script, of the same length as ``line``."""
    conv = to_simplified(line)
    if len(conv) != len(line):
        conv = "".join(c2 if len(c2 := to_simplified(c)) == 1 else c for c in line)
    return conv


def normalise(mt: MappedText) -> MappedText:
    """The whole clean-up: invisible characters, NFKC, pinyin, then simplified script.

    Pinyin goes after NFKC, because NFKC can make an annotation: full-width letters
    (進(ｊìｎ)), a compatibility ideograph before the bracket, ⒜ for (a). Running the
    clean-up again on its output changes nothing.
    """
    return simplify(strip_pinyin(nfkc(strip_invisible(mt))))


def normalise_text(text: str) -> str:
    """:func:`normalise` for a bare string (labels, queries), without the map."""
    return _simplified(normalise_keeping_script(text))


def normalise_keeping_script(text: str) -> str:
    """The clean-up of :func:`normalise` but for the script, on a bare string.

    How a name written in traditional script reads once cleaned up, still in its
    script. A bare string needs no map, so each step works on the string alone.
    """
    return _PINYIN.sub("", _nfkc_text(_SURROGATE.sub("", _INVISIBLE.sub("", text))))
