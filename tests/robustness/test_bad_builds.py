"""Hostile inputs and stores through ``kg build``: one clean line, and the user's store kept.

Each case starts from a copy of a store that already holds one article and checks,
besides the exit status and the one ``error:`` line, that the store exports the same
bytes afterwards. The behaviours of the corpus build that the hardening issue asks
are at the end: a bad input stops a build before anything is written, --fresh included,
and so does an article that reads and decodes but fails in extraction, after others
were extracted (the build is all or nothing).
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
from robust import ARTICLE, KG_EXE, Watch, check, export_bytes, invoke, run
from test_bad_inputs import _unprivileged, png

import kg.corpus
import kg.extract
from kg.ingest import read_source
from kg.rdf import iris
from kg.store import Store


def article(tmp: Path, name: str, person: str = "王五") -> Path:
    path = tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ARTICLE.replace("张三", person), encoding="utf-8")
    return path


def build(*args: str | Path) -> tuple[str | Path, ...]:
    return ("build", *args, "-j", "1")


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("photo.txt", png(), "binary file, not text"),
        ("empty.txt", b"", "file is empty"),
        ("blank.html", b"<html><body>  </body></html>", "no text found"),
        ("noise.txt", bytes(range(1, 256)) * 8,
         "cannot detect the text encoding (invalid UTF-8 at byte 127, and no other encoding fits); save it as UTF-8"),
    ],
    ids=["png", "empty", "blank-page", "bytes"],
)
def test_one_bad_file_leaves_the_store_as_it_was(store: Path, tmp_path: Path, name: str, data: bytes,
                                                  problem: str) -> None:
    bad = tmp_path / "in" / name
    bad.parent.mkdir()
    bad.write_bytes(data)
    out = tmp_path / "graph.trig"
    watch = Watch.of(files=[out], stores=[store])
    check(invoke(*build(bad.parent, "--store", store, "-o", out)), code=1, error=f"error: {bad}: {problem}",
          watch=watch)


def test_junk_beside_an_article_is_passed_over(store: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    good = article(folder, "good.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "dangling.txt").symlink_to(folder / "never-written.txt")
    (folder / "sub.txt").mkdir()
    (folder / "photo.png").write_bytes(png())
    (folder / ".hidden.txt").write_bytes(png())
    (folder / "good.gold.json").write_text("{ not json", encoding="utf-8")
    ran = invoke(*build(folder, "--store", store))
    check(ran, code=0)
    assert f"{store}: 1 article file(s)" in ran.stdout
    with Store(store, read_only=True) as st:
        assert len(st.article_graphs()) == 2
    assert good.exists()


def test_a_store_that_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "store"
    target.write_bytes(b"not a store")
    source = article(tmp_path, "a.txt")
    check(invoke(*build(source, "--store", target)), code=1,
          error=f"error: {target}: is a file, not a store directory", watch=Watch.of(files=[target]))


def test_a_store_folder_holding_other_files(tmp_path: Path) -> None:
    target = tmp_path / "notes"
    target.mkdir()
    (target / "todo.md").write_text("keep me", encoding="utf-8")
    source = article(tmp_path, "a.txt")
    check(invoke(*build(source, "--store", target)), code=1,
          error=f"error: {target}: not a kg store (the folder holds other files); choose a new folder",
          watch=Watch.of(files=[target / "todo.md"]))
    assert sorted(p.name for p in target.iterdir()) == ["todo.md"]


def _store_files(store: Path) -> dict[str, bytes]:
    """The store's data files (RocksDB's own LOG is rewritten by every attempt to open it)."""
    return {p.name: p.read_bytes() for p in sorted(store.iterdir()) if not p.name.startswith("LOG")}


@pytest.mark.parametrize("damage", ["current", "truncated-table"])
@pytest.mark.parametrize("command", ["build", "query"])
def test_a_damaged_store_is_one_line_and_left_alone(store: Path, tmp_path: Path, damage: str, command: str) -> None:
    if damage == "current":
        (store / "CURRENT").write_bytes(b"garbage\n")
        reason = "Corruption: CURRENT file corrupted"
    else:
        table = next(store.glob("*.sst"))
        size = table.stat().st_size
        table.write_bytes(table.read_bytes()[:100])
        reason = (f"Corruption: Sst file size mismatch between expected {size} and file system 100 sstable: "
                  f"{table} The file {next(store.glob('MANIFEST-*'))} may be corrupted.")
    before = _store_files(store)
    if command == "build":
        ran = invoke(*build(article(tmp_path, "a.txt"), "--store", store))
    else:
        ran = invoke("query", "SELECT * WHERE { ?s ?p ?o }", "--store", store)
    check(ran, code=1,
          error=f"error: {store}: cannot open store ({reason}); restore it from a backup or build a new one")
    assert _store_files(store) == before


def _whole(store: Path, sources: dict[str, Path]) -> list[str]:
    """The article graphs in ``store``, each checked to equal a clean extraction of its file."""
    with Store(store, read_only=True) as st:
        graphs = st.article_graphs()
        for graph in graphs:
            doc_id = graph.rsplit("/", 1)[1]
            if doc_id not in sources:
                continue
            clean = kg.extract.extract_file(sources[doc_id], doc_id)
            expected = len(clean.graph(iris.article_graph_iri(doc_id)))
            stored = st.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
            assert int(next(iter(stored))["n"].value) == expected, graph
    return graphs


def test_a_file_that_vanishes_mid_build(store: Path, base_store: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The second article is deleted while the first is extracted (in process: the race, made certain).

    The build stops with one line naming the missing file and, being all or nothing,
    leaves the store as it was (the first article, extracted, is not written); run
    again once the file is back, it completes to what a clean build gives.
    """
    folder = tmp_path / "in"
    files = [article(folder, f"a-00{i}.txt", person) for i, person in enumerate(("王五", "赵六", "孙七"), 1)]
    saved = files[1].read_bytes()
    real = kg.corpus._extract
    extracted = []

    def extract_and_delete(source: kg.corpus.Source) -> tuple:
        extracted.append(source.path)
        if source.path == files[0]:
            files[1].unlink()
        return real(source)

    monkeypatch.setattr(kg.corpus, "_extract", extract_and_delete)
    watch = Watch.of(stores=[store])
    check(invoke(*build(folder, "--store", store)), code=1, error=f"error: {files[1]}: no such file", watch=watch)
    monkeypatch.undo()
    assert extracted[:2] == files[:2]  # the first article was extracted, and then not written
    sources = {f.stem: f for f in files}
    assert [g.rsplit("/", 1)[1] for g in _whole(store, sources)] == ["base-001"]

    files[1].write_bytes(saved)
    check(invoke(*build(folder, "--store", store)), code=0)
    assert len(_whole(store, sources)) == 4
    clean = tmp_path / "clean"
    assert invoke(*build(base_store.parent / "base-001.txt", folder, "--store", clean)).code == 0
    assert export_bytes(store) == export_bytes(clean)


