"""A real SPARQL endpoint over the store, and loading into any other SPARQL 1.1 store.

``kg serve`` runs the Oxigraph server (PyPI ``oxigraph``) read-only over a store
built by ``kg build``: any SPARQL client, notebook or dashboard can then query it,
and its web page has a query editor. It binds 127.0.0.1 unless told otherwise,
queries the union of the article graphs by default, and stops a query at a timeout.

``kg build --endpoint URL`` is the way out when one machine is not enough: each
article's named graph is PUT to a SPARQL 1.1 Graph Store Protocol endpoint
(Fuseki, GraphDB, Virtuoso, QLever, Oxigraph …) and the entity facts are POSTed to
the entity graph; at the end of the build the entity graph is PUT whole from the
local store (which keeps one ``rdfs:label`` per entity, something a POST cannot
do), so the remote store ends up with the same quads as the local one.
"""

from __future__ import annotations

import http.client
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from kg.errors import KGError, StoreError
from kg.rdf.namespaces import ENTITY_GRAPH
from kg.serialise import RdfData, canonical_quads, serialise

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


_UNREACHABLE = (urllib.error.URLError, OSError, http.client.HTTPException)
"""What urllib raises when no HTTP answer came back (HTTPError, an answer, is caught first)."""


def _request(method: str, url: str, body: bytes | None, content_type: str | None = None) -> None:
    """One HTTP request, its answer read and dropped; urllib's errors are left to the caller."""
    headers = {"Content-Type": content_type} if content_type else {}
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()


def _why(err: BaseException) -> str:
    """The short reason of a failed connection (``[Errno 111] Connection refused``)."""
    return str(getattr(err, "reason", None) or err or type(err).__name__)


def _send(method: str, url: str, body: bytes, content_type: str) -> None:
    """One request whose failure, unreachable or refused, becomes one StoreError line."""
    try:
        _request(method, url, body, content_type)
    except urllib.error.HTTPError as err:
        raise StoreError(f"{url}: the endpoint refused the {method} ({err.code} {err.reason})") from err
    except _UNREACHABLE as err:
        raise StoreError(f"{url}: cannot reach the endpoint ({_why(err)})") from err


def check_endpoint(endpoint: str) -> None:
    """Refuse, before a build does any work, an endpoint that is not HTTP or does not answer.

    Only ``http(s)://host/…`` is accepted (urllib would otherwise read ``file:`` URLs).
    The probe is a ``HEAD`` of the entity graph: any answer but "unauthorised" or
    "forbidden" passes (404 is a graph not created yet, and a server may not know
    ``HEAD``); a PUT refused later is still one clear error.
    """
    try:
        parts = urllib.parse.urlsplit(endpoint)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # a bad port or IPv6 address
        valid = False
    if not valid:
        raise StoreError(f"{endpoint}: not an HTTP endpoint URL (expected http://host:port/path)")
    try:
        _request("HEAD", graph_url(endpoint, str(ENTITY_GRAPH)), None)
    except urllib.error.HTTPError as err:
        if err.code in (401, 403, 407):
            raise StoreError(f"{endpoint}: the endpoint refused access ({err.code} {err.reason})") from err
    except _UNREACHABLE as err:
        raise StoreError(f"{endpoint}: cannot reach the endpoint ({_why(err)})") from err


def graph_url(endpoint: str, graph: str) -> str:
    """The Graph Store Protocol address of one named graph (indirect identification)."""
    sep = "&" if "?" in endpoint else "?"
    return f"{endpoint}{sep}graph={urllib.parse.quote(graph, safe='')}"


def put_graph(endpoint: str, graph: str, quads: RdfData) -> None:
    """Replace one named graph on the endpoint by the triples of ``quads`` (their graph ignored)."""
    _send("PUT", graph_url(endpoint, graph), serialise(quads, ".nt"), "application/n-triples")


def push_article(endpoint: str, graph: str, dataset: RdfData) -> None:
    """PUT the article's named graph (replacing it) and POST its entity facts (merging them)."""
    quads = canonical_quads(dataset)
    article = [q for q in quads if q.graph_name.value == graph]
    entities = [q for q in quads if q.graph_name.value == str(ENTITY_GRAPH)]
    _send("PUT", graph_url(endpoint, graph), serialise(article, ".nt"), "application/n-triples")
    if entities:
        _send("POST", graph_url(endpoint, str(ENTITY_GRAPH)), serialise(entities, ".nt"), "application/n-triples")
