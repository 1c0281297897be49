"""RDF graph → one self-contained interactive HTML network (pyvis generates, vis-network draws).

Analysts open the page straight from disk, often offline, so everything it needs is
inlined: vis-network's JavaScript and CSS from pyvis's bundled copy, our own CSS and
JavaScript from ``kg/view/``. The page makes no outside request at all, and a
Content-Security-Policy in the page says so to the browser too.

What is drawn: every entity (kg:Official … kg:Place) and every kg:Event is a node,
coloured and shaped by its most specific class; binary relations become labelled
edges; each kg:Position becomes an edge person → organisation labelled with its
title(s). Article, Position, Observation and rdf:Statement nodes are not drawn:
their content (evidence sentences, figures, headlines) travels as data in the
node and edge records, and the page's JavaScript shows it in tooltips and a side
panel, always as text (``textContent``), never as HTML.

What is selected (:class:`ViewOptions`): filters by class, article and date window
and an ego network around one entity are applied to the entity network of
:mod:`kg.analyse` first; above a node budget only the most central nodes (by degree,
or PageRank when sizing by it) are kept, and the page says so in a visible notice. Nodes are sized by PageRank,
degree or not at all, coloured by class or by Louvain community. Views above
:data:`PHYSICS_MAX_NODES` nodes get positions computed in Python (:mod:`kg.layout`)
and no physics, so the browser draws them once instead of simulating for minutes.

Text from articles reaches the page only as JSON inside a ``<script
type="application/json">`` data block, escaped by :func:`script_json` so no label
can close the element; everything
written into HTML markup goes through Jinja's autoescaping. Each name's toneless
pinyin (pypinyin) rides along, so the search box finds 张建国 by ``zhangjianguo`` or ``zjg``.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pyvis
from jinja2 import FileSystemLoader
from markupsafe import Markup
from pyvis.network import Network
from rdflib import RDF, RDFS, SKOS, BNode, ConjunctiveGraph, Dataset, Graph, Literal
from rdflib.namespace import PROV
from rdflib.term import Node, URIRef

from kg import analyse
from kg.analyse import GraphData
from kg.errors import KGError
from kg.fsutil import atomic_write_text
from kg.rdf.namespaces import KG, KG_IRI
from kg.store import Store

VIEW_DIR = Path(__file__).parent / "view"
PYVIS_TEMPLATES = Path(pyvis.__file__).parent / "templates"
PAGE_TEMPLATE = "page.html"

FONT_STACK = "'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', sans-serif"
LAYOUT_SEED = 20211023
MAX_FACTS = 60
"""Facts listed per node; a hub (a province met in every article) would otherwise bloat the page."""
DEFAULT_BUDGET = 1500
"""Most nodes drawn; a larger selection is cut to its most central nodes, and the page says so."""
PHYSICS_MAX_NODES = 200
"""Larger views are laid out in Python with physics off (vis settles 1k nodes in ≈ 4 s, 5k in 32 s)."""
SIZES = ("pagerank", "degree", "none")
COLOURS = ("class", "community")
COMMUNITY_PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#17becf", "#bcbd22", "#393b79", "#637939", "#843c39",
)  # fmt: skip
"""One colour per community, largest first; the rest share :data:`OTHER_COMMUNITY`."""
OTHER_COMMUNITY = "#b3b6b7"
SHAPE_ONLY = "#5d6d7e"
"""The legend's class swatches when colour shows communities: shape only."""
COMMUNITY_SEED = 0


@dataclass(frozen=True)
class ViewOptions:
    """What to draw and how. The defaults draw everything, sized by degree, coloured by class.

    ``classes``: local class names (``Official``; ``Person`` covers officials too);
    ``articles``: article ids (file stems) or IRIs; ``since``/``until``: ``YYYY[-MM[-DD]]``,
    on events' dates and positions' attestations; ``focus``: an entity (IRI, label or
    alias) whose neighbourhood of ``depth`` hops is drawn; ``size``: one of
    :data:`SIZES`; ``colour``: one of :data:`COLOURS`; ``budget``: most nodes drawn.
    """

    classes: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    focus: str | None = None
    depth: int = 1
    size: str = "degree"
    colour: str = "class"
    budget: int = DEFAULT_BUDGET

    def __post_init__(self) -> None:
        if self.size not in SIZES:
            raise KGError(f"size {self.size!r}: use one of {', '.join(SIZES)}")
        if self.colour not in COLOURS:
            raise KGError(f"colour {self.colour!r}: use one of {', '.join(COLOURS)}")
        if self.budget < 1:
            raise KGError(f"budget {self.budget}: draw at least one node")
        if self.depth < 0:
            raise KGError(f"depth {self.depth}: give 0 or more hops")
        for value in (self.since, self.until):
            if value is not None:
                analyse.day_range(value)


