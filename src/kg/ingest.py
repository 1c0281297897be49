"""Files in, :class:`Article` out: bytes → text (any encoding) → story + page metadata.

The original decoded text is kept untouched, because provenance offsets point into
it. HTML is reduced to visible text with a position map (our own small parser, so
that every character still knows where it stood in the page), while trafilatura
decides which of those blocks are the story and what the page says about itself.
Scraped plain-text pages keep their site chrome (the welcome line, the section
name, the 来源/作者/发表时间/浏览 line); that chrome becomes metadata, not story.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from array import array
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import charset_normalizer

from kg.errors import InputError
from kg.model import ArticleMeta
from kg.normalise import MappedText, normalise, normalise_text

if TYPE_CHECKING:
    from trafilatura.settings import Extractor

MAX_BYTES = 16 * 1024 * 1024
"""The largest input file read. A news page is well under 1 MB; 16 MiB leaves room for
pages with inlined images, while a bigger file (a log, a dump) is refused before it is
decoded and mapped (the offset map costs 16 bytes per character)."""
# Encodings charset-normalizer may report for Chinese pages, mapped to the superset
# that decodes every page of that family.
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "big5": "big5hkscs", "cp950": "big5hkscs"}


@dataclass
class Article:
    """One input document: its original text, the clean text to read and its metadata."""

    path: Path
    source: str
    encoding: str
    is_html: bool
    meta: ArticleMeta
    clean: MappedText
    """Headline, a blank line, then the story: simplified script, mapped to ``source``."""
    headline_original: str | None = None
    content_hash: str | None = None
    """SHA-256 of the bytes decoded (:func:`content_hash` of the file, without reading it again)."""


def read_source(path: Path) -> tuple[str, str]:
    """Decode a file, detecting its encoding; return ``(text, encoding)``."""
    return decode(read_bytes(path), str(path))


def read_bytes(path: Path) -> bytes:
    """A file's bytes, read once: :func:`load` decodes them and hashes them.

    Only regular files are read, and at most :data:`MAX_BYTES` of them: the file is
    opened without blocking and checked on its descriptor, so a pipe, a device such
    as ``/dev/zero`` or a file swapped for one after the check cannot hang the read
    or fill the memory.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise InputError(f"{path}: is a directory, not a file")
            if not stat.S_ISREG(info.st_mode):
                raise InputError(f"{path}: not a regular file (a device, pipe or socket)")
            if info.st_size > MAX_BYTES:
                raise InputError(f"{path}: file is {info.st_size} bytes, over the {MAX_BYTES}-byte limit")
            # Read what fstat promised and one byte more (asking for MAX_BYTES + 1 at once
            # would allocate that much for every file); a byte more means it is growing.
            raw = fh.read(info.st_size + 1)
            if len(raw) > info.st_size:
                raw += fh.read(MAX_BYTES + 1 - len(raw))
        if len(raw) > MAX_BYTES:  # it grew while being read
            raise InputError(f"{path}: file is over the {MAX_BYTES}-byte limit")
    except IsADirectoryError as err:
        raise InputError(f"{path}: is a directory, not a file") from err
    except FileNotFoundError as err:
        raise InputError(f"{path}: no such file") from err
    except PermissionError as err:
        raise InputError(f"{path}: permission denied") from err
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror or err})") from err
    return raw


def content_hash(path: Path) -> str:
    """SHA-256 of a file's bytes: what ``kg:contentHash`` records and incremental builds compare."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror or err})") from err


def decode(raw: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Bytes to text: strict UTF-8 first, then the best guess of charset-normalizer."""
    if not raw.strip():
        raise InputError(f"{name}: file is empty")
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name}: binary file, not text")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        utf8_error = err
    if _truncated_utf8(utf8_error, raw):  # a download cut off inside the last character
        return raw[: utf8_error.start].decode("utf-8"), "utf-8"
    for enc in ("gb18030",):  # the common case for mainland pages, and a strict decoder
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if _mostly_cjk(text):
            return text, enc
    best = charset_normalizer.from_bytes(raw).best()
    if best is None:
        raise InputError(
            f"{name}: cannot detect the text encoding (invalid UTF-8 at byte {utf8_error.start}, "
            "and no other encoding fits); save it as UTF-8"
        )
    enc = _SUPERSET.get(best.encoding.lower().replace("_", ""), best.encoding)
    try:
        return raw.decode(enc), enc
    except (UnicodeDecodeError, LookupError):
        return str(best), best.encoding


