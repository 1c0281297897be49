"""Find what the text names: places, titles, organisations/parks/companies and people.

Chinese names carry their class in their last word (…厅, …有限公司, …高新区), so an
organisation is found at its suffix and grown leftwards until a grammar word,
punctuation or a time word stops it (places inside are stepped over whole). People
are found next to titles (副厅长王某, 王某副市长), then wherever a found name recurs.
Everything here is vocabulary-driven; no name of any article is known in advance.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc

from kg.pipeline import regions
from kg.pipeline.resources import (
    Found,
    WordIndex,
    lengths_by_first,
    lexicon,
    lexicon_map,
    occurrences,
    org_suffixes,
    stopwords,
    surnames,
    titles,
    words,
)
from kg.pipeline.state import DocState, Mention, state

_HAN = re.compile(r"[\u3400-\u9fff]")
_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
_MAX_NAME = 32
_NUMERALS = re.compile(r"[0-9一二三四五六七八九十百千万两零〇]")
# The word lists behind these rules are sections of resources/lexicon.txt (see there for each).
_NOT_SUFFIX = frozenset(lexicon("not_suffix_words"))
_NOT_NAME_END = frozenset(lexicon("not_name_endings"))
_CONJ = lexicon("name_conjunctions")
_COUNTERS = frozenset(lexicon("counter_chars"))
_NOT_GIVEN = frozenset(lexicon("not_given_name_end"))
_NOT_BEFORE = lexicon_map("not_before_suffix")
_DIVISION = frozenset(lexicon("division_suffixes"))
_WHOLE_NAMES = frozenset(lexicon("whole_names"))
_LEVEL_CHARS = frozenset(w for w in lexicon_map("level_words") if len(w) == 1)
_RANKS = lexicon("rank_words")
_PARTY_PREFIX = "中共"
_JOINT_STOCK = "股份有限公司"


@cache
def _title_index() -> WordIndex:
    return WordIndex(titles())


@cache
def _suffix_index() -> WordIndex:
    return WordIndex(org_suffixes())


@dataclass(frozen=True)
class _Vocab:
    """The article's title words and name suffixes, found once and read sentence by sentence."""

    titles: Found
    suffixes: Found


def _cover(mentions: Iterable[Mention]) -> set[int]:
    """The offsets inside ``mentions``, filled range by range (hot: no loop over offsets in Python)."""
    out: set[int] = set()
    for m in mentions:
        out.update(range(m.start, m.end))
    return out


def find_titles(text: str, start: int, end: int, places: list[Mention], found: _Vocab) -> list[Mention]:
    """Longest title words in ``text[start:end]``; 党委… after a place is a body, not a title.

    A title word that begins a longer name suffix (主任 in 主任委员会…) is not a title there.
    """
    vocab, out, i = titles(), [], start
    for at, lengths in found.titles.within(start, end):
        if at < i:
            continue
        suffix = found.suffixes.longest_at(at)
        for n in lengths:
            w = text[at:at + n]
            if suffix >= 3 and suffix > n:
                continue
            if w.startswith("党委") and _party_body(text, at, places):
                continue
            out.append(Mention(at, at + n, w, "TITLE", vocab[w]))
            i = at + n
            break
    return out


_STOPWORDS = stopwords()
# Last character → the lengths (five at most, longest first) of the stop words ending in it.
_STOP_LENGTHS = lengths_by_first(w[::-1] for w in _STOPWORDS if len(w) <= 5)


def _ends_with_stop(text: str, pos: int, lo: int) -> str | None:
    """The stop word (five characters at most) ending exactly at ``pos``, longest first, if any."""
    if pos <= lo:
        return None
    for n in _STOP_LENGTHS.get(text[pos - 1], ()):
        if pos - n >= lo and (w := text[pos - n:pos]) in _STOPWORDS:
            return w
    return None


