"""Exports of the entity network: GraphML, GEXF and CSV, readable by other tools, typed, deterministic."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset

from kg.analyse import entity_graph
from kg.errors import KGError
from kg.export import (
    EDGE_COLUMNS,
    NODE_COLUMNS,
    csv_paths,
    edge_table,
    export_format,
    export_network,
    gexf_bytes,
    graphml_bytes,
    node_table,
)
from kg.rdf.namespaces import KGR

BUREAU = str(KGR["org/bureau"])
SAFE = (str, int, float, bool)


@pytest.fixture
def graph(kg_dataset: Dataset) -> nx.MultiDiGraph:
    return entity_graph(kg_dataset)


def test_node_table_has_names_classes_and_measures(graph: nx.MultiDiGraph) -> None:
    table = node_table(graph)
    assert list(table.columns) == NODE_COLUMNS
    assert list(table["id"]) == sorted(graph.nodes)
    bureau = table.set_index("id").loc[BUREAU]
    assert bureau[["label", "type", "aliases", "degree"]].tolist() == ["某某市科技局", "Agency", "市科技局", 4]
    assert bureau["articles"] == str(KGR["article/demo-001"])
    assert table["community"].min() == 1
    assert table.loc[table["type"] == "Event", "startDate"].tolist() == ["2021-10-23"]


def test_edge_table_has_every_edge(graph: nx.MultiDiGraph) -> None:
    table = edge_table(graph)
    assert list(table.columns) == EDGE_COLUMNS
    assert len(table) == graph.number_of_edges()
    titles = table.loc[table["relation"] == "holdsPosition", "title"].tolist()
    assert sorted(titles) == ["党组书记", "局长"]


@pytest.mark.parametrize(("name", "reader"), [("net.graphml", nx.read_graphml), ("net.gexf", nx.read_gexf)])
def test_graphml_and_gexf_read_back_with_safe_attributes(
    graph: nx.MultiDiGraph, tmp_path: Path, name: str, reader: object
) -> None:
    (written,) = export_network(graph, tmp_path / name)
    back = reader(written)  # type: ignore[operator]
    assert set(back.nodes) == set(graph.nodes)
    assert back.number_of_edges() == graph.number_of_edges()
    assert back.nodes[BUREAU]["label"] == "某某市科技局"
    assert back.nodes[BUREAU]["aliases"] == "市科技局"
    assert back.nodes[BUREAU]["degree"] == 4
    assert isinstance(back.nodes[BUREAU]["pagerank"], float)
    for _, attrs in back.nodes(data=True):
        assert all(isinstance(value, SAFE) for value in attrs.values())
    relations = sorted(d["relation"] for *_, d in back.edges(data=True))
    assert relations.count("holdsPosition") == 2


def test_csv_writes_nodes_and_edges(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    written = export_network(graph, tmp_path / "net.nodes.csv")
    assert written == [tmp_path / "net.nodes.csv", tmp_path / "net.edges.csv"]
    with written[0].open(encoding="utf-8", newline="") as fh:
        nodes = list(csv.DictReader(fh))
    with written[1].open(encoding="utf-8", newline="") as fh:
        edges = list(csv.DictReader(fh))
    assert len(nodes) == graph.number_of_nodes() and len(edges) == graph.number_of_edges()
    assert list(nodes[0]) == NODE_COLUMNS and list(edges[0]) == EDGE_COLUMNS
    assert {row["label"] for row in nodes} >= {"张三", "某某市科技局"}
    assert sorted(tmp_path.iterdir()) == sorted(written)  # no temporary files left behind


def test_same_graph_same_bytes(kg_dataset: Dataset, tmp_path: Path) -> None:
    shuffled = Dataset()
    for s, p, o, g in sorted(kg_dataset.quads((None, None, None, None)), reverse=True):
        shuffled.graph(g).add((s, p, o))
    a, b = entity_graph(kg_dataset), entity_graph(shuffled)
    assert graphml_bytes(a) == graphml_bytes(b)
    assert gexf_bytes(a) == gexf_bytes(b)
    assert b"lastmodifieddate" not in gexf_bytes(a)
    for fmt in ("graphml", "gexf", "csv"):
        first = export_network(a, tmp_path / "a" / "net", fmt)
        second = export_network(b, tmp_path / "b" / "net", fmt)
        assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_format_from_extension_or_given() -> None:
    assert export_format(Path("x.GraphML")) == "graphml"
    assert export_format(Path("x.gexf")) == "gexf"
    assert export_format(Path("x.edges.csv")) == "csv"
    assert export_format(Path("x.txt"), "gexf") == "gexf"
    with pytest.raises(KGError, match=r"x\.txt: unknown export format"):
        export_format(Path("x.txt"))
    with pytest.raises(KGError, match="format 'dot'"):
        export_format(Path("x.gexf"), "dot")
    assert csv_paths(Path("d/net.csv")) == (Path("d/net.nodes.csv"), Path("d/net.edges.csv"))
    assert csv_paths(Path("d/net")) == (Path("d/net.nodes.csv"), Path("d/net.edges.csv"))


def test_empty_network_exports(tmp_path: Path) -> None:
    empty = nx.MultiDiGraph()
    assert nx.read_graphml(export_network(empty, tmp_path / "e.graphml")[0]).number_of_nodes() == 0
    nodes, _ = export_network(empty, tmp_path / "e.csv")
    assert nodes.read_text(encoding="utf-8").splitlines() == [",".join(NODE_COLUMNS)]
