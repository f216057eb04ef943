"""The build: how ``doit`` makes the outputs — the data step (raw → processed tables and bundles), the page list,
notebooks rendered to HTML and PDF, the index, the API reference, module dependencies. May use every layer."""

import sys

# jsonschema (which nbformat imports to read notebooks) imports rfc3987_syntax where it is installed, and that
# compiles some 38 Earley parsers as it loads: about 3 seconds of each build process's first page
# (python-jsonschema/jsonschema#1428). Reading notebooks never checks an IRI: jsonschema is imported here without
# that one format checker (it skips it when the import fails), and rfc3987_syntax stays importable for anyone else.
if "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules:
    sys.modules["rfc3987_syntax"] = None
    try:
        import jsonschema  # noqa: F401
    finally:
        del sys.modules["rfc3987_syntax"]