def _truncated_utf8(err: UnicodeDecodeError, raw: bytes) -> bool:
    """Whether ``raw`` is valid UTF-8 but for an incomplete character at its very end."""
    if err.end != len(raw) or len(raw) - err.start >= 4 or err.reason != "unexpected end of data":
        return False
    try:
        raw[: err.start].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return err.start > 0


_HAN = re.compile("[\u4e00-\u9fff]+")
_RARE_OR_PRIVATE = re.compile("[\u3400-\u4dbf\ue000-\uf8ff]+")


def _mostly_cjk(text: str) -> bool:
    """Whether a decoding looks like Chinese prose rather than mojibake."""
    han = sum(map(len, _HAN.findall(text)))
    rare = sum(map(len, _RARE_OR_PRIVATE.findall(text)))
    return han > 0 and rare * 20 < han


def looks_like_html(text: str) -> bool:
    """True for a page of markup rather than plain text with the odd angle bracket."""
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or bool(
        re.search(r"<(html|head|body|div|p|meta)[\s>]", text[:8192], re.I)
    )


# --- HTML ------------------------------------------------------------------------

_BLOCK = {
    "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "td", "th", "table",
    "section", "article", "header", "footer", "nav", "aside", "main", "blockquote", "pre", "dd", "dt",
    "dl", "form", "hr", "figure", "figcaption", "title", "body",
}
_SKIP = {"script", "style", "noscript", "template", "svg", "iframe", "object", "head"}


class _VisibleText(HTMLParser):
    """Visible text of a page, each character mapped to its position in the markup."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self._line_starts = [0]
        for m in re.finditer("\n", source):
            self._line_starts.append(m.end())
        self.parts: list[MappedText] = []
        self.skip_depth = 0
        self.h1: list[str] = []
        self.title: list[str] = []
        self._in: set[str] = set()

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def _emit(self, text: str, start: int, length_in_source: int | None = None) -> None:
        if self.skip_depth:
            if "title" in self._in:
                self.title.append(text)
            return
        if "h1" in self._in:
            self.h1.append(text)
        if length_in_source is None:
            self.parts.append(MappedText.identity(text, start))
        else:  # an entity: every decoded character maps to the whole reference
            self.parts.append(MappedText(text, *_repeat(start, start + length_in_source, len(text))))

    def _newline(self) -> None:
        if self.parts and not self.parts[-1].text.endswith("\n"):
            end = self.parts[-1].ends[-1]
            self.parts.append(MappedText("\n", *_repeat(end, end, 1)))

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip_depth += 1
        self._in.add(tag)
        if tag in _BLOCK:
            self._newline()

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK:
            self._newline()

    def handle_endtag(self, tag):
        if tag in _SKIP and self.skip_depth:
            self.skip_depth -= 1
        self._in.discard(tag)
        if tag in _BLOCK:
            self._newline()

    def handle_data(self, data):
        self._emit(data, self._offset())

    def handle_entityref(self, name):
        ref = f"&{name};"
        text = unescape(ref)
        start = self._offset()
        if not self.source.startswith(ref, start):
            ref = f"&{name}"
        self._emit(text, start, len(ref))

    def handle_charref(self, name):
        start = self._offset()
        end = self.source.find(";", start, start + 12)
        length = (end + 1 - start) if end != -1 else len(name) + 2
        self._emit(unescape(self.source[start:start + length]), start, length)


def _repeat(start: int, end: int, n: int) -> tuple[array, array]:
    """Offset arrays for ``n`` characters that all come from ``[start, end)`` of the source."""
    return array("l", [start] * n), array("l", [end] * n)


_WS_RUN = re.compile(r"[^\S\n]*\n\s*|[^\S\n]{2,}")
"""Whitespace that markup leaves behind: a line break with the blanks around it, or a run of blanks."""


def _collapse_ws(mt: MappedText) -> MappedText:
    """Fold runs of spaces and blank lines that markup leaves behind."""
    return mt.sub(_WS_RUN, lambda m: "\n" if "\n" in m.group() else " ")


def html_to_text(source: str, name: str) -> tuple[MappedText, str | None, str | None]:
    """Visible text of a page with its map, plus its ``<h1>`` and ``<title>``."""
    parser = _VisibleText(source)
    try:
        parser.feed(source)
        parser.close()
    except (AssertionError, ValueError, RecursionError) as err:
        raise InputError(f"{name}: malformed HTML ({err})") from err
    text = _collapse_ws(MappedText.concat(parser.parts))
    h1 = re.sub(r"\s+", " ", "".join(parser.h1)).strip() or None
    title = re.sub(r"\s+", " ", "".join(parser.title)).strip() or None
    return text, h1, title


def _main_text_lines(source: str) -> list[str]:
    """The story's paragraphs as trafilatura sees them ([] when it cannot tell)."""
    import trafilatura

    try:
        text = trafilatura.extract(source, options=_extractor())
    except Exception:  # trafilatura raises lxml and recursion errors on hostile pages
        return []
    return [ln.strip() for ln in (text or "").splitlines() if ln.strip()]


