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

import time
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
        self.copy_of: Path | None = None
        """The store folder an :meth:`in_memory` copy was read from (``None`` for any other store)."""

    @classmethod
    def in_memory(cls, path: str | Path) -> Store:
        """A read-only copy of the store folder ``path``, held in memory, for a session of many queries.

        On disk every index lookup goes through RocksDB; in memory most of the
        competency questions run 2–5× faster (bench/RESULTS.md: one agency's
        officials at 1M quads, 15.7 → 3.6 ms), though not all (08's transitive
        ``kg:locatedIn*`` over a whole year at 10M quads: 6.7 → 38.7 s). Reading the
        copy costs what decoding every quad costs, about 17 s and 400–600 MiB per
        million quads, so it pays for a notebook or a script that asks many
        questions, not for one ``kg query``. The folder is opened read-only, so a
        build may hold it meanwhile; the copy is what the store held when it was read.
        """
        with cls(path, read_only=True) as disk:
            copy = cls()
            try:
                copy.oxigraph.bulk_extend(disk.oxigraph.quads_for_pattern(None, None, None, None))
            except OSError as err:
                raise StoreError(f"{disk.path}: cannot read the store ({err})") from err
        copy.copy_of = disk.path
        return copy

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

    def flush(self) -> None:
        """Write RocksDB's in-memory tables to disk.

        A long build flushes every :data:`FLUSH_EVERY` articles: otherwise the store's
        write buffers (one per index) fill up to about a gigabyte before RocksDB
        flushes them itself; flushing keeps a build's memory flat and its writes faster
        (2,000 articles: peak 1,031 → 422 MiB, 133 → 94 s).
        """
        try:
            self.oxigraph.flush()
        except OSError as err:
            raise StoreError(f"{self.path or 'store'}: cannot flush ({err})") from err

    def optimize(self) -> None:
        """Compact the store's files (a full RocksDB compaction), so lookups read fewer of them.

        Writes land in many small sorted files; a query's index lookups then probe all
        of them. After a build, one compaction made the parameterised queries 2–5×
        faster (10M quads: query 03 50 → 10 ms; a 10,000-article build: 01 29 → 15 ms)
        and takes 15 s on that build's store (42 s at 10M quads), so builds run it only
        after writing a good share of the store (:func:`kg.corpus.build_corpus`).
        """
        try:
            self.oxigraph.optimize()
        except OSError as err:
            raise StoreError(f"{self.path or 'store'}: cannot compact ({err})") from err

    def clear(self) -> None:
        """Remove every quad and graph (``kg build --fresh``)."""
        self._check_writable()
        try:
            self.oxigraph.clear()
        except OSError as err:
            raise StoreError(f"{self.path or 'store'}: cannot clear ({err})") from err

    def replace_article(self, graph: str | rdflib.URIRef, data: RdfData | bytes) -> None:
        """Swap in one article's graph and merge its entity facts; a kill leaves no part of it.

        ``data`` (quads, or N-Quads bytes as a build's workers send them) may hold only
        the article graph ``graph`` and the entity graph, and no blank node in the
        entity graph (each insert would mint a new one, and a second build would no
        longer leave the store as it was). Four Oxigraph transactions, ordered so that
        the article graph, which carries the content hash a resumed build looks for,
        comes last: drop the old article graph; load the entity facts; keep one @zh
        label per entity (the longest; the others become altLabels); load the article
        graph. A kill in between leaves the article absent, so the next build does it
        again, and entity facts merge with set semantics, so the repeat changes nothing.
        Loading N-Quads in Rust is what keeps the single writer ahead of the workers:
        parsing them into Python quads and writing a SPARQL update cost 25 ms an article.
        """
        self._check_writable()
        article, entities = str(graph), str(ENTITY_GRAPH)
        if isinstance(data, bytes):
            text = data.decode("utf-8")
        else:
            text = ox.serialize(canonical_quads(data), format=ox.RdfFormat.N_QUADS).decode("utf-8")
        parts = _split_article(text, article, entities)
        try:
            self.oxigraph.update(f"DROP SILENT GRAPH <{article}>")
            if parts.entity_lines:
                self.oxigraph.load("\n".join(parts.entity_lines), format=ox.RdfFormat.N_QUADS)
            if parts.labelled:
                self.oxigraph.update(_ONE_LABEL.format(graph=f"<{entities}>", subjects=" ".join(parts.labelled)))
            if parts.article_lines:
                self.oxigraph.load("\n".join(parts.article_lines), format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError) as err:
            raise StoreError(f"{self.path or 'store'}: cannot replace {article} ({err})") from err

    def _check_writable(self) -> None:
        """Refuse to change an in-memory copy: the change would vanish with it, the folder unchanged."""
        if self.copy_of is not None:
            raise StoreError(f"{self.copy_of}: this is a read-only copy in memory; open the folder to change it")

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


