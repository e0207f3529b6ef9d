"""Benchmark English local authorities' children's social care.

The public API is small: load the data, compare an authority, read the findings.
"""

from __future__ import annotations

__version__ = "0.1.0"
