"""Kill ``kg build`` with SIGKILL at random moments; the store must hold whole articles and resume.

    .venv/bin/python bench/sigkill_build.py [--kills 20] [--seed 6] [--copies 6] [--during build|extraction]

The corpus is data/sample, the shared dev articles (../shared/corpus/dev/*.txt) and
``--copies`` generated variants of each (a closing line appended, so every variant
is a different article), enough for a build of a few seconds. A clean build gives the
reference: its export bytes, and for every article the counts of a single-article
extraction (``kg.extract.extract_file``): quads, positions, observations, and its
``kg:Article`` node.

Each trial starts ``kg build CORPUS --store S -o S.trig`` on an empty store, sends
SIGKILL to the ``kg build`` process at a random moment within the clean build's
duration (``--during extraction``: within the part of it when extraction workers
were running), and then checks:

* the store opens (read-write, so RocksDB must recover its log);
* every article graph in it is whole: its ``kg:Article`` node is there and its
  counts equal those of the clean single-article extraction;
* ``S.trig`` is absent or complete (the export is atomic);
* running the same build again exits 0 and exports the clean build's bytes.

It also records what the kill left: how many articles were stored (none: killed
while extracting; some: while writing; all: while exporting or validating), how
many extraction workers were running when the kill was sent and how many of them
(any process of the build's process group but a zombie) are still alive 2 s later
(they are then killed), any temporary file left beside ``S.trig``, and any build
spool folder (``.kg-build-S.*``) still there after the second build. A benchmark,
not a test: the result goes to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF

from kg.corpus import sources
from kg.extract import extract_file
from kg.rdf import iris
from kg.rdf.namespaces import KG
from kg.store import Store

REPO = Path(__file__).resolve().parents[1]
KG_EXE = Path(sys.executable).parent / "kg"


@dataclass
class Trial:
    at: float
    stored: int
    whole: bool
    export: str
    workers: int
    orphans: int
    temps: int
    spools: int
    resumed: bool


def make_corpus(root: Path, copies: int) -> Path:
    corpus = root / "corpus"
    originals = sorted((REPO / "data" / "sample").glob("*.txt"))
    originals += sorted((REPO.parent / "shared" / "corpus" / "dev").glob("*.txt"))
    for f in originals:
        (corpus / "orig").mkdir(parents=True, exist_ok=True)
        shutil.copy(f, corpus / "orig" / f.name)
        for k in range(copies):
            variant = corpus / f"v{k:02d}" / f.name
            variant.parent.mkdir(exist_ok=True)
            variant.write_bytes(f.read_bytes() + f"\n本文第{k + 1}次转载。\n".encode(_encoding(f)))
    return corpus


def _encoding(path: Path) -> str:
    from kg.ingest import read_source

    return read_source(path)[1]


def reference(corpus: Path) -> dict[str, tuple[int, int, int, int]]:
    """Article graph IRI → (quads, Article nodes, positions, observations) of a single extraction."""
    out = {}
    for source in sources([corpus]):
        ds = extract_file(source.path, source.doc_id)
        graph = ds.graph(iris.article_graph_iri(source.doc_id))
        kinds = (len(set(graph.subjects(RDF.type, c))) for c in (KG.Article, KG.Position, KG.Observation))
        out[str(graph.identifier)] = (len(graph), *kinds)
    return out


def stored_stats(store: Path) -> dict[str, tuple[int, int, int, int]]:
    """The same counts for every article graph in a store."""
    rdf_type = ox.NamedNode(str(RDF.type))
    classes = [ox.NamedNode(str(c)) for c in (KG.Article, KG.Position, KG.Observation)]
    out = {}
    with Store(store) as st:  # read-write: RocksDB recovers its write-ahead log here
        for graph in st.article_graphs():
            quads = list(st.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
            kinds = (len({q.subject for q in quads if q.predicate == rdf_type and q.object == c}) for c in classes)
            out[graph] = (len(quads), *kinds)
    return out


def build(corpus: Path, store: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([str(KG_EXE), "build", str(corpus), "--store", str(store), "-o", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def _stat(pid: str) -> tuple[str, int, int] | None:
    """(state, parent pid, process group) of a process, from /proc; None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    return fields[0], int(fields[1]), int(fields[2])


def processes(where) -> list[int]:
    """Live processes (zombies, already dead, left out) whose (parent pid, group) satisfy ``where``."""
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit() and (stat := _stat(pid)) is not None and stat[0] != "Z" and where(stat[1], stat[2]):
            found.append(int(pid))
    return found


