"""Corpus builds: many articles into one store, in parallel, incrementally, resumably.

Extraction (the costly part) runs in worker processes, which die with the build
(even a SIGKILLed one, on Linux); each worker returns an article's quads as N-Quads
bytes, and the parent writes them to the store (:meth:`kg.store.Store.replace_article`:
the article graph in one transaction, after its entity facts). So a build killed at
any moment leaves only whole articles, and running it again finishes the job: an
article whose bytes have not changed since it was stored (same SHA-256 as its
``kg:contentHash``) is skipped, and a changed one replaces its named graph. By default
a build is all or nothing: articles are extracted to a temporary folder first and
written only once every one of them succeeded, so a bad article changes nothing.

Articles are identified by their path relative to the folder given on the command
line (``news/2021/a.html`` → ``news-2021-a``), or by their file name when given as a
file, so two ``index.html`` in different folders stay two articles.
"""

from __future__ import annotations

import ctypes
import glob
import os
import secrets
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError, KGError, StoreError
from kg.ingest import content_hash, read_source
from kg.rdf import iris
from kg.rdf.namespaces import ENTITY_GRAPH
from kg.serve import check_endpoint, push_article, put_graph
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
    compacted: bool = False
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
    """Worker: one article to N-Quads, or the one-line reason it failed.

    Not canonically sorted: the store is a set, and sorting cost as much as mapping.
    """
    from kg.extract import extract_nquads

    try:
        return source, extract_nquads(source.path, source.doc_id).encode("utf-8"), None
    except KGError as err:
        return source, None, str(err)
    except Exception as err:  # a bug on one article must not stop a corpus build
        return source, None, f"{source.path}: extraction failed ({type(err).__name__}: {err})"


