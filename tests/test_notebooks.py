"""Every notebook in notebooks/ runs top to bottom, in this interpreter, from notebooks/.

Notebooks are committed with their outputs cleared and executed here, so a change to
the library that breaks one fails the tests. Notebooks added later are picked up
by the glob.
"""

from __future__ import annotations

import functools
import sys
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
KERNEL = "python3"
CELL_TIMEOUT = 120
SETTLE_SECONDS = 30


def _kernel_manager() -> KernelManager:
    """A kernel run by this very interpreter (the venv's), whatever kernelspecs are installed.

    A ``python3`` kernelspec in ``~/.local/share/jupyter`` or a system folder could
    point at another Python, which would lack ``kg``. With no kernel folders to
    search, jupyter_client falls back to ipykernel's built-in spec, whose command
    is ``sys.executable -m ipykernel_launcher``.
    """
    return KernelManager(kernel_name=KERNEL, kernel_spec_manager=KernelSpecManager(kernel_dirs=[]))


def _execute(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Run every cell with cwd = notebooks/; a cell that raises fails with its traceback."""
    client = NotebookClient(
        notebook,
        km=_kernel_manager(),
        kernel_name=KERNEL,
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    client.execute()
    return notebook


@functools.cache
def executed(path: Path) -> nbformat.NotebookNode:
    """The notebook at ``path`` after running it, run once per test session."""
    return _execute(nbformat.read(path, as_version=4))


def _stdout(notebook: nbformat.NotebookNode) -> list[str]:
    """Lines the notebook's cells printed."""
    return [
        line
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("name") == "stdout"
        for line in output["text"].splitlines()
    ]


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS, f"no notebooks in {NOTEBOOK_DIR}"


def test_kernel_is_this_interpreter_in_the_notebooks_folder() -> None:
    cell = new_code_cell("import os, sys, kg\nprint(sys.prefix, os.getcwd(), kg.__file__, sep='\\n')")
    probe = new_notebook(cells=[cell])
    prefix, cwd, package = _stdout(_execute(probe))
    assert Path(prefix) == Path(sys.prefix)
    assert Path(cwd) == NOTEBOOK_DIR
    assert Path(package).is_relative_to(ROOT / "src")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_committed_clean(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == KERNEL
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(not cell.outputs and cell.execution_count is None for cell in code), "clear the outputs"
    assert notebook.cells[0].cell_type == "markdown", "open with what the notebook answers"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path: Path) -> None:
    notebook = executed(path)
    errors = [o for cell in notebook.cells for o in cell.get("outputs", []) if o.output_type == "error"]
    assert errors == []


def test_explore_shows_queries_centrality_and_the_network() -> None:
    notebook = executed(NOTEBOOK_DIR / "explore.ipynb")
    tables = [page for page in _html(notebook) if "<table" in page]
    assert len(tables) >= 5  # three queries, the ranking, a timeline
    assert any("pagerank" in table for table in tables)
    assert _iframe(notebook)


def _images(notebook: nbformat.NotebookNode) -> int:
    """How many charts (PNG outputs) the notebook drew."""
    return sum("image/png" in output.get("data", {}) for cell in notebook.cells for output in cell.get("outputs", []))


def _stderr(notebook: nbformat.NotebookNode) -> str:
    """Everything the notebook's cells wrote to stderr (warnings land here)."""
    outputs = [output for cell in notebook.cells for output in cell.get("outputs", [])]
    return "".join(output["text"] for output in outputs if output.get("name") == "stderr")


def test_officials_shows_positions_meetings_and_a_timeline_in_a_cjk_font() -> None:
    notebook = executed(NOTEBOOK_DIR / "officials.ipynb")
    tables = [page for page in _html(notebook) if "<table" in page]
    assert any("event_names" in table and "王学勤" in table for table in tables)  # who met whom
    assert any("firstAttestedOn" in table and "厅长" in table for table in tables)  # who holds what, when
    assert any(line.startswith("font: ") for line in _stdout(notebook))
    assert _images(notebook) >= 2
    assert "missing from" not in _stderr(notebook)  # matplotlib's "Glyph … missing from font(s)"
    assert _iframe(notebook)


def test_statistics_tabulates_figures_and_charts_them_in_a_cjk_font() -> None:
    notebook = executed(NOTEBOOK_DIR / "statistics.ipynb")
    tables = [page for page in _html(notebook) if "<table" in page]
    assert any("measure" in table and "CNY" in table and "1.56亿元" in table for table in tables)
    assert len(tables) >= 3  # the tidy table, counts by area and period, the wide table
    assert _images(notebook) >= 3
    assert "missing from" not in _stderr(notebook)


def _html(notebook: nbformat.NotebookNode) -> list[str]:
    """Every HTML output of the notebook's cells."""
    return [
        output["data"]["text/html"]
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if "text/html" in output.get("data", {})
    ]


def _iframe(notebook: nbformat.NotebookNode) -> str:
    """The HTML output holding the network view."""
    found = [page for page in _html(notebook) if page.startswith("<iframe srcdoc=")]
    assert len(found) == 1, "expected one inline network view"
    return found[0]


@pytest.mark.browser
def test_inline_view_draws_offline_within_its_policy(browser: object, tmp_path: Path) -> None:
    """The iframe as Jupyter would show it: drawn, no request out, no CSP violation or error."""
    host = tmp_path / "notebook-output.html"
    host.write_text(f"<!doctype html><meta charset='utf-8'><body>{_iframe(executed(NOTEBOOK_DIR / 'explore.ipynb'))}")
    page = browser.new_page()  # type: ignore[attr-defined]
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: request.url.startswith(("http", "ws")) and requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(host.as_uri())
    (frame,) = page.main_frame.child_frames
    deadline = time.monotonic() + SETTLE_SECONDS
    while not frame.evaluate("window.kgStabilised === true"):  # the page's CSP forbids eval-based waits
        assert time.monotonic() < deadline, "the network did not stabilise"
        page.wait_for_timeout(50)
    assert frame.evaluate("window.kgNodes.length") > 10
    assert frame.title() == "govnews-kg: sample"
    assert requests == []
    assert errors == []
