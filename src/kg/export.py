"""The entity network for other tools: GraphML, GEXF (Gephi) and CSV tables of nodes and edges.

What is exported is :func:`kg.analyse.entity_graph` (entities and events, relations
and positions), each node with its measures: ``degree``, ``pagerank``,
``betweenness`` (sampled above 500 nodes, fixed seed) and ``community`` (its Louvain
community's number, 1 = largest). GraphML and GEXF take only strings, numbers and
booleans as attribute values, so lists (a node's aliases and articles) are joined
with :data:`LIST_SEPARATOR`, and attributes a node or edge lacks are left out
(blank in the CSV). Floats are rounded to :data:`DIGITS` places.

The same graph gives the same bytes: nodes and edges come sorted from
``entity_graph``, and GEXF's ``lastmodifieddate`` (today's date in networkx's
writer) is left out. Files are written atomically (:mod:`kg.fsutil`).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from kg.analyse import centrality, communities
from kg.errors import KGError
from kg.fsutil import atomic_write_bytes

FORMATS = ("graphml", "gexf", "csv")
LIST_SEPARATOR = "|"
DIGITS = 8
NODE_COLUMNS = [
    "id", "label", "type", "aliases", "articles", "startDate", "endDate",
    "degree", "pagerank", "betweenness", "community",
]  # fmt: skip
EDGE_COLUMNS = ["source", "target", "relation", "title", "attestedOn", "firstAttestedOn", "evidence"]
_SUFFIXES = {".graphml": "graphml", ".gexf": "gexf", ".csv": "csv"}
_LAST_MODIFIED = re.compile(rb' lastmodifieddate="[^"]*"')


def node_table(graph: nx.MultiDiGraph, *, seed: int = 0) -> pd.DataFrame:
    """One row per node: its names, class, articles, dates and measures (:data:`NODE_COLUMNS`)."""
    measures = centrality(graph).set_index("iri")
    community = {node: number for number, members in enumerate(communities(graph, seed), 1) for node in members}
    rows = []
    for node, attrs in graph.nodes(data=True):
        rows.append(
            {
                "id": node,
                "label": attrs.get("label", ""),
                "type": attrs.get("type", ""),
                "aliases": LIST_SEPARATOR.join(attrs.get("aliases", [])),
                "articles": LIST_SEPARATOR.join(attrs.get("articles", [])),
                "startDate": attrs.get("startDate", ""),
                "endDate": attrs.get("endDate", ""),
                "degree": int(measures.at[node, "degree"]),
                "pagerank": round(float(measures.at[node, "pagerank"]), DIGITS),
                "betweenness": round(float(measures.at[node, "betweenness"]), DIGITS),
                "community": community[node],
            }
        )
    return pd.DataFrame(rows, columns=NODE_COLUMNS)


def edge_table(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """One row per edge: its ends, relation and, for positions, title, attestations and evidence."""
    rows = [
        {"source": u, "target": v, **{column: str(attrs.get(column, "")) for column in EDGE_COLUMNS[2:]}}
        for u, v, attrs in graph.edges(data=True)
    ]
    return pd.DataFrame(rows, columns=EDGE_COLUMNS)


def annotated(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``graph`` whose attributes GraphML and GEXF can hold, measures included."""
    out = nx.MultiDiGraph()
    for row in node_table(graph).to_dict("records"):
        node = row.pop("id")
        out.add_node(node, **{name: value for name, value in row.items() if value != ""})
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        out.add_edge(u, v, key=key, **{name: _plain(value) for name, value in attrs.items() if value not in ("", None)})
    return out


def _plain(value: Any) -> str | int | float | bool:
    """A value GraphML and GEXF accept: lists joined, anything else not a number made text."""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set):
        return LIST_SEPARATOR.join(map(str, value))
    return str(value)


def graphml_bytes(graph: nx.MultiDiGraph) -> bytes:
    """The network as GraphML (UTF-8)."""
    buffer = io.BytesIO()
    nx.write_graphml(annotated(graph), buffer, encoding="utf-8")
    return buffer.getvalue()


def gexf_bytes(graph: nx.MultiDiGraph) -> bytes:
    """The network as GEXF 1.2 (UTF-8), without the writer's date stamp."""
    buffer = io.BytesIO()
    nx.write_gexf(annotated(graph), buffer, encoding="utf-8")
    return _LAST_MODIFIED.sub(b"", buffer.getvalue())


def csv_bytes(table: pd.DataFrame) -> bytes:
    """A table as UTF-8 CSV with a header row and ``\\n`` line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(table.itertuples(index=False, name=None))
    return buffer.getvalue().encode("utf-8")


def export_format(path: Path, fmt: str | None = None) -> str:
    """The format to write: ``fmt`` if given, else from the extension (.graphml .gexf .csv)."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise KGError(f"format {fmt!r}: use one of {', '.join(FORMATS)}")
        return fmt
    found = _SUFFIXES.get(Path(path).suffix.lower())
    if found is None:
        raise KGError(f"{path}: unknown export format; name it .graphml, .gexf, .nodes.csv or .edges.csv")
    return found


def csv_paths(path: Path) -> tuple[Path, Path]:
    """Where the two tables go: ``net.nodes.csv`` and ``net.edges.csv`` for any of ``net``, ``net.csv``,
    ``net.nodes.csv`` or ``net.edges.csv``."""
    name = path.name
    for ending in (".nodes.csv", ".edges.csv", ".csv"):
        if name.lower().endswith(ending):
            name = name[: -len(ending)]
            break
    return path.with_name(f"{name}.nodes.csv"), path.with_name(f"{name}.edges.csv")


def export_network(graph: nx.MultiDiGraph, path: str | Path, fmt: str | None = None) -> list[Path]:
    """Write ``graph`` to ``path`` as GraphML, GEXF or the two CSV tables; return the files written."""
    path = Path(path)
    chosen = export_format(path, fmt)
    if chosen == "graphml":
        atomic_write_bytes(path, graphml_bytes(graph))
        return [path]
    if chosen == "gexf":
        atomic_write_bytes(path, gexf_bytes(graph))
        return [path]
    nodes_path, edges_path = csv_paths(path)
    atomic_write_bytes(nodes_path, csv_bytes(node_table(graph)))
    atomic_write_bytes(edges_path, csv_bytes(edge_table(graph)))
    return [nodes_path, edges_path]
