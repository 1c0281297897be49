"""SHACL validation of graphs laid out as docs/graph-layout.md says (entity graph + article graphs)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyshacl
import pytest
from rdflib import Dataset, Graph, Literal, Namespace
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from kg.errors import ValidationError
from kg.paths import ontology_dir
from kg.rdf.namespaces import ENTITY_GRAPH, KG
from kg.validate import ValidationReport, validate

KGR = Namespace("https://w3id.org/govnews-kg/id/")
ARTICLE_GRAPH = KGR["graph/article/a1"]
DATA = Path(__file__).parent / "data"

ZHANGSAN = KGR["person/zhangsan"]
POSITION = KGR["position/p1"]
OBSERVATION = KGR["observation/o1"]
EVENT = KGR["event/visit"]


@pytest.fixture
def dataset() -> Dataset:
    data = Dataset()
    data.parse(DATA / "valid.trig", format="trig")
    return data


def _entities(data: Dataset) -> Graph:
    return data.graph(ENTITY_GRAPH)


def _article(data: Dataset) -> Graph:
    return data.graph(ARTICLE_GRAPH)


def _paths(report: ValidationReport) -> set[str]:
    return {v.path for v in report.violations}


def test_sample_graph_conforms(dataset: Dataset) -> None:
    report = validate(dataset)
    assert report.conforms, report.text
    assert report.violations == []


def test_a_plain_graph_of_the_union_conforms(dataset: Dataset) -> None:
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    assert validate(union).conforms


def test_other_language_labels_are_allowed(dataset: Dataset) -> None:
    _entities(dataset).add((ZHANGSAN, RDFS.label, Literal("張三", lang="zh-Hant")))
    _entities(dataset).add((ZHANGSAN, RDFS.label, Literal("Zhang San", lang="en")))
    assert validate(dataset).conforms


def test_an_event_met_in_two_articles_keeps_both_evidences(dataset: Dataset) -> None:
    second = dataset.graph(KGR["graph/article/a2"])
    article = KGR["article/a2"]
    second.add((article, RDF.type, KG.Article))
    second.add((KGR["graph/article/a2"], PROV.wasDerivedFrom, article))
    second.add((EVENT, PROV.wasDerivedFrom, article))
    second.add((EVENT, KG.evidence, Literal("张三在某某高新区调研。")))
    second.add((EVENT, KG.charStart, Literal(100)))
    second.add((EVENT, KG.charEnd, Literal(112)))
    report = validate(dataset)
    assert report.conforms, report.text


def test_a_relation_stated_twice_in_one_article_keeps_both_evidences(dataset: Dataset) -> None:
    statement = KGR["statement/s1"]
    _article(dataset).add((statement, KG.evidence, Literal("高新处隶属某某省科技厅。")))
    _article(dataset).add((statement, KG.charStart, Literal(60)))
    _article(dataset).add((statement, KG.charEnd, Literal(72)))
    report = validate(dataset)
    assert report.conforms, report.text


def _second_zh_label(data: Dataset) -> None:
    _entities(data).add((ZHANGSAN, RDFS.label, Literal("张三丰", lang="zh")))


def _only_traditional_label(data: Dataset) -> None:
    _entities(data).remove((ZHANGSAN, RDFS.label, None))
    _entities(data).add((ZHANGSAN, RDFS.label, Literal("張三", lang="zh-Hant")))


def _untagged_alt_label(data: Dataset) -> None:
    _entities(data).add((KGR["org/keji"], SKOS.altLabel, Literal("科技厅")))


def _no_holder(data: Dataset) -> None:
    _article(data).remove((POSITION, KG.holder, None))


def _value_as_string(data: Dataset) -> None:
    _article(data).set((OBSERVATION, KG.value, Literal("42")))


def _char_start_as_string(data: Dataset) -> None:
    _article(data).set((POSITION, KG.charStart, Literal("0")))


def _char_start_after_end(data: Dataset) -> None:
    _article(data).set((POSITION, KG.charStart, Literal(30)))


def _ref_period_as_string(data: Dataset) -> None:
    _article(data).set((OBSERVATION, KG.refPeriod, Literal("2020")))


def _title_without_language(data: Dataset) -> None:
    _article(data).set((POSITION, KG.title, Literal("厅长")))


def _holder_is_an_organisation(data: Dataset) -> None:
    _article(data).set((POSITION, KG.holder, KGR["org/keji"]))


def _area_is_a_park(data: Dataset) -> None:
    _article(data).set((OBSERVATION, KG.area, KGR["park/gaoxinqu"]))


def _two_start_dates(data: Dataset) -> None:
    _article(data).add((EVENT, KG.startDate, Literal("2020-05", datatype=XSD.gYearMonth)))


def _date_published_as_string(data: Dataset) -> None:
    _article(data).set((KGR["article/a1"], KG.datePublished, Literal("2021年10月25日")))


def _no_post(data: Dataset) -> None:
    _article(data).remove((POSITION, KG.post, None))


def _post_in_a_person(data: Dataset) -> None:
    _entities(data).set((KGR["post/keji-tingzhang"], KG.postIn, ZHANGSAN))


def _year_as_string(data: Dataset) -> None:
    _article(data).set((EVENT, KG.year, Literal("2020")))


def _official_not_typed_person(data: Dataset) -> None:
    _entities(data).remove((ZHANGSAN, None, KG.Person))


BROKEN: list[tuple[Callable[[Dataset], None], str]] = [
    (_second_zh_label, "rdfs:label"),
    (_only_traditional_label, "rdfs:label"),
    (_untagged_alt_label, "skos:altLabel"),
    (_no_holder, "kg:holder"),
    (_value_as_string, "kg:value"),
    (_char_start_as_string, "kg:charStart"),
    (_char_start_after_end, "kg:charStart"),
    (_ref_period_as_string, "kg:refPeriod"),
    (_title_without_language, "kg:title"),
    (_holder_is_an_organisation, "kg:holder"),
    (_area_is_a_park, "kg:area"),
    (_two_start_dates, "kg:startDate"),
    (_date_published_as_string, "kg:datePublished"),
    (_no_post, "kg:post"),
    (_post_in_a_person, "kg:postIn"),
    (_year_as_string, "kg:year"),
]


@pytest.mark.parametrize(("break_it", "path"), BROKEN, ids=lambda x: getattr(x, "__name__", x))
def test_broken_graph_fails_naming_the_path(dataset: Dataset, break_it: Callable, path: str) -> None:
    break_it(dataset)
    report = validate(dataset)
    assert not report.conforms
    assert path in _paths(report), report.text
    assert path in report.text


def test_official_must_also_be_typed_person(dataset: Dataset) -> None:
    _official_not_typed_person(dataset)
    report = validate(dataset)
    assert any(v.focus == "kgr:person/zhangsan" and "kg:Person" in v.message for v in report.violations)


def test_violation_fields_are_short_strings(dataset: Dataset) -> None:
    _no_holder(dataset)
    (violation,) = validate(dataset).violations
    assert violation.focus == "kgr:position/p1"
    assert violation.path == "kg:holder"
    assert violation.severity == "Violation"
    assert "kg:holder" in violation.message


def test_shapes_are_valid_shacl() -> None:
    shapes = Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")
    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms, text


def test_unparsable_shapes_raise_validation_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "shapes.ttl").write_text("this is not turtle", encoding="utf-8")
    monkeypatch.setenv("KG_ONTOLOGY_DIR", str(tmp_path))
    with pytest.raises(ValidationError, match="shapes") as caught:
        validate(Graph())
    assert caught.value.__cause__ is not None


def test_missing_shapes_raise_validation_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_ONTOLOGY_DIR", str(tmp_path))
    with pytest.raises(ValidationError, match="shapes"):
        validate(Graph())


NOT_SHACL = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
<urn:s> a sh:NodeShape ; sh:targetNode <urn:x> ; sh:property [ sh:path <urn:p> ; sh:minCount "one" ] .
"""


def test_non_shacl_shapes_raise_validation_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "shapes.ttl").write_text(NOT_SHACL, encoding="utf-8")
    monkeypatch.setenv("KG_ONTOLOGY_DIR", str(tmp_path))
    with pytest.raises(ValidationError, match="could not run"):
        validate(Graph())
