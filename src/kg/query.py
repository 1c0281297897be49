"""Named SPARQL queries: load, check, bind parameters, run, and format the answers.

A query is given as SPARQL text, a ``.rq`` file, or the bare name of one of the
competency questions in ``queries/`` (``01-officials-by-agency`` or just ``01``).
Only read queries run: SPARQL Update is refused before it reaches the store, and so
are ``SERVICE`` (Oxigraph would fetch the remote endpoint) and queries nested deeper
than :data:`MAX_NESTING` (Oxigraph's recursive parser crashes on a few thousand levels).

Parameters (``--param name=value``) are bound as RDF terms by a ``VALUES`` row put
first in the query's WHERE group, written from the parsed terms (so a value cannot
change the query around it). The planner then starts from the bound values:
Oxigraph's own pre-binding (SEP-0007) binds them only after it has ordered the joins,
and a query then reads what it would read without them (a year given to query 06
took 310 s at 10M quads). A parameter must name a variable of the query. Values are
read as SPARQL terms:

* ``<https://…>`` or ``kg:Official`` (a known prefix): an IRI;
* ``"…"``, ``"…"@en``, ``"…"^^xsd:gYear``, ``2021``, ``1.5``: the literal as written;
* anything else, e.g. ``厅长``: a ``@zh`` literal, because every name and title in
  the graph is tagged ``@zh``.

Output formats: ``table`` (rich; IRIs shortened to prefixed names), ``csv`` (SPARQL
1.1 CSV results: full IRIs, literals as their plain lexical value) and ``json``
(SPARQL 1.1 Query Results JSON, which keeps language tags and datatypes).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rich.table import Table
from rich.text import Text

from kg.errors import QueryError
from kg.paths import queries_dir
from kg.rdf.namespaces import PREFIXES
from kg.store import Store, Term, compact

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("table", "csv", "json")
_UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
_PROLOGUE = re.compile(r"(?:\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)*", re.IGNORECASE)
MAX_NESTING = 32
"""The deepest nesting of brackets a query may have. Oxigraph's SPARQL parser is
recursive: about 2,000 nested groups overflow the stack and kill the process with a
segmentation fault, and nested collections take seconds from about 100 levels."""
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\x00-\x20\']*>|#[^\n]*',
    re.DOTALL,
)
"""Strings, IRIs and comments: what may hold brackets that do not nest."""
_SERVICE = re.compile(r"(?<![\w?$:.-])SERVICE(?![\w:.-])", re.IGNORECASE)
"""Federated queries: Oxigraph would fetch the named endpoint over HTTP."""
_NOTS = re.compile(rf"(?:!\s*){{{MAX_NESTING + 1},}}")
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TERM_START = re.compile(r'[<"\'+\-0-9]|[A-Za-z][\w-]*:')
_XSD = PREFIXES["xsd"]
_INTEGERS = {
    f"{_XSD}{t}"
    for t in "integer int long short byte nonNegativeInteger positiveInteger negativeInteger "
    "nonPositiveInteger unsignedInt unsignedLong unsignedShort unsignedByte".split()
}
_FLOATS = {f"{_XSD}{t}" for t in ("double", "float")}
_XSD_BOOLEAN = ox.NamedNode(f"{_XSD}boolean")
_EMPTY = ox.Store()
"""An empty in-memory store whose only job is to parse queries."""


@dataclass(frozen=True)
class Query:
    """A checked read query: its text, where it came from, and its form (SELECT, ASK …)."""

    text: str
    name: str
    form: str


@dataclass
class QueryResult:
    """Answers materialised once, so they can be formatted several ways.

    SELECT gives its variables and rows; ASK gives ``boolean`` (and one row under
    ``ask``); CONSTRUCT and DESCRIBE give rows of ``subject``, ``predicate``, ``object``.
    """

    variables: list[str]
    rows: list[tuple[Term | None, ...]]
    boolean: bool | None = None


def load_query(spec: str) -> Query:
    """A query from SPARQL text, a ``.rq`` path, or a name in :func:`~kg.paths.queries_dir`."""
    path = _query_path(spec)
    if path is None:
        return check_query(spec, "<query>")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise QueryError(f"{path}: cannot read query ({err})") from err
    return check_query(text, str(path))


def _query_path(spec: str) -> Path | None:
    """The file ``spec`` names, or None when ``spec`` is SPARQL text."""
    if any(c in spec for c in "{<\n"):  # every query but the shortest DESCRIBE has a { … }
        return None
    if spec.endswith(".rq") or "/" in spec or _is_file(spec):
        if not _is_file(spec):
            raise QueryError(f"{spec}: no such query file")
        return Path(spec)
    if not _NAME.fullmatch(spec):
        return None
    folder = queries_dir()
    exact = folder / f"{spec}.rq"
    if _is_file(str(exact)):
        return exact
    matches = sorted(folder.glob(f"{spec}-*.rq"))
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(p.stem for p in sorted(folder.glob("*.rq"))) or f"none in {folder}"
    what = "is ambiguous" if matches else "is not a query name"
    raise QueryError(f"{spec}: {what}; known queries: {known}")


def _is_file(spec: str) -> bool:
    """Whether ``spec`` names a file; False for text that cannot be a path (too long …)."""
    try:
        return Path(spec).is_file()
    except OSError:
        return False


@lru_cache(maxsize=256)
def check_query(text: str, name: str = "<query>") -> Query:
    """Parse-check ``text`` and refuse SPARQL Update; return it as a :class:`Query`.

    Remembered per text and name: Oxigraph's parse takes 0.4–1 ms, as long as an
    in-memory store takes to answer a selective question, and a notebook that asks
    one question per agency in a loop would otherwise parse it twice each time. (A
    refusal raises, so it is not remembered; a :class:`Query` is frozen, so sharing
    it is safe.)
    """
    rest = text[_PROLOGUE.match(text).end() :]
    word = re.match(r"[A-Za-z]*", rest).group(0).upper()
    if word in _UPDATE_KEYWORDS:
        raise QueryError(f"{name}: SPARQL update ({word}) is not allowed; kg runs read-only queries")
    bare = _OPAQUE.sub(" ", text)
    if (depth := nesting(bare)) > MAX_NESTING:
        raise QueryError(f"{name}: query nests {depth} levels deep; kg accepts at most {MAX_NESTING}")
    if _SERVICE.search(bare):
        raise QueryError(f"{name}: SERVICE is not allowed; kg queries its own graph and fetches nothing")
    try:
        _EMPTY.query(text, prefixes=PREFIXES)
    except SyntaxError as err:
        raise QueryError(f"{name}: invalid SPARQL: {err}") from err
    return Query(text=text, name=name, form=word)


def nesting(bare: str) -> int:
    """How deep brackets (and ``!`` operators) nest in query text stripped by :data:`_OPAQUE`.

    A guard that runs before the parser sees the text, against queries written to
    exhaust it (:data:`MAX_NESTING`). It is a scan, not a parse: it never reads a
    query a person would write as too deep, but a query crafted to hide brackets
    from it (inside what it takes for an IRI or a string) can still reach the parser.
    """
    depth = deepest = 0
    for c in bare:
        if c in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in ")]}":
            depth = max(0, depth - 1)
    if (nots := _NOTS.search(bare)) is not None:
        deepest = max(deepest, nots.group(0).count("!"))
    return deepest


def parse_params(pairs: Iterable[str]) -> dict[str, Term]:
    """``["title=厅长", "org=<https://…>"]`` → variable name → RDF term."""
    params: dict[str, Term] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not _VARIABLE.fullmatch(name):
            raise QueryError(f"--param {pair!r}: expected NAME=VALUE, e.g. title=厅长")
        params[name] = parse_term(value)
    return params


def parse_term(value: str) -> Term:
    """One parameter value as an RDF term (rules in the module docstring)."""
    value = value.strip()
    if not _TERM_START.match(value):
        return ox.Literal(value, language="zh")
    prologue = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
    try:
        triples = list(ox.parse(f"{prologue}<urn:x-kg:s> <urn:x-kg:p> {value} .", format=ox.RdfFormat.TURTLE))
    except SyntaxError as err:
        raise QueryError(f"parameter value {value!r} is not an IRI, prefixed name or literal ({err})") from err
    if len(triples) != 1:
        raise QueryError(f"parameter value {value!r} is not one RDF term")
    return triples[0].object


def run_query(store: Store, query: Query | str, params: dict[str, Term] | None = None) -> QueryResult:
    """Run a read query on ``store`` with ``params`` pre-bound, and collect the answers."""
    if isinstance(query, str):
        query = load_query(query)
    for name in params or {}:
        if not re.search(rf"[?$]{name}\b", query.text):
            raise QueryError(f"{query.name}: --param {name}: the query has no variable ?{name}")
    answers = store.query(bind_values(query, params) if params else query.text)
    try:  # Oxigraph evaluates lazily: errors surface while the answers are read
        if isinstance(answers, ox.QueryBoolean):
            answer = bool(answers)
            return QueryResult(["ask"], [(ox.Literal(str(answer).lower(), datatype=_XSD_BOOLEAN),)], answer)
        if isinstance(answers, ox.QueryTriples):
            rows = [(t.subject, t.predicate, t.object) for t in answers]
            return QueryResult(["subject", "predicate", "object"], rows)
        variables = [v.value for v in answers.variables]
        return QueryResult(variables, [tuple(solution) for solution in answers])
    except (OSError, RuntimeError, SyntaxError) as err:
        raise QueryError(f"{query.name}: query failed while running ({err})") from err


_WHERE = re.compile(r"(?<![\w?$:])WHERE\s*\{", re.IGNORECASE)


def bind_values(query: Query, params: dict[str, Term]) -> str:
    """``query``'s text with ``params`` as a one-row ``VALUES`` block opening its WHERE group."""
    if any(isinstance(term, ox.BlankNode) for term in params.values()):
        raise QueryError(f"{query.name}: a blank node cannot be a parameter value")
    bare = _OPAQUE.sub(lambda m: " " * len(m.group(0)), query.text)  # same offsets, no brackets in strings
    where = _WHERE.search(bare)
    if where and re.search(r"CONSTRUCT\s*$", bare[: where.start()], re.IGNORECASE):
        raise QueryError(f"{query.name}: parameters need the long form CONSTRUCT {{ … }} WHERE {{ … }}; "
                         "the short CONSTRUCT WHERE { … } admits only triples")
    start = where.end() if where else bare.find("{") + 1  # SELECT * { … } and ASK { … } may omit WHERE
    if start == 0:
        raise QueryError(f"{query.name}: the query has no WHERE group to bind parameters in")
    names = " ".join(f"?{name}" for name in params)
    row = " ".join(str(term) for term in params.values())
    return f"{query.text[:start]} VALUES ({names}) {{ ({row}) }}{query.text[start:]}"


