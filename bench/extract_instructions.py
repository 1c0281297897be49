"""Extraction against stock spaCy + jieba segmentation in CPU instructions, not seconds.

    .venv/bin/python bench/extract_instructions.py [--generated 100] [--seed 7]

Wall and CPU times on a shared 2-core machine move by a quarter between runs (see
bench/RESULTS.md), so a change of a few percent cannot be seen in them. Instruction
counts can: ``valgrind --tool=callgrind`` counts every instruction a process runs,
whatever else the machine is doing, and gives the same total twice for the same input.

The same ``--generated`` articles (bench/generate.py, all six surface forms) are run
four times under callgrind: the whole extraction (:func:`kg.extract.extract_nquads`,
as bench/extract_speed.py times it) and ``spacy.blank("zh")`` with
``segmenter="jieba"`` over the articles' clean text, each once over no article and
once over all of them, after the same warm-up. The differences are the instructions
per article; their quotient is the instruction ratio segmentation / extraction (≥ 1.0:
the extraction runs no more instructions than the segmenter alone). Instructions are
not time: code that misses the cache more runs fewer instructions per second, so this
ratio complements bench/extract_speed.py's and does not replace it. Needs valgrind
(Debian package ``valgrind``); takes a few minutes.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WARM_UP = 5


def work(kind: str, folder: Path, count: int) -> None:
    """Worker (run under callgrind): warm up, then extract or segment ``count`` articles."""
    from kg.ingest import load

    files = sorted(p for p in folder.rglob("*") if p.suffix in (".txt", ".html") and ".gold" not in p.name)
    if kind == "extract":
        from kg.extract import extract_nquads

        def run(f: Path) -> None:
            extract_nquads(f, f.stem)
    else:
        import spacy

        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        texts = {f: load(f).clean.text for f in files}  # all of them in every run: the difference drops it

        def run(f: Path) -> None:
            nlp(texts[f])
    for f in files[:WARM_UP]:
        run(f)
    for f in files[WARM_UP:WARM_UP + count]:
        run(f)


def instructions(kind: str, folder: Path, count: int) -> int:
    """Instructions callgrind counts for one worker run."""
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__,
         "--worker", kind, str(folder), str(count)],
        capture_output=True, text=True, check=True)
    return int(re.search(r"Collected : (\d+)", out.stderr).group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--generated", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--worker", nargs=3, metavar=("KIND", "FOLDER", "COUNT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        work(args.worker[0], Path(args.worker[1]), int(args.worker[2]))
        return
    if shutil.which("valgrind") is None:
        sys.exit("extract_instructions.py: valgrind not found (Debian package valgrind)")
    n = args.generated
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), scratch, "--count",
                        str(n + WARM_UP), "--seed", str(args.seed)], check=True, stdout=subprocess.DEVNULL)
        per = {kind: (instructions(kind, Path(scratch), n) - instructions(kind, Path(scratch), 0)) / n
               for kind in ("extract", "segment")}
    print(f"articles: {n} generated (seed {args.seed}), after {WARM_UP} to warm up")
    print(f"extraction: {per['extract'] / 1e6:.2f} M instructions per article")
    print(f"spaCy + jieba segmentation: {per['segment'] / 1e6:.2f} M instructions per article")
    print(f"instruction ratio segmentation / extraction: {per['segment'] / per['extract']:.2f}")


if __name__ == "__main__":
    main()