@dataclass(frozen=True)
class ViewSummary:
    """What was drawn, so the CLI can report it; ``notice`` is the page's notice, if any."""

    nodes: int
    edges: int
    notice: str = ""


@dataclass
class View:
    """Everything the page shows: records, legend rows, notices, and whether physics runs."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    notices: list[str] = field(default_factory=list)
    communities: list[dict[str, Any]] = field(default_factory=list)
    physics: bool = True
    colour: str = "class"


@dataclass(frozen=True)
class ClassStyle:
    """How one drawn class looks: vis group key, Chinese name for the legend, colour, shape."""

    iri: URIRef
    group: str
    name: str
    color: str
    shape: str


# Most specific first: a node takes the first class it has.
CLASS_STYLES: tuple[ClassStyle, ...] = (
    ClassStyle(KG.Official, "official", "官员", "#c0392b", "dot"),
    ClassStyle(KG.Agency, "agency", "政府机构", "#2471a3", "square"),
    ClassStyle(KG.Company, "company", "企业", "#229954", "diamond"),
    ClassStyle(KG.Park, "park", "园区", "#8e44ad", "triangle"),
    ClassStyle(KG.Place, "place", "地点", "#17a589", "triangleDown"),
    ClassStyle(KG.Event, "event", "事件", "#d68910", "star"),
    ClassStyle(KG.Person, "person", "人物", "#e67e22", "dot"),
    ClassStyle(KG.Organization, "organization", "组织", "#707b7c", "hexagon"),
)

# Binary relations drawn as edges, with the Chinese label shown on the edge.
RELATIONS: dict[URIRef, str] = {
    KG.subOrganizationOf: "隶属于",
    KG.manages: "管理",
    KG.locatedIn: "位于",
    KG.participant: "参与者",
    KG.organizer: "主办方",
    KG.location: "地点",
    KG.partOf: "属于",
}
EVENT_RELATIONS = frozenset({KG.participant, KG.organizer, KG.location, KG.partOf})
POSITION_RELATION = "kg:holdsPosition"
POSITION_NAME = "职务"

_XSD_STRING = ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")
_JSON_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def script_json(value: Any) -> Markup:
    """JSON that is safe inside a ``<script>`` element.

    ``<`` (so ``</script>`` and ``<!--``), ``>`` and ``&`` become ``\\uXXXX`` escapes, and
    so do U+2028/U+2029, which older JavaScript parsers treat as line ends. Keys are
    sorted and separators fixed so the same data gives the same bytes.
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.translate(_JSON_ESCAPES))


def union_graph(data: Graph) -> Graph:
    """The union of all graphs of a Dataset (or the graph itself), as one triple graph.

    A Dataset iterates only its default graph unless built with ``default_union``; the
    view must see the entity graph and every article graph together.
    """
    if not isinstance(data, ConjunctiveGraph):
        return data
    union = Graph()
    for s, p, o, _ in data.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def _first(values: Iterable[Node]) -> str:
    """The smallest of some literal values as text, '' if none: one stable choice among several."""
    return min((str(v) for v in values), default="")


def _label(g: Graph, node: Node) -> str:
    """The canonical name: ``rdfs:label @zh``, else another Chinese or plain label, else the IRI tail."""
    labels = [lbl for lbl in g.objects(node, RDFS.label) if isinstance(lbl, Literal)]
    for accept in (
        lambda lang: lang == "zh",
        lambda lang: lang.startswith("zh"),
        lambda lang: not lang,
        lambda lang: True,
    ):
        chosen = [str(lbl) for lbl in labels if accept((lbl.language or "").lower())]
        if chosen:
            return min(chosen)
    return str(node).rstrip("/").rsplit("/", 1)[-1]


