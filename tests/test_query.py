"""Queries: loading by text, file or name; refusing updates; safe parameters; output formats."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rich.console import Console

from kg.errors import QueryError
from kg.query import (
    bind_values,
    check_query,
    format_result,
    load_query,
    parse_params,
    parse_term,
    run_query,
    to_csv,
    to_frame,
    to_json,
    to_table,
)
from kg.store import Store

KG = "https://w3id.org/govnews-kg/ontology#"
KGR = "https://w3id.org/govnews-kg/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"
DATA = f"""
@prefix kg: <{KG}> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <{XSD}> .
<{KGR}graph/entities> {{
  <{KGR}person/zs> a kg:Official ; rdfs:label "张三"@zh .
  <{KGR}person/ls> a kg:Official ; rdfs:label "李四"@zh .
}}
<{KGR}graph/article/t1> {{
  <{KGR}observation/1> kg:value "156000000"^^xsd:decimal ; kg:charStart 12 ; kg:measure "累计获投融资额"@zh ;
      kg:unit "CNY" .
}}
"""
NAMES = "SELECT ?name ?person WHERE { ?person a kg:Official ; rdfs:label ?name } ORDER BY ?name"


@pytest.fixture
def store() -> Store:
    s = Store()
    s.oxigraph.load(DATA.encode("utf-8"), format=ox.RdfFormat.TRIG)
    return s


@pytest.fixture
def queries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A queries folder of our own, found through KG_QUERIES_DIR."""
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "01-names.rq").write_text(f"# Names?\n{NAMES}\n", encoding="utf-8")
    (folder / "02-count.rq").write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }\n", encoding="utf-8")
    (folder / "02-other.rq").write_text("ASK { ?s ?p ?o }\n", encoding="utf-8")
    monkeypatch.setenv("KG_QUERIES_DIR", str(folder))
    return folder


def test_a_query_from_text_from_a_file_and_by_name(queries: Path) -> None:
    assert load_query(NAMES).form == "SELECT"
    by_path = load_query(str(queries / "01-names.rq"))
    assert by_path.name == str(queries / "01-names.rq") and by_path.text.startswith("# Names?")
    assert load_query("01-names") == load_query("01") == by_path


def test_unknown_ambiguous_and_missing_queries_are_named(queries: Path) -> None:
    with pytest.raises(QueryError, match="99: is not a query name; known queries: 01-names, 02-count"):
        load_query("99")
    with pytest.raises(QueryError, match="02: is ambiguous"):
        load_query("02")
    with pytest.raises(QueryError, match="no such query file"):
        load_query(str(queries / "missing.rq"))


@pytest.mark.parametrize(
    "update",
    [
        'INSERT DATA { <urn:a> <urn:b> "c" }',
        "DELETE WHERE { ?s ?p ?o }",
        "PREFIX kg: <https://w3id.org/govnews-kg/ontology#>\n# a comment with # and <\n"
        "delete { ?s ?p ?o } where { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <urn:g>",
        "CREATE GRAPH <urn:g>",
        "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "ADD DEFAULT TO <urn:g>",
    ],
)
def test_sparql_update_is_refused_before_it_runs(update: str) -> None:
    with pytest.raises(QueryError, match=r"SPARQL update \(\w+\) is not allowed"):
        check_query(update)


def test_an_update_after_a_query_is_a_syntax_error() -> None:
    with pytest.raises(QueryError, match="invalid SPARQL"):
        check_query("SELECT * WHERE { ?s ?p ?o } ; DROP ALL")


def test_a_checked_query_is_remembered_and_a_refused_one_refused_every_time() -> None:
    text = "SELECT ?s WHERE { ?s a kg:Official }"
    assert check_query(text, "a.rq") is check_query(text, "a.rq")
    assert check_query(text, "b.rq").name == "b.rq"
    for _ in range(2):
        with pytest.raises(QueryError, match="invalid SPARQL"):
            check_query("SELECT ?x WHERE { ?x }")


