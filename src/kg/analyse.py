"""RDF → networkx: the network of entities and events, and the measures analysts ask of it.

The network is read from the store with SPARQL, never through rdflib's networkx
converters: those make a node of every literal, so a year or "国家级" becomes a hub
that links unrelated entities (KNOWN-TRAPS). Here nodes are entities and events
only (the classes in :data:`NODE_CLASSES`), keyed by IRI; edges are the binary
relations between them (:data:`RELATIONS`), plus each position collapsed into one
person → organisation edge (``relation="holdsPosition"``).

rdflib input is loaded into an in-memory Oxigraph store first, so there is one code
path, and it is the fast one: Oxigraph answers these queries 20-60× faster than
rdflib's SPARQL at a million triples. Every query reads the union of all graphs and
keeps its OPTIONALs last. A triple that several graphs hold comes back once per
graph from Oxigraph 0.5 (KNOWN-TRAPS), so answers are collected into sets.

Everything returned is sorted, so the same data gives the same tables, the same
communities and the same paths on every run.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from itertools import pairwise
from typing import TYPE_CHECKING

import networkx as nx
import pyoxigraph as ox
import rdflib
from rdflib import RDFS
from rdflib.term import URIRef

from kg.errors import KGError
from kg.rdf.iris import article_iri
from kg.rdf.namespaces import KG, KG_IRI
from kg.serialise import to_oxigraph
from kg.store import Store

if TYPE_CHECKING:
    import pandas as pd

GraphData = rdflib.Graph | Store
"""What the analysis reads: an rdflib Graph or Dataset (read as the union), or a kg Store."""

NODE_CLASSES: tuple[URIRef, ...] = (
    KG.Official,
    KG.Agency,
    KG.Company,
    KG.Park,
    KG.Place,
    KG.Event,
    KG.Person,
    KG.Organization,
)
"""Classes whose instances are nodes, most specific first: a node's ``type`` is the first it has."""

RELATIONS: tuple[URIRef, ...] = (
    KG.subOrganizationOf,
    KG.manages,
    KG.locatedIn,
    KG.participant,
    KG.organizer,
    KG.location,
    KG.partOf,
)
"""The binary relations drawn as edges, each edge's ``relation`` being the local name."""

SUPERCLASSES: dict[str, frozenset[str]] = {
    "Person": frozenset({"Official", "Person"}),
    "Organization": frozenset({"Agency", "Company", "Organization"}),
}
"""Node types a contract superclass covers, for :func:`filter_classes`: an Official is a Person."""

EVENT_ROLES: tuple[URIRef, ...] = (KG.participant, KG.organizer, KG.location)
"""How an entity takes part in an event, for :func:`timeline`."""

POSITION = "holdsPosition"
INVERSE = "^"
"""Marks a hop of :func:`shortest_path` that goes against the relation (SPARQL's inverse path)."""

EXACT_BETWEENNESS_MAX_NODES = 500
BETWEENNESS_SAMPLE = 100
BETWEENNESS_SEED = 0
"""Exact betweenness costs one BFS per node (O(n·m)); above 500 nodes it is estimated from
100 sampled sources, always the same ones. Each costs ≈ 0.8 s at 150k edges on a 2-core machine."""

_RDFS_LABEL = str(RDFS.label)

CENTRALITY_COLUMNS = ["iri", "label", "type", "degree", "betweenness", "pagerank"]
CLASS_COUNT_COLUMNS = ["class", "count"]
RELATION_COUNT_COLUMNS = ["relation", "count"]
POSITION_COLUMNS = [
    "holder", "title", "organization", "firstAttestedOn", "attestedOn", "holder_iri", "organization_iri",
]  # fmt: skip
MEETING_COLUMNS = ["a", "b", "events", "event_names", "a_iri", "b_iri"]
MEETING_ROLES = ("participant", "organizer")
"""How an entity is present at an event, for :func:`co_participation`."""
MEASURES = ("pagerank", "degree")
"""What :func:`scores` can rank nodes by."""
TIMELINE_COLUMNS = ["date", "end_date", "event", "kind", "role", "event_iri"]


