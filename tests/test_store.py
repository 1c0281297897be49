"""The embedded store: article replacement, set-semantics entities, export, clean errors."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import RDF, RDFS, Literal
from rdflib.namespace import PROV

from kg import store as store_module
from kg.errors import InputError, KGError, QueryError, StoreError
from kg.rdf.namespaces import ENTITY_GRAPH, KG, KGR
from kg.serialise import write_rdf
from kg.store import Store


def article(doc_id: str, person: str = "张三", title: str = "局长") -> rdflib.Dataset:
    """One article's extraction in the documented layout: entity graph + its own graph."""
    ds = rdflib.Dataset()
    ent, art = ds.graph(ENTITY_GRAPH), ds.graph(KGR[f"graph/article/{doc_id}"])
    who, org, pos, doc = (
        KGR[f"person/{person}"],
        KGR["org/kjj"],
        KGR[f"position/{doc_id}"],
        KGR[f"article/{doc_id}"],
    )
    ent.add((who, RDF.type, KG.Official))
    ent.add((who, RDF.type, KG.Person))
    ent.add((who, RDFS.label, Literal(person, lang="zh")))
    ent.add((org, RDF.type, KG.Agency))
    ent.add((org, RDFS.label, Literal("某某市科技局", lang="zh")))
    art.add((doc, RDF.type, KG.Article))
    art.add((pos, RDF.type, KG.Position))
    art.add((pos, KG.holder, who))
    art.add((pos, KG.organization, org))
    art.add((pos, KG.title, Literal(title, lang="zh")))
    art.add((pos, PROV.wasDerivedFrom, doc))
    return ds


def titles(store: Store) -> list[str]:
    rows = store.query("SELECT ?t WHERE { ?p kg:title ?t } ORDER BY ?t")
    return [row["t"].value for row in rows]


def test_replace_article_swaps_the_article_graph_and_merges_entities() -> None:
    store = Store()
    g1 = str(KGR["graph/article/a1"])
    store.replace_article(g1, article("a1", "张三", "局长"))
    store.replace_article(str(KGR["graph/article/a2"]), article("a2", "李四", "处长"))
    assert titles(store) == ["处长", "局长"]
    store.replace_article(g1, article("a1", "张三", "主任"))
    assert titles(store) == ["主任", "处长"]
    labels = store.query("SELECT ?l WHERE { ?s rdfs:label ?l } ORDER BY ?l")
    assert [r["l"].value for r in labels] == ["张三", "李四", "某某市科技局"]


def test_replacing_an_article_again_changes_nothing() -> None:
    store = Store()
    graph = str(KGR["graph/article/a1"])
    store.replace_article(graph, article("a1"))
    before = sorted(map(str, store))
    store.replace_article(graph, article("a1"))
    assert sorted(map(str, store)) == before


def test_entity_facts_are_stored_once_whatever_the_number_of_articles() -> None:
    store = Store()
    for doc in ("a1", "a2", "a3"):
        store.replace_article(str(KGR[f"graph/article/{doc}"]), article(doc))
    label = ox.Literal("张三", language="zh")
    assert len(list(store.oxigraph.quads_for_pattern(None, None, label))) == 1


def test_replace_article_refuses_data_for_other_graphs() -> None:
    with pytest.raises(StoreError, match="holds other graphs"):
        Store().replace_article(str(KGR["graph/article/other"]), article("a1"))


def test_replace_article_refuses_blank_nodes_in_the_entity_graph() -> None:
    data = article("a1")
    data.graph(ENTITY_GRAPH).add((KGR["person/张三"], RDFS.seeAlso, rdflib.BNode()))
    with pytest.raises(StoreError, match="blank node in the entity graph"):
        Store().replace_article(str(KGR["graph/article/a1"]), data)


def test_counts_and_article_graphs() -> None:
    store = Store()
    store.replace_article(str(KGR["graph/article/a2"]), article("a2", "李四"))
    store.replace_article(str(KGR["graph/article/a1"]), article("a1", "张三"))
    counts = store.counts()
    assert counts.graphs == 3 and counts.articles == 2
    assert counts.quads == len(store) == 20
    assert counts.by_class == {
        "kg:Agency": 1,
        "kg:Article": 2,
        "kg:Official": 2,
        "kg:Person": 2,
        "kg:Position": 2,
    }
    assert store.article_graphs() == [str(KGR["graph/article/a1"]), str(KGR["graph/article/a2"])]


def test_queries_read_the_union_of_graphs_with_kg_prefixes() -> None:
    store = Store()
    store.replace_article(str(KGR["graph/article/a1"]), article("a1"))
    rows = store.query("SELECT ?name ?title WHERE { ?p kg:holder ?x ; kg:title ?title . ?x rdfs:label ?name }")
    assert [(r["name"].value, r["title"].value) for r in rows] == [("张三", "局长")]


def test_invalid_sparql_is_a_query_error() -> None:
    with pytest.raises(QueryError, match="invalid SPARQL"):
        Store().query("SELECT ?x WHERE { ?x }")


