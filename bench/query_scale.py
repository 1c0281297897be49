"""Every competency query at 1M and 10M quads in the embedded store, against rdflib at 1M.

    .venv/bin/python bench/query_scale.py                  # 1M and 10M, rdflib at 1M
    .venv/bin/python bench/query_scale.py --only 03 08     # some queries
    .venv/bin/python bench/query_scale.py --no-rdflib      # Oxigraph only
    .venv/bin/python bench/query_scale.py --fresh          # regenerate the data
    .venv/bin/python bench/query_scale.py --memory 1M 10M  # also on in-memory copies

Data. A seeded stream of synthetic articles laid out exactly as docs/graph-layout.md
and ``kg.rdf.mapping`` write them: the entity graph (types with their contract
superclass, one ``rdfs:label @zh``, some ``skos:altLabel`` and ``@zh-Hant`` labels,
``kg:subOrganizationOf`` / ``kg:manages`` / ``kg:locatedIn`` written once) and one named
graph per article (the ``kg:Article`` node and its metadata; ``kg:mentionedIn`` and
``kg:resolutionKey`` of every entity it names, ``kg:identifiedBy`` of persons; positions
with their ``kg:post`` (each post's own facts once in the entity graph), events with
their kind, dates, ``kg:year`` and links, observations with their ``kg:year``, and an
``rdf:Statement`` with its evidence sentence and offsets for every relation, event
links included, as the mapper does). Entities appear as a news stream would have them: each article reuses
earlier officials, agencies, parks and places (a few very often, most now and then)
and introduces some new ones; events are sometimes reported again by a later article
(which then repeats their kind and date in its own graph). The 1M corpus is the first
articles of the 10M one, so a parameter value taken from the 1M data is also in the
10M data. bench/view_settle.py's ``synthetic`` builds an rdflib Dataset, which takes
minutes and gigabytes at 10M quads; this one streams N-Quads text straight to
Oxigraph's bulk loader, and shares view_settle's names and titles. Each store is then
compacted (``Store.optimize``), as ``kg build`` leaves a store it has filled.

Timing. Each ``queries/*.rq`` present when the script runs goes through the code path
of ``kg query NAME --store S --param k=v``: the store opened read-only,
``load_query(NAME)``, ``parse_params([...])``, ``run_query`` (answers read to the end;
formatting them is not timed). Each query runs once without parameters (the whole
listing), and once per ``--param`` line of its header comment (``a=… or b=…`` gives two
runs), with values a user could type, taken from the middle row of the whole listing
at 1M. One warm-up, then the median of ``--runs`` (5) runs, at 1M and 10M. rdflib: the
1M data in an in-memory ``Dataset(default_union=True)`` (as ``kg.evaluate`` reads
graphs), sent the very text ``run_query`` sends (parameters as its ``VALUES`` row),
one warm-up and the median of ``--rdflib-runs`` (3); any single run stopped at
``--cap`` (120 s). Each case runs on rdflib right after Oxigraph, so that the
machine's changes of speed (up to a quarter within minutes here) move both sides of
a ratio alike. With parameters rdflib also runs the bare query with them as its own
``initBindings``, which it handles better than a ``VALUES`` row for some queries (and
worse for others); the ratio takes rdflib's faster form, marked ² in the table. A
warm-up slower than ``--slow`` (60 s: whole listings at 10M) is taken as the only
run, marked ¹.

In memory. ``--memory 1M`` also times every case on ``Store.in_memory`` (the store
folder read into an in-memory Oxigraph store, as a notebook session would hold it),
in columns of their own, with the ratio of rdflib (which is in memory too) to it.

A benchmark, not a test: the table goes to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import platform
import random
import re
import shutil
import signal
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset
from view_settle import SURNAMES, TITLES

from kg.paths import queries_dir
from kg.query import QueryResult, bind_values, load_query, parse_params, run_query
from kg.rdf.namespaces import KG_IRI, KGR_IRI, PREFIXES
from kg.serialise import rdflib_node
from kg.store import Store

SEED = 20260301
SIZES = {"1M": 1_000_000, "10M": 10_000_000}
SIZES_1M, IN_MEMORY = "1M", " in memory"
WORK = Path("/tmp/kg-query-scale")
RUNS, RDFLIB_RUNS, CAP_S, SLOW_S = 5, 3, 120.0, 60.0
TARGET_MS = 50.0
LAYOUT = 2
"""The generated data's layout; stores of another are made afresh. 2: kg:year, kg:Post; compacted."""