def _frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    """Rows as a DataFrame; pandas is imported here, as ``kg viz`` and ``kg query`` do not need it."""
    import pandas as pd

    return pd.DataFrame(rows, columns=columns)


def _local(iri: str) -> str:
    """``Official`` for ``kg:Official``: the names analysts see in tables."""
    return iri.removeprefix(KG_IRI)


def _values(terms: Iterable[URIRef]) -> str:
    """A VALUES list of ontology terms; they come from the closed ``KG`` namespace, never from input."""
    return " ".join(f"kg:{_local(str(term))}" for term in terms)


_TYPES_QUERY = f"""
SELECT ?node ?class WHERE {{
  VALUES ?class {{ {_values(NODE_CLASSES)} }}
  ?node a ?class .
  FILTER (isIRI(?node))
}}"""

_NAMES_QUERY = """
SELECT ?node ?property ?name WHERE {
  VALUES ?property { rdfs:label skos:altLabel }
  ?node ?property ?name .
  FILTER (isLiteral(?name))
}"""

_RELATIONS_QUERY = f"""
SELECT ?subject ?relation ?object WHERE {{
  VALUES ?relation {{ {_values(RELATIONS)} }}
  ?subject ?relation ?object .
}}"""

_ARTICLES_QUERY = """
SELECT ?node ?article WHERE {
  { ?node kg:mentionedIn ?article }
  UNION
  { ?node a kg:Event ; prov:wasDerivedFrom ?article }
}"""

_EVENT_DATES_QUERY = """
SELECT ?event ?start ?end WHERE {
  ?event a kg:Event .
  OPTIONAL { ?event kg:startDate ?start }
  OPTIONAL { ?event kg:endDate ?end }
}"""

_POSITIONS_QUERY = """
SELECT ?person ?organization ?title ?evidence ?attested WHERE {
  ?position a kg:Position ;
            kg:holder ?person ;
            kg:organization ?organization ;
            kg:title ?title .
  OPTIONAL { ?position kg:evidence ?evidence }
  OPTIONAL { ?position kg:attestedOn ?attested }
}"""

_TIMELINE_QUERY = f"""
SELECT ?entity ?event ?role ?label ?date ?end ?kind WHERE {{
  VALUES ?role {{ {_values(EVENT_ROLES)} }}
  ?event ?role ?entity ;
         a kg:Event .
  OPTIONAL {{ ?event rdfs:label ?label FILTER (lang(?label) = "zh") }}
  OPTIONAL {{ ?event kg:startDate ?date }}
  OPTIONAL {{ ?event kg:endDate ?end }}
  OPTIONAL {{ ?event kg:eventKind ?kind }}
}}"""


def as_store(data: GraphData) -> Store:
    """``data`` as something to query: a Store as it is, an rdflib graph copied into memory."""
    if isinstance(data, Store):
        return data
    if isinstance(data, rdflib.Graph):
        store = Store()
        store.oxigraph.extend(to_oxigraph(data))
        return store
    raise KGError(f"cannot analyse a {type(data).__name__}; pass an rdflib Graph or Dataset, or a kg Store")


def _solutions(store: Store, sparql: str, **bindings: ox.NamedNode) -> Iterator[tuple[str | None, ...]]:
    """Each answer as a tuple of lexical values in SELECT order (None where unbound).

    Positional, because reading a solution by variable name costs more than the
    query itself at a million triples.
    """
    for row in store.query(sparql, substitutions=bindings):
        yield tuple(None if term is None else term.value for term in row)


