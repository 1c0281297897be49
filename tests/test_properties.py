"""Invariants on arbitrary input: extraction never raises, spans stay in bounds, IRIs are
deterministic and valid, Turtle and TriG round-trip.

The properties run ``KG_PROPERTY_SCALE`` times their examples (1 in the suite; the
hardening bench, ``bench/properties.py``, raises it to run 100,000 cases and more).
"""

from __future__ import annotations

import html
import os
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from tempfile import TemporaryDirectory

import pyoxigraph as ox
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, XSD, BNode, Dataset, Literal
from rdflib.compare import isomorphic

from kg.errors import InputError
from kg.extract import extract_path
from kg.rdf import iris
from kg.rdf.iris import entity_iri
from kg.rdf.namespaces import ENTITY_GRAPH, KG, KGR
from kg.serialise import serialise

SCALE = int(os.environ.get("KG_PROPERTY_SCALE", "1"))

# Text built from the pieces articles are made of, so the rules actually fire.
PIECES = st.sampled_from([
    "湖南省", "科技厅", "厅长", "副市长", "张建国", "、", "，", "。", "\n", "(", ")", "(jìn)", "有限公司", "高新区",
    "管委会", "党工委", "书记", "到", "调研", "2021年", "10月", "23日", "至", "25日", "167家", "1.56亿元", "第七届",
    "大赛", "座谈会", "召开", "近日", "\u200b", "\u202e", "<", "&amp;", "市", "区委", "常委", "省", "进", "國",
])
TEXTS = st.one_of(st.lists(PIECES, max_size=40).map("".join), st.text(max_size=200))


@settings(max_examples=80 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.sampled_from(["txt", "html"]))
def test_extraction_never_raises_and_spans_are_in_bounds(text: str, kind: str):
    with TemporaryDirectory() as d:
        f = Path(d) / f"a.{kind}"
        if kind == "html":
            text = f"<html><body><h1>{html.escape(text[:20])}</h1><p>{html.escape(text)}</p></body></html>"
        f.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            article, ex = extract_path(f)
        except InputError:
            return
        n = len(article.clean.text)
        spans = [p.evidence for p in ex.positions] + [o.evidence for o in ex.observations]
        spans += [e.evidence for e in ex.events.values()] + [r.evidence for r in ex.relations]
        spans += [m for e in ex.entities.values() for m in e.mentions]
        for s in spans:
            assert 0 <= s.start < s.end <= n
            a, b = article.clean.source_span(s.start, s.end)
            assert 0 <= a < b <= len(article.source)


ANY_TEXT = st.text(alphabet=st.characters(codec=None), max_size=30)
"""Every code point, lone surrogates too (a file name that is not UTF-8 carries them)."""


@settings(max_examples=100 * SCALE, deadline=None)
@given(st.sampled_from(["Official", "Person", "Agency", "Company", "Organization", "Park", "Place"]),
       st.text(min_size=1, max_size=30), ANY_TEXT)
def test_iris_are_deterministic_and_safe(etype: str, key: str, other: str):
    iri = entity_iri(etype, key)
    assert iri == entity_iri(etype, key)
    assert all(c.isascii() and not c.isspace() for c in str(iri))
    if other != key:
        assert entity_iri(etype, other) != iri


@settings(max_examples=100 * SCALE, deadline=None)
@given(ANY_TEXT, ANY_TEXT, ANY_TEXT, ANY_TEXT, st.integers(min_value=0, max_value=10**9))
def test_every_minted_iri_is_a_valid_ascii_iri(doc_id: str, a: str, b: str, c: str, offset: int):
    minted = [
        iris.article_iri(doc_id), iris.article_graph_iri(doc_id), iris.event_iri(a, b or None),
        iris.position_iri(doc_id, a, b, c), iris.observation_iri(doc_id, a, b, c, offset),
        iris.statement_iri(doc_id, a, b, c, offset), entity_iri("Company", a),
    ]
    for iri in minted:
        assert str(iri).startswith(str(KGR))
        assert all(" " < ch < "\x7f" and ch not in '<>"{}|^`\\' for ch in str(iri)), iri
        assert ox.NamedNode(str(iri)).value == str(iri)  # Oxigraph parses it as an IRI
    again = [iris.article_iri(doc_id), iris.article_graph_iri(doc_id), iris.event_iri(a, b or None),
             iris.position_iri(doc_id, a, b, c), iris.observation_iri(doc_id, a, b, c, offset),
             iris.statement_iri(doc_id, a, b, c, offset), entity_iri("Company", a)]
    assert minted == again


