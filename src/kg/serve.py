"""A real SPARQL endpoint over the store, and loading into any other SPARQL 1.1 store.

``kg serve`` runs the Oxigraph server (PyPI ``oxigraph``) read-only over a store
built by ``kg build``: any SPARQL client, notebook or dashboard can then query it,
and its web page has a query editor. It binds 127.0.0.1 unless told otherwise,
queries the union of the article graphs by default, and stops a query at a timeout.

``kg build --endpoint URL`` is the way out when one machine is not enough: each
article's named graph is PUT to a SPARQL 1.1 Graph Store Protocol endpoint
(Fuseki, GraphDB, Virtuoso, QLever, Oxigraph …) and the entity facts are POSTed to
the entity graph, so the remote store ends up with the same layout as the local one.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from kg.errors import KGError, StoreError
from kg.rdf.namespaces import ENTITY_GRAPH
from kg.serialise import canonical_quads, serialise

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT_S = 30


def oxigraph_binary() -> str:
    """The ``oxigraph`` server program installed beside this Python, or on the PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise KGError("the oxigraph server is not installed: pip install oxigraph")
    return found


def server_command(store: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                   timeout_s: int = DEFAULT_TIMEOUT_S) -> list[str]:
    """The command line of a read-only Oxigraph server over ``store``."""
    if not (store.is_dir() and any(store.iterdir())):
        raise StoreError(f"{store}: not a store (build one with kg build --store {store})")
    return [oxigraph_binary(), "serve-read-only", "--location", str(store), "--bind", f"{host}:{port}",
            "--union-default-graph", "--timeout-s", str(timeout_s)]


def serve(store: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          timeout_s: int = DEFAULT_TIMEOUT_S) -> int:
    """Run the server in the foreground until it stops (Ctrl-C); return its exit status."""
    proc = subprocess.Popen(server_command(store, host, port, timeout_s))
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        return proc.wait()


def _send(method: str, url: str, body: bytes, content_type: str) -> None:
    request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
    except urllib.error.HTTPError as err:
        raise StoreError(f"{url}: the endpoint refused the {method} ({err.code} {err.reason})") from err
    except (urllib.error.URLError, OSError) as err:
        raise StoreError(f"{url}: cannot reach the endpoint ({getattr(err, 'reason', err)})") from err


def graph_url(endpoint: str, graph: str) -> str:
    """The Graph Store Protocol address of one named graph (indirect identification)."""
    sep = "&" if "?" in endpoint else "?"
    return f"{endpoint}{sep}graph={urllib.parse.quote(graph, safe='')}"


def push_article(endpoint: str, graph: str, dataset) -> None:
    """PUT the article's named graph (replacing it) and POST its entity facts (merging them)."""
    quads = canonical_quads(dataset)
    article = [q for q in quads if q.graph_name.value == graph]
    entities = [q for q in quads if q.graph_name.value == str(ENTITY_GRAPH)]
    _send("PUT", graph_url(endpoint, graph), serialise(article, ".nt"), "application/n-triples")
    if entities:
        _send("POST", graph_url(endpoint, str(ENTITY_GRAPH)), serialise(entities, ".nt"), "application/n-triples")
