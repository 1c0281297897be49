"""Hostile article files through ``kg extract``: a graceful graph or one clean line, never a trace.

Every case runs ``kg extract FILE -o OUT.trig`` and asserts its exact outcome with
:func:`robust.check`: the exit status, the one ``error:`` line naming the file (or an
empty stderr), no traceback, and no output file left behind by a failure. Graceful
cases also look inside the graph they wrote. Big inputs are generated at test time.
"""

from __future__ import annotations

import os
import random
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import RDFS, Dataset, Literal
from robust import ARTICLE, PARAGRAPH, Ran, Watch, check, invoke, run

from kg.ingest import MAX_BYTES

UTF8 = ARTICLE.encode("utf-8")


def png() -> bytes:
    """A valid 1×1 PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\xff\0\0")) + chunk(
        b"IEND", b"")


def page(body: str, charset: str = "utf-8", title: str = "张三调研") -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title></head>'
            f"<body><h1>{title}</h1>{body}</body></html>")


def labels(out: Path) -> set[str]:
    ds = Dataset()
    ds.parse(out, format="trig")
    return {str(o) for _, _, o, _ in ds.quads((None, RDFS.label, None, None))}


def literals(out: Path) -> list[str]:
    ds = Dataset()
    ds.parse(out, format="trig")
    return [str(o) for _, _, o, _ in ds.quads((None, None, None, None)) if isinstance(o, Literal)]


def names_zhang(out: Path) -> None:
    found = labels(out)
    assert "张三" in found and "某某科技有限公司" in found, found


def keeps_payload(payload: str) -> Callable[[Path], None]:
    """The payload is kept as text inside literals (evidence), and the graph is valid RDF."""
    def verify(out: Path) -> None:
        texts = literals(out)
        assert any(payload in text for text in texts), payload
        assert not any("某某49" in text for text in texts), "a template was evaluated"
        assert "张三" in labels(out)
    return verify


def no_invisible(out: Path) -> None:
    found = labels(out)
    assert "张三" in found
    assert not any(c in text for text in found for c in "\u200b\u200d\u202e\u202c\u2066\u2069\ufeff"), found


@dataclass
class Case:
    """One hostile input: how to make it, and what must happen."""

    id: str
    make: Callable[[Path], Path]
    error: str | None
    """The problem after ``error: FILE: ``; None for a graceful result."""
    verify: Callable[[Path], None] | None = None

    def __post_init__(self) -> None:
        assert (self.error is None) == (self.verify is not None), self.id


def write(name: str, data: bytes | Callable[[], bytes]) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(data() if callable(data) else data)
        return path
    return make


def big_text(size: int) -> bytes:
    unit = ARTICLE.encode("utf-8")
    return (unit * (size // len(unit) + 1))[:size]


def one_mb_line() -> bytes:
    """A 1 MiB story on one line: one sentence with names, then policy prose without any."""
    head = "某某市科技局局长张三到某某科技有限公司调研。"
    fill = "要坚持创新驱动发展战略，持续优化营商环境，加大对中小企业的支持力度，推动产业链和创新链深度融合。"
    return (head + fill * ((2**20 - len(head.encode())) // len(fill.encode()))).encode("utf-8")


def minified_page() -> bytes:
    """A 1 MiB page on one line: mostly markup and script, one story paragraph."""
    script = "<script>var x=" + "[1,2,3]," * 10 + "0;</script>"
    markup = "<div class=\"nav\"><a href=\"/a\">首页</a></div>" + script
    body = markup * (2**20 // len(markup.encode())) + f"<article><p>{PARAGRAPH}</p></article>"
    return page(body).replace("\n", "").encode("utf-8")


def nested(levels: int, closed: bool = True) -> Callable[[], bytes]:
    def make() -> bytes:
        inner = "<div>" * levels + f"<p>{PARAGRAPH}</p>" + ("</div>" * levels if closed else "")
        return page(inner).encode("utf-8")
    return make


def random_bytes() -> bytes:
    rng = random.Random(6)
    return bytes(rng.randrange(1, 256) for _ in range(4096))


def directory(tmp: Path) -> Path:
    path = tmp / "folder.txt"
    path.mkdir()
    return path


def symlink_loop(tmp: Path) -> Path:
    (tmp / "a.txt").symlink_to(tmp / "b.txt")
    (tmp / "b.txt").symlink_to(tmp / "a.txt")
    return tmp / "a.txt"


def dangling(tmp: Path) -> Path:
    (tmp / "gone.txt").symlink_to(tmp / "never-written.txt")
    return tmp / "gone.txt"


HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = '"><img src=x onerror=alert(1)>'
HOSTILE_TEMPLATE = "{{ 7*7 }}${7*7}"
BIG5 = "某某市科技局局長張三到某某科技有限公司調研，詳細了解企業研發投入情況。\n"

CASES = [
    # empty and not text
    Case("empty", write("empty.txt", b""), "file is empty"),
    Case("ascii-whitespace", write("blank.txt", b" \n\t\r\n  \n"), "file is empty"),
    Case("unicode-whitespace", write("blank.txt", "\u3000\u00a0\n\u2003\u3000\n".encode()), "no text found"),
    Case("bom-only", write("bom.txt", b"\xef\xbb\xbf\n"), "no text found"),
    Case("png-as-txt", write("photo.txt", png()), "binary file, not text"),
    Case("png-as-png", write("photo.png", png()), "binary file, not text"),
    Case("nul-in-text", write("nul.txt", UTF8 + b"\0tail"), "binary file, not text"),
    Case("random-bytes", write("noise.txt", random_bytes()),
         "cannot detect the text encoding (invalid UTF-8 at byte 2, and no other encoding fits); save it as UTF-8"),
    # broken and mixed encodings
    Case("utf8-truncated-in-last-char", write("cut.txt", UTF8.rstrip(b"\n")[:-1]), None, names_zhang),
    Case("utf8-byte-missing-mid-file", write("hole.txt", UTF8[:20] + UTF8[21:]),
         "cannot detect the text encoding (invalid UTF-8 at byte 18, and no other encoding fits); save it as UTF-8"),
    Case("utf8-then-gb18030", write("mixed.txt", UTF8 + ARTICLE.encode("gb18030")),
         f"cannot detect the text encoding (invalid UTF-8 at byte {len(UTF8)}, and no other encoding fits); "
         "save it as UTF-8"),
    Case("lone-surrogate-bytes",
         write("surrogate.txt", "张三\ud800到某某科技有限公司调研。".encode("utf-8", "surrogatepass")),
         "cannot detect the text encoding (invalid UTF-8 at byte 6, and no other encoding fits); save it as UTF-8"),
    Case("utf16-with-bom", write("wide.txt", ARTICLE.encode("utf-16")), None, names_zhang),
    Case("gb18030", write("gb.txt", ARTICLE.encode("gb18030")), None, names_zhang),
    Case("big5-traditional", write("big5.txt", BIG5.encode("big5")), None,
         lambda out: {"张三", "張三"} <= labels(out) or pytest.fail(str(labels(out)))),
    Case("html-says-gbk-is-utf8", write("page.html", page(f"<p>{PARAGRAPH}</p>", "gbk").encode()), None, names_zhang),
    Case("html-says-utf8-is-gb18030", write("page.html", page(f"<p>{PARAGRAPH}</p>").encode("gb18030")), None,
         names_zhang),
    Case("html-charref-surrogate", write("page.html", page(f"<p>张三&#xD800;{PARAGRAPH}</p>").encode()), None,
         names_zhang),
    # size and shape
    Case("50-mb", write("huge.txt", lambda: big_text(50 * 2**20)),
         f"file is {50 * 2**20} bytes, over the {MAX_BYTES}-byte limit"),
    Case("one-byte-over-the-cap", write("cap.txt", lambda: big_text(MAX_BYTES + 1)),
         f"file is {MAX_BYTES + 1} bytes, over the {MAX_BYTES}-byte limit"),
    Case("1-mb-single-line", write("line.txt", one_mb_line), None, names_zhang),
    Case("1-mb-minified-page", write("min.html", minified_page), None, names_zhang),
    Case("html-nested-10000", write("deep.html", nested(10_000)), None, names_zhang),
    Case("html-nested-10000-unclosed", write("deep.html", nested(10_000, closed=False)), None, names_zhang),
    # hostile names
    Case("script-in-company-name",
         write("xss1.txt", ARTICLE.replace("某某科技", f"某某{HOSTILE_SCRIPT}科技", 1).encode()), None,
         keeps_payload(HOSTILE_SCRIPT)),
    Case("img-onerror-in-company-name",
         write("xss2.txt", ARTICLE.replace("某某科技", f"某某{HOSTILE_IMG}科技", 1).encode()), None,
         keeps_payload(HOSTILE_IMG)),
    Case("template-in-company-name",
         write("tpl.txt", ARTICLE.replace("某某科技", f"某某{HOSTILE_TEMPLATE}科技", 1).encode()), None,
         keeps_payload(HOSTILE_TEMPLATE)),
    Case("zero-width-in-name", write("zw.txt", ARTICLE.replace("张三", "张\u200b三").replace("科技有", "科\u200d技有")
                                     .encode()), None, no_invisible),
    Case("bidi-controls-in-name", write("bidi.txt", ARTICLE.replace("张三", "张\u202e三\u202c").replace(
        "某某科技", "\u2066某某科技\u2069").encode()), None, no_invisible),
    # not a readable regular file
    Case("directory", directory, "is a directory, not a file"),
    Case("symlink-loop", symlink_loop, "cannot read (Too many levels of symbolic links)"),
    Case("dangling-symlink", dangling, "no such file"),
    Case("missing", lambda tmp: tmp / "never-written.txt", "no such file"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_extract_hostile_file(case: Case, tmp_path: Path) -> None:
    source = case.make(tmp_path)
    out = tmp_path / "out" / "graph.trig"
    if case.error is None:
        check(invoke("extract", source, "-o", out), code=0)
        case.verify(out)
    else:
        check(invoke("extract", source, "-o", out), code=1, error=f"error: {source}: {case.error}",
              watch=Watch.of(files=[out]))
        assert not out.parent.exists()


def test_a_failed_extract_keeps_the_old_output(tmp_path: Path) -> None:
    out = tmp_path / "graph.trig"
    out.write_bytes(b"# the old graph\n")
    source = write("photo.txt", png())(tmp_path)
    check(invoke("extract", source, "-o", out), code=1, error=f"error: {source}: binary file, not text",
          watch=Watch.of(files=[out]))


def test_output_that_is_a_directory(tmp_path: Path) -> None:
    source = write("a.txt", UTF8)(tmp_path)
    out = tmp_path / "graph.trig"
    out.mkdir()
    check(invoke("extract", source, "-o", out), code=1, error=f"error: {out}: cannot write (Is a directory)")
    assert out.is_dir() and list(out.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == [
        "a.txt", "graph.trig"]


# --- cases only a separate process can show -------------------------------------------


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    check(run("extract", fifo, timeout=60), code=1,
          error=f"error: {fifo}: not a regular file (a device, pipe or socket)")


def test_an_endless_device_is_refused_without_reading(tmp_path: Path) -> None:
    out = tmp_path / "zero.trig"
    check(run("extract", "/dev/zero", "-o", out, timeout=60), code=1,
          error="error: /dev/zero: not a regular file (a device, pipe or socket)", watch=Watch.of(files=[out]))


def _unprivileged() -> list[str] | None:
    """A prefix that runs a command without the power to read others' files, if one works here.

    As root, ``chmod 000`` stops nobody; ``setpriv`` drops the two capabilities that
    bypass file permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so the kernel
    refuses the read as it would for any user. As another user, chmod alone suffices.
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = [setpriv, "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"]
    probe = subprocess.run([*prefix, "true"], capture_output=True, check=False)
    return prefix if probe.returncode == 0 else None


