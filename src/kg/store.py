"""The embedded Oxigraph store: where articles' graphs accumulate and queries run.

One article is one named graph (``kgr:graph/article/{id}``); entities' own facts live
once in the shared entity graph (``docs/graph-layout.md``). Re-building an article
replaces its named graph and *adds* its entity triples (set semantics), so running a
build twice over the same input leaves the store exactly as it was.

Queries always read the union of all graphs (``use_default_graph_as_union``), so the
``.rq`` files need no ``GRAPH`` clauses. Oxigraph's own errors (``OSError`` from
RocksDB, ``SyntaxError`` from its parsers) become :class:`~kg.errors.StoreError`,
:class:`~kg.errors.QueryError` or :class:`~kg.errors.InputError` here, so callers
see one exception tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import pyoxigraph as ox
import rdflib

from kg.errors import InputError, QueryError, StoreError
from kg.rdf.namespaces import ENTITY_GRAPH, KGR, PREFIXES
from kg.serialise import RdfData, canonical_quads, rdf_format, to_rdflib, write_rdf

ARTICLE_GRAPH_PREFIX = str(KGR["graph/article/"])
"""What ``kg build`` reads from a folder; anything else there (``*.gold.json`` …) is skipped."""

QueryResults = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
Term = ox.NamedNode | ox.BlankNode | ox.Literal
_ROCKSDB_MARKERS = ("CURRENT", "IDENTITY")


@dataclass
class Counts:
    """What a store holds: quads, named graphs, article graphs and resources per class."""

    quads: int
    graphs: int
    articles: int
    by_class: dict[str, int] = field(default_factory=dict)
    """Distinct resources per ``rdf:type``, keyed by the class's prefixed name (``kg:Official``)."""


class Store:
    """A pyoxigraph store on disk (``path``) or in memory (``path=None``).

    ``read_only`` opens an existing store without taking its lock, so queries can run
    while another process (a notebook, a long build) holds the store open.
    """

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self._ox = _open(self.path, read_only=read_only)

    @classmethod
    def from_file(cls, path: str | Path) -> Store:
        """An in-memory store holding one graph file (``.ttl .trig .nq .nt .jsonld``).

        Triples-only files (Turtle, N-Triples) land in the default graph; queries read
        the union of all graphs either way.
        """
        path = Path(path)
        if path.is_dir():
            raise InputError(f"{path}: is a directory, not a graph file")
        syntax = rdf_format(path)
        store = cls()
        try:
            store.oxigraph.load(path=str(path), format=syntax)
        except FileNotFoundError as err:
            raise InputError(f"{path}: no such file") from err
        except SyntaxError as err:
            raise InputError(f"{path}: not valid {syntax.name}: {err}") from err
        except OSError as err:
            raise InputError(f"{path}: cannot read ({err})") from err
        return store

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the store, and with it the directory's lock (RocksDB keeps its own log)."""
        self._ox = None

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying :class:`pyoxigraph.Store`, for callers that stream quads."""
        if self._ox is None:
            raise StoreError(f"{self.path or 'in-memory store'}: store is closed")
        return self._ox

    def __len__(self) -> int:
        return len(self.oxigraph)

    def __iter__(self) -> Iterator[ox.Quad]:
        return iter(self.oxigraph)

    def clear(self) -> None:
        """Remove every quad and graph (``kg build --fresh``)."""
        try:
            self.oxigraph.clear()
        except OSError as err:
            raise StoreError(f"{self.path or 'store'}: cannot clear ({err})") from err

    def replace_article(self, graph: str | rdflib.URIRef, dataset: RdfData) -> None:
        """Swap in one article's graph and merge its entity facts, in one transaction.

        ``dataset`` may hold only the article graph ``graph`` and the entity graph.
        The old article graph is dropped and the new one written by a single SPARQL
        update, because pyoxigraph exposes its transactions only through ``update``:
        a reader sees the old article or the new one, never neither. The entity graph
        may hold no blank node: each insert would mint a new one, and a second build
        would no longer leave the store as it was.
        """
        article = ox.NamedNode(str(graph))
        entities = ox.NamedNode(str(ENTITY_GRAPH))
        quads = canonical_quads(dataset)
        stray = sorted({str(q.graph_name) for q in quads if q.graph_name not in (article, entities)})
        if stray:
            raise StoreError(
                f"article data for {article.value} holds other graphs ({', '.join(stray)}); "
                "expected only the article graph and the entity graph"
            )
        if any(q.graph_name == entities and ox.BlankNode in (type(q.subject), type(q.object)) for q in quads):
            raise StoreError(f"article data for {article.value} puts a blank node in the entity graph")
        update = f"DROP SILENT GRAPH {article} ;\n"
        if quads:
            update += "INSERT DATA {\n" + _quad_data(quads) + "}\n"
            labelled = sorted({q.subject for q in quads if q.graph_name == entities and q.predicate == _LABEL})
            if labelled:
                update += _ONE_LABEL.format(graph=entities, subjects=" ".join(str(s) for s in labelled))
        try:
            self.oxigraph.update(update)
        except (OSError, SyntaxError) as err:
            raise StoreError(f"{self.path or 'store'}: cannot replace {article.value} ({err})") from err

    def query(self, sparql: str, *, substitutions: dict[str, Term] | None = None) -> QueryResults:
        """Run a read-only SPARQL query over the union of all graphs.

        ``substitutions`` pre-binds projected variables to RDF terms (SEP-0007), the
        safe way to pass parameters: values never become query text. The kg prefixes
        (``kg:``, ``kgr:``, ``rdfs:`` …) are predeclared.
        """
        subs = {ox.Variable(name): term for name, term in (substitutions or {}).items()}
        try:
            return self.oxigraph.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES, substitutions=subs)
        except SyntaxError as err:
            raise QueryError(f"invalid SPARQL: {err}") from err
        except RuntimeError as err:  # pyoxigraph's way of rejecting a substitution
            raise QueryError(str(err)) from err
        except OSError as err:
            raise StoreError(f"{self.path or 'store'}: query failed ({err})") from err

    def to_dataset(self) -> rdflib.Dataset:
        """Every quad as an rdflib Dataset, for the rdflib-based validator and view."""
        return to_rdflib(self.oxigraph)

    def export(self, path: str | Path) -> None:
        """Write every quad to ``path`` (format from its extension), canonical and atomic."""
        write_rdf(self.oxigraph, path)

    def named_graphs(self) -> list[str]:
        """Every named graph's IRI, sorted."""
        return sorted(g.value for g in self.oxigraph.named_graphs() if isinstance(g, ox.NamedNode))

    def article_graphs(self) -> list[str]:
        """The IRIs of the articles' named graphs, sorted."""
        return [g for g in self.named_graphs() if g.startswith(ARTICLE_GRAPH_PREFIX)]

    def counts(self) -> Counts:
        """Quads, graphs, articles, and distinct resources per class (over all graphs)."""
        graphs = self.named_graphs()
        rows = self.query("SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class")
        by_class = {compact(row["class"].value): int(row["n"].value) for row in rows}
        return Counts(
            quads=len(self),
            graphs=len(graphs),
            articles=sum(g.startswith(ARTICLE_GRAPH_PREFIX) for g in graphs),
            by_class=dict(sorted(by_class.items())),
        )


