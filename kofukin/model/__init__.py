"""The model: the rules and the data — catalogue, scoring, allocation, marginal values, schemas, configuration,
synthetic data and cross-checks, and ``compute`` (all processed tables from the raw ones). Uses no other layer."""
