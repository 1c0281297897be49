"""queries/13-held-on-date.rq on a hand-built succession: who held a title on a given day.

The graph follows docs/graph-layout.md (entities' names once in the entity graph,
each article's positions in its own named graph). Invented names:

    某某市科技局 局长   张三  2019-03-01 (a1), again 2020-01-10 (a2)
                        李四  2021-06-01 (a3), succeeds him
                        "原局长张三" 2022-01-01 (a4, isPast): no bearing on 李四
                        "时任局长赵六" 2023-01-01 (a5, isPast): dates nothing
    某某高新区管委会 主任 王五  2019-03-01 (a1); "原主任王五" 2021-06-01 (a3, isPast)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Dataset, Literal, URIRef
from rdflib import namespace as rdfns
from typer.testing import CliRunner

from kg.analyse import as_store
from kg.cli import app
from kg.query import load_query, parse_params, plain, run_query
from kg.rdf import iris
from kg.rdf.namespaces import ENTITY_GRAPH, KG, KGR
from kg.serialise import write_rdf
from kg.store import Store

BUREAU, COMMITTEE = "某某市科技局", "某某高新区管委会"
PEOPLE = {"zhang": "张三", "li": "李四", "wang": "王五", "zhao": "赵六"}
# (article, date, person, title, organisation, past)
ATTESTATIONS = [
    ("a1", "2019-03-01", "zhang", "局长", "bureau", False),
    ("a2", "2020-01-10", "zhang", "局长", "bureau", False),
    ("a3", "2021-06-01", "li", "局长", "bureau", False),
    ("a4", "2022-01-01", "zhang", "局长", "bureau", True),
    ("a5", "2023-01-01", "zhao", "局长", "bureau", True),
    ("a1", "2019-03-01", "wang", "主任", "committee", False),
    ("a3", "2021-06-01", "wang", "主任", "committee", True),
]


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def post(ds: Dataset, org: URIRef, title: str) -> URIRef:
    """The kg:Post of ``title`` in ``org``, its facts added to the entity graph as the mapper writes them."""
    node = URIRef(iris.post_iri(str(org), title))
    for p, o in ((RDF.type, KG.Post), (KG.postIn, org), (KG.postTitle, _zh(title))):
        ds.graph(ENTITY_GRAPH).add((node, p, o))
    return node


def succession() -> Dataset:
    """The graph of the module docstring."""
    ds = Dataset()
    ent = ds.graph(ENTITY_GRAPH)
    orgs = {"bureau": (KGR["org/bureau"], BUREAU), "committee": (KGR["org/committee"], COMMITTEE)}
    for iri, name in orgs.values():
        ent.add((iri, RDF.type, KG.Agency))
        ent.add((iri, RDFS.label, _zh(name)))
    for key, name in PEOPLE.items():
        ent.add((KGR[f"person/{key}"], RDF.type, KG.Official))
        ent.add((KGR[f"person/{key}"], RDFS.label, _zh(name)))
    for number, (art, date, person, title, org, past) in enumerate(ATTESTATIONS):
        graph, article = ds.graph(KGR[f"graph/article/{art}"]), KGR[f"article/{art}"]
        graph.add((article, RDF.type, KG.Article))
        position, holder = KGR[f"position/p{number}"], KGR[f"person/{person}"]
        sentence = f"{'原' if past else ''}{orgs[org][1]}{title}{PEOPLE[person]}出席。"
        for p, o in (
            (RDF.type, KG.Position),
            (KG.holder, holder),
            (KG.organization, orgs[org][0]),
            (KG.title, _zh(title)),
            (KG.post, post(ds, orgs[org][0], title)),
            (KG.attestedOn, Literal(date, datatype=rdfns.XSD.date)),
            (rdfns.PROV.wasDerivedFrom, article),
            (KG.evidence, _zh(sentence)),
        ):
            graph.add((position, p, o))
        graph.add((holder, KG.holdsPosition, position))
        if past:
            graph.add((position, KG.isPast, Literal(True)))
    return ds


@pytest.fixture(scope="module")
def store() -> Store:
    return as_store(succession())


def holders(store: Store, **params: str) -> list[tuple[str, ...]]:
    """(name, title, orgName, attestedOn, article id) of query 13 with ``params``."""
    result = run_query(store, load_query("13"), parse_params(f"{k}={v}" for k, v in params.items()))
    rows = [dict(zip(result.variables, map(plain, row), strict=True)) for row in result.rows]
    return [(r["name"], r["title"], r["orgName"], r["attestedOn"], r["article"].rsplit("/", 1)[-1]) for r in rows]


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ('"2019-01-01"', []),  # before anyone is attested (赵六's later 时任 dates nothing)
        ('"2019-03-01"', [("张三", "2019-03-01", "a1")]),  # on the day of the first attestation
        ('"2020-06-01"', [("张三", "2020-01-10", "a2")]),  # between: his latest attestation so far
        ('"2021-06-01"', [("李四", "2021-06-01", "a3")]),  # the successor, from his first attestation
        ('"2024-01-01"', [("李四", "2021-06-01", "a3")]),  # after: 原局长张三 and 时任局长赵六 change nothing
        ('"2020-06-01"^^xsd:date', [("张三", "2020-01-10", "a2")]),  # a typed date works the same
        ("2020", [("张三", "2020-01-10", "a2")]),  # a year: as of its end
        ('"2021-06"', [("李四", "2021-06-01", "a3")]),  # a month: as of its end
    ],
)
def test_the_holder_of_the_title_on_a_date(store: Store, date: str, expected: list[tuple[str, str, str]]) -> None:
    got = holders(store, title="局长", orgName=BUREAU, date=date)
    assert [(name, on, art) for name, _, _, on, art in got] == expected


def test_a_holder_reported_as_former_holds_it_no_more(store: Store) -> None:
    assert [r[0] for r in holders(store, title="主任", orgName=COMMITTEE, date='"2021-05-31"')] == ["王五"]
    assert holders(store, title="主任", orgName=COMMITTEE, date='"2021-06-01"') == []
    assert holders(store, title="主任", orgName=COMMITTEE) == []


def test_without_a_date_the_latest_holder_of_every_title(store: Store) -> None:
    assert holders(store) == [("李四", "局长", BUREAU, "2021-06-01", "a3")]
    assert holders(store, date='"2020-12-31"') == [
        ("张三", "局长", BUREAU, "2020-01-10", "a2"),
        ("王五", "主任", COMMITTEE, "2019-03-01", "a1"),
    ]


def test_two_holders_attested_on_the_same_latest_day_are_both_listed() -> None:
    ds = succession()
    graph = ds.graph(KGR["graph/article/a6"])
    position = KGR["position/tie"]
    for p, o in (
        (RDF.type, KG.Position),
        (KG.holder, KGR["person/wang"]),
        (KG.organization, KGR["org/bureau"]),
        (KG.title, _zh("局长")),
        (KG.post, post(ds, KGR["org/bureau"], "局长")),
        (KG.attestedOn, Literal("2021-06-01", datatype=rdfns.XSD.date)),
        (rdfns.PROV.wasDerivedFrom, KGR["article/a6"]),
    ):
        graph.add((position, p, o))
    got = holders(as_store(ds), title="局长", orgName=BUREAU, date='"2021-12-31"')
    assert [(name, art) for name, *_, art in got] == [("李四", "a3"), ("王五", "a6")]


def test_the_command_line_takes_a_quoted_date(tmp_path: Path) -> None:
    path = tmp_path / "succession.trig"
    write_rdf(succession(), path)
    args = ["query", "13-held-on-date", "--graph", str(path), "--format", "csv"]
    args += ["--param", "title=局长", "--param", f"orgName={BUREAU}", "--param", 'date="2020-06-01"']
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    header, row = result.stdout.splitlines()
    assert header == "title,orgName,name,attestedOn,date,article,evidence,person"
    article = KGR["article/a2"]
    assert row.startswith(f"局长,{BUREAU},张三,2020-01-10,2020-06-01,{article},{BUREAU}局长张三出席。,")
