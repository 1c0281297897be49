"""Serialisation: format by extension, canonical bytes across processes, lossless round trips."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.term import Node

from kg.errors import KGError
from kg.rdf.namespaces import ENTITY_GRAPH, KG, KGR
from kg.serialise import FORMATS, canonical_quads, rdf_format, serialise, to_oxigraph, to_rdflib, write_rdf

ARTICLE = KGR["graph/article/t1"]

BUILD_DATASET = textwrap.dedent(
    '''
    import rdflib
    from rdflib import RDF, RDFS, SKOS, XSD, BNode, Literal
    from rdflib.namespace import PROV
    from kg.rdf.namespaces import ENTITY_GRAPH, KG, KGR

    def build_dataset() -> rdflib.Dataset:
        """A small article in the documented layout, with a blank node and every literal kind."""
        ds = rdflib.Dataset()
        ent = ds.graph(ENTITY_GRAPH)
        art = ds.graph(KGR["graph/article/t1"])
        person, org, pos = KGR["person/zs"], KGR["org/kjj"], KGR["position/1"]
        article = KGR["article/t1"]
        for s, cls in ((person, KG.Official), (person, KG.Person), (org, KG.Agency)):
            ent.add((s, RDF.type, cls))
        ent.add((person, RDFS.label, Literal("张三", lang="zh")))
        ent.add((person, RDFS.label, Literal("張三", lang="zh-Hant")))
        ent.add((org, RDFS.label, Literal("某某市科技局", lang="zh")))
        ent.add((org, SKOS.altLabel, Literal("市科技局", lang="zh")))
        art.add((article, RDF.type, KG.Article))
        art.add((article, KG.headline, Literal('张三说："创新"\\n第二行')))
        art.add((article, KG.datePublished, Literal("2021-10-26T16:15:51", datatype=XSD.dateTime)))
        art.add((pos, RDF.type, KG.Position))
        art.add((pos, KG.holder, person))
        art.add((pos, KG.organization, org))
        art.add((pos, KG.title, Literal("局长", lang="zh")))
        art.add((pos, KG.charStart, Literal(10)))
        art.add((pos, PROV.wasDerivedFrom, article))
        note = BNode()
        art.add((pos, RDFS.comment, note))
        art.add((note, RDFS.label, Literal("a blank node", lang="en")))
        art.add((KGR["observation/1"], KG.value, Literal("156000000", datatype=XSD.decimal)))
        art.add((KGR["graph/article/t1"], PROV.wasDerivedFrom, article))
        return ds
    '''
)
namespace: dict[str, object] = {}
exec(BUILD_DATASET, namespace)  # the same builder runs in the subprocesses below
build_dataset = namespace["build_dataset"]


def lower_tags(triples: Iterable[tuple[Node, Node, Node]]) -> rdflib.Graph:
    """A graph of ``triples`` with language tags in lower case, as Oxigraph writes them.

    rdflib's ``==`` ignores the case of a tag but ``isomorphic`` hashes it, so compare
    graphs with tags normalised on both sides.
    """
    g = rdflib.Graph()
    for s, p, o in triples:
        if isinstance(o, rdflib.Literal) and o.language:
            o = rdflib.Literal(str(o), lang=o.language.lower())
        g.add((s, p, o))
    return g


def graphs_of(ds: rdflib.Dataset) -> dict[str, rdflib.Graph]:
    """Non-empty graphs by name (the default graph under ''), language tags lowered."""
    out: dict[str, rdflib.Graph] = {}
    for g in ds.graphs():
        if len(g):
            name = "" if g.identifier == rdflib.graph.DATASET_DEFAULT_GRAPH_ID else str(g.identifier)
            out[name] = lower_tags(g)
    return out


def union(ds: rdflib.Dataset) -> rdflib.Graph:
    """Every graph's triples in one graph, language tags lowered."""
    return lower_tags((s, p, o) for s, p, o, _ in ds.quads((None, None, None, None)))


@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_format_follows_the_extension(ext: str) -> None:
    assert rdf_format(f"out/graph{ext}") == FORMATS[ext]
    assert rdf_format(f"GRAPH{ext.upper()}") == FORMATS[ext]
    assert rdf_format(ext) == FORMATS[ext]


