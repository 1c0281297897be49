"""The Oxigraph SPARQL server over a built store, and pushing articles to a Graph Store endpoint.

Both run a real ``oxigraph`` server on 127.0.0.1, started and stopped by the test;
``kg build --endpoint`` is checked against one: the remote store must hold exactly
the quads of the local build.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner, Result

from corpus import shared_dir
from kg.cli import app
from kg.corpus import build_corpus, sources
from kg.extract import extract_file
from kg.ingest import content_hash
from kg.rdf.iris import article_graph_iri
from kg.rdf.namespaces import ENTITY_GRAPH
from kg.serialise import serialise
from kg.serve import oxigraph_binary, push_article, server_command
from kg.store import Store

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ask(base: str, sparql: str) -> list[dict]:
    """SELECT results of a query sent over HTTP, as SPARQL JSON bindings."""
    url = f"{base}/query?" + urllib.parse.urlencode({"query": sparql})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())["results"]["bindings"]


def running(cmd: list[str], base: str) -> Iterator[str]:
    """Start a server, wait until it answers, yield its base URL, stop it."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                ask(base, "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
                break
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None, "the server exited"
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    store = tmp_path / "store"
    with Store(store) as s:
        build_corpus(s, sources([SAMPLE]))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = server_command(store, port=port)
    assert "127.0.0.1:" + str(port) in cmd and "serve-read-only" in cmd
    yield from running(cmd, base)


def test_serve_answers_queries_over_all_graphs(served):
    rows = ask(served, "PREFIX kg: <https://w3id.org/govnews-kg/ontology#> "
                     "SELECT ?t WHERE { ?p a kg:Position ; kg:title ?t }")
    assert len(rows) == 5


def test_serve_refuses_updates(served):
    req = urllib.request.Request(f"{served}/update", data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                                 headers={"Content-Type": "application/sparql-update"}, method="POST")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    assert err.value.code in (403, 404, 405)
    assert not ask(served, "SELECT * WHERE { <urn:a> ?p ?o }")  # nothing was written


def test_push_article_to_a_graph_store_endpoint(tmp_path: Path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [oxigraph_binary(), "serve", "--location", str(tmp_path / "remote"), "--bind", f"127.0.0.1:{port}"]
    for _ in running(cmd, base):  # one server for this test
        ds = extract_file(SAMPLE / "seed-001.txt")
        graph = str(article_graph_iri("seed-001"))
        push_article(f"{base}/store", graph, ds)
        push_article(f"{base}/store", graph, ds)  # again: replaces, does not duplicate
        n = ask(base, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        local = len(ds.graph(article_graph_iri("seed-001")))
        assert int(n[0]["n"]["value"]) == local
        ents = ask(base, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ENTITY_GRAPH}> {{ ?s ?p ?o }} }}")
        assert int(ents[0]["n"]["value"]) > 0


