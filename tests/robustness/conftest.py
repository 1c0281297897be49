"""A small store built once per session, copied for each case that must leave a store as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from robust import ARTICLE, invoke


@pytest.fixture(scope="session")
def base_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding one invented article (built by the real ``kg build``)."""
    root = tmp_path_factory.mktemp("base")
    article = root / "base-001.txt"
    article.write_text(ARTICLE.replace("张三", "李四"), encoding="utf-8")
    built = invoke("build", article, "--store", root / "store", "-j", "1")
    assert built.code == 0, built.stderr
    return root / "store"


@pytest.fixture
def store(base_store: Path, tmp_path: Path) -> Path:
    """A fresh copy of :func:`base_store` for one case."""
    copy = tmp_path / "store"
    shutil.copytree(base_store, copy)
    return copy
