"""Every competency question in queries/*.rq, run on a small hand-built graph with known answers.

The fixture follows docs/graph-layout.md: entities' own facts once in the entity
graph, everything an article states in its own named graph. All names are invented.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.paths import queries_dir
from kg.query import load_query, parse_params, plain, run_query
from kg.store import Store

FIXTURE = """
@prefix kg:   <https://w3id.org/govnews-kg/ontology#> .
@prefix g:    <https://w3id.org/govnews-kg/id/graph/> .
@prefix ga:   <https://w3id.org/govnews-kg/id/graph/article/> .
@prefix art:  <https://w3id.org/govnews-kg/id/article/> .
@prefix org:  <https://w3id.org/govnews-kg/id/org/> .
@prefix park: <https://w3id.org/govnews-kg/id/park/> .
@prefix place: <https://w3id.org/govnews-kg/id/place/> .
@prefix person: <https://w3id.org/govnews-kg/id/person/> .
@prefix event: <https://w3id.org/govnews-kg/id/event/> .
@prefix pos:  <https://w3id.org/govnews-kg/id/position/> .
@prefix post: <https://w3id.org/govnews-kg/id/post/> .
@prefix obs:  <https://w3id.org/govnews-kg/id/observation/> .
@prefix st:   <https://w3id.org/govnews-kg/id/statement/> .
@prefix rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .

g:entities {
  org:a1 a kg:Agency , kg:Organization ; rdfs:label "某某市科技局"@zh ; skos:altLabel "市科技局"@zh .
  org:a2 a kg:Agency , kg:Organization ; rdfs:label "某某市科技局高新处"@zh ;
      kg:subOrganizationOf org:a1 .
  org:a3 a kg:Agency , kg:Organization ; rdfs:label "某某市科技局高新处一科"@zh ;
      kg:subOrganizationOf org:a2 .
  org:m1 a kg:Agency , kg:Organization ; rdfs:label "某某高新区管委会"@zh ; kg:manages park:p1 .
  org:co1 a kg:Company , kg:Organization ; rdfs:label "某某智能科技有限公司"@zh ;
      kg:locatedIn park:p2 .
  org:co2 a kg:Company , kg:Organization ; rdfs:label "某某新材料有限公司"@zh .
  park:p1 a kg:Park ; rdfs:label "某某高新技术产业开发区"@zh ; kg:locatedIn place:c1 .
  park:p2 a kg:Park ; rdfs:label "某某创业园"@zh ; kg:locatedIn park:p1 .
  place:c1 a kg:Place ; rdfs:label "某某市"@zh ; kg:locatedIn place:s1 .
  place:s1 a kg:Place ; rdfs:label "某某省"@zh .
  person:o1 a kg:Official , kg:Person ; rdfs:label "张三"@zh , "張三"@zh-Hant .
  person:o2 a kg:Official , kg:Person ; rdfs:label "李四"@zh .
  person:o3 a kg:Official , kg:Person ; rdfs:label "王五"@zh .
  person:p4 a kg:Person ; rdfs:label "赵六"@zh .
  event:e1 a kg:Event ; rdfs:label "张三到某某创业园调研"@zh .
  event:e2 a kg:Event ; rdfs:label "某某创新创业大赛"@zh .
  event:e3 a kg:Event ; rdfs:label "王五到某某高新区考察"@zh .
  post:a1-1 a kg:Post ; kg:postIn org:a1 ; kg:postTitle "局长"@zh .
  post:a1-2 a kg:Post ; kg:postIn org:a1 ; kg:postTitle "党组书记"@zh .
  post:m1-1 a kg:Post ; kg:postIn org:m1 ; kg:postTitle "主任"@zh .
  post:a2-1 a kg:Post ; kg:postIn org:a2 ; kg:postTitle "处长"@zh .
}

