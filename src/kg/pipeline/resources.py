"""Vocabularies the rules read: loaded once from ``kg/resources``, kept apart from the code.

Every file opens with ``#`` lines saying where its words come from; blank lines and
comments are skipped here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources


def _rows(name: str) -> list[list[str]]:
    """Non-comment rows of a TSV (or whitespace-separated word list) resource."""
    text = resources.files("kg.resources").joinpath(name).read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        out.append(line.split("\t") if "\t" in line else line.split())
    return out


@dataclass(frozen=True)
class Division:
    """One administrative division of the national list."""

    code: str
    name: str
    short: str
    level: str
    parent: str


@cache
def divisions() -> dict[str, Division]:
    """All divisions by code (header row dropped)."""
    rows = _rows("divisions.tsv")[1:]
    return {r[0]: Division(*r[:5]) for r in rows}


@cache
def surnames() -> frozenset[str]:
    """Single and compound family names."""
    return frozenset(w for row in _rows("surnames.txt") for w in row)


@cache
def titles() -> dict[str, str]:
    """Title word → kind (``gov``, ``party`` or ``plain``)."""
    return {r[0]: r[1] for r in _rows("titles.tsv")}


@cache
def org_suffixes() -> dict[str, tuple[str, int]]:
    """Name-ending word → (class, shortest acceptable name length)."""
    return {r[0]: (r[1], int(r[2])) for r in _rows("org_suffixes.tsv")}


@cache
def stopwords() -> frozenset[str]:
    """Grammar words that cannot stand inside a name."""
    return frozenset(w for row in _rows("stopwords.tsv") for w in row)


@cache
def words(name: str) -> frozenset[str]:
    """Any plain word list resource, e.g. ``event_suffixes.txt``."""
    return frozenset(w for row in _rows(name) for w in row)


@cache
def lines(name: str) -> tuple[tuple[str, ...], ...]:
    """A resource whose lines are separate word lists (see ``visit_verbs.txt``)."""
    return tuple(tuple(row) for row in _rows(name))
