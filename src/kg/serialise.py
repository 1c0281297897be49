"""RDF out: a Dataset (or a store's quads) as Turtle, TriG, N-Quads, N-Triples or JSON-LD bytes.

The format follows the output file's extension. Output is canonical, so that the same
data gives byte-identical files on every run and machine (graphs are diffed and
committed, and ``kg build`` promises that a second run changes nothing):

* quads are de-duplicated and sorted (graph, subject, ``rdf:type`` first, predicate,
  object) by their N-Triples spelling, so no set or dict iteration order leaks out;
* blank nodes, if any, are renamed by RDFC-1.0 canonicalisation first;
* the writer is Oxigraph's streaming serialiser, which keeps the order it is given
  and groups consecutive triples of one subject (``;``) and predicate (``,``).

``.ttl`` and ``.nt`` hold triples only: every graph is merged into one, with repeated
triples written once. ``.trig``, ``.nq`` and ``.jsonld`` keep the named graphs.

Language tags come out in lower case (``@zh-hant``): Oxigraph normalises them, as
RDF 1.1 allows (BCP 47 tags are case-insensitive), and the store does the same.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.errors import KGError
from kg.fsutil import atomic_write_bytes
from kg.rdf.namespaces import PREFIXES

RdfData = rdflib.Graph | Iterable[ox.Quad]
"""What can be serialised: an rdflib Graph or Dataset, or Oxigraph quads (a store)."""

FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
}
"""File extension → RDF syntax; the one table every reader and writer of graph files uses."""

_WRITE_PREFIXES = {name: iri for name, iri in PREFIXES.items() if name != "kgr"}
"""Prefixes for the writers. ``kgr:`` is left out: every resource IRI has a ``/`` in its
local part, which Turtle must escape (``kgr:person\\/…``), and rdflib's SPARQL silently
matches nothing for such names (KNOWN-TRAPS), so resources are written as full IRIs."""
_RDF_TYPE = PREFIXES["rdf"] + "type"
_XSD_STRING = PREFIXES["xsd"] + "string"


def rdf_format(path: str | Path) -> ox.RdfFormat:
    """The RDF syntax for a file name (or a bare extension such as ``.trig``)."""
    text = str(path)
    suffix = text.lower() if text.startswith(".") and "/" not in text else Path(text).suffix.lower()
    try:
        return FORMATS[suffix]
    except KeyError:
        known = " ".join(FORMATS)
        shown = suffix or "no extension"
        raise KGError(f"{path}: unknown RDF format ({shown}); use one of {known}") from None


def serialise(data: RdfData, fmt: str | Path) -> bytes:
    """Canonical bytes of ``data`` in the syntax named by ``fmt`` (a file name or extension)."""
    syntax = rdf_format(fmt)
    quads = canonical_quads(data, merge_graphs=not syntax.supports_datasets)
    out = ox.serialize(quads, format=syntax, prefixes=_WRITE_PREFIXES)
    if syntax == ox.RdfFormat.JSON_LD:
        # Oxigraph writes one long line; indent it so diffs stay readable (order is kept).
        out = json.dumps(json.loads(out), ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    return out


def write_rdf(data: RdfData, path: str | Path) -> None:
    """Serialise ``data`` to ``path`` atomically, in the syntax its extension names."""
    atomic_write_bytes(path, serialise(data, path))


def canonical_quads(data: RdfData, *, merge_graphs: bool = False) -> list[ox.Quad]:
    """De-duplicated quads in canonical order, blank nodes canonicalised.

    With ``merge_graphs`` every quad is moved to the default graph first, which is
    what a triples-only syntax (Turtle, N-Triples) writes.
    """
    quads: Iterable[ox.Quad] = to_oxigraph(data) if isinstance(data, rdflib.Graph) else data
    if merge_graphs:
        quads = (ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    unique = set(quads)
    if any(isinstance(t, ox.BlankNode) for q in unique for t in (q.subject, q.object, q.graph_name)):
        dataset = ox.Dataset(unique)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        unique = set(dataset)
    return sorted(unique, key=_quad_key)


def _quad_key(quad: ox.Quad) -> tuple[str, str, bool, str, str]:
    """Sort key: default graph first, then by N-Triples spelling; ``rdf:type`` leads a subject."""
    graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name)
    predicate = quad.predicate.value
    return graph, str(quad.subject), predicate != _RDF_TYPE, predicate, str(quad.object)


def to_oxigraph(data: rdflib.Graph) -> Iterable[ox.Quad]:
    """The quads of an rdflib Graph or Dataset as Oxigraph quads (rdflib's default graph → default)."""
    if isinstance(data, rdflib.Dataset):
        for s, p, o, g in data.quads((None, None, None, None)):
            graph_id = g.identifier if isinstance(g, rdflib.Graph) else g
            graph = ox.DefaultGraph() if graph_id is None or graph_id == DATASET_DEFAULT_GRAPH_ID else _term(graph_id)
            yield ox.Quad(_term(s), _term(p), _term(o), graph)
    else:
        for s, p, o in data:
            yield ox.Quad(_term(s), _term(p), _term(o))


def to_rdflib(quads: Iterable[ox.Quad]) -> rdflib.Dataset:
    """Oxigraph quads (a store) as an rdflib Dataset, for rdflib-based tools (pySHACL, the view).

    ``xsd:string`` literals become plain rdflib literals, which rdflib otherwise
    treats as different from the same text without a datatype.
    """
    dataset = rdflib.Dataset()
    for q in quads:
        graph = DATASET_DEFAULT_GRAPH_ID if isinstance(q.graph_name, ox.DefaultGraph) else rdflib_node(q.graph_name)
        dataset.add((rdflib_node(q.subject), rdflib_node(q.predicate), rdflib_node(q.object), graph))
    return dataset


def rdflib_node(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> rdflib.term.Node:
    """One Oxigraph term as the equivalent rdflib term (also how bench/query_scale.py binds rdflib's parameters)."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise KGError(f"cannot convert RDF term {term!r} of type {type(term).__name__}")


def _term(term: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """One rdflib term as the equivalent Oxigraph term."""
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise KGError(f"cannot serialise RDF term {term!r} of type {type(term).__name__}")
