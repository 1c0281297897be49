"""kg stats, kg export and kg viz's options, end to end; and on the seed and dev corpus built together."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset
from typer.testing import CliRunner, Result

from corpus import shared_dir
from kg.cli import app
from kg.corpus import build_corpus, sources
from kg.serialise import write_rdf
from kg.store import Store

ROOT = Path(__file__).resolve().parents[1]


def kg(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def assert_clean_error(result: Result, *fragments: str, code: int = 1) -> None:
    assert result.exit_code == code, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0]


def _page_data(path: Path) -> dict:
    html = path.read_text(encoding="utf-8")
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, flags=re.DOTALL)
    assert match
    return json.loads(match.group(1))


@pytest.fixture
def graph_file(tmp_path: Path, kg_dataset: Dataset) -> Path:
    path = tmp_path / "graph.trig"
    write_rdf(kg_dataset, path)
    return path


def test_stats_prints_classes_relations_and_the_most_central(graph_file: Path) -> None:
    result = kg("stats", "--graph", graph_file, "--top", "3")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "10 nodes, 8 edges" in out
    for title in ("nodes by class", "edges by relation", "top 3 by PageRank"):
        assert title in out
    assert re.search(r"Agency\s*│\s*3", out)
    assert re.search(r"holdsPosition\s*│\s*2", out)
    assert "某某市科技局" in out and "pagerank" in out


def test_stats_needs_a_source() -> None:
    assert_clean_error(kg("stats"), "exactly one of --store DIR or --graph FILE", code=2)


@pytest.mark.parametrize(
    ("name", "fmt", "written"),
    [
        ("net.graphml", None, ["net.graphml"]),
        ("net.gexf", None, ["net.gexf"]),
        ("net.nodes.csv", None, ["net.nodes.csv", "net.edges.csv"]),
        ("net.xml", "graphml", ["net.xml"]),
        ("tables", "csv", ["tables.nodes.csv", "tables.edges.csv"]),
    ],
)
def test_export_by_extension_or_format(
    graph_file: Path, tmp_path: Path, name: str, fmt: str | None, written: list[str]
) -> None:
    out = tmp_path / "out"
    result = kg("export", "--graph", graph_file, "--to", out / name, *(["--format", fmt] if fmt else []))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(written)
    assert [line.removeprefix("wrote ") for line in result.stdout.splitlines()] == [str(out / w) for w in written]


def test_export_refuses_an_unknown_extension_before_reading(tmp_path: Path) -> None:
    result = kg("export", "--graph", tmp_path / "missing.trig", "--to", tmp_path / "net.txt")
    assert_clean_error(result, "net.txt: unknown export format")


def test_viz_options_end_to_end(graph_file: Path, tmp_path: Path) -> None:
    page = tmp_path / "v.html"
    result = kg(
        "viz", "--graph", graph_file, "-o", page,
        "--class", "Official", "--class", "Agency", "--size", "pagerank", "--colour", "community",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "(4 nodes, 2 edges)" in result.stdout
    data = _page_data(page)
    assert {n["group"] for n in data["nodes"]} == {"official", "agency"}
    assert all("color" in n and isinstance(n["value"], float) for n in data["nodes"])

    result = kg("viz", "--graph", graph_file, "-o", page, "--focus", "张三", "--depth", "2", "--budget", "3")
    assert result.exit_code == 0, result.output
    assert "(3 nodes" in result.stdout and "已摘要：所选 5 个实体超过上限 3" in result.stdout

    result = kg("viz", "--graph", graph_file, "-o", page, "--since", "2021-10-01", "--until", "2021-10-31",
                "--article", "demo-001", "--color", "class", "--size", "none")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "(4 nodes, 3 edges)" in result.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--class", "Minister"], "Minister: unknown class"),
        (["--article", "nope"], "nope: no such article in the graph; known: demo-001"),
        (["--since", "2021-13"], "'2021-13': not a date"),
        (["--focus", "王五"], "王五: no node has this IRI, label or alias"),
    ],
)
def test_viz_bad_options_are_one_clean_line(graph_file: Path, tmp_path: Path, args: list[str], fragment: str) -> None:
    assert_clean_error(kg("viz", "--graph", graph_file, "-o", tmp_path / "v.html", *args), fragment)


def test_viz_usage_errors(graph_file: Path, tmp_path: Path) -> None:
    for args in (["--size", "area"], ["--colour", "rainbow"], ["--budget", "0"], ["--depth", "-1"]):
        result = kg("viz", "--graph", graph_file, "-o", tmp_path / "v.html", *args)
        assert result.exit_code == 2, (args, result.output)


@pytest.fixture(scope="module")
def seed_and_dev(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled seed and the shared dev corpus, built together into one store on disk."""
    dev = shared_dir() / "corpus" / "dev"
    folder = tmp_path_factory.mktemp("seed-and-dev") / "store"
    with Store(folder) as store:
        report = build_corpus(store, sources([ROOT / "data" / "sample", dev]))
    assert len(report.written) > 2
    return folder


def test_stats_and_exports_on_the_seed_and_dev_corpus(seed_and_dev: Path, tmp_path: Path) -> None:
    stats = kg("stats", "--store", seed_and_dev, "--top", "5")
    assert stats.exit_code == 0, stats.output
    nodes, edges = map(int, re.match(r"(\d+) nodes, (\d+) edges", stats.stdout).groups())
    assert nodes > 100 and edges > 100
    for name in ("Official", "Agency", "Event", "participant", "holdsPosition", "top 5 by PageRank"):
        assert name in stats.stdout

    out = tmp_path / "export"
    for name in ("net.graphml", "net.gexf", "net.csv"):
        result = kg("export", "--store", seed_and_dev, "--to", out / name)
        assert result.exit_code == 0, result.output
    graphml, gexf = nx.read_graphml(out / "net.graphml"), nx.read_gexf(out / "net.gexf")
    assert graphml.number_of_nodes() == gexf.number_of_nodes() == nodes
    assert graphml.number_of_edges() == gexf.number_of_edges() == edges
    with (out / "net.nodes.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == nodes and {row["type"] for row in rows} >= {"Official", "Agency", "Event"}
    assert {row["articles"].rsplit("/", 1)[-1] for row in rows if "|" not in row["articles"]} >= {"seed-001"}

    again = tmp_path / "again"
    assert kg("export", "--store", seed_and_dev, "--to", again / "net.graphml").exit_code == 0
    assert (again / "net.graphml").read_bytes() == (out / "net.graphml").read_bytes()

    page = tmp_path / "corpus.html"
    result = kg("viz", "--store", seed_and_dev, "-o", page, "--colour", "community", "--since", "2021")
    assert result.exit_code == 0, result.output
    assert 0 < len(_page_data(page)["nodes"]) < nodes