def test_no_read_permission_as_a_real_process(tmp_path: Path) -> None:
    """The kernel refuses the read (EACCES): kg runs without the capabilities that bypass it."""
    prefix = _unprivileged()
    if prefix is None:
        pytest.skip("cannot drop root's file capabilities here (no setpriv); see the in-process case")
    source = write("secret.txt", UTF8)(tmp_path)
    source.chmod(0)
    out = tmp_path / "secret.trig"
    ran = run("extract", source, "-o", out, prefix=prefix)
    check(ran, code=1, error=f"error: {source}: permission denied", watch=Watch.of(files=[out]))


def test_no_read_permission_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same refusal simulated: opening the file raises PermissionError as the kernel would."""
    source = write("secret.txt", UTF8)(tmp_path)
    real_open = os.open

    def denied(path: object, *args: object, **kwargs: object) -> int:
        if Path(os.fsdecode(path)) == source:  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", denied)
    out = tmp_path / "secret.trig"
    check(invoke("extract", source, "-o", out), code=1, error=f"error: {source}: permission denied",
          watch=Watch.of(files=[out]))


@pytest.mark.parametrize("command", ["extract", "query"])
def test_a_full_standard_output_is_one_line(tmp_path: Path, command: str) -> None:
    source = write("a.txt", UTF8)(tmp_path)
    args = (["extract", source] if command == "extract"
            else ["query", "SELECT * WHERE { ?s ?p ?o }", "--graph", Path(__file__).parents[1] / "data" / "valid.trig"])
    with open("/dev/full", "w") as full:
        ran = run(*args, stdout=full)
    check(Ran(ran.code, "", ran.stderr), code=1, error="error: standard output: cannot write (No space left on device)")


def test_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    """Linux names are bytes; Python keeps the non-UTF-8 ones as lone surrogates."""
    source = tmp_path / os.fsdecode(b"\xff\xfe-\xb3\xa4.txt")
    source.write_bytes(UTF8)
    out = tmp_path / "graph.trig"
    check(invoke("extract", source, "-o", out), code=0)
    assert "\ufffd\ufffd-\ufffd\ufffd.txt" in literals(out)
    names_zhang(out)