# Terms, spelled as N-Quads.
XSD = PREFIXES["xsd"]
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDF_STATEMENT = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement>"
RDF_S, RDF_P, RDF_O = (f"<http://www.w3.org/1999/02/22-rdf-syntax-ns#{t}>" for t in ("subject", "predicate", "object"))
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
ALT = "<http://www.w3.org/2004/02/skos/core#altLabel>"
DERIVED = "<http://www.w3.org/ns/prov#wasDerivedFrom>"
ENTITIES = f"<{KGR_IRI}graph/entities>"


def kg(term: str) -> str:
    return f"<{KG_IRI}{term}>"


def zh(text: str, lang: str = "zh") -> str:
    return f'"{text}"@{lang}'


def typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def plain(text: str) -> str:
    return f'"{text}"'


def dated(value: str) -> str:
    """A date literal of the precision written, as ``kg.rdf.mapping.date_literal`` types it."""
    if "T" in value:
        return typed(value, "dateTime")
    return typed(value, {10: "date", 7: "gYearMonth", 4: "gYear"}[len(value)])


CLASSES = {
    "official": ("Official", "Person"), "person": ("Person",), "agency": ("Agency", "Organization"),
    "company": ("Company", "Organization"), "organization": ("Organization",), "park": ("Park",),
    "place": ("Place",),
}  # fmt: skip
PATHS = {"official": "person", "person": "person", "agency": "org", "company": "org", "organization": "org"}
# Chance that a mention in a new article is an entity not seen before, per kind.
NEW = {"official": 0.35, "person": 0.5, "agency": 0.15, "company": 0.5, "organization": 0.4, "park": 0.1, "place": 0.05}
DEPTS = ("科技局", "科技厅", "发展和改革委员会", "工业和信息化局", "高新区管委会", "商务局")
UNITS = ("高新处", "成果转化处", "区域创新处", "政策法规处", "办公室", "人事处")
PLACES = ("省", "市", "区", "县")
PARKS = ("高新技术产业开发区", "创业园", "科技园", "经济技术开发区")
# Names by kind: {s} a family name, {n} the entity's number, {w} a word drawn from the list
# (agencies draw a division's or a department's word; a kind not here is a place).
NAME_PATTERNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "official": ("{s}某{n}", ()), "person": ("{s}某某{n}", ()),
    "company": ("某某{n}号科技有限公司", ()), "organization": ("某某{n}号创新创业协会", ()),
    "park": ("某某{n}号{w}", PARKS),
}
EVENT_KINDS = ("调研", "考察", "视察", "座谈会", "推介会", "论坛", "大赛", "会议", "活动周", "签约仪式")
INSPECTIONS = ("调研", "考察", "视察")
MEASURES = (
    ("科技型中小企业", "家"), ("高新技术企业", "家"), ("省级众创空间", "家"), ("创新平台", "个"),
    ("有效发明专利", "件"), ("科技项目", "项"), ("创业导师", "人"), ("累计获投融资额", "CNY"),
    ("营业收入", "CNY"), ("研发投入", "CNY"), ("建筑面积", "m2"), ("增长率", "%"),
)  # fmt: skip
QUALIFIERS = ("超过", "余", "近", "约")


@dataclass
class Shape:
    """What one generated corpus holds."""

    quads: int = 0
    articles: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    events: int = 0
    positions: int = 0
    observations: int = 0
    statements: int = 0


