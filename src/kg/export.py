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

Analysts get four tables of what the graph states (:data:`TABLES`): ``entities.csv``
(one row per person, organisation, park or place: class, names, how many articles
mention it), ``positions.csv`` (one row per reported position, with its evidence
sentence and offsets), ``events.csv`` and ``figures.csv`` (one row per observation).
Names come first and IRIs last, so the columns an analyst reads fit on the screen;
several values in one cell (an event's participants, in name order, and their
IRIs in the same order) are joined with :data:`LIST_SEPARATOR`. They are read with a
handful of SPARQL queries over the whole store, one per kind of thing, never one per
row, and assembled here, so a value repeated in several articles' graphs counts once.

These tables are for Excel as much as for pandas, and Excel reads a CSV without a
byte-order mark in the machine's legacy code page (GBK, Windows-1252 …), which
garbles Chinese: so they are UTF-8 *with* a BOM and CRLF line ends (RFC 4180).
Python reads them with ``encoding="utf-8-sig"`` (pandas' default "utf-8" strips the
BOM too). A text cell that Excel would run as a formula (it starts with ``=``, ``+``,
``-`` or ``@`` and is not a number) gets a leading ``'``, which Excel shows as text;
scraped articles are untrusted input. The network's nodes and edges CSV stay plain
UTF-8 without a BOM: they are read by Gephi and scripts, not opened in Excel.

Everything one export writes is written together (:func:`write_all_or_none`):
each file is staged beside its target and fsynced, and only when all are staged
are they renamed into place, so a failure leaves every old file as it was.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from kg.analyse import NODE_CLASSES, GraphData, _articles, _names, _node_types, as_store, centrality, communities
from kg.errors import KGError
from kg.store import Store, compact

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


def network_files(graph: nx.MultiDiGraph, path: str | Path, fmt: str | None = None) -> dict[Path, bytes]:
    """What :func:`export_network` writes: GraphML, GEXF or the two CSV tables, by path."""
    path = Path(path)
    chosen = export_format(path, fmt)
    if chosen == "graphml":
        return {path: graphml_bytes(graph)}
    if chosen == "gexf":
        return {path: gexf_bytes(graph)}
    nodes_path, edges_path = csv_paths(path)
    return {nodes_path: csv_bytes(node_table(graph)), edges_path: csv_bytes(edge_table(graph))}


def export_network(graph: nx.MultiDiGraph, path: str | Path, fmt: str | None = None) -> list[Path]:
    """Write ``graph`` to ``path`` as GraphML, GEXF or the two CSV tables; return the files written."""
    files = network_files(graph, path, fmt)
    write_all_or_none(files)
    return list(files)


# Analyst tables ------------------------------------------------------------------------

ENTITY_COLUMNS = ["label", "class", "otherLabels", "articleCount", "iri"]
POSITION_COLUMNS = [
    "holder", "title", "organization", "attestedOn", "isPast", "evidence", "article", "charStart", "charEnd",
    "holder_iri", "organization_iri", "iri",
]  # fmt: skip
EVENT_COLUMNS = [
    "label", "kind", "startDate", "endDate", "locations", "participants", "organizers", "partOf", "articles",
    "location_iris", "participant_iris", "organizer_iris", "partOf_iris", "iri",
]  # fmt: skip
FIGURE_COLUMNS = [
    "measure", "value", "unit", "surfaceForm", "refPeriod", "area", "about", "qualifier", "evidence", "article",
    "charStart", "charEnd", "area_iri", "about_iri", "iri",
]  # fmt: skip
TABLES: dict[str, list[str]] = {
    "entities": ENTITY_COLUMNS,
    "positions": POSITION_COLUMNS,
    "events": EVENT_COLUMNS,
    "figures": FIGURE_COLUMNS,
}
"""Each analyst table (written as ``NAME.csv``) and its columns."""
BOM = "\ufeff"
"""Starts every analyst table: without it Excel decodes UTF-8 as the local code page."""
_EVENT = "Event"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_FACTS_QUERY = "SELECT ?node ?property ?value WHERE {{ ?node a kg:{cls} ; ?property ?value . }}"
"""Every fact of every instance of a class, one row per (node, property, value).

Long rather than wide: one OPTIONAL per column multiplies rows when a property has
two values. And no VALUES list of the wanted properties: at a million quads it took
Oxigraph 0.5 33 s to list the positions' facts against 4.5 s for all of them, so the
properties are picked here instead."""

Table = tuple[list[str], list[list[str]]]
"""A table's columns and its rows of text cells, in the order they are written."""
Facts = dict[str, dict[str, set[str]]]
"""Node IRI → property (prefixed, ``kg:title``) → the lexical values it has."""


