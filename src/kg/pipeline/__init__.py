"""The spaCy side of extraction: a blank Chinese pipeline plus our registered components.

Order of the components, each reading what the one before wrote on ``doc._.kg``:

    kg_sentences → kg_mentions → kg_resolve → kg_positions → kg_events → kg_figures
"""

from kg.pipeline.nlp import make_nlp

__all__ = ["make_nlp"]
