"""The Oxigraph SPARQL server over a built store, and pushing articles to a Graph Store endpoint.

Both run a real ``oxigraph`` server on 127.0.0.1, started and stopped by the test.
"""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.corpus import build_corpus, sources
from kg.extract import extract_file
from kg.rdf.iris import article_graph_iri
from kg.rdf.namespaces import ENTITY_GRAPH
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
