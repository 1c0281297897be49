"""Places: administrative divisions found by name, and the article's home region.

A news report says 省科技厅 and means the province it is about; this module finds
every division the text names (full names, and short forms that are safe) and
infers that home region per level, so later components can expand 省/市/区.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from kg.pipeline.resources import Division, Found, WordIndex, divisions, lexicon_map

LEVELS = ("province", "city", "county")
NATION = Division("000000", "全国", "全国", "nation", "")
# Words for "the whole region of this level" (the area of figures), and bare level words
# that stand for the home region before a name (省科技厅): sections of lexicon.txt.
WHOLE = lexicon_map("whole_region_words")
LEVEL_WORDS = dict(sorted(lexicon_map("level_words").items(), key=lambda kv: -len(kv[0])))


@dataclass(frozen=True)
class PlaceHit:
    """A place name found in text, with every division it may denote."""

    start: int
    end: int
    text: str
    candidates: tuple[Division, ...]


@cache
def _index() -> tuple[dict[str, tuple[Division, ...]], dict[str, tuple[Division, ...]]]:
    """Name → divisions for full names and for short forms (without county shorts)."""
    full: dict[str, list[Division]] = {}
    county_short: dict[str, list[Division]] = {}
    for d in divisions().values():
        full.setdefault(d.name, []).append(d)
        if d.short and d.short != d.name and len(d.short) >= 2:
            target = county_short if d.level == "county" else full
            target.setdefault(d.short, []).append(d)
    full.setdefault(NATION.name, []).append(NATION)
    return ({k: tuple(v) for k, v in full.items()}, {k: tuple(v) for k, v in county_short.items()})


@cache
def _full_name_index() -> WordIndex:
    """The full names and safe short forms (all two characters or more)."""
    return WordIndex(_index()[0])


@cache
def _name_index() -> WordIndex:
    """Those and every county short form: :func:`find_article_places` keeps the forms made safe."""
    full, county_short = _index()
    return WordIndex([*full, *county_short])


def parent(d: Division) -> Division | None:
    """The division one level up, if any."""
    return divisions().get(d.parent) if d.parent else None


def ancestors(d: Division) -> list[Division]:
    """Parents up to the province, nearest first."""
    out, p = [], parent(d)
    while p is not None:
        out.append(p)
        p = parent(p)
    return out


@cache
def _ancestors_by_code() -> dict[str, tuple[Division, ...]]:
    """:func:`ancestors` of every division, by code: walked once, read for every vote and choice."""
    return {code: tuple(ancestors(d)) for code, d in divisions().items()}


def _ancestors_of(d: Division) -> tuple[Division, ...]:
    """:func:`ancestors` from the table (the nation, not in the list, has none)."""
    return _ancestors_by_code().get(d.code, ())


def find_places(text: str) -> list[PlaceHit]:
    """The longest full division name (two characters or more) at each position, left to right.

    County short forms need context: :func:`find_article_places` adds them.
    """
    return list(_find_in_name(text)) if len(text) <= 40 else _scan(text)


def find_article_places(text: str) -> tuple[list[PlaceHit], dict[str, Division]]:
    """The places of a whole article (what :func:`find_places` finds, county short forms made
    safe by the cities it names, see :func:`county_shorts_for`) and its home region.

    Both scans read one overlapping scan of every name, the county short forms included,
    instead of making a scan of their own each.
    """
    found = _name_index().find(text)
    hits = _longest_names(text, found, {})
    extra = county_shorts_for(hits)
    if extra:
        hits = _longest_names(text, found, extra)
    return hits, infer_home(hits)


def _longest_names(text: str, found: Found, extra: dict[str, tuple[Division, ...]]) -> list[PlaceHit]:
    """The longest full name, or form in ``extra``, of the names ``found`` in ``text`` at each
    position, then on past it (what :func:`find_places` finds when ``extra`` is empty)."""
    names, hits, i = _index()[0], [], 0
    for at, lengths in found.within(0, len(text)):
        if at < i:
            continue
        word = next((w for n in lengths if (w := text[at:at + n]) in names or w in extra), None)
        if word is not None:
            hits.append(PlaceHit(at, at + len(word), word, names.get(word, ()) + extra.get(word, ())))
            i = at + len(word)
    return hits


def without_leading_places(name: str) -> str:
    """A name without the places it opens with (湖南长沙某某公司 → 某某公司): the body its key is made of."""
    hits = find_places(name)
    while hits and hits[0].start == 0:
        name = name[hits[0].end:]
        hits = find_places(name)
    return name


@lru_cache(maxsize=8192)
def _find_in_name(text: str) -> tuple[PlaceHit, ...]:
    """Places inside a short name: the same names recur across an article and a corpus."""
    return tuple(_scan(text))


def _scan(text: str) -> list[PlaceHit]:
    """:func:`find_places` without county short forms: a leftmost-longest match in Rust."""
    names = _index()[0]
    return [PlaceHit(s, e, text[s:e], names[text[s:e]]) for s, e in _full_name_index().longest(text)]


def infer_home(hits: list[PlaceHit]) -> dict[str, Division]:
    """The most-mentioned division per level, each level inside the one above."""
    votes: dict[str, dict[str, int]] = {lvl: {} for lvl in LEVELS}
    for h in hits:
        for d in h.candidates:
            tally = votes.get(d.level)
            if tally is None:
                continue
            tally[d.code] = tally.get(d.code, 0) + 2
            for a in _ancestors_of(d):
                above = votes[a.level]
                above[a.code] = above.get(a.code, 0) + 1
    home: dict[str, Division] = {}
    table = divisions()
    for lvl in LEVELS:
        ranked = sorted(votes[lvl].items(), key=lambda kv: (-kv[1], kv[0]))
        for code, _ in ranked:
            d = table[code]
            up = parent(d)
            if lvl == "province" or up is None or home.get(up.level) in (None, up) or \
                    (up.level == "city" and home.get("province") == parent(up)):
                home[lvl] = d
                break
    return home


@cache
def _county_shorts_by_city() -> dict[str, dict[str, tuple[Division, ...]]]:
    """City code → {county short form → the counties of that city it names}."""
    out: dict[str, dict[str, list[Division]]] = {}
    for name, cands in _index()[1].items():
        for d in cands:
            out.setdefault(d.parent, {}).setdefault(name, []).append(d)
    return {city: {n: tuple(ds) for n, ds in names.items()} for city, names in out.items()}


def county_shorts_for(hits: list[PlaceHit]) -> dict[str, tuple[Division, ...]]:
    """County short forms made safe by context: their city is named in the article."""
    cities = sorted({d.code for h in hits for d in h.candidates if d.level == "city"})
    out: dict[str, tuple[Division, ...]] = {}
    for city in cities:
        for name, cands in _county_shorts_by_city().get(city, {}).items():
            out[name] = out.get(name, ()) + cands
    return out


def choose(hit: PlaceHit, home: dict[str, Division]) -> Division:
    """The most plausible division for an ambiguous name, preferring the home region."""
    if len(hit.candidates) == 1:
        return hit.candidates[0]
    home_codes = {d.code for d in home.values()}

    def rank(d: Division) -> tuple:
        inside = d.code in home_codes or any(a.code in home_codes for a in _ancestors_of(d))
        return (not inside, LEVELS.index(d.level) if d.level in LEVELS else -1, d.name != hit.text, d.code)

    return sorted(hit.candidates, key=rank)[0]
