"""What the components share on ``doc._.kg``: mentions found so far and the growing extraction.

spaCy keeps ``Doc.text`` equal to its input; our components add a :class:`DocState`
under the ``kg`` extension instead of re-tokenising, because Chinese names rarely
fall on jieba's word boundaries.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from spacy.tokens import Doc

from kg.model import ArticleMeta, Extraction, Span
from kg.pipeline.resources import Division

if not Doc.has_extension("kg"):
    Doc.set_extension("kg", default=None)


@dataclass
class Mention:
    """A stretch of clean text naming something.

    ``kind`` is PLACE, ORG (organisations, companies and parks), TITLE or PERSON;
    ``cls`` is the ontology class (or, for a TITLE, its kind from ``titles.tsv``).
    """

    start: int
    end: int
    text: str
    kind: str
    cls: str
    key: str | None = None
    division: Division | None = None
    parent: Mention | None = None
    """For an ORG: the organisation or place its name is built on (某部 in 某部某中心)."""
    suffix: str = ""
    full: str | None = None
    """For a unit named without its parent (乙处 in 某厅甲处、乙处): the name with the parent."""

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass
class DocState:
    """Per-document working state of the extraction components."""

    doc_id: str
    meta: ArticleMeta
    text: str
    """The document's text, kept here because spaCy rebuilds ``Doc.text`` from its tokens on each access."""
    sentences: list[Span] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    home: dict[str, Division] = field(default_factory=dict)
    """The article's home region per level (province, city, county): what 省/市/区 mean."""
    extraction: Extraction | None = None
    resolver: Any = None
    """The document's :class:`kg.pipeline.resolve.Resolver`, for components that add entities."""
    _starts_of: list[Span] | None = field(default=None, repr=False, compare=False)
    _starts: list[int] = field(default_factory=list, repr=False, compare=False)

    def sentence_of(self, pos: int) -> Span:
        """The sentence containing clean offset ``pos`` (sentences are in order and disjoint)."""
        i = bisect_right(self._sentence_starts(), pos) - 1  # the last sentence starting at or before pos
        if i >= 0 and pos < self.sentences[i].end:
            return self.sentences[i]
        return Span(pos, pos + 1)

    def _sentence_starts(self) -> list[int]:
        """The sentences' starts, made once per list of sentences (a bisection, not a scan)."""
        if self._starts_of is not self.sentences or len(self._starts) != len(self.sentences):
            self._starts_of, self._starts = self.sentences, [s.start for s in self.sentences]
        return self._starts

    def of_kind(self, kind: str) -> list[Mention]:
        return [m for m in self.mentions if m.kind == kind]


def outermost(mentions: Iterable[Mention]) -> list[Mention]:
    """Mentions not inside a longer one, in text order (某省科技厅, not also 某省 in it)."""
    # longest first, then by start: both sorts are stable, so this is the order (start, -end)
    ordered = sorted(mentions, key=attrgetter("end"), reverse=True)
    ordered.sort(key=attrgetter("start"))
    out: list[Mention] = []
    end = -1  # where the last mention kept ends
    for m in ordered:
        if m.end > end:
            out.append(m)
            end = m.end
    return out


def state(doc: Doc) -> DocState:
    """The :class:`DocState` of a document; components need ``kg.extract`` to have set it."""
    st = doc._.kg
    if st is None:
        raise ValueError("doc._.kg is not set: run the pipeline through kg.extract")
    return st