def _aliases(g: Graph, node: Node, label: str) -> list[str]:
    """Every other name the node goes by: ``skos:altLabel`` and non-canonical labels."""
    names = {str(v) for v in g.objects(node, SKOS.altLabel)}
    names |= {str(v) for v in g.objects(node, RDFS.label)}
    names.discard(label)
    return sorted(names)


class _Reader:
    """Reads the union graph once per question the view asks, caching names and sources."""

    def __init__(self, g: Graph) -> None:
        self.g = g
        self.labels: dict[Node, str] = {}
        self.headlines: dict[Node, str] = {}

    def label(self, node: Node) -> str:
        """The cached canonical name of ``node``."""
        if node not in self.labels:
            self.labels[node] = _label(self.g, node)
        return self.labels[node]

    def headline(self, article: Node) -> str:
        """An article's headline, or its IRI when it has none (still tells the analyst where)."""
        if article not in self.headlines:
            self.headlines[article] = _first(self.g.objects(article, KG.headline)) or str(article)
        return self.headlines[article]

    def evidence(self, node: Node) -> tuple[str, str]:
        """(sentence, source headline) of a provenance-carrying node; '' where missing."""
        sentence = _first(self.g.objects(node, KG.evidence))
        articles = sorted(self.g.objects(node, PROV.wasDerivedFrom), key=str)
        return sentence, self.headline(articles[0]) if articles else ""

    def char_start(self, node: Node) -> int:
        """Where a node's evidence starts in its article, to order titles as the text gives them."""
        value = self.g.value(node, KG.charStart)
        return int(value.toPython()) if isinstance(value, Literal) else 0

    def classes(self) -> dict[Node, ClassStyle]:
        """Each drawn node mapped to the style of its most specific class."""
        drawn: dict[Node, ClassStyle] = {}
        for style in reversed(CLASS_STYLES):
            for node in self.g.subjects(RDF.type, style.iri):
                drawn[node] = style
        return drawn

    def statements(self) -> dict[tuple[Node, Node, Node], list[tuple[str, str]]]:
        """The evidence of each binary relation, from its reified ``rdf:Statement`` nodes."""
        found: dict[tuple[Node, Node, Node], list[tuple[str, str]]] = defaultdict(list)
        for st in self.g.subjects(RDF.type, RDF.Statement):
            key = (
                self.g.value(st, RDF.subject),
                self.g.value(st, RDF.predicate),
                self.g.value(st, RDF.object),
            )
            found[key].append(self.evidence(st))
        return found


def _fact(text: str, evidence: tuple[str, str]) -> dict[str, str]:
    """One line of the side panel: what is said, the sentence saying it, the article it is from."""
    return {"text": text, "evidence": evidence[0], "source": evidence[1]}