def plain(term: Term | None, *, short: bool = False) -> str:
    """A term as plain text: a literal's lexical value, an IRI (prefixed if ``short``), ``_:b``."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value) if short else term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def python_value(term: Term | None) -> object:
    """A term as a Python value for pandas: numbers and booleans typed, the rest plain text."""
    if not isinstance(term, ox.Literal):
        return None if term is None else plain(term)
    datatype = term.datatype.value
    try:
        if datatype in _INTEGERS:
            return int(term.value)
        if datatype == f"{_XSD}decimal":
            return Decimal(term.value)
        if datatype in _FLOATS:
            return float(term.value)
    except (ValueError, ArithmeticError):  # ill-typed literal: keep what was written
        return term.value
    if datatype == _XSD_BOOLEAN.value:
        return term.value in ("true", "1")
    return term.value


def to_frame(result: QueryResult) -> pd.DataFrame:
    """The answers as a pandas DataFrame, one column per variable, typed Python values.

    pandas is imported here, not at module level: it costs a second of start-up that
    the CLI's table, csv and json output do not need.
    """
    import pandas as pd

    return pd.DataFrame([[python_value(t) for t in row] for row in result.rows], columns=result.variables)


def to_table(result: QueryResult, title: str | None = None) -> Table:
    """A rich Table of the answers, IRIs shortened to prefixed names.

    Cells are :class:`~rich.text.Text`, so brackets in article text are shown, not
    read as rich markup.
    """
    table = Table(title=Text(title) if title else None, caption=f"{len(result.rows)} row(s)")
    for variable in result.variables:
        table.add_column(variable, overflow="fold")  # wrap long names and IRIs, never cut them
    for row in result.rows:
        table.add_row(*(Text(plain(t, short=True)) for t in row))
    return table


def to_csv(result: QueryResult) -> str:
    """SPARQL 1.1 CSV results: a header of variable names, then plain values."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    writer.writerows([plain(t) for t in row] for row in result.rows)
    return out.getvalue()


def to_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON (``head``/``results``/``bindings``, or ``boolean``)."""
    if result.boolean is not None:
        doc: dict[str, object] = {"head": {}, "boolean": result.boolean}
    else:
        bindings = [
            {var: _json_term(t) for var, t in zip(result.variables, row, strict=True) if t is not None}
            for row in result.rows
        ]
        doc = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _json_term(term: Term) -> dict[str, str]:
    """One term in SPARQL JSON results form."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        if term.language:
            return {"type": "literal", "value": term.value, "xml:lang": term.language}
        if term.datatype.value != f"{_XSD}string":
            return {"type": "literal", "value": term.value, "datatype": term.datatype.value}
        return {"type": "literal", "value": term.value}
    return {"type": "triple", "value": str(term)}


def format_result(result: QueryResult, fmt: str) -> str:
    """The answers as ``csv`` or ``json`` text (``table`` is :func:`to_table`, for a console)."""
    if fmt == "csv":
        return to_csv(result)
    if fmt == "json":
        return to_json(result)
    raise QueryError(f"unknown output format {fmt!r}; use one of {', '.join(FORMATS)}")
