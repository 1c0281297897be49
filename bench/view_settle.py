"""How long the network page takes to settle in headless Chromium, on synthetic graphs.

    .venv/bin/python bench/view_settle.py [ENTITIES ...]   (default: 100 200 500 1000 5000)

For each size, generates a seeded random graph laid out as docs/graph-layout.md
(officials, persons, agencies and their divisions, companies, organisations, parks,
places and events with invented names such as 某某1号科技局; positions, relations
with their rdf:Statement evidence, events' participants, organisers and places,
articles' mentions, one named graph per article plus the entity graph), loads it
into an in-memory Store, runs the ``kg viz`` path (:func:`kg.visualise.write_html`)
to a page, opens it in Debian's headless Chromium and reads when it settled
(``window.kgSettledAt``: ms from navigation start to the end of the physics'
stabilisation, or to the first drawing when positions come from Python).

Two runs per size: the default options (budget 1,500: a larger graph is cut to its
1,500 most central nodes) and ``--budget`` = the size (everything drawn). Median of
3 page loads each. A benchmark, not a test: the numbers go to bench/RESULTS.md.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, Dataset, Literal, URIRef
from rdflib.namespace import PROV, XSD

from kg.rdf.namespaces import ENTITY_GRAPH, KG, KGR
from kg.serialise import to_oxigraph
from kg.store import Store
from kg.visualise import ViewOptions, write_html

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
ROUNDS = 3
SEED = 20211023
SIZES = (100, 200, 500, 1000, 5000)
SETTLE_LIMIT_S = 300

# Share of the entities per class; events make up the rest.
MIX = {
    "official": 0.30,
    "person": 0.03,
    "agency": 0.18,
    "company": 0.12,
    "organization": 0.04,
    "park": 0.06,
    "place": 0.07,
}
TITLES = ("局长", "副局长", "主任", "副主任", "党组书记", "处长", "书记", "二级巡视员")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
KINDS = ("调研", "座谈会", "推介会", "论坛", "考察")


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _date(rng: random.Random) -> str:
    return f"{rng.randint(2015, 2023)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def synthetic(entities: int, seed: int = SEED) -> Dataset:
    """A graph of ``entities`` entities and events, laid out as docs/graph-layout.md."""
    rng = random.Random(seed)
    ds = Dataset()
    ent = ds.graph(ENTITY_GRAPH)
    counts = {kind: max(1, round(entities * share)) for kind, share in MIX.items()}
    counts["event"] = entities - sum(counts.values())
    iris: dict[str, list[URIRef]] = {}
    classes = {
        "official": (KG.Official, KG.Person), "person": (KG.Person,), "agency": (KG.Agency, KG.Organization),
        "company": (KG.Company, KG.Organization), "organization": (KG.Organization,), "park": (KG.Park,),
        "place": (KG.Place,), "event": (KG.Event,),
    }  # fmt: skip
    names = {
        "official": lambda i: f"{SURNAMES[i % len(SURNAMES)]}某{i}",
        "person": lambda i: f"{SURNAMES[i % len(SURNAMES)]}某某{i}",
        "agency": lambda i: f"某某{i}号科技局",
        "company": lambda i: f"某某{i}号科技有限公司",
        "organization": lambda i: f"某某{i}号创业协会",
        "park": lambda i: f"某某{i}号高新区",
        "place": lambda i: f"某某{i}市",
        "event": lambda i: f"某某{i}号{KINDS[i % len(KINDS)]}",
    }
    path = {"official": "person", "person": "person", "agency": "org", "company": "org", "organization": "org"}
    serial = 0
    for kind, n in counts.items():
        iris[kind] = [KGR[f"{path.get(kind, kind)}/syn{serial + i:05d}"] for i in range(n)]
        serial += n
        for i, node in enumerate(iris[kind]):
            for cls in classes[kind]:
                ent.add((node, RDF.type, cls))
            ent.add((node, RDFS.label, _zh(names[kind](i))))
            if i % 7 == 0:
                ent.add((node, SKOS.altLabel, _zh(f"{names[kind](i)}（简称）")))
    agencies, places, parks = iris["agency"], iris["place"], iris["park"]
    for i, agency in enumerate(agencies):
        if i and rng.random() < 0.6:
            ent.add((agency, KG.subOrganizationOf, agencies[rng.randrange(i)]))
        else:
            ent.add((agency, KG.locatedIn, rng.choice(places)))
    for park in parks:
        ent.add((park, KG.locatedIn, rng.choice(places)))
        ent.add((rng.choice(agencies), KG.manages, park))
    for company in iris["company"]:
        ent.add((company, KG.locatedIn, rng.choice(parks)))

    articles = max(1, len(iris["event"]) // 2)
    graphs = [ds.graph(KGR[f"graph/article/syn{a:05d}"]) for a in range(articles)]
    for a, art in enumerate(graphs):
        article = KGR[f"article/syn{a:05d}"]
        art.add((article, RDF.type, KG.Article))
        art.add((article, KG.headline, _zh(f"某某{a}号新闻")))
        art.add((art.identifier, PROV.wasDerivedFrom, article))

    def provenance(art: object, node: URIRef, text: str) -> None:
        article = KGR[f"article/{str(art.identifier).rsplit('/', 1)[-1]}"]  # type: ignore[attr-defined]
        art.add((node, PROV.wasDerivedFrom, article))  # type: ignore[attr-defined]
        art.add((node, KG.evidence, _zh(text)))  # type: ignore[attr-defined]
        art.add((node, KG.charStart, Literal(0, datatype=XSD.integer)))  # type: ignore[attr-defined]
        art.add((node, KG.charEnd, Literal(len(text), datatype=XSD.integer)))  # type: ignore[attr-defined]

    def mention(art: object, node: URIRef) -> None:
        article = KGR[f"article/{str(art.identifier).rsplit('/', 1)[-1]}"]  # type: ignore[attr-defined]
        art.add((node, KG.mentionedIn, article))  # type: ignore[attr-defined]

    for number, official in enumerate(iris["official"]):
        for _ in range(rng.choice((1, 1, 2))):
            art = rng.choice(graphs)
            org, title = rng.choice(agencies), rng.choice(TITLES)
            pos = KGR[f"position/syn{number:05d}-{rng.randrange(10**6):06d}"]
            art.add((pos, RDF.type, KG.Position))
            art.add((official, KG.holdsPosition, pos))
            art.add((pos, KG.holder, official))
            art.add((pos, KG.organization, org))
            art.add((pos, KG.title, _zh(title)))
            art.add((pos, KG.attestedOn, Literal(_date(rng), datatype=XSD.date)))
            provenance(art, pos, f"某某{number}号消息：{title}到任。")
            mention(art, official)
            mention(art, org)
    people = iris["official"] + iris["person"]
    venues = iris["company"] + iris["park"] + iris["organization"]
    for number, event in enumerate(iris["event"]):
        art = graphs[number % len(graphs)]
        start = _date(rng)
        art.add((event, KG.eventKind, _zh(KINDS[number % len(KINDS)])))
        art.add((event, KG.startDate, Literal(start, datatype=XSD.date)))
        for person in rng.sample(people, rng.randint(2, 5)):
            art.add((event, KG.participant, person))
            mention(art, person)
        art.add((event, KG.organizer, rng.choice(agencies)))
        art.add((event, KG.location, rng.choice(venues)))
        if number and rng.random() < 0.05:
            art.add((event, KG.partOf, iris["event"][rng.randrange(number)]))
        provenance(art, event, f"{start}，某某{number}号活动举行。")
    for number, (s, p, o) in enumerate(sorted(ent.triples((None, KG.subOrganizationOf, None)))):
        art = graphs[number % len(graphs)]
        st = KGR[f"statement/syn{number:05d}"]
        art.add((st, RDF.type, RDF.Statement))
        art.add((st, RDF.subject, s))
        art.add((st, RDF.predicate, p))
        art.add((st, RDF.object, o))
        provenance(art, st, "某某处是某某局的内设机构。")
    return ds


def settle_ms(browser: object, page_path: Path) -> float:
    """Milliseconds from navigation start until the page reports it has settled."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(page_path.resolve().as_uri())
    deadline = time.monotonic() + SETTLE_LIMIT_S
    while not page.evaluate("window.kgStabilised === true"):  # the page's CSP forbids eval-based waits
        if time.monotonic() > deadline:
            raise RuntimeError(f"{page_path}: not settled after {SETTLE_LIMIT_S} s")
        page.wait_for_timeout(20)
    settled = float(page.evaluate("window.kgSettledAt"))
    page.close()
    if errors:
        raise RuntimeError(f"{page_path}: {errors}")
    return settled