def _iri_tail(iri: str) -> str:
    """The last path segment of an IRI: a name of last resort for an unlabelled node."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _node_types(store: Store) -> dict[str, str]:
    """Each entity and event IRI → the local name of its most specific class."""
    classes: dict[str, set[str]] = defaultdict(set)
    for node, cls in _solutions(store, _TYPES_QUERY):
        classes[node].add(cls)
    order = [str(c) for c in NODE_CLASSES]
    return {node: _local(next(c for c in order if c in found)) for node, found in classes.items()}


def _label_rank(language: str) -> int:
    """Which label wins: ``@zh`` (canonical, simplified), other Chinese, untagged, anything."""
    if language == "zh":
        return 0
    if language.startswith("zh"):
        return 1
    return 2 if not language else 3


def _names(store: Store, nodes: set[str]) -> dict[str, tuple[str, list[str]]]:
    """Each node's label and sorted aliases (``skos:altLabel`` and the non-canonical labels)."""
    labels: dict[str, set[tuple[int, str]]] = defaultdict(set)
    others: dict[str, set[str]] = defaultdict(set)
    for row in store.query(_NAMES_QUERY):
        node, prop, name = row[0].value, row[1].value, row[2]
        if node not in nodes:
            continue
        others[node].add(name.value)
        if prop == _RDFS_LABEL:
            labels[node].add((_label_rank((name.language or "").lower()), name.value))
    named = {}
    for node in nodes:
        label = min(labels[node])[1] if labels[node] else _iri_tail(node)
        named[node] = (label, sorted(others[node] - {label}))
    return named


def _relations(store: Store) -> set[tuple[str, str, str]]:
    """Distinct (subject, relation local name, object) of the binary relations."""
    return {(s, _local(relation), o) for s, relation, o in _solutions(store, _RELATIONS_QUERY)}


def _positions(store: Store) -> dict[tuple[str, str, str], dict[str, str]]:
    """(person, organisation, title) → the latest attestation's ``attestedOn`` and ``evidence``.

    The same title at the same organisation is attested once per article; one edge
    stands for all of them, so a much-reported title does not weigh like many ties.
    The latest attestation says most about whether the title is still held; the
    earliest (``firstAttestedOn``, when it differs) says since when it is known to be.
    """
    seen: dict[tuple[str, str, str], set[tuple[str, str]]] = defaultdict(set)
    for person, org, title, evidence, attested in _solutions(store, _POSITIONS_QUERY):
        seen[(person, org, title)].add((attested or "", evidence or ""))
    positions = {}
    for key, attestations in seen.items():
        attested, evidence = max(attestations)
        first = min((date for date, _ in attestations if date), default="")
        attrs = {"attestedOn": attested, "firstAttestedOn": first if first != attested else "", "evidence": evidence}
        positions[key] = {name: value for name, value in attrs.items() if value}
    return positions


def _articles(store: Store) -> dict[str, list[str]]:
    """Each node → the sorted IRIs of the articles that mention it (an event: that state it)."""
    found: dict[str, set[str]] = defaultdict(set)
    for node, article in _solutions(store, _ARTICLES_QUERY):
        found[node].add(article)
    return {node: sorted(articles) for node, articles in found.items()}


def _event_dates(store: Store) -> dict[str, dict[str, str]]:
    """Each dated event → ``startDate`` (earliest given) and ``endDate`` (latest given, if any)."""
    starts: dict[str, set[str]] = defaultdict(set)
    ends: dict[str, set[str]] = defaultdict(set)
    for event, start, end in _solutions(store, _EVENT_DATES_QUERY):
        if start:
            starts[event].add(start)
        if end:
            ends[event].add(end)
    dates: dict[str, dict[str, str]] = {}
    for event in starts.keys() | ends.keys():
        attrs = {"startDate": min(starts[event], default=""), "endDate": max(ends[event], default="")}
        dates[event] = {name: value for name, value in attrs.items() if value}
    return dates


def entity_graph(data: GraphData) -> nx.MultiDiGraph:
    """The entity network: entities and events as nodes, relations and positions as edges.

    Node attributes: ``label`` (the ``@zh`` name), ``type`` (most specific class, e.g.
    ``Official``), ``aliases``, ``articles`` (IRIs of the articles that mention it or,
    for an event, state it); events add ``startDate`` and ``endDate`` where known.
    Edge attribute ``relation`` (``locatedIn`` …); position edges add ``title`` and,
    where the graph has them, ``evidence``, ``attestedOn`` (latest) and
    ``firstAttestedOn`` (earliest, when earlier). Edges whose ends are not both
    entities or events are left out. Nodes and edges are inserted sorted, so every
    algorithm run on the graph sees the same order.
    """
    store = as_store(data)
    types = _node_types(store)
    names = _names(store, set(types))
    articles = _articles(store)
    dates = _event_dates(store)
    graph = nx.MultiDiGraph()
    for node in sorted(types):
        label, aliases = names[node]
        graph.add_node(
            node, label=label, type=types[node], aliases=aliases, articles=articles.get(node, []), **dates.get(node, {})
        )
    for subject, relation, obj in sorted(_relations(store)):
        if subject in graph and obj in graph:
            graph.add_edge(subject, obj, key=relation, relation=relation)
    for (person, org, title), attrs in sorted(_positions(store).items()):
        if person in graph and org in graph:
            graph.add_edge(person, org, key=f"{POSITION}:{title}", relation=POSITION, title=title, **attrs)
    return graph


