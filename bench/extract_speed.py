"""Extraction throughput against stock spaCy + jieba segmentation, measured in one run.

    .venv/bin/python bench/extract_speed.py [FILES...]   (default: data/sample and ../shared/corpus)

Prints chars/s and articles/s of the whole extraction (file → RDF Dataset) and of
``spacy.blank("zh")`` with ``segmenter="jieba"`` alone on the same clean texts, and
their ratio. Medians of 5 rounds. A benchmark, not a test: numbers go to bench/RESULTS.md.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import spacy

from kg.extract import extract_file
from kg.ingest import load

REPO = Path(__file__).resolve().parents[1]
ROUNDS = 5


def corpus(args: list[str]) -> list[Path]:
    if args:
        return [Path(a) for a in args]
    files = sorted((REPO / "data" / "sample").glob("*.txt"))
    shared = REPO.parent / "shared" / "corpus"
    files += sorted(p for p in shared.rglob("*.txt"))
    return files


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    files = corpus(sys.argv[1:])
    texts = [load(f).clean.text for f in files]
    chars = sum(map(len, texts))
    extract_file(files[0])  # build the pipeline and load the vocabularies once
    stock = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    stock(texts[0])
    ours = statistics.median(timed(lambda: [extract_file(f) for f in files]) for _ in range(ROUNDS))
    seg = statistics.median(timed(lambda: [stock(t) for t in texts]) for _ in range(ROUNDS))
    print(f"articles: {len(files)}, clean chars: {chars}")
    print(f"extraction (file → RDF): {chars / ours:,.0f} chars/s, {len(files) / ours:.1f} articles/s")
    print(f"spaCy + jieba segmentation only: {chars / seg:,.0f} chars/s")
    print(f"ratio extraction / segmentation: {seg / ours:.2f}")


if __name__ == "__main__":
    main()
