"""The vocabularies the graph speaks, declared once.

``KG`` is a closed namespace: naming a term the ontology does not declare raises
at import time instead of silently minting a new IRI. ``tests/test_ontology.py``
checks that every term listed here is declared in ``ontology/kg.ttl`` and back.
"""

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace
from rdflib.term import URIRef

KG_IRI = "https://w3id.org/govnews-kg/ontology#"
KGR_IRI = "https://w3id.org/govnews-kg/id/"


class KG(DefinedNamespace):
    """Terms of the govnews-kg ontology (contract v1 plus project extensions)."""

    _NS = Namespace(KG_IRI)
    _fail = True

    # classes (contract)
    Person: URIRef
    Official: URIRef
    Organization: URIRef
    Agency: URIRef
    Company: URIRef
    Park: URIRef
    Event: URIRef
    Place: URIRef
    Article: URIRef
    Position: URIRef
    Observation: URIRef
    # properties (contract)
    holdsPosition: URIRef
    holder: URIRef
    organization: URIRef
    title: URIRef
    subOrganizationOf: URIRef
    manages: URIRef
    locatedIn: URIRef
    participant: URIRef
    organizer: URIRef
    location: URIRef
    partOf: URIRef
    startDate: URIRef
    endDate: URIRef
    mentionedIn: URIRef
    measure: URIRef
    value: URIRef
    unit: URIRef
    refPeriod: URIRef
    area: URIRef
    about: URIRef
    datePublished: URIRef
    headline: URIRef
    author: URIRef
    sourceName: URIRef
    publisher: URIRef
    evidence: URIRef
    charStart: URIRef
    charEnd: URIRef
    # project extensions
    eventKind: URIRef  # the kind word of an event: 调研, 座谈会, 大赛 …
    qualifier: URIRef  # 超过, 余, 近, 约 on a figure
    surfaceForm: URIRef  # the figure as written: 1.56亿元
    attestedOn: URIRef  # the date a position is attested at
    isPast: URIRef  # a position introduced with 时任 / 原
    sourceFile: URIRef  # the input file an article was read from
    contentHash: URIRef  # sha256 of the article's bytes, for incremental builds
    resolutionKey: URIRef  # what an article identified an entity by: the reason for a merge
    identifiedBy: URIRef  # the body that tells a person apart from namesakes
    Post: URIRef  # one title in one organisation, whoever holds it (org:Post)
    post: URIRef  # the post a position fills
    postIn: URIRef  # the organisation a post belongs to
    postTitle: URIRef  # a post's title
    year: URIRef  # the year of an event's start or an observation's period, as an integer


KGR = Namespace(KGR_IRI)
PREFIXES = {
    "kg": KG_IRI,
    "kgr": KGR_IRI,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "prov": "http://www.w3.org/ns/prov#",
    "owl": "http://www.w3.org/2002/07/owl#",
}
ENTITY_GRAPH = KGR["graph/entities"]
