"""One reader per publication. Each returns typed polars frames (see benchmarks.schema)."""
