"""A seeded synthetic graph of any size, laid out as docs/graph-layout.md, with invented names.

Officials hold titles at agencies (某某N号科技局); agencies are divisions of others;
events (某某N号调研) have participants, an organiser and a date; every entity is
mentioned in one of the articles. bench/view_settle.py builds a richer one for timing.
"""

from __future__ import annotations

import random

from rdflib import RDF, RDFS, Dataset, Literal
from rdflib import namespace as rdfns

from kg.rdf.namespaces import ENTITY_GRAPH, KG, KGR

SURNAMES = "王李张刘陈杨赵黄周吴"


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def synthetic_dataset(entities: int, seed: int = 1, articles: int = 3) -> Dataset:
    """``entities`` nodes: 40% officials, 30% agencies, the rest events; positions dated in 2021."""
    rng = random.Random(seed)
    ds = Dataset()
    ent = ds.graph(ENTITY_GRAPH)
    graphs = [ds.graph(KGR[f"graph/article/syn-{a}"]) for a in range(articles)]
    n_officials, n_agencies = int(entities * 0.4), int(entities * 0.3)
    officials = [KGR[f"person/syn{i:05d}"] for i in range(n_officials)]
    agencies = [KGR[f"org/syn{i:05d}"] for i in range(n_agencies)]
    events = [KGR[f"event/syn{i:05d}"] for i in range(entities - n_officials - n_agencies)]
    for a, art in enumerate(graphs):
        article = KGR[f"article/syn-{a}"]
        art.add((article, RDF.type, KG.Article))
        art.add((article, KG.headline, _zh(f"某某{a}号新闻")))
    for i, node in enumerate(officials):
        ent.add((node, RDF.type, KG.Official))
        ent.add((node, RDF.type, KG.Person))
        ent.add((node, RDFS.label, _zh(f"{SURNAMES[i % len(SURNAMES)]}某{i}")))
    for i, node in enumerate(agencies):
        ent.add((node, RDF.type, KG.Agency))
        ent.add((node, RDF.type, KG.Organization))
        ent.add((node, RDFS.label, _zh(f"某某{i}号科技局")))
        if i:
            ent.add((node, KG.subOrganizationOf, agencies[rng.randrange(i)]))
    for i, official in enumerate(officials):
        art = graphs[i % articles]
        pos = KGR[f"position/syn{i:05d}"]
        art.add((pos, RDF.type, KG.Position))
        art.add((official, KG.holdsPosition, pos))
        art.add((pos, KG.holder, official))
        art.add((pos, KG.organization, rng.choice(agencies)))
        art.add((pos, KG.title, _zh("局长")))
        art.add((pos, KG.attestedOn, Literal(f"2021-{1 + i % 12:02d}-15", datatype=rdfns.XSD.date)))
        art.add((pos, KG.evidence, _zh(f"某某{i}号消息：{SURNAMES[i % len(SURNAMES)]}某{i}任局长。")))
        art.add((pos, rdfns.PROV.wasDerivedFrom, KGR[f"article/syn-{i % articles}"]))
    for i, event in enumerate(events):
        a = i % articles
        art = graphs[a]
        ent.add((event, RDF.type, KG.Event))
        ent.add((event, RDFS.label, _zh(f"某某{i}号调研")))
        art.add((event, KG.startDate, Literal(f"2022-{1 + i % 12:02d}-01", datatype=rdfns.XSD.date)))
        for person in rng.sample(officials, min(3, len(officials))):
            art.add((event, KG.participant, person))
        art.add((event, KG.organizer, rng.choice(agencies)))
        art.add((event, KG.evidence, _zh(f"某某{i}号调研举行。")))
        art.add((event, rdfns.PROV.wasDerivedFrom, KGR[f"article/syn-{a}"]))
    for i, node in enumerate(officials + agencies):
        graphs[i % articles].add((node, KG.mentionedIn, KGR[f"article/syn-{i % articles}"]))
    return ds