def undirected(graph: nx.MultiDiGraph) -> nx.Graph:
    """The simple undirected projection: who is linked to whom, however the statement runs.

    Betweenness, communities and paths are about connection, and an official is as
    connected to the visit that names him as the visit is to him.
    """
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    simple.add_edges_from(graph.edges())
    return simple


def centrality(graph: nx.MultiDiGraph, *, sample: int = BETWEENNESS_SAMPLE) -> pd.DataFrame:
    """Degree, betweenness and PageRank per node, most central (by PageRank) first.

    ``degree`` counts edges (statements) touching a node. ``betweenness`` runs on the
    undirected projection, estimated from ``sample`` sources (fixed seed) above 500
    nodes; lower ``sample`` to trade accuracy for time on a large graph. ``pagerank`` follows
    the relations' direction, so rank flows from events to their participants and
    places, from people to the organisations they serve, from units to their parents.
    Ties are broken by IRI.
    """
    simple = undirected(graph)
    k = min(sample, len(simple)) if len(simple) > EXACT_BETWEENNESS_MAX_NODES else None
    betweenness = nx.betweenness_centrality(simple, k=k, seed=BETWEENNESS_SEED)
    pagerank = nx.pagerank(graph)
    rows = [
        (node, attrs["label"], attrs["type"], graph.degree(node), betweenness[node], pagerank[node])
        for node, attrs in graph.nodes(data=True)
    ]
    rows.sort(key=lambda row: (-round(row[5], 12), row[0]))
    return _frame(rows, CENTRALITY_COLUMNS)


def communities(graph: nx.MultiDiGraph, seed: int = 0) -> list[list[str]]:
    """Louvain communities of the undirected projection, as sorted lists of IRIs, largest first.

    The same graph and seed give the same communities.
    """
    found = nx.community.louvain_communities(undirected(graph), seed=seed)
    return sorted((sorted(members) for members in found), key=lambda members: (-len(members), members[0]))


def resolve(graph: nx.MultiDiGraph, name: str) -> str:
    """The node called ``name``: an IRI in the graph, else the one node with that label, else alias."""
    if name in graph:
        return name
    labelled = sorted(node for node, attrs in graph.nodes(data=True) if attrs["label"] == name)
    aliased = sorted(node for node, attrs in graph.nodes(data=True) if name in attrs["aliases"])
    for field, matches in (("label", labelled), ("alias", aliased)):
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise KGError(f"{name}: several nodes have this {field} ({', '.join(matches)}); pass an IRI")
    raise KGError(f"{name}: no node has this IRI, label or alias")


def induced(graph: nx.MultiDiGraph, nodes: Iterable[str]) -> nx.MultiDiGraph:
    """The subgraph on ``nodes``, as a new graph with nodes and edges in ``graph``'s order.

    networkx's ``subgraph(...).copy()`` (and ``ego_graph``) iterate the node *set* when
    it is under half the graph, so their order, and with it Louvain's communities,
    changes from one process to the next (string hashing is randomised).
    """
    keep = set(nodes)
    sub = nx.MultiDiGraph()
    sub.add_nodes_from((node, attrs) for node, attrs in graph.nodes(data=True) if node in keep)
    sub.add_edges_from(
        (u, v, key, attrs) for u, v, key, attrs in graph.edges(keys=True, data=True) if u in keep and v in keep
    )
    return sub