def test_serve_refuses_a_folder_that_is_not_a_store(tmp_path: Path):
    import sys

    proc = subprocess.run([sys.executable, "-m", "kg.cli", "serve", "--store", str(tmp_path / "nothing")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.strip().startswith("error: ") and "not a store" in proc.stderr
    assert "Traceback" not in proc.stderr


# --- kg build --endpoint: the same graphs in a remote Graph Store -----------------


@pytest.fixture
def remote(tmp_path: Path) -> Iterator[str]:
    """A writable Oxigraph server on loopback, empty; yields its Graph Store URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [oxigraph_binary(), "serve", "--location", str(tmp_path / "remote"), "--bind", f"127.0.0.1:{port}"]
    for _ in running(cmd, base):
        yield f"{base}/store"


def remote_nquads(endpoint: str) -> bytes:
    """Every quad the remote store holds, as canonical N-Quads (the same bytes a local export gives)."""
    req = urllib.request.Request(endpoint, headers={"Accept": "application/n-quads"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return serialise(list(ox.parse(r.read(), format=ox.RdfFormat.N_QUADS)), ".nq")


def local_nquads(store: Path) -> bytes:
    with Store(store, read_only=True) as st:
        return serialise(st.oxigraph, ".nq")


def per_graph(nquads: bytes) -> Counter:
    """Quads per named graph."""
    return Counter(q.graph_name.value for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The sample and the shared dev articles, copied so a test may change one."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for f in [*SAMPLE.glob("*.txt"), *(shared_dir() / "corpus" / "dev").glob("*.txt")]:
        shutil.copy(f, folder / f.name)
    return folder


def kg(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def test_build_with_an_endpoint_loads_the_same_quads_and_replaces_a_changed_article(remote: str, corpus: Path,
                                                                                     tmp_path: Path):
    n = len(list(corpus.glob("*.txt")))
    plain = kg("build", corpus, "--store", tmp_path / "plain", "-j", "2")
    assert plain.exit_code == 0, plain.output
    pushed = kg("build", corpus, "--store", tmp_path / "local", "-j", "2", "--endpoint", remote)
    assert pushed.exit_code == 0, pushed.output
    assert f"{remote}: {n} article graph(s) and the entity graph loaded" in pushed.stdout
    remote_bytes = remote_nquads(remote)
    assert remote_bytes == local_nquads(tmp_path / "local") == local_nquads(tmp_path / "plain")
    graphs = per_graph(remote_bytes)
    assert len(graphs) == n + 1 and graphs[str(ENTITY_GRAPH)] > 0  # every article, and the entity graph

    changed = corpus / "dev-01.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("调研", "考察", 1), encoding="utf-8")
    again = kg("build", corpus, "--store", tmp_path / "local", "-j", "2", "--endpoint", remote)
    assert again.exit_code == 0, again.output
    assert f"1 written, {n - 1} unchanged" in again.stdout
    assert f"{remote}: 1 article graph(s) and the entity graph loaded" in again.stdout
    assert remote_nquads(remote) == local_nquads(tmp_path / "local") != remote_bytes
    graph = str(article_graph_iri("dev-01"))
    hashes = ask(remote.rsplit("/", 1)[0], f"SELECT ?h WHERE {{ GRAPH <{graph}> {{ ?a kg:contentHash ?h }} }}"
                 .replace("SELECT", "PREFIX kg: <https://w3id.org/govnews-kg/ontology#> SELECT"))
    assert [h["h"]["value"] for h in hashes] == [content_hash(changed)]  # replaced, not added to


def test_an_unreachable_endpoint_is_one_line_and_nothing_is_made(corpus: Path, tmp_path: Path):
    endpoint = f"http://127.0.0.1:{free_port()}/store"  # nothing listens there
    ran = kg("build", corpus / "dev-01.txt", "--store", tmp_path / "store", "--endpoint", endpoint)
    assert ran.exit_code == 1 and "Traceback" not in ran.output
    assert ran.stderr.splitlines() == [f"error: {endpoint}: cannot reach the endpoint ([Errno 111] Connection refused)"]
    assert not (tmp_path / "store").exists()


@pytest.mark.parametrize("endpoint", ["ftp://example.org/store", "file:///etc/passwd", "localhost:7878/store",
                                      "http:///store"])
def test_an_endpoint_that_is_not_http_is_refused(endpoint: str, tmp_path: Path):
    ran = kg("build", SAMPLE, "--store", tmp_path / "store", "--endpoint", endpoint)
    assert ran.exit_code == 1
    assert ran.stderr.splitlines() == [f"error: {endpoint}: not an HTTP endpoint URL (expected http://host:port/path)"]


def test_an_endpoint_that_refuses_leaves_the_local_store_as_it_was(served: str, corpus: Path, tmp_path: Path):
    """A read-only server refuses the PUT: exit 1, one line, and the local store keeps what it had."""
    store = tmp_path / "local"
    first = kg("build", corpus / "seed-001.txt", "--store", store)
    assert first.exit_code == 0, first.output
    before = local_nquads(store)
    ran = kg("build", corpus / "seed-001.txt", corpus / "dev-02.txt", "--store", store, "--endpoint",
             f"{served}/store")
    assert ran.exit_code == 1 and "Traceback" not in ran.output
    [line] = ran.stderr.splitlines()
    graph = urllib.parse.quote(str(article_graph_iri("dev-02")), safe="")
    assert line.startswith(f"error: {served}/store?graph={graph}: the endpoint refused the PUT (")
    assert local_nquads(store) == before
