"""Extraction throughput on 1 and 2 processes against stock spaCy + jieba segmentation, in one run.

    .venv/bin/python bench/extract_speed.py [--generated 600] [--seed 7] [--rounds 5] [FILES/FOLDERS...]

The articles: the given files, or by default data/sample, the shared seed and dev
corpus (../shared/corpus) and ``--generated`` articles from bench/generate.py (seeded,
all six surface forms). Each round times, on the same articles:

* the whole extraction, file → RDF (read, decode, HTML, normalise, spaCy pipeline,
  records, N-Quads; :func:`kg.extract.extract_nquads`, what a build's workers run),
  in this process, and in a pool of 2 worker processes (warmed up first);
* ``spacy.blank("zh")`` with ``segmenter="jieba"`` alone over the articles' clean
  text, in this process, and in a pool of 2.

It prints articles/s and clean chars/s of each (medians over the rounds) and the
ratios extraction / segmentation at 1 process and at 2 (each against the segmenter
given the same number of processes), plus 2-process extraction against 1-process
segmentation. With ``--stages`` it then prints where one process spends its time per
article: reading and normalising, ``make_doc``, each pipeline component, and the rest
of :func:`kg.extract.extract_nquads` (publisher, original spellings, N-Quads), each
timed on its own with ``process_time``. A benchmark, not a test: numbers go to
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SUFFIXES = (".txt", ".html", ".htm")
_stock = None


def articles(given: list[str], generated: int, seed: int, scratch: Path) -> list[Path]:
    """The benchmark's article files (gold annotations and notes left out)."""
    roots = [Path(g) for g in given]
    if not roots:
        roots = [REPO / "data" / "sample", REPO.parent / "shared" / "corpus"]
        if generated:
            subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), str(scratch), "--count",
                            str(generated), "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
            roots.append(scratch)
    files = [p for r in roots for p in (sorted(r.rglob("*")) if r.is_dir() else [r])]
    return [p for p in files if p.is_file() and p.suffix.lower() in SUFFIXES and ".gold" not in p.name]


def extract(path: Path) -> int:
    """Worker: one article to N-Quads; returns the size so nothing is optimised away."""
    from kg.extract import extract_nquads

    return len(extract_nquads(path, path.stem))


def segment(text: str) -> int:
    """Worker: stock spaCy + jieba over one clean text."""
    global _stock
    if _stock is None:
        import spacy

        _stock = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    return len(_stock(text))


def stages(files: list[Path], rounds: int) -> dict[str, float]:
    """CPU seconds per article of each stage of the extraction, over ``rounds`` passes."""
    from kg.extract import extract_nquads
    from kg.ingest import load
    from kg.pipeline import make_nlp
    from kg.pipeline.state import DocState

    nlp = make_nlp()
    spent, whole = dict.fromkeys(["read and normalise", "make_doc", *nlp.pipe_names], 0.0), 0.0
    for _ in range(rounds):
        for f in files:
            start = time.process_time()
            article = load(f)
            spent["read and normalise"] += time.process_time() - start
            start = time.process_time()
            doc = nlp.make_doc(article.clean.text)
            spent["make_doc"] += time.process_time() - start
            doc._.kg = DocState(doc_id=f.stem, meta=article.meta, text=article.clean.text)
            for name, component in nlp.pipeline:
                start = time.process_time()
                doc = component(doc)
                spent[name] += time.process_time() - start
            start = time.process_time()
            extract_nquads(f, f.stem)
            whole += time.process_time() - start
    spent["rest (N-Quads, spellings)"] = max(0.0, whole - sum(spent.values()))
    return {k: v / (rounds * len(files)) for k, v in spent.items()}


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="*")
    ap.add_argument("--generated", type=int, default=600)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--stages", action="store_true", help="then time each stage of the extraction")
    args = ap.parse_args()
    from kg.ingest import load

    with tempfile.TemporaryDirectory() as scratch:
        files = articles(args.inputs, args.generated, args.seed, Path(scratch))
        texts = [load(f).clean.text for f in files]
        chars = sum(map(len, texts))
        chunk = max(1, len(files) // 32)
        with ProcessPoolExecutor(2) as pool:
            for f in files[:4]:  # build the pipelines and load the vocabularies everywhere first
                extract(f)
                segment(texts[0])
            list(pool.map(extract, files[:8], chunksize=1))
            list(pool.map(segment, texts[:8], chunksize=1))
            runs: dict[str, list[float]] = {k: [] for k in ("ext1", "seg1", "ext2", "seg2")}
            for _ in range(args.rounds):
                runs["ext1"].append(timed(lambda: [extract(f) for f in files]))
                runs["seg1"].append(timed(lambda: [segment(t) for t in texts]))
                runs["ext2"].append(timed(lambda: list(pool.map(extract, files, chunksize=chunk))))
                runs["seg2"].append(timed(lambda: list(pool.map(segment, texts, chunksize=chunk))))
    t = {k: statistics.median(v) for k, v in runs.items()}
    print(f"articles: {len(files)}, clean chars: {chars:,} (median {statistics.median(map(len, texts)):.0f} per "
          f"article), rounds: {args.rounds}")
    for label, key in (("extraction, 1 process", "ext1"), ("extraction, 2 processes", "ext2"),
                       ("spaCy + jieba segmentation, 1 process", "seg1"),
                       ("spaCy + jieba segmentation, 2 processes", "seg2")):
        print(f"{label}: {len(files) / t[key]:,.1f} articles/s, {chars / t[key]:,.0f} chars/s")
    print(f"ratio extraction / segmentation, 1 process each: {t['seg1'] / t['ext1']:.2f}")
    print(f"ratio extraction / segmentation, 2 processes each: {t['seg2'] / t['ext2']:.2f}")
    print(f"ratio extraction on 2 processes / segmentation on 1: {t['seg1'] / t['ext2']:.2f}")
    if args.stages:
        with tempfile.TemporaryDirectory() as scratch:
            files = articles(args.inputs, args.generated, args.seed, Path(scratch))
            per = stages(files, args.rounds)
        print("CPU ms per article, one process: " + ", ".join(f"{k} {v * 1000:.2f}" for k, v in per.items())
              + f"; total {sum(per.values()) * 1000:.2f}")


if __name__ == "__main__":
    main()
