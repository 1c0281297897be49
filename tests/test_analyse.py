"""The entity network: what becomes a node and an edge, the measures, paths and timelines.

Hand-built graphs use the invented names of ``conftest.kg_dataset``; one test reads
the bundled seed article through the whole extraction.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from rdflib import RDF, RDFS, Dataset, Literal, URIRef
from rdflib import namespace as rdfns

from kg.analyse import (
    CENTRALITY_COLUMNS,
    MEETING_COLUMNS,
    NODE_CLASSES,
    POSITION_COLUMNS,
    TIMELINE_COLUMNS,
    as_store,
    centrality,
    class_counts,
    co_participation,
    communities,
    day_range,
    ego,
    entity_graph,
    filter_articles,
    filter_classes,
    filter_dates,
    meetings,
    positions,
    relation_counts,
    resolve,
    scores,
    shortest_path,
    timeline,
    top_nodes,
)
from kg.errors import KGError
from kg.extract import extract_file
from kg.rdf.namespaces import ENTITY_GRAPH, KG, KGR
from kg.store import Store

SEED = Path(__file__).resolve().parents[1] / "data" / "sample" / "seed-001.txt"
ZHANGSAN = str(KGR["person/zhangsan"])
BUREAU = str(KGR["org/bureau"])
EVENT = str(KGR["event/demo"])
MEETING = str(KGR["event/meeting"])
UNDATED = str(KGR["event/undated"])
ENTITY_TYPES = {"Official", "Person", "Agency", "Company", "Organization", "Park", "Place"}


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _add_second_article(ds: Dataset) -> None:
    """A later article: a dated meeting, an undated visit, and 张三's title attested again."""
    ent = ds.graph(ENTITY_GRAPH)
    art = ds.graph(KGR["graph/article/demo-002"])
    art_id = KGR["article/demo-002"]
    art.add((art_id, RDF.type, KG.Article))
    for event, name in ((MEETING, "某某市科技企业座谈会"), (UNDATED, "张三走访某某创业协会")):
        ent.add((URIRef(event), RDF.type, KG.Event))
        ent.add((URIRef(event), RDFS.label, _zh(name)))
        art.add((URIRef(event), KG.participant, URIRef(ZHANGSAN)))
        art.add((URIRef(event), rdfns.PROV.wasDerivedFrom, art_id))
    meeting = URIRef(MEETING)
    art.add((meeting, KG.startDate, Literal("2022-01-05", datatype=rdfns.XSD.date)))
    art.add((meeting, KG.eventKind, _zh("座谈会")))
    art.add((meeting, KG.organizer, URIRef(BUREAU)))
    art.add((URIRef(UNDATED), KG.location, KGR["org/assoc"]))
    pos = KGR["position/demo-002"]
    art.add((pos, RDF.type, KG.Position))
    art.add((URIRef(ZHANGSAN), KG.holdsPosition, pos))
    art.add((pos, KG.holder, URIRef(ZHANGSAN)))
    art.add((pos, KG.organization, URIRef(BUREAU)))
    art.add((pos, KG.title, _zh("局长")))
    art.add((pos, KG.attestedOn, Literal("2022-01-05", datatype=rdfns.XSD.date)))
    art.add((pos, KG.evidence, _zh("某某市科技局局长张三主持座谈会。")))


@pytest.fixture
def two_articles(kg_dataset: Dataset) -> Dataset:
    _add_second_article(kg_dataset)
    return kg_dataset


@pytest.fixture
def graph(kg_dataset: Dataset) -> nx.MultiDiGraph:
    return entity_graph(kg_dataset)


