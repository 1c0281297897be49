"""In-document resolution: every surface form of one real thing becomes one entity.

省科技厅 and 湖南省科技厅, 长沙高新区 and 长沙国家高新技术产业开发区, 市政府 and 长沙市人民政府
name one body each. Names are reduced to a *key* (regions to their division codes,
long official forms to short ones) and mentions with one key share one entity. The
canonical label is the fullest form, with implied parts spelled out (中共…委员会,
…人民政府); every other form becomes an alias. Organisations built on another
(某部某中心 on 某部) yield subOrganizationOf, 管委会 yield manages, and names that
start with a place yield locatedIn.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from kg.model import Entity, Extraction, Relation
from kg.pipeline import regions
from kg.pipeline.resources import Division, divisions, lexicon, lexicon_map, occurrences
from kg.pipeline.state import DocState, Mention, outermost, state

# Long official wordings and their everyday short forms (lexicon.txt: name_synonyms).
SYNONYMS = tuple(lexicon_map("name_synonyms").items())
_PARTY_TAIL = re.compile(r"(?:党委|委)$")
# Organisation suffixes a bare mention (高新区, 管委会) may stand for when one body has it.
_BARE = lexicon("bare_reference_suffixes")
# 某区科技型企业某公司: a place, a few words describing the company, the company.
_DESCRIPTOR = re.compile(r"[\u4e00-\u9fff]{0,6}企业")
# Classes whose names, inside a longer name of the same class, are that one entity.
_NESTED_CLASSES = frozenset({"Company", "Organization"})
# Which children of which parents are units of them (subOrganizationOf).
_UNIT_PARENTS = frozenset({"Agency", "Organization"})
# A company's short name: its first words (2 to 4 characters) and one of these.
_SHORT_COMPANY = lexicon("company_short_suffixes")


def _level_word(name: str) -> str | None:
    """The bare level word a name opens with (省科技厅 → 省); not a rank such as 省级."""
    for w in regions.LEVEL_WORDS:
        if name.startswith(w) and name[len(w):len(w) + 1] != "级":
            return w
    return None


def home_region(home: dict[str, Division], level: str) -> Division | None:
    """What 省/市/区 mean in this article; in a municipality (重庆市) 市 is the province itself."""
    d = home.get(level)
    if d is None and level == "city" and (p := home.get("province")) is not None and p.name.endswith("市"):
        return p
    return d


def full_place_name(d: Division) -> str:
    """A division named so it cannot be mistaken: counties carry their city (长沙市岳麓区)."""
    up = regions.parent(d)
    if d.level == "county" and up is not None and up.level == "city":
        return up.name + d.name
    return d.name


class Resolver:
    """Turns one document's mentions into entities and their structural relations."""

    def __init__(self, st: DocState, text: str) -> None:
        self.st, self.text = st, text
        self.places = sorted((m for m in st.mentions if m.kind == "PLACE"), key=lambda m: m.start)
        self.place_starts = [p.start for p in self.places]
        self.orgs = [m for m in st.mentions if m.kind == "ORG"]
        self.entities: dict[str, Entity] = {}
        self.by_key: dict[str, str] = {}
        self.relations: list[Relation] = []
        self._org_index: tuple[list[Mention], int, list[int], list[int], int] | None = None
        self._keys: dict[str, tuple[str, str, tuple[str, ...], Division | None]] = {}
        """:meth:`key_of` of each name asked about."""

    # -- keys and names ---------------------------------------------------------

    def _places_in(self, m: Mention) -> list[Mention]:
        inside = self.places[bisect_left(self.place_starts, m.start):bisect_left(self.place_starts, m.end)]
        return [p for p in inside if p.end <= m.end]

    def _expand(self, text: str) -> tuple[str, Division | None]:
        """The name with a leading bare level word replaced by the home region; its region."""
        hits = regions.find_places(text)
        if hits and hits[0].start == 0:
            region, end = hits[0], hits[0].end
            for h in hits[1:]:
                if h.start == end:
                    region, end = h, h.end
            return text, regions.choose(region, self.st.home)
        word = _level_word(text)
        if word and (home := home_region(self.st.home, regions.LEVEL_WORDS[word])) is not None:
            return home.name + text[len(word):], home
        return text, None

    def key_of(self, text: str) -> tuple[str, str, tuple[str, ...], Division | None]:
        """(key, canonical name, aliases, region) of an organisation's name.

        Worked out once per name and article, since an article repeats its bodies' names
        (the aliases are a tuple: callers share them).
        """
        known = self._keys.get(text)
        if known is None:
            known = self._keys[text] = self._key(text)
        return known

    def _key(self, text: str) -> tuple[str, str, tuple[str, ...], Division | None]:
        """:meth:`key_of`, worked out."""
        name, region = self._expand(text)
        aliases = (text,) if name != text else ()
        body = regions.without_leading_places(name) if region is not None else name
        if region is not None and _PARTY_TAIL.search(body) and body in ("委", "党委", "市委", "州委", "区委",
                                                                      "县委", "省委"):
            canonical = f"中共{full_place_name(region)}委员会"
            return f"party:{region.code}", canonical, (*aliases, name), region
        if region is not None and body in ("政府", "人民政府"):
            canonical = f"{region.name}人民政府"
            return f"gov:{region.code}", canonical, (*aliases, name, f"{region.name}政府"), region
        if body.endswith("党工委"):
            zone = body[: -len("党工委")].removesuffix("管委会")
            canonical = (region.name if region and name.startswith(region.name) else
                         name[: len(name) - len(body)]) + zone + "党工委"
            return "org:" + self._normal(canonical), canonical, (*aliases, name), region
        key_text = self._normal((f"#{region.code}" if region else "") + body)
        return f"org:{key_text}", name, aliases, region

    @staticmethod
    @lru_cache(maxsize=65536)
    def _normal(s: str) -> str:
        """A name with its long words shortened (SYNONYMS), so spellings compare equal."""
        for long, short in SYNONYMS:
            s = s.replace(long, short)
        return s

    # -- entities ---------------------------------------------------------------

    def _add(self, key: str, etype: str, name: str, aliases: Iterable[str], m: Mention | None) -> str:
        ekey = self.by_key.get(key)
        if ekey is None:
            ekey = "e" + hashlib.sha1(key.encode()).hexdigest()[:10]
            self.by_key[key] = ekey
            self.entities[ekey] = Entity(key=ekey, type=etype, name=name, context=key)
        ent = self.entities[ekey]
        forms = {name, *aliases}
        if m is not None:
            forms.add(m.text)
        if len(forms) > 1 or ent.name not in forms:  # a new spelling: the longest is the name, the others aliases
            best = max(forms | {ent.name}, key=lambda s: (len(s), s))
            # derived names (中共…委员会, …人民政府, …党工委, a division's name) are canonical as built
            fixed = key.startswith(("party:", "gov:", "place:")) or ent.name.endswith("党工委")
            if best != ent.name and not fixed:
                ent.aliases.add(ent.name)
                ent.name = best
            ent.aliases |= forms - {ent.name}
        if etype == "Agency" and ent.type == "Organization":
            ent.type = etype
        if m is not None:
            ent.mentions.append(m.span)
            m.key = ekey
        return ekey

    def place(self, d: Division) -> str:
        """Key of the Place entity for a division, created if the text only implied it."""
        return self._add(f"place:{d.code}", "Place", d.name, [], None)

    def place_entity(self, m: Mention) -> str:
        d = m.division
        assert d is not None
        name = d.name
        return self._add(f"place:{d.code}", "Place", name, [m.text], m)

    def org_entity(self, m: Mention) -> str:
        if m.full:
            key, name, aliases, _ = self.key_of(m.full)
            return self._add(key, m.cls, name, [*aliases, m.text], m)
        key, name, aliases, _ = self.key_of(m.text)
        return self._add(key, m.cls, name, aliases, m)

    def government(self, region: Division) -> str:
        """The region's 人民政府, created on demand for a title that implies it (副市长)."""
        key, name, aliases, _ = self.key_of(f"{region.name}人民政府")
        return self._add(key, "Agency", name, [a for a in aliases if a != name], None)

    def region_of(self, m: Mention) -> Division | None:
        """The division a place, a government, a party committee or a place-led name stands for."""
        if m.kind == "PLACE":
            return m.division
        ent = self.entities.get(m.key or "")
        if ent and ent.context.startswith(("party:", "gov:")):
            return divisions().get(ent.context.split(":", 1)[1])
        inner = self._places_in(m)
        return inner[-1].division if inner else None

    def person_entity(self, m: Mention) -> str:
        return self._add(f"person:{m.text}", "Person", m.text, [], m)

    # -- structure --------------------------------------------------------------

    def _inner_orgs(self, m: Mention) -> list[Mention]:
        """Organisation mentions inside ``m``'s name, in ``self.orgs`` order."""
        by_start, starts, _ = self._orgs_by_start()
        inside = by_start[bisect_left(starts, m.start):bisect_left(starts, m.end)]
        return [self.orgs[i] for i in sorted(i for i in inside if self.orgs[i] is not m and self.orgs[i].end < m.end)]

    def _head(self, m: Mention) -> Mention | None:
        """The longest organisation name ``m``'s name opens with (某部 in 某部某中心), if any.

        Only names starting where ``m`` starts can be it, so one bisection finds them
        (in ``self.orgs`` order, the first of equally long ones winning).
        """
        by_start, starts, _ = self._orgs_by_start()
        head = None
        for i in by_start[bisect_left(starts, m.start):bisect_right(starts, m.start)]:
            o = self.orgs[i]
            if o is not m and o.end < m.end and (head is None or o.end > head.end):
                head = o
        return head

    def _orgs_by_start(self) -> tuple[list[int], list[int], int]:
        """Indexes into ``self.orgs`` sorted by start, the starts, and the longest name's length.

        Rebuilt when ``orgs`` changes; kept because every place and organisation asks
        (a scan per question made a mention-dense 1 MB article quadratic).
        """
        if self._org_index is None or self._org_index[0] is not self.orgs or len(self.orgs) != self._org_index[1]:
            order = sorted(range(len(self.orgs)), key=lambda i: self.orgs[i].start)
            longest = max((o.end - o.start for o in self.orgs), default=0)
            self._org_index = (self.orgs, len(self.orgs), order, [self.orgs[i].start for i in order], longest)
        return self._org_index[2], self._org_index[3], self._org_index[4]

    def _relate(self, s: str | None, p: str, o: str | None, m: Mention) -> None:
        if s and o and s != o:
            sent = self.st.sentence_of(m.start)
            self.relations.append(Relation(s, p, o, sent))

    def structure(self) -> None:
        """subOrganizationOf, manages and locatedIn from how names are built."""
        for m in self.orgs:
            parent = m.parent if m.parent is not None else self._head(m)
            if m.suffix in ("管委会", "管理委员会"):
                park = next((o for o in self._inner_orgs(m) if o.cls == "Park"), None)
                if park is not None:
                    self._relate(m.key, "manages", park.key, m)
                    parent = None
            if m.suffix == "党工委":
                parent = None
            if parent is not None and parent.cls in _UNIT_PARENTS and m.cls in _UNIT_PARENTS:
                self._relate(m.key, "subOrganizationOf", parent.key, m)
                unit = m.text[parent.end - m.start:] if parent.start == m.start else ""
                if len(unit) >= 2 and m.key:
                    self.entities[m.key].aliases.add(unit)
                if parent.cls == "Agency":
                    self.entities[m.key].type = "Agency"
                continue
            if parent is not None:
                continue
            places = self._places_in(m)
            if places and m.cls != "Agency":  # a body's region is its name, not a fact the text states
                self._relate(m.key, "locatedIn", places[-1].key, m)
        for a, b in zip(self.places, self.places[1:], strict=False):
            if a.end == b.start and a.division and b.division and b.division.parent == a.division.code:
                self._relate(b.key, "locatedIn", a.key, b)
        self._stated_locations()

    def _stated_locations(self) -> None:
        """X内的Y (a park inside a park) and 某区科技型企业Y (a company of a place): Y locatedIn X."""
        tops = outermost([m for m in self.st.mentions if m.kind in ("ORG", "PLACE") and m.key])
        for a, b in itertools.pairwise(tops):
            gap = self.text[a.end:b.start]
            inside = gap in ("内的", "内") and a.cls == "Park" and b.cls in ("Park", "Company", "Organization")
            described = a.kind == "PLACE" and b.cls == "Company" and _DESCRIPTOR.fullmatch(gap)
            if inside or described:
                self._relate(b.key, "locatedIn", a.key, b)

    def lists(self) -> None:
        """Units listed after a unit of some parent share that parent (甲处、乙处)."""
        for i, m in enumerate(self.orgs):
            if self.text[m.start - 1:m.start] != "、" or m.parent is not None or self._inner_orgs(m):
                continue
            prev = next((o for o in reversed(self.orgs[:i]) if o.end == m.start - 1), None)
            if prev is None:
                continue
            parent = prev.parent or self._head(prev)
            if parent is not None and parent.cls == "Agency" and m.cls == "Agency":
                m.parent, m.full = parent, parent.text + m.text

    def bare_references(self) -> None:
        """高新区, 管委会 … on their own point to the one body of the article that has that suffix.

        Most suffix words are not in the text at all: one substring test passes over them.
        """
        covered: set[int] = set()
        for m in self.st.mentions:
            covered.update(range(m.start, m.end))
        names = {o.key: self._normal(self.entities[o.key].name) for o in self.orgs if o.key}
        for word in _BARE:
            if word not in self.text:
                continue
            owners = {key for key, name in names.items() if name.endswith(word)}
            if len(owners) != 1:
                continue
            (owner,) = owners
            for at in occurrences(self.text, word):
                if at in covered:
                    continue
                m = Mention(at, at + len(word), word, "ORG", self.entities[owner].type, key=owner)
                self.entities[owner].aliases.add(word)
                self.entities[owner].mentions.append(m.span)
                self.st.mentions.append(m)

    def _drop_nested_duplicates(self) -> None:
        """A company inside a company's name (某某股份有限公司某某分公司) is not a second entity.

        The same holds for an organisation inside an organisation's name; other classes nest.
        """
        by_start, starts, longest = self._orgs_by_start()

        def nested(m: Mention) -> bool:
            if m.cls not in _NESTED_CLASSES:
                return False
            # an enclosing name starts at most `longest` before m ends, and not after m starts
            window = by_start[bisect_left(starts, m.end - longest):bisect_right(starts, m.start)]
            return any(o is not m and o.cls == m.cls and m.end <= o.end and (o.start, o.end) != (m.start, m.end)
                       for o in (self.orgs[i] for i in window))

        kept = [m for m in self.orgs if not nested(m)]
        if len(kept) < len(self.orgs):  # only then: a new list makes the start index be built again
            self.orgs = kept

    def _wanted_place(self, p: Mention) -> bool:
        """Places named on their own, or inside a park's or a body's name (where locatedIn needs them)."""
        if p.division is None or p.division.level == "nation":
            return False
        by_start, starts, longest = self._orgs_by_start()
        window = by_start[bisect_left(starts, p.end - longest):bisect_right(starts, p.start)]
        hosts = [o for o in (self.orgs[i] for i in window) if p.end <= o.end]
        return not hosts or any(o.cls in ("Park", "Agency") for o in hosts)

    def _bare_owner(self, word: str) -> str | None:
        """The one entity of the article whose name ends in a bare suffix word, if exactly one."""
        owners = {k for k, e in self.entities.items() if e.type != "Place" and self._normal(e.name).endswith(word)}
        return owners.pop() if len(owners) == 1 else None

    def _organisations(self) -> None:
        """Entities for names, then for bare words (管委会) and units named after them (管委会某某部)."""
        bare = [m for m in self.orgs if self._normal(m.text) in _BARE]
        on_bare = [m for m in self.orgs if self._normal(m.text) not in _BARE and any(
            b.start == m.start and b.end < m.end for b in bare)]
        later = {id(m) for m in (*bare, *on_bare)}  # by identity: a Mention compares field by field
        for m in self.orgs:
            if id(m) not in later:
                self.org_entity(m)
        for m in bare:
            owner = self._bare_owner(self._normal(m.text))
            if owner is None:
                self.org_entity(m)
                continue
            m.key = owner
            self.entities[owner].aliases.add(m.text)
            self.entities[owner].mentions.append(m.span)
        for m in on_bare:
            head = max((b for b in bare if b.start == m.start and b.end < m.end), key=lambda b: b.end)
            if head.key and self.entities[head.key].name != head.text:
                m.full = self.entities[head.key].name + m.text[head.end - m.start:]
            self.org_entity(m)

    def _merge_suffix_names(self) -> None:
        """A name that ends another name of the same class (某某基地 in 甲院某某基地) is that entity.

        The longer names are looked up by their endings (four characters or more, indexed
        once), not found by comparing every pair of names.
        """
        ents = self.entities
        ending_of: dict[str, list[str]] = {}
        for k, e in ents.items():
            for i in range(1, len(e.name) - 3):
                ending_of.setdefault(e.name[i:], []).append(k)
        for short_key, short in sorted(ents.items()):
            if short.type in ("Place", "Person") or len(short.name) < 4 or short_key not in ents:
                continue
            longer = [k for k in ending_of.get(short.name, ()) if k in ents and ents[k].type == short.type]
            if len(longer) == 1:
                self._merge(short_key, longer[0])

    def _merge_short_company_names(self) -> None:
        """某某集团 after 某省某某科技集团有限公司 is that company: its first words and 集团 or 公司.

        The words must open the full name once its place is set aside, and only one
        company of the article may have them (otherwise the short name stays its own).
        """
        ents = self.entities
        companies = {k: regions.without_leading_places(e.name) for k, e in ents.items() if e.type == "Company"}
        for short_key, body in sorted(companies.items()):
            suffix = next((w for w in _SHORT_COMPANY if body.endswith(w)), None)
            stem = body[: -len(suffix)] if suffix else ""
            if not 2 <= len(stem) <= 4:
                continue
            longer = [k for k, b in companies.items() if k != short_key and k in ents
                      and b.startswith(stem) and len(b) > len(body) and b.endswith("公司")]
            if len(longer) == 1:
                self._merge(short_key, longer[0])

    def _merge(self, short_key: str, long_key: str) -> None:
        """Entity ``short_key`` is entity ``long_key``: its names become aliases, its mentions move."""
        short, target = self.entities.pop(short_key), self.entities[long_key]
        target.aliases |= short.aliases | {short.name}
        target.mentions += short.mentions
        for m in self.st.mentions:
            if m.key == short_key:
                m.key = long_key

    def run(self) -> None:
        self._drop_nested_duplicates()
        for p in self.places:
            if self._wanted_place(p):
                self.place_entity(p)
        self.lists()
        self._organisations()
        self._merge_suffix_names()
        self._merge_short_company_names()
        for m in self.st.mentions:
            if m.kind == "PERSON":
                self.person_entity(m)
        self.structure()
        self.bare_references()
        for e in self.entities.values():
            e.aliases.discard(e.name)


@Language.component("kg_resolve", assigns=["doc._.kg"], requires=["doc._.kg"])
def kg_resolve(doc: Doc) -> Doc:
    """Merge mentions into entities on ``doc._.kg.extraction``."""
    st = state(doc)
    r = Resolver(st, st.text)
    r.run()
    st.resolver = r
    st.extraction = Extraction(doc_id=st.doc_id, meta=st.meta, entities=r.entities, relations=r.relations)
    return doc