# --- Turtle and TriG round trips -----------------------------------------------------

RDF_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=25)
"""Literal text: anything RDF can hold (no lone surrogates), quotes, backslashes and controls included."""
LOCAL = st.text(alphabet=st.sampled_from("abcxyz019-_.~张三某局"), min_size=1, max_size=12).filter(
    lambda t: not t.startswith(".") and not t.endswith("."))
NODES = st.builds(lambda kind, name: KGR[f"{kind}/{name}"], st.sampled_from(["person", "org", "park", "event"]),
                  LOCAL)
PREDICATES = st.sampled_from([RDFS.label, KG.title, KG.evidence, KG.charStart, KG.value, KG.startDate,
                              KG.locatedIn, KG.mentionedIn, RDF.type])
LITERALS = st.one_of(
    st.builds(lambda t, tag: Literal(t, lang=tag), RDF_TEXT, st.sampled_from(["zh", "en", "zh-hant"])),
    st.builds(Literal, RDF_TEXT),
    st.builds(lambda n: Literal(n, datatype=XSD.integer), st.integers(-10**12, 10**12)),
    st.builds(lambda d: Literal(d, datatype=XSD.decimal),
              st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**6, max_value=10**6)
              .map(lambda d: d.normalize() if d != 0 else Decimal(0))),
    st.builds(lambda d: Literal(d, datatype=XSD.date), st.dates(date(1900, 1, 1), date(2100, 1, 1))),
    st.builds(lambda d: Literal(d.isoformat(), datatype=XSD.dateTime), st.datetimes(datetime(1990, 1, 1),
                                                                                     datetime(2100, 1, 1))),
)
TRIPLE = st.tuples(st.one_of(NODES, st.builds(BNode, st.sampled_from(["b1", "b2"]))), PREDICATES,
                   st.one_of(NODES, LITERALS))
GRAPHS = st.sampled_from([ENTITY_GRAPH, KGR["graph/article/a-001"], KGR["graph/article/某某-002"]])


def _dataset(quads: list[tuple]) -> Dataset:
    ds = Dataset()
    for s, p, o, g in quads:
        if g == ENTITY_GRAPH and isinstance(s, BNode):
            s = KGR["org/bnode-free"]  # the entity graph holds no blank nodes (store.replace_article)
        ds.graph(g).add((s, p, o))
    return ds


def _graph_of(triples: object) -> rdflib.Graph:
    g = rdflib.Graph()
    for triple in triples:  # type: ignore[attr-defined]
        g.add(triple)
    return g


@settings(max_examples=60 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(TRIPLE, GRAPHS).map(lambda t: (*t[0], t[1])), max_size=12))
def test_trig_and_turtle_round_trip_isomorphically(quads: list[tuple]):
    ds = _dataset(quads)
    trig = serialise(ds, ".trig")
    back = Dataset()
    back.parse(data=trig, format="trig")
    for g in (ENTITY_GRAPH, KGR["graph/article/a-001"], KGR["graph/article/某某-002"]):
        assert isomorphic(_graph_of(ds.graph(g)), _graph_of(back.graph(g))), trig.decode()
    turtle = serialise(ds, ".ttl")
    merged = rdflib.Graph().parse(data=turtle, format="turtle")
    assert isomorphic(_graph_of((s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))), merged), turtle
    assert serialise(back, ".trig") == trig  # and canonical: parsing and writing again changes no byte
