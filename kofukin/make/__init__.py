"""The build: how ``doit`` makes the outputs — the data step (raw → processed tables and bundles), the page list,
notebooks rendered to HTML and PDF, the index, the API reference, module dependencies. May use every layer."""
