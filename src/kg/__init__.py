"""govnews-kg: knowledge graphs from Chinese government and technology-policy news.

The public library surface: :func:`extract_file` turns one article into an
:class:`~kg.model.Extraction`, :func:`kg.rdf.mapping.to_dataset` turns that into RDF.
"""

from kg.errors import KGError

__all__ = ["KGError", "__version__"]
__version__ = "0.1.0"
