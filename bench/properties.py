"""The property tests at scale: 100,000 generated cases and more, for bench/RESULTS.md.

    .venv/bin/python bench/properties.py [--scale N]

Runs ``tests/test_normalise.py`` and ``tests/test_properties.py`` under pytest with
``KG_PROPERTY_SCALE=N`` (default 110: every property runs 110 times its suite
examples) and Hypothesis's statistics, then sums the cases Hypothesis ran for each
property: passing, failing, and invalid (rejected by a filter before the test ran).
Prints one row per property, the totals and the wall time; exits non-zero when
pytest failed. A benchmark, not a test: the numbers go to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FILES = ["tests/test_normalise.py", "tests/test_properties.py"]
HEADER = re.compile(r"^(tests/\S+::\S+):$")
COUNTS = re.compile(r"(\d+) passing, (\d+) failing, and (\d+) invalid")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=110, help="KG_PROPERTY_SCALE for the run (default 110)")
    args = parser.parse_args()
    env = dict(os.environ, KG_PROPERTY_SCALE=str(args.scale))
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               "--hypothesis-show-statistics", *FILES]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    per_test: dict[str, list[int]] = {}
    current = None
    for line in done.stdout.splitlines():
        if m := HEADER.match(line.strip()):
            current = m.group(1)
            per_test.setdefault(current, [0, 0, 0])
        elif current and (m := COUNTS.search(line)):
            for i, n in enumerate(m.groups()):
                per_test[current][i] += int(n)
    width = max(map(len, per_test), default=10)
    print(f"{'property':<{width}}  passing  failing  invalid")
    for name, (ok, bad, invalid) in per_test.items():
        print(f"{name:<{width}}  {ok:>7}  {bad:>7}  {invalid:>7}")
    ok, bad, invalid = (sum(c[i] for c in per_test.values()) for i in range(3))
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    print(f"\nscale {args.scale}: {ok + bad} cases run ({ok} passing, {bad} failing; {invalid} invalid draws "
          f"rejected) in {seconds:.0f} s; pytest: {summary}")
    if done.returncode != 0:
        print(done.stdout[-5000:], done.stderr[-2000:], sep="\n", file=sys.stderr)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
