"""Shared fixtures: small hand-built inputs with invented names.

rdflib's XSD and PROV are reached through their module: pytest probes every name in
a conftest, and those namespaces warn on unknown attributes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, SKOS, Dataset, Literal, URIRef
from rdflib import namespace as rdfns

from kg.rdf.namespaces import ENTITY_GRAPH, KG, KGR

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright; missing Chromium fails on CI, skips elsewhere."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


@pytest.fixture
def kg_dataset() -> Dataset:
    """One article laid out as docs/graph-layout.md says: an entity graph and an article graph.

    Drawn: 9 entities and 1 event. Not drawn: the article, 2 positions (one person,
    two titles, one organisation), 1 observation, 1 relation statement.
    """
    ds = Dataset()
    ent = ds.graph(ENTITY_GRAPH)
    art_id = KGR["article/demo-001"]
    art = ds.graph(KGR["graph/article/demo-001"])
    people = {"zhangsan": ("张三", KG.Official), "lisi": ("李四", KG.Person)}
    orgs = {
        "bureau": ("某某市科技局", KG.Agency),
        "division": ("某某市科技局高新处", KG.Agency),
        "committee": ("某某高新区管委会", KG.Agency),
        "company": ("某某科技有限公司", KG.Company),
        "assoc": ("某某创业协会", KG.Organization),
    }
    iri = {key: KGR[f"person/{key}"] for key in people} | {key: KGR[f"org/{key}"] for key in orgs}
    iri |= {"park": KGR["park/demo"], "city": KGR["place/demo"], "event": KGR["event/demo"]}
    for key, (name, cls) in people.items():
        ent.add((iri[key], RDF.type, cls))
        ent.add((iri[key], RDF.type, KG.Person))
        ent.add((iri[key], RDFS.label, _zh(name)))
    for key, (name, cls) in orgs.items():
        ent.add((iri[key], RDF.type, cls))
        ent.add((iri[key], RDF.type, KG.Organization))
        ent.add((iri[key], RDFS.label, _zh(name)))
    for key, name, cls in (("park", "某某高新区", KG.Park), ("city", "某某市", KG.Place)):
        ent.add((iri[key], RDF.type, cls))
        ent.add((iri[key], RDFS.label, _zh(name)))
    ent.add((iri["event"], RDF.type, KG.Event))
    ent.add((iri["event"], RDFS.label, _zh("张三调研某某科技有限公司")))
    ent.add((iri["bureau"], SKOS.altLabel, _zh("市科技局")))
    ent.add((iri["company"], SKOS.altLabel, _zh("某某科技")))
    ent.add((iri["division"], KG.subOrganizationOf, iri["bureau"]))
    ent.add((iri["committee"], KG.manages, iri["park"]))
    ent.add((iri["park"], KG.locatedIn, iri["city"]))

    sentence = "10月23日，某某市科技局党组书记、局长张三到某某科技有限公司调研。"
    art.add((art_id, RDF.type, KG.Article))
    art.add((art_id, KG.headline, _zh("张三到某某科技有限公司调研")))
    art.add((KGR["graph/article/demo-001"], rdfns.PROV.wasDerivedFrom, art_id))
    for key in iri:
        art.add((iri[key], KG.mentionedIn, art_id))

    def provenance(node: URIRef, text: str, start: int) -> None:
        art.add((node, rdfns.PROV.wasDerivedFrom, art_id))
        art.add((node, KG.evidence, _zh(text)))
        art.add((node, KG.charStart, Literal(start, datatype=rdfns.XSD.integer)))
        art.add((node, KG.charEnd, Literal(start + len(text), datatype=rdfns.XSD.integer)))

    for number, title in enumerate(("党组书记", "局长")):
        pos = KGR[f"position/demo{number}"]
        art.add((pos, RDF.type, KG.Position))
        art.add((iri["zhangsan"], KG.holdsPosition, pos))
        art.add((pos, KG.holder, iri["zhangsan"]))
        art.add((pos, KG.organization, iri["bureau"]))
        art.add((pos, KG.title, _zh(title)))
        provenance(pos, sentence, 0)
    event = iri["event"]
    art.add((event, KG.eventKind, _zh("调研")))
    art.add((event, KG.startDate, Literal("2021-10-23", datatype=rdfns.XSD.date)))
    art.add((event, KG.participant, iri["zhangsan"]))
    art.add((event, KG.organizer, iri["bureau"]))
    art.add((event, KG.location, iri["company"]))
    provenance(event, sentence, 0)
    obs = KGR["observation/demo"]
    art.add((obs, RDF.type, KG.Observation))
    art.add((obs, KG.measure, _zh("高新技术企业")))
    art.add((obs, KG.value, Literal("120", datatype=rdfns.XSD.decimal)))
    art.add((obs, KG.unit, Literal("家")))
    art.add((obs, KG.surfaceForm, _zh("120家")))
    art.add((obs, KG.refPeriod, Literal("2020", datatype=rdfns.XSD.gYear)))
    art.add((obs, KG.area, iri["city"]))
    provenance(obs, "截至2020年，某某市共有高新技术企业120家。", 40)
    st = KGR["statement/demo"]
    art.add((st, RDF.type, RDF.Statement))
    art.add((st, RDF.subject, iri["division"]))
    art.add((st, RDF.predicate, KG.subOrganizationOf))
    art.add((st, RDF.object, iri["bureau"]))
    provenance(st, "某某市科技局高新处负责人陪同调研。", 70)
    return ds
