"""The network page: what is drawn, that it is self-contained, escaped and deterministic."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, SKOS, Dataset, Graph, Literal

from kg.rdf.namespaces import ENTITY_GRAPH, KG, KGR
from kg.visualise import CLASS_STYLES, ViewSummary, build_view_model, script_json, write_html

HOSTILE_LABEL = "</script><script>alert(1)</script>"
HOSTILE_ALIAS = "<!--<img src=x onerror=alert(2)>"
HOSTILE_TITLE = "<b>标题</b></title><script>alert(3)</script>"
LINE_SEPARATORS = "第一行\u2028第二行\u2029完"
PAGE_SCRIPTS = 3  # vis-network, the data, the page's own code
DRAWN_CLASSES = [s.iri for s in CLASS_STYLES]


def _drawn_count(ds: Dataset) -> int:
    """Entities plus events in the union of the graphs, counted straight from the triples."""
    return len({s for s, _, o, _ in ds.quads((None, RDF.type, None, None)) if o in DRAWN_CLASSES})


def _embedded(html: str, name: str) -> list[dict]:
    """The JSON the page embeds as ``var NAME = …;``, decoded."""
    match = re.search(rf"^var {name} = (.*);$", html, flags=re.MULTILINE)
    assert match, f"{name} not found in the page"
    return json.loads(match.group(1))


def _add_hostile(ds: Dataset) -> None:
    """An organisation whose names and evidence try to break out of the page."""
    ent = ds.graph(ENTITY_GRAPH)
    node = KGR["org/hostile"]
    ent.add((node, RDF.type, KG.Company))
    ent.add((node, RDFS.label, Literal(HOSTILE_LABEL, lang="zh")))
    ent.add((node, SKOS.altLabel, Literal(HOSTILE_ALIAS, lang="zh")))
    ent.add((node, KG.locatedIn, KGR["place/demo"]))
    st = KGR["statement/hostile"]
    art = ds.graph(KGR["graph/article/demo-001"])
    art.add((st, RDF.type, RDF.Statement))
    art.add((st, RDF.subject, node))
    art.add((st, RDF.predicate, KG.locatedIn))
    art.add((st, RDF.object, KGR["place/demo"]))
    art.add((st, KG.evidence, Literal(LINE_SEPARATORS + HOSTILE_LABEL, lang="zh")))


class _Resources(HTMLParser):
    """Collects every tag's src/href, <link> and <script>: the ways a page pulls in or runs code."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.links = 0
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += tag == "link"
        self.scripts += tag == "script"
        self.refs += [value or "" for name, value in attrs if name in ("src", "href", "srcset", "action")]


@pytest.fixture
def page(kg_dataset: Dataset, tmp_path: Path) -> str:
    out = tmp_path / "graph.html"
    write_html(kg_dataset, out)
    return out.read_bytes().decode("utf-8")


def test_nodes_are_the_entities_and_events(kg_dataset: Dataset) -> None:
    nodes, _ = build_view_model(kg_dataset)
    assert len(nodes) == _drawn_count(kg_dataset) == 10
    ids = {n["id"] for n in nodes}
    assert not any(part in i for i in ids for part in ("/article/", "/position/", "/observation/", "/statement/"))


def test_most_specific_class_wins(kg_dataset: Dataset) -> None:
    groups = {n["label"]: n["group"] for n in build_view_model(kg_dataset)[0]}
    assert groups["张三"] == "official"
    assert groups["李四"] == "person"
    assert groups["某某市科技局"] == "agency"
    assert groups["某某科技有限公司"] == "company"
    assert groups["某某创业协会"] == "organization"
    assert groups["张三调研某某科技有限公司"] == "event"


def test_positions_merge_into_one_titled_edge(kg_dataset: Dataset) -> None:
    _, edges = build_view_model(kg_dataset)
    held = [e for e in edges if e["relation"] == "kg:holdsPosition"]
    assert len(held) == 1
    assert held[0]["label"] == "党组书记、局长"
    assert held[0]["from"].endswith("person/zhangsan") and held[0]["to"].endswith("org/bureau")
    assert held[0]["sentences"][0]["text"].startswith("10月23日，某某市科技局党组书记")
    assert held[0]["sentences"][0]["source"] == "张三到某某科技有限公司调研"


def test_relation_edges_carry_statement_evidence(kg_dataset: Dataset) -> None:
    _, edges = build_view_model(kg_dataset)
    by_relation = {e["relation"]: e for e in edges}
    assert set(by_relation) == {
        "kg:subOrganizationOf", "kg:manages", "kg:locatedIn",
        "kg:participant", "kg:organizer", "kg:location", "kg:holdsPosition",
    }  # fmt: skip
    assert by_relation["kg:subOrganizationOf"]["sentences"] == [
        {"text": "某某市科技局高新处负责人陪同调研。", "source": "张三到某某科技有限公司调研"}
    ]
    assert by_relation["kg:participant"]["sentences"][0]["text"].endswith("调研。")
    assert by_relation["kg:manages"]["sentences"] == []