def survivors(pgid: int, wait_s: float = 2.0) -> int:
    """Processes of the killed build's group still alive after ``wait_s`` (its orphaned workers)."""
    deadline = time.monotonic() + wait_s
    while (alive := processes(lambda _ppid, group: group == pgid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return len(alive)


def worker_window(proc: subprocess.Popen, start: float) -> tuple[float, float]:
    """Wait for ``proc`` to end; return when (since ``start``) it first and last had a live child."""
    seen: list[float] = []
    while proc.poll() is None:
        if processes(lambda ppid, _group: ppid == proc.pid):
            seen.append(time.perf_counter() - start)
        time.sleep(0.02)
    assert seen, "the clean build never started a worker process (is --jobs 1 the default here?)"
    return seen[0], seen[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--copies", type=int, default=6)
    parser.add_argument("--during", choices=["build", "extraction"], default="build",
                        help="kill at a random moment of the whole build, or of its extraction phase")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    root = Path(tempfile.mkdtemp(prefix="kg-sigkill-"))
    try:
        corpus = make_corpus(root, args.copies)
        expected = reference(corpus)
        start = time.perf_counter()
        clean = build(corpus, root / "clean", root / "clean.trig")
        first, last = worker_window(clean, start)
        _, err = clean.communicate()
        duration = time.perf_counter() - start
        assert clean.returncode == 0, err.decode()
        clean_bytes = (root / "clean.trig").read_bytes()
        assert stored_stats(root / "clean") == expected, "a clean build differs from single extractions"
        print(f"{len(expected)} articles; clean build {duration:.1f} s, workers alive from {first:.1f} s to "
              f"{last:.1f} s; {len(clean_bytes)} bytes exported")

        trials = []
        for n in range(args.kills):
            store, out = root / f"s{n}", root / f"s{n}.trig"
            at = rng.uniform(first, last) if args.during == "extraction" else rng.uniform(0.05, 1.0) * duration
            proc = build(corpus, store, out)
            time.sleep(at)
            workers = len(processes(lambda ppid, _group, pid=proc.pid: ppid == pid))
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            orphans = survivors(proc.pid)
            if orphans:
                os.killpg(proc.pid, signal.SIGKILL)
                time.sleep(0.3)
            stats = stored_stats(store) if store.exists() else {}
            whole = all(expected.get(g) == s for g, s in stats.items())
            export = "absent" if not out.exists() else ("complete" if out.read_bytes() == clean_bytes else "PARTIAL")
            temps = sum(1 for p in root.iterdir() if p.name.startswith(f".{out.name}."))
            again = subprocess.run([str(KG_EXE), "build", str(corpus), "--store", str(store), "-o", str(out)],
                                   capture_output=True, check=False)
            resumed = again.returncode == 0 and out.read_bytes() == clean_bytes
            spools = sum(1 for p in root.iterdir() if p.name.startswith(f".kg-build-{store.name}."))
            trials.append(Trial(at, len(stats), whole, export, workers, orphans, temps, spools, resumed))
            t = trials[-1]
            print(f"kill {n + 1:2d} at {at:5.2f} s: {t.stored:3d}/{len(expected)} articles stored, "
                  f"whole={t.whole}, export {t.export}, workers at the kill {t.workers}, surviving {t.orphans}, "
                  f"temp files {t.temps}, spools after resuming {t.spools}, resumed to clean bytes={t.resumed}",
                  flush=True)
            shutil.rmtree(store, ignore_errors=True)

        ok = sum(t.whole and t.resumed and t.export != "PARTIAL" and not t.orphans and not t.spools for t in trials)
        phases = {"extracting (none stored)": sum(t.stored == 0 for t in trials),
                  "writing (some stored)": sum(0 < t.stored < len(expected) for t in trials),
                  "after writing (all stored)": sum(t.stored == len(expected) for t in trials)}
        print(f"\n{ok}/{len(trials)} kills left a store of whole articles that a second build completed "
              f"to the clean bytes, and no worker alive; kill moments: {phases}; kills with workers running: "
              f"{sum(t.workers > 0 for t in trials)}; surviving workers: {sum(t.orphans for t in trials)} in "
              f"{sum(t.orphans > 0 for t in trials)} kills; left temporary files: {sum(t.temps > 0 for t in trials)}; "
              f"spool folders left after resuming: {sum(t.spools for t in trials)}")
        return 0 if ok == len(trials) else 1
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
