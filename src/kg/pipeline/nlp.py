"""Build the extraction pipeline: ``spacy.blank("zh")`` with the rjieba tokenizer and our components."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

from kg.pipeline import events, figures, mentions, positions, resolve, segment, sentences  # noqa: F401  (registers factories)

COMPONENTS = ("kg_sentences", "kg_mentions", "kg_resolve", "kg_positions", "kg_events", "kg_figures")


@cache
def make_nlp() -> Language:
    """The shared pipeline (built once per process: building it loads every vocabulary)."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.rjieba_tokenizer.v1"}}})
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp
