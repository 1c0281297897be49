"""The extraction components on small invented articles (names made up, places real)."""

from decimal import Decimal
from pathlib import Path

import pytest

from kg.extract import extract_nquads, extract_path

ARTICLE = """湖南省科技厅厅长张建国到长沙高新区调研

来源：湖南科技厅　2022-05-07

2022年5月6日，湖南省科技厅党组书记、厅长张建国到长沙国家高新技术产业开发区调研，实地调研星辰测试科技有限公司、湘江示范材料有限公司。
长沙高新区管委会主任李明远介绍园区发展情况。省科技厅高新处、区域处负责人，长沙市副市长周立新参加调研。
截至2021年底，全省共有省级众创空间120家，累计获投融资2.5亿元，可使用总面积15.5万平方米，其中超过30家获国家级备案。
经国务院批准，2022年全国大众创业、万众创新活动周于2022年9月15日至21日举行。
"""


@pytest.fixture(scope="module")
def extraction(tmp_path_factory):
    f = tmp_path_factory.mktemp("a") / "sample.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    return extract_path(f)[1]


def _by_name(ex):
    return {e.name: e for e in ex.entities.values()}


def test_entities_and_types(extraction):
    names = _by_name(extraction)
    assert names["张建国"].type == "Official"
    assert names["湖南省科技厅"].type == "Agency"
    assert "省科技厅" in names["湖南省科技厅"].aliases
    assert names["长沙国家高新技术产业开发区"].type == "Park"
    assert "长沙高新区" in names["长沙国家高新技术产业开发区"].aliases
    assert names["星辰测试科技有限公司"].type == "Company"
    assert names["湖南省"].type == "Place"
    assert "负责人" not in names and "调研组" not in names


def test_positions_from_title_chains(extraction):
    ents = extraction.entities
    got = {(ents[p.holder].name, p.title, ents[p.organization].name) for p in extraction.positions}
    assert ("张建国", "党组书记", "湖南省科技厅") in got
    assert ("张建国", "厅长", "湖南省科技厅") in got
    assert ("周立新", "副市长", "长沙市人民政府") in got  # implied government, named in full
    assert any(h == "李明远" and t == "主任" and o.startswith("长沙") and o.endswith("管委会") for h, t, o in got)


def test_structure_relations(extraction):
    ents = extraction.entities
    rels = {(ents[r.s].name, r.p, ents[r.o].name) for r in extraction.relations
            if r.s in ents and r.o in ents}
    assert ("湖南省科技厅高新处", "subOrganizationOf", "湖南省科技厅") in {
        (s.replace("省科技厅", "湖南省科技厅") if s.startswith("省") else s, p, o) for s, p, o in rels}
    assert any(p == "manages" and o == "长沙国家高新技术产业开发区" for _, p, o in rels)


def test_events_dates_and_links(extraction):
    evs = {e.name: e for e in extraction.events.values()}
    visit = next(e for e in evs.values() if e.kind == "调研")
    assert visit.start == "2022-05-06"
    week = evs["2022年全国大众创业、万众创新活动周"]
    assert (week.start, week.end) == ("2022-09-15", "2022-09-21")
    ents = extraction.entities
    links = {(r.s, r.p, ents[r.o].name) for r in extraction.relations if r.o in ents}
    assert (week.key, "organizer", "国务院") in links
    assert (visit.key, "location", "星辰测试科技有限公司") in links
    assert (visit.key, "participant", "张建国") in links


def test_figures_in_base_units(extraction):
    obs = {(o.value, o.unit): o for o in extraction.observations}
    assert (Decimal(120), "家") in obs
    assert (Decimal(250000000), "CNY") in obs
    assert (Decimal(155000), "m2") in obs
    assert obs[(Decimal(30), "家")].qualifier == "超过"
    assert obs[(Decimal(120), "家")].period == "2021"
    assert not any(o.value in (2022, 2021) for o in extraction.observations)  # years are not figures


