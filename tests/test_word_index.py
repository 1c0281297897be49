"""WordIndex: the one-pass vocabulary matcher behind the title, suffix and place scans.

The rules used to walk every position in Python; they now read the automaton's
matches. These tests pin the contract the rules rely on: every occurrence, grouped
by start and longest first; only words wholly inside a window; and a leftmost-longest
scan equal to the greedy walk it replaced.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.pipeline.resources import WordIndex

VOCAB = ("科技", "科技厅", "厅长", "副厅长", "高新区", "高新", "长")


def greedy_longest(text: str, vocab: tuple[str, ...]) -> list[tuple[int, int]]:
    """The scan the rules made before: the longest word at each position, then on past it."""
    out, i = [], 0
    while i < len(text):
        n = max((len(w) for w in vocab if text.startswith(w, i)), default=0)
        if n:
            out.append((i, i + n))
            i += n
        else:
            i += 1
    return out


def test_find_groups_overlapping_words_by_start_longest_first() -> None:
    found = WordIndex(VOCAB).find("省科技厅副厅长")
    assert list(found.within(0, 7)) == [(1, (3, 2)), (4, (3,)), (5, (2,)), (6, (1,))]
    assert found.longest_at(1) == 3
    assert found.longest_at(0) == 0


def test_within_keeps_only_words_wholly_inside_the_window() -> None:
    found = WordIndex(VOCAB).find("省科技厅副厅长")
    assert list(found.within(1, 3)) == [(1, (2,))]  # 科技厅 runs past the window
    assert list(found.within(2, 7)) == [(4, (3,)), (5, (2,)), (6, (1,))]


def test_empty_vocabulary_finds_nothing() -> None:
    index = WordIndex(["", ""])
    assert list(index.find("科技厅").within(0, 3)) == []
    assert index.longest("科技厅") == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="科技厅副长高新区省", max_size=40))
def test_longest_is_the_greedy_scan(text: str) -> None:
    assert WordIndex(VOCAB).longest(text) == greedy_longest(text, VOCAB)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="科技厅副长高新区省", max_size=40))
def test_find_reports_every_occurrence(text: str) -> None:
    found = WordIndex(VOCAB).find(text)
    got = {(at, at + n) for at, ns in found.within(0, len(text)) for n in ns}
    want = {(i, i + len(w)) for w in VOCAB for i in range(len(text)) if text.startswith(w, i)}
    assert got == want