def _edges(g: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    """(subject label, relation, object label) of every edge."""
    return {(g.nodes[u]["label"], d["relation"], g.nodes[v]["label"]) for u, v, d in g.edges(data=True)}


def test_nodes_are_the_entities_and_events_with_their_most_specific_class(graph: nx.MultiDiGraph) -> None:
    types = {attrs["label"]: attrs["type"] for _, attrs in graph.nodes(data=True)}
    assert types == {
        "张三": "Official",
        "李四": "Person",
        "某某市科技局": "Agency",
        "某某市科技局高新处": "Agency",
        "某某高新区管委会": "Agency",
        "某某科技有限公司": "Company",
        "某某创业协会": "Organization",
        "某某高新区": "Park",
        "某某市": "Place",
        "张三调研某某科技有限公司": "Event",
    }
    assert graph.nodes[BUREAU]["aliases"] == ["市科技局"]
    assert list(graph.nodes) == sorted(graph.nodes)


def test_edges_are_relations_and_positions(graph: nx.MultiDiGraph) -> None:
    assert _edges(graph) == {
        ("某某市科技局高新处", "subOrganizationOf", "某某市科技局"),
        ("某某高新区管委会", "manages", "某某高新区"),
        ("某某高新区", "locatedIn", "某某市"),
        ("张三调研某某科技有限公司", "participant", "张三"),
        ("张三调研某某科技有限公司", "organizer", "某某市科技局"),
        ("张三调研某某科技有限公司", "location", "某某科技有限公司"),
        ("张三", "holdsPosition", "某某市科技局"),
    }
    held = [d for _, _, d in graph.out_edges(ZHANGSAN, data=True)]
    assert sorted(d["title"] for d in held) == ["党组书记", "局长"]
    assert all(d["evidence"].startswith("10月23日") and "attestedOn" not in d for d in held)


def test_articles_positions_figures_and_literals_are_not_nodes(kg_dataset: Dataset) -> None:
    """Equal literals (a year, "国家级") must not link what they describe (KNOWN-TRAPS)."""
    ent = kg_dataset.graph(ENTITY_GRAPH)
    for key in ("company", "assoc"):
        ent.add((KGR[f"org/{key}"], KG.qualifier, _zh("国家级")))
    g = entity_graph(kg_dataset)
    typed = {str(s) for s, _, o, _ in kg_dataset.quads((None, RDF.type, None, None)) if o in NODE_CLASSES}
    assert set(g.nodes) == typed
    assert not g.has_edge(str(KGR["org/company"]), str(KGR["org/assoc"]))
    assert not g.has_edge(str(KGR["org/assoc"]), str(KGR["org/company"]))


def test_same_title_in_two_articles_is_one_edge_with_the_latest_attestation(two_articles: Dataset) -> None:
    g = entity_graph(two_articles)
    titles = {d["title"]: d for _, v, d in g.out_edges(ZHANGSAN, data=True) if v == BUREAU}
    assert sorted(titles) == ["党组书记", "局长"]
    assert titles["局长"]["attestedOn"] == "2022-01-05"
    assert titles["局长"]["evidence"] == "某某市科技局局长张三主持座谈会。"


def test_a_store_and_a_dataset_give_the_same_graph(kg_dataset: Dataset) -> None:
    store = Store()
    store.replace_article(KGR["graph/article/demo-001"], kg_dataset)
    from_store, from_dataset = entity_graph(store), entity_graph(kg_dataset)
    assert list(from_store.nodes(data=True)) == list(from_dataset.nodes(data=True))
    assert list(from_store.edges(keys=True, data=True)) == list(from_dataset.edges(keys=True, data=True))


def test_insertion_order_does_not_change_the_graph(kg_dataset: Dataset) -> None:
    shuffled = Dataset()
    for s, p, o, g in sorted(kg_dataset.quads((None, None, None, None)), reverse=True):
        shuffled.graph(g).add((s, p, o))
    a, b = entity_graph(kg_dataset), entity_graph(shuffled)
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


def test_only_graphs_and_stores_are_analysed() -> None:
    with pytest.raises(KGError, match="cannot analyse a dict"):
        as_store({})


def test_centrality_ranks_by_pagerank(graph: nx.MultiDiGraph) -> None:
    table = centrality(graph)
    assert list(table.columns) == CENTRALITY_COLUMNS
    assert len(table) == graph.number_of_nodes()
    assert table.iloc[0]["label"] == "某某市科技局"
    assert table["pagerank"].is_monotonic_decreasing
    assert dict(zip(table["iri"], table["degree"], strict=True)) == dict(graph.degree())
    assert table.equals(centrality(graph))


def test_centrality_of_a_large_graph_is_sampled_and_reproducible() -> None:
    big = nx.MultiDiGraph()
    for number in range(600):
        big.add_node(f"urn:x:{number:03d}", label=f"某某{number}", type="Place", aliases=[])
    big.add_edges_from((f"urn:x:{n:03d}", f"urn:x:{n + 1:03d}") for n in range(599))
    first = centrality(big, sample=20)
    assert first.equals(centrality(big, sample=20))
    assert not first["betweenness"].equals(centrality(big, sample=30)["betweenness"])


def test_centrality_of_an_empty_graph_is_an_empty_table() -> None:
    assert list(centrality(nx.MultiDiGraph()).columns) == CENTRALITY_COLUMNS


def test_communities_partition_the_nodes_reproducibly(graph: nx.MultiDiGraph) -> None:
    found = communities(graph, seed=3)
    assert sorted(node for members in found for node in members) == sorted(graph.nodes)
    assert found == communities(graph, seed=3)
    assert [len(c) for c in found] == sorted((len(c) for c in found), reverse=True)
    assert [str(KGR["person/lisi"])] in found  # 李四 is linked to nothing


def test_resolve_takes_an_iri_a_label_or_an_alias(graph: nx.MultiDiGraph) -> None:
    assert resolve(graph, BUREAU) == resolve(graph, "某某市科技局") == resolve(graph, "市科技局") == BUREAU
    with pytest.raises(KGError, match="王五: no node"):
        resolve(graph, "王五")


def test_resolve_refuses_an_ambiguous_name(graph: nx.MultiDiGraph) -> None:
    graph.add_node("urn:x:other", label="张三", type="Person", aliases=[])
    with pytest.raises(KGError, match="several nodes have this label"):
        resolve(graph, "张三")


def test_ego_follows_edges_both_ways(graph: nx.MultiDiGraph) -> None:
    near = {graph.nodes[n]["label"] for n in ego(graph, "张三", 1)}
    assert near == {"张三", "张三调研某某科技有限公司", "某某市科技局"}
    wider = {graph.nodes[n]["label"] for n in ego(graph, ZHANGSAN, 2)}
    assert wider == near | {"某某科技有限公司", "某某市科技局高新处"}


def test_shortest_path_reads_as_a_relation_chain(graph: nx.MultiDiGraph) -> None:
    assert shortest_path(graph, "张三", "某某科技有限公司") == [
        ("张三", "^participant", "张三调研某某科技有限公司"),
        ("张三调研某某科技有限公司", "location", "某某科技有限公司"),
    ]
    assert shortest_path(graph, "某某市科技局高新处", "张三") == [
        ("某某市科技局高新处", "subOrganizationOf", "某某市科技局"),
        ("某某市科技局", "^holdsPosition", "张三"),
    ]


def test_shortest_path_between_unconnected_nodes_says_so(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(KGError, match="张三 and 李四 are not connected"):
        shortest_path(graph, "张三", "李四")


def test_timeline_lists_events_in_date_order_undated_last(two_articles: Dataset) -> None:
    table = timeline(two_articles, ZHANGSAN)
    assert list(table.columns) == TIMELINE_COLUMNS
    rows = table[["date", "event", "kind", "role"]].fillna("").values.tolist()
    assert rows == [
        ["2021-10-23", "张三调研某某科技有限公司", "调研", "participant"],
        ["2022-01-05", "某某市科技企业座谈会", "座谈会", "participant"],
        ["", "张三走访某某创业协会", "", "participant"],
    ]


def test_timeline_of_an_organisation_gives_its_roles(two_articles: Dataset) -> None:
    table = timeline(as_store(two_articles), BUREAU)
    assert table[["event_iri", "role"]].values.tolist() == [[EVENT, "organizer"], [MEETING, "organizer"]]


def test_timeline_of_an_unknown_entity_is_empty_and_a_bad_iri_fails(kg_dataset: Dataset) -> None:
    assert timeline(kg_dataset, str(KGR["person/nobody"])).empty
    with pytest.raises(KGError, match="not an IRI"):
        timeline(kg_dataset, "张三")


@pytest.fixture(scope="module")
def seed_dataset() -> Dataset:
    return extract_file(SEED)


def test_seed_article_projects_to_a_clean_entity_network(seed_dataset: Dataset) -> None:
    g = entity_graph(seed_dataset)
    typed = {str(s) for s, _, o, _ in seed_dataset.quads((None, RDF.type, None, None)) if o in NODE_CLASSES}
    assert g.number_of_nodes() > 10 and g.number_of_edges() > 10
    assert set(g.nodes) == typed  # no literal, article, position or figure became a node
    assert all(attrs["label"] and attrs["label"] not in attrs["aliases"] for _, attrs in g.nodes(data=True))
    table = centrality(g)
    assert table.iloc[0]["type"] in ENTITY_TYPES
    assert communities(g, seed=7) == communities(g, seed=7)
    assert sorted(n for c in communities(g) for n in c) == sorted(g.nodes)


def _labels(g: nx.MultiDiGraph) -> set[str]:
    return {attrs["label"] for _, attrs in g.nodes(data=True)}


def test_nodes_know_their_articles_and_events_their_dates(two_articles: Dataset) -> None:
    g = entity_graph(two_articles)
    assert g.nodes[ZHANGSAN]["articles"] == [str(KGR["article/demo-001"])]
    assert g.nodes[MEETING]["startDate"] == "2022-01-05" and "endDate" not in g.nodes[MEETING]
    assert "startDate" not in g.nodes[UNDATED]
    assert g.nodes[EVENT]["articles"] == [str(KGR["article/demo-001"])]  # stated there (and mentioned)


def test_a_title_attested_twice_keeps_its_first_and_latest_day(kg_dataset: Dataset) -> None:
    for number, day in ((0, "2021-10-23"), (1, "2022-03-01")):
        art = kg_dataset.graph(KGR[f"graph/article/demo-00{number + 3}"])
        pos = KGR[f"position/again{number}"]
        art.add((pos, RDF.type, KG.Position))
        art.add((pos, KG.holder, URIRef(ZHANGSAN)))
        art.add((pos, KG.organization, URIRef(BUREAU)))
        art.add((pos, KG.title, _zh("局长")))
        art.add((pos, KG.attestedOn, Literal(day, datatype=rdfns.XSD.date)))
    g = entity_graph(kg_dataset)
    (chief,) = [d for _, v, d in g.out_edges(ZHANGSAN, data=True) if d.get("title") == "局长"]
    assert (chief["firstAttestedOn"], chief["attestedOn"]) == ("2021-10-23", "2022-03-01")


def test_counts_by_class_and_relation(graph: nx.MultiDiGraph) -> None:
    classes = class_counts(graph)
    assert list(classes.columns) == ["class", "count"]
    assert dict(zip(classes["class"], classes["count"], strict=True)) == {
        "Agency": 3, "Company": 1, "Event": 1, "Official": 1, "Organization": 1, "Park": 1, "Person": 1, "Place": 1,
    }  # fmt: skip
    assert classes.iloc[0]["class"] == "Agency"
    relations = relation_counts(graph)
    assert relations["count"].sum() == graph.number_of_edges() == 8
    assert relations.iloc[0].tolist() == ["holdsPosition", 2]


def test_scores_and_top_nodes(graph: nx.MultiDiGraph) -> None:
    degree = scores(graph, "degree")
    assert degree[BUREAU] == 4.0
    assert top_nodes(graph, 1, "degree") == [BUREAU]
    assert top_nodes(graph, 3) == top_nodes(graph, 3, scores(graph, "pagerank"))
    assert len(top_nodes(graph, 100)) == graph.number_of_nodes()
    with pytest.raises(KGError, match="unknown measure"):
        scores(graph, "closeness")


def test_filter_classes_with_superclasses(graph: nx.MultiDiGraph) -> None:
    assert _labels(filter_classes(graph, ["Official"])) == {"张三"}
    assert _labels(filter_classes(graph, ["person"])) == {"张三", "李四"}
    orgs = filter_classes(graph, ["Organization", "kg:Park"])
    assert _labels(orgs) == {
        "某某市科技局", "某某市科技局高新处", "某某高新区管委会", "某某科技有限公司", "某某创业协会", "某某高新区",
    }  # fmt: skip
    assert {d["relation"] for *_, d in orgs.edges(data=True)} == {"subOrganizationOf", "manages"}
    with pytest.raises(KGError, match="Minister: unknown class; use one of Official"):
        filter_classes(graph, ["Minister"])


def test_filter_articles_by_id_or_iri(two_articles: Dataset) -> None:
    g = entity_graph(two_articles)
    second = filter_articles(g, ["demo-002"])
    assert _labels(second) == {"某某市科技企业座谈会", "张三走访某某创业协会"}
    assert filter_articles(g, [str(KGR["article/demo-002"])]).nodes == second.nodes
    both = filter_articles(g, ["demo-001", "demo-002"])
    assert set(both.nodes) == set(g.nodes)
    with pytest.raises(KGError, match="demo-009: no such article in the graph; known: demo-001, demo-002"):
        filter_articles(g, ["demo-009"])


def test_filter_dates_keeps_what_happened_in_the_window(two_articles: Dataset) -> None:
    g = entity_graph(two_articles)
    early = filter_dates(g, "2021", "2021-10-31")
    assert _labels(early) == {"张三调研某某科技有限公司", "张三", "某某市科技局", "某某科技有限公司"}
    assert {d["relation"] for *_, d in early.edges(data=True)} == {"participant", "organizer", "location"}
    late = filter_dates(g, since="2022-01")
    assert _labels(late) == {"某某市科技企业座谈会", "张三", "某某市科技局"}
    titles = [d["title"] for *_, d in late.edges(data=True) if d["relation"] == "holdsPosition"]
    assert titles == ["局长"]  # attested 2022-01-05; 党组书记 is undated
    assert len(filter_dates(g, "2023")) == 0


def test_day_range_reads_years_months_days_and_refuses_the_rest() -> None:
    assert day_range("2021") == ("2021-01-01", "2021-12-31")
    assert day_range("2024-02") == ("2024-02-01", "2024-02-29")
    assert day_range("2021-10-26T16:15:51") == ("2021-10-26", "2021-10-26")
    for bad in ("21", "2021-13", "2021-02-30", "昨天"):
        with pytest.raises(KGError, match="not a date"):
            day_range(bad)


def test_who_met_whom(two_articles: Dataset) -> None:
    g = entity_graph(two_articles)
    met = co_participation(g)
    assert [{met.nodes[a]["label"], met.nodes[b]["label"]} for a, b in met.edges] == [{"张三", "某某市科技局"}]
    assert met.edges[ZHANGSAN, BUREAU]["weight"] == 2
    assert met.edges[ZHANGSAN, BUREAU]["events"] == sorted([EVENT, MEETING])
    assert len(co_participation(g, ["Person"])) == 0  # 张三 met no other person
    table = meetings(g)
    assert list(table.columns) == MEETING_COLUMNS
    assert table[["a", "b", "events"]].values.tolist() == [["张三", "某某市科技局", 2]]
    assert table.iloc[0]["event_names"] == "张三调研某某科技有限公司、某某市科技企业座谈会"


def test_positions_table_in_date_order(two_articles: Dataset) -> None:
    table = positions(entity_graph(two_articles))
    assert list(table.columns) == POSITION_COLUMNS
    rows = table[["holder", "title", "organization", "attestedOn"]].fillna("").values.tolist()
    assert rows == [["张三", "局长", "某某市科技局", "2022-01-05"], ["张三", "党组书记", "某某市科技局", ""]]
