"""Sentence boundaries: Chinese full stops, question and exclamation marks, semicolons and newlines.

Evidence in the graph is a sentence, so this component decides what a user reads
as the source of a fact.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.model import Span
from kg.pipeline.state import state

_END = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』)]?|\n|$)")


def split_sentences(text: str) -> list[Span]:
    """Non-blank sentences of ``text`` as clean-text spans, outer whitespace trimmed."""
    out = []
    for m in _END.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append(Span(s, e))
    return out


@Language.component("kg_sentences")
def kg_sentences(doc: Doc) -> Doc:
    """Write the sentence spans to ``doc._.kg.sentences``."""
    st = state(doc)
    st.sentences = split_sentences(st.text)
    return doc
