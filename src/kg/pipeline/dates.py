"""Dates as the text gives them: absolute, ranges, without a year, relative to the page date.

Values are ISO strings of the precision the text allows (2021-10-23, 2015-12, 2015),
so the RDF mapping can type them as xsd:date, gYearMonth or gYear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from kg.pipeline.resources import alternation, lexicon_map, occurrences
from kg.pipeline.state import DocState

_FULL = re.compile(r"(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})[日号])?")
_MONTH_DAY = re.compile(r"(?<![\d年])(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]")
_YEAR = re.compile(r"(?P<y>(?:19|20)\d{2})年(?!\d{1,2}月)")
_RANGE_END = re.compile(r"^(?:至|到|—|-|~|－)(?:(?P<y>(?:19|20)\d{2})年)?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})[日号]")
# Relative time words (lexicon.txt: relative_dates): the unit of the result and the shift in days.
_RELATIVE = {w: (v.split(":")[0], int(v.split(":")[1])) for w, v in lexicon_map("relative_dates").items()}
_ANY_RELATIVE = re.compile(alternation(_RELATIVE))
# Every date starts with a digit or a relative word: a sentence without one in its first
# three characters has no leading date, and most sentences are ruled out by this one match.
_DATE_NEAR_START = re.compile(rf".{{0,2}}(?:\d|{_ANY_RELATIVE.pattern})", re.S)
_ANCHOR = re.compile(
    r"截至(?:(?P<y>(?:19|20)\d{2})年)?(?:(?P<m>\d{1,2})月)?(?P<now>目前|现在|今年)?"
)


@dataclass(frozen=True)
class DateHit:
    """A date found in text: where it stands, its start and (for ranges) its end."""

    start: int
    end: int
    value: str
    until: str | None = None


def _iso(y: int, m: int | None = None, d: int | None = None) -> str | None:
    try:
        if d is not None and m is not None:
            return date(y, m, d).isoformat()
        if m is not None:
            return f"{y:04d}-{m:02d}" if 1 <= m <= 12 else None
        return f"{y:04d}"
    except ValueError:
        return None


def find_dates(text: str, lo: int, hi: int, ref: str | None) -> list[DateHit]:
    """Dates in ``text[lo:hi]``; a month and day without a year take the reference year."""
    out: list[DateHit] = []
    taken: set[int] = set()
    for m in _FULL.finditer(text, lo, hi):
        y, mo = int(m["y"]), int(m["m"])
        d = int(m["d"]) if m["d"] else None
        v = _iso(y, mo, d)
        if v:
            out.append(_with_range(text, m.end(), hi, DateHit(m.start(), m.end(), v), y, mo))
            taken.update(range(m.start(), m.end()))
    for m in _MONTH_DAY.finditer(text, lo, hi):
        if m.start() in taken or not ref:
            continue
        y = int(ref[:4])
        v = _iso(y, int(m["m"]), int(m["d"]))
        if v:
            out.append(_with_range(text, m.end(), hi, DateHit(m.start(), m.end(), v), y, int(m["m"])))
            taken.update(range(m.start(), m.end()))
    for m in _YEAR.finditer(text, lo, hi):
        if m.start() not in taken:
            out.append(DateHit(m.start(), m.end(), m["y"]))
    if ref and _ANY_RELATIVE.search(text, lo, hi):  # one scan rules out the usual text without any
        for word, (unit, shift) in _RELATIVE.items():
            for at in occurrences(text[lo:hi], word):
                out.append(DateHit(lo + at, lo + at + len(word), _relative(ref, unit, shift)))
    return sorted(out, key=lambda h: h.start)


def _with_range(text: str, pos: int, hi: int, hit: DateHit, y: int, mo: int) -> DateHit:
    """Extend a day to a range when 至25日 / 至11月2日 follows it."""
    if len(hit.value) != 10:
        return hit
    m = _RANGE_END.match(text[pos:hi])
    if not m:
        return hit
    until = _iso(int(m["y"] or y), int(m["m"] or mo), int(m["d"]))
    return DateHit(hit.start, pos + m.end(), hit.value, until) if until else hit


def _relative(ref: str, unit: str, shift: int) -> str:
    day = date.fromisoformat(ref[:10]) if len(ref) >= 10 else date(int(ref[:4]), int(ref[5:7] or 1), 1)
    if unit == "day":
        return (day + timedelta(days=shift)).isoformat()
    if unit == "prev-month":
        day = day.replace(day=1) - timedelta(days=1)
    else:
        day = day + timedelta(days=shift)
    return day.isoformat()[:7]


def reference_date(text: str, st: DocState) -> str | None:
    """The date the article speaks from: its publication date, else its first full date."""
    if st.meta.date_published:
        return st.meta.date_published[:10]
    hits = [h for h in find_dates(text, 0, len(text), None) if len(h.value) == 10]
    return hits[0].value if hits else None


def anchor_period(sentence: str, ref: str | None) -> str | None:
    """The period a sentence anchors its figures to: 截至2020年底, 截至目前, or a leading date."""
    m = _ANCHOR.search(sentence)
    if m and (m["y"] or m["now"]):
        if m["now"]:
            return ref[:7] if ref else None
        return _iso(int(m["y"]), int(m["m"]) if m["m"] else None)
    if not _DATE_NEAR_START.match(sentence):
        return None
    lead = find_dates(sentence, 0, min(len(sentence), 14), ref)
    if lead and lead[0].start <= 2 and not sentence.startswith("自") and "以来" not in sentence[:30]:
        return lead[0].value  # a leading date anchors the sentence; 自2015年…以来 opens a span instead
    return None