class Corpus:
    """A seeded stream of articles, each as the N-Quads lines it adds to the store."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.pool: dict[str, list[str]] = {kind: [] for kind in CLASSES}
        self.name: dict[str, str] = {}
        self.key: dict[str, str] = {}  # kg:resolutionKey: what articles identify an entity by
        self.root: dict[str, str] = {}  # agency → the top of its subOrganizationOf chain
        self.body: dict[str, str] = {}  # person → the body telling it apart from namesakes
        self.events: list[tuple[str, str, str]] = []  # (iri, kind, start)
        self.posts: set[str] = set()  # kg:Post nodes whose facts are in the entity graph
        self.shape = Shape()

    def _iri(self, path: str, key: str) -> str:
        return f"<{KGR_IRI}{path}/{hashlib.sha1(key.encode()).hexdigest()[:16]}>"

    def _pick(self, kind: str, taken: set[str]) -> tuple[str, bool]:
        """An entity of ``kind`` for the current article: an earlier one, or a new one."""
        pool, rng = self.pool[kind], self.rng
        if pool and rng.random() >= NEW[kind]:
            for _ in range(8):
                if rng.random() < 0.3:  # a few entities are in the news all the time
                    node = pool[int(len(pool) ** rng.random()) - 1]
                else:
                    node = pool[rng.randrange(len(pool))]
                if node not in taken:
                    return node, False
        number = len(pool)
        node = self._iri(PATHS.get(kind, kind), f"{kind}{number}")
        pool.append(node)
        self.shape.entities[kind] = number + 1
        return node, True

    def _entity_name(self, kind: str, number: int, division: bool) -> str:
        if kind == "agency":
            pattern, words = "某某{n}号{w}", UNITS if division else DEPTS
        else:
            pattern, words = NAME_PATTERNS.get(kind, ("某某{n}{w}", PLACES))
        word = self.rng.choice(words) if words else ""
        return pattern.format(s=SURNAMES[number % len(SURNAMES)], n=number, w=word)

    def article(self, a: int) -> list[str]:
        """The lines one more article adds: its own graph, and the entity graph's new facts."""
        rng, shape = self.rng, self.shape
        doc = f"syn-{a:06d}"
        graph = f"<{KGR_IRI}graph/article/{doc}>"
        art = f"<{KGR_IRI}article/{doc}>"
        lines: list[str] = []

        def ent(s: str, p: str, o: str) -> None:
            lines.append(f"{s} {p} {o} {ENTITIES} .\n")

        def add(s: str, p: str, o: str) -> None:
            lines.append(f"{s} {p} {o} {graph} .\n")

        def evidence(node: str, sentence: str) -> None:
            start = rng.randrange(2000)
            add(node, DERIVED, art)
            add(node, kg("evidence"), plain(sentence))
            add(node, kg("charStart"), typed(start, "integer"))
            add(node, kg("charEnd"), typed(start + len(sentence), "integer"))

        serial = iter(range(10**6))

        def statement(s: str, p: str, o: str) -> None:
            node = self._iri("statement", f"{doc} {next(serial)}")
            add(node, RDF_TYPE, RDF_STATEMENT)
            add(node, RDF_S, s)
            add(node, RDF_P, kg(p))
            add(node, RDF_O, o)
            evidence(node, f"{self.name.get(s, '某某')}与{self.name.get(o, '某某')}相关情况介绍。")
            shape.statements += 1

        def relation(s: str, p: str, o: str, *, entity_graph: bool) -> None:
            if entity_graph:  # a new entity placed in an earlier one: the article names both
                ent(s, kg(p), o)
                taken.update((s, o))
            else:
                add(s, kg(p), o)
            statement(s, p, o)

        year = rng.randint(2015, 2024)
        day = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        mentioned: dict[str, list[str]] = {kind: [] for kind in CLASSES}
        taken: set[str] = set()
        counts = {
            "place": rng.randint(1, 3), "agency": rng.randint(1, 3), "park": rng.choice((0, 1, 1, 2)),
            "company": rng.choice((0, 1, 2, 3)), "organization": rng.choice((0, 0, 1)),
            "official": rng.randint(1, 4), "person": rng.choice((0, 0, 1, 2)),
        }  # fmt: skip
        for kind, n in counts.items():  # places first: new entities are placed among earlier ones
            for _ in range(n):
                node, new = self._pick(kind, taken)
                taken.add(node)
                mentioned[kind].append(node)
                if new:
                    self._introduce(kind, node, mentioned, ent, relation)
                    if node in self.body:  # a new person is named with the body it belongs to
                        taken.add(self.body[node])
        for node in sorted(taken):
            add(node, kg("mentionedIn"), art)
            add(node, kg("resolutionKey"), plain(self.key[node]))
            if self.body.get(node) in taken:
                add(node, kg("identifiedBy"), self.body[node])

        # The article node.
        stamp = f"{day}T{rng.randint(7, 21):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"
        lead, agency = self.name[mentioned["official"][0]], self.name[mentioned["agency"][0]]
        add(graph, DERIVED, art)
        add(art, RDF_TYPE, kg("Article"))
        add(art, kg("headline"), zh(f"{agency}{lead}出席某某{a}号活动"))
        add(art, kg("datePublished"), dated(stamp if rng.random() < 0.8 else day))
        if rng.random() < 0.9:
            add(art, kg("sourceName"), plain(agency))
        if rng.random() < 0.5:
            add(art, kg("author"), plain(rng.choice(("admin", f"某编辑{a % 97}"))))
        if rng.random() < 0.6:
            add(art, kg("publisher"), mentioned["agency"][0])
        add(art, kg("sourceFile"), plain(f"corpus/{doc}.html"))
        add(art, kg("contentHash"), plain(hashlib.sha256(doc.encode()).hexdigest()))

        # Positions: each official's titles in one of the article's organisations.
        for h in mentioned["official"]:
            for _ in range(1 + (rng.random() < 0.3)):
                org = rng.choice(
                    mentioned["agency"] if rng.random() < 0.9 else mentioned["agency"] + mentioned["company"]
                )
                title = rng.choice((*TITLES, "厅长", "副厅长", "董事长", "总经理"))
                pos = self._iri("position", f"{doc} {h} {title} {org} {next(serial)}")
                post = self._iri("post", f"{org} {title}")
                if post not in self.posts:
                    self.posts.add(post)
                    ent(post, RDF_TYPE, kg("Post"))
                    ent(post, kg("postIn"), org)
                    ent(post, kg("postTitle"), zh(title))
                add(pos, RDF_TYPE, kg("Position"))
                add(pos, kg("holder"), h)
                add(h, kg("holdsPosition"), pos)
                add(pos, kg("organization"), org)
                add(pos, kg("title"), zh(title))
                add(pos, kg("post"), post)
                if rng.random() < 0.1:
                    add(pos, kg("isPast"), typed("true", "boolean"))
                add(pos, kg("attestedOn"), dated(day))
                evidence(pos, f"{self.name[org]}{title}{self.name[h]}出席。")
                shape.positions += 1

        # Events: new ones, or one an earlier article reported (its kind and date again).
        people = mentioned["official"] + mentioned["person"]
        venues = mentioned["company"] + mentioned["park"] + mentioned["place"] + mentioned["organization"]
        reported: set[str] = set()
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
            if self.events and rng.random() < 0.15:
                node, kind, start = self.events[rng.randrange(len(self.events))]
                if node in reported:
                    continue
                reported.add(node)
                add(node, kg("eventKind"), zh(kind))
                add(node, kg("startDate"), dated(start))
                add(node, kg("year"), typed(start[:4], "integer"))
                evidence(node, f"此前，{self.name[node]}。")
                relation(node, "participant", rng.choice(people), entity_graph=False)
                continue
            kind = rng.choice(EVENT_KINDS)
            start = day if rng.random() < 0.85 else (day[:7] if rng.random() < 0.67 else day[:4])
            where = rng.sample(venues, min(len(venues), rng.choice((1, 1, 2))))
            number = len(self.events)
            node = self._iri("event", f"event{number} {start}")
            name = (
                f"{self.name[people[0]]}到{self.name[where[0]]}{kind}"
                if kind in INSPECTIONS
                else f"某某{number}号{kind}"
            )
            self.events.append((node, kind, start))
            self.name[node] = name
            reported.add(node)
            shape.events += 1
            ent(node, RDF_TYPE, kg("Event"))
            ent(node, LABEL, zh(name))
            if rng.random() < 0.1:
                ent(node, ALT, zh(f"{name}活动"))
            add(node, kg("eventKind"), zh(kind))
            add(node, kg("startDate"), dated(start))
            add(node, kg("year"), typed(start[:4], "integer"))
            if len(start) == 10 and rng.random() < 0.15:
                add(node, kg("endDate"), dated(f"{start[:8]}{min(28, int(start[8:]) + rng.randint(1, 3)):02d}"))
            evidence(node, f"{start}，{name}举行。")
            for person in rng.sample(people, rng.randint(1, len(people))):
                relation(node, "participant", person, entity_graph=False)
            if rng.random() < 0.05 and mentioned["company"]:
                relation(node, "participant", mentioned["company"][0], entity_graph=False)
            if rng.random() < 0.7:
                relation(node, "organizer", rng.choice(mentioned["agency"]), entity_graph=False)
            for site in where:
                relation(node, "location", site, entity_graph=False)
            if number and rng.random() < 0.05:
                relation(node, "partOf", self.events[rng.randrange(number)][0], entity_graph=False)

        # Observations: figures about the article's places and parks.
        areas = mentioned["place"] + mentioned["park"]
        r = rng.random()
        n = 0 if r < 0.2 else rng.randint(1, 5) if r < 0.6 else rng.randint(6, 20) if r < 0.9 else rng.randint(21, 40)
        for k in range(n):
            measure, unit = rng.choice(MEASURES)
            value = rng.randint(1, 900) * (10 ** rng.randint(4, 8) if unit == "CNY" else 1)
            period = str(rng.randint(max(2010, year - 5), year))
            if rng.random() < 0.1:
                period = f"{period}-{rng.randint(1, 12):02d}"
            node = self._iri("observation", f"{doc} {measure} {value} {unit} {k}")
            add(node, RDF_TYPE, kg("Observation"))
            add(node, kg("measure"), zh(measure))
            add(node, kg("value"), typed(value, "decimal"))
            add(node, kg("unit"), plain(unit))
            add(node, kg("surfaceForm"), plain(f"{value}{unit}"))
            if rng.random() < 0.95:
                add(node, kg("refPeriod"), dated(period))
                add(node, kg("year"), typed(period[:4], "integer"))
            if rng.random() < 0.9:
                add(node, kg("area"), rng.choice(areas))
            if rng.random() < 0.2 and venues:
                add(node, kg("about"), rng.choice(venues))
            if rng.random() < 0.15:
                add(node, kg("qualifier"), zh(rng.choice(QUALIFIERS)))
            evidence(node, f"截至{period}，共有{measure}{value}{unit}。")
            shape.observations += 1

        shape.articles += 1
        shape.quads += len(lines)
        return lines

    def _introduce(
        self,
        kind: str,
        node: str,
        mentioned: dict[str, list[str]],
        ent: Callable[[str, str, str], None],
        relation: Callable[..., None],
    ) -> None:
        """A new entity's own facts in the entity graph, and the relations placing it."""
        rng, number = self.rng, len(self.pool[kind]) - 1
        parent = None
        if kind == "agency" and len(self.pool["agency"]) > 1 and rng.random() < 0.55:
            earlier = self.pool["agency"][:-1]
            parent = earlier[int(len(earlier) ** rng.random()) - 1]
        name = self._entity_name(kind, number, parent is not None)
        if kind == "agency":
            self.root[node] = self.root[parent] if parent is not None else node
            if parent is not None:
                name = f"{self.name[self.root[node]]}{name}"
        self.name[node] = name
        self.key[node] = f"{PATHS.get(kind, kind)}:{name}"
        if kind == "official" or (kind == "person" and rng.random() < 0.5):
            self.body[node] = self.root[rng.choice(mentioned["agency"])]
            self.key[node] += f"@org:{self.name[self.body[node]]}"
        for cls in CLASSES[kind]:
            ent(node, RDF_TYPE, kg(cls))
        ent(node, LABEL, zh(name))
        if number % 7 == 0:
            ent(node, ALT, zh(f"{name[:2]}{name[-3:]}"))
        if number % 41 == 0:
            ent(node, LABEL, zh(f"{name}（繁）", "zh-Hant"))
        places, parks = mentioned["place"], mentioned["park"]
        if kind == "agency":
            if parent is not None:
                relation(node, "subOrganizationOf", parent, entity_graph=True)
            else:
                relation(node, "locatedIn", rng.choice(places), entity_graph=True)
        elif kind == "place" and len(self.pool["place"]) > 1 and rng.random() < 0.7:
            relation(node, "locatedIn", self.pool["place"][rng.randrange(number)], entity_graph=True)
        elif kind == "park":
            if len(self.pool["park"]) > 1 and rng.random() < 0.15:
                relation(node, "locatedIn", self.pool["park"][rng.randrange(number)], entity_graph=True)
            else:
                relation(node, "locatedIn", rng.choice(places), entity_graph=True)
            if rng.random() < 0.8:
                relation(rng.choice(mentioned["agency"]), "manages", node, entity_graph=True)
        elif kind == "company" and rng.random() < 0.9:
            relation(
                node, "locatedIn", rng.choice(parks if parks and rng.random() < 0.7 else places), entity_graph=True
            )


