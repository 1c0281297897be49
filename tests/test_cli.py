"""The command line: help with examples, clean one-line errors, and each command end to end."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from rdflib import Dataset
from typer.testing import CliRunner, Result

from kg.cli import app
from kg.serialise import write_rdf
from kg.store import Store

DATA = Path(__file__).parent / "data"
SEED = DATA / "seed-001.txt"
COMMANDS = sorted(typer.main.get_command(app).commands)
KG_EXE = Path(sys.executable).parent / "kg"
BROKEN = """
@prefix kg: <https://w3id.org/govnews-kg/ontology#> .
<https://w3id.org/govnews-kg/id/graph/entities> {
  <https://w3id.org/govnews-kg/id/person/nameless> a kg:Official , kg:Person .
}
"""


def kg(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def assert_clean_error(result: Result, *fragments: str, code: int = 1) -> None:
    """Exit ``code``, exactly one line on stderr saying ``error: …``, no traceback anywhere."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.fixture
def graph_file(tmp_path: Path, kg_dataset: Dataset) -> Path:
    """The shared hand-built article (tests/conftest.py) as a TriG file."""
    path = tmp_path / "graph.trig"
    write_rdf(kg_dataset, path)
    return path


def test_the_installed_kg_runs_in_a_subprocess() -> None:
    run = subprocess.run([KG_EXE, "--help"], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    for name in ("extract", "build", "query", "validate", "viz"):
        assert name in run.stdout
    version = subprocess.run([KG_EXE, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("kg ")


def test_the_commands_are_those_of_the_issue() -> None:
    assert COMMANDS == ["build", "eval", "export", "extract", "query", "serve", "stats", "validate", "viz"]


@pytest.mark.parametrize("name", ["", *COMMANDS])
def test_every_command_has_help_with_an_example(name: str) -> None:
    result = kg(*([name] if name else []), "--help")
    assert result.exit_code == 0
    assert "Example: kg " in result.stdout


def test_query_needs_exactly_one_of_store_and_graph(graph_file: Path, tmp_path: Path) -> None:
    assert_clean_error(kg("query", "01"), "exactly one of --store DIR or --graph FILE", code=2)
    both = kg("query", "01", "--graph", graph_file, "--store", tmp_path / "store")
    assert_clean_error(both, "exactly one", code=2)


def test_query_formats(graph_file: Path) -> None:
    query = "SELECT ?name WHERE { ?p a kg:Official ; rdfs:label ?name FILTER(lang(?name) = 'zh') }"
    table = kg("query", query, "--graph", graph_file)
    assert table.exit_code == 0 and "张三" in table.stdout and "1 row(s)" in table.stdout
    csv = kg("query", query, "--graph", graph_file, "--format", "csv")
    assert csv.stdout.splitlines() == ["name", "张三"]
    doc = json.loads(kg("query", query, "--graph", graph_file, "-f", "json").stdout)
    assert doc["results"]["bindings"] == [{"name": {"type": "literal", "value": "张三", "xml:lang": "zh"}}]


def test_query_by_name_with_parameters(graph_file: Path) -> None:
    result = kg("query", "12-title-holders", "--graph", graph_file, "-p", "title=局长", "-f", "csv")
    assert result.exit_code == 0, result.output
    rows = result.stdout.splitlines()
    assert rows[0].startswith("title,orgName,name") and len(rows) == 2 and "局长,某某市科技局,张三" in rows[1]
    none = kg("query", "12", "--graph", graph_file, "-p", "title=不存在", "-f", "csv")
    assert none.stdout.splitlines()[1:] == []


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["DELETE WHERE { ?s ?p ?o }"], ["SPARQL update (DELETE) is not allowed"]),
        (["SELECT ?x WHERE { ?x }"], ["invalid SPARQL"]),
        (["99-nothing"], ["is not a query name"]),
        (["01", "-p", "novalue"], ["expected NAME=VALUE"]),
        (["01", "-p", "nobody=x"], ["no variable ?nobody"]),
    ],
)
def test_bad_queries_are_one_line_errors(graph_file: Path, args: list[str], fragments: list[str]) -> None:
    assert_clean_error(kg("query", *args, "--graph", graph_file), *fragments)


@pytest.mark.parametrize("command", [["query", "01"], ["validate"], ["viz", "-o", "view.html"]])
def test_bad_sources_are_one_line_errors(tmp_path: Path, command: list[str]) -> None:
    assert_clean_error(kg(*command, "--graph", tmp_path / "missing.trig"), "no such file")
    assert_clean_error(kg(*command, "--graph", tmp_path), "is a directory")
    (tmp_path / "bad.ttl").write_text("<a> <b> .")
    assert_clean_error(kg(*command, "--graph", tmp_path / "bad.ttl"), "not valid Turtle")
    assert_clean_error(kg(*command, "--store", tmp_path / "nostore"), "no store here")
    assert not (tmp_path / "nostore").exists()


def test_validate_passes_a_conforming_graph_and_fails_a_broken_one(tmp_path: Path) -> None:
    ok = kg("validate", "--graph", DATA / "valid.trig")
    assert ok.exit_code == 0, ok.output
    (tmp_path / "broken.trig").write_text(BROKEN, encoding="utf-8")
    bad = kg("validate", "--graph", tmp_path / "broken.trig")
    assert_clean_error(bad, "does not conform", "SHACL violation")
    assert "rdfs:label" in bad.stdout


