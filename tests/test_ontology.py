"""The ontology file is the source of truth: the code's vocabulary, the contract and a reasoner agree with it.

The contract's terms are copied here rather than read from ``../shared`` so the test
stands on its own wherever the repository is checked out.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from owlready2 import OwlReadyInconsistentOntologyError, World, sync_reasoner
from rdflib import Dataset, Graph, Literal, Namespace
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import URIRef

from kg.paths import ontology_dir
from kg.rdf.namespaces import KG, KG_IRI

KGR = Namespace("https://w3id.org/govnews-kg/id/")
ONTOLOGY_IRI = URIRef("https://w3id.org/govnews-kg/ontology")
DATA = Path(__file__).parent / "data"

CONTRACT_CLASSES = "Person Official Organization Agency Company Park Event Place Article Position Observation".split()
CONTRACT_OBJECT_PROPERTIES = (
    "holdsPosition holder organization subOrganizationOf manages locatedIn participant organizer "
    "location partOf mentionedIn area about publisher"
).split()
CONTRACT_DATATYPE_PROPERTIES = (
    "title startDate endDate measure value unit refPeriod datePublished headline author sourceName "
    "evidence charStart charEnd"
).split()
TERM_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}

# Literal datatypes outside the OWL 2 datatype map, which HermiT refuses to parse.
NOT_OWL2_DATATYPES = {XSD.date, XSD.gYear, XSD.gYearMonth}


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ontology_dir() / "kg.ttl", format="turtle")


def _code_terms() -> set[URIRef]:
    return {URIRef(KG_IRI + name) for name in KG.__annotations__}


def _declared_kg_terms(onto: Graph) -> set[URIRef]:
    return {
        term
        for kind in TERM_TYPES
        for term in onto.subjects(RDF.type, kind)
        if isinstance(term, URIRef) and term.startswith(KG_IRI)
    }


def _languages(onto: Graph, term: URIRef, predicate: URIRef) -> set[str]:
    return {o.language for o in onto.objects(term, predicate) if isinstance(o, Literal) and o.language}


def test_ontology_header(onto: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    assert onto.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    for annotation in ("title", "description", "license"):
        assert onto.value(ONTOLOGY_IRI, URIRef(f"http://purl.org/dc/terms/{annotation}")) is not None


@pytest.mark.parametrize("term", sorted(_code_terms()), ids=lambda t: t.removeprefix(KG_IRI))
def test_code_term_is_declared_with_labels_and_definitions(onto: Graph, term: URIRef) -> None:
    assert set(onto.objects(term, RDF.type)) & TERM_TYPES, "no owl:Class / owl:*Property type"
    assert {"en", "zh"} <= _languages(onto, term, RDFS.label)
    assert {"en", "zh"} <= _languages(onto, term, SKOS.definition)


def test_every_declared_kg_term_is_in_the_code(onto: Graph) -> None:
    assert _declared_kg_terms(onto) - _code_terms() == set()


def test_contract_terms_are_declared_with_their_kind(onto: Graph) -> None:
    expected = (
        [(name, OWL.Class) for name in CONTRACT_CLASSES]
        + [(name, OWL.ObjectProperty) for name in CONTRACT_OBJECT_PROPERTIES]
        + [(name, OWL.DatatypeProperty) for name in CONTRACT_DATATYPE_PROPERTIES]
    )
    missing = [name for name, kind in expected if (KG[name], RDF.type, kind) not in onto]
    assert missing == []


def test_contract_axioms(onto: Graph) -> None:
    assert (KG.holdsPosition, OWL.inverseOf, KG.holder) in onto
    assert (KG.Official, RDFS.subClassOf, KG.Person) in onto
    assert (KG.Agency, RDFS.subClassOf, KG.Organization) in onto
    assert (KG.Company, RDFS.subClassOf, KG.Organization) in onto
    assert (KG.value, RDFS.range, XSD.decimal) in onto
    assert (KG.charStart, RDFS.range, XSD.integer) in onto
    assert (KG.charEnd, RDFS.range, XSD.integer) in onto
    assert (KG.title, RDFS.range, RDF.langString) in onto
    assert (KG.measure, RDFS.range, RDF.langString) in onto


CHECKS = sorted((ontology_dir() / "checks").glob("*.rq"))


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.stem)
def test_sparql_check_returns_no_rows(onto: Graph, check: Path) -> None:
    rows = list(onto.query(check.read_text(encoding="utf-8")))
    assert rows == [], f"{check.name}: {check.read_text(encoding='utf-8').splitlines()[0]}"


# One broken ontology per check, to show each check can fail.
BROKEN = {
    "label-en-zh": 'kg:X a owl:Class ; rdfs:label "x"@en .',
    "definition-en-zh": 'kg:X a owl:Class ; skos:definition "x"@en .',
    "single-label-per-language": 'kg:X a owl:Class ; rdfs:label "x"@en , "y"@en .',
    "duplicate-label": 'kg:X a owl:Class ; rdfs:label "x"@en . kg:Y a owl:Class ; rdfs:label "x"@en .',
    "object-and-datatype-property": "kg:p a owl:ObjectProperty , owl:DatatypeProperty .",
    "range-kind": "kg:p a owl:ObjectProperty ; rdfs:range xsd:string .",
    "undeclared-reference": "kg:X a owl:Class ; rdfs:subClassOf kg:Typo .",
    "undeclared-kg-term": "[] a owl:AllDisjointClasses ; owl:members ( kg:Typo ) .",
}
PREFIXES = f"""
@prefix kg: <{KG_IRI}> . @prefix owl: <{OWL}> . @prefix rdfs: <{RDFS}> .
@prefix skos: <{SKOS}> . @prefix xsd: <{XSD}> .
"""


def test_every_check_has_a_broken_example() -> None:
    assert {p.stem for p in CHECKS} == set(BROKEN)


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.stem)
def test_sparql_check_finds_its_broken_example(check: Path) -> None:
    broken = Graph().parse(data=PREFIXES + BROKEN[check.stem], format="turtle")
    assert list(broken.query(check.read_text(encoding="utf-8"))) != []


# --- reasoning (owlready2 + HermiT) -------------------------------------------------------

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs a Java runtime")


def _reason(graph: Graph, tmp_path: Path) -> World:
    """Run HermiT on ``graph`` in a fresh world; owlready2 reads N-Triples, not Turtle."""
    path = tmp_path / "reason.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    world = World()
    world.get_ontology(path.as_uri()).load()
    sync_reasoner(world, infer_property_values=False, debug=0)
    return world


def _with_sample_data(onto: Graph) -> Graph:
    """The ontology plus the test graph's triples, minus literals HermiT cannot parse."""
    data = Dataset()
    data.parse(DATA / "valid.trig", format="trig")
    merged = Graph()
    merged += onto
    for s, p, o, _ in data.quads((None, None, None, None)):
        if not (isinstance(o, Literal) and o.datatype in NOT_OWL2_DATATYPES):
            merged.add((s, p, o))
    return merged


