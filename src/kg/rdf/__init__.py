"""RDF side of the pipeline: namespaces, IRI minting and the Extraction → Dataset mapping."""
