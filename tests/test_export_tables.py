"""kg export --tables: the analyst CSVs of entities, positions, events and figures.

Most assertions run on the graph the product builds from the bundled seed article,
so a drift in extraction, mapping or the table queries shows here; the small
hand-built graph of tests/conftest.py checks exact rows.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from rdflib import Dataset
from typer.testing import CliRunner, Result

from kg import export
from kg.cli import app
from kg.corpus import build_corpus, sources
from kg.errors import KGError
from kg.export import (
    ENTITY_COLUMNS,
    EVENT_COLUMNS,
    FIGURE_COLUMNS,
    POSITION_COLUMNS,
    TABLES,
    analyst_tables,
    excel_safe,
    export_tables,
    table_bytes,
    table_names,
)
from kg.rdf.namespaces import KGR
from kg.serialise import write_rdf
from kg.store import Store

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
SEED_ARTICLE = str(KGR["article/seed-001"])


@pytest.fixture(scope="module")
def seed() -> Store:
    """The bundled seed article, built by the product into an in-memory store."""
    store = Store()
    build_corpus(store, sources([SAMPLE]))
    return store


@pytest.fixture(scope="module")
def seed_tables(seed: Store) -> dict[str, list[dict[str, str]]]:
    """The four tables of the seed, as written and read back the way an analyst's script would."""
    return {name: read_table(table_bytes(table)) for name, table in analyst_tables(seed).items()}


def read_table(data: bytes) -> list[dict[str, str]]:
    """CSV bytes as rows of column → cell, read as documented (utf-8-sig)."""
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def kg(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def count(store: Store, cls: str) -> int:
    """Distinct instances of ``kg:{cls}``, counted by SPARQL."""
    (row,) = store.query(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a kg:{cls} }}")
    return int(row[0].value)


def test_the_seed_position_of_the_director_is_there_with_its_evidence(seed_tables: dict) -> None:
    rows = [r for r in seed_tables["positions"] if (r["holder"], r["title"]) == ("王学勤", "厅长")]
    assert len(rows) == 1
    row = rows[0]
    assert row["organization"] == "云南省科技厅"
    assert (row["attestedOn"], row["isPast"], row["article"]) == ("2021-10-26", "false", SEED_ARTICLE)
    assert row["evidence"] == "云南省科技厅厅长王学勤到云南省高层次人才创新创业园调研“双创”工作"
    original = (SAMPLE / "seed-001.txt").read_text(encoding="utf-8")
    assert "王學(xué)勤" in original[int(row["charStart"]) : int(row["charEnd"])]  # offsets into the original
    assert row["holder_iri"].startswith(str(KGR["person/"])) and row["iri"].startswith(str(KGR["position/"]))
    titles = {(r["holder"], r["title"], r["organization"]) for r in seed_tables["positions"]}
    assert ("赵戍军", "二级巡视员", "昆明国家高新技术产业开发区管委会") in titles


def test_row_counts_equal_sparql_counts(seed: Store, seed_tables: dict) -> None:
    assert len(seed_tables["positions"]) == count(seed, "Position") == 5
    assert len(seed_tables["figures"]) == count(seed, "Observation") == 34
    assert len(seed_tables["events"]) == count(seed, "Event")
    named = "kg:Person, kg:Organization, kg:Park, kg:Place"
    (row,) = seed.query(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a ?c FILTER (?c IN ({named})) }}")
    assert len(seed_tables["entities"]) == int(row[0].value)
    assert len({r["iri"] for r in seed_tables["entities"]}) == len(seed_tables["entities"])


def test_entities_have_class_names_and_article_counts(seed_tables: dict) -> None:
    by_label = {r["label"]: r for r in seed_tables["entities"]}
    assert by_label["王学勤"]["class"] == "Official"
    assert by_label["王学勤"]["otherLabels"] == "王學勤"
    assert by_label["王学勤"]["articleCount"] == "1"
    assert by_label["云南省科技厅"]["class"] == "Agency"
    assert {r["class"] for r in seed_tables["entities"]} >= {"Official", "Agency", "Company", "Park", "Place"}
    assert "Event" not in {r["class"] for r in seed_tables["entities"]}