_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
# Two articles may name one entity differently (某某技术部 / 某技部): the entity keeps one
# rdfs:label@zh, the fullest (then the first in code-point order), whatever the build
# order, and the others become skos:altLabel.
_ONE_LABEL = """;
DELETE {{ GRAPH {graph} {{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }} }}
INSERT {{ GRAPH {graph} {{ ?s <http://www.w3.org/2004/02/skos/core#altLabel> ?l }} }}
WHERE {{
  VALUES ?s {{ {subjects} }}
  GRAPH {graph} {{
    ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l , ?other .
    FILTER(lang(?l) = "zh" && lang(?other) = "zh" && ?other != ?l
           && (strlen(?other) > strlen(?l) || (strlen(?other) = strlen(?l) && str(?other) < str(?l))))
  }}
}}
"""


def compact(iri: str) -> str:
    """``kg:Official`` for the ontology's IRI; the IRI itself when no prefix matches."""
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _quad_data(quads: list[ox.Quad]) -> str:
    """SPARQL ``QuadData`` for canonical quads, written by Oxigraph's N-Triples writer.

    Each term is spelled by the RDF serialiser (escaping included), never by
    formatting user text into the update.
    """
    blocks: list[str] = []
    graph: ox.NamedNode | None = None
    triples: list[ox.Triple] = []
    for quad in [*quads, None]:
        if quad is None or quad.graph_name != graph:
            if triples:
                body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
                blocks.append(f"GRAPH {graph} {{\n{body}}}\n")
            if quad is None:
                break
            graph, triples = quad.graph_name, []
        triples.append(quad.triple)
    return "".join(blocks)


def _open(path: Path | None, *, read_only: bool) -> ox.Store:
    """Open (or create) the RocksDB directory, turning its errors into one clear line."""
    if path is None:
        return ox.Store()
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: is a file, not a store directory")
    is_store = path.is_dir() and all((path / name).exists() for name in _ROCKSDB_MARKERS)
    if read_only and not is_store:
        raise StoreError(f"{path}: no store here; create one with: kg build INPUT --store {path}")
    if not read_only and path.is_dir() and any(path.iterdir()) and not is_store:
        raise StoreError(f"{path}: not a kg store (the folder holds other files); choose a new folder")
    try:
        if not read_only:
            path.mkdir(parents=True, exist_ok=True)
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as err:
        message = str(err)
        if "lock" in message.lower():
            raise StoreError(f"{path}: store is in use by another process; close it and retry") from err
        if isinstance(err, PermissionError) or "permission denied" in message.lower():
            raise StoreError(f"{path}: permission denied") from err
        raise StoreError(f"{path}: cannot open store ({message})") from err
    except RuntimeError as err:  # how RocksDB reports a damaged store ("Corruption: …")
        raise StoreError(f"{path}: cannot open store ({err}); restore it from a backup or build a new one") from err