def test_no_read_permission_in_a_build(store: Path, tmp_path: Path) -> None:
    prefix = _unprivileged()
    if prefix is None:
        pytest.skip("cannot drop root's file capabilities here (no setpriv)")
    secret = article(tmp_path / "in", "secret.txt")
    secret.chmod(0)
    watch = Watch.of(stores=[store])
    ran = run(*build(secret.parent, "--store", store), prefix=prefix)
    check(ran, code=1, error=f"error: {secret}: permission denied", watch=watch)


def test_two_builds_on_one_store_serialise_or_the_second_says_why(tmp_path: Path) -> None:
    """Start a build, start a second on the same store while the first holds it.

    The second either waits its turn (exit 0) or stops at once with one line; either
    way the store ends as one clean build leaves it.
    """
    folder = tmp_path / "in"
    people = ["王五", "赵六", "孙七", "周八", "吴九", "郑十", "冯一", "陈二"]
    for i in range(24):
        article(folder, f"b-{i:03d}.txt", people[i % len(people)] + ("" if i < 8 else people[(i * 3) % 8][0]))
    store = tmp_path / "store"
    first = subprocess.Popen([str(KG_EXE), *map(str, build(folder, "--store", store))],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (store / "LOCK").exists() and first.poll() is None:
        assert time.monotonic() < deadline, "the first build never opened its store"
        time.sleep(0.02)
    second = run(*build(folder, "--store", store))
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0 and "Traceback" not in out + err, err
    if second.code != 0:
        check(second, code=1, error=f"error: {store}: store is in use by another process; close it and retry")
    clean = tmp_path / "clean"
    assert invoke(*build(folder, "--store", clean)).code == 0
    assert export_bytes(store) == export_bytes(clean)


# --- a failed build changes nothing -------------------------------------------------


def test_a_failed_fresh_build_keeps_the_store(store: Path, tmp_path: Path) -> None:
    """--fresh empties the store only once every input has been read."""
    bad = tmp_path / "photo.txt"
    bad.write_bytes(png())
    watch = Watch.of(stores=[store])
    check(invoke(*build(bad, "--store", store, "--fresh")), code=1, error=f"error: {bad}: binary file, not text",
          watch=watch)


def test_a_bad_second_file_stops_the_build_before_any_write(store: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    article(folder, "a-001.txt")
    (folder / "a-002.txt").write_bytes(png())
    watch = Watch.of(stores=[store])
    check(invoke(*build(folder, "--store", store)), code=1,
          error=f"error: {folder / 'a-002.txt'}: binary file, not text", watch=watch)


STORY_LESS = '<html><body><div class="nav"><a href="/">首页</a></div><div class="footer">版权所有</div></body></html>'
"""A page that reads and decodes (it has visible text) but holds no story: extraction fails on it."""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_story_less_second_page_changes_nothing(store: Path, tmp_path: Path, jobs: str) -> None:
    folder = tmp_path / "in"
    article(folder, "a-001.txt")
    article(folder, "a-003.txt", "赵六")
    page = folder / "a-002.html"
    page.write_text(STORY_LESS, encoding="utf-8")
    read_source(page)  # the premise: it passes the read-and-decode check that runs before extraction
    watch = Watch.of(stores=[store])
    check(invoke("build", folder, "--store", store, "-j", jobs), code=1, error=f"error: {page}: no text found",
          watch=watch)
    assert not list(tmp_path.glob(".kg-build-*")), "the build's temporary folder was left behind"


def test_a_story_less_page_keeps_the_store_even_with_fresh(store: Path, tmp_path: Path) -> None:
    """--fresh empties the store only once every article has been extracted."""
    folder = tmp_path / "in"
    article(folder, "a-001.txt")
    (folder / "a-002.html").write_text(STORY_LESS, encoding="utf-8")
    watch = Watch.of(stores=[store])
    check(invoke(*build(folder, "--store", store, "--fresh")), code=1,
          error=f"error: {folder / 'a-002.html'}: no text found", watch=watch)


def test_skip_mode_stores_the_good_articles_beside_a_story_less_page(store: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    article(folder, "a-001.txt")
    (folder / "a-002.html").write_text(STORY_LESS, encoding="utf-8")
    ran = invoke(*build(folder, "--store", store, "--on-error", "skip"))
    assert ran.code == 0 and "Traceback" not in ran.stdout + ran.stderr
    assert "1 written, 0 unchanged, 1 skipped" in ran.stdout
    assert ran.stderr.splitlines() == [f"skipped: {folder / 'a-002.html'}: no text found"]
    with Store(store, read_only=True) as st:
        assert [g.rsplit("/", 1)[1] for g in st.article_graphs()] == ["a-001", "base-001"]


def test_file_names_that_are_not_utf8(store: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    article(folder, os.fsdecode(b"\xff\xfe.txt"))
    article(folder, os.fsdecode(b"a\xffb.txt"), "赵六")
    ran = invoke(*build(folder, "--store", store))
    check(ran, code=0)
    with Store(store, read_only=True) as st:
        assert len(st.article_graphs()) == 3
        files = {row[0].value for row in st.query("SELECT ?f WHERE { ?a kg:sourceFile ?f }")}
    assert {"\ufffd\ufffd.txt", "a\ufffdb.txt"} <= files
    check(invoke(*build(folder, "--store", store)), code=0, watch=Watch.of(stores=[store]))