def test_tooltip_data_type_aliases_evidence(kg_dataset: Dataset) -> None:
    nodes = {n["label"]: n for n in build_view_model(kg_dataset)[0]}
    bureau = nodes["某某市科技局"]
    assert bureau["kind"] == "政府机构"
    assert bureau["aliases"] == ["市科技局"]
    assert "局长张三" in bureau["evidence"]
    assert bureau["articles"] == ["张三到某某科技有限公司调研"]
    event = nodes["张三调研某某科技有限公司"]
    assert event["details"] == ["类别：调研", "时间：2021-10-23"]
    city = nodes["某某市"]
    assert any(f["text"] == "高新技术企业：120家（2020）" for f in city["facts"])


def test_plain_graph_is_read_too(kg_dataset: Dataset) -> None:
    flat = Graph()
    for s, p, o, _ in kg_dataset.quads((None, None, None, None)):
        flat.add((s, p, o))
    assert build_view_model(flat) == build_view_model(kg_dataset)


def test_write_html_summary_and_utf8(kg_dataset: Dataset, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "graph.html"
    assert write_html(kg_dataset, out) == ViewSummary(nodes=10, edges=7)
    html = out.read_bytes().decode("utf-8")
    assert '<meta charset="utf-8">' in html
    assert "张三" in html and "党组书记、局长" in html


def test_page_is_self_contained(page: str) -> None:
    parser = _Resources()
    parser.feed(page)
    assert parser.links == 0
    assert parser.refs == []
    assert parser.scripts == PAGE_SCRIPTS
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", page)
    assert "@import" not in page and "@font-face" not in page
    assert "cdn.jsdelivr" not in page and "cdnjs" not in page
    assert "vis.Network" in page  # vis-network is inlined, not linked


def test_page_has_legend_and_cjk_fonts(page: str) -> None:
    for style in CLASS_STYLES:
        assert f"<span>{style.name}</span>" in page
    assert '"Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif' in page


def test_page_physics_settles_fast(page: str) -> None:
    options = _embedded(page, "KG_OPTIONS")
    assert options["edges"]["smooth"] is False
    assert options["physics"]["stabilization"]["iterations"] == 200
    assert options["layout"] == {"randomSeed": options["layout"]["randomSeed"], "improvedLayout": False}


def test_hostile_labels_are_escaped(kg_dataset: Dataset, tmp_path: Path) -> None:
    _add_hostile(kg_dataset)
    out = tmp_path / "graph.html"
    write_html(kg_dataset, out, title=HOSTILE_TITLE)
    html = out.read_text(encoding="utf-8")
    for raw in (HOSTILE_LABEL, HOSTILE_ALIAS, HOSTILE_TITLE, "<img", "alert(3)</script>", "\u2028", "\u2029"):
        assert raw not in html
    parser = _Resources()
    parser.feed(html)
    assert parser.scripts == PAGE_SCRIPTS
    assert "<title>&lt;b&gt;标题&lt;/b&gt;&lt;/title&gt;&lt;script&gt;alert(3)&lt;/script&gt;</title>" in html
    nodes = {n["id"]: n for n in _embedded(html, "KG_NODES")}
    hostile = nodes[str(KGR["org/hostile"])]
    assert hostile["label"] == HOSTILE_LABEL
    assert hostile["aliases"] == [HOSTILE_ALIAS]
    assert hostile["evidence"] == LINE_SEPARATORS + HOSTILE_LABEL


def test_script_json_escapes_breakouts() -> None:
    text = str(script_json({"k": "</script><!--\u2028\u2029&>"}))
    assert text == '{"k":"\\u003c/script\\u003e\\u003c!--\\u2028\\u2029\\u0026\\u003e"}'
    assert json.loads(text) == {"k": "</script><!--\u2028\u2029&>"}


def test_deterministic_bytes(kg_dataset: Dataset, tmp_path: Path) -> None:
    first, second, reordered = tmp_path / "a.html", tmp_path / "b.html", tmp_path / "c.html"
    write_html(kg_dataset, first)
    write_html(kg_dataset, second)
    shuffled = Dataset()
    for s, p, o, g in sorted(kg_dataset.quads((None, None, None, None)), reverse=True):
        shuffled.add((s, p, o, g))
    write_html(shuffled, reordered)
    assert first.read_bytes() == second.read_bytes() == reordered.read_bytes()


def test_empty_graph(tmp_path: Path) -> None:
    out = tmp_path / "empty.html"
    assert write_html(Dataset(), out) == ViewSummary(nodes=0, edges=0)
    assert _embedded(out.read_text(encoding="utf-8"), "KG_NODES") == []


def test_deterministic_across_processes(kg_dataset: Dataset, tmp_path: Path) -> None:
    """String hashing differs per process, and with it rdflib's iteration order."""
    source = tmp_path / "kg.nq"
    quads = kg_dataset.quads((None, None, None, None))
    source.write_text("".join(f"{s.n3()} {p.n3()} {o.n3()} {g.n3()} .\n" for s, p, o, g in quads), "utf-8")
    script = (
        "import sys; from pathlib import Path; from rdflib import Dataset; from kg.visualise import write_html;"
        "ds = Dataset(); ds.parse(sys.argv[1], format='nquads'); write_html(ds, Path(sys.argv[2]))"
    )
    pages = []
    for seed in ("1", "2", "3"):
        out = tmp_path / f"page-{seed}.html"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(source), str(out)], check=True, env=env)
        pages.append(out.read_bytes())
    in_process = tmp_path / "page.html"
    write_html(kg_dataset, in_process)
    assert pages[0] == pages[1] == pages[2] == in_process.read_bytes()