def _facts(store: Store, cls: str) -> Facts:
    """Each instance of ``kg:{cls}`` with its properties' values, from one query."""
    facts: Facts = defaultdict(lambda: defaultdict(set))
    short: dict[str, str] = {}
    for node, prop, value in store.query(_FACTS_QUERY.format(cls=cls)):
        key = short.get(prop.value) or short.setdefault(prop.value, compact(prop.value))
        facts[node.value][key].add(value.value)
    return facts


def _joined(values: Iterable[str]) -> str:
    """Distinct values in code-point order, joined: one cell whatever the number of values."""
    return LIST_SEPARATOR.join(sorted(set(values)))


def _named(iris: Iterable[str], labels: Mapping[str, str]) -> tuple[str, str]:
    """Names and IRIs as two cells in the same order (by name), so the n-th name is the n-th IRI's."""
    pairs = sorted({(labels.get(iri, ""), iri) for iri in iris})
    return LIST_SEPARATOR.join(name for name, _ in pairs), LIST_SEPARATOR.join(iri for _, iri in pairs)


def _offset(value: str) -> int:
    """A character offset as a sort key; a missing or odd one sorts first."""
    return int(value) if value.isdigit() else 0


def _sorted_rows(rows: list[dict[str, str]], columns: list[str], key: list[str]) -> list[list[str]]:
    """Rows as lists in ``columns`` order, sorted by the cells of ``key`` (the last one an IRI: no ties)."""
    rows.sort(key=lambda row: [row[name] for name in key])
    return [[row[name] for name in columns] for row in rows]


def entity_rows(
    types: Mapping[str, str], names: Mapping[str, tuple[str, list[str]]], articles: Mapping[str, list[str]]
) -> list[list[str]]:
    """One row per entity (events have their own table), by class, label and IRI."""
    order = {str(cls).rsplit("#", 1)[-1]: f"{rank:02d}" for rank, cls in enumerate(NODE_CLASSES)}
    rows = [
        {
            "label": names[node][0],
            "class": cls,
            "otherLabels": LIST_SEPARATOR.join(names[node][1]),
            "articleCount": str(len(articles.get(node, []))),
            "iri": node,
            "rank": order[cls],
        }
        for node, cls in types.items()
        if cls != _EVENT
    ]
    return _sorted_rows(rows, ENTITY_COLUMNS, ["rank", "label", "iri"])


def position_rows(facts: Facts, labels: Mapping[str, str]) -> list[list[str]]:
    """One row per reported position, by organisation, title, date, holder and article."""
    rows = []
    for iri, f in facts.items():
        holder, org = _joined(f.get("kg:holder", ())), _joined(f.get("kg:organization", ()))
        row = {
            "holder": labels.get(holder, ""),
            "title": _joined(f.get("kg:title", ())),
            "organization": labels.get(org, ""),
            "attestedOn": _joined(f.get("kg:attestedOn", ())),
            "isPast": "true" if {"true", "1"} & f.get("kg:isPast", set()) else "false",
            "holder_iri": holder,
            "organization_iri": org,
            "iri": iri,
        }
        rows.append(row | _provenance(f))
    return _sorted_rows(rows, POSITION_COLUMNS, ["organization", "title", "attestedOn", "holder", "article", "iri"])


def event_rows(
    facts: Facts, types: Mapping[str, str], labels: Mapping[str, str], articles: Mapping[str, list[str]]
) -> list[list[str]]:
    """One row per event: dated ones first, by start date, then by name."""
    rows = []
    for iri in (node for node, cls in types.items() if cls == _EVENT):
        f = facts.get(iri, {})
        row = {
            "label": labels.get(iri, ""),
            "kind": _joined(f.get("kg:eventKind", ())),
            "startDate": _joined(f.get("kg:startDate", ())),
            "endDate": _joined(f.get("kg:endDate", ())),
            "articles": LIST_SEPARATOR.join(articles.get(iri, [])),
            "iri": iri,
        }
        for column, prop in _EVENT_LINKS.items():
            row[column], row[_iris(column)] = _named(f.get(prop, ()), labels)
        row["undated"] = "1" if not row["startDate"] else "0"
        rows.append(row)
    return _sorted_rows(rows, EVENT_COLUMNS, ["undated", "startDate", "label", "iri"])