def _unique(items: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Distinct (sentence, source) pairs with a sentence, in a stable order."""
    return sorted({item for item in items if item[0]})


def _relation_edges(
    r: _Reader, drawn: dict[Node, ClassStyle], facts: dict[Node, list[dict[str, str]]]
) -> list[dict[str, Any]]:
    """Edges for the binary relations between drawn nodes, with their evidence sentences."""
    statements = r.statements()
    edges = []
    for prop, name in RELATIONS.items():
        for s, o in r.g.subject_objects(prop):
            if s not in drawn or o not in drawn:
                continue
            found = statements.get((s, prop, o), [])
            if not found and prop in EVENT_RELATIONS:
                found = [r.evidence(s)]
            sentences = _unique(found)
            edges.append(_edge(s, o, name, "kg:" + prop.removeprefix(KG_IRI), name, sentences))
            fact = _fact(f"{r.label(s)} —{name}→ {r.label(o)}", sentences[0] if sentences else ("", ""))
            facts[s].append(fact)
            facts[o].append(fact)
    return edges


def _position_edges(
    r: _Reader, drawn: dict[Node, ClassStyle], facts: dict[Node, list[dict[str, str]]]
) -> list[dict[str, Any]]:
    """One edge per (person, organisation), labelled with all titles held there: 党组书记、厅长."""
    held: dict[tuple[Node, Node], list[tuple[str, int, str, Node]]] = defaultdict(list)
    for pos in r.g.subjects(RDF.type, KG.Position):
        holder = r.g.value(pos, KG.holder) or r.g.value(predicate=KG.holdsPosition, object=pos)
        org = r.g.value(pos, KG.organization)
        title = _first(r.g.objects(pos, KG.title))
        if holder in drawn and org in drawn and title:
            article = _first(r.g.objects(pos, PROV.wasDerivedFrom))
            held[(holder, org)].append((article, r.char_start(pos), title, pos))
    edges = []
    for (holder, org), positions in held.items():
        positions.sort(key=lambda item: (item[0], item[1], item[2], str(item[3])))
        titles = list(dict.fromkeys(title for _, _, title, _ in positions))
        sentences = _unique(r.evidence(pos) for *_, pos in positions)
        label = "、".join(titles)
        edges.append(_edge(holder, org, label, POSITION_RELATION, POSITION_NAME, sentences))
        fact = _fact(f"{r.label(holder)}：{r.label(org)} {label}", sentences[0] if sentences else ("", ""))
        facts[holder].append(fact)
        facts[org].append(fact)
    return edges


def _edge(s: Node, o: Node, label: str, relation: str, kind: str, sentences: list[tuple[str, str]]) -> dict[str, Any]:
    """A vis edge record; the sentences ride along for the tooltip and the panel."""
    return {
        "from": str(s),
        "to": str(o),
        "label": label,
        "relation": relation,
        "kind": kind,
        "sentences": [{"text": text, "source": source} for text, source in sentences],
    }


def _observation_facts(r: _Reader, drawn: dict[Node, ClassStyle], facts: dict[Node, list[dict[str, str]]]) -> None:
    """Reported figures listed on their area (and what they are about), not drawn as nodes."""
    for obs in r.g.subjects(RDF.type, KG.Observation):
        measure = _first(r.g.objects(obs, KG.measure))
        amount = _first(r.g.objects(obs, KG.surfaceForm)) or (
            _first(r.g.objects(obs, KG.value)) + _first(r.g.objects(obs, KG.unit))
        )
        period = _first(r.g.objects(obs, KG.refPeriod))
        text = f"{measure}：{amount}" + (f"（{period}）" if period else "")
        targets = set(r.g.objects(obs, KG.area)) | set(r.g.objects(obs, KG.about))
        for target in sorted(targets & drawn.keys(), key=str):
            facts[target].append(_fact(text, r.evidence(obs)))


def _event_details(r: _Reader, event: Node) -> list[str]:
    """An event's kind and dates, shown under its name."""
    details = []
    kind = _first(r.g.objects(event, KG.eventKind))
    if kind:
        details.append(f"类别：{kind}")
    start, end = _first(r.g.objects(event, KG.startDate)), _first(r.g.objects(event, KG.endDate))
    if start or end:
        details.append("时间：" + (f"{start} 至 {end}" if start and end and start != end else start or end))
    return details


def _node(r: _Reader, node: Node, style: ClassStyle, facts: list[dict[str, str]]) -> dict[str, Any]:
    """A vis node record: name and class for drawing, the rest for the tooltip and the panel."""
    label = r.label(node)
    unique = {(f["text"], f["evidence"], f["source"]): f for f in facts}
    ordered = [unique[key] for key in sorted(unique)]
    own = r.evidence(node) if style.iri == KG.Event else ("", "")
    evidence = own[0] or next((f["evidence"] for f in ordered if f["evidence"]), "")
    return {
        "id": str(node),
        "label": label,
        "group": style.group,
        "kind": style.name,
        "aliases": _aliases(r.g, node, label),
        "details": _event_details(r, node) if style.iri == KG.Event else [],
        "evidence": evidence,
        "facts": ordered[:MAX_FACTS],
        "more": max(0, len(ordered) - MAX_FACTS),
        "articles": sorted({r.headline(a) for a in _sources(r, node, style)}),
        "pinyin": pinyin_keys([label, *_aliases(r.g, node, label)]),
    }


def _sources(r: _Reader, node: Node, style: ClassStyle) -> set[Node]:
    """The articles that mention an entity, or that state an event."""
    found = set(r.g.objects(node, KG.mentionedIn))
    if style.iri == KG.Event:
        found |= set(r.g.objects(node, PROV.wasDerivedFrom))
    return found


_NOT_PINYIN = re.compile(r"[^0-9a-z]+")
_HAN_RUNS = re.compile(r"([\u3400-\u9fff\uf900-\ufaff]+)")


def pinyin_keys(names: Iterable[str]) -> list[str]:
    """What a Latin-letter search may type for these names: toneless pinyin, whole and initials.

    ``张建国`` gives ``zhangjianguo`` and ``zjg``; letters and digits in a name stay as
    they are (lower case) in both, anything else is dropped. Sorted, without duplicates.
    pypinyin reads each run of Chinese characters as a whole, so phrases get their
    usual reading (重庆 → chongqing).
    """
    from pypinyin import lazy_pinyin

    keys = set()
    for name in names:
        whole, initials = [], []
        for number, run in enumerate(_HAN_RUNS.split(name)):
            if number % 2:  # a run of Chinese characters
                syllables = lazy_pinyin(run)
                whole += syllables
                initials += [syllable[:1] for syllable in syllables]
            else:
                whole.append(run)
                initials.append(run)
        for key in ("".join(whole), "".join(initials)):
            key = _NOT_PINYIN.sub("", key.lower())
            if key:
                keys.add(key)
    return sorted(keys)


def _records(data: Graph, keep: set[str] | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The vis node and edge records of every entity and event in ``data`` (or those in ``keep``)."""
    r = _Reader(union_graph(data))
    drawn = r.classes()
    if keep is not None:
        drawn = {node: style for node, style in drawn.items() if str(node) in keep}
    facts: dict[Node, list[dict[str, str]]] = defaultdict(list)
    edges = _relation_edges(r, drawn, facts) + _position_edges(r, drawn, facts)
    _observation_facts(r, drawn, facts)
    edges.sort(key=lambda e: (e["from"], e["to"], e["relation"], e["label"]))
    nodes = [_node(r, n, drawn[n], facts[n]) for n in sorted(drawn, key=str)]
    return nodes, edges


def _number(value: int) -> str:
    """A count as the page writes it: 5,000."""
    return f"{value:,}"


def select(network: nx.MultiDiGraph, options: ViewOptions) -> tuple[nx.MultiDiGraph, list[str]]:
    """The part of the entity network to draw, and what the page should say about it.

    Filters apply in order (class, article, dates), then the focus's neighbourhood
    within what is left, then the budget: the ``budget`` most central nodes, by
    PageRank when nodes are sized by it, else by degree; around a focus, the nearest
    hops first. The first note says when the budget cut the view.
    """
    notes = []
    graph = network
    if options.classes:
        graph = analyse.filter_classes(graph, options.classes)
        notes.append("类别：" + "、".join(options.classes))
    if options.articles:
        graph = analyse.filter_articles(graph, options.articles)
        notes.append("文章：" + "、".join(options.articles))
    if options.since or options.until:
        graph = analyse.filter_dates(graph, options.since, options.until)
        notes.append(f"时间：{options.since or '…'} 至 {options.until or '…'}（事件日期、职务见报日期）")
    hops: dict[str, int] = {}
    if options.focus:
        center = analyse.resolve(graph, options.focus)
        graph = analyse.ego(graph, center, options.depth)
        hops = nx.single_source_shortest_path_length(analyse.undirected(graph), center)
        notes.append(f"中心：{graph.nodes[center]['label']}，{options.depth} 跳以内")
    selected = len(graph)
    if selected > options.budget:
        measure, name = ("pagerank", "PageRank") if options.size == "pagerank" else ("degree", "度（关系数）")
        ranked = analyse.scores(graph, measure)
        keep = sorted(graph.nodes, key=lambda node: (hops.get(node, 0), -round(ranked[node], 12), node))
        graph = analyse.induced(graph, keep[: options.budget])
        nearest = "离中心最近、" if hops else ""
        notes.insert(
            0,
            f"已摘要：所选 {_number(selected)} 个实体超过上限 {_number(options.budget)}，"
            f"只显示{nearest}{name}最高的 {_number(options.budget)} 个（可用 --budget 调整）。",
        )
    return graph, notes


def _position_kept(edge: dict[str, Any], graph: nx.MultiDiGraph) -> bool:
    """Whether a drawn position edge still has a title in the selection (a date window may drop some)."""
    if edge["relation"] != POSITION_RELATION:
        return True
    keys = graph.get_edge_data(edge["from"], edge["to"], default={})
    return any(attrs["relation"] == analyse.POSITION for attrs in keys.values())


def _size(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], graph: nx.MultiDiGraph, size: str) -> None:
    """Set each record's ``value`` (none for ``none``): vis scales node size between its min and max by it.

    ``degree`` counts the drawn edges (a person's titles at one body are one edge).
    """
    if size == "degree":
        degree: dict[str, int] = defaultdict(int)
        for edge in edges:
            degree[edge["from"]] += 1
            degree[edge["to"]] += 1
        for node in nodes:
            node["value"] = degree[node["id"]]
    elif size == "pagerank":
        ranks = analyse.scores(graph, "pagerank")
        for node in nodes:
            node["value"] = round(ranks.get(node["id"], 0.0) * max(len(graph), 1), 4)  # 1.0 = average


def _colour_communities(nodes: list[dict[str, Any]], graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Colour each record by its Louvain community (largest first); return the legend rows."""
    found = analyse.communities(graph, seed=COMMUNITY_SEED) if len(graph) else []
    member = {node: number for number, members in enumerate(found) for node in members}
    for node in nodes:
        number = member.get(node["id"], len(found))
        node["community"] = number + 1
        node["color"] = _node_color(COMMUNITY_PALETTE[number] if number < len(COMMUNITY_PALETTE) else OTHER_COMMUNITY)
    rows = []
    for number, members in enumerate(found[: len(COMMUNITY_PALETTE)]):
        # Named after its best-linked entity: an event's long title makes a poor name.
        entities = [node for node in members if graph.nodes[node]["type"] != "Event"] or members
        hub = min(entities, key=lambda node: (-graph.degree(node), node))
        rows.append(
            {"name": f"{graph.nodes[hub]['label']} 等", "color": COMMUNITY_PALETTE[number], "count": len(members)}
        )
    rest = sum(len(members) for members in found[len(COMMUNITY_PALETTE) :])
    if rest:
        rows.append({"name": "其他社区", "color": OTHER_COMMUNITY, "count": rest})
    return rows


def _rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """An Oxigraph term as rdflib's (``xsd:string`` literals plain, as :func:`kg.serialise.to_rdflib` does)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _as_rdflib(data: GraphData | Dataset) -> Graph:
    """The rdflib graph the records are read from: a Store's quads become one Graph's triples.

    Straight into a plain Graph, each term converted once: going through an rdflib
    Dataset and then :func:`union_graph` costs three times as long (10 s at 60k quads).
    """
    if not isinstance(data, Store):
        return data
    terms: dict[ox.NamedNode | ox.BlankNode | ox.Literal, Node] = {}
    flat = Graph()
    for quad in data:
        triple = []
        for t in (quad.subject, quad.predicate, quad.object):
            if t not in terms:
                terms[t] = _rdflib_term(t)
            triple.append(terms[t])
        flat.add(tuple(triple))
    return flat


def build_view(data: GraphData | Dataset, options: ViewOptions | None = None) -> View:
    """What the page will show for ``data`` (a Graph, the union of a Dataset, or a Store).

    Pure and browser-free, so tests check what will be drawn without a page.
    """
    options = options or ViewOptions()
    graph, notices = select(analyse.entity_graph(data), options)
    nodes, edges = _records(_as_rdflib(data), set(graph.nodes))
    if options.since or options.until:
        edges = [edge for edge in edges if _position_kept(edge, graph)]
    for number, edge in enumerate(edges):
        edge["id"] = f"e{number}"
    _size(nodes, edges, graph, options.size)
    communities = _colour_communities(nodes, graph) if options.colour == "community" else []
    physics = len(nodes) <= PHYSICS_MAX_NODES
    if not physics:
        from kg.layout import layout  # numpy and scipy, only for large views

        positions = layout(graph, seed=LAYOUT_SEED)
        for node in nodes:
            node["x"], node["y"] = positions[node["id"]]
    return View(nodes, edges, notices, communities, physics, options.colour)


def build_view_model(
    data: GraphData | Dataset, options: ViewOptions | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The vis node and edge records for ``data``, sorted (see :func:`build_view`)."""
    view = build_view(data, options)
    return view.nodes, view.edges


def _node_color(color: str) -> dict[str, Any]:
    """A class colour that stays its colour when selected or hovered (vis would turn it pale blue)."""
    marked = {"background": color, "border": "#17202a"}
    return {"background": color, "border": color, "highlight": marked, "hover": marked}


def vis_options(physics: bool = True) -> dict[str, Any]:
    """vis-network options tuned to settle fast (see KNOWN-TRAPS: straight edges, 200 iterations).

    Without ``physics`` the nodes stay where their ``x``/``y`` put them, and edges are
    hidden while zooming, as drawing thousands of them on every frame would stall.
    """
    font = {"face": FONT_STACK, "strokeWidth": 3, "strokeColor": "#ffffff"}
    return {
        "nodes": {
            "size": 16,
            "borderWidth": 1,
            "font": {**font, "size": 14, "color": "#1c2833"},
            "scaling": {"min": 12, "max": 34, "label": {"enabled": False}},
        },
        "edges": {
            "smooth": False,
            "width": 1,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#99a3a4", "highlight": "#c0392b", "hover": "#2c3e50"},
            "font": {**font, "size": 11, "color": "#4d5656", "align": "middle"},
        },
        "groups": {s.group: {"shape": s.shape, "color": _node_color(s.color)} for s in CLASS_STYLES},
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": False},
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -5000, "springLength": 130, "avoidOverlap": 0.1},
            "stabilization": {"enabled": True, "iterations": 200, "updateInterval": 25, "fit": True},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": True,
            "hideEdgesOnZoom": not physics,
        },
    }


def _legend(view: View) -> list[dict[str, Any]]:
    """Legend rows: every class with its colour (or shape only), shape and how many nodes have it."""
    counts: dict[str, int] = defaultdict(int)
    for node in view.nodes:
        counts[node["group"]] += 1
    return [
        {
            "name": s.name,
            "color": s.color if view.colour == "class" else SHAPE_ONLY,
            "shape": s.shape,
            "count": counts[s.group],
        }
        for s in CLASS_STYLES
    ]


def _network(view: View, title: str) -> Network:
    """A pyvis Network holding the records, rendering through our template with pyvis's assets.

    The lists are filled directly: ``add_node``/``add_edge`` are quadratic (KNOWN-TRAPS).
    The loader searches ``kg/view/`` first, then pyvis's templates, so the page inlines
    pyvis's bundled vis-network files instead of linking a CDN.
    """
    net = Network(height="100%", width="100%", directed=True, heading=title, cdn_resources="in_line")
    net.set_template_dir(str(VIEW_DIR), PAGE_TEMPLATE)
    env = net.templateEnv
    env.loader = FileSystemLoader([str(VIEW_DIR), str(PYVIS_TEMPLATES)])
    env.autoescape = True
    env.keep_trailing_newline = True
    env.filters["script_json"] = script_json
    env.globals["legend"] = _legend(view)
    env.globals["communities"] = view.communities
    env.globals["notices"] = view.notices
    net.nodes, net.edges = view.nodes, view.edges
    net.options = vis_options(view.physics)
    env.globals["kg_options"] = net.options
    return net


def _notice(view: View) -> str:
    """The notices as one line, for the command line."""
    return "；".join(note.rstrip("。") for note in view.notices)


def render_html(
    data: GraphData | Dataset, *, title: str = "govnews-kg", options: ViewOptions | None = None
) -> tuple[str, ViewSummary]:
    """The page for ``data`` as text, and what it draws."""
    view = build_view(data, options)
    html = _network(view, title).generate_html(name="view.html")
    return html, ViewSummary(nodes=len(view.nodes), edges=len(view.edges), notice=_notice(view))


def write_html(
    data: GraphData | Dataset, out: Path, *, title: str = "govnews-kg", options: ViewOptions | None = None
) -> ViewSummary:
    """Write the interactive network of ``data`` (Graph, Dataset read as the union, or Store) to ``out``.

    UTF-8, written atomically; the same input gives the same bytes.
    """
    html, summary = render_html(data, title=title, options=options)
    atomic_write_text(out, html)
    return summary