def ego(graph: nx.MultiDiGraph, node: str, depth: int = 1) -> nx.MultiDiGraph:
    """The neighbourhood of ``node`` (IRI, label or alias) up to ``depth`` hops, either direction.

    Direction is ignored because an official's events point at him, not from him.
    """
    center = resolve(graph, node)
    return induced(graph, nx.single_source_shortest_path_length(undirected(graph), center, cutoff=depth))


def _hop(graph: nx.MultiDiGraph, u: str, v: str) -> tuple[str, str, str]:
    """One step of a path as (label, relation, label); ``^relation`` when the edge runs v → u."""
    forward = sorted(attrs["relation"] for attrs in graph.get_edge_data(u, v, default={}).values())
    if forward:
        relation = forward[0]
    else:
        relation = INVERSE + min(attrs["relation"] for attrs in graph.get_edge_data(v, u).values())
    return graph.nodes[u]["label"], relation, graph.nodes[v]["label"]


def shortest_path(graph: nx.MultiDiGraph, a: str, b: str) -> list[tuple[str, str, str]]:
    """How ``a`` is linked to ``b`` (IRIs, labels or aliases): the relation chain, hop by hop.

    Hops may run against a relation's direction, marked ``^`` as in a SPARQL path:
    ``[("张三", "^participant", "张三调研…"), ("张三调研…", "location", "某某公司")]``.
    Raises :class:`KGError` when the two are not connected.
    """
    source, target = resolve(graph, a), resolve(graph, b)
    try:
        nodes = nx.shortest_path(undirected(graph), source, target)
    except nx.NetworkXNoPath as err:
        raise KGError(f"{graph.nodes[source]['label']} and {graph.nodes[target]['label']} are not connected") from err
    return [_hop(graph, u, v) for u, v in pairwise(nodes)]


def _entity_term(entity_iri: str) -> ox.NamedNode:
    """The entity as an RDF term, so it is bound by the store, never pasted into the query."""
    try:
        return ox.NamedNode(entity_iri)
    except ValueError as err:
        raise KGError(f"{entity_iri}: not an IRI; pass an entity's IRI (see entity_graph or resolve)") from err


def timeline(data: GraphData, entity_iri: str) -> pd.DataFrame:
    """The events a person or organisation took part in, organised or hosted, in date order.

    One row per event and role (``participant``, ``organizer``, ``location``); an
    event with several dates or names in the graph shows the earliest start, latest
    end and smallest name. Undated events come last: they happened too, the text
    just did not say when. An IRI the graph does not know gives an empty table.
    """
    store = as_store(data)
    found: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for _, event, role, *details in _solutions(store, _TIMELINE_QUERY, entity=_entity_term(entity_iri)):
        values = found[(event, _local(role))]
        for name, value in zip(("label", "date", "end", "kind"), details, strict=True):
            if value is not None:
                values[name].add(value)
    rows = [
        (
            min(values["date"], default=None),
            max(values["end"], default=None),
            min(values["label"], default=_iri_tail(event)),
            min(values["kind"], default=None),
            role,
            event,
        )
        for (event, role), values in found.items()
    ]
    rows.sort(key=lambda row: (row[0] is None, row[0] or "", row[2], row[4], row[5]))
    return _frame(rows, TIMELINE_COLUMNS)


