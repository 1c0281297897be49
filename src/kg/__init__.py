"""govnews-kg: knowledge graphs from Chinese government and technology-policy news.

The public library surface: :func:`kg.extract.extract_path` turns one article into an
:class:`~kg.model.Extraction`; :func:`kg.extract.extract_quads` (Oxigraph quads) and
:func:`kg.extract.extract_file` (an rdflib Dataset) turn it into RDF.
"""

from kg.errors import KGError

__all__ = ["KGError", "__version__"]
__version__ = "0.1.0"
