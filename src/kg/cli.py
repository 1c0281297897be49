"""``kg``: a thin command line over the library (extract, build, query, validate, viz, stats, export …).

Each command parses its options, calls the library, and prints. Every error the
library raises on purpose (:class:`~kg.errors.KGError`) becomes one line on stderr,
``error: <message>``, and exit status 1; usage errors exit with status 2, as typer's
own do. Consoles print text as it is (no rich markup), since paths and article text
may hold brackets; colour is given by :class:`~rich.text.Text` styles.
Heavy modules (spaCy via :mod:`kg.extract`, pySHACL, pyvis) are imported inside the
commands that need them, so ``kg --help`` and ``kg query`` start fast.
"""

from __future__ import annotations

import errno
import functools
import inspect
import os
import re
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from kg import __version__
from kg.errors import KGError
from kg.serialise import rdf_format, serialise, write_rdf
from kg.store import Counts, Store

if TYPE_CHECKING:
    import pandas as pd
    from rdflib import Dataset

    from kg.visualise import ViewOptions

app = typer.Typer(
    name="kg",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# soft_wrap: a message naming a long path stays on one line (tables still fit the width).
out = Console(highlight=False, markup=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, markup=False, soft_wrap=True)

P = ParamSpec("P")
R = TypeVar("R")


class OnError(StrEnum):
    """What ``kg build`` does with an article it cannot read."""

    fail = "fail"
    skip = "skip"


class Format(StrEnum):
    """Output formats of ``kg query``."""

    table = "table"
    csv = "csv"
    json = "json"


class Size(StrEnum):
    """What node size shows in ``kg viz``."""

    pagerank = "pagerank"
    degree = "degree"
    none = "none"


class Colour(StrEnum):
    """What node colour shows in ``kg viz``."""

    class_ = "class"
    community = "community"


class ExportFormat(StrEnum):
    """Formats of ``kg export``."""

    graphml = "graphml"
    gexf = "gexf"
    csv = "csv"


StoreOption = Annotated[
    Path | None, typer.Option("--store", metavar="DIR", help="The store folder (made by kg build).")
]
GraphOption = Annotated[
    Path | None,
    typer.Option("--graph", metavar="FILE", readable=False, help="A graph file instead: .ttl .trig .nq .nt .jsonld"),
]
TitleOption = Annotated[str, typer.Option("--title", help="Title of the HTML page.")]


USAGE = 2
"""Exit status of a usage error, as typer gives for a missing option."""


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``error: message`` as one line on stderr; return the exit to raise."""
    typer.echo(f"error: {' '.join(message.split())}", err=True)
    return typer.Exit(code)


def command(fn: Callable[P, R] | str) -> Callable[P, R]:
    """Register ``fn`` as a command whose KGErrors become one clean line and exit 1.

    Its docstring is the help, with the lines of each paragraph joined so the help
    formatter wraps them to the terminal instead of keeping the source's breaks.
    ``@command("name")`` registers it under another name than the function's.
    """
    if isinstance(fn, str):
        return functools.partial(_register, name=fn)  # type: ignore[return-value]
    return _register(fn)


def _register(fn: Callable[P, R], name: str | None = None) -> Callable[P, R]:
    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except KGError as error:
            raise fail(str(error)) from error

    return app.command(name=name, help=help_text(fn))(run)


def help_text(fn: Callable[..., object]) -> str:
    """A docstring as help: paragraphs kept, the lines inside each joined."""
    return re.sub(r"(?<!\n)\n(?!\n)", " ", inspect.cleandoc(fn.__doc__ or ""))


def open_source(store: Path | None, graph: Path | None) -> Store:
    """The store to read: ``--store DIR`` (read-only) or ``--graph FILE`` (loaded in memory)."""
    if (store is None) == (graph is None):
        raise fail("give exactly one of --store DIR or --graph FILE", USAGE)
    if store is not None:
        return Store(store, read_only=True)
    return Store.from_file(graph)


def check_html_name(path: Path) -> None:
    """Refuse a view name that is not .html before any work is done."""
    if path.suffix.lower() not in (".html", ".htm"):
        raise KGError(f"{path}: the view is an HTML page; name it with .html")


def version_callback(value: bool) -> None:
    """``kg --version``: print and stop before any command runs."""
    if value:
        typer.echo(f"kg {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Turn Chinese government and tech-policy news into an RDF knowledge graph, and query it.

    Example: kg build data/sample --store out/store -o out/graph.trig --html out/graph.html
    """


@command
def extract(
    file: Annotated[Path, typer.Argument(readable=False, help="An article: .txt or .html, any encoding.")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write here, in the format of the extension: .ttl .trig .nq .jsonld"),
    ] = None,
) -> None:
    """Extract one article to RDF (Turtle on stdout unless -o is given).

    Example: kg extract data/sample/seed-001.txt -o seed-001.trig
    """
    from kg.extract import extract_quads

    if output is not None:
        rdf_format(output)
    dataset = extract_quads(file)
    if output is None:
        typer.echo(serialise(dataset, ".ttl"), nl=False)
        return
    write_rdf(dataset, output)
    out.print(f"wrote {output}")


@command
def build(
    inputs: Annotated[
        list[Path], typer.Argument(metavar="INPUT", readable=False, help="Article files and folders (recursed).")
    ],
    store: Annotated[Path, typer.Option("--store", metavar="DIR", help="The store folder, made if missing.")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Also export the graph: .trig .nq .ttl .jsonld")
    ] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Also write the interactive view.")] = None,
    title: TitleOption = "govnews-kg",
    fresh: Annotated[bool, typer.Option("--fresh", help="Empty the store before writing.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes; 0 = one per core.")] = 0,
    on_error: Annotated[
        OnError,
        typer.Option("--on-error", help="fail: stop, and store nothing of this build; skip: store the good "
                     "articles and report the bad ones at the end."),
    ] = OnError.fail,
    endpoint: Annotated[
        str | None,
        typer.Option("--endpoint", metavar="URL", help="Also load each article written into this SPARQL 1.1 "
                     "Graph Store Protocol endpoint (e.g. http://localhost:7878/store), one named graph each."),
    ] = None,
    compact: Annotated[
        bool | None,
        typer.Option("--compact/--no-compact", help="Compact the store after writing, so queries read fewer "
                     "files. Default: when the build wrote at least a tenth of the store's articles."),
    ] = None,
) -> None:
    """Extract every article into the store, in parallel; unchanged articles are skipped.

    Folders are searched recursively for *.txt, *.html and *.htm (gold files and notes
    beside them are skipped); an article's id is its path inside the folder. An
    article whose bytes are unchanged since it was stored is skipped, a changed one
    replaces its graph, and a build that was killed resumes where it stopped (each
    article is stored whole, in one transaction). With --on-error fail (the default)
    a build is all or nothing: every article is extracted (to a temporary folder
    beside the store) before any is written, so one bad article leaves the store as
    it was. Prints counts by class and the SHACL result. Entity facts are only ever
    added: after upgrading kg, rebuild with --fresh so no stale entity facts remain.
    A build that wrote at least a tenth of the store's articles then compacts the
    store, so queries read fewer files (--compact / --no-compact decide it yourself).

    --endpoint URL loads the same graphs into a remote store as well: each article
    written is PUT as its named graph (before it is stored locally, so one the
    endpoint refused is sent again by the next build), and at the end the entity
    graph is replaced by the local one. The local store stays the record of what was
    built: unchanged articles are not sent again, so to fill a new or emptied
    endpoint add --fresh. An endpoint that cannot be reached or refuses is an error.

    Example: kg build data/sample --store out/store -o out/graph.trig --html out/graph.html
    """
    from kg.corpus import build_corpus, default_jobs, sources
    from kg.serve import check_endpoint

    if output is not None:
        rdf_format(output)
    if html is not None:
        check_html_name(html)
    if endpoint is not None:
        check_endpoint(endpoint)
    todo = sources(inputs)
    with Store(store) as st:
        with progress_bar() as bar:
            task = bar.add_task("extracting", total=len(todo))
            report = build_corpus(st, todo, jobs=jobs or default_jobs(), on_error=on_error.value, fresh=fresh,
                                  endpoint=endpoint, compact=compact, advance=lambda n: bar.advance(task, n),
                                  stage=lambda name, n: bar.reset(task, total=n, description=name))
        if output is not None:
            st.export(output)
        counts = st.counts()
        dataset = st.to_dataset() if html is not None or counts.quads <= VALIDATE_UP_TO else None
    out.print(f"{store}: {len(todo)} article file(s): {len(report.written)} written, "
              f"{len(report.unchanged)} unchanged, {len(report.failed)} skipped"
              + (", store compacted" if report.compacted else ""))
    if endpoint is not None:
        out.print(f"{endpoint}: {len(report.written)} article graph(s) and the entity graph loaded")
    print_counts(counts)
    print_validation(dataset, store)
    for _path, why in report.failed:
        err.print(f"skipped: {why}")
    if output is not None:
        out.print(f"wrote {output}")
    if html is not None and dataset is not None:
        view(dataset, html, title)


VALIDATE_UP_TO = 300_000
"""Stores larger than this (in quads) are not validated after a build: run kg validate."""


def print_validation(dataset: Dataset | None, store: Path) -> None:
    """The SHACL line of a build's summary."""
    from kg.validate import validate

    if dataset is None or len(dataset) > VALIDATE_UP_TO:
        out.print(f"SHACL: not run on a store this large; run: kg validate --store {store}")
        return
    report = validate(dataset)
    if report.conforms:
        out.print(Text.assemble("SHACL: ", ("conforms", "green")))
    else:
        violations = (f"{len(report.violations)} violation(s)", "red")
        out.print(Text.assemble("SHACL: ", violations, f"; see: kg validate --store {store}"))


class RateColumn(ProgressColumn):
    """Articles per second, for the build's progress bar."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:.1f} articles/s" if task.speed else "", style="progress.data.speed")


def progress_bar() -> Progress:
    """A progress bar on stderr with count, rate and time left; gone when done, silent in logs."""
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
                    TimeRemainingColumn(), console=err, transient=True, disable=not err.is_terminal)


def print_counts(counts: Counts) -> None:
    """The summary table of a store: resources per class, then articles, graphs and quads."""
    table = Table("class", "count")
    for name, n in counts.by_class.items():
        table.add_row(name, str(n))
    table.add_section()
    for name, n in (("articles", counts.articles), ("named graphs", counts.graphs), ("quads", counts.quads)):
        table.add_row(name, str(n))
    out.print(table)


def view(dataset: Dataset | Store, html: Path, title: str, options: ViewOptions | None = None) -> None:
    """Write the HTML view and say what it drew (and, when it had to summarise, that it did)."""
    from kg.visualise import write_html

    summary = write_html(dataset, html, title=title, options=options)
    out.print(f"wrote {html} ({summary.nodes} nodes, {summary.edges} edges)")
    if summary.notice:
        out.print(Text(summary.notice, style="yellow"))


def frame_table(frame: pd.DataFrame, title: str) -> Table:
    """A DataFrame as a rich Table: text shown as it is, floats to four places."""
    table = Table(*frame.columns, title=title)
    for row in frame.itertuples(index=False):
        table.add_row(*(Text(f"{v:.4f}" if isinstance(v, float) else str(v)) for v in row))
    return table


@command
def query(
    query: Annotated[str, typer.Argument(metavar="QUERY", help="SPARQL text, a .rq file or a name in queries/.")],
    store: StoreOption = None,
    graph: GraphOption = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", metavar="NAME=VALUE", help="Bind a selected variable (repeatable)."),
    ] = None,
) -> None:
    """Run a read-only SPARQL query over all graphs; kg:, kgr:, rdfs: … are predeclared.

    json is SPARQL 1.1 Query Results JSON (language tags and datatypes kept); csv and
    table show plain values. A --param value is an IRI (<…> or kg:Official), a literal
    as written ("…"@en, 2021), or else Chinese text, matched as a @zh literal.

    Example: kg query 12-title-holders --store out/store --param title=厅长 --format csv
    """
    from kg.query import format_result, load_query, parse_params, run_query, to_table

    checked = load_query(query)
    params = parse_params(param or [])
    with open_source(store, graph) as st:
        result = run_query(st, checked, params)
    if fmt is Format.table:
        out.print(to_table(result, title=Path(checked.name).stem))
    else:
        typer.echo(format_result(result, fmt.value), nl=False)


@command
def validate(store: StoreOption = None, graph: GraphOption = None) -> None:
    """Check the graph against the SHACL shapes; exit status 1 on any violation.

    Example: kg validate --store out/store
    """
    from kg.validate import validate as run_validation

    with open_source(store, graph) as st:
        report = run_validation(st.to_dataset())
    out.print(report.text)
    if not report.conforms:
        raise fail(f"the graph does not conform: {len(report.violations)} SHACL violation(s)")


@command
def viz(
    output: Annotated[Path, typer.Option("-o", "--output", help="The HTML page to write.")],
    store: StoreOption = None,
    graph: GraphOption = None,
    title: TitleOption = "govnews-kg",
    classes: Annotated[
        list[str] | None,
        typer.Option("--class", metavar="CLASS", help="Only this class (repeatable): Official, Agency, Person …"),
    ] = None,
    articles: Annotated[
        list[str] | None, typer.Option("--article", metavar="ID", help="Only what this article names (repeatable).")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help="Events and positions from this date: YYYY[-MM[-DD]].")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", metavar="DATE", help="Events and positions up to this date.")
    ] = None,
    focus: Annotated[
        str | None, typer.Option("--focus", metavar="ENTITY", help="Only this entity's neighbours (IRI, label, alias).")
    ] = None,
    depth: Annotated[int, typer.Option("--depth", min=0, help="Hops around --focus.")] = 1,
    size: Annotated[Size, typer.Option("--size", help="Node size by.")] = Size.degree,
    colour: Annotated[Colour, typer.Option("--colour", "--color", help="Node colour by.")] = Colour.class_,
    budget: Annotated[
        int, typer.Option("--budget", min=1, help="Most nodes drawn; more are cut to the most central.")
    ] = 1500,
) -> None:
    """Draw the graph as one self-contained interactive HTML page.

    Filters apply in order: --class, --article, --since/--until (events by their
    dates, positions by when they were reported), then --focus with --depth. Above
    --budget nodes only the most central are drawn (by degree, or by PageRank with --size
    pagerank; nearest --focus first), and the page says so.
    Large views are laid out in Python and drawn without physics.

    Example: kg viz --store out/store -o out/officials.html --class Official --class Agency --colour community
    """
    from kg.visualise import ViewOptions

    check_html_name(output)
    options = ViewOptions(
        classes=tuple(classes or ()),
        articles=tuple(articles or ()),
        since=since,
        until=until,
        focus=focus,
        depth=depth,
        size=size.value,
        colour=colour.value,
        budget=budget,
    )
    with open_source(store, graph) as st:
        view(st, output, title, options)


@command
def stats(
    store: StoreOption = None,
    graph: GraphOption = None,
    top: Annotated[int, typer.Option("--top", min=0, help="How many of the most central entities to list.")] = 10,
) -> None:
    """Count the entity network's nodes by class and edges by relation; list its most central entities.

    The network is the one kg viz draws: entities and events as nodes, relations and
    positions as edges. Centrality: degree, betweenness (estimated above 500 nodes)
    and PageRank, ranked by PageRank.

    Example: kg stats --store out/store --top 20
    """
    from kg.analyse import centrality, class_counts, entity_graph, relation_counts

    with open_source(store, graph) as st:
        network = entity_graph(st)
    out.print(f"{network.number_of_nodes()} nodes, {network.number_of_edges()} edges")
    out.print(frame_table(class_counts(network), "nodes by class"))
    out.print(frame_table(relation_counts(network), "edges by relation"))
    ranking = centrality(network).head(top).drop(columns="iri")
    out.print(frame_table(ranking, f"top {len(ranking)} by PageRank"))


@command
def export(
    to: Annotated[
        Path | None, typer.Option("--to", metavar="FILE", help="The network: .graphml .gexf .nodes.csv .edges.csv")
    ] = None,
    tables: Annotated[
        Path | None,
        typer.Option(
            "--tables",
            metavar="DIR",
            help="Tables for analysts, into this folder: entities.csv positions.csv events.csv figures.csv",
        ),
    ] = None,
    store: StoreOption = None,
    graph: GraphOption = None,
    fmt: Annotated[
        ExportFormat | None, typer.Option("--format", "-f", help="The network's format, whatever the extension.")
    ] = None,
) -> None:
    """Export for other tools: the entity network (--to) and tables for analysts (--tables).

    --to FILE writes the entity network as GraphML, GEXF (Gephi) or two CSV tables; the
    format follows the extension unless --format is given, and csv writes NAME.nodes.csv
    and NAME.edges.csv. Nodes carry label, class, aliases, articles, dates, degree,
    PageRank, betweenness and community; edges their relation and, for positions,
    title, dates and evidence.

    --tables DIR writes entities.csv (class, names, number of articles), positions.csv
    (holder, title, organisation, date, 时任/原, evidence sentence and offsets),
    events.csv (kind, dates, places, participants, organisers, articles) and
    figures.csv (measure, value, unit, period, area, evidence). They are UTF-8 with a
    byte-order mark, so Excel shows the Chinese; several values in a cell are joined
    with |, names first and their IRIs, in the same order, in the *_iris columns.

    Output is deterministic, and everything one export writes is written all or none.

    Example: kg export --store out/store --to out/network.graphml --tables out/tables
    """
    from kg.analyse import entity_graph
    from kg.export import (
        analyst_tables,
        check_tables_folder,
        export_format,
        network_files,
        table_files,
        write_all_or_none,
    )

    if to is None and tables is None:
        raise fail("give --to FILE, --tables DIR or both", USAGE)
    if fmt is not None and to is None:
        raise fail("--format is the format of --to FILE; give --to too", USAGE)
    chosen = export_format(to, fmt.value if fmt else None) if to is not None else None
    folder = check_tables_folder(tables) if tables is not None else None
    files: dict[Path, bytes] = {}
    rows: dict[Path, int] = {}
    with open_source(store, graph) as st:
        if to is not None:
            files |= network_files(entity_graph(st), to, chosen)
        if folder is not None:
            found = analyst_tables(st)
            files |= table_files(found, folder)
            rows = {folder / f"{name}.csv": len(body) for name, (_, body) in found.items()}
    write_all_or_none(files)
    for path in files:
        out.print(f"wrote {path}" + (f" ({rows[path]} rows)" if path in rows else ""))


@command("eval")
def evaluate(
    golds: Annotated[
        list[Path], typer.Argument(metavar="GOLD_OR_DIR", readable=False, help="Gold files or folders of them.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the full reports as JSON.")] = False,
) -> None:
    """Score extraction against gold annotations, as the shared kgeval.py does.

    Each NAME.gold.json is scored against the article beside it (NAME.txt, NAME.html …),
    extracted afresh. Prints F1 per article and part, and the mean over articles.

    Example: kg eval ../shared/corpus/seed ../shared/corpus/dev
    """
    import json
    from statistics import mean

    from kg.evaluate import PARTS, evaluate_gold, gold_files

    files = gold_files(golds)
    if not files:
        raise KGError("no gold files (*.gold.json) found")
    reports = {f.name.removesuffix(".gold.json"): evaluate_gold(f) for f in files}
    if as_json:
        typer.echo(json.dumps(reports, ensure_ascii=False, indent=1))
        return
    table = Table("article", *PARTS, "kg_f1")
    for name, r in reports.items():
        table.add_row(name, *(f"{r[p]['f1']:.3f}" for p in PARTS), f"{r['kg_f1']:.3f}")
    table.add_section()
    table.add_row("mean", *(f"{mean(r[p]['f1'] for r in reports.values()):.3f}" for p in PARTS),
                  f"{mean(r['kg_f1'] for r in reports.values()):.3f}")
    out.print(table)


@command
def serve(
    store: Annotated[Path, typer.Option("--store", metavar="DIR", help="The store folder (made by kg build).")],
    host: Annotated[str, typer.Option("--host", help="Address to listen on; other machines need 0.0.0.0.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 7878,
    timeout: Annotated[int, typer.Option("--timeout", help="Seconds before a query is stopped.")] = 30,
) -> None:
    """Serve the store read-only as a SPARQL endpoint (Oxigraph server, with its query page).

    Queries see the union of all graphs. Open http://HOST:PORT/ for the query editor;
    SPARQL clients use http://HOST:PORT/query. Updates are refused. Stop with Ctrl-C.

    Example: kg serve --store out/store --port 7878
    """
    from kg.serve import serve as run_server

    out.print(f"serving {store} read-only at http://{host}:{port}/ (Ctrl-C stops)")
    raise typer.Exit(run_server(store, host, port, timeout))


def main() -> None:
    """Console-script entry point (``kg``).

    Typer handles a closed pipe on standard output, not a full disk or a device
    error; those become one ``error:`` line too, and what is still buffered is
    dropped so that Python's exit does not print a second complaint.
    """
    try:
        try:
            app(prog_name="kg")
        finally:
            sys.stdout.flush()
    except OSError as error:
        if error.filename is not None or error.errno not in _OUTPUT_ERRNOS:
            raise
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        typer.echo(f"error: standard output: cannot write ({error.strerror})", err=True)
        sys.exit(1)


_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG, errno.EPIPE}
"""Write errors of standard output that main() reports in one line."""


if __name__ == "__main__":
    main()
