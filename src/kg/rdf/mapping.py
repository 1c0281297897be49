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

An article has some 500 quads, so the writing itself is kept lean: every ontology
term is made once, in N-Quads syntax, at import; each record's quads are written by
one f-string over those terms rather than by a call per quad or per term; and what
several quads share after their subject (the evidence of one sentence, say) is made
once per article.
"""

from __future__ import annotations

from kg.model import Entity, Extraction, Span
from kg.normalise import MappedText
from kg.rdf import iris
from kg.rdf.namespaces import ENTITY_GRAPH, KG, PREFIXES

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _iri(iri: str) -> str:
    """An IRI in N-Quads syntax (ours are ASCII without spaces or angle brackets)."""
    return f"<{iri}>"


def _kg(name: str) -> str:
    """An ontology term; ``KG[name]`` raises for a term the ontology does not declare."""
    return _iri(KG[name])


def _ns(prefix: str, name: str) -> str:
    return _iri(PREFIXES[prefix] + name)


def _escaped(text: str) -> str:
    """Text as it goes between a literal's quotes (most text needs no escape: test first)."""
    if '"' in text or "\\" in text or "\n" in text or "\r" in text:
        return text.translate(_ESCAPES)
    return text


RDF_TYPE, RDFS_LABEL, SKOS_ALT = _ns("rdf", "type"), _ns("rdfs", "label"), _ns("skos", "altLabel")
RDF_STATEMENT = _ns("rdf", "Statement")
RDF_SUBJECT, RDF_PREDICATE, RDF_OBJECT = _ns("rdf", "subject"), _ns("rdf", "predicate"), _ns("rdf", "object")
DERIVED_FROM = _ns("prov", "wasDerivedFrom")
XSD_INTEGER, XSD_DECIMAL, XSD_BOOLEAN = _ns("xsd", "integer"), _ns("xsd", "decimal"), _ns("xsd", "boolean")
_DATE_TYPES = {19: _ns("xsd", "dateTime"), 10: _ns("xsd", "date"), 7: _ns("xsd", "gYearMonth"), 4: _ns("xsd", "gYear")}
_TRUE = f'"true"^^{XSD_BOOLEAN}'
IN_ENTITY_GRAPH = f" {_iri(ENTITY_GRAPH)} .\n"
"""The end of every quad of the shared entity graph: its graph term and the full stop."""

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
    "resolutionKey", "identifiedBy", "Post", "post", "postIn", "postTitle", "year",
)}
"""Every ontology term the mapper writes, in N-Quads syntax, made once."""


def date_literal(value: str) -> str:
    """A date of the precision the text gives: xsd:dateTime, date, gYearMonth or gYear."""
    dtype = _DATE_TYPES[19] if "T" in value else _DATE_TYPES.get(len(value), _DATE_TYPES[10])
    return f'"{_escaped(value)}"^^{dtype}'


def _zh(text: str) -> str:
    return f'"{_escaped(text)}"@zh'


def _string(text: str) -> str:
    return f'"{_escaped(text)}"'


def _integer(n: int) -> str:
    return f'"{n}"^^{XSD_INTEGER}'


