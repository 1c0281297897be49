"""Extraction → RDF: the entity graph once, the article's own named graph beside it.

The layout follows docs/graph-layout.md and the contract: entities' types and labels
go to the shared entity graph (never repeated per article, see KNOWN-TRAPS), while
what the article states (its events, positions, figures, mentions and the evidence
of every relation) goes to the article's graph, each fact with its sentence and the
character offsets of that sentence in the original input.

The output is N-Quads text, written directly: a corpus build maps every article,
and building rdflib graphs (a third of the extraction time) or even Oxigraph term
objects (6 µs a quad) cost more than the rules. Oxigraph parses it back in Rust
(:func:`kg.extract.extract_quads`), and the store loads it as is.
"""

from __future__ import annotations

from decimal import Decimal

from kg.model import Entity, Extraction, Span
from kg.normalise import MappedText
from kg.rdf import iris
from kg.rdf.namespaces import ENTITY_GRAPH, KG, PREFIXES

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _iri(iri: object) -> str:
    """An IRI in N-Quads syntax (ours are ASCII without spaces or angle brackets)."""
    return f"<{iri}>"


def _kg(name: str) -> str:
    """An ontology term; ``KG[name]`` raises for a term the ontology does not declare."""
    return _iri(KG[name])


def _ns(prefix: str, name: str) -> str:
    return _iri(PREFIXES[prefix] + name)


def literal(text: str, *, lang: str | None = None, datatype: str | None = None) -> str:
    """A literal in N-Quads syntax: a plain string, a language-tagged one, or a typed one."""
    if '"' in text or "\\" in text or "\n" in text or "\r" in text:
        text = text.translate(_ESCAPES)
    quoted = f'"{text}"'
    if lang:
        return f"{quoted}@{lang}"
    return f"{quoted}^^{datatype}" if datatype else quoted


RDF_TYPE, RDFS_LABEL, SKOS_ALT = _ns("rdf", "type"), _ns("rdfs", "label"), _ns("skos", "altLabel")
RDF_STATEMENT = _ns("rdf", "Statement")
RDF_SUBJECT, RDF_PREDICATE, RDF_OBJECT = _ns("rdf", "subject"), _ns("rdf", "predicate"), _ns("rdf", "object")
DERIVED_FROM = _ns("prov", "wasDerivedFrom")
XSD_INTEGER, XSD_DECIMAL, XSD_BOOLEAN = _ns("xsd", "integer"), _ns("xsd", "decimal"), _ns("xsd", "boolean")
_DATE_TYPES = {19: _ns("xsd", "dateTime"), 10: _ns("xsd", "date"), 7: _ns("xsd", "gYearMonth"), 4: _ns("xsd", "gYear")}
_TRUE = literal("true", datatype=XSD_BOOLEAN)

_CLASSES = {
    "Official": ("Official", "Person"), "Person": ("Person",),
    "Agency": ("Agency", "Organization"), "Company": ("Company", "Organization"),
    "Organization": ("Organization",), "Park": ("Park",), "Place": ("Place",),
}
_CLASS_NODES = {etype: tuple(map(_kg, names)) for etype, names in _CLASSES.items()}
_ENTITY_RELATIONS = {"subOrganizationOf", "manages", "locatedIn"}
P = {name: _kg(name) for name in (
    "Article", "Event", "Position", "Observation", "mentionedIn", "evidence", "charStart", "charEnd",
    "headline", "datePublished", "sourceName", "author", "publisher", "eventKind", "startDate", "endDate",
    "holder", "holdsPosition", "organization", "title", "isPast", "attestedOn", "measure", "value", "unit",
    "surfaceForm", "refPeriod", "area", "about", "qualifier", "subOrganizationOf", "manages", "locatedIn",
    "participant", "organizer", "location", "partOf", "sourceFile", "contentHash",
    "resolutionKey", "identifiedBy",
)}
"""Every ontology term the mapper writes, in N-Quads syntax, made once."""


def date_literal(value: str) -> str:
    """A date of the precision the text gives: xsd:dateTime, date, gYearMonth or gYear."""
    dtype = _DATE_TYPES[19] if "T" in value else _DATE_TYPES.get(len(value), _DATE_TYPES[10])
    return literal(value, datatype=dtype)


def _zh(text: str) -> str:
    return literal(text, lang="zh")


def _integer(n: int) -> str:
    return literal(str(n), datatype=XSD_INTEGER)