ga:a1 {
  ga:a1 prov:wasDerivedFrom art:a1 .
  art:a1 a kg:Article ; kg:headline "张三到某某创业园调研" ;
      kg:datePublished "2021-10-26T16:15:51"^^xsd:dateTime ; kg:sourceName "某某市科技局" ;
      kg:author "admin" ; kg:publisher org:a1 .
  person:o1 kg:mentionedIn art:a1 ; kg:holdsPosition pos:1 , pos:2 ;
      kg:resolutionKey "person:张三@org:某某市科技局" ; kg:identifiedBy org:a1 .
  org:a1 kg:mentionedIn art:a1 ; kg:resolutionKey "org:某某市科技局" .
  person:o2 kg:mentionedIn art:a1 ; kg:holdsPosition pos:3 .
  pos:1 a kg:Position ; kg:holder person:o1 ; kg:organization org:a1 ;
      kg:title "局长"@zh ; kg:post post:a1-1 ; kg:attestedOn "2021-10-23"^^xsd:date ; prov:wasDerivedFrom art:a1 ;
      kg:evidence "某某市科技局党组书记、局长张三到某某创业园调研。" ; kg:charStart 10 ; kg:charEnd 40 .
  pos:2 a kg:Position ; kg:holder person:o1 ; kg:organization org:a1 ;
      kg:title "党组书记"@zh ; kg:post post:a1-2 ; prov:wasDerivedFrom art:a1 ;
      kg:evidence "某某市科技局党组书记、局长张三到某某创业园调研。" ; kg:charStart 10 ; kg:charEnd 40 .
  pos:3 a kg:Position ; kg:holder person:o2 ; kg:organization org:m1 ;
      kg:title "主任"@zh ; kg:post post:m1-1 ; prov:wasDerivedFrom art:a1 ;
      kg:evidence "某某高新区管委会主任李四陪同。" ; kg:charStart 41 ; kg:charEnd 56 .
  event:e1 kg:eventKind "调研"@zh ; kg:startDate "2021-10-23"^^xsd:date ; kg:year 2021 ;
      kg:participant person:o1 , person:o2 ; kg:organizer org:a1 ;
      kg:location park:p2 , org:co1 , org:co2 ; prov:wasDerivedFrom art:a1 ;
      kg:evidence "调研组实地调研某某智能科技有限公司、某某新材料有限公司。" ;
      kg:charStart 57 ; kg:charEnd 90 .
  obs:1 a kg:Observation ; kg:measure "省级众创空间"@zh ; kg:value "167"^^xsd:decimal ; kg:unit "家" ;
      kg:refPeriod "2020"^^xsd:gYear ; kg:year 2020 ; kg:area place:s1 ; prov:wasDerivedFrom art:a1 ;
      kg:evidence "截至2020年，某某省共有省级众创空间167家。" ; kg:charStart 100 ; kg:charEnd 124 .
  st:1 a rdf:Statement ; rdf:subject org:a2 ; rdf:predicate kg:subOrganizationOf ;
      rdf:object org:a1 ; prov:wasDerivedFrom art:a1 ;
      kg:evidence "某某市科技局高新处负责人参加。" ; kg:charStart 130 ; kg:charEnd 145 .
}

