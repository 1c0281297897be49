"""One exception tree for the whole package, so the CLI can turn any failure into one line.

    KGError                 root: everything the library raises on purpose
    ├── InputError          an input file cannot be read or understood
    ├── QueryError          a SPARQL query is malformed or not allowed
    ├── StoreError          the store cannot be opened or written
    └── ValidationError     SHACL or ontology checks failed to run
"""


class KGError(Exception):
    """Root of all errors this package raises deliberately."""


class InputError(KGError):
    """An input file is missing, unreadable, of an unknown encoding or empty."""


class QueryError(KGError):
    """A SPARQL query cannot be parsed, or is an update where only reads are allowed."""


class StoreError(KGError):
    """The embedded store cannot be opened, read or written."""


class ValidationError(KGError):
    """A validation step could not run (not: the data failed validation)."""