class _Mapper:
    def __init__(self, ex: Extraction, text: MappedText, originals: dict[str, set[str]]) -> None:
        self.ex, self.text, self.originals = ex, text, originals
        self.lines: list[str] = []
        self.eg = _iri(ENTITY_GRAPH)
        self.ag = _iri(iris.article_graph_iri(ex.doc_id))
        self.article = _iri(iris.article_iri(ex.doc_id))
        self.iri: dict[str, str] = {}

    def entity_fact(self, s: str, p: str, o: str) -> None:
        """A quad of the shared entity graph (terms in N-Quads syntax)."""
        self.lines.append(f"{s} {p} {o} {self.eg} .\n")

    def fact(self, s: str, p: str, o: str) -> None:
        """A quad of the article's own graph (terms in N-Quads syntax)."""
        self.lines.append(f"{s} {p} {o} {self.ag} .\n")

    def provenance(self, node: str, span: Span) -> None:
        """Where a fact came from: the article, the sentence and its offsets in the original."""
        s, e = self.text.source_span(span.start, span.end)
        self.fact(node, DERIVED_FROM, self.article)
        self.fact(node, P["evidence"], literal(self.text.text[span.start:span.end]))
        self.fact(node, P["charStart"], _integer(s))
        self.fact(node, P["charEnd"], _integer(e))

    def entity(self, key: str, ent: Entity) -> None:
        node = _iri(iris.entity_iri(ent.type, ent.context or ent.name))
        self.iri[key] = node
        for cls in _CLASS_NODES[ent.type]:
            self.entity_fact(node, RDF_TYPE, cls)
        self.entity_fact(node, RDFS_LABEL, _zh(ent.name))
        for alias in sorted(ent.aliases):
            self.entity_fact(node, SKOS_ALT, _zh(alias))
        for original in sorted(self.originals.get(key, ())):
            self.entity_fact(node, RDFS_LABEL, literal(original, lang="zh-Hant"))
        self.fact(node, P["mentionedIn"], self.article)
        self.fact(node, P["resolutionKey"], literal(ent.context or ent.name))

    def identifications(self) -> None:
        """The body each person was told apart by: why two articles' namesakes are one node or two."""
        for key in sorted(self.ex.entities):
            body = self.ex.entities[key].identified_by
            if body and body in self.iri:
                self.fact(self.iri[key], P["identifiedBy"], self.iri[body])

    def article_iri(self) -> None:
        meta, a = self.ex.meta, self.article
        self.fact(a, RDF_TYPE, P["Article"])
        self.fact(self.ag, DERIVED_FROM, a)
        if meta.headline:
            self.fact(a, P["headline"], _zh(meta.headline))
        if meta.date_published:
            self.fact(a, P["datePublished"], date_literal(meta.date_published))
        if meta.source_name:
            self.fact(a, P["sourceName"], literal(meta.source_name))
        if meta.author:
            self.fact(a, P["author"], literal(meta.author))
        if meta.publisher and meta.publisher in self.iri:
            self.fact(a, P["publisher"], self.iri[meta.publisher])

    def events(self) -> None:
        for key in sorted(self.ex.events):
            ev = self.ex.events[key]
            node = _iri(iris.event_iri(ev.name, ev.start))
            self.iri[key] = node
            self.entity_fact(node, RDF_TYPE, P["Event"])
            self.entity_fact(node, RDFS_LABEL, _zh(ev.name))
            for alias in sorted(ev.aliases - {ev.name}):
                self.entity_fact(node, SKOS_ALT, _zh(alias))
            self.fact(node, P["eventKind"], _zh(ev.kind))
            if ev.start:
                self.fact(node, P["startDate"], date_literal(ev.start))
            if ev.end:
                self.fact(node, P["endDate"], date_literal(ev.end))
            self.provenance(node, ev.evidence)

    def positions(self) -> None:
        attested = self.ex.meta.date_published
        for pos in self.ex.positions:
            h, o = self.iri[pos.holder], self.iri[pos.organization]
            node = _iri(iris.position_iri(self.ex.doc_id, h[1:-1], pos.title, o[1:-1]))
            self.fact(node, RDF_TYPE, P["Position"])
            self.fact(node, P["holder"], h)
            self.fact(h, P["holdsPosition"], node)
            self.fact(node, P["organization"], o)
            self.fact(node, P["title"], _zh(pos.title))
            if pos.past:
                self.fact(node, P["isPast"], _TRUE)
            if attested:
                self.fact(node, P["attestedOn"], date_literal(attested[:10]))
            self.provenance(node, pos.evidence)

    def relations(self) -> None:
        for rel in self.ex.relations:
            s, o, p = self.iri[rel.s], self.iri[rel.o], P[rel.p]
            (self.entity_fact if rel.p in _ENTITY_RELATIONS else self.fact)(s, p, o)
            stmt = _iri(iris.statement_iri(self.ex.doc_id, s[1:-1], rel.p, o[1:-1], rel.evidence.start))
            self.fact(stmt, RDF_TYPE, RDF_STATEMENT)
            self.fact(stmt, RDF_SUBJECT, s)
            self.fact(stmt, RDF_PREDICATE, p)
            self.fact(stmt, RDF_OBJECT, o)
            self.provenance(stmt, rel.evidence)

    def observations(self) -> None:
        for ob in self.ex.observations:
            node = _iri(iris.observation_iri(self.ex.doc_id, ob.measure, str(ob.value), ob.unit, ob.evidence.start))
            self.fact(node, RDF_TYPE, P["Observation"])
            self.fact(node, P["measure"], _zh(ob.measure))
            self.fact(node, P["value"], literal(format(Decimal(ob.value), "f"), datatype=XSD_DECIMAL))
            self.fact(node, P["unit"], literal(ob.unit))
            self.fact(node, P["surfaceForm"], literal(ob.surface))
            if ob.period:
                self.fact(node, P["refPeriod"], date_literal(ob.period))
            if ob.area and ob.area in self.iri:
                self.fact(node, P["area"], self.iri[ob.area])
            if ob.about and ob.about in self.iri:
                self.fact(node, P["about"], self.iri[ob.about])
            if ob.qualifier:
                self.fact(node, P["qualifier"], _zh(ob.qualifier))
            self.provenance(node, ob.evidence)

    def run(self) -> str:
        for key in sorted(self.ex.entities):
            self.entity(key, self.ex.entities[key])
        self.identifications()
        self.events()
        self.article_iri()
        self.positions()
        self.relations()
        self.observations()
        return "".join(self.lines)


def to_nquads(ex: Extraction, text: MappedText, originals: dict[str, set[str]] | None = None) -> str:
    """The RDF of one article as N-Quads: the entity graph's quads and the article graph's."""
    return _Mapper(ex, text, originals or {}).run()
