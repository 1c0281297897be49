"""The only place resource IRIs are minted: deterministic, readable, stable across runs.

An IRI is a class path plus a short hash of what identifies the thing (see
docs/graph-layout.md), so the same input gives the same IRIs on every machine and
one real-world entity met in two articles gets one IRI.

IRIs are plain strings: the N-Quads mapper writes them as they are, and rdflib and
Oxigraph take a string wherever they take an IRI. (An rdflib ``Namespace`` lookup
checks and wraps every IRI; minted per record, that was a tenth of the mapping's time.)
"""

from __future__ import annotations

import hashlib
import re

from kg.rdf.namespaces import KGR_IRI

_PATH_OF_TYPE = {
    "Official": "person", "Person": "person",
    "Agency": "org", "Company": "org", "Organization": "org",
    "Park": "park", "Place": "place",
}
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def digest(*parts: str) -> str:
    """16 hex digits of SHA-1 over the parts, joined unambiguously (any str, lone surrogates too)."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def safe_id(text: str) -> str:
    """An IRI-safe local name: ASCII letters, digits, dot, dash and underscore only."""
    cleaned = _SAFE.sub("-", text).strip("-")
    return cleaned or digest(text)


def entity_iri(etype: str, identity: str) -> str:
    """IRI of an entity of class ``etype`` identified by ``identity`` (its resolution key)."""
    return f"{KGR_IRI}{_PATH_OF_TYPE[etype]}/{digest(identity)}"


def event_iri(name: str, start: str | None) -> str:
    return f"{KGR_IRI}event/{digest(name, start or '')}"


def article_iri(doc_id: str) -> str:
    return f"{KGR_IRI}article/{safe_id(doc_id)}"


def article_graph_iri(doc_id: str) -> str:
    return f"{KGR_IRI}graph/article/{safe_id(doc_id)}"


def position_iri(doc_id: str, holder: str, title: str, org: str) -> str:
    return f"{KGR_IRI}position/{digest(doc_id, holder, title, org)}"


def post_iri(org: str, title: str) -> str:
    """One title in one organisation: every article's positions of it share the post."""
    return f"{KGR_IRI}post/{digest(org, title)}"


def observation_iri(doc_id: str, measure: str, value: str, unit: str, offset: int) -> str:
    return f"{KGR_IRI}observation/{digest(doc_id, measure, value, unit, str(offset))}"


def statement_iri(doc_id: str, s: str, p: str, o: str, offset: int) -> str:
    """One evidence node per relation and sentence: a fact stated twice has two sources."""
    return f"{KGR_IRI}statement/{digest(doc_id, s, p, o, str(offset))}"
