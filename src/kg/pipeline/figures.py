"""Figures: every reported number with its counter or unit, in base units, with what it counts.

1.56亿元 → 156000000 CNY, 236.05万平方米 → 2360500 m2, 50余位 → 50 位 with qualifier 余.
Ordinals (第七届), year spans (前6届) and dates are not figures; page counters never
reach this stage (ingestion strips the chrome). The period is the date the sentence or
its paragraph is anchored to (截至2020年底, 2021年), else the article's year; the area
is the region the sentence speaks of (全省, 全国) or the article's home region.
"""

from __future__ import annotations

import re
from decimal import Decimal

from spacy.language import Language
from spacy.tokens import Doc

from kg.model import Observation, Span
from kg.pipeline import regions
from kg.pipeline.dates import anchor_period, reference_date
from kg.pipeline.resources import alternation, lexicon, lexicon_map, stopwords
from kg.pipeline.state import DocState, state

# Units, counters, multipliers and qualifiers are sections of resources/lexicon.txt.
_UNITS = {w: (v.split(":")[0], Decimal(v.split(":")[1])) for w, v in lexicon_map("units").items()}
_COUNTERS = frozenset(lexicon("figure_counters"))
_RANK_COUNTERS = frozenset(lexicon("rank_counters"))
_MULT = {w: Decimal(v) for w, v in lexicon_map("multipliers").items()}
_QUALIFIERS_BEFORE = lexicon("qualifiers_before")
_FIGURE = re.compile(
    # A figure opens with a digit or a qualifier: this check lets the scan pass the other
    # characters at once instead of trying the whole pattern at each of them.
    rf"(?=[\d{''.join(sorted({re.escape(w[0]) for w in _QUALIFIERS_BEFORE}))}])"
    rf"(?P<pre>{alternation(_QUALIFIERS_BEFORE)})?"
    r"(?P<num>\d+(?:\.\d+)?)"
    rf"(?P<mult>{alternation(_MULT)})?"
    rf"(?P<post>{alternation(lexicon('qualifiers_after'))})?"
    rf"(?P<unit>{alternation([*_UNITS, *_COUNTERS])})"
)
_LIST_SEP = re.compile(r"、|和|及|与")
_CLAUSE = re.compile(r"[，,；;：:。！？!?、（）()“”\n]")
_THROUGH_LAST_CLAUSE = re.compile(rf".*{_CLAUSE.pattern}", re.S)  # greedy: up to the last break
_LEAD = re.compile(rf"^(?:截至[^，,]*?(?:底|末|年|月|目前)|{alternation(lexicon('period_leads'))})+")
_LONG_STOPWORDS = [w for w in stopwords() if len(w) > 1]
_OPENERS = [w for w in stopwords() if len(w) == 1 and any(long[0] == w for long in _LONG_STOPWORDS)]
# Where the words after a figure stop being what it counts: a clause break, one of 获被在为的是,
# a grammar word of two characters or more, or a one-character grammar word that could open a
# longer one (其, 以) standing last before the break. One search finds the first of them.
_PHRASE_END = re.compile(
    rf"{_CLAUSE.pattern}|[获被在为的是]|{alternation(_LONG_STOPWORDS)}"
    rf"|(?:{alternation(_OPENERS)})(?={_CLAUSE.pattern}|\Z)"
)
_ONE = Decimal(1)


def _base(num: str, mult: str | None, unit: str) -> tuple[Decimal, str]:
    value = Decimal(num) * _MULT.get(mult or "", _ONE)
    base, factor = _UNITS.get(unit, (unit, _ONE))
    value *= factor
    value = value.quantize(_ONE) if value == value.to_integral_value() else value.normalize()
    return value, base


def _measure(text: str, sent: Span, m: re.Match) -> str:
    """The noun phrase a figure counts: the words after the counter, or else before the number."""
    end = _PHRASE_END.search(text, m.end(), sent.end)
    after = text[m.end():end.start() if end else sent.end]
    if len(after) >= 2 and m.group("unit") in _COUNTERS:
        return after[:16]
    clause = _THROUGH_LAST_CLAUSE.match(text, sent.start, m.start())
    before = _LEAD.sub("", text[clause.end() if clause else sent.start:m.start()]).strip()
    return (before[-16:] or after[:16] or m.group(0)).strip()


def _area(st: DocState, text: str, sent: Span) -> str | None:
    """Key of the Place a figure is about."""
    ents = st.extraction.entities if st.extraction else {}
    chunk = text[sent.start:sent.end]
    for word, level in regions.WHOLE.items():
        if word in chunk:
            d = regions.NATION if level == "nation" else st.home.get(level)
            if d is not None:
                return st.resolver.place(d)
    home = st.home.get("province") or st.home.get("city")
    if home is None:
        return None
    key = st.resolver.place(home)
    return key if key in ents else None


@Language.component("kg_figures", assigns=["doc._.kg"], requires=["doc._.kg"])
def kg_figures(doc: Doc) -> Doc:
    """Add one observation per figure to the extraction."""
    st = state(doc)
    assert st.extraction is not None
    text = st.text
    ref = reference_date(text, st)
    article_period = ref[:4] if ref else None
    period = None
    last_block = -1
    for sent in st.sentences:
        block = text.rfind("\n", 0, sent.start)
        if block != last_block:
            period, last_block = None, block
        period = anchor_period(text[sent.start:sent.end], ref) or period
        found = [m for m in _FIGURE.finditer(text, sent.start, sent.end) if _is_figure(text, sent, m)]
        if not found:
            continue
        area = _area(st, text, sent)  # the sentence's region, the same for all its figures
        for m in found:
            value, base = _base(m.group("num"), m.group("mult"), m.group("unit"))
            for measure in _each(text, sent, m) or [_measure(text, sent, m)]:
                st.extraction.observations.append(Observation(
                    measure=measure, value=value, unit=base, evidence=sent, surface=m.group(0),
                    period=period or article_period, area=area, qualifier=m.group("pre") or m.group("post"),
                ))
    return doc


def _is_figure(text: str, sent: Span, m: re.Match) -> bool:
    """Whether a number with its counter is a figure: not an ordinal (第七届; 第1名 is a rank and
    counts), a span of editions (前6届), a span of time (3个月) or the tail of a code (A320)."""
    start = m.start()
    before = text[max(sent.start, start - 1):start]
    if before == "第" and m.group("unit") not in _RANK_COUNTERS:
        return False
    if before in ("前", "后") or text[m.end():m.end() + 1] in ("年", "月", "日"):
        return False
    return not (start > 0 and text[start - 1].isascii() and text[start - 1].isalnum())


def _each(text: str, sent: Span, m: re.Match) -> list[str]:
    """甲、乙和丙各有1个: one figure for each thing listed before 各 (empty when not distributive)."""
    if not text.endswith(("各有", "各"), sent.start, m.start()):
        return []
    head = text[sent.start:m.start()].removesuffix("有").removesuffix("各")
    cuts = [c for c in _CLAUSE.finditer(head) if c.group(0) != "、"]
    clause = head[cuts[-1].end():] if cuts else head
    items = [i for i in _LIST_SEP.split(_LEAD.sub("", clause)) if len(i) >= 2]
    return items if len(items) >= 2 else []