class _Mapper:
    """One article's quads as N-Quads lines, in a fixed order (the output is compared byte for byte).

    Terms are kept in N-Quads syntax throughout: ``self.iri`` maps a record key to its
    ``<IRI>``, ``self.end`` ends every quad of the article's graph. A *tail* is a quad
    without its subject, made once when several subjects share it.
    """

    def __init__(self, ex: Extraction, text: MappedText, originals: dict[str, set[str]]) -> None:
        self.ex, self.text, self.originals = ex, text, originals
        self.lines: list[str] = []
        self.ag = _iri(iris.article_graph_iri(ex.doc_id))
        self.end = f" {self.ag} .\n"
        self.article = _iri(iris.article_iri(ex.doc_id))
        self.derived_tail = f" {DERIVED_FROM} {self.article}{self.end}"
        self.iri: dict[str, str] = {}
        self.sentences: dict[tuple[int, int], tuple[str, str, str]] = {}
        self.posts: set[str] = set()

    def provenance(self, node: str, span: Span) -> str:
        """Where a fact came from: the article, the sentence and its offsets in the original.

        A sentence is the evidence of several facts, so the tails of these quads are
        made once per sentence.
        """
        tails = self.sentences.get((span.start, span.end))
        if tails is None:
            s, e = self.text.source_span(span.start, span.end)
            g = self.end
            tails = (f" {P['evidence']} {_string(self.text.text[span.start:span.end])}{g}",
                     f" {P['charStart']} {_integer(s)}{g}", f" {P['charEnd']} {_integer(e)}{g}")
            self.sentences[span.start, span.end] = tails
        evidence, start, end = tails
        return f"{node}{self.derived_tail}{node}{evidence}{node}{start}{node}{end}"

    def entity(self, key: str, ent: Entity) -> None:
        identity = ent.context or ent.name
        node = self.iri[key] = _iri(iris.entity_iri(ent.type, identity))
        add, eg = self.lines.append, IN_ENTITY_GRAPH
        for cls in _CLASS_NODES[ent.type]:
            add(f"{node} {RDF_TYPE} {cls}{eg}")
        add(f"{node} {RDFS_LABEL} {_zh(ent.name)}{eg}")
        for alias in sorted(ent.aliases):
            add(f"{node} {SKOS_ALT} {_zh(alias)}{eg}")
        for original in sorted(self.originals.get(key, ())):
            add(f'{node} {RDFS_LABEL} "{_escaped(original)}"@zh-Hant{eg}')
        add(f"{node} {P['mentionedIn']} {self.article}{self.end}"
            f"{node} {P['resolutionKey']} {_string(identity)}{self.end}")

    def identifications(self) -> None:
        """The body each person was told apart by: why two articles' namesakes are one node or two."""
        for key in sorted(self.ex.entities):
            body = self.ex.entities[key].identified_by
            if body and body in self.iri:
                self.lines.append(f"{self.iri[key]} {P['identifiedBy']} {self.iri[body]}{self.end}")

    def article_iri(self) -> None:
        meta, a, g, add = self.ex.meta, self.article, self.end, self.lines.append
        add(f"{a} {RDF_TYPE} {P['Article']}{g}{self.ag} {DERIVED_FROM} {a}{g}")
        if meta.headline:
            add(f"{a} {P['headline']} {_zh(meta.headline)}{g}")
        if meta.date_published:
            add(f"{a} {P['datePublished']} {date_literal(meta.date_published)}{g}")
        if meta.source_name:
            add(f"{a} {P['sourceName']} {_string(meta.source_name)}{g}")
        if meta.author:
            add(f"{a} {P['author']} {_string(meta.author)}{g}")
        if meta.publisher and meta.publisher in self.iri:
            add(f"{a} {P['publisher']} {self.iri[meta.publisher]}{g}")

    def events(self) -> None:
        g, eg, add = self.end, IN_ENTITY_GRAPH, self.lines.append
        for key in sorted(self.ex.events):
            ev = self.ex.events[key]
            node = self.iri[key] = _iri(iris.event_iri(ev.name, ev.start))
            add(f"{node} {RDF_TYPE} {P['Event']}{eg}{node} {RDFS_LABEL} {_zh(ev.name)}{eg}")
            for alias in sorted(ev.aliases - {ev.name}):
                add(f"{node} {SKOS_ALT} {_zh(alias)}{eg}")
            add(f"{node} {P['eventKind']} {_zh(ev.kind)}{g}")
            if ev.start:
                add(f"{node} {P['startDate']} {date_literal(ev.start)}{g}{self.year(node, ev.start)}")
            if ev.end:
                add(f"{node} {P['endDate']} {date_literal(ev.end)}{g}")
            add(self.provenance(node, ev.evidence))

    def year(self, node: str, date: str) -> str:
        """The ``kg:year`` quad of a dated node (a date's first four digits), or nothing."""
        return f"{node} {P['year']} {_integer(int(date[:4]))}{self.end}" if date[:4].isdigit() else ""

    def post(self, org_key: str, title: str) -> str:
        """The ``kg:Post`` of ``title`` in an organisation: its IRI, its facts written to the entity graph.

        Like a Position it has no label (the organisation's label may differ between
        articles, and every label costs the store's one-label update).
        """
        o, eg = self.iri[org_key], IN_ENTITY_GRAPH
        node = _iri(iris.post_iri(o[1:-1], title))
        if node not in self.posts:  # two holders of one title (副厅长 …) share its post
            self.posts.add(node)
            self.lines.append(f"{node} {RDF_TYPE} {P['Post']}{eg}"
                              f"{node} {P['postIn']} {o}{eg}{node} {P['postTitle']} {_zh(title)}{eg}")
        return node

    def positions(self) -> None:
        attested = self.ex.meta.date_published
        attested_tail = f" {P['attestedOn']} {date_literal(attested[:10])}{self.end}" if attested else ""
        g, add = self.end, self.lines.append
        for pos in self.ex.positions:
            h, o = self.iri[pos.holder], self.iri[pos.organization]
            node = _iri(iris.position_iri(self.ex.doc_id, h[1:-1], pos.title, o[1:-1]))
            add(f"{node} {RDF_TYPE} {P['Position']}{g}{node} {P['holder']} {h}{g}{h} {P['holdsPosition']} {node}{g}"
                f"{node} {P['organization']} {o}{g}{node} {P['title']} {_zh(pos.title)}{g}"
                f"{node} {P['post']} {self.post(pos.organization, pos.title)}{g}")
            if pos.past:
                add(f"{node} {P['isPast']} {_TRUE}{g}")
            if attested_tail:
                add(f"{node}{attested_tail}")
            add(self.provenance(node, pos.evidence))

    def relations(self) -> None:
        g, add = self.end, self.lines.append
        for rel in self.ex.relations:
            s, o, p = self.iri[rel.s], self.iri[rel.o], P[rel.p]
            stmt = _iri(iris.statement_iri(self.ex.doc_id, s[1:-1], rel.p, o[1:-1], rel.evidence.start))
            add(f"{s} {p} {o}{IN_ENTITY_GRAPH if rel.p in _ENTITY_RELATIONS else g}"
                f"{stmt} {RDF_TYPE} {RDF_STATEMENT}{g}{stmt} {RDF_SUBJECT} {s}{g}"
                f"{stmt} {RDF_PREDICATE} {p}{g}{stmt} {RDF_OBJECT} {o}{g}")
            add(self.provenance(stmt, rel.evidence))

    def observations(self) -> None:
        g, add = self.end, self.lines.append
        for ob in self.ex.observations:
            node = _iri(iris.observation_iri(self.ex.doc_id, ob.measure, str(ob.value), ob.unit, ob.evidence.start))
            add(f"{node} {RDF_TYPE} {P['Observation']}{g}{node} {P['measure']} {_zh(ob.measure)}{g}"
                f'{node} {P["value"]} "{ob.value:f}"^^{XSD_DECIMAL}{g}'
                f"{node} {P['unit']} {_string(ob.unit)}{g}{node} {P['surfaceForm']} {_string(ob.surface)}{g}")
            if ob.period:
                add(f"{node} {P['refPeriod']} {date_literal(ob.period)}{g}{self.year(node, ob.period)}")
            if ob.area and ob.area in self.iri:
                add(f"{node} {P['area']} {self.iri[ob.area]}{g}")
            if ob.about and ob.about in self.iri:
                add(f"{node} {P['about']} {self.iri[ob.about]}{g}")
            if ob.qualifier:
                add(f"{node} {P['qualifier']} {_zh(ob.qualifier)}{g}")
            add(self.provenance(node, ob.evidence))

    def input_file(self, name: str | None, content_hash: str | None) -> None:
        """The file the article was read from, and the SHA-256 of its bytes that incremental builds compare."""
        if name is not None:
            self.lines.append(f"{self.article} {P['sourceFile']} {_string(name)}{self.end}")
        if content_hash is not None:
            self.lines.append(f"{self.article} {P['contentHash']} {_string(content_hash)}{self.end}")

    def records(self) -> None:
        for key in sorted(self.ex.entities):
            self.entity(key, self.ex.entities[key])
        self.identifications()
        self.events()
        self.article_iri()
        self.positions()
        self.relations()
        self.observations()


def to_nquads(ex: Extraction, text: MappedText, originals: dict[str, set[str]] | None = None, *,
              source_file: str | None = None, content_hash: str | None = None) -> str:
    """The RDF of one article as N-Quads: the entity graph's quads and the article graph's.

    ``source_file`` and ``content_hash`` describe the input file (``kg:sourceFile``,
    ``kg:contentHash``); its quads come last, in the one string the article is written to.
    """
    mapper = _Mapper(ex, text, originals or {})
    mapper.records()
    mapper.input_file(source_file, content_hash)
    return "".join(mapper.lines)