class NameGrower:
    """Grows a name leftwards from its suffix over one sentence."""

    def __init__(self, text: str, lo: int, places: list[Mention], titles_: list[Mention]) -> None:
        self.text, self.lo = text, lo
        self.place_at_end = {p.end: p for p in places}
        self.title_ends = {t.end for t in titles_}
        self.suffix_ends: set[int] = set()
        self.name_at_end: dict[int, int] = {}
        """Start of each name already grown, by its end: a longer name steps over it whole."""

    def _bracket_place(self, pos: int) -> int | None:
        """Start of a bracketed place such as (云南) ending at ``pos``, if there is one."""
        if self.text[pos - 1] not in ")）":
            return None
        open_at = max(self.text.rfind("(", self.lo, pos), self.text.rfind("（", self.lo, pos))
        inner = pos - 1
        if open_at == -1 or (inner in self.place_at_end and self.place_at_end[inner].start == open_at + 1):
            return open_at if open_at != -1 else None
        return None

    def grow(self, suffix_start: int) -> int:
        """Leftmost start of the name whose suffix begins at ``suffix_start``."""
        text, lo, pos = self.text, self.lo, suffix_start
        place_at_end, name_at_end = self.place_at_end, self.name_at_end  # read at every character: hot
        floor = max(lo, suffix_start - _MAX_NAME)  # a name is at most _MAX_NAME long
        while pos > floor:
            if pos in place_at_end:
                pos = place_at_end[pos].start
                if text[pos - 1:pos] == "原" and pos - 1 >= lo:
                    break  # 原某省科技厅: "former", not part of the name
                continue
            if name_at_end.get(pos, pos) < pos:
                pos = name_at_end[pos]
                continue
            if pos in self.title_ends:
                break
            c = text[pos - 1]
            b = self._bracket_place(pos) if c in ")）" else None
            if b is not None:
                pos = b
                continue
            if not "\u3400" <= c <= "\u9fff":  # not a Han character (the test of _HAN, inline: hot)
                break
            if c in _COUNTERS and pos - 2 >= lo and _NUMERALS.match(text[pos - 2]):
                break
            stop = _ends_with_stop(text, pos, lo) if c in _STOP_LENGTHS else None  # most characters end none
            if stop:
                if stop in _CONJ and (back := self._through_conjunction(pos - len(stop), suffix_start)) is not None:
                    pos = back
                    continue
                break
            pos -= 1
        return pos

    def _through_conjunction(self, pos: int, suffix_start: int) -> int | None:
        """Where a name continues left of 和/与/及 at ``pos``, if it hangs on a body or place.

        Only a plain modifier may stand between the conjunction and the suffix (科技和知识产权局),
        not another place or body (科技厅和某市政府 are two names).
        """
        text, p = self.text, pos
        right = range(pos + 1, suffix_start + 1)
        if suffix_start <= pos + 1 or any(i in self.place_at_end or i in self.suffix_ends for i in right):
            return None
        while p > self.lo and pos - p < 6 and _HAN.match(text[p - 1]) and not _ends_with_stop(text, p, self.lo):
            p -= 1
            if p in self.place_at_end or p in self.suffix_ends:
                return p
            if text[p - 1:p] in _LEVEL_CHARS and (p - 1 == self.lo or not _HAN.match(text[p - 2])):
                return p - 1
        return None


def find_orgs(text: str, lo: int, hi: int, places: list[Mention], titles_: list[Mention],
              found: _Vocab) -> list[Mention]:
    """Organisation, company and park names in one sentence, nested ones included."""
    hits = _suffixes_in(text, lo, hi, places, titles_, found)
    if not hits:  # about a third of the sentences: nothing ends like a name
        return []
    grower = NameGrower(text, lo, places, titles_)
    grower.suffix_ends.update(e for _, e, _ in hits)
    suffixes = org_suffixes()
    out = []
    for s, e, w in hits:
        start = s if w in _WHOLE_NAMES else grower.grow(s)
        cls, min_len = suffixes[w]
        if cls in ("Park", "Company") and text.startswith(_PARTY_PREFIX, start, s):
            start += len(_PARTY_PREFIX)  # 中共某高新区工委: the party prefix belongs to the committee
        grower.name_at_end[e] = start
        name = text[start:e]
        if e - start < min_len or (name == w and len(w) < 3):
            continue
        if any(map(str.isdigit, name)) or (cls in ("Park", "Organization") and _generic(name, w, places)):
            continue
        out.append(Mention(start, e, name, "ORG", cls, suffix=w))
    return [o for o in out if o.suffix not in _DIVISION or _division_ok(o, out, places, titles_, text)]


