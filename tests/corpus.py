"""Where the shared seed and dev corpus live, for the quality tests.

The corpus sits beside the repository (``../shared/corpus``) on developer machines
and in CI; ``KG_SHARED`` points elsewhere. Outside CI a missing corpus skips the
quality tests with a reason; in CI (``CI`` set) it fails them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"


def shared_dir() -> Path:
    """The shared folder, or fail/skip as above."""
    path = Path(os.environ.get("KG_SHARED", REPO.parent / "shared"))
    if not (path / "corpus").is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"shared corpus not found at {path}")
        pytest.skip(f"shared corpus not found at {path} (set KG_SHARED)")
    return path


def article_for(gold: Path) -> Path:
    """The article file a gold file annotates (NAME.txt beside NAME.gold.json)."""
    name = gold.name.removesuffix(".gold.json")
    return next(p for p in sorted(gold.parent.glob(name + ".*")) if not p.name.endswith(".gold.json"))
