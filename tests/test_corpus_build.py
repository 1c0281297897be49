"""Several articles in one store: one node per real entity, homonyms apart, any build order."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus import shared_dir
from kg.corpus import build_corpus, sources
from kg.query import plain
from kg.store import Store
from kg.validate import validate

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def files():
    return sources([SAMPLE, shared_dir() / "corpus" / "dev"])


@pytest.fixture(scope="module")
def corpus_store() -> Store:
    s = Store()
    build_corpus(s, files())
    return s


def nodes(store: Store, cls: str, label: str) -> set[str]:
    q = f'SELECT DISTINCT ?n WHERE {{ ?n a kg:{cls} ; rdfs:label|skos:altLabel "{label}"@zh }}'
    return {plain(row[0]) for row in store.query(q)}


def test_one_node_per_real_entity_and_homonyms_apart(corpus_store: Store):
    assert len(nodes(corpus_store, "Park", "昆明高新区")) == 1
    assert len(nodes(corpus_store, "Person", "陈勇")) == 1
    assert len(nodes(corpus_store, "Person", "王耀")) == 2


def test_the_corpus_graph_conforms(corpus_store: Store):
    report = validate(corpus_store.to_dataset())
    assert report.conforms, report.text


def test_build_order_does_not_matter(tmp_path: Path):
    exports = []
    for order in (files(), list(reversed(files()))):
        s = Store()
        build_corpus(s, order)
        out = tmp_path / f"{len(exports)}.nq"
        s.export(out)
        exports.append(out.read_bytes())
    assert exports[0] == exports[1]


def test_every_merge_records_its_reason(corpus_store: Store):
    """Each article states the key it identified an entity by; a person's key names its body."""
    q = """SELECT ?name ?g ?key ?body WHERE {
             ?p a kg:Person ; rdfs:label ?name . FILTER (lang(?name) = "zh")
             GRAPH ?g { ?p kg:resolutionKey ?key . OPTIONAL { ?p kg:identifiedBy ?body } } }"""
    got: dict[str, set[tuple[str, str, str]]] = {}
    for name, graph, key, body in ((plain(v) if v else "" for v in row) for row in corpus_store.query(q)):
        got.setdefault(name, set()).add((graph, key, body))
    same = got["陈勇"]
    assert len({g for g, _, _ in same}) == 2 and len({k for _, k, _ in same}) == 1
    assert len({b for _, _, b in same}) == 1 and "" not in {b for _, _, b in same}
    apart = got["王耀"]
    assert len({k for _, k, _ in apart}) == 2 and len({b for _, _, b in apart}) == 2
    unkeyed = corpus_store.query("""ASK { GRAPH ?g { ?e kg:mentionedIn ?a }
                                     FILTER NOT EXISTS { GRAPH ?g { ?e kg:resolutionKey ?k } } }""")
    assert not unkeyed


def test_positions_of_one_title_in_one_organisation_share_a_post(corpus_store: Store):
    """kg:post is what query 13 compares: one post per (organisation, title), whichever article."""
    q = """SELECT ?post (COUNT(DISTINCT ?g) AS ?articles) WHERE {
             GRAPH ?g { ?pos kg:post ?post ; kg:organization ?org ; kg:title ?title }
             ?post a kg:Post ; kg:postIn ?org ; kg:postTitle ?title } GROUP BY ?post"""
    shared = {plain(post): int(plain(n)) for post, n in corpus_store.query(q)}
    positions = {plain(row[0]) for row in corpus_store.query("SELECT ?p WHERE { ?p a kg:Position }")}
    posts = {plain(row[0]) for row in corpus_store.query("SELECT ?p WHERE { ?pos kg:post ?p }")}
    assert posts == set(shared) and len(posts) < len(positions)  # each post's facts agree with its positions'
    assert max(shared.values()) >= 2  # a post attested by several articles is one node


def test_dated_events_and_figures_carry_their_year(corpus_store: Store):
    q = """SELECT ?date ?year WHERE { { ?n kg:startDate ?date } UNION { ?n kg:refPeriod ?date }
                                      OPTIONAL { ?n kg:year ?year } }"""
    rows = [(plain(date), year) for date, year in corpus_store.query(q)]
    assert rows and all(year is not None and int(year.value) == int(date[:4]) for date, year in rows)