def _suffixes_in(text: str, lo: int, hi: int, places: list[Mention], titles_: list[Mention],
                 found: _Vocab) -> list[tuple[int, int, str]]:
    """``(start, end, suffix)`` of the name suffixes of one sentence: the longest that may end a
    name at each position, left to right, never overlapping.

    A suffix inside a title word does not count, nor one a grammar word runs across (举办).
    """
    in_title = _cover(titles_)
    hits: list[tuple[int, int, str]] = []
    i = lo
    for at, lengths in found.suffixes.within(lo, hi):
        if at < i or at in in_title:
            continue
        for n in lengths:
            w, end = text[at:at + n], at + n
            if n == 1 and (text[at:at + 2] in _NOT_SUFFIX or (end in in_title and text[at + 1:at + 2] == "长"
                           and text[at - 1:at] != w)):
                continue
            if w == "委" and text[at - 1:at] == "党" and not _party_body(text, at - 1, places):
                continue
            if text[end - 2:end] in _NOT_NAME_END or _stop_across(text, at, end, lo):
                continue
            if text[end:end + 1] and text[end] in _NOT_BEFORE.get(w[-1], ""):
                continue
            hits.append((at, end, w))
            i = end
            break
    return hits


@cache
def _generic_modifiers() -> tuple[frozenset[str], dict[str, tuple[int, ...]]]:
    """The generic modifiers, and their lengths by first character (longest first)."""
    ws = words("generic_modifiers.txt")
    return ws, lengths_by_first(ws)


def _generic(name: str, suffix: str, places: list[Mention]) -> bool:
    """A category rather than a name: 省级众创空间, 国家高新区, or a province's 高新区."""
    rest = name[: len(name) - len(suffix)]
    modifiers, lengths = _generic_modifiers()
    while rest:  # strip the longest modifier in front, as long as there is one
        n = next((n for n in lengths.get(rest[0], ()) if rest[:n] in modifiers), 0)
        if not n:
            break
        rest = rest[n:]
    if not rest or name.startswith(_RANKS):
        return True
    province = next((p for p in places if p.text == rest and p.division and p.division.level == "province"), None)
    return province is not None and suffix in ("高新区", "开发区", "高新技术产业开发区", "经开区")


def _division_ok(o: Mention, orgs: list[Mention], places: list[Mention], titles_: list[Mention], text: str) -> bool:
    """Whether a 处/科/办 name is really a division: it has a parent, a list or a title beside it."""
    if any(x is not o and x.start >= o.start and x.end < o.end for x in orgs + places):
        return True
    if any(t.start == o.end for t in titles_):
        return True
    return text[o.start - 1:o.start] == "、" or text[o.end:o.end + 1] == "、"


def _stop_across(text: str, s: int, e: int, lo: int) -> bool:
    """Whether a grammar word ends at ``e`` and begins before ``s`` (举办 is not a name ending in 办)."""
    stop = _ends_with_stop(text, e, lo)
    return stop is not None and e - len(stop) < s


def _party_body(text: str, at: int, places: list[Mention]) -> bool:
    """Whether 党委 at ``at`` is a region's party committee (自治区党委, 某某市党委)."""
    return any(p.end == at for p in places) or text[at - 3:at] == "自治区"


# --- people ---------------------------------------------------------------------