def test_export_is_canonical_and_atomic(tmp_path: Path) -> None:
    store = Store()
    store.replace_article(str(KGR["graph/article/a1"]), article("a1"))
    store.export(tmp_path / "one.trig")
    store.replace_article(str(KGR["graph/article/a1"]), article("a1"))
    store.export(tmp_path / "two.trig")
    assert (tmp_path / "one.trig").read_bytes() == (tmp_path / "two.trig").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.trig", "two.trig"]


def test_a_store_on_disk_persists_and_reopens_read_only(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with Store(path) as store:
        store.replace_article(str(KGR["graph/article/a1"]), article("a1"))
    with Store(path, read_only=True) as again:
        assert titles(again) == ["局长"]


def test_an_in_memory_copy_holds_every_quad_and_refuses_changes(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with Store(path) as store:
        store.replace_article(str(KGR["graph/article/a1"]), article("a1"))
        store.replace_article(str(KGR["graph/article/a2"]), article("a2", "李四", "副局长"))
        quads = sorted(map(str, store))
        copy = Store.in_memory(path)  # while a build holds the folder open
    assert copy.copy_of == path and copy.path is None
    assert sorted(map(str, copy)) == quads
    assert titles(copy) == ["副局长", "局长"]
    for change in (lambda: copy.replace_article(str(KGR["graph/article/a3"]), article("a3")), copy.clear):
        with pytest.raises(StoreError, match=rf"^{re.escape(str(path))}: this is a read-only copy in memory"):
            change()
    assert sorted(map(str, copy)) == quads
    with Store(path, read_only=True) as again:
        assert sorted(map(str, again)) == quads
    with pytest.raises(StoreError, match="no store here"):
        Store.in_memory(tmp_path / "missing")


def test_a_read_only_open_tries_again_while_a_writer_compacts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "store"
    Store(path).close()
    compacted = RuntimeError(f"Corruption: IO error: No such file or directory: While open a file: {path}/000009.sst")
    opens: list[str] = []

    def read_only(location: str, fail: int) -> ox.Store:
        opens.append(location)
        if len(opens) <= fail:
            raise compacted
        return ox.Store()

    monkeypatch.setattr(store_module.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(ox.Store, "read_only", lambda location: read_only(location, fail=2))
    assert len(Store(path, read_only=True)) == 0 and opens == [str(path)] * 3
    opens.clear()
    monkeypatch.setattr(ox.Store, "read_only", lambda location: read_only(location, fail=99))
    with pytest.raises(StoreError, match=r"cannot open store \(Corruption: .*restore it from a backup"):
        Store(path, read_only=True)
    assert len(opens) == store_module._READ_ONLY_ATTEMPTS


def test_a_second_process_gets_a_clear_error_while_the_store_is_open(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with Store(path):
        code = "from kg.store import Store\nfrom kg.errors import StoreError\n"
        code += f"try:\n    Store({str(path)!r})\nexcept StoreError as err:\n    print(err)\n"
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == f"{path}: store is in use by another process; close it and retry"


def test_opening_problems_are_one_line_store_errors(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="is a file, not a store directory"):
        Store(tmp_path / "file")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "readme.txt").write_text("x")
    with pytest.raises(StoreError, match="not a kg store"):
        Store(tmp_path / "notes")
    assert [p.name for p in (tmp_path / "notes").iterdir()] == ["readme.txt"]
    with pytest.raises(StoreError, match="no store here"):
        Store(tmp_path / "missing", read_only=True)
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize(
    "error",
    [PermissionError(13, "Permission denied"), OSError("IO error: While mkdir if missing: x: Permission denied")],
)
def test_permission_problems_are_store_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError) -> None:
    """Root ignores file modes, so RocksDB's refusal is simulated."""

    def refuse(path: str) -> ox.Store:
        raise error

    monkeypatch.setattr(ox, "Store", refuse)
    with pytest.raises(StoreError, match=r"store: permission denied$"):
        Store(tmp_path / "store")


def test_a_closed_store_says_so() -> None:
    store = Store()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        len(store)


@pytest.mark.parametrize("ext", [".trig", ".nq", ".jsonld", ".ttl", ".nt"])
def test_from_file_loads_every_graph_format(tmp_path: Path, ext: str) -> None:
    path = tmp_path / f"graph{ext}"
    write_rdf(article("a1"), path)
    assert titles(Store.from_file(path)) == ["局长"]


def test_from_file_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        Store.from_file(tmp_path / "missing.trig")
    with pytest.raises(InputError, match="is a directory"):
        Store.from_file(tmp_path)
    (tmp_path / "bad.ttl").write_text("<a> <b> .")
    with pytest.raises(InputError, match=r"bad.ttl: not valid Turtle: .*line 1"):
        Store.from_file(tmp_path / "bad.ttl")
    with pytest.raises(KGError, match="unknown RDF format"):
        Store.from_file(tmp_path / "graph.xml")
