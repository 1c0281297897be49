"""Extraction → RDF Dataset: the entity graph once, the article's own named graph beside it.

The layout follows docs/graph-layout.md and the contract: entities' types and labels
go to the shared entity graph (never repeated per article, see KNOWN-TRAPS), while
what the article states (its events, positions, figures, mentions and the evidence
of every relation) goes to the article's graph, each fact with its sentence and the
character offsets of that sentence in the original input.
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import RDF, RDFS, Dataset, Literal, URIRef
from rdflib.namespace import PROV, SKOS, XSD

from kg.model import Entity, Extraction, Span
from kg.normalise import MappedText
from kg.rdf import iris
from kg.rdf.namespaces import ENTITY_GRAPH, KG, PREFIXES

_CLASSES = {
    "Official": (KG.Official, KG.Person), "Person": (KG.Person,),
    "Agency": (KG.Agency, KG.Organization), "Company": (KG.Company, KG.Organization),
    "Organization": (KG.Organization,), "Park": (KG.Park,), "Place": (KG.Place,),
}
_ENTITY_RELATIONS = {"subOrganizationOf", "manages", "locatedIn"}


def date_literal(value: str) -> Literal:
    """A date of the precision the text gives: xsd:dateTime, date, gYearMonth or gYear."""
    if "T" in value:
        return Literal(value, datatype=XSD.dateTime)
    dtype = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}.get(len(value), XSD.date)
    return Literal(value, datatype=dtype)


class _Mapper:
    def __init__(self, ex: Extraction, text: MappedText, originals: dict[str, str]) -> None:
        self.ex, self.text, self.originals = ex, text, originals
        self.ds = Dataset()
        for prefix, ns in PREFIXES.items():
            self.ds.bind(prefix, ns)
        self.eg = self.ds.graph(ENTITY_GRAPH)
        self.ag = self.ds.graph(iris.article_graph_iri(ex.doc_id))
        self.article = iris.article_iri(ex.doc_id)
        self.iri: dict[str, URIRef] = {}

    def provenance(self, node: URIRef, span: Span) -> None:
        """Where a fact came from: the article, the sentence and its offsets in the original."""
        s, e = self.text.source_span(span.start, span.end)
        self.ag.add((node, PROV.wasDerivedFrom, self.article))
        self.ag.add((node, KG.evidence, Literal(self.text.text[span.start:span.end])))
        self.ag.add((node, KG.charStart, Literal(s, datatype=XSD.integer)))
        self.ag.add((node, KG.charEnd, Literal(e, datatype=XSD.integer)))

    def entity(self, key: str, ent: Entity) -> None:
        node = iris.entity_iri(ent.type, ent.context or ent.name)
        self.iri[key] = node
        for cls in _CLASSES[ent.type]:
            self.eg.add((node, RDF.type, cls))
        self.eg.add((node, RDFS.label, Literal(ent.name, lang="zh")))
        for alias in sorted(ent.aliases):
            self.eg.add((node, SKOS.altLabel, Literal(alias, lang="zh")))
        for original in sorted(self.originals.get(key, ())):
            self.eg.add((node, RDFS.label, Literal(original, lang="zh-Hant")))
        self.ag.add((node, KG.mentionedIn, self.article))

    def article_node(self) -> None:
        meta, a = self.ex.meta, self.article
        self.ag.add((a, RDF.type, KG.Article))
        self.ag.add((self.ag.identifier, PROV.wasDerivedFrom, a))
        if meta.headline:
            self.ag.add((a, KG.headline, Literal(meta.headline, lang="zh")))
        if meta.date_published:
            self.ag.add((a, KG.datePublished, date_literal(meta.date_published)))
        if meta.source_name:
            self.ag.add((a, KG.sourceName, Literal(meta.source_name)))
        if meta.author:
            self.ag.add((a, KG.author, Literal(meta.author)))
        if meta.publisher and meta.publisher in self.iri:
            self.ag.add((a, KG.publisher, self.iri[meta.publisher]))

    def run(self) -> Dataset:
        for key in sorted(self.ex.entities):
            self.entity(key, self.ex.entities[key])
        for key in sorted(self.ex.events):
            ev = self.ex.events[key]
            node = iris.event_iri(ev.name, ev.start)
            self.iri[key] = node
            self.eg.add((node, RDF.type, KG.Event))
            self.eg.add((node, RDFS.label, Literal(ev.name, lang="zh")))
            for alias in sorted(ev.aliases - {ev.name}):
                self.eg.add((node, SKOS.altLabel, Literal(alias, lang="zh")))
            self.ag.add((node, KG.eventKind, Literal(ev.kind, lang="zh")))
            if ev.start:
                self.ag.add((node, KG.startDate, date_literal(ev.start)))
            if ev.end:
                self.ag.add((node, KG.endDate, date_literal(ev.end)))
            self.provenance(node, ev.evidence)
        self.article_node()
        for pos in self.ex.positions:
            h, o = self.iri[pos.holder], self.iri[pos.organization]
            node = iris.position_iri(self.ex.doc_id, str(h), pos.title, str(o))
            self.ag.add((node, RDF.type, KG.Position))
            self.ag.add((node, KG.holder, h))
            self.ag.add((h, KG.holdsPosition, node))
            self.ag.add((node, KG.organization, o))
            self.ag.add((node, KG.title, Literal(pos.title, lang="zh")))
            if pos.past:
                self.ag.add((node, KG.isPast, Literal(True)))
            attested = self.ex.meta.date_published
            if attested:
                self.ag.add((node, KG.attestedOn, date_literal(attested[:10])))
            self.provenance(node, pos.evidence)
        for rel in self.ex.relations:
            s, o = self.iri[rel.s], self.iri[rel.o]
            graph = self.eg if rel.p in _ENTITY_RELATIONS else self.ag
            graph.add((s, KG[rel.p], o))
            stmt = iris.statement_iri(self.ex.doc_id, str(s), rel.p, str(o), rel.evidence.start)
            self.ag.add((stmt, RDF.type, RDF.Statement))
            self.ag.add((stmt, RDF.subject, s))
            self.ag.add((stmt, RDF.predicate, KG[rel.p]))
            self.ag.add((stmt, RDF.object, o))
            self.provenance(stmt, rel.evidence)
        for ob in self.ex.observations:
            node = iris.observation_iri(self.ex.doc_id, ob.measure, str(ob.value), ob.unit, ob.evidence.start)
            self.ag.add((node, RDF.type, KG.Observation))
            self.ag.add((node, KG.measure, Literal(ob.measure, lang="zh")))
            self.ag.add((node, KG.value, Literal(Decimal(ob.value), datatype=XSD.decimal)))
            self.ag.add((node, KG.unit, Literal(ob.unit)))
            self.ag.add((node, KG.surfaceForm, Literal(ob.surface)))
            if ob.period:
                self.ag.add((node, KG.refPeriod, date_literal(ob.period)))
            if ob.area and ob.area in self.iri:
                self.ag.add((node, KG.area, self.iri[ob.area]))
            if ob.about and ob.about in self.iri:
                self.ag.add((node, KG.about, self.iri[ob.about]))
            if ob.qualifier:
                self.ag.add((node, KG.qualifier, Literal(ob.qualifier, lang="zh")))
            self.provenance(node, ob.evidence)
        return self.ds


def to_dataset(ex: Extraction, text: MappedText, originals: dict[str, set[str]] | None = None) -> Dataset:
    """The RDF of one article: entity graph plus the article's named graph."""
    return _Mapper(ex, text, originals or {}).run()