def class_counts(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """Nodes per most specific class (``Official``, ``Agency`` …), most frequent first."""
    counts: dict[str, int] = defaultdict(int)
    for _, attrs in graph.nodes(data=True):
        counts[attrs["type"]] += 1
    rows = sorted(counts.items(), key=lambda row: (-row[1], row[0]))
    return _frame(rows, CLASS_COUNT_COLUMNS)


def relation_counts(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """Edges per relation (``participant``, ``holdsPosition`` …), most frequent first."""
    counts: dict[str, int] = defaultdict(int)
    for *_, attrs in graph.edges(data=True):
        counts[attrs["relation"]] += 1
    rows = sorted(counts.items(), key=lambda row: (-row[1], row[0]))
    return _frame(rows, RELATION_COUNT_COLUMNS)


def scores(graph: nx.MultiDiGraph, measure: str = "pagerank") -> dict[str, float]:
    """Each node's ``pagerank`` (the relations' direction followed) or ``degree`` (edges touching it)."""
    if measure == "pagerank":
        return nx.pagerank(graph) if len(graph) else {}
    if measure == "degree":
        return {node: float(degree) for node, degree in graph.degree()}
    raise KGError(f"unknown measure {measure!r}; use one of {', '.join(MEASURES)}")


def top_nodes(graph: nx.MultiDiGraph, k: int, measure: str | dict[str, float] = "pagerank") -> list[str]:
    """The ``k`` highest-scoring nodes (by a measure's name, or given scores), ties broken by IRI."""
    ranked = scores(graph, measure) if isinstance(measure, str) else measure
    return sorted(graph.nodes, key=lambda node: (-round(ranked.get(node, 0.0), 12), node))[: max(k, 0)]


def filter_classes(graph: nx.MultiDiGraph, classes: Collection[str]) -> nx.MultiDiGraph:
    """The nodes of the given classes and the edges among them; ``Person`` covers ``Official`` too.

    Class names are local names (``Official``, ``Agency``), in any letter case.
    """
    known = {_local(str(c)).lower(): _local(str(c)) for c in NODE_CLASSES}
    wanted: set[str] = set()
    for name in classes:
        local = known.get(name.removeprefix("kg:").lower())
        if local is None:
            raise KGError(f"{name}: unknown class; use one of {', '.join(known.values())}")
        wanted |= SUPERCLASSES.get(local, {local})
    return induced(graph, (node for node, attrs in graph.nodes(data=True) if attrs["type"] in wanted))


def filter_articles(graph: nx.MultiDiGraph, articles: Collection[str]) -> nx.MultiDiGraph:
    """What the given articles mention (entities) or state (events), and the edges among them.

    An article is named by its id (the file stem, ``seed-001``) or its IRI.
    """
    wanted = {name: name if "://" in name else str(article_iri(name)) for name in articles}
    known = {article for _, attrs in graph.nodes(data=True) for article in attrs.get("articles", [])}
    missing = sorted(name for name, iri in wanted.items() if iri not in known)
    if missing:
        shown = ", ".join(_iri_tail(a) for a in sorted(known)[:10]) + (" …" if len(known) > 10 else "")
        raise KGError(f"{', '.join(missing)}: no such article in the graph; known: {shown or 'none'}")
    iris = set(wanted.values())
    return induced(
        graph, (node for node, attrs in graph.nodes(data=True) if iris.intersection(attrs.get("articles", ())))
    )


_DAY = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def day_range(value: str) -> tuple[str, str]:
    """The first and last day (``YYYY-MM-DD``) a date, month or year covers: ``2021-10`` → 10-01 … 10-31.

    A dateTime counts as its day. Raises :class:`KGError` for anything else.
    """
    match = _DAY.fullmatch(value.strip()[:10])
    if not match:
        raise KGError(f"{value!r}: not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    try:
        if day:
            calendar.weekday(int(year), int(month), int(day))
            return f"{year}-{month}-{day}", f"{year}-{month}-{day}"
        if month:
            last = calendar.monthrange(int(year), int(month))[1]
            return f"{year}-{month}-01", f"{year}-{month}-{last:02d}"
    except ValueError as err:
        raise KGError(f"{value!r}: not a date ({err})") from err
    return f"{year}-01-01", f"{year}-12-31"


def _overlaps(first: str | None, last: str | None, since: str, until: str) -> bool:
    """Whether the span from ``first`` to ``last`` (either may be missing) meets [since, until]."""
    if not first and not last:
        return False
    start = day_range(first or last)[0]  # type: ignore[arg-type]
    end = day_range(last or first)[1]  # type: ignore[arg-type]
    return start <= until and end >= since


def filter_dates(graph: nx.MultiDiGraph, since: str | None = None, until: str | None = None) -> nx.MultiDiGraph:
    """What happened between ``since`` and ``until`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, inclusive).

    Kept: the events whose dates (start to end) meet the window, with what they link
    to (participants, organisers, places, the events they are part of if those meet
    the window too); the positions attested in it (earliest to latest attestation),
    with their holder and organisation; and every other edge among what is kept.
    Undated events and positions are left out: nothing says they fall in the window.
    """
    low = day_range(since)[0] if since else "0000-01-01"
    high = day_range(until)[1] if until else "9999-12-31"
    events_in = {
        node
        for node, attrs in graph.nodes(data=True)
        if attrs["type"] == "Event" and _overlaps(attrs.get("startDate"), attrs.get("endDate"), low, high)
    }
    keep = set(events_in)
    for event in events_in:
        keep.update(graph.successors(event))
        keep.update(graph.predecessors(event))
    positions_out = []
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        if attrs["relation"] != POSITION:
            continue
        if _overlaps(attrs.get("firstAttestedOn"), attrs.get("attestedOn"), low, high):
            keep.update((u, v))
        else:
            positions_out.append((u, v, key))
    keep = {node for node in keep if graph.nodes[node]["type"] != "Event" or node in events_in}
    window = induced(graph, keep)
    window.remove_edges_from(edge for edge in positions_out if window.has_edge(*edge))
    return window


def co_participation(graph: nx.MultiDiGraph, types: Collection[str] | None = None) -> nx.Graph:
    """Who met whom: entities linked when they took part in (or organised) the same event.

    Nodes keep their attributes; each edge has ``weight`` (the number of shared
    events) and ``events`` (their IRIs, sorted). ``types`` limits the nodes to those
    classes (``Official``, ``Agency`` …; ``Person`` covers officials too), else
    anything but events and places.
    """
    wanted = None
    if types is not None:
        wanted = set().union(*(SUPERCLASSES.get(name, {name}) for name in types))
    met = nx.Graph()
    for event, attrs in graph.nodes(data=True):
        if attrs["type"] != "Event":
            continue
        present = sorted(
            {
                node
                for _, node, data in graph.out_edges(event, data=True)
                if data["relation"] in MEETING_ROLES
                and (wanted is None or graph.nodes[node]["type"] in wanted)
                and (wanted is not None or graph.nodes[node]["type"] not in ("Event", "Place"))
            }
        )
        if len(present) < 2:
            continue  # alone at an event: met nobody
        for node in present:
            met.add_node(node, **graph.nodes[node])
        for i, a in enumerate(present):
            for b in present[i + 1 :]:
                if met.has_edge(a, b):
                    met.edges[a, b]["events"].append(event)
                else:
                    met.add_edge(a, b, events=[event])
    for _, _, data in met.edges(data=True):
        data["events"].sort()
        data["weight"] = len(data["events"])
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(met.nodes(data=True)))
    ordered.add_edges_from(sorted((min(a, b), max(a, b), d) for a, b, d in met.edges(data=True)))
    return ordered


def meetings(graph: nx.MultiDiGraph, types: Collection[str] | None = None) -> pd.DataFrame:
    """:func:`co_participation` as a table, one row per pair, most shared events first."""
    met = co_participation(graph, types)
    rows = []
    for a, b, data in met.edges(data=True):
        first, second = sorted((a, b), key=lambda node: (met.nodes[node]["label"], node))
        names = "、".join(graph.nodes[event]["label"] for event in data["events"])
        rows.append((met.nodes[first]["label"], met.nodes[second]["label"], data["weight"], names, first, second))
    rows.sort(key=lambda row: (-row[2], row[0], row[1], row[4], row[5]))
    return _frame(rows, MEETING_COLUMNS)


def positions(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """Every title held, as the articles attest it: holder, title, organisation, first and last attested.

    In date order (latest attestation, undated last), then by holder and title.
    """
    rows = [
        (
            graph.nodes[person]["label"],
            attrs["title"],
            graph.nodes[org]["label"],
            attrs.get("firstAttestedOn", attrs.get("attestedOn")),
            attrs.get("attestedOn"),
            person,
            org,
        )
        for person, org, attrs in graph.edges(data=True)
        if attrs["relation"] == POSITION
    ]
    rows.sort(key=lambda row: (row[4] is None, row[4] or "", row[0], row[1], row[5], row[6]))
    return _frame(rows, POSITION_COLUMNS)