ga:a2 {
  ga:a2 prov:wasDerivedFrom art:a2 .
  art:a2 a kg:Article ; kg:headline "某某市举办创新创业大赛" ;
      kg:datePublished "2022-03-02"^^xsd:date ; kg:sourceName "某某日报" .
  person:o3 kg:holdsPosition pos:4 .
  person:o1 kg:holdsPosition pos:5 ; kg:mentionedIn art:a2 ;
      kg:resolutionKey "person:张三@org:某某市科技局" ; kg:identifiedBy org:a1 .
  person:o3 kg:mentionedIn art:a2 ; kg:resolutionKey "person:王五@org:某某市科技局" .
  pos:4 a kg:Position ; kg:holder person:o3 ; kg:organization org:a2 ;
      kg:title "处长"@zh ; kg:post post:a2-1 ; kg:isPast true ; kg:attestedOn "2022-03-01"^^xsd:date ;
      prov:wasDerivedFrom art:a2 ; kg:evidence "时任某某市科技局高新处处长王五到某某高新区考察。" ;
      kg:charStart 30 ; kg:charEnd 55 .
  pos:5 a kg:Position ; kg:holder person:o1 ; kg:organization org:a1 ;
      kg:title "局长"@zh ; kg:post post:a1-1 ; prov:wasDerivedFrom art:a2 ; kg:evidence "局长张三致辞。" ;
      kg:charStart 60 ; kg:charEnd 67 .
  event:e1 kg:eventKind "调研"@zh ; kg:startDate "2021-10-23"^^xsd:date ; kg:year 2021 ;
      prov:wasDerivedFrom art:a2 ; kg:evidence "去年张三到某某创业园调研。" ;
      kg:charStart 5 ; kg:charEnd 20 .
  event:e2 kg:eventKind "大赛"@zh ; kg:startDate "2022"^^xsd:gYear ; kg:year 2022 ; kg:organizer org:a1 ;
      kg:location place:c1 ; kg:participant org:co1 , person:p4 ;
      prov:wasDerivedFrom art:a2 ; kg:evidence "某某市举办创新创业大赛。" ; kg:charStart 0 ; kg:charEnd 12 .
  event:e3 kg:eventKind "考察"@zh ; kg:startDate "2022-03-01"^^xsd:date ; kg:year 2022 ;
      kg:participant person:o3 ; kg:location org:co1 ; prov:wasDerivedFrom art:a2 ;
      kg:evidence "时任某某市科技局高新处处长王五到某某高新区考察。" ; kg:charStart 30 ; kg:charEnd 55 .
  obs:2 a kg:Observation ; kg:measure "累计获投融资额"@zh ; kg:value "156000000"^^xsd:decimal ;
      kg:unit "CNY" ; kg:refPeriod "2021"^^xsd:gYear ; kg:year 2021 ; kg:area place:c1 ; kg:qualifier "超过"@zh ;
      kg:about park:p1 ; prov:wasDerivedFrom art:a2 ;
      kg:evidence "2021年高新区累计获投融资额超过1.56亿元。" ; kg:charStart 70 ; kg:charEnd 92 .
}
"""
KGR = "https://w3id.org/govnews-kg/id/"
QUERY_FILES = sorted(queries_dir().glob("*.rq"))
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def store() -> Store:
    """The fixture graph in an in-memory store."""
    s = Store()
    s.oxigraph.load(FIXTURE.encode("utf-8"), format=ox.RdfFormat.TRIG)
    return s


@pytest.fixture(scope="module")
def on_disk_and_in_memory(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Store]:
    """The fixture graph in a store folder, opened read-only as ``kg query`` opens it, and its in-memory copy."""
    path = tmp_path_factory.mktemp("queries") / "store"
    with Store(path) as disk:
        disk.oxigraph.load(FIXTURE.encode("utf-8"), format=ox.RdfFormat.TRIG)
    return Store(path, read_only=True), Store.in_memory(path)


def answers(store: Store, query: str, columns: str, /, **params: str) -> list[tuple[str, ...]]:
    """The rows of ``query`` with ``params`` bound, as plain text, in ``columns`` (space-separated)."""
    result = run_query(store, load_query(query), parse_params(f"{k}={v}" for k, v in params.items()))
    index = [result.variables.index(c) for c in columns.split()]
    return [tuple(plain(row[i]) for i in index) for row in result.rows]


def test_there_are_at_least_ten_numbered_queries() -> None:
    assert len(QUERY_FILES) >= 10
    assert all(re.fullmatch(r"\d\d-[a-z0-9-]+", p.stem) for p in QUERY_FILES)


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_opens_with_the_question_in_english_and_chinese(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    english, chinese = lines[0], lines[1]
    assert english.startswith("# ") and english.endswith("?") and len(re.findall(r"[A-Za-z]+", english)) >= 4
    assert chinese.startswith("# ") and chinese.endswith("？") and CJK.search(chinese)


def where_body(path: Path) -> str:
    """The top level of a query's WHERE clause: nested ``{…}`` become ``<>``, ``(…)`` become ``~``."""
    text = "\n".join(ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#"))
    body = text[text.index("{", text.index("WHERE")) + 1 : text.rindex("}")]
    while re.search(r"[{(]", body):
        body = re.sub(r"\([^()]*\)", "~", re.sub(r"\{[^{}]*\}", "<>", body))
    return body


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_declares_its_prefixes(path: Path) -> None:
    text = "\n".join(ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#"))
    used = set(re.findall(r"\b([a-z]+):[A-Za-z]", re.sub(r"<[^>]*>", "", text)))
    declared = set(re.findall(r"PREFIX\s+([a-z]+):", text))
    assert used <= declared, f"undeclared prefixes {used - declared}"


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_shape_keeps_oxigraph_fast(path: Path) -> None:
    """OPTIONAL last (KNOWN-TRAPS); BIND only after every triple pattern, VALUES only first.

    A BIND or VALUES between triple patterns splits the pattern, and Oxigraph 0.5
    evaluates the halves apart: 06 took 21 s instead of 7 ms on 15k quads.
    """
    body = where_body(path)
    if "OPTIONAL" in body:
        tail = body[body.index("OPTIONAL") :]
        assert re.fullmatch(r"(\s*OPTIONAL\s*<>)+\s*", tail), f"something follows an OPTIONAL: {tail!r}"
    if "BIND" in body:
        tail = body[body.index("BIND") :]
        assert re.fullmatch(r"(\s*(BIND|FILTER)\s*~|\s*OPTIONAL\s*<>)+\s*", tail), f"a pattern follows BIND: {tail!r}"
    if "VALUES" in body:
        assert body.lstrip().startswith("VALUES"), "VALUES must open the WHERE clause"


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_every_query_answers_on_the_fixture(store: Store, path: Path) -> None:
    assert run_query(store, load_query(str(path))).rows, f"{path.name} found nothing"


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_every_query_answers_alike_on_disk_and_in_an_in_memory_copy(
    on_disk_and_in_memory: tuple[Store, Store], path: Path
) -> None:
    disk, memory = on_disk_and_in_memory
    query = load_query(str(path))
    expected = run_query(disk, query)
    assert expected.rows
    assert run_query(memory, query) == expected


def test_every_query_has_an_assertion_below() -> None:
    tested = {name[len("test_q") :][:2] for name in globals() if name.startswith("test_q")}
    untested = [p.name for p in QUERY_FILES if p.stem[:2] not in tested]
    assert not untested, f"write a test_qNN_… for {untested}"


def test_q01_officials_by_agency(store: Store) -> None:
    assert answers(store, "01", "agencyName name title past") == [
        ("某某市科技局", "张三", "党组书记", ""),
        ("某某市科技局", "张三", "局长", ""),
        ("某某市科技局高新处", "王五", "处长", "true"),
        ("某某高新区管委会", "李四", "主任", ""),
    ]


def test_q02_person_timeline(store: Store) -> None:
    assert answers(store, "02", "name date kind eventName") == [
        ("张三", "2021-10-23", "调研", "张三到某某创业园调研"),
        ("李四", "2021-10-23", "调研", "张三到某某创业园调研"),
        ("王五", "2022-03-01", "考察", "王五到某某高新区考察"),
        ("赵六", "2022", "大赛", "某某创新创业大赛"),
    ]
    assert answers(store, "02", "eventName", name="王五") == [("王五到某某高新区考察",)]


def test_q03_events_at_place(store: Store) -> None:
    rows = answers(store, "03", "placeName eventName")
    e1, e2, e3 = "张三到某某创业园调研", "某某创新创业大赛", "王五到某某高新区考察"
    assert rows == [
        ("某某创业园", e1),
        ("某某创业园", e3),
        ("某某市", e1),
        ("某某市", e2),
        ("某某市", e3),
        ("某某省", e1),
        ("某某省", e2),
        ("某某省", e3),
        ("某某高新技术产业开发区", e1),
        ("某某高新技术产业开发区", e3),
    ]
    assert answers(store, "03", "eventName", placeName="某某高新技术产业开发区") == [(e1,), (e3,)]


def test_q04_companies_visited(store: Store) -> None:
    assert answers(store, "04", "companyName date kind") == [
        ("某某新材料有限公司", "2021-10-23", "调研"),
        ("某某智能科技有限公司", "2021-10-23", "调研"),
        ("某某智能科技有限公司", "2022-03-01", "考察"),
    ]


def test_q05_agency_divisions(store: Store) -> None:
    assert answers(store, "05", "agencyName divisionName parentName") == [
        ("某某市科技局", "某某市科技局高新处", "某某市科技局"),
        ("某某市科技局", "某某市科技局高新处一科", "某某市科技局高新处"),
        ("某某市科技局高新处", "某某市科技局高新处一科", "某某市科技局高新处"),
    ]


def test_q06_figures_by_area_year(store: Store) -> None:
    assert answers(store, "06", "areaName year measure value unit refPeriod qualifier") == [
        ("某某市", "2021", "累计获投融资额", "156000000", "CNY", "2021", "超过"),
        ("某某省", "2020", "省级众创空间", "167", "家", "2020", ""),
    ]
    assert answers(store, "06", "measure", year="2020") == [("省级众创空间",)]


def test_q07_evidence_pairs_each_sentence_with_its_own_offsets(store: Store) -> None:
    rows = answers(store, "07", "fact start end article")
    assert len(rows) == 12
    e1 = f"{KGR}event/e1"
    assert [r[1:] for r in rows if r[0] == e1] == [
        ("57", "90", f"{KGR}article/a1"),
        ("5", "20", f"{KGR}article/a2"),
    ]
    one = answers(store, "07", "evidence headline", fact=f"<{KGR}observation/2>")
    assert one == [("2021年高新区累计获投融资额超过1.56亿元。", "某某市举办创新创业大赛")]


def test_q08_park_inspections_by_year(store: Store) -> None:
    assert answers(store, "08", "year officialName parkName") == [
        ("2021", "张三", "某某创业园"),
        ("2021", "张三", "某某高新技术产业开发区"),
        ("2021", "李四", "某某创业园"),
        ("2021", "李四", "某某高新技术产业开发区"),
        ("2022", "王五", "某某创业园"),
        ("2022", "王五", "某某高新技术产业开发区"),
    ]
    assert answers(store, "08", "officialName parkName", year="2022") == [
        ("王五", "某某创业园"),
        ("王五", "某某高新技术产业开发区"),
    ]


def test_q09_parks_and_managers(store: Store) -> None:
    assert answers(store, "09", "parkName managerName placeName") == [
        ("某某创业园", "", "某某高新技术产业开发区"),
        ("某某高新技术产业开发区", "某某高新区管委会", "某某市"),
    ]


def test_q10_articles(store: Store) -> None:
    assert answers(store, "10", "headline date sourceName author publisherName") == [
        ("张三到某某创业园调研", "2021-10-26T16:15:51", "某某市科技局", "admin", "某某市科技局"),
        ("某某市举办创新创业大赛", "2022-03-02", "某某日报", "", ""),
    ]


def test_q11_entities_per_class(store: Store) -> None:
    rows = answers(store, "11", "class count")
    assert dict(rows) == {
        "https://w3id.org/govnews-kg/ontology#Organization": "6",
        "https://w3id.org/govnews-kg/ontology#Position": "5",
        "https://w3id.org/govnews-kg/ontology#Post": "4",
        "https://w3id.org/govnews-kg/ontology#Agency": "4",
        "https://w3id.org/govnews-kg/ontology#Person": "4",
        "https://w3id.org/govnews-kg/ontology#Event": "3",
        "https://w3id.org/govnews-kg/ontology#Official": "3",
        "https://w3id.org/govnews-kg/ontology#Article": "2",
        "https://w3id.org/govnews-kg/ontology#Company": "2",
        "https://w3id.org/govnews-kg/ontology#Observation": "2",
        "https://w3id.org/govnews-kg/ontology#Park": "2",
        "https://w3id.org/govnews-kg/ontology#Place": "2",
    }
    counts = [int(n) for _, n in rows]
    assert counts == sorted(counts, reverse=True)


def test_q12_title_holders(store: Store) -> None:
    assert answers(store, "12", "name article", title="局长", orgName="某某市科技局") == [
        ("张三", f"{KGR}article/a1"),
        ("张三", f"{KGR}article/a2"),
    ]
    assert answers(store, "12", "orgName name past", title="处长") == [("某某市科技局高新处", "王五", "true")]
    assert len(answers(store, "12", "title")) == 5


def test_q13_held_on_date(store: Store) -> None:
    """Only 局长 at 某某市科技局 is dated and current; 处长 王五 is dated but reported as 时任."""
    assert answers(store, "13", "title orgName name attestedOn article") == [
        ("局长", "某某市科技局", "张三", "2021-10-23", f"{KGR}article/a1"),
    ]
    assert answers(store, "13", "name", title="局长", date='"2021-10-23"') == [("张三",)]
    assert answers(store, "13", "name", title="局长", date='"2021-10-22"') == []
    assert answers(store, "13", "name", title="处长", date='"2022-03-01"') == []


def test_q14_merge_reasons(store: Store) -> None:
    """张三 is one node because both articles identified him by the same key and body; 王五 is in one."""
    assert answers(store, "14", "name article key bodyName") == [
        ("张三", f"{KGR}article/a1", "person:张三@org:某某市科技局", "某某市科技局"),
        ("张三", f"{KGR}article/a2", "person:张三@org:某某市科技局", "某某市科技局"),
    ]
    assert answers(store, "14", "article", name="张三") == [(f"{KGR}article/a1",), (f"{KGR}article/a2",)]
    assert answers(store, "14", "article", name="王五") == []