def main() -> None:
    from playwright.sync_api import sync_playwright

    sizes = [int(arg) for arg in sys.argv[1:]] or list(SIZES)
    folder = Path(tempfile.mkdtemp(prefix="view-settle-"))
    print("entities | budget | drawn nodes | drawn edges | physics | page MB | write_html s | settle s (median of 3)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size in sizes:
            store = Store()
            store.oxigraph.extend(to_oxigraph(synthetic(size)))
            for budget in sorted({ViewOptions().budget, size}):
                out = folder / f"view-{size}-{budget}.html"
                start = time.perf_counter()
                summary = write_html(store, out, title=f"synthetic {size}", options=ViewOptions(budget=budget))
                built = time.perf_counter() - start
                times = [settle_ms(browser, out) / 1000 for _ in range(ROUNDS)]
                physics = "on" if summary.nodes <= _physics_max() else "off (Python layout)"
                print(
                    f"{size:,} | {budget:,} | {summary.nodes:,} | {summary.edges:,} | {physics} | "
                    f"{out.stat().st_size / 1e6:.1f} | {built:.1f} | {statistics.median(times):.2f} "
                    f"({', '.join(f'{t:.2f}' for t in times)})",
                    flush=True,
                )
        browser.close()


def _physics_max() -> int:
    from kg.visualise import PHYSICS_MAX_NODES

    return PHYSICS_MAX_NODES


if __name__ == "__main__":
    main()