def generate(work: Path, seed: int) -> dict[str, Shape]:
    """Write ``{size}.nq`` for every size (each a prefix of the next) and return their shapes."""
    corpus = Corpus(seed)
    targets = sorted(SIZES.items(), key=lambda kv: kv[1])
    files = {label: (work / f"{label}.nq").open("w", encoding="utf-8") for label, _ in targets}
    shapes: dict[str, Shape] = {}
    a = 0
    try:
        open_ = dict(targets)
        while open_:
            text = "".join(corpus.article(a))
            a += 1
            for label in list(open_):
                files[label].write(text)
                if corpus.shape.quads >= open_[label]:
                    shapes[label] = copy.deepcopy(corpus.shape)
                    del open_[label]
                    files[label].close()
    finally:
        for f in files.values():
            f.close()
    return shapes


def prepare(work: Path, seed: int, fresh: bool) -> dict[str, Shape]:
    """Generate, bulk-load and compact the stores, or reuse those of an earlier run with the same seed and layout."""
    marker = work / "shapes.json"
    if not fresh and marker.exists():
        saved = json.loads(marker.read_text())
        if saved.get("seed") == seed and saved.get("layout") == LAYOUT and set(saved["shapes"]) == set(SIZES):
            return {label: Shape(**s) for label, s in saved["shapes"].items()}
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    start = time.perf_counter()
    shapes = generate(work, seed)
    print(f"generated {', '.join(f'{k}: {v.quads:,} quads' for k, v in shapes.items())} "
          f"in {time.perf_counter() - start:.0f} s", flush=True)  # fmt: skip
    for label in SIZES:
        start = time.perf_counter()
        store = Store(work / f"store-{label}")
        store.oxigraph.bulk_load(path=str(work / f"{label}.nq"), format=ox.RdfFormat.N_QUADS)
        store.oxigraph.flush()
        store.optimize()  # as kg build leaves a store it has filled (Store.optimize)
        loaded = len(store)
        store.close()
        assert loaded == shapes[label].quads, f"{label}: {loaded} quads in the store, {shapes[label].quads} written"
        print(f"bulk-loaded {label} into {work / f'store-{label}'} in {time.perf_counter() - start:.0f} s", flush=True)
        if label != "1M":
            (work / f"{label}.nq").unlink()  # only the 1M file is read again (rdflib)
    marker.write_text(json.dumps({"seed": seed, "layout": LAYOUT, "shapes": {k: asdict(v) for k, v in shapes.items()}}))
    return shapes