def test_invalid_sparql_names_the_query_and_the_place() -> None:
    with pytest.raises(QueryError, match=r"<query>: invalid SPARQL: error at 1:\d+"):
        check_query("SELECT ?x WHERE { ?x }")


@pytest.mark.parametrize(
    ("value", "term"),
    [
        (f"<{KGR}person/zs>", ox.NamedNode(f"{KGR}person/zs")),
        ("kg:Official", ox.NamedNode(f"{KG}Official")),
        ("厅长", ox.Literal("厅长", language="zh")),
        ("某某市科技局", ox.Literal("某某市科技局", language="zh")),
        ('"admin"', ox.Literal("admin")),
        ('"Science Bureau"@en', ox.Literal("Science Bureau", language="en")),
        ('"2021"^^xsd:gYear', ox.Literal("2021", datatype=ox.NamedNode(f"{XSD}gYear"))),
        ("2021", ox.Literal("2021", datatype=ox.NamedNode(f"{XSD}integer"))),
        ("1.5", ox.Literal("1.5", datatype=ox.NamedNode(f"{XSD}decimal"))),
    ],
)
def test_parameter_values_are_read_as_rdf_terms(value: str, term: ox.NamedNode | ox.Literal) -> None:
    assert parse_term(value) == term


@pytest.mark.parametrize("value", ["<not an iri>", "nope:Thing", '"unclosed'])
def test_malformed_parameter_values_are_query_errors(value: str) -> None:
    with pytest.raises(QueryError, match="is not an IRI, prefixed name or literal"):
        parse_term(value)


def test_a_parameter_value_is_one_term_only() -> None:
    with pytest.raises(QueryError, match="is not one RDF term"):
        parse_term('"x" . <urn:a> <urn:b> <urn:c>')


def test_a_long_name_is_not_a_crash() -> None:
    with pytest.raises(QueryError, match="is not a query name"):
        load_query("x" * 5000)


def test_parse_params_names_and_errors() -> None:
    assert parse_params(["?name=张三", "$n=2"]) == {
        "name": ox.Literal("张三", language="zh"),
        "n": ox.Literal("2", datatype=ox.NamedNode(f"{XSD}integer")),
    }
    assert parse_params(["title=a=b"])["title"] == ox.Literal("a=b", language="zh")
    for bad in ("name", "=x", "1x=2"):
        with pytest.raises(QueryError, match="expected NAME=VALUE"):
            parse_params([bad])


def test_parameters_are_bound_as_terms_not_spliced(store: Store) -> None:
    result = run_query(store, NAMES, parse_params(["name=李四"]))
    assert [(r[0].value, r[1].value) for r in result.rows] == [("李四", f"{KGR}person/ls")]
    hostile = parse_params(['name=张三" } ; DROP ALL ; SELECT * { ?s ?p "'])
    assert run_query(store, NAMES, hostile).rows == []
    assert len(store) == 8


def test_a_parameter_must_name_a_variable_of_the_query(store: Store) -> None:
    with pytest.raises(QueryError, match=r"the query has no variable \?nobody"):
        run_query(store, NAMES, parse_params(["nobody=x"]))
    with pytest.raises(QueryError, match="blank node"):
        run_query(store, NAMES, {"name": ox.BlankNode("b")})
    with pytest.raises(QueryError, match="no WHERE group"):
        run_query(store, "DESCRIBE ?p", parse_params(["p=kg:x"]))
    with pytest.raises(QueryError, match="long form CONSTRUCT"):
        run_query(store, "CONSTRUCT WHERE { ?p a ?c }", parse_params(["c=kg:Official"]))


