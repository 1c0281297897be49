"""One article in, its RDF out: ingest → normalise → spaCy pipeline → records → N-Quads.

This is the library entry point the CLI, the store builder and the notebooks call.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from kg.ingest import Article, load
from kg.model import Entity, Extraction
from kg.normalise import normalise_keeping_script
from kg.pipeline import make_nlp
from kg.pipeline.state import DocState
from kg.rdf.mapping import to_nquads
from kg.serialise import to_rdflib

_PUBLISHER_CLASS = (("公司", "Company"), ("集团", "Company"))


def doc_id_for(path: Path) -> str:
    """The article's identifier: its file name without extension."""
    return path.stem


def run_pipeline(article: Article, doc_id: str) -> Extraction:
    """Run the spaCy pipeline over an article's clean text."""
    nlp = make_nlp()
    doc = nlp.make_doc(article.clean.text)
    doc._.kg = DocState(doc_id=doc_id, meta=article.meta, text=article.clean.text)
    doc = nlp(doc)
    ex = doc._.kg.extraction
    _link_publisher(ex)
    return ex


def _link_publisher(ex: Extraction) -> None:
    """Turn the site name of the page chrome into an organisation entity."""
    name = ex.meta.publisher
    if not name:
        return
    for key, ent in ex.entities.items():
        if ent.name == name or name in ent.aliases:
            ex.meta.publisher = key
            return
    cls = next((c for suffix, c in _PUBLISHER_CLASS if name.endswith(suffix)), "Organization")
    key = "publisher"
    ex.entities[key] = Entity(key=key, type=cls, name=name, context=f"org:{name}")
    ex.meta.publisher = key


def _originals(article: Article, ex: Extraction) -> dict[str, set[str]]:
    """Traditional-script spellings of entity names, where the page used them.

    A name tends to be written the same way at each mention, so each distinct
    spelling of the page is cleaned up once per article.
    """
    out: dict[str, set[str]] = {}
    src, clean = article.source, article.clean
    unsimplified: dict[str, str] = {}  # as the page wrote it -> cleaned up, not yet simplified
    for key, ent in ex.entities.items():
        for span in ent.mentions:
            s, e = clean.source_span(span.start, span.end)
            written, read = src[s:e], clean.text[span.start:span.end]
            if written == read:
                continue  # written as it is read: nothing to clean up, no other spelling
            raw = unsimplified.get(written)
            if raw is None:
                raw = unsimplified[written] = normalise_keeping_script(written)
            if raw != read and len(raw) == len(read):
                out.setdefault(key, set()).add(raw)
    return out


def extract_path(path: str | Path, doc_id: str | None = None) -> tuple[Article, Extraction]:
    """Read and extract one file; raises :class:`kg.errors.InputError` on unusable input."""
    path = Path(path)
    article = load(path)
    return article, run_pipeline(article, doc_id or doc_id_for(path))


def valid_text(name: str) -> str:
    """A file name as text an RDF writer accepts: bytes that were not UTF-8 become U+FFFD.

    Python keeps such bytes of a name as lone surrogates (``os.fsdecode``), which no
    RDF writer accepts. (IRIs need no such care: :mod:`kg.rdf.iris` hashes any str.)
    """
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def extract_nquads(path: str | Path, doc_id: str | None = None) -> str:
    """One article file to N-Quads (entity graph + the article's named graph): the fast path."""
    path = Path(path)
    article, ex = extract_path(path, doc_id)
    return to_nquads(ex, article.clean, _originals(article, ex),
                     source_file=valid_text(path.name), content_hash=article.content_hash)


def extract_quads(path: str | Path, doc_id: str | None = None) -> list[ox.Quad]:
    """One article file to Oxigraph quads."""
    return list(ox.parse(extract_nquads(path, doc_id), format=ox.RdfFormat.N_QUADS))


def extract_file(path: str | Path, doc_id: str | None = None) -> Dataset:
    """One article file to an rdflib Dataset, for rdflib-based tools (notebooks, the scorer)."""
    return to_rdflib(extract_quads(path, doc_id))