@needs_java
def test_ontology_is_consistent_with_no_unsatisfiable_class(onto: Graph, tmp_path: Path) -> None:
    world = _reason(onto, tmp_path)
    assert list(world.inconsistent_classes()) == []


@needs_java
def test_sample_graph_is_consistent_with_the_ontology(onto: Graph, tmp_path: Path) -> None:
    world = _reason(_with_sample_data(onto), tmp_path)
    assert list(world.inconsistent_classes()) == []


@needs_java
def test_reasoner_detects_a_disjointness_violation(onto: Graph, tmp_path: Path) -> None:
    graph = _with_sample_data(onto)
    graph.add((KGR["position/p1"], KG.holder, KGR["org/keji"]))  # an Agency where a Person belongs
    with pytest.raises(OwlReadyInconsistentOntologyError):
        _reason(graph, tmp_path)


@needs_java
def test_reasoner_reports_an_unsatisfiable_class(onto: Graph, tmp_path: Path) -> None:
    graph = Graph()
    graph += onto
    both = URIRef(KG_IRI + "PersonAndOrganization")
    graph.add((both, RDF.type, OWL.Class))
    graph.add((both, RDFS.subClassOf, KG.Person))
    graph.add((both, RDFS.subClassOf, KG.Organization))
    world = _reason(graph, tmp_path)
    assert str(both) in {c.iri for c in world.inconsistent_classes()}