def _results(todo: list[Source], jobs: int) -> Iterator[tuple[Source, bytes | None, str | None]]:
    """Each source's extraction, in ``todo``'s order, from ``jobs`` worker processes.

    Close the iterator (``contextlib.closing``) to stop early: work not yet started is
    cancelled instead of being extracted for nothing before the error is reported.
    """
    if jobs <= 1 or len(todo) < 2:
        yield from map(_extract, todo)
        return
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_die_with_parent, initargs=(os.getpid(),))
    try:
        yield from pool.map(_extract, todo, chunksize=max(1, min(16, len(todo) // (jobs * 8))))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_PR_SET_PDEATHSIG = 1
"""``prctl`` option from ``<linux/prctl.h>``: the signal a process gets when its parent dies."""


def _die_with_parent(parent: int) -> None:
    """Worker initialiser: make the worker die with the build process, even a SIGKILLed one.

    Pool workers otherwise outlive a killed build: each holds copies of the task
    queue's pipe, so none ever reads end-of-file, and they sleep on, each holding a
    loaded pipeline. On Linux the kernel SIGKILLs the worker when its parent dies; if
    the parent died before that was set up (the worker has been re-parented), it
    exits now. Elsewhere this is best effort: only the parent check.
    """
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl in this libc: the parent check below still runs
            pass
    if os.getppid() != parent:
        os._exit(1)


def build_corpus(store: Store, todo: list[Source], *, jobs: int = 1, on_error: OnError = "fail",
                 fresh: bool = False, advance: Callable[[int], None] | None = None,
                 stage: Callable[[str, int], None] | None = None, endpoint: str | None = None,
                 compact: bool | None = None) -> BuildReport:
    """Extract and store every source whose bytes changed since it was stored.

    ``jobs`` worker processes extract in parallel; the store is written by this
    process alone, one article per transaction, so the result does not depend on
    ``jobs`` or on the order articles finish in.

    ``on_error="fail"`` is all or nothing: every file is first read and decoded (a
    bad input stops the build at once), then every changed article is extracted to a
    temporary folder beside the store, and only when all of them succeeded are they
    written (``fresh`` empties the store just before). So an article that fails in
    extraction leaves the store as it was, and the corpus is never held in memory.
    ``on_error="skip"`` streams: each article is written as soon as it is extracted,
    a bad one is recorded in the report, and ``fresh`` empties the store first.

    ``endpoint`` (a Graph Store Protocol URL) also receives every article written,
    each before the local write, so an article the endpoint did not take is not
    recorded as stored and the next build sends it again; at the end the endpoint's
    entity graph is replaced by the store's. ``stage(name, total)`` announces each
    phase ("extracting", then "storing" in fail mode); ``advance(n)`` counts articles
    done within it, unchanged ones included in the first.

    ``compact`` (a last "compacting" phase, :meth:`kg.store.Store.optimize`): ``None``
    compacts when this build wrote at least a tenth of the store's articles, so the
    cost, which grows with the whole store, stays in proportion to the work done;
    ``True`` always, ``False`` never.
    """
    if endpoint is not None:
        check_endpoint(endpoint)
    progress = _Progress(advance, stage)
    if on_error == "skip":
        report = _build_streaming(store, todo, jobs, fresh, progress, endpoint)
    else:
        report = _build_atomic(store, todo, jobs, fresh, progress, endpoint)
    if endpoint is not None:
        put_graph(endpoint, str(ENTITY_GRAPH), store.oxigraph.quads_for_pattern(None, None, None, _ENTITIES))
    if compact or (compact is None and report.written
                   and len(report.written) * COMPACT_SHARE >= len(store.article_graphs())):
        progress.start("compacting", 1)
        store.optimize()
        progress.step()
        report.compacted = True
    return report


COMPACT_SHARE = 10
"""An automatic compaction follows a build that wrote at least 1/COMPACT_SHARE of the store's articles."""


_ENTITIES = ox.NamedNode(str(ENTITY_GRAPH))


@dataclass
class _Progress:
    """The caller's progress callbacks, either of which may be absent."""

    advance: Callable[[int], None] | None
    stage: Callable[[str, int], None] | None

    def start(self, name: str, total: int, done: int = 0) -> None:
        """A new phase of ``total`` articles, ``done`` of them already done."""
        if self.stage:
            self.stage(name, total)
        if done:
            self.step(done)

    def step(self, n: int = 1) -> None:
        """``n`` more articles done."""
        if self.advance:
            self.advance(n)


def _changed(store: Store, todo: list[Source], report: BuildReport, fresh: bool) -> list[Source]:
    """The sources to extract; the unchanged ones (same content hash as stored) go to ``report``."""
    known = {} if fresh else stored_hashes(store)
    pending = []
    for s in todo:
        graph = iris.article_graph_iri(s.doc_id)
        if known.get(graph) == content_hash(s.path):
            report.unchanged.append(graph)
        else:
            pending.append(s)
    return pending


FLUSH_EVERY = 200
"""Articles written between two flushes of the store's write buffers (see Store.flush)."""


def _store_article(store: Store, source: Source, data: bytes, endpoint: str | None, n: int) -> str:
    """Write the ``n``-th article's N-Quads to the store (and first to the endpoint); return its graph."""
    if n and n % FLUSH_EVERY == 0:
        store.flush()
    graph = iris.article_graph_iri(source.doc_id)
    if endpoint is not None:
        push_article(endpoint, graph, list(ox.parse(data, format=ox.RdfFormat.N_QUADS)))
    store.replace_article(graph, data)
    return graph


def _build_streaming(store: Store, todo: list[Source], jobs: int, fresh: bool, progress: _Progress,
                     endpoint: str | None) -> BuildReport:
    """``on_error="skip"``: write each article as it is extracted, record the bad ones."""
    if fresh:
        store.clear()
    report = BuildReport()
    pending = _changed(store, todo, report, fresh)
    progress.start("extracting", len(todo), len(report.unchanged))
    with closing(_results(pending, jobs)) as results:
        for source, data, error in results:
            if error is not None:
                report.failed.append((source.path, error))
            else:
                report.written.append(_store_article(store, source, data, endpoint, len(report.written)))
            progress.step()
    return report


def _build_atomic(store: Store, todo: list[Source], jobs: int, fresh: bool, progress: _Progress,
                  endpoint: str | None) -> BuildReport:
    """``on_error="fail"``: extract everything to a spool folder, then write it, or write nothing."""
    for s in todo:
        read_source(s.path)
    report = BuildReport()
    pending = _changed(store, todo, report, fresh)
    progress.start("extracting", len(todo), len(report.unchanged))
    with _spool(store) as spool:
        spooled = []
        with closing(_results(pending, jobs)) as results:
            for n, (source, data, error) in enumerate(results):
                if error is not None:
                    raise KGError(error)
                spooled.append((source, _spool_write(spool / f"{n:08d}.nq", data)))
                progress.step()
        if fresh:
            store.clear()
        progress.start("storing", len(spooled))
        for source, path in spooled:
            report.written.append(_store_article(store, source, path.read_bytes(), endpoint, len(report.written)))
            path.unlink()
            progress.step()
    return report


SPOOL_PREFIX = ".kg-build-"
"""A fail-mode build's temporary folder, beside the store: ``.kg-build-{store name}.{16 hex digits}``."""


@contextmanager
def _spool(store: Store) -> Iterator[Path]:
    """A temporary folder for the extracted articles, removed however the build ends.

    It sits beside the store (same disk, not the system's possibly memory-backed
    /tmp) and is named after it, so a build, holding the store's lock, may remove
    what a killed build of the same store left there (the fixed-length random part
    keeps another store's folders, ``store.old`` beside ``store``, from matching).
    """
    if store.path is None:
        parent, prefix = Path(tempfile.gettempdir()), SPOOL_PREFIX
    else:
        where = store.path.resolve()
        parent, prefix = where.parent, f"{SPOOL_PREFIX}{where.name}."
        for stale in parent.glob(glob.escape(prefix) + "[0-9a-f]" * 16):
            shutil.rmtree(stale, ignore_errors=True)
    folder = parent / f"{prefix}{secrets.token_hex(8)}"
    try:
        folder.mkdir(mode=0o700)
    except OSError as err:
        raise StoreError(f"{folder}: cannot make the build's temporary folder ({err.strerror or err})") from err
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _spool_write(path: Path, data: bytes) -> Path:
    """Write one extracted article to the spool; a full disk becomes one clear line."""
    try:
        path.write_bytes(data)
    except OSError as err:
        raise StoreError(f"{path.parent}: cannot write the build's temporary files ({err.strerror or err})") from err
    return path


def default_jobs() -> int:
    """Worker processes for a build: the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
