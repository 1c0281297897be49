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

from kg import visualise
from kg.errors import KGError
from kg.rdf.namespaces import ENTITY_GRAPH, KG, KGR
from kg.serialise import to_oxigraph
from kg.store import Store
from kg.visualise import (
    CLASS_STYLES,
    SHAPE_ONLY,
    ViewOptions,
    ViewSummary,
    build_view,
    build_view_model,
    pinyin_keys,
    script_json,
    write_html,
)
from synthetic import synthetic_dataset

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
    """What the page's JSON data block holds under ``name`` (``nodes``, ``edges``, ``options``), decoded."""
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, flags=re.DOTALL)
    assert match, "the data block is not in the page"
    return json.loads(match.group(1))[name]


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
    options = _embedded(page, "options")
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
    nodes = {n["id"]: n for n in _embedded(html, "nodes")}
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
    assert _embedded(out.read_text(encoding="utf-8"), "nodes") == []


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


# --- what to draw: filters, focus, budget, size, colour, layout -------------------------------------------


def _labels(nodes: list[dict]) -> set[str]:
    return {n["label"] for n in nodes}


def test_class_filter_keeps_those_classes_and_their_edges(kg_dataset: Dataset) -> None:
    nodes, edges = build_view_model(kg_dataset, ViewOptions(classes=("Official", "Agency")))
    assert {n["group"] for n in nodes} == {"official", "agency"}
    assert {e["relation"] for e in edges} == {"kg:holdsPosition", "kg:subOrganizationOf"}
    people, _ = build_view_model(kg_dataset, ViewOptions(classes=("Person",)))
    assert _labels(people) == {"张三", "李四"}  # a Person filter keeps officials too


def test_article_filter(kg_dataset: Dataset) -> None:
    nodes, _ = build_view_model(kg_dataset, ViewOptions(articles=("demo-001",)))
    assert len(nodes) == 10
    with pytest.raises(KGError, match="demo-404: no such article"):
        build_view_model(kg_dataset, ViewOptions(articles=("demo-404",)))


def test_date_window_keeps_dated_events_and_positions(kg_dataset: Dataset) -> None:
    nodes, edges = build_view_model(kg_dataset, ViewOptions(since="2021-10", until="2021-10-31"))
    assert _labels(nodes) == {"张三调研某某科技有限公司", "张三", "某某市科技局", "某某科技有限公司"}
    assert {e["relation"] for e in edges} == {"kg:participant", "kg:organizer", "kg:location"}  # positions undated
    assert build_view_model(kg_dataset, ViewOptions(since="2022"))[0] == []


def test_focus_by_name_or_alias_with_depth(kg_dataset: Dataset) -> None:
    near, _ = build_view_model(kg_dataset, ViewOptions(focus="市科技局", depth=1))
    assert _labels(near) == {"某某市科技局", "某某市科技局高新处", "张三", "张三调研某某科技有限公司"}
    only, edges = build_view_model(kg_dataset, ViewOptions(focus=str(KGR["org/bureau"]), depth=0))
    assert _labels(only) == {"某某市科技局"} and edges == []
    with pytest.raises(KGError, match="王五: no node"):
        build_view_model(kg_dataset, ViewOptions(focus="王五"))


def test_over_budget_the_most_central_are_kept_and_the_page_says_so(tmp_path: Path) -> None:
    data = synthetic_dataset(60)
    view = build_view(data, ViewOptions(budget=12))
    assert len(view.nodes) == 12
    full = build_view(data)
    degree = {n["id"]: n["value"] for n in full.nodes}
    cut = sorted(degree, key=lambda node: (-degree[node], node))[:12]
    assert {n["id"] for n in view.nodes} == set(cut)
    assert view.notices[0].startswith("已摘要：所选 60 个实体超过上限 12，只显示度（关系数）最高的 12 个")
    out = tmp_path / "summary.html"
    summary = write_html(data, out, options=ViewOptions(budget=12, size="pagerank"))
    assert summary.nodes == 12 and "PageRank最高的 12 个" in summary.notice
    html = out.read_text(encoding="utf-8")
    assert '<div id="kg-notice" role="status">' in html and "已摘要：所选 60 个实体" in html
    assert full.notices == [] and 'id="kg-notice"' not in write_and_read(data, tmp_path / "full.html")


def write_and_read(data: Dataset, out: Path, options: ViewOptions | None = None) -> str:
    write_html(data, out, options=options)
    return out.read_text(encoding="utf-8")


def test_focus_over_budget_keeps_the_nearest(kg_dataset: Dataset) -> None:
    nodes, _ = build_view_model(kg_dataset, ViewOptions(focus="张三", depth=2, budget=3))
    assert "张三" in _labels(nodes) and len(nodes) == 3
    assert "某某市科技局高新处" not in _labels(nodes)  # two hops away: cut first