def figure_rows(facts: Facts, labels: Mapping[str, str]) -> list[list[str]]:
    """One row per observation: by article and, within one, in reading order."""
    rows = []
    for iri, f in facts.items():
        area, about = _joined(f.get("kg:area", ())), _joined(f.get("kg:about", ()))
        row = {
            "measure": _joined(f.get("kg:measure", ())),
            "value": _joined(f.get("kg:value", ())),
            "unit": _joined(f.get("kg:unit", ())),
            "surfaceForm": _joined(f.get("kg:surfaceForm", ())),
            "refPeriod": _joined(f.get("kg:refPeriod", ())),
            "area": labels.get(area, ""),
            "about": labels.get(about, ""),
            "qualifier": _joined(f.get("kg:qualifier", ())),
            "area_iri": area,
            "about_iri": about,
            "iri": iri,
        }
        row |= _provenance(f)
        row["offset"] = f"{_offset(row['charStart']):012d}"
        rows.append(row)
    return _sorted_rows(rows, FIGURE_COLUMNS, ["article", "offset", "measure", "iri"])


_EVENT_LINKS = {
    "locations": "kg:location",
    "participants": "kg:participant",
    "organizers": "kg:organizer",
    "partOf": "kg:partOf",
}
"""The event table's name columns and the property each lists; ``_iris`` names their IRI columns."""


def _iris(column: str) -> str:
    """The IRI column beside a name column: ``participants`` → ``participant_iris``."""
    return f"{column.removesuffix('s')}_iris"


def _provenance(f: Mapping[str, set[str]]) -> dict[str, str]:
    """The evidence cells of a position or figure: sentence, article, offsets."""
    return {
        "evidence": _joined(f.get("kg:evidence", ())),
        "article": _joined(f.get("prov:wasDerivedFrom", ())),
        "charStart": _joined(f.get("kg:charStart", ())),
        "charEnd": _joined(f.get("kg:charEnd", ())),
    }


def analyst_tables(data: GraphData) -> dict[str, Table]:
    """The four tables of :data:`TABLES`, read from the store with one query per kind of thing."""
    store = as_store(data)
    types = _node_types(store)
    names = _names(store, set(types))
    labels = {node: label for node, (label, _) in names.items()}
    articles = _articles(store)
    return {
        "entities": (ENTITY_COLUMNS, entity_rows(types, names, articles)),
        "positions": (POSITION_COLUMNS, position_rows(_facts(store, "Position"), labels)),
        "events": (EVENT_COLUMNS, event_rows(_facts(store, _EVENT), types, labels, articles)),
        "figures": (FIGURE_COLUMNS, figure_rows(_facts(store, "Observation"), labels)),
    }


def excel_safe(cell: str) -> str:
    """``cell``, with a leading ``'`` if Excel would otherwise run it as a formula."""
    if cell.startswith(_FORMULA_START) and not _NUMBER.fullmatch(cell):
        return f"'{cell}"
    return cell


def table_bytes(table: Table) -> bytes:
    """An analyst table as CSV for Excel: UTF-8 with a BOM, CRLF line ends, a header row."""
    columns, rows = table
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([excel_safe(cell) for cell in row] for row in rows)
    return (BOM + buffer.getvalue()).encode("utf-8")


def check_tables_folder(folder: str | Path) -> Path:
    """``folder`` as a Path, refused up front if it is a file (it is made if missing)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise KGError(f"{folder}: is a file; --tables takes a folder to write {', '.join(table_names())} into")
    return folder


def table_names() -> list[str]:
    """The file names of the analyst tables: ``entities.csv`` …"""
    return [f"{name}.csv" for name in TABLES]


def table_files(tables: Mapping[str, Table], folder: str | Path) -> dict[Path, bytes]:
    """Where each table goes in ``folder`` and its bytes."""
    folder = check_tables_folder(folder)
    return {folder / f"{name}.csv": table_bytes(table) for name, table in tables.items()}


def export_tables(data: GraphData, folder: str | Path) -> list[Path]:
    """Write the four analyst tables into ``folder``, all or none; return the files written."""
    folder = check_tables_folder(folder)
    files = table_files(analyst_tables(data), folder)
    write_all_or_none(files)
    return list(files)


# Writing several files ------------------------------------------------------------------


def write_all_or_none(files: Mapping[Path, bytes]) -> None:
    """Write every file or, on failure, none: stage all (written and fsynced) before renaming any.

    :func:`kg.fsutil.atomic_write_bytes` does this for one file; writing four of them
    one after the other would leave a mix of new and old tables when the disk fills
    up at the third. Renaming a staged file over its target within one folder does
    not fail for want of space, so once every file is staged the renames complete.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            staged.append((_stage(path, data), path))
        for tmp, path in staged:
            try:
                os.replace(tmp, path)
            except OSError as err:
                raise KGError(f"{path}: cannot write ({err.strerror or err})") from err
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)


def _stage(path: Path, data: bytes) -> str:
    """``data`` in a temporary file beside ``path``, fsynced, shareable like any output; its name."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise KGError(f"{path}: cannot write ({err.strerror or err})") from err
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes files private; outputs are for sharing
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as err:
        os.unlink(tmp)
        raise KGError(f"{path}: cannot write ({err.strerror or err})") from err
    return tmp