@lru_cache(maxsize=1)
def _extractor() -> Extractor:
    """trafilatura's options for reading a story, made once rather than on every page.

    ``fast``: trafilatura's own extractor only, without the jusText and readability
    fallbacks it would otherwise run and compare on every page; they took three
    quarters of the time of reading an HTML page and found nothing more on ours.
    Making the options reads trafilatura's settings and the clock (for date
    extraction, which runs only with metadata, so never here); trafilatura copies
    them before changing any, so one set serves every page.
    """
    from trafilatura.settings import Extractor

    return Extractor(output_format="txt", fast=True, precision=True, comments=False, tables=False)


def _locate(lines: list[str], full: MappedText) -> list[MappedText]:
    """Find each extracted paragraph, in order, inside the mapped visible text."""
    found, pos = [], 0
    for ln in lines:
        i = full.text.find(ln, pos)
        if i == -1:
            i = full.text.find(ln)
        if i == -1:
            continue
        found.append(full.slice(i, i + len(ln)))
        pos = i + len(ln)
    return found


# --- page chrome -----------------------------------------------------------------

_META_KEYS = r"(?:来源|作者|发表时间|发布时间|发布日期|时间|日期|浏览|浏览次数|点击|编辑|责任编辑|字体)"
_META_LINE = re.compile(rf"^[\s*·|]*{_META_KEYS}\s*[:：]")
_META_ANYWHERE = re.compile(r"(?:^|[\s*·|])(?:来源|发表时间|发布时间|发布日期)\s*[:：]")
_WELCOME = re.compile(
    r"欢迎(?:您)?(?:进入|访问|光临|来到)(?P<site>.+?)(?:官方网站|官网|网站|门户网站|主页)?\s*[!！。]?\s*$"
)
_NAV_WORDS = re.compile(
    r"^(?:首页|新闻中心|新闻动态|新闻资讯|工作动态|通知公告|当前位置.*|您的位置.*|正文|.{0,8}动态)$"
)
_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
)
_BYLINE = re.compile(r"^本报讯\s*[(（]\s*(?:记者|通讯员)\s*(?P<author>[^)）]+?)\s*[)）]")
_FIELD = {
    "source": re.compile(r"来源\s*[:：]\s*(?:转载\s*)?(?:自\s*)?(?P<v>[^\s*|·]+)"),
    "author": re.compile(r"(?<!责任)作者\s*[:：]\s*(?P<v>[^\s*|·]+)"),
}


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS``."""
    m = _DATE.search(text)
    if not m:
        return None
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    date = f"{y:04d}-{mo:02d}-{d:02d}"
    if m["H"] is not None:
        date += f"T{int(m['H']):02d}:{int(m['M']):02d}:{int(m['S'] or 0):02d}"
    return date


def _meta_from_line(line: str, meta: ArticleMeta) -> None:
    """Read 来源, 作者 and the date from one chrome line into ``meta``."""
    for key, rx in _FIELD.items():
        m = rx.search(line)
        if m and not _DATE.fullmatch(m["v"]):
            value = m["v"].strip()
            if key == "source" and value not in ("本站", "本网", "原创"):
                meta.source_name = meta.source_name or value
            elif key == "author":
                meta.author = meta.author or value
    if meta.date_published is None:
        stamp = re.search(r"(?:发表时间|发布时间|发布日期|时间|日期)\s*[:：]\s*(.+)", line)
        meta.date_published = parse_date(stamp.group(1) if stamp else line)


_STRIPPED_LINE = re.compile(r"\S(?:[^\n]*\S)?")
"""A line from its first to its last non-blank character (``\\s`` is what ``str.strip`` strips)."""


def _lines(mt: MappedText) -> list[MappedText]:
    """Non-blank lines, stripped, each still mapped."""
    return [mt.slice(*m.span()) for m in _STRIPPED_LINE.finditer(mt.text)]


def _structure(lines: list[MappedText], meta: ArticleMeta, h1: str | None) -> tuple[MappedText | None, list]:
    """Split lines into headline and story, reading chrome lines into ``meta``."""
    headline: MappedText | None = None
    body: list[MappedText] = []
    for i, ln in enumerate(lines):
        t = ln.text
        if i < 6 and not body:
            if (w := _WELCOME.search(t)) and len(t) < 80:
                meta.publisher = meta.publisher or w["site"].strip()
                continue
            if _META_LINE.search(t) or (_META_ANYWHERE.search(t) and len(t) < 120):
                _meta_from_line(t, meta)
                continue
            if _NAV_WORDS.match(t) and headline is None:
                continue
            if headline is None and (h1 is None or normalise_text(h1) == t) and len(t) <= 80 \
                    and not re.search(r"[。；]$", t):
                headline = ln
                continue
        if (b := _BYLINE.match(t)) and meta.author is None:
            meta.author = b["author"].strip()
        if re.fullmatch(r"(?:\*\s*)?(?:浏览|阅读|点击)\s*[:：]?\s*\d+\s*(?:次)?", t):
            continue
        body.append(ln)
    return headline, body


def load(path: str | Path) -> Article:
    """Read one article file into an :class:`Article`; raise :class:`InputError` if unusable."""
    path = Path(path)
    raw = read_bytes(path)
    source, encoding = decode(raw, str(path))
    meta = ArticleMeta()
    is_html = looks_like_html(source)
    h1 = None
    if is_html:
        visible, h1, title = html_to_text(source, str(path))
        clean_all = normalise(visible)
        main = _main_text_lines(source)
        # one call for all paragraphs: no clean-up step reads across a line break (pinyin
        # follows a character on its line, and neither OpenCC's phrases nor NFKC's
        # foldings hold one), so each comes out as it would alone
        blocks = _locate(normalise_text("\n".join(main)).split("\n"), clean_all) if main else []
        lines = _lines(clean_all)
        # chrome lines (the info line) are read from the whole page; the story from trafilatura
        for ln in lines[:40]:
            if _META_LINE.search(ln.text) or _META_ANYWHERE.search(ln.text):
                _meta_from_line(ln.text, meta)
        head_text = normalise_text(h1 or (title or "").split(" - ")[0].split("_")[0]).strip() or None
        headline = None
        if head_text:
            i = clean_all.text.find(head_text)
            headline = clean_all.slice(i, i + len(head_text)) if i != -1 else None
        body = [b for b in blocks if headline is None or b.text != headline.text] or [
            ln for ln in lines if len(ln.text) > 40
        ]
        if headline is None and head_text:
            meta.headline = head_text
    else:
        clean_all = normalise(MappedText.identity(source))
        headline, body = _structure(_lines(clean_all), meta, None)
    if headline is not None:
        meta.headline = headline.text
    if not body and headline is None:
        raise InputError(f"{path}: no text found")
    sep = _join_marker(body[0] if body else headline)
    pieces: list[MappedText] = []
    if headline is not None:
        pieces += [headline, sep, sep]
    for b in body:
        pieces += [b, sep]
    original_head = source[headline.starts[0]:headline.ends[-1]] if headline is not None else None
    return Article(
        path=path, source=source, encoding=encoding, is_html=is_html, meta=meta,
        clean=MappedText.concat(pieces), headline_original=original_head,
        content_hash=hashlib.sha256(raw).hexdigest(),
    )


def _join_marker(anchor: MappedText) -> MappedText:
    """A newline that separates story blocks; it maps onto the start of its anchor."""
    s = anchor.starts[0]
    return MappedText("\n", *_repeat(s, s + 1, 1))
