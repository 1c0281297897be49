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
from kg.pipeline.resources import stopwords
from kg.pipeline.state import DocState, state

_UNITS = {  # unit as written → (base unit, factor)
    "平方公里": ("m2", Decimal(1_000_000)), "平方千米": ("m2", Decimal(1_000_000)), "公顷": ("m2", Decimal(10_000)),
    "平方米": ("m2", Decimal(1)), "美元": ("USD", Decimal(1)), "元": ("CNY", Decimal(1)), "%": ("%", Decimal(1)),
}
_COUNTERS = "家个人件届项户场位名所座条台套次批篇款支种吨辆亩部本张株头"
_FIGURE = re.compile(
    r"(?P<pre>超过|超|逾|近|约|将近|接近|不少于|不低于)?"
    r"(?P<num>\d+(?:\.\d+)?)"
    r"(?P<mult>万亿|千万|百万|万|亿|千)?"
    r"(?P<post>余|多)?"
    rf"(?P<unit>平方公里|平方千米|公顷|平方米|美元|元|%|[{_COUNTERS}])"
)
_MULT = {"万亿": Decimal(10) ** 12, "千万": Decimal(10) ** 7, "百万": Decimal(10) ** 6, "万": Decimal(10) ** 4,
         "亿": Decimal(10) ** 8, "千": Decimal(1000)}
_CLAUSE = re.compile(r"[，,；;：:。！？!?、（）()“”\n]")
_LEAD = re.compile(
    r"^(?:其中|截至[^，,]*?(?:底|末|年|月|目前)|目前|此外|同时|另有|累计|共计|共"
    r"|全省|全市|全州|全国|全县|全区|已|现有|拥有)+"
)


def _base(num: str, mult: str | None, unit: str) -> tuple[Decimal, str]:
    value = Decimal(num) * _MULT.get(mult or "", Decimal(1))
    base, factor = _UNITS.get(unit, (unit, Decimal(1)))
    value *= factor
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return value, base


def _measure(text: str, sent: Span, m: re.Match) -> str:
    """The noun phrase a figure counts: the words after the counter, or else before the number."""
    after = text[m.end():sent.end]
    cut = _CLAUSE.search(after)
    after = after[: cut.start()] if cut else after
    sw = stopwords()
    for i in range(len(after)):
        if any(after.startswith(w, i) for w in sw if len(w) > 1) or after[i] in "获被在为的是":
            after = after[:i]
            break
    if len(after) >= 2 and m.group("unit") in _COUNTERS:
        return after[:16]
    before = text[sent.start:m.start()]
    cuts = list(_CLAUSE.finditer(before))
    before = before[cuts[-1].end():] if cuts else before
    before = _LEAD.sub("", before).strip()
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
    text = doc.text
    ref = reference_date(text, st)
    period = None
    last_block = -1
    for sent in st.sentences:
        block = text.rfind("\n", 0, sent.start)
        if block != last_block:
            period, last_block = None, block
        period = anchor_period(text[sent.start:sent.end], ref) or period
        for m in _FIGURE.finditer(text, sent.start, sent.end):
            before = text[max(sent.start, m.start() - 1):m.start()]
            unit = m.group("unit")
            if before == "第" and unit not in "位名":
                continue
            if before in ("前", "后") or text[m.end():m.end() + 1] in ("年", "月", "日") or (
                    m.start() > 0 and (text[m.start() - 1].isascii() and text[m.start() - 1].isalnum())):
                continue
            value, base = _base(m.group("num"), m.group("mult"), unit)
            st.extraction.observations.append(Observation(
                measure=_measure(text, sent, m), value=value, unit=base, evidence=sent, surface=m.group(0),
                period=period or (ref[:4] if ref else None), area=_area(st, text, sent),
                qualifier=m.group("pre") or m.group("post"),
            ))
    return doc
