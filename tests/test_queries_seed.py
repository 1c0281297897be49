"""Every competency question on the real graph of the bundled seed article, with its answers.

The fixture store is built by the product itself (``kg.corpus.build_corpus`` over
``data/sample``), so these tests fail when extraction, mapping or a query drifts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.corpus import build_corpus, sources
from kg.paths import queries_dir
from kg.query import load_query, parse_params, plain, run_query
from kg.store import Store

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


@pytest.fixture(scope="module")
def seed() -> Store:
    s = Store()
    build_corpus(s, sources([SAMPLE]))
    return s


def rows(store: Store, query: str, columns: str, **params: str) -> list[tuple[str, ...]]:
    result = run_query(store, load_query(query), parse_params(f"{k}={v}" for k, v in params.items()))
    index = [result.variables.index(c) for c in columns.split()]
    return [tuple(plain(row[i]) for i in index) for row in result.rows]


def test_every_query_file_is_covered_here():
    tested = {name.split("_")[1][1:] for name in globals() if name.startswith("test_q")}
    assert tested == {p.stem[:2] for p in queries_dir().glob("*.rq")}


def test_q01_officials_by_agency(seed):
    got = set(rows(seed, "01", "agencyName name title"))
    assert {("云南省科技厅", "王学勤", "党组书记"), ("云南省科技厅", "王学勤", "厅长"),
            ("昆明国家高新技术产业开发区管委会", "赵戍军", "二级巡视员")} <= got
    assert any(n == "陈勇" and t == "书记" and a.endswith("党工委") for a, n, t in got)


def test_q02_person_timeline(seed):
    got = set(rows(seed, "02", "name date kind"))
    assert {("王学勤", "2021-10-23", "调研"), ("陈勇", "2021-10-23", "调研"), ("赵戍军", "2021-10-23", "调研")} <= got


def test_q03_events_at_place(seed):
    got = {(p, e) for p, e in rows(seed, "03", "placeName eventName")}
    assert ("郑州市", "2021年全国大众创业、万众创新活动周") in got
    assert ("云南省高层次人才创新创业园", "王学勤到云南省高层次人才创新创业园调研“双创”工作") in got


def test_q04_companies_visited(seed):
    assert {c for (c,) in rows(seed, "04", "companyName")} == {"亮风台(云南)人工智能有限公司", "云南喜科科技有限公司"}


def test_q05_agency_divisions(seed):
    got = {(a, d) for a, d in rows(seed, "05", "agencyName divisionName")}
    assert {("云南省科技厅", "云南省科技厅区域处"), ("云南省科技厅", "云南省科技厅高新处"),
            ("科技部", "科技部火炬中心")} <= got


def test_q06_figures_by_area_year(seed):
    got = rows(seed, "06", "areaName value unit")
    assert len(got) == 34
    assert ("云南省", "156000000", "CNY") in got and ("云南省", "2360500", "m2") in got


def test_q07_evidence(seed):
    got = rows(seed, "07", "evidence start end")
    assert got and all(int(s) < int(e) for _, s, e in got)
    text = (SAMPLE / "seed-001.txt").read_text(encoding="utf-8")
    assert any("王學(xué)勤" in text[int(s):int(e)] for _, s, e in got)  # offsets point into the original


def test_q08_park_inspections_by_year(seed):
    got = set(rows(seed, "08", "year officialName parkName"))
    assert ("2021", "王学勤", "云南省高层次人才创新创业园") in got


def test_q09_parks_and_managers(seed):
    got = set(rows(seed, "09", "parkName managerName placeName"))
    assert ("昆明国家高新技术产业开发区", "昆明国家高新技术产业开发区管委会", "昆明市") in got


def test_q10_articles(seed):
    assert rows(seed, "10", "headline date sourceName author publisherName") == [(
        "云南省科技厅厅长王学勤到云南省高层次人才创新创业园调研“双创”工作", "2021-10-26T16:15:51",
        "云南科技厅", "admin", "云南煤化工应用技术研究院有限公司")]


def test_q11_entities_per_class(seed):
    got = dict(rows(seed, "11", "class count"))
    assert got["https://w3id.org/govnews-kg/ontology#Official"] == "3"
    assert got["https://w3id.org/govnews-kg/ontology#Position"] == "5"
    assert got["https://w3id.org/govnews-kg/ontology#Observation"] == "34"


def test_q12_title_holders(seed):
    assert rows(seed, "12", "name orgName", title="厅长") == [("王学勤", "云南省科技厅")]


def test_q13_held_on_date(seed):
    director = {"title": "厅长", "orgName": "云南省科技厅"}
    assert rows(seed, "13", "name attestedOn", **director, date='"2021-10-26"') == [("王学勤", "2021-10-26")]
    assert rows(seed, "13", "name", **director, date='"2021-10-25"') == []  # dated by the article, not the visit
    assert len(rows(seed, "13", "name")) == 5  # every current position of the one article


def test_q14_merge_reasons():
    """The seed and a second article naming the same official: one node, and the reason is on record."""
    from corpus import shared_dir

    store = Store()
    build_corpus(store, sources([SAMPLE, shared_dir() / "corpus" / "dev" / "dev-05.txt"]))
    got = rows(store, "14", "name article key bodyName")
    people = [r for r in got if r[0] == "陈勇"]
    assert [r[1].rsplit("/", 1)[1] for r in people] == ["dev-05", "seed-001"]
    assert len({r[2] for r in people}) == 1, "one key in both articles: that is why they are one node"
    assert people[0][3] and people[0][3] == people[1][3], "told apart by the same body in both"
    assert all(len([r for r in got if r[0] == name]) >= 2 for name, *_ in got)
    assert rows(store, "14", "name", name="陈勇") == [("陈勇",), ("陈勇",)]