def test_parameters_open_the_where_group_so_the_planner_starts_from_them(store: Store) -> None:
    by_class = "SELECT ?name WHERE { ?p rdfs:label ?name ; a ?class } ORDER BY ?name"
    officials = run_query(store, by_class, parse_params(["class=kg:Official"])).rows  # ?class is not SELECTed
    assert [r[0].value for r in officials] == [r[0].value for r in run_query(store, NAMES).rows]
    text = bind_values(load_query("# { not here }\nSELECT * { ?s ?p '{' }"), parse_params(["p=rdfs:label"]))
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    assert text == f"# {{ not here }}\nSELECT * {{ VALUES (?p) {{ ({label}) }} ?s ?p '{{' }}"
    construct = load_query("CONSTRUCT { ?p a kg:Person } WHERE { ?p a ?c }")
    assert "WHERE { VALUES (?c) { (" in bind_values(construct, parse_params(["c=kg:Official"]))


def test_ask_and_construct(store: Store) -> None:
    ask = run_query(store, "ASK { ?p a kg:Official }")
    assert ask.boolean is True and ask.variables == ["ask"]
    assert json.loads(to_json(ask)) == {"head": {}, "boolean": True}
    built = run_query(store, "CONSTRUCT { ?p a kg:Person } WHERE { ?p a kg:Official }")
    assert built.variables == ["subject", "predicate", "object"] and len(built.rows) == 2


FIGURES = """SELECT ?measure ?value ?start ?unit ?missing WHERE {
  ?o kg:measure ?measure ; kg:value ?value ; kg:charStart ?start ; kg:unit ?unit
  OPTIONAL { ?o kg:nothing ?missing }
}"""


def test_to_frame_types_numbers_and_keeps_unbound_as_none(store: Store) -> None:
    frame = to_frame(run_query(store, FIGURES))
    assert list(frame.columns) == ["measure", "value", "start", "unit", "missing"]
    row = frame.iloc[0]
    assert row["measure"] == "累计获投融资额" and row["unit"] == "CNY"
    assert row["value"] == Decimal("156000000") and row["start"] == 12
    assert row["missing"] is None


def test_csv_is_plain_values(store: Store) -> None:
    rows = list(csv.reader(io.StringIO(to_csv(run_query(store, FIGURES)))))
    assert rows == [
        ["measure", "value", "start", "unit", "missing"],
        ["累计获投融资额", "156000000", "12", "CNY", ""],
    ]
    assert format_result(run_query(store, FIGURES), "csv") == to_csv(run_query(store, FIGURES))


def test_json_is_sparql_results_with_tags_and_datatypes(store: Store) -> None:
    doc = json.loads(format_result(run_query(store, FIGURES), "json"))
    assert doc["head"] == {"vars": ["measure", "value", "start", "unit", "missing"]}
    (binding,) = doc["results"]["bindings"]
    assert binding == {
        "measure": {"type": "literal", "value": "累计获投融资额", "xml:lang": "zh"},
        "value": {"type": "literal", "value": "156000000", "datatype": f"{XSD}decimal"},
        "start": {"type": "literal", "value": "12", "datatype": f"{XSD}integer"},
        "unit": {"type": "literal", "value": "CNY"},
    }
    names = json.loads(to_json(run_query(store, NAMES)))["results"]["bindings"]
    assert names[0]["person"] == {"type": "uri", "value": f"{KGR}person/zs"}


def test_table_shows_plain_values_and_prefixed_iris(store: Store) -> None:
    console = Console(record=True, width=120)
    console.print(to_table(run_query(store, NAMES), title="names"))
    text = console.export_text()
    assert "张三" in text and "kgr:person/zs" in text and '"' not in text and "@zh" not in text
    assert "2 row(s)" in text


def test_table_shows_brackets_in_values_as_text() -> None:
    store = Store()
    store.oxigraph.add(
        ox.Quad(ox.NamedNode(f"{KGR}x"), ox.NamedNode(f"{KG}headline"), ox.Literal("[bold]通知[/bold] ["))
    )
    console = Console(record=True, width=120)
    console.print(to_table(run_query(store, "SELECT ?h WHERE { ?x kg:headline ?h }"), title="[red]"))
    text = console.export_text()
    assert "[bold]通知[/bold] [" in text and "[red]" in text


def test_unknown_output_format() -> None:
    with pytest.raises(QueryError, match="unknown output format 'xml'"):
        format_result(run_query(Store(), "ASK { }"), "xml")
