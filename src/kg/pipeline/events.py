"""Events: inspection visits, meetings, forums, competitions and ceremonies, with their links.

The article's *main* event is the visit or meeting its headline reports (else the
first event of the story); the people the article names took part in it. Other
events are found by the word that ends their name (…座谈会, …论坛, 第七届…大赛). Each
event gets its dates (ranges, dates without a year and relative dates resolved
against the page date), who held it (经X批准, 由X主办, X召开…), where it was (到X调研,
在X举行, 主会场设在X) and what it is part of (an edition of a series, a session of a
visit, a sub-venue of a campaign week, 作为X的分论坛之一).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from kg.model import Event, Extraction, Relation, Span
from kg.pipeline.dates import DateHit, find_dates, reference_date
from kg.pipeline.mentions import NameGrower
from kg.pipeline.resources import alternation, lexicon, lines, occurrences, words
from kg.pipeline.state import DocState, Mention, state

_EDITION = re.compile(r"第[0-9一二三四五六七八九十百零]+[届次]$")
_YEAR_PREFIX = re.compile(r"(?:19|20)\d{2}年$")
# The words in these patterns are sections of resources/lexicon.txt; the patterns are the grammar.
_CONVENE = alternation(lexicon("convene_verbs"))
_ORGANIZER_VERBS = alternation(lexicon("organizer_verbs"))
# Who held an event: 经X批准, 由X主办, X承办 (what precedes the verb, up to a clause break).
_ORGANIZER = re.compile(rf"经(?P<x>[^，,。]{{2,20}}?)批准|(?:由)?(?P<y>[^，,。]{{2,40}}?)(?:{_ORGANIZER_VERBS})")
# The word every organizer match ends with (批准, 主办, 承办): a quick search for it passes over
# the many sentences without one, where _ORGANIZER would try up to 40 characters at every position.
_ORGANIZER_VERB = re.compile(rf"批准|{_ORGANIZER_VERBS}")
_VENUE = re.compile(
    rf"(?:在|于)(?P<x>[^，,。]{{2,24}}?)(?:{alternation(lexicon('venue_verbs'))})|主会场设在(?P<y>[^，,。]{{2,24}})"
)
_PART_OF = re.compile(r"作为(?P<x>[^，,。]{2,40}?)的[^，,。]{0,10}之一")
_HOST = re.compile(rf"(?P<x>[^，,。]{{2,40}}?)(?:{_CONVENE})(?P<e>[^，,。]*)$")
_HAN_AFTER = re.compile(rf"(?!{alternation(lexicon('year_followers'))})[\u4e00-\u9fff]")
_JOINED = re.compile(r"[\u4e00-\u9fff]{0,6}暨|·")
_NOT_DONE = re.compile(alternation(lexicon("not_done_cues")))
_LASTS = re.compile(alternation(lexicon("lasts_until")))
_TALKS = re.compile(r"与(?P<x>[^，,。]{2,30}?)(?:围绕|座谈|讨论|交流|会谈)")
_CLAUSE_BREAK = re.compile(r"[，,；;：:]")
_CEREMONIES = frozenset(lexicon("ceremony_kinds"))
_CONVENED = re.compile(rf"(?:{_CONVENE})的?$")
_TIED = re.compile(rf"^(?:{alternation(lexicon('tied_openers'))})")
_SUFFIXES = re.compile(alternation(words("event_suffixes.txt")))
# 2021年第七届某某大赛: an edition, and after its number the name of the series.
_SERIES = re.compile(r"(?:(?:19|20)\d{2}年)?第[0-9一二三四五六七八九十百零]+[届次](?P<series>.+)$")
_SLOGAN_HEAD = re.compile(r"(?:19|20)\d{2}年[\u4e00-\u9fff]{2,8}、$")
_JOINS = re.compile(r"参加|出席|陪同")
_VISIT_VERBS, _DEST_WORDS, _OBJECT_VERBS = lines("visit_verbs.txt")
# 到/赴 … 调研: a destination word, then within 30 characters a visit verb.
_WENT_TO = re.compile(rf"(?:{alternation(_DEST_WORDS)}).{{1,30}}?(?:{alternation(_VISIT_VERBS)})")
# Words after which a visit's destination is named (到X, 实地调研X), in the order they are read.
_TARGET_WORDS = (*_DEST_WORDS, *_OBJECT_VERBS)
_ANY_TARGET_WORD = re.compile(alternation(_TARGET_WORDS))
_VISIT_TEAM = re.compile(r"(?P<x>[^，,。]{2,20}?)调研组")


class EventReader:
    """Finds one document's events and links them to its entities."""

    def __init__(self, st: DocState, text: str) -> None:
        self.st, self.text = st, text
        assert st.extraction is not None
        self.ex: Extraction = st.extraction
        self.ref = reference_date(text, st)
        self.events: dict[str, Event] = {}
        self.relations: list[Relation] = []
        self.related: set[tuple[str, str, str]] = set()
        """The (subject, predicate, object) of each relation, so a repeated one is a lookup away."""
        self.elsewhere: set[str] = set()
        """People who took part in another event than the main one, and only that."""
        self.headline_end = text.find("\n") if st.meta.headline and text.startswith(st.meta.headline) else 0
        self.sentence_starts = [s.start for s in st.sentences]
        """So the sentence after a span is a bisection away."""
        self.dates: dict[Span, list[DateHit]] = {}
        """The dates of each sentence asked about, found once: several events share a sentence."""
        self.keyed = sorted((m for m in st.mentions if m.key), key=lambda m: (m.start, -m.end))
        """Resolved mentions in text order (outer first), so a span's mentions are a
        bisection away, not a scan of the article."""
        self.keyed_starts = [m.start for m in self.keyed]

    # -- helpers ------------------------------------------------------------------

    def _top(self, lo: int, hi: int, kinds=("ORG", "PLACE")) -> list[Mention]:
        """Outermost entity mentions inside ``[lo, hi)``."""
        return list(self._outermost(lo, hi, kinds))

    def _outermost(self, lo: int, hi: int, kinds=("ORG", "PLACE")) -> Iterator[Mention]:
        """:meth:`_top` one at a time, for readers that stop at the first gap (see ``outermost``)."""
        last_end = -1
        for i in range(bisect_left(self.keyed_starts, lo), bisect_left(self.keyed_starts, hi)):
            m = self.keyed[i]
            if m.kind in kinds and m.end <= hi and m.end > last_end:
                last_end = m.end
                yield m

    def _sentence_dates(self, sent: Span) -> list[DateHit]:
        """Dates of a sentence that say when (2021年，…), not years that qualify a noun (2015年科技工作)."""
        if sent not in self.dates:
            self.dates[sent] = [d for d in find_dates(self.text, sent.start, sent.end, self.ref)
                                if len(d.value) > 4 or not _HAN_AFTER.match(self.text, d.end)]
        return self.dates[sent]

    def _add_event(self, name: str, kind: str, sent: Span, start: str | None, end: str | None,
                   aliases: set[str] | None = None) -> str:
        for key, ev in self.events.items():
            if ev.name == name or name in ev.aliases or ev.name in (aliases or set()):
                ev.start = ev.start or start
                ev.end = ev.end or end
                if self.headline_end and ev.evidence.start < self.headline_end <= sent.start:
                    ev.evidence = sent
                return key
        key = f"ev{len(self.events) + 1}"
        self.events[key] = Event(key=key, name=name, kind=kind, evidence=sent, start=start, end=end,
                                 aliases=set(aliases or ()) - {name})
        return key

    def _relate(self, s: str, p: str, o: str | None, sent: Span) -> None:
        """Record a relation once, with the sentence that first told it."""
        if o and (s, p, o) not in self.related:
            self.related.add((s, p, o))
            self.relations.append(Relation(s, p, o, sent))

    def _date_of(self, sent: Span, at: int, end: int | None = None) -> tuple[str | None, str | None]:
        """The event's date: the last one written before its name, else the most precise after it."""
        hits = self._sentence_dates(sent)
        before = [h for h in hits if h.end <= at]
        if before:
            return before[-1].value, before[-1].until
        after = sorted((h for h in hits if end is None or h.start >= end), key=lambda h: -len(h.value))
        pick = after[0] if after else (hits[0] if hits else None)
        return (pick.value, pick.until) if pick else (None, None)

    # -- finding events -----------------------------------------------------------

    def named_events(self) -> None:
        """Events named by their last word (…论坛, 第七届…大赛, …座谈会)."""
        all_places = sorted((m for m in self.st.mentions if m.kind == "PLACE"), key=lambda m: m.start)
        starts = [m.start for m in all_places]
        for sent in self.st.sentences:
            hits = list(_SUFFIXES.finditer(self.text, sent.start, sent.end))
            if not hits:
                continue
            places = all_places[bisect_left(starts, sent.start):bisect_left(starts, sent.end)]
            grower = NameGrower(self.text, sent.start, places, [])
            found: list[tuple[int, int, str]] = []
            for hit in hits:
                w, i = hit.group(0), hit.start()
                start = self._extend(grower.grow(i), sent)
                if found and _JOINED.fullmatch(self.text[found[-1][1]:start]):
                    start = found.pop()[0]  # 甲活动周暨乙活动周·丙成果展 is one event
                found.append((start, i + len(w), w))
            for start, end, w in found:
                name = self.text[start:end]
                if name == w:
                    self._bare(w, sent, start)
                elif len(name) >= len(w) + 2:
                    self._named(name, w, sent, start)

    def _bare(self, kind: str, sent: Span, start: int) -> None:
        """A bare 座谈会/论坛: a new event when something convenes it, else a reference to the last one."""
        if _CONVENED.search(self.text[sent.start:start]):
            self._named(kind, kind, sent, start)
            return
        last = next((k for k, e in reversed(self.events.items()) if e.kind == kind), None)
        if last is not None:
            self._organizers(last, sent)
            self._venues(last, sent)
        elif kind in _CEREMONIES and self.text[sent.start:start].endswith("在") and self.events:
            self._ceremony(kind, sent)

    def _ceremony(self, kind: str, sent: Span) -> None:
        """在启动仪式上致辞: a ceremony of the event just told, on its day, at its place."""
        parent_key, parent = next(reversed(self.events.items()))
        key = self._add_event(kind, kind, sent, parent.start, None)
        self._relate(key, "partOf", parent_key, sent)
        for r in [r for r in self.relations if r.s == parent_key and r.p == "location"]:
            self._relate(key, "location", r.o, sent)
        for m in self._top(sent.start, sent.end, ("PERSON",)):
            self._relate(key, "participant", m.key, sent)

    def _extend(self, start: int, sent: Span) -> int:
        """Take in an edition (第七届) and a year (2021年) written before an event's name."""
        head = self.text[sent.start:start]
        m = _EDITION.search(head)
        if m:
            start, head = sent.start + m.start(), head[: m.start()]
        m = _YEAR_PREFIX.search(head)
        if m:
            start, head = sent.start + m.start(), head[: m.start()]
        elif head.endswith("、"):  # a slogan name: 2022年全国某某、某某活动周
            m = _SLOGAN_HEAD.search(head)
            if m:
                start = sent.start + m.start()
        return start

    def _named(self, name: str, kind: str, sent: Span, start: int) -> None:
        date, until = self._date_of(sent, start, start + len(name))
        if date is None and _TIED.match(self.text[sent.start:sent.end]) and self.events:
            date = next(iter(self.events.values())).start
        if kind == "分会场":
            parent = next((k for k, e in reversed(self.events.items()) if e.kind != "分会场"), None)
            venue = self._top(start, start + len(name), ("PLACE",))
            if parent is not None:
                full = self.events[parent].name + name
                key = self._add_event(full, kind, sent, self.events[parent].start, self.events[parent].end, {name})
                self._relate(key, "partOf", parent, sent)
                if venue:
                    self._relate(key, "location", venue[-1].key, sent)
                return
        if until is None and (m := _LASTS.search(self.text, start, sent.end)):
            until = next((d.value for d in find_dates(self.text, m.end(), sent.end, self.ref)), None)
        key = self._add_event(name, kind, sent, date, until)
        edition = _EDITION.search(self.text[max(sent.start, start - 8):start + 6])
        m = _SERIES.match(name)
        if m and edition is not None and len(m["series"]) > len(kind):
            series = self._add_event(m["series"], "系列", sent, None, None)
            self._relate(key, "partOf", series, sent)
            if name.startswith(("第一届", "第1届")) or "第一届" in name:
                self.events[series].start = self.events[series].start or date
        ctx = self.text[sent.start:start]
        self._organizers(key, sent)
        host = _HOST.search(ctx)
        if host:
            for o in self._top(sent.start + host.start("x"), sent.start + host.end("x"), ("ORG",)):
                self._relate(key, "organizer", o.key, sent)
        self._venues(key, sent)
        part = _PART_OF.search(self.text, sent.start, sent.end)
        if part:
            parent_name = self.text[part.start("x"):part.end("x")]
            for k, ev in self.events.items():
                if k != key and ev.name in parent_name:
                    self._relate(key, "partOf", k, sent)

    def _venues(self, key: str, sent: Span) -> None:
        """在X举行 / 主会场设在X: the last place or body named there."""
        for m in _VENUE.finditer(self.text, sent.start, sent.end):
            g = "x" if m.group("x") else "y"
            for o in self._top(m.start(g), m.end(g))[-1:]:
                self._relate(key, "location", o.key, sent)

    def _organizers(self, key: str, sent: Span) -> None:
        """经X批准 and X主办/承办 in the event's sentence, or in the sentence after it."""
        after = bisect_left(self.sentence_starts, sent.end)
        for s in [sent, *self.st.sentences[after:after + 1]]:
            if not _ORGANIZER_VERB.search(self.text, s.start, s.end):
                continue
            for m in _ORGANIZER.finditer(self.text, s.start, s.end):
                g = "x" if m.group("x") else "y"
                for o in self._top(m.start(g), m.end(g), ("ORG",)):
                    self._relate(key, "organizer", o.key, s)

    def visit(self) -> str | None:
        """The inspection visit of the article: from its headline, else its first visit sentence."""
        head = self.text[: self.headline_end] if self.headline_end else ""
        told = next((s for s in self.st.sentences if s.start >= self.headline_end and self._went_to(s)), None)
        sent = Span(0, self.headline_end) if head and any(v in head for v in _VISIT_VERBS) else told
        if sent is None:
            return None
        clause = self.text[sent.start:sent.end]
        people = self._top(sent.start, sent.end, ("PERSON",))
        begin = people[0].start if people else sent.start
        name = re.split(r"[，,。；;]", self.text[begin:sent.end])[0] if begin != sent.start else clause
        name = re.sub(r"^(?:近日|日前|\d{4}年\d{1,2}月\d{1,2}日)[，,]?", "", name.split("，")[0]).strip()
        evidence = told or (self.st.sentences[0] if self.st.sentences else sent)
        date, until = self._date_of(evidence, evidence.end)
        if date is None and self.ref:
            date = self.ref[:7]
        key = self._add_event(name, next((v for v in _VISIT_VERBS if v in clause), "调研"), evidence,
                              date, until, {clause} if clause != name else None)
        for s in self.st.sentences:
            self._visit_targets(key, s)
        return key

    def _went_to(self, sent: Span) -> bool:
        """Whether a sentence tells of a visit made (到某地调研), not one invited or planned."""
        return not _NOT_DONE.search(self.text, sent.start, sent.end) and bool(
            _WENT_TO.search(self.text, sent.start, sent.end))

    def _visit_targets(self, key: str, sent: Span) -> None:
        """Where the visit went: 到X调研, 来到X, 实地调研A、B; who ran it: X调研组.

        Most sentences have none of the words: one search each passes over them.
        """
        chunk = self.text[sent.start:sent.end]
        if _NOT_DONE.search(chunk):
            return
        if _ANY_TARGET_WORD.search(chunk):
            for w in _TARGET_WORDS:
                for at in occurrences(chunk, w):
                    for h in self._reached(sent.start + at + len(w), sent.end):
                        self._relate(key, "location", h.key, sent)
        if "调研组" in chunk:
            for m in _VISIT_TEAM.finditer(chunk):
                for o in self._top(sent.start + m.start("x"), sent.start + m.end("x"), ("ORG",)):
                    self._relate(key, "organizer", o.key, sent)

    def _reached(self, pos: int, end: int) -> list[Mention]:
        """The places or bodies listed right at ``pos`` (到A、B和C): where a visit word says it went."""
        chain: list[Mention] = []
        for h in self._outermost(pos, end):
            gap = self.text[chain[-1].end:h.start] if chain else ""
            if chain and gap in ("内的", "内"):
                chain[-1] = h  # 来到X内的Y: the visit went to Y
                continue
            if chain and gap not in ("", "、", "和", "及"):
                break
            if not chain and h.start != pos:
                break
            chain.append(h)
        return chain

    def _has_named_event(self) -> bool:
        """Whether the story names an event by its suffix word (without recording it)."""
        return bool(_SUFFIXES.search(self.text, self.headline_end))

    def people(self, main: str) -> None:
        """Everyone the article names took part in its main event; so did bodies that joined it."""
        for m in self.st.mentions:
            if m.kind == "PERSON" and m.key and m.key not in self.elsewhere:
                self._relate(main, "participant", m.key, self.st.sentence_of(m.start))
        for sent in self.st.sentences:
            chunk = self.text[sent.start:sent.end]
            if _JOINS.search(chunk) and not self._top(sent.start, sent.end, ("PERSON",)):
                for o in self._top(sent.start, sent.end, ("ORG",)):
                    self._relate(main, "participant", o.key, sent)
            for m in _TALKS.finditer(chunk):
                if self._dated_talk(main, sent, sent.start + m.start(), sent.start + m.end()):
                    continue
                for o in self._top(sent.start + m.start("x"), sent.start + m.end("x"), ("ORG",)):
                    self._relate(main, "participant", o.key, sent)

    def _dated_talk(self, main: str, sent: Span, start: int, end: int) -> bool:
        """某日甲与乙座谈: a talk with its own date is an event of its own, with both sides taking part."""
        clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(self.text, sent.start, start)), default=sent.start)
        dates = [d for d in self._sentence_dates(sent) if clause_start <= d.start and d.end <= start + 1]
        sides = self._top(dates[-1].end if dates else start, end, ("ORG",))
        if not dates or dates[-1].value == self.events[main].start or len(sides) < 2:
            return False
        name = self.text[sides[0].start:end]
        key = self._add_event(name, "座谈会", sent, dates[-1].value, None)
        for o in sides:
            self._relate(key, "participant", o.key, sent)
        return True

    def run(self) -> None:
        head = self.text[: self.headline_end]
        if any(v in head for v in _VISIT_VERBS) or not self._has_named_event():
            main = self.visit()
            self.named_events()
        else:  # the headline reports a named event; a visit in the story is one part of it
            self.named_events()
            main = next(iter(self.events), None)
            visit = self.visit()
            main = main or visit
            if visit is not None and visit != main:
                sent = self.events[visit].evidence
                for m in self._top(sent.start, sent.end, ("PERSON",)):
                    self._relate(visit, "participant", m.key, sent)
                    self.elsewhere.add(m.key)
        if main is None:
            return
        self.people(main)
        if self.events[main].kind in _VISIT_VERBS:
            for k, ev in self.events.items():
                same_day = ev.start in (None, self.events[main].start)
                if k != main and ev.kind in ("座谈会", "会议", "联席会") and same_day:
                    ev.start = ev.start or self.events[main].start
                    self._relate(k, "partOf", main, ev.evidence)


@Language.component("kg_events", assigns=["doc._.kg"], requires=["doc._.kg"])
def kg_events(doc: Doc) -> Doc:
    """Add events and their relations to the extraction."""
    st = state(doc)
    assert st.extraction is not None
    reader = EventReader(st, st.text)
    reader.run()
    st.extraction.events.update(reader.events)
    st.extraction.relations += reader.relations
    return doc
