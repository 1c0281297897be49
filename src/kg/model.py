"""Plain typed records that flow from the spaCy pipeline to the RDF mapping.

Offsets in these records are into the *clean* text; :mod:`kg.normalise` maps them
back to the original input when provenance is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

ENTITY_TYPES = ("Official", "Person", "Agency", "Company", "Organization", "Park", "Place")


@dataclass(frozen=True, order=True)
class Span:
    """A half-open character range ``[start, end)`` in the clean text."""

    start: int
    end: int


@dataclass
class Entity:
    """One real-world thing the article names, with every surface form it used."""

    key: str
    type: str
    name: str
    aliases: set[str] = field(default_factory=set)
    mentions: list[Span] = field(default_factory=list)
    originals: set[str] = field(default_factory=set)
    context: str = ""
    """The resolution key: what makes this entity one node across articles (a canonical
    name, a division code, or for a person name@organisation)."""
    identified_by: str | None = None
    """For a person: the key of the body in the context, the reason namesakes stay apart."""


@dataclass
class Position:
    """One person holding one title in one organisation (the n-ary kg:Position)."""

    holder: str
    title: str
    organization: str
    evidence: Span
    past: bool = False


@dataclass
class Relation:
    """A binary fact between two entities or events, with the sentence it came from."""

    s: str
    p: str
    o: str
    evidence: Span


@dataclass
class Event:
    """Something that happened at a time; its links are :class:`Relation` records."""

    key: str
    name: str
    kind: str
    evidence: Span
    start: str | None = None
    end: str | None = None
    aliases: set[str] = field(default_factory=set)


@dataclass
class Observation:
    """One reported figure, normalised to its base unit."""

    measure: str
    value: Decimal
    unit: str
    evidence: Span
    surface: str
    period: str | None = None
    area: str | None = None
    qualifier: str | None = None
    about: str | None = None


@dataclass
class ArticleMeta:
    """What the page says about itself: headline, date, source, author, publisher."""

    headline: str | None = None
    date_published: str | None = None
    source_name: str | None = None
    author: str | None = None
    publisher: str | None = None
    url: str | None = None


@dataclass
class Extraction:
    """Everything one article yields, ready for :mod:`kg.rdf.mapping`."""

    doc_id: str
    meta: ArticleMeta
    entities: dict[str, Entity] = field(default_factory=dict)
    positions: list[Position] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    events: dict[str, Event] = field(default_factory=dict)
    observations: list[Observation] = field(default_factory=list)