def test_no_text_no_crash(tmp_path: Path):
    f = tmp_path / "x.txt"
    f.write_text("只有一句话，没有任何名字。", encoding="utf-8")
    ex = extract_path(f)[1]
    assert ex.positions == [] and ex.observations == []


def test_titles_in_brackets_after_a_name(tmp_path: Path):
    f = tmp_path / "b.txt"
    f.write_text("座谈会由刘振华（湖南省科技厅副厅长）主持，各单位负责人参加。", encoding="utf-8")
    ex = extract_path(f)[1]
    ents = ex.entities
    got = {(ents[p.holder].name, p.title, ents[p.organization].name) for p in ex.positions}
    assert got == {("刘振华", "副厅长", "湖南省科技厅")}


def test_past_positions_are_marked(tmp_path: Path):
    f = tmp_path / "c.txt"
    f.write_text("会议由时任湖南省科技厅厅长刘振华主持。", encoding="utf-8")
    ex = extract_path(f)[1]
    assert [p.past for p in ex.positions] == [True]


def test_distributive_figures_give_one_per_item(tmp_path: Path):
    f = tmp_path / "d.txt"
    f.write_text("截至2021年，全市众创空间、科技园区和孵化基地各有3个。", encoding="utf-8")
    ex = extract_path(f)[1]
    assert sorted(o.measure for o in ex.observations) == sorted(["众创空间", "科技园区", "孵化基地"])
    assert {(o.value, o.unit) for o in ex.observations} == {(Decimal(3), "个")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the short name opens the full one once its place is set aside: one company
        ("湖南某顺钢铁集团有限责任公司总经理李某明说，某顺集团今年营收增长。",
         {("湖南某顺钢铁集团有限责任公司", ("某顺集团",))}),
        ("江西某信信息技术股份有限公司成立于2010年。某信公司董事长方某介绍了情况。",
         {("江西某信信息技术股份有限公司", ("某信公司",))}),
        ("江西某信信息技术股份有限公司成立于2010年。某信股份党委书记方某介绍了情况。",
         {("江西某信信息技术股份有限公司", ("某信股份",))}),
        # 股份 alone is no company: only the short forms of the article's companies are
        ("该公司持有股份比例为30%。某某电子股份有限公司表示支持。", {("某某电子股份有限公司", ())}),
        # two companies open with the same words: the short name stays its own
        ("湖南某顺钢铁集团有限责任公司、某顺线缆集团有限公司参加，某顺集团表示支持。",
         {("湖南某顺钢铁集团有限责任公司", ()), ("某顺线缆集团有限公司", ()), ("某顺集团", ())}),
    ],
)
def test_a_company_short_name_is_the_company_it_abbreviates(tmp_path: Path, text: str, expected: set):
    f = tmp_path / "e.txt"
    f.write_text(text, encoding="utf-8")
    ex = extract_path(f)[1]
    assert {(e.name, tuple(sorted(e.aliases))) for e in ex.entities.values() if e.type == "Company"} == expected


def test_a_title_held_at_the_short_name_is_held_at_the_company(tmp_path: Path):
    f = tmp_path / "f.txt"
    f.write_text("江西某信信息技术股份有限公司成立于2010年。某信公司董事长方某介绍，某信股份总经理李某陪同。",
                 encoding="utf-8")
    ex = extract_path(f)[1]
    ents = ex.entities
    got = {(ents[p.holder].name, p.title, ents[p.organization].name) for p in ex.positions}
    company = "江西某信信息技术股份有限公司"
    assert got == {("方某", "董事长", company), ("李某", "总经理", company)}


def test_two_holders_of_one_title_share_one_post(tmp_path: Path):
    f = tmp_path / "g.txt"
    f.write_text("湖南省科技厅副厅长王某、副厅长李某出席会议。", encoding="utf-8")
    lines = extract_nquads(f, "g").splitlines()
    posts = {line.split(" ")[2] for line in lines if "ontology#post>" in line}
    assert len(posts) == 1 and sum("ontology#Post>" in line for line in lines) == 1
    assert len(lines) == len(set(lines))  # the post's own facts are written once