# ---------------------------------------------------------------------------------------------- queries


@dataclass
class Case:
    """One query with one set of parameters, and what it measured."""

    name: str
    params: list[str]
    times: dict[str, list[float]] = field(default_factory=dict)  # store label or rdflib form → seconds
    rows: dict[str, int] = field(default_factory=dict)
    capped: set[str] = field(default_factory=set)  # rdflib forms stopped at the cap
    warm_only: set[str] = field(default_factory=set)  # labels measured by their warm-up alone


def param_groups(path: Path) -> list[list[str]]:
    """The parameter sets the header comment shows: one per ``--param`` line, split on ``or``."""
    groups: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        for part in re.split(r"\bor\b", line):
            names = re.findall(r"--param\s+([A-Za-z_]\w*)=", part)
            if names and names not in groups:
                groups.append(names)
    return groups


def typed_by_user(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    """How a user would write ``term`` after ``--param name=`` (see kg.query's docstring)."""
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        if term.language == "zh" and not re.match(r'[<"\'+\-0-9]|[A-Za-z][\w-]*:', term.value):
            return term.value
        if term.datatype.value == f"{XSD}integer":
            return term.value
        if term.language:
            return f'"{term.value}"@{term.language}'
        return f'"{term.value}"^^<{term.datatype.value}>'
    raise ValueError(f"cannot pass {term!r} as a parameter")


def run_kg(store: Store, name: str, params: list[str]) -> QueryResult:
    """What ``kg query NAME --store S --param …`` does before printing."""
    return run_query(store, load_query(name), parse_params(params))


def time_oxigraph(store: Store, case: Case, label: str, runs: int, slow: float) -> QueryResult:
    """One warm-up, then ``runs`` timed runs; a warm-up over ``slow`` seconds is the one measurement."""
    start = time.perf_counter()
    result = run_kg(store, case.name, case.params)
    times = [time.perf_counter() - start]
    if times[0] > slow:
        case.warm_only.add(label)
    else:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            result = run_kg(store, case.name, case.params)
            times.append(time.perf_counter() - start)
    case.times[label], case.rows[label] = times, len(result.rows)
    return result


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Timeout


RDFLIB, BINDINGS = "rdflib", "rdflib initBindings"


def time_rdflib(ds: Dataset, case: Case, runs: int, cap: float, slow: float, form: str = RDFLIB) -> None:
    """The same query on rdflib, timed as :func:`time_oxigraph`; a run over ``cap`` seconds is stopped.

    ``form`` RDFLIB sends the very text ``kg query`` runs (parameters as a ``VALUES``
    row); BINDINGS sends the bare query with the parameters as rdflib's ``initBindings``.
    """
    query, params = load_query(case.name), parse_params(case.params)
    if form == BINDINGS:
        text, bindings = query.text, {name: rdflib_node(term) for name, term in params.items()}
    else:
        text, bindings = (bind_values(query, params) if params else query.text), {}
    signal.signal(signal.SIGALRM, _alarm)
    times: list[float] = []
    for i in range(runs + 1):
        signal.setitimer(signal.ITIMER_REAL, cap)
        start = time.perf_counter()
        try:
            rows = len(list(ds.query(text, initNs=PREFIXES, initBindings=bindings)))
        except _Timeout:
            case.capped.add(form)
            break
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        elapsed = time.perf_counter() - start
        case.rows[form] = rows
        if i == 0 and elapsed > slow:
            times = [elapsed]
            case.warm_only.add(form)
            break
        if i:
            times.append(elapsed)
    case.times[form] = times


def rdflib_best(case: Case) -> tuple[float | None, str]:
    """rdflib's faster form for ``case``: its median in ms (``None`` if every form was stopped) and the form."""
    done = [(ms, form) for form in (RDFLIB, BINDINGS) if (ms := median_ms(case, form)) is not None]
    return min(done) if done else (None, RDFLIB)


def median_ms(case: Case, label: str) -> float | None:
    times = case.times.get(label)
    return statistics.median(times) * 1000 if times else None


def fmt_ms(ms: float | None, warm_only: bool = False) -> str:
    if ms is None:
        return "–"
    return (f"{ms:,.0f}" if ms >= 100 else f"{ms:.1f}") + ("¹" if warm_only else "")


def table(cases: list[Case], cap: float, labels: list[str]) -> str:
    """The results as a Markdown table: rows and median ms per store, rdflib's faster form, the ratios at 1M."""
    against = [label for label in (SIZES_1M, f"{SIZES_1M}{IN_MEMORY}") if label in labels]
    head = ["query", "params"]
    for label in labels:
        head += [f"rows {label}", f"Oxigraph {label} ms"]
    head += ["rows rdflib 1M", "rdflib 1M ms", *(f"rdflib / Oxigraph {label}" for label in against)]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * 2 + "---:|" * (len(head) - 2)]
    for case in cases:
        cells = [case.name, " ".join(case.params) or "(none: whole listing)"]
        for label in labels:
            ms = median_ms(case, label)
            over = ms is not None and label.startswith("10M") and ms > TARGET_MS
            text = fmt_ms(ms, label in case.warm_only)
            cells += [f"{case.rows.get(label, 0):,}" if label in case.rows else "–",
                      f"**{text}**" if over else text]  # fmt: skip
        rd, form = rdflib_best(case)
        if rd is None and case.capped:
            cells += ["–", f">{cap:,.0f} s"]
            cells += [f">{cap * 1000 / ms:,.0f}×" if (ms := median_ms(case, label)) else "–" for label in against]
        else:
            mark = "²" if form == BINDINGS else ""
            cells += [f"{case.rows[form]:,}" if form in case.rows else "–", fmt_ms(rd, form in case.warm_only) + mark]
            cells += [f"{rd / ms:,.0f}×" if rd is not None and (ms := median_ms(case, label)) else "–"
                      for label in against]  # fmt: skip
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def main() -> None:
    warnings.filterwarnings("ignore", category=DeprecationWarning)  # rdflib's Dataset, on every union read
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="query name prefixes (01 02 …); default: all")
    parser.add_argument("--sizes", nargs="*", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--listings", nargs="*", choices=list(SIZES),
                        help="sizes at which each query also runs without parameters (default: every size)")
    parser.add_argument("--memory", nargs="*", default=[], choices=list(SIZES),
                        help="sizes also timed on an in-memory copy of the store (Store.in_memory)")
    parser.add_argument("--no-rdflib", action="store_true")
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--rdflib-runs", type=int, default=RDFLIB_RUNS)
    parser.add_argument("--slow", type=float, default=SLOW_S, help="a warm-up over this many seconds is the only run")
    parser.add_argument("--cap", type=float, default=CAP_S, help="seconds after which an rdflib run is stopped")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--work", type=Path, default=WORK, help="where the data and stores are kept between runs")
    parser.add_argument("--fresh", action="store_true", help="regenerate the data even if --work holds it")
    args = parser.parse_args()

    shapes = prepare(args.work, args.seed, args.fresh)
    paths = sorted(queries_dir().glob("*.rq"))
    if args.only:
        paths = [p for p in paths if any(p.stem.startswith(o) for o in args.only)]
    stores = {label: Store(args.work / f"store-{label}", read_only=True) for label in args.sizes}
    for size in args.memory:
        start = time.perf_counter()
        stores[f"{size}{IN_MEMORY}"] = Store.in_memory(args.work / f"store-{size}")
        print(f"{size} in memory: read in {time.perf_counter() - start:.0f} s", flush=True)
    labels = list(stores)
    first = "1M" if "1M" in stores else labels[0]
    ds = None
    if not args.no_rdflib:
        start = time.perf_counter()
        ds = Dataset(default_union=True)
        ds.parse(str(args.work / "1M.nq"), format="nquads")
        print(f"rdflib: loaded {len(ds):,} triples (union) in {time.perf_counter() - start:.0f} s", flush=True)

    cases: list[Case] = []
    for path in paths:
        whole = Case(path.stem, [])
        listing = time_oxigraph(stores[first], whole, first, args.runs, args.slow)
        mine = [whole]
        middle = listing.rows[len(listing.rows) // 2] if listing.rows else None
        for names in param_groups(path):
            if middle is None or any(middle[listing.variables.index(n)] is None for n in names):
                print(f"{path.stem}: no value for {names} in the listing; not run with parameters")
                continue
            values = [f"{n}={typed_by_user(middle[listing.variables.index(n)])}" for n in names]
            mine.append(Case(path.stem, values))
        del listing, middle
        for case in mine:
            for label in labels:
                size = label.removesuffix(IN_MEMORY)
                if label not in case.times and (case.params or args.listings is None or size in args.listings):
                    time_oxigraph(stores[label], case, label, args.runs, args.slow)
            for form in ((RDFLIB, BINDINGS) if case.params else (RDFLIB,)) if ds is not None else ():
                time_rdflib(ds, case, args.rdflib_runs, args.cap, args.slow, form)
            print(f"{case.name} {' '.join(case.params)}: "
                  + ", ".join(f"{k} {statistics.median(v) * 1000:.1f} ms ({case.rows[k]:,} rows)"
                              for k, v in case.times.items() if v)
                  + "".join(f", {form} >{args.cap:.0f} s" for form in sorted(case.capped)), flush=True)  # fmt: skip
        cases += mine

    print()
    print(f"seed {args.seed}; {platform.python_version()}, pyoxigraph {ox.__version__}; "
          f"runs {args.runs} (Oxigraph), {args.rdflib_runs} (rdflib), after one warm-up each")  # fmt: skip
    for label, shape in shapes.items():
        entities = sum(shape.entities.values())
        print(f"{label}: {shape.quads:,} quads, {shape.articles:,} articles, {entities:,} entities "
              f"({', '.join(f'{k} {v:,}' for k, v in shape.entities.items())}), {shape.events:,} events, "
              f"{shape.positions:,} positions, {shape.observations:,} observations, "
              f"{shape.statements:,} statements")  # fmt: skip
    print()
    print(table(cases, args.cap, labels))
    print(f"\n¹ one run: the warm-up took over {args.slow:.0f} s, so it is the measurement. "
          f"² rdflib's initBindings form (faster here than the VALUES row kg sends). "
          f"Bold: over the {TARGET_MS:.0f} ms target at 10M.")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
