"""The build: how ``doit`` makes the outputs — the data step (raw → processed tables and bundles), the page list,
notebooks rendered to HTML and PDF, the index, the API reference, module dependencies. May use every layer."""

import sys

# jsonschema (which nbformat imports to read notebooks) imports rfc3987_syntax where it is installed, and that
# compiles some 38 Earley parsers as it loads: about 3 seconds of each build process's first page
# (python-jsonschema/jsonschema#1428). Reading notebooks never checks an IRI, so a build goes without that one
# format checker; jsonschema skips it when the import fails.
sys.modules.setdefault("rfc3987_syntax", None)
