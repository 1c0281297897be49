"""Positions: who holds which title in which body, read from title chains around names.

A chain runs from the last clause break up to a name: 省科技厅党组书记、厅长王某 gives two
titles at one body; 州委副书记、州长杨某 gives 副书记 at the party committee and 州长 at the
implied 州人民政府. A title with no body of its own inherits the one before it in the
chain, or, in a list of people, the previous person's (局长王某、副局长李某).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc

from kg.model import Extraction, Position, Span
from kg.pipeline import regions
from kg.pipeline.resolve import home_region
from kg.pipeline.resources import Division, lexicon
from kg.pipeline.state import DocState, Mention, outermost, state

_BREAK = re.compile(r"[，,。；;：:！？!?“”\"()（）\n]")
_PAST = lexicon("past_markers")
_REGION_CHAIR = frozenset(lexicon("region_chair_titles"))
_UNNAMED = frozenset(lexicon("unnamed_holder_titles"))
_GAP = re.compile(r"^[\u4e00-\u9fff]{1,6}$")


class ChainReader:
    """Reads the title chain in front of each person of one document."""

    def __init__(self, st: DocState, text: str) -> None:
        self.st, self.text = st, text
        assert st.extraction is not None
        self.ex = st.extraction
        self.top = outermost([m for m in st.mentions if m.kind in ("ORG", "PLACE", "TITLE")])
        # outermost mentions are disjoint and in order: starts and ends both increase
        self.top_starts, self.top_ends = [m.start for m in self.top], [m.end for m in self.top]
        self.break_ends = [m.end() for m in _BREAK.finditer(text)]

    def _last_break(self, pos: int) -> int:
        """The end of the last clause break at or before ``pos`` (0 if none): a bisection."""
        i = bisect_right(self.break_ends, pos) - 1
        return self.break_ends[i] if i >= 0 else 0

    def _top_within(self, lo: int, hi: int) -> list[Mention]:
        """The outermost mentions starting at or after ``lo`` and ending by ``hi``."""
        return self.top[bisect_left(self.top_starts, lo):bisect_right(self.top_ends, hi)]

    def _gov(self, region: Division | None, title: str) -> str | None:
        """The 人民政府 entity implied by a government title (副市长 → 某市人民政府)."""
        if region is None:
            level = regions.LEVEL_WORDS.get(title.lstrip("常务副")[:1])
            region = home_region(self.st.home, level) if level else None
        return self.st.resolver.government(region) if region is not None else None

    def chain(self, person: Mention, lo: int) -> list[Mention]:
        """The bodies, places and titles between the clause start and a person.

        A chain restarts after an unnamed holder (甲处负责人、乙局局长某某: the first
        title belongs to someone the text does not name).
        """
        items = self._top_within(lo, person.start)
        for i in range(len(items) - 1, -1, -1):
            it = items[i]
            if it.kind == "TITLE" and it.text in _UNNAMED and self.text[it.end:it.end + 1] in ("、", "等"):
                return items[i + 1:]
        return items

    def read(self) -> list[Position]:
        out: list[Position] = []
        persons = [m for m in self.st.mentions if m.kind == "PERSON"]
        prev_org: str | None = None
        last: Position | None = None
        prev_end = -1
        for p in persons:
            sent = self.st.sentence_of(p.start)
            lo = max(self._last_break(p.start), sent.start, prev_end if prev_end >= sent.start else sent.start)
            continuing = self.text[lo - 1:lo] == "、" or self.text[prev_end:p.start] in ("、",) or (
                prev_end >= sent.start and self.text[prev_end:prev_end + 1] == "、")
            items = self.chain(p, lo)
            found = self._positions(p, items, sent, prev_org if continuing else None)
            if not items and last and self.text[prev_end:p.start] == "、" and p.key:
                # 副州长甲、乙: the bare name shares the title of the name before it
                found = [Position(p.key, last.title, last.organization, sent, last.past)]
            found += self._bracketed(p, sent)
            if found:
                last = found[-1]
                prev_org = found[-1].organization
            elif not continuing:
                prev_org, last = None, None
            out += found
            prev_end = p.end
        return out

    def _bracketed(self, p: Mention, sent: Span) -> list[Position]:
        """Titles in brackets after a name: 王某(省科技厅厅长)."""
        if self.text[p.end:p.end + 1] != "(":
            return []
        close = self.text.find(")", p.end, min(sent.end, p.end + 40))
        if close == -1:
            return []
        items = self.top[bisect_right(self.top_starts, p.end):bisect_right(self.top_ends, close)]
        return self._positions(p, items, sent, None)

    def _positions(self, p: Mention, items: list[Mention], sent, inherited: str | None) -> list[Position]:
        out = []
        org: Mention | None = None
        org_key = inherited
        past = any(self.text.startswith(w, items[0].start - len(w)) for w in _PAST) if items else False
        for i, it in enumerate(items):
            if it.kind in ("ORG", "PLACE"):
                org, org_key = it, (it.key if it.kind == "ORG" else None)
                continue
            title = self._full_title(it, items[i - 1] if i else None, items[0].start if items else it.start)
            if org is None and (bare := self._bare_region(it)) is not None:
                org = bare
            kind = it.cls
            if kind == "gov" or (org is not None and org.kind == "PLACE" and title in _REGION_CHAIR
                                 and org.division and org.division.name.endswith("自治区")):
                region = self.st.resolver.region_of(org) if org is not None else None
                target = self._gov(region, title)
            elif org is not None and org.kind == "PLACE":
                target = None
            else:
                target = org_key
            if target is None or not p.key:
                continue
            out.append(Position(p.key, title, target, sent, past))
        return out

    def _bare_region(self, t: Mention) -> Mention | None:
        """A bare level word right before a title (自治区副主席) as the home region of that level."""
        for word, level in regions.LEVEL_WORDS.items():
            if self.text[t.start - len(word):t.start] == word and (d := self.st.home.get(level)):
                return Mention(t.start - len(word), t.start, word, "PLACE", "Place", division=d)
        return None

    def _full_title(self, t: Mention, before: Mention | None, chain_start: int) -> str:
        """A title with the words that qualify it (产业规划 + 经理): what stands between it and the body
        before it, or the clause break, when that is a few plain characters."""
        if before is not None and before.kind == "ORG":
            gap = self.text[before.end:t.start]
        elif before is None:
            lo = max(self._last_break(t.start), self.text.rfind("、", 0, t.start) + 1)
            gap = self.text[lo:t.start] if t.start - lo <= 4 else ""
            if any(gap.endswith(w) for w in regions.LEVEL_WORDS):
                gap = ""  # 自治区副主席: a region, read by _bare_region
        else:
            gap = ""
        return gap + t.text if gap and _GAP.match(gap) else t.text


@Language.component("kg_positions", assigns=["doc._.kg"], requires=["doc._.kg"])
def kg_positions(doc: Doc) -> Doc:
    """Add positions to the extraction and mark their holders as officials where due."""
    st = state(doc)
    assert st.extraction is not None
    seen = set()
    for pos in ChainReader(st, st.text).read():
        k = (pos.holder, pos.title, pos.organization)
        if k in seen:
            continue
        seen.add(k)
        st.extraction.positions.append(pos)
    ents = st.extraction.entities
    identifying_body = identifying_bodies(st.extraction)
    for pos in st.extraction.positions:
        holder, org = ents[pos.holder], ents[pos.organization]
        if org.type == "Agency":
            holder.type = "Official"
        if "@" not in holder.context:  # a person is told apart by name and organisation (its key)
            holder.identified_by = identifying_body(pos.organization)
            holder.context = f"{holder.context}@{ents[holder.identified_by].context}"
    return doc


def identifying_bodies(ex: Extraction) -> Callable[[str], str]:
    """For an organisation, the body that tells a person apart from namesakes: the top of its hierarchy.

    A division's head and the same name as the agency's official (某厅高新处 / 某厅), or a
    zone's committee and its park (管委会 manages 高新区), are one person across
    articles: units go up by ``subOrganizationOf``, then a managing body to its park.
    The hierarchy is read from the relations once, for all the article's positions.
    """
    up = {r.s: r.o for r in ex.relations if r.p == "subOrganizationOf"}
    managed = {r.s: r.o for r in ex.relations if r.p == "manages"}

    def identifying_body(org: str) -> str:
        seen = {org}
        while org in up and up[org] not in seen:
            org = up[org]
            seen.add(org)
        return managed.get(org, org)

    return identifying_body
