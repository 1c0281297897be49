"""Extraction quality on the seed and the dev corpus, scored like ../shared/tools/kgeval.py.

These are the thresholds of the extraction issue; they are measured, not assumed:
each article is extracted from its original file and scored against its gold.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from statistics import mean

import pytest

from corpus import DATA, shared_dir
from kg.evaluate import evaluate_gold


@cache
def report(gold_path: str) -> dict:
    return evaluate_gold(Path(gold_path))


def dev_golds() -> list[Path]:
    return sorted((shared_dir() / "corpus" / "dev").glob("*.gold.json"))


def test_seed_meets_the_extraction_bar():
    r = report(str(DATA / "seed-001.gold.json"))
    assert r["entities_typed"]["f1"] >= 0.95
    assert r["positions"]["f1"] == 1.0
    assert r["relations"]["f1"] >= 0.85
    assert r["observations"]["f1"] >= 0.95
    assert r["kg_f1"] >= 0.93


def test_seed_metadata_and_provenance_are_exact():
    r = report(str(DATA / "seed-001.gold.json"))
    art = r["article"]
    assert art["found"] == 1
    assert all(art[k] for k in ("headline", "author", "sourceName", "datePublished", "publisher"))
    prov = r["provenance"]
    assert prov["nodes"] > 0
    assert prov["spans_checked_ok"] == prov["spans"] == prov["derivedFrom"] == prov["nodes"]


def test_dev_corpus_mean_and_floor():
    scores = {g.name: report(str(g))["kg_f1"] for g in dev_golds()}
    assert len(scores) >= 8
    assert mean(scores.values()) >= 0.85, scores
    assert min(scores.values()) >= 0.70, scores


@pytest.mark.parametrize("name", [f"dev-0{i}" for i in range(1, 9)])
def test_dev_article_metadata_and_spans(name):
    gold = shared_dir() / "corpus" / "dev" / f"{name}.gold.json"
    r = report(str(gold))
    assert r["article"]["found"] == 1
    assert all(v for k, v in r["article"].items() if k != "found"), r["article"]
    prov = r["provenance"]
    assert prov["derivedFrom"] == prov["nodes"]
