"""Hostile queries, parameters and graph files through ``kg query``: read-only, bound, one clean line.

Store cases run against a copy of a one-article store and check that it exports the
same bytes afterwards. Queries written to crash Oxigraph's recursive parser run in a
subprocess, so that a regression shows as a failed case rather than a dead test run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from robust import Watch, check, invoke, run
from test_bad_inputs import png

VALID = Path(__file__).resolve().parents[1] / "data" / "valid.trig"
REFUSED = "is not allowed; kg runs read-only queries"


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE"),
        ("# tidy up\nPREFIX ex: <urn:ex:>\n  drop   all", "DROP"),
        ("CLEAR DEFAULT", "CLEAR"),
        ("LOAD <file:///etc/passwd>", "LOAD"),
        ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
        ("BASE <urn:x:> CREATE GRAPH <g>", "CREATE"),
        ("COPY DEFAULT TO <urn:g>", "COPY"),
    ],
    ids=["insert", "delete", "drop-after-prologue", "clear", "load", "with", "create", "copy"],
)
def test_updates_are_refused_and_change_nothing(store: Path, tmp_path: Path, text: str, word: str) -> None:
    rq = tmp_path / "update.rq"
    rq.write_text(text, encoding="utf-8")
    watch = Watch.of(stores=[store])
    check(invoke("query", rq, "--store", store), code=1,
          error=f"error: {rq}: SPARQL update ({word}) {REFUSED}", watch=watch)
    check(invoke("query", text, "--store", store), code=1,
          error=f"error: <query>: SPARQL update ({word}) {REFUSED}", watch=watch)


def test_an_update_after_a_query_is_not_sparql(store: Path) -> None:
    text = "SELECT * WHERE { ?s ?p ?o } ; DELETE WHERE { ?s ?p ?o }"
    watch = Watch.of(stores=[store])
    ran = invoke("query", text, "--store", store)
    assert ran.stderr.startswith("error: <query>: invalid SPARQL: ")
    check(ran, code=1, error=ran.stderr.rstrip("\n"), watch=watch)


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("prose.rq", "这不是查询语句，只是一段文字。".encode(), "invalid SPARQL: "),
        ("page.rq", b"<html><body>SELECT</body></html>", "invalid SPARQL: "),
        ("empty.rq", b"", "invalid SPARQL: "),
        ("photo.rq", png(),
         "cannot read query ('utf-8' codec can't decode byte 0x89 in position 0: invalid start byte)"),
    ],
    ids=["prose", "html", "empty", "png"],
)
def test_a_query_file_that_is_not_sparql(store: Path, tmp_path: Path, name: str, data: bytes, problem: str) -> None:
    rq = tmp_path / name
    rq.write_bytes(data)
    ran = invoke("query", rq, "--store", store)
    expected = f"error: {rq}: {problem}"
    assert ran.stderr.startswith(expected), ran.stderr
    check(ran, code=1, error=ran.stderr.rstrip("\n") if problem.endswith(": ") else expected,
          watch=Watch.of(stores=[store]))


def test_a_folder_named_like_a_query(store: Path, tmp_path: Path) -> None:
    folder = tmp_path / "q.rq"
    folder.mkdir()
    check(invoke("query", folder, "--store", store), code=1, error=f"error: {folder}: no such query file")


TITLE_QUERY = "SELECT ?title WHERE { ?p kg:title ?title }"


@pytest.mark.parametrize(
    "value",
    [
        '厅长" } ; DROP ALL ; #',
        "局长' } UNION { ?s ?p ?o } #",
        "局长> } ; CLEAR ALL",
        "局长\\u0022 } ; DROP ALL",
    ],
    ids=["double-quote", "single-quote", "angle", "escape"],
)
def test_parameter_injection_is_a_value_that_matches_nothing(store: Path, value: str) -> None:
    watch = Watch.of(stores=[store])
    ran = invoke("query", TITLE_QUERY, "--store", store, "--param", f"title={value}", "-f", "csv")
    check(ran, code=0, watch=watch)
    assert ran.stdout.splitlines() == ["title"]
    real = invoke("query", TITLE_QUERY, "--store", store, "--param", "title=局长", "-f", "csv")
    assert real.stdout.splitlines() == ["title", "局长"]


@pytest.mark.parametrize(
    "value",
    ['"局长" } ; DROP ALL ; { "', "<urn:x> } ; DROP ALL ; { <urn:y>", '"局长"@zh . ?s ?p ?o'],
    ids=["literal-then-update", "iri-then-update", "literal-then-pattern"],
)
def test_parameter_that_is_not_one_term_is_refused(store: Path, value: str) -> None:
    ran = invoke("query", TITLE_QUERY, "--store", store, "--param", f"title={value}")
    assert ran.stderr.startswith(f"error: parameter value {value!r} is not"), ran.stderr
    check(ran, code=1, error=ran.stderr.rstrip("\n"), watch=Watch.of(stores=[store]))


def test_service_would_fetch_and_is_refused(store: Path) -> None:
    text = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    check(invoke("query", text, "--store", store), code=1,
          error="error: <query>: SERVICE is not allowed; kg queries its own graph and fetches nothing")


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("SELECT * WHERE " + "{" * 3000 + "}" * 3000, 3000),
        ("SELECT * WHERE { FILTER(" + "(" * 6000 + "1" + ")" * 6000 + ") }", 6002),
        ("SELECT * WHERE { FILTER(" + "!" * 30000 + "true) }", 30000),
        ("SELECT * WHERE { ?s <urn:p> " + "(" * 200 + "<urn:o>" + ")" * 200 + " }", 201),
    ],
    ids=["groups", "brackets", "nots", "collections"],
)
def test_queries_that_exhaust_the_parser_are_refused(tmp_path: Path, text: str, depth: int) -> None:
    """Unguarded, the first three kill Oxigraph's parser (SIGSEGV) and the last takes minutes."""
    rq = tmp_path / "deep.rq"
    rq.write_text(text, encoding="utf-8")
    check(run("query", rq, "--graph", VALID, timeout=60), code=1,
          error=f"error: {rq}: query nests {depth} levels deep; kg accepts at most 32")


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("page.ttl", b"<!DOCTYPE html><html><body><p>not a graph</p></body></html>", "not valid Turtle: "),
        ("photo.trig", png(), "not valid TriG: "),
        ("half.nq", b"<urn:a> <urn:b> <urn:c> <urn:g> .\n<urn:a> <urn:b> \"unterminated", "not valid N-Quads: "),
    ],
    ids=["html-as-turtle", "png-as-trig", "truncated-nquads"],
)
def test_a_graph_file_that_is_not_rdf(tmp_path: Path, name: str, data: bytes, problem: str) -> None:
    graph = tmp_path / name
    graph.write_bytes(data)
    ran = invoke("query", "SELECT * WHERE { ?s ?p ?o }", "--graph", graph)
    assert ran.stderr.startswith(f"error: {graph}: {problem}"), ran.stderr
    check(ran, code=1, error=ran.stderr.rstrip("\n"))


def test_deeply_nested_turtle_is_read(tmp_path: Path) -> None:
    graph = tmp_path / "deep.ttl"
    graph.write_text("<urn:s> <urn:p> " + "(" * 20_000 + ")" * 20_000 + " .\n", encoding="utf-8")
    ran = invoke("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--graph", graph, "-f", "csv")
    check(ran, code=0)
    assert ran.stdout.splitlines() == ["n", "39999"]


def test_a_failed_view_keeps_the_old_page(tmp_path: Path) -> None:
    page = tmp_path / "graph.html"
    page.write_text("<!DOCTYPE html><p>the old view</p>", encoding="utf-8")
    broken = tmp_path / "broken.ttl"
    broken.write_bytes(b"<urn:a> <urn:b> .")
    ran = invoke("viz", "--graph", broken, "-o", page)
    assert ran.stderr.startswith(f"error: {broken}: not valid Turtle: "), ran.stderr
    check(ran, code=1, error=ran.stderr.rstrip("\n"), watch=Watch.of(files=[page]))
