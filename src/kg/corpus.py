"""Corpus builds: many articles into one store, in parallel, incrementally, resumably.

Extraction (the costly part) runs in worker processes; each worker returns an
article's quads as canonical N-Quads bytes, and the parent writes them to the store
one article per transaction (:meth:`kg.store.Store.replace_article`). So a build
killed at any moment leaves only whole articles, and running it again finishes the
job: an article whose bytes have not changed since it was stored (same SHA-256 as
its ``kg:contentHash``) is skipped, and a changed one replaces its named graph.

Articles are identified by their path relative to the folder given on the command
line (``news/2021/a.html`` → ``news-2021-a``), or by their file name when given as a
file, so two ``index.html`` in different folders stay two articles.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError, KGError
from kg.ingest import content_hash, read_source
from kg.rdf import iris
from kg.store import Store

OnError = str  # "fail" or "skip"
ARTICLE_SUFFIXES = (".txt", ".html", ".htm")


@dataclass(frozen=True)
class Source:
    """One input article: where it is and the id its IRIs are minted from."""

    path: Path
    doc_id: str


@dataclass
class BuildReport:
    """What a corpus build did."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)


def sources(inputs: Iterable[str | Path]) -> list[Source]:
    """The articles named by ``inputs`` (files, or folders searched recursively), with their ids."""
    found: dict[str, Source] = {}
    for given in map(Path, inputs):
        if given.is_dir():
            paths = [p for p in given.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
                     and not any(part.startswith(".") for part in p.relative_to(given).parts)]
            pairs = [(p, p.relative_to(given).with_suffix("").as_posix()) for p in paths]
        elif given.is_file():
            if given.suffix.lower() not in ARTICLE_SUFFIXES:
                raise InputError(f"{given}: not an article file ({', '.join(ARTICLE_SUFFIXES)})")
            pairs = [(given, given.stem)]
        else:
            raise InputError(f"{given}: no such file or folder")
        for path, doc_id in pairs:
            key = iris.safe_id(doc_id)
            if key in found and found[key].path.resolve() != path.resolve():
                raise InputError(f"{path}: same article id as {found[key].path} ({key}); rename one of them")
            found[key] = Source(path, doc_id)
    if not found:
        raise InputError(f"{', '.join(map(str, inputs))}: no article files ({', '.join(ARTICLE_SUFFIXES)}) found")
    return sorted(found.values(), key=lambda s: iris.safe_id(s.doc_id))


def stored_hashes(store: Store) -> dict[str, str]:
    """Article graph IRI → the content hash it was built from."""
    q = "SELECT ?g ?h WHERE { GRAPH ?g { ?a a kg:Article ; kg:contentHash ?h } }"
    return {row[0].value: row[1].value for row in store.query(q)}


def _extract(source: Source) -> tuple[Source, bytes | None, str | None]:
    """Worker: one article to canonical N-Quads, or the one-line reason it failed."""
    from kg.extract import extract_file
    from kg.serialise import serialise

    try:
        return source, serialise(extract_file(source.path, source.doc_id), ".nq"), None
    except KGError as err:
        return source, None, str(err)
    except Exception as err:  # a bug on one article must not stop a corpus build
        return source, None, f"{source.path}: extraction failed ({type(err).__name__}: {err})"


def _results(todo: list[Source], jobs: int) -> Iterator[tuple[Source, bytes | None, str | None]]:
    if jobs <= 1 or len(todo) < 2:
        yield from map(_extract, todo)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_extract, todo, chunksize=max(1, min(16, len(todo) // (jobs * 8))))


def build_corpus(store: Store, todo: list[Source], *, jobs: int = 1, on_error: OnError = "fail",
                 fresh: bool = False, advance: Callable[[int], None] | None = None) -> BuildReport:
    """Extract and store every source whose bytes changed since it was stored.

    ``jobs`` worker processes extract in parallel; the store is written by this
    process alone, one article per transaction, so the result does not depend on
    ``jobs`` or on the order articles finish in. ``on_error="skip"`` records a bad
    article in the report and goes on. With ``"fail"`` every file is first read and
    decoded, so a bad input (empty, binary, unreadable, too large) stops the build
    before anything is written; an article that fails later, in extraction, raises
    its error with the articles before it stored. ``fresh`` empties the store once
    that check has passed. ``advance(n)`` is called as articles are done.
    """
    if on_error != "skip":
        for s in todo:
            read_source(s.path)
    if fresh:
        store.clear()
    report = BuildReport()
    known = stored_hashes(store)
    pending = []
    for s in todo:
        graph = str(iris.article_graph_iri(s.doc_id))
        if known.get(graph) == content_hash(s.path):
            report.unchanged.append(graph)
        else:
            pending.append(s)
    if advance and report.unchanged:
        advance(len(report.unchanged))
    for source, data, error in _results(pending, jobs):
        if error is not None:
            if on_error != "skip":
                raise KGError(error)
            report.failed.append((source.path, error))
        else:
            graph = str(iris.article_graph_iri(source.doc_id))
            store.replace_article(graph, ox.parse(data, format=ox.RdfFormat.N_QUADS))
            report.written.append(graph)
        if advance:
            advance(1)
    return report


def default_jobs() -> int:
    """Worker processes for a build: the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
