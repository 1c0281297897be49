"""Corpus builds: parallel, incremental, resumable, with bad articles skipped or failing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corpus import shared_dir
from kg.corpus import build_corpus, sources
from kg.errors import InputError, KGError
from kg.store import Store

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "news"
    for f in sorted((shared_dir() / "corpus" / "dev").glob("dev-0[1-4].txt")):
        (root / "a").mkdir(parents=True, exist_ok=True)
        shutil.copy(f, root / "a" / f.name)
    (root / "b").mkdir()
    shutil.copy(SAMPLE / "seed-001.txt", root / "b" / "index.txt")
    shutil.copy(SAMPLE / "seed-001.txt", root / "a" / "index.txt")  # same name, other folder: two articles
    return root


def export(store: Store, path: Path) -> bytes:
    store.export(path)
    return path.read_bytes()


def test_ids_are_paths_relative_to_the_folder(folder: Path):
    ids = [s.doc_id for s in sources([folder])]
    assert "a/index" in ids and "b/index" in ids and "a/dev-01" in ids


def test_same_result_with_one_or_two_processes(folder: Path, tmp_path: Path):
    outs = []
    for jobs in (1, 2):
        s = Store()
        report = build_corpus(s, sources([folder]), jobs=jobs)
        assert len(report.written) == 6
        outs.append(export(s, tmp_path / f"{jobs}.nq"))
    assert outs[0] == outs[1]


def test_incremental_rebuild_skips_unchanged_and_replaces_changed(folder: Path, tmp_path: Path):
    s = Store()
    build_corpus(s, sources([folder]))
    before = export(s, tmp_path / "a.nq")
    again = build_corpus(s, sources([folder]))
    assert again.written == [] and len(again.unchanged) == 6
    assert export(s, tmp_path / "b.nq") == before
    changed = folder / "a" / "dev-01.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("调研", "考察", 1), encoding="utf-8")
    third = build_corpus(s, sources([folder]))
    assert len(third.written) == 1 and third.written[0].endswith("a-dev-01")


def test_bad_articles_skip_or_fail(folder: Path):
    (folder / "b" / "empty.txt").write_text("", encoding="utf-8")
    s = Store()
    report = build_corpus(s, sources([folder]), on_error="skip")
    assert len(report.written) == 6
    assert [p.name for p, _ in report.failed] == ["empty.txt"]
    assert "empty" in report.failed[0][1]
    with pytest.raises(KGError, match="empty"):
        build_corpus(Store(), sources([folder]), on_error="fail")


def test_missing_input_is_a_clear_error(tmp_path: Path):
    with pytest.raises(InputError, match="no such file or folder"):
        sources([tmp_path / "nope"])


def test_sources_recurse_and_skip_what_is_not_an_article(tmp_path: Path):
    for name in ("a.txt", "sub/b.html", "sub/deeper/c.htm", "a.gold.json", "notes.md", ".hidden/d.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert [s.doc_id for s in sources([tmp_path, tmp_path / "a.txt"])] == ["a", "sub/b", "sub/deeper/c"]
    with pytest.raises(InputError, match="not an article file"):
        sources([tmp_path / "a.gold.json"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no article files"):
        sources([tmp_path / "empty"])


def test_two_files_with_one_article_id_are_refused(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b.txt").write_text("x")
    (tmp_path / "a-b.txt").write_text("x")
    with pytest.raises(InputError, match="same article id"):
        sources([tmp_path])


STORY_LESS = '<html><body><div class="nav"><a href="/">首页</a></div><div class="footer">版权所有</div></body></html>'
"""Reads and decodes, but holds no story: fails in extraction, not in the read check before it."""


@pytest.mark.parametrize("jobs", [1, 2])
def test_fail_mode_writes_nothing_when_a_late_article_fails_extraction(folder: Path, tmp_path: Path, jobs: int):
    (folder / "b" / "zz.html").write_text(STORY_LESS, encoding="utf-8")  # extracted last
    with Store(tmp_path / "store") as s:
        with pytest.raises(KGError, match=r"zz\.html: no text found"):
            build_corpus(s, sources([folder]), jobs=jobs)
        assert len(s) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["news", "store"]  # the spool folder is gone


def test_progress_is_extraction_then_storing(folder: Path):
    s = Store()
    for expected_stages, expected_done in (([("extracting", 6), ("storing", 6), ("compacting", 1)], 13),
                                           ([("extracting", 6), ("storing", 0)], 6)):  # again: all unchanged
        stages: list[tuple[str, int]] = []
        done: list[int] = []
        build_corpus(s, sources([folder]), stage=lambda name, n, into=stages: into.append((name, n)),
                     advance=done.append)
        assert stages == expected_stages and sum(done) == expected_done


def test_skip_mode_streams_in_one_stage(folder: Path):
    stages, done = [], []
    build_corpus(Store(), sources([folder]), on_error="skip", stage=lambda name, n: stages.append((name, n)),
                 advance=done.append)
    assert stages == [("extracting", 6), ("compacting", 1)] and sum(done) == 7


def test_a_build_compacts_the_store_when_it_wrote_a_tenth_of_it(folder: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch):
    compactions: list[int] = []
    monkeypatch.setattr(Store, "optimize", lambda self: compactions.append(len(self.article_graphs())))
    s = Store(tmp_path / "store")
    assert build_corpus(s, sources([folder])).compacted and compactions == [6]  # 6 of 6 written
    assert not build_corpus(s, sources([folder])).compacted  # nothing written
    big = tmp_path / "more"
    for n in range(18):  # 24 articles in all: one changed is 1/24, under a tenth
        (big / f"{n:02d}").mkdir(parents=True)
        shutil.copy(SAMPLE / "seed-001.txt", big / f"{n:02d}" / "a.txt")
    assert build_corpus(s, sources([big]), jobs=2).compacted  # 18 of 24
    changed = folder / "a" / "dev-01.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("调研", "考察", 1), encoding="utf-8")
    report = build_corpus(s, sources([folder]))
    assert len(report.written) == 1 and not report.compacted
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build_corpus(s, sources([folder]), compact=True).compacted
    assert not build_corpus(s, sources([folder, big]), fresh=True, compact=False).compacted
    assert compactions == [6, 24, 24]


def test_a_killed_builds_spool_is_removed_by_the_next_build_of_that_store(folder: Path, tmp_path: Path):
    stale = tmp_path / (".kg-build-store." + "0" * 16)
    other = tmp_path / (".kg-build-store.old." + "1" * 16)  # another store's (store.old) build: not ours
    for d in (stale, other):
        d.mkdir()
        (d / "00000000.nq").write_bytes(b"")
    with Store(tmp_path / "store") as s:
        build_corpus(s, sources([folder / "b"]))
    assert sorted(p.name for p in tmp_path.iterdir()) == [other.name, "news", "store"]