def test_sizes(kg_dataset: Dataset) -> None:
    by_degree = {n["label"]: n["value"] for n in build_view_model(kg_dataset)[0]}
    assert by_degree["某某市科技局"] == 3
    ranked = {n["label"]: n["value"] for n in build_view_model(kg_dataset, ViewOptions(size="pagerank"))[0]}
    assert abs(sum(ranked.values()) / len(ranked) - 1) < 0.01  # 1.0 is the average node
    assert max(ranked, key=ranked.get) == "某某市科技局"
    plain = build_view_model(kg_dataset, ViewOptions(size="none"))[0]
    assert all("value" not in n for n in plain)


def test_community_colours_and_legend(kg_dataset: Dataset, tmp_path: Path) -> None:
    view = build_view(kg_dataset, ViewOptions(colour="community"))
    assert all(n["community"] >= 1 and n["color"]["background"].startswith("#") for n in view.nodes)
    by_community: dict[int, set[str]] = {}
    for node in view.nodes:
        by_community.setdefault(node["community"], set()).add(node["color"]["background"])
    assert all(len(colours) == 1 for colours in by_community.values())
    assert len({next(iter(c)) for c in by_community.values()}) == len(by_community)
    assert sum(row["count"] for row in view.communities) == len(view.nodes)
    html = write_and_read(kg_dataset, tmp_path / "c.html", ViewOptions(colour="community"))
    assert '<ul id="kg-communities">' in html
    assert f'fill="{SHAPE_ONLY}"' in html  # class legend: shapes only


def test_names_carry_their_pinyin(kg_dataset: Dataset) -> None:
    assert pinyin_keys(["王学勤"]) == ["wangxueqin", "wxq"]
    assert pinyin_keys(["ABC科技", "!!"]) == ["abckeji", "abckj"]
    bureau = next(n for n in build_view_model(kg_dataset)[0] if n["label"] == "某某市科技局")
    assert {"moumoushikejiju", "mmskjj", "shikejiju", "skjj"} <= set(bureau["pinyin"])


def test_large_views_are_laid_out_in_python_without_physics(
    kg_dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(visualise, "PHYSICS_MAX_NODES", 5)
    view = build_view(kg_dataset)
    assert not view.physics
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in view.nodes)
    options = _embedded(write_and_read(kg_dataset, tmp_path / "big.html"), "options")
    assert options["physics"]["enabled"] is False
    assert options["interaction"]["hideEdgesOnZoom"] is True
    small = build_view(kg_dataset, ViewOptions(classes=("Agency",)))
    assert small.physics and "x" not in small.nodes[0]


def test_view_options_are_checked() -> None:
    for bad, match in (
        ({"size": "area"}, "size 'area'"),
        ({"colour": "rainbow"}, "colour 'rainbow'"),
        ({"budget": 0}, "budget 0"),
        ({"depth": -1}, "depth -1"),
        ({"since": "2021-13"}, "not a date"),
    ):
        with pytest.raises(KGError, match=match):
            ViewOptions(**bad)


def test_a_store_gives_the_same_page_as_its_dataset(kg_dataset: Dataset, tmp_path: Path) -> None:
    store = Store()
    store.oxigraph.extend(to_oxigraph(kg_dataset))
    options = ViewOptions(colour="community", size="pagerank")
    write_html(store, tmp_path / "a.html", options=options)
    write_html(kg_dataset, tmp_path / "b.html", options=options)
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_deterministic_with_every_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(visualise, "PHYSICS_MAX_NODES", 10)
    options = ViewOptions(colour="community", size="pagerank", budget=30, since="2021")
    pages = [write_and_read(synthetic_dataset(50, seed=4), tmp_path / f"{n}.html", options) for n in range(2)]
    assert pages[0] == pages[1]
    assert len(_embedded(pages[0], "nodes")) == 30


def test_options_are_deterministic_across_processes(tmp_path: Path) -> None:
    """Subgraphs, communities and positions must not follow string hashing, which differs per process."""
    source = tmp_path / "kg.nq"
    quads = synthetic_dataset(200).quads((None, None, None, None))
    source.write_text("".join(f"{s.n3()} {p.n3()} {o.n3()} {g.n3()} .\n" for s, p, o, g in quads), "utf-8")
    script = (
        "import sys; from pathlib import Path; from rdflib import Dataset; from kg import visualise;"
        "visualise.PHYSICS_MAX_NODES = 50;"
        "ds = Dataset(); ds.parse(sys.argv[1], format='nquads');"
        "o = visualise.ViewOptions(budget=80, colour='community', classes=('Official', 'Event'), since='2021-06');"
        "visualise.write_html(ds, Path(sys.argv[2]), options=o)"
    )
    pages = []
    for seed in ("1", "2"):
        out = tmp_path / f"page-{seed}.html"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(source), str(out)], check=True, env=env)
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]
    nodes = _embedded(pages[0].decode("utf-8"), "nodes")
    assert len(nodes) == 80 and all("x" in n and "color" in n for n in nodes)