@pytest.mark.parametrize("name", ["graph.xml", "graph", "graph.ttl.bak"])
def test_unknown_extension_is_a_kgerror_naming_it(name: str) -> None:
    with pytest.raises(KGError, match=r"unknown RDF format") as info:
        serialise(build_dataset(), name)
    assert name in str(info.value)


@pytest.mark.parametrize("ext", [".trig", ".nq", ".jsonld"])
def test_dataset_formats_round_trip_graph_by_graph(ext: str) -> None:
    ds = build_dataset()
    back = rdflib.Dataset()
    back.parse(data=serialise(ds, ext), format={".trig": "trig", ".nq": "nquads", ".jsonld": "json-ld"}[ext])
    before, after = graphs_of(ds), graphs_of(back)
    assert set(before) == set(after) == {str(ENTITY_GRAPH), str(ARTICLE)}
    for name, graph in before.items():
        assert isomorphic(graph, after[name]), name


@pytest.mark.parametrize("ext", [".ttl", ".nt"])
def test_triple_formats_merge_all_graphs(ext: str) -> None:
    ds = build_dataset()
    ds.graph(ARTICLE).add((KGR["person/zs"], rdflib.RDF.type, KG.Official))  # repeated across graphs
    back = rdflib.Graph().parse(data=serialise(ds, ext), format={".ttl": "turtle", ".nt": "nt"}[ext])
    assert isomorphic(lower_tags(back), union(ds))
    assert serialise(ds, ext).count(b"<https://w3id.org/govnews-kg/ontology#Official>") <= 1


def test_turtle_uses_the_project_prefixes_and_groups_subjects() -> None:
    text = serialise(build_dataset(), ".ttl").decode("utf-8")
    assert "@prefix kg: <https://w3id.org/govnews-kg/ontology#> ." in text
    assert "<https://w3id.org/govnews-kg/id/person/zs> a kg:Official , kg:Person ;" in text
    assert 'rdfs:label "张三"@zh , "張三"@zh-hant' in text
    assert "\\/" not in text  # no escaped prefixed names (KNOWN-TRAPS: rdflib matches nothing)


def test_quads_are_sorted_with_rdf_type_first() -> None:
    quads = canonical_quads(build_dataset())
    assert quads == sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject)))
    person = [q for q in quads if q.subject == ox.NamedNode(str(KGR["person/zs"]))]
    assert person[0].predicate.value.endswith("#type")


def test_the_same_data_built_twice_gives_the_same_bytes() -> None:
    for ext in FORMATS:
        assert serialise(build_dataset(), ext) == serialise(build_dataset(), ext), ext


def test_bytes_are_identical_across_processes_and_hash_seeds(tmp_path: Path) -> None:
    script = BUILD_DATASET + textwrap.dedent(
        """
        import sys
        from kg.serialise import FORMATS, serialise
        for ext in sorted(FORMATS):
            sys.stdout.buffer.write(ext.encode() + b"\\0" + serialise(build_dataset(), ext) + b"\\0")
        """
    )
    outputs = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, check=True)
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 1000


def test_write_rdf_is_atomic_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "graph.trig"
    write_rdf(build_dataset(), out)
    assert out.read_bytes() == serialise(build_dataset(), ".trig")
    assert [p.name for p in out.parent.iterdir()] == ["graph.trig"]


def test_unknown_extension_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(KGError):
        write_rdf(build_dataset(), tmp_path / "graph.xml")
    assert list(tmp_path.iterdir()) == []


def test_oxigraph_and_rdflib_conversions_are_inverse() -> None:
    ds = build_dataset()
    back = to_rdflib(to_oxigraph(ds))
    for name, graph in graphs_of(ds).items():
        assert isomorphic(graph, graphs_of(back)[name]), name
    plain = next(o for _, _, o, _ in back.quads((None, KG.headline, None, None)))
    assert plain.datatype is None and plain.language is None


def test_store_quads_serialise_like_the_dataset() -> None:
    ds = build_dataset()
    store = ox.Store()
    store.extend(to_oxigraph(ds))
    assert serialise(store, ".nq") == serialise(ds, ".nq")
