"""Word segmentation for spaCy: jieba's dictionary and algorithm, through rjieba.

rjieba is a Rust port of jieba that segments identically and about 40 times faster
(see KNOWN-TRAPS.md); spaCy's own ``segmenter="jieba"`` calls the Python jieba.
The tokenizer keeps ``Doc.text`` equal to its input, spaces included.
"""

from __future__ import annotations

import rjieba
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab


class RJiebaTokenizer:
    """A spaCy tokenizer that splits text into jieba words (no tags: the rules do not read them)."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        if " " not in text:  # most articles: no token carries a trailing space
            words = rjieba.cut(text)
            return Doc(self.vocab, words=words, spaces=[False] * len(words))
        words: list[str] = []
        spaces: list[bool] = []
        for word in rjieba.cut(text):
            if word == " " and words and not spaces[-1]:
                spaces[-1] = True  # spaCy keeps one trailing space on the token itself
                continue
            words.append(word)
            spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)

    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> RJiebaTokenizer:
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> RJiebaTokenizer:
        return self


@registry.tokenizers("kg.rjieba_tokenizer.v1")
def create_tokenizer():
    """Registered factory so that ``make_nlp`` builds the pipeline from config."""

    def make(nlp) -> RJiebaTokenizer:
        return RJiebaTokenizer(nlp.vocab)

    return make