_SURNAMES = surnames()
# Words that follow a personal name, and their lengths by first character.
_AFTER_NAME = words("after_name.txt")
_AFTER_NAME_LENGTHS = lengths_by_first(_AFTER_NAME)


def _follow_score(text: str, pos: int, boundaries: set[int]) -> int:
    """How well a name ending at ``pos`` is followed: punctuation, a verb of reporting, a word break."""
    if pos >= len(text) or not _HAN.match(text[pos]):
        score = 3
    else:
        after = _AFTER_NAME_LENGTHS.get(text[pos], ())
        score = 2 if any(text[pos:pos + n] in _AFTER_NAME for n in after) else 0
    return score + (1 if pos in boundaries else 0)


def person_at(text: str, pos: int, hi: int, boundaries: set[int], blocked: set[int]) -> tuple[int, int] | None:
    """A personal name starting at ``pos`` (family name + one or two characters)."""
    fam = next((n for n in (2, 1) if text[pos:pos + n] in _SURNAMES), 0)
    if not fam:
        return None
    best, best_score = None, 0
    for given in (2, 1):
        end = pos + fam + given
        if end > hi or not _HAN_RUN.fullmatch(text[pos:end]) or not blocked.isdisjoint(range(pos, end)):
            continue
        if text[end - 1] in _NOT_GIVEN:
            continue
        score = _follow_score(text, end, boundaries)
        if score > best_score or (score == best_score and best is not None and given == 2 and score >= 3):
            best, best_score = (pos, end), score
    if best is None or best_score < 2:
        return None
    return None if _not_a_name(text[best[0]:best[1]]) else best


def person_before(
    text: str, end: int, lo: int, blocked: set[int], *, after_grammar: bool = False
) -> tuple[int, int] | None:
    """A personal name ending at ``end`` that opens a clause (王某副市长到…), or with ``after_grammar``
    also one that follows a grammar word (由王某(…)主持)."""
    for size in (3, 2, 4):
        s = end - size
        if s < lo or not blocked.isdisjoint(range(s, end)):
            continue
        prev = text[s - 1] if s > lo else ""
        grammar = after_grammar and _ends_with_stop(text, s, lo)
        if prev and ((_HAN.match(prev) and not grammar) or (prev.isascii() and prev.isalnum())):
            continue
        if (text[s:s + 2] in _SURNAMES or text[s] in _SURNAMES) and _HAN_RUN.fullmatch(text[s:end]):
            return None if _not_a_name(text[s:end]) else (s, end)
    return None


_SUFFIX_SIZES = tuple(sorted({len(s) for s in org_suffixes()}))


def _not_a_name(word: str) -> bool:
    """Title words, grammar words and organisation words that look like a family name + name."""
    suffixes = org_suffixes()
    return word in titles() or word in _STOPWORDS or any(word[-n:] in suffixes for n in _SUFFIX_SIZES)


def find_people(doc: Doc, st: DocState) -> list[Mention]:
    """People next to titles, in lists with known people, then every recurrence."""
    text = st.text
    boundaries = set(doc.to_array(IDX).tolist())  # no Token objects: this is hot
    boundaries.add(len(text))
    titles_ = [m for m in st.mentions if m.kind == "TITLE"]
    blocked = _cover(m for m in st.mentions if m.kind in ("ORG", "PLACE", "TITLE"))
    names: dict[str, str] = {}
    for t in titles_:
        sent = st.sentence_of(t.start)
        hit = person_at(text, t.end, sent.end, boundaries, blocked)
        if hit is None and _follow_score(text, t.end, boundaries) >= 2:
            hit = person_before(text, t.start, sent.start, blocked)
        opened = text.rfind("(", sent.start, t.start)
        if hit is None and opened != -1 and ")" not in text[opened:t.start]:
            hit = person_before(text, opened, sent.start, blocked, after_grammar=True)  # 王某(省科技厅厅长)
        if hit:
            names[text[hit[0]:hit[1]]] = "title"
    # list members beside a known person: 王某、李某陪同
    for _ in range(2):
        for name in list(names):
            for at in occurrences(text, name):
                end = at + len(name)
                for nxt in (end + 1,):
                    if text[end:nxt] in ("、", "和") and nxt < len(text):
                        hit = person_at(text, nxt, len(text), boundaries, blocked)
                        if hit and text[hit[0]:hit[1]] not in names and text[hit[1]:hit[1] + 1] not in _CONJ:
                            names[text[hit[0]:hit[1]]] = "list"
    out = []
    for name in sorted(names, key=len, reverse=True):
        for s in occurrences(text, name):
            e = s + len(name)
            if not blocked.isdisjoint(range(s, e)):
                continue
            out.append(Mention(s, e, name, "PERSON", "Person"))
            blocked.update(range(s, e))
    return out


