"""A parallel ``kg build`` killed with SIGKILL mid-run: its extraction workers die with it.

The build runs as the installed ``kg`` in its own session (so its process group is
its pid, and every worker is in that group). The kill is sent once the build is
certainly mid-run: both workers exist and the first articles have reached the
build's spool folder, with many more still to extract. The workers, which sleep on
the pool's queue for ever when nobody tells them to stop, must be gone within a few
seconds; a zombie (dead, waiting for the container's init to reap it) counts as gone.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from robust import KG_EXE

from corpus import shared_dir

JOBS = 2


def _stat(pid: str) -> tuple[str, int, int] | None:
    """(state, parent pid, process group) of a process, or None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    return fields[0], int(fields[1]), int(fields[2])


def live(where: Callable[[int, int], bool]) -> list[int]:
    """Processes, zombies left out, whose (parent pid, process group) satisfy ``where``."""
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit() and (stat := _stat(pid)) is not None and stat[0] != "Z" and where(stat[1], stat[2]):
            found.append(int(pid))
    return found


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


def many_articles(folder: Path, copies: int = 16) -> int:
    """The shared dev articles, each under ``copies`` names: enough for a build of several seconds."""
    originals = sorted((shared_dir() / "corpus" / "dev").glob("*.txt"))
    folder.mkdir()
    for k in range(copies):
        for f in originals:
            shutil.copy(f, folder / f"c{k}-{f.name}")
    return copies * len(originals)


def test_sigkill_of_a_parallel_build_leaves_no_worker_alive(tmp_path: Path) -> None:
    n = many_articles(tmp_path / "in")
    store = tmp_path / "store"
    build = subprocess.Popen([str(KG_EXE), "build", str(tmp_path / "in"), "--store", str(store), "-j", str(JOBS)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    group = build.pid
    try:
        def spooled() -> list[Path]:
            return [f for d in tmp_path.glob(".kg-build-store.*") for f in d.glob("*.nq")]

        wait_for(lambda: (len(live(lambda ppid, _g: ppid == build.pid)) >= JOBS and spooled())
                 or build.poll() is not None, 120, "the build never started extracting")
        workers = live(lambda ppid, _g: ppid == build.pid)
        assert build.poll() is None, f"the build ended before the kill: {build.stderr.read().decode()}"
        assert len(workers) == JOBS and len(spooled()) < n, (workers, len(spooled()))  # mid-run
        os.kill(build.pid, signal.SIGKILL)
        assert build.wait(timeout=10) == -signal.SIGKILL
        try:
            wait_for(lambda: not live(lambda _p, g: g == group), 10, "")
        except AssertionError:
            alive = live(lambda _p, g: g == group)
            commands = [Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode() for pid in alive]
            raise AssertionError(f"{len(alive)} process(es) of the killed build still alive: {commands}") from None
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
        try:
            os.killpg(group, signal.SIGKILL)  # leave nothing behind if the test failed
        except ProcessLookupError:
            pass
