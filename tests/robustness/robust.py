"""What every hostile-input case checks, and the invented articles the cases are made from.

A case runs the real command line, in process through typer's CliRunner (fast: spaCy
loads once) or as the installed ``kg`` in a subprocess (for what only a process can
show: a signal, a closed or full standard output, another user's permissions). Either
way :func:`check` asserts the exact outcome:

* the exit status;
* standard error: empty for a graceful result, else exactly one line, ``error: …``,
  naming the file and the problem;
* no ``Traceback`` on either stream;
* every output file named by the case left as it was (absent stays absent), and no
  temporary file beside it;
* a store named by the case exporting the same bytes as before.

Names here are invented (张三, 某某科技有限公司); no real person or body appears.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from kg.cli import app
from kg.serialise import serialise
from kg.store import Store

KG_EXE = Path(sys.executable).parent / "kg"

ARTICLE = (
    "张三到某某科技有限公司调研\n"
    "某某市科技局局长张三到某某科技有限公司调研，详细了解企业研发投入和成果转化情况。\n"
    "2021年10月23日，张三主持召开座谈会，全市共有高新技术企业120家。\n"
)
"""A small invented article that the rules read: an official, a bureau, a company, a visit."""
PARAGRAPH = (
    "某某市科技局局长张三到某某科技有限公司调研，详细了解企业研发投入、人才引进和成果转化等情况，并主持召开座谈会。"
)
"""One story paragraph, longer than the 40 characters an HTML fallback keeps."""


@dataclass
class Ran:
    """One command's outcome, from CliRunner or a subprocess alike."""

    code: int
    stdout: str
    stderr: str


def invoke(*args: str | Path) -> Ran:
    """Run ``kg ARGS`` in this process."""
    result = CliRunner().invoke(app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"kg {args} raised {result.exception!r}") from result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)


def run(*args: str | Path, prefix: Sequence[str] = (), timeout: float = 120, stdout: object = subprocess.PIPE,
        **kwargs: object) -> Ran:
    """Run the installed ``kg ARGS`` in a subprocess (``prefix`` wraps it, e.g. in setpriv)."""
    done = subprocess.run(
        [*prefix, str(KG_EXE), *map(str, args)], stdout=stdout, stderr=subprocess.PIPE, text=True,
        timeout=timeout, check=False, **kwargs,
    )
    return Ran(done.returncode, done.stdout or "", done.stderr or "")


def export_bytes(store: Path) -> bytes:
    """A store's quads as canonical N-Quads bytes."""
    with Store(store, read_only=True) as st:
        return serialise(st.oxigraph, ".nq")


@dataclass
class Watch:
    """Output files and stores whose state a case must not change."""

    files: dict[Path, bytes | None]
    stores: dict[Path, bytes]

    @classmethod
    def of(cls, files: Sequence[Path] = (), stores: Sequence[Path] = ()) -> Watch:
        return cls({f: f.read_bytes() if f.is_file() else None for f in files},
                   {s: export_bytes(s) for s in stores})

    def unchanged(self) -> None:
        for path, before in self.files.items():
            if before is None:
                assert not path.exists(), f"{path} was left behind"
            else:
                assert path.read_bytes() == before, f"{path} was changed"
            if path.parent.is_dir():
                temps = [p.name for p in path.parent.iterdir() if p.name.startswith(f".{path.name}.")]
                assert temps == [], f"temporary files left beside {path}: {temps}"
        for store, before in self.stores.items():
            assert export_bytes(store) == before, f"the store {store} was changed"


def check(ran: Ran, *, code: int, error: str | None = None, watch: Watch | None = None) -> None:
    """Assert one case's exact outcome (see the module docstring)."""
    both = ran.stdout + ran.stderr
    assert "Traceback" not in both, both
    assert ran.code == code, (ran.code, ran.stdout[-2000:], ran.stderr[-2000:])
    if error is None:
        assert ran.stderr == "", ran.stderr
    else:
        assert ran.stderr.splitlines() == [error], ran.stderr
    if watch is not None:
        watch.unchanged()