def test_viz_writes_the_page(graph_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "view" / "graph.html"
    result = kg("viz", "--graph", graph_file, "-o", out, "--title", "演示")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert "nodes" in result.stdout


def test_viz_refuses_a_non_html_name_before_any_work(graph_file: Path, tmp_path: Path) -> None:
    assert_clean_error(kg("viz", "--graph", graph_file, "-o", tmp_path / "graph.png"), "name it with .html")
    assert not (tmp_path / "graph.png").exists()


def test_extract_writes_turtle_to_stdout_and_any_format_to_a_file(tmp_path: Path) -> None:
    result = kg("extract", SEED)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("@prefix") and "kg:Article" in result.stdout
    for ext in (".trig", ".nq", ".jsonld", ".ttl"):
        out = tmp_path / f"seed{ext}"
        written = kg("extract", SEED, "-o", out)
        assert written.exit_code == 0 and out.stat().st_size > 0
    assert (tmp_path / "seed.ttl").read_text(encoding="utf-8") == result.stdout


@pytest.mark.parametrize("make", ["missing", "directory", "empty"])
def test_extract_bad_input_is_one_line_and_creates_nothing(tmp_path: Path, make: str) -> None:
    source = tmp_path / "article.txt"
    if make == "directory":
        source.mkdir()
    elif make == "empty":
        source.write_text("")
    out = tmp_path / "out" / "article.trig"
    assert_clean_error(kg("extract", source, "-o", out), str(source))
    assert not out.parent.exists()


def test_extract_checks_the_output_format_first(tmp_path: Path) -> None:
    assert_clean_error(kg("extract", tmp_path / "missing.txt", "-o", tmp_path / "a.xml"), "unknown RDF format")
    assert list(tmp_path.iterdir()) == []


def test_build_is_idempotent_and_reports(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "nested").mkdir(parents=True)
    shutil.copy(SEED, corpus / "nested" / SEED.name)
    shutil.copy(DATA / "seed-001.gold.json", corpus / "nested")
    store, trig, html = tmp_path / "store", tmp_path / "out" / "graph.trig", tmp_path / "out" / "graph.html"
    first = kg("build", corpus, "--store", store, "-o", trig, "--html", html)
    assert first.exit_code == 0, first.output
    assert "1 article file(s): 1 written" in first.stdout and "kg:Article" in first.stdout
    assert "SHACL:" in first.stdout and html.exists()
    before = trig.read_bytes()
    again = kg("build", corpus, "--store", store, "-o", trig)
    assert again.exit_code == 0, again.output
    assert "0 written, 1 unchanged" in again.stdout
    assert trig.read_bytes() == before
    fresh = kg("build", corpus, "--store", store, "-o", trig, "--fresh")
    assert fresh.exit_code == 0 and trig.read_bytes() == before
    query = kg("query", "10-articles", "--store", store, "-f", "csv")
    assert query.exit_code == 0 and len(query.stdout.splitlines()) == 2


def test_build_bad_inputs_are_one_line_errors(tmp_path: Path) -> None:
    assert_clean_error(kg("build", tmp_path / "missing", "--store", tmp_path / "s"), "no such file or folder")
    (tmp_path / "empty").mkdir()
    assert_clean_error(kg("build", tmp_path / "empty", "--store", tmp_path / "s"), "no article files")
    bad_out = kg("build", SEED, "--store", tmp_path / "s", "-o", tmp_path / "graph.xml")
    assert_clean_error(bad_out, "unknown RDF format")
    assert not (tmp_path / "s").exists()


def test_build_into_a_store_in_use_is_a_clean_error(tmp_path: Path) -> None:
    with Store(tmp_path / "store"):
        assert_clean_error(kg("build", SEED, "--store", tmp_path / "store"), "in use by another process")


def test_build_into_a_folder_that_is_not_a_store(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text("x")
    assert_clean_error(kg("build", SEED, "--store", tmp_path / "docs"), "not a kg store")


def test_eval_scores_the_bundled_seed_like_the_library() -> None:
    from kg.evaluate import evaluate_gold

    data = Path(__file__).resolve().parent / "data"
    result = kg("eval", str(data))
    assert result.exit_code == 0, result.output
    expected = evaluate_gold(data / "seed-001.gold.json")["kg_f1"]
    assert "seed-001" in result.stdout and f"{expected:.3f}" in result.stdout


def test_eval_refuses_a_file_that_is_not_gold(tmp_path: Path) -> None:
    f = tmp_path / "x.txt"
    f.write_text("x", encoding="utf-8")
    result = kg("eval", str(f))
    assert result.exit_code == 1
    assert "not a gold file" in result.stderr


def test_the_seed_graph_validates(tmp_path: Path) -> None:
    out = tmp_path / "seed.trig"
    assert kg("extract", SEED, "-o", out).exit_code == 0
    result = kg("validate", "--graph", out)
    assert result.exit_code == 0, result.output


def test_build_skips_bad_articles_on_request(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / SEED.name)
    (corpus / "blank.txt").write_text("  \n", encoding="utf-8")
    skipped = kg("build", corpus, "--store", tmp_path / "s1", "--on-error", "skip", "--jobs", "2")
    assert skipped.exit_code == 0, skipped.output
    assert "1 written, 0 unchanged, 1 skipped" in skipped.stdout
    assert "skipped: " in skipped.stderr and "blank.txt" in skipped.stderr
    assert_clean_error(kg("build", corpus, "--store", tmp_path / "s2"), "blank.txt", "empty")