# Two articles may name one entity differently (某某技术部 / 某技部): the entity keeps one
# rdfs:label@zh, the fullest (then the first in code-point order), whatever the build
# order, and the others become skos:altLabel.
_ONE_LABEL = """
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


_LABEL_IRI = "<http://www.w3.org/2000/01/rdf-schema#label>"


@dataclass
class _ArticleParts:
    """An article's N-Quads lines by graph, and the entities it gives an rdfs:label."""

    entity_lines: list[str]
    article_lines: list[str]
    labelled: list[str]


def _split_article(text: str, article: str, entities: str) -> _ArticleParts:
    """Sort N-Quads lines (one quad each) by graph; refuse other graphs and entity blank nodes."""
    article_end, entity_end = f"<{article}> .", f"<{entities}> ."
    parts, stray, labelled = _ArticleParts([], [], []), set(), set()
    for line in text.splitlines():
        line = line.rstrip()
        if not line or line.startswith("#"):
            continue
        # "s p o g ." has three spaces before g; a default-graph "s p g ." naming g has two
        in_graph = line[: -len(article_end)].count(" ") >= 3
        if line.endswith(article_end) and in_graph:
            parts.article_lines.append(line)
        elif line.endswith(entity_end) and line[: -len(entity_end)].count(" ") >= 3:
            parts.entity_lines.append(line)
            subject, predicate, _ = line.split(" ", 2)
            if predicate == _LABEL_IRI:
                labelled.add(subject)
        else:
            stray.add(line.rsplit(" ", 2)[-2])
    if stray:
        raise StoreError(f"article data for {article} holds other graphs ({', '.join(sorted(stray))}); "
                         "expected only the article graph and the entity graph")
    if any("_:" in line for line in parts.entity_lines) and any(
            isinstance(t, ox.BlankNode) for q in ox.parse("\n".join(parts.entity_lines), format=ox.RdfFormat.N_QUADS)
            for t in (q.subject, q.object)):
        raise StoreError(f"article data for {article} puts a blank node in the entity graph")
    parts.labelled = sorted(labelled)
    return parts


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
        if read_only:
            return _open_read_only(path)
        path.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except OSError as err:
        message = str(err)
        if "lock" in message.lower():
            raise StoreError(f"{path}: store is in use by another process; close it and retry") from err
        if isinstance(err, PermissionError) or "permission denied" in message.lower():
            raise StoreError(f"{path}: permission denied") from err
        raise StoreError(f"{path}: cannot open store ({message})") from err
    except RuntimeError as err:  # how RocksDB reports a damaged store ("Corruption: …")
        raise StoreError(f"{path}: cannot open store ({err}); restore it from a backup or build a new one") from err


def _open_read_only(path: Path) -> ox.Store:
    """Open the folder read-only, trying again while a writer's compaction swaps its files (below)."""
    for attempt in range(1, _READ_ONLY_ATTEMPTS):
        try:
            return ox.Store.read_only(str(path))
        except RuntimeError as err:
            if "No such file or directory" not in str(err):
                raise
            time.sleep(0.05 * attempt)
    return ox.Store.read_only(str(path))


_READ_ONLY_ATTEMPTS = 5
"""How often a read-only open is tried while a writer compacts the folder.

RocksDB opens a store read-only by reading its file list, then each file. A writer
(a build, in another process or this one) may meanwhile compact and delete a listed
file, and the open fails with "Corruption: … No such file or directory" though
nothing is damaged (rocksdb#14125). Seen in 4 of 6 opens right after a write; trying
again reads the new list. A store really missing a file still gets its error, after
the five tries (half a second).
"""