def test_event_names_line_up_with_their_iris(seed_tables: dict) -> None:
    labels = {r["iri"]: r["label"] for r in seed_tables["entities"]}
    (visit,) = [r for r in seed_tables["events"] if r["kind"] == "调研"]
    assert visit["startDate"] == "2021-10-23" and visit["articles"] == SEED_ARTICLE
    assert {"王学勤", "陈勇", "赵戍军"} <= set(visit["participants"].split("|"))
    for names, iris in (("participants", "participant_iris"), ("locations", "location_iris")):
        assert [labels[iri] for iri in visit[iris].split("|")] == visit[names].split("|")
    (week,) = [r for r in seed_tables["events"] if r["kind"] == "分会场"]
    assert week["partOf"] == "2021年全国大众创业、万众创新活动周"
    assert (week["startDate"], week["endDate"], week["locations"]) == ("2021-10-19", "2021-10-25", "云南省")
    dated = [r["startDate"] for r in seed_tables["events"] if r["startDate"]]
    assert dated == sorted(dated) and seed_tables["events"][-1]["startDate"] == ""  # undated last


def test_figures_carry_value_unit_period_area_and_evidence(seed_tables: dict) -> None:
    (funds,) = [r for r in seed_tables["figures"] if r["value"] == "156000000"]
    cells = (funds["unit"], funds["surfaceForm"], funds["refPeriod"], funds["area"])
    assert cells == ("CNY", "1.56亿元", "2021", "云南省")
    assert "1.56亿元" in funds["evidence"] and funds["article"] == SEED_ARTICLE
    offsets = [int(r["charStart"]) for r in seed_tables["figures"]]
    assert offsets == sorted(offsets)  # one article: reading order


def test_exact_rows_of_the_hand_built_graph(kg_dataset: Dataset) -> None:
    tables = analyst_tables(kg_dataset)
    assert {name: columns for name, (columns, _) in tables.items()} == TABLES
    positions = [dict(zip(POSITION_COLUMNS, row, strict=True)) for row in tables["positions"][1]]
    assert [(p["holder"], p["title"], p["organization"], p["charStart"], p["charEnd"]) for p in positions] == [
        ("张三", "党组书记", "某某市科技局", "0", "34"),
        ("张三", "局长", "某某市科技局", "0", "34"),
    ]
    (figure,) = tables["figures"][1]
    described = figure[: FIGURE_COLUMNS.index("evidence")]
    assert described == ["高新技术企业", "120", "家", "120家", "2020", "某某市", "", ""]
    (event,) = tables["events"][1]
    row = dict(zip(EVENT_COLUMNS, event, strict=True))
    assert (row["participants"], row["organizers"], row["locations"]) == ("张三", "某某市科技局", "某某科技有限公司")
    entities = {row[0]: dict(zip(ENTITY_COLUMNS, row, strict=True)) for row in tables["entities"][1]}
    assert len(entities) == 9
    assert entities["某某市科技局"]["otherLabels"] == "市科技局"
    assert [r[1] for r in tables["entities"][1]][:2] == ["Official", "Agency"]  # most specific classes first


def test_csv_is_utf8_with_bom_and_crlf_for_excel(tmp_path: Path, kg_dataset: Dataset) -> None:
    written = export_tables(kg_dataset, tmp_path / "tables")
    assert [p.name for p in written] == table_names() == ["entities.csv", "positions.csv", "events.csv", "figures.csv"]
    for path in written:
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")  # the UTF-8 byte-order mark
        assert data.count(b"\r\n") == data.count(b"\n") >= 2
    header = (tmp_path / "tables" / "positions.csv").read_bytes().decode("utf-8-sig").split("\r\n")[0]
    assert header == ",".join(POSITION_COLUMNS)
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == sorted(table_names())  # no temporary files


