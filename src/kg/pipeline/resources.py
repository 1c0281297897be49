"""Vocabularies the rules read: loaded once from ``kg/resources``, kept apart from the code.

Every file opens with ``#`` lines saying where its words come from; blank lines and
comments are skipped here.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

import ahocorasick_rs


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


@cache
def _lexicon() -> dict[str, tuple[str, ...]]:
    """The sections of ``lexicon.txt``: ``[name]`` lines, then words separated by spaces."""
    text = resources.files("kg.resources").joinpath("lexicon.txt").read_text(encoding="utf-8")
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif current is not None:
            current.extend(line.split())
    return {name: tuple(ws) for name, ws in sections.items()}


def lexicon(section: str) -> tuple[str, ...]:
    """The words of one section of ``lexicon.txt``, in file order."""
    return _lexicon()[section]


def lexicon_map(section: str) -> dict[str, str]:
    """A ``key=value`` section of ``lexicon.txt`` as a dict, in file order."""
    return dict(w.split("=", 1) for w in lexicon(section))


def alternation(ws: Iterable[str]) -> str:
    """A regex alternation of words, longest first so the longest match wins."""
    return "|".join(re.escape(w) for w in sorted(ws, key=lambda w: (-len(w), w)))


def lengths_by_first(vocab: Iterable[str]) -> dict[str, tuple[int, ...]]:
    """First character → the lengths of the words starting with it, longest first.

    A lookup at a known position (the word after a name, a modifier in front of one)
    tries only the lengths some word of that first character has, not every length;
    scans over a whole text use :class:`WordIndex` instead.
    """
    out: dict[str, set[int]] = {}
    for w in vocab:
        if w:
            out.setdefault(w[0], set()).add(len(w))
    return {c: tuple(sorted(ns, reverse=True)) for c, ns in out.items()}


class Found:
    """The words of one vocabulary found in one text: by start, longest first."""

    def __init__(self, found: dict[int, list[int]]) -> None:
        self._starts = sorted(found)
        self._lengths = {at: tuple(sorted(ns, reverse=True)) for at, ns in found.items()}

    def within(self, lo: int, hi: int) -> Iterator[tuple[int, tuple[int, ...]]]:
        """``(start, lengths)`` of the words wholly inside ``[lo, hi)``, left to right."""
        starts, by_start = self._starts, self._lengths
        for at in starts[bisect_left(starts, lo):bisect_left(starts, hi)]:
            lengths = by_start[at]
            if at + lengths[0] > hi:  # the longest runs past the window: keep the words that fit
                lengths = tuple(n for n in lengths if at + n <= hi)
                if not lengths:
                    continue
            yield at, lengths

    def longest_at(self, at: int) -> int:
        """Length of the longest word starting at ``at`` (0 if none does)."""
        return self._lengths.get(at, (0,))[0]


class WordIndex:
    """Where the words of a vocabulary occur in a text, found in one pass in Rust.

    Longest-match scans (titles, name suffixes, the 6,000 division names) used to try
    every position in Python; an Aho–Corasick automaton (ahocorasick-rs, over the
    ``aho-corasick`` crate) reports every occurrence of every word at once, about 20
    times faster, so the rules visit only the positions where some word starts and
    make the same longest-first choice there as before.
    """

    def __init__(self, vocab: Iterable[str]) -> None:
        self._words = sorted({w for w in vocab if w})

    @cached_property
    def _every(self) -> ahocorasick_rs.AhoCorasick | None:
        return ahocorasick_rs.AhoCorasick(self._words) if self._words else None

    @cached_property
    def _leftmost_longest(self) -> ahocorasick_rs.AhoCorasick | None:
        kind = ahocorasick_rs.MatchKind.LeftmostLongest
        return ahocorasick_rs.AhoCorasick(self._words, matchkind=kind) if self._words else None

    def find(self, text: str) -> Found:
        """Every occurrence, overlapping ones included, of every word in ``text``."""
        found: dict[int, list[int]] = {}
        if self._every is not None:
            for _, start, end in self._every.find_matches_as_indexes(text, overlapping=True):
                found.setdefault(start, []).append(end - start)
        return Found(found)

    def longest(self, text: str) -> list[tuple[int, int]]:
        """``(start, end)`` of the longest word at each position, left to right, never overlapping.

        The scan a greedy matcher makes (the longest word where one starts, then on after
        it), when every word of the vocabulary is acceptable wherever it occurs.
        """
        if self._leftmost_longest is None:
            return []
        return [(start, end) for _, start, end in self._leftmost_longest.find_matches_as_indexes(text)]


def occurrences(text: str, word: str) -> Iterator[int]:
    """Start of every non-overlapping occurrence of ``word`` in ``text``, left to right."""
    i = text.find(word)
    while i != -1 and word:
        yield i
        i = text.find(word, i + len(word))
