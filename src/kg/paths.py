"""Where the project's data files live: the ontology, the shapes and the SPARQL queries.

They sit at the repository root (``ontology/``, ``queries/``) because users read and
edit them there; the package finds them relative to its source checkout, or through
``KG_ONTOLOGY_DIR`` / ``KG_QUERIES_DIR`` when installed elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def ontology_dir() -> Path:
    """The folder holding ``kg.ttl`` and ``shapes.ttl``."""
    return Path(os.environ.get("KG_ONTOLOGY_DIR", REPO_ROOT / "ontology"))


def queries_dir() -> Path:
    """The folder holding the competency questions as ``*.rq`` files."""
    return Path(os.environ.get("KG_QUERIES_DIR", REPO_ROOT / "queries"))