def test_cells_excel_would_run_as_formulas_are_quoted() -> None:
    assert excel_safe('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert excel_safe("@SUM(A1)") == "'@SUM(A1)"
    assert excel_safe("+86 10 1234") == "'+86 10 1234"
    assert [excel_safe(v) for v in ("-5", "-1.5e3", "+3", "王学勤", "", "https://x")] == [
        "-5", "-1.5e3", "+3", "王学勤", "", "https://x",
    ]  # fmt: skip
    data = table_bytes((["a", "b"], [["=1+1", "张三"]]))
    assert read_table(data) == [{"a": "'=1+1", "b": "张三"}]


def test_same_graph_same_bytes(seed: Store, tmp_path: Path) -> None:
    """The store and the same quads read back through rdflib in another order give identical files."""
    shuffled = Dataset()
    for s, p, o, g in sorted(seed.to_dataset().quads((None, None, None, None)), reverse=True):
        shuffled.graph(g).add((s, p, o))
    first = export_tables(seed, tmp_path / "a")
    second = export_tables(shuffled, tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_a_failure_while_writing_leaves_every_old_table(kg_dataset: Dataset, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "entities.csv").write_bytes(b"old entities")
    staged: list[Path] = []
    real_stage = export._stage

    def stage_then_fail(path: Path, data: bytes) -> str:
        if len(staged) == 2:
            raise KGError(f"{path}: cannot write (No space left on device)")
        staged.append(path)
        return real_stage(path, data)

    monkeypatch.setattr(export, "_stage", stage_then_fail)
    with pytest.raises(KGError, match=r"events\.csv: cannot write"):
        export_tables(kg_dataset, folder)
    assert [p.name for p in staged] == ["entities.csv", "positions.csv"]
    assert sorted(p.name for p in folder.iterdir()) == ["entities.csv"]  # no new table, no temporary file
    assert (folder / "entities.csv").read_bytes() == b"old entities"


@pytest.fixture
def graph_file(tmp_path: Path, kg_dataset: Dataset) -> Path:
    path = tmp_path / "graph.trig"
    write_rdf(kg_dataset, path)
    return path


def test_cli_writes_the_four_tables_and_says_how_many_rows(graph_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out" / "tables"
    result = kg("export", "--graph", graph_file, "--tables", folder)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"wrote {folder / 'entities.csv'} (9 rows)",
        f"wrote {folder / 'positions.csv'} (2 rows)",
        f"wrote {folder / 'events.csv'} (1 rows)",
        f"wrote {folder / 'figures.csv'} (1 rows)",
    ]
    assert read_table((folder / "figures.csv").read_bytes())[0]["area"] == "某某市"
    help_text = kg("export", "--help").stdout
    assert "--tables" in help_text and "Example: kg export" in help_text


def test_cli_network_and_tables_together_are_all_or_none(graph_file: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = kg("export", "--graph", graph_file, "--to", tmp_path / "net.graphml", "--tables", blocker / "tables")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "entities.csv: cannot write" in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "graph.trig"]  # the network was not written either


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        ([], 2, "give --to FILE, --tables DIR or both"),
        (["--tables", "{tmp}/x", "--format", "gexf"], 2, "--format is the format of --to FILE"),
        (["--tables", "{graph}"], 1, "is a file; --tables takes a folder"),
    ],
)
def test_cli_bad_table_options_are_one_line(graph_file: Path, args: list[str], code: int, fragment: str) -> None:
    args = [a.format(tmp=graph_file.parent, graph=graph_file) for a in args]
    result = kg("export", "--graph", graph_file, *args)
    assert result.exit_code == code, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and fragment in lines[0]
    assert sorted(p.name for p in graph_file.parent.iterdir()) == ["graph.trig"]
