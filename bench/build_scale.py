"""A corpus build at scale: N generated articles into a fresh store, then the same build again.

    .venv/bin/python bench/build_scale.py [--count 10000] [--jobs 2] [--seed 7] [--work DIR]

Generates the corpus with ``bench/generate.py`` (seeded, all six surface forms), then
runs the real CLI, ``kg build CORPUS --store STORE --jobs N``, as a user would, and
measures its wall time, the peak resident memory of the build (the ``kg`` process and
all its worker processes, summed, sampled every 50 ms), the store's size on disk and
what it holds (``kg stats``). Then it runs the identical command again, with nothing
changed, and times that: every article must be skipped by its content hash. A
benchmark, not a test: the numbers go to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run_measured(cmd: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak summed RSS in bytes of the process tree, and stdout+stderr of ``cmd``."""
    out = tempfile.TemporaryFile()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    root, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass  # a worker ended between listing and reading it
        time.sleep(0.05)
    wall = time.perf_counter() - start
    out.seek(0)
    log = out.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{log}")
    return wall, peak, log


def du(path: Path) -> int:
    """Bytes on disk under ``path``."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work", type=Path, help="folder for the corpus and the store (default: a temporary one)")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-build-scale-"))
    corpus, store = work / "corpus", work / "store"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(store, ignore_errors=True)
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), str(corpus), "--count", str(args.count),
                    "--seed", str(args.seed)], check=True, stdout=subprocess.DEVNULL)
    files = [p for p in corpus.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    build = [str(BIN / "kg"), "build", str(corpus), "--store", str(store), "--jobs", str(args.jobs)]
    env_note = f"{os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB"
    print(f"corpus: {len(files)} files, {size / 2**20:.1f} MiB ({env_note}); command: {' '.join(build)}")
    wall, peak, log = run_measured(build)
    print(f"build: {wall:.1f} s wall, {len(files) / wall:.1f} articles/s, peak RSS {peak / 2**20:.0f} MiB, "
          f"store {du(store) / 2**20:.0f} MiB on disk")
    print(log.strip().splitlines()[-1] if log.strip() else "")
    stats = subprocess.run([str(BIN / "kg"), "stats", "--store", str(store)], capture_output=True, text=True)
    print(stats.stdout.strip())
    again, peak2, log2 = run_measured(build)
    print(f"no-change rebuild: {again:.1f} s wall, peak RSS {peak2 / 2**20:.0f} MiB")
    print(log2.strip().splitlines()[-1] if log2.strip() else "")
    if not args.work:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
