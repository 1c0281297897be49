"""The vendored scorer gives the numbers of the shared kgeval.py, to the digit."""

import json
import subprocess
import sys

from corpus import DATA, shared_dir
from kg.evaluate import score, union_view
from kg.extract import extract_file
from kg.ingest import read_source
from kg.serialise import serialise


def test_vendored_scorer_agrees_with_the_shared_one(tmp_path):
    tool = shared_dir() / "tools" / "kgeval.py"
    article, gold = DATA / "seed-001.txt", DATA / "seed-001.gold.json"
    ds = extract_file(article)
    out = tmp_path / "g.trig"
    out.write_bytes(serialise(ds, out.suffix))
    theirs = json.loads(subprocess.run(
        [sys.executable, str(tool), str(gold), str(out), "--text", str(article), "--json"],
        check=True, capture_output=True, text=True,
    ).stdout)
    ours = score(json.loads(gold.read_text(encoding="utf-8")), union_view(ds), read_source(article)[0])
    assert ours == theirs