# --- the component --------------------------------------------------------------

def find_place_mentions(text: str, st: DocState) -> list[Mention]:
    """Division names with the home region inferred, county short forms gated by context."""
    hits, st.home = regions.find_article_places(text)
    return [Mention(h.start, h.end, h.text, "PLACE", "Place", division=regions.choose(h, st.home)) for h in hits]


def find_short_companies(text: str, mentions: list[Mention]) -> list[Mention]:
    """某某股份 for a 某省某某科技股份有限公司 of the article: its first words (2 to 4) and 股份.

    Reports name a joint-stock company so after its full name (as its shares are
    listed). 股份 alone ends too many phrases (持有股份, 上市公司股份) to be a suffix,
    so only the short forms of the article's own companies are looked for; the
    resolver then makes each the company it stands for.
    """
    stems = {body[:n] for m in mentions if m.kind == "ORG" and m.text.endswith(_JOINT_STOCK)
             for body in (regions.without_leading_places(m.text),) for n in (2, 3, 4) if len(body) >= n + 6}
    if not stems:  # most articles: no joint-stock company, nothing to look for
        return []
    taken = _cover(mentions)
    found = []
    for stem in sorted(stems):
        short = stem + "股份"
        for at in _short_forms(text, short):
            if taken.isdisjoint(range(at, at + len(short))):
                found.append(Mention(at, at + len(short), short, "ORG", "Company", suffix="股份"))
                taken.update(range(at, at + len(short)))
    return found


def _short_forms(text: str, short: str) -> Iterator[int]:
    """Starts of ``short`` not followed by 有限 (the full name), left to right, never overlapping.

    The scan ``re.finditer(re.escape(short) + "(?!有限)", text)`` makes, by ``str.find``:
    a pattern made per article would be compiled anew in every article.
    """
    at = text.find(short)
    while at != -1:
        if text.startswith("有限", at + len(short)):
            at = text.find(short, at + 1)
        else:
            yield at
            at = text.find(short, at + len(short))


@Language.component("kg_mentions", assigns=["doc._.kg"], requires=["doc._.kg"])
def kg_mentions(doc: Doc) -> Doc:
    """Write places, titles, organisations and people to ``doc._.kg.mentions``."""
    st = state(doc)
    text = st.text
    places = find_place_mentions(text, st)
    mentions: list[Mention] = list(places)
    place_starts = [p.start for p in places]  # found left to right, so in order
    found = _Vocab(_title_index().find(text), _suffix_index().find(text))
    for sent in st.sentences:
        ps = places[bisect_left(place_starts, sent.start):bisect_left(place_starts, sent.end)]
        ts = find_titles(text, sent.start, sent.end, ps, found)
        orgs = find_orgs(text, sent.start, sent.end, ps, ts, found)
        if ts and orgs:
            org_cover = _cover(orgs)
            ts = [t for t in ts if t.start not in org_cover]
        mentions += ts + orgs
    st.mentions = mentions + find_short_companies(text, mentions)
    st.mentions += find_people(doc, st)
    st.mentions.sort(key=lambda m: (m.start, -m.end, m.kind))
    return doc
